"""A client that never finishes its request's head is answered 408 and let go, so such
clients cannot use up the server's open files (uvicorn waits for a head for ever)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

uvicorn = pytest.importorskip("uvicorn")

from unspin.web.slowclients import HeadDeadlineProtocol  # noqa: E402


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]}
    )
    await send({"type": "http.response.body", "body": b"hello"})


class _Quick(HeadDeadlineProtocol):
    head_timeout_s = 0.3


@pytest.fixture()
def server() -> Iterator[tuple[str, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(_hello, log_level="warning", http=_Quick, lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(srv.serve(sockets=[sock])))
    thread.start()
    while not srv.started:
        threading.Event().wait(0.01)
    yield sock.getsockname()
    srv.should_exit = True
    thread.join()


def _read_all(conn: socket.socket) -> bytes:
    conn.settimeout(60)  # a hang guard (the bug was waiting for ever), not a speed limit
    out = b""
    while chunk := conn.recv(4096):
        out += chunk
    return out


def test_a_head_never_finished_is_answered_408_and_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # no blank line: the head never ends
        reply = _read_all(conn)
    assert reply.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert reply.endswith(b"the request's head took too long to send")


def test_a_connection_that_opens_and_says_nothing_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as conn:
        assert _read_all(conn).startswith(b"HTTP/1.1 408")


def test_requests_in_time_are_answered_and_the_next_head_gets_its_own_deadline(
    server: tuple[str, int],
) -> None:
    with socket.create_connection(server) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        conn.settimeout(60)
        first = b""
        while not first.endswith(b"hello"):
            first += conn.recv(4096)
        assert first.startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET / HTTP/1.1\r\nHo")  # a second request, cut short
        assert _read_all(conn).startswith(b"HTTP/1.1 408")
