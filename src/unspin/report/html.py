"""The HTML report: one self-contained file (inline CSS, no scripts, nothing loaded from
elsewhere) that shows where an article came from and what was changed.

The markup lives in templates (``templates/trace_report.html.j2`` around
``templates/trace_sections.html.j2``, the latter also the body of the web app's result page);
this module works out what they draw (:func:`report_view`: order, anchors, highlighted
stretches). Every piece of document text and metadata is untrusted (scraped pages, user
files): the templates escape every value they write (:mod:`.templating`), and URLs become links
only when their scheme is http or https. Attribute values we compute ourselves (ids, classes,
numbers) never contain document text.

Accessibility: colours come from the Okabe-Ito palette and always travel with a text tag
(``S1``), a border style or a marker shape; edits carry a short label next to the highlight;
everything interactive is a link or a ``<details>`` element, so the keyboard reaches it all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol
from urllib.parse import urlsplit

from ..types import DISTORTION_LABELS, Edit, Passage, SourceMatch, TraceResult
from .json_report import (
    Distortion,
    check_report_arguments,
    clamp_share,
    contexts_once,
    distortions,
    distortions_by_source,
    ordered_edits,
    ordered_sources,
    quotation_runs,
)
from .plot import dot_plot, marker_svg
from .templating import Markup, render
from .terminal import label_name, shared_wording_note

# Short tags printed beside each highlighted edit (colour alone must not carry the label).
# Distortions are upper case so they stand out when read aloud or in greyscale too.
LABEL_TAGS: dict[str, str] = {
    "negation": "NEG",
    "number_change": "NUM",
    "date_change": "DATE",
    "entity_change": "NAME",
    "quote_change": "QUOTE",
    "synonym": "syn",
    "paraphrase": "para",
    "inflection": "infl",
    "typo": "typo",
    "case_or_punctuation": "case",
    "insertion": "ins",
    "deletion": "del",
    "reordering": "move",
}
N_COLOURS = 8  # source colour classes src0..src7 in report.css
# Distortions shown above the article; all of them, grouped by source, follow the passages.
TOP_DISTORTIONS = 5

_CSS_NAME = re.compile(r"[^a-z0-9_]")


def render_html(
    result: TraceResult, source_texts: Mapping[int, str], *, title: str = "unspin report"
) -> str:
    """Render ``result`` as one self-contained HTML document.

    ``source_texts`` maps ``StoredDocument.key`` to the source's raw text, used for the
    side-by-side passages; a source without text still gets its article side and offsets.
    """
    check_report_arguments("render_html", result, source_texts)
    return render(
        "trace_report.html.j2",
        title=title,
        css=Markup(_stylesheet()),
        r=report_view(result, source_texts),
        **_HELPERS,
    )


class SpinSpanLike(Protocol):
    """A spin span as the report draws it (:class:`unspin.spinscore.score.SpinSpan`, or the
    web page's view of one): where it is, why, and its likely originals."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def reason(self) -> str: ...
    @property
    def suggestions(self) -> tuple[str, ...]: ...


def render_report_body(
    result: TraceResult,
    source_texts: Mapping[int, str],
    spin_spans: Sequence[SpinSpanLike] = (),
) -> str:
    """The report's sections without the page around them or its title: what the web app's
    result page shows inside its own layout (the same template as the downloaded report).
    ``spin_spans`` (the article's spin score) are marked where they fall in a stretch with no
    source: the words a reader cannot check against a source."""
    check_report_arguments("render_report_body", result, source_texts)
    view = report_view(result, source_texts, spin_spans)
    return render("trace_sections.html.j2", r=view, **_HELPERS)


@dataclass(frozen=True, slots=True)
class Mark:
    """One edit drawn in a passage: the text marked (empty: a caret where text went
    missing) and the anchor links point to."""

    edit: Edit
    anchor: str
    text: str


@dataclass(frozen=True, slots=True)
class SpinMark:
    """A spin span drawn in a stretch with no source: its words, its reason's class and its
    likely originals (empty: none suggested)."""

    text: str
    reason: str
    originals: str


@dataclass(frozen=True, slots=True)
class Stretch:
    """A stretch of the article map: its source's key (None: no source found), the
    listed source's index and rank (None: a key the result does not list), its spin score,
    and its text cut around the spin spans in it (empty: drawn as plain ``text``)."""

    text: str
    key: int | None
    index: int | None = None
    rank: int | None = None
    spin: float | None = None
    pieces: tuple[str | SpinMark, ...] = ()
    template: bool = False  # its source is marked shared wording (template wording only)


@dataclass(frozen=True, slots=True)
class EditView:
    """An edit in a passage's list, with links to where it is drawn."""

    edit: Edit
    links: tuple[tuple[str, str], ...]  # (anchor, "source" | "article")


@dataclass(frozen=True, slots=True)
class PassageView:
    """One passage: the source side (None when the source text is missing) and the article
    side as text and marks, and its non-identical edits."""

    index: int
    passage: Passage
    anchor: str
    source: list[str | Mark] | None
    article: list[str | Mark]
    edits: list[EditView]


@dataclass(frozen=True, slots=True)
class SourceView:
    """A listed source: its index in page order (colour and anchors) and its passages."""

    index: int
    source: SourceMatch
    passages: list[PassageView]


@dataclass(frozen=True, slots=True)
class DistortionView:
    """A distortion with the anchors its links point to and, in the full list, the
    sentence around it in the source (None without the source text) and in the article."""

    distortion: Distortion
    source_anchor: str
    article_anchor: str
    context: tuple[str | None, str] | None = None
    # The other changes of the same quotation (json_report.quotation_runs), listed with it.
    rest: tuple[Distortion, ...] = ()

    @property
    def count(self) -> int:
        """How many distortions this item lists."""
        return 1 + len(self.rest)


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the report templates draw, worked out from one result."""

    result: TraceResult
    nav: list[tuple[str, str]]
    summary: list[tuple[str, str]]
    sources: list[SourceView]
    distortions: list[DistortionView]  # one item per distortion or reworded quotation
    distortion_count: int
    article: list[str | Stretch]
    plot: Markup | None
    labels: list[str]
    groups: list[tuple[int, SourceMatch, list[DistortionView]]]
    run_details: list[tuple[str, str]]

    @property
    def spin_model(self) -> str | None:
        """The model kind that scored the stretches with no source (trace's ``meta``)."""
        model = self.result.meta.get("spin_model")
        return model if isinstance(model, str) else None

    @property
    def has_template(self) -> bool:
        """Whether a listed source is marked shared wording: what it owns is drawn as
        template wording only, not as covered by sources."""
        return bool(self.result.template_keys)

    @property
    def spin_marked(self) -> bool:
        """Whether a stretch with no source has spin spans marked in it."""
        return any(isinstance(p, Stretch) and p.pieces for p in self.article)


def report_view(
    result: TraceResult,
    source_texts: Mapping[int, str],
    spin_spans: Sequence[SpinSpanLike] = (),
) -> ReportView:
    """What the templates need, in page order. The passages are worked out first: a
    distortion links to its highlight only when that highlight was drawn."""
    sources = ordered_sources(result)
    found = distortions(result)
    placed: set[str] = set()  # anchors actually drawn, so links never point nowhere
    views = [
        _source_view(i, s, result.article, source_texts.get(s.document.key), placed)
        for i, s in enumerate(sources)
    ]
    index_of = {id(s): i for i, s in enumerate(sources)}
    plot = None
    if any(s.passages for s in sources):
        plot = Markup(dot_plot(result, sources, source_texts))
    return ReportView(
        result=result,
        nav=_nav(bool(found), bool(sources), result.restored is not None, bool(result.related)),
        summary=_summary(result, len(found)),
        sources=views,
        distortions=[
            _distortion_view(run, index_of, placed) for run in quotation_runs(found, result.article)
        ],
        distortion_count=len(found),
        article=_article(
            result, {s.document.key: (i, s.rank) for i, s in enumerate(sources)}, spin_spans
        ),
        plot=plot,
        labels=_labels(result),
        groups=_groups(result, index_of, placed, source_texts),
        run_details=_run_details(result),
    )


def _nav(
    has_distortions: bool, has_sources: bool, has_restored: bool, has_related: bool = False
) -> list[tuple[str, str]]:
    links = [("summary", "Summary"), ("sources", "Sources")]
    if has_related:
        links.append(("related", "Related coverage"))
    if has_distortions:
        links.append(("distortions", "Possible distortions"))
    links.append(("article", "Article"))
    if has_sources:
        links += [("plot", "Order plot"), ("passages", "Passages")]
    if has_distortions:
        links.append(("all-distortions", "All distortions"))
    if has_restored:
        links.append(("restored", "Restored text"))
    return links


def _summary(result: TraceResult, n_distortions: int) -> list[tuple[str, str]]:
    rows = [
        ("Article length", f"{len(result.article):,} characters"),
        ("Covered by sources", f"{result.explained_by_reuse:.0%}"),
    ]
    if result.template_keys:
        # Stretches only a template frame explains: listed apart, not counted as covered.
        rows.append(("Template wording only", _template_share(result.template_wording_only)))
    rows += [
        ("Sources found", _sources_found(result.sources)),
        ("Copies of sources", str(sum(len(s.copies) for s in result.sources))),
        ("Related coverage", str(len(result.related))),
        ("Possible distortions", str(n_distortions)),
        ("Candidates considered", f"{result.candidates_considered:,}"),
        ("Time", f"{result.seconds:.2f} s"),
    ]
    if result.capped:
        rows.append(("Note", "the candidate list was capped; some sources may be missing"))
    return rows


def _template_share(share: float) -> str:
    """The summary's line for the stretches only sources marked shared wording explain.

    >>> _template_share(0.25)[:60]
    '25% (owned by sources sharing only wording many stored docum'
    """
    return (
        f"{share:.0%} (owned by sources sharing only wording many stored documents hold: "
        "not counted as covered)"
    )


def _sources_found(sources: Sequence[SourceMatch]) -> str:
    """How many sources, and how many of them share only template wording (a reader of the
    summary alone should not count those as where the article came from).

    >>> _sources_found([])
    '0'
    """
    marked = sum(s.shared_wording is not None for s in sources)
    return f"{len(sources)} ({marked} shared wording only)" if marked else str(len(sources))


def _distortion_view(
    run: list[Distortion],
    index_of: Mapping[int, int],
    placed: set[str],
    context: tuple[str | None, str] | None = None,
) -> DistortionView:
    d = run[0]
    si = index_of[id(d.source)]
    base = _edit_anchor(si, d.passage_index, d.edit_index)
    passage = _passage_anchor(si, d.passage_index)
    src = f"{base}-src" if f"{base}-src" in placed else passage
    tgt = f"{base}-tgt" if f"{base}-tgt" in placed else passage
    return DistortionView(d, src, tgt, context, tuple(run[1:]))


def _groups(
    result: TraceResult,
    index_of: Mapping[int, int],
    placed: set[str],
    source_texts: Mapping[int, str],
) -> list[tuple[int, SourceMatch, list[DistortionView]]]:
    """Every distortion, grouped by the source it was found against, each (the changes of one
    quotation together) with the sentence around it in the source and in the article."""
    out = []
    for source, group in distortions_by_source(result):
        runs = quotation_runs(group, result.article)
        contexts = contexts_once(runs, result.article, source_texts)
        items = [
            _distortion_view(run, index_of, placed, None if c is None else (c.source, c.article))
            for run, c in zip(runs, contexts, strict=True)
        ]
        out.append((index_of[id(source)], source, items))
    return out


def _article(
    result: TraceResult,
    colour_of: Mapping[int, tuple[int, int]],
    spin_spans: Sequence[SpinSpanLike] = (),
) -> list[str | Stretch]:
    """The article, each stretch tagged with its source (``S1``) or as having none, the
    spin spans marked in the latter."""
    text = result.article
    out: list[str | Stretch] = []
    cursor = 0
    spans = sorted(
        (s for s in spin_spans if 0 <= s.start < s.end <= len(text)), key=lambda s: s.start
    )
    template_keys = result.template_keys
    for seg in sorted(result.segments, key=lambda g: (g.start, g.end)):
        start, end = max(seg.start, cursor), min(seg.end, len(text))
        if end <= start:
            continue  # overlaps what is already drawn, or out of range
        out.append(text[cursor:start])
        piece = text[start:end]
        if seg.source_key is None:
            marks = _spin_pieces(text, start, end, spans)
            out.append(Stretch(piece, None, spin=seg.spin, pieces=marks))
        elif seg.source_key in colour_of:
            i, rank = colour_of[seg.source_key]
            template = seg.source_key in template_keys
            out.append(Stretch(piece, seg.source_key, i, rank, template=template))
        else:  # a segment naming a source the result does not list: show it, uncoloured
            out.append(Stretch(piece, seg.source_key))
        cursor = end
    out.append(text[cursor:])
    return out


def _spin_pieces(
    text: str, start: int, end: int, spans: Sequence[SpinSpanLike]
) -> tuple[str | SpinMark, ...]:
    """``text[start:end]`` cut around the spin spans wholly inside it (``spans`` in reading
    order; one overlapping a span already drawn is left out); empty when none is."""
    pieces: list[str | SpinMark] = []
    cursor = start
    for s in spans:
        if s.start < cursor or s.end > end:
            continue
        pieces.append(text[cursor : s.start])
        reason = s.reason if _SPIN_REASON.fullmatch(s.reason) else "other"
        pieces.append(SpinMark(text[s.start : s.end], reason, ", ".join(s.suggestions)))
        cursor = s.end
    if not pieces:
        return ()
    pieces.append(text[cursor:end])
    return tuple(pieces)


# A reason becomes a class name ("spin-rare_synonym"): only letters and underscores pass.
_SPIN_REASON = re.compile(r"[a-z_]{1,40}")


def _labels(result: TraceResult) -> list[str]:
    """The edit labels used in the passages, in the legend's order."""
    return sorted(
        {e.label for s in result.sources for p in s.passages for e in p.edits} - {"identical"},
        key=lambda lab: (list(LABEL_TAGS).index(lab) if lab in LABEL_TAGS else 99, lab),
    )


def _source_view(
    si: int, source: SourceMatch, article: str, source_text: str | None, placed: set[str]
) -> SourceView:
    passages = []
    for pi, passage in enumerate(source.passages):
        edits = ordered_edits(passage)
        src_marks, tgt_marks = [], []
        for ei, edit in enumerate(edits):
            if edit.label == "identical":
                continue
            base = _edit_anchor(si, pi, ei)
            src_marks.append(_Mark(edit.source_start, edit.source_end, edit, f"{base}-src"))
            tgt_marks.append(_Mark(edit.target_start, edit.target_end, edit, f"{base}-tgt"))
        left = None
        if source_text is not None:
            left = _highlight(
                source_text, passage.source_start, passage.source_end, src_marks, placed
            )
        right = _highlight(article, passage.target_start, passage.target_end, tgt_marks, placed)
        passages.append(
            PassageView(
                pi, passage, _passage_anchor(si, pi), left, right, _edit_list(si, pi, edits, placed)
            )
        )
    return SourceView(si, source, passages)


def _edit_list(si: int, pi: int, edits: list[Edit], placed: set[str]) -> list[EditView]:
    out = []
    for ei, edit in enumerate(edits):
        if edit.label == "identical":
            continue
        base = _edit_anchor(si, pi, ei)
        links = tuple(
            (f"{base}-{side}", word)
            for side, word in (("src", "source"), ("tgt", "article"))
            if f"{base}-{side}" in placed
        )
        out.append(EditView(edit, links))
    return out


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    edit: Edit
    anchor: str


def _highlight(
    text: str, lo: int, hi: int, marks: list[_Mark], placed: set[str]
) -> list[str | Mark]:
    """``text[lo:hi]`` as plain stretches and each edit's marked range.

    An empty range (the article side of a deletion, the source side of an insertion) becomes a
    caret so the reader sees where something went missing. Overlapping ranges are drawn once;
    a moved sentence that holds edits of its own (a name changed in it) gives way to them.
    """
    lo, hi = max(0, lo), min(len(text), hi)
    out: list[str | Mark] = []
    cursor = lo
    inner = [m for m in marks if m.edit.label != "reordering"]
    shown = [m for m in marks if m.edit.label != "reordering" or not _holds(m, inner)]
    for mark in sorted(shown, key=lambda m: (m.start, m.end)):
        start, end = max(mark.start, lo), min(mark.end, hi)
        if start < cursor or end < start:
            continue
        out.append(text[cursor:start])
        out.append(Mark(mark.edit, mark.anchor, text[start:end]))
        placed.add(mark.anchor)
        cursor = end
    out.append(text[cursor:hi])
    return out


def _holds(mark: _Mark, others: list[_Mark]) -> bool:
    """Another mark lies inside this one's range."""
    return any(mark.start <= o.start and o.end <= mark.end for o in others)


def _run_details(result: TraceResult) -> list[tuple[str, str]]:
    rows = [("capped", json.dumps(result.capped))]
    rows += [
        (str(k), json.dumps(v, default=str, ensure_ascii=False)) for k, v in result.meta.items()
    ]
    return rows


def _is_web_url(url: str) -> bool:
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _tag(label: str) -> str:
    return LABEL_TAGS.get(label, label)


def _css(label: str) -> str:
    """A label as a class name (labels are ours, but a class must never carry markup)."""
    return _CSS_NAME.sub("-", label.lower())


def _edit_anchor(si: int, pi: int, ei: int) -> str:
    return f"s{si}-p{pi}-e{ei}"


def _passage_anchor(si: int, pi: int) -> str:
    return f"s{si}-p{pi}"


@cache
def _stylesheet() -> str:
    return resources.files(__package__).joinpath("templates/report.css").read_text("utf-8")


# What the templates call: label names and tags, class names, shares, the plot's markers.
_HELPERS: dict[str, object] = {
    "tag": _tag,
    "label_name": label_name,
    "css_class": _css,
    "clamp_share": clamp_share,
    "shared_wording_note": shared_wording_note,
    "is_web_url": _is_web_url,
    "marker_svg": lambda i: Markup(marker_svg(i)),
    "colours": N_COLOURS,
    "top_distortions": TOP_DISTORTIONS,
    "distortion_labels": DISTORTION_LABELS,
}
