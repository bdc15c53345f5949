"""The click group every command registers on, and shared CLI helpers."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import InputError, UnspinError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "unspin.db"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unspin")
def main() -> None:
    """unspin: find where a text came from and what was changed on the way.

    Index a corpus with `unspin ingest`, then ask `unspin trace ARTICLE` where an article came
    from, or `unspin compare SOURCE TARGET` to align two texts directly.
    """


def db_option(f: F) -> F:
    """The --db option shared by every command that reads or writes the store."""
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        envvar="UNSPIN_DB",
        type=click.Path(dir_okay=False),
        help="SQLite store file (env UNSPIN_DB).",
    )(f)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handle_errors(f: F) -> F:
    """Turn UnspinError (and Ctrl-C) into a one-line message and a non-zero exit."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UnspinError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted; everything committed so far is kept", 130)
        return None

    return wrapper  # type: ignore[return-value]


def read_utf8(path: str) -> str:
    """A UTF-8 text file, or InputError naming the file and the problem."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from exc
