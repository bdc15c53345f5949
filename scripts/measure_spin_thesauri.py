"""Candidate originals from GloVe and WordNet for spin DETECTION: an offline measurement
(docs/benchmarks.md 17.12; issue 19 item 5). Nothing here is read by ``unspin`` itself.

The per-word detector asks only which Moby headwords list a word (its candidate originals),
then weighs them by frequency and word pairs. This measures one cheap feature per content word,
"the best candidate original's context gain", with candidates drawn from (a) Moby as the
contextual scan reads it, (b) GloVe (the words whose 50-d neighbour, cosine >= 0.6, this word
is: what the glove spinner could have replaced), (c) WordNet (words sharing a synset, inflected
like the word: symmetric, so the same as what the wordnet spinner offers), (d) all three; and
asks whether it adds to the shipped per-word models and to the contextual verdict.

    PYTHONPATH=src python scripts/measure_spin_thesauri.py rows DIR [--data ../shared/data] [--n 120]
    PYTHONPATH=src python scripts/measure_spin_thesauri.py report DIR [--read-held HELD_DIR]
    PYTHONPATH=src python scripts/measure_spin_thesauri.py speed DIR [--data ../shared/data]

``rows`` spins development paragraphs of reut2-003..006 (shuffled with seed 25, as
``measure_spin_lm.py texts`` draws its training part) with every thesaurus spinner at 10% and
20% (``bench_spinners.spun_texts``: paragraph ``i`` with seed ``i``, ``i + 50,000`` at 20%),
and writes, for every content word of every text, its label (put there by the spinner or not),
the shipped lexical and contextual per-word models' log-odds (where they read the word), and
the gain features of each candidate source; and each text's contextual verdict. ``report``
prints per-word ROC AUCs, a two-fold logistic regression of the current per-word log-odds with
and without the new features, and the text-level effect (the verdict's log-odds with
aggregates of the per-word outputs, two-fold over paragraphs). ``rows --held`` draws the
bench's 240 held-apart paragraphs of reut2-014..021 instead (as ``bench_spinners.py`` does);
``report DIR --read-held HELD_DIR`` fits on DIR only and reads HELD_DIR once. ``speed`` times the
new lookups on 1,000-word articles made of development paragraphs. Needs the ``spinners``,
``embed`` and ``train`` extras.
"""

from __future__ import annotations

import os

# GloVe's 50,000 x 50,000 similarities: a threaded BLAS on a busy 2-core machine is slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import math  # noqa: E402
import pickle  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

SPINNERS = ("moby", "wordnet", "roget", "glove", "phrase")
SOURCES = ("moby", "glove", "wordnet", "all")
# Two readings of "how much better the best candidate fits": the fit with the neighbours
# alone (log10 PMI, as words.py's fit_gain), and frequency plus half the fit (the exponent of
# features.py's context ratio, CONTEXT_WEIGHT 0.5, without the per-list prior).
GAINS = ("fit_gain", "ctx_gain")
# A word with no candidate from a source gets this gain (below any real one).
NO_CANDIDATE = -10.0
# Log-odds of a word the shipped per-word model does not read (no Moby list holds it).
NO_ROW = -8.0
# Moby candidates per word the detection reads (features._DETECT_KEEP).
MOBY_KEEP = 16


@dataclass(frozen=True)
class WordRows:
    """Every content word of one text: offsets, the shipped models' log-odds and the gains."""

    spans: list[tuple[int, int]]
    lexical: np.ndarray  # NO_ROW where the lexical model reads no row
    contextual: np.ndarray
    gains: dict[str, np.ndarray]  # "source:gain" -> value per word
    counts: dict[str, np.ndarray]  # source -> number of candidates per word


# --- GloVe: which words name this one among their neighbours -------------------------------


@lru_cache(maxsize=1)
def glove_reverse() -> dict[str, tuple[str, ...]]:
    """word -> the GloVe words whose neighbours (``lexicons.glove_neighbours``, k=10, cosine >=
    0.6, the same filters) include it: the originals the glove spinner could have replaced by
    it. Made once from the 50,000-word vocabulary with blocked matrix products."""
    from unspin.generators.lexicons import _GLOVE_MIN_COSINE, _plain
    from unspin.spinscore.related import load_glove
    from unspin.text import STOPWORDS, stem

    _, vocab, matrix = load_glove()
    k = 10
    stems = [stem(w) for w in vocab]
    out: dict[str, list[str]] = {}
    for lo in range(0, len(vocab), 2000):
        sims = matrix[lo : lo + 2000] @ matrix.T
        near = np.argpartition(-sims, k * 4, axis=1)[:, : k * 4 + 1]
        for r in range(sims.shape[0]):
            row = sims[r]
            top = near[r][np.argsort(-row[near[r]])]
            word, own, kept = vocab[lo + r], stems[lo + r], 0
            for j in top:
                if row[j] < _GLOVE_MIN_COSINE or kept >= k:
                    break
                cand = vocab[int(j)]
                if cand in STOPWORDS or stems[int(j)] == own or not _plain(cand, word):
                    continue
                kept += 1
                out.setdefault(cand, []).append(word)
    return {w: tuple(v) for w, v in out.items()}


@lru_cache(maxsize=50_000)
def wordnet_originals(word: str) -> tuple[str, ...]:
    """Single words sharing a WordNet synset with ``word``, inflected like it (the wordnet
    spinner's own offer, which is symmetric: a swap's original is among its swap's offer)."""
    from unspin.generators.spinners import _inflected

    return tuple(c for c in _inflected(word, "wordnet") if " " not in c)


@lru_cache(maxsize=50_000)
def moby_originals(word: str) -> tuple[str, ...]:
    """The Moby headwords the contextual scan reads for ``word`` (features._detected with
    through_base): the best 16 by prior, single words."""
    from unspin.spinscore.reverse_thesaurus import reverse_thesaurus

    rt = reverse_thesaurus()
    every = rt.candidates(word) or rt.candidates_through_base(word)
    return tuple(c.word for c in every[:MOBY_KEEP] if " " not in c.word)


def candidates_of(word: str) -> dict[str, tuple[str, ...]]:
    """Each source's candidate originals of ``word`` (lower case)."""
    moby = moby_originals(word)
    glove = glove_reverse().get(word, ())
    wordnet = wordnet_originals(word)
    return {
        "moby": moby,
        "glove": glove,
        "wordnet": wordnet,
        "all": tuple(dict.fromkeys(moby + glove + wordnet)),
    }


def content_words(text: str) -> list[tuple[int, int, str, tuple[str | None, str | None]]]:
    """Every content word as the scan takes them (letters only, 2+ letters, no stop word) with
    its neighbours (None across punctuation)."""
    from unspin.spinscore.originals import neighbours
    from unspin.text import STOPWORDS, tokenize

    tokens = tokenize(text)
    out = []
    for i in range(len(tokens)):
        raw = text[tokens.starts[i] : tokens.ends[i]]
        if raw.isalpha() and len(raw) >= 2 and raw.lower() not in STOPWORDS:
            out.append(
                (tokens.starts[i], tokens.ends[i], raw.lower(), neighbours(text, tokens, i, i))
            )
    return out


def gains_of(
    words: list[tuple[int, int, str, tuple[str | None, str | None]]],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per source, both gains of every word's best candidate against the word itself."""
    from unspin.lexicon import zipf
    from unspin.spinscore.bigrams import bigrams

    bg = bigrams()
    gains = {f"{s}:{g}": np.full(len(words), NO_CANDIDATE) for s in SOURCES for g in GAINS}
    counts = {s: np.zeros(len(words)) for s in SOURCES}
    for k, (_, _, word, (left, right)) in enumerate(words):
        cands = candidates_of(word)
        union = cands["all"]
        if not union:
            continue
        fits = bg.sides_each([word, *union], left, right)
        own_fit = fits[0][0] + fits[0][1]
        own_z = zipf(word)
        by_word = {c: (a + b, zipf(c)) for c, (a, b) in zip(union, fits[1:], strict=True)}
        for source, found in cands.items():
            counts[source][k] = len(found)
            if not found:
                continue
            gains[f"{source}:fit_gain"][k] = max(by_word[c][0] for c in found) - own_fit
            gains[f"{source}:ctx_gain"][k] = max(
                by_word[c][1] + 0.5 * by_word[c][0] for c in found
            ) - (own_z + 0.5 * own_fit)
    return gains, counts


def model_logits(text: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The shipped lexical and contextual per-word models' log-odds at ``spans`` (NO_ROW
    where a model reads no row), computed as ``features.analyse`` does."""
    from unspin.spinscore.contextual import word_logits
    from unspin.spinscore.features import _scan
    from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
    from unspin.spinscore.words import WORD_FEATURES, word_model

    rt = reverse_thesaurus()
    out = []
    for kind in ("lexical", "contextual"):
        scanned = _scan(text, rt, through_base=kind == "contextual")
        got = np.full(len(spans), NO_ROW)
        if scanned.rows:
            model = word_model(kind)
            x = np.array([r for _, _, r in scanned.rows])
            if kind == "contextual":
                heads = model.names[len(WORD_FEATURES) :]
                row_spans = [(a, b) for a, b, _ in scanned.rows]
                x = np.column_stack([x, word_logits(text, row_spans, scanned.tokens, heads)])
            logits = model.logit(x)
            at = {a: float(v) for (a, _, _), v in zip(scanned.rows, logits, strict=True)}
            got = np.array([at.get(a, NO_ROW) for a, _ in spans])
        out.append(got)
    return out[0], out[1]


def text_rows(text: str) -> WordRows:
    words = content_words(text)
    spans = [(a, b) for a, b, _, _ in words]
    lexical, contextual = model_logits(text, spans)
    gains, counts = gains_of(words)
    return WordRows(spans, lexical, contextual, gains, counts)


# --- rows ----------------------------------------------------------------------------------


def dev_texts(data: Path, n: int) -> list[str]:
    from bench_spin import paragraphs

    pool = list(paragraphs(data / "reuters21578", range(3, 7)))
    random.Random(25).shuffle(pool)
    return pool[:n]


def held_texts(data: Path, n: int) -> list[str]:
    from bench_spin import held_apart_texts

    return [t for _, t in held_apart_texts(data / "reuters21578", n, "spread")]


def make_rows(folder: Path, data: Path, n: int, held: bool) -> None:
    from bench_spinners import RATES, spun_texts

    from unspin.generators import spin_by
    from unspin.spinscore.score import load_resources, score_text

    folder.mkdir(parents=True, exist_ok=True)
    texts = held_texts(data, n) if held else dev_texts(data, n)
    started = time.perf_counter()
    glove_reverse()
    print(f"GloVe reverse table: {time.perf_counter() - started:.0f} s", flush=True)
    payload = spun_texts(texts, list(SPINNERS))
    load_resources("contextual")
    out: dict[str, object] = {
        "texts": payload,
        "rows": {},
        "labels": {},
        "verdict": {},
        "features": {},
    }
    for key, group in payload.items():
        started = time.perf_counter()
        rows, labels, verdicts, features = [], [], [], []
        for i, text in enumerate(group):
            wr = text_rows(text)
            rows.append(wr)
            spun: list[tuple[int, int]] = []
            if key != "originals":
                name, rate = key.split("@")
                r = RATES.index(float(rate))
                sp = spin_by(name, texts[i], float(rate), seed=i + 50_000 * r)
                assert sp.text == text
                spun = [(x.target_start, x.target_end) for x in sp.replacements]
            labels.append(np.array([any(a <= s < b for a, b in spun) for s, _ in wr.spans]))
            scored = score_text(text, "contextual")
            verdicts.append(scored.probability)
            features.append({k: float(v) for k, v in scored.features.items()})
        out["rows"][key] = rows  # type: ignore[index]
        out["labels"][key] = labels  # type: ignore[index]
        out["verdict"][key] = verdicts  # type: ignore[index]
        out["features"][key] = features  # type: ignore[index]
        print(f"{key}: {time.perf_counter() - started:.0f} s", flush=True)
    (folder / "rows.pkl").write_bytes(pickle.dumps(out))


# --- report --------------------------------------------------------------------------------


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    return float(roc_auc_score(y, np.r_[pos, neg]))


def column(rows: list[WordRows], name: str) -> np.ndarray:
    if name in ("lexical", "contextual"):
        return np.concatenate([getattr(r, name) for r in rows])
    if name.startswith("n:"):
        return np.concatenate([r.counts[name[2:]] for r in rows])
    return np.concatenate([r.gains[name] for r in rows])


def paragraph_ids(rows: list[WordRows]) -> np.ndarray:
    return np.concatenate([np.full(len(r.spans), i) for i, r in enumerate(rows)])


def design(rows: list[WordRows], names: list[str]) -> np.ndarray:
    """Columns for the logistic regressions: each gain with an indicator of "no candidate"
    (its value set to 0 there), the model log-odds with an indicator of "no row"."""
    cols = []
    for name in names:
        v = column(rows, name)
        missing = v <= (NO_ROW if name in ("lexical", "contextual") else NO_CANDIDATE)
        cols += [np.where(missing, 0.0, v), missing.astype(float)]
    return np.column_stack(cols)


def word_part(
    payload: dict, key: str, names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Design, labels and paragraph ids of spinner ``key``'s swaps against the originals'
    content words."""
    spun_rows, labels = payload["rows"][key], payload["labels"][key]
    orig = payload["rows"]["originals"]
    pos = np.concatenate(labels)
    x = np.r_[design(spun_rows, names)[pos], design(orig, names)]
    y = np.r_[np.ones(int(pos.sum())), np.zeros(sum(len(r.spans) for r in orig))]
    pid = np.r_[paragraph_ids(spun_rows)[pos], paragraph_ids(orig)]
    return x, y, pid


def two_fold(fit_rows: Callable[[np.ndarray], np.ndarray], pid: np.ndarray) -> np.ndarray:
    """Out-of-fold predictions: even paragraphs fitted, odd read, and the other way round."""
    pred = np.zeros(len(pid))
    for half in (0, 1):
        read = pid % 2 == half
        pred[read] = fit_rows(read)
    return pred


def logistic() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=2000)


def per_word_report(payload: dict) -> None:
    keys = [k for k in payload["rows"] if k != "originals"]
    orig = payload["rows"]["originals"]
    feats = ["lexical", "contextual"] + [f"{s}:{g}" for s in SOURCES for g in GAINS]
    print("\n## Per-word ROC AUC (spun words against the originals' content words)")
    print("| spinner@rate | words | " + " | ".join(feats) + " |")
    for key in keys:
        pos_mask = np.concatenate(payload["labels"][key])
        cells = []
        for f in feats:
            p = column(payload["rows"][key], f)[pos_mask]
            cells.append(f"{auc(p, column(orig, f)):.3f}")
        print(f"| {key} | {int(pos_mask.sum())} | " + " | ".join(cells) + " |")
    print("\n## Coverage: share with >= 1 candidate (spun words / originals' words)")
    n_orig = {s: (column(orig, f"n:{s}") > 0).mean() for s in SOURCES}
    for key in keys:
        pos_mask = np.concatenate(payload["labels"][key])
        cells = [
            f"{s} {(column(payload['rows'][key], f'n:{s}')[pos_mask] > 0).mean():.2f}"
            for s in SOURCES
        ]
        print(f"{key}: " + ", ".join(cells))
    print("originals: " + ", ".join(f"{s} {v:.2f}" for s, v in n_orig.items()))
    no_row = (column(orig, "contextual") <= NO_ROW).mean()
    print(f"originals' content words the contextual model reads no row for: {no_row:.2f}")
    print("\n## False-alarm side: originals' words, ctx_gain quantiles and share > 0 / > 1")
    for s in SOURCES:
        v = column(orig, f"{s}:ctx_gain")
        v = v[v > NO_CANDIDATE]
        q = np.quantile(v, [0.5, 0.9]) if len(v) else [math.nan, math.nan]
        print(
            f"{s}: words with candidates {len(v)}, median {q[0]:.2f}, p90 {q[1]:.2f}, "
            f"share>0 {(v > 0).mean():.3f}, share>1 {(v > 1).mean():.3f}"
        )


SETS = {
    "current": ["contextual"],
    "+moby": ["contextual", "moby:fit_gain", "moby:ctx_gain"],
    "+glove": ["contextual", "glove:fit_gain", "glove:ctx_gain"],
    "+wordnet": ["contextual", "wordnet:fit_gain", "wordnet:ctx_gain"],
    "+glove+wordnet": [
        "contextual",
        "glove:fit_gain",
        "glove:ctx_gain",
        "wordnet:fit_gain",
        "wordnet:ctx_gain",
    ],
    "+all": ["contextual", "all:fit_gain", "all:ctx_gain"],
}


def pooled_fit(
    payload: dict, designs: dict[str, np.ndarray], make_model: Callable[[], Any]
) -> dict[str, np.ndarray]:
    """One spinner-agnostic model per fold (every spinner's swaps pooled, the originals'
    words once, weighted up to the swaps' count), its out-of-fold log-odds for every word of
    every text, by key."""
    keys = list(payload["rows"])
    pids = {k: paragraph_ids(payload["rows"][k]) for k in keys}
    out = {k: np.zeros(len(pids[k])) for k in keys}
    for half in (0, 1):
        model = fit_words(payload, designs, make_model, half)
        for k in keys:
            read = pids[k] % 2 == half
            out[k][read] = model.decision_function(designs[k][read])
    return out


def fit_words(
    payload: dict, designs: dict[str, np.ndarray], make_model: Callable[[], Any], half: int | None
) -> Any:
    """A per-word model fitted on every spinner's swaps and the originals' words (weighted up
    to the swaps' count), of the paragraphs outside ``half`` (0: odd ones; None: all)."""
    xs, ys = [], []
    for k in payload["rows"]:
        labels = np.concatenate(payload["labels"][k])
        keep = labels if k != "originals" else np.ones_like(labels)
        if half is not None:
            keep = keep & (paragraph_ids(payload["rows"][k]) % 2 != half)
        xs.append(designs[k][keep])
        ys.append(np.full(int(keep.sum()), float(k != "originals")))
    y = np.concatenate(ys)
    w = np.where(y == 1, (y == 0).sum() / max((y == 1).sum(), 1), 1.0)
    model = make_model()
    model.fit(np.concatenate(xs), y, sample_weight=w)
    return model


def trees() -> Any:
    """Gradient-boosted trees, as the shipped per-word models are (smaller)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=200, max_leaf_nodes=15, learning_rate=0.05, random_state=0
    )


def tree_design(rows: list[WordRows], names: list[str], counts: list[str]) -> np.ndarray:
    """Raw columns for the trees (the floors stand for "none"), with log candidate counts."""
    cols = [column(rows, c) for c in names]
    cols += [np.log1p(column(rows, f"n:{s}")) for s in counts]
    return np.column_stack(cols)


TREE_SETS: dict[str, tuple[list[str], list[str]]] = {
    "trees current": (["contextual"], []),
    "trees +moby": (["contextual", "moby:fit_gain", "moby:ctx_gain"], ["moby"]),
    "trees +glove+wordnet": (
        ["contextual", *(f"{s}:{g}" for s in ("glove", "wordnet") for g in GAINS)],
        ["glove", "wordnet"],
    ),
    "trees +all sources": (
        ["contextual", *(f"{s}:{g}" for s in ("moby", "glove", "wordnet") for g in GAINS)],
        ["moby", "glove", "wordnet"],
    ),
}


def regression_report(payload: dict) -> dict[str, dict[str, np.ndarray]]:
    """Per-word AUCs of the contextual model's log-odds with the new gains, two-fold over
    paragraphs, one model for all spinners: a logistic regression, then trees."""
    keys = [k for k in payload["rows"] if k != "originals"]
    outs = {
        name: pooled_fit(
            payload, {k: design(payload["rows"][k], cols) for k in payload["rows"]}, logistic
        )
        for name, cols in SETS.items()
    }
    for name, (cols, counts) in TREE_SETS.items():
        designs = {k: tree_design(payload["rows"][k], cols, counts) for k in payload["rows"]}
        outs[name] = pooled_fit(payload, designs, trees)
    print("\n## Per-word: contextual model log-odds + new gains, two-fold, pooled spinners")
    print("| spinner@rate | " + " | ".join(outs) + " |")
    for key in keys:
        pos = np.concatenate(payload["labels"][key])
        cells = [f"{auc(o[key][pos], o['originals']):.3f}" for o in outs.values()]
        print(f"| {key} | " + " | ".join(cells) + " |")
    return outs


def aggregates(logits: np.ndarray, splits: list[int]) -> np.ndarray:
    """Per text: mean of the three largest word log-odds, mean probability, share over 0.5
    and a mixture log-likelihood ratio at 10% (the per-word odds read as likelihood ratios)."""
    rows = []
    for part in np.split(logits, splits):
        if not len(part):
            rows.append([-8.0, 0.0, 0.0, 0.0])
            continue
        top = np.sort(part)[::-1][:3]
        top = np.r_[top, [-8.0] * (3 - len(top))]
        prob = 1 / (1 + np.exp(-part))
        mix = float(np.sum(np.log(0.9 + 0.1 * np.exp(np.clip(part, -20, 8)))))
        rows.append([top.mean(), prob.mean(), (prob > 0.5).mean(), mix])
    return np.array(rows)


def raw_aggregates(rows: list[WordRows], source: str) -> np.ndarray:
    """Per text, of a source's ``ctx_gain``: the share of content words over 1 and over 2,
    and the mean of the three largest (0 for none), as 17.11 aggregated the LM's gains."""
    out = []
    for r in rows:
        v = r.gains[f"{source}:ctx_gain"]
        v = v[v > NO_CANDIDATE]
        top = np.sort(v)[::-1][:3]
        top = np.r_[top, [0.0] * (3 - len(top))]
        words = max(len(r.spans), 1)
        out.append([(v > 1).sum() / words, (v > 2).sum() / words, top.mean()])
    return np.array(out)


def log_odds(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def text_model_features(payload: dict, key: str, word_logits: np.ndarray | None) -> np.ndarray:
    """The inputs of a refitted text model: the hand-built features of the scan (``features.
    FEATURE_NAMES`` but the per-word ones) and the paraphrase model's log-odds, with the
    per-word ratio features either as the scan gave them (``word_logits`` None: the shipped
    contextual per-word model) or made the same way (``features._ratio_features``) from the
    given per-word log-odds of every content word (balanced fits: log-odds = ln LR)."""
    from unspin.spinscore.features import FEATURE_NAMES, _ratio_features

    names = [f for f in FEATURE_NAMES if not f.startswith("word_")]
    word_names = [f for f in FEATURE_NAMES if f.startswith("word_")]
    rows = payload["rows"][key]
    splits = np.cumsum([len(r.spans) for r in rows])[:-1].tolist()
    parts = np.split(word_logits, splits) if word_logits is not None else [None] * len(rows)
    out = []
    for feats, part in zip(payload["features"][key], parts, strict=True):
        base = [feats[f] for f in names] + [
            float(log_odds(feats.get("paraphrase_probability", 0.0)))
        ]
        if part is None:
            words = [feats[f] for f in word_names]
        else:
            ratios = _ratio_features(
                (part / math.log(10.0)).tolist(),
                0,
                len(part),
                "word_mix_{:02d}",
                "word_top3",
                "word_odd_per_100",
            )
            words = [ratios[f] for f in word_names]
        out.append(base + words)
    return np.nan_to_num(np.array(out), neginf=-50.0, posinf=50.0)


def text_two_fold(payload: dict, x: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Out-of-fold text log-odds of one logistic regression over every spinner's texts and
    the originals (weighted up to the spun count), even paragraphs fitted and odd read, and
    the other way round."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keys = list(x)
    n = len(x["originals"])
    pid = np.arange(n)
    pred = {k: np.zeros(n) for k in keys}
    for half in (0, 1):
        fit = pid % 2 != half
        xs = np.concatenate([x[k][fit] for k in keys])
        ys = np.concatenate([np.full(int(fit.sum()), float(k != "originals")) for k in keys])
        w = np.where(ys == 0, len(keys) - 1, 1.0)
        model = make_pipeline(StandardScaler(), logistic())
        model.fit(xs, ys, logisticregression__sample_weight=w)
        for k in keys:
            pred[k][~fit] = model.decision_function(x[k][~fit])
    return pred


def text_report(payload: dict, outs: dict[str, dict[str, np.ndarray]]) -> None:
    """Text-level AUCs, two-fold over paragraphs: (1) the verdict's log-odds alone and with
    aggregates of the new gains or of per-word outputs; (2) a text model refitted on the
    scan's features with the per-word ratio features from each per-word output."""
    keys = list(payload["rows"])
    spun = [k for k in keys if k != "originals"]
    verdict = {k: log_odds(payload["verdict"][k])[:, None] for k in keys}

    def with_aggregates(per_key: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = {}
        for k in keys:
            splits = np.cumsum([len(r.spans) for r in payload["rows"][k]])[:-1].tolist()
            out[k] = np.column_stack([verdict[k], aggregates(per_key[k], splits)])
        return out

    variants: dict[str, tuple[dict[str, np.ndarray], str]] = {"verdict": (verdict, "")}
    for source in ("moby", "glove", "wordnet", "all"):
        x = {
            k: np.column_stack([verdict[k], raw_aggregates(payload["rows"][k], source)])
            for k in keys
        }
        variants[f"verdict + raw {source}"] = (x, "verdict")
    x = {
        k: np.column_stack(
            [
                verdict[k],
                raw_aggregates(payload["rows"][k], "glove"),
                raw_aggregates(payload["rows"][k], "wordnet"),
            ]
        )
        for k in keys
    }
    variants["verdict + raw glove+wordnet"] = (x, "verdict")
    for name in ("current", "+glove+wordnet", "trees current", "trees +glove+wordnet"):
        base = (
            "verdict"
            if name in ("current", "trees current")
            else (
                "verdict + agg(current)"
                if name == "+glove+wordnet"
                else "verdict + agg(trees current)"
            )
        )
        variants[f"verdict + agg({name})"] = (with_aggregates(outs[name]), base)
    variants["refit, shipped word features"] = (
        {k: text_model_features(payload, k, None) for k in keys},
        "verdict",
    )
    for name in ("trees current", "trees +glove+wordnet", "trees +all sources"):
        base = "refit, shipped word features" if name == "trees current" else "refit, trees current"
        variants[f"refit, {name}"] = (
            {k: text_model_features(payload, k, outs[name][k]) for k in keys},
            base,
        )
    preds = {
        label: {k: v[:, 0] for k, v in x.items()}
        if label == "verdict"
        else text_two_fold(payload, x)
        for label, (x, _) in variants.items()
    }

    def fold_auc(pred: dict[str, np.ndarray], k: str, at: np.ndarray) -> float:
        """Mean of the two halves' AUCs (each half read by a model fitted on the other: their
        scales differ, so pooling them would penalise every fitted variant)."""
        return float(
            np.mean(
                [auc(pred[k][at[at % 2 == h]], pred["originals"][at[at % 2 == h]]) for h in (0, 1)]
            )
        )

    n = len(payload["rows"]["originals"])
    every = np.arange(n)
    print("\n## Text level, two-fold over paragraphs (rows: variants; columns: spinner@rate)")
    print("| variant | " + " | ".join(spun) + " |")
    for label, pred in preds.items():
        cells = [f"{fold_auc(pred, k, every):.3f}" for k in spun]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nPaired bootstrap over paragraphs (200 draws): each variant minus its baseline")
    rng = np.random.default_rng(0)
    draws = [rng.integers(0, n, n) for _ in range(200)]
    for label, (_, base_label) in variants.items():
        if not base_label:
            continue
        pred, ref = preds[label], preds[base_label]
        cells = []
        for k in spun:
            diff = fold_auc(pred, k, every) - fold_auc(ref, k, every)
            boot = [fold_auc(pred, k, d) - fold_auc(ref, k, d) for d in draws]
            lo, hi = np.quantile(boot, [0.025, 0.975])
            cells.append(f"{k} {diff:+.3f} ({lo:+.3f}..{hi:+.3f})")
        print(f"{label} minus {base_label}: " + "; ".join(cells))


def report(folder: Path) -> None:
    payload = pickle.loads((folder / "rows.pkl").read_bytes())
    per_word_report(payload)
    outs = regression_report(payload)
    text_report(payload, outs)


# The one variant read on the held-apart rows, fixed on the development rows before those
# were read: the verdict's log-odds with aggregates of a per-word tree model's log-odds.
HELD_VARIANTS = ("trees current", "trees +glove+wordnet")


def held_report(folder: Path, held_folder: Path) -> None:
    """Fit on the development rows only, read the held-apart rows once: per-word trees on all
    development words, the text regression on the development texts' out-of-fold per-word
    outputs; AUCs with 95% paired bootstrap intervals over held-apart paragraphs."""
    dev = pickle.loads((folder / "rows.pkl").read_bytes())
    held = pickle.loads((held_folder / "rows.pkl").read_bytes())
    keys = list(dev["rows"])
    spun = [k for k in keys if k != "originals"]
    verdict = {
        "dev": {k: log_odds(dev["verdict"][k]) for k in keys},
        "held": {k: log_odds(held["verdict"][k]) for k in keys},
    }
    preds: dict[str, dict[str, np.ndarray]] = {"verdict": verdict["held"]}
    for name in HELD_VARIANTS:
        cols, counts = TREE_SETS[name]
        dev_designs = {k: tree_design(dev["rows"][k], cols, counts) for k in keys}
        oof = pooled_fit(dev, dev_designs, trees)
        # The same per-word model fitted on every development word, for the held-apart rows.
        word_model = fit_words(dev, dev_designs, trees, None)
        held_words = {
            k: word_model.decision_function(tree_design(held["rows"][k], cols, counts))
            for k in keys
        }

        def text_x(part: dict, words: dict[str, np.ndarray], v: dict[str, np.ndarray]) -> dict:
            out = {}
            for k in keys:
                splits = np.cumsum([len(r.spans) for r in part["rows"][k]])[:-1].tolist()
                out[k] = np.column_stack([v[k], aggregates(words[k], splits)])
            return out

        x_dev, x_held = text_x(dev, oof, verdict["dev"]), text_x(held, held_words, verdict["held"])
        xs_t = np.concatenate([x_dev[k] for k in keys])
        ys_t = np.concatenate([np.full(len(x_dev[k]), float(k != "originals")) for k in keys])
        text_model = logistic()
        text_model.fit(xs_t, ys_t, sample_weight=np.where(ys_t == 0, len(keys) - 1, 1.0))
        preds[f"verdict + agg({name})"] = {k: text_model.decision_function(x_held[k]) for k in keys}
    n = len(held["rows"]["originals"])
    rng = np.random.default_rng(0)
    draws = [rng.integers(0, n, n) for _ in range(1000)]

    def cell(pred: dict[str, np.ndarray], k: str) -> str:
        value = auc(pred[k], pred["originals"])
        boot = [auc(pred[k][d], pred["originals"][d]) for d in draws]
        lo, hi = np.quantile(boot, [0.025, 0.975])
        return f"{value:.3f} ({lo:.3f}-{hi:.3f})"

    print("\n## Held-apart (fitted on development rows only, read once)")
    print("| variant | " + " | ".join(spun) + " |")
    for label, pred in preds.items():
        print(f"| {label} | " + " | ".join(cell(pred, k) for k in spun) + " |")
    pairs = [
        ("verdict + agg(trees +glove+wordnet)", "verdict"),
        ("verdict + agg(trees +glove+wordnet)", "verdict + agg(trees current)"),
        ("verdict + agg(trees current)", "verdict"),
    ]
    print("\nPaired differences (95% bootstrap, 1,000 draws over held-apart paragraphs):")
    for a, b in pairs:
        cells = []
        for k in spun:
            diff = auc(preds[a][k], preds[a]["originals"]) - auc(preds[b][k], preds[b]["originals"])
            boot = [
                auc(preds[a][k][d], preds[a]["originals"][d])
                - auc(preds[b][k][d], preds[b]["originals"][d])
                for d in draws
            ]
            lo, hi = np.quantile(boot, [0.025, 0.975])
            cells.append(f"{k} {diff:+.3f} ({lo:+.3f}..{hi:+.3f})")
        print(f"{a} minus {b}: " + "; ".join(cells))
    print("\nHeld-apart originals over 0.5 (each regression's probability; the verdict's own):")
    for label, pred in preds.items():
        share = (pred["originals"] > 0).mean()
        print(f"{label}: {share:.3f}")


# --- speed ---------------------------------------------------------------------------------


def speed(data: Path) -> None:
    """ms of the new lookups (GloVe reverse table, WordNet with lemminflect, their word pairs)
    per 1,000-word article, tables loaded, per-word caches cold."""
    texts = dev_texts(data, 400)
    glove_reverse()
    wordnet_originals("rise")
    articles, words = [], 0
    current: list[str] = []
    for t in texts[120:]:
        current.append(t)
        words += len(t.split())
        if words >= 1000:
            articles.append("\n\n".join(current))
            current, words = [], 0
        if len(articles) == 5:
            break
    for article in articles:
        wordnet_originals.cache_clear()
        moby_originals.cache_clear()
        from unspin.generators.spinners import _inflected

        _inflected.cache_clear()
        words_of = content_words(article)
        started = time.process_time()
        for _, _, w, _ in words_of:
            glove_reverse().get(w, ())
            wordnet_originals(w)
        mid = time.process_time()
        gains_of(words_of)
        done = time.process_time()
        print(
            f"{len(article.split())} words ({len(words_of)} content): lookups "
            f"{1000 * (mid - started):.0f} ms CPU, gains (Moby included, caches warm) "
            f"{1000 * (done - mid):.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("rows", "report", "speed"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--held", action="store_true", help="rows of the held-apart bench")
    parser.add_argument(
        "--read-held", type=Path, help="report: fit on FOLDER, read this held-apart rows folder"
    )
    args = parser.parse_args()
    if args.step == "rows":
        make_rows(args.folder, args.data, args.n, args.held)
    elif args.step == "report" and args.read_held:
        held_report(args.folder, args.read_held)
    elif args.step == "report":
        report(args.folder)
    else:
        speed(args.data)


if __name__ == "__main__":
    main()
