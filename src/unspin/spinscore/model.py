"""A small logistic regression (numpy only) that turns text features into a calibrated probability.

The coefficients ship in ``unspin/data/spin_model.json``, written by
``scripts/train_spin_model.py`` together with how they were trained (data split, seeds, date).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import UnspinError


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """``p = sigmoid(bias + sum(weight_i * (x_i - mean_i) / scale_i))``."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logit(self, features: dict[str, float]) -> float:
        """Log-odds (natural log) for these features."""
        x = np.array([features[n] for n in self.names], dtype=float)
        return self.bias + float(np.dot(self.weights, (x - self.mean) / self.scale))

    def predict(self, features: dict[str, float]) -> float:
        """Probability that the text with these features was spun."""
        z = self.logit(features)
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))))

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.names),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
        }


@dataclass(frozen=True, slots=True)
class WordModel:
    """Per-word spin odds, turned into a likelihood ratio by removing the training base rate."""

    model: LogisticModel
    base_rate: float

    def llr(self, features: dict[str, float]) -> float:
        """log10 P(word | spun) / P(word | written)."""
        prior = math.log(self.base_rate / (1.0 - self.base_rate))
        return (self.model.logit(features) - prior) / math.log(10.0)

    def to_dict(self) -> dict[str, object]:
        return {**self.model.to_dict(), "base_rate": round(self.base_rate, 6)}


def _logistic_from_dict(data: dict[str, object]) -> LogisticModel:
    return LogisticModel(
        tuple(data["features"]),  # type: ignore[arg-type]
        np.array(data["mean"], dtype=float),
        np.array(data["scale"], dtype=float),
        np.array(data["weights"], dtype=float),
        float(data["bias"]),  # type: ignore[arg-type]
    )


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


def packaged_model() -> LogisticModel:
    """The text model shipped with unspin."""
    return _packaged()[0]


def packaged_word_model() -> WordModel:
    """The word model shipped with unspin (rates each content word for the text model)."""
    return _packaged()[1]


@lru_cache(maxsize=1)
def _packaged() -> tuple[LogisticModel, WordModel]:
    try:
        raw = resources.files("unspin").joinpath("data/spin_model.json").read_text("utf-8")
        data = json.loads(raw)
        word = data["word_model"]
        return _logistic_from_dict(data["model"]), WordModel(
            _logistic_from_dict(word), float(word["base_rate"])
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnspinError(
            f"The packaged spin model is missing or damaged ({exc}). "
            "Rebuild it with: python scripts/train_spin_model.py"
        ) from exc
