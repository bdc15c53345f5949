"""False distortion flags read on QuillBot pairs, one case per class fixed (issue 20 item 4),
and the flag still firing on a real change of the same kind. Both directions are checked: every
pair label is symmetric."""

from __future__ import annotations

import pytest
from edit_flags import flag_labels as flags

from unspin.edits.facts import negator_count
from unspin.edits.names import derived, is_acronym
from unspin.edits.numbers import number_values
from unspin.edits.tokens import date_positions, tokenize
from unspin.lexicon import common_word

_OBAMA = "The Obama Administration's \"My Brother's Keeper\" initiative focuses on improving outcomes for boys."
_OBAMA_SPUN = 'The goal of the "My Brother\'s Keeper" initiative, which is being spearheaded by the Obama administration, is to make life better for boys.'


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A common word (Moby writes it only in lower case) at a sentence start is no name.
        ("While it is true that prices rose, wages fell.", "Despite the fact that prices rose, wages fell."),
        # Two common words Moby lists as synonyms, capitalised in a title-case heading.
        ("The ASTM Types I and II differ in strength.", "The ASTM Kinds I and II differ in strength."),
        # A heading joined to the text: a capitalised common word on its own.
        ("Brain differences: Studies using scans found changes.", "Differences in the brain Researchers who used scans found changes."),
        ("EAC = (Budget at completion) / (% of work completed).", "EAC = (Budget at completion) / (Percentage of work completed)."),
        # A name and its demonym or adjective.
        ("It is a federal republic located in North America.", "It is a North American federal republic."),
        # Initials with a small letter kept small.
        ("Shodan finds Internet of Things devices online.", "Shodan finds IoT devices online."),
        # A one-letter name with a possessive.
        ("Player 2 will not change his strategy from R.", "Player 2 will not depart from R's approach."),
        # Capitals run on from digits are a unit, not a name.
        ("People would perceive less depth and less 3D in the visual field.", "People would perceive less depth and less 3D in what they see."),
        # A pronoun put for a name its text still says refers to it ("the Obama administration").
        ('The Obama Administration\'s "My Brother\'s Keeper" initiative focuses on improving outcomes.', 'With its "My Brother\'s Keeper" program, the Obama administration focuses on better outcomes.'),
        # A word of a name written in lower case beside a word of it kept (4 QuillBot spins).
        (_OBAMA, _OBAMA_SPUN),
        # Initials joined by "&" (quillbot-00541/00544: "research" -> "R", ... -> "D").
        ("Other strategies such as regulations and investments in research and development are also important.", "Other solutions, such as legislation and R&D spending, are also vital."),
        ("The deal with American Telephone and Telegraph closed.", "The deal with AT&T closed."),
    ],
)  # fmt: skip
def test_names_written_or_placed_otherwise_are_not_changed(source: str, target: str) -> None:
    assert "entity_change" not in flags(source, target)
    assert "entity_change" not in flags(target, source)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Its profit would fall from 7 to 6.25 this year.", "Its profit would fall from seven to six and a quarter this year."),
        ("The systems are not 100% effective at all.", "The systems are not one hundred percent effective at all."),
        ("These two views interact with each other in many ways.", "There are many ways in which these two views influence one another."),
        ("The profit will be (1000)($5 - $3) = $2000.", "The profit will be (1,000)($5 - $3) = $2,000."),
        ("They maximise their joint profit at 7.5 million.", "They maximise their joint profit at $7,500,000."),
    ],
)  # fmt: skip
def test_numbers_written_otherwise_are_not_changed(source: str, target: str) -> None:
    assert not flags(source, target) & {"number_change", "date_change"}
    assert not flags(target, source) & {"number_change", "date_change"}


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("A liquidity event also marks a milestone in its growth.", "A liquidity event not only represents a milestone in its growth."),
        ("Amazon.ae and Noon.com do not allow scraping.", "Neither Amazon.ae nor Noon.com allow scraping."),
        ("They have not yet taken any significant steps.", "They have yet to take any significant steps."),
        ("It may not be as effective in providing skills.", "It may be less effective in providing skills."),
        ("If the count is not greater than zero, return None.", "If the count is less than zero, return None."),
        ("The theater cannot charge different prices to groups.", "The theater is unable to charge different prices to groups."),
        ("The amount of data is not known in advance.", "The amount of data is uncertain."),
    ],
)  # fmt: skip
def test_negation_written_otherwise_is_not_changed(source: str, target: str) -> None:
    assert "negation" not in flags(source, target)
    assert "negation" not in flags(target, source)


@pytest.mark.parametrize(
    ("source", "target", "label"),
    [
        # QuillBot's own real change: "ends" became "doesn't stop".
        ("At that point transcription ends and the RNA is released.", "At that point transcription doesn't stop and the RNA is released.", "negation"),
        ("A liquidity event marks a milestone in its growth.", "A liquidity event does not mark a milestone in its growth.", "negation"),
        ("The theater can charge different prices to groups.", "The theater cannot charge different prices to groups.", "negation"),
        ("It is a federal republic located in North America.", "It is a federal republic located in South America.", "entity_change"),
        ("Troops crossed from Niger on Monday.", "Troops crossed from Nigeria on Monday.", "entity_change"),
        ("He told the Treasury about the plan.", "He told the Navy about the plan.", "entity_change"),
        ("He sent it to Internet Security Systems for review.", "He sent it to IBM for review.", "entity_change"),
        ("Other strategies such as regulations and investments in research and development are also important.", "Other solutions, such as legislation and M&A spending, are also vital.", "entity_change"),
        ("The deal with American Telephone and Telegraph closed.", "The deal with P&G closed.", "entity_change"),
        # A name put for another, or for a common noun, is no reference ("which spokesman?").
        ("Shares fell, said John Smith of the bank.", "Shares fell, said Peter Brown of the bank.", "entity_change"),
        ("Shares fell, said John Smith of the bank.", "Shares fell, said the spokesman of the bank.", "entity_change"),
        ("The board approved Sandra's plan on Monday.", "The board approved Peter's plan on Monday.", "entity_change"),
        # A pronoun whose text names no one of the name (planted: "He" -> "London").
        ("The board approved Sandra's plan on Monday.", "The board approved her plan on Monday.", "entity_change"),
        ("Treasury Secretary James Baker said the dollar fell.", "The another said the dollar fell.", "entity_change"),
        # The name's other words in lower case, but not beside a word of it kept.
        (_OBAMA, _OBAMA_SPUN.replace("Obama administration", "Bush administration"), "entity_change"),
        (_OBAMA, _OBAMA_SPUN.replace("the Obama administration", "the administration"), "entity_change"),
        ("The Dutch invaded Brazil in 1630; dutch ships came.", "The royal invaded Brazil in 1630; dutch ships came.", "entity_change"),
        # "US" in capitals is the country, not the pronoun "us".
        ("Exports to Canada rose sharply last year.", "Exports to the US rose sharply last year.", "entity_change"),
        ("Its profit would fall from 7 to 6.25 this year.", "Its profit would fall from seven to six and a half this year.", "number_change"),
        ("The systems are not 100% effective at all.", "The systems are not ninety percent effective at all.", "number_change"),
        ("They made a total profit of $80,000 per year.", "They made a total profit of $90,000 per year.", "number_change"),
        ("Woolworth was unchanged at 758p.", "Woolworth was unchanged at 7580p.", "number_change"),
    ],
)  # fmt: skip
def test_real_changes_still_flagged(source: str, target: str, label: str) -> None:
    assert label in flags(source, target)
    assert label in flags(target, source)


def test_resources_behind_the_rules() -> None:
    assert common_word("researcher") and common_word("despite")
    assert not common_word("Paris") and not common_word("Congress")
    assert derived("america", "american") and derived("canada", "canadian")
    assert not derived("john", "johnson") and not derived("bank", "bankers")
    assert not derived("niger", "nigeria")
    assert is_acronym("IoT") and is_acronym("NATO") and not is_acronym("Internet")
    assert number_values("six and a quarter") == number_values("6.25")
    assert not number_values("they help one another")
    assert number_values("758p") == number_values("758")
    assert date_positions(tokenize("$2000")) == set()
    assert date_positions(tokenize("in 2000")) == {1}
    counts = [negator_count(tokenize(s)) for s in ("neither A nor B", "A and B do not")]
    assert counts == [1, 1]


def test_a_negated_clause_folded_into_an_or_is_no_negation() -> None:
    # QuillBot folded "..., or when it is not tailored to" into "is not ... or tailored to"
    # (quillbot-03020..03022); the rewording is in our words. Before (32nd session), with the
    # passage's negations out of balance: a negation 'when it is not' -> ''.
    source = (
        "It fails when the plan is not clear and simple, or when it is not adapted to the users."
    )
    target = "It fails when the plan is not clear or adapted to the users."
    assert flags(source, target) == set() and flags(target, source) == set()
    # No negator before the "or" in the other text: the clause's negation is gone.
    source = "The plan is clear, or when it is not adapted to the users it fails."
    target = "The plan is clear, or when adapted to the users it fails."
    assert flags(source, target) == {"negation"} == flags(target, source)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # quillbot-00508/00511: a negation 'or' -> 'nor' on main.
        ("Measurement matters, but it is not the only or even the most important factor.", "Measurement matters, but it is not the sole nor even the most crucial factor.", set()),
        # No negator before the "or": "nor" brings in a negation of its own.
        ("Measurement matters, and it is the only or even the most important factor.", "Measurement matters, and it is the sole nor even the most crucial factor.", {"negation"}),
    ],
)  # fmt: skip
def test_nor_for_an_or_under_a_negator_is_no_negation(
    source: str, target: str, expected: set[str]
) -> None:
    assert flags(source, target) == expected == flags(target, source)


def test_a_word_both_sentences_hold_negates_nothing_by_its_prefix() -> None:
    # quillbot-00574: the clauses swapped places; "Instock" ("in" + "stock", which Moby lists
    # beside the source's "allow") was read as a negation the target brought in, though the
    # source holds it too: a negation 'and' -> 'nor' on main.
    source = (
        "Amazon.ae and Noon.com do not allow scraping, while Instock.ae does allow scraping. "
        "I have come to this conclusion by researching the terms of service."
    )
    target = (
        "While Instock.ae does permit scraping, neither Amazon.ae nor Noon.com do. "
        "I have studied these websites and it is not allowed."
    )
    assert "negation" not in flags(source, target) | flags(target, source)
    # Counted by occurrence: a second "unable" is still a negation brought in.
    source = "He was able to come, but she was unable to come. It is not allowed."
    target = "He was unable to come, but she was unable to come. It is allowed."
    assert "negation" in flags(source, target) and "negation" in flags(target, source)
