"""Train the spin model shipped in ``src/unspin/data/spin_model.json``.

Features of Reuters paragraphs from files reut2-000..013 (originals, and the same paragraphs spun
at a random rate in 0.05..0.6 by the spinners of :mod:`unspin.generators` in turn: Moby,
WordNet, Roget, GloVe neighbours, phrases and function words, typos; ``--spinners moby`` is the
Moby-only model shipped until 2026-12-04), and as many short texts (the first one or two
sentences of a story, 6-40 words; ``--shorts 0`` leaves them out), fit a logistic
regression (numpy, no sklearn); the JSON records the data, seeds and date. Held-apart reliability is measured by
``benchmarks/bench_spin.py`` on files reut2-014..021.

With ``--contextual`` the features come from the contextual per-word model (the ``embed``
extra) and the model is written to ``spin_model_contextual.json``.

    python scripts/train_spin_model.py [--data ../shared/data] [--limit 1500] [--shorts 1500]
        [--spinners moby,wordnet,roget,glove,phrase,typo] [--contextual]

The mixture needs the ``spinners`` extra.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
from pathlib import Path

import numpy as np

from unspin.generators import SPINNERS
from unspin.spinscore.corpus import TRAIN_FILES, labelled, paragraphs, short_texts
from unspin.spinscore.features import FEATURE_NAMES, analyse
from unspin.spinscore.index import reverse_thesaurus
from unspin.spinscore.model import fit_logistic

SEED = 13
SHORT_SEED = 17
DATA = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1500, help="paragraphs (before spinning)")
    parser.add_argument(
        "--shorts",
        type=int,
        default=1500,
        help="short texts (before spinning): without them, one or two sentences score as if "
        "they were paragraphs (development Brier on short texts 0.100 -> 0.091, contextual)",
    )
    parser.add_argument(
        "--contextual", action="store_true", help="features of the contextual per-word model"
    )
    parser.add_argument("--spinners", default=",".join(SPINNERS), help="comma-separated names")
    args = parser.parse_args()
    spinners = tuple(n.strip() for n in args.spinners.split(",") if n.strip())
    unknown = [n for n in spinners if n not in SPINNERS]
    if unknown or not spinners:
        raise SystemExit(f"--spinners: unknown {unknown}; choose from {', '.join(SPINNERS)}")
    # Moby alone keeps the exact texts of the Moby-only model (spinner.spin, same seeds).
    mixture = () if spinners == ("moby",) else spinners
    kind = "contextual" if args.contextual else "lexical"
    out = DATA / ("spin_model_contextual.json" if args.contextual else "spin_model.json")
    texts = []
    for text in paragraphs(args.data / "reuters21578", TRAIN_FILES):
        texts.append(text)
        if len(texts) >= args.limit:
            break
    shorts = list(
        itertools.islice(short_texts(args.data / "reuters21578", TRAIN_FILES), args.shorts)
    )
    rt = reverse_thesaurus()
    examples = labelled(texts, SEED, spinners=mixture) + labelled(
        shorts, SHORT_SEED, spinners=mixture
    )
    features = [analyse(t, rt, kind)[0] for t, _ in examples]  # once per text
    x = np.array([[f[n] for n in FEATURE_NAMES] for f in features])
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
        "trained": {
            "script": "scripts/train_spin_model.py",
            "per_word_model": kind,
            "date": datetime.date.today().isoformat(),
            "data": "Reuters-21578 reut2-000..013, first 60-160 words of each story, and the "
            "first one or two sentences (6-40 words) of each story",
            "paragraphs": len(texts),
            "short_texts": len(shorts),
            "examples": len(examples),
            "spin_rates": [0.05, 0.6],
            "spinners": list(spinners),
            "seed": SEED,
            "short_seed": SHORT_SEED,
            "train_accuracy": round(accuracy, 4),
        },
    }
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
