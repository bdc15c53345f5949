"""Ingest jobs: uploaded files are added to the corpus in a background thread.

The request that uploads the files returns at once with a job id; pages and the API poll the
job for progress (files done, documents read and added, errors). Each job opens its own store
connection, since SQLite connections must not cross threads. Uploads are read from their bytes
in memory (:func:`unspin.read.readers.read_bytes`) and added with :meth:`unspin.Corpus.add`,
as ``unspin ingest`` would read them from a folder; nothing is written to a temporary folder.

Reading and fingerprinting the files (the slow part, and the part a hostile file can make
slow) runs without any lock; only writing a batch takes the app's write lock. So one slow
upload never holds up another job, and at most :data:`MAX_RUNNING_JOBS` run at once.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..api import Corpus
from ..errors import InputError, InputWarning, UnspinError
from ..read import read_bytes
from ..store import BatchResult, Store
from ..types import Document
from .busy import Slots
from .uploads import CORPUS_KINDS, Upload, unique_uploads

MAX_RUNNING_JOBS = 4  # more would only wait for the write lock while holding their files
BATCH_SIZE = 200  # documents a write (and its lock) holds: short, so jobs take turns


@dataclass
class Job:
    """Progress of one ingest job (updated by its thread, read by requests)."""

    id: str
    files: int
    names: list[str]
    done_files: int = 0
    read: int = 0
    added: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    # What reading changed in inputs still stored (NUL bytes removed...), as ingest prints it.
    warnings: list[str] = field(default_factory=list)
    # Optional fields dropped as unusable, by field: how many documents, and the first case.
    field_warnings: Counter[str] = field(default_factory=Counter)
    field_warning_examples: dict[str, str] = field(default_factory=dict)
    state: str = "queued"  # queued | running | done | failed
    message: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def fraction(self) -> float:
        return 1.0 if self.finished else self.done_files / max(1, self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "files": self.files,
            "done_files": self.done_files,
            "fraction": round(self.fraction, 4),
            "read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "errors": list(self.errors),
            "warnings": self.warning_lines(),
            "message": self.message,
        }

    def warning_lines(self) -> list[str]:
        """The notes, then one line per dropped field, as ``unspin ingest`` words them."""
        return [
            *self.warnings,
            *(
                f"{n} documents stored without their {name} "
                f"(first: {self.field_warning_examples[name]})"
                for name, n in sorted(self.field_warnings.items())
            ),
        ]


class Jobs:
    """The ingest jobs of one app (kept in memory; they are progress, not results)."""

    def __init__(self, db: str, max_running: int = MAX_RUNNING_JOBS) -> None:
        self.db = db
        self._jobs: dict[str, Job] = {}
        # One batch written at a time (SQLite serialises writers anyway; this keeps the app's
        # own jobs from timing out on each other). Never held while a file is read.
        self._write_lock = threading.Lock()
        self._slots = Slots("ingest job", running=max_running, waiting=0)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self) -> int:
        """Jobs started and not finished."""
        return self._slots.state().running

    def start(self, uploads: Sequence[Upload]) -> Job:
        """Check and write the uploads, then ingest them in a thread; return the job.

        Raises :class:`unspin.web.busy.Busy` when :data:`MAX_RUNNING_JOBS` already run.
        """
        if not uploads:
            raise InputError(None, "no files were uploaded")
        if not self._slots.try_acquire():
            raise self._slots.busy()
        try:
            named = unique_uploads(uploads, CORPUS_KINDS)
            job = Job(uuid.uuid4().hex, len(named), [u.filename for u in uploads])
            self._jobs[job.id] = job
            thread = threading.Thread(
                target=self._run, args=(job, named), daemon=True, name=f"ingest-{job.id}"
            )
            thread.start()
        except BaseException:
            self._slots.release()
            raise
        return job

    def _run(self, job: Job, named: list[tuple[str, Upload]]) -> None:
        state, message = "done", None
        try:
            with Corpus.from_store(_SerialWrites(self.db, self._write_lock)) as corpus:
                job.state = "running"
                for done, (name, upload) in enumerate(named):
                    self._add_file(job, corpus, name, upload)
                    job.done_files = done + 1
        except UnspinError as exc:
            state, message = "failed", str(exc)
        except Exception as exc:  # a thread must report, not die silently
            state, message = "failed", f"internal error {type(exc).__name__}: {exc}"
        finally:
            self._slots.release()
            # Finished only once its slot is free: a finished job never counts as running.
            job.message = message
            job.state = state

    @staticmethod
    def _add_file(job: Job, corpus: Corpus, name: str, upload: Upload) -> None:
        """Read one upload and add its documents, :data:`BATCH_SIZE` at a time."""
        batch: list[Document] = []

        def flush() -> None:
            if batch:
                report = corpus.add(batch)
                job.added += report.added
                job.duplicates += report.duplicates
                batch.clear()

        for item in read_bytes(upload.data, name):
            # Show the user's own file name, never the name it was read under.
            if isinstance(item, InputWarning):
                job.warnings.append(f"{upload.filename}{_record(item.path)}: {item.problem}")
                continue
            if isinstance(item, InputError):
                job.errors.append(f"{upload.filename}: {item.problem}")
                continue
            for w in item.warnings:
                job.field_warnings[w.field] += 1
                job.field_warning_examples.setdefault(
                    w.field, f"{upload.filename}{_record(item.path)}: {w.message}"
                )
            job.read += 1
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                flush()
        flush()


def _record(path: str | None) -> str:
    """The ``#N`` that names a record of a file in ``path`` ("" for a whole file)."""
    return path[path.rfind("#") :] if path and "#" in path else ""


class _SerialWrites(Store):
    """A store connection whose batch writes take the app's write lock; reading takes none."""

    def __init__(self, db: str, write_lock: threading.Lock) -> None:
        super().__init__(db, create=True)
        self._write_lock = write_lock

    def add_batch(
        self,
        items: Iterable[tuple[Document, Iterable[int]]],
        languages: Iterable[str | None] | None = None,
    ) -> BatchResult:
        with self._write_lock:
            return super().add_batch(items, languages)
