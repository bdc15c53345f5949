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


@pytest.mark.parametrize(
    ("path", "body", "field", "wanted", "given"),
    [
        (
            "/api/trace",
            {"text": "Cocoa prices rose.", "top": "5"},
            "top",
            "an integer",
            "the string '5'",
        ),
        ("/api/trace", {"text": "Cocoa prices rose.", "top": True}, "top", "an integer", "true"),
        (
            "/api/trace",
            {"text": "Cocoa prices rose.", "top": 2.5},
            "top",
            "an integer",
            "the number 2.5",
        ),
        ("/api/trace", {"text": "Cocoa prices rose.", "top": [5]}, "top", "an integer", "an array"),
        (
            "/api/trace",
            {"text": "Cocoa prices rose.", "name": 7},
            "name",
            "a string",
            "the number 7",
        ),
        (
            "/api/score",
            {"text": "Cocoa prices rose.", "restore": "3"},
            "restore",
            "an integer",
            "the string '3'",
        ),
        ("/api/score", {"text": 5}, "text", "a string", "the number 5"),
        (
            "/api/compare",
            {"source": "Cocoa rose.", "target": "Cocoa rose.", "restore": "false"},
            "restore",
            "true or false",
            "the string 'false'",
        ),
        (
            "/api/compare",
            {"source": "Cocoa rose.", "target": "Cocoa rose.", "restore": 1},
            "restore",
            "true or false",
            "the number 1",
        ),
        (
            "/api/compare",
            {"source": "Cocoa rose.", "target": "Cocoa rose.", "source_name": None},
            "source_name",
            "a string",
            "null",
        ),
    ],
)
def test_a_value_of_the_wrong_json_type_is_422_naming_the_field_and_the_type(
    client: TestClient, path: str, body: dict[str, object], field: str, wanted: str, given: str
) -> None:
    # Before (robust33 noticed): "top": "5" was read as 5, "top": true as 1, "restore": 1 and
    # "restore": "false" as true and false: 200, the client never told its number was a
    # string. Now every number and flag of a JSON body is read as JSON types it.
    reply = client.post(path, json=body)
    assert reply.status_code == 422, reply.text[:300]
    [detail] = reply.json()["detail"]
    assert detail.startswith(f"body.{field}: must be {wanted}"), detail
    assert detail.endswith(f", not {given}"), detail


@pytest.mark.parametrize(
    ("body", "given"),
    [
        (b"null", "null"),
        (b"[]", "an array"),
        (b'"text"', "the string 'text'"),
        (b"5", "the number 5"),
    ],
)
def test_a_body_that_is_no_object_says_so(client: TestClient, body: bytes, given: str) -> None:
    # Before (robust34): "body: Input should be a valid dictionary or object to extract
    # fields from", naming neither JSON's word for it nor what was sent.
    reply = client.post("/api/trace", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 422
    assert reply.json()["detail"] == [
        f"body: must be a JSON object of the fields in /api/docs, not {given}"
    ]


@pytest.mark.parametrize("field", ["top", "unread"])
def test_an_integer_longer_than_python_converts_is_422_naming_it(
    client: TestClient, field: str
) -> None:
    """Python converts at most 4,300 digits; up to robust39 a body holding a longer integer, in
    a field read or not, was answered 400 "There was an error parsing the body"."""
    body = b'{"text": "Cocoa prices rose.", "%s": -%s}' % (field.encode(), b"9" * 5000)
    reply = client.post("/api/trace", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 422
    assert reply.json()["error"] == (
        "body: holds an integer of 5,000 digits, over the 4,300 a number may have; no field "
        "of a request needs one that long"
    )


def test_a_whole_number_written_with_a_fraction_of_zero_is_an_integer(client: TestClient) -> None:
    # JSON Schema's "integer" takes 5.0; the strict reading must not refuse it.
    reply = client.post("/api/trace", json={"text": "Cocoa prices rose.", "top": 2.0})
    assert reply.status_code == 200, reply.text[:300]
    reply = client.post("/api/score", json={"text": "Cocoa prices rose.", "restore": 0.0})
    assert reply.status_code == 200, reply.text[:300]


@pytest.mark.parametrize(
    "path",
    [
        "/api/results/{}",
        "/api/jobs/{}",
        "/r/{}",
        "/r/{}.json",
        "/x/{}",
        "/corpus/jobs/{}",
    ],
)
def test_a_long_unknown_id_is_echoed_cut_short_and_escaped(client: TestClient, path: str) -> None:
    # Before (robust33 noticed): a 5,000-character id came back whole in the 404's message.
    rid = "<b>" + "a" * 5000
    reply = client.get(path.format(rid))
    assert reply.status_code == 404, reply.text[:300]
    assert "a" * 100 not in reply.text
    if path.startswith("/api/"):
        assert reply.json()["error"].endswith("'<b>" + "a" * 54 + "...'")
    else:
        assert "<b>" not in reply.text and "&lt;b&gt;" + "a" * 54 + "..." in reply.text


def test_a_long_unknown_key_is_echoed_cut_short(client: TestClient) -> None:
    reply = client.post("/api/trace", json={"text": "Cocoa prices rose.", "k" * 5000: 1})
    assert reply.status_code == 422
    [detail] = reply.json()["detail"]
    assert detail.startswith("body." + "k" * 57 + "...: not a key"), detail[:100]


def test_a_search_longer_than_the_api_takes_is_cut_and_said_so_on_the_corpus_page(
    client: TestClient,
) -> None:
    # Before (robust34): /corpus searched the first 200 characters of a longer query and
    # said "N documents matching" the whole of it, echoed three times (60,000 characters:
    # a 180 KB page).
    long = "reuters" + "x" * 5000
    reply = client.get("/api/documents", params={"q": long})
    assert reply.status_code == 422
    assert "q: String should have at most 200 characters" in reply.text
    page = client.get("/corpus", params={"q": long})
    assert page.status_code == 200 and long[:201] not in page.text
    assert f"matching <q>{long[:200]}</q> (the first 200 characters of the search)" in page.text
    assert f'value="{long[:200]}" maxlength="200"' in page.text
    page = client.get("/corpus", params={"q": "reuters"})
    assert "matching <q>reuters</q>;" in page.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/trace", {"text": "Cocoa prices rose.", "name": "n" * 4097}, "name"),
        (
            "/api/compare",
            {"source": "Cocoa rose.", "target": "Cocoa rose.", "source_name": "n" * 4097},
            "source_name",
        ),
    ],
)
def test_a_name_longer_than_a_path_is_refused(
    client: TestClient, path: str, body: dict[str, object], field: str
) -> None:
    # Before (robust34): a name of a million characters was taken and kept with the result.
    reply = client.post(path, json=body)
    assert reply.status_code == 422, reply.text[:200]
    assert reply.json()["detail"] == [
        f"body.{field}: Value error, a name may have at most 4,096 characters, not 4,097"
    ]
    fine = {**body, field: "n" * 4096}
    assert client.post(path, json=fine).status_code == 200
