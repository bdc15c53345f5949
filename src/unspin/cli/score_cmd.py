"""``unspin score``: is a text spun, even without its source? And what was the original wording?"""

from __future__ import annotations

import json
import os

import click

from ..api import score as spin_score
from ..errors import InputError
from ..spinscore.score import (
    MODEL_CHOICES,
    confident,
    explain,
    phrase_language,
    restoration_note,
)
from .app import (
    EMPTY_PATH,
    PathArgument,
    batch_progress,
    check_report_file,
    fail,
    handle_errors,
    main,
    note_hidden_characters,
    printable,
    read_documents,
    read_plain_text,
    say_error,
    stdin_once,
    write_text_file,
)

# A longer "article" is a concatenation: its spans would be unreadable and scoring it slow
# (about 15 s a million characters with the contextual model).
MAX_SCORE_CHARS = 1_000_000


def _names_a_file(phrase: str) -> bool:
    """Whether an argument of --explain is a file's path rather than words: one token with a
    path separator or a dot, naming an existing file (a phrase with spaces never is)."""
    if any(c.isspace() for c in phrase) or not ("/" in phrase or os.sep in phrase or "." in phrase):
        return False
    return os.path.isfile(phrase)


def _explain_phrases(phrases: list[str], as_json: bool, context: str | None, model: str) -> None:
    # (phrase, its language when not English, the suggestions): English words are no
    # restoration of a phrase in another language.
    results: list[tuple[str, str | None, list[tuple[str, float]]]] = []
    # A phrase a file lists again is explained once (each takes up to a second with the
    # contextual model; a list of 20,000 copies of one phrase ran for minutes).
    done: dict[str, tuple[str | None, list[tuple[str, float]]]] = {}
    with batch_progress("explaining", len(phrases)) as advance:
        for p in phrases:
            if p not in done:
                language = phrase_language(p, context)
                done[p] = (language, [] if language else explain(p, 3, context, model))
            results.append((p, *done[p]))
            advance(len(results))
    if note := restoration_note():
        click.echo(note, err=True)
    if as_json:
        out = [
            {
                "phrase": p,
                "restored": confident(got, p),
                "suggestions": [{"text": w, "probability": s} for w, s in got],
                "language": language,
            }
            for p, language, got in results
        ]
        click.echo(json.dumps(out, indent=2))
        return
    for phrase, language, got in results:
        shown = ", ".join(f"{w} ({s:.2f})" for w, s in got)
        if language:
            click.echo(
                f"{phrase} -> cannot restore: {'the context' if context else 'it'} reads as "
                f"language '{language}', and the originals unspin knows are English"
            )
        elif not got:
            click.echo(f"{phrase} -> cannot restore: no candidate")
        elif not confident(got, phrase):
            click.echo(f"{phrase} -> cannot restore with confidence (guesses: {shown})")
        else:
            click.echo(f"{phrase} -> {shown}")


@main.command("score")
# Not PathArgument: with --explain the arguments are phrases, and an empty one is an empty
# phrase (up to robust31 it read "an empty name; give a file or folder name"). An empty
# FILE is refused as PathArgument refuses it, below.
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--explain",
    "explain_",
    is_flag=True,
    help="Treat the arguments as phrases and suggest their likely originals.",
)
@click.option(
    "--explain-file",
    type=PathArgument(exists=True, dir_okay=False),
    help="Suggest originals for the phrases in this file, one a line.",
)
@click.option(
    "--context",
    type=PathArgument(exists=True, dir_okay=False),
    help="With --explain: the text the phrases come from; originals it uses elsewhere, that pair "
    "with the neighbours, or (contextual model) that read well in the sentence rank higher.",
)
@click.option(
    "--model",
    type=click.Choice(MODEL_CHOICES),
    default="auto",
    show_default=True,
    help="lexical: word frequencies, thesaurus and word pairs only; contextual: also a small "
    "transformer (needs the embed extra); auto: contextual when installed.",
)
@click.option(
    "--restore",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    metavar="N",
    help="With the contextual model: re-rank the suggested originals of the N heaviest spans "
    "by how well each reads in the span's sentence (about 0.06 s CPU a span), and of the next "
    "2N by a quicker reading (about 0.02 s a span); 0: word-pair ranking only.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--html",
    "html_out",
    type=PathArgument(dir_okay=False),
    help="Also write a self-contained HTML page: each text with its spans marked and their "
    "likely originals.",
)
@handle_errors
def score_cmd(
    files: tuple[str, ...],
    explain_: bool,
    explain_file: str | None,
    context: str | None,
    model: str,
    restore: int,
    as_json: bool,
    html_out: str | None,
) -> None:
    """Give each FILE a calibrated spin probability and the spans that drive it.

    FILE is plain text, HTML (its main text), JSON Lines or WARC (every record, named FILE#N);
    '-' reads standard input. Texts under 30 content words are flagged as short: the probability was
    calibrated on paragraphs of 60+ words.

    With --explain, the arguments are phrases ("counterfeit consciousness") and each gets up to
    three likely original wordings; --context FILE lets the text around them re-rank those.
    """
    if explain_file and files and not explain_:
        # Before (robust30): the FILEs were dropped without a word, exit 0.
        named = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
        fail(
            f"--explain-file suggests originals for its phrases and scores no FILE ({named}); "
            "score the FILEs in a run of their own, or add --explain to take them as phrases"
        )
    if explain_ or explain_file:
        phrases = list(files) if explain_ else []
        if any(not p.strip() for p in phrases):
            fail("--explain: a phrase is empty; give the words to restore")
        named_file = next((p for p in phrases if _names_a_file(p)), None)
        if named_file is not None:
            # Before (31st session): the path was explained as if it were words ("tmp grow
            # txt"), exit 0, and the file was never read.
            fail(
                f"--explain: {named_file} is a file, and --explain takes phrases; "
                f"`unspin score {named_file}` scores it and suggests originals for its spans, "
                f"--explain-file {named_file} explains its lines"
            )
        if explain_file:
            phrases += [
                ln.strip() for ln in read_plain_text(explain_file).splitlines() if ln.strip()
            ]
        if not phrases:
            fail("give phrases after --explain, or a file with --explain-file")
        if html_out:
            fail("--html draws scored FILEs; it does not apply to --explain")
        _explain_phrases(phrases, as_json, read_plain_text(context) if context else None, model)
        return
    if "" in files:
        raise click.BadParameter(
            EMPTY_PATH.format(kind="file or folder"), param_hint="'[FILES]...'"
        )
    if context:
        fail("--context re-ranks the originals of --explain or --explain-file; give one of them")
    restore_given = click.get_current_context().get_parameter_source("restore")
    # --restore 0 asks for what the lexical model does (word-pair ranking only): refused up
    # to robust30 as if it asked for re-ranking.
    if model == "lexical" and restore and restore_given is click.core.ParameterSource.COMMANDLINE:
        fail("--restore re-ranks with the contextual model; --model lexical does not use it")
    if not files:
        fail("give at least one FILE to score (or --explain PHRASE...)")
    stdin_once(files)
    check_report_file(html_out, files)
    texts, unread = _read_all(files)
    for path, text in texts.items():
        note_hidden_characters(printable(path), text)
    results = {}
    with batch_progress("scoring", len(texts)) as advance:
        for path, text in texts.items():
            # The default --restore applies to the contextual model only.
            results[path] = spin_score(
                text, model=model, restore=0 if model == "lexical" else restore
            )
            advance(len(results))
    if html_out:
        from ..report import render_spin_html  # the report package loads the edit labeller

        page = render_spin_html([(path, texts[path], score) for path, score in results.items()])
        write_text_file(html_out, page)
    if as_json:
        click.echo(json.dumps([{"file": p, **s.to_dict()} for p, s in results.items()], indent=2))
        _fail_if_unread(unread, len(files))
        return
    if html_out:
        click.echo(f"HTML report written to {html_out}")
    for path, score in results.items():
        short = (
            f"; short text, {score.content_words} content words: less reliable"
            if score.short
            else ""
        )
        click.echo(
            f"{path}: spin probability {score.probability:.2f} "
            f"({len(score.spans)} spans, {score.model} model{short})"
        )
        if score.note:
            click.echo(f"  note: {score.note}")
        if score.windows:
            spun = [w for w in score.windows if w.probability >= 0.5]
            where = ", ".join(f"{w.start:,}-{w.end:,} ({w.probability:.2f})" for w in spun)
            click.echo(
                f"  judged in {len(score.windows)} stretches (the probability is their mean); "
                + (f"reading spun: {where}" if spun else "none reads spun")
            )
        for span in sorted(score.spans, key=lambda s: -s.weight)[:10]:
            hint = ", ".join(span.suggestions)
            click.echo(f"  {span.start}-{span.end} {span.phrase!r} [{span.reason}] -> {hint}")
    _fail_if_unread(unread, len(files))


def _read_all(files: tuple[str, ...]) -> tuple[dict[str, str], int]:
    """Every document of ``files`` (read before any is scored) and how many files could not
    be read. One file: its problem is the error. Several: each unreadable one is reported on
    its own line as it is met and the others are scored all the same (one bad page of 941
    cost the whole run)."""
    if len(files) == 1:
        return dict(read_documents(files[0], MAX_SCORE_CHARS)), 0
    texts: dict[str, str] = {}
    unread = 0
    for path in files:
        try:
            texts.update(read_documents(path, MAX_SCORE_CHARS))
        except InputError as exc:
            say_error(str(exc))
            unread += 1
    if not texts:
        fail(f"none of the {len(files)} files could be read")
    return texts, unread


def _fail_if_unread(unread: int, total: int) -> None:
    """After the scores: a non-zero exit when some files were not read (said above)."""
    if unread:
        fail(
            f"{unread} of {total} files could not be read (each is named above); the rest were scored"
        )
