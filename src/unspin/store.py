"""The document store: one SQLite file (WAL mode, versioned schema).

Tables
------
``documents``   one row per distinct text (``hash``, 16 bytes of SHA-256, is unique: re-ingest
                adds nothing); the text is kept verbatim, deflated with a preset dictionary
                (:mod:`unspin.codec`), with its metadata.
``zdicts``      the compression dictionaries the texts refer to.
``postings``    (feature, doc) pairs of the spin-robust fingerprints (:mod:`unspin.features`).
                A feature held by more than ``postings_cap`` documents (meta) keeps its
                statistics but loses its postings: retrieval never reads a feature that common
                (``RetrievalConfig.max_df``), and at a million stories such features would
                hold ~8% of all postings.
``featstats``   document frequency per feature held by two or more documents, so queries can
                skip uninformative features without scanning their postings. Most features
                occur in one document only (80% on Reuters); they have no row here, and their
                df of 1 is read from ``postings`` -- that alone keeps the store about 20%
                smaller (schema v2; v1 kept a row for every feature).
``batches``     one row per committed ingest batch (what a crashed run can rely on).

Every batch is one transaction: a crash or Ctrl-C loses at most the batch in flight and never
leaves a document without its postings.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import codec
from .errors import StoreError
from .features import FEATURE_VERSION
from .types import Document, StoredDocument, content_hash

SCHEMA_VERSION = 3
# v3: binary 16-byte hashes, dictionary-compressed texts, postings capped per feature.
POSTINGS_CAP = 2000  # default for new stores; kept in meta as ``postings_cap``

_SCHEMA = """
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

_DOC_COLS = "key, id, title, url, date, site, path, length"


@dataclass(frozen=True, slots=True)
class BatchResult:
    batch: int
    added: int
    duplicates: int


def hash_key(hex_hash: str) -> bytes:
    """The stored form of a content hash: its first 16 bytes (half the index of hex text)."""
    return bytes.fromhex(hex_hash[:32])


class Store:
    """A SQLite-backed corpus with spin-robust postings. Use as a context manager."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        allow_stale: bool = False,
        postings_cap: int = POSTINGS_CAP,
    ) -> None:
        """Open (or create) a store. ``allow_stale`` opens a store whose fingerprints or
        schema are older than this unspin, only so that :meth:`reindex` can rebuild them.
        ``postings_cap`` applies to a store created here (an existing one keeps its own)."""
        if postings_cap < 1:
            raise StoreError(f"postings_cap must be at least 1, got {postings_cap}")
        self.path = str(path)
        self._allow_stale = allow_stale
        self.postings_cap: int | None = postings_cap
        self._zdicts: dict[int, bytes] = {}
        self._zdict_id: int | None = None
        p = Path(self.path)
        if not create and not p.exists():
            raise StoreError(
                f"{self.path}: no such store. Create one with: unspin ingest FILES --db {self.path}"
            )
        if p.exists() and p.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store file")
        try:
            if readonly:
                self.conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=30)
            else:
                self.conn = sqlite3.connect(self.path, timeout=30)
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self.conn.executescript(_SCHEMA)
            self._check_schema(readonly)
            self._load_codec(readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable unspin store ({exc})") from exc

    def _check_schema(self, readonly: bool) -> None:
        try:
            rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: not an unspin store ({exc})") from exc
        if not rows and not readonly:
            with self.conn:
                self.conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("feature_version", str(FEATURE_VERSION)),
                        ("postings_cap", str(self.postings_cap)),
                    ],
                )
            return
        # Stores from before the cap hold every posting: the cap is set when they are
        # re-indexed; until then nothing is dropped.
        self.postings_cap = int(rows.get("postings_cap", 0)) or None
        if int(rows.get("schema_version", SCHEMA_VERSION)) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema v{rows['schema_version']} is newer than this unspin "
                f"(v{SCHEMA_VERSION}); upgrade unspin"
            )
        stale = (
            int(rows.get("feature_version", FEATURE_VERSION)) != FEATURE_VERSION
            or int(rows.get("schema_version", SCHEMA_VERSION)) < SCHEMA_VERSION
        )
        if stale and not self._allow_stale:
            raise StoreError(
                f"{self.path}: store fingerprints/schema are version "
                f"{rows.get('feature_version')}/{rows.get('schema_version')}, this unspin uses "
                f"{FEATURE_VERSION}/{SCHEMA_VERSION}; re-index with: unspin reindex --db {self.path}"
            )

    def _load_codec(self, readonly: bool) -> None:
        """Read the store's compression dictionaries; a new writable store gets the packaged one."""
        try:
            self._zdicts = dict(self.conn.execute("SELECT id, data FROM zdicts").fetchall())
        except sqlite3.OperationalError:  # a read-only v2 store has no such table
            self._zdicts = {}
        if not self._zdicts and not readonly:
            with self.conn:
                self.conn.execute(
                    "INSERT INTO zdicts(id, data) VALUES (1, ?)", (codec.packaged_dictionary(),)
                )
            self._zdicts = {1: codec.packaged_dictionary()}
        self._zdict_id = max(self._zdicts) if self._zdicts else None

    def _compress(self, text: str) -> bytes:
        zd = self._zdicts.get(self._zdict_id) if self._zdict_id is not None else None
        return codec.encode(text, self._zdict_id, zd)

    def _decompress(self, blob: bytes) -> str:
        return codec.decode(blob, self._zdicts)

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def known_hashes(self, hashes: Sequence[str]) -> set[str]:
        """The given content hashes (hex, as :func:`unspin.types.content_hash`) already stored."""
        out: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = {hash_key(h): h for h in hashes[i : i + 500]}
            q = f"SELECT hash FROM documents WHERE hash IN ({','.join('?' * len(chunk))})"
            out.update(chunk[r[0]] for r in self.conn.execute(q, list(chunk)))
        return out

    def add_batch(self, items: Iterable[tuple[Document, Iterable[int]]]) -> BatchResult:
        """Store documents with their features in ONE transaction.

        Documents whose text is already stored are skipped (content hash), so re-running an
        interrupted ingest resumes where the last committed batch ended.
        """
        now = time.time()
        added = dup = 0
        df: Counter[int] = Counter()
        rows: list[tuple[int, int]] = []
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM batches").fetchone()
            batch = int(row[0])
            seen: set[bytes] = set()
            for doc, feats in items:
                h = hash_key(content_hash(doc.text))
                if h in seen:
                    dup += 1
                    continue
                seen.add(h)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO documents(hash, id, title, url, date, site, path, kind,"
                    " length, text, batch, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        h,
                        doc.id,
                        doc.title,
                        doc.url,
                        doc.date,
                        doc.site,
                        doc.path,
                        doc.kind,
                        len(doc.text),
                        self._compress(doc.text),
                        batch,
                        now,
                    ),
                )
                if cur.rowcount == 0:
                    dup += 1
                    continue
                key = cur.lastrowid
                if key is None:  # cannot happen after an insert; never write postings for 0
                    raise StoreError(f"{self.path}: SQLite gave no key for a new document")
                fs = set(feats)
                rows.extend((f, key) for f in fs)
                df.update(fs)
                added += 1
            if df:
                self._write_postings(rows, df)
            conn.execute(
                "INSERT INTO batches(batch, committed_at, documents) VALUES (?, ?, ?)",
                (batch, time.time(), added),
            )
            conn.execute("COMMIT")
        except BaseException:
            # KeyboardInterrupt included: the half-written batch must not survive.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return BatchResult(batch, added, dup)

    def _write_postings(self, rows: list[tuple[int, int]], df: Counter[int]) -> None:
        """Inside a transaction: a batch's (feature, doc) rows and their statistics."""
        # Statistics first: a feature already held by one document shows up in postings
        # (not yet in featstats) only before this batch's rows go in.
        retired = self._update_featstats(df)
        if retired:
            # Features that crossed the cap lose the postings they had; those beyond it
            # never get new ones.
            self.conn.executemany(
                "DELETE FROM postings WHERE feature = ?", [(f,) for f in sorted(retired)]
            )
            rows = [r for r in rows if r[0] not in retired]
        # In key order, B-tree pages fill sequentially instead of splitting at random.
        rows.sort()
        self.conn.executemany("INSERT OR IGNORE INTO postings(feature, doc) VALUES (?, ?)", rows)

    def _update_featstats(self, batch_df: Counter[int]) -> set[int]:
        """Add a batch's document frequencies; keep rows only for features with df >= 2.
        Returns the batch's features now held by more than ``postings_cap`` documents."""
        conn = self.conn
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS batch_df "
            "(feature INTEGER PRIMARY KEY, n INTEGER NOT NULL)"
        )
        conn.execute("DELETE FROM batch_df")
        conn.executemany("INSERT INTO batch_df(feature, n) VALUES (?, ?)", batch_df.items())
        # Old df: the featstats row, else 1 if one stored document has the feature, else 0.
        # The join runs inside SQLite, so this costs one indexed probe per distinct feature.
        conn.execute(
            "INSERT INTO featstats(feature, df) SELECT feature, total FROM ("
            " SELECT b.feature AS feature, b.n + COALESCE("
            "  (SELECT f.df FROM featstats f WHERE f.feature = b.feature),"
            "  EXISTS (SELECT 1 FROM postings p WHERE p.feature = b.feature)) AS total"
            " FROM batch_df b) WHERE total >= 2 "
            "ON CONFLICT(feature) DO UPDATE SET df = excluded.df"
        )
        if self.postings_cap is None:
            return set()
        return {
            r[0]
            for r in conn.execute(
                "SELECT b.feature FROM batch_df b JOIN featstats f ON f.feature = b.feature"
                " WHERE f.df > ?",
                (self.postings_cap,),
            )
        }

    def reindex(
        self,
        fingerprint: Callable[[str], Iterable[int]],
        *,
        batch_size: int = 1000,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Rebuild postings and statistics from the stored texts (after a fingerprint change),
        and bring an older store to this schema (binary hashes, postings cap).

        Texts are never touched (older blobs stay readable). The store keeps its old version
        stamp until the last batch is in, so an interrupted re-index is simply run again (it
        starts over).
        """
        conn = self.conn
        self.postings_cap = POSTINGS_CAP
        with conn:
            conn.execute("DELETE FROM postings")
            conn.execute("DELETE FROM featstats")
            # Schema v2 kept hex text hashes.
            old = conn.execute("SELECT key, hash FROM documents WHERE typeof(hash) = 'text'")
            conn.executemany(
                "UPDATE documents SET hash = ? WHERE key = ?",
                [(hash_key(h), k) for k, h in old.fetchall()],
            )
        done = 0
        keys = [r[0] for r in conn.execute("SELECT key FROM documents ORDER BY key")]
        for i in range(0, len(keys), batch_size):
            texts = self.texts(keys[i : i + batch_size])
            rows: list[tuple[int, int]] = []
            df: Counter[int] = Counter()
            for key, text in texts.items():
                fs = set(fingerprint(text))
                rows.extend((f, key) for f in fs)
                df.update(fs)
            try:
                conn.execute("BEGIN IMMEDIATE")
                if df:
                    self._write_postings(rows, df)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            done += len(texts)
            if on_batch:
                on_batch(done)
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("feature_version", str(FEATURE_VERSION)),
                    ("postings_cap", str(POSTINGS_CAP)),
                ],
            )
        return done

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def text(self, key: int) -> str:
        row = self.conn.execute("SELECT text FROM documents WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no document with key {key}")
        return self._decompress(row[0])

    def texts(self, keys: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            q = f"SELECT key, text FROM documents WHERE key IN ({','.join('?' * len(chunk))})"
            out.update((k, self._decompress(t)) for k, t in self.conn.execute(q, chunk))
        return out

    def document(self, key: int) -> StoredDocument:
        row = self.conn.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no document with key {key}")
        return StoredDocument(*row)

    def documents(self, keys: Sequence[int]) -> dict[int, StoredDocument]:
        out: dict[int, StoredDocument] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            q = f"SELECT {_DOC_COLS} FROM documents WHERE key IN ({','.join('?' * len(chunk))})"
            out.update((r[0], StoredDocument(*r)) for r in self.conn.execute(q, chunk))
        return out

    def find(self, doc_id: str) -> list[StoredDocument]:
        rows = self.conn.execute(f"SELECT {_DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
        return [StoredDocument(*r) for r in rows]

    def iter_documents(self) -> Iterator[tuple[StoredDocument, str]]:
        rows = self.conn.execute(f"SELECT {_DOC_COLS}, text FROM documents ORDER BY key")
        for r in rows:
            yield StoredDocument(*r[:-1]), self._decompress(r[-1])

    def document_frequencies(self, features: Sequence[int]) -> dict[int, int]:
        """{feature: number of documents holding it} for the given features that occur at all."""
        out: dict[int, int] = {}
        for i in range(0, len(features), 500):
            chunk = list(features[i : i + 500])
            q = f"SELECT feature, df FROM featstats WHERE feature IN ({','.join('?' * len(chunk))})"
            out.update(self.conn.execute(q, chunk).fetchall())
            # Features without statistics are held by one document or by none.
            rest = [f for f in chunk if f not in out]
            if rest:
                q = f"SELECT feature FROM postings WHERE feature IN ({','.join('?' * len(rest))})"
                out.update((r[0], 1) for r in self.conn.execute(q, rest))
        return out

    def postings(self, features: Sequence[int]) -> Iterator[tuple[int, int]]:
        """(feature, doc) rows for the given features."""
        for i in range(0, len(features), 500):
            chunk = list(features[i : i + 500])
            q = f"SELECT feature, doc FROM postings WHERE feature IN ({','.join('?' * len(chunk))})"
            yield from self.conn.execute(q, chunk)

    def stats(self) -> dict[str, Any]:
        c = self.conn
        docs, chars = c.execute(
            "SELECT COUNT(*), COALESCE(SUM(length), 0) FROM documents"
        ).fetchone()
        sites = c.execute("SELECT COUNT(DISTINCT site) FROM documents").fetchone()[0]
        dmin, dmax = c.execute("SELECT MIN(date), MAX(date) FROM documents").fetchone()
        batches = c.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
        size = Path(self.path).stat().st_size if Path(self.path).exists() else 0
        return {
            "documents": docs,
            "characters": chars,
            "sites": sites,
            "date_min": dmin,
            "date_max": dmax,
            "batches": batches,
            "bytes": size,
            "schema_version": SCHEMA_VERSION,
            "feature_version": FEATURE_VERSION,
        }

    def check(self) -> list[str]:
        """Integrity problems found (empty list = healthy)."""
        problems: list[str] = []
        res = self.conn.execute("PRAGMA integrity_check").fetchall()
        if res != [("ok",)]:
            problems.extend(f"sqlite: {r[0]}" for r in res)
        orphan = self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT doc FROM postings) p "
            "LEFT JOIN documents d ON d.key = p.doc WHERE d.key IS NULL"
        ).fetchone()[0]
        if orphan:
            problems.append(f"{orphan} documents in postings are missing from documents")
        nofeat = self.conn.execute(
            "SELECT COUNT(*) FROM documents WHERE length > 200 AND key NOT IN "
            "(SELECT DISTINCT doc FROM postings)"
        ).fetchone()[0]
        if nofeat:
            problems.append(f"{nofeat} documents have no postings")
        wrong = self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT feature, COUNT(*) AS n FROM postings GROUP BY feature) p"
            " LEFT JOIN featstats f USING (feature)"
            " WHERE (f.df IS NULL AND p.n != 1) OR (f.df IS NOT NULL AND f.df != p.n)"
        ).fetchone()[0]
        # A feature over the cap has statistics and (on purpose) no postings.
        cap = self.postings_cap or 2**62
        stray = self.conn.execute(
            "SELECT COUNT(*) FROM featstats f WHERE f.df < 2 OR (f.df <= ? AND NOT EXISTS "
            "(SELECT 1 FROM postings p WHERE p.feature = f.feature))",
            (cap,),
        ).fetchone()[0]
        if wrong or stray:
            problems.append(
                f"feature statistics disagree with postings ({wrong} features counted wrong, "
                f"{stray} statistics rows without matching postings)"
            )
        for key, blob, length in self.conn.execute("SELECT key, text, length FROM documents"):
            try:
                if len(self._decompress(blob)) != length:
                    problems.append(f"document {key}: stored text has the wrong length")
            except (zlib.error, KeyError):
                problems.append(f"document {key}: stored text is corrupt")
        return problems
