"""`unspin ingest`: index files, folders, JSON Lines and WARC archives into the store."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import InputWarning
from ..ingest import IngestReport, default_workers, ingest
from ..read import Limits
from ..store import Store
from ..types import Document
from .app import PathArgument, db_option, handle_errors, main


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=PathArgument())
@db_option
@click.option(
    "--batch-size",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Documents per transaction; a crash loses at most one batch (re-run to resume). "
    "Larger batches ingest faster into a big store (each batch rewrites index pages all "
    "over it): 763 / 922 / 1,048 documents/s at 1,000 / 2,000 / 5,000 into 100k documents.",
)
@click.option(
    "--max-mb",
    default=64,
    show_default=True,
    type=click.IntRange(1, 4096),
    help="Refuse input files (and JSON Lines lines, WARC payloads) larger than this many "
    "megabytes.",
)
@click.option(
    "--max-chars",
    default=Limits.max_document_chars,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse documents longer than this many characters.",
)
@click.option(
    "--max-records",
    default=Limits.max_records_per_file,
    show_default=True,
    type=click.IntRange(1),
    help="Stop reading a JSON Lines, JSON or WARC file after this many records.",
)
@click.option(
    "--max-decompressed-mb",
    default=Limits.max_decompressed_bytes // (1024 * 1024),
    show_default=True,
    type=click.IntRange(1),
    help="Stop reading a gzip file once it has expanded to this many megabytes.",
)
@click.option(
    "--max-parse-seconds",
    default=Limits.max_parse_seconds,
    show_default=True,
    type=click.IntRange(1, 86_400),
    help="Give up on an HTML page whose parsing takes longer than this.",
)
@click.option(
    "--workers",
    default=default_workers(),
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes that fingerprint while the main one reads and writes (1: no pool).",
)
@click.option(
    "--xling",
    is_flag=True,
    help="Also store a multilingual vector per text, so that trace finds sources in other"
    " languages (the xling extra; the store keeps doing so on later ingests).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--log-batches",
    is_flag=True,
    help="Print 'committed batch N (K documents read)' to stdout after each commit.",
)
@handle_errors
def ingest_command(
    paths: tuple[str, ...],
    db: str,
    batch_size: int,
    max_mb: int,
    max_chars: int,
    max_records: int,
    max_decompressed_mb: int,
    max_parse_seconds: int,
    workers: int,
    xling: bool,
    quiet: bool,
    log_batches: bool,
) -> None:
    """Read PATHS (text, HTML, JSON Lines, WARC files or folders) into the store.

    Re-ingesting the same records adds nothing; a record with a new id or URL is a new
    document even when its text is already stored (a reprint: the text is stored once).
    Each batch is one transaction: after a crash or Ctrl-C, run the same command again to
    resume. Unreadable files are reported one line each and the others are still ingested;
    the exit code is 1 if any input failed. A date, title, URL or site that cannot be used
    costs only that field (a warning count at the end); see unspin.dates for the date
    formats read and the day/month rule. The store file and its side files are skipped when
    they lie in a folder being read. '-' (standard input) and a pipe given by name
    (`<(zcat feed.jsonl.gz)`) are read when they hold JSON Lines, JSON or WARC records.
    """
    err = Console(stderr=True)
    limits = Limits(
        max_file_bytes=max_mb * 1024 * 1024,
        max_document_chars=max_chars,
        max_records_per_file=max_records,
        max_decompressed_bytes=max_decompressed_mb * 1024 * 1024,
        max_parse_seconds=max_parse_seconds,
    )
    if xling:
        from ..xling import require

        require()  # before the store is made: a missing extra leaves no empty store behind
    with Store(db) as store:
        progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn(
                "{task.fields[read]} read, {task.fields[added]} new, {task.fields[errors]} errors"
            ),
            TimeElapsedColumn(),
            console=err,
            disable=quiet or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingest", total=None, read=0, added=0, errors=0)

            def on_item(rep: IngestReport, item: object) -> None:
                if not isinstance(item, Document):
                    # One line per bad input, printed above the live progress bar.
                    progress.console.print(
                        f"Error: {item}", markup=False, highlight=False, soft_wrap=True
                    )
                progress.update(task, read=rep.read, added=rep.added, errors=len(rep.errors))

            def on_warning(note: InputWarning) -> None:
                progress.console.print(
                    f"Warning: {note}", markup=False, highlight=False, soft_wrap=True
                )

            def on_batch(rep: IngestReport) -> None:
                progress.update(task, added=rep.added)
                if log_batches:
                    # Printed only after the commit: every document read so far is stored,
                    # which is what a supervisor (or the crash tests) may rely on.
                    click.echo(f"committed batch {rep.batches} ({rep.read} documents read)")

            report = ingest(
                paths,
                store,
                batch_size=batch_size,
                limits=limits,
                on_item=on_item,
                on_batch=on_batch,
                workers=workers,
                on_warning=on_warning,
                xling=xling,
            )
    # Warnings are counted only when there are some, so the usual line stays as it was.
    warned = f", {_count(len(report.warnings), 'warning')}" if report.warnings else ""
    click.echo(
        f"{report.added} documents added ({report.texts_added} new texts, "
        f"{report.added - report.texts_added} copies of stored texts), "
        f"{report.duplicates} already stored, "
        f"{len(report.errors)} inputs failed{warned} ({report.batches} batches) -> {db}"
    )
    for name, n in sorted(report.field_warnings.items()):
        # Warnings, not errors: the documents are stored, without the field.
        click.echo(
            f"warning: {n} documents stored without their {name} "
            f"(first: {report.field_warning_examples[name]})",
            err=True,
        )
    if report.errors:
        sys.exit(1)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
