"""Tracing across languages on news, in both directions (issue 23, items 1 and 6).

Run from the repository root (the xling extra and the ``bench`` extra installed):

    .venv/bin/python benchmarks/bench_xling_news.py --news DIR --base /tmp/xling/bench20k \
        [--work /tmp/xling/news-bench]

The fact check alone works on the known segment pairs and needs no store (no ``--base``):

    .venv/bin/python benchmarks/bench_xling_news.py --news DIR --stage facts

and on a later WMT general test set that no rule was tuned on (ru, de and zh both ways; TXT is
the ``txt`` folder of wmt-conference/wmt23-news-systems or wmt22-news-systems):

    .venv/bin/python benchmarks/bench_xling_news.py --general-test TXT --stage facts

Data (development figures: we could look at all of it). DIR holds plain-text, one segment a
line, parallel files read from public GitHub repositories and never committed here:

- WMT21 news test sets (wmt-conference/wmt21-news-systems, ``txt/sources`` and
  ``txt/references/*.ref.A.*``): ``nt21.en-{ru,de,zh}.{en,xx}`` (1,002 English news
  sentences, professional translations into Russian, German and Chinese) and
  ``nt21.{ru,de,zh}-en.{xx,en}`` (1,000 to 1,948 Russian, German and Chinese news sentences
  with their English translations).
- WMT newstest2012 and newstest2013 (English, French and Spanish, 3,003 and 3,000 sentences,
  multi-way parallel; Moses-tokenised, detokenised here with sacremoses), from
  devonzuegel/fiesta: ``nt12.{en,fr,es}``, ``nt13.{en,fr,es}``.
- Distractors in other languages: WMT22 (wmt-conference/wmt22-news-systems) ``txt``
  sources of ``{ru,de,zh}-en`` and references of ``en-{ru,de,zh}``: ``nt22.*``.

Each run of :data:`PER_ARTICLE` consecutive segments is one article, its lines joined by blank
lines (a headline stays a paragraph of its own). Documents boundaries are not in the plain
files, so an article can straddle two stories: both sides straddle the same way.

Two directions, one mixed store (the English store of ``bench_xling.py``, ``--base``: 19,043
Reuters stories and 1,000 Tatoeba articles, with the news articles below added):

- ``to_en``: an article in ru/de/zh/fr/es is traced; its English original is stored. ru, de,
  zh from ``nt21.en-xx`` (English originals, human translations); fr and es from ``nt13``
  (both translate the same English side, stored once).
- ``from_en``: an English article is traced; its original in ru/de/zh/fr/es is stored. ru,
  de, zh from ``nt21.xx-en`` (originals in those languages); fr and es from ``nt12`` (the
  first half of its articles stored in French, the second half in Spanish, so that no
  article is stored in two languages other than English).

Measured: ingest documents/s with the extra on and off (the news file appended to copies of
the base stores, through the real ingest path), recall@1/@5 of the original per language and
direction (straight from the index: the article's own language left out), the whole trace
(top source, time per article, sentence-alignment precision/recall by segment), and the fact
check on every known segment pair with planted changes to the translated side.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench_xling import nearest_keys, rank_of, recall_row
from english_proper_nouns import ProperNouns, proper_nouns

from unspin.ingest import ingest
from unspin.store import Store

LANGS = ("ru", "de", "zh", "fr", "es")
PER_ARTICLE = 6
JOIN = "\n\n"


@dataclass(frozen=True)
class NewsArticle:
    """One parallel article: the stored original and the traced translation, by segment."""

    id: str
    lang: str  # the language other than English
    direction: str  # "to_en": the foreign side is traced; "from_en": the English side is
    english: tuple[str, ...]
    foreign: tuple[str, ...]

    @property
    def english_text(self) -> str:
        return JOIN.join(self.english)

    @property
    def foreign_text(self) -> str:
        return JOIN.join(self.foreign)

    @property
    def stored(self) -> tuple[str, str]:
        """(id, text) of the side that is ingested."""
        if self.direction == "to_en":
            return f"{self.id}-en", self.english_text
        return f"{self.id}-{self.lang}", self.foreign_text

    @property
    def query(self) -> str:
        return self.foreign_text if self.direction == "to_en" else self.english_text


def _lines(path: Path, moses: str | None = None) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    if moses is None:
        return lines
    from sacremoses import MosesDetokenizer

    detok = MosesDetokenizer(lang=moses)
    return [detok.detokenize(line.split()) for line in lines]


def _chunks(
    name: str, lang: str, direction: str, english: list[str], foreign: list[str]
) -> list[NewsArticle]:
    assert len(english) == len(foreign), name
    out = []
    for i in range(0, len(english) - PER_ARTICLE + 1, PER_ARTICLE):
        e, f = english[i : i + PER_ARTICLE], foreign[i : i + PER_ARTICLE]
        if all(e) and all(f):
            out.append(
                NewsArticle(
                    f"{name}-{lang}-{i // PER_ARTICLE:03d}", lang, direction, tuple(e), tuple(f)
                )
            )
    return out


def news_articles(folder: Path) -> list[NewsArticle]:
    out: list[NewsArticle] = []
    # nt21's en-ru, en-de and en-zh hold the same English segments in different orders:
    # every language translates the articles of the en-ru order (stored once).
    english = _lines(folder / "nt21.en-ru.en")
    for lang in ("ru", "de", "zh"):
        pairs = dict(
            zip(
                _lines(folder / f"nt21.en-{lang}.en"),
                _lines(folder / f"nt21.en-{lang}.{lang}"),
                strict=True,
            )
        )
        foreign = [pairs.get(e, "") for e in english]
        out += _chunks("nt21-en", lang, "to_en", english, foreign)
        out += _chunks(
            "nt21-toen",
            lang,
            "from_en",
            _lines(folder / f"nt21.{lang}-en.en"),
            _lines(folder / f"nt21.{lang}-en.{lang}"),
        )
    en13 = _lines(folder / "nt13.en", "en")
    en12 = _lines(folder / "nt12.en", "en")
    for lang in ("fr", "es"):
        out += _chunks("nt13", lang, "to_en", en13, _lines(folder / f"nt13.{lang}", lang))
        arts = _chunks("nt12", lang, "from_en", en12, _lines(folder / f"nt12.{lang}", lang))
        half = len(arts) // 2
        out += arts[:half] if lang == "fr" else arts[half:]
    return out


# A speaker or a name anonymised in WMT23's speech transcripts ("[PERSON8]", "(PERSON11)",
# "[ORGANIZATION5]"): no fact of the text, and translated in Russian ("[ЧЕЛОВЕК8]").
_ANONYMISED = re.compile(r"[\[(][A-Z_]+\d+[\])]")


def general_test_articles(txt: Path, keep_anonymised: bool = False) -> list[NewsArticle]:
    """The articles of a later WMT general test set (the ``txt`` folder of
    wmt-conference/wmt22-news-systems or wmt23-news-systems): ru, de and zh in both
    directions, as :func:`news_articles` makes them from WMT21, for the fact check on text
    that no rule was tuned on. Its domains are mixed (news, e-commerce, social, speech
    transcripts with anonymised speakers, manuals): the files carry no domain. A line that
    holds several sentences on both sides, as many on each (WMT23's German is a paragraph a
    line), gives a passage per sentence, paired in order, since the trace checks facts per
    aligned sentence pair; other lines stay whole. A line whose English holds an anonymised
    name (:data:`_ANONYMISED`) is left out unless ``keep_anonymised``."""
    from unspin.xling.sentences import spans

    sources, references = txt / "sources", txt / "references"

    def one(folder: Path, pattern: str) -> Path:
        # The first match ("refA" in 2023, "A" in 2022 for the references).
        found = sorted(folder.glob(pattern))
        if not found:
            raise SystemExit(f"--general-test {txt}: no file {folder / pattern}")
        return found[0]

    def pair(src: str, tgt: str) -> tuple[list[str], list[str]]:
        source = one(sources, f"generaltest*.{src}-{tgt}.src.{src}")
        ref = one(references, f"generaltest*.{src}-{tgt}.ref.*{tgt}")
        a_out: list[str] = []
        b_out: list[str] = []
        for a, b in zip(_lines(source), _lines(ref), strict=True):
            if not keep_anonymised and _ANONYMISED.search(a if src == "en" else b):
                continue
            a_spans, b_spans = spans(a), spans(b)
            if len(a_spans) > 1 and len(a_spans) == len(b_spans):
                a_out += [a[i:j] for i, j in a_spans]
                b_out += [b[i:j] for i, j in b_spans]
            else:
                a_out.append(a)
                b_out.append(b)
        return a_out, b_out

    out: list[NewsArticle] = []
    for lang in ("ru", "de", "zh"):
        english, foreign = pair("en", lang)
        out += _chunks("gt-en", lang, "to_en", english, foreign)
        foreign, english = pair(lang, "en")
        out += _chunks("gt-toen", lang, "from_en", english, foreign)
    return out


def distractors(folder: Path) -> Iterable[tuple[str, str]]:
    """Foreign-language news (WMT22) no article translates: ``(id, text)``."""
    for path in sorted(folder.glob("nt22.*")):
        lines = [x for x in _lines(path) if x]
        for i in range(0, len(lines) - PER_ARTICLE + 1, PER_ARTICLE):
            yield f"{path.name}-{i // PER_ARTICLE:03d}", JOIN.join(lines[i : i + PER_ARTICLE])


def stored_ids(arts: list[NewsArticle]) -> dict[str, str]:
    """Article id -> the id its original is stored under: an English side that several
    languages translate (nt13, nt21's en-xx) is stored once, under its first article's id."""
    first: dict[str, str] = {}
    return {a.id: first.setdefault(a.stored[1], a.stored[0]) for a in arts}


def news_file(arts: list[NewsArticle], folder: Path, work: Path) -> tuple[Path, dict[str, int]]:
    path = work / "news.jsonl"
    written: set[str] = set()
    counts = {"english_news": 0, "foreign_news": 0, "foreign_distractors": 0}
    ids = stored_ids(arts)
    with path.open("w", encoding="utf-8") as f:
        for a in arts:
            doc_id, text = ids[a.id], a.stored[1]
            if doc_id in written:
                continue
            written.add(doc_id)
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            counts["english_news" if a.direction == "to_en" else "foreign_news"] += 1
        for doc_id, text in distractors(folder):
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            counts["foreign_distractors"] += 1
    return path, counts


def timed_append(src: Path, base: Path, db: Path, xling: bool) -> dict[str, float]:
    """Copy the base store and ingest ``src`` into the copy: documents/s of the append."""
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    shutil.copyfile(base, db)
    before = db.stat().st_size
    t0 = time.perf_counter()
    with Store(db) as store:
        rep = ingest([src], store, xling=xling, workers=1)
    secs = time.perf_counter() - t0
    return {
        "documents": rep.added,
        "seconds": round(secs, 1),
        "docs_per_s": round(rep.added / secs, 1),
        "store_mb_before": round(before / 2**20, 1),
        "store_mb_after": round(db.stat().st_size / 2**20, 1),
    }


def _stored_keys(store: Store, arts: list[NewsArticle]) -> dict[str, int]:
    """Article id -> the stored key of its original."""
    by_id = {d.id: d.key for d, _ in store.iter_documents()}
    return {a: by_id[i] for a, i in stored_ids(arts).items()}


def retrieval(arts: list[NewsArticle], store: Store, keys: dict[str, int]) -> dict[str, object]:
    """recall@1/@5 of the original per direction and language, straight from the index."""
    from unspin.xling import index

    langs = index.languages(store)
    ranks: dict[str, list[int]] = {}
    seconds: list[float] = []
    for n, a in enumerate(arts, 1):
        if n % 100 == 0:
            print(f"retrieval: {n} of {len(arts)}", file=sys.stderr, flush=True)
        got, took = nearest_keys(store, a.query)
        seconds.append(took)
        ranks.setdefault(f"{a.direction}/{a.lang}", []).append(rank_of(keys[a.id], got))
    out: dict[str, object] = {"stored_languages": dict(langs.most_common())}
    for group, rs in sorted(ranks.items()):
        out[group] = recall_row(rs)
    for direction in ("to_en", "from_en"):
        out[direction] = recall_row(
            [r for g, v in ranks.items() if g.startswith(direction + "/") for r in v]
        )
    out["median_query_s"] = round(statistics.median(seconds), 3)
    return out


def reranked_retrieval(
    arts: list[NewsArticle], store: Store, keys: dict[str, int]
) -> dict[str, object]:
    """Recall@1/@5 of the original per group, from the index alone (as :func:`retrieval`)
    and re-ranked by shared numbers and names (:func:`unspin.xling.rerank.candidates`, what
    the trace reads), by half: ``even`` are the articles the weights were fitted on (every
    other article of each group, from the first), ``odd`` the others. Times: the median
    query (detect, encode the lead, nearest 5) without and with the re-ranking (the keys of
    the article and of its 50 candidates computed at every query)."""
    from unspin.xling import index, rerank
    from unspin.xling.embed import encode, lead
    from unspin.xling.language import detect

    ranks: dict[str, dict[str, list[int]]] = {}
    before: list[float] = []
    after: list[float] = []
    seen: dict[str, int] = {}
    for n, a in enumerate(arts, 1):
        if n % 100 == 0:
            print(f"re-ranked retrieval: {n} of {len(arts)}", file=sys.stderr, flush=True)
        group = f"{a.direction}/{a.lang}"
        half = "even" if seen.get(group, 0) % 2 == 0 else "odd"
        seen[group] = seen.get(group, 0) + 1
        t0 = time.perf_counter()
        lang = detect(a.query)
        vec = encode([lead(a.query)])[0]
        t1 = time.perf_counter()
        plain = index.nearest(store, vec, 5, other_than=lang)
        t2 = time.perf_counter()
        t3 = time.perf_counter()
        better = rerank.candidates(store, a.query, vec, 5, other_than=lang)
        t4 = time.perf_counter()
        before.append(t2 - t0)
        after.append(t1 - t0 + t4 - t3)
        want = keys[a.id]
        for name, hits in (("index", plain), ("reranked", better)):
            rank = rank_of(want, [h.text_key for h in hits])
            for part in (group, f"{group}/{half}", a.direction):
                ranks.setdefault(part, {}).setdefault(name, []).append(rank)
    out: dict[str, object] = {}
    for part, by in sorted(ranks.items()):
        out[part] = {"articles": len(by["index"])} | {
            f"{name} recall@{k}": round(sum(r <= k for r in rs) / len(rs), 3)
            for name, rs in by.items()
            for k in (1, 5)
        }
    out["median_query_s_index"] = round(statistics.median(before), 3)
    out["median_query_s_reranked"] = round(statistics.median(after), 3)
    return out


def foreign_only(arts: list[NewsArticle], folder: Path, work: Path, per_group: int) -> dict:
    """from_en retrieval against a store of the foreign texts only (the news originals in
    ru/de/zh/fr/es and the WMT22 distractors): an English article leaves English texts out,
    so this store ranks exactly as the whole mixed one does, and takes minutes to ingest
    instead of hours. Ingested (with the extra) into ``work/foreign.db`` unless there."""
    db = work / "foreign.db"
    out: dict[str, object] = {}
    from_en = [a for a in arts if a.direction == "from_en"]
    if not db.exists():
        src, _ = news_file(arts, folder, work)
        stored = {stored_ids(arts)[a.id] for a in from_en}
        only = work / "foreign.jsonl"
        with only.open("w", encoding="utf-8") as f:
            for line in src.open(encoding="utf-8"):
                doc_id = json.loads(line)["id"]
                if doc_id in stored or doc_id.startswith("nt22."):
                    f.write(line)
        t0 = time.perf_counter()
        with Store(db) as store:
            rep = ingest([only], store, xling=True, workers=1)
        out["ingest"] = {"documents": rep.added, "seconds": round(time.perf_counter() - t0)}
    with Store(db, readonly=True) as store:
        from unspin.xling import index

        out["stored_languages"] = dict(index.languages(store).most_common())
        by_id = {d.id: d.key for d, _ in store.iter_documents()}
        ids = stored_ids(arts)
        keys = {a.id: by_id[ids[a.id]] for a in from_en}
        queried: list[NewsArticle] = []
        for lang in LANGS:
            members = [a for a in from_en if a.lang == lang]
            queried += members[:: max(1, len(members) // per_group)][:per_group]
        out["retrieval"] = reranked_retrieval(queried, store, keys)
    return out


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each segment of an article joined by :data:`JOIN`."""
    out, at = [], 0
    for part in text.split(JOIN):
        out.append((at, at + len(part)))
        at += len(part) + len(JOIN)
    return out


def _segment_of(bounds: list[tuple[int, int]], start: int, end: int) -> frozenset[int]:
    return frozenset(i for i, (a, b) in enumerate(bounds) if start < b and end > a)


def tracing(
    arts: list[NewsArticle], store: Store, keys: dict[str, int], per_group: int
) -> dict[str, object]:
    """The whole trace on ``per_group`` articles per language and direction: is the original
    the top source; sentence alignment by segment: an aligned pair is right when both of its
    sentences lie in the same known segment pair (a segment may hold several sentences);
    a segment pair is found when a right pair lies in it."""
    from unspin.xling.trace import trace_across

    out: dict[str, object] = {}
    every: list[float] = []
    totals = [0, 0, 0, 0]  # right pairs, pairs, segments found, segments
    shown = [0, 0, 0]  # passages in the reports, flagged passages, sources
    groups: dict[str, list[NewsArticle]] = {}
    for a in arts:
        groups.setdefault(f"{a.direction}/{a.lang}", []).append(a)
    for group, members in sorted(groups.items()):
        chosen = members[:: max(1, len(members) // per_group)][:per_group]
        top1 = right = pairs = found = segs = 0
        for a in chosen:
            t0 = time.perf_counter()
            res = trace_across(a.query, store, name=a.id)
            every.append(time.perf_counter() - t0)
            # Every passage the report shows, of every source, and the ones it flags: the
            # articles are translated as published, so a flag is false (or a real slip of
            # the translator).
            shown[0] += sum(len(src.passages) for src in res.sources)
            shown[1] += sum(bool(p.distortions) for src in res.sources for p in src.passages)
            shown[2] += len(res.sources)
            want = keys[a.id]
            stored_text = store.text(want)
            src_bounds, tgt_bounds = _segments(stored_text), _segments(a.query)
            segs += len(src_bounds)
            if not res.sources or res.sources[0].document.key != want:
                continue
            top1 += 1
            hit: set[int] = set()
            for p in res.sources[0].passages:
                s = _segment_of(src_bounds, p.pair.source_start, p.pair.source_end)
                t = _segment_of(tgt_bounds, p.pair.target_start, p.pair.target_end)
                pairs += 1
                if s == t and len(s) == 1:
                    right += 1
                    hit |= s
            found += len(hit)
        out[group] = {
            "articles": len(chosen),
            "top_source_is_original": round(top1 / len(chosen), 3),
            "align_precision": round(right / max(1, pairs), 3),
            "align_recall": round(found / max(1, segs), 3),
        }
        totals = [totals[0] + right, totals[1] + pairs, totals[2] + found, totals[3] + segs]
    out["all"] = {
        "align_precision": round(totals[0] / max(1, totals[1]), 3),
        "align_recall": round(totals[2] / max(1, totals[3]), 3),
        "sources_per_trace": round(shown[2] / max(1, len(every)), 2),
        "passages_shown": shown[0],
        "flags_per_10_passages_shown": round(10 * shown[1] / max(1, shown[0]), 3),
        "median_trace_s": round(statistics.median(every), 2),
        "p90_trace_s": round(sorted(every)[int(0.9 * len(every))], 2),
        "traces": len(every),
    }
    return out


def same_language_trace(arts: list[NewsArticle], db: Path, per_group: int) -> dict[str, object]:
    """The ordinary trace (no extra) of the same articles against the store ingested without
    the vectors: the time it takes, and how often it names the original (it cannot, across
    languages: the fingerprints of two languages share little but numbers and names)."""
    from unspin.trace import trace

    with Store(db, readonly=True) as store:
        by_id = {d.id: d.key for d, _ in store.iter_documents()}
        ids = stored_ids(arts)
        groups: dict[str, list[NewsArticle]] = {}
        for a in arts:
            groups.setdefault(f"{a.direction}/{a.lang}", []).append(a)
        seconds: list[float] = []
        found = total = 0
        for members in groups.values():
            for a in members[:: max(1, len(members) // per_group)][:per_group]:
                t0 = time.perf_counter()
                res = trace(a.query, store, name=a.id)
                seconds.append(time.perf_counter() - t0)
                total += 1
                found += bool(res.sources) and res.sources[0].document.key == by_id[ids[a.id]]
    return {
        "traces": total,
        "top_source_is_original": round(found / max(1, total), 3),
        "median_trace_s": round(statistics.median(seconds), 2),
        "p90_trace_s": round(sorted(seconds)[int(0.9 * len(seconds))], 2),
    }


def fact_check(
    arts: list[NewsArticle], name_plants: str = "case", plants_file: Path | None = None
) -> dict[str, object]:
    """The fact check on every known segment pair as translated (false flags), and with one
    planted change to a number, a month or a name of the translated side (recall). The
    English side is always read as the source sentence, as the trace does.

    ``name_plants``: where the changed side is English, "case" plants a changed name on a word
    of one of the checker's names that the English texts write as a proper noun, and puts in
    its place such a word of another of the group's names (:mod:`english_proper_nouns`,
    docs/benchmarks.md 18.20); "checker" on a word of the name that the checker's loose match
    accepts, with the last word of another name in its place (18.19's bench).

    ``plants_file``: where it exists, the changes planted are read from it instead of made;
    else the changes made are written to it. The plants are chosen with the checker's own
    functions (:func:`_plants`), so two trees compared on their own plants are read on
    different changes: write the file with one tree, read it with the other
    (docs/benchmarks.md 18.26)."""
    from babel import Locale

    from unspin.xling.facts import check, document_names

    given: dict[str, list[list[str]]] | None = None
    if plants_file is not None and plants_file.exists():
        given = json.loads(plants_file.read_text(encoding="utf-8"))
    made: dict[str, list[tuple[str, str]]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    rng = random.Random(23)
    names = proper_nouns(s for a in arts for s in a.english) if name_plants == "case" else None
    out: dict[str, object] = {}
    groups: dict[str, list[NewsArticle]] = {}
    for a in arts:
        groups.setdefault(f"{a.direction}/{a.lang}", []).append(a)
    totals = {"to_en": [0, 0, 0, 0, 0], "from_en": [0, 0, 0, 0, 0]}
    for group, members in sorted(groups.items()):
        direction, lang = group.split("/")
        plant_lang = lang if direction == "to_en" else "en"
        pool = _name_pool(members, translated=direction == "to_en", names=names)
        months = Locale.parse(plant_lang).months["format"]["wide"]
        passages = flags = planted = caught = caught_new = 0
        by_kind: dict[str, list[int]] = {}
        # Even and odd articles of the group apart: tune on one half, report the other.
        by_half = {"even": [0, 0, 0, 0], "odd": [0, 0, 0, 0]}  # passages, flags, planted, caught
        for index, a in enumerate(members):
            known = document_names(a.english_text)
            half = by_half["even" if index % 2 == 0 else "odd"]
            for eng, other in zip(a.english, a.foreign, strict=True):
                passages += 1
                published = check(eng, other, lang, "en", known)
                flags += bool(published)
                half[0] += 1
                half[1] += bool(published)
                changed_side = other if direction == "to_en" else eng
                # By the pair's text, not its place: a tree's sentence splitter decides the
                # passages of the general test's lines, and two trees may split them apart.
                # A pair written again ("Thank you.") counts its times.
                seen[(group, eng, other)] = times = seen.get((group, eng, other), 0) + 1
                key = f"{group}|{eng}|{other}|{times}"
                if given is not None:
                    plants = [(kind, changed) for kind, changed in given.get(key, [])]
                else:
                    plants = _plants(eng, changed_side, plant_lang, known, pool, months, rng, names)
                    made[key] = plants
                for kind, changed in plants:
                    pair = (eng, changed) if direction == "to_en" else (changed, other)
                    found = check(pair[0], pair[1], lang, "en", known)
                    hit = bool(found)
                    # Strict: a flag the published pair does not have (a false flag of the
                    # published pair does not count as catching the planted change).
                    new_hit = bool(set(found) - set(published))
                    planted += 1
                    caught += hit
                    half[2] += 1
                    half[3] += hit
                    caught_new += new_hit
                    by_kind.setdefault(kind, [0, 0, 0])
                    by_kind[kind][0] += 1
                    by_kind[kind][1] += hit
                    by_kind[kind][2] += new_hit
        out[group] = {
            "passages": passages,
            "false_flags_per_10": round(10 * flags / passages, 3),
            "planted": planted,
            "recall": round(caught / max(1, planted), 3),
            "recall_strict": round(caught_new / max(1, planted), 3),
            "by_kind": {
                k: {"planted": n, "recall": round(c / n, 3), "recall_strict": round(c2 / n, 3)}
                for k, (n, c, c2) in by_kind.items()
            },
            "by_half": {
                h: {
                    "passages": p,
                    "false_flags_per_10": round(10 * f / max(1, p), 3),
                    "planted": n,
                    "recall": round(c / max(1, n), 3),
                }
                for h, (p, f, n, c) in by_half.items()
            },
        }
        t = totals[direction]
        totals[direction] = [
            t[0] + passages,
            t[1] + flags,
            t[2] + planted,
            t[3] + caught,
            t[4] + caught_new,
        ]
    for direction, (passages, flags, planted, caught, caught_new) in totals.items():
        out[direction] = {
            "passages": passages,
            "false_flags_per_10": round(10 * flags / max(1, passages), 3),
            "planted": planted,
            "recall": round(caught / max(1, planted), 3),
            "recall_strict": round(caught_new / max(1, planted), 3),
        }
    if plants_file is not None and given is None:
        plants_file.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    return out


def _name_pool(
    arts: list[NewsArticle], translated: bool, names: ProperNouns | None = None
) -> list[str]:
    """Names as the changed side writes them: in the translation, the words that render an
    English name; in English, the last words of the checker's names, with ``names`` the last
    word of each that it reads as a proper noun (without, 18.19's pool also held "Nominates",
    "Declines", "Province" and headline words glued to a site, "Industry-ChinaNews";
    docs/benchmarks.md 18.20)."""
    from unspin.xling.facts import _WORD, _found, document_names, source_names

    pool: set[str] = set()
    for a in arts:
        known = document_names(a.english_text)
        for eng, other in zip(a.english, a.foreign, strict=True):
            for name in source_names(eng, known):
                if not translated:
                    if names is None:
                        pool.add(name.split()[-1])
                    else:  # "Hunan" of "Hunan Province"
                        pool.update([w for w in name.split() if names.is_name_word(w)][-1:])
                    continue
                for m in _WORD.finditer(other):
                    if m.group()[:1].isupper() and _found(name, [m.group()]):
                        pool.add(m.group())
    return sorted(pool)


def _name_spans(name: str, text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes the name ``name`` (its words in order, each with a contraction's
    ending it may have lost: "Yu Bao" in "Yu'E Bao's", "Trump" in "Trump’s")."""
    words = [re.escape(w) + r"(?:['’]\w+)?" for w in name.split()]
    pattern = r"(?<![\w'’-])" + r"\s+".join(words) + r"(?![\w-])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


# A digit and a thousands mark (a comma, a point, a space, a no-break or a thin space) just
# before: what precedes a group of three digits inside a number.
_AFTER_THOUSANDS_MARK = re.compile(r"\d[,.\u00a0\u202f ]$")


def _plants(
    eng: str,
    changed: str,
    lang: str,
    known: frozenset[str],
    pool: list[str],
    months: dict[int, str],
    rng: random.Random,
    names: ProperNouns | None = None,
) -> list[tuple[str, str]]:
    """Changed copies of the sentence ``changed`` (in ``lang``), one per kind of fact: a
    number, a month (to the next month) and a name of the English sentence (to another name
    of the pool). In English, with ``names``, the name's word replaced is one that ``names``
    reads as a proper noun (docs/benchmarks.md 18.20)."""
    from unspin.xling.facts import _WORD, _found, source_names

    out: list[tuple[str, str]] = []
    # A number's digits, not a group of three after a thousands mark: "20,000" changed in its
    # "000" would read "20,1", no number anyone writes; its first digits make "21,000".
    digits = [
        m
        for m in re.finditer(r"\d+", changed)
        if not (len(m.group()) == 3 and _AFTER_THOUSANDS_MARK.search(changed, 0, m.start()))
    ]
    if digits:
        m = rng.choice(digits)
        value = int(m.group())
        new = str(value + rng.choice([1, 2, 3, 10]) if value < 100 else value * 2)
        out.append(("number", changed[: m.start()] + new + changed[m.end() :]))
    by_name = {v.lower(): k for k, v in months.items() if len(v) >= 3}
    for w in _WORD.finditer(changed):
        k = by_name.get(w.group().lower())
        # English writes its months capitalised: "march" and "may" are a noun and a verb.
        if k is not None and not (lang == "en" and w.group()[:1].islower()):
            out.append(("month", changed[: w.start()] + months[k % 12 + 1] + changed[w.end() :]))
            break
    for name in source_names(eng, known):
        # The word that writes the name: never a lower-case word, which the checker's loose
        # match may accept ("Hanna" by "and", "Hunan" by "in") but which is no name, so that
        # replacing it would plant no change to a name (docs/benchmarks.md 18.18). In English
        # (the changed side of from_en) a word of the name where the sentence writes it: the
        # loose match also accepts other capitalised words ("Chinese" for "Changhai Hospital",
        # "True" for "Taihu Theatre"), most of them no name at all (docs/benchmarks.md 18.19).
        # With ``names``, the word must be one the English texts write as a proper noun, not
        # the first word of a sentence that no dictionary holds ("Unevaluated"), a headline's
        # word ("Offline", "Security-Ecns") or a title word also written in lower case
        # ("Province" of "Hunan Province": the place is Hunan), which the checker's finder
        # may take for names (docs/benchmarks.md 18.20).
        spans = _name_spans(name, changed) if lang == "en" else None
        words = [
            w
            for w in _WORD.finditer(changed)
            if not w.group()[:1].islower()
            and (spans is None or any(a < w.end() and w.start() < b for a, b in spans))
            and (
                names.is_name_word(w.group())
                if names is not None and spans is not None
                else _found(name, [w.group()])
            )
        ]
        others = [p for p in pool if not _found(name, [p])]
        if words and others:
            w = words[-1]
            out.append(("name", changed[: w.start()] + rng.choice(others) + changed[w.end() :]))
            break
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    data = ap.add_mutually_exclusive_group(required=True)
    data.add_argument("--news", type=Path, help="folder of the parallel files")
    data.add_argument(
        "--general-test",
        type=Path,
        help="--stage facts only: the txt folder of a later WMT general test set"
        " (wmt-conference/wmt22-news-systems, wmt23-news-systems), ru, de and zh both ways",
    )
    ap.add_argument(
        "--keep-anonymised",
        action="store_true",
        help="--general-test: keep the lines with anonymised names ('[PERSON8]', WMT23's"
        " speech transcripts), left out by default",
    )
    ap.add_argument(
        "--base",
        type=Path,
        help="bench_xling.py's --work folder (not needed for --stage facts or --foreign-only)",
    )
    ap.add_argument("--work", type=Path, default=Path("/tmp/xling/news-bench"))
    ap.add_argument("--stage", choices=["ingest", "eval", "trace", "facts", "all"], default="all")
    ap.add_argument("--queries-per-group", type=int, default=200)
    ap.add_argument("--trace-per-group", type=int, default=10)
    ap.add_argument("--only", nargs="*", help="languages to query and trace (default: all)")
    ap.add_argument(
        "--rerank",
        action="store_true",
        help="--stage eval also measures retrieval re-ranked by shared numbers and names",
    )
    ap.add_argument(
        "--foreign-only",
        action="store_true",
        help="from_en retrieval, index alone and re-ranked, on a store of the foreign texts"
        " only (work/foreign.db, ingested when missing; --base is not read)",
    )
    ap.add_argument(
        "--name-plants",
        choices=["case", "checker"],
        default="case",
        help="where English is changed, plant a name change on a word English writes as a"
        " proper noun (case, 18.20) or on the checker's own names (checker, 18.19's bench)",
    )
    ap.add_argument(
        "--plants-file",
        type=Path,
        help="--stage facts: read the planted changes from this JSON file where it exists, else"
        " write the ones made to it (to compare two trees on the same plants)",
    )
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.general_test is not None:
        if args.stage != "facts" or args.foreign_only:
            ap.error("--general-test is read by --stage facts only")
        arts = general_test_articles(args.general_test, args.keep_anonymised)
    else:
        arts = news_articles(args.news)
    if args.foreign_only:
        res = foreign_only(arts, args.news, args.work, args.queries_per_group)
        print(json.dumps(res, indent=1))
        (args.work / "results-foreign-only.json").write_text(json.dumps(res, indent=1))
        return
    if args.base is None and args.stage != "facts":
        ap.error(f"--stage {args.stage} needs --base (bench_xling.py's --work folder)")
    groups = sorted({f"{a.direction}/{a.lang}" for a in arts if a.lang in (args.only or LANGS)})
    results: dict[str, object] = {
        "articles": {g: sum(f"{a.direction}/{a.lang}" == g for a in arts) for g in groups}
    }
    if args.stage in ("ingest", "all"):
        src, counts = news_file(arts, args.news, args.work)
        results["news_file"] = counts
        results["ingest_off"] = timed_append(src, args.base / "off.db", args.work / "off.db", False)
        print(json.dumps(results, indent=1), flush=True)
        results["ingest_on"] = timed_append(src, args.base / "on.db", args.work / "on.db", True)
        print(json.dumps(results, indent=1), flush=True)
        (args.work / "ingest.json").write_text(json.dumps(results, indent=1))
    if args.stage in ("eval", "trace", "all"):
        done = args.work / "ingest.json"
        if done.exists():
            results.update(json.loads(done.read_text()))
        with Store(args.work / "on.db", readonly=True) as store:
            keys = _stored_keys(store, arts)
            if args.stage != "trace":
                queried: list[NewsArticle] = []
                for g in groups:
                    members = [a for a in arts if f"{a.direction}/{a.lang}" == g]
                    step = max(1, len(members) // args.queries_per_group)
                    queried += members[::step][: args.queries_per_group]
                results["retrieval"] = retrieval(queried, store, keys)
                print(json.dumps(results, indent=1), flush=True)
                if args.rerank:
                    results["reranked_retrieval"] = reranked_retrieval(queried, store, keys)
                    print(json.dumps(results, indent=1), flush=True)
            traced = [a for a in arts if a.lang in (args.only or LANGS)]
            results["trace"] = tracing(traced, store, keys, args.trace_per_group)
            print(json.dumps(results, indent=1), flush=True)
        if args.stage != "trace":
            results["trace_without_extra"] = same_language_trace(
                arts, args.work / "off.db", args.trace_per_group
            )
            print(json.dumps(results, indent=1), flush=True)
    if args.stage in ("facts", "eval", "all"):
        results["fact_check"] = fact_check(arts, args.name_plants, args.plants_file)
    print(json.dumps(results, indent=1))
    tag = "-".join([args.stage, *(args.only or [])])
    (args.work / f"results-{tag}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
