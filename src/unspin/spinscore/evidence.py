"""Suspicious stretches of a text (:class:`Evidence`): character noise, and the per-word
model's say on which words were swapped (:func:`model_evidence`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from string import ascii_lowercase

import numpy as np

from ..lexicon import commonest, zipf
from ..text import Tokens
from .originals import neighbours, top_originals_each
from .reverse_thesaurus import Candidate, ReverseThesaurus

# A rare word is noise when a word at least _NOISE_NEIGHBOUR frequent is one typo away, and
# _NOISE_GAIN more frequent than it (Zipf units: 1,000 times). Web text lists common
# misspellings ("siad" 2.1, "tnos" 1.2), so "unknown" alone missed half of the typos; rarer
# than _NOISE_RARE keeps common words out. A capitalised word needs more (_capitalised_fix).
# What the text around says (a contraction, a thesaurus word, a repeat) is weighed by the
# scan. Chosen on Reuters development files (reut2-003..006) with PAN source books and
# Clough-Stevenson answers as originals; figures in docs/benchmarks.md 17.7.
_NOISE_NEIGHBOUR = 3.0
_NOISE_GAIN = 3.0
_NOISE_RARE = 3.0
_NOISE_CAPITALISED = 4.0
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


def _edits1(word: str, first: int = 0) -> set[str]:
    """Words one typo away: a letter deleted (a doubled one), two neighbours swapped back, or
    a letter put back inside the word (a dropped one; typos keep the first letter). Letters
    before ``first`` and, when it is 1, the last one are left as they are."""
    last = len(word) - first
    out = {word[:i] + word[i + 1 :] for i in range(first, last)}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(first, last - 1)}
    out |= {word[:i] + c + word[i:] for i in range(1, len(word)) for c in ascii_lowercase}
    return out


# Longer words are one typo from no listed word: the longest word of the frequency table has
# 34 letters (the longest of Zipf 3 or more, 18), and a typo adds or drops one. Without this
# bound a word of 80,000 letters (a text without spaces) had 2 million neighbours of 80,000
# letters each made: `score` of it was killed at 24 GB.
_MAX_NOISY_LETTERS = 35


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
    if not lower.isascii() or not lower.isalpha() or not 4 <= len(lower) <= _MAX_NOISY_LETTERS:
        return None
    own = zipf(lower)
    if raw[0].isupper():
        return _capitalised_fix(raw, lower, own)
    if own > _NOISE_RARE:
        return None
    found = commonest(_edits1(lower))
    if found is None:
        return None
    best, best_zipf = found
    return best if best_zipf >= _NOISE_NEIGHBOUR and best_zipf - own >= _NOISE_GAIN else None


def _capitalised_fix(raw: str, lower: str, own: float) -> str | None:
    """A capitalised word is a name more often than a typo: noise only when it is unknown in
    every case, and putting back one letter inside it (first and last letters kept, as typos
    keep them) gives a word among the commonest ("Wliliam", "Connecitcut"), never a company
    name a letter from a word at either end ("Cenergy", "Versar")."""
    if own > 0.0 or not raw[1:].islower():
        return None
    found = commonest(_edits1(lower, first=1))
    if found is None or found[1] < _NOISE_CAPITALISED:
        return None
    return found[0].capitalize()


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
