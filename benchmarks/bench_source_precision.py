"""Precision of trace's source list on long documents (issue 25, item 2).

Run from the repository root:

    .venv/bin/python benchmarks/bench_source_precision.py [--per-section 15] [--show 60]

Every PAN 2013 training source document is indexed (as ``bench_trace.py`` does); suspicious
documents are drawn per section (including 01-no-plagiarism, where every listed source is
unannotated). For each traced document: the listed sources, those with an annotated case in any
section (true), and those without one (unannotated). Per-case recall (the true source lists a
passage overlapping the case) keeps the precision honest. ``--show`` prints the best passage
of that many unannotated listings (article side and source side) for reading: are they real
unannotated reuse or same-topic echoes?

Baseline: ``trace`` before attribution (see ``bench_attribution.BASELINE_COMMIT``), or with
``--baseline SRC`` the ``unspin`` package under ``SRC``; same run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_attribution import baseline_trace, package_trace
from bench_trace import _cases

from unspin.fingerprints import fingerprint
from unspin.store import Store
from unspin.trace import TraceConfig, trace
from unspin.types import Document

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SECTIONS = (
    "01-no-plagiarism",
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
)
CFG = TraceConfig(label_edits=False, score_unsourced=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-section", type=int, default=15)
    ap.add_argument("--show", type=int, default=60)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--no-baseline", action="store_true", help="measure today's code only")
    ap.add_argument("--baseline", type=Path, help="a src/ folder to compare against")
    args = ap.parse_args()
    root = DATA / "pan13-train"
    truth: dict[str, list[tuple[str, int, int]]] = {}
    for sec in SECTIONS[1:]:
        for susp, cases in _cases(root, sec).items():
            truth.setdefault(susp, []).extend(cases)
    annotated = {s: {c[0] for c in cases} for s, cases in truth.items()}
    rng = random.Random(args.seed)
    chosen: list[tuple[str, str]] = []
    for sec in SECTIONS:
        names = sorted({x.name.split("-source")[0] + ".txt" for x in (root / sec).glob("*.xml")})
        rng.shuffle(names)
        chosen += [(sec, s) for s in names[: args.per_section]]
    docs = [
        Document(text=p.read_text(encoding="utf-8"), id=p.name)
        for p in sorted((root / "src").glob("source-document*.txt"))
    ]
    out: dict[str, object] = {"date": time.strftime("%Y-%m-%d"), "documents": len(chosen)}
    shown: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "pan.db")
        for i in range(0, len(docs), 200):
            store.add_batch([(d, fingerprint(d.text)) for d in docs[i : i + 200]])
        systems = [("attribution", trace)]
        if not args.no_baseline:
            base = (
                package_trace(args.baseline, label_edits=False, score_unsourced=False)
                if args.baseline
                else baseline_trace()
            )
            systems.insert(0, ("baseline", base))
        for name, fn in systems:
            listed, unannotated, hit, cases = [], [], 0, 0
            per_sec: dict[str, list[int]] = {}
            for sec, susp in chosen:
                text = (root / "susp" / susp).read_text(encoding="utf-8")
                r = fn(text, store, CFG)
                ids = {s.document.id for s in r.sources}
                extra = [s for s in r.sources if s.document.id not in annotated.get(susp, set())]
                listed.append(len(ids))
                unannotated.append(len(extra))
                per_sec.setdefault(sec, []).append(len(extra))
                for src, a, b in truth.get(susp, []) if sec != SECTIONS[0] else []:
                    cases += 1
                    hit += any(
                        s.document.id == src
                        and any(p.target_start < b and a < p.target_end for p in s.passages)
                        for s in r.sources
                    )
                if name == "attribution":
                    for s in extra:
                        if len(shown) >= args.show:
                            break
                        p = max(s.passages, key=lambda p: p.target_end - p.target_start)
                        src_text = store.text(s.document.key)
                        shown.append(
                            f"--- {sec} {susp} <- {s.document.id} (owns {s.coverage:.1%},"
                            f" passage score {p.score:.2f})\n  A: "
                            + " ".join(text[p.target_start : p.target_end].split())[:300]
                            + "\n  S: "
                            + " ".join(src_text[p.source_start : p.source_end].split())[:300]
                        )
            out[name] = {
                "median_listed": statistics.median(listed),
                "max_listed": max(listed),
                "mean_unannotated": round(statistics.fmean(unannotated), 3),
                "median_unannotated": statistics.median(unannotated),
                "max_unannotated": max(unannotated),
                "total_unannotated": sum(unannotated),
                "unannotated_per_section": {k: sum(v) for k, v in per_sec.items()},
                "case_recall": round(hit / max(1, cases), 4),
                "cases": cases,
            }
            print(name, json.dumps(out[name]), flush=True)
        store.close()
    print("\n".join(shown))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
