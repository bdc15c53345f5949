"""The machine-readable report: a versioned JSON document describing a ``TraceResult``.

The layout is pinned by ``schema.json`` (shipped beside this module) and documented in
``docs/json-schema.md``. Minor versions only add fields; a major version may remove or
change them, so consumers should check ``schema_version``'s major number.

The ordering helpers here (sources by rank, distortions before other edits) are shared by the
terminal and HTML reports, so all three list things in the same order.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ..edits import restore_suggestions
from ..edits.tokens import quote_spans
from ..errors import bidi_escaped
from ..text import sentence_spans
from ..types import Edit, Passage, SourceMatch, TraceResult
from ..validate import check_argument

SCHEMA_NAME = "unspin.trace"
SCHEMA_VERSION = "2.2"


@dataclass(frozen=True, slots=True)
class Distortion:
    """An edit that may change what the text says, with the source it was found against."""

    edit: Edit
    source: SourceMatch
    passage_index: int  # position of the passage in ``source.passages``
    edit_index: int  # position of the edit in ``ordered_edits(passage)``


def ordered_sources(result: TraceResult) -> list[SourceMatch]:
    """Sources by rank (ties by store key, so the order is stable)."""
    return sorted(result.sources, key=lambda s: (s.rank, s.document.key))


def ordered_edits(passage: Passage) -> list[Edit]:
    """A passage's edits, distortions first, then in article order."""
    return sorted(
        passage.edits,
        key=lambda e: (not e.distortion, e.target_start, e.target_end, e.source_start),
    )


def distortions(result: TraceResult) -> list[Distortion]:
    """Every distortion across all sources, by source rank then article offset."""
    found = [
        Distortion(edit, source, p_index, e_index)
        for source in ordered_sources(result)
        for p_index, passage in enumerate(source.passages)
        for e_index, edit in enumerate(ordered_edits(passage))
        if edit.distortion
    ]
    # Stable sort: within a source, article order; ranks keep their order.
    found.sort(key=lambda d: (d.source.rank, d.edit.target_start, d.edit.target_end))
    return found


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The range of the sentence(s) of ``text`` holding ``[start, end)`` (an empty range: the
    sentence it sits in), so a reader sees a change in its context.

    >>> t = "First one. The rate rose 12 percent. Last."
    >>> a, b = sentence_around(t, 25, 27)
    >>> t[a:b]
    'The rate rose 12 percent.'
    """
    spans = _sentences(text)
    inside = [(a, b) for a, b in spans if a < max(end, start + 1) and start < b]
    if not inside:
        inside = [(a, b) for a, b in spans if a <= start <= b] or [(start, end)]
    return inside[0][0], inside[-1][1]


@lru_cache(maxsize=8)
def _sentences(text: str) -> list[tuple[int, int]]:
    # A report asks for the sentences of the same article and sources once per distortion.
    return sentence_spans(text)


@dataclass(frozen=True, slots=True)
class DistortionContext:
    """The sentence(s) around a distortion in the source (``None`` when its text is not given)
    and in the article, as the reports show them."""

    source: str | None
    article: str


def distortion_context(
    d: Distortion, article: str, source_texts: Mapping[int, str]
) -> DistortionContext:
    """The sentences around ``d`` in its source and in the article."""
    a, b = sentence_around(article, d.edit.target_start, d.edit.target_end)
    text = source_texts.get(d.source.document.key)
    source_context = None
    if text is not None:
        c, e = sentence_around(text, d.edit.source_start, d.edit.source_end)
        source_context = text[c:e]
    return DistortionContext(source_context, article[a:b])


def quotation_runs(found: list[Distortion], article: str) -> list[list[Distortion]]:
    """``found`` (in report order) in the items a report lists: the quote changes inside one
    quotation of the article, against one passage of a source, together; every other
    distortion alone. A spinner rewording a quotation changes dozens of its words (57 in one
    SpinBot paragraph, benchmarks 10.34), and one item per word buried the rest of the list.

    >>> from unspin.types import Edit
    >>> article = 'He said "the old game is dead" and left.'
    >>> def flag(label, a, b):  # (a real one has its source match, not None)
    ...     edit = Edit(label, a, b, a, b, "", article[a:b], distortion=True)
    ...     return Distortion(edit, None, 0, 0)
    >>> runs = quotation_runs([flag("quote_change", 17, 21), flag("quote_change", 25, 29),
    ...                        flag("entity_change", 0, 2)], article)
    >>> [[d.edit.target_text for d in run] for run in runs]
    [['game', 'dead'], ['He']]
    """
    spans = quote_spans(article)
    starts = [a for a, _ in spans]
    runs: list[list[Distortion]] = []
    last: tuple[int, int, int] | None = None
    for d in found:
        place = None
        k = bisect_right(starts, d.edit.target_start) - 1
        if d.edit.label == "quote_change" and k >= 0 and d.edit.target_end <= spans[k][1]:
            place = (id(d.source), d.passage_index, k)
        if place is not None and place == last:
            runs[-1].append(d)
        else:
            runs.append([d])
        last = place
    return runs


def run_context(
    run: list[Distortion], article: str, source_texts: Mapping[int, str]
) -> DistortionContext:
    """The sentences around a run of :func:`quotation_runs` (one distortion: around it) in its
    source and in the article."""
    first, last = run[0], run[-1]
    a, b = sentence_around(article, first.edit.target_start, last.edit.target_end)
    text = source_texts.get(first.source.document.key)
    source_context = None
    if text is not None:
        start = min(d.edit.source_start for d in run)
        end = max(d.edit.source_end for d in run)
        c, e = sentence_around(text, start, end)
        source_context = text[c:e]
    return DistortionContext(source_context, article[a:b])


def contexts_once(
    runs: list[list[Distortion]], article: str, source_texts: Mapping[int, str]
) -> list[DistortionContext | None]:
    """The context of each run of :func:`quotation_runs` (in report order) for a report that
    reads top to bottom: given after the last of each series of runs that share it, ``None``
    before. A spinner that rewords a quotation makes dozens of changes in one sentence (46 in
    one SpinBot paragraph, benchmarks 15.16), and its sentence printed under each of them
    buried the list."""
    contexts = [run_context(run, article, source_texts) for run in runs]
    return [
        None
        if k + 1 < len(runs) and contexts[k + 1] == c and runs[k + 1][0].source is run[0].source
        else c
        for k, (run, c) in enumerate(zip(runs, contexts, strict=True))
    ]


def distortions_by_source(result: TraceResult) -> list[tuple[SourceMatch, list[Distortion]]]:
    """:func:`distortions` grouped by source, sources by rank (those with none left out)."""
    groups: dict[int, tuple[SourceMatch, list[Distortion]]] = {}
    for d in distortions(result):
        groups.setdefault(id(d.source), (d.source, []))[1].append(d)
    return list(groups.values())


def clamp_share(value: float) -> float:
    """A share made safe to draw: within [0, 1], and 0 when it is not a number at all."""
    return min(max(value, 0.0), 1.0) if math.isfinite(value) else 0.0


def check_report_arguments(call: str, result: object, source_texts: object) -> None:
    """The renderers' one check of what they are given: a trace result and its sources'
    texts (an ``int`` failed deep inside with ``AttributeError``)."""
    check_argument(call, "result", result, TraceResult)
    check_argument(call, "source_texts", source_texts, Mapping)


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents ``to_json`` writes."""
    return json.loads(_schema_text())


@cache
def _schema_text() -> str:
    return resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")


def to_json(
    result: TraceResult, source_texts: Mapping[int, str], *, include_text: bool = True
) -> dict[str, Any]:
    """Describe ``result`` as a JSON-ready dict following ``schema.json``.

    ``source_texts`` maps ``StoredDocument.key`` to the source's raw text; it is used for the
    passages' ``source_excerpt`` (``null`` when a source's text is not given).
    ``include_text=False`` leaves the article's full text out (its length stays); excerpts are
    kept because they are what a reader of the report needs.
    """
    check_report_arguments("to_json", result, source_texts)
    article: dict[str, Any] = {"length": len(result.article)}
    if include_text:
        article["text"] = result.article
    ids = {s.document.key: s.document.id for s in result.sources}
    return {
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "article": article,
        "covered": _number(result.covered),
        "explained_by_reuse": _number(result.explained_by_reuse),
        "template_wording_only": _number(result.template_wording_only),
        "sources": [_source(s, result.article, source_texts) for s in ordered_sources(result)],
        "segments": [
            {
                "start": seg.start,
                "end": seg.end,
                "source_key": seg.source_key,
                "source_id": ids.get(seg.source_key) if seg.source_key is not None else None,
                "spin": None if seg.spin is None else _number(seg.spin),
            }
            for seg in sorted(result.segments, key=lambda g: (g.start, g.end))
        ],
        "related": [
            {"document": r.document.to_dict(), "overlap": _number(r.overlap)}
            for r in result.related
        ],
        "distortions": [
            {
                **_edit(d.edit),
                "source_rank": d.source.rank,
                "source_key": d.source.document.key,
                "source_id": d.source.document.id,
                **_contexts(d, result.article, source_texts),
            }
            for d in distortions(result)
        ],
        "restored": result.restored,
        "suggestions": _suggestions(result, source_texts),
        "stats": {
            "candidates_considered": result.candidates_considered,
            "capped": result.capped,
            "seconds": _number(result.seconds, 3),
        },
        "meta": _jsonable(result.meta),
    }


def _suggestions(
    result: TraceResult, source_texts: Mapping[int, str]
) -> list[dict[str, Any]] | None:
    """Per-edit restoration suggestions, present when the article was restored."""
    if result.restored is None:
        return None
    out: list[dict[str, Any]] = []
    for s in result.sources:
        text = source_texts.get(s.document.key)
        if text is None:
            continue
        edits = [e for p in s.passages for e in p.edits]
        for e, suggestion in restore_suggestions(text, result.article, edits):
            out.append(
                {
                    "label": e.label,
                    "target_start": e.target_start,
                    "target_end": e.target_end,
                    "target_text": e.target_text,
                    "suggestion": suggestion,
                }
            )
    return sorted(out, key=lambda d: (d["target_start"], d["target_end"]))


def dumps(
    result: TraceResult,
    source_texts: Mapping[int, str],
    *,
    include_text: bool = True,
    indent: int | None = 2,
) -> str:
    """``to_json`` serialised as a JSON string (UTF-8 friendly: non-ASCII is kept as is, but
    for the explicit bidirectional controls, written as ``\\u202e`` escapes: the same string
    to a JSON reader, and text that reads in the order it is written to a person looking at
    the file; up to robust36 an id holding a right-to-left override was shown reversed)."""
    check_report_arguments("dumps", result, source_texts)
    document = to_json(result, source_texts, include_text=include_text)
    return bidi_escaped(json.dumps(document, ensure_ascii=False, indent=indent))


def _contexts(d: Distortion, article: str, source_texts: Mapping[int, str]) -> dict[str, Any]:
    """The sentence around a distortion in the article and (when its text is known) the
    source: every item of the JSON carries its own."""
    context = distortion_context(d, article, source_texts)
    return {"source_context": context.source, "target_context": context.article}


def _source(source: SourceMatch, article: str, source_texts: Mapping[int, str]) -> dict[str, Any]:
    text = source_texts.get(source.document.key)
    return {
        "rank": source.rank,
        "score": _number(source.score),
        "coverage": _number(source.coverage),
        "document": source.document.to_dict(),
        "owned": [{"start": s.start, "end": s.end} for s in source.owned],
        "copies": [c.to_dict() for c in source.copies],
        "shared_wording": source.shared_wording,
        "passages": [
            {
                "source_start": p.source_start,
                "source_end": p.source_end,
                "target_start": p.target_start,
                "target_end": p.target_end,
                "score": _number(p.score),
                "source_excerpt": None if text is None else text[p.source_start : p.source_end],
                "target_excerpt": article[p.target_start : p.target_end],
                "edits": [_edit(e) for e in ordered_edits(p)],
            }
            for p in source.passages
        ],
    }


def _edit(edit: Edit) -> dict[str, Any]:
    return {**edit.to_dict(), "confidence": _number(edit.confidence)}


def _number(value: float, digits: int = 4) -> float:
    # JSON has no NaN/Infinity; a broken score should not make the whole report unreadable.
    if not math.isfinite(value):
        return 0.0
    return round(float(value), digits)


def _jsonable(value: Any) -> Any:
    """``meta`` is free-form; make it JSON-safe without losing readable content."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    return str(value)
