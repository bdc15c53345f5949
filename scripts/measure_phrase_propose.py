"""Measure, offline on the tune half, whether a small language model *proposing* candidate words
lifts the reach of the tortured-phrase restorer (docs/benchmarks.md 15.21; issue 19 item 4).
Nothing here ships; the held half is not read.

The search's options reach the intended wording for about half of the tune rows (15.6, 15.15):
for most of the rest an intended word is no candidate at all, or one the word model pruned.
Here, for each word position of the spun phrase, one pass of SmolLM2-135M (as 15.8-15.9 read it,
``scripts/measure_phrase_lm.py``) over ``Keywords: <words before>`` gives the next token's
distribution over the whole vocabulary; a word *related* to the spun word at that position
(from the lexical resources the project already reads: the spun word's own candidates past the
word model's pruning, GloVe's nearest words over its whole vocabulary, Moby two steps, WordNet's
relations the candidates do not read, Roget's Thesaurus and a route through WordNet's
derivations, each through the word's base forms and re-inflected like it) is proposed when the
LM ranks its first token among the likeliest whole words there. Two left contexts are read:
the spun words before the position, and the words before it in the search's best wording of
the same length.

    python scripts/measure_phrase_propose.py dump --model M --rows 1200 --out rows.pkl
    python scripts/measure_phrase_propose.py reach rows.pkl

``dump``: for each of the first ``--rows`` tune rows (searched with the shipped weights and the
other fold's swaps, cross-fitted as ``train_phrase_restorer.py`` fits the second stage): whether
the options reach the intended wording (the fitting script's forced path), and for each word
position of a row of the intended wording's length, the intended word, whether it is among the
position's options, and every related word not among them with its sources, its first token's
log P in each context and that token's rank among the vocabulary's whole words (kept when the
rank is under :data:`KEEP_RANK`, the intended word always). ``--model M`` is the folder
``measure_phrase_lm.py cache`` writes. ``reach``: reach with the proposals of each rule added
(rows newly reached, and how many new candidates a position gets: every one a rival of the
intended word in the search).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "benchmarks")]

import measure_phrase_sources as mps  # noqa: E402
import train_phrase_restorer as tpr  # noqa: E402
from measure_phrase_lm import KeywordLM  # noqa: E402

from unspin.spinscore.phrases import (  # noqa: E402
    _options,
    other_forms,
    restorations,
    word_options,
)
from unspin.text import STOPWORDS, tokenize  # noqa: E402

KEEP_RANK = 5000  # related words whose first token ranks past this are not kept in the dump
SOURCES = ("pruned", "glove", "moby2", "wordnet", "roget", "route")
Row = dict[str, Any]
# A related word's sources, (log P of its first token, that token's rank) by context, tokens.
Cand = tuple[frozenset[str], dict[str, tuple[float, int]], int]


class WholeWords:
    """The LM vocabulary's whole-word tokens (" word", lower-case letters only)."""

    def __init__(self, lm: KeywordLM) -> None:
        vocab = lm.tok.convert_ids_to_tokens(list(range(len(lm.tok))))
        self.mask = np.array(
            [t.startswith("Ġ") and t[1:].isalpha() and t[1:].islower() for t in vocab]
        )
        self.word = {i: t[1:] for i, t in enumerate(vocab) if self.mask[i]}

    def ranks(self, logp: np.ndarray) -> np.ndarray:
        """Each token's rank among the whole-word tokens by ``logp`` (0 = likeliest)."""
        whole = np.sort(logp[: len(self.mask)][self.mask])[::-1]
        return np.searchsorted(-whole, -logp, side="left")


def next_token(lm: KeywordLM, words: tuple[str, ...]) -> list[np.ndarray]:
    """log P of the next token after ``Keywords: words[:i]`` for each i, from one LM pass."""
    torch = lm.torch
    body: list[int] = []
    ends = [len(lm.head) - 1]
    for w in words[:-1]:
        body += lm.ids(w)
        ends.append(len(lm.head) + len(body) - 1)
    ids = torch.tensor([lm.head + body], dtype=torch.long)
    with torch.no_grad():
        lg = lm.model(input_ids=ids).logits[0].float().log_softmax(-1).numpy()
    return [lg[e] for e in ends]


def related_words(word: str, glove: mps.Glove) -> dict[str, set[str]]:
    """Words related to ``word`` by each source (its own candidates not included)."""
    out: dict[str, set[str]] = {}

    def add(source: str, found: set[str] | tuple[str, ...]) -> None:
        for w in found:
            out.setdefault(w, set()).add(source)

    add("glove", set(glove.nearest(word, 500)))
    add("moby2", set(mps.moby_two_steps(word)))
    for kind in ("derivations", "co-hyponyms", "two steps", "other"):
        add("wordnet", mps._through_lemmas(word, partial(_wordnet_kind, kind)))
    add("roget", mps._through_lemmas(word, mps._roget))
    add("route", mps.derivation_route(word, 20))
    return out


def _wordnet_kind(kind: str, lemma: str) -> set[str]:
    return mps._wordnet(lemma, kind)


def dump(args: argparse.Namespace) -> None:
    every, by_fold = mps.tune_rows(args)
    rows_in = every[args.start : args.start + args.rows]
    lm = KeywordLM(args.model)
    whole = WholeWords(lm)
    glove = mps.Glove()
    out: list[Row] = []
    began = time.process_time()
    for n, p in enumerate(rows_in):
        ranker = by_fold[tpr.fold(p)]
        spun, meant = tokenize(p.tortured).norms, tuple(p.expected.split())
        row: Row = {
            "spun": spun,
            "meant": meant,
            "reached": bool(restorations(spun, ranker, within=meant)),
            "positions": [],
        }
        out.append(row)
        if len(spun) != len(meant) or row["reached"]:
            continue
        found = restorations(spun, ranker)
        best = next((r.text.split() for r in found if len(r.text.split()) == len(spun)), None)
        contexts = {"spun": next_token(lm, spun)}
        if best is not None:
            contexts["best"] = next_token(lm, tuple(best))
        options = _options(spun, ranker)
        for i, (s, m) in enumerate(zip(spun, meant, strict=True)):
            have = {o.text for o in options[i] if o.end == i + 1}
            every_option = [t for t, _ in word_options(s, ranker.pairs, ranker.kept)]
            rel: dict[str, set[str]] = {}
            if s not in STOPWORDS and s.isalpha():
                rel = related_words(s, glove)
                for t in every_option:
                    rel.setdefault(t, set()).add("pruned")
            skip = have | other_forms(s) | {s}
            here = {k: lp[i] for k, lp in contexts.items()}
            ranks = {k: whole.ranks(lp) for k, lp in here.items()}
            cands: dict[str, Cand] = {}
            for c, srcs in rel.items():
                if c in skip or " " in c or not c.isalpha() or c in STOPWORDS:
                    continue
                ids = lm.ids(c)
                got = {k: (float(here[k][ids[0]]), int(ranks[k][ids[0]])) for k in here}
                if c == m or min(r for _, r in got.values()) < KEEP_RANK:
                    cands[c] = (frozenset(srcs), got, len(ids))
            first_m = lm.ids(m)[0]
            row["positions"].append(
                {
                    "spun": s,
                    "meant": m,
                    "have": m in have,
                    "related": m in cands,
                    "meant_rank": {k: int(ranks[k][first_m]) for k in here},
                    "cands": cands,
                }
            )
        if (n + 1) % 50 == 0:
            print(n + 1, round(time.process_time() - began), flush=True)
            Path(args.out).write_bytes(pickle.dumps(out))
    Path(args.out).write_bytes(pickle.dumps(out))
    print("done", len(out), round(time.process_time() - began))


def reach(args: argparse.Namespace) -> None:
    rows: list[Row] = []
    for path in args.rows:
        rows += pickle.loads(Path(path).read_bytes())
    n = len(rows)
    base = sum(r["reached"] for r in rows)
    print(f"{n} tune rows; reached by the options: {base} ({base / n:.3f})")
    todo = [r for r in rows if r["positions"]]
    missing = [q for r in todo for q in r["positions"] if not q["have"]]
    print(
        f"equal length, not reached: {len(todo)} rows, {len(missing)} intended words missing;"
        f" related by some source: {sum(q['related'] for q in missing)}"
    )
    for name in ("spun", "best"):
        got = [q["meant_rank"][name] for q in missing if name in q["meant_rank"]]
        cuts = [sum(x < c for x in got) for c in (10, 50, 100, 500, 1000)]
        print(
            f"  context {name}: intended word's first token among the top 10/50/100/500/1000"
            f" whole words: {cuts} of {len(got)}"
        )
    by_source = Counter(s for q in missing if q["related"] for s in q["cands"][q["meant"]][0])
    print("  missing words related, by source:", dict(by_source))
    rules: list[tuple[str, tuple[str, ...], tuple[str, ...], int]] = []
    contexts: tuple[tuple[str, ...], ...] = (("spun",), ("best",), ("spun", "best"))
    for ctx in contexts:
        for srcs in (SOURCES, ("pruned",), tuple(s for s in SOURCES if s != "moby2")):
            rules += [("whole", ctx, srcs, k) for k in (20, 50, 100, 200, 500)]
            rules += [("top", ctx, srcs, k) for k in (5, 10, 20, 50)]
    print("| rule | contexts | sources | rows newly reached | reach | new candidates a word |")
    print("|---|---|---|---:|---:|---:|")
    for kind, ctx, srcs, k in rules:
        gained, added, words = 0, 0, 0
        for r in todo:
            ok = True
            for q in r["positions"]:
                chosen = propose(q["cands"], kind, ctx, srcs, k)
                added += len(chosen)
                words += 1
                ok &= q["have"] or q["meant"] in chosen
            gained += ok
        name = f"one-token word, rank < {k}" if kind == "whole" else f"best {k} of the related"
        print(
            f"| {name} | {'+'.join(ctx)} | {','.join(srcs) if srcs != SOURCES else 'all'} |"
            f" {gained} | {(base + gained) / n:.3f} | {added / max(words, 1):.1f} |",
            flush=True,
        )


def propose(
    cands: dict[str, Cand], kind: str, ctx: tuple[str, ...], srcs: tuple[str, ...], k: int
) -> set[str]:
    """The related words (from ``srcs``) one rule proposes at a position: ``whole``, those of
    one token that ranks under ``k`` among the vocabulary's whole words in a context of
    ``ctx``; ``top``, the ``k`` whose first token is likeliest in each context."""
    chosen: set[str] = set()
    pool = {c: (got, tokens) for c, (s, got, tokens) in cands.items() if s & set(srcs)}
    for x in ctx:
        here = {c: (got[x], tokens) for c, (got, tokens) in pool.items() if x in got}
        if kind == "whole":
            chosen |= {c for c, ((_, r), tokens) in here.items() if tokens == 1 and r < k}
        else:
            chosen |= set(sorted(here, key=lambda c: -here[c][0][0])[:k])
    return chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="step", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--data", default=str(ROOT / "../shared/data"))
    d.add_argument("--model", required=True)
    d.add_argument("--start", type=int, default=0)
    d.add_argument("--rows", type=int, default=1200)
    d.add_argument("--out", required=True)
    r = sub.add_parser("reach")
    r.add_argument("rows", nargs="+")
    args = ap.parse_args()
    {"dump": dump, "reach": reach}[args.step](args)


if __name__ == "__main__":
    main()
