"""Ingest: read inputs, fingerprint them and store them in transactional batches.

Reading and fingerprinting happen outside the write transaction; each batch is then written
in one transaction (see :meth:`unspin.store.Store.add_batch`). A crash loses at most the batch
in flight; re-running skips every record already stored (same id, URL and text), so ingest
resumes, and a text already stored is not fingerprinted again (its features are never read). A record whose title, URL, site or date is unusable is stored without it and counted
in ``IngestReport.warnings``.

With ``workers > 1`` fingerprinting runs in a process pool, one batch ahead of the writer: the
main process reads batch k+1 and writes batch k while the workers fingerprint. Batches, their
order, their transactions and every callback are exactly those of the serial path (a test pins
the stored documents and postings to it), so ``on_batch`` still means "everything reported as
read so far is committed".
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.queues import SimpleQueue
from pathlib import Path

from .cpus import usable_cpus
from .errors import InputError, InputWarning, UnspinError
from .fingerprints import fingerprint
from .read import Limits, iter_inputs, store_files
from .store import Store
from .types import Document, content_hash
from .xling import index as xling_index
from .xling import require as xling_require
from .xling.language import detect_many


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0  # documents stored (copies of a stored text included)
    duplicates: int = 0  # records already stored: same id, URL and text
    batches: int = 0
    characters: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    texts_added: int = 0  # of the documents stored, those whose text was new
    # Optional fields dropped as unusable, by field (the documents are stored without them),
    # and the first such problem of each field with where it was.
    field_warnings: Counter[str] = field(default_factory=Counter)
    field_warning_examples: dict[str, str] = field(default_factory=dict)


ProgressFn = Callable[[IngestReport, Document | InputError], None]
Item = Document | InputError | InputWarning


def default_workers() -> int:
    """Fingerprinting processes worth starting here: two where there are two cores."""
    return min(2, usable_cpus())


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    batch_size: int = 5000,
    limits: Limits | None = None,
    on_item: ProgressFn | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    workers: int = 1,
    on_warning: Callable[[InputWarning], None] | None = None,
    xling: bool = False,
) -> IngestReport:
    """Read every input under ``paths`` into ``store``; bad files are reported, not fatal.

    ``workers`` > 1 fingerprints in that many processes while this one reads and writes; the
    result in the store is identical to ``workers=1``. The store's own files are never read
    as input (an ingest of the folder that holds the store). ``on_warning`` sees each note
    about a document that reading changed (they are also kept in ``IngestReport.warnings``).
    ``xling`` makes the store keep cross-language vectors from now on (:mod:`unspin.xling`);
    a store that keeps them gets them for every new text, after each batch's commit (also
    when ``unspin xling index`` marked it as keeping them while this ingest ran).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    report = IngestReport()
    # Each document with its features: None until flush() fingerprints it (serial path).
    batch: list[tuple[Document, Iterable[int] | None]] = []
    # The batch's languages when the workers detect them (parallel path: the chunk's, whose
    # batch is exactly the chunk's documents), else None: the store detects them itself.
    languages: Iterable[str | None] | None = None
    vectors = xling or xling_index.enabled(store)
    if vectors:
        # Before anything is read: without the extra, fail at once, not after a batch.
        xling_require()
        if xling:
            xling_index.enable(store)

    def flush() -> None:
        nonlocal vectors
        if not batch:
            return
        res = store.add_batch(_with_features(store, batch), languages)
        report.added += res.added
        report.duplicates += res.duplicates
        report.texts_added += res.texts_added
        report.batches += 1
        batch.clear()
        # Asked after every commit, not once: `unspin xling index` may have marked the store
        # while this ingest ran, and it indexes only the texts there were when it started.
        if not vectors and xling_index.enabled(store):
            xling_require()  # the store wants vectors: without the extra, stop here
            vectors = True
        if vectors:
            xling_index.index_missing(store)
        if on_batch:
            on_batch(report)

    def take(item: Item, feats: Iterable[int] | None) -> None:
        if isinstance(item, InputWarning):
            report.warnings.append(item)
            if on_warning:
                on_warning(item)
            return
        if isinstance(item, InputError):
            report.errors.append(item)
        else:
            report.read += 1
            report.characters += len(item.text)
            for w in item.warnings:
                report.field_warnings[w.field] += 1
                report.field_warning_examples.setdefault(w.field, f"{item.path}: {w.message}")
            batch.append((item, feats))
            if len(batch) >= batch_size:
                flush()
        if on_item:
            on_item(report, item)

    items = iter_inputs(paths, limits or Limits(), skip=store_files(store.path))
    if workers == 1:
        for item in items:
            take(item, None)
    else:
        # Closed on the way out, whatever ends the loop (Ctrl-C in the writer, say), so the
        # pool is shut down here and not left for interpreter exit, which would wait on it.
        chunked = _fingerprinted_chunks(items, batch_size, workers, store.known_hashes)
        with contextlib.closing(chunked) as chunks:
            for chunk, done, chunk_languages in chunks:
                languages = chunk_languages  # read by flush(), at the chunk's last document
                it = iter(done)
                for item in chunk:
                    take(item, next(it) if isinstance(item, Document) else None)
    flush()
    return report


class _Unread:
    """The features of a document whose text was already stored when its batch was read:
    :meth:`Store.add_batch` reads the features of new texts alone, so these are never
    made (a resumed or repeated ingest, a reprint under another id). Texts are never
    deleted from a store; should one be new after all, its features are made when read."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __iter__(self) -> Iterator[int]:
        return iter(fingerprint(self.text))


def _stored(texts: list[str], known: Callable[[Sequence[str]], set[str]]) -> list[bool]:
    """Whether each text is already stored (``known``: :meth:`Store.known_hashes`)."""
    hashes = [content_hash(t) for t in texts]
    found = known(hashes)
    return [h in found for h in hashes]


def _with_features(
    store: Store, batch: list[tuple[Document, Iterable[int] | None]]
) -> list[tuple[Document, Iterable[int]]]:
    """The batch with the features it lacks (serial path), made outside the write
    transaction: fingerprints of the texts the store does not hold yet, :class:`_Unread`
    for the others."""
    todo = [doc.text for doc, feats in batch if feats is None]
    stored = iter(_stored(todo, store.known_hashes))
    out: list[tuple[Document, Iterable[int]]] = []
    for doc, feats in batch:
        if feats is None:
            feats = _Unread(doc.text) if next(stored) else fingerprint(doc.text)
        out.append((doc, feats))
    return out


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    """Runs of items holding ``size`` documents each (errors ride along where they came)."""
    chunk: list[Item] = []
    docs = 0
    for item in items:
        chunk.append(item)
        if isinstance(item, Document):
            docs += 1
            if docs == size:
                yield chunk
                chunk, docs = [], 0
    if chunk:
        yield chunk


def _fingerprinted_chunks(
    items: Iterator[Item], size: int, workers: int, known: Callable[[Sequence[str]], set[str]]
) -> Generator[
    tuple[list[Item], list[Iterable[int]], Iterator[str | None]],
    None,
    None,
]:
    """Chunks with their documents' fingerprints, computed in a pool one chunk ahead, and
    their languages, still being computed when a chunk is handed over. A text already
    stored when its chunk is read (``known``: :meth:`Store.known_hashes`) goes to no
    worker: its features are never read (:class:`_Unread`), its language is None.

    Languages are off the writer's path twice over: detecting them in the writer cost 14%
    of an ingest into a large store (benchmarks 6.1), and waiting for them with the
    fingerprints kept the writer idle at the start (6.4). Each chunk's language tasks are
    queued after its fingerprint tasks, and :meth:`Store.add_batch` reads the languages
    only after writing the batch's documents and postings: the writer waits for the
    fingerprints alone (6.5). The workers load the language model on their first language
    task, once the first fingerprints are back, not before.

    A process pool that notices a worker dying (the system's out-of-memory killer, say):
    the ingest stops with :class:`WorkerDied`, keeping every committed batch. A
    ``multiprocessing.Pool`` lost the dead worker's task and waited for it for ever, or
    deadlocked on the task queue's lock the dead worker held."""
    fork = os.name == "posix"
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    # Each worker puts its process id here when it starts: the executor has no public way
    # to name its workers (``_processes`` is private; ``terminate_workers`` is Python 3.14),
    # and ``multiprocessing.active_children()`` would also name the workers of other pools
    # (the web app runs ingest jobs beside each other in one process).
    started: SimpleQueue[int] = ctx.SimpleQueue()
    pool = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(), started)
    )
    finished = False
    try:
        # A chunk, its texts, which of them are stored, and their workers' jobs.
        pending: (
            tuple[
                list[Item],
                list[str],
                list[bool],
                list[Future[_Fingerprints]],
                list[Future[_Languages]],
            ]
            | None
        ) = None
        for chunk in _chunks(items, size):
            texts = [d.text for d in chunk if isinstance(d, Document)]
            stored = _stored(texts, known)
            new = [t for t, held in zip(texts, stored, strict=True) if not held]
            step = max(1, len(new) // (4 * workers))  # a few tasks per worker: even load
            parts = [new[i : i + step] for i in range(0, len(new), step)]
            try:
                fps = [pool.submit(_fingerprint_many, part) for part in parts]
                langs = [pool.submit(_languages_many, part) for part in parts]
            except BrokenProcessPool:
                raise WorkerDied() from None
            if pending is not None:
                yield _handed_over(*pending)
            pending = (chunk, texts, stored, fps, langs)
        if pending is not None:
            yield _handed_over(*pending)
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)  # idle workers: they leave at once
        else:
            # Ctrl-C, an error in the writer, a dead worker: no worker outlives the ingest
            # (they ignore SIGINT, and would otherwise finish their task first).
            pool.shutdown(wait=False, cancel_futures=True)
            for pid in _drain(started):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
        started.close()


def _handed_over(
    chunk: list[Item],
    texts: list[str],
    stored: list[bool],
    fps: list[Future[_Fingerprints]],
    langs: list[Future[_Languages]],
) -> tuple[list[Item], list[Iterable[int]], Iterator[str | None]]:
    """A chunk with each document's features and language, in order: the workers' for new
    texts, :class:`_Unread` and None for those already stored."""
    made = iter(_results(fps))
    features: list[Iterable[int]] = [
        _Unread(t) if held else next(made) for t, held in zip(texts, stored, strict=True)
    ]
    detected = _lazy_results(langs)
    languages = (None if held else next(detected) for held in stored)
    return chunk, features, languages


def _drain(queue: SimpleQueue[int]) -> list[int]:
    """Everything put in ``queue`` so far (the ids of the workers that have started)."""
    out: list[int] = []
    with contextlib.suppress(OSError, EOFError):
        while not queue.empty():
            out.append(queue.get())
    return out


class WorkerDied(UnspinError):
    """A fingerprinting process died; every batch committed before stays in the store."""

    def __init__(self) -> None:
        super().__init__(
            "a fingerprinting worker process died (killed by the system: out of memory?); "
            "every batch committed so far is kept: run the same command again to resume "
            "(--workers 1 uses less memory)"
        )


# What a worker returns for a run of texts: each one's features (a list pickles faster than
# a set; the writer turns it back into a set), or each one's language.
_Fingerprints = list[list[int]]
_Languages = list[str | None]


def _results(jobs: list[Future[_Fingerprints]]) -> list[set[int]]:
    out: list[set[int]] = []
    for job in jobs:
        try:
            out.extend(set(f) for f in job.result())
        except BrokenProcessPool:
            raise WorkerDied() from None
    return out


def _lazy_results(jobs: list[Future[_Languages]]) -> Iterator[str | None]:
    """The jobs' languages in order, each job waited for only when its values are read."""
    for job in jobs:
        try:
            langs = job.result()
        except BrokenProcessPool:
            raise WorkerDied() from None
        yield from langs


def _fingerprint_many(texts: list[str]) -> _Fingerprints:
    return [list(fingerprint(t)) for t in texts]


def _languages_many(texts: list[str]) -> _Languages:
    return detect_many(texts)


# How much lower the fingerprinting workers' scheduling priority is than the writer's. The
# writer is the bottleneck (a chunk of 5,000 documents takes it several times as long to
# write as it takes the workers to fingerprint and detect languages for the next one); on
# two cores, the writer and two workers at one priority shared them three ways, and the
# workers, who are ahead anyway, took CPU from the writer (benchmarks 6.4). Lower, they run
# on what the writer leaves; while the writer waits for them, they still get every core.
_WORKER_NICENESS = 10


def _worker_init(parent: int, started: SimpleQueue[int]) -> None:
    started.put(os.getpid())  # for the parent to terminate it should the ingest stop early
    # Ctrl-C is the parent's to handle (it terminates the pool); a worker must not die first
    # and leave the parent waiting for a result that never comes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):  # POSIX; raising niceness needs no privilege
        os.nice(_WORKER_NICENESS)
    # Errors in fingerprinting travel back to the parent as results. All a worker could print
    # itself is the pool's traceback for a pipe broken because the parent was killed: noise.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    # If the parent is killed outright (SIGKILL), nobody terminates the pool: leave on our own.
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
