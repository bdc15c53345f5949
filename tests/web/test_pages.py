"""Server-rendered pages: content, escaping of hostile documents, forms and headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from unspin.report import render_html, render_report_body
from unspin.trace import compare
from unspin.types import TraceResult
from unspin.web.view import spin_view

# Markup the hostile documents try to inject; none may appear unescaped in any page.
INJECTED = (
    "<script>window.__pwned",
    "<script>alert",
    'onerror="window.__pwned',
    "<svg/onload",
    'href="javascript:',
    "<body onload",
    "<style>body{display:none}",
    'onmouseover="window',
)


def _hostile_keys(client: TestClient) -> list[int]:
    docs = client.get("/api/documents", params={"q": "evil"}).json()["documents"]
    assert len(docs) == 2
    return [d["key"] for d in docs]


def _assert_inert(html: str) -> None:
    for bad in INJECTED:
        assert bad not in html, bad
    # The only scripts are our own file.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']


def test_check_page_has_the_form_and_token(client: TestClient, token: str):
    r = client.get("/")
    assert r.status_code == 200
    assert 'name="csrf_token" value="' + token + '"' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_paste_redirects_to_a_permanent_result(client: TestClient, token: str, article: str):
    r = client.post("/check", data={"text": article, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/r/")
    page = client.get(r.headers["location"]).text
    assert "Spin score" in page and "reuters-1715" in page
    assert 'class="seg src0"' in page and 'mark class="edit' in page
    assert page.count("<main") == 1  # the report is embedded, not nested


def test_result_page_and_download_are_the_cli_reports_templates(
    client: TestClient, token: str, article: str
):
    """The page embeds, and the download is, what ``unspin trace --html`` renders for the
    same result: one set of templates for both faces."""
    r = client.post("/check", data={"text": article, "csrf_token": token}, follow_redirects=False)
    rid = r.headers["location"].removeprefix("/r/")
    kept = client.app.state.web.results.load(rid)  # type: ignore[attr-defined]
    spans = spin_view(kept.result, kept.spin).spans
    page = client.get(f"/r/{rid}").text
    assert render_report_body(kept.result, kept.source_texts, spans) in page
    assert client.get(f"/r/{rid}.html").text == render_html(kept.result, kept.source_texts)


def test_spin_spans_are_marked_in_the_stretches_with_no_source(client: TestClient, token: str):
    """Before (31st session): the article with no source showed its spin spans only in a list
    under the score; the article itself was drawn unmarked. Now each span inside a stretch with
    no source is marked there, its likely originals in its title, its words escaped."""
    post = (
        "Moscow, the Russian Union said on Tuesday that it would not sign the lawfully obligatory "
        "accord unless the medium that monitors the deal was given full access. The foreign "
        "ministry said that its envoy had spoken by telephonic call with officials in Geneva and "
        "that there was no pos3sibility of a quick settlement. Officials <b>in</b> Washington "
        "declined to comment, but a senior administrator said the United States remained "
        "committed to a lawfully obligatory framework. Markets reacted calmly, with the rouble "
        "steady against the dollar in afternoon exchanging."
    )
    r = client.post("/check", data={"text": post, "csrf_token": token}, follow_redirects=False)
    rid = r.headers["location"].removeprefix("/r/")
    kept = client.app.state.web.results.load(rid)  # type: ignore[attr-defined]
    page = client.get(f"/r/{rid}").text
    article = page[page.index('id="article-h"') :]
    marks = re.findall(
        r'<mark class="spin spin-(\w+)"(?: title="([^"]*)")?>([^<]*)</mark>', article
    )
    spans = spin_view(kept.result, kept.spin).spans
    assert marks and len(marks) == sum(s.unsourced for s in spans)
    assert ("character_noise", "likely originally: possibility", "pos3sibility") in marks
    assert "Marked words in them are spin spans" in article
    assert "&lt;b&gt;in&lt;/b&gt;" in article and "<b>in</b>" not in article


def test_an_article_hiding_lookalike_letters_is_traced_and_noted_on_the_page(
    client: TestClient, token: str, article: str
):
    # Before: the web page said nothing of the lookalike letters the CLI notes on standard
    # error. The words are read as the Latin ones they show, so the sources are found too.
    hidden = article.translate(str.maketrans("eoa", "\u0435\u043e\u0430"))
    r = client.post("/check", data={"text": hidden, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert 'id="lookalike-note"' in page and "mix Latin letters with Cyrillic" in page
    assert "reuters-1715" in page and "reuters-3034" in page
    plain = client.post("/check", data={"text": article, "csrf_token": token})
    assert 'id="lookalike-note"' not in plain.text


def test_an_article_hiding_zero_width_spaces_is_noted_on_the_page(
    client: TestClient, token: str, article: str
):
    # Before (31st session): nothing on the page said the words hid zero-width spaces.
    hidden = re.sub(r"(\w)(\w)", "\\1\u200b\\2", article)
    r = client.post("/check", data={"text": hidden, "csrf_token": token}, follow_redirects=False)
    page = client.get(r.headers["location"]).text
    assert 'id="lookalike-note"' in page and "words hold invisible characters" in page
    assert "reuters-1715" in page and "reuters-3034" in page


def test_a_store_indexed_before_words_kept_their_marks_is_noted_on_the_page(tmp_path) -> None:
    # Before (33rd session): the page said nothing when the store read the article's words
    # (here accents written apart) the old way and could miss their sources.
    import sqlite3
    import unicodedata

    from unspin.api import Corpus
    from unspin.web.app import create_app

    source = (
        "La réforme des retraites adoptée par l'Assemblée nationale a été contestée par les "
        "syndicats, qui ont appelé à une nouvelle journée de grève jeudi prochain."
    )
    db = tmp_path / "old.db"
    with Corpus(str(db)) as corpus:
        corpus.add(source, id="retraites")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'word_reading'")
    app = create_app(db, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        token = str(c.get("/api/csrf").json()["token"])
        nfd = unicodedata.normalize("NFD", source)
        r = c.post("/check", data={"text": nfd, "csrf_token": token}, follow_redirects=False)
        page = c.get(r.headers["location"]).text
    assert "indexed by an older unspin" in page and "unspin reindex --db" in page


def test_pasted_text_is_the_text_the_cli_reads(client: TestClient, token: str, article: str):
    """A browser sends a textarea's line breaks as CRLF (the HTML form rules), so the app
    traced a pasted article 35 characters longer than the same file on the command line, every
    offset shifted by one a line (coordinator, 28th session, in chromium)."""
    pasted = article.replace("\n", "\r\n")
    r = client.post("/check", data={"text": pasted, "csrf_token": token}, follow_redirects=False)
    rid = r.headers["location"].removeprefix("/r/")
    report = client.get(f"/r/{rid}.json").json()
    assert report["article"]["text"] == article and report["article"]["length"] == len(article)


def test_file_upload_check(client: TestClient, token: str):
    html = (
        b"<html><head><title>T</title></head><body><article><p>"
        + b"The coffee talks failed in London, delegates said on Monday. " * 8
        + b"</p></article></body></html>"
    )
    r = client.post(
        "/check",
        data={"csrf_token": token},
        files={"file": ("page.html", html, "text/html")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    bad = client.post("/check", data={"csrf_token": token}, files={"file": ("x.pdf", b"%PDF-1.4")})
    assert bad.status_code == 415 and "accepted" in bad.text


def test_hostile_documents_are_escaped_everywhere(client: TestClient, token: str):
    keys = _hostile_keys(client)
    corpus = client.get("/corpus", params={"q": "evil"}).text
    _assert_inert(corpus)
    assert "&lt;script&gt;" in corpus
    for key in keys:
        page = client.get(f"/d/{key}")
        assert page.status_code == 200
        _assert_inert(page.text)
    doc = client.get(f"/d/{keys[0]}").text
    assert "javascript:window.__pwned=1" in doc  # shown as text, never as a link
    # Trace a text reusing the hostile document: the result page shows it as a source.
    text = client.get(f"/api/documents/{keys[0]}").json()["text"] * 2
    r = client.post("/check", data={"text": text, "csrf_token": token})
    assert r.status_code == 200 and "/r/" in str(r.url)
    _assert_inert(r.text)
    assert "evil-&lt;script&gt;" in r.text


def test_corpus_page_counts_and_pages(client: TestClient):
    page = client.get("/corpus").text
    assert "Documents" in page and "1987-" in page and "reuters.com" in page
    assert 'rel="next"' in page


def test_document_page_lists_reuse(client: TestClient):
    key = client.get("/api/documents", params={"q": "reuters-1715"}).json()["documents"][0]["key"]
    page = client.get(f"/d/{key}").text
    assert "COLOMBIA BLASTS" in page and "Shared text with other documents" in page


def test_result_page_shows_the_downloaded_reports_sections():
    """The page embeds the report body the download has inside its <main>, less the title:
    one renderer for both, no cutting of the downloaded page."""
    source = "Heavy rain flooded the old town of Prague overnight, the city said on Monday."
    result = compare(source, source.replace("Heavy", "Strong"))
    download = render_html(result, {0: source})
    main = download[download.index("<main>") + len("<main>") : download.index("</main>")]
    assert main == "\n<h1>unspin report</h1>\n" + render_report_body(result, {0: source})


def test_spin_verdict_warns_on_short_texts() -> None:
    result = TraceResult("A short text.", (), ())
    long = spin_view(result, {"probability": 0.9, "short_text": False, "spans": []})
    short = spin_view(result, {"probability": 0.9, "short_text": True, "spans": []})
    assert long.verdict == "very likely spun"
    assert short.verdict.startswith("very likely spun") and "short text" in short.verdict


def test_spin_spans_give_their_reason_in_words() -> None:
    result = TraceResult("The focal bank.", (), ())
    span = {"start": 4, "end": 9, "phrase": "focal", "reason": "rare_synonym"}
    view = spin_view(result, {"probability": 0.5, "spans": [span, {**span, "reason": "new"}]})
    assert view.spans[0].why == "rare word where a common synonym is expected"
    assert view.spans[1].why == "new"  # an unknown reason is shown as it is


def test_spin_note_reaches_the_page_view() -> None:
    # A low probability beside strong spans carries SpinScore.note; the page must say it too.
    result = TraceResult("The focal bank.", (), ())
    note = "3 strong spans, yet the text-level probability is low"
    assert spin_view(result, {"probability": 0.1, "spans": [], "note": note}).note == note
    assert spin_view(result, {"probability": 0.1, "spans": []}).note is None


@pytest.mark.parametrize(
    "path", ["/", "/corpus", "/api/health", "/api/stats", "/static/favicon.svg"]
)
def test_head_answers_like_get_without_a_body(client: TestClient, path: str):
    # HTTP asks for HEAD wherever GET is answered (link checkers, `curl -I`); it was 405.
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_head_of_a_missing_page_or_a_post_only_route_is_refused_as_get_is(client: TestClient):
    assert client.head("/no-such-page").status_code == client.get("/no-such-page").status_code
    assert client.head("/check").status_code == client.get("/check").status_code == 405


def test_bidirectional_controls_in_a_document_are_shown_as_escapes(tmp_path: Path) -> None:
    """Before (robust36): the Corpus page, a document's page and a result's page wrote an
    id, title or text holding a right-to-left override (U+202E) as it is, so each read in
    another order than it was written ("report<RLO>LMTH.exe" as "reportexe.HTML"), and an
    override left open reordered the rest of its line. Now each shows the escape."""

    from unspin import Corpus
    from unspin.web.app import create_app

    db = tmp_path / "s.db"
    text = "Floods closed the \u202enorthern railway line for two days, officials said."
    with Corpus(db) as corpus:
        corpus.add(text, id="report\u202eLMTH.exe", title="Title \u2067here")
    controls = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        for path in ("/corpus", "/d/1", "/api/documents"):
            page = c.get(path)
            assert page.status_code == 200
            assert not any(ch in page.text for ch in controls) or path.startswith("/api/"), path
        assert "report\\u202eLMTH.exe" in c.get("/corpus").text
        assert "\\u202enorthern" in c.get("/d/1").text
        # The JSON API gives the data as stored.
        assert c.get("/api/documents").json()["documents"][0]["id"] == "report\u202eLMTH.exe"


def test_a_store_holding_names_longer_than_any_real_one_shows_their_start(tmp_path: Path) -> None:
    """A store written before robust36 may hold an id, title, URL or site of any length
    (2,000,000 characters each made a trace's terminal report of 19 MB in 39 s, its HTML
    page 22 MB, and a Corpus page of them all). Now every read of the store shows the first
    8,192 characters of such a name and says how long it is; the store keeps it whole."""
    import io
    import sqlite3

    from rich.console import Console

    from unspin import Corpus
    from unspin.report import dumps, render_html, render_terminal
    from unspin.store import Store
    from unspin.web.app import create_app

    db = tmp_path / "old.db"
    text = "Floods closed the northern railway line on Monday, and engineers said repairs " * 3
    with Corpus(db) as corpus:
        corpus.add(text, id="wire-1", title="Floods", url="https://example.com/a", site="ex")
    long = {name: name[0] * 200_000 for name in ("id", "title", "url", "site")}
    with sqlite3.connect(db) as conn:  # as a store written before robust36 holds them
        conn.execute(
            "UPDATE documents SET id = :id, title = :title, url = :url, site = :site", long
        )
    note = "… [200,000 characters stored; the first 8,192 shown]"
    with Store(db, create=False) as store:
        doc = store.document(1)
        assert [doc.id, doc.title, doc.url, doc.site] == [v[:8_192] + note for v in long.values()]
        assert store.find(long["id"]) == [doc]  # found by the whole id still
    with sqlite3.connect(db) as conn:  # nothing rewritten
        assert conn.execute("SELECT length(id), length(title) FROM documents").fetchone() == (
            200_000,
            200_000,
        )
    with Corpus(db) as corpus:
        result = corpus.trace(text)
    assert result.sources and result.sources[0].document == doc
    console = Console(record=True, width=100, file=io.StringIO())
    render_terminal(result, {1: text}, console)
    terminal = console.export_text()
    for report in (terminal, render_html(result, {1: text}), dumps(result, {1: text})):
        assert len(report) < 200_000
        assert note in report or report is terminal  # the terminal cuts names shorter
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        for path in ("/corpus", "/d/1", "/api/documents", "/api/documents/1"):
            page = c.get(path)
            assert page.status_code == 200 and len(page.text) < 200_000, path
            assert "200,000 characters stored" in page.text, path


def test_a_nul_in_a_pasted_text_is_shown_as_an_escape(client: TestClient, token: str) -> None:
    """Up to robust36 a result's page and its HTML download wrote a NUL of the pasted text
    as it is, which a browser drops; now as ``\\u0000``, as the reports write it."""
    text = "Showers continued throughout the week in the Bahia cocoa\x00 zone, easing the drought."
    r = client.post("/check", data={"text": text, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    for path in (r.headers["location"], r.headers["location"] + ".html"):
        page = client.get(path)
        assert page.status_code == 200 and "\x00" not in page.text, path
        assert "cocoa\\u0000 zone" in page.text, path


def test_a_source_sharing_only_template_wording_is_marked_on_the_result_page(
    wire_db: Path, wire_article: str
) -> None:
    """A source marked ``SourceMatch.shared_wording`` (a template frame many stored documents
    hold) is marked on the result page as in the HTML report, its stored id escaped, and the
    stored result read back (``/r/ID``, its JSON) keeps the mark."""
    from unspin.report.terminal import shared_wording_note
    from unspin.web.app import create_app

    with TestClient(create_app(wire_db, allowed_hosts=["testserver"])) as c:
        token = str(c.get("/api/csrf").json()["token"])
        form = {"text": wire_article, "csrf_token": token}
        r = c.post("/check", data=form, follow_redirects=False)
        assert r.status_code == 303
        rid = r.headers["location"].removeprefix("/r/")
        kept = c.app.state.web.results.load(rid)  # type: ignore[attr-defined]
        assert [s.shared_wording for s in kept.result.sources] == [4]
        document = c.get(f"/r/{rid}.json").json()
        assert document["sources"][0]["shared_wording"] == 4
        # What only the template explains is not counted as covered by sources (the JSON,
        # the API's and the page's summary), and is shown apart.
        assert (document["explained_by_reuse"], document["template_wording_only"]) == (0, 1)
        api = c.post("/api/trace", json={"text": wire_article})
        assert api.status_code == 200, api.text
        assert (api.json()["explained_by_reuse"], api.json()["template_wording_only"]) == (0, 1)
        page = c.get(f"/r/{rid}").text
    assert "<dt>Covered by sources</dt><dd>0%</dd>" in page
    assert "<dt>Template wording only</dt><dd>100% (owned by sources sharing only" in page
    assert "S1 · template wording only</a>" in page
    assert "shared wording only (4 other stored documents)" in page
    assert shared_wording_note(4) in page
    assert 'onerror="window.__pwned' not in page and "&lt;img src=x onerror=" in page
    _assert_inert(page)
