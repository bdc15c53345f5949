"""Tracing across languages (issue 23): retrieval, sentence alignment and the fact check.

Run from the repository root (the xling extra installed):

    .venv/bin/python benchmarks/bench_xling.py --tatoeba DIR [--work /tmp/xling/bench]

Data (development figures: we could look at all of it):

- Parallel text: the Tatoeba test pairs of LASER (facebookresearch/LASER,
  ``data/tatoeba/v1/tatoeba.{rus,fra,spa,deu,cmn}-eng.*``, 1,000 human translation pairs per
  language, Tatoeba's CC BY terms). Read with ``git show`` from a clone into DIR; never
  committed here. Each run of 5 consecutive pairs is one "article": the English side is
  ingested, the other side is traced. 200 articles per language.
- Distractors: every Reuters-21578 story with a body (19,043, ../shared/data), ingested with
  the 1,000 English articles (20,043 English documents in all).

Measured: ingest documents/s with the extra on and off (the same JSON Lines file through the
real ingest path), the store's size, recall@1/@5 of the English original per language,
trace time per article, sentence-alignment precision/recall against the known pairs, and the
cross-language fact check on planted changes to numbers, dates and names in the translated
side (recall) and on the unchanged aligned passages (false flags per 10 passages).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from unspin.datasets.reuters import iter_reuters
from unspin.ingest import ingest
from unspin.store import Store

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
LANGS = {"rus": "ru", "fra": "fr", "spa": "es", "deu": "de", "cmn": "zh"}
PER_ARTICLE = 5


@dataclass(frozen=True)
class Article:
    """One parallel article: its id, language, and sentence lists on both sides."""

    id: str
    lang: str
    english: tuple[str, ...]
    foreign: tuple[str, ...]

    def joiner(self) -> str:
        return "" if self.lang == "zh" else " "

    @property
    def english_text(self) -> str:
        return " ".join(self.english)

    @property
    def foreign_text(self) -> str:
        return self.joiner().join(self.foreign)


def articles(folder: Path) -> list[Article]:
    out: list[Article] = []
    for code, lang in LANGS.items():
        eng = (folder / f"tatoeba.{code}-eng.eng").read_text(encoding="utf-8").splitlines()
        other = (folder / f"tatoeba.{code}-eng.{code}").read_text(encoding="utf-8").splitlines()
        for i in range(0, len(eng) - PER_ARTICLE + 1, PER_ARTICLE):
            out.append(
                Article(
                    f"tatoeba-{lang}-{i // PER_ARTICLE:03d}",
                    lang,
                    tuple(s.strip() for s in eng[i : i + PER_ARTICLE]),
                    tuple(s.strip() for s in other[i : i + PER_ARTICLE]),
                )
            )
    return out


def corpus_file(arts: list[Article], work: Path, reuters: int) -> tuple[Path, int]:
    path = work / "corpus.jsonl"
    n = 0
    with path.open("w", encoding="utf-8") as f:
        # The originals first: a run cut short still holds every original, and the figures
        # are then among the distractors indexed so far (the report counts them).
        for a in arts:
            f.write(json.dumps({"id": a.id, "text": a.english_text}) + "\n")
            n += 1
        for i, d in enumerate(iter_reuters(DATA / "reuters21578")):
            if i >= reuters:
                break
            f.write(json.dumps({"id": d.id, "text": d.text, "date": d.date}) + "\n")
            n += 1
    return path, n


def timed_ingest(src: Path, db: Path, xling: bool) -> dict[str, float]:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    t0 = time.perf_counter()
    with Store(db) as store:
        rep = ingest([src], store, xling=xling, workers=1)
    secs = time.perf_counter() - t0
    return {
        "documents": rep.added,
        "seconds": round(secs, 1),
        "docs_per_s": round(rep.added / secs, 1),
        "store_mb": round(db.stat().st_size / 2**20, 1),
    }


MISSED = 99  # the rank of an original not among the hits


def nearest_keys(store: Store, text: str, k: int = 5) -> tuple[list[int], float]:
    """Text keys of the ``k`` stored texts nearest to ``text`` in other languages than its
    own, straight from the index (detect, encode the lead, nearest), and the seconds taken."""
    from unspin.xling import index
    from unspin.xling.embed import encode, lead
    from unspin.xling.language import detect

    t0 = time.perf_counter()
    hits = index.nearest(store, encode([lead(text)])[0], k, other_than=detect(text))
    return [h.text_key for h in hits], time.perf_counter() - t0


def rank_of(want: int, keys: list[int]) -> int:
    """1-based place of ``want`` among ``keys``, :data:`MISSED` when absent."""
    return keys.index(want) + 1 if want in keys else MISSED


def recall_row(ranks: list[int]) -> dict[str, object]:
    """Articles, recall@1 and recall@5 of a list of ranks."""
    return {
        "articles": len(ranks),
        "recall@1": round(sum(r == 1 for r in ranks) / len(ranks), 3),
        "recall@5": round(sum(r <= 5 for r in ranks) / len(ranks), 3),
    }


def retrieval(arts: list[Article], store: Store) -> dict[str, object]:
    """recall@1/@5 of the English original among every stored text not in the article's
    language, straight from the index; with the time per query."""
    by_id = {d.id: d.key for d, _ in store.iter_documents() if d.id.startswith("tatoeba-")}
    same = _equivalents(articles_of_store(by_id, arts))
    ranks: dict[str, list[int]] = {}
    lenient: dict[str, list[int]] = {}
    seconds: list[float] = []
    for n, a in enumerate(arts, 1):
        if n % 50 == 0:
            print(f"retrieval: {n} of {len(arts)} articles", file=sys.stderr, flush=True)
        keys, took = nearest_keys(store, a.foreign_text)
        seconds.append(took)
        want = by_id[a.id]
        ranks.setdefault(a.lang, []).append(rank_of(want, keys))
        # Tatoeba's English sides overlap across languages: an article holding 3 or more
        # of the original's 5 English sentences is the same original for a reader.
        ok = {by_id[x] for x in same.get(a.id, ())} | {want}
        at = [i for i, k in enumerate(keys, 1) if k in ok]
        lenient.setdefault(a.lang, []).append(at[0] if at else MISSED)
    out: dict[str, object] = {}
    for lang, rs in ranks.items():
        out[lang] = recall_row(rs) | {
            "recall@1_same_sentences": round(sum(r == 1 for r in lenient[lang]) / len(rs), 3)
        }
    every = [r for rs in ranks.values() for r in rs]
    every_lenient = [r for rs in lenient.values() for r in rs]
    out["all"] = recall_row(every) | {
        "recall@1_same_sentences": round(sum(r == 1 for r in every_lenient) / len(every), 3),
        "median_query_s": round(statistics.median(seconds), 3),
    }
    return out


def articles_of_store(by_id: dict[str, int], arts: list[Article]) -> list[Article]:
    """The articles whose English side is in the store."""
    return [a for a in arts if a.id in by_id]


def _equivalents(arts: list[Article]) -> dict[str, set[str]]:
    """For each article, the other articles sharing at least 3 of its English sentences."""
    holders: dict[str, set[str]] = {}
    for a in arts:
        for sentence in a.english:
            holders.setdefault(sentence, set()).add(a.id)
    out: dict[str, set[str]] = {}
    for a in arts:
        shared: dict[str, int] = {}
        for sentence in set(a.english):
            for other in holders[sentence] - {a.id}:
                shared[other] = shared.get(other, 0) + 1
        out[a.id] = {o for o, n in shared.items() if n >= 3}
    return out


def tracing(arts: list[Article], store: Store, per_lang: int) -> dict[str, object]:
    """The whole cross-language trace on ``per_lang`` articles per language: is the original
    the top source, and sentence alignment precision/recall against the known pairs."""
    from unspin.xling.trace import trace_across

    by_id = {d.id: d.key for d, _ in store.iter_documents() if d.id.startswith("tatoeba-")}
    same = _equivalents(articles_of_store(by_id, arts))
    out: dict[str, object] = {}
    every: list[float] = []
    tp_all = fp_all = fn_all = 0
    for lang in LANGS.values():
        chosen = [a for a in arts if a.lang == lang][:per_lang]
        top1 = tp = fp = fn = 0
        for a in chosen:
            t0 = time.perf_counter()
            res = trace_across(a.foreign_text, store, name=a.id)
            every.append(time.perf_counter() - t0)
            truth = set(_pairs(a))
            got: set[tuple[int, int]] = set()
            ok = {by_id[x] for x in same.get(a.id, ())} | {by_id[a.id]}
            top = res.sources[0].document.key if res.sources else None
            top1 += top in ok
            if top == by_id[a.id]:  # offsets are known for the original itself
                got = {(p.pair.source_start, p.pair.target_start) for p in res.sources[0].passages}
            tp += len(got & truth)
            fp += len(got - truth)
            fn += len(truth - got)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        out[lang] = {
            "articles": len(chosen),
            "top_source_is_original": round(top1 / len(chosen), 3),
            "align_precision": round(tp / max(1, tp + fp), 3),
            "align_recall": round(tp / max(1, tp + fn), 3),
        }
    out["all"] = {
        "align_precision": round(tp_all / max(1, tp_all + fp_all), 3),
        "align_recall": round(tp_all / max(1, tp_all + fn_all), 3),
        "median_trace_s": round(statistics.median(every), 2),
        "p90_trace_s": round(sorted(every)[int(0.9 * len(every))], 2),
    }
    return out


def fact_check(arts: list[Article]) -> dict[str, object]:
    """The fact check on every known sentence pair: false flags on the pairs as translated,
    recall on planted changes to the translated side (a number, a month, a name)."""
    import random

    from babel import Locale

    from unspin.xling.facts import _found, check, document_names, source_names

    rng = random.Random(23)
    out: dict[str, object] = {}
    totals = {"passages": 0, "false_flags": 0, "planted": 0, "caught": 0}
    for lang in LANGS.values():
        chosen = [a for a in arts if a.lang == lang]
        pool = _name_pool(chosen)
        months = {
            k: v for k, v in Locale.parse(lang).months["format"]["wide"].items() if len(v) >= 3
        }
        passages = flags = planted = caught = 0
        by_kind: dict[str, list[int]] = {}
        for a in chosen:
            known = document_names(a.english_text)
            for eng, other in zip(a.english, a.foreign, strict=True):
                passages += 1
                if check(eng, other, lang, "en", known):
                    flags += 1
                for kind, changed in _plants(eng, other, lang, known, pool, months, rng):
                    hit = bool(check(eng, changed, lang, "en", known))
                    planted += 1
                    caught += hit
                    by_kind.setdefault(kind, [0, 0])
                    by_kind[kind][0] += 1
                    by_kind[kind][1] += hit
        out[lang] = {
            "passages": passages,
            "false_flags_per_10": round(10 * flags / passages, 3),
            "planted": planted,
            "recall": round(caught / max(1, planted), 3),
            "by_kind": {
                k: {"planted": n, "recall": round(c / n, 3)} for k, (n, c) in by_kind.items()
            },
        }
        totals["passages"] += passages
        totals["false_flags"] += flags
        totals["planted"] += planted
        totals["caught"] += caught
    out["all"] = {
        "passages": totals["passages"],
        "false_flags_per_10": round(10 * totals["false_flags"] / totals["passages"], 3),
        "planted": totals["planted"],
        "recall": round(totals["caught"] / max(1, totals["planted"]), 3),
    }
    _ = (_found, source_names)
    return out


def _name_pool(arts: list[Article]) -> list[str]:
    """Names as the translations write them: the words that render an English name."""
    from unspin.xling.facts import _WORD, _found, document_names, source_names

    pool: set[str] = set()
    for a in arts:
        known = document_names(a.english_text)
        for eng, other in zip(a.english, a.foreign, strict=True):
            for name in source_names(eng, known):
                for m in _WORD.finditer(other):
                    if m.group()[:1].isupper() and _found(name, [m.group()]):
                        pool.add(m.group())
    return sorted(pool)


def _plants(
    eng: str,
    other: str,
    lang: str,
    known: frozenset[str],
    pool: list[str],
    months: dict[int, str],
    rng: object,
) -> list[tuple[str, str]]:
    """Changed copies of the translated sentence, one per kind of fact it has."""
    import random
    import re

    from unspin.xling.facts import _WORD, _found, source_names

    assert isinstance(rng, random.Random)
    out: list[tuple[str, str]] = []
    digits = list(re.finditer(r"\d+", other))
    if digits:
        m = rng.choice(digits)
        value = int(m.group())
        new = str(value + rng.choice([1, 2, 3, 10]) if value < 100 else value * 2)
        out.append(("number", other[: m.start()] + new + other[m.end() :]))
    by_name = {v.lower(): k for k, v in months.items()}
    for w in _WORD.finditer(other):
        k = by_name.get(w.group().lower())
        if k is not None:
            out.append(("month", other[: w.start()] + months[k % 12 + 1] + other[w.end() :]))
            break
    for name in source_names(eng, known):
        words = [w for w in _WORD.finditer(other) if _found(name, [w.group()])]
        others = [p for p in pool if not _found(name, [p])]
        if words and others:
            w = words[0]
            out.append(("name", other[: w.start()] + rng.choice(others) + other[w.end() :]))
            break
    return out


def _pairs(a: Article) -> list[tuple[int, int]]:
    """(source start, article start) of every known sentence pair of an article."""
    out = []
    s_at = t_at = 0
    for eng, other in zip(a.english, a.foreign, strict=True):
        out.append((s_at, t_at))
        s_at += len(eng) + 1
        t_at += len(other) + len(a.joiner())
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tatoeba", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("/tmp/xling/bench"))
    ap.add_argument("--stage", choices=["ingest", "eval", "all"], default="all")
    ap.add_argument("--trace-per-lang", type=int, default=20)
    ap.add_argument("--queries-per-lang", type=int, default=200)
    ap.add_argument(
        "--reuters", type=int, default=19_043, help="Reuters stories to ingest (default: all)"
    )
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    arts = articles(args.tatoeba)
    results: dict[str, object] = {"articles": len(arts)}
    if args.stage in ("ingest", "all"):
        src, n = corpus_file(arts, args.work, args.reuters)
        results["corpus_documents"] = n
        results["ingest_off"] = timed_ingest(src, args.work / "off.db", xling=False)
        print(json.dumps(results, indent=1), flush=True)
        results["ingest_on"] = timed_ingest(src, args.work / "on.db", xling=True)
        print(json.dumps(results, indent=1), flush=True)
        (args.work / "ingest.json").write_text(json.dumps(results, indent=1))
    if args.stage in ("eval", "all"):
        done = args.work / "ingest.json"
        if done.exists():  # absent while an ingest is still running: figures so far
            results.update(json.loads(done.read_text()))
        with Store(args.work / "on.db", readonly=True) as store:
            results["indexed_texts"] = store.conn.execute(
                "SELECT COUNT(*) FROM xvectors"
            ).fetchone()[0]
            queried = [
                a
                for lang in LANGS.values()
                for a in [x for x in arts if x.lang == lang][: args.queries_per_lang]
            ]
            results["retrieval"] = retrieval(queried, store)
            print(json.dumps(results, indent=1), flush=True)
            results["trace"] = tracing(arts, store, args.trace_per_lang)
        results["fact_check"] = fact_check(arts)
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
