"""Small metadata helpers shared by the readers: site names and ISO dates."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit


def site_of(url: str | None) -> str | None:
    """The host of ``url`` in lower case without a leading ``www.``; None when there is none.

    >>> site_of("https://www.Example.com:8080/a?b")
    'example.com'
    """
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # e.g. an unbalanced "[" in what should be an IPv6 host
        return None
    if not host:
        return None
    return host.removeprefix("www.") or None


def iso_date(value: str) -> str | None:
    """The calendar date of an ISO 8601 date or timestamp as ``YYYY-MM-DD``; None if invalid.

    Accepts ``2021-03-04``, ``2021-03-04T10:00:00Z`` and ``2021-03-04 10:00``, which covers
    WARC-Date, feed exports and database dumps, and rejects anything else rather than guess.

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
