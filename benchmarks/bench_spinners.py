"""Spin detection across spinners (issue 19, items 2 and 5): held-apart Reuters paragraphs spun
at 10% and 20% by each spinner of :mod:`unspin.generators`, text-level ROC AUC with 95%
bootstrap intervals, against a baseline measured in the same run on the same texts.

    .venv/bin/python benchmarks/bench_spinners.py [--data ../shared/data] [--n 240]
        [--model lexical|contextual|both] [--baseline SRC] [--spinners moby,wordnet,...]

Paragraphs are drawn the way ``bench_spin.py`` draws them (``--sample spread``: the same number
at random, seed 0, from each held-apart file reut2-014..021; no model was trained or tuned on
them). Every spinner spins every paragraph (paragraph ``i`` with seed ``i``, and ``i + 50,000``
at 20%), so the spinners' rows share their originals. ``--baseline SRC`` scores the same texts
in a subprocess whose ``PYTHONPATH`` is ``SRC`` (a checkout's ``src``, e.g. the commit before a
model was retrained); the spinning is always done by this checkout.

Needs the ``spinners`` extra (WordNet, Roget, GloVe) and, for the contextual model, ``embed``.
"""

from __future__ import annotations

import os

# The GloVe spinner multiplies a 50,000 x 50 matrix per word: on a busy 2-core machine a
# threaded BLAS is 30 times slower than one thread.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

RATES = (0.1, 0.2)


def spun_texts(texts: list[str], spinners: list[str]) -> dict[str, list[str]]:
    """``originals`` and, for each ``spinner@rate``, every paragraph spun by it."""
    from unspin.generators import spin_by

    out: dict[str, list[str]] = {"originals": texts}
    for name in spinners:
        for r, rate in enumerate(RATES):
            started = time.perf_counter()
            out[f"{name}@{rate}"] = [
                spin_by(name, t, rate, seed=i + 50_000 * r).text for i, t in enumerate(texts)
            ]
            print(f"spun {name} at {rate:.0%}: {time.perf_counter() - started:.0f} s", flush=True)
    return out


def probabilities(payload: dict[str, list[str]], kind: str) -> dict[str, list[float]]:
    """The spin probability ``unspin.spin.score_text`` gives every text, by group."""
    try:  # a baseline tree from before the layout change has unspin.spin
        from unspin.spinscore.score import load_resources, score_text
    except ImportError:
        from unspin.spin import load_resources, score_text  # type: ignore[no-redef]

    load_resources(kind)
    return {key: [score_text(t, kind).probability for t in group] for key, group in payload.items()}


def baseline_probabilities(src: str, payload_file: Path, kind: str) -> dict[str, list[float]]:
    argv = [sys.executable, __file__, "--score-file", str(payload_file), "--model", kind]
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    result: dict[str, list[float]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def cell(pos: list[float], neg: list[float]) -> str:
    from bench_spin import auc, paired_auc_interval

    lo, hi = paired_auc_interval(pos, neg)
    return f"{auc(pos, neg):.3f} ({lo:.3f}-{hi:.3f})"


def report(
    kind: str,
    spinners: list[str],
    ours: dict[str, list[float]],
    base: dict[str, list[float]] | None,
) -> None:
    neg = ours["originals"]
    print(f"\n## {kind} model: text-level ROC AUC, spun vs original (95% bootstrap interval)")
    print(
        f"originals: mean probability {np.mean(neg):.3f}, over 0.5: {np.mean(np.array(neg) > 0.5):.3f}"
        + (
            f" (baseline {np.mean(base['originals']):.3f}, "
            f"{np.mean(np.array(base['originals']) > 0.5):.3f})"
            if base
            else ""
        )
    )
    head = "| spinner | rate | this checkout | spun over 0.5 |"
    if base:
        head += " baseline | baseline spun over 0.5 |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for name in spinners:
        for rate in RATES:
            key = f"{name}@{rate}"
            row = f"| {name} | {rate:.0%} | {cell(ours[key], neg)} | "
            row += f"{np.mean(np.array(ours[key]) > 0.5):.3f} |"
            if base:
                row += f" {cell(base[key], base['originals'])} | "
                row += f"{np.mean(np.array(base[key]) > 0.5):.3f} |"
            print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--n", type=int, default=240, help="held-apart Reuters paragraphs")
    parser.add_argument("--model", choices=("lexical", "contextual", "both"), default="both")
    parser.add_argument("--baseline", help="src folder of the checkout to compare with")
    parser.add_argument("--spinners", help="comma-separated (default: all of them)")
    parser.add_argument("--score-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.score_file:  # the baseline's subprocess: score the texts, print JSON
        payload = json.loads(args.score_file.read_text(encoding="utf-8"))
        print(json.dumps(probabilities(payload, args.model)))
        return
    from bench_spin import held_apart_texts

    from unspin.generators import SPINNERS

    spinners = args.spinners.split(",") if args.spinners else list(SPINNERS)
    started = time.perf_counter()
    sample = held_apart_texts(args.data / "reuters21578", args.n, "spread")
    texts = [text for _, text in sample]
    print(f"held-apart paragraphs: {len(texts)} (reut2-014..021, spread, seed 0)")
    payload = spun_texts(texts, spinners)
    kinds = ("lexical", "contextual") if args.model == "both" else (args.model,)
    with tempfile.TemporaryDirectory() as tmp:
        payload_file = Path(tmp) / "texts.json"
        payload_file.write_text(json.dumps(payload), encoding="utf-8")
        for kind in kinds:
            ours = probabilities(payload, kind)
            base = (
                baseline_probabilities(args.baseline, payload_file, kind) if args.baseline else None
            )
            report(kind, spinners, ours, base)
    print(f"\nwall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
