"""The suite leaves nothing in the system's temporary folder (pytest's own tmp_path aside)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def test_torch_keeps_its_compile_cache_out_of_the_temporary_folder(tmp_path: Path) -> None:
    # transformers' BERT imports torch._dynamo, which makes $TMPDIR/torchinductor_<user>;
    # the suite's tests that compare with transformers left it behind, empty, every run.
    pytest.importorskip("torch")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    subprocess.run(
        [sys.executable, "-c", "import torch._dynamo"], env=env, check=True, capture_output=True
    )
    assert sorted(os.listdir(temp)) == []


_WAITING_TEST = """
import pathlib, time

def test_wait():
    pathlib.Path({started!r}).write_text("started")
    for _ in range(6000):  # a hang guard, not a speed limit: the parent ends it
        time.sleep(0.1)
"""


def _probe_session(tmp_path: Path, test: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A pytest session with the suite's conftest, in a subprocess, running ``test``."""
    probe = tmp_path / "probe" / "test_probe.py"
    probe.parent.mkdir()
    probe.write_text(test)
    conftest = Path(__file__).parent
    env = {k: v for k, v in env.items() if k not in ("TORCHINDUCTOR_CACHE_DIR", "UNSPIN_CACHE")}
    env |= {"PYTHONPATH": os.pathsep.join([str(conftest), *sys.path])}
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "conftest",
            "--rootdir",
            str(probe.parent),
            "-p",
            "no:cacheprovider",
            str(probe),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return run


_CACHE_TEST = """
import pathlib
from unspin.cache import cache_dir

def test_cache():
    folder = cache_dir()
    assert (folder / "bigrams-v2.npz").read_bytes() == b"the user's table"
    assert not (folder / "s.db.0123456789ab.results.sqlite").exists()
    (folder / "table-v1.json").write_text("{{}}")
    (folder / "bigrams-v2.npz").write_bytes(b"rebuilt")
    pathlib.Path({seen!r}).write_text(str(folder))
"""


def test_a_test_session_keeps_unspin_s_cache_in_a_folder_of_its_own(tmp_path: Path) -> None:
    # Before (robust31): the suite's tables and web results went into the user's own cache,
    # ~/.cache/unspin (here the home's), and stayed there. Its tables are copied, not used.
    temp, home, seen = tmp_path / "tmp", tmp_path / "home", tmp_path / "seen"
    users = home / ".cache" / "unspin"
    users.mkdir(parents=True)
    temp.mkdir()
    (users / "bigrams-v2.npz").write_bytes(b"the user's table")
    (users / "s.db.0123456789ab.results.sqlite").write_bytes(b"the results of a store")
    env = {**os.environ, "TMPDIR": str(temp), "HOME": str(home)}
    env.pop("XDG_CACHE_HOME", None)
    run = _probe_session(tmp_path, _CACHE_TEST.format(seen=str(seen)), env)
    output = run.communicate()[0].decode()
    assert run.returncode == 0, output
    used = Path(seen.read_text())
    assert used.parent == temp and used.name.startswith(f"unspin-tests-cache-{run.pid}-")
    assert sorted(p.name for p in users.iterdir()) == [
        "bigrams-v2.npz",
        "s.db.0123456789ab.results.sqlite",
    ]
    assert (users / "bigrams-v2.npz").read_bytes() == b"the user's table"
    assert sorted(os.listdir(temp)) == []  # removed when the session ended


def test_a_test_session_ended_by_sigterm_leaves_no_torch_folder(tmp_path: Path) -> None:
    # Before (robust30): the session's unspin-tests-torch-* folder stayed in TMPDIR when
    # SIGTERM ended the run; one left by a SIGKILL stayed for good. Since robust32 the
    # session's cache folder (unspin-tests-cache-*) goes the same way.
    temp = tmp_path / "tmp"
    temp.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    for prefix in ("unspin-tests-torch-", "unspin-tests-cache-"):
        (temp / f"{prefix}{gone.stdout.strip()}-abc").mkdir()  # a SIGKILLed session's
    started = tmp_path / "started"
    env = {**os.environ, "TMPDIR": str(temp)}
    run = _probe_session(tmp_path, _WAITING_TEST.format(started=str(started)), env)
    try:
        for _ in range(6000):  # a hang guard, as above
            if started.exists() or run.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), run.communicate()[0]
        made = sorted(p.name for p in temp.iterdir())
        assert len(made) == 2, made
        assert made[0].startswith(f"unspin-tests-cache-{run.pid}-"), made
        assert made[1].startswith(f"unspin-tests-torch-{run.pid}-"), made
        run.send_signal(signal.SIGTERM)
        run.wait()
    finally:
        run.kill()
    assert run.returncode == -signal.SIGTERM
    assert sorted(os.listdir(temp)) == []


def _sigterm_handler(queue: multiprocessing.queues.Queue[str]) -> None:
    queue.put(repr(signal.getsignal(signal.SIGTERM)))


def test_a_forked_child_ends_on_sigterm_as_the_default_says() -> None:
    """The session removes its torch folder on SIGTERM with a Python handler; a forked pool
    worker kept it, and a SIGTERM landing just before the worker's lock wait left the wait
    unwoken: `Pool.terminate()` waited for ever (a suite run hung in
    `test_many_concurrent_creators_of_one_new_store_all_succeed`, 31st session)."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_sigterm_handler, args=(queue,))
    child.start()
    got = queue.get()
    child.join()
    assert callable(signal.getsignal(signal.SIGTERM))  # the session's own handler
    assert got == repr(signal.SIG_DFL)
