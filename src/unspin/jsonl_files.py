"""JSON Lines files that unspin writes or ships: cluster stage files, the demo corpus, and the
file ``unspin cluster --input`` reads.

One reader and one writer for them (the ingest reader for untrusted corpus exports, with its
per-record limits, is :mod:`unspin.read.jsonl`). The reader takes what ingest takes: a
UTF-8 byte-order mark, a UTF-16 or UTF-32 file with its mark, a ``.gz`` file. Blank lines
are skipped; a line that is
not JSON, or names a key twice in an object, is an :class:`~unspin.errors.InputError`
naming ``file:LINE``; the writer writes
under a temporary name and renames, so a crashed run never leaves a file that looks complete.

>>> import tempfile, pathlib
>>> folder = tempfile.TemporaryDirectory()
>>> path = pathlib.Path(folder.name) / "rows.jsonl"
>>> write_jsonl(path, [{"id": "a"}, {"id": "b"}])
2
>>> list(numbered_jsonl(path))
[(1, {'id': 'a'}), (2, {'id': 'b'})]
>>> _ = path.write_text('{"id": "a"}\\n{oops\\n')
>>> list(read_jsonl(path))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
unspin.errors.InputError: ...rows.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes)
>>> folder.cleanup()
"""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any, cast

from .errors import InputError
from .json_keys import RepeatedKey, refusing_repeated_keys
from .read.limits import (
    Limits,
    how_to_raise,
    human_bytes,
    too_many_blank_lines,
    too_many_json_values,
)

# Blank lines a user's file may hold (with ``max_line_chars``), as ingest allows records.
MAX_BLANK_LINES = Limits().max_records_per_file


def numbered_jsonl(
    path: Path | Traversable,
    hint: str = "",
    max_line_chars: int | None = None,
    shown: str | None = None,
    bounds: tuple[Limits, str] | None = None,
) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` of every non-blank line; ``hint`` ends the message of a line
    that is not JSON (what the file should hold), and messages name the file ``shown``
    (default: ``path``). A line longer than ``max_line_chars`` is
    an InputError read no further than that: a file given by a user may be one endless line
    (``/dev/zero``), which was read until the memory ran out; with ``max_line_chars``, so
    are more than :data:`MAX_BLANK_LINES` blank lines (a gzip of line feeds).

    ``bounds``: ``(limits, command)`` for a file whose every record the caller keeps
    (``cluster --input``): more than ``max_records_per_file`` records or blank lines, or
    more than ``max_decompressed_bytes`` bytes read (decompressed when it is gzip), is an
    InputError saying which option of ``unspin COMMAND`` raises the limit. Up to robust37
    a gzip file of 136 KB holding 5,000,000 records of one letter took ``cluster --input``
    to a MemoryError at 3.8 GB (``ulimit -v 4000000``)."""
    cap = -1 if max_line_chars is None else max_line_chars + 1
    name = str(path) if shown is None else shown
    most_blank = MAX_BLANK_LINES if bounds is None else bounds[0].max_records_per_file
    most = None if bounds is None else bounds[0].max_records_per_file
    command = "ingest" if bounds is None else bounds[1]  # whose options raise the limits
    blank = records = 0
    with _text(path, None if bounds is None else (*bounds, name)) as fh:
        for number, line in enumerate(iter(lambda: fh.readline(cap), ""), 1):
            if max_line_chars is not None and len(line.rstrip("\r\n")) > max_line_chars:
                raise InputError(
                    f"{name}:{number}",
                    f"line is over {max_line_chars:,} characters, the most one record may hold",
                )
            if not line.strip():
                blank += 1
                if (max_line_chars is not None or bounds is not None) and blank > most_blank:
                    option = bounds is not None
                    raise InputError(
                        name, too_many_blank_lines(most_blank, number, option, command)
                    )
                continue
            records += 1
            if most is not None and records > most:
                raise InputError(
                    name,
                    f"more than {most:,} records, stopped at line {number:,}: every record is "
                    f"kept in memory ({how_to_raise('max_records_per_file', command)})",
                )
            if max_line_chars is not None and (
                problem := too_many_json_values(line, max_line_chars, option=False)
            ):
                raise InputError(f"{name}:{number}", f"line {problem}")
            try:
                # A byte-order mark starts a later line of files joined with cat, as ingest
                # reads them (unspin.read.jsonl).
                value = json.loads(
                    line.removeprefix("\ufeff"), object_pairs_hook=refusing_repeated_keys
                )
            except json.JSONDecodeError as exc:
                problem = f"not valid JSON ({exc.msg})" + (f"; {hint}" if hint else "")
                raise InputError(f"{name}:{number}", problem) from exc
            except RepeatedKey as exc:
                raise InputError(f"{name}:{number}", str(exc)) from exc
            except RecursionError as exc:
                # Arrays or objects nested some 100,000 deep (a line of "[[[[..."): up to
                # robust37 a RecursionError traceback from ``cluster --input``; ingest's
                # reader already said this.
                problem = "not valid JSON (nested too deeply)" + (f"; {hint}" if hint else "")
                raise InputError(f"{name}:{number}", problem) from exc
            yield number, value


class _Counted(io.RawIOBase):
    """``stream`` read through, ending in InputError(``name``, ``problem``) past ``most``
    bytes of it."""

    def __init__(self, stream: Any, most: int, name: str, problem: str) -> None:
        super().__init__()
        self._stream = stream
        self._most = most
        self._name = name
        self._problem = problem
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._stream.readinto(buffer) or 0
        self.count += n
        if self.count > self._most:
            raise InputError(self._name, self._problem)
        return n

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            super().close()


@contextmanager
def _text(
    path: Path | Traversable, bounds: tuple[Limits, str, str] | None = None
) -> Iterator[IO[str]]:
    """``path`` as text, read as ingest reads a JSON Lines file: ``cluster --input`` refused
    a file with a UTF-8 byte-order mark ("Unexpected UTF-8 BOM"), a UTF-16 one ("not UTF-8
    text (byte 0)") and a ``.gz`` one, all of which ``unspin ingest`` reads. ``bounds``:
    ``(limits, command, name)``, read no more than ``max_decompressed_bytes`` of it."""
    from .read.jsonl import wide_encoding
    from .read.walk import open_unblocked

    # A FIFO no program writes to (`cluster --input FIFO`) is read as empty, not waited on
    # for ever (up to robust34).
    with open_unblocked(path) if isinstance(path, Path) else path.open("rb") as opened:
        raw: Any = opened if hasattr(opened, "peek") else io.BufferedReader(cast(Any, opened))
        # Gzip by its name, or by its first bytes when the name says nothing of it: up to
        # robust35 `cluster --input <(zcat ... | gzip)` or gzip through /dev/stdin said "not
        # UTF-8 text (byte 1)", where ingest recognises gzip whatever the name.
        zipped = path.name.endswith(".gz") or raw.peek(2)[:2] == b"\x1f\x8b"
        stream: Any = gzip.GzipFile(fileobj=raw) if zipped else raw
        encoding = wide_encoding(stream.peek(4)[:4]) or "utf-8-sig"
        if bounds is not None:
            limits, command, name = bounds
            most = limits.max_decompressed_bytes
            how = how_to_raise("max_decompressed_bytes", command)
            problem = (
                f"decompressed data exceeds the {human_bytes(most)} limit ({how}); it may be "
                "a decompression bomb"
                if zipped
                else f"data read exceeds the {human_bytes(most)} limit: every record is kept "
                f"in memory ({how})"
            )
            stream = io.BufferedReader(_Counted(stream, most, name, problem))
        with io.TextIOWrapper(stream, encoding=encoding) as fh:
            yield fh


def read_jsonl(path: Path | Traversable) -> Iterator[Any]:
    """The value of every non-blank line."""
    for _, value in numbered_jsonl(path):
        yield value


@contextmanager
def replaced_atomically(
    path: Path, newline: str | None = None, mode: int | None = None
) -> Iterator[IO[str]]:
    """A text file that becomes ``path`` (by rename) only once the ``with`` block ends well;
    ``mode``: its permissions (those of the file it replaces), else the umask's.

    The temporary file's name is this writer's own (``NAME.RANDOM.tmp`` beside ``path``):
    two processes writing one path at once (two cluster runs into one ``--out``) each write
    a whole file and the last rename wins, where a shared temporary name had them write into
    one file and the second rename fail. An exception (Ctrl-C too) removes the temporary
    file; only SIGKILL can leave one behind, never under ``path``'s own name."""
    # Not mkstemp: its files are private (0600); an output keeps the umask's permissions.
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(6)}.tmp")
    fh = tmp.open("x", encoding="utf-8", newline=newline)  # "x": never another writer's file
    try:
        with fh:
            yield fh
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename is not None:
            raise
        # A write's error names no file: up to robust35 `cluster --out` on a full disk said
        # "standard output: file too large" (the CLI's guess for an unnamed one).
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, rows: Iterable[Any], dumps: Callable[[Any], str] | None = None) -> int:
    """Write rows as JSON Lines atomically (temporary file, then rename); returns the count."""
    dump = dumps or (lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
    n = 0
    with replaced_atomically(path) as fh:
        for row in rows:
            fh.write(dump(row) + "\n")
            n += 1
    return n
