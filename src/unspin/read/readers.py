"""Pick the reader for each file and run it, turning every failure into an InputError.

The format comes from the file name first (``.warc.gz``, ``.jsonl``, ``.html``...) and from the
content when the name says nothing: a folder of crawled pages saved without extensions is
common. Gzip is recognised by its magic bytes, whatever the name.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError, InputWarning
from ..types import Document
from .limits import GZIP_MAGIC, Limits, check_size, open_stream, read_limited, wrap_stream
from .mojibake import put_back
from .plain import WIDE_BOMS, read_text
from .walk import InputFile, iter_files, printable

log = logging.getLogger(__name__)

FORMATS = ("text", "html", "jsonl", "json", "warc")

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".warc": "warc",
    ".arc": "warc",
}
_SNIFF_BYTES = 1024
_GZIP_SNIFF_BYTES = 64 * 1024  # compressed bytes read to find the first _SNIFF_BYTES in gzip

Item = Document | InputError | InputWarning


def _head(path: Path) -> bytes:
    """The first bytes of a file's content, decompressed when it is gzip."""
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
        if head.startswith(GZIP_MAGIC):
            head += fh.read(_GZIP_SNIFF_BYTES)
    return _head_of(head)


def _head_of(data: bytes) -> bytes:
    """The first bytes of content (given at least its first _SNIFF_BYTES, and
    _GZIP_SNIFF_BYTES more when it is gzip), decompressed when it is gzip."""
    if not data.startswith(GZIP_MAGIC):
        return data[:_SNIFF_BYTES]
    try:
        return zlib.decompressobj(wbits=31).decompress(data, _SNIFF_BYTES)
    except zlib.error:
        return b""  # the reader will report the corrupt data


def looks_like_html(head: bytes) -> bool:
    """Whether content opens like an HTML page (after a BOM, an XML declaration, comments)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") or text.startswith(b"<!--"):
        return b"<html" in text
    return text.startswith((b"<!doctype html", b"<html"))


# A JSON object's first key, as JSON Lines records and JSON files open: ``{"id":``. Plain text
# that opens with a brace, a quoted string and a colon is not written by people.
_KEY = rb'\{[ \t]*"(?:[^"\\\r\n]|\\.){0,256}"[ \t]*:'
_JSONL_HEAD = re.compile(_KEY)
_JSON_HEAD = re.compile(rb"(?:\[\s*)?" + _KEY.replace(rb"[ \t]*", rb"\s*"))


def looks_like_json(head: bytes) -> str | None:
    """``'jsonl'`` when content opens as a JSON Lines record (its first line an object's start:
    ``{"id": ...``), ``'json'`` when as a JSON file (an array of objects, or one object
    written over several lines); None otherwise. Up to robust35 such content without a name
    that says so (a pipe, ``/dev/stdin``, a file without an extension) was read as
    plain text: its records' keys, quotes and ``\\n`` escapes became the document's words.

    >>> looks_like_json(b'{"id": "a", "text": "One."}'), looks_like_json(b'[\\n  {\\n "id": 1')
    ('jsonl', 'json')
    >>> looks_like_json(b'{"Hello," she said}'), looks_like_json(b"[Reuters] Oil rose.")
    (None, None)
    """
    for bom, codec in WIDE_BOMS:
        if head.startswith(bom):  # JSON Lines in UTF-16 (PowerShell's default) reads too
            head = head.decode(codec, errors="ignore").encode("utf-8")
            break
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if _JSONL_HEAD.match(head):
        return "jsonl"
    if _JSON_HEAD.match(head):
        return "json"
    return None


def detect_format(path: Path, head: bytes) -> str:
    """One of FORMATS for a file, from its name or else its first (decompressed) bytes."""
    name = path.name.lower()
    stem = name.removesuffix(".gz")
    fmt = _BY_SUFFIX.get(os.path.splitext(stem)[1])
    if fmt == "text" and looks_like_html(head):
        return "html"  # a saved page named .txt is still a page
    if fmt is not None:
        return fmt
    if head.startswith(b"WARC/") or head.startswith(b"filedesc://"):
        return "warc"
    if looks_like_html(head):
        return "html"
    return looks_like_json(head) or "text"


def _read(item: InputFile, limits: Limits) -> Iterator[Item]:
    """Documents of one file, with yielded InputErrors for bad records in it (and
    InputWarnings for what reading changed, each before its document).

    Raises InputError when the file as a whole cannot be read (records yielded before the
    failure stay valid).
    """
    if item.pipe:
        yield from _mojibake_put_back(_read_pipe(item, limits))
        return
    try:
        fmt = detect_format(item.path, _head(item.path))
    except OSError as exc:
        raise InputError(item.shown, (exc.strerror or str(exc)).lower()) from exc
    yield from _mojibake_put_back(
        _read_as(
            fmt,
            item.shown,
            item.doc_id,
            lambda: open_stream(item.path, limits),
            lambda: item.path.stat().st_size,
            limits,
        )
    )


# What a pipe holds when it is no records: a text or page would be stored under the pipe's
# name (/dev/fd/63, '-'), the same for every pipe.
_NO_NAME = (
    "a text or page read from a pipe has no name to store it under; save it to a file and "
    "ingest that (a pipe is read when it gives JSON Lines, JSON or WARC records)"
)


def _read_pipe(item: InputFile, limits: Limits) -> Iterator[Item]:
    """The records of a pipe named on its own (or standard input), read once as they come:
    its first bytes say the format (gzip decompressed), then they are read again from
    memory before the rest. JSON Lines and WARC are streamed as a file's are, so a pipe
    may hold more than ``max_file_bytes``; a JSON value is read whole within it."""
    from .walk import is_standard_input, open_input, refuse_a_terminal

    if is_standard_input(item):
        refuse_a_terminal(item.shown)
    try:
        stream = open_input(item)
    except OSError as exc:
        raise InputError(item.shown, (exc.strerror or str(exc)).lower()) from exc
    with stream:
        try:
            head = stream.read(_SNIFF_BYTES)
            if head.startswith(GZIP_MAGIC):
                head += stream.read(_GZIP_SNIFF_BYTES)
        except OSError as exc:
            raise InputError(item.shown, (exc.strerror or str(exc)).lower()) from exc
        if not head:
            raise InputError(
                item.shown, "nothing to read: no program writes to this pipe, or it wrote nothing"
            )
        fmt = detect_format(item.path, _head_of(head))
        if fmt in ("text", "html"):
            raise InputError(item.shown, _NO_NAME)
        replay: io.BufferedReader = io.BufferedReader(_Replay(head, stream))
        yield from _read_as(
            fmt, item.shown, item.doc_id, lambda: wrap_stream(replay, limits), lambda: 0, limits
        )


class _Replay(io.RawIOBase):
    """Bytes already read from a stream (``head``), then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_as(
    fmt: str,
    shown: str,
    doc_id: str,
    open_content: Callable[[], io.BufferedReader],
    size: Callable[[], int],
    limits: Limits,
) -> Iterator[Item]:
    """Content in format ``fmt`` read by its reader; ``open_content`` opens it (decompressed)
    and ``size`` is its size as stored. The same for a file and for bytes in memory."""
    try:
        if fmt in ("jsonl", "warc"):  # streamed: memory is bounded per record, not per file
            with open_content() as stream:
                # Each reader is imported for the files that need it: a plain text file
                # (`unspin compare a.txt b.txt`) never pays for trafilatura or warcio.
                if fmt == "jsonl":
                    from .jsonl import read_jsonl

                    yield from read_jsonl(stream, shown, limits)
                else:
                    from .warc import read_warc

                    yield from read_warc(stream, shown, limits)
            return
        check_size(size(), shown, limits)
        with open_content() as stream:
            data = read_limited(stream, shown, limits)
    except OSError as exc:
        raise InputError(shown, (exc.strerror or str(exc)).lower()) from exc
    if fmt == "json":
        from .jsonl import read_json

        yield from read_json(data, shown, limits)
    elif fmt == "html":
        from .html import read_html

        yield from read_html(data, shown, doc_id, limits)
    else:
        yield from read_text(data, shown, doc_id, limits)


def _mojibake_put_back(items: Iterator[Item]) -> Iterator[Item]:
    """``items`` with each document's garbled encoding put back, a note before each one
    repaired (:mod:`unspin.read.mojibake`)."""
    for item in items:
        if isinstance(item, Document):
            text, note = put_back(item.text, item.path or item.id)
            if note is not None:
                title = put_back(item.title, item.id)[0] if item.title else item.title
                yield note
                item = replace(item, text=text, title=title)
        yield item


def read_bytes(data: bytes, name: str, limits: Limits | None = None) -> Iterator[Item]:
    """The documents of a file's content held in memory (an upload), read as
    :func:`iter_inputs` reads a file called ``name``: the format from the name's ending, or
    else from the content; ``name`` is the document id of a text or page and names every
    error. Never raises for bad content: an InputError is yielded in its place (records
    before it stay valid).

    >>> docs = read_bytes(b'{"id": "a", "text": "One."}\\n{"text": ""}\\n', "news.jsonl")
    >>> [getattr(d, "text", None) or str(d) for d in docs]
    ['One.', "news.jsonl:2: missing required field 'id'"]
    >>> [d.id for d in read_bytes(b"<html><body><p>A page.</p></body></html>", "p.txt")]
    ['p.txt']
    """
    limits = limits or Limits()
    shown = printable(name)
    fmt = detect_format(Path(name), _head_of(data[: _SNIFF_BYTES + _GZIP_SNIFF_BYTES]))
    items = _read_as(
        fmt,
        shown,
        shown,
        lambda: wrap_stream(io.BufferedReader(io.BytesIO(data)), limits),
        lambda: len(data),
        limits,
    )
    yield from _reported(_mojibake_put_back(items), shown)


def _reported(items: Iterator[Item], shown: str) -> Iterator[Item]:
    """``items``, with a failure of the whole input yielded as an InputError in its place."""
    try:
        yield from items
    except InputError as err:
        yield err
    except Exception as exc:
        # A library failing in a way we did not foresee must not end a long ingest run;
        # the error names the file so the bug can be reported and reproduced.
        log.warning("unexpected error reading %s", shown, exc_info=True)
        yield InputError(
            shown,
            f"could not be read (internal error {type(exc).__name__}: {exc}); "
            "please report this with the file",
        )


def read_file(path: str | os.PathLike[str], limits: Limits | None = None) -> Iterator[Document]:
    """Read the documents of one file; raise InputError at the first problem.

    Strict: a bad record in a JSON Lines or WARC file raises too (``iter_inputs`` reports it
    and reads on). Warnings (stray NULs removed) are logged. A folder is refused.
    """
    limits = limits or Limits()
    given = os.fspath(path)
    if Path(given).is_dir():
        raise InputError(printable(given), "is a folder, not a file (unspin ingest reads folders)")
    found = next(iter_files([given]))
    if isinstance(found, InputError):
        raise found
    yield from _strictly(_read(found, limits))


def read_data(data: bytes, name: str, limits: Limits | None = None) -> Iterator[Document]:
    """:func:`read_bytes`, strict as :func:`read_file` is: the documents of a file's content
    held in memory (what a pipe gave), InputError at the first problem."""
    yield from _strictly(read_bytes(data, name, limits))


def _strictly(items: Iterator[Item]) -> Iterator[Document]:
    """The documents of ``items``; raise its first InputError, log its warnings."""
    for item in items:
        if isinstance(item, InputError):
            raise item
        if isinstance(item, InputWarning):
            log.warning("%s", item)
            continue
        yield item


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    limits: Limits | None = None,
    *,
    skip: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[Document | InputError | InputWarning]:
    """Documents of every file under ``paths``, and an InputError for each thing unreadable.

    Never raises for bad input: a missing path, a binary file, a malformed record or a
    truncated archive each become an InputError in the stream, and reading goes on with the
    next record or file. An InputWarning comes just before a document that reading changed
    (stray NUL bytes removed). Files in ``skip`` are left out (ingest skips its own store; see
    ``walk.store_files``).
    """
    limits = limits or Limits()
    if isinstance(paths, str | os.PathLike):  # one path, not an iterable of its characters
        paths = [paths]
    for found in iter_files(paths, skip=skip):
        if isinstance(found, InputError):
            yield found
            continue
        yield from _reported(_read(found, limits), found.shown)
