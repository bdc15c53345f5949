"""Train the passage verifier shipped in ``src/unspin/data/passage_verifier.json``.

Every pair of a PAN-format training corpus is aligned with the "pan" profile and
verification off; each candidate passage gets the features of ``unspin.verifier`` and the
label "overlaps an annotated case on both sides". A logistic regression (numpy, IRLS, L2 1e-3)
is fitted. The threshold is chosen by 5-fold cross-validation grouped by suspicious document
(seed 13): out-of-fold probabilities drop passages, and the threshold with the best overall
plagdet on the corpus, averaged with its neighbours on the grid, wins: neighbouring thresholds
differ by about 0.001 (noise), and a flat optimum travels to other data better than a peak.
The JSON records the corpus, the cross-validated figures per threshold, the seed and the date;
the final model is fitted on all passages.

    python scripts/train_passage_verifier.py [--corpus ../shared/data/pan13-train] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from unspin.align import candidate_passages, prepare
from unspin.align.profiles import PAN
from unspin.evaluate.metrics import evaluate, overlaps
from unspin.evaluate.pan import Annotation, Pair, passages_to_detections, read_cases, read_corpus
from unspin.evaluate.pan import read_text as read_pan_text
from unspin.spinscore.model import fit_logistic
from unspin.verifier import FEATURES

SEED = 13
FOLDS = 5
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "passage_verifier.json"

Row = tuple[Pair, Annotation, list[float], int]


def _pair_rows(item: tuple[Path, Pair, list[Annotation], str]) -> list[Row]:
    root, pair, cases, overrides = item
    cfg = replace(PAN.config, **{**json.loads(overrides), "verify_threshold": 0.0})
    src = prepare(read_pan_text(root / "src" / pair.source), cfg)
    tgt = prepare(read_pan_text(root / "susp" / pair.suspicious), cfg)
    rows: list[Row] = []
    for passage, features in candidate_passages(src, tgt, cfg, with_features=True):
        (det,) = passages_to_detections(pair, [passage])
        rows.append((pair, det, features, int(any(overlaps(det, c) for c in cases))))
    return rows


def _plagdet(
    pairs: list[Pair], cases: dict[Pair, list[Annotation]], kept: dict[Pair, list[Annotation]]
) -> dict[str, float]:
    out = {}
    for section in [*sorted({p.section for p in pairs}), "all"]:
        chosen = [p for p in pairs if section in ("all", p.section)]
        m = evaluate(
            [c for p in chosen for c in cases[p]], [d for p in chosen for d in kept.get(p, [])]
        )
        out[section] = round(m.plagdet, 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pan13-train"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    parser.add_argument(
        "--align", default="{}", help="AlignConfig overrides as JSON, to try other candidates"
    )
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    pairs = list(corpus.pairs)
    cases = {p: read_cases(corpus, p) for p in pairs}
    with Pool(args.workers) as pool:
        items = [(corpus.root, p, cases[p], args.align) for p in pairs]
        per_pair = pool.map(_pair_rows, items, chunksize=16)
    rows = [r for rs in per_pair for r in rs]
    x = np.array([r[2] for r in rows], dtype=float)
    y = np.array([r[3] for r in rows], dtype=float)
    print(f"{len(rows)} candidate passages, {int(y.sum())} overlap a case")

    # Out-of-fold probabilities, folds grouped by suspicious document (its passages share it).
    docs = sorted({r[0].suspicious for r in rows})
    random.Random(SEED).shuffle(docs)
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    fold = np.array([fold_of[r[0].suspicious] for r in rows])
    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        model = fit_logistic(x[fold != k], y[fold != k], FEATURES)
        for i in np.flatnonzero(fold == k):
            oof[i] = model.predict(dict(zip(FEATURES, x[i], strict=True)))
    figures: dict[str, dict[str, float]] = {}
    for threshold in (0.0, *THRESHOLDS):
        kept: dict[Pair, list[Annotation]] = {}
        for r, p in zip(rows, oof, strict=True):
            if p >= threshold:
                kept.setdefault(r[0], []).append(r[1])
        figures[str(threshold)] = _plagdet(pairs, cases, kept)
        print(f"cross-validated, threshold {threshold}: {figures[str(threshold)]}")
    grid = (0.0, *THRESHOLDS)

    def smoothed(k: int) -> float:
        near = grid[max(0, k - 1) : k + 2]
        return sum(figures[str(t)]["all"] for t in near) / len(near)

    best = grid[max(range(1, len(grid)), key=smoothed)]
    final = fit_logistic(x, y, FEATURES)
    args.out.write_text(
        json.dumps(
            {
                "about": "Passage verifier of unspin.align (see unspin/verifier.py); written by "
                "scripts/train_passage_verifier.py",
                "corpus": args.corpus.name,
                "align_overrides": json.loads(args.align),
                "candidates": len(rows),
                "positives": int(y.sum()),
                "folds": FOLDS,
                "seed": SEED,
                "date": datetime.date.today().isoformat(),
                "cross_validated_plagdet": figures,
                "threshold": best,
                "model": final.to_dict(),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"threshold {best}; wrote {args.out}")


if __name__ == "__main__":
    main()
