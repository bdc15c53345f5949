"""Multi-word Moby entries a spinner puts in for one word (issue 19 item 5, docs/benchmarks.md 17.8):
how often the phrase is written comes from its word pairs, names are left alone, and the
per-word model still reads the words inside a phrase swap."""

from __future__ import annotations

from unspin.lexicon import zipf
from unspin.spinscore.bigrams import bigrams
from unspin.spinscore.features import analyse, word_rows
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus


def _phrase_swaps(text: str) -> list[str]:
    _, evidence = analyse(text, reverse_thesaurus())
    return [text[e.start : e.end] for e in evidence if e.reason == "phrase_swap"]


def test_a_phrase_of_common_words_is_as_rare_as_its_word_pairs_say() -> None:
    bg = bigrams()
    # wordfreq builds a phrase from its words: "give good returns" reads as common as "profit".
    assert zipf("give good returns") > 4.0
    assert bg.phrase_zipf(("give", "good", "returns")) < 2.0
    # A fixed phrase that writers use keeps a high frequency.
    assert bg.phrase_zipf(("take", "place")) > zipf("happen")


def test_a_moby_phrase_put_in_for_a_commoner_word_is_a_phrase_swap() -> None:
    # Moby lists both under a much commoner single word ("profit", "deficit"); the phrase
    # spinner puts them in. Main read them with wordfreq's estimate and flagged neither.
    assert _phrase_swaps("The company expects the new mill to give good returns soon.") == [
        "give good returns"
    ]
    assert _phrase_swaps("Officials said the deficit was a bouncing check for the city.") == [
        "bouncing check"
    ]


def test_a_name_made_of_a_moby_phrase_is_no_phrase_swap() -> None:
    # "bank of england" is in Moby's lists and its pairs are rarer than its headwords, but
    # capitals inside a sentence make it a name, which spinners leave alone.
    text = "Shares rose after the Bank of England cut its rate."
    assert _phrase_swaps(text) == []
    assert _phrase_swaps("Shares rose after the bank of england cut its rate.") == [
        "bank of england"
    ]


def test_words_inside_a_phrase_swap_keep_their_per_word_rows() -> None:
    text = "The firm said its pecuniary resources would cover the loan."
    assert _phrase_swaps(text) == ["pecuniary resources"]
    rows = [text[a:b] for a, b, _ in word_rows(text, reverse_thesaurus())]
    assert "pecuniary" in rows and "resources" in rows
