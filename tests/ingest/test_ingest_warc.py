"""WARC/ARC archives written with warcio: which records become documents, and damaged files."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ingest_fixtures import NEWS_PAGE, Rec, page, write_warc

from unspin.errors import InputError, InputWarning
from unspin.read import Limits, iter_inputs, read_file
from unspin.store import Store
from unspin.types import Document

PAGE_A = page("<p>Floods closed the northern railway line for two days this week.</p>", "Floods")
PAGE_B = page("<p>The harbour reopened after repairs to the old sea wall were finished.</p>")

RECORDS = [
    Rec("https://www.daily-example.com/news/bridge", NEWS_PAGE.encode()),
    Rec("https://example.org/robots.txt", b"User-agent: *", content_type="text/plain"),
    Rec("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    Rec("https://example.org/gone", PAGE_B.encode(), status="404 Not Found"),
    Rec("https://example.org/moved", b"<html>Moved</html>", status="301 Moved Permanently"),
    Rec("https://example.org/api", b'{"json": true}'),  # labelled text/html, is not markup
    Rec("https://news.example.net/floods", PAGE_A.encode(), warc_date="2019-05-06T07:08:09Z"),
    Rec("urn:note:1", b"A plain text resource.\n", rec_type="resource", content_type="text/plain"),
    Rec(
        "https://example.org/req",
        b"GET /req HTTP/1.1\r\nHost: example.org\r\n\r\n",
        rec_type="request",
        content_type="application/http; msgtype=request",
    ),
]


@pytest.mark.parametrize("compressed", [True, False])
def test_html_pages_become_documents_and_the_rest_is_skipped(
    tmp_path: Path, compressed: bool
) -> None:
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    path.write_bytes(write_warc(RECORDS, gzip=compressed))
    docs = list(read_file(path))
    assert [d.id for d in docs] == [
        "https://www.daily-example.com/news/bridge",
        "https://news.example.net/floods",
        "urn:note:1",
    ]
    bridge, floods, note = docs
    assert "The city council voted on Thursday" in bridge.text
    assert "Subscribe" not in bridge.text
    assert bridge.kind == "warc"
    assert bridge.url == "https://www.daily-example.com/news/bridge"
    assert bridge.site == "daily-example.com"
    assert bridge.date == "2021-03-04"  # from the page, not the crawl
    assert bridge.path == f"{path}#2"  # record 1 is the warcinfo record
    assert floods.text == "Floods closed the northern railway line for two days this week."
    assert floods.title == "Floods"
    assert floods.date == "2019-05-06"  # no date in the page: WARC-Date
    assert floods.path == f"{path}#8"
    assert note.text == "A plain text resource.\n"


def test_single_member_gzip_warc_is_read(tmp_path: Path) -> None:
    # warcio alone refuses a WARC gzipped as one stream; the decompression here handles it.
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(write_warc(RECORDS[:1], gzip=False)))
    assert [d.id for d in read_file(path)] == [RECORDS[0].uri]


def test_arc_files_are_read(tmp_path: Path) -> None:
    body = page("<p>An old archived page about the harbour and its fishing boats.</p>", "Old")
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body.encode()
    desc = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = b"filedesc://t.arc 0.0.0.0 20200101000000 text/plain %d\n%s\n" % (len(desc), desc)
    arc += b"http://www.example.com/old 1.2.3.4 19990102030405 text/html %d\n%s\n" % (
        len(http),
        http,
    )
    path = tmp_path / "old.arc.gz"
    path.write_bytes(gzip.compress(arc))
    (doc,) = read_file(path)
    assert doc.text == "An old archived page about the harbour and its fishing boats."
    assert doc.date == "1999-01-02"
    assert doc.site == "example.com"


def _pages(n: int) -> list[Rec]:
    return [
        Rec(
            f"https://example.org/{i}",
            page(f"<p>Story number {i} about the town fair.</p>").encode(),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("compressed", [True, False])
def test_truncated_warc_keeps_earlier_documents(tmp_path: Path, compressed: bool) -> None:
    data = write_warc(_pages(6), gzip=compressed)
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    path.write_bytes(data[: int(len(data) * 0.6)])
    results = list(iter_inputs([path]))
    docs = [r for r in results if isinstance(r, Document)]
    assert 1 <= len(docs) < 6
    assert [d.id for d in docs] == [f"https://example.org/{i}" for i in range(len(docs))]
    error = results[-1]
    assert isinstance(error, InputError) and error.path == str(path)
    assert "cut short" in error.problem
    # Records are numbered from the warcinfo record: the failing one follows the last page.
    assert f"in record {len(docs) + 2};" in error.problem


def test_corrupt_record_header(tmp_path: Path) -> None:
    data = write_warc(_pages(3), gzip=False)
    second = data.index(b"WARC/1.0", data.index(b"WARC/1.0", data.index(b"WARC/1.0") + 1) + 1)
    path = tmp_path / "bad.warc"
    path.write_bytes(data[:second] + b"GARBAGE HEADER\r\n\r\n" + data[second + 8 :])
    results = list(iter_inputs([path]))
    assert isinstance(results[0], Document)
    error = results[-1]
    assert isinstance(error, InputError)
    assert error.problem.startswith("corrupt warc data (")
    assert "in record 3; 2 records read before it" in error.problem


@pytest.mark.parametrize("length", [b"-5", b"0x10", b"12 bytes"])
def test_a_content_length_that_is_no_number_is_named(tmp_path: Path, length: bytes) -> None:
    # Before (robust35): "warc data is cut short (the file is truncated) in record 3", of a
    # file whose every byte is there.
    data = write_warc(_pages(3), gzip=False)
    second = data.index(b"WARC/1.0", data.index(b"WARC/1.0", data.index(b"WARC/1.0") + 1) + 1)
    at = data.index(b"Content-Length: ", second) + len(b"Content-Length: ")
    end = data.index(b"\r\n", at)
    path = tmp_path / "length.warc"
    path.write_bytes(data[:at] + length + data[end:])
    results = list(iter_inputs([path]))
    assert [type(r) for r in results] == [Document, InputError]  # warcinfo, a page, this
    assert str(results[-1]) == (
        f"{path}: Content-Length {length.decode()!r} is not a number of bytes (where the record "
        "ends is unknown) in record 3; 2 records read before it"
    )


def test_gzip_bomb_stops_at_the_decompression_limit(tmp_path: Path) -> None:
    huge = page("<p>" + "spam " * 2_000_000 + "</p>").encode()  # about 10 MB, compresses ~1000x
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(write_warc([*_pages(1), Rec("https://bomb.example/", huge)], gzip=True))
    assert path.stat().st_size < 100_000
    results = list(iter_inputs([path], Limits(max_decompressed_bytes=1024 * 1024)))
    assert isinstance(results[0], Document)  # the page before the bomb is kept
    error = results[-1]
    assert isinstance(error, InputError)
    assert error.problem.startswith("decompressed data exceeds the 1.0 MiB limit")
    assert "unspin ingest --max-decompressed-mb raises it" in error.problem
    assert "decompression bomb" in error.problem


def test_record_payload_over_limit_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    big = page("<p>" + "word " * 5000 + "</p>").encode()
    records = [Rec("https://example.org/big", big), *_pages(1)]
    path = tmp_path / "big.warc.gz"
    path.write_bytes(write_warc(records, gzip=True))
    error, doc = iter_inputs([path], Limits(max_file_bytes=10_000))
    assert isinstance(error, InputError) and error.path == f"{path}#2"
    assert error.problem.startswith("record payload exceeds the 9.8 KiB limit")
    assert isinstance(doc, Document) and doc.id == "https://example.org/0"


def test_page_without_text_is_an_error_for_that_record(tmp_path: Path) -> None:
    records = [Rec("https://example.org/blank", b"<html><body></body></html>"), *_pages(1)]
    path = tmp_path / "blank.warc"
    path.write_bytes(write_warc(records, gzip=False))
    error, doc = iter_inputs([path])
    assert isinstance(error, InputError)
    assert str(error) == f"{path}#2: no text found in html page https://example.org/blank"
    assert isinstance(doc, Document)


def test_max_records_per_file(tmp_path: Path) -> None:
    path = tmp_path / "many.warc"
    path.write_bytes(write_warc(_pages(5), gzip=False))
    results = list(iter_inputs([path], Limits(max_records_per_file=3)))
    assert [r.id for r in results if isinstance(r, Document)] == [
        "https://example.org/0",
        "https://example.org/1",
    ]
    assert isinstance(results[-1], InputError)
    assert results[-1].problem.startswith("more than 3 records, stopped at record 4")


def test_gzip_inside_gzip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "double.warc.gz"
    path.write_bytes(gzip.compress(write_warc(_pages(1), gzip=True)))
    with pytest.raises(InputError, match="gzip data inside gzip data"):
        list(read_file(path))


def test_every_cut_point_gives_a_prefix_and_an_error(tmp_path: Path) -> None:
    pages = _pages(2)
    data = write_warc(pages, gzip=False)
    starts = [i for i in range(len(data)) if data.startswith(b"WARC/1.0\r\n", i)] + [len(data)]
    path = tmp_path / "cut.warc"
    for cut in range(1, len(data), 13):
        path.write_bytes(data[:cut])
        results = list(iter_inputs([path]))
        docs = [r.id for r in results if isinstance(r, Document)]
        assert docs == [p.uri for p in pages[: len(docs)]], cut
        errors = [r for r in results if isinstance(r, InputError)]
        next_start = min(s for s in starts if s >= cut)
        # Only a cut in the blank lines after a whole record leaves a valid (shorter) archive.
        complete = not data[cut:next_start].strip(b"\r\n")
        assert len(errors) == (0 if complete else 1), (cut, errors)


# -- header lines: bounded before warcio parses them (issue 24 item 4) -----------------------


def _resource(headers: bytes, body: bytes) -> bytes:
    return (
        (
            b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: urn:x\r\n"
            b"Content-Type: text/plain\r\n" + headers + b"Content-Length: %d\r\n\r\n" % len(body)
        )
        + body
        + b"\r\n\r\n"
    )


def test_an_over_long_header_line_ends_the_archive_with_one_error(tmp_path: Path) -> None:
    path = tmp_path / "long-header.warc.gz"
    good = _resource(b"", b"A plain text resource.\n")
    path.write_bytes(
        gzip.compress(good)
        + gzip.compress(_resource(b"X-Big: " + b"a" * 70_000 + b"\r\n", b"never read"))
    )
    doc, error = iter_inputs([path], Limits(max_header_line_bytes=64 * 1024))
    assert isinstance(doc, Document) and doc.text == "A plain text resource.\n"
    assert isinstance(error, InputError) and error.path == str(path)
    assert error.problem == (
        "corrupt warc data (a header line is longer than 64.0 KiB; real ones are a few KiB) "
        "in record 2; 1 record read before it"
    )
    # A long header line under the limit (a big cookie) is read as usual.
    path.write_bytes(
        gzip.compress(_resource(b"Set-Cookie: " + b"c" * 60_000 + b"\r\n", b"Kept.\n"))
    )
    (doc,) = iter_inputs([path], Limits(max_header_line_bytes=64 * 1024))
    assert isinstance(doc, Document) and doc.text == "Kept.\n"


def test_header_lines_adding_up_past_twice_the_line_limit_end_the_archive(
    tmp_path: Path,
) -> None:
    """Before (robust36): the number of header lines had no bound, and warcio keeps each: a
    23 MB archive of one response with two million short header lines took 463 MB and 13 s
    (a 1 GB one, all the memory). Now the header lines read between two reads of data add up
    to twice the line limit at most; many ordinary header lines under it are read."""
    path = tmp_path / "many-headers.warc"
    many = b"".join(b"X-%d: a\r\n" % i for i in range(20_000))  # 208 KiB of header lines
    path.write_bytes(_resource(b"", b"A plain text resource.\n") + _resource(many, b"never read"))
    doc, error = iter_inputs([path], Limits(max_header_line_bytes=64 * 1024))
    assert isinstance(doc, Document) and doc.text == "A plain text resource.\n"
    assert isinstance(error, InputError) and error.problem == (
        "corrupt warc data (a record's header lines add up to more than 128.0 KiB; real ones "
        "are a few KiB) in record 2; 1 record read before it"
    )
    path.write_bytes(_resource(many[: 100 * 1024], b"Kept.\n"))  # under it: read
    (doc,) = iter_inputs([path], Limits(max_header_line_bytes=64 * 1024))
    assert isinstance(doc, Document) and doc.text == "Kept.\n"


def test_stray_nuls_in_a_text_resource_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "nul.warc"
    path.write_bytes(_resource(b"", b"A plain\x00 text resource.\n"))
    warning, doc = iter_inputs([path])
    assert isinstance(warning, InputWarning) and warning.path == f"{path}#1"
    assert isinstance(doc, Document) and doc.text == "A plain text resource.\n"


def test_data_that_is_no_archive_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"hello world, this is not a web archive\r\n\r\n")
    error = list(iter_inputs([path]))[-1]
    assert isinstance(error, InputError)
    assert error.problem == "not a WARC or ARC archive (it does not start with 'WARC/')"


def test_a_response_without_an_http_status_line_is_a_header_problem(tmp_path: Path) -> None:
    # warcio trips over it with "'NoneType' object has no attribute 'startswith'".
    path = tmp_path / "nostatus.warc"
    path.write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: 20\r\n\r\n"
        b"HTTP/1.1\r\n\r\nabcdefgh\r\n\r\n"
    )
    error = list(iter_inputs([path]))[-1]
    assert isinstance(error, InputError)
    assert error.problem == (
        "corrupt warc data (a record's WARC or HTTP headers cannot be parsed) in record 1;"
        " 0 records read before it"
    )


STORIES = [
    "Cocoa prices rose sharply in London on Tuesday after the council met again.",
    "Wheat exports from Kansas fell for a third week as buyers stayed away.",
    "Copper prices in Chile climbed to a two-year high on Wednesday.",
]


def test_a_record_whose_length_is_short_is_a_warning_naming_it(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Before: warcio wrote a three-line "WARNING: Record not followed by newline" (with the
    raw bytes left over) to standard error, naming no file, counted in no summary."""
    records = [
        Rec(f"http://example.com/{i}", page(f"<p>{t}</p>").encode()) for i, t in enumerate(STORIES)
    ]
    data = write_warc(records, gzip=False)
    # The first story's record (the second record, after warcinfo) claims 20 bytes too few.
    at = data.index(b"Content-Length: ", data.index(b"http://example.com/0")) + 16
    end = data.index(b"\r\n", at)
    data = data[:at] + str(int(data[at:end]) - 20).encode() + data[end:]
    path = tmp_path / "short.warc"
    path.write_bytes(data)
    items = list(iter_inputs([path]))
    warnings = [str(i) for i in items if isinstance(i, InputWarning)]
    assert warnings == [
        f"{path}#2: the record is followed by data where blank lines should end it (its "
        "Content-Length may be wrong); read on from the next record"
    ]
    assert [d.url for d in items if isinstance(d, Document)] == [
        f"http://example.com/{i}" for i in range(3)
    ]
    assert capfd.readouterr().err == ""


def test_a_target_uri_with_spaces_is_read_without_a_stray_line(tmp_path: Path) -> None:
    """Before: ``unspin ingest`` printed "Replacing spaces in invalid WARC-Target-URI: ..."
    bare (warcio's logger, handled by nobody). A real process: pytest handles all logging."""
    page_bytes = page(f"<p>{STORIES[0]}</p>").encode()
    path = tmp_path / "spaces.warc"
    path.write_bytes(write_warc([Rec("http://example.com/a b", page_bytes)], gzip=False))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    db = tmp_path / "s.db"
    done = subprocess.run(
        [sys.executable, "-m", "unspin", "ingest", str(path), "--db", str(db), "-q"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    with Store(db) as store:
        (stored,) = [d for d, _ in store.iter_documents()]
    assert stored.url == "http://example.com/a%20b"


def test_control_characters_in_a_target_uri_are_percent_encoded(tmp_path: Path) -> None:
    # Before (robust35): a NUL in a WARC-Target-URI went into the document's id and URL as it
    # was ("http://example.com/a\x00b", shown as "a b", read by SQLite as "a").
    page_bytes = page(f"<p>{STORIES[0]}</p>").encode()
    path = tmp_path / "nul.warc"
    uris = ["http://example.com/a\x00b\x1b", "http://example.com/ok"]
    path.write_bytes(write_warc([Rec(u, page_bytes) for u in uris], gzip=False))
    docs = list(read_file(path))
    assert [(d.id, d.url) for d in docs] == [
        ("http://example.com/a%00b%1B", "http://example.com/a%00b%1B"),
        ("http://example.com/ok", "http://example.com/ok"),
    ]


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (
            "Türkiye'nin başkenti Ankara'da bugün yoğun kar yağışı nedeniyle okullar tatil "
            "edildi. Valilik, şehir içi ulaşımda aksaklıklar yaşandığını açıkladı.",
            "windows-1254",
        ),
        (
            "Lietuvos sostinėje Vilniuje šiandien prasidėjo tarptautinė knygų mugė. Renginyje "
            "dalyvauja daugiau nei trys šimtai leidėjų iš dvidešimties šalių.",
            "windows-1257",
        ),
        (
            "Władze Krakowa ogłosiły, że od przyszłego miesiąca w centrum miasta obowiązywać "
            "będzie strefa czystego transportu. Kierowcy zapłacą wysokie kary.",
            "iso-8859-2",
        ),
    ],
)
def test_a_response_is_decoded_in_the_charset_its_server_sent(
    tmp_path: Path, text: str, charset: str
) -> None:
    # The page itself declares nothing: its server said the charset in the HTTP header only,
    # as many did before UTF-8. Before: guessed, "baþkenti", "sostinëje", "W³adze".
    markup = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>"
    rec = Rec(
        "http://news.example.com/a",
        markup.encode(charset),
        content_type=f"text/html; charset={charset}",
    )
    path = tmp_path / "legacy.warc"
    path.write_bytes(write_warc([rec], gzip=False))
    (doc,) = [d for d in read_file(path) if isinstance(d, Document)]
    assert doc.text == text


def _responses(responses: list[tuple[str, list[tuple[str, str]], bytes]]) -> bytes:
    """A WARC file of HTTP responses ``(uri, headers, body)``, each body written as given
    (compressed or chunked as its headers say), as a crawler that keeps raw responses does."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for uri, headers, body in responses:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=http, length=len(body)
        )
        writer.write_record(record)
    return buf.getvalue()


def test_a_page_compressed_in_a_way_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    # Browsers ask for brotli and zstd, and crawls that keep the raw response keep them so.
    # Before: warcio passed such a body on still compressed, which is no markup, and the page
    # was skipped as if it were an image, without a word (exit 0, nothing stored).
    import importlib.util

    html = ("Content-Type", "text/html; charset=utf-8")
    responses = [
        (
            "https://enc.example.com/gzip",
            [html, ("Content-Encoding", "gzip")],
            gzip.compress(PAGE_A.encode()),
        ),
        (
            "https://enc.example.com/zstd",
            [html, ("Content-Encoding", "zstd")],
            b"\x28\xb5\x2f\xfd zstd frame",
        ),
    ]
    no_brotli = importlib.util.find_spec("brotli") is None  # with it, warcio reads brotli
    if no_brotli:
        responses.append(
            (
                "https://enc.example.com/br",
                [html, ("Content-Encoding", "br")],
                b"\x1b\x4f\x00\xf8 brotli stream",
            )
        )
    path = tmp_path / "crawl.warc"
    path.write_bytes(_responses(responses))
    items = list(iter_inputs([path]))
    assert [d.url for d in items if isinstance(d, Document)] == ["https://enc.example.com/gzip"]
    expected = [
        f"{path}#2: the page is compressed as 'zstd' (its Content-Encoding), which cannot be "
        "read here"
    ]
    if no_brotli:
        expected.append(
            f"{path}#3: the page is compressed as 'br' (its Content-Encoding), which cannot be "
            "read here; install the brotli package to read it"
        )
    assert [str(e) for e in items if isinstance(e, InputError)] == expected


def test_a_common_crawl_wet_file_is_read_as_text(tmp_path: Path) -> None:
    # WET files (Common Crawl's extracted text: 'conversion' records, text/plain) are the
    # usual way to get news text out of a crawl. Before: "0 documents added ... 0 inputs
    # failed", exit 0, every record skipped as if it were a request.
    records = [
        Rec(
            "https://www.example-news.com/2024/03/05/floods",
            b"Floods in Porto\nHeavy rain flooded the old town of Porto overnight.",
            rec_type="conversion",
            content_type="text/plain",
            warc_date="2024-03-05T10:11:12Z",
        ),
        Rec(
            "https://blog.example.org/porto",
            "Porto sous l'eau\nDe fortes pluies ont inondé la vieille ville.".encode(),
            rec_type="conversion",
            content_type="text/plain",
        ),
    ]
    path = tmp_path / "CC-MAIN-x.warc.wet.gz"
    path.write_bytes(write_warc(records, gzip=True))
    docs = [d for d in iter_inputs([path]) if isinstance(d, Document)]
    assert [(d.id, d.site, d.path) for d in docs] == [
        ("https://www.example-news.com/2024/03/05/floods", "example-news.com", f"{path}#2"),
        ("https://blog.example.org/porto", "example.org", f"{path}#3"),
    ]
    assert docs[0].text.startswith("Floods in Porto\nHeavy rain") and docs[0].date == "2024-03-05"
    assert docs[1].text.endswith("inondé la vieille ville.")


def test_an_archive_without_a_page_says_so_once(tmp_path: Path) -> None:
    # A crawl of images, or requests alone, or a WAT file: before, nothing was stored and
    # nothing said (exit 0).
    records = [r for r in RECORDS if r.rec_type == "request" or "png" in r.uri]
    path = tmp_path / "images.warc"
    path.write_bytes(write_warc(records, gzip=False))
    items = list(iter_inputs([path]))
    assert [str(i) for i in items] == [
        f"{path}: none of its 3 records is a page or a text (documents come from HTML "
        "responses and HTML or plain-text resource and conversion records); nothing read"
    ]
    assert isinstance(items[0], InputWarning)


@pytest.mark.parametrize("data", [b"", gzip.compress(b"")], ids=["empty", "gzip-of-nothing"])
def test_an_empty_archive_says_so(tmp_path: Path, data: bytes) -> None:
    # Before (robust35): nothing read and nothing said, "0 inputs failed", exit 0.
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    items = list(iter_inputs([path]))
    assert [str(i) for i in items] == [f"{path}: holds no records (an empty archive); nothing read"]
    assert isinstance(items[0], InputWarning)


STORY = (
    "The port workers of Santos walked out on Monday over pay, halting coffee exports for the "
    "third time this year, union leaders said."
)


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("utf-16", "text/html"),
        ("utf-16", "text/html; charset=utf-16"),
        ("utf-16-be", "text/html; charset=utf-16be"),
        ("utf-32", "text/html"),
    ],
)
def test_a_page_in_utf16_or_utf32_is_read(tmp_path: Path, encoding: str, content_type: str) -> None:
    # Before (robust31): skipped as no page ("none of its 2 records is a page or a text"):
    # its first bytes, a byte-order mark and "<\x00", did not open with a tag.
    payload = page(f"<p>{STORY}</p>").encode(encoding)
    if encoding == "utf-16-be":
        payload = b"\xfe\xff" + payload
    path = tmp_path / "wide.warc"
    path.write_bytes(
        write_warc([Rec("http://a.example/1", payload, content_type=content_type)], gzip=False)
    )
    (doc,) = [d for d in read_file(path) if isinstance(d, Document)]
    assert doc.text == STORY


def test_a_page_saved_by_a_browser_is_sniffed_as_html(tmp_path: Path) -> None:
    # Before (robust31): with no Content-Type, only "<!doctype html" or "<html" opened a page,
    # so one that a browser saved ("<!-- saved from url=... -->" first) was no page.
    payload = f"<!-- saved from url=(0024)http://a.example/ -->{page(f'<p>{STORY}</p>')}"
    path = tmp_path / "saved.warc"
    path.write_bytes(
        write_warc([Rec("http://a.example/1", payload.encode(), content_type="")], gzip=False)
    )
    (doc,) = [d for d in read_file(path) if isinstance(d, Document)]
    assert doc.text == STORY


def test_a_fetch_date_after_today_dates_no_page(tmp_path: Path) -> None:
    # Before (robust31): a WARC-Date of 2999 (a crawler's clock set wrong) was stored as the
    # page's date, after every real one, as no publication date may be (unspin.dates).
    recs = [
        Rec(
            "http://a.example/1", page(f"<p>{STORY}</p>").encode(), warc_date="2999-01-01T00:00:00Z"
        ),
        Rec(
            "http://a.example/2",
            page(f"<p>{STORY} More.</p>").encode(),
            warc_date="2021-03-04T10:00:00Z",
        ),
    ]
    path = tmp_path / "dated.warc"
    path.write_bytes(write_warc(recs, gzip=False))
    late, fine = [d for d in read_file(path) if isinstance(d, Document)]
    assert late.date is None and fine.date == "2021-03-04"
    assert [w.message for w in late.warnings] == [
        "WARC-Date is after today: '2999-01-01T00:00:00Z'"
    ]
    assert fine.warnings == ()


def _chunked(body: bytes, size: int = 50) -> bytes:
    """``body`` in the chunked transfer encoding, ``size`` bytes a chunk."""
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def test_a_chunked_body_that_breaks_or_ends_early_is_named(tmp_path: Path) -> None:
    """Before: warcio read on without a word where the chunks broke. Garbage after a chunk
    put the chunk sizes into the stored text ("the nortrn 32 railway"), and a body ending
    inside a chunk (or without the last, empty one) was stored as if whole. Now a broken
    body costs its record an error, one that ends early is read with a warning; a body not
    chunked from its first line (a crawler that stored it decoded) and trailer fields after
    the last chunk are read as before, without a word."""
    body = page("<p>Floods closed the northern railway line for two days, officials said.</p>")
    good = _chunked(body.encode())
    bodies = {
        "good": good,
        "broken": good[:60] + b"XYZ\r\n" + good[60:],
        "inside": good[: 2 * len(b"32\r\n" + 50 * b"x" + b"\r\n") + 20],  # in chunk 3
        "unended": good[: -len(b"0\r\n\r\n")],
        "decoded": body.encode(),
        "trailer": good[:-2] + b"X-Checksum: 1\r\n\r\n",
        "claims": b"ffffffff\r\n" + body.encode(),  # a chunk of 4 GiB over a few bytes
        "gzip": _chunked(gzip.compress(body.encode()), 40),
    }
    chunked = ("Transfer-Encoding", "chunked")
    responses = [
        (f"https://c.example.com/{name}", [("Content-Type", "text/html"), chunked], data)
        for name, data in bodies.items()
    ]
    responses[-1][1].append(("Content-Encoding", "gzip"))  # the last: gzip
    # Header values are case-insensitive: "Chunked" was read with its chunk sizes, no markup,
    # and the page skipped without a word (robust36).
    responses.append(("https://c.example.com/capital", [("Transfer-Encoding", "Chunked")], good))
    path = tmp_path / "chunked.warc"
    path.write_bytes(_responses(responses))
    items = list(iter_inputs([path]))
    docs = {d.url.rsplit("/", 1)[1]: d.text for d in items if isinstance(d, Document) and d.url}
    whole = "Floods closed the northern railway line for two days, officials said."
    inside = docs.pop("inside")
    assert inside == whole[: len(inside)] != whole  # cut short, not garbled
    assert docs == {
        name: whole
        for name in ("good", "unended", "decoded", "trailer", "claims", "gzip", "capital")
    }
    cut = "the response was cut short, so the page may be incomplete; read as it stands"
    assert [str(i) for i in items if isinstance(i, InputError | InputWarning)] == [
        f"{path}#2: its chunked transfer encoding breaks after chunk 1 (a chunk's size line "
        "or its end is wrong), which would put the chunk sizes into the text; the page is not "
        "read",
        f"{path}#3: its chunked body ends inside chunk 3: {cut}",
        f"{path}#4: its chunked body ends after chunk {-(-len(body) // 50)} without the last, "
        f"empty chunk: {cut}",
        f"{path}#7: its chunked body ends inside chunk 1: {cut}",
    ]


def test_a_page_whose_target_uri_is_longer_than_any_real_one_is_refused(tmp_path: Path) -> None:
    """Before (robust36): a WARC-Target-URI of up to a MiB (the header line limit) became the
    page's id and URL, named whole in every report. Now the record is refused, the others
    read."""
    long_uri = "https://example.com/" + "a" * 9_000
    records = [Rec(long_uri, PAGE_A.encode()), Rec("https://example.com/b", PAGE_B.encode())]
    path = tmp_path / "long.warc"
    path.write_bytes(write_warc(records, gzip=False))
    items = list(iter_inputs([path]))
    assert [d.url for d in items if isinstance(d, Document)] == ["https://example.com/b"]
    assert [str(e) for e in items if isinstance(e, InputError)] == [
        f"{path}#2: field 'WARC-Target-URI' is 9,020 characters, over the 8,192 it may have "
        "(a name or a line, not a text)"
    ]


def test_a_chunk_past_the_payload_limit_is_not_read_into_memory(tmp_path: Path) -> None:
    """Before (robust36): warcio read a whole chunk into memory whatever the payload limit:
    one chunk of 200 MB took 450 MB with a limit of 1 MiB (and a chunk may be 2 GiB, of zeros,
    a few MB of a gzip archive). Now a chunk that would take the body past twice the limit is
    not read: the record is over the limit, as it was, the next one read."""
    import tracemalloc

    size = 8 * 2**20
    page_bytes = b"<html><body><p>" + b"a" * (size - 15)
    big = b"%x\r\n%s\r\n0\r\n\r\n" % (size, page_bytes)
    chunked = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    path = tmp_path / "big.warc"
    path.write_bytes(
        _responses(
            [
                ("https://big.example.com/", chunked, big),
                ("https://c.example.com/", chunked, _chunked(PAGE_A.encode())),
            ]
        )
    )
    del big, page_bytes
    small = tmp_path / "small.warc"  # read first: the modules a page needs are imported
    small.write_bytes(_responses([("https://c.example.com/", chunked, PAGE_A.encode())]))
    assert len(list(iter_inputs([small]))) == 1
    tracemalloc.start()
    try:
        items = list(iter_inputs([path], limits=Limits(max_file_bytes=64 * 1024)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(e) for e in items if isinstance(e, InputError)] == [
        f"{path}#1: record payload exceeds the 64.0 KiB limit (unspin ingest --max-mb raises it)"
    ]
    assert [d.url for d in items if isinstance(d, Document)] == ["https://c.example.com/"]
    assert peak < size // 2, peak  # the 8 MiB chunk was never held (before: over 16 MiB)


@pytest.mark.parametrize("change", ["renamed", "removed", "reads on"])
def test_a_warcio_whose_chunk_reader_changed_costs_each_chunked_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The chunk checks above override warcio's private ``ChunkedDataReader._try_decode``
    (warcio is required as ``>=1.7``, with no upper bound). A warcio that renamed it (its
    ``_fillbuff`` calling the method by another name), removed it, or read broken chunks on
    as before would have had every chunked body read without those checks, without a word.
    Now a self-test finds it once, and each chunked record is an error naming the warcio
    version; a body that is not chunked reads as ever."""
    from warcio.bufferedreaders import ChunkedDataException, ChunkedDataReader

    from unspin.read import warc

    original = ChunkedDataReader._try_decode
    if change == "renamed":  # _fillbuff calls warcio's own method, never the override
        fill = ChunkedDataReader._fillbuff

        def renamed(self: Any, block_size: int | None = None) -> Any:
            self._try_decode = lambda line: original(self, line)  # the override unreached
            return fill(self, block_size)

        monkeypatch.setattr(ChunkedDataReader, "_fillbuff", renamed)
    elif change == "removed":
        monkeypatch.delattr(ChunkedDataReader, "_try_decode")
    else:  # broken chunks read on: the override sees no ChunkedDataException

        def reads_on(self: Any, line: bytes) -> None:
            try:
                original(self, line)
            except ChunkedDataException as exc:
                self._process_read(line + exc.data)
                self.not_chunked = True

        monkeypatch.setattr(ChunkedDataReader, "_try_decode", reads_on)
    _clear = getattr(warc, "dechunker_works", None)  # (absent up to robust36)
    if _clear is not None:
        _clear.cache_clear()
    body = page("<p>Floods closed the northern railway line for two days, officials said.</p>")
    chunked = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    path = tmp_path / "chunked.warc"
    path.write_bytes(
        _responses(
            [
                ("https://c.example.com/chunked", chunked, _chunked(body.encode())),
                ("https://c.example.com/plain", [("Content-Type", "text/html")], body.encode()),
            ]
        )
    )
    items = list(iter_inputs([path]))
    assert [d.url for d in items if isinstance(d, Document)] == ["https://c.example.com/plain"]
    (error,) = (str(i) for i in items if isinstance(i, InputError))
    assert error.startswith(f"{path}#1: its body is chunked, and warcio ")
    assert error.endswith("install a warcio that unspin supports (1.7 to 1.8)")
    monkeypatch.undo()
    warc.dechunker_works.cache_clear()
    assert warc.dechunker_works()  # this warcio
