"""`unspin eval pan`: score the alignment on a PAN text-alignment corpus."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..errors import InputError, printable
from ..evaluate.pan import read_corpus, write_detections
from ..evaluate.runner import DEFAULT_SEED, EvalReport, GroupReport, evaluate_corpus, sample_pairs
from .app import PathArgument, batch_progress, handle_errors, main


@main.group("eval")
def eval_group() -> None:
    """Measure unspin's quality on public benchmarks."""


def _parse_sections(value: str | None) -> list[str] | None:
    if value is None:
        return None
    codes = [code.strip() for code in value.split(",") if code.strip()]
    if not codes:  # "--sections ,," or "": no code at all, not "every section"
        raise click.BadParameter(
            f"no section code in {value!r}; give e.g. 02,03", param_hint="--sections"
        )
    return codes


def _check_out_dir(out_dir: Path, corpus_dir: Path) -> None:
    """Refuse, before any pair is aligned, an --out folder inside the corpus or one that
    cannot be written (InputError naming it). Up to robust31 ``--out CORPUS/02-no-obfuscation``
    wrote the detections over the section's truth files, which have the same names (a later
    run then scored them against themselves), and a folder that could not be made failed
    only once every pair was aligned."""
    out, corpus = out_dir.resolve(), corpus_dir.resolve()
    if out == corpus or corpus in out.parents:
        raise InputError(
            printable(str(out_dir)),
            f"inside the PAN corpus {printable(str(corpus_dir))}, whose truth files have the "
            "names of the detection files (a section's folder would lose them); give a folder "
            "outside it",
        )
    out_dir.mkdir(parents=True, exist_ok=True)  # an OSError names it in one line
    if not os.access(out_dir, os.W_OK):
        raise InputError(printable(str(out_dir)), "cannot write there (permission denied)")


def _row(table: Table, name: str, group: GroupReport) -> None:
    m = group.measures
    table.add_row(
        name,
        f"{m.plagdet:.4f}",
        f"{m.precision:.4f}",
        f"{m.recall:.4f}",
        f"{m.granularity:.4f}",
        str(m.cases),
        str(m.detections),
        str(group.pairs),
        f"{group.seconds:.1f}",
        f"{group.cpu_ms_median:.1f}",
        f"{group.cpu_ms_mean:.1f}",
    )


def _table(result: EvalReport) -> Table:
    table = Table(
        title="PAN text alignment",
        caption=(
            f"{result.pairs} pairs in {result.seconds:.1f} s elapsed; 'seconds' sums the align "
            "calls of a row; CPU ms per pair is time.process_time around each align call. "
            "'all' is scored over the union of the pairs, as the official evaluator does."
        ),
    )
    for column in ("section", "plagdet", "precision", "recall", "granularity", "cases"):
        table.add_column(column, justify="left" if column == "section" else "right")
    for column in ("detections", "pairs", "seconds", "CPU ms median", "CPU ms mean"):
        table.add_column(column, justify="right")
    for name, group in result.sections.items():
        _row(table, name, group)
    table.add_section()
    _row(table, "all", result.overall)
    return table


@eval_group.command("pan")
@click.argument("corpus_dir", type=PathArgument(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=PathArgument(file_okay=False, path_type=Path),
    help="Write one PAN detection XML per pair here (for the official PAN evaluator).",
)
@click.option(
    "--sections",
    help="Comma-separated section codes to run, e.g. 02,03 (default: all sections).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes (default: the number of CPUs).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    help="Run a stratified sample of N pairs, split evenly over the sections.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the --sample draw.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@handle_errors
def pan(
    corpus_dir: Path,
    out_dir: Path | None,
    sections: str | None,
    workers: int | None,
    sample: int | None,
    seed: int,
    as_json: bool,
) -> None:
    """Align every pair of the PAN corpus in CORPUS_DIR and print PAN's measures.

    Prints plagdet, precision, recall and granularity per section and over all pairs, computed
    as the official PAN text-alignment evaluator computes them.
    """
    corpus = read_corpus(corpus_dir)
    if out_dir is not None:
        _check_out_dir(out_dir, corpus_dir)
    pairs = list(corpus.select(_parse_sections(sections)))
    if sample is not None:
        pairs = sample_pairs(pairs, sample, seed)

    with batch_progress("aligning", len(pairs)) as advance:
        done = itertools.count(1)
        result, pair_results = evaluate_corpus(
            corpus,
            pairs,
            workers=workers,
            on_result=lambda _: advance(next(done)),
        )

    if out_dir is not None:
        for pair_result in pair_results:
            write_detections(out_dir, pair_result.pair, list(pair_result.detections))

    if as_json:
        payload = result.to_dict()
        payload["sample"] = {"pairs": sample, "seed": seed} if sample is not None else None
        click.echo(json.dumps(payload, indent=2))
    else:
        console = Console()
        if not console.is_terminal:
            # Piped output would wrap an 11-column table at rich's default 80 columns.
            console = Console(width=160)
        console.print(_table(result))
        if out_dir is not None:
            click.echo(f"Wrote {len(pair_results)} detection files to {out_dir}", err=True)
