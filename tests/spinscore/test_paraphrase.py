"""The paraphrase model: scikit-learn's TF-IDF logistic regression read back with numpy, the
length floor for short texts, and the verdict rising with each of the two text models."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from unspin.spinscore.paraphrase import ParaphraseModel, paraphrase_model
from unspin.spinscore.score import score_text, text_probability

TOY = [
    "the firm may alter its route via various options",
    "the company can change its path through different options",
    "various firms may alter prices via new routes",
    "different companies can change prices through new paths",
    "the firm may use various means to alter the outcome",
    "the company can use different ways to change the outcome",
]
TOY_LABELS = [1, 0, 1, 0, 1, 0]


def _toy_model(floor: float = 0.0) -> tuple[ParaphraseModel, object, object]:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    linear = pytest.importorskip("sklearn.linear_model")
    vectoriser = text.TfidfVectorizer(sublinear_tf=True).fit(TOY)
    fitted = linear.LogisticRegression(C=10.0).fit(vectoriser.transform(TOY), TOY_LABELS)
    words = vectoriser.get_feature_names_out()
    model = ParaphraseModel(
        {w: i for i, w in enumerate(words)},
        vectoriser.idf_.astype(float),
        fitted.coef_[0].astype(float),
        float(fitted.intercept_[0]),
        floor,
    )
    return model, vectoriser, fitted


def test_numpy_reading_matches_scikit_learn() -> None:
    model, vectoriser, fitted = _toy_model()
    unseen = [
        "The FIRM may alter, alter and alter its route!",
        "Different ways through the company",
        "nothing here is in the vocabulary",
    ]
    expected = fitted.decision_function(vectoriser.transform(unseen))  # type: ignore[attr-defined]
    got = [model.logit(t) for t in unseen]
    assert got == pytest.approx(list(expected), abs=1e-9)
    # A text with no known word gets the bias alone (scikit-learn: the intercept).
    assert got[2] == pytest.approx(model.bias)


def test_the_floor_damps_a_short_text_only() -> None:
    plain, _, _ = _toy_model()
    floored, _, _ = _toy_model(floor=10.0)
    short = "the firm may alter"
    # The floor is longer than this text's vector: its words weigh less, towards the bias.
    assert abs(floored.logit(short) - floored.bias) < abs(plain.logit(short) - plain.bias)
    assert math.copysign(1, floored.logit(short) - floored.bias) == math.copysign(
        1, plain.logit(short) - plain.bias
    )
    assert floored.logit("unknown words only") == plain.logit("unknown words only")


def test_packaged_model_is_calibrated_low_for_text_it_knows_nothing_about() -> None:
    model = paraphrase_model()
    assert len(model.vocabulary) > 1000 and model.norm_floor > 0
    assert model.probability("") < 0.5
    assert model.probability("zzqx qqzv") == model.probability("")
    assert 0.0 <= model.probability("The firm may alter its route via various options.") <= 1.0


def test_the_verdict_combines_the_two_text_models_and_rises_with_each() -> None:
    text = (
        "Various firms may alter their route via several options, and the corporation "
        "indicates that the optimum outcome is essential for people in the surroundings."
    )
    score = score_text(text, "lexical")
    thesaurus = score.features["thesaurus_probability"]
    paraphrase = score.features["paraphrase_probability"]
    assert score.probability == text_probability(score.features, "lexical")
    assert paraphrase == paraphrase_model().probability(text)
    # More evidence from either model never lowers the verdict; strictly raises it.
    for t, q in ((thesaurus, paraphrase), (0.01, 0.01), (0.5, 0.02), (0.02, 0.9)):
        here = text_probability({"thesaurus_probability": t, "paraphrase_probability": q})
        more_t = text_probability(
            {"thesaurus_probability": min(t * 1.5, 0.999), "paraphrase_probability": q}
        )
        more_q = text_probability(
            {"thesaurus_probability": t, "paraphrase_probability": min(q * 1.5, 0.999)}
        )
        assert more_t > here and more_q > here
    # Nothing to judge stays nothing to judge.
    assert score_text("1987 2026", "lexical").probability == 0.0


def _held_pairs(folder: Path, originals: int) -> list[tuple[str, list[str]]]:
    """The first ``originals`` originals of the held half (never trained on) with their
    paraphrases, whitespace collapsed, split as benchmarks/bench_realspin.py splits."""
    by_original: dict[str, list[str]] = {}
    with (folder / "realspin" / "quillbot-dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            original = " ".join(row["original"].split())
            by_original.setdefault(original, []).append(" ".join(row["spun"].split()))
    held = [
        (o, spun)
        for o, spun in by_original.items()
        if hashlib.sha1(o.encode()).digest()[0] % 2 == 1
    ]
    return held[:originals]


@pytest.mark.corpus
def test_quillbot_paraphrases_score_above_their_originals(shared_data: Path) -> None:
    pairs = _held_pairs(shared_data, 12)
    model = paraphrase_model()
    originals = np.array([model.probability(o) for o, _ in pairs])
    paraphrases = np.array([model.probability(s) for _, spun in pairs for s in spun])
    assert (originals > 0.5).mean() <= 0.2
    # Ranking: the share of (paraphrase, original) pairs in the right order (an AUC).
    right = (paraphrases[:, None] > originals[None, :]).mean()
    assert right >= 0.8
