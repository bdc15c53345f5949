"""False number flags read in PAN 2013's translation obfuscation (section 04), and the flag
still firing on a real change of the same kind. Both directions are checked: every pair label
is symmetric."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags

from unspin.edits.facts import Facts
from unspin.edits.tokens import numeric_date_readings

# Scraped page script as PAN's sources hold it (octal character codes after backslashes), and
# as the translated reuse wrote it: backslashes gone, the codes run into the words.
_SCRIPT = r"<b:if cond='data:blog.pageType'>if\76\n\74div class\75\47widget-content\47 rel\75\42alternate\42"
_SCRIPT_REUSED = (
    "b if cond data blog pageType if76n74div class7547widget content47 rel7542alternate42"
)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (_SCRIPT, _SCRIPT_REUSED),
        # The same date written month first and day first, with another separator.
        ("Posted by Anna; 04/02/08 at the club.", "Posted by Anna, 02.04.08 at the club."),
        # A date that can be two days, and the one of them the other text writes.
        ("Posted 10.08.2005, 12:51 by Anna.", "Posted 2005-08-10, 12:51 by Anna."),
        # A date that can only be one day, in digits and in ISO form.
        ("The deal was signed on 13/02/2008 in Paris.", "The deal was signed on 2008-02-13 in Paris."),
    ],
)  # fmt: skip
def test_escapes_and_dates_written_otherwise_are_not_changed(source: str, target: str) -> None:
    assert not flags(source, target) & {"number_change", "date_change"}
    assert not flags(target, source) & {"number_change", "date_change"}


@pytest.mark.parametrize(
    ("source", "target", "label"),
    [
        ("Posted by Anna; 04/02/08 at the club.", "Posted by Anna, 05.04.08 at the club.", "date_change"),
        ("The deal was signed on 13/02/2008 in Paris.", "The deal was signed on 2008-02-14 in Paris.", "date_change"),
        ("Posted 10.08.2005, 12:51 by Anna.", "Posted 2005-10-09, 12:51 by Anna.", "date_change"),
        ("He paid 75 dollars for 42 apples.", "He paid 76 dollars for 42 apples.", "number_change"),
        # A backslash with a space after it escapes nothing.
        ("The ratio is 3 \\ 75 here.", "The ratio is 3 \\ 76 here.", "number_change"),
    ],
)  # fmt: skip
def test_real_changes_still_flagged(source: str, target: str, label: str) -> None:
    assert label in flags(source, target)
    assert label in flags(target, source)


def test_the_readings_behind_the_rules() -> None:
    assert numeric_date_readings("04/02/08") == numeric_date_readings("02.04.08")
    assert len(numeric_date_readings("13.02.2008")) == 1
    assert not numeric_date_readings("1.2.3") and not numeric_date_readings("12.09")
    assert Facts(r"if\76\n\74div").numbers == Facts("if76n74div").numbers
    assert Facts("dated 04/02/08").dates == Facts("dated 02.04.08").dates
