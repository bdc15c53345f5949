"""Numbers that changed places: each is still in both texts, yet each now says what the other
said ("12 killed and 40 injured" / "40 killed and 12 injured")."""

from __future__ import annotations

import pytest
from edit_flags import flagged as flags


@pytest.mark.parametrize(
    ("source", "target", "changed"),
    [
        ("The blast killed 12 people and injured 40 others.", "The blast killed 40 people and injured 12 others.", [("12", "40"), ("40", "12")]),
        ("Output rose 5 pct in 1986 and 7 pct in 1987.", "Output rose 7 pct in 1986 and 5 pct in 1987.", [("5", "7"), ("7", "5")]),
        ("Exports were 3.5 billion dlrs and imports 2.1 billion.", "Exports were 2.1 billion dlrs and imports 3.5 billion.", [("3.5", "2.1"), ("2.1", "3.5")]),
        # Neighbours, only function words between the numbers (two paraphrases before the
        # 32nd session).
        ("The party won 81 of the 166 seats in the poll.", "The party won 166 of the 81 seats in the poll.", [("81", "166"), ("166", "81")]),
        ("Cases rose from 69 in 1984 to 298 a year later.", "Cases rose from 298 in 1984 to 69 a year later.", [("69", "298"), ("298", "69")]),
        # Only function words before the first number: the passage's start anchors it.
        ("The 300 series is the newest model of the 777 family.", "The 777 series is the newest model of the 300 family.", [("300", "777"), ("777", "300")]),
    ],
)  # fmt: skip
def test_swapped_numbers_are_changed_numbers(
    source: str, target: str, changed: list[tuple[str, str]]
) -> None:
    # Before (31st session): two paraphrases, no distortion.
    assert flags(source, target) == [("number_change", a, b) for a, b in changed]
    assert flags(target, source) == [("number_change", b, a) for a, b in changed]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A list's items given in another order say the same.
        ("He sold 5, 7 and 9 shares.", "He sold 7, 5 and 9 shares."),
        # Sentences that changed places carry their numbers with them.
        ("Sales rose 5 pct in March. Profits fell 7 pct in April.", "Profits fell 7 pct in April. Sales rose 5 pct in March."),
        # One number written two ways is no change.
        ("The blast killed 12 people and injured forty others.", "The blast killed twelve people and injured 40 others."),
        # The same range, said from its other end.
        ("Sales rose from 5 to 7 percent last year.", "Sales rose to 7 from 5 percent last year."),
        # Numbers joined by "and" are a list: the order says nothing.
        ("Between 5 and 10 people came.", "Between 10 and 5 people came."),
        # A phrase moved with its number.
        ("In 2010 sales rose 5 percent.", "Sales rose 5 percent in 2010."),
    ],
)  # fmt: skip
def test_numbers_that_say_the_same_are_not_flagged(source: str, target: str) -> None:
    assert flags(source, target) == [] and flags(target, source) == []


@pytest.mark.parametrize(
    ("source", "target", "changed"),
    [
        ("Sales rose from 5 to 7 percent last year.", "Sales rose from 7 to 5 percent last year.", ("number_change", "5 to 7", "7 to 5")),
        ("The team won the match 3 to 1 on Sunday.", "The team won the match 1 to 3 on Sunday.", ("number_change", "3 to 1", "1 to 3")),
        ("Rates went from five to seven.", "Rates went from seven to five.", ("number_change", "five to seven", "seven to five")),
        ("Prices climbed from 2005 to 2010 steadily.", "Prices climbed from 2010 to 2005 steadily.", ("date_change", "2005 to 2010", "2010 to 2005")),
    ],
)  # fmt: skip
def test_a_range_or_score_given_the_other_way_round_is_changed(
    source: str, target: str, changed: tuple[str, str, str]
) -> None:
    # Before (32nd session): a moved "to 7" (a reordering), no distortion. The diff keeps one
    # number in place and moves the other with the word beside it.
    label, a, b = changed
    assert flags(source, target) == [changed]
    assert flags(target, source) == [(label, b, a)]
