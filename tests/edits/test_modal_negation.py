"""A negator added or dropped with a modal ("could not", "would never", "may not") denies what
the other text says, as one added with do-support ("did not") does, and so does an adverb
WordNet glosses as a denial ("no longer"); an alternative offered ("may or may not") and
WordNet's "could not help" + gerund deny nothing (benchmarks 10.37). Both directions are
checked."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags

from unspin.edits import label_edits

# Each failed on main: the modal (no function word by wordfreq's top 50) or the adverb's other
# word ("longer") read as a content word of the added stretch, an insertion.
_DENIALS_ADDED = [
    ("She helped the movement.", "She could not help the movement."),
    ("She helps the movement.", "She would not help the movement."),
    ("The plan works.", "The plan may not work."),
    ("The board approves the deal.", "The board might not approve the deal."),
    ("The board approved the deal.", "The board would never approve the deal."),
    ("The board approved the deal.", "The board had not approved the deal."),
    ("The board approves the deal.", "The board must not approve the deal."),
    ("The board approves the deal.", "The board should never approve the deal."),
    ("She helps the movement.", "She no longer helps the movement."),
    ("She will help the movement.", "She will never again help the movement."),
    ("She helps the movement.", "She by no means helps the movement."),
]

_NO_DENIAL = [
    # dist36's phrase: WordNet's "help" always used with a negative, before a gerund.
    ("She laughed at the joke.", "She could not help laughing at the joke."),
    ("She laughed at the joke.", "She couldn't help but laugh at the joke."),
    ("She disagreed with the movement.", "She couldn't help contradicting the movement."),
    # A modal without a negator, and one modal put for another, both negated.
    ("The board approves the deal.", "The board might approve the deal."),
    ("She did not help the movement.", "She could not help the movement."),
    # An alternative offered denies nothing ("is or is not" failed on main).
    ("The vaccine may or may not protect children.", "The vaccine may protect children."),
    ("The vaccine does or does not protect children.", "The vaccine protects children."),
    (
        "Whether or not the board approves, it goes ahead.",
        "Whether the board approves, it goes ahead.",
    ),
    # One denial said two ways (quillbot-00413), and by a prefix (quillbot-01646).
    ("We cannot afford to wait.", "We can no longer afford to wait."),
    (
        "This means that their attitudes will be inconsistent with each other.",
        "This indicates that their views will no longer be compatible.",
    ),
    # "no more than" bounds a number, the words of no denying adverb.
    ("She paid 5 dollars.", "She paid no more than 5 dollars."),
]


@pytest.mark.parametrize(("source", "target"), _DENIALS_ADDED)
def test_a_denial_added_with_a_modal_or_a_denying_adverb_is_a_negation(
    source: str, target: str
) -> None:
    assert "negation" in flags(source, target)
    assert "negation" in flags(target, source)


@pytest.mark.parametrize(("source", "target"), _NO_DENIAL)
def test_a_modal_or_adverb_phrase_that_denies_nothing_new_is_no_negation(
    source: str, target: str
) -> None:
    assert "negation" not in flags(source, target)
    assert "negation" not in flags(target, source)


def test_merged_evidence_never_says_none() -> None:
    # "computer" / "PC" (WordNet) beside "scientist" / "banana" (no resource), merged into one
    # paraphrase: main wrote its evidence "wordnet,None" (and "None,wordnet" the other way).
    for a, b in (
        ("He is a computer scientist here.", "He is a PC banana here."),
        ("He is a scientist computer here.", "He is a banana PC here."),
    ):
        for x, y in ((a, b), (b, a)):
            merged = [e for e in label_edits(x, y) if e.label == "paraphrase"]
            assert [e.source_text.count(" ") for e in merged] == [1]
            assert merged[0].evidence == "wordnet"
            for e in label_edits(x, y):
                assert e.evidence is None or "None" not in e.evidence.split(",")
