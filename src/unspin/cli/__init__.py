"""Command-line interface: thin click commands over the library API.

Each command lives in its own module and registers itself on ``main`` when that module is
imported, which happens only when the command is run (or its help shown): ``unspin --help``
imports click and nothing heavy. Library errors (``UnspinError``) become one line on stderr and
a non-zero exit, never a traceback.
"""

from __future__ import annotations

from .app import COMMANDS, main

__all__ = ["COMMANDS", "main"]
