"""Sentence units: what the aligner compares.

A text is cut into sentences (over-long ones at line breaks or commas, short ones merged into
the next so that every unit carries evidence), and each unit keeps the counts of its stemmed
content words. A :class:`Prepared` text is reusable across every pair it takes part in, which is why
trace and clustering cache them. The small helpers at the end turn unit ranges back into
character offsets and tokens.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..text import STOPWORDS, Tokens, sentence_spans, stem, tokenize
from .config import AlignConfig
from .copies import MANY_COPIES


@dataclass(slots=True)
class Prepared:
    """A text cut into sentence units with their term counts (reusable across pairs)."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    terms: list[Counter[str]] = field(default_factory=list)
    tokens: Tokens | None = None
    # The term counts as flat arrays, built on first use (see :func:`unit_arrays`).
    arrays: UnitArrays | None = None
    # Where the text's sentences end (before over-long ones were cut into units): set by
    # :func:`prepare`, so attribution need not split the text into sentences again.
    sentence_ends: frozenset[int] | None = None
    # Per token, its content stem (see :func:`content_stems`): set by :func:`prepare`, so the
    # verifier's shared-word features read a passage's stems without looking words up again.
    stems: list[str] | None = None


@dataclass(frozen=True, slots=True)
class UnitArrays:
    """The term counts of a prepared text as flat numpy arrays, one entry per (unit, word),
    in unit order and, within a unit, in the order of its term counts: what the seeds
    weigh and multiply in bulk (see :func:`unspin.align.seeds._seeds`)."""

    vocabulary: dict[str, int]  # word -> word id, in order of first use
    unit: np.ndarray  # entry -> unit index
    word: np.ndarray  # entry -> word id
    count: np.ndarray  # entry -> the word's count in the unit (float)
    units_with: np.ndarray  # word id -> how many units hold it
    postings: np.ndarray  # entries sorted by word id, then unit: each word's entries ...
    starts: np.ndarray  # ... from postings[starts[k]] to postings[starts[k + 1]]
    # unit -> the first unit with the same term counts (itself when none before it), and the
    # most units that share one unit's counts: a sentence written many times (see
    # :mod:`unspin.align.copies`)
    first_copy: np.ndarray
    most_copies: int


def unit_arrays(p: Prepared) -> UnitArrays:
    """The flat arrays of ``p``'s term counts (see :class:`UnitArrays`), built once per
    prepared text: trace aligns one article against every candidate, and a source against
    the article up to three times."""
    if p.arrays is None:
        vocabulary: dict[str, int] = {}
        unit: list[int] = []
        word: list[int] = []
        count: list[int] = []
        for j, c in enumerate(p.terms):
            unit += [j] * len(c)
            word += [vocabulary.setdefault(w, len(vocabulary)) for w in c]
            count += c.values()
        copies = _first_copies(p.terms)
        words = np.asarray(word, dtype=np.int64)
        p.arrays = UnitArrays(
            vocabulary,
            np.asarray(unit, dtype=np.int64),
            words,
            np.asarray(count, dtype=np.float64),
            *word_postings(words, len(vocabulary)),
            copies,
            int(np.bincount(copies).max(initial=0)) if len(copies) else 0,
        )
    return p.arrays


def word_postings(words: np.ndarray, vocabulary: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of entries whose word ids are ``words`` (in unit order), over a vocabulary of that many
    words: how many entries each word has, the entries sorted by word id (then unit), and where
    each word's run of them starts (:attr:`UnitArrays.units_with`, ``postings``, ``starts``)."""
    units_with = np.bincount(words, minlength=vocabulary).astype(np.int64)
    starts = np.zeros(vocabulary + 1, dtype=np.int64)
    np.cumsum(units_with, out=starts[1:])
    return units_with, np.argsort(words, kind="stable"), starts


def _first_copies(terms: list[Counter[str]]) -> np.ndarray:
    """Each unit's first copy (see :attr:`UnitArrays.first_copy`). A text of no more units
    than :data:`~unspin.align.copies.MANY_COPIES` cannot have more copies of one than that:
    each unit is its own first copy, without hashing its counts (most articles)."""
    if len(terms) <= MANY_COPIES:
        return np.arange(len(terms), dtype=np.int64)
    first: dict[frozenset[tuple[str, int]], int] = {}
    return np.asarray(
        [first.setdefault(frozenset(c.items()), j) for j, c in enumerate(terms)], dtype=np.int64
    )


# Normalised word -> its stem when it is a content word, else "". Bounded: cleared when full.
_CONTENT_STEM: dict[str, str] = {}
_CONTENT_STEM_MAX = 300_000


def content_stems(tokens: Tokens) -> list[str]:
    """Per token, the stem the aligner counts ("" for a stopword or a lone letter).

    >>> from unspin.text import tokenize
    >>> content_stems(tokenize("The rates were raised by 2 points, a lot."))
    ['', 'rate', '', 'rais', '', '2', 'point', '', 'lot']
    """
    out = list(map(_CONTENT_STEM.get, tokens.norms))  # in C: most words are cached
    if None in out:
        return [content_stem(w) if c is None else c for c, w in zip(out, tokens.norms, strict=True)]
    return out  # type: ignore[return-value]


def content_stem(word: str) -> str:
    """The stem the aligner counts for one normalised word ("" for a stopword or a lone
    letter)."""
    c = _CONTENT_STEM.get(word)
    if c is None:
        c = stem(word) if word not in STOPWORDS and (len(word) > 1 or word.isdigit()) else ""
        if len(_CONTENT_STEM) >= _CONTENT_STEM_MAX:
            _CONTENT_STEM.clear()
        _CONTENT_STEM[word] = c
    return c


# Where a long span without line breaks is cut: web lists (keywords, names, amenities) run
# for kilobytes with commas and no full stop. Cut whole, an 8.5 KB keyword list was one unit
# that a reworded 955-character stretch of it could not seed against (PAN 03,
# source-document02321); cut at commas, PAN 2013 train plagdet rose 0.9417 -> 0.9440 on
# 5,000 pairs (summary 0.792 -> 0.830), precision unchanged (docs/benchmarks.md 12.11). Trace's
# verifier reads unit and seed counts: refit it on these units (12.11's dev sample).
_LIST_SEP = ","
# A span with neither longer than this many units' length is no sentence but text written
# without punctuation (a speech-to-text transcript, a caption file run together): it is cut
# between words. Shorter ones stay whole: a long sentence of semicolons is one unit, which
# reuse of a part of it meets in one seed (tests/test_trace.py, HARBOUR). Whole, a 13 KB
# transcript quoting 1,500 characters of the demo article verbatim was one unit, and no
# passage was found (robust33).
_UNPUNCTUATED = 4


def _split_long(text: str, spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Cut spans longer than ``max_chars`` at line breaks (at commas when a span has none),
    packing lines into pieces of at least ``max_chars // 2`` characters (a span with neither
    stays whole, unless it is over ``_UNPUNCTUATED`` times ``max_chars``: then it is cut
    between words)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b - a <= max_chars:
            out.append((a, b))
            continue
        sep = "\n" if "\n" in text[a:b] else _LIST_SEP if _LIST_SEP in text[a:b] else None
        if sep is None and b - a > _UNPUNCTUATED * max_chars:
            sep = " "  # a transcript without punctuation: cut between words
        if sep is None:
            out.append((a, b))
            continue
        start = a
        pos = text.find(sep, a, b)
        while pos != -1:
            if pos - start >= max_chars // 2 and text[start:pos].strip():
                out.append((start, pos))
                start = pos + 1
            pos = text.find(sep, pos + 1, b)
        if out and out[-1][1] > a and b - start < max_chars // 4:
            out[-1] = (out[-1][0], b)  # a short last piece joins the piece before it
        else:
            out.append((start, b))
    return out


def prepare(
    text: str, config: AlignConfig | None = None, *, tokens: Tokens | None = None
) -> Prepared:
    """Split ``text`` into units (sentences, short ones merged) with stemmed content terms.
    ``tokens``: ``tokenize(text)`` when the caller has it (trace tokenises an article once)."""
    cfg = config or AlignConfig()
    if tokens is None:
        tokens = tokenize(text)
    spans = sentence_spans(text)
    ends = frozenset(b for _, b in spans)
    if cfg.max_unit_chars:
        spans = _split_long(text, spans, cfg.max_unit_chars)
    stems = content_stems(tokens)
    out = Prepared(text, tokens=tokens, sentence_ends=ends, stems=stems)
    if not spans:
        return out
    # Assign tokens to sentences by offset (both are sorted).
    t = 0
    pending_start: int | None = None
    pending_terms: Counter[str] = Counter()
    for s_start, s_end in spans:
        t = max(t, bisect_right(tokens.ends, s_start))
        end = max(t, bisect_left(tokens.starts, s_end))
        terms = Counter(filter(None, stems[t:end]))
        t = end
        start = s_start if pending_start is None else pending_start
        if pending_terms:
            pending_terms.update(terms)
        else:
            pending_terms = terms
        if sum(pending_terms.values()) < cfg.min_unit_terms:
            pending_start = start
            continue
        out.spans.append((start, s_end))
        out.terms.append(pending_terms)
        pending_start = None
        pending_terms = Counter()
    if pending_start is not None:
        if out.spans and sum(pending_terms.values()) < cfg.min_unit_terms:
            # A short tail joins the previous unit rather than standing alone.
            last_start, _ = out.spans[-1]
            out.spans[-1] = (last_start, spans[-1][1])
            out.terms[-1].update(pending_terms)
        else:
            out.spans.append((pending_start, spans[-1][1]))
            out.terms.append(pending_terms)
    return out


def _chars(p: Prepared, r: tuple[int, int]) -> tuple[int, int]:
    return p.spans[r[0]][0], p.spans[r[1]][1]


def _len(p: Prepared, r: tuple[int, int]) -> int:
    a, b = _chars(p, r)
    return b - a


def prepared_tokens(p: Prepared) -> Tokens:
    """``p``'s tokens, tokenising its text on first use."""
    if p.tokens is None:
        p.tokens = tokenize(p.text)
    return p.tokens


def _window(toks: Tokens, start: int, end: int) -> tuple[int, int]:
    """The index range of the tokens that start in ``[start, end)``."""
    return bisect_left(toks.starts, start), bisect_left(toks.starts, end)


def window_stems(p: Prepared, start: int, end: int) -> list[str]:
    """The content stems of the tokens that start in ``[start, end)``, in text order."""
    toks = prepared_tokens(p)
    if p.stems is None:
        p.stems = content_stems(toks)
    lo, hi = _window(toks, start, end)
    return [c for c in p.stems[lo:hi] if c]


def window_words(p: Prepared, start: int, end: int) -> tuple[str, ...]:
    """The normalised words of the tokens that start in ``[start, end)``, in text order."""
    toks = prepared_tokens(p)
    lo, hi = _window(toks, start, end)
    return toks.norms[lo:hi]


def units_with(p: Prepared) -> Callable[[str], int]:
    """How many units of ``p`` hold a stem among their terms, as a function of the stem (the
    arrays looked up once, not per stem)."""
    arrays = unit_arrays(p)
    vocabulary, counts = arrays.vocabulary, arrays.units_with

    def count(stem: str) -> int:
        k = vocabulary.get(stem)
        return 0 if k is None else int(counts[k])

    return count


def _window_tokens(p: Prepared, start: int, end: int) -> list[tuple[int, int, str]]:
    toks = prepared_tokens(p)
    lo, hi = _window(toks, start, end)
    return [(toks.starts[k], toks.ends[k], toks.norms[k]) for k in range(lo, hi)]
