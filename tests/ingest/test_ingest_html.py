"""HTML pages: main text without boilerplate, metadata, fallbacks and broken markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_fixtures import NEWS_PAGE, page

from unspin.errors import InputError
from unspin.ingest import extract_html, html, read_file
from unspin.types import Document


def _one(path: Path) -> Document:
    docs = list(read_file(path))
    assert len(docs) == 1
    return docs[0]


def test_news_page_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    doc = _one(path)
    assert doc.kind == "html"
    assert "The city council voted on Thursday to build a new bridge" in doc.text
    assert "take about two years." in doc.text
    # Boilerplate is gone: navigation and footer are not the article.
    assert "Subscribe" not in doc.text
    assert "Sport" not in doc.text
    assert doc.title is not None and doc.title.startswith("Council approves new bridge")
    assert doc.url == "https://www.daily-example.com/news/2021/03/bridge"
    assert doc.site == "daily-example.com"
    assert doc.date == "2021-03-04"
    assert doc.id == path.as_posix()


def test_short_news_brief_still_gives_text(tmp_path: Path) -> None:
    path = tmp_path / "brief.htm"
    path.write_text(page("<p>Police closed Main Street on Monday after a gas leak.</p>"))
    assert _one(path).text == "Police closed Main Street on Monday after a gas leak."


def test_pre_web_dates_are_kept() -> None:
    # htmldate's default floor is 1995; archived wire copy is older.
    found = extract_html(
        page(
            "<p>Wheat prices rose sharply today.</p>",
            head='<meta name="date" content="1987-02-26">',
        )
    )
    assert found is not None and found.date == "1987-02-26"


def test_date_in_text_is_found() -> None:
    found = extract_html(page("<p>The council met on March 4, 2021 to vote on the bridge.</p>"))
    assert found is not None and found.date == "2021-03-04"


def test_cp1252_page_with_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    markup = page(
        "<p>The café’s “naïve” menu costs €5 and pleases everyone who visits it.</p>",
        head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    )
    path.write_bytes(markup.encode("cp1252"))
    assert "The café’s “naïve” menu costs €5" in _one(path).text


def test_html_content_is_sniffed_without_extension(tmp_path: Path) -> None:
    for name in ("saved-page", "saved-page.txt"):
        path = tmp_path / name
        path.write_text("\n  " + page("<p>Rivers rise after the storm.</p>"))
        doc = _one(path)
        assert doc.kind == "html"
        assert doc.text == "Rivers rise after the storm."


def test_truncated_html_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text(NEWS_PAGE[: NEWS_PAGE.index("Supporters said") + 40])
    doc = _one(path)
    assert "The city council voted on Thursday" in doc.text


@pytest.mark.parametrize(
    "markup",
    ["<html><body></body></html>", "<!doctype html><html><head><title>Empty</title></head>"],
)
def test_page_without_text_is_an_error(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "empty.html"
    path.write_text(markup)
    with pytest.raises(InputError, match="no text found in html page"):
        list(read_file(path))


def test_falls_back_to_baseline_when_extraction_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(html.trafilatura, "bare_extraction", lambda *a, **k: None)
    found = extract_html(page("<p>Only the baseline sees this sentence.</p>", title="Kept"))
    assert found is not None
    assert found.text == "Only the baseline sees this sentence."
    assert found.title == "Kept"  # read from <title> when trafilatura gave no metadata


def test_extractor_crash_falls_back_instead_of_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("parser exploded")

    monkeypatch.setattr(html.trafilatura, "bare_extraction", boom)
    monkeypatch.setattr(html.htmldate, "find_date", boom)
    found = extract_html(page("<p>Text survives a crashing extractor.</p>"))
    assert found is not None
    assert found.text == "Text survives a crashing extractor."
    assert found.date is None


def test_given_url_wins_over_canonical() -> None:
    found = extract_html(NEWS_PAGE.encode(), url="http://mirror.example.net/copy")
    assert found is not None and found.url == "http://mirror.example.net/copy"
