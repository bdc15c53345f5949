"""Test inputs for the ingest tests: real HTML pages, and WARC archives written with warcio."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Council approves new bridge | The Daily Example</title>
  <link rel="canonical" href="https://www.daily-example.com/news/2021/03/bridge">
  <meta property="article:published_time" content="2021-03-04T09:30:00+00:00">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  <article>
    <h1>Council approves new bridge</h1>
    <p>The city council voted on Thursday to build a new bridge across the river, ending a
    debate that had lasted for more than three years.</p>
    <p>Supporters said the crossing would cut travel times for thousands of commuters, while
    opponents warned about the cost to taxpayers and the damage to the riverside park.</p>
    <p>Construction is expected to begin next spring and to take about two years.</p>
  </article>
  <footer>Subscribe to our newsletter. Copyright The Daily Example.</footer>
</body>
</html>
"""


def page(body: str, title: str = "A page", head: str = "") -> str:
    """A small HTML page around ``body``."""
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body><article>{body}</article></body></html>"
    )


@dataclass(frozen=True)
class Rec:
    """One record to write: a WARC type, a target URI, a payload, HTTP status and type."""

    uri: str
    payload: bytes
    rec_type: str = "response"
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    warc_date: str | None = None


def write_warc(records: Sequence[Rec], gzip: bool) -> bytes:
    """A WARC file (bytes) holding ``records``, as warcio writes one."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "pytest"}))
    for rec in records:
        headers = {"WARC-Date": rec.warc_date} if rec.warc_date else None
        if rec.rec_type == "response":
            http = StatusAndHeaders(
                rec.status, [("Content-Type", rec.content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                rec.uri,
                "response",
                payload=io.BytesIO(rec.payload),
                http_headers=http,
                warc_headers_dict=headers,
            )
        else:
            record = writer.create_warc_record(
                rec.uri,
                rec.rec_type,
                payload=io.BytesIO(rec.payload),
                warc_content_type=rec.content_type,
                warc_headers_dict=headers,
            )
        writer.write_record(record)
    return buf.getvalue()
