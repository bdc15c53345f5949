"""Words that mix Latin letters with Cyrillic or Greek ones: lookalike letters.

Writing "thе" with a Cyrillic "е" (or "о", "а", "р", "с") keeps a copied text readable while
every such word becomes another word to a search: it is a known way to hide copying from
plagiarism checkers. unspin matches words as written, so an article treated this way finds
no source (the demo article, its "e", "o" and "a" made Cyrillic: 0% covered, where the plain
one is 99% covered by two sources), and up to robust30 nothing said why.

>>> mixed_script_words("The pоrt (Cyrillic о) reopened; Москва and Athens did not.")
['pоrt']
"""

from __future__ import annotations

import re

# Latin letters (with their accented forms), and the Greek and Cyrillic blocks, whose
# capitals and many small letters look like Latin ones.
_LATIN = "A-Za-z\u00c0-\u024f"
_LOOKALIKE = "\u0370-\u03ff\u0400-\u04ff"
_MIXED = re.compile(
    rf"(?=[{_LATIN}{_LOOKALIKE}]*[{_LATIN}])(?=[{_LATIN}{_LOOKALIKE}]*[{_LOOKALIKE}])[{_LATIN}{_LOOKALIKE}]+"
)
# Fewer such words may be names written so on purpose ("Яndex").
MIN_WORDS = 3


def mixed_script_words(text: str) -> list[str]:
    """The words of ``text`` that hold both Latin letters and Greek or Cyrillic ones."""
    return _MIXED.findall(text)


def lookalike_note(name: str, text: str) -> str | None:
    """What to tell a user whose article ``name`` has :data:`MIN_WORDS` or more such words
    (they match no stored word, so their sources go unfound); None otherwise."""
    words = mixed_script_words(text)
    if len(words) < MIN_WORDS:
        return None
    return (
        f"{name}: {len(words):,} words mix Latin letters with Cyrillic or Greek ones that look "
        f"alike (as {words[0]!r}); they match no stored word, so what was copied in them is "
        "not found: a way to hide copying. Put the Latin letters back and trace again"
    )
