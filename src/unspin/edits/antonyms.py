"""Words of opposite meaning, from WordNet 3.0 (``scripts/build_antonyms.py`` ships its pairs).

A spinner's thesaurus, or a careless rewrite, can put a word's antonym in its place: "a demotion
for poor performance" became "a promotion for subpar work" in a real QuillBot paraphrase. That
reverses what the sentence says as surely as a dropped "not". WordNet links antonyms lemma to
lemma, so a pair is looked up through the words' dictionary lemmas too ("rose" / "fell" through
"rise" / "fall").

>>> opposite("approved", "disapproved"), opposite("rose", "fell"), opposite("rose", "grew")
(True, True, False)
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..lemma_table import known_lemmas
from ..spinscore.packaged import packaged_json

_PATH = "data/antonyms.json"
_SCRIPT = "scripts/build_antonyms.py"


@cache
def antonym_pairs() -> frozenset[tuple[str, str]]:
    """The shipped pairs, each in both orders. Read on first use, not at import."""

    def read(raw: dict[str, Any]) -> frozenset[tuple[str, str]]:
        pairs = [(str(a), str(b)) for a, b in raw["pairs"]]
        if not pairs:
            raise ValueError("it lists no pairs")
        return frozenset(pairs + [(b, a) for a, b in pairs])

    return packaged_json(_PATH, "antonym list", _SCRIPT, read)


@cache
def _forms(word: str) -> frozenset[str]:
    """The word (lower case) and its dictionary lemmas."""
    word = word.lower()
    return known_lemmas(word) | {word}


def opposite(a: str, b: str) -> bool:
    """WordNet lists a lemma of ``a`` and one of ``b`` as antonyms."""
    pairs = antonym_pairs()
    return any((x, y) in pairs for x in _forms(a) for y in _forms(b))


def has_antonym(word: str) -> bool:
    """WordNet knows an antonym of a lemma of ``word``."""
    return any(f in _words_with_antonyms() for f in _forms(word))


@cache
def _words_with_antonyms() -> frozenset[str]:
    return frozenset(a for a, _ in antonym_pairs())


def _word_list(path: str, what: str, script: str, key: str) -> frozenset[str]:
    """The words a shipped WordNet list holds under ``key``; an empty list is an error."""

    def read(raw: dict[str, Any]) -> frozenset[str]:
        words = frozenset(str(w) for w in raw[key])
        if not words:
            raise ValueError(f"it lists no {key}")
        return words

    return packaged_json(path, what, script, read)


_VERBS_PATH = "data/negating_verbs.json"
_VERBS_SCRIPT = "scripts/build_negating_verbs.py"


@cache
def negating_verbs() -> frozenset[str]:
    """Verbs that deny the verb they take with "to" ("fail", "refuse"): WordNet gives them that
    frame and a verb antonym, Moby lists "not" + the antonym as a synonym ("fail": "not pass").
    Read on first use.

    >>> sorted(negating_verbs())
    ['decline', 'fail', 'forget', 'refuse']
    """

    return _word_list(_VERBS_PATH, "negating verb list", _VERBS_SCRIPT, "verbs")


_NEGATIVE_ONLY_PATH = "data/negative_only_verbs.json"
_NEGATIVE_ONLY_SCRIPT = "scripts/build_negative_only_verbs.py"


@cache
def negative_only_verbs() -> frozenset[str]:
    """Verbs WordNet says are always used with a negative, the negator part of the phrase
    ("could not help watching": watched). Read on first use.

    >>> sorted(negative_only_verbs())
    ['help']
    """

    return _word_list(
        _NEGATIVE_ONLY_PATH, "negative-only verb list", _NEGATIVE_ONLY_SCRIPT, "verbs"
    )


_ADVERBS_PATH = "data/negator_adverbs.json"
_ADVERBS_SCRIPT = "scripts/build_negator_adverbs.py"


@cache
def negator_adverbs() -> frozenset[tuple[str, ...]]:
    """Adverbs of several words that WordNet glosses as a denial and writes with a negator
    ("no longer": "not now"), each as its words. Read on first use.

    >>> ("no", "longer") in negator_adverbs(), ("no", "doubt") in negator_adverbs()
    (True, False)
    """

    def read(raw: dict[str, Any]) -> frozenset[tuple[str, ...]]:
        adverbs = frozenset(tuple(str(w) for w in a) for a in raw["adverbs"])
        if not adverbs:
            raise ValueError("it lists no adverbs")
        return adverbs

    return packaged_json(_ADVERBS_PATH, "negator adverb list", _ADVERBS_SCRIPT, read)


_DENYING_PATH = "data/denying_adverbs.json"
_DENYING_SCRIPT = "scripts/build_denying_adverbs.py"


@cache
def denying_adverbs() -> frozenset[str]:
    """One-word adverbs that WordNet glosses as a negator with an adverb of frequency or degree
    ("hardly": "almost not", "seldom": "not often"). They deny as "not" does. Read on first use.

    >>> sorted(denying_adverbs() & {"hardly", "seldom", "barely", "little"})
    ['hardly', 'seldom']
    """

    return _word_list(_DENYING_PATH, "denying adverb list", _DENYING_SCRIPT, "adverbs")
