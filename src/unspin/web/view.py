"""Small helpers that shape results for the page templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..report.spin_html import REASONS
from ..types import TraceResult


@dataclass(frozen=True, slots=True)
class SpinSpanView:
    """One spin span for the page, and whether it lies in a stretch with no source."""

    start: int
    end: int
    phrase: str
    reason: str
    suggestions: tuple[str, ...]
    unsourced: bool

    @property
    def why(self) -> str:
        """The reason in words ("rare word where a common synonym is expected")."""
        return REASONS.get(self.reason, (self.reason, ""))[0]


@dataclass(frozen=True, slots=True)
class SpinView:
    """The spin score section: overall probability (or None) and the evidence spans."""

    probability: float | None
    verdict: str
    spans: tuple[SpinSpanView, ...]
    unsourced: tuple[tuple[int, int, float | None], ...]  # no-source stretches, their spin
    # Why a low probability sits beside strong spans (SpinScore.note), shown under the verdict so
    # that the page and `unspin score` say the same thing about one text.
    note: str | None = None
    model: str | None = None  # the model behind every number of the section ("contextual")


def spin_view(result: TraceResult, spin: dict[str, Any] | None) -> SpinView:
    """Combine the kept spin score with the result's no-source stretches.

    Without a kept score (``unspin.spinscore.score`` unavailable) the per-stretch spin probabilities in
    ``result.segments`` are still shown.
    """
    holes = tuple(
        (g.start, g.end, g.spin)
        for g in sorted(result.segments, key=lambda g: g.start)
        # Whitespace between two sourced passages is not a finding worth listing.
        if g.source_key is None and result.article[g.start : g.end].strip()
    )
    if spin is None:
        return SpinView(None, "not scored", (), holes)
    probability = float(spin.get("probability", 0.0))
    spans = tuple(
        SpinSpanView(
            int(s["start"]),
            int(s["end"]),
            str(s.get("phrase", "")),
            str(s.get("reason", "")),
            tuple(str(x) for x in s.get("suggestions", ())),
            any(a <= int(s["start"]) and int(s["end"]) <= b for a, b, _ in holes),
        )
        for s in spin.get("spans", ())
    )
    # Unsourced spans first: they are the stretches a reader cannot check against a source.
    spans = tuple(sorted(spans, key=lambda s: (not s.unsourced, s.start)))
    verdict = _verdict(probability)
    if spin.get("short_text"):
        verdict += " (a short text: the score is less reliable below 30 content words)"
    note = spin.get("note")
    model = spin.get("model")
    return SpinView(
        probability,
        verdict,
        spans,
        holes,
        str(note) if note else None,
        str(model) if model else None,
    )


def _verdict(p: float) -> str:
    if p >= 0.8:
        return "very likely spun"
    if p >= 0.5:
        return "likely spun"
    if p >= 0.2:
        return "possibly spun"
    return "unlikely to be spun"
