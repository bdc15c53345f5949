"""How two languages write the same figure: kept as it is, or glued to letters.

Three readings the fact check (:mod:`.facts`) makes before it compares values:

- a figure written the same on both sides is the same fact, whatever each language makes
  of its marks (German reads "23:21.7" and "1:04.8" as other numbers than English does, a
  phone number "171 100" as one thousands group): :func:`shared_spans` pairs them, one
  occurrence with one, so that a figure written twice where the source has it once still
  shows ("2-0" as "2-2");
- digits glued to a short ending are a number with its unit or its grammatical ending
  ("10го", "0,5m", "1960er", "4k"): :func:`ended_numbers`;
- digits glued to other letters are part of a code or a name ("CBS2", "XB1", "[PERSON11]",
  "[ЧЕЛОВЕК11]"): :func:`glued_indices` gives their digits, to be compared as a whole.

>>> shared_spans("in 23:21.7 minutes", "in 23:21.7 Minuten")
([(3, 10)], [(3, 10)])
>>> [(n.value, n.writing) for n in ended_numbers("открытия 10го чемпионата, 0,5m", "ru")]
[(10.0, '10го'), (0.5, '0,5m')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters of the alphabets (Latin, Greek, Cyrillic): Chinese and Japanese run their
# characters into the digits ("得到333票"), which bound a figure as a space does.
_LETTER = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
# A figure in digits with its inner marks ("23:21.7", "10.02", "1,500", "171 100"), not
# glued to letters and not the head of a longer figure.
_FIGURE = re.compile(
    rf"(?<![\d{_LETTER}.,:])\d+(?:[.,:]\d+|[\u00a0\u202f ]\d{{3}}(?!\d))*(?![\d{_LETTER}]|[.,:]\d)"
)
# Digits (with a decimal part) glued to an ending of at most three letters: a unit ("0,5m",
# "4k"), a case or ordinal ending ("10го", "90х") or a decade ("1960er", "1960s").
_ENDED = re.compile(rf"(?<![\d{_LETTER}.,:])(\d+(?:[.,]\d+)?)([{_LETTER}]{{1,3}})(?![\d{_LETTER}])")
# A run of letters and digits: a code or a name when it holds both.
_RUN = re.compile(rf"[\d{_LETTER}]+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Ended:
    """A number glued to its ending: ``text[start:end]`` is ``writing``."""

    start: int
    end: int
    value: float
    writing: str


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked (spaces), so that no reading sees it and the other
    offsets stay."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def shared_spans(source: str, target: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where ``source`` and ``target`` write the same figure (:data:`_FIGURE`), each
    occurrence paired with one of the other side in order."""
    src = [(m.start(), m.end(), m.group()) for m in _FIGURE.finditer(source)]
    tgt = [(m.start(), m.end(), m.group()) for m in _FIGURE.finditer(target)]
    out: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    left = list(tgt)
    # Occurrences followed by the same mark first ("14%" with "14%", not with "14亿"):
    # a figure written more often on one side is set aside where its context agrees.
    for same_next in (True, False):
        for a, b, w in list(src):
            match = next(
                (
                    o
                    for o in left
                    if o[2] == w and (not same_next or _next(source, b) == _next(target, o[1]))
                ),
                None,
            )
            if match is not None:
                src.remove((a, b, w))
                left.remove(match)
                out[0].append((a, b))
                out[1].append((match[0], match[1]))
    return sorted(out[0]), sorted(out[1])


def _next(text: str, end: int) -> str:
    """The first character after ``end`` that is no space."""
    rest = text[end:].lstrip()
    return rest[:1]


def runs(text: str) -> set[str]:
    """The runs of letters and digits of ``text`` that hold both, and its ended numbers
    (:data:`_ENDED`), as :func:`_key` writes them ("cbs2", "4k", "ac1900", "2.1a")."""
    found = {
        _key(r) for m in _RUN.finditer(text) if _DIGITS.search(r := m.group()) and not r.isdigit()
    }
    return found | {_key(m.group()) for m in _ENDED.finditer(text)}  # "2.1a" of "Soyuz-2.1a"


def _key(run: str) -> str:
    """A run as :func:`runs` keeps it: lower case, in Latin letters (anyascii), so that a
    Russian "2.1а" with a Cyrillic "а" is the English "2.1a"."""
    from anyascii import anyascii

    return str(anyascii(run)).lower()


def ended_numbers(text: str, lang: str, kept: frozenset[str] = frozenset()) -> list[Ended]:
    """The numbers of ``text`` glued to a short ending (:data:`_ENDED`), read the way
    ``lang`` writes numbers, but for runs in ``kept`` (runs the other side writes alike:
    a code such as "5G" or "3D", compared by its shape instead)."""
    from .facts import parse_number

    out: list[Ended] = []
    for m in _ENDED.finditer(text):
        if _key(m.group()) in kept:
            continue
        value = parse_number(m.group(1), lang)
        if value is not None:
            out.append(Ended(m.start(), m.end(), value, m.group()))
    return out


def glued_indices(text: str, kept: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """The digit runs glued to letters in a run that is no ended number and that the other
    side does not write alike (``kept``): an index of a code or a name ("[PERSON11]" and
    "[ЧЕЛОВЕК11]" both give 11), with the run that writes it."""
    out: list[tuple[int, str]] = []
    for m in _RUN.finditer(text):
        run = m.group()
        if run.isdigit() or not _DIGITS.search(run) or _key(run) in kept:
            continue
        if _ENDED.fullmatch(run):
            continue
        out.extend((int(d), run) for d in _DIGITS.findall(run))
    return out


def unpaired(
    source: list[tuple[int, str]], target: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The indices of each side that no equal index of the other side pairs with."""
    left = list(target)
    lost = []
    for item in source:
        match = next((o for o in left if o[0] == item[0]), None)
        if match is None:
            lost.append(item)
        else:
            left.remove(match)
    return lost, left


# A Roman numeral of two or more of I, V and X (up to XXXIX), with a French ordinal ending:
# centuries and monarchs ("XVII в.", "XVIIe siècle", "siglo XIX", "Louis XIV"). L, C, D
# and M are left out: "CD", "DC", "MD" and "XL" are more often other things.
_ROMAN = re.compile(r"(?<![\w-])(?=[IVX]{2})(X{0,3})(IX|IV|V?I{0,3})(?:e|er|ème)?(?![\w-])")
_ROMAN_DIGIT = {"I": 1, "V": 5, "X": 10}


def roman_numbers(text: str) -> list[Ended]:
    """The Roman numerals of ``text`` (:data:`_ROMAN`) with their values.

    >>> [(r.value, r.writing) for r in roman_numbers("В начале XVII в., au XIXe siècle, Part II")]
    [(17.0, 'XVII'), (19.0, 'XIXe'), (2.0, 'II')]
    """
    out: list[Ended] = []
    for m in _ROMAN.finditer(text):
        letters = m.group(1) + m.group(2)
        if len(letters) < 2:
            continue
        value = 0
        for i, c in enumerate(letters):
            digit = _ROMAN_DIGIT[c]
            following = _ROMAN_DIGIT[letters[i + 1]] if i + 1 < len(letters) else 0
            value += -digit if digit < following else digit
        out.append(Ended(m.start(), m.end(), float(value), m.group()))
    return out
