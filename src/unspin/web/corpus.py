"""Read-only views of the store for the Corpus and Document pages.

Listing and searching are the store's queries over its ``documents`` metadata (id, title,
site, URL); the texts stay compressed and are only read for the one document shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..dates import compare_dates
from ..trace import TraceConfig
from ..types import SourceMatch, StoredDocument

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

    The document's text is traced against the store (itself left out; its copies, and those
    of every source, listed as sources). A match dated before
    it is a document it *reuses*; one dated after it *reuses it*; without both dates, or when
    they tell no order (the same day; a year and a day of that year), the direction is
    unknown ("shared").
    """
    doc = corpus.store.document(key)
    result = corpus.trace(
        corpus.store.text(key), config=TraceConfig(top=top + 1, label_edits=False)
    )
    found = []
    for match in result.sources:
        # A source's near-identical copies (reprints, the same text stored again) share the
        # text as much as it does. The best source of a stored document is the document
        # itself, so its copies were dropped with it: a story stored four times listed none.
        for other in (match.document, *match.copies):
            if other.key != key:
                shown = match if other is match.document else replace(match, document=other)
                found.append(Reuse(replace(shown, copies=()), _direction(doc.date, other.date)))
    return found[:top]


def _direction(mine: str | None, theirs: str | None) -> str:
    """Which way text went by the two dates, compared as ``unspin cluster`` compares them:
    at the coarser precision of the two (:func:`unspin.dates.compare_dates`). As text,
    ``1987`` came before ``1987-02-26`` and ``1987-02-26`` before ``1987-02-26T15:00:00Z``,
    so the page named a document of the same year, or the same day, as the older one."""
    if not mine or not theirs:
        return "shared"
    order = compare_dates(theirs, mine)
    return "shared" if order == 0 else "reuses" if order < 0 else "reused_by"
