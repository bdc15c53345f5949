"""The text models' bias recalibration (scripts/train_spin_model.py --match-originals-fp-of)."""

from __future__ import annotations

import json
from importlib import resources
from types import ModuleType

import numpy as np
import pytest

from repo_script import load_script
from unspin.spinscore.model import LogisticModel


def _load() -> ModuleType:
    return load_script("scripts/train_spin_model.py")


train = _load()
MODEL = LogisticModel(("a",), np.zeros(1), np.ones(1), np.ones(1), 0.3)


@pytest.mark.parametrize("target", [0.0, 0.1, 0.25, 0.5, 1.0])
def test_the_shift_puts_the_asked_share_of_originals_over_one_half(target: float) -> None:
    judged = [{"a": v} for v in np.linspace(-3.0, 2.0, 20)]
    shift = train.matched_bias(MODEL, judged, 20, target)
    moved = LogisticModel(MODEL.names, MODEL.mean, MODEL.scale, MODEL.weights, 0.3 + shift.shift)
    over = sum(moved.predict(f) > 0.5 for f in judged) / 20
    assert over == shift.shifted_over_half == target
    assert shift.fit_over_half == sum(MODEL.predict(f) > 0.5 for f in judged) / 20


def test_texts_with_nothing_to_judge_count_as_under_one_half() -> None:
    # 4 originals, 2 judged (both high): asking for 75% over 0.5 can give only the 2 judged.
    shift = train.matched_bias(MODEL, [{"a": 1.0}, {"a": 2.0}], 4, 0.75)
    assert shift.shifted_over_half == 0.5


@pytest.mark.parametrize("name", ["spin_model.json", "spin_model_contextual.json"])
def test_a_shipped_shift_is_recorded_and_applied_to_the_bias(name: str) -> None:
    record = json.loads(resources.files("unspin").joinpath("data", name).read_text("utf-8"))
    shift = record["trained"].get("bias_shift")
    if shift is None:
        pytest.skip(f"{name} ships its plain fit")
    assert record["model"]["bias"] == pytest.approx(shift["fit_bias"] + shift["shift"], abs=2e-6)
    # One group of unspun text (a model calibrated on news alone) or several (news and books):
    # none over 0.5 more often than under the reference, the one that set the shift as often.
    groups = shift.get("groups", {"originals": shift}).values()
    for group in groups:
        assert group["shifted_over_half"] <= group["reference_over_half"] + 1e-3
        assert group["shifted_over_half"] < group["fit_over_half"]
    assert any(
        g["shifted_over_half"] == pytest.approx(g["reference_over_half"], abs=1e-3) for g in groups
    )


def test_over_half_counts_texts_with_nothing_to_judge_as_under() -> None:
    judged = [{"a": v} for v in (-1.0, 0.5, 1.0)]
    assert train.over_half(MODEL, judged, 4, 0.0) == 0.5  # logits -0.7, 0.8, 1.3 of 4 texts
    assert train.over_half(MODEL, judged, 4, -1.0) == 0.25
