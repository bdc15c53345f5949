"""``unspin trace`` across languages: the sources of a translated article, aligned sentence
by sentence, with the facts each translation changed.

1. The article's language is detected and its lead encoded (:mod:`.embed`).
2. Candidates are the stored texts in other languages whose vectors are nearest
   (:func:`.index.nearest`): read from the index, never encoded at query time; they are
   re-ranked by the numbers and names they share with the article (:mod:`.rerank`).
3. The ``verify`` best candidates are aligned with the article sentence by sentence
   (:mod:`.align`); a candidate with an aligned sentence is a source, ranked by the summed
   similarity of its aligned sentences. Each article sentence stays with the best source
   that aligns it (:func:`_owned`).
4. Each aligned pair's numbers, dates and names are compared (:mod:`.facts`); a change is an
   :class:`~unspin.types.Edit` with the same labels and reasons as in one language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UnspinError
from ..store import Store
from ..types import Edit, StoredDocument
from . import index, require, rerank
from .align import SentencePair, Sentences, align, covered
from .embed import encode, lead
from .facts import FactChange, check, document_names
from .language import detect

SCHEMA = "unspin.xling-trace"
VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class AlignedPassage:
    """A source sentence and its translation in the article, with the facts it changed."""

    pair: SentencePair
    distortions: tuple[Edit, ...]

    def to_dict(self, source: str, article: str) -> dict[str, Any]:
        p = self.pair
        return {
            "source_start": p.source_start,
            "source_end": p.source_end,
            "target_start": p.target_start,
            "target_end": p.target_end,
            "similarity": round(p.similarity, 4),
            "source_text": source[p.source_start : p.source_end],
            "target_text": article[p.target_start : p.target_end],
            "distortions": [e.to_dict() for e in self.distortions],
        }


@dataclass(frozen=True, slots=True)
class CrossSource:
    """A stored document in another language that the article translates (in part)."""

    document: StoredDocument
    lang: str | None
    index_similarity: float  # cosine of the two leads, as the index ranked it
    coverage: float  # share of the article's characters in aligned sentences
    passages: tuple[AlignedPassage, ...]

    @property
    def score(self) -> float:
        return sum(p.pair.similarity for p in self.passages)


@dataclass(frozen=True, slots=True)
class CrossTrace:
    """What :func:`trace_across` found for one article."""

    name: str
    lang: str | None
    length: int
    candidates: int  # candidates read from the index
    sources: tuple[CrossSource, ...]

    def to_dict(self, texts: dict[int, str], article: str) -> dict[str, Any]:
        """The JSON report; ``texts`` holds each source's text by document key."""
        return {
            "schema": SCHEMA,
            "schema_version": VERSION,
            "article": {"name": self.name, "lang": self.lang, "length": self.length},
            "candidates": self.candidates,
            "sources": [
                {
                    "document": s.document.to_dict(),
                    "lang": s.lang,
                    "index_similarity": round(s.index_similarity, 4),
                    "coverage": round(s.coverage, 4),
                    "passages": [p.to_dict(texts[s.document.key], article) for p in s.passages],
                }
                for s in self.sources
            ],
        }


def trace_across(
    text: str,
    store: Store,
    *,
    name: str = "article",
    candidates: int = 10,
    verify: int = 3,
    top: int = 3,
) -> CrossTrace:
    """The sources of ``text`` among the stored texts in other languages than its own.

    Needs the ``xling`` extra and a store ingested with ``--xling``
    (:class:`~unspin.errors.UnspinError` with the command to run otherwise).
    """
    require()
    if not index.enabled(store):
        raise UnspinError(
            f"{store.path}: the store keeps no cross-language vectors; add them with: "
            f"unspin xling index --db {store.path}"
        )
    lang = detect(text)
    query = encode([lead(text)])[0]
    hits = rerank.candidates(store, text, query, candidates, other_than=lang)
    article = Sentences.of(text)
    found: list[CrossSource] = []
    for hit in hits[:verify]:
        source_text = store.text(hit.text_key)
        pairs = align(Sentences.of(source_text), article)
        if not pairs:
            continue
        names = document_names(source_text) if hit.lang == "en" else frozenset()
        passages = tuple(
            AlignedPassage(p, _distortions(p, source_text, text, hit.lang, lang, names))
            for p in pairs
        )
        found.append(
            CrossSource(
                store.document(hit.text_key),
                hit.lang,
                hit.similarity,
                covered(pairs, len(text)),
                passages,
            )
        )
    found.sort(key=lambda s: -s.score)
    return CrossTrace(name, lang, len(text), len(hits), tuple(_owned(found, len(text))[:top]))


def _owned(sources: list[CrossSource], length: int) -> list[CrossSource]:
    """Each article sentence stays with the best source that aligns it (sources in score
    order): a later source keeps only the sentences no better source explains, and goes when
    none is left. A same-topic story aligns a few sentences by chance (similarity 0.84-0.88
    where the original scores 0.93); an article made of two originals keeps both."""
    claimed: set[int] = set()
    out: list[CrossSource] = []
    for src in sources:
        kept = tuple(p for p in src.passages if p.pair.target_start not in claimed)
        if not kept:
            continue
        claimed.update(p.pair.target_start for p in kept)
        if len(kept) < len(src.passages):
            pairs = [p.pair for p in kept]
            src = CrossSource(
                src.document, src.lang, src.index_similarity, covered(pairs, length), kept
            )
        out.append(src)
    out.sort(key=lambda s: -s.score)
    return out


def _distortions(
    pair: SentencePair,
    source: str,
    article: str,
    source_lang: str | None,
    article_lang: str | None,
    names: frozenset[str],
) -> tuple[Edit, ...]:
    s = source[pair.source_start : pair.source_end]
    t = article[pair.target_start : pair.target_end]
    if source_lang != "en" and article_lang == "en":
        # The checks read English names and number words on the source side: with an
        # English article and a foreign source, ask the other way round and swap back.
        swapped = check(t, s, source_lang, "en", document_names(article))
        changes = [FactChange(c.label, c.target_text, c.source_text, c.reason) for c in swapped]
    else:
        changes = check(s, t, article_lang, source_lang or "", names)
    return tuple(_edit(c, pair, s, t) for c in changes)


def _edit(change: FactChange, pair: SentencePair, s: str, t: str) -> Edit:
    """The change as an edit, its ranges on the changed words where they can be found in the
    sentences (the whole sentence where not)."""

    def where(sentence: str, start: int, end: int, words: str) -> tuple[int, int]:
        at = sentence.find(words) if words else -1
        return (start + at, start + at + len(words)) if at >= 0 else (start, end)

    a, b = where(s, pair.source_start, pair.source_end, change.source_text)
    c, d = where(t, pair.target_start, pair.target_end, change.target_text)
    return Edit(
        label=change.label,
        source_start=a,
        source_end=b,
        target_start=c,
        target_end=d,
        source_text=change.source_text,
        target_text=change.target_text,
        distortion=True,
        reason=change.reason,
        evidence="xling",
    )
