"""The Spark engine: the same stages as :mod:`.local`, as a PySpark job.

Spark does the shuffles (feature -> documents, pair counting, joining texts to pairs) and runs
the kernels of :mod:`.kernels` inside ``flatMap``/``mapPartitions``; clustering itself (union-
find over the passages) runs on the driver, because passages are few compared with documents
(see docs/scaling.md for where that stops being true). Stage outputs are Parquet folders under
``OUT/stages/spark``; a rerun skips every stage whose folder holds Spark's ``_SUCCESS`` marker.

pyspark is an optional extra (``pip install 'unspin[spark]'``) and needs Java 17+.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from operator import add
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, require
from ..jsonl_files import write_jsonl
from ..read.limits import Limits, how_to_raise, human_bytes
from .build import DocMeta, attach_edits, build_clusters, edit_requests
from .files import (
    check_stage_dir,
    date_problem,
    holding,
    in_range,
    jsonl_documents,
    record_problem,
    run_digest,
    stored_date,
)
from .kernels import (
    ClusterConfig,
    DocRecord,
    align_pair,
    as_passage_record,
    copy_groups,
    copy_pairs,
    df_cap,
    doc_features,
    edit_summary,
    posting_pairs,
)
from .local import Progress
from .outputs import ClusterRun, write_outputs

# The JVM's own output (start-up banner, log4j warnings) goes here, under OUT, not to the terminal.
SPARK_LOG = "spark.log"
DOC_FIELDS = ("key", "id", "site", "date", "text")
PASSAGE_FIELDS = (
    "source",
    "target",
    "source_start",
    "source_end",
    "target_start",
    "target_end",
    "score",
    "source_excerpt",
    "target_excerpt",
)


def _pyspark() -> Any:
    return require("pyspark", "spark", "the Spark engine")


def spark_session(
    master: str = "local[2]", partitions: int = 8, log: str | Path | None = None
) -> Any:
    """A Spark session for the job (workers run this very Python, so unspin is importable).

    ``log``: where the JVM this call starts writes its own output (the start-up banner, log4j's
    warnings), for the whole session; it does not reach this process's standard error, where
    unspin's progress and errors go. None leaves the JVM on standard error. A session that is
    running already is reused as it is."""
    _pyspark()
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    # Spark's own refusal of a master URL is a Java stack trace and a Python one.
    if not (master == "yarn" or master.startswith(("local", "spark://", "k8s://"))):
        raise ConfigError(
            f"--master {master!r} is not a Spark master URL: give local[N], spark://HOST:PORT, "
            "k8s://HOST:PORT or yarn"
        )
    if shutil.which("java") is None and "JAVA_HOME" not in os.environ:
        raise ConfigError("the Spark engine needs Java 17 or later: install it, or set JAVA_HOME")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName("unspin-cluster")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.driver.memory", os.environ.get("UNSPIN_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.python.worker.reuse", "true")
    )
    starts_jvm = log is not None and SparkContext._gateway is None
    try:
        with _jvm_output_to(Path(log) if starts_jvm and log is not None else None):
            spark = builder.getOrCreate()
    except Exception as exc:  # Py4J and PySpark errors: a page of Java and Python stack
        if isinstance(exc, OSError) and log is not None and exc.filename == str(log):
            raise  # the log cannot be written (a read-only --out): that, not the master
        java = getattr(exc, "java_exception", None)
        lines = str(java if java is not None else exc).strip().splitlines()
        reason = lines[0] if lines else type(exc).__name__
        where = f" (Spark's own output: {log})" if starts_jvm else ""
        raise ConfigError(f"cannot start Spark with --master {master!r}: {reason}{where}") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def _jvm_output_to(log: Path | None) -> Iterator[None]:
    """While the JVM is launched, file descriptor 2 is ``log``: the JVM inherits it, so its
    banner and warnings (a dozen lines before any of ours) go there for good. Python's own
    ``sys.stderr`` writes to a copy of the real descriptor meanwhile, so a progress bar drawn
    from another thread stays on the terminal."""
    if log is None:
        yield
        return
    sys.stderr.flush()
    log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    real_fd = os.dup(2)
    python_stderr = sys.stderr
    swap = _fileno(python_stderr) == 2
    if swap:
        sys.stderr = open(  # noqa: SIM115 - closed in finally, the descriptor kept open
            real_fd,
            "w",
            encoding=python_stderr.encoding,
            errors="backslashreplace",
            closefd=False,
            buffering=1,
        )
    os.dup2(log_fd, 2)
    try:
        yield
    finally:
        if swap:
            sys.stderr.flush()
            sys.stderr.close()
            sys.stderr = python_stderr
        os.dup2(real_fd, 2)
        os.close(real_fd)
        os.close(log_fd)


def _fileno(stream: Any) -> int | None:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):  # pytest's capture, io.StringIO
        return None


def _done(path: Path) -> bool:
    return (path / "_SUCCESS").exists()


# What each stage is called as it starts: the local engine's words where it does the same.
_STAGE_LABELS = {
    "documents": "reading documents",
    "features": "finding features",
    "pairs": "finding candidate pairs",
    "passages": "aligning pairs",
    "edits": "labelling edits",
}


def _stage(
    run: ClusterRun, name: str, path: Path, build: Callable[[], Any], progress: Progress
) -> None:
    """Write stage ``name`` to ``path`` unless a finished copy is there already; ``progress``
    hears of it as it starts (Spark's own progress bar is off: it would draw over ours)."""
    t0 = time.perf_counter()
    if _done(path):
        run.resumed.append(name)
    else:
        progress(_STAGE_LABELS[name], 0, None)
        build().write.mode("overwrite").parquet(str(path))
    run.seconds[name] = time.perf_counter() - t0


def _schemas() -> dict[str, Any]:
    from pyspark.sql import types as T

    s, i, lg = T.StringType(), T.IntegerType(), T.LongType()

    def struct(*fields: tuple[str, Any]) -> Any:
        return T.StructType([T.StructField(n, t, True) for n, t in fields])

    return {
        "docs": struct(("key", lg), ("id", s), ("site", s), ("date", s), ("text", s)),
        "features": struct(("feature", lg), ("doc", lg)),
        "pairs": struct(("a", lg), ("b", lg), ("shared", i)),
        "passages": struct(
            ("source", lg),
            ("target", lg),
            ("source_start", i),
            ("source_end", i),
            ("target_start", i),
            ("target_end", i),
            ("score", T.DoubleType()),
            ("source_excerpt", s),
            ("target_excerpt", s),
        ),
        "edits": struct(("cluster", s), ("rank", i), ("edits", T.MapType(s, i))),
    }


def _read_documents(
    spark: Any,
    documents: Iterable[DocRecord] | None,
    source: str | None,
    stage_dir: Path,
    limits: Limits | None = None,
) -> Any:
    """The documents as a DataFrame: exported from an iterable, or read from Parquet/JSONL."""
    schema = _schemas()["docs"]
    if source is not None and not (source.endswith(".parquet") or Path(source).is_dir()):
        # JSON Lines as the local engine reads it: keys default to line numbers, and a
        # record of the wrong shape is refused naming its line rather than read as nulls.
        documents = jsonl_documents(source, limits=limits)
    if documents is not None:
        export = stage_dir / "documents.jsonl"
        write_jsonl(export, ({k: d[k] for k in DOC_FIELDS} for d in documents))  # type: ignore[literal-required]
        return spark.read.schema(schema).json(str(export))
    if source is None:
        raise ConfigError("the Spark engine needs documents: give --db or --input")
    df = spark.read.parquet(source)
    missing = [c for c in DOC_FIELDS if c not in df.columns]
    if missing:
        raise ConfigError(f"{source}: document table lacks columns {', '.join(missing)}")
    if n := df.filter(df["key"].isNull() | df["text"].isNull()).count():
        raise InputError(source, f"{n:,} rows without a key or a text; every row needs both")
    return _checked_rows(
        _parquet_documents(spark, df.select(*DOC_FIELDS), source, limits or Limits()), source
    )


def _checked_rows(df: Any, source: str) -> Any:
    """``df`` once every row has passed the checks a JSON Lines record passes (``record_problem``:
    an id that names nothing, holds a NUL or is over 8,192 characters; a site over it) and
    no two rows share a key, else InputError naming the table and the first bad row's key.
    Up to robust36 the Spark engine read such ids as they were (a NUL went into
    clusters.jsonl), and two rows of one key failed later, naming neither: "document keys
    must be unique; two documents share a key"."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    # A plain Python function: PySpark reads type hints as asking for Arrow (pandas).
    check = F.udf(lambda i, s, t: record_problem(i, s, t), T.StringType(), useArrow=False)
    bad = df.select("key", check("id", "site", "text").alias("problem")).filter(
        F.col("problem").isNotNull()
    )
    if first := bad.orderBy("key").first():
        raise InputError(
            source,
            f"{bad.count():,} rows that cannot be read, the first key {first['key']}: "
            f"{first['problem']}",
        )
    shared = df.groupBy("key").count().filter(F.col("count") > 1)
    if first := shared.orderBy("key").first():
        raise InputError(
            source,
            f"{shared.count():,} keys given to more than one row, the first {first['key']} "
            f"({first['count']:,} rows); each row needs a key of its own",
        )
    return df


_WHOLE_NUMBERS = ("tinyint", "smallint", "int", "bigint")


def _parquet_documents(spark: Any, df: Any, source: str, limits: Limits) -> Any:
    """A Parquet table's columns as the local engine's records have them: ``key`` a whole
    number, ``id`` and ``site`` text, ``date`` normalised as the store keeps it. A table
    written by pandas or Spark itself often has a date or timestamp column, which crashed the
    driver (``object of type 'datetime.date' has no len()``), and a date with a zone offset
    was compared as written, so a later copy could be named the origin. A table over
    ``limits`` (:func:`_within_limits`) is refused before any row is read on the driver."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    kinds = dict(df.dtypes)
    wrong = [
        f"'{name}' is {kinds[name]}, not {want}"
        for name, ok, want in (
            ("key", kinds["key"] in _WHOLE_NUMBERS, "a whole number"),
            ("id", kinds["id"] in ("string", *_WHOLE_NUMBERS), "text"),
            ("site", kinds["site"] in ("string", "void"), "text"),
            (
                "date",
                kinds["date"] in ("string", "void", "date", "timestamp", "timestamp_ntz"),
                "a date",
            ),
            ("text", kinds["text"] == "string", "text"),
        )
        if not ok
    ]
    if wrong:
        raise InputError(source, f"column {'; column '.join(wrong)}")
    _within_limits(df, source, limits)
    date = F.col("date")
    if kinds["date"] == "date":
        date = F.date_format(date, "yyyy-MM-dd")
    elif kinds["date"] == "timestamp":  # an instant, shown in the session's zone: as UTC
        zone = spark.conf.get("spark.sql.session.timeZone")
        date = F.date_format(F.to_utc_timestamp(date, zone), "yyyy-MM-dd'T'HH:mm:ss'Z'")
    elif kinds["date"] == "timestamp_ntz":  # a local time with no zone, kept so
        date = F.date_format(date, "yyyy-MM-dd'T'HH:mm:ss")
    else:
        # A plain Python function: PySpark reads type hints as asking for Arrow (pandas).
        date = F.udf(lambda value: stored_date(value), T.StringType(), useArrow=False)(
            date.cast("string")
        )
    out = df.select(
        F.col("key").cast("long").alias("key"),
        F.col("id").cast("string").alias("id"),
        F.col("site").cast("string").alias("site"),
        date.alias("date"),
        F.col("date").cast("string").alias("date_given"),
        "text",
    )
    bad = out.filter(F.col("date").isNull() & F.col("date_given").isNotNull())
    if first := bad.select("key", "date_given").first():
        raise InputError(
            source,
            f"{bad.count():,} rows with a date that is not one, the first key "
            f"{first['key']}: {date_problem(first['date_given'])}",
        )
    return out.drop("date_given")


def _within_limits(df: Any, source: str, limits: Limits) -> None:
    """InputError naming ``source`` when the Parquet table ``df`` holds more rows than
    ``limits.max_records_per_file``, or ids and sites of more bytes in all (in UTF-8) than
    ``limits.max_decompressed_bytes``: the driver collects the key, id, site, date, length
    and digest of every row (``_run_spark``), as the local engine keeps every JSON Lines
    record, and up to robust37 nothing bounded them (a Parquet file of 2.0 MB holding
    1,000,000 rows of one letter took a driver of 1.05 GB; a compressed table of long
    ids, some 16 KB a row, would take far more). Counted by Spark, on the executors, in
    bytes as the option counts a file's (up to robust38 in characters)."""
    from pyspark.sql import functions as F

    def size(name: str) -> Any:
        return F.coalesce(F.sum(F.octet_length(F.col(name).cast("string"))), F.lit(0))

    rows, names = df.select(F.count(F.lit(1)), size("id") + size("site")).first()
    if rows > limits.max_records_per_file:
        raise InputError(
            source,
            f"{rows:,} rows, over the {limits.max_records_per_file:,}-row limit: the key, id, "
            "site and date of every row are kept in memory "
            f"({how_to_raise('max_records_per_file', 'cluster')})",
        )
    if names > limits.max_decompressed_bytes:
        raise InputError(
            source,
            f"its ids and sites hold {names:,} bytes (UTF-8), over the "
            f"{human_bytes(limits.max_decompressed_bytes)} limit: every row's are kept in "
            f"memory ({how_to_raise('max_decompressed_bytes', 'cluster')})",
        )


def _record(row: Any, prefix: str) -> DocRecord:
    return DocRecord(
        key=row[prefix + "key"],
        id=row[prefix + "id"],
        site=row[prefix + "site"],
        date=row[prefix + "date"],
        text=row[prefix + "text"],
    )


def run_spark(
    out: str | Path,
    config: ClusterConfig | None = None,
    *,
    documents: Iterable[DocRecord] | None = None,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    master: str = "local[2]",
    spark: Any = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ClusterRun:
    """Cluster ``documents`` (or the Parquet/JSON Lines table at ``source``) with Spark.
    ``limits``: what a JSON Lines ``source`` may hold, as the local engine reads it
    (:func:`.files.jsonl_documents`); a Parquet one, its rows and the UTF-8 bytes of its ids
    and sites (:func:`_within_limits`).

    Writes the same outputs as :func:`~.local.run_local` into ``out``, plus the stage tables
    and ``members.parquet`` (one row per cluster member). ``spark`` reuses a session;
    ``progress`` hears of each stage as it starts (as :func:`~.local.run_local`'s does).
    """
    report: Progress = progress or (lambda stage, done, total: None)
    report("starting Spark", 0, None)
    cfg = config or ClusterConfig()
    out = Path(out)
    # The session first: without pyspark or Java, or with a bad master, nothing is left behind
    # but the JVM's own output, OUT/spark.log, which says why.
    if spark is None:
        made_out = not out.exists()
        out.mkdir(parents=True, exist_ok=True)
        try:
            session = spark_session(master, log=out / SPARK_LOG)
        except Exception:
            log = out / SPARK_LOG
            if log.exists() and log.stat().st_size == 0:
                log.unlink()
            if made_out and not any(out.iterdir()):
                out.rmdir()
            raise
    else:
        session, made_out = spark, False
    try:
        with holding(out, report):
            return _run_spark(session, out, cfg, documents, source, since, until, report, limits)
    except Exception as exc:
        unreadable = None if source is None else parquet_read_failure(exc, source)
        if made_out and isinstance(unreadable or exc, InputError | ConfigError):
            # Refused input: the JVM's banner is all the log holds, and OUT was this run's.
            _remove_if_only_log(out)
        if unreadable is not None:
            raise unreadable from exc
        if (unwritable := write_failure(exc)) is not None:
            raise unwritable from exc
        raise
    finally:
        if spark is None:
            session.stop()


def _remove_if_only_log(out: Path) -> None:
    """Remove ``out`` when it holds nothing but Spark's log (a run that made it and wrote
    nothing, its input refused; up to robust37 the folder, the log and the stage lock
    stayed)."""
    with suppress(OSError):
        if [p.name for p in out.iterdir()] == [SPARK_LOG]:
            (out / SPARK_LOG).unlink()
            out.rmdir()


# How Spark says it cannot read a file (an error class, the file's URL, why), and that a
# Parquet source holds nothing to take columns from.
_FAILED_READ = re.compile(
    r"\[(?P<kind>FAILED_READ_FILE(?:\.\w+)?)\] Encountered error while reading file "
    r"(?P<url>\S+?)\.\s+(?P<why>[^\n]*?)\s*(?:SQLSTATE: \w+)?\n"
)
_CAUSE = re.compile(r"^Caused by: [\w.$]+: (?P<why>.+)$", re.MULTILINE)


def parquet_read_failure(exc: BaseException, source: str) -> InputError | None:
    """The one-line error for Spark's failure to read the Parquet ``source`` (a file that is
    no Parquet, cut short or damaged, a folder whose parts disagree on a column's type, an
    empty file), or None when ``exc`` is no such failure (among them, a failure to read a
    stage file of the run's own). Up to robust37 each was a Python traceback wrapping a Java
    one, some 200 lines.

    >>> parquet_read_failure(ValueError("no"), "t.parquet") is None
    True
    """
    if not type(exc).__module__.startswith(("py4j", "pyspark")):
        return None
    text = f"{exc}\n"
    if "[UNABLE_TO_INFER_SCHEMA]" in text:
        return InputError(
            source,
            "holds no Parquet data to take the columns from (an empty file, or a folder of "
            "empty files)",
        )
    found = _FAILED_READ.search(text)
    if found is None:
        return None
    path = Path(re.sub(r"^file:(?://)?", "", found["url"]))
    # As Spark names it (made absolute, links kept), or with its links followed.
    named = [
        g for g in (Path(os.path.abspath(source)), Path(source).resolve()) if path.is_relative_to(g)
    ]
    if not named:
        return None
    given = named[0]
    part = "it" if path == given else f"its part {path.relative_to(given)}"
    if found["kind"].endswith("CANNOT_READ_FILE_FOOTER"):
        why = "not a Parquet file, or one cut short (its footer cannot be read)"
        return InputError(source, why if path == given else f"{part} is {why}")
    why = found["why"].strip()
    if not why and (cause := _CAUSE.search(text)):
        why = f"it may be damaged ({cause['why'].strip()[:200]})"
    return InputError(source, f"cannot read {part}: {why or found['kind']}")


# How Spark says a task could not write its file, and the operating system's reason.
_WRITE_FAILED = re.compile(
    r"\[TASK_WRITE_FAILED\] Task failed while writing rows to (?:file:(?://)?)?(?P<path>\S+?)\."
    r"(?:\s|$)"
)
_OS_REFUSALS = {
    os.strerror(code): code
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EFBIG, errno.EIO)
}
_IO_CAUSE = re.compile(
    r"java\.io\.IOException: (?P<why>" + "|".join(map(re.escape, _OS_REFUSALS)) + ")"
)


def write_failure(exc: BaseException) -> OSError | None:
    """The operating system's refusal that made Spark fail to write a file of the run (a
    stage table, ``members.parquet``), as the :class:`OSError` the local engine's write
    gives ("...documents.parquet: no space left on device"), or None when ``exc`` is no such
    failure. Up to robust39 a full disk under ``--out`` ended a Spark run in a Python
    traceback wrapping a Java one, some 230 lines. The stages finished before it are kept:
    a rerun into ``--out`` once there is room reuses them.

    >>> write_failure(ValueError("no")) is None
    True
    """
    if not type(exc).__module__.startswith(("py4j", "pyspark")):
        return None
    text = f"{exc}\n"
    written, cause = _WRITE_FAILED.search(text), _IO_CAUSE.search(text)
    if written is None or cause is None:
        return None
    code = _OS_REFUSALS[cause["why"]]
    return OSError(code, os.strerror(code), written["path"])


def _run_spark(
    session: Any,
    out: Path,
    cfg: ClusterConfig,
    documents: Iterable[DocRecord] | None,
    source: str | None,
    since: str | None,
    until: str | None,
    report: Progress,
    limits: Limits | None = None,
) -> ClusterRun:
    from pyspark.sql import functions as F

    stage_dir = out / "stages" / "spark"
    stage_dir.mkdir(parents=True, exist_ok=True)
    run = ClusterRun("spark", out)
    schemas = _schemas()
    docs_in = _read_documents(session, documents, source, stage_dir, limits)
    if documents is None and (since or until):
        keep = session.sparkContext.broadcast((since, until))
        docs_in = docs_in.rdd.filter(lambda r: in_range(r["date"], *keep.value)).toDF(
            schemas["docs"]
        )
    rows = docs_in.select(
        "key", "id", "site", "date", F.length("text").alias("n"), F.sha2("text", 256)
    ).collect()
    metas = {r["key"]: DocMeta(key=r[0], id=r[1], site=r[2], date=r[3], length=r[4]) for r in rows}
    # Copies count once (see kernels): features and pairs of the earliest copy of each text.
    groups = copy_groups((r[0], r[3], r[5]) for r in rows)
    firsts = sorted(set(groups.values()))
    keep_firsts = session.sparkContext.broadcast(set(firsts))
    metas = dict(sorted(metas.items()))
    if len(metas) != len(rows):
        raise ConfigError("document keys must be unique; two documents share a key")
    run.documents = len(metas)
    run.replaced_stages = check_stage_dir(stage_dir, run_digest(metas.values(), cfg))

    docs_path = stage_dir / "documents.parquet"
    _stage(run, "documents", docs_path, lambda: docs_in, report)
    docs = session.read.parquet(str(docs_path))

    feats_path = stage_dir / "features.parquet"
    _stage(
        run,
        "features",
        feats_path,
        lambda: (
            docs.rdd.filter(lambda r: r["key"] in keep_firsts.value)
            .flatMap(lambda r: ((f, r["key"]) for f in doc_features(r["text"])))
            .toDF(schemas["features"])
        ),
        report,
    )

    cap, k = df_cap(len(firsts), cfg), cfg.min_shared

    def pairs() -> Any:
        grouped = (
            session.read.parquet(str(feats_path))
            .groupBy("feature")
            .agg(F.count("*").alias("df"), F.collect_list("doc").alias("docs"))
            .where((F.col("df") >= 2) & (F.col("df") <= cap))
        )
        counted = (
            grouped.rdd.flatMap(lambda r: ((p, 1) for p in posting_pairs(r["docs"], cap)))
            .reduceByKey(add)
            .filter(lambda x: x[1] >= k)
            .map(lambda x: (x[0][0], x[0][1], x[1]))
        )
        copied = sorted({f for key, f in groups.items() if key != f})
        counts = {
            r[0]: int(r[1])
            for r in session.read.parquet(str(feats_path))
            .where(F.col("doc").isin(copied))
            .groupBy("doc")
            .count()
            .collect()
        }
        copies = session.createDataFrame(copy_pairs(groups, counts, k), schemas["pairs"])
        return counted.toDF(schemas["pairs"]).unionByName(copies)

    pairs_path = stage_dir / "pairs.parquet"
    _stage(run, "pairs", pairs_path, pairs, report)

    def passages() -> Any:
        a = docs.select(*[F.col(c).alias("a_" + c) for c in DOC_FIELDS])
        b = docs.select(*[F.col(c).alias("b_" + c) for c in DOC_FIELDS])
        joined = (
            session.read.parquet(str(pairs_path))
            .join(a, F.col("a") == F.col("a_key"))
            .join(b, F.col("b") == F.col("b_key"))
        )

        def align_rows(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
            cache: dict[int, Any] = {}  # prepared texts, per partition
            for r in rows:
                for p in align_pair(_record(r, "a_"), _record(r, "b_"), cfg, cache):
                    yield tuple(p[f] for f in PASSAGE_FIELDS)  # type: ignore[literal-required]

        return joined.rdd.mapPartitions(align_rows).toDF(schemas["passages"])

    passages_path = stage_dir / "passages.parquet"
    _stage(run, "passages", passages_path, passages, report)
    found = [
        as_passage_record(r.asDict()) for r in session.read.parquet(str(passages_path)).collect()
    ]
    run.pairs = session.read.parquet(str(pairs_path)).count()
    run.passages = len(found)

    t0 = time.perf_counter()
    clusters = build_clusters(found, metas)
    run.seconds["cluster"] = time.perf_counter() - t0

    if cfg.label_edits:
        edits_path = stage_dir / "edits.parquet"
        _stage(
            run, "edits", edits_path, lambda: _edits_df(session, docs, clusters, schemas), report
        )
        summaries = {
            (r["cluster"], r["rank"]): dict(r["edits"])
            for r in session.read.parquet(str(edits_path)).collect()
        }
        attach_edits(clusters, summaries)

    t0 = time.perf_counter()
    write_outputs(out, clusters, found, metas, run)
    members = [
        (c["cluster"], m["rank"], m["key"], m["id"], m["site"], m["date"], m["start"], m["end"])
        for c in clusters
        for m in c["members"]
    ]
    # Typed, not inferred: a column that is null in every row (no member has a site, or a
    # date) cannot be inferred, and the run ended in "[CANNOT_DETERMINE_TYPE]" (up to robust36).
    cols = (
        "cluster string, rank long, key long, id string, site string, date string, start long, "
        "end long"
    )
    if members:
        session.createDataFrame(members, cols).write.mode("overwrite").parquet(
            str(out / "members.parquet")
        )
    run.seconds["outputs"] = time.perf_counter() - t0
    return run


def _edits_df(
    session: Any, docs: Any, clusters: list[dict[str, Any]], schemas: dict[str, Any]
) -> Any:
    """Stage 5 on the executors: each member's edit summary against its strongest source."""
    from pyspark.sql import functions as F

    requests = [(c, r, s, t, *spans) for c, r, s, t, spans in edit_requests(clusters)]
    if not requests:
        return session.createDataFrame([], schemas["edits"])
    cols = ["cluster", "rank", "src", "tgt", "s0", "s1", "t0", "t1"]
    texts = docs.select("key", "text")
    req = (
        session.createDataFrame(requests, cols)
        .join(texts.select(F.col("key").alias("src"), F.col("text").alias("src_text")), "src")
        .join(texts.select(F.col("key").alias("tgt"), F.col("text").alias("tgt_text")), "tgt")
    )

    def label(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
        for r in rows:
            spans = (r["s0"], r["s1"], r["t0"], r["t1"])
            yield (r["cluster"], r["rank"], edit_summary(r["src_text"], r["tgt_text"], spans))

    return req.rdd.mapPartitions(label).toDF(schemas["edits"])
