"""Re-ranking the index's nearest texts with evidence that survives translation.

One lead vector a text (:mod:`.index`) ranks a Chinese original of an English article first
only about 4 times in 5: e5 scores Chinese-English pairs lower than the other languages, and
the other Chinese news of the store comes close. What a translation keeps whatever the
language are its numbers written in digits and its names, spelled in Latin letters or
transliterated: 习近平 is written ``XiJinPing`` by anyascii (a core dependency), "Xi Jinping"
in English; Путин is ``Putin``.

:func:`keys` reads these from a text; :func:`rerank` orders the :data:`POOL` nearest texts by
their cosine plus :data:`WEIGHT` times the share of keys they have in common with the article
(:func:`evidence`). Nothing is encoded: the candidates' texts are read from the store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from anyascii import anyascii

from ..store import Store
from .index import VectorHit, nearest
from .sentences import CJK

# Nearest texts re-ranked: an English news article's Chinese original is among the 50
# nearest for 0.98 of them, among the 5 nearest for 0.92 (docs/benchmarks.md 18.4).
POOL = 50
# Weight of the shared-key share against the cosine, and the smoothing of the share
# (:func:`evidence`): fitted together on the even-numbered news articles of section 18.4
# (the best lowest recall@1 over the five languages); the cosines of a query's nearest texts
# lie within a few hundredths of each other.
WEIGHT = 0.4
# Added to the smaller key count in :func:`evidence`, so that a text with two or three keys
# that happen to match does not count as much as one with twenty keys that all match.
SMOOTH = 20
# Keys are cut to this many letters: an inflected name keeps its stem (Путина, Putina:
# ``putin``), and a word shorter than :data:`MIN_KEY` letters is too common to tell.
KEY_LETTERS = 5
MIN_KEY = 4
# Consecutive CJK characters joined into one key: a Chinese name or place is one to three
# characters (北京 ``beijing``, 习近平 ``xijinping``).
MAX_CJK_RUN = 3

_NUMBER = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")


def keys(text: str) -> frozenset[str]:
    """Numbers of two digits or more (``#2021``) and names as lowercase Latin letters, cut
    to :data:`KEY_LETTERS`: capitalised words (or words of scripts without case) through
    anyascii, and every run of one to :data:`MAX_CJK_RUN` CJK characters (a Chinese text
    does not mark its names).

    >>> sorted(keys("Путин встретился с Меркель 12 мая 2021 года."))
    ['#12', '#2021', 'merke', 'putin']
    >>> sorted(k for k in keys("习近平在北京") if k in ("xijin", "beiji"))
    ['beiji', 'xijin']
    """
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        digits = str(int(m.group()))  # fullwidth digits and leading zeros normalised
        if len(digits) >= 2:
            out.add("#" + digits)
    for m in _LETTERS.finditer(text):
        word = m.group()
        if CJK.search(word):
            out.update(_cjk_keys(word))
        elif not word[0].islower():
            key = anyascii(word).lower()
            if len(key) >= MIN_KEY:
                out.add(key[:KEY_LETTERS])
    return frozenset(out)


def _cjk_keys(run: str) -> set[str]:
    """Keys of every run of 1 to :data:`MAX_CJK_RUN` consecutive CJK characters."""
    syllables = [anyascii(ch).lower() for ch in run]
    out: set[str] = set()
    for i in range(len(syllables)):
        for n in range(1, MAX_CJK_RUN + 1):
            if i + n > len(syllables):
                break
            key = "".join(syllables[i : i + n])
            if len(key) >= MIN_KEY and key.isascii() and key.isalpha():
                out.add(key[:KEY_LETTERS])
    return out


def evidence(article: frozenset[str], candidate: frozenset[str]) -> float:
    """Share of keys in common: the shared keys over the smaller key set (a Chinese text's
    many character runs do not count against it), smoothed by :data:`SMOOTH`."""
    shared = len(article & candidate)
    return shared / (min(len(article), len(candidate)) + SMOOTH)


def rerank(
    store: Store, text: str, hits: Sequence[VectorHit], weight: float = WEIGHT
) -> list[VectorHit]:
    """``hits`` ordered by cosine plus ``weight`` times :func:`evidence` with ``text`` (each
    hit keeps its cosine as its similarity; the order is what changes)."""
    if not hits or weight == 0:
        return list(hits)
    mine = keys(text)
    texts = store.texts([h.text_key for h in hits])
    scores = np.array(
        [h.similarity + weight * evidence(mine, keys(texts[h.text_key])) for h in hits]
    )
    order = np.argsort(-scores, kind="stable")
    return [hits[i] for i in order]


def candidates(
    store: Store, text: str, vec: np.ndarray, k: int, *, other_than: str | None = None
) -> list[VectorHit]:
    """The ``k`` best candidates for ``text`` (its vector ``vec``): the :data:`POOL` nearest
    in another language (:func:`.index.nearest`), re-ranked (:func:`rerank`)."""
    hits = nearest(store, vec, max(k, POOL), other_than=other_than)
    return rerank(store, text, hits)[:k]
