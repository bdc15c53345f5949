"""HEAD answered for every page and API route that answers GET.

FastAPI's routes answer only the methods they name, so ``HEAD /`` got 405 although HTTP asks a
server to answer HEAD wherever it answers GET (RFC 9110, 9.3.2): link checkers, ``curl -I`` and
uptime probes use it. :class:`HeadAsGet` runs the GET and sends its status and headers (the
Content-Length included, as the GET would send it) without the body.
"""

from __future__ import annotations

from .security import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD request is handled as GET and its response body dropped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed part: nothing of the body goes out
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
