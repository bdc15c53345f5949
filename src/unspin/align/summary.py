"""Summaries: a short run of target sentences condensing a long stretch of the source.

Ordinary extension cannot find them (their seeds spread far apart in the source), so seeds
are grouped on the target side only, and a group counts as a summary unless its evidence
sits in one source stretch about as long as itself: that is ordinary reuse.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict

import numpy as np

from .config import AlignConfig
from .fragments import _Fragment, _fragment_cosine, counter_cosine
from .seed_groups import _split_by_gap
from .units import Prepared, _len, unit_arrays


def _summarise(
    src: Prepared,
    tgt: Prepared,
    seed_cos: dict[tuple[int, int], float],
    cfg: AlignConfig,
) -> list[_Fragment]:
    """Fragments for summaries: a short run of target sentences condensing a long source.

    A summary's sentences sit together in the target but draw on sentences spread across the
    source, so seeds are grouped on the target side only and a group is a summary when the
    source stretch it draws on is much longer than itself. When that stretch covers much of
    the source, the summary is taken to condense the whole document.
    """
    out: list[_Fragment] = []
    n_src = len(src.spans)
    # The pooled terms of a summary of the whole document, built once (a 500 KB source has
    # thousands of units and every group would otherwise pool them again).
    whole: Counter[str] | None = None
    whole_norm = 0.0
    for group in _split_by_gap(list(seed_cos), 1, cfg.summary_target_gap):
        si = (min(p[0] for p in group), max(p[0] for p in group))
        tj = (min(p[1] for p in group), max(p[1] for p in group))
        sources = {p[0] for p in group}
        if len(sources) < cfg.summary_min_sources:
            continue
        if not cfg.summary_of_adjacent_sentences and _adjacent_in_one(sources, tj, si):
            continue
        # Copied sentences are not a summary: most target sentences of a summary rewrite
        # what they condense, so their best seeds stay well below verbatim similarity.
        best: dict[int, float] = {}
        for i, j in group:
            best[j] = max(best.get(j, 0.0), seed_cos[(i, j)])
        if sorted(best.values())[len(best) // 2] >= cfg.summary_max_cosine:
            continue
        if _len(tgt, tj) >= cfg.summary_ratio * _len(src, si):
            continue
        if (
            _concentration(src, group, seed_cos, int(cfg.summary_window * _len(tgt, tj)))
            > cfg.summary_max_concentration
        ):
            continue
        width = int(cfg.summary_word_window * _len(tgt, tj))
        if _word_share(src, tgt, tj, width) > cfg.summary_max_word_share:
            continue
        if si[1] - si[0] + 1 >= cfg.summary_doc_share * n_src:
            si = (0, n_src - 1)
            if whole is None:
                whole = _whole(src)
                whole_norm = math.sqrt(sum(x * x for x in whole.values()))
            sim = counter_cosine(whole, _pooled(tgt, tj), norm_a=whole_norm)
        else:
            sim = _fragment_cosine(src, tgt, si, tj)
        if sim > cfg.summary_validate_cosine:
            out.append(_Fragment(si, tj, sim, len(group)))
    return out


def _adjacent_in_one(sources: set[int], tj: tuple[int, int], si: tuple[int, int]) -> bool:
    """Whether a seed group lies in one target sentence and a run of adjacent source
    sentences, each with a seed (ordinary reuse of that run, scrambled across sentence ends).
    A sentence that seeds against sentences all over the source (a phrase the source repeats)
    stays a summary candidate.

    >>> _adjacent_in_one({4, 5, 6}, (9, 9), (4, 6))
    True
    >>> _adjacent_in_one({4, 5, 7}, (9, 9), (4, 7)), _adjacent_in_one({4, 5, 6}, (9, 10), (4, 6))
    (False, False)
    """
    return tj[0] == tj[1] and si[1] - si[0] + 1 == len(sources)


def _concentration(
    src: Prepared,
    group: list[tuple[int, int]],
    seed_cos: dict[tuple[int, int], float],
    width: int,
) -> float:
    """Largest share of a seed group's weight drawn from one source stretch of ``width``
    characters (1.0: everything comes from one place)."""
    weight: dict[int, float] = defaultdict(float)
    for i, j in group:
        weight[i] += seed_cos[(i, j)]
    units = sorted(weight)
    total = sum(weight.values()) or 1.0
    best = window = 0.0
    lo = 0
    for hi, i in enumerate(units):
        window += weight[i]
        while src.spans[i][1] - src.spans[units[lo]][0] > width and lo < hi:
            window -= weight[units[lo]]
            lo += 1
        best = max(best, window)
    return best / total


def _pooled(p: Prepared, r: tuple[int, int]) -> Counter[str]:
    """The term counts of units ``r`` (inclusive) pooled, as :func:`_fragment_cosine` pools
    them (same order, so the same cosine to the last bit)."""
    out: Counter[str] = Counter()
    for i in range(r[0], r[1] + 1):
        out.update(p.terms[i])
    return out


def _whole(p: Prepared) -> Counter[str]:
    """``_pooled(p, (0, len(p.spans) - 1))``, the same counts in the same order, summed in
    numpy from the unit arrays (a whole 500 KB source is thousands of units)."""
    arrays = unit_arrays(p)
    counts = np.bincount(arrays.word, weights=arrays.count, minlength=len(arrays.vocabulary))
    return Counter(dict(zip(arrays.vocabulary, counts.astype(np.int64).tolist(), strict=True)))


def _word_share(src: Prepared, tgt: Prepared, tj: tuple[int, int], width: int) -> float:
    """Largest share of the content words of target units ``tj`` (counted with repeats, those
    the source has at all) that one source stretch of ``width`` characters holds (at least one
    unit); 1.0: one place in the source has every word the target took from it."""
    words = _pooled(tgt, tj)
    arrays = unit_arrays(src)
    ids = [arrays.vocabulary[w] for w in words if w in arrays.vocabulary]
    total = sum(words[w] for w in words if w in arrays.vocabulary)
    if not total:
        return 0.0
    # Slide a window over the source (its end only moves forward as its start does),
    # counting per target word the units inside that hold it. Only windows that start at a
    # unit holding one of the words are looked at: any other window holds no more than the
    # one starting at the next such unit (its end is no further). Counts are integers, so
    # the order the shared words are met in does not matter.
    units = np.unique(arrays.unit[np.isin(arrays.word, ids)]).tolist()
    ends = [b for _, b in src.spans]
    n_src = len(ends)
    wanted = words.keys()
    best = held = 0
    inside: Counter[str] = Counter()
    k = 0
    for lo in units:
        hi = max(lo + 1, bisect_right(ends, src.spans[lo][0] + width))
        while k < len(units) and units[k] < hi:
            for w in wanted & src.terms[units[k]].keys():
                inside[w] += 1
                held += words[w] if inside[w] == 1 else 0
            k += 1
        best = max(best, held)
        if best == total or hi >= n_src:
            break
        for w in wanted & src.terms[lo].keys():
            inside[w] -= 1
            held -= words[w] if inside[w] == 0 else 0
    return best / total
