"""An adverb WordNet glosses as a denial ("hardly": "almost not", "seldom": "not often") or
"has yet to" added or dropped takes back what the other text says, as "not" does; "barely"
(WordNet: "only a very short time before", "in a sparse way"), a denial said two ways, and
"yet" as a conjunction deny nothing new. A negation an antonym decided says so in its reason,
merged or not (benchmarks 10.38). Both directions are checked."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags

from unspin.edits import label_edits

# Each was an insertion (or deletion) on main: "hardly" and "yet" read as content words of the
# added stretch, and "yet to" counted only when sentences were weighed.
_DENIALS_ADDED = [
    ("She helps the group.", "She hardly helps the group."),
    ("She helps the group.", "She seldom helps the group."),
    ("She helps the group.", "She scarcely helps the group."),
    ("The bird is seen in winter.", "The bird is rarely seen in winter."),
    ("There is some doubt about it.", "There is hardly any doubt about it."),
    ("She has finished the report.", "She has yet to finish the report."),
    ("The best part is to come.", "The best part is yet to come."),
]

_NO_NEW_DENIAL = [
    # "barely" is about an amount here; WordNet glosses it no denial, so it stays out.
    ("The town is 5 km away.", "The town is barely 5 km away."),
    ("She helps the group.", "She barely helps the group."),
    # One denial said two ways ("no" / "hardly any" was a negation on main: a false alarm).
    ("There is no doubt about it.", "There is hardly any doubt about it."),
    ("There is little doubt about it.", "There is hardly any doubt about it."),
    ("She never helps the group.", "She seldom helps the group."),
    ("She does not often help the group.", "She seldom helps the group."),
    # A denying adverb put for its Moby synonym (quillbot-03522, -03523, shortened).
    (
        "since the sender is sending data infrequently, there will be fewer chances",
        "since the sender sends data rarely, there are fewer chances",
    ),
    ("She hardly helps the group.", "She barely helps the group."),
    ("A rarely seen bird sang.", "A seldom seen bird sang."),
    ("She has not finished the report.", "She has yet to finish the report."),
    # "yet" a conjunction, no auxiliary before it: no "has yet to".
    (
        "It was cheap, and to many readers it seemed costly.",
        "It was cheap, and yet to many readers it seemed costly.",
    ),
    # WordNet's "help" always used with a negative (benchmarks 10.36), "hardly" for "not".
    ("She could not help laughing.", "She could hardly help laughing."),
]


@pytest.mark.parametrize(("source", "target"), _DENIALS_ADDED)
def test_a_denying_adverb_or_has_yet_to_added_is_a_negation(source: str, target: str) -> None:
    assert "negation" in flags(source, target)
    assert "negation" in flags(target, source)


@pytest.mark.parametrize(("source", "target"), _NO_NEW_DENIAL)
def test_barely_or_a_denial_said_two_ways_is_no_negation(source: str, target: str) -> None:
    assert "negation" not in flags(source, target)
    assert "negation" not in flags(target, source)


def test_often_put_for_seldom_is_still_an_antonym_reversal() -> None:
    # WordNet's antonyms, as on main, also where a negator moved elsewhere in the passage
    # (PAN 03, reworded: the first run of this change lost that flag to the negator count).
    for a, b in (
        ("She often helps.", "She seldom helps."),
        (
            "A home is often the largest asset anybody owns. Selling it is not easy.",
            "A home is seldom the largest asset anybody owns. Selling it is easy.",
        ),
    ):
        for x, y in ((a, b), (b, a)):
            was, now = ("often", "seldom") if "often" in x else ("seldom", "often")
            found = [
                (e.label, e.source_text, e.target_text, e.evidence)
                for e in label_edits(x, y)
                if e.distortion and e.source_text == was
            ]
            assert found == [("negation", was, now, "wordnet")]


def test_a_merged_antonym_negation_gives_the_antonym_reason() -> None:
    # "approved" / "rejected" (WordNet) and "Nobody" / "Everybody" (a negator dropped), two
    # paragraphs apart, merged into one negation: main gave it the generic reason.
    source = "The plan was approved\n\nNobody objected to it."
    target = "The plan was rejected\n\nEverybody objected to it."
    for x, y in ((source, target), (target, source)):
        (edit,) = [e for e in label_edits(x, y) if e.distortion]
        assert (edit.label, edit.evidence) == ("negation", "wordnet,grammar")
        assert edit.reason == (
            f'meaning reversed: "{edit.source_text}" became "{edit.target_text}" '
            "(antonyms and a negator)"
        )
