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


def test_a_test_session_ended_by_sigterm_leaves_no_torch_folder(tmp_path: Path) -> None:
    # Before (robust30): the session's unspin-tests-torch-* folder stayed in TMPDIR when
    # SIGTERM ended the run; one left by a SIGKILL stayed for good.
    temp = tmp_path / "tmp"
    temp.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    killed = temp / f"unspin-tests-torch-{gone.stdout.strip()}-abc"  # a SIGKILLed session's
    killed.mkdir()
    started = tmp_path / "started"
    probe = tmp_path / "probe" / "test_probe.py"
    probe.parent.mkdir()
    probe.write_text(_WAITING_TEST.format(started=str(started)))
    conftest = Path(__file__).parent
    env = {k: v for k, v in os.environ.items() if k != "TORCHINDUCTOR_CACHE_DIR"}
    env |= {"TMPDIR": str(temp), "PYTHONPATH": os.pathsep.join([str(conftest), *sys.path])}
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
    try:
        for _ in range(6000):  # a hang guard, as above
            if started.exists() or run.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), run.communicate()[0]
        made = [p.name for p in temp.iterdir()]
        assert len(made) == 1 and made[0].startswith(f"unspin-tests-torch-{run.pid}-"), made
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
