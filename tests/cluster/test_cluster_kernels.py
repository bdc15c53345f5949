"""Stage kernels: candidate generation with the boilerplate cap, orientation in time."""

from __future__ import annotations

from unspin.cluster.kernels import (
    ClusterConfig,
    DocRecord,
    align_pair,
    candidate_pairs,
    df_cap,
    doc_features,
    order_key,
    orient,
    posting_pairs,
)
from unspin.fingerprints import fingerprint

TEXT = (
    "The central bank raised its key interest rate by half a point on Tuesday, saying that "
    "inflation had stayed above its target for most of the year. Analysts had expected the move "
    "after a run of strong wage figures. The governor told reporters that further increases "
    "could not be ruled out if prices kept rising at the current pace. Markets in the region "
    "fell sharply after the announcement, with bank shares leading the decline."
)


def _doc(key: int, text: str, date: str | None = None, site: str = "a.example") -> DocRecord:
    return DocRecord(key=key, id=f"d{key}", site=site, date=date, text=text)


def test_doc_features_are_the_trace_fingerprint_sorted() -> None:
    assert doc_features(TEXT) == sorted(fingerprint(TEXT))


def test_posting_pairs_skips_boilerplate_features() -> None:
    assert list(posting_pairs([3, 1, 2, 1], cap=3)) == [(1, 2), (1, 3), (2, 3)]
    assert list(posting_pairs([1, 2, 3, 4], cap=3)) == []
    assert list(posting_pairs([5], cap=3)) == []


def test_df_cap_has_a_floor_and_grows_with_the_corpus() -> None:
    cfg = ClusterConfig()
    assert df_cap(100, cfg) == 50
    assert df_cap(1_000_000, cfg) == 5000


def test_candidate_pairs_need_min_shared_features() -> None:
    feats = [(1, [10, 11, 12]), (2, [10, 11, 12, 13]), (3, [12, 13]), (4, [99])]
    assert candidate_pairs(feats, cap=10, min_shared=2) == [(1, 2, 3), (2, 3, 2)]
    assert candidate_pairs(feats, cap=10, min_shared=3) == [(1, 2, 3)]
    # Feature 12 is in three documents: over a cap of 2 it supports nothing.
    assert candidate_pairs(feats, cap=2, min_shared=2) == [(1, 2, 2)]


def test_order_key_uses_dates_then_ingest_order_with_undated_last() -> None:
    keys = [order_key("1987-03-02", 1), order_key(None, 0), order_key("1987-03-01", 5)]
    assert sorted(keys) == [order_key("1987-03-01", 5), order_key("1987-03-02", 1), keys[1]]
    a, b = _doc(9, "x", "1987-01-01"), _doc(2, "y", "1987-02-01")
    assert orient(b, a) == (a, b)
    assert orient(_doc(2, "x", "1987-01-01"), _doc(1, "y", "1987-01-01"))[0]["key"] == 1


def test_align_pair_points_from_the_earlier_to_the_later_document() -> None:
    copy = "Unrelated opening line about the weather today. " + TEXT
    late, early = _doc(1, copy, "1987-05-02"), _doc(2, TEXT, "1987-05-01")
    passages = align_pair(late, early, ClusterConfig())
    assert passages, "a verbatim copy must align"
    p = passages[0]
    assert (p["source"], p["target"]) == (2, 1)
    assert TEXT[p["source_start"] : p["source_end"]] in copy
    assert copy[p["target_start"] :].startswith(p["target_excerpt"])
    assert p["target_start"] >= len("Unrelated opening line")
