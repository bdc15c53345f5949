"""Which English words are names, read from how a body of English text writes them, for the
news bench's planted name changes (docs/benchmarks.md 18.20).

The fact check's own name finder (``unspin.xling.facts.source_names``) takes a sentence's
first word for a name when no English dictionary holds it ("Unevaluated", "Offline") and a
capitalised word no frequency list holds for one anywhere ("Source:", the last word of a
title-case headline glued to its site, "Security-Ecns"). A bench that plants its name changes
on the words that finder picks measures whether the checker notices changes to what it itself
takes for names. This reads names from case alone, the way a reader of English does: a word
is a proper noun when the texts write it capitalised inside a sentence (not as a sentence's
first word, not in a headline that capitalises every word) and never in lower case. A title
word of a name ("Province" of "Hunan Province", "Hospital") is written in lower case too ("the
province"): it names no one, the word beside it does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A word of letters, digits, apostrophes and hyphens, as the bench reads the sentence.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*")
# The parts of a token that are letters only ("Kin" and "chung" of "Kin-chung").
_LETTERS = re.compile(r"[^\W\d_]+")
# Before a sentence's first word: the text's start, a line break, an end mark or a colon
# (a closing quotation mark may follow it), an opening quotation mark. Not a closing mark
# after a comma: '"Not now," Fauci said'.
_OPENING = re.compile(r"(?:^|\n|[.!?…:][\"”»’]?|(?:^|\s)[\"“«‘])\s*$")
# One letter says nothing by its case ("E" of "E-sports", "s" of "Trump’s").
_SHORTEST = 2


def _is_title_case(text: str) -> bool:
    """A headline that capitalises every word of four letters or more after its first, three
    or more of them: its capitals are its style, not names ("Officials in Hunan Province
    met" is a sentence)."""
    long_words = [w for w in _LETTERS.findall(text)[1:] if len(w) >= 4]
    return len(long_words) >= 3 and all(w[0].isupper() for w in long_words)


@dataclass(frozen=True, slots=True)
class ProperNouns:
    """The words some text writes capitalised inside a sentence, and those it writes in lower
    case anywhere (in a token that starts in lower case)."""

    capitalised: frozenset[str]
    lower: frozenset[str]

    def is_name_word(self, word: str) -> bool:
        """Whether ``word`` (a token: "Kin-chung", "Trump's", "Security-Ecns") is a word of a
        name: it has a capitalised part of two letters or more, no digit, each such part is
        written capitalised inside a sentence and never in lower case, and no lower-case part
        is a word the texts write on its own: "Taiwan-related", "ANSI-compliant" and
        "Chinese-style" are adjectives made of a name and an English word, not names ("chung"
        of "Kin-chung" is no word of its own)."""
        if any(c.isdigit() for c in word):
            return False  # a code or a model ("COVID-19", "Su-35"): numbers are planted apart
        letters = [p for p in _LETTERS.findall(word) if len(p) >= _SHORTEST]
        parts = [p for p in letters if p[0].isupper()]
        return (
            bool(parts)
            and all(p in self.capitalised and p.lower() not in self.lower for p in parts)
            and not any(p.islower() and p in self.lower for p in letters)
        )


def proper_nouns(texts: Iterable[str]) -> ProperNouns:
    """Read ``texts`` (English sentences or paragraphs) for how they write each word.

    >>> nouns = proper_nouns(["Officials in Hunan Province said so.", "The province is big.",
    ...                       "Unevaluated plans failed.", "Plans Fail Again In Hunan"])
    >>> [nouns.is_name_word(w) for w in ("Hunan", "Province", "Unevaluated", "Fail", "E-sports")]
    [True, False, False, False, False]
    >>> nouns = proper_nouns(["We met Kin-chung of Taiwan-related firms.", "It is related."])
    >>> [nouns.is_name_word(w) for w in ("Kin-chung", "Taiwan-related", "Taiwan")]
    [True, False, True]
    """
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        title = _is_title_case(text)
        for token in _TOKEN.finditer(text):
            opening = bool(_OPENING.search(text[: token.start()]))
            # A lower-case part of a capitalised token is a name's ("yu" of "Ching-yu").
            written_lower = token.group()[0].islower()
            for part in _LETTERS.finditer(token.group()):
                w = part.group()
                if len(w) < _SHORTEST:
                    continue
                if w.islower():
                    if written_lower:
                        lower.add(w)
                elif w[0].isupper() and not title and not (opening and part.start() == 0):
                    capitalised.add(w)
    return ProperNouns(frozenset(capitalised), frozenset(lower))
