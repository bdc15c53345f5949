"""How the store keeps document text: deflate with a preset dictionary of English news.

A news story is a few kilobytes; plain zlib learns its vocabulary from scratch for every
story and reaches ~1.9x on Reuters. Deflate primed with 32 KB of typical news text (zlib's
"preset dictionary") starts out knowing "said", "the company", "in a statement" and reaches
~2.35x on the same stories (measured 2026-11-30, see docs/benchmarks.md), for ~60 us more per
document.

The dictionary a store compresses with is saved INSIDE the store (table ``zdicts``), so a later
unspin with a different packaged dictionary still reads old stores. Blob formats:

* first byte ``0x78``: a plain zlib stream (schema v1/v2 stores; every zlib stream with the
  default window starts with it);
* first byte ``1..0x77``: the id of a stored dictionary, then a raw deflate stream.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from importlib import resources

from .jsonl_files import read_jsonl

DICTIONARY_BYTES = 32 * 1024  # deflate's window: more is never used
_ZLIB_MAGIC = 0x78


def build_dictionary(texts: list[str], size: int = DICTIONARY_BYTES) -> bytes:
    """A preset dictionary from sample texts: the tail of their concatenation.

    Deflate references the dictionary by distance from the data, so the last bytes are the
    cheapest to reach; typical news text there serves every later story."""
    data = "\n".join(texts).encode("utf-8", "surrogatepass")
    return data[-size:]


@lru_cache(maxsize=1)
def packaged_dictionary() -> bytes:
    """The dictionary new stores get: built from the shipped demo corpus (Reuters stories)."""
    path = resources.files("unspin") / "data" / "demo" / "corpus.jsonl"
    texts = [row["text"] for row in read_jsonl(path)]
    return build_dictionary(texts)


def encode(text: str, dict_id: int | None, zdict: bytes | None) -> bytes:
    """Compress ``text``; with a dictionary, prefix the blob with its id."""
    raw = text.encode("utf-8", "surrogatepass")
    if dict_id is None or zdict is None:
        return zlib.compress(raw, 6)
    if not 1 <= dict_id < _ZLIB_MAGIC:
        raise ValueError(f"dictionary id {dict_id} out of range 1..{_ZLIB_MAGIC - 1}")
    c = _primed(zdict).copy()
    return bytes([dict_id]) + c.compress(raw) + c.flush()


@lru_cache(maxsize=4)
def _primed(zdict: bytes) -> zlib._Compress:
    """A compressor that has read ``zdict`` and nothing else. Each text is compressed by a
    copy of it: the same state, so the same bytes, as a new compressor given ``zdict``,
    without hashing the 32 KB dictionary again (ingest: 0.10 -> 0.06 ms a story)."""
    return zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict)


def decode(blob: bytes, zdicts: dict[int, bytes]) -> str:
    """The text of a stored blob. Raises ``zlib.error`` or ``KeyError`` when it is corrupt
    or names a dictionary the store does not hold."""
    if not blob:
        raise zlib.error("empty blob")
    if blob[0] == _ZLIB_MAGIC:
        raw = zlib.decompress(blob)
    else:
        d = zlib.decompressobj(-15, zdicts[blob[0]])
        raw = d.decompress(blob[1:]) + d.flush()
        if not d.eof:
            raise zlib.error("truncated stream")
    return raw.decode("utf-8", "surrogatepass")
