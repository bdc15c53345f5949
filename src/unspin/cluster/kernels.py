"""The plain functions both cluster engines call, stage by stage.

Every kernel takes and returns plain Python data (ints, strings, tuples, dicts) so the local
engine can call it in a loop and the Spark engine can call it inside ``flatMap`` or
``mapPartitions`` unchanged. Nothing here knows about SQLite or Spark.

Stages:

1. :func:`doc_features` -- the spin-robust fingerprint of one document (same as ``trace``).
2. :func:`posting_pairs` -- for one feature's posting list, the document pairs it supports
   (nothing when the feature is too common: boilerplate, see :func:`df_cap`); pairs sharing at
   least ``min_shared`` features are candidates (:func:`candidate_pairs` is the local reducer).
   Word-for-word copies (reprints) count once: features and pairs come from the earliest
   document of each text (:func:`copy_groups`), so a story syndicated by a hundred outlets is
   not taken for boilerplate, and each copy is paired with that document only
   (:func:`copy_pairs`: N copies cost N-1 alignments, not N²/2).
3. :func:`align_pair` -- verify one candidate pair with the same alignment ``trace`` uses; the
   pair is oriented in time first (:func:`order_key`), so passages point from earlier to later.

Stages 4 and 5 (clustering, ordering, site graph) live in :mod:`.build` and :mod:`.graph`;
:func:`edit_summary` labels the edits of each cluster member against the passage it most
closely copies (once per member, not once per passage: re-issued stories form cliques whose
passage count grows quadratically).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

from ..align import AlignConfig, Prepared, align_prepared, prepare
from ..align.profiles import CLUSTERS
from ..edits import label_edits
from ..fingerprints import (
    CLUSTER_COMMON_FLOOR,
    CLUSTER_COMMON_SHARE,
    common_feature_limit,
    fingerprint,
)
from ..types import Passage
from ..validate import Rule, check_fields, count, flag, instance, share
from .options import MIN_SHARED

UNDATED = "9999-12-31"  # documents without a date sort after every dated one
EXCERPT_CHARS = 160


class DocRecord(TypedDict):
    """One document as the engines pass it around (``key`` is the ingest order)."""

    key: int
    id: str
    site: str | None
    date: str | None
    text: str


class PassageRecord(TypedDict):
    """One aligned passage: ``target`` (the later document) took ``[target_start,
    target_end)`` from ``[source_start, source_end)`` of ``source`` (the earlier one)."""

    source: int
    target: int
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    score: float
    source_excerpt: str
    target_excerpt: str


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Settings shared by both engines; equal configs give byte-identical clusters."""

    min_shared: int = MIN_SHARED  # candidate pairs share at least this many features
    # A feature in more documents than max(df_floor, df_share * N) is boilerplate and
    # supports no pair (see unspin.fingerprints.common_feature_limit).
    df_floor: int = CLUSTER_COMMON_FLOOR
    df_share: float = CLUSTER_COMMON_SHARE
    label_edits: bool = True  # per-member edit summaries (stage 5; about 10 ms a member)
    # The "clusters" profile (see unspin.align.profiles for the reason of each change).
    align: AlignConfig = CLUSTERS.config

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


_RULES: dict[str, Rule] = {
    "min_shared": count(1, "features a candidate pair shares"),
    "df_floor": count(1, "documents a feature may be in, at least"),
    "df_share": share("a share of the corpus's documents"),
    "label_edits": flag(),
    "align": instance(AlignConfig),
}


def order_key(date: str | None, key: int) -> tuple[str, int]:
    """Time order of a document: publication date, then ingest order (undated last)."""
    return (date or UNDATED, key)


def df_cap(n_docs: int, config: ClusterConfig) -> int:
    """Largest document frequency a feature may have and still support candidate pairs."""
    return common_feature_limit(n_docs, config.df_share, config.df_floor)


def text_digest(text: str) -> str:
    """Identity of a text: SHA-256 of its UTF-8 (what Spark's ``sha2(text, 256)`` gives)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def copy_groups(docs: Iterable[tuple[int, str | None, str]]) -> dict[int, int]:
    """{document key: key of the earliest document (:func:`order_key`) with the same text}
    for documents given as ``(key, date, text digest)``.

    >>> copy_groups([(1, "2021-03-05", "h"), (2, "2021-03-04", "h"), (3, None, "g")])
    {1: 2, 2: 2, 3: 3}
    """
    items = list(docs)
    first: dict[str, tuple[tuple[str, int], int]] = {}
    for key, date, digest in items:
        when = order_key(date, key)
        if digest not in first or when < first[digest][0]:
            first[digest] = (when, key)
    return {key: first[digest][1] for key, _date, digest in items}


def copy_pairs(
    groups: dict[int, int], n_features: dict[int, int], min_shared: int
) -> list[tuple[int, int, int]]:
    """Candidate pairs ``(a, b, shared)`` joining each copy to the earliest document with its
    text (``groups`` from :func:`copy_groups`, ``n_features`` of those documents), sorted."""
    out = []
    for key, first in groups.items():
        n = n_features.get(first, 0)
        if key != first and n >= min_shared:
            out.append((min(key, first), max(key, first), n))
    return sorted(out)


# -- stage 1 --------------------------------------------------------------------------------
def doc_features(text: str) -> list[int]:
    """The sorted spin-robust features of a text (:func:`unspin.fingerprints.fingerprint`)."""
    return sorted(fingerprint(text))


# -- stage 2 --------------------------------------------------------------------------------
def posting_pairs(docs: Iterable[int], cap: int) -> Iterator[tuple[int, int]]:
    """Every pair ``(a, b)`` with ``a < b`` of the documents holding one feature.

    A feature held by more than ``cap`` documents yields nothing: it is boilerplate, and its
    quadratic number of pairs would dominate the job.
    """
    keys = sorted(set(docs))
    if len(keys) < 2 or len(keys) > cap:
        return
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            yield (a, b)


def candidate_pairs(
    features: Iterable[tuple[int, list[int]]], cap: int, min_shared: int
) -> list[tuple[int, int, int]]:
    """Reference reducer of stage 2: ``(a, b, shared)`` for pairs sharing ``min_shared``+
    non-boilerplate features, sorted. ``features`` yields ``(doc key, its features)``."""
    index: dict[int, list[int]] = {}
    for key, feats in features:
        for f in feats:
            index.setdefault(f, []).append(key)
    counts: Counter[tuple[int, int]] = Counter()
    for docs in index.values():
        counts.update(posting_pairs(docs, cap))
    return sorted((a, b, n) for (a, b), n in counts.items() if n >= min_shared)


# -- stage 3 --------------------------------------------------------------------------------
def orient(a: DocRecord, b: DocRecord) -> tuple[DocRecord, DocRecord]:
    """(earlier, later) of two documents by :func:`order_key`."""
    if order_key(a["date"], a["key"]) <= order_key(b["date"], b["key"]):
        return a, b
    return b, a


def edit_summary(source: str, target: str, spans: tuple[int, int, int, int]) -> dict[str, int]:
    """How many edits of each label turned ``source[s0:s1]`` into ``target[t0:t1]``
    (``spans`` is ``(s0, s1, t0, t1)``)."""
    passage = Passage(*spans)
    return dict(sorted(Counter(e.label for e in label_edits(source, target, passage)).items()))


def align_pair(
    a: DocRecord,
    b: DocRecord,
    config: ClusterConfig,
    prepared: dict[int, Prepared] | None = None,
) -> list[PassageRecord]:
    """Verify one candidate pair: the passages the later document took from the earlier one.

    ``prepared`` is an optional cache of :func:`unspin.align.prepare` results by document key
    (preparing is deterministic, so caching never changes the result).
    """
    src, tgt = orient(a, b)
    cache = prepared if prepared is not None else {}
    for doc in (src, tgt):
        if doc["key"] not in cache:
            cache[doc["key"]] = prepare(doc["text"], config.align)
    passages = align_prepared(cache[src["key"]], cache[tgt["key"]], config.align)
    out: list[PassageRecord] = []
    for p in passages:
        out.append(
            PassageRecord(
                source=src["key"],
                target=tgt["key"],
                source_start=p.source_start,
                source_end=p.source_end,
                target_start=p.target_start,
                target_end=p.target_end,
                score=round(p.score, 4),
                source_excerpt=src["text"][p.source_start : p.source_start + EXCERPT_CHARS],
                target_excerpt=tgt["text"][p.target_start : p.target_start + EXCERPT_CHARS],
            )
        )
    return out


def passage_sort_key(p: PassageRecord) -> tuple[int, int, int, int, int, int]:
    """The canonical order of passages (both engines sort by it before clustering)."""
    return (
        p["source"],
        p["target"],
        p["target_start"],
        p["target_end"],
        p["source_start"],
        p["source_end"],
    )


def as_passage_record(row: dict[str, Any]) -> PassageRecord:
    """A passage read back from JSON or Parquet, with its fields' types restored."""
    return PassageRecord(
        source=int(row["source"]),
        target=int(row["target"]),
        source_start=int(row["source_start"]),
        source_end=int(row["source_end"]),
        target_start=int(row["target_start"]),
        target_end=int(row["target_end"]),
        score=float(row["score"]),
        source_excerpt=str(row["source_excerpt"]),
        target_excerpt=str(row["target_excerpt"]),
    )
