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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from unspin.errors import StoreError
from unspin.fingerprints import fingerprint
from unspin.ingest import ingest
from unspin.store import Store
from unspin.trace import TraceConfig, trace
from unspin.types import Document

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"


def unspin(
    *args: str,
    prefix: list[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 300,
) -> tuple[int, str]:
    """Run the CLI in a fresh process (after ``prefix``); (exit code, stdout + stderr)."""
    res = subprocess.run(
        [*(prefix or []), sys.executable, "-m", "unspin", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return res.returncode, (res.stdout + res.stderr).strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(
    db: str, port: int, env: dict[str, str], prefix: list[str] | None = None
) -> Iterator[list[str]]:
    """``unspin serve`` on ``db`` (after ``prefix``) while the block runs: the lines it wrote
    up to "serving" (all of them, when it ended before)."""
    with subprocess.Popen(
        [*(prefix or []), sys.executable, "-m", "unspin", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:  # ends when the server exits, or at "serving" below
            lines.append(line)
            if "serving" in line:
                break
        try:
            yield lines
        finally:
            proc.terminate()


def _get(port: int, path: str) -> str:
    """The whole reply of the server on ``port`` to a GET of ``path``."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=120) as conn:
        conn.sendall(request.encode())
        return b"".join(iter(lambda: conn.recv(65536), b"")).decode("utf-8", "replace")


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
            Document(
                text=f"Worker {worker} writes story {i} about the harbour.", id=f"w{worker}-{i}"
            )
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
        if table in ("featstats", "postings") and args == ("stats",):
            assert code == 0, out  # stats reads neither postings nor their statistics
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


# -- items 8 and 10: a read-only store file or folder -----------------------------------------


def read_only(target: Path) -> list[str]:
    """A command prefix under which ``target`` (a file or folder) cannot be written.

    Permissions stop everyone but root, so ``target`` is also made read-only with chmod; root
    ignores that, so for root the command runs in its own mount namespace where ``target``
    is bind-mounted read-only (what a read-only share or medium looks like)."""
    for path in [target, *(target.iterdir() if target.is_dir() else [])]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0:
        return []
    prefix = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(target)]
    try:
        probe = subprocess.run([*prefix, "touch", str(target)], capture_output=True, text=True)
    except OSError as exc:
        pytest.skip(f"cannot make {target} read-only for root here ({exc})")
    if "Read-only file system" not in probe.stderr:
        pytest.skip(f"cannot make {target} read-only for root here ({probe.stderr.strip()})")
    return prefix


@pytest.fixture
def readonly_dir(demo_store: Path, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A copy of the demo store in a folder that the CLI runs (with the prefix) cannot write."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (tmp_path / "home").mkdir()
    _copy(demo_store, folder / "demo.db")
    prefix = read_only(folder)
    try:
        yield folder, prefix
    finally:
        folder.chmod(0o755)


def test_store_in_a_read_only_folder_can_be_read(readonly_dir: tuple[Path, list[str]]) -> None:
    folder, prefix = readonly_dir
    db = str(folder / "demo.db")
    env = {"XDG_CACHE_HOME": str(folder.parent / "home")}
    code, out = unspin("stats", "--db", db, "--json", prefix=prefix, env=env)
    assert code == 0, out
    assert json.loads(out)["documents"] == 441
    code, out = unspin("check", "--db", db, prefix=prefix, env=env)
    assert code == 0 and "ok: 441 documents" in out, out
    article = str(DEMO / "example-article.txt")
    code, out = unspin("trace", article, "--db", db, "--json", prefix=prefix, env=env)
    assert code == 0, out
    assert json.loads(out)["sources"], out
    # Writing is refused in one line that says why.
    code, out = unspin("ingest", article, "--db", db, prefix=prefix, env=env)
    assert_one_line_error(code, out, db, "read-only")
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]  # nothing left beside it


def test_read_only_folder_with_unmerged_changes_is_refused_clearly(
    demo_store: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    writer = sqlite3.connect(_copy(demo_store, tmp_path / "live.db"))
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the change stays in live.db-wal
    writer.execute("INSERT INTO batches(batch, committed_at, documents) VALUES (99, 0, 0)")
    writer.commit()
    shutil.copy(tmp_path / "live.db", folder / "demo.db")
    shutil.copy(tmp_path / "live.db-wal", folder / "demo.db-wal")  # copied while still open
    writer.close()
    assert (folder / "demo.db-wal").stat().st_size > 0
    prefix = read_only(folder)
    try:
        # Without the -shm file SQLite could only ignore the log (immutable): that would
        # silently lose the change, so the store is refused with what to do instead.
        code, out = unspin("stats", "--db", str(folder / "demo.db"), prefix=prefix)
        assert_one_line_error(code, out, "demo.db-wal", "read-only", "copy the store")
    finally:
        folder.chmod(0o755)


def test_ingest_into_a_read_only_store_file_is_one_line(demo_store: Path, tmp_path: Path) -> None:
    db = _copy(demo_store, tmp_path / "demo.db")  # the folder stays writable
    prefix = read_only(db)
    code, out = unspin("ingest", str(DEMO / "example-article.txt"), "--db", str(db), prefix=prefix)
    assert_one_line_error(code, out, str(db), "read-only")


_SERVE_SCRIPT = """
import sys
from fastapi.testclient import TestClient
from unspin.types import TraceResult
from unspin.web.app import create_app
app = create_app(sys.argv[1])
state = app.state.web
print("results:", state.results.path)
print("note:", state.results_note)
with TestClient(app, base_url="http://127.0.0.1") as client:
    print("stats:", client.get("/api/stats").json()["documents"])
# A result is kept and read back (a real trace costs minutes on a busy machine: the spin model).
state.results.save("r1", "trace", TraceResult("An article.", (), ()), {})
print("kept:", state.results.load("r1").result.article)
"""


def test_serve_on_a_read_only_folder_keeps_results_elsewhere(
    readonly_dir: tuple[Path, list[str]],
) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    folder, prefix = readonly_dir
    cache = folder.parent / "home" / "cache"
    # The default location (under XDG_CACHE_HOME), not the session's cache (conftest.py).
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_CACHE"}
    env |= {"XDG_CACHE_HOME": str(cache), "PYTHONUNBUFFERED": "1"}
    db = str(folder / "demo.db")
    res = subprocess.run(
        [*prefix, sys.executable, "-c", _SERVE_SCRIPT, db],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert res.returncode == 0, res.stderr
    assert "stats: 441" in res.stdout and "kept: An article." in res.stdout, res.stdout + res.stderr
    results = res.stdout.split("results: ")[1].splitlines()[0]
    assert results.startswith(str(cache)), res.stdout
    assert "cannot be written" in res.stdout.split("note: ")[1], res.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]

    # `unspin serve` itself starts and says where the results go.
    with _serving(db, free_port(), env, prefix) as lines:
        pass
    output = "".join(lines)
    assert "Traceback" not in output and "serving" in output, output
    assert f"note: {folder} cannot be written" in output and str(cache) in output, output


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
    # `serve` starts and serves the store as a running app serves it during a re-index
    # (robust36): the documents answer, what needs the index is 409 with the store's
    # message, which serve also says as it starts. Up to robust36 it refused to start.
    port = free_port()
    with _serving(str(db), port, {**os.environ, "PYTHONUNBUFFERED": "1"}) as lines:
        replies = {path: _get(port, path) for path in ("/api/stats", "/corpus", "/d/1")}
    output = "".join(lines)
    assert "Traceback" not in output and "serving" in output, output
    (note,) = (line for line in lines if "note:" in line)
    assert str(db) in note and "unspin reindex --db" in note and "409 Conflict" in note, note
    assert replies["/api/stats"].startswith("HTTP/1.1 200"), replies["/api/stats"][:300]
    assert replies["/corpus"].startswith("HTTP/1.1 200"), replies["/corpus"][:300]
    assert replies["/d/1"].startswith("HTTP/1.1 409") and "unspin reindex --db" in replies["/d/1"]

    code, out = unspin("reindex", "--db", str(db))
    assert code == 0, out
    code, out = unspin("trace", article, "--db", str(db), "--json")
    assert code == 0, out
    assert json.loads(out)["sources"]


def test_a_store_opened_before_a_reindex_never_traces_the_half_built_index(
    demo_store: Path, tmp_path: Path
) -> None:
    # Opening a store checks for a re-index once; a long-lived reader (a library user, a
    # worker) opened before `unspin reindex` emptied the postings traced the half-built index
    # and silently found fewer sources or none (third crash round). Now every trace reads one
    # snapshot in which no re-index has started, or says one is running.
    db = _copy(demo_store, tmp_path / "r.db")
    article = (DEMO / "example-article.txt").read_text(encoding="utf-8")
    cfg = TraceConfig(top=3, label_edits=False, score_unsourced=False)

    def stop_after_first_batch(done: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C between two batches: the state a running one shows

    with Store(db, create=False, readonly=True) as reader:
        assert trace(article, reader, cfg).sources
        with Store(db, create=False, allow_stale=True) as writer, pytest.raises(KeyboardInterrupt):
            writer.reindex(fingerprint, batch_size=50, on_batch=stop_after_first_batch)
        with pytest.raises(StoreError, match=r"a re-index started .* unspin reindex --db"):
            trace(article, reader, cfg)
        with Store(db, create=False, allow_stale=True) as writer:
            writer.reindex(fingerprint)
        assert trace(article, reader, cfg).sources  # the same reader, once it is finished
        assert not reader.conn.in_transaction  # the snapshot ended with the trace


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


def _other_sqlite(path: Path, meta: bool) -> None:
    """Another application's SQLite database (one with a ``meta`` table of its own too)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO bookmarks(url) VALUES ('https://example.org/')")
    if meta:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('app_version', '7')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("meta", [False, True])
def test_ingest_into_another_applications_sqlite_database_changes_nothing(
    tmp_path: Path, meta: bool
) -> None:
    """A typo in --db that names some other program's database: refused, and the database
    is left exactly as it was (no unspin tables added, not switched to WAL)."""
    other = tmp_path / "places.sqlite"
    _other_sqlite(other, meta)
    before = other.read_bytes()
    article = tmp_path / "a.txt"
    article.write_text("Dock workers walked out at the harbour on Tuesday over pay.")
    for command in (["ingest", str(article)], ["xling", "index"], ["reindex"]):
        code, out = unspin(*command, "--db", str(other))
        assert_one_line_error(code, out, str(other), "not an unspin store")
        assert other.read_bytes() == before, command
    with pytest.raises(StoreError, match="not an unspin store"):
        Store(other)
    assert other.read_bytes() == before
    assert not Path(f"{other}-wal").exists() or Path(f"{other}-wal").stat().st_size == 0


def test_a_store_in_a_folder_that_does_not_exist_is_named_as_such(tmp_path: Path) -> None:
    """A typo in the folder of --db is not a read-only folder: the message says which folder
    is missing."""
    article = tmp_path / "a.txt"
    article.write_text("Dock workers walked out at the harbour on Tuesday over pay.")
    db = tmp_path / "no-such-folder" / "s.db"
    code, out = unspin("ingest", str(article), "--db", str(db))
    assert_one_line_error(code, out, str(db), "no-such-folder", "does not exist")
    assert "read-only" not in out


def test_a_device_as_the_store_is_refused_as_not_a_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Dock workers walked out at the harbour on Tuesday over pay.")
    for command in (["ingest", str(article)], ["stats"]):
        code, out = unspin(*command, "--db", os.devnull)
        assert_one_line_error(code, out, os.devnull, "not a regular file")


def _in_a_thread(work: Callable[[], object]) -> BaseException | None:
    """What ``work`` raised when run in a thread of its own (None: nothing)."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the test to inspect
            raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def test_a_store_used_from_another_thread_says_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.add_batch([(Document(id="d1", text="Floods closed the road to Porto."), [1, 2])])
        for work in (lambda: store.find("d1"), store.count, store.close):
            exc = _in_a_thread(work)
            # Was sqlite3.ProgrammingError ("SQLite objects created in a thread can only be
            # used in that same thread"), a traceback with no word on what to do.
            assert isinstance(exc, StoreError), exc
            assert str(exc).startswith(f"{db}: this Store was opened in another thread")
            assert "open a Store in each thread" in str(exc) and "\n" not in str(exc)
        # The refusal cost nothing: the opening thread goes on using the store.
        assert [d.id for d in store.find("d1")] == ["d1"]
    # Opened with any_thread, threads may use it (one at a time, as unspin.Corpus does).
    with Store(db, any_thread=True) as shared:
        assert _in_a_thread(shared.count) is None
    # Each thread opening its own store is the way that needs no lock.
    assert _in_a_thread(lambda: Store(db).close()) is None


def _count_in_a_fork(store: Store, answers: multiprocessing.SimpleQueue[str]) -> None:
    try:
        answers.put(f"counted {store.count()}")
    except StoreError as exc:
        answers.put(str(exc))


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX")
def test_a_store_inherited_by_a_forked_process_is_refused_there(tmp_path: Path) -> None:
    # Before (robust29): the child used the parent's connection, which SQLite forbids (their
    # locks can corrupt the file); a multiprocessing pool started with fork did it unasked.
    db = tmp_path / "c.db"
    fork = multiprocessing.get_context("fork")
    answers: multiprocessing.SimpleQueue[str] = fork.SimpleQueue()
    with Store(db) as store:
        child = fork.Process(target=_count_in_a_fork, args=(store, answers))
        child.start()
        child.join(60)
        assert answers.get() == (
            f"{db}: this Store was opened in another process (a forked process inherits it, "
            "and SQLite forbids using a connection across a fork); open the store again in "
            "this process"
        )
        assert store.count() == 0  # the parent's is untouched


def test_a_closed_store_says_it_is_closed(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        pass
    # Was sqlite3.ProgrammingError: Cannot operate on a closed database.
    with pytest.raises(StoreError, match=r"c\.db: this Store is closed .*open the store again"):
        store.count()
    store.close()  # closing twice is harmless


def test_a_disk_io_error_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store on a disk that filled (a tmpfs filled with ``dd``) could not be read either:
    SQLite could not grow its -shm file, "disk I/O error" (SQLITE_IOERR_SHMSIZE), and up to
    robust39 every command, ``check`` included, said to run ``unspin check``. Where the disk
    has (almost) no space left it says so now; elsewhere the message is as before."""
    import unspin.store

    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add_batch([(Document(id="d1", text="Floods closed the road to Porto."), [1, 2])])
    failure = sqlite3.OperationalError("disk I/O error")
    failure.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"  # type: ignore[attr-defined]
    told = str(unspin.store.store_error(str(db), failure))
    assert told.endswith(f"check it with: unspin check --db {db}"), told  # space is left
    full = os.statvfs_result((4096, 4096, 1000, 0, 0, 100, 0, 0, 0, 255))
    monkeypatch.setattr(unspin.store.os, "statvfs", lambda path: full)
    assert str(unspin.store.store_error(str(db), failure)) == (
        f"{db}: the disk holding it is full (disk I/O error: SQLite cannot make room beside "
        "the store); free some space and try again"
    )


def test_a_full_disk_is_no_fault_of_a_web_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """robust40 made a full disk say so; the web app still answered it 400, the client's
    fault. It is a DiskFull now (a StoreError, so the CLI's one line is as before), and the
    web answers 507 Insufficient Storage; other store problems stay 400."""
    import unspin.store
    from unspin.errors import DiskFull
    from unspin.web.errors import status_of

    db = tmp_path / "s.db"
    failure = sqlite3.OperationalError("disk I/O error")
    failure.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"  # type: ignore[attr-defined]
    full_error = sqlite3.OperationalError("database or disk is full")
    full_error.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    assert status_of(unspin.store.store_error(str(db), failure)) == 400  # space is left
    assert isinstance(unspin.store.store_error(str(db), full_error), DiskFull)
    assert status_of(unspin.store.store_error(str(db), full_error)) == 507
    full = os.statvfs_result((4096, 4096, 1000, 0, 0, 100, 0, 0, 0, 255))
    monkeypatch.setattr(unspin.store.os, "statvfs", lambda path: full)
    assert status_of(unspin.store.store_error(str(db), failure)) == 507
