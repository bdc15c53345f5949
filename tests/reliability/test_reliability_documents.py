"""Documents handed to the Python API as they are (``Corpus.add(Document(...))``): a bad one
is refused as :class:`unspin.InputError` naming it and the problem, before anything of the
call is stored, and never poisons what is traced afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from unspin import Corpus, Document, InputError
from unspin.fingerprints import fingerprint
from unspin.store import Store
from unspin.types import TraceResult

GOOD = "Dock workers walked out at the harbour on Tuesday over a pay dispute, union leaders said."


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"text": "A lone \udc80 surrogate in a story about the harbour strike."}, "text"),
        ({"text": "A story about the harbour strike.", "id": "x\ud800"}, "id"),
        ({"text": "A story about the harbour strike.", "id": None}, "id"),
        ({"text": "A story about the harbour strike.", "id": " "}, "id"),
        ({"text": "A story about the harbour strike.", "id": "a", "url": "http://x/\udfff"}, "url"),
        ({"text": "A story about the harbour strike.", "id": "a", "title": 42}, "title"),
    ],
)
def test_a_bad_document_is_one_input_error_and_costs_only_itself(
    tmp_path: Path, fields: dict[str, Any], named: str
) -> None:
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.add(GOOD, id="good")
        with pytest.raises(InputError) as err:
            corpus.add([Document(GOOD + " Again.", id="fine"), Document(**fields)])
        message = str(err.value)
        assert "\n" not in message and f"'{named}'" in message
        # Nothing of the refused call is stored; what was stored before is intact.
        assert [d.id for d, _ in corpus.store.iter_documents()] == ["good"]
        assert corpus.store.check() == []


def test_a_stored_text_with_a_lone_surrogate_does_not_break_tracing(tmp_path: Path) -> None:
    """Stores written before documents were checked may hold such a text (an earlier
    ``Corpus.add(Document(...))`` stored it): tracing an article it is the source of, clean
    or not, still gives a report."""
    bad = "lone \udc80 surrogate in a document about the harbour strike, 12 ships waiting"
    with Store(tmp_path / "s.db") as store:
        store.add_batch([(Document(bad, id="old"), fingerprint(bad))])
    with Corpus(tmp_path / "s.db") as corpus:
        for article in (
            "lone surrogate in a text about the harbour strike, twelve ships waiting",
            "lone \ud800 surrogate in a text about the harbour strike, 12 ships waiting",
        ):
            result = corpus.trace(article)
            assert [s.document.id for s in result.sources] == ["old"]


def _traced_with_surrogates(tmp_path: Path, article: str) -> tuple[TraceResult, dict[int, str]]:
    """``article`` traced (``Corpus.trace``) against a store holding a source with a lone
    surrogate, written before documents were checked; the source's text by its key."""
    bad = "lone \udc80 surrogate in a document about the harbour strike, 12 ships waiting"
    with Store(tmp_path / "s.db") as store:
        store.add_batch([(Document(bad, id="old"), fingerprint(bad))])
    with Corpus(tmp_path / "s.db") as corpus:
        result = corpus.trace(article)
    return result, {result.sources[0].document.key: bad}


def test_the_reports_of_a_text_with_a_lone_surrogate_can_be_written_as_utf_8(
    tmp_path: Path,
) -> None:
    """``Corpus.trace`` reads an article holding a lone surrogate (and a store may hold such
    a source), but up to robust37 its HTML and JSON reports held the surrogate raw, so
    writing either to a file failed: "'utf-8' codec can't encode character '\\ud800' ...
    surrogates not allowed". They write it as an escape now, which the JSON reads back as
    the same string."""
    import json

    from unspin.report import dumps, render_html

    article = "lone \ud800 surrogate in a text about the harbour strike, 12 ships waiting"
    result, texts = _traced_with_surrogates(tmp_path, article)
    (tmp_path / "r.json").write_text(dumps(result, texts), encoding="utf-8")
    (tmp_path / "r.html").write_text(render_html(result, texts), encoding="utf-8")
    read = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert read["article"]["text"] == article
    excerpts = [p["source_excerpt"] for s in read["sources"] for p in s["passages"]]
    assert any("lone \udc80 surrogate" in e for e in excerpts), excerpts
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "lone \\ud800 surrogate" in page and "\\udc80" in page  # the source's is an edit


def test_the_terminal_report_of_a_text_with_a_lone_surrogate_shows_its_escape(
    tmp_path: Path,
) -> None:
    """Up to robust38 the terminal report (``render_terminal``, the Python API's) printed a
    lone surrogate of the article or a source raw, where the HTML and JSON reports write its
    escape, so printing it to a UTF-8 stream failed ("surrogates not allowed"). It shows the
    escape now, in the passages and in the edits alike."""
    import io

    from rich.console import Console

    from unspin.report import render_terminal

    article = "lone \ud800 surrogate in a text about the harbour strike, 12 ships waiting"
    result, texts = _traced_with_surrogates(tmp_path, article)
    out = io.StringIO()
    render_terminal(result, texts, Console(file=out, width=200, color_system=None))
    report = out.getvalue()
    (tmp_path / "r.txt").write_text(report, encoding="utf-8")
    assert "lone \\ud800 surrogate in a text" in report
    assert "lone \\udc80 surrogate in a document" in report
    assert "“\\udc80” → “\\ud800”" in report  # the edit between the two


def test_a_terminal_excerpt_cut_beside_lone_surrogates_never_shows_half_an_escape(
    tmp_path: Path,
) -> None:
    """The terminal report shortens a long passage in the middle. Up to robust39 it cut the
    text after writing each lone surrogate as its escape, so an excerpt could begin with the
    tail of one ("… udce9\\udce9"); it cuts first now."""
    import io
    import re

    from rich.console import Console

    from unspin.report import render_terminal

    text = (
        "Dock workers walked out at the harbour on Tuesday over a pay dispute, union leaders "
        "said, and twelve ships waited outside the port for a second day while talks went on. "
        "Andr" + "\udce9" * 40
    )
    with Store(tmp_path / "s.db") as store:
        store.add_batch([(Document(text, id="old"), fingerprint(text))])
    with Corpus(tmp_path / "s.db") as corpus:
        result = corpus.trace(text)
    out = io.StringIO()
    console = Console(file=out, width=300, color_system=None)
    render_terminal(result, {result.sources[0].document.key: text}, console)
    report = out.getvalue()
    (tmp_path / "r.txt").write_text(report, encoding="utf-8")
    assert "\\udce9" in report
    rest = re.sub(r"\\udce9", "", re.sub(r"\s", "", report))  # where lines fold, escapes
    assert "\\" not in rest and "e9" not in rest, rest


def test_numbers_are_read_from_a_text_with_a_lone_surrogate_in_any_language() -> None:
    from unspin.edits.numbers import number_values
    from unspin.xling.facts import _spelled

    assert number_values("zwölf \udc80 ships, 12 of them") == {12.0: 1}
    assert _spelled("zwölf Schiffe \udc80 warten", "de") == {12.0}


def test_a_document_without_an_id_gets_the_id_a_text_without_one_gets(tmp_path: Path) -> None:
    # Stored under "" it could not be found by id, and such documents would share one id.
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.add([Document(GOOD), Document(GOOD + " Again.")])
        corpus.add(GOOD + " A third.")
        ids = sorted(d.id for d, _ in corpus.store.iter_documents())
    assert len(ids) == 3 and all(len(i) == 12 for i in ids)
    with Corpus(tmp_path / "t.db") as corpus:
        corpus.add(GOOD)
        (stored,) = [d.id for d, _ in corpus.store.iter_documents()]
    assert stored in ids
