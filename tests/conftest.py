"""Shared fixtures: the shared data folder (skipped when absent) and the shipped demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No test may fail for being slow on a busy machine: Hypothesis's default 200 ms deadline per
# example and its "too slow" health check are wall-clock limits, so the whole suite runs
# without them (speed is measured in benchmarks/). A test's own @settings still apply on top.
settings.register_profile("unspin", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("unspin")

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
