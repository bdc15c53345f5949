"""A client that never finishes its request's head, or trickles its body, is answered 408 and
let go, so such clients cannot use up the server's open files (uvicorn waits for both for
ever). Real servers on sockets, with deadlines shortened by subclassing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

uvicorn = pytest.importorskip("uvicorn")

from unspin.web.slowclients import RequestDeadlineProtocol  # noqa: E402

# Seconds the app below waits before it reads a body, when the path says "/late".
APP_DELAY_S = 1.0


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """ "hello" for a GET; for a POST, the number of body bytes read (after APP_DELAY_S for
    ``/late``), or nothing once the client is gone."""
    if scope["type"] != "http":
        return
    reply = b"hello"
    if scope["method"] == "POST":
        if scope["path"] == "/late":
            await asyncio.sleep(APP_DELAY_S)
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        reply = str(size).encode()
    headers = [(b"content-length", str(len(reply)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": reply})


class _Quick(RequestDeadlineProtocol):
    head_timeout_s = 0.3
    body_timeout_s = 0.3
    min_body_bytes_per_s = 200
    linger_s = 30.0  # far past any test's sending: the linger never ends one by itself


class _PatientWithBodies(_Quick):
    body_timeout_s = 600.0


@contextlib.contextmanager
def _serving(app: Any, protocol: type[RequestDeadlineProtocol]) -> Iterator[tuple[str, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    # log_config=None: uvicorn's loggers propagate, so caplog sees what it logs.
    config = uvicorn.Config(app, log_config=None, http=protocol, lifespan="auto")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(srv.serve(sockets=[sock])))
    thread.start()
    while not srv.started:
        threading.Event().wait(0.01)
    try:
        yield sock.getsockname()
    finally:
        srv.should_exit = True
        thread.join()


@pytest.fixture()
def server() -> Iterator[tuple[str, int]]:
    with _serving(_hello, _Quick) as address:
        yield address


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


def _post_head(length: int, path: str = "/", extra: bytes = b"") -> bytes:
    return (
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
            f"content-length: {length}\r\n"
        ).encode()
        + extra
        + b"\r\n"
    )


def _trickle(conn: socket.socket, chunk: bytes, every_s: float, times: int) -> None:
    """Send ``chunk`` ``times`` times, ``every_s`` apart, until the server closes."""
    stop = threading.Event()
    for _ in range(times):
        try:
            conn.sendall(chunk)
        except OSError:
            return
        stop.wait(every_s)


def test_a_body_that_stops_arriving_is_answered_408_and_closed(server: tuple[str, int]) -> None:
    """Before: uvicorn waited for the other 990 bytes for ever."""
    with socket.create_connection(server) as conn:
        conn.sendall(_post_head(1000) + b"0123456789")
        reply = _read_all(conn)
    assert reply.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert reply.endswith(b"the request's body is arriving too slowly")


def test_a_body_trickled_below_the_minimum_rate_is_answered_408(
    server: tuple[str, int],
) -> None:
    """One byte every 0.05 s is 20 bytes a second, a tenth of this server's minimum."""
    with socket.create_connection(server) as conn:
        conn.sendall(_post_head(100_000))
        sender = threading.Thread(target=_trickle, args=(conn, b"x", 0.05, 100_000))
        sender.start()
        reply = _read_all(conn)
        conn.shutdown(socket.SHUT_RDWR)
        sender.join()
    assert reply.startswith(b"HTTP/1.1 408")


def test_a_client_still_sending_after_its_408_is_not_reset(server: tuple[str, int]) -> None:
    """After the 408 the server shuts only its sending half and drops what still arrives.
    Before, it closed with the client's bytes unread: the system answers those with a
    reset, which can throw the 408 away before the client reads it (the trickle test above
    failed that way on a loaded machine), and here makes the sends after the answer fail."""
    with socket.create_connection(server) as conn:
        conn.sendall(_post_head(100_000) + b"x")
        reply = _read_all(conn)  # the 408, then the end of what the server sends
        for _ in range(20):
            conn.sendall(b"x" * 1000)  # after a reset: BrokenPipeError or ConnectionResetError
            threading.Event().wait(0.01)
        conn.shutdown(socket.SHUT_WR)
        assert conn.recv(1) == b""  # closed cleanly once the client has sent all it will
    assert reply.startswith(b"HTTP/1.1 408")


def test_a_body_at_a_fair_rate_is_read_whole_though_it_takes_longer_than_the_timeout(
    server: tuple[str, int],
) -> None:
    """2,000 bytes over about a second (ten times the minimum rate; the timeout is 0.3 s):
    each 200 bytes that arrive earn another second."""
    with socket.create_connection(server) as conn:
        conn.sendall(_post_head(2000))
        _trickle(conn, b"x" * 100, 0.05, 20)
        reply = _read_all_of_one_response(conn)
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"2000")


def test_time_the_app_takes_to_ask_for_the_body_is_not_the_clients(
    server: tuple[str, int],
) -> None:
    """The app reads after 1 s; the client sent everything at once, but the server stopped
    reading at 64 KiB: the body deadline (0.3 s) must not count that wait."""
    body = b"x" * 300_000
    with socket.create_connection(server) as conn:
        sender = threading.Thread(
            target=conn.sendall, args=(_post_head(len(body), "/late") + body,)
        )
        sender.start()
        reply = _read_all_of_one_response(conn)
        sender.join()
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"300000")


def test_a_client_waiting_for_100_continue_is_not_timed_out(server: tuple[str, int]) -> None:
    """The client sends its body only when the app asks for it (``Expect: 100-continue``),
    here after 1 s: the wait is the server's."""
    with socket.create_connection(server) as conn:
        conn.sendall(_post_head(5, "/late", b"expect: 100-continue\r\n"))
        conn.settimeout(60)
        interim = b""
        while b"\r\n\r\n" not in interim:
            interim += conn.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100")
        conn.sendall(b"hello")
        reply = interim.split(b"\r\n\r\n", 1)[1] + _read_all_of_one_response(conn)
    assert b"HTTP/1.1 200" in reply and reply.endswith(b"5")


def test_other_clients_are_answered_while_a_body_is_held() -> None:
    """A held body blocks nobody: the server answers another client while it waits."""
    with (
        _serving(_hello, _PatientWithBodies) as address,
        socket.create_connection(address) as held,
    ):
        held.sendall(_post_head(1000) + b"01234")
        with socket.create_connection(address) as other:
            other.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _read_all_of_one_response(other).endswith(b"hello")
        held.setblocking(False)
        with pytest.raises(BlockingIOError):  # still open, nothing answered yet
            held.recv(1)


def test_the_app_answers_408_to_a_trickled_api_body_and_logs_no_traceback(
    web_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The unspin app itself (the demo store): a ``POST /api/score`` whose body trickles in
    is let go; the app sees a client that left, and nothing is logged with a traceback."""
    caplog.set_level(logging.WARNING)
    with _serving(web_app, _Quick) as address:
        with socket.create_connection(address) as conn:
            conn.sendall(_post_head(10_000, "/api/score") + b'{"text": "Cocoa')
            reply = _read_all(conn)
        with socket.create_connection(address) as conn:
            conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            health = _read_all_of_one_response(conn)
    assert reply.startswith(b"HTTP/1.1 408") and reply.endswith(b"arriving too slowly")
    assert health.startswith(b"HTTP/1.1 200")
    assert not [r for r in caplog.records if r.exc_info], caplog.text


def _read_all_of_one_response(conn: socket.socket) -> bytes:
    """The first response on ``conn`` (its head and a content-length body)."""
    conn.settimeout(60)  # a hang guard, not a speed limit
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(4096)
    return head + b"\r\n\r\n" + body
