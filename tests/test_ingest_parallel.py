"""Parallel ingest (a fingerprinting pool) against the serial path: same store, same callbacks."""

import json
import sqlite3
from pathlib import Path

import pytest

from unspin.ingest import IngestReport, ingest
from unspin.store import Store


def _inputs(tmp_path: Path) -> Path:
    lines = []
    for i in range(45):
        text = (
            f"Story {i}: the ministry of region {i % 6} said grain exports rose {i} pct in "
            f"the quarter, and that wheat shipments to port {i % 4} would resume next week."
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
        "SELECT d.key, t.hash, d.id, d.length, t.text, d.batch FROM documents d"
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


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store, pytest.raises(ValueError, match="workers"):
        ingest([tmp_path], store, workers=0)
