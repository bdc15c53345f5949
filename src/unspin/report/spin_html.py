"""The HTML view of ``unspin score``: each text with its suspicious spans marked, a probability
bar, and a table of the spans with their likely original wording. One self-contained file,
rendered from ``templates/spin_report.html.j2`` like the trace report (inline CSS, no scripts,
every piece of text escaped by the templates, reasons carried by a text tag and a border style
as well as a colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .html import _stylesheet
from .json_report import clamp_share
from .templating import Markup, render

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
    from ..spinscore.score import WINDOW_WORDS  # loaded already: the scores were made with it

    return render(
        "spin_report.html.j2",
        title=title,
        css=Markup(_stylesheet()),
        reasons=list(REASONS.items()),
        texts=[_text_view(name, text, score) for name, text, score in scored],
        clamp_share=clamp_share,
        window_words=WINDOW_WORDS,
    )


@dataclass(frozen=True, slots=True)
class SpanMark:
    """A span drawn in the text: its number in reading order and its reason's class."""

    number: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class SpanRow:
    """A row of a text's span table (heaviest first)."""

    number: int
    span: SpinSpan
    meaning: str
    originals: str


@dataclass(frozen=True, slots=True)
class SpinTextView:
    """One scored text as the template draws it."""

    name: str
    score: SpinScore
    pieces: list[str | SpanMark]
    rows: list[SpanRow]


def _text_view(name: str, text: str, score: SpinScore) -> SpinTextView:
    spans = _drawable(score.spans, len(text))
    pieces: list[str | SpanMark] = []
    cursor = 0
    for k, span in enumerate(spans, start=1):
        pieces.append(text[cursor : span.start])
        reason = span.reason if span.reason in REASONS else "other"
        pieces.append(SpanMark(k, reason, text[span.start : span.end]))
        cursor = span.end
    pieces.append(text[cursor:])
    rows = [
        SpanRow(
            k + 1,
            spans[k],
            REASONS.get(spans[k].reason, (spans[k].reason, ""))[0],
            ", ".join(spans[k].suggestions) or "–",
        )
        for k in sorted(range(len(spans)), key=lambda k: -spans[k].weight)
    ]
    return SpinTextView(name, score, pieces, rows)


def _drawable(spans: Sequence[SpinSpan], length: int) -> list[SpinSpan]:
    """Spans inside the text, in reading order, none overlapping one already kept."""
    out: list[SpinSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if 0 <= span.start < span.end <= length and (not out or span.start >= out[-1].end):
            out.append(span)
    return out
