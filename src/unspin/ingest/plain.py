"""Plain text files: decode bytes to text, or say why they are not text.

UTF-8 is tried first (with or without a byte-order mark). Legacy Western files, such as the
cp1252 answers in the Clough-Stevenson corpus, fall back to cp1252 and then latin-1, but only
when the bytes look like text; anything else is refused rather than turned into mojibake that
would then be indexed and matched.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from ..errors import InputError
from ..types import Document
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
# How much of a file the binary checks look at; enough to judge, cheap on huge files.
_SAMPLE = 1 << 20


def decode_text(data: bytes, where: str) -> str:
    """Decode file bytes to ``str`` or raise InputError saying why they are not text.

    The byte-order mark is removed; nothing else is changed (line endings and whitespace are
    kept, so offsets into the result are offsets into the file's text).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(where, f"invalid utf-16 text ({exc.reason})") from exc
        return _checked(text, where)
    if b"\x00" in data[:_SAMPLE]:
        raise InputError(where, "binary file, not text (found NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = _decode_legacy(data, where, exc)
    return _checked(text, where)


def _decode_legacy(data: bytes, where: str, error: UnicodeDecodeError) -> str:
    """Decode bytes that are not UTF-8 as cp1252 (else latin-1) when they look like text."""
    sample = data[:_SAMPLE]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if high > MAX_HIGH_BYTE_SHARE * len(sample) or controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            where,
            f"not utf-8 text (invalid byte 0x{data[error.start]:02x} at offset {error.start}) "
            "and does not look like cp1252 or latin-1 text either; convert it to utf-8",
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return data.decode("latin-1")


def _checked(text: str, where: str) -> str:
    """Refuse decoded text that is empty or mostly control characters."""
    if not text.strip():
        raise InputError(where, "empty file")
    sample = text[:_SAMPLE]
    controls = len(sample) - len(sample.translate(_DROP_CONTROL))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            where,
            f"binary file, not text ({controls} control characters in {len(sample)})",
        )
    return text


def read_text(data: bytes, shown: str, doc_id: str, limits: Limits) -> Iterator[Document]:
    """The one document of a plain text file whose bytes are ``data``."""
    text = decode_text(data, shown)
    check_document(text, shown, limits)
    yield Document(text=text, id=doc_id, path=shown, kind="text")
