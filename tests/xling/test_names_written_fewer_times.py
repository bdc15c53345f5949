"""A name changed at one of its places: the English writes it twice or more, the translation
fewer times but at least once, with a name of its own in the place of the others; and a short
word of the translation is not heard as a longer name ("den" is not "Biden")."""

from __future__ import annotations

import pytest

from unspin.xling.facts import check

pytest.importorskip("wordfreq", reason="the check reads word frequencies with wordfreq")

ENGLISH = (
    'Adriana Kuch, 14, was found dead at home. "If they had called the police, those girls'
    ' would not have posted videos," Kuch said.'
)
GERMAN = (
    "Adriana Kuch, 14, wurde tot aufgefunden. „Wenn man die Polizei gerufen hätte, hätten"
    " diese Mädchen keine Videos gepostet“, sagte {}."
)


def _names_changed(source: str, target: str, lang: str) -> list[tuple[str, str]]:
    return [(c.source_text, c.target_text) for c in check(source, target, lang)]


def test_a_repeated_name_replaced_at_one_place_is_flagged() -> None:
    assert _names_changed(ENGLISH, GERMAN.format("Kuch"), "de") == []
    assert _names_changed(ENGLISH, GERMAN.format("Wendy"), "de") == [("Kuch", "Wendy")]


def test_a_repeated_name_said_by_a_pronoun_or_a_common_noun_is_not_flagged() -> None:
    assert _names_changed(ENGLISH, GERMAN.format("sie"), "de") == []
    # German capitalises its nouns; a compound ends in a frequent word ("...gruppe").
    assert _names_changed(ENGLISH, GERMAN.format("die Mutter"), "de") == []
    assert _names_changed(ENGLISH, GERMAN.format("die Einwanderergruppe"), "de") == []


def test_a_short_word_is_not_heard_as_a_longer_name() -> None:
    source = "This is perhaps the biggest reason for Biden to take responsibility."
    same = "Das ist vielleicht der wichtigste Grund für Biden, Verantwortung zu übernehmen."
    changed = "Das ist vielleicht der wichtigste Grund für Trumps, den Weg zu gehen."
    assert _names_changed(source, same, "de") == []
    assert [a for a, _ in _names_changed(source, changed, "de")] == ["Biden"]
