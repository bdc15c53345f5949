"""py3langid's ``classify`` for many texts at once, with the same answers, in half the time.

py3langid reads a text's UTF-8 bytes through a state machine, one Python step per byte
(``visit_counts``: 40% of its time on a 400-character sample), then scores the byte n-grams
it met with a naive Bayes model. Here the state machine takes one byte position of every
text in one numpy step, and each text's n-grams are counted in the order py3langid counts
them (first visit first). Each text is then scored by the same numpy operations
py3langid's ``_decide`` performs on it, one text at a time, so the probabilities are the
same floats, not only the same labels (``tests/xling/test_language_many.py``; benchmarks
6.5 compares every text of the scale corpus, Reuters and PAN).

It reads the model's tables from py3langid's ``LanguageIdentifier`` (0.4), whose
attributes are not a public interface: :func:`classify_many` returns ``None`` for an
identifier without them (another py3langid version), and callers classify one by one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# Texts walked together: sorted by length, so few pad bytes are walked for nothing, and
# the per-step arrays stay small.
GROUP = 256
# Below this many texts the walk's numpy calls per byte position cost more than
# py3langid's Python step per byte (even at about 12 texts, measured): classify them one by one.
FEWEST = 16
_NEEDED = (
    "tk_nextmove",
    "_rowbase",
    "tk_output",
    "nb_ptc",
    "nb_pc",
    "nb_classes",
    "_alias_pairs",
    "_encode",
)


@dataclass(frozen=True, slots=True)
class Tables:
    """The identifier's state machine as numpy arrays (views, not copies, where it can)."""

    nextmove: np.ndarray  # next state, by row offset of the state + byte
    rowbase: np.ndarray  # row offset of each state
    output: np.ndarray  # n-gram feature each state completes, -1 for none


def tables(identifier: Any) -> Tables | None:
    """The arrays :func:`classify_many` walks, or ``None`` when ``identifier`` is not the
    py3langid ``LanguageIdentifier`` this was written against (probabilities normalised,
    no confidence floor, no alias beyond script pairs)."""
    if not all(hasattr(identifier, a) for a in _NEEDED):
        return None
    if not getattr(identifier, "_norm_probs", False):
        return None
    if getattr(identifier, "min_confidence", None) is not None:
        return None
    moves = identifier.tk_nextmove
    typecode = getattr(moves, "typecode", None)
    dtype = {"H": np.uint16, "I": np.uint32, "L": np.uint64}.get(typecode or "")
    if dtype is None or np.dtype(dtype).itemsize != moves.itemsize:
        return None
    return Tables(
        nextmove=np.frombuffer(moves, dtype=dtype),
        rowbase=np.asarray(identifier._rowbase, dtype=np.int64),
        output=np.asarray(identifier.tk_output, dtype=np.int64),
    )


def classify_many(
    identifier: Any, machine: Tables, encoded: list[bytes]
) -> list[tuple[str, float]]:
    """``identifier.classify`` of each text, given as py3langid encodes it (``_encode``)."""
    out: list[tuple[str, float]] = [("", 0.0)] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda k: len(encoded[k]))
    starts = list(range(0, len(order), GROUP))
    if len(starts) > 1 and len(order) - starts[-1] < FEWEST:
        starts.pop()  # a few texts left over join the last group instead
    for a, b in zip(starts, [*starts[1:], len(order)], strict=True):
        group = order[a:b]
        visits = _visits(machine, [encoded[k] for k in group], identifier.nb_ptc.shape[0])
        for k, (features, counts) in zip(group, visits, strict=True):
            out[k] = _classify(identifier, features, counts, len(encoded[k]))
    return out


def _visits(
    machine: Tables, texts: list[bytes], n_features: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """py3langid's ``visit_counts`` of each text: the features met (in order of first visit)
    and how often each was met."""
    n = len(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    width = int(lengths.max()) if n else 0
    # Bytes by position, then text: row i holds every text's i-th byte (0 past its end; what
    # the machine meets there is masked out below).
    data = np.zeros((width, n), dtype=np.int64)
    for j, t in enumerate(texts):
        data[: len(t), j] = np.frombuffer(t, dtype=np.uint8)
    met = np.empty((width, n), dtype=np.int64)
    state = np.zeros(n, dtype=np.int64)
    at = np.empty(n, dtype=np.int64)
    for i in range(width):
        np.take(machine.rowbase, state, out=at)
        at += data[i]
        state = machine.nextmove[at]
        np.take(machine.output, state, out=met[i])
    met = met.T  # text, then position: the order py3langid visits them in
    valid = (met >= 0) & (np.arange(width)[None, :] < lengths[:, None])
    where = np.flatnonzero(valid)
    text = where // max(width, 1)
    keys = text * n_features + met.ravel()[where]
    unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
    by_visit = np.argsort(first, kind="stable")
    keys, counts = unique[by_visit], counts[by_visit]
    of_text = keys // n_features
    bounds = np.searchsorted(of_text, np.arange(n + 1))
    features = (keys - of_text * n_features).astype(np.intp)
    counts32 = counts.astype(np.float32)
    return [
        (features[bounds[j] : bounds[j + 1]], counts32[bounds[j] : bounds[j + 1]]) for j in range(n)
    ]


def _classify(
    identifier: Any, features: np.ndarray, counts: np.ndarray, length: int
) -> tuple[str, float]:
    """py3langid's ``_raw_score``, ``_decide`` and ``classify`` for one text, step by step."""
    if len(features):
        # The model's float16 rows cast first: the same float32 matmul py3langid's mixed
        # one runs after its own cast, without the slow cast inside the matmul.
        rows = identifier.nb_ptc[features].astype(np.float32)
        scores = np.log1p(counts) @ rows + identifier.nb_pc
    else:
        scores = np.full(len(identifier.nb_classes), 0.0, dtype=np.float32)
    scores *= 1.0 / math.sqrt(length or 1)
    np.exp(scores - scores.max(), out=scores)
    scores /= scores.sum()
    for i, j in identifier._alias_pairs:
        scores[i] += scores[j]
        scores[j] = 0.0
    best = int(scores.argmax())
    return identifier.nb_classes[best], float(scores[best])
