"""`unspin serve` out of open files: one line in its log, not a traceback per refused accept.

A real server in its own process, allowed 64 open files, and 120 clients that each hold a
connection with half a request head. Before: asyncio logged "socket.accept() out of system
resource" with a traceback for each refused accept, and went on through the rest of its
backlog (2,048 with uvicorn) every second (12,000 lines in 5 s); at shutdown each retry
still pending failed on the closed socket with a traceback of its own (400,000 lines).
"""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from open_files import run_out_of_files

pytest.importorskip("uvicorn")

SRC = str(Path(__file__).resolve().parents[2] / "src")
NOTE = b"cannot accept new connections: too many open files"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lines_until(proc: subprocess.Popen[bytes], wanted: bytes) -> bytes:
    """What the server writes to stderr up to the line holding ``wanted``."""
    assert proc.stderr is not None
    seen = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stderr, selectors.EVENT_READ)
        while wanted not in seen:
            assert sel.select(timeout=120), seen  # a hang guard, not a speed limit
            chunk = os.read(proc.stderr.fileno(), 65536)
            assert chunk, seen  # the server ended
            seen += chunk
    return seen


def _get(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=120) as conn:
        conn.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    return reply


def test_running_out_of_open_files_is_one_line_and_the_server_recovers(demo_db: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": SRC}
    # The shell's ulimit sets the hard limit too, so serve cannot raise the soft one past it.
    command = 'ulimit -n 64 && exec "$0" "$@"'
    args = [sys.executable, "-m", "unspin", "serve", "--db", str(demo_db), "--port", str(port)]
    proc = subprocess.Popen(
        ["sh", "-c", command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    held: list[socket.socket] = []
    try:
        assert proc.stdout is not None
        assert b"serving" in proc.stdout.readline()
        assert _get(port, "/api/health").startswith(b"HTTP/1.1 200")
        for _ in range(120):  # the kernel's backlog holds those the server cannot accept
            conn = socket.create_connection(("127.0.0.1", port), timeout=120)
            conn.sendall(b"GET /api/health HTTP/1.1\r\nHo")
            held.append(conn)
        log = _lines_until(proc, NOTE)
        for conn in held:
            conn.close()
        held.clear()
        # Once the clients are gone the accepts go through again.
        assert _get(port, "/api/health").startswith(b"HTTP/1.1 200")
    finally:
        for conn in held:
            conn.close()
        proc.terminate()
        _, rest = proc.communicate(timeout=120)
    log += rest
    assert b"Traceback" not in log, log[:3000]
    assert log.count(NOTE) == 1, log[:3000]
    assert len(log.splitlines()) <= 5, log[:3000]


def test_a_request_that_finds_the_open_files_used_up_gets_503_and_the_next_one_passes(
    tmp_path: Path,
) -> None:
    """Before: the model's read failed with OSError (at first with "the packaged model is
    missing or damaged", a 400 telling the user to rebuild a good file) and the answer was a
    500 with a traceback."""
    before = """
import os, sys
from fastapi.testclient import TestClient
from unspin.web.app import create_app

text = {"text": "The agency said the legally binding deal was signed by telephone."}
client = TestClient(create_app(sys.argv[1], allowed_hosts=["testserver"])).__enter__()
assert client.get("/api/health").status_code == 200
"""
    after = """
short = client.post("/api/score", json=text)  # the models are read now, for the first time
for fd in held:
    os.close(fd)
print(short.status_code, short.headers.get("retry-after"), short.json()["error"])
print(client.post("/api/score", json=text).status_code)
"""
    done = run_out_of_files(before, after, str(tmp_path / "empty.db"))
    assert done.returncode == 0, done.stderr[-3000:]
    short, after_ = done.stdout.splitlines()
    assert (
        short == "503 5 the server is short of resources (Too many open files); try again shortly"
    )
    assert after_ == "200"
