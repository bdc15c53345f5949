"""The docs name what exists: every ``unspin.x.y`` they or the docstrings mention resolves, and
the module map of docs/architecture.md names every module.

Renamed modules left stale names behind (``unspin.spin``, ``indexer.ingest``); these checks
catch the next rename.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "unspin"
REFERENCE = re.compile(r"\bunspin(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
# File names written as ``unspin.db``, ``unspin.py``...: not module paths.
FILE_SUFFIXES = {"db", "py", "json", "npz", "html", "md", "txt", "jsonl", "toml"}


def _texts() -> list[tuple[str, str]]:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    out = []
    for path in docs:
        if path.name == "benchmarks.md":  # a dated record: it names the code of its day
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "architecture.md":  # its table of moved modules names the old paths
            start = text.index("Modules that moved in issue 22")
            text = text[:start] + text[text.index("One `trace` call", start) :]
        out.append((str(path.relative_to(ROOT)), text))
    out += [(str(p.relative_to(ROOT)), p.read_text("utf-8")) for p in sorted(SRC.rglob("*.py"))]
    return out


def _resolves(reference: str) -> bool:
    parts = reference.split(".")
    if len(parts) == 2 and parts[1] in FILE_SUFFIXES:
        return True
    # The longest prefix that is a module or package of src/unspin, then attributes.
    for n in range(len(parts), 0, -1):
        base = SRC.parent.joinpath(*parts[:n])
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            break
    else:
        return False
    rest = parts[n:]
    if not rest:
        return True
    try:
        obj = importlib.import_module(".".join(parts[:n]))
    except ImportError:  # an optional extra this machine lacks: the module itself exists
        return True
    for name in rest:
        if not hasattr(obj, name):
            return False
        obj = getattr(obj, name)
    return True


def test_every_unspin_reference_resolves() -> None:
    stale = sorted(
        {
            f"{where}: {ref}"
            for where, text in _texts()
            for ref in (m.group(0).rstrip(".") for m in REFERENCE.finditer(text))
            if not _resolves(ref)
        }
    )
    assert not stale, "names of nothing: " + "; ".join(stale)


@pytest.mark.parametrize(
    "module",
    sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    ),
)
def test_the_module_map_names_every_module(module: str) -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    stem = Path(module).stem
    assert re.search(rf"\b{re.escape(stem)}\b", text), f"docs/architecture.md omits {module}"
