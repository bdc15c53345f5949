"""One date, time of day or number written in another notation is no change of it
(:mod:`unspin.edits.notations`), and a different one still is. The pairs come from PAN 2013's
translation obfuscation (section 04) and QuillBot (docs/benchmarks.md 10.9, 10.14), shortened.
Both directions are checked: every pair label is symmetric."""

from __future__ import annotations

import warnings

import pytest
from edit_flags import flag_labels as flags

from unspin.edits.tokens import tokenize

_FACTS = {"number_change", "date_change", "entity_change"}


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A date in words and the same date in digits (PAN 04).
        ("On September 14, 1938, Waldo Clarke met them.", "On 9/14/1938, Waldo Clarke met them."),
        ("The pact was signed on 14 September 1938 in Munich.", "The pact was signed on 14.09.1938 in Munich."),
        ("The pact was signed on Sept. 14 in Munich.", "The pact was signed on 9/14 in Munich."),
        ("The pact was signed on September 14 in Munich.", "The pact was signed on 1938-09-14 in Munich."),
        # Clock times (PAN 04).
        ("Last updated: Apr 21, 2002 - 22:35:42 Youth Group", "Last updated: 21 April 2002 - 10:35:42 p.m. Youth Group"),
        ("Thursday, January 29, 2009, 7:00 p.m. USGS, Menlo Park", "Thursday, 29 January 2009, 19:00 USGS, Menlo Park"),
        ("The meeting starts at 3 p.m. today.", "The meeting starts at 15:00 today."),
        # A decimal comma, and thousands grouped with full stops or spaces.
        ("with a production rate of 6.2 units per hour", "with a production rate of 6,2 units per hour"),
        ("Growth was 3,5 percent last year.", "Growth was 3.5 percent last year."),
        ("Sales reached 1.000.000 units.", "Sales reached 1,000,000 units."),
        ("records from more than 14,000 journals going back", "records from more than - 14 000 stock - time, going back"),
        ("The loan was 1,5 million euros.", "The loan was 1.5 million euros."),
    ],
)  # fmt: skip
def test_another_notation_is_no_change(source: str, target: str) -> None:
    assert not flags(source, target) & _FACTS
    assert not flags(target, source) & _FACTS


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("On September 14, 1938, Waldo Clarke met them.", "On 9/14/1939, Waldo Clarke met them."),
        ("The pact was signed on 14 September 1938 in Munich.", "The pact was signed on 15.09.1938 in Munich."),
        ("The pact was signed on Sept. 14 in Munich.", "The pact was signed on 9/15 in Munich."),
        ("The pact was signed on Sept. 14 in Munich.", "The pact was signed on Sept. 15 in Munich."),
        ("The meeting starts at 3 p.m. today.", "The meeting starts at 16:00 today."),
        ("The meeting starts at 15:00 today.", "The meeting starts at 3 a.m. today."),
        ("with a production rate of 6.2 units per hour", "with a production rate of 6,3 units per hour"),
        ("Sales reached 1.000.000 units.", "Sales reached 1,000,001 units."),
        ("records from more than 14,000 journals going back", "records from more than 15 000 journals going back"),
        ("The loan was 1,5 million euros.", "The loan was 2.5 million euros."),
    ],
)  # fmt: skip
def test_another_value_is_still_a_change(source: str, target: str) -> None:
    assert flags(source, target) & {"number_change", "date_change", "entity_change"}
    assert flags(target, source) & {"number_change", "date_change", "entity_change"}


def test_a_notation_is_read_only_where_the_other_text_needs_it() -> None:
    # "3,4 or 8" read as 3.4 where the other text says 3.4; a score "21:15" is no time unless
    # the other text gives that time; a year before a number is no group of thousands.
    assert not flags("a measly 3,4 or 8gb SSD", "a measly 3.4 or 8 GB SSD") & _FACTS
    assert not flags("They won 21:15 at home.", "They won 21-15 at home.") & _FACTS
    assert not flags("In 1998 200 people came.", "In 1998, 200 people came.") & _FACTS
    assert "number_change" in flags("In 1998 200 people came.", "In 1998 300 people came.")


def test_clock_times_read_by_dateutil() -> None:
    from unspin.edits.notations import clock_times  # (imported here: main had no such module)

    toks = tokenize("at 3pm, 3:00 PM, 10:35:42 p.m., 12:34 P.M., 3 a day, 3:1 and 99:99")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (dateutil read "P.M." as "P" and a time zone "M")
        times = clock_times(toks)
    assert sorted(str(t) for t in times.values()) == [
        "12:34:00",
        "15:00:00",
        "15:00:00",
        "22:35:42",
    ]
