"""The document store: one SQLite file (WAL mode, versioned schema).

Tables
------
``documents``   one row per document: an id, URL, site and date of its own, and the key of its
                text (``text_key``). Two outlets printing one wire story word for word are two
                documents sharing one text. A record is stored once: the same id, URL and text
                again adds nothing (re-ingest is a no-op), a new id or URL with a text already
                stored adds a document and no text. ``date`` is normalised ISO 8601 at
                ``date_precision`` (year, month, day, datetime), ``date_raw`` as the input
                wrote it (see :mod:`unspin.dates`).
``texts``       one row per distinct text (``hash``, 16 bytes of SHA-256, is unique), kept
                verbatim, deflated with a preset dictionary (:mod:`unspin.codec`). A text's
                ``key`` is the key of the first document that brought it, so the keys in
                ``postings`` are document keys, and :meth:`Store.copies` finds the others.
``zdicts``      the compression dictionaries the texts refer to.
``postings``    (feature, text key) pairs of the spin-robust fingerprints
                (:mod:`unspin.features`), one set per text however many documents share it,
                so copies neither inflate document frequencies nor appear twice in a query.
                A feature held by more than ``postings_cap`` texts (meta) keeps its
                statistics but loses its postings: retrieval never reads a feature that common
                (``RetrievalConfig.max_df``), and at a million stories such features would
                hold ~8% of all postings.
``featstats``   document frequency (in texts) per feature held by two or more texts, so queries
                can skip uninformative features without scanning their postings. Most features
                occur in one text only (80% on Reuters); they have no row here, and their
                df of 1 is read from ``postings`` -- that alone keeps the store about 20%
                smaller (schema v2; v1 kept a row for every feature).
``batches``     one row per committed ingest batch (what a crashed run can rely on).

Every batch is one transaction: a crash or Ctrl-C loses at most the batch in flight and never
leaves a document without its postings. A store of schema v3 (one table for documents and
texts) is brought to v4 in place, in one transaction, the first time it is opened for
writing (:func:`migrate_v3`).
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
from .dates import precision_of
from .errors import StoreError
from .features import FEATURE_VERSION
from .types import Document, StoredDocument, content_hash

SCHEMA_VERSION = 4
# v3: binary 16-byte hashes, dictionary-compressed texts, postings capped per feature.
# v4: texts apart from documents (copies are documents), dates with raw form and precision.
POSTINGS_CAP = 2000  # default for new stores; kept in meta as ``postings_cap``

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (
    key INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    text BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    key INTEGER PRIMARY KEY,
    text_key INTEGER NOT NULL,
    id TEXT NOT NULL,
    title TEXT, url TEXT, date TEXT, date_raw TEXT, date_precision TEXT,
    site TEXT, path TEXT, kind TEXT,
    length INTEGER NOT NULL,
    batch INTEGER NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_id ON documents(id);
CREATE UNIQUE INDEX IF NOT EXISTS documents_record ON documents(text_key, id, COALESCE(url, ''));
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
    added: int  # documents stored
    duplicates: int  # records already stored (same id, URL and text): nothing added
    texts_added: int = 0  # of the documents stored, those whose text was new


@dataclass(frozen=True, slots=True)
class SiteCount:
    site: str | None
    documents: int
    chars: int  # characters of those documents (copies each count)


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
                migrate_v3(self.conn)  # before the v4 schema's indexes refer to v4 columns
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
            q = f"SELECT hash FROM texts WHERE hash IN ({','.join('?' * len(chunk))})"
            out.update(chunk[r[0]] for r in self.conn.execute(q, list(chunk)))
        return out

    def add_batch(self, items: Iterable[tuple[Document, Iterable[int]]]) -> BatchResult:
        """Store documents with their features in ONE transaction.

        A record already stored (same id, URL and text) is skipped, so re-running an
        interrupted ingest resumes where the last committed batch ended. A document whose
        text is already stored (a reprint under another id or URL) is stored without a new
        text, and its features are not counted again.
        """
        now = time.time()
        added = dup = new_texts = 0
        df: Counter[int] = Counter()
        rows: list[tuple[int, int]] = []
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM batches").fetchone()
            batch = int(row[0])
            # Keys are given here, not by SQLite: a new text takes the key of its document.
            key = int(conn.execute("SELECT COALESCE(MAX(key), 0) FROM documents").fetchone()[0])
            seen: set[tuple[bytes, str, str]] = set()
            for doc, feats in items:
                h = hash_key(content_hash(doc.text))
                record = (h, doc.id, doc.url or "")
                if record in seen:
                    dup += 1
                    continue
                seen.add(record)
                found = conn.execute("SELECT key FROM texts WHERE hash = ?", (h,)).fetchone()
                if (
                    found is not None
                    and conn.execute(
                        "SELECT 1 FROM documents WHERE text_key = ? AND id = ? AND COALESCE(url, '') = ?",
                        (found[0], doc.id, doc.url or ""),
                    ).fetchone()
                ):
                    dup += 1
                    continue
                key += 1
                text_key = key if found is None else int(found[0])
                if found is None:
                    conn.execute(
                        "INSERT INTO texts(key, hash, length, text) VALUES (?, ?, ?, ?)",
                        (key, h, len(doc.text), self._compress(doc.text)),
                    )
                    fs = set(feats)
                    rows.extend((f, key) for f in fs)
                    df.update(fs)
                    new_texts += 1
                conn.execute(
                    "INSERT INTO documents(key, text_key, id, title, url, date, date_raw,"
                    " date_precision, site, path, kind, length, batch, ingested_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        key,
                        text_key,
                        doc.id,
                        doc.title,
                        doc.url,
                        doc.date,
                        doc.date_raw,
                        doc.date_precision or (precision_of(doc.date) if doc.date else None),
                        doc.site,
                        doc.path,
                        doc.kind,
                        len(doc.text),
                        batch,
                        now,
                    ),
                )
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
        return BatchResult(batch, added, dup, new_texts)

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
        and bring an older store to this schema (postings cap; the layout was migrated when
        the store was opened). Returns the number of texts fingerprinted.

        Texts are never touched (older blobs stay readable). The store keeps its old version
        stamp until the last batch is in, so an interrupted re-index is simply run again (it
        starts over).
        """
        conn = self.conn
        self.postings_cap = POSTINGS_CAP
        with conn:
            conn.execute("DELETE FROM postings")
            conn.execute("DELETE FROM featstats")
        done = 0
        keys = [r[0] for r in conn.execute("SELECT key FROM texts ORDER BY key")]
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
        """Documents stored (copies included; see :meth:`stats` for distinct texts)."""
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def text_count(self) -> int:
        """Distinct texts stored: the N of document frequencies (copies share a text)."""
        return int(self.conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0])

    def text(self, key: int) -> str:
        """The text of document ``key`` (a text key is the key of its first document)."""
        row = self.conn.execute(
            "SELECT t.text FROM documents d JOIN texts t ON t.key = d.text_key WHERE d.key = ?",
            (key,),
        ).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no document with key {key}")
        return self._decompress(row[0])

    def texts(self, keys: Sequence[int]) -> dict[int, str]:
        """{document key: its text} for the given keys that exist."""
        out: dict[int, str] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            q = (
                "SELECT d.key, t.text FROM documents d JOIN texts t ON t.key = d.text_key"
                f" WHERE d.key IN ({','.join('?' * len(chunk))})"
            )
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

    def copies(self, keys: Sequence[int]) -> dict[int, list[StoredDocument]]:
        """{key: every document sharing the text of document ``key``, itself included, in
        key order} for the given keys that exist.

        The keys retrieval and ``trace`` return are text keys (the first document with each
        text); this is how they reach the reprints of the same text.
        """
        out: dict[int, list[StoredDocument]] = {}
        cols = ", ".join(f"c.{c.strip()}" for c in _DOC_COLS.split(","))
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            q = (
                f"SELECT d.key, {cols} FROM documents d JOIN documents c"
                f" ON c.text_key = d.text_key WHERE d.key IN ({','.join('?' * len(chunk))})"
                " ORDER BY d.key, c.key"
            )
            for r in self.conn.execute(q, chunk):
                out.setdefault(r[0], []).append(StoredDocument(*r[1:]))
        return out

    def find(self, doc_id: str) -> list[StoredDocument]:
        rows = self.conn.execute(f"SELECT {_DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
        return [StoredDocument(*r) for r in rows]

    def find_title(self, words: str, limit: int = 10) -> list[StoredDocument]:
        """Documents whose title contains ``words`` (ASCII case ignored), in key order."""
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.conn.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE title LIKE ? ESCAPE '\\'"
            " ORDER BY key LIMIT ?",
            (pattern, limit),
        )
        return [StoredDocument(*r) for r in rows]

    def iter_documents(self) -> Iterator[tuple[StoredDocument, str]]:
        """Every document with its text, in key order (each copy of a text once)."""
        rows = self.conn.execute(
            f"SELECT {', '.join('d.' + c.strip() for c in _DOC_COLS.split(','))}, d.text_key,"
            " t.text FROM documents d JOIN texts t ON t.key = d.text_key ORDER BY d.key"
        )
        last: tuple[int, str] | None = None  # copies tend to follow one another
        for r in rows:
            text_key = r[-2]
            if last is None or last[0] != text_key:
                last = (text_key, self._decompress(r[-1]))
            yield StoredDocument(*r[:-2]), last[1]

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
        """What the store holds: ``documents`` (copies included), distinct ``texts``,
        sites, the date range, batches and size."""
        c = self.conn
        docs = c.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        texts, chars = c.execute("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM texts").fetchone()
        sites = c.execute("SELECT COUNT(DISTINCT site) FROM documents").fetchone()[0]
        dmin, dmax = c.execute("SELECT MIN(date), MAX(date) FROM documents").fetchone()
        undated = c.execute("SELECT COUNT(*) FROM documents WHERE date IS NULL").fetchone()[0]
        batches = c.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
        size = Path(self.path).stat().st_size if Path(self.path).exists() else 0
        return {
            "documents": docs,
            "texts": texts,
            "characters": chars,
            "sites": sites,
            "date_min": dmin,
            "date_max": dmax,
            "undated": undated,
            "batches": batches,
            "bytes": size,
            "schema_version": SCHEMA_VERSION,
            "feature_version": FEATURE_VERSION,
        }

    def site_counts(self) -> list[SiteCount]:
        """Documents and characters of every site (``None``: documents without one)."""
        rows = self.conn.execute(
            "SELECT site, COUNT(*), COALESCE(SUM(length), 0) FROM documents GROUP BY site"
        )
        return [SiteCount(site, n, chars) for site, n, chars in rows]

    def check(self) -> list[str]:
        """Integrity problems found (empty list = healthy)."""
        problems: list[str] = []
        res = self.conn.execute("PRAGMA integrity_check").fetchall()
        if res != [("ok",)]:
            problems.extend(f"sqlite: {r[0]}" for r in res)
        orphan = self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT doc FROM postings) p "
            "LEFT JOIN texts t ON t.key = p.doc WHERE t.key IS NULL"
        ).fetchone()[0]
        if orphan:
            problems.append(f"{orphan} texts in postings are missing from texts")
        nofeat = self.conn.execute(
            "SELECT COUNT(*) FROM texts WHERE length > 200 AND key NOT IN "
            "(SELECT DISTINCT doc FROM postings)"
        ).fetchone()[0]
        if nofeat:
            problems.append(f"{nofeat} texts have no postings")
        textless = self.conn.execute(
            "SELECT COUNT(*) FROM documents d LEFT JOIN texts t ON t.key = d.text_key"
            " WHERE t.key IS NULL OR t.length != d.length"
        ).fetchone()[0]
        if textless:
            problems.append(f"{textless} documents have no text (or the wrong one)")
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
        for key, blob, length in self.conn.execute("SELECT key, text, length FROM texts"):
            try:
                if len(self._decompress(blob)) != length:
                    problems.append(f"text {key}: stored text has the wrong length")
            except (zlib.error, KeyError):
                problems.append(f"text {key}: stored text is corrupt")
        return problems


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def migrate_v3(conn: sqlite3.Connection) -> bool:
    """Bring a store of schema v2 or v3 (texts inside ``documents``) to the v4 layout, in
    place and in one transaction; True if it did. Nothing else changes: postings already
    point at the keys that become text keys, and a v2 store still needs ``unspin reindex``.

    Dates become day precision (the only one v3 kept; the raw form was not kept) and sites
    that are host names become registrable domains, as v4 ingest stores them.
    """
    if "hash" not in _columns(conn, "documents"):
        return False  # a new store (no documents table yet) or already v4
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return False  # not an unspin store: the schema check says so
    if version is None or version[0] not in ("2", "3"):
        return False
    from .ingest.meta import normalise_site  # only here: it loads the HTML readers

    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE texts (key INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE,"
            " length INTEGER NOT NULL, text BLOB NOT NULL)"
        )
        conn.execute(
            "INSERT INTO texts(key, hash, length, text) SELECT key, hash, length, text FROM documents"
        )
        # Schema v2 kept hex text hashes.
        old = conn.execute("SELECT key, hash FROM texts WHERE typeof(hash) = 'text'").fetchall()
        conn.executemany(
            "UPDATE texts SET hash = ? WHERE key = ?", [(hash_key(h), k) for k, h in old]
        )
        conn.execute(
            "CREATE TABLE documents_v4 (key INTEGER PRIMARY KEY, text_key INTEGER NOT NULL,"
            " id TEXT NOT NULL, title TEXT, url TEXT, date TEXT, date_raw TEXT,"
            " date_precision TEXT, site TEXT, path TEXT, kind TEXT, length INTEGER NOT NULL,"
            " batch INTEGER NOT NULL, ingested_at REAL NOT NULL)"
        )
        conn.execute(
            "INSERT INTO documents_v4(key, text_key, id, title, url, date, date_raw,"
            " date_precision, site, path, kind, length, batch, ingested_at)"
            " SELECT key, key, id, title, url, date, NULL,"
            " CASE WHEN date IS NULL THEN NULL ELSE 'day' END,"
            " site, path, kind, length, batch, ingested_at FROM documents"
        )
        conn.execute("DROP TABLE documents")
        conn.execute("ALTER TABLE documents_v4 RENAME TO documents")
        sites = [r[0] for r in conn.execute("SELECT DISTINCT site FROM documents") if r[0]]
        conn.executemany(
            "UPDATE documents SET site = ? WHERE site = ?",
            [(normalise_site(s), s) for s in sites if normalise_site(s) != s],
        )
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version' AND value = '3'",
            (str(SCHEMA_VERSION),),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True
