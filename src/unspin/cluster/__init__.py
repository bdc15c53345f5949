"""Who copies whom: corpus-wide reuse clusters, their lineage and the site graph.

:func:`cluster` finds every pair of documents sharing reused passages (the spin-robust
evidence and alignment of ``trace``), groups passages into reuse clusters, orders each cluster
in time and marks the probable origin. Two engines run the same kernels (:mod:`.kernels`):
``local`` (this process) and ``spark`` (PySpark, optional extra).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, InputError
from ..lazy_names import names_from_modules
from .options import ENGINES, date_window

if TYPE_CHECKING:
    import datetime as dt

    from ..read.limits import Limits
    from .kernels import ClusterConfig, DocRecord
    from .local import Progress
    from .outputs import ClusterRun

__all__ = ["ENGINES", "ClusterConfig", "ClusterRun", "DocRecord", "cluster"]

# Each name's module, imported when the name is first asked for: the kernels pull in the
# aligner, the edit labels and the store (about 0.3 s), which ``unspin cluster --help`` and
# its argument errors never use.
_MODULES = {"ClusterConfig": "kernels", "DocRecord": "kernels", "ClusterRun": "outputs"}


__getattr__ = names_from_modules(__name__, _MODULES)


def cluster(
    out: str | Path,
    *,
    db: str | None = None,
    source: str | None = None,
    engine: str = "local",
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    master: str = "local[2]",
    config: ClusterConfig | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ClusterRun:
    """Cluster the documents of the store ``db`` or of ``source`` (JSON Lines; Parquet with
    the Spark engine) dated within ``[since, until]``; write every output into ``out``.
    ``progress`` hears of each stage as it goes (see :func:`.local.run_local`). ``limits``:
    the records and (decompressed) bytes a JSON Lines ``source`` may hold, its
    ``max_records_per_file`` and ``max_decompressed_bytes`` (default: ingest's); of a
    Parquet ``source``, the rows and the characters of its ids and sites."""
    if not os.fspath(out):  # Path("") is the current folder: the outputs landed there
        raise ConfigError("cluster: out is an empty name; give a folder path")
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    # As the CLI and Corpus.cluster check them: a limit that is no date selected nothing.
    since, until = date_window(since, until, "cluster: since", "cluster: until")
    if (db is None) == (source is None):
        raise ConfigError("give exactly one of a store (--db) or a document file (--input)")
    is_parquet = source is not None and (source.endswith(".parquet") or Path(source).is_dir())
    if source is not None and Path(source).is_dir() and not any(Path(source).rglob("*.parquet")):
        # Spark writes a Parquet data set as a folder of part files; any other folder is a
        # mistake, which "Parquet input needs --engine spark" named wrongly.
        raise ConfigError(
            f"{source}: a folder without Parquet files; --input takes a JSON Lines file, or "
            "a Parquet file or folder with --engine spark"
        )
    from .files import jsonl_documents, store_documents, store_features
    from .outputs import written_by_a_run

    for given in (source, db):
        if given is not None and written_by_a_run(Path(given), Path(out)):
            raise InputError(
                str(given),
                f"the run would write over it: it is one of the outputs of a run into {out}; "
                "give another --out folder",
            )
    if engine == "local":
        from .local import run_local

        if is_parquet:
            raise ConfigError(f"{source}: Parquet input needs --engine spark")
        docs = (
            store_documents(db, since, until)
            if db
            else jsonl_documents(str(source), since, until, limits)
        )
        # A store's postings are the features its texts would be fingerprinted into again.
        known = (lambda: store_features(db)) if db else None
        return run_local(docs, out, config, progress, known)
    from .spark import run_spark

    spark = partial(run_spark, out, config, master=master, progress=progress, limits=limits)
    if db is not None:
        return spark(documents=store_documents(db, since, until))
    return spark(source=source, since=since, until=until)
