"""Edge snapping: character boundaries for (nearly) verbatim fragments.

Sentence units only approximate where a copied stretch starts and ends; where most tokens of
a fragment match exactly, the runs of exact matches give better boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import Match

from rapidfuzz.distance import Indel

from ..text import STOPWORDS
from .config import AlignConfig
from .fragments import _Fragment
from .units import Prepared, _chars, _window_tokens


def _refine(
    src: Prepared, tgt: Prepared, f: _Fragment, cfg: AlignConfig
) -> tuple[int, int, int, int]:
    """Snap a fragment's edges to its exact token matches when it is (nearly) verbatim.

    Sentence units only approximate where a copied stretch starts: it may begin mid-sentence,
    or a neighbouring sentence may share a few words. When most tokens of the fragment match
    exactly, the first and last exact matches are better boundaries. Heavily obfuscated
    fragments keep their unit boundaries.
    """
    ws = (max(0, f.src[0] - 1), min(len(src.spans) - 1, f.src[1] + 1))
    wt = (max(0, f.tgt[0] - 1), min(len(tgt.spans) - 1, f.tgt[1] + 1))
    s0, s1 = _chars(src, f.src)
    t0, t1 = _chars(tgt, f.tgt)
    a = _window_tokens(src, *_chars(src, ws))
    b = _window_tokens(tgt, *_chars(tgt, wt))
    if not a or not b:
        return s0, s1, t0, t1
    a_words, b_words = [w for _, _, w in a], [w for _, _, w in b]
    blocks = matching_blocks(a_words, b_words, cfg.refine_min_block)
    if not blocks:
        return s0, s1, t0, t1
    inside = [w for w in b if t0 <= w[0] < t1]
    matched = sum(m.size for m in blocks)
    if not inside or matched < cfg.refine_min_match * len(inside):
        return s0, s1, t0, t1
    first, last = blocks[0], blocks[-1]
    if cfg.refine_chain_gap > 0 and matched < cfg.refine_full_match * len(inside):
        first, last = _chain(a, b, src.text, tgt.text, first, last, cfg.refine_chain_gap)
    ns0 = a[first.a][0]
    nt0 = b[first.b][0]
    ns1 = _extend_punct(src.text, a[last.a + last.size - 1][1])
    nt1 = _extend_punct(tgt.text, b[last.b + last.size - 1][1])
    if matched >= cfg.refine_full_match * len(inside):
        # Verbatim: the exact matches are the passage, whatever the units said.
        s0, s1, t0, t1 = ns0, ns1, nt0, nt1
    else:
        # Otherwise only move an edge within its edge unit (or into the neighbour): an
        # exact-match run cannot see reordered sentences and must not cut whole units off a
        # reordered passage.
        s0 = ns0 if src.spans[ws[0]][0] <= ns0 < src.spans[f.src[0]][1] else s0
        t0 = nt0 if tgt.spans[wt[0]][0] <= nt0 < tgt.spans[f.tgt[0]][1] else t0
        s1 = ns1 if src.spans[f.src[1]][0] < ns1 <= src.spans[ws[1]][1] else s1
        t1 = nt1 if tgt.spans[f.tgt[1]][0] < nt1 <= tgt.spans[wt[1]][1] else t1
    if cfg.refine_sentence_words > 0:
        s0, t0 = _openings(src, tgt, f, s0, t0, cfg.refine_sentence_words)
        s1, t1 = _closings(src, tgt, f, s1, t1, cfg.refine_sentence_words)
    return s0, s1, t0, t1


def _openings(
    src: Prepared, tgt: Prepared, f: _Fragment, s0: int, t0: int, most: int
) -> tuple[int, int]:
    """The passage's starts moved back to the openings of their sentences when both start
    1 to ``most`` words into them: a snapped edge leaves out the changed opening of a reused
    sentence, where a dateline or a speaker is swapped ("GENEVA, March 3 (Reuters) - the
    Russian Federation said" / "Moscow, the Russian Union said"), and a change outside the
    passage is never labelled. One side already at its sentence's opening leaves both as
    they are (words put before a reused sentence are an insertion, not a change)."""
    a = _opening(src, src.spans[f.src[0]][0], s0, most)
    b = _opening(tgt, tgt.spans[f.tgt[0]][0], t0, most)
    return (s0, t0) if a is None or b is None else (a, b)


def _closings(
    src: Prepared, tgt: Prepared, f: _Fragment, s1: int, t1: int, most: int
) -> tuple[int, int]:
    """The passage's ends moved on to the ends of their sentences, as :func:`_openings` does
    with their starts ("..., the agency said." / "..., Tass said.")."""
    a = _closing(src, src.spans[f.src[1]][1], s1, most)
    b = _closing(tgt, tgt.spans[f.tgt[1]][1], t1, most)
    return (s1, t1) if a is None or b is None else (a, b)


def _opening(p: Prepared, unit_start: int, start: int, most: int) -> int | None:
    """Where the sentence holding offset ``start`` opens, not before ``unit_start`` (its
    unit's start), when 1 to ``most`` words stand before ``start`` in it; else None."""
    if not unit_start < start <= unit_start + _MOST_CHARS_PER_WORD * most:
        return None
    ends = p.sentence_ends or frozenset()
    begin = max((e for e in range(unit_start + 1, start) if e in ends), default=unit_start)
    begin += len(p.text[begin:start]) - len(p.text[begin:start].lstrip())
    return begin if 1 <= _words(p, begin, start) <= most else None


def _closing(p: Prepared, unit_end: int, end: int, most: int) -> int | None:
    """Where the sentence holding offset ``end`` ends, not after ``unit_end`` (its unit's
    end), when 1 to ``most`` words stand after ``end`` in it; else None."""
    if not end < unit_end <= end + _MOST_CHARS_PER_WORD * most:
        return None
    ends = p.sentence_ends or frozenset()
    close = min((e for e in range(end + 1, unit_end) if e in ends), default=unit_end)
    return close if 1 <= _words(p, end, close) <= most else None


# A gap longer than this many characters a word is not looked into (a long stretch of
# punctuation or space is no sentence's opening).
_MOST_CHARS_PER_WORD = 16


def _words(p: Prepared, start: int, end: int) -> int:
    """The tokens holding a letter or digit that start in ``[start, end)``."""
    return sum(any(c.isalnum() for c in w) for _, _, w in _window_tokens(p, start, end))


def _chain(
    a: Sequence[tuple[int, int, str]],
    b: Sequence[tuple[int, int, str]],
    a_text: str,
    b_text: str,
    first: Match,
    last: Match,
    gap: int,
) -> tuple[Match, Match]:
    """The first and last exact runs once moved outward over shorter runs (single stopwords
    aside) at most ``gap`` tokens away on both sides: random obfuscation shuffles, swaps and
    drops words, so the first run of three equal tokens often starts a few words into the
    reuse, and the words before it still match one by one. ``a`` and ``b`` are the tokens
    (start, end, word) of ``a_text`` and ``b_text``.

    A chain does not cross a paragraph break (a blank line) of the reuse that the source does
    not have there: a spliced text puts another source's paragraph next to this one, and its
    first words may match a few words of this source ("Wang said the" / "Diplomats said the")."""
    a_words, b_words = [w for _, _, w in a], [w for _, _, w in b]
    runs = [
        r
        for r in matching_blocks(a_words, b_words, 1)
        if r.size > 1 or a_words[r.a] not in STOPWORDS
    ]

    def joined(x: Match, y: Match) -> bool:
        """Runs ``x`` and ``y`` (``x`` first) are at most ``gap`` tokens apart on both sides,
        with no paragraph break between them that only the reuse has."""
        ia, ib = x.a + x.size, x.b + x.size
        if y.a - ia > gap or y.b - ib > gap:
            return False
        b_gap = b_text[b[ib - 1][1] : b[y.b][0]]
        a_gap = a_text[a[ia - 1][1] : a[y.a][0]]
        return not (_PARAGRAPH.search(b_gap) and not _PARAGRAPH.search(a_gap))

    for r in reversed(runs):
        if r.a + r.size <= first.a and r.b + r.size <= first.b:
            if joined(r, first):
                first = r
            else:
                break
    for r in runs:
        if r.a >= last.a + last.size and r.b >= last.b + last.size:
            if joined(last, r):
                last = r
            else:
                break
    return first, last


# A paragraph break: a line with nothing but spaces between two lines.
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")


def matching_blocks(a: Sequence[str], b: Sequence[str], min_size: int = 1) -> list[Match]:
    """Runs of at least ``min_size`` equal tokens of a longest common subsequence of ``a`` and
    ``b``, in order, each grown over equal neighbours that shorter runs had taken.

    RapidFuzz computes the subsequence in C++ (bit-parallel LCS); ``difflib.SequenceMatcher``,
    used until the third session, took 22% of the time of the slowest trace queries at a
    million documents. A longest common subsequence may pair a copied passage's first "The"
    with an earlier "the"; growing the long runs over such stray pairs gives the run a copy
    really has."""
    runs = [
        [op.src_start, op.dest_start, op.src_end - op.src_start]
        for op in Indel.opcodes(a, b)
        if op.tag == "equal"
    ]
    kept = [r for r in runs if r[2] >= min_size]
    for k, r in enumerate(kept):
        lo_a, lo_b = (
            (kept[k - 1][0] + kept[k - 1][2], kept[k - 1][1] + kept[k - 1][2]) if k else (0, 0)
        )
        while r[0] > lo_a and r[1] > lo_b and a[r[0] - 1] == b[r[1] - 1]:
            r[0], r[1], r[2] = r[0] - 1, r[1] - 1, r[2] + 1
        hi_a, hi_b = (kept[k + 1][0], kept[k + 1][1]) if k + 1 < len(kept) else (len(a), len(b))
        while r[0] + r[2] < hi_a and r[1] + r[2] < hi_b and a[r[0] + r[2]] == b[r[1] + r[2]]:
            r[2] += 1
    return [Match(i, j, n) for i, j, n in kept]


def _extend_punct(text: str, end: int) -> int:
    """Include closing punctuation right after a token (a sentence's full stop, quotes)."""
    n = len(text)
    while end < n and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end
