"""The click group every command registers on, and shared CLI helpers."""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypeVar

import click

from .. import __version__
from ..errors import InputError, UnspinError, printable

if TYPE_CHECKING:
    from ..read import Limits
    from ..types import Document

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "unspin.db"
# What a command interrupted by Ctrl-C says (exit code 130).
INTERRUPTED = "interrupted; everything committed so far is kept"
OUT_OF_MEMORY = (
    "out of memory: the work needs more than this process may take (a ulimit -v, or a "
    "container's limit); allow it more, or give it less at once (score --model lexical "
    "takes less); everything committed so far is kept"
)
# How messages name standard input ('-' on the command line), as the readers do.
STDIN = "<stdin>"

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
    "upgrade": (
        "info_cmd",
        "Bring a store written by an older unspin up to this unspin's layout, in place.",
    ),
    "xling": ("xling_cmd", "Cross-language index of a store: languages and vectors."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first used: a command module pulls in the
    library (trafilatura, numpy, torch...), which would cost every ``unspin --help`` seconds.
    Its usage errors name arguments as :func:`printable` does (see :func:`_named_printably`).
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        argv = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            raise _named_printably(exc, argv) from None
        ctx.meta[_ARGV] = argv
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        show_cache_builds()  # before the command's module is imported: some build on import
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _named_printably(exc, ctx.meta.get(_ARGV, [])) from None
        except KeyboardInterrupt:
            # Ctrl-C while a command's module is imported (seconds: trafilatura, numpy,
            # torch) or before its error handler runs: click would print "Aborted!" and exit
            # 1, where the same key a second later exits 130 (as shells report SIGINT).
            fail(INTERRUPTED, 130)

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


_ARGV = "unspin-argv"  # where make_context keeps the arguments for invoke


def _named_printably(exc: click.ClickException, argv: list[str]) -> click.ClickException:
    """``exc`` with each argument of ``argv`` named as :func:`printable` names it.

    click writes a file name that is not UTF-8 with U+FFFD for each bad byte (``File
    'caf\ufffd' does not exist``) and other arguments as Python's repr (``No such command
    'sp\\udce9n'``); a name holding a line break splits the error in two. Every other
    message of unspin shows such a name as ``caf\\xe9`` (errors, warnings, reports).
    A group given no command raises its help as the message: left as it is, many lines."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return exc
    message = exc.message
    for arg in argv:
        shown = printable(arg)
        if shown != arg:
            for form in (click.format_filename(arg), repr(arg)[1:-1], arg):
                message = message.replace(form, shown)
    # click types ``message`` Final (set once in __init__); the exception is not shown yet.
    vars(exc)["message"] = printable(message)
    return exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unspin")
def main() -> None:
    """unspin: find where a text came from and what was changed on the way.

    Index a corpus with `unspin ingest`, then ask `unspin trace ARTICLE` where an article came
    from, or `unspin compare SOURCE TARGET` to align two texts directly.
    """


class _StderrLine(logging.Handler):
    """A record as one ``unspin: ...`` line on the standard error of the moment (click's
    runner and the web server's workers swap it after start-up), when that is a terminal as
    rich judges it (:func:`batch_progress` shows its bars there too): scripts and pipes read
    only the command's own messages."""

    def emit(self, record: logging.LogRecord) -> None:
        from rich.console import Console

        if Console(stderr=True).is_terminal:
            click.echo(f"unspin: {record.getMessage()}", err=True)


def show_cache_builds() -> None:
    """Say on standard error when a first run builds a lexical cache (seconds to a quarter of
    a minute, once), instead of leaving a silent wait; installed once per process."""
    log = logging.getLogger("unspin.cache")
    if not any(isinstance(h, _StderrLine) for h in log.handlers):
        log.addHandler(_StderrLine())
    log.setLevel(logging.INFO)


EMPTY_PATH = "an empty name; give a {kind} name"


class PathArgument(click.Path):
    """click's ``Path``, refusing an empty name. ``Path("")`` is the current folder, so
    ``unspin ingest ""`` (an unset shell variable) ingested everything below it, ``cluster
    --out ""`` wrote there, ``--html ""`` wrote nothing and said nothing, and ``trace ""``
    answered ".: is a folder"."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str | bytes) and not value:
            kind = (
                "file"
                if not self.dir_okay
                else "folder"
                if not self.file_okay
                else "file or folder"
            )
            self.fail(EMPTY_PATH.format(kind=kind), param, ctx)
        converted = super().convert(value, param, ctx)
        if not self.file_okay and os.path.exists(converted) and not os.path.isdir(converted):
            # click refuses a regular file only: a device ("--out /dev/null") failed later,
            # as "/dev/null/stages: not a directory".
            self.fail(f"{printable(os.fsdecode(converted))!r} is not a folder", param, ctx)
        return converted


def stdin_once(paths: tuple[str, ...]) -> None:
    """Refuse '-' given more than once: standard input reads once, so the second '-' read
    nothing and was reported as "<stdin>: empty file" (``compare - -``, ``score - -``)."""
    if paths.count("-") > 1:
        raise click.UsageError(
            f"'-' (standard input) is given {paths.count('-')} times; it can be read once"
        )


def check_report_file(output: str | None, inputs: tuple[str | None, ...]) -> None:
    """Refuse, before anything is read, a report file that cannot be written where it is
    named, or that is one of the command's inputs (InputError naming it). Up to robust30 a
    report into a folder that does not exist failed only once all the work was done, and
    ``compare a.txt b.txt --html a.txt`` overwrote the source with the report, ``trace b.txt
    --db s.db --html s.db`` the store ("not an unspin store" after), exit 0."""
    if output is None:
        return
    if output == "-":
        # Up to robust31 a file named "-" was written here, as for any name: "-" reads
        # standard input for the inputs, so a user takes it for standard output.
        raise InputError(
            "-",
            "the report is written to a file, and '-' would name one here; give a file name "
            "(or /dev/stdout to print it)",
        )
    folder = os.path.dirname(output) or "."
    if not os.path.isdir(folder):
        why = "is not a folder" if os.path.exists(folder) else "does not exist"
        raise InputError(output, f"cannot write the report ({folder} {why})")
    _check_not_beside_a_store(output, inputs)
    if not os.path.exists(output):
        return
    for given in inputs:
        if not given or given == "-":
            continue
        try:
            same = os.path.samefile(output, given)
        except OSError:  # not there, or not to be looked at: then not the same file
            same = False
        if same:
            raise InputError(
                output,
                f"cannot write the report over {given}, an input of this command; "
                "name another file",
            )


def _check_not_beside_a_store(output: str, inputs: tuple[str | None, ...]) -> None:
    """Refuse a report named as a file SQLite keeps beside an input store (``STORE-wal``,
    ``-shm``, ``-journal``), there or not: up to robust34 ``trace a.txt --db s.db --html
    s.db-wal`` (a shell's completion of ``s.db``) wrote the report over the store's
    write-ahead log, whose transactions not yet in the store were then lost."""
    from ..read.walk import store_files

    target = Path(os.path.abspath(output))
    for given in inputs:
        if given and given != "-" and target in store_files(given) - {Path(os.path.abspath(given))}:
            raise InputError(
                output,
                f"cannot write the report over a file SQLite keeps beside the store {given}; "
                "name another file",
            )


def db_option(f: F) -> F:
    """The --db option shared by every command that reads or writes the store."""
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        envvar="UNSPIN_DB",
        type=PathArgument(dir_okay=False),
        help="SQLite store file (env UNSPIN_DB).",
    )(f)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero (names shown as :func:`printable` makes
    them, as in every error and report)."""
    say_error(message)
    sys.exit(code)


def note_hidden_characters(name: str, text: str) -> None:
    """Say on standard error when ``text`` hides words with lookalike letters or invisible
    characters (:mod:`unspin.lookalikes`): they were read as the words they show, and hiding
    them is a way to hide copying."""
    from ..lookalikes import invisible_note, lookalike_note

    for note in (lookalike_note(name, text), invisible_note(name, text)):
        if note:
            click.echo(f"note: {note}", err=True)


def say_error(message: str) -> None:
    """Print a one-line error on standard error, as :func:`fail` does, and go on."""
    click.echo(f"Error: {printable(message)}", err=True)


def handle_errors(f: F) -> F:
    """Turn UnspinError (and Ctrl-C, an output that cannot be written, memory running out)
    into a one-line message and a non-zero exit."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _buffer_standard_output()
        _escape_what_standard_output_cannot_hold()
        try:
            result = f(*args, **kwargs)
            sys.stdout.flush()  # what is left, while a failure can still be said
            return result
        except UnspinError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail(INTERRUPTED, 130)
        except OSError as exc:
            # Output that cannot be written: a full disk behind `> file`, a reader that left
            # (`| head`). Files unspin opens itself are named by InputError before this.
            _drop_standard_output()
            if isinstance(exc, BrokenPipeError):
                sys.exit(1)  # nobody reads any more: nothing to say, and nowhere to say it
            fail(f"{exc.filename or 'standard output'}: {(exc.strerror or str(exc)).lower()}")
        except MemoryError:
            pass  # said below, once the failed work's frames (and what they hold) are freed
        # Only a MemoryError comes here: up to robust39 it was a traceback.
        fail(OUT_OF_MEMORY)
        return None

    return wrapper  # type: ignore[return-value]


def _buffer_standard_output() -> None:
    """Give standard output a buffer when it has none (``PYTHONUNBUFFERED=1``, as many
    container images set, or ``python -u``), keeping it flushed at each line.

    Unbuffered, Python's text layer writes straight to the file and drops what a short write
    left over without a word: up to robust35 ``unspin compare a b --json > out.json`` on a
    disk that filled (or past ``ulimit -f``) left a JSON cut short at the limit, exit 0. A
    buffer writes the rest and raises the error, which is then said (``handle_errors``)."""
    raw = getattr(sys.stdout, "buffer", None)
    if not isinstance(raw, io.FileIO) or not isinstance(sys.stdout, io.TextIOWrapper):
        return  # buffered already, or not a real file (a test runner's stream)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=sys.stdout.encoding,
        errors=sys.stdout.errors,
        line_buffering=True,
    )


def _escape_what_standard_output_cannot_hold() -> None:
    r"""Let standard output write a character its encoding lacks as its JSON escape
    (``\u2192``), when it is in an encoding other than UTF (``PYTHONIOENCODING=latin-1``, a
    Latin-1 locale, Windows' cp1252 for a redirected output) and would fail on one.

    Up to robust39 the terminal report of ``trace`` or ``compare`` (its "·", "→", "█") and a
    JSON report of a text holding "—" ended in a UnicodeEncodeError traceback there, half
    the report printed. A JSON escape reads back in JSON as the character it stands for, and
    the reports write a lone surrogate the same way."""
    stream = sys.stdout
    if not isinstance(stream, io.TextIOWrapper) or stream.errors != "strict":
        return  # a test runner's stream, or errors the user chose (PYTHONIOENCODING=x:replace)
    try:
        unicode = codecs.lookup(stream.encoding).name.startswith("utf")
    except LookupError:
        return
    if not unicode:
        with contextlib.suppress(ValueError, OSError):  # closed, or not reconfigurable
            stream.reconfigure(errors=JSON_ESCAPE)


def _json_escapes(exc: UnicodeError) -> tuple[str, int]:
    """The characters an encoder could not encode, as JSON writes them (``\u00e9``; a pair
    of surrogates for one beyond U+FFFF)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    units = exc.object[exc.start : exc.end].encode("utf-16-be", "surrogatepass")
    codes = (int.from_bytes(units[i : i + 2], "big") for i in range(0, len(units), 2))
    return "".join(f"\\u{c:04x}" for c in codes), exc.end


JSON_ESCAPE = "unspin-json-escape"
codecs.register_error(JSON_ESCAPE, _json_escapes)


def _drop_standard_output() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of
    what could not be written does not print a second error at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def read_input_bytes(path: str) -> bytes:
    """The bytes of the file ``path`` ('-': standard input), or InputError naming it and the
    problem (missing, not a regular file, unreadable, over the readers' ``max_file_bytes``).

    At most the limit and one byte more are read, so a huge standard input (or a file that
    grows) costs no more memory than the largest file that is accepted; a file over the
    limit is refused before any of it is read, with the message the readers give."""
    from ..read import Limits
    from ..read.limits import split_instead

    limits = Limits()
    shown = STDIN if path == "-" else path
    try:
        return _bytes_within(path, shown, limits)
    except InputError as err:
        raise split_instead(err) from err


def _bytes_within(path: str, shown: str, limits: Limits) -> bytes:
    from ..read.limits import human_bytes, over_limit

    try:
        if path == "-":
            data = _read_stream(sys.stdin.buffer, shown, limits)
        else:
            # Stat first: a device such as /dev/zero never ends, and opening a named pipe
            # the usual way would wait for a writer.
            mode = os.stat(path).st_mode
            if stat.S_ISFIFO(mode):
                data = _read_pipe(path, shown, limits)
            elif not stat.S_ISREG(mode):
                raise InputError(shown, "not a regular file")
            else:
                with open(path, "rb") as stream:
                    data = _read_stream(stream, shown, limits)
    except OSError as exc:
        raise InputError(shown, (exc.strerror or "cannot be read").lower()) from exc
    if len(data) > limits.max_file_bytes:  # a pipe, or a file that grew while read
        raise InputError(
            shown, over_limit("file", human_bytes(limits.max_file_bytes), "max_file_bytes")
        )
    return data


def is_pipe(path: str) -> bool:
    """Whether ``path`` names a pipe: a FIFO, or what the shell's process substitution
    (``<(curl ...)``, ``/dev/fd/63``) and a piped ``/dev/stdin`` give."""
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _read_pipe(path: str, shown: str, limits: Limits) -> bytes:
    """What a pipe gives, up to the limit. Opened without waiting for a writer: a FIFO no
    program writes to reads as nothing at once (an error saying so), where a plain open
    waited for ever; a pipe whose writer is there (process substitution) is read to its end.
    Up to robust34 every pipe was refused ("not a regular file"), so ``unspin compare
    <(curl -s A) <(curl -s B)`` could not be written."""
    from ..read.walk import open_unblocked

    with open_unblocked(path) as stream:
        data = _read_stream(stream, shown, limits)
    if not data:
        raise InputError(
            shown, "nothing to read: no program writes to this pipe, or it wrote nothing"
        )
    return data


def _read_stream(stream: BinaryIO, shown: str, limits: Limits) -> bytes:
    """Up to ``max_file_bytes`` + 1 bytes of ``stream``; a regular file's size is checked
    first, so that the message gives it."""
    from ..read.limits import check_size

    try:
        st: os.stat_result | None = os.fstat(stream.fileno())
    except (OSError, ValueError):  # no file descriptor (a test runner's in-memory stream)
        st = None
    if st is not None and stat.S_ISREG(st.st_mode):
        check_size(st.st_size, shown, limits)
    return stream.read(limits.max_file_bytes + 1)


def read_plain_text(path: str) -> str:
    """A plain text file ('-': standard input) decoded as the plain text reader decodes it
    (byte-order mark dropped, UTF-16 and legacy encodings read), or InputError naming the
    file and the problem (empty, binary, too large, unreadable)."""
    return decoded(read_input_bytes(path), STDIN if path == "-" else path)


def decoded(data: bytes, name: str) -> str:
    """Plain text bytes decoded as the plain text reader decodes them, with text garbled by a
    wrong decoding upstream put back as every reader puts it back (:mod:`unspin.read.mojibake`;
    the note goes to the log)."""
    from ..read import decode_text
    from ..read.mojibake import put_back_logged

    return put_back_logged(decode_text(data, name), name)


def read_text_of(path: str, max_chars: int | None = None) -> str:
    """A file's text to work on as words: a plain text file as :func:`read_plain_text`
    reads it, the main text of HTML and the first record of JSON Lines or WARC as
    :func:`read_article` does ('-': standard input, as plain text). ``spin`` read every file
    as plain text, so it swapped the words of the markup too (``<body>`` became ``<nick>``,
    a record's ``"title"`` key ``"vested interest"``)."""
    if path == "-":
        return read_article("-", max_chars)
    data = read_input_bytes(path)
    # Gzip goes to the readers, which decompress it (``spin notes.txt.gz`` and ``spin
    # <(gzip -c notes.txt)`` said "binary file, not text" up to robust35; trace read both).
    if _plain_text(path, data):
        return within(path, decoded(data, path), max_chars)
    # A pipe cannot be read twice: its bytes are read as the file's would be.
    return read_article(path, max_chars, data=data if is_pipe(path) else None)


def _plain_text(path: str, data: bytes) -> bool:
    """Whether the bytes of ``path`` are read as plain text: not gzip, and neither their
    name nor their content says HTML, JSON Lines, JSON or WARC."""
    from ..read import detect_format
    from ..read.limits import GZIP_MAGIC

    return not data.startswith(GZIP_MAGIC) and detect_format(Path(path), data[:4096]) == "text"


def _stdin_plain() -> tuple[bytes, str | None]:
    """Standard input's bytes, and their text when they are plain text (else None: records,
    a page or gzip, which the readers read as a pipe's). Up to robust35 '-' was always read
    as plain text: ``zcat feed.jsonl.gz | unspin score -`` said "binary file", ``cat
    feed.jsonl | unspin score -`` scored the records' keys and quotes as one text."""
    data = read_input_bytes("-")
    return data, (decoded(data, STDIN) if _plain_text("-", data) else None)


def read_article(path: str, max_chars: int | None = None, *, data: bytes | None = None) -> str:
    """The main text of a file in any supported format ('-' reads standard input): plain text
    as it is, HTML through trafilatura, the first record of JSON Lines or WARC. ``max_chars``
    refuses longer texts with a message that names the file. ``data``: the file's bytes,
    already read (from a pipe)."""
    if path == "-":
        # Plain text decoded as a text file's is: a byte-order mark dropped, UTF-16 read,
        # binary refused (the text layer would pass such bytes on as surrogates and NULs).
        data, text = _stdin_plain()
        if text is not None:
            return within(STDIN, text, max_chars)
    docs = _read_file(path, data)
    first = next(docs, None)
    if first is None or not first.text:
        raise InputError(path, "no text found")
    if next(docs, None) is not None:
        # A feed or a crawl given whole: reading its first record alone, without a word,
        # gave a report the user took for the file's.
        click.echo(
            f"note: {printable(path)} holds more than one record; this reads the first "
            f"({printable(first.path or path)}) alone (unspin score reads every record)",
            err=True,
        )
    return within(path, first.text, max_chars)


def read_documents(path: str, max_chars: int | None = None) -> list[tuple[str, str]]:
    """Every document of a file as ``(name, text)``: one for plain text or HTML (named by the
    path), one per record of JSON Lines or WARC (named ``path#N``); '-' reads standard input.
    ``max_chars`` refuses a longer document with a message that names it."""
    data: bytes | None = None
    if path == "-":
        data, text = _stdin_plain()
        if text is not None:
            return [("-", within(STDIN, text, max_chars))]
    out: list[tuple[str, str]] = []
    for doc in _read_file(path, data):
        name = doc.path or path
        out.append((name, within(name, doc.text, max_chars)))
    if not out:
        raise InputError(path, "no text found")
    return out


def _read_file(path: str, data: bytes | None = None) -> Iterator[Document]:
    """The documents of one file with the default limits (a size limit says to split the
    text: :func:`unspin.read.limits.split_instead`); a pipe's bytes (``data``, or read here)
    in the format their content shows. The readers (trafilatura, warcio) are imported here,
    on first use, not with the CLI."""
    from ..read import Limits, read_data, read_file
    from ..read.limits import split_instead

    if data is None and is_pipe(path):
        data = read_input_bytes(path)
    try:
        if data is not None:
            yield from read_data(data, path, Limits())
        else:
            yield from read_file(Path(path), Limits())
    except InputError as err:
        raise split_instead(err) from err


def within(name: str, text: str, max_chars: int | None) -> str:
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


def _no_progress(done: int, total: int | None = None, label: str = "") -> None:
    """The :class:`Advance` of a bar not shown."""


@contextlib.contextmanager
def batch_progress(label: str, total: int | None) -> Iterator[Advance]:
    """A progress bar on standard error (when it is a terminal) for ``total`` items done in
    batches (None: not known); yields the callback that takes how many are done so far, and
    for work in stages the next stage's total and label. One item shows no bar and imports
    nothing: rich costs a cold ``score`` of one file about 30 ms."""
    if total is not None and total <= 1:
        yield _no_progress
        return
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
    """Write a report, or InputError naming the file and why it cannot be written.

    A report to a regular file, or to a name no file has yet, is written beside it and
    renamed (through a symbolic link: beside the file it leads to, which stays a link), so a
    disk that fills leaves the file as it was: up to robust36 the report was written in
    place, and ``--html report.html`` on a disk with 8 KB left left 8 KB of the new report
    where the old one had been (the error was said, exit 1). A device or a pipe
    (``--html /dev/stdout``), a file with other hard links, and a file in a folder this
    process may not write are written in place, as before."""
    from ..jsonl_files import replaced_atomically

    try:
        target = _renamed_report(path)
        if target is None:
            Path(path).write_text(text, encoding="utf-8")
            return
        real, mode = target
        try:
            with replaced_atomically(real, mode=mode) as fh:
                fh.write(text)
        except PermissionError:
            # A file this user may write but not replace (another user's, in a sticky
            # folder such as /tmp): written in place, as before.
            Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot write the report ({exc.strerror or exc})") from exc


def _renamed_report(path: str) -> tuple[Path, int | None] | None:
    """Where :func:`write_text_file` writes ``path`` by rename, with the permissions of the
    file it replaces; None where it writes in place."""
    if os.path.abspath(path).startswith(("/dev/", "/proc/")):  # /dev/stdout, /dev/fd/3
        return None
    real = Path(os.path.realpath(path))
    try:
        found = os.stat(real)
    except FileNotFoundError:
        found = None
    if found is not None and (not stat.S_ISREG(found.st_mode) or found.st_nlink > 1):
        return None
    if not os.access(real.parent, os.W_OK):
        return None
    return real, None if found is None else stat.S_IMODE(found.st_mode)
