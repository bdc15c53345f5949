"""The report templates: shipped with the package, every value escaped, no template
whitespace leaking into the texts shown."""

from __future__ import annotations

import html
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from unspin.report import render_html, render_report_body, render_spin_html
from unspin.report.templating import Markup, render
from unspin.spinscore.score import SpinScore, SpinSpan
from unspin.types import Segment, TraceResult

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "unspin" / "report" / "templates"


def test_every_template_is_package_data() -> None:
    """A wheel without a template would fail at the first --html; pyproject must list them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["unspin"]
    files = [p.relative_to(ROOT / "src" / "unspin").as_posix() for p in TEMPLATES.iterdir()]
    assert any(f.endswith(".j2") for f in files)
    assert [f for f in files if not any(fnmatch(f, p) for p in patterns)] == []


def test_values_are_escaped_and_markup_is_not() -> None:
    page = render("report_page.html.j2", title="<script>'x'</script>", css=Markup("a > b {}"))
    assert "<title>&lt;script&gt;&#x27;x&#x27;&lt;/script&gt;</title>" in page
    assert "<style>\na > b {}</style>" in page  # the packaged stylesheet stays CSS


def test_article_whitespace_is_kept_and_template_indentation_never_shown() -> None:
    article = "  Two spaces,\n\tthen a tab & a <tag>\n\n  "
    result = TraceResult(article, (), (Segment(0, len(article), None, 0.25),))
    body = render_report_body(result, {})
    shown = body[body.index('<div class="text">') : body.index("</div></section>")]
    assert html.escape(article.strip()) in shown and html.escape(article) in shown.replace(
        '<span class="nosrc"><span class="tag">no source found · spin score 0.25</span>', ""
    ).removesuffix("</span>")
    # Templates are indented for reading; none of that indentation reaches the page.
    plain = TraceResult("One line.\nAnother line.", (), (Segment(0, 9, None, 0.5),))
    page = render_html(plain, {}).split("</style>")[1]  # the stylesheet keeps its own layout
    assert [ln for ln in page.splitlines() if ln[:1].isspace()] == []


def test_spin_page_shows_text_whitespace_as_it_is() -> None:
    text = "A\n\n  quick   brown fox."
    start = text.index("quick")
    span = SpinSpan(start, start + 5, "quick", "rare_synonym", ("fast",), 0.9)
    page = render_spin_html([("t.txt", text, SpinScore(0.5, (span,)))])
    assert (
        '<div class="text">A\n\n  <mark class="spin spin-rare_synonym" id="t0-m1">quick</mark>'
        in page
    )
