"""A learned per-word model: how likely one content word is a spinner's swap.

The hand-built per-word ratio of :mod:`.features` reads three things (the reverse-thesaurus
prior, the word's frequency, its fit between its neighbours). A spun word gives itself away in
more ways than one formula can weigh: whether it forms a known pair with its left or its right
neighbour, whether a likely original would, whether the text repeats the word (writers repeat
their words; a thesaurus swap rarely recurs), how many Moby lists hold it. A small
gradient-boosted tree ensemble, fitted by ``scripts/train_spin_word_model.py`` on Reuters
paragraphs spun by five spinners (:mod:`unspin.generators`: Moby, WordNet, Roget, GloVe
neighbours, phrases and function words), weighs them; its trees ship as JSON and are evaluated here with
numpy, so scoring needs no scikit-learn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import UnspinError
from .bigrams import Bigrams
from .packaged import packaged_json
from .reverse_thesaurus import Candidate

WORD_FEATURES = (
    "llr",  # log10 sum_h P(h)/|syn(h)|^1.5 - log10 P(w): the prior ratio of features.py
    "ctx_llr",  # the same with the neighbours' fit (features.context_llr)
    "zipf",
    "fit",  # log10 PMI of the word with both neighbours
    "best_fit",  # the best fit of a likely original
    "fit_gain",  # best_fit - fit
    "echo",  # a likely original (best three) is used elsewhere in the text
    "log_lists",  # log of the number of Moby headwords listing the word
    "has_left",
    "has_right",
    "gain",  # Zipf of the best original minus the word's own (0..4)
    "capital",
    "fit_left",
    "fit_right",
    "pair_left",  # (left, word) is in the word-pair list itself
    "pair_right",
    "repeats",  # other occurrences of the word's stem in the text
    "best_fit_left",
    "best_fit_right",
)
# The contextual model reads one more column: the log-odds of the transformer probe
# (:mod:`.contextual`, the ``embed`` extra).
CONTEXTUAL_WORD_FEATURES = (*WORD_FEATURES, "probe")
# A contextual model may read one more: the second head on the same states, fitted on the
# other spinners' swaps (``train_spin_adapter.py --other-head``; docs/benchmarks.md 17.6).
TWO_HEAD_WORD_FEATURES = (*CONTEXTUAL_WORD_FEATURES, "probe_others")
# Or, in place of the Moby head's column, the mean of the two heads' log-odds (one column).
MEAN_HEAD_WORD_FEATURES = (*WORD_FEATURES, "probe_mean")
CONTEXTUAL_FEATURE_SETS = (
    CONTEXTUAL_WORD_FEATURES,
    TWO_HEAD_WORD_FEATURES,
    MEAN_HEAD_WORD_FEATURES,
)
# Which packaged per-word (and text) model: "lexical" needs only the core, "contextual" the
# embed extra.
MODEL_KINDS = ("lexical", "contextual")
# -inf ratios (no headword) become this before the trees read them.
_FLOOR = -5.0


def word_row(
    word: str,
    capital: bool,
    z: float,
    cands: list[Candidate],
    n_lists: int,
    context: tuple[str | None, str | None],
    ratios: tuple[float, float],
    echo: bool,
    repeats: int,
    fits: tuple[tuple[float, float], tuple[float, float, float]],
    bg: Bigrams,
) -> list[float]:
    """The :data:`WORD_FEATURES` of one content word. ``cands``: its best single-word
    headwords, as the detection features read them; ``ratios``: its prior and context ratios;
    ``fits``: :meth:`Bigrams.sides` of the word, and over the candidates the largest sum of
    the two sides, the largest left side and the largest right side (already computed for
    the context ratio)."""
    left, right = context
    (own_left, own_right), (best, best_left, best_right) = fits
    fit = own_left + own_right
    return [
        ratios[0],
        ratios[1],
        z,
        fit,
        best,
        best - fit,
        float(echo),
        math.log(max(n_lists, 1)),
        float(left is not None),
        float(right is not None),
        max(0.0, min(4.0, cands[0].zipf - z)),
        float(capital),
        own_left,
        own_right,
        float(left is not None and (left, word) in bg),
        float(right is not None and (word, right) in bg),
        float(repeats),
        best_left,
        best_right,
    ]


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Boosted regression trees over :data:`WORD_FEATURES`; nodes of all trees in flat arrays
    (a leaf points to itself, so every row can take the same number of steps)."""

    names: tuple[str, ...]
    roots: np.ndarray  # index of each tree's root
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    baseline: float
    prior: float  # share of spun words in the training data

    def logit(self, rows: np.ndarray) -> np.ndarray:
        """Log-odds that each row's word was swapped (``rows``: n x len(names))."""
        x = np.where(np.isfinite(rows), rows, _FLOOR)
        n = len(x)
        # Every (tree, row) pair walks its tree in flat arrays, one gather per array a step
        # (np.take on 1-d arrays; half the time of 2-d indexing and np.where): the row's
        # value of the node's feature from the columns laid end to end, the threshold, and
        # the child from the right children followed by the left ones.
        # Pairs that have reached a leaf stop walking (after five steps two thirds have):
        # the same leaves, so the same sums.
        columns = np.ascontiguousarray(x.T).ravel()
        at_feature = self.feature * n
        children = np.concatenate([self.right, self.left])
        leaf = self.left == np.arange(len(self.left))
        node = np.repeat(self.roots, n)
        walking = np.flatnonzero(~leaf.take(node))
        here, row = node.take(walking), walking % n
        for _ in range(self.depth):
            go_left = columns.take(at_feature.take(here) + row) <= self.threshold.take(here)
            here = children.take(here + go_left * len(self.feature))
            node[walking] = here
            inner = ~leaf.take(here)
            if not inner.all():
                walking, here, row = walking[inner], here[inner], row[inner]
        return self.baseline + self.value.take(node).reshape(len(self.roots), n).sum(axis=0)

    def llr(self, rows: np.ndarray) -> np.ndarray:
        """log10 likelihood ratio P(row | swapped) / P(row | written): the posterior odds
        divided by the training prior's odds."""
        return self.llr_of(self.logit(rows))

    def llr_of(self, logits: np.ndarray) -> np.ndarray:
        """:meth:`llr` from log-odds :meth:`logit` already gave."""
        prior = math.log(self.prior / (1.0 - self.prior))
        return (logits - prior) / math.log(10.0)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        """Read the JSON written by the training script (raises KeyError/ValueError if
        malformed)."""
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        for tree in data["trees"]:
            base = len(feature)
            roots.append(base)
            for f, t, lo, hi, v in zip(
                tree["feature"],
                tree["threshold"],
                tree["left"],
                tree["right"],
                tree["value"],
                strict=True,
            ):
                leaf = lo < 0
                feature.append(0 if leaf else int(f))
                threshold.append(math.inf if leaf else float(t))
                here = len(feature) - 1
                left.append(here if leaf else base + int(lo))
                right.append(here if leaf else base + int(hi))
                value.append(float(v) if leaf else 0.0)
        names = tuple(data["features"])
        if names != WORD_FEATURES and names not in CONTEXTUAL_FEATURE_SETS:
            raise ValueError(f"features {names} differ from this version's {WORD_FEATURES}")
        return cls(
            names,
            np.array(roots, dtype=np.int64),
            np.array(feature, dtype=np.int64),
            np.array(threshold, dtype=float),
            np.array(left, dtype=np.int64),
            np.array(right, dtype=np.int64),
            np.array(value, dtype=float),
            int(data["depth"]),
            float(data["baseline"]),
            float(data["prior"]),
        )


def model_file(kind: str, stem: str) -> str:
    """Package path of a model file: ``data/{stem}.json`` for the lexical kind,
    ``data/{stem}_contextual.json`` for the contextual one."""
    if kind not in MODEL_KINDS:
        raise UnspinError(f"Unknown spin model {kind!r}: choose one of {', '.join(MODEL_KINDS)}")
    return f"data/{stem}.json" if kind == "lexical" else f"data/{stem}_contextual.json"


@lru_cache(maxsize=2)
def word_model(kind: str = "lexical") -> TreeEnsemble:
    """The per-word model shipped with unspin (``kind``: one of :data:`MODEL_KINDS`)."""
    path = model_file(kind, "spin_word_model")
    flag = " --contextual" if kind == "contextual" else ""
    wanted = CONTEXTUAL_FEATURE_SETS if kind == "contextual" else (WORD_FEATURES,)

    def read(raw: dict[str, Any]) -> TreeEnsemble:
        model = TreeEnsemble.from_dict(raw["model"])
        if model.names not in wanted:
            raise ValueError(f"it reads {len(model.names)} features, not {len(wanted[0])}")
        return model

    return packaged_json(
        path, "per-word spin model", f"scripts/train_spin_word_model.py{flag}", read
    )
