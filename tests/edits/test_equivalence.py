"""One fact written two ways is not a distortion; a changed fact still is (issue 20 item 3)."""

from __future__ import annotations

import pytest
from edit_flags import flagged as flags

from unspin.edits.names import country_of, initials
from unspin.edits.numbers import number_value, number_values


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Students had 9 choices in the test.", "Students had nine choices in the test."),
        ("The plant cost 1.5 million dollars.", "The plant cost 1,500,000 dollars."),
        ("Sales rose five pct to 12 dlrs.", "Sales rose 5 pct to twelve dlrs."),
        ("The United States said it would act.", "The US said it would act."),
        ("The United States said it would act.", "The U.S. said it would act."),
        ("The United States said it would act.", "The United States of America said it would act."),
        ("A Qatari boy won the prize.", "A kid from Qatar won the prize."),
        ("He said NATO would meet.", "He said the North Atlantic Treaty Organisation would meet."),
        ("Talks resume in Jan. next year.", "Talks resume in January next year."),
        ("The deal closed on 30 December.", "The deal closed on Dec. 30."),
        ("ABC Corp. has a new plan.", "ABC Corporation has a new plan."),
        ("The CEO said the plan works.", "The chief executive officer said the plan works."),
        ("He was not willing to sign it.", "He was unwilling to sign it."),
        ("It is not accurate to say so.", "It is incorrect to say so."),
        ("She stressed the risks.", "She emphasised the risks."),
        ("Ukraine's army moved east.", "The Ukrainian army moved east."),
        ("Decide whether to sign.", "Decide whether or not to sign."),
    ],
)
def test_equivalent_writings_are_not_distortions(source: str, target: str) -> None:
    assert flags(source, target) == []
    assert flags(target, source) == []


@pytest.mark.parametrize(
    ("source", "target", "label"),
    [
        ("Students had 9 choices in the test.", "Students had eight choices in the test.", "number_change"),
        ("The plant cost 1.5 million dollars.", "The plant cost 15 million dollars.", "number_change"),
        ("The United States said it would act.", "Canada said it would act.", "entity_change"),
        ("A Qatari boy won the prize.", "A kid from Oman won the prize.", "entity_change"),
        ("Texaco Inc said it would appeal.", "Exxon Corp said it would appeal.", "entity_change"),
        ("Talks resume in Jan. next year.", "Talks resume in February next year.", "date_change"),
        ("The deal closed on 30 December.", "The deal closed on Jan. 30.", "date_change"),
        ("The bank did say how much it paid.", "The bank did not say how much it paid.", "negation"),
        ('He said "we will sell the unit" on Monday.', 'He said "we will keep the unit" on Monday.', "quote_change"),
    ],
)  # fmt: skip
def test_changed_facts_are_still_distortions(source: str, target: str, label: str) -> None:
    assert label in {f[0] for f in flags(source, target)}
    assert label in {f[0] for f in flags(target, source)}


def test_moved_name_is_not_a_changed_name() -> None:
    # QuillBot moves names within a sentence; the diff sees a name leave one stretch.
    source = "Southwest Airlines is known for its low fares and its friendly staff."
    target = "Its low fares and friendly staff are what Southwest Airlines is known for."
    assert not any(f[0] == "entity_change" for f in flags(source, target))


def test_number_values_read_words_digits_and_scales() -> None:
    assert number_value("nine") == 9.0
    assert number_value("1,500") == 1500.0
    assert number_value("choices") is None
    assert number_values("1.5 million people in nine cities") == number_values(
        "1,500,000 people in 9 cities"
    )
    assert number_values("one hundred and five") == number_values("105")


def test_country_data_and_initials() -> None:
    assert country_of("U.S.") == country_of("United States of America") == "united states"
    assert country_of("Qatari") == country_of("Qatar")
    assert country_of("it") is None  # ISO codes only count in capitals ("IT" is Italy)
    assert "nato" in initials(["North", "Atlantic", "Treaty", "Organisation"])
    assert "usa" in initials(["United", "States", "of", "America"])


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # Joined lines: a title-case heading ending in a colon, and list items after a colon or
        # bracket, are capitalised common words, not names.
        (
            "Gaps remain for poor students. Key Education Policies and Programs: The law was passed.",
            "Gaps remain for poor students. Notable Plans and Programs: The law was passed.",
        ),
        (
            "Some drugs are used (such as clozapine) Specific receptor types: Dopamine is one.",
            "Some drugs are used (such as clozapine) Particular receptor types: Dopamine is one.",
        ),
        # At a sentence start, a word the text also writes in lower case (or a form of one).
        (
            "Schools shape society. From an institutionalist perspective, education is a practice.",
            "Schools shape society. Institutionalists view education as a practice.",
        ),
    ],
)
def test_heading_and_item_words_are_not_names(source: str, target: str) -> None:
    assert not any(f[0] == "entity_change" for f in flags(source, target))
    assert not any(f[0] == "entity_change" for f in flags(target, source))


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A real name at a heading or item start is still a name.
        ("The plan has two parts: Reagan signed it in March.", "The plan has two parts: Carter signed it in March."),
        ("Members of Congress: Texaco lobbied them.", "Members of Congress: Exxon lobbied them."),
        ("Applied Circuit Technology Inc (ACT) said it would sell.", "Applied Circuit Technology Inc (States) said it would sell."),
    ],
)  # fmt: skip
def test_names_at_heading_and_item_starts_still_change(source: str, target: str) -> None:
    assert "entity_change" in {f[0] for f in flags(source, target)}
    assert "entity_change" in {f[0] for f in flags(target, source)}


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A negator balanced by a word put for another that no lexicon relates (an antonym the
        # shipped lexicons do not know) is not read as a change of polarity.
        ("The two values will not be equal in this case.", "The two values will be different in this case."),
        ("It is addictive because it does not create the suspense.", "It is addictive because it lacks the suspense."),
        # A negative prefix written with a hyphen is one negation ("non-zero" / "not zero").
        ("The complement of the sum will be a non-zero value.", "The complement of the sum will not be zero."),
        ("In contrast, non-object-oriented code does not rely on objects.", "In contrast, code that is not object-oriented does not depend on objects."),
    ],
)  # fmt: skip
def test_negation_carried_by_a_word_is_not_a_negation(source: str, target: str) -> None:
    assert not any(f[0] == "negation" for f in flags(source, target))
    assert not any(f[0] == "negation" for f in flags(target, source))


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # A negator added where the other words are kept, or only reworded by synonyms.
        ("The two values will be equal in this case.", "The two values will not be equal in this case."),
        ("At that point transcription ends and the molecule is released.", "At that point transcription doesn't stop and the molecule is released."),
        ("The complement of the sum will be a zero value.", "The complement of the sum will not be zero."),
        ("It was an in-depth review of the plan.", "It was not an in-depth review of the plan."),
    ],
)  # fmt: skip
def test_negation_with_kept_or_synonym_words_still_flagged(source: str, target: str) -> None:
    assert "negation" in {f[0] for f in flags(source, target)}
    assert "negation" in {f[0] for f in flags(target, source)}


def test_name_and_its_derived_form_are_one_name() -> None:
    source = "Start-ups should aim at both Islam and Chinese markets."
    target = "Start-ups should aim at both the Chinese and Islamic markets."
    assert not any(f[0] == "entity_change" for f in flags(source, target))
    assert not any(f[0] == "entity_change" for f in flags(target, source))
    changed = "Start-ups should aim at both the Chinese and Indian markets."
    assert "entity_change" in {f[0] for f in flags(source, changed)}
    assert "entity_change" in {f[0] for f in flags(changed, source)}
