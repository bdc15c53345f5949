"""JSON Lines (and JSON array) files: one document per object with ``id`` and ``text``.

Corpus exports are long and a few bad records are common, so every line is checked on its
own: a bad one becomes an InputError naming ``file:LINE`` and the rest are still read. Files
are streamed line by line, so a multi-gigabyte export needs no more memory than its longest
line. A record that names a field twice is refused (:mod:`unspin.json_keys`). A file that
starts with a UTF-16 or UTF-32 byte-order mark is read in that encoding (Windows PowerShell
5 writes its ``> file`` output as UTF-16 with a mark); any other file must be UTF-8.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import InputError, InputWarning
from ..json_keys import RepeatedKeyObject, marking_repeated_keys, shown_key
from ..types import UNPAIRED_SURROGATE, Document, blank, id_problem
from .limits import (
    Limits,
    check_document,
    how_to_raise,
    human_bytes,
    over_limit,
    stream_problem,
    too_many_blank_lines,
    too_many_json_values,
)
from .meta import HugeInteger, json_type, read_optional
from .plain import WIDE_BOMS, without_nuls

_BOM = b"\xef\xbb\xbf"


def _parse_int(literal: str) -> int | HugeInteger:
    """``json.loads``'s integer hook: an ``int``, or a HugeInteger past Python's digit limit."""
    digits = len(literal) - literal.startswith("-")
    limit = sys.get_int_max_str_digits()
    if limit and digits > limit:
        return HugeInteger(digits)
    return int(literal)


def loads(text: str) -> Any:
    """``json.loads`` that reads integers of any length (see HugeInteger) and marks an
    object that names a key twice (see :func:`~unspin.json_keys.marking_repeated_keys`)."""
    return json.loads(text, parse_int=_parse_int, object_pairs_hook=marking_repeated_keys)


def wide_encoding(head: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when ``head`` starts with that encoding's byte-order mark (UTF-32
    first: its little-endian mark begins with UTF-16's; JSON never starts with U+0000); with
    its byte order ("UTF-16-LE") when it has no mark but NULs among its first four bytes.

    JSON text starts with an ASCII character, so those NULs say which of the four it is (RFC
    8259's rule, ``json.detect_encoding``, which ``json.loads`` of bytes follows). Up to
    robust36 a JSON Lines file in UTF-16 without a mark (``iconv -t UTF-16LE``) was read as
    UTF-8: "invalid json (expecting property name enclosed in double quotes at column 2)"
    for its first line and "expecting value at column 1" for every other.

    >>> wide_encoding(b"\xff\xfe{\x00"), wide_encoding(b'{\x00"\x00'), wide_encoding(b'{"id')
    ('UTF-16', 'UTF-16-LE', None)
    """
    for bom, codec in WIDE_BOMS:
        if head.startswith(bom):
            return codec.upper()
    if len(head) >= 4 and 0 in head[:4]:
        found = json.detect_encoding(head[:4])
        return None if found == "utf-8" else found.upper()
    return None


def not_wide_text(name: str, exc: UnicodeDecodeError) -> str:
    """The problem of bytes that carry ``name``'s mark (or, without one, look like ``name``)
    but are not ``name`` text."""
    if name.endswith(("-LE", "-BE")):
        return (
            f"reads as {name} text without a byte-order mark (its first bytes hold NULs) but "
            f"is not {name} text ({exc.reason})"
        )
    return f"starts with a {name} byte-order mark but is not {name} text ({exc.reason})"


def read_record(
    record: object, where: str, limits: Limits, doc_path: str
) -> tuple[Document, InputWarning | None]:
    """Check one decoded JSON value and turn it into a Document, or raise InputError; with
    the note of what reading changed in its text (NULs taken out), or None.

    ``where`` names the record in errors (``file:LINE``), ``doc_path`` in the document.
    """
    if not isinstance(record, dict):
        raise InputError(where, f"record is a json {json_type(record)}, not an object")
    if isinstance(record, RepeatedKeyObject):
        raise InputError(
            where,
            f"field {shown_key(record.repeated)} is given twice (a record names each field once)",
        )
    for name in ("id", "text"):
        if name not in record:
            raise InputError(where, f"missing required field '{name}'")
    raw_id = record["id"]
    if isinstance(raw_id, HugeInteger):
        raise InputError(
            where,
            f"field 'id' is an integer of {raw_id.digits:,} digits, too long to use as an id "
            f"(at most {sys.get_int_max_str_digits():,})",
        )
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise InputError(
            where, f"field 'id' must be a string or an integer, not {json_type(raw_id)}"
        )
    doc_id = str(raw_id)
    # Zero-width characters alone (robust34) and a NUL among others (robust35) were stored.
    if (problem := id_problem(doc_id)) is not None:
        raise InputError(where, problem)
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(where, f"field 'text' must be a string, not {json_type(text)}")
    if blank(text):
        raise InputError(where, "field 'text' is empty")
    for name, value in (("id", doc_id), ("text", text)):
        # JSON may escape half a surrogate pair ("\ud800"); such a str cannot be stored.
        if bad := UNPAIRED_SURROGATE.search(value):
            raise InputError(
                where, f"field '{name}' holds an unpaired surrogate \\u{ord(bad.group()):04x}"
            )
    text, note = without_nuls(text, where)
    check_document(text, where, limits)
    # Optional fields never cost the document: unusable ones are dropped with a warning.
    meta = read_optional(record)
    document = Document(
        text=text,
        id=doc_id,
        title=meta.title,
        url=meta.url,
        date=meta.date.value if meta.date else None,
        site=meta.site,
        path=doc_path,
        kind="jsonl",
        date_raw=meta.date_raw,
        date_precision=meta.date.precision if meta.date else None,
        warnings=meta.warnings,
    )
    return document, note


def _record_items(
    record: object, where: str, limits: Limits, doc_path: str
) -> Iterator[Document | InputWarning | InputError]:
    """What a reader yields for one record: its error, or its note and then its document."""
    try:
        document, note = read_record(record, where, limits, doc_path)
    except InputError as err:
        yield err
        return
    if note:
        yield note
    yield document


def _parse_line(line: bytes, where: str) -> Any:
    """Decode and parse one line, or raise InputError saying what is wrong with it."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            where,
            f"line is not valid utf-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})",
        ) from exc
    try:
        return loads(decoded)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" already ("Invalid control character at").
        msg = exc.msg.lower().removesuffix(" at")
        # A file with old Mac line ends (CR alone) is one line of many records, which read
        # "extra data at column 57" up to robust31, naming nothing a user could change.
        before = decoded[: exc.pos]
        cr = exc.msg == "Extra data" and "\r" in before[len(before.rstrip()) :]
        hint = (
            "; its records end with carriage returns alone (old Mac line ends): JSON Lines "
            "ends each with a line feed"
            if cr
            else ""
        )
        raise InputError(where, f"invalid json ({msg} at column {exc.colno}){hint}") from exc
    except RecursionError as exc:
        raise InputError(where, "invalid json (nested too deeply)") from exc


def _skip_rest_of_line(stream: BinaryIO | _Utf8Lines) -> None:
    """Consume what is left of an over-long line without holding it in memory."""
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


class _Utf8Lines:
    """A UTF-16 or UTF-32 stream (after its mark) read line by line as UTF-8 bytes, so the
    line reader below serves every encoding; ``readline``'s size counts characters here,
    which bounds a line's bytes within a small factor of the limit."""

    def __init__(self, stream: BinaryIO, name: str, shown: str) -> None:
        self.name = name
        self.shown = shown
        # utf-16/utf-32 read the mark and take its byte order; the text stays streamed.
        self.text = io.TextIOWrapper(stream, encoding=name.lower(), newline="\n")
        self.line_no = 0

    def readline(self, size: int) -> bytes:
        try:
            line = self.text.readline(size)
        except UnicodeDecodeError as exc:
            # A byte short at the end (a file cut short) or a lone surrogate: the decoder
            # cannot find the next character, so the rest of the file cannot be read.
            raise InputError(
                self.shown, f"{not_wide_text(self.name, exc)}, at line {self.line_no + 1}"
            ) from exc
        if line.endswith("\n"):
            self.line_no += 1
        return line.encode("utf-8")  # the strict decoder let no lone surrogate through


def read_jsonl(
    stream: BinaryIO, shown: str, limits: Limits
) -> Iterator[Document | InputError | InputWarning]:
    """Documents of a JSON Lines stream, with an InputError for each line that is not one.

    Blank lines are skipped. Raises InputError (ending the file) past ``max_records_per_file``.
    """
    lines: BinaryIO | _Utf8Lines = stream
    head = stream.peek(4)[:4] if isinstance(stream, io.BufferedReader) else b""
    wide = wide_encoding(head)
    if wide is not None:
        lines = _Utf8Lines(stream, wide, shown)
    try:
        yield from _read_lines(lines, stream, shown, limits)
    finally:
        if isinstance(lines, _Utf8Lines):
            lines.text.detach()  # the caller closes the stream, not the text wrapper


def _read_lines(
    lines: BinaryIO | _Utf8Lines, stream: BinaryIO, shown: str, limits: Limits
) -> Iterator[Document | InputError | InputWarning]:
    """:func:`read_jsonl`'s loop over ``lines`` (``stream`` itself, or its text as UTF-8)."""
    line_no = 0
    records = 0
    blank = 0  # lines: each costs time, as a record does (a gzip of 2 GiB of line feeds)
    while True:
        line = lines.readline(limits.max_file_bytes + 1)
        if not line.endswith(b"\n"):
            # The last line, or a gzip stream that stopped early (cut short, corrupt, too large).
            problem = stream_problem(stream)
            if problem:
                # "after line 0" (up to robust36) for a stream that stopped in its first line
                where = f"after line {line_no}" if line_no else "before its first whole line"
                raise InputError(shown, f"{problem}, {where}")
        if not line:
            if not records:
                yield _no_records(shown, "the file is empty or blank")
            return
        line_no += 1
        where = f"{shown}:{line_no}"
        # Not only the first line's: files that each begin with one, joined with cat, put one
        # at the start of a later line, whose record was lost up to robust31 ("invalid json
        # (unexpected utf-8 bom (decode using utf-8-sig) at column 1)").
        line = line.removeprefix(_BOM)
        if len(line) > limits.max_file_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(lines)
            yield InputError(
                where,
                over_limit("line", human_bytes(limits.max_file_bytes), "max_file_bytes"),
            )
            continue
        if not line.strip():
            blank += 1
            if blank > limits.max_records_per_file:
                raise InputError(shown, too_many_blank_lines(limits.max_records_per_file, line_no))
            continue
        records += 1
        if records > limits.max_records_per_file:
            raise InputError(
                shown,
                f"more than {limits.max_records_per_file:,} records, stopped at line {line_no} "
                f"({how_to_raise('max_records_per_file')})",
            )
        if problem := too_many_json_values(line, limits.max_file_bytes):
            yield InputError(where, f"line {problem}")
            continue
        try:
            record = _parse_line(line, where)
        except InputError as err:
            yield err
            continue
        yield from _record_items(record, where, limits, f"{shown}#{line_no}")


def _no_records(shown: str, why: str) -> InputWarning:
    """The note for a file of records that holds none. Up to robust35 an empty feed (a
    download that failed, a day with no news) was read as nothing without a word, where an
    empty text file is an error: "0 documents added, 0 inputs failed"."""
    return InputWarning(shown, f"holds no records ({why}); nothing read")


def read_json(
    data: bytes, shown: str, limits: Limits
) -> Iterator[Document | InputError | InputWarning]:
    """Documents of a ``.json`` file: an array of records, one record, or JSON Lines."""
    wide = wide_encoding(data[:4])
    try:
        text = data.decode(wide.lower()) if wide else data.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        if wide:
            raise InputError(shown, not_wide_text(wide, exc)) from exc
        # Not UTF-8: the line reader names the line and the byte.
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), shown, limits)
        return
    # UTF-8 counted as bytes (quicker), UTF-16 and UTF-32 as the text they hold.
    if problem := too_many_json_values(text if wide else data, limits.max_file_bytes):
        # Read whole, a .json file is one record's worth of memory: JSON Lines is streamed.
        raise InputError(
            shown, f"file {problem}; JSON Lines (one record a line) is read a line at a time"
        )
    try:
        value = loads(text)
    except (json.JSONDecodeError, RecursionError):
        # Not one JSON value: many tools write JSON Lines under a .json name.
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), shown, limits)
        return
    records = value if isinstance(value, list) else [value]
    if not records:
        yield _no_records(shown, "an empty array")
        return
    if len(records) > limits.max_records_per_file:
        raise InputError(
            shown,
            f"holds {len(records):,} records, over the {limits.max_records_per_file:,} limit "
            f"({how_to_raise('max_records_per_file')})",
        )
    for number, record in enumerate(records, start=1):
        where = f"{shown}#{number}"
        yield from _record_items(record, where, limits, where)
