"""The passage verifier: features, the shipped model, and its place in alignment."""

import json
import math
from importlib import resources

from unspin.align import AlignConfig, align
from unspin.verifier import (
    FEATURES,
    SHARED_WORD_FEATURES,
    TRACE_FEATURES,
    load_trace_verifier,
    load_verifier,
    passage_features,
    shared_word_features,
)

SEEDS = {(0, 0): 0.9, (1, 1): 0.7, (2, 2): 0.5, (7, 9): 0.4}


def _features(**kw: object) -> list[float]:
    args: dict[str, object] = dict(
        similarity=0.8,
        seed_count=3,
        seeds=SEEDS,
        src_units=(0, 2),
        tgt_units=(0, 3),
        source_chars=400,
        target_chars=500,
        source_words="the bank raised its rate".split(),
        target_words="the bank lifted its rate again".split(),
        summary=False,
    )
    args.update(kw)
    return passage_features(**args)  # type: ignore[arg-type]


def test_features_by_hand() -> None:
    f = dict(zip(FEATURES, _features(), strict=True))
    assert f["log_seeds"] == math.log(3)
    assert f["log_target_units"] == math.log(4) and f["log_source_units"] == math.log(3)
    assert f["seeded_share"] == 3 / 4  # target units 0, 1, 2 of 0..3 hold a seed inside
    assert abs(f["mean_seed_cosine"] - 0.7) < 1e-12 and f["max_seed_cosine"] == 0.9
    assert f["exact_word_share"] == 4 / 5  # the, bank, its, rate of the shorter side
    assert f["log_pair_seeds"] == math.log(5)  # all four seeds of the pair, the one outside too
    assert f["log_length_ratio"] == math.log(400 / 500)
    assert f["summary"] == 0.0
    assert dict(zip(FEATURES, _features(summary=True), strict=True))["summary"] == 1.0


def test_shipped_model_matches_the_features_and_ranks_sensibly() -> None:
    raw = resources.files("unspin").joinpath("data/passage_verifier.json").read_text("utf-8")
    data = json.loads(raw)
    assert tuple(data["model"]["features"]) == FEATURES
    v = load_verifier()
    assert 0.0 < v.threshold < 1.0
    assert str(v.threshold) in data["cross_validated_plagdet"]
    # A passage resting on many seeds with most words shared beats a one-seed, few-word echo
    # in a pair that seeds everywhere (two texts on one subject).
    strong = _features(seed_count=6, source_words=["a", "b", "c"], target_words=["a", "b", "c"])
    echo = _features(
        seed_count=1,
        seeds={**SEEDS, **{(i, i + 20): 0.35 for i in range(60)}},
        source_words=["a", "b", "c", "d"],
        target_words=["a", "x", "y", "z"],
    )
    assert v.probability(strong) > v.threshold > v.probability(echo)


def test_verification_only_removes_passages() -> None:
    source = (
        "The central bank raised interest rates by half a point on Tuesday. Officials said "
        "the move was needed to curb inflation, which reached eight percent last month. "
        "Markets fell sharply after the announcement, with the main index losing three percent."
    )
    target = "Unrelated opening words about gardens and weather. " + source
    loose = AlignConfig(min_target_chars=50, min_source_chars=50, verify_threshold=0.0)
    kept = align(source, target, AlignConfig(min_target_chars=50, min_source_chars=50))
    every = align(source, target, loose)
    assert kept and set(kept) <= set(every)
    assert align(source, target, AlignConfig(min_target_chars=50, verify_threshold=1.0)) == []


def test_shared_word_features_by_hand() -> None:
    """Distinct shared stems, the shorter side's matched share, and the shared stems' idf in
    the article scaled by its length."""
    df = {"bank": 10, "rate": 1, "rise": 3}
    f = dict(
        zip(
            SHARED_WORD_FEATURES,
            shared_word_features(["bank", "rate"], ["bank", "rate", "rate", "rise"], df.get, 10),
            strict=True,
        )
    )
    assert f["log_shared_stems"] == math.log(3)
    assert f["shorter_side_matched"] == 1.0  # both source stems are on the target side
    assert f["article_idf_shared"] == (0.0 + math.log(10) / math.log(11)) / 2
    none = shared_word_features(["a"], ["b"], df.get, 10)
    assert none == [0.0, 0.0, 0.0]


def test_shipped_trace_model_prefers_rare_shared_words_to_topic_words() -> None:
    """The trace verifier's features are the passage verifier's plus the shared-word ones, its
    threshold is the passage verifier's, and of two passages that align alike, the one whose
    shared words are rare in the article (its own sentences) is likelier reuse than the one
    sharing the words the whole article is about."""
    raw = resources.files("unspin").joinpath("data/trace_verifier.json").read_text("utf-8")
    assert tuple(json.loads(raw)["model"]["features"]) == TRACE_FEATURES
    v = load_trace_verifier()
    assert v.threshold == load_verifier().threshold
    base = _features(seed_count=2)
    words = ["w" + str(i) for i in range(8)]
    own = shared_word_features(words, words, lambda _: 1, 50)
    topic = shared_word_features(words, words, lambda _: 40, 50)
    assert v.probability(base + own) > v.probability(base + topic)
