"""False distortion flags read on Clough and Stevenson's students' answers against their
Wikipedia sources (the ``cut`` task: copied, lightly reworked), one case per class fixed, and
the flag still firing on a real change of the same kind. Both directions are checked: every
pair label is symmetric."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags

from unspin.edits import label_edits


def labels(source: str, target: str) -> list[tuple[str, str, str, bool]]:
    return [
        (e.label, e.source_text, e.target_text, e.distortion) for e in label_edits(source, target)
    ]


QUOTED_LIST = (
    'For instance, a "fruit" is a generalization of "apple", "orange", "mango" and many others.'
)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # The items of a quoted list given in another order (one in the plural): three quote
        # changes before, each item paired with the one that took its place.
        (QUOTED_LIST, 'For instance, a "fruit" is a generalization of "orange", "mango", "apples" and many others.'),
        ('He said "apple" and "pear" are fruit.', 'He said "pear" and "apple" are fruit.'),
        # A name dropped for a quotation mark is a deletion, as when it is dropped for nothing.
        ("Many libraries use the Dewey System to order books.", 'Many libraries use the Dewey " to order books.'),
    ],
)  # fmt: skip
def test_rewritings_that_change_no_fact_are_not_flagged(source: str, target: str) -> None:
    assert flags(source, target) == set() and flags(target, source) == set()


def test_a_reordered_list_is_one_reordering_edit() -> None:
    target = 'For instance, a "fruit" is a generalization of "orange", "mango", "apples" and many others.'
    assert labels(QUOTED_LIST, target) == [
        ("reordering", 'apple", "orange", "mango', 'orange", "mango", "apples', False)
    ]


@pytest.mark.parametrize(
    ("source", "target", "label"),
    [
        # A list item replaced, the others moved: the new item is still a changed quotation.
        ('He said "apple" and "pear" are fruit.', 'He said "plum" and "apple" are fruit.', "quote_change"),
        (QUOTED_LIST, 'For instance, a "fruit" is a generalization of "orange", "mango", "plums" and many others.', "quote_change"),
        # A listed number changed, the other items moved.
        ("Sales rose in 1986, 1987 and 1988.", "Sales rose in 1988, 1986 and 1989.", "date_change"),
        # A name replaced by another name is still a name change.
        ("Its first use was in the SMART Information Retrieval System.", "Its first use was in the IBM Information Retrieval System.", "entity_change"),
    ],
)  # fmt: skip
def test_real_changes_still_flagged(source: str, target: str, label: str) -> None:
    got = flags(source, target)
    assert label in got and got == flags(target, source)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # "little" is the negative quantifier ("at all" needs a negation before it): the
        # sentence denies as it did. A light answer wrote so; a `negation` before.
        ("The name has no particular connection to small computers at all.", "The name has little connection to computers at all."),
        ("The reform does not change the tax rates.", "The reform does little to change the tax rates."),
        ("No people came to the small meeting.", "Few people came to the meeting."),
    ],
)  # fmt: skip
def test_a_negative_quantifier_for_a_negator_is_no_negation(source: str, target: str) -> None:
    assert flags(source, target) == set() and flags(target, source) == set()


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # With an article or a determiner "little" and "few" do not deny.
        ("The firm did not pay its debts on time.", "The firm paid a little of its debts on time."),
        ("The small firm did not pay its debts.", "The little firm paid its debts."),
        ("Sales did not rise in the small towns.", "Sales rose in the few towns."),
    ],
)  # fmt: skip
def test_little_and_few_that_describe_leave_a_negation_changed(source: str, target: str) -> None:
    assert flags(source, target) == {"negation"} == flags(target, source)


def test_a_formula_letter_is_no_name() -> None:
    # A light answer wrote a formula out in words: "P" of "P(A)" was read as a name lost (an
    # entity_change ". * P(" -> "regardless of" before).
    source = "the chance of B given A. * P(A) is the chance of A regardless of B"
    target = "the chance of B given A regardless of A is the chance of A regardless of B"
    assert flags(source, target) == set() and flags(target, source) == set()


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("The patient had Hepatitis B last year.", "The patient had Hepatitis C last year."),
        ("They chose Plan B in the end.", "They chose Plan C in the end."),
    ],
)
def test_a_one_letter_name_changed_is_still_a_name_change(source: str, target: str) -> None:
    assert flags(source, target) == {"entity_change"} == flags(target, source)
