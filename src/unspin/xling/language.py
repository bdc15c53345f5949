"""The language of a text, detected once at ingest and stored with it (``texts.lang``).

py3langid (a core dependency: 4 MB with its model, numpy only) names 97 languages by their
ISO 639-1 codes (with probabilities). Only the first :data:`SAMPLE_CHARS` characters are read (0.2 ms): a text keeps
its language, and the cost per document stays the same whatever its length. A
text with fewer than :data:`MIN_LETTERS` letters gets no language (``None``): on a name or a
number alone the guess is noise.

>>> detect("The central bank raised interest rates by half a point on Tuesday.")
'en'
>>> detect("Центральный банк во вторник повысил процентные ставки.")
'ru'
>>> detect("12 345") is None
True

Latin-script text labelled at odds under :data:`MIN_LATIN_PROBABILITY` gets no language
either: wire-service tables of figures are no language, whatever the model's best guess.

>>> detect("Shr 45 cts vs 58 cts Net 1.1 mln vs 829,000 Sales 7.9 mln vs 9.4 mln") is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from .langid_batch import FEWEST, Tables, classify_many, tables

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

SAMPLE_CHARS = 400
# CLDR's language distance (langcodes) at or under which two codes count as one language
# when candidates in "another language" are chosen: Wu and Mandarin Chinese (10), Bokmål and
# Norwegian (1); not Danish and Norwegian (12), nor Catalan and Spanish (20).
SAME_LANGUAGE_DISTANCE = 10
MIN_LETTERS = 12
# Below this probability a label of Latin-script text is not kept (see :func:`detect`).
MIN_LATIN_PROBABILITY = 0.5


def detect(text: str, latin_floor: float = MIN_LATIN_PROBABILITY) -> str | None:
    """ISO 639-1 code of the language of ``text`` (``"en"``, ``"ru"``, ``"zh"``...), or
    ``None`` when it has too few letters to tell; a Latin-script text labelled at odds under
    ``latin_floor`` gets none (a caller that must not mistake English may ask for more)."""
    sample = text[:SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    lang, probability = _identifier().classify(sample)
    return _kept(sample, lang, probability, latin_floor)


def detect_many(texts: Sequence[str]) -> list[str | None]:
    """:func:`detect` of each text, the same values, in about half the time for many texts
    (:mod:`unspin.xling.langid_batch`): ingest detects every document's language."""
    samples = [t[:SAMPLE_CHARS] for t in texts]
    out: list[str | None] = [None] * len(samples)
    todo = [k for k, s in enumerate(samples) if _has_letters(s, MIN_LETTERS)]
    machine = _tables() if len(todo) >= FEWEST else None
    if machine is None:  # too few texts, or a py3langid whose insides are not these
        for k in todo:
            out[k] = detect(samples[k])
        return out
    identifier = _identifier()
    encoded = [identifier._encode(samples[k]) for k in todo]
    for k, (lang, probability) in zip(
        todo, classify_many(identifier, machine, encoded), strict=True
    ):
        out[k] = _kept(samples[k], lang, probability)
    return out


def _kept(
    sample: str, lang: str, probability: float, latin_floor: float = MIN_LATIN_PROBABILITY
) -> str | None:
    """The model's label of ``sample``, or ``None`` where it is no language (see :func:`detect`)."""
    if lang == "zxx":  # the model's "no linguistic content" (base64, code, markup): none
        return None
    if probability < latin_floor and mostly_latin(sample):
        # Reuters' tables ("Shr 45 cts vs 58 cts") came out Nigerian Pidgin (pcm) or "no
        # language" (zxx) at these odds; real prose in these scripts scores 0.6 and more.
        return None
    return str(lang)


@lru_cache(maxsize=1)
def _tables() -> Tables | None:
    return tables(_identifier())


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's model with probabilities that sum to 1 (its module-level ``classify``
    gives raw scores), loaded on first use from an uncompressed copy of its model
    (:mod:`unspin.xling.langid_model`: py3langid's own load decompresses 68 MB each time)."""
    from .langid_model import load_identifier

    return load_identifier()


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters (it stops counting at ``n``: prose gets
    there in its first words, and ingest detects every document's language)."""
    return next(islice((ch for ch in text if ch.isalpha()), n - 1, None), None) is not None


def mostly_latin(text: str) -> bool:
    """Whether most letters of ``text`` are Latin (ASCII or Latin-1 and Extended)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch < "\u0250" for ch in letters) * 2 > len(letters)


@lru_cache(maxsize=1024)
def same_language(a: str, b: str) -> bool:
    """Whether the detected codes ``a`` and ``b`` stand for one language: equal, or at most
    :data:`SAME_LANGUAGE_DISTANCE` apart either way. The detector names a few Chinese news
    texts Wu (``wuu``): they are not sources "in another language" for a Chinese article.

    >>> same_language("zh", "wuu"), same_language("zh", "ja"), same_language("en", "en")
    (True, False, True)
    """
    if a == b:
        return True
    import langcodes

    try:
        near = min(langcodes.tag_distance(a, b), langcodes.tag_distance(b, a))
    except (ValueError, LookupError):
        return False  # "" (unknown) or a tag langcodes cannot parse
    return near <= SAME_LANGUAGE_DISTANCE


def two_languages(first: str, second: str) -> tuple[str, str] | None:
    """The languages of two texts when they differ (neither too short to tell), else None:
    compare aligns one language, so two texts in two that share nothing are a translation
    to trace across languages, not texts with nothing in common."""
    a, b = detect(first), detect(second)
    return (a, b) if a is not None and b is not None and a != b else None


def two_languages_note(source: str, source_lang: str, target: str, target_lang: str) -> str:
    """What to say of two texts in two languages (:func:`two_languages`), ``source`` and
    ``target`` their names as shown."""
    return (
        f"{source} reads as language '{source_lang}' and {target} as '{target_lang}': compare "
        "aligns texts in one language; to trace a translation to its source, ingest the source "
        "with --xling and run: unspin trace --languages across"
    )
