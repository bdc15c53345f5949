"""The terminal report: a readable summary of a ``TraceResult`` drawn with rich.

All document text is untrusted, so it only ever reaches rich as ``Text`` objects (never as
markup, where ``[bold]`` in a title would be interpreted) and with control characters removed
(an escape sequence in a scraped page must not drive the user's terminal). Every colour comes
with a text label, so nothing depends on seeing colour.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import bidi_escaped
from ..types import Edit, Passage, Segment, SourceMatch, TraceResult
from .json_report import (
    Distortion,
    DistortionContext,
    check_report_arguments,
    clamp_share,
    contexts_once,
    distortions,
    distortions_by_source,
    ordered_edits,
    ordered_sources,
    quotation_runs,
)

# Per-source colours, cycled; the rank number is always printed beside them.
SOURCE_STYLES: tuple[str, ...] = ("cyan", "magenta", "green", "yellow", "blue", "red")
LABEL_STYLES: dict[str, str] = {
    "negation": "bold red",
    "number_change": "bold red",
    "date_change": "bold red",
    "entity_change": "bold red",
    "quote_change": "bold red",
    "synonym": "cyan",
    "paraphrase": "blue",
    "inflection": "green",
    "typo": "yellow",
    "case_or_punctuation": "dim",
    "insertion": "green",
    "deletion": "magenta",
    "reordering": "blue",
}
EXCERPT_WIDTH = 160  # characters of a passage shown before it is shortened in the middle
# Without ``show_all`` (``--all``) a terminal report stays readable: at most this many edits
# a passage, distortions in all and article-map lines; the rest are counted.
EDITS_PER_PASSAGE = 12
DISTORTIONS_SHOWN = 10
# Changes listed on the one line of a reworded quotation before the rest are counted.
QUOTE_CHANGES_SHOWN = 6
SEGMENTS_SHOWN = 20
CONTEXT_WIDTH = 200  # characters of the sentence around a distortion
MAP_WIDTH = 60  # cells in the one-line article map

# C0/C1 controls (escape sequences) and bidi overrides (text that reads differently than it is).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")
# A lone surrogate, which a str from Python may hold (``Corpus.trace`` reads one) and no
# UTF-8 stream can: shown as its escape (``\ud800``), as the HTML and JSON reports show it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def render_terminal(
    result: TraceResult,
    source_texts: Mapping[int, str],
    console: Console,
    *,
    show_passages: bool = True,
    show_edits: bool = True,
    show_all: bool = False,
) -> None:
    """Print a report of ``result`` on ``console``.

    ``source_texts`` maps ``StoredDocument.key`` to the source's raw text (for the source side
    of each passage; a missing text is reported, not guessed). ``show_all`` prints every
    distortion, edit and article-map line; otherwise each list stops at a bounded length and
    says how many more there are.
    """
    check_report_arguments("render_terminal", result, source_texts)
    sources = ordered_sources(result)
    style_of = {
        s.document.key: SOURCE_STYLES[i % len(SOURCE_STYLES)] for i, s in enumerate(sources)
    }
    rank_of = {s.document.key: s.rank for s in sources}

    console.rule(Text("unspin report", style="bold"))
    console.print(_header(result))
    console.print()
    if not sources:
        console.print(Text("No sources found for this article."))
    else:
        console.print(_sources_table(sources, style_of))
        for s in sources:
            if s.copies:
                line = Text(f"  #{s.rank} also in: ", style=style_of[s.document.key])
                line.append(", ".join(clean(c.id) for c in s.copies))
                console.print(line)
            if s.shared_wording is not None:
                line = Text(f"  #{s.rank} ", style=style_of[s.document.key])
                line.append(shared_wording_note(s.shared_wording))
                console.print(line)
    if result.related:
        console.print()
        console.print(Text("Related coverage (same story, no reuse found)", style="bold"))
        for r in result.related:
            line = Text(f"  {clean(r.document.id)}")
            if r.document.title:
                line.append(f" · {clean(r.document.title)}")
            line.append(f" · {clamp_share(r.overlap):.0%} overlap", style="dim")
            console.print(line)
    if result.segments:
        console.print()
        console.print(Text("Article map", style="bold"))
        width = max(10, min(MAP_WIDTH, console.width - 2))
        console.print(_map_strip(result, rank_of, style_of, width))
        console.print(Text("digits: source rank · dots: no source found", style="dim"))
        segments = sorted(result.segments, key=lambda g: (g.start, g.end))
        spin_model = result.meta.get("spin_model")
        template_keys = result.template_keys
        for segment in segments if show_all else segments[:SEGMENTS_SHOWN]:
            console.print(_segment_line(segment, rank_of, style_of, spin_model, template_keys))
        _more(console, len(segments) - SEGMENTS_SHOWN, "stretch", "stretches", show_all)
    if show_edits:
        _print_distortions(console, result, source_texts, show_all)
    if show_passages:
        for source in sources:
            _print_source(console, source, result.article, source_texts, show_edits, show_all)


def _more(console: Console, hidden: int, one: str, many: str, show_all: bool) -> None:
    if hidden > 0 and not show_all:
        console.print(
            Text(
                f"  … and {hidden} more {one if hidden == 1 else many} (--all shows them)",
                style="dim",
            )
        )


def _print_distortions(
    console: Console, result: TraceResult, source_texts: Mapping[int, str], show_all: bool
) -> None:
    """Possible distortions grouped by the source they were found against, each with the
    sentence around it in the source and in the article; the changes inside one quotation
    on one line."""
    found = distortions(result)
    if not found:
        return
    console.print()
    console.rule(Text(f"Possible distortions ({len(found)})", style="bold red"))
    budget = len(found) if show_all else DISTORTIONS_SHOWN
    shown = 0
    for source, group in distortions_by_source(result):
        if budget <= 0:
            break
        heading = Text(f"Against source #{source.rank} · {clean(source.document.id)}", style="bold")
        heading.append(f" ({len(group)})", style="")
        console.print(heading)
        runs = quotation_runs(group, result.article)[:budget]
        contexts = contexts_once(runs, result.article, source_texts)
        for run, context in zip(runs, contexts, strict=True):
            console.print(_distortion_line(run, show_all))
            if context is not None:
                _print_context(console, context)
        budget -= len(runs)
        shown += sum(len(run) for run in runs)
    _more(console, len(found) - shown, "distortion", "distortions", show_all)


def _print_context(console: Console, context: DistortionContext) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    if context.source is not None:
        grid.add_row("    source:", Text(excerpt(context.source, CONTEXT_WIDTH)))
    grid.add_row("    article:", Text(excerpt(context.article, CONTEXT_WIDTH)))
    console.print(grid)


def _header(result: TraceResult) -> Text:
    # Stretches only a source marked shared wording (a template frame) explains are not
    # counted as covered by sources: they are said apart, "template wording only".
    marked = sum(s.shared_wording is not None for s in result.sources)
    n_sources = len(result.sources) - marked
    line = Text()
    line.append(f"Article: {len(result.article):,} characters · ")
    line.append(f"{result.explained_by_reuse:.0%} covered", style="bold")
    line.append(f" by {n_sources} source{'s' if n_sources != 1 else ''}")
    if marked:
        line.append(" · ")
        line.append(f"template wording only: {result.template_wording_only:.0%}", style="bold")
        line.append(f" ({marked} source{'s' if marked != 1 else ''} sharing only wording")
        line.append(" many stored documents hold)")
    line.append(f" · {result.seconds:.2f} s")
    if result.candidates_considered:
        n = result.candidates_considered
        line.append(f" · {n:,} candidate{'s' if n != 1 else ''} considered")
    if result.capped:
        line.append(" (candidate list capped: raise the limit to look further)", style="yellow")
    return line


def _sources_table(sources: list[SourceMatch], style_of: Mapping[int, str]) -> Table:
    table = Table(title="Sources", title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("id", overflow="fold")
    table.add_column("title", overflow="fold", max_width=40)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("site", overflow="fold")
    table.add_column("coverage", no_wrap=True)
    for s in sources:
        doc = s.document
        style = style_of[doc.key]
        table.add_row(
            Text(str(s.rank), style=style),
            Text(clean(doc.id), style=style),
            Text(clean(doc.title or "—")),
            Text(clean(doc.date or "—")),
            Text(clean(doc.site or "—")),
            _bar(s.coverage, style, template=s.shared_wording is not None),
        )
    return table


def _bar(share: float, style: str, width: int = 12, template: bool = False) -> Text:
    """A source's share of the article as a bar; a source marked shared wording gets a
    hatched one, "template": what it owns is not counted as covered by sources.

    >>> str(_bar(0.5, "", 4)), str(_bar(0.5, "", 4, template=True))
    ('██░░ 50%', '▚▚░░ 50% template')
    """
    share = clamp_share(share)
    filled = round(share * width)
    bar = Text(("▚" if template else "█") * filled, style=style)
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {share:.0%}")
    if template:
        bar.append(" template", style="dim")
    return bar


def _map_strip(
    result: TraceResult, rank_of: Mapping[int, int], style_of: Mapping[int, str], width: int
) -> Text:
    """One line for the whole article: each cell shows the rank of the source covering it
    ('·' for no source found, ' ' for not analysed)."""
    n = len(result.article)
    strip = Text("[")
    if n == 0:
        return Text("[]")
    segments = sorted(result.segments, key=lambda g: (g.start, g.end))
    template_keys = result.template_keys
    for cell in range(width):
        middle = (cell + 0.5) * n / width
        covering = next((g for g in segments if g.start <= middle < g.end), None)
        if covering is None:
            strip.append(" ")
        elif covering.source_key is None:
            strip.append("·", style="dim")
        else:
            rank = rank_of.get(covering.source_key)
            char = str(rank % 10) if rank is not None else "?"
            # a template's stretch is not drawn filled like a source's (see _header)
            fill = "underline" if covering.source_key in template_keys else "reverse"
            strip.append(char, style=f"{fill} {style_of.get(covering.source_key, '')}".strip())
    strip.append("]")
    return strip


def _segment_line(
    segment: Segment,
    rank_of: Mapping[int, int],
    style_of: Mapping[int, str],
    spin_model: object = None,
    template_keys: Collection[int] = (),
) -> Text:
    line = Text(f"  {segment.start:>7,}–{segment.end:<7,} ")
    if segment.source_key is None:
        line.append("no source found", style="italic")
        if segment.spin is not None:
            model = f", {clean(str(spin_model))} model" if spin_model else ""
            line.append(f" (spin score {segment.spin:.2f}{model})")
    else:
        rank = rank_of.get(segment.source_key)
        label = f"source #{rank}" if rank is not None else f"source key {segment.source_key}"
        line.append(label, style=style_of.get(segment.source_key, ""))
        if segment.source_key in template_keys:
            line.append(" (template wording only)", style="dim")
    return line


def _distortion_line(run: list[Distortion], show_all: bool = False) -> Text:
    """One line for a distortion, or for the changes of one quotation (a run of
    :func:`quotation_runs`): each "old" → "new", the rest counted unless ``show_all``."""
    edit, source = run[0].edit, run[0].source
    line = Text("⚠ ")
    line.append(label_name(edit.label).upper(), style=LABEL_STYLES.get(edit.label, "bold red"))
    line.append("  ")
    if len(run) == 1:
        line.append_text(_change(edit))
        if edit.reason:
            line.append(f"  — {clean(edit.reason)}")
    else:
        listed = run if show_all else run[:QUOTE_CHANGES_SHOWN]
        line.append(f"one quotation reworded at {len(run)} places: ")
        for k, d in enumerate(listed):
            if k:
                line.append(", ")
            line.append_text(_change(d.edit))
        if len(listed) < len(run):
            line.append(f" and {len(run) - len(listed)} more")
    ss = min(d.edit.source_start for d in run)
    se = max(d.edit.source_end for d in run)
    line.append(
        f"  (source #{source.rank}, article {edit.target_start:,}–{run[-1].edit.target_end:,},"
        f" source {ss:,}–{se:,})",
        style="dim",
    )
    return line


def shared_wording_note(holders: int) -> str:
    """What a report says of a source marked ``SourceMatch.shared_wording`` (see
    :mod:`unspin.shared_wording`).

    >>> shared_wording_note(4)[:60]
    'shared wording: what it shares with the article, 4 other sto'
    """
    return (
        f"shared wording: what it shares with the article, {holders} other stored documents "
        "hold too, with other names and numbers: a common template, not evidence that the "
        "article came from this source"
    )


def _print_source(
    console: Console,
    source: SourceMatch,
    article: str,
    source_texts: Mapping[int, str],
    show_edits: bool,
    show_all: bool = False,
) -> None:
    doc = source.document
    console.print()
    heading = Text(f"Source #{source.rank} · {clean(doc.id)}", style="bold")
    if doc.title:
        heading.append(f" · {clean(doc.title)}", style="")
    console.rule(heading)
    if source.copies:
        console.print(Text("also in: " + ", ".join(clean(c.id) for c in source.copies)))
    if source.shared_wording is not None:
        console.print(Text(shared_wording_note(source.shared_wording)))
    if doc.url:
        console.print(Text(f"url: {clean(doc.url)}"))
    text = source_texts.get(doc.key)
    if not source.passages:
        console.print(Text("No aligned passages."))
    for number, passage in enumerate(source.passages, start=1):
        _print_passage(console, number, passage, article, text)
        if show_edits:
            _print_edits(console, passage, show_all)


def _print_passage(
    console: Console, number: int, passage: Passage, article: str, source_text: str | None
) -> None:
    console.print(
        Text(
            f"Passage {number} · article {passage.target_start:,}–{passage.target_end:,}"
            f" ↔ source {passage.source_start:,}–{passage.source_end:,}"
            f" · score {passage.score:.2f}",
            style="bold",
        )
    )
    # A grid keeps wrapped excerpt lines indented under their text, not under the label.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("  article:", Text(excerpt(article[passage.target_start : passage.target_end])))
    if source_text is None:
        grid.add_row("  source:", Text("(source text not available)", style="italic"))
    else:
        shown = excerpt(source_text[passage.source_start : passage.source_end])
        grid.add_row("  source:", Text(shown))
    console.print(grid)


def _print_edits(console: Console, passage: Passage, show_all: bool = False) -> None:
    # Distortions were listed in their own section; here they are only counted.
    n_distortions = sum(e.distortion for e in passage.edits)
    if n_distortions:
        console.print(
            Text(
                f"    ⚠ {n_distortions} possible distortion{'s' if n_distortions != 1 else ''}"
                " in this passage (see above)",
                style="red",
            )
        )
    edits = [e for e in ordered_edits(passage) if not e.distortion and e.label != "identical"]
    for edit in edits if show_all else edits[:EDITS_PER_PASSAGE]:
        line = Text("    ")
        line.append(f"[{label_name(edit.label)}]", style=LABEL_STYLES.get(edit.label, "bold"))
        line.append(" ")
        line.append_text(_change(edit))
        if edit.reason:
            line.append(f"  — {clean(edit.reason)}", style="dim")
        console.print(line)
    _more(console, len(edits) - EDITS_PER_PASSAGE, "edit", "edits", show_all)


def _change(edit: Edit) -> Text:
    """``"old" → "new"``, with ∅ for the empty side of an insertion or deletion."""
    change = Text()
    change.append(_quoted(edit.source_text))
    change.append(" → ")
    change.append(_quoted(edit.target_text), style="bold")
    return change


def _quoted(text: str) -> str:
    return f"“{excerpt(text, 60)}”" if text else "∅"


def label_name(label: str) -> str:
    """A label as words: ``number_change`` -> ``number change``."""
    return clean(label).replace("_", " ")


def clean(text: str) -> str:
    r"""Untrusted text made safe and compact for one terminal line: control characters
    become spaces, a lone surrogate its escape (:func:`unspin.errors.bidi_escaped`).

    >>> clean("lone \ud800 surrogate,\u202e\n two lines")
    'lone \\ud800 surrogate, two lines'
    """
    return _escaped(_compact(text))


def excerpt(text: str, width: int = EXCERPT_WIDTH) -> str:
    r""":func:`clean` text shortened to about ``width`` characters (:func:`truncate`), cut
    before a lone surrogate becomes its escape, so that the cut never leaves half of one
    (up to robust39 an excerpt could begin ``udce9\udce9``, the tail of ``\udce9``).

    >>> excerpt("x" * 20 + " " + "\udce9" * 20, 12)
    'xxxxxxxx … \\udce9\\udce9\\udce9\\udce9'
    """
    return _escaped(truncate(_compact(text), width))


def _compact(text: str) -> str:
    """``text`` on one line: control characters and runs of white space become one space."""
    return _SPACE.sub(" ", _UNSAFE.sub(" ", text)).strip()


def _escaped(text: str) -> str:
    return bidi_escaped(text) if _SURROGATE.search(text) else text


def truncate(text: str, width: int = EXCERPT_WIDTH) -> str:
    """Shorten ``text`` to about ``width`` characters by cutting the middle at word breaks,
    so both the start and the end of a passage stay visible."""
    if len(text) <= width:
        return text
    head = text[: width * 2 // 3]
    tail = text[-(width // 3) :]
    # Cut at spaces when there is one close by, so words are not broken in half.
    if " " in head[len(head) // 2 :]:
        head = head[: head.rindex(" ")]
    if " " in tail[: len(tail) // 2]:
        tail = tail[tail.index(" ") + 1 :]
    return f"{head} … {tail}"
