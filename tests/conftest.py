"""Shared fixtures: the shared data folder (skipped when absent) and the shipped demo data."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path
from types import FrameType
from typing import Any

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
# inherit it) and removes that when the session ends, or when SIGTERM ends it (up to
# robust30 the folder stayed); a folder the user chose is left alone. A session killed with
# SIGKILL cannot remove its folder: the next session removes the folders of sessions gone.
_TORCH_CACHE_VARIABLE = "TORCHINDUCTOR_CACHE_DIR"
_TORCH_CACHE_PREFIX = "unspin-tests-torch-"
_torch_cache: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _torch_cache
    if _TORCH_CACHE_VARIABLE not in os.environ:
        _remove_torch_caches_of_sessions_gone()
        _torch_cache = tempfile.mkdtemp(prefix=f"{_TORCH_CACHE_PREFIX}{os.getpid()}-")
        os.environ[_TORCH_CACHE_VARIABLE] = _torch_cache
        _remove_torch_cache_on(signal.SIGTERM)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _torch_cache is not None:
        shutil.rmtree(_torch_cache, ignore_errors=True)


def _remove_torch_cache_on(signum: signal.Signals) -> None:
    """On ``signum``, remove the session's torch folder, then end as that signal would have."""
    before = signal.getsignal(signum)

    def removed(number: int, frame: FrameType | None) -> None:
        if _torch_cache is not None:
            shutil.rmtree(_torch_cache, ignore_errors=True)
        if callable(before):
            before(number, frame)
            return
        signal.signal(signum, before or signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signum, removed)
    # A forked child (a multiprocessing pool's worker) ends on the signal as it did before
    # robust30: with a Python handler a signal that lands just before a lock wait only sets
    # the handler's flag and the wait is never woken; a pool worker so left made terminate()
    # wait for ever (31st session, once in five runs of the suite). The child would also
    # have removed the session's folder.
    os.register_at_fork(after_in_child=lambda: _restore(signum, before))


def _restore(signum: signal.Signals, handler: Any) -> None:
    # signal.signal refuses outside the main thread: the handler is kept there.
    with contextlib.suppress(ValueError):
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _remove_torch_caches_of_sessions_gone() -> None:
    """Remove the torch folders of test sessions whose process is gone (killed with SIGKILL)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_TORCH_CACHE_PREFIX}*-*"):
        pid = folder.name.removeprefix(_TORCH_CACHE_PREFIX).split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


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
