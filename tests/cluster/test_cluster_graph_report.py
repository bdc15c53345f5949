"""Site graph (CSV, GraphML) and the HTML report, including escaping of hostile metadata."""

from __future__ import annotations

import csv
import hashlib
import html
import xml.etree.ElementTree as ET
from pathlib import Path

from unspin.cluster.build import DocMeta, build_clusters
from unspin.cluster.graph import SiteEdge, SiteNode, graphml, site_graph, write_csv
from unspin.cluster.kernels import PassageRecord
from unspin.cluster.report import render_report, timeline_view
from unspin.errors import BIDI_CONTROLS, bidi_escaped

EVIL = '<script>alert("x")</script>&'
DOCS = {
    1: DocMeta(key=1, id="orig", site="wire.example", date="1987-01-01", length=1000),
    2: DocMeta(key=2, id=EVIL, site=EVIL, date="1987-01-03", length=400),
    3: DocMeta(key=3, id="other", site=EVIL, date=None, length=600),
}


def _p(src: int, tgt: int, t: tuple[int, int]) -> PassageRecord:
    return PassageRecord(
        source=src,
        target=tgt,
        source_start=0,
        source_end=t[1] - t[0],
        target_start=t[0],
        target_end=t[1],
        score=0.9,
        source_excerpt=EVIL,
        target_excerpt=EVIL,
    )


PASSAGES = [_p(1, 2, (0, 200)), _p(1, 2, (100, 300)), _p(1, 3, (0, 100))]


def test_site_graph_counts_passages_and_derived_share() -> None:
    nodes, edges = site_graph(PASSAGES, DOCS)
    assert [n["site"] for n in nodes] == sorted(["wire.example", EVIL])
    (edge,) = edges
    assert (edge["source"], edge["target"], edge["passages"]) == ("wire.example", EVIL, 3)
    # d2 derives [0, 300) (overlaps counted once), d3 derives [0, 100): 400 of 1000 chars.
    assert edge["derived_chars"] == 400
    assert edge["derived_share"] == 0.4


def test_csv_and_graphml_are_well_formed(tmp_path: Path) -> None:
    nodes, edges = site_graph(PASSAGES, DOCS)
    write_csv(edges, tmp_path / "g.csv")
    with (tmp_path / "g.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["target"] == EVIL and rows[0]["passages"] == "3"
    root = ET.fromstring(graphml(nodes, edges))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert ids == {"wire.example", EVIL}
    (e,) = root.iterfind(".//g:edge", ns)
    assert e.get("target") == EVIL


def test_graphml_of_sites_with_characters_xml_cannot_hold_is_well_formed() -> None:
    # Before (robust27): a site holding a control character (a record's "site" field, stored
    # as given) went into the GraphML as it was, and the whole file failed to parse ("not
    # well-formed (invalid token)"); Gephi and networkx could read none of it.
    odd = {1: "ctl\x01site", 2: "tab\tand\x0bvtab", 3: "nul\x00\ufffe"}
    docs = {k: DocMeta(key=k, id=str(k), site=s, date=None, length=300) for k, s in odd.items()}
    nodes, edges = site_graph([_p(1, 2, (0, 200)), _p(2, 3, (0, 100))], docs)
    root = ET.fromstring(graphml(nodes, edges))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert ids == {"ctl\\x01site", "tab\tand\\x0bvtab", "nul\\x00\\ufffe"}
    ends = {(e.get("source"), e.get("target")) for e in root.iterfind(".//g:edge", ns)}
    assert ends == {("ctl\\x01site", "tab\tand\\x0bvtab"), ("tab\tand\\x0bvtab", "nul\\x00\\ufffe")}


def test_report_escapes_all_metadata_and_draws_svg() -> None:
    clusters = build_clusters(PASSAGES, DOCS)
    nodes, edges = site_graph(PASSAGES, DOCS)
    html = render_report(clusters, nodes, edges, {"documents": 3})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<svg") == 1 + len(clusters)  # the site graph and one timeline each
    assert "orig" in html and "undated" in html


def _one_passage() -> PassageRecord:
    """Document 2 takes its first 300 characters from document 1."""
    return PassageRecord(
        source=1,
        target=2,
        source_start=0,
        source_end=300,
        target_start=0,
        target_end=300,
        score=0.9,
        source_excerpt="x",
        target_excerpt="y",
    )


def test_report_says_undated_or_tie_instead_of_an_origin() -> None:
    passage = _one_passage()
    for dates, label in (((None, "1987-03-01"), "Undated"), (("1987-03-01",) * 2, "Dates tie")):
        docs = {
            k: DocMeta(key=k, id=f"d{k}", site="s.example", date=d, length=1000)
            for k, d in zip((1, 2), dates, strict=True)
        }
        clusters = build_clusters([passage], docs)
        html = render_report(clusters, [], [], {"documents": 2})
        assert f"<b>{label}</b>: " in html and "no probable origin" in html
        assert "Probable origin" not in html and 'class="origin"' not in html


def test_a_member_without_a_site_is_named_as_the_site_graph_names_it() -> None:
    # Before (robust27 noticed): the page said "sites: , s.example", an empty name first.
    passage = _one_passage()
    docs = {
        1: DocMeta(key=1, id="d1", site=None, date="1987-03-01", length=1000),
        2: DocMeta(key=2, id="d2", site="s.example", date="1987-03-02", length=1000),
    }
    html = render_report(build_clusters([passage], docs), [], [], {"documents": 2})
    assert "sites: (unknown), s.example</p>" in html


# Markup characters, NUL, bidi overrides and isolates, an emoji and template syntax.
HOSTILE = ['<b x="1">\'&amp;', "nul\x00here", "\u202eevil\u2066.com\u2069", "😀 {{ x }} {% y %}"]
# SHA-256 of the page below as the f-string renderer wrote it before the report became a
# template (tests/cluster/test_cluster_graph_report.py at e8a34a8), the template kept it; then
# changed on purpose once (28th session): classes that keep ids, dates and offsets on one line
# (the diff against the old page is those classes and their two CSS rules only).
# robust36: the bidirectional controls written as escapes (the page before, with them put
# back, is byte for byte the one of d1ce4ab9104d...).
# robust37: a NUL written as "\\u0000" (a browser drops a raw one; with it put back, the page
# is byte for byte the one before).
HOSTILE_PAGE_SHA256 = "a8f30adfcc7c805edaf0ed876192a6c861ed6c1b4adafbea90625208b69f0990"


def _hostile_page() -> str:
    docs = {
        k: DocMeta(key=k, id=HOSTILE[k % 4], site=HOSTILE[(k + 1) % 4], date=date, length=900)
        for k, date in enumerate(("1987-01-01", "1987-01-05", None, "1987-01-05", "x<y"))
    }
    passages = [
        PassageRecord(
            source=src,
            target=tgt,
            source_start=0,
            source_end=100 + tgt,
            target_start=10 * tgt,
            target_end=10 * tgt + 100,
            score=0.8,
            source_excerpt=HOSTILE[src % 4],
            target_excerpt=HOSTILE[tgt % 4] + "\u200f" + HOSTILE[src % 4],
        )
        for src, tgt in ((0, 1), (0, 2), (1, 3), (0, 4), (4, 1))
    ]
    nodes, edges = site_graph(passages, docs)
    summary = {HOSTILE[0]: HOSTILE[1], "documents": 5, "share": 0.25}
    return render_report(build_clusters(passages, docs), nodes, edges, summary)


def test_template_report_keeps_the_bytes_and_escapes_every_hostile_value() -> None:
    page = _hostile_page()
    assert hashlib.sha256(page.encode("utf-8")).hexdigest() == HOSTILE_PAGE_SHA256
    for value in HOSTILE:
        # html.escape leaves braces as they are; markup never stays raw, and the
        # bidirectional controls (robust36: as they were, reordering) and a NUL (robust37:
        # raw, which a browser drops) are shown as escapes.
        assert html.escape(bidi_escaped(value), quote=True) in page
    assert '<b x="1">' not in page and "'&amp;" not in page
    assert "\\u202eevil" in page and "nul\\u0000here" in page  # shown, not dropped
    assert "\x00" not in page
    assert not any(chr(c) in page for c in BIDI_CONTROLS)


def test_a_member_dated_by_month_or_year_is_placed_on_the_timeline_not_at_the_end() -> None:
    # Before (robust27): only a whole date (YYYY-MM-DD) had a place on the axis, so an origin
    # the store dates "1987-02" was drawn at the right end with the undated, after its copies,
    # and the axis began at the first copy.
    members = [
        {"id": "orig", "site": "a", "date": "1987-02", "origin": True},
        {"id": "copy", "site": "b", "date": "1987-03-05", "origin": False},
        {"id": "late", "site": "c", "date": "1987-03-20", "origin": False},
        {"id": "year", "site": "d", "date": "1988", "origin": False},
    ]
    view = timeline_view(members)
    x = {m["id"]: dot.x for m, dot in zip(members, view.dots, strict=True)}
    assert x["orig"] == view.pad < x["copy"] < x["late"] < x["year"] == view.width - view.pad
    assert (view.first_date, view.last_date) == ("1987-02", "1988")


def test_a_site_graph_too_large_to_draw_says_what_it_leaves_out() -> None:
    # Before (robust27): 40 of 60 sites were drawn and 50 of 59 edges listed, and nothing
    # said so: the reader took the picture and the table for the whole graph.
    nodes = [SiteNode(site=f"s{i:02d}.example", documents=1, chars=100) for i in range(60)]
    edges = [
        SiteEdge(
            source=f"s{i:02d}.example",
            target=f"s{i + 1:02d}.example",
            passages=1,
            derived_chars=10,
            target_chars=100,
            derived_share=0.1,
        )
        for i in range(59)
    ]
    page = render_report([], nodes, edges, {"documents": 60})
    assert ("Drawn: the 40 most connected of 60 sites; listed: the 50 largest of 59 edges.") in page
    small = render_report([], nodes[:3], edges[:2], {"documents": 3})
    assert "id=graph-cut" not in small


def test_a_corpus_of_one_site_gets_a_sentence_not_an_empty_graph() -> None:
    # Before (robust29): a corpus of one site drew a 520-pixel square holding one dot (and a
    # loop), and one without reuse across sites a ring of unconnected dots.
    docs = {k: DocMeta(key=k, id=f"d{k}", site=EVIL, date=None, length=500) for k in (1, 2, 3)}
    passages = [_p(1, 2, (0, 200)), _p(1, 3, (0, 100))]
    nodes, edges = site_graph(passages, docs)
    page = render_report(build_clusters(passages, docs), nodes, edges, {"documents": 3})
    assert 'aria-label="site graph"' not in page
    sentence = page[page.index("<p class=meta id=graph-none>") :].split("</p>")[0]
    assert sentence.endswith(
        f"All 3 documents are from one site, {html.escape(EVIL)}: no copying between sites "
        "to draw. Passages reused within a site: 2 (the table below)."
    )
    assert "<script>" not in page and "<th>from</th>" in page  # the within-site edge's row
    # Several sites, none taking from another: the same, in its own words.
    two = dict(DOCS)
    page = render_report([], *site_graph([_p(2, 3, (0, 50))], two), {"documents": 3})
    assert "None of the 2 sites took a passage from another: no graph to draw." in page
    assert 'aria-label="site graph"' not in page
    siteless = {k: DocMeta(key=k, id=f"d{k}", site=None, date=None, length=500) for k in (1, 2)}
    page = render_report([], *site_graph([], siteless), {"documents": 2})
    assert "No document has a site (a URL or a site field): no copying between" in page
    # No documents: no graph and no empty table of edges.
    empty = render_report([], [], [], {"documents": 0})
    assert "No documents, so no sites" in empty and "<th>from</th>" not in empty
    # Copying between two sites is drawn as before.
    drawn = render_report([], *site_graph(PASSAGES, DOCS), {"documents": 3})
    assert 'aria-label="site graph"' in drawn and "id=graph-none" not in drawn
