"""Size limits for reading untrusted files, and a gzip stream that enforces them.

Everything ingest reads comes from outside: a crawl, a dump, a folder a user points at. The
limits keep one bad file from exhausting memory or time, and each error they raise says how
large the input was, what the limit is, and which ``unspin ingest`` option raises it.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..validate import Rule, check_fields, count

MIB = 1024 * 1024
GIB = 1024 * MIB

GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Limits:
    """How much ingest reads before it gives up on a file or record.

    - ``max_file_bytes`` (64 MiB): the most bytes read into memory at once: a whole text, HTML
      or JSON-array file, one JSON Lines line, or one WARC record's payload. The longest real
      documents (a full novel is 1-5 MB, a heavy news page a few MB) fit many times over, while
      an accidental disk image or database dump is refused before it is loaded. What is read
      at once may hold one JSON value for every 16 bytes of it (see ``too_many_json_values``).
    - ``max_document_chars`` (10 million): the longest text kept as one document. *War and
      Peace* is 3.2 million characters; anything longer is almost always a concatenated dump,
      and alignment cost grows with document length.
    - ``max_records_per_file`` (1 million): JSON Lines lines or WARC records read from one
      file, so a runaway or generated file ends with a clear error instead of a silent flood.
    - ``max_decompressed_bytes`` (4 GiB): bytes a gzip file may expand to. Streamed formats
      never hold this in memory, so the limit bounds time: a full Common Crawl WARC file
      (about 1 GiB compressed, 3-5 GiB raw) still reads, a gzip bomb stops within seconds.
    - ``max_parse_seconds`` (30): wall-clock time one HTML page may take to parse and extract,
      in a worker process that is killed when it runs over (see ``bounded``). A heavy real
      page takes well under a second; lxml on markup built to stall it takes minutes.
    - ``max_tag_attributes`` (1,000): attributes one HTML tag may carry, checked before
      parsing. lxml's time grows with the square of this count (100,000 attributes on one tag
      took over 100 s); real pages stay in the tens.
    - ``max_header_line_bytes`` (1 MiB): the longest WARC or HTTP header line in an archive.
      Real header lines are a few KiB (the longest are cookies); a 200 MB header line kept
      warcio's line reader busy for minutes.
    """

    max_file_bytes: int = 64 * MIB
    max_document_chars: int = 10_000_000
    max_records_per_file: int = 1_000_000
    max_decompressed_bytes: int = 4 * GIB
    max_parse_seconds: int = 30
    max_tag_attributes: int = 1_000
    max_header_line_bytes: int = MIB

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


# Each limit is a whole number of 1 or more, checked as every config is (unspin.validate): a
# bad one is a ConfigError naming the field, the value and the default, as the others say it.
_RULES: dict[str, Rule] = {
    "max_file_bytes": count(1, "bytes read into memory at once"),
    "max_document_chars": count(1, "characters kept as one document"),
    "max_records_per_file": count(1, "records read from one file"),
    "max_decompressed_bytes": count(1, "bytes a gzip file may expand to"),
    "max_parse_seconds": count(1, "seconds one HTML page may take"),
    "max_tag_attributes": count(1, "attributes one HTML tag may carry"),
    "max_header_line_bytes": count(1, "bytes of one WARC or HTTP header line"),
}


# The ``unspin ingest`` option that sets each limit a user may want to raise, so messages name
# what the user can change rather than an internal field.
CLI_OPTIONS = {
    "max_file_bytes": "--max-mb",
    "max_document_chars": "--max-chars",
    "max_records_per_file": "--max-records",
    "max_decompressed_bytes": "--max-decompressed-mb",
    "max_parse_seconds": "--max-parse-seconds",
}


def how_to_raise(field: str, command: str = "ingest") -> str:
    """The end of a limit message: which option of ``unspin COMMAND`` raises the limit
    ``field`` (``cluster`` takes ``--max-records`` and ``--max-decompressed-mb`` too).

    >>> how_to_raise("max_file_bytes")
    'unspin ingest --max-mb raises it'
    """
    return f"unspin {command} {CLI_OPTIONS[field]} raises it"


def split_instead(err: InputError) -> InputError:
    """``err`` as a command that reads one text at a time (``trace``, ``compare``, ``score``,
    ``spin``) says it: a readers' size limit ends with the ``unspin ingest`` option that
    raises it, which those commands do not take, so they say to split the text instead
    (``unspin trace big.txt`` answered "... (unspin ingest --max-chars raises it)" up to
    robust30). Other errors are returned as they are.

    >>> split_instead(InputError("big.txt", too_big("document", "12 characters", "10-character",
    ...                                              "max_document_chars"))).problem
    'document is 12 characters, over the 10-character limit (split it into articles)'
    """
    for field in ("max_file_bytes", "max_document_chars"):
        hint = f"({how_to_raise(field)})"
        if err.problem.endswith(hint):
            return InputError(err.path, f"{err.problem.removesuffix(hint)}(split it into articles)")
    return err


def human_bytes(n: int) -> str:
    """``1536`` -> ``'1.5 KiB'``: sizes in messages people read."""
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # the loop always returns at GiB


def too_big(what: str, size: str, limit: str, field: str) -> str:
    """One-line problem text for an input over a limit, with the way to raise it."""
    return f"{what} is {size}, over the {limit} limit ({how_to_raise(field)})"


def over_limit(what: str, limit: str, field: str) -> str:
    """Like ``too_big``, for an input read only up to the limit (its full size is unknown)."""
    return f"{what} exceeds the {limit} limit ({how_to_raise(field)})"


# A JSON value parsed takes some 60 to 70 bytes of Python objects (an empty object: a 64-byte
# dict and its slot in the list holding it) where its text may take 3 ("{},"): a 60 MB line
# of 20,000,000 empty objects in a field nobody reads took 1.57 GB and 4.5 s to ingest, and
# as much in `cluster --input` (up to robust36). One value for every 16 bytes of the limit on
# what is read at once (4,194,304 for 64 MiB) keeps a record's values near 300 MB whatever
# they are; a real record is a text and a few fields, and holds one value for every few
# hundred bytes. Counted before parsing: a string (which may hold any of these characters)
# is taken out, then every value but the first follows a "," or ":" or opens an object or
# array (an empty one counts twice: an upper bound).
BYTES_PER_JSON_VALUE = 16
MIN_JSON_VALUES = 1_000  # however low the limit: a record's own fields always fit
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_STRING_BYTES = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def too_many_json_values(data: str | bytes, max_bytes: int, option: bool = True) -> str | None:
    """The problem of JSON text ``data`` (a line, or a file read whole) that holds more
    values than one for every ``BYTES_PER_JSON_VALUE`` bytes of ``max_bytes``, else None;
    ``option``: end it with the ``unspin ingest`` option that raises the limit.

    >>> too_many_json_values("[" + ",".join(["{}"] * 1000) + "]", 16_000)
    'holds more than 1,000 JSON values (objects, arrays, strings, numbers), which would take \
some 70 bytes of memory each: a record is a text and a few fields (unspin ingest --max-mb \
raises it)'
    >>> too_many_json_values('{"text": "' + "{}," * 1000 + '"}', 16_000) is None
    True
    """
    cap = max(MIN_JSON_VALUES, max_bytes // BYTES_PER_JSON_VALUE)
    if len(data) < cap:  # each value counted is one character of its own
        return None
    if isinstance(data, bytes):
        bare_bytes = _JSON_STRING_BYTES.sub(b"", data)
        count = sum(bare_bytes.count(c) for c in (b",", b":", b"{", b"["))
    else:
        bare = _JSON_STRING.sub("", data)
        count = sum(bare.count(c) for c in ",:{[")
    if count + 1 <= cap:
        return None
    return (
        f"holds more than {cap:,} JSON values (objects, arrays, strings, numbers), which would "
        f"take some 70 bytes of memory each: a record is a text and a few fields"
    ) + (f" ({how_to_raise('max_file_bytes')})" if option else "")


def too_many_blank_lines(
    most: int, line_no: int, option: bool = True, command: str = "ingest"
) -> str:
    """The problem of a file of records that holds more than ``most`` blank lines, read up
    to ``line_no``. A blank line costs the reader time as a record does, and up to robust36
    they had no bound: a gzip file of 2 MB holding 2 GiB of line feeds kept ``ingest`` busy
    past ten minutes (``max_decompressed_bytes`` bounds the bytes, 4 GiB). A real file holds
    a blank line between records at most.

    >>> too_many_blank_lines(1_000, 1_204)
    'more than 1,000 blank lines, stopped at line 1,204: a file of records holds one a line \
(unspin ingest --max-records raises it)'
    """
    end = f" ({how_to_raise('max_records_per_file', command)})" if option else ""
    return (
        f"more than {most:,} blank lines, stopped at line {line_no:,}: a file of records holds "
        f"one a line{end}"
    )


def check_file_size(path: Path, shown: str, limits: Limits) -> None:
    """Refuse a file that would be read into memory whole if it is over ``max_file_bytes``."""
    check_size(path.stat().st_size, shown, limits)


def check_size(size: int, shown: str, limits: Limits) -> None:
    """Refuse content of ``size`` bytes, read whole, if it is over ``max_file_bytes``."""
    if size > limits.max_file_bytes:
        raise InputError(
            shown,
            too_big(
                "file",
                human_bytes(size),
                human_bytes(limits.max_file_bytes),
                "max_file_bytes",
            ),
        )


def check_document(text: str, where: str, limits: Limits) -> None:
    """Refuse a document text longer than ``max_document_chars``."""
    if len(text) > limits.max_document_chars:
        raise InputError(
            where,
            too_big(
                "document",
                f"{len(text):,} characters",
                f"{limits.max_document_chars:,}-character",
                "max_document_chars",
            ),
        )


class _GunzipReader(io.RawIOBase):
    """Decompress a (multi-member) gzip file incrementally, counting the bytes it yields.

    When the data is cut short, corrupt, or expands past the limit, the reader hands out
    everything it could decompress, then reports end of file and keeps the reason in
    ``problem``. Raising instead would make buffered readers drop the data of the failing read,
    and ``gzip.GzipFile`` raises ``EOFError``, which parsers such as warcio take for a normal
    end of input; callers check ``problem`` once the data runs out (see ``stream_problem``).
    """

    _CHUNK = 64 * 1024

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        super().__init__()
        self._raw = raw
        self._limit = limit
        self.count = 0
        self._inflater = zlib.decompressobj(wbits=31)
        self._pending = b""  # compressed input for a new member, not yet given to the inflater
        self.problem: str | None = None
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if not len(buffer):
            return 0
        while not self._done:
            data = self._inflate(min(len(buffer), self._limit - self.count + 1))
            if not data:
                continue
            self.count += len(data)
            if self.count > self._limit:
                self._stop(
                    over_limit(
                        "decompressed data", human_bytes(self._limit), "max_decompressed_bytes"
                    )
                    + "; it may be a decompression bomb"
                )
                return 0
            buffer[: len(data)] = data
            return len(data)
        return 0

    def _stop(self, problem: str | None) -> bytes:
        self.problem = problem
        self._done = True
        return b""

    def _inflate(self, want: int) -> bytes:
        """Return up to ``want`` decompressed bytes; ``b''`` means "call again" or done."""
        inflater = self._inflater
        if inflater.eof:
            # Concatenated members (how WARC.gz is written): start the next one. Some tools pad
            # the file with zero bytes after the last member; those are not data.
            rest = inflater.unused_data or self._raw.read(self._CHUNK)
            while rest and not rest.strip(b"\x00"):
                rest = self._raw.read(self._CHUNK)
            if not rest:
                return self._stop(None)
            self._inflater = zlib.decompressobj(wbits=31)
            self._pending = rest
            return b""
        source = inflater.unconsumed_tail or self._pending or self._raw.read(self._CHUNK)
        self._pending = b""
        if not source:
            return self._stop("gzip data is cut short (the file is truncated)")
        try:
            # max_length bounds memory per call: one compressed chunk can expand ~1000-fold.
            return inflater.decompress(source, want)
        except zlib.error as exc:
            return self._stop(f"corrupt gzip data ({exc})")


class _ClosingBuffered(io.BufferedReader):
    """A buffered gzip reader that also closes the underlying file when it is closed."""

    def __init__(self, reader: _GunzipReader, raw: BinaryIO) -> None:
        super().__init__(reader, buffer_size=256 * 1024)
        self.gunzip = reader
        self._file = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._file.close()


def open_stream(path: Path, limits: Limits) -> io.BufferedReader:
    """Open ``path`` for buffered binary reading, decompressing it when it is gzip.

    A gzip file is decompressed incrementally with ``max_decompressed_bytes`` enforced, so a
    caller may stream it line by line or record by record without trusting its size. Once a
    read returns no more data, ``stream_problem`` says whether the data ended early.
    """
    raw = path.open("rb")
    try:
        return wrap_stream(raw, limits)
    except OSError:
        raw.close()
        raise


def wrap_stream(raw: io.BufferedReader, limits: Limits) -> io.BufferedReader:
    """``raw`` as :func:`open_stream` gives it: decompressed (with the limits) when it is
    gzip, as it is otherwise. For content already in memory, wrap
    ``io.BufferedReader(io.BytesIO(data))``; closing the result closes ``raw``."""
    if raw.peek(2)[:2] != GZIP_MAGIC:
        return raw
    return _ClosingBuffered(_GunzipReader(raw, limits.max_decompressed_bytes), raw)


def stream_length(stream: io.BufferedReader) -> int:
    """Bytes of (decompressed) data in a stream from ``open_stream`` that was read to its end."""
    if isinstance(stream, _ClosingBuffered):
        return stream.gunzip.count
    return stream.tell()


def stream_problem(stream: BinaryIO) -> str | None:
    """Why a stream from ``open_stream`` ended early (truncated, corrupt, too large), or None."""
    return stream.gunzip.problem if isinstance(stream, _ClosingBuffered) else None


def read_limited(stream: BinaryIO, shown: str, limits: Limits) -> bytes:
    """Read a whole (possibly decompressed) stream, refusing more than ``max_file_bytes``."""
    data = stream.read(limits.max_file_bytes + 1)
    problem = stream_problem(stream)
    if problem:
        raise InputError(shown, problem)
    if len(data) > limits.max_file_bytes:
        raise InputError(
            shown,
            over_limit("decompressed file", human_bytes(limits.max_file_bytes), "max_file_bytes"),
        )
    return data
