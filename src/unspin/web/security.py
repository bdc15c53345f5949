"""Request safety: CSRF checks and headers that keep pages inert (sizes: :mod:`.gate`).

CSRF design: the app has no sessions or cookies, so there is nothing ambient for another site
to ride on except the request itself. A state-changing request (any POST) is accepted when

- it is JSON (``Content-Type: application/json``): a page on another site cannot send that
  cross-origin without a CORS preflight, which this app never answers; or
- it carries the app's CSRF token (an ``X-CSRF-Token`` header, or ``csrf_token`` as the first
  form field, so :mod:`.gate` can check it before reading the body):
  the token is random per server start and only readable same-origin (pages and ``/api/csrf``).

A request whose ``Origin`` names another host is refused in every case, and the Host header is
checked against the names the server answers to (DNS rebinding).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Scripts and styles only from this server; the inline ``style`` attributes of coverage bars
# need 'unsafe-inline' for styles, never for scripts, so injected markup cannot run code.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# "same-origin", not "no-referrer": with no referrer at all, browsers send ``Origin: null`` on
# form posts, and the origin check could no longer tell our own forms from a sandboxed page.
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


class CsrfError(Exception):
    """A state-changing request without proof that it came from this app."""


def new_token() -> str:
    """A fresh CSRF token."""
    return secrets.token_urlsafe(32)


def check_origin(request: Request) -> None:
    """Refuse a request whose Origin header names a different host than it was sent to."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # same-origin form posts from older browsers, and non-browser clients
    host = request.headers.get("host", "")
    if urlsplit(origin).netloc != host:
        raise CsrfError(f"cross-origin request from {origin} refused")


def check_csrf(request: Request, token: str, form_token: str | None = None) -> None:
    """Raise CsrfError unless the request is JSON or carries ``token``."""
    check_origin(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        return
    given = request.headers.get("x-csrf-token") or form_token or ""
    if not secrets.compare_digest(given.encode(), token.encode()):
        raise CsrfError(
            "missing or wrong CSRF token: send JSON, or include the token from GET /api/csrf "
            "as the X-CSRF-Token header or the csrf_token form field"
        )


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k.encode() not in names
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, add_headers)
