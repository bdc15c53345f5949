"""Words that mix Latin letters with Cyrillic or Greek ones: lookalike letters.

Writing "thе" with a Cyrillic "е" (or "о", "а", "р", "с") keeps a copied text readable while
every such word becomes another word to a search: it is a known way to hide copying from
plagiarism checkers. Read as written, an article treated this way found no source (the demo
article, its "e", "o" and "a" made Cyrillic: 0% covered, where the plain one is 99% covered
by two sources). So a word that mixes the scripts is read with its Cyrillic and Greek letters
folded to the Latin letters they look like (:func:`fold_lookalikes`, from Unicode's table of
confusable characters in the ``confusable-homoglyphs`` package), and the CLI says it did.
A word in one script ("Москва", "Athens") is never changed.

>>> mixed_script_words("The pоrt (Cyrillic о) reopened; Москва and Athens did not.")
['pоrt']
>>> fold_lookalikes("pоrt"), fold_lookalikes("Москва"), fold_lookalikes("ΙΒM")
('port', 'Москва', 'IBM')
>>> fold_lookalikes("Яndex")
'Яndex'

Invisible characters inside words (zero-width spaces and joiners, soft hyphens:
:data:`unspin.text.INVISIBLE`) hide copying the same way; the words are read without them
(:func:`unspin.text.tokenize`), and :func:`invisible_note` says so.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Latin letters (with their accented forms), and the Greek and Cyrillic blocks, whose
# capitals and many small letters look like Latin ones.
_LATIN = "A-Za-z\u00c0-\u024f"
_LOOKALIKE = "\u0370-\u03ff\u0400-\u04ff"
_MIXED = re.compile(
    rf"(?=[{_LATIN}{_LOOKALIKE}]*[{_LATIN}])(?=[{_LATIN}{_LOOKALIKE}]*[{_LOOKALIKE}])[{_LATIN}{_LOOKALIKE}]+"
)
_LOOKALIKE_CHAR = re.compile(f"[{_LOOKALIKE}]")
_LATIN_CHAR = re.compile(f"[{_LATIN}]")
# A run of Latin, Greek and Cyrillic letters: a word that may mix them.
_LETTER_RUN = re.compile(f"[{_LATIN}{_LOOKALIKE}]+")
_LATIN_WORD = re.compile(f"[{_LATIN}]+")
# Fewer such words may be names written so on purpose ("Яndex").
MIN_WORDS = 3


def in_latin_letters(word: str) -> bool:
    """Whether every character of ``word`` is a Latin letter (accented ones too).

    >>> in_latin_letters("café"), in_latin_letters("Путин"), in_latin_letters("pоrt")
    (True, False, False)
    """
    return _LATIN_WORD.fullmatch(word) is not None


def mixed_script_words(text: str) -> list[str]:
    """The words of ``text`` that hold both Latin letters and Greek or Cyrillic ones.

    Each run of such letters is read once and then searched for both. ``_MIXED.findall``
    looked ahead to the end of the run from every letter of it: a text of 20,000 "x" took
    16 s to check (the square of the run), a 1 MB one over 300 s."""
    return [
        w for w in _LETTER_RUN.findall(text) if _LOOKALIKE_CHAR.search(w) and _LATIN_CHAR.search(w)
    ]


# The edit tokenizer asks for every word not in ASCII (each of a Russian text's, again in
# each passage it labels): the answers are kept.
@lru_cache(maxsize=65_536)
def fold_lookalikes(word: str) -> str:
    """``word`` with its Greek and Cyrillic letters put as the Latin letters they look like,
    if it mixes those scripts with Latin ones and every such letter has a Latin lookalike;
    otherwise ``word`` unchanged (a word in one script, or "Яndex", whose "Я" looks like no
    Latin letter)."""
    if word.isascii() or not _MIXED.fullmatch(word):
        return word
    table = _latin_lookalikes()
    folded = "".join(table.get(c, c) for c in word)
    return folded if not _LOOKALIKE_CHAR.search(folded) else word


@lru_cache(maxsize=1)
def _latin_lookalikes() -> dict[str, str]:
    """Each Greek or Cyrillic letter that Unicode's confusables table (``confusables.txt``,
    through ``confusable-homoglyphs``) gives a one-letter Latin lookalike, and that letter.
    Loaded on the first mixed word (a 0.9 MB table)."""
    from confusable_homoglyphs import confusables

    out: dict[str, str] = {}
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or not _LOOKALIKE_CHAR.fullmatch(char):
            continue
        latin = [e["c"] for e in entries if e["c"].isascii() and e["c"].isalpha()]
        latin = [c for c in latin if len(c) == 1]
        if latin:
            # The table's prototype of a capital I is a small l ("Ι" -> "l"): a capital
            # keeps a capital.
            out[char] = "I" if char.isupper() and latin[0] == "l" else latin[0]
    return out


def lookalike_note(name: str, text: str) -> str | None:
    """What to tell a user whose article ``name`` has :data:`MIN_WORDS` or more such words
    (a way to hide copying, which the edits no longer show once the words are folded); None
    otherwise."""
    words = mixed_script_words(text)
    if len(words) < MIN_WORDS:
        return None
    return (
        f"{name}: {len(words):,} words mix Latin letters with Cyrillic or Greek ones that look "
        f"alike (as {words[0]!r}), a way to hide copying; they were read as the Latin words "
        "they show"
    )


def invisible_note(name: str, text: str) -> str | None:
    """What to tell a user whose article ``name`` has :data:`MIN_WORDS` or more words holding
    invisible characters other than soft hyphens (read without them, so the edits no longer
    show them); None otherwise.

    >>> invisible_note("a.txt", "The po\u200brt and the ci\u200bty and the ri\u200bver.")
    "a.txt: 3 words hold invisible characters (zero width space U+200B, as in 'port'), a way to hide copying; they were read without them"
    >>> invisible_note("b.html", "hy\u00adphen\u00ada\u00adtion of long words in a page") is None
    True
    """
    from .text import DROP_INVISIBLE, INVISIBLE, has_invisible, tokenize

    if not has_invisible(text):
        return None
    # Soft hyphens are how web pages mark where a long word may break: read without them,
    # but no sign of hiding anything.
    hidden = frozenset(INVISIBLE) - {"\u00ad"}
    tokens = tokenize(text)
    words = [text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True)]
    hiding = [w for w in words if not hidden.isdisjoint(w)]
    if len(hiding) < MIN_WORDS:
        return None
    kinds = sorted({c for w in hiding for c in w if c in hidden})
    named = ", ".join(
        f"{unicodedata.name(c, 'format character').lower()} U+{ord(c):04X}" for c in kinds
    )
    return (
        f"{name}: {len(hiding):,} words hold invisible characters ({named}, as in "
        f"{hiding[0].translate(DROP_INVISIBLE)!r}), a way to hide copying; they were read "
        "without them"
    )


def reading_note(name: str, text: str, store: str, reading: int) -> str | None:
    """What to tell a user tracing article ``name`` against a store stamped with an older
    word reading (``reading``, :data:`unspin.fingerprints.WORD_READING`) when the article holds
    what that reading split words at (combining marks, invisible characters): its stored
    texts with them were fingerprinted the old way, and the sources among them can be missed
    until the store is re-indexed; None otherwise.

    >>> reading_note("a.txt", "re\u0301forme des retraites", "old.db", 1)
    'a.txt: its words hold combining marks or invisible characters, which old.db (indexed by an older unspin) read as word breaks: sources holding them may be missed; re-index with: unspin reindex --db old.db'
    >>> reading_note("a.txt", "plain words", "old.db", 1) is None
    True
    """
    from .fingerprints import WORD_READING
    from .text import has_invisible, mark_kind

    if reading >= WORD_READING or not (mark_kind(text)[0] or has_invisible(text)):
        return None
    return (
        f"{name}: its words hold combining marks or invisible characters, which {store} "
        "(indexed by an older unspin) read as word breaks: sources holding them may be "
        f"missed; re-index with: unspin reindex --db {store}"
    )
