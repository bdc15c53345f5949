"""Clients that send a request too slowly are let go, and running out of files is one line.

uvicorn waits for a request line and headers for ever, and for a request's body too: it
times out only the idle time between requests. Each such connection holds a file
descriptor, and 300 of them stopped a server allowed 256 open files (many systems allow
1,024) from accepting anyone, ``/api/health`` included. :class:`RequestDeadlineProtocol`
gives each request's head :data:`HEAD_TIMEOUT_S` (from when the connection opens, and again
after each response) and each body :data:`BODY_TIMEOUT_S` from the end of its head, extended
by one second for every :data:`MIN_BODY_BYTES_PER_S` bytes that arrive (Apache's
``RequestReadTimeout body=20,MinRate=500``): an upload at any real line's speed, minutes
long at the largest size allowed, goes through, and a client that trickles a body is
answered 408 and closed. Time when the server is not reading (the app has not asked for
more of the body yet, or the client waits for ``100 Continue``) is not counted against it.

When the open files run out all the same, asyncio logs every refused accept with a
traceback, and the loop goes on trying the rest of its backlog (2,048 with uvicorn) after
the first refusal, scheduling a retry for each (CPython gh-151615, fixed upstream in 2026): 12,000
lines in 5 s, and at shutdown each retry still pending fails on the closed socket with a
traceback of its own (400,000 lines). :class:`RefusedAcceptsNote` makes all that one line, at
most once a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import socket
from typing import Any

from uvicorn import Server
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

# Browsers send a request's head in one packet; a person typing into telnet needs longer.
HEAD_TIMEOUT_S = 20.0
BODY_TIMEOUT_S = 20.0
MIN_BODY_BYTES_PER_S = 500

# After a 408 the server sends nothing more (its half of the connection is shut) but reads
# and drops what the client still sends, for at most this long, before it closes: a socket
# closed with unread input sends a reset, and a reset that overtakes the 408 makes the
# client's system throw the answer away unread (Apache's "lingering close", for the same
# reason; a trickling client is still sending when its deadline passes).
LINGER_S = 2.0

_HEAD_TOO_SLOW = b"the request's head took too long to send"
_BODY_TOO_SLOW = b"the request's body is arriving too slowly"


def _timed_out(reason: bytes) -> bytes:
    return (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"connection: close\r\ncontent-length: " + str(len(reason)).encode() + b"\r\n\r\n" + reason
    )


class RequestDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head and a minimum rate
    for its body (``--http h11``)."""

    head_timeout_s = HEAD_TIMEOUT_S
    body_timeout_s = BODY_TIMEOUT_S
    min_body_bytes_per_s = MIN_BODY_BYTES_PER_S
    linger_s = LINGER_S
    _deadline: asyncio.TimerHandle | None = None
    _body_deadline: asyncio.TimerHandle | None = None
    # The request whose body is being timed, when its clock started, and the bytes since.
    _body_cycle: RequestResponseCycle | None = None
    _body_started = 0.0
    _body_received = 0
    # Set once the connection is let go: input is dropped until it closes (LINGER_S).
    _linger: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._linger is not None:
            return  # let go: what the client still sends is read and dropped
        super().data_received(data)
        if self._body_cycle is not None and self._body_cycle is self.cycle:
            self._body_received += len(data)
        elif self._reading_body():
            self._start_body_clock()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def eof_received(self) -> None:
        if self._linger is not None:
            self.transport.close()  # the client has sent all it will: no reset can follow
            return
        super().eof_received()

    def shutdown(self) -> None:
        if self._linger is not None:
            self.transport.close()
            return
        super().shutdown()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._deadline, self._body_deadline, self._linger):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        # uvicorn gives each request a new scope when its head has arrived.
        waiting_for = self.scope
        self._deadline = self.loop.call_later(self.head_timeout_s, self._expire, waiting_for)

    def _expire(self, waiting_for: object) -> None:
        no_new_head = self.scope is waiting_for
        idle = self.cycle is None or self.cycle.response_complete
        if no_new_head and idle:
            self._let_go(_HEAD_TOO_SLOW)

    def _reading_body(self) -> bool:
        """Whether the current request's head has arrived and its body has not."""
        cycle = self.cycle
        return (
            cycle is not None
            and cycle.more_body
            and not cycle.response_complete
            and not cycle.disconnected
        )

    def _start_body_clock(self) -> None:
        self._body_cycle = self.cycle
        self._body_started = self.loop.time()
        self._body_received = 0
        self._watch_body(self._body_started + self.body_timeout_s)

    def _watch_body(self, when: float) -> None:
        if self._body_deadline is not None:
            self._body_deadline.cancel()
        self._body_deadline = self.loop.call_at(when, self._check_body)

    def _check_body(self) -> None:
        self._body_deadline = None
        if self._body_cycle is not self.cycle or not self._reading_body():
            self._body_cycle = None  # answered, or a new request: its data starts a new clock
            return
        cycle = self.cycle
        assert cycle is not None
        if self.flow.read_paused or cycle.waiting_for_100_continue:
            # The app has not asked for more yet: the client cannot send it; start again.
            self._start_body_clock()
            return
        allowed = self.body_timeout_s + self._body_received / self.min_body_bytes_per_s
        due = self._body_started + allowed
        if self.loop.time() < due:
            self._watch_body(due)
            return
        self._let_go(b"" if cycle.response_started else _BODY_TOO_SLOW)

    def _let_go(self, reason: bytes) -> None:
        """Answer 408 with ``reason`` (nothing when a response has begun), shut the sending
        half, and close once the client stops sending or after :data:`LINGER_S`."""
        if self.transport.is_closing() or self._linger is not None:
            return
        if reason:
            with contextlib.suppress(OSError, RuntimeError):
                self.transport.write(_timed_out(reason))
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            # The app, if it is still waiting for the body, hears that the client has gone,
            # and nothing it sends goes out after the 408.
            cycle.disconnected = True
            cycle.message_event.set()
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        with contextlib.suppress(OSError, RuntimeError):
            self.transport.write_eof()
        self._linger = self.loop.call_later(self.linger_s, self.transport.close)
        self.flow.resume_reading()  # drain what arrives, or the reset comes all the same


class RefusedAcceptsNote:
    """An event loop's exception handler that turns asyncio's "socket.accept() out of system
    resource" (a traceback per refused accept) into one line at most every ``every_s``
    seconds, saying how many were refused since the last, and keeps quiet about the retries
    that fail once the server has closed its socket; anything else is handled as asyncio
    would."""

    message = "socket.accept() out of system resource"

    def __init__(self, logger: logging.Logger, every_s: float = 60.0) -> None:
        self.logger = logger
        self.every_s = every_s
        self.refused = 0
        self._last = -math.inf

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") != self.message:
            if not self._late_retry(context):
                loop.default_exception_handler(context)
            return
        self.refused += 1
        now = loop.time()
        if now - self._last < self.every_s:
            return
        exc = context.get("exception")
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.logger.warning(
            "cannot accept new connections: %s (%s refused since the last note); they are "
            "retried each second; a higher 'ulimit -n' lets more clients in",
            why.lower(),
            f"{self.refused:,}",
        )
        self._last = now
        self.refused = 0

    def _late_retry(self, context: dict[str, Any]) -> bool:
        """Whether ``context`` is a retry of a refused accept that ran after the listening
        socket was closed (its handle is the only place the loop names what failed)."""
        return (
            self._last > -math.inf
            and isinstance(context.get("exception"), ValueError | OSError)
            and "._start_serving(" in repr(context.get("handle"))
        )


class NotingServer(Server):
    """uvicorn's server, with :class:`RefusedAcceptsNote` handling its loop's exceptions."""

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        note = RefusedAcceptsNote(logging.getLogger("uvicorn.error"))
        asyncio.get_running_loop().set_exception_handler(note)
        await super().serve(sockets=sockets)


def raise_open_files_limit(wanted: int = 65_536) -> None:
    """Raise this process's soft limit on open files towards its hard limit (up to
    ``wanted``): each client connection holds one, and a soft limit of 1,024 is common."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
