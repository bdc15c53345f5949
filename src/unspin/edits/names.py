"""One name written several ways: countries and their people, initials, cut-off abbreviations.

- Countries, from ``countryinfo`` (the registry's country data): the name, its other spellings
  ("United States of America", "USA"), ISO codes (all-capitals tokens only: "IT" is Italy, "it"
  is not) and the demonym ("Qatari", "Americans") all map to one country.
- Initials: "NATO" stands for any run of words whose first letters spell it, with or without
  the function words ("North Atlantic Treaty Organisation", "United States of America").
- Cut-off abbreviations: "Corp." for "Corporation", "Dept." for "Department".
- Derived adjectives and demonyms of a name: "American" for "America", "Darwinian" for "Darwin".

>>> country_of("U.S."), country_of("United States of America"), country_of("Qatari")
('united states', 'united states', 'qatar')
>>> sorted(initials(["North", "Atlantic", "Treaty", "Organisation"]))
['nato']
>>> "usa" in initials(["United", "States", "of", "America"])
True
>>> derived("america", "american"), derived("john", "johnson"), derived("niger", "nigeria")
(True, False, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..text import FUNCTION_WORDS

# Longest country name looked up, in words ("United Kingdom of Great Britain and Northern
# Ireland" is longer, but its short forms are what texts use).
MAX_COUNTRY_WORDS = 5
# Longest run of words an acronym is read as standing for.
MAX_INITIALS = 8


def _norm(phrase: str) -> str:
    """Lower case, no dots or possessive, single spaces: "U.S." -> "us", "Ukraine's" -> "ukraine"."""
    out = " ".join(phrase.replace(".", "").replace("\u2019", "'").lower().split())
    return out[:-2] if out.endswith("'s") else out


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(phrase -> country, code -> country) from countryinfo's data."""
    from countryinfo import CountryInfo

    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for key, info in CountryInfo.all().items():
        iso = info.get("ISO") or {}
        for code in (iso.get("alpha2"), iso.get("alpha3")):
            if code:
                codes[code.upper()] = key
        spellings = [info.get("name") or key, *(info.get("altSpellings") or [])]
        for demonym in (info.get("demonym") or "").split(","):
            if demonym.strip():
                spellings += [demonym, demonym + "s"]
        for s in spellings:
            if s.isupper() and len(s) <= 3:
                codes[s] = key  # "UK", "US" listed as spellings: codes, capitals only
            elif s:
                names.setdefault(_norm(s), key)
    return names, codes


def country_of(phrase: str) -> str | None:
    """The country a phrase names (name, other spelling, people, ISO code in capitals)."""
    names, codes = _countries()
    if phrase.replace(".", "").isupper() and phrase.replace(".", "") in codes:
        return codes[phrase.replace(".", "")]
    return names.get(_norm(phrase))


def is_acronym(word: str) -> bool:
    """All capitals ("NATO", "CEO"), dotted capitals ("U.S.") or initials with a small word's
    letter kept small ("IoT" for Internet of Things, "PhD"): two to eight letters, the first
    and at least one other a capital."""
    letters = word.replace(".", "")
    if not (2 <= len(letters) <= MAX_INITIALS and letters.isalpha() and letters[0].isupper()):
        return False
    return letters.isupper() or sum(c.isupper() for c in letters) >= 2


def derived(a: str, b: str) -> bool:
    """One name is the other with an adjective or demonym ending ("America" / "American",
    "Canada" / "Canadian", "Darwin" / "Darwinian"): they share all but at most the last letter
    of the shorter, at least four letters, and the longer goes on for at most four letters
    with a demonym's or adjective's ending (-an, -ian, -i, -ic, -ese: "John" / "Johnson" and
    "Bank" / "Bankers" are not derived). Two different countries are never derived ("Niger" /
    "Nigeria")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    p = 0
    while p < len(short) and short[p] == long_[p]:
        p += 1
    ending = long_[p:]
    if p < max(4, len(short) - 1) or not 1 <= len(ending) <= 4:
        return False
    if not (ending[0] in "ain" or ending.startswith("ese")):
        return False  # -an, -ian, -ic, -ite, -ese; not -er ("Bank" / "Bankers")
    ca, cb = country_of(a), country_of(b)
    return ca is None or cb is None or ca == cb


def initials(words: Sequence[str]) -> frozenset[str]:
    """The acronyms a run of words could be written as: first letters of every word, and of the
    words other than function words ("of", "the", "and")."""
    if len(words) < 2:
        return frozenset()
    every = "".join(w[0] for w in words if w[:1].isalpha()).lower()
    content = "".join(
        w[0] for w in words if w[:1].isalpha() and w.lower() not in FUNCTION_WORDS
    ).lower()
    return frozenset(x for x in (every, content) if len(x) >= 2)


def cut_from(short: str, long_: str) -> bool:
    """``short`` is ``long_`` cut off after two or more letters ("corp" / "corporation")."""
    return len(short) >= 2 and len(long_) > len(short) + 1 and long_.startswith(short)


_PROPER_NAMES = "data/proper_names.json"
_PROPER_NAMES_SCRIPT = "scripts/build_proper_names.py"


@lru_cache(maxsize=1)
def proper_names() -> dict[str, tuple[tuple[tuple[str, bool], ...], ...]]:
    """WordNet's names of two or more capitalised words (``scripts/build_proper_names.py``), by
    their first word's key: each name as its tokens' (key, written with a capital), longest
    first. Read on first use.

    >>> [" ".join(k for k, _ in n) for n in proper_names()["united"] if len(n) == 2][:3]
    ['united front', 'united kingdom', 'united nations']
    """
    from ..spinscore.packaged import packaged_json
    from .tokens import tokenize

    def read(raw: dict[str, object]) -> dict[str, tuple[tuple[tuple[str, bool], ...], ...]]:
        names = raw["names"]
        if not isinstance(names, list) or not names:
            raise ValueError("it lists no names")
        by_first: dict[str, list[tuple[tuple[str, bool], ...]]] = {}
        for name in names:
            toks = tokenize(str(name))
            words = tuple((t.key, t.raw[0].isupper()) for t in toks)
            by_first.setdefault(words[0][0], []).append(words)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()}

    return packaged_json(_PROPER_NAMES, "proper name list", _PROPER_NAMES_SCRIPT, read)


_LOWER_CASE_WORDS = "data/lower_case_words.json"
_LOWER_CASE_WORDS_SCRIPT = "scripts/build_lower_case_words.py"


@lru_cache(maxsize=1)
def lower_case_words() -> frozenset[str]:
    """Single words WordNet writes only in lower case, never as a name, that lemminflect and
    Moby lack (``scripts/build_lower_case_words.py``). Read on first use.

    >>> "filmmaker" in lower_case_words(), "dormehl" in lower_case_words()
    (True, False)
    """
    from ..spinscore.packaged import packaged_json

    def read(raw: dict[str, object]) -> frozenset[str]:
        words = raw["words"]
        if not isinstance(words, list) or not words:
            raise ValueError("it lists no words")
        return frozenset(str(w) for w in words)

    return packaged_json(_LOWER_CASE_WORDS, "lower-case word list", _LOWER_CASE_WORDS_SCRIPT, read)


_ABBREVIATED_NOUNS = "data/abbreviated_nouns.json"
_ABBREVIATED_NOUNS_SCRIPT = "scripts/build_abbreviated_nouns.py"


@lru_cache(maxsize=1)
def abbreviated_nouns() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """WordNet's abbreviations of common nouns (``scripts/build_abbreviated_nouns.py``), each
    with the words in lower case that name the same thing and those that name a thing it is a
    kind of (hypernyms up to two steps). Read on first use.

    >>> same, broader = abbreviated_nouns()["PC"]
    >>> sorted(same), "computer" in broader, "NATO" in abbreviated_nouns()
    (['microcomputer'], True, False)
    """
    from ..spinscore.packaged import packaged_json

    def read(raw: dict[str, object]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        rows = raw["abbreviations"]
        if not isinstance(rows, list) or not rows:
            raise ValueError("it lists no abbreviations")
        return {str(a): (frozenset(same), frozenset(broader)) for a, same, broader in rows}

    return packaged_json(
        _ABBREVIATED_NOUNS, "abbreviated noun list", _ABBREVIATED_NOUNS_SCRIPT, read
    )
