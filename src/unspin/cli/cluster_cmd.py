"""`unspin cluster`: corpus-wide reuse clusters, lineage and the site graph."""

from __future__ import annotations

import json

import click

from ..cluster.options import ENGINES, MIN_SHARED, date_window
from ..read.limits import MIB, Limits
from .app import PathArgument, batch_progress, db_option, handle_errors, main


@main.command("cluster")
@db_option
@click.option(
    "--input",
    "source",
    type=PathArgument(exists=True, allow_dash=True),
    help="Cluster a JSON Lines file (key, id, site, date, text; '-' reads standard input) "
    "instead of the store; Parquet too with --engine spark.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: this process; spark: the same stages as a PySpark job (unspin[spark]).",
)
@click.option("--master", default="local[2]", show_default=True, help="Spark master URL.")
@click.option(
    "--out",
    "out",
    default="clusters",
    show_default=True,
    type=PathArgument(file_okay=False),
    help="Output folder; a rerun into it skips finished stages (a run on other documents or "
    "settings replaces them); a run into a folder another run is writing waits for it.",
)
@click.option(
    "--since",
    help="Only documents published on or after this date (YYYY-MM-DD, YYYY-MM or YYYY: "
    "--since 1987 from the first of January).",
)
@click.option(
    "--until",
    help="Only documents published on or before this date (YYYY-MM-DD, YYYY-MM or YYYY: "
    "--until 1987 to the end of December).",
)
@click.option(
    "--min-shared",
    default=MIN_SHARED,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Features a document pair must share to be aligned.",
)
@click.option(
    "--max-records",
    default=Limits.max_records_per_file,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse an --input file of more records (or blank lines), or a Parquet table of "
    "more rows, than this: every record is kept in memory.",
)
@click.option(
    "--max-decompressed-mb",
    default=Limits.max_decompressed_bytes // MIB,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse an --input file holding more megabytes than this (decompressed, when it is "
    "gzip; standard input too), or a Parquet table whose ids and sites hold more (in UTF-8).",
)
@click.option("--no-edits", is_flag=True, help="Skip the per-member edit summaries (faster).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@handle_errors
def cluster_command(
    db: str,
    source: str | None,
    engine: str,
    master: str,
    out: str,
    since: str | None,
    until: str | None,
    min_shared: int,
    max_records: int,
    max_decompressed_mb: int,
    no_edits: bool,
    as_json: bool,
) -> None:
    """Find reuse across the whole corpus: who copies whom.

    Writes OUT/clusters.jsonl (members in time order; the earliest is marked as the probable
    origin only when every member is dated and it is strictly the earliest, otherwise the
    cluster says "undated" or "tie"), OUT/site_graph.csv and .graphml (A -> B: passages B
    took from A) and OUT/report.html.
    """
    since, until = date_window(since, until, "--since", "--until")
    # Imported here: the engine is not needed for --help nor for an argument error.
    from ..cluster import ClusterConfig, cluster

    config = ClusterConfig(min_shared=min_shared, label_edits=not no_edits)
    with batch_progress("clustering", None) as advance:
        run = cluster(
            out,
            db=None if source else db,
            source=source,
            engine=engine,
            since=since,
            until=until,
            master=master,
            config=config,
            progress=lambda stage, done, total: advance(done, total, stage),
            limits=Limits(
                max_records_per_file=max_records,
                max_decompressed_bytes=max_decompressed_mb * MIB,
            ),
        )
    if as_json:
        click.echo(json.dumps(run.to_dict(), sort_keys=True))
        return
    click.echo(
        f"{run.documents} documents, {run.pairs} candidate pairs, {run.passages} passages, "
        f"{run.clusters} clusters ({run.engine} engine)"
    )
    if run.resumed:
        click.echo(f"reused finished stages: {', '.join(run.resumed)}")
    if run.replaced_stages:
        click.echo(
            f"replaced the stages {out}/stages held of a run with other documents or settings",
            err=True,
        )
    click.echo(f"wrote {out}/clusters.jsonl, site_graph.csv, site_graph.graphml, report.html")
