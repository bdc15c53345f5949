"""Candidate retrieval against a straightforward reference implementation.

The production code keeps only the best candidates (heap selection), reads postings rarest
feature first under a budget, and skips capped features; the reference sorts everything."""

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from unspin.fingerprints import FeatureConfig, fingerprint
from unspin.generators.article_spinner import spin
from unspin.retrieve import RetrievalConfig, _block_windows, _windows, candidates
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
    bounds = _block_windows(text, cfg)
    windows = [text[a:b] for a, b in bounds]
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
            for sc, k in ((wv, cfg.per_window), (rare, cfg.per_window_rare)):
                picks.append([d for d, _ in sorted(sc.items(), key=lambda x: (-x[1], x[0]))][:k])
        for r in range(max(cfg.per_window, cfg.per_window_rare)):
            for lst in picks:
                if r < len(lst) and lst[r] not in chosen and shared[lst[r]] >= cfg.min_shared:
                    chosen.append(lst[r])
    cap = (
        cfg.max_candidates
        if len(windows) == 1
        else max(cfg.max_candidates, cfg.window_quota * len(windows))
    )
    return chosen[:cap]


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
        # main's windows before 12.21 (2,500 characters every 2,000, ten of each list)
        RetrievalConfig(
            window_chars=2000, window_overlap=500, per_window=10, per_window_rare=10, window_quota=0
        ),
        # a cap under what the windows pick: every window keeps its quota
        RetrievalConfig(candidates=2, max_candidates=3, window_chars=150, window_overlap=150),
        RetrievalConfig(candidates=2, max_candidates=3, window_quota=0, whole_chars=0),
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


@pytest.mark.parametrize("n", [1001, 2501, 4321, 10_000, 97_513])
def test_every_stretch_lies_in_the_middle_half_of_a_window(n: int) -> None:
    """A short reused passage wins its window only when the window is mostly that passage's
    neighbourhood: with the default windows every character (but the first and last quarter
    window of the text) lies in the middle half of some window, wherever the text starts."""
    cfg = RetrievalConfig()
    windows = _windows(n, cfg.window_chars, cfg.window_overlap)
    assert windows[0][0] == 0 and windows[-1][1] == n
    edge = (cfg.window_chars + cfg.window_overlap) // 4
    for p in range(edge, n - edge):
        assert any(a + (b - a) // 4 <= p < b - (b - a) // 4 for a, b in windows), p


def test_short_articles_are_voted_on_whole() -> None:
    cfg = RetrievalConfig()
    assert _windows(cfg.whole_chars, cfg.window_chars, cfg.window_overlap, cfg.whole_chars) == [
        (0, cfg.whole_chars)
    ]
    assert len(_windows(cfg.whole_chars + 1, cfg.window_chars, cfg.window_overlap)) > 1


def test_every_window_keeps_its_quota_under_the_cap(store: Store) -> None:
    """A long article has more windows than the overall cap has room for: each window still
    keeps ``window_quota`` picks, so the cap grows with the article (a flat cap gave each
    window of a 100 KB article one or two)."""
    docs = _docs()
    text = "\n\n".join(docs[i].text for i in range(0, 60, 3))
    n_windows = len(_windows(len(text), 500, 500))
    flat = RetrievalConfig(candidates=2, max_candidates=5, window_quota=0)
    grown = RetrievalConfig(candidates=2, max_candidates=5, window_quota=2)
    assert len(candidates(store, text, flat).ranked) == 5
    got = candidates(store, text, grown)
    assert 5 < len(got.ranked) <= 2 * n_windows
    # every document of the article is someone's window pick
    ids = {store.document(k).id for k, _ in got.ranked}
    assert {f"d{i}" for i in range(0, 60, 3)} <= ids


def test_windows_restart_at_a_blank_line_between_long_paragraphs() -> None:
    """No window reaches across a blank line between paragraphs of ``block_chars`` or more
    (sources change at paragraph breaks): the second paragraph's windows start at it, as
    they would if it were traced alone. Shorter paragraphs run on into the next."""
    first, second = "a" * 1700 + "\n\n", "b " * 1400
    text = first + second
    cfg = RetrievalConfig(block_chars=1000)
    windows = _block_windows(text, cfg)
    cut = len(first)
    assert not any(a < cut < b for a, b in windows)
    alone = _windows(len(second), cfg.window_chars, cfg.window_overlap)
    assert [(a - cut, b - cut) for a, b in windows if a >= cut] == alone
    # with the rule off, or paragraphs shorter than a block, windows run across the break
    assert any(a < cut < b for a, b in _block_windows(text, RetrievalConfig(block_chars=None)))
    assert any(a < cut < b for a, b in _block_windows(text, RetrievalConfig(block_chars=2000)))


# A paragraph and a spin of it in SpinBot's manner, written for these tests: every second
# content word swapped, so that no pair of content words the store indexes (adjacent ones)
# survives, and a few function words changed, so that no run of six function words does.
SCHOOLS = (
    "The city council approved a new budget for public schools, raising teacher salaries and "
    "hiring more staff for the coming year. The mayor said the plan would improve student "
    "results and reduce class sizes across the district."
)
SCHOOLS_SPUN = (
    "The town council endorsed another budget for state schools, increasing teacher "
    "compensations and hiring additional personnel over the coming year. The chairman stated "
    "that this plan might enhance student outcomes and reduce classroom sizes throughout the "
    "district."
)


@pytest.fixture()
def schools(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.db")
    docs = [*_docs(), Document(id="schools", text=SCHOOLS)]
    s.add_batch([(d, fingerprint(d.text)) for d in docs])
    return s


def test_a_paragraph_with_every_stored_pair_spun_is_found_through_its_likely_originals(
    schools: Store,
) -> None:
    # The first query shares no feature with the original (main before retrieve37: no
    # candidate at all); read with the restorer's likely originals ("endorsed" -> "approved",
    # "town" -> "city", "outcomes" -> "results"), pairs of the original come back.
    got = candidates(schools, SCHOOLS_SPUN)
    assert [schools.document(k).id for k, _ in got.ranked] == ["schools"]
    assert got.used_features == 0  # the first query's figures: it found nothing
    assert candidates(schools, SCHOOLS_SPUN, RetrievalConfig(originals_below=None)).ranked == []


def test_the_second_query_is_asked_only_when_the_first_finds_too_little(
    schools: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unspin.spinscore.originals as originals

    asked: list[str] = []
    real = originals.likely_originals

    def spy(text: str, *args: Any) -> Any:
        asked.append(text)
        return real(text, *args)

    monkeypatch.setattr(originals, "likely_originals", spy)
    lightly = spin(_docs()[5].text, 0.3, seed=5).text
    assert schools.document(candidates(schools, lightly).ranked[0][0]).id == "d5"
    assert asked == []  # its source shares enough features: the restorer is never read
    candidates(schools, SCHOOLS_SPUN)
    assert asked == [SCHOOLS_SPUN]
    # ... nor for an article over ``originals_max_chars``
    asked.clear()
    assert candidates(schools, SCHOOLS_SPUN, RetrievalConfig(originals_max_chars=100)).ranked == []
    assert asked == []


def test_the_second_query_adds_only_a_few_candidates(tmp_path: Path) -> None:
    # Five stored versions of the paragraph (a sentence added to each) all share enough with
    # the spin once it is read with its likely originals: ``originals_candidates`` of them
    # are aligned, not 30 (most texts that reach the second query have no stored source).
    s = Store(tmp_path / "s.db")
    docs = [Document(id=f"v{i}", text=f"{SCHOOLS} It was vote number {i}.") for i in range(5)]
    s.add_batch([(d, fingerprint(d.text)) for d in docs])
    assert len(candidates(s, SCHOOLS_SPUN).ranked) == RetrievalConfig().originals_candidates == 3
    assert len(candidates(s, SCHOOLS_SPUN, RetrievalConfig(originals_candidates=2)).ranked) == 2
    assert len(candidates(s, SCHOOLS_SPUN, RetrievalConfig(originals_candidates=9)).ranked) == 5


def test_each_features_document_frequency_is_read_once_and_the_votes_are_the_same(
    schools: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second query repeats the first one's features, and trace's stretch queries repeat
    # the article's: with ``known`` the store is asked about each feature once, and every
    # vote is what it is without it.
    asked: list[int] = []
    real = Store.document_frequencies

    def spy(self: Store, features: Any) -> dict[int, int]:
        asked.extend(features)
        return real(self, features)

    stretch = SCHOOLS_SPUN[: len(SCHOOLS_SPUN) // 2]  # a word cut in two: a new feature
    fresh, fresh_stretch = candidates(schools, SCHOOLS_SPUN), candidates(schools, stretch)
    assert fresh.originals and fresh.ranked[0][0] == schools.find("schools")[0].key
    monkeypatch.setattr(Store, "document_frequencies", spy)
    known: dict[int, int] = {}
    assert candidates(schools, SCHOOLS_SPUN, known=known) == fresh
    assert len(asked) == len(set(asked)) == len(known)  # the second query asked only new ones
    assert 0 in known.values() and any(d > 0 for d in known.values())
    assert candidates(schools, stretch, known=known) == fresh_stretch
    assert len(asked) == len(set(asked)) == len(known)
