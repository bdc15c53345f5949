"""Distortion flags read on real SpinBot output beside its Wikipedia originals (benchmarks
15.16; development data kept outside the repository), one case per class fixed, and the flag
still firing on a real change of the same kind. Both directions are checked."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags
from edit_flags import flagged

from unspin.edits import label_edits
from unspin.types import Passage


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A common word written as the abbreviation Moby lists for it (3 of SpinBot's 18
        # entity changes on 158 paragraphs were "television" / "TV").
        (
            "The storyline was covered on national television news that week.",
            "The storyline was secured on national TV news that week.",
        ),
        (
            "He had been cast as Roy in a television series about the club.",
            "He had been given a role as Roy in a TV arrangement about the club.",
        ),
    ],
)
def test_a_word_and_its_listed_abbreviation_are_no_name_change(source: str, target: str) -> None:
    assert "entity_change" not in flags(source, target)
    assert "entity_change" not in flags(target, source)


@pytest.mark.parametrize(
    ("source", "target", "change"),
    [
        # An abbreviation that is no synonym of the word: a name brought in.
        (
            "The storyline was covered on national television news that week.",
            "The storyline was covered on national CNN news that week.",
            ("television", "CNN"),
        ),
        # SpinBot garbling a name: the academy is another one now.
        (
            "After graduating from the U.S. Naval Academy in 1867, he was posted to a vessel.",
            "In the wake of moving on from the U.S. Maritime Academy in 1867, he was posted to a vessel.",
            ("Naval", "Maritime"),
        ),
        # A quoted title in capitals keeps its words names (SpinBot: "Mother Earth" -> "Mom
        # Earth", "Grand Theft Auto" -> "Stupendous Theft Auto"; benchmarks 10.36).
        (
            'Plays about her include Martin Duberman\'s "Mother Earth" (1991) and others.',
            'Plays about her incorporate Martin Duberman\'s "Mom Earth" (1991) and others.',
            ("Mother", "Mom"),
        ),
        (
            'Dan Houser, a figure in the development of the "Grand Theft Auto" series, spoke.',
            'Dan Houser, a figure in the improvement of the "Stupendous Theft Auto" arrangement, spoke.',
            ("Grand", "Stupendous"),
        ),
        # A name opening a quoted sentence is still a name.
        (
            'She said that "Berkman is indeed a violent man," and left the room at once.',
            'She said that "Reitman is to be sure a savage man," and left the room at once.',
            ("Berkman", "Reitman"),
        ),
    ],
)
def test_names_really_changed_are_still_flagged(
    source: str, target: str, change: tuple[str, str]
) -> None:
    assert ("entity_change", *change) in flagged(source, target)
    assert ("entity_change", change[1], change[0]) in flagged(target, source)


# A negation lost elsewhere in the reuse ("failed to" / "neglected to") makes the whole text's
# count differ, as in the SpinBot paragraph where "Unlike" was flagged.
_TAIL = (
    " Even in Denmark, many of his compositions failed to impress.",
    " Indeed, even in Denmark, huge numbers of his sytheses neglected to inspire.",
)


def test_a_negative_word_reworded_whole_is_no_lost_negation() -> None:
    source = "Unlike his rival, the minister did not resign after the vote." + _TAIL[0]
    target = "In contrast to his rival, the minister did not resign after the vote." + _TAIL[1]
    assert "negation" not in flags(source, target)
    assert "negation" not in flags(target, source)


def test_a_negative_word_put_for_its_base_is_still_a_negation() -> None:
    source = "Unlike his rival, the minister did not resign after the vote." + _TAIL[0]
    target = "Like his rival, the minister did not resign after the vote." + _TAIL[1]
    assert ("negation", "Unlike", "Like") in flagged(source, target)
    assert ("negation", "Like", "Unlike") in flagged(target, source)


# A passage that begins inside a quoted title: SpinBot's "Super Mario 64" paragraph aligned
# from "Mario" on, and the title's closing quote was read as an opening one, so the narration
# up to the next quote (16 of the paragraph's words) was flagged as quoted (28 of 456 SpinBot
# quote changes, benchmarks 10.34).
_TITLE = (
    '"Super Mario 64" received widespread critical acclaim and is the best-selling game. At'
    ' the festival in Cannes, it took home a "Gold" prize for revenues above 21 million.',
    '"Super Mario 64" got boundless basic praise and is the top rated amusement. At'
    ' the celebration in Cannes, it brought home a "Gold" prize for incomes above 21 million.',
)


def _inside(source: str, target: str, word: str) -> list[tuple[str, str, str]]:
    """The flags of the pair aligned from ``word`` (inside the opening quotation) on."""
    passage = Passage(source.index(word), len(source), target.index(word), len(target))
    return [
        (e.label, e.source_text, e.target_text)
        for e in label_edits(source, target, passage)
        if e.distortion
    ]


def test_narration_after_a_quoted_title_is_no_quotation_when_a_passage_starts_inside_it() -> None:
    assert _inside(*_TITLE, "Mario") == []
    assert _inside(*reversed(_TITLE), "Mario") == []


def test_a_quotation_a_passage_starts_inside_is_still_one() -> None:
    source = 'The minister said "the old plan is dead and buried now" on Monday.'
    target = 'The minister said "the old plan is gone and buried now" on Monday.'
    assert _inside(source, target, "old") == [("quote_change", "dead", "gone")]
    assert _inside(target, source, "old") == [("quote_change", "gone", "dead")]


def test_quotations_nested_in_a_quotation_leave_it_one() -> None:
    # Wikipedia's text puts a title in quotes inside a quotation ("Super Mario 64" inside
    # Martin Hollis's words), and a paragraph's narration after it stays narration.
    source = (
        'Hollis says "the idea for the huge variety of missions came from "Super Mario 64"".'
        " In 2012, a prominent figure stated it."
    )
    target = (
        'Hollis says "the thought for the huge variety of missions came from "Super Mario 64"".'
        " In 2012, an unmistakable figure stated it."
    )
    for a, b in ((source, target), (target, source)):
        assert [f[0] for f in flagged(a, b)] == ["quote_change"]


def test_a_common_word_newer_than_the_dictionary_at_a_sentence_start_is_no_name() -> None:
    # lemminflect and Moby lack "filmmakers"; WordNet writes "filmmaker" only in lower case.
    source = 'Filmmakers Luke Dormehl and Tom Atkinson released a documentary called "Roy" in 2008.'
    target = (
        'Movie producers Luke Dormehl and Tom Atkinson, released a narrative called "Roy" in 2008.'
    )
    assert "entity_change" not in flags(source, target)
    assert "entity_change" not in flags(target, source)


def test_a_name_at_a_sentence_start_is_still_one() -> None:
    source = 'Dormehl released a documentary called "Roy" in 2008 with a friend.'
    target = 'Atkinson released a narrative called "Roy" in 2008 with a friend.'
    assert ("entity_change", "Dormehl", "Atkinson") in flagged(source, target)
    assert ("entity_change", "Atkinson", "Dormehl") in flagged(target, source)


def test_an_inch_mark_opens_no_quotation() -> None:
    # A quote after a number and before punctuation can only close one (PAN 2013's fence
    # page: '3 1/2". If you have a tiny dog' read as quoted up to the next quote).
    source = 'Standard spacing is 3 1/2". If you have a tiny dog, ask us. "We like it," he said.'
    target = 'Standard spacing is 3 1/2". If you have a small dog, ask us. "We like it," he said.'
    assert flagged(source, target) == []
    assert flagged(target, source) == []


# A quoted sentence opens with a capital as any sentence does: SpinBot's "Revolution is indeed
# a violent process" / "Upset is to be sure a savage procedure" was a name changed besides
# the quotation reworded (benchmarks 10.36).
_QUOTED_SENTENCE = (
    'In the same chapter, Goldman affirmed that "Revolution is indeed a violent process," and'
    " noted that violence was tragic.",
    'In a similar section, Goldman asserted that "Upset is to be sure a savage procedure," and'
    " noticed that brutality was tragic.",
)


def test_a_common_word_opening_a_quoted_sentence_is_no_name() -> None:
    for a, b in (_QUOTED_SENTENCE, reversed(_QUOTED_SENTENCE)):
        labels = [f[0] for f in flagged(a, b)]
        assert "entity_change" not in labels
        assert "quote_change" in labels  # the quotation is still reworded


# SpinBot's "computer" -> "PC" (twice in 158 paragraphs): WordNet writes "PC" for "personal
# computer", a kind of computer, so the capitals abbreviate a common noun; a word changed
# (here for a narrower one), not a name brought in (benchmarks 10.36).
@pytest.mark.parametrize(
    ("source", "target"),
    [
        (
            "For instance, the computer scientist Donald Knuth let the version numbers approach pi.",
            "For example, the PC researcher Donald Knuth let the rendition quantities approach pi.",
        ),
        (
            'A "Roy of the Rovers" computer game was released on the Commodore 64 in 1988.',
            'A "Roy of the Rovers" PC amusement was discharged on the Commodore 64 in 1988.',
        ),
    ],
)
def test_an_abbreviation_wordnet_writes_for_a_common_noun_is_no_name(
    source: str, target: str
) -> None:
    assert "entity_change" not in flags(source, target)
    assert "entity_change" not in flags(target, source)
    edit = next(e for e in label_edits(source, target) if e.target_text.startswith("PC"))
    assert edit.label == "paraphrase" and "wordnet" in str(edit.evidence)


@pytest.mark.parametrize(
    ("word", "abbreviation"),
    [
        ("computer", "IBM"),  # WordNet's "IBM" is a company: a name
        ("scientist", "PC"),  # an abbreviation of a common noun WordNet does not relate
    ],
)
def test_an_abbreviation_wordnet_does_not_relate_is_still_a_name(
    word: str, abbreviation: str
) -> None:
    source = f"For instance, the {word} expert Donald Knuth let the version numbers approach pi."
    target = f"For example, the {abbreviation} expert Donald Knuth let the rendition quantities approach pi."
    assert ("entity_change", word, abbreviation) in flagged(source, target)
    assert ("entity_change", abbreviation, word) in flagged(target, source)


# SpinBot's "disagreed with" -> "couldn't help contradicting": WordNet's sense of "help"
# "always used with a negative" ("She could not help watching": she watched), so the negator
# says nothing a text without it denies (benchmarks 10.36).
_HELP = (
    "Goldman wrote about power. She disagreed with the movement for women's suffrage, which"
    " demanded the vote.",
    "Goldman composed about power. She couldn't help contradicting the development for ladies'"
    " suffrage, which requested the vote.",
)


def test_a_negator_wordnet_says_a_verb_always_takes_is_no_negation() -> None:
    assert "negation" not in flags(*_HELP)
    assert "negation" not in flags(*reversed(_HELP))


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # The same phrase beside a real denial: she did not contradict it.
        (
            _HELP[1],
            "Goldman composed about power. She did not contradict the development for ladies'"
            " suffrage, which requested the vote.",
        ),
        # "help" with an object is the ordinary verb, and its negator negates.
        (
            "Goldman wrote about power. She helped the movement for women's suffrage, which"
            " demanded the vote.",
            "Goldman composed about power. She did not help the movement for women's"
            " suffrage, which requested the vote.",
        ),
    ],
)
def test_a_real_denial_beside_the_phrase_is_still_a_negation(source: str, target: str) -> None:
    assert "negation" in flags(source, target)
    assert "negation" in flags(target, source)
