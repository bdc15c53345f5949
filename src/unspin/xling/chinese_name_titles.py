"""A word of a name changed where the Chinese says the rest of the name by meaning
(docs/benchmarks.md 18.19).

A Chinese text writes the title of a place or an organisation by one character or a word of
meaning (阿灵顿县 "Arlington County", 伊斯坦布尔公约 "Istanbul Convention", 新华社 "Xinhua News
Agency"), so a changed title word leaves no Chinese name without a counterpart and no foreign
word to find: the two-sided check of :mod:`.chinese_names` has nothing to pair. Three places
where the Chinese still says what the English word must be:

- **a CC-CEDICT name of several words written with one word changed**: 新华社 is "Xinhua News
  Agency"; "Gantz News Agency" writes two of its three words, in order, and another
  capitalised word in the place of the third, a word no English dictionary holds (or, in
  the place of a dictionary word of the name, a word none holds: "Canary Blue-Black-Stripes"
  for 加那利群岛 "Canary Islands");
- **the title after a name written in pinyin**: "Langao Coffee" where the Chinese writes 岚皋县
  says nothing of 县 ("county") in the English clause, and "Coffee" is said by no word or
  character of the Chinese (CC-CEDICT's glosses; Moby's synonyms bridge a gloss and the
  translator's word: 局 "office" and "Bureau", 哨 "sentry" and "Sentinel");
- **the site after a headline** (" - Xinhuanet" and "-新华网"), compared with each other;
- **a title word of a name said by nothing in the Chinese** (18.21): in a run of capitalised
  words, an English dictionary word after a name word the Chinese writes that no word or
  character of the Chinese says, by a CC-CEDICT gloss or a Moby synonym of one: "Jiangxi
  Islands Department" for 江西省财政厅, "Banong Zhuokang Airport Post" for 巴弄卓康哨点.

Each needs the ``xling`` extra (jieba, CC-CEDICT); without it they answer None.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from anyascii import anyascii

from ..edits.numbers import number_values
from ..lexicon import synonyms
from ..text import STOPWORDS
from . import facts
from .cedict import (
    glosses_in,
    name_glosses,
    name_senses,
    named_headwords_in,
    named_in,
    proper_name,
    said_in,
)
from .chinese_name_parts import CAPITALISED_RUN, core_written, tagged, written_name_word
from .sentences import CJK
from .transliteration import spells, transliterated_in

# A word of the English, an apostrophe's ending and hyphened parts with it.
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?(?:-[A-Za-z]+)*")
# The end of a clause: a title said after a name is looked for before it.
_CLAUSE_END = re.compile(r"[,;.:()\"“”—]")
# A headline's site after a dash, in both texts (" - Xinhuanet", "-新华网").
_ENGLISH_SITE = re.compile(r"\s[-–—]\s*([A-Z][A-Za-z]+)\s*$")
_CHINESE_SITE = re.compile(r"[-–—]\s*([\u4e00-\u9fff]{2,})\s*$")
# Words shorter than this say too little to stand for a changed word ("Ho", "Ka").
_SHORTEST = 3
# A gloss word of this many letters or more counts as written by an English word that starts
# with it ("town" in "Township"); from five letters the first five are enough ("province" and
# "Provincial", "agriculture" and "Agricultural").
_GLOSS_PREFIX = 4
_SHARED_START = 5
# A name's pinyin is looked for over this many characters at most.
_LONGEST_PINYIN = 5


def _english(low: str) -> bool:
    from .chinese_names import known_to_lemminflect

    return facts.is_english_word(low) or known_to_lemminflect(low)


def said_by_a_gloss(word: str, glosses: frozenset[str]) -> bool:
    """Whether the English ``word`` writes one of ``glosses`` (lower case): the same word,
    a word starting with a gloss of four letters or more, or one sharing its first five."""
    low = word.lower()
    for gloss in glosses:
        if len(gloss) < _SHORTEST:
            continue
        if low == gloss or (len(gloss) >= _GLOSS_PREFIX and low.startswith(gloss)):
            return True
        if (
            min(len(gloss), len(low)) >= _SHARED_START
            and gloss[:_SHARED_START] == low[:_SHARED_START]
        ):
            return True
    return False


def _synonym_of_a_gloss(word: str, glosses: frozenset[str]) -> bool:
    """Whether Moby lists ``word`` and one of ``glosses`` as synonyms, either way round."""
    low = word.lower()
    if len(low) < _SHORTEST or low in STOPWORDS:
        return False
    mine = set(synonyms(low))
    return any(g in mine or low in synonyms(g) for g in glosses if len(g) >= _SHORTEST)


def site_changed(english: str, chinese: str) -> tuple[str, str] | None:
    """(English word, Chinese site) where both texts end with a site after a dash, the
    Chinese one a name CC-CEDICT has (新华网), and the English word does not write it by its
    name words, its pinyin or its sound ("- Sentinel" for "-新华网")."""
    from .chinese_names import in_english

    e, z = _ENGLISH_SITE.search(english), _CHINESE_SITE.search(chinese)
    if not e or not z:
        return None
    word, site = e.group(1), z.group(1)
    if not (proper_name(site) or name_glosses(site)):
        return None
    if (
        core_written(site, word)
        or named_in(site, word)
        or in_english(site, word)
        or spells(word, site)
    ):
        return None
    return word, site


def gloss_word_changed(english: str, chinese: str) -> tuple[str, str] | None:
    """(English word, Chinese name) where a CC-CEDICT name of two to six words that the
    Chinese writes (新华社 "Xinhua News Agency") is written in the English with one word
    changed, capitalised as the name's ("Gantz News Agency"): a name word no English
    dictionary holds changed for any other, or a dictionary word of the name for a word no
    dictionary holds ("Canary Blue-Black-Stripes"). Not where the English writes one of the
    name's glosses whole, nor for a word of the same start ("Provincial" for "Province"), a
    country or a people, or a word the Chinese says otherwise."""
    tokens = list(_WORD.finditer(english))
    low = [t.group().lower().replace("’", "'") for t in tokens]
    spelled = facts.pinyin_units(chinese)
    for head in named_headwords_in(chinese):
        senses = [tuple(w.lower() for w in s) for s in name_senses(head)]
        if any(low[i : i + len(s)] == list(s) for s in senses for i in range(len(low))):
            continue
        for sense, wanted in zip(name_senses(head), senses, strict=True):
            for i in range(len(low) - len(sense) + 1):
                found = _one_word_changed(tokens[i : i + len(sense)], sense, wanted)
                if found and not _said_otherwise(found, chinese, spelled):
                    return found, head
    return None


def _one_word_changed(
    tokens: list[re.Match[str]], sense: tuple[str, ...], wanted: tuple[str, ...]
) -> str | None:
    """The English word of ``tokens`` that differs from the name ``sense`` where all its
    other words are written, in order and capitalised alike; None otherwise."""
    written = [t.group() for t in tokens]
    differ = [k for k in range(len(sense)) if written[k].lower().replace("’", "'") != wanted[k]]
    if len(differ) != 1:
        return None
    k = differ[0]
    word = written[k]
    if not sense[k][:1].isupper() or not word[:1].isupper() or len(word) < _SHORTEST:
        return None
    if word.lower() in STOPWORDS:
        return None  # "The Supreme People's Procuratorate" for 最高人民检察院 "PRC Supreme ..."
    if any(sense[j][:1].isupper() != written[j][:1].isupper() for j in range(len(sense)) if j != k):
        return None
    if not any(len(w) >= _SHORTEST and w not in STOPWORDS for j, w in enumerate(wanted) if j != k):
        return None  # the words kept say nothing of the name ("of the")
    if wanted[k][:_GLOSS_PREFIX] == word.lower()[:_GLOSS_PREFIX] or facts.is_translated_name(word):
        return None
    foreign = "-" in word or not _english(word.lower())
    if _english(wanted[k]) and not foreign:
        return None  # a dictionary word for another: a title said otherwise ("Area", "District")
    return word


def _said_otherwise(word: str, chinese: str, spelled: tuple[str, ...]) -> bool:
    """Whether the Chinese writes ``word`` (each part of a hyphened one) by meaning, in
    pinyin or by sound."""
    return any(_written(part, chinese, spelled) for part in re.split(r"[-'’]", word) if part)


def _written(
    part: str, chinese: str, spelled: tuple[str, ...], *, characters: bool = False
) -> bool:
    """Whether ``chinese`` writes the English word ``part`` by meaning (``characters``: a
    lone character's too, :func:`.cedict.said_in`), in pinyin (``spelled``) or by sound."""
    return (
        said_in(part.lower(), chinese, characters=characters)
        or facts.written_in_pinyin(part.lower(), spelled)
        or transliterated_in(part, chinese)
    )


def title_after_name_changed(english: str, chinese: str) -> str | None:
    """The English word right after a name written in pinyin, inside a run of capitalised
    words, where what the Chinese writes right after that name (the rest of its word, 县 of
    岚皋县, or the next word, 公约) is said by no word of the English clause, not even by a
    Moby synonym of one, and the English word is said by nothing in the Chinese: "Langao
    Coffee" for 岚皋县. Title-case headlines are left alone (every word is capitalised)."""
    if facts.is_title_case(english):
        return None
    cut = tagged(chinese)
    if not cut:
        return None
    starts = [0]
    for word, _ in cut:
        starts.append(starts[-1] + len(word))
    every_gloss = glosses_in(chinese, characters=True)
    spelled = facts.pinyin_units(chinese)
    for run in CAPITALISED_RUN.finditer(english):
        words = list(re.finditer(r"\S+", run.group()))
        for here, after in pairwise(words):
            span = _pinyin_span(here.group(), chinese)
            if span is None:
                continue
            title = _what_follows(span[1], cut, starts)
            glosses = glosses_in(title, characters=True) if title else frozenset()
            if not glosses:
                continue
            rest = english[run.start() + here.end() :]
            end = _CLAUSE_END.search(rest)
            clause = re.findall(r"[A-Za-z]+", rest[: end.start() if end else len(rest)])
            if any(said_by_a_gloss(w, glosses) or _synonym_of_a_gloss(w, glosses) for w in clause):
                continue
            changed = re.sub(r"[’'].*$", "", after.group())
            if _unsaid(changed, chinese, every_gloss, spelled):
                return changed
    return None


def _pinyin_span(word: str, chinese: str) -> tuple[int, int] | None:
    """Where ``chinese`` writes the English name word ``word`` in pinyin, character by
    character (岚皋 for "Langao"): (start, end), or None. Only words no English dictionary
    holds and that read as pinyin."""
    if "-" in word or not facts.pinyin_keys(word) or _english(word.lower()):
        return None
    key = word.lower()
    syllables = _syllables(chinese)
    for a, first in enumerate(syllables):
        if not first or not key.startswith(first):
            continue
        run = ""
        for b in range(a, min(len(chinese), a + _LONGEST_PINYIN)):
            if not syllables[b]:
                break
            run += syllables[b]
            if run == key:
                return a, b + 1
            if not key.startswith(run):
                break
    return None


@lru_cache(maxsize=1024)
def _syllables(chinese: str) -> tuple[str, ...]:
    return tuple(str(anyascii(c)).lower() if CJK.match(c) else "" for c in chinese)


def _what_follows(end: int, cut: list[tuple[str, str]], starts: list[int]) -> str:
    """The Chinese characters right after a name that ends at ``end``: the rest of jieba's
    word it ends in (县 of 岚皋县), or else the next word (公约 after 伊斯坦布尔)."""
    k = max(j for j in range(len(cut)) if starts[j] < end)
    rest = "".join(cut[k][0][end - starts[k] :])
    if not rest and k + 1 < len(cut):
        rest = cut[k + 1][0]
    return "".join(c for c in rest if CJK.match(c))


def _unsaid(word: str, chinese: str, every_gloss: frozenset[str], spelled: tuple[str, ...]) -> bool:
    """Whether no word or character of ``chinese`` says the English ``word`` (each part of a
    hyphened one): no gloss, no pinyin, no sound; words too short or too common to tell and
    ordinals ("Sixth" of 第六) count as said."""
    parts = [p for p in word.split("-") if p]
    if not parts or any(len(p) < _SHORTEST for p in parts):
        return False
    return all(
        p.lower() not in STOPWORDS
        and not number_values(p.lower())
        and not said_by_a_gloss(p, every_gloss)
        and not _written(p, chinese, spelled, characters=True)
        for p in parts
    )


def title_word_unsaid(english: str, chinese: str) -> str | None:
    """An English dictionary word in a run of capitalised words, after a name word the
    Chinese writes (:func:`.chinese_name_parts.written_name_word`: in pinyin, by sound or by
    meaning), that nothing in the Chinese says: no CC-CEDICT gloss of a word or a character of
    it, nor a Moby synonym of one ("Jiangxi Islands Department" for 江西省财政厅: nothing
    there is an island). A translator's title word is a synonym of some gloss more often than
    not (局 "office" and "Bureau", 保护 "protect" and "Conservation"); a word put in a title's
    place is none. Words before the first name word are left alone: first names ("Stephen
    Dickson" for 史蒂夫·迪克森) and titles said before the name ("China Railway Chengdu
    Bureau" for 中铁成都局). Title-case headlines are left alone (every word is capitalised)."""
    if facts.is_title_case(english):
        return None
    spelled = facts.pinyin_units(chinese)
    every_gloss: frozenset[str] | None = None
    for run in CAPITALISED_RUN.finditer(english):
        words = run.group().split(" ")
        # Acronyms are no name words the Chinese writes ("FAA" reads as pinyin).
        found = [
            k
            for k, w in enumerate(words)
            if "-" not in w and not w.isupper() and written_name_word(w, spelled, chinese)
        ]
        if not found:
            continue
        for k in range(found[0] + 1, len(words)):
            word = re.sub(r"[’'].*$", "", words[k])
            if k in found or word.isupper() or "-" in word or not _english(word.lower()):
                continue
            if facts.is_translated_name(word):
                continue
            if every_gloss is None:
                every_gloss = glosses_in(chinese, characters=True)
            if _synonym_of_a_gloss(word, every_gloss):
                continue
            if _unsaid(word, chinese, every_gloss, spelled):
                return word
    return None
