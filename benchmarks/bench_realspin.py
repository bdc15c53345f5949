"""Spin score and restoration on text that real tools rewrote (issue 19), against a baseline.

    .venv/bin/python benchmarks/bench_realspin.py [--data ../shared/data] [--baseline SRC]
        [--originals 60] [--contextual 16] [--phrases 300] [--prose 200] [--suggestions N]
        [--spinner-suggestions N] [--spun-pairs DIR [--spun-max N] [--misses FILE]]

* QuillBot pairs (``realspin/quillbot-dev.jsonl``, whitespace collapsed on both sides): text-level
  ROC AUC of paraphrases against originals, overall and per mode, and the share of originals
  scoring over 0.5. Originals are split in two halves by a hash of the original text (never by
  pair): ``tune`` is where thresholds were chosen, ``held`` the other half. ``--originals`` per
  half are sampled (with all their paraphrases) for the lexical model and ``--contextual`` per
  half for the contextual one (about 2 s a text on 2 busy cores).
* Human prose no tool rewrote (``--prose`` stretches of PAN 2013 source books that the
  paraphrase model did not train on, and the 100 texts of the Clough-Stevenson corpus): the
  share over 0.5, of the verdict and of each text model alone.
* Span suggestions on QuillBot (``--suggestions`` originals per half, with all their
  paraphrases): QuillBot's one-word swaps read off ``compare`` of each pair (synonym and
  paraphrase edits of one word for one word), the paraphrase scored as ``unspin score`` does
  by default (model ``auto``, ``--restore 10``); the share of swaps a span marks exactly, the
  share of spans that sit exactly on a swap, and of the marked swaps the share whose replaced
  word is the first suggestion, or among the three; the same for each word of the edits of
  several words for as many (``compare`` joins neighbouring one-word swaps: "prominent chin"
  -> "noticeable jaw"); and of the edits of several words, the share a span overlaps, the
  share one covers exactly and of those the share with the replaced wording among three
  suggestions (:func:`suggestion_figures`, shared with ``--spun-pairs``).
* Span suggestions on our own spinners (``--spinner-suggestions`` held-apart Reuters stories of
  350 words or more, reut2-014..021, spun at 15% by each spinner): of the spans that sit
  exactly on a swap, the share whose swapped-out word is the first suggestion, or among the
  three, with the library default ``restore=0`` (each model) and as ``unspin score`` shows
  them (contextual, ``restore=10``).
* Real spinner output beside its originals in a folder outside the repository
  (``--spun-pairs DIR``, skipped when absent): every ``*ORIG*.txt`` under ``DIR`` whose
  ``SPUN`` partner sits beside it or, in the layout of the Machine-obfuscated Plagiarism data
  (Foltynek et al. 2020, Zenodo 3608000), in the sibling ``mg/`` folder of its ``og/`` folder
  (``og/NAME-ORIG.txt`` with ``mg/NAME-SPUN.txt``); whitespace collapsed, text that UTF-8
  read as Latin-1 put back (``repair_mojibake``), pairs whose original has under
  ``SPUN_MIN_WORDS`` words or equals the spun text left out. Text-level ROC AUC of the spun
  texts against their originals with 95% bootstrap intervals, the shares over 0.5, and per
  word (the data marks no swaps, so ``compare`` of each pair finds them, as for QuillBot
  below): the share of swaps a span marks, the share of spans on a swap, spans per 100 words
  of the originals, and the suggestions' top-1 and top-3 on the marked swaps (``restore=10``),
  with every figure of the QuillBot suggestions above (:func:`suggestion_figures`).
  ``--misses FILE`` writes the marked one-word swaps whose replaced word is not among the
  three suggestions (model ``auto``), with their text, for reading by hand.
  Spans against every word the spinner changed (``spun_pairs/MODEL/spans/{all,tune,held}``,
  :func:`span_rows`): a diff of the two texts' words (:func:`changed_words`) gives the changed
  words, one-word swaps and phrase rewrites alike ("driving force" -> "main thrust"); a span
  is right when it overlaps a changed word. Precision (the share of spans on the spun texts
  that are right; ``changed_share`` is what spans on random words would get), the share of
  one-word swaps and of changed stretches a span overlaps, and spans per 100 words of the
  spun texts and of the originals, with 95% bootstrap intervals over pairs; over all pairs
  and over two halves by a hash of the pair's id (:func:`pair_half`), ``tune`` where span
  choices were made and ``held`` where they were checked. The same for QuillBot's pairs of
  ``--suggestions`` (``suggestions/MODEL/HALF/spans``; an original with several paraphrases
  counts once per pair). With ``--baseline``, each of these is also printed as this checkout
  minus the baseline, with 95% paired bootstrap intervals (:func:`span_differences`).
* Tortured phrases (``realspin/tortured-phrases-dev.csv``): :func:`unspin.spin.explain` top-1
  and top-3, rows grouped so that no phrase of one half appears in the other (a phrase and its
  expected wording join one group), "???" rows left out, brackets such as "(ICA)" stripped, and
  each quoted variant of an AND row that differs from the expected phrase asked on its own.
  ``--phrases`` rows per half are sampled. Without a context ``explain`` ranks lexically for
  both models, so one figure stands for both. Also: the share ``explain`` declines (its
  likeliest wording under the confidence floor) and how many of those had the answer in the
  top 3, how many restorations it states (``offered``) and of those how many have a likeliest
  wording that is not the intended one (``wrong_offered``), the time of one ``explain`` after
  loading (median and worst, milliseconds), and the
  ceiling ``reach``: the share of rows whose intended wording the restorer's options reach at
  all (:func:`unspin.spinscore.phrases.restorations` forced to it), which no ranking can pass.

Tune figures of a model trained on the tune half (the paraphrase model, 2026-12-04) are training
figures; its out-of-fold tune figures are printed by ``scripts/train_paraphrase_model.py``. The
``ci/thesaurus`` rows are the thesaurus text model alone, which was the whole probability before
the paraphrase model: the baseline, on the same scores. Intervals resample originals with all
their paraphrases (1,000 rounds, seed 0).

``--baseline SRC`` runs the same measurements in a subprocess with ``SRC`` (a checkout's
``src`` folder, e.g. main's) first on the path, on the same samples, and prints both. The files
are the development halves of the data: every figure is a development figure.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

_SPACE = re.compile(r"\s+")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_QUOTED = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"[^\W_]+")


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC by ranks (ties count half)."""
    if not pos or not neg:
        return float("nan")
    scores = np.array(pos + neg)
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):
        mask = scores == value
        ranks[mask] = ranks[mask].mean()
    n_pos, n_neg = len(pos), len(neg)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def fast_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """ROC AUC (ties count half) by binary search in the sorted negatives."""
    if not len(pos) or not len(neg):
        return float("nan")
    neg = np.sort(neg)
    below = np.searchsorted(neg, pos, side="left")
    upto = np.searchsorted(neg, pos, side="right")
    return float((below + 0.5 * (upto - below)).mean() / len(neg))


def intervals(
    score: dict[str, float], originals: list[str], kept: list[Pair], rounds: int = 1000
) -> dict[str, str]:
    """Point figure and 95% bootstrap interval of the AUC (overall and per mode) and of the
    originals' and paraphrases' shares over 0.5, resampling *originals* with all their
    paraphrases (the paraphrases of one original are not independent), seed 0."""
    rng = np.random.default_rng(0)
    index = {o: k for k, o in enumerate(originals)}
    neg_all = np.array([score[o] for o in originals])
    pos_all = np.array([score[p.spun] for p in kept])
    owner = np.array([index[p.original] for p in kept])
    modes = np.array([p.mode for p in kept])
    figures: dict[str, list[float]] = defaultdict(list)

    def measure(weights: np.ndarray) -> dict[str, float]:
        neg = np.repeat(neg_all, weights)
        pos_weights = weights[owner]
        out = {"auc": fast_auc(np.repeat(pos_all, pos_weights), neg)}
        for mode in sorted(set(modes)):
            mask = modes == mode
            out[f"auc_{mode}"] = fast_auc(np.repeat(pos_all[mask], pos_weights[mask]), neg)
        out["fpr_05"] = float((neg > 0.5).mean())
        out["tpr_05"] = float(np.repeat(pos_all > 0.5, pos_weights).mean())
        return out

    point = measure(np.ones(len(originals), dtype=np.int64))
    for _ in range(rounds):
        weights = np.bincount(
            rng.integers(0, len(originals), len(originals)), minlength=len(originals)
        )
        for key, value in measure(weights).items():
            figures[key].append(value)
    return {
        key: f"{point[key]:.3f} ({np.nanpercentile(figures[key], 2.5):.3f}-"
        f"{np.nanpercentile(figures[key], 97.5):.3f})"
        for key in point
    }


def half(key: str) -> str:
    """``tune`` or ``held``: a stable split by a hash of ``key``."""
    return "tune" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "held"


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Pair:
    original: str
    spun: str
    mode: str


def quillbot(path: Path, per_half: int) -> dict[str, list[Pair]]:
    """The pairs of the first ``per_half`` originals (by hash order) of each half."""
    by_original: dict[str, list[Pair]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            o = collapse(row["original"])
            by_original[o].append(Pair(o, collapse(row["spun"]), row["mode"]))
    ordered = sorted(by_original, key=lambda o: hashlib.sha1(o.encode()).hexdigest())
    out: dict[str, list[Pair]] = {"tune": [], "held": []}
    taken = {"tune": 0, "held": 0}
    for o in ordered:
        h = half(o)
        if taken[h] < per_half:
            taken[h] += 1
            out[h] += by_original[o]
    return out


SPUN_MIN_WORDS = 40  # shorter "paragraphs" of the MPC data are headings and list items
_MOJIBAKE = re.compile(  # a lead byte read as Latin-1/cp1252, then its continuation bytes
    r"[\u00c0-\u00ff][\u0080-\u00bf\u0152-\u0178\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+"
)


def repair_mojibake(text: str) -> str:
    """``text`` with each stretch that is UTF-8 read as Latin-1 or cp1252 (``"Ã©"`` for
    ``"é"``, ``"Ã‰"`` for ``"É"``) decoded again; other text as it is."""

    def fix(m: re.Match[str]) -> str:
        for codec in ("latin-1", "cp1252"):
            try:
                return m.group().encode(codec).decode("utf-8")
            except UnicodeError:
                continue
        return m.group()

    return _MOJIBAKE.sub(fix, text)


def orig_spun_pairs(folder: Path, min_words: int = SPUN_MIN_WORDS) -> list[Pair]:
    """Original and spun text of every ``*ORIG*.txt`` under ``folder`` that has a ``SPUN``
    partner beside it (``ORIG`` replaced by ``SPUN`` in the name) or in the sibling ``mg/``
    folder of its ``og/`` folder (also ``NAME-SPUN.txt`` for ``NAME-ORIG-3.txt``), in name
    order; whitespace collapsed, Latin-1 mojibake repaired, pairs whose original has under
    ``min_words`` words or equals its spun text left out. ``mode`` is the spun file's path
    relative to ``folder``."""
    out: list[Pair] = []
    for orig in sorted(folder.rglob("*ORIG*.txt")):
        spun_name = orig.name.replace("ORIG", "SPUN")
        places = [orig.with_name(spun_name)]
        if orig.parent.name == "og":
            mg = orig.parent.parent / "mg"
            places += [mg / spun_name, mg / (orig.name.split("-")[0] + "-SPUN.txt")]
        spun = next((p for p in places if p.is_file()), None)
        if spun is None:
            continue
        o = collapse(repair_mojibake(orig.read_text(encoding="utf-8", errors="replace")))
        t = collapse(repair_mojibake(spun.read_text(encoding="utf-8", errors="replace")))
        if len(o.split()) >= min_words and o != t:
            out.append(Pair(o, t, str(spun.relative_to(folder))))
    return out


def spun_pair_figures(
    pairs: list[Pair], models: list[str], misses: list[dict[str, object]] | None = None
) -> dict[str, dict[str, object]]:
    """Text-level and per-word figures of each model on real spinner output beside its
    originals (see the module's notes); intervals resample pairs (1,000 rounds, seed 0). The
    per-word figures are :func:`suggestion_figures`, as for QuillBot; ``misses`` gets those of
    the last model's."""
    try:
        from unspin.spinscore.score import score_text
    except ImportError:
        from unspin.spin import score_text  # type: ignore[no-redef]
    out: dict[str, dict[str, object]] = {}
    by_original = dict((p.original, p) for p in pairs)
    one = [Pair(p.original, p.spun, "spun") for p in by_original.values()]
    halves = [pair_half(p) for p in by_original.values()]
    originals = [p.original for p in one]
    swaps = [swaps_of(p) for p in one]
    for model in models:
        orig_scores = [score_text(o, model, restore=10) for o in originals]
        spun_scores = [score_text(p.spun, model, restore=10) for p in one]
        score = {o: s.probability for o, s in zip(originals, orig_scores, strict=True)}
        score.update({p.spun: s.probability for p, s in zip(one, spun_scores, strict=True)})
        if misses is not None:
            misses.clear()
        orig_words = sum(len(o.split()) for o in originals)
        entry: dict[str, object] = {
            "pairs": len(one),
            "words_median": float(np.median([len(o.split()) for o in originals])),
            "auc": auc([score[p.spun] for p in one], [score[o] for o in originals]),
            "originals_over_05": float(np.mean([score[o] > 0.5 for o in originals])),
            "spun_over_05": float(np.mean([score[p.spun] > 0.5 for p in one])),
            "spun_median": float(np.median([score[p.spun] for p in one])),
            "originals_median": float(np.median([score[o] for o in originals])),
            "spans_per_100_words_originals": 100.0
            * sum(len(s.spans) for s in orig_scores)
            / max(orig_words, 1),
            **suggestion_figures(swaps, [p.spun for p in one], spun_scores, misses),
            "ci": intervals(score, originals, one),
        }
        out[f"spun_pairs/{model}"] = entry
        # Spans against every word the spinner changed, over all pairs and each half.
        rows = span_rows(one, orig_scores, spun_scores)
        for name in ("all", "tune", "held"):
            mine = [r for r, h in zip(rows, halves, strict=True) if name in ("all", h)]
            out[f"spun_pairs/{model}/spans/{name}"] = {
                "pairs": len(mine),
                "ci": span_figures(mine),
                "rows": mine,
            }
    return out


@dataclass(frozen=True, slots=True)
class Changed:
    """What a spinner changed in a pair, from a diff of the two texts' words (letters and
    digits, lower case): the places in the spun text of every word it wrote in a changed
    stretch, the stretches themselves (one word for one, or a phrase rewritten: "driving force"
    -> "main thrust"), the one-word swaps among them, and the spun text's word count."""

    words: list[tuple[int, int]]
    stretches: list[tuple[int, int]]
    one_word: list[tuple[int, int]]
    spun_words: int


def changed_words(original: str, spun: str) -> Changed:
    """:class:`Changed` of ``spun`` against ``original`` (``difflib`` over the words, no junk
    heuristic): an inflection is a change, a change of case is not.

    >>> c = changed_words("The driving force of the game.", "The main thrust of the amusement.")
    >>> spun = "The main thrust of the amusement."
    >>> [spun[a:b] for a, b in c.stretches], [spun[a:b] for a, b in c.one_word], c.spun_words
    (['main thrust', 'amusement'], ['amusement'], 6)
    """
    before = [m.group().lower() for m in _WORD.finditer(original)]
    found = list(_WORD.finditer(spun))
    after = [m.group().lower() for m in found]
    out = Changed([], [], [], len(after))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("replace", "insert"):
            continue
        places = [(found[j].start(), found[j].end()) for j in range(j1, j2)]
        out.words.extend(places)
        out.stretches.append((places[0][0], places[-1][1]))
        if tag == "replace" and i2 - i1 == j2 - j1 == 1:
            out.one_word.append(places[0])
    return out


def _overlaps(a: int, b: int, places: Sequence[tuple[int, int]]) -> bool:
    return any(x < b and a < y for x, y in places)


# One pair's counts, in this order, from which every span figure is a ratio of sums.
SPAN_COLUMNS = (
    "spans",  # on the spun text
    "spans_right",  # of those, overlapping a word the spinner wrote
    "one_word",  # one-word swaps
    "one_word_marked",  # of those, overlapped by a span
    "stretches",  # changed stretches (a word or a phrase)
    "stretches_marked",
    "changed",  # words the spinner wrote
    "spun_words",
    "original_spans",
    "original_words",
)
# Figure -> (numerator, denominator, scale) over SPAN_COLUMNS' sums.
SPAN_FIGURES = {
    "precision": ("spans_right", "spans", 1.0),
    "recall_one_word": ("one_word_marked", "one_word", 1.0),
    "recall_stretches": ("stretches_marked", "stretches", 1.0),
    "spans_per_100_spun": ("spans", "spun_words", 100.0),
    "spans_per_100_originals": ("original_spans", "original_words", 100.0),
    "changed_share": ("changed", "spun_words", 1.0),  # a span on a random word: its precision
}


def span_rows(
    pairs: Sequence[Pair], orig_scored: Sequence[Any], spun_scored: Sequence[Any]
) -> list[list[int]]:
    """Each pair's :data:`SPAN_COLUMNS`: a span is right when it overlaps any word the
    spinner changed (:func:`changed_words`: one-word swaps and phrase rewrites alike), a
    change is marked when a span overlaps it; words counted as :data:`_WORD` finds them."""
    rows = []
    for pair, o, t in zip(pairs, orig_scored, spun_scored, strict=True):
        c = changed_words(pair.original, pair.spun)
        spans = [(s.start, s.end) for s in t.spans]
        rows.append(
            [
                len(spans),
                sum(_overlaps(a, b, c.words) for a, b in spans),
                len(c.one_word),
                sum(_overlaps(a, b, spans) for a, b in c.one_word),
                len(c.stretches),
                sum(_overlaps(a, b, spans) for a, b in c.stretches),
                len(c.words),
                c.spun_words,
                len(o.spans),
                len(_WORD.findall(pair.original)),
            ]
        )
    return rows


def _span_point(rows: np.ndarray) -> dict[str, float]:
    total = dict(zip(SPAN_COLUMNS, rows.sum(axis=0).tolist(), strict=True))
    return {k: scale * total[a] / max(total[b], 1) for k, (a, b, scale) in SPAN_FIGURES.items()}


def span_figures(rows: Sequence[Sequence[int]], rounds: int = 1000) -> dict[str, str]:
    """:data:`SPAN_FIGURES` of ``rows`` (:func:`span_rows`) with 95% bootstrap intervals
    resampling pairs (``rounds`` rounds, seed 0)."""
    table = np.array(rows, dtype=float).reshape(-1, len(SPAN_COLUMNS))
    point = _span_point(table)
    rng = np.random.default_rng(0)
    drawn = [_span_point(table[rng.integers(0, len(table), len(table))]) for _ in range(rounds)]
    return {
        k: f"{v:.3f} ({np.percentile([d[k] for d in drawn], 2.5):.3f}-"
        f"{np.percentile([d[k] for d in drawn], 97.5):.3f})"
        for k, v in point.items()
    }


def span_differences(
    before: Sequence[Sequence[int]], after: Sequence[Sequence[int]], rounds: int = 1000
) -> dict[str, str]:
    """``after`` minus ``before`` for each of :data:`SPAN_FIGURES` (the same pairs, in turn,
    scored by two trees), with 95% paired bootstrap intervals (the same pairs drawn for both,
    ``rounds`` rounds, seed 0)."""
    a = np.array(before, dtype=float).reshape(-1, len(SPAN_COLUMNS))
    b = np.array(after, dtype=float).reshape(-1, len(SPAN_COLUMNS))
    if a.shape != b.shape:
        raise ValueError(f"{len(a)} pairs against {len(b)}: not the same pairs")
    rng = np.random.default_rng(0)
    drawn = []
    for _ in range(rounds):
        pick = rng.integers(0, len(a), len(a))
        x, y = _span_point(a[pick]), _span_point(b[pick])
        drawn.append({k: y[k] - x[k] for k in x})
    x, y = _span_point(a), _span_point(b)
    return {
        k: f"{y[k] - x[k]:+.3f} ({np.percentile([d[k] for d in drawn], 2.5):+.3f}.."
        f"{np.percentile([d[k] for d in drawn], 97.5):+.3f})"
        for k in x
    }


def pair_half(pair: Pair) -> str:
    """The half of a real spun pair: :func:`half` of its file's name before the first "-" (the
    corpus's pair id, ``mg/c5gF2kFy-SPUN.txt`` -> ``c5gF2kFy``), so a pair stays in its half
    whatever else the folder holds."""
    return half(Path(pair.mode).name.split("-")[0])


@dataclass(frozen=True, slots=True)
class Phrase:
    tortured: str
    expected: str


def _norm(phrase: str) -> str:
    """Lower-case words of ``phrase`` without brackets, hyphens or a trailing ", see URL"."""
    phrase = _BRACKETS.sub("", phrase.split(", see ")[0])
    return " ".join(_WORD.findall(phrase.lower()))


def tortured(path: Path, per_half: int) -> dict[str, list[Phrase]]:
    """Tortured phrases in two halves grouped so that no phrase (tortured or expected) of one
    half appears in the other; the first ``per_half`` rows (by hash order) of each."""
    rows: list[tuple[list[str], str]] = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            expected = _norm(row["expected_phrase"])
            if not expected or "?" in expected:
                continue
            variants = [_norm(v) for v in _QUOTED.findall(row["tortured_phrase"])]
            variants = [v for v in variants if v and v != expected] or []
            if variants:
                rows.append((variants, expected))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for variants, expected in rows:
        for v in variants:
            parent[find(v)] = find(expected)
    out: dict[str, list[Phrase]] = {"tune": [], "held": []}
    for variants, expected in sorted(rows, key=lambda r: hashlib.sha1(r[1].encode()).hexdigest()):
        h = half(find(expected))
        if len(out[h]) < per_half:
            out[h] += [Phrase(v, expected) for v in variants]
    return out


def human_prose(data: Path, books: int) -> dict[str, list[str]]:
    """Human writing that no tool rewrote, for the false-positive rate on prose that is neither
    news nor the QuillBot originals: ``books`` stretches of 40-300 words from PAN 2013 source
    books that ``scripts/train_paraphrase_model.py`` does not read (its seeded order, from the
    2,000th file on), and every text of the Clough-Stevenson corpus (students' short answers and
    the Wikipedia articles they answered from; decoded with a cp1252 fallback)."""
    import random

    rng = random.Random(1)  # the training script's BOOK_SEED order
    files = sorted((data / "pan13-train" / "src").glob("source-document*.txt"))
    rng.shuffle(files)
    pick = random.Random(2)
    out: dict[str, list[str]] = {"books": [], "clough": []}
    for path in files[2000 : 2000 + books]:
        words = path.read_bytes().decode("utf-8", errors="replace").split()
        start = pick.randrange(max(1, len(words) - 300))
        out["books"].append(" ".join(words[start : start + pick.randint(40, 300)]))
    for path in sorted((data / "clough-stevenson").glob("*.txt")):
        if path.name == "README.txt":
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        out["clough"].append(collapse(text))
    return out


def paraphrase_speed(pairs: dict[str, list[Pair]]) -> dict[str, object]:
    """CPU time of the paraphrase model (2026-12-04): loading it, and reading a 1,000-word
    text made of QuillBot texts (best of 5 rounds of 20); empty where the checkout has none."""
    import time

    try:
        from unspin.spinscore.paraphrase import paraphrase_model
    except ImportError:
        return {}
    t0 = time.process_time()
    model = paraphrase_model.__wrapped__()
    load = time.process_time() - t0
    words = " ".join(p.spun for ps in pairs.values() for p in ps[:20]).split()
    text = " ".join(words[:1000])
    rounds = []
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(20):
            model.probability(text)
        rounds.append((time.process_time() - t0) / 20)
    return {"load_ms": 1000 * load, "ms_per_1000_words": 1000 * min(rounds)}


def _swap_edits(pair: Pair) -> list[Any]:
    """``compare``'s synonym and paraphrase edits of ``pair`` whose two sides differ beyond case,
    both made of letters and spaces (the spinner's swaps, of a word or of several)."""
    from unspin.trace import TraceConfig, compare

    res = compare(pair.original, pair.spun, config=TraceConfig(score_unsourced=False))
    return [
        e
        for s in res.sources
        for p in s.passages
        for e in p.edits
        if e.label in ("synonym", "paraphrase")
        and e.source_text.replace(" ", "").isalpha()
        and e.target_text.replace(" ", "").isalpha()
        and e.source_text.lower() != e.target_text.lower()
    ]


def word_swaps(pair: Pair) -> dict[tuple[int, int], str]:
    """The spinner's one-word swaps in ``pair``: where each sits in the spun text and the word
    it replaced (lower case), from ``compare``'s synonym and paraphrase edits of one word for one
    word (letters only; an inflection or a case change is no swap)."""
    return {
        (e.target_start, e.target_end): e.source_text.lower()
        for e in _swap_edits(pair)
        if " " not in e.source_text and " " not in e.target_text
    }


@dataclass(frozen=True, slots=True)
class Swaps:
    """A pair's swaps read off ``compare``: one word for one word (:func:`word_swaps`), each
    word of an edit of several words for as many (``compare`` joins neighbouring one-word swaps:
    "prominent chin" -> "noticeable jaw"), and every edit of several words (place -> replaced
    wording, lower case)."""

    words: dict[tuple[int, int], str]
    joined_words: dict[tuple[int, int], str]
    phrases: dict[tuple[int, int], str]


def swaps_of(pair: Pair) -> Swaps:
    """:class:`Swaps` of ``pair``."""
    words: dict[tuple[int, int], str] = {}
    joined: dict[tuple[int, int], str] = {}
    phrases: dict[tuple[int, int], str] = {}
    for e in _swap_edits(pair):
        source, target = e.source_text.split(), e.target_text.split()
        if len(source) == 1 and len(target) == 1:
            words[(e.target_start, e.target_end)] = e.source_text.lower()
            continue
        phrases[(e.target_start, e.target_end)] = " ".join(source).lower()
        if len(source) == len(target):
            at = e.target_start
            for was, now in zip(source, target, strict=True):
                at = pair.spun.index(now, at)
                if was.lower() != now.lower():
                    joined[(at, at + len(now))] = was.lower()
                at += len(now)
    return Swaps(words, joined, phrases)


def hits(spans: Sequence[Any], truth: dict[tuple[int, int], str]) -> tuple[int, int, int]:
    """How many of ``spans`` sit exactly on a swap of ``truth`` (place -> replaced word, lower
    case), and of those how many have the replaced word first, or among three suggestions."""
    on = first = three = 0
    for span in spans:
        original = truth.get((span.start, span.end))
        if original is None:
            continue
        got = [w.lower() for w in span.suggestions]
        on += 1
        first += bool(got) and got[0] == original
        three += original in got[:3]
    return on, first, three


def suggestion_figures(
    swaps: Sequence[Swaps],
    texts: Sequence[str],
    scored: Sequence[Any],
    misses: list[dict[str, object]] | None = None,
) -> dict[str, object]:
    """Span suggestions against a spinner's swaps (``swaps``, the spun ``texts`` and their
    ``scored`` :class:`SpinScore`, in turn): of the one-word swaps, the share a span marks
    (covers exactly), the share of spans on one, and of the marked the share whose replaced word is the first
    suggestion or among the three; the same for the words of equal-length phrase swaps; and of
    the phrase swaps the share a span overlaps, the share one covers exactly and of those the
    share with the replaced wording among three suggestions. ``misses`` (when given) gets each
    marked one-word swap whose replaced word is not among the three."""
    n = marked = top1 = top3 = spans = 0
    jn = jmarked = jtop1 = jtop3 = 0
    pn = poverlap = pexact = ptop3 = on_any = 0
    for sw, text, score in zip(swaps, texts, scored, strict=True):
        n, spans = n + len(sw.words), spans + len(score.spans)
        on, first, three = hits(score.spans, sw.words)
        marked, top1, top3 = marked + on, top1 + first, top3 + three
        on, first, three = hits(score.spans, sw.joined_words)
        jn, jmarked, jtop1, jtop3 = (
            jn + len(sw.joined_words),
            jmarked + on,
            jtop1 + first,
            jtop3 + three,
        )
        places = [*sw.words, *sw.phrases]
        on_any += sum(any(a < s.end and s.start < b for a, b in places) for s in score.spans)
        for (a, b), was in sw.phrases.items():
            pn += 1
            poverlap += any(a < s.end and s.start < b for s in score.spans)
            exact = [s for s in score.spans if (s.start, s.end) == (a, b)]
            pexact += bool(exact)
            ptop3 += any(was in [w.lower() for w in s.suggestions[:3]] for s in exact)
        if misses is not None:
            for s in score.spans:
                was = sw.words.get((s.start, s.end))
                if was is not None and was not in [w.lower() for w in s.suggestions[:3]]:
                    misses.append(
                        {
                            "text": text,
                            "start": s.start,
                            "end": s.end,
                            "original": was,
                            "suggestions": list(s.suggestions),
                        }
                    )
    return {
        "swaps": n,
        "spans": spans,
        "marked": marked / max(n, 1),
        "spans_on_swaps": marked / max(spans, 1),
        "top1_of_marked": top1 / max(marked, 1),
        "top3_of_marked": top3 / max(marked, 1),
        "spans_touching_any_swap": on_any / max(spans, 1),
        "joined_words": jn,
        "joined_marked": jmarked / max(jn, 1),
        "joined_top1_of_marked": jtop1 / max(jmarked, 1),
        "joined_top3_of_marked": jtop3 / max(jmarked, 1),
        "phrase_swaps": pn,
        "phrase_overlapped": poverlap / max(pn, 1),
        "phrase_exact": pexact / max(pn, 1),
        "phrase_top3_of_exact": ptop3 / max(pexact, 1),
    }


def suggestions(pairs: dict[str, list[Pair]], per_half: int) -> dict[str, dict[str, object]]:
    """Span suggestions on QuillBot's swaps, as ``unspin score`` shows them by default (model
    ``auto``, ``--restore 10``): :func:`suggestion_figures` of each half."""
    try:
        from unspin.spinscore.score import resolve_model, score_text
    except ImportError:
        from unspin.spin import resolve_model, score_text  # type: ignore[no-redef]
    model = resolve_model("auto")
    out: dict[str, dict[str, object]] = {}
    for h, chosen in pairs.items():
        originals = set(list(dict.fromkeys(p.original for p in chosen))[:per_half])
        kept = [p for p in chosen if p.original in originals]
        scored = [score_text(p.spun, model, restore=10) for p in kept]
        texts = [p.spun for p in kept]
        out[f"suggestions/{model}/{h}"] = suggestion_figures(
            [swaps_of(p) for p in kept], texts, scored
        )
        # Spans against every word QuillBot changed (the spans do not depend on ``restore``).
        of_original = {o: score_text(o, model) for o in dict.fromkeys(p.original for p in kept)}
        rows = span_rows(kept, [of_original[p.original] for p in kept], scored)
        out[f"suggestions/{model}/{h}/spans"] = {
            "pairs": len(rows),
            "ci": span_figures(rows),
            "rows": rows,
        }
    return out


def spinner_suggestions(data: Path, n: int) -> dict[str, dict[str, object]]:
    """Span suggestions on our own spinners' swaps (docs/benchmarks.md 15.10 and 15.12): the
    first ``n`` stories of 350 words or more of the held-apart Reuters files reut2-014..021,
    spun at 15% by each spinner (story ``i`` with seed ``i``), scored with the library default
    ``restore=0`` by each model and, with the contextual one, as ``unspin score`` does by
    default (``restore=10``). A span counts when it sits exactly on a one-word or phrase swap,
    a hit when the swapped-out word is among its three suggestions (or first)."""
    try:
        from unspin.spinscore.score import resolve_model, score_text
    except ImportError:
        from unspin.spin import resolve_model, score_text  # type: ignore[no-redef]
    from unspin.datasets.reuters import iter_stories
    from unspin.generators.spinners import spin_by

    names = {f"reut2-{k:03d}.sgm" for k in range(14, 22)}
    stories = [
        s.document.text
        for s in iter_stories(data / "reuters21578", names)
        if len(s.document.text.split()) >= 350
    ][:n]
    runs = [("lexical", 0)]
    if resolve_model("auto") == "contextual":
        runs += [("contextual", 0), ("contextual", 10)]
    out: dict[str, dict[str, object]] = {}
    for name in ("moby", "wordnet", "roget", "phrase", "glove"):  # the typo spinner swaps none
        spun = [spin_by(name, text, 0.15, seed=i) for i, text in enumerate(stories)]
        for model, restore in runs:
            spans = top1 = top3 = 0
            for s in spun:
                truth = {
                    (r.target_start, r.target_end): r.original.lower()
                    for r in s.replacements
                    if r.kind == "synonym"
                }
                on, first, three = hits(score_text(s.text, model, restore=restore).spans, truth)
                spans, top1, top3 = spans + on, top1 + first, top3 + three
            out[f"spinner_suggestions/{name}/{model}/restore_{restore}"] = {
                "stories": len(stories),
                "spans_on_swaps": spans,
                "top1": top1 / max(spans, 1),
                "top3": top3 / max(spans, 1),
            }
    return out


def measure(args: argparse.Namespace) -> dict[str, object]:
    """Every figure, with whatever ``unspin`` is first on the path."""
    try:  # a baseline tree from before the layout change has unspin.spin
        from unspin.spinscore.score import explain, resolve_model, score_text
    except ImportError:
        from unspin.spin import explain, resolve_model, score_text  # type: ignore[no-redef]
    from unspin.text import tokenize

    data = Path(args.data) / "realspin"
    result: dict[str, object] = {"unspin": __import__("unspin").__file__}
    models = ["lexical"] if args.originals else []
    if resolve_model("auto") == "contextual" and args.contextual:
        models.append("contextual")
    pairs = quillbot(data / "quillbot-dev.jsonl", max(args.originals, args.contextual))
    for model in models:
        limit = args.originals if model == "lexical" else args.contextual
        for h, chosen in pairs.items():
            originals = list(dict.fromkeys(p.original for p in chosen))[:limit]
            kept = [p for p in chosen if p.original in set(originals)]
            scores = {
                t: score_text(t, model) for t in dict.fromkeys(originals + [p.spun for p in kept])
            }
            rows = [
                {
                    "probability": s.probability,
                    # The thesaurus model alone: the whole probability before the paraphrase
                    # model (2026-12-04), so main's verdict, measured on the same scores.
                    "thesaurus": s.features.get("thesaurus_probability", s.probability),
                    "paraphrase": s.features.get("paraphrase_probability", 0.0),
                    "evidence_rate": 100.0
                    * sum(sp.weight >= 0.6 for sp in s.spans)
                    / max(s.content_words, 1),
                    "note": bool(getattr(s, "note", None)),
                }
                for s in scores.values()
            ]
            by_text = dict(zip(scores, rows, strict=True))
            neg = [by_text[o]["probability"] for o in originals]
            entry: dict[str, object] = {
                "originals": len(originals),
                "paraphrases": len(kept),
                "auc": auc([by_text[p.spun]["probability"] for p in kept], neg),
                "fpr_05": float(np.mean([v > 0.5 for v in neg])),
                "tpr_05": float(np.mean([by_text[p.spun]["probability"] > 0.5 for p in kept])),
                "evidence_auc": auc(
                    [by_text[p.spun]["evidence_rate"] for p in kept],
                    [by_text[o]["evidence_rate"] for o in originals],
                ),
                "note_originals": float(np.mean([by_text[o]["note"] for o in originals])),
                "note_paraphrases": float(np.mean([by_text[p.spun]["note"] for p in kept])),
                "evidence_rates_originals": sorted(
                    round(by_text[o]["evidence_rate"], 2) for o in originals
                ),
            }
            for mode in sorted({p.mode for p in kept}):
                pos = [by_text[p.spun]["probability"] for p in kept if p.mode == mode]
                entry[f"auc_{mode}"] = auc(pos, neg)
            for column in ("probability", "thesaurus", "paraphrase"):
                score = {t: float(r[column]) for t, r in by_text.items()}  # type: ignore[arg-type]
                entry[f"ci/{column}"] = intervals(score, originals, kept)
            result[f"quillbot/{model}/{h}"] = entry
    result["speed"] = paraphrase_speed(quillbot(data / "quillbot-dev.jsonl", 20))
    if args.suggestions:
        result.update(
            suggestions(quillbot(data / "quillbot-dev.jsonl", args.suggestions), args.suggestions)
        )
    if args.spinner_suggestions:
        result.update(spinner_suggestions(Path(args.data), args.spinner_suggestions))
    folder = Path(args.spun_pairs) if args.spun_pairs else None
    if folder is not None and folder.is_dir():
        spun = orig_spun_pairs(folder)
        if args.spun_max:
            spun = spun[: args.spun_max]
        kinds = ["lexical"] + (["contextual"] if resolve_model("auto") == "contextual" else [])
        misses: list[dict[str, object]] = []
        result.update(spun_pair_figures(spun, kinds, misses))
        if args.misses:
            Path(args.misses).write_text(json.dumps(misses, indent=1))
    elif folder is not None:
        print(f"--spun-pairs {folder}: no such folder, skipped", file=sys.stderr)
    prose = human_prose(Path(args.data), args.prose) if args.prose else {}
    for model in models:
        for source, texts in prose.items():
            scored = [score_text(t, model) for t in texts]
            result[f"prose/{model}/{source}"] = {
                "texts": len(texts),
                "over_05": float(np.mean([x.probability > 0.5 for x in scored])),
                "thesaurus_over_05": float(
                    np.mean(
                        [
                            x.features.get("thesaurus_probability", x.probability) > 0.5
                            for x in scored
                        ]
                    )
                ),
                "paraphrase_over_05": float(
                    np.mean([x.features.get("paraphrase_probability", 0.0) > 0.5 for x in scored])
                ),
            }
    phrases = tortured(data / "tortured-phrases-dev.csv", args.phrases)
    import unspin.spinscore.score

    # The confidence floor (RESTORE_FLOOR) is new; the baseline declines only empty answers.
    confident = getattr(unspin.spinscore.score, "confident", bool)
    explain("counterfeit consciousness", 3, model="lexical")  # loads what explain reads, once
    try:  # the phrase restorer's forced path (2026-12-04): does any option reach the answer?
        from unspin.spinscore.phrases import restorations
    except ImportError:
        restorations = None

    def stated(ranked: list[tuple[str, float]], phrase: str) -> bool:
        try:  # a phrase's own floor (PHRASE_FLOOR, 2026-12-05); older checkouts take no phrase
            return bool(confident(ranked, phrase))
        except TypeError:
            return bool(confident(ranked))

    for h, chosen in phrases.items():
        top1 = top3 = declined = declined_hit = reached = wrong_offered = 0
        times = []
        for p in chosen:
            started = time.perf_counter()
            ranked = explain(p.tortured, 3, model="lexical")
            times.append(time.perf_counter() - started)
            if restorations is not None:
                words = tokenize(p.tortured.lower()).norms
                reached += bool(restorations(words, within=tuple(p.expected.split())))
            got = [_norm(w) for w, _ in ranked]
            top1 += bool(got) and got[0] == p.expected
            top3 += p.expected in got
            if not stated(ranked, p.tortured):
                declined += 1
                declined_hit += p.expected in got
            else:  # a restoration stated whose likeliest wording is not the intended one
                wrong_offered += not (got and got[0] == p.expected)
        n = max(len(chosen), 1)
        result[f"tortured/{h}"] = {
            "phrases": len(chosen),
            "top1": top1 / n,
            "top3": top3 / n,
            "declined": declined / n,
            "top3_of_declined": declined_hit / max(declined, 1),
            "top3_of_restored": (top3 - declined_hit) / max(len(chosen) - declined, 1),
            "declined_with_answer": declined_hit,
            "offered": len(chosen) - declined,
            "wrong_offered": wrong_offered,
            # The ceiling: rows whose intended wording the restorer's options can reach.
            "reach": reached / n,
            "ms_median": 1000 * float(np.median(times)) if times else 0.0,
            "ms_max": 1000 * max(times, default=0.0),
        }
    return result


def show(name: str, result: dict[str, object]) -> None:
    print(f"== {name}: {result['unspin']}")
    for key, value in result.items():
        if key == "unspin":
            continue
        assert isinstance(value, dict)
        figures = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in value.items()
            if not isinstance(v, list | dict)
        )
        print(f"{key}: {figures}")
        for name, table in value.items():
            if isinstance(table, dict):
                print(f"  {name}: " + "; ".join(f"{k} {v}" for k, v in table.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / "../shared/data"))
    ap.add_argument("--baseline", help="src folder of the baseline checkout (e.g. main's)")
    ap.add_argument("--originals", type=int, default=60)
    ap.add_argument("--contextual", type=int, default=16)
    ap.add_argument("--phrases", type=int, default=300)
    ap.add_argument("--prose", type=int, default=200, help="human book stretches (0: none)")
    ap.add_argument(
        "--suggestions", type=int, default=0, help="originals per half for span suggestions"
    )
    ap.add_argument(
        "--spinner-suggestions",
        type=int,
        default=0,
        help="held-apart Reuters stories for span suggestions on our spinners' swaps",
    )
    ap.add_argument(
        "--spun-pairs",
        help="folder of real spinner output beside its originals (*ORIG*.txt / *SPUN*.txt, or "
        "og/ and mg/); kept outside the repository, skipped when absent",
    )
    ap.add_argument("--spun-max", type=int, default=0, help="at most this many pairs (0: all)")
    ap.add_argument(
        "--misses",
        help="write the --spun-pairs swaps a span marks without the replaced word among its "
        "three suggestions (model auto) to this JSON file, for reading by hand",
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = ap.parse_args()
    if args.json:
        print(json.dumps(measure(args)))
        return
    if args.baseline:
        argv = [sys.executable, __file__, "--json", "--data", args.data]
        argv += ["--originals", str(args.originals), "--contextual", str(args.contextual)]
        argv += ["--phrases", str(args.phrases), "--prose", str(args.prose)]
        argv += ["--suggestions", str(args.suggestions)]
        argv += ["--spinner-suggestions", str(args.spinner_suggestions)]
        if args.spun_pairs:
            argv += ["--spun-pairs", args.spun_pairs, "--spun-max", str(args.spun_max)]
        env = {**os.environ, "PYTHONPATH": args.baseline}
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
        baseline = json.loads(out.stdout.strip().splitlines()[-1])
        show("baseline", baseline)
        mine = measure(args)
        show("this checkout", mine)
        print("== this checkout minus the baseline (span figures, paired over the same pairs)")
        for key, value in mine.items():
            before = baseline.get(key)
            if isinstance(value, dict) and "rows" in value and isinstance(before, dict):
                table = span_differences(before["rows"], value["rows"])
                print(f"{key}: " + "; ".join(f"{k} {v}" for k, v in table.items()))
        return
    show("this checkout", measure(args))


if __name__ == "__main__":
    main()
