"""A schema v3 store built by SQL, as unspin wrote it before texts and documents were apart.

The DDL is v3's, verbatim; rows are written the way v3's ``add_batch`` wrote them (one row per
distinct text, postings per document, statistics for features held by two or more). Built with
this module and with v3's own code from the same documents, the two stores hold the same rows
(checked when v4 was written), so migration tests start from a real v3 store.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from unspin import codec
from unspin.fingerprints import FEATURE_VERSION, fingerprint
from unspin.types import Document, content_hash

V3_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    key INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    id TEXT NOT NULL,
    title TEXT, url TEXT, date TEXT, site TEXT, path TEXT, kind TEXT,
    length INTEGER NOT NULL,
    text BLOB NOT NULL,
    batch INTEGER NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_id ON documents(id);
CREATE TABLE IF NOT EXISTS postings (
    feature INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (feature, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS featstats (feature INTEGER PRIMARY KEY, df INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS zdicts (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER PRIMARY KEY, committed_at REAL NOT NULL, documents INTEGER NOT NULL
);
"""


def build_v3_store(path: Path, docs: Sequence[Document], now: float = 1.0) -> Path:
    """A v3 store holding ``docs`` (one batch; a text seen before is skipped, as v3 did)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.executescript(V3_SCHEMA)
    zdict = codec.packaged_dictionary()
    with con:
        con.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?)",
            [
                ("schema_version", "3"),
                ("feature_version", str(FEATURE_VERSION)),
                ("postings_cap", "2000"),
            ],
        )
        con.execute("INSERT INTO zdicts(id, data) VALUES (1, ?)", (zdict,))
        df: Counter[int] = Counter()
        rows: list[tuple[int, int]] = []
        key = 0
        for doc in docs:
            h = bytes.fromhex(content_hash(doc.text)[:32])
            if con.execute("SELECT 1 FROM documents WHERE hash = ?", (h,)).fetchone():
                continue
            key += 1
            con.execute(
                "INSERT INTO documents(key, hash, id, title, url, date, site, path, kind,"
                " length, text, batch, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    key,
                    h,
                    doc.id,
                    doc.title,
                    doc.url,
                    doc.date,
                    doc.site,
                    doc.path,
                    doc.kind,
                    len(doc.text),
                    codec.encode(doc.text, 1, zdict),
                    1,
                    now,
                ),
            )
            fs = set(fingerprint(doc.text))
            rows.extend((f, key) for f in fs)
            df.update(fs)
        con.executemany("INSERT INTO postings(feature, doc) VALUES (?, ?)", sorted(rows))
        con.executemany(
            "INSERT INTO featstats(feature, df) VALUES (?, ?)",
            sorted((f, n) for f, n in df.items() if n >= 2),
        )
        con.execute(
            "INSERT INTO batches(batch, committed_at, documents) VALUES (1, ?, ?)", (now, key)
        )
    con.close()
    return path
