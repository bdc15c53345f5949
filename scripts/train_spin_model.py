"""Train the spin model shipped in ``src/unspin/data/spin_model.json``.

Two logistic regressions (numpy, no sklearn) on Reuters paragraphs from files reut2-000..013:

1. the word model: content words of paragraphs spun at 20%, labelled by whether the spinner put
   them there, from :func:`unspin.spinscore.features.word_features`; its odds, less the base
   rate, are each word's likelihood ratio;
2. the text model: originals and the same paragraphs spun at a random rate in 0.05..0.6, from
   the text features computed with that word model.

The JSON records the data, seeds and date. Held-apart reliability is measured by
``benchmarks/bench_spin.py`` on files reut2-014..021.

    python scripts/train_spin_model.py [--data ../shared/data] [--limit 1500]
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

import numpy as np

from unspin.spinscore.corpus import TRAIN_FILES, labelled, paragraphs
from unspin.spinner import spin
from unspin.spinscore.features import FEATURE_NAMES, WORD_FEATURES, analyse
from unspin.spinscore.index import ReverseThesaurus, reverse_thesaurus
from unspin.spinscore.model import WordModel, fit_logistic

SEED = 13
WORD_RATE = 0.2


def fit_word_model(texts: list[str], rt: ReverseThesaurus) -> WordModel:
    """Per-word spin odds from paragraphs spun at :data:`WORD_RATE` (a seed apart from the
    text model's)."""
    x: list[list[float]] = []
    y: list[float] = []
    for i, text in enumerate(texts):
        spun = spin(text, WORD_RATE, seed=SEED * 7919 + i)
        swapped = {r.target_start for r in spun.replacements}
        rows: list[tuple[int, dict[str, float]]] = []
        analyse(spun.text, rt, rows=rows)
        for start, features in rows:
            x.append([features[n] for n in WORD_FEATURES])
            y.append(float(start in swapped))
    labels = np.array(y)
    model = fit_logistic(np.array(x), labels, WORD_FEATURES)
    return WordModel(model, float(labels.mean()))
OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "spin_model.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1500, help="paragraphs (before spinning)")
    args = parser.parse_args()
    texts = []
    for text in paragraphs(args.data / "reuters21578", TRAIN_FILES):
        texts.append(text)
        if len(texts) >= args.limit:
            break
    rt = reverse_thesaurus()
    word_model = fit_word_model(texts, rt)
    examples = labelled(texts, SEED)
    x = np.array(
        [[analyse(t, rt, word_model.llr)[0][n] for n in FEATURE_NAMES] for t, _ in examples]
    )
    y = np.array([label for _, label in examples], dtype=float)
    model = fit_logistic(x, y, FEATURE_NAMES)
    accuracy = float(
        (
            (np.array([model.predict(dict(zip(FEATURE_NAMES, r, strict=True))) for r in x]) > 0.5)
            == y
        ).mean()
    )
    record = {
        "model": model.to_dict(),
        "word_model": word_model.to_dict(),
        "trained": {
            "script": "scripts/train_spin_model.py",
            "date": datetime.date.today().isoformat(),
            "data": "Reuters-21578 reut2-000..013, first 60-160 words of each story",
            "paragraphs": len(texts),
            "examples": len(examples),
            "spin_rates": [0.05, 0.6],
            "word_model_spin_rate": WORD_RATE,
            "seed": SEED,
            "train_accuracy": round(accuracy, 4),
        },
    }
    OUT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
