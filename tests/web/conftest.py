"""Fixtures for the web app tests: a demo store with hostile documents, an app and a client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'unspin[web]')")

from fastapi.testclient import TestClient

from unspin.ingest import ingest
from unspin.store import Store
from unspin.web.app import create_app
from wire_notices import ARTICLE, NOTICE, NOTICES

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"

# Documents whose text and metadata try to run script or break the page.
HOSTILE = [
    {
        "id": "evil-<script>alert(1)</script>",
        "title": "<script>window.__pwned = 1; alert('title')</script>Breaking",
        "url": "javascript:window.__pwned=1",
        "date": "1987-03-01",
        "site": '"><img src=x onerror="window.__pwned=1">',
        "text": (
            "Cocoa prices <script>window.__pwned = 1; alert('x')</script> rose sharply "
            '<img src=x onerror="window.__pwned=1"> after the <b>unclosed tag and a '
            '<a href="javascript:window.__pwned=1">link</a> <!-- broken comment '
            "</div></td></table> The International Cocoa Organization council met again."
        ),
    },
    {
        "id": "evil-2",
        "title": '</title></head><body onload="window.__pwned=1">',
        "url": 'https://example.com/a"onmouseover="window.__pwned=1',
        "date": "1987-03-02",
        "site": "<svg/onload=window.__pwned=1>",
        "text": "<style>body{display:none}</style>]]> {{ 7*7 }} {% raw %} &amp; plain text",
    },
]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the demo corpus and the hostile documents (built once per session)."""
    folder = tmp_path_factory.mktemp("webdb")
    hostile = folder / "hostile.jsonl"
    hostile.write_text("".join(json.dumps(d) + "\n" for d in HOSTILE), encoding="utf-8")
    db = folder / "demo.db"
    with Store(db) as store:
        report = ingest([DEMO / "corpus.jsonl", hostile], store)
    assert report.added > 400 and not report.errors
    return db


@pytest.fixture(scope="session")
def wire_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of rating notices in one template frame (tests/wire_notices.py), under ids that
    try to run script: ``wire_article`` traced against it gives a source marked as sharing
    only the frame (``SourceMatch.shared_wording``: the four others hold it)."""
    from unspin import Corpus

    db = tmp_path_factory.mktemp("wiredb") / "wire.db"
    with Corpus(db) as corpus:
        for i, row in enumerate(NOTICES):
            corpus.add(NOTICE.format(*row), id=f'<img src=x onerror="window.__pwned=1">n{i}')
    return db


@pytest.fixture(scope="session")
def wire_article() -> str:
    """Another company's notice in the frame of ``wire_db``'s."""
    return ARTICLE


@pytest.fixture(scope="session")
def web_app(demo_db: Path):  # type: ignore[no-untyped-def]
    return create_app(demo_db, allowed_hosts=["testserver", "127.0.0.1"])


@pytest.fixture(scope="session")
def client(web_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(web_app) as c:
        yield c


@pytest.fixture(scope="session")
def token(client: TestClient) -> str:
    return str(client.get("/api/csrf").json()["token"])


@pytest.fixture(scope="session")
def article() -> str:
    return (DEMO / "example-article.txt").read_text(encoding="utf-8")
