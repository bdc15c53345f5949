"""The local engine and `unspin cluster` on a multi-site fixture corpus with known reuse."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cluster_fixture_corpus import COPIED, fixture_documents

import unspin
from unspin.cli import main
from unspin.cluster import ClusterConfig, cluster
from unspin.cluster.kernels import DocRecord
from unspin.cluster.local import run_local
from unspin.errors import ConfigError, InputError
from unspin.fingerprints import fingerprint
from unspin.jsonl_files import numbered_jsonl
from unspin.read.limits import Limits
from unspin.store import Store
from unspin.types import Document


@pytest.fixture(scope="module")
def docs() -> list[DocRecord]:
    return fixture_documents()


@pytest.fixture(scope="module")
def local_out(docs: list[DocRecord], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local")
    run_local(docs, out)
    return out


def _clusters(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "clusters.jsonl").read_text().splitlines()]


def _cluster_of(clusters: list[dict[str, Any]], doc_id: str) -> dict[str, Any]:
    return next(c for c in clusters if any(m["id"] == doc_id for m in c["members"]))


def test_every_copy_joins_its_original_which_is_the_origin(local_out: Path) -> None:
    clusters = _clusters(local_out)
    for i, original in enumerate(COPIED):
        c = _cluster_of(clusters, original)
        ids = [m["id"] for m in c["members"]]
        for copy in (f"agg-{i}", f"spun-{i}", f"blog-{i}"):
            assert copy in ids, f"{copy} not clustered with {original}"
        if c["origin"] is None:
            # Reuters re-issued some stories the same day: the dates cannot pick one.
            assert c["direction"]["basis"] == "tie"
            first_day = c["members"][0]["date"]
            assert [m["date"] for m in c["members"] if m["id"] == original] == [first_day]
        else:
            assert c["origin"]["id"] == original
        spun = next(m for m in c["members"] if m["id"] == f"spun-{i}")
        assert spun["edits"].get("synonym", 0) > 0  # the spinner's swaps are labelled
        assert spun["coverage"] > 0.8
        dates = [m["date"] for m in c["members"]]
        assert dates == sorted(dates)


def test_partial_reuse_is_found_as_a_partial_passage(
    docs: list[DocRecord], local_out: Path
) -> None:
    by_id = {d["id"]: d for d in docs}
    stage = local_out / "stages" / "local" / "passages.jsonl"
    passages = [json.loads(line) for line in stage.read_text().splitlines()]
    for i, original in enumerate(COPIED):
        blog = by_id[f"blog-{i}"]
        taken = [
            p
            for p in passages
            if p["source"] == by_id[original]["key"] and p["target"] == blog["key"]
        ]
        assert taken, f"blog-{i} took half of {original}"
        covered = sum(p["target_end"] - p["target_start"] for p in taken)
        assert 0.3 < covered / len(blog["text"]) < 0.8


def test_site_graph_points_from_the_wire_to_the_copiers(local_out: Path) -> None:
    lines = (local_out / "site_graph.csv").read_text().splitlines()
    edges = {tuple(r.split(",")[:2]): r.split(",") for r in lines[1:]}
    for site in ("aggregator.example", "spinfarm.example", "blog.example"):
        assert ("wire.example", site) in edges
        assert (site, "wire.example") not in edges  # nothing older was copied from copiers
    assert float(edges[("wire.example", "spinfarm.example")][5]) > 0.9
    assert (local_out / "site_graph.graphml").read_text().startswith("<?xml")
    assert "Who copies whom" in (local_out / "report.html").read_text()


def test_rerun_reuses_stages_and_gives_identical_output(
    docs: list[DocRecord], local_out: Path
) -> None:
    before = (local_out / "clusters.jsonl").read_bytes()
    run = run_local(docs, local_out)
    assert run.resumed == ["pairs", "passages"]
    assert (local_out / "clusters.jsonl").read_bytes() == before


def test_stage_files_of_other_inputs_are_replaced_never_reused(
    docs: list[DocRecord], tmp_path: Path
) -> None:
    # Before: the rerun was refused ("use another --out folder or delete this one"), so
    # toggling --no-edits, or clustering a store that grew, meant deleting the folder by hand.
    fresh = run_local(docs, tmp_path / "fresh", ClusterConfig(label_edits=False))
    first = run_local(docs[:10], tmp_path / "out", ClusterConfig(label_edits=False))
    assert not first.replaced_stages
    again = run_local(docs, tmp_path / "out", ClusterConfig(label_edits=False))
    assert again.replaced_stages and again.resumed == []
    for name in ("clusters.jsonl", "site_graph.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    assert (again.pairs, again.passages, again.clusters) == (
        fresh.pairs,
        fresh.passages,
        fresh.clusters,
    )
    # The same run again resumes from the stages it left.
    last = run_local(docs, tmp_path / "out", ClusterConfig(label_edits=False))
    assert not last.replaced_stages and last.resumed == ["pairs", "passages"]


def _store(path: Path, docs: list[DocRecord]) -> None:
    with Store(path) as store:
        store.add_batch(
            (
                Document(text=d["text"], id=d["id"], site=d["site"], date=d["date"]),
                fingerprint(d["text"]),
            )
            for d in docs
        )


def test_cli_clusters_a_store_with_date_limits(docs: list[DocRecord], tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _store(db, docs)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["cluster", "--db", str(db), "--out", str(out), "--no-edits", "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["documents"] == len(docs) and summary["clusters"] >= len(COPIED)
    first = min(d["date"] for d in docs if d["date"])
    out2 = tmp_path / "out2"
    res = CliRunner().invoke(
        main, ["cluster", "--db", str(db), "--out", str(out2), "--until", first, "--no-edits"]
    )
    assert res.exit_code == 0, res.output
    assert all(m["date"] <= first for c in _clusters(out2) for m in c["members"])


def test_cli_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["cluster", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)]
    )
    assert res.exit_code != 0 and "no such store" in res.output
    res = CliRunner().invoke(main, ["cluster", "--since", "March", "--out", str(tmp_path)])
    assert res.exit_code != 0 and "YYYY-MM-DD" in res.output


def test_jsonl_input_matches_the_in_memory_run(
    docs: list[DocRecord], local_out: Path, tmp_path: Path
) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs))
    cluster(tmp_path / "out", source=str(src))
    assert (tmp_path / "out" / "clusters.jsonl").read_bytes() == (
        local_out / "clusters.jsonl"
    ).read_bytes()


@pytest.mark.parametrize(
    "form",
    ["utf-8-sig", "utf-16", "utf-32", "utf-16-le", "utf-32-be", "gzip", "gzip-unnamed", "joined"],
)
def test_jsonl_input_is_read_in_every_form_ingest_reads(
    docs: list[DocRecord], local_out: Path, tmp_path: Path, form: str
) -> None:
    # Before (robust29): cluster --input refused a UTF-8 byte-order mark ("Unexpected UTF-8
    # BOM"), UTF-16 and UTF-32 ("not UTF-8 text (byte 0)") and gzip ("byte 1"): Windows
    # tools write the first three, exports come as the last, and ingest reads all four.
    # robust37: UTF-16 and UTF-32 without a mark (iconv -t UTF-16LE) were read as UTF-8.
    text = "".join(json.dumps(d) + "\n" for d in docs)
    if form == "gzip":
        src = tmp_path / "docs.jsonl.gz"
        src.write_bytes(gzip.compress(text.encode("utf-8")))
    elif form == "gzip-unnamed":
        # robust35: gzip whose name says nothing of it (a pipe, /dev/stdin, a download
        # saved without an ending) said "not UTF-8 text (byte 1)"; ingest reads it.
        src = tmp_path / "docs"
        src.write_bytes(gzip.compress(text.encode("utf-8")))
    elif form == "joined":  # robust31: files with a mark each, joined with cat
        src = tmp_path / "docs.jsonl"
        src.write_bytes(b"".join((json.dumps(d) + "\n").encode("utf-8-sig") for d in docs))
    else:
        src = tmp_path / "docs.jsonl"
        src.write_bytes(text.encode(form))
    cluster(tmp_path / "out", source=str(src))
    assert (tmp_path / "out" / "clusters.jsonl").read_bytes() == (
        local_out / "clusters.jsonl"
    ).read_bytes()


def test_a_gzip_input_cut_short_or_not_gzip_is_one_line(tmp_path: Path) -> None:
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(b'{"text": "Cocoa rose."}\n' * 500)[:60])
    with pytest.raises(InputError, match=r"cut\.jsonl\.gz: cut short: the gzip stream ends early"):
        cluster(tmp_path / "out", source=str(cut))
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_text('{"text": "Cocoa rose."}\n')
    with pytest.raises(InputError, match=r"plain\.jsonl\.gz: cannot read \(Not a gzipped file"):
        cluster(tmp_path / "out", source=str(plain))


def test_jsonl_input_from_standard_input_is_read_as_every_command_reads_it(
    docs: list[DocRecord], local_out: Path, tmp_path: Path
) -> None:
    # Before (robust36): "Invalid value for '--input': Path '-' does not exist", where
    # trace, compare, score, spin and ingest read '-' as standard input.
    text = "".join(json.dumps(d) + "\n" for d in docs)
    env = {**os.environ, "PYTHONPATH": str(Path(unspin.__file__).parents[1])}

    def run(data: bytes, out: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "unspin", "cluster", "--input", "-", "--out", out]
        return subprocess.run(command, input=data, capture_output=True, env=env, cwd=tmp_path)

    for form, data in (("plain", text.encode()), ("gzip", gzip.compress(text.encode()))):
        res = run(data, form)
        assert res.returncode == 0, res.stderr
        assert (tmp_path / form / "clusters.jsonl").read_bytes() == (
            local_out / "clusters.jsonl"
        ).read_bytes()
    res = run(b'{"text": "one"}\n{oops\n', "bad")
    assert res.returncode == 1
    assert res.stderr.decode().strip() == (
        "Error: -:2: not valid JSON (Expecting property name enclosed in double quotes); "
        "see unspin cluster --help"
    )


def test_jsonl_input_over_its_record_or_byte_limit_is_one_line_naming_the_option(
    tmp_path: Path,
) -> None:
    """Every record of ``--input`` is kept in memory, and up to robust37 nothing bounded
    them: a gzip file of 136 KB holding 5,000,000 records of one letter ended in a
    MemoryError at 3.8 GB (``ulimit -v 4000000``). Now records (and blank lines) are bounded
    by ``--max-records`` and the bytes read, decompressed, by ``--max-decompressed-mb``,
    as ingest bounds them; plain, gzip and standard input alike."""
    lines = b'{"text": "a"}\n' * 150
    plain, zipped = tmp_path / "many.jsonl", tmp_path / "many.jsonl.gz"
    plain.write_bytes(lines)
    zipped.write_bytes(gzip.compress(lines))
    records = (
        "more than 100 records, stopped at line 101: every record is kept in memory "
        "(unspin cluster --max-records raises it)"
    )
    for path in (plain, zipped):
        with pytest.raises(InputError) as err:
            cluster(tmp_path / "out", source=str(path), limits=Limits(max_records_per_file=100))
        assert str(err.value) == f"{path}: {records}"
        res = CliRunner().invoke(
            main,
            ["cluster", "--input", str(path), "--max-records", "100", "--out", str(tmp_path / "o")],
        )
        assert res.exit_code == 1 and res.output == f"Error: {path}: {records}\n"
        assert cluster(tmp_path / "out", source=str(path)).documents == 150  # within the default

    big = b'{"text": "' + b"a" * 1000 + b'"}\n'
    plain.write_bytes(big * 1100)  # 1.1 MB
    zipped.write_bytes(gzip.compress(big * 1100))
    how = "unspin cluster --max-decompressed-mb raises it"
    for path, problem in (
        (plain, f"data read exceeds the 1.0 MiB limit: every record is kept in memory ({how})"),
        (
            zipped,
            f"decompressed data exceeds the 1.0 MiB limit ({how}); it may be a decompression bomb",
        ),
    ):
        res = CliRunner().invoke(
            main,
            [
                "cluster",
                "--input",
                str(path),
                "--max-decompressed-mb",
                "1",
                "--out",
                str(tmp_path / "o"),
            ],
        )
        assert res.exit_code == 1 and res.output == f"Error: {path}: {problem}\n"

    plain.write_bytes(lines[:14] + b"\n" * 150)  # blank lines follow --max-records too
    res = CliRunner().invoke(
        main,
        ["cluster", "--input", str(plain), "--max-records", "100", "--out", str(tmp_path / "o")],
    )
    assert res.output == (
        f"Error: {plain}: more than 100 blank lines, stopped at line 102: a file of records "
        "holds one a line (unspin cluster --max-records raises it)\n"
    )

    env = {**os.environ, "PYTHONPATH": str(Path(unspin.__file__).parents[1])}
    for data in (lines, gzip.compress(lines)):
        res_in = subprocess.run(
            [sys.executable, "-m", "unspin", "cluster", "--input", "-", "--max-records", "100"],
            input=data,
            capture_output=True,
            env=env,
            cwd=tmp_path,
        )
        assert res_in.returncode == 1 and res_in.stderr.decode() == f"Error: -: {records}\n"
    assert not (tmp_path / "o").exists() and not (tmp_path / "clusters").exists()


def test_a_small_gzip_of_countless_records_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Python's allocations (``tracemalloc``, no clock) reading a gzip of 200,000 records of
    one letter with a limit of 10,000: the records read before the refusal, not the file's."""
    path = tmp_path / "tiny.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "a"}\n' * 200_000))
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="more than 10,000 records, stopped at line 10,001"):
            cluster(tmp_path / "out", source=str(path), limits=Limits(max_records_per_file=10_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, peak  # 3.5 MB; main's code took 185 MB for the 200,000


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"key": "abc"}, "field 'key' must be a whole number, not 'abc'"),
        ({"key": True}, "field 'key' must be a whole number, not True"),
        ({"key": 2**70}, "field 'key' must be a whole number"),
        ({"date": 19870226}, "field 'date' must be an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY"),
        ({"date": "yesterday"}, "field 'date' must be an ISO 8601 date (YYYY-MM-DD, YYYY-MM or"),
        # Before (robust31): "field 'date' must be a date (YYYY-MM-DD) or null, not '2999-01-01'".
        ({"date": "2999-01-01"}, "field 'date' is after today: '2999-01-01'"),
        ({"date": "0999-01-01"}, "field 'date' is before the year 1000: '0999-01-01'"),
        ({"site": 5}, "field 'site' must be a string or null, not 5"),
        ({"site": ["a"]}, "field 'site' must be a string or null"),
        ({"id": None}, "field 'id' must be a string, not None"),
        ({"text": None}, "not a JSON object with a 'text' field (a string)"),
        ({"key": 1}, "key 1 is also the key of line 1"),
        ({"id": "a\ud800"}, "field 'id' holds an unpaired surrogate \\ud800"),
        ({"site": "\udc00x"}, "field 'site' holds an unpaired surrogate \\udc00"),
        ({"text": "text \ud83d"}, "field 'text' holds an unpaired surrogate \\ud83d"),
        # Before (robust36): stored as given, a raw NUL in report.html, or an id that shows
        # nothing in any report; ingest refuses both since robust34 and robust35.
        ({"id": "a\x00b"}, "field 'id' holds a NUL character (character 2 of 3)"),
        ({"id": "\u200b "}, "field 'id' is empty"),
        ({"id": ""}, "field 'id' is empty"),
        ({"id": "x" * 9_000}, "field 'id' is 9,000 characters, over the 8,192 it may have"),
        ({"site": "s" * 9_000}, "field 'site' is 9,000 characters, over the 8,192 it may have"),
    ],
)
def test_jsonl_input_with_a_bad_field_is_one_line_naming_it(
    docs: list[DocRecord], tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    # Before: a wrong type crashed a later stage with a traceback, a null text was clustered
    # as the text "None", and a repeated key silently replaced the earlier document.
    rows = [dict(d) for d in docs[:3]]
    rows[1] |= change
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = CliRunner().invoke(
        main, ["cluster", "--input", str(src), "--out", str(tmp_path / "out"), "--no-edits"]
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.startswith(f"Error: {src}:2: {problem}")
    assert len(res.output.splitlines()) == 1
    assert not (tmp_path / "out" / "clusters.jsonl").exists()


def test_jsonl_input_nested_too_deeply_is_one_line_naming_the_line(
    docs: list[DocRecord], tmp_path: Path
) -> None:
    """A line of arrays nested 100,000 deep (in a field nobody reads) ended ``cluster
    --input`` in a RecursionError traceback up to robust37, where ingest's reader says "invalid
    json (nested too deeply)"."""
    deep = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    src = tmp_path / "deep.jsonl"
    src.write_text(json.dumps(dict(docs[0])) + "\n" + deep + "\n")
    res = CliRunner().invoke(main, ["cluster", "--input", str(src), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.exception
    assert res.output == (
        f"Error: {src}:2: not valid JSON (nested too deeply); see unspin cluster --help\n"
    )
    with pytest.raises(InputError, match=r"deep\.jsonl:2: not valid JSON \(nested too deeply\)"):
        cluster(tmp_path / "api", source=str(src))


@pytest.mark.parametrize("char", ["\ud800", "\x00", "\u200b"])
def test_a_value_cut_short_in_a_message_never_shows_half_an_escape(
    docs: list[DocRecord], tmp_path: Path, char: str
) -> None:
    """A bad date is quoted cut to 37 characters; up to robust39 the cut fell inside an
    escape ("...xxxx\\ud800\\ud8..."): it falls between escapes now."""
    date = "2020-01-01" + "x" * 16 + char * 6
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(dict(docs[0])) + "\n" + json.dumps({"text": "x", "date": date}))
    with pytest.raises(InputError) as err:
        cluster(tmp_path / "api", source=str(src))
    escape = repr(char)[1:-1]  # \ud800, \x00, \u200b
    assert re.search(rf"x{{16}}(?:{re.escape(escape)})+\.\.\.$", str(err.value)), str(err.value)


def test_each_stage_and_the_alignment_pair_by_pair_are_reported(
    docs: list[DocRecord], tmp_path: Path
) -> None:
    # Before (relhunt3): `unspin cluster` was silent until the end (a minute for 19,000
    # stories).
    heard: list[tuple[str, int, int | None]] = []
    run = run_local(docs, tmp_path / "lib", progress=lambda *a: heard.append(a))
    stages = list(dict.fromkeys(stage for stage, _, _ in heard))
    assert stages == [
        "reading documents",
        "finding candidate pairs",
        "aligning pairs",
        "labelling edits",
    ]
    aligned = [done for stage, done, total in heard if stage == "aligning pairs"]
    assert aligned == list(range(1, run.pairs + 1))
    db = tmp_path / "s.db"
    _store(db, docs)
    args = ["cluster", "--db", str(db), "--out", str(tmp_path / "out"), "--json", "--no-edits"]
    res = CliRunner().invoke(main, args, env={"TTY_COMPATIBLE": "1"})  # stderr "is" a terminal
    assert res.exit_code == 0, res.output
    # The bar's last frame, drawn when the run ends: the alignment, complete.
    assert "aligning pairs" in res.stderr and f"{run.pairs}/{run.pairs}" in res.stderr


@pytest.mark.parametrize("engine", ["local", "spark"])
def test_a_folder_without_parquet_files_as_input_is_named_plainly(
    docs: list[DocRecord], tmp_path: Path, engine: str
) -> None:
    """Before: "FOLDER: Parquet input needs --engine spark" for a folder of JSON Lines files
    (or an empty one), whatever the engine; Spark would be started on it."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "docs.jsonl").write_text("".join(json.dumps(dict(d)) + "\n" for d in docs[:3]))
    args = ["cluster", "--input", str(folder), "--out", str(tmp_path / "out"), "--engine", engine]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1, res.output
    assert res.output == (
        f"Error: {folder}: a folder without Parquet files; --input takes a JSON Lines file, or "
        "a Parquet file or folder with --engine spark\n"
    )


def test_since_after_until_is_one_line_naming_both(docs: list[DocRecord], tmp_path: Path) -> None:
    # Before (robust26): "0 documents, 0 candidate pairs ..." and exit 0, as for an empty
    # corpus; the API's Corpus.cluster returned no cluster.
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(dict(d)) + "\n" for d in docs[:3]))
    window = ["--since", "1987-06-01", "--until", "1987-03-01"]
    res = CliRunner().invoke(
        main, ["cluster", "--input", str(src), "--out", str(tmp_path / "out"), *window]
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output == (
        "Error: --since 1987-06-01 is after --until 1987-03-01: no document can be dated in "
        "between; give the earlier date to since\n"
    )
    assert not (tmp_path / "out").exists()


def _selected(records: list[dict[str, Any]], window: list[str], tmp_path: Path) -> int:
    """How many of ``records`` `unspin cluster --input` selects with the options ``window``."""
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in records))
    out = str(tmp_path / "out")
    res = CliRunner().invoke(
        main, ["cluster", "--input", str(src), "--out", out, "--no-edits", "--json", *window]
    )
    assert res.exit_code == 0, res.output
    return int(json.loads(res.stdout)["documents"])


@pytest.mark.parametrize(
    ("window", "selected"),
    [
        # Before (robust31): refused, "--since '1987' is not a date; write it as YYYY-MM-DD".
        (["--since", "1987"], 48),
        (["--until", "1987"], 48),
        (["--since", "1987-03"], 42),
        (["--until", "1987-02"], 6),
        (["--since", "March 1987", "--until", "1987-03-02"], 9),
        (["--since", "1988"], 0),
    ],
)
def test_a_year_or_a_month_limits_the_dates(
    docs: list[DocRecord], tmp_path: Path, window: list[str], selected: int
) -> None:
    assert _selected([dict(d) for d in docs], window, tmp_path) == selected


def test_documents_dated_by_year_or_month_alone_are_within_a_window_of_days(
    docs: list[DocRecord], tmp_path: Path
) -> None:
    # Before (robust31): "--until 1987-02-28" kept a document dated "1987-02" (compared as
    # far as the month tells) and "--since 1987-02-01" dropped it (compared as text).
    dated = [dict(d) for d in docs[:3]]
    dated[0]["date"], dated[1]["date"] = "1987", "1987-02"
    window = ["--since", "1987-02-01", "--until", "1987-02-28"]
    assert _selected(dated, window, tmp_path) == 2  # not the third, of 1987-03-01


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("March", None, "cluster: since 'March' is not a date; write it as YYYY-MM-DD"),
        ("1987-06-01", "1987-03-01", "cluster: since 1987-06-01 is after cluster: until"),
    ],
)
def test_the_library_checks_its_date_window_as_the_cli_does(
    docs: list[DocRecord], tmp_path: Path, since: str, until: str | None, message: str
) -> None:
    # Before: unspin.cluster.cluster(since="March 1987") compared the dates as text and
    # selected whatever sorted after "M"; a window the wrong way round selected nothing.
    # Since robust32 "March 1987" is read as 1987-03; "March" names no year.
    from unspin.cluster import cluster

    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(dict(d)) + "\n" for d in docs[:3]))
    with pytest.raises(ConfigError, match=re.escape(message)):
        cluster(tmp_path / "out", source=str(src), since=since, until=until)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("original", "copy"),
    [
        # 05:00 UTC written with its zone, before 08:00 UTC.
        ("2021-03-04T10:00:00+05:00", "2021-03-04T08:00:00+00:00"),
        # A space where ISO 8601 has a T: 10:00 is after 09:00 of the same day.
        ("2021-03-04T09:00:00", "2021-03-04 10:00"),
    ],
)
def test_jsonl_dates_in_other_iso_forms_order_members_by_time(
    docs: list[DocRecord], tmp_path: Path, original: str, copy: str
) -> None:
    # Before (robust27): the dates were kept as written and compared as text, so the copy
    # written "08:00+00:00" sorted before the original's "10:00+05:00" and was named the
    # origin, and the site graph pointed from the copier to the original.
    text = docs[0]["text"]
    rows = [
        {"key": 1, "id": "copy", "site": "copier.example", "date": copy, "text": text},
        {
            "key": 2,
            "id": "original",
            "site": "wire.example",
            "date": original,
            "text": text + " More.",
        },
    ]
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    cluster(tmp_path / "out", source=str(src), config=ClusterConfig(label_edits=False))
    (only,) = _clusters(tmp_path / "out")
    assert only["origin"] is not None and only["origin"]["id"] == "original"
    assert [m["id"] for m in only["members"]] == ["original", "copy"]
    graph = (tmp_path / "out" / "site_graph.csv").read_text().splitlines()
    assert graph[1].startswith("wire.example,copier.example,")


def test_an_input_that_is_one_endless_line_is_refused_at_the_record_limit(tmp_path: Path) -> None:
    # Before (robust27): `unspin cluster --input /dev/zero` read its one line until the memory
    # ran out (a MemoryError traceback). The child's address space is bounded so that the
    # old behaviour fails this test instead of the machine.
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    command = [sys.executable, "-m", "unspin", "cluster", "--input", "/dev/zero"]
    command += ["--out", str(tmp_path / "out")]
    env = {**os.environ, "PYTHONPATH": str(Path(unspin.__file__).parents[1])}
    res = subprocess.run(command, capture_output=True, text=True, env=env, preexec_fn=bounded)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip() == (
        "Error: /dev/zero:1: line is over 67,108,864 characters, the most one record may hold"
    )


def test_a_line_over_the_limit_is_named_and_the_lines_before_it_are_read(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text('{"a": 1}\n{"b": "' + "x" * 50 + '"}\n')
    found = []
    with pytest.raises(InputError, match=r"docs\.jsonl:2: line is over 40 characters"):
        for n, value in numbered_jsonl(src, max_line_chars=40):
            found.append((n, value))
    assert found == [(1, {"a": 1})]
    assert [v for _, v in numbered_jsonl(src, max_line_chars=59)][1] == {"b": "x" * 50}


def test_the_spark_engine_without_pyspark_names_the_extra_and_leaves_no_folder(
    docs: list[DocRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before (robust27): the message named the extra, but OUT/stages/spark had been made
    # already, so a folder was left behind by a run that did nothing.
    monkeypatch.setitem(sys.modules, "pyspark", None)  # its import fails as if absent
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs[:3]))
    out = tmp_path / "out"
    args = ["cluster", "--input", str(src), "--engine", "spark", "--out", str(out)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1
    assert res.output == (
        "Error: the Spark engine needs the optional package 'pyspark'. "
        "Install it with: pip install 'unspin[spark]'\n"
    )
    assert not out.exists()


def _counting_fingerprints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the local engine fingerprints from here on."""
    import unspin.cluster.local as local

    seen: list[str] = []

    def counted(text: str) -> list[int]:
        seen.append(text)
        return doc_features(text)

    doc_features = local.doc_features
    monkeypatch.setattr(local, "doc_features", counted)
    return seen


@pytest.mark.parametrize("postings_cap", [None, 3])
def test_a_store_is_clustered_from_its_postings_as_from_its_texts(
    docs: list[DocRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postings_cap: int | None
) -> None:
    # Before (perf29): `unspin cluster --db` fingerprinted every text again though the store's
    # postings hold those features (about 0.6 s of 6.5 s at 4,000 Reuters stories). A store
    # whose cap took some features' postings away (here 3 texts) is fingerprinted as before.
    from unspin.cluster.files import store_documents

    db = tmp_path / "s.db"
    with Store(db, postings_cap=postings_cap or 2000) as store:
        store.add_batch(
            (
                Document(text=d["text"], id=d["id"], site=d["site"], date=d["date"]),
                set(fingerprint(d["text"])),
            )
            for d in docs
        )
    seen = _counting_fingerprints(monkeypatch)
    cluster(tmp_path / "stored", db=str(db), config=ClusterConfig(label_edits=False))
    from_postings = len(seen)
    run_local(store_documents(str(db)), tmp_path / "texts", ClusterConfig(label_edits=False))
    assert len(seen) > from_postings  # the second run fingerprinted the texts
    assert from_postings == (0 if postings_cap is None else len(seen) - from_postings)
    for name in ("clusters.jsonl", "stages/local/pairs.jsonl", "stages/local/passages.jsonl"):
        assert (tmp_path / "stored" / name).read_bytes() == (tmp_path / "texts" / name).read_bytes()


@pytest.mark.parametrize("inside", ["clusters.jsonl", "stages/mine.jsonl"])
def test_an_input_the_run_would_write_over_is_refused(
    docs: list[DocRecord], tmp_path: Path, inside: str
) -> None:
    # Before (robust30): `cluster --input out/clusters.jsonl --out out` wrote the clusters
    # over its own input, exit 0; an input under out/stages could be deleted with the stages.
    out = tmp_path / "out"
    src = out / inside
    src.parent.mkdir(parents=True)
    src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    before = src.read_bytes()
    res = CliRunner().invoke(main, ["cluster", "--input", str(src), "--out", str(out)])
    assert (res.exit_code, res.stdout) == (1, ""), res.output
    assert res.stderr == (
        f"Error: {src}: the run would write over it: it is one of the outputs of a run into "
        f"{out}; give another --out folder\n"
    )
    assert src.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [inside.split("/")[0]]


def test_a_site_named_as_a_formula_is_kept_as_text_in_the_csv(tmp_path: Path) -> None:
    # Before: site_graph.csv wrote a site named "=cmd|..." as it is, and a spreadsheet opening
    # the file runs it as a formula (robust32 noticed it). The GraphML keeps the name.
    text = (
        "The central bank raised its key interest rate by half a point on Tuesday to curb "
        "inflation, which reached its highest level in a decade last month, officials said. "
        "Economists had expected a smaller rise and warned that growth would slow next year."
    )
    rows = [
        {"key": 1, "id": "a", "site": "=cmd|' /C calc'!A0", "date": "1987-03-01", "text": text},
        {"key": 2, "id": "b", "site": "@copier", "date": "1987-03-02", "text": text + " More."},
    ]
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    cluster(tmp_path / "out", source=str(src), config=ClusterConfig(label_edits=False))
    with (tmp_path / "out" / "site_graph.csv").open(newline="") as f:
        (edge,) = list(csv.DictReader(f))
    assert (edge["source"], edge["target"]) == ("'=cmd|' /C calc'!A0", "'@copier")
    assert "\"=cmd|' /C calc'!A0\"" in (tmp_path / "out" / "site_graph.graphml").read_text()


def test_a_store_given_as_input_is_named(tmp_path: Path) -> None:
    # robust33: `cluster --input store.sqlite` said "not UTF-8 text (byte 31)".
    db = tmp_path / "s.sqlite"
    with unspin.Corpus(db) as corpus:
        corpus.add("Coffee prices rose sharply in London on Monday.", id="a")
    res = CliRunner().invoke(main, ["cluster", "--input", str(db), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output == (
        f"Error: {db}: an SQLite database (as an unspin store is), not text; a store is "
        "given with --db\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_no_program_writes_to_as_input_is_read_as_empty(tmp_path: Path) -> None:
    # robust34: `cluster --input FIFO` opened it the usual way and waited for a writer for
    # ever (trace, compare and score refused pipes unread). The call runs in a thread that
    # the test waits on for a minute: a guard against that wait, not a measure of speed.
    import threading

    fifo = tmp_path / "records"
    os.mkfifo(fifo)
    outcome: list[object] = []
    runner = threading.Thread(
        target=lambda: outcome.append(
            CliRunner().invoke(
                main, ["cluster", "--input", str(fifo), "--out", str(tmp_path / "o")]
            )
        ),
        daemon=True,
    )
    runner.start()
    runner.join(60)
    assert outcome, "cluster --input FIFO waited for a writer"
    res = outcome[0]
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    assert res.output.startswith("0 documents")  # type: ignore[attr-defined]


def test_a_nul_in_a_text_reaches_no_html_report_raw(tmp_path: Path) -> None:
    """Up to robust36 `cluster --input` wrote a NUL of a record's text into report.html as
    it is (ingest takes NULs out of what it stores; `cluster --input` reads texts as given),
    and no HTML page may hold one: a browser drops it or shows U+FFFD. Now every HTML report
    writes it as ``\\u0000``, as it writes a bidirectional control."""
    text = (
        "Floods closed the northern railway line on Monday, and engineers said repairs "
        "would take a\u0000 week to finish."
    )
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": i, "site": s, "text": text}) + "\n" for i, s in ((1, "x"), (2, "y"))
        )
    )
    run = cluster(tmp_path / "out", source=str(path))
    assert run.clusters == 1
    page = (tmp_path / "out" / "report.html").read_bytes()
    assert b"\x00" not in page and b"would take a\\u0000 week" in page
