"""Uploaded files: only the listed kinds, read in memory under names the app makes up itself.

A user's file name is used for two things only: its ending picks the format (from a fixed
list), and it is shown back escaped. It never reaches the disk or the store: each upload is
read from its bytes (:func:`unspin.read.readers.read_bytes`) as a file named
``upload-<content hash><ending>``, which is also the id of the document it holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import UploadFile

from ..errors import InputError
from ..read import read_bytes
from ..types import Document

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


def unique_uploads(uploads: Sequence[Upload], allowed: Sequence[str]) -> list[tuple[str, Upload]]:
    """``uploads`` under their made-up names (:func:`stored_name`), in name order, each
    content once: the order and the files an ingest of them as a folder would read.

    Every kind is checked first, so one bad file refuses the request before anything is read.
    """
    named = {stored_name(u, allowed): u for u in uploads}
    return sorted(named.items())


def stored_name(upload: Upload, allowed: Sequence[str]) -> str:
    """The made-up file name an upload is read under, and the id of a text or page in it
    (raises UnsupportedKind)."""
    suffix = ending(upload.filename, allowed)
    return f"upload-{hashlib.sha256(upload.data).hexdigest()[:12]}{suffix}"


def article_text(upload: Upload) -> str:
    """The main text of one uploaded article file (the first document in it)."""
    for item in read_bytes(upload.data, stored_name(upload, ARTICLE_KINDS)):
        if isinstance(item, Document):
            return item.text
        if isinstance(item, InputError):
            # Name the file as the user knows it, not by the name it was read under.
            raise InputError(upload.filename, item.problem) from item
    raise InputError(upload.filename, "no text found in the file")
