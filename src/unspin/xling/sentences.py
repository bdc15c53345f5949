"""Sentences of a text in any of the languages unspin traces, as raw character offsets.

The sentences of :func:`unspin.text.sentence_spans` (which ends a sentence at a Chinese or
Japanese full stop where it stands, as at a Latin one followed by whitespace), cut once more
at blank lines: a headline or a paragraph that ends without a full stop is a sentence of its
own. A stretch
with no letter or digit (a rule of dashes, "...", zero-width characters) is no sentence: the
encoder gives it the vector of an empty sentence, close enough to a long one to align.

>>> text = "他说：“价格上涨了。”汇率不变。Prices rose. Rates held."
>>> [text[a:b] for a, b in spans(text)]
['他说：“价格上涨了。”', '汇率不变。', 'Prices rose.', 'Rates held.']
>>> text = "Rates held" + chr(10) * 2 + "The bank kept its rate. It said so."
>>> [text[a:b] for a, b in spans(text)]
['Rates held', 'The bank kept its rate.', 'It said so.']
>>> spans(chr(0x200B) * 50 + chr(10) * 2 + "* * *")
[]
"""

from __future__ import annotations

import re

from ..text import CJK, sentence_spans

# A blank line (whitespace allowed on it) between two paragraphs.
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
# A letter or digit of any script: what a sentence must hold to mean anything.
_WORD_CHARACTER = re.compile(r"[^\W_]")


def spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, whitespace excluded, in text order."""
    out: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        cut = start
        cuts = [m.end() for m in _PARAGRAPH.finditer(text, start, end)]
        for at in cuts:
            if at < end:
                out.append(_trim(text, cut, at))
                cut = at
        out.append(_trim(text, cut, end))
    return [(a, b) for a, b in out if _WORD_CHARACTER.search(text, a, b)]


def width(sentence: str) -> int:
    """Length counting a CJK character as three: about as much meaning as three letters, so
    limits in characters hold the same amount of text in every script."""
    return len(sentence) + 2 * len(CJK.findall(sentence))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
