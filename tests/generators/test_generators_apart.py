"""The test-data generators stay out of the product: nothing that traces, scores, compares,
ingests, clusters or serves loads :mod:`unspin.generators` (only ``unspin spin`` does)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import unspin

PACKAGE = Path(unspin.__file__).resolve().parent
# The one runtime module allowed to load the generators: the command that runs them.
ALLOWED = {PACKAGE / "cli" / "spin_cmd.py"}

RUNTIME_ENTRY_POINTS = (
    "unspin",
    "unspin.api",
    "unspin.trace",
    "unspin.spinscore.score",
    "unspin.ingest",
    "unspin.read",
    "unspin.retrieve",
    "unspin.align",
    "unspin.edits",
    "unspin.report",
    "unspin.cluster",
    "unspin.cluster.local",
    "unspin.evaluate",
    "unspin.web.app",
    "unspin.cli.app",
    "unspin.cli.trace_cmd",
    "unspin.cli.score_cmd",
    "unspin.cli.ingest_cmd",
    "unspin.cli.cluster_cmd",
    "unspin.cli.eval_cmd",
    "unspin.cli.info_cmd",
    "unspin.cli.serve_cmd",
)


def _generator_imports(path: Path) -> list[str]:
    """The imports of ``unspin.generators`` in one source file, wherever they stand (a lazy
    import inside a function counts)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        found += [
            n for n in names if n == "unspin.generators" or n.startswith("unspin.generators.")
        ]
    return found


def test_no_runtime_module_imports_the_generators() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if "generators" not in path.relative_to(PACKAGE).parts
        and path not in ALLOWED
        and (names := _generator_imports(path))
    }
    assert offenders == {}


def test_the_scan_sees_the_one_allowed_import() -> None:
    # The spin command does import them (lazily): the scan above would see a runtime one.
    assert _generator_imports(PACKAGE / "cli" / "spin_cmd.py")


def test_runtime_entry_points_load_no_generator() -> None:
    # A fresh interpreter: this test process may already hold the generators from other tests.
    code = (
        "import importlib, json, sys\n"
        f"for name in {RUNTIME_ENTRY_POINTS!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('unspin'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    loaded = json.loads(done.stdout)
    assert "unspin.web.app" in loaded and "unspin.spinscore.score" in loaded
    assert [m for m in loaded if m.startswith("unspin.generators")] == []
