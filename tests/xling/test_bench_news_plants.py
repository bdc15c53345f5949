"""The news bench plants a changed name on a word that writes a name, and a changed month on
a month: never on a lower-case word that the checker's loose name match accepts ("Hanna" by
"and", "Hunan" by "in") or the noun "march" (docs/benchmarks.md 18.18); in English, on a word
that English writes as a proper noun, not on one the checker's own finder takes for a name
(18.20)."""

from __future__ import annotations

import random
from types import ModuleType
from typing import Any

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


def _nouns(*texts: str) -> Any:
    return load_script("benchmarks/english_proper_nouns.py").proper_nouns(texts)


def test_english_proper_nouns_are_read_from_case_alone() -> None:
    nouns = _nouns(
        "Officials in Hunan Province said they met Christopher Hui Ching-yu.",
        "The province is large.",
        "Unevaluated plans were stopped.",
        '"Not now," Fauci said.',
        "Tunisian President Nominates New Prime Minister - Xinhua",
        "The president nominates a minister.",
    )
    assert [nouns.is_name_word(w) for w in ("Hunan", "Hui", "Ching-yu", "Fauci")] == [True] * 4
    # A title word also written in lower case; a sentence's first word; a title-case
    # headline's words; a letter and a lower-case word ("E-sports"); a code.
    for word in ("Province", "Unevaluated", "Nominates", "Xinhua", "E-sports", "COVID-19"):
        assert not nouns.is_name_word(word), word


def test_a_name_plant_falls_on_a_proper_noun_not_on_a_word_the_checker_takes_for_one() -> None:
    from unspin.xling.facts import source_names

    sentence = "Unevaluated policies were stopped in Hunan Province."
    # The checker's finder takes the first word, which no dictionary holds, for a name.
    assert source_names(sentence)[0] == "Unevaluated"
    bench = _bench()
    nouns = _nouns(sentence, "Officials in Hunan Province met.", "The province is large.")
    args = (sentence, sentence, "en", frozenset(), ["Mudanura"], _months())
    checker = [c for kind, c in bench._plants(*args, random.Random(0)) if kind == "name"]
    case = [c for kind, c in bench._plants(*args, random.Random(0), nouns) if kind == "name"]
    assert checker == ["Mudanura policies were stopped in Hunan Province."]
    assert case == ["Unevaluated policies were stopped in Mudanura Province."]


def test_the_english_name_pool_holds_proper_nouns_only() -> None:
    bench = _bench()
    english = (
        "Tunisian President Nominates New Prime Minister - Xinhua",
        "The president nominates a minister, Xinhua said.",
        "Officials in Hunan Province met.",
        "The province is large.",
    )
    article = bench.NewsArticle("a", "zh", "from_en", english, ("",) * 4)
    nouns = _nouns(*english)
    pool = bench._name_pool([article], translated=False, names=nouns)
    # The checker's finder takes the headline's "Nominates" (title case: its words no
    # dictionary holds) for a name, and takes "Province" for the last word of "Hunan Province".
    assert "Nominates" in bench._name_pool([article], translated=False)
    assert pool == ["Hunan", "Xinhua"]


def test_a_general_test_folder_is_read_pair_by_pair_in_both_directions(tmp_path: Any) -> None:
    """WMT's own layout (``txt/sources``, ``txt/references``): each pair by its own English
    side, the first reference ("refA" in 2023, "A" in 2022), six segments an article."""
    bench = _bench()
    sources, references = tmp_path / "sources", tmp_path / "references"
    sources.mkdir()
    references.mkdir()
    six = ["Sentence 0. And 0 again.", *(f"Sentence {i}." for i in range(1, 6))]
    for lang in ("ru", "de", "zh"):
        (sources / f"generaltest2023.en-{lang}.src.en").write_text("\n".join(six) + "\n")
        (references / f"generaltest2023.en-{lang}.ref.refA.{lang}").write_text(
            "\n".join([f"{lang} 0. {lang} 0 again.", *(f"{lang} {i}" for i in range(1, 6))]) + "\n"
        )
        (sources / f"generaltest2023.{lang}-en.src.{lang}").write_text(
            "\n".join(f"{lang} orig {i}" for i in range(7)) + "\n"
        )
        (references / f"generaltest2023.{lang}-en.ref.refA.en").write_text(
            "\n".join(f"English {i}." for i in range(7)) + "\n"
        )
    arts = bench.general_test_articles(tmp_path)
    assert sorted(f"{a.direction}/{a.lang}" for a in arts) == sorted(
        f"{d}/{lang}" for d in ("to_en", "from_en") for lang in ("ru", "de", "zh")
    )
    from_de = next(a for a in arts if a.direction == "from_en" and a.lang == "de")
    assert from_de.foreign[0] == "de orig 0" and from_de.english[5] == "English 5."
    assert len(from_de.english) == 6  # the seventh segment makes no article of its own
    # A line of two sentences on both sides: two passages, paired in order.
    to_de = next(a for a in arts if a.direction == "to_en" and a.lang == "de")
    assert to_de.english[:2] == ("Sentence 0.", "And 0 again.")
    assert to_de.foreign[:2] == ("de 0.", "de 0 again.")
    # A line with an anonymised name ("[PERSON8]") is left out unless asked for.
    path = sources / "generaltest2023.en-de.src.en"
    path.write_text(path.read_text().replace("Sentence 3.", "So [PERSON8] said."))
    kept = bench.general_test_articles(tmp_path, keep_anonymised=True)
    assert any("So [PERSON8] said." in a.english for a in kept)
    arts = bench.general_test_articles(tmp_path)
    to_de = next(a for a in arts if a.direction == "to_en" and a.lang == "de")
    assert "So [PERSON8] said." not in to_de.english and "de 3" not in to_de.foreign


def test_the_proper_noun_reader_examples_run_as_written() -> None:
    import doctest

    result = doctest.testmod(load_script("benchmarks/english_proper_nouns.py"))
    assert result.attempted >= 4 and result.failed == 0


def test_a_name_joined_to_an_english_word_is_no_name_word() -> None:
    nouns = _nouns(
        "We met Kin-chung at the ANSI-compliant firm of Taiwan-related scholars.",
        "It is related and compliant.",
        "They visited Taiwan.",
    )
    assert nouns.is_name_word("Kin-chung") and nouns.is_name_word("Taiwan")
    assert not nouns.is_name_word("Taiwan-related")
    assert not nouns.is_name_word("ANSI-compliant")


def test_a_number_plant_changes_a_number_not_a_group_of_its_thousands() -> None:
    bench = _bench()
    for seed in range(20):
        for sentence in ("More than 20,000 people died.", "Über 1.500 Menschen starben."):
            plants = bench._plants(
                sentence, sentence, "en", frozenset(), ["X"], _months(), random.Random(seed)
            )
            (changed,) = [c for kind, c in plants if kind == "number"]
            # The first group changed, the thousands kept: "22,000", never "20,1".
            assert changed.split()[-3][-4:] in (",000", ".500"), changed


def test_a_plants_file_is_written_once_then_read_instead_of_planting(tmp_path: Any) -> None:
    # Two trees compared on their own plants are read on different changes (the plants are
    # chosen with the checker's own functions, docs/benchmarks.md 18.26): one file for both.
    import json

    bench = _bench()
    english = (
        "Mary Jackson paid 1,500 dollars in Boston on 3 March 2021.",
        "Tom Brown met Mary Jackson in Moscow in May.",
    )
    foreign = (
        "Мэри Джексон заплатила 1 500 долларов в Бостоне 3 марта 2021 года.",
        "Том Браун встретил Мэри Джексон в Москве в мае.",
    )
    arts = [bench.NewsArticle("a", "ru", "to_en", english, foreign)]
    plants = tmp_path / "plants.json"
    first = bench.fact_check(arts, plants_file=plants)
    written = json.loads(plants.read_text(encoding="utf-8"))
    assert first["to_en/ru"]["planted"] == sum(len(v) for v in written.values()) > 0
    assert bench.fact_check(arts, plants_file=plants) == first
    # What the file says is planted, nothing else: one number changed in the first passage.
    plants.write_text(
        json.dumps(
            {
                f"to_en/ru|{english[0]}|{foreign[0]}|1": [
                    ["number", foreign[0].replace("1 500", "1 900")]
                ]
            }
        ),
        encoding="utf-8",
    )
    read = bench.fact_check(arts, plants_file=plants)["to_en/ru"]
    assert read["planted"] == 1 and read["recall"] == 1.0
