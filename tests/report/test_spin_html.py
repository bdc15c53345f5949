"""The HTML page of ``unspin score``: spans marked and linked, hostile text inert."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_html import _TEXT, _assert_inert  # the trace report's checks, same rules

from unspin.cli import main
from unspin.generators.article_spinner import spin
from unspin.report import render_spin_html
from unspin.spinscore.score import SpinScore, SpinSpan, score_text

TEXT = (
    "The government said on Tuesday that the price of wheat would rise next year because the "
    "crop was smaller than expected. Farmers told the ministry that dry weather had cut yields."
)


def test_spans_are_marked_numbered_and_linked_to_their_rows() -> None:
    text = spin(TEXT, 0.4, seed=3).text
    score = score_text(text, "lexical")
    assert score.spans
    page = render_spin_html([("spun.txt", text, score)])
    parsed = _assert_inert(page)
    marks = [a for tag, a in parsed.tags if tag == "mark" and "id" in a]
    rows = [a for tag, a in parsed.tags if tag == "tr" and a.get("id")]
    assert len(marks) == len(rows) == len(score.spans)
    hrefs = {a.get("href") for tag, a in parsed.tags if tag == "a"}
    assert {f"#{m['id']}" for m in marks} <= hrefs and {f"#{r['id']}" for r in rows} <= hrefs
    # The marked page still reads as the text, and every suggestion is shown.
    shown = "".join(parsed.text)
    for span in score.spans:
        assert span.phrase in shown and all(w in shown for w in span.suggestions)
    assert f"{score.probability:.2f}" in shown


def test_hostile_text_and_names_are_escaped() -> None:
    text = 'Hi <script>alert(1)</script> "x" onload=1 <img src=x>'
    start = text.index("<script>")
    span = SpinSpan(start, start + 8, "<script>", '"><b>', ("<i>",), 0.5)
    page = render_spin_html([("<b>name</b>", text, SpinScore(0.7, (span,)))], title="<t>")
    parsed = _assert_inert(page)
    assert "<script" not in page.lower() and "<img" not in page and "<b>" not in page
    shown = "".join(parsed.text)  # the mark's number follows the marked "<script>"
    assert "Hi <script>1alert(1)</script>" in shown and '"x" onload=1 <img src=x>' in shown


@settings(max_examples=60, deadline=None)
@given(
    text=_TEXT,
    cuts=st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45)), max_size=4),
    probability=st.floats(allow_nan=True, allow_infinity=True),
)
def test_any_text_and_offsets_render_inert(
    text: str, cuts: list[tuple[int, int]], probability: float
) -> None:
    spans = tuple(SpinSpan(a, b, text[max(a, 0) : b], "rare_synonym", ("x",), 0.5) for a, b in cuts)
    page = render_spin_html([(text, text, SpinScore(probability, spans))])
    _assert_inert(page)
    assert "nan" not in page.lower().replace("nanum", "")


def test_score_cli_writes_the_page(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(spin(TEXT, 0.4, seed=3).text, encoding="utf-8")
    out = tmp_path / "score.html"
    res = CliRunner().invoke(main, ["score", str(path), "--html", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["file"] == str(path)  # stdout stays pure JSON
    _assert_inert(out.read_text(encoding="utf-8"))
    res = CliRunner().invoke(main, ["score", "--explain", "toll", "--html", str(out)])
    assert res.exit_code != 0 and "--explain" in res.output
