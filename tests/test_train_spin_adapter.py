"""The adapter script's training mixture: which spinner spins a chunk, and the labels of typos
laid over a spun chunk (scripts/train_spin_adapter.py; docs/benchmarks.md 17.5)."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

from unspin.generators import spin_by, typos

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_spin_adapter.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_spin_adapter", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
