"""English names as Russian spells them: "ц" for a "z" said "ts", a soft sign, a soft "c"
and "tch" (docs/benchmarks.md 18.26)."""

from __future__ import annotations

import pytest
from name_flags import names_flagged


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Lazio won on Sunday.", "«Лацио» победил в воскресенье."),
        ("Pozzo said nothing.", "Поццо ничего не сказал."),
        ("The critic Brit Hume left.", "Критик Брит Хьюм ушёл."),
        ("The gang is led by Royce.", "Банду ведёт за собой Ройс."),
        ("They met Alfred Hitchcock there.", "Там они встретили Альфреда Хичкока."),
    ],
)
def test_a_name_spelled_the_russian_way_is_no_change(source: str, target: str) -> None:
    assert names_flagged(source, target, "ru") == []


@pytest.mark.parametrize(
    ("source", "target", "flagged"),
    [
        ("Lazio won on Sunday.", "«Рома» победил в воскресенье.", ("Lazio", "Рома")),
        ("The gang is led by Royce.", "Банду ведёт за собой Бейкер.", ("Royce", "Бейкер")),
        (
            "They met Alfred Hitchcock there.",
            "Там они встретили Альфреда Кубрика.",
            ("Alfred Hitchcock", "Кубрика"),
        ),
    ],
)
def test_another_name_is_still_a_change(source: str, target: str, flagged: tuple[str, str]) -> None:
    assert names_flagged(source, target, "ru") == [flagged]
