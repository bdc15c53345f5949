"""Reports of a ``TraceResult``: rich terminal output, versioned JSON, self-contained HTML.

All three take the result and ``source_texts`` (``StoredDocument.key`` -> the source's raw
text), because passages are offsets and the side-by-side views need the texts they point into.
``render_spin_html`` draws ``unspin score``'s spans over the scored texts.
"""

from __future__ import annotations

from .html import render_html, render_report_body
from .json_report import SCHEMA_NAME, SCHEMA_VERSION, dumps, load_schema, to_json
from .spin_html import render_spin_html
from .terminal import render_terminal

__all__ = [
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "dumps",
    "load_schema",
    "render_html",
    "render_report_body",
    "render_spin_html",
    "render_terminal",
    "to_json",
]
