"""One name written several ways: countries and their people, initials, cut-off abbreviations.

- Countries, from ``countryinfo`` (the registry's country data): the name, its other spellings
  ("United States of America", "USA"), ISO codes (all-capitals tokens only: "IT" is Italy, "it"
  is not) and the demonym ("Qatari", "Americans") all map to one country.
- Initials: "NATO" stands for any run of words whose first letters spell it, with or without
  the function words ("North Atlantic Treaty Organisation", "United States of America").
- Cut-off abbreviations: "Corp." for "Corporation", "Dept." for "Department".

>>> country_of("U.S."), country_of("United States of America"), country_of("Qatari")
('united states', 'united states', 'qatar')
>>> sorted(initials(["North", "Atlantic", "Treaty", "Organisation"]))
['nato']
>>> "usa" in initials(["United", "States", "of", "America"])
True
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
    """All capitals ("NATO", "CEO") or dotted capitals ("U.S."), two to eight letters."""
    letters = word.replace(".", "")
    return 2 <= len(letters) <= MAX_INITIALS and letters.isalpha() and letters.isupper()


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
