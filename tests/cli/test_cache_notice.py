"""A first run that builds a lexical cache says so on standard error when that is a terminal,
naming where the cache is kept; a later run reads it and says nothing, and neither does a run
whose standard error is a pipe. Fresh processes: a cache already loaded into this
one (an earlier test) would build nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# rich judges standard error a terminal when this is set (as tests/cli/test_batch_progress.py).
TERMINAL = {"TTY_COMPATIBLE": "1"}


def _spin(article: Path, cache: Path, terminal: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    env.update(UNSPIN_CACHE=str(cache), **(TERMINAL if terminal else {}))
    argv = [sys.executable, "-m", "unspin", "spin", str(article), "--seed", "1"]
    return subprocess.run(argv, capture_output=True, text=True, env=env, check=True)


def test_first_run_names_the_cache_it_builds(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    article = tmp_path / "a.txt"
    article.write_text("The agency said the telephone call was legally binding.\n")
    first = _spin(article, cache)
    notices = [line for line in first.stderr.splitlines() if line.startswith("unspin: making ")]
    assert notices, first.stderr
    assert all(f"later runs read {cache}" in line for line in notices)
    second = _spin(article, cache)
    assert "unspin: making" not in second.stderr  # read from the cache: nothing to say
    assert second.stdout == first.stdout


def test_no_notice_into_a_pipe(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The agency said the telephone call was legally binding.\n")
    quiet = _spin(article, tmp_path / "cache", terminal=False)
    assert list((tmp_path / "cache").iterdir())  # caches were built all the same
    assert quiet.stderr == ""
