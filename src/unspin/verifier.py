"""Is an aligned passage really reuse? A small logistic model over what the aligner saw.

Seeding, extension and validation accept any passage whose sentences are similar enough, so a
long pair of texts on one subject (two articles on mesothelioma) yields passages that are
merely same-topic. What separates them from reuse is not one threshold but a few things
together: how many seeds a passage rests on and how much of it they cover, how many exact
words the two sides share, and how much the *whole pair* seeds (same-topic pairs seed
everywhere a little). :func:`passage_features` measures them; a logistic model
weighs them (:func:`load_verifier`) with coefficients fitted on the PAN 2013 training corpus by
``scripts/train_passage_verifier.py`` (logistic regression, numpy only) and shipped in
``unspin/data/passage_verifier.json``, with the cross-validated figures that chose the
threshold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .spinscore.model import LogisticModel
from .spinscore.packaged import packaged_json

FEATURES = (
    "similarity",
    "log_seeds",
    "log_target_units",
    "log_source_units",
    "log_target_chars",
    "log_source_chars",
    "seeded_share",
    "mean_seed_cosine",
    "max_seed_cosine",
    "exact_word_share",
    "summary",
    "log_pair_seeds",
    "log_length_ratio",
)


def passage_features(
    *,
    similarity: float,
    seed_count: int,
    seeds: dict[tuple[int, int], float],
    src_units: tuple[int, int],
    tgt_units: tuple[int, int],
    source_chars: int,
    target_chars: int,
    source_words: Sequence[str],
    target_words: Sequence[str],
    summary: bool,
) -> list[float]:
    """The features of one passage, in the order of :data:`FEATURES`.

    ``seed_count`` is the number of seeds the passage grew from, ``seeds`` all seeds of the
    pair (source unit, target unit) -> cosine; the units are the passage's inclusive unit
    ranges; the words are the normalised tokens of each side.
    """
    inside = {
        (i, j): c
        for (i, j), c in seeds.items()
        if src_units[0] <= i <= src_units[1] and tgt_units[0] <= j <= tgt_units[1]
    }
    n_t = tgt_units[1] - tgt_units[0] + 1
    n_s = src_units[1] - src_units[0] + 1
    covered = len({j for _, j in inside})
    shared = sum((Counter(source_words) & Counter(target_words)).values())
    smaller = max(1, min(len(source_words), len(target_words)))
    target_chars, source_chars = max(1, target_chars), max(1, source_chars)
    return [
        similarity,
        math.log(max(1, seed_count)),
        math.log(n_t),
        math.log(n_s),
        math.log(target_chars),
        math.log(source_chars),
        covered / n_t,
        sum(inside.values()) / len(inside) if inside else 0.0,
        max(inside.values(), default=0.0),
        shared / smaller,
        1.0 if summary else 0.0,
        math.log(1 + len(seeds)),
        math.log(source_chars / target_chars),
    ]


@dataclass(frozen=True, slots=True)
class Verifier:
    """The shipped model and the probability under which a passage is dropped."""

    model: LogisticModel
    threshold: float

    def probability(self, features: Sequence[float]) -> float:
        return self.model.predict(dict(zip(FEATURES, features, strict=True)))


@lru_cache(maxsize=1)
def load_verifier() -> Verifier:
    """The model in ``unspin/data/passage_verifier.json``."""

    def read(data: dict[str, Any]) -> Verifier:
        model = LogisticModel.from_dict(data["model"])
        if model.names != FEATURES:
            raise ValueError("its features are not the ones this version computes")
        return Verifier(model, float(data["threshold"]))

    return packaged_json(
        "data/passage_verifier.json",
        "passage verifier",
        "scripts/train_passage_verifier.py",
        read,
    )
