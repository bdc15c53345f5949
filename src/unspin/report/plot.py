"""The reordering dot plot of the HTML report, as inline SVG.

Each passage is a line from its start to its end: across, its offset in the article; up, its
offset in its source as a share of the source's length (sources differ in length, so shares
put them on one scale). Copying in order gives lines climbing left to right; a line below its
left neighbour means the article moved that material. Each source has a colour *and* a marker
shape, so the plot still reads in greyscale or with a colour-vision deficiency.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..types import SourceMatch, TraceResult

# Okabe-Ito palette (colour-blind safe), same order as the src0..src7 classes of report.css.
COLOURS: tuple[str, ...] = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#999999",
)
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "down", "cross")

_W, _H = 640, 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 16, 16, 48


def marker_svg(index: int, size: int = 14) -> str:
    """A small standalone SVG of source ``index``'s marker, for legends."""
    half = size / 2
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}" aria-hidden="true">'
        f"{_marker(index, half, half, half - 1)}</svg>"
    )


def dot_plot(
    result: TraceResult, sources: list[SourceMatch], source_texts: Mapping[int, str]
) -> str:
    """An SVG plotting every passage of ``sources`` (article offset against source offset)."""
    n = max(len(result.article), 1)
    width, height = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(offset: int) -> float:
        return _LEFT + width * min(max(offset / n, 0.0), 1.0)

    def y(share: float) -> float:
        return _TOP + height * (1.0 - min(max(share, 0.0), 1.0))

    parts = [
        f'<svg class="plot" viewBox="0 0 {_W} {_H}" role="img" '
        'aria-labelledby="plot-title plot-desc">',
        '<title id="plot-title">Passages: article offset against source offset</title>',
        '<desc id="plot-desc">One line per reused passage, drawn in its source\'s colour with '
        "its source's marker at the middle; the legend below names the markers.</desc>",
        f'<rect x="{_LEFT}" y="{_TOP}" width="{width}" height="{height}" fill="#fff" '
        'stroke="#555"/>',
    ]
    for share in (0.0, 0.5, 1.0):
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y(share) + 4:.1f}" text-anchor="end">{share:.0%}</text>'
        )
        offset = round(share * len(result.article))
        parts.append(
            f'<text x="{x(offset):.1f}" y="{_TOP + height + 16}" text-anchor="middle">'
            f"{offset:,}</text>"
        )
    parts.append(
        f'<text x="{_LEFT + width / 2:.1f}" y="{_H - 8}" text-anchor="middle">'
        "article offset (characters)</text>"
    )
    parts.append(
        f'<text transform="translate(14 {_TOP + height / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">source offset (share)</text>'
    )
    for i, source in enumerate(sources):
        length = _source_length(source, source_texts)
        colour = COLOURS[i % len(COLOURS)]
        for pi, p in enumerate(source.passages):
            x1, x2 = x(p.target_start), x(p.target_end)
            y1, y2 = y(p.source_start / length), y(p.source_end / length)
            label = (
                f"S{source.rank} passage {pi + 1}: article {p.target_start:,}–{p.target_end:,},"
                f" source {p.source_start:,}–{p.source_end:,}"
            )
            parts.append(
                f"<g><title>{html.escape(label, quote=True)}</title>"
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
                f"{_marker(i, (x1 + x2) / 2, (y1 + y2) / 2, 5)}</g>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _source_length(source: SourceMatch, source_texts: Mapping[int, str]) -> int:
    """The best known length of a source (stored, else its text, else its furthest passage)."""
    text = source_texts.get(source.document.key)
    known = source.document.length or (len(text) if text is not None else 0)
    furthest = max((p.source_end for p in source.passages), default=0)
    return max(known, furthest, 1)


def _marker(index: int, cx: float, cy: float, r: float) -> str:
    colour = COLOURS[index % len(COLOURS)]
    shape = SHAPES[index % len(SHAPES)]
    style = f'fill="{colour}" stroke="#1b1b1b" stroke-width="1"'
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" {style}/>'
    if shape == "square":
        return f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    points = {
        "triangle": [(0, -r), (r, r), (-r, r)],
        "down": [(0, r), (r, -r), (-r, -r)],
        "diamond": [(0, -r), (r, 0), (0, r), (-r, 0)],
        "cross": [
            (-r / 3, -r),
            (r / 3, -r),
            (r / 3, -r / 3),
            (r, -r / 3),
            (r, r / 3),
            (r / 3, r / 3),
            (r / 3, r),
            (-r / 3, r),
            (-r / 3, r / 3),
            (-r, r / 3),
            (-r, -r / 3),
            (-r / 3, -r / 3),
        ],
    }[shape]
    coords = " ".join(f"{cx + dx:.1f},{cy + dy:.1f}" for dx, dy in points)
    return f'<polygon points="{coords}" {style}/>'
