"""Publication dates as feeds, CMS exports, wire services and aggregators write them.

:func:`parse_date` reads one date (a string, or a number of epoch seconds or milliseconds)
into a :class:`ParsedDate`: the raw value as given, a normalised ISO 8601 string and its
precision. The normalised forms sort and compare as strings within one precision:

============  ==========================  ==============================================
precision     normalised                  from, for example
============  ==========================  ==============================================
``year``      ``2021``                    ``2021``
``month``     ``2021-03``                 ``2021-03``, ``March 2021``
``day``       ``2021-03-04``              ``2021-03-04``, ``4 March 2021``, ``3/4/2021``
``datetime``  ``2021-03-04T10:00:00Z``    ``Thu, 04 Mar 2021 10:00:00 GMT`` (RFC 822/2822),
                                          ``2021-03-04T11:00:00+01:00`` (ISO 8601),
                                          ``1614852000`` (epoch seconds; 13 digits: ms)
``datetime``  ``1987-02-26T15:01:01``     ``26-FEB-1987 15:01:01.79`` (no time zone given:
                                          local time of the source, no ``Z``)
============  ==========================  ==============================================

A time with a zone is converted to UTC (``Z``); a time without one stays as written.
Seconds are kept, fractions of a second dropped.

Day and month order
-------------------
Numeric dates are read with a fixed, documented rule, because a feed does not say which
convention it follows:

* year first (``2022/09/12``, ``2022-09-12``): year, month, day;
* slashes or dashes (``9/12/2022``, ``09-12-2022``): **month first**, as US feeds, CMS
  defaults and news aggregators write them, unless that is impossible (``13/09/2022`` is
  the 13th of September);
* dots (``12.09.2022``): **day first**, the European convention (nobody writes a month-first
  date with dots), unless that is impossible.

Two-digit years are placed within 50 years of today (python-dateutil's rule).

What is not a date
------------------
Relative dates (``2 hours ago``, ``yesterday``: relative to a moment the file does not
record), dates without a year (``Jan 5``), ISO week dates, MySQL's zero date
``0000-00-00``, a year-first date with no month 1-12 (``2024-13-01``), a time zone offset
of a day or more, a year before 1000, a date after today (a publication date cannot be; a day
of grace for places ahead of UTC: ``240305`` read as year and month would be March 2403), a
written year read as another (``Jan 1 0001``, which dateutil takes for 2001) and anything
unparseable give None: the document is stored without a date and ingest counts a warning
(:func:`why_not_a_date` words it).

The libraries: ISO 8601 from the standard library, RFC 822/2822 from :mod:`email.utils`,
English formats from python-dateutil, and other languages (``5 mars 2021``, ``3 de marzo de
2020``, ``12. März 2021``) from dateparser, loaded only when the others fail.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
import warnings
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Literal

Precision = Literal["year", "month", "day", "datetime"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day", "datetime")

_MIN_YEAR = 1000
# A control character, or a character reference to one (html.unescape drops those, which
# would join what follows to the date).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f]|&#0*(?:[0-8]|1[1-9]|2\d|3[01]|127);|&#x0*(?:[0-8]|1[0-9a-f]|7f);",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"\d{4}")
# A year written with four digits, not part of a longer number.
_WRITTEN_YEAR = re.compile(r"(?<![\d.:])\d{4}(?![\d:])")
# A Chinese character (no kana, no Hangul, no digit): the month names 一月 to 九月 are two.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\S.*)?")
_ISO_WEEK = re.compile(r"\d{4}-?W\d{2}", re.IGNORECASE)
# Year first, then what must be the month (``2022/09/12``, ``2022-13-01``).
_YEAR_FIRST = re.compile(r"\d{4}([-/.])(\d{1,2})\1\d{1,2}\b")
# day/month/year with one separator used twice, then anything (a time, a zone).
_NUMERIC = re.compile(r"(?:[A-Za-z]{3,9}\.?,?\s+)?(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\b")
_TIME = re.compile(r"\d{1,2}:\d{2}")
# Two different defaults: a field dateutil fills from the default was not in the string.
_DEFAULT_A = dt.datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = dt.datetime(2001, 2, 2, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as read: ``value`` is the normalised ISO 8601 form at ``precision``.

    >>> parse_date("26-FEB-1987 15:01:01.79")
    ParsedDate(value='1987-02-26T15:01:01', precision='datetime', raw='26-FEB-1987 15:01:01.79')
    """

    value: str
    precision: Precision
    raw: str


def parse_date(raw: object) -> ParsedDate | None:
    """Read a publication date; None when ``raw`` is not one (see the module notes).

    >>> parse_date("Tue, 10 Jun 2003 04:00:00 -0400").value
    '2003-06-10T08:00:00Z'
    >>> parse_date("9/12/2022 11:12").value, parse_date("12.09.2022").value
    ('2022-09-12T11:12:00', '2022-09-12')
    >>> parse_date("March 2021").precision, parse_date(1614852000).value
    ('month', '2021-03-04T10:00:00Z')
    >>> parse_date("2 hours ago") is None
    True
    """
    found = _found(raw)
    if found is None or _after_today(found[0]):
        return None
    value, precision = found
    return ParsedDate(value, precision, raw if isinstance(raw, str) else repr(raw))


def parse_limit(raw: str) -> ParsedDate | None:
    """Read a date that bounds a selection (``cluster --since``/``--until``) as
    :func:`parse_date` reads a publication date, at the precision written, but it may lie
    after today: ``--until 2030`` selects every document. None when ``raw`` is not a date.

    >>> parse_limit("1987").value, parse_limit("1987-03").value, parse_limit("March 1987").value
    ('1987', '1987-03', '1987-03')
    >>> parse_limit("2999-01-01").value, parse_limit("soon")
    ('2999-01-01', None)
    """
    found = _found(raw)
    return None if found is None else ParsedDate(found[0], found[1], raw)


def why_not_a_date(raw: object) -> str:
    """Why :func:`parse_date` gives None for ``raw``, worded for a warning about a field.

    >>> why_not_a_date("2403"), why_not_a_date("yesterday"), why_not_a_date("0999-01-01")
    ('is after today', 'is not a date unspin reads', 'is before the year 1000')
    """
    found = _read_any(raw)
    if found is not None and int(found[0][:4]) < _MIN_YEAR:
        return "is before the year 1000"
    if found is not None and _after_today(found[0]):
        return "is after today"
    return "is not a date unspin reads"


def _found(raw: object) -> tuple[str, Precision] | None:
    """The normalised date and its precision, before the check against today."""
    found = _read_any(raw)
    if found is None or int(found[0][:4]) < _MIN_YEAR:
        return None
    return found


def _read_any(raw: object) -> tuple[str, Precision] | None:
    """:func:`_found` before the check of the year."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    if isinstance(raw, int | float):
        return _from_epoch(float(raw), digits=len(str(int(abs(raw)))))
    text = _clean(raw)
    return _read(text) if text else None


def _after_today(value: str) -> bool:
    """Whether a normalised date lies after today: a publication date cannot, and read as one
    it would put a document after every real one (``240305`` read as March 2403). A day of
    grace, since a place ahead of UTC is already in tomorrow."""
    latest = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    n = min(len(value), len(latest))
    return value[:n] > latest[:n]


def precision_of(value: str) -> Precision:
    """The precision of a normalised date, from its shape.

    >>> precision_of("2021"), precision_of("2021-03-04"), precision_of("2021-03-04T10:00:00Z")
    ('year', 'day', 'datetime')
    """
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "datetime")  # type: ignore[return-value]


def compare_dates(a: str, b: str) -> int:
    """-1, 0 or 1 as normalised date ``a`` is before, as far as the coarser of the two can
    tell the same as, or after ``b``.

    ``1987`` and ``1987-02-26`` are the same as far as a year tells; a time with a zone and
    one without are compared by day (the zone of the second is unknown).

    >>> compare_dates("1987-02-26", "1987-02-27"), compare_dates("1987", "1987-02-26")
    (-1, 0)
    >>> compare_dates("1987-02-26T15:00:00Z", "1987-02-26T09:00:00")
    0
    """
    n = min(len(a), len(b))
    if n > 10 and a.endswith("Z") != b.endswith("Z"):
        n = 10
    x, y = a[:n], b[:n]
    return (x > y) - (x < y)


def _clean(raw: str) -> str:
    """Entities decoded, cut at the first control character (wire services end a field with
    them: Reuters writes ``27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM``), spaces collapsed."""
    text = _CONTROL.split(raw, maxsplit=1)[0]
    return " ".join(html.unescape(text).split())


def _read(text: str) -> tuple[str, Precision] | None:
    if _ISO_WEEK.fullmatch(text) or _ISO_WEEK.match(text):
        return None
    if (m := _YEAR_FIRST.match(text)) and not 1 <= int(m.group(2)) <= 12:
        return None  # no month: dateutil would read it as year, day, month
    if _DIGITS.fullmatch(text):
        return _from_digits(text)
    if _YEAR_MONTH.fullmatch(text):
        return _from_datetime(dt.datetime(int(text[:4]), int(text[5:7]), 1), "month")
    if _ISO_LIKE.fullmatch(text):
        found = _from_iso(text)
        if found is not None:
            return found
    found = _from_rfc2822(text)
    if found is not None:
        return found
    found = _from_dateutil(text)
    if found is not None:
        return found
    return _from_dateparser(text)


def _from_datetime(value: dt.datetime, precision: Precision) -> tuple[str, Precision] | None:
    if precision == "year":
        return f"{value.year:04d}", precision
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}", precision
    if precision == "day":
        return value.date().isoformat(), precision
    if value.tzinfo is not None:
        try:
            utc = value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
        except (ValueError, OverflowError):
            return None  # a zone offset of a day or more, or a UTC time outside years 1-9999
        return utc.isoformat() + "Z", precision
    return value.replace(microsecond=0).isoformat(), precision


def _from_epoch(seconds: float, digits: int) -> tuple[str, Precision] | None:
    """Epoch seconds (9-10 digits) or milliseconds (13 digits); other lengths are not."""
    if digits == 13:
        seconds /= 1000
    elif digits not in (9, 10):
        return None
    try:
        moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _from_datetime(moment, "datetime")


def _from_digits(text: str) -> tuple[str, Precision] | None:
    """A bare number: a year, a compact date (``20210304``, web-archive timestamps
    ``20210304100000``) or epoch seconds/milliseconds."""
    if "." in text:
        whole = text.split(".")[0]
        return _from_epoch(float(text), len(whole))
    formats: dict[int, tuple[str, Precision]] = {
        4: ("%Y", "year"),
        6: ("%Y%m", "month"),
        8: ("%Y%m%d", "day"),
        12: ("%Y%m%d%H%M", "datetime"),
        14: ("%Y%m%d%H%M%S", "datetime"),
    }
    if len(text) in formats:
        fmt, precision = formats[len(text)]
        try:
            return _from_datetime(dt.datetime.strptime(text, fmt), precision)
        except ValueError:
            return None
    return _from_epoch(float(text), len(text))


def _from_iso(text: str) -> tuple[str, Precision] | None:
    try:
        value = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return _from_datetime(value, "day" if len(text) == 10 else "datetime")


def _from_rfc2822(text: str) -> tuple[str, Precision] | None:
    """RSS ``pubDate``, e-mail and HTTP dates: ``Tue, 10 Jun 2003 04:00:00 GMT``."""
    if not _TIME.search(text):
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _from_datetime(value, "datetime")


def _day_first(text: str) -> bool:
    """The module's day/month rule for a numeric date at the start of ``text``."""
    m = _NUMERIC.match(text)
    if m is None:
        return False
    first, sep, second = int(m.group(1)), m.group(2), int(m.group(3))
    if sep == ".":
        return second <= 12  # day first unless the second number cannot be a month
    return first > 12  # month first unless the first number cannot be a month


def _from_dateutil(text: str) -> tuple[str, Precision] | None:
    from dateutil import parser

    day_first = _day_first(text)
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("EDT" without tzinfos) leaves the time as written.
            warnings.simplefilter("ignore")
            a = parser.parse(text, default=_DEFAULT_A, dayfirst=day_first)
            b = parser.parse(text, default=_DEFAULT_B, dayfirst=day_first)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year:
        return None  # no year in the string
    written = _WRITTEN_YEAR.findall(text)
    if written and f"{a.year:04d}" not in written:
        return None  # dateutil read a written year as another ("0001" as 2001)
    if a.month != b.month:
        precision: Precision = "year"
    elif a.day != b.day:
        precision = "month"
    elif a.hour != b.hour:
        precision = "day"
    else:
        precision = "datetime"
    return _from_datetime(a, precision)


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    """dateparser's parser, built once (importing it costs a fifth of a second)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        settings={
            # Absolute dates only: "2 hours ago" has no meaning in a stored document.
            "PARSERS": ["absolute-time"],
            "REQUIRE_PARTS": ["year"],
            "RETURN_TIME_AS_PERIOD": True,
            "DATE_ORDER": "MDY",
        }
    )


def _from_dateparser(text: str) -> tuple[str, Precision] | None:
    """Dates in other languages, and English ones dateutil does not read."""
    if not _YEAR.search(text):
        return None  # dateparser would take "12" for the year 2012
    try:
        found = _dateparser().get_date_data(text)
    except Exception:  # third-party parser; an unreadable date is not an error
        return None
    value = found.date_obj
    if value is None:
        return None
    periods: dict[str, Precision] = {
        "time": "datetime",
        "day": "day",
        "month": "month",
        "year": "year",
    }
    precision = periods.get(found.period)  # "week" and others: not a precision we keep
    if precision is None:
        return None
    return _from_datetime(value, precision)


@lru_cache(maxsize=32)
def month_names(lang: str) -> dict[str, int]:
    """Lowercased month names of ``lang`` (wide and abbreviated, both grammatical forms) ->
    month number; English from :mod:`calendar`, the others from babel's CLDR data."""
    out: dict[str, int] = {}
    from babel import Locale, UnknownLocaleError

    if lang == "en" or not lang:
        for k in range(1, 13):
            out[calendar.month_name[k].lower()] = k
            out[calendar.month_abbr[k].lower()] = k
        # British English abbreviates September "Sept" (CLDR's en_GB), as US news does too
        # ("Sept. 11").
        for k, name in Locale.parse("en_GB").months["format"]["abbreviated"].items():
            out.setdefault(name.lower().rstrip("."), int(k))
        out.pop("may", None)  # "may" the verb; "May" capitalised still counts (xling.facts._months)
        out["may"] = 5
        return out

    try:
        loc = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return out
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for k, name in loc.months[context][width].items():
                key = name.lower().rstrip(".")
                # Two characters name a month in Chinese (一月 "January"); in letters they
                # are too short to tell from other words.
                if len(key) >= 3 or (len(key) == 2 and all(HAN.match(c) for c in key)):
                    out[key] = int(k)
    return out
