"""Distortion flags read on real SpinBot output beside its Wikipedia originals (benchmarks
15.16; development data kept outside the repository), one case per class fixed, and the flag
still firing on a real change of the same kind. Both directions are checked."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags
from edit_flags import flagged


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A common word written as the abbreviation Moby lists for it (3 of SpinBot's 18
        # entity changes on 158 paragraphs were "television" / "TV").
        (
            "The storyline was covered on national television news that week.",
            "The storyline was secured on national TV news that week.",
        ),
        (
            "He had been cast as Roy in a television series about the club.",
            "He had been given a role as Roy in a TV arrangement about the club.",
        ),
    ],
)
def test_a_word_and_its_listed_abbreviation_are_no_name_change(source: str, target: str) -> None:
    assert "entity_change" not in flags(source, target)
    assert "entity_change" not in flags(target, source)


@pytest.mark.parametrize(
    ("source", "target", "change"),
    [
        # An abbreviation that is no synonym of the word: a name brought in.
        (
            "The storyline was covered on national television news that week.",
            "The storyline was covered on national CNN news that week.",
            ("television", "CNN"),
        ),
        # SpinBot garbling a name: the academy is another one now.
        (
            "After graduating from the U.S. Naval Academy in 1867, he was posted to a vessel.",
            "In the wake of moving on from the U.S. Maritime Academy in 1867, he was posted to a vessel.",
            ("Naval", "Maritime"),
        ),
    ],
)
def test_names_really_changed_are_still_flagged(
    source: str, target: str, change: tuple[str, str]
) -> None:
    assert ("entity_change", *change) in flagged(source, target)
    assert ("entity_change", change[1], change[0]) in flagged(target, source)


# A negation lost elsewhere in the reuse ("failed to" / "neglected to") makes the whole text's
# count differ, as in the SpinBot paragraph where "Unlike" was flagged.
_TAIL = (
    " Even in Denmark, many of his compositions failed to impress.",
    " Indeed, even in Denmark, huge numbers of his sytheses neglected to inspire.",
)


def test_a_negative_word_reworded_whole_is_no_lost_negation() -> None:
    source = "Unlike his rival, the minister did not resign after the vote." + _TAIL[0]
    target = "In contrast to his rival, the minister did not resign after the vote." + _TAIL[1]
    assert "negation" not in flags(source, target)
    assert "negation" not in flags(target, source)


def test_a_negative_word_put_for_its_base_is_still_a_negation() -> None:
    source = "Unlike his rival, the minister did not resign after the vote." + _TAIL[0]
    target = "Like his rival, the minister did not resign after the vote." + _TAIL[1]
    assert ("negation", "Unlike", "Like") in flagged(source, target)
    assert ("negation", "Like", "Unlike") in flagged(target, source)
