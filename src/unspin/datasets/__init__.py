"""Readers for public data sets and the demo corpus shipped with unspin."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..jsonl_files import read_jsonl
from ..types import Document
from .reuters import iter_reuters, iter_stories

__all__ = ["demo_dir", "iter_demo", "iter_reuters", "iter_stories", "shared_data_dir"]


def shared_data_dir() -> Path | None:
    """The development data folder (``$UNSPIN_SHARED_DATA`` or ``../shared/data`` beside the
    checkout), or None when it is absent, as on a user's machine."""
    env = os.environ.get("UNSPIN_SHARED_DATA")
    # src/unspin/datasets/__init__.py -> parents[3] is the checkout root.
    path = Path(env) if env else Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    return path.resolve() if path.is_dir() else None


def demo_dir() -> Path:
    """The folder of the demo corpus and example articles inside the installed package."""
    return Path(__file__).resolve().parent.parent / "data" / "demo"


def iter_demo() -> Iterator[Document]:
    """The demo corpus (a subset of Reuters-21578, see ``data/demo/NOTICE``) as documents."""
    path = demo_dir() / "corpus.jsonl"
    if not path.exists():
        raise InputError(str(path), "the demo corpus is missing; reinstall unspin")
    for rec in read_jsonl(path):
        yield Document(
            text=rec["text"],
            id=rec["id"],
            title=rec.get("title"),
            date=rec.get("date"),
            site=rec.get("site"),
            path=f"{path.name}#{rec['id']}",
            kind="jsonl",
        )
