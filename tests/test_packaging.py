"""The core stays light: heavy extras are imported only when a command needs them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("fastapi", "uvicorn", "pyspark", "datasketch", "torch", "playwright")


def test_cli_import_does_not_load_optional_extras() -> None:
    code = (
        "import sys, unspin.cli, unspin.trace, unspin.spinscore.score, unspin.cluster;"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_command_and_option_has_help_text() -> None:
    import click

    from unspin.cli import main

    missing: list[str] = []

    def walk(cmd: click.Command, name: str) -> None:
        if isinstance(cmd, click.Group):
            for sub_name, sub in cmd.commands.items():
                walk(sub, f"{name} {sub_name}")
            return
        if not (cmd.help or "").strip():
            missing.append(name)
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden and not param.help:
                missing.append(f"{name} --{param.name}")

    walk(main, "unspin")
    assert missing == []
