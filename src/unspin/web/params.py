"""Request values checked where they enter: numbers SQLite can hold, text that is valid Unicode.

Without these, a path like ``/api/documents/99999999999999999999999`` reached SQLite as an
integer it cannot bind (``OverflowError``), and JSON text with a lone surrogate
(``"\\ud800"``, legal JSON, not encodable as UTF-8) failed when stored. Both now end as
HTTP 422 with a one-line message naming the field.

>>> valid_unicode("hello world")
'hello world'
>>> valid_unicode("hello \\ud800 world")
Traceback (most recent call last):
...
ValueError: contains a lone surrogate (U+D800 at character 6), which is not valid Unicode text
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, BeforeValidator

from ..types import UNPAIRED_SURROGATE

# SQLite integers are signed 64-bit; a larger key or offset cannot even be looked up.
MAX_SQLITE_INT = 2**63 - 1
MAX_PAGE = 10**9  # pages of 50 documents: far past any store, far below the SQLite bound


def valid_unicode(text: str) -> str:
    """``text`` unchanged, or ValueError when it holds a lone surrogate (not encodable)."""
    found = UNPAIRED_SURROGATE.search(text)
    if found:
        raise ValueError(
            f"contains a lone surrogate (U+{ord(found.group()):04X} at character "
            f"{found.start()}), which is not valid Unicode text"
        )
    return text


# A string from a request body that can be encoded, stored and shown.
Text = Annotated[str, AfterValidator(valid_unicode)]


def _integral(value: object) -> object:
    """A JSON number with no fraction (``5.0``) as the integer it is, as JSON Schema's
    ``integer`` reads it; anything else unchanged, for the strict check to judge."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A whole number in a JSON body whose model is strict (``"5"`` and ``true`` are refused).
WholeNumber = Annotated[int, BeforeValidator(_integral)]

DocumentKey = Annotated[
    int, Path(ge=0, le=MAX_SQLITE_INT, description="The document's key in the store.")
]
Offset = Annotated[int, Query(ge=0, le=MAX_SQLITE_INT)]
PageNumber = Annotated[int, Query(le=MAX_PAGE, description="Page of the list (from 1).")]
# A search of the stored documents' ids, titles, sites and URLs: the API refuses a longer one,
# the Corpus page searches its first MAX_QUERY characters and says so.
MAX_QUERY = 200
SearchQuery = Annotated[
    str, Query(max_length=MAX_QUERY, description="Text in id, title, site or URL")
]
# A name given to a text for its reports (a file name where the CLI names it): longer than any
# path a system allows is no name, and was stored with every result (up to robust34).
MAX_NAME = 4096


def _name_length(name: str) -> str:
    """``name`` unchanged, or ValueError when it is longer than :data:`MAX_NAME` (checked
    after :func:`valid_unicode`: pydantic's own length check reads the string as UTF-8
    first, and said "unable to parse raw data" of a lone surrogate)."""
    if len(name) > MAX_NAME:
        raise ValueError(f"a name may have at most {MAX_NAME:,} characters, not {len(name):,}")
    return name


Name = Annotated[Text, AfterValidator(_name_length)]
