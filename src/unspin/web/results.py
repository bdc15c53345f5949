"""Permanent results: every trace or compare the app runs is kept, keyed by a hash of its input.

The results live in their own SQLite file beside the store (``<db>.results.sqlite``), so the
store's schema is never touched. Where the store's folder cannot be written, they go to the
user's cache folder instead (or, failing that, a temporary folder for this run), and
:func:`open_results` says so in ``ResultStore.note``, which ``unspin serve`` prints. A row holds
the versioned JSON report (:func:`unspin.report.to_json`), the source texts the report points
into (compare sources are not in the store) and the spin score when one was computed. The
report is turned back into a ``TraceResult`` with :func:`from_json` to re-render the page.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import prune
from ..errors import StoreError
from ..report import to_json
from ..types import (
    Edit,
    Passage,
    RelatedDocument,
    Segment,
    SourceMatch,
    Span,
    StoredDocument,
    TraceResult,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT,
    created REAL NOT NULL,
    report TEXT NOT NULL,
    source_texts TEXT NOT NULL,
    spin TEXT
);
-- In the user's cache: the absolute path of the store the results are of (file-system
-- bytes), so that the results of a store that is gone can be found and deleted.
CREATE TABLE IF NOT EXISTS kept_for (store BLOB NOT NULL);
"""


def result_id(kind: str, **inputs: Any) -> str:
    """A content hash of everything that decides a result (32 hex digits)."""
    payload = json.dumps({"kind": kind, **inputs}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def results_path(db: str | Path) -> Path:
    """Where the results of the store ``db`` are kept."""
    p = Path(db)
    return p.with_name(p.name + ".results.sqlite")


def open_results(db: str | Path, cache_dir: str | Path | None = None) -> ResultStore:
    """The results of the store ``db``: beside it when its folder can be written, else in
    ``cache_dir`` (default: the user's cache folder), else in a temporary folder. Opening
    them deletes the results in ``cache_dir`` of stores that are gone (:func:`prune_results`)."""
    if cache_dir is None:
        import platformdirs

        cache_dir = platformdirs.user_cache_dir("unspin")
    kept = _opened_results(db, Path(cache_dir))
    prune_results(Path(cache_dir), keep=Path(kept.path))
    return kept


def _opened_results(db: str | Path, cache_dir: Path) -> ResultStore:
    beside = results_path(db)
    kept = _try_results(beside)
    if kept is not None:
        return kept
    # One file per store, named after its absolute path, so two stores never share results.
    where = str(Path(db).absolute()).encode("utf-8", "surrogateescape")
    name = f"{Path(db).name}.{hashlib.sha256(where).hexdigest()[:12]}.results.sqlite"
    elsewhere = Path(cache_dir) / name
    why = f"{beside.parent} cannot be written"
    kept = _try_results(
        elsewhere, f"{why} (read-only); results are kept in {elsewhere}", store=Path(db)
    )
    if kept is not None:
        return kept
    try:
        folder = tempfile.mkdtemp(prefix="unspin-results-")
    except OSError as exc:
        raise StoreError(
            f"{db}: nowhere to keep results: {why}, nor {cache_dir}, nor a temporary folder "
            f"({exc.strerror}); set XDG_CACHE_HOME to a writable folder"
        ) from exc
    # "Results last only this run": the folder goes when the process ends, not into /tmp for good.
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    scratch = Path(folder) / name
    return ResultStore(
        scratch, f"{why} (read-only), nor {cache_dir}; results last only this run, in {scratch}"
    )


# A results file that open_results names in the user's cache: "<store name>.<hash>.results.sqlite".
_CACHED_RESULTS = re.compile(r".+\.[0-9a-f]{12}\.results\.sqlite", re.DOTALL)


def prune_results(cache_dir: Path, *, keep: Path | None = None) -> list[Path]:
    """Delete the results files in ``cache_dir`` whose store is gone (its folder is there,
    the store is not); return them. Up to robust30 they stayed for good: a store deleted
    after ``unspin serve`` kept its results in the cache. Kept: ``keep``, the results of a
    store whose folder is missing (a drive not mounted now), and a file that says nothing of
    its store (an older unspin's) or cannot be read now."""
    return prune(cache_dir, lambda path: path != keep and _store_gone(path))


def _store_gone(path: Path) -> bool:
    if not _CACHED_RESULTS.fullmatch(path.name):
        return False
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT store FROM kept_for").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    if row is None or not isinstance(row[0], bytes):
        return False
    store = Path(os.fsdecode(row[0]))
    return store.parent.is_dir() and not store.exists()


def _try_results(
    path: Path, note: str | None = None, *, store: Path | None = None
) -> ResultStore | None:
    """A ResultStore at ``path``, or None where it cannot be written (checked up front:
    root may write anywhere, and SQLite also needs to write a journal beside the file)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.R_OK | os.W_OK)
    ):
        return None
    try:
        return ResultStore(path, note, store=store)
    except sqlite3.Error:
        return None


@dataclass(frozen=True, slots=True)
class StoredResult:
    """One kept result, ready to render."""

    id: str
    kind: str
    name: str | None
    created: float
    result: TraceResult
    source_texts: dict[int, str]
    report: dict[str, Any]
    spin: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class KeptReport:
    """A kept report that renders from its JSON alone (a cross-language trace)."""

    id: str
    kind: str
    name: str | None
    created: float
    report: dict[str, Any]


class ResultStore:
    """The ``results`` table; a short-lived connection per call keeps it thread-safe.
    ``note`` says why the results are not beside the store (None when they are)."""

    def __init__(
        self, path: str | Path, note: str | None = None, *, store: Path | None = None
    ) -> None:
        self.path = str(path)
        self.note = note
        conn = self._connect()
        try:
            with conn:
                conn.executescript(_SCHEMA)
                if store is not None:  # see prune_results
                    conn.execute(
                        "INSERT INTO kept_for SELECT ? WHERE NOT EXISTS (SELECT 1 FROM kept_for)",
                        (os.fsencode(store.absolute()),),
                    )
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    def save(
        self,
        rid: str,
        kind: str,
        result: TraceResult,
        source_texts: Mapping[int, str],
        *,
        name: str | None = None,
        spin: dict[str, Any] | None = None,
    ) -> None:
        """Keep ``result`` under ``rid`` (a second save of the same id keeps the first)."""
        report = json.dumps(to_json(result, source_texts), ensure_ascii=False)
        texts = json.dumps({str(k): v for k, v in source_texts.items()}, ensure_ascii=False)
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO results(id, kind, name, created, report, source_texts, spin)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rid, kind, name, time.time(), report, texts, json.dumps(spin) if spin else None),
            )

    def save_report(
        self, rid: str, kind: str, report: Mapping[str, Any], *, name: str | None = None
    ) -> None:
        """Keep a report that holds every text it shows (a cross-language trace, whose
        passages carry both sentences) under ``rid``; :meth:`load_report` reads it back."""
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO results(id, kind, name, created, report, source_texts)"
                " VALUES (?, ?, ?, ?, ?, '{}')",
                (rid, kind, name, time.time(), json.dumps(report, ensure_ascii=False)),
            )

    def load_report(self, rid: str, kind: str) -> KeptReport | None:
        """The report of ``kind`` kept under ``rid`` by :meth:`save_report`, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, name, created, report FROM results WHERE id = ? AND kind = ?",
                (rid, kind),
            ).fetchone()
        return None if row is None else KeptReport(row[0], kind, row[1], row[2], json.loads(row[3]))

    def load(self, rid: str) -> StoredResult | None:
        """The trace or compare result kept under ``rid``, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, kind, name, created, report, source_texts, spin FROM results"
                " WHERE id = ? AND kind IN ('trace', 'compare')",
                (rid,),
            ).fetchone()
        if row is None:
            return None
        report = json.loads(row[4])
        texts = {int(k): v for k, v in json.loads(row[5]).items()}
        spin = json.loads(row[6]) if row[6] else None
        return StoredResult(row[0], row[1], row[2], row[3], from_json(report), texts, report, spin)


def from_json(report: Mapping[str, Any]) -> TraceResult:
    """Rebuild a ``TraceResult`` from a report written by :func:`unspin.report.to_json`.

    The report must include the article text (``include_text=True``, the default).
    """
    sources = tuple(
        SourceMatch(
            document=StoredDocument.from_dict(s["document"]),
            rank=s["rank"],
            score=s["score"],
            coverage=s["coverage"],
            passages=tuple(_passage(p) for p in s["passages"]),
            owned=tuple(Span(o["start"], o["end"]) for o in s.get("owned", ())),
            copies=tuple(StoredDocument.from_dict(c) for c in s.get("copies", ())),
            shared_wording=s.get("shared_wording"),
        )
        for s in report["sources"]
    )
    related = tuple(
        RelatedDocument(StoredDocument.from_dict(r["document"]), r["overlap"])
        for r in report.get("related", ())
    )
    segments = tuple(
        Segment(g["start"], g["end"], g["source_key"], g["spin"]) for g in report["segments"]
    )
    stats = report.get("stats", {})
    return TraceResult(
        article=report["article"]["text"],
        sources=sources,
        segments=segments,
        candidates_considered=stats.get("candidates_considered", 0),
        capped=stats.get("capped", False),
        seconds=stats.get("seconds", 0.0),
        restored=report.get("restored"),
        meta=dict(report.get("meta") or {}),
        related=related,
    )


def _passage(p: Mapping[str, Any]) -> Passage:
    edit_fields = Edit.__slots__
    edits = tuple(Edit(**{k: e[k] for k in edit_fields if k in e}) for e in p["edits"])
    return Passage(
        p["source_start"], p["source_end"], p["target_start"], p["target_end"], p["score"], edits
    )
