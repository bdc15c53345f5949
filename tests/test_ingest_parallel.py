"""Parallel ingest (a fingerprinting pool) against the serial path: same store, same callbacks."""

import json
import sqlite3
from pathlib import Path

import pytest

import unspin.ingest as ingest_module
from unspin.fingerprints import fingerprint
from unspin.ingest import IngestReport, _fingerprinted_chunks, _Unread, ingest
from unspin.store import Store
from unspin.types import Document, content_hash


def _inputs(tmp_path: Path, stories: int = 45) -> Path:
    lines = []
    for i in range(stories):
        text = (
            f"Story {i}: the ministry of region {i % 6} said grain exports rose {i} pct in "
            f"the quarter, and that wheat shipments to port {i % 4} would resume next week."
        )
        if i % 5 == 2:  # other languages among them: each text's language stays its own
            text = (
                f"Article {i} : le ministère de la région {i % 6} a dit que les exportations "
                f"de céréales ont augmenté de {i} pour cent au cours du trimestre."
            )
        lines.append(json.dumps({"id": f"s{i}", "text": text}))
        if i % 10 == 3:
            lines.append("{not json")  # errors ride along between documents
        if i % 9 == 0:
            lines.append(
                json.dumps({"id": f"dup{i}", "text": text})
            )  # a reprint: same text, new id
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(src: Path, db: Path, workers: int) -> tuple[IngestReport, list[tuple[str, int]]]:
    events: list[tuple[str, int]] = []
    with Store(db) as store:
        report = ingest(
            [src],
            store,
            batch_size=7,
            workers=workers,
            on_item=lambda r, _item: events.append(("item", r.read)),
            on_batch=lambda r: events.append(("batch", r.read)),
        )
        assert store.check() == []
    return report, events


def _contents(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    c = sqlite3.connect(db)
    docs = c.execute(
        "SELECT d.key, t.hash, d.id, d.length, t.text, t.lang, d.batch FROM documents d"
        " JOIN texts t ON t.key = d.text_key ORDER BY d.key"
    )
    posts = c.execute("SELECT feature, doc FROM postings ORDER BY feature, doc")
    stats = c.execute("SELECT feature, df FROM featstats ORDER BY feature")
    return docs.fetchall(), posts.fetchall(), stats.fetchall()


@pytest.mark.parametrize("workers", [2, 3])
def test_pool_stores_exactly_what_serial_ingest_stores(tmp_path: Path, workers: int) -> None:
    src = _inputs(tmp_path)
    serial, serial_events = _run(src, tmp_path / "serial.db", 1)
    pooled, pooled_events = _run(src, tmp_path / "pooled.db", workers)
    assert _contents(tmp_path / "serial.db") == _contents(tmp_path / "pooled.db")
    assert pooled_events == serial_events  # on_batch still follows exactly the same reads
    assert (pooled.read, pooled.added, pooled.duplicates, pooled.batches) == (
        serial.read,
        serial.added,
        serial.duplicates,
        serial.batches,
    )
    assert [str(e) for e in pooled.errors] == [str(e) for e in serial.errors]
    # Five records repeat a text under another id: reprints, stored as documents.
    assert serial.added == 50 and serial.texts_added == 45 and len(serial.errors) == 5
    langs = {row[5] for row in _contents(tmp_path / "pooled.db")[0]}
    assert langs == {"en", "fr"}  # detected in the workers, each kept with its own text


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store, pytest.raises(ValueError, match="workers"):
        ingest([tmp_path], store, workers=0)


def test_languages_given_to_a_batch_are_stored_as_given(tmp_path: Path) -> None:
    """Languages detected elsewhere (ingest's workers) are stored in step with the items,
    skipped duplicates included; without them the store detects each new text's."""
    texts = ["One short text about grain.", "Another text, about ships.", "A third one."]
    docs = [Document(text=t, id=f"d{i}") for i, t in enumerate(texts)]
    items = [(d, fingerprint(d.text)) for d in docs]
    with Store(tmp_path / "s.db") as store:
        store.add_batch(items[:1])
        store.add_batch(items, ["xx", "yy", "zz"])  # d0 is stored already: skipped
        rows = store.conn.execute("SELECT key, lang FROM texts ORDER BY key").fetchall()
    assert [lang for _, lang in rows] == ["en", "yy", "zz"]


# Run in a fresh process: before the fix the ingest waited forever for the dead worker's
# result, and a hang must fail this test rather than stall the suite (a guard, not a timing).
_KILL_A_WORKER = """
import multiprocessing, os, signal, sys
from unspin.errors import UnspinError
from unspin.ingest import ingest
from unspin.store import Store

killed = []

def kill_one(report):
    if not killed:  # what the system's out-of-memory killer does to one worker
        worker = multiprocessing.active_children()[0]
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(60)  # dead before the writer goes on
        killed.append(worker.pid)

with Store(sys.argv[2]) as store:
    try:
        ingest([sys.argv[1]], store, batch_size=7, workers=2, on_batch=kill_one)
    except UnspinError as exc:
        print("refused:", exc)
    print("batches:", store.generation()[0], "check:", store.check())
"""


def test_a_worker_killed_mid_ingest_is_an_error_not_a_hang(tmp_path: Path) -> None:
    import subprocess
    import sys

    # Many chunks after the kill: the pool notices a dead worker in its own thread, and on a
    # loaded machine the survivor once finished the few chunks left before it did (CI saw
    # "batches: 8", no error, with 45 stories).
    src = _inputs(tmp_path, stories=600)
    db = tmp_path / "s.db"
    res = subprocess.run(
        [sys.executable, "-c", _KILL_A_WORKER, str(src), str(db)],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard (the bug was a hang), not a speed limit
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("refused: ") and "worker" in lines[0] and "again" in lines[0]
    # What was committed before the worker died is kept, and the store is sound.
    assert lines[1].startswith("batches: ") and lines[1].endswith("check: []")
    assert int(lines[1].split()[1]) >= 1


# Ctrl-C in the writer, then exit from inside the handler, as the CLI does: the pool must be
# shut down by then, or interpreter exit waits on its workers for ever.
_INTERRUPT_THE_WRITER = """
import sys
from unspin.ingest import ingest
from unspin.store import Store

def interrupt(report):
    raise KeyboardInterrupt

with Store(sys.argv[2]) as store:
    try:
        ingest([sys.argv[1]], store, batch_size=7, workers=2, on_batch=interrupt)
    except KeyboardInterrupt:
        print("batches:", store.generation()[0], "check:", store.check())
        sys.exit(130)
"""


def test_ctrl_c_in_the_writer_exits_with_the_workers_gone(tmp_path: Path) -> None:
    import subprocess
    import sys

    res = subprocess.run(
        [
            sys.executable,
            "-c",
            _INTERRUPT_THE_WRITER,
            str(_inputs(tmp_path)),
            str(tmp_path / "s.db"),
        ],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard (the bug was a hang), not a speed limit
    )
    assert res.returncode == 130, res.stderr
    assert res.stdout.strip() == "batches: 1 check: []"
    assert "Traceback" not in res.stderr


# Ctrl-C while the workers fingerprint long documents: the parent terminates them (they
# ignore SIGINT, and would otherwise finish their task first). Prints each worker's exit code
# (-15: SIGTERM), read once the pool has reaped it.
_INTERRUPT_BUSY_WORKERS = """
import multiprocessing, sys, time
from unspin.ingest import ingest
from unspin.store import Store

workers = []

def interrupt(report):
    workers.extend(multiprocessing.active_children())
    raise KeyboardInterrupt

with Store(sys.argv[2]) as store:
    try:
        ingest([sys.argv[1]], store, batch_size=7, workers=2, on_batch=interrupt)
    except KeyboardInterrupt:
        for p in workers:
            p.join(600)  # a hang guard, not a speed limit
            while p.exitcode is None:  # the pool's own thread may reap it first
                time.sleep(0.05)
        print(sorted(p.exitcode for p in workers))
"""


def test_ctrl_c_terminates_workers_busy_with_long_documents(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(7):  # the first batch: short
        (folder / f"a{i}.txt").write_text(f"Short story {i} about the harbour strike.")
    for i in range(14):  # what the workers are busy with when the writer is interrupted
        words = " ".join(f"w{i}x{j}" for j in range(300_000))
        (folder / f"b{i:02d}.txt").write_text(f"Long report {i}. {words}")
    res = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_BUSY_WORKERS, str(folder), str(tmp_path / "s.db")],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed limit
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[-15, -15]"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_resumed_ingest_stores_what_one_ingest_stores_without_fingerprinting_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """Run again after a crash (or over the same files), an ingest skips the records it
    stored: it must not fingerprint their texts again, nor those of reprints of stored
    texts, and must leave the store as one uninterrupted ingest leaves it."""
    src = _inputs(tmp_path)
    lines = src.read_text().splitlines()
    first = tmp_path / "first.jsonl"  # what a crashed ingest had committed
    first.write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    whole = tmp_path / "whole.db"
    _run(src, whole, workers)
    resumed = tmp_path / "resumed.db"
    _run(first, resumed, workers)
    made: list[str] = []
    real = ingest_module.fingerprint

    def counted(text: str) -> set[int]:  # the real fingerprint, counted (serial path)
        made.append(text)
        return real(text)

    monkeypatch.setattr(ingest_module, "fingerprint", counted)
    report, _ = _run(src, resumed, workers)
    assert _contents(resumed)[1:] == _contents(whole)[1:]  # postings and statistics
    # Documents: the same records and texts, each in the batch that stored it.
    assert [r[:6] for r in _contents(resumed)[0]] == [r[:6] for r in _contents(whole)[0]]
    records_before = [line for line in lines[: len(lines) // 2] if "{not" not in line]
    assert report.duplicates == len(records_before)
    if workers == 1:
        assert made and not set(made) & {json.loads(r)["text"] for r in records_before}


def test_the_pool_is_given_only_texts_not_stored(tmp_path: Path) -> None:
    docs = [
        Document(text=f"Grain exports rose {i} pct in the quarter.", id=f"d{i}") for i in range(6)
    ]
    held = {content_hash(d.text) for d in docs[::2]}
    chunks = list(_fingerprinted_chunks(iter(docs), 4, 2, lambda hs: held & set(hs)))
    features = [f for _, fs, _ in chunks for f in fs]
    languages = [lang for _, _, langs in chunks for lang in langs]
    assert [isinstance(f, _Unread) for f in features] == [True, False] * 3
    assert languages[::2] == [None] * 3 and languages[1::2] == ["en"] * 3
    assert [set(f) for f in features] == [fingerprint(d.text) for d in docs]
