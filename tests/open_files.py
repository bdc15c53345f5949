"""A child process that uses up its own open files for real, then runs a test's code.

Tests of what unspin does when the machine is out of open files (``serve`` with a crowd of
clients) run that code in a child, never in pytest's own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")

# Lowers the child's limit (the test's own stays as it is) and opens files until refused;
# ``held`` keeps them, so the code that follows can give them back.
_USE_UP = """
import errno as _errno, os as _os, resource as _resource
_soft, _hard = _resource.getrlimit(_resource.RLIMIT_NOFILE)
_resource.setrlimit(_resource.RLIMIT_NOFILE, (min(_soft, 256), _hard))
held = []
try:
    while True:
        held.append(_os.open(_os.devnull, _os.O_RDONLY))
except OSError as _exc:
    assert _exc.errno == _errno.EMFILE, _exc
"""


def run_out_of_files(before: str, after: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``before``, use up the open files, then run ``after`` (which may close ``held``),
    in a child process with unspin's ``src`` on its path; ``args`` are its ``sys.argv[1:]``."""
    env = {"PYTHONPATH": SRC, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [sys.executable, "-c", before + _USE_UP + after, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed limit
    )
