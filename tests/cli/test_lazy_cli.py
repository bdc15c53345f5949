"""The CLI imports a command's module only when that command runs: ``unspin --help`` stays light
and lists exactly what the commands themselves say."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from unspin.cli import COMMANDS, main
from unspin.spinscore.contextual import embed_available

# Libraries that cost a cold start seconds between them; --help needs none.
HEAVY = ("numpy", "torch", "transformers", "tokenizers", "trafilatura", "wordfreq", "rich")

_HELP_IN_A_FRESH_PROCESS = """
import sys
from importlib import import_module
from pathlib import Path
from unspin.cli import COMMANDS, main
if {load_all}:
    for module, _ in set(COMMANDS.values()):
        import_module(f"unspin.cli.{{module}}")
try:
    main(["--help"], prog_name="unspin")
except SystemExit:
    pass
print("HEAVY", *sorted(m for m in {heavy!r} if m in sys.modules))
"""


def _fresh_help(load_all: bool = False) -> tuple[str, list[str]]:
    """``unspin --help`` in a new process (the same terminal width for every call), and the
    heavy libraries it imported; ``load_all`` imports every command module first."""
    code = _HELP_IN_A_FRESH_PROCESS.format(heavy=HEAVY, load_all=load_all)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    text, _, heavy = out.stdout.rpartition("HEAVY")
    return text, heavy.split()


def _load_every_command() -> None:
    for module, _ in set(COMMANDS.values()):
        import_module(f"unspin.cli.{module}")


def test_help_imports_no_heavy_library() -> None:
    _, heavy = _fresh_help()
    assert heavy == []


def test_lazy_help_lists_what_the_loaded_commands_say() -> None:
    lazy, _ = _fresh_help()
    loaded, heavy = _fresh_help(load_all=True)
    assert heavy  # the commands were really imported
    assert "Commands:" in lazy and "score" in lazy
    assert lazy == loaded


def test_the_table_names_every_command_with_its_first_sentence() -> None:
    _load_every_command()
    assert set(main.commands) == set(COMMANDS)
    ctx = click.Context(main)
    for name, (module, sentence) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.callback is not None
        assert command.callback.__module__ == f"unspin.cli.{module}", name
        assert command.get_short_help_str(limit=500) == sentence, name


def test_an_unknown_command_is_still_an_error() -> None:
    result = CliRunner().invoke(main, ["nonsense"])
    assert result.exit_code == 2 and "No such command" in result.output


_COMPARE_IN_A_FRESH_PROCESS = """
import sys
from unspin.cli import main
try:
    main(["compare", sys.argv[1], sys.argv[2], "--json"], prog_name="unspin")
except SystemExit:
    pass
print("LOADED", *sorted(m for m in sys.argv[3:] if m in sys.modules))
"""


def test_compare_of_text_files_imports_no_html_reader_nor_spin_model(tmp_path: Path) -> None:
    # Reading .txt needs none of the HTML or WARC readers, word frequencies come from the
    # cached table, and compare scores no spin.
    unneeded = ("trafilatura", "htmldate", "warcio", "wordfreq", "torch", "unspin.spinscore.minilm")
    unneeded += ("charset_normalizer",)  # UTF-8 text needs no guess at its encoding
    source, target = tmp_path / "source.txt", tmp_path / "target.txt"
    source.write_text("The central bank raised interest rates sharply on Tuesday.\n")
    target.write_text("The central bank lifted interest rates steeply on Tuesday.\n")
    code = _COMPARE_IN_A_FRESH_PROCESS
    argv = [sys.executable, "-c", code, str(source), str(target), *unneeded, "unspin.edits"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    report, _, loaded = out.rpartition("LOADED")
    assert '"passages"' in report  # compare really ran
    assert loaded.split() == ["unspin.edits"]


_SCORE_IN_A_FRESH_PROCESS = """
import sys
from unspin.cli import main
try:
    main(["score", sys.argv[1], "--json"], prog_name="unspin")
except SystemExit:
    pass
print("LOADED", *sorted(m for m in sys.argv[2:] if m in sys.modules))
"""


@pytest.mark.skipif(not embed_available(), reason="needs the embed extra")
def test_score_with_the_default_options_imports_no_torch(tmp_path: Path) -> None:
    # The contextual model runs in numpy and its suggestions are re-read (--restore 10) without
    # torch or transformers; numbers and thesaurus phrases come from the frequency table.
    # numpy.ma: np.unique's test for masked arrays imported it (about 20 ms).
    unneeded = ("torch", "transformers", "wordfreq", "trafilatura", "htmldate", "warcio")
    unneeded += ("numpy.ma", "jinja2", "rich", "charset_normalizer")
    article = tmp_path / "article.txt"
    article.write_text(
        "The focal bank raised its key interest rate by 25 basis points on Monday, the second "
        "rise in 1987, and said that it would come to a decision on the yellow cake sale soon.\n"
    )
    argv = [sys.executable, "-c", _SCORE_IN_A_FRESH_PROCESS, str(article), *unneeded]
    argv.append("unspin.spinscore.minilm")
    # A first run with an empty cache builds the tables (wordfreq's list read, rich to say
    # so): what a warm run imports is measured, in a second fresh process. Up to robust32
    # the suite used the user's cache, warm there, and the test failed with an empty one.
    subprocess.run(argv, capture_output=True, text=True, check=True)
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    report, _, loaded = out.rpartition("LOADED")
    assert '"model": "contextual"' in report  # the model really ran
    assert loaded.split() == ["unspin.spinscore.minilm"]


_COMPARE_AS = """
import sys
from unspin.cli import main
try:
    main(["compare", *sys.argv[1:]], prog_name="unspin")
except SystemExit:
    pass
print("LOADED", *sorted(m for m in ("jinja2", "rich", "wordfreq") if m in sys.modules))
"""


def test_each_report_imports_only_its_own_library(tmp_path: Path) -> None:
    # The reports' modules are imported for the report asked for: --json needs neither jinja2
    # (HTML) nor rich (terminal); each of the others still runs from a fresh process. Words
    # with digits ("hpv16", "123456") are read from the frequency table, not wordfreq.
    source, target = tmp_path / "source.txt", tmp_path / "target.txt"
    source.write_text("The hpv16 trial enrolled 123456 women in the spring, officials said.\n")
    target.write_text("The hpv16 test enrolled 123456 women in the springtime, officials said.\n")
    html = tmp_path / "report.html"
    runs = {
        "json": ["--json"],
        "terminal": [],
        "html": ["--json", "--html", str(html)],
    }
    loaded, reports = {}, {}
    for name, options in runs.items():
        argv = [sys.executable, "-c", _COMPARE_AS, str(source), str(target), *options]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
        reports[name], _, modules = out.rpartition("LOADED")
        loaded[name] = modules.split()
    # (the HTML report borrows the terminal report's label names, and with them rich)
    assert loaded == {"json": [], "terminal": ["rich"], "html": ["jinja2", "rich"]}
    assert '"passages"' in reports["json"] and '"passages"' in reports["html"]
    assert "<html" in html.read_text(encoding="utf-8")
    assert "source" in reports["terminal"].lower()


_CLUSTER_AS = """
import sys
from unspin.cli import main
try:
    main(["cluster", *sys.argv[1:]], prog_name="unspin")
except SystemExit as exit:
    print("EXIT", exit.code)
print("LOADED", *sorted(m for m in ("numpy", "unspin.cluster.kernels", "unspin.store",
                                    "unspin.align", "wordfreq") if m in sys.modules))
"""


@pytest.mark.parametrize(
    ("options", "exit_code", "said"),
    [
        (["--help"], 0, "[default: 5; 1<=x<=1000]"),
        (["--since", "2020-13-01"], 1, "--since '2020-13-01' is not a date"),
        (["--since", "2021-01-01", "--until", "2020-01-01"], 1, "is after --until"),
        (["--min-shared", "0"], 2, "--min-shared"),
    ],
)
def test_cluster_help_and_argument_errors_import_no_cluster_engine(
    options: list[str], exit_code: int, said: str
) -> None:
    # Before (perf29): `unspin cluster --help` imported the kernels, the aligner, the edit
    # labels and the store (0.27 s) for the option defaults beside them.
    argv = [sys.executable, "-c", _CLUSTER_AS, *options]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    report, _, loaded = out.stdout.rpartition("LOADED")
    assert f"EXIT {exit_code}" in report
    assert said in report + out.stderr
    assert loaded.split() == []
