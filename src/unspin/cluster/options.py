"""What a cluster run is asked for, light to import (the CLI's options, their help and its
argument errors need nothing else): the engines, the default of ``min_shared``, and the date
window a run selects documents by."""

from __future__ import annotations

from datetime import date as Date

from ..errors import ConfigError

ENGINES = ("local", "spark")
# Features a candidate pair shares at least (ClusterConfig.min_shared, --min-shared).
MIN_SHARED = 5


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a document dated ``date`` is selected (undated ones only without limits)."""
    if since is None and until is None:
        return True
    if not date:
        return False
    return (since is None or date >= since) and (until is None or date[: len(until)] <= until)


def date_limit(value: str | None, name: str) -> str | None:
    """A ``since`` or ``until`` limit as ``YYYY-MM-DD``, or ConfigError naming the option
    ``name``: a limit that is no date would select nothing, or compare a number with text."""
    if value is None:
        return None
    try:
        return Date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD") from exc


def date_window(
    since: str | None, until: str | None, since_name: str, until_name: str
) -> tuple[str | None, str | None]:
    """Both limits as :func:`date_limit` reads them; ConfigError when ``since`` is after
    ``until``, which would select nothing (silently, as an empty corpus would)."""
    start, end = date_limit(since, since_name), date_limit(until, until_name)
    if start is not None and end is not None and start > end:
        raise ConfigError(
            f"{since_name} {start} is after {until_name} {end}: no document can be dated "
            "in between; give the earlier date to since"
        )
    return start, end
