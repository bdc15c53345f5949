"""The cross-language fact check: numbers, dates and names compared across a translation
(no model needed)."""

from __future__ import annotations

import doctest
import importlib

import pytest

from unspin.xling.facts import check, document_names, parse_number, source_names

EN = "Mary Jackson paid 1,500 dollars in Boston on 3 March 2021."


def labels(source: str, target: str, lang: str) -> list[str]:
    return [c.label for c in check(source, target, lang, "en", document_names(source))]


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("Мэри Джексон заплатила 1 500 долларов в Бостоне 3 марта 2021 года.", "ru"),
        ("Mary Jackson a payé 1 500 dollars à Boston le 3 mars 2021.", "fr"),
        ("Mary Jackson pagó 1.500 dólares en Boston el 3 de marzo de 2021.", "es"),
        ("Mary Jackson zahlte am 3. März 2021 in Boston 1.500 Dollar.", "de"),
        ("玛丽·杰克逊于2021年3月3日在波士顿支付了1,500美元。", "zh"),
    ],
)
def test_a_faithful_translation_raises_no_flag(target: str, lang: str) -> None:
    assert labels(EN, target, lang) == []


@pytest.mark.parametrize(
    ("target", "lang", "label"),
    [
        (
            "Мэри Джексон заплатила 2 500 долларов в Бостоне 3 марта 2021 года.",
            "ru",
            "number_change",
        ),
        ("Mary Jackson a payé 1 500 dollars à Boston le 3 avril 2021.", "fr", "date_change"),
        ("Mary Jackson pagó 1.500 dólares en Boston el 3 de marzo de 2019.", "es", "date_change"),
        ("Mary Jackson zahlte am 3. März 2021 in Chicago 1.500 Dollar.", "de", "entity_change"),
        ("Мэри Смит заплатила 1 500 долларов в Бостоне 3 марта 2021 года.", "ru", "entity_change"),
    ],
)
def test_a_changed_fact_is_flagged_with_the_one_language_label(
    target: str, lang: str, label: str
) -> None:
    assert labels(EN, target, lang) == [label]


def test_reasons_read_as_in_one_language() -> None:
    changes = check("So Tom paid 300 dollars.", "Джон заплатил 500 долларов.", "ru")
    assert [c.reason for c in changes] == [
        'number changed: "300" became "500"',
        'name changed: "Tom" became "Джон"',
    ]


def test_numbers_read_with_each_language_s_marks() -> None:
    assert parse_number("1,500", "en") == 1500.0
    assert parse_number("1.500", "de") == 1500.0
    assert parse_number("0,5", "ru") == 0.5
    assert labels("Rates rose 0.5 percent.", "Ставки выросли на 0,5 процента.", "ru") == []
    assert labels("Rates rose 0.5 percent.", "Ставки выросли на 0,7 процента.", "ru") == [
        "number_change"
    ]


def test_numbers_in_words_are_not_taken_for_lost_numbers() -> None:
    # Spanish number words are read (text2num); a clock time may be said in words.
    assert labels("Three ships left.", "Tres barcos partieron.", "es") == []
    assert labels("We met at 2:30.", "Nos vimos a las dos y media.", "es") == []
    # Russian number words cannot be read: a number said in words is no change...
    assert labels("Three ships left.", "Три корабля ушли.", "ru") == []
    # ... but a number written in its place is.
    assert labels("3 ships left.", "5 кораблей ушли.", "ru") == ["number_change"]


def test_names_in_chinese_characters_are_not_compared() -> None:
    assert labels("So Tom left Boston.", "于是汤姆离开了波士顿。", "zh") == []
    # A name left in Latin letters is.
    assert labels("So Tom left Boston.", "于是John离开了波士顿。", "zh") == ["entity_change"]


def test_which_capitalised_words_are_names() -> None:
    assert source_names("Don't go. It's the Six-Day War, said Mr Brown in May.") == ["Mr Brown"]
    assert source_names("The AC broke in Germany, said Mrs. Hughes.") == ["Hughes"]
    # A sentence's first word is a name when it is one elsewhere in the document.
    assert source_names("Tom left.") == []
    assert source_names("Tom left.", document_names("Then Tom came back.")) == ["Tom"]


@pytest.mark.parametrize(
    ("source", "target", "lang", "flagged"),
    [
        (
            "The trial has 12,000 patients.",
            "В испытании участвуют 12 тысяч пациентов.",
            "ru",
            False,
        ),
        ("The trial has 12,000 patients.", "В испытании участвуют 13 тысяч пациентов.", "ru", True),
        ("It causes 1.35 million infections.", "每年导致 135 万人感染。", "zh", False),
        ("It causes 1.35 million infections.", "每年导致 153 万人感染。", "zh", True),
        ("Exports earn 1,500 mln dlrs.", "Экспорт приносит 1500 млн долларов.", "ru", False),
    ],
)
def test_a_number_with_a_magnitude_word_matches_by_either_value(
    source: str, target: str, lang: str, flagged: bool
) -> None:
    assert bool(labels(source, target, lang)) is flagged


def test_offices_and_institutions_are_not_compared_as_names() -> None:
    # Translated by meaning ("министр иностранных дел"), so never found transliterated.
    source = "On Sunday, the Foreign Secretary spoke at Downing Street."
    target = "В воскресенье министр иностранных дел выступил на Даунинг-стрит."
    assert labels(source, target, "ru") == []
    # A headline's next line starts a sentence: its first word is no name by position.
    assert source_names("Quarantine decision\n\nMinisters announced it on Saturday.") == []


@pytest.mark.parametrize(
    "name",
    [
        "unspin.xling.facts",
        "unspin.xling.sentences",
        "unspin.xling.align",
        "unspin.xling.language",
    ],
)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
