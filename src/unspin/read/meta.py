"""Metadata shared by the readers: sites as registrable domains, dates, optional fields.

Metadata is optional: a record whose title, URL, site or date cannot be used is still
stored, without that field, and carries a :class:`~unspin.types.FieldWarning` that ingest
counts in its summary. Only the text (and a record's id) can cost a document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from ..dates import ParsedDate, parse_date, why_not_a_date
from ..types import UNPAIRED_SURROGATE, FieldWarning, field_too_long

# A label of a host name in any script: letters or digits, with hyphens (or underscores) inside.
_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_SHOWN_CHARS = 60  # of a bad value, in a warning


@lru_cache(maxsize=1)
def _suffix_list() -> Any:
    """tld's parser of the public suffix list shipped inside the package, never updated.

    tld fetches the list from publicsuffix.org when its file cannot be read; here that
    fetch is refused, so looking a site up never goes online (a missing file only means
    sites fall back to host names).
    """
    from tld.utils import MozillaTLDSourceParser

    class OfflineSuffixList(MozillaTLDSourceParser):
        uid = "unspin-offline"

        @classmethod
        def update_tld_names(cls, fail_silently: bool = False) -> bool:
            return False

    return OfflineSuffixList


def suffix_lookup(host: str, parser: Any) -> str | None:
    """tld's registrable domain of ``host`` with the suffix list of ``parser``; None when it
    finds none (or fails: without its list, tld raises TypeError even when told not to)."""
    from tld import get_fld

    try:
        found = get_fld("http://" + host, fail_silently=True, parser_class=parser)
    except Exception:  # third-party lookup; an unknown site is not an error
        return None
    return str(found) if found else None


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str | None:
    """The registrable domain of a host name (public suffix plus one label), lower case;
    the host less a leading ``www.`` when it has no public suffix (``localhost``, an IP
    address, ``www.wire.example``); None when ``host`` is not a host name.

    >>> registrable_domain("news.bbc.co.uk"), registrable_domain("WWW.BBC.CO.UK")
    ('bbc.co.uk', 'bbc.co.uk')
    >>> registrable_domain("example.blogspot.com"), registrable_domain("10.0.0.1")
    ('example.blogspot.com', '10.0.0.1')
    """
    host = host.strip().lower().rstrip(".")
    if not host or any(c in host for c in "/ @:"):
        return None
    # One site, one name: a host written in the DNS's ASCII form ("xn--bcher-kva.de") is
    # the Unicode host ("bücher.de") that people and most URLs write.
    host = ".".join(_unicode_label(label) for label in host.split("."))
    found = suffix_lookup(host, _suffix_list())
    # No public suffix (.example, .local, an intranet name): the host, as sites were before.
    return found or host.removeprefix("www.")


def _unicode_label(label: str) -> str:
    """A host name label in Unicode: ``xn--`` labels decoded, others (and a label that is
    not valid Punycode) as they are.

    >>> _unicode_label("xn--bcher-kva"), _unicode_label("xn--zz"), _unicode_label("news")
    ('bücher', 'xn--zz', 'news')
    """
    if not label.startswith("xn--"):
        return label
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return label


def site_of(url: str | None) -> str | None:
    """The site of ``url``: its registrable domain; None when it has no host.

    >>> site_of("https://www.Example.com:8080/a?b"), site_of("http://news.bbc.co.uk/1/hi")
    ('example.com', 'bbc.co.uk')
    """
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # e.g. an unbalanced "[" in what should be an IPv6 host
        return None
    if not host:
        return None
    return registrable_domain(host)


def normalise_site(site: str) -> str:
    """A site given as a host name or URL becomes its registrable domain; a site given as a
    name (``Reuters``, ``BBC News``) is kept as written.

    >>> normalise_site("www.bbc.co.uk"), normalise_site("BBC News")
    ('bbc.co.uk', 'BBC News')
    """
    if "://" in site:
        return site_of(site) or site
    if _HOST.fullmatch(site.lower()):
        return registrable_domain(site) or site
    return site


def iso_date(value: str) -> str | None:
    """The calendar date of an ISO 8601 date or timestamp as ``YYYY-MM-DD``; None if invalid.

    Accepts ``2021-03-04``, ``2021-03-04T10:00:00Z`` and ``2021-03-04 10:00``, which covers
    WARC-Date and htmldate's output, and rejects anything else rather than guess (records
    with dates in other formats go through :func:`read_optional`).

    >>> iso_date("2021-03-04T10:00:00Z"), iso_date("04/03/2021")
    ('2021-03-04', None)
    """
    value = value.strip()
    head, rest = value[:10], value[10:]
    if rest and rest[0] not in "T ":
        return None
    try:
        return dt.date.fromisoformat(head).isoformat() if len(head) == 10 else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class OptionalMeta:
    """A record's optional fields as they will be stored, and what was wrong with them."""

    title: str | None = None
    url: str | None = None
    site: str | None = None
    date: ParsedDate | None = None
    date_raw: str | None = None
    warnings: tuple[FieldWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class HugeInteger:
    """A JSON integer too long for Python to convert (``sys.get_int_max_str_digits``).

    Python refuses to turn more than 4,300 digits into an ``int`` (a guard against quadratic
    conversion time), which made one such number end the whole file. It is kept as this
    marker instead: a record is refused only when it needs the number (as its ``id``), and
    every other record of the file is read.
    """

    digits: int


def json_type(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | HugeInteger):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _shown(value: str) -> str:
    return repr(value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…")


def _text_field(record: dict[str, Any], name: str, problems: list[FieldWarning]) -> str | None:
    """A string field stripped, or None (absent, null, empty or unusable: with a warning)."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(
            FieldWarning(name, f"field '{name}' is a json {json_type(value)}, not a string")
        )
        return None
    if bad := UNPAIRED_SURROGATE.search(value):
        # JSON may escape half a surrogate pair ("\ud800"); such a str cannot be stored.
        problems.append(
            FieldWarning(
                name, f"field '{name}' holds an unpaired surrogate \\u{ord(bad.group()):04x}"
            )
        )
        return None
    if problem := field_too_long(name, value):
        problems.append(FieldWarning(name, problem))
        return None
    return value.strip() or None


def read_optional(record: dict[str, Any]) -> OptionalMeta:
    """The ``title``, ``url``, ``site`` and ``date`` of a JSON record, each on its own.

    A date is a string in any format :func:`unspin.dates.parse_date` reads, or a number of
    epoch seconds (milliseconds with 13 digits). The site, when not given, is the URL's
    registrable domain.

    >>> m = read_optional({"date": "26-FEB-1987 15:01:01.79", "url": "http://www.reuters.com/x"})
    >>> m.date.value, m.date.precision, m.site
    ('1987-02-26T15:01:01', 'datetime', 'reuters.com')
    >>> m = read_optional({"date": "last week", "title": ["not", "a", "title"]})
    >>> m.date, [w.field for w in m.warnings]
    (None, ['title', 'date'])
    """
    problems: list[FieldWarning] = []
    title = _text_field(record, "title", problems)
    url = _text_field(record, "url", problems)
    # A NUL or another control character (robust35: stored) is no more a URL's than a space.
    if url is not None and any(c.isspace() or c < " " or c == "\x7f" for c in url):
        problems.append(FieldWarning("url", f"field 'url' is not a url: {_shown(url)}"))
        url = None
    site = _text_field(record, "site", problems)
    site = normalise_site(site) if site else site_of(url)
    raw = record.get("date")
    date: ParsedDate | None = None
    date_raw: str | None = None
    if isinstance(raw, str) and (bad := UNPAIRED_SURROGATE.search(raw)):
        problems.append(
            FieldWarning(
                "date", f"field 'date' holds an unpaired surrogate \\u{ord(bad.group()):04x}"
            )
        )
    elif raw is not None and not (isinstance(raw, str) and not raw.strip()):
        date = parse_date(raw)
        date_raw = raw if isinstance(raw, str) else repr(raw)
        if date is None:
            shown = _shown(raw) if isinstance(raw, str) else f"a json {json_type(raw)}"
            problems.append(FieldWarning("date", f"field 'date' {why_not_a_date(raw)}: {shown}"))
    return OptionalMeta(title, url, site, date, date_raw, tuple(problems))
