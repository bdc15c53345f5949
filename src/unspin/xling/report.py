"""The cross-language trace in the terminal and as HTML: each source with its aligned
sentences side by side and the facts the translation changed.

Document text is untrusted: in the terminal it reaches rich only as ``Text`` with control
characters removed (:func:`unspin.report.terminal.clean`); in HTML every piece is escaped.
"""

from __future__ import annotations

from html import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text

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
            f"{len(src.passages)} sentences"
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
            Text(f"{flagged} facts changed in translation", style="bold red" if flagged else "")
        )


def render_html(result: CrossTrace, texts: dict[int, str], article: str) -> str:
    """A self-contained HTML page of ``result`` (every text escaped)."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>unspin: {escape(result.name)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "width:100%}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top}"
        ".flag{color:#b00;font-weight:bold}</style></head><body>",
        f"<h1>{escape(result.name)}</h1>",
        f"<p>Language: {escape(result.lang or 'unknown')}; {result.length:,} characters; "
        f"{result.candidates} candidates in other languages.</p>",
    ]
    if not result.sources:
        parts.append("<p>No source in another language found.</p>")
    for rank, src in enumerate(result.sources, 1):
        doc = src.document
        title = escape(doc.title or doc.id)
        parts.append(
            f"<h2>#{rank} {title} [{escape(src.lang or '?')}]</h2>"
            f"<p>{src.coverage:.0%} of the article aligned</p>"
            f"<table><tr><th>source ({escape(src.lang or '?')})</th>"
            f"<th>article ({escape(result.lang or '?')})</th><th>similarity</th></tr>"
        )
        source = texts[doc.key]
        for p in src.passages:
            pair = p.pair
            flags = "".join(
                f"<div class='flag'>{escape(e.reason or e.label)}</div>" for e in p.distortions
            )
            parts.append(
                f"<tr><td>{escape(source[pair.source_start : pair.source_end])}</td>"
                f"<td>{escape(article[pair.target_start : pair.target_end])}{flags}</td>"
                f"<td>{pair.similarity:.2f}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
