"""Keeping invented vulgar words out of suggested originals.

Thesaurus lists and GloVe neighbours link plain words to vulgar ones ("mean square asshole"
for a tortured "mean square error"). A fact-checking tool must not put a vulgar word in a
reader's mouth, so a suggested original holding one is dropped unless the input itself used
that word. The words are those of ``better-profanity``'s list that WordNet marks as obscene,
slang or a slur, or does not know, less the plain words it also holds ("kill", "stroke",
"organ", "penis", "nazi"): ``scripts/build_vulgar_words.py`` decides and writes them to
``unspin/data/vulgar_words.json``, so scoring needs neither package. A suggestion's words are
matched as they are, lower-cased (the list spells out inflections; stems would block "test"
for "testes"); a multi-word entry counts when its words stand in a row.

>>> without_vulgar([("mean square asshole", -1.0), ("mean square error", -2.0)], set())
[('mean square error', -2.0)]
>>> without_vulgar([("damn shame", -1.0)], {"damn"})
[('damn shame', -1.0)]
>>> is_vulgar("kill the organ stroke", set()), is_vulgar("a blow job", set())
(False, True)
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import islice
from typing import Any

from ..text import stem
from .packaged import packaged_json

_PATH = "data/vulgar_words.json"
_SCRIPT = "scripts/build_vulgar_words.py"


@cache
def vulgar_words() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The shipped vulgar words: single words, and multi-word entries as word tuples. Read on
    first use, not at import (``unspin score`` starts cold)."""

    def read(raw: dict[str, Any]) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
        entries = [str(w).lower() for w in raw["words"]]
        if not entries:
            raise ValueError("it lists no words")
        single = frozenset(w for w in entries if " " not in w)
        multi = tuple(tuple(w.split()) for w in entries if " " in w)
        return single, multi

    return packaged_json(_PATH, "vulgar word list", _SCRIPT, read)


@cache
def _multi_by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The multi-word entries by their first word: a suggestion is checked only against the
    entries that can start at one of its words (a scan asks about thousands of candidates)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for entry in vulgar_words()[1]:
        by_first.setdefault(entry[0], []).append(entry)
    return {first: tuple(entries) for first, entries in by_first.items()}


def _used(word: str, seen: Container[str]) -> bool:
    return word in seen or stem(word) in seen


def is_vulgar(text: str, seen: Container[str]) -> bool:
    """Whether ``text`` (a suggestion) holds a vulgar word or multi-word entry that ``seen``
    (the input's lower-cased words or their stems) does not use."""
    single = vulgar_words()[0]
    words = text.lower().split()
    if any(w in single and not _used(w, seen) for w in words):
        return True
    if len(words) < 2:
        return False  # every multi-word entry has two words or more
    by_first = _multi_by_first()
    for i, first in enumerate(words):
        for entry in by_first.get(first, ()):
            n = len(entry)
            if tuple(words[i : i + n]) == entry and not all(_used(w, seen) for w in entry):
                return True
    return False


def without_vulgar(
    ranked: Sequence[tuple[str, float]], seen: Container[str]
) -> list[tuple[str, float]]:
    """``ranked`` suggestions ``(wording, score)`` less those :func:`is_vulgar` against
    ``seen``, in their order."""
    return list(_clean(ranked, seen))


def first_without_vulgar(
    ranked: Iterable[tuple[str, float]], seen: Container[str], k: int
) -> list[tuple[str, float]]:
    """The first ``k`` of :func:`without_vulgar` ``(ranked, seen)``, checking only as many
    suggestions as it takes (a span shows three of up to 128 candidates)."""
    return list(islice(_clean(ranked, seen), k))


def _clean(
    ranked: Iterable[tuple[str, float]], seen: Container[str]
) -> Iterator[tuple[str, float]]:
    # Only a suggestion holding a listed word or entry at all can be vulgar against ``seen``:
    # most are plain, and that is known once per wording (retrieval's second query asks
    # about thousands of candidates a text).
    return (
        (text, score)
        for text, score in ranked
        if not (holds_vulgar(text) and is_vulgar(text, seen))
    )


@lru_cache(maxsize=1 << 16)
def holds_vulgar(text: str) -> bool:
    """Whether ``text`` holds a vulgar word or entry whatever the input uses (what
    :func:`is_vulgar` says against no words): where this is False, :func:`is_vulgar` is
    False against any input.

    >>> holds_vulgar("mean square asshole"), holds_vulgar("mean square error")
    (True, False)
    """
    return is_vulgar(text, ())
