"""Spin score of whole web pages and long documents, against a baseline tree (issue 19).

Usage (from the repository root)::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_long_texts.py --htmldate-tests DIR \
        [--spun 40] [--model contextual] [--baseline /tmp/base/src]
    PYTHONPATH=src .venv/bin/python benchmarks/bench_long_texts.py --pan 40 [...]

The paragraphs the spin models were fitted and calibrated on hold 40-300 words; users score
whole pages. Texts: ``--htmldate-tests DIR``, the ``tests`` folder of htmldate's repository
(real news and blog pages in many languages; their main text as ``unspin score`` reads it, the
English ones only, by py3langid), or ``--pan N``, PAN 2013 source documents of 350-4,000 words
(seeded draw). Every text is scored unspun (false alarms: over 0.5 and over 0.9, by length);
the first ``--spun`` are also spun by each spinner of ``bench_spinners.py`` at 10% and 20%, and
the ROC AUC of those against their own originals is printed with 95% paired bootstrap
intervals. ``--baseline`` scores the same texts with another tree's ``src`` in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_spinners import RATES, baseline_probabilities, probabilities, report, spun_texts

ROOT = Path(__file__).resolve().parents[1]
LENGTHS = ((0, 150), (150, 300), (300, 600), (600, 1200), (1200, None))


def htmldate_texts(folder: Path) -> list[str]:
    """The main text of every English page under ``folder`` (its ``eval`` and ``test_set``)."""
    from unspin.errors import InputError
    from unspin.read import Limits, read_file
    from unspin.xling.language import detect

    texts = []
    for path in sorted(folder.glob("*/*.html")):
        try:
            docs = list(read_file(path, Limits()))
        except InputError:
            continue  # a page with no main text
        texts += [d.text for d in docs if detect(d.text) == "en"]
    return texts


def pan_texts(data: Path, n: int, seed: int = 1) -> list[str]:
    files = sorted((data / "pan13-train" / "src").glob("*.txt"))
    random.Random(seed).shuffle(files)
    texts = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if 350 <= len(text.split()) <= 4000:
            texts.append(text)
        if len(texts) >= n:
            break
    return texts


def false_alarms(name: str, texts: list[str], probs: list[float]) -> None:
    p = np.array(probs)
    words = np.array([len(t.split()) for t in texts])
    print(
        f"{name}: unspun over 0.5 {int((p > 0.5).sum())} of {len(p)} ({(p > 0.5).mean():.3f}), "
        f"over 0.9 {int((p > 0.9).sum())}, mean {p.mean():.3f}"
    )
    for low, high in LENGTHS:
        inside = (words >= low) & (words < (high or 10**9))
        if inside.any():
            label = f"{low}-{high}" if high else f"{low}+"
            print(f"  {label} words: over 0.5 {int((p[inside] > 0.5).sum())} of {inside.sum()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--htmldate-tests", type=Path)
    parser.add_argument("--pan", type=int, default=0)
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--spun", type=int, default=40, help="texts also spun by every spinner")
    parser.add_argument("--model", choices=("lexical", "contextual"), default="contextual")
    parser.add_argument("--baseline", help="src folder of the checkout to compare with")
    args = parser.parse_args()
    if bool(args.htmldate_tests) == bool(args.pan):
        parser.error("give --htmldate-tests DIR or --pan N")
    from unspin.generators import SPINNERS

    started = time.perf_counter()
    texts = (
        htmldate_texts(args.htmldate_tests)
        if args.htmldate_tests
        else pan_texts(args.data, args.pan)
    )
    paired = texts[: args.spun]
    print(
        f"texts: {len(texts)}, spun: {len(paired)} x {len(SPINNERS)} spinners x {len(RATES)} rates"
    )
    payload = spun_texts(paired, list(SPINNERS))
    payload["unspun"] = texts
    with tempfile.TemporaryDirectory() as tmp:
        payload_file = Path(tmp) / "texts.json"
        payload_file.write_text(json.dumps(payload), encoding="utf-8")
        ours = probabilities(payload, args.model)
        base = (
            baseline_probabilities(args.baseline, payload_file, args.model)
            if args.baseline
            else None
        )
    print(f"\n## {args.model} model, false alarms on unspun texts")
    false_alarms("this checkout", texts, ours["unspun"])
    if base:
        false_alarms("baseline", texts, base["unspun"])
    report(args.model, list(SPINNERS), ours, base)
    print(f"\nwall time {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
