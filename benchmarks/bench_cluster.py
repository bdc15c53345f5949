"""Corpus-wide clustering benchmark (issue 7): local engine, Spark local mode, MinHash LSH.

Run from the repository root (takes several minutes; run it in the background):

    .venv/bin/python benchmarks/bench_cluster.py [--fractions 0.1,0.25,0.5,1.0] [--out DIR]

For each fraction of Reuters-21578 (the first N stories in file order, about time order) each
engine runs in its own process; wall time and peak memory (summed RSS of the process tree:
Python, the JVM and Spark's Python workers) are measured. Then, on the full corpus:

* 20 clusters sampled with a fixed seed are written to ``DIR/sample.txt`` for reading;
* datasketch MinHash LSH near-duplicate clustering (``baselines.MinHashLSHBaseline``) runs on
  the same documents; the reuse pairs unspin found are split into found / missed by MinHash,
  and the missed ones are described (partial: under half of the later story reused);
* a controlled check: 100 spun (40% synonyms) and 100 partial (spliced) copies of stories of
  the first fraction are added with later dates, and both methods are scored on finding
  each copy's original.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import MinHashLSHBaseline

from unspin.cluster.kernels import ClusterConfig, DocRecord
from unspin.datasets.reuters import iter_reuters
from unspin.errors import require
from unspin.generators.article_spinner import spin, splice

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "reuters21578"


def reuters_records() -> list[DocRecord]:
    return [
        DocRecord(key=k, id=d.id, site=d.site, date=d.date, text=d.text)
        for k, d in enumerate(iter_reuters(DATA), start=1)
    ]


def _write_docs(docs: list[DocRecord], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")


# -- one engine run in a child process, measured from outside ------------------------------
def _child(engine: str, docs_file: str, out: str) -> None:
    from unspin.cluster.files import jsonl_documents
    from unspin.cluster.local import run_local
    from unspin.cluster.spark import run_spark

    if engine == "local":
        run = run_local(jsonl_documents(docs_file), out, ClusterConfig())
    else:
        run = run_spark(out, ClusterConfig(), source=docs_file, master="local[2]")
    print(json.dumps(run.to_dict()))


def measured(engine: str, docs_file: Path, out: Path) -> dict[str, Any]:
    psutil: Any = require("psutil", "bench", "peak-memory measurement")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", engine, str(docs_file), str(out)],
        stdout=subprocess.PIPE,
        stderr=(out.parent / f"{out.name}.stderr").open("w"),
        text=True,
    )
    top = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = top.memory_info().rss + sum(
                c.memory_info().rss for c in top.children(recursive=True)
            )
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.25)
    seconds = time.perf_counter() - t0
    out_text = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"{engine} run failed ({proc.returncode}): {out_text[-2000:]}")
    run = json.loads(out_text.strip().splitlines()[-1])
    return {**run, "engine": engine, "wall_s": round(seconds, 1), "peak_mb": peak // 2**20}


# -- reading a sample, MinHash comparison -------------------------------------------------
def sample_text(clusters_file: Path, n: int = 20, seed: int = 7) -> str:
    clusters = [json.loads(line) for line in clusters_file.read_text().splitlines()]
    chosen = sorted(random.Random(seed).sample(range(len(clusters)), min(n, len(clusters))))
    parts = []
    for i in chosen:
        c = clusters[i]
        parts.append(f"=== {c['cluster']} size {c['size']} origin {c['origin']['id']}")
        for m in c["members"][:4]:
            cov = m["coverage"]
            parts.append(f"  [{m['rank']}] {m['id']} {m['date']} cov={cov} edits={m['edits']}")
            parts.append("      " + " ".join(m["excerpt"].split())[:150])
    return "\n".join(parts) + "\n"


def _uf_pairs(clusters_file: Path) -> set[tuple[str, str]]:
    """(origin id, member id) pairs of unspin's clusters: what a lineage claims."""
    pairs = set()
    for line in clusters_file.read_text().splitlines():
        c = json.loads(line)
        for m in c["members"]:
            for src in m["took_from"]:
                if src != m["id"]:
                    pairs.add((src, m["id"]))
    return pairs


def minhash_pairs(docs: list[DocRecord]) -> tuple[set[frozenset[str]], float, int]:
    """Near-duplicate pairs by MinHash LSH (threshold 0.3), clusters by union of pairs."""
    t0 = time.perf_counter()
    index = MinHashLSHBaseline()
    index.add_many((d["id"], d["text"]) for d in docs)
    pairs: set[frozenset[str]] = set()
    for d in docs:
        for other in index.query(d["text"], k=50):
            if other != d["id"]:
                pairs.add(frozenset((d["id"], other)))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        a, b = sorted(p)
        parent[find(b)] = find(a)
    n_clusters = len({find(x) for x in parent})
    return pairs, time.perf_counter() - t0, n_clusters


def compare_minhash(docs: list[DocRecord], out: Path, passages_file: Path) -> dict[str, Any]:
    by_key = {d["key"]: d for d in docs}
    mh, secs, mh_clusters = minhash_pairs(docs)
    found: dict[frozenset[str], int] = {}
    covered: dict[frozenset[str], int] = {}
    for line in passages_file.read_text().splitlines():
        p = json.loads(line)
        pair = frozenset((by_key[p["source"]]["id"], by_key[p["target"]]["id"]))
        found[pair] = p["target"]
        covered[pair] = covered.get(pair, 0) + p["target_end"] - p["target_start"]
    missed = [p for p in found if p not in mh]
    partial = sum(1 for p in missed if covered[p] < 0.5 * len(by_key[found[p]]["text"]))
    return {
        "minhash_seconds": round(secs, 1),
        "minhash_pairs": len(mh),
        "minhash_clusters": mh_clusters,
        "unspin_pairs": len(found),
        "unspin_pairs_minhash_also_finds": len(found) - len(missed),
        "unspin_pairs_minhash_misses": len(missed),
        "missed_partial_under_half": partial,
        "minhash_pairs_unspin_misses": len([p for p in mh if p not in found]),
    }


def controlled(docs: list[DocRecord], workdir: Path) -> dict[str, Any]:
    """Spun and partial copies with known originals: who finds them?"""
    from unspin.cluster.local import run_local

    rng = random.Random(11)
    long = [d for d in docs if len(d["text"]) > 1200 and d["date"]]
    picked = rng.sample(long, 200)
    key = max(d["key"] for d in docs)
    extra: list[DocRecord] = []
    truth: dict[str, str] = {}
    for i, d in enumerate(picked):
        later = (date.fromisoformat(d["date"]) + timedelta(days=400)).isoformat()
        if i < 100:
            text, kind = spin(d["text"], rate=0.4, seed=i).text, "spun"
        else:
            filler = rng.choice(long)["text"]
            text, kind = splice(d["text"], filler, seed=i, runs=2).text, "partial"
        key += 1
        doc_id = f"{kind}-{i}"
        extra.append(DocRecord(key=key, id=doc_id, site="copier.example", date=later, text=text))
        truth[doc_id] = d["id"]
    corpus = docs + extra
    run_local(corpus, workdir / "controlled", ClusterConfig(label_edits=False))
    pairs = _uf_pairs(workdir / "controlled" / "clusters.jsonl")
    mh, _, _ = minhash_pairs(corpus)
    result: dict[str, Any] = {}
    for kind in ("spun", "partial"):
        ids = [c for c in truth if c.startswith(kind)]
        result[kind] = {
            "copies": len(ids),
            "unspin_found": sum(1 for c in ids if (truth[c], c) in pairs),
            "minhash_found": sum(1 for c in ids if frozenset((truth[c], c)) in mh),
        }
    return result


def growth(docs: list[DocRecord], fractions: list[float]) -> list[dict[str, Any]]:
    """How the shuffles of stages 1-2 grow with the corpus (for docs/scaling.md)."""
    from collections import Counter

    from unspin.cluster.kernels import candidate_pairs, df_cap, doc_features

    cfg = ClusterConfig()
    feats = [(d["key"], doc_features(d["text"])) for d in docs]
    rows = []
    for frac in fractions:
        part = feats[: int(len(feats) * frac)]
        df: Counter[int] = Counter(f for _, fs in part for f in fs)
        cap = df_cap(len(part), cfg)
        kept = [n for n in df.values() if 2 <= n <= cap]
        rows.append(
            {
                "fraction": frac,
                "documents": len(part),
                "feature_rows": sum(df.values()),
                "distinct_features": len(df),
                "features_over_cap": sum(1 for n in df.values() if n > cap),
                "pair_emissions": sum(n * (n - 1) // 2 for n in kept),
                "candidate_pairs": len(candidate_pairs(part, cap, cfg.min_shared)),
                "text_bytes": sum(len(d["text"].encode()) for d in docs[: len(part)]),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fractions", default="0.1,0.25,0.5,1.0")
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--out", default=None, help="keep outputs here (default: a temp folder)")
    ap.add_argument("--growth", action="store_true", help="only measure shuffle growth")
    args = ap.parse_args()
    docs = reuters_records()
    if args.growth:
        for row in growth(docs, [float(f) for f in args.fractions.split(",")]):
            print(json.dumps(row), flush=True)
        return
    keep = Path(args.out) if args.out else None
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for frac in (float(f) for f in args.fractions.split(",")):
            part = docs[: int(len(docs) * frac)]
            docs_file = work / f"docs-{frac}.jsonl"
            _write_docs(part, docs_file)
            for engine in args.engines.split(","):
                row = measured(engine, docs_file, work / f"{engine}-{frac}")
                row["fraction"] = frac
                rows.append(row)
                print(json.dumps(row), flush=True)
            outs = [work / f"{e}-{frac}" / "clusters.jsonl" for e in args.engines.split(",")]
            same = len({o.read_bytes() for o in outs}) == 1
            print(json.dumps({"fraction": frac, "engines_identical": same}), flush=True)
        full = work / "local-1.0"
        if (full / "clusters.jsonl").exists():
            (work / "sample.txt").write_text(sample_text(full / "clusters.jsonl"))
            cmp = compare_minhash(docs, work, full / "stages" / "local" / "passages.jsonl")
            print(json.dumps({"minhash_comparison": cmp}), flush=True)
        ctrl = controlled(docs[: len(docs) // 10], work)
        print(json.dumps({"controlled_copies": ctrl}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
