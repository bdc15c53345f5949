"""Malformed requests are refused with a 4xx and a one-line message, never a 500.

Before: a document key past SQLite's 64-bit integers (``/api/documents/99999999999999999999999``,
``/d/…``, ``/corpus?page=…``) was an ``OverflowError``, and JSON text holding a lone surrogate
(``"\\ud800"``: valid JSON, not encodable as UTF-8) a ``UnicodeEncodeError``; both HTTP 500.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/documents/{HUGE}",
        f"/api/documents/{HUGE}/reuse",
        f"/d/{HUGE}",
        f"/corpus?page={HUGE}",
        f"/api/documents?offset={HUGE}",
        f"/d/{2**63}",  # one past the largest SQLite integer
        "/api/documents/-1",
    ],
)
def test_huge_numbers_in_paths_and_queries_are_4xx(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])
    if path.startswith("/api/"):
        message = r.json()["error"]
        assert message and "\n" not in message


def test_largest_sqlite_key_is_a_plain_404(client: TestClient) -> None:
    r = client.get(f"/api/documents/{2**63 - 1}")
    assert r.status_code == 404 and "no document" in r.json()["error"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/trace", '{"text": "hello \\ud800 world"}', "text"),
        ("/api/trace", '{"text": "Cocoa prices rose.", "name": "a\\udfffb"}', "name"),
        ("/api/compare", '{"source": "x \\ud800", "target": "Cocoa prices rose."}', "source"),
        ("/api/compare", '{"source": "Cocoa prices rose.", "target": "\\udc00"}', "target"),
        (
            "/api/compare",
            '{"source": "Cocoa rose.", "target": "Cocoa rose.", "source_name": "\\ud83d"}',
            "source_name",
        ),
        ("/api/score", '{"text": "hello \\ud800 world"}', "text"),
    ],
)
def test_lone_surrogates_in_json_strings_are_422(
    client: TestClient, path: str, body: str, field: str
) -> None:
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:300]
    message = r.json()["error"]
    assert field in message and "surrogate" in message and "\n" not in message


def test_a_proper_surrogate_pair_is_fine(client: TestClient) -> None:
    # "\ud83d\ude00" is one emoji written as a JSON escape pair: valid text.
    body = '{"text": "Cocoa prices rose sharply in London today \\ud83d\\ude00", "top": 1}'
    r = client.post("/api/trace", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:300]


def test_lone_surrogate_in_a_form_is_not_a_server_error(client: TestClient, token: str) -> None:
    # Forms arrive as bytes: an encoded surrogate is invalid UTF-8 and never reaches the trace.
    body = b"csrf_token=" + token.encode() + b"&text=hello+%ED%A0%80+world+cocoa+prices"
    r = client.post(
        "/check",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code < 500, r.text[:300]


@pytest.mark.parametrize(
    ("path", "body", "unknown"),
    [
        ("/api/score", {"text": "Cocoa prices rose.", "model": "lexical"}, ["model"]),
        (
            "/api/trace",
            {"text": "Cocoa prices rose.", "tpo": 3, "languages": "x"},
            ["tpo", "languages"],
        ),
        ("/api/compare", {"source": "Cocoa rose.", "target": "Cocoa rose.", "all": True}, ["all"]),
    ],
)
def test_a_key_the_request_does_not_read_is_422_naming_it(
    client: TestClient, path: str, body: dict[str, object], unknown: list[str]
) -> None:
    # Before (robust29): 200 with the defaults, as if "model": "lexical" (the CLI's --model)
    # or a misspelt "tpo" had been read.
    reply = client.post(path, json=body)
    assert reply.status_code == 422
    assert reply.json()["detail"] == [
        f"body.{key}: not a key this request reads (the keys it reads are in /api/docs)"
        for key in unknown
    ]


@pytest.mark.parametrize(
    ("path", "unknown"),
    [
        ("/api/documents?site=reuters.com", ["site"]),
        ("/api/documents?q=cocoa&limt=5&x=1&x=2", ["limt", "x"]),
        ("/api/documents/1/reuse?limit=3", ["limit"]),
        ("/api/stats?verbose=1", ["verbose"]),
    ],
)
def test_a_query_parameter_the_request_does_not_read_is_422_naming_it(
    client: TestClient, path: str, unknown: list[str]
) -> None:
    # Before (robust30): 200 as if it had been read: /api/documents?site=reuters.com listed
    # every document.
    reply = client.get(path)
    assert reply.status_code == 422, reply.text[:200]
    assert reply.json()["detail"] == [
        f"query.{name}: not a parameter this request reads (the parameters it reads are in "
        "/api/docs)"
        for name in unknown
    ]
    assert client.get("/api/documents?q=cocoa&limit=2&offset=1").status_code == 200
