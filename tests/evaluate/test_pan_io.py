"""Reading PAN corpora and truth XML, and writing detection XML the official evaluator reads."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pan_fixture_corpus import SOURCE_1, SRC_1, SUSP_1, SUSP_2, make_corpus

from unspin.errors import ConfigError, InputError
from unspin.evaluate.pan import (
    DETECTION_FEATURE,
    Annotation,
    Pair,
    detections_xml,
    passages_to_detections,
    read_annotations,
    read_cases,
    read_corpus,
    read_text,
    write_detections,
)
from unspin.types import Passage


def test_read_corpus_lists_sections_and_pairs(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    assert corpus.sections == ("01-no-plagiarism", "02-no-obfuscation")
    assert [(p.suspicious, p.section) for p in corpus.pairs] == [
        (SUSP_2, "01-no-plagiarism"),
        (SUSP_1, "02-no-obfuscation"),
    ]


def test_truth_offsets_slice_the_copied_text(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    pair = corpus.pairs[1]
    [case] = read_cases(corpus, pair)  # the "about" feature is skipped
    susp, src = read_text(corpus.suspicious_path(pair)), read_text(corpus.source_path(pair))
    assert susp[case.this_offset : case.this_end] == SOURCE_1[1]
    assert src[case.source_offset : case.source_end] == SOURCE_1[1]
    assert case.source_reference == SRC_1 and case.this_reference == SUSP_1
    assert read_cases(corpus, corpus.pairs[0]) == []


def test_pair_without_truth_file_has_no_cases(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    assert read_cases(corpus, Pair(SUSP_1, "source-document00099.txt", "02-no-obfuscation")) == []


def test_select_sections_by_code(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    assert [p.section for p in corpus.select(["02"])] == ["02-no-obfuscation"]
    assert len(corpus.select(None)) == 2
    assert len(corpus.select(["1", "02"])) == 2
    with pytest.raises(ConfigError, match=r"unknown section code.*07.*01, 02"):
        corpus.select(["07"])


def test_read_text_keeps_carriage_returns(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("caf\u00e9\r\nline two\r\n".encode())
    text = read_text(path)
    assert text == "caf\u00e9\r\nline two\r\n"
    assert text.index("line") == 6  # a str index, not a byte index


def test_read_text_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_text(tmp_path / "missing.txt")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    with pytest.raises(InputError, match="not UTF-8"):
        read_text(tmp_path / "latin.txt")


def test_read_corpus_rejects_other_folders(tmp_path):
    with pytest.raises(InputError, match="no 'susp/' folder"):
        read_corpus(tmp_path)
    (tmp_path / "susp").mkdir()
    (tmp_path / "src").mkdir()
    with pytest.raises(InputError, match="no section folder"):
        read_corpus(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        read_corpus(tmp_path / "nowhere")


def test_malformed_pairs_and_xml_are_input_errors(tmp_path):
    corpus_dir = make_corpus(tmp_path)
    (corpus_dir / "02-no-obfuscation" / "pairs").write_text("only-one-name.txt\n")
    with pytest.raises(InputError, match="line 1: expected"):
        read_corpus(corpus_dir)
    bad = tmp_path / "bad.xml"
    bad.write_text('<document reference="s.txt"><feature name="plagiarism" this_offset="x"')
    with pytest.raises(InputError, match="not well-formed"):
        read_annotations(bad)
    bad.write_text(
        '<document reference="s.txt"><feature name="plagiarism" this_offset="1" '
        'this_length="2" source_reference="r.txt" source_offset="3"/></document>'
    )
    with pytest.raises(InputError, match="lacks the 'source_length'"):
        read_annotations(bad)


def test_detection_xml_round_trips_in_the_official_format(tmp_path):
    pair = Pair("suspicious-document00007.txt", "source-document00003.txt", "03-random")
    passages = [Passage(5, 25, 100, 130, 0.9), Passage(40, 40, 200, 200), Passage(0, 0, 7, 9)]
    detections = passages_to_detections(pair, passages)
    # The passage empty on both sides is dropped; one empty on one side only is kept.
    assert detections == [
        Annotation(pair.suspicious, 100, 30, pair.source, 5, 20),
        Annotation(pair.suspicious, 7, 2, pair.source, 0, 0),
    ]
    path = write_detections(tmp_path / "out", pair, detections)
    assert path.name == "suspicious-document00007-source-document00003.xml"
    root = ET.parse(path).getroot()
    assert root.tag == "document" and root.get("reference") == pair.suspicious
    first = root.find("feature")
    assert first is not None and first.attrib == {
        "name": DETECTION_FEATURE,
        "this_offset": "100",
        "this_length": "30",
        "source_reference": pair.source,
        "source_offset": "5",
        "source_length": "20",
    }
    assert read_annotations(path, DETECTION_FEATURE) == detections
    assert read_annotations(path) == []  # detections are not truth cases


def test_detection_xml_escapes_attribute_values():
    pair = Pair('odd"&<name.txt', "src.txt", "02")
    detection = Annotation(pair.suspicious, 0, 1, "src.txt", 0, 1)
    root = ET.fromstring(detections_xml(pair, [detection]))
    assert root.get("reference") == 'odd"&<name.txt'
    assert detections_xml(pair, []).count("<feature") == 0
