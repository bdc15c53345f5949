"""Clients that open a connection and never finish a request's head are let go.

uvicorn waits for a request line and headers for ever: it times out only the idle time
between requests. Each such connection holds a file descriptor, and 300 of them stopped a
server allowed 256 open files (many systems allow 1,024) from accepting anyone,
``/api/health`` included, while asyncio logged every refused accept (62 MB of log in 20 s).
A connection now has :data:`HEAD_TIMEOUT_S` to send a whole request head, from when it opens
and again after each response; then it is answered 408 and closed. A slow *body* is not cut
off: an upload of the largest size allowed takes minutes on a slow line.
"""

from __future__ import annotations

import asyncio
import contextlib

from uvicorn.protocols.http.h11_impl import H11Protocol

# Browsers send a request's head in one packet; a person typing into telnet needs longer.
HEAD_TIMEOUT_S = 20.0

_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: 40\r\n\r\n"
    b"the request's head took too long to send"
)


class HeadDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head (``--http h11``)."""

    head_timeout_s = HEAD_TIMEOUT_S
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
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
        if no_new_head and idle and not self.transport.is_closing():
            with contextlib.suppress(OSError, RuntimeError):
                self.transport.write(_TIMED_OUT)
            self.transport.close()


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
