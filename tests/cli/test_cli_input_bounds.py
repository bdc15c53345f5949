r"""What the CLI reads from standard input and from named files is bounded as the readers bound
a file, and every error names its input as the reports do (``caf\xe9.txt``)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.errors import InputError, StoreError
from unspin.read import Limits

LIMIT = Limits().max_file_bytes
SRC = str(Path(__file__).resolve().parents[2] / "src")
TOO_BIG = "file exceeds the 64.0 MiB limit (split it into articles)"


def _unspin(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "unspin", *args], env=env, stderr=subprocess.PIPE, **kwargs
    )


@pytest.mark.parametrize(
    # compare reads SOURCE first ('-' twice is a usage error, robust29): refused before TARGET.
    "args",
    [["score", "-"], ["trace", "--db", "none.db", "-"], ["compare", "-", "target.txt"]],
)
def test_a_huge_standard_input_is_refused_after_reading_the_limit(
    tmp_path: Path, args: list[str]
) -> None:
    """A pipe three times the file limit: the command stops after reading the limit and one
    byte (the writer is refused soon after: at most the pipe's buffer more), with the
    message a too-large file gets. Before, all of it was read, then judged by characters."""
    proc = _unspin(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=tmp_path)
    assert proc.stdin is not None and proc.stderr is not None
    written = 0
    chunk = b"the quick brown fox jumps over the lazy dog\n" * 24_000  # about 1 MiB
    errors: list[str] = []

    def err() -> None:
        assert proc.stderr is not None
        errors.append(proc.stderr.read().decode())

    reader = threading.Thread(target=err)
    reader.start()
    try:
        while written < 3 * LIMIT:
            proc.stdin.write(chunk)
            written += len(chunk)
    except BrokenPipeError:
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    assert proc.wait() == 1
    reader.join()
    assert errors == [f"Error: <stdin>: {TOO_BIG}\n"]
    assert written <= LIMIT + 1 + 2 * len(chunk)  # the pipe and this loop's last chunk


def test_a_large_file_on_standard_input_gets_the_files_message(tmp_path: Path) -> None:
    """Standard input redirected from a file over the limit: refused by its size before
    anything is read, in the words used for the file named on the command line."""
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(LIMIT + 10 * 1024 * 1024)
    named = CliRunner().invoke(main, ["score", str(big)])
    with big.open("rb") as f:
        proc = _unspin(["score", "-"], stdin=f, stdout=subprocess.DEVNULL)
        _, err = proc.communicate()
    assert proc.returncode == named.exit_code == 1
    assert named.output.endswith(
        ": file is 74.0 MiB, over the 64.0 MiB limit (split it into articles)\n"
    )
    assert err.decode() == named.output.replace(str(big), "<stdin>")


@pytest.mark.parametrize("command", [["trace", "--db", "none.db"], ["compare", "a.txt"], ["score"]])
def test_a_text_over_the_readers_limit_says_to_split_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # Before (robust30): "... (unspin ingest --max-chars raises it)", an option of another
    # command, which cannot make trace, compare or score read a longer text.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Floods closed the road to Porto on Monday night.\n")
    (tmp_path / "long.txt").write_text("a" * (Limits().max_document_chars + 1))
    res = CliRunner().invoke(main, [*command, "long.txt"])
    assert (res.exit_code, res.stdout) == (1, ""), res.output
    assert res.stderr == (
        "Error: long.txt: document is 10,000,001 characters, over the 10,000,000-character "
        "limit (split it into articles)\n"
    )


def test_spin_reads_no_more_than_the_readers_and_spins_a_bounded_text(tmp_path: Path) -> None:
    """`spin` read any file whole (`spin /dev/zero` until memory ran out; a 70 MB file ran
    ten minutes and took 3.6 GB). Now a file is refused past the readers' byte limit, a
    device or pipe is refused unread, and a text over a million characters is refused."""
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(LIMIT + 1)
    long = tmp_path / "long.txt"
    long.write_text("word " * 200_001, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["spin", str(big)])
    assert res.exit_code == 1 and res.output.startswith(f"Error: {big}: file is 64.0 MiB, over")
    res = runner.invoke(main, ["spin", str(long)])
    assert res.exit_code == 1
    assert res.output == (
        f"Error: {long}: 1,000,005 characters is over the 1,000,000-character limit; "
        "split it into articles\n"
    )
    for device in ("/dev/zero", "/dev/null"):
        if os.path.exists(device):
            for args in (["spin", device], ["score", "--explain-file", device]):
                res = runner.invoke(main, args)
                assert (res.exit_code, res.output) == (1, f"Error: {device}: not a regular file\n")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)  # a plain open would wait for a writer for ever
        short = tmp_path / "short.txt"
        short.write_text("The harbour workers walked out over pay.", encoding="utf-8")
        res = runner.invoke(main, ["spin", "--splice", str(fifo), str(short)])
        # robust34: pipes are read (opened without waiting); one no program writes to is
        # nothing, at once (it was "not a regular file", unread).
        assert (res.exit_code, res.output) == (
            1,
            f"Error: {fifo}: nothing to read: no program writes to this pipe, or it wrote nothing\n",
        )


ARTICLE = (
    "The harbour workers of Rotterdam walked out over pay on Monday, the union said, and "
    "twelve ships waited at anchor for a second day as talks with the port employers failed."
)


@contextlib.contextmanager
def _pipe(data: bytes):  # type: ignore[no-untyped-def]
    """A path naming a pipe that gives ``data`` and ends, as the shell's ``<(...)`` does."""
    read_end, write_end = os.pipe()
    os.write(write_end, data)  # under a pipe's buffer: written whole before anyone reads
    os.close(write_end)
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        os.close(read_end)


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd (process substitution)")
def test_a_pipe_given_by_name_is_read_as_a_file_is(tmp_path: Path) -> None:
    """Before (robust34): `unspin compare <(curl -s A) <(curl -s B)` (and trace, score of a
    pipe, `score /dev/stdin`) said "/dev/fd/63: not a regular file or folder"."""
    runner = CliRunner()
    changed = ARTICLE.replace("walked out", "went on strike")
    with _pipe(ARTICLE.encode()) as source, _pipe(changed.encode()) as target:
        res = runner.invoke(main, ["compare", source, target, "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["covered"] == 1.0 and report["sources"][0]["document"]["id"] == source
    page = f"<html><body><article><p>{ARTICLE}</p></article></body></html>".encode()
    with _pipe(page) as piped:
        res = runner.invoke(main, ["score", piped, "--model", "lexical", "--json"])
    assert res.exit_code == 0, res.output
    assert "<html>" not in res.stdout and f'"{piped}"' in res.stdout  # read as a page
    with _pipe(ARTICLE.encode("utf-16")) as piped:
        res = runner.invoke(main, ["spin", piped])
    assert res.exit_code == 0 and res.stdout.strip(), res.output
    with _pipe(b"") as piped:
        res = runner.invoke(main, ["score", piped])
    assert res.exit_code == 1 and "nothing to read" in res.output


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd (process substitution)")
def test_records_and_gzip_through_a_pipe_are_read_by_their_content(tmp_path: Path) -> None:
    """Before (robust35): a pipe's content was read as a file without an extension is, so
    JSON Lines through `<(cat feed.jsonl)` was scored as one plain text (its keys and ``\\n``
    escapes as words: "nthe" a typo), and `spin` of gzip (a pipe, or notes.txt.gz) said
    "binary file, not text"."""
    import gzip

    runner = CliRunner()
    other = ARTICLE.replace("Rotterdam", "Antwerp")
    feed = "".join(
        json.dumps({"id": i, "text": t}) + "\n" for i, t in (("a", ARTICLE), ("b", other))
    )
    for data in (feed.encode(), gzip.compress(feed.encode())):
        with _pipe(data) as piped:
            res = runner.invoke(main, ["score", piped, "--model", "lexical", "--json"])
        assert res.exit_code == 0, res.output
        names = [s["file"] for s in json.loads(res.stdout)]
        assert names == [f"{piped}#1", f"{piped}#2"]
    pretty = json.dumps([{"id": "a", "text": ARTICLE}], indent=2).encode()
    with _pipe(pretty) as piped:
        res = runner.invoke(main, ["spin", piped, "--rate", "0"])
    assert (res.exit_code, res.stdout.strip()) == (0, ARTICLE)
    zipped = tmp_path / "notes.txt.gz"
    zipped.write_bytes(gzip.compress(ARTICLE.encode()))
    with _pipe(zipped.read_bytes()) as piped:
        for given in (piped, str(zipped)):
            res = runner.invoke(main, ["spin", given, "--rate", "0"])
            assert (res.exit_code, res.stdout.strip()) == (0, ARTICLE), res.output


def test_standard_input_is_read_by_its_content_as_a_pipe_is() -> None:
    """Before (robust35): '-' was read as plain text whatever it held (`zcat feed.jsonl.gz |
    unspin score -` said "binary file, not text"; JSON Lines was scored as one text), and
    `spin -` was a usage error ("File '-' does not exist") though its help offers '-'."""
    import gzip

    runner = CliRunner()
    other = ARTICLE.replace("Rotterdam", "Antwerp")
    feed = "".join(
        json.dumps({"id": i, "text": t}) + "\n" for i, t in (("a", ARTICLE), ("b", other))
    )
    for data in (feed.encode(), gzip.compress(feed.encode())):
        res = runner.invoke(main, ["score", "-", "--model", "lexical", "--json"], input=data)
        assert res.exit_code == 0, res.output
        assert [s["file"] for s in json.loads(res.stdout)] == ["-#1", "-#2"]
    for data in (ARTICLE.encode(), gzip.compress(ARTICLE.encode())):
        res = runner.invoke(main, ["spin", "-", "--rate", "0"], input=data)
        assert (res.exit_code, res.stdout.strip()) == (0, ARTICLE), res.output
    # Plain text is read as it was: one text named '-'.
    res = runner.invoke(main, ["score", "-", "--model", "lexical", "--json"], input=ARTICLE)
    assert [s["file"] for s in json.loads(res.stdout)] == ["-"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_errors_name_a_file_that_is_not_utf8_as_reports_do(tmp_path: Path) -> None:
    r"""Errors showed ``caf\udce9.txt`` (a lone surrogate, as Python decodes the byte) where
    reports show ``caf\xe9.txt``: every message now goes through the one helper."""
    folder = os.fsencode(tmp_path)
    empty = folder + b"/caf\xe9.txt"
    open(empty, "wb").close()
    text = folder + b"/th\xe9.txt"
    with open(text, "wb") as f:
        f.write(b"The harbour workers walked out over pay on Monday, the union said.\n")
    shown = f"{tmp_path}/caf\\xe9.txt"
    runner = CliRunner()
    for args in (
        ["spin", os.fsdecode(empty)],
        ["score", os.fsdecode(empty)],
        ["compare", os.fsdecode(empty), os.fsdecode(text)],
    ):
        res = runner.invoke(main, args)
        assert (res.exit_code, res.output) == (1, f"Error: {shown}: empty file\n"), args
    res = runner.invoke(main, ["stats", "--db", os.fsdecode(folder + b"/st\xe9.db")])
    assert res.exit_code == 1
    assert res.output.startswith(f"Error: {tmp_path}/st\\xe9.db: no such store")
    res = runner.invoke(main, ["spin", "--json", os.fsdecode(text)])
    assert res.exit_code == 0 and f'"{tmp_path}/th\\\\xe9.txt"' in res.output
    # The library's errors read the same, and stay one line whatever the name holds.
    assert str(InputError("caf\udce9\n.txt", "empty file")) == "caf\\xe9\\x0a.txt: empty file"
    assert str(StoreError("x\udce9.db: no such store")) == "x\\xe9.db: no such store"
