"""Clock times written in digits, compared as times across languages.

An English "8.30 p.m." is a German "20.30 Uhr", an English "11am" a Russian "11.00": read
as numbers, neither pair agrees ("8.30" is 8.3; "11am" is no number at all). Read as times
of day they are the same; a time with other hours or minutes is a change.

>>> [(t.hour, t.minute) for t in clock_times("at 8.30 p.m. and 11am, or 23:15")]
[(20, 30), (11, 0), (23, 15)]
>>> paired(clock_times("at 8.30 p.m."), clock_times("um 20.30 Uhr"))
([], [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An hour and its minutes ("23:15", "20.30", "20h30"), not part of a longer figure
# ("23:21.7" is a race time, "1.250" a thousand), with an English half of the day after it.
_HALF = r"(?:\s?(?P<half>[ap])\.?\s?m\b\.?|\s?(?P<HALF>[AP])\.?\s?M\b\.?)"
# Russian also writes a full hour with a hyphen ("с 10-00 до 22-00"); other minutes after
# a hyphen are a range ("10-30 человек").
_HOUR_MINUTES = re.compile(
    r"(?<![\d.,:-])(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})|-(?P<full>00))(?![\d]|[.,:-]\d)"
    + f"{_HALF}?"
)
# An hour with a half of the day alone: "11am", "3 p.m.".
_HOUR_HALF = re.compile(r"(?<![\d.,:])(?P<hour>\d{1,2})" + _HALF)


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day as ``text[start:end]`` writes it; ``hour`` on the 24-hour clock where
    an English half of the day says it ("3 p.m." is 15), else as written."""

    start: int
    end: int
    hour: int
    minute: int
    writing: str

    def same(self, other: ClockTime) -> bool:
        """The same time, or twelve hours apart: "8.30" may be "20.30" where no half of
        the day is written."""
        return self.minute == other.minute and self.hour % 12 == other.hour % 12


def clock_times(text: str) -> list[ClockTime]:
    """The clock times of ``text`` in order: hours with minutes up to 24:59 and hours
    with a half of the day."""
    out: list[ClockTime] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_HOUR_MINUTES, _HOUR_HALF):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            hour, minute = int(m.group("hour")), int(m.groupdict().get("minute") or 0)
            half = (m.group("half") or m.group("HALF") or "").lower()
            if hour > 24 or minute > 59 or (half and not 1 <= hour <= 12):
                continue
            if half:
                hour = hour % 12 + (12 if half == "p" else 0)
            end = m.end()
            writing = m.group().rstrip()
            out.append(ClockTime(m.start(), m.start() + len(writing), hour, minute, writing))
            taken.append((m.start(), end))
    return sorted(out, key=lambda t: t.start)


def paired(
    source: list[ClockTime], target: list[ClockTime]
) -> tuple[list[ClockTime], list[ClockTime]]:
    """The times of ``source`` and of ``target`` left once each time is paired with the
    same time of the other side (:meth:`ClockTime.same`), in order."""
    left = list(target)
    lost = list(source)
    # The very same times first: "10:00 a.m. to 10:00 p.m." is "с 10-00 до 22-00".
    for exact in (True, False):
        for t in list(lost):
            match = next((o for o in left if t.same(o) and (o.hour == t.hour or not exact)), None)
            if match is not None:
                lost.remove(t)
                left.remove(match)
    return lost, left
