"""Train the per-word spin model shipped in ``src/unspin/data/spin_word_model.json``.

Reuters paragraphs from files reut2-007..013 are spun by ``unspin.spinner.spin`` at 10% and at
20% (seed 29); every content word the detection features read gets the row of
``unspin.spinscore.words.WORD_FEATURES`` and the label "the spinner put it there". A
gradient-boosted tree ensemble (scikit-learn's ``HistGradientBoostingClassifier``, fixed
settings) is fitted and its trees are written as JSON, which ``unspin.spinscore.words``
evaluates with numpy. Files 000..002 train the text-level model (``train_spin_model.py``) and
014..021 are held apart, so neither model sees the other's paragraphs.

With ``--contextual`` it trains the contextual per-word model
(``spin_word_model_contextual.json``), whose extra column is the log-odds of the fine-tuned
transformer of :mod:`unspin.spinscore.contextual` (``scripts/train_spin_adapter.py``, run it
first). That model was tuned on later parts of the stories, never on these paragraphs, so its
scores here are those it gives unseen text.

Needs the ``train`` extra (``pip install -e .[train]``), and the ``embed`` extra for
``--contextual``:

    python scripts/train_spin_word_model.py [--data ../shared/data] [--limit 1200] [--contextual]
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

import numpy as np

from unspin.spinner import spin
from unspin.spinscore.corpus import paragraphs
from unspin.spinscore.features import word_rows
from unspin.spinscore.index import reverse_thesaurus
from unspin.spinscore.words import CONTEXTUAL_WORD_FEATURES, WORD_FEATURES, TreeEnsemble

SEED = 29
FILES = range(7, 14)
RATES = (0.1, 0.2)
SETTINGS = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "random_state": SEED}
DATA = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data"


def main() -> None:
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.metrics import roc_auc_score
    except ImportError as exc:  # the train extra
        raise SystemExit("needs scikit-learn: pip install -e .[train]") from exc
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1200, help="paragraphs (before spinning)")
    parser.add_argument(
        "--contextual", action="store_true", help="also fit the MiniLM probe (embed extra)"
    )
    args = parser.parse_args()
    kind = "contextual" if args.contextual else "lexical"
    out = DATA / ("spin_word_model_contextual.json" if args.contextual else "spin_word_model.json")
    if args.contextual:
        from unspin.spinscore.contextual import word_logits
    texts = []
    for text in paragraphs(args.data / "reuters21578", FILES):
        texts.append(text)
        if len(texts) >= args.limit:
            break
    rt = reverse_thesaurus()
    x: list[list[float]] = []
    y: list[float] = []
    group: list[int] = []
    probe: list[np.ndarray] = []
    for r, rate in enumerate(RATES):
        for i, text in enumerate(texts):
            spun = spin(text, rate, seed=SEED * 100_003 + r * 10_000 + i)
            swapped = [(e.target_start, e.target_end) for e in spun.replacements]
            rows = word_rows(spun.text, rt)
            if args.contextual and rows:
                probe.append(word_logits(spun.text, [(a, b) for a, b, _ in rows]))
            for start, end, row in rows:
                x.append(row)
                y.append(float(any(a <= start and end <= b for a, b in swapped)))
                group.append(i)
    xs = np.array(x)
    xs[~np.isfinite(xs)] = -5.0
    ys = np.array(y)
    groups = np.array(group)
    held = groups % 5 == 0  # a fifth of the paragraphs checks the fit
    names = WORD_FEATURES
    if args.contextual:
        column = np.concatenate(probe)
        print(f"the transformer alone: AUC {roc_auc_score(ys, column):.4f}")
        xs = np.column_stack([xs, column])
        names = CONTEXTUAL_WORD_FEATURES
    check = HistGradientBoostingClassifier(**SETTINGS).fit(xs[~held], ys[~held])
    auc = float(roc_auc_score(ys[held], check.decision_function(xs[held])))
    baseline = float(roc_auc_score(ys[held], xs[held, WORD_FEATURES.index("ctx_llr")]))
    print(f"{len(ys)} words, {ys.mean():.3f} spun; AUC on held paragraphs {auc:.4f}")
    print(f"(the hand-built context ratio alone: {baseline:.4f})")
    final = HistGradientBoostingClassifier(**SETTINGS).fit(xs, ys)
    trees = []
    depth = 0
    for (predictor,) in final._predictors:
        nodes = predictor.nodes
        depth = max(depth, int(nodes["depth"].max()))
        trees.append(
            {
                "feature": nodes["feature_idx"].tolist(),
                # Unrounded: a threshold can equal a value the features take exactly.
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "left": np.where(nodes["is_leaf"], -1, nodes["left"].astype(np.int64)).tolist(),
                "right": np.where(nodes["is_leaf"], -1, nodes["right"].astype(np.int64)).tolist(),
                "value": [round(float(v), 9) for v in nodes["value"]],
            }
        )
    model = {
        "features": list(names),
        "trees": trees,
        "depth": depth,
        "baseline": float(np.ravel(final._baseline_prediction)[0]),
        "prior": float(ys.mean()),
    }
    # The JSON trees must reproduce scikit-learn's own scores.
    ours = TreeEnsemble.from_dict(model).logit(xs[:2000])
    theirs = final.decision_function(xs[:2000])
    assert np.allclose(ours, theirs, atol=1e-6), float(np.abs(ours - theirs).max())
    record = {
        "about": f"Per-word spin model ({kind}) of unspin.spinscore.words; written by "
        "scripts/train_spin_word_model.py",
        "data": f"Reuters-21578 reut2-{FILES[0]:03d}..{FILES[-1]:03d}, first {len(texts)} "
        f"paragraphs, each spun at {', '.join(f'{r:.0%}' for r in RATES)}",
        "words": len(ys),
        "settings": SETTINGS,
        "held_paragraph_auc": round(auc, 4),
        "context_ratio_auc": round(baseline, 4),
        "date": datetime.date.today().isoformat(),
        "model": model,
    }
    out.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
