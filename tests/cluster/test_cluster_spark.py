"""The Spark engine gives byte-identical clusters to the local engine, and resumes stages.

Starting a JVM costs 10-20 s, so this is one test; it is skipped without pyspark or Java.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cluster_fixture_corpus import fixture_documents

from unspin.cluster import cluster
from unspin.cluster.kernels import DocRecord
from unspin.cluster.local import run_local
from unspin.cluster.spark import run_spark

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed (pip install 'unspin[spark]')",
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="the Spark engine needs Java 17+"),
]


def test_spark_and_local_engines_give_identical_clusters(tmp_path: Path) -> None:
    docs = fixture_documents()
    # Two word-for-word reprints of the first original: copies are grouped the same way.
    first, n = docs[0], len(docs)
    docs += [
        DocRecord(
            key=n + 1, id="reprint-1", site="paper.example", date="1987-03-20", text=first["text"]
        ),
        DocRecord(key=n + 2, id="reprint-2", site="radio.example", date=None, text=first["text"]),
    ]
    local = run_local(docs, tmp_path / "local")
    spark = run_spark(tmp_path / "spark", documents=docs, master="local[2]")
    assert spark.clusters == local.clusters > 0
    assert (spark.pairs, spark.passages) == (local.pairs, local.passages)
    for name in ("clusters.jsonl", "site_graph.csv", "site_graph.graphml"):
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert (tmp_path / "spark" / "members.parquet" / "_SUCCESS").exists()
    # A rerun finds every stage finished and skips it.
    again = run_spark(tmp_path / "spark", documents=docs, master="local[2]")
    assert again.resumed == ["documents", "features", "pairs", "passages", "edits"]
    assert (tmp_path / "spark" / "clusters.jsonl").read_bytes() == (
        tmp_path / "local" / "clusters.jsonl"
    ).read_bytes()


def test_spark_reads_json_lines_as_the_local_engine_does(tmp_path: Path) -> None:
    """Keys default to line numbers, and a bad record or Parquet row is a one-line error.
    Before, Spark read keyless JSON Lines as null keys ("two documents share a key"), and a
    string key or a null text crashed a Python worker with a traceback."""
    from unspin.cluster.spark import spark_session
    from unspin.errors import InputError

    docs = fixture_documents()
    keyless = tmp_path / "keyless.jsonl"
    keyless.write_text(
        "".join(json.dumps({k: v for k, v in d.items() if k != "key"}) + "\n" for d in docs)
    )
    session = spark_session("local[2]")
    spark = run_spark(tmp_path / "spark", source=str(keyless), spark=session)
    local = cluster(tmp_path / "local", source=str(keyless))
    assert spark.documents == local.documents == len(docs) and spark.clusters == local.clusters
    for name in ("clusters.jsonl", "site_graph.csv"):
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(dict(docs[0])) + "\n" + json.dumps(dict(docs[1]) | {"key": "x"}))
    with pytest.raises(InputError, match=r"bad\.jsonl:2: field 'key' must be a whole number"):
        run_spark(tmp_path / "bad", source=str(bad), spark=session)

    table = tmp_path / "docs.parquet"
    rows = [(1, "a", None, None, "Some text."), (2, "b", None, None, None)]
    session.createDataFrame(
        rows, "key long, id string, site string, date string, text string"
    ).write.parquet(str(table))
    with pytest.raises(InputError, match=r"docs\.parquet: 1 rows without a key or a text"):
        run_spark(tmp_path / "nulls", source=str(table), spark=session)


def test_json_lines_input_is_bounded_as_the_local_engine_bounds_it(tmp_path: Path) -> None:
    """Up to robust37 the Spark engine read a JSON Lines ``--input`` to its end on the
    driver, writing every record into its stage file and keeping a key for each: a small
    gzip of countless records had no bound. It reads through the local engine's reader,
    with the same ``--max-records`` and ``--max-decompressed-mb``, and leaves no stage file
    of them behind."""
    from unspin.cluster.spark import spark_session

    many = tmp_path / "many.jsonl.gz"
    many.write_bytes(gzip.compress(b'{"text": "a"}\n' * 150))
    session = spark_session("local[2]")
    assert _refusal(tmp_path / "out", many, session, max_records_per_file=100) == (
        f"{many}: more than 100 records, stopped at line 101: every record is kept in memory "
        "(unspin cluster --max-records raises it)"
    )
    refused = _refusal(tmp_path / "out", many, session, max_decompressed_bytes=1024)
    assert "decompressed data exceeds the 1.0 KiB limit" in refused
    assert not (tmp_path / "out").exists()  # up to robust37 OUT/stages/spark and the lock stayed


def _refusal(out: Path, source: Path, session: Any, **limits: int) -> str:
    """The one-line error :func:`run_spark` gives ``source`` under ``Limits(**limits)``."""
    from unspin.errors import InputError
    from unspin.read.limits import Limits

    with pytest.raises(InputError) as err:
        run_spark(out, source=str(source), spark=session, limits=Limits(**limits))
    return str(err.value)


def test_a_bad_master_is_one_line(tmp_path: Path) -> None:
    # Before (relhunt3): a Java stack trace, then a Python traceback (JAVA_GATEWAY_EXITED).
    # Refused before Java starts. (A master Spark itself cannot parse, "local[2]x", ends in
    # one line too, "cannot start Spark ...", but only in a process with no session yet.)
    master, problem = "bogus://x", "--master 'bogus://x' is not a Spark master URL"
    from click.testing import CliRunner

    from unspin.cli import main

    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in fixture_documents()[:3]))
    args = ["cluster", "--input", str(src), "--engine", "spark", "--master", master]
    res = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.splitlines()[-1].startswith(f"Error: {problem}")
    assert not (tmp_path / "out").exists()


def test_the_jvm_s_own_output_goes_to_a_log_not_the_terminal(tmp_path: Path) -> None:
    """Before (noticed in the 27th session): a fresh process printed a dozen lines of the
    JVM's banner and log4j warnings ("Using Spark's default log4j profile", "WARN Utils: Your
    hostname ...") above unspin's own output. A fresh process, since a test process's JVM is
    running already."""
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in fixture_documents()))
    out = tmp_path / "out"
    args = ["cluster", "--input", str(src), "--engine", "spark", "--out", str(out)]
    run = subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "log4j" not in run.stderr and "WARN" not in run.stderr, run.stderr
    assert run.stdout.splitlines()[-1].startswith(f"wrote {out / 'clusters.jsonl'}")
    assert "log4j" in (out / "spark.log").read_text(encoding="utf-8")


def test_parquet_dates_of_any_column_type_order_members_as_the_local_engine_does(
    tmp_path: Path,
) -> None:
    """Before (robust27): a Parquet ``date`` column of Parquet's date type (what pandas and
    Spark write for dates) crashed the driver with ``TypeError: object of type
    'datetime.date' has no len()``, and text dates with a zone offset were compared as
    written (a copy at 08:00 UTC named the origin of an original at 05:00 UTC)."""
    from pyspark.sql import functions as F

    from unspin.cluster.spark import spark_session
    from unspin.errors import InputError

    docs = fixture_documents()
    text = docs[0]["text"]
    rows = [
        (1, "copy", "copier.example", "2021-03-04T08:00:00+00:00", text),
        (2, "original", "wire.example", "2021-03-04T10:00:00+05:00", text + " More."),
        (3, "reprint", "paper.example", "2021-03-05T00:00:00+00:00", text),
    ]
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps(dict(zip(("key", "id", "site", "date", "text"), r, strict=True))) + "\n"
            for r in rows
        )
    )
    local = cluster(tmp_path / "local", source=str(jsonl))
    (only,) = [json.loads(line) for line in (tmp_path / "local" / "clusters.jsonl").open()]
    assert only["origin"]["id"] == "original"

    session = spark_session("local[2]")
    given = session.createDataFrame(
        rows, "key long, id string, site string, date string, text string"
    )
    tables = {
        "text": given,
        "timestamp": given.withColumn("date", F.to_timestamp("date")),
    }
    heard: list[tuple[str, int, int | None]] = []
    for kind, table in tables.items():
        path = tmp_path / f"{kind}.parquet"
        table.write.parquet(str(path))
        run = run_spark(
            tmp_path / kind, source=str(path), spark=session, progress=lambda *a: heard.append(a)
        )
        assert run.clusters == local.clusters
        assert (tmp_path / kind / "clusters.jsonl").read_bytes() == (
            tmp_path / "local" / "clusters.jsonl"
        ).read_bytes(), kind

    # Each stage is reported as it starts, as the local engine reports its stages. Before
    # (robust27), `unspin cluster --engine spark` was silent until the end.
    stages = [stage for stage, _, _ in heard[: len(heard) // 2]]
    assert stages == [
        "starting Spark",
        "reading documents",
        "finding features",
        "finding candidate pairs",
        "aligning pairs",
        "labelling edits",
    ]

    # A Parquet date (day precision) is read as the day it names.
    days = tmp_path / "days.parquet"
    given.withColumn("date", F.to_date(F.substring("date", 1, 10))).write.parquet(str(days))
    run_spark(tmp_path / "days", source=str(days), spark=session)
    (by_day,) = [json.loads(line) for line in (tmp_path / "days" / "clusters.jsonl").open()]
    assert [m["date"] for m in by_day["members"]] == ["2021-03-04", "2021-03-04", "2021-03-05"]
    assert by_day["direction"]["basis"] == "tie"

    bad = tmp_path / "bad.parquet"
    given.withColumn(
        "date", F.when(F.col("key") == 3, "soon").otherwise(F.col("date"))
    ).write.parquet(str(bad))
    with pytest.raises(InputError, match=r"bad\.parquet: 1 rows with a date that is not one"):
        run_spark(tmp_path / "bad", source=str(bad), spark=session)

    # A column of another type is named with its type, before anything runs.
    keyed = tmp_path / "keyed.parquet"
    given.withColumn("key", F.col("key").cast("string")).write.parquet(str(keyed))
    with pytest.raises(InputError, match=r"keyed\.parquet: column 'key' is string, not a whole"):
        run_spark(tmp_path / "keyed", source=str(keyed), spark=session)


def test_a_parquet_row_is_checked_as_a_json_lines_record_is(tmp_path: Path) -> None:
    """Up to robust36 the Spark engine read a Parquet id holding a NUL (into clusters.jsonl),
    one of spaces and zero-width characters, one of 9,000 characters, a null id, and a site
    of 9,000 characters, as they were, where a JSON Lines record with any of them is refused;
    two rows of one key failed later naming neither ("document keys must be unique"); and a
    table whose clustered rows had no site (or no date) at all ended the run in
    "[CANNOT_DETERMINE_TYPE]" when it wrote members.parquet. Now each row is checked as a
    record is, the error naming the table and the row's key, and such a table clusters."""
    from unspin.cluster.spark import spark_session
    from unspin.errors import InputError

    session = spark_session("local[2]")
    text = fixture_documents()[0]["text"]
    schema = "key long, id string, site string, date string, text string"

    def table(name: str, rows: list[tuple[Any, ...]]) -> str:
        path = tmp_path / f"{name}.parquet"
        session.createDataFrame(rows, schema).write.parquet(str(path))
        return str(path)

    bad_rows = {
        "nul": (
            (2, "a\x00b", "y"),
            "field 'id' holds a NUL character (character 2 of 3), which an id cannot hold",
        ),
        "blank": ((2, " \u200b", "y"), "field 'id' is empty"),
        "long": (
            (2, "i" * 9_000, "y"),
            "field 'id' is 9,000 characters, over the 8,192 it may have (a name or a line, not a text)",
        ),
        "null": ((2, None, "y"), "field 'id' must be a string, not None"),
        "site": (
            (2, "b", "s" * 9_000),
            "field 'site' is 9,000 characters, over the 8,192 it may have (a name or a line, not a text)",
        ),
    }
    for name, ((key, doc_id, site), problem) in bad_rows.items():
        source = table(name, [(1, "a", "x", None, text), (key, doc_id, site, None, text)])
        with pytest.raises(InputError) as err:
            run_spark(tmp_path / name, source=source, spark=session)
        assert str(err.value) == f"{source}: 1 rows that cannot be read, the first key 2: {problem}"

    source = table("shared", [(1, "a", "x", None, text), (1, "b", "y", None, text)])
    with pytest.raises(InputError) as err:
        run_spark(tmp_path / "shared", source=source, spark=session)
    assert str(err.value) == (
        f"{source}: 1 keys given to more than one row, the first 1 (2 rows); each row needs a "
        "key of its own"
    )

    bare = [
        DocRecord(key=k, id=i, site=None, date=None, text=text) for k, i in ((1, "a"), (2, "b"))
    ]
    source = table("bare", [(d["key"], d["id"], None, None, text) for d in bare])
    spark = run_spark(tmp_path / "bare", source=source, spark=session)
    local = run_local(bare, tmp_path / "bare-local")
    assert spark.clusters == local.clusters == 1
    assert (tmp_path / "bare" / "clusters.jsonl").read_bytes() == (
        tmp_path / "bare-local" / "clusters.jsonl"
    ).read_bytes()


def test_parquet_input_is_bounded_as_json_lines_input_is(tmp_path: Path) -> None:
    """Up to robust37 the driver collected the key, id, site, date, length and digest of
    every Parquet row, however many: a Parquet file of 2.0 MB holding 1,000,000 rows of one
    letter took a driver of 1.05 GB, and a compressed table of long ids far more, where a
    JSON Lines input stops at ``--max-records`` and ``--max-decompressed-mb``. A table over
    either is now refused before any row reaches the driver, naming the option that raises
    it, and leaves no stage behind."""
    from click.testing import CliRunner

    from unspin.cli import main
    from unspin.cluster.spark import spark_session
    from unspin.read.limits import MIB, Limits

    session = spark_session("local[2]")
    schema = "key long, id string, site string, date string, text string"
    rows = [(k, f"doc-{k}", "s" * 100 if k == 1 else None, None, "a") for k in range(150)]
    many = tmp_path / "many.parquet"
    session.createDataFrame(rows, schema).write.parquet(str(many))

    assert _refusal(tmp_path / "out", many, session, max_records_per_file=100) == (
        f"{many}: 150 rows, over the 100-row limit: the key, id, site and date of every row "
        "are kept in memory (unspin cluster --max-records raises it)"
    )
    # The ids hold 940 bytes (doc-0 to doc-149) and the one site 100: 1,040.
    assert _refusal(tmp_path / "out", many, session, max_decompressed_bytes=1024) == (
        f"{many}: its ids and sites hold 1,040 bytes (UTF-8), over the 1.0 KiB limit: every "
        "row's are kept in memory (unspin cluster --max-decompressed-mb raises it)"
    )
    # Counted in bytes, as the option counts a file's: ids of 600 characters in all take
    # 1,200 bytes in UTF-8 (up to robust38 counted in characters, and read).
    accented = tmp_path / "accented.parquet"
    rows = [(k, "é" * 60, None, None, "a") for k in range(10)]
    session.createDataFrame(rows, schema).write.parquet(str(accented))
    assert _refusal(tmp_path / "out", accented, session, max_decompressed_bytes=1024) == (
        f"{accented}: its ids and sites hold 1,200 bytes (UTF-8), over the 1.0 KiB limit: "
        "every row's are kept in memory (unspin cluster --max-decompressed-mb raises it)"
    )
    assert not (tmp_path / "out").exists()  # up to robust37 OUT/stages/spark and the lock stayed

    # Within both limits it is read (the default byte limit is 4,096 MiB).
    within = Limits(max_records_per_file=150, max_decompressed_bytes=MIB)
    run = run_spark(tmp_path / "within", source=str(many), spark=session, limits=within)
    assert run.documents == 150

    # The command line's options reach it (last: the command stops this process's session
    # as it ends).
    args = ["cluster", "--input", str(many), "--engine", "spark", "--out", str(tmp_path / "cli")]
    res = CliRunner().invoke(main, [*args, "--max-records", "149"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.splitlines()[-1] == (
        f"Error: {many}: 150 rows, over the 149-row limit: the key, id, site and date of every "
        "row are kept in memory (unspin cluster --max-records raises it)"
    )


def test_a_parquet_table_spark_cannot_read_is_one_line_naming_it(tmp_path: Path) -> None:
    """Up to robust37 a Parquet input that is no Parquet, cut short, empty, damaged inside,
    or a folder whose parts disagree on a column's type ended in a Python traceback wrapping
    a Java one (some 200 lines: "Py4JJavaError: ... [FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER]
    ..."). Each is one line naming the table now, and the run leaves nothing behind."""
    from unspin.cluster.spark import spark_session
    from unspin.errors import InputError

    session = spark_session("local[2]")
    schema = "key long, id string, site string, date string, text string"
    good = tmp_path / "good.parquet"
    rows = [(k, f"d{k}", None, None, f"text number {k} " * 20) for k in range(200)]
    session.createDataFrame(rows, schema).coalesce(1).write.parquet(str(good))
    (part,) = good.glob("part-*.parquet")
    data = part.read_bytes()

    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"PAR1" + bytes(range(256)) * 40)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(data[: len(data) // 2])
    empty = tmp_path / "empty.parquet"
    empty.write_bytes(b"")
    # The pages overwritten, the footer (its length in the 4 bytes before the last 4) kept.
    footer = int.from_bytes(data[-8:-4], "little")
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(data[:4] + b"\xff" * (len(data) - 12 - footer) + data[-8 - footer :])
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(part, mixed / "part-0.parquet")
    session.createDataFrame([(300, 7, "q")], "key long, id long, text string").coalesce(
        1
    ).write.parquet(str(tmp_path / "other"))
    (other,) = (tmp_path / "other").glob("part-*.parquet")
    shutil.copy(other, mixed / "part-1.parquet")

    footer_problem = "not a Parquet file, or one cut short (its footer cannot be read)"
    expected = {
        garbage: f"{garbage}: {footer_problem}",
        cut: f"{cut}: {footer_problem}",
        empty: f"{empty}: holds no Parquet data to take the columns from (an empty file, or a "
        "folder of empty files)",
        damaged: f"{damaged}: cannot read it: it may be damaged (",
        # Spark takes the columns from one part's footer, and names the other.
        mixed: f"{mixed}: cannot read its part part-",
    }
    for source, message in expected.items():
        out = tmp_path / f"out-{source.name}"
        with pytest.raises(InputError) as err:
            run_spark(out, source=str(source), spark=session)
        shown = str(err.value)
        assert shown.startswith(message) and "\n" not in shown and len(shown) < 400, shown
        if source == mixed:
            assert "Data type mismatches when reading Parquet column [id]" in shown
        assert not out.exists(), source
    run = run_spark(tmp_path / "out-good", source=str(good), spark=session)
    assert run.documents == 200

    # From the command line, in a process of its own: its JVM's log goes with the folder.
    out = tmp_path / "cli"
    args = ["cluster", "--input", str(garbage), "--engine", "spark", "--out", str(out)]
    res = subprocess.run([sys.executable, "-m", "unspin", *args], capture_output=True, text=True)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.splitlines()[-1] == f"Error: {garbage}: {footer_problem}", res.stderr
    assert "Traceback" not in res.stderr and not out.exists()


def test_a_stage_spark_cannot_write_is_one_line_and_a_rerun_reuses_the_finished_ones(
    tmp_path: Path,
) -> None:
    """Up to robust39 a Spark run whose stage could not be written (a full disk under --out,
    a file-size limit) ended in a Python traceback wrapping a Java one, some 230 lines. It is
    the one line the local engine gives now, naming the stage file; the stages finished before
    it stay, and a rerun into the same --out reuses them."""
    from unspin.cluster.spark import spark_session
    from unspin.datasets import demo_dir
    from unspin.jsonl_files import numbered_jsonl

    session = spark_session("local[2]")
    table = tmp_path / "docs.parquet"
    demo = [r for _, r in numbered_jsonl(demo_dir() / "corpus.jsonl")]
    session.createDataFrame(
        [(n, r["id"], r.get("site"), r.get("date"), r["text"]) for n, r in enumerate(demo)],
        "key long, id string, site string, date string, text string",
    ).coalesce(1).write.parquet(str(table))
    (part,) = table.glob("part-*.parquet")
    # The documents stage (the table again, 340 KB) fits under the limit, the features stage
    # (490 KB) does not: the JVM ignores SIGXFSZ, so its write fails "File too large" as on a
    # full disk. (Under some 100 KB the JVM cannot even unpack its compression library.)
    limit = part.stat().st_size * 6 // 5

    # The limit is set by the child itself (preexec_fn is unsafe beside the JVM's threads).
    limited = (
        "import resource, runpy, sys; "
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
        "sys.argv[0] = 'unspin'; runpy.run_module('unspin', run_name='__main__')"
    )
    out = tmp_path / "out"
    args = ["cluster", "--input", str(table), "--engine", "spark", "--out", str(out)]
    res = subprocess.run([sys.executable, "-c", limited, *args], capture_output=True, text=True)
    stage = out / "stages" / "spark"
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.stderr.splitlines() == [f"Error: {stage / 'features.parquet'}: file too large"]
    assert (stage / "documents.parquet" / "_SUCCESS").exists()
    again = run_spark(out, source=str(table), spark=session)
    assert again.resumed == ["documents"] and again.documents == len(demo)
