"""Chinese originals of English articles: numbers written in characters, clock times and
datelines, and names of pinyin and other words (issue 23 item 3; needs cn2an, of the
``xling`` extra)."""

from __future__ import annotations

import sys

import pytest
from zh_flags import flags

from unspin.errors import MissingExtraError

pytest.importorskip("cn2an", reason="the xling extra is not installed")


@pytest.mark.parametrize(
    ("english", "changed", "chinese"),
    [
        # Numerals in characters, magnitudes with digits, tenths, ranges of two numerals.
        (
            "Nearly 2,000 medical workers are sent out every day.",
            "Nearly 3,000 medical workers are sent out every day.",
            "每天出动近两千名医护人员。",
        ),
        (
            "Only 20,000 are left in the world, 2,000 of them in Yinchuan.",
            "Only 20,000 are left in the world, 4,000 of them in Yinchuan.",
            "全世界只有2万多只，其中银川湿地就栖息着2千多只。",
        ),
        (
            "Fraud rose by 70% in the first half of the year.",
            "Fraud rose by 80% in the first half of the year.",
            "上半年电信网络诈骗犯罪上升七成。",
        ),
        (
            "He saw a crack 4 or 5 centimeters wide in the road.",
            "He saw a crack 4 or 6 centimeters wide in the road.",
            "他看到村组公路裂开四五厘米。",
        ),
        # Clock times: the Chinese hour says its minutes ("14时" is 14:00, "9点半" 9:30).
        (
            "As of 14:00 on July 25, 12 cases were reported.",
            "As of 14:10 on July 25, 12 cases were reported.",
            "截至7月25日14时，全市累计报告确诊病例12例。",
        ),
        (
            "At 9:30 am on July 26, the reporter arrived.",
            "At 9:33 am on July 26, the reporter arrived.",
            "7月26日上午9点半，记者到达现场。",
        ),
        # A changed number the Chinese writes once where the English writes it twice.
        (
            "Chongqing, July 26 (Reporter Liu) On the 26th, the bureau said.",
            "Chongqing, July 26 (Reporter Liu) On the 36th, the bureau said.",
            "中新网重庆7月26日电 (记者 刘相琳)记者26日从重庆市水利局获悉。",
        ),
    ],
)
def test_a_number_changed_on_the_english_side_is_flagged(
    english: str, changed: str, chinese: str
) -> None:
    assert flags(english, chinese) == []
    assert [r.split(":")[0] for r in flags(changed, chinese)] == ["number changed"]


def test_a_year_only_the_english_dateline_writes_is_no_change() -> None:
    chinese = "新华社哈尔滨7月26日电 题：黑土地“种”出农业现代化"
    assert flags("Harbin, July 26th, 2020 (Xinhua) Title: Farming in the Black Land", chinese) == []
    assert flags("Harbin, July 27th, 2020 (Xinhua) Title: Farming in the Black Land", chinese)


@pytest.mark.parametrize(
    ("english", "changed", "chinese"),
    [
        # The pinyin surname kept, the given name replaced by a foreign name.
        (
            "Vice director Yan Xiaoming spoke.",
            "Vice director Yan Montgomery spoke.",
            "副台长阎晓明致辞。",
        ),
        # A foreign first name kept, the surname replaced by a pinyin word.
        (
            "This is not the first time Kellyanne Conway has caused controversy.",
            "This is not the first time Kellyanne Hualian has caused controversy.",
            "这不是凯莉安·康威第一次引起争议了。",
        ),
    ],
)
def test_a_name_of_pinyin_and_other_words_is_compared(
    english: str, changed: str, chinese: str
) -> None:
    assert flags(english, chinese) == []
    assert [r.split(":")[0] for r in flags(changed, chinese)] == ["name changed"]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        # A Chinese text often leaves a foreign first name out.
        ("Jack Ma was summoned by an Indian court.", "马云被印度法院传唤。"),
        ("The film stars William Liao and Wang Yibo.", "廖威廉、王艺博等主演。"),
    ],
)
def test_a_first_name_the_chinese_leaves_out_is_no_change(english: str, chinese: str) -> None:
    assert flags(english, chinese) == []


def test_sounds_of_foreign_names_in_chinese() -> None:
    from unspin.xling.chinese import sounds_in

    assert sounds_in("Houston", "中国驻休斯敦总领事馆")
    assert sounds_in("Grigory", "格里戈里表示")
    assert not sounds_in("Bolsonaro", "中国驻休斯敦总领事馆")


def test_without_cn2an_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from unspin.xling import chinese

    monkeypatch.setitem(sys.modules, "cn2an", None)  # import cn2an now fails
    chinese.chinese_digits.cache_clear()
    with pytest.raises(MissingExtraError, match=r"unspin\[xling\]"):
        chinese.chinese_digits("两千名")
    chinese.chinese_digits.cache_clear()
