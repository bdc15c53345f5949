"""The spin benchmark's sampling and intervals: every held-apart file, honest bounds."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from repo_script import load_script


def _load() -> ModuleType:
    return load_script("benchmarks/bench_spin.py")


bench = _load()


def test_auc_interval_holds_the_estimate_and_narrows_with_more_paragraphs() -> None:
    rng = random.Random(1)
    widths = []
    for n in (40, 400):
        neg = [rng.gauss(0.0, 1.0) for _ in range(n)]
        pos = [x + 1.0 + rng.gauss(0.0, 1.0) for x in neg]
        lo, hi = bench.paired_auc_interval(pos, neg, reps=300)
        assert lo <= bench.auc(pos, neg) <= hi
        widths.append(hi - lo)
    assert widths[1] < widths[0] / 2


def test_share_interval_resamples_whole_groups() -> None:
    groups = [[True, True, True]] * 10 + [[False]] * 10  # 30 hits of 40 trials
    lo, hi = bench.share_interval(groups, reps=500)
    assert lo < 0.75 < hi
    assert bench.share_interval([[True]] * 20, reps=50) == (1.0, 1.0)


def test_spread_sample_draws_every_held_apart_file_equally(shared_data: Path) -> None:
    folder = shared_data / "reuters21578"
    sample = bench.held_apart_texts(folder, 80, "spread")
    counts = Counter(number for number, _ in sample)
    assert sorted(counts) == list(range(14, 22)) and set(counts.values()) == {10}
    # Any prefix is spread too (restoration uses the first paragraphs only).
    assert len({number for number, _ in sample[:16]}) == 8
    first = bench.held_apart_texts(folder, 30, "first")
    assert {number for number, _ in first} == {14}
    assert sample == bench.held_apart_texts(folder, 80, "spread")


def test_unknown_sample_is_not_silently_spread() -> None:
    with pytest.raises(ValueError, match="'spread' or 'first'"):
        bench.held_apart_texts(Path("."), 8, "nope")
