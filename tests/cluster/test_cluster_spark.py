"""The Spark engine gives byte-identical clusters to the local engine, and resumes stages.

Starting a JVM costs 10-20 s, so this is one test; it is skipped without pyspark or Java.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from cluster_fixture_corpus import fixture_documents

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


def test_spark_input_without_keys_names_the_file_and_the_missing_key(tmp_path: Path) -> None:
    # The local engine numbers the lines of a JSON Lines file without keys; the Spark engine
    # cannot, and said "two documents share a key" instead of what is missing.
    import json

    from unspin.errors import InputError

    source = tmp_path / "docs.jsonl"
    source.write_text(
        "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in fixture_documents()),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"docs\.jsonl: a record has no 'key'"):
        run_spark(tmp_path / "out", source=str(source), master="local[1]")
