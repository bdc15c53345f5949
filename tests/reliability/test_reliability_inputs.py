"""The input-side reproductions of issue 24 ("Reliability, second round"), each as it was filed:
a file name that is not UTF-8, text files with stray NUL bytes, small inputs that hung the
parsers, JSON integers past Python's digit limit, limit messages that named internals, and an
ingest that read its own store. docs/reliability.md ("Hostile input, second round") lists them.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import unspin
from unspin.errors import InputError, InputWarning
from unspin.read import Limits, iter_inputs
from unspin.store import Store
from unspin.types import Document

# The CLI runs from the unspin this test imported (the checkout's src/ in development).
SRC = Path(unspin.__file__).resolve().parents[1]


def _unspin(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.skipif(os.name != "posix", reason="file names as raw bytes")
def test_folder_ingest_with_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    """Item 1: ``caf\\xe9.txt`` beside 50 text files stopped the ingest for good (0 documents,
    a UnicodeEncodeError traceback, every rerun the same). Item 2: a text with stray NULs was
    refused as binary. Item 13: the store in the folder was read as input, and the limit
    message named ``Limits.max_file_bytes``."""
    folder = tmp_path / "f"
    folder.mkdir()
    for i in range(1, 51):
        (folder / f"n{i}.txt").write_text(f"doc {i} about markets\n")
    try:
        with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
            fh.write(b"cocoa\n")
    except OSError:
        pytest.skip("file system refuses names that are not UTF-8")
    (folder / "nul.txt").write_bytes(b"cocoa futures\x00 rose on the news\n")
    (folder / "big.txt").write_bytes(b"words " * 200_000)  # 1.1 MiB, over --max-mb 1
    db = folder / "x.db"  # the store lives in the folder being read

    first = _unspin("ingest", "f", "--db", "f/x.db", "--max-mb", "1", "-q", cwd=tmp_path)
    assert first.returncode == 1, first.stderr  # big.txt failed, nothing else did
    assert "Traceback" not in first.stderr
    assert first.stdout.strip() == (
        "52 documents added (52 new texts, 0 copies of stored texts), 0 already stored, "
        "1 inputs failed, 1 warning (1 batches) -> f/x.db"
    )
    assert first.stderr.splitlines() == [
        "Error: f/big.txt: file is 1.1 MiB, over the 1.0 MiB limit "
        "(unspin ingest --max-mb raises it)",
        "Warning: f/nul.txt: 1 stray NUL character was removed from the text",
    ]
    # The rerun finds the store, its -wal and -shm files in the folder and leaves them alone.
    assert {p.name for p in folder.glob("x.db*")} >= {"x.db"}
    second = _unspin("ingest", "f", "--db", "f/x.db", "--max-mb", "1", "-q", cwd=tmp_path)
    assert "Traceback" not in second.stderr and "x.db" not in second.stderr
    assert second.stdout.startswith(
        "0 documents added (0 new texts, 0 copies of stored texts), 52 already stored, 1 inputs failed"
    )
    with Store(db, create=False) as store:
        assert store.count() == 52
        (cafe,) = store.find("caf\\xe9.txt")
        assert store.text(cafe.key) == "cocoa\n"


def test_html_with_100k_attributes_on_one_tag_is_refused_quickly(tmp_path: Path) -> None:
    """Item 4: 889 KB of HTML with 100,000 attributes on one tag kept lxml busy > 100 s."""
    attrs = " ".join(f'a{i}="v"' for i in range(100_000))
    (tmp_path / "attrs.html").write_text(f"<html><body><div {attrs}>x</div></body></html>")
    (tmp_path / "next.txt").write_text("The next file is read.")
    error, doc = iter_inputs([tmp_path])
    assert isinstance(error, InputError)
    assert error.problem.startswith("html tag with more than 1,000 attributes")
    assert isinstance(doc, Document)


def test_warc_gz_with_a_200_mb_header_line_is_refused_quickly(tmp_path: Path) -> None:
    """Item 4: a 200 KB .warc.gz holding one 200 MB header line kept warcio busy > 90 s."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"WARC/1.0\r\nWARC-Type: resource\r\nX-Big: ")]
    block = b"a" * (1 << 20)
    parts += [packer.compress(block) for _ in range(200)]
    parts.append(packer.compress(b"\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n") + packer.flush())
    path = tmp_path / "bigline.warc.gz"
    path.write_bytes(b"".join(parts))
    assert path.stat().st_size < 1 << 20
    (error,) = iter_inputs([path])
    assert isinstance(error, InputError)
    assert error.problem.startswith("corrupt warc data (a header line is longer than 1.0 MiB")


@pytest.mark.parametrize("name", ["docs.jsonl", "docs.json", "docs.jsonl.gz"])
def test_a_json_integer_over_4300_digits_costs_only_its_record(tmp_path: Path, name: str) -> None:
    """Item 5: "internal error ValueError ... Exceeds the limit (4300 digits)" ended the file
    and the next, valid line was lost."""
    records = [
        '{"id": ' + "1" * 4301 + ', "text": "too long an id"}',
        json.dumps({"id": "ok", "text": "The next line is still read."}),
    ]
    data = ("[" + ", ".join(records) + "]" if name == "docs.json" else "\n".join(records)).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    error, doc = iter_inputs([path])
    assert isinstance(error, InputError) and "internal error" not in error.problem
    assert error.problem.startswith("field 'id' is an integer of 4,301 digits")
    assert isinstance(doc, Document) and doc.text == "The next line is still read."


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-16-le", "text"), ("utf-16-be", "text"), ("utf-32", "text")],
)
def test_utf16_without_bom_and_utf32_with_bom_are_text(
    tmp_path: Path, codec: str, expected: str
) -> None:
    """Item 13: both were called binary."""
    text = "Cocoa prices rose on Thursday after the harvest report. " * 10
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(codec))
    (doc,) = iter_inputs([path])
    assert isinstance(doc, Document) and doc.kind == expected and doc.text == text


def test_stray_nuls_are_a_warning_not_an_error(tmp_path: Path) -> None:
    """Item 2: 7 of 3,169 PAN source documents were refused for a few NUL bytes."""
    text = "It was a bright cold day in April, and the clocks were striking thirteen.\n" * 40
    path = tmp_path / "source-document.txt"
    path.write_bytes(text[:100].encode() + b"\x00" * 7 + text[100:].encode())
    warning, doc = iter_inputs([path], Limits())
    assert isinstance(warning, InputWarning)
    assert warning.problem == "7 stray NUL characters were removed from the text"
    assert isinstance(doc, Document) and doc.text == text


def test_a_text_of_nothing_but_nuls_is_empty_wherever_it_comes_from(tmp_path: Path) -> None:
    # Before (robust29): a file of NULs was refused, but a JSON record's "\u0000\u0000" and
    # Corpus.add("\0") were stored, and trace("\0 \0") traced, a document showing nothing.
    records = tmp_path / "nul.jsonl"
    records.write_text(
        '{"id": "a", "text": "\\u0000\\u0000"}\n{"id": "b", "text": "Cocoa rose in Bahia."}\n'
    )
    nuls = tmp_path / "nuls.txt"
    nuls.write_bytes(b"\x00 \x00\n")
    problems = [r.problem for r in iter_inputs([records, nuls]) if isinstance(r, InputError)]
    assert problems == ["field 'text' is empty", "empty file (blank apart from NUL bytes)"]
    with unspin.Corpus() as corpus:
        with pytest.raises(InputError, match="field 'text' is empty"):
            corpus.add("\x00")
        with pytest.raises(InputError, match="empty text: nothing to trace"):
            corpus.trace("\x00 \x00")
        assert corpus.add("Cocoa rose in Bahia.\x00").added == 1  # text around a NUL: kept


def test_nuls_among_the_words_go_with_a_note_wherever_the_text_comes_from(
    tmp_path: Path,
) -> None:
    # Before (robust30): a text file lost its NULs with a warning, but a JSON record's text
    # (.jsonl and .json) and Corpus.add's (a str or a Document) kept them.
    words = "Cocoa rose in Bahia after the rains, and the growers' union met in Ilheus."
    text = words.replace(" rose", "\x00 rose") + "\x00"
    as_json = json.dumps({"id": "a", "text": text})
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(as_json + "\n", encoding="utf-8")
    (tmp_path / "c.json").write_text(f"[{as_json}]", encoding="utf-8")
    items = list(iter_inputs(sorted(tmp_path.iterdir())))
    assert [d.text for d in items if isinstance(d, Document)] == [words] * 3
    notes = [str(w) for w in items if isinstance(w, InputWarning)]
    where = [str(tmp_path / "a.txt"), f"{tmp_path / 'b.jsonl'}:1", f"{tmp_path / 'c.json'}#1"]
    assert notes == [f"{w}: 2 stray NUL characters were removed from the text" for w in where]
    with unspin.Corpus() as corpus:
        added = corpus.add(text)
        copy = corpus.add(unspin.Document(text, id="d"))
        assert [str(w) for w in added.warnings + copy.warnings] == [
            "<text>: 2 stray NUL characters were removed from the text",
            "d: 2 stray NUL characters were removed from the text",
        ]
        # One stored text: the Document is a copy of the text added first.
        assert added.texts_added == 1 and copy.added == 1 and copy.texts_added == 0
        assert corpus.search(id="d")[0].document.title is None
        assert corpus.store.count() == 2
