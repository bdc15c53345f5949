"""The per-word model: tree evaluation against a naive walk, the shipped model's behaviour on a
known swap, and a damaged model file."""

from __future__ import annotations

import json
import math
import random
from importlib import resources

import numpy as np
import pytest

from unspin.errors import UnspinError
from unspin.spinscore import packaged
from unspin.spinscore.features import analyse, word_rows
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.words import WORD_FEATURES, TreeEnsemble, word_model

N = len(WORD_FEATURES)


def _random_tree(rng: random.Random, depth: int) -> dict[str, list]:
    """A random binary tree in the JSON layout (node 0 the root; -1 children: a leaf)."""
    tree: dict[str, list] = {k: [] for k in ("feature", "threshold", "left", "right", "value")}

    def add(level: int) -> int:
        i = len(tree["feature"])
        for k in tree:
            tree[k].append(0)
        if level == depth or rng.random() < 0.25:
            tree["left"][i] = tree["right"][i] = -1
            tree["value"][i] = rng.uniform(-1, 1)
            return i
        tree["feature"][i] = rng.randrange(N)
        tree["threshold"][i] = rng.choice([0.0, 0.5, rng.uniform(-2, 2)])
        tree["left"][i] = add(level + 1)
        tree["right"][i] = add(level + 1)
        return i

    add(0)
    return tree


def _walk(tree: dict[str, list], x: list[float]) -> float:
    i = 0
    while tree["left"][i] >= 0:
        f = tree["feature"][i]
        i = tree["left"][i] if x[f] <= tree["threshold"][i] else tree["right"][i]
    return tree["value"][i]


def test_vectorised_trees_match_a_naive_walk() -> None:
    rng = random.Random(5)
    trees = [_random_tree(rng, depth=rng.randint(0, 6)) for _ in range(30)]
    data = {
        "features": list(WORD_FEATURES),
        "trees": trees,
        "depth": 6,
        "baseline": -0.3,
        "prior": 0.2,
    }
    model = TreeEnsemble.from_dict(data)
    rows = np.array(
        [[rng.choice([0.0, 0.5, rng.uniform(-3, 3)]) for _ in range(N)] for _ in range(200)]
    )
    rows[0, 3] = -math.inf  # a word no headword lists: floored, never NaN
    expected = [
        -0.3 + sum(_walk(t, list(np.where(np.isfinite(r), r, -5.0))) for t in trees) for r in rows
    ]
    assert np.allclose(model.logit(rows), expected)
    prior = math.log(0.2 / 0.8)
    assert np.allclose(model.llr(rows), (np.array(expected) - prior) / math.log(10))


def test_a_thesaurus_swap_scores_above_the_word_it_replaced() -> None:
    rt = reverse_thesaurus()
    text = "The {} bank raised interest rates by half a point on Tuesday, officials said."
    scores = {}
    for word in ("central", "focal"):
        rows = {text.format(word)[s:e]: r for s, e, r in word_rows(text.format(word), rt)}
        scores[word] = float(word_model().llr(np.array([rows[word]]))[0])
    # The swap reads as more likely spun than written, the original word the other way round
    # (the models trained on five spinners gave 0.41 / -0.44 and, shipped, 0.67 / -0.55).
    assert scores["focal"] > 0.0 > scores["central"]
    assert scores["focal"] - scores["central"] > 0.5


def test_word_features_reach_the_text_features() -> None:
    features, _ = analyse(
        "The focal bank raised interest rates by half a point.", reverse_thesaurus()
    )
    plain, _ = analyse(
        "The central bank raised interest rates by half a point.", reverse_thesaurus()
    )
    assert features["word_top3"] > plain["word_top3"]
    assert features["word_mix_05"] > plain["word_mix_05"]


def test_a_damaged_model_file_says_how_to_rebuild_it(monkeypatch, tmp_path) -> None:
    shipped = json.loads(
        resources.files("unspin").joinpath("data/spin_word_model.json").read_text("utf-8")
    )
    shipped["model"]["features"] = ["llr"]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "spin_word_model.json").write_text(json.dumps(shipped))
    monkeypatch.setattr(packaged.resources, "files", lambda _: tmp_path)
    word_model.cache_clear()
    try:
        with pytest.raises(UnspinError, match=r"train_spin_word_model\.py"):
            word_model()
    finally:
        word_model.cache_clear()


def test_flat_walk_gives_the_shipped_model_its_logits_to_the_last_bit() -> None:
    # logit walks every (tree, row) pair through flat arrays, and stops the pairs that have
    # reached a leaf; the numbers must be those of the full walk it replaced (2-d indexing and
    # np.where, every pair for the trees' whole depth), bit for bit.
    for kind in ("lexical", "contextual"):
        model = word_model(kind)
        rng = np.random.default_rng(8)
        rows = rng.normal(0.0, 2.0, size=(300, len(model.names)))
        rows[rng.random(rows.shape) < 0.2] = 0.0
        rows[5, 0] = -math.inf
        x = np.where(np.isfinite(rows), rows, -5.0)
        node = np.broadcast_to(model.roots[:, None], (len(model.roots), len(x))).copy()
        cols = np.arange(len(x))[None, :]
        for _ in range(model.depth):
            go_left = x[cols, model.feature[node]] <= model.threshold[node]
            node = np.where(go_left, model.left[node], model.right[node])
        want = model.baseline + model.value[node].sum(axis=0)
        assert np.array_equal(model.logit(rows), want)
        assert model.logit(rows[:0]).shape == (0,)
