"""Measures a translation converts: "80 feet" is "25 Meter", "550 acres" "220 Hektar".

A translator into a metric language converts feet, miles, acres, pounds and degrees
Fahrenheit, and rounds: the numbers differ though the fact is the same. The unit words of
each language are CLDR's (babel's ``format_unit``, every plural form, long and short);
the factors are the units' definitions (the international foot is 0.3048 m exactly).

>>> sorted(metric_values("about 80 feet deep", "en")[80.0]["length"])  # km, m, cm
[0.024384, 24.384, 2438.4]
>>> sorted(measured("bis in einer Tiefe von 25 Metern", "de").items())
[(25.0, {'length': 25.0})]
>>> converts(metric_values("80 feet", "en")[80.0], measured("25 Meter", "de")[25.0])
True
"""

from __future__ import annotations

import re
from functools import lru_cache

# Units of English news a translation into a metric language converts, by CLDR unit id:
# (dimension, value of one unit in the dimension's base unit). Fahrenheit is not a factor.
IMPERIAL: dict[str, tuple[str, float]] = {
    "length-inch": ("length", 0.0254),
    "length-foot": ("length", 0.3048),
    "length-yard": ("length", 0.9144),
    "length-mile": ("length", 1609.344),
    "area-acre": ("area", 4046.8564224),
    "area-square-foot": ("area", 0.09290304),
    "area-square-mile": ("area", 2589988.110336),
    "mass-pound": ("mass", 0.45359237),
    "volume-gallon": ("volume", 3.785411784),
    "speed-mile-per-hour": ("speed", 0.44704),
    "temperature-fahrenheit": ("temperature", 1.0),
}
# The metric units a translation writes, in the dimension's base unit (m, m², kg, l, m/s).
METRIC: dict[str, tuple[str, float]] = {
    "length-centimeter": ("length", 0.01),
    "length-meter": ("length", 1.0),
    "length-kilometer": ("length", 1000.0),
    "area-square-meter": ("area", 1.0),
    "area-hectare": ("area", 10_000.0),
    "area-square-kilometer": ("area", 1_000_000.0),
    "mass-kilogram": ("mass", 1.0),
    "mass-tonne": ("mass", 1000.0),
    "volume-liter": ("volume", 1.0),
    "speed-kilometer-per-hour": ("speed", 1 / 3.6),
    "temperature-celsius": ("temperature", 1.0),
}
# How far a converted figure may be rounded: "80 feet" (24.4 m) as "25 Meter" is 2.5% off.
TOLERANCE = 0.06
# Degrees Celsius are rounded to the degree: 90 °F (32.2 °C) is "32 Grad", not "31 Grad".
DEGREES = 0.6
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?(?![\d])")
_GAP = re.compile(r"[\s\u00a0\u202f-]*")


@lru_cache(maxsize=64)
def unit_words(unit: str, lang: str) -> tuple[str, ...]:
    """The words ``lang`` writes after a number of ``unit`` (every plural form, long and
    short; lower case, "²" as "2"), longest first; short forms of one letter or that are
    English function words ("in" for inches) are left out as too ambiguous."""
    from babel import UnknownLocaleError
    from babel.units import UnknownUnitError, format_unit

    from ..text import FUNCTION_WORDS

    locales = [lang, "en_GB"] if lang == "en" else [lang]  # "metre" besides "meter"
    out: set[str] = set()
    for loc in locales:
        for length in ("long", "short"):
            for n in (1, 2, 3, 5, 1.5, 21):
                try:
                    text = format_unit(n, unit, length=length, locale=loc)
                except (UnknownLocaleError, UnknownUnitError, ValueError):
                    return ()
                word = _NUMBER.sub("", text).strip(" \u00a0\u202f").lower().replace("²", "2")
                if length == "short" and (len(word) < 2 or word in FUNCTION_WORDS):
                    continue
                if word:
                    out.add(word)
                if unit.startswith("temperature-") and length == "long":
                    out.add(word.split()[0])  # "90 degrees", "30 Grad": the scale implied
    return tuple(sorted(out, key=len, reverse=True))


def _units_after(text: str, end: int, units: dict[str, tuple[str, float]], lang: str) -> list[str]:
    """The units of ``units`` whose word follows the number that ends at ``end``."""
    gap = _GAP.match(text, end)
    rest = text[gap.end() if gap else end :][:40].lower().replace("²", "2")
    out = []
    for unit in units:
        for word in unit_words(unit, lang):
            if rest.startswith(word):
                after = rest[len(word) : len(word) + 1]
                # A case ending after a long word ("Metern", "метров"), not after a short
                # form ("m" is not "million", "ft" not "after").
                if not after.isalpha() or (len(word) >= 4 and word[0].isalpha()):
                    out.append(unit)
                    break
    return out


def _value(raw: str, lang: str) -> float | None:
    from .facts import parse_number

    return parse_number(raw, lang)


def metric_values(text: str, lang: str) -> dict[float, dict[str, set[float]]]:
    """Numbers of ``text`` followed by an imperial unit, by value: what they make in the
    metric units a translation writes, by dimension, in each of those units."""
    out: dict[float, dict[str, set[float]]] = {}
    for m in _NUMBER.finditer(text):
        value = _value(m.group(), lang)
        if value is None:
            continue
        for unit in _units_after(text, m.end(), IMPERIAL, lang):
            dim, factor = IMPERIAL[unit]
            base = (value - 32) * 5 / 9 if unit == "temperature-fahrenheit" else value * factor
            out.setdefault(value, {}).setdefault(dim, set()).update(
                round(base / f, 6) for d, f in METRIC.values() if d == dim
            )
    return out


def measured(text: str, lang: str) -> dict[float, dict[str, float]]:
    """Numbers of ``text`` followed by a metric unit, by value: dimension -> the value as
    written (in the unit written)."""
    out: dict[float, dict[str, float]] = {}
    for m in _NUMBER.finditer(text):
        value = _value(m.group(), lang)
        if value is None:
            continue
        for unit in _units_after(text, m.end(), METRIC, lang):
            out.setdefault(value, {})[METRIC[unit][0]] = value
    return out


def converts(imperial: dict[str, set[float]], metric: dict[str, float]) -> bool:
    """Whether a metric figure is an imperial one converted and rounded (within
    :data:`TOLERANCE`; degrees Celsius within :data:`DEGREES`), in the same dimension."""
    return any(
        abs(metric[dim] - c) <= (DEGREES if dim == "temperature" else TOLERANCE * abs(c))
        for dim, values in imperial.items()
        if dim in metric
        for c in values
    )
