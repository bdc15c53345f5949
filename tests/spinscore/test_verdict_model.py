"""The text-level verdict: the two text models' odds added, fitted and shipped with the model."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from unspin.spinscore.model import Verdict, packaged_verdict
from unspin.spinscore.words import MODEL_KINDS, model_file


def test_the_verdict_rises_with_each_model_and_neither_hides_the_other() -> None:
    v = Verdict(-1.0, 0.5, -2.0, 2.0)
    grid = np.linspace(-8.0, 8.0, 17)
    t, q = np.meshgrid(grid, grid)
    z = v.log_odds(t, q)
    assert (np.diff(z, axis=0) > 0).all() and (np.diff(z, axis=1) > 0).all()
    # Unlike the maximum, the weaker model still moves the verdict.
    assert v.probability(-4.0, 3.0) > v.probability(-6.0, 3.0)
    assert v.shifted(-1.0).log_odds(0.0, 0.0) == pytest.approx(v.log_odds(0.0, 0.0) - 1.0)


def test_a_verdict_record_round_trips_and_rejects_negative_weights() -> None:
    v = Verdict(-1.25, 0.5, -2.0, 2.0)
    assert Verdict.from_dict(v.to_dict()) == v
    with pytest.raises(ValueError):
        Verdict.from_dict({**v.to_dict(), "paraphrase_weight": -0.1})


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_the_shipped_verdict_says_what_it_was_fitted_on(kind: str) -> None:
    raw = json.loads(resources.files("unspin").joinpath(model_file(kind, "spin_model")).read_text())
    trained = raw["verdict"]["trained"]
    assert trained["script"] == "scripts/train_spin_verdict.py"
    assert "reut2-014..021" in trained["data"]["never_read"]
    assert packaged_verdict(kind) == Verdict.from_dict(raw["verdict"])
