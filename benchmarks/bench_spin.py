"""Spin score without a source: AUCs, held-apart reliability, restoration accuracy, timings.

    .venv/bin/python benchmarks/bench_spin.py [--data ../shared/data] [--n 800] [--pan 200]
        [--model lexical|contextual|both] [--sample spread|first] [--swaps 400]

``both`` (the default when the embed extra is installed) measures the two packaged models on
the same paragraphs in one run; restoration (``--explain``) is measured with the lexical
ranking and, when the contextual model runs, also re-ranked by it.

Reuters paragraphs come from the held-apart files (reut2-014..021); the model was trained on
reut2-000..013. ``--sample spread`` (the default) draws the same number of paragraphs from each
held-apart file with a fixed seed; ``--sample first`` takes the first ``--n`` in file order, which
is how the benchmark sampled until 2026-12-01: with ``--n 300`` those all come from reut2-014, a
file dominated by commodity-market reports, so it is kept as the hardest slice. AUCs and
restoration shares carry 95% intervals from a bootstrap over paragraphs. Results are recorded
in docs/bench-notes/spin.md.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import time
from pathlib import Path

import numpy as np

from unspin.generators.article_spinner import Spun, spin
from unspin.generators.spin_corpus import HELD_APART_FILES, labelled, paragraphs, short_texts
from unspin.spinscore.features import _scan
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.score import (
    SpinScore,
    SpinSpan,
    explain,
    load_resources,
    resolve_model,
    score_text,
)

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


def _rule_spans(text: str) -> tuple[SpinSpan, ...]:
    """The frequency rule's spans alone (a private step of the scorer, read for the baseline)."""
    evidence = _scan(text, reverse_thesaurus()).suggested()
    return tuple(SpinSpan(e.start, e.end, "", e.reason, e.suggestions, e.weight) for e in evidence)


def span_quality(spun: list[Spun], scores: list[SpinScore]) -> tuple[float, float, float]:
    """Share of spans that overlap a swap, share of swaps some span overlaps, and the share
    of each text's three heaviest spans that overlap one."""
    spans = hits = swaps = covered = top = top_hits = 0
    for text, score in zip(spun, scores, strict=True):
        truth = [(r.target_start, r.target_end) for r in text.replacements]
        hit = [any(s.start < e and b < s.end for b, e in truth) for s in score.spans]
        spans, hits, swaps = spans + len(hit), hits + sum(hit), swaps + len(truth)
        covered += sum(any(s.start < e and b < s.end for s in score.spans) for b, e in truth)
        heaviest = sorted(zip(score.spans, hit, strict=True), key=lambda z: -z[0].weight)[:3]
        top, top_hits = top + len(heaviest), top_hits + sum(h for _, h in heaviest)
    return hits / max(spans, 1), covered / max(swaps, 1), top_hits / max(top, 1)


def pairwise_wins(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """``[i, j]``: 1 when ``pos[i]`` scores over ``neg[j]``, 0.5 on a tie, else 0 (its mean is
    the AUC; a bootstrap over paragraphs takes rows and columns together)."""
    return (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])


def paired_auc_interval(
    pos: list[float], neg: list[float], reps: int = 500, seed: int = 0
) -> tuple[float, float]:
    """95% bootstrap interval of the AUC when ``pos[i]`` is a spun copy of ``neg[i]``: the
    paragraphs are resampled, each bringing its original and its spun copy."""
    wins = pairwise_wins(np.array(pos), np.array(neg))
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(reps):
        idx = rng.integers(0, len(pos), len(pos))
        values.append(wins[np.ix_(idx, idx)].mean())
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def share_interval(hits: list[list[bool]], reps: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval of a hit share whose trials come in groups (the swaps of one
    paragraph), resampling whole groups."""
    sums = np.array([sum(g) for g in hits], dtype=float)
    sizes = np.array([len(g) for g in hits], dtype=float)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(reps):
        idx = rng.integers(0, len(sums), len(sums))
        values.append(sums[idx].sum() / max(sizes[idx].sum(), 1.0))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def held_apart_texts(folder: Path, n: int, sample: str, seed: int = 0) -> list[tuple[int, str]]:
    """``n`` held-apart paragraphs with their file number: ``spread`` takes n/8 at random
    (seeded) from each file, ``first`` the first ``n`` in file order."""
    if sample not in ("spread", "first"):
        raise ValueError(f"sample must be 'spread' or 'first', not {sample!r}")
    out: list[tuple[int, str]] = []
    if sample == "first":
        for number in HELD_APART_FILES:
            for text in paragraphs(folder, range(number, number + 1)):
                if len(out) >= n:
                    return out
                out.append((number, text))
        return out
    per_file = -(-n // len(HELD_APART_FILES))
    for number in HELD_APART_FILES:
        pool = list(paragraphs(folder, range(number, number + 1)))
        random.Random(seed * 1000 + number).shuffle(pool)
        out.extend((number, text) for text in pool[:per_file])
    # Interleave the files so that any prefix (the restoration subset) is spread too.
    order = sorted(range(len(out)), key=lambda i: (i % per_file, i // per_file))
    return [out[i] for i in order][:n]


def held_apart_shorts(folder: Path, n: int, seed: int = 0) -> list[str]:
    """``n`` short texts (the first one or two sentences of a story, 6-40 words), n/8 at random
    (seeded) from each held-apart file."""
    per_file = -(-n // len(HELD_APART_FILES))
    out: list[str] = []
    for number in HELD_APART_FILES:
        pool = list(short_texts(folder, range(number, number + 1), seed=number))
        random.Random(seed * 1000 + number).shuffle(pool)
        out.extend(pool[:per_file])
    return out[:n]


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
    parser.add_argument("--n", type=int, default=800, help="held-apart Reuters paragraphs")
    parser.add_argument(
        "--sample",
        choices=("spread", "first"),
        default="spread",
        help="spread: equal seeded samples of every held-apart file; first: file order",
    )
    parser.add_argument(
        "--swaps", type=int, default=400, help="paragraphs whose swaps test restoration"
    )
    parser.add_argument("--shorts", type=int, default=400, help="held-apart short texts")
    parser.add_argument("--pan", type=int, default=200, help="PAN passages per section")
    parser.add_argument(
        "--model",
        choices=("lexical", "contextual", "both"),
        default="both" if resolve_model("auto") == "contextual" else "lexical",
    )
    args = parser.parse_args()

    sample = held_apart_texts(args.data / "reuters21578", args.n, args.sample)
    files = [number for number, _ in sample]
    texts = [text for _, text in sample]
    print(f"held-apart sample: {args.sample}, {len(texts)} paragraphs")
    kinds = ("lexical", "contextual") if args.model == "both" else (args.model,)
    for kind in kinds:
        measure(kind, texts, files, args)
    restoration(texts[: args.swaps], "contextual" in kinds)
    phrase_restoration(texts[: args.swaps], "contextual" in kinds)


def measure(kind: str, texts: list[str], files: list[int], args: argparse.Namespace) -> None:
    """Detection AUCs, reliability, PAN passages and speed of one packaged model."""
    print(f"\n## {kind} model")
    t0 = time.perf_counter()
    load_resources(kind)
    print(f"load: {time.perf_counter() - t0:.2f} s (resources loaded earlier in this run are free)")

    def p(text: str) -> float:
        return score_text(text, kind).probability

    plain = [score_text(t, kind) for t in texts]
    originals = [x.probability for x in plain]
    print(f"\nReuters held-apart paragraphs: {len(texts)}")
    print("| replacement rate | ROC AUC spun vs original | 95% interval |")
    print("|---|---|---|")
    by_rate: dict[float, list[float]] = {}
    span_rows = []
    for rate in (0.1, 0.2, 0.4):
        spun_texts = [spin(t, rate, seed=i) for i, t in enumerate(texts)]
        scores = [score_text(x.text, kind) for x in spun_texts]
        spun = by_rate[rate] = [x.probability for x in scores]
        lo, hi = paired_auc_interval(spun, originals)
        print(f"| {rate:.0%} | {auc(spun, originals):.3f} | {lo:.3f}-{hi:.3f} |")
        # Baseline in the same run: the frequency rule's spans before the per-word model
        # re-weighs them (what `score` reported until 2026-12-01).
        rule = [SpinScore(0.0, _rule_spans(x.text)) for x in spun_texts]
        span_rows.append((rate, span_quality(spun_texts, scores), span_quality(spun_texts, rule)))
    print("\nSpans against the spinner's swaps (a span counts when it overlaps a swap):")
    print("| rate | span precision | swaps covered | precision of the 3 heaviest spans |")
    print("|---|---|---|---|")
    for rate, quality, baseline in span_rows:
        quality_cells = " | ".join(
            f"{a:.3f} (rule only {b:.3f})" for a, b in zip(quality, baseline, strict=True)
        )
        print(f"| {rate:.0%} | {quality_cells} |")
    rule_plain = sum(len(_rule_spans(t)) for t in texts) / len(texts)
    print(
        f"spans on an original paragraph: {sum(len(x.spans) for x in plain) / len(plain):.2f} "
        f"(rule only {rule_plain:.2f})"
    )
    if len(set(files)) > 1:
        print("\nBy held-apart file (AUC at 10% / 20%):")
        print("| file | paragraphs | 10% | 20% |")
        print("|---|---|---|---|")
        for number in sorted(set(files)):
            idx = [i for i, f in enumerate(files) if f == number]
            cells = [
                auc([by_rate[r][i] for i in idx], [originals[i] for i in idx]) for r in (0.1, 0.2)
            ]
            print(f"| reut2-{number:03d} | {len(idx)} | {cells[0]:.3f} | {cells[1]:.3f} |")

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

    shorts = held_apart_shorts(args.data / "reuters21578", args.shorts)
    if shorts:
        plain_short = [p(t) for t in shorts]
        short_aucs = []
        for rate in (0.1, 0.2):
            spun_short = [p(spin(t, rate, seed=i).text) for i, t in enumerate(shorts)]
            short_aucs.append(f"{rate:.0%} {auc(spun_short, plain_short):.3f}")
        mixed = labelled(shorts, seed=99)
        short_probs = np.array([p(t) for t, _ in mixed])
        short_labels = np.array([y for _, y in mixed])
        print(
            f"\nShort texts ({len(shorts)}, 6-40 words): AUC {', '.join(short_aucs)}; Brier "
            f"{float(((short_probs - short_labels) ** 2).mean()):.4f} (originals + spun at 5-60%); mean probability "
            f"of an original {float(np.mean(plain_short)):.3f}"
        )

    pan = args.data / "pan13-train"
    if pan.is_dir():
        obf = [p(x) for x in pan_passages(pan, "03-random-obfuscation", args.pan, 1)]
        unspun = [p(x) for x in pan_passages(pan, "02-no-obfuscation", args.pan, 1)]
        print(
            f"\nPAN13 passages: AUC 03-random vs 02-none = {auc(obf, unspun):.3f} "
            f"({len(obf)} vs {len(unspun)})"
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
    keys = ("top1", "top3", "loose3", "ctx1", "ctx3", "model1", "model3", "span3", "reread3")
    groups: dict[str, list[list[bool]]] = {k: [] for k in keys}
    t0 = time.perf_counter()
    for i, text in enumerate(texts):
        spun_text = spin(text, 0.2, seed=1000 + i)
        hits: dict[str, list[bool]] = {k: [] for k in keys}
        for r in spun_text.replacements:
            original = r.original.lower()
            forms = {original, original[:-1], original[:-2]}  # the spinner's own headword lookup
            got = [w for w, _ in explain(r.replacement, 3, model="lexical")]
            near = [w for w, _ in explain(r.replacement, 3, spun_text.text, "lexical")]
            hits["top1"].append(got[:1] == [original])
            hits["top3"].append(original in got)
            hits["loose3"].append(bool(forms & set(got)))
            hits["ctx1"].append(near[:1] == [original])
            hits["ctx3"].append(original in near)
            if contextual:
                read = [w for w, _ in explain(r.replacement, 3, spun_text.text, "contextual")]
                hits["model1"].append(read[:1] == [original])
                hits["model3"].append(original in read)
        if contextual:
            # `score`'s own span suggestions, on the spans that sit exactly on a swap.
            truth = {
                (r.target_start, r.target_end): r.original.lower() for r in spun_text.replacements
            }
            quick = score_text(spun_text.text, "contextual").spans
            reread = score_text(spun_text.text, "contextual", restore=len(quick)).spans
            for a, b in zip(quick, reread, strict=True):
                if (a.start, a.end) in truth:
                    hits["span3"].append(truth[a.start, a.end] in a.suggestions)
                    hits["reread3"].append(truth[a.start, a.end] in b.suggestions)
        for k in keys:
            groups[k].append(hits[k])
    total = sum(len(g) for g in groups["top1"])

    def share(key: str) -> float:
        return sum(sum(g) for g in groups[key]) / max(sum(len(g) for g in groups[key]), 1)

    def interval(key: str) -> str:
        lo, hi = share_interval(groups[key])
        return f"{share(key):.3f} ({lo:.3f}-{hi:.3f})"

    print(
        f"\n--explain restoration on {total} spun words of {len(texts)} paragraphs: top-1 "
        f"{share('top1'):.3f}, top-3 {interval('top3')}, top-3 allowing the spinner's headword "
        f"form {share('loose3'):.3f}; with the spun paragraph as context: top-1 "
        f"{share('ctx1'):.3f}, top-3 {interval('ctx3')}"
    )
    if contextual:
        print(
            f"re-ranked in the sentence by the contextual model: top-1 {share('model1'):.3f}, "
            f"top-3 {interval('model3')} "
            f"({(time.perf_counter() - t0) / max(total, 1) * 1000:.0f} ms per phrase for all "
            "three rankings)"
        )
        spans = sum(len(g) for g in groups["span3"])
        print(
            f"`score` span suggestions on the {spans} spans that sit exactly on a swap "
            f"({spans / max(total, 1):.1%} of swaps): top-3 {interval('span3')} ranked by word "
            f"pairs, {interval('reread3')} re-read in the sentence (`restore`)"
        )


def phrase_restoration(texts: list[str], contextual: bool) -> None:
    """Top-1/top-3 of ``explain`` on two neighbouring words the spinner both swapped (40%): the
    phrase alone, with the spun paragraph as context, and re-ranked by the contextual model."""
    cases = []
    for i, text in enumerate(texts):
        spun_text = spin(text, 0.4, seed=500 + i)
        words = [
            r
            for r in spun_text.replacements
            if r.kind == "synonym" and " " not in r.original and " " not in r.replacement
        ]
        for a, b in itertools.pairwise(words):
            if spun_text.text[a.target_end : b.target_start] == " ":
                phrase = spun_text.text[a.target_start : b.target_end]
                cases.append((phrase, f"{a.original} {b.original}".lower(), spun_text.text))
    rankings = [("alone", None, "lexical"), ("with the paragraph", True, "lexical")]
    if contextual:
        rankings.append(("re-ranked in the sentence", True, "contextual"))
    for name, with_context, model in rankings:
        t0 = time.perf_counter()
        top1 = top3 = 0
        for phrase, original, context in cases:
            got = [w for w, _ in explain(phrase, 3, context if with_context else None, model)]
            top1 += got[:1] == [original]
            top3 += original in got
        n = max(len(cases), 1)
        print(
            f"two-word swaps ({len(cases)}), {name}: top-1 {top1 / n:.3f}, top-3 {top3 / n:.3f} "
            f"({(time.perf_counter() - t0) / n * 1000:.0f} ms per phrase)"
        )


if __name__ == "__main__":
    main()
