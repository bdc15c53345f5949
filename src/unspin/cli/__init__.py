"""Command-line interface: thin click commands over the library API.

Each command lives in its own module and registers itself on ``main``. Library errors
(``UnspinError``) become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

from importlib import import_module

from .app import main

# Command modules, imported for their side effect of registering on ``main``.
COMMANDS = (
    "ingest_cmd",
    "trace_cmd",
    "spin_cmd",
    "eval_cmd",
    "info_cmd",
    "score_cmd",
    "serve_cmd",
    "cluster_cmd",
)

for _name in COMMANDS:
    import_module(f"{__name__}.{_name}")

__all__ = ["main"]
