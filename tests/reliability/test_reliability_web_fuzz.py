"""Hostile requests to the web app: lone surrogates in every API string and over-long or odd
numbers in every numeric path and query parameter end in a 4xx (or a result), never a 5xx.

Property tests (Hypothesis, a fixed example budget, no example database) against the real app
over a store holding the demo corpus. The cases are counted in docs/reliability.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'unspin[web]')")

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.ingest import ingest
from unspin.store import Store
from unspin.web.app import create_app

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
CASES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

# Text with lone surrogates (category Cs) mixed into ordinary words.
SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
HOSTILE_TEXT = st.lists(
    st.sampled_from(["Cocoa", "prices", "rose", "in", "London", "\x00", " ", "—", "😀"])
    | SURROGATE,
    min_size=1,
    max_size=30,
).map(" ".join)

# Numbers as a client may type them: far past 64 bits, negative, signed, spaced, non-ASCII
# digits, exponents, floats, hex, empty.
NUMBER = (
    st.integers(-(10**40), 10**40).map(str)
    | st.integers(1, 400).map(lambda n: "9" * n)
    | st.sampled_from(
        ["0", "-0", "+5", " 7", "1e3", "1.5", "0x10", "١٢٣", "9" * 5000, "NaN", "inf", "%00"]
    )
)
NUMERIC_PATHS = (
    "/api/documents/{n}",
    "/api/documents/{n}/reuse",
    "/d/{n}",
    "/corpus?page={n}",
    "/api/documents?offset={n}",
    "/api/documents?limit={n}",
    "/api/jobs/{n}",
    "/api/results/{n}",
    "/r/{n}",
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("webfuzz") / "demo.db"
    with Store(db) as store:
        ingest([DEMO / "corpus.jsonl"], store)
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        yield c


def _post_json(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    # json.dumps writes a lone surrogate as a "\\udXXX" escape: valid JSON a client can send.
    raw = json.dumps(body, ensure_ascii=True)
    return client.post(path, content=raw, headers={"content-type": "application/json"})


def _assert_client_error_or_result(r: Any) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code >= 400 and r.headers["content-type"].startswith("application/json"):
        message = r.json()["error"]
        assert message and "\n" not in message


@CASES
@given(
    field=st.sampled_from(
        [
            ("/api/trace", "text"),
            ("/api/trace", "name"),
            ("/api/compare", "source"),
            ("/api/compare", "target"),
            ("/api/compare", "source_name"),
            ("/api/score", "text"),
        ]
    ),
    value=HOSTILE_TEXT,
)
def test_lone_surrogates_in_any_api_string(
    client: TestClient, field: tuple[str, str], value: str
) -> None:
    path, name = field
    body: dict[str, Any] = {
        "/api/trace": {"text": "Cocoa prices rose in London.", "top": 1},
        "/api/compare": {"source": "Cocoa prices rose.", "target": "Cocoa prices went up."},
        "/api/score": {"text": "Cocoa prices rose in London.", "restore": 0},
    }[path]
    r = _post_json(client, path, {**body, name: value})
    _assert_client_error_or_result(r)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        assert r.status_code == 422 and "surrogate" in r.json()["error"]


@CASES
@given(template=st.sampled_from(NUMERIC_PATHS), number=NUMBER)
def test_any_number_in_paths_and_queries(client: TestClient, template: str, number: str) -> None:
    r = client.get(template.format(n=number))
    _assert_client_error_or_result(r)
