r"""Turn the paths a user gives into the files to read, in a stable order.

Folders are walked recursively (links to folders followed, each real folder once) and
sorted, so two runs over the same tree read (and number) documents identically. Hidden files
and folders (``.git``, ``.DS_Store``) are skipped, as a user pointing at a folder means its
content, not its tooling; so is the store being written to and its SQLite side files, when
ingest is pointed at the folder that holds it.

File names are bytes on POSIX and need not be UTF-8 (a name copied from an old Latin-1
system); Python hands them over with the bad bytes as lone surrogates, which cannot be stored
or printed. Every name shown or used as an id goes through ``printable`` (:func:`unspin.errors.printable`,
the one way unspin shows a path): such bytes become
``\xNN`` and control characters (a newline in a name) are escaped, so one odd name neither
stops a run nor splits an error line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, printable


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, how messages show it, and its document id."""

    path: Path  # the real path, to open (may hold surrogate-escaped bytes)
    shown: str  # the path as given, or joined to the folder given; printable
    doc_id: str  # the path as given, or relative to the folder walked (posix separators)
    # A pipe named on its own (a FIFO, `<(zcat crawl.warc.gz)`, /dev/stdin) or '-' (standard
    # input): read once, as it comes, and only for records that carry their own ids.
    pipe: bool = False


DASH = "-"  # standard input, as a command line names it


STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def store_files(db: str | os.PathLike[str]) -> frozenset[Path]:
    """A SQLite store and the side files SQLite keeps beside it, as absolute paths: what an
    ingest into ``db`` must not read as input."""
    base = os.path.abspath(os.fspath(db))
    return frozenset(Path(base + suffix) for suffix in STORE_SUFFIXES)


class _Skip:
    """Which files to leave out; compared by absolute path, cheaply by name first."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self._paths = frozenset(Path(os.path.abspath(os.fspath(p))) for p in paths)
        self._names = frozenset(p.name for p in self._paths)

    def __contains__(self, path: Path) -> bool:
        if path.name not in self._names:
            return False
        # Resolve both sides only for a name that matches: symbolic links and ".." included.
        real = path.resolve()
        return any(real == p.resolve() for p in self._paths)


def open_unblocked(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for reading in binary, without waiting for a writer when it is a named
    pipe: a plain open of a FIFO no program writes to waits for ever, where this reads it as
    nothing (end of file) at once. A regular file or a pipe with its writer reads as with
    ``open(path, "rb")``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _is_pipe(path: Path) -> bool:
    """Whether ``path`` is a named pipe (after links: ``/dev/fd/63``, ``/dev/stdin``)."""
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_standard_input(item: InputFile) -> bool:
    """Whether ``item`` is '-', standard input (not a file of that name)."""
    return item.pipe and item.shown == DASH and not item.path.exists()


def refuse_a_terminal(shown: str) -> None:
    """InputError naming ``shown`` when standard input, which it names, is a terminal: no
    records are piped in, and reading would wait on the keyboard."""
    if os.isatty(0):
        raise InputError(shown, "standard input is a terminal; pipe the records in")


def open_input(item: InputFile) -> BinaryIO:
    """``item`` opened for reading in binary: standard input for '-', a pipe without waiting
    for a writer (:func:`open_unblocked`)."""
    if is_standard_input(item):
        return os.fdopen(os.dup(0), "rb")
    return open_unblocked(item.path)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _not_regular(path: Path, shown: str) -> InputError:
    """The error for a path that exists (or is a link) but is no file or folder."""
    if path.is_symlink():
        try:
            os.stat(path)
        except FileNotFoundError:
            return InputError(shown, "no such file or directory (broken symbolic link)")
        except OSError as exc:  # a loop of links (ELOOP), a folder it may not enter
            return InputError(shown, (exc.strerror or str(exc)).lower())
    return InputError(shown, "not a regular file or folder")


def _identity(folder: Path) -> tuple[int, int] | None:
    """What makes a folder the same folder whatever path leads to it (device and inode)."""
    try:
        found = os.stat(folder)
    except OSError:
        return None  # os.walk reports it through onerror when it tries to list it
    return found.st_dev, found.st_ino


def _walk_folder(root: Path, shown_root: str, skip: _Skip) -> Iterator[InputFile | InputError]:
    """Files under ``root`` sorted by relative path, skipping hidden ones and those in
    ``skip``; errors for others."""
    found: list[tuple[tuple[str, ...], Path]] = []
    problems: list[InputError] = []

    def on_error(exc: OSError) -> None:
        where = printable(str(exc.filename or shown_root))
        problems.append(InputError(where, (exc.strerror or str(exc)).lower()))

    # A link to a folder is followed, as a link to a file is (a tree of collections linked
    # in: `corpus/2024 -> /archive/2024`); each real folder is read once, and a link to a
    # folder that holds the root (a loop) is not followed, so nothing outside the folder
    # given is read through it. Not followed, the files under such a link were left out
    # without a word.
    seen = {_identity(root)}
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        # Pruning in place stops os.walk from descending into hidden folders.
        kept = []
        for name in sorted(d for d in dirnames if not _hidden(d)):
            sub = Path(folder, name)
            identity = _identity(sub)
            if identity in seen or (sub.is_symlink() and real_root.is_relative_to(sub.resolve())):
                continue
            seen.add(identity)
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            path = Path(folder, name)
            if not _hidden(name) and path not in skip:
                found.append((path.relative_to(root).parts, path))
    yield from problems
    if not found and not problems:
        yield InputError(
            printable(shown_root),
            "folder holds no files to read (hidden files and folders are skipped)",
        )
    # Sorted by the names as the file system has them; two runs agree whatever they hold.
    for parts, path in sorted(found):
        shown = printable(os.path.join(shown_root, *parts))
        if path.is_file():
            yield InputFile(path=path, shown=shown, doc_id=printable("/".join(parts)))
        else:
            yield _not_regular(path, shown)


def iter_files(
    paths: Iterable[str | os.PathLike[str]], *, skip: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[InputFile | InputError]:
    """The files named by ``paths`` (files, or folders walked recursively), in order.

    A path that does not exist, or cannot be listed, gives an InputError in its place. Files
    in ``skip`` are left out of folders; named on their own, they give an InputError.
    """
    skipped = _Skip(skip)
    for given in paths:
        raw = os.fspath(given)
        shown = printable(raw)
        path = Path(raw)
        if path.is_dir():
            yield from _walk_folder(path, raw, skipped)
        elif path in skipped:
            yield InputError(shown, "is the store this ingest writes to, not an input")
        elif path.is_file():
            yield InputFile(path=path, shown=shown, doc_id=printable(path.as_posix()))
        elif _is_pipe(path) or raw == DASH:
            # Up to robust35 a pipe was "not a regular file or folder" and '-' was refused
            # ("ingest does not read standard input"), though trace, compare and score read
            # both: `zcat crawl.warc.gz | unspin ingest -` could not be written.
            yield InputFile(path=path, shown=shown, doc_id=shown, pipe=True)
        elif path.exists() or path.is_symlink():
            yield _not_regular(path, shown)
        else:
            yield InputError(shown, "no such file or directory")
