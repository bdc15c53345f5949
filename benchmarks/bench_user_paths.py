"""CPU time of the main user paths on real data, two source trees side by side (speed round).

Run from the repository root (about 10 minutes at the defaults on a shared 2-core machine):

    .venv/bin/python benchmarks/bench_user_paths.py --baseline-src /tmp/base/src [--runs 3]
        [--only ingest_reuters,trace_pan] [--reuters 4000] [--pan-sources 600] [--traces 5]

Each timed run is a new ``python -m unspin`` process per command (cold: a fresh interpreter;
the lexicon caches under ~/.cache/unspin exist, since one untimed run of every command per
tree comes first), the CPU time of the child and its workers (``RUSAGE_CHILDREN``), with
one maths thread. Trees alternate run by run, so that both see the same load. Commands:

1. ``ingest_reuters``: the first ``--reuters`` Reuters-21578 stories (JSON Lines) into a new
   store, default options (two fingerprinting workers); ``reingest_reuters``: the same
   stories again into a copy of a store that holds them (a resumed or repeated ingest:
   every record is already stored);
2. ``ingest_pan``: the first ``--pan-sources`` PAN 2013 source documents (a folder of .txt
   files) into a new store;
3. ``trace_pan``: ``trace --json`` of the first ``--traces`` PAN suspicious documents whose
   listed sources are among those stored, against the PAN store, one process each (the
   figure is their sum);
4. ``trace_pan_unsourced``: the same of the first ``--traces`` suspicious documents of the
   section 01-no-plagiarism (they took nothing, so trace finds no source and checks the
   article's language against the store's);
5. ``compare_pan``: ``compare --json`` of the first pair of 3., and ``compare_pan_unrelated``
   of the first pair of 4. (texts that share nothing: their languages are compared);
6. ``score_reuters``: ``score --json`` of a 1,000-word text made of Reuters stories;
7. ``cluster_reuters``: ``cluster --json`` of the Reuters store (edits on);
8. ``align_pan``: ``eval pan --json --workers 1`` of a stratified sample of ``--align-pairs``
   (500) PAN 2013 pairs: alignment alone, and PAN's measures, which must stay the same.

Outputs are hashed per tree: the stores row by row (ingest times removed), the JSON outputs
(elapsed seconds removed) and ``clusters.jsonl``; equal hashes mean the same output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import _child_cpu, report

ROOT = Path(__file__).resolve().parents[1]
_ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
# Columns that hold the time of the run, not its output.
_CLOCK_COLUMNS = {"ingested_at", "committed_at"}


def run(src: Path, argv: list[str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, stdout) of one ``python -m unspin`` process of tree ``src``."""
    env = {**_ONE_THREAD, **os.environ, "PYTHONPATH": str(src)}
    cpu0, t0 = _child_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "unspin", *argv], env=env, capture_output=True, text=True
    )
    cpu, wall = _child_cpu() - cpu0, time.perf_counter() - t0
    if done.returncode not in (0, 1):  # 1: some input failed (PAN has two binary files)
        raise SystemExit(f"unspin {' '.join(argv)} failed under {src}: {done.stderr.strip()}")
    return cpu, wall, done.stdout


def steady(stdout: str) -> str:
    """A JSON output without elapsed seconds, CPU times and the run's temporary paths."""
    text = re.sub(r'"seconds": (\{[^}]*\}|[0-9.eE+-]+)', '"seconds": 0', stdout)
    text = re.sub(r'"(\w*seconds\w*|cpu_ms\w*)": [0-9.eE+-]+', r'"\1": 0', text)  # eval's
    return re.sub(r"/tmp/unspin-paths-[^/\"]+/", "TMP/", text)


def store_hash(db: Path) -> str:
    """sha256 over every table's rows in key order, without the clock columns."""
    h = hashlib.sha256()
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(tables):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in cols if c not in _CLOCK_COLUMNS]
            h.update(f"{table}:{','.join(keep)}\n".encode())
            order = ",".join(keep)
            for row in conn.execute(f"SELECT {order} FROM {table} ORDER BY {order}"):
                h.update(repr(row).encode())
    finally:
        conn.close()
    return h.hexdigest()[:16]


def make_inputs(folder: Path, args: argparse.Namespace) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    from unspin.datasets.reuters import iter_reuters

    stories = []
    for i, d in enumerate(iter_reuters(args.data / "reuters21578")):
        if i >= args.reuters:
            break
        stories.append(d)
    reuters = folder / "reuters.jsonl"
    with reuters.open("w", encoding="utf-8") as f:
        for d in stories:
            f.write(json.dumps({"id": d.id, "title": d.title, "date": d.date, "text": d.text}))
            f.write("\n")
    words: list[str] = []
    for d in stories[100:]:
        words += d.text.split()
        if len(words) >= 1000:
            break
    article = folder / "article.txt"
    article.write_text(" ".join(words[:1000]), encoding="utf-8")
    pan = args.data / "pan13-train"
    sources = sorted((pan / "src").iterdir())[: args.pan_sources]
    folder_src = folder / "pan-src"
    folder_src.mkdir()
    for p in sources:
        (folder_src / p.name).symlink_to(p)
    stored = {p.name for p in sources}
    pairs = []
    for line in (pan / "02-no-obfuscation" / "pairs").read_text().split("\n"):
        if line.strip():
            susp, src = line.split()
            if src in stored and susp not in {s for s, _ in pairs}:
                pairs.append((susp, src))
    pairs = pairs[: args.traces]
    unrelated = []  # pairs of 01-no-plagiarism: the suspicious document took nothing
    for line in (pan / "01-no-plagiarism" / "pairs").read_text().split("\n"):
        if line.strip() and len(unrelated) < args.traces:
            susp, src = line.split()
            if susp not in {s for s, _ in unrelated}:
                unrelated.append((susp, src))
    return {
        "unrelated": [(pan / "susp" / s, pan / "src" / r) for s, r in unrelated],
        "reuters": reuters,
        "article": article,
        "pan_src": folder_src,
        "pairs": [(pan / "susp" / s, pan / "src" / r) for s, r in pairs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the tree measured")
    parser.add_argument("--baseline-src", type=Path, help="the 'before' tree (main's src)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--only", help="comma-separated command names (see the docstring)")
    parser.add_argument("--reuters", type=int, default=4000, help="Reuters stories stored")
    parser.add_argument("--pan-sources", type=int, default=600, help="PAN sources stored")
    parser.add_argument("--traces", type=int, default=5, help="PAN suspicious documents traced")
    parser.add_argument("--align-pairs", type=int, default=500, help="PAN pairs aligned")
    parser.add_argument(
        "--data", type=Path, default=ROOT / ".." / "shared" / "data", help="the shared data"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    trees = {"after": args.src.resolve()}
    if args.baseline_src:
        trees = {"before": args.baseline_src.resolve(), **trees}
    with tempfile.TemporaryDirectory(prefix="unspin-paths-") as tmp_name:
        tmp = Path(tmp_name)
        inputs = make_inputs(tmp, args)
        pairs: list[tuple[Path, Path]] = inputs["pairs"]  # type: ignore[assignment]

        def ingest(name: str, what: str, path: object) -> tuple[float, float, str]:
            db = tmp / f"{what}-{name}.db"
            for side in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                side.unlink(missing_ok=True)
            cpu, wall, _ = run(trees[name], ["ingest", "--db", str(db), "-q", str(path)])
            return cpu, wall, store_hash(db)

        unrelated: list[tuple[Path, Path]] = inputs["unrelated"]  # type: ignore[assignment]

        def reingest(name: str) -> tuple[float, float, str]:
            db = tmp / f"again-{name}.db"
            for suffix in ("", "-wal", "-shm"):  # a copy of the stored Reuters stories
                held = tmp / f"reuters-before.db{suffix}"
                copy = db.with_name(db.name + suffix)
                copy.unlink(missing_ok=True)
                if held.exists():
                    shutil.copyfile(held, copy)
            cpu, wall, _ = run(
                trees[name], ["ingest", "--db", str(db), "-q", str(inputs["reuters"])]
            )
            return cpu, wall, store_hash(db)

        def trace(name: str, which: list[tuple[Path, Path]]) -> tuple[float, float, str]:
            cpu = wall = 0.0
            h = hashlib.sha256()
            db = str(tmp / "pan-before.db")  # every tree traces against one store
            for susp, _ in which:
                c, w, out = run(trees[name], ["trace", "--db", db, "--json", str(susp)])
                cpu, wall = cpu + c, wall + w
                h.update(steady(out).encode())
            return cpu, wall, h.hexdigest()[:16]

        def plain(name: str, argv: list[str]) -> tuple[float, float, str]:
            cpu, wall, out = run(trees[name], argv)
            return cpu, wall, hashlib.sha256(steady(out).encode()).hexdigest()[:16]

        eval_ms: dict[str, list[float]] = {name: [] for name in trees}

        def align(name: str) -> tuple[float, float, str]:
            argv = ["eval", "pan", str(args.data / "pan13-train"), "--json", "--workers", "1"]
            cpu, wall, out = run(trees[name], [*argv, "--sample", str(args.align_pairs)])
            # eval's own CPU time per pair (the loading and start-up left out)
            eval_ms[name].append(json.loads(out)["cpu_ms_per_pair_mean"])
            return cpu, wall, hashlib.sha256(steady(out).encode()).hexdigest()[:16]

        def cluster(name: str) -> tuple[float, float, str]:
            out = tmp / f"clusters-{name}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            db = str(tmp / "reuters-before.db")
            cpu, wall, _ = run(trees[name], ["cluster", "--db", db, "--out", str(out), "--json"])
            data = (out / "clusters.jsonl").read_bytes()
            return cpu, wall, hashlib.sha256(data).hexdigest()[:16]

        commands = {
            "ingest_reuters": lambda n: ingest(n, "reuters", inputs["reuters"]),
            "ingest_pan": lambda n: ingest(n, "pan", inputs["pan_src"]),
            "reingest_reuters": reingest,
            "trace_pan": lambda n: trace(n, pairs),
            "trace_pan_unsourced": lambda n: trace(n, unrelated),
            "compare_pan": lambda n: plain(
                n, ["compare", "--json", str(pairs[0][1]), str(pairs[0][0])]
            ),
            "compare_pan_unrelated": lambda n: plain(
                n, ["compare", "--json", str(unrelated[0][1]), str(unrelated[0][0])]
            ),
            "score_reuters": lambda n: plain(n, ["score", "--json", str(inputs["article"])]),
            "cluster_reuters": cluster,
            "align_pan": align,
        }
        wanted = args.only.split(",") if args.only else list(commands)
        # The stores trace and cluster read are made first (untimed) by the baseline tree.
        first = next(iter(trees))
        for what, path, reader in (
            ("reuters", inputs["reuters"], "cluster_reuters"),
            ("reuters", inputs["reuters"], "reingest_reuters"),
            ("pan", inputs["pan_src"], "trace_pan"),
            ("pan", inputs["pan_src"], "trace_pan_unsourced"),
        ):
            if reader in wanted and not (tmp / f"{what}-before.db").exists():
                ingest(first, what, path)
                if first != "before":
                    os.replace(tmp / f"{what}-{first}.db", tmp / f"{what}-before.db")
        figures: dict[str, object] = {}
        for cmd in wanted:
            hashes = {name: commands[cmd](name)[2] for name in trees}  # untimed first run
            samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in trees}
            for _ in range(args.runs):
                for name in trees:
                    load = os.getloadavg()[0]
                    cpu, wall, digest = commands[cmd](name)
                    if digest != hashes[name]:
                        hashes[name] += f" then {digest}"
                    samples[name].append((cpu, wall, load))
                    line = {"command": cmd, "tree": name, "cpu_s": round(cpu, 3)}
                    print(json.dumps({**line, "wall_s": round(wall, 3), "load": load}), flush=True)
            figures[cmd] = {
                name: {
                    "cpu_s_median": round(statistics.median(s[0] for s in runs), 3),
                    "cpu_s_runs": [round(s[0], 3) for s in runs],
                    "wall_s_median": round(statistics.median(s[1] for s in runs), 3),
                    "load_1min_median": round(statistics.median(s[2] for s in runs), 2),
                    "output_sha256": hashes[name],
                }
                for name, runs in samples.items()
            }
            if cmd == "align_pan":  # the untimed first run's figure left out
                for name in trees:
                    figures[cmd][name]["eval_cpu_ms_per_pair_mean_runs"] = eval_ms[name][1:]
    report(figures, trees, args.json)


if __name__ == "__main__":
    main()
