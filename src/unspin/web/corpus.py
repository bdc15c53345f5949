"""Read-only views of the store for the Corpus and Document pages.

Listing and searching are the store's queries over its ``documents`` metadata (id, title,
site, URL); the texts stay compressed and are only read for the one document shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..dates import compare_dates
from ..trace import TraceConfig
from ..types import Passage, SourceMatch, StoredDocument

if TYPE_CHECKING:
    from ..api import Corpus
    from ..store import Store


def sites(store: Store, limit: int = 50) -> list[tuple[str, int]]:
    """The most frequent sites with their document counts (unknown site as '—')."""
    return [("—" if site is None else site, n) for site, n in store.largest_sites(limit)]


def search(
    store: Store, query: str = "", *, offset: int = 0, limit: int = 50
) -> tuple[list[StoredDocument], int]:
    """Documents whose id, title, site or URL contain ``query`` (all when empty), and the total.

    ``LIKE`` wildcards typed by the user are matched literally.
    """
    return store.search_metadata(query, offset=offset, limit=limit)


@dataclass(frozen=True, slots=True)
class Reuse:
    """Another stored document sharing text with the one shown, and which way it went."""

    match: SourceMatch
    direction: str  # "reuses" (the other is older), "reused_by" (newer) or "shared" (unknown)

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "document": self.match.document.to_dict(),
            "coverage": self.match.coverage,
            "score": self.match.score,
            "passages": len(self.match.passages),
        }


def reuse(corpus: Corpus, key: int, top: int = 10) -> list[Reuse]:
    """Documents that share passages with document ``key``, each with a direction by date.

    The document's reprints (the same text stored again) come first, sharing all of it; then
    its text is traced against the rest of the store (itself and its reprints left out, so
    that a document sharing only part of it is found: up to the 39th session the document
    owned its whole text and only copies were listed), each source with its near-identical
    copies. A match dated before it is a document it *reuses*; one dated after it *reuses
    it*; without both dates, or when they tell no order (the same day; a year and a day of
    that year), the direction is unknown ("shared").
    """
    store = corpus.store
    doc = store.document(key)
    text = store.text(key)
    found = [
        Reuse(SourceMatch(other, 0, 1.0, 1.0, (_whole(text),)), _direction(doc.date, other.date))
        for other in store.copies([key]).get(key, [])
        if other.key != key
    ]
    result = corpus.trace(text, config=TraceConfig(top=top, label_edits=False), leave_out=[key])
    for match in result.sources:
        for other in (match.document, *match.copies):
            shown = match if other is match.document else replace(match, document=other)
            found.append(Reuse(replace(shown, copies=()), _direction(doc.date, other.date)))
    return found[:top]


def _whole(text: str) -> Passage:
    """The passage a reprint shares with the document: all of it."""
    return Passage(0, len(text), 0, len(text))


def _direction(mine: str | None, theirs: str | None) -> str:
    """Which way text went by the two dates, compared as ``unspin cluster`` compares them:
    at the coarser precision of the two (:func:`unspin.dates.compare_dates`). As text,
    ``1987`` came before ``1987-02-26`` and ``1987-02-26`` before ``1987-02-26T15:00:00Z``,
    so the page named a document of the same year, or the same day, as the older one."""
    if not mine or not theirs:
        return "shared"
    order = compare_dates(theirs, mine)
    return "shared" if order == 0 else "reuses" if order < 0 else "reused_by"
