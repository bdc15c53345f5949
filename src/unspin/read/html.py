"""HTML pages: main text, title and URL with trafilatura, publication date with htmldate.

Provenance needs the article, not the menus around it, so boilerplate removal comes first;
but a short news brief must not vanish, so extraction favours recall and falls back to
trafilatura's simpler renderings of the page before giving up.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import htmldate
import trafilatura

from ..errors import InputError
from ..types import Document
from .bounded import check_markup, run_bounded
from .legacy import codec_name, guesses, is_web, most_words_first, no_text_s, sample_of
from .limits import Limits, check_document
from .meta import iso_date, site_of
from .page_date import stated
from .shallow import shallow

log = logging.getLogger(__name__)

# Pages may describe events long before the web; htmldate's default floor (1995) would drop
# the dates of archived wire copy such as Reuters-21578 (1987).
_MIN_DATE = "1900-01-01"


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a page yields: its main text and whatever metadata it states."""

    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None


def as_markup(data: bytes | str, charset: str | None = None) -> bytes | str:
    """The page as ``str``: UTF-8 when it is that, else see :func:`_legacy_markup`.

    Decoding valid UTF-8 here avoids trafilatura's charset guess, which can misread UTF-8
    pages that declare nothing. ``charset`` is the one the server sent with the page (the
    ``Content-Type`` header of a WARC response): it comes before the page's own ``<meta>``,
    as in a browser.

    >>> page = "<p>Ankara'da yoğun kar yağışı başladı.</p>".encode("cp1254")
    >>> as_markup(page, "iso-8859-9")
    "<p>Ankara'da yoğun kar yağışı başladı.</p>"
    """
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _legacy_markup(data, charset)


# Where a page declares its charset (<meta charset=...>, or http-equiv's content=...), in
# the first bytes, as a browser's prescan looks for it.
_DECLARED = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 4096


def _legacy_markup(data: bytes, charset: str | None = None) -> bytes | str:
    """A page that is not UTF-8, decoded in the first of these that charset_normalizer finds
    plausible and that decodes it whole: the charset the server sent (``charset``) or else
    the one the page declares, each read as browsers read it (:func:`_as_browsers_read`);
    cp1252, as unspin reads a legacy text file, when it fits the page's words as well as the
    best guess does (charset_normalizer's coherence); the best guess. Where the page and its
    server declare nothing, the guess that reads the most of its words as words comes first
    (:func:`unspin.read.legacy.most_words_first`). Else the bytes, for trafilatura.

    Left to trafilatura (charset_normalizer's best guess alone), a French page in cp1252
    that declared nothing, or declared UTF-8 falsely, read as Baltic cp1257 ("aprčs" for
    "après"), a Spanish one as cp1250 ("Espańa"): many single-byte code pages decode the
    same bytes without a fault, and the best guess is the one of least "chaos", a tie here.
    """
    sample = sample_of(data)
    # Only encodings a browser may read: charset_normalizer also offers DOS and other code
    # pages no web page is written in.
    offered = guesses(sample)
    # Nor a reading no text is written in (:func:`unspin.read.legacy.no_text_s`).
    matches = [m for m in offered if is_web(m.encoding) and not no_text_s(m)]
    fit = {codec_name(m.encoding): m.coherence for m in matches}
    found = _DECLARED.search(data[:_PRESCAN_BYTES])
    labels = [charset, found.group(1).decode("ascii") if found else None]
    declared = [codec_name(label) for label in labels if label]
    # Plausible when charset_normalizer offers the declared code page or the Windows page
    # that extends it (it offers latin_1, not cp1252, for a German page labelled ISO-8859-1).
    preferred = [
        _as_browsers_read(c)
        for c in declared
        if c is not None and (c in fit or _as_browsers_read(c) in fit)
    ]
    guessed = [c for c in fit if c is not None]
    if matches and fit.get("cp1252", -1.0) >= matches[0].coherence:
        guessed.insert(0, "cp1252")
    guessed.append("cp1252")  # when no guess decodes the page, as a legacy text file is read
    if not preferred:
        # An undeclared Turkish page in windows-1254 was read as cp1252 ("yoðun"), an English
        # one in Mac Roman as mac_iceland ("na•ve"): the reading that makes words first.
        guessed = most_words_first(sample, guessed, offered)
    for codec in dict.fromkeys([*preferred, *guessed]):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data


# The Windows code pages, each a superset of at most one ISO code page.
_WINDOWS_PAGES = tuple(f"cp{n}" for n in (874, *range(1250, 1259)))


@functools.cache
def _as_browsers_read(codec: str) -> str:
    """The Windows code page that extends ``codec`` (the same character for every byte from
    0xA0 up that ``codec`` defines), when exactly one does; else ``codec``.

    Browsers read a page labelled ISO-8859-1 as windows-1252, ISO-8859-9 as windows-1254
    and ISO-8859-11 as windows-874 (the WHATWG Encoding Standard), because such pages are
    written in the Windows code page: read in the ISO one, their quotation marks, dashes and
    ellipses (bytes 0x80 to 0x9F) were invisible control characters, and the text lost them
    ("„Das Gute“" read as "Das Gute" on a real German page). The pairs are found from
    Python's codecs, not listed.

    >>> _as_browsers_read("iso8859-1"), _as_browsers_read("iso8859-9"), _as_browsers_read("iso8859-2")
    ('cp1252', 'cp1254', 'iso8859-2')
    """
    defined: list[tuple[bytes, str]] = []
    for byte in range(0xA0, 0x100):
        try:
            defined.append((bytes([byte]), bytes([byte]).decode(codec)))
        except UnicodeDecodeError:
            continue
    if not defined:  # ASCII: every code page extends it, none in particular
        return codec
    extending = []
    for page in _WINDOWS_PAGES:
        try:
            if all(b.decode(page) == char for b, char in defined):
                extending.append(page)
        except UnicodeDecodeError:
            continue
    return extending[0] if len(extending) == 1 and extending[0] != codec else codec


def _main_text(markup: bytes | str, url: str | None) -> tuple[str, Any]:
    """The page's main text with trafilatura, falling back to its baseline; and the metadata.

    trafilatura refuses a page of one block without ``<html>`` (``<p>...</p>`` alone,
    ``<body>...</body>``) as not HTML at all and reads nothing; wrapped in ``<html><body>``,
    its text is read. Text nested deeper than libxml2 builds a tree (255 elements; 2,048 with
    lxml's ``huge_tree``, whose parser was used here up to robust30, so text 5,000 deep was
    lost) is read from the page made shallow (:func:`shallow`).
    """
    text, found = _extracted(markup, url)
    if not text.strip() and isinstance(markup, str) and _refused(markup):
        # A title goes to the head: in the body it would be read as the page's text (a page
        # of a title alone has none).
        titles = "".join(m.group() for m in _TITLE.finditer(markup))
        body = _TITLE.sub("", markup)
        text, found = _extracted(f"<html><head>{titles}</head><body>{body}</body></html>", url)
    if not text.strip() and isinstance(markup, str) and markup.count("<") >= LIBXML2_DEPTH:
        text, found = _extracted(shallow(markup, _SHALLOW_DEPTH), url)
    return text, found


# How deep libxml2 builds a tree by default: a page with fewer tags cannot be that deep (and a
# page that is not markup is never parsed again).
LIBXML2_DEPTH = 255
# How deep a page made shallow (:func:`shallow`) keeps its elements: less than libxml2's
# depth, so that trafilatura's own parser builds the whole tree.
_SHALLOW_DEPTH = 200


_TITLE = re.compile(r"<title\b[^>]*>.*?</title\s*>", re.IGNORECASE | re.DOTALL)


def _refused(markup: str) -> bool:
    """Whether trafilatura takes ``markup`` for something other than HTML."""
    try:
        return trafilatura.load_html(markup) is None
    except Exception:  # third-party parser; a failure is a refusal
        return True


def _extracted(markup: bytes | str, url: str | None) -> tuple[str, Any]:
    found: Any = None
    try:
        found = trafilatura.bare_extraction(
            markup,
            url=url,
            favor_recall=True,
            include_comments=False,  # reader comments are not the article
            with_metadata=True,
        )
    except Exception as exc:  # third-party parser: any failure means "try the fallback"
        log.debug("trafilatura failed on %s: %r", url, exc)
    text = (getattr(found, "text", None) or "") if found is not None else ""
    if not text.strip():
        try:
            text = trafilatura.baseline(markup)[1] or ""
        except Exception as exc:  # same reason as above
            log.debug("trafilatura baseline failed on %s: %r", url, exc)
            text = ""
    return text, found


def _page_date(markup: bytes | str, url: str | None) -> str | None:
    """The page's publication date (original, not last-modified) or None: ``YYYY-MM-DD``, or
    ``YYYY-MM`` / ``YYYY`` where the page states no more (htmldate fills in a day)."""
    try:
        found = htmldate.find_date(markup, url=url, original_date=True, min_date=_MIN_DATE)
    except Exception as exc:  # htmldate on broken markup: no date rather than no document
        log.debug("htmldate failed on %s: %r", url, exc)
        return None
    day = iso_date(found) if found else None
    return stated(day, markup, url) if day else None


def _title(markup: bytes | str) -> str | None:
    """The ``<title>`` of a page, for when trafilatura found no metadata."""
    try:
        tree = trafilatura.load_html(markup)
    except Exception:  # third-party parser; a missing title is not an error
        return None
    if tree is None:
        return None
    title = " ".join((tree.findtext(".//title") or "").split())
    return title or None


def extract_html(data: bytes | str, url: str | None = None) -> Extracted | None:
    """Extract the main text and metadata of one HTML page; None when it holds no text.

    ``url`` is where the page came from (a WARC record's target URI); when given it wins over
    the canonical URL the page declares, since it is what was actually fetched.
    """
    markup = as_markup(data)
    text, found = _main_text(markup, url)
    if not text.strip():
        return None
    title = getattr(found, "title", None) if found is not None else _title(markup)
    page_url = url or (getattr(found, "url", None) if found is not None else None)
    return Extracted(text=text, title=title or None, url=page_url, date=_page_date(markup, url))


def warm_up() -> None:
    """Run one small page through the extractors, so that their first-use set-up (about
    0.8 s) is done before a page's time budget starts (see ``bounded``)."""
    extract_html(
        "<html><head><title>Warm</title></head><body><article><p>Rivers rose on Monday after "
        "the storm, and the council met on 4 March 2021.</p></article></body></html>"
    )


def extract_html_bounded(
    data: bytes | str,
    url: str | None = None,
    *,
    where: str = "<html page>",
    limits: Limits | None = None,
) -> Extracted | None:
    """``extract_html`` with bounded cost, for pages from outside: the markup is pre-scanned
    (``bounded.check_markup``) and extracted in a worker process that is killed after
    ``limits.max_parse_seconds``. Raises InputError naming ``where`` when the page is refused
    or runs out of time. Safe to call from several threads at once.

    Every reader (``read_file``, ``iter_inputs``) parses HTML through this function; call it
    on pages that reach unspin some other way (an upload, a request body).

    >>> extract_html_bounded(b"<html><body><p>Rivers rise after the storm.</p></body></html>")
    Extracted(text='Rivers rise after the storm.', title=None, url=None, date=None)
    """
    limits = limits or Limits()
    check_markup(data, where, limits)
    found: Extracted | None = run_bounded(extract_html, (data, url), where, limits)
    return found


def read_html(data: bytes, shown: str, doc_id: str, limits: Limits) -> Iterator[Document]:
    """The one document of an HTML file whose bytes are ``data``."""
    page = extract_html_bounded(data, where=shown, limits=limits)
    if page is None:
        raise InputError(shown, "no text found in html page")
    check_document(page.text, shown, limits)
    yield Document(
        text=page.text,
        id=doc_id,
        title=page.title,
        url=page.url,
        date=page.date,
        site=site_of(page.url),
        path=shown,
        kind="html",
    )
