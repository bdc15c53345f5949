"""`unspin ingest -` and `unspin ingest <(...)`: records through a pipe are read as they come;
a text or page through one, which has no name to store it under, is refused."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from unspin.errors import InputError
from unspin.read import iter_inputs
from unspin.store import Store
from unspin.types import Document

SRC = str(Path(__file__).resolve().parents[2] / "src")
NO_NAME = (
    "a text or page read from a pipe has no name to store it under; save it to a file and "
    "ingest that (a pipe is read when it gives JSON Lines, JSON or WARC records)"
)
STORIES = (
    "Heavy rain flooded the old town of Prague overnight and closed two bridges.",
    "The harbour workers of Rotterdam walked out over pay on Monday, the union said.",
)
FEED = "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(STORIES))


def _warc(uri: str, text: str) -> bytes:
    """A WARC file of one HTML response, as a crawler writes it."""
    body = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
        + f"<html><body><article><p>{text}</p></article></body></html>".encode()
    )
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
        "WARC-Date: 2024-01-02T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body + b"\r\n\r\n"


def _ingest(tmp_path: Path, *args: str, stdin: bytes) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "unspin", "ingest", *args, "--db", "s.db", "-q"],
        env={**os.environ, "PYTHONPATH": SRC},
        cwd=tmp_path,
        input=stdin.decode("latin-1"),
        capture_output=True,
        text=True,
        encoding="latin-1",
        check=False,
    )
    return done


def _stored(tmp_path: Path) -> list[str]:
    with Store(tmp_path / "s.db", readonly=True) as store:
        return sorted(d.id for d, _ in store.iter_documents())


def test_ingest_of_standard_input_reads_its_records_and_the_rest(tmp_path: Path) -> None:
    # Before (robust35): "-: ingest does not read standard input (a pipe has no name, type or
    # date to store)", though JSON Lines and WARC records carry their own ids.
    story = tmp_path / "story.txt"
    story.write_text("A file given beside the pipe, about the floods in Prague.\n", "utf-8")
    done = _ingest(tmp_path, "-", str(story), stdin=FEED.encode())
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("3 documents added")
    assert _stored(tmp_path) == sorted(["r0", "r1", str(story)])
    warc = _warc("https://example.org/x", STORIES[0])
    done = _ingest(tmp_path, "-", stdin=gzip.compress(warc))  # zcat crawl.warc.gz | ... too
    assert (done.returncode, done.stderr) == (0, "")
    assert "https://example.org/x" in _stored(tmp_path)


def test_a_text_through_standard_input_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Heavy rain flooded the old town of Prague overnight.\n", encoding="utf-8")
    done = _ingest(tmp_path, "-", str(story), stdin=b"A text piped in.\n")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"Error: -: {NO_NAME}"]
    assert done.stdout.startswith("1 documents added")  # the other input is still stored
    done = _ingest(tmp_path, "-", stdin=b"")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Error: -: nothing to read: no program writes to this pipe, or it wrote nothing"
    ]


def _read_in_a_thread(path: Path) -> list[object]:
    """``iter_inputs([path])`` run in a thread the test waits a minute for: a guard against
    a reader that waits for ever for a writer, not a measure of speed."""
    items: list[object] = []
    reader = threading.Thread(target=lambda: items.extend(iter_inputs([path])), daemon=True)
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), "the reader waits for a writer"
    return items


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read_and_one_nobody_writes_to_is_nothing(tmp_path: Path) -> None:
    # Before (robust35): "not a regular file or folder", where trace, compare and score read
    # a pipe given by name (`unspin ingest <(zcat feed.jsonl.gz)` could not be written).
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    # The records wait in the pipe, written whole by a writer now gone, while a reader
    # opened here keeps them there (no thread races the writer's open against the read).
    keep = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        writer = os.open(fifo, os.O_WRONLY)  # a reader is there: does not wait
        os.write(writer, gzip.compress(FEED.encode()))  # under a pipe's buffer
        os.close(writer)
        items = _read_in_a_thread(fifo)
    finally:
        os.close(keep)
    assert [d.id for d in items if isinstance(d, Document)] == ["r0", "r1"]
    # No program writes to it now: read as nothing at once (the open does not wait).
    assert [str(e) for e in _read_in_a_thread(fifo)] == [
        f"{fifo}: nothing to read: no program writes to this pipe, or it wrote nothing"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_inside_a_folder_is_still_not_read(tmp_path: Path) -> None:
    # A folder's files are walked; a FIFO among them is no file (reading it would wait).
    (tmp_path / "a.txt").write_text(STORIES[0], encoding="utf-8")
    os.mkfifo(tmp_path / "b-pipe")
    items = list(iter_inputs([tmp_path]))
    assert [d.id for d in items if isinstance(d, Document)] == ["a.txt"]
    assert [str(e) for e in items if isinstance(e, InputError)] == [
        f"{tmp_path}/b-pipe: not a regular file or folder"
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_standard_input_that_is_a_terminal_is_refused_not_waited_on(tmp_path: Path) -> None:
    # `unspin ingest -` typed at a prompt would wait for records typed by hand.
    import pty

    main_end, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "unspin", "ingest", "-", "--db", "s.db", "-q"],
            env={**os.environ, "PYTHONPATH": SRC},
            cwd=tmp_path,
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=120,  # a guard against the wait, not a measure of speed
            check=False,
        )
    finally:
        os.close(main_end)
        os.close(terminal)
    assert done.returncode == 1
    assert done.stderr == "Error: -: standard input is a terminal; pipe the records in\n"
