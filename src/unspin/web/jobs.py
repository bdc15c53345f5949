"""Ingest jobs: uploaded files are added to the store in a background thread.

The request that uploads the files returns at once with a job id; pages and the API poll the
job for progress (files done, documents read and added, errors). Each job opens its own store
connection, since SQLite connections must not cross threads.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, UnspinError
from ..indexer import IngestReport, ingest
from ..store import Store
from ..types import Document
from .uploads import CORPUS_KINDS, Upload, stored_name, write_uploads


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

    def __init__(self, db: str) -> None:
        self.db = db
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()  # one writer at a time: SQLite serialises them anyway

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def start(self, uploads: Sequence[Upload]) -> Job:
        """Check and write the uploads, then ingest them in a thread; return the job."""
        if not uploads:
            raise InputError(None, "no files were uploaded")
        folder = Path(tempfile.mkdtemp(prefix="unspin-ingest-"))
        try:
            paths = write_uploads(folder, uploads, CORPUS_KINDS)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        names = {stored_name(u, CORPUS_KINDS): u.filename for u in uploads}
        job = Job(uuid.uuid4().hex, len(paths), [u.filename for u in uploads])
        self._jobs[job.id] = job
        thread = threading.Thread(
            target=self._run, args=(job, folder, names), daemon=True, name=f"ingest-{job.id}"
        )
        thread.start()
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

        try:
            with self._lock, Store(self.db, create=True) as store:
                job.state = "running"
                # The folder, not each file: document ids become "upload-<hash>.txt", free of
                # the temporary folder's name.
                report = ingest([folder], store, batch_size=200, on_item=on_item)
                job.added, job.duplicates = report.added, report.duplicates
                job.done_files = job.files
            job.state = "done"
        except UnspinError as exc:
            job.state, job.message = "failed", str(exc)
        except Exception as exc:  # a thread must report, not die silently
            job.state, job.message = "failed", f"internal error {type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _file_name(path: str | None, names: dict[str, str]) -> str:
    """Which uploaded file a document or error path (``file`` or ``file#record``) belongs to."""
    base = Path((path or "").split("#", 1)[0]).name
    return next((n for n in names if base.startswith(n)), base)
