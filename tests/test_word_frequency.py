"""Word frequencies read from unspin's cached table equal wordfreq's own."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
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
    word_frequency._table_in_process.cache_clear()
    word_frequency.zipf.cache_clear()
    try:
        name = word_frequency._table_name()
        (tmp_path / name).write_bytes(b"SQLite format 3\x00 torn")
        # Opened here: zipf may answer from words read ahead by earlier tests.
        assert word_frequency._table() is not None
        assert zipf("price") == wordfreq.zipf_frequency("price", "en")
        assert [p.name for p in tmp_path.iterdir()] == [name]
    finally:
        word_frequency._table_in_process.cache_clear()
        word_frequency.zipf.cache_clear()


def test_one_table_stays_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Named by the list's bytes: a reinstall of the same wordfreq (a new file time) reuses it;
    # building a table drops those of other versions or lists (10 MB each).
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    for old in ("wordfreq-en-v2-1494836-1796522507164621684", "wordfreq-en-v3-0123456789abcdef"):
        (tmp_path / f"{old}.sqlite").write_bytes(b"an older table")
    (tmp_path / "moby-reverse-v6.npz").write_bytes(b"another cache")
    word_frequency._table_in_process.cache_clear()
    word_frequency.zipf.cache_clear()
    try:
        name = word_frequency._table_name()
        assert (
            "wordfreq-en-v" in name
            and str(word_frequency._wordfreq_list().stat().st_mtime_ns) not in name
        )
        assert word_frequency._table() is not None  # built here (zipf may answer from memory)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "moby-reverse-v6.npz"])
    finally:
        word_frequency._table_in_process.cache_clear()
        word_frequency.zipf.cache_clear()


def test_without_a_writable_cache_wordfreq_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("UNSPIN_CACHE", str(not_a_folder / "unspin"))
    word_frequency._table_in_process.cache_clear()
    word_frequency.zipf.cache_clear()
    try:
        assert word_frequency._table() is None
        assert zipf("Price") == wordfreq.zipf_frequency("Price", "en")
        assert list(top_words(20)) == wordfreq.top_n_list("en", 20)
    finally:
        word_frequency._table_in_process.cache_clear()
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


def test_words_with_digits_from_the_table_equal_wordfreq() -> None:
    # trace asks about words such as "hpv16" or "123456" (the rarity of shared words): their
    # runs of digits read as zeros and weighed by wordfreq's estimates, from the table.
    listed = [w for w in wordfreq.get_frequency_dict("en") if word_frequency._is_digit_word(w)]
    assert len(listed) > 1000

    def filled(word: str, seed: int) -> str:  # each zero of a listed word as another digit
        return "".join(str((seed * 7 + k) % 10) if c == "0" else c for k, c in enumerate(word))

    words = [*listed[::3], *(filled(w, k) for k, w in enumerate(listed[::2]))]
    words += ["hpv16", "HPV16", "1990s", "2040s", "g20", "b2b", "a12b345c6789", "4x4", "mp3"]
    words += ["12345", "00001", "123456789012", "9" * 32, "9" * 33, "x" + "1" * 40, "20190"]
    for word in words:
        assert zipf(word) == wordfreq.zipf_frequency(word, "en"), word


def test_words_with_digits_need_no_wordfreq() -> None:
    code = (
        "import sys\n"
        "from unspin.word_frequency import zipf\n"
        "print([zipf(w) for w in ('hpv16', '123456', '1990s', 'B2B')])\n"
        "print('wordfreq' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    values, imported = out.stdout.split("\n")[:2]
    assert imported == "False"
    assert values == str(
        [wordfreq.zipf_frequency(w, "en") for w in ("hpv16", "123456", "1990s", "B2B")]
    )


def test_an_interrupted_build_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C three seconds into a first `unspin score` (while the table was written) left
    # wordfreq-en-v3-...tmpPID-TID, 10 MB, in the cache for good.
    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(wordfreq, "top_n_list", interrupted)
    with pytest.raises(KeyboardInterrupt):
        word_frequency._build(tmp_path / word_frequency._table_name())
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _own_table(parent_table: int) -> tuple[bool, float]:
    """In a forked worker: whether its table is not the parent's, and a word's frequency."""
    table = word_frequency._table()
    assert table is not None
    (found,) = table.execute("SELECT zipf FROM zipf WHERE word = 'harbour'").fetchone()
    return id(table) != parent_table, float(found)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_opens_its_own_table() -> None:
    # Before (robust30): the table's read-only connection was cached once, so a forked
    # ingest worker used the one its parent opened, which SQLite forbids.
    parent = word_frequency._table()
    assert parent is not None
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        own, found = pool.submit(_own_table, id(parent)).result()
    assert own and found == zipf("harbour")
    assert word_frequency._table() is parent  # the parent's goes on
