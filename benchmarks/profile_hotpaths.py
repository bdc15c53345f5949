"""Profiles of the three hot paths (issue 9): ingest, trace and alignment, with pyinstrument.

Run from the repository root (needs the ``bench`` extra for pyinstrument; ~2-4 minutes):

    .venv/bin/python benchmarks/profile_hotpaths.py [--out /tmp/unspin-profiles] [--only trace]

1. ingest: the first ``--ingest-docs`` (5,000) Reuters stories through ``unspin.ingest.ingest``
   with ONE worker, so fingerprinting runs in this process where the profiler sees it (the
   pool only moves that work to other processes; it does not change what the work is).
2. trace: the store is then filled (not profiled) to ``--store-docs`` (20,000) documents of the
   ``bench_scale.py`` scale corpus, and ``--traces`` (50) of its spun queries are traced with
   the configuration ``bench_scale.py`` times (no edit labels, no unsourced scoring).
3. align: ``unspin.align.align`` with the "pan" profile over a stratified sample of ``--pairs`` (300) PAN 2013 pairs
   (``unspin.evaluate.runner.sample_pairs``, its default seed).

For each profile it writes pyinstrument's text tree (``NAME.txt``) and prints one JSON line:
wall seconds, and the top functions by self time and by inclusive time (recursion counted
once), each with its share of the profile. Sampling is by wall clock, so on a loaded machine
absolute times stretch; the shares are what to compare.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import DATA, _write_jsonl, queries, scale_corpus

from unspin.datasets.reuters import iter_reuters
from unspin.errors import require
from unspin.ingest import default_workers, ingest
from unspin.store import Store
from unspin.types import Document

Summary = dict[str, object]


def _key(frame: object) -> str:
    f = frame  # pyinstrument Frame; typed loosely so the script runs without type stubs
    return f"{f.function} ({f.file_path_short}:{f.line_no})"  # type: ignore[attr-defined]


def hot_spots(root: object, top: int) -> Summary:
    """Top functions by self time and by inclusive time, as shares of the root's time."""
    self_t: dict[str, float] = {}
    incl_t: dict[str, float] = {}
    total = float(root.time) or 1e-9  # type: ignore[attr-defined]

    def walk(frame: object, on_path: frozenset[str]) -> None:
        key = _key(frame)
        kids = [c for c in frame.children if not c.is_synthetic]  # type: ignore[attr-defined]
        own = float(frame.time) - sum(float(c.time) for c in kids)  # type: ignore[attr-defined]
        self_t[key] = self_t.get(key, 0.0) + own
        if key not in on_path:  # a recursive call's time is already in its ancestor's
            incl_t[key] = incl_t.get(key, 0.0) + float(frame.time)  # type: ignore[attr-defined]
        for child in kids:
            walk(child, on_path | {key})

    walk(root, frozenset())

    def best(d: dict[str, float]) -> list[tuple[str, float]]:
        ranked = sorted(d.items(), key=lambda kv: -kv[1])[:top]
        return [(k, round(v / total, 3)) for k, v in ranked]

    unspin_incl = {k: v for k, v in incl_t.items() if "unspin" in k}
    return {"self": best(self_t), "inclusive_unspin": best(unspin_incl)}


def profiled(name: str, out: Path, top: int, work: Callable[[], object]) -> Summary:
    """Run ``work`` under pyinstrument; write the text tree and return the hot-spot summary."""
    require("pyinstrument", "bench", "profiling")
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    t0 = time.perf_counter()
    profiler.start()
    work()
    profiler.stop()
    wall = time.perf_counter() - t0
    (out / f"{name}.txt").write_text(profiler.output_text(show_all=False), encoding="utf-8")
    session = profiler.last_session
    root = session.root_frame() if session is not None else None
    assert root is not None, "the profiler recorded no samples"
    return {"profile": name, "wall_s": round(wall, 2), **hot_spots(root, top)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "unspin-profiles")
    ap.add_argument("--only", choices=["ingest", "trace", "align"], nargs="+")
    ap.add_argument("--ingest-docs", type=int, default=5_000)
    ap.add_argument("--store-docs", type=int, default=20_000)
    ap.add_argument("--traces", type=int, default=50)
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    only = set(args.only or ["ingest", "trace", "align"])

    if only & {"ingest", "trace"}:
        stories = list(iter_reuters(DATA / "reuters21578"))
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "profile.db"
            first = Path(tmp) / "first.jsonl"
            _write_jsonl(first, stories[: args.ingest_docs])
            with Store(db) as store:
                work = lambda: ingest([first], store, batch_size=1000, workers=1)  # noqa: E731
                if "ingest" in only:
                    print(json.dumps(profiled("ingest", args.out, args.top, work)), flush=True)
                else:
                    work()
            if "trace" in only:
                rest = Path(tmp) / "rest.jsonl"
                docs = list(scale_corpus(stories, args.store_docs, args.seed))
                _write_jsonl(rest, docs[args.ingest_docs :])
                with Store(db) as store:
                    ingest([rest], store, batch_size=1000, workers=default_workers())
                print(json.dumps(_trace_profile(db, stories, args)), flush=True)

    if "align" in only:
        print(json.dumps(_align_profile(args)), flush=True)


def _trace_profile(db: Path, stories: list[Document], args: argparse.Namespace) -> Summary:
    from unspin.trace import TraceConfig, trace

    cfg = TraceConfig(label_edits=False, score_unsourced=False)
    qs = queries(stories, args.traces, args.seed)
    store = Store(db, create=False, readonly=True)
    trace(qs[0][0], store, cfg)  # warm the lexicon and page cache outside the profile

    def work() -> None:
        for q, _src in qs:
            trace(q, store, cfg)

    result = profiled("trace", args.out, args.top, work)
    result["store_documents"] = store.count()
    return result


def _align_profile(args: argparse.Namespace) -> Summary:
    from unspin.evaluate.pan import read_corpus, read_text
    from unspin.evaluate.runner import align_pan as align
    from unspin.evaluate.runner import sample_pairs

    corpus = read_corpus(DATA / "pan13-train")
    pairs = sample_pairs(corpus.pairs, args.pairs)
    texts = [
        (read_text(corpus.source_path(p)), read_text(corpus.suspicious_path(p))) for p in pairs
    ]
    align(*texts[0])  # load the thesaurus outside the profile

    def work() -> None:
        for src, susp in texts:
            align(src, susp)

    result = profiled("align", args.out, args.top, work)
    result["pairs"] = len(texts)
    return result


if __name__ == "__main__":
    main()
