"""The gate every request body passes: refused early and cheaply, or read in bounded pieces.

Before this gate, a 31 MiB upload with a wrong CSRF token was read into memory in full before
the token was looked at, so eight of them at once took the server from 560 MB to 1.08 GB.
:class:`RequestGate` decides about a request that carries a body (any method but GET, HEAD
and OPTIONS) in this order, reading as little as it can:

1. an ``Origin`` naming another host: 403, body unread;
2. a ``Content-Length`` over the limit: 413, body unread;
3. CSRF (see :mod:`unspin.web.security`): JSON needs no token. A wrong ``X-CSRF-Token``
   header: 403, body unread. A body that may be large (over :data:`LARGE_BODY` bytes declared,
   or of unknown length) without the header must carry the token as its *first* form field
   ``csrf_token`` (the app's own forms put it first; at most :data:`FIRST_FIELD_BYTES` are read
   to find it), else 403. A small body may carry it anywhere: the route checks it;
4. a body that may be large needs an upload slot (:class:`unspin.web.busy.Slots`); when all are taken: 429 at once;
5. the body is then passed on, counted as it streams: past the limit the request ends with 413
   whatever ``Content-Length`` claimed (chunked uploads too).

Errors are rendered like every other error of the app (JSON under ``/api/``, a page elsewhere).
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlsplit

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .busy import Slots
from .errors import error_response
from .security import ASGIApp, Message, Receive, Scope, Send

FIRST_FIELD_BYTES = 64 * 1024  # the most read to find the form's first field (the token)
LARGE_BODY = 1024 * 1024  # bodies up to this size are read without taking an upload slot
CSRF_FIELD = "csrf_token"

CSRF_MESSAGE = (
    "missing or wrong CSRF token: send JSON, or send the token from GET /api/csrf as the "
    "X-CSRF-Token header (or, for bodies over 1 MiB, as the first form field csrf_token)"
)


class BodyTooLarge(HTTPException):
    """The body grew past the limit while it was read (HTTP 413)."""

    def __init__(self, max_bytes: int) -> None:
        limit = f"{max_bytes / (1024 * 1024):.0f} MiB"
        super().__init__(
            413, f"upload too large: the limit is {limit} (start the server with a higher limit)"
        )


class RequestGate:
    """ASGI middleware: origin, size, CSRF and upload-slot checks before a body is read."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        csrf_token: str,
        uploads: Slots,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.csrf_token = csrf_token
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != headers.get("host", ""):
            await self._refuse(scope, 403, f"cross-origin request from {origin} refused", send)
            return
        declared = _content_length(headers)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, 413, BodyTooLarge(self.max_bytes).detail, send)
            return
        large = declared is None or declared > LARGE_BODY
        prefix: list[Message] = []
        if _media_type(headers) != "application/json":
            given = headers.get("x-csrf-token")
            if given is None and large:
                given, prefix = await _first_form_field(headers, receive)
            # A small body without the header is read, and its form token checked by the route.
            if (given is not None or large) and not _same(given, self.csrf_token):
                await self._refuse(scope, 403, CSRF_MESSAGE, send)
                return
        if large and not self.uploads.try_acquire():
            busy = self.uploads.busy()
            retry = {"Retry-After": str(busy.retry_after)}
            await self._refuse(scope, 429, str(busy), send, retry)
            return
        try:
            await self._pass_on(scope, prefix, receive, send)
        finally:
            if large:
                self.uploads.release()

    async def _pass_on(
        self, scope: Scope, prefix: list[Message], receive: Receive, send: Send
    ) -> None:
        """Run the app on the body (what was read already first), counting bytes as they come."""
        size = sum(len(m.get("body", b"")) for m in prefix)
        started = False

        async def counted() -> Message:
            nonlocal size
            message = prefix.pop(0) if prefix else await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as exc:
            # Raised where no handler turned it into a response (outside a FastAPI route).
            if started:
                raise
            await self._refuse(scope, 413, exc.detail, send)

    async def _refuse(
        self,
        scope: Scope,
        status: int,
        message: str,
        send: Send,
        headers: dict[str, str] | None = None,
    ) -> None:
        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        response = error_response(Request(scope, no_body), status, message, headers=headers)
        await response(scope, no_body, send)


def _same(given: str | None, token: str) -> bool:
    return given is not None and secrets.compare_digest(
        given.encode("utf-8", "replace"), token.encode()
    )


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def _media_type(headers: Headers) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


async def _first_form_field(headers: Headers, receive: Receive) -> tuple[str | None, list[Message]]:
    """The value of the body's first form field if it is ``csrf_token``, and the messages read.

    Reads at most :data:`FIRST_FIELD_BYTES`; the messages are replayed to the app afterwards.
    """
    media = _media_type(headers)
    if media not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return None, []
    first = _FirstMultipartField(headers) if media == "multipart/form-data" else None
    read: list[Message] = []
    body = b""
    more = True
    while more and len(body) < FIRST_FIELD_BYTES:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            break  # the client went away
        chunk = message.get("body", b"")
        more = bool(message.get("more_body"))
        body += chunk
        if first is not None:
            if first.feed(chunk):
                break
        elif b"&" in body:
            break
    if first is not None:
        return first.value(), read
    pairs = parse_qsl(body.split(b"&", 1)[0].decode("latin-1"), keep_blank_values=True)
    if pairs and pairs[0][0] == CSRF_FIELD:
        return pairs[0][1], read
    return None, read


class _FirstMultipartField:
    """Streams a multipart body into python-multipart's parser until the first part ends."""

    def __init__(self, headers: Headers) -> None:
        _, options = parse_options_header(headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        self.name = b""
        self.data = b""
        self.done = False
        self.broken = boundary is None
        self._header = b""
        self._field = b""
        self._parser = None
        if boundary is not None:
            try:
                self._parser = MultipartParser(
                    boundary,
                    {
                        "on_header_field": self._on_field,
                        "on_header_value": self._on_value,
                        "on_header_end": self._on_header_end,
                        "on_part_data": self._on_data,
                        "on_part_end": self._on_end,
                    },
                )
            except FormParserError:
                self.broken = True

    def feed(self, chunk: bytes) -> bool:
        """Parse ``chunk``; True once the first part is complete (or cannot be)."""
        if self._parser is None or self.broken:
            return True
        try:
            self._parser.write(chunk)
        except FormParserError:
            self.broken = True
        return self.done or self.broken

    def value(self) -> str | None:
        if not self.done or self.broken or self.name != CSRF_FIELD.encode():
            return None
        return self.data.decode("utf-8", "replace")

    def _on_field(self, data: bytes, start: int, end: int) -> None:
        if not self.done:
            self._field += data[start:end]

    def _on_value(self, data: bytes, start: int, end: int) -> None:
        if not self.done:
            self._header += data[start:end]

    def _on_header_end(self) -> None:
        if not self.done and self._field.lower() == b"content-disposition":
            self.name = parse_options_header(self._header)[1].get(b"name", b"")
        self._field, self._header = b"", b""

    def _on_data(self, data: bytes, start: int, end: int) -> None:
        if not self.done and len(self.data) < FIRST_FIELD_BYTES:
            self.data += data[start:end]

    def _on_end(self) -> None:
        self.done = True
