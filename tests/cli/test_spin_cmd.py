"""``unspin spin`` prints spun text or JSON with offsets, reproducibly."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from unspin.cli import main

TEXT = (
    "The central bank raised interest rates on Tuesday. Analysts had expected the move. "
    "Markets fell sharply after the announcement. The dollar rose against the yen.\n"
)
OTHER = "Coffee producers failed to agree export quotas. Prices fell to a six-year low.\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(OTHER, encoding="utf-8")
    return a, b


def test_spin_prints_reproducible_text(files: tuple[Path, Path]) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["spin", str(files[0]), "--rate", "0.5", "--seed", "3"])
    again = runner.invoke(main, ["spin", str(files[0]), "--rate", "0.5", "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert first.output == again.output
    assert first.output.strip() != TEXT.strip()


def test_spin_json_offsets_slice_the_output(files: tuple[Path, Path]) -> None:
    args = ["spin", str(files[0]), "--splice", str(files[1]), "--noise", "0.1", "--json"]
    result = CliRunner().invoke(main, [*args, "--reorder", "--drop", "0.2"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [s["step"] for s in payload["steps"]] == ["splice", "drop", "reorder", "spin", "noise"]
    text = payload["text"]
    spin_step = payload["steps"][3]
    assert spin_step["replacements"]
    assert {o["which_source"] for o in payload["origins"]} <= {0, 1}
    last = payload["steps"][-1]
    for r in last["replacements"]:
        assert text[r["target_start"] : r["target_end"]] == r["replacement"]


def test_rate_zero_prints_the_input(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["spin", str(files[0]), "--rate", "0"])
    assert result.output == TEXT + "\n"


def test_bad_rate_and_binary_file_fail_cleanly(files: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["spin", str(files[0]), "--rate", "1.5"])
    assert bad.exit_code != 0 and "1.5" in bad.output
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 4)  # read as every reader reads a text file
    result = runner.invoke(main, ["spin", str(binary)])
    assert result.exit_code == 1
    assert "binary file, not text" in result.output


@pytest.mark.parametrize("option", ["--rate", "--noise", "--drop"])
def test_a_share_that_is_not_a_number_is_refused(files: tuple[Path, Path], option: str) -> None:
    # Before (robust26): "nan" passed click's range check (every comparison with NaN is
    # false), and the step was skipped without a word: exit 0, the text unchanged.
    bad = CliRunner().invoke(main, ["spin", str(files[0]), option, "nan"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert bad.output.splitlines()[-1] == (
        f"Error: Invalid value for '{option}': nan is not a share from 0 to 1."
    )


def test_every_option_has_help() -> None:
    command = main.get_command(click.Context(main), "spin")
    assert command is not None
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, param.name  # type: ignore[attr-defined]


def test_spin_reads_text_files_as_the_readers_do(tmp_path: Path) -> None:
    # Before (relhunt3): the byte-order mark was spun into the output, UTF-16 was refused and
    # an empty file printed an empty line with exit 0.
    bom, wide, empty = tmp_path / "bom.txt", tmp_path / "wide.txt", tmp_path / "empty.txt"
    bom.write_text(TEXT, encoding="utf-8-sig")
    wide.write_text(TEXT, encoding="utf-16")
    empty.write_text("  \n", encoding="utf-8")
    for path in (bom, wide):
        res = CliRunner().invoke(main, ["spin", str(path), "--rate", "0", "--json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["text"] == TEXT
    res = CliRunner().invoke(main, ["spin", str(empty)])
    assert res.exit_code == 1 and res.output == f"Error: {empty}: empty file\n"


STORY = (
    "Heavy rain flooded the old town of Prague overnight, officials said on Monday, and the "
    "river rose two metres above its usual level as shops closed their doors."
)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "page.html",
            "<html><head><title>Floods</title></head><body><article><p>"
            + STORY
            + "</p></article></body></html>",
        ),
        ("feed.jsonl", json.dumps({"id": "a", "title": "Floods", "text": STORY}) + "\n"),
    ],
)
def test_spin_of_html_or_json_lines_spins_the_text_not_the_markup(
    tmp_path: Path, name: str, content: str
) -> None:
    # Before: every file was read as plain text, so the markup was spun too: "<body>" came
    # out "<nick>", "</body>" "</type class>", a record's "id" key "impulse" and "title"
    # "vested interest": neither a page nor a record any more.
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    plain = tmp_path / "story.txt"
    plain.write_text(STORY, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["spin", str(path), "--rate", "0.3", "--seed", "4"])
    assert res.exit_code == 0, res.output
    same = runner.invoke(main, ["spin", str(plain), "--rate", "0.3", "--seed", "4"])
    assert res.stdout == same.stdout  # the text's spin, as for the text in a file of its own
    assert "<" not in res.stdout and '"' not in res.stdout


@pytest.mark.parametrize("share", ["1", "0.9"])
def test_a_drop_that_deletes_every_sentence_is_refused(
    files: tuple[Path, Path], share: str
) -> None:
    # Before (robust30): an empty text, exit 0 (with --json, its one line break said to come
    # from the whole article). The fixture's article has four sentences: 0.9 drops all.
    article, _ = files
    for extra in ([], ["--json"]):
        res = CliRunner().invoke(main, ["spin", str(article), "--drop", share, *extra])
        assert (res.exit_code, res.stdout) == (1, ""), res.output
        assert res.stderr == (
            f"Error: {article}: --drop {float(share)} deletes every sentence; nothing is left "
            "to spin: give a smaller share\n"
        )
    res = CliRunner().invoke(main, ["spin", str(article), "--drop", "0.5"])
    assert res.exit_code == 0 and res.stdout.strip()


def test_a_step_that_changes_nothing_says_so(tmp_path: Path) -> None:
    # Before (robust31): an Arabic article given --rate 1, or one sentence given --reorder,
    # came back unchanged, exit 0, and nothing said the option had done nothing.
    arabic = tmp_path / "ar.txt"
    arabic.write_text("ارتفعت أسعار البن في لندن يوم الاثنين بعد فشل المحادثات.\n", "utf-8")
    res = CliRunner().invoke(main, ["spin", str(arabic), "--rate", "1", "--noise", "0"])
    assert res.exit_code == 0 and res.stdout == arabic.read_text("utf-8") + "\n"
    assert res.stderr.startswith(f"note: {arabic}: --rate replaced no word: ")
    assert "Moby thesaurus, which lists English words" in res.stderr
    one = tmp_path / "one.txt"
    one.write_text("The central bank raised interest rates on Tuesday.\n", "utf-8")
    res = CliRunner().invoke(main, ["spin", str(one), "--rate", "0", "--reorder"])
    assert res.exit_code == 0
    assert res.stderr == f"note: {one}: --reorder moved no sentence: the text has one\n"
    res = CliRunner().invoke(main, ["spin", str(one), "--rate", "1"])  # it spins: no note
    assert res.exit_code == 0 and res.stderr == ""
