"""Fit the text-level verdict that combines the two text models (``verdict`` in the text-model JSON).

``score_text``'s probability is made from the thesaurus text model's log-odds ``t``
(:mod:`unspin.spinscore.model`) and the paraphrase model's ``q``
(:mod:`unspin.spinscore.paraphrase`) as

    odds(spun) = exp(a_t + b_t * t) + exp(a_p + b_p * q),    b_t, b_p >= 0

the odds of "a thesaurus spinner went over it" and of "a neural paraphraser rewrote it" added
up (:class:`unspin.spinscore.model.Verdict`). It rises with each model's evidence (unlike a
product), and one model's strong evidence is not hidden by the other (unlike the maximum, under
which the lower model does not move the verdict at all). The four numbers are fitted by
weighted maximum likelihood, then one shift of the output (``a_t`` and ``a_p`` together) caps
the share of each group of unspun calibration text over 0.5 (``--budget``):

* Reuters paragraphs (60-160 words) and short texts (one or two sentences) of the training files
  reut2-004..006, which no model under the verdict read (the thesaurus text model's first 1,500
  of each end in reut2-002/003, the paraphrase model read 000..002, the per-word models
  007..013), as they are (label 0) and spun
  at a random rate in 0.05-0.6 by the spinner mixture of ``train_spin_model.py`` (label 1);
* stretches of PAN 2013 source books, files 600..1199 of ``train_paraphrase_model.py``'s seeded
  order (``train_spin_model.py --calibration-books``; the paraphrase model read the first 600,
  ``bench_realspin.py`` reads from the 2,000th on), label 0;
* the tune half of the QuillBot development pairs (the held half is never read), originals 0 and
  paraphrases 1, with the paraphrase model's *out-of-fold* log-odds (5 folds by original, as
  ``train_paraphrase_model.py`` computes them): the shipped paraphrase model trained on these
  texts, and its in-sample log-odds would make it look surer than it is on new text.

Never read: Reuters reut2-014..021, books from the 2,000th file on, the QuillBot held half.

    python scripts/train_spin_verdict.py [--data ../shared/data] [--paragraphs 1000]
        [--shorts 1000] [--books 600] [--kinds lexical,contextual] [--cache /tmp/verdict]

Needs the ``train`` and ``spinners`` extras (and ``embed`` for the contextual model).
"""

from __future__ import annotations

import os

# The GloVe spinner multiplies a 50,000 x 50 matrix per word: one BLAS thread is much faster
# on a busy 2-core machine.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from unspin.generators import SPINNERS  # noqa: E402
from unspin.generators.spin_corpus import labelled, paragraphs, short_texts  # noqa: E402
from unspin.spinscore.features import analyse  # noqa: E402
from unspin.spinscore.model import Verdict, packaged_model  # noqa: E402
from unspin.spinscore.paraphrase import paraphrase_model  # noqa: E402
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "benchmarks"))
from bench_realspin import half, quillbot  # noqa: E402
from train_spin_model import SEED, SHORT_SEED, calibration_books  # noqa: E402

DATA = HERE.parent / "src" / "unspin" / "data"
# Training files that no model under the verdict read: the thesaurus text model's first 1,500
# paragraphs and short texts end in reut2-002 and reut2-003, the paraphrase model read 000..002,
# the per-word models 007..013.
VERDICT_FILES = range(4, 7)
# The most of each group of unspun calibration text that may pass 0.5 (the targets of issue 19:
# books <= 10% and news <= 5% on text never looked at, so a little under both here).
BUDGET = {"reuters": 0.03, "books": 0.08, "quillbot": 0.03}
# A light penalty on the two slopes (the groups' weights: see weights()).
L2 = 1e-3


@dataclass(frozen=True, slots=True)
class Rows:
    """Texts of one group with their labels and the two models' log-odds."""

    group: str
    labels: np.ndarray
    thesaurus: np.ndarray
    paraphrase: np.ndarray


def reuters_texts(data: Path, count: int, shorts: int) -> tuple[list[str], list[str]]:
    """``count`` paragraphs and ``shorts`` short texts of :data:`VERDICT_FILES`."""
    folder = data / "reuters21578"
    paras = list(itertools.islice(paragraphs(folder, VERDICT_FILES), count))
    return paras, list(itertools.islice(short_texts(folder, VERDICT_FILES), shorts))


def out_of_fold_paraphrase(data: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """QuillBot tune texts, labels and the paraphrase model's out-of-fold log-odds (5 folds by
    original, the bias shifted as the shipped model's was)."""
    from sklearn.model_selection import GroupKFold
    from train_paraphrase_model import (
        ORIGINALS_OVER,
        REUTERS_FILES,
        book_stretches,
        fit,
    )

    pairs = quillbot(data / "realspin" / "quillbot-dev.jsonl", 10**6)["tune"]
    originals = list(dict.fromkeys(p.original for p in pairs))
    texts = originals + [p.spun for p in pairs]
    labels = np.array([0] * len(originals) + [1] * len(pairs))
    groups = originals + [p.original for p in pairs]
    assert all(half(g) == "tune" for g in groups)
    reuters = data / "reuters21578"
    news = list(itertools.islice(paragraphs(reuters, REUTERS_FILES), 600))
    news += list(itertools.islice(short_texts(reuters, REUTERS_FILES), 300))
    books = book_stretches(data / "pan13-train" / "src")
    scores = np.zeros(len(texts))
    for train, test in GroupKFold(5).split(texts, labels, groups):
        fitted = fit([texts[i] for i in train], labels[train], news, books)
        scores[test] = fitted.decision([texts[i] for i in test])
    shift = -float(np.quantile(scores[labels == 0], 1.0 - ORIGINALS_OVER))
    return texts, labels, scores + shift


def collect(args: argparse.Namespace) -> dict[str, tuple[list[str], np.ndarray, np.ndarray | None]]:
    """Every group's texts, labels and (QuillBot only) out-of-fold paraphrase log-odds."""
    paras, shorts = reuters_texts(args.data, args.paragraphs, args.shorts)
    mixture = tuple(SPINNERS)
    examples = labelled(paras, SEED + 1, spinners=mixture)
    examples += labelled(shorts, SHORT_SEED + 1, spinners=mixture)
    books = calibration_books(args.data / "pan13-train" / "src", args.books)
    q_texts, q_labels, q_scores = out_of_fold_paraphrase(args.data)
    return {
        "reuters": ([t for t, _ in examples], np.array([y for _, y in examples]), None),
        "books": (books, np.zeros(len(books), dtype=int), None),
        "quillbot": (q_texts, q_labels, q_scores),
    }


def log_odds(
    groups: dict[str, tuple[list[str], np.ndarray, np.ndarray | None]], kind: str
) -> list[Rows]:
    """Both models' log-odds of every text (the thesaurus model of ``kind``). A text with no
    content word and no evidence scores 0 whatever the models say: it is left out."""
    rt = reverse_thesaurus()
    thesaurus = packaged_model(kind)
    para = paraphrase_model()
    out = []
    for name, (texts, labels, fixed) in groups.items():
        t, q, keep = [], [], []
        for i, text in enumerate(texts):
            features, evidence = analyse(text, rt, kind)
            if not features["content_words"] and not evidence:
                continue
            keep.append(i)
            t.append(thesaurus.logit(features))
            q.append(float(fixed[i]) if fixed is not None else para.logit(text))
        out.append(Rows(name, labels[keep], np.array(t), np.array(q)))
    return out


def weights(rows: list[Rows]) -> list[np.ndarray]:
    """Each text's weight: positives and negatives weigh the same in all, and each group's
    unspun texts the same share of the negatives."""
    n_pos = sum(int(r.labels.sum()) for r in rows)
    n_groups = len(rows)
    out = []
    for r in rows:
        neg = max(int((r.labels == 0).sum()), 1)
        out.append(np.where(r.labels == 1, 1.0, n_pos / n_groups / neg))
    return out


def fit_verdict(rows: list[Rows]) -> Verdict:
    """Maximum-likelihood ``a_t, b_t, a_p, b_p`` (slopes at least 0) over every group."""
    y = np.concatenate([r.labels for r in rows]).astype(float)
    t = np.concatenate([r.thesaurus for r in rows])
    q = np.concatenate([r.paraphrase for r in rows])
    w = np.concatenate(weights(rows))
    w = w / w.sum()

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        zt, zq = p[0] + p[1] * t, p[2] + p[3] * q
        z = np.logaddexp(zt, zq)
        share_t = np.exp(zt - z)  # d z / d zt
        # log loss of sigmoid(z), and its gradient
        ll = w * (np.logaddexp(0.0, z) - y * z)
        dz = w * (1.0 / (1.0 + np.exp(-z)) - y)
        grad = np.array(
            [
                (dz * share_t).sum(),
                (dz * share_t * t).sum(),
                (dz * (1 - share_t)).sum(),
                (dz * (1 - share_t) * q).sum(),
            ]
        )
        reg = L2 * (p[1] ** 2 + p[3] ** 2)
        grad[1] += 2 * L2 * p[1]
        grad[3] += 2 * L2 * p[3]
        return float(ll.sum() + reg), grad

    bounds = [(None, None), (0.0, None), (None, None), (0.0, None)]
    best = minimize(loss, np.array([0.0, 1.0, 0.0, 1.0]), jac=True, bounds=bounds)
    a_t, b_t, a_p, b_p = (float(v) for v in best.x)
    return Verdict(a_t, b_t, a_p, b_p)


def capped(verdict: Verdict, rows: list[Rows], budget: dict[str, float]) -> tuple[Verdict, float]:
    """``verdict`` with its output shifted down (both intercepts) just enough that no group's
    unspun texts pass 0.5 more often than its budget; never shifted up."""
    shift = 0.0
    for r in rows:
        z = np.sort(verdict.log_odds(r.thesaurus[r.labels == 0], r.paraphrase[r.labels == 0]))
        n = len(z)
        allowed = int(np.floor(budget.get(r.group, 1.0) * n))
        if allowed < n and z[n - 1 - allowed] > -shift:
            shift = min(shift, -float(z[n - 1 - allowed]) - 1e-6)
    return verdict.shifted(shift), shift


def summary(verdict: Verdict, rows: list[Rows]) -> dict[str, dict[str, float]]:
    """Per group: AUC (spun against unspun, where both exist), share over 0.5 of each side."""
    from bench_realspin import auc

    out = {}
    for r in rows:
        z = verdict.log_odds(r.thesaurus, r.paraphrase)
        figures = {"texts": float(len(z)), "unspun_over_05": float((z[r.labels == 0] > 0).mean())}
        if r.labels.any():
            figures["spun_over_05"] = float((z[r.labels == 1] > 0).mean())
            figures["auc"] = auc(list(z[r.labels == 1]), list(z[r.labels == 0]))
            figures["auc_maximum"] = auc(
                list(np.maximum(r.thesaurus, r.paraphrase)[r.labels == 1]),
                list(np.maximum(r.thesaurus, r.paraphrase)[r.labels == 0]),
            )
        figures["maximum_unspun_over_05"] = float(
            (np.maximum(r.thesaurus, r.paraphrase)[r.labels == 0] > 0).mean()
        )
        out[r.group] = {k: round(v, 4) for k, v in figures.items()}
    return out


def cached_rows(args: argparse.Namespace, kind: str, groups: object) -> list[Rows]:
    path = args.cache / f"rows-{kind}.npz" if args.cache else None
    if path is not None and path.exists():
        with np.load(path) as data:
            names = [str(n) for n in data["groups"]]
            return [
                Rows(n, data[f"{n}/labels"], data[f"{n}/thesaurus"], data[f"{n}/paraphrase"])
                for n in names
            ]
    rows = log_odds(groups(), kind)  # type: ignore[operator]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"groups": np.array([r.group for r in rows])}
        for r in rows:
            arrays |= {
                f"{r.group}/labels": r.labels,
                f"{r.group}/thesaurus": r.thesaurus,
                f"{r.group}/paraphrase": r.paraphrase,
            }
        np.savez(path, **arrays)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent / ".." / "shared" / "data")
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--shorts", type=int, default=1000)
    parser.add_argument("--books", type=int, default=600)
    parser.add_argument("--kinds", default="lexical,contextual")
    parser.add_argument(
        "--cache", type=Path, help="keep the log-odds here (a second run reads them)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the JSON")
    args = parser.parse_args()
    memo: dict[str, object] = {}

    def groups() -> object:
        if "groups" not in memo:
            memo["groups"] = collect(args)
        return memo["groups"]

    for kind in args.kinds.split(","):
        rows = cached_rows(args, kind, groups)
        fitted = fit_verdict(rows)
        verdict, shift = capped(fitted, rows, BUDGET)
        record = {
            **verdict.to_dict(),
            "trained": {
                "script": "scripts/train_spin_verdict.py",
                "date": datetime.date.today().isoformat(),
                "form": "odds(spun) = exp(thesaurus_bias + thesaurus_weight * thesaurus log-odds)"
                " + exp(paraphrase_bias + paraphrase_weight * paraphrase log-odds)",
                "data": {
                    "reuters": f"{args.paragraphs} paragraphs and {args.shorts} short texts of "
                    "reut2-004..006 (no model under the verdict read them), unspun and spun "
                    f"at 0.05-0.6 by {', '.join(SPINNERS)} in turn (seeds {SEED + 1}, "
                    f"{SHORT_SEED + 1})",
                    "books": f"{args.books} stretches of PAN 2013 source books, files 600.. of "
                    "seed 1's order (unspun)",
                    "quillbot": "tune half of realspin/quillbot-dev.jsonl, paraphrase model "
                    "log-odds out of fold (5 folds by original)",
                    "never_read": "reut2-014..021, books from the 2,000th file on, the QuillBot "
                    "held half",
                },
                "texts": {r.group: len(r.labels) for r in rows},
                "fitted": fitted.to_dict(),
                "budget_unspun_over_05": BUDGET,
                "shift": round(shift, 6),
                "figures": summary(verdict, rows),
            },
        }
        print(kind, json.dumps(record, indent=2))
        if not args.dry_run:
            path = DATA / (
                "spin_model_contextual.json" if kind == "contextual" else "spin_model.json"
            )
            model = json.loads(path.read_text(encoding="utf-8"))
            model["verdict"] = record
            path.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
