"""Walking files and folders, detecting formats, and never stopping on a bad file."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from ingest_fixtures import Rec, page, write_warc

from unspin.errors import InputError
from unspin.ingest import ingest
from unspin.read import detect_format, html, iter_inputs, read_file, store_files
from unspin.store import Store
from unspin.types import Document


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "b" / "deep").mkdir()
    (root / ".git").mkdir()
    (root / "a.txt").write_text("Alpha text.")
    (root / "b" / "page.html").write_text(page("<p>A page about the river and its bridges.</p>"))
    (root / "b" / "deep" / "z.md").write_text("Deep text.")
    (root / "b" / "broken.bin").write_bytes(b"\x00\x01\x02")
    (root / "b" / "empty.txt").write_text("")
    (root / "c.jsonl").write_text(json.dumps({"id": "j1", "text": "From jsonl."}) + "\n{bad\n")
    (root / "d.warc.gz").write_bytes(
        write_warc([Rec("https://example.org/w", page("<p>Archived words.</p>").encode())], True)
    )
    (root / ".hidden.txt").write_text("Never read.")
    (root / ".git" / "config").write_text("Never read either.")


def test_folder_walk_reads_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _tree(root)
    results = list(iter_inputs([root, tmp_path / "missing.txt"]))
    summary = [
        (r.id, r.kind) if isinstance(r, Document) else ("error", r.path, r.problem) for r in results
    ]
    assert summary == [
        ("a.txt", "text"),
        (
            "error",
            str(root / "b" / "broken.bin"),
            "binary file, not text (3 control characters in 3)",
        ),
        ("b/deep/z.md", "text"),
        ("error", str(root / "b" / "empty.txt"), "empty file"),
        ("b/page.html", "html"),
        ("j1", "jsonl"),
        ("error", f"{root / 'c.jsonl'}:2", summary[6][2]),
        ("https://example.org/w", "warc"),
        ("error", str(tmp_path / "missing.txt"), "no such file or directory"),
    ]
    assert summary[6][2].startswith("invalid json")
    texts = {r.id: r for r in results if isinstance(r, Document)}
    assert texts["a.txt"].path == str(root / "a.txt")
    assert texts["b/deep/z.md"].text == "Deep text."


def test_walk_order_is_stable(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "C.txt", "sub/a.txt", "a0/x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    ids = [d.id for d in iter_inputs([tmp_path]) if isinstance(d, Document)]
    assert ids == ["C.txt", "a.txt", "a0/x.txt", "b.txt", "sub/a.txt"]


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".only-hidden").write_text("x")
    (err,) = iter_inputs([tmp_path])
    assert isinstance(err, InputError)
    assert err.problem.startswith("folder holds no files to read")


def test_broken_symlink_is_reported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good.")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    results = list(iter_inputs([tmp_path]))
    assert isinstance(results[0], InputError)
    assert results[0].problem == "no such file or directory (broken symbolic link)"
    assert isinstance(results[1], Document) and results[1].text == "Good."


def test_a_loop_of_symlinks_is_named_a_loop_not_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good.")
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    results = list(iter_inputs([tmp_path]))
    errors = [r for r in results if isinstance(r, InputError)]
    assert [e.problem for e in errors] == ["too many levels of symbolic links"] * 2
    assert [r.text for r in results if isinstance(r, Document)] == ["Good."]
    (named,) = iter_inputs([tmp_path / "one"])
    assert isinstance(named, InputError) and named.problem == "too many levels of symbolic links"


def test_a_linked_folder_is_read_once_and_a_link_back_adds_nothing(tmp_path: Path) -> None:
    # Before (robust27): os.walk does not follow links to folders, so the files under
    # `corpus/2024 -> ../archive/2024` were left out without a word ("folder holds no
    # files to read" when the link was all the folder held).
    archive = tmp_path / "archive" / "2024"
    archive.mkdir(parents=True)
    (archive / "story.txt").write_text("A story kept in the archive.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "2024").symlink_to(archive)
    (corpus / "again").symlink_to(archive)  # the same real folder by a second link
    (archive / "up").symlink_to(tmp_path)  # a loop: back to an ancestor of the corpus
    (corpus / "own.txt").write_text("A story of the corpus itself.")
    (tmp_path / "outside.txt").write_text("Not in the corpus: not to be read through a loop.")
    results = list(iter_inputs([corpus]))
    assert not [r for r in results if isinstance(r, InputError)]
    read = {r.id: r.text for r in results if isinstance(r, Document)}
    # Each real folder is read once; the loop (to a folder holding the corpus) is not
    # followed, so nothing outside the folder given is read through it.
    assert sorted(read.values()) == [
        "A story kept in the archive.",
        "A story of the corpus itself.",
    ]
    assert read["2024/story.txt"] == "A story kept in the archive."


def test_read_file_refuses_folders_and_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        list(read_file(tmp_path))
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_file(tmp_path / "nope"))


def test_an_unforeseen_failure_becomes_an_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.html").write_text(page("<p>Breaks the reader.</p>"))
    (tmp_path / "b.txt").write_text("Still read.")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(html, "read_html", explode)  # readers import it when a page comes
    error, doc = iter_inputs([tmp_path])
    assert isinstance(error, InputError)
    assert error.problem.startswith("could not be read (internal error RuntimeError: boom)")
    assert isinstance(doc, Document) and doc.text == "Still read."


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"plain", "text"),
        ("a.TXT", b"plain", "text"),
        ("a.md", b"# title", "text"),
        ("a.txt", b"\xef\xbb\xbf <!DOCTYPE html><html>", "html"),
        ("a.htm", b"", "html"),
        ("a.xhtml", b"", "html"),
        ("a.jsonl", b"", "jsonl"),
        ("a.ndjson", b"", "jsonl"),
        ("a.json", b"", "json"),
        ("a.json.gz", b"", "json"),
        ("a.warc", b"", "warc"),
        ("a.warc.gz", b"", "warc"),
        ("a.arc.gz", b"", "warc"),
        ("noext", b"WARC/1.0\r\n", "warc"),
        ("noext", b"filedesc://x.arc", "warc"),
        ("noext", b"<?xml version='1.0'?>\n<html xmlns='x'>", "html"),
        ("noext", b"<html><body>", "html"),
        ("noext", b"Just words.", "text"),
        # robust35: records without a name that says so (a pipe, an upload, no extension)
        ("noext", b'\xef\xbb\xbf\n{"id": "a", "text": "One."}\n', "jsonl"),
        ("noext", '{"id": 1}'.encode("utf-16"), "jsonl"),
        ("noext", b'[\n  {\n    "id": "a",', "json"),
        ("noext", b'{\n  "id": "a",', "json"),
        ("noext", b'{"Hello," she said, "come in."}', "text"),
        ("noext", b"[Reuters] Oil rose.", "text"),
        ("a.txt", b'{"id": "a", "text": "One."}', "text"),  # the name still decides
        ("data.csv", b"a,b\n1,2", "text"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str) -> None:
    assert detect_format(Path(name), head) == expected


def test_gzip_content_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "crawl-without-extension"
    warc = write_warc([Rec("https://example.org/x", page("<p>Sniffed words.</p>").encode())], True)
    path.write_bytes(warc)
    assert [d.id for d in read_file(path)] == ["https://example.org/x"]
    html_gz = tmp_path / "page.gz"
    html_gz.write_bytes(gzip.compress(page("<p>Zipped page words.</p>").encode()))
    (doc,) = read_file(html_gz)
    assert doc.kind == "html" and doc.text == "Zipped page words."


def test_a_single_path_is_not_iterated_character_by_character(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("One.")
    for given in (str(tmp_path), tmp_path):
        assert [d.text for d in iter_inputs(given)] == ["One."]  # type: ignore[arg-type]


# -- odd file names and the store's own files (issue 24 items 1 and 13) ----------------------


def _bytes_name(folder: Path, name: bytes, data: bytes) -> None:
    """Create a file whose name is ``name`` as raw bytes (need not be UTF-8)."""
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(data)


@pytest.mark.skipif(os.name != "posix", reason="file names as raw bytes")
def test_a_name_that_is_not_utf8_is_read_with_its_bytes_escaped(tmp_path: Path) -> None:
    try:
        _bytes_name(tmp_path, b"caf\xe9.txt", b"cocoa\n")
    except OSError:  # a file system that insists on UTF-8 names (macOS)
        pytest.skip("file system refuses names that are not UTF-8")
    (tmp_path / "n1.txt").write_text("doc 1 about markets\n")
    results = list(iter_inputs([tmp_path]))
    assert all(isinstance(r, Document) for r in results), results
    by_id = {r.id: r for r in results if isinstance(r, Document)}
    assert set(by_id) == {"caf\\xe9.txt", "n1.txt"}
    escaped = by_id["caf\\xe9.txt"]
    assert escaped.text == "cocoa\n"
    assert escaped.path == os.path.join(str(tmp_path), "caf\\xe9.txt")
    # What the store does with every id and path: it must encode.
    assert escaped.id.encode("utf-8") and (escaped.path or "").encode("utf-8")


@pytest.mark.skipif(os.name != "posix", reason="file names with control characters")
def test_control_characters_in_names_keep_messages_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "two\nlines.txt").write_text("Some text.")
    (tmp_path / "bad\tname.bin").write_bytes(b"\x00\x01\x02\x03")
    error, doc = iter_inputs([tmp_path])
    assert isinstance(error, InputError) and "\n" not in str(error)
    assert error.path == os.path.join(str(tmp_path), "bad\\x09name.bin")
    assert isinstance(doc, Document) and doc.id == "two\\x0alines.txt"
    assert "\n" not in (doc.path or "")


def test_the_store_and_its_side_files_are_skipped_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A text about markets.")
    db = tmp_path / "corpus.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (tmp_path / "other.db").write_bytes(b"\x00" * 100)  # another file is still read
    results = list(iter_inputs([tmp_path], skip=store_files(db)))
    assert [(type(r).__name__, r.path) for r in results] == [
        ("Document", str(tmp_path / "a.txt")),
        ("InputError", str(tmp_path / "other.db")),
    ]
    # Named on its own (or through another spelling of its path) it is an error, not read.
    (error,) = iter_inputs([tmp_path / "sub" / ".." / "corpus.db-wal"], skip=store_files(db))
    assert isinstance(error, InputError)
    assert error.problem == "is the store this ingest writes to, not an input"


def test_ingest_into_a_store_inside_the_folder_it_reads(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A text about cocoa markets.")
    (tmp_path / "sub").mkdir()  # so that "sub/.." resolves
    db = tmp_path / "x.db"
    for _ in range(2):  # the second run finds the store and its -wal/-shm files in the folder
        with Store(db) as store:
            report = ingest([tmp_path], store)
        assert report.errors == []
    assert report.read == 1 and report.duplicates == 1
