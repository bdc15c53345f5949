"""Sentence alignment across languages: which sentence of the article translates which
sentence of the source.

Each sentence of both texts is encoded (:mod:`.embed`); a pair can align when the cosine of
their vectors is at least :data:`MIN_SIMILARITY`. Of those pairs, the alignment keeps the
in-order set (both texts read forwards, sentences skipped on either side) with the largest
sum of ``similarity - MIN_SIMILARITY`` (dynamic programming, as in Bleualign and
Vecalign): translators add, drop and merge sentences, but seldom reorder a news story, and
order removes the chance pairs of two look-alike sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embed import encode
from .sentences import spans, width

# On the development pairs of benchmarks/bench_xling.py (docs/benchmarks.md, 17) 90% of true
# sentence pairs score at least 0.90 (ru, fr, de), 0.89 (es), 0.85 (zh); 90% of the other
# pairs within an article at most 0.81 (zh) to 0.89 (fr). Order (below) removes most of those.
MIN_SIMILARITY = 0.82
# A translation is seldom more than twice as long as its source, counted in
# :func:`.sentences.width` (a CJK character as three letters): 99.9% of the WMT news segment
# pairs of benchmarks/bench_xling_news.py are within 2.5 times, the longest 3.75. A pair whose
# longer side exceeds this many times the shorter, plus the slack below for headlines, is
# not a translation, however close the vectors: the encoder reads only a long text's first
# 512 pieces, so a page of junk or a merged table can look like any short sentence.
MAX_LENGTH_RATIO = 4.0
LENGTH_SLACK = 40


@dataclass(frozen=True, slots=True)
class SentencePair:
    """One aligned pair: character offsets into the source and the article, and the cosine
    similarity of the two sentences."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    similarity: float


@dataclass(frozen=True, slots=True)
class Sentences:
    """A text's sentences: their offsets and unit vectors (one row each)."""

    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray
    widths: tuple[int, ...]  # each sentence's :func:`.sentences.width`

    @classmethod
    def of(cls, text: str) -> Sentences:
        found = tuple(spans(text))
        sentences = [text[a:b] for a, b in found]
        return cls(found, encode(sentences), tuple(width(s) for s in sentences))


def align(
    source: Sentences, target: Sentences, min_similarity: float = MIN_SIMILARITY
) -> list[SentencePair]:
    """The in-order one-to-one pairs of ``source`` and ``target`` sentences with the largest
    total margin over ``min_similarity``; sentences of too unequal lengths never pair
    (:data:`MAX_LENGTH_RATIO`)."""
    if not source.spans or not target.spans:
        return []
    sims = source.vectors @ target.vectors.T
    sims = np.where(comparable_lengths(source.widths, target.widths), sims, -1.0)
    return [
        SentencePair(*source.spans[i], *target.spans[j], float(sims[i, j]))
        for i, j in monotone_pairs(sims, min_similarity)
    ]


def comparable_lengths(source: Sequence[int], target: Sequence[int]) -> np.ndarray:
    """``(len(source), len(target))``: whether each pair of sentence widths could be a
    sentence and its translation.

    >>> comparable_lengths([50, 20_000], [60]).tolist()
    [[True], [False]]
    """
    a = np.asarray(source, dtype=np.float64)[:, None]
    b = np.asarray(target, dtype=np.float64)[None, :]
    return np.maximum(a, b) <= MAX_LENGTH_RATIO * np.minimum(a, b) + LENGTH_SLACK


def monotone_pairs(sims: np.ndarray, floor: float) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, increasing in both, with ``sims[i, j] >= floor`` and the
    largest sum of ``sims - floor``.

    >>> monotone_pairs(np.array([[0.9, 0.2], [0.95, 0.91]]), 0.82)
    [(0, 0), (1, 1)]
    """
    m, n = sims.shape
    gain = sims - floor
    best = np.zeros((m + 1, n + 1))
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            take = best[i - 1, j - 1] + gain[i - 1, j - 1] if gain[i - 1, j - 1] >= 0 else -1.0
            best[i, j] = max(best[i - 1, j], best[i, j - 1], take)
    pairs: list[tuple[int, int]] = []
    i, j = m, n
    while i > 0 and j > 0:
        g = gain[i - 1, j - 1]
        if g >= 0 and best[i, j] == best[i - 1, j - 1] + g:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def covered(pairs: Sequence[SentencePair], target_length: int) -> float:
    """Share of the article's characters inside aligned sentences."""
    if target_length <= 0:
        return 0.0
    return sum(p.target_end - p.target_start for p in pairs) / target_length
