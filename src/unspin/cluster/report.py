"""The HTML report of a cluster run: largest clusters with a timeline each, and the site graph
drawn as inline SVG. One self-contained file.

The markup lives in ``unspin/report/templates/cluster_report.html.j2`` and is rendered through
:mod:`unspin.report.templating`, like the trace and spin reports; this module works out what it
draws (positions, sizes, tooltips). Every piece of document text or metadata is untrusted: the
template escapes every value it writes with :func:`html.escape`.

>>> nodes = [SiteNode(site="a.example", documents=2, chars=900)]
>>> page = render_report([], nodes, [], {"documents": 2})
>>> page[page.index("<h1>") : page.index("<h2>")]
'<h1>Who copies whom</h1><table class=summary><tr><th>documents</th><td>2</td></tr></table>\\n'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from functools import cache
from importlib import resources
from typing import Any

from ..report.templating import Markup, render
from .graph import UNKNOWN_SITE, SiteEdge, SiteNode

MAX_SITES_DRAWN = 40  # beyond this the circle layout is unreadable; the CSV has them all
MAX_EDGES_LISTED = 50


@dataclass(frozen=True)
class TimelineDot:
    """One member on the timeline: red for the probable origin, blue otherwise."""

    x: float
    y: int
    fill: str
    tip: str


@dataclass(frozen=True)
class Timeline:
    """A cluster's members on a date axis (undated ones at the right, in ingest order)."""

    width: int
    height: int
    pad: int
    first_date: str | None  # label at the left end; None when no member is dated
    last_date: str | None  # label at the right end; None when all dates are one day
    dots: tuple[TimelineDot, ...]


@dataclass(frozen=True)
class GraphArrow:
    """An edge of the site graph, as wide as log(passages); a self-reuse edge is a loop."""

    x1: float
    y1: float
    x2: float  # the end point, stopped short of the target node (unused for a loop)
    y2: float
    width: float
    loop: bool
    tip: str


@dataclass(frozen=True)
class GraphSite:
    """A site on the circle, its label outside the circle (left or right of the node)."""

    x: float
    y: float
    label_x: float
    anchor: str
    name: str


@dataclass(frozen=True)
class SiteGraph:
    """The site graph: sites on a circle, arrows from copied site to copying site."""

    size: int
    arrows: tuple[GraphArrow, ...]
    sites: tuple[GraphSite, ...]


def _day(d: str | None) -> int | None:
    """The day a normalised date names, as an ordinal; a year or a month (``1987``,
    ``1987-02``: what the store keeps of a date given so) is placed at its first day, not
    among the undated members at the right end, where an origin dated so was drawn after
    its copies."""
    if not d:
        return None
    day = d[:10]
    day += {4: "-01-01", 7: "-01"}.get(len(day), "")
    try:
        return Date.fromisoformat(day).toordinal()
    except ValueError:
        return None


def timeline_view(members: Sequence[dict[str, Any]], width: int = 700) -> Timeline:
    """Where each member of a cluster goes on its timeline."""
    days = [_day(m["date"]) for m in members]
    known = [d for d in days if d is not None]
    lo, hi = (min(known), max(known)) if known else (0, 0)
    pad = 30
    span = max(1, hi - lo)
    undated = [i for i, d in enumerate(days) if d is None]
    dots = []
    for i, (m, d) in enumerate(zip(members, days, strict=True)):
        x: float
        if d is None:
            x = width - pad - 6 * (len(undated) - undated.index(i) - 1)
        else:
            x = pad + (width - 2 * pad) * (d - lo) / span
        dots.append(
            TimelineDot(
                x=x,
                y=30 - 8 * (i % 3) if d is not None else 30,
                fill="#d62728" if m["origin"] else "#1f77b4",
                tip=f"{m['id']} ({m['site'] or '?'}, {m['date'] or 'undated'})",
            )
        )
    return Timeline(
        width=width,
        height=54,
        pad=pad,
        first_date=members[days.index(lo)]["date"] if known else None,
        last_date=members[days.index(hi)]["date"] if known and hi != lo else None,
        dots=tuple(dots),
    )


def site_graph_view(
    nodes: Sequence[SiteNode], edges: Sequence[SiteEdge], size: int = 520
) -> SiteGraph:
    """Where the most connected sites go on the circle, and the arrows between them."""
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
    arrows = []
    for e in edges:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        tip = (
            f"{e['source']} -> {e['target']}: {e['passages']} passages, "
            f"{100 * e['derived_share']:.2f}% of {e['target']} derived"
        )
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        loop = e["source"] == e["target"]
        if not loop:
            # Stop short of the target node so the arrow head stays visible.
            d = math.hypot(x2 - x1, y2 - y1) or 1.0
            x2, y2 = x2 - (x2 - x1) * 8 / d, y2 - (y2 - y1) * 8 / d
        arrows.append(GraphArrow(x1, y1, x2, y2, 1 + math.log1p(e["passages"]), loop, tip))
    sites = tuple(
        GraphSite(x, y, x + (9 if x >= c else -9), "start" if x >= c else "end", s)
        for s, (x, y) in pos.items()
    )
    return SiteGraph(size=size, arrows=tuple(arrows), sites=sites)


def site_graph_note(nodes: Sequence[SiteNode], edges: Sequence[SiteEdge]) -> str | None:
    """The sentence said in place of the site graph where a picture would show no arrow
    between two sites (None: draw it). A corpus of one site drew a 520-pixel square holding
    one dot, and one without reuse across sites a ring of dots: space with nothing to see.

    >>> site_graph_note([SiteNode(site="a.example", documents=3, chars=900)], [])
    'All 3 documents are from one site, a.example: no copying between sites to draw.'
    """
    if any(e["source"] != e["target"] for e in edges):
        return None
    if not nodes:
        return "No documents, so no sites: no copying between sites to draw."
    if len(nodes) == 1 and nodes[0]["site"] == UNKNOWN_SITE:
        said = "No document has a site (a URL or a site field): no copying between sites to draw."
    elif len(nodes) == 1:
        documents = nodes[0]["documents"]
        which = "The document is" if documents == 1 else f"All {documents} documents are"
        said = f"{which} from one site, {nodes[0]['site']}: no copying between sites to draw."
    else:
        said = f"None of the {len(nodes)} sites took a passage from another: no graph to draw."
    within = sum(e["passages"] for e in edges)
    return said + (f" Passages reused within a site: {within} (the table below)." if within else "")


def _edit_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """A member's edit labels, most frequent first."""
    return sorted(counts.items(), key=lambda x: -x[1])


@cache
def _stylesheet() -> str:
    return (
        resources.files("unspin.report").joinpath("templates/cluster_report.css").read_text("utf-8")
    )


def render_report(
    clusters: Sequence[dict[str, Any]],
    nodes: Sequence[SiteNode],
    edges: Sequence[SiteEdge],
    summary: dict[str, Any],
    top: int = 30,
) -> str:
    """The whole report as one HTML page."""
    shown = clusters[:top]
    graph = site_graph_view(nodes, edges)
    return render(
        "cluster_report.html.j2",
        css=Markup(_stylesheet()),
        summary=summary,
        graph=graph,
        graph_note=site_graph_note(nodes, edges),
        # What the picture and the table leave out is said, not cut silently: the CSV has all.
        sites_total=len(nodes),
        edges_total=len(edges),
        edges=sorted(edges, key=lambda e: (-e["passages"], e["source"], e["target"]))[
            :MAX_EDGES_LISTED
        ],
        clusters=shown,
        total=len(clusters),
        timelines=[timeline_view(c["members"]) for c in shown],
        edit_counts=_edit_counts,
        unknown_site=UNKNOWN_SITE,  # a member without a site, as the site graph names it
    )
