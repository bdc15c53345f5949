"""Token alignment for edit labelling: tokens that keep punctuation, word classes, and a fast diff.

Unlike :func:`unspin.text.tokenize` (words only, for retrieval), the edit labeller needs every
mark of punctuation and numbers such as ``1,500`` or ``1987-03-02`` as single tokens, because a
changed comma is a ``case_or_punctuation`` edit and a changed digit group is a ``number_change``.

Word classes here (numbers, dates, negations) are closed grammatical classes, not lexical
knowledge: month and weekday names come from :mod:`calendar`, negation is the small set of
English negators, number words are the cardinal system.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from dateutil import parser as dateutil_parser
from rapidfuzz.distance import Indel

from ..lookalikes import fold_lookalikes
from ..text import has_invisible, mark_kind, without_invisible, word_with_marks

# Order matters: dates and numbers before words, so "1,500" and "1987-03-02" stay whole;
# dotted abbreviations ("U.S.") before words; words keep inner apostrophes ("don't", U+0019 in PAN).
_TOKENS = r"""\d{4}-\d{2}-\d{2}
      | \d+(?:[.,:/]\d+)*
      | (?:[^\W\d_]\.){2,}
      | WORD(?:['\u2019\u0019]WORD)*
      | [^\w\s]"""
_TOKEN = re.compile(_TOKENS.replace("WORD", r"[^\W_]+"), re.VERBOSE)


@lru_cache(maxsize=2)
def _token_with_marks(astral: bool) -> re.Pattern[str]:
    """:data:`_TOKEN` whose words keep the combining marks after their letters (decomposed
    accents, Indic vowel signs: :func:`unspin.text.word_with_marks`), for a text that has
    some."""
    return re.compile(_TOKENS.replace("WORD", word_with_marks(astral)), re.VERBOSE)


_NUMERIC = re.compile(r"^\d+(?:[.,:/]\d+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^(1[6-9]|20)\d\d$")
# Day, month and year in digits with one separator ("04/02/08", "2.4.2008"); a version number's
# one-digit last field ("1.2.3") is no year.
_NUMERIC_DATE = re.compile(r"^\d{1,2}([./])\d{1,2}\1(?:\d{2}|\d{4})$")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u0019": "'"})

# Cardinal number words: the closed class of the English number system.
NUMBER_WORDS: frozenset[str] = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
        "half",
    ]
)
# Month and weekday names with their usual abbreviations, from the C locale's calendar.
DATE_WORDS: frozenset[str] = frozenset(
    w.lower()
    for names in (
        calendar.month_name,
        calendar.month_abbr,
        calendar.day_name,
        calendar.day_abbr,
    )
    for w in names
    if w
) - {"may", "sun", "sat", "wed", "mar"}  # also common words; only capitalised forms count
_CAPITAL_ONLY_DATES = frozenset({"may", "sun", "sat", "wed", "mar"})
# Abbreviated month and day names ("Dec", "Tue"; not "May", a whole name): news writes them
# with a full stop before the day ("Dec. 30").
_DATE_ABBREVIATIONS = frozenset(
    w.lower() for names in (calendar.month_abbr, calendar.day_abbr) for w in names if w
) - frozenset(w.lower() for w in calendar.month_name if w)
_MONTH_NAMES = tuple(m.lower() for m in calendar.month_name if m)
# English negators (a closed grammatical class); "n't" contractions are matched by suffix.
NEGATIONS: frozenset[str] = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "neither",
        "nor",
        "without",
        "cannot",
    ]
)
QUOTE_CHARS = '"\u201c\u201d\u00ab\u00bb'
# Coordinating conjunctions, the words that join the items of a list besides punctuation.
_COORDINATORS = frozenset({"and", "or"})
SENTENCE_END = frozenset(".!?")
_OPENERS = frozenset("\"'([\u201c\u2018\u00ab")


@dataclass(frozen=True, slots=True)
class Tok:
    """One token: its raw offsets, raw wording (without invisible characters, which the offsets
    still span) and the key the diff compares."""

    start: int
    end: int
    raw: str
    key: str  # lower-cased, apostrophes unified; case differences are found after the diff
    sentence_start: bool  # first word of a sentence (capitals there say nothing about names)

    @property
    def is_word(self) -> bool:
        return self.raw[0].isalnum()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """Tokens of ``text[start:end]`` with offsets into the whole ``text``.

    Invisible characters (a soft hyphen, a zero-width space: :data:`unspin.text.INVISIBLE`)
    are not read, as the fingerprints do not read them: "4\u200b00" is the number 400, its raw
    wording "400", its offsets those of all five characters (a zero-width space in every word
    of a copy made 10 more edits and 4 false distortions)."""
    end = len(text) if end is None else end
    if not has_invisible(text, start, end):
        return _tokens(text, start, end)
    # Read the text without them, then put the offsets back where the characters stand.
    clean, kept = without_invisible(text[start:end])
    return [
        Tok(start + kept[t.start], start + kept[t.end - 1] + 1, t.raw, t.key, t.sentence_start)
        for t in _tokens(clean, 0, len(clean))
    ]


def whole_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` grown to whole tokens: an edge inside a token moves out to the token's
    edge. The aligner's passages end at the words of :func:`unspin.text.tokenize`, which splits
    "9/14/1938" and "individual's" where this tokenizer does not: a passage starting at
    "14/1938" would read a date that is not there (a false ``date_change`` against
    "9/14/1938").

    >>> text = "Dated 9/14/1938 here."
    >>> text[slice(*whole_tokens(text, 8, 12))], whole_tokens(text, 6, 15)
    ('9/14/1938', (6, 15))
    """
    a, b = _token_around(text, start), _token_around(text, end)
    return (start if a is None else a.start), (end if b is None else b.end)


# How far a token is looked for around a passage edge (in characters, each way).
_TOKEN_REACH = 200


def _token_around(text: str, at: int) -> Tok | None:
    """The token that ``at`` falls strictly inside, if any."""
    if at <= 0 or at >= len(text) or text[at - 1].isspace() or text[at].isspace():
        return None
    # No token holds whitespace: the one around ``at`` lies in its run of other characters.
    lo, hi = at, at
    while lo > max(0, at - _TOKEN_REACH) and not text[lo - 1].isspace():
        lo -= 1
    while hi < min(len(text), at + _TOKEN_REACH) and not text[hi].isspace():
        hi += 1
    return next((t for t in tokenize(text, lo, hi) if t.start < at < t.end), None)


def _tokens(text: str, start: int, end: int) -> list[Tok]:
    """:func:`tokenize` of a text without invisible characters."""
    toks: list[Tok] = []
    at_start = True
    prev_end = start
    marks, astral = mark_kind(text, start, end)
    pattern = _token_with_marks(astral) if marks else _TOKEN
    for m in pattern.finditer(text, start, end):
        raw = m.group()
        # A blank line also starts a sentence (headlines, paragraphs without a full stop).
        if "\n\n" in text[prev_end : m.start()]:
            at_start = True
        # Lookalike letters of a mixed word are read as the Latin ones they show
        # (:mod:`unspin.lookalikes`): the CLI says they were there, the edits list what else.
        # A word written with decomposed accents is read as the same word composed (NFC).
        shown = raw if raw.isascii() else unicodedata.normalize("NFC", fold_lookalikes(raw))
        toks.append(Tok(m.start(), m.end(), raw, shown.lower().translate(_APOSTROPHES), at_start))
        prev_end = m.end()
        if raw in SENTENCE_END and not (m.end() < end and text[m.end()].isalnum()):
            at_start = True  # "Amazon.ae" and "Noon.com" end no sentence
        elif raw not in _OPENERS:
            at_start = False
    return toks


def same_surface(a: Tok, b: Tok) -> bool:
    """Same wording and case; the apostrophe variants PAN uses (U+0019, U+2019) count as one,
    and so do a Cyrillic or Greek lookalike letter and the Latin one it shows, and a letter
    with a decomposed accent and the same letter composed."""
    if a.raw == b.raw or a.raw.translate(_APOSTROPHES) == b.raw.translate(_APOSTROPHES):
        return True
    if a.raw.isascii() and b.raw.isascii():
        return False
    return _shown(a.raw) == _shown(b.raw)


def _shown(raw: str) -> str:
    """A token's wording as shown: lookalike letters folded, accents composed (NFC)."""
    return unicodedata.normalize("NFC", fold_lookalikes(raw)).translate(_APOSTROPHES)


def only_list_joiners(toks: Sequence[Tok]) -> bool:
    """Every token is punctuation or "and"/"or": what stands between the items of a list
    (also true of no tokens at all).

    >>> only_list_joiners(tokenize(", and")), only_list_joiners(tokenize("to"))
    (True, False)
    """
    return all(not t.is_word or t.key in _COORDINATORS for t in toks)


def is_number(tok: Tok) -> bool:
    return bool(_NUMERIC.match(tok.raw)) or tok.key in NUMBER_WORDS


def is_date_word(tok: Tok) -> bool:
    """A month or weekday name, a year (1600-2099) or an ISO date."""
    if tok.key in DATE_WORDS or ISO_DATE.match(tok.raw) or _YEAR.match(tok.raw):
        return True
    return tok.key in _CAPITAL_ONLY_DATES and tok.raw[0].isupper() and not tok.sentence_start


@lru_cache(maxsize=10_000)
def numeric_date_readings(raw: str) -> frozenset[dt.date]:
    """The dates a day, month and year in digits can be, month first or day first
    (python-dateutil reads each; two-digit years by its rule): "04/02/08" and "02.04.08" are
    each 2 April or 4 February 2008, "13/02/2008" only 13 February. Empty for anything else.

    >>> sorted(str(d) for d in numeric_date_readings("04/02/08"))
    ['2008-02-04', '2008-04-02']
    >>> numeric_date_readings("1.2.3"), len(numeric_date_readings("13.02.2008"))
    (frozenset(), 1)
    """
    if not _NUMERIC_DATE.match(raw):
        return frozenset()
    out: set[dt.date] = set()
    for day_first in (False, True):
        try:
            out.add(dateutil_parser.parse(raw, dayfirst=day_first, yearfirst=False).date())
        except (ValueError, OverflowError):
            continue  # no such day or month in this order
    return frozenset(out)


def is_escape_code(toks: list[Tok], i: int) -> bool:
    """Token ``i`` is digits written right after a backslash: a character code of scraped
    script or markup ("if\\76\\n\\74div"), not a number."""
    return (
        i > 0
        and toks[i].raw[0].isdigit()
        and toks[i - 1].raw == "\\"
        and toks[i - 1].end == toks[i].start
    )


def is_negation(tok: Tok) -> bool:
    return tok.key in NEGATIONS or tok.key.endswith("n't")


def date_positions(toks: list[Tok]) -> set[int]:
    """Indices of tokens that belong to a date: date words plus day numbers next to a month."""
    # "$2000" is money, not a year: a currency sign (Unicode class Sc) before it says so.
    out = {
        i
        for i, t in enumerate(toks)
        if (is_date_word(t) and not (i and unicodedata.category(toks[i - 1].raw[0]) == "Sc"))
        or (t.raw[0].isupper() and _cut_month(toks, i))
    }
    for i in list(out):
        near = [i - 1, i + 1]
        abbreviated = toks[i].key in _DATE_ABBREVIATIONS or _cut_month(toks, i)
        if abbreviated and i + 2 < len(toks) and toks[i + 1].raw == ".":
            near.append(i + 2)  # "Dec. 30", "Sept. 14": the abbreviation's full stop before the day
        for j in near:
            if 0 <= j < len(toks) and _NUMERIC.match(toks[j].raw) and len(toks[j].raw) <= 2:
                out.add(j)
    # (Added after the neighbours: a day number is one beside a month name, not a date.)
    return out | {i for i, t in enumerate(toks) if numeric_date_readings(t.raw)}


def _cut_month(toks: list[Tok], i: int) -> bool:
    """A month name cut off after four letters or more before a full stop, capitalised: the
    "Sept." of news style, which the C locale's three-letter abbreviations lack."""
    t = toks[i]
    return (
        len(t.key) >= 4
        and t.raw[0].isupper()
        and i + 1 < len(toks)
        and toks[i + 1].raw == "."
        and any(len(m) > len(t.key) and m.startswith(t.key) for m in _MONTH_NAMES)
    )


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks within ``start:end``, straight quotes paired in
    order.

    A quote that can only be a closing one (a straight quote after a word and before a space
    or punctuation, or a closing curly quote) opens nothing, so a passage that begins after
    an opening quote does not read the closing one as an opening and the rest of its text as
    quoted; when such a quote is the passage's first and its line (at most 1,500 characters
    back) left a quotation open, the passage begins inside that quotation. A short quotation
    inside a quotation (a title: "copying "Mario", weren't we?") is part of it: a straight
    quote that opens (after a space or another quote, before a word) inside one, not after
    the end of a sentence, whose partner closes within 80 characters. Pairs longer than 1,500
    characters are dropped: an unbalanced quote would otherwise turn the rest of a document
    into a "quotation".

    >>> t = 'The "Super Mario 64" game. He said "it is "Mario" at his best" today.'
    >>> [t[a:b] for a, b in quote_spans(t)]
    ['Super Mario 64', 'it is "Mario" at his best']
    >>> [t[a:b] for a, b in quote_spans(t, 11)], [t[a:b] for a, b in quote_spans(t, 50)]
    (['Mario 64', 'it is "Mario" at his best'], ['at his best'])
    """
    end = len(text) if end is None else end
    opened = None
    first = next((i for i in range(start, end) if text[i] in QUOTE_CHARS), None)
    if first is not None and _only_closes(text, first):
        lo = max(text.rfind("\n", 0, start) + 1, start - _LONGEST_QUOTE)
        if _scan(text, lo, start, start, None)[1] is not None:
            opened = start
    return _scan(text, start, end, start, opened)[0]


def _scan(
    text: str, lo: int, hi: int, start: int, opened: int | None
) -> tuple[list[tuple[int, int]], int | None]:
    """The quotations of ``text[lo:hi]`` that end after ``start`` (cut at ``start``), one
    open at ``opened`` to begin with; and where the one left open at ``hi`` opened (None)."""
    spans: list[tuple[int, int]] = []
    inner = False  # a short quotation inside the open one is open
    for i in range(lo, hi):
        c = text[i]
        if c not in QUOTE_CHARS:
            continue
        if opened is None:
            if not _only_closes(text, i):
                opened = i + 1
        elif inner:
            inner = False
        elif c == '"' and _nests(text, i, opened):
            inner = True
        elif c not in "\u201c\u00ab":
            if i - opened <= _LONGEST_QUOTE and i > start:
                spans.append((max(opened, start), i))
            opened = None
    return spans, opened


def _only_closes(text: str, i: int) -> bool:
    """The quote at ``i`` can only close a quotation: a closing curly quote, or a straight
    one written after a word and before a space, punctuation or the end."""
    c = text[i]
    return c in "\u201d\u00bb" or (c == '"' and _closes(text, i))


_LONGEST_QUOTE = 1500
_LONGEST_INNER_QUOTE = 80
# What may stand after a closing quote besides a space: punctuation, a bracket, another quote.
_AFTER_CLOSING = frozenset(",.;:!?)]}\u2026") | frozenset(QUOTE_CHARS)


def _closes(text: str, i: int) -> bool:
    """The straight quote at ``i`` can only close a quotation: written after a word and before
    a space, punctuation or the end."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (
        not before.isspace()
        and before not in _OPENERS
        and (after.isspace() or after in _AFTER_CLOSING)
    )


def _nests(text: str, i: int, opened: int) -> bool:
    """The straight quote at ``i``, inside the quotation opened at ``opened``, opens a short
    one inside it: after a space or a quote (not after a sentence's end) and before a word,
    its partner closing within :data:`_LONGEST_INNER_QUOTE` characters."""
    before = text[i - 1]
    if not (before.isspace() or before == '"') or not text[i + 1 : i + 2].isalnum():
        return False
    if before.isspace() and text[max(opened, i - 20) : i].rstrip()[-1:] in SENTENCE_END:
        return False
    j = text.find('"', i + 1, i + 2 + _LONGEST_INNER_QUOTE)
    return j > 0 and _closes(text, j)


@dataclass(frozen=True, slots=True)
class Block:
    """A maximal run of differences between two equal stretches: ``src[i1:i2]`` vs ``tgt[j1:j2]``."""

    i1: int
    i2: int
    j1: int
    j2: int


def align(src: list[Tok], tgt: list[Tok]) -> tuple[list[Block], list[tuple[int, int]]]:
    """Diff two token lists; return the difference blocks and the equal token pairs.

    Uses rapidfuzz's bit-parallel LCS (Indel) on integer ids of the keys, which keeps a 50 KB pair
    well under a second; adjacent deletes and inserts are grouped into one block so a swapped word
    shows up as a replacement.
    """
    ids: dict[str, int] = {}
    a = [ids.setdefault(t.key, len(ids)) for t in src]
    b = [ids.setdefault(t.key, len(ids)) for t in tgt]
    blocks: list[Block] = []
    equal: list[tuple[int, int]] = []
    pending: list[int] | None = None
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            if pending is not None:
                blocks.append(Block(*pending))
                pending = None
            equal.extend(
                zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True)
            )
        elif pending is None:
            pending = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            pending[1] = op.src_end
            pending[3] = op.dest_end
    if pending is not None:
        blocks.append(Block(*pending))
    return blocks, equal


def gaps_are_blank(text: str, toks: list[Tok], lo: int, hi: int) -> bool:
    """True when tokens ``lo..hi`` are separated by whitespace only (used to merge edits)."""
    return all(not text[x.end : y.start].strip() for x, y in pairwise(toks[lo : hi + 1]))
