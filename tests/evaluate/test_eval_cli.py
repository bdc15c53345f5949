"""`unspin eval pan` on a tiny PAN-format corpus, with the real aligner."""

from __future__ import annotations

import json

from click.testing import CliRunner
from pan_fixture_corpus import make_corpus

from unspin.cli import main
from unspin.evaluate.pan import DETECTION_FEATURE, read_annotations


def test_json_report_and_detection_files(tmp_path):
    corpus = make_corpus(tmp_path)
    out = tmp_path / "detections"
    result = CliRunner().invoke(
        main, ["eval", "pan", str(corpus), "--workers", "1", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["sections"]) == {"01-no-plagiarism", "02-no-obfuscation", "all"}
    assert data["pairs"] == 2 and data["sample"] is None
    verbatim = data["sections"]["02-no-obfuscation"]
    assert verbatim["cases"] == 1 and verbatim["pairs"] == 1
    # A verbatim copy of a five-sentence paragraph: the real aligner must find most of it.
    assert verbatim["recall"] > 0.8 and verbatim["precision"] > 0.8
    assert data["sections"]["all"]["cases"] == 1
    assert data["seconds_per_pair"] >= 0 and data["cpu_ms_per_pair_median"] >= 0

    written = sorted(path.name for path in out.iterdir())
    assert written == [
        "suspicious-document00001-source-document00001.xml",
        "suspicious-document00002-source-document00002.xml",
    ]
    detections = read_annotations(out / written[0], DETECTION_FEATURE)
    assert len(detections) == verbatim["detections"]
    assert all(d.source_reference == "source-document00001.txt" for d in detections)


def test_table_sections_and_sample(tmp_path):
    corpus = make_corpus(tmp_path)
    result = CliRunner().invoke(
        main, ["eval", "pan", str(corpus), "--sections", "02", "--workers", "1", "--sample", "1"]
    )
    assert result.exit_code == 0, result.output
    for heading in ("plagdet", "precision", "recall", "granularity", "CPU ms median"):
        assert heading in result.stdout
    assert "02-no-obfuscation" in result.stdout
    assert "01-no-plagiarism" not in result.stdout


def test_unknown_section_is_a_one_line_error(tmp_path):
    corpus = make_corpus(tmp_path)
    result = CliRunner().invoke(main, ["eval", "pan", str(corpus), "--sections", "09"])
    assert result.exit_code == 1
    assert "unknown section code(s) 09" in result.stderr
    assert "Traceback" not in result.output


def test_sections_without_a_code_are_a_usage_error(tmp_path):
    # Before: "--sections ,," (or "") ran every section, as if none were given.
    corpus = make_corpus(tmp_path)
    for given in (",,", ""):
        result = CliRunner().invoke(main, ["eval", "pan", str(corpus), "--sections", given])
        assert result.exit_code == 2
        assert "no section code in" in result.stderr
        assert "Traceback" not in result.output


def test_folder_that_is_not_a_corpus_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", "pan", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a PAN corpus" in result.stderr


def test_an_out_folder_inside_the_corpus_is_refused_before_the_work(tmp_path):
    # Before (robust31): --out CORPUS/02-no-obfuscation wrote the detections over the
    # section's truth files (the same names), exit 0; the next run scored them against
    # themselves. And a folder that could not be made failed only after every pair.
    corpus = make_corpus(tmp_path)
    section = corpus / "02-no-obfuscation"
    truth = {p.name: p.read_bytes() for p in section.glob("*.xml")}
    assert truth
    for out in (section, corpus, corpus / "detections"):
        result = CliRunner().invoke(
            main, ["eval", "pan", str(corpus), "--workers", "1", "--out", str(out)]
        )
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == (
            f"Error: {out}: inside the PAN corpus {corpus}, whose truth files have the names "
            "of the detection files (a section's folder would lose them); give a folder "
            "outside it\n"
        )
    assert {p.name: p.read_bytes() for p in section.glob("*.xml")} == truth
    assert not (corpus / "detections").exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    result = CliRunner().invoke(
        main, ["eval", "pan", str(corpus), "--workers", "1", "--out", str(blocked / "out")]
    )
    assert result.exit_code == 1 and result.stdout == ""  # before: the table, then the error
    assert result.stderr.strip().endswith("not a directory")


def test_a_detection_file_on_a_disk_that_fills_is_named(tmp_path):
    """Before (robust36): the detections were written in place, and a disk that filled (a
    file size limit here, which fails a write as a full disk does) said "Error: standard
    output: file too large" and left half a file. Now the file is named and not left."""
    import os
    import resource
    import subprocess
    import sys
    from pathlib import Path

    import unspin

    corpus = make_corpus(tmp_path)
    out = tmp_path / "detections"

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))  # the files are over 100 bytes

    command = [sys.executable, "-m", "unspin", "eval", "pan", str(corpus), "--workers", "1"]
    res = subprocess.run(
        [*command, "--out", str(out)],
        env={**os.environ, "PYTHONPATH": str(Path(unspin.__file__).parents[1])},
        capture_output=True,
        text=True,
        preexec_fn=small_disk,  # before the interpreter starts: it runs no thread yet
        check=False,
    )
    name = out / "suspicious-document00001-source-document00001.xml"
    assert (res.returncode, res.stderr) == (1, f"Error: {name}: file too large\n")
    # The pair without plagiarism has no detection: its file is under the limit, and whole.
    assert [p.name for p in out.iterdir()] == ["suspicious-document00002-source-document00002.xml"]
