"""Where unspin keeps the resources it derives from its lexical packages."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Where derived resources are cached (``$UNSPIN_CACHE`` or ``~/.cache/unspin``)."""
    root = os.environ.get("UNSPIN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "unspin"
    )
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path
