"""Re-ranking likely originals by how well each sits in the spun text (the ``embed`` extra).

The lexical ranking (:func:`unspin.spinscore.features.rank_originals`: headword prior, words
the text repeats, word pairs with the neighbours) sees one word on each side. Here each of the
best :data:`KEEP` candidates is put in place of the spun phrase and the fine-tuned MiniLM of
:mod:`.contextual` reads it in its sentence; a linear ranker over that state, the lexical
score, the swap head's log-odds and the likeness to the spun phrase's own state (softmax over
one phrase's candidates, trained by ``scripts/train_spin_restorer.py`` on our spinner's swaps
in Reuters files reut2-007..013) gives the final order. Nothing here knows any spun phrase: it learns which words fit where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .contextual import piece_likeness, probe, quick_substitution_states, substitution_states
from .packaged import packaged_arrays

# Candidates re-ranked per phrase: the lexical top 20 holds the original 91% of the time on
# development swaps, the top 30 94% (ranker top-3 there 0.79 -> 0.80); each costs one sentence
# through the model.
KEEP = 30
# Candidates that `score --restore` reads exactly: the quick reading
# (contextual.quick_substitution_states: the sentence read once, each candidate in it) ranks
# all KEEP and the best SHORTLIST are re-read in the sentence. score's top-3 on the 113 spans
# that sit on a swap in 30 held-apart Reuters paragraphs spun at 20% (development figures,
# benchmarks/bench_startup.py --restoration 30; docs/benchmarks.md 14c): 0.779 reading all 30
# exactly, and with a shortlist of 3/4/5/6/8: 0.761/0.770/0.770/0.779/0.779 (the quick
# reading alone: 0.761); 8 leaves a margin at about a third of the model's work.
SHORTLIST = 8
# Weight (natural log, the ranker's scores) of a candidate's word-piece likeness to the spun
# word (contextual.piece_likeness, a cosine) that `score --restore` adds: real spinners swap a
# word for a close one, our Moby spinner for any of Moby's list, on which the ranker was
# trained. 0, 2, 4, 6, 8, 12, 16 tried on SpinBot's 578 marked one-word swaps (development
# figures, docs/benchmarks.md 15.18): top-3 202, 217, 226, 233, 238, 240, 233 (re-read all).
LIKENESS_WEIGHT = 8.0

_RESTORER = "data/spin_restorer.npz"


# Columns after the state: lexical score, swap head's log-odds, likeness to the spun word.
EXTRA_COLUMNS = 3


def candidate_rows(
    text: str, start: int, end: int, scored: Sequence[tuple[str, float]]
) -> np.ndarray:
    """One row per ``(candidate, log10 lexical score)``: the candidate's mean hidden state in
    place of ``text[start:end]``, its lexical score, the swap head's log-odds there and the
    cosine between its state and the spun phrase's own (a swap keeps some of the meaning)."""
    states = substitution_states(text, start, end, [*(w for w, _ in scored), text[start:end]])
    return _rows(states[:-1], states[-1], scored)


def _rows(states: np.ndarray, spun: np.ndarray, scored: Sequence[tuple[str, float]]) -> np.ndarray:
    """:func:`candidate_rows` from the candidates' states and the spun phrase's own."""
    lexical = np.array([s for _, s in scored], dtype=np.float32)
    head = probe().logit(states).astype(np.float32)
    norms = np.linalg.norm(states, axis=1) * max(float(np.linalg.norm(spun)), 1e-6)
    likeness = (states @ spun / np.maximum(norms, 1e-6)).astype(np.float32)
    return np.concatenate([states, np.stack([lexical, head, likeness], axis=1)], axis=1)


@dataclass(frozen=True, slots=True)
class Restorer:
    """Linear scores (natural log, softmax over a phrase's candidates) of candidate rows; the
    state part is standardised with the training mean and spread."""

    weights: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def scores(self, rows: np.ndarray) -> np.ndarray:
        x = rows.astype(float).copy()
        dim = len(self.mean)
        x[:, :dim] = (x[:, :dim] - self.mean) / self.scale  # the extra columns stay as they are
        return np.asarray(x @ self.weights)


@lru_cache(maxsize=1)
def restorer() -> Restorer:
    """The shipped ranker."""

    def check(arrays: dict[str, np.ndarray], about: dict[str, Any]) -> None:
        weights, mean, scale = arrays["weights"], arrays["mean"], arrays["scale"]
        if weights.shape != (len(mean) + EXTRA_COLUMNS,) or scale.shape != mean.shape:
            raise ValueError(f"weights of shape {weights.shape} for {len(mean)} dimensions")

    arrays = packaged_arrays(
        _RESTORER, "restoration ranker", "scripts/train_spin_restorer.py", check
    )
    return Restorer(*(arrays[k].astype(float) for k in ("weights", "mean", "scale")))


def rerank(
    text: str,
    start: int,
    end: int,
    scored: Sequence[tuple[str, float]],
    shortlist: int | None = None,
    *,
    keep: int = KEEP,
    likeness: float = 0.0,
) -> list[tuple[str, float]]:
    """The best ``keep`` of ``scored`` (``(word, log10 lexical score)``, best first) as
    ``(word, natural-log score)``, re-ranked in the context of ``text[start:end]``. With a
    ``shortlist`` (``score --restore``: :data:`SHORTLIST`), the quick reading ranks them all
    and only that many are read exactly; they come first, in their exact order, then the rest
    with their quick scores (``shortlist=0``: the quick reading alone). ``likeness`` times each
    candidate's :func:`.contextual.piece_likeness` to the spun phrase is added to its scores
    (``score --restore``: :data:`LIKENESS_WEIGHT`)."""
    top = list(scored[:keep])
    if not top:
        return []
    near = (
        likeness * piece_likeness(text[start:end], [w for w, _ in top])
        if likeness
        else np.zeros(len(top))
    )
    if shortlist is None or shortlist >= len(top):
        return _ranked(top, restorer().scores(candidate_rows(text, start, end, top)) + near)
    # The quick reading of the spun phrase itself is its exact state (its sentence is the one
    # read), so the exact pass reads only the shortlist.
    quick = quick_substitution_states(text, start, end, [*(w for w, _ in top), text[start:end]])
    spun = quick[-1]
    values = restorer().scores(_rows(quick[:-1], spun, top)) + near
    order = np.argsort(-values, kind="stable")
    if not shortlist:
        return [(top[i][0], float(values[i])) for i in order]
    chosen = order[:shortlist]
    best = [top[i] for i in chosen]
    exact = substitution_states(text, start, end, [w for w, _ in best])
    return _ranked(best, restorer().scores(_rows(exact, spun, best)) + near[chosen]) + [
        (top[i][0], float(values[i])) for i in order[shortlist:]
    ]


def _ranked(top: list[tuple[str, float]], values: np.ndarray) -> list[tuple[str, float]]:
    order = np.argsort(-values, kind="stable")
    return [(top[i][0], float(values[i])) for i in order]
