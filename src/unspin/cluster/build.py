"""Stages 4 and 5: group passages into reuse clusters, order them in time, mark the origin.

A passage joins a span of an earlier document to a span of a later one. Spans of the same
document that overlap substantially are one *member* (a merged character range); a reuse cluster is a
connected component of members joined by passages (union-find). Members are ordered by
publication date, then ingest order (undated last). The earliest is named the probable origin
only when the dates say so: every member is dated and the earliest date is before every other
member's, compared at the coarser precision of the two (:func:`unspin.dates.compare_dates`).
Otherwise the cluster says why there is no origin: ``undated`` (a member has no date) or
``tie`` (another member has the same earliest date); ingest order is never evidence.

Everything is a pure function of sorted plain data, so both engines produce byte-identical
JSON from the same passages (:func:`dumps_cluster`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypedDict, TypeVar

from ..dates import compare_dates
from .kernels import PassageRecord, order_key, passage_sort_key

SCHEMA = "unspin.cluster/1"
MIN_OVERLAP = 0.5  # share of the shorter span two spans must share to be the same text


class DocMeta(TypedDict):
    """What clustering needs to know about a document (no text)."""

    key: int
    id: str
    site: str | None
    date: str | None
    length: int


# A member of a cluster is identified by (document key, index of its merged range).
Node = tuple[int, int]
N = TypeVar("N", int, Node)


class _UnionFind(Generic[N]):
    """Disjoint sets whose root is always the smallest member (so the result does not depend
    on the order of the unions)."""

    def __init__(self) -> None:
        self.parent: dict[N, N] = {}

    def find(self, x: N) -> N:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression keeps later finds flat
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: N, b: N) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller node becomes the root: the result does not depend on input order.
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo


def _same_text(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans of one document hold the same reused text: they overlap by at least
    ``MIN_OVERLAP`` of the shorter one (alignment edges are a sentence wide, so two passages
    that merely touch at a splice point must not chain two unrelated clusters together)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= MIN_OVERLAP * min(a[1] - a[0], b[1] - b[0])


def merge_spans(
    spans: Sequence[tuple[int, int, int]],
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Group the ``(start, end, tag)`` spans of one document that hold the same text.

    Returns each group's range (from its first start to its last end) in order and, for each
    tag, the index of its group. Spans that overlap by less than ``MIN_OVERLAP`` of the
    shorter one stay apart.
    """
    ordered = sorted(spans)
    sets = _UnionFind[int]()
    find = sets.find

    active: list[int] = []  # spans still open at the current start
    for i, (start, end, _tag) in enumerate(ordered):
        active = [j for j in active if ordered[j][1] > start]
        for j in active:
            if _same_text((ordered[j][0], ordered[j][1]), (start, end)):
                sets.union(i, j)
        active.append(i)
    bounds: dict[int, tuple[int, int]] = {}
    for i, (start, end, _tag) in enumerate(ordered):
        r = find(i)
        lo, hi = bounds.get(r, (start, end))
        bounds[r] = (min(lo, start), max(hi, end))
    roots = sorted(bounds, key=lambda r: (bounds[r], r))
    index = {r: k for k, r in enumerate(roots)}
    where = {tag: index[find(i)] for i, (_s, _e, tag) in enumerate(ordered)}
    return [bounds[r] for r in roots], where


def _components(
    passages: Sequence[PassageRecord],
) -> tuple[dict[Node, tuple[int, int]], list[tuple[Node, Node]], list[list[Node]]]:
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for i, p in enumerate(passages):
        spans[p["source"]].append((p["source_start"], p["source_end"], 2 * i))
        spans[p["target"]].append((p["target_start"], p["target_end"], 2 * i + 1))
    ranges: dict[Node, tuple[int, int]] = {}
    node_of: dict[int, Node] = {}
    for doc in sorted(spans):
        merged, where = merge_spans(spans[doc])
        for k, r in enumerate(merged):
            ranges[(doc, k)] = r
        for tag, k in where.items():
            node_of[tag] = (doc, k)
    uf = _UnionFind[Node]()
    edges = [(node_of[2 * i], node_of[2 * i + 1]) for i in range(len(passages))]
    for a, b in edges:
        uf.union(a, b)
    groups: dict[Node, list[Node]] = defaultdict(list)
    for node in sorted(ranges):
        groups[uf.find(node)].append(node)
    return ranges, edges, list(groups.values())


def _direction(members: Sequence[DocMeta], direct: int) -> dict[str, Any]:
    """Whether the dates name the earliest member as the origin, and why (or why not)."""
    first = members[0]
    undated = sum(1 for d in members if not d["date"])
    if undated:
        return {
            "basis": "undated",
            "reason": f"{undated} of {len(members)} members have no date: no probable origin",
            "direct_copies": direct,
        }
    ties = sum(1 for d in members[1:] if compare_dates(first["date"] or "", d["date"] or "") == 0)
    if ties:
        return {
            "basis": "tie",
            "reason": f"the earliest date, {first['date']}, is shared by {ties + 1} members: "
            "no probable origin",
            "direct_copies": direct,
        }
    why = f"published {first['date']}, before the next member ({members[1]['date']})"
    return {"basis": "date", "reason": why, "direct_copies": direct}


def build_clusters(
    passages: Iterable[PassageRecord], docs: dict[int, DocMeta]
) -> list[dict[str, Any]]:
    """Reuse clusters from verified passages, largest first, with ids ``c1``, ``c2``, ...

    Each member holds its document, merged offsets, coverage (share of the document), the
    documents it took text from and ``via``: its strongest incoming passage, against which
    :func:`attach_edits` summarises the edits. ``edits`` is empty until then.
    """
    ordered = sorted(passages, key=passage_sort_key)
    ranges, edges, groups = _components(ordered)
    incoming: dict[Node, list[tuple[float, int]]] = defaultdict(list)
    excerpt: dict[Node, tuple[int, str]] = {}
    for i, ((src, tgt), p) in enumerate(zip(edges, ordered, strict=True)):
        incoming[tgt].append((-p["score"], i))
        for node, start, text in (
            (src, p["source_start"], p["source_excerpt"]),
            (tgt, p["target_start"], p["target_excerpt"]),
        ):
            if node not in excerpt or start < excerpt[node][0]:
                excerpt[node] = (start, text)
    clusters: list[dict[str, Any]] = []
    for group in groups:
        members = sorted(group, key=lambda n: (order_key(docs[n[0]]["date"], n[0]), n[1]))
        in_group = set(group)
        n_passages = sum(1 for a, _ in edges if a in in_group)
        origin = members[0]
        direct = sum(1 for a, _ in edges if a == origin)
        direction = _direction([docs[n[0]] for n in members], direct)
        named = direction["basis"] == "date"
        out_members = [
            _member(rank, node, ranges, docs, ordered, edges, incoming, excerpt, named)
            for rank, node in enumerate(members)
        ]
        dates = sorted(d for d in (docs[n[0]]["date"] for n in members) if d)
        clusters.append(
            {
                "schema": SCHEMA,
                "members": out_members,
                "size": len(members),
                "documents": len({n[0] for n in members}),
                "sites": sorted({docs[n[0]]["site"] or "" for n in members}),
                "passages": n_passages,
                "first_date": dates[0] if dates else None,
                "last_date": dates[-1] if dates else None,
                # None when the dates do not order the members (see direction).
                "origin": {"key": origin[0], "id": docs[origin[0]]["id"]} if named else None,
                "direction": direction,
            }
        )
    clusters.sort(
        key=lambda c: (
            -c["size"],
            order_key(c["members"][0]["date"], c["members"][0]["key"]),
            c["members"][0]["start"],
        )
    )
    for n, c in enumerate(clusters, start=1):
        c["cluster"] = f"c{n}"
    return clusters


def _member(
    rank: int,
    node: Node,
    ranges: dict[Node, tuple[int, int]],
    docs: dict[int, DocMeta],
    passages: Sequence[PassageRecord],
    edges: Sequence[tuple[Node, Node]],
    incoming: dict[Node, list[tuple[float, int]]],
    excerpt: dict[Node, tuple[int, str]],
    origin_named: bool,
) -> dict[str, Any]:
    doc = docs[node[0]]
    start, end = ranges[node]
    via = None
    if incoming.get(node):
        best = passages[min(incoming[node])[1]]
        via = {
            "key": best["source"],
            "id": docs[best["source"]]["id"],
            "source_start": best["source_start"],
            "source_end": best["source_end"],
            "target_start": best["target_start"],
            "target_end": best["target_end"],
            "score": best["score"],
        }
    took = sorted({docs[edges[i][0][0]]["id"] for _, i in incoming.get(node, [])})
    return {
        "rank": rank,
        "origin": origin_named and rank == 0,
        "key": node[0],
        "id": doc["id"],
        "site": doc["site"],
        "date": doc["date"],
        "start": start,
        "end": end,
        "coverage": round((end - start) / max(1, doc["length"]), 4),
        "took_from": took,
        "via": via,
        "edits": {},
        "excerpt": excerpt[node][1],
    }


Spans = tuple[int, int, int, int]


def edit_requests(clusters: Sequence[dict[str, Any]]) -> list[tuple[str, int, int, int, Spans]]:
    """``(cluster id, member rank, source key, target key, spans)`` for every member with an
    incoming passage: what :func:`~.kernels.edit_summary` must label, sorted."""
    out: list[tuple[str, int, int, int, Spans]] = []
    for c in clusters:
        for m in c["members"]:
            v = m["via"]
            if v is not None:
                spans = (v["source_start"], v["source_end"], v["target_start"], v["target_end"])
                out.append((c["cluster"], m["rank"], v["key"], m["key"], spans))
    return sorted(out)


def attach_edits(
    clusters: list[dict[str, Any]], summaries: dict[tuple[str, int], dict[str, int]]
) -> list[dict[str, Any]]:
    """Fill each member's ``edits`` from ``{(cluster id, rank): counts}`` (in place)."""
    for c in clusters:
        for m in c["members"]:
            m["edits"] = dict(sorted(summaries.get((c["cluster"], m["rank"]), {}).items()))
    return clusters


def label_all(
    clusters: list[dict[str, Any]],
    text: Callable[[int], str],
    summarise: Callable[[str, str, Spans], dict[str, int]],
) -> list[dict[str, Any]]:
    """Local stage 5: label every member's edits with texts from ``text(key)``."""
    summaries = {
        (cid, rank): summarise(text(src), text(tgt), spans)
        for cid, rank, src, tgt, spans in edit_requests(clusters)
    }
    return attach_edits(clusters, summaries)


def dumps_cluster(cluster: dict[str, Any]) -> str:
    """One cluster as a canonical JSON line (sorted keys: byte-identical across engines)."""
    return json.dumps(cluster, sort_keys=True, ensure_ascii=False)
