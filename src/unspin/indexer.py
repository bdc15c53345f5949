"""Ingest: read inputs, fingerprint them and store them in transactional batches.

Reading and fingerprinting happen outside the write transaction; each batch is then written
in one transaction (see :meth:`unspin.store.Store.add_batch`). A crash loses at most the batch
in flight; re-running skips every document already stored (content hash), so ingest resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .features import fingerprint
from .ingest import Limits, iter_inputs
from .store import Store
from .types import Document


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0
    duplicates: int = 0
    batches: int = 0
    characters: int = 0
    errors: list[InputError] = field(default_factory=list)


ProgressFn = Callable[[IngestReport, Document | InputError], None]


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    batch_size: int = 500,
    limits: Limits | None = None,
    on_item: ProgressFn | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read every input under ``paths`` into ``store``; bad files are reported, not fatal."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = IngestReport()
    batch: list[tuple[Document, set[int]]] = []

    def flush() -> None:
        if not batch:
            return
        res = store.add_batch(batch)
        report.added += res.added
        report.duplicates += res.duplicates
        report.batches += 1
        batch.clear()
        if on_batch:
            on_batch(report)

    for item in iter_inputs(paths, limits or Limits()):
        if isinstance(item, InputError):
            report.errors.append(item)
        else:
            report.read += 1
            report.characters += len(item.text)
            batch.append((item, fingerprint(item.text)))
            if len(batch) >= batch_size:
                flush()
        if on_item:
            on_item(report, item)
    flush()
    return report
