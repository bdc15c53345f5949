"""The terminal report: key facts printed, in the right order, untrusted text kept inert."""

from __future__ import annotations

import dataclasses

from rich.console import Console

from unspin.report import render_terminal
from unspin.report.terminal import clean, truncate
from unspin.types import SourceMatch, StoredDocument, TraceResult


def _render(result: TraceResult, source_texts: dict[int, str], **kw: bool) -> str:
    console = Console(record=True, width=100)
    render_terminal(result, source_texts, console, **kw)
    return console.export_text()


def test_header_sources_and_map(result, source_texts) -> None:
    out = _render(result, source_texts)
    assert "Article: 237 characters" in out
    assert "78% covered by 2 sources" in out
    assert "0.42 s" in out and "37 candidates considered" in out
    # The sources table, in rank order although the result lists them the other way round.
    assert out.index("council-2021-04") < out.index("library-protest")
    for fact in ("Council approves budget", "2021-04-01", "news.example", "46%", "32%"):
        assert fact in out
    assert "no source found (spin score 0.82)" in out
    assert "source #1" in out and "source #2" in out


def test_one_candidate_is_counted_in_the_singular(result, source_texts) -> None:
    one = dataclasses.replace(result, candidates_considered=1)
    assert "1 candidate considered" in _render(one, source_texts)


def test_distortions_come_first_with_their_reason(result, source_texts) -> None:
    out = _render(result, source_texts)
    section = out.index("Possible distortions (2)")
    assert section < out.index("Passage 1")
    assert "NUMBER CHANGE" in out and "number 12 became 21" in out
    assert "NEGATION" in out and "the negation 'not' was removed" in out
    assert out.index("NUMBER CHANGE") < out.index("NEGATION")
    # Other edits carry their label as text, not only a colour.
    assert "[synonym]" in out and "“gathered” → “assembled”" in out
    assert "[inflection]" in out
    assert "[identical]" not in out  # unchanged words are not edits worth showing
    assert "2 possible distortions in this passage" in out


def test_passages_show_both_sides_with_offsets(result, source_texts) -> None:
    out = _render(result, source_texts)
    assert "Passage 1 · article 111–186 ↔ source 0–74 · score 0.83" in out
    assert "Residents gathered at the town hall" in out
    assert "Residents assembled at the town hall" in out


def test_missing_source_text_is_reported(result, source_texts) -> None:
    out = _render(result, {11: source_texts[11]})
    assert "(source text not available)" in out


def test_switches_hide_passages_and_edits(result, source_texts) -> None:
    out = _render(result, source_texts, show_passages=False)
    assert "Passage 1" not in out and "Possible distortions" in out
    out = _render(result, source_texts, show_edits=False)
    assert "Possible distortions" not in out and "[synonym]" not in out
    assert "Passage 1" in out


def test_empty_result() -> None:
    out = _render(TraceResult(article="Just some text.", sources=(), segments=()), {})
    assert "No sources found" in out and "0% covered by 0 sources" in out


def test_untrusted_text_is_neither_markup_nor_escape_codes(
    hostile, source_texts, make_result
) -> None:
    doc = StoredDocument(11, "id\x1b[31mred", "[bold]markup[/bold]", "\x1b]8;;x\x07link", length=9)
    poisoned = make_result(doc_a=doc, reason="\x1b[2Jcleared")
    for result in (poisoned, hostile):
        console = Console(record=True, width=100, force_terminal=True, color_system="truecolor")
        render_terminal(result, source_texts, console)
        styled = console.export_text(styles=True, clear=False)
        plain = console.export_text()
        # The ESC byte from the documents never reaches the terminal (only rich's own codes).
        for payload in ("\x1b[31mred", "\x1b[2J", "\x1b]8"):
            assert payload not in styled
        assert "\x1b" not in plain
    # Rich markup in document text prints literally instead of styling.
    assert "[bold]markup[/bold]" in plain or "[bold]markup[/bold]" in _render(
        poisoned, source_texts
    )
    assert "<script>alert(1)</script>" in plain  # plain text in a terminal is harmless
    assert "cleared" in _render(poisoned, source_texts)


def test_truncate_keeps_both_ends_at_word_breaks() -> None:
    text = " ".join(f"word{i}" for i in range(100))
    short = truncate(text, 60)
    assert len(short) <= 63
    assert short.startswith("word0 word1") and short.endswith("word99")
    assert " … " in short
    assert all(part.startswith("word") for part in short.replace(" … ", " ").split())
    assert truncate("short text", 60) == "short text"


def test_clean_removes_controls_and_collapses_space() -> None:
    assert clean("a\x1b[2Jb\n\n c\u202ed\t") == "a [2Jb c d"


def test_non_finite_coverage_does_not_crash(make_result, source_texts) -> None:
    sample = make_result()
    broken = tuple(
        SourceMatch(s.document, s.rank, s.score, float("nan"), s.passages) for s in sample.sources
    )
    out = _render(TraceResult(sample.article, broken, sample.segments), source_texts)
    assert "░░░░░░░░░░░░ 0%" in out


def _many_distortions(result: TraceResult, n: int) -> TraceResult:
    """The sample with source #1's distortions repeated until there are ``n`` of them."""
    from dataclasses import replace

    a = next(s for s in result.sources if s.rank == 1)
    p = a.passages[0]
    found = [e for e in p.edits if e.distortion]
    edits = tuple(found[i % len(found)] for i in range(n))
    a2 = replace(a, passages=(replace(p, edits=edits),))
    return replace(result, sources=tuple(a2 if s is a else s for s in result.sources))


def test_distortions_grouped_by_source_with_the_sentence_in_both_texts(
    result, source_texts
) -> None:
    out = _render(result, source_texts)
    section = " ".join(out[out.index("Possible distortions (2)") :].split())
    assert "Against source #1 · council-2021-04 (2)" in section
    # The sentence around the number change, in the source and in the article.
    assert "source: The city council approved a budget of 12 million dollars on Monday." in section
    assert "article: The city council approved a budget of 21 million dollars on Monday." in section


def test_terminal_report_is_bounded_unless_all(result, source_texts) -> None:
    from unspin.report.terminal import DISTORTIONS_SHOWN

    many = _many_distortions(result, DISTORTIONS_SHOWN + 5)
    out = _render(many, source_texts)
    assert out.count("⚠ NUMBER CHANGE") + out.count("⚠ NEGATION") == DISTORTIONS_SHOWN
    assert "… and 5 more distortions (--all shows them)" in out
    everything = _render(many, source_texts, show_all=True)
    assert everything.count("⚠ NUMBER CHANGE") + everything.count("⚠ NEGATION") == (
        DISTORTIONS_SHOWN + 5
    )
    assert "more distortions" not in everything


def test_copies_and_related_coverage_are_listed_apart(result, source_texts) -> None:
    out = _render(result, source_texts)
    assert "#1 also in: council-reprint" in out
    related = out[out.index("Related coverage") :]
    assert "tv-council-story" in related and "31% overlap" in related
    # Neither is a ranked source.
    assert "78% covered by 2 sources" in out


def test_a_sentence_shared_by_a_run_of_distortions_is_printed_once(
    quoted_pair: tuple[str, str],
) -> None:
    """Before (34th session): the sentence around each distortion was printed under each, so a
    reworded quotation's sentence stood four times over in a row."""
    from unspin import compare
    from unspin.report.json_report import distortions, to_json

    source, spun = quoted_pair
    result = compare(source, spun)
    found = distortions(result)
    labels = [d.edit.label for d in found]
    assert labels.count("quote_change") >= 3 and "number_change" in labels
    out = _render(result, {0: source}, show_all=True)
    section = out[out.index("Possible distortions") : out.index("Source #1 ·")]
    # The quotation's changes are one line (before, the 35th session: one line each).
    assert section.count("⚠ QUOTE CHANGE") == 1
    line = section[section.index("⚠ QUOTE CHANGE") : section.index("(source #1")]
    assert f"one quotation reworded at {labels.count('quote_change')} places" in " ".join(
        line.split()
    )
    assert "“child” → “kid”, “increasingly” → “inexorably”" in " ".join(line.split())
    assert section.count("article: The minister stated") == 1
    assert section.count("article: The council met on Monday") == 1
    # The shared sentence comes after the last change of its run, before the next run's line.
    assert section.index("article: The minister stated") > section.rindex("⚠ QUOTE CHANGE")
    assert section.index("article: The minister stated") < section.index("⚠ NUMBER CHANGE")
    # The JSON report keeps each distortion's own context.
    items = to_json(result, {0: source})["distortions"]
    assert all(i["target_context"] and i["source_context"] for i in items)
