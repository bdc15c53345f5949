"""Train the per-word spin model shipped in ``src/unspin/data/spin_word_model.json``.

Reuters paragraphs from files reut2-007..013 are spun at 10% and at 20% (seed 29) by a mixture
of spinners (:mod:`unspin.generators`: Moby, WordNet, Roget, GloVe neighbours, phrases and
function words; paragraph ``i`` at rate number ``r`` goes to spinner ``(i + r) mod n``);
every content word the detection features read gets the row of
``unspin.spinscore.words.WORD_FEATURES`` and the label "the spinner put it there". A
gradient-boosted tree ensemble (scikit-learn's ``HistGradientBoostingClassifier``, fixed
settings) is fitted and its trees are written as JSON, which ``unspin.spinscore.words``
evaluates with numpy. Files 000..002 train the text-level model (``train_spin_model.py``),
003..006 are the development files the leave-one-out check reads, and 014..021 are held apart.
``--spinners moby`` trains the Moby-only model shipped until 2026-12-04 (same seeds).

``--leave-one-out N`` also spins ``N`` paragraphs of the development files with each spinner
and prints, for each spinner X, the per-word AUC of a model trained without X, of the model
trained on all of them and of ``--baseline`` (by default the model file as it was before this
run: the Moby-only model), all tested on X's swaps, with 95% bootstrap intervals over
paragraphs. ``--dry-run`` writes nothing.

With ``--contextual`` it trains the contextual per-word model
(``spin_word_model_contextual.json``), whose extra column is the log-odds of the fine-tuned
transformer of :mod:`unspin.spinscore.contextual` (``scripts/train_spin_adapter.py``, run it
first). That model was tuned on later parts of the stories, never on these paragraphs, so its
scores here are those it gives unseen text. ``--other-head column`` (with ``--contextual``)
adds one more column: the second head on the same states (``train_spin_adapter.py
--other-head``); ``--other-head mean`` reads the mean of the two heads' log-odds in place of the
first head's.

Needs the ``train`` and ``spinners`` extras (``pip install -e .[train,spinners]``), and the
``embed`` extra for ``--contextual``:

    python scripts/train_spin_word_model.py [--data ../shared/data] [--limit 1500]
        [--spinners moby,wordnet,...] [--leave-one-out 200] [--dry-run] [--contextual]
        [--other-head column|mean]
"""

from __future__ import annotations

import os

# The GloVe spinner multiplies a 50,000 x 50 matrix per word: on a busy 2-core machine a
# threaded BLAS is 30 times slower than one thread.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from unspin.generators import SPINNERS, spin_by  # noqa: E402
from unspin.generators.spin_corpus import paragraphs  # noqa: E402
from unspin.spinscore.features import word_rows  # noqa: E402
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus  # noqa: E402
from unspin.spinscore.words import (  # noqa: E402
    CONTEXTUAL_WORD_FEATURES,
    MEAN_HEAD_WORD_FEATURES,
    TWO_HEAD_WORD_FEATURES,
    WORD_FEATURES,
    TreeEnsemble,
)

SEED = 29
FILES = range(7, 14)
DEV_FILES = range(3, 7)
RATES = (0.1, 0.2)
# The lexical model is a larger ensemble since it learns five spinners (per-word AUC on held
# paragraphs 0.833 -> 0.848 and +0.008..0.015 left one spinner out, development files); the
# contextual one gained nothing from it (0.9149 -> 0.9150) and keeps the smaller one.
SETTINGS = {
    "max_iter": 400,
    "learning_rate": 0.05,
    "max_leaf_nodes": 31,
    "max_depth": 8,  # evaluation walks every tree to this depth: a cap keeps scoring fast
    "l2_regularization": 1.0,
    "random_state": SEED,
}
CONTEXTUAL_SETTINGS = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "random_state": SEED,
}
DATA = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data"
# Typos are not in the mixture: a typo'd word is no row of the per-word model (digits make it
# character noise, and the rows are read for words the lexicon knows), so its texts would only
# add unspun rows. The text-level benchmark still measures them (bench_spinners.py).
WORD_SPINNERS = tuple(n for n in SPINNERS if n != "typo")


@dataclass(frozen=True)
class Rows:
    """Feature rows of spun texts: labels, the paragraph each came from and its spinner."""

    x: np.ndarray
    y: np.ndarray
    group: np.ndarray
    spinner: np.ndarray


def spun_rows(texts: list[str], assign: list[list[str]], seed: int, heads: tuple[str, ...]) -> Rows:
    """Rows of ``texts[i]`` spun at ``RATES[r]`` by ``assign[r][i]``, with the columns of the
    contextual ``heads`` (none for the lexical model)."""
    if heads:
        from unspin.spinscore.contextual import word_logits
    rt = reverse_thesaurus()
    x: list[list[float]] = []
    y: list[float] = []
    group: list[int] = []
    names: list[str] = []
    probe: list[np.ndarray] = []
    for r, rate in enumerate(RATES):
        for i, text in enumerate(texts):
            name = assign[r][i]
            spun = spin_by(name, text, rate, seed=seed * 100_003 + r * 10_000 + i)
            swapped = [(e.target_start, e.target_end) for e in spun.replacements]
            rows = word_rows(spun.text, rt, "contextual" if heads else "lexical")
            if heads and rows:
                logits = word_logits(spun.text, [(a, b) for a, b, _ in rows], columns=heads)
                probe.append(logits.reshape(len(rows), len(heads)))
            for start, end, row in rows:
                x.append(row)
                y.append(float(any(a <= start and end <= b for a, b in swapped)))
                group.append(i)
                names.append(name)
    xs = np.array(x)
    xs[~np.isfinite(xs)] = -5.0
    if heads:
        xs = np.column_stack([xs, np.concatenate(probe)])
    return Rows(xs, np.array(y), np.array(group), np.array(names))


def grouped_auc(y: np.ndarray, score: np.ndarray, group: np.ndarray) -> tuple[float, float, float]:
    """ROC AUC and its 95% bootstrap interval, resampling whole paragraphs."""
    from sklearn.metrics import roc_auc_score

    point = float(roc_auc_score(y, score))
    ids = np.unique(group)
    where = {g: np.flatnonzero(group == g) for g in ids}
    rng = np.random.default_rng(0)
    values = []
    for _ in range(200):
        idx = np.concatenate([where[g] for g in rng.choice(ids, len(ids))])
        if 0 < y[idx].sum() < len(idx):
            values.append(roc_auc_score(y[idx], score[idx]))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return point, float(lo), float(hi)


def fit(rows: Rows, mask: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    contextual = rows.x.shape[1] > len(WORD_FEATURES)
    settings = CONTEXTUAL_SETTINGS if contextual else SETTINGS
    return HistGradientBoostingClassifier(**settings).fit(rows.x[mask], rows.y[mask])


def leave_one_out(
    train: Rows, dev: Rows, names: list[str], baseline: TreeEnsemble, baseline_about: str
) -> None:
    """Print the leave-one-spinner-out table (per-word AUC on each spinner's swaps)."""
    everyone = fit(train, np.ones(len(train.y), dtype=bool))
    print(f"\nbaseline: {baseline_about}")
    print(
        "| spinner X (test: its swaps, dev files 003..006) | words (spun) | "
        "trained without X | trained on all | Moby-only baseline | hand-built ctx_llr |"
    )
    print("|---|---|---|---|---|---|")
    for name in names:
        test = dev.spinner == name
        y, g = dev.y[test], dev.group[test]
        cells = []
        if len(names) > 1:
            without = fit(train, train.spinner != name)
            cells.append(grouped_auc(y, without.decision_function(dev.x[test]), g))
        else:
            cells.append((float("nan"),) * 3)
        cells.append(grouped_auc(y, everyone.decision_function(dev.x[test]), g))
        cells.append(grouped_auc(y, baseline.logit(dev.x[test][:, : len(baseline.names)]), g))
        cells.append(grouped_auc(y, dev.x[test][:, WORD_FEATURES.index("ctx_llr")], g))
        text = " | ".join(f"{a:.3f} ({lo:.3f}-{hi:.3f})" for a, lo, hi in cells)
        print(f"| {name} | {int(test.sum())} ({int(y.sum())}) | {text} |")


def main() -> None:
    try:
        from sklearn.metrics import roc_auc_score
    except ImportError as exc:  # the train extra
        raise SystemExit("needs scikit-learn: pip install -e .[train]") from exc
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1500, help="paragraphs (before spinning)")
    parser.add_argument("--spinners", default=",".join(WORD_SPINNERS), help="comma-separated names")
    parser.add_argument(
        "--leave-one-out", type=int, default=0, metavar="N", help="dev paragraphs per spinner"
    )
    parser.add_argument("--baseline", type=Path, help="model JSON to compare (default: current)")
    parser.add_argument("--dry-run", action="store_true", help="write no model file")
    parser.add_argument(
        "--contextual", action="store_true", help="also fit the MiniLM probe (embed extra)"
    )
    parser.add_argument(
        "--other-head",
        choices=("column", "mean"),
        help="with --contextual: also read the second head (train_spin_adapter.py "
        "--other-head) as a column of its own, or the mean of both heads in place of the first",
    )
    args = parser.parse_args()
    if args.other_head and not args.contextual:
        raise SystemExit("--other-head: only with --contextual")
    names_out = (
        {"column": TWO_HEAD_WORD_FEATURES, "mean": MEAN_HEAD_WORD_FEATURES}[args.other_head]
        if args.other_head
        else CONTEXTUAL_WORD_FEATURES
        if args.contextual
        else WORD_FEATURES
    )
    heads = names_out[len(WORD_FEATURES) :]
    names = [n.strip() for n in args.spinners.split(",") if n.strip()]
    unknown = [n for n in names if n not in SPINNERS]
    if unknown or not names:
        raise SystemExit(f"--spinners: unknown {unknown}; choose from {', '.join(SPINNERS)}")
    kind = "contextual" if args.contextual else "lexical"
    out = DATA / ("spin_word_model_contextual.json" if args.contextual else "spin_word_model.json")
    baseline_path = args.baseline or out
    baseline_record = json.loads(baseline_path.read_text(encoding="utf-8"))
    baseline = TreeEnsemble.from_dict(baseline_record["model"])
    started = time.perf_counter()
    texts = list(paragraphs(args.data / "reuters21578", FILES))[: args.limit]
    assign = [[names[(i + r) % len(names)] for i in range(len(texts))] for r in range(len(RATES))]
    train = spun_rows(texts, assign, SEED, heads)
    print(f"training rows: {len(train.y)} words from {len(texts)} paragraphs x {len(RATES)} rates")
    print(f"spun in {time.perf_counter() - started:.0f} s")
    held = train.group % 5 == 0  # a fifth of the paragraphs checks the fit
    for k, head in enumerate(heads):
        column = train.x[:, len(WORD_FEATURES) + k]
        print(f"the transformer's {head} alone: AUC {roc_auc_score(train.y, column):.4f}")
    check = fit(train, ~held)
    auc = float(roc_auc_score(train.y[held], check.decision_function(train.x[held])))
    ctx = train.x[held, WORD_FEATURES.index("ctx_llr")]
    base_auc = float(roc_auc_score(train.y[held], ctx))
    print(f"{len(train.y)} words, {train.y.mean():.3f} spun; AUC on held paragraphs {auc:.4f}")
    print(f"(the hand-built context ratio alone: {base_auc:.4f})")
    if args.leave_one_out:
        dev_texts = list(paragraphs(args.data / "reuters21578", DEV_FILES))
        rng = np.random.default_rng(SEED)
        pick = sorted(rng.choice(len(dev_texts), args.leave_one_out, replace=False).tolist())
        dev_texts = [dev_texts[i] for i in pick]
        every = list(WORD_SPINNERS)
        # Each dev paragraph is spun by every spinner, so the spinners' rows are comparable.
        parts = [
            spun_rows(dev_texts, [[n] * len(dev_texts)] * len(RATES), SEED + 1, heads)
            for n in every
        ]
        dev = Rows(*(np.concatenate([getattr(p, f) for p in parts]) for f in Rows.__annotations__))
        leave_one_out(
            train,
            dev,
            every if len(names) > 1 else names,
            baseline,
            baseline_record.get("data", str(baseline_path)),
        )
    if args.dry_run:
        return
    final = fit(train, np.ones(len(train.y), dtype=bool))
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
        "features": list(names_out),
        "trees": trees,
        "depth": depth,
        "baseline": float(np.ravel(final._baseline_prediction)[0]),
        "prior": float(train.y.mean()),
    }
    # The JSON trees must reproduce scikit-learn's own scores.
    ours = TreeEnsemble.from_dict(model).logit(train.x[:2000])
    theirs = final.decision_function(train.x[:2000])
    assert np.allclose(ours, theirs, atol=1e-6), float(np.abs(ours - theirs).max())
    record = {
        "about": f"Per-word spin model ({kind}) of unspin.spinscore.words; written by "
        "scripts/train_spin_word_model.py",
        "data": f"Reuters-21578 reut2-{FILES[0]:03d}..{FILES[-1]:03d}, first {len(texts)} "
        f"paragraphs, each spun at {', '.join(f'{r:.0%}' for r in RATES)} by "
        f"{'/'.join(names)} in turn",
        "spinners": names,
        "words": len(train.y),
        "settings": CONTEXTUAL_SETTINGS if args.contextual else SETTINGS,
        "held_paragraph_auc": round(auc, 4),
        "context_ratio_auc": round(base_auc, 4),
        "date": datetime.date.today().isoformat(),
        "model": model,
    }
    out.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
