"""Crash safety: ingest and cluster killed with SIGKILL at random moments, then resumed.

The machinery lives in ``benchmarks/bench_reliability.py`` (its full run does 50 ingest kills
over 3,000 documents and records the figures in docs/reliability.md); these tests run the same
code with fewer documents and kills so the default suite stays fast.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from repo_script import load_script
from unspin.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _bench() -> ModuleType:
    return load_script("benchmarks/bench_reliability.py")


bench = _bench()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    folder = tmp_path_factory.mktemp("crash")
    path = folder / "corpus.jsonl"
    return path, bench.make_corpus(path, 400)


def test_committed_reads_parses_the_last_reported_batch() -> None:
    out = "committed batch 1 (50 documents read)\ncommitted batch 2 (100 documents read)\n"
    assert bench.committed_reads(out) == 100
    assert bench.committed_reads("") == 0


def test_log_batches_reports_every_commit(
    tmp_path: Path, corpus: tuple[Path, list[dict[str, object]]]
) -> None:
    path, records = corpus
    res = subprocess.run(
        bench.unspin_cmd(
            "ingest",
            str(path),
            "--db",
            str(tmp_path / "s.db"),
            "-q",
            "--log-batches",
            "--batch-size",
            "100",
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("committed batch")]
    assert lines[0] == "committed batch 1 (100 documents read)"
    assert len(lines) == 4 and bench.committed_reads(res.stdout) == len(records)


@pytest.mark.slow
def test_ingest_survives_sigkill_at_random_moments(
    tmp_path: Path, corpus: tuple[Path, list[dict[str, object]]]
) -> None:
    path, records = corpus
    figs = bench.ingest_kill_run(
        tmp_path, records, path, kills=6, max_delay=2.5, batch_size=40, seed=1
    )
    assert figs.kills == 6
    assert figs.final_documents == len(records)
    # The kills must have landed while batches were being committed, not only at start-up.
    assert figs.committed_batches_seen > 0 and figs.documents_verified > 0


def test_verify_store_catches_a_half_written_document(
    tmp_path: Path, corpus: tuple[Path, list[dict[str, object]]]
) -> None:
    """The check the kill test relies on does fail on the damage it is meant to find."""
    path, records = corpus
    small = tmp_path / "small.jsonl"
    small.write_text("".join(path.read_text().splitlines(keepends=True)[:60]))
    db = tmp_path / "s.db"
    subprocess.run(bench.unspin_cmd("ingest", str(small), "--db", str(db), "-q"), check=True)
    bench.verify_store(db, records, 60)
    with Store(db) as store, store.conn:
        store.conn.execute("DELETE FROM postings WHERE doc = 3")  # a document without postings
    with pytest.raises(AssertionError, match="store check failed"):
        bench.verify_store(db, records, 60)
    res = subprocess.run(
        bench.unspin_cmd("check", "--db", str(db)), capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 1 and "no postings" in res.stderr


@pytest.mark.slow
def test_cluster_stages_survive_sigkill_and_resume(
    tmp_path: Path, corpus: tuple[Path, list[dict[str, object]]]
) -> None:
    path, _records = corpus
    small = tmp_path / "small.jsonl"
    small.write_text("".join(path.read_text().splitlines(keepends=True)[:200]))
    db = tmp_path / "c.db"
    subprocess.run(bench.unspin_cmd("ingest", str(small), "--db", str(db), "-q"), check=True)
    figs = bench.cluster_kill_run(tmp_path, db, kills=4, seed=2)
    assert figs.kills == 4
