"""Stage 5b: the site graph. Nodes are sites; an edge A -> B counts the passages documents of B
took from documents of A, and the share of B's text that is derived from A.

Written as CSV (one edge a row) and GraphML (readable by Gephi, networkx, yEd).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypedDict
from xml.sax.saxutils import quoteattr

from ..jsonl_files import replaced_atomically
from .build import DocMeta
from .kernels import PassageRecord

UNKNOWN_SITE = "(unknown)"
# Characters XML 1.0 cannot hold, not even as a character reference: a site name (from a
# record's "site" field) holding one made the whole GraphML file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EDGE_FIELDS = ("source", "target", "passages", "derived_chars", "target_chars", "derived_share")


class SiteNode(TypedDict):
    site: str
    documents: int
    chars: int


class SiteEdge(TypedDict):
    source: str
    target: str
    passages: int
    derived_chars: int  # characters of target-site documents covered by passages from source
    target_chars: int  # all characters of the target site's documents
    derived_share: float


def _union_length(ranges: Iterable[tuple[int, int]]) -> int:
    total, end = 0, -1
    for a, b in sorted(ranges):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def site_graph(
    passages: Iterable[PassageRecord], docs: dict[int, DocMeta]
) -> tuple[list[SiteNode], list[SiteEdge]]:
    """Sites (with their document and character counts) and the reuse edges between them."""

    def site(key: int) -> str:
        return docs[key]["site"] or UNKNOWN_SITE

    nodes: dict[str, SiteNode] = {}
    for key in sorted(docs):
        node = nodes.setdefault(site(key), SiteNode(site=site(key), documents=0, chars=0))
        node["documents"] += 1
        node["chars"] += docs[key]["length"]
    count: dict[tuple[str, str], int] = defaultdict(int)
    spans: dict[tuple[str, str], dict[int, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for p in passages:
        pair = (site(p["source"]), site(p["target"]))
        count[pair] += 1
        spans[pair][p["target"]].append((p["target_start"], p["target_end"]))
    edges: list[SiteEdge] = []
    for (a, b), n in sorted(count.items()):
        derived = sum(_union_length(r) for r in spans[(a, b)].values())
        total = nodes[b]["chars"]
        edges.append(
            SiteEdge(
                source=a,
                target=b,
                passages=n,
                derived_chars=derived,
                target_chars=total,
                derived_share=round(derived / max(1, total), 6),
            )
        )
    return [nodes[s] for s in sorted(nodes)], edges


# A cell opening with one of these is read as a formula by spreadsheets (OWASP's "CSV
# injection"): a site name is the store's metadata, which a page or a JSON record may set.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, kept as text by a leading
    apostrophe, as OWASP advises; numbers and other text as they are.

    >>> _cell("=cmd|' /C calc'!A0"), _cell("wire.example"), _cell(3)
    ("'=cmd|' /C calc'!A0", 'wire.example', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(edges: Sequence[SiteEdge], path: Path) -> None:
    """One edge a row, with a header (``EDGE_FIELDS``); written under a temporary name and
    renamed, so a killed run never leaves half a graph under ``path``. A site name a
    spreadsheet would read as a formula gets a leading apostrophe (:func:`_cell`)."""
    with replaced_atomically(path, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=EDGE_FIELDS, lineterminator="\n")
        writer.writeheader()
        for e in edges:
            writer.writerow({k: _cell(v) for k, v in e.items()})


def _xml_attr(value: str) -> str:
    """``value`` as a quoted XML attribute; a character XML cannot hold is written ``\\xNN``
    or ``\\uNNNN`` (as unspin writes such characters in file names), so the file stays well-formed."""
    return quoteattr(_NOT_XML.sub(lambda m: _escaped(ord(m.group())), value))


def _escaped(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def graphml(nodes: Sequence[SiteNode], edges: Sequence[SiteEdge]) -> str:
    """The site graph as a GraphML document (site names are escaped)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="documents" for="node" attr.name="documents" attr.type="int"/>',
        '  <key id="chars" for="node" attr.name="chars" attr.type="long"/>',
        '  <key id="passages" for="edge" attr.name="passages" attr.type="int"/>',
        '  <key id="derived_chars" for="edge" attr.name="derived_chars" attr.type="long"/>',
        '  <key id="derived_share" for="edge" attr.name="derived_share" attr.type="double"/>',
        '  <graph id="sites" edgedefault="directed">',
    ]
    for n in nodes:
        lines.append(f"    <node id={_xml_attr(n['site'])}>")
        lines.append(f'      <data key="documents">{n["documents"]}</data>')
        lines.append(f'      <data key="chars">{n["chars"]}</data>')
        lines.append("    </node>")
    for e in edges:
        lines.append(f"    <edge source={_xml_attr(e['source'])} target={_xml_attr(e['target'])}>")
        lines.append(f'      <data key="passages">{e["passages"]}</data>')
        lines.append(f'      <data key="derived_chars">{e["derived_chars"]}</data>')
        lines.append(f'      <data key="derived_share">{e["derived_share"]}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)
