r"""click's own usage errors name arguments as every other message does (``caf\xe9``).

Before: a file name that is not UTF-8 read ``File 'nope�' does not exist`` (click writes
each bad byte as U+FFFD), another argument ``No such command 'sp\udce9n'`` (Python's repr),
and a name holding a line break split the error over two lines.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _unspin(args: list[bytes], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run ``unspin ARGS`` with raw bytes as arguments, as a shell passes them."""
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"unspin", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        check=False,
    )


def _last_line_of_error(args: list[bytes], cwd: Path) -> str:
    done = _unspin(args, cwd)
    assert done.returncode == 2, done
    assert b"Traceback" not in done.stderr
    *_, last = done.stderr.decode("utf-8").rstrip("\n").split("\n")
    return last


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [b"spin", b"nope\xe9.txt"],
            "Error: Invalid value for 'FILE': File 'nope\\xe9.txt' does not exist.",
        ),
        (
            [b"score", b"--context", b"ctx\xe9.txt", b"a.txt"],
            "Error: Invalid value for '--context': File 'ctx\\xe9.txt' does not exist.",
        ),
        (
            [b"cluster", b"--input", b"in\xe9.jsonl"],
            "Error: Invalid value for '--input': Path 'in\\xe9.jsonl' does not exist.",
        ),
        ([b"sp\xe9n"], "Error: No such command 'sp\\xe9n'."),
        (
            [b"score", b"--model", b"lex\xe9", b"a.txt"],
            "Error: Invalid value for '--model': 'lex\\xe9' is not one of 'auto', 'lexical', "
            "'contextual'.",
        ),
        ([b"trace", b"a.txt", b"b\xe9"], "Error: Got unexpected extra argument (b\\xe9)"),
        (
            [b"spin", b"two\nlines.txt"],
            "Error: Invalid value for 'FILE': File 'two\\x0alines.txt' does not exist.",
        ),
    ],
)
def test_usage_errors_name_arguments_printably(
    tmp_path: Path, args: list[bytes], expected: str
) -> None:
    assert _last_line_of_error(args, tmp_path) == expected


def test_plain_usage_errors_are_unchanged(tmp_path: Path) -> None:
    assert _last_line_of_error([b"spin", b"missing.txt"], tmp_path) == (
        "Error: Invalid value for 'FILE': File 'missing.txt' does not exist."
    )
    assert _last_line_of_error([b"trace", b"--bogus", b"a.txt"], tmp_path).startswith(
        "Error: No such option '--bogus'"
    )


@pytest.mark.parametrize("args", [[], [b"xling"], [b"eval"]])
def test_a_group_given_no_command_shows_its_help_on_many_lines(
    tmp_path: Path, args: list[bytes]
) -> None:
    # Before (robust26): click raises the help as a usage error, and the message rewrite
    # above escaped its line breaks: `unspin` alone printed its help as one line of "\x0a".
    done = _unspin(args, tmp_path)
    shown = (done.stdout + done.stderr).decode("utf-8")
    assert shown.startswith("Usage: unspin") and "\\x0a" not in shown, shown
    assert "Commands:" in shown.splitlines()


@pytest.mark.parametrize(
    ("args", "named", "kind"),
    [
        (["ingest", "--db", "c.db", ""], "'PATHS...'", "file or folder"),
        (["trace", "--db", "c.db", ""], "'FILE'", "file or folder"),
        (["trace", "--db", "c.db", "a.txt", "--html", ""], "'--html'", "file"),
        (["compare", "", "a.txt"], "'SOURCE'", "file or folder"),
        (["score", "a.txt", ""], "'[FILES]...'", "file or folder"),
        (["score", "a.txt", "--html", ""], "'--html'", "file"),
        (["spin", ""], "'FILE'", "file"),
        (["stats", "--db", ""], "'--db'", "file"),
        (["cluster", "--db", "c.db", "--out", ""], "'--out'", "folder"),
    ],
)
def test_an_empty_name_is_a_usage_error_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], named: str, kind: str
) -> None:
    # Before (robust29): Path("") is the current folder, so `ingest ""` (an unset shell
    # variable) ingested everything below it and `cluster --out ""` wrote its outputs there
    # ("wrote /clusters.jsonl"), both exit 0; `--html ""` wrote no report and said nothing;
    # `trace ""` said ".: is a folder"; `stats --db ""` named the API's Corpus(path='').
    from click.testing import CliRunner

    from unspin.cli import main

    (tmp_path / "a.txt").write_text("Floods closed the road to Porto on Monday.\n")
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 2, done.output
    assert done.output.rstrip("\n").endswith(
        f"Error: Invalid value for {named}: an empty name; give a {kind} name"
    )
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]  # nothing ingested, written or created


def test_a_device_as_the_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    # Before (robust33 noticed): click's folder check refuses a regular file only, so
    # `cluster --out /dev/null` ran and failed as "/dev/null/stages: not a directory".
    from click.testing import CliRunner

    from unspin.cli import main

    done = CliRunner().invoke(
        main, ["cluster", "--db", str(tmp_path / "c.db"), "--out", os.devnull]
    )
    assert done.exit_code == 2, done.output
    assert done.output.rstrip("\n").endswith(
        f"Error: Invalid value for '--out': '{os.devnull}' is not a folder"
    )


@pytest.mark.parametrize("args", [["compare", "-", "-"], ["score", "-", "a.txt", "-"]])
def test_standard_input_given_twice_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    # Before (robust29): the second '-' read nothing and was reported as "<stdin>: empty file"
    # (score scored the first and exited 1 for the "unreadable" second).
    from click.testing import CliRunner

    from unspin.cli import main

    (tmp_path / "a.txt").write_text("Floods closed the road to Porto on Monday.\n")
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, args, input="Cocoa prices rose in Bahia on Monday.\n")
    assert done.exit_code == 2, done.output
    assert done.output.rstrip("\n").endswith(
        "Error: '-' (standard input) is given 2 times; it can be read once"
    )
