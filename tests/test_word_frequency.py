"""Word frequencies read from unspin's cached table equal wordfreq's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import wordfreq

from unspin import word_frequency
from unspin.word_frequency import top_words, zipf


def test_the_table_gives_wordfreqs_zipf_frequency() -> None:
    listed = list(wordfreq.get_frequency_dict("en"))
    sample = [*listed[::25], "qqqzzz", "Unspinnable", "AND", "Government"]
    # Words the table does not hold go to wordfreq: digits, apostrophes, accents, hyphens.
    sample += ["1987", "don't", "café", "well-known", "U.S.", "", "naïve"]
    sample += [w.title() for w in listed[:2000:7]] + [w.upper() for w in listed[:500:5]]
    for word in sample:
        assert zipf(word) == wordfreq.zipf_frequency(word, "en"), word


def test_phrases_and_numbers_from_the_table_equal_wordfreq() -> None:
    # score asks about the thesaurus' multi-word entries and the numbers beside its words.
    from unspin.spinscore.reverse_thesaurus import reverse_thesaurus

    listed = [w for w in wordfreq.get_frequency_dict("en") if w.isascii() and w.isalpha()]
    phrases = [p for p in reverse_thesaurus()._row if " " in p][::40]
    assert len(phrases) > 500
    phrases += [f"{a} {b}" for a, b in zip(listed[::97], listed[50::89], strict=False)]
    phrases += ["come to", "Rule of Three", "qqqzzz price", "price qqqzzz", "a b c d"]
    numbers = ["0", "7", "05", "10", "000", "221", "1986", "1987", "2026", "9999", "0000"]
    for word in [*phrases, *numbers]:
        assert zipf(word) == wordfreq.zipf_frequency(word, "en"), word
    # Not in the table: wordfreq answers (and still agrees).
    for word in ["12345", "come  to", " come to", "come to ", "don't stop", "3 pigs"]:
        assert zipf(word) == wordfreq.zipf_frequency(word, "en"), word


def test_top_words_are_wordfreqs_top_list() -> None:
    assert list(top_words(200)) == wordfreq.top_n_list("en", 200)
    assert top_words(0) == ()
    with pytest.raises(ValueError):
        top_words(10_000)


def test_a_torn_table_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    word_frequency._table.cache_clear()
    word_frequency.zipf.cache_clear()
    try:
        source = word_frequency._wordfreq_list().stat()
        name = f"wordfreq-en-v{word_frequency._VERSION}-{source.st_size}-{source.st_mtime_ns}"
        (tmp_path / f"{name}.sqlite").write_bytes(b"SQLite format 3\x00 torn")
        assert zipf("price") == wordfreq.zipf_frequency("price", "en")
        assert [p.name for p in tmp_path.iterdir()] == [f"{name}.sqlite"]
    finally:
        word_frequency._table.cache_clear()
        word_frequency.zipf.cache_clear()


def test_without_a_writable_cache_wordfreq_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("UNSPIN_CACHE", str(not_a_folder / "unspin"))
    word_frequency._table.cache_clear()
    word_frequency.zipf.cache_clear()
    try:
        assert word_frequency._table() is None
        assert zipf("Price") == wordfreq.zipf_frequency("Price", "en")
        assert list(top_words(20)) == wordfreq.top_n_list("en", 20)
    finally:
        word_frequency._table.cache_clear()
        word_frequency.zipf.cache_clear()


def test_words_read_ahead_keep_wordfreqs_zipf_frequency() -> None:
    """``look_up`` reads many words in a few queries (ranking, ahead of ``zipf``): what
    ``zipf`` then says is still wordfreq's, whatever the word's case or kind."""
    listed = list(wordfreq.get_frequency_dict("en"))
    words = [*listed[3::31], "qqqzzz", "Government", "AND", "1987", "0000", "12345"]
    words += ["don't", "café", "U.S.", "", "come to", *(w.title() for w in listed[:900:9])]
    zipf.cache_clear()
    word_frequency._looked_up.clear()
    word_frequency.look_up(words)
    assert len(word_frequency._looked_up) > len(listed[3::31]) // 2  # most were read ahead
    assert word_frequency._looked_up["government"] > 5  # "Government", in lower case
    for word in words:
        assert zipf(word) == wordfreq.zipf_frequency(word, "en"), word
