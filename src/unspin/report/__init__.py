"""Reports of a ``TraceResult``: rich terminal output, versioned JSON, self-contained HTML.

All three take the result and ``source_texts`` (``StoredDocument.key`` -> the source's raw
text), because passages are offsets and the side-by-side views need the texts they point into.
``render_spin_html`` draws ``unspin score``'s spans over the scored texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_names import names_from_modules

if TYPE_CHECKING:
    from .html import render_html, render_report_body
    from .json_report import SCHEMA_NAME, SCHEMA_VERSION, dumps, load_schema, to_json
    from .spin_html import render_spin_html
    from .terminal import render_terminal

# Each name's module, imported when the name is first asked for: the HTML reports load jinja2
# and the terminal report rich, which ``trace --json`` never uses (about 40 ms of a cold one).
_MODULES = {
    "SCHEMA_NAME": "json_report",
    "SCHEMA_VERSION": "json_report",
    "dumps": "json_report",
    "load_schema": "json_report",
    "to_json": "json_report",
    "render_html": "html",
    "render_report_body": "html",
    "render_spin_html": "spin_html",
    "render_terminal": "terminal",
}

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


__getattr__ = names_from_modules(__name__, _MODULES)
