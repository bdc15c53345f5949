"""``unspin score`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.generators.article_spinner import spin

TEXT = (
    "The government said on Tuesday that the price of wheat would rise next year because the "
    "crop was smaller than expected. Farmers told the ministry that dry weather had cut yields."
)


def test_score_json_gives_probabilities_and_slicing_spans(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    spun = tmp_path / "spun.txt"
    plain.write_text(TEXT, encoding="utf-8")
    spun_text = spin(TEXT, 0.4, seed=3).text
    spun.write_text(spun_text, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(plain), str(spun), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [o["file"] for o in out] == [str(plain), str(spun)]
    assert out[1]["probability"] > out[0]["probability"]
    for span in out[1]["spans"]:
        assert spun_text[span["start"] : span["end"]] == span["phrase"]


def test_score_text_output(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(spin(TEXT, 0.4, seed=3).text, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(path)])
    assert res.exit_code == 0, res.output
    assert "spin probability" in res.output


def test_explain_phrases_and_file(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["score", "--explain", "toll", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out[0]["phrase"] == "toll"
    assert "price" in [s["text"] for s in out[0]["suggestions"]]
    lines = tmp_path / "phrases.txt"
    lines.write_text("vend\n\ntoll\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", "--explain-file", str(lines)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("vend -> ") and "toll -> " in res.stdout


def test_missing_file_and_no_arguments_fail_cleanly(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["score", str(tmp_path / "missing.txt")])
    assert res.exit_code != 0 and "missing.txt" in res.output
    res = CliRunner().invoke(main, ["score"])
    assert res.exit_code != 0 and "FILE" in res.output


def test_explain_with_context_file(tmp_path: Path) -> None:
    context = tmp_path / "article.txt"
    context.write_text("Wheat prices rose on Tuesday. The toll of corn rose too.", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["score", "--explain", "toll", "--context", str(context), "--model", "lexical"]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("toll -> price (")
    assert res.stdout.count(" (") == 3  # three candidates, the likeliest first


def test_restore_option(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(spin(TEXT, 0.4, seed=3).text, encoding="utf-8")
    fast = CliRunner().invoke(main, ["score", str(path), "--json", "--restore", "0"])
    read = CliRunner().invoke(main, ["score", str(path), "--json"])
    assert fast.exit_code == 0 and read.exit_code == 0, fast.output + read.output
    a, b = json.loads(fast.output)[0], json.loads(read.output)[0]
    assert a["probability"] == b["probability"]
    assert [s["start"] for s in a["spans"]] == [s["start"] for s in b["spans"]]
    res = CliRunner().invoke(main, ["score", str(path), "--restore", "-1"])
    assert res.exit_code != 0 and "--restore" in res.output


def test_bad_and_odd_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(empty)])
    assert res.exit_code != 0 and res.output.count("\n") == 1 and "empty.txt" in res.output
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 200_001, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(huge), "--model", "lexical"])
    assert res.exit_code != 0 and "huge.txt" in res.output and "1,000,000" in res.output
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("1987 12.5 400", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(numbers), "--model", "lexical", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)[0]
    assert (out["probability"], out["content_words"], out["short_text"]) == (0.0, 0, True)
    res = CliRunner().invoke(
        main, ["score", str(numbers), "--html", str(tmp_path / "x" / "y.html")]
    )
    assert res.exit_code != 0 and "cannot write the report" in res.output


def test_html_page_and_stdin(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><nav>Menu Home</nav><article><p>"
        + spin(TEXT, 0.4, seed=3).text
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["score", str(page), "--model", "lexical", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)[0]
    assert out["spans"] and "<p>" not in "".join(s["phrase"] for s in out["spans"])
    res = CliRunner().invoke(main, ["score", "-", "--model", "lexical"], input=TEXT)
    assert res.exit_code == 0 and res.output.startswith("-: spin probability")
    assert "short text" in res.output  # two sentences are shorter than the calibration data


def test_every_record_of_a_json_lines_file_is_scored(tmp_path: Path) -> None:
    lines = tmp_path / "crawl.jsonl"
    records = [{"id": "a", "text": TEXT}, {"id": "b", "text": spin(TEXT, 0.4, seed=3).text}]
    lines.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(lines), "--model", "lexical", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [o["file"] for o in out] == [f"{lines}#1", f"{lines}#2"]
    assert out[1]["probability"] > out[0]["probability"]


def test_a_phrase_it_cannot_restore_says_so() -> None:
    phrases = ["bourse toll", "counterfeit consciousness"]
    res = CliRunner().invoke(main, ["score", "--explain", *phrases, "--model", "lexical"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("bourse toll -> cannot restore with confidence")
    assert lines[1].startswith("counterfeit consciousness -> artificial intelligence (")
    res = CliRunner().invoke(main, ["score", "--explain", *phrases, "--json", "--model", "lexical"])
    assert [o["restored"] for o in json.loads(res.stdout)] == [False, True]


def test_phrase_files_are_decoded_as_plain_text_files_are(tmp_path: Path) -> None:
    # Before (relhunt3): a UTF-8 byte-order mark became part of the first phrase, and a
    # UTF-16 file (Notepad's "Unicode") was refused as "not UTF-8 text".
    for encoding in ("utf-8-sig", "utf-16"):
        lines = tmp_path / f"phrases-{encoding}.txt"
        lines.write_text("vend\r\ntoll\r\n", encoding=encoding)
        res = CliRunner().invoke(
            main, ["score", "--explain-file", str(lines), "--model", "lexical", "--json"]
        )
        assert res.exit_code == 0, res.output
        assert [p["phrase"] for p in json.loads(res.stdout)] == ["vend", "toll"]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf")
    res = CliRunner().invoke(main, ["score", "--explain", "toll", "--context", str(empty)])
    assert res.exit_code == 1 and res.output == f"Error: {empty}: empty file\n"


def test_standard_input_is_decoded_as_a_text_file_is(tmp_path: Path) -> None:
    # Before (relhunt3): standard input went through the text layer, so UTF-16 and binary
    # bytes reached the scorer as surrogates and NULs and got a probability (0.00), and a
    # byte-order mark shifted every offset by one.
    args = ["score", "-", "--model", "lexical", "--json"]
    plain = CliRunner().invoke(main, args, input=TEXT.encode("utf-8"))
    for data in (TEXT.encode("utf-16"), TEXT.encode("utf-8-sig")):
        res = CliRunner().invoke(main, args, input=data)
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout) == json.loads(plain.stdout)
    res = CliRunner().invoke(main, args, input=bytes(range(256)) * 8)
    assert res.exit_code == 1 and res.output.startswith("Error: <stdin>: binary file, not text")
    res = CliRunner().invoke(main, ["trace", "-", "--db", str(tmp_path / "x.db")], input=b" \n")
    assert res.exit_code == 1 and res.output == "Error: <stdin>: empty file\n"


def test_an_empty_phrase_to_explain_is_an_error() -> None:
    # Was "cannot restore: no candidate" and exit 0, as if the tool had tried.
    res = CliRunner().invoke(main, ["score", "--explain", "random stroll", "  "])
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: --explain: a phrase is empty; give the words to restore"
    # robust31: an empty phrase ("") was refused as an empty file name, exit 2: "Invalid value
    # for '[FILES]...': an empty name; give a file or folder name".
    for args in (["--explain", ""], ["", "--explain"]):
        res = CliRunner().invoke(main, ["score", *args])
        assert res.exit_code == 1
        assert res.stderr == "Error: --explain: a phrase is empty; give the words to restore\n"


def test_an_option_that_would_do_nothing_is_refused(tmp_path: Path) -> None:
    # Before (robust26's noticed item): both were silently ignored.
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(path), "--context", str(path)])
    assert res.exit_code != 0 and "--context" in res.output and "--explain" in res.output
    res = CliRunner().invoke(main, ["score", str(path), "--model", "lexical", "--restore", "5"])
    assert res.exit_code != 0 and "--restore" in res.output and "lexical" in res.output
    # The default --restore with the lexical model is fine, and so is --restore 0, word-pair
    # ranking only, as the lexical model ranks (refused up to robust30).
    assert CliRunner().invoke(main, ["score", str(path), "--model", "lexical"]).exit_code == 0
    args = ["score", str(path), "--model", "lexical", "--restore", "0"]
    assert CliRunner().invoke(main, args).exit_code == 0


def test_one_unreadable_file_of_several_costs_only_itself(tmp_path: Path) -> None:
    """Before (coordinator, 28th session): one page of 941 with no text refused the whole run
    and nothing was scored."""
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(TEXT.replace("wheat", "barley"), encoding="utf-8")
    args = ["score", str(good), str(empty), str(other), "--model", "lexical", "--json"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1
    assert [row["file"] for row in json.loads(res.stdout)] == [str(good), str(other)]
    errors = res.stderr.splitlines()
    assert errors[0].startswith(f"Error: {empty}: ") and "1 of 3 files" in errors[-1]
    res = CliRunner().invoke(main, ["score", str(empty), str(empty)])
    assert res.exit_code == 1 and "none of the 2 files" in res.stderr


def test_files_given_with_explain_file_are_not_dropped_silently(tmp_path: Path) -> None:
    # Before (robust30): `score a.txt --explain-file phrases.txt` explained the phrases and
    # dropped a.txt without a word, exit 0.
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("counterfeit consciousness\n", encoding="utf-8")
    args = ["score", str(text), "--explain-file", str(phrases), "--model", "lexical"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.strip() == (
        f"Error: --explain-file suggests originals for its phrases and scores no FILE ({text}); "
        "score the FILEs in a run of their own, or add --explain to take them as phrases"
    )
    # With --explain the arguments are phrases: both are explained.
    res = CliRunner().invoke(main, ["score", "--explain", "random stroll", *args[2:]])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 2, res.output


def test_a_phrase_listed_again_is_explained_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: every line was explained anew (20,000 copies of one phrase ran for minutes).
    # The real explain runs; the wrapper only counts its calls.
    from unspin.cli import score_cmd

    calls: list[str] = []
    real = score_cmd.explain

    def counted(phrase: str, *args: object) -> list[tuple[str, float]]:
        calls.append(phrase)
        return real(phrase, *args)

    monkeypatch.setattr(score_cmd, "explain", counted)
    lines = tmp_path / "phrases.txt"
    lines.write_text("vend\ntoll\nvend\nvend\n", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["score", "--explain-file", str(lines), "--model", "lexical", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [p["phrase"] for p in out] == ["vend", "toll", "vend", "vend"]
    assert out[0] == out[2] == out[3] and out[0]["suggestions"]
    assert sorted(calls) == ["toll", "vend"]


def test_a_file_given_to_explain_is_refused_with_the_command_that_reads_it(
    tmp_path: Path,
) -> None:
    # Before (31st session): `score post.txt --explain` explained the path as words
    # ("cannot restore with confidence (guesses: tmp grow txt ...)"), exit 0.
    post = tmp_path / "post.txt"
    post.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(post), "--explain", "--model", "lexical"])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.strip() == (
        f"Error: --explain: {post} is a file, and --explain takes phrases; "
        f"`unspin score {post}` scores it and suggests originals for its spans, "
        f"--explain-file {post} explains its lines"
    )
    # A phrase, or a word that names no file, is still explained.
    args = ["score", "--explain", "random stroll", "fake.awareness", "--model", "lexical"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 2, res.output


def test_a_file_of_invisible_characters_alone_is_named_so(tmp_path: Path) -> None:
    # Before (robust34): "empty file", of a file of zero-width characters that is not empty.
    hidden = tmp_path / "hidden.txt"
    hidden.write_text("\u200b\u200b \u200c\n\u2060", encoding="utf-8")
    shown = (
        "(only invisible characters: zero width space U+200B, zero width non-joiner U+200C, "
        "word joiner U+2060)"
    )
    for args in (["score", str(hidden)], ["compare", str(hidden), str(hidden)]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 1 and res.output == f"Error: {hidden}: empty file {shown}\n", args
    res = CliRunner().invoke(main, ["score", "-"], input="\u200b\ufeff\u200d".encode())
    assert res.exit_code == 1
    assert res.output == (
        "Error: <stdin>: empty file (only invisible characters: zero width space U+200B, "
        "zero width joiner U+200D, zero width no-break space U+FEFF)\n"
    )
