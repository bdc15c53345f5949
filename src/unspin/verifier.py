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

``trace`` judges its passages with a second model (:func:`load_trace_verifier`, fitted by
``scripts/train_trace_verifier.py`` on the passages trace itself finds in PAN articles against a
store of every PAN source and Reuters story). Those passages include what PAN's pairs do not:
same-topic pages echoing a stretch of a long article, next to heavily reworded reuse. Besides
the features above it reads the content words the two sides share
(:func:`shared_word_features`): how many distinct ones, how much of the shorter side they
cover, and how rare they are in the article. Reuse shares the words of its own sentences,
names and numbers; an echo shares the words the whole article is about.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
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

# What trace's model reads besides FEATURES (see shared_word_features).
SHARED_WORD_FEATURES = (
    "log_shared_stems",
    "shorter_side_matched",
    "article_idf_shared",
)
TRACE_FEATURES = FEATURES + SHARED_WORD_FEATURES


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


def shared_word_features(
    source_stems: Sequence[str],
    target_stems: Sequence[str],
    article_units_with: Callable[[str], int],
    article_units: int,
) -> list[float]:
    """The features of :data:`SHARED_WORD_FEATURES` of one passage.

    ``source_stems`` and ``target_stems`` are the content-word stems of each side (the
    aligner's terms, in text order); ``article_units_with(stem)`` counts the units of the
    whole aligned article text that hold a stem (0 or None: none), of ``article_units``. The
    idf of a shared stem is scaled to [0, 1] by the article's length (``log(n / df) /
    log(n + 1)``), so one figure reads alike in a 3 KB and a 100 KB article.

    >>> f = shared_word_features(["bank", "rate"], ["bank", "rate", "rise"], {"bank": 9}.get, 9)
    >>> [round(v, 3) for v in f]
    [1.099, 1.0, 0.0]
    """
    source, target = Counter(source_stems), Counter(target_stems)
    shared = source.keys() & target.keys()
    shorter = source if sum(source.values()) < sum(target.values()) else target
    matched = sum(c for w, c in shorter.items() if w in shared)
    n = max(1, article_units)
    scale = math.log(n + 1)
    idf = []
    for w in shared:
        df = article_units_with(w)
        idf.append(math.log(n / df) / scale if df else 0.0)
    return [
        math.log(1 + len(shared)),
        matched / max(1, sum(shorter.values())),
        sum(idf) / len(idf) if idf else 0.0,
    ]


@dataclass(frozen=True, slots=True)
class Verifier:
    """A shipped model and the probability under which a passage is dropped."""

    model: LogisticModel
    threshold: float

    def probability(self, features: Sequence[float]) -> float:
        return self.model.predict(dict(zip(self.model.names, features, strict=True)))


def _reader(names: tuple[str, ...]) -> Callable[[dict[str, Any]], Verifier]:
    def read(data: dict[str, Any]) -> Verifier:
        model = LogisticModel.from_dict(data["model"])
        if model.names != names:
            raise ValueError("its features are not the ones this version computes")
        return Verifier(model, float(data["threshold"]))

    return read


@lru_cache(maxsize=1)
def load_verifier() -> Verifier:
    """The model in ``unspin/data/passage_verifier.json`` (PAN evaluation's and the aligner's)."""
    return packaged_json(
        "data/passage_verifier.json",
        "passage verifier",
        "scripts/train_passage_verifier.py",
        _reader(FEATURES),
    )


@lru_cache(maxsize=1)
def load_trace_verifier() -> Verifier:
    """The model in ``unspin/data/trace_verifier.json``: trace's judge of its passages, over
    :data:`TRACE_FEATURES`. Its threshold is the passage verifier's (the training script
    moves the model's bias so that the threshold it chose falls there): attribution holds
    one threshold for these probabilities and for passages judged again in the PAN
    settings."""
    return packaged_json(
        "data/trace_verifier.json",
        "trace verifier",
        "scripts/train_trace_verifier.py",
        _reader(TRACE_FEATURES),
    )
