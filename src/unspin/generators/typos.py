"""Typo injection at a rate: what content-farm spinners and hasty copy-editing leave behind."""

from __future__ import annotations

import random

from ..errors import ConfigError
from ..text import tokenize
from .article_spinner import Spun, check_rate, rewrite

# A digit inside a word ("pos3sibility"), two neighbouring letters swapped ("teh"), a letter
# dropped ("goverment") and a letter doubled ("officiall").
TYPO_KINDS = ("digit", "swap", "drop", "double")


def _typo(word: str, kind: str, rng: random.Random) -> str | None:
    """``word`` with one typo of ``kind``, or None when the word offers no spot for it. Every
    kind changes an inner letter, so the word keeps its first and last letter and stays one
    token."""
    inner = range(1, len(word) - 1)
    if kind == "digit":
        i = rng.choice(inner)
        return word[:i] + str(rng.randrange(10)) + word[i:]
    if kind == "swap":
        spots = [i for i in inner if word[i] != word[i + 1] and i + 1 < len(word) - 1]
        if not spots:
            return None
        i = rng.choice(spots)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        i = rng.choice(inner)
        return word[:i] + word[i + 1 :]
    i = rng.choice(inner)
    return word[: i + 1] + word[i] + word[i + 1 :]


def typos(
    text: str, rate: float = 0.02, seed: int = 0, *, kinds: tuple[str, ...] = TYPO_KINDS
) -> Spun:
    """Put one typo of a kind drawn from ``kinds`` into ``rate`` of the words of ``text``
    (alphabetic tokens of four letters or more; numbers are never touched). Each change is a
    replacement whose ``kind`` is ``typo_`` and the typo's kind; ``achieved_rate`` is the share
    of eligible words changed.

    >>> spun = typos("The government announced a possibility of new measures.", 0.5, seed=1)
    >>> len(spun.replacements), spun.replacements[0].kind.startswith("typo_")
    (2, True)
    """
    check_rate("rate", rate)
    unknown = [k for k in kinds if k not in TYPO_KINDS]
    if unknown or not kinds:
        raise ConfigError(f"typo kinds must be some of {', '.join(TYPO_KINDS)}, got {kinds}")
    rng = random.Random(seed)
    tokens = tokenize(text)
    eligible = [
        (s, e)
        for s, e in zip(tokens.starts, tokens.ends, strict=True)
        if e - s >= 4 and text[s:e].isalpha()
    ]
    swaps: list[tuple[int, int, str, str]] = []
    for start, end in sorted(rng.sample(eligible, round(rate * len(eligible)))):
        kind = rng.choice(kinds)
        new = _typo(text[start:end], kind, rng)
        if new is None:  # no two different inner letters to swap: double one instead
            kind, new = "double", _typo(text[start:end], "double", rng)
        if new is not None:
            swaps.append((start, end, new, f"typo_{kind}"))
    return rewrite(text, swaps, len(swaps) / len(eligible) if eligible else 0.0)
