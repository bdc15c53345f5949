"""The JSON API: same schema as the CLI, permanent results, clear errors with the right status."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from unspin.report import load_schema
from unspin.web.app import create_app


def test_trace_returns_the_cli_schema_and_a_permanent_url(client: TestClient, article: str):
    r = client.post("/api/trace", json={"text": article})
    assert r.status_code == 200
    report = r.json()
    jsonschema.validate(report, load_schema())
    ids = [s["document"]["id"] for s in report["sources"]]
    assert {"reuters-1715", "reuters-3034"} <= set(ids[:2])
    rid = r.headers["x-result-id"]
    assert r.headers["location"] == f"/r/{rid}"
    # Same input, same id; the kept result is served as it was.
    again = client.post("/api/trace", json={"text": article})
    assert again.headers["x-result-id"] == rid
    assert client.get(f"/api/results/{rid}").json() == report
    download = client.get(f"/r/{rid}.json")
    assert "attachment" in download.headers["content-disposition"]
    assert json.loads(download.text) == report


def test_html_download_is_the_self_contained_report(client: TestClient, article: str):
    rid = client.post("/api/trace", json={"text": article}).headers["x-result-id"]
    r = client.get(f"/r/{rid}.html")
    assert r.status_code == 200
    assert r.text.startswith("<!DOCTYPE html>") and "<style>" in r.text
    assert "reuters-1715" in r.text
    assert "<script" not in r.text


def test_compare_with_restore(client: TestClient, demo_dir: Path):
    source = (demo_dir / "example-verbatim.txt").read_text(encoding="utf-8")
    target = (demo_dir / "example-article.txt").read_text(encoding="utf-8")
    r = client.post("/api/compare", json={"source": source, "target": target, "restore": True})
    assert r.status_code == 200
    report = r.json()
    jsonschema.validate(report, load_schema())
    assert report["sources"] and report["sources"][0]["coverage"] > 0.5
    assert report["restored"] is not None and report["restored"] != target
    labels = {e["label"] for p in report["sources"][0]["passages"] for e in p["edits"]}
    assert "synonym" in labels


def test_score(client: TestClient, article: str):
    pytest.importorskip("unspin.spinscore.score")
    r = client.post("/api/score", json={"text": article})
    assert r.status_code == 200
    assert 0.0 <= r.json()["probability"] <= 1.0
    fast = client.post("/api/score", json={"text": article, "restore": 0})
    assert fast.status_code == 200 and fast.json()["probability"] == r.json()["probability"]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/trace", {"text": "   "}, 422),
        ("/api/trace", {"txt": "missing field"}, 422),
        ("/api/trace", {"text": "x", "top": 0}, 422),
        ("/api/compare", {"source": "", "target": "abc"}, 422),
        ("/api/score", {"text": "abc", "restore": -1}, 422),
    ],
)
def test_bad_requests_are_json_errors(client: TestClient, path: str, body: dict, status: int):
    r = client.post(path, json=body)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]


def test_csrf_form_posts_without_token_are_refused(client: TestClient, article: str):
    # A cross-site form can send urlencoded or multipart bodies, never JSON.
    r = client.post("/api/trace", data={"text": article})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    r = client.post("/check", data={"text": article})
    assert r.status_code == 403
    r = client.post("/api/ingest", files={"files": ("a.txt", b"some text here")})
    assert r.status_code == 403


def test_cross_origin_requests_are_refused_even_as_json(client: TestClient, article: str):
    r = client.post("/api/trace", json={"text": article}, headers={"Origin": "https://evil.test"})
    assert r.status_code == 403


def test_untrusted_host_is_refused(client: TestClient):
    assert client.get("/api/stats", headers={"Host": "attacker.test"}).status_code == 400


def test_ingest_job_adds_documents(client: TestClient, token: str, tmp_path: Path):
    text = "The tin council met in London today and agreed a new buffer stock plan. " * 5
    r = client.post(
        "/api/ingest",
        files=[("files", ("../../../etc/passwd.txt", text.encode()))],
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    for _ in range(2400):  # a hang guard of two minutes, not a speed limit: the job may be slow
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert job["state"] == "done" and job["added"] == 1 and job["fraction"] == 1.0
    found = client.get("/api/documents", params={"q": "upload-"}).json()
    ids = [d["id"] for d in found["documents"]]
    # The user's file name never becomes a path: the id is made from the content.
    assert any(i.startswith("upload-") and i.endswith(".txt") for i in ids)
    assert not any("passwd" in i or ".." in i for i in ids)


def test_unsupported_kind_is_415(client: TestClient, token: str):
    r = client.post(
        "/api/ingest",
        files={"files": ("tool.exe", b"MZ\x90\x00")},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 415 and "accepted" in r.json()["error"]


def test_upload_over_the_limit_is_413(demo_db: Path):
    app = create_app(demo_db, max_upload_bytes=1024, allowed_hosts=["testserver"])
    with TestClient(app) as small:
        token = small.get("/api/csrf").json()["token"]
        r = small.post(
            "/api/ingest",
            files={"files": ("big.txt", b"x" * 5000)},
            headers={"X-CSRF-Token": token},
        )
        assert r.status_code == 413 and "limit" in r.json()["error"]
        page = small.post("/check", data={"text": "y" * 5000, "csrf_token": token})
        assert page.status_code == 413 and "too large" in page.text


def test_documents_search_and_detail(client: TestClient):
    r = client.get("/api/documents", params={"q": "COFFEE TALKS", "limit": 5}).json()
    assert r["total"] >= 2 and all("COFFEE" in d["title"] for d in r["documents"])
    key = r["documents"][0]["key"]
    one = client.get(f"/api/documents/{key}").json()
    assert one["document"]["key"] == key and one["text"]
    # LIKE wildcards are literal, not "match everything".
    assert client.get("/api/documents", params={"q": "%"}).json()["total"] == 0
    missing = client.get("/api/documents/999999")
    assert missing.status_code == 404 and "999999" in missing.json()["error"]


def test_reuse_has_a_direction(client: TestClient):
    docs = client.get("/api/documents", params={"q": "reuters-1715"}).json()["documents"]
    key = docs[0]["key"]
    reuse = client.get(f"/api/documents/{key}/reuse").json()["reuse"]
    assert all(r["document"]["key"] != key for r in reuse)
    assert {r["direction"] for r in reuse} <= {"reuses", "reused_by", "shared"}


def test_openapi_describes_the_api(client: TestClient):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/trace", "/api/compare", "/api/score", "/api/ingest", "/api/documents"):
        assert path in spec["paths"]


def test_unknown_result_is_404(client: TestClient):
    assert client.get("/api/results/0123").status_code == 404
    page = client.get("/r/0123")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_the_same_text_under_another_name_is_another_result(client: TestClient, article: str):
    # The name is shown with the result: a kept result under the first name must not answer
    # for the second.
    first = client.post("/api/trace", json={"text": article, "name": "first-upload.txt"})
    second = client.post("/api/trace", json={"text": article, "name": "second-upload.txt"})
    assert first.status_code == second.status_code == 200
    assert first.headers["x-result-id"] != second.headers["x-result-id"]
    page = client.get(f"/r/{second.headers['x-result-id']}").text
    assert "second-upload.txt" in page and "first-upload.txt" not in page
    assert first.json()["sources"] == second.json()["sources"]  # the same sources and passages


def test_compare_of_two_languages_says_how_to_trace_a_translation(client: TestClient):
    # Before: the page said only that nothing was found (the CLI said more since robust26).
    source = (
        "The central bank raised its key interest rate on Tuesday, saying that inflation had "
        "stayed above its target for a year and that wages were rising faster than expected."
    )
    target = (
        "Центральный банк во вторник повысил ключевую процентную ставку, заявив, что инфляция "
        "уже год остается выше целевого уровня, а зарплаты растут быстрее, чем ожидалось."
    )
    r = client.post("/api/compare", json={"source": source, "target": target})
    assert r.status_code == 200 and not r.json()["sources"]
    assert "'en'" in r.json()["meta"]["note"] and "'ru'" in r.json()["meta"]["note"]
    page = client.get(f"/r/{r.headers['x-result-id']}").text
    assert 'id="compare-note"' in page and "--languages across" in page
    same = client.post("/api/compare", json={"source": source, "target": source})
    assert "note" not in same.json()["meta"]


def test_trace_of_a_translation_on_a_store_without_vectors_says_how_to_search_across(
    client: TestClient,
):
    # Before (robust27): a trace of the Russian translation of a stored story found nothing
    # and said nothing more (the store keeps no cross-language vectors); the CLI says it now.
    demo = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
    translated = (demo / "example-translated-ru.txt").read_text(encoding="utf-8")
    r = client.post("/api/trace", json={"text": translated})
    assert r.status_code == 200 and not r.json()["sources"]
    note = r.json()["meta"]["note"]
    assert "'ru'" in note and "'en'" in note and "unspin xling index --db" in note
    page = client.get(f"/r/{r.headers['x-result-id']}").text
    assert 'id="compare-note"' in page and "no cross-language vectors" in page
    english = client.post("/api/trace", json={"text": "The committee met on Tuesday."})
    assert "note" not in english.json()["meta"]


COPIES_DATED = {
    "same-year": "1987",
    "same-day": "1987-02-26T15:00:00Z",
    "older": "1987-01-15",
    "newer": "1987-03-02",
}


def _reuse_of_a_story_stored_five_times(tmp_path: Path) -> tuple[list[dict], str]:
    """The reuse list (API) and the page of a story dated 1987-02-26 whose copies are dated
    as COPIES_DATED says: one word for word, the others with a line added."""
    from unspin import Corpus, Document

    demo = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
    lines = (demo / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    story = json.loads(lines[0])["text"]
    db = tmp_path / "copies.db"
    (tmp_path / "others.jsonl").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    with Corpus(db) as corpus:
        corpus.add(tmp_path / "others.jsonl")  # alone, five copies would be all boilerplate
        corpus.add(Document(story, id="shown", date="1987-02-26"))
        for n, (doc_id, date) in enumerate(COPIES_DATED.items()):
            text = story if doc_id == "older" else f"{story} A line added by copy {n}."
            corpus.add(Document(text, id=doc_id, date=date))
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        (shown,) = client.get("/api/documents", params={"q": "shown"}).json()["documents"]
        reuse = client.get(f"/api/documents/{shown['key']}/reuse").json()["reuse"]
        return reuse, client.get(f"/d/{shown['key']}").text


def test_reuse_lists_the_copies_of_the_document(tmp_path: Path):
    # Before (robust27): a story stored five times listed no reuse at all: the trace of a
    # stored document names the document itself as its source and the others as that
    # source's copies, which were dropped with it.
    reuse, page = _reuse_of_a_story_stored_five_times(tmp_path)
    assert sorted(r["document"]["id"] for r in reuse) == sorted(COPIES_DATED)
    assert all(f">{doc_id}<" in page for doc_id in COPIES_DATED)


def test_reuse_direction_needs_dates_that_tell_an_order(tmp_path: Path):
    # Before (robust27): the dates were compared as text, so a copy dated only "1987" was
    # "older" than the story of 1987-02-26, and one of 1987-02-26T15:00:00Z "newer";
    # `unspin cluster` compares them at the coarser precision of the two and calls such an
    # order unknown.
    reuse, _ = _reuse_of_a_story_stored_five_times(tmp_path)
    assert {r["document"]["id"]: r["direction"] for r in reuse} == {
        "same-year": "shared",
        "same-day": "shared",
        "older": "reuses",
        "newer": "reused_by",
    }


def test_a_reindex_leaves_the_documents_browsable_and_a_trace_is_a_conflict(
    demo_db: Path, tmp_path: Path, article: str
) -> None:
    """Before (robust36): while ``unspin reindex`` ran on the store (or after one was cut
    short), every request answered 400, the client's fault: the Corpus page, /api/stats and
    /api/documents too, which read the documents alone, and a re-index leaves those whole.
    Now those answer 200, and a trace, which needs the index, 409 with the store's message."""
    import shutil
    import sqlite3

    from unspin.store import REINDEX_FLAG

    db = tmp_path / "s.db"
    shutil.copy(demo_db, db)
    app = create_app(db, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        # A re-index starting after the server did (as `unspin reindex` flags the store).
        with sqlite3.connect(db) as conn:
            conn.execute("INSERT INTO meta VALUES (?, ?)", (REINDEX_FLAG, "1796637600"))
        for path in ("/api/stats", "/api/documents?q=coffee", "/api/documents/1", "/corpus"):
            assert c.get(path).status_code == 200, path
        done = c.post("/api/trace", json={"text": article})
        assert done.status_code == 409
        assert done.json()["error"] == (
            f"{db}: a re-index started 2026-12-07 10:00 UTC is running or was interrupted, so "
            f"the index is incomplete; when none is running, finish it with: unspin reindex "
            f"--db {db}"
        )


def _story_quoted_by_a_post(tmp_path: Path, **story: str) -> tuple[Path, str, str]:
    """(store, story, post): the demo with a story no other demo document shares text with
    (id "wire", 1987-02-26, or ``story``'s fields), quoted whole in a longer blog post
    ("blog", 1987-03-02) after a paragraph of its own."""
    from unspin import Corpus, Document

    demo = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
    lines = (demo / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    text = json.loads(lines[1])["text"]
    own = (
        "The regional council met on Thursday to discuss the new bus timetable, which "
        "residents of the northern villages have criticised for months. Councillors agreed "
        "to hold a public hearing in the spring and to publish the passenger counts."
    )
    db = tmp_path / "part.db"
    others = [line for i, line in enumerate(lines) if i != 1]
    (tmp_path / "others.jsonl").write_text("\n".join(others) + "\n", encoding="utf-8")
    with Corpus(db) as corpus:
        corpus.add(tmp_path / "others.jsonl")
        corpus.add(Document(text, **{"id": "wire", "date": "1987-02-26", **story}))
        corpus.add(Document(f"{own}\n\n{text}", id="blog", date="1987-03-02"))
    return db, text, f"{own}\n\n{text}"


def test_reuse_lists_documents_that_share_part_of_the_text(tmp_path: Path):
    """Before: the trace of a stored document kept the document in the store, so it owned
    its whole text and a document sharing only a paragraph of it was never listed (the
    demo's example article, dated, listed nothing where its trace without it finds 2
    sources)."""
    db, story, post = _story_quoted_by_a_post(tmp_path)
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        keys = {
            d["id"]: d["key"]
            for name in ("wire", "blog")
            for d in client.get("/api/documents", params={"q": name}).json()["documents"]
        }
        blog = client.get(f"/api/documents/{keys['blog']}/reuse").json()["reuse"]
        wire = client.get(f"/api/documents/{keys['wire']}/reuse").json()["reuse"]
        page = client.get(f"/d/{keys['blog']}").text
    assert [(r["document"]["id"], r["direction"]) for r in blog][:1] == [("wire", "reuses")]
    # the story, not the council's own text
    assert abs(blog[0]["coverage"] - len(story) / len(post)) < 0.1
    assert [(r["document"]["id"], r["direction"]) for r in wire][:1] == [("blog", "reused_by")]
    assert wire[0]["coverage"] > 0.9  # all of the wire story is in the blog post
    assert all(r["document"]["key"] not in (keys["blog"],) for r in blog)
    assert "This document reuses" in page and ">wire<" in page


def test_a_document_sharing_part_of_the_text_is_listed_escaped(tmp_path: Path):
    """The post's page lists the story it quotes as a document it reuses (before the 39th
    session it listed nothing: the post owned its whole text), and the story's hostile
    title, id and site are shown as text, never as markup."""
    db, _, _ = _story_quoted_by_a_post(
        tmp_path,
        id="evil-<script>alert(1)</script>",
        title='<img src=x onerror="window.__pwned=1">',
        site="<svg/onload=alert(1)>",
    )
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        (blog,) = client.get("/api/documents", params={"q": "blog"}).json()["documents"]
        page = client.get(f"/d/{blog['key']}").text
    listed = page[page.index('id="reuse-h"') : page.index('id="text-h"')]
    assert "This document reuses" in listed
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in listed
    assert "&lt;svg/onload=alert(1)&gt;" in listed
    for bad in ("<img src=x", "<svg/onload", "<script>alert"):
        assert bad not in page, bad
