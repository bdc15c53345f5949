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
