"""Long articles with many sources (issue 25): per-case recall@5 and trace CPU time.

Run from the repository root:

    .venv/bin/python benchmarks/bench_longdoc.py [--per-section 40] [--composites 10]
        [--store /tmp/longdoc.db]

Store: every PAN 2013 training source document plus every Reuters-21578 story with a body
(3,230 + 19,043 documents), fingerprinted and stored as ``unspin ingest`` does. ``--store``
keeps it between runs (built when the file does not exist; feature extraction does not change
here, so one store serves a baseline checkout and this one).

Query sets, per PAN section 02-05 (seeded samples of the suspicious documents that carry
annotated cases of that section):

* ``single``: ``--per-section`` suspicious documents, traced whole.
* ``concat``: ``--composites`` articles, each the concatenation (blank line between) of 3-5
  suspicious documents of the section, so 20-60 sources hide in one text; case offsets shift
  with the document's place in the article. ``--partition`` instead splits the single set's
  documents into such articles, each document in exactly one (with ``--per-section 200``: every
  document of the section once, the whole harder set rather than a sample of it).

For every annotated case: is its true source among the first five sources that trace
attributes the case's span to (sources ranked by the score-weighted characters of the span
their passages cover)? ``candidate_recall``: is it among the candidates trace aligns (what
candidate generation alone decides)? Tracing uses the default ``TraceConfig`` except that edit labelling
and spin scoring are off (neither changes which sources are listed; ``--full`` turns them on).
CPU time (``time.process_time``) per trace is reported after the store is open.
``--losses`` says, for every missed case, which stage of trace lost it (see :func:`loss`) and
prints a table of the reasons per set. ``--speed [DOC]`` only times ``trace`` with every default option (edit labels, spin scores)
on one long suspicious document: the first trace in the process, then the median of
``--repeats`` more.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from bench_trace import _cases, _rank_for_span

from unspin import Corpus
from unspin.attribution import Candidate, verified
from unspin.datasets.reuters import iter_reuters
from unspin.retrieve import candidates
from unspin.store import Store
from unspin.trace import TraceConfig, TraceStages, trace, trace_stages
from unspin.types import Document, Passage, StoredDocument
from unspin.verifier import load_verifier

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
PAN = DATA / "pan13-train"
SECTIONS = (
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
)
Case = tuple[str, int, int]  # (true source id, article start, article end)
# Where a missed case was lost, in pipeline order (see loss()).
LOSSES = ("retrieval", "alignment", "verifier", "attribution", "copy", "listing", "ranking")


def build_store(path: Path) -> float:
    """Index all PAN sources and all of Reuters; returns seconds spent."""
    t0 = time.perf_counter()
    docs = [
        Document(text=p.read_text(encoding="utf-8"), id=p.name)
        for p in sorted((PAN / "src").glob("source-document*.txt"))
    ]
    docs += list(iter_reuters(DATA / "reuters21578"))
    with Corpus(path) as corpus:
        for i in range(0, len(docs), 500):
            corpus.add(docs[i : i + 500])
    return time.perf_counter() - t0


def section_cases(sec: str) -> dict[str, list[Case]]:
    """suspicious doc -> its annotated cases in one PAN section."""
    return _cases(PAN, sec)


def concat(names: list[str], truth: dict[str, list[Case]]) -> tuple[str, list[Case]]:
    parts: list[str] = []
    cases: list[Case] = []
    pos = 0
    for name in names:
        text = (PAN / "susp" / name).read_text(encoding="utf-8")
        cases += [(src, a + pos, b + pos) for src, a, b in truth[name]]
        parts.append(text)
        pos += len(text) + 2
    return "\n\n".join(parts), cases


def loss(stages: TraceStages, keys: set[int], a: int, b: int, cfg: TraceConfig) -> str:
    """The first stage of trace that lost the true source (any of ``keys``: its stored
    copies) of the case at ``[a, b)``: not aligned (``retrieval``), no passage over the span
    (``alignment``), none the reuse verifier accepts (``verifier``), the span's sentences
    owned by other sources (``attribution``; ``copy`` when it is "also in" under one),
    an owner too small to list (``listing``), or listed below the first five (``ranking``)."""

    def over(ps: Sequence[Passage]) -> bool:
        return any(p.target_start < b and a < p.target_end for p in ps)

    if not keys & stages.aligned:
        return "retrieval"
    keys = {k for k in keys if over(stages.passages.get(k, ()))}
    if not keys:
        return "alignment"
    threshold = cfg.attribution.verify_threshold
    if threshold is None:
        threshold = load_verifier().threshold
    good = set()
    for k in keys:
        ps = stages.passages[k]
        cand = Candidate(k, ps, tuple(stages.reuse.get((k, p)) for p in ps))
        if over(verified(cand, threshold, cfg.attribution.short_min_score)):
            good.add(k)
    if not good:
        return "verifier"
    owners = [o for o in stages.attribution.owners if o.key in good and over(o.passages)]
    if not owners:
        copies = {k for ks in stages.attribution.copies.values() for k in ks}
        return "copy" if good & copies else "attribution"
    listed = {s.document.key for s in stages.result.sources}
    return "ranking" if any(o.key in listed for o in owners) else "listing"


def same_text(store: Store, doc_id: str) -> list[StoredDocument]:
    """The stored documents with the same text as ``doc_id`` (itself included). PAN's source
    set holds byte-identical pages under two ids (source-document02289 and 01541); the store
    keeps one text for them, retrieval and trace work on it, and trace lists the other id
    "also in" under it: either id is the true source."""
    found = store.find(doc_id)
    return [d for docs in store.copies([d.key for d in found]).values() for d in docs] or found


def run_set(
    store: Store,
    cfg: TraceConfig,
    items: list[tuple[str, str, list[Case]]],
    losses: bool = False,
) -> dict[str, object]:
    hits = total = in_cands = 0
    cpu: list[float] = []
    listed: list[int] = []
    misses: list[dict[str, object]] = []
    reasons: dict[str, int] = dict.fromkeys(LOSSES, 0)
    for label, text, cases in items:
        c0 = time.process_time()
        stages = trace_stages(text, store, cfg)
        cpu.append(time.process_time() - c0)
        r = stages.result
        listed.append(len(r.sources))
        found = [
            (x.document.id, [(p.target_start, p.target_end, p.score) for p in x.passages])
            for x in r.sources
        ]
        # Retrieval alone: is the true source among the candidates trace aligns? (Separates
        # candidate generation from alignment and listing; not timed.)
        fit = max(cfg.min_aligned, cfg.max_align_chars // max(1, len(text)))
        aligned = {k for k, _ in candidates(store, text, cfg.retrieval).ranked[:fit]}
        for src, a, b in cases:
            total += 1
            same = same_text(store, src)
            in_cands += any(d.key in aligned for d in same)
            if {d.id for d in same} & set(_rank_for_span(found, a, b)[:5]):
                hits += 1
                continue
            miss: dict[str, object] = {"doc": label, "source": src, "start": a, "length": b - a}
            if losses:
                miss["lost_at"] = why = loss(stages, {d.key for d in same}, a, b, cfg)
                reasons[why] += 1
            misses.append(miss)
    return {
        "articles": len(items),
        "cases": total,
        "recall@5": round(hits / max(1, total), 4),
        "candidate_recall": round(in_cands / max(1, total), 4),
        "median_chars": int(statistics.median(len(t) for _, t, _ in items)) if items else 0,
        "median_cpu_s": round(statistics.median(cpu), 3) if cpu else 0.0,
        "max_cpu_s": round(max(cpu), 3) if cpu else 0.0,
        "median_sources_listed": statistics.median(listed) if listed else 0,
        "misses": misses,
        **({"lost_at": reasons} if losses else {}),
    }


def speed(store: Store, name: str, repeats: int) -> dict[str, object]:
    """CPU seconds of ``trace`` with the default options on one long PAN document: the first
    trace in this process (it loads whatever models the default output needs) and the
    median of ``repeats`` more (models loaded)."""
    text = (PAN / "susp" / name).read_text(encoding="utf-8")
    cpu = []
    for _ in range(1 + repeats):
        c0 = time.process_time()
        r = trace(text, store)
        cpu.append(time.process_time() - c0)
    return {
        "document": name,
        "chars": len(text),
        "first_cpu_s": round(cpu[0], 3),
        "warm_cpu_s": round(statistics.median(cpu[1:]), 3),
        "sources": len(r.sources),
        "candidates": r.candidates_considered,
    }


def partition(names: Sequence[str], rng: random.Random) -> list[list[str]]:
    """``names`` cut, in order, into groups of 3-5 (sizes drawn by ``rng``), every name in
    exactly one; a remainder under 3 is shared out one name each to the groups before it.

    >>> groups = partition([str(i) for i in range(166)], random.Random(1))
    >>> sum(map(len, groups)), min(map(len, groups)) >= 3, max(map(len, groups)) <= 5
    (166, True, True)
    """
    sizes: list[int] = []
    if not names:
        return []
    while sum(sizes) < len(names):
        sizes.append(rng.randint(3, 5))
    sizes[-1] -= sum(sizes) - len(names)
    if sizes[-1] < 3 and len(sizes) > 1:
        rest = sizes.pop()
        for i in reversed(range(len(sizes))):
            if rest and sizes[i] < 5:
                sizes[i] += 1
                rest -= 1
        if rest:
            sizes.append(rest)  # every group already full: a short last group
    groups, start = [], 0
    for size in sizes:
        groups.append(list(names[start : start + size]))
        start += size
    return groups


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-section", type=int, default=40)
    ap.add_argument("--composites", type=int, default=10)
    ap.add_argument(
        "--partition",
        action="store_true",
        help="concatenations that use each single document exactly once (not --composites)",
    )
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--store", type=Path, default=Path("/tmp/bench_longdoc.db"))
    ap.add_argument("--sections", nargs="*", default=list(SECTIONS))
    ap.add_argument("--full", action="store_true", help="edit labelling and spin scoring on")
    ap.add_argument("--misses", action="store_true", help="print every missed case")
    ap.add_argument("--losses", action="store_true", help="say where each missed case was lost")
    ap.add_argument(
        "--speed",
        nargs="?",
        const="suspicious-document00299.txt",
        help="only time default trace of this PAN suspicious document (41,822 characters)",
    )
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    out: dict[str, object] = {"date": time.strftime("%Y-%m-%d")}
    if not args.store.exists():
        out["build_seconds"] = round(build_store(args.store), 1)
    cfg = TraceConfig() if args.full else TraceConfig(label_edits=False, score_unsourced=False)
    with Store(args.store, create=False, readonly=True) as store:
        out["documents"] = store.count()
        if args.speed:
            out["speed"] = speed(store, args.speed, args.repeats)
            print(json.dumps(out))
            return
        for sec in args.sections:
            truth = section_cases(sec)
            rng = random.Random(f"{args.seed}-{sec}")
            names = sorted(truth)
            rng.shuffle(names)
            singles = [
                (n, (PAN / "susp" / n).read_text(encoding="utf-8"), truth[n])
                for n in names[: args.per_section]
            ]
            groups = (
                partition([n for n, _, _ in singles], rng)
                if args.partition
                else [rng.sample(names, rng.randint(3, 5)) for _ in range(args.composites)]
            )
            composites = []
            for i, picks in enumerate(groups):
                text, cases = concat(picks, truth)
                composites.append((f"concat{i}:" + "+".join(picks), text, cases))
            res = {
                "single": run_set(store, cfg, singles, args.losses),
                "concat": run_set(store, cfg, composites, args.losses),
            }
            for part in res.values():
                if not args.misses:
                    part["misses"] = len(part["misses"])  # type: ignore[arg-type]
            out[sec] = res
            print(sec, json.dumps(res), flush=True)
    print(json.dumps(out))
    if args.losses:
        print(loss_table(out))


def loss_table(out: dict[str, object]) -> str:
    """Markdown table: per section and set, the misses by the stage that lost them."""
    rows = ["| section | set | cases | missed | " + " | ".join(LOSSES) + " |"]
    rows.append("|---|---|---:|---:|" + "---:|" * len(LOSSES))
    for sec, res in out.items():
        if not isinstance(res, dict) or "single" not in res:
            continue
        for name, part in res.items():
            n = part["misses"] if isinstance(part["misses"], int) else len(part["misses"])
            cells = " | ".join(str(part["lost_at"][k]) for k in LOSSES)
            rows.append(f"| {sec} | {name} | {part['cases']} | {n} | {cells} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
