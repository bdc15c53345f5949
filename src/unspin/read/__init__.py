"""Read documents from files: plain text, HTML, JSON Lines and WARC web archives.

``iter_inputs(paths)`` walks files and folders and yields a ``Document`` per document found and
an ``InputError`` per file or record that cannot be read, so one bad file never stops a run
(and an ``InputWarning`` before a document that reading changed). ``read_file(path)`` is its
strict form for a single file; ``read_bytes(data, name)`` reads a file's content held in memory
(an upload) the same way. ``Limits`` bounds what is read and how long a page may take to
parse; ``extract_html_bounded`` is the bounded HTML parse for pages that arrive another way.

The ``text`` of each Document is final: the store keeps it verbatim and every offset the rest
of unspin reports is an index into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .limits import Limits
from .plain import decode_text
from .readers import FORMATS, detect_format, iter_inputs, read_bytes, read_data, read_file
from .walk import store_files

if TYPE_CHECKING:
    from .html import Extracted, extract_html, extract_html_bounded

# The HTML reader imports trafilatura and htmldate (a quarter of a second): loaded on first
# use, so that reading plain text (``unspin compare a.txt b.txt``) does not pay for it.
_FROM_HTML = ("Extracted", "extract_html", "extract_html_bounded")


def __getattr__(name: str) -> Any:
    if name in _FROM_HTML:
        from . import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "Extracted",
    "Limits",
    "decode_text",
    "detect_format",
    "extract_html",
    "extract_html_bounded",
    "iter_inputs",
    "read_bytes",
    "read_data",
    "read_file",
    "store_files",
]
