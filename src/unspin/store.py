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
                (:mod:`unspin.fingerprints`), one set per text however many documents share it,
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
``xvectors``    one multilingual vector per text, int8, for tracing across languages
                (:mod:`unspin.xling`); only in stores ingested with the ``xling`` extra.

Each text's language (ISO 639-1, detected at ingest, :func:`unspin.xling.language.detect`)
is ``texts.lang`` (schema v5). A v4 store (or a v2 one) gets the column in place the first
time it is opened for writing (:func:`migrate_v4`); its older texts have no language until
``unspin xling index`` detects it. Read-only, a v4 store is read as it is (no languages).

Every batch is one transaction: a crash or Ctrl-C loses at most the batch in flight and never
leaves a document without its postings. A store of schema v3 (one table for documents and
texts) is brought to v4 in place, in one transaction, the first time it is opened for
writing (:func:`migrate_v3`). Sites stored in the DNS's ASCII form by an unspin before the
``site_names`` stamp (``xn--bcher-kva.de``) are written as ingest writes them now
(``bücher.de``) in the same way, once (:func:`migrate_sites`; ``unspin upgrade`` says how many).

Failures of SQLite itself (a lock held too long, a read-only file or folder, a damaged page, a
full disk) leave the store as :class:`StoreError` with one line that says what to do, at the
boundary of a ``with Store(...)`` block and in the write methods (:func:`store_error`).
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from . import codec
from .dates import precision_of
from .errors import DiskFull, IndexRebuilding, StoreError
from .fingerprints import COMMON_DF_CAP, FEATURE_VERSION, WORD_READING
from .types import MAX_FIELD_CHARS, Document, StoredDocument, content_hash, shown_field
from .xling.language import detect_many

SCHEMA_VERSION = 5
# The oldest schema this unspin reads without a re-index: v4 lacks only the languages and
# cross-language vectors of v5, which readers treat as unknown.
MIN_READ_SCHEMA = 4
# The oldest schema opening a store for writing brings up to date without a re-index
# (:func:`migrate_v3`; a v2 store's hashes and postings need ``unspin reindex``).
MIN_MIGRATED_SCHEMA = 3
# v3: binary 16-byte hashes, dictionary-compressed texts, postings capped per feature.
# v4: texts apart from documents (copies are documents), dates with raw form and precision.
# v5: each text's language (texts.lang) and the cross-language vectors (xvectors).
# Default for new stores, kept in meta as ``postings_cap``: retrieval's limit on common
# features (set in unspin.fingerprints with the others).
POSTINGS_CAP = COMMON_DF_CAP
# How long a writer waits for another writer's lock before giving up (a batch of 5,000
# documents into a big store commits in a few seconds; a reindex batch likewise).
BUSY_TIMEOUT_S = 30.0
# Set in meta when a re-index starts and removed when it ends: while it is there the postings
# are incomplete, so every reader refuses the store instead of tracing against half an index.
REINDEX_FLAG = "reindex_started"
# Which re-index owns the store's index while REINDEX_FLAG is set: a token of the run that set
# it last. A run whose token is gone stops (another one started and rebuilds the index).
REINDEX_OWNER = "reindex_owner"
# Set once a store's sites are written as this unspin writes them: a host in the DNS's ASCII
# form ("xn--bcher-kva.de") as the Unicode host ("bücher.de"); see :func:`migrate_sites`.
SITE_NAMES = "site_names"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (
    key INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    text BLOB NOT NULL,
    lang TEXT
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
CREATE TABLE IF NOT EXISTS xvectors (text_key INTEGER PRIMARY KEY, vec BLOB NOT NULL);
"""

_DOC_COLS = "key, id, title, url, date, site, path, length"
_SCHEMA_OBJECTS = frozenset(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", _SCHEMA))


def _statements(script: str) -> list[str]:
    """The statements of an SQL script, one by one (``executescript`` would commit the
    transaction they must run in)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def store_error(
    path: str, exc: sqlite3.Error, *, opening: bool = False, wait_s: float = BUSY_TIMEOUT_S
) -> StoreError:
    """SQLite's failure as one line naming the store and what to do about it.

    >>> msg = str(store_error("x.db", sqlite3.DatabaseError("database disk image is malformed")))
    >>> msg.startswith("x.db: the store is damaged"), msg.endswith("unspin check --db x.db")
    (True, True)
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return StoreError(
            f"{path}: another process has held the store's write lock for more than "
            f"{wait_s:g} s (an ingest or reindex?); try again when it has finished"
        )
    if (
        name.startswith("SQLITE_READONLY")
        or "readonly database" in text
        # SQLite cannot open a store for writing in a read-only folder (no -wal, no -shm).
        or (name.startswith("SQLITE_CANTOPEN") and not _writable(path))
    ):
        return StoreError(
            f"{path}: the store is read-only here (the file or its folder cannot be written), "
            "so it cannot be changed; copy it to a writable folder to add to it"
        )
    if name.startswith("SQLITE_NOTADB") or "file is not a database" in text:
        return StoreError(
            f"{path}: not an unspin store: not an SQLite database, or its first page is "
            f"damaged ({text})"
        )
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return StoreError(
            f"{path}: the store is damaged ({text}); see what is damaged with: "
            f"unspin check --db {path}"
        )
    if name.startswith("SQLITE_FULL"):
        return DiskFull(f"{path}: the disk is full ({text}); free some space and try again")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(
            f"{path}: cannot open the store ({text}); check that its folder exists and that "
            "you may read (and, to add to it, write) there"
        )
    if name.startswith("SQLITE_IOERR") and _disk_full(path):
        # A full disk fails SQLite's growing of the -shm file as an I/O error, for readers
        # too: up to robust39 every command (check included) said to run unspin check.
        return DiskFull(
            f"{path}: the disk holding it is full ({text}: SQLite cannot make room beside the "
            "store); free some space and try again"
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreError(
            f"{path}: the disk failed to read or write the store ({text}); "
            f"check it with: unspin check --db {path}"
        )
    if opening:
        return StoreError(f"{path}: not a usable unspin store ({text})")
    return StoreError(f"{path}: store error ({text})")


def connect_readonly(
    path: str, timeout: float = BUSY_TIMEOUT_S, *, any_thread: bool = False
) -> sqlite3.Connection:
    """A read-only connection to the SQLite file ``path``, also where its folder cannot be
    written.

    A WAL store needs its ``-shm`` file; in a read-only folder SQLite cannot create it, and
    then the only way in is ``immutable=1`` (no locking at all). That is safe only when no
    write-ahead log holds changes the store file does not have yet, so such a store is
    refused with a message saying how to read it."""
    base = Path(path).absolute().as_uri()  # percent-encodes '?', '#' and '%' in the name
    same_thread = not any_thread
    conn = sqlite3.connect(
        f"{base}?mode=ro", uri=True, timeout=timeout, check_same_thread=same_thread
    )
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if not getattr(exc, "sqlite_errorname", "").startswith(
            ("SQLITE_READONLY", "SQLITE_CANTOPEN")
        ):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(
            f"{path}: cannot be read here: its folder is read-only and {wal.name} holds "
            "changes not yet in the store file; open it once where the folder can be written "
            "(any unspin command does), or copy the store with that file to such a folder"
        )
    conn = sqlite3.connect(f"{base}?mode=ro&immutable=1", uri=True, check_same_thread=same_thread)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


_UNUSED_PAGE = re.compile(r"Page \d+ is never used")


def sqlite_damage(conn: sqlite3.Connection, max_lines: int = 100) -> list[str]:
    """SQLite's own integrity problems, naming each damaged table (empty: none).

    ``PRAGMA integrity_check`` stops with an error on some damage instead of reporting it;
    checking table by table still says which tables are damaged."""
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA integrity_check({max_lines})")]
    except sqlite3.DatabaseError as exc:
        rows = [f"integrity_check stopped: {exc}"]
    if rows == ["ok"]:
        return []
    problems: list[str] = []
    try:
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage"
            )
        ]
    except sqlite3.DatabaseError as exc:
        tables = []
        problems.append(f"the table of tables (sqlite_master) is damaged ({exc})")
    for table in tables:
        quoted = table.replace('"', '""')
        try:
            res = [str(r[0]) for r in conn.execute(f'PRAGMA integrity_check("{quoted}")')]
        except sqlite3.DatabaseError as exc:
            res = [str(exc)]
        if res != ["ok"]:
            first = res[0].removeprefix("*** in database main ***").strip().splitlines()
            problems.append(f"table {table} is damaged ({first[0] if first else res[0]})")
    details = [
        line
        for r in rows
        for line in r.splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]
    # Pages a damaged page pointed to show up one line each; one line says how many.
    lost = [line for line in details if _UNUSED_PAGE.fullmatch(line)]
    problems.extend(f"sqlite: {line}" for line in details if line not in lost)
    if lost:
        problems.append(
            f"sqlite: {len(lost)}{'+' if len(details) >= max_lines else ''} pages are no longer "
            "reachable from any table (they hang off the damaged pages)"
        )
    return problems


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``unspin check`` found: ``problems`` (empty: healthy); ``damaged`` when SQLite
    itself found damage in the file (then the consistency checks were not run)."""

    problems: tuple[str, ...]
    damaged: bool
    documents: int | None
    # What is not wrong but worth saying: names longer than any report shows whole.
    notes: tuple[str, ...] = ()


def diagnose(path: str | Path) -> CheckReport:
    """Check the store at ``path`` read-only, even when damage stops it from opening.

    Raises StoreError when it cannot be checked at all (missing, not an SQLite file, a
    version or re-index problem), with a message that says what to do."""
    path = str(path)
    try:
        with Store(path, create=False, readonly=True) as store:
            damage = sqlite_damage(store.conn)
            if damage:
                return CheckReport(tuple(damage), True, None)
            notes = _long_name_notes(*store.long_names())
            return CheckReport(tuple(store.consistency_problems()), False, store.count(), notes)
    except StoreError as exc:
        cause = exc.__cause__
        notadb = getattr(cause, "sqlite_errorname", "") == "SQLITE_NOTADB"
        if not isinstance(cause, sqlite3.DatabaseError) or notadb:
            raise
        failure = exc
    # SQLite failed while opening (a damaged schema or meta page): look on a bare connection.
    try:
        conn = connect_readonly(path)
    except sqlite3.Error:
        raise failure from None
    try:
        damage = sqlite_damage(conn)
    finally:
        conn.close()
    if not damage:
        raise failure
    return CheckReport(tuple(damage), True, None)


def _long_name_notes(count: int, listed: list[str]) -> tuple[str, ...]:
    """What ``unspin check`` says of the documents :meth:`Store.long_names` found."""
    if not count:
        return ()
    more = f"; the first {len(listed)} of them:" if count > len(listed) else ":"
    head = (
        f"{count:,} {'document holds' if count == 1 else 'documents hold'} a name (id, title, "
        f"URL, site or path) over {MAX_FIELD_CHARS:,} characters, stored by an older unspin; "
        f"every report shows its first {MAX_FIELD_CHARS:,} and says how long it is{more}"
    )
    # Up to robust39 the list stopped at the tenth with nothing after it.
    rest = [f"  and {count - len(listed):,} more"] if count > len(listed) else []
    return (head, *(f"  {line}" for line in listed), *rest)


def _foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables of a database that is not an unspin store (empty: a new, empty file, or a
    store of any schema, all of which stamp ``schema_version`` in ``meta``). A store is
    created in one transaction, so one being created by another process has no tables
    yet or all of them with their stamps."""
    tables = [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    if not tables:
        return []
    if "meta" in tables:
        try:
            if conn.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone():
                return []
        except sqlite3.OperationalError:  # a meta table of another shape
            pass
    return tables


# Free space under which an I/O error of SQLite is taken for the disk being full: a page of
# the -shm file is 32 KiB, and a transaction's pages go to the -wal.
_FULL_BELOW_BYTES = 1 << 20


def _disk_full(path: str) -> bool:
    """Whether the file system holding the store ``path`` has (almost) no space left."""
    p = Path(path).absolute()
    try:
        fs = os.statvfs(p.parent)
    except (OSError, AttributeError):  # no such folder; no statvfs (Windows)
        return False
    return fs.f_bavail * fs.f_frsize < _FULL_BELOW_BYTES


def _writable(path: str) -> bool:
    """Whether the store file (where it exists) and its folder can be written (read-only
    file systems included, which stop root too)."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    return os.access(folder, os.W_OK) and (not p.exists() or os.access(p, os.W_OK))


def _when(timestamp: str) -> str:
    """A stored ``time.time()`` as a UTC date and time (the text itself if it is not one)."""
    try:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(float(timestamp)))
    except (ValueError, OverflowError, OSError):
        return repr(timestamp)


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


def _contains(column: str) -> str:
    """SQL true where ``column`` contains the parameter, ASCII case ignored (as ``LIKE``
    ignores it), every character literal: ``LIKE`` would read ``%`` and ``_`` as wildcards
    and end its pattern at a NUL, so that a search for "\\0" matched every row."""
    return f"instr(lower({column}), lower(?)) > 0"


def hash_key(hex_hash: str) -> bytes:
    """The stored form of a content hash: its first 16 bytes (half the index of hex text)."""
    return bytes.fromhex(hex_hash[:32])


def _check_link(link: Path, shown: str, create: bool) -> None:
    """Refuse a store path that is a symbolic link leading nowhere: a loop of links, or a
    broken link where a store must exist (or whose target's folder does not exist). Up to
    robust35 a loop said "cannot open the store (unable to open database file); check that its
    folder exists" on ingest and "no such store" on the others."""
    try:
        os.stat(link)
    except FileNotFoundError:
        target = os.readlink(link)
        if not create:
            raise StoreError(
                f"{shown}: no such store (a broken symbolic link to {target}). Create one with: "
                f"unspin ingest FILES --db {shown}"
            ) from None
        if not (link.parent / target).parent.is_dir():
            raise StoreError(
                f"{shown}: a symbolic link to {target}, whose folder does not exist; give a "
                "path in a folder that exists (create it first)"
            ) from None
    except OSError as exc:  # ELOOP
        raise StoreError(
            f"{shown}: {(exc.strerror or str(exc)).lower()} (a loop of links), not a store"
        ) from None


# The files SQLite keeps beside a database (as unspin.read.walk.STORE_SUFFIXES names them).
_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def _store_beside(path: Path) -> Path | None:
    """The SQLite database whose side file ``path`` is named as (``s.db`` for ``s.db-wal``,
    when ``s.db`` is an SQLite file); None otherwise."""
    for suffix in _SIDE_SUFFIXES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            base = path.with_name(path.name[: -len(suffix)])
            try:
                with open(base, "rb") as fh:
                    if fh.read(16) == b"SQLite format 3\x00":
                        return base
            except OSError:  # not there, a folder, not to be read: no store beside it
                continue
    return None


def _empty_file(path: Path) -> bool:
    """Whether ``path`` is a file of no bytes with no write-ahead log holding a store's pages
    beside it (a store just made in WAL mode may have its pages there alone)."""
    try:
        if not path.is_file() or path.stat().st_size:
            return False
    except OSError:
        return False
    try:
        return not Path(f"{path}-wal").stat().st_size
    except OSError:  # no log beside it
        return True


class Store:
    """A SQLite-backed corpus with spin-robust postings. Use as a context manager."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        allow_stale: bool = False,
        without_index: bool = False,
        postings_cap: int = POSTINGS_CAP,
        busy_timeout: float | None = None,
        any_thread: bool = False,
    ) -> None:
        """Open (or create) a store. ``allow_stale`` opens a store whose fingerprints or
        schema are older than this unspin, only so that :meth:`reindex` can rebuild them.
        ``without_index`` opens a store whose re-index is running (or was interrupted), for
        reads of documents alone (listing, statistics); :meth:`snapshot`, which every read of
        the index takes, still refuses it (:class:`~unspin.errors.IndexRebuilding`).
        ``postings_cap`` applies to a store created here (an existing one keeps its own).
        ``busy_timeout`` (seconds, default ``BUSY_TIMEOUT_S``) is how long a write waits for
        another writer. ``readonly`` works in a folder that cannot be written too. ``any_thread``
        lets threads other than the one opening it use the connection; the caller then lets one
        thread at a time use the store (:class:`unspin.Corpus` takes a lock around each call)."""
        if postings_cap < 1:
            raise StoreError(f"postings_cap must be at least 1, got {postings_cap}")
        self.path = str(path)
        self._allow_stale = allow_stale
        self._without_index = without_index
        self.postings_cap: int | None = postings_cap
        self.busy_timeout = BUSY_TIMEOUT_S if busy_timeout is None else busy_timeout
        self._any_thread = any_thread
        self._opened_in = threading.get_ident()
        self._opened_by = os.getpid()
        self._closed = False
        self.readonly = readonly
        self._zdicts: dict[int, bytes] = {}
        self._zdict_id: int | None = None
        self._text_count: tuple[tuple[int, int], int] | None = None  # see text_count
        self.schema_version = SCHEMA_VERSION  # the store's own stamps, read when opened
        self.sites_renamed = 0  # site names an older store had in xn-- form (migrate_sites)
        self.feature_version = FEATURE_VERSION
        self.word_reading = WORD_READING  # see unspin.fingerprints.WORD_READING
        if "\x00" in self.path:
            # os.stat refuses it with a ValueError ("embedded null byte"), no StoreError.
            raise StoreError(
                f"{self.path!r}: holds a NUL character, which no file name can; not a store"
            )
        p = Path(self.path)
        if self.path != ":memory:" and (base := _store_beside(p)) is not None:
            # Up to robust35 `ingest a.txt --db s.db-wal` (a shell's completion of s.db) wrote
            # a new store into the log of s.db while a server held s.db open and the log was
            # empty: "1 documents added", exit 0, and SQLite reset the log at the server's
            # next write, the document with it.
            raise StoreError(
                f"{self.path}: a file SQLite keeps beside the store {base}, not a store; "
                f"give the store itself (--db {base})"
            )
        if p.is_symlink() and not p.exists():
            _check_link(p, self.path, create)
        if not create and not p.exists():
            raise StoreError(
                f"{self.path}: no such store. Create one with: unspin ingest FILES --db {self.path}"
            )
        if p.exists() and p.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store file")
        if self.path != ":memory:" and p.exists() and not p.is_file():
            raise StoreError(f"{self.path}: not a regular file (a device or pipe), not a store")
        if not create and _empty_file(p):
            # SQLite reads an empty file as an empty database: up to robust35 `unspin upgrade`,
            # `reindex` and `xling index` made a new store in it ("up to date", "re-indexed 0
            # documents": `--db notes.txt` for `--db news.db`), where the readers said "not an
            # unspin store (no such table: meta)".
            raise StoreError(
                f"{self.path}: an empty file, not a store. Create one with: unspin ingest FILES "
                f"--db {self.path}"
            )
        folder = p.parent if str(p.parent) else Path(".")
        if create and self.path != ":memory:" and not folder.is_dir():
            problem = "is a file, not a folder" if folder.exists() else "does not exist"
            raise StoreError(
                f"{self.path}: the folder {folder} {problem}; give a path in a folder that "
                "exists (create it first)"
            )
        conn: sqlite3.Connection | None = None
        try:
            conn = (
                connect_readonly(self.path, self.busy_timeout, any_thread=any_thread)
                if readonly
                else self._connect_writable()
            )
            self._conn = conn
            if not readonly:
                # Before the v4 schema's indexes refer to v4 columns; race-free on its own.
                migrate_v3(self.conn)
                migrate_v4(self.conn)
                self._initialise()
                self.sites_renamed = migrate_sites(self.conn)
            self._check_schema()
            self._load_codec()
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.Error):
                raise store_error(self.path, exc, opening=True, wait_s=self.busy_timeout) from exc
            raise

    @property
    def conn(self) -> sqlite3.Connection:
        """The store's SQLite connection, or a StoreError that says what to do: after
        :meth:`close`, in a process forked from the one that opened it, or in a thread other
        than the one that opened it (unless opened with ``any_thread``), where SQLite raised a
        bare ProgrammingError or, across a fork, went on at the file's risk."""
        if self._closed:
            raise StoreError(
                f"{self.path}: this Store is closed (used after close() or after its "
                "with block); open the store again to use it"
            )
        if os.getpid() != self._opened_by:
            # SQLite forbids carrying a connection across fork(): the child's locks and the
            # parent's can corrupt the file.
            raise StoreError(
                f"{self.path}: this Store was opened in another process (a forked process "
                "inherits it, and SQLite forbids using a connection across a fork); open the "
                "store again in this process"
            )
        if not self._any_thread and threading.get_ident() != self._opened_in:
            raise StoreError(
                f"{self.path}: this Store was opened in another thread, and SQLite lets only "
                "that thread use it; open a Store in each thread (opening one takes about a "
                "millisecond), or open it with any_thread=True and let one thread at a time "
                "use it (as unspin.Corpus does)"
            )
        return self._conn

    def _connect_writable(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, check_same_thread=not self._any_thread
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        # Before anything is written (WAL mode is a change to the file too).
        others = _foreign_tables(conn)
        if others:
            conn.close()
            shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
            raise StoreError(
                f"{self.path}: not an unspin store: an SQLite database without unspin's "
                f"version stamps (tables {shown}), left as it is; give a new file name to "
                "create a store"
            )
        # Several processes switching a new file to WAL together get "database is locked"
        # at once, without the busy wait (SQLite cannot wait for a lock another waiter may
        # need), so that one step is retried until the busy timeout runs out.
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY")
                if not busy or time.monotonic() >= deadline:
                    conn.close()
                    raise
                time.sleep(random.uniform(0.005, 0.05))
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _initialise(self) -> None:
        """Give a new (or older) store its tables, version stamps and dictionary.

        Race-free: everything is written in ONE ``BEGIN IMMEDIATE`` transaction, so of several
        processes creating the same store at once exactly one writes it and the others find
        it done (they re-read it afterwards). An initialised store takes no write lock here,
        so opening it never waits for an ingest."""
        conn = self.conn
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if (
            have >= _SCHEMA_OBJECTS
            and conn.execute(
                "SELECT EXISTS (SELECT 1 FROM meta) AND EXISTS (SELECT 1 FROM zdicts)"
            ).fetchone()[0]
        ):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(_SCHEMA):
                conn.execute(statement)
            if not conn.execute("SELECT EXISTS (SELECT 1 FROM meta)").fetchone()[0]:
                # Only a new store gets stamps: an older one keeps its own until reindex.
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("feature_version", str(FEATURE_VERSION)),
                        ("word_reading", str(WORD_READING)),
                        ("postings_cap", str(self.postings_cap)),
                        (SITE_NAMES, "unicode"),
                    ],
                )
            conn.execute(
                "INSERT INTO zdicts(id, data) SELECT 1, ? WHERE NOT EXISTS (SELECT 1 FROM zdicts)",
                (codec.packaged_dictionary(),),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _meta_int(self, rows: dict[str, str], key: str, default: int) -> int:
        """An integer from meta, or StoreError naming the value that is not one."""
        raw = rows.get(key)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            raise StoreError(
                f"{self.path}: meta value {key} = {raw!r} is not a whole number; the store is "
                "damaged or was not written by unspin"
            ) from None

    def _check_schema(self) -> None:
        try:
            rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: not an unspin store ({exc})") from exc
        if not rows:
            raise StoreError(f"{self.path}: not an unspin store (it has no version stamps)")
        # Stores from before the cap hold every posting: the cap is set when they are
        # re-indexed; until then nothing is dropped.
        self.postings_cap = self._meta_int(rows, "postings_cap", 0) or None
        schema = self._meta_int(rows, "schema_version", SCHEMA_VERSION)
        features = self._meta_int(rows, "feature_version", FEATURE_VERSION)
        # What the store is stamped with (stats reports it): a store read as it is keeps
        # its older stamp, one opened for writing was migrated before this was read.
        self.schema_version, self.feature_version = schema, features
        # Stores from before the stamp read words the old way (1).
        self.word_reading = self._meta_int(rows, "word_reading", 1)
        if schema > SCHEMA_VERSION or features > FEATURE_VERSION:
            # Re-indexing would downgrade the store for an older unspin: never suggest it.
            raise StoreError(
                f"{self.path}: the store was written by a newer unspin (schema/fingerprints "
                f"v{schema}/v{features}; this unspin reads v{SCHEMA_VERSION}/"
                f"v{FEATURE_VERSION}); upgrade unspin: pip install --upgrade unspin"
            )
        if REINDEX_FLAG in rows and not (self._allow_stale or self._without_index):
            raise self._reindex_running(rows[REINDEX_FLAG])
        stale = features != FEATURE_VERSION or schema < MIN_READ_SCHEMA
        migratable = features == FEATURE_VERSION and schema >= MIN_MIGRATED_SCHEMA
        if stale and not self._allow_stale and migratable:
            # Only a read-only open gets here: a writable one migrated the store above.
            raise StoreError(
                f"{self.path}: the store has schema v{schema}, which this unspin reads only "
                f"once it is brought up to v{SCHEMA_VERSION} in place (seconds, nothing "
                "re-indexed), as any command that writes to the store does; where it can "
                f"be written, run once: unspin upgrade --db {self.path}"
            )
        if stale and not self._allow_stale:
            raise StoreError(
                f"{self.path}: store fingerprints/schema are version "
                f"{rows.get('feature_version')}/{rows.get('schema_version')}, this unspin uses "
                f"{FEATURE_VERSION}/{SCHEMA_VERSION}; re-index with: unspin reindex --db {self.path}"
            )

    def _reindex_running(self, started: str) -> IndexRebuilding:
        return IndexRebuilding(
            f"{self.path}: a re-index started {_when(started)} is running or was "
            "interrupted, so the index is incomplete; when none is running, finish it "
            f"with: unspin reindex --db {self.path}"
        )

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one committed state of the store (one read
        transaction), in which no re-index has started.

        Opening the store checks for a re-index only once: a trace on a store opened before
        ``unspin reindex`` emptied the postings read a half-built index and silently found
        fewer sources, or none. Inside a write transaction (or another snapshot) this is a
        no-op: that transaction already sees one state."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN")  # deferred: the first read below fixes the snapshot
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (REINDEX_FLAG,)).fetchone()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, wait_s=self.busy_timeout) from exc
        try:
            if row is not None and not self._allow_stale:
                raise self._reindex_running(row[0])
            yield
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # nothing was written: a read transaction ends here

    def _load_codec(self) -> None:
        """Read the store's compression dictionaries (a v2 store opened read-only has none)."""
        try:
            self._zdicts = dict(self.conn.execute("SELECT id, data FROM zdicts").fetchall())
        except sqlite3.OperationalError:  # a read-only v2 store has no such table
            self._zdicts = {}
        self._zdict_id = max(self._zdicts) if self._zdicts else None

    def _compress(self, text: str) -> bytes:
        zd = self._zdicts.get(self._zdict_id) if self._zdict_id is not None else None
        return codec.encode(text, self._zdict_id, zd)

    def _decompress(self, blob: bytes) -> str:
        return codec.decode(blob, self._zdicts)

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (closing a closed store does nothing)."""
        if not self._closed:
            self.conn.close()
            self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()
        # Whatever SQLite raised inside the block (a damaged page met by a query, say)
        # leaves it as one line about this store.
        if isinstance(exc, sqlite3.Error):
            raise store_error(self.path, exc, wait_s=self.busy_timeout) from exc

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) on the store's connection.

        Anything raised inside, KeyboardInterrupt included, rolls it back: a half-written
        batch must not survive. SQLite's own errors leave as the store's one-line error
        (:func:`store_error`).

        >>> with Store(":memory:") as store:
        ...     with store.transaction() as conn:
        ...         _ = conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'kept')")
        ...     try:
        ...         with store.transaction() as conn:
        ...             _ = conn.execute("INSERT INTO meta(key, value) VALUES ('gone', 'x')")
        ...             raise ValueError("no")
        ...     except ValueError:
        ...         pass
        ...     sorted(r[0] for r in store.conn.execute("SELECT key FROM meta"))[:2]
        ['feature_version', 'note']
        """
        if self.readonly:
            # SQLite's own refusal read "the file or its folder cannot be written" of a file
            # that can be: the caller asked for read-only.
            raise StoreError(
                f"{self.path}: opened read-only (readonly=True), so nothing can be added or "
                "changed; open it without readonly to write to it"
            )
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise store_error(self.path, exc, wait_s=self.busy_timeout) from exc
            raise

    def known_hashes(self, hashes: Sequence[str]) -> set[str]:
        """The given content hashes (hex, as :func:`unspin.types.content_hash`) already stored."""
        stored = self._text_keys([hash_key(h) for h in hashes])
        return {h for h in hashes if hash_key(h) in stored}

    def _text_keys(self, keys: Sequence[bytes]) -> dict[bytes, int]:
        """{stored hash (:func:`hash_key`): its text's key} for the given hashes that are
        stored, looked up 500 to a query."""
        unique = list(dict.fromkeys(keys))
        out: dict[bytes, int] = {}
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            q = f"SELECT hash, key FROM texts WHERE hash IN ({','.join('?' * len(chunk))})"
            out.update((bytes(h), int(k)) for h, k in self.conn.execute(q, chunk))
        return out

    def add_batch(
        self,
        items: Iterable[tuple[Document, Iterable[int]]],
        languages: Iterable[str | None] | None = None,
    ) -> BatchResult:
        """Store documents with their features in ONE transaction.

        A record already stored (same id, URL and text) is skipped, so re-running an
        interrupted ingest resumes where the last committed batch ended. A document whose
        text is already stored (a reprint under another id or URL) is stored without a new
        text, and its features are not counted again. ``languages``, when given, holds each
        item's language (:func:`unspin.xling.language.detect` of its text, in the same
        order; ingest's worker processes detect them); otherwise a new text's language is
        detected here, inside the transaction. ``languages`` is iterated only after the
        documents and postings are written: ingest passes one whose values its workers are
        still computing.
        """
        now = time.time()
        added = dup = new_texts = 0
        df: Counter[int] = Counter()
        rows: list[tuple[int, int]] = []
        batch_items = list(items)
        hashes = [hash_key(content_hash(doc.text)) for doc, _ in batch_items]
        # Rows go in at the end, each table's in one call: a call per document cost more
        # than the rows (benchmarks 6.4). Nothing the loop reads changes before then: it
        # keeps the keys of the texts it adds itself, and a document of this batch with the
        # same text, id and URL as another is a duplicate of it (``seen``).
        text_rows: list[tuple[int, bytes, int, bytes]] = []  # their languages come last
        text_items: list[int] = []  # the item each text row comes from
        doc_rows: list[tuple[object, ...]] = []
        with self.transaction() as conn:
            row = conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM batches").fetchone()
            batch = int(row[0])
            # Keys are given here, not by SQLite: a new text takes the key of its document.
            key = int(conn.execute("SELECT COALESCE(MAX(key), 0) FROM documents").fetchone()[0])
            text_keys = self._text_keys(hashes)
            seen: set[tuple[bytes, str, str]] = set()
            for i, ((doc, feats), h) in enumerate(zip(batch_items, hashes, strict=True)):
                record = (h, doc.id, doc.url or "")
                if record in seen:
                    dup += 1
                    continue
                seen.add(record)
                found = text_keys.get(h)
                if (
                    found is not None
                    and conn.execute(
                        "SELECT 1 FROM documents WHERE text_key = ? AND id = ? AND COALESCE(url, '') = ?",
                        (found, doc.id, doc.url or ""),
                    ).fetchone()
                ):
                    dup += 1
                    continue
                key += 1
                text_key = key if found is None else found
                if found is None:
                    text_keys[h] = key
                    text_rows.append((key, h, len(doc.text), self._compress(doc.text)))
                    text_items.append(i)
                    fs = set(feats)
                    rows.extend((f, key) for f in fs)
                    df.update(fs)
                    new_texts += 1
                doc_rows.append(
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
                    )
                )
                added += 1
            if doc_rows:
                conn.executemany(
                    "INSERT INTO documents(key, text_key, id, title, url, date, date_raw,"
                    " date_precision, site, path, kind, length, batch, ingested_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    doc_rows,
                )
            if df:
                self._write_postings(rows, df)
            # The texts go in last: their languages are read only now, after most of the
            # batch's work, so ingest's workers detect them meanwhile (benchmarks 6.5).
            if text_rows:
                conn.executemany(
                    "INSERT INTO texts(key, hash, length, text, lang) VALUES (?, ?, ?, ?, ?)",
                    [
                        (*row, lang)
                        for row, lang in zip(
                            text_rows,
                            self._languages(batch_items, text_items, languages),
                            strict=True,
                        )
                    ],
                )
            conn.execute(
                "INSERT INTO batches(batch, committed_at, documents) VALUES (?, ?, ?)",
                (batch, time.time(), added),
            )
        return BatchResult(batch, added, dup, new_texts)

    @staticmethod
    def _languages(
        items: list[tuple[Document, Iterable[int]]],
        new: list[int],
        languages: Iterable[str | None] | None,
    ) -> list[str | None]:
        """The languages of the items at ``new``: taken from ``languages`` (one per item, in
        order), or detected here, all of a batch's at once (:func:`detect_many`)."""
        if languages is None:
            return detect_many([items[i][0].text for i in new])
        given = list(languages)
        if len(given) != len(items):
            raise ValueError(f"{len(given)} languages given for a batch of {len(items)} items")
        return [given[i] for i in new]

    def _write_postings(self, rows: list[tuple[int, int]], df: Counter[int]) -> None:
        """Inside a transaction: a batch's (feature, doc) rows and their statistics. The rows
        come document by document in ascending document key, each pair once."""
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
        # In key order, B-tree pages fill sequentially instead of splitting at random. The
        # rows come in ascending document order, so a stable sort by feature alone puts them
        # in (feature, doc) order, comparing ints, not tuples (ingest: 0.24 -> 0.13 s for
        # 440,000 rows).
        rows.sort(key=itemgetter(0))
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
        stamp until the last batch is in, and carries ``REINDEX_FLAG`` in meta from the first
        change to the last, so every reader refuses a half-done re-index; it is simply run
        again (it starts over).
        """
        try:
            return self._reindex(fingerprint, batch_size, on_batch)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, wait_s=self.busy_timeout) from exc

    def _reindex(
        self,
        fingerprint: Callable[[str], Iterable[int]],
        batch_size: int,
        on_batch: Callable[[int], None] | None,
    ) -> int:
        conn = self.conn
        self.postings_cap = POSTINGS_CAP
        # Two re-indexes at once (two shells, or one started while another ran) both wrote
        # every text's postings and counted them twice: "feature statistics disagree with
        # postings", and `check` then refused the store (up to robust35). Each run now owns
        # the index by a token; the one started last wins and the other stops. The texts to
        # index are read in the transaction that empties the index, so no ingest's text is
        # counted twice (once by the ingest, once by the re-index).
        token = f"{os.getpid()}-{random.getrandbits(64):016x}"
        with self.transaction():
            conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [(REINDEX_FLAG, str(time.time())), (REINDEX_OWNER, token)],
            )
            conn.execute("DELETE FROM postings")
            conn.execute("DELETE FROM featstats")
            keys = [r[0] for r in conn.execute("SELECT key FROM texts ORDER BY key")]
        done = 0
        for i in range(0, len(keys), batch_size):
            texts = self.texts(keys[i : i + batch_size])
            rows: list[tuple[int, int]] = []
            df: Counter[int] = Counter()
            for key in sorted(texts):  # in key order, as _write_postings takes rows
                fs = set(fingerprint(texts[key]))
                rows.extend((f, key) for f in fs)
                df.update(fs)
            # SQLite's errors leave as store_error, as reindex() would have made them.
            with self.transaction():
                self._still_reindexing(token)
                if df:
                    self._write_postings(rows, df)
            done += len(texts)
            if on_batch:
                on_batch(done)
        with self.transaction():
            self._still_reindexing(token)
            conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("feature_version", str(FEATURE_VERSION)),
                    ("word_reading", str(WORD_READING)),
                    ("postings_cap", str(POSTINGS_CAP)),
                ],
            )
            conn.execute("DELETE FROM meta WHERE key IN (?, ?)", (REINDEX_FLAG, REINDEX_OWNER))
        self.schema_version, self.feature_version = SCHEMA_VERSION, FEATURE_VERSION
        self.word_reading = WORD_READING
        return done

    def _still_reindexing(self, token: str) -> None:
        """Inside a re-index's write transaction: raise StoreError when another re-index
        has taken the index over (its token replaced ``token``), before anything is written."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (REINDEX_OWNER,)).fetchone()
        if row is None or row[0] != token:
            raise StoreError(
                f"{self.path}: another re-index started on this store while this one ran; "
                "it rebuilds the whole index, so this one stopped (nothing of it is left)"
            )

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        """Documents stored (copies included; see :meth:`stats` for distinct texts)."""
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def text_count(self) -> int:
        """Distinct texts stored: the N of document frequencies (copies share a text).

        Counted again only when the store may have changed: counting walks an index of every
        text (10 ms in a 1M-document store, an eighth of a trace: benchmarks 6.3), so the
        count is kept with SQLite's ``data_version`` (it changes when another connection
        commits) and this connection's ``total_changes`` (its own writes)."""
        (version,) = self.conn.execute("PRAGMA data_version").fetchone()
        stamp = (int(version), self.conn.total_changes)
        if self._text_count is None or self._text_count[0] != stamp:
            (count,) = self.conn.execute("SELECT COUNT(*) FROM texts").fetchone()
            self._text_count = (stamp, int(count))
        return self._text_count[1]

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
        return StoredDocument.from_row(row)

    def documents(self, keys: Sequence[int]) -> dict[int, StoredDocument]:
        out: dict[int, StoredDocument] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            q = f"SELECT {_DOC_COLS} FROM documents WHERE key IN ({','.join('?' * len(chunk))})"
            out.update((r[0], StoredDocument.from_row(r)) for r in self.conn.execute(q, chunk))
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
                out.setdefault(r[0], []).append(StoredDocument.from_row(r[1:]))
        return out

    def text_keys(self, keys: Sequence[int]) -> dict[int, int]:
        """{document key: the key of its text} for the given keys that exist: what retrieval
        and ``trace`` name a document by (reprints share their first document's)."""
        out: dict[int, int] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            q = f"SELECT key, text_key FROM documents WHERE key IN ({','.join('?' * len(chunk))})"
            out.update(self.conn.execute(q, chunk).fetchall())
        return out

    def find(self, doc_id: str) -> list[StoredDocument]:
        rows = self.conn.execute(f"SELECT {_DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
        return [StoredDocument.from_row(r) for r in rows]

    def find_title(self, words: str, limit: int = 10) -> list[StoredDocument]:
        """Documents whose title contains ``words`` (ASCII case ignored), in key order."""
        rows = self.conn.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE {_contains('title')} ORDER BY key LIMIT ?",
            (words, limit),
        )
        return [StoredDocument.from_row(r) for r in rows]

    def search_metadata(
        self, words: str = "", *, offset: int = 0, limit: int = 50
    ) -> tuple[list[StoredDocument], int]:
        """Documents whose id, title, site or URL contain ``words`` (all when blank; ASCII
        case ignored, ``%`` and ``_`` matched literally) in key order, a page of them from
        ``offset``, and how many there are in all."""
        where, args = "", []
        if words.strip():
            where = " WHERE " + " OR ".join(_contains(c) for c in ("id", "title", "site", "url"))
            args = [words.strip()] * 4
        total = int(self.conn.execute(f"SELECT COUNT(*) FROM documents{where}", args).fetchone()[0])
        rows = self.conn.execute(
            f"SELECT {_DOC_COLS} FROM documents{where} ORDER BY key LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return [StoredDocument.from_row(r) for r in rows], total

    def largest_sites(self, limit: int = 50) -> list[tuple[str | None, int]]:
        """The sites with the most documents, with their counts (None: documents without a
        site), most first, then by name."""
        rows = self.conn.execute(
            "SELECT site, COUNT(*) FROM documents GROUP BY site "
            "ORDER BY COUNT(*) DESC, site LIMIT ?",
            (limit,),
        )
        return [(shown_field(site), int(n)) for site, n in rows]

    def generation(self) -> tuple[int, int]:
        """(ingest batches committed, the latest batch's number): changes whenever documents
        are added, so a result computed against the store can tell it is stale."""
        row = self.conn.execute("SELECT COUNT(*), COALESCE(MAX(batch), 0) FROM batches").fetchone()
        return int(row[0]), int(row[1])

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
            yield StoredDocument.from_row(r[:-2]), last[1]

    def features_by_document(self) -> dict[int, list[int]] | None:
        """Every document's fingerprint features (:func:`unspin.fingerprints.fingerprint` of its
        text), ascending, by document key, read from the postings: what ``cluster`` would
        compute again from the texts. None when the postings do not hold all of them: a
        feature in more than ``postings_cap`` texts lost its postings, or the store's
        features are of another version (a store read as it is)."""
        with self.snapshot():
            if self.feature_version != FEATURE_VERSION:
                return None
            if self.postings_cap is not None:
                capped = self.conn.execute(
                    "SELECT 1 FROM featstats WHERE df > ? LIMIT 1", (self.postings_cap,)
                ).fetchone()
                if capped is not None:
                    return None
            # The postings come in (feature, doc) order: each text's features ascending.
            by_text: dict[int, list[int]] = {}
            rows = self.conn.execute("SELECT doc, feature FROM postings ORDER BY feature, doc")
            for text_key, feature in rows:
                by_text.setdefault(text_key, []).append(feature)
            documents = self.conn.execute("SELECT key, text_key FROM documents").fetchall()
        return {key: by_text.get(text_key, []) for key, text_key in documents}

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

    def postings(self, features: Sequence[int]) -> list[tuple[int, int]]:
        """(feature, doc) rows for the given features."""
        out: list[tuple[int, int]] = []
        for i in range(0, len(features), 500):
            chunk = list(features[i : i + 500])
            q = f"SELECT feature, doc FROM postings WHERE feature IN ({','.join('?' * len(chunk))})"
            # fetchall, not a generator: a long article at a million documents reads ~10^5 rows.
            out += self.conn.execute(q, chunk).fetchall()
        return out

    def stats(self) -> dict[str, Any]:
        """What the store holds: ``documents`` (copies included), distinct ``texts``,
        sites, the date range, batches and size, and the schema and fingerprint versions it
        is stamped with."""
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
            "schema_version": self.schema_version,
            "feature_version": self.feature_version,
            "word_reading": self.word_reading,
        }

    def long_names(self, listed: int = 10) -> tuple[int, list[str]]:
        """Documents holding an id, title, URL, site or path of more than
        :data:`~unspin.types.MAX_FIELD_CHARS` characters, which a store written before
        robust36 may hold (every report shows such a name cut, :func:`~unspin.types.shown_field`;
        up to robust37 neither ``check`` nor ``stats`` said the store held one): how many,
        and a line for each of the first ``listed`` ('document 3: title of 9,000 characters')."""
        # Bytes first (SQLite's length() of text stops at a NUL), then characters here.
        over = " OR ".join(f"length(CAST({c} AS BLOB)) > ?" for c in _NAME_COLUMNS)
        rows = self.conn.execute(
            f"SELECT key, {', '.join(_NAME_COLUMNS)} FROM documents WHERE {over} ORDER BY key",
            (MAX_FIELD_CHARS,) * len(_NAME_COLUMNS),
        )
        count, lines = 0, list[str]()
        for key, *names in rows:
            long = [
                f"{column} of {len(name):,} characters"
                for column, name in zip(_NAME_COLUMNS, names, strict=True)
                if isinstance(name, str) and len(name) > MAX_FIELD_CHARS
            ]
            if long:
                count += 1
                if len(lines) < listed:
                    lines.append(f"document {key}: {', '.join(long)}")
        return count, lines

    def site_counts(self) -> list[SiteCount]:
        """Documents and characters of every site (``None``: documents without one)."""
        rows = self.conn.execute(
            "SELECT site, COUNT(*), COALESCE(SUM(length), 0) FROM documents GROUP BY site"
        )
        return [SiteCount(shown_field(site), n, chars) for site, n, chars in rows]

    def check(self) -> list[str]:
        """Integrity problems found (empty list = healthy): SQLite damage, per table (then
        nothing else is checked), else postings, statistics and texts that disagree."""
        return sqlite_damage(self.conn) or self.consistency_problems()

    def consistency_problems(self) -> list[str]:
        """Postings, statistics and texts that disagree with the documents (empty: none)."""
        try:
            return self._consistency()
        except sqlite3.DatabaseError as exc:  # damage integrity_check did not see
            return [f"sqlite: {exc} (while comparing postings, statistics and documents)"]

    def _consistency(self) -> list[str]:
        problems = [
            message.format(count)
            for sql, message in _COUNTED_PROBLEMS
            if (count := self.conn.execute(sql).fetchone()[0])
        ]
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


# The columns naming a document that reports show through types.shown_field.
_NAME_COLUMNS = ("id", "title", "url", "site", "path")


# Consistency checks that are one count each: (query, message with the count's place).
_COUNTED_PROBLEMS = (
    (
        "SELECT COUNT(*) FROM (SELECT DISTINCT doc FROM postings) p "
        "LEFT JOIN texts t ON t.key = p.doc WHERE t.key IS NULL",
        "{} texts in postings are missing from texts",
    ),
    (
        "SELECT COUNT(*) FROM texts WHERE length > 200 AND key NOT IN "
        "(SELECT DISTINCT doc FROM postings)",
        "{} texts have no postings",
    ),
    (
        "SELECT COUNT(*) FROM documents d LEFT JOIN texts t ON t.key = d.text_key"
        " WHERE t.key IS NULL OR t.length != d.length",
        "{} documents have no text (or the wrong one)",
    ),
)


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
    from .read.meta import normalise_site  # only here: it loads the HTML readers

    conn.execute("BEGIN IMMEDIATE")
    if "hash" not in _columns(conn, "documents"):  # another process migrated it meanwhile
        conn.execute("ROLLBACK")
        return False
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
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version' AND value = '3'")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True


def migrate_sites(conn: sqlite3.Connection) -> int:
    """Write the sites of a store made before unspin read ``xn--`` hosts as Unicode ones
    (``xn--bcher-kva.de`` is ``bücher.de``) as ingest now writes them, in place and in one
    transaction, once (the ``site_names`` stamp); the number of site names rewritten. Until
    then one site could stand in the store under both names, two nodes of the site graph."""
    if conn.execute("SELECT 1 FROM meta WHERE key = ?", (SITE_NAMES,)).fetchone():
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM meta WHERE key = ?", (SITE_NAMES,)).fetchone():
            conn.execute("ROLLBACK")  # another process did it meanwhile
            return 0
        sites = [
            r[0]
            for r in conn.execute("SELECT DISTINCT site FROM documents WHERE site LIKE '%xn--%'")
        ]
        renamed: list[tuple[str, str]] = []
        if sites:
            from .read.meta import normalise_site  # only here: it loads the HTML readers

            renamed = [(normalise_site(s), s) for s in sites if normalise_site(s) != s]
            conn.executemany("UPDATE documents SET site = ? WHERE site = ?", renamed)
        conn.execute("INSERT INTO meta(key, value) VALUES (?, 'unicode')", (SITE_NAMES,))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return len(renamed)


def migrate_v4(conn: sqlite3.Connection) -> bool:
    """Give a store whose ``texts`` table lacks the v5 column ``texts.lang`` that column, in
    place and in one transaction; True if it did. A v4 store is stamped v5 with it; a v2
    store (its texts table made by :func:`migrate_v3`) keeps its stamp until ``unspin
    reindex`` brings it to v5, and a store such a reindex stamped v5 without the column (an
    earlier unspin did) gets it too: ingest writes every new text's language there. Adding a
    nullable column rewrites nothing, so this is instant at any size; the older texts'
    languages stay unknown until ``unspin xling index`` detects them."""
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return False  # a new store, or not an unspin store: the schema check says so
    columns = _columns(conn, "texts")
    if version is None or not columns or "lang" in columns:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        if "lang" in _columns(conn, "texts"):  # another process migrated it meanwhile
            conn.execute("ROLLBACK")
            return False
        conn.execute("ALTER TABLE texts ADD COLUMN lang TEXT")
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version' AND value = '4'",
            (str(SCHEMA_VERSION),),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True
