"""Output that cannot be written ends a command with one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["score", "{text}"], ["spin", "{text}"], ["stats", "--json"]])
def test_a_full_disk_behind_standard_output_is_one_line(tmp_path: Path, args: list[str]) -> None:
    """Before: an OSError traceback from click.echo (and a second error at exit)."""
    text = tmp_path / "a.txt"
    text.write_text("The harbour workers walked out over pay on Monday.", encoding="utf-8")
    db = tmp_path / "s.db"
    subprocess.run(
        [sys.executable, "-m", "unspin", "ingest", str(text), "--db", str(db), "-q"],
        env={**os.environ, "PYTHONPATH": SRC},
        check=True,
        capture_output=True,
    )
    command = [sys.executable, "-m", "unspin", *[a.format(text=text) for a in args]]
    if args[0] == "stats":
        command += ["--db", str(db)]
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            command,
            env={**os.environ, "PYTHONPATH": SRC},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert res.returncode == 1
    assert res.stderr == "Error: standard output: no space left on device\n"
