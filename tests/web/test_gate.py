"""The request gate: a body is refused before it is read (wrong token, too large, too many).

Each test drives the real app as an ASGI callable with a body source that counts what the app
pulled from it, so "refused before reading" is a count, not a guess. Before the gate, the
whole body (up to the upload limit) was read into memory before the token was looked at.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from unspin.web.app import create_app
from unspin.web.gate import FIRST_FIELD_BYTES, LARGE_BODY

MIB = 1024 * 1024
BOUNDARY = "gate-test-boundary"


@dataclass
class Body:
    """A request body sent in chunks; counts the bytes the app asked for."""

    chunks: list[bytes]
    pulled: int = 0
    hold: asyncio.Event | None = None  # wait here before the last chunk
    reached_hold: asyncio.Event = field(default_factory=asyncio.Event)

    async def receive(self) -> dict[str, Any]:
        if not self.chunks:
            return {"type": "http.disconnect"}
        if len(self.chunks) == 1 and self.hold is not None:
            self.reached_hold.set()
            await self.hold.wait()
        chunk = self.chunks.pop(0)
        self.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(self.chunks)}


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


def _multipart(token: str | None, payload_mib: int, chunk: int = MIB) -> list[bytes]:
    """A multipart upload of ``payload_mib`` MiB, the token first when given, in chunks."""
    head = b""
    if token is not None:
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        ).encode()
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    data = head + b"The council met again. " * (payload_mib * MIB // 23)
    data += f"\r\n--{BOUNDARY}--\r\n".encode()
    return [data[i : i + chunk] for i in range(0, len(data), chunk)]


async def _post(
    app: Any, path: str, body: Body, headers: dict[str, str], *, declare_length: bool = True
) -> Answer:
    """Send one POST to ``app`` inside a running event loop; return the answer."""
    answer = Answer()
    sent = {k.lower(): v for k, v in headers.items()}
    sent.setdefault("host", "testserver")
    if declare_length:
        sent["content-length"] = str(sum(len(c) for c in body.chunks))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in sent.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    await app(scope, body.receive, send)
    return answer


def _call(app: Any, path: str, body: Body, headers: dict[str, str], **kw: bool) -> Answer:
    return asyncio.run(_post(app, path, body, headers, **kw))


def _upload_headers(token: str | None = None) -> dict[str, str]:
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if token is not None:
        headers["x-csrf-token"] = token
    return headers


@pytest.fixture
def gated(tmp_path: Path) -> Any:
    """An app over a new store with a 40 MiB upload limit and one upload slot."""
    db = tmp_path / "gate.db"
    return create_app(db, max_upload_bytes=40 * MIB, allowed_hosts=["testserver"], uploads=1)


def _token(app: Any) -> str:
    return str(app.state.web.csrf_token)


def test_wrong_token_header_is_refused_before_the_body_is_read(gated: Any) -> None:
    body = Body(_multipart(None, 31))
    answer = _call(gated, "/api/ingest", body, _upload_headers("wrong-token"))
    assert answer.status == 403 and "CSRF" in answer.json()["error"]
    assert body.pulled == 0


def test_wrong_first_field_token_is_refused_after_reading_only_the_start(gated: Any) -> None:
    body = Body(_multipart("wrong-token", 31, chunk=16 * 1024))
    answer = _call(gated, "/corpus/ingest", body, _upload_headers())
    assert answer.status == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert 0 < body.pulled <= FIRST_FIELD_BYTES + 16 * 1024


def test_large_upload_without_any_token_is_refused_early(gated: Any) -> None:
    chunks = _multipart(None, 31, chunk=16 * 1024)
    body = Body(chunks)
    answer = _call(gated, "/api/ingest", body, _upload_headers())
    assert answer.status == 403
    assert body.pulled <= FIRST_FIELD_BYTES + 16 * 1024


def test_declared_size_over_the_limit_is_413_unread(gated: Any) -> None:
    body = Body(_multipart(_token(gated), 41))
    answer = _call(gated, "/api/ingest", body, _upload_headers(_token(gated)))
    assert answer.status == 413 and "40 MiB" in answer.json()["error"]
    assert body.pulled == 0


def test_undeclared_size_is_counted_as_it_streams(gated: Any) -> None:
    # Chunked transfer: no Content-Length, so only counting the bytes can stop it.
    body = Body(_multipart(_token(gated), 45))
    answer = _call(gated, "/api/ingest", body, _upload_headers(_token(gated)), declare_length=False)
    assert answer.status == 413, answer.body[:300]
    assert "upload too large" in answer.json()["error"]
    assert body.pulled <= 41 * MIB
    assert body.chunks  # the rest was never read


def test_second_large_upload_is_429_while_one_is_received(gated: Any) -> None:
    token = _token(gated)
    first = Body(_multipart(token, 2), hold=asyncio.Event())
    second = Body(_multipart(token, 2))

    async def both() -> tuple[Answer, Answer]:
        receiving = asyncio.create_task(_post(gated, "/api/ingest", first, _upload_headers(token)))
        await first.reached_hold.wait()  # the first upload is being received
        refused = await _post(gated, "/api/ingest", second, _upload_headers(token))
        assert first.hold is not None
        first.hold.set()
        return await receiving, refused

    accepted, refused = asyncio.run(both())
    assert accepted.status == 202, accepted.body[:300]
    assert refused.status == 429 and refused.headers["retry-after"]
    assert "busy" in refused.json()["error"]
    assert second.pulled == 0


def test_small_and_large_forms_with_the_token_are_accepted(gated: Any) -> None:
    token = _token(gated)
    with TestClient(gated) as client:
        # Small body: the token may come anywhere in the form (the route checks it).
        r = client.post(
            "/api/ingest",
            files=[("files", ("small.txt", b"The tin council met in London again today."))],
            data={"csrf_token": token},
        )
        assert r.status_code == 202, r.text
        # Large body: the token first (httpx sends form fields before files).
        text = b"The bridge council met on Thursday and agreed a plan. " * (LARGE_BODY // 50)
        r = client.post(
            "/api/ingest", data={"csrf_token": token}, files=[("files", ("big.txt", text))]
        )
        assert r.status_code == 202, r.text
