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
   with ``--more``, also ``score --model lexical`` of it and ``trace --json`` of the demo
   article (as shipped, and with "hpv16" and "123456" put in) against the demo corpus;
4. in one process, after loading: the CPU time of ``score_text`` on that article (issue 19
   item 6: at most 200 ms), with the library default (``restore=0``) and with the CLI's
   default ``--restore 10``, and (``restore=0``) once on each of five other 1,000-word
   articles the process has not scored before.

For each, the median wall time and the median CPU time (user + system of the child) over
``--runs`` runs. Two optional checks that the faster path scores as before:

5. ``--agreement``: the contextual model's spin probability from both trees on a fixed sample
   (every demo-corpus story, 200 held-apart Reuters paragraphs spun at 0-30%, 150 QuillBot
   originals and paraphrases from ``realspin/quillbot-dev.jsonl``): the largest change per
   group and every verdict that crosses 0.5;
6. ``--restoration N``: ``score --restore 10`` on N held-apart Reuters paragraphs spun at 20%
   (the measured tree only): top-3 of the suggestions on spans that sit on a swap, reading the
   shortlisted candidates exactly (the default) against reading all of them exactly. Runs of the two trees alternate so that both see the same load; the
one-minute load average is printed beside every figure, since other jobs stretch wall time
(CPU time much less). The JSON outputs of ``compare --json`` and ``score --json`` from both
trees are hashed (compare's elapsed seconds removed): equal hashes mean the change kept every
score and edit as it was. Children run with one maths thread (``OMP_NUM_THREADS=1`` and its
kin) unless the environment sets another number.
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

# Scored in a separate process per tree: the CPU time of score_text after everything loaded,
# on the article again and again (after one untimed call), and once on each of several other
# articles the process has not seen (caches of per-word lookups hold only what the article
# before them filled, as in a server that meets new texts).
_AFTER_LOADING = """
import json, statistics, sys, time
try:  # a baseline tree from before the layout change has unspin.spin
    from unspin.spinscore.score import load_resources, score_text
except ImportError:
    from unspin.spin import load_resources, score_text  # type: ignore[no-redef]
text = open(sys.argv[1], encoding="utf-8").read()
runs = int(sys.argv[2])
fresh = [open(p, encoding="utf-8").read() for p in sys.argv[3:]]
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
cpu = []
for other in fresh:
    t0 = time.process_time()
    score_text(other)
    cpu.append(time.process_time() - t0)
out["restore_0_new_articles_cpu_ms"] = [round(1000 * c, 1) for c in cpu]
out["restore_0_new_articles_cpu_ms_median"] = round(1000 * statistics.median(cpu), 1)
print(json.dumps(out))
"""


# Spin probabilities of a fixed sample (contextual model), printed as JSON: run in each tree.
_AGREEMENT = """
import json, random, sys
try:  # a baseline tree from before the layout change has unspin.spin
    from unspin.spinscore.score import score_text
except ImportError:
    from unspin.spin import score_text  # type: ignore[no-redef]
from unspin.generators.article_spinner import spin
from unspin.generators.spin_corpus import HELD_APART_FILES, paragraphs
demo, data = sys.argv[1], sys.argv[2]
texts = [(f"demo-{i}", json.loads(line)["text"]) for i, line in enumerate(open(demo, encoding="utf-8"))]
for i, p in enumerate(list(paragraphs(data + "/reuters21578", HELD_APART_FILES))[:200]):
    rate = (0.0, 0.1, 0.2, 0.3)[i % 4]
    texts.append((f"reuters-{i}-{rate}", spin(p, rate, seed=i).text if rate else p))
rows = [json.loads(line) for line in open(data + "/realspin/quillbot-dev.jsonl", encoding="utf-8")]
random.Random(0).shuffle(rows)
for r in rows[:150]:
    texts.append((r["id"] + "-original", " ".join(r["original"].split())))
    texts.append((r["id"] + "-quillbot", " ".join(r["spun"].split())))
print(json.dumps({name: score_text(t, "contextual").probability for name, t in texts}))
"""

# score --restore 10 suggestions against the spinner's originals, shortlist against all exact.
_RESTORATION = """
import json, sys, time
from pathlib import Path
try:  # a baseline tree from before the layout change has unspin.spin
    from unspin.spinscore.score import score_text
except ImportError:
    from unspin.spin import score_text  # type: ignore[no-redef]
from unspin.generators.article_spinner import spin
from unspin.spinscore import restorer
sys.path.insert(0, sys.argv[3])
from bench_spin import held_apart_texts
n, data = int(sys.argv[1]), Path(sys.argv[2])
texts = [t for _, t in held_apart_texts(data / "reuters21578", 800, "spread")][:n]
spun = [spin(t, 0.2, seed=1000 + i) for i, t in enumerate(texts)]
out = {}
for name, shortlist in (("shortlist", restorer.SHORTLIST), ("all_exact", restorer.KEEP)):
    restorer.SHORTLIST = shortlist
    hits, cpu = [], 0.0
    for s in spun:
        truth = {(r.target_start, r.target_end): r.original.lower() for r in s.replacements}
        t0 = time.process_time()
        spans = score_text(s.text, "contextual", restore=10).spans
        cpu += time.process_time() - t0
        hits += [truth[x.start, x.end] in x.suggestions for x in spans if (x.start, x.end) in truth]
    out[name] = {"spans_on_swaps": len(hits), "top3": round(sum(hits) / max(len(hits), 1), 3),
                 "cpu_s_per_text": round(cpu / len(spun), 3), "shortlist": shortlist}
print(json.dumps(out))
"""


def _article(stories: list[str], first: int) -> tuple[str, int]:
    """The first 1,000 words of the stories from ``first`` on, and the story after them."""
    words: list[str] = []
    k = first
    while len(words) < 1000 and k < len(stories):
        words += stories[k].split()
        k += 1
    return " ".join(words[:1000]), k


# Other 1,000-word articles timed once each after loading (new texts for the process).
FRESH_ARTICLES = 5


def make_inputs(folder: Path) -> dict[str, Path]:
    """The article and the pair, from the demo corpus (spun with the current tree's spinner),
    and :data:`FRESH_ARTICLES` other articles from later stories (``fresh-N``)."""
    from unspin.generators.article_spinner import spin

    stories = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    article, _ = _article(stories, 0)
    source = " ".join(" ".join(stories[20:]).split())[:5000]
    paths = {
        "article": folder / "article.txt",
        "source": folder / "source.txt",
        "target": folder / "target.txt",
    }
    paths["article"].write_text(spin(article, 0.15, seed=1).text, encoding="utf-8")
    paths["source"].write_text(source, encoding="utf-8")
    paths["target"].write_text(spin(source, 0.15, seed=2).text, encoding="utf-8")
    first = 100  # well past the stories of the article and the pair
    for n in range(FRESH_ARTICLES):
        other, first = _article(stories, first)
        paths[f"fresh-{n}"] = folder / f"fresh-{n}.txt"
        paths[f"fresh-{n}"].write_text(spin(other, 0.15, seed=10 + n).text, encoding="utf-8")
    return paths


def more_commands(folder: Path, inputs: dict[str, Path], src: Path) -> dict[str, list[str]]:
    """``--more``: ``score --model lexical`` of the article, and ``trace --json`` of the demo
    article against the demo corpus (stored here by the tree ``src``) as it ships and with
    "hpv16" and "123456" put in: words with digits that wordfreq alone used to answer."""
    store = folder / "demo.db"
    corpus = ROOT / "src" / "unspin" / "data" / "demo"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "unspin",
            "ingest",
            str(corpus / "corpus.jsonl"),
            "--db",
            str(store),
        ],
        env=tree_env(src),
        capture_output=True,
        check=True,
    )
    words = (corpus / "example-article.txt").read_text(encoding="utf-8").split(" ")
    words[20:20] = ["hpv16"]
    words[60:60] = ["123456"]
    mixed = folder / "article-digits.txt"
    mixed.write_text(" ".join(words), encoding="utf-8")
    trace = ["trace", "--db", str(store), "--json"]
    return {
        "score_1000_words_lexical": [
            "score",
            str(inputs["article"]),
            "--json",
            "--model",
            "lexical",
        ],
        "trace_demo_article": [*trace, str(corpus / "example-article.txt")],
        "trace_demo_article_with_digits": [*trace, str(mixed)],
    }


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# One thread for the maths libraries unless the caller says otherwise: with a thread per core,
# CPU time counts threads spinning while they wait for each other (a busy machine read 299 ms
# where one thread took 186 ms for the same code, benchmarks.md 17.8), which is load, not code.
_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def tree_env(src: Path) -> dict[str, str]:
    """The environment of a child process that runs the tree ``src``."""
    return {**_ONE_THREAD, **os.environ, "PYTHONPATH": str(src)}


def run_once(src: Path, args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and standard output of one ``python -m unspin`` process."""
    env = tree_env(src)
    cpu0, t0 = _child_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "unspin", *args], env=env, capture_output=True, text=True
    )
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu0
    if done.returncode != 0:
        raise SystemExit(f"unspin {' '.join(args)} failed under {src}: {done.stderr.strip()}")
    return wall, cpu, done.stdout


def output_hash(stdout: str, workdir: Path) -> str:
    """sha256 of a JSON output without elapsed times or the run's temporary folder.

    Both differ from run to run: the inputs are written to a new temporary folder each run and
    the outputs name their files, so without this main's hash changed between runs.
    """
    steady = re.sub(r'"seconds": [0-9.eE+-]+', '"seconds": 0', stdout)
    steady = steady.replace(json.dumps(str(workdir))[1:-1], "TMP")
    return hashlib.sha256(steady.encode()).hexdigest()[:16]


def agreement(trees: dict[str, Path], data: Path) -> dict[str, object]:
    """Largest probability change per group of the sample, and verdicts that cross 0.5."""
    scored = {}
    for name, src in trees.items():
        env = tree_env(src)
        done = subprocess.run(
            [sys.executable, "-c", _AGREEMENT, str(DEMO), str(data)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        scored[name] = json.loads(done.stdout)
    before, after = scored["before"], scored["after"]
    groups: dict[str, list[str]] = {}
    for key in before:
        groups.setdefault(key.split("-")[0] if "quillbot" not in key else key[15:], []).append(key)
    out: dict[str, object] = {}
    for group, keys in groups.items():
        change = [abs(after[k] - before[k]) for k in keys]
        out[group] = {
            "texts": len(keys),
            "max_abs_change": round(max(change), 4),
            "mean_abs_change": round(statistics.mean(change), 5),
            "verdicts_crossing_0.5": [
                [k, round(before[k], 4), round(after[k], 4)]
                for k in keys
                if (before[k] >= 0.5) != (after[k] >= 0.5)
            ],
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the tree measured")
    parser.add_argument("--baseline-src", type=Path, help="the 'before' tree (e.g. main's src)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--data", type=Path, default=ROOT / ".." / "shared" / "data", help="the shared data"
    )
    parser.add_argument(
        "--agreement", action="store_true", help="compare both trees' spin probabilities"
    )
    parser.add_argument(
        "--restoration", type=int, default=0, metavar="N", help="restoration top-3 on N texts"
    )
    parser.add_argument(
        "--more",
        action="store_true",
        help="also time score --model lexical, and trace against the demo corpus (a store made "
        "here) of the demo article and of it with words that hold digits",
    )
    parser.add_argument(
        "--only",
        help="time only these commands (comma-separated names as printed, e.g. "
        "compare_5kb,trace_demo_article); the after-loading figures are then skipped",
    )
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
        if args.more:
            commands.update(more_commands(Path(tmp), inputs, trees["after"]))
        if args.only:
            wanted = args.only.split(",")
            unknown = sorted(set(wanted) - set(commands))
            if unknown:
                parser.error(f"--only: no command {unknown} (with --more: {sorted(commands)})")
            commands = {cmd: argv for cmd, argv in commands.items() if cmd in wanted}
        figures: dict[str, dict[str, object]] = {name: {} for name in trees}
        for name, src in trees.items():  # untimed: builds caches, warms the disk cache
            for cmd, argv in commands.items():
                _, _, out = run_once(src, argv)
                figures[name][f"{cmd}_output_sha256"] = (
                    output_hash(out, Path(tmp)) if cmd != "help" else ""
                )
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
        for name, src in trees.items() if not args.only else ():
            env = tree_env(src)
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    _AFTER_LOADING,
                    str(inputs["article"]),
                    str(args.runs),
                    *(str(inputs[f"fresh-{n}"]) for n in range(FRESH_ARTICLES)),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            figures[name]["score_after_loading"] = json.loads(done.stdout)
    if args.agreement and args.baseline_src:
        figures["agreement"] = agreement(trees, args.data)
    if args.restoration:
        env = tree_env(trees["after"])
        code = [_RESTORATION, str(args.restoration), str(args.data), str(ROOT / "benchmarks")]
        done = subprocess.run(
            [sys.executable, "-c", *code], env=env, capture_output=True, text=True, check=True
        )
        figures["restoration"] = json.loads(done.stdout)
    report(figures, trees, args.json)


def report(figures: dict[str, object], trees: dict[str, Path], out: Path | None) -> None:
    """Print ``figures`` with when, where and how they were measured; also write them to
    ``out`` when given."""
    figures["meta"] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "trees": {k: str(v) for k, v in trees.items()},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    print(json.dumps(figures, indent=2))
    if out:
        out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
