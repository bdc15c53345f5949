"""The cross-language HTML report: rendered from templates, byte for byte what the f-string
renderer wrote, and every hostile value escaped."""

from __future__ import annotations

import hashlib
import html

from unspin.errors import BIDI_CONTROLS, bidi_escaped
from unspin.types import Edit, StoredDocument
from unspin.xling.align import SentencePair
from unspin.xling.report import render_body, render_html
from unspin.xling.trace import AlignedPassage, CrossSource, CrossTrace

# Markup characters, NUL, bidi overrides and isolates, an emoji and template syntax.
HOSTILE = ['<b x="1">\'&amp;', "nul\x00here", "\u202eevil\u2066.com\u2069", "😀 {{ x }} {% y %}"]
# SHA-256 of the page below: the f-string renderer's bytes (src/unspin/xling/report.py at
# 7fe47d7), which the template kept, then with "1 sentence; 1 fact changed" in the singular
# (the only change since); any other change to the page must be deliberate.
# robust36: the bidirectional controls written as escapes (the page before, with them put
# back, is byte for byte the one of 86115d644842...).
# robust37: a NUL written as "\\u0000" (a browser drops a raw one; with it put back, the page
# is byte for byte the one before).
HOSTILE_PAGE_SHA256 = "e7f6f140ad3425909ca2056f71095e403b42b243a7a8719bc28b2c48c2a25344"


def _hostile_trace() -> tuple[CrossTrace, dict[int, str], str]:
    article = "\u202e".join(HOSTILE) * 3
    texts = {k: HOSTILE[k % 4] * 4 + "<end>" for k in range(3)}
    urls = ("https://x.example/?a=1&b='2'", "javascript:alert(1)", None)
    sources = tuple(
        CrossSource(
            document=StoredDocument(
                key=k, id=HOSTILE[k % 4], title=HOSTILE[(k + 1) % 4] if k else None, url=urls[k]
            ),
            lang=HOSTILE[(k + 2) % 4] if k != 1 else None,
            index_similarity=0.5,
            coverage=0.125 * (k + 1),
            passages=tuple(
                AlignedPassage(
                    SentencePair(4 * i, 4 * i + 9, 5 * i, 5 * i + 11, 0.8765 - 0.1 * i),
                    tuple(
                        Edit("number", 0, 1, 0, 1, "1", "2", reason=HOSTILE[j] if j else None)
                        for j in range(i)
                    ),
                )
                for i in range(k + 1)
            ),
        )
        for k in range(3)
    )
    return CrossTrace(HOSTILE[0], HOSTILE[2], 1234567, 89, sources), texts, article


def test_template_report_keeps_the_bytes_and_escapes_every_hostile_value() -> None:
    result, texts, article = _hostile_trace()
    page = render_html(result, texts, article)
    assert hashlib.sha256(page.encode("utf-8")).hexdigest() == HOSTILE_PAGE_SHA256
    for value in HOSTILE:
        # html.escape leaves braces as they are; markup never stays raw, and the
        # bidirectional controls (robust36: as they were, reordering) and a NUL (robust37:
        # raw, which a browser drops) are shown as escapes.
        assert html.escape(bidi_escaped(value), quote=True) in page
    assert '<b x="1">' not in page and "<end>" not in page
    assert (
        "href='javascript:" not in page
        and "href='https://x.example/?a=1&amp;b=&#x27;2&#x27;'" in page
    )
    assert "\\u202eevil" in page and "nul\\u0000here" in page  # shown, not dropped
    assert "\x00" not in page
    assert not any(chr(c) in page for c in BIDI_CONTROLS)
    assert "1,234,567 characters; 89 candidates" in page and "<td class='sim'>0.78</td>" in page
    assert "1 sentence; 0 facts changed" in page and "2 sentences; 1 fact changed" in page


def test_body_without_sources_says_so() -> None:
    body = render_body(
        {"article": {"name": "a", "lang": None, "length": 12345}, "candidates": 0, "sources": []}
    )
    assert body == (
        "<p class='xling-summary'>Language: unknown; 12,345 characters; 0 candidates in other "
        "languages.</p>\n<p class='xling-none'>No source in another language found.</p>"
    )
