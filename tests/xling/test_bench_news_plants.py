"""The news bench plants a changed name on a word that writes a name, and a changed month on
a month: never on a lower-case word that the checker's loose name match accepts ("Hanna" by
"and", "Hunan" by "in") or the noun "march" (docs/benchmarks.md 18.18)."""

from __future__ import annotations

import random
from types import ModuleType

import pytest

from repo_script import load_script

pytest.importorskip("babel", reason="the xling extra (babel) is not installed")


def _bench() -> ModuleType:
    return load_script("benchmarks/bench_xling_news.py")


def _months() -> dict[int, str]:
    from babel import Locale

    return dict(Locale.parse("en").months["format"]["wide"])


def test_a_name_plant_replaces_the_name_not_a_lower_case_word_the_loose_match_accepts() -> None:
    from unspin.xling.facts import _found

    sentence = "Hanna said the floods had ended in the east."
    # Why the rule is needed: the checker's loose match hears the name in common words.
    assert _found("Hanna", ["in"]) and _found("Hanna", ["ended"])
    plants = _bench()._plants(
        sentence, sentence, "en", frozenset({"Hanna"}), ["Mudanura"], _months(), random.Random(0)
    )
    names = [changed for kind, changed in plants if kind == "name"]
    assert names == ["Mudanura said the floods had ended in the east."]


def test_a_month_plant_leaves_the_noun_march_alone() -> None:
    plants = _bench()._plants(
        "The march ended in May.",
        "The march ended in May.",
        "en",
        frozenset(),
        [],
        _months(),
        random.Random(0),
    )
    months = [changed for kind, changed in plants if kind == "month"]
    assert months == ["The march ended in June."]


def test_an_english_name_plant_replaces_a_word_of_that_name_where_the_sentence_writes_it() -> None:
    from unspin.xling.facts import _found

    sentence = "Changhai Hospital set up the Chinese Medical Doctor Association's branch."
    # The loose match accepts "Chinese" for "Changhai Hospital": no name of the sentence.
    assert _found("Changhai Hospital", ["Chinese"])
    plants = _bench()._plants(
        sentence,
        sentence,
        "en",
        frozenset(),
        ["Mudanura"],
        _months(),
        random.Random(0),
    )
    names = [changed for kind, changed in plants if kind == "name"]
    assert names == ["Changhai Mudanura set up the Chinese Medical Doctor Association's branch."]


def test_a_name_is_found_with_the_contractions_it_lost() -> None:
    spans = _bench()._name_spans("Yu Bao", "Savers left Yu'E Bao's funds.")
    assert spans == [(12, 22)]
