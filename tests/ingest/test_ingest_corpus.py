"""Real corpora from ../shared/data: legacy encodings read without errors or mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import InputError
from unspin.read import iter_inputs
from unspin.types import Document

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.mark.corpus
def test_clough_stevenson_mixed_utf8_and_cp1252_all_read() -> None:
    results = list(iter_inputs([_data("clough-stevenson")]))
    errors = [r for r in results if isinstance(r, InputError)]
    docs = [r for r in results if isinstance(r, Document)]
    assert errors == []
    assert len(docs) >= 100
    legacy = {d.id for d in docs if not _is_utf8((_data("clough-stevenson") / d.id).read_bytes())}
    assert len(legacy) >= 10  # the corpus README counts 17 cp1252 files
    for doc in docs:
        assert "\ufffd" not in doc.text
        if doc.id in legacy:
            # Decoded by the cp1252 fallback: quotes and dashes, not C1 control characters.
            assert not any("\x80" <= c <= "\x9f" for c in doc.text), doc.id


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.corpus
def test_reuters_file_with_one_non_utf8_byte_is_text() -> None:
    (doc,) = iter_inputs([_data("reuters21578/reut2-017.sgm")])
    assert isinstance(doc, Document)
    assert doc.kind == "text"
    assert doc.text.startswith("<!DOCTYPE lewis SYSTEM")
