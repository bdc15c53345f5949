"""A script of ``benchmarks/`` or ``scripts/`` loaded as a module, for tests: those folders
are scripts, not packages, so they cannot be imported by name."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_script(relative: str) -> ModuleType:
    """The module of the file ``relative`` to the repository root ("benchmarks/bench_spin.py"),
    loaded once. It is registered in ``sys.modules`` (a script's dataclasses look their module
    up there) and its folder put on ``sys.path`` (a bench imports its siblings)."""
    path = ROOT / relative
    name = f"unspin_script_{path.parent.name}_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
