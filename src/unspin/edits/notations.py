"""One date, time of day or number written in another notation, read as the other text writes it.

A rewording may write "On September 14, 1938" as "9/14/1938", "Sept. 14" as "9/14", "3 p.m."
as "15:00", "6.2" as "6,2" (a decimal comma) or "14,000" as "14 000". Each of these writings
can be read more than one way: "3,4" is 3.4 with a decimal comma and the list "3, 4" in
English, "9/14" is a fraction or 14 September, "12:51" a clock time or a score. So a writing is
read the other way only where the other text writes that very day, time or value in its own
notation (and does not already write it this way): the notation then explains the difference,
and nothing is read as a fact that was not one before. A different date, time or value stays
a change ("Sept. 14" / "9/15", "3 p.m." / "16:00", "6.2" / "6,3").

The readings are the registry libraries': python-dateutil reads clock times (with its own
a.m./p.m. words) and days in digits, month first and day first; babel reads numbers by the
decimal and group separators CLDR gives English, German and French ("1.000.000", "3,5",
"14 000").

>>> from .facts import Facts
>>> a, b = Facts("It began at 3 p.m. on Sept. 14."), Facts("It began at 15:00 on 9/14.")
>>> share_notations(a, b)
>>> a.dates == b.dates, a.numbers == b.numbers
(True, True)
>>> a, b = Facts("Output was 6.2 units, 14,000 in all."), Facts("Output was 6,2 units, 14 000 in all.")
>>> share_notations(a, b)
>>> a.numbers == b.numbers
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal
from dateutil import parser as dateutil_parser

from .facts import Facts, date_field
from .tokens import ISO_DATE, Tok, is_escape_code, numeric_date_readings

# Hours and minutes (and seconds): "15:00", "22:35:42"; "3:1" (a ratio) is none.
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
# A day and month in digits, no year: "9/14", "14.09".
_DAY_MONTH = re.compile(r"\d{1,2}[./]\d{1,2}")
# Digits with separators that other notations read otherwise ("1.000", "3,5", "1.000.000").
_SEPARATED = re.compile(r"\d+(?:[.,]\d+)+")
# Digit groups of a number written with spaces between ("14 000"), as French and SI write it.
_LEADING_GROUP, _GROUP = re.compile(r"\d{1,3}"), re.compile(r"\d{3}")
_GROUP_GAPS = frozenset(" \u00a0\u202f")
_NARROW_SPACE = get_group_symbol("fr")  # how babel's French groups them
# Notations read (CLDR through babel): English first, then a comma for decimals and a full stop
# or narrow space between groups of thousands.
_LOCALES = ("en", "de", "fr")
_DATEUTIL = dateutil_parser.parserinfo()
# The day dateutil fills in where a writing gives no date: a leap year, so "2/29" is a day.
_ANY_DAY = dt.datetime(2000, 1, 1)
_DATE_GAPS = frozenset({",", "."})  # "September 14, 1938", "Sept. 14"


@dataclass(frozen=True, slots=True)
class _Day:
    """A day as a text gives it: month and day, and the year where it says one."""

    month: int
    day: int
    year: int | None

    def fields(self) -> tuple[str, ...]:
        """The calendar fields :func:`.facts.date_field` gives for the day in words."""
        out = (f"month:{self.month}", f"day:{self.day}")
        return out if self.year is None else (*out, f"year:{self.year}")

    def same_day(self, other: _Day) -> bool:
        """Month and day agree, and the years where both give one."""
        return (self.month, self.day) == (other.month, other.day) and (
            self.year is None or other.year is None or self.year == other.year
        )


def share_notations(a: Facts, b: Facts) -> None:
    """Read each date, time or number of ``a`` and ``b`` written in another notation as the
    other text writes it, where it writes the same (see the module). Call before the facts are
    asked for, after :func:`.facts.share_date_readings`; the same both ways round."""
    # (Each pass looks at the tokens in digits only: this runs on every labelled passage.)
    digits = {id(f): [i for i, t in enumerate(f.toks) if t.raw[0].isdigit()] for f in (a, b)}
    if not digits[id(a)] and not digits[id(b)]:
        return
    pairs = ((a, b), (b, a))
    # Dates and times first: what they take is no number any more.
    dated = [(f, _dates_in_words(f, other, digits[id(f)])) for f, other in pairs]
    times = {id(f): clock_times(f.toks, digits[id(f)]) for f in (a, b)}
    timed = [(f, _shared_times(times[id(f)], times[id(other)])) for f, other in pairs]
    for facts, found in (*dated, *timed):
        for i, fields in found.items():
            facts.read_date_as(i, fields)
    numbered = [(f, _numbers_as_written(f, other, digits[id(f)])) for f, other in pairs]
    for facts, aliases in numbered:
        for i, written in aliases.items():
            facts.read_number_as(i, written)


# --- times of day -------------------------------------------------------------------------------


def clock_times(toks: list[Tok], digits: list[int] | None = None) -> dict[int, dt.time]:
    """Times of day by the index of their digits: hours and minutes ("15:00", "10:35:42 p.m.")
    or an hour before a.m. or p.m. ("3 p.m.", "3pm"). ``digits``: the indices of the tokens
    that start with a digit, where the caller has them.

    >>> from .tokens import tokenize
    >>> sorted(str(t) for t in clock_times(tokenize("from 3 p.m. to 22:35, 3:1, 4 apples")).values())
    ['15:00:00', '22:35:00']
    """
    out: dict[int, dt.time] = {}
    if digits is None:
        digits = [i for i, t in enumerate(toks) if t.raw[0].isdigit()]
    for i in digits:
        t = toks[i]
        # (The half of the day without its full stops: dateutil reads "A.M." as "A" and a
        # time zone "M".)
        half = _half_of_day(toks[i + 1]) if i + 1 < len(toks) else None
        if half and _LEADING_GROUP.fullmatch(t.raw) and t.raw[0] != "0":
            written = f"{t.raw} {half}"
        elif _CLOCK.fullmatch(t.raw):
            written = f"{t.raw} {half}" if half else t.raw
        else:
            continue
        time = _read_time(written)
        if time is not None:
            out[i] = time
    return out


def _half_of_day(tok: Tok) -> str | None:
    """ "am" for "a.m.", "pm" for "PM" or "P.M.": dateutil's words for the halves of the day
    (not "a" or "p" alone); None for any other token."""
    key = tok.key.replace(".", "")
    return key if len(key) == 2 and _DATEUTIL.ampm(key) is not None else None


@lru_cache(maxsize=4_096)
def _read_time(written: str) -> dt.time | None:
    try:
        return dateutil_parser.parse(written, default=_ANY_DAY, ignoretz=True).time()
    except (ValueError, OverflowError):
        return None


def _shared_times(
    mine: dict[int, dt.time], theirs: dict[int, dt.time]
) -> dict[int, tuple[str, ...]]:
    """The times of one text (:func:`clock_times`) that the other gives too, as date fields
    ("time:15:00:00")."""
    shared = set(theirs.values())
    return {i: (f"time:{t.isoformat()}",) for i, t in mine.items() if t in shared}


# --- dates in digits and in words ---------------------------------------------------------------


def _dates_in_words(facts: Facts, other: Facts, at: list[int]) -> dict[int, tuple[str, ...]]:
    """Dates in digits of ``facts`` ("9/14/1938", "9/14") that ``other`` writes in words
    ("September 14, 1938", "Sept. 14") and ``facts`` does not, as the fields of that day. A day
    and month in digits is also read as a date, of its own day, where ``other`` writes that
    month in words and ``facts`` does not: "Sept. 14" / "9/15" is a changed day, no fraction.
    A writing ``other`` has too is left as it is: both texts read it alike. ``at``: the
    tokens of ``facts`` that start with a digit."""
    digits = {i: days for i in at if (days := _digit_days(facts.toks[i]))}
    if not digits:
        return {}
    theirs, mine = _word_days(other), _word_days(facts)
    written = {t.raw for t in other.toks if t.raw[0].isdigit()}
    out: dict[int, tuple[str, ...]] = {}
    for i, days in digits.items():
        if facts.toks[i].raw in written:
            continue
        for day in sorted(days, key=_Day.fields):
            if any(day.same_day(w) for w in theirs) and not any(day.same_day(w) for w in mine):
                out[i] = day.fields()
                break
        else:
            months = {w.month for w in theirs} - {w.month for w in mine}
            for day in sorted(days, key=_Day.fields):
                if day.year is None and i not in facts.dates_at and day.month in months:
                    out[i] = day.fields()
                    break
    return out


def _digit_days(tok: Tok) -> frozenset[_Day]:
    """The days a token in digits can be: an ISO date, a day, month and year either way round
    (:func:`.tokens.numeric_date_readings`), or a day and month ("9/14", "14.09")."""
    raw = tok.raw
    if ISO_DATE.match(raw):
        try:
            readings = frozenset({dt.date.fromisoformat(raw)})
        except ValueError:
            return frozenset()
        return frozenset(_Day(d.month, d.day, d.year) for d in readings)
    if readings := numeric_date_readings(raw):
        return frozenset(_Day(d.month, d.day, d.year) for d in readings)
    return _day_month_readings(raw) if _DAY_MONTH.fullmatch(raw) else frozenset()


@lru_cache(maxsize=4_096)
def _day_month_readings(raw: str) -> frozenset[_Day]:
    """ "9/14" is 14 September, "4.2" is 2 April or 4 February (dateutil, month first and day
    first; a full stop read as the slash dateutil takes for a date)."""
    out: set[_Day] = set()
    for day_first in (False, True):
        try:
            d = dateutil_parser.parse(
                raw.replace(".", "/"), dayfirst=day_first, default=_ANY_DAY, ignoretz=True
            )
        except (ValueError, OverflowError):
            continue
        out.add(_Day(d.month, d.day, None))
    return frozenset(out)


def _word_days(facts: Facts) -> list[_Day]:
    """The days ``facts`` writes with a month name and a day number, with the year beside them
    if it says one: "September 14, 1938", "14 September", "Sept. 14"."""
    days: list[_Day] = []
    fields: dict[str, int] = {}
    last = -2
    for i in sorted(facts.dates_at):
        tok = facts.toks[i]
        gap = facts.toks[last + 1 : i]
        if last >= 0 and not all(t.raw in _DATE_GAPS for t in gap):
            _add_day(days, fields)
            fields = {}
        field = date_field(tok, True)
        if field is not None and field.split(":")[0] in ("month", "day", "year"):
            kind, value = field.split(":")
            fields.setdefault(kind, int(value))
        last = i
    _add_day(days, fields)
    return days


def _add_day(days: list[_Day], fields: dict[str, int]) -> None:
    if "month" in fields and "day" in fields:
        days.append(_Day(fields["month"], fields["day"], fields.get("year")))


# --- numbers ------------------------------------------------------------------------------------


def _numbers_as_written(facts: Facts, other: Facts, at: list[int]) -> dict[int, str]:
    """Number tokens of ``facts`` to read as another notation reads them ("6,2" as 6.2,
    "14 000" as 14000), where ``other`` has that value and not the one read by default.
    ``at``: the tokens of ``facts`` that start with a digit."""
    out: dict[int, str] = {}
    for lo, hi, written in _other_notations(facts, at):
        readings = _readings(written)  # (mostly none: the passages' numbers are not read)
        if not readings or all(other.numbers[v] > 0 for v in facts.numbers_in(lo, hi)):
            continue  # English notation reads it, or the number is there as read by default
        for reading in readings:
            digits = format(reading, "f")
            # Read in its phrase: "1,5 million" is 1,500,000.
            if all(other.numbers[v] > 0 for v in facts.numbers_read_as(lo, hi, digits)):
                out[lo] = digits
                out.update(dict.fromkeys(range(lo + 1, hi), ""))
                break
    return out


def _other_notations(facts: Facts, at: list[int]) -> list[tuple[int, int, str]]:
    """Numbers in digits (tokens ``at``) another notation may read otherwise: tokens ``lo:hi``
    and their text as babel takes it (groups joined by its narrow space)."""
    toks, out = facts.toks, []
    done = 0  # (the later groups of "14 000" are read with the first)
    for i in at:
        t = toks[i]
        if i < done or i in facts.dates_at or is_escape_code(toks, i):
            continue
        hi = i + 1
        if _LEADING_GROUP.fullmatch(t.raw):
            while (
                hi < len(toks)
                and _GROUP.fullmatch(toks[hi].raw)
                and facts.text[toks[hi - 1].end : toks[hi].start] in _GROUP_GAPS
                and hi not in facts.dates_at
            ):
                hi += 1
        if hi > i + 1:
            out.append((i, hi, _NARROW_SPACE.join(x.raw for x in toks[i:hi])))
        elif _SEPARATED.fullmatch(t.raw):
            out.append((i, hi, t.raw))
        done = hi
    return out


@lru_cache(maxsize=4_096)
def _readings(written: str) -> tuple[Decimal, ...]:
    """The values babel reads ``written`` as in the other notations of :data:`_LOCALES`
    (strict: the groups must be whole), where English notation cannot read it: "6,2" and
    "1.000.000" are read, "14,000" and "1.000" are English numbers and stay what they are
    (were both read both ways, "14,000" / "14 000" would swap readings).

    >>> _readings("6,2"), _readings("14,000"), _readings("1.000.000")
    ((Decimal('6.2'),), (), (Decimal('1000000'),))
    """
    values: list[Decimal] = []
    for locale in _LOCALES:
        try:
            value = parse_decimal(written, locale=locale, strict=True)
        except NumberFormatError:
            continue
        if locale == _LOCALES[0]:
            return ()
        if value not in values:
            values.append(value)
    return tuple(values)
