"""Uploaded files: only the listed kinds, written under names the app makes up itself.

A user's file name is used for two things only: its ending picks the format (from a fixed
list), and it is shown back escaped. It never becomes part of a path on disk: each upload is
written as ``upload-<n><ending>`` inside a fresh temporary folder that is removed afterwards.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile

from ..errors import InputError
from ..read import Limits, read_file

# Endings accepted for an article to check, and for files to add to the corpus.
ARTICLE_KINDS: tuple[str, ...] = (".txt", ".html", ".htm", ".json", ".warc", ".warc.gz")
CORPUS_KINDS: tuple[str, ...] = (*ARTICLE_KINDS, ".jsonl", ".jsonl.gz")


class UnsupportedKind(InputError):
    """A file whose kind is not in the accepted list (HTTP 415)."""


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file as received: the name the user gave (display only) and its bytes."""

    filename: str
    data: bytes


def received(file: UploadFile) -> Upload:
    """The bytes of an uploaded file, read from where the form parser spooled them.

    A blocking read: call it from a worker thread (a plain ``def`` route), not the event loop.
    """
    file.file.seek(0)
    return Upload(file.filename or "", file.file.read())


def ending(filename: str, allowed: Sequence[str]) -> str:
    """The accepted ending of ``filename`` (longest match first), or raise UnsupportedKind."""
    lower = filename.lower()
    for suffix in sorted(allowed, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    kinds = ", ".join(allowed)
    raise UnsupportedKind(filename or "<upload>", f"unsupported file kind; accepted: {kinds}")


def write_uploads(folder: Path, uploads: Sequence[Upload], allowed: Sequence[str]) -> list[Path]:
    """Write ``uploads`` into ``folder`` as ``upload-<content hash><ending>``; return the paths.

    Every kind is checked before anything is written, so one bad file refuses the request. The
    name comes from the content, so a document read from it gets a stable id.
    """
    names = [stored_name(u, allowed) for u in uploads]
    paths: list[Path] = []
    for upload, name in zip(uploads, names, strict=True):
        path = folder / name
        if path not in paths:
            path.write_bytes(upload.data)
            paths.append(path)
    return paths


def stored_name(upload: Upload, allowed: Sequence[str]) -> str:
    """The made-up file name an upload is written under (raises UnsupportedKind)."""
    suffix = ending(upload.filename, allowed)
    return f"upload-{hashlib.sha256(upload.data).hexdigest()[:12]}{suffix}"


@contextmanager
def saved(uploads: Sequence[Upload], allowed: Sequence[str]) -> Iterator[list[Path]]:
    """:func:`write_uploads` into a temporary folder removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="unspin-upload-") as folder:
        yield write_uploads(Path(folder), uploads, allowed)


def article_text(upload: Upload) -> str:
    """The main text of one uploaded article file (the first document in it)."""
    with saved([upload], ARTICLE_KINDS) as (path,):
        try:
            for doc in read_file(path, Limits()):
                return doc.text
        except InputError as err:
            # Name the file as the user knows it, not by its temporary path.
            raise InputError(upload.filename, err.problem) from err
    raise InputError(upload.filename, "no text found in the file")
