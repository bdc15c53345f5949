"""Moby's entries read one line at a time equal the whole file parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin import lexicon
from unspin.lexicon import moby_entries, moby_entry, synonyms


def test_every_headword_read_from_its_line_equals_the_parsed_file() -> None:
    entries = moby_entries()
    assert len(entries) > 30_000
    assert all(moby_entry(head) == syns for head, syns in entries.items())
    assert moby_entry("no such headword here") is None


def test_synonyms_try_the_base_form() -> None:
    assert synonyms("prices") == moby_entries()["price"]
    assert synonyms("Rise") == moby_entries()["rise"]
    assert synonyms("qqqzzz") == ()


def test_a_torn_line_index_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    lexicon._moby_lines.cache_clear()
    lexicon.moby_entry.cache_clear()
    try:
        (tmp_path / f"moby-lines-v{lexicon._LINES_VERSION}.json").write_text('{"source": [')
        assert moby_entry("price") == moby_entries()["price"]
        # The rebuilt index is kept for the next process.
        lexicon._moby_lines.cache_clear()
        assert "price" in lexicon._moby_lines()
    finally:
        lexicon._moby_lines.cache_clear()
        lexicon.moby_entry.cache_clear()


def test_the_synonym_matrix_asks_every_pair() -> None:
    from unspin.lexicon import thesaurus
    from unspin.text import stem

    th = thesaurus()
    left = [stem(w) for w in ("big", "quick", "house", "zzqx", "rise")]
    right = [stem(w) for w in ("large", "fast", "home", "big", "increase", "zzqx")]
    m = th.synonym_stem_matrix(left, right)
    assert m.shape == (5, 6) and m.any()
    assert m.tolist() == [[th.are_synonym_stems(a, b) for b in right] for a in left]
