"""Where unspin keeps the resources it derives from its lexical packages, and the one way they
are cached: built on first use, written atomically, and rebuilt when a file is torn or stale."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")

# Building a cache takes seconds to a quarter of a minute on a first run; the CLI shows this
# logger's records on standard error so that the wait is explained (see ``unspin.cli.app``).
log = logging.getLogger(__name__)


def announce_build(what: str, path: Path | None) -> None:
    """Say, once per build, that ``what`` is being made and where it will be kept."""
    if path is None:
        log.info("making %s (no cache can be written here, so every run makes it)", what)
    else:
        log.info("making %s, once; later runs read %s", what, path)


@contextlib.contextmanager
def removed_on_failure(tmp: Path) -> Iterator[Path]:
    """``tmp``, the file a cache is written to before it is renamed into place, deleted (with
    the journal SQLite keeps beside it) when the block fails or is interrupted: a Ctrl-C
    during a first run's build left a 10 MB ``wordfreq-...tmpPID-TID`` or a half-written
    ``.npz`` in the cache for good, one more for every interrupted run."""
    try:
        yield tmp
    except BaseException:
        for leftover in (tmp, tmp.with_name(f"{tmp.name}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise


# A versioned cache file's name, as unspin's writers make it: its family, "-v", its version
# (``bigrams-v3.npz``, ``moby-through-base-v6.2.npz``), what it derives from where that has
# versions of its own (``wordfreq-en-v3-<list digest>.sqlite``,
# ``lemminflect-lemmas-v2-0.2.3.json``), the extension, or for a file being written
# ``.tmp<pid>[-<thread>]`` (and SQLite's ``-journal``; see :func:`removed_on_failure`).
# Written out in full so that nothing else in the folder matches: the web app's results
# stores (``<store name>.<hash>.results.sqlite``), jieba's cache.
_VERSIONED = re.compile(
    r"(?P<family>[a-z0-9]+(?:-[a-z0-9]+)*?)-v(?P<version>\d+(?:\.\d+)*)"
    r"(?P<of>(?:-[0-9a-f.]+)*)"
    r"(?:\.(?:npz|json|txt|sqlite)|(?P<tmp>\.tmp\d+(?:-\d+)?(?:\.npz|-journal)?))"
)
# A temporary file older than this is a killed build's: a build takes a minute at most.
ABANDONED_AFTER_S = 3600.0


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def prune_older_versions(kept: Path) -> list[Path]:
    """Delete, beside the cache file ``kept`` just built, the files of its family that an older
    unspin or another version of the package it derives from left; return them.

    A new unspin (or a new wordfreq) builds its caches under new names, and the old files
    stayed for good, up to 21 MB each. Deleted: the family's files of a lower version, those of
    the same version under another name (another wordfreq list or lemminflect release), and
    temporary files left by a killed build (over an hour old). Kept: files of a higher version
    (a newer unspin sharing the cache would rebuild them at each run), a temporary file another
    process may still be writing, and every file that is not of the family (the web app's
    results, jieba's cache, other families). A file another process has open stays readable
    to it: on POSIX its data lives until it is closed, and elsewhere the delete fails and the
    file is kept."""
    own = _VERSIONED.fullmatch(kept.name)
    if own is None or own["tmp"]:
        return []
    family, version = own["family"], _version(own["version"])

    def stale(other: Path) -> bool:
        found = _VERSIONED.fullmatch(other.name)
        if other.name == kept.name or found is None or found["family"] != family:
            return False
        if found["tmp"]:
            return time.time() - other.stat().st_mtime > ABANDONED_AFTER_S
        return _version(found["version"]) <= version

    return prune(kept.parent, stale)


def prune(folder: Path, stale: Callable[[Path], bool]) -> list[Path]:
    """Delete the files in ``folder`` that ``stale`` picks; return them. Every pruning of a
    cache folder goes through this (:func:`prune_older_versions`, the web app's results of
    stores that are gone). A file ``stale`` cannot judge (it raises OSError), or one that
    cannot be deleted (gone already, or in use where that forbids deleting), is left."""
    removed: list[Path] = []
    try:
        files = list(folder.iterdir())
    except OSError:
        return []
    for other in files:
        try:
            if stale(other) and other.is_file():
                other.unlink()
                removed.append(other)
        except OSError:
            continue
    return removed


def cache_dir() -> Path:
    """Where derived resources are cached (``$UNSPIN_CACHE`` or ``~/.cache/unspin``)."""
    path = Path(os.environ.get("UNSPIN_CACHE") or default_cache_dir())
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_cache_dir() -> Path:
    """The cache folder when ``$UNSPIN_CACHE`` names none: ``unspin`` in ``$XDG_CACHE_HOME``
    or ``~/.cache`` (not made here)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "unspin"


def cached_arrays(
    name: str,
    build: Callable[[], Mapping[str, np.ndarray]],
    read: Callable[[Mapping[str, np.ndarray]], T],
    *,
    what: str,
) -> T:
    """``read`` of the arrays cached as ``name`` (an ``.npz`` file in :func:`cache_dir`),
    which ``build`` makes and this saves on first use (announcing ``what`` it makes, see
    :func:`announce_build`).

    A file that cannot be read, or that ``read`` refuses (ValueError, KeyError, TypeError), is
    torn or stale: it is deleted and rebuilt, never trusted. Where no cache can be written (a
    read-only home) the arrays are built again in every process instead of failing.

    """
    import numpy as np  # here, so that importing unspin.cache stays light

    try:
        path: Path | None = cache_dir() / name
    except OSError:
        path = None
    if path is not None and path.exists():
        try:
            with np.load(path, allow_pickle=False) as data:
                return read(data)
        except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
    announce_build(what, path)
    arrays = build()
    if path is not None:
        tmp = path.with_name(f"{path.stem}.tmp{os.getpid()}.npz")
        with contextlib.suppress(OSError), removed_on_failure(tmp):
            np.savez(tmp, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
            prune_older_versions(path)
    return read(arrays)
