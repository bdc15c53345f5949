"""The HTML report of a cluster run: largest clusters with a timeline each, and the site graph
drawn as inline SVG. One self-contained file; every piece of document text or metadata goes
through :func:`html.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date as Date
from html import escape
from typing import Any

from .graph import SiteEdge, SiteNode

MAX_SITES_DRAWN = 40  # beyond this the circle layout is unreadable; the CSV has them all

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.ex{color:#555;font-size:12px}.origin{background:#fff6d5}
.meta{color:#555}svg text{font:11px system-ui,sans-serif}
"""


def _day(d: str | None) -> int | None:
    try:
        return Date.fromisoformat(d[:10]).toordinal() if d else None
    except ValueError:
        return None


def timeline_svg(members: Sequence[dict[str, Any]], width: int = 700) -> str:
    """Members on a date axis (undated ones at the right, in ingest order)."""
    days = [_day(m["date"]) for m in members]
    known = [d for d in days if d is not None]
    lo, hi = (min(known), max(known)) if known else (0, 0)
    pad, h = 30, 54
    span = max(1, hi - lo)
    undated = [i for i, d in enumerate(days) if d is None]
    parts = [f'<svg width="{width}" height="{h}" role="img" aria-label="timeline">']
    parts.append(f'<line x1="{pad}" y1="30" x2="{width - pad}" y2="30" stroke="#999"/>')
    if known:
        parts.append(f'<text x="{pad}" y="50">{escape(members[days.index(lo)]["date"])}</text>')
        if hi != lo:
            label = escape(members[days.index(hi)]["date"])
            parts.append(f'<text x="{width - pad}" y="50" text-anchor="end">{label}</text>')
    for i, (m, d) in enumerate(zip(members, days, strict=True)):
        x: float
        if d is None:
            x = width - pad - 6 * (len(undated) - undated.index(i) - 1)
        else:
            x = pad + (width - 2 * pad) * (d - lo) / span
        y = 30 - 8 * (i % 3) if d is not None else 30
        fill = "#d62728" if m["origin"] else "#1f77b4"
        tip = escape(f"{m['id']} ({m['site'] or '?'}, {m['date'] or 'undated'})")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{fill}" fill-opacity="0.7">'
            f"<title>{tip}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def site_graph_svg(nodes: Sequence[SiteNode], edges: Sequence[SiteEdge], size: int = 520) -> str:
    """Sites on a circle, arrows A -> B as wide as log(passages); self-reuse as a loop."""
    degree: dict[str, int] = {n["site"]: 0 for n in nodes}
    for e in edges:
        degree[e["source"]] = degree.get(e["source"], 0) + e["passages"]
        degree[e["target"]] = degree.get(e["target"], 0) + e["passages"]
    shown = sorted(degree, key=lambda s: (-degree[s], s))[:MAX_SITES_DRAWN]
    c, r = size / 2, size / 2 - 90
    pos = {
        s: (
            c + r * math.cos(2 * math.pi * i / len(shown)),
            c + r * math.sin(2 * math.pi * i / len(shown)),
        )
        for i, s in enumerate(sorted(shown))
    }
    out = [
        f'<svg width="{size}" height="{size}" role="img" aria-label="site graph">',
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#666"/></marker></defs>',
    ]
    for e in edges:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        w = 1 + math.log1p(e["passages"])
        tip = escape(
            f"{e['source']} -> {e['target']}: {e['passages']} passages, "
            f"{100 * e['derived_share']:.2f}% of {e['target']} derived"
        )
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        if e["source"] == e["target"]:
            out.append(
                f'<circle cx="{x1:.1f}" cy="{y1 - 16:.1f}" r="14" fill="none" stroke="#999" '
                f'stroke-width="{w:.1f}"><title>{tip}</title></circle>'
            )
            continue
        # Stop short of the target node so the arrow head stays visible.
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        x2s, y2s = x2 - (x2 - x1) * 8 / d, y2 - (y2 - y1) * 8 / d
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2s:.1f}" y2="{y2s:.1f}" stroke="#999" '
            f'stroke-width="{w:.1f}" marker-end="url(#arr)"><title>{tip}</title></line>'
        )
    for s, (x, y) in pos.items():
        anchor = "start" if x >= c else "end"
        dx = 9 if x >= c else -9
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#2ca02c"/>')
        out.append(
            f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(s)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _edits(counts: dict[str, int]) -> str:
    return ", ".join(f"{escape(k)} {v}" for k, v in sorted(counts.items(), key=lambda x: -x[1]))


def _cluster_html(c: dict[str, Any]) -> str:
    rows = []
    for m in c["members"]:
        cls = ' class="origin"' if m["origin"] else ""
        rows.append(
            f"<tr{cls}><td>{m['rank']}</td><td>{escape(m['id'])}</td>"
            f"<td>{escape(m['site'] or '')}</td><td>{escape(m['date'] or '')}</td>"
            f"<td>{m['start']}-{m['end']}</td><td>{100 * m['coverage']:.0f}%</td>"
            f"<td>{_edits(m['edits'])}</td><td class=ex>{escape(m['excerpt'])}</td></tr>"
        )
    if c["origin"] is not None:
        origin = f"Probable origin <b>{escape(c['origin']['id'])}</b>: "
    else:
        label = "Undated" if c["direction"]["basis"] == "undated" else "Dates tie"
        origin = f"<b>{label}</b>: "
    head = (
        f"<h2>{escape(c['cluster'])}: {c['size']} members, {c['passages']} passages</h2>"
        f"<p class=meta>{origin}"
        f"{escape(c['direction']['reason'])}; sites: {escape(', '.join(c['sites']))}</p>"
    )
    table = (
        "<table><tr><th>#</th><th>document</th><th>site</th><th>date</th><th>offsets</th>"
        "<th>coverage</th><th>edits</th><th>excerpt</th></tr>" + "".join(rows) + "</table>"
    )
    return head + timeline_svg(c["members"]) + table


def render_report(
    clusters: Sequence[dict[str, Any]],
    nodes: Sequence[SiteNode],
    edges: Sequence[SiteEdge],
    summary: dict[str, Any],
    top: int = 30,
) -> str:
    """The whole report as one HTML page."""
    facts = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in summary.items()
    )
    edge_rows = "".join(
        f"<tr><td>{escape(e['source'])}</td><td>{escape(e['target'])}</td><td>{e['passages']}</td>"
        f"<td>{100 * e['derived_share']:.2f}%</td></tr>"
        for e in sorted(edges, key=lambda e: (-e["passages"], e["source"], e["target"]))[:50]
    )
    body = [
        "<!doctype html><html><head><meta charset=utf-8><title>unspin reuse clusters</title>",
        f"<style>{_CSS}</style></head><body><h1>Who copies whom</h1><table>{facts}</table>",
        "<h2>Site graph</h2>",
        site_graph_svg(nodes, edges),
        "<table><tr><th>from</th><th>to</th><th>passages</th><th>share of target derived</th>"
        f"</tr>{edge_rows}</table>",
        f"<h2>Largest clusters (top {min(top, len(clusters))} of {len(clusters)})</h2>",
    ]
    body.extend(_cluster_html(c) for c in clusters[:top])
    body.append("</body></html>\n")
    return "\n".join(body)
