"""The click group every command registers on, and shared CLI helpers."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click

from .. import __version__
from ..errors import InputError, UnspinError

if TYPE_CHECKING:
    from ..types import Document

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "unspin.db"

# Each command: the module that defines it (imported on first use) and the first sentence of
# its docstring, which ``unspin --help`` lists without importing anything.
# tests/cli/test_lazy_cli.py checks both against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "info_cmd",
        "Check the store: SQLite integrity (naming each damaged table), postings and statistics"
        " consistent with documents.",
    ),
    "cluster": ("cluster_cmd", "Find reuse across the whole corpus: who copies whom."),
    "compare": (
        "trace_cmd",
        "Align TARGET against SOURCE directly: reused passages and every edit between them.",
    ),
    "eval": ("eval_cmd", "Measure unspin's quality on public benchmarks."),
    "ingest": (
        "ingest_cmd",
        "Read PATHS (text, HTML, JSON Lines, WARC files or folders) into the store.",
    ),
    "reindex": (
        "info_cmd",
        "Rebuild the fingerprints of every stored document (after upgrading unspin).",
    ),
    "score": (
        "score_cmd",
        "Give each FILE a calibrated spin probability and the spans that drive it.",
    ),
    "serve": (
        "serve_cmd",
        "Run the web app: check texts, browse the corpus, and a JSON API under /api/.",
    ),
    "spin": ("spin_cmd", "Spin FILE like an article spinner and print the result."),
    "stats": ("info_cmd", "Counts, sites, date range and size of the store."),
    "trace": (
        "trace_cmd",
        "Find the sources of the article in FILE among the stored documents.",
    ),
    "xling": ("xling_cmd", "Cross-language index of a store: languages and vectors."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first used: a command module pulls in the
    library (trafilatura, numpy, torch...), which would cost every ``unspin --help`` seconds."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import_module(f"{__package__}.{COMMANDS[cmd_name][0]}")  # registers on main
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, as click writes it, from :data:`COMMANDS` for commands not
        imported yet."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            # A command not imported yet stands in as a bare one with its first sentence.
            cmd = self.commands.get(name) or click.Command(name, help=COMMANDS[name][1])
            if not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def read_plain_text(path: str) -> str:
    """A plain text file decoded as the plain text reader decodes it (byte-order mark
    dropped, UTF-16 and legacy encodings read), or InputError naming the file and the
    problem (empty, binary, unreadable)."""
    from ..read import decode_text

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from exc
    return decode_text(data, path)


def read_article(path: str, max_chars: int | None = None) -> str:
    """The main text of a file in any supported format ('-' reads standard input): plain text
    as it is, HTML through trafilatura, the first record of JSON Lines or WARC. ``max_chars``
    refuses longer texts with a message that names the file."""
    if path == "-":
        from ..read import decode_text

        # Bytes decoded as a text file's are: a byte-order mark dropped, UTF-16 read, binary
        # refused (the text layer would pass such bytes on as surrogates and NULs).
        text = decode_text(sys.stdin.buffer.read(), "<stdin>")
        return _within(path, text, max_chars)
    for doc in _read_file(path):  # the first document only
        if doc.text:
            return _within(path, doc.text, max_chars)
        break
    raise InputError(path, "no text found")


def read_documents(path: str, max_chars: int | None = None) -> list[tuple[str, str]]:
    """Every document of a file as ``(name, text)``: one for plain text or HTML (named by the
    path), one per record of JSON Lines or WARC (named ``path#N``); '-' reads standard input.
    ``max_chars`` refuses a longer document with a message that names it."""
    if path == "-":
        return [("-", read_article("-", max_chars))]
    out: list[tuple[str, str]] = []
    for doc in _read_file(path):
        name = doc.path or path
        out.append((name, _within(name, doc.text, max_chars)))
    if not out:
        raise InputError(path, "no text found")
    return out


def _read_file(path: str) -> Iterator[Document]:
    """The documents of one file with the default limits. The readers (trafilatura, warcio)
    are imported here, on first use, not with the CLI."""
    from ..read import Limits, read_file

    return read_file(Path(path), Limits())


def _within(name: str, text: str, max_chars: int | None) -> str:
    """``text``, or InputError naming it when it is longer than ``max_chars``."""
    if max_chars is not None and len(text) > max_chars:
        raise InputError(
            name,
            f"{len(text):,} characters is over the {max_chars:,}-character limit; "
            "split it into articles",
        )
    return text


class Advance(Protocol):
    """Moves a progress bar: ``done`` so far, of ``total``, in the stage ``label``."""

    def __call__(self, done: int, total: int | None = ..., label: str = ...) -> None: ...


@contextmanager
def batch_progress(label: str, total: int | None) -> Iterator[Advance]:
    """A progress bar on standard error (when it is a terminal) for ``total`` items done in
    batches (None: not known); yields the callback that takes how many are done so far, and
    for work in stages the next stage's total and label."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    err = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        tasks = {label: progress.add_task(label, total=total)}

        def advance(done: int, total: int | None = total, label: str = label) -> None:
            if label not in tasks:  # the next stage: its own bar (rich keeps an old total)
                for old in tasks.values():
                    progress.remove_task(old)
                tasks.clear()
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done)

        yield advance


def write_text_file(path: str, text: str) -> None:
    """Write a report, or InputError naming the file and why it cannot be written."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot write the report ({exc.strerror or exc})") from exc
