"""Hostile input: every reader, the PAN XML reader and compare/trace end in a result or an
``UnspinError`` subclass with a one-line message; never another exception, a hang or
unbounded memory.

Property tests (Hypothesis) build hostile inputs on purpose: markup cut anywhere or nested
thousands deep, mixed and invalid encodings, NUL bytes, JSON values of the wrong type,
decompression bombs inside WARC.gz. The case counts and limits are recorded in
docs/reliability.md (run with ``--hypothesis-show-statistics`` to see them).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.errors import InputError, InputWarning
from unspin.evaluate.pan import read_annotations
from unspin.ingest import ingest
from unspin.read import Limits, iter_inputs, read_file
from unspin.store import Store
from unspin.trace import TraceConfig, compare, trace
from unspin.types import Document, TraceResult, blank

CASES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SMALL = Limits(max_file_bytes=256 * 1024, max_document_chars=50_000, max_decompressed_bytes=1 << 20)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge</title></head><body>"
    "<article><h1>Council approves new bridge</h1><p>The city council voted on Thursday to "
    "build a new bridge across the river, ending a debate that had lasted three years.</p>"
    "<p>Supporters said the crossing would cut travel times for thousands of commuters.</p>"
    "</article></body></html>"
)
ENCODINGS = ["utf-8", "latin-1", "cp1252", "utf-16", "utf-16-le", "shift_jis", "koi8-r"]
TEXT_BITS = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=80
) | st.sampled_from(["Öffentlich — “café” naïve", "Москва", "東京都", "\x00\x00", "\ufeff"])


def _read_all(path: Path, limits: Limits) -> list[Document]:
    """Read ``path`` both ways; only InputError may come out, with a one-line message (and
    InputWarnings, also on one line)."""
    docs: list[Document] = []
    try:
        docs = list(read_file(path, limits))
    except InputError as err:
        assert "\n" not in str(err) and err.problem
    for item in iter_inputs([path], limits):
        assert isinstance(item, Document | InputError | InputWarning)
        if not isinstance(item, Document):
            assert "\n" not in str(item)
        if isinstance(item, InputError):
            assert "internal error" not in item.problem, item
        elif isinstance(item, Document):
            assert item.text.strip() and len(item.text) <= limits.max_document_chars
    return docs


def _write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


# -- markup: truncated anywhere, nested deep, encodings mixed -------------------------------


@CASES
@given(
    cut=st.integers(0, len(PAGE)),
    enc=st.sampled_from(ENCODINGS),
    ext=st.sampled_from([".html", ".txt", ""]),
)
def test_truncated_pages_in_any_encoding(cut: int, enc: str, ext: str) -> None:
    data = PAGE[:cut].encode(enc, "replace")
    with tempfile.TemporaryDirectory() as folder:
        _read_all(_write(folder, f"page{ext}", data), Limits())


@CASES
@given(
    depth=st.integers(1, 20_000),
    tag=st.sampled_from(["div", "span", "table", "b", "ul><li", "p"]),
    closed=st.booleans(),
)
def test_deeply_nested_markup(depth: int, tag: str, closed: bool) -> None:
    inner = "<p>The council met again on Friday to discuss the bridge and its cost.</p>"
    close = f"</{tag.split('>')[0]}>" * depth if closed else ""
    html = f"<!doctype html><html><body>{f'<{tag}>' * depth}{inner}{close}</body></html>"
    with tempfile.TemporaryDirectory() as folder:
        # It must finish with the paragraph or one clean error (no recursion error, no crash);
        # its time is measured in benchmarks/bench_ingest_bounds.py, not asserted here.
        _read_all(_write(folder, "deep.html", html.encode()), Limits())


@CASES
@given(
    parts=st.lists(st.tuples(TEXT_BITS, st.sampled_from(ENCODINGS)), min_size=1, max_size=8),
    raw=st.binary(max_size=64),
    ext=st.sampled_from([".txt", ".html", ".md", ""]),
)
def test_mixed_and_invalid_encodings_and_nul_bytes(
    parts: list[tuple[str, str]], raw: bytes, ext: str
) -> None:
    data = b"".join(t.encode(e, "replace") for t, e in parts) + raw
    with tempfile.TemporaryDirectory() as folder:
        for doc in _read_all(_write(folder, f"mixed{ext}", data), SMALL):
            # Stored verbatim later: it must survive the store's UTF-8 encoding.
            assert doc.text.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize(
    "name", ["empty.txt", "empty.html", "empty.jsonl", "empty.json", "empty.warc", "e.warc.gz", "e"]
)
@pytest.mark.parametrize("content", [b"", b"\n\n  \t\n", b"\x00" * 100, b"\xef\xbb\xbf"])
def test_empty_and_blank_files_are_clear_errors(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(content) if name.endswith(".gz") else content)
    assert _read_all(path, Limits()) == []


# -- JSON Lines: any JSON value in any field ------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELD = st.sampled_from(["id", "text", "title", "url", "date", "site"])


@CASES
@given(
    records=st.lists(
        st.dictionaries(FIELD, JSON_VALUES, max_size=6) | JSON_VALUES, min_size=1, max_size=6
    ),
    as_array=st.booleans(),
)
def test_json_with_wrong_types(records: list[Any], as_array: bool) -> None:
    if as_array:
        data, name = json.dumps(records).encode(), "docs.json"
    else:
        data, name = "\n".join(json.dumps(r) for r in records).encode(), "docs.jsonl"
    with tempfile.TemporaryDirectory() as folder:
        docs = _read_all(_write(folder, name, data), Limits())
    good = [r for r in records if isinstance(r, dict) and isinstance(r.get("text"), str)]
    assert len(docs) <= len(good)


@CASES
@given(depth=st.integers(1, 200_000), bracket=st.sampled_from(["[", '{"a":']))
def test_json_nested_deeper_than_the_parser_allows(depth: int, bracket: str) -> None:
    line = '{"id": "x", "text": ' + bracket * depth + "1"
    with tempfile.TemporaryDirectory() as folder:
        assert _read_all(_write(folder, "deep.jsonl", line.encode()), Limits()) == []
        assert _read_all(_write(folder, "deep.json", line.encode()), Limits()) == []


# -- JSON integers past Python's 4,300-digit conversion limit -------------------------------


@CASES
@given(
    digits=st.integers(4_301, 60_000),
    sign=st.sampled_from(["", "-"]),
    field=st.sampled_from(["id", "text", "title", "views", "nested"]),
    position=st.integers(0, 3),
    as_array=st.booleans(),
)
def test_huge_integers_cost_only_their_record(
    digits: int, sign: str, field: str, position: int, as_array: bool
) -> None:
    huge = sign + "7" * digits
    fields = {"id": '"bad"', "text": '"The record with the huge number."'}
    if field == "nested":
        fields["extra"] = '{"a": [1, ' + huge + "]}"
    else:
        fields[field] = huge
    bad = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"
    good = [json.dumps({"id": f"g{i}", "text": f"Good record number {i}."}) for i in range(3)]
    records = [*good[:position], bad, *good[position:]]
    if as_array:
        data, name = ("[" + ", ".join(records) + "]").encode(), "docs.json"
    else:
        data, name = "\n".join(records).encode(), "docs.jsonl"
    with tempfile.TemporaryDirectory() as folder:
        _read_all(_write(folder, name, data), Limits())
        items = list(iter_inputs([Path(folder) / name]))
    docs = [i.id for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [d for d in docs if d != "bad"] == ["g0", "g1", "g2"]  # every good record is read
    assert len(errors) == (0 if "bad" in docs else 1)
    if field in ("views", "nested"):
        assert "bad" in docs  # a number nobody reads does not cost the record


# -- file names: bytes that are not UTF-8, control and other odd characters ------------------

NAME_BYTES = st.binary(min_size=1, max_size=40)
NAME_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]) | st.sampled_from("\n\t\r\x7f\u2028 .-#%\\"),
    min_size=1,
    max_size=40,
).map(lambda t: t.encode("utf-8"))
# ("-x": no extension of its own, whatever the generated name ends in: sniffed as text.)
NAME_ENDINGS = st.sampled_from([b".txt", b"-x", b".md", b".TXT", b".txt.gz"])


@pytest.mark.skipif(os.name != "posix", reason="file names as raw bytes")
@CASES
@given(
    names=st.lists(
        st.tuples(NAME_BYTES | NAME_TEXT, NAME_ENDINGS), min_size=1, max_size=5, unique=True
    )
)
def test_any_file_names(names: list[tuple[bytes, bytes]]) -> None:
    """Any name a POSIX file system allows: the file is read under a printable name (or gives
    a one-line error), every id and path can be stored, a rerun adds nothing."""
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as dbdir:
        written = 0
        for number, (stem, ending) in enumerate(names):
            name = (stem + ending).replace(b"/", b"_").replace(b"\x00", b"_")[-200:]
            if name.startswith(b"."):
                continue  # hidden files are skipped by design (and "." or ".." is no file)
            path = os.path.join(os.fsencode(folder), name)
            if os.path.exists(path):
                continue  # two generated names cut to the same one
            text = f"Document number {number} about cocoa and its markets.\n".encode()
            with open(path, "wb") as fh:
                fh.write(gzip.compress(text) if name.endswith(b".gz") else text)
            written += 1
        db = Path(dbdir) / "names.db"
        for run in range(2):
            with Store(db) as store:
                report = ingest([folder], store)
            for err in report.errors:
                assert "\n" not in str(err) and "internal error" not in err.problem, err
            if run == 0:
                assert report.added == report.read == written
                assert len(report.errors) == (0 if written else 1)  # 1: "holds no files"
            else:
                assert report.added == 0 and report.duplicates == written
        with Store(db, create=False) as store:
            for doc, _ in store.iter_documents():
                assert doc.id.encode("utf-8") and "\n" not in doc.id
                assert (doc.path or "").encode("utf-8") and "\n" not in (doc.path or "")


# -- WARC: random records, and bombs inside WARC.gz ------------------------------------------


def _warc(records: list[tuple[str, bytes, list[tuple[str, str]]]], gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for uri, payload, headers in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(payload), http_headers=http
            )
        )
    return buf.getvalue()


HEADERS = st.lists(
    st.tuples(
        st.sampled_from(["Content-Type", "Content-Encoding", "Transfer-Encoding", "X-A"]),
        st.sampled_from(
            ["text/html", "text/html; charset=koi8-r", "gzip", "br", "chunked", "", "x"]
        ),
    ),
    max_size=3,
)


@CASES
@given(
    records=st.lists(
        st.tuples(
            st.sampled_from(["https://a.example/x", "dns:a.example", "", "file:///etc/passwd"]),
            st.binary(max_size=300) | st.just(PAGE.encode()),
            HEADERS,
        ),
        min_size=1,
        max_size=4,
    ),
    gz=st.booleans(),
    cut=st.none() | st.integers(0, 4000),
)
def test_random_warc_records_cut_anywhere(
    records: list[tuple[str, bytes, list[tuple[str, str]]]], gz: bool, cut: int | None
) -> None:
    data = _warc(records, gz)
    if cut is not None:
        data = data[:cut]
    with tempfile.TemporaryDirectory() as folder:
        _read_all(_write(folder, "crawl.warc.gz" if gz else "crawl.warc", data), SMALL)


def test_gzip_bomb_as_a_warc_gz_member_stops_at_the_limit(tmp_path: Path) -> None:
    """A WARC.gz whose member expands 1000-fold is refused after ``max_decompressed_bytes``."""
    bomb = b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 999999999\r\n\r\n"
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(bomb + b"\0" * (200 * 1024 * 1024), 9))
    errors = [e for e in iter_inputs([path], Limits(max_decompressed_bytes=32 << 20))]
    assert any(isinstance(e, InputError) and "decompression bomb" in e.problem for e in errors)


def test_gzip_bomb_inside_an_http_payload_is_bounded(tmp_path: Path) -> None:
    """``Content-Encoding: gzip`` bodies are inflated by warcio: only ``max_file_bytes`` of it."""
    body = gzip.compress(b"<html>" + b" " * (300 * 1024 * 1024), 9)
    data = _warc(
        [
            (
                "https://a.example/",
                body,
                [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            )
        ],
        True,
    )
    path = tmp_path / "payload-bomb.warc.gz"
    path.write_bytes(data)
    items = list(iter_inputs([path], Limits(max_file_bytes=8 << 20)))
    assert all(isinstance(i, InputError) for i in items) and items
    assert "--max-mb" in str(items[0]) or "no text" in str(items[0])


# -- 50 MB single lines: refused by limit, with bounded memory -------------------------------

_BIG_LINE_SCRIPT = """
import json, sys
from unspin.errors import InputError
from unspin.read import read_file
try:
    n = sum(1 for _ in read_file(sys.argv[1]))
    outcome = f"documents:{n}"
except InputError as err:
    outcome = "error:" + err.problem
# VmHWM (peak RSS of this program): unlike ru_maxrss it does not carry the forking parent's
# peak over exec.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"outcome": outcome, "max_rss_mib": int(hwm) / 1024}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak RSS read from /proc")
@pytest.mark.parametrize("name", ["line.txt", "line.jsonl", "line.html"])
def test_50_mb_single_line(tmp_path: Path, name: str) -> None:
    """One 50 MB line: over ``max_document_chars``, refused with a clear message, in bounded
    memory (measured in a child process so the figure is its own; the time is measured in
    benchmarks/bench_ingest_bounds.py)."""
    words = b"spun text without any line break " * (50 * 1024 * 1024 // 33)
    if name.endswith(".jsonl"):
        data = b'{"id": "big", "text": "' + words + b'"}'
    elif name.endswith(".html"):
        data = b"<!doctype html><html><body><p>" + words + b"</p></body></html>"
    else:
        data = words
    path = tmp_path / name
    path.write_bytes(data)
    res = subprocess.run(
        [sys.executable, "-c", _BIG_LINE_SCRIPT, str(path)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    figures = json.loads(res.stdout)
    assert figures["outcome"].startswith("error:"), figures
    if not name.endswith(".html"):
        assert "--max-chars" in figures["outcome"], figures
    # (lxml refuses a text node over 10 MB itself, so the page has "no text found".)
    assert figures["max_rss_mib"] < 1024, figures  # a few copies of 50 MB, not unbounded


# -- PAN XML ---------------------------------------------------------------------------------

_FEATURE = st.fixed_dictionaries(
    {},
    optional={
        k: st.text(max_size=6) | st.integers(-5, 10**12).map(str)
        for k in (
            "name",
            "this_offset",
            "this_length",
            "source_offset",
            "source_length",
            "source_reference",
        )
    },
)


@CASES
@given(
    ref=st.text(max_size=10),
    feats=st.lists(_FEATURE, max_size=4),
    cut=st.none() | st.integers(0, 400),
    junk=st.binary(max_size=40),
)
def test_pan_xml_any_attributes_or_truncation(
    ref: str, feats: list[dict[str, str]], cut: int | None, junk: bytes
) -> None:
    from xml.sax.saxutils import quoteattr

    body = "".join(
        "<feature " + " ".join(f"{k}={quoteattr(v)}" for k, v in f.items()) + "/>" for f in feats
    )
    data = f"<document reference={quoteattr(ref)}>{body}</document>".encode(
        "utf-8", "surrogatepass"
    )
    data = (data[:cut] if cut is not None else data) + junk
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "case.xml", data)
        try:
            for a in read_annotations(path):
                assert a.this_offset >= 0 and a.this_length >= 0 and a.source_reference
        except InputError as err:
            assert "\n" not in str(err)


@pytest.mark.parametrize(
    "xml",
    [
        # Billion laughs: expat refuses the amplification instead of expanding it.
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + ']><document reference="x">&i;</document>',
        # External entity: never fetched or read.
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<document reference="&e;"/>',
        "<document reference='x'>" + "<a>" * 100_000 + "</a>" * 100_000 + "</document>",
        "<document reference='x'>" + "<a>" * 50_000,
    ],
    ids=["billion-laughs", "external-entity", "deep", "deep-unclosed"],
)
def test_pan_xml_attacks(tmp_path: Path, xml: str) -> None:
    path = tmp_path / "attack.xml"
    path.write_text(xml, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        found = read_annotations(path)
        assert found == []
    except InputError as err:
        assert "\n" not in str(err)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB


# -- compare and trace inputs ----------------------------------------------------------------

ARTICLE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=[]) | st.sampled_from(" .\n!?\x00"),
    max_size=400,
)
FAST = TraceConfig(label_edits=True, score_unsourced=True)


def _check_result(result: TraceResult, target: str) -> None:
    n = len(target)
    for s in result.sources:
        for p in s.passages:
            assert 0 <= p.target_start < p.target_end <= n
    assert sum(g.end - g.start for g in result.segments) == n


@CASES
@given(source=ARTICLE_TEXT, target=ARTICLE_TEXT, restore=st.booleans())
def test_compare_any_text(source: str, target: str, restore: bool) -> None:
    try:
        result = compare(source, target, config=FAST, restore=restore)
    except InputError as err:
        assert "empty text" in err.problem and (blank(source) or blank(target))
        return
    _check_result(result, target)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzzdb") / "demo.db"
    demo = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"
    with Store(db) as store:
        ingest([demo / "corpus.jsonl"], store)
    return db


@CASES
@given(text=ARTICLE_TEXT, prefix=st.sampled_from(["", "Cocoa prices rose sharply. " * 5]))
def test_trace_any_text(demo_store: Path, text: str, prefix: str) -> None:
    article = prefix + text
    with Store(demo_store, create=False) as store:
        try:
            result = trace(article, store, FAST)
        except InputError as err:
            assert blank(article) and "empty text" in err.problem
            return
    _check_result(result, article)
