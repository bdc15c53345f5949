"""The HTML report: self-contained, complete, navigable, and inert whatever the documents say."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.report import render_html
from unspin.report.html import _is_web_url
from unspin.report.json_report import distortions as _distortions
from unspin.types import Edit, Passage, Segment, SourceMatch, StoredDocument, TraceResult


class _Collector(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def _assert_inert(page: str) -> _Collector:
    """No script, no event handlers, no external resource, links only to anchors or http(s)."""
    parsed = _parse(page)
    names = {tag for tag, _ in parsed.tags}
    assert "script" not in names  # the report needs no script at all
    assert not names & {"iframe", "object", "embed", "img", "link", "base", "form"}
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert name not in {"src", "srcset", "action", "formaction", "xlink:href"}
            if name == "href":
                assert value is not None
                assert value.startswith(("#", "http://", "https://")), value
            if name == "style":
                assert value is not None and "url(" not in value
        if tag == "meta":
            assert set(attrs) <= {"charset", "name", "content"}
    return parsed


def test_sample_report_is_complete(result, source_texts) -> None:
    page = render_html(result, source_texts)
    parsed = _assert_inert(page)
    text = "".join(parsed.text)
    assert page.startswith("<!DOCTYPE html>")
    # Summary.
    assert "237 characters" in text and "78%" in text
    # Sources with coverage bars that carry a text label, in rank order.
    assert "46% of the article" in text and "32% of the article" in text
    assert text.index("council-2021-04") < text.index("library-protest")
    # The article coloured by source, unsourced stretch marked with its spin score.
    assert "no source found · spin score 0.82" in text
    classes = Counter(c for _, attrs in parsed.tags for c in (attrs.get("class") or "").split())
    assert classes["nosrc"] == 1 and classes["src0"] >= 2 and classes["src1"] >= 2
    # Edits highlighted by label, with a legend naming the labels.
    for label in ("edit-synonym", "edit-inflection", "edit-number_change", "edit-negation"):
        assert classes[label] >= 2  # in the legend and in the passages
    assert classes["distortion"] >= 4
    for name in ("number change", "negation", "synonym", "inflection"):
        assert name in text
    # Side by side: source and article of the passage both present.
    assert text.count("at the town hall to protest the") == 3  # article + both columns
    assert ">gathered</mark>" in page and ">assembled</mark>" in page


def test_distortions_listed_first_and_linked_to_both_texts(result, source_texts) -> None:
    page = render_html(result, source_texts)
    parsed = _parse(page)
    text = "".join(parsed.text)
    assert text.index("Possible distortions (2)") < text.index("Passage 1")
    assert text.index("NUMBER CHANGE") < text.index("NEGATION")
    assert "number 12 became 21" in text
    ids = [attrs["id"] for _, attrs in parsed.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href")]
    anchors = {h[1:] for h in hrefs if h and h.startswith("#")}
    assert anchors <= set(ids), f"links to nowhere: {anchors - set(ids)}"
    for side in ("src", "tgt"):
        assert f"#s0-p0-e0-{side}" in hrefs  # the number change, in both texts
    # The deleted "not" is a caret in the article and highlighted in the source.
    marks = {attrs["id"]: tag for tag, attrs in parsed.tags if attrs.get("id", "").startswith("s0")}
    assert marks["s0-p0-e1-tgt"] == "span" and marks["s0-p0-e1-src"] == "mark"


def test_missing_source_text_falls_back_to_passage_links(result, source_texts) -> None:
    page = render_html(result, {22: source_texts[22]})
    parsed = _assert_inert(page)
    assert "The source text is not available." in "".join(parsed.text)
    ids = {attrs["id"] for _, attrs in parsed.tags if attrs.get("id")}
    hrefs = {attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href")}
    assert "#s0-p0" in hrefs  # the distortion's source-side link points at its passage
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids


def test_dot_plot_has_one_line_per_passage_and_a_legend(result, source_texts) -> None:
    page = render_html(result, source_texts)
    parsed = _parse(page)
    lines = [attrs for tag, attrs in parsed.tags if tag == "line"]
    assert len(lines) == 2
    assert len({attrs["stroke"] for attrs in lines}) == 2  # one colour per source
    text = "".join(parsed.text)
    assert "S1 passage 1: article 0–110, source 0–114" in text
    assert "article offset (characters)" in text


def test_self_contained_and_responsive(result, source_texts) -> None:
    page = render_html(result, source_texts, title="Report on <b>x</b>")
    assert "<title>Report on &lt;b&gt;x&lt;/b&gt;</title>" in page
    assert 'name="viewport"' in page and "@media (max-width: 640px)" in page
    assert "<style>" in page and "@import" not in page
    assert "//" not in page.split("<style>")[1].split("</style>")[0].replace("://", "")
    assert ":focus-visible" in page  # keyboard users see where they are


def test_empty_result_renders() -> None:
    page = render_html(TraceResult(article="Nothing <here>.", sources=(), segments=()), {})
    parsed = _assert_inert(page)
    text = "".join(parsed.text)
    assert "No sources were found" in text and "Nothing <here>." in text
    assert not [tag for tag, _ in parsed.tags if tag == "svg" and _.get("class") == "plot"]


def test_restored_text_is_shown(make_result, source_texts) -> None:
    restored = make_result()
    page = render_html(
        TraceResult(restored.article, restored.sources, restored.segments, restored="Back <to> it"),
        source_texts,
    )
    assert "Back &lt;to&gt; it" in page and 'id="restored"' in page


PAYLOADS = (
    "<script>alert(1)</script>",
    "<script>alert(3)</script>",
    '" onmouseover="x',
    "<b><i unclosed",
    "</div></table>",
)


def test_hostile_documents_are_escaped(hostile, source_texts) -> None:
    page = render_html(hostile, source_texts, title='<script>alert(9)</script>" onload="x')
    parsed = _assert_inert(page)
    for payload in PAYLOADS:
        assert payload not in page, payload
    assert "<script" not in page.lower()
    # javascript: URLs appear as text, never as a link.
    text = "".join(parsed.text)
    assert "javascript:alert(1)" in text
    hrefs = [attrs.get("href") or "" for _, attrs in parsed.tags]
    assert not any("javascript" in h.lower() for h in hrefs)
    # An https URL with markup in it is a link, but its quote cannot end the attribute.
    evil = [h for h in hrefs if h.startswith("https://evil.example")]
    assert evil == ['https://evil.example/?q="><script>alert(3)</script>'] * 2
    # The escaped markup still reads as the original text.
    assert "<script>alert(1)</script>" in text and "<b><i unclosed" in text


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?b=1", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("https:no-host", False),
        ("//example.org/path", False),
        ("https://exa mple.org", False),
    ],
)
def test_only_http_urls_become_links(url: str, linked: bool) -> None:
    assert _is_web_url(url) is linked


def test_non_finite_coverage_draws_an_empty_bar(make_result, source_texts) -> None:
    sample = make_result()
    broken = tuple(
        SourceMatch(s.document, s.rank, s.score, float("nan"), s.passages) for s in sample.sources
    )
    page = render_html(TraceResult(sample.article, broken, sample.segments), source_texts)
    assert 'style="width:0.0%"' in page and "nan" not in page.lower()


_TEXT = st.text(
    alphabet=st.sampled_from([*"<>\"'&=/ ;:abcjsriptvonlde\n\t\x00\u202e", "é", "😀"]),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(
    article=_TEXT.filter(bool),
    source=_TEXT.filter(bool),
    meta=st.tuples(_TEXT, _TEXT, _TEXT, _TEXT),
    cut=st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)),
    label=st.sampled_from(["synonym", "negation", "typo", '"><x onclick=y>']),
)
def test_any_text_renders_inert(article, source, meta, cut, label) -> None:
    """Whatever the texts, metadata and offsets: the page parses to nothing active."""
    a0, a1 = sorted(c % (len(article) + 1) for c in cut[:2])
    s0, s1 = sorted(c % (len(source) + 1) for c in cut[2:])
    edit = Edit(
        label, s0, s1, a0, a1, source[s0:s1], article[a0:a1], distortion=label == "negation"
    )
    doc = StoredDocument(5, meta[0], meta[1], meta[2], meta[3], meta[0], meta[1], len(source))
    match = SourceMatch(
        doc, 1, 1.0, (a1 - a0) / len(article), (Passage(s0, s1, a0, a1, 0.5, (edit,)),)
    )
    result = TraceResult(
        article, (match,), (Segment(a0, a1, 5), Segment(a1, len(article), None, 0.5))
    )
    page = render_html(result, {5: source}, title=meta[2])
    _assert_inert(page)
    assert "<x" not in page


def test_top_distortions_above_the_article_and_all_of_them_by_source(
    make_result, source_texts
) -> None:
    from dataclasses import replace

    from unspin.report.html import TOP_DISTORTIONS

    result = make_result()
    a = next(s for s in result.sources if s.rank == 1)
    p = a.passages[0]
    found = [e for e in p.edits if e.distortion]
    n = TOP_DISTORTIONS + 3
    a2 = replace(a, passages=(replace(p, edits=tuple(found[i % 2] for i in range(n))),))
    result = replace(result, sources=tuple(a2 if s is a else s for s in result.sources))
    page = render_html(result, source_texts)
    top = page[page.index('id="distortions"') : page.index('id="article"')]
    assert top.count("<li>") == TOP_DISTORTIONS
    assert f'<a href="#all-distortions">All {n} possible distortions' in top
    rest = page[page.index('id="all-distortions"') :]
    assert rest.count("<li>") == n
    assert "council-2021-04 (8)" in rest
    # Each with its sentence in the source and in the article.
    assert "<dt>Source</dt><dd>The city council approved a budget of 12 million" in rest
    assert "<dt>Article</dt><dd>The city council approved a budget of 21 million" in rest
    assert page.index('id="all-distortions"') > page.index('id="passages"')


def test_copies_and_related_coverage_in_the_html_report(result, source_texts) -> None:
    page = render_html(result, source_texts)
    sources = page[page.index('id="sources"') : page.index('id="related"')]
    assert "council-reprint" in sources
    related = page[page.index('id="related"') : page.index('id="distortions"')]
    assert "tv-council-story" in related and "31% of the article touched" in related


def test_a_name_changed_in_a_moved_sentence_is_marked_in_both_texts() -> None:
    from unspin.trace import TraceConfig, compare

    lead = "Lavrov said Moscow supported the principle and opposed any attempts to undermine it."
    tail = "He said there was still a possibility of a diplomatic solution, the agency reported."
    meet = "The two ministers agreed to meet in {} in April, the ministry said."
    src = f"{lead} {tail} {meet.format('Beijing')}"
    tgt = f"{lead} {meet.format('Shanghai')} {tail}"
    result = compare(src, tgt, config=TraceConfig(score_unsourced=False))
    page = render_html(result, {0: src})
    parsed = _parse(page)
    # The moved sentence's own mark gives way to the change inside it, which is highlighted
    # (not only listed) on both sides, and the distortion links to those marks.
    marked = {attrs["id"] for tag, attrs in parsed.tags if tag == "mark" and attrs.get("id")}
    hrefs = {attrs["href"][1:] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href")}
    (edits,) = [p.edits for s in result.sources for p in s.passages]
    k = next(i for i, e in enumerate(edits) if e.label == "entity_change")
    assert {f"s0-p0-e{k}-src", f"s0-p0-e{k}-tgt"} <= marked & hrefs


def test_a_sentence_shared_by_a_run_of_distortions_is_shown_once(
    quoted_pair: tuple[str, str],
) -> None:
    """Before (34th session): each of a reworded quotation's changes carried the same
    sentence, in the source and in the article, one under the other."""
    from unspin import compare
    from unspin.report import render_html

    source, spun = quoted_pair
    result = compare(source, spun)
    page = render_html(result, {0: source})
    distortions = page[page.index('id="distortions"') :]
    # The quotation's changes are one item, in the first few and in the full list (before,
    # the 35th session: one item per change).
    labels = [d.edit.label for d in _distortions(result)]
    assert labels.count("quote_change") >= 3
    assert distortions.count("QUOTE CHANGE") == 2
    assert (
        distortions.count(f"one quotation reworded at {labels.count('quote_change')} places") == 2
    )
    assert (
        "“child” → <strong>“kid”</strong>, “increasingly” → <strong>“inexorably”</strong>" in page
    )
    assert (
        distortions.count("<dd>The minister stated") == 2
    )  # once in the source, once in the article
    assert distortions.count("<dd>The council met on Monday") == 2
