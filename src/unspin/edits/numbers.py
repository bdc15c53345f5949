"""The value of a number however it is written: "9" and "nine", "1.5 million" and "1,500,000".

Number words are read by ``text2num`` (the registry parser of spelled-out numbers); digits by
Python. A digit number followed by a scale word ("1.5 million") is multiplied out, because
``text2num`` converts the scale word on its own ("1.5 1000000").

>>> number_value("nine"), number_value("1,500")
(9.0, 1500.0)
>>> sorted(number_values("1.5 million people in nine cities"))
[9.0, 1500000.0]
>>> number_values("one hundred and five") == number_values("105")
True
>>> sorted(number_values("six and a quarter, and they help one another"))
[6.25]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from text_to_num import alpha2digit, text2num

from ..types import without_surrogates
from .tokens import NUMBER_WORDS

_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
# Digits not inside a word or formula ("CaSO4", "H2O", "X3100", "if76n74div": no tail of the
# digits either, "100" or "6"), read whole ("758p" is 758, never 75); a unit may follow ("21p",
# "1980s").
_STANDALONE = re.compile(r"(?<![^\W_])(?:" + _DIGITS.pattern + r")(?![\d]|[.,]\d)")
_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
# Where a fraction's denominator in digits may be ("3rd", "3rds"): :data:`_PARTS` runs only then.
_ORDINAL_DIGITS = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)


def parseable(text: str) -> str:
    """``text`` as text2num can take it: each lone surrogate becomes U+FFFD (one character
    for one, so offsets stay put).

    >>> parseable("12 " + chr(0xDC80) + " ships") == "12 " + chr(0xFFFD) + " ships"
    True
    """
    # text2num (Rust) cannot take a lone surrogate; stores written before unspin.Corpus.add
    # refused them may hold one.
    return without_surrogates(text)


def _scale_words() -> dict[str, float]:
    """Number words that text2num values as a power of ten from a hundred up ("million"): the
    scales of "1.5 million", "3 billion"."""
    out: dict[str, float] = {}
    for w in NUMBER_WORDS:
        try:
            v = float(text2num(w, "en"))
        except ValueError:
            continue
        if v >= 100 and str(int(v)).rstrip("0") == "1":
            out[w] = v
    return out


_SCALE_OF = _scale_words()
_SCALED = re.compile(
    r"(\d+(?:,\d{3})*(?:\.\d+)?)\s+(" + "|".join(sorted(_SCALE_OF)) + r")\b", re.IGNORECASE
)


# "one" in the reciprocal and indefinite pronouns counts nothing ("influence one another",
# "no one knows").
_PRONOUN = re.compile(r"\b(?<=no )one\b|\bone(?= another\b)", re.IGNORECASE)
# A whole number and a fraction word, as text2num leaves them ("6 and a quarter" = 6.25): the
# fractions of the cardinal system that English writes this way.
_FRACTION_OF = {"half": 0.5, "quarter": 0.25}
_FRACTION = re.compile(r"(\d+(?:\.\d+)?) and a (half|quarter)\b", re.IGNORECASE)
# A fraction as English writes it, once text2num has read its words: a numerator ("a", "an" or
# a number) and a denominator, an ordinal (plural after more than one: "2 3rds"), "quarter" or
# "half" ("a half", "3 quarters"). One of something ("a 3rd", "a quarter") is a fraction only
# before "of" or a punctuation mark ("a third of the staff", "cut by a third."): "a third
# option" is an ordinal. "Second" is never a denominator ("a second language"; English says
# "half"), and "quarters" is one only before "of" ("three quarters of the votes"; "in three
# quarters" counts periods).
_PARTS = re.compile(
    r"\b(a|an|\d+)[\s-]+(?:(\d+)(?:st|nd|rd|th)(s?)|(quarter|half)(s?)|(halves))\b"
    r"(?=(\s*(?:\bof\b|[.,;:!?)]))?)",
    re.IGNORECASE,
)
# A proper fraction in digits ("1/3", "2/3"), the value a fraction in words has ("a third",
# "two-thirds"); "24/7", "9/11" and dates ("04/02/08") are read as the numbers they write.
_SLASHED = re.compile(r"(?<![\d/.,])([1-9]\d?) ?/ ?([1-9]\d?)(?![\d/]|[.,]\d)")
# Half of something, with no numerator: "half of the staff".
_HALF_OF = re.compile(r"\bhalf(?=\s+of\b)", re.IGNORECASE)
# A number word hyphenated to the next word: text2num reads "two-thirds" only apart.
_HYPHENATED = re.compile(r"\b(" + "|".join(sorted(NUMBER_WORDS)) + r")-([a-z]+)\b", re.IGNORECASE)


def _as_float(digits: str) -> float | None:
    try:
        return float(digits.replace(",", ""))
    except ValueError:
        return None


@lru_cache(maxsize=20_000)
def number_value(word: str) -> float | None:
    """The value of one token: digits ("1,500", "2.5") or one number word ("nine", "Twenty")."""
    if word[:1].isdigit() or word[:1] == ".":
        return _as_float(word) if _DIGITS.fullmatch(word) else None
    try:
        return float(text2num(parseable(word.lower()), "en"))
    except ValueError:
        return None


def number_values(text: str) -> Counter[float]:
    """Every number in ``text`` by value (how many times each occurs)."""
    text = parseable(text)
    # Each fraction pattern runs only where its telltale character or word is (this reader
    # runs on every edit's sentences: the passes cost more than the rest of it).
    if "-" in text:
        text = _HYPHENATED.sub(_unhyphenated, text)
    scaled = _SCALED.sub(lambda m: _scaled(m.group(1), m.group(2)), _PRONOUN.sub("", text))
    # threshold=0: "one" and "two" on their own are numbers too ("one of five" vs "1 of 5").
    digits = alpha2digit(scaled, "en", threshold=0)
    digits = _FRACTION.sub(lambda m: _fraction(m.group(1), m.group(2)), digits)
    if "/" in digits:
        digits = _SLASHED.sub(_slashed, digits)
    lowered = digits.lower()
    halves = "half" in lowered or "halves" in lowered
    if halves or "quarter" in lowered or _ORDINAL_DIGITS.search(digits):
        digits = _PARTS.sub(_part, digits)
    if halves:
        digits = _HALF_OF.sub(_as_fraction(0.5), digits)
    digits = _ORDINAL_SUFFIX.sub("", digits)
    out: Counter[float] = Counter()
    for m in _STANDALONE.finditer(digits):
        v = _as_float(m.group())
        if v is not None:
            out[v] += 1
    return out


def _part(m: re.Match[str]) -> str:
    """The value of a fraction ``_PARTS`` found ("2 3rds" -> "0.666..."), or its text."""
    numerator = 1.0 if m.group(1).lower() in ("a", "an") else _as_float(m.group(1))
    if m.group(2):
        denominator, plural = float(m.group(2)), bool(m.group(3))
    elif m.group(4):
        denominator, plural = 1 / _FRACTION_OF[m.group(4).lower()], bool(m.group(5))
    else:
        denominator, plural = 2.0, True  # "halves"
    before_of = m.group(7) is not None
    if numerator is None or (denominator < 3 and m.group(2)):
        return m.group()
    # "one third" needs no "of" ("a third option" does); "one quarter" may be a period.
    one_ordinal = m.group(1) == "1" and m.group(2) is not None
    if plural != (numerator > 1) or not (plural or before_of or one_ordinal):
        return m.group()  # "a 3rd option", "1 3rds"
    if m.group(5) and not before_of:
        return m.group()  # "in 3 quarters": periods, not a fraction
    return _as_fraction(numerator / denominator)


def _as_fraction(value: float) -> str:
    """A fraction's value, and the whole percentages it is written as ("two-thirds" is also
    66% or 67%: a summary's "66% of Americans"), for the number reader to read."""
    percents = sorted({math.floor(value * 100), math.ceil(value * 100)})
    return " ".join([repr(value), *map(str, percents)])


def _slashed(m: re.Match[str]) -> str:
    numerator, denominator = int(m.group(1)), int(m.group(2))
    return _as_fraction(numerator / denominator) if numerator < denominator else m.group()


def _unhyphenated(m: re.Match[str]) -> str:
    """ "two-thirds" as "two thirds"; a number word hyphenated to anything else stays."""
    return f"{m.group(1)} {m.group(2)}" if fraction_part(m.group(2)) else m.group()


def fraction_part(key: str) -> bool:
    """A word that can be the denominator of a fraction: an ordinal from "third" up, in the
    singular or plural ("third", "fifths", "hundredth"), "quarter(s)", "half", "halves".

    >>> [fraction_part(w) for w in ("thirds", "half", "second", "fifth", "fifty")]
    [True, True, False, True, False]
    """
    return _fraction_part(key.lower())


@lru_cache(maxsize=20_000)
def _fraction_part(key: str) -> bool:
    if key in ("half", "halves", "quarter", "quarters"):
        return True
    if not key.isalpha():
        return False
    read = re.fullmatch(r"(\d+)(?:st|nd|rd|th)s?", alpha2digit(parseable(key), "en", threshold=0))
    return read is not None and int(read.group(1)) >= 3


def _fraction(whole: str, part: str) -> str:
    v = _as_float(whole)
    return whole if v is None else str(v + _FRACTION_OF[part.lower()])


def _scaled(number: str, scale: str) -> str:
    v = _as_float(number)
    if v is None:
        return f"{number} {scale}"
    return f"{v * _SCALE_OF[scale.lower()]:.0f}"
