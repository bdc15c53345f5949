"""Markup made shallow: the tags below a depth taken out, their text kept.

libxml2, under lxml, trafilatura and htmldate, stops building a page's tree 255 elements deep
(2,048 with lxml's ``huge_tree``) and drops what lies below, so the text of a page nested
deeper (unclosed ``<font>`` or ``<div>`` tags by the thousand, tables in tables) was lost:
"no text found in html page". Python's own tokenizer (``html.parser``) has no depth limit and
reads such a page in one pass, linear in its length (0.4 s for 100,000 nested ``<div>``).
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Elements that never hold anything: they open no level.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Shallow(HTMLParser):
    """Writes the markup back as it reads it, but for the tags more than ``depth`` open
    elements deep; where it leaves one out it writes a line break between words, so that
    the blocks' texts stay apart."""

    def __init__(self, depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self._depth = depth
        self._open: list[str] = []
        self.parts: list[str] = []

    def _tag(self, markup: str, level: int) -> None:
        if level <= self._depth:
            self.parts.append(markup)
        elif self.parts and not self.parts[-1][-1:].isspace():
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self._open.append(tag)
        self._tag(self.get_starttag_text() or "", len(self._open))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(self.get_starttag_text() or "", len(self._open) + 1)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._open:
            return  # a stray end tag, as parsers ignore it
        # An end tag closes the elements left open inside its element too.
        while self._open:
            level = len(self._open)
            name = self._open.pop()
            self._tag(f"</{name}>", level)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.parts.append(html.escape(data, quote=False))


def shallow(markup: str, depth: int) -> str:
    """``markup`` with no element more than ``depth`` deep: the tags below are left out, the
    text inside them kept. Comments, doctypes and processing instructions are left out too.

    >>> shallow("<html><body><div><div><div><p>Rivers rose.</p></div></div></div></body></html>", 3)
    '<html><body><div>\\nRivers rose.\\n</div></body></html>'
    """
    parser = _Shallow(depth)
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)
