"""Cold-start timings of the CLI (issue 21 item 6, issue 19 item 6), against a baseline tree.

Run from the repository root:

    .venv/bin/python benchmarks/bench_startup.py [--baseline-src /tmp/base/src] [--runs 5]

Each timed run is a new ``python -m unspin`` process ("cold": a fresh interpreter that imports
everything again; the disk cache is warm and the lexicon caches under ~/.cache/unspin exist,
since one untimed run of each command comes first). Measured, with the default options:

1. ``unspin --help``;
2. ``unspin compare SOURCE TARGET`` of two 5,000-character texts (a Reuters passage from the
   shipped demo corpus and the same passage spun at 15%);
3. ``unspin score ARTICLE`` of a 1,000-word article (demo corpus stories, spun at 15%);
4. in one process, after loading: the CPU time of ``score_text`` on that article (issue 19
   item 6: at most 200 ms), with the library default (``restore=0``) and with the CLI's
   default ``--restore 10``.

For each, the median wall time and the median CPU time (user + system of the child) over
``--runs`` runs. Runs of the two trees alternate so that both see the same load; the
one-minute load average is printed beside every figure, since other jobs stretch wall time
(CPU time much less). The JSON outputs of ``compare --json`` and ``score --json`` from both
trees are hashed (compare's elapsed seconds removed): equal hashes mean the change kept every
score and edit as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "unspin" / "data" / "demo" / "corpus.jsonl"

# Scored in a separate process per tree: the CPU time of score_text after everything loaded.
_AFTER_LOADING = """
import json, statistics, sys, time
from unspin.spin import load_resources, score_text
text = open(sys.argv[1], encoding="utf-8").read()
runs = int(sys.argv[2])
load_resources()
out = {}
for restore in (0, 10):
    score_text(text, restore=restore)  # the first call fills the per-word caches
    cpu = []
    for _ in range(runs):
        t0 = time.process_time()
        score_text(text, restore=restore)
        cpu.append(time.process_time() - t0)
    out[f"restore_{restore}_cpu_ms"] = round(1000 * statistics.median(cpu), 1)
print(json.dumps(out))
"""


def make_inputs(folder: Path) -> dict[str, Path]:
    """The article and the pair, from the demo corpus (spun with the current tree's spinner)."""
    from unspin.spinner import spin

    stories = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    words: list[str] = []
    for story in stories:
        words += story.split()
        if len(words) >= 1000:
            break
    article = " ".join(words[:1000])
    source = " ".join(" ".join(stories[20:]).split())[:5000]
    paths = {
        "article": folder / "article.txt",
        "source": folder / "source.txt",
        "target": folder / "target.txt",
    }
    paths["article"].write_text(spin(article, 0.15, seed=1).text, encoding="utf-8")
    paths["source"].write_text(source, encoding="utf-8")
    paths["target"].write_text(spin(source, 0.15, seed=2).text, encoding="utf-8")
    return paths


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(src: Path, args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and standard output of one ``python -m unspin`` process."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    cpu0, t0 = _child_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "unspin", *args], env=env, capture_output=True, text=True
    )
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu0
    if done.returncode != 0:
        raise SystemExit(f"unspin {' '.join(args)} failed under {src}: {done.stderr.strip()}")
    return wall, cpu, done.stdout


def output_hash(stdout: str) -> str:
    """sha256 of a JSON output without elapsed times (they differ from run to run)."""
    steady = re.sub(r'"seconds": [0-9.eE+-]+', '"seconds": 0', stdout)
    return hashlib.sha256(steady.encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the tree measured")
    parser.add_argument("--baseline-src", type=Path, help="the 'before' tree (e.g. main's src)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    trees = {"after": args.src.resolve()}
    if args.baseline_src:
        trees = {"before": args.baseline_src.resolve(), **trees}
    with tempfile.TemporaryDirectory(prefix="unspin-startup-") as tmp:
        inputs = make_inputs(Path(tmp))
        commands = {
            "help": ["--help"],
            "compare_5kb": ["compare", str(inputs["source"]), str(inputs["target"]), "--json"],
            "score_1000_words": ["score", str(inputs["article"]), "--json"],
        }
        figures: dict[str, dict[str, object]] = {name: {} for name in trees}
        for name, src in trees.items():  # untimed: builds caches, warms the disk cache
            for cmd, argv in commands.items():
                _, _, out = run_once(src, argv)
                figures[name][f"{cmd}_output_sha256"] = output_hash(out) if cmd != "help" else ""
        samples: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for cmd, argv in commands.items():
            for _ in range(args.runs):
                for name, src in trees.items():  # alternate the trees: both see the same load
                    load = os.getloadavg()[0]
                    wall, cpu, _ = run_once(src, argv)
                    samples.setdefault((name, cmd), []).append((wall, cpu, load))
                    print(
                        json.dumps(
                            {
                                "tree": name,
                                "command": cmd,
                                "wall_s": round(wall, 3),
                                "cpu_s": round(cpu, 3),
                                "load_1min": round(load, 2),
                            }
                        ),
                        flush=True,
                    )
        for (name, cmd), runs in samples.items():
            figures[name][cmd] = {
                "wall_s_median": round(statistics.median(r[0] for r in runs), 3),
                "cpu_s_median": round(statistics.median(r[1] for r in runs), 3),
                "load_1min_median": round(statistics.median(r[2] for r in runs), 2),
                "runs": len(runs),
            }
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": str(src)}
            done = subprocess.run(
                [sys.executable, "-c", _AFTER_LOADING, str(inputs["article"]), str(args.runs)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            figures[name]["score_after_loading"] = json.loads(done.stdout)
    figures["meta"] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "trees": {k: str(v) for k, v in trees.items()},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
