"""A small logistic regression (numpy only) that turns text features into a calibrated probability.

The coefficients ship in ``unspin/data/spin_model.json``, written by
``scripts/train_spin_model.py`` together with how they were trained (data split, seeds, date).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import UnspinError
from .words import model_file


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """``p = sigmoid(bias + sum(weight_i * (x_i - mean_i) / scale_i))``."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def predict(self, features: dict[str, float]) -> float:
        """Probability that the text with these features was spun."""
        x = np.array([features[n] for n in self.names], dtype=float)
        z = self.bias + float(np.dot(self.weights, (x - self.mean) / self.scale))
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))))

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
def packaged_model(kind: str = "lexical") -> LogisticModel:
    """The text model shipped with unspin for the per-word model ``kind`` (see
    :data:`unspin.spinscore.words.MODEL_KINDS`)."""
    path = model_file(kind, "spin_model")
    flag = " --contextual" if kind == "contextual" else ""
    try:
        raw = resources.files("unspin").joinpath(path).read_text("utf-8")
        return LogisticModel.from_dict(json.loads(raw)["model"])
    except (OSError, ValueError, KeyError) as exc:
        raise UnspinError(
            f"The packaged spin model (unspin/{path}) is missing or damaged ({exc}). "
            f"Rebuild it with: python scripts/train_spin_model.py{flag}"
        ) from exc
