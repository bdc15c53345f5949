"""The seeded generator on real Reuters sentences, and the labeller scored against it."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest

from unspin.datasets.reuters import iter_reuters
from unspin.edits import label_edits
from unspin.generators.planted_edits import GENERATED_LABELS, generate, sentences


@pytest.fixture(scope="module")
def reuters_sentences(shared_data: Path) -> list[str]:
    docs = islice(iter_reuters(shared_data / "reuters21578"), 300)
    return sentences(d.text for d in docs)


@pytest.mark.corpus
def test_generator_is_seeded_and_records_true_offsets(reuters_sentences: list[str]) -> None:
    a = generate(reuters_sentences, per_label=10, seed=5)
    assert a == generate(reuters_sentences, per_label=10, seed=5)
    assert {c.label for c in a} == set(GENERATED_LABELS)
    for c in a:
        if c.label == "identical":
            assert c.source == c.target
            continue
        assert c.source != c.target
        # Before the edit the texts agree (a deletion takes the space before it along).
        before_s, before_t = c.source[: c.source_start], c.target[: c.target_start]
        assert before_s.rstrip() == before_t.rstrip() or c.label == "reordering"


@pytest.mark.corpus
def test_labeller_recovers_generated_labels(reuters_sentences: list[str]) -> None:
    cases = generate(reuters_sentences, per_label=15, seed=11)
    hits = sum(
        1
        for c in cases
        if c.label in ({e.label for e in label_edits(c.source, c.target)} or {"identical"})
    )
    assert hits / len(cases) >= 0.9
