"""The Jinja2 environment of the HTML reports (templates in ``report/templates``).

The trace report and the spin report are rendered from these templates by the CLI
(``--html``) and by the web app (downloads and the result page), so both show the same markup;
so is ``unspin cluster``'s ``report.html`` (``cluster_report.html.j2``).

Two rules make the templates safe and their output stable:

- **Every value is escaped.** Autoescaping is on, and every ``{{ value }}`` passes through
  :func:`html.escape` (``quote=True``) unless it is already markup (``Markup``: the SVG of
  the order plot, the output of a macro). ``html.escape`` rather than Jinja2's own escape
  keeps the reports byte-identical to the f-string renderer they replace (``&quot;`` and
  ``&#x27;`` where Jinja2 writes ``&#34;`` and ``&#39;``).
- **Bidirectional controls are shown.** An explicit embedding, override or isolate in a
  value is written as its escape (``\\u202e``), so no value reads in another order than it
  is written, nor reorders the page around it.
- **Template lines are joined.** Each line of a template is stripped of its leading
  indentation and joined to the next without a line break, so templates can be indented for
  reading while no stray whitespace reaches the page (whitespace inside the article text is
  shown as it is). ``{{ NL }}`` writes a line break where the page has one.

>>> page = render("report_page.html.j2", title='<b>"Spun" news</b>', css="")
>>> page[page.index("<title>") : page.index("<style>")]
'<title>&lt;b&gt;&quot;Spun&quot; news&lt;/b&gt;</title>\\n'
>>> escape_value('a "b" <c>'), escape_value(Markup("<svg/>"))
(Markup('a &quot;b&quot; &lt;c&gt;'), Markup('<svg/>'))
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

from ..errors import bidi_escaped

__all__ = ["Markup", "environment", "escape_value", "render"]


def escape_value(value: Any) -> Markup:
    """What a ``{{ value }}`` writes: markup as it is, anything else through ``html.escape``,
    with its explicit bidirectional controls written as escapes (``\\u202e``,
    :func:`unspin.errors.bidi_escaped`): up to robust36 an id or a text holding a
    right-to-left override was shown in another order than it is written, and one left
    open reordered the rest of its line (the figures after a source's name)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(bidi_escaped(str(value)), quote=True))


class JoinLines(Extension):
    """Join the lines of a template, dropping each line's leading indentation."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return "".join(line.lstrip() for line in source.splitlines())


@cache
def environment() -> Environment:
    """The one environment of the report templates (built on first use)."""
    env = Environment(
        loader=PackageLoader("unspin.report", "templates"),
        autoescape=True,
        finalize=escape_value,
        undefined=StrictUndefined,
        extensions=[JoinLines],
    )
    env.globals["NL"] = Markup("\n")
    return env


def render(name: str, **context: Any) -> str:
    """Render the report template ``name`` with ``context``."""
    return str(environment().get_template(name).render(**context))
