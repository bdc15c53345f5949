"""A day period's name says an hour: "noon" is the "12时" of a Chinese translation.

Before: "The talks resumed at noon" against "会谈于周一12时恢复" flagged "12" as added, and
"between noon and 2 p.m." against "zwischen 12 und 14 Uhr" the same (docs/benchmarks.md 18.25,
18.26: "noon" was no time the check read)."""

from __future__ import annotations

import pytest

from unspin.xling.facts import check, day_period_hours


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("The talks resumed at noon on Monday.", "会谈于周一12时恢复。", "zh"),
        (
            "Between noon and 2 p.m. the shops close.",
            "Zwischen 12 und 14 Uhr schließen die Geschäfte.",
            "de",
        ),
        ("The talks resumed at 12 o'clock.", "Les discussions ont repris à midi.", "fr"),
    ],
)
def test_a_day_period_is_the_hour_it_names(source: str, target: str, lang: str) -> None:
    assert check(source, target, lang) == []


def test_another_hour_is_still_a_change() -> None:
    changes = check(
        "The talks resumed at noon on Monday.", "Переговоры возобновились в 15 часов.", "ru"
    )
    assert [c.target_text for c in changes] == ["15"]


def test_day_periods_come_from_cldr_in_each_language() -> None:
    assert day_period_hours("at noon", "en") == {12.0}
    assert day_period_hours("ровно в полночь", "ru") == {0.0, 12.0, 24.0}
    assert day_period_hours("午夜时分", "zh") == {0.0, 12.0, 24.0}
    # English narrow forms ("n", "mi") are letters, not names; "noonday" is another word.
    assert day_period_hours("n mi noonday", "en") == set()
