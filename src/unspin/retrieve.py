"""Candidate sources for an article: vote over spin-robust fingerprints in the store.

Cost stays flat as the store grows because (1) features whose document frequency exceeds a
cap are skipped without reading their postings, and (2) only the best-voted candidates are
verified by alignment.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .features import fingerprint
from .store import Store


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    max_df: int = 2000  # features in more documents than this carry no evidence of reuse
    max_df_share: float = 0.05  # ... nor do features in more than this share of the store
    max_query_features: int = 60_000  # a huge article is subsampled (deterministically)
    candidates: int = 30  # how many voted candidates are verified by alignment
    min_shared: int = 2  # a candidate must share at least this many features


@dataclass(frozen=True, slots=True)
class Candidates:
    ranked: list[tuple[int, float]]  # (document key, vote score), best first
    query_features: int
    used_features: int
    capped: bool  # the query was subsampled or candidates were cut


def candidates(store: Store, text: str, config: RetrievalConfig | None = None) -> Candidates:
    """Rank stored documents by the weight of the fingerprints they share with ``text``."""
    cfg = config or RetrievalConfig()
    feats = sorted(fingerprint(text))
    capped = False
    if len(feats) > cfg.max_query_features:
        # Keep a hash-defined subset: the same text always gives the same sample.
        step = len(feats) / cfg.max_query_features
        feats = [feats[int(i * step)] for i in range(cfg.max_query_features)]
        capped = True
    if not feats:
        return Candidates([], 0, 0, False)
    n_docs = max(1, store.count())
    limit = min(cfg.max_df, max(10, int(cfg.max_df_share * n_docs)))
    df = store.document_frequencies(feats)
    useful = [f for f, d in df.items() if d <= limit]
    weight = {f: math.log(1.0 + n_docs / df[f]) for f in useful}
    votes: dict[int, float] = defaultdict(float)
    shared: dict[int, int] = defaultdict(int)
    for f, doc in store.postings(useful):
        votes[doc] += weight[f]
        shared[doc] += 1
    ranked = sorted(
        ((d, v) for d, v in votes.items() if shared[d] >= cfg.min_shared),
        key=lambda x: (-x[1], x[0]),
    )
    # Cutting the tail to ``candidates`` is normal operation, not a cap worth reporting.
    ranked = ranked[: cfg.candidates]
    return Candidates(ranked, len(feats), len(useful), capped)
