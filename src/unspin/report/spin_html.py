"""The HTML view of ``unspin score``: each text with its suspicious spans marked, a probability
bar, and a table of the spans with their likely original wording. One self-contained file,
built like :mod:`.html` (inline CSS, no scripts, every piece of text escaped, reasons carried by
a text tag and a border style as well as a colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .html import _e, page
from .json_report import clamp_share

if TYPE_CHECKING:
    from ..spinscore.score import SpinScore, SpinSpan

# What each span reason means to a reader, and its short tag.
REASONS: dict[str, tuple[str, str]] = {
    "rare_synonym": ("rare word where a common synonym is expected", "rare"),
    "rare_collocation": ("odd among its neighbours (per-word model)", "odd"),
    "phrase_swap": ("thesaurus phrase standing for one word", "phrase"),
    "broken_entity": ("word swapped inside a name", "name"),
    "character_noise": ("character noise (typo, digit inside a word)", "noise"),
}


def render_spin_html(
    scored: Sequence[tuple[str, str, SpinScore]], *, title: str = "unspin spin score"
) -> str:
    """One page for ``(name, text, score)`` triples: the text with its spans marked and linked
    to a table of reasons and suggested originals, heaviest first."""
    sections = [_section(i, name, text, score) for i, (name, text, score) in enumerate(scored)]
    legend = "".join(
        f'<li><mark class="spin spin-{reason}">{_e(tag)}</mark> {_e(meaning)}</li>'
        for reason, (meaning, tag) in REASONS.items()
    )
    return page(
        title,
        [
            "<main>",
            f"<h1>{_e(title)}</h1>",
            "<p>The probability is calibrated on held-apart Reuters paragraphs spun by unspin's "
            "own thesaurus spinner; a span is a stretch that looks spun, numbered in reading "
            "order and listed below each text with its likely original wording.</p>",
            f'<ul class="legend">{legend}</ul>',
            *sections,
            "</main>",
        ],
    )


def _section(i: int, name: str, text: str, score: SpinScore) -> str:
    share = clamp_share(score.probability)
    spans = _drawable(score.spans, len(text))
    short = (
        " (short text: the probability was calibrated on paragraphs of 60+ words, so it is "
        "less reliable)"
        if score.short
        else ""
    )
    note = f'<dt>Note</dt><dd class="note">{_e(score.note)}</dd>' if score.note else ""
    bar = (
        f'<span class="bar" role="img" aria-label="spin probability {share:.0%}">'
        f'<span style="width:{share * 100:.1f}%"></span></span>'
        f'<span class="pct">{share:.2f}</span>'
    )
    return (
        f'<section id="text-{i}" aria-labelledby="text-{i}-h">'
        f'<h2 id="text-{i}-h">{_e(name)}</h2>'
        f'<dl class="summary"><dt>Spin probability</dt><dd>{bar} ({_e(score.model)} model)</dd>'
        f"<dt>Content words</dt><dd>{score.content_words}{short}</dd>"
        f"<dt>Suspicious spans</dt><dd>{len(spans)}</dd>{note}</dl>"
        f'<div class="text">{_marked(i, text, spans)}</div>'
        f"{_table(i, spans)}</section>"
    )


def _drawable(spans: Sequence[SpinSpan], length: int) -> list[SpinSpan]:
    """Spans inside the text, in reading order, none overlapping one already kept."""
    out: list[SpinSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if 0 <= span.start < span.end <= length and (not out or span.start >= out[-1].end):
            out.append(span)
    return out


def _marked(i: int, text: str, spans: list[SpinSpan]) -> str:
    out: list[str] = []
    cursor = 0
    for k, span in enumerate(spans, start=1):
        out.append(_e(text[cursor : span.start]))
        reason = span.reason if span.reason in REASONS else "other"
        out.append(
            f'<mark class="spin spin-{reason}" id="t{i}-m{k}">{_e(text[span.start : span.end])}'
            f'</mark><sup class="lab"><a href="#t{i}-s{k}">{k}</a></sup>'
        )
        cursor = span.end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _table(i: int, spans: list[SpinSpan]) -> str:
    if not spans:
        return "<p>No span looks spun.</p>"
    order = sorted(range(len(spans)), key=lambda k: -spans[k].weight)
    rows = []
    for k in order:
        span = spans[k]
        meaning = REASONS.get(span.reason, (span.reason, ""))[0]
        originals = ", ".join(span.suggestions) or "–"
        rows.append(
            f'<tr id="t{i}-s{k + 1}"><td><a href="#t{i}-m{k + 1}">{k + 1}</a></td>'
            f"<td>{_e(span.phrase)}</td><td>{_e(meaning)}</td><td>{span.weight:.2f}</td>"
            f"<td>{_e(originals)}</td></tr>"
        )
    return (
        '<div class="scroll"><table><caption>Spans, heaviest first</caption>'
        "<thead><tr><th>#</th><th>phrase</th><th>why</th><th>weight</th>"
        "<th>likely original</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
