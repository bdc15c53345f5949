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

# Folders of the session's own, each named by the environment variable that points a library
# at it (subprocesses inherit it), removed when the session ends, or when SIGTERM ends it; a
# folder the user chose (the variable set) is left alone. A session killed with SIGKILL cannot
# remove its folders: the next session removes the folders of sessions gone.
# - Importing torch._dynamo (transformers' BERT does, in the tests that compare with it) makes
#   torch's compile cache folder $TMPDIR/torchinductor_<user>, which nothing removes: the
#   suite left an empty one behind (up to robust30 the folder stayed on SIGTERM too).
# - unspin's cache of derived tables (unspin.cache.cache_dir): up to robust31 the suite wrote
#   into the user's own ~/.cache/unspin (tables, the web app's results of test stores). The
#   session's folder starts as a copy of the tables there (read, never written: a session
#   builds none that the user's cache holds, as before, and tests that check what a warm
#   command imports see what they saw); a table not there is built once per session, on first
#   use, and shared by every test and subprocess of it. Tests about the default location
#   drop UNSPIN_CACHE from their own environment.
_SESSION_FOLDERS = {
    "TORCHINDUCTOR_CACHE_DIR": "unspin-tests-torch-",
    "UNSPIN_CACHE": "unspin-tests-cache-",
}
_made: dict[str, str] = {}  # variable -> the folder this session made for it


def pytest_configure(config: pytest.Config) -> None:
    fresh = [variable for variable in _SESSION_FOLDERS if variable not in os.environ]
    if not fresh:
        return
    _remove_folders_of_sessions_gone()
    if "UNSPIN_CACHE" in fresh:
        from unspin.cache import default_cache_dir

        users = default_cache_dir()  # read before UNSPIN_CACHE is set
    for variable in fresh:
        prefix = f"{_SESSION_FOLDERS[variable]}{os.getpid()}-"
        _made[variable] = os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
    _remove_session_folders_on(signal.SIGTERM)
    if "UNSPIN_CACHE" in fresh:
        _copy_tables(users, Path(_made["UNSPIN_CACHE"]))


def _copy_tables(users: Path, session: Path) -> None:
    """Copy the derived tables of the user's cache folder ``users`` (when there is one) into
    the session's: not the web app's results of the user's stores, nor a build's temporary
    file."""
    with contextlib.suppress(OSError):
        for path in users.iterdir():
            if path.name.endswith(".results.sqlite") or ".tmp" in path.name:
                continue
            with contextlib.suppress(OSError):
                if path.is_file():
                    shutil.copy2(path, session / path.name)


def pytest_unconfigure(config: pytest.Config) -> None:
    _remove_session_folders()


def _remove_session_folders() -> None:
    for folder in _made.values():
        shutil.rmtree(folder, ignore_errors=True)


def _remove_session_folders_on(signum: signal.Signals) -> None:
    """On ``signum``, remove the session's folders, then end as that signal would have."""
    before = signal.getsignal(signum)

    def removed(number: int, frame: FrameType | None) -> None:
        _remove_session_folders()
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
    # have removed the session's folders.
    os.register_at_fork(after_in_child=lambda: _restore(signum, before))


def _restore(signum: signal.Signals, handler: Any) -> None:
    # signal.signal refuses outside the main thread: the handler is kept there.
    with contextlib.suppress(ValueError):
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _remove_folders_of_sessions_gone() -> None:
    """Remove the folders of test sessions whose process is gone (killed with SIGKILL)."""
    for prefix in _SESSION_FOLDERS.values():
        for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
            pid = folder.name.removeprefix(prefix).split("-")[0]
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
