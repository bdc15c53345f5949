"""Measure the distortion flag on real text, against a baseline checkout in the same run.

Usage::

    python benchmarks/bench_distortions.py [--baseline /path/to/main-checkout] [--per-label 150]
                                           [--docs 3000] [--pan 150] [--quillbot 0] [--clough 1]

Four measurements, each made by the current code and (``--baseline``) by the code of another
checkout, run in a subprocess with that checkout's ``src`` first on the path:

1. QuillBot (``realspin/quillbot-dev.jsonl``): ``compare`` on every pair (whitespace collapsed on
   both sides; unsourced-text scoring off, it does not change edits). QuillBot keeps the meaning,
   so every distortion flag other than a quote change is counted as a false alarm (QuillBot
   rewording a quotation *is* a change of quoted wording: those are counted apart, as true
   flags); the flags are written to ``--flags-out`` for reading. The pairs are split in two
   halves by their original (a hash of its text): half A is the one rules were tuned on, half B
   is reported apart.
2. Planted distortions in single Reuters sentences, from two generators:
   :mod:`unspin.generators.planted_edits` (Moby) and
   :mod:`unspin.generators.planted_edits_wordnet` (WordNet, other phrasing, and equivalent
   rewritings that must not be flagged), and ``swaps``: sentences with two numbers put in
   each other's place (twice ``--per-label`` of them). A case is flagged when any edit is a distortion; truth
   is whether its planted label is a distortion label.
3. Clough and Stevenson (``--clough``): students' answers written by copying, light and heavy
   revision of a Wikipedia text, compared with it; the flags by category.
4. PAN 2013 train: for ``--pan`` aligned cases (truth offsets) of each obfuscated section, the
   label distribution and the distortion rate (01-no-plagiarism has no aligned cases).
5. ``--spun-pairs DIR`` (off by default): ``compare`` of every original and spun text of a
   folder laid out as ``bench_realspin.orig_spun_pairs`` reads it (``og/*-ORIG.txt`` beside
   ``mg/*-SPUN.txt``: the SpinBot pairs of benchmarks 15.16, kept outside the repository),
   the flags by label; each flag is written to ``--flags-out`` + ``.spun`` for reading.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SECTIONS = ("02-no-obfuscation", "03-random-obfuscation", "04-translation-obfuscation",
            "05-summary-obfuscation")  # fmt: skip
_FEATURE = re.compile(r"<feature\b([^>]*)/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DIGITS = re.compile(r"\d[\d.,]*")
DISTORTIONS = ("negation", "number_change", "date_change", "entity_change", "quote_change")


# --- worker: runs under whichever checkout is first on PYTHONPATH --------------------------------


def _quillbot(limit: int, flags_out: str | None) -> dict[str, Any]:
    from unspin.text import collapse_whitespace
    from unspin.trace import TraceConfig, compare

    cfg = TraceConfig(score_unsourced=False)
    lines = (DATA / "realspin" / "quillbot-dev.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    rows = rows[:limit] if limit else rows
    by_label: Counter[str] = Counter()
    halves: dict[str, Counter[str]] = {"A": Counter(), "B": Counter()}
    flagged_pairs = 0
    written: list[str] = []
    t0 = time.perf_counter()
    for r in rows:
        src, tgt = collapse_whitespace(r["original"]), collapse_whitespace(r["spun"])
        res = compare(src, tgt, config=cfg)
        half = halves[_half(r["original"])]
        half["pairs"] += 1
        n = 0
        for s in res.sources:
            for p in s.passages:
                for e in p.edits:
                    if e.distortion:
                        n += 1
                        by_label[e.label] += 1
                        half["quote" if e.label == "quote_change" else "other"] += 1
                        if flags_out:
                            row = [r["id"], e.label, e.source_text, e.target_text]
                            row += [src[max(0, e.source_start - 60) : e.source_end + 60]]
                            row += [tgt[max(0, e.target_start - 60) : e.target_end + 60]]
                            written.append(json.dumps(row) + "\n")
        flagged_pairs += n > 0
    if flags_out:
        Path(flags_out).write_text("".join(written), encoding="utf-8")
    return {
        "pairs": len(rows),
        "flags": sum(by_label.values()),
        "flagged_pairs": flagged_pairs,
        "by_label": dict(by_label),
        "halves": {k: dict(v) for k, v in halves.items()},
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _spun_pairs(folder: str, flags_out: str | None) -> dict[str, Any]:
    """The distortion flags of ``compare`` on real spinner output beside its originals."""
    from bench_realspin import orig_spun_pairs

    from unspin.trace import TraceConfig, compare

    cfg = TraceConfig(score_unsourced=False)
    pairs = orig_spun_pairs(Path(folder))
    by_label: Counter[str] = Counter()
    written: list[str] = []
    for pair in pairs:
        res = compare(pair.original, pair.spun, config=cfg)
        for e in (e for s in res.sources for p in s.passages for e in p.edits if e.distortion):
            by_label[e.label] += 1
            written.append(json.dumps([pair.mode, e.label, e.source_text, e.target_text]) + "\n")
    if flags_out:
        Path(flags_out + ".spun").write_text("".join(written), encoding="utf-8")
    return {"pairs": len(pairs), "by_label": dict(by_label)}


def _clough() -> dict[str, Any]:
    """Clough and Stevenson's students' answers against their Wikipedia sources: ``compare``
    of every answer written by copying (cut), light or heavy revision. The students kept the
    facts in the cut and light answers, so a flag there is a false alarm unless it is read to
    be a real change (heavy answers change examples and names at will)."""
    import csv

    from unspin.cli.app import read_plain_text  # the CLI's decoding: 17 files are cp1252
    from unspin.text import collapse_whitespace
    from unspin.trace import TraceConfig, compare

    base = DATA / "clough-stevenson"
    cfg = TraceConfig(score_unsourced=False)
    with (base / "file_information.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Category"] in ("cut", "light", "heavy")]
    out: dict[str, Any] = {}
    for r in rows:
        src = collapse_whitespace(read_plain_text(str(base / f"orig_task{r['Task']}.txt")))
        tgt = collapse_whitespace(read_plain_text(str(base / r["File"])))
        res = compare(src, tgt, config=cfg)
        cat = out.setdefault(r["Category"], {"answers": 0, "by_label": Counter()})
        cat["answers"] += 1
        cat["by_label"].update(
            e.label for s in res.sources for p in s.passages for e in p.edits if e.distortion
        )
    return {k: {"answers": v["answers"], "by_label": dict(v["by_label"])} for k, v in out.items()}


def _half(original: str) -> str:
    """The half a pair belongs to, by its original: every spin of one original in one half."""
    return "A" if hashlib.sha1(original.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def _planted(cases_path: str) -> dict[str, Any]:
    from unspin.edits import label_edits

    groups = json.loads(Path(cases_path).read_text())
    out: dict[str, Any] = {}
    for name, cases in groups.items():
        tally: Counter[str] = Counter()
        per_label: dict[str, Counter[str]] = {}
        misses: list[str] = []
        for c in cases:
            edits = label_edits(c["source"], c["target"])
            truth = c["label"] in DISTORTIONS
            flagged = any(e.distortion for e in edits)
            tally[f"{truth}-{flagged}"] += 1
            per_label.setdefault(c["label"], Counter())[str(flagged)] += 1
            if truth != flagged and len(misses) < 12:
                got = sorted({e.label for e in edits}) or ["identical"]
                a, b = c["source_start"], c["source_end"]
                x, y = c["target_start"], c["target_end"]
                misses.append(
                    f"{c['label']}: {c['source'][a:b]!r} -> {c['target'][x:y]!r} got {got}"
                )
        out[name] = {"tally": dict(tally), "per_label": per_label, "misses": misses}
    return out


def _pan(limit: int) -> dict[str, Any]:
    from unspin.edits import label_edits
    from unspin.types import Passage

    base = DATA / "pan13-train"
    out: dict[str, Any] = {}
    for section in SECTIONS:
        counts: Counter[str] = Counter()
        cases = with_distortion = 0
        xmls = sorted((base / section).glob("*.xml"))
        random.Random(13).shuffle(xmls)
        for xml in xmls:
            if cases >= limit:
                break
            text = xml.read_text(encoding="utf-8")
            ref = re.search(r'reference="([^"]+)"', text)
            if not ref:
                continue
            susp = (base / "susp" / ref.group(1)).read_text(encoding="utf-8")
            for m in _FEATURE.finditer(text):
                a = dict(_ATTR.findall(m.group(1)))
                if "source_reference" not in a or cases >= limit:
                    continue
                src = (base / "src" / a["source_reference"]).read_text(encoding="utf-8")
                so, sl = int(a["source_offset"]), int(a["source_length"])
                to, tl = int(a["this_offset"]), int(a["this_length"])
                edits = label_edits(src, susp, Passage(so, so + sl, to, to + tl))
                counts.update(e.label for e in edits)
                with_distortion += any(e.distortion for e in edits)
                cases += 1
        out[section] = {"cases": cases, "with_distortion": with_distortion, "labels": dict(counts)}
    return out


def worker(args: argparse.Namespace) -> int:
    result: dict[str, Any] = {}
    if args.quillbot >= 0:
        result["quillbot"] = _quillbot(args.quillbot, args.flags_out)
    if args.clough:
        result["clough"] = _clough()
    if args.spun_pairs:
        result["spun_pairs"] = _spun_pairs(args.spun_pairs, args.flags_out)
    result["planted"] = _planted(args.worker)
    if args.pan:
        result["pan"] = _pan(args.pan)
    print(json.dumps(result))
    return 0


# --- driver --------------------------------------------------------------------------------------


def _cases(per_label: int, docs: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    from dataclasses import asdict

    from unspin.datasets.reuters import iter_reuters
    from unspin.generators.planted_edits import generate, sentences
    from unspin.generators.planted_edits_wordnet import generate_wordnet

    texts = [d.text for _, d in zip(range(docs), iter_reuters(DATA / "reuters21578"), strict=False)]
    sents = sentences(texts)
    moby = [asdict(c) for c in generate(sents, per_label, seed=seed)]
    wordnet = [asdict(c) for c in generate_wordnet(sents, per_label, seed=seed)]
    return {"moby": moby, "wordnet": wordnet, "swaps": _swapped_numbers(sents, per_label, seed)}


def _swapped_numbers(sents: list[str], n: int, seed: int) -> list[dict[str, Any]]:
    """Sentences with two different numbers (digits, no dates) at least three tokens apart,
    the two put in each other's place: "killed 12 ... injured 40" -> "killed 40 ... injured
    12", a changed fact although both numbers stay in the text."""
    from unspin.edits.numbers import number_value
    from unspin.edits.tokens import date_positions, tokenize

    order = list(sents)
    random.Random(seed).shuffle(order)
    out: list[dict[str, Any]] = []
    for s in order:
        toks = tokenize(s, 0, len(s))
        dates = date_positions(toks)
        nums = [
            i
            for i, t in enumerate(toks)
            if i not in dates and _DIGITS.fullmatch(t.raw) and number_value(t.raw) is not None
        ]
        if len(nums) != 2 or nums[1] - nums[0] < 3:
            continue
        a, b = toks[nums[0]], toks[nums[1]]
        if number_value(a.raw) == number_value(b.raw):
            continue
        target = s[: a.start] + b.raw + s[a.end : b.start] + a.raw + s[b.end :]
        out.append(
            {
                "label": "number_change",
                "source": s,
                "target": target,
                "source_start": a.start,
                "source_end": a.end,
                "target_start": a.start,
                "target_end": a.start + len(b.raw),
            }
        )
        if len(out) >= 2 * n:
            break
    return out


def _run(code_src: Path, args: argparse.Namespace, cases: str, flags_out: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(code_src))
    cmd = [sys.executable, __file__, "--worker", cases, "--quillbot", str(args.quillbot)]
    cmd += ["--pan", str(args.pan), "--flags-out", flags_out, "--clough", str(args.clough)]
    if args.spun_pairs:
        cmd += ["--spun-pairs", str(args.spun_pairs)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(name: str, r: dict[str, Any]) -> None:
    print(f"\n## {name}")
    q = r.get("quillbot")
    if q:
        print(
            f"QuillBot: {q['pairs']} pairs, {q['flags']} distortion flags = "
            f"{q['flags'] / q['pairs']:.3f} per pair; {q['flagged_pairs']} pairs flagged; "
            f"by label {dict(sorted(q['by_label'].items()))} ({q['seconds']}s)"
        )
        for name, h in sorted(q.get("halves", {}).items()):
            n = max(1, h.get("pairs", 0))
            print(
                f"  half {name} ({'tuned on' if name == 'A' else 'held out'}): {h.get('pairs', 0)} "
                f"pairs, flags other than quote changes {h.get('other', 0)} = "
                f"{h.get('other', 0) / n:.3f} per pair; quote changes {h.get('quote', 0)} = "
                f"{h.get('quote', 0) / n:.3f} per pair"
            )
    for category, c in r.get("clough", {}).items():
        flags = sum(c["by_label"].values())
        print(
            f"Clough-Stevenson {category}: {c['answers']} answers, {flags} distortion flags = "
            f"{flags / max(1, c['answers']):.2f} per answer; by label {dict(sorted(c['by_label'].items()))}"
        )
    spun = r.get("spun_pairs")
    if spun:
        print(
            f"spun pairs: {spun['pairs']} pairs, {sum(spun['by_label'].values())} distortion "
            f"flags; by label {dict(sorted(spun['by_label'].items()))}"
        )
    for gen, p in r["planted"].items():
        t = Counter(p["tally"])
        tp, fp, fn = t["True-True"], t["False-True"], t["True-False"]
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        print(
            f"planted ({gen}): {sum(t.values())} cases, distortion flag precision {prec:.3f}, "
            f"recall {rec:.3f}"
        )
        for label, c in sorted(p["per_label"].items()):
            n = sum(c.values())
            print(f"  {label}: flagged {c.get('True', 0)}/{n}")
        for m in p["misses"]:
            print(f"  miss {m}")
    for section, s in r.get("pan", {}).items():
        total = sum(s["labels"].values())
        dist = sum(v for k, v in s["labels"].items() if k in DISTORTIONS)
        top = ", ".join(f"{k} {v / total:.2f}" for k, v in Counter(s["labels"]).most_common(6))
        print(
            f"PAN {section}: {s['cases']} cases, {total} edits, distortions {dist} "
            f"({dist / max(1, total):.3f} of edits, {dist / max(1, s['cases']):.2f} per case), "
            f"cases with a distortion {s['with_distortion']}; labels: {top}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", type=Path, help="a checkout to compare against (its src/)")
    ap.add_argument("--per-label", type=int, default=150)
    ap.add_argument("--docs", type=int, default=3000, help="Reuters stories for planted cases")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pan", type=int, default=150, help="aligned cases per PAN section (0: off)")
    ap.add_argument("--quillbot", type=int, default=0, help="first N pairs (0: all, -1: off)")
    ap.add_argument("--flags-out", default=None, help="write the QuillBot flags (JSON lines)")
    ap.add_argument(
        "--clough", type=int, default=1, help="Clough-Stevenson answers against sources (0: off)"
    )
    ap.add_argument(
        "--spun-pairs",
        type=Path,
        help="a folder of original and spun texts (og/*-ORIG.txt, mg/*-SPUN.txt): their flags",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    cases = _cases(args.per_label, args.docs, args.seed)
    print(
        f"# planted cases: moby {len(cases['moby'])}, wordnet {len(cases['wordnet'])}, "
        f"swapped numbers {len(cases['swaps'])} "
        f"(per label {args.per_label}, {args.docs} Reuters stories, seed {args.seed}); "
        f"built in {time.perf_counter() - t0:.0f}s; PAN {args.pan} aligned cases per section"
    )
    here = Path(__file__).resolve().parents[1] / "src"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.json"
        path.write_text(json.dumps(cases))
        flags = args.flags_out or str(Path(tmp) / "flags.jsonl")
        runs = {"current": _run(here, args, str(path), flags)}
        if args.baseline:
            runs["baseline"] = _run(args.baseline / "src", args, str(path), flags + ".baseline")
    for name, r in runs.items():
        _report(f"{name} ({here if name == 'current' else args.baseline})", r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
