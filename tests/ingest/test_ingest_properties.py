"""Properties: any bytes give Documents or InputErrors, and text survives reading verbatim."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.errors import InputError, InputWarning
from unspin.read import Limits, iter_inputs, read_file
from unspin.read.mojibake import put_back
from unspin.types import Document, blank

EXTENSIONS = [".txt", ".md", "", ".html", ".jsonl", ".json", ".warc", ".warc.gz", ".arc.gz", ".gz"]

# Random bytes, and random bytes behind the prefixes that send them down each format's path.
PAYLOADS = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda b: gzip.compress(b), st.binary(max_size=2000)),
    st.builds(lambda b: b"WARC/1.0\r\n" + b, st.binary(max_size=2000)),
    st.builds(lambda b: b"<!doctype html><html><body>" + b, st.binary(max_size=2000)),
    st.builds(lambda b: b'{"id": 1, "text": "x"}\n' + b, st.binary(max_size=500)),
    st.builds(lambda b: gzip.compress(b"WARC/1.0\r\nContent-Length: 5\r\n" + b), st.binary()),
)
SMALL = Limits(max_file_bytes=4096, max_document_chars=1000, max_decompressed_bytes=8192)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=PAYLOADS, ext=st.sampled_from(EXTENSIONS))
def test_any_bytes_give_documents_or_input_errors(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{ext}"
        path.write_bytes(data)
        for limits in (Limits(), SMALL):
            # The strict reader may only raise InputError...
            try:
                for doc in read_file(path, limits):
                    assert isinstance(doc, Document)
                    assert not blank(doc.text)
            except InputError as err:
                assert "\n" not in str(err)
            # ...and the lenient one yields without raising, and without internal errors.
            for item in iter_inputs([path], limits):
                assert isinstance(item, Document | InputError | InputWarning)
                assert "\n" not in str(item)
                if isinstance(item, Document):
                    assert not blank(item.text) and "\x00" not in item.text
                if isinstance(item, InputError):
                    assert "internal error" not in item.problem, item


# Text a plain file keeps verbatim: no NUL/control runs (binary), no leading BOM or markup.
PLAIN_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="<\ufeff"),
        st.sampled_from("\n\r\t "),
    ),
    min_size=1,
    max_size=300,
).filter(lambda t: not blank(t))


@SETTINGS
@given(text=PLAIN_TEXT)
def test_plain_text_round_trips_verbatim(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_bytes(text.encode("utf-8"))
        (doc,) = read_file(path)
        # Verbatim, but for text garbled by a wrong decoding, which is put back (read.mojibake).
        assert doc.text == put_back(text, "doc.txt")[0]


@SETTINGS
@given(text=st.text(min_size=1, max_size=300).filter(lambda t: not blank(t)))
def test_jsonl_text_round_trips_verbatim(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "docs.jsonl"
        line = json.dumps({"id": "k", "text": text})
        path.write_text(line + "\n" + json.dumps({"id": "k2", "text": text}, ensure_ascii=False))
        docs = list(read_file(path))
        # NULs go, as every reader takes them out (with a warning: robust30), and text garbled
        # by a wrong decoding is put back (read.mojibake).
        assert [d.text for d in docs] == [put_back(text.replace("\x00", ""), "k")[0]] * 2
