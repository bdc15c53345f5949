"""Candidate sources for an article: vote over spin-robust fingerprints in the store.

Cost stays flat as the store grows because (1) features whose document frequency exceeds a
cap are skipped without reading their postings, and (2) only the best-voted candidates are
verified by alignment.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from .fingerprints import (
    COMMON_DF_CAP,
    RETRIEVAL_COMMON_FLOOR,
    RETRIEVAL_COMMON_SHARE,
    FeatureConfig,
    common_feature_limit,
    content_positions,
    fingerprint_tokens,
    pairs_with_originals,
)
from .store import Store
from .text import Tokens, stem, tokenize, tokens_within
from .validate import Rule, check_fields, count, share


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    # Features in more documents than this carry no evidence of reuse, nor do features in
    # more than this share of the store (see unspin.fingerprints.COMMON_DF_CAP).
    max_df: int = COMMON_DF_CAP
    max_df_share: float = RETRIEVAL_COMMON_SHARE
    max_query_features: int = 60_000  # a huge article is subsampled (deterministically)
    candidates: int = 30  # how many voted candidates are verified by alignment ...
    per_window: int = 5  # ... plus the best of every window of a long article by votes ...
    per_window_rare: int = 3  # ... and by rare features ...
    max_candidates: int = 200  # ... up to this many in all, or ``window_quota`` a window:
    # a 100 KB article has 200 windows, and a flat cap left each of them its first pick or
    # two (PAN 03 concatenations: true sources at ranks 239 and 280 of one article's list).
    window_quota: int = 2
    rare_df: int = 3  # features in at most this many documents count as rare evidence
    # Windows start every ``window_chars`` and reach ``window_overlap`` back: 1,000
    # characters every 500, so every sentence lies in the middle half of some window. A
    # short reused passage is outvoted by same-topic text around it in a wider window, and
    # where windows fell decided whether it was (PAN 03: a 176-character passage whose
    # source won its window when its document was traced alone, not in a concatenation).
    window_chars: int = 500
    window_overlap: int = 500
    whole_chars: int = 2500  # articles up to this long are voted on whole, in one window
    # Windows restart at a blank line between paragraphs of at least this many characters
    # (None: never): sources change at paragraph breaks, and a window across one mixes two
    # sources' wording (PAN 03 joined: a 170-character case just past a break lost its
    # window to the paragraph before it, where its own document alone kept it). Off by
    # default: measured on 03, 04 and 02 only, and the harder set's joins are blank lines,
    # so part of its gain is that set's making (docs/benchmarks.md 12.21, 12.23).
    block_chars: int | None = None
    min_shared: int = 2  # a candidate must share at least this many features
    query_pair_window: int = 3  # content-word pairs up to this far apart in the query
    # Postings read per query, rarest features first: bounds time and memory when a huge
    # archive makes even capped features common (a rare feature weighs more anyway).
    max_postings: int = 250_000
    # A second query where the first finds too little (None: never): when no document shares
    # ``originals_below`` features with an article of at most ``originals_max_chars``, it is
    # voted on again with content-word pairs that read one word of each pair as one of its
    # ``originals_per_word`` likeliest originals (the spin score's restorer,
    # :func:`unspin.spinscore.originals.likely_originals`); the best ``originals_candidates``
    # documents that then share ``originals_below`` features or more go before the first
    # query's candidates. A spinner that swaps most content words leaves no stored pair whole
    # (SpinBot: "As connection hypothesis offers a wide, expansive perspective on human
    # working" for "As attachment theory offers a broad, far-reaching view of human
    # functioning"), and such a paragraph found no candidate at all (docs/benchmarks.md 12.26,
    # 12.29). Only such articles pay for it: the restorer's tables load once (about 0.3 s),
    # then milliseconds an article, and at most ``originals_candidates`` more alignments (a
    # text with no stored source often triggers it: two in three held-out spun paragraphs).
    # Up to the length voted on whole (``whole_chars``): a 9,900-character article with no
    # source would pay 0.17 s more, one of 2,400 characters 0.03 s.
    originals_below: int | None = 3
    originals_per_word: int = 10
    originals_candidates: int = 3
    originals_max_chars: int = 2500

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


_RULES: dict[str, Rule] = {
    "max_df": count(1, "documents a feature may be in and still count"),
    "max_df_share": share("a share of the store's documents"),
    "max_query_features": count(1, "features of one query"),
    "candidates": count(1, "candidates verified by alignment"),
    "per_window": count(0, "candidates per window of a long article"),
    "per_window_rare": count(0, "candidates per window by rare features"),
    "max_candidates": count(1, "candidates in all"),
    "window_quota": count(0, "candidates every window keeps under the cap"),
    "rare_df": count(1, "documents a rare feature is in"),
    "window_chars": count(1, "characters of a window"),
    "window_overlap": count(0, "characters windows overlap"),
    "whole_chars": count(0, "characters of an article voted on whole"),
    "block_chars": Rule("int", "characters of a paragraph block", low=1, optional=True),
    "min_shared": count(1, "features a candidate shares"),
    "query_pair_window": count(1, "words between paired content words"),
    "max_postings": count(1, "postings read per query"),
    "originals_below": Rule("int", "features the best candidate shares", low=1, optional=True),
    "originals_per_word": count(1, "likely originals of a word"),
    "originals_candidates": count(1, "candidates of the second query"),
    "originals_max_chars": count(0, "characters of an article queried again"),
}


@dataclass(frozen=True, slots=True)
class Candidates:
    ranked: list[tuple[int, float]]  # (document key, vote score), best first
    query_features: int
    used_features: int
    capped: bool  # the query was subsampled or candidates were cut
    # how many of ``ranked``, first, the second query (likely originals) found
    originals: int = 0


def _windows(n: int, size: int, overlap: int, whole: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` of the windows of a text of ``n`` characters: one every ``size``
    characters, each reaching ``overlap`` back; one window when ``n`` is at most ``whole``
    (or one window's length).

    >>> _windows(2400, 500, 500)
    [(0, 500), (0, 1000), (500, 1500), (1000, 2000), (1500, 2400)]
    >>> _windows(2400, 500, 500, whole=2500)
    [(0, 2400)]
    """
    if n <= max(whole, size + overlap):
        return [(0, n)]
    return [(max(0, i - overlap), min(n, i + size)) for i in range(0, n, size)]


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _block_windows(text: str, cfg: RetrievalConfig) -> list[tuple[int, int]]:
    r"""The windows of ``text``: :func:`_windows` of each block between blank lines (a block
    shorter than ``cfg.block_chars`` runs on into the next), or of the whole text.

    >>> cfg = RetrievalConfig(window_chars=500, window_overlap=500, whole_chars=0, block_chars=1000)
    >>> _block_windows("a" * 1200 + "\n\n" + "b" * 1300, cfg)
    [(0, 500), (0, 1000), (500, 1202), (1202, 1702), (1202, 2202), (1702, 2502)]
    """
    n = len(text)
    if n <= max(cfg.whole_chars, cfg.window_chars + cfg.window_overlap) or cfg.block_chars is None:
        return _windows(n, cfg.window_chars, cfg.window_overlap, cfg.whole_chars)
    out: list[tuple[int, int]] = []
    start = 0
    for cut in [m.end() for m in _BLANK_LINE.finditer(text)] + [n]:
        if cut - start >= cfg.block_chars or cut == n:
            out += [
                (start + a, start + b)
                for a, b in _windows(cut - start, cfg.window_chars, cfg.window_overlap)
            ]
            start = cut
    return out


class _Votes:
    """The postings of a query's features as arrays, to vote over the whole article and over
    each window without a Python loop per posting (a long article at a million documents
    reads ~10^5 postings and votes in a hundred windows).
    """

    def __init__(self, rows: list[tuple[int, int]], features: list[int], weight: list[float]):
        self._index = {f: i for i, f in enumerate(features)}
        table = np.array(rows, dtype=np.int64).reshape(-1, 2)
        # Each row's feature as its place in ``features``, found by value.
        values = np.asarray(features, dtype=np.int64)
        by_value = np.argsort(values)
        values = values[by_value]
        self.feature = by_value[np.searchsorted(values, table[:, 0])]
        # Documents by key, so an index tie-break is the key tie-break.
        self.docs, self.doc = np.unique(table[:, 1], return_inverse=True)
        self.weight = np.asarray(weight, dtype=np.float64)[self.feature]
        self.total = self.tally(np.arange(len(rows)))
        self.shared = np.bincount(self.doc, minlength=len(self.docs))
        # Then each feature's rows together, in the query's feature order, to find them.
        order = np.argsort(self.feature, kind="stable")
        self.feature, self.doc, self.weight = (
            self.feature[order],
            self.doc[order],
            self.weight[order],
        )
        self._start = np.searchsorted(self.feature, np.arange(len(features)))
        self._count = np.bincount(self.feature, minlength=len(features))

    def window(self, window_features: Iterable[int]) -> np.ndarray:
        """Row numbers of the postings of ``window_features`` (those among the query's)."""
        index = self._index
        f = np.fromiter((index[x] for x in window_features if x in index), dtype=np.int64)
        counts = self._count[f]
        ends = np.cumsum(counts)
        # Each feature's run of rows: its start, repeated over its count, plus 0, 1, 2 ...
        return np.repeat(self._start[f] - (ends - counts), counts) + np.arange(
            ends[-1] if len(ends) else 0
        )

    def tally(self, rows: np.ndarray) -> np.ndarray:
        """Each document's summed feature weight over the given postings."""
        return np.bincount(self.doc[rows], weights=self.weight[rows], minlength=len(self.docs))


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest positive ``scores``, best first, ties to the lower index.

    >>> _top(np.array([0.5, 2.0, 0.0, 2.0, 1.0]), 3).tolist()
    [1, 3, 4]
    """
    nz = np.flatnonzero(scores > 0)
    if len(nz) > k:
        kth = np.partition(scores[nz], len(nz) - k)[len(nz) - k]
        nz = nz[scores[nz] >= kth]
    return nz[np.lexsort((nz, -scores[nz]))][:k]


class _Voted(NamedTuple):
    feats: list[int]  # the query's features (subsampled where over the cap)
    useful: list[int]  # those counted, rarest first
    df: dict[int, int]
    votes: _Votes
    capped: bool


def frequencies_once(
    store: Store, feats: list[int], known: dict[int, int] | None
) -> dict[int, int]:
    """:meth:`Store.document_frequencies` of ``feats``, asking the store only for those not
    in ``known`` (0 for a feature no document holds), which it then holds too."""
    if known is None:
        return store.document_frequencies(feats)
    missing = [f for f in feats if f not in known]
    if missing:
        known.update(dict.fromkeys(missing, 0))
        known.update(store.document_frequencies(missing))
    return {f: d for f in feats if (d := known[f])}


def _vote(
    store: Store,
    win_feats: list[set[int]],
    cfg: RetrievalConfig,
    known: dict[int, int] | None = None,
    leave_out: Collection[int] = (),
) -> _Voted | None:
    """The postings of the windows' features (``win_feats``) that count as evidence of
    reuse, as votes; None when the query has no feature. ``known``, ``leave_out``: see
    :func:`candidates`."""
    feats = sorted(set().union(*win_feats))
    capped = False
    if len(feats) > cfg.max_query_features:
        # Keep a hash-defined subset: the same text always gives the same sample.
        step = len(feats) / cfg.max_query_features
        feats = [feats[int(i * step)] for i in range(cfg.max_query_features)]
        capped = True
    if not feats:
        return None
    n_docs = max(1, store.text_count())  # df counts texts, not their reprints
    limit = common_feature_limit(n_docs, cfg.max_df_share, RETRIEVAL_COMMON_FLOOR, cfg.max_df)
    if store.postings_cap is not None:  # the store dropped the postings of commoner features
        limit = min(limit, store.postings_cap)
    df = frequencies_once(store, feats, known)
    useful = sorted((f for f, d in df.items() if d <= limit), key=lambda f: (df[f], f))
    budget = 0
    for i, f in enumerate(useful):
        budget += df[f]
        if budget > cfg.max_postings:
            useful = useful[:i]
            capped = True
            break
    weight = [math.log(1.0 + n_docs / df[f]) for f in useful]
    rows = store.postings(useful)
    if leave_out:
        rows = [r for r in rows if r[1] not in leave_out]
    return _Voted(feats, useful, df, _Votes(rows, useful, weight), capped)


def _with_originals(
    text: str,
    tokens: Tokens,
    windows: list[tuple[int, int]],
    win_feats: list[set[int]],
    cfg: RetrievalConfig,
) -> list[set[int]]:
    """Each window's features and its content-word pairs with one word read as one of its
    likely originals (:func:`unspin.fingerprints.pairs_with_originals`)."""
    from .spinscore.originals import likely_originals  # the restorer's tables: only if asked

    where = content_positions(tokens)
    stems = [stem(tokens.norms[i]) for i in where]
    found = likely_originals(text, tokens, where, cfg.originals_per_word)
    others = [
        [s for s in dict.fromkeys(map(stem, words)) if s != own]
        for words, own in zip(found, stems, strict=True)
    ]
    starts = [tokens.starts[i] for i in where]
    out = []
    for (a, b), feats in zip(windows, win_feats, strict=True):
        lo, hi = bisect_left(starts, a), bisect_left(starts, b)
        out.append(feats | pairs_with_originals(stems[lo:hi], others[lo:hi], cfg.query_pair_window))
    return out


def candidates(
    store: Store,
    text: str,
    config: RetrievalConfig | None = None,
    *,
    tokens: Tokens | None = None,
    known: dict[int, int] | None = None,
    leave_out: Collection[int] = (),
) -> Candidates:
    """Rank stored documents by the weight of the fingerprints they share with ``text``.

    Long articles are voted on window by window as well as as a whole: a passage reused in a
    long text shares few features with its source compared with what unrelated documents
    share with the rest of the text, but within its own window its source still wins. The
    best candidates of every window join the overall best. ``tokens``: ``tokenize(text)``
    when the caller has it (trace tokenises an article once). ``known``: the document
    frequencies of features read before from the same state of the store (0 for none),
    filled in as this query reads more: a second query repeats the first one's features,
    and the queries of an article's stretches (trace) repeat the article's, each asked once.
    ``leave_out``: keys never returned, as if not stored (a stored document traced against
    the others; its features still count in the document frequencies).
    """
    cfg = config or RetrievalConfig()
    if tokens is None:
        tokens = tokenize(text)
    if known is None:
        known = {}
    windows = _block_windows(text, cfg)
    # The query also pairs content words one or two apart: a rewording that slips a word in
    # between keeps the stored adjacent pair as a skip pair (no extra storage: query side only).
    fcfg = FeatureConfig(pair_window=cfg.query_pair_window)
    win_feats = [
        fingerprint_tokens(
            tokens if (a, b) == (0, len(text)) else tokens_within(text, tokens, a, b), fcfg
        )
        for a, b in windows
    ]
    voted = _vote(store, win_feats, cfg, known, leave_out)
    if voted is None:
        ranked: list[tuple[int, float]] = []
        capped = False
    else:
        ranked, capped = _chosen(voted, win_feats, cfg)
    below = cfg.originals_below
    originals = 0
    if (
        below is not None
        and len(text) <= cfg.originals_max_chars
        and (voted is None or not (voted.votes.shared >= below).any())
    ):
        more = _with_originals(text, tokens, windows, win_feats, cfg)
        again = _vote(store, more, cfg, known, leave_out)  # the first query's features: once
        if again is not None:
            # Only documents that clear the bar the first query missed, and only a few: most
            # texts that get here have no stored source at all.
            few = min(cfg.candidates, cfg.originals_candidates)
            cut = replace(cfg, min_shared=max(cfg.min_shared, below), candidates=few)
            found = _chosen(again, more, cut)[0][:few]
            taken = {k for k, _ in found}
            ranked = found + [(k, v) for k, v in ranked if k not in taken]
            originals = len(found)
    if voted is None:
        return Candidates(ranked, 0, 0, False, originals)
    n_feats, n_used = len(voted.feats), len(voted.useful)
    return Candidates(ranked, n_feats, n_used, capped or voted.capped, originals)


def _chosen(
    voted: _Voted, win_feats: list[set[int]], cfg: RetrievalConfig
) -> tuple[list[tuple[int, float]], bool]:
    """The candidates of a vote, best first, and whether they were cut at the cap: the best
    overall, then each window's best by votes and by rare features (see :func:`candidates`)."""
    df, useful, votes = voted.df, voted.useful, voted.votes
    capped = False
    # Cutting the tail to ``candidates`` is normal operation, not a cap worth reporting.
    eligible = votes.shared >= cfg.min_shared
    best = _top(np.where(eligible, votes.total, 0.0), cfg.candidates)
    chosen = {int(votes.docs[i]): float(votes.total[i]) for i in best}
    cap = cfg.max_candidates
    if len(win_feats) > 1:
        rare = np.array([df[f] <= cfg.rare_df for f in useful], dtype=bool)
        picks: list[np.ndarray] = []
        for wf in win_feats:
            in_window = votes.window(wf)
            # Two lists per window: by weighted votes, and by features almost nobody else has
            # (a translated or heavily reworded passage keeps only a few, but rare, ones).
            picks.append(_top(votes.tally(in_window), cfg.per_window))
            picks.append(
                _top(votes.tally(in_window[rare[votes.feature[in_window]]]), cfg.per_window_rare)
            )
        # Round robin over the windows' lists, so a cap trims every window alike.
        for r in range(max(cfg.per_window, cfg.per_window_rare)):
            for lst in picks:
                if r < len(lst):
                    i = lst[r]
                    doc = int(votes.docs[i])
                    if doc not in chosen and eligible[i]:
                        chosen[doc] = float(votes.total[i])
        cap = max(cap, cfg.window_quota * len(win_feats))
        if len(chosen) > cap:
            capped = True
    # Dicts keep insertion order: the overall best first, then each window's picks, so a cap
    # never drops a window's own best source in favour of globally popular documents.
    out = list(chosen.items())[:cap]
    return out, capped
