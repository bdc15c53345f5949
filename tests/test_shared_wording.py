"""A source whose only shared text is a template frame many stored documents hold is marked
(``SourceMatch.shared_wording``); a story copied by many sites keeps its source unmarked."""

from dataclasses import replace
from pathlib import Path

import pytest

from unspin.errors import ConfigError
from unspin.fingerprints import fingerprint
from unspin.shared_wording import frame_holders
from unspin.store import Store
from unspin.trace import TraceConfig, trace
from unspin.types import Document
from wire_notices import ARTICLE, NOTICE, NOTICES

CFG = TraceConfig(label_edits=False, score_unsourced=False)

# A made-up story, stored at four sites, each with its own first and last line.
STORY = (
    "Fire destroyed the Varga Brothers timber mill in Kelso on Sunday night, and 140 workers "
    "lost their jobs. The blaze started in a drying shed at 11 pm and burned for six hours, "
    "fire chief Ella Munro said. Owner Tomas Varga said the mill would not be rebuilt."
)
SITES = ["Valley Times", "Kelso Daily", "Timber Trade News", "North Post"]


@pytest.fixture()
def wire(tmp_path: Path) -> Store:
    texts = {f"notice-{i}": NOTICE.format(*row) for i, row in enumerate(NOTICES)}
    texts |= {
        f"site-{i}": f"{s} staff report. {STORY} Read more at {s}." for i, s in enumerate(SITES)
    }
    store = Store(tmp_path / "wire.db")
    store.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in texts.items()])
    return store


def test_a_notice_in_a_common_frame_is_marked_as_shared_wording(wire: Store) -> None:
    # Another company's notice in the frame: trace lists the best stored notice as its
    # source (main did, unmarked); what they share, every stored notice holds, and their
    # names and numbers differ.
    article = ARTICLE
    r = trace(article, wire, CFG)
    assert [s.document.id for s in r.sources] == ["notice-4"]
    assert r.sources[0].shared_wording == 4  # the other four notices
    off = trace(article, wire, replace(CFG, shared_wording_holders=None))
    assert [s.shared_wording for s in off.sources] == [None]
    # Five other holders asked for: four is too few, no mark.
    five = trace(article, wire, replace(CFG, shared_wording_holders=5))
    assert [s.shared_wording for s in five.sources] == [None]


@pytest.mark.parametrize(
    "article",
    [
        STORY.replace("140", "210"),  # copied, one number changed
        "Blaze: " + STORY.replace("Sunday", "Saturday").replace("six", "five"),
        # names and numbers changed: only the story's wording is left
        STORY.replace("Varga Brothers", "Kelso")
        .replace("Ella Munro", "the fire chief")
        .replace("Tomas Varga", "The owner")
        .replace("140", "210")
        .replace("11 pm", "midnight")
        .replace("six", "five"),
    ],
)
def test_a_story_copied_by_many_sites_keeps_its_source_unmarked(wire: Store, article: str) -> None:
    r = trace(article, wire, CFG)
    assert len(r.sources) == 1
    source = r.sources[0]
    assert source.document.id.startswith("site-")
    assert source.shared_wording is None
    assert len(source.copies) == 3


def test_copies_of_one_story_are_no_frame_however_many_hold_it(wire: Store) -> None:
    # Counted without the copies set aside (as if attribution had not grouped them): the
    # three other sites hold everything the article shares with site-0, so the wording is
    # held by many, but they hold all of site-0's passage too: copies, not a frame.
    key = wire.find("site-0")[0].key
    own = fingerprint(STORY)
    shared = own & fingerprint(STORY.replace("140", "210").replace("Ella Munro", "the chief"))
    df = wire.document_frequencies(sorted(shared))
    assert shared and all(df[f] >= 4 for f in shared)
    assert frame_holders(wire, shared, own, {key}, 3) is None
    # A notice's frame, by contrast, is held by the other notices without their slots.
    key = wire.find("notice-0")[0].key
    own = fingerprint(NOTICE.format(*NOTICES[0]))
    article = fingerprint(NOTICE.format("Crestline Paper", 150, 9, 2003, "merge with Ostrow"))
    holders = frame_holders(wire, own & article, own, {key}, 3)
    assert holders is not None and len(holders) == 4


def test_a_spun_copy_keeping_its_numbers_is_no_frame(tmp_path: Path) -> None:
    # Paragraphs written in one frame (an archaeological site's monuments), one of them spun:
    # the spinner swapped every word the others lack but kept the number; the number marks
    # the copy (a real SpinBot text of bench_trace was marked before this check).
    frame = "Monument {0} is a {1} Olmec-style sculpture dating from the Middle Preclassic. It {2}."
    rows = [
        (93, "rough", "represents a seated anthropomorphic jaguar with a human head"),
        (64, "small", "shows a standing figure holding a staff with a human head"),
        (12, "large", "depicts a kneeling ruler with a feathered headdress"),
        (40, "broken", "represents a crouching figure with a human head"),
        (77, "damaged", "shows a seated captive with bound arms"),
    ]
    store = Store(tmp_path / "m.db")
    texts = {f"m{n}": frame.format(n, a, b) for n, a, b in rows}
    store.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in texts.items()])
    spun = (
        "Landmark 93 is an unpleasant Olmec-style mold dating from the Middle Preclassic. It "
        "speaks to a situated human puma with a human head."
    )
    r = trace(spun, store, CFG)
    assert [s.document.id for s in r.sources][:1] == ["m93"]
    assert r.sources[0].shared_wording is None


def test_shared_wording_holders_is_checked() -> None:
    with pytest.raises(ConfigError, match="shared_wording_holders"):
        TraceConfig(shared_wording_holders=0)


def test_reports_say_a_source_shares_only_common_wording(tmp_path: Path) -> None:
    # The JSON (validated against its schema), the terminal and the HTML report carry the
    # mark; the HTML escapes the stored document's id, which is untrusted text.
    import io

    import jsonschema
    from rich.console import Console

    from unspin.report import load_schema, render_html, render_terminal, to_json
    from unspin.web.results import from_json

    texts = {f"<b>n{i}</b>": NOTICE.format(*row) for i, row in enumerate(NOTICES)}
    store = Store(tmp_path / "w.db")
    store.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in texts.items()])
    article = ARTICLE
    r = trace(article, store, CFG)
    (source,) = r.sources
    assert source.shared_wording == 4
    source_texts = store.texts([source.document.key])
    document = to_json(r, source_texts)
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["sources"][0]["shared_wording"] == 4
    assert from_json(document).sources[0].shared_wording == 4  # the web app's stored result
    out = io.StringIO()
    render_terminal(r, source_texts, Console(file=out, width=200, color_system=None))
    assert "shared wording: what it shares with the article, 4 other stored documents" in (
        out.getvalue()
    )
    # The summaries count it apart: a reader of the header alone sees it is no plain source.
    assert "0% covered by 0 sources · template wording only: 100% (1 source sharing" in (
        out.getvalue()
    )
    page = render_html(r, source_texts)
    assert "shared wording only (4 other stored documents)" in page
    assert "<dt>Sources found</dt><dd>1 (1 shared wording only)</dd>" in page
    assert "4 other stored documents hold too, with other names and numbers" in page
    assert "<b>n4</b>" not in page and "&lt;b&gt;n4&lt;/b&gt;" in page
    plain = trace(article, store, replace(CFG, shared_wording_holders=None))
    assert to_json(plain, source_texts)["sources"][0]["shared_wording"] is None
    assert "shared wording" not in render_html(plain, source_texts)
    assert "<dt>Sources found</dt><dd>1</dd>" in render_html(plain, source_texts)


def test_a_rare_word_the_two_share_between_other_words_is_the_sources_own(wire: Store) -> None:
    # "carpet" is in notice-2 alone; the article holds it between other words than the
    # source's ("close its carpet mills" / "sell its carpet division"), so no word pair
    # holds it and the fingerprints see frame wording only (a translated PAN 04 passage
    # keeping "watertoys" was marked so); the other notices' texts do not hold the word.
    from unspin.shared_wording import words_held

    others = [wire.find(f"notice-{i}")[0].key for i in (0, 1, 3, 4)]
    source = NOTICE.format(*NOTICES[2])
    carpet = NOTICE.format("Crestline Paper", 150, 9, 2003, "close its carpet mills")
    assert not words_held(wire, carpet, source, others)
    paper = NOTICE.format("Crestline Paper", 150, 9, 2003, "close its paper mills")
    assert words_held(wire, paper, source, others)


def _reports(r, store: Store):  # type: ignore[no-untyped-def]
    """The JSON (validated against its schema), the terminal text and the HTML of ``r``."""
    import io

    import jsonschema
    from rich.console import Console

    from unspin.report import load_schema, render_html, render_terminal, to_json

    texts = store.texts([s.document.key for s in r.sources])
    document = to_json(r, texts)
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    out = io.StringIO()
    render_terminal(r, texts, Console(file=out, width=300, color_system=None))
    return document, out.getvalue(), render_html(r, texts)


def test_an_article_only_a_template_explains_is_not_covered_by_sources(wire: Store) -> None:
    # Another company's notice in the rating frame: its only source is marked shared wording.
    # Main counted the whole article "100% covered by 1 source"; what a template explains is
    # no evidence of reuse, so it is reported apart, and the source stays listed with its share.
    from unspin.web.results import from_json

    r = trace(ARTICLE, wire, CFG)
    (source,) = r.sources
    assert source.shared_wording == 4 and source.coverage > 0.99
    assert r.covered == 1.0  # attributed to a listed source, as before
    assert r.explained_by_reuse == 0.0
    assert r.template_wording_only == 1.0
    document, text, page = _reports(r, wire)
    assert document["covered"] == 1.0
    assert document["explained_by_reuse"] == 0.0
    assert document["template_wording_only"] == 1.0
    assert document["sources"][0]["coverage"] == source.coverage  # per source: as it was
    back = from_json(document)  # the web app's stored result
    assert (back.explained_by_reuse, back.template_wording_only) == (0.0, 1.0)
    assert "Article: 298 characters · 0% covered by 0 sources · template wording only: 100%" in text
    assert "source #1 (template wording only)" in text  # the article map's stretch
    assert "100% template" in text  # the source's bar
    assert "<dt>Covered by sources</dt><dd>0%</dd>" in page
    assert "<dt>Template wording only</dt><dd>100% (owned by sources sharing only" in page
    assert 'aria-label="covered by sources 0%, template wording only 100%"' in page
    assert '<span class="template" style="width:100.0%">' in page
    assert '<span class="bar template" aria-hidden="true">' in page
    assert '<span class="seg src0 template"><a class="tag" href="#source-0">S1 · template' in page
    # With the mark off, the same article reads as reuse, as main read it.
    plain = trace(ARTICLE, wire, replace(CFG, shared_wording_holders=None))
    assert (plain.explained_by_reuse, plain.template_wording_only) == (1.0, 0.0)
    document, text, page = _reports(plain, wire)
    assert (document["explained_by_reuse"], document["template_wording_only"]) == (1.0, 0.0)
    assert "100% covered by 1 source · " in text and "template wording" not in text
    assert "<dt>Covered by sources</dt><dd>100%</dd>" in page
    body = page[page.index("</style>") :]
    assert "Template wording only" not in body and "template wording only" not in body


def test_a_story_copied_beside_a_template_frame_counts_only_the_story(wire: Store) -> None:
    # A copied story (one number changed) followed by another company's rating notice: the
    # story's site is a real source, the notice's is marked; only the story's stretch counts as
    # covered by sources, the notice's is template wording only, and both stay listed with the
    # shares they own.
    story = STORY.replace("140", "210")
    article = story + "\n\n" + ARTICLE
    r = trace(article, wire, CFG)
    assert [(s.document.id[:5], s.shared_wording) for s in r.sources] == [
        ("site-", None),
        ("notic", 4),
    ]
    site, notice = r.sources
    owned = {
        k: sum(g.end - g.start for g in r.segments if g.source_key == k) / len(article)
        for k in (site.document.key, notice.document.key)
    }
    assert owned[site.document.key] >= len(story) / len(article)
    assert r.explained_by_reuse == owned[site.document.key]
    assert r.template_wording_only == owned[notice.document.key]
    assert r.covered == r.explained_by_reuse + r.template_wording_only == 1.0
    plain = trace(article, wire, replace(CFG, shared_wording_holders=None))
    assert [s.coverage for s in plain.sources] == [s.coverage for s in r.sources]
    assert plain.explained_by_reuse == 1.0
    document, text, page = _reports(r, wire)
    reuse, template = f"{r.explained_by_reuse:.0%}", f"{r.template_wording_only:.0%}"
    assert reuse == "46%" and template == "54%"
    assert document["explained_by_reuse"] == round(r.explained_by_reuse, 4)
    assert document["template_wording_only"] == round(r.template_wording_only, 4)
    assert f"{reuse} covered by 1 source · template wording only: {template} (1 source" in text
    assert f"<dt>Covered by sources</dt><dd>{reuse}</dd>" in page
    assert f"<dt>Template wording only</dt><dd>{template} (owned" in page
