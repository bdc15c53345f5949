"""The cross-language fact check: numbers, dates and names compared across a translation
(no model needed)."""

from __future__ import annotations

import doctest
import importlib

import pytest

from unspin.xling.facts import check, document_names, parse_number, source_names

EN = "Mary Jackson paid 1,500 dollars in Boston on 3 March 2021."


def labels(source: str, target: str, lang: str) -> list[str]:
    if lang == "zh":
        # Chinese numerals are read with cn2an (the xling extra; the test extra has it).
        pytest.importorskip("cn2an", reason="the xling extra is not installed")
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


PAIRS_TRANSLATED_BY_MEANING = [
    # One dictionary word alone, a title in a run, a headline in title case.
    ("The Navy said the ship would return.", "ВМФ заявил, что корабль вернется.", "ru"),
    ("He joined Labour in 1990.", "Он вступил в Лейбористскую партию в 1990 году.", "ru"),
    (
        "Then Army Chief General Bipin Rawat spoke.",
        "Затем выступил глава армии генерал Бипин Рават.",
        "ru",
    ),
    (
        "Egg Seller Whose Cart Was Overturned Gets Help Upon Arrival",
        "Продавец яиц, чью тележку перевернули, получил помощь",
        "ru",
    ),
    # A compound name written with a hyphen, or an adjective of a city.
    ("He lives in Saint Petersburg now.", "Теперь он живет в Санкт-Петербурге.", "ru"),
    ("A court in Moscow ruled.", "Суд в Московском районе постановил.", "ru"),
]


@pytest.mark.parametrize(("source", "target", "lang"), PAIRS_TRANSLATED_BY_MEANING)
def test_words_translated_by_meaning_are_not_flagged(source: str, target: str, lang: str) -> None:
    assert labels(source, target, lang) == []


def test_a_changed_name_stays_flagged_beside_words_translated_by_meaning() -> None:
    # Common first names and surnames are written alike in other languages' news (wordfreq):
    # "Tom", "Trump" and "Brown" stay names where "Navy" does not.
    assert labels("The Navy said Tom left.", "ВМФ заявил, что Джон ушел.", "ru") == [
        "entity_change"
    ]
    assert labels("Trump spoke.\nLater Trump left.", "Позже Байден ушел.", "ru") == [
        "entity_change"
    ]
    doc = "Gordon Brown spoke. Then Brown left."
    assert check("Then Brown left.", "Затем ушел Смит.", "ru", "en", document_names(doc))
    assert labels("He lives in Saint Petersburg now.", "Теперь он живет в Москве.", "ru") == [
        "entity_change"
    ]


@pytest.mark.parametrize(
    ("source", "same", "changed", "lang"),
    [
        # A 12-hour clock written as 24 hours.
        (
            "Police came around 11:30 p.m. on Sunday.",
            "Полиция пришла около 23:30.",
            "около 22:30",
            "ru",
        ),
        (
            "The fire began just after 3 p.m. today.",
            "Пожар начался после 15:00.",
            "после 16:00",
            "ru",
        ),
        # Indian magnitudes (CLDR en-IN) and ranges sharing their magnitude word.
        ("Cases approach 14 lakh now.", "Случаев почти 1 400 000.", "почти 1 500 000", "ru"),
        (
            "It was 600,000 to 700,000 years ago.",
            "Это было 600–700 тысяч лет назад.",
            "600–800 тысяч",
            "ru",
        ),
        (
            "India had almost 33,000 deaths.",
            "В Индии почти 33 тысячами умерших.",
            "34 тысячами",
            "ru",
        ),
        # English-style thousands kept by a Russian translation.
        ("Cases top 60,000 now.", "Случаи превысили 60,000 сейчас.", "70,000", "ru"),
    ],
)
def test_numbers_written_another_way_match_and_changed_ones_do_not(
    source: str, same: str, changed: str, lang: str
) -> None:
    assert labels(source, same, lang) == []
    changed_target = {
        "около 22:30": same.replace("около 23:30", "около 22:30"),
        "после 16:00": same.replace("после 15:00", "после 16:00"),
        "почти 1 500 000": same.replace("1 400 000", "1 500 000"),
        "600–800 тысяч": same.replace("600–700", "600–800"),
        "34 тысячами": same.replace("33 тысячами", "34 тысячами"),
        "70,000": same.replace("60,000", "70,000"),
    }[changed]
    assert "number_change" in labels(source, changed_target, lang)


def test_a_number_glued_to_a_name_counts_only_against_another() -> None:
    # "COVID-19" where the source says "the coronavirus": no number lost or added.
    assert labels("The coronavirus spread.", "COVID-19 распространился.", "ru") == []
    assert labels("COVID-19 spread.", "COVID-21 распространился.", "ru") == ["number_change"]


def test_may_after_a_first_name_is_a_surname() -> None:
    assert labels("Brian May played on 19 July.", "Брайан Мэй играл 19 июля.", "ru") == []
    assert labels("He played on 19 May.", "Он играл 19 июня.", "ru") == ["date_change"]


@pytest.mark.parametrize(
    "name",
    [
        "unspin.xling.facts",
        "unspin.xling.units",
        "unspin.xling.chinese",
        "unspin.xling.sentences",
        "unspin.xling.align",
        "unspin.xling.language",
    ],
)
def test_docstring_examples(name: str) -> None:
    if name == "unspin.xling.chinese":
        pytest.importorskip("cn2an", reason="the xling extra is not installed")
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_chinese_months_in_digits_are_dates_and_english_ordinals_numbers() -> None:
    source = "Guangzhou, July 26th (Xinhua) - the bureau said."
    assert labels(source, "新华社广州7月26日电 记者了解到", "zh") == []
    assert labels(source, "新华社广州8月26日电 记者了解到", "zh") == ["date_change"]
    assert labels(source, "新华社广州7月27日电 记者了解到", "zh") == ["number_change"]


def test_german_thousands_are_not_read_the_english_way() -> None:
    # "15.000" in German is 15,000, never 15: a source "15" against it is a change.
    assert labels("At most 15,000 spectators.", "Maximal 15.000 Zuschauer.", "de") == []
    assert labels("At most 15 spectators.", "Maximal 15.000 Zuschauer.", "de") == ["number_change"]


@pytest.mark.parametrize(
    ("source", "same", "changed", "lang"),
    [
        # A measure converted and rounded (CLDR unit words, the units' definitions).
        (
            "The clarity of the lake was about 80 feet.",
            "Die Klarheit des Sees betrug 25 Meter.",
            "Die Klarheit des Sees betrug 27 Meter.",
            "de",
        ),
        (
            "The 550-acre park is home to lions.",
            "Der 220 Hektar große Park ist Heimat von Löwen.",
            "Der 320 Hektar große Park ist Heimat von Löwen.",
            "de",
        ),
        (
            "The fire has burned 21,000 acres.",
            "Der Brand hat sich auf 85 km2 ausgebreitet.",
            "Der Brand hat sich auf 95 km2 ausgebreitet.",
            "de",
        ),
        (
            "It shoots an 8-foot cord.",
            "Оно выпускает шнур длиной 2,5 метра.",
            "Оно выпускает шнур длиной 3,5 метра.",
            "ru",
        ),
        # Digits glued to letters still hold the number.
        (
            "A 44 year old driver turned left.",
            "Eine 44jährige Fahrerin bog links ab.",
            "Eine 45jährige Fahrerin bog links ab.",
            "de",
        ),
        # The same writing on both sides, read two ways.
        (
            "So far 272.000 infections were reported.",
            "Bisher wurden 272.000 Infektionen gemeldet.",
            "Bisher wurden 273.000 Infektionen gemeldet.",
            "de",
        ),
        # An afternoon hour on the 24-hour clock.
        (
            "The fire was reported just after 3 p.m. on Sierra Avenue.",
            "Das Feuer wurde kurz nach 15 Uhr auf der Sierra Avenue gemeldet.",
            "Das Feuer wurde kurz nach 16 Uhr auf der Sierra Avenue gemeldet.",
            "de",
        ),
        # Number words under three are read too ("zwei").
        (
            "Bodies of mother, 2 infants found in a car.",
            "Leichen von Mutter und zwei Kindern in einem Auto gefunden.",
            "Leichen von Mutter und drei Kindern in einem Auto gefunden.",
            "de",
        ),
    ],
)
def test_measures_and_numbers_written_another_way(
    source: str, same: str, changed: str, lang: str
) -> None:
    assert labels(source, same, lang) == []
    assert "number_change" in labels(source, changed, lang)


def test_a_changed_imperial_figure_is_still_flagged() -> None:
    # The English side changed: 80 feet (24.4 m) is not 40 feet against "25 Meter".
    assert labels("The lake was 40 feet deep.", "Der See war 25 Meter tief.", "de") == [
        "number_change"
    ]


@pytest.mark.parametrize(
    ("source", "same", "changed", "lang"),
    [
        # A name that ends in a word translated by meaning is found by its other word.
        (
            "Two children died in the Volgograd Region this summer.",
            "Этим летом в Волгоградской области погибли двое детей.",
            "Этим летом в Ростовской области погибли двое детей.",
            "ru",
        ),
        # English "W" as Russian "У", "dg" as "дж", letters English does not say.
        (
            "The Labour MP told Sophy Ridge that it was shambolic.",
            "Депутат сказал Софи Ридж, что это хаос.",
            "Депутат сказал Софи Смит, что это хаос.",
            "ru",
        ),
        (
            "Twitter locked the account of Wiley on Friday.",
            "В пятницу Твиттер заблокировал аккаунт Уайли.",
            "В пятницу Твиттер заблокировал аккаунт Уилсона.",
            "ru",
        ),
        (
            "Later Craig Dawson scored for Watford.",
            "Позже Крейг Доусон забил за Уотфорд.",
            "Позже Крейг Джонсон забил за Уотфорд.",
            "ru",
        ),
        (
            "The baboons at Knowsley safari park attack cars.",
            "Павианы в сафари-парке Ноусли нападают на машины.",
            "Павианы в сафари-парке Честер нападают на машины.",
            "ru",
        ),
        (
            "Later the senator met voters in Texas on Monday.",
            "Позже сенатор встретился с избирателями в Техасе в понедельник.",
            "Позже сенатор встретился с избирателями в Огайо в понедельник.",
            "ru",
        ),
    ],
)
def test_names_written_another_way_match_and_changed_ones_do_not(
    source: str, same: str, changed: str, lang: str
) -> None:
    assert labels(source, same, lang) == []
    assert labels(source, changed, lang) == ["entity_change"]


def test_a_person_whose_surname_became_a_dictionary_word_is_flagged() -> None:
    # "Church" is translated by meaning after a place name, not after a first name that
    # the translation follows with another name.
    source = "Head of Dagestan Vladimir Church met the champion."
    target = "Глава Дагестана Владимир Васильев встретился с чемпионом."
    assert labels(source, target, "ru") == ["entity_change"]


def test_short_names_need_more_than_two_shared_consonants() -> None:
    # "Sochi" and "еще" (eshche) share "sk"; "Bavaria" and "vor" share "vr".
    assert labels("Even so, Sochi admitted it.", "Тем не менее, Овечкин еще признал это.", "ru")
    source = "They accused premier Markus Bavaria of neglect."
    assert labels(
        source, "Sie warfen Ministerpräsident Markus Söder vor, nachlässig zu sein.", "de"
    )


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        (
            "Without warning, Great Britain excluded Spain.",
            "Великобритания исключила Испанию.",
            "ru",
        ),
        ("It is the first case in North Korea.", "Это первый случай в КНДР.", "ru"),
        ("The club is happy to play European football.", "Клуб рад играть в еврокубках.", "ru"),
        (
            "I won't dress up, Sundays are for rest.",
            "Я не наряжаюсь, воскресенье для отдыха.",
            "ru",
        ),
        (
            "India recorded a surge in COVID-19 cases.",
            "В Индии зафиксирован всплеск коронавируса.",
            "ru",
        ),
    ],
)
def test_places_peoples_days_and_codes_are_not_compared_as_names(
    source: str, target: str, lang: str
) -> None:
    assert labels(source, target, lang) == []


def test_russian_months_in_the_prepositional_case_are_dates() -> None:
    source = "The court took up his appeal in April."
    assert labels(source, "Суд принял его жалобу в апреле.", "ru") == []
    assert labels(source.replace("April", "May"), "Суд принял его жалобу в апреле.", "ru") == [
        "date_change"
    ]
    assert labels("It happened in June.", "Это случилось в июле.", "ru") == ["date_change"]


def test_a_measure_written_both_ways_is_compared_as_written() -> None:
    source = "Workers took down the 27-foot (8.2-meter) tall monument."
    same = "Рабочие снесли памятник высотой 27 футов (8,2 метра)."
    assert labels(source, same, "ru") == []
    assert labels(source, same.replace("27 футов", "28 футов"), "ru") == ["number_change"]
    # Degrees Celsius are rounded to the degree.
    source = "Temperatures rose above 90 degrees in the area."
    assert labels(source, "Die Temperaturen stiegen auf über 32 Grad.", "de") == []
    assert labels(source, "Die Temperaturen stiegen auf über 31 Grad.", "de") == ["number_change"]


def test_may_after_a_capitalised_function_word_is_the_month() -> None:
    assert labels("In May, we were good enough.", "En mai, on était assez bons.", "fr") == []
    assert labels("In May, we were good enough.", "En juin, on était assez bons.", "fr") == [
        "date_change"
    ]


ZH = "周一，习近平在北京会见了李克强。"


@pytest.mark.parametrize(
    ("source", "target", "changed"),
    [
        ("Xi Jinping met Li Keqiang in Beijing on Monday.", ZH, []),
        # anyascii reads 重庆 "zhongqing", 长沙 "zhangsha": near enough from six letters.
        ("The mayors of Chongqing and Changsha spoke.", "重庆和长沙的市长发表了讲话。", []),
        # A name changed on the English side, then on the Chinese side.
        ("Xi Jinping met Wang Yi in Beijing on Monday.", ZH, ["Wang Yi"]),
        (
            "Xi Jinping met Li Keqiang in Beijing on Monday.",
            "周一，习近平在北京会见了王毅。",
            ["Li Keqiang"],
        ),
        ("Xi Jinping met Li Keqiang in Shenzhen on Monday.", ZH, ["Shenzhen"]),
        # Kept in Latin letters, or written surname first.
        ("Then reporter Weijia Jiang asked.", "然后记者 Weijia Jiang 问道。", []),
        ("Then reporter Weijia Jiang asked.", "然后记者江伟佳问道。", []),
        ("Then reporter Weijia Jiang asked.", "然后记者李明问道。", ["Weijia Jiang"]),
    ],
)
def test_chinese_names_spelled_in_pinyin_are_compared(
    source: str, target: str, changed: list[str]
) -> None:
    pytest.importorskip("cn2an", reason="the xling extra is not installed")
    found = check(source, target, "zh", "en", document_names(source))
    assert [c.source_text for c in found if c.label == "entity_change"] == changed


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # Foreign names transliterated into Chinese characters cannot be compared.
        ("Then Trump met Johnson in Washington.", "然后特朗普在华盛顿会见了约翰逊。"),
        ("Then Joe Biden met Maria and Leo.", "然后拜登会见了玛丽亚和利奥。"),
        # "Hong Kong" is a region (Cantonese: 香港 is "xianggang"), not compared.
        ("Then Zhang Wei flew to Hong Kong.", "然后张伟飞往香港。"),
    ],
)
def test_names_that_are_no_pinyin_are_not_compared_in_chinese(source: str, target: str) -> None:
    assert labels(source, target, "zh") == []


def test_what_passes_for_pinyin() -> None:
    from unspin.xling.facts import pinyin_keys

    assert pinyin_keys("Guangdong Province") == ("guangdong",)
    assert pinyin_keys("Huang Xiaojin") == ("huangxiaojin",)
    assert pinyin_keys("Yinchuan Wetland Center Lu Jinhu") == ("yinchuan", "lujinhu")
    # Single vowels and "ng" are no syllables here ("Maria", "Boeing"); a hyphenated
    # name is an abbreviation in Chinese ("Zhengzhou-Wanzhou" is 郑万) or Cantonese.
    for name in ("Maria", "Boeing", "Zhengzhou-Wanzhou", "Chan Mo-po", "Tsai Ing-wen"):
        assert pinyin_keys(name) == ()
