"""An edit has one label whichever text is the source: "stressed" -> "emphasised" and back are
both a synonym swap (issue 20). Insertions and deletions mirror each other."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.edits import label_edits
from unspin.lexicon import pick_synonym

SENTENCES = [
    "The company said its first quarter profits rose sharply on strong demand for steel.",
    "Officials warned that the central bank would raise interest rates again in March.",
    "Analysts expect the merger to create the largest airline in the United States by 1988.",
    "Oil prices fell after producers failed to agree on new output quotas in Geneva.",
    "The government announced a plan to cut farm subsidies by 12 pct over five years.",
    "Shares of Texaco Inc closed lower as investors worried about the court ruling.",
    'He said "we will not accept any offer below the market price" at the meeting.',
    "She stressed that the organisation was not willing to sell its Qatari assets.",
]
WORDS = sorted({w.strip('.,"') for s in SENTENCES for w in s.split()} - {""})
# Spellings, numbers, names and dates written another way, so the property meets every rule.
VARIANTS = ["emphasised", "organization", "nine", "9", "U.S.", "Qatar", "Mar.", "unwilling"]
_MIRROR = {"insertion": "deletion", "deletion": "insertion"}


def _labels(source: str, target: str) -> Counter[str]:
    return Counter(e.label for e in label_edits(source, target))


def _mirrored(labels: Counter[str]) -> Counter[str]:
    return Counter({_MIRROR.get(k, k): v for k, v in labels.items()})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SENTENCES),
    st.integers(0, 10_000),
    st.sampled_from(WORDS + VARIANTS),
)
def test_labels_are_the_same_in_both_directions(sentence: str, seed: int, new: str) -> None:
    # One word swapped: with several, the diff itself may pair words differently each way.
    rng = random.Random(seed)
    tokens = sentence.split(" ")
    k = rng.randrange(len(tokens))
    core = tokens[k].strip('.,"')
    if rng.random() < 0.4 and core.isalpha() and core.islower():
        new = pick_synonym(core, rng, single_word=True) or new
    tokens[k] = tokens[k].replace(core, new) if core else tokens[k]
    edited = " ".join(tokens)
    assert _labels(sentence, edited) == _mirrored(_labels(edited, sentence))


def test_stressed_and_emphasised_are_one_label_either_way() -> None:
    a, b = "She stressed the risks.", "She emphasised the risks."
    assert [e.label for e in label_edits(a, b)] == ["synonym"]
    assert [e.label for e in label_edits(b, a)] == ["synonym"]
