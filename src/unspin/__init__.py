"""unspin: find where a text came from and what was changed on the way.

The front door is :class:`Corpus` (a store of documents to trace texts against, in memory or
in a file), :func:`compare` (align two texts) and :func:`score` (spin score of one text); see
:mod:`unspin.api`. Importing unspin is cheap: the aligner, the store and the models load on
first use.

>>> import unspin
>>> with unspin.Corpus() as corpus:
...     _ = corpus.add("Heavy rain flooded the old town of Prague overnight.", id="ctk")
...     [s.document.id for s in corpus.trace("Heavy rain flooded Prague's old town overnight.").sources]
['ctk']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ConfigError, InputError, MissingExtraError, StoreError, UnspinError
from .lazy_names import names_from_modules

if TYPE_CHECKING:
    from .api import Clusters, Corpus, SearchHit, compare, score
    from .types import Document, Passage, SourceMatch, Span, StoredDocument, TraceResult

__version__ = "0.1.0"

__all__ = [
    "Clusters",
    "ConfigError",
    "Corpus",
    "Document",
    "InputError",
    "MissingExtraError",
    "Passage",
    "SearchHit",
    "SourceMatch",
    "Span",
    "StoreError",
    "StoredDocument",
    "TraceResult",
    "UnspinError",
    "__version__",
    "compare",
    "score",
]

# Where each lazily loaded name lives: `unspin --help` imports this package and needs none.
_LAZY = {
    **dict.fromkeys(("Clusters", "Corpus", "SearchHit", "compare", "score"), "api"),
    **dict.fromkeys(
        ("Document", "Passage", "SourceMatch", "Span", "StoredDocument", "TraceResult"), "types"
    ),
}


__getattr__ = names_from_modules(__name__, _LAZY)
