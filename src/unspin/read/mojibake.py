"""Text decoded the wrong way somewhere upstream, put back before anything reads it.

Copies of web text often went through a step that read UTF-8 as Latin-1 or Windows-1252
("Burial\u00c2\u00a01" for "Burial\u00a01", "don\u00e2\u20ac\u2122t" for "don\u2019t"), or
Windows-1252 punctuation as Latin-1 control characters (the PAN 2013 corpus writes "\x91" for
"\u2018"). The bytes are valid, so the decoder in :mod:`unspin.read.plain` cannot tell; the
text is simply wrong. Left in, each garbled word is an edit the aligner has to explain (a
"typo" in ``compare``), a token no source shares, and typo evidence for the spin score, none of
which the copier wrote: 61 of the 200 SpinBot paragraphs of docs/benchmarks.md 15.16 carry it.

ftfy (a maintained library, already installed through wordfreq) finds and reverses such
sequences and leaves text alone unless the result is clearly better. The repair is reported as
an :class:`~unspin.errors.InputWarning`, as removed NUL bytes are, and it changes character
offsets: every offset unspin reports is into the repaired text, which the JSON report carries.
Text without the characters every garbled sequence holds costs one regular-expression scan.

>>> text, note = put_back("It was found in Structure\u00c2\u00a07A.", "a.txt")
>>> text == "It was found in Structure\u00a07A."
True
>>> print(note)
a.txt: text decoded in the wrong encoding upstream put back (1 garbled sequence)
>>> put_back("Caf\u00e9 and na\u00efve r\u00e9sum\u00e9 stay as written.", "b.txt")[1] is None
True
"""

from __future__ import annotations

import logging
import re

from ..errors import InputWarning

log = logging.getLogger(__name__)

# Every such sequence holds a C1 control character (Windows-1252 punctuation read as Latin-1)
# or a UTF-8 lead byte read as one character (U+00C2-U+00F4: "Â", "Ã", "â"...), so text with
# neither (English with curly quotes, Chinese, Russian) skips ftfy's slower scan.
_MAY_BE_GARBLED = re.compile("[\x80-\x9f\xc2-\xf4]")


def put_back(text: str, where: str) -> tuple[str, InputWarning | None]:
    """``text`` with mojibake reversed, and the note naming ``where`` when anything changed."""
    if text.isascii() or not _MAY_BE_GARBLED.search(text):
        return text, None
    # Imported here: a file of plain ASCII (most English text) never pays for ftfy's import.
    from ftfy import fix_encoding
    from ftfy.badness import badness

    count = badness(text)  # ftfy's count of sequences that look garbled
    if not count:
        return text, None
    fixed = fix_encoding(text)
    if fixed == text:
        return text, None
    what = "sequence" if count == 1 else "sequences"
    note = InputWarning(
        where,
        f"text decoded in the wrong encoding upstream put back ({count:,} garbled {what})",
    )
    return fixed, note


def put_back_logged(text: str, where: str) -> str:
    """:func:`put_back` for a caller with no stream of notes (the CLI's own reading of plain
    text and of standard input): the note is logged as the readers' notes are."""
    fixed, note = put_back(text, where)
    if note is not None:
        log.warning("%s", note)
    return fixed
