"""Where the web app keeps its results: beside the store, else the user's cache, else a
temporary folder for the run (issue 24 item 10). Each fallback is reached by a folder that
cannot be created (its parent is a file), which stops root as well as anyone else."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("platformdirs", reason="the web extra is not installed")

from unspin.types import TraceResult
from unspin.web.results import open_results, results_path


def _keeps_results(path: str) -> None:
    from unspin.web.results import ResultStore

    store = ResultStore(path)
    store.save("r1", "trace", TraceResult("An article.", (), ()), {})
    kept = store.load("r1")
    assert kept is not None and kept.result.article == "An article."


def test_results_beside_a_writable_store(tmp_path: Path) -> None:
    kept = open_results(tmp_path / "s.db", cache_dir=tmp_path / "cache")
    assert Path(kept.path) == results_path(tmp_path / "s.db")
    assert kept.note is None
    _keeps_results(kept.path)


def test_results_in_the_cache_when_the_store_folder_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = blocker / "s.db"  # its folder cannot exist, let alone be written
    kept = open_results(db, cache_dir=tmp_path / "cache")
    assert Path(kept.path).parent == tmp_path / "cache"
    assert kept.note is not None and "cannot be written" in kept.note and kept.path in kept.note
    _keeps_results(kept.path)
    # Two stores of the same name in different folders never share a results file.
    other_blocker = tmp_path / "b-file"
    other_blocker.write_text("not a folder either")
    other = open_results(other_blocker / "s.db", cache_dir=tmp_path / "cache")
    assert Path(other.path).parent == tmp_path / "cache" and other.path != kept.path


def test_results_last_the_run_when_no_folder_can_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    kept = open_results(blocker / "s.db", cache_dir=blocker / "cache")
    assert not Path(kept.path).is_relative_to(tmp_path)
    assert kept.note is not None and "last only this run" in kept.note
    _keeps_results(kept.path)


def test_a_run_s_scratch_results_are_removed_when_it_ends(tmp_path: Path) -> None:
    # The temporary folder used when nothing else can be written must not stay in /tmp.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    script = (
        "import sys\n"
        "from unspin.web.results import open_results\n"
        "kept = open_results(sys.argv[1], cache_dir=sys.argv[2])\n"
        "print(kept.path)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(blocker / "s.db"), str(blocker / "cache")],
        capture_output=True,
        text=True,
        check=True,
    )
    scratch = Path(run.stdout.strip())
    assert scratch.name.endswith(".results.sqlite")
    assert not scratch.parent.exists()


def test_the_cached_results_of_a_store_that_is_gone_are_deleted(tmp_path: Path) -> None:
    # Before (robust30): results kept in the user's cache stayed there for good, also once
    # their store was deleted.
    from unspin.web.results import ResultStore

    cache = tmp_path / "cache"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    gone = Path(open_results(blocker / "s.db", cache_dir=cache).path)
    other_blocker = tmp_path / "b-file"
    other_blocker.write_text("not a folder either")
    other = Path(open_results(other_blocker / "s.db", cache_dir=cache).path)
    # The cached results of a store that is there; an older unspin's, which say nothing of
    # their store; another cache's file.
    (tmp_path / "live.db").write_bytes(b"")
    live = cache / "live.db.0123456789ab.results.sqlite"
    ResultStore(live, store=tmp_path / "live.db")
    older = cache / "old.db.0123456789ab.results.sqlite"
    with sqlite3.connect(older) as conn:
        conn.execute("CREATE TABLE results (id TEXT PRIMARY KEY)")
    conn.close()
    (cache / "bigrams-v3.npz").write_bytes(b"another cache")
    # Its folder missing, a store is not taken for gone (a drive not mounted now).
    open_results(other_blocker / "s.db", cache_dir=cache)
    assert gone.exists()
    # Its folder there and the store not: its results go at the next opening of any results.
    blocker.unlink()
    blocker.mkdir()
    open_results(other_blocker / "s.db", cache_dir=cache)
    names = [other.name, live.name, older.name, "bigrams-v3.npz"]
    assert sorted(p.name for p in cache.iterdir()) == sorted(names)
