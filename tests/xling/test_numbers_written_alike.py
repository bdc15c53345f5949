"""The number check on real translations (docs/benchmarks.md 18.24): figures written alike,
clock times, numbers glued to an ending, codes kept in Latin letters and anonymised indices."""

from __future__ import annotations

import pytest

from unspin.xling.clock import clock_times, paired
from unspin.xling.facts import check
from unspin.xling.writings import ended_numbers, glued_indices, roman_numbers, shared_spans


def reasons(source: str, target: str, lang: str) -> list[str]:
    return [f.reason for f in check(source, target, lang) if f.label != "entity_change"]


# (English, translation as published, translation with one number changed, language):
# the published pair passes, the changed one is flagged. From WMT23's general test set.
PAIRS = [
    (
        "He won the sprint in 23:21.7 minutes.",
        "Er gewann den Sprint in 23:21.7 Minuten.",
        "Er gewann den Sprint in 23:24.7 Minuten.",
        "de",
    ),
    (
        "Call the police at (030) 4664 - 171 100 with leads.",
        "Hinweise unter der Rufnummer (030) 4664 - 171 100.",
        "Hinweise unter der Rufnummer (030) 4664 - 171 101.",
        "de",
    ),
    (
        "In the night from Friday to Saturday (10.02.-11.02.), around 1:40 a.m., he drove.",
        "In der Nacht von Freitag auf Samstag (10.02.-11.02.), gegen 01.40 Uhr, fuhr er.",
        "In der Nacht von Freitag auf Samstag (10.02.-11.02.), gegen 01.50 Uhr, fuhr er.",
        "de",
    ),
    (
        "It all starts on Saturday at 8.30 p.m. in the hall.",
        "Los geht's am Samstag um 20.30 Uhr im Saal.",
        "Los geht's am Samstag um 21.30 Uhr im Saal.",
        "de",
    ),
    (
        "It tracks to within 0.5 m in live mode.",
        "Die Ortung ist im Livemodus auf 0,5m genau.",
        "Die Ortung ist im Livemodus auf 1,5m genau.",
        "de",
    ),
    (
        "The threads rusted after 3 and a half years.",
        "Das Gewinde rostete nach 3,5 Jahren.",
        "Das Gewinde rostete nach 4,5 Jahren.",
        "de",
    ),
    (
        "And I want a four-day week.",
        "Und ich will 4-Tage-Woche.",
        "Und ich will 5-Tage-Woche.",
        "de",
    ),
    (
        "Derry City ran out 2-0 winners over Shamrock Rovers.",
        "«Дерри Сити» победил со счетом 2-0 «Шемрок Роверс».",
        "«Дерри Сити» победил со счетом 2-2 «Шемрок Роверс».",
        "ru",
    ),
    (
        "The opening ceremony of the 10th Asian Championships took place.",
        "Прошла церемония открытия 10го Чемпионата Азии.",
        "Прошла церемония открытия 13го Чемпионата Азии.",
        "ru",
    ),
    (
        "She held sessions on Saturday at 11am, noon and 2pm.",
        "Она проводит чтения по субботам, в 11.00, в полдень и в 14.00.",
        "Она проводит чтения по субботам, в 14.00, в полдень и в 14.00.",
        "ru",
    ),
    (
        "I purchased a Netgear AC1900 modem.",
        "Я купил модем Netgear AC1900.",
        "Я купил модем Netgear AC1938.",
        "ru",
    ),
    (
        "It would return an IDirect3DViewport3 with more methods.",
        "Он вернёт IDirect3DViewport3 с дополнительными методами.",
        "Он вернёт IDirect3DViewport6 с дополнительными методами.",
        "ru",
    ),
    (
        "I am 5 ft 6 inches tall.",
        "Мой рост 5 футов 6 дюймов.",
        "Мой рост 6 футов 6 дюймов.",
        "ru",
    ),
    (
        "At the beginning of the 17th century, when Ivan Susanin was alive.",
        "В начале XVII в., когда жил Иван Сусанин.",
        "В начале XVIII в., когда жил Иван Сусанин.",
        "ru",
    ),
    (
        "It's open from 10:00 a.m. to 10:00 p.m.",
        "Часы работы с 10-00 до 22-00.",
        "Часы работы с 11-00 до 22-00.",
        "ru",
    ),
    (
        "The ship was launched on the Soyuz-2.1a rocket on October 26.",
        'Корабль запущен на ракете "Союз-2.1а" 26 октября.',
        'Корабль запущен на ракете "Союз-2.4а" 26 октября.',
        "ru",
    ),
    (
        "[PERSON11] will check it with [PERSON6].",
        "[ЧЕЛОВЕК11] проверит это с [ЧЕЛОВЕК6].",
        "[ЧЕЛОВЕК11] проверит это с [ЧЕЛОВЕК7].",
        "ru",
    ),
]


@pytest.mark.parametrize(("english", "published", "changed", "lang"), PAIRS)
def test_published_passes_and_changed_number_is_flagged(
    english: str, published: str, changed: str, lang: str
) -> None:
    assert reasons(english, published, lang) == []
    assert reasons(english, changed, lang)


def test_a_changed_clock_time_is_reported_as_times() -> None:
    assert reasons("at 8.30 p.m.", "um 21.30 Uhr", "de") == [
        'number changed: "8.30 p.m." became "21.30"'
    ]


def test_clock_times_read_halves_of_the_day_and_not_race_times() -> None:
    found = clock_times("at 8.30 p.m., 11am, 23:15, in 23:21.7 minutes, 1.250 people")
    assert [(t.hour, t.minute, t.writing) for t in found] == [
        (20, 30, "8.30 p.m."),
        (11, 0, "11am"),
        (23, 15, "23:15"),
    ]


def test_times_twelve_hours_apart_pair_without_a_half_of_the_day() -> None:
    lost, added = paired(clock_times("at 2.30"), clock_times("um 14.30 Uhr"))
    assert (lost, added) == ([], [])
    lost, added = paired(clock_times("at 4 pm"), clock_times("um 18.00 Uhr"))
    assert [t.writing for t in lost] == ["4 pm"] and [t.writing for t in added] == ["18.00"]


def test_shared_figures_pair_one_occurrence_with_one() -> None:
    src, tgt = shared_spans("2-0", "2-2")
    assert (src, tgt) == ([(0, 1)], [(0, 1)])


def test_an_ended_number_kept_as_a_code_is_not_read_as_a_number() -> None:
    assert ended_numbers("on a 4k display, 5G", "en", frozenset({"4k"})) != []
    assert [e.writing for e in ended_numbers("on a 4k display", "en", frozenset({"4k"}))] == []


def test_glued_indices_of_placeholders_in_both_scripts() -> None:
    assert glued_indices("[PERSON11] and CBS2") == [(11, "PERSON11"), (2, "CBS2")]
    assert glued_indices("[ЧЕЛОВЕК11]") == [(11, "ЧЕЛОВЕК11")]
    # An ended number is read as a number, not as an index.
    assert glued_indices("10го") == []


def test_a_code_dropped_by_the_translation_is_no_change() -> None:
    # One side alone writes a code: the translation may say it otherwise.
    assert reasons("It runs on Direct3D3 now.", "Теперь он работает на новой версии.", "ru") == []


def test_roman_numerals_of_i_v_and_x_only() -> None:
    found = roman_numbers("au XIXe siècle, Louis XIV, Part II, a CD, size XL, I think")
    assert [(r.value, r.writing) for r in found] == [(19.0, "XIXe"), (14.0, "XIV"), (2.0, "II")]


def test_a_roman_numeral_of_the_english_only_matches() -> None:
    # "World War II" is "la Seconde Guerre mondiale": the English numeral is no lost number.
    assert (
        reasons("He fought in World War II.", "Il a combattu pendant la Seconde Guerre.", "fr")
        == []
    )
