"""Measure the edit labeller: per-label precision/recall/F1 on generated edits of real Reuters
sentences, distortion-flag precision/recall, a PAN 2013 sanity check, and speed on 50 KB.

Usage::

    python benchmarks/bench_edits.py [--per-label 200] [--seed 0] [--docs 4000] [--skip-docs 0]
                                     [--pan 400]

Scoring, per generated case (exactly one true edit):

- A label is *found* in a case when some returned edit carries it and its source or target range
  meets the true range (closed intervals with one character of slack, so a zero-width range
  touching the truth counts, and so does the other half of a swap of two neighbouring stretches).
- Recall of a label: cases of that label where it was found. Precision: of the (case, label)
  predictions, how many were found true. Every distinct label a case gets counts once, so spurious
  extra edits cost precision. A case with no edit at all is predicted ``identical``.
- Distortion flag: a case is flagged when any edit has ``distortion=True``; truth is whether its
  label is in ``DISTORTION_LABELS``.

``--skip-docs`` selects a different slice of Reuters (held-out checks: the labeller was never
tuned on those stories).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from unspin.datasets.reuters import iter_reuters
from unspin.edits import label_edits
from unspin.generators.planted_edits import GENERATED_LABELS, Case, generate, sentences
from unspin.types import DISTORTION_LABELS, Passage

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
_FEATURE = re.compile(r"<feature\b([^>]*)/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _meets(a: int, b: int, c: int, d: int) -> bool:
    """Closed intervals meet, with one character of slack: when "A B" became "B A" the labeller
    may report either stretch as the one that moved, and those sit one space apart."""
    return a <= d + 1 and c <= b + 1


def score_cases(
    cases: list[Case],
) -> tuple[dict[str, tuple[float, float, float, int]], dict[str, float]]:
    """Per-label (precision, recall, F1, support) and the distortion flag's figures."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    support: Counter[str] = Counter()
    flag = Counter[str]()
    for c in cases:
        edits = label_edits(c.source, c.target)
        support[c.label] += 1
        predicted: dict[str, bool] = {}
        for e in edits:
            hit = e.label == c.label and (
                _meets(e.source_start, e.source_end, c.source_start, c.source_end)
                or _meets(e.target_start, e.target_end, c.target_start, c.target_end)
            )
            predicted[e.label] = predicted.get(e.label, False) or hit
        if not edits:
            predicted["identical"] = c.label == "identical"
        for label, hit in predicted.items():
            if hit:
                tp[label] += 1
            else:
                fp[label] += 1
        truth = c.label in DISTORTION_LABELS
        flagged = any(e.distortion for e in edits)
        flag[f"{truth}-{flagged}"] += 1
    table: dict[str, tuple[float, float, float, int]] = {}
    for label in GENERATED_LABELS:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / support[label] if support[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[label] = (p, r, f, support[label])
    ftp, ffp, ffn = flag["True-True"], flag["False-True"], flag["True-False"]
    dist = {
        "precision": ftp / (ftp + ffp) if ftp + ffp else 0.0,
        "recall": ftp / (ftp + ffn) if ftp + ffn else 0.0,
        "cases": float(sum(flag.values())),
    }
    return table, dist


def _confusions(cases: list[Case], limit: int = 3) -> dict[str, list[str]]:
    """A few misses per label, for reading."""
    out: dict[str, list[str]] = defaultdict(list)
    for c in cases:
        labels = {e.label for e in label_edits(c.source, c.target)} or {"identical"}
        if c.label not in labels and len(out[c.label]) < limit:
            out[c.label].append(
                f"{c.source[c.source_start : c.source_end]!r} -> "
                f"{c.target[c.target_start : c.target_end]!r} got {sorted(labels)}"
            )
    return out


def pan_sanity(limit: int) -> tuple[Counter[str], dict[str, str], int]:
    """Label distribution over aligned cases of PAN 2013 03-random-obfuscation (truth offsets)."""
    base = DATA / "pan13-train"
    section = base / "03-random-obfuscation"
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    n = 0
    for xml in sorted(section.glob("*.xml")):
        text = xml.read_text(encoding="utf-8")
        susp_name = re.search(r'reference="([^"]+)"', text)
        if not susp_name:
            continue
        susp = (base / "susp" / susp_name.group(1)).read_text(encoding="utf-8")
        for m in _FEATURE.finditer(text):
            a = dict(_ATTR.findall(m.group(1)))
            if "source_reference" not in a:
                continue
            src = (base / "src" / a["source_reference"]).read_text(encoding="utf-8")
            so, sl = int(a["source_offset"]), int(a["source_length"])
            to, tl = int(a["this_offset"]), int(a["this_length"])
            for e in label_edits(src, susp, Passage(so, so + sl, to, to + tl)):
                counts[e.label] += 1
                if e.label not in examples and 0 < len(e.source_text) + len(e.target_text) < 80:
                    examples[e.label] = f"{e.source_text!r} -> {e.target_text!r}"
            n += 1
            if n >= limit:
                return counts, examples, n
    return counts, examples, n


def speed(sents: list[str]) -> tuple[float, int]:
    """Seconds to label a ~50 KB pair spun with generated edits (best of three)."""
    rng = random.Random(7)
    src_parts: list[str] = []
    tgt_parts: list[str] = []
    cases = generate(sents[:3000], per_label=60, seed=7)
    rng.shuffle(cases)
    size = 0
    for c in cases:
        if size > 50_000:
            break
        src_parts.append(c.source)
        tgt_parts.append(c.target)
        size += len(c.source) + 1
    source, target = " ".join(src_parts), " ".join(tgt_parts)
    label_edits(source[:2000], target[:2000])  # load lexicons once (not part of the timing)
    best = min(_timed(source, target) for _ in range(3))
    return best, len(source)


def _timed(source: str, target: str) -> float:
    t0 = time.perf_counter()
    label_edits(source, target)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-label", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--docs", type=int, default=4000, help="Reuters stories to draw sentences from")
    ap.add_argument("--skip-docs", type=int, default=0, help="skip this many stories first")
    ap.add_argument(
        "--pan", type=int, default=400, help="PAN 03 cases for the sanity check (0: off)"
    )
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    texts: list[str] = []
    for k, doc in enumerate(iter_reuters(DATA / "reuters21578")):
        if k >= args.skip_docs + args.docs:
            break
        if k >= args.skip_docs:
            texts.append(doc.text)
    sents = sentences(texts)
    cases = generate(sents, args.per_label, seed=args.seed)
    print(
        f"# {len(sents)} sentences from {len(texts)} Reuters stories (skip {args.skip_docs}); "
        f"{len(cases)} cases, seed {args.seed}; built in {time.perf_counter() - t0:.1f}s"
    )

    t0 = time.perf_counter()
    table, dist = score_cases(cases)
    print(f"# labelled in {time.perf_counter() - t0:.1f}s\n")
    print("| label | precision | recall | F1 | cases |")
    print("|---|---|---|---|---|")
    for label, (p, r, f, n) in table.items():
        print(f"| {label} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")
    print(
        f"\ndistortion flag: precision {dist['precision']:.3f}, recall {dist['recall']:.3f} "
        f"over {int(dist['cases'])} cases"
    )
    misses = _confusions(cases)
    if misses:
        print("\nsample misses:")
        for label, rows in misses.items():
            for row in rows:
                print(f"  {label}: {row}")

    secs, size = speed(sents)
    print(f"\nspeed: {size / 1000:.0f} KB pair labelled in {secs:.3f}s")

    if args.pan:
        counts, examples, n = pan_sanity(args.pan)
        total = sum(counts.values())
        print(f"\nPAN 2013 03-random-obfuscation: {n} aligned cases, {total} edits")
        print("| label | edits | share | example |")
        print("|---|---|---|---|")
        for label, k in counts.most_common():
            print(f"| {label} | {k} | {k / total:.3f} | {examples.get(label, '')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
