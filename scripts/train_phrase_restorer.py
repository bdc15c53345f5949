"""Fit the phrase restorer's weights (``src/unspin/data/phrase_restorer.json``) on the tune half
of the tortured phrases (``realspin/tortured-phrases-dev.csv``, split and grouped exactly as
``benchmarks/bench_realspin.py`` does, so the held half stays apart).

    .venv/bin/python scripts/train_phrase_restorer.py [--data ../shared/data] [--phrases 500]
        [--rounds 2] [--out src/unspin/data/phrase_restorer.json]

Real spinners' word swaps (``pairs``: spun word -> original -> times) are read off the tune
phrases whose words line up one to one, and swaps of a stretch of up to three words off those
that differ in one such stretch ("self governing" for "autonomous"). The word model that picks
each spun word's candidates for the search is fitted first (softmax over one word's candidates,
each word with the other fold's swaps), then the phrase weights; while fitting, each phrase sees only the swaps of the
other fold of the tune half (folds by its intended wording), so the weights learn how far a
swap seen elsewhere can be trusted, not that a phrase's own swaps are in the table. Each round searches every tune phrase with the current weights, adds the forced path to the
intended wording when the options reach it, and fits a softmax over each phrase's restorations
(L2-penalised, L-BFGS). Only the fitted weights ship: no phrase of the file does.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks")]

from bench_realspin import Phrase, _norm, tortured  # noqa: E402

from unspin.generators.article_spinner import spin  # noqa: E402
from unspin.generators.spin_corpus import paragraphs  # noqa: E402
from unspin.spinscore import phrases, related  # noqa: E402
from unspin.spinscore.phrases import (  # noqa: E402
    CALIBRATION_FEATURES,
    FEATURES,
    OPTION_FEATURES,
    PER_WORD,
    RERANK,
    RERANK_FEATURES,
    PhraseRanker,
    confidence,
    rerank,
    rerank_features,
    restorations,
    softmax,
    word_options,
)
from unspin.text import tokenize  # noqa: E402

# Where the search starts: roughly the old word-by-word scores in natural-log units.
START = {
    "kept": -2.3,
    "kept_zipf": 2.3,
    "kept_rarity": 0.0,
    "reverse": 0.0,
    "reverse_prior": 2.3,
    "forward": 1.0,
    "base_form": 0.0,
    "swapped_zipf": 0.5,
    "multiword": 0.0,
    "extra_words": -1.0,
    "spinner_pair": 1.0,
    "kept_seen_spun": 0.0,
    "kept_seen_kept": 0.0,
    "pair_fit": 3.5,
    "pair_listed": 1.0,
    "pair_glove": 0.0,
    "fixed_expression": 2.3,
    "glove_cosine": 0.0,
    "glove_near": 0.0,
    "wordnet": 0.0,
    "inflected": 0.0,
}
CANDIDATES = 60
L2 = 0.01


def fold(p: Phrase) -> int:
    return hashlib.sha1(p.expected.encode()).digest()[1] % 2


@dataclass(frozen=True, slots=True)
class Swaps:
    """What real spinners did to words: spun word -> original -> times, and word -> times
    left alone (in phrases whose words line up one to one)."""

    pairs: dict[str, dict[str, int]]
    kept: dict[str, int]


# Longest stretch (either side) of a swap that changes the number of words.
STRETCH = 3


def _stretch_swap(spun: tuple[str, ...], meant: tuple[str, ...]) -> tuple[str, str] | None:
    """The one stretch where ``spun`` and ``meant`` differ in length, once the words both
    begin and end with are set aside ("self governing vehicle" / "autonomous vehicle":
    "self governing" for "autonomous"), or None when that is not a short stretch."""
    start = 0
    while start < min(len(spun), len(meant)) and spun[start] == meant[start]:
        start += 1
    end = 0
    while end < min(len(spun), len(meant)) - start and spun[-1 - end] == meant[-1 - end]:
        end += 1
    a, b = spun[start : len(spun) - end], meant[start : len(meant) - end]
    if not (1 <= len(a) <= STRETCH and 1 <= len(b) <= STRETCH):
        return None
    return " ".join(a), " ".join(b)


def spinner_swaps(phrases: list[Phrase]) -> Swaps:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    kept: Counter[str] = Counter()
    for p in phrases:
        spun, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
        if len(spun) == len(meant):
            for s, m in zip(spun, meant, strict=True):
                if s != m:
                    counts[s][m] += 1
                else:
                    kept[s] += 1
        elif (stretch := _stretch_swap(spun, meant)) is not None:
            counts[stretch[0]][stretch[1]] += 1
    pairs = {s: dict(sorted(c.items())) for s, c in sorted(counts.items())}
    return Swaps(pairs, dict(sorted(kept.items())))


def rankers(
    weights: np.ndarray,
    folds: list[Swaps],
    word: tuple[float, ...] = (),
    second: tuple[tuple[float, ...], tuple[float, ...]] = ((), ()),
) -> list[PhraseRanker]:
    """One ranker per fold, each with the other fold's swaps (``second``: the second stage's
    weights and calibration)."""
    w = tuple(float(x) for x in weights)
    return [PhraseRanker(w, folds[1 - f].pairs, folds[1 - f].kept, word, *second) for f in (0, 1)]


def word_model(phrases: list[Phrase], folds: list[Swaps]) -> tuple[tuple[float, ...], str]:
    """The word model's weights: a softmax over each swapped word's candidates (each word with
    the other fold's swaps) that puts its intended original first; with how often the
    intended original is a candidate at all and among the :data:`PER_WORD` kept."""
    groups: list[np.ndarray] = []
    swapped = 0
    for p in phrases:
        spun, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
        if len(spun) != len(meant):
            continue
        swaps = folds[1 - fold(p)]
        for s, m in zip(spun, meant, strict=True):
            if s == m:
                continue
            swapped += 1
            found = dict(word_options(s, swaps.pairs, swaps.kept)[1:])
            if m in found:
                groups.append(np.array([found[m], *(f for t, f in found.items() if t != m)]))
    start = np.zeros(len(OPTION_FEATURES))
    weights = fit(groups, start)
    kept = sum(int((g[1:] @ weights > g[0] @ weights).sum()) < PER_WORD - 1 for g in groups)
    about = f"{swapped} swapped words: {len(groups)} candidates, {kept} among the {PER_WORD} kept"
    return tuple(float(round(w, 4)) for w in weights), about


def examples(
    phrases: list[Phrase],
    by_fold: list[PhraseRanker],
    pool: dict[int, dict[str, tuple[float, ...]]],
) -> int:
    """Add to ``pool`` (phrase number -> restoration -> features, the intended one first) the
    restorations ``ranker``'s search finds for each phrase whose intended wording the options
    reach; rounds add to one pool, so later weights are also fitted against earlier weights'
    rivals. Returns how many phrases reach their intended wording."""
    reached = 0
    for k, p in enumerate(phrases):
        ranker = by_fold[fold(p)]
        words = tokenize(p.tortured).norms
        want = tuple(p.expected.split())
        if not words:
            continue
        gold = restorations(words, ranker, within=want)
        if not gold:
            continue
        reached += 1
        joined = " ".join(words)
        found = pool.setdefault(k, {gold[0].text: gold[0].features})
        rest = [r for r in restorations(words, ranker) if r.text not in (joined, gold[0].text)]
        for r in rest[:CANDIDATES]:
            found.setdefault(r.text, r.features)
    return reached


def moby_swaps(data: Path, count: int) -> list[Phrase]:
    """Two neighbouring words our Moby spinner both swapped (at 40%, as ``bench_spin.py``
    measures them) in paragraphs of the training files reut2-007..013, as phrases: the ranker
    serves thesaurus spinners too, and these keep it from assuming every spinner leaves
    half the words alone."""
    out: list[Phrase] = []
    texts = paragraphs(data / "reuters21578", range(7, 14))
    for i, text in enumerate(texts):
        spun = spin(text, 0.4, seed=9000 + i)
        words = [
            r
            for r in spun.replacements
            if r.kind == "synonym" and " " not in r.original and " " not in r.replacement
        ]
        for a, b in itertools.pairwise(words):
            if spun.text[a.target_end : b.target_start] == " ":
                phrase = spun.text[a.target_start : b.target_end].lower()
                out.append(Phrase(phrase, f"{a.original} {b.original}".lower()))
        if len(out) >= count:
            break
    return out[:count]


def fit(groups: list[np.ndarray], start: np.ndarray) -> np.ndarray:
    """Weights maximising the softmax likelihood of the first row of every group."""
    scale = np.concatenate(groups).std(axis=0) + 1e-6

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x in groups:
            s = (x / scale) @ w
            s -= s.max()
            p = np.exp(s) / np.exp(s).sum()
            total -= np.log(p[0] + 1e-12)
            grad -= (x[0] / scale) - p @ (x / scale)
        n = len(groups)
        return total / n + L2 * float(w @ w), grad / n + 2 * L2 * w

    result = minimize(loss, start * scale, jac=True, method="L-BFGS-B")
    return np.asarray(result.x / scale)


# Calibrated floors tried for explain's "cannot restore with confidence" (PHRASE_FLOOR).
FLOORS = (0.2, 0.3, 0.4, 0.5, 0.6)


@dataclass(frozen=True, slots=True)
class Searched:
    """One tune phrase's search (with the other fold's swaps): its best :data:`RERANK`
    restorations' search scores, second-stage features, and where the intended one is."""

    fold: int
    scores: list[float]
    features: np.ndarray
    gold: int  # -1: not among them


def searched(phrases: list[Phrase], by_fold: list[PhraseRanker]) -> list[Searched]:
    out = []
    for p in phrases:
        ranker = by_fold[fold(p)]
        words = tokenize(p.tortured).norms
        joined = " ".join(words)
        found = [r for r in restorations(words, ranker) if r.text != joined][:RERANK]
        texts = [r.text for r in found]
        feats = np.array(rerank_features(words, found), dtype=float).reshape(
            -1, len(RERANK_FEATURES)
        )
        gold = texts.index(p.expected) if p.expected in texts else -1
        out.append(Searched(fold(p), [r.score for r in found], feats, gold))
    return out


def _logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression weights (the last column of ``x`` a constant), lightly penalised."""

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        nll = -np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9))
        return float(nll + 1e-3 * w @ w), x.T @ (p - y) / len(y) + 2e-3 * w

    return np.asarray(minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x)


def second_stage(rows: list[Searched]) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """The second stage's weights (softmax over each phrase's :data:`RERANK`, fitted on the
    phrases whose intended wording is among them), the calibration of "the best is right"
    (logistic, on second-stage scores cross-fitted by fold), and cross-fitted figures."""
    # (rows may carry more columns than RERANK_FEATURES: measure_phrase_sources.py tries some)
    width = next((r.features.shape[1] for r in rows if r.features.size), len(RERANK_FEATURES))
    start = np.zeros(width)
    start[RERANK_FEATURES.index("score")] = 1.0

    def weights(train: list[Searched]) -> np.ndarray:
        return fit([np.roll(r.features, -r.gold, axis=0) for r in train if r.gold >= 0], start)

    inputs, right, top3, search_top3, folds = [], [], [], [], []
    for f in (0, 1):
        w = weights([r for r in rows if r.fold != f])
        for r in (r for r in rows if r.fold == f):
            if not r.scores:
                continue
            scores = r.features @ w
            order = list(np.argsort(-scores, kind="stable"))
            place = order.index(r.gold) if r.gold >= 0 else RERANK
            re = softmax(sorted(scores.tolist(), reverse=True))
            search = softmax(r.scores)
            margin = re[0] - (re[1] if len(re) > 1 else 0.0)
            inputs.append((np.log(re[0] + 1e-6), np.log(search[0] + 1e-6), margin, 1.0))
            right.append(place == 0)
            top3.append(place < 3)
            search_top3.append(0 <= r.gold < 3)
            folds.append(f)
    x, y = np.array(inputs), np.array(right, dtype=float)
    calibration = _logistic(x, y)
    # Cross-fitted calibration too, for honest floors: each phrase's chance from the fit on
    # the other fold (``fold_of`` in the order of ``x``, which is by fold, not the rows' order).
    sure = np.zeros(len(y))
    fold_of = np.array(folds)
    for f in (0, 1):
        sure[fold_of == f] = 1.0 / (
            1.0 + np.exp(-(x[fold_of == f] @ _logistic(x[fold_of != f], y[fold_of != f])))
        )
    n = max(len(rows), 1)
    figures = {
        "search_top3": sum(search_top3) / n,
        "top1": float(y.sum()) / n,
        "top3": sum(top3) / n,
    }
    hit3 = np.array(top3)
    for floor in FLOORS:
        offered = sure >= floor
        figures[f"offered_{floor}"] = float(offered.mean())
        figures[f"right_of_offered_{floor}"] = float(y[offered].mean()) if offered.any() else 0.0
        figures[f"top3_of_declined_{floor}"] = (
            float(hit3[~offered].mean()) if (~offered).any() else 0.0
        )
    return weights(rows), calibration, figures


def evaluate(phrases: list[Phrase], by_fold: list[PhraseRanker]) -> dict[str, float]:
    """Top-1 and top-3 of the tune phrases (each ranked with the other fold's swaps), and for
    each floor in :data:`FLOORS` the share of phrases whose likeliest wording falls under it
    and the top-3 of those declined and of the others."""
    top1 = top3 = 0
    best: list[tuple[float, bool]] = []
    for p in phrases:
        ranker = by_fold[fold(p)]
        words = tokenize(p.tortured).norms
        joined = " ".join(words)
        found = [r for r in restorations(words, ranker) if r.text != joined]
        ranked = rerank(words, found, ranker)
        got = [_norm(text) for text, _ in ranked[:3]]
        hit = p.expected in got
        top1 += bool(got) and got[0] == p.expected
        top3 += hit
        sure = confidence([r.score for r in found[:RERANK]], [s for _, s in ranked], ranker)
        if sure is None:
            sure = softmax([s for _, s in ranked])[0] if ranked else 0.0
        best.append((sure, hit))
    n = max(len(phrases), 1)
    out = {"top1": top1 / n, "top3": top3 / n}
    for floor in FLOORS:
        under = [hit for prob, hit in best if prob < floor]
        over = [hit for prob, hit in best if prob >= floor]
        out[f"declined_{floor}"] = len(under) / n
        out[f"top3_declined_{floor}"] = sum(under) / max(len(under), 1)
        out[f"top3_restored_{floor}"] = sum(over) / max(len(over), 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT / "../shared/data"))
    ap.add_argument(
        "--phrases",
        type=int,
        default=500,
        help="tune rows used for fitting (the shipped file: 500)",
    )
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--no-pairs", action="store_true", help="Moby and word pairs only")
    ap.add_argument("--evaluate", help="only evaluate the weights of this ranker file")
    ap.add_argument("--moby", type=int, default=150, help="our Moby spinner's two-word swaps")
    ap.add_argument("--out", default=str(ROOT / "src/unspin/data/phrase_restorer.json"))
    ap.add_argument(
        "--second-stage-rows", type=int, default=1200, help="tune rows the second stage reads"
    )
    ap.add_argument(
        "--second-stage-only",
        action="store_true",
        help="keep the search's weights in --out and fit only the second stage and calibration",
    )
    ap.add_argument(
        "--without-extra",
        action="store_true",
        help="fit the second stage as a default install (no spinners extra) reads it",
    )
    args = ap.parse_args()
    if args.second_stage_only:
        fit_second_stage(args)
        return
    path = Path(args.data) / "realspin/tortured-phrases-dev.csv"
    tune = tortured(path, args.phrases)["tune"]
    moby = moby_swaps(Path(args.data), args.moby)
    every = tortured(path, 10**9)["tune"]
    folds = [spinner_swaps([p for p in every if fold(p) == f]) for f in (0, 1)]
    swaps = spinner_swaps(every)
    if args.no_pairs:
        folds = [Swaps({}, {}), Swaps({}, {})]
        swaps = Swaps({}, {})
    word, about_words = word_model(every, folds)
    print("word model:", about_words, dict(zip(OPTION_FEATURES, word, strict=True)))
    weights = np.array([START[f] for f in FEATURES])
    if args.evaluate:
        record = json.loads(Path(args.evaluate).read_text(encoding="utf-8"))
        weights = np.array([record["weights"][f] for f in FEATURES])
        word = tuple(float(record["word_weights"][f]) for f in OPTION_FEATURES)
        args.rounds = 0
    pool: dict[int, dict[str, tuple[float, ...]]] = {}
    for round_ in range(args.rounds):
        reached = examples(tune + moby, rankers(weights, folds, word), pool)
        groups = [np.array(list(found.values()), dtype=float) for found in pool.values()]
        weights = fit(groups, weights)
        print(f"round {round_}: {reached}/{len(tune + moby)} phrases reachable; weights", end=" ")
        print({f: round(float(w), 3) for f, w in zip(FEATURES, weights, strict=True)})
    weights = np.round(weights, 4)
    figures = evaluate(tune, rankers(weights, folds, word))
    on_moby = evaluate(moby, rankers(weights, folds, word)) if moby else {}
    ranker = PhraseRanker(tuple(float(w) for w in weights), swaps.pairs, swaps.kept, word)
    print(f"tune ({len(tune)} phrases, other fold's swaps):", end=" ")
    print(", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    print(f"Moby spinner's two-word swaps ({len(moby)}):", end=" ")
    print(", ".join(f"{k} {v:.3f}" for k, v in on_moby.items() if k.startswith("top")))
    record = {
        "about": {
            "script": "scripts/train_phrase_restorer.py",
            "data": "tune half of realspin/tortured-phrases-dev.csv (bench_realspin split)",
            "rows": args.phrases,
            "rounds": args.rounds,
            "moby_swaps": args.moby,
            "tune_cross_fitted": {k: round(v, 3) for k, v in figures.items()},
            "moby_swaps_top": {k: round(v, 3) for k, v in on_moby.items() if k in ("top1", "top3")},
            "word_model": about_words,
        },
        "weights": ranker.to_dict(),
        "word_weights": dict(zip(OPTION_FEATURES, word, strict=True)),
        "pairs": ranker.pairs,
        "kept": ranker.kept,
    }
    Path(args.out).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    fit_second_stage(args)
    if not args.without_extra and not related.missing():
        args.without_extra = True  # and the same for a default install
        fit_second_stage(args)


def fit_second_stage(args: argparse.Namespace) -> None:
    """Fit the second stage and the calibration over the search whose weights are in
    ``args.out``, on the first ``args.second_stage_rows`` tune phrases (each searched with the
    other fold's swaps), and add them to that file."""
    path = Path(args.data) / "realspin/tortured-phrases-dev.csv"
    every = tortured(path, 10**9)["tune"]
    folds = [spinner_swaps([p for p in every if fold(p) == f]) for f in (0, 1)]
    if args.without_extra:  # GloVe and WordNet answer nothing, as without the extra
        related.missing = lambda: ("glove", "wordnet")
        for cached in (related.glove_neighbours, related.wordnet_related, related.wordnet_term):
            cached.cache_clear()
        for cached in (phrases.moby_options, phrases._pair_features):
            cached.cache_clear()
    record = json.loads(Path(args.out).read_text(encoding="utf-8"))
    weights = np.array([record["weights"][f] for f in FEATURES])
    word = tuple(float(record["word_weights"][f]) for f in OPTION_FEATURES)
    rows = searched(every[: args.second_stage_rows], rankers(weights, folds, word))
    second, calibration, figures = second_stage(rows)
    print(f"second stage ({len(rows)} tune phrases, cross-fitted):", end=" ")
    print(", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    key = "second_stage_without_extra" if args.without_extra else "second_stage"
    record["about"][key] = {
        "rows": len(rows),
        "cross_fitted": {k: round(v, 3) for k, v in figures.items()},
    }
    fitted = {
        "rerank_weights": dict(zip(RERANK_FEATURES, np.round(second, 4).tolist(), strict=True)),
        "calibration": dict(
            zip(CALIBRATION_FEATURES, np.round(calibration, 4).tolist(), strict=True)
        ),
    }
    if args.without_extra:
        record["without_extra"] = fitted
    else:
        record.update(fitted)
    Path(args.out).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (second stage)")


if __name__ == "__main__":
    main()
