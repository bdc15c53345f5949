"""Worker pools are sized by the CPUs the process may use, not by the machine's count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parent.parent / "src")

DEFAULTS = """
from unspin.cpus import usable_cpus
from unspin.ingest import default_workers
from unspin.web.service import DEFAULT_HEAVY_JOBS
print(usable_cpus(), default_workers(), DEFAULT_HEAVY_JOBS)
"""


@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2,
    reason="needs CPU affinity and two CPUs",
)
def test_pool_defaults_follow_the_cpus_the_process_may_use() -> None:
    # As under `taskset -c 0` or a Slurm job given one CPU. Before: os.cpu_count() counted
    # the machine's CPUs, so ingest started 2 fingerprinting workers, serve allowed 2 heavy
    # jobs at once and `eval pan` started one worker per core of the machine, all on one CPU.
    one = min(os.sched_getaffinity(0))
    done = subprocess.run(
        [sys.executable, "-c", DEFAULTS],
        env={**os.environ, "PYTHONPATH": SRC},
        preexec_fn=lambda: os.sched_setaffinity(0, {one}),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["1", "1", "1"]
