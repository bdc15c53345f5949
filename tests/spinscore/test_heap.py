"""Freed memory kept for the next model pass (glibc's malloc): behaviour, not timing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from unspin.spinscore.heap import keep_freed_blocks

GLIBC = (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")

# Page faults of a model pass's pattern, in a fresh interpreter (after keep_freed_blocks()
# where the first argument says so): 20 arrays of 1 MB made, filled and all dropped, 20 times.
_FAULTS = """
import resource, sys
import numpy as np
from unspin.spinscore.heap import keep_freed_blocks
kept = keep_freed_blocks() if sys.argv[1] == "keep" else None
def once():
    arrays = [np.ones(1 << 18, dtype=np.float32) for _ in range(20)]
    del arrays
once()  # the first round maps the memory in any case
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    once()
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str, **env: str) -> tuple[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", _FAULTS, mode],
        capture_output=True,
        text=True,
        check=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}, **env},
    )
    kept, faults = done.stdout.split()
    return kept, int(faults)


@pytest.mark.skipif(not GLIBC, reason="mallopt thresholds are glibc's")
def test_freed_blocks_are_reused_without_new_page_faults() -> None:
    kept, faults = _faults("keep")
    assert kept == "True"
    assert faults < 100  # 400 arrays of 256 pages each, all in memory freed before
    _, without = _faults("plain")
    assert without > 20_000  # glibc trims the heap after each round: every page afresh


@pytest.mark.skipif(not GLIBC, reason="mallopt thresholds are glibc's")
def test_a_users_own_malloc_settings_stand() -> None:
    kept, _ = _faults("keep", MALLOC_TRIM_THRESHOLD_="1000000")
    assert kept == "False"


def test_it_answers_on_any_platform() -> None:
    assert isinstance(keep_freed_blocks(), bool)
