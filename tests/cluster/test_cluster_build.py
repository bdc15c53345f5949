"""Stage 4-5: union-find clustering, time order, origin and its evidence."""

from __future__ import annotations

import random

from unspin.cluster.build import (
    DocMeta,
    attach_edits,
    build_clusters,
    dumps_cluster,
    edit_requests,
    merge_spans,
)
from unspin.cluster.kernels import PassageRecord


def _p(
    src: int, tgt: int, s: tuple[int, int], t: tuple[int, int], score: float = 0.9
) -> PassageRecord:
    return PassageRecord(
        source=src,
        target=tgt,
        source_start=s[0],
        source_end=s[1],
        target_start=t[0],
        target_end=t[1],
        score=score,
        source_excerpt=f"s{src}@{s[0]}",
        target_excerpt=f"t{tgt}@{t[0]}",
    )


DOCS = {
    k: DocMeta(key=k, id=f"d{k}", site=site, date=date, length=1000)
    for k, site, date in [
        (1, "a.example", "1987-03-01"),
        (2, "b.example", "1987-03-02"),
        (3, "c.example", "1987-03-03"),
        (4, "a.example", "1987-03-01"),
        (5, "b.example", "1987-03-01"),
    ]
}
PASSAGES = [
    _p(1, 2, (0, 300), (100, 400)),
    _p(2, 3, (150, 500), (0, 350), 0.8),  # overlaps d2's member: same cluster (a chain)
    _p(1, 3, (0, 250), (0, 240), 0.95),
    _p(4, 5, (600, 900), (0, 300)),  # a separate cluster, same date: no origin
]


def test_merge_spans_joins_real_overlaps_only() -> None:
    ranges, where = merge_spans([(0, 10, 0), (4, 20, 1), (20, 30, 2)])
    assert ranges == [(0, 20), (20, 30)]  # touching spans share no text
    assert where == {0: 0, 1: 0, 2: 1}
    # A sentence-wide overlap at a splice point does not make two passages one member.
    ranges, where = merge_spans([(0, 500, 7), (450, 1000, 8)])
    assert ranges == [(0, 500), (450, 1000)] and where == {7: 0, 8: 1}


def test_overlapping_passages_form_one_cluster_ordered_in_time() -> None:
    clusters = build_clusters(PASSAGES, DOCS)
    assert [c["cluster"] for c in clusters] == ["c1", "c2"]
    big = clusters[0]
    assert [m["id"] for m in big["members"]] == ["d1", "d2", "d3"]
    assert big["members"][0]["origin"] and not big["members"][1]["origin"]
    assert big["origin"]["id"] == "d1"
    assert big["direction"]["basis"] == "date"
    assert big["direction"]["direct_copies"] == 2
    assert big["members"][1]["start"] == 100 and big["members"][1]["end"] == 500
    assert big["members"][1]["coverage"] == 0.4
    assert big["members"][2]["took_from"] == ["d1", "d2"]
    assert big["members"][2]["via"]["id"] == "d1"  # the strongest incoming passage
    assert big["sites"] == ["a.example", "b.example", "c.example"]
    small = clusters[1]
    assert small["direction"]["basis"] == "tie"  # same day: ingest order is no evidence
    assert small["origin"] is None and not any(m["origin"] for m in small["members"])
    assert "1987-03-01" in small["direction"]["reason"]
    assert small["members"][0]["excerpt"] == "s4@600"


def _pair_cluster(date_a: str | None, date_b: str | None) -> dict[str, object]:
    docs = {
        1: DocMeta(key=1, id="first-ingested", site="a.example", date=date_a, length=1000),
        2: DocMeta(key=2, id="second-ingested", site="b.example", date=date_b, length=1000),
    }
    (cluster,) = build_clusters([_p(1, 2, (0, 300), (0, 300))], docs)
    return cluster


def test_no_origin_is_named_without_dates_that_order_the_members() -> None:
    for date_a, date_b, basis in [
        (None, None, "undated"),
        ("1987-03-01", None, "undated"),  # the undated one may be older
        (None, "1987-03-01", "undated"),
        ("1987-03-01", "1987-03-01", "tie"),
        ("1987", "1987-03-02", "tie"),  # a year says nothing about March 2nd
        ("1987-03-01", "1987-03-01T10:00:00Z", "tie"),
        ("1987-03-01T09:00:00Z", "1987-03-01T09:00:00Z", "tie"),
    ]:
        c = _pair_cluster(date_a, date_b)
        assert c["direction"]["basis"] == basis, (date_a, date_b)  # type: ignore[index]
        assert c["origin"] is None, (date_a, date_b)
        assert "no probable origin" in c["direction"]["reason"]  # type: ignore[index]


def test_dates_that_order_the_members_name_the_origin() -> None:
    for date_a, date_b, origin in [
        ("1987-03-02", "1987-03-01", "second-ingested"),  # dates, not ingest order
        ("1987-03-01T09:00:00Z", "1987-03-01T10:00:00Z", "first-ingested"),
        ("1986", "1987-03-01", "first-ingested"),
    ]:
        c = _pair_cluster(date_a, date_b)
        assert c["direction"]["basis"] == "date"  # type: ignore[index]
        assert c["origin"]["id"] == origin  # type: ignore[index]
        assert [m["origin"] for m in c["members"]] == [True, False]  # type: ignore[attr-defined]


def test_clusters_do_not_depend_on_passage_order() -> None:
    expected = [dumps_cluster(c) for c in build_clusters(PASSAGES, DOCS)]
    for seed in range(5):
        shuffled = PASSAGES[:]
        random.Random(seed).shuffle(shuffled)
        assert [dumps_cluster(c) for c in build_clusters(shuffled, DOCS)] == expected


def test_edit_requests_and_attach_edits_round_trip() -> None:
    clusters = build_clusters(PASSAGES, DOCS)
    requests = edit_requests(clusters)
    assert ("c1", 1, 1, 2, (0, 300, 100, 400)) in requests
    assert all(r[1] > 0 for r in requests)  # origins have no incoming passage
    attach_edits(clusters, {("c1", 1): {"synonym": 3}})
    assert clusters[0]["members"][1]["edits"] == {"synonym": 3}
    assert clusters[0]["members"][2]["edits"] == {}
