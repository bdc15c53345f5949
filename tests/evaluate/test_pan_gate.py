"""Quality gate: plagdet on a pinned sample of PAN 2013 training pairs must stay above floors.

The floors, the sample size, its seed and a digest of the sampled pairs live in
``src/unspin/evaluate/pan_floors.json``; lowering a floor is a visible change to that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import unspin.evaluate
from unspin.evaluate.pan import read_cases, read_corpus, read_text
from unspin.evaluate.runner import evaluate_corpus, sample_digest, sample_pairs

PAN_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "pan13-train"
FLOORS_PATH = Path(unspin.evaluate.__file__).parent / "pan_floors.json"


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads(FLOORS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample(floors):
    if not PAN_DIR.is_dir():
        pytest.skip(f"PAN 2013 training corpus not found at {PAN_DIR.resolve()}")
    corpus = read_corpus(PAN_DIR)
    return corpus, sample_pairs(corpus.pairs, floors["sample"], floors["seed"])


@pytest.mark.corpus
def test_sample_is_the_one_the_floors_were_measured_on(floors, sample):
    corpus, pairs = sample
    assert len(pairs) == floors["sample"]
    assert {p.section for p in pairs} == set(corpus.sections)
    assert sample_digest(pairs) == floors["sample_digest"], (
        "the sampled pairs changed (corpus or sample_pairs): re-measure and re-pin pan_floors.json"
    )


@pytest.mark.corpus
def test_truth_offsets_slice_the_same_words_in_verbatim_pairs(sample):
    # Verbatim cases match only after whitespace is collapsed (the corpus was re-wrapped).
    corpus, pairs = sample
    checked = 0
    for pair in pairs:
        if not pair.section.startswith("02"):
            continue
        susp, src = read_text(corpus.suspicious_path(pair)), read_text(corpus.source_path(pair))
        for case in read_cases(corpus, pair):
            reused = susp[case.this_offset : case.this_end]
            original = src[case.source_offset : case.source_end]
            assert reused.split() == original.split(), pair
            checked += 1
    assert checked > 0


@pytest.mark.corpus
@pytest.mark.slow
def test_plagdet_stays_above_the_floors(floors, sample):
    corpus, pairs = sample
    result, _ = evaluate_corpus(corpus, pairs, workers=1)
    measured = {name: group.measures.plagdet for name, group in result.sections.items()}
    measured["all"] = result.overall.measures.plagdet
    assert set(measured) == set(floors["plagdet_floors"])
    below = {
        name: f"{measured[name]:.4f} < floor {floor}"
        for name, floor in floors["plagdet_floors"].items()
        if measured[name] < floor
    }
    assert not below, f"plagdet dropped below the pinned floors: {below}"
