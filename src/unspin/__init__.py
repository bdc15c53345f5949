"""unspin: find where a text came from and what was changed on the way."""

from .errors import InputError, MissingExtraError, UnspinError
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
