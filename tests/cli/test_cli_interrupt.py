"""Ctrl-C exits 130 with one line whenever it comes, also while a command is still loading."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")

# Sends this process SIGINT (a real signal, as Ctrl-C sends) when the named module starts
# being imported: the moment `unspin score` spends seconds in on a first run.
SIGINT_ON_IMPORT = """
import os, signal, sys

class _InterruptOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["INTERRUPT_ON_IMPORT"]:
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, _InterruptOnImport())
"""


@pytest.mark.parametrize("module", ["unspin.cli.score_cmd", "unspin.spinscore.score"])
def test_ctrl_c_while_a_command_loads_exits_130_in_one_line(tmp_path: Path, module: str) -> None:
    # Before: Ctrl-C while the command's module was imported printed click's "Aborted!" and
    # exited 1, while the same key a second later said "Error: interrupted ..." and exited
    # 130, so a script could not tell an interruption from a failure.
    (tmp_path / "sitecustomize.py").write_text(SIGINT_ON_IMPORT, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Rain fell on Madrid for the third day in a row.", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), SRC]),
        "INTERRUPT_ON_IMPORT": module,
    }
    done = subprocess.run(
        [sys.executable, "-m", "unspin", "score", str(article), "--model", "lexical"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 130, done
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "Error: interrupted; everything committed so far is kept"
    ]


def test_memory_running_out_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to robust39 a command whose work ran out of memory (``unspin score`` under
    ``ulimit -v 500000``: numpy's "Unable to allocate 2.44 MiB for an array") ended in a
    traceback of some 30 frames. It is one line now, saying what to do, exit 1."""
    from click.testing import CliRunner

    import unspin.cli.score_cmd
    from unspin.cli import main

    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError("Unable to allocate 2.44 MiB for an array with shape (416, 1536)")

    monkeypatch.setattr(unspin.cli.score_cmd, "spin_score", out_of_memory)
    article = tmp_path / "a.txt"
    article.write_text("Rain fell on Madrid for the third day in a row.", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(article)])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.exception
    assert res.output.splitlines() == [
        "Error: out of memory: the work needs more than this process may take (a ulimit -v, "
        "or a container's limit); allow it more, or give it less at once (score --model "
        "lexical takes less); everything committed so far is kept"
    ]
