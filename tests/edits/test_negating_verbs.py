"""A verb that denies the verb it takes with "to" ("fails to meet", "refused to sign") is a
negation: dropping it reverses the sentence, putting it for a "not" keeps it. The verbs are
WordNet's and Moby's (``scripts/build_negating_verbs.py``), not a list written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from edit_flags import flagged as flags

from unspin.edits.antonyms import negating_verbs


@pytest.mark.parametrize(
    ("source", "target", "changed"),
    [
        ("The company fails to meet its targets.", "The company meets its targets.", ("fails to", "")),
        ("The minister refused to sign the treaty.", "The minister signed the treaty.", ("refused to", "")),
        ("The minister refused to sign the treaty.", "The minister agreed to sign the treaty.", ("refused", "agreed")),
        ("He forgot to lock the door.", "He locked the door.", ("forgot to", "")),
    ],
)  # fmt: skip
def test_a_negating_verb_dropped_or_added_is_a_negation(
    source: str, target: str, changed: tuple[str, str]
) -> None:
    # Before (32nd session): a deletion of "fails to" (or a paraphrase "refused" / "agreed").
    a, b = changed
    assert flags(source, target) == [("negation", a, b)]
    assert flags(target, source) == [("negation", b, a)]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A negating verb put for a "not" says the same (real QuillBot rewordings did so; a
        # negation of "not" / "to" before).
        ("The report does not address the causes of the crisis.", "The report fails to address the causes of the crisis."),
        ("The company declined to comment on the deal.", "The company did not comment on the deal."),
        ("The board refused to approve the merger.", "The board declined to approve the merger."),
        # Not a verb after "to", or no "to": no negation ("declined to 5 percent", "failed").
        ("Profits declined to 5 percent last year.", "Profits fell to 5 percent last year."),
        ("The bank failed in 1990.", "The bank collapsed in 1990."),
        # A verb that says the verb after it happened: dropping it changes nothing.
        ("The team managed to meet its targets.", "The team met its targets."),
    ],
)  # fmt: skip
def test_rewordings_that_keep_the_polarity_are_not_flagged(source: str, target: str) -> None:
    for a, b in ((source, target), (target, source)):
        assert not flags(a, b), (a, b)


def test_the_shipped_verbs_are_the_built_ones() -> None:
    path = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "negating_verbs.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert negating_verbs() == frozenset(raw["verbs"]) == {"decline", "fail", "forget", "refuse"}
    assert raw["about"]["script"] == "scripts/build_negating_verbs.py"
