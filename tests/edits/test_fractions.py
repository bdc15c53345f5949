"""Fractions written in words are numbers: a third changed to a half is a number change, and
one fraction written two ways is none. Both directions are checked: every pair label is
symmetric."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags

from unspin.edits.numbers import number_values


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("About a third of the staff were laid off.", "About a half of the staff were laid off."),
        ("About a third of the staff were laid off.", "About half of the staff were laid off."),
        ("Two thirds of voters backed the plan.", "Three quarters of voters backed the plan."),
        ("Sales fell by a fifth.", "Sales fell by a quarter."),
        ("One in five voters backed the plan.", "One in four voters backed the plan."),
        ("Each player will get 1/3 of the dirham.", "Each player will get 2/3 of the dirham."),
    ],
)
def test_a_fraction_changed_is_a_number_change(source: str, target: str) -> None:
    assert "number_change" in flags(source, target)
    assert "number_change" in flags(target, source)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Two-thirds of voters backed the plan.", "Two thirds of voters backed the plan."),
        (
            "About a third of the staff were laid off.",
            "About one third of the staff were laid off.",
        ),
        (
            "About a third of the staff were laid off.",
            "About one-third of the staff were laid off.",
        ),
        ("Half of the staff were laid off.", "A half of the staff were laid off."),
        # In digits and in words (QuillBot wrote "1/3 of the dirham" as "a third of the dirham").
        ("Each player will get 1/3 of the dirham.", "Each player will get a third of the dirham."),
        (
            "Choose the integer closest to 2/3 the average.",
            "Choose the integer closest to two-thirds of the average.",
        ),
        # As a percentage (PAN's summaries: "as many as two-thirds" / "66%"), or spaced.
        (
            "Polls show that two-thirds of voters oppose it.",
            "Polls show that 66% of voters oppose it.",
        ),
        (
            "Less than a quarter of the money goes to reform.",
            "Less than 25% of the money goes to reform.",
        ),
        ("I would rate the sound quality 9/10.", "I would rate the sound quality 9/ 10."),
        # Ordinals, not fractions: "a second language", "a third option".
        ("English is a second language for many.", "English is a 2nd language for many."),
    ],
)
def test_a_fraction_written_otherwise_is_not_changed(source: str, target: str) -> None:
    assert "number_change" not in flags(source, target)
    assert "number_change" not in flags(target, source)


def test_fraction_values() -> None:
    assert number_values("a third of the staff") == number_values("one-third of the staff")
    # The fraction, and the whole percentages it is written as.
    assert number_values("two thirds of voters") == {2 / 3: 1, 66: 1, 67: 1}
    assert number_values("three quarters of voters") == {0.75: 1, 75: 1}
    assert number_values("in three quarters") == {3.0: 1}  # periods, not a fraction
    assert number_values("a third option") == {3.0: 1}  # an ordinal
    assert number_values("a second language") == {2.0: 1}
