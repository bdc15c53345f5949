"""JSON Lines and JSON files: records, per-line errors that do not stop the file, limits."""

from __future__ import annotations

import gzip
import hashlib
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from unspin.errors import InputError, InputWarning
from unspin.jsonl_files import numbered_jsonl
from unspin.read import Limits, iter_inputs, read_file
from unspin.types import Document


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _results(path: Path, limits: Limits | None = None) -> list[Document | InputError]:
    return list(iter_inputs([path], limits))


def test_records_become_documents(tmp_path: Path) -> None:
    text = "Line one.\r\nLine  two — ünïcode\t漢字\n"
    path = _write_lines(
        tmp_path / "corpus.jsonl",
        [
            json.dumps(
                {
                    "id": 17,
                    "text": text,
                    "title": "A title",
                    "url": "https://www.example.org/a?b=1",
                    "date": "2021-03-04T10:00:00Z",
                    "extra": {"ignored": True},
                }
            ),
            json.dumps({"id": "b-2", "text": "Second.", "site": "wire", "date": None}),
        ],
    )
    first, second = _results(path)
    assert first == Document(
        text=text,  # verbatim: the store keeps it and offsets index it
        id="17",
        title="A title",
        url="https://www.example.org/a?b=1",
        date="2021-03-04T10:00:00Z",
        site="example.org",
        path=f"{path}#1",
        kind="jsonl",
        date_raw="2021-03-04T10:00:00Z",
        date_precision="datetime",
    )
    assert second == Document(text="Second.", id="b-2", site="wire", path=f"{path}#2", kind="jsonl")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "{not json}",
            "invalid json (expecting property name enclosed in double quotes at column 2)",
        ),
        ('["id", "text"]', "record is a json array, not an object"),
        ('{"text": "no id"}', "missing required field 'id'"),
        ('{"id": 1}', "missing required field 'text'"),
        ('{"id": 1, "text": 5}', "field 'text' must be a string, not number"),
        ('{"id": 1, "text": "  \\n "}', "field 'text' is empty"),
        ('{"id": true, "text": "t"}', "field 'id' must be a string or an integer, not boolean"),
        ('{"id": 1.5, "text": "t"}', "field 'id' must be a string or an integer, not number"),
        ('{"id": "", "text": "t"}', "field 'id' is empty"),
        # robust34: an id of zero-width characters alone was stored, showing as nothing
        ('{"id": "\\u200b\\u2060", "text": "t"}', "field 'id' is empty"),
        ('{"id": "\\u0000", "text": "t"}', "field 'id' is empty"),
        (
            '{"id": "a\\u0000b", "text": "t"}',
            "field 'id' holds a NUL character (character 2 of 3), which an id cannot hold",
        ),
        ('{"id": 1, "text": "a \\ud800 b"}', "field 'text' holds an unpaired surrogate \\ud800"),
        ("[" * 100_000, "invalid json (nested too deeply)"),
        # robust36: stored, and named whole in every report (a 21 MB terminal report)
        (
            '{"id": "' + "x" * 9_000 + '", "text": "t"}',
            "field 'id' is 9,000 characters, over the 8,192 it may have (a name or a line, not "
            "a text)",
        ),
    ],
)
def test_bad_line_is_an_error_and_the_others_still_read(
    tmp_path: Path, line: str, problem: str
) -> None:
    path = _write_lines(
        tmp_path / "mixed.jsonl",
        ['{"id": "a", "text": "before"}', line, '{"id": "c", "text": "after"}'],
    )
    before, error, after = _results(path)
    assert isinstance(before, Document) and before.text == "before"
    assert isinstance(error, InputError)
    assert error.path == f"{path}:2"
    assert error.problem == problem
    assert isinstance(after, Document) and after.text == "after"
    assert after.path == f"{path}#3"


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        (
            '{"id": 1, "text": "t", "title": 3}',
            "title",
            "field 'title' is a json number, not a string",
        ),
        ('{"id": 1, "text": "t", "url": []}', "url", "field 'url' is a json array, not a string"),
        (
            '{"id": 1, "text": "t", "url": "http://a b"}',
            "url",
            "field 'url' is not a url: 'http://a b'",
        ),
        (
            '{"id": 1, "text": "t", "url": "http://a/b\\u0000c"}',
            "url",
            "field 'url' is not a url: 'http://a/b\\x00c'",
        ),
        (
            '{"id": 1, "text": "t", "site": {}}',
            "site",
            "field 'site' is a json object, not a string",
        ),
        (
            '{"id": 1, "text": "t", "title": "a \\ud800"}',
            "title",
            "field 'title' holds an unpaired surrogate \\ud800",
        ),
        (
            '{"id": 1, "text": "t", "date": "yesterday"}',
            "date",
            "field 'date' is not a date unspin reads: 'yesterday'",
        ),
        # robust36: a title, URL or site of megabytes was stored and shown whole
        *(
            (
                f'{{"id": 1, "text": "t", "{name}": "{value}"}}',
                name,
                f"field '{name}' is {len(value):,} characters, over the 8,192 it may have (a "
                "name or a line, not a text)",
            )
            for name, value in (
                ("title", "T" * 9_000),
                ("url", "http://example.com/" + "u" * 9_000),
                ("site", "s" * 9_000),
            )
        ),
        (
            '{"id": 1, "text": "t", "date": true}',
            "date",
            "field 'date' is not a date unspin reads: a json boolean",
        ),
    ],
)
def test_bad_optional_field_costs_only_that_field(
    tmp_path: Path, line: str, field: str, problem: str
) -> None:
    path = _write_lines(tmp_path / "meta.jsonl", [line])
    (doc,) = _results(path)
    assert isinstance(doc, Document) and doc.text == "t"
    assert getattr(doc, field) is None
    assert [(w.field, w.message) for w in doc.warnings] == [(field, problem)]


def test_dates_in_feed_and_wire_formats_are_read(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "dates.jsonl",
        [
            '{"id": 1, "text": "t", "date": "26-FEB-1987 15:01:01.79"}',
            '{"id": 2, "text": "t", "date": "9/12/2022 11:12"}',
            '{"id": 3, "text": "t", "date": 1614852000}',
            '{"id": 4, "text": "t", "date": "March 2021"}',
            '{"id": 5, "text": "t", "date": ""}',
        ],
    )
    docs = _results(path)
    assert [(d.date, d.date_precision, d.date_raw, d.warnings) for d in docs] == [
        ("1987-02-26T15:01:01", "datetime", "26-FEB-1987 15:01:01.79", ()),
        ("2022-09-12T11:12:00", "datetime", "9/12/2022 11:12", ()),
        ("2021-03-04T10:00:00Z", "datetime", "1614852000", ()),
        ("2021-03", "month", "March 2021", ()),
        (None, None, None, ()),  # an empty date is no date, not a bad one
    ]


def test_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"id": 1, "text": "caf\xe9"}\n{"id": 2, "text": "ok"}\n')
    error, doc = _results(path)
    assert isinstance(error, InputError)
    assert error.problem == "line is not valid utf-8 (byte 0xe9 at column 23)"
    assert isinstance(doc, Document) and doc.id == "2"


def test_blank_lines_and_bom_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blank.ndjson"
    path.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "one"}\n\n   \n{"id": 2, "text": "two"}')
    docs = _results(path)
    assert [d.id for d in docs if isinstance(d, Document)] == ["1", "2"]
    assert docs[1].path == f"{path}#4"  # numbered by line, so it can be found in the file


def test_files_joined_with_their_byte_order_marks_are_read_whole(tmp_path: Path) -> None:
    # robust31: two files that each begin with a UTF-8 byte-order mark, joined with cat, lost
    # the second's first record: "invalid json (unexpected utf-8 bom (decode using
    # utf-8-sig) at column 1)".
    path = tmp_path / "joined.jsonl"
    one, two = b'{"id": 1, "text": "one"}\n', b'{"id": 2, "text": "two"}\n'
    path.write_bytes(b"\xef\xbb\xbf" + one + b"\xef\xbb\xbf" + two)
    docs = _results(path)
    assert [d.id for d in docs if isinstance(d, Document)] == ["1", "2"]
    assert not [d for d in docs if isinstance(d, InputError)]


def test_records_ended_by_carriage_returns_alone_say_so(tmp_path: Path) -> None:
    # robust31: "invalid json (extra data at column 25)", naming nothing a user could change.
    path = tmp_path / "mac.jsonl"
    path.write_bytes(b'{"id": 1, "text": "one"}\r{"id": 2, "text": "two"}\r')
    (error,) = [d for d in _results(path) if isinstance(d, InputError)]
    assert error.problem == (
        "invalid json (extra data at column 26); its records end with carriage returns alone "
        "(old Mac line ends): JSON Lines ends each with a line feed"
    )


def test_read_file_is_strict(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "s.jsonl", ['{"id": 1, "text": "ok"}', "nope"])
    reader = read_file(path)
    assert next(reader).text == "ok"
    with pytest.raises(InputError, match=r"s\.jsonl:2: invalid json"):
        next(reader)


def test_line_over_max_file_bytes_is_skipped(tmp_path: Path) -> None:
    long_line = json.dumps({"id": 1, "text": "x" * 5000})
    path = _write_lines(tmp_path / "long.jsonl", [long_line, '{"id": 2, "text": "short"}'])
    error, doc = _results(path, Limits(max_file_bytes=1000))
    assert isinstance(error, InputError) and error.path == f"{path}:1"
    assert "unspin ingest --max-mb raises it" in error.problem
    assert isinstance(doc, Document) and doc.text == "short"


def test_text_over_max_document_chars(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "t.jsonl", [json.dumps({"id": 1, "text": "y" * 50})])
    (error,) = _results(path, Limits(max_document_chars=10))
    assert isinstance(error, InputError) and "--max-chars raises it" in error.problem


def test_max_records_per_file_stops_the_file(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "many.jsonl", [json.dumps({"id": i, "text": f"t{i}"}) for i in range(5)]
    )
    results = _results(path, Limits(max_records_per_file=3))
    assert [r.id for r in results[:3] if isinstance(r, Document)] == ["0", "1", "2"]
    assert isinstance(results[3], InputError)
    assert results[3].problem.startswith("more than 3 records, stopped at line 4")
    assert len(results) == 4


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "array.json"
    path.write_text(json.dumps([{"id": "a", "text": "A"}, {"id": "b", "text": ""}, 3]))
    doc, empty, number = _results(path)
    assert isinstance(doc, Document) and doc.path == f"{path}#1" and doc.kind == "jsonl"
    assert isinstance(empty, InputError) and empty.path == f"{path}#2"
    assert isinstance(number, InputError) and number.problem == (
        "record is a json number, not an object"
    )


def test_json_single_pretty_printed_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "x", "text": "Just one."}, indent=2))
    assert [d.text for d in read_file(path)] == ["Just one."]


def test_json_lines_under_a_json_name(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "lines.json", ['{"id": 1, "text": "a"}', '{"id": 2, "text": "b"}']
    )
    assert [d.id for d in read_file(path)] == ["1", "2"]


def test_gzip_jsonl_and_its_truncation(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": i, "text": f"record {i} " * 50}) + "\n" for i in range(200))
    packed = gzip.compress(lines.encode())
    good = tmp_path / "c.jsonl.gz"
    good.write_bytes(packed)
    assert [d.id for d in read_file(good)] == [str(i) for i in range(200)]

    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    results = _results(cut)
    docs = [r for r in results if isinstance(r, Document)]
    assert 0 < len(docs) < 200
    assert [d.id for d in docs] == [str(i) for i in range(len(docs))]
    assert isinstance(results[-1], InputError)
    assert results[-1].path == str(cut)
    assert results[-1].problem.startswith("gzip data is cut short (the file is truncated)")
    assert results[-1].problem.endswith(f", after line {len(docs)}")
    # Cut inside its first line: "after line 0" up to robust36.
    first = tmp_path / "first.jsonl.gz"
    hexes = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(200))
    long_line = json.dumps({"id": 1, "text": hexes}) + "\n"  # compresses to about half
    first.write_bytes(gzip.compress(long_line.encode(), mtime=0)[:300])
    assert [str(r) for r in _results(first)] == [
        f"{first}: gzip data is cut short (the file is truncated), before its first whole line"
    ]


# -- integers longer than Python converts (issue 24 item 5) ----------------------------------

HUGE = "9" * 5000  # Python refuses to convert more than 4,300 digits to an int


def test_a_huge_integer_costs_only_its_record(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "big.jsonl",
        [
            '{"id": ' + HUGE + ', "text": "the id is too long"}',
            '{"id": "b", "text": "A huge number elsewhere is ignored.", "views": -' + HUGE + "}",
            '{"id": "c", "text": "The next valid line is read."}',
        ],
    )
    error, second, third = _results(path)
    assert isinstance(error, InputError) and error.path == f"{path}:1"
    assert error.problem == (
        "field 'id' is an integer of 5,000 digits, too long to use as an id (at most 4,300)"
    )
    assert isinstance(second, Document) and second.id == "b"
    assert isinstance(third, Document) and third.text == "The next valid line is read."


def test_a_huge_integer_in_a_json_array_costs_only_its_record(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(
        '[{"id": "a", "text": "First.", "n": ' + HUGE + "}, "
        '{"id": "b", "text": ' + HUGE + '}, {"id": "c", "text": "Third."}]'
    )
    first, error, third = _results(path)
    assert isinstance(first, Document) and first.text == "First."
    assert isinstance(error, InputError) and error.path == f"{path}#2"
    assert error.problem == "field 'text' must be a string, not number"
    assert isinstance(third, Document) and third.text == "Third."


def test_invalid_json_message_says_at_once(tmp_path: Path) -> None:
    # json's own message ends in "at" ("Invalid control character at"): not "at at".
    path = _write_lines(tmp_path / "ctl.jsonl", ['{"id": "a", "text": "tab\there"}'])
    (error,) = _results(path)
    assert isinstance(error, InputError)
    assert error.problem == "invalid json (invalid control character at column 25)"


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("feed.jsonl", b"", "the file is empty or blank"),
        ("feed.jsonl", b"\n  \n\n", "the file is empty or blank"),
        ("feed.jsonl.gz", gzip.compress(b""), "the file is empty or blank"),
        ("feed.json", b"", "the file is empty or blank"),
        ("feed.json", b"[]", "an empty array"),
    ],
)
def test_a_file_of_records_that_holds_none_says_so(
    tmp_path: Path, name: str, data: bytes, why: str
) -> None:
    # Before (robust35): "0 documents added, 0 inputs failed", where an empty text file is
    # an error: a feed whose download failed went unnoticed.
    path = tmp_path / name
    path.write_bytes(data)
    items = _results(path)
    assert [str(i) for i in items] == [f"{path}: holds no records ({why}); nothing read"]
    assert isinstance(items[0], InputWarning)


def _peak_bytes(run: Callable[[], object]) -> tuple[object, int]:
    """What ``run`` returns, and the most memory Python's allocations held while it ran."""
    tracemalloc.start()
    try:
        value = run()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("suffix", "encoding"), [(".jsonl", "utf-8"), (".json", "utf-8"), (".json", "utf-16")]
)
def test_a_record_of_countless_tiny_values_is_refused_before_it_is_parsed(
    tmp_path: Path, suffix: str, encoding: str
) -> None:
    """Up to robust36 a 60 MB line of 20,000,000 empty objects (in a field nobody reads)
    took 1.57 GB to parse, then was stored: a value takes some 70 bytes once parsed, its
    text 3. Now a line (or a .json file, read whole) may hold one value for every 16 bytes
    of ``max_file_bytes``, counted before it is parsed; here 131,072 for 2 MiB."""
    limits = Limits(max_file_bytes=2 << 20)
    flood = ",".join(["{}"] * 200_000)  # 600 KB, under the line limit
    record = '{"id": "a", "text": "Floods closed the line.", "x": [' + flood + "]}"
    path = tmp_path / f"flood{suffix}"
    path.write_text(record + "\n" + '{"id": "b", "text": "Trains ran again."}\n', encoding)
    results, peak = _peak_bytes(lambda: _results(path, limits))
    assert isinstance(results, list)
    error = results[0]
    assert isinstance(error, InputError)
    assert error.problem.startswith(
        ("line holds more than 131,072 JSON values", "file holds more than 131,072 JSON values")
    )
    assert error.problem.endswith(
        (
            "(unspin ingest --max-mb raises it)",
            "JSON Lines (one record a line) is read a line at a time",
        )
    )
    if suffix == ".jsonl":  # the other records are read
        assert error.path == f"{path}:1"
        assert [r.id for r in results[1:] if isinstance(r, Document)] == ["b"]
    assert peak < 8_000_000  # 3.7 MB (the reader imported too); parsed, 17.5 MB

    # The same values as the text of a record are characters, not values: read.
    text = '{"id": "c", "text": "' + flood + '"}'
    path.write_text(text + "\n")
    (doc,) = _results(path, limits)
    assert isinstance(doc, Document) and doc.text == flood


def test_cluster_input_refuses_a_line_of_countless_tiny_values(tmp_path: Path) -> None:
    """``cluster --input`` reads its records through ``numbered_jsonl``: the same bound."""
    path = tmp_path / "flood.jsonl"
    path.write_text('{"text": "a", "x": [' + ",".join(["[]"] * 200_000) + "]}\n")
    with pytest.raises(InputError) as err:
        list(numbered_jsonl(path, max_line_chars=1 << 20))
    assert str(err.value) == (
        f"{path}:1: line holds more than 65,536 JSON values (objects, arrays, strings, "
        "numbers), which would take some 70 bytes of memory each: a record is a text and a "
        "few fields"
    )


def test_blank_lines_past_the_record_limit_end_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to robust36 blank lines had no bound, and each costs the reader time as a record
    does: a gzip file of 2 MB holding 2 GiB of line feeds kept ``ingest`` (and ``cluster
    --input``) busy past ten minutes. Now a file may hold as many blank lines as records."""
    import unspin.jsonl_files

    path = tmp_path / "feeds.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "a", "text": "Kept."}\n' + b"\n" * 1_000 + b"\r\n"))
    first, error = _results(path, Limits(max_records_per_file=100))
    assert isinstance(first, Document) and first.text == "Kept."
    assert str(error) == (
        f"{path}: more than 100 blank lines, stopped at line 102: a file of records holds one a "
        "line (unspin ingest --max-records raises it)"
    )
    assert len(list(iter_inputs([path]))) == 1  # within the default limit: read

    monkeypatch.setattr(unspin.jsonl_files, "MAX_BLANK_LINES", 100)
    with pytest.raises(InputError) as err:
        list(numbered_jsonl(path, max_line_chars=1 << 20))
    assert str(err.value) == (
        f"{path}: more than 100 blank lines, stopped at line 102: a file of records holds one a "
        "line"
    )
    assert len(list(numbered_jsonl(path))) == 1  # unspin's own files: no bound
