"""unspin: find where a text came from and what was changed on the way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, MissingExtraError, UnspinError

if TYPE_CHECKING:
    from .types import Document, Passage, SourceMatch, Span, TraceResult

__version__ = "0.1.0"

__all__ = [
    "Document",
    "InputError",
    "MissingExtraError",
    "Passage",
    "SourceMatch",
    "Span",
    "TraceResult",
    "UnspinError",
    "__version__",
]

_TYPES = frozenset({"Document", "Passage", "SourceMatch", "Span", "TraceResult"})


def __getattr__(name: str) -> Any:
    # The result types load on first use: `unspin --help` imports this package and needs none.
    if name in _TYPES:
        from . import types

        return getattr(types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
