"""Shared fixtures: the shared data folder (skipped when absent) and the shipped demo data."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No test may fail for being slow on a busy machine: Hypothesis's default 200 ms deadline per
# example and its "too slow" health check are wall-clock limits, so the whole suite runs
# without them (speed is measured in benchmarks/). A test's own @settings still apply on top.
settings.register_profile("unspin", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("unspin")

# Importing torch._dynamo (transformers' BERT does, in the tests that compare with it) makes
# torch's compile cache folder $TMPDIR/torchinductor_<user>, which nothing removes: the
# suite left an empty one behind. It points torch at a folder of its own (subprocesses
# inherit it) and removes that when the session ends; a folder the user chose is left alone.
_TORCH_CACHE_VARIABLE = "TORCHINDUCTOR_CACHE_DIR"
_torch_cache: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _torch_cache
    if _TORCH_CACHE_VARIABLE not in os.environ:
        _torch_cache = tempfile.mkdtemp(prefix="unspin-tests-torch-")
        os.environ[_TORCH_CACHE_VARIABLE] = _torch_cache


def pytest_unconfigure(config: pytest.Config) -> None:
    if _torch_cache is not None:
        shutil.rmtree(_torch_cache, ignore_errors=True)


ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT / ".." / "shared" / "data").resolve()
DEMO = ROOT / "src" / "unspin" / "data" / "demo"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO
