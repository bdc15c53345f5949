"""Russian number words ("тридцать", "четырехсот", "двадцати тысяч") are read with
number-parser (of the xling extra): a figure the translation writes in words is there, and a
changed English figure stands against it."""

from __future__ import annotations

import pytest

from unspin.xling.facts import check

pytest.importorskip("number_parser", reason="the xling extra (number-parser) is not installed")


def _labels(source: str, target: str) -> list[str]:
    return [c.label for c in check(source, target, "ru")]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (
            "The hero, about to turn 30, has to flee.",
            "Герою, которому исполнилось тридцать лет, надо бежать.",
        ),
        (
            "There are more than 400 streets to clear.",
            "Есть более четырехсот улиц, которые надо расчистить.",
        ),
        ("He built 2 km of road.", "Он построил двух км дороги."),
        ("More than 20,000 people were killed.", "Погибли более двадцати тысяч человек."),
    ],
)
def test_a_figure_written_in_russian_words_is_there_and_a_changed_one_is_not(
    source: str, target: str
) -> None:
    assert _labels(source, target) == []
    changed = source.replace("30", "31").replace("400", "800").replace(" 2 km", " 3 km")
    changed = changed.replace("20,000", "21,000")
    assert _labels(changed, target) == ["number_change"]
