"""Cyrillic and Greek lookalike letters hidden in Latin words are read as the Latin letters."""

from __future__ import annotations

from unspin.edits import label_edits
from unspin.lookalikes import fold_lookalikes, lookalike_note
from unspin.text import tokenize

# "pоrt" and "rеopened" with a Cyrillic "о" and "е"; "Москва" is Russian; "ΑΒC" is Greek
# capitals that look like "ABC" beside no Latin letter.
HIDDEN = (
    "The p\u043ert r\u0435opened in \u041c\u043e\u0441\u043a\u0432\u0430 and \u0391\u0392\u0421."
)


def test_mixed_words_are_read_as_the_latin_words_they_show() -> None:
    assert tokenize(HIDDEN).norms[:3] == ("the", "port", "reopened")
    # A word in one script is never changed, however Latin its letters look.
    assert tokenize(HIDDEN).norms[4] == "\u043c\u043e\u0441\u043a\u0432\u0430"
    assert fold_lookalikes("\u0391\u0392\u0421") == "\u0391\u0392\u0421"
    # A mixed word with a letter that looks like no Latin one stays as written.
    assert fold_lookalikes("\u042fndex") == "\u042fndex"


def test_lookalike_letters_are_no_edit() -> None:
    source = "The port reopened in Moscow on Monday."
    target = "The p\u043ert r\u0435opened in Moscow on Monday."
    assert label_edits(source, target) == []
    # A real change beside them is still found.
    changed = label_edits(source, "The p\u043ert closed in Moscow on Monday.")
    assert [(e.source_text, e.target_text) for e in changed] == [("reopened", "closed")]


def test_the_note_counts_the_words() -> None:
    assert lookalike_note("a.txt", HIDDEN) is None  # two words: may be names written so
    note = lookalike_note("a.txt", HIDDEN + " Th\u0435 \u0435nd.")
    assert note is not None and note.startswith("a.txt: 4 words mix Latin letters")
