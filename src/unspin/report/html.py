"""The HTML report: one self-contained file (inline CSS, no scripts, nothing loaded from
elsewhere) that shows where an article came from and what was changed.

Every piece of document text and metadata is untrusted (scraped pages, user files), so all of
it goes through :func:`_e` (``html.escape`` with ``quote=True``) and URLs become links only when
their scheme is http or https. Markup is built from constant strings plus escaped values;
attribute values we compute ourselves (ids, classes, numbers) never contain document text.

Accessibility: colours come from the Okabe-Ito palette and always travel with a text tag
(``S1``), a border style or a marker shape; edits carry a short label next to the highlight;
everything interactive is a link or a ``<details>`` element, so the keyboard reaches it all.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from ..types import DISTORTION_LABELS, Edit, RelatedDocument, SourceMatch, TraceResult
from .json_report import (
    Distortion,
    clamp_share,
    distortions,
    distortions_by_source,
    ordered_edits,
    ordered_sources,
    sentence_around,
)
from .plot import dot_plot, marker_svg
from .terminal import label_name

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
    return page(
        title,
        [
            '<a class="skip" href="#summary">Skip to the summary</a>',
            "<main>",
            f"<h1>{_e(title)}</h1>",
            *report_sections(result, source_texts),
            "</main>",
        ],
    )


def render_report_body(result: TraceResult, source_texts: Mapping[int, str]) -> str:
    """The report's sections without the page around them or its title: what the web app's
    result page shows inside its own layout (the same markup as the downloaded report)."""
    return "\n".join(report_sections(result, source_texts)) + "\n"


def page(title: str, body: Sequence[str]) -> str:
    """One self-contained page (inline stylesheet, no scripts): the shell of every HTML
    report. ``body`` is markup; empty parts are left out."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{_e(title)}</title>",
            f"<style>\n{_stylesheet()}</style>",
            "</head>",
            "<body>",
            *[part for part in body if part],
            "</body>",
            "</html>",
            "",
        ]
    )


def report_sections(result: TraceResult, source_texts: Mapping[int, str]) -> list[str]:
    """The sections of the report, in page order (empty ones left out)."""
    sources = ordered_sources(result)
    found = distortions(result)
    placed: set[str] = set()  # anchors actually drawn, so links never point nowhere
    source_sections = [
        _source_section(i, s, result.article, source_texts.get(s.document.key), placed)
        for i, s in enumerate(sources)
    ]
    index_of = {id(s): i for i, s in enumerate(sources)}
    body = [
        _nav(bool(found), bool(sources), result.restored is not None, bool(result.related)),
        _summary(result, len(found)),
        _sources_table(sources),
        _related(result.related),
        _top_distortions(found, index_of, placed),
        _article(result, {s.document.key: (i, s.rank) for i, s in enumerate(sources)}),
        _plot_section(result, source_texts),
        '<section id="passages" aria-labelledby="passages-h">',
        '<h2 id="passages-h">Passages</h2>',
        _label_legend(result),
        *source_sections,
        "</section>",
        _all_distortions(result, index_of, placed, source_texts),
        _restored(result.restored),
        _run_details(result),
    ]
    return [part for part in body if part]


def _nav(
    has_distortions: bool, has_sources: bool, has_restored: bool, has_related: bool = False
) -> str:
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
    items = "".join(f'<li><a href="#{anchor}">{name}</a></li>' for anchor, name in links)
    return f'<nav aria-label="Sections"><ul>{items}</ul></nav>'


def _summary(result: TraceResult, n_distortions: int) -> str:
    rows = [
        ("Article length", f"{len(result.article):,} characters"),
        ("Covered by sources", f"{result.covered:.0%}"),
        ("Sources found", str(len(result.sources))),
        ("Copies of sources", str(sum(len(s.copies) for s in result.sources))),
        ("Related coverage", str(len(result.related))),
        ("Possible distortions", str(n_distortions)),
        ("Candidates considered", f"{result.candidates_considered:,}"),
        ("Time", f"{result.seconds:.2f} s"),
    ]
    if result.capped:
        rows.append(("Note", "the candidate list was capped; some sources may be missing"))
    cells = "".join(f"<dt>{name}</dt><dd>{_e(value)}</dd>" for name, value in rows)
    return (
        '<section id="summary" aria-labelledby="summary-h">'
        f'<h2 id="summary-h">Summary</h2><dl class="summary">{cells}</dl></section>'
    )


def _sources_table(sources: list[SourceMatch]) -> str:
    if not sources:
        return (
            '<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">Sources</h2>'
            "<p>No sources were found for this article.</p></section>"
        )
    rows = []
    for i, s in enumerate(sources):
        doc = s.document
        pct = clamp_share(s.coverage)
        bar = (
            f'<span class="bar" aria-hidden="true"><span style="width:{pct * 100:.1f}%">'
            f'</span></span><span class="pct">{pct:.0%} of the article</span>'
        )
        rows.append(
            "<tr>"
            f'<td><a class="tag seg src{i % N_COLOURS}" href="#source-{i}">S{s.rank}</a></td>'
            f"<td>{_e(doc.id)}</td><td>{_e(doc.title or '—')}</td>"
            f"<td>{_e(doc.date or '—')}</td><td>{_e(doc.site or '—')}</td>"
            f"<td>{_url(doc.url)}</td><td>{bar}</td><td>{s.score:.3g}</td>"
            f"<td>{_also_in(s)}</td>"
            "</tr>"
        )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Rank", "Id", "Title", "Date", "Site", "URL", "Coverage", "Score", "Also in")
    )
    return (
        '<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">Sources</h2>'
        '<div class="scroll"><table><caption class="muted">Ranked sources; the bar shows the '
        "share of the article each one explains better than the sources above it. "
        "&ldquo;Also in&rdquo;: near-identical copies of a source (reprints, mirrors)."
        "</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _also_in(source: SourceMatch) -> str:
    if not source.copies:
        return "—"
    return ", ".join(_e(c.id) for c in source.copies)


def _related(related: tuple[RelatedDocument, ...]) -> str:
    if not related:
        return ""
    items = "".join(
        f"<li>{_e(r.document.id)}{' — ' + _e(r.document.title) if r.document.title else ''}"
        f" {_url(r.document.url) if r.document.url else ''}"
        f' <span class="muted">({clamp_share(r.overlap):.0%} of the article touched)</span></li>'
        for r in related
    )
    return (
        '<section id="related" aria-labelledby="related-h">'
        '<h2 id="related-h">Related coverage</h2>'
        "<p>Documents on the same story or topic in other words: they share wording with the "
        "article but explain none of it better than the sources above, so they get no "
        "passages or distortions.</p>"
        f'<ul class="related">{items}</ul></section>'
    )


def _distortion_item(
    d: Distortion,
    index_of: Mapping[int, int],
    placed: set[str],
    contexts: tuple[str | None, str] | None = None,
) -> str:
    si = index_of[id(d.source)]
    base = _edit_anchor(si, d.passage_index, d.edit_index)
    passage = _passage_anchor(si, d.passage_index)
    src = f"{base}-src" if f"{base}-src" in placed else passage
    tgt = f"{base}-tgt" if f"{base}-tgt" in placed else passage
    reason = f" — {_e(d.edit.reason)}" if d.edit.reason else ""
    context = ""
    if contexts is not None:
        source_sentence, article_sentence = contexts
        rows = []
        if source_sentence is not None:
            rows.append(f"<dt>Source</dt><dd>{_e(source_sentence)}</dd>")
        rows.append(f"<dt>Article</dt><dd>{_e(article_sentence)}</dd>")
        context = f'<dl class="context">{"".join(rows)}</dl>'
    return (
        f'<li><span class="warn">⚠ {_e(label_name(d.edit.label).upper())}</span> '
        f"{_change(d.edit)}{reason}<br>"
        f'<span class="muted">source S{d.source.rank} ({_e(d.source.document.id)}):</span> '
        f'<a href="#{src}">see it in the source</a> · '
        f'<a href="#{tgt}">see it in the article</a>{context}</li>'
    )


def _top_distortions(found: list[Distortion], index_of: Mapping[int, int], placed: set[str]) -> str:
    """The first few distortions above the article, with a link to all of them."""
    if not found:
        return ""
    items = "".join(_distortion_item(d, index_of, placed) for d in found[:TOP_DISTORTIONS])
    more = (
        f'<p><a href="#all-distortions">All {len(found)} possible distortions, by source, '
        "with the sentence around each</a></p>"
    )
    shown = f"the first {TOP_DISTORTIONS} of {len(found)}" if len(found) > TOP_DISTORTIONS else ""
    return (
        '<section id="distortions" aria-labelledby="distortions-h">'
        f'<h2 id="distortions-h">Possible distortions ({len(found)})</h2>'
        "<p>Changes that may alter what the text says (numbers, dates, names, negation, "
        f"quotes). Check each one against the source{'; ' + shown if shown else ''}.</p>"
        f'<ol class="distortions">{items}</ol>{more}</section>'
    )


def _all_distortions(
    result: TraceResult,
    index_of: Mapping[int, int],
    placed: set[str],
    source_texts: Mapping[int, str],
) -> str:
    """Every distortion, grouped by the source it was found against, each with the sentence
    around it in the source and in the article."""
    groups = distortions_by_source(result)
    if not groups:
        return ""
    parts = []
    for source, group in groups:
        text = source_texts.get(source.document.key)
        items = []
        for d in group:
            a, b = sentence_around(result.article, d.edit.target_start, d.edit.target_end)
            source_sentence = None
            if text is not None:
                c, e = sentence_around(text, d.edit.source_start, d.edit.source_end)
                source_sentence = text[c:e]
            items.append(
                _distortion_item(d, index_of, placed, (source_sentence, result.article[a:b]))
            )
        si = index_of[id(source)]
        parts.append(
            f'<h3><span class="tag seg src{si % N_COLOURS}">S{source.rank}</span> '
            f"{_e(source.document.id)} ({len(group)})</h3>"
            f'<ol class="distortions">{"".join(items)}</ol>'
        )
    return (
        '<section id="all-distortions" aria-labelledby="all-distortions-h">'
        '<h2 id="all-distortions-h">All possible distortions, by source</h2>'
        f"{''.join(parts)}</section>"
    )


def _article(result: TraceResult, colour_of: Mapping[int, tuple[int, int]]) -> str:
    """The article, each stretch tagged with its source (``S1``) or as having none."""
    text = result.article
    out: list[str] = []
    cursor = 0
    for seg in sorted(result.segments, key=lambda g: (g.start, g.end)):
        start, end = max(seg.start, cursor), min(seg.end, len(text))
        if end <= start:
            continue  # overlaps what is already drawn, or out of range
        out.append(_e(text[cursor:start]))
        piece = _e(text[start:end])
        if seg.source_key is None:
            spin = "" if seg.spin is None else f" · spin score {seg.spin:.2f}"
            out.append(
                f'<span class="nosrc"><span class="tag">no source found{spin}</span>{piece}</span>'
            )
        elif seg.source_key in colour_of:
            i, rank = colour_of[seg.source_key]
            out.append(
                f'<span class="seg src{i % N_COLOURS}">'
                f'<a class="tag" href="#source-{i}">S{rank}</a>{piece}</span>'
            )
        else:  # a segment naming a source the result does not list: show it, uncoloured
            out.append(
                f'<span class="seg"><span class="tag">key {seg.source_key}</span>{piece}</span>'
            )
        cursor = end
    out.append(_e(text[cursor:]))
    return (
        '<section id="article" aria-labelledby="article-h">'
        '<h2 id="article-h">The article by source</h2>'
        "<p>Each stretch starts with the tag of the source it was taken from; "
        "hatched stretches have no source found.</p>"
        f'<div class="text">{"".join(out)}</div></section>'
    )


def _plot_section(result: TraceResult, source_texts: Mapping[int, str]) -> str:
    sources = ordered_sources(result)
    if not any(s.passages for s in sources):
        return ""
    legend = "".join(
        f"<li>{marker_svg(i)} S{s.rank} {_e(s.document.id)}</li>" for i, s in enumerate(sources)
    )
    return (
        '<section id="plot" aria-labelledby="plot-h">'
        '<h2 id="plot-h">Order of reuse</h2>'
        "<p>One line per passage: where it sits in the article (across) against where it sits "
        "in its source (up). Lines rising left to right keep the source's order; a drop "
        "means the article moved material around.</p>"
        f"{dot_plot(result, sources, source_texts)}"
        f'<ul class="legend">{legend}</ul></section>'
    )


def _label_legend(result: TraceResult) -> str:
    labels = sorted(
        {e.label for s in result.sources for p in s.passages for e in p.edits} - {"identical"},
        key=lambda lab: (list(LABEL_TAGS).index(lab) if lab in LABEL_TAGS else 99, lab),
    )
    if not labels:
        return "<p>No edits were labelled in these passages.</p>"
    items = "".join(
        f'<li><mark class="edit edit-{_css(lab)}{" distortion" if lab in DISTORTION_LABELS else ""}">'
        f"{_e(_tag(lab))}</mark> {_e(label_name(lab))}</li>"
        for lab in labels
    )
    return (
        "<p>Source on the left, article on the right. Each change is highlighted and followed "
        f'by a short tag:</p><ul class="legend">{items}</ul>'
    )


def _source_section(
    si: int, source: SourceMatch, article: str, source_text: str | None, placed: set[str]
) -> str:
    doc = source.document
    meta = [
        ("URL", _url(doc.url)),
        ("Date", _e(doc.date or "—")),
        ("Site", _e(doc.site or "—")),
        ("Path", _e(doc.path or "—")),
        ("Coverage", f"{clamp_share(source.coverage):.0%} of the article"),
        ("Score", f"{source.score:.3g}"),
        ("Also in", _also_in(source)),
    ]
    cells = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in meta)
    parts = [
        f'<section id="source-{si}" aria-labelledby="source-{si}-h">',
        f'<h3 id="source-{si}-h"><span class="tag seg src{si % N_COLOURS}">S{source.rank}</span> '
        f"{_e(doc.id)}{' — ' + _e(doc.title) if doc.title else ''}</h3>",
        f'<dl class="summary">{cells}</dl>',
    ]
    if not source.passages:
        parts.append("<p>No aligned passages.</p>")
    for pi, passage in enumerate(source.passages):
        edits = ordered_edits(passage)
        src_marks, tgt_marks = [], []
        for ei, edit in enumerate(edits):
            if edit.label == "identical":
                continue
            base = _edit_anchor(si, pi, ei)
            src_marks.append(_Mark(edit.source_start, edit.source_end, edit, f"{base}-src"))
            tgt_marks.append(_Mark(edit.target_start, edit.target_end, edit, f"{base}-tgt"))
        if source_text is None:
            left = '<p class="muted">The source text is not available.</p>'
        else:
            left = _highlight(
                source_text, passage.source_start, passage.source_end, src_marks, placed
            )
        right = _highlight(article, passage.target_start, passage.target_end, tgt_marks, placed)
        parts.append(
            f'<div class="passage" id="{_passage_anchor(si, pi)}">'
            f"<p>Passage {pi + 1} · source {passage.source_start:,}–{passage.source_end:,} · "
            f"article {passage.target_start:,}–{passage.target_end:,} · "
            f"score {passage.score:.2f}</p>"
            '<div class="pair">'
            f'<div><h4>Source S{source.rank}</h4><div class="text">{left}</div></div>'
            f'<div><h4>Article</h4><div class="text">{right}</div></div>'
            "</div>"
            f"{_edit_list(si, pi, edits, placed)}</div>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _edit_list(si: int, pi: int, edits: list[Edit], placed: set[str]) -> str:
    shown = [(ei, e) for ei, e in enumerate(edits) if e.label != "identical"]
    if not shown:
        return ""
    items = []
    for ei, edit in shown:
        base = _edit_anchor(si, pi, ei)
        links = " ".join(
            f'<a href="#{base}-{side}">{word}</a>'
            for side, word in (("src", "source"), ("tgt", "article"))
            if f"{base}-{side}" in placed
        )
        warn = '<span class="warn">⚠</span> ' if edit.distortion else ""
        reason = f" — {_e(edit.reason)}" if edit.reason else ""
        evidence = f", evidence: {_e(edit.evidence)}" if edit.evidence else ""
        items.append(
            f'<li>{warn}<span class="tag">{_e(_tag(edit.label))}</span> '
            f"{_e(label_name(edit.label))}: {_change(edit)}{reason} "
            f'<span class="muted">(confidence {edit.confidence:.2f}{evidence})</span> {links}</li>'
        )
    return (
        f"<details><summary>{len(shown)} edit{'s' if len(shown) != 1 else ''} "
        f'in this passage</summary><ul class="edits">{"".join(items)}</ul></details>'
    )


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    edit: Edit
    anchor: str


def _highlight(text: str, lo: int, hi: int, marks: list[_Mark], placed: set[str]) -> str:
    """``text[lo:hi]`` escaped, with each edit's range wrapped and tagged.

    An empty range (the article side of a deletion, the source side of an insertion) becomes a
    caret so the reader sees where something went missing. Overlapping ranges are drawn once.
    """
    lo, hi = max(0, lo), min(len(text), hi)
    out: list[str] = []
    cursor = lo
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        start, end = max(mark.start, lo), min(mark.end, hi)
        if start < cursor or end < start:
            continue
        edit = mark.edit
        out.append(_e(text[cursor:start]))
        classes = f"edit edit-{_css(edit.label)}" + (" distortion" if edit.distortion else "")
        name = _e(label_name(edit.label))
        tag = f'<sup class="lab">{_e(_tag(edit.label))}</sup>'
        if start == end:
            out.append(f'<span class="gap {classes}" id="{mark.anchor}" title="{name}">‸</span>')
        else:
            out.append(
                f'<mark class="{classes}" id="{mark.anchor}" title="{name}">'
                f"{_e(text[start:end])}</mark>"
            )
        out.append(tag)
        placed.add(mark.anchor)
        cursor = end
    out.append(_e(text[cursor:hi]))
    return "".join(out)


def _restored(restored: str | None) -> str:
    if restored is None:
        return ""
    return (
        '<section id="restored" aria-labelledby="restored-h">'
        '<h2 id="restored-h">Restored text</h2>'
        "<p>The article with the spun or noisy wording put back where the source is known.</p>"
        f'<div class="text">{_e(restored)}</div></section>'
    )


def _run_details(result: TraceResult) -> str:
    rows = [("capped", json.dumps(result.capped))]
    rows += [
        (str(k), json.dumps(v, default=str, ensure_ascii=False)) for k, v in result.meta.items()
    ]
    cells = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<details><summary>Run details</summary><dl class="summary">{cells}</dl></details>'


def _change(edit: Edit) -> str:
    before = f"“{_e(edit.source_text)}”" if edit.source_text else "∅"
    after = f"“{_e(edit.target_text)}”" if edit.target_text else "∅"
    return f"{before} → <strong>{after}</strong>"


def _url(url: str | None) -> str:
    """A URL as escaped text; a link only for http(s), so ``javascript:`` and friends stay
    inert (and nothing with spaces or control characters, which browsers might strip)."""
    if not url:
        return "—"
    if _is_web_url(url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'
    return _e(url)


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


def _e(value: str) -> str:
    return html.escape(value, quote=True)


@cache
def _stylesheet() -> str:
    return resources.files(__package__).joinpath("templates/report.css").read_text("utf-8")
