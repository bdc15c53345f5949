"""Ingest jobs: uploaded files are added to the store in a background thread.

The request that uploads the files returns at once with a job id; pages and the API poll the
job for progress (files done, documents read and added, errors). Each job opens its own store
connection, since SQLite connections must not cross threads.

Reading and fingerprinting the files (the slow part, and the part a hostile file can make
slow) runs without any lock; only writing a batch takes the app's write lock. So one slow
upload never holds up another job, and at most :data:`MAX_RUNNING_JOBS` run at once.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, UnspinError
from ..ingest import IngestReport, ingest
from ..store import BatchResult, Store
from ..types import Document
from .busy import Slots
from .uploads import CORPUS_KINDS, Upload, stored_name, write_uploads

MAX_RUNNING_JOBS = 4  # more would only wait for the write lock while holding their files


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
            "message": self.message,
        }


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
        folder = Path(tempfile.mkdtemp(prefix="unspin-ingest-"))
        try:
            paths = write_uploads(folder, uploads, CORPUS_KINDS)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            self._slots.release()
            raise
        names = {stored_name(u, CORPUS_KINDS): u.filename for u in uploads}
        job = Job(uuid.uuid4().hex, len(paths), [u.filename for u in uploads])
        self._jobs[job.id] = job
        thread = threading.Thread(
            target=self._run, args=(job, folder, names), daemon=True, name=f"ingest-{job.id}"
        )
        try:
            thread.start()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            self._slots.release()
            raise
        return job

    def _run(self, job: Job, folder: Path, names: dict[str, str]) -> None:
        seen: set[str] = set()

        def on_item(report: IngestReport, item: Document | InputError) -> None:
            job.read = report.read
            # Files are read in name order; a new file name means the previous one is done.
            name = _file_name(item.path, names)
            if name not in seen:
                seen.add(name)
                job.done_files = len(seen) - 1
            if isinstance(item, InputError):
                # Show the user's own file name, never the temporary path.
                job.errors.append(f"{names.get(name, 'upload')}: {item.problem}")

        state, message = "done", None
        try:
            with _SerialWrites(self.db, self._write_lock) as store:
                job.state = "running"
                # The folder, not each file: document ids become "upload-<hash>.txt", free of
                # the temporary folder's name.
                report = ingest([folder], store, batch_size=200, on_item=on_item)
                job.added, job.duplicates = report.added, report.duplicates
                job.done_files = job.files
        except UnspinError as exc:
            state, message = "failed", str(exc)
        except Exception as exc:  # a thread must report, not die silently
            state, message = "failed", f"internal error {type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self._slots.release()
            # Finished only once its slot is free: a finished job never counts as running.
            job.message = message
            job.state = state


class _SerialWrites(Store):
    """A store connection whose batch writes take the app's write lock; reading takes none."""

    def __init__(self, db: str, write_lock: threading.Lock) -> None:
        super().__init__(db, create=True)
        self._write_lock = write_lock

    def add_batch(self, items: Iterable[tuple[Document, Iterable[int]]]) -> BatchResult:
        with self._write_lock:
            return super().add_batch(items)


def _file_name(path: str | None, names: dict[str, str]) -> str:
    """Which uploaded file a document or error path (``file`` or ``file#record``) belongs to."""
    base = Path((path or "").split("#", 1)[0]).name
    return next((n for n in names if base.startswith(n)), base)
