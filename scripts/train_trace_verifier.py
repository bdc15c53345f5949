"""Train trace's verifier, shipped in ``src/unspin/data/trace_verifier.json``.

The passage verifier (``scripts/train_passage_verifier.py``) learns from the passages PAN's
listed pairs yield. Trace aligns a long article against every candidate a store returns, so
it also meets same-topic pages echoing stretches of the article, and judges passages found
with its own looser seeds. This script learns from those passages:

1. PAN 2013 training articles are traced (``--per-section`` suspicious documents of each
   section, and ``--composites`` concatenations of 3-5 of them per section with plagiarism)
   against a store of every PAN source and Reuters story (the one
   ``benchmarks/bench_longdoc.py`` builds). The documents that benchmark draws (seeds 2026
   and 2027: 30 documents and 8 concatenations per section) are left out, so its figures
   stay out of sample. Every passage the verifier can judge is judged again in the PAN
   settings, so both verifiers' views of it are known.
2. Labels: **reuse**, a passage over an annotated case of its own source (both sides);
   **echo**, a passage of another source over an annotated case, unless that source holds
   the case's text too (two passages or source texts sharing two runs of six words), or any
   passage of a Reuters story (1987 news is no source of a 2009 web page). Passages over no
   case are left out: PAN's articles reuse many pages whose pairs are not annotated.
3. A logistic regression over :data:`unspin.verifier.TRACE_FEATURES` (numpy IRLS, L2 1e-3),
   5-fold cross-validated with folds grouped by suspicious document (seed 13). Trace keeps a
   passage when this model or the PAN-settings re-judging accepts it. The threshold is the
   highest on the grid at which the out-of-fold model, with the re-judging, keeps as many
   reuse passages as the passage verifier does there now (recall first), which rejects the
   most echoes among those.
4. The final model is fitted on all passages and its bias moved so that the chosen threshold
   falls on the passage verifier's (attribution holds one threshold).

    python scripts/train_trace_verifier.py --store /tmp/bench_longdoc.db \
        [--corpus ../shared/data/pan13-train]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import unspin.trace
from unspin.attribution import AttributionConfig, verifier_judges
from unspin.spinscore.model import LogisticModel, fit_logistic
from unspin.store import Store
from unspin.trace import TraceConfig, trace_stages
from unspin.verifier import FEATURES, TRACE_FEATURES, Verifier, load_verifier

SEED = 13
FOLDS = 5
GRID = tuple(round(0.05 * k, 2) for k in range(2, 17))  # 0.10 ... 0.80
SECTIONS = (
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
)
OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "trace_verifier.json"
Case = tuple[str, int, int, int, int]  # source, article start, end, source start, end
_WORD = re.compile(r"\w+")


@dataclass
class Row:
    group: str  # the first suspicious document of the article (folds are grouped by it)
    features: list[float]
    pan_settings: float  # best PAN-settings probability of the passage judged again
    reuse: bool


def read_cases(corpus: Path, section: str) -> dict[str, list[Case]]:
    """Suspicious document -> its annotated cases in one section."""
    out: dict[str, list[Case]] = {}
    for xml in sorted((corpus / section).glob("*.xml")):
        body = xml.read_text(encoding="utf-8")
        name = re.search(r'reference="([^"]+)"', body)
        assert name is not None, xml
        cases = out.setdefault(name.group(1), [])
        for m in re.finditer(r"<feature[^>]*name=\"plagiarism\"[^>]*/>", body):
            a = dict(re.findall(r'(\w+)="([^"]*)"', m.group()))
            t, s = int(a["this_offset"]), int(a["source_offset"])
            cases.append(
                (
                    a["source_reference"],
                    t,
                    t + int(a["this_length"]),
                    s,
                    s + int(a["source_length"]),
                )
            )
    return out


def benchmark_draws(truth: dict[str, list[Case]], section: str) -> set[str]:
    """The documents ``benchmarks/bench_longdoc.py`` draws for seeds 2026 and 2027 (up to 30
    documents and 8 concatenations a section)."""
    out: set[str] = set()
    for seed in (2026, 2027):
        rng = random.Random(f"{seed}-{section}")
        names = sorted(truth)
        rng.shuffle(names)
        out.update(names[:30])
        for _ in range(8):
            out.update(rng.sample(names, rng.randint(3, 5)))
    return out


def articles(
    corpus: Path, per_section: int, composites: int
) -> Iterator[tuple[list[str], str, list[Case]]]:
    """(member documents, text, cases at article offsets) of the training articles."""
    sections = [corpus / "01-no-plagiarism", *(corpus / s for s in SECTIONS)]
    for path in sections:
        truth = read_cases(corpus, path.name)
        drawn = benchmark_draws(truth, path.name) if path.name in SECTIONS else set()
        names = sorted(n for n in truth if n not in drawn)
        rng = random.Random(f"trace-verifier-{path.name}")
        rng.shuffle(names)
        chosen = names[:per_section]
        for n in chosen:
            yield [n], (corpus / "susp" / n).read_text(encoding="utf-8"), truth[n]
        if path.name not in SECTIONS:
            continue
        for _ in range(composites):
            picks = rng.sample(chosen, rng.randint(3, 5))
            parts, cases, pos = [], [], 0
            for n in picks:
                text = (corpus / "susp" / n).read_text(encoding="utf-8")
                cases += [(s, a + pos, b + pos, sa, sb) for s, a, b, sa, sb in truth[n]]
                parts.append(text)
                pos += len(text) + 2
            yield picks, "\n\n".join(parts), cases


def _six_grams(text: str) -> set[tuple[str, ...]]:
    w = [x.lower() for x in _WORD.findall(text)]
    return {tuple(w[i : i + 6]) for i in range(len(w) - 5)}


def label(
    source_id: str,
    source: str,
    article: str,
    passage: unspin.trace.Passage,
    cases: list[Case],
    corpus: Path,
) -> bool | None:
    """True: reuse; False: an echo; None: left out (see the module docstring)."""
    p = passage
    if not source_id.startswith("source-document"):
        return False
    over = [c for c in cases if c[1] < p.target_end and p.target_start < c[2]]
    if any(c[0] == source_id and c[3] < p.source_end and p.source_start < c[4] for c in over):
        return True
    if not over:
        return None
    mine = _six_grams(source[p.source_start : p.source_end])
    if len(mine & _six_grams(article[p.target_start : p.target_end])) >= 2:
        return None  # the source holds the article's text: a copy of the true source
    for c in over:
        if c[0] == source_id:
            return None
        other = (corpus / "src" / c[0]).read_text(encoding="utf-8")[c[3] : c[4]]
        if len(mine & _six_grams(other)) >= 2:
            return None
    return False


def collect(store: Store, corpus: Path, per_section: int, composites: int) -> list[Row]:
    # Every judgeable passage is judged again in the PAN settings (threshold 1.0), and not
    # again by trace's own verifier in its window (``rejudge_locally``): that is the model
    # being fitted, a zero model here, whose 0.5 would pass for a PAN-settings verdict.
    cfg = TraceConfig(
        label_edits=False,
        score_unsourced=False,
        attribution=AttributionConfig(verify_threshold=1.0),
        rejudge_locally=None,
    )
    rows: list[Row] = []
    for members, text, cases in articles(corpus, per_section, composites):
        stages = trace_stages(text, store, cfg)
        keys = list(stages.passages)
        texts = store.texts(keys)
        docs = store.documents(keys)
        for key, passages in stages.passages.items():
            for p in passages:
                features, pan = stages.evidence.get((key, p), (None, None))
                if features is None or not verifier_judges(p):
                    continue
                y = label(docs[key].id, texts[key], text, p, cases, corpus)
                if y is not None:
                    rows.append(Row(members[0], features, pan or 0.0, y))
        print(f"{'+'.join(members)[:60]}: {len(rows)} passages so far", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pan13-train"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--store", type=Path, required=True, help="bench_longdoc.py's store")
    parser.add_argument("--per-section", type=int, default=40)
    parser.add_argument("--composites", type=int, default=6)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    args = parser.parse_args()
    # Collecting needs trace's features, not a trace model (there may be none yet).
    zero = LogisticModel(
        TRACE_FEATURES,
        np.zeros(len(TRACE_FEATURES)),
        np.ones(len(TRACE_FEATURES)),
        np.zeros(len(TRACE_FEATURES)),
        0.0,
    )
    unspin.trace.load_trace_verifier = lambda: Verifier(zero, 0.5)  # type: ignore[assignment]
    with Store(args.store, create=False, readonly=True) as store:
        documents = store.count()
        rows = collect(store, args.corpus, args.per_section, args.composites)
    x = np.array([r.features for r in rows], dtype=float)
    y = np.array([r.reuse for r in rows], dtype=float)
    pan = np.array([r.pan_settings for r in rows])
    passage_verifier = load_verifier()
    now = np.array([passage_verifier.probability(f[: len(FEATURES)]) for f in x])
    kept_now = np.maximum(now, pan) >= passage_verifier.threshold
    print(f"{len(rows)} passages: {int(y.sum())} reuse, {int((1 - y).sum())} echoes")

    groups = sorted({r.group for r in rows})
    random.Random(SEED).shuffle(groups)
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    fold = np.array([fold_of[r.group] for r in rows])
    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        m = fit_logistic(x[fold != k], y[fold != k], TRACE_FEATURES)
        oof[fold == k] = [
            m.predict(dict(zip(TRACE_FEATURES, f, strict=True))) for f in x[fold == k]
        ]

    def kept(mask: np.ndarray) -> dict[str, int]:
        return {"reuse": int((mask & (y == 1)).sum()), "echoes": int((mask & (y == 0)).sum())}

    figures = {"passage verifier": kept(kept_now)}
    for t in GRID:
        figures[str(t)] = kept(np.maximum(oof, pan) >= t)
        print(f"threshold {t}: {figures[str(t)]} (passage verifier: {figures['passage verifier']})")
    enough = [t for t in GRID if figures[str(t)]["reuse"] >= figures["passage verifier"]["reuse"]]
    chosen = max(enough) if enough else min(GRID)
    final = fit_logistic(x, y, TRACE_FEATURES)

    def logit(p: float) -> float:
        return math.log(p / (1 - p))

    shift = logit(passage_verifier.threshold) - logit(chosen)
    model = final.to_dict()
    model["bias"] = final.bias + shift
    args.out.write_text(
        json.dumps(
            {
                "about": "Trace's passage verifier (see unspin/verifier.py); written by "
                "scripts/train_trace_verifier.py",
                "corpus": args.corpus.name,
                "store_documents": documents,
                "per_section": args.per_section,
                "composites": args.composites,
                "passages": len(rows),
                "reuse": int(y.sum()),
                "folds": FOLDS,
                "seed": SEED,
                "date": datetime.date.today().isoformat(),
                "cross_validated_kept": figures,
                "chosen_threshold": chosen,
                "bias_shift": round(shift, 6),
                "threshold": passage_verifier.threshold,
                "model": model,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"threshold {chosen} (moved to {passage_verifier.threshold}); wrote {args.out}")


if __name__ == "__main__":
    main()
