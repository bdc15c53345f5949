"""Scale benchmark (issue 9): ingest, store size and trace latency as the archive grows.

Run from the repository root (sizes in documents; 1,000,000 needs ~20 minutes and a few GB):

    .venv/bin/python benchmarks/bench_scale.py --sizes 20000 100000 [--queries 100]

Scale corpus (deterministic: the same arguments give the same documents, byte for byte)
--------------------------------------------------------------------------------------
1. Every Reuters-21578 story with a body, in file order (19,043 real news documents).
2. Then perturbed copies until the size is reached. Copy ``j`` (j = 0, 1, ...) draws its
   story(ies) with ``random.Random(seed * 1_000_003 + j)`` and is, by ``j % 3``:
   0 -- ``spinner.spin(text, 0.3, seed=j)``: 30% of content words swapped for Moby synonyms;
   1 -- ``spinner.noise(text, 0.05, seed=j)``: 5% of words with a typo;
   2 -- ``spinner.splice(a, b, seed=j)``: runs of sentences of two stories interleaved.
   The copy's id is ``scale-j-<kind>-<story id(s)>``; the seed is ``j`` itself.
3. Queries: ``--queries`` stories with at least 400 characters, drawn by
   ``random.Random(seed)`` from the originals, each spun at 40% plus 2% typos (seeds
   ``seed + i``), as in ``bench_trace.py``. The true source is the original story (or a
   verbatim Reuters re-issue with the same text); perturbed copies of it are wrong answers,
   so recall at larger sizes also measures robustness to near-duplicates.

At each size the store grows through the real ingest path (``unspin.ingest.ingest`` on a
JSON Lines file, fingerprinting pool as ``unspin ingest`` uses it); then a FRESH process opens
the store read-only and traces the fixed queries (``TraceConfig(label_edits=False,
score_unsourced=False)``), reporting per-query latency (wall and CPU time) after the store is
opened and its peak RSS. Under another tree's src (``PYTHONPATH=OLD/src``) the same trace
process times that tree on a store it can read. The FTS5 BM25 baseline (``benchmarks/baselines.py``) is built on the same documents and
queried with the same queries in this process, for ratios that hold on a noisy machine.
A plot of latency against size is written as SVG (``--plot``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import FTS5BM25Baseline

# Only what the trace process needs is imported here (module names that 3a7ea00's tree has
# too), so ``--trace-process`` also runs under an older tree: PYTHONPATH=OLD/src (section 6.1
# of docs/benchmarks.md). The corpus generators and ingest are imported where they are used.
from unspin.datasets.reuters import iter_reuters
from unspin.store import Store
from unspin.types import Document, SourceMatch

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def scale_corpus(stories: list[Document], size: int, seed: int) -> Iterator[Document]:
    """The first ``size`` documents of the scale corpus (see the module docstring)."""
    from unspin.generators.article_spinner import noise, spin, splice

    yield from stories[:size]
    for j in range(max(0, size - len(stories))):
        rng = random.Random(seed * 1_000_003 + j)
        a = stories[rng.randrange(len(stories))]
        kind = j % 3
        if kind == 0:
            text, name = spin(a.text, 0.3, seed=j).text, f"spin-{a.id}"
        elif kind == 1:
            text, name = noise(a.text, 0.05, seed=j).text, f"noise-{a.id}"
        else:
            b = stories[rng.randrange(len(stories))]
            text, name = splice(a.text, b.text, seed=j).text, f"splice-{a.id}-{b.id}"
        yield Document(text=text, id=f"scale-{j}-{name}", date=a.date, title=a.title)


def queries(stories: list[Document], n: int, seed: int) -> list[tuple[str, str]]:
    """(query text, source text) pairs: originals spun 40% with 2% typos."""
    from unspin.generators.article_spinner import noise, spin

    pool = [d for d in stories if len(d.text) >= 400]
    picks = random.Random(seed).sample(pool, n)
    return [
        (noise(spin(d.text, 0.4, seed + i).text, 0.02, seed + i).text, d.text)
        for i, d in enumerate(picks)
    ]


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def _miss_kind(top_id: str, top5: Sequence[SourceMatch], texts: list[str], src: str) -> str:
    """What ranked first instead of the source: a Reuters story or a copy kind, and whether
    that copy was made from the true source (its id names the source story)."""
    if not top_id.startswith("scale-"):
        return "story"
    kind = top_id.split("-")[2]
    src_ids = [m.document.id for m, t in zip(top5, texts, strict=False) if t == src]
    if any(top_id.endswith(f"-{i}") or f"-{i}-" in top_id for i in src_ids):
        return f"{kind} of source"
    return kind


def _peak_rss_mb() -> float:
    """Peak resident memory of THIS process image. ``ru_maxrss`` is not it: Linux keeps that
    high-water mark across ``exec``, so a child started from a big parent reports the
    parent's size at fork (the first scale runs reported 344 MB / 1.4 GB that way). VmHWM
    belongs to the address space, which ``exec`` replaces."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def trace_process(db: str, qfile: str, repeats: int = 1) -> None:
    """In a fresh process: open the store, trace every query, print timings as JSON.

    With ``repeats`` over 1 every query is traced that many times in a row and its least
    wall and CPU time kept: on shared cores one busy moment otherwise sets the p95."""
    from unspin.trace import TraceConfig, trace

    cfg = TraceConfig(label_edits=False, score_unsourced=False)
    qs = json.loads(Path(qfile).read_text())
    t0 = time.perf_counter()
    store = Store(db, create=False, readonly=True)
    open_s = time.perf_counter() - t0
    lat, cpu, hit1, hit5 = [], [], 0, 0
    misses: Counter[str] = Counter()
    for q, src in qs:
        walls, cpus = [], []
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            r = trace(q, store, cfg)
            walls.append(time.perf_counter() - t)
            # CPU time too: on shared cores the wall time of a query depends on the other jobs.
            cpus.append(time.process_time() - c)
        lat.append(min(walls))
        cpu.append(min(cpus))
        texts = [store.text(s.document.key) for s in r.sources[:5]]
        hit1 += bool(texts[:1] and texts[0] == src)
        hit5 += src in texts
        if r.sources and texts[0] != src:
            misses[_miss_kind(r.sources[0].document.id, r.sources[:5], texts, src)] += 1
    rss = _peak_rss_mb()
    print(
        json.dumps(
            {
                "open_ms": round(1000 * open_s, 1),
                "median_ms": round(1000 * statistics.median(lat), 1),
                "p95_ms": round(1000 * _pct(lat, 0.95), 1),
                "cpu_median_ms": round(1000 * statistics.median(cpu), 1),
                "cpu_p95_ms": round(1000 * _pct(cpu, 0.95), 1),
                "recall@1": round(hit1 / len(qs), 3),
                "recall@5": round(hit5 / len(qs), 3),
                "peak_rss_mb": round(rss, 1),
                "top1_misses": dict(sorted(misses.items())),
            }
        )
    )


def _write_jsonl(path: Path, docs: list[Document]) -> int:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "title": d.title, "date": d.date, "text": d.text}))
            f.write("\n")
    return sum(len(d.text.encode("utf-8")) for d in docs)


def bm25_figures(docs: list[Document], qs: list[tuple[str, str]]) -> dict[str, float]:
    t0 = time.perf_counter()
    bm25 = FTS5BM25Baseline.from_documents(docs)
    build = time.perf_counter() - t0
    text_of = {d.id: d.text for d in docs}
    lat, hit1 = [], 0
    for q, src in qs:
        t = time.perf_counter()
        got = bm25.query(q, 5)
        lat.append(time.perf_counter() - t)
        hit1 += bool(got and text_of.get(got[0]) == src)
    return {
        "build_s": round(build, 1),
        "median_ms": round(1000 * statistics.median(lat), 1),
        "p95_ms": round(1000 * _pct(lat, 0.95), 1),
        "recall@1": round(hit1 / len(qs), 3),
    }


def plot_svg(rows: list[dict[str, object]], path: Path) -> None:
    """Median and p95 trace latency against store size (log x), as a small standalone SVG."""
    import math

    w, h, m = 560, 340, 60
    sizes = [float(r["documents"]) for r in rows]  # type: ignore[arg-type]
    ys = [float(r["trace"]["p95_ms"]) for r in rows]  # type: ignore[index]
    ymax = max([*ys, 100.0]) * 1.15
    lo, hi = math.log10(min(sizes)) - 0.2, math.log10(max(sizes)) + 0.2

    def pt(x: float, y: float) -> str:
        px = m + (math.log10(x) - lo) / (hi - lo) * (w - 2 * m)
        return f"{px:.1f},{h - m - y / ymax * (h - 2 * m):.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<line x1="{m}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="black"/>',
        f'<line x1="{m}" y1="{m}" x2="{m}" y2="{h - m}" stroke="black"/>',
        f'<text x="{w / 2}" y="{h - 15}" text-anchor="middle">documents in store (log)</text>',
        f'<text x="15" y="{h / 2}" transform="rotate(-90 15 {h / 2})" '
        'text-anchor="middle">trace latency (ms)</text>',
        f'<text x="{w / 2}" y="25" text-anchor="middle">unspin trace latency vs store size</text>',
    ]
    for key, colour in (("median_ms", "#1f77b4"), ("p95_ms", "#d62728")):
        pts = " ".join(pt(s, float(r["trace"][key])) for s, r in zip(sizes, rows, strict=True))  # type: ignore[index]
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for s, r in zip(sizes, rows, strict=True):
            x, y = pt(s, float(r["trace"][key])).split(",")  # type: ignore[index]
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"/>')
        parts.append(
            f'<text x="{w - m - 60}" y="{m + (15 if key == "median_ms" else 30)}" '
            f'fill="{colour}">{key.replace("_ms", "")}</text>'
        )
    for s in sizes:
        x = pt(s, 0).split(",")[0]
        parts.append(f'<text x="{x}" y="{h - m + 15}" text-anchor="middle">{int(s):,}</text>')
    for frac in (0.25, 0.5, 0.75, 1.0):
        tick = ymax / 1.15 * frac
        yy = pt(sizes[0], tick).split(",")[1]
        parts.append(f'<text x="{m - 5}" y="{yy}" text-anchor="end">{tick:.0f}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


def _rows_from_logs(logs: list[Path]) -> list[dict[str, object]]:
    """The size rows printed by earlier runs (one JSON object a line), one per size, sorted."""
    rows: dict[int, dict[str, object]] = {}
    for log in logs:
        for line in log.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line) if line.startswith("{") else {}
            if "documents" in rec and "trace" in rec:
                rows[int(rec["documents"])] = rec
    return [rows[n] for n in sorted(rows)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--workers", type=int, help="fingerprinting workers (default: ingest's)")
    ap.add_argument("--plot", type=Path, default=Path("docs/bench-notes/scale-latency.svg"))
    ap.add_argument("--skip-bm25", action="store_true")
    ap.add_argument("--batch-size", type=int, default=5000, help="ingest batch (documents)")
    ap.add_argument(
        "--workdir",
        type=Path,
        help="keep the store and queries here (default: a temporary folder); a store already "
        "there that holds a size is reused, so later runs time trace only",
    )
    ap.add_argument(
        "--replot",
        type=Path,
        nargs="+",
        metavar="LOG",
        help="only redraw --plot from the row lines (JSON) that earlier runs printed",
    )
    ap.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="trace every query this many times and keep its least time (steadier p95 on "
        "shared cores; 1, the default, is the figure docs/benchmarks.md has always shown)",
    )
    ap.add_argument("--trace-process", nargs=2, metavar=("DB", "QUERIES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.trace_process:
        trace_process(*args.trace_process, repeats=args.repeats)
        return
    if args.replot:
        plot_svg(_rows_from_logs(args.replot), args.plot)
        return
    from unspin.ingest import default_workers, ingest

    workers = default_workers() if args.workers is None else args.workers
    stories = list(iter_reuters(DATA / "reuters21578"))
    qs = queries(stories, args.queries, args.seed)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.workdir or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        db, qfile = tmp / "scale.db", tmp / "queries.json"
        qfile.write_text(json.dumps(qs))
        done, raw, ingest_s = 0, 0, 0.0
        for size in sorted(args.sizes):
            marker = tmp / f"ingested-{size}.json"
            docs: list[Document] = []
            if marker.exists():  # --workdir rerun: the store already holds this size
                row = json.loads(marker.read_text())
                raw = int(float(row["raw_text_mb"]) * 1e6)
                ingest_s = size / float(row["ingest_docs_per_s"])
                print(f"reusing the {size:,} documents stored in {db}", file=sys.stderr)
            else:
                t0 = time.perf_counter()
                docs = list(scale_corpus(stories, size, args.seed))
                gen_s = time.perf_counter() - t0
                chunk = tmp / f"docs-{size}.jsonl"
                raw += _write_jsonl(chunk, docs[done:])
                t0 = time.perf_counter()
                with Store(db) as store:
                    rep = ingest([chunk], store, batch_size=args.batch_size, workers=workers)
                    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    stored = store.count()
                ingest_s += time.perf_counter() - t0
                chunk.unlink()
                row = {
                    "documents": size,
                    "stored": stored,
                    "generate_s": round(gen_s, 1),
                    "ingest_docs_per_s": round(size / ingest_s, 1),
                    "new_read": rep.read,
                    "raw_text_mb": round(raw / 1e6, 1),
                    "store_mb": round(db.stat().st_size / 1e6, 1),
                    "store_over_raw": round(db.stat().st_size / raw, 2),
                }
                marker.write_text(json.dumps(row))
            done = size
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--repeats",
                    str(args.repeats),
                    "--trace-process",
                    str(db),
                    str(qfile),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            row["trace"] = json.loads(out.stdout)
            # The trace figures first, on stderr: BM25 over a large size takes minutes.
            print(json.dumps(row), file=sys.stderr, flush=True)
            if not args.skip_bm25:
                docs = docs or list(scale_corpus(stories, size, args.seed))
                row["bm25"] = bm25_figures(docs, qs)
            rows.append(row)
            print(json.dumps(row), flush=True)
    args.plot.parent.mkdir(parents=True, exist_ok=True)
    plot_svg(rows, args.plot)
    print(json.dumps({"date": date.today().isoformat(), "plot": str(args.plot), "rows": rows}))


if __name__ == "__main__":
    main()
