"""The cross-language trace in the terminal and as HTML: each source with its aligned
sentences side by side and the facts the translation changed.

Document text is untrusted: in the terminal it reaches rich only as ``Text`` with control
characters removed (:func:`unspin.report.terminal.clean`); in HTML every piece is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

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


# Shared by the HTML file and the web app's page (its own styles for the classes below).
STYLE = (
    "table.xling{border-collapse:collapse;width:100%}"
    ".xling td,.xling th{border:1px solid #ccc;padding:.4em;vertical-align:top;width:45%}"
    ".xling td.sim,.xling th.sim{width:auto;text-align:right}"
    ".xling .flag{color:#b00;font-weight:bold}"
)


def render_html(result: CrossTrace, texts: dict[int, str], article: str) -> str:
    """A self-contained HTML page of ``result`` (every text escaped)."""
    return "\n".join(
        [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>unspin: {escape(result.name)}</title>",
            f"<style>body{{font-family:sans-serif;margin:2em}}{STYLE}</style></head><body>",
            f"<h1>{escape(result.name)}</h1>",
            render_body(result.to_dict(texts, article)),
            "</body></html>",
        ]
    )


def render_body(report: Mapping[str, Any]) -> str:
    """The sources of a cross-language trace report (:meth:`CrossTrace.to_dict`, the JSON
    report) as HTML: each source with its aligned sentences side by side and the facts the
    translation changed. Every text from the report is escaped.

    >>> body = render_body({"article": {"name": "a", "lang": "ru", "length": 9},
    ...     "candidates": 1, "sources": []})
    >>> "No source in another language found" in body
    True
    """
    art = report["article"]
    parts = [
        f"<p class='xling-summary'>Language: {escape(art.get('lang') or 'unknown')}; "
        f"{int(art['length']):,} characters; {int(report['candidates'])} candidates in other "
        "languages.</p>"
    ]
    if not report["sources"]:
        parts.append("<p class='xling-none'>No source in another language found.</p>")
    for rank, src in enumerate(report["sources"], 1):
        doc = src["document"]
        lang = escape(src.get("lang") or "?")
        flagged = sum(len(p["distortions"]) for p in src["passages"])
        link = (
            f" <a href='{escape(doc['url'])}' rel='noopener noreferrer nofollow'>"
            f"{escape(doc['url'])}</a>"
            if _http(doc.get("url"))
            else ""
        )
        parts.append(
            f"<section class='xling-source' data-rank='{rank}'>"
            f"<h2>#{rank} {escape(doc.get('title') or doc['id'])} [{lang}]</h2>"
            f"<p>{float(src['coverage']):.0%} of the article aligned, "
            f"{len(src['passages'])} sentences; {flagged} facts changed in translation."
            f"{link}</p>"
            f"<table class='xling'><tr><th>source ({lang})</th>"
            f"<th>article ({escape(art.get('lang') or '?')})</th>"
            "<th class='sim'>similarity</th></tr>"
        )
        for p in src["passages"]:
            flags = "".join(
                f"<div class='flag'>{escape(e.get('reason') or e['label'])}</div>"
                for e in p["distortions"]
            )
            parts.append(
                f"<tr><td data-start='{int(p['source_start'])}'>{escape(p['source_text'])}</td>"
                f"<td data-start='{int(p['target_start'])}'>{escape(p['target_text'])}{flags}</td>"
                f"<td class='sim'>{float(p['similarity']):.2f}</td></tr>"
            )
        parts.append("</table></section>")
    return "\n".join(parts)


def _http(url: object) -> bool:
    """Only web addresses become links (a stored URL is untrusted: never ``javascript:``)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))
