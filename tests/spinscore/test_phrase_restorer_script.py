"""The phrase restorer's fitting script: its second stage fits rows with more columns than the
shipped features, as scripts/measure_phrase_sources.py tries candidate features through it
(docs/benchmarks.md 15.15)."""

from __future__ import annotations

import numpy as np

from repo_script import load_script
from unspin.spinscore.phrases import RERANK_FEATURES


def _rows(extra: int, seed: int = 0) -> list:
    script = load_script("scripts/train_phrase_restorer.py")
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(60):
        features = rng.normal(size=(6, len(RERANK_FEATURES) + extra))
        gold = int(rng.integers(0, 6))
        if extra:
            features[:, -1] = 0.0
            features[gold, -1] = 1.0  # the extra column marks the intended wording
        scores = sorted(rng.normal(size=6).tolist(), reverse=True)
        rows.append(script.Searched(k % 2, scores, features, gold))
    return rows


def test_second_stage_fits_rows_with_an_extra_column() -> None:
    second_stage = load_script("scripts/train_phrase_restorer.py").second_stage
    weights, _, figures = second_stage(_rows(extra=1))
    assert len(weights) == len(RERANK_FEATURES) + 1
    assert weights[-1] > 1.0  # it learns the column that marks the intended wording
    assert figures["top1"] > 0.9  # and reads it, cross-fitted


def test_second_stage_keeps_the_shipped_width() -> None:
    weights, calibration, figures = load_script("scripts/train_phrase_restorer.py").second_stage(
        _rows(extra=0)
    )
    assert len(weights) == len(RERANK_FEATURES)
    assert len(calibration) == 4
    assert 0.0 <= figures["top3"] <= 1.0


def test_second_stage_floors_are_cross_fitted_by_fold_whatever_the_row_order() -> None:
    # Each phrase's calibrated chance must come from the calibration fitted on the other fold;
    # the rows arrive in the tune file's order, folds interleaved (docs/benchmarks.md 15.20).
    second_stage = load_script("scripts/train_phrase_restorer.py").second_stage
    rows = [*_rows(extra=1, seed=3), *_rows(extra=1, seed=4)]
    for r in rows[::3]:
        r.features[:, -1] = 0.0  # a third of the phrases lose the column that marks the answer
    by_fold = sorted(rows, key=lambda r: r.fold)
    _, _, interleaved = second_stage(rows)
    _, _, in_order = second_stage(by_fold)
    assert interleaved == in_order
