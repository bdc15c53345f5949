"""Turn the paths a user gives into the files to read, in a stable order.

Folders are walked recursively and sorted, so two runs over the same tree read (and number)
documents identically. Hidden files and folders (``.git``, ``.DS_Store``) are skipped, as a
user pointing at a folder means its content, not its tooling.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, how messages show it, and its document id."""

    path: Path
    shown: str  # the path as given, or joined to the folder given
    doc_id: str  # the path as given, or relative to the folder walked (posix separators)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _not_regular(path: Path, shown: str) -> InputError:
    """The error for a path that exists (or is a link) but is no file or folder."""
    if path.is_symlink() and not path.exists():
        return InputError(shown, "no such file or directory (broken symbolic link)")
    return InputError(shown, "not a regular file or folder")


def _walk_folder(root: Path, shown_root: str) -> Iterator[InputFile | InputError]:
    """Files under ``root`` sorted by relative path, skipping hidden ones; errors for others."""
    found: list[tuple[tuple[str, ...], Path]] = []
    problems: list[InputError] = []

    def on_error(exc: OSError) -> None:
        where = exc.filename or shown_root
        problems.append(InputError(str(where), (exc.strerror or str(exc)).lower()))

    for folder, dirnames, filenames in os.walk(root, onerror=on_error):
        # Pruning in place stops os.walk from descending into hidden folders.
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        for name in filenames:
            if not _hidden(name):
                path = Path(folder, name)
                found.append((path.relative_to(root).parts, path))
    yield from problems
    if not found and not problems:
        yield InputError(
            shown_root, "folder holds no files to read (hidden files and folders are skipped)"
        )
    for parts, path in sorted(found):
        shown = os.path.join(shown_root, *parts)
        if path.is_file():
            yield InputFile(path=path, shown=shown, doc_id="/".join(parts))
        else:
            yield _not_regular(path, shown)


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[InputFile | InputError]:
    """The files named by ``paths`` (files, or folders walked recursively), in order.

    A path that does not exist, or cannot be listed, gives an InputError in its place.
    """
    for given in paths:
        shown = os.fspath(given)
        path = Path(shown)
        if path.is_dir():
            yield from _walk_folder(path, shown)
        elif path.is_file():
            yield InputFile(path=path, shown=shown, doc_id=path.as_posix())
        elif path.exists() or path.is_symlink():
            yield _not_regular(path, shown)
        else:
            yield InputError(shown, "no such file or directory")
