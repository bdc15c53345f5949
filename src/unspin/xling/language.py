"""The language of a text, detected once at ingest and stored with it (``texts.lang``).

py3langid (a core dependency: 4 MB with its model, numpy only) names 97 languages by their
ISO 639-1 codes. Only the first :data:`SAMPLE_CHARS` characters are read (0.2 ms): a text keeps
its language, and the cost per document stays the same whatever its length. A
text with fewer than :data:`MIN_LETTERS` letters gets no language (``None``): on a name or a
number alone the guess is noise.

>>> detect("The central bank raised interest rates by half a point on Tuesday.")
'en'
>>> detect("Центральный банк во вторник повысил процентные ставки.")
'ru'
>>> detect("12 345") is None
True
"""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 400
# CLDR's language distance (langcodes) at or under which two codes count as one language
# when candidates in "another language" are chosen: Wu and Mandarin Chinese (10), Bokmål and
# Norwegian (1); not Danish and Norwegian (12), nor Catalan and Spanish (20).
SAME_LANGUAGE_DISTANCE = 10
MIN_LETTERS = 12


def detect(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text`` (``"en"``, ``"ru"``, ``"zh"``...), or
    ``None`` when it has too few letters to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    # Imported here: its model loads on first use, and most commands never need it.
    import py3langid

    lang, _score = py3langid.classify(sample)
    return str(lang)


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
