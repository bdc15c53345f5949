"""Candidate retrieval against a straightforward reference implementation.

The production code keeps only the best candidates (heap selection), reads postings rarest
feature first under a budget, and skips capped features; the reference sorts everything."""

import math
from collections import defaultdict
from pathlib import Path

import pytest

from unspin.fingerprints import FeatureConfig, fingerprint
from unspin.generators.article_spinner import spin
from unspin.retrieve import RetrievalConfig, _windows, candidates
from unspin.store import Store
from unspin.types import Document

TOPICS = "wheat oil shares rates bank harbour grain tonnes profit copper coffee sugar".split()


def _docs() -> list[Document]:
    out = []
    for i in range(60):
        a, b, c = TOPICS[i % 12], TOPICS[(i * 5) % 12], TOPICS[(i * 7 + 3) % 12]
        out.append(
            Document(
                id=f"d{i}",
                text=(
                    f"The {a} board of region {i} said on Monday that {b} exports would rise "
                    f"by {i % 9} pct this year. Officials expect the {c} market to recover "
                    f"after the strike at port {i * 3} ended, the ministry said in a statement. "
                    f"Traders said {a} prices fell {i % 4} dlrs while {b} output held steady."
                ),
            )
        )
    return out


def _reference(store: Store, text: str, cfg: RetrievalConfig) -> list[int]:
    """Plain reading of the voting rules: every useful feature, full sorts."""
    windows = [text[a:b] for a, b in _windows(len(text), cfg.window_chars, cfg.window_overlap)]
    fcfg = FeatureConfig(pair_window=cfg.query_pair_window)
    win_feats = [fingerprint(w, fcfg) for w in windows]
    feats = sorted(set().union(*win_feats))
    n = max(1, store.count())
    limit = min(cfg.max_df, max(10, int(cfg.max_df_share * n)))
    if store.postings_cap is not None:
        limit = min(limit, store.postings_cap)
    df = store.document_frequencies(feats)
    useful = sorted((f for f, d in df.items() if d <= limit), key=lambda f: (df[f], f))
    total, kept = 0, []
    for f in useful:
        total += df[f]
        if total > cfg.max_postings:
            break
        kept.append(f)
    weight = {f: math.log(1.0 + n / df[f]) for f in kept}
    docs_of = defaultdict(list)
    for f, d in store.postings(kept):
        docs_of[f].append(d)
    votes: dict[int, float] = defaultdict(float)
    shared: dict[int, int] = defaultdict(int)
    for f, ds in docs_of.items():
        for d in ds:
            votes[d] += weight[f]
            shared[d] += 1
    ranked = sorted(
        ((d, v) for d, v in votes.items() if shared[d] >= cfg.min_shared),
        key=lambda x: (-x[1], x[0]),
    )
    chosen = [d for d, _ in ranked[: cfg.candidates]]
    if len(windows) > 1:
        picks = []
        for wf in win_feats:
            wv: dict[int, float] = defaultdict(float)
            rare: dict[int, float] = defaultdict(float)
            for f in wf:
                for d in docs_of.get(f, ()):
                    wv[d] += weight[f]
                    if df[f] <= cfg.rare_df:
                        rare[d] += weight[f]
            for sc in (wv, rare):
                picks.append(
                    [d for d, _ in sorted(sc.items(), key=lambda x: (-x[1], x[0]))][
                        : cfg.per_window
                    ]
                )
        for r in range(cfg.per_window):
            for lst in picks:
                if r < len(lst) and lst[r] not in chosen and shared[lst[r]] >= cfg.min_shared:
                    chosen.append(lst[r])
    return chosen[: cfg.max_candidates]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path: Path = tmp_path_factory.mktemp("retrieve") / "s.db"
    s = Store(path)
    docs = _docs()
    s.add_batch([(d, fingerprint(d.text)) for d in docs])
    return s


@pytest.mark.parametrize(
    "cfg",
    [
        RetrievalConfig(),
        RetrievalConfig(candidates=3, per_window=2, window_chars=200, window_overlap=50),
        RetrievalConfig(max_postings=40),  # the budget bites: only the rarest features
        RetrievalConfig(max_df=8, max_df_share=1.0),
    ],
)
def test_candidates_equal_the_reference(store: Store, cfg: RetrievalConfig) -> None:
    docs = _docs()
    queries = [spin(docs[i].text, 0.3, seed=i).text for i in (0, 7, 21)]
    queries.append(docs[3].text + "\n\n" + docs[40].text + "\n\n" + docs[55].text)
    for q in queries:
        got = [k for k, _ in candidates(store, q, cfg).ranked]
        assert got == _reference(store, q, cfg)
        assert got  # something was found


def test_budget_reports_a_cap_and_keeps_the_source(store: Store) -> None:
    doc = _docs()[12]
    tight = candidates(store, doc.text, RetrievalConfig(max_postings=40))
    assert tight.capped
    assert tight.used_features < candidates(store, doc.text).used_features
    assert store.document(tight.ranked[0][0]).id == "d12"
