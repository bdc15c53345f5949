"""Fit the phrase restorer's weights (``src/unspin/data/phrase_restorer.json``) on the tune half
of the tortured phrases (``realspin/tortured-phrases-dev.csv``, split and grouped exactly as
``benchmarks/bench_realspin.py`` does, so the held half stays apart).

    .venv/bin/python scripts/train_phrase_restorer.py [--data ../shared/data] [--phrases 600]
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
from unspin.spinscore.phrases import (  # noqa: E402
    FEATURES,
    OPTION_FEATURES,
    PER_WORD,
    PhraseRanker,
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
    weights: np.ndarray, folds: list[Swaps], word: tuple[float, ...] = ()
) -> list[PhraseRanker]:
    """One ranker per fold, each with the other fold's swaps."""
    w = tuple(float(x) for x in weights)
    return [PhraseRanker(w, folds[1 - f].pairs, folds[1 - f].kept, word) for f in (0, 1)]


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


# Confidence floors tried for explain's "cannot restore with confidence" (RESTORE_FLOOR).
FLOORS = (0.1, 0.2, 0.3, 0.4, 0.5)


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
        got = [_norm(r.text) for r in found[:3]]
        hit = p.expected in got
        top1 += bool(got) and got[0] == p.expected
        top3 += hit
        best.append((softmax([r.score for r in found])[0] if found else 0.0, hit))
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
    ap.add_argument("--phrases", type=int, default=600, help="tune rows used for fitting")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--no-pairs", action="store_true", help="Moby and word pairs only")
    ap.add_argument("--evaluate", help="only evaluate the weights of this ranker file")
    ap.add_argument("--moby", type=int, default=150, help="our Moby spinner's two-word swaps")
    ap.add_argument("--out", default=str(ROOT / "src/unspin/data/phrase_restorer.json"))
    args = ap.parse_args()
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


if __name__ == "__main__":
    main()
