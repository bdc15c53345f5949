"""Plain text files: decode bytes to text, or say why they are not text.

A byte-order mark decides first (UTF-8, UTF-16, UTF-32). Then UTF-8 is tried; legacy Western
files, such as the cp1252 answers in the Clough-Stevenson corpus, fall back to cp1252 and then
latin-1, but only when the bytes look like text. When that fails and NUL bytes are common,
charset-normalizer is asked whether the file is UTF-16 or UTF-32 without a mark (English in
UTF-16 is half NUL bytes). Anything else is refused rather than turned into mojibake that would
then be indexed and matched.

Whether bytes are text is judged by their content (the share of control characters), not by
the presence of one NUL byte: real corpora hold a few stray NULs (7 of the 3,169 source
documents of a PAN test corpus), which are removed from the text and reported.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError, InputWarning
from ..types import Document, blank
from .legacy import codec_name, guesses, is_web, most_words_first, no_text_s, sample_of
from .limits import Limits, check_document

# C0 control characters other than the usual whitespace, and DEL. Real text holds a few (PAN
# uses U+0019 for an apostrophe), binary data holds many.
_CONTROL = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))
_DROP_CONTROL = str.maketrans("", "", _CONTROL)
_CONTROL_BYTES = _CONTROL.encode("ascii")
_HIGH_BYTES = bytes(range(0x80, 0x100))

# Share of control characters above which decoded "text" is taken to be binary data.
MAX_CONTROL_SHARE = 0.05
# Share of bytes >= 0x80 above which non-UTF-8 bytes are not taken for a Western legacy
# encoding: such text is mostly ASCII with a few accented letters or curly quotes, random or
# compressed data is about half high bytes, and CJK legacy encodings are nearly all.
MAX_HIGH_BYTE_SHARE = 0.3
# Share of NUL bytes from which a file without a byte-order mark may be UTF-16 or UTF-32:
# ASCII in UTF-16 is 50% NUL, Chinese or Japanese in UTF-16 with its spaces and digits a few
# percent; stray NULs in a text file are far rarer (7 in a 100 KB file is 0.007%).
MIN_WIDE_NUL_SHARE = 0.02
# Share of a UTF-16 guess's NUL bytes that must sit in the high byte of a code unit.
MIN_UTF16_NUL_SIDE = 0.9
# How much of a file the binary checks look at; enough to judge, cheap on huge files.
_SAMPLE = 1 << 20
# How much charset-normalizer looks at (a multiple of 4, so no UTF-32 unit is cut).
_WIDE_SAMPLE = 1 << 16

WIDE_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = {
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32_le": "utf-32-le",
    "utf_32_be": "utf-32-be",
}


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text and what decoding it took."""

    text: str
    encoding: str  # the codec that decoded it
    note: InputWarning | None = None  # stray NUL characters taken out of the text


def decode_text(data: bytes, where: str) -> str:
    """Decode file bytes to ``str`` or raise InputError saying why they are not text.

    The byte-order mark and stray NUL characters are removed; nothing else is changed (line
    endings and whitespace are kept, so offsets into the result are offsets into the file's
    text). ``decode_bytes`` also says which encoding it was and how many NULs went.

    >>> decode_text("Wide text".encode("utf-16-le"), "x")
    'Wide text'
    """
    return decode_bytes(data, where).text


# Document formats whose files are no text to read, by how they begin. A PDF of plain ASCII
# (uncompressed streams) decoded as text, and its PDF syntax was stored as the document's
# words; the rest read "binary file, not text (71 control bytes in 254)", naming no format.
_DOCUMENT_FORMATS = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (as a .docx, .odt, .xlsx or .epub file is)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office file of the old kind (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
)
_READ = "unspin reads plain text, HTML, JSON Lines and WARC files"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Compressed data other than gzip (which is read, see limits.open_stream), by how it begins
# (bzip2's with its first block's mark): up to robust31 "binary file, not text (138 control
# bytes in 1014)" of a .txt.bz2 or .txt.xz, naming no format.
_COMPRESSED = (
    (re.compile(rb"BZh[1-9]1AY&SY"), "bzip2-compressed data"),
    (re.compile(rb"\xfd7zXZ\x00"), "xz-compressed data"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd-compressed data"),
    (re.compile(rb"7z\xbc\xaf\x27\x1c"), "a 7-Zip archive"),
)


def not_text_format(data: bytes) -> str | None:
    """Why ``data`` is no text, when it begins as a document or compressed format; else None.

    >>> import lzma
    >>> not_text_format(lzma.compress(b"text")), not_text_format(b"BZh is no bzip2 data")
    ('xz-compressed data, not text; decompress it first (unspin reads plain text, HTML, JSON Lines and WARC files, and gzip-compressed ones itself)', None)
    """
    if data.startswith(SQLITE_MAGIC):
        # `unspin ingest old.sqlite` or `trace store.sqlite`: "binary file, not text (522121
        # control bytes in 1048576)" named no store (robust33).
        return "an SQLite database (as an unspin store is), not text; a store is given with --db"
    for magic, kind in _DOCUMENT_FORMATS:
        if data.startswith(magic):
            return f"{kind}, not text; save or extract its text first ({_READ})"
    for pattern, kind in _COMPRESSED:
        if pattern.match(data):
            return (
                f"{kind}, not text; decompress it first ({_READ}, and gzip-compressed ones itself)"
            )
    return None


def decode_bytes(data: bytes, where: str) -> DecodedText:
    """Like ``decode_text``, with the encoding used and the note of the NULs removed.

    >>> decode_bytes(b"%PDF-1.4 ...", "a.pdf")
    Traceback (most recent call last):
    ...
    unspin.errors.InputError: a.pdf: a PDF file, not text; save or extract its text first (unspin reads plain text, HTML, JSON Lines and WARC files)
    """
    if (problem := not_text_format(data)) is not None:
        raise InputError(where, problem)
    bom_error: InputError | None = None
    for bom, codec in WIDE_BOMS:
        if data.startswith(bom):
            try:
                return _finished(data.decode(codec), codec, where)
            except UnicodeDecodeError as exc:
                # UTF-16 text opening with U+0000 carries UTF-32's mark: try the next one.
                bom_error = bom_error or InputError(where, f"invalid {codec} text ({exc.reason})")
    if bom_error is not None:
        raise bom_error
    try:
        try:
            text, codec = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            text, codec = _decode_legacy(data, where, exc)
        return _finished(text, codec, where)
    except InputError as narrow_error:
        # Not text as one byte a character. UTF-16 or UTF-32 without a mark is read as such
        # only now: a text with a few stray NULs must not be taken for one (its bytes read
        # as UTF-16 are valid, plausible-looking Chinese).
        wide = _wide_encoding(data)
        if wide is None:
            raise
        try:
            return _finished(data.decode(wide), wide, where)
        except (UnicodeDecodeError, InputError):
            raise narrow_error from None


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (with byte order) for bytes without a BOM that look like it, or None."""
    sample = data[:_WIDE_SAMPLE]
    if len(sample) < 4 or sample.count(0) < MIN_WIDE_NUL_SHARE * len(sample):
        return None
    # Imported for the rare text that needs it (about 20 ms of every cold command's start).
    import charset_normalizer

    best = charset_normalizer.from_bytes(sample).best()
    codec = _WIDE.get(best.encoding) if best is not None else None
    if codec in ("utf-16-le", "utf-16-be"):
        # Text in UTF-16 has its NULs in the high bytes (ASCII characters), so nearly all on
        # one side: odd offsets in little-endian, even ones in big-endian. A guess from a few
        # bytes of binary data rarely has that shape.
        high = sample[1::2] if codec == "utf-16-le" else sample[0::2]
        if high.count(0) < MIN_UTF16_NUL_SIDE * sample.count(0):
            return None
    return codec


def _decode_legacy(data: bytes, where: str, error: UnicodeDecodeError) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 as cp1252 (else latin-1) when they look like text, or
    in the legacy code page that reads more of their words as words
    (:func:`unspin.read.legacy.most_words_first`)."""
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            where, f"binary file, not text ({controls} control bytes in {len(sample)})"
        )
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high > MAX_HIGH_BYTE_SHARE * len(sample):
        # Text in a script other than Latin (Chinese in GBK or Big5, Japanese in Shift-JIS,
        # Korean, Russian in cp1251 or KOI8-R, Greek, Arabic): nearly all its bytes are high.
        # Up to robust34 such a file was refused ("convert it to utf-8") while the same text
        # as a page was read.
        found = _non_latin(data)
        if found is None:
            raise InputError(
                where,
                f"not utf-8 text (invalid byte 0x{data[error.start]:02x} at offset "
                f"{error.start}) and does not look like text in a legacy encoding either; "
                "convert it to utf-8",
            )
        return found
    # cp1252 leaves five bytes undefined; latin-1 maps every byte. A Turkish text in
    # windows-1254 or an English one in Mac Roman (read as "yoðun" and "na•ve" up to
    # robust31) is read in the code page that makes its words.
    sample = sample_of(data)
    order = most_words_first(sample, ["cp1252", "latin-1"], guesses(sample))
    for codec in order:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _non_latin(data: bytes) -> tuple[str, str] | None:
    """``data`` decoded in the first of charset_normalizer's guesses that a browser would read
    a page in, that reads it as text is written (:func:`unspin.read.legacy.no_text_s`) and
    that decodes it whole, with that codec; None when none does. The guesses a page that
    declares nothing is read by (UTF-16 and UTF-32 are found by their marks or zero bytes
    before this)."""
    for match in guesses(sample_of(data)):
        codec = codec_name(match.encoding)
        if codec is None or codec.startswith("utf") or not is_web(codec) or no_text_s(match):
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _finished(text: str, codec: str, where: str) -> DecodedText:
    """Refuse decoded text that is empty or mostly control characters; drop stray NULs."""
    if blank(text):
        raise InputError(where, f"empty file{_what_blank_holds(text)}")
    sample = text[:_SAMPLE]
    controls = len(sample) - len(sample.translate(_DROP_CONTROL))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            where,
            f"binary file, not text ({controls} control characters in {len(sample)})",
        )
    text, note = without_nuls(text, where)
    return DecodedText(text=text, encoding=codec, note=note)


def _what_blank_holds(text: str) -> str:
    r"""What a blank text (:func:`unspin.types.blank`) holds besides whitespace, for the
    message: a file of zero-width characters was called an "empty file" without a word on
    them (up to robust34), though it is not empty.

    >>> _what_blank_holds(" \u200b\u200b\ufeff"), _what_blank_holds(" \x00"), _what_blank_holds(" ")
    (' (only invisible characters: zero width space U+200B, zero width no-break space U+FEFF)', ' (blank apart from NUL bytes)', '')
    """
    if "\x00" in text:
        return " (blank apart from NUL bytes)"
    kinds = sorted({c for c in text if not c.isspace()})
    if not kinds:
        return ""
    shown = [f"{unicodedata.name(c, 'format character').lower()} U+{ord(c):04X}" for c in kinds]
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    return f" (only invisible characters: {', '.join(shown[:3])}{more})"


def without_nuls(text: str, where: str) -> tuple[str, InputWarning | None]:
    """``text`` without its NUL characters, and the note naming ``where`` that says how many
    went (None when there were none). Every reader of documents takes NULs out through this:
    a NUL cannot be stored in most places a text goes next (SQLite's text functions and C
    libraries stop at it) and carries no meaning in prose. Up to robust30 only text files
    and WARC text records lost theirs; JSON records and ``Corpus.add`` kept them.

    >>> text, note = without_nuls("Rivers" + chr(0) + " rose." + chr(0), "a.jsonl:3")
    >>> text, str(note)
    ('Rivers rose.', 'a.jsonl:3: 2 stray NUL characters were removed from the text')
    """
    count = text.count("\x00")
    if not count:
        return text, None
    what = "character was" if count == 1 else "characters were"
    note = InputWarning(where, f"{count:,} stray NUL {what} removed from the text")
    return text.replace("\x00", ""), note


def read_text(
    data: bytes, shown: str, doc_id: str, limits: Limits
) -> Iterator[Document | InputWarning]:
    """The one document of a plain text file whose bytes are ``data`` (after any warning)."""
    decoded = decode_bytes(data, shown)
    check_document(decoded.text, shown, limits)
    if decoded.note:
        yield decoded.note
    yield Document(text=decoded.text, id=doc_id, path=shown, kind="text")
