"""JSON Lines and JSON files whose records name a field twice, or that are written in
UTF-16 or UTF-32 with a byte-order mark (Windows PowerShell 5's ``> file``).

Before: ``{"id": "a", "text": "x", "text": "y"}`` was stored as "y" without a word, and a
UTF-16 JSON Lines file gave "line is not valid utf-8 (byte 0xff at column 1)" for its first
line and "invalid json" for every other (each line's NUL byte left over from the last).
"""

from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest

from unspin.errors import InputError
from unspin.read import iter_inputs
from unspin.types import Document

RECORDS = [
    {"id": "cocoa", "text": "Cocoa prices rose sharply in London on Tuesday."},
    {"id": "wheat", "text": "Wheat exports from Kansas fell for a third week.", "title": "Wheat"},
    {"id": "zh", "text": "可可价格周二在伦敦大幅上涨。"},
]
REPEATED = '{"id": "twice", "text": "What a reviewer reads.", "text": "What gets stored."}'


def _read(path: Path) -> list[Document | InputError]:
    return list(iter_inputs([path]))


def _lines(records: list[dict[str, str]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_a_record_that_names_a_field_twice_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(_lines(RECORDS[:1]) + REPEATED + "\n" + _lines(RECORDS[1:]), "utf-8")
    first, repeated, *rest = _read(path)
    assert isinstance(first, Document) and first.id == "cocoa"
    assert isinstance(repeated, InputError)
    assert str(repeated) == (
        f"{path}:2: field 'text' is given twice (a record names each field once)"
    )
    assert [d.id for d in rest if isinstance(d, Document)] == ["wheat", "zh"]


def test_a_repeated_field_in_a_json_array_costs_only_its_record(tmp_path: Path) -> None:
    path = tmp_path / "corpus.json"
    records = [json.dumps(r) for r in RECORDS]
    path.write_text("[" + ",\n".join([records[0], REPEATED, *records[1:]]) + "]", "utf-8")
    results = _read(path)
    assert [str(r) for r in results if isinstance(r, InputError)] == [
        f"{path}#2: field 'text' is given twice (a record names each field once)"
    ]
    assert [d.id for d in results if isinstance(d, Document)] == ["cocoa", "wheat", "zh"]


def test_a_repeated_key_is_named_short_and_on_one_line(tmp_path: Path) -> None:
    key = "x\n" + "k" * 10_000
    path = tmp_path / "odd.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "Some text."})[:-1]
        + f', "{json.dumps(key)[1:-1]}": 1, "{json.dumps(key)[1:-1]}": 2}}\n'
    )
    (error,) = _read(path)
    message = str(error)
    # The key is cut short, whatever the file's path (a long TMPDIR made 212 characters).
    assert message.startswith(f"{path}:1: ") and "\n" not in message, message
    assert len(message) - len(str(path)) < 150, message
    assert "field 'x\\x0akkk" in message and "...' is given twice" in message


def test_nested_objects_with_a_repeated_key_do_not_cost_the_record(tmp_path: Path) -> None:
    """Only the record's own fields are read; a field unspin does not use never costs it."""
    path = tmp_path / "nested.jsonl"
    path.write_text('{"id": "a", "text": "Some text.", "extra": {"k": 1, "k": 2}}\n', "utf-8")
    (doc,) = _read(path)
    assert isinstance(doc, Document) and doc.text == "Some text."


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".jsonl.gz"])
def test_wide_encodings_with_a_mark_are_read(tmp_path: Path, codec: str, suffix: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    data = bom + _lines(RECORDS).replace("\n", "\r\n").encode(codec)
    path = tmp_path / f"corpus{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    docs = _read(path)
    assert all(isinstance(d, Document) for d in docs), docs
    assert [(d.id, d.text, d.title) for d in docs] == [  # type: ignore[union-attr]
        (r["id"], r["text"], r.get("title")) for r in RECORDS
    ]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_wide_encodings_without_a_mark_are_read(tmp_path: Path, codec: str, suffix: str) -> None:
    """Up to robust36 a JSON Lines file in UTF-16 or UTF-32 without a byte-order mark (as
    ``iconv -t UTF-16LE`` writes it) was read as UTF-8, its NULs and all: "invalid json
    (expecting property name enclosed in double quotes at column 2)" for its first line and
    "expecting value at column 1" for every other. JSON starts with an ASCII character, so
    the NULs among its first four bytes say which encoding it is (RFC 8259)."""
    path = tmp_path / f"corpus{suffix}"
    path.write_bytes(_lines(RECORDS).encode(codec))
    docs = _read(path)
    assert [(d.id, d.text) for d in docs if isinstance(d, Document)] == [
        (r["id"], r["text"]) for r in RECORDS
    ], docs
    path.write_bytes(_lines(RECORDS).encode(codec)[:-1])  # cut short: named, not UTF-8
    errors = [str(r) for r in _read(path) if isinstance(r, InputError)]
    assert len(errors) == 1 and (
        f"reads as {codec.upper()} text without a byte-order mark (its first bytes hold NULs) "
        "but is not " in errors[0]
    ), errors


def test_a_json_array_in_utf16_is_read(tmp_path: Path) -> None:
    path = tmp_path / "corpus.json"
    path.write_bytes(json.dumps(RECORDS, indent=2, ensure_ascii=False).encode("utf-16"))
    assert [d.id for d in _read(path) if isinstance(d, Document)] == ["cocoa", "wheat", "zh"]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_wide_text_cut_short_is_one_line_naming_the_encoding(tmp_path: Path, suffix: str) -> None:
    """The records before the cut are kept (JSON Lines); the message names UTF-16, not UTF-8."""
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(_lines(RECORDS).encode("utf-16")[:-1])
    results = _read(path)
    errors = [str(r) for r in results if isinstance(r, InputError)]
    assert len(errors) == 1, errors
    assert (
        "starts with a UTF-16 byte-order mark but is not UTF-16 text (truncated data)"
        in (errors[0])
    )
    if suffix == ".jsonl":
        assert [d.id for d in results if isinstance(d, Document)] == ["cocoa", "wheat"]
        assert errors[0].endswith(", at line 3")


def test_a_bom_and_one_brace_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "short.jsonl"
    path.write_bytes(b"\xff\xfe{")
    (error,) = _read(path)
    assert str(error) == (
        f"{path}: starts with a UTF-16 byte-order mark but is not UTF-16 text "
        "(truncated data), at line 1"
    )
