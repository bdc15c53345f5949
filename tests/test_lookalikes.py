"""Cyrillic and Greek lookalike letters hidden in Latin words are read as the Latin letters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.edits import label_edits
from unspin.lookalikes import fold_lookalikes, lookalike_note, mixed_script_words
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


@settings(max_examples=300)
@given(st.text(alphabet="abxé\u0430\u043e\u0435\u03bf\u0391 .,1-\u200b", max_size=60))
def test_mixed_words_are_those_the_lookahead_pattern_found(text: str) -> None:
    # robust31: each run of letters is read once, where the pattern's lookaheads read to the
    # end of the run from every letter of it (a 1 MB word: over 300 s); the words are the same.
    from unspin.lookalikes import _MIXED, mixed_script_words

    assert mixed_script_words(text) == _MIXED.findall(text)


def test_a_long_run_of_letters_is_no_mixed_word() -> None:
    assert mixed_script_words("x" * 20_000 + " p\u043ert") == ["p\u043ert"]
    assert lookalike_note("a.txt", "x" * 20_000) is None


def test_invisible_characters_make_no_edits() -> None:
    """Before (31st session): the edit tokens split words and numbers at a zero-width space or
    a soft hyphen (the fingerprints read through them since robust31), so a copy with one in
    every word drew case edits and false distortions ("4\u200b00" read as "4" and "00")."""
    source = "The council said 400 delegates will meet in London on Monday."
    hidden = "The coun\u200bcil said 4\u200b00 dele\u00adgates will meet in Lon\u200bdon on Mon\u2060day."
    assert label_edits(source, hidden) == [] and label_edits(hidden, source) == []
    # A real change still shows, its offsets spanning the invisible characters.
    changed = hidden.replace("4\u200b00", "5\u200b00")
    got = [(e.label, e.source_text, e.target_text) for e in label_edits(source, changed)]
    assert got == [("number_change", "400", "5\u200b00")]


def test_decomposed_accents_make_no_edits() -> None:
    """Before (robust33): a copy in decomposed Unicode (NFD: "e" and U+0301 for "é") drew 15
    edits against the same text composed, typos among them ("réforme" / "forme", "à" / "a"):
    the edit tokens split words at each combining mark."""
    import unicodedata

    source = (
        "Le président Emmanuel Macron a déclaré que la réforme serait adoptée malgré les "
        "manifestations, et les syndicats ont appelé à la grève générale."
    )
    nfd = unicodedata.normalize("NFD", source)
    assert label_edits(source, nfd) == [] and label_edits(nfd, source) == []
    changed = nfd.replace("re\u0301forme", "loi")
    got = [(e.label, e.source_text, e.target_text) for e in label_edits(source, changed)]
    assert ("réforme", "loi") in [(s, t) for _, s, t in got] and len(got) == 1
