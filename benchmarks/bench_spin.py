"""Spin score without a source: AUCs, held-apart reliability, restoration accuracy, timings.

    .venv/bin/python benchmarks/bench_spin.py [--data ../shared/data] [--n 300] [--pan 200]
        [--model lexical|contextual|both]

``both`` (the default when the embed extra is installed) measures the two packaged models on
the same paragraphs in one run; restoration (``--explain``) is measured with the lexical
ranking and, when the contextual model runs, also re-ranked by it.

Reuters paragraphs come from the held-apart files (reut2-014..021); the model was trained on
reut2-000..013. Results are recorded in docs/bench-notes/spin.md.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import numpy as np

from unspin.spin import explain, load_resources, resolve_model, score_text, spin_probability
from unspin.spinner import spin
from unspin.spinscore.corpus import HELD_APART_FILES, labelled, paragraphs

_FEATURE = re.compile(r'this_length="(\d+)" this_offset="(\d+)"')


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC by ranks (ties count half)."""
    scores = np.array(pos + neg)
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average ranks of ties
        mask = scores == value
        ranks[mask] = ranks[mask].mean()
    n_pos, n_neg = len(pos), len(neg)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def pan_passages(folder: Path, section: str, n: int, seed: int) -> list[str]:
    """Suspicious passages (this_offset/this_length) of one PAN section, a seeded sample."""
    xmls = sorted((folder / section).glob("*.xml"))
    random.Random(seed).shuffle(xmls)
    out: list[str] = []
    for xml in xmls:
        susp = xml.name.split("-source")[0] + ".txt"
        text = (folder / "susp" / susp).read_text(encoding="utf-8")
        for length, offset in _FEATURE.findall(xml.read_text(encoding="utf-8")):
            passage = text[int(offset) : int(offset) + int(length)]
            if len(passage) >= 200:
                out.append(passage)
        if len(out) >= n:
            break
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--n", type=int, default=300, help="held-apart Reuters paragraphs")
    parser.add_argument("--pan", type=int, default=200, help="PAN passages per section")
    parser.add_argument(
        "--model",
        choices=("lexical", "contextual", "both"),
        default="both" if resolve_model("auto") == "contextual" else "lexical",
    )
    args = parser.parse_args()

    texts: list[str] = []
    for text in paragraphs(args.data / "reuters21578", HELD_APART_FILES):
        texts.append(text)
        if len(texts) >= args.n:
            break
    kinds = ("lexical", "contextual") if args.model == "both" else (args.model,)
    for kind in kinds:
        measure(kind, texts, args)
    restoration(texts, "contextual" in kinds)


def measure(kind: str, texts: list[str], args: argparse.Namespace) -> None:
    """Detection AUCs, reliability, PAN passages and speed of one packaged model."""
    print(f"\n## {kind} model")
    t0 = time.perf_counter()
    load_resources(kind)
    print(f"load: {time.perf_counter() - t0:.2f} s (resources loaded earlier in this run are free)")

    def p(text: str) -> float:
        return spin_probability(text, kind)

    originals = [p(t) for t in texts]
    print(f"\nReuters held-apart paragraphs: {len(texts)}")
    print("| replacement rate | ROC AUC spun vs original |")
    print("|---|---|")
    for rate in (0.1, 0.2, 0.4):
        spun = [p(spin(t, rate, seed=i).text) for i, t in enumerate(texts)]
        print(f"| {rate:.0%} | {auc(spun, originals):.3f} |")

    examples = labelled(texts, seed=99)
    probs = np.array([p(t) for t, _ in examples])
    labels = np.array([y for _, y in examples])
    print("\nReliability (held apart; originals + spun at 5-60%):")
    print("| predicted | n | mean predicted | observed spun share |")
    print("|---|---|---|---|")
    for lo in np.arange(0.0, 1.0, 0.2):
        mask = (probs >= lo) & (probs < lo + 0.2 + (1e-9 if lo >= 0.8 else 0))
        if mask.any():
            print(
                f"| {lo:.1f}-{lo + 0.2:.1f} | {int(mask.sum())} | {probs[mask].mean():.3f} "
                f"| {labels[mask].mean():.3f} |"
            )
    brier = float(((probs - labels) ** 2).mean())
    print(f"Brier score: {brier:.4f}; accuracy at 0.5: {((probs > 0.5) == labels).mean():.3f}")

    pan = args.data / "pan13-train"
    if pan.is_dir():
        obf = [p(x) for x in pan_passages(pan, "03-random-obfuscation", args.pan, 1)]
        plain = [p(x) for x in pan_passages(pan, "02-no-obfuscation", args.pan, 1)]
        print(
            f"\nPAN13 passages: AUC 03-random vs 02-none = {auc(obf, plain):.3f} "
            f"({len(obf)} vs {len(plain)})"
        )

    article = " ".join(" ".join(texts).split()[:1000])
    score_text(article, kind)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        score_text(article, kind)
        runs.append(time.perf_counter() - t0)
    print(f"\nscore 1,000-word article: median {sorted(runs)[2] * 1000:.1f} ms")


def restoration(texts: list[str], contextual: bool) -> None:
    """Top-1/top-3 of ``explain`` on the spinner's own swaps: alone, with the spun paragraph as
    context, and (``contextual``) re-ranked in the sentence by the contextual model."""
    hits = {"top1": 0, "top3": 0, "loose3": 0, "ctx1": 0, "ctx3": 0, "model1": 0, "model3": 0}
    total = 0
    t0 = time.perf_counter()
    for i, text in enumerate(texts[:150]):
        spun_text = spin(text, 0.2, seed=1000 + i)
        for r in spun_text.replacements:
            original = r.original.lower()
            forms = {original, original[:-1], original[:-2]}  # the spinner's own headword lookup
            got = [w for w, _ in explain(r.replacement, 3, model="lexical")]
            near = [w for w, _ in explain(r.replacement, 3, spun_text.text, "lexical")]
            total += 1
            hits["top1"] += got[:1] == [original]
            hits["top3"] += original in got
            hits["loose3"] += bool(forms & set(got))
            hits["ctx1"] += near[:1] == [original]
            hits["ctx3"] += original in near
            if contextual:
                read = [w for w, _ in explain(r.replacement, 3, spun_text.text, "contextual")]
                hits["model1"] += read[:1] == [original]
                hits["model3"] += original in read
    share = {k: v / max(total, 1) for k, v in hits.items()}
    print(
        f"\n--explain restoration on {total} spun words: top-1 {share['top1']:.3f}, "
        f"top-3 {share['top3']:.3f}, top-3 allowing the spinner's headword form "
        f"{share['loose3']:.3f}; with the spun paragraph as context: top-1 "
        f"{share['ctx1']:.3f}, top-3 {share['ctx3']:.3f}"
    )
    if contextual:
        print(
            f"re-ranked in the sentence by the contextual model: top-1 {share['model1']:.3f}, "
            f"top-3 {share['model3']:.3f} ({(time.perf_counter() - t0) / max(total, 1) * 1000:.0f}"
            " ms per phrase for all three rankings)"
        )


if __name__ == "__main__":
    main()
