"""SHA-256 of what users see from trace, compare, score, cluster and PAN evaluation.

A refactoring must not change any of it. Run this once on the tree before the change and once
after, and compare the two ``SHA256SUMS`` files:

    git archive main | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base/src python scripts/output_hashes.py /tmp/hashes-base
    PYTHONPATH=src python scripts/output_hashes.py /tmp/hashes-branch
    diff /tmp/hashes-base/SHA256SUMS /tmp/hashes-branch/SHA256SUMS

It runs the CLI of whichever ``unspin`` is importable (``python -m unspin``), on inputs copied
into OUT/inputs and named by relative paths, so the reports of two trees name the same files.
Elapsed times are removed from the JSON before hashing (they differ on every run); nothing else
is. The inputs: the demo corpus and its four example articles, PAN 2013 and Clough-Stevenson
pairs from ``../shared/data`` (skipped with a note when that folder is absent), and a
stratified PAN sample of ``--pan-sample`` pairs for the evaluation figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "unspin" / "data" / "demo"
DATA = Path(os.environ.get("UNSPIN_DATA", ROOT.parent / "shared" / "data"))
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
EXAMPLES = ("example-article", "example-noise", "example-spun60", "example-verbatim")
# One pair of every PAN section with reuse, and a copy, a light and a heavy revision from
# Clough and Stevenson (source, target).
PAN_PAIRS = (
    ("02-no-obfuscation", 0),
    ("03-random-obfuscation", 0),
    ("04-translation-obfuscation", 0),
    ("05-summary-obfuscation", 0),
)
CLOUGH_PAIRS = (
    ("orig_taskb.txt", "g0pA_taskb.txt"),  # cut
    ("orig_taskc.txt", "g0pA_taskc.txt"),  # light
    ("orig_taskd.txt", "g0pA_taskd.txt"),  # heavy
    ("orig_taska.txt", "g0pA_taska.txt"),  # non
)
TIME_KEYS = {"elapsed", "ms"}
# "1.23 s" in the terminal and HTML reports' header line.
TIME_TEXT = re.compile(r"\b\d+\.\d+ s\b")


def _strip_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip_times(v)
            for k, v in value.items()
            if k not in TIME_KEYS and "seconds" not in k and "cpu_ms" not in k
        }
    if isinstance(value, list):
        return [_strip_times(v) for v in value]
    return value


def _environment() -> dict[str, str]:
    """This process's environment with each ``PYTHONPATH`` entry made absolute: the runs
    happen in OUT, where ``PYTHONPATH=src`` (as the note above writes it) named no folder, so
    up to robust32 they quietly ran whichever unspin the Python installation has, and two
    trees compared equal whatever their code."""
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths)
    return env


def _run(out: Path, name: str, args: list[str], *, json_out: bool = True) -> None:
    """Run ``python -m unspin ARGS`` in OUT and keep its stdout as OUT/results/NAME."""
    done = subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        env=_environment(),
    )
    if done.returncode != 0:
        raise SystemExit(f"unspin {' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    text = done.stdout
    if json_out:
        text = json.dumps(_strip_times(json.loads(text)), indent=1, sort_keys=True) + "\n"
    else:
        text = TIME_TEXT.sub("<time> s", text)
    (out / "results" / name).write_text(text, encoding="utf-8")
    print(f"{name}: unspin {' '.join(args)}", flush=True)


def _copy_inputs(out: Path) -> tuple[list[tuple[str, str, str]], bool]:
    """Inputs into OUT/inputs; returns the compare pairs (name, source, target) and whether
    the shared data was there."""
    inputs = out / "inputs"
    inputs.mkdir(parents=True)
    shutil.copy(DEMO / "corpus.jsonl", inputs / "corpus.jsonl")
    for name in EXAMPLES:
        shutil.copy(DEMO / f"{name}.txt", inputs / f"{name}.txt")
    pairs = [("demo-verbatim", "inputs/example-article.txt", "inputs/example-verbatim.txt")]
    if not DATA.is_dir():
        print(f"{DATA}: absent, PAN and Clough pairs skipped", flush=True)
        return pairs, False
    pan = DATA / "pan13-train"
    for section, row in PAN_PAIRS:
        susp, src = (pan / section / "pairs").read_text().splitlines()[row].split()
        shutil.copy(pan / "src" / src, inputs / src)
        shutil.copy(pan / "susp" / susp, inputs / susp)
        pairs.append((f"pan-{section[:2]}", f"inputs/{src}", f"inputs/{susp}"))
    clough = DATA / "clough-stevenson"
    for src, tgt in CLOUGH_PAIRS:
        for name in (src, tgt):
            shutil.copy(clough / name, inputs / name)
        pairs.append((f"clough-{tgt[:-4]}", f"inputs/{src}", f"inputs/{tgt}"))
    return pairs, True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="empty or missing folder for the outputs")
    parser.add_argument("--pan-sample", type=int, default=20, help="PAN pairs to evaluate")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: not empty; give an empty or missing folder")
    out.mkdir(parents=True, exist_ok=True)
    (out / "results").mkdir()
    pairs, have_data = _copy_inputs(out)
    db = ["--db", "demo.db"]
    _run(out, "../ingest.log", ["ingest", "inputs/corpus.jsonl", *db], json_out=False)
    for name in EXAMPLES:
        _run(out, f"trace-{name}.json", ["trace", f"inputs/{name}.txt", *db, "--json"])
        _run(out, f"trace-{name}.txt", ["trace", f"inputs/{name}.txt", *db], json_out=False)
    _run(out, "trace-example-article.html.log", ["trace", "inputs/example-article.txt", *db,
         "--html", "results/trace-example-article.html"], json_out=False)  # fmt: skip
    for name, src, tgt in pairs:
        _run(out, f"compare-{name}.json", ["compare", src, tgt, "--json"])
    _run(out, "compare-demo-spun60-restore.json", ["compare", "inputs/example-article.txt",
         "inputs/example-spun60.txt", "--json", "--restore"])  # fmt: skip
    _run(out, "compare-demo-noise.html.log", ["compare", "inputs/example-article.txt",
         "inputs/example-noise.txt", "--html", "results/compare-demo-noise.html"],
         json_out=False)  # fmt: skip
    _run(out, "compare-demo-spun60-restore.html.log", ["compare", "inputs/example-article.txt",
         "inputs/example-spun60.txt", "--restore", "--html",
         "results/compare-demo-spun60-restore.html"], json_out=False)  # fmt: skip
    score_inputs = ["inputs/example-spun60.txt", "inputs/example-article.txt"]
    _run(out, "score-lexical.json", ["score", *score_inputs, "--model", "lexical", "--json"])
    _run(out, "score-lexical.html.log", ["score", *score_inputs, "--model", "lexical", "--html",
         "results/score-lexical.html"], json_out=False)  # fmt: skip
    _run(out, "cluster.json", ["cluster", *db, "--out", "clusters", "--json"])
    for name in ("clusters.jsonl", "site_graph.csv", "site_graph.graphml", "report.html"):
        shutil.copy(out / "clusters" / name, out / "results" / f"cluster-{name}")
    if have_data and args.pan_sample:
        pan_args = ["eval", "pan", str(DATA / "pan13-train"), "--sample", str(args.pan_sample)]
        _run(out, "eval-pan.json", [*pan_args, "--workers", "1", "--json"])
    for path in (out / "results").glob("*.html"):  # written by unspin, times not yet removed
        path.write_text(TIME_TEXT.sub("<time> s", path.read_text(encoding="utf-8")), "utf-8")
    sums = []
    for path in sorted((out / "results").iterdir()):
        sums.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    print("\n".join(sums))


if __name__ == "__main__":
    main()
