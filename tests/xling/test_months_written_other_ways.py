"""Months written other ways than their names: September abbreviated "Sept." (as news in
the United States and Britain write it) and Russian adjectives made of a month's name
("июльский номер", the July issue)."""

from __future__ import annotations

import pytest

from unspin.xling.facts import check

pytest.importorskip("babel", reason="the xling check reads CLDR month names with babel")


def _labels(source: str, target: str, lang: str) -> list[str]:
    return [f.label for f in check(source, target, lang)]


def test_sept_abbreviated_is_september() -> None:
    source = "On the day of the Sept. 11, 2001, attacks he gave an interview."
    assert _labels(source, "11 сентября 2001 года он дал интервью.", "ru") == []
    assert _labels(source, "11 октября 2001 года он дал интервью.", "ru") == ["date_change"]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("The cover of the July issue shows a face.", "Обложку июльского номера украшает лицо."),
        ("We are at work on our November issue.", "Мы работаем над ноябрьским номером."),
        ("The March theses were read aloud.", "Мартовские тезисы зачитали вслух."),
    ],
)
def test_a_russian_month_adjective_is_the_month(source: str, target: str) -> None:
    assert _labels(source, target, "ru") == []
    changed = source.replace("July", "August").replace("November", "December")
    changed = changed.replace("March", "April")
    assert _labels(changed, target, "ru") == ["date_change"]


def test_a_word_that_only_starts_like_a_month_is_no_month() -> None:
    # "маска" (a mask) starts like "май" and "март"; "Марк" is a name.
    assert _labels("He wore a mask in June.", "Он носил маску в июне.", "ru") == []
    assert _labels("Mark came in June.", "Марк приехал в июне.", "ru") == []
