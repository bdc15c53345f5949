"""A name changed in the English of a Chinese text, seen from both sides at once.

A Chinese text writes foreign names by their sound (博索纳罗, Bolsonaro) and Chinese names in
characters, so an English name that the check cannot find there may be a name the Chinese
spells otherwise, and a Chinese name it cannot find in the English may be a word segmenter's
mistake (jieba tags 城市 "city" as a place). Either signal alone flags too many published
translations (docs/benchmarks.md 18.7). A name changed in the English leaves both traces in the
same passage: a Chinese name with no counterpart in the English, AND an English capitalised
word with no counterpart in the Chinese, the two not sounding alike (a name spelled two ways
is one name: 普京 pu-jing and "Putin").

The Chinese names are read with **jieba** (part of speech: person and place names), of the
``xling`` extra. Without it this check is skipped and the rest of the Chinese fact check works
as before (:func:`name_lost` answers None).

>>> name_lost("According to the rules of Borquez, schools reopen.", "根据银川市的规定，学校复课。")  # doctest: +SKIP
('Borquez', '银川市')
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from typing import Any

from anyascii import anyascii
from rapidfuzz.fuzz import ratio

from ..cache import cache_dir
from ..edits.names import is_acronym
from ..text import STOPWORDS
from . import facts
from .cedict import common_word, named_in, pinyin_named, proper_name, said_in
from .chinese import sound_code
from .chinese_name_parts import (
    core_written,
    foreign_word_beside_a_name,
    given_name_changed,
    organisations,
)
from .chinese_name_titles import (
    gloss_word_changed,
    site_changed,
    title_after_name_changed,
    title_word_unsaid,
)
from .sentences import CJK
from .transliteration import letters_of, model, spells, syllables_of, transliterated_in

# jieba's tags of a person's name (nr; nrfg, nrt: foreign and transliterated ones) and of a
# place (ns). Organisations (nt) are left out: their names are translated by meaning.
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns"})
# A word jieba's own dictionary counts this often or more is a common word it tags as a name
# (城市 25,084, 美丽 3,036; 银川 290, 乌海 5), unless CC-CEDICT names it (四川, 北京).
_COMMON = 1000
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


def jieba_tagger() -> Any | None:
    """jieba's part-of-speech tagger, or None where the package is not installed."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pkg_resources, old escape sequences
            import jieba
            import jieba.posseg
    except ImportError:
        return None
    jieba.setLogLevel(60)  # it logs every dictionary load
    if jieba.dt.tmp_dir is None:
        # jieba keeps its dictionary's cache (9 MB) as jieba.cache in the system's temporary
        # folder, shared by every user of the machine and left there after each run; in
        # unspin's cache it sits beside unspin's own (UNSPIN_CACHE moves both).
        with contextlib.suppress(OSError):  # no cache folder: jieba's own place
            jieba.dt.tmp_dir = str(cache_dir())
    return jieba


def available() -> bool:
    """Whether jieba is installed (the ``xling`` extra), so :func:`name_lost` can run."""
    return jieba_tagger() is not None


@lru_cache(maxsize=1)
def territories() -> frozenset[str]:
    """CLDR's Chinese names of countries and regions (babel): translated, not transliterated."""
    from babel import Locale

    return frozenset(Locale("zh").territories.values())


def _tagged_name(word: str, tag: str, frequent: bool) -> bool:
    """Whether a word jieba tags ``tag`` is a name: a person or place name not ``frequent`` in
    jieba's dictionary, or frequent and a name in CC-CEDICT too (四川 "Sichuan", 长江 "Yangtze
    River", 北京: jieba's count alone would take them for common words, as 城市 "city"); or
    another proper noun (nz) CC-CEDICT names, not frequent (中新网 "Chinanews", 纳斯达克
    "NASDAQ"; not 和平 "peace", which CC-CEDICT also has as a district)."""
    if tag in _NAME_TAGS:
        return not frequent or proper_name(word)
    return tag == "nz" and not frequent and proper_name(word)


@lru_cache(maxsize=4096)
def chinese_names(text: str) -> tuple[str, ...]:
    """The person and place names jieba finds in ``text`` (:func:`_tagged_name`), names of
    neighbouring words run together (格里 + 沃里 is 格里沃里, Grigory), of two characters or
    more; not CLDR's territories and not words CC-CEDICT has only as common words (jieba tags
    幼儿园 "kindergarten" and 施暴 as names)."""
    jieba = jieba_tagger()
    if jieba is None:
        return ()
    out: list[str] = []
    after_name = False
    parts: list[list[str]] = []
    for word, tag in jieba.posseg.cut(text):
        name = (
            _tagged_name(word, tag, jieba.dt.FREQ.get(word, 0) >= _COMMON)
            and all(CJK.match(c) for c in word)
            and word not in territories()
            and not common_word(word)
        )
        if name and after_name:
            out[-1] += word
            parts[-1].append(word)
        elif name:
            out.append(word)
            parts.append([word])
        after_name = name
    # Names CC-CEDICT has, run together, are looked for one by one: 辽宁省大连市 is found by
    # "Liaoning" alone, so a changed "Dalian" went unseen.
    split: list[str] = []
    for run, pieces in zip(out, parts, strict=True):
        if len(pieces) > 1 and all(_named_part(p) for p in pieces):
            split.extend(pieces)
        else:
            split.append(run)
    out = split
    return tuple(dict.fromkeys(n for n in out if len(n) >= 2 and n not in territories()))


def _named_part(word: str) -> bool:
    """Whether CC-CEDICT names ``word`` or a start of it of two characters or more (大连市 by
    大连 "Dalian"); not 格里 of 格里沃里, a foreign name jieba cuts in two."""
    return any(proper_name(word[:k]) for k in range(len(word), 1, -1))


def _no_name_word(word: str) -> bool:
    """An English word (any dictionary here holds) or a country: no spelling of a Chinese name."""
    return (
        facts.is_english_word(word) or known_to_lemminflect(word) or facts.is_translated_name(word)
    )


def _fewer_in_english(name: str, chinese: str, capitalised: list[str]) -> bool:
    """Whether the Chinese writes ``name`` twice or more and the English spells it (its
    pinyin, or by sound: :func:`.transliteration.spells`) fewer times, but at least once, in
    ``capitalised``, its capitalised words with repeats."""
    times = chinese.count(name)
    if times < 2:
        return False
    whole = "".join(_syllables(name))
    written = sum(1 for w in capitalised if w.lower() == whole or spells(w, name))
    return 0 < written < times


def _syllables(name: str) -> list[str]:
    return [anyascii(c).lower() for c in name]


def in_english(name: str, english: str, loose: bool = False) -> bool:
    """Whether the Chinese ``name`` is written in the ``english`` text: its pinyin (anyascii)
    as a run of words, whole or its first two syllables or more (银川市 as "Yinchuan"), the
    given name first ("Weijia Jiang" 江伟佳), nearly from six letters; or a run of one to
    three capitalised words with the same consonants (``loose``: nearly the same)."""
    syllables = _syllables(name)
    keys = {"".join(syllables[:k]) for k in range(2, len(syllables) + 1)}
    if len(syllables) in (2, 3):
        keys.add("".join(syllables[1:] + syllables[:1]))
    whole = "".join(syllables)
    words = [
        facts.without_apostrophes(w).lower()
        for w in re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)?", english)
    ]
    for i in range(len(words)):
        run = ""
        for word in words[i : i + 4]:
            run += word
            if run in keys or (len(whole) >= 6 and ratio(run, whole) >= 85):
                return True
            if any(run.startswith(k) and len(run) - len(k) <= 1 for k in keys):
                return True
    want = sound_code(whole)
    capitalised = [w for w in re.findall(r"[A-Za-z]+", english) if w[:1].isupper()]
    if not loose:
        # Consonants say too little for an English word or a country to stand for the name:
        # "Sunday" is snt, as 成都 (chengdu) is; "Since" sns, as 江西 (jiangxi).
        capitalised = [w for w in capitalised if not _no_name_word(w)]
    for i in range(len(capitalised)):
        for j in (1, 2, 3):
            code = sound_code("".join(capitalised[i : i + j]), english=True)
            if code == want or (
                loose and min(len(code), len(want)) >= 3 and ratio(code, want) >= 75
            ):
                return True
    return False


@lru_cache(maxsize=4096)
def known_to_lemminflect(word: str) -> bool:
    """A word lemminflect knows, however rare ("Kindergartens", "Negotiators")."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word.lower()))


def english_unmatched(english: str, chinese: str) -> list[str]:
    """Capitalised words of ``english`` with no counterpart in ``chinese``: neither in its
    Latin letters, nor in its pinyin, nor spelled by the sound of a run of its characters
    (:func:`.transliteration.transliterated_in`), nor said by meaning (CC-CEDICT). Words
    that are not names to look for are left out: countries, months, acronyms, words before a
    dot ("Ecns.cn", "Ltd.") or glued to a number ("Covid-19"), a sentence's first word unless
    rare, every word of a title-case headline, a first name before a surname the Chinese
    writes ("Donald" of 特朗普: a Chinese text leaves first names out), and an English word
    unless it stands as a name (:func:`_word_as_name`). A word with a hyphen is looked for
    part by part ("Rhine-Westphalia")."""
    # In a title-case headline every dictionary word is capitalised: there only the words no
    # English dictionary holds are names to look for ("- Saied Net" for -新华网).
    headline = facts.is_title_case(english)
    latin = {w.lower() for w in re.findall(r"[A-Za-z]+", chinese)}
    spelled = facts.pinyin_units(chinese)

    def unmatched(
        word: str, start: int | None, stands: bool = False, first: bool = False
    ) -> bool | None:
        """True: no counterpart; False: one; None: no name to look for (an English word
        unless it stands as a name at ``start``; for a part of a word, ``start`` None, unless
        ``stands``: the whole word stands as a name)."""
        low = facts.without_apostrophes(word).lower()
        if low in latin or facts.is_translated_name(word):
            return None
        if headline and (facts.is_english_word(word) or known_to_lemminflect(word)):
            return None
        if (facts.is_english_word(word) or known_to_lemminflect(word)) and not (
            stands if start is None else _word_as_name(word, english, start, chinese, first)
        ):
            return None
        return not (
            facts.written_in_pinyin(low, spelled)
            or transliterated_in(word, chinese)
            or said_in(low, chinese)
        )

    found: list[tuple[str, int, int, bool, bool]] = []  # word, start, end, unmatched, matched
    for m in _LATIN_WORD.finditer(english):
        word = facts.without_contraction(m.group(), capital_kept=True)
        if not word[:1].isupper() or len(word) < 3 or is_acronym(word):
            continue
        if facts.is_translated_name(word):
            continue
        first = bool(facts.SENTENCE_START.search(english[: m.start()]))
        # A sentence's first word is a name to look for when rare ("Mary", not "Unless"), or
        # when it can only be a noun and does not open a quote or a title ("Coffee said 21
        # people died" where the Chinese names 索洛里奥; "According", "Meanwhile" never are).
        if (
            first
            and not facts.is_rare_word(word)
            and not (_noun_only(word) and not re.search(r"[\"“«(《]\s*$", english[: m.start()]))
            and not _capitalised_compound(word)
        ):
            continue
        after = english[m.end() : m.end() + 2]
        if re.match(r"\.[A-Za-z]|-\d", after) or (len(word) <= 3 and after[:1] == "."):
            state = None
        elif "-" in word:
            # Pinyin parts are left to the pinyin check ("Zhengzhou-Wanzhou" is 郑万).
            parts = [
                p
                for p in word.split("-")
                if p[:1].isupper() and len(p) >= 3 and not facts.pinyin_keys(p)
            ]
            # A word of English words joined by hyphens in a name's place ("Minister-Counselor",
            # "Industry-ChinaNews") is looked for like one English word standing as a name,
            # unless the Chinese says one of its words by meaning (蓝黑 "Blue-Black-Stripes").
            stands = (
                bool(parts)
                and _word_as_name(word, english, m.start(), chinese, first)
                and not any(said_in(p.lower(), chinese, characters=True) for p in parts)
            )
            # A part with no counterpart makes the word one; the word is never a counterpart.
            state = True if any(unmatched(p, None, stands) for p in parts) else None
        else:
            state = unmatched(word, m.start(), first=first)
        found.append((word, m.start(), m.end(), state is True, state is False))
    out = []
    for i, (word, _, end, lone, _) in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        if not lone or (following and following[4] and following[1] == end + 1):
            continue
        out.append(word)
    return out


def _capitalised_compound(word: str) -> bool:
    """Whether ``word`` joins capitalised words of three letters or more by hyphens
    ("Consulate-General", "Cases-ChinaNews"): opening a sentence, a name's place, looked for
    like a word that can only be a noun (not "Anti-epidemic", "Long-term")."""
    parts = word.split("-")
    return len(parts) >= 2 and all(p[:1].isupper() and len(p) >= 3 for p in parts)


@lru_cache(maxsize=4096)
def _noun_only(word: str) -> bool:
    """Whether lemminflect reads ``word`` as a noun and never as an adverb or an inflected
    verb ("District", "Coffee", "Zone"; not "Meanwhile", "According", "Sources"): a noun
    opening a sentence may stand where a name was (docs/benchmarks.md 18.15)."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word.lower())
    verb = lemmas.get("VERB", ())
    return "NOUN" in lemmas and "ADV" not in lemmas and all(v == word.lower() for v in verb)


def _word_as_name(word: str, english: str, start: int, chinese: str, first: bool = False) -> bool:
    """Whether an English word capitalised at ``start`` stands as a name there, so that a
    Chinese text would spell it ("the Checkpoint", "Zhang Vocational" where a name was): in
    mid-sentence after a word (or ``first`` in its sentence, :func:`_noun_only`), no
    capitalised English word beside it ("Municipal Bureau" is a title, said by meaning), and not said by meaning in ``chinese`` by any of its words, lone
    characters included (市 "municipal")."""
    if word.lower() in STOPWORDS:
        return False  # "People", "New": too common to stand for a name
    before = english[:start]
    if not first and not re.search(r"[A-Za-z0-9,]\s*$", before):
        return False  # a sentence's start, after a quote, a bracket or a dash
    neighbours = (
        re.search(r"([A-Za-z]+)\W{0,2}$", before),
        re.match(r"\W{0,2}([A-Za-z]+)", english[start + len(word) :]),
    )
    for n in neighbours:
        if (
            n
            and n.group(1)[:1].isupper()
            and (facts.is_english_word(n.group(1)) or known_to_lemminflect(n.group(1)))
        ):
            return False
    return not said_in(word.lower(), chinese, characters=True)


def _alike(name: str, word: str) -> bool:
    """Whether a Chinese name and an English word may be one name spelled two ways: the
    learned sound model (:mod:`.transliteration`) hears the word as the whole name (普京
    "Putin"), or hears a start of it, three letters or more and at least two letters short of
    the word, at the stricter threshold of a name found in a passage (阿里 in "Alibaba"). A
    short start reaches the one-pair threshold too easily ("Tow" of "Township" spells 陈超).
    A hand-written consonant match (the same first consonant, or consonants 60% alike)
    paired too much: 重庆 "Chongqing" changed to "Shapps" went unseen (docs/benchmarks.md
    18.14)."""
    if spells(word, name):
        return True
    fitted = model()
    syllables = syllables_of(name)
    return any(
        fitted.score(letters_of(word[:k]), syllables) >= fitted.threshold
        for k in range(3, len(word) - 1)
    )


def _surname_before_another_name(word: str, name: str, english: str) -> bool:
    """Whether ``word`` is the pinyin of the surname of the Chinese person ``name`` (2 or 3
    characters) and stands in the English before a capitalised word that is not the pinyin of
    the given name ("Zhang Coffee" for 张雄): it spells the surname, not the whole name."""
    syllables = _syllables(name)
    if len(syllables) not in (2, 3) or word.lower() != syllables[0]:
        return False
    given = "".join(syllables[1:])
    after = [m.group(1) for m in re.finditer(rf"\b{re.escape(word)}\b(\s+[A-Z][a-z]+)?", english)]
    # Every time the surname is written, another name follows it ("Liu's" alone may be 柳氏).
    return bool(after) and all(a and a.strip().lower() != given for a in after)


def _title_changed(english: str, chinese: str) -> tuple[str, str] | None:
    word = title_after_name_changed(english, chinese) or title_word_unsaid(english, chinese)
    return (word, "") if word else None


def name_lost(english: str, chinese: str) -> tuple[str, str] | None:
    """A name of the Chinese sentence the English does not write and an English word in its
    place (:func:`english_unmatched`) that is not that name spelled otherwise
    (:func:`_alike`), as (English word, Chinese name); None where there is none or jieba is
    not installed."""
    # A name is in the English when its pinyin is, when a capitalised word spells it by
    # sound (the learned model: 利比 "Libby", 布鲁金斯 "Brookings") or when a capitalised
    # gloss of it is there (白宫 "White House").
    capitalised = [w for w in re.findall(r"[A-Za-z]+", english) if w[:1].isupper()]
    # Organisations CC-CEDICT names by a word no English dictionary holds (新华社 "Xinhua"),
    # that word not in the English, count as names too.
    found = chinese_names(chinese)
    found += tuple(
        n for n in organisations(chinese) if n not in found and not core_written(n, english)
    )
    # A name CC-CEDICT names by its own reading (成都 "Chengdu") is written in pinyin: a
    # capitalised word the sound model hears as it ("Moses" for 成都) is no counterpart.
    names = [
        n
        for n in found
        if not in_english(n, english)
        and (
            pinyin_named(n)
            or not any(
                spells(w, n) and not _surname_before_another_name(w, n, english)
                for w in capitalised
            )
        )
        and not named_in(n, english)
    ]
    # A name the Chinese writes more often than the English spells it: one of its places may
    # hold another word ("Lewis family: John Wilmès" for 刘易斯家人：约翰·刘易斯).
    names += [n for n in found if n not in names and _fewer_in_english(n, chinese, capitalised)]
    # A part of a name changed: a given name or a surname ("Chen Net" for 陈海峰), or a word
    # no dictionary holds put beside a name word the Chinese writes ("Arlington Mudanura").
    changed_part = given_name_changed(english, chinese)
    if changed_part:
        return changed_part
    words = english_unmatched(english, chinese)
    beside = foreign_word_beside_a_name(words, english, chinese)
    if beside:
        return beside, ""
    # A word of a name changed where the Chinese says the rest by meaning: a CC-CEDICT name
    # with one word changed, the title after a pinyin name or a title word nothing in the
    # Chinese says, a headline's site.
    changed_word = (
        site_changed(english, chinese)
        or gloss_word_changed(english, chinese)
        or _title_changed(english, chinese)
    )
    if changed_word:
        return changed_word
    if not names or not words:
        return None
    lone_names = [
        n
        for n in names
        if not any(_alike(n, w) for w in words) and not in_english(n, " ".join(words), loose=True)
    ]
    lone_words = [w for w in words if not any(_alike(n, w) for n in names)]
    if lone_names and lone_words:
        return lone_words[0], lone_names[0]
    return None
