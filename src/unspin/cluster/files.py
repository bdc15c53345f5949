"""Reading the documents to cluster, and the stage files that make runs resumable.

Documents come from the store (``--db``) or from a JSON Lines file whose records carry
``text`` and optionally ``key``, ``id``, ``site`` and ``date`` (the format ``unspin cluster``
exports for Spark). A stage writes its output under a temporary name and renames it when
complete, so a crashed run never leaves a stage that looks finished.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..dates import parse_date, why_not_a_date
from ..errors import InputError
from ..jsonl_files import numbered_jsonl, replaced_atomically
from ..read.limits import Limits
from ..read.plain import not_text_format
from ..read.walk import DASH, open_unblocked, refuse_a_terminal
from ..store import Store
from ..types import UNPAIRED_SURROGATE, field_too_long, id_problem
from .build import DocMeta
from .kernels import ClusterConfig, DocRecord
from .options import in_range

# The longest JSON Lines record read: as much as the readers take into memory at once (one
# line of a .jsonl given to ingest, 64 MiB).
MAX_RECORD_CHARS = Limits().max_file_bytes

# ISO 8601 as the store keeps dates (year, month, day, or a time with or without a zone):
# what a JSON Lines record's date may be, and the stages compare it only once normalised.
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\S.*)?)?)?")


def store_documents(
    db: str, since: str | None = None, until: str | None = None
) -> Iterator[DocRecord]:
    """Documents of the store in ingest order, filtered by date."""
    with Store(db, create=False, readonly=True) as store:
        for doc, text in store.iter_documents():
            if in_range(doc.date, since, until):
                yield DocRecord(key=doc.key, id=doc.id, site=doc.site, date=doc.date, text=text)


def store_features(db: str) -> dict[int, list[int]] | None:
    """Each stored document's features as :func:`.kernels.doc_features` makes them from its
    text, read from the store's postings instead (None where the postings do not hold them
    all: :meth:`~unspin.store.Store.features_by_document`)."""
    with Store(db, create=False, readonly=True) as store:
        return store.features_by_document()


def jsonl_documents(
    path: str | Path,
    since: str | None = None,
    until: str | None = None,
    limits: Limits | None = None,
) -> Iterator[DocRecord]:
    """Documents of a JSON Lines file (``key`` defaults to the line number); ``-`` (when no
    file has that name) is standard input, as for every other command's inputs: up to
    robust36 ``cluster --input -`` was a usage error, "Path '-' does not exist". A record
    with a field of the wrong type, a date that is not one, or the key of an earlier record
    is an InputError naming ``file:LINE``: read on, it would crash a later stage or silently
    replace the earlier document. ``limits``: at most ``max_records_per_file`` records and
    ``max_decompressed_bytes`` bytes read (decompressed when gzip; default: ingest's), as
    every record is kept: "big.jsonl.gz: more than 1,000,000 records, stopped at line
    1,000,001: every record is kept in memory (unspin cluster --max-records raises it)"."""
    shown = str(path)
    stdin = shown == DASH and not os.path.lexists(DASH)
    if stdin:
        refuse_a_terminal(shown)
    p = Path("/dev/stdin") if stdin else Path(path)
    hint = "see unspin cluster --help"
    lines: dict[int, int] = {}  # key -> the line that gave it
    try:
        for n, row in numbered_jsonl(
            p, hint, MAX_RECORD_CHARS, shown, (limits or Limits(), "cluster")
        ):
            doc = _record(row, n, f"{shown}:{n}", hint)
            if (first := lines.setdefault(doc["key"], n)) != n:
                raise InputError(
                    f"{shown}:{n}", f"key {doc['key']} is also the key of line {first}"
                )
            if in_range(doc["date"], since, until):
                yield doc
    except OSError as exc:  # a .gz file that is not gzip too
        raise InputError(shown, f"cannot read ({exc.strerror or exc})") from exc
    except EOFError as exc:
        raise InputError(shown, "cut short: the gzip stream ends early") from exc
    except UnicodeDecodeError as exc:
        problem = None
        if not stdin:  # standard input cannot be read from its start again
            with open_unblocked(p) as fh:  # a pipe's writer may be gone: no waiting for another
                # A store given as --input: "not UTF-8 text (byte 31)" named no store
                # (robust33).
                problem = not_text_format(fh.read(64))
        if problem is not None:
            raise InputError(shown, problem) from exc
        encoding = "UTF-8" if exc.encoding.startswith("utf-8") else exc.encoding.upper()
        raise InputError(shown, f"not {encoding} text (byte {exc.start})") from exc


def _record(row: object, n: int, where: str, hint: str) -> DocRecord:
    """One JSON Lines record as a document, or InputError naming ``where`` and the field."""
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise InputError(where, f"not a JSON object with a 'text' field (a string); {hint}")
    key = row.get("key", n)
    if isinstance(key, bool) or not isinstance(key, int) or not -(2**63) <= key < 2**63:
        raise InputError(where, f"field 'key' must be a whole number, not {_shown(key)}")
    doc_id = row.get("id", n)
    site, date = row.get("site"), row.get("date")
    if (problem := record_problem(doc_id, site, row["text"])) is not None:
        raise InputError(where, problem)
    return DocRecord(
        key=key, id=str(doc_id), site=site, date=_normalised_date(date, where), text=row["text"]
    )


def record_problem(doc_id: object, site: object, text: object) -> str | None:
    """Why a record's id, site or text cannot be clustered, or None: the checks both engines
    make of a JSON Lines record or a Parquet row (up to robust36 the Spark engine read a
    Parquet id holding a NUL, of spaces alone, of 9,000 characters or null as it was).

    >>> record_problem("a", None, "Text."), record_problem(None, "s", "Text.")
    (None, "field 'id' must be a string, not None")
    """
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int):
        return f"field 'id' must be a string, not {_shown(doc_id)}"
    if isinstance(doc_id, str) and (problem := id_problem(doc_id)) is not None:
        # As ingest refuses it: up to robust36 an id holding a NUL went into report.html
        # as a raw NUL byte, and one of spaces or zero-width characters showed as nothing.
        return problem
    if site is not None and not isinstance(site, str):
        return f"field 'site' must be a string or null, not {_shown(site)}"
    if site is not None and (problem := field_too_long("site", site)):
        return problem
    for name, value in (("id", doc_id), ("site", site), ("text", text)):
        if isinstance(value, str) and (bad := UNPAIRED_SURROGATE.search(value)):
            # JSON may escape half a surrogate pair ("\ud800"): no output file can hold it.
            return f"field '{name}' holds an unpaired surrogate \\u{ord(bad.group()):04x}"
    return None


def stored_date(date: object) -> str | None:
    """An ISO 8601 date as the store keeps it (a time with a zone in UTC), or None when
    ``date`` is not one. The stages order members by comparing dates as text, so
    ``10:00+05:00`` must read as ``05:00Z``, before ``08:00+00:00``.

    >>> stored_date("2021-03-04T10:00:00+05:00"), stored_date("2021-03"), stored_date("March")
    ('2021-03-04T05:00:00Z', '2021-03', None)
    """
    parsed = parse_date(date) if isinstance(date, str) and _ISO_DATE.fullmatch(date) else None
    return None if parsed is None else parsed.value


def _normalised_date(date: object, where: str) -> str | None:
    """A record's date as :func:`stored_date` reads it: as written, a later copy could be
    named the origin."""
    if date is None:
        return None
    if (value := stored_date(date)) is None:
        raise InputError(where, f"field 'date' {date_problem(date)}")
    return value


def date_problem(date: object) -> str:
    """Why :func:`stored_date` gives None for ``date``, for a message (both engines). Up to
    robust31 "2999-01-01" and "1987" were told they "must be a date (YYYY-MM-DD)".

    >>> date_problem("2999-01-01"), date_problem("March 1987")
    ("is after today: '2999-01-01'", "must be an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY, a time allowed) or null, not 'March 1987'")
    """
    if isinstance(date, str) and _ISO_DATE.fullmatch(date):
        why = why_not_a_date(date)
        if why != "is not a date unspin reads":  # ISO in shape: after today, or before 1000
            return f"{why}: {_shown(date)}"
    return (
        "must be an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY, a time allowed) or null, "
        f"not {_shown(date)}"
    )


def _shown(value: object) -> str:
    r"""A field's value for a one-line message (a long one cut short), cut between escapes:
    up to robust39 a date of "\ud800"s was shown ending ``\ud800\ud8...``.

    >>> _shown("2020-01-01" + "x" * 16 + "\ud800" * 3)
    "'2020-01-01xxxxxxxxxxxxxxxx\\ud800..."
    """
    text = repr(value)
    if len(text) <= 40:
        return text
    cut = 37
    for escape in _ESCAPE.finditer(text, 0, cut + 10):
        if escape.start() < cut < escape.end():
            cut = escape.start()
    return text[:cut] + "..."


# A backslash escape in a repr: a character's code (\x00, \ud800, \U0001f600) or a letter.
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)")


def meta(doc: DocRecord) -> DocMeta:
    """The text-free part of a document that clustering needs."""
    return DocMeta(
        key=doc["key"], id=doc["id"], site=doc["site"], date=doc["date"], length=len(doc["text"])
    )


def run_digest(docs: Iterable[DocMeta], config: ClusterConfig) -> str:
    """Identity of a run's inputs: stage files of another run must not be reused."""
    h = hashlib.sha256(repr(config).encode())
    for d in docs:
        h.update(f"{d['key']}\x1f{d['id']}\x1f{d['date']}\x1f{d['length']}\n".encode())
    return h.hexdigest()[:16]


# What a run reports as it goes: the stage, how much of it is done, and of how much (None
# when not known), e.g. ("aligning", 1200, 78530).
Progress = Callable[[str, int, int | None], None]


@contextmanager
def holding(out: Path, report: Progress) -> Iterator[None]:
    """``out`` held by this run until the block ends; a second run into it meanwhile waits
    for it (saying so through ``report``), then runs, reusing the stages if its documents and
    settings are the same. Two runs into one folder with other settings mixed their stages:
    the second deleted the first's stage files, and the first's passages landed among the
    second's, which took them as its own finished stage (405 passages in 88 clusters where
    its settings give 428 in 87). The lock is the system's (``flock``): a killed run's goes
    with its process, so a stale lock never blocks a rerun."""
    folder = out / "stages"
    made = [d for d in (out, folder) if not d.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with _locked(folder / "LOCK", out, report):
            yield
    except BaseException:
        # A run that failed before writing anything (a missing store, bad input) leaves no
        # folder of its own making behind, as before the lock: nothing but the lock and an
        # engine's empty stage folder (up to robust37 the Spark engine's stayed, and so did
        # OUT and the lock).
        left = list(folder.iterdir())
        if made and all(p.name == "LOCK" or _empty_folder(p) for p in left):
            with suppress(OSError):
                for p in left:
                    if p.name == "LOCK":
                        p.unlink()
                    else:
                        p.rmdir()
                for d in reversed(made):
                    d.rmdir()
        raise


def _empty_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


@contextmanager
def _locked(path: Path, out: Path, report: Progress) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows has no flock; runs there are not guarded
        yield
        return
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip()
                by = f" (process {holder})" if holder.isdigit() else ""
                report(f"waiting for another cluster run into {out}{by} to finish", 0, None)
                fcntl.flock(fh, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without locks (some network and FUSE ones): run unguarded
        else:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
        yield


def check_stage_dir(stage_dir: Path, digest: str) -> bool:
    """Create ``stage_dir`` for this run; True when it held the stages of a run on other
    documents or settings, which are deleted (never reused: they would mix two runs' pairs).
    Stages of this very run stay, so that a run cut short resumes."""
    marker = stage_dir / "RUN"
    replaced = marker.exists() and marker.read_text().strip() != digest
    if replaced:
        # The folder is unspin's own (OUT/stages/ENGINE): only stage files live there.
        shutil.rmtree(stage_dir)
    stage_dir.mkdir(parents=True, exist_ok=True)
    # Whole or not at all: a marker cut short by a kill would make the rerun refuse the folder.
    with replaced_atomically(marker) as fh:
        fh.write(digest + "\n")
    return replaced
