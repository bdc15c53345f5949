"""Tokens, sentences and word normalisation, always with offsets into the raw text.

Spinners and noise injectors leave the *positions* of words intact even when they change the
words, so everything downstream works on tokens that remember where they came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import Stemmer

from .lookalikes import fold_lookalikes
from .word_frequency import top_words

# A word is a run of letters/digits; apostrophes (incl. the U+0019 that PAN uses for one) split
# contractions, which is what we want: "don't" -> "don", "t".
# Invisible characters inside a word (a soft hyphen, a zero-width space or joiner, a word
# joiner, a zero-width no-break space) keep it one word, read without them: web pages hyphenate
# with soft hyphens, and a zero-width space in every word hides a copy from word matching
# (the demo article so treated: 22% covered by its source, where the plain one is 100%).
# The longer pattern is used only on a text that holds one (it costs a fifth more).
# Combining marks after a letter (Unicode category M: an accent written as its own character,
# as decomposed "re\u0301forme" is; a Devanagari vowel sign or virama; Arabic vowel marks;
# Hebrew points) belong to its word: `\w` matches none of them, so "हिन्दी" was read as the
# consonants "ह", "न", "द" and decomposed "réforme" as "re" and "forme". Texts in ASCII have
# none, and are split by the plain pattern.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_WORD = re.compile(r"([^\W_]+)", re.UNICODE)  # a group, so that split keeps the words


@lru_cache(maxsize=2)
def combining_marks(astral: bool = False) -> str:
    """The characters of Unicode's category M (marks) as a regex class's contents: those of
    the Basic Multilingual Plane, or (``astral``) those beyond it, in planes 1 and 14 (Brahmi,
    Adlam, variation selectors), built on first use. Apart, because a class holding
    characters beyond the plane is tried range by range: searching a French text for marks
    took 385 ms where the plane's class alone takes 2 ms."""
    cat = unicodedata.category
    span = (*range(0x10000, 0x20000), *range(0xE0000, 0xE1000)) if astral else range(0x10000)
    return "".join(re.escape(chr(c)) for c in span if cat(chr(c)).startswith("M"))


def word_with_marks(astral: bool = False) -> str:
    """A run of letters and digits with the combining marks after its letters (the words of
    :func:`tokenize` and of the edit tokens); ``astral``: also the marks beyond the Basic
    Multilingual Plane."""
    m = f"[{combining_marks()}]"
    if astral:
        m = f"(?:{m}|[{combining_marks(True)}])"
    return rf"[^\W_]+(?:{m}+[^\W_]*)*"


def mark_kind(text: str, start: int = 0, end: int | None = None) -> tuple[bool, bool]:
    """Whether ``text[start:end]`` holds combining marks, and characters beyond the Basic
    Multilingual Plane (whose marks are then looked for too)."""
    if text.isascii():
        return False, False
    end = len(text) if end is None else end
    astral = start < end and max(text[start:end]) > "\uffff"
    return _has_mark(astral).search(text, start, end) is not None, astral


@lru_cache(maxsize=2)
def _has_mark(astral: bool) -> re.Pattern[str]:
    return re.compile(f"[{combining_marks()}]" + (f"|[{combining_marks(True)}]" if astral else ""))


@lru_cache(maxsize=8)
def _word_pattern(invisible: bool, marks: bool, astral: bool) -> re.Pattern[str]:
    """The pattern that splits a text beyond ASCII: words keep their combining marks where
    the text has some and, in a text holding invisible characters, those between their
    letters (a text without marks is split by the plainer pattern: a third faster)."""
    w = word_with_marks(astral) if marks else r"[^\W_]+"
    return re.compile(rf"({w}(?:[{INVISIBLE}]+{w})*)" if invisible else f"({w})")


DROP_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))  # str.translate table
_HAS_ALPHA = re.compile(r"[^\W\d_]")
_DIGITS = re.compile(r"\d")
_NUMBER = re.compile(r"^\d+$")

# Function words: the most frequent English words by wordfreq, letters only. Spinners replace
# content words, so sequences of these survive spinning (Stamatatos 2011). Derived from a real
# frequency resource, not written by hand.
FUNCTION_WORDS: frozenset[str] = frozenset([w for w in top_words(80) if w.isalpha()][:50])
# Words too common to carry content for similarity (a wider cut of the same list).
STOPWORDS: frozenset[str] = frozenset([w for w in top_words(200) if w.isalpha()][:120])

_stemmer = Stemmer.Stemmer("english")


@dataclass(frozen=True, slots=True)
class Tokens:
    """Tokens of a text as parallel tuples: raw offsets and normalised forms."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    norms: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.norms)


def has_invisible(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds an invisible character (:data:`INVISIBLE`)."""
    if text.isascii():
        return False
    return _HAS_INVISIBLE.search(text, start, len(text) if end is None else end) is not None


def without_invisible(text: str) -> tuple[str, list[int]]:
    """``text`` without its invisible characters, and where each character left stands in it.

    >>> without_invisible("gov\u00adern\u200bment")
    ('government', [0, 1, 2, 4, 5, 6, 8, 9, 10, 11])
    """
    kept = [i for i, c in enumerate(text) if c not in INVISIBLE]
    return "".join(text[i] for i in kept), kept


def normalize_word(raw: str) -> str:
    """Lower-case a token, fold accents and drop digits injected into words ("gove3rnment"); a
    word mixing Latin letters with Cyrillic or Greek lookalikes is read as the Latin word it
    shows (:func:`.lookalikes.fold_lookalikes`), and one holding invisible characters without
    them ("gov\u00adern\u200bment" is "government").

    Pure numbers stay numbers: they are anchors, not noise.
    """
    # A word mixing Latin letters with Cyrillic or Greek lookalikes ("pоrt" with a Cyrillic
    # "о", a way to hide copying) is read as the Latin word it shows.
    if not raw.isascii():
        raw = fold_lookalikes(raw.translate(DROP_INVISIBLE))
    w = raw.lower()
    if not w.isascii():
        w = unicodedata.normalize("NFKD", w)
        w = "".join(c for c in w if not unicodedata.combining(c))
    if _NUMBER.match(w):
        return w
    if _DIGITS.search(w) and _HAS_ALPHA.search(w):
        letters = _DIGITS.sub("", w)
        # "covid19" keeps its letters; "4x4" (mostly digits) stays as it is.
        if len(letters) >= 2 * (len(w) - len(letters)):
            return letters
    return w


# Raw word -> normalised form. Tokenizing is the hottest function of ingest, trace and
# alignment (profiled), and news reuses a small vocabulary: a dict lookup is cheaper than
# normalising again. Bounded: cleared when full.
_NORM_CACHE: dict[str, str] = {}
_NORM_CACHE_MAX = 300_000


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens with raw offsets and normalised forms.

    >>> t = tokenize("Gove3rnment rates, up.")
    >>> t.starts, t.ends, t.norms
    ((0, 12, 19), (11, 17, 21), ('government', 'rates', 'up'))
    """
    # One split into gaps and words, offsets summed from their lengths, and a cache lookup
    # per word, all in C: a loop over match objects cost a third more (the hottest function).
    pattern = _WORD if text.isascii() else _word_pattern(has_invisible(text), *mark_kind(text))
    parts = pattern.split(text)  # gap, word, gap, ..., word
    offsets = list(accumulate(map(len, parts), initial=0))
    words = parts[1::2]
    norms = list(map(_NORM_CACHE.get, words))
    if None in norms:
        norms = [_normalized(w) if n is None else n for n, w in zip(norms, words, strict=True)]
    return Tokens(tuple(offsets[1:-1:2]), tuple(offsets[2::2]), tuple(norms))  # type: ignore[arg-type]


def _normalized(word: str) -> str:
    """:func:`normalize_word` through the bounded cache."""
    n = _NORM_CACHE.get(word)
    if n is None:
        n = normalize_word(word)
        if len(_NORM_CACHE) >= _NORM_CACHE_MAX:
            _NORM_CACHE.clear()
        _NORM_CACHE[word] = n
    return n


def tokens_within(text: str, tokens: Tokens, start: int, end: int) -> Tokens:
    """``tokenize(text[start:end])`` from the tokens of the whole ``text``, without reading
    the text again: the tokens inside, offsets shifted to the stretch, and a word the stretch
    cuts kept as its part inside (as tokenizing the stretch alone would keep it).

    >>> text = "Rates rose sharply."
    >>> tokens_within(text, tokenize(text), 2, 12) == tokenize(text[2:12])
    True
    """
    if end <= start:
        return Tokens((), (), ())
    lo = bisect_right(tokens.ends, start)  # the first token ending after ``start``
    hi = bisect_left(tokens.starts, end)  # past the last token starting before ``end``
    starts = [max(s, start) - start for s in tokens.starts[lo:hi]]
    ends = [min(e, end) - start for e in tokens.ends[lo:hi]]
    norms = list(tokens.norms[lo:hi])
    for k in {0, len(norms) - 1} if norms else ():
        s, e = tokens.starts[lo + k], tokens.ends[lo + k]
        if s < start or e > end:  # a cut word: normalised from its part inside
            norms[k] = _normalized(text[max(s, start) : min(e, end)])
    return Tokens(tuple(starts), tuple(ends), tuple(norms))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter2 stem of a normalised word (cached: stemming is on every hot path)."""
    return str(_stemmer.stemWord(word))


def is_number(word: str) -> bool:
    return bool(_NUMBER.match(word))


# A character of the scripts that write no spaces between words (kana, CJK ideographs,
# hangul): the one definition unspin's modules share (the cross-language ones too).
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Full stops that end a sentence where they stand, a space after them or not: the ideographic
# full stop and the fullwidth exclamation and question marks (Chinese and Japanese write no
# space after them), the halfwidth ideographic full stop, and the danda and double danda of
# Devanagari and the other Indic scripts. None is written inside a word or a number.
_STOPS = "\u3002\uff01\uff1f\uff61\u0964\u0965"
# Sentence ends: . ! ? (optionally followed by quotes/brackets) then whitespace; or a blank
# line; or one of _STOPS, or ! or ? right after a CJK character, with the closing quotes and
# brackets that belong to its sentence, where it stands. Written as one character of the
# set and then the rest of one ending (the lookbehind says which): a pattern that opens with
# a set lets the regex engine skip to the next such character instead of trying every
# alternative at every position, twice as fast on PAN and Reuters texts with the same matches
# as ``[.!?]+["'\u201d\u2019)\]]*(?=\s)|\n\s*\n``.
_SENT_END = re.compile(
    rf"""[.!?\n{_STOPS}](?:"""
    rf"""(?:(?<=[{_STOPS}])|(?<={CJK.pattern}[!?]))[{_STOPS}!?]*[\u201d\u2019\u300d\u300f\uff09)]*"""
    r"""|(?<=[.!?])[.!?]*["'\u201d\u2019)\]]*(?=\s)|(?<=\n)\s*\n)"""
)
_ABBREV = frozenset(
    # Tokens that end with a dot without ending a sentence. Initials are handled by length.
    (
        "mr mrs ms dr prof st jr sr inc ltd co corp vs etc no gen sen rep gov lt col "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    ).split()
)


def sentence_spans(text: str, min_chars: int = 1) -> list[tuple[int, int]]:
    """Split ``text`` into sentences, returned as ``(start, end)`` raw offsets.

    Leading/trailing whitespace is excluded from each span. A deliberately simple, fast splitter:
    alignment only needs stable units, not linguistically perfect ones. A Chinese or Japanese
    full stop, and a Devanagari danda, end a sentence where they stand (up to robust34 they
    ended none: such text was cut only at line breaks).

    >>> text = "他说：“价格上涨了。”汇率不变！Prices rose. दाम बढ़े। दर स्थिर रही।"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['他说：“价格上涨了。”', '汇率不变！', 'Prices rose.', 'दाम बढ़े।', 'दर स्थिर रही।']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        end = m.end()
        if text[m.start()] == ".":
            # Do not split after abbreviations and single-letter initials ("U.S.", "J. Smith").
            j = m.start()
            k = j
            while k > 0 and (text[k - 1].isalpha()):
                k -= 1
            word = text[k:j].lower()
            if len(word) == 1 or word in _ABBREV:
                continue
            # "3.5" never matches (needs whitespace after), so numbers are safe.
        _append_trimmed(text, start, end, spans, min_chars)
        start = end
    if start < n:
        _append_trimmed(text, start, n, spans, min_chars)
    return spans


def _append_trimmed(
    text: str, start: int, end: int, out: list[tuple[int, int]], min_chars: int
) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= min_chars:
        out.append((start, end))


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())
