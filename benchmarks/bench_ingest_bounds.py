"""What bounded parsing costs (issue 24 item 4): HTML pages read in a worker process, against
the same pages extracted in the reading process; and how long the hostile inputs now take.

Run from the repository root:

    .venv/bin/python benchmarks/bench_ingest_bounds.py [--pages 200]

It prints one JSON object:

* ``pages``: ``--pages`` demo stories, each wrapped in a news-page layout (head, navigation,
  article, footer), extracted with ``extract_html`` in this process (the baseline, what
  ingest did before) and with ``extract_html_bounded`` (pre-scan, then the worker); both
  per page, best of three rounds, after one warm-up page each.
* ``worker_start_s``: starting a worker (a fresh Python that imports and warms up the
  parsers): the cost paid once per run, and again after each page that ran out of time.
* ``attributes_100k_s``, ``header_line_200mb_s``: reading the two inputs of the issue
  (889 KB-1 MB of HTML with 100,000 attributes on one tag; a .warc.gz with one 200 MB header
  line) to their one-line error.
* ``budget_2s_s``: the 100,000-attribute page with the pre-scan lifted and a 2 s budget:
  the time until the worker is killed and the error is given.
* ``hostile_cpu_s``: CPU seconds of this process to read the hostile inputs that
  ``tests/reliability/test_reliability_fuzz.py`` checks for their outcome only (no time limit
  in tests): 20,000 nested ``<div>`` around a paragraph, PAN XML attacks (billion laughs,
  100,000 nested elements) and one 50 MB line as ``.txt``, ``.jsonl`` and ``.html``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from unspin.errors import InputError
from unspin.evaluate.pan import read_annotations
from unspin.read import Limits, extract_html, extract_html_bounded, iter_inputs
from unspin.read.bounded import _Worker

ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = ROOT / "src" / "unspin" / "data" / "demo" / "corpus.jsonl"


def news_pages(n: int) -> list[bytes]:
    """``n`` demo stories as news pages (paragraphs in an article, with boilerplate around)."""
    stories = [json.loads(line) for line in DEMO_CORPUS.read_text("utf-8").splitlines()]
    pages = []
    for story in (stories * (n // len(stories) + 1))[:n]:
        paragraphs = "".join(f"<p>{p.strip()}</p>" for p in story["text"].split("\n    "))
        pages.append(
            (
                f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{story['title']}"
                "</title></head><body><nav><a href='/'>Home</a><a href='/markets'>Markets</a>"
                f"</nav><article><h1>{story['title']}</h1>{paragraphs}</article>"
                "<footer>Subscribe to our newsletter.</footer></body></html>"
            ).encode()
        )
    return pages


def per_page(pages: list[bytes], extract: Any) -> float:
    """Seconds per page, best of three rounds (after a warm-up page)."""
    extract(pages[0])
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for page in pages:
            extract(page)
        best = min(best, (time.perf_counter() - start) / len(pages))
    return best


def timed_read(path: Path, limits: Limits) -> tuple[float, str]:
    start = time.perf_counter()
    items = list(iter_inputs([path], limits))
    return time.perf_counter() - start, "; ".join(str(i)[:120] for i in items)


def cpu_read(path: Path, read: Any) -> float:
    """CPU seconds of this process to read ``path`` to its documents or its one-line error."""
    start = time.process_time()
    with contextlib.suppress(InputError):
        list(read(path))
    return time.process_time() - start


def hostile_cpu(folder: Path) -> dict[str, float]:
    """CPU seconds for the hostile inputs of the reliability fuzz tests."""
    out = {}
    inner = "<p>The council met again on Friday to discuss the bridge and its cost.</p>"
    deep = Path(folder) / "deep.html"
    deep.write_text(f"<html><body>{'<div>' * 20_000}{inner}{'</div>' * 20_000}</body></html>")
    out["nested_div_20000"] = cpu_read(deep, lambda p: iter_inputs([p], Limits()))
    entities = "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    attacks = {
        "pan_xml_billion_laughs": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + entities
        + ']><document reference="x">&i;</document>',
        "pan_xml_deep_100000": "<document reference='x'>"
        + "<a>" * 100_000
        + "</a>" * 100_000
        + "</document>",
    }
    for name, xml in attacks.items():
        path = Path(folder) / f"{name}.xml"
        path.write_text(xml, encoding="utf-8")
        out[name] = cpu_read(path, read_annotations)
    words = b"spun text without any line break " * (50 * 1024 * 1024 // 33)
    for ext, data in (
        ("txt", words),
        ("jsonl", b'{"id": "big", "text": "' + words + b'"}'),
        ("html", b"<!doctype html><html><body><p>" + words + b"</p></body></html>"),
    ):
        path = Path(folder) / f"line.{ext}"
        path.write_bytes(data)
        out[f"line_50mb_{ext}"] = cpu_read(path, lambda p: iter_inputs([p], Limits()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    pages = news_pages(args.pages)
    out: dict[str, Any] = {
        "pages": len(pages),
        "page_kib": sum(map(len, pages)) / len(pages) / 1024,
    }
    out["in_process_ms"] = per_page(pages, extract_html) * 1000
    out["bounded_ms"] = per_page(pages, lambda p: extract_html_bounded(p)) * 1000
    out["same_output"] = all(extract_html(p) == extract_html_bounded(p) for p in pages[:50])
    start = time.perf_counter()
    worker = _Worker()
    worker.call(len, (b"",), 600)  # waits for "ready" first
    out["worker_start_s"] = time.perf_counter() - start
    worker.kill()
    with tempfile.TemporaryDirectory() as folder:
        attrs = " ".join(f'a{i}="v"' for i in range(100_000))
        page = Path(folder) / "attrs.html"
        page.write_text(f"<html><body><div {attrs}>x</div><p>Words.</p></body></html>")
        out["attributes_100k_s"], out["attributes_100k_error"] = timed_read(page, Limits())
        lifted = Limits(max_tag_attributes=10**6, max_parse_seconds=2)
        out["budget_2s_s"], out["budget_2s_error"] = timed_read(page, lifted)
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        parts = [packer.compress(b"WARC/1.0\r\nWARC-Type: resource\r\nX-Big: ")]
        parts += [packer.compress(b"a" * (1 << 20)) for _ in range(200)]
        parts.append(packer.compress(b"\r\nContent-Length: 5\r\n\r\nhello\r\n") + packer.flush())
        warc = Path(folder) / "bigline.warc.gz"
        warc.write_bytes(b"".join(parts))
        out["header_line_file_kib"] = warc.stat().st_size / 1024
        out["header_line_200mb_s"], out["header_line_error"] = timed_read(warc, Limits())
        out["hostile_cpu_s"] = hostile_cpu(Path(folder))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
