"""Hand-built trace results for the report tests: two sources, edits with a distortion, an
unsourced stretch with a spin score, and a hostile variant full of markup and bad URLs.

Offsets are computed with ``str.index`` so they always slice the texts they claim to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from unspin.types import (
    Edit,
    Passage,
    RelatedDocument,
    Segment,
    SourceMatch,
    Span,
    StoredDocument,
    TraceResult,
)

SOURCE_A = (
    "The city council approved a budget of 12 million dollars on Monday. "
    "The mayor said the plan would not raise taxes. Critics argued the spending was too large."
)
SOURCE_B = (
    "Residents gathered at the town hall to protest the closure of the library. "
    "Officials promised a decision next week."
)
ARTICLE = (
    "The city council approved a budget of 21 million dollars on Monday. "
    "The mayor said the plan would raise taxes. "
    "Residents assembled at the town hall to protest the closing of the library. "
    "This is a shocking outrage that everyone must see."
)


def _edit(label: str, source: str, old: str, new: str, *, at: str, **kw: object) -> Edit:
    """An edit replacing ``old`` (found in ``source``) by ``new`` (found in ARTICLE at ``at``)."""
    s = source.index(old) if old else source.index(at)
    t = ARTICLE.index(at) + at.index(new) if new else ARTICLE.index(at)
    return Edit(label, s, s + len(old), t, t + len(new), old, new, **kw)  # type: ignore[arg-type]


def _passage(
    source: str, src_piece: str, art_piece: str, score: float, edits: list[Edit]
) -> Passage:
    s, t = source.index(src_piece), ARTICLE.index(art_piece)
    return Passage(s, s + len(src_piece), t, t + len(art_piece), score, tuple(edits))


def build_result(
    *,
    doc_a: StoredDocument | None = None,
    doc_b: StoredDocument | None = None,
    copy: StoredDocument | None = None,
    related: StoredDocument | None = None,
    article_suffix: str = "",
    reason: str = "number 12 became 21",
    meta: dict[str, object] | None = None,
) -> TraceResult:
    """The sample result; hostile tests swap in nasty metadata and text."""
    doc_a = doc_a or StoredDocument(
        11,
        "council-2021-04",
        "Council approves budget",
        "https://news.example/council",
        "2021-04-01",
        "news.example",
        "corpus/council.txt",
        len(SOURCE_A),
    )
    doc_b = doc_b or StoredDocument(
        22,
        "library-protest",
        "Library protest",
        None,
        "2021-04-02",
        "local.example",
        None,
        len(SOURCE_B),
    )
    copy = copy or StoredDocument(
        12, "council-reprint", "Council approves budget", None, "2021-04-02", "wire.example"
    )
    related = related or StoredDocument(40, "tv-council-story", "Budget passes", length=900)
    first = "The city council approved a budget of 12 million dollars on Monday. The mayor said the plan would not raise taxes."
    first_art = "The city council approved a budget of 21 million dollars on Monday. The mayor said the plan would raise taxes."
    number = _edit(
        "number_change",
        SOURCE_A,
        "12",
        "21",
        at="of 21 million",
        distortion=True,
        reason=reason,
        evidence="digits",
        confidence=0.99,
    )
    # The article drops "not ": a deletion that flips the meaning (empty article range).
    neg_s = SOURCE_A.index("not ")
    neg_t = ARTICLE.index("would raise") + len("would ")
    negation = Edit(
        "negation",
        neg_s,
        neg_s + 4,
        neg_t,
        neg_t,
        "not ",
        "",
        0.95,
        True,
        "the negation 'not' was removed",
        "negation-words",
    )
    same = _edit("identical", SOURCE_A, "city council", "city council", at="city council")
    second = SOURCE_B[: SOURCE_B.index(".") + 1]
    second_art = "Residents assembled at the town hall to protest the closing of the library."
    synonym = _edit(
        "synonym",
        SOURCE_B,
        "gathered",
        "assembled",
        at="assembled",
        evidence="moby",
        reason="gathered and assembled are synonyms (Moby)",
    )
    inflection = _edit("inflection", SOURCE_B, "closure", "closing", at="closing", evidence="stem")
    article = ARTICLE + article_suffix
    tail = ARTICLE.index("This is")
    src_a = SourceMatch(
        doc_a,
        1,
        8.5,
        len(first_art) / len(article),
        (_passage(SOURCE_A, first, first_art, 0.91, [same, number, negation]),),
        owned=(Span(0, len(first_art)),),
        copies=(copy,),
    )
    src_b = SourceMatch(
        doc_b,
        2,
        4.25,
        len(second_art) / len(article),
        (_passage(SOURCE_B, second, second_art, 0.83, [inflection, synonym]),),
        owned=(Span(ARTICLE.index(second_art), ARTICLE.index(second_art) + len(second_art)),),
    )
    b_start = ARTICLE.index(second_art)
    segments = (
        Segment(0, len(first_art), doc_a.key),
        Segment(b_start, b_start + len(second_art), doc_b.key),
        Segment(tail, len(article), None, 0.82),
    )
    return TraceResult(
        article=article,
        # Deliberately out of rank order: the reports must sort.
        sources=(src_b, src_a),
        segments=segments,
        candidates_considered=37,
        capped=False,
        seconds=0.4213,
        restored=None,
        meta=meta if meta is not None else {"corpus": "sample", "path": Path("a/b.txt")},
        related=(RelatedDocument(related, 0.31),),
    )


@pytest.fixture
def result() -> TraceResult:
    return build_result()


@pytest.fixture
def make_result() -> Callable[..., TraceResult]:
    """``build_result`` itself, for tests that need a variant of the sample."""
    return build_result


@pytest.fixture
def source_texts() -> dict[int, str]:
    return {11: SOURCE_A, 22: SOURCE_B}


SCRIPT = "<script>alert(1)</script>"
ATTR = '" onmouseover="x'
JS_URL = "javascript:alert(1)"
BROKEN = "<b><i unclosed <!-- </div></table>"


@pytest.fixture
def hostile() -> TraceResult:
    """The sample with every piece of text and metadata an attacker could control poisoned."""
    doc_a = StoredDocument(11, ATTR, SCRIPT, JS_URL, ATTR, BROKEN, SCRIPT, len(SOURCE_A))
    doc_b = StoredDocument(
        22,
        SCRIPT,
        BROKEN,
        'https://evil.example/?q="><script>alert(3)</script>',
        SCRIPT,
        ATTR,
        JS_URL,
        len(SOURCE_B),
    )
    return build_result(
        doc_a=doc_a,
        doc_b=doc_b,
        copy=StoredDocument(12, SCRIPT, ATTR, JS_URL, BROKEN, SCRIPT),
        related=StoredDocument(40, ATTR, SCRIPT, JS_URL, SCRIPT, BROKEN),
        article_suffix=f" {SCRIPT} {BROKEN} {ATTR} [bold]markup[/bold] \x1b[31mred\x1b[0m",
        reason=f"{SCRIPT}{ATTR}",
        meta={SCRIPT: ATTR, "url": JS_URL},
    )


# A quotation a spinner reworded at four places in one sentence (as SpinBot does, benchmarks
# 15.16), and one change in the next sentence.
QUOTED_SOURCE = (
    'The minister stated, "Supporting early child care is an increasingly prominent goal of '
    'mental health practitioners and policy makers in every region." The council met on '
    "Monday and approved a budget of 12 million dollars for the new clinics."
)
QUOTED_SPUN = (
    'The minister stated, "Supporting early kid care is an inexorably noticeable objective of '
    'emotional health practitioners and policy makers in every region." The council met on '
    "Monday and approved a budget of 21 million dollars for the new clinics."
)


@pytest.fixture
def quoted_pair() -> tuple[str, str]:
    return QUOTED_SOURCE, QUOTED_SPUN
