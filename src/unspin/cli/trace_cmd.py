"""`unspin trace` and `unspin compare`: where did a text come from, and what changed."""

from __future__ import annotations

from dataclasses import replace

import click

from ..api import Corpus, compare
from ..errors import bidi_escaped
from ..store import Store
from ..trace import SPIN_MODELS, TraceConfig
from ..types import TraceResult
from .app import (
    PathArgument,
    check_report_file,
    db_option,
    handle_errors,
    main,
    note_hidden_characters,
    read_article,
    stdin_once,
    write_text_file,
)

_ALL_HELP = (
    "Show every distortion, edit and article-map stretch in the terminal report (default: a"
    " bounded number of each, with a count of the rest)."
)
# trace and compare judge the stretches no source explains with the same choice of model, so
# that either can give the number `unspin score --model ...` gives for that stretch.
_SPIN_MODEL_OPTION = click.option(
    "--spin-model",
    default="lexical",
    show_default=True,
    type=click.Choice(SPIN_MODELS),
    help="Spin model for the stretches no source explains; 'contextual' (the embed extra)"
    " costs seconds more on a long article.",
)


def _emit(
    result: TraceResult,
    texts: dict[int, str],
    as_json: bool,
    html_out: str | None,
    show_all: bool = False,
) -> None:
    # Each report's module is imported for the report asked for (jinja2 for HTML, rich for
    # the terminal): ``trace --json`` needs neither.
    if html_out:
        from ..report.html import render_html

        write_text_file(html_out, render_html(result, texts))
    if as_json:
        from ..report.json_report import dumps

        click.echo(dumps(result, texts))
    else:
        from rich.console import Console

        from ..report.terminal import render_terminal

        render_terminal(result, texts, Console(), show_all=show_all)
        if html_out:
            click.echo(f"HTML report written to {html_out}")


@main.command("trace")
@click.argument("file", type=PathArgument(allow_dash=True))
@db_option
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(1, 100),
    help="How many sources to list for any stretch they own; a lower-ranked source is listed"
    " too when it owns 100 characters or more.",
)
@click.option(
    "--candidates",
    default=30,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="How many retrieved candidates to verify by alignment.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the versioned JSON report.")
@click.option(
    "--html",
    "html_out",
    type=PathArgument(dir_okay=False),
    help="Write a self-contained HTML report here.",
)
@click.option("--no-edits", is_flag=True, help="Skip edit classification (faster).")
@_SPIN_MODEL_OPTION
@click.option("--all", "show_all", is_flag=True, help=_ALL_HELP)
@click.option(
    "--languages",
    type=click.Choice(["auto", "same", "across"]),
    default="auto",
    show_default=True,
    help="'across': find sources in other languages than the article's (the xling extra and"
    " a store ingested with --xling); 'auto' does so when the store keeps cross-language"
    " vectors and the article's language is not the store's most common one.",
)
@handle_errors
def trace_command(
    file: str,
    db: str,
    top: int,
    candidates: int,
    as_json: bool,
    html_out: str | None,
    no_edits: bool,
    spin_model: str,
    show_all: bool,
    languages: str,
) -> None:
    """Find the sources of the article in FILE among the stored documents.

    Reports each source with the share of the article it covers and the aligned passages
    (character offsets into both texts), and maps the article: which source each stretch came
    from, or "no source found". FILE is plain text, HTML (its main text), or the first record
    of a JSON Lines or WARC file (a note says when there are more); '-' reads standard input.
    """
    from ..read.walk import printable

    check_report_file(html_out, (file, db))
    text = read_article(file)
    name = printable(file)  # the article's name in reports: a file name need not be UTF-8
    cfg = TraceConfig(top=top, label_edits=not no_edits, spin_model=spin_model)
    cfg = replace(cfg, retrieval=replace(cfg.retrieval, candidates=candidates))
    with Corpus(db, readonly=True, create=False) as corpus:
        from ..xling.index import other_language

        if languages == "across" or (languages == "auto" and other_language(corpus.store, text)):
            _trace_across(text, corpus.store, name, top, candidates, as_json, html_out)
            return
        result = corpus.trace(text, config=cfg, name=name)
        texts = corpus.source_texts(result)
        note_hidden_characters(name, text)
        if result.reindex_note:
            click.echo(f"note: {result.reindex_note}", err=True)
        if not result.sources and languages == "auto":
            from ..xling.index import unsearched_language, unsearched_language_note

            if langs := unsearched_language(corpus.store, text):
                note = unsearched_language_note(name, langs, printable(db))
                click.echo(f"note: {note}", err=True)
    _emit(result, texts, as_json, html_out, show_all)


def _trace_across(
    text: str,
    store: Store,
    name: str,
    top: int,
    candidates: int,
    as_json: bool,
    html_out: str | None,
) -> None:
    import json

    from rich.console import Console

    from ..xling.index import unindexed
    from ..xling.report import render_html as xling_html
    from ..xling.report import render_terminal as xling_terminal
    from ..xling.trace import trace_across

    result = trace_across(text, store, name=name, candidates=candidates, top=top)
    texts = store.texts([s.document.key for s in result.sources])
    lacking, total = unindexed(store)
    if lacking:
        # Sources among them cannot be found: say so rather than search part of the store.
        click.echo(
            f"Note: {lacking:,} of {total:,} stored texts have no cross-language vector yet "
            f"(an interrupted xling index?), so they are not searched; add them with: "
            f"unspin xling index --db {store.path}",
            err=True,
        )
    if html_out:
        write_text_file(html_out, xling_html(result, texts, text))
    if as_json:
        report = json.dumps(result.to_dict(texts, text), ensure_ascii=False, indent=2)
        click.echo(bidi_escaped(report))  # as the monolingual JSON report writes them
    else:
        xling_terminal(result, texts, text, Console())
        if html_out:
            click.echo(f"HTML report written to {html_out}")


def _note_two_languages(source: str, src: str, target: str, tgt: str) -> None:
    """Say so when two texts that share nothing are in two languages (only then: the
    language model takes half a second to load)."""
    from ..read.walk import printable
    from ..xling.language import two_languages, two_languages_note

    langs = two_languages(src, tgt)
    if langs is not None:
        note = two_languages_note(printable(source), langs[0], printable(target), langs[1])
        click.echo(f"note: {note}", err=True)


@main.command("compare")
@click.argument("source", type=PathArgument())
@click.argument("target", type=PathArgument(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the versioned JSON report.")
@click.option(
    "--html",
    "html_out",
    type=PathArgument(dir_okay=False),
    help="Write a self-contained HTML report here.",
)
@click.option(
    "--restore", is_flag=True, help="Print TARGET with spun or noised wording put back from SOURCE."
)
@_SPIN_MODEL_OPTION
@click.option("--all", "show_all", is_flag=True, help=_ALL_HELP)
@handle_errors
def compare_command(
    source: str,
    target: str,
    as_json: bool,
    html_out: str | None,
    restore: bool,
    spin_model: str,
    show_all: bool,
) -> None:
    """Align TARGET against SOURCE directly: reused passages and every edit between them.

    Each is plain text, HTML (its main text), or the first record of a JSON Lines or WARC
    file (a note says when there are more); '-' reads standard input.
    """
    from ..read.walk import printable

    stdin_once((source, target))
    check_report_file(html_out, (source, target))
    src = read_article(source)
    tgt = read_article(target)
    # The source's name goes into every report; a file name need not be UTF-8.
    cfg = TraceConfig(spin_model=spin_model)
    result = compare(src, tgt, source_name=printable(source), restore=restore, config=cfg)
    if not result.sources:
        _note_two_languages(source, src, target, tgt)
    note_hidden_characters(printable(source), src)
    note_hidden_characters(printable(target), tgt)
    texts = {0: src}
    if restore and not as_json:
        click.echo(result.restored or tgt)
        if html_out:
            from ..report.html import render_html

            write_text_file(html_out, render_html(result, texts))
        return
    _emit(result, texts, as_json, html_out, show_all)
