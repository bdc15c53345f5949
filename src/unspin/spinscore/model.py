"""A small logistic regression (numpy only) that turns text features into a calibrated probability.

The coefficients ship in ``unspin/data/spin_model.json``, written by
``scripts/train_spin_model.py`` together with how they were trained (data split, seeds, date).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import UnspinError
from .packaged import packaged_json
from .words import model_file


def sigmoid(z: float) -> float:
    """``1 / (1 + exp(-z))``, with ``z`` clipped to +-50."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def log_odds(p: float) -> float:
    """The inverse of :func:`sigmoid` (``p`` clipped to 1e-22..1 - 1e-16).

    >>> round(log_odds(sigmoid(1.5)), 6)
    1.5
    """
    p = min(max(p, 1e-22), 1.0 - 1e-16)
    return math.log(p) - math.log1p(-p)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The text-level verdict from the two text models' log-odds ``t`` (thesaurus) and ``q``
    (paraphrase): ``odds = exp(thesaurus_bias + thesaurus_weight * t) + exp(paraphrase_bias +
    paraphrase_weight * q)``. The odds of the two kinds of rewriting add up, so the verdict rises
    with either model's evidence (both weights are at least 0) and neither model hides the
    other's; the numbers are fitted by ``scripts/train_spin_verdict.py``.

    >>> v = Verdict(0.0, 1.0, 0.0, 1.0)
    >>> round(v.probability(0.0, -50.0), 3), round(v.probability(0.0, 0.0), 3)
    (0.5, 0.667)
    >>> v.probability(-2.0, 1.0) > v.probability(-3.0, 1.0)
    True
    """

    thesaurus_bias: float
    thesaurus_weight: float
    paraphrase_bias: float
    paraphrase_weight: float

    def log_odds(self, t: np.ndarray, q: np.ndarray) -> np.ndarray:
        """The verdict's log-odds for arrays of the two models' log-odds."""
        return np.logaddexp(
            self.thesaurus_bias + self.thesaurus_weight * np.asarray(t, dtype=float),
            self.paraphrase_bias + self.paraphrase_weight * np.asarray(q, dtype=float),
        )

    def probability(self, t: float, q: float) -> float:
        """The verdict for one text whose models give log-odds ``t`` and ``q``."""
        return sigmoid(float(self.log_odds(np.array(t), np.array(q))))

    def shifted(self, shift: float) -> Verdict:
        """The same verdict with ``shift`` added to its log-odds everywhere."""
        return Verdict(
            self.thesaurus_bias + shift,
            self.thesaurus_weight,
            self.paraphrase_bias + shift,
            self.paraphrase_weight,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """The inverse of :meth:`to_dict` (raises KeyError/ValueError/TypeError if malformed)."""
        verdict = cls(
            float(data["thesaurus_bias"]),
            float(data["thesaurus_weight"]),
            float(data["paraphrase_bias"]),
            float(data["paraphrase_weight"]),
        )
        if verdict.thesaurus_weight < 0 or verdict.paraphrase_weight < 0:
            raise ValueError("verdict weights must be 0 or more")
        return verdict

    def to_dict(self) -> dict[str, float]:
        return {
            "thesaurus_bias": round(self.thesaurus_bias, 6),
            "thesaurus_weight": round(self.thesaurus_weight, 6),
            "paraphrase_bias": round(self.paraphrase_bias, 6),
            "paraphrase_weight": round(self.paraphrase_weight, 6),
        }


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """``p = sigmoid(bias + sum(weight_i * (x_i - mean_i) / scale_i))``."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logit(self, features: dict[str, float]) -> float:
        """Log-odds that the text with these features was spun."""
        x = np.array([features[n] for n in self.names], dtype=float)
        return self.bias + float(np.dot(self.weights, (x - self.mean) / self.scale))

    def predict(self, features: dict[str, float]) -> float:
        """Probability that the text with these features was spun."""
        return sigmoid(self.logit(features))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogisticModel:
        """The inverse of :meth:`to_dict` (raises KeyError/ValueError/TypeError if malformed)."""
        return cls(
            tuple(data["features"]),
            np.array(data["mean"], dtype=float),
            np.array(data["scale"], dtype=float),
            np.array(data["weights"], dtype=float),
            float(data["bias"]),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.names),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
        }


def fit_logistic(
    x: np.ndarray, y: np.ndarray, names: tuple[str, ...], *, l2: float = 1e-3, steps: int = 3000
) -> LogisticModel:
    """Fit by Newton's method (IRLS) with a light L2 penalty on standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(xs.shape[1])
    penalty = l2 * np.eye(xs.shape[1])
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(xs @ w, -50.0, 50.0)))
        grad = xs.T @ (p - y) / len(y) + penalty @ w
        hess = (xs * (p * (1 - p))[:, None]).T @ xs / len(y) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return LogisticModel(names, mean, scale, w[1:], float(w[0]))


@lru_cache(maxsize=2)
def _packaged(kind: str) -> tuple[LogisticModel, Verdict | str]:
    """The text model of ``kind`` and its verdict (or why the verdict could not be read: the
    training script of the verdict reads the text model before there is one)."""
    path = model_file(kind, "spin_model")
    flag = " --contextual" if kind == "contextual" else ""
    raw, model = packaged_json(
        path,
        "spin model",
        f"scripts/train_spin_model.py{flag}",
        lambda raw: (raw, LogisticModel.from_dict(raw["model"])),
    )
    try:
        return model, Verdict.from_dict(raw["verdict"])
    except (ValueError, KeyError, TypeError) as exc:
        return model, (
            f"The verdict of the packaged spin model (unspin/{path}) is missing or damaged "
            f"({exc!r}). Rebuild it with: python scripts/train_spin_verdict.py"
        )


def packaged_model(kind: str = "lexical") -> LogisticModel:
    """The text model shipped with unspin for the per-word model ``kind`` (see
    :data:`unspin.spinscore.words.MODEL_KINDS`)."""
    return _packaged(kind)[0]


def packaged_verdict(kind: str = "lexical") -> Verdict:
    """How the text-level verdict combines the thesaurus text model of ``kind`` with the
    paraphrase model (the ``verdict`` record of the same JSON file)."""
    verdict = _packaged(kind)[1]
    if isinstance(verdict, str):
        raise UnspinError(verdict)
    return verdict
