"""How much of its date a page states.

htmldate answers with a day whatever the page says: a page dated "2024-03" comes back as
the 3rd month and *today's* day of the month (dateutil fills the day from now), "March 2024"
or a bare year as the 1st of January or of the month. Stored at day precision, such a date
orders a page before or after its copies by a day nobody wrote. :func:`stated` keeps the
day only where the page (or its URL) writes that day next to that month, the month only
where it writes that month next to that year, else the year alone. Where htmldate read only
the year (1 January) of a page that names one month of that year, that month is kept.

>>> stated("2024-03-06", '<meta property="article:published_time" content="2024-03">')
'2024-03'
>>> stated("2024-03-05", "<p>Posted on 5 March 2024 by the desk</p>")
'2024-03-05'
>>> stated("2024-01-01", '<meta name="date" content="2024">')
'2024'
>>> stated("2024-01-01", '<div class="date">March 2024</div>')
'2024-03'
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from htmldate.extractors import MONTHS as _HTMLDATE_MONTHS

from ..dates import month_names

# Month names of the languages unspin traces (CLDR, through babel) and of those htmldate
# reads itself: a day htmldate found by a month's name is written with one of these.
_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "zh")
# Between a day and a month's name: spaces, punctuation, "of", "de", tags ("<b>5</b> March").
_GAP = r"(?:[\s\u00a0,./\-]|of\b|de\b|<[^<>]{0,200}>)*"
# The day's own ending: "5th", "1er", "5º" (the dot of "5. März" is the gap's; "5日" has its
# own pattern).
_DAY_END = r"(?:st|nd|rd|th|er|º|°)?"
_SEP = r"(?:\s*[-/._|]\s*|\s+)"  # "2024-03-05", "26 | 01 | 2022"
# How far from its year a date's day and month are looked for, in characters (tags between
# them count), and how many places of a year a page is read around.
_REACH = 200
_MAX_WINDOWS = 2_000


@lru_cache(maxsize=12)
def _names(month: int) -> str:
    """One alternation of every name of ``month``, longest first."""
    names = {name for name, k in _all_names().items() if k == month}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _all_names() -> dict[str, int]:
    out: dict[str, int] = {}
    for lang in _LANGUAGES:
        out.update(month_names(lang))
    for k, names in enumerate(_HTMLDATE_MONTHS, 1):
        for name in names:
            out.setdefault(name.lower(), k)
    return out


def _day_patterns(year: int, month: int, day: int) -> list[str]:
    y, m, d, yy = f"{year:04d}", f"0?{month}", f"0?{day}", f"(?:{year:04d}|{year % 100:02d})"
    names = _names(month)
    return [
        rf"(?<!\d){y}{_SEP}{m}{_SEP}{d}(?!\d)",  # 2024-03-05, 2024/3/5, /2024/03/05/
        # 20240305, or a time stamp that starts with it (20240305120909 in a file name)
        rf"(?<!\d){year:04d}{month:02d}{day:02d}(?:\d{{4,9}})?(?!\d)",
        rf"(?<!\d){d}{_SEP}{m}{_SEP}{yy}(?!\d)",  # 05.03.2024
        rf"(?<!\d){m}{_SEP}{d}{_SEP}{yy}(?!\d)",  # 3/5/2024
        rf"{y}\s*年\s*{m}\s*月\s*{d}\s*日",  # 2024年3月5日
        rf"(?<![\d\w]){d}{_DAY_END}{_GAP}(?:{names})(?!\w)",  # 5 March, 5th of March, 5. März
        rf"(?<!\w)(?:{names}){_GAP}{d}{_DAY_END}(?![\d])",  # March 5, Mar. 5th
    ]


def _month_patterns(year: int, month: int) -> list[str]:
    y, m = f"{year:04d}", f"0?{month}"
    return [
        rf"(?<!\d){y}{_SEP}{m}(?!\d)",  # 2024-03
        rf"(?<!\d){m}{_SEP}{y}(?!\d)",  # 03/2024
        rf"(?<!\d){year:04d}{month:02d}(?!\d)",  # 202403
        *_written_month_patterns(year, month),
    ]


def _written_month_patterns(year: int, month: int) -> list[str]:
    """A month of a year written so that nothing else reads the same: by its name or 年/月."""
    y, names = f"{year:04d}", _names(month)
    return [
        rf"{y}\s*年\s*0?{month}\s*月",  # 2024年3月
        rf"(?<!\w)(?:{names}){_GAP}{y}(?!\d)",  # March 2024
        rf"(?<!\d){y}{_GAP}(?:{names})(?!\w)",  # 2024 March
    ]


def stated(found: str, markup: str | bytes, url: str | None = None) -> str:
    """``found`` (htmldate's ``YYYY-MM-DD``) cut to what the page states: the day, the
    month (``YYYY-MM``) or the year (``YYYY``). The URL counts as part of the page."""
    year, month, day = int(found[:4]), int(found[5:7]), int(found[8:10])
    if isinstance(markup, bytes):
        markup = markup.decode("cp1252", errors="replace")  # digits and Latin month names
    page = _near_the_year(html.unescape(markup) + "\n" + (url or ""), year)
    for pattern in _day_patterns(year, month, day):
        if re.search(pattern, page, re.IGNORECASE):
            return found
    for pattern in _month_patterns(year, month):
        if re.search(pattern, page, re.IGNORECASE):
            return found[:7]
    if (month, day) == (1, 1):
        # htmldate's 1 January is often its filler for a month it did not read ("March
        # 2024"); the page's month is kept where the page names one month of that year only.
        named = {k for k in range(1, 13) if _names_month_of(page, year, k)}
        if len(named) == 1:
            return f"{year:04d}-{named.pop():02d}"
    return found[:4]


def _names_month_of(page: str, year: int, month: int) -> bool:
    """Whether ``page`` writes ``month`` of ``year`` unmistakably: by the month's name,
    ``2024年3月`` or ``2024-03`` (not "2024 3", which is as likely a count after a year)."""
    patterns = (
        *_written_month_patterns(year, month),
        rf"(?<![\d.]){year:04d}-{month:02d}(?![\d.])",
    )
    return any(re.search(pattern, page, re.IGNORECASE) for pattern in patterns)


def _near_the_year(page: str, year: int) -> str:
    """The stretches of ``page`` within a few words of its year (four digits, or two after a
    date's separator), one a line: a date is written around its year, and the patterns'
    look-behinds cost a scan of the whole page each (a second on a 2.5 MB page)."""
    marks = (f"{year:04d}", *(f"{sep}{year % 100:02d}" for sep in "-/._ "))
    spans: list[tuple[int, int]] = []
    for mark in marks:
        at = page.find(mark)
        while at >= 0 and len(spans) < _MAX_WINDOWS:
            spans.append((max(0, at - _REACH), at + len(mark) + _REACH))
            at = page.find(mark, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return "\n".join(page[start:end] for start, end in merged)
