"""Resource bounds of trace: long articles and articles matching thousands of documents
finish within bounds and say when a cap was applied (``TraceResult.capped``, ``meta["caps"]``).

The 1 MB and 5 MB figures come from ``benchmarks/bench_reliability.py`` (docs/reliability.md);
these tests check the caps themselves on inputs small enough for the default suite.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from unspin.generators.article_spinner import spin
from unspin.ingest import ingest
from unspin.retrieve import RetrievalConfig, _windows
from unspin.store import Store
from unspin.trace import TraceConfig, compare, trace

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bounds") / "demo.db"
    with Store(db) as store:
        ingest([DEMO / "corpus.jsonl"], store)
    return db


@pytest.fixture(scope="module")
def digest() -> str:
    """About 100,000 characters: 80 demo stories one after another."""
    lines = (DEMO / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return "\n\n".join(json.loads(line)["text"] for line in lines[:80])


def test_long_article_aligns_only_the_best_candidates_and_says_so(
    demo_db: Path, digest: str
) -> None:
    cfg = TraceConfig(max_align_chars=len(digest) * 12, min_aligned=5, score_unsourced=False)
    with Store(demo_db, create=False) as store:
        result = trace(digest, store, cfg)
    assert result.candidates_considered == 12
    assert result.capped
    (note,) = result.meta["caps"]
    assert "best 12 of" in note and "max_align_chars" in note
    assert result.sources  # the best-voted stories are still found


def test_short_article_is_not_capped(demo_db: Path) -> None:
    text = (DEMO / "example-article.txt").read_text(encoding="utf-8")
    with Store(demo_db, create=False) as store:
        result = trace(text, store)
    assert not result.capped and "caps" not in result.meta


def test_min_aligned_holds_for_huge_articles(demo_db: Path, digest: str) -> None:
    cfg = TraceConfig(max_align_chars=1, min_aligned=3, score_unsourced=False)
    with Store(demo_db, create=False) as store:
        result = trace(digest, store, cfg)
    assert result.candidates_considered == 3 and result.capped


def test_spin_scoring_stops_at_its_budget(demo_db: Path) -> None:
    filler = "Completely unrelated words about gardening tools and spring flowers. " * 60
    with Store(demo_db, create=False) as store:
        result = trace(filler, store, TraceConfig(max_scored_chars=1000))
    assert result.capped
    assert any("max_scored_chars" in note for note in result.meta["caps"])
    assert all(s.spin is None for s in result.segments)
    # compare applies the same budget
    res = compare(
        "A source text about cocoa prices in Bahia.",
        filler,
        config=TraceConfig(max_scored_chars=1000),
    )
    assert res.capped and "max_scored_chars" in res.meta["caps"][0]


@pytest.mark.slow
def test_article_matching_a_thousand_documents(tmp_path: Path) -> None:
    """A wire story re-issued 1,000 times (spun copies): tracing it stays bounded in
    candidates and memory."""
    base = json.loads((DEMO / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    corpus = tmp_path / "copies.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(1000):
            text = spin(base["text"], 0.25, seed=i).text
            fh.write(json.dumps({"id": f"copy-{i}", "text": text}) + "\n")
    db = tmp_path / "copies.db"
    with Store(db) as store:
        report = ingest([corpus], store)
    assert report.added > 900
    # In this store the copies are all there is, so every feature of the story is in more than
    # ``max_df_share`` (5%) of it and would be skipped as uninformative; in a real store a
    # thousand copies are a small share. Lift the share so all thousand copies vote.
    cfg = TraceConfig(retrieval=RetrievalConfig(max_df_share=1.0))
    tracemalloc.start()
    with Store(db, create=False) as store:
        result = trace(base["text"], store, cfg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.meta["used_features"] > 100
    # A thousand documents vote; only the best ``candidates`` (30) of the whole story and, for
    # each of its windows, the best ``per_window`` by votes and ``per_window_rare`` by rare
    # features are aligned.
    r = cfg.retrieval
    windows = len(_windows(len(base["text"]), r.window_chars, r.window_overlap, r.whole_chars))
    picks = windows * (r.per_window + r.per_window_rare)
    assert r.candidates <= result.candidates_considered <= r.candidates + picks
    assert result.candidates_considered <= max(r.max_candidates, r.window_quota * windows)
    # A thousand near-equal spun copies share the article between them (each stretch has one
    # owner since issue 20), so the listed sources together, not the first alone, explain it.
    assert result.sources and sum(s.coverage for s in result.sources) > 0.8
    assert peak < 300 * 1024 * 1024, peak
