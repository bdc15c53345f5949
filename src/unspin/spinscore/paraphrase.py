"""Has a neural paraphraser rewritten this text? Word choice, without a source.

A thesaurus spinner leaves rare synonyms behind (:mod:`.features`); a neural paraphraser such
as QuillBot writes fluent text whose words are all common, so the thesaurus features barely
move on it (text-level ROC AUC 0.57 on the held half of the QuillBot development pairs). What
gives it away is which common words it prefers: it writes "alter", "via", "various", "may",
"optimum", "firm" and "assault" where the writers of the originals wrote "change", "through",
"different", "can", "optimal", "company" and "attack". This module reads that preference with
a logistic regression over TF-IDF weighted words (sublinear counts, L2-normalised, exactly as
scikit-learn's ``TfidfVectorizer`` makes them), trained by ``scripts/train_paraphrase_model.py``
on the tune half of the QuillBot pairs, with Reuters stories and stretches of Project Gutenberg
books as further unspun text: the QuillBot originals are ChatGPT answers, and without other human
prose the model read "no ChatGPT words" as "paraphrased". The vocabulary and weights ship in ``unspin/data/paraphrase_model.npz``
and are read with numpy alone: no model download, no extra, and under a millisecond a text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .packaged import packaged_about, packaged_arrays

__all__ = ["ParaphraseModel", "paraphrase_model", "paraphrase_probability"]

# scikit-learn's default token pattern, applied to lower-cased text: runs of two or more word
# characters. The shipped vocabulary was built with it, so scoring must split words the same way.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_FILE = "data/paraphrase_model.npz"
_SCRIPT = "scripts/train_paraphrase_model.py"


@dataclass(frozen=True, slots=True)
class ParaphraseModel:
    """``p = sigmoid(bias + weights . v / max(|v|, norm_floor))``, with ``v`` the vector of
    ``(1 + ln count) * idf`` over ``vocabulary`` (words outside it are ignored).

    Without the floor (``norm_floor=0``) this is scikit-learn's L2-normalised TF-IDF. The floor
    is the length of ``v`` for the shortest texts the model was trained on (their first
    percentile): a sentence of a few words would otherwise weigh each word as much as a whole
    answer weighs all of its words, and "Various factors may alter the results." would score
    0.97. A shorter text is read as if padded with words that say nothing."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    bias: float
    norm_floor: float = 0.0

    def logit(self, text: str) -> float:
        """The model's log-odds for ``text`` (the bias alone when no word is known)."""
        counts = Counter(
            i for i in map(self.vocabulary.get, _TOKEN.findall(text.lower())) if i is not None
        )
        if not counts:
            return self.bias
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[index]
        norm = max(float(np.sqrt(np.dot(values, values))), self.norm_floor)
        return self.bias + float(np.dot(self.weights[index], values)) / norm

    def probability(self, text: str) -> float:
        """Probability that a neural paraphraser wrote ``text`` (calibrated as the JSON of the
        model file records: 0.5 is passed by a set share of the tune half's originals)."""
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.logit(text)))))


def _check(arrays: dict[str, np.ndarray], about: dict[str, Any]) -> None:
    n = len(str(arrays["vocabulary"]).split("\n"))
    if arrays["idf"].shape != (n,) or arrays["weights"].shape != (n,):
        raise ValueError(
            f"{n} words but {arrays['idf'].shape} idf, {arrays['weights'].shape} weights"
        )
    if arrays["bias"].shape != (1,) or arrays["norm_floor"].shape != (1,):
        raise ValueError("bias and norm_floor must hold one number each")


@lru_cache(maxsize=1)
def paraphrase_model() -> ParaphraseModel:
    """The model shipped with unspin (loaded once per process)."""
    arrays = packaged_arrays(_FILE, "paraphrase model", _SCRIPT, _check)
    words = str(arrays["vocabulary"]).split("\n")
    return ParaphraseModel(
        {w: i for i, w in enumerate(words)},
        arrays["idf"].astype(float),
        arrays["weights"].astype(float),
        float(arrays["bias"][0]),
        float(arrays["norm_floor"][0]),
    )


def paraphrase_probability(text: str) -> float:
    """Probability that a neural paraphraser (QuillBot-like) rewrote ``text``.

    >>> 0.0 <= paraphrase_probability("The firm may alter its route via various options.") <= 1.0
    True
    """
    return paraphrase_model().probability(text)


def about() -> dict[str, Any]:
    """How the shipped model was trained (the ``about`` record of its file)."""
    return packaged_about(_FILE, "paraphrase model", _SCRIPT)
