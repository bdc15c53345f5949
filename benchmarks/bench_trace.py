"""Source-retrieval benchmark (issue 2): unspin trace against FTS5 BM25 and MinHash LSH.

Run from the repository root:

    .venv/bin/python benchmarks/bench_trace.py [--queries 300] [--pan-per-section 100]

News: the whole Reuters-21578 collection is ingested through the real ingest path (throughput
and store size measured); articles are spun by ``unspin.generators.article_spinner`` at
20/40/60% synonym replacement (plus 2% typos), and two-source composites are spliced. A hit is
a returned document whose text equals the true source's (Reuters holds verbatim re-issues).
PAN: every PAN 2013 source document is indexed; each suspicious document with annotated cases
is traced; recall@5 of its true sources per section.
The baselines run in the same process on the same data and queries.

``--spun-pairs DIR`` (a folder of real originals and a spinner's output of each,
``og/NAME-ORIG.txt`` and ``mg/NAME-SPUN.txt``, read as ``unspin ingest`` reads files) measures
instead how ``trace`` explains heavily spun text: a store of every original and
``--distractors`` Reuters stories; each spun text traced; the share whose original is ranked
first, the share of spun characters its original explains, the share left "no source", and
the stage that lost the rest (retrieval: the original never aligned; alignment: no passage).
False sources: a second store without ``--hold-out`` originals traces their spun and
original texts, and 100 Reuters stories outside the store are traced; the share given any
source is printed. ``--composites N``: N articles of four spun texts each, from stored
originals (parts whose original is listed, share explained) and from held-out ones (sources
listed: all false). A source ``trace`` marks as sharing only wording many stored documents
hold (``SourceMatch.shared_wording``, a template frame) is counted apart ("unmarked": the
sources not so marked; news and PAN count true sources so marked). ``--baseline CHECKOUT`` runs the same in another tree's ``src`` (e.g.
main's) in the same run, alternating the two; CPU seconds of the traces are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import FTS5BM25Baseline, MinHashLSHBaseline

from unspin import Corpus
from unspin.datasets.reuters import iter_reuters
from unspin.generators.article_spinner import noise, spin, splice
from unspin.trace import TraceConfig
from unspin.types import Document, TraceResult

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CFG = TraceConfig(label_edits=False, score_unsourced=False)


def _marked(s: object) -> bool:
    """Whether trace marked this source as sharing only common wording (a template frame);
    a tree without the mark (a baseline) marks none."""
    return getattr(s, "shared_wording", None) is not None


def _ingest(corpus: Corpus, docs: list[Document], batch: int = 1000) -> float:
    t0 = time.perf_counter()
    for i in range(0, len(docs), batch):
        corpus.add(docs[i : i + batch])  # one transaction per batch, as `unspin ingest`
    return time.perf_counter() - t0


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def news(n_queries: int, seed: int) -> dict[str, object]:
    docs = list(iter_reuters(DATA / "reuters21578"))
    raw_bytes = sum(len(d.text.encode()) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reuters.db"
        corpus = Corpus(db)
        secs = _ingest(corpus, docs)
        corpus.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file holds it all
        size = db.stat().st_size
        by_text: dict[str, set[str]] = {}
        for d in docs:
            by_text.setdefault(d.text, set()).add(d.id)
        t_b = time.perf_counter()
        bm25 = FTS5BM25Baseline.from_documents(docs)
        bm25_build = time.perf_counter() - t_b
        t_m = time.perf_counter()
        minhash = MinHashLSHBaseline.from_documents(docs)
        mh_build = time.perf_counter() - t_m
        key_text = {}
        rng = random.Random(seed)
        pool = [d for d in docs if len(d.text) >= 400]
        picks = rng.sample(pool, n_queries)
        out: dict[str, object] = {
            "documents": len(docs),
            "ingest_seconds": round(secs, 2),
            "ingest_docs_per_s": round(len(docs) / secs, 1),
            "ingest_mb_per_s": round(raw_bytes / secs / 1e6, 2),
            "raw_text_mb": round(raw_bytes / 1e6, 1),
            "store_mb": round(size / 1e6, 1),
            "baseline_build_seconds": {"bm25": round(bm25_build, 1), "minhash": round(mh_build, 1)},
        }

        def ids_for(keys: list[int]) -> list[set[str]]:
            res = []
            for k in keys:
                if k not in key_text:
                    key_text[k] = corpus.store.text(k)
                res.append(by_text.get(key_text[k], set()))
            return res

        def with_copies(r: TraceResult) -> list[set[str]]:
            """Each listed source with the copies listed "also in" under it."""
            return [
                set().union(*ids_for([s.document.key, *[c.key for c in s.copies]]))
                for s in r.sources
            ]

        for rate in (0.2, 0.4, 0.6):
            rows = {"unspin": [0, 0], "unspin_also_in": [0, 0], "bm25": [0, 0], "minhash": [0, 0]}
            lat: list[float] = []
            marked = 0  # true sources listed but marked shared wording
            for i, d in enumerate(picks):
                q = noise(spin(d.text, rate, seed + i).text, 0.02, seed + i).text
                true_ids = by_text[d.text]
                t0 = time.perf_counter()
                r = corpus.trace(q, config=CFG)
                lat.append(time.perf_counter() - t0)
                got = ids_for([s.document.key for s in r.sources])
                marked += any(
                    g & true_ids and _marked(s) for g, s in zip(got, r.sources, strict=True)
                )
                ranked = {
                    "unspin": got,
                    "unspin_also_in": with_copies(r),
                    "bm25": [by_text.get(_text(docs, x), {x}) for x in bm25.query(q, 5)],
                    "minhash": [by_text.get(_text(docs, x), {x}) for x in minhash.query(q, 5)],
                }
                for name, lst in ranked.items():
                    rows[name][0] += bool(lst[:1] and lst[0] & true_ids)
                    rows[name][1] += any(s & true_ids for s in lst[:5])
            out[f"spun_{int(rate * 100)}"] = {
                name: {"recall@1": round(a / n_queries, 4), "recall@5": round(b / n_queries, 4)}
                for name, (a, b) in rows.items()
            }
            out[f"spun_{int(rate * 100)}"]["true_source_marked_shared"] = marked  # type: ignore[index]
            out[f"spun_{int(rate * 100)}"]["unspin_latency_ms"] = {  # type: ignore[index]
                "median": round(1000 * statistics.median(lat), 1),
                "p95": round(1000 * _pct(lat, 0.95), 1),
            }
        # Composites of two sources, 40% spun.
        both = {"unspin": 0, "unspin_also_in": 0, "bm25": 0, "minhash": 0}
        n_comp = n_queries // 2
        for i in range(n_comp):
            a, b = picks[i], picks[-1 - i]
            q = spin(splice(a.text, b.text, seed + i).text, 0.4, seed + i).text
            ta, tb = by_text[a.text], by_text[b.text]
            r = corpus.trace(q, config=CFG)
            ranked = {
                "unspin": ids_for([s.document.key for s in r.sources])[:3],
                "unspin_also_in": with_copies(r)[:3],
                "bm25": [by_text.get(_text(docs, x), {x}) for x in bm25.query(q, 3)],
                "minhash": [by_text.get(_text(docs, x), {x}) for x in minhash.query(q, 3)],
            }
            for name, lst in ranked.items():
                both[name] += any(s & ta for s in lst) and any(s & tb for s in lst)
        out["composites_both_in_top3"] = {k: round(v / n_comp, 4) for k, v in both.items()}
        out["composites"] = n_comp
        corpus.close()
    return out


_TEXT_BY_ID: dict[str, str] = {}


def _text(docs: list[Document], doc_id: str) -> str:
    if not _TEXT_BY_ID:
        _TEXT_BY_ID.update((d.id, d.text) for d in docs)
    return _TEXT_BY_ID.get(doc_id, "")


def _cases(root: Path, sec: str) -> dict[str, list[tuple[str, int, int]]]:
    """suspicious doc -> [(source doc, this_offset, this_end)] for one PAN section."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    for xml in (root / sec).glob("*.xml"):
        body = xml.read_text(encoding="utf-8")
        susp = re.search(r'reference="([^"]+)"', body)
        assert susp is not None
        for m in re.finditer(r"<feature[^>]*name=\"plagiarism\"[^>]*/>", body):
            a = dict(re.findall(r'(\w+)="([^"]*)"', m.group()))
            off = int(a["this_offset"])
            out.setdefault(susp.group(1), []).append(
                (a["source_reference"], off, off + int(a["this_length"]))
            )
    return out


def _rank_for_span(
    sources: list[tuple[str, list[tuple[int, int, float]]]], a: int, b: int
) -> list[str]:
    """Sources ranked by how much of [a, b) their passages explain (score-weighted)."""
    weight: dict[str, float] = {}
    for name, passages in sources:
        w = sum(max(0, min(b, t1) - max(a, t0)) * sc for t0, t1, sc in passages)
        if w > 0:
            weight[name] = weight.get(name, 0.0) + w
    return sorted(weight, key=lambda k: -weight[k])


def pan(per_section: int, seed: int) -> dict[str, object]:
    """Reuse hidden in long unrelated text: for every annotated case of a traced suspicious
    document, is its true source among the top 5 sources that trace attributes the case's
    span to? (Suspicious documents hold about six reused passages from different sources,
    so a document-level top 5 could not hold them all; the question trace answers per span
    is the one that matters.) BM25 answers for the 1,000-character window around the case."""
    root = DATA / "pan13-train"
    docs = [
        Document(text=p.read_text(encoding="utf-8"), id=p.name)
        for p in sorted((root / "src").glob("source-document*.txt"))
    ]
    out: dict[str, object] = {"sources": len(docs)}
    cfg = TraceConfig(top=50, label_edits=False, score_unsourced=False)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp) / "pan.db")
        out["ingest_seconds"] = round(_ingest(corpus, docs, 200), 1)
        bm25 = FTS5BM25Baseline.from_documents(docs)
        rng = random.Random(seed)
        for sec in (
            "02-no-obfuscation",
            "03-random-obfuscation",
            "04-translation-obfuscation",
            "05-summary-obfuscation",
        ):
            truth = _cases(root, sec)
            susps = sorted(truth)
            rng.shuffle(susps)
            hits = {"unspin": 0, "bm25": 0}
            marked = 0  # cases whose true source is listed but marked shared wording
            total = 0
            lat: list[float] = []
            for s in susps[:per_section]:
                text = (root / "susp" / s).read_text(encoding="utf-8")
                t0 = time.perf_counter()
                r = corpus.trace(text, config=cfg)
                lat.append(time.perf_counter() - t0)
                found = [
                    (x.document.id, [(p.target_start, p.target_end, p.score) for p in x.passages])
                    for x in r.sources
                ]
                marked_ids = {x.document.id for x in r.sources if _marked(x)}
                for src, a, b in truth[s]:
                    total += 1
                    marked += src in marked_ids
                    hits["unspin"] += src in _rank_for_span(found, a, b)[:5]
                    # BM25 gets the 1,000-character window centred on the case, one of the
                    # windows it votes over when it queries the whole article.
                    mid = (a + b) // 2
                    hits["bm25"] += src in bm25.query(text[max(0, mid - 500) : mid + 500], 5)
            out[sec] = {k: round(v / max(1, total), 4) for k, v in hits.items()}
            out[sec]["cases"] = total  # type: ignore[index]
            out[sec]["true_source_marked_shared"] = marked  # type: ignore[index]
            out[sec]["median_trace_ms"] = round(1000 * statistics.median(lat), 1)  # type: ignore[index]
            print(sec, out[sec], flush=True)
        corpus.close()
    return out


def _composites(
    corpus: Corpus, spun: dict[str, str], names: list[str], n: int, rng: random.Random
) -> dict[str, object]:
    """``n`` articles of four spun texts of ``names`` (200 characters or more each) joined by
    blank lines, traced: how many parts' originals are listed, the share of the parts'
    characters their own original owns, the share left "no source", sources listed."""
    pool = [k for k in names if len(spun[k]) >= 200]
    parts = found = chars = explained = unsourced = listed = unmarked = 0
    for _ in range(n):
        pick = rng.sample(pool, 4)
        spans, pos = [], 0
        for k in pick:
            spans.append((k, pos, pos + len(spun[k])))
            pos += len(spun[k]) + 2
        r = corpus.trace("\n\n".join(spun[k] for k in pick), config=CFG)
        by_id = {s.document.id: s for s in r.sources}
        listed += len(r.sources)
        unmarked += sum(not _marked(s) for s in r.sources)
        unsourced += sum(g.end - g.start for g in r.segments if g.source_key is None)
        for k, a, b in spans:
            parts += 1
            chars += b - a
            if k in by_id:
                found += 1
                explained += sum(max(0, min(b, g.end) - max(a, g.start)) for g in by_id[k].owned)
    return {
        "articles": n,
        "parts_with_original_listed": f"{found}/{parts}",
        "explained_by_own_original": round(explained / max(1, chars), 4),
        "no_source": round(unsourced / max(1, chars), 4),
        "sources_listed": listed,
        "sources_listed_unmarked": unmarked,
    }


def _spun_worker(
    folder: Path, distractors: int, hold_out: int, seed: int, composites: int = 0
) -> dict[str, object]:
    """One tree's figures on ``--spun-pairs`` (see the module's docstring)."""
    from unspin.read.readers import read_file
    from unspin.trace import trace_stages

    def read(path: Path) -> str:
        with contextlib.redirect_stderr(io.StringIO()):  # its mojibake notes
            return "\n\n".join(d.text for d in read_file(path))

    names = sorted(p.name.removesuffix("-ORIG.txt") for p in (folder / "og").glob("*-ORIG.txt"))
    orig = {n: read(folder / "og" / f"{n}-ORIG.txt") for n in names}
    spun = {n: read(folder / "mg" / f"{n}-SPUN.txt") for n in names if (folder / "mg").is_dir()}
    names = [n for n in names if n in spun]
    rng = random.Random(seed)
    stories = [d for d in iter_reuters(DATA / "reuters21578") if len(d.text) >= 300]
    rng.shuffle(stories)
    inside, outside = stories[:distractors], stories[distractors : distractors + 100]
    held = set(rng.sample(names, min(hold_out, len(names))))
    cfg = CFG
    out: dict[str, object] = {"pairs": len(names), "distractors": len(inside)}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp) / "all.db")
        corpus.add([Document(text=orig[n], id=n) for n in names] + inside)
        key_of = {n: corpus.store.find(n)[0].key for n in names}
        rows = []
        cpu = 0.0
        for n in names:
            c0 = time.process_time()
            st = trace_stages(spun[n], corpus.store, cfg)
            cpu += time.process_time() - c0
            r = st.result
            ids = [s.document.id for s in r.sources]
            rows.append(
                {
                    "chars": len(spun[n]),
                    "first": ids[:1] == [n],
                    "listed": n in ids,
                    "others": sum(i != n for i in ids),
                    "original_marked": any(s.document.id == n and _marked(s) for s in r.sources),
                    "explained": sum(
                        g.end - g.start for s in r.sources if s.document.id == n for g in s.owned
                    ),
                    "no_source": sum(g.end - g.start for g in r.segments if g.source_key is None),
                    "aligned": key_of[n] in st.aligned,
                    "passages": bool(st.passages.get(key_of[n])),
                }
            )
        total = sum(r["chars"] for r in rows)
        out["spun"] = {
            "texts": len(rows),
            "original_first": round(sum(r["first"] for r in rows) / len(rows), 4),
            "original_listed": round(sum(r["listed"] for r in rows) / len(rows), 4),
            "explained_by_original": round(sum(r["explained"] for r in rows) / total, 4),
            "no_source": round(sum(r["no_source"] for r in rows) / total, 4),
            "explained_under_half": sum(2 * r["explained"] < r["chars"] for r in rows),
            "other_sources_listed": sum(r["others"] for r in rows),
            "original_marked_shared": sum(r["original_marked"] for r in rows),
            "lost_at_retrieval": sum(not r["aligned"] for r in rows),
            "lost_at_alignment": sum(r["aligned"] and not r["passages"] for r in rows),
            "lost_after_alignment": sum(r["passages"] and not r["listed"] for r in rows),
            "trace_cpu_s": round(cpu, 2),
        }
        if composites:
            stored = [n for n in names if n not in held]
            out["composites"] = _composites(corpus, spun, stored, composites, random.Random(seed))
        c0 = time.process_time()
        traced = [(d.id, corpus.trace(d.text, config=cfg).sources) for d in outside]
        given = [i for i, ss in traced if ss]
        plain = [i for i, ss in traced if any(not _marked(s) for s in ss)]
        out["reuters_outside_with_a_source"] = f"{len(given)}/{len(outside)}"
        out["reuters_outside_given_a_source"] = given
        out["reuters_outside_with_an_unmarked_source"] = f"{len(plain)}/{len(outside)}"
        out["reuters_outside_given_an_unmarked_source"] = plain
        corpus.close()
        corpus = Corpus(Path(tmp) / "held.db")
        corpus.add([Document(text=orig[n], id=n) for n in names if n not in held] + inside)
        for kind, texts in (("held_out_spun", spun), ("held_out_originals", orig)):
            found = [(n, corpus.trace(texts[n], config=cfg).sources) for n in sorted(held)]
            given = [n for n, ss in found if ss]
            plain = [n for n, ss in found if any(not _marked(s) for s in ss)]
            out[f"{kind}_with_a_source"] = f"{len(given)}/{len(held)}"
            out[f"{kind}_given_a_source"] = given  # names, to compare two trees
            out[f"{kind}_with_an_unmarked_source"] = f"{len(plain)}/{len(held)}"
        if composites:
            out["held_out_composites"] = _composites(
                corpus, spun, sorted(held), composites, random.Random(seed)
            )
        out["negatives_cpu_s"] = round(time.process_time() - c0, 2)
        corpus.close()
    return out


def spun_pairs(args: argparse.Namespace) -> None:
    """This tree and (``--baseline``) another's, alternated ``--repeats`` times."""
    here = Path(__file__).resolve().parents[1] / "src"
    trees = {"this tree": here}
    if args.baseline:
        trees["baseline"] = args.baseline.resolve() / "src"
    cmd = [sys.executable, __file__, "--spun-pairs", str(args.spun_pairs), "--worker"]
    cmd += ["--distractors", str(args.distractors), "--hold-out", str(args.hold_out)]
    cmd += ["--seed", str(args.seed), "--composites", str(args.composites)]
    results: dict[str, list[dict[str, object]]] = {}
    for _ in range(args.repeats):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": str(src)}
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            results.setdefault(name, []).append(json.loads(done.stdout))
            print(f"{name} ({src}), load {os.getloadavg()[0]:.1f}:", done.stdout.strip())
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), **results}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--pan-per-section", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--skip-pan", action="store_true")
    ap.add_argument("--skip-news", action="store_true")
    ap.add_argument("--spun-pairs", type=Path, help="og/*-ORIG.txt and mg/*-SPUN.txt: see above")
    ap.add_argument("--distractors", type=int, default=3000, help="Reuters stories stored too")
    ap.add_argument("--hold-out", type=int, default=100, help="originals left out (negatives)")
    ap.add_argument("--baseline", type=Path, help="a checkout to compare against (its src/)")
    ap.add_argument("--repeats", type=int, default=1, help="runs per tree, alternated")
    ap.add_argument("--composites", type=int, default=40, help="articles of 4 spun texts")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.spun_pairs is not None:
        if args.worker:
            worker = _spun_worker(
                args.spun_pairs, args.distractors, args.hold_out, args.seed, args.composites
            )
            print(json.dumps(worker))
        else:
            spun_pairs(args)
        return
    result: dict[str, object] = {"date": time.strftime("%Y-%m-%d")}
    if not args.skip_news:
        result["news"] = news(args.queries, args.seed)
        print(json.dumps(result["news"], indent=1), flush=True)
    if not args.skip_pan:
        result["pan"] = pan(args.pan_per_section, args.seed)
        print(json.dumps(result["pan"], indent=1), flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
