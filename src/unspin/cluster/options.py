"""What a cluster run is asked for, light to import (the CLI's options, their help and its
argument errors need nothing else): the engines, the default of ``min_shared``, and the date
window a run selects documents by."""

from __future__ import annotations

from datetime import date as Date

from ..dates import compare_dates, parse_limit
from ..errors import ConfigError

ENGINES = ("local", "spark")
# Features a candidate pair shares at least (ClusterConfig.min_shared, --min-shared).
MIN_SHARED = 5


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a document dated ``date`` is selected (undated ones only without limits):
    dates and limits are compared as far as the coarser of the two tells
    (:func:`unspin.dates.compare_dates`), so ``--since 1987`` selects all of 1987, and
    ``--until 1987-03`` all of March; a document dated ``1987`` alone is within both.

    >>> in_range("1987-02-26", "1987", None), in_range("1987", "1987-03-01", "1987-06")
    (True, True)
    >>> in_range("1987-04-01T10:00:00Z", None, "1987-03"), in_range("1986", "1987", None)
    (False, False)
    """
    if since is None and until is None:
        return True
    if not date:
        return False
    return (since is None or compare_dates(date, since) >= 0) and (
        until is None or compare_dates(date, until) <= 0
    )


def date_limit(value: str | Date | None, name: str) -> str | None:
    """A ``since`` or ``until`` limit normalised at the precision written (``1987``,
    ``1987-03``, ``1987-03-04``: :func:`unspin.dates.parse_limit`), or ConfigError naming the
    option ``name``: a limit that is no date would select nothing, or compare a number with
    text. Up to robust31 only ``YYYY-MM-DD`` was read (``--since 1987`` was refused), and a
    ``datetime.date`` given to the Python API "is not a date"."""
    if value is None:
        return None
    if isinstance(value, Date):  # a datetime.date or datetime.datetime from the Python API
        value = value.isoformat()
    if not isinstance(value, str):
        # `Corpus.cluster(since=1987)`: "1987 is not a date; write it as ... YYYY" read as a
        # contradiction (robust33).
        kind = type(value).__name__
        raise ConfigError(
            f"{name} {value!r} is {'an' if kind[0] in 'aeiou' else 'a'} {kind}, not a date: give a str "
            "(YYYY-MM-DD, YYYY-MM or YYYY, as '1987-03-02' or '1987') or a datetime.date"
        )
    parsed = parse_limit(value)
    if parsed is None:
        raise ConfigError(
            f"{name} {value!r} is not a date; write it as YYYY-MM-DD, YYYY-MM or YYYY"
        )
    return parsed.value


def date_window(
    since: str | Date | None, until: str | Date | None, since_name: str, until_name: str
) -> tuple[str | None, str | None]:
    """Both limits as :func:`date_limit` reads them; ConfigError when ``since`` is after
    ``until``, which would select nothing (silently, as an empty corpus would)."""
    start, end = date_limit(since, since_name), date_limit(until, until_name)
    if start is not None and end is not None and compare_dates(start, end) > 0:
        raise ConfigError(
            f"{since_name} {start} is after {until_name} {end}: no document can be dated "
            "in between; give the earlier date to since"
        )
    return start, end
