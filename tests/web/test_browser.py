"""The app in a real browser: Playwright driving Debian's chromium (skipped without it).

Screenshots go to ``$UNSPIN_TEST_OUTPUT/web`` (default ``test-output/web`` in the repository).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need /usr/bin/chromium (apt-get install -y chromium; `make browser`)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
uvicorn = pytest.importorskip("uvicorn")

from unspin.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("UNSPIN_TEST_OUTPUT", ROOT / "test-output")) / "web"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(db: Path) -> Iterator[str]:
    """The app on ``db``, served by uvicorn in a thread: its address."""
    port = _free_port()
    app = create_app(db, warm_up=True)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(2400):  # a hang guard (two minutes), not a speed limit
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    with _serving(demo_db) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def _shot(pg, name: str) -> Path:  # type: ignore[no-untyped-def]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    return path


def _paste(page, server: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """``text`` pasted into the Check form and sent: the page is its result's, with sources."""
    page.goto(server + "/")
    page.fill("#text", text)
    page.click("button[type=submit]")
    page.wait_for_url("**/r/*")
    page.wait_for_selector("#sources table")


def test_paste_a_spun_article_and_read_the_result(page, server: str, article: str):  # type: ignore[no-untyped-def]
    _paste(page, server, article)
    rows = page.locator("#sources tbody tr")
    top_two = {rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)}
    assert top_two == {"reuters-1715", "reuters-3034"}
    assert page.locator("#article .seg.src0").count() > 0
    edits = page.locator(".pair mark.edit")
    assert edits.count() > 5
    assert page.locator("sup.lab").first.inner_text()  # every highlight carries a text label
    assert page.locator("svg.plot line").count() >= 2
    spin = page.locator("#spin")
    assert "Spin score" in spin.inner_text()
    _shot(page, "result-laptop")
    page.set_viewport_size({"width": 390, "height": 844})
    # Nothing wider than a phone screen except inside scroll boxes.
    overflow = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > 392).slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert overflow <= 400, wide
    _shot(page, "result-phone")
    permalink = page.locator("#permalink").get_attribute("href")
    page.goto(server + permalink)
    assert page.locator("#sources tbody tr").count() >= 2


def test_hostile_documents_do_not_run(page, server: str):  # type: ignore[no-untyped-def]
    page.goto(server + "/corpus?q=evil")
    links = page.locator("#documents a")
    assert links.count() == 2
    for i in range(2):
        page.goto(server + "/corpus?q=evil")
        page.locator("#documents a").nth(i).click()
        page.wait_for_selector("#doc-text")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("#doc-text").is_visible()
        assert page.locator("footer.site").is_visible()  # broken markup did not eat the page
    assert page.dialogs == []
    assert "<script>" in page.locator("h1").inner_text() or page.locator("#doc-text").inner_text()
    _shot(page, "hostile-document")


def test_keyboard_reaches_the_form(page, server: str):  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "text":
            break
    assert page.evaluate("document.activeElement.id") == "text"


def test_upload_to_corpus_shows_progress(page, server: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    upload = tmp_path / "note.txt"
    upload.write_text("Rubber producers met in Kuala Lumpur this week to discuss prices. " * 6)
    page.goto(server + "/corpus")
    page.set_input_files("#files", str(upload))
    page.click("#ingest-form button[type=submit]")
    page.wait_for_url("**/corpus/jobs/*")
    # A selector wait, not wait_for_function: the app's CSP forbids evaluating strings.
    # A hang guard, not a speed limit (that is benchmarks/load_web.py): generous for a busy machine.
    page.locator("#job-state", has_text="done").wait_for(timeout=120_000)
    assert page.locator("#job-progress").get_attribute("value") == "100"
    _shot(page, "ingest-done")


def test_api_docs_render_offline_under_the_security_policy(page, server: str):  # type: ignore[no-untyped-def]
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    # Nothing may leave the machine: any request to another host fails the page.
    outside: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(server)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.goto(server + "/api/docs")
    page.wait_for_selector(".opblock", timeout=30_000)  # Swagger UI drew the operations
    assert page.locator(".opblock").count() >= 8
    assert "/api/trace" in page.locator("#swagger-ui").inner_text()
    assert refused == [] and outside == []
    _shot(page, "api-docs")


def test_favicon_is_shown(page, server: str):  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(server + href).ok


# Lines a cell's text takes in the page (one client rectangle a line).
_LINES = (
    "[...document.querySelectorAll(SEL)].map(c => { const r = document.createRange();"
    " r.selectNodeContents(c); return [c.textContent.trim(),"
    " new Set([...r.getClientRects()].map(q => Math.round(q.top))).size]; })"
)


def test_the_html_report_s_tables_do_not_break_words(  # type: ignore[no-untyped-def]
    page, demo_db: Path, tmp_path: Path
):
    """Before (coordinator, 28th session): the standalone report's sources table broke its
    headers and short cells inside words ("Ran|k", "UR|L", "reuters.c|om", "0.35|7")."""
    from click.testing import CliRunner

    from unspin.cli import main

    report = tmp_path / "report.html"
    article = ROOT / "src" / "unspin" / "data" / "demo" / "example-article.txt"
    res = CliRunner().invoke(
        main, ["trace", str(article), "--db", str(demo_db), "--html", str(report)]
    )
    assert res.exit_code == 0, res.output
    page.goto(report.as_uri())
    heads = page.evaluate(_LINES.replace("SEL", "'#sources th'"))
    assert heads and all(lines == 1 for _, lines in heads), heads
    cells = page.evaluate(
        _LINES.replace("SEL", "'#sources td:nth-child(5), #sources td:nth-child(8)'")
    )
    assert {text for text, _ in cells} >= {"reuters.com"}
    assert all(lines == 1 for _, lines in cells), cells
    _shot(page, "report-sources")


def test_a_source_sharing_only_template_wording_is_marked_in_the_browser(  # type: ignore[no-untyped-def]
    page, wire_db: Path, wire_article: str
):
    """The mark of a source whose only shared wording is a template frame other stored
    documents hold (``SourceMatch.shared_wording``) is shown on the result page, under its
    stored id, which tries to run script and does not."""
    with _serving(wire_db) as address:
        _paste(page, address, wire_article)
        rows = page.locator("#sources tbody tr")
        assert rows.count() == 1
        cell = rows.first.locator("td").nth(1)
        assert cell.is_visible()
        assert cell.inner_text().endswith("shared wording only (4 other stored documents)")
        assert cell.inner_text().startswith('<img src=x onerror="window.__pwned=1">n')
        note = page.locator("dl.summary dt", has_text="Shared wording").locator("+ dd")
        assert note.is_visible()
        assert note.inner_text().startswith("shared wording: what it shares with the article, 4 ")
        # What only the template explains is drawn apart: the summary's bar is all hatched,
        # none of it filled as covered by sources, and the article's stretch says so.
        bar = page.locator("#summary .bar.stack")
        assert (
            bar.get_attribute("aria-label") == "covered by sources 0%, template wording only 100%"
        )
        filled, hatched = bar.locator("span").first, bar.locator("span.template")
        outer, box = bar.bounding_box(), hatched.bounding_box()
        assert outer is not None and box is not None and box["width"] >= outer["width"] - 3
        assert (filled.bounding_box() or {"width": 1})["width"] == 0
        assert page.locator("#article .seg.template .tag").inner_text() == (
            "S1 · template wording only"
        )
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.dialogs == []
        _shot(page, "result-shared-wording")
