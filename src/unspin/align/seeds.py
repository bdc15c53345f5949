"""Seeds: the sentence pairs similar enough to start a passage.

A pair seeds on its tf-isf cosine and Dice coefficient; a weaker pair seeds next to a seed on
the diagonal (or anti-diagonal), and a seed must be nearly the best pairing of both its
sentences. Moby synonyms can optionally count as down-weighted matches, for thesaurus spinning
(under a floor of plain cosine, only in pairs whose other words run in the same order).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..lexicon import thesaurus
from ..text import is_number
from .config import AlignConfig
from .copies import MANY_COPIES, copy_pairs
from .units import Prepared, UnitArrays, unit_arrays, window_words, word_postings

# Diagonal steps (source, target) at which a seed vouches for a weaker pair.
_STEPS = ((1, 1), (1, 2), (2, 1), (2, 2))


@dataclass(frozen=True, slots=True)
class _Weighted:
    """One side of a pair of texts weighed by tf-isf over both: every entry's weight, every
    unit's norm (1.0 for a unit without terms)."""

    p: Prepared
    arrays: UnitArrays
    weight: np.ndarray  # entry -> tf * isf
    norm: np.ndarray  # unit -> sqrt of the sum of its squared weights

    def vector(self, i: int) -> dict[str, float]:
        """Unit ``i``'s weighted vector, word -> weight, in the order of its term counts."""
        a = self.arrays
        lo, hi = np.searchsorted(a.unit, (i, i + 1))
        return dict(zip(self.p.terms[i], self.weight[lo:hi].tolist(), strict=True))


def _weights(src: Prepared, tgt: Prepared) -> tuple[_Weighted, _Weighted, np.ndarray]:
    """tf-isf weighted, unnormalised vectors of both sides with their norms, and the target
    word id of each source word id (-1 where the target lacks the word).

    Computed in bulk but to the last bit as ``{w: tf * isf[w]}`` per unit and
    ``math.sqrt(sum(x * x ...))`` were: the products are the same, numpy's ``bincount`` adds
    them one by one in the same order, and the logarithms come from ``math.log``."""
    sa, ta = unit_arrays(src), unit_arrays(tgt)
    shared = {w: k for w, k in ta.vocabulary.items() if w in sa.vocabulary}
    s_to_t = np.full(len(sa.vocabulary), -1, dtype=np.int64)
    t_ids = np.fromiter(shared.values(), dtype=np.int64, count=len(shared))
    s_ids = np.fromiter((sa.vocabulary[w] for w in shared), dtype=np.int64, count=len(shared))
    s_to_t[s_ids] = t_ids
    s_df = sa.units_with.copy()
    t_df = ta.units_with.copy()
    s_df[s_ids] += ta.units_with[t_ids]
    t_df[t_ids] += sa.units_with[s_ids]
    n = len(src.terms) + len(tgt.terms)
    # Smoothed: with few units (a short article) plain log(n/df) would zero every shared term.
    # One math.log per document frequency, not per word.
    top = int(max(s_df.max(initial=0), t_df.max(initial=0)))
    isf = np.asarray([0.0] + [math.log((n + 1) / d) for d in range(1, top + 1)])

    def side(p: Prepared, a: UnitArrays, df: np.ndarray) -> _Weighted:
        w = a.count * isf[df[a.word]]
        norm = np.sqrt(np.bincount(a.unit, weights=w * w, minlength=len(p.terms)))
        return _Weighted(p, a, w, np.where(norm == 0.0, 1.0, norm))

    sw, tw = side(src, sa, s_df), side(tgt, ta, t_df)
    return sw, tw, s_to_t


# Above this many (source unit, target unit) cells the dot products are summed over the
# pairs that occur (a sort) instead of into one array of every cell.
_DENSE_CELLS = 4_000_000
# Products taken at once: past this many, the source units are taken a run at a time. A
# list of 20,000 lines ("1. Item number 1 in the list", ...) compared with itself made 1.2
# billion products in one go (every line shares three words with every other): 24 GB.
_PRODUCTS_AT_ONCE = 5_000_000
# A word of more target units than this is frequent: past _PRODUCTS_AT_ONCE products, a
# source unit whose frequent words alone cannot reach the cosine asked for is paired only with
# the target units it shares a rarer word with (_pruned_products).
_FREQUENT = 64
# How far under the cosine asked for the bound of a unit's frequent words must stay: far
# more than the rounding of a sum of products.
_BOUND_MARGIN = 1e-6


def _shared_dots(
    sw: _Weighted, tw: _Weighted, s_to_t: np.ndarray, low: float, near: float | None
) -> list[tuple[int, int, float]]:
    """``(i, j, dot)`` for every source unit ``i`` and target unit ``j`` sharing a word whose
    cosine ``dot / (norm_i * norm_j)`` is over ``low`` (or at least ``near``, when given), in
    the order a loop over the source units, their words and each word's target units first
    meets them, each ``dot`` summed in that order (``bincount`` adds one by one, as the loop
    did). A 500 KB source against a 40 KB article makes half a million products: numpy sums
    them, and only the pairs near a seed's cosine come back to Python. Past
    :data:`_PRODUCTS_AT_ONCE` products, runs of whole source units are summed one after the
    other, and the pairs that share only frequent words, so that their cosine cannot reach
    ``low`` or ``near``, are not summed (:func:`_pruned_products`): the same sums in the same
    order, in bounded memory, and about linear time for a long list of like lines."""
    sa, ta = sw.arrays, tw.arrays
    entry_t = s_to_t[sa.word]
    mine = np.flatnonzero(entry_t >= 0)  # source entries whose word the target has
    if not len(mine):
        return []
    counts = ta.starts[entry_t[mine] + 1] - ta.starts[entry_t[mine]]
    if int(counts.sum()) <= _PRODUCTS_AT_ONCE:
        return _dots_of(sw, tw, *_products(ta, mine, entry_t[mine], counts), low, near)
    prunable = _prunable_units(sw, tw, entry_t, low if near is None else min(low, near))
    # A frequent word of a prunable unit makes a product or so per candidate: count it as one.
    pruned = prunable[sa.unit[mine]] & (counts > _FREQUENT)
    out: list[tuple[int, int, float]] = []
    for lo, hi in _unit_runs(sa.unit[mine], np.where(pruned, 1, counts)):
        run = mine[lo:hi]
        products = _pruned_products(sw, tw, run, entry_t[run], counts[lo:hi], pruned[lo:hi])
        out += _dots_of(sw, tw, *products, low, near)
    return out


def _products(
    ta: UnitArrays, mine: np.ndarray, words: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The source entry and the target entry of every product of the source entries
    ``mine``, whose words' target ids are ``words``, each with ``counts`` target entries: by
    source entry, then target entry."""
    total = int(counts.sum())
    occ = np.repeat(mine, counts)
    # Each product's place among its word's target entries: 0, 1, ... per source entry.
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return occ, ta.postings[np.repeat(ta.starts[words], counts) + offset]


def _prunable_units(sw: _Weighted, tw: _Weighted, entry_t: np.ndarray, cosine: float) -> np.ndarray:
    """Source unit -> whether its frequent words (in more than :data:`_FREQUENT` target
    units) together cannot give it a cosine of ``cosine`` with any target unit: each word's
    weight over the unit's norm, times the most that word weighs over a target unit's norm,
    summed, stays under ``cosine`` by a margin far above rounding."""
    sa, ta = sw.arrays, tw.arrays
    n_src = len(sw.p.terms)
    if cosine <= 0.0:
        return np.zeros(n_src, dtype=bool)
    most = np.zeros(len(ta.vocabulary))
    np.maximum.at(most, ta.word, tw.weight / tw.norm[ta.unit])
    word = np.maximum(entry_t, 0)
    frequent = (entry_t >= 0) & (ta.units_with[word] > _FREQUENT)
    share = np.where(frequent, sw.weight / sw.norm[sa.unit] * most[word], 0.0)
    bound = np.bincount(sa.unit, weights=share, minlength=n_src)
    return bound * (1.0 + _BOUND_MARGIN) < cosine


def _pruned_products(
    sw: _Weighted,
    tw: _Weighted,
    mine: np.ndarray,
    words: np.ndarray,
    counts: np.ndarray,
    pruned: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_products` less those of a pruned entry (a frequent word of a prunable unit:
    :func:`_prunable_units`) with a target unit its unit shares no rarer word with, whose
    cosine stays under the one asked for. The rest in the same order."""
    sa, ta = sw.arrays, tw.arrays
    occ, t_entry = _products(ta, mine[~pruned], words[~pruned], counts[~pruned])
    if not pruned.any():
        return occ, t_entry
    # The candidates of each prunable unit: the target units its rarer words are in.
    f_entry = mine[pruned]
    f_unit = sa.unit[f_entry]
    rare = np.isin(sa.unit[occ], f_unit)
    cand_src, cand_tgt = np.unique(
        np.stack([sa.unit[occ[rare]], ta.unit[t_entry[rare]]]), axis=1
    ).reshape(2, -1)
    # Every frequent entry of a unit against each candidate of the unit.
    lo = np.searchsorted(cand_src, f_unit)
    n = np.searchsorted(cand_src, f_unit, side="right") - lo
    total = int(n.sum())
    at_cand = np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(total, dtype=np.int64)
    # The candidate's entry of the word, where it has one, by its key (unit, word).
    n_words = len(ta.vocabulary)
    keys = ta.unit * n_words + ta.word
    order = np.argsort(keys, kind="stable")
    wanted = cand_tgt[at_cand] * n_words + np.repeat(words[pruned], n)
    place = np.minimum(np.searchsorted(keys, wanted, sorter=order), len(keys) - 1)
    found = keys[order[place]] == wanted
    occ = np.concatenate([occ, np.repeat(f_entry, n)[found]])
    t_entry = np.concatenate([t_entry, order[place][found]])
    by = np.lexsort((t_entry, occ))  # by source entry, then target entry, as before
    return occ[by], t_entry[by]


def _unit_runs(units: np.ndarray, counts: np.ndarray) -> list[tuple[int, int]]:
    """Slices of entries (``units``: each one's source unit, in order) that end where a unit
    does, each with about :data:`_PRODUCTS_AT_ONCE` products (``counts``) or fewer, but for
    a unit that has more alone.

    >>> _unit_runs(np.array([0, 0, 1, 2, 2]), np.array([3_000_000, 1, 2_500_000, 1, 1]))
    [(0, 2), (2, 5)]
    """
    ends = np.flatnonzero(np.diff(units)) + 1  # where a new unit starts
    bounds = [0, *ends.tolist(), len(units)]
    done = np.concatenate(([0], np.cumsum(counts)))
    runs: list[tuple[int, int]] = []
    lo = 0
    for a, b in itertools.pairwise(bounds):
        if b > lo and a > lo and done[b] - done[lo] > _PRODUCTS_AT_ONCE:
            runs.append((lo, a))
            lo = a
    runs.append((lo, len(units)))
    return runs


def _dots_of(
    sw: _Weighted,
    tw: _Weighted,
    occ: np.ndarray,
    t_entry: np.ndarray,
    low: float,
    near: float | None,
) -> list[tuple[int, int, float]]:
    """:func:`_shared_dots` of the products whose source and target entries are ``occ`` and
    ``t_entry`` (of whole source units, in order: :func:`_products`)."""
    sa, ta = sw.arrays, tw.arrays
    total = len(occ)
    if not total:
        return []
    products = sw.weight[occ] * tw.weight[t_entry]
    n_tgt = len(tw.p.terms)
    # Cells numbered from the run's first unit: a run of a long source needs fewer of them.
    first_unit = int(sa.unit[occ[0]])
    cell = (sa.unit[occ] - first_unit) * n_tgt + ta.unit[t_entry]
    cells = (int(sa.unit[occ[-1]]) - first_unit + 1) * n_tgt
    if cells <= _DENSE_CELLS:
        dots_all = np.bincount(cell, weights=products, minlength=cells)
        first_all = np.full(cells, total, dtype=np.int64)
        np.minimum.at(first_all, cell, np.arange(total, dtype=np.int64))
        present = np.flatnonzero(first_all < total)
        dots, first = dots_all[present], first_all[present]
    else:
        present, first, inverse = np.unique(cell, return_index=True, return_inverse=True)
        dots = np.bincount(inverse, weights=products)
    pair_i, pair_j = present // n_tgt + first_unit, present % n_tgt
    cos = dots / (sw.norm[pair_i] * tw.norm[pair_j])
    keep = cos > low
    if near is not None:
        keep |= cos >= near
    order = np.argsort(first[keep], kind="stable")
    return list(
        zip(
            pair_i[keep][order].tolist(),
            pair_j[keep][order].tolist(),
            dots[keep][order].tolist(),
            strict=True,
        )
    )


def _pair_dots(
    sw: _Weighted, tw: _Weighted, s_to_t: np.ndarray, low: float, near: float | None
) -> list[tuple[int, int, float]]:
    """:func:`_shared_dots`, but where a unit has more than ``MANY_COPIES`` copies on one
    side (a sentence written many times), each distinct unit is scored once and the copies
    pair by rank (:func:`unspin.align.copies.copy_pairs`)."""
    sa, ta = sw.arrays, tw.arrays
    if max(sa.most_copies, ta.most_copies) <= MANY_COPIES:
        return _shared_dots(sw, tw, s_to_t, low, near)
    s_first, t_first = _side_of_first_copies(sw), _side_of_first_copies(tw)
    group_dots = [
        (int(s_first.index[i]), int(t_first.index[j]), dot)
        for i, j, dot in _shared_dots(s_first.weighted, t_first.weighted, s_to_t, low, near)
    ]
    return copy_pairs(sa.first_copy.tolist(), ta.first_copy.tolist(), group_dots)


@dataclass(frozen=True, slots=True)
class _FirstCopies:
    """One side's first copies of its units, weighed as a side of their own."""

    weighted: _Weighted
    index: np.ndarray  # unit here -> its unit in the whole text


def _side_of_first_copies(w: _Weighted) -> _FirstCopies:
    """``w`` with only the first copy of each unit (the weights of the whole text: a copy
    weighs what its first copy does)."""
    a = w.arrays
    firsts = np.flatnonzero(a.first_copy == np.arange(len(a.first_copy)))
    renumber = np.full(len(a.first_copy), -1, dtype=np.int64)
    renumber[firsts] = np.arange(len(firsts))
    keep = renumber[a.unit] >= 0
    word = a.word[keep]
    arrays = UnitArrays(
        a.vocabulary,
        renumber[a.unit[keep]],
        word,
        a.count[keep],
        *word_postings(word, len(a.vocabulary)),
        np.arange(len(firsts), dtype=np.int64),
        1,
    )
    p = Prepared(w.p.text, terms=[w.p.terms[i] for i in firsts.tolist()])
    return _FirstCopies(_Weighted(p, arrays, w.weight[keep], w.norm[firsts]), firsts)


def _seeds(src: Prepared, tgt: Prepared, cfg: AlignConfig) -> dict[tuple[int, int], float]:
    """Sentence pairs (source index, target index) similar enough to seed a passage, with
    their cosine.

    With ``synonym_weight > 0``, a near-miss pair may also qualify through words that Moby
    lists as synonyms: that is what a thesaurus spinner changes. It is off for general text
    alignment (PAN): Moby is broad enough that synonym matches stretch passages past their
    ends, which cost more precision than they gave recall. A pair under ``synonym_floor``
    (down to ``ordered_synonym_floor``) is checked for synonyms only when its words run in
    the same order (:func:`in_order`): a spinner swaps words in place."""
    if not src.terms or not tgt.terms:
        return {}
    sw, tw, s_to_t = _weights(src, tgt)
    sn, tn = sw.norm, tw.norm
    # A pair below all of these cosines can neither seed nor be a near miss: its shared
    # words are counted only when it is not.
    synonyms = cfg.synonym_weight > 0
    # Under synonym_floor, down to ordered_synonym_floor, only pairs whose words run in the
    # same order are checked for synonyms.
    floor = min(cfg.synonym_floor, cfg.ordered_synonym_floor)
    low = min(cfg.seed_cosine, cfg.diagonal_cosine)
    scored: list[tuple[int, int, float]] = []
    weak: list[tuple[int, int, float]] = []
    # Each unit's words, read once for every pair it is in.
    s_words: dict[int, _Words] = {}
    t_words: dict[int, _Words] = {}
    for i, j, dot in _pair_dots(sw, tw, s_to_t, low, floor if synonyms else None):
        cos = dot / (float(sn[i]) * float(tn[j]))
        n_shared = float(len(src.terms[i].keys() & tgt.terms[j].keys()))
        if (
            synonyms
            and floor <= cos <= cfg.seed_cosine
            and (
                cos >= cfg.synonym_floor
                or ordered_share(
                    words_of(src, i, s_words), words_of(tgt, j, t_words), cfg.synonym_order
                )
                >= cfg.synonym_order
            )
        ):
            # Near miss: count Moby synonyms among the unmatched words (a spinner's swaps).
            extra_dot, extra_n = _synonym_matches(sw.vector(i), tw.vector(j), cfg.synonym_weight)
            dot += extra_dot
            n_shared += extra_n
            cos = dot / (float(sn[i]) * float(tn[j]))
        dice = 2.0 * n_shared / (len(src.terms[i]) + len(tgt.terms[j]))
        if cos > cfg.seed_cosine and dice > cfg.seed_dice:
            scored.append((i, j, cos))
        elif cos > cfg.diagonal_cosine and dice > cfg.diagonal_cosine:
            weak.append((i, j, cos))
    if weak:
        # A pair too weak to seed alone seeds next to a seed on the diagonal (one or two
        # sentences on, on both sides): the garbled first or last sentence of a reuse.
        # Same-topic sentences rarely line up with a seed like that.
        strong = {(i, j) for i, j, _ in scored}
        steps = _STEPS + tuple((a, -b) for a, b in _STEPS) if cfg.shuffled_neighbours else _STEPS
        scored += [
            (i, j, c)
            for i, j, c in weak
            if any((i + a, j + b) in strong or (i - a, j - b) in strong for a, b in steps)
        ]
    # A seed must be nearly as good as the best pairing of *both* its sentences: a source
    # sentence that merely shares a few words with a copied target sentence (whose true
    # counterpart matches far better) would otherwise stretch passages past their ends.
    # A source sentence's best is taken near the seed only: a source reused twice (once
    # verbatim, once heavily reworded elsewhere) must not suppress the weaker reuse.
    by_i: dict[int, list[tuple[int, float]]] = defaultdict(list)
    best_j: dict[int, float] = defaultdict(float)
    for i, j, cos in scored:
        by_i[i].append((j, cos))
        best_j[j] = max(best_j[j], cos)
    r = cfg.seed_relative
    local = local_bests(by_i, cfg.seed_locality)
    out: dict[tuple[int, int], float] = {}
    for i, j, cos in scored:
        if cos >= r * local[(i, j)] and cos >= r * best_j[j]:
            out[(i, j)] = cos
    return out


def local_bests(
    by_i: Mapping[int, Sequence[tuple[int, float]]], k: int
) -> dict[tuple[int, int], float]:
    """For each pair ``(i, j)`` of ``by_i`` (source sentence ``i``: its target sentences
    ``j`` with their cosines), the best cosine of ``i``'s pairs with a target sentence at
    most ``k`` from ``j`` (``k == 0``: anywhere).

    Taken pair by pair over all of ``i``'s pairs, as up to robust30, this cost a text of one
    sentence repeated 800 times, compared with itself, 50 s (every pair against every pair
    of its row: the cube of the sentences); a sliding window over each row, sorted by
    ``j``, gives the same maxima in one pass.

    >>> local_bests({0: [(0, 0.5), (1, 0.9), (5, 0.7)]}, 1)
    {(0, 0): 0.9, (0, 1): 0.9, (0, 5): 0.7}
    """
    best: dict[tuple[int, int], float] = {}
    for i, pairs in by_i.items():
        if k == 0:
            top = max(c for _, c in pairs)
            best.update(((i, j), top) for j, _ in pairs)
            continue
        ordered = sorted(pairs)
        window: deque[int] = deque()  # indices into ordered, their cosines decreasing
        right = 0
        for j, _ in ordered:
            while right < len(ordered) and ordered[right][0] <= j + k:
                while window and ordered[window[-1]][1] <= ordered[right][1]:
                    window.pop()
                window.append(right)
                right += 1
            while ordered[window[0]][0] < j - k:
                window.popleft()
            best[(i, j)] = ordered[window[0]][1]
    return best


def in_order(src: Prepared, si: tuple[int, int], tgt: Prepared, tj: tuple[int, int]) -> float:
    """The share of the longer of source units ``si`` and target units ``tj`` (inclusive
    ranges) in words, every word (function words, names and numbers too), that the other
    has in the same order: their longest common subsequence over the longer one's length;
    0 when both hold numbers and not the same ones. A thesaurus spinner swaps content words
    in place and keeps the rest; two sentences on one topic share words in no such order,
    and two entries of one catalogue ("Stela 34 was found at ...") differ in their numbers.

    >>> from unspin.align.units import prepare
    >>> a = prepare("Some details were inspired by the lives of the developers.")
    >>> b = prepare("A few subtleties were enlivened by the lives of the engineers.")
    >>> c = prepare("The developers lived lives full of details, and some inspired.")
    >>> round(in_order(a, (0, 0), b, (0, 0)), 2), round(in_order(a, (0, 0), c, (0, 0)), 2)
    (0.55, 0.3)
    >>> d, e = prepare("Stela 34 was found at the base."), prepare("Stela 35 was found at the base.")
    >>> in_order(d, (0, 0), e, (0, 0)), in_order(d, (0, 0), d, (0, 0))
    (0.0, 1.0)
    """
    return ordered_share(_words(src, si), _words(tgt, tj))


@dataclass(frozen=True, slots=True)
class _Words:
    """A stretch's words in order, the numbers among them, and for each word the bit mask
    of its places (what the longest common subsequence of :func:`ordered_share` reads)."""

    words: tuple[str, ...]
    numbers: frozenset[str]
    masks: dict[str, int]


def _words(p: Prepared, r: tuple[int, int]) -> _Words:
    """The words of units ``r`` (inclusive) of ``p`` (see :class:`_Words`)."""
    words = window_words(p, p.spans[r[0]][0], p.spans[r[1]][1])
    masks: dict[str, int] = {}
    for k, w in enumerate(words):
        masks[w] = masks.get(w, 0) | (1 << k)
    return _Words(words, frozenset(w for w in words if w[0].isdigit() and is_number(w)), masks)


def ordered_share(left: _Words, right: _Words, at_least: float = 0.0) -> float:
    """:func:`in_order` of two stretches' words (:func:`_words`); 0 without counting when
    their lengths alone keep it under ``at_least``."""
    n, m = len(left.words), len(right.words)
    if not n or not m or min(n, m) < at_least * max(n, m):
        return 0.0
    if left.numbers and right.numbers and left.numbers != right.numbers:
        return 0.0
    # Their longest common subsequence, bit-parallel over the right side's words (Hyyro
    # 2004): bit k of ``row`` is cleared where the table's row steps up at word k.
    masks = right.masks
    full = (1 << m) - 1
    row = full
    for w in left.words:
        step = row & masks.get(w, 0)
        row = ((row + step) | (row - step)) & full
    return (m - row.bit_count()) / max(n, m)


def words_of(p: Prepared, i: int, cache: dict[int, _Words]) -> _Words:
    """:func:`_words` of unit ``i`` of ``p``, kept in ``cache``."""
    found = cache.get(i)
    if found is None:
        found = cache[i] = _words(p, (i, i))
    return found


def _synonym_matches(
    a: dict[str, float], b: dict[str, float], weight: float
) -> tuple[float, float]:
    """Dot-product and match-count contributions of synonym pairs between two sentences.

    Each unmatched stem of ``a`` pairs with at most one unmatched stem of ``b`` that the Moby
    thesaurus lists as its synonym; a pair counts ``weight`` of an exact match.
    """
    th = thesaurus()
    left = [w for w in a if w not in b and not w.isdigit()]
    right = [w for w in b if w not in a and not w.isdigit()]
    if not left or not right:
        return 0.0, 0.0
    used: set[str] = set()
    dot = n = 0.0
    matrix = th.synonym_stem_matrix(left, right)
    for w, row in zip(left, matrix, strict=True):
        for y in np.flatnonzero(row).tolist():
            u = right[y]
            if u not in used:
                used.add(u)
                dot += weight * a[w] * b[u]
                n += weight
                break
    return dot, n
