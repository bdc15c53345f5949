"""Sentences written many times: which of their copies may pair.

A text of one sentence repeated 5,000 times, compared with itself, pairs every copy with every
copy: 25 million seed pairs of the same cosine, each carried through seeds, extension and
summaries (1,600 repetitions: 2.56 million pairs, 23 s and 1.2 GB; docs/benchmarks.md 21).
When a sentence has more than :data:`MANY_COPIES` copies (units with the same term counts) on
one side, the aligner scores each distinct unit once and pairs a copy only with the partners
of about its rank on the other side: the k-th of 5,000 copies with the k-th, give or take
:data:`COPY_BAND`, as a copied text reads them. A text without such a sentence is aligned as
before, pair by pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import chain

# More copies than this on one side and their pairs are taken by rank. Articles repeat a
# line a few times (a byline, "Advertisement"); 50 copies of one unit is a generated text.
MANY_COPIES = 50
# How many ranks either way a copy pairs with: the reach of a diagonal seed's neighbours and
# of a passage's step back (``max_backjump``), so the pairs still form one passage.
COPY_BAND = 2


def copy_groups(first_copy: Sequence[int]) -> dict[int, list[int]]:
    """The units of a text grouped by their first copy: first unit -> every copy, in order.

    >>> copy_groups([0, 1, 0, 3, 1])
    {0: [0, 2], 1: [1, 4], 3: [3]}
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for unit, first in enumerate(first_copy):
        groups[first].append(unit)
    return dict(groups)


def _in_band(rank: int, copies: int, partner_rank: int, partners: int) -> bool:
    """Whether the copy of ``rank`` among ``copies`` may pair with the partner of
    ``partner_rank`` among ``partners``: their places, scaled to one length, lie within
    :data:`COPY_BAND` ranks of the longer side."""
    return abs(rank * partners - partner_rank * copies) <= COPY_BAND * max(copies, partners)


def _band(copies: int, partners: int) -> Iterator[tuple[int, int]]:
    """Every ``(rank, partner_rank)`` that :func:`_in_band` allows, without trying the rest.

    >>> list(_band(3, 1))
    [(0, 0), (1, 0), (2, 0)]
    >>> sum(1 for _ in _band(5_000, 5_000))  # five partners a copy, less at the ends
    24994
    """
    reach = COPY_BAND * max(copies, partners)
    for rank in range(copies):
        centre = rank * partners
        lo = max(0, -((reach - centre) // copies))  # ceil((centre - reach) / copies)
        hi = min(partners - 1, (centre + reach) // copies)
        for partner_rank in range(lo, hi + 1):
            yield rank, partner_rank


def copy_pairs(
    src_first: Sequence[int],
    tgt_first: Sequence[int],
    group_dots: Sequence[tuple[int, int, float]],
) -> list[tuple[int, int, float]]:
    """``(i, j, dot)`` for the unit pairs that may seed, sorted, from ``group_dots``: the
    pairs of distinct units (source first copy, target first copy, their dot product), where
    ``src_first`` and ``tgt_first`` give each unit's first copy.

    Groups of at most :data:`MANY_COPIES` copies on both sides pair every copy with every
    copy, as before. A larger group pairs each copy only with the partners of about its rank
    (:func:`_in_band`) among all the units it pairs with, in text order; a pair of two large
    groups must suit both.

    >>> pairs = copy_pairs([0] * 60, [0] * 60, [(0, 0, 1.0)])
    >>> len(pairs), pairs[:3], pairs[-1]
    (294, [(0, 0, 1.0), (0, 1, 1.0), (0, 2, 1.0)], (59, 59, 1.0))
    """
    src_groups, tgt_groups = copy_groups(src_first), copy_groups(tgt_first)
    dot = {(a, b): d for a, b, d in group_dots}
    src_partners: dict[int, list[int]] = defaultdict(list)
    tgt_partners: dict[int, list[int]] = defaultdict(list)
    for a, b, _ in group_dots:
        src_partners[a].append(b)
        tgt_partners[b].append(a)
    many_src = {a for a in src_partners if len(src_groups[a]) > MANY_COPIES}
    many_tgt = {b for b in tgt_partners if len(tgt_groups[b]) > MANY_COPIES}
    out = [
        (i, j, d)
        for a, b, d in group_dots
        if a not in many_src and b not in many_tgt
        for i in src_groups[a]
        for j in tgt_groups[b]
    ]
    # Each large target group's copies, and the source units they pair with, by rank.
    tgt_rank: dict[int, int] = {}  # target unit of a large group -> its rank there
    partner_units: dict[int, list[int]] = {}  # large target group -> its source partners
    partner_rank: dict[int, dict[int, int]] = {}  # ... and each one's rank among them
    for b in many_tgt:
        tgt_rank.update((j, r) for r, j in enumerate(tgt_groups[b]))
        units = sorted(chain.from_iterable(src_groups[a] for a in tgt_partners[b]))
        partner_units[b] = units
        partner_rank[b] = {i: r for r, i in enumerate(units)}
    for a in many_src:
        copies = src_groups[a]
        partners = sorted(chain.from_iterable(tgt_groups[b] for b in src_partners[a]))
        for rank, other in _band(len(copies), len(partners)):
            i, j = copies[rank], partners[other]
            b = tgt_first[j]
            if b in many_tgt and not _in_band(
                tgt_rank[j], len(tgt_groups[b]), partner_rank[b][i], len(partner_units[b])
            ):
                continue
            out.append((i, j, dot[(a, b)]))
    for b in many_tgt:
        copies, units = tgt_groups[b], partner_units[b]
        for rank, other in _band(len(copies), len(units)):
            i = units[other]
            if src_first[i] not in many_src:  # else taken with its own large group above
                out.append((i, copies[rank], dot[(src_first[i], b)]))
    out.sort()
    return out
