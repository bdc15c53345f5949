"""`unspin xling`: the cross-language index of a store (languages and vectors)."""

from __future__ import annotations

import click

from ..store import Store
from .app import batch_progress, db_option, handle_errors, main


@main.group("xling")
def xling_group() -> None:
    """Cross-language index of a store: languages and vectors."""


@xling_group.command("index")
@db_option
@handle_errors
def index_command(db: str) -> None:
    """Give every stored text its language and multilingual vector (the xling extra), so
    that `unspin trace` finds sources in other languages; later ingests keep it up to date.
    Interrupted, it keeps what it committed: run it again to go on."""
    from ..xling import index

    with Store(db, create=False) as store:
        index.enable(store)
        with batch_progress("indexing", index.unindexed(store)[0]) as on_batch:
            n = index.index_missing(store, on_batch)
        langs = index.languages(store)
    summary = ", ".join(f"{lang} {n:,}" for lang, n in langs.most_common(8))
    click.echo(f"{n:,} texts indexed; languages: {summary} -> {db}")


@xling_group.command("languages")
@db_option
@handle_errors
def languages_command(db: str) -> None:
    """How many stored texts are in each language, by its two-letter code; '?' counts the
    texts whose language could not be told (too few letters, or no language clear enough),
    and a note on standard error says so."""
    from ..xling import index

    with Store(db, create=False, readonly=True) as store:
        counts = index.languages(store).most_common()
        recorded = index.has_languages(store)
    if not counts:  # say so, rather than print nothing
        click.echo(f"no texts stored in {db}: add some with unspin ingest FILE --db {db}")
    for lang, n in counts:
        click.echo(f"{lang}\t{n}")
    unknown = dict(counts).get("?", 0)
    if unknown and recorded:
        click.echo(
            f"note: ?: {unknown:,} {'text' if unknown == 1 else 'texts'} whose language "
            "could not be told (too few letters, or no language clear enough)",
            err=True,
        )
    elif unknown:
        # A store written by an older unspin (schema 4), read without changing it.
        click.echo(
            f"note: ?: {db} records no languages yet (an older store, read as it is); any "
            f"command that writes to it adds them for new texts, and unspin xling index --db "
            f"{db} for all",
            err=True,
        )
