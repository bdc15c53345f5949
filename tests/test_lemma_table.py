"""lemminflect's lemmas read from unspin's cache equal lemminflect's own parse of its file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import lemminflect
import pytest
from lemminflect.core.Inflections import Inflections
from lemminflect.core.Lemmatizer import Lemmatizer

from unspin.lemma_table import (
    CachedInflectionTable,
    CachedLemmaTable,
    install_lemma_table,
    parsed_inflection_table,
    parsed_lemma_table,
)


@pytest.mark.parametrize(
    ("parse", "table", "least"),
    [
        (parsed_lemma_table, CachedLemmaTable, 60_000),
        (parsed_inflection_table, CachedInflectionTable, 10_000),
    ],
)
def test_every_word_of_the_cache_equals_lemminflects_parse(
    parse: Callable[[], dict[str, dict[str, tuple[str, ...]]]],
    table: Callable[[], CachedLemmaTable | CachedInflectionTable],
    least: int,
) -> None:
    parsed = parse()
    cached = table()
    assert len(parsed) > least
    assert cached.words() == list(parsed)
    assert all(cached.get(word) == entries for word, entries in parsed.items())
    assert cached.get("no such word here", {}) == {}


def test_lookups_go_through_lemminflect_with_the_cached_table() -> None:
    install_lemma_table()
    assert isinstance(Lemmatizer().lemma_dict, CachedLemmaTable)
    # Case handling, overrides and part-of-speech filters are still lemminflect's own.
    assert lemminflect.getAllLemmas("Rose")["VERB"] == ("Rise",)
    assert lemminflect.getAllLemmas("governments", "NOUN") == {"NOUN": ("government",)}
    assert lemminflect.getAllLemmas("qqqzzz") == {}


def test_a_torn_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    name = f"lemminflect-lemmas-v2-{lemminflect.__version__}.json"
    (tmp_path / name).write_text('{"rose": ')
    # What an older unspin (v1's names) and another lemminflect release left: pruned.
    (tmp_path / f"lemminflect-lemmas-{lemminflect.__version__}-v1.json").write_text("{}")
    (tmp_path / "lemminflect-lemmas-v2-0.0.1.json").write_text("{}")
    assert CachedLemmaTable().get("rose") == parsed_lemma_table()["rose"]
    assert [p.name for p in tmp_path.iterdir()] == [name]
    # The rebuilt table is kept for the next process.
    assert CachedLemmaTable().words() == list(parsed_lemma_table())


def test_without_a_writable_cache_the_table_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("UNSPIN_CACHE", str(not_a_folder / "unspin"))
    assert CachedLemmaTable().get("rose") == parsed_lemma_table()["rose"]


def test_inflections_go_through_lemminflect_with_the_cached_table() -> None:
    install_lemma_table()
    assert isinstance(Inflections().infl_dict, CachedInflectionTable)
    # lemminflect's own case handling, overrides, auxiliaries and part-of-speech filters.
    assert lemminflect.getAllInflections("Hide", "VERB")["VBN"] == ("Hidden",)
    assert lemminflect.getAllInflections("be")["VBD"] == ("was", "were")
    assert set(lemminflect.getAllInflections("government", "NOUN")) == {"NN", "NNS"}
    assert lemminflect.getAllInflections("qqqzzz") == {}
