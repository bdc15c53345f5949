"""Which legacy code page bytes that are not UTF-8 were written in, for HTML pages and text files.

charset_normalizer offers the code pages that decode the bytes plausibly, but its ranking (the
least "chaos", then its coherence) often ties among single-byte pages, which decode the same
bytes without a fault: an undeclared Turkish page in windows-1254 came first as cp1252
("yoðun" for "yoğun"), an English one in Mac Roman as mac_iceland or mac_greek ("na•ve" for
"naïve"). So the single-byte pages it offers (and the ones its matches could be from) are also
judged by the words they make: the one that reads the most of the text's words with letters
beyond ASCII as words of wordfreq's lists (in English and the languages charset_normalizer
hears in the text), less those it reads as no word, comes first; a tie keeps the caller's
order (cp1252 first, as before), so a text whose other readings make no more words is read as
it was.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

# Code pages no browser reads (the WHATWG Encoding Standard has none of them): DOS, EBCDIC,
# old Mac ones but Roman and Cyrillic, and a few more that charset_normalizer offers. A
# deny list, not the standard's own: charset_normalizer names the East Asian encodings by
# their variants (cp932, cp949, euc_jis_2004), which browsers read under other labels.
_NOT_READ_BY_BROWSERS = frozenset(
    "cp037 cp273 cp424 cp437 cp500 cp720 cp737 cp775 cp850 cp852 cp855 cp856 cp857 cp858 "
    "cp860 cp861 cp862 cp863 cp864 cp865 cp869 cp875 cp1006 cp1026 cp1125 cp1140 hp-roman8 "
    "ptcp154 kz1048".split()
)
# The two old Mac code pages browsers read: charset_normalizer offers them only now and then
# (not for a Spanish text in Mac Roman), so they are always among the readings judged by words.
_MAC_PAGES = ("mac-roman", "mac-cyrillic")
# As trafilatura samples a long page: its start and its end.
_HALF_SAMPLE = 5_000
# Words with letters beyond ASCII looked up, at most (a sample holds a few hundred).
_MAX_WORDS = 400
# The letters of a word (digits, marks and punctuation split words, as in "na•ve").
_WORD = re.compile(r"[^\W\d_]+")


# charset_normalizer's names of Unicode blocks (CharsetMatch.alphabets): the private-use
# characters, and those of any ASCII text.
_PRIVATE_USE = "Private Use Area"
_ASCII_BLOCKS = frozenset({"Basic Latin", "Control character"})
# A character beyond ASCII with an ASCII letter or digit on either side ("10麖er").
_WEDGED = re.compile(r"(?<=[A-Za-z0-9])[^\x00-\x7f](?=[A-Za-z0-9])")


def no_text_s(match: CharsetMatch) -> bool:
    """Whether charset_normalizer's guess ``match`` reads the bytes as no text is written: all
    its characters beyond ASCII private-use ones, or, for an East Asian encoding, most of
    them wedged between ASCII letters and digits. Its guesses for English pages in cp1252
    whose only bytes beyond ASCII were no-break spaces (0xA0) were Shift-JIS (cp932), which
    reads the byte as U+F8F0, and Big5-HKSCS, GB18030 or Korean cp949, which read it with the
    next letter as one character ("10麖er cent", "Mr䒷mith"): 306 of 708 PAN 2013 texts
    written as undeclared cp1252 pages were read so."""
    from charset_normalizer.utils import is_multi_byte_encoding

    alphabets = set(match.alphabets)
    if _PRIVATE_USE in alphabets and alphabets <= {_PRIVATE_USE, *_ASCII_BLOCKS}:
        return True
    if not is_multi_byte_encoding(match.encoding):
        return False  # an accented letter inside a word is wedged so too
    text = str(match)
    beyond = len(text) - len(text.encode("ascii", errors="ignore"))
    return beyond > 0 and 2 * len(_WEDGED.findall(text)) > beyond


def sample_of(data: bytes) -> bytes:
    """What the guesses look at: a short text whole, a long one's start and end."""
    if len(data) < 2 * _HALF_SAMPLE:
        return data
    return data[:_HALF_SAMPLE] + data[-_HALF_SAMPLE:]


def guesses(sample: bytes) -> list[CharsetMatch]:
    """charset_normalizer's guesses for ``sample``, best first (also code pages no browser
    reads: see :func:`is_web`)."""
    import charset_normalizer

    return list(charset_normalizer.from_bytes(sample))


@functools.cache
def is_web(label: str) -> bool:
    """Whether ``label`` may name a web page's encoding: not one of the code pages no browser
    reads. charset_normalizer offers those too, and its best guess for an English page with
    "café" and "naïve" in latin-1 was cp775 (Baltic DOS: "cafķ na’ve"), so they are no
    guesses for a page or a text file.

    >>> is_web("cp1252"), is_web("cp932"), is_web("cp775"), is_web("mac_latin2")
    (True, True, False, False)
    """
    name = codec_name(label)
    if name is None or name in _NOT_READ_BY_BROWSERS:
        return False
    return not name.startswith("mac-") or name in _MAC_PAGES


def codec_name(label: str) -> str | None:
    """Python's name for an encoding label (``windows-1252`` and ``cp1252`` alike)."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def most_words_first(
    sample: bytes, order: Sequence[str], matches: Sequence[CharsetMatch]
) -> list[str]:
    """``order`` (codec names, the caller's preference) with the single-byte code page that
    reads ``sample``'s words best put first (see the module's note): of ``order``'s readings,
    those of ``matches`` (charset_normalizer's guesses, :func:`guesses`) that a browser reads
    and the two old Mac pages, the one that reads the most words with letters beyond ASCII as
    words of a list, and more of them than it reads as no word (a reading of an English text
    with curly quotes in Mac Roman makes "ìtheî" and "doní", and may chance on a word).
    ``order`` itself when no reading beats its first that decodes the sample.

    >>> page = "Ankara'da yoğun kar yağışı başladı. Okullar tatil edildi.".encode("cp1254")
    >>> most_words_first(page, ["cp1252"], guesses(page))[0]
    'cp1254'
    >>> page = "The café was full of naïve tourists.".encode("mac-roman")
    >>> most_words_first(page, ["cp1252", "latin-1"], guesses(page))
    ['mac-roman', 'cp1252', 'latin-1']
    """
    from charset_normalizer.utils import is_multi_byte_encoding

    candidates = [*order]
    languages = {"en"}
    for match in matches:
        if is_multi_byte_encoding(match.encoding):
            continue
        candidates += [match.encoding, *match.could_be_from_charset]
        languages.update(match.languages[:3])
    candidates += _MAC_PAGES
    names = [codec_name(c) for c in candidates if is_web(c)]
    readings = [c for c in dict.fromkeys(names) if c and not is_multi_byte_encoding(c)]
    codes = _word_list_codes(frozenset(languages))
    read: dict[str, tuple[int, int]] = {}
    by_text: dict[str, tuple[int, int]] = {}  # many code pages read a sample alike
    for codec in readings:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if text not in by_text:
            by_text[text] = _words_read(text, codes)
        read[codec] = by_text[text]
    if not read:
        return list(order)
    # The caller's first reading that decodes the sample, and how many words it reads.
    first = next((c for c in map(codec_name, order) if c in read), None)
    best = max(read, key=lambda c: read[c][0])  # the first of the most: ``order`` first
    known, unknown = read[best]
    if best == first or known <= (read[first][0] if first else 0) or known <= unknown:
        return list(order)
    return list(dict.fromkeys([best, *order]))


def _words_read(text: str, codes: Sequence[str]) -> tuple[int, int]:
    """How many of ``text``'s distinct words with letters beyond ASCII are in a word list of
    ``codes``, and how many are in none. A word of one or two letters is no evidence: a
    cp1252 dash between spaces (0x97) reads as "ó" in Mac Roman, a word of several lists (3 of
    the 17 cp1252 files of the Clough-Stevenson corpus were read as Mac Roman so), and two
    no-break spaces (0xA0) as "аа" in DOS Cyrillic (cp866), a Russian word (a PAN 2013
    source document written in cp1252)."""
    import wordfreq

    found = set(_WORD.findall(text))
    words = sorted({w.lower() for w in found if len(w) > 2 and not w.isascii()})[:_MAX_WORDS]
    known = sum(
        any(wordfreq.zipf_frequency(word, code, wordlist="small") > 0 for code in codes)
        for word in words
    )
    return known, len(words) - known


@functools.cache
def _word_list_codes(languages: frozenset[str]) -> tuple[str, ...]:
    """wordfreq's codes of the languages charset_normalizer names (``"Turkish"``), English
    first; those it has no list for, or reads only with a tokenizer of its extras (Chinese,
    Japanese, Korean), left out."""
    import babel
    import wordfreq

    english_names = {name: code for code, name in babel.Locale("en").languages.items()}
    listed = wordfreq.available_languages(wordlist="small")
    codes = ["en"]
    for language in sorted(languages):
        code = english_names.get(language, language)
        if code in listed and code not in ("zh", "ja", "ko") and code not in codes:
            codes.append(code)
    return tuple(codes)
