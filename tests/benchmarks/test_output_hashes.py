"""scripts/output_hashes.py runs the unspin its PYTHONPATH names, also a relative one."""

from __future__ import annotations

from pathlib import Path

import pytest

from repo_script import load_script


def test_a_relative_pythonpath_names_the_tree_the_runs_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before (robust32): the runs happen in OUT, where "PYTHONPATH=src" named no folder, so
    # they ran the installed unspin: two trees' outputs compared equal whatever their code.
    hashes = load_script("scripts/output_hashes.py")
    tree = tmp_path / "tree" / "src" / "unspin"
    tree.mkdir(parents=True)
    (tree / "__init__.py").write_text("")
    (tree / "__main__.py").write_text("print('the tree under test')\n")
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "tree")
    monkeypatch.setenv("PYTHONPATH", "src")
    hashes._run(out, "which.txt", ["--version"], json_out=False)
    assert (out / "results" / "which.txt").read_text() == "the tree under test\n"
