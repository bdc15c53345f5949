"""The store under hostile conditions: racing creators, damaged pages, read-only folders,
an interrupted re-index, files that are not stores.

Every failure must be one ``Error:`` line naming the store and what to do, with a non-zero
exit; reading must work wherever the store can be read.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspin.errors import StoreError
from unspin.features import fingerprint
from unspin.indexer import ingest
from unspin.store import Store
from unspin.types import Document

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
NOBODY = 65534


def unspin(
    *args: str, user: int | None = None, env: dict[str, str] | None = None, timeout: int = 300
) -> tuple[int, str]:
    """Run the CLI in a fresh process; (exit code, stdout + stderr)."""
    res = subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        user=user,
        group=user,
        extra_groups=[] if user is not None else None,
        env={**os.environ, **(env or {})},
    )
    return res.returncode, (res.stdout + res.stderr).strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_one_line_error(code: int, output: str, *needles: str) -> None:
    assert code != 0, output
    assert "Traceback" not in output, output
    last = output.splitlines()[-1]
    assert last.startswith("Error: "), output
    for needle in needles:
        assert needle in last, output


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "demo.db"
    with Store(db) as store:
        ingest([str(DEMO / "corpus.jsonl")], store, workers=1)
    return db


def _copy(db: Path, to: Path) -> Path:
    shutil.copy(db, to)
    return to


def _overwrite_page(db: Path, page: int, seed: int) -> None:
    """Overwrite page ``page`` (1-based) of ``db`` with random bytes."""
    with sqlite3.connect(db) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(random.Random(seed).randbytes(size))


def _root_pages(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'"))
    finally:
        conn.close()


# -- item 7: racing creators ---------------------------------------------------------------


def _create_and_add(db: str, worker: int, barrier: multiprocessing.synchronize.Barrier) -> str:
    barrier.wait()  # every creator opens the new store at the same moment
    try:
        docs = [
            Document(text=f"Worker {worker} writes story {i} about the harbour.", id=f"w{worker}-{i}")
            for i in range(5)
        ]
        with Store(db) as store:
            store.add_batch([(d, fingerprint(d.text)) for d in docs])
        return "ok"
    except Exception as exc:  # reported to the parent, which fails the test with it
        return repr(exc)


def test_many_concurrent_creators_of_one_new_store_all_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    creators = 8
    for round_ in range(3):
        db = str(tmp_path / f"new{round_}.db")
        with ctx.Manager() as manager:
            barrier = manager.Barrier(creators)
            with ctx.Pool(creators) as pool:
                outcomes = pool.starmap(
                    _create_and_add, [(db, w, barrier) for w in range(creators)]
                )
        assert outcomes == ["ok"] * creators
        with Store(db, create=False, readonly=True) as store:
            assert store.count() == creators * 5  # every document of every creator landed
            assert store.check() == []
            meta = dict(store.conn.execute("SELECT key, value FROM meta"))
            assert store.conn.execute("SELECT COUNT(*) FROM zdicts").fetchone()[0] == 1
        assert {"schema_version", "feature_version", "postings_cap"} <= set(meta)


# -- item 9: a damaged page ----------------------------------------------------------------


@pytest.mark.parametrize("table", ["documents", "postings", "featstats", "meta"])
def test_check_names_the_damaged_table_and_readers_say_run_check(
    demo_store: Path, tmp_path: Path, table: str
) -> None:
    db = _copy(demo_store, tmp_path / "copy.db")
    _overwrite_page(db, _root_pages(db)[table], seed=len(table))
    code, out = unspin("check", "--db", str(db))
    assert code == 1, out
    assert "Traceback" not in out, out
    assert f"table {table} is damaged" in out, out
    article = DEMO / "example-article.txt"
    for args in (("stats",), ("trace", str(article))):
        code, out = unspin(*args, "--db", str(db))
        if table in ("featstats",) and args == ("stats",):
            assert code == 0, out  # stats never reads feature statistics
            continue
        assert_one_line_error(code, out, str(db), "damaged", "unspin check")


def test_any_damaged_page_is_found_by_check_and_never_a_traceback(
    demo_store: Path, tmp_path: Path
) -> None:
    db0 = _copy(demo_store, tmp_path / "pristine.db")
    with sqlite3.connect(db0) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    conn.close()
    assert free == 0  # every page is in use, so every overwrite is damage check must see
    for page in random.Random(7).sample(range(1, pages + 1), 6):
        db = _copy(db0, tmp_path / f"page{page}.db")
        _overwrite_page(db, page, seed=page)
        code, out = unspin("check", "--db", str(db))
        assert code == 1 and "Traceback" not in out, (page, out)
        code, out = unspin("stats", "--db", str(db))
        assert code == 0 or ("Traceback" not in out and out.splitlines()[-1].startswith("Error: "))


# -- item 10: a read-only folder ------------------------------------------------------------


@pytest.fixture
def readonly_dir(demo_store: Path) -> Iterator[tuple[Path, int | None]]:
    """A copy of the demo store in a folder (and file) the test's CLI runs cannot write.

    Root ignores file permissions, so as root the CLI runs as the unprivileged ``nobody``."""
    user = NOBODY if os.geteuid() == 0 else None
    with tempfile.TemporaryDirectory(prefix="unspin-ro-") as tmp:
        top = Path(tmp)
        top.chmod(0o755)
        folder = top / "ro"
        folder.mkdir()
        (top / "home").mkdir()
        _copy(demo_store, folder / "demo.db")
        (folder / "demo.db").chmod(0o444)
        folder.chmod(0o555)
        if user is not None:
            os.chown(top / "home", user, user)
        try:
            yield folder, user
        finally:
            folder.chmod(0o755)


def _probe_unprivileged(user: int | None) -> None:
    if user is None:
        return
    try:
        subprocess.run(["true"], user=user, group=user, extra_groups=[], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot run as an unprivileged user here ({exc})")


def test_store_in_a_read_only_folder_can_be_read(readonly_dir: tuple[Path, int | None]) -> None:
    folder, user = readonly_dir
    _probe_unprivileged(user)
    db = str(folder / "demo.db")
    env = {"HOME": str(folder.parent / "home"), "XDG_CACHE_HOME": str(folder.parent / "home")}
    code, out = unspin("stats", "--db", db, "--json", user=user, env=env)
    assert code == 0, out
    assert json.loads(out)["documents"] == 439
    code, out = unspin("check", "--db", db, user=user, env=env)
    assert code == 0 and "ok: 439 documents" in out, out
    code, out = unspin("trace", str(DEMO / "example-article.txt"), "--db", db, "--json", user=user, env=env)
    assert code == 0, out
    assert json.loads(out)["sources"], out
    # Writing is refused in one line that says why.
    code, out = unspin("ingest", str(DEMO / "example-article.txt"), "--db", db, user=user, env=env)
    assert_one_line_error(code, out, db, "read-only")
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]  # nothing left beside it


def test_ingest_into_a_read_only_store_file_is_one_line(
    demo_store: Path, tmp_path: Path
) -> None:
    user = NOBODY if os.geteuid() == 0 else None
    _probe_unprivileged(user)
    with tempfile.TemporaryDirectory(prefix="unspin-rof-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o777)  # the folder is writable; only the store file is not
        db = _copy(demo_store, folder / "demo.db")
        db.chmod(0o444)
        code, out = unspin("ingest", str(DEMO / "example-article.txt"), "--db", str(db), user=user)
        assert_one_line_error(code, out, str(db), "read-only")


_SERVE_SCRIPT = """
import sys
from fastapi.testclient import TestClient
from unspin.web.app import create_app
app = create_app(sys.argv[1])
print("results:", app.state.web.results.path)
print("note:", app.state.web.results_note)
with TestClient(app) as client:
    r = client.post("/api/trace", json={"text": open(sys.argv[2]).read()})
    print("status:", r.status_code)
    rid = r.json()["id"]
    print("again:", client.get(f"/api/results/{rid}").status_code)
"""


def test_serve_on_a_read_only_folder_keeps_results_elsewhere(
    readonly_dir: tuple[Path, int | None],
) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    folder, user = readonly_dir
    _probe_unprivileged(user)
    home = folder.parent / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
    res = subprocess.run(
        [sys.executable, "-c", _SERVE_SCRIPT, str(folder / "demo.db"), str(DEMO / "example-article.txt")],
        capture_output=True,
        text=True,
        timeout=300,
        user=user,
        group=user,
        extra_groups=[] if user is not None else None,
        env={**os.environ, **env},
    )
    assert res.returncode == 0, res.stderr
    assert "status: 200" in res.stdout and "again: 200" in res.stdout, res.stdout + res.stderr
    results = res.stdout.split("results: ")[1].splitlines()[0]
    assert results.startswith(str(home / "cache")), res.stdout
    assert "read-only" in res.stdout.split("note: ")[1], res.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]

    # `unspin serve` itself starts and says where the results go.
    with subprocess.Popen(
        [sys.executable, "-m", "unspin", "serve", "--db", str(folder / "demo.db"), "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        user=user,
        group=user,
        extra_groups=[] if user is not None else None,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
    ) as proc:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:  # ends when the server exits, or at "serving" below
            lines.append(line)
            if "serving" in line:
                break
        proc.terminate()
    output = "".join(lines)
    assert "Traceback" not in output and "serving" in output, output
    assert str(home / "cache") in output and "read-only" in output, output


# -- item 11: an interrupted re-index --------------------------------------------------------


def test_interrupted_reindex_is_detected_by_every_reader(demo_store: Path, tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    db = _copy(demo_store, tmp_path / "half.db")

    def stop_after_first_batch(done: int) -> None:
        raise KeyboardInterrupt  # what Ctrl-C (or a kill) does between two batches

    with Store(db, create=False, allow_stale=True) as store, pytest.raises(KeyboardInterrupt):
        store.reindex(fingerprint, batch_size=50, on_batch=stop_after_first_batch)

    with pytest.raises(StoreError, match="unspin reindex"):
        Store(db, create=False, readonly=True)
    article = str(DEMO / "example-article.txt")
    for args in (("trace", article), ("stats",), ("check",), ("ingest", article)):
        code, out = unspin(*args, "--db", str(db))
        assert_one_line_error(code, out, str(db), "unspin reindex --db")
    code, out = unspin("serve", "--db", str(db), "--port", str(free_port()), timeout=60)
    assert_one_line_error(code, out, str(db), "unspin reindex --db")

    code, out = unspin("reindex", "--db", str(db))
    assert code == 0, out
    code, out = unspin("trace", article, "--db", str(db), "--json")
    assert code == 0, out
    assert json.loads(out)["sources"]


# -- item 13: serve on something that is not a store ----------------------------------------


@pytest.mark.parametrize("kind", ["text", "other sqlite"])
def test_serve_refuses_a_file_that_is_not_a_store(tmp_path: Path, kind: str) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    bad = tmp_path / "notes.db"
    if kind == "text":
        bad.write_bytes(b"this is not sqlite\n" * 100)
    else:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
    before = bad.read_bytes()
    code, out = unspin("serve", "--db", str(bad), "--port", str(free_port()), timeout=60)
    assert_one_line_error(code, out, str(bad), "not an unspin store")
    assert bad.read_bytes() == before  # refused before anything was written
