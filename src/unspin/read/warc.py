"""WARC and ARC web archives: each fetched HTML page becomes a document.

Archives are streamed record by record (warcio parses them; decompression is ours, see
``limits.open_stream``, so the size guard sees every byte). Only successful HTML responses,
and HTML or plain-text resources and conversions (the text of Common Crawl's WET files), are
documents; requests, metadata, images, redirects and the like are skipped without a word,
since a crawl is mostly those (an archive with none of the former gets one warning).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import (
    BufferedReader,
    ChunkedDataException,
    ChunkedDataReader,
    DecompressingBufferedReader,
)
from warcio.limitreader import LimitReader
from warcio.utils import BUFF_SIZE

from ..dates import parse_date, why_not_a_date
from ..errors import InputError, InputWarning
from ..types import Document, FieldWarning, field_too_long
from .html import as_markup, extract_html_bounded
from .limits import (
    GZIP_MAGIC,
    Limits,
    check_document,
    how_to_raise,
    human_bytes,
    over_limit,
    stream_length,
    stream_problem,
)
from .meta import iso_date, site_of
from .plain import WIDE_BOMS, decode_bytes

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _mime(content_type: str | None) -> str:
    """``'text/html; charset=utf-8'`` -> ``'text/html'``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _is_markup(payload: bytes, declared: bool) -> bool:
    """Whether a payload is worth extracting as HTML.

    Servers label JSON, scripts and images text/html often enough that a declared type is only
    believed for a payload starting with a tag; an undeclared one must open like a page (or
    with a comment, as a page saved by a browser does: ``<!-- saved from url=... -->``). A
    page in UTF-16 or UTF-32 is looked at in its encoding, after its byte-order mark: up to
    robust31 such a page was skipped as no page, "nothing read".
    """
    head = _opening(payload).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if declared:
        return head.startswith(b"<")
    return head.startswith((b"<!doctype html", b"<html", b"<!--"))


def _opening(payload: bytes) -> bytes:
    """The first KiB of ``payload``, read in UTF-32 or UTF-16 when it opens with the mark of
    one (its ASCII characters kept, as bytes)."""
    for bom, codec in WIDE_BOMS:
        if payload.startswith(bom):
            head = payload[: 4 * 1024].decode(codec, errors="replace")
            return head.encode("ascii", errors="replace")[:1024]
    return payload[:1024]


_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.IGNORECASE)


def _http_charset(record: Any) -> str | None:
    """The charset a response's ``Content-Type`` header names (``text/html;
    charset=windows-1254``), or None. Servers of the years before UTF-8 often said it there
    only, not in the page."""
    http = record.http_headers if record.rec_type == "response" else None
    found = _CHARSET.search(http.get_header("Content-Type") or "") if http is not None else None
    return found.group(1) if found else None


def _unreadable_encoding(record: Any) -> str | None:
    """Why a response's body cannot be read, when it is compressed in a way warcio cannot
    undo here (``Content-Encoding: br`` without the brotli package, ``zstd``); else None.

    warcio hands such a body on still compressed, which is no markup: the page was skipped
    as if it were an image, without a word, though browsers' crawls ask for both."""
    http = record.http_headers if record.rec_type == "response" else None
    coding = (http.get_header("Content-Encoding") or "").strip().lower() if http else ""
    if coding in ("", "identity") or coding in BufferedReader.get_supported_decompressors():
        return None
    hint = "; install the brotli package to read it" if coding == "br" else ""
    return f"the page is compressed as '{coding}' (its Content-Encoding), which cannot be read here{hint}"


def _payload_kind(record: Any) -> str | None:
    """How to read a record: ``'html'``, ``'html?'`` (no type given: sniff), ``'text'``, or
    None when it holds no document."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:  # not an HTTP response (dns:, ftp: ...)
            return None
        status = http.get_statuscode() or ""
        if not status.startswith("2"):  # redirects and errors are not the page
            return None
        mime = _mime(http.get_header("Content-Type"))
    elif record.rec_type in ("resource", "conversion"):
        # conversion: text derived from a page, as Common Crawl's WET files hold it.
        mime = _mime(record.rec_headers.get_header("Content-Type"))
        if mime == "text/plain":
            return "text"
    else:
        return None
    if mime in _HTML_TYPES:
        return "html"
    return "html?" if not mime else None


def _record_items(
    record: Any, kind: str, where: str, limits: Limits
) -> list[Document | InputError | InputWarning]:
    """The document of one record (after any warning about it), or an InputError for it;
    nothing when it is not a page."""
    uri = _target_uri(record)
    if uri is not None and (problem := field_too_long("WARC-Target-URI", uri)):
        # The page's id and URL (up to robust36: a URI of a megabyte named it in every report).
        return [InputError(where, problem)]
    unreadable = _unreadable_encoding(record)
    if unreadable is not None:
        return [InputError(where, unreadable)]
    try:
        body = _content_stream(record, limits.max_file_bytes, where)
    except InputError as err:
        return [err]
    payload = body.read(limits.max_file_bytes + 1)
    if len(payload) > limits.max_file_bytes or getattr(body, "over", False):
        return [
            InputError(
                where,
                over_limit("record payload", human_bytes(limits.max_file_bytes), "max_file_bytes"),
            )
        ]
    fetched, date_note = _fetched(record)
    if kind != "text" and not _is_markup(payload, declared=kind == "html"):
        return []  # an empty body, or not markup whatever the server said
    notes: list[Document | InputError | InputWarning] = []
    if isinstance(body, _Dechunker) and body.problem is not None:
        broken, problem = body.problem
        if broken:
            return [InputError(where, problem)]
        notes.append(InputWarning(where, problem))
    try:
        if kind == "text":
            decoded = decode_bytes(payload, where)
            text, title, date = decoded.text, None, None
            if decoded.note:
                notes.append(decoded.note)
        else:
            # Decoded here: the page alone does not hold the charset its server sent.
            markup = as_markup(payload, _http_charset(record))
            page = extract_html_bounded(markup, url=uri, where=where, limits=limits)
            if page is None:
                return [InputError(where, f"no text found in html page {uri or ''}".rstrip())]
            text, title, date = page.text, page.title, page.date
        check_document(text, where, limits)
    except InputError as err:
        return [err]
    document = Document(
        text=text,
        id=uri or where,
        title=title,
        url=uri,
        date=date or fetched,
        site=site_of(uri),
        path=where,
        kind="warc",
        warnings=(date_note,) if date_note is not None and not date else (),
    )
    return [*notes, document]


def _content_stream(record: Any, max_bytes: int, where: str) -> Any:
    """The body of a record as warcio's ``content_stream`` gives it, a chunked one read by
    :class:`_Dechunker`, which notes where its chunks broke and reads no chunk that would take
    the body past twice ``max_bytes`` (the payload limit; twice, for a compressed body); an
    InputError naming ``where`` for a chunked one when this warcio's reader no longer works
    as :class:`_Dechunker` needs (:func:`dechunker_works`)."""
    http = record.http_headers
    coding = (http.get_header("transfer-encoding") or "") if http is not None else ""
    if coding.strip().lower() != "chunked":
        # warcio dechunks "chunked" alone: "Chunked" (header values are case-insensitive) was
        # read with its chunk sizes, no markup, and the page skipped without a word (robust36).
        return record.content_stream()
    if not dechunker_works():
        raise InputError(
            where,
            f"its body is chunked, and warcio {_warcio_version()}'s reader of chunked bodies no "
            "longer works as unspin's checks of it need (they would be skipped: a broken body "
            "read as text, a chunk of any size into memory); install a warcio that unspin "
            "supports (1.7 to 1.8)",
        )
    compression = (http.get_header("content-encoding") or "").lower()
    supported = compression in BufferedReader.get_supported_decompressors()
    return _Dechunker(
        record.raw_stream, decomp_type=compression if supported else None, cap=2 * max_bytes + 1
    )


def _chunk_size(line: bytes) -> int | None:
    """The size a chunk's size line gives (``1a;ext`` and a line break -> 26), or None for
    no such line."""
    try:
        return int(line[:-2].split(b";")[0], 16) if line.endswith(b"\r\n") else None
    except ValueError:
        return None


class _Dechunker(ChunkedDataReader):
    """warcio's reader of a body in the chunked transfer encoding, which notes how the chunks
    ended: ``problem`` is None when they ended with the last (empty) chunk, or when the body
    was not chunked from its first line on (a crawler that stored it decoded, keeping the
    header: warcio reads it as it stands, as before); else ``(broken, message)``.

    warcio reads on without a word where the chunks break, the rest of the body as it
    stands: a size line or a chunk's end that is wrong mid-body put the chunk sizes into the
    page's text ("the nortrn 32 railway"), and a body that ends inside a chunk gave a page
    cut short as if whole (up to robust36). A broken body (``broken``) is no page; one that
    ends early is read as it stands, with a warning.

    warcio reads a whole chunk into memory whatever was asked of it: one chunk of 200 MB took
    450 MB with a payload limit of 1 MiB, and a chunk may be 2 GiB (of zeros, a few MB of a
    gzip archive). A chunk that would take the body's chunks past ``cap`` bytes is not read:
    ``over`` says so, and the body is over the payload limit, as it would have been."""

    chunks = 0
    problem: tuple[bool, str] | None = None
    over = False

    def __init__(self, stream: Any, *, decomp_type: str | None, cap: int) -> None:
        super().__init__(stream, decomp_type=decomp_type)
        self.room = cap  # bytes of chunks that may still be read

    def _try_decode(self, length_header: bytes) -> None:
        size = _chunk_size(length_header)
        if size is not None and size > self.room:
            # Read no more than the room left: a body that ends before it (a size line
            # claiming 4 GiB over a few bytes) is cut short, one that does not is over.
            data = self.stream.read(self.room + 1)
            self.all_chunks_read = True
            if len(data) > self.room:
                self.over = True
                data = b""
            else:
                self.problem = (False, _chunk_note(f"inside chunk {self.chunks + 1}"))
            self._process_read(data)
            return
        self.room -= size or 0
        try:
            super()._try_decode(length_header)
        except ChunkedDataException:
            if self.chunks and not length_header:
                how = f"after chunk {self.chunks} without the last, empty chunk"
                self.problem = (False, _chunk_note(how))
            elif self.chunks and size != 0:  # after the last chunk: trailer fields, read as text
                self.problem = (
                    True,
                    f"its chunked transfer encoding breaks after chunk {self.chunks} (a chunk's "
                    "size line or its end is wrong), which would put the chunk sizes into the "
                    "text; the page is not read",
                )
            raise
        if self.all_chunks_read and size:
            self.problem = (False, _chunk_note(f"inside chunk {self.chunks + 1}"))
        self.chunks += 1


# A body of three chunks ("Wiki", "pedia", the last), and the same broken after its first.
_GOOD_CHUNKS = b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"
_BROKEN_CHUNKS = b"4\r\nWiki\r\nzz\r\npedia\r\n0\r\n\r\n"


@cache
def dechunker_works() -> bool:
    """Whether :class:`_Dechunker` reads a good and a broken chunked body as it should with
    this warcio: it overrides ``ChunkedDataReader._try_decode``, which is warcio's private
    method (1.7 and 1.8 hand it each chunk's size line from ``_fillbuff``). A warcio that
    renamed or changed it would read every chunked body without the override, without a
    word: a broken body read into the page's text, a chunk of any size into memory (up to
    robust36). Tried once, on the two bodies above."""
    try:
        good = _Dechunker(io.BytesIO(_GOOD_CHUNKS), decomp_type=None, cap=1 << 10)
        broken = _Dechunker(io.BytesIO(_BROKEN_CHUNKS), decomp_type=None, cap=1 << 10)
        read = good.read(), broken.read()
    except Exception:  # anything a changed warcio does here is "not as needed"
        return False
    return (
        read[0] == b"Wikipedia"
        and (good.chunks, good.problem) == (3, None)
        and broken.problem is not None
        and broken.problem[0]
    )


def _warcio_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("warcio")
    except PackageNotFoundError:
        return "(version unknown)"


def _chunk_note(how: str) -> str:
    return (
        f"its chunked body ends {how}: the response was cut short, so the page may be "
        "incomplete; read as it stands"
    )


# C0 control characters and DEL, which no URL holds (RFC 3986).
_URL_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _target_uri(record: Any) -> str | None:
    """A record's WARC-Target-URI, its control characters percent-encoded (``%00``), as a
    browser's URL parser writes them and as warcio writes a space (``%20``); or None. Taken
    as it was, a NUL in it went into the document's id and URL (robust35)."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    if uri is None:
        return None
    return _URL_CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", uri)


def _fetched(record: Any) -> tuple[str | None, FieldWarning | None]:
    """The day a record was fetched (its WARC-Date), which dates a page that states no date
    of its own; None, with a warning, for one after today (a crawler's clock set wrong: read
    as a publication date it put the page after every real one, as ``unspin.dates`` says of
    publication dates) or before the year 1000."""
    raw = record.rec_headers.get_header("WARC-Date") or ""
    fetched = iso_date(raw)
    if fetched is None or parse_date(fetched) is not None:
        return fetched, None
    return None, FieldWarning("date", f"WARC-Date {why_not_a_date(fetched)}: {raw.strip()[:40]!r}")


def _cut_short(record: Any) -> bool:
    """Read the rest of a record; True when its data ended before its Content-Length.

    (Or the record has no length: a header block cut short.)"""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    # A header block cut short has no (or an empty) Content-Length: warcio then reads the
    # record as empty or as running to the end of the data, and does not complain.
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    return not length.isdigit() or not isinstance(stream, LimitReader) or stream.limit > 0


class _BoundedLineReader(DecompressingBufferedReader):
    """warcio's record reader with a line reader that is linear and refuses over-long lines.

    warcio reads WARC and HTTP header lines with ``readline``, which joins 16 KiB blocks by
    repeated ``bytes +=`` (quadratic: one 200 MB header line took minutes) and reads any
    length. This one stops at ``max_line`` bytes and raises HeaderLineTooLong; payloads are
    read with ``read`` and are not affected.

    The lines read between two reads of data (a record's WARC and HTTP header blocks, the
    blank lines before them) may add up to twice ``max_line`` bytes at most: warcio keeps
    every header line, and up to robust36 a 23 MB archive of one response with two million
    short header lines took 463 MB and 13 s to be read (a 1 GB one, all the memory).
    """

    def __init__(self, stream: Any, max_line: int) -> None:
        super().__init__(stream, block_size=BUFF_SIZE)
        self.max_line = max_line
        self.lines_read = 0  # bytes of lines since data was last read

    def read(self, length: int | None = None) -> bytes:
        self.lines_read = 0
        data: bytes = super().read(length)
        return data

    def readline(self, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        want = self.max_line + 1
        if length is not None and length > 0:
            want = min(length, want)
        parts: list[bytes] = []
        got = 0
        while got < want:
            self._fillbuff()
            if self.empty():
                break
            part = self.buff.readline(want - got)
            parts.append(part)
            got += len(part)
            if part.endswith(b"\n"):
                break
        line = b"".join(parts)
        if got > self.max_line and not line.endswith(b"\n"):
            raise HeaderLineTooLong(
                f"a header line is longer than {human_bytes(self.max_line)}; "
                "real ones are a few KiB"
            )
        self.lines_read += len(line)
        if self.lines_read > 2 * self.max_line:
            raise HeaderLineTooLong(
                f"a record's header lines add up to more than {human_bytes(2 * self.max_line)}; "
                "real ones are a few KiB"
            )
        return line


class HeaderLineTooLong(ValueError):
    """A WARC or HTTP header line past ``Limits.max_header_line_bytes``."""


# How a WARC record and an ARC file (read as WARC: ``arc2warc``) begin.
# warcio logs "Replacing spaces in invalid WARC-Target-URI: ..." through a logger nobody
# handles, so Python printed it bare, naming no file; the fix-up it reports (spaces become
# %20) is harmless, and the record is read.
logging.getLogger("warcio.recordloader").addHandler(logging.NullHandler())


class _ArchiveIterator(ArchiveIterator):
    """warcio's iterator without its own note on standard error when a record is not
    followed by the blank lines that end it (three lines naming no file, counted nowhere):
    :func:`read_warc` reports it as a warning naming the record, from ``err_count``."""

    INC_RECORD = ""


_WARC_START = b"WARC/"
_ARC_START = b"filedesc://"
# Errors of warcio's own code on input it could not parse, not messages about the input.
_PARSER_SLIPS = (AttributeError, TypeError, KeyError, IndexError)


def read_warc(
    stream: io.BufferedReader, shown: str, limits: Limits
) -> Iterator[Document | InputError | InputWarning]:
    """Documents of a WARC/ARC stream (already decompressed or not; warcio sniffs which).

    Documents before a corrupt or truncated record are yielded; then InputError is raised
    naming the record. Per-page problems (no text, too long) are yielded as InputErrors.
    """
    head = stream.peek(len(_ARC_START))
    if head[:2] == GZIP_MAGIC:
        # Gzip inside gzip: warcio would inflate the inner layer unguarded.
        raise InputError(shown, "gzip data inside gzip data; decompress the outer layer first")
    if head and not head.startswith((_WARC_START, _ARC_START[: len(head)])):
        # warcio reads any other data as an archive cut short in its first record.
        raise InputError(shown, "not a WARC or ARC archive (it does not start with 'WARC/')")
    archive = _ArchiveIterator(stream, arc2warc=True)
    # Swapped in before the first record is read (the iterator reads through this attribute).
    archive.reader = _BoundedLineReader(archive.fh, limits.max_header_line_bytes)
    records = iter(archive)
    number = 0
    pages = 0  # records that gave a document or an error: the others are not pages
    while True:
        misplaced = archive.err_count
        try:
            record = next(records)
        except StopIteration:
            if archive.err_count > misplaced:
                yield _not_ended(shown, number)
            break
        except Exception as exc:  # warcio raises assorted errors on damaged archives
            raise _broken(stream, shown, number + 1, exc) from exc
        if archive.err_count > misplaced:
            yield _not_ended(shown, number)
        number += 1
        if number > limits.max_records_per_file:
            raise InputError(
                shown,
                f"more than {limits.max_records_per_file:,} records, stopped at record {number} "
                f"({how_to_raise('max_records_per_file')})",
            )
        where = f"{shown}#{number}"
        try:
            kind = _payload_kind(record)
            items = _record_items(record, kind, where, limits) if kind else []
            truncated = _cut_short(record)
        except Exception as exc:  # same: a damaged record, or its HTTP part, fails to parse
            raise _broken(stream, shown, number, exc) from exc
        if truncated:
            raise _broken(stream, shown, number, None, _bad_length(record))
        pages += any(isinstance(item, Document | InputError) for item in items)
        yield from items
    # warcio ends quietly when the data stops inside a record's headers; its offset (the end of
    # the last whole record) falling short of the data read is the sign of that.
    if stream_problem(stream) or archive.offset < stream_length(stream):
        raise _broken(stream, shown, number + 1, None)
    if not number:
        # An empty archive (or gzip of nothing): "0 documents added, 0 inputs failed" said
        # nothing of it up to robust35.
        yield InputWarning(shown, "holds no records (an empty archive); nothing read")
    elif not pages:
        # A WAT file, a crawl of images, requests alone: "0 documents added, 0 inputs
        # failed" said nothing of why.
        yield InputWarning(
            shown,
            f"none of its {_records(number)} is a page or a text (documents come from HTML "
            "responses and HTML or plain-text resource and conversion records); nothing read",
        )


def _not_ended(shown: str, number: int) -> InputWarning:
    """The note that data follows record ``number`` where blank lines should end it."""
    return InputWarning(
        f"{shown}#{number}",
        "the record is followed by data where blank lines should end it (its Content-Length "
        "may be wrong); read on from the next record",
    )


def _bad_length(record: Any) -> str | None:
    """The problem of a record whose Content-Length is given but is no number of bytes
    (``-5``, ``0x10``); None otherwise. warcio then reads the record to the end of the data,
    and up to robust35 the error said "warc data is cut short (the file is truncated)"."""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length or length.isdigit():
        return None
    shown = length if len(length) <= 40 else length[:40] + "…"
    return f"Content-Length {shown!r} is not a number of bytes (where the record ends is unknown)"


def _broken(
    stream: io.BufferedReader,
    shown: str,
    number: int,
    exc: Exception | None,
    detail: str | None = None,
) -> InputError:
    """The error for an archive that cannot be read on at record ``number`` (``detail``: why,
    when neither the data nor an exception says)."""
    problem = stream_problem(stream) or detail  # a gzip problem explains any parse error
    if problem is None and exc is not None:
        if isinstance(exc, _PARSER_SLIPS):
            # warcio's own code tripping over a header it could not parse ("'NoneType' object
            # has no attribute 'startswith'" for an HTTP response without a status line): its
            # message says nothing to the user.
            detail = "a record's WARC or HTTP headers cannot be parsed"
        else:
            detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        problem = f"corrupt warc data ({detail})"
    problem = problem or "warc data is cut short (the file is truncated)"
    return InputError(shown, f"{problem} in record {number}; {_records(number - 1)} read before it")


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"
