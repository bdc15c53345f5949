"""The cross-language trace in the terminal and as HTML: each source with its aligned
sentences side by side and the facts the translation changed.

Document text is untrusted: in the terminal it reaches rich only as ``Text`` with control
characters removed (:func:`unspin.report.terminal.clean`); the HTML is rendered from the report
templates (``xling_report.html.j2``, ``xling_body.html.j2``), which escape every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..report.templating import Markup, render
from ..report.terminal import clean
from .trace import CrossTrace


def render_terminal(
    result: CrossTrace, texts: dict[int, str], article: str, console: Console
) -> None:
    """Print ``result``; ``texts`` holds each source's text by document key."""
    head = Text(f"{clean(result.name)}: language {result.lang or 'unknown'}, ")
    head.append(f"{result.length:,} characters, {result.candidates} candidates in other languages")
    console.print(head)
    if not result.sources:
        console.print(Text("No source in another language found."))
        return
    for rank, src in enumerate(result.sources, 1):
        doc = src.document
        line = Text(f"#{rank} ", style="bold")
        line.append(clean(doc.title or doc.id), style="cyan")
        line.append(
            f"  [{src.lang or '?'}]  {src.coverage:.0%} of the article aligned, "
            f"{len(src.passages)} sentence{'s' if len(src.passages) != 1 else ''}"
        )
        if doc.url:
            line.append(f"  {clean(doc.url)}")
        console.print(line)
        table = Table(show_lines=True, expand=True)
        table.add_column(f"source ({src.lang or '?'})", ratio=1)
        table.add_column(f"article ({result.lang or '?'})", ratio=1)
        table.add_column("sim", justify="right", width=5)
        source = texts[doc.key]
        for p in src.passages:
            pair = p.pair
            right = Text(clean(article[pair.target_start : pair.target_end]))
            for e in p.distortions:
                right.append(f"\n{clean(e.reason or e.label)}", style="bold red")
            table.add_row(
                Text(clean(source[pair.source_start : pair.source_end])),
                right,
                f"{pair.similarity:.2f}",
            )
        console.print(table)
        flagged = sum(len(p.distortions) for p in src.passages)
        console.print(
            Text(
                f"{flagged} fact{'s' if flagged != 1 else ''} changed in translation",
                style="bold red" if flagged else "",
            )
        )


# Shared by the HTML file and the web app's page (its own styles for the classes below).
STYLE = (
    "table.xling{border-collapse:collapse;width:100%}"
    ".xling td,.xling th{border:1px solid #ccc;padding:.4em;vertical-align:top;width:45%}"
    ".xling td.sim,.xling th.sim{width:auto;text-align:right}"
    ".xling .flag{color:#b00;font-weight:bold}"
)


def render_html(result: CrossTrace, texts: dict[int, str], article: str) -> str:
    """A self-contained HTML page of ``result`` (``xling_report.html.j2``; every text escaped)."""
    return render(
        "xling_report.html.j2",
        title=result.name,
        style=Markup(STYLE),
        report=result.to_dict(texts, article),
        http=_http,
    )


def render_body(report: Mapping[str, Any]) -> str:
    """The sources of a cross-language trace report (:meth:`CrossTrace.to_dict`, the JSON
    report) as HTML (``xling_body.html.j2``): each source with its aligned sentences side by
    side and the facts the translation changed. Every text from the report is escaped.

    >>> body = render_body({"article": {"name": "a", "lang": "ru", "length": 9},
    ...     "candidates": 1, "sources": []})
    >>> "No source in another language found" in body
    True
    """
    return render("xling_body.html.j2", report=report, http=_http)


def _http(url: object) -> bool:
    """Only web addresses become links (a stored URL is untrusted: never ``javascript:``)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))
