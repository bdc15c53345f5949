"""Concurrent use: one process ingests while others trace and a served web app answers;
two ingests into one store serialize or fail clearly.

The machinery is shared with ``benchmarks/bench_reliability.py`` (which runs it on 1,000
documents for the figures in docs/reliability.md).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from repo_script import load_script

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'unspin[web]')")
pytest.importorskip("httpx")


def _bench() -> ModuleType:
    return load_script("benchmarks/bench_reliability.py")


bench = _bench()


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    folder = tmp_path_factory.mktemp("concurrency")
    return list(bench.make_corpus(folder / "all.jsonl", 400))


@pytest.mark.slow
def test_trace_and_web_while_ingesting(tmp_path: Path, records: list[dict[str, object]]) -> None:
    corpus = bench.corpus_of(tmp_path, records)
    figs = bench.concurrent_run(tmp_path, records, corpus, tracers=2, batch_size=40, seed=3)
    assert figs.errors == []
    assert figs.documents == len(records)
    # The readers really ran alongside the ingest, not only after it.
    assert figs.traces > 0 and figs.web_requests > 0


def test_two_ingests_into_one_new_store_both_succeed(
    tmp_path: Path, records: list[dict[str, object]]
) -> None:
    # Creating the store is race-free (issue 24 item 7: 3 of 8 such runs used to fail with
    # "UNIQUE constraint failed: zdicts.id"); after that the ingests serialize batch by batch.
    figs = bench.two_ingests(tmp_path, records[:200])
    assert figs.exit_codes == [0, 0], figs.messages
    assert figs.documents == 200  # serialized: the union, each document once
