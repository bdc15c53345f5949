"""Output that cannot be written ends a command with one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["score", "{text}"], ["spin", "{text}"], ["stats", "--json"]])
def test_a_full_disk_behind_standard_output_is_one_line(tmp_path: Path, args: list[str]) -> None:
    """Before: an OSError traceback from click.echo (and a second error at exit)."""
    text = tmp_path / "a.txt"
    text.write_text("The harbour workers walked out over pay on Monday.", encoding="utf-8")
    db = tmp_path / "s.db"
    subprocess.run(
        [sys.executable, "-m", "unspin", "ingest", str(text), "--db", str(db), "-q"],
        env={**os.environ, "PYTHONPATH": SRC},
        check=True,
        capture_output=True,
    )
    command = [sys.executable, "-m", "unspin", *[a.format(text=text) for a in args]]
    if args[0] == "stats":
        command += ["--db", str(db)]
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            command,
            env={**os.environ, "PYTHONPATH": SRC},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert res.returncode == 1
    assert res.stderr == "Error: standard output: no space left on device\n"


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
@pytest.mark.parametrize("unbuffered", ["1", None])
def test_a_disk_that_fills_while_a_report_is_written_is_said(
    tmp_path: Path, unbuffered: str | None
) -> None:
    """Before (robust35): with PYTHONUNBUFFERED=1 (as many container images set), a disk that
    filled after the report's first bytes (here a file size limit, which fails a write the
    way a full disk does: part of it written, then an error) left the JSON cut short, exit 0
    and not a word: Python's unbuffered text layer drops what a short write leaves over."""
    import resource

    demo = Path(SRC) / "unspin" / "data" / "demo"
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    limit = 8192  # the report is 40 KB: a disk with 8 KB left

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "report.json"
    with open(out, "w") as fh:
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "unspin",
                "compare",
                str(demo / "example-article.txt"),
                str(demo / "example-spun60.txt"),
                "--json",
            ],
            env=env,
            stdout=fh,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=small_disk,  # before the interpreter starts: it runs no thread yet
            check=False,
        )
    assert out.stat().st_size == limit  # the report did not fit
    assert (res.returncode, res.stderr) == (1, "Error: standard output: file too large\n")


def _two_texts(folder: Path) -> None:
    (folder / "a.txt").write_text("Floods closed the road to Porto on Monday night.\n")
    (folder / "b.txt").write_text("Floods shut the road to Porto on Monday night.\n")


@pytest.mark.parametrize(
    ("args", "given"),
    [
        (["compare", "a.txt", "b.txt", "--html", "a.txt"], "a.txt"),
        (["compare", "a.txt", "b.txt", "--json", "--html", "./b.txt"], "b.txt"),
        (["trace", "b.txt", "--db", "s.db", "--html", "b.txt"], "b.txt"),
        (["trace", "b.txt", "--db", "s.db", "--html", "s.db"], "s.db"),
        (["score", "a.txt", "b.txt", "--html", "link.txt"], "b.txt"),  # a link to b.txt
    ],
)
def test_a_report_that_would_overwrite_an_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], given: str
) -> None:
    # Before (robust30): the report was written over the input, exit 0: over the article, or
    # over the store (which then read "not an unspin store").
    from click.testing import CliRunner

    from unspin.cli import main
    from unspin.store import Store

    monkeypatch.chdir(tmp_path)
    _two_texts(tmp_path)
    (tmp_path / "link.txt").symlink_to(tmp_path / "b.txt")
    Store(tmp_path / "s.db").close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    done = CliRunner().invoke(main, args)
    assert (done.exit_code, done.stdout) == (1, ""), done.output
    assert done.stderr == (
        f"Error: {args[-1]}: cannot write the report over {given}, an input of this command; "
        "name another file\n"
    )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("side", ["s.db-wal", "s.db-shm", "s.db-journal", "./s.db-wal"])
def test_a_report_over_a_file_sqlite_keeps_beside_the_store_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: str
) -> None:
    # Before (robust34): `trace b.txt --db s.db --html s.db-wal` (a shell completing "s.db")
    # wrote the report over the store's write-ahead log, exit 0: the transactions it held,
    # not yet copied into the store, were lost.
    import sqlite3

    from click.testing import CliRunner

    from unspin.cli import main

    monkeypatch.chdir(tmp_path)
    _two_texts(tmp_path)
    assert CliRunner().invoke(main, ["ingest", "a.txt", "--db", "s.db", "-q"]).exit_code == 0
    with sqlite3.connect("s.db") as keep:  # a reader holds the log, as a running server does
        keep.execute("PRAGMA journal_mode=WAL")
        keep.execute("CREATE TABLE IF NOT EXISTS robust34 (x)")
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        done = CliRunner().invoke(main, ["trace", "b.txt", "--db", "s.db", "--html", side])
        assert (done.exit_code, done.stdout) == (1, ""), done.output
        assert done.stderr == (
            f"Error: {side}: cannot write the report over a file SQLite keeps beside the store "
            "s.db; name another file\n"
        )
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["trace", "b.txt", "--db", "s.db", "--html", "no/r.html"], "no does not exist"),
        (["compare", "a.txt", "b.txt", "--html", "a.txt/r.html"], "a.txt is not a folder"),
        (["score", "a.txt", "--model", "lexical", "--html", "no/r.html"], "no does not exist"),
    ],
)
def test_a_report_into_a_folder_that_is_not_there_is_refused_before_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], problem: str
) -> None:
    # Before (robust30): the same error came once the trace, comparison or scoring was done
    # (minutes for many files). Refused first, it is refused even where the store is missing.
    from click.testing import CliRunner

    from unspin.cli import main

    monkeypatch.chdir(tmp_path)
    _two_texts(tmp_path)
    done = CliRunner().invoke(main, args)
    assert (done.exit_code, done.stdout) == (1, ""), done.output
    assert done.stderr == f"Error: {args[-1]}: cannot write the report ({problem})\n"


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "a.txt", "b.txt", "--html", "-"],
        ["trace", "b.txt", "--db", "s.db", "--html", "-"],
        ["score", "a.txt", "--model", "lexical", "--html", "-"],
    ],
)
def test_a_report_named_dash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    # Before (robust31): a file named "-" was written in the current folder, exit 0, where
    # "-" for an input reads standard input.
    from click.testing import CliRunner

    from unspin.cli import main

    monkeypatch.chdir(tmp_path)
    _two_texts(tmp_path)
    done = CliRunner().invoke(main, args)
    assert (done.exit_code, done.stdout) == (1, ""), done.output
    assert done.stderr == (
        "Error: -: the report is written to a file, and '-' would name one here; give a file "
        "name (or /dev/stdout to print it)\n"
    )
    assert not (tmp_path / "-").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
def test_a_report_file_on_a_disk_that_fills_keeps_what_it_held(tmp_path: Path) -> None:
    """Before (robust36): ``--html`` wrote the report in place, so a disk that filled (a file
    size limit here, which fails a write as a full disk does) left 8 KB of the new report
    where the old one had been, and a new name held a report cut short. Now the report is
    written beside and renamed: the old report stays whole (its permissions too), a new
    name is not made, and a link to the report stays a link."""
    import resource
    import stat

    demo = Path(SRC) / "unspin" / "data" / "demo"
    texts = [str(demo / "example-article.txt"), str(demo / "example-spun60.txt")]
    old = tmp_path / "old.html"
    old.write_text("the old report\n")
    old.chmod(0o640)
    (tmp_path / "link.html").symlink_to(old)

    def compare(report: str, limit: int | None) -> subprocess.CompletedProcess[str]:
        def small_disk() -> None:
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        return subprocess.run(
            [sys.executable, "-m", "unspin", "compare", *texts, "--json", "--html", report],
            env={**os.environ, "PYTHONPATH": SRC},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            preexec_fn=small_disk,  # before the interpreter starts: it runs no thread yet
            check=False,
        )

    for report in ("old.html", "new.html", "link.html"):
        res = compare(report, 8192)  # the report is 50 KB: a disk with 8 KB left
        assert (res.returncode, res.stderr) == (
            1,
            f"Error: {report}: cannot write the report (File too large)\n",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "old.html"]
    assert old.read_text() == "the old report\n"
    res = compare("link.html", None)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "link.html").is_symlink() and old.read_text().startswith("<!DOCTYPE")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_a_standard_output_in_a_legacy_encoding_gets_escapes_not_a_traceback(
    tmp_path: Path, encoding: str
) -> None:
    """Up to robust39 a standard output in an encoding other than UTF (here
    PYTHONIOENCODING; a Latin-1 locale, or Windows' cp1252 for a redirected output) ended
    ``compare``'s terminal report in a UnicodeEncodeError traceback at its first "·" or "→",
    half of it printed, and ``spin --json`` of a text holding "—" the same. A character the
    encoding lacks is written as its JSON escape now, so the JSON reads back the same."""
    import json

    source = tmp_path / "source.txt"
    source.write_text("Traders in London said — prices rose 12% in May.\n", encoding="utf-8")
    target = tmp_path / "target.txt"
    target.write_text("Dealers in London said — prices rose 12% in May.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": SRC, "PYTHONIOENCODING": encoding}
    env.pop("PYTHONUTF8", None)
    run = [sys.executable, "-m", "unspin"]
    res = subprocess.run([*run, "compare", str(source), str(target)], env=env, capture_output=True)
    assert res.returncode == 0 and b"Traceback" not in res.stderr, res.stderr.decode()[-2000:]
    report = res.stdout.decode(encoding)
    assert "\\u2192" in report  # the edit's arrow, "Traders" -> "Dealers"
    assert "\\u2014" in report or "\u2014" in report
    res = subprocess.run(
        [*run, "spin", str(source), "--rate", "0", "--json"], env=env, capture_output=True
    )
    assert res.returncode == 0 and b"Traceback" not in res.stderr, res.stderr.decode()[-2000:]
    # click writes UTF-8 where the encoding is ASCII (which it takes for a misconfiguration).
    shown = res.stdout.decode("utf-8" if encoding == "ascii" else encoding)
    assert json.loads(shown)["text"] == source.read_text(encoding="utf-8")
