"""`unspin ingest -`: trace, compare and score read '-' as standard input; ingest says it does not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_ingest_of_standard_input_says_it_is_not_read_and_reads_the_rest(tmp_path: Path) -> None:
    # Before: "Error: -: no such file or directory", which sent the user looking for a file.
    story = tmp_path / "story.txt"
    story.write_text("Heavy rain flooded the old town of Prague overnight.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "unspin", "ingest", "-", str(story), "--db", "s.db", "-q"],
        env={**os.environ, "PYTHONPATH": SRC},
        cwd=tmp_path,
        input="A text piped in.\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: -: ingest does not read standard input (a pipe has no name, type or date to "
        "store); save it to a file and ingest that"
    ]
    assert done.stdout.startswith("1 documents added")  # the other input is still stored
