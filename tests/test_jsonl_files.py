"""The one reader of the JSON Lines files unspin writes or ships, and its callers' errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.cluster.files import jsonl_documents
from unspin.errors import InputError
from unspin.jsonl_files import numbered_jsonl, read_jsonl, write_jsonl


def test_round_trip_skips_blank_lines_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    assert write_jsonl(path, [{"b": 1, "a": "é"}, [1, 2]]) == 2
    assert path.read_text(encoding="utf-8") == '{"a": "é", "b": 1}\n[1, 2]\n'
    path.write_text(path.read_text(encoding="utf-8") + "\n  \n", encoding="utf-8")
    assert list(read_jsonl(path)) == [{"a": "é", "b": 1}, [1, 2]]
    assert [n for n, _ in numbered_jsonl(path)] == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["rows.jsonl"]


def test_a_line_that_is_not_json_is_named_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "a"}\n\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"rows\.jsonl:3: not valid JSON \(.+\); say why"):
        list(numbered_jsonl(path, "say why"))


def test_cluster_input_names_the_bad_line_and_what_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "a", "id": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"docs\.jsonl:2: not valid JSON .*unspin cluster --help"):
        list(jsonl_documents(path))
    path.write_text('{"text": "a", "id": "x"}\n[1]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"docs\.jsonl:2: not a JSON object with a 'text' field"):
        list(jsonl_documents(path))
    path.write_bytes(b'{"text": "\xff"}\n')
    with pytest.raises(InputError, match=r"docs\.jsonl: not UTF-8 text"):
        list(jsonl_documents(path))
    with pytest.raises(InputError, match=r"missing\.jsonl: cannot read"):
        list(jsonl_documents(tmp_path / "missing.jsonl"))


def test_a_line_that_names_a_key_twice_is_named_with_its_number(tmp_path: Path) -> None:
    """``cluster --input`` reads this way: before, the line's last ``text`` was clustered."""
    path = tmp_path / "docs.jsonl"
    path.write_text('{"key": 1, "text": "a"}\n{"key": 2, "text": "b", "text": "c"}\n', "utf-8")
    with pytest.raises(InputError) as caught:
        list(jsonl_documents(path))
    assert str(caught.value) == f"{path}:2: key 'text' is given twice"


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
def test_a_disk_that_fills_under_cluster_outputs_names_the_file(tmp_path: Path) -> None:
    """Before (robust35): `cluster --out` on a full disk said "standard output: file too
    large": a write's error names no file, and the CLI took an unnamed one for its output."""
    import resource

    src = str(Path(__file__).resolve().parents[1] / "src")
    demo = Path(src) / "unspin" / "data" / "demo" / "corpus.jsonl"
    env = {**os.environ, "PYTHONPATH": src}
    db = tmp_path / "s.db"
    subprocess.run(
        [sys.executable, "-m", "unspin", "ingest", str(demo), "--db", str(db), "-q"],
        env=env,
        check=True,
        capture_output=True,
    )
    limit = 16384  # the stage of candidate pairs is 32 KB: a disk with 16 KB left

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "out"
    # Held open here, the store keeps its 32 KB shared-memory file, which the limit would
    # stop the command from making.
    held = sqlite3.connect(db)
    try:
        held.execute("SELECT COUNT(*) FROM documents").fetchone()
        res = subprocess.run(
            [sys.executable, "-m", "unspin", "cluster", "--db", str(db), "--out", str(out)],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=small_disk,  # before the interpreter starts: it runs no thread yet
            check=False,
        )
    finally:
        held.close()
    assert (res.returncode, res.stderr) == (
        1,
        f"Error: {out}/stages/local/pairs.jsonl: file too large\n",
    )
    assert not list(out.rglob("*.tmp"))  # the half-written file is gone
