"""Ingest jobs read their files outside the write lock, and only so many run at once.

Before: a job held the app's one job lock for its whole ingest, reading included, so an upload
that was slow to read (a hostile HTML page took lxml over 100 s) held up every other upload.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from unspin.store import Store
from unspin.web.busy import Busy
from unspin.web.jobs import Job, Jobs
from unspin.web.uploads import Upload


def _big_text(chars: int) -> bytes:
    """A long article of varied words (slow to fingerprint, nothing to deduplicate)."""
    rng = random.Random(7)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(5000)
    ]
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(12)).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out).encode()


def _new_jobs(tmp_path: Path) -> tuple[Path, Jobs]:
    """A new store and the app's jobs writing to it."""
    db = tmp_path / "jobs.db"
    Store(db, create=True).close()
    return db, Jobs(str(db))


def _wait(job: Job) -> None:
    while not job.finished:
        time.sleep(0.01)  # not a timing check: only lets the job threads have the GIL


def test_a_small_upload_finishes_while_a_big_one_is_still_read(tmp_path: Path) -> None:
    db, jobs = _new_jobs(tmp_path)
    big = jobs.start([Upload("big.txt", _big_text(2_000_000))])
    small = jobs.start([Upload("small.txt", b"The tin council met in London again today.")])
    _wait(small)
    # The big upload is still being read (or written) when the small one is done: it never
    # held the lock while reading.
    assert small.state == "done" and small.added == 1, small.to_dict()
    assert not big.finished, big.to_dict()
    _wait(big)
    assert big.state == "done" and big.added == 1, big.to_dict()
    with Store(db, create=False) as store:
        assert store.count() == 2


def test_jobs_past_the_bound_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "jobs.db"
    Store(db, create=True).close()
    jobs = Jobs(str(db), max_running=1)
    first = jobs.start([Upload("big.txt", _big_text(1_000_000))])
    with pytest.raises(Busy, match="busy: 1 ingest job is running"):
        jobs.start([Upload("small.txt", b"The tin council met in London again today.")])
    _wait(first)
    assert first.state == "done" and jobs.running() == 0
    second = jobs.start([Upload("small.txt", b"The tin council met in London again today.")])
    _wait(second)
    assert second.state == "done"


def test_uploads_are_read_in_memory_as_ingest_reads_files(tmp_path: Path) -> None:
    """A JSON Lines upload with a bad record, a page and gzip JSON Lines: the good records are
    stored under the ids a folder ingest gives them, the bad one is named by the user's file
    name, and no path of a temporary folder reaches the store."""
    import gzip

    db, jobs = _new_jobs(tmp_path)
    records = (
        b'{"id": "wire-1", "text": "The tin council met in London today.", "url": '
        b'"https://wire.example/tin"}\n{"id": "wire-2", "text": ""}\n'
        b'{"id": "wire-3", "text": "Cocoa prices rose in Accra."}\n'
    )
    page = b"<html><body><article><p>Coffee talks failed in London on Monday.</p></article></body></html>"
    job = jobs.start(
        [
            Upload("feed.jsonl", records),
            Upload("page.html", page),
            Upload("gold.jsonl.gz", gzip.compress(b'{"id": "wire-4", "text": "Gold rose."}\n')),
            Upload("again.jsonl", records),  # the same content: read once
        ]
    )
    _wait(job)
    assert job.state == "done", job.to_dict()
    assert (job.files, job.done_files, job.read, job.added) == (3, 3, 4, 4)
    assert job.errors == ["again.jsonl: field 'text' is empty"]  # the last name given wins
    with Store(db, create=False) as store:
        docs = [d for d, _ in store.iter_documents()]
    assert sorted(d.id for d in docs if d.id.startswith("wire-")) == ["wire-1", "wire-3", "wire-4"]
    (page_doc,) = [d for d in docs if not d.id.startswith("wire-")]
    assert page_doc.id.startswith("upload-") and page_doc.id.endswith(".html")
    assert all(d.path is None or "/" not in d.path for d in docs), [d.path for d in docs]


def test_a_job_reports_what_it_stored_without_and_what_it_changed(tmp_path: Path) -> None:
    # Before (robust26): the job said nothing of it (`unspin ingest` prints both): a web
    # upload lost dates, URLs and NUL bytes without a word.
    _, jobs = _new_jobs(tmp_path)
    records = (
        b'{"id": "a", "text": "The tin council met in London today.", "date": "last week"}\n'
        b'{"id": "b", "text": "Cocoa prices rose in Accra.", "date": "sometime"}\n'
        b'{"id": "c", "text": "Gold rose in Zurich.", "url": "not a url at all"}\n'
    )
    job = jobs.start(
        [Upload("feed.jsonl", records), Upload("note.txt", b"Rain fell\x00 in Kiel on Monday.")]
    )
    _wait(job)
    assert job.state == "done" and job.added == 4 and not job.errors, job.to_dict()
    assert job.to_dict()["warnings"] == [
        "note.txt: 1 stray NUL character was removed from the text",
        "2 documents stored without their date (first: feed.jsonl#1: field 'date' is not a "
        "date unspin reads: 'last week')",
        "1 documents stored without their url (first: feed.jsonl#3: field 'url' is not a url: "
        "'not a url at all')",
    ]
