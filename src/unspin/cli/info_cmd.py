"""`unspin stats` and `unspin check`: what the store holds, and whether it is intact."""

from __future__ import annotations

import json
import sys

import click

from ..api import Corpus
from ..store import Store, diagnose
from .app import batch_progress, db_option, fail, handle_errors, main


@main.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def stats_command(db: str, as_json: bool) -> None:
    """Counts, sites, date range and size of the store.

    long_names: documents holding a name (id, title, URL, site or path) over 8,192
    characters, which an older unspin stored (unspin check lists them)."""
    with Corpus(db, readonly=True, create=False) as corpus:
        st = corpus.stats()
        # Here, not in Store.stats(): the web app's Corpus page asks that on every load, and
        # this reads every document's names (0.3 s of CPU in a store of 1,000,000).
        st["long_names"], _ = corpus.store.long_names(0)
    if as_json:
        click.echo(json.dumps(st, indent=2))
        return
    for k, v in st.items():
        click.echo(f"{k:>16}: {v}")


@main.command("check")
@db_option
@handle_errors
def check_command(db: str) -> None:
    """Check the store: SQLite integrity (naming each damaged table), postings and statistics
    consistent with documents. Reads only, so it also works on a read-only copy.

    Exits 1 and lists the problems when anything is wrong.
    """
    report = diagnose(db)
    for line in report.notes:
        click.echo(f"note: {line}", err=True)
    if report.problems:
        for p in report.problems:
            click.echo(f"problem: {p}", err=True)
        if report.damaged:
            fail(
                f"{db}: the store file is damaged; restore a copy of it, or ingest the sources "
                "again into a new store"
            )
        fail(
            f"{db}: the index disagrees with the documents; rebuild it with: unspin reindex --db {db}"
        )
    click.echo(f"ok: {report.documents} documents, store is consistent")


@main.command("upgrade")
@db_option
@handle_errors
def upgrade_command(db: str) -> None:
    """Bring a store written by an older unspin up to this unspin's layout, in place.

    Any command that writes to a store does this first; this one does only that, so that
    commands that only read (stats, trace, serve) can open it. Nothing is re-indexed: a store
    whose fingerprints are older says to run unspin reindex.
    """
    with Store(db, create=False, allow_stale=True) as store:
        schema, features = store.schema_version, store.feature_version
        renamed = store.sites_renamed
    Store(db, create=False, readonly=True).close()  # what is still missing, one line
    click.echo(f"{db}: schema v{schema}, fingerprints v{features}: up to date")
    if renamed:
        click.echo(f"{renamed} site names written in Unicode, as ingest now writes them (xn--)")


@main.command("reindex")
@db_option
@handle_errors
def reindex_command(db: str) -> None:
    """Rebuild the fingerprints of every stored document (after upgrading unspin).

    Needed when unspin says the store's fingerprints or schema are older than it uses. The
    documents themselves are kept; if interrupted, run it again.
    """
    from ..fingerprints import fingerprint

    with Store(db, create=False, allow_stale=True) as store:
        (texts,) = store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()
        with batch_progress("re-indexing", texts) as on_batch:
            n = store.reindex(fingerprint, on_batch=on_batch)
        problems = store.check()
    if problems:
        for p in problems:
            click.echo(f"problem: {p}", err=True)
        sys.exit(1)
    click.echo(f"re-indexed {n} documents in {db}")
