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

import re
from collections import Counter
from functools import lru_cache

from text_to_num import alpha2digit, text2num

from ..types import UNPAIRED_SURROGATE
from .tokens import NUMBER_WORDS

_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
# Digits not inside a word or formula ("CaSO4", "H2O", "X3100", "if76n74div": no tail of the
# digits either, "100" or "6"), read whole ("758p" is 758, never 75); a unit may follow ("21p",
# "1980s").
_STANDALONE = re.compile(r"(?<![^\W_])(?:" + _DIGITS.pattern + r")(?![\d]|[.,]\d)")
_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")


def parseable(text: str) -> str:
    """``text`` as text2num can take it: each lone surrogate becomes U+FFFD (one character
    for one, so offsets stay put).

    >>> parseable("12 " + chr(0xDC80) + " ships") == "12 " + chr(0xFFFD) + " ships"
    True
    """
    # text2num (Rust) cannot take a lone surrogate; stores written before unspin.Corpus.add
    # refused them may hold one.
    return UNPAIRED_SURROGATE.sub("\ufffd", text)


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
    scaled = _SCALED.sub(lambda m: _scaled(m.group(1), m.group(2)), _PRONOUN.sub("", text))
    # threshold=0: "one" and "two" on their own are numbers too ("one of five" vs "1 of 5").
    digits = _ORDINAL_SUFFIX.sub("", alpha2digit(scaled, "en", threshold=0))
    digits = _FRACTION.sub(lambda m: _fraction(m.group(1), m.group(2)), digits)
    out: Counter[float] = Counter()
    for m in _STANDALONE.finditer(digits):
        v = _as_float(m.group())
        if v is not None:
            out[v] += 1
    return out


def _fraction(whole: str, part: str) -> str:
    v = _as_float(whole)
    return whole if v is None else str(v + _FRACTION_OF[part.lower()])


def _scaled(number: str, scale: str) -> str:
    v = _as_float(number)
    if v is None:
        return f"{number} {scale}"
    return f"{v * _SCALE_OF[scale.lower()]:.0f}"
