"""Suspicious stretches of a text (:class:`Evidence`): character noise, and the per-word
model's say on which words were swapped (:func:`model_evidence`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ..lexicon import zipf
from ..text import Tokens
from .originals import neighbours, top_originals_each
from .reverse_thesaurus import Candidate, ReverseThesaurus

# An unknown word is noise when a word this frequent is one edit away.
_NOISE_NEIGHBOUR = 3.0
_INNER_DIGITS = re.compile(r"[^\W\d_]+\d{1,2}[^\W\d_]+")
# Spans from the per-word model's probability (under its training prior) that a word was
# swapped: at least _SPAN_ADD makes a span where the frequency rule saw none, under _SPAN_KEEP
# drops the rule's span. Chosen on development files reut2-003..006 (240 paragraphs spun at
# 10%, contextual model): span precision 0.50 -> 0.72, recall 0.49 -> 0.81, spans on an
# unspun paragraph 1.62 -> 0.90.
_SPAN_ADD = 0.5
_SPAN_KEEP = 0.2


@dataclass(frozen=True, slots=True)
class Evidence:
    """One suspicious stretch: offsets into the text, why, and the likely originals."""

    start: int
    end: int
    reason: str
    suggestions: tuple[str, ...]
    weight: float


def _edits1(word: str) -> set[str]:
    """Words one deletion or one adjacent transposition away (the typos spinners add)."""
    out = {word[:i] + word[i + 1 :] for i in range(len(word))}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return out


# A text's tokens recur across texts ("the", names, numbers): each raw token's answer is kept.
@lru_cache(maxsize=200_000)
def noise_fix(raw: str) -> str | None:
    """The common word a noisy token most likely was, or None when it is not noise."""
    lower = raw.lower()
    if any(c.isdigit() for c in lower) and any(c.isalpha() for c in lower):
        # A spinner's typo puts one digit between letters ("govern3ment"); digits at an edge or
        # in a longer run are names and codes ("B737", "G20", "reuters21578", "COVID19").
        if not _INNER_DIGITS.fullmatch(lower):
            return None
        letters = "".join(c for c in lower if c.isalpha())
        if len(letters) >= 3 and zipf(letters) >= _NOISE_NEIGHBOUR:
            return letters
        return None
    if not lower.isalpha() or len(lower) < 4 or zipf(lower) > 0.0 or raw[0].isupper():
        return None
    best = max(_edits1(lower), key=zipf)
    return best if zipf(best) >= _NOISE_NEIGHBOUR else None


# A span's candidate originals and the words either side of it, from which its suggestions
# are ranked (:func:`.originals.top_originals_each`).
ToRank = tuple[list[Candidate], tuple[str | None, str | None]]


def with_suggestions(
    evidence: list[Evidence],
    pending: Mapping[tuple[int, int], ToRank],
    stems: frozenset[str],
    more: Sequence[ToRank] = (),
) -> tuple[list[Evidence], list[tuple[str, ...]]]:
    """``evidence`` with the suggestions of its spans found in ``pending`` (by start and
    end) ranked from their candidates, and the suggestions of the ``more`` spans, all from
    one ranking (each span's suggestions are its own: the same as ranked alone)."""
    todo = [k for k, e in enumerate(evidence) if (e.start, e.end) in pending]
    spots = [pending[evidence[k].start, evidence[k].end] for k in todo]
    ranked = top_originals_each([*spots, *more], stems)
    out = list(evidence)
    for k, suggestions in zip(todo, ranked, strict=False):
        out[k] = replace(out[k], suggestions=suggestions)
    return out, ranked[len(todo) :]


def model_evidence(
    text: str,
    evidence: list[Evidence],
    tokens: Tokens,
    stems: frozenset[str],
    spans: list[tuple[int, int]],
    probs: np.ndarray,
    rt: ReverseThesaurus,
    pending: Mapping[tuple[int, int], ToRank] | None = None,
) -> list[Evidence]:
    """``evidence`` (in reading order, from :mod:`.features`' scan of ``text``) re-weighed by
    the per-word model's probability ``probs`` that each word at ``spans`` was swapped: a
    frequency-rule word it finds unlikely is dropped, the others weigh its probability, and a
    word it finds likelier swapped than not becomes a ``rare_collocation`` span where the rule
    saw nothing. Spans in ``pending`` (the scan's, by start and end) get their suggestions
    here, if kept, ranked together with those of the added spans."""
    prob = dict(zip(spans, probs.tolist(), strict=True))
    out: list[Evidence] = []
    for e in evidence:
        p = prob.get((e.start, e.end))
        if p is None or e.reason != "rare_synonym":
            out.append(e)  # phrases, names and noise have no per-word probability
        elif p >= _SPAN_KEEP:
            out.append(replace(e, weight=round(p, 3)))
    # Evidence spans are whole tokens and do not overlap: a word is taken when the last span
    # starting at or before it reaches past its start.
    taken_starts = [e.start for e in out]
    taken_ends = [e.end for e in out]
    index = {start: k for k, start in enumerate(tokens.starts)}
    added = []
    for (a, b), p in prob.items():
        if p < _SPAN_ADD:
            continue
        k = bisect.bisect_right(taken_starts, a) - 1
        if k >= 0 and taken_ends[k] > a:
            continue
        added.append((a, b, p, index[a]))
    # The kept spans' suggestions and the added ones' ranked together (one lookup of every
    # candidate's fit).
    more = [(rt.candidates(tokens.norms[i]), neighbours(text, tokens, i, i)) for *_, i in added]
    out, suggested = with_suggestions(out, pending or {}, stems, more)
    for (a, b, p, _), suggestions in zip(added, suggested, strict=True):
        out.append(Evidence(a, b, "rare_collocation", suggestions, round(p, 3)))
    return sorted(out, key=lambda e: e.start)
