"""The spinner records every change with offsets that slice both texts exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.errors import ConfigError
from unspin.generators.article_spinner import (
    Origin,
    Spun,
    add_sentences,
    apply_replacements,
    carry_origins,
    drop_sentences,
    noise,
    reorder_sentences,
    spin,
    splice,
)
from unspin.lexicon import thesaurus
from unspin.text import STOPWORDS, tokenize

NEWS = (
    "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought "
    "since early January and improving prospects for the coming harvest. "
    "The dry period means the crop will be late this year.\n"
    "    Arrivals for the week ended February 22 were 155,221 bags of 60 kilos. "
    "Comissaria Smith said there is still some doubt as to how much old crop cocoa is "
    "still available. Bean shippers were reluctant to offer nearby shipment."
)
OTHER = (
    "The central bank raised interest rates on Tuesday. Analysts had expected the move. "
    "Markets fell sharply after the announcement. The dollar rose against the yen."
)

# Real words (with punctuation, numbers, names and a contraction attached) in random order.
words = st.sampled_from(sorted(set((NEWS + " don't report! U.S. new, 3.5").split())))
texts = st.lists(words, max_size=40).map(" ".join) | st.text(max_size=200)
seeds = st.integers(min_value=0, max_value=2**32)
rates = st.floats(min_value=0.0, max_value=1.0)


def check_offsets(source: str, spun: Spun) -> None:
    for r in spun.replacements:
        assert source[r.source_start : r.source_end] == r.original
        assert spun.text[r.target_start : r.target_end] == r.replacement
    assert apply_replacements(source, spun.replacements) == spun.text
    assert 0.0 <= spun.achieved_rate <= 1.0


@settings(max_examples=60, deadline=None)
@given(texts, rates, seeds)
def test_spin_offsets_slice_both_texts(text: str, rate: float, seed: int) -> None:
    check_offsets(text, spin(text, rate, seed))


@settings(max_examples=60, deadline=None)
@given(texts, rates, seeds)
def test_noise_offsets_slice_both_texts(text: str, rate: float, seed: int) -> None:
    check_offsets(text, noise(text, rate, seed))


@settings(max_examples=40, deadline=None)
@given(texts, seeds, rates)
def test_sentence_operations_slice_both_texts(text: str, seed: int, share: float) -> None:
    check_offsets(text, reorder_sentences(text, seed))
    check_offsets(text, reorder_sentences(text, seed, moves=1))
    check_offsets(text, drop_sentences(text, share, seed))
    check_offsets(text, add_sentences(text, OTHER, 2, seed))


@settings(max_examples=40, deadline=None)
@given(texts, texts, seeds, rates)
def test_splice_origins_are_verbatim_copies(a: str, b: str, seed: int, share: float) -> None:
    result = splice(a, b, seed, share)
    for o in result.origins:
        assert (
            result.text[o.target_start : o.target_end]
            == (a, b)[o.which_source][o.source_start : o.source_end]
        )


@settings(max_examples=30, deadline=None)
@given(texts, seeds)
def test_same_seed_same_output(text: str, seed: int) -> None:
    assert spin(text, 0.5, seed) == spin(text, 0.5, seed)
    assert noise(text, 0.3, seed) == noise(text, 0.3, seed)
    assert reorder_sentences(text, seed) == reorder_sentences(text, seed)
    assert splice(text, OTHER, seed) == splice(text, OTHER, seed)


@settings(max_examples=30, deadline=None)
@given(texts, seeds)
def test_rate_zero_is_identity(text: str, seed: int) -> None:
    for result in (spin(text, 0.0, seed), noise(text, 0.0, seed), drop_sentences(text, 0, seed)):
        assert result.text == text
        assert result.replacements == ()
        assert result.achieved_rate == 0.0


def test_spin_replaces_the_requested_share_with_moby_synonyms() -> None:
    result = spin(NEWS, 0.4, seed=7)
    content = [w for w in tokenize(NEWS).norms if w.isalpha() and w not in STOPWORDS and len(w) > 1]
    assert result.text != NEWS
    assert all(r.kind == "synonym" for r in result.replacements)
    # Names mid-sentence ("Bahia", "Smith", "February") are protected by default.
    assert not {r.original for r in result.replacements} & {"Bahia", "Smith", "February"}
    assert 0.2 < result.achieved_rate <= 0.45
    assert len(result.replacements) <= round(0.4 * len(content))
    single = [r for r in result.replacements if " " not in r.replacement]
    assert single
    assert all(thesaurus().are_synonyms(r.original, r.replacement) for r in single[:5]) or any(
        thesaurus().are_synonyms(r.original, r.replacement) for r in single
    )


def test_spin_preserves_capitalisation() -> None:
    result = spin("Showers continued. Arrivals improved.", 1.0, seed=3)
    for r in result.replacements:
        assert r.replacement[0].isupper() == r.original[0].isupper()


def test_spin_names_flag_allows_names() -> None:
    text = "Yesterday the farmers met Smith and Jones in Paris and Rome."
    protected = spin(text, 1.0, seed=1)
    assert all(r.original[0].islower() or r.source_start == 0 for r in protected.replacements)
    changed = spin(text, 1.0, seed=1, spin_names=True)
    assert any(r.original in {"Smith", "Jones", "Paris", "Rome"} for r in changed.replacements)


def test_rate_one_reports_achieved_rate_below_one_when_words_lack_synonyms() -> None:
    result = spin("Comissaria zxqv harvest.", 1.0, seed=0)
    assert result.achieved_rate == pytest.approx(1 / 3)


def test_noise_keeps_numbers_and_changes_one_character() -> None:
    result = noise(NEWS, 0.5, seed=2)
    assert "155,221" in result.text and "60" in result.text
    for r in result.replacements:
        assert r.kind in {"insert_char", "transpose", "double_char"}
        delta = len(r.replacement) - len(r.original)
        assert delta == (0 if r.kind == "transpose" else 1)


def test_noise_keeps_each_word_in_its_own_script() -> None:
    # robust31: an inserted character was drawn from Latin letters for every word, so a
    # Russian text came out with "Пrутин": a word of two scripts, which unspin itself then
    # reads as lookalike letters hiding a copy. A word now gets its own letters or a digit.
    from unspin.lookalikes import mixed_script_words

    text = (
        "Владимир Путин заявил в понедельник, что переговоры продолжатся. "
        "Η Αθήνα απάντησε την Τρίτη. The port of Riga reopened on Monday. "
    ) * 20
    for seed in range(5):
        result = noise(text, 1.0, seed=seed)
        inserted = [r for r in result.replacements if r.kind == "insert_char"]
        assert inserted and mixed_script_words(result.text) == []
    english = noise(NEWS, 0.5, seed=2)  # Latin words: drawn as before
    assert any(r.kind == "insert_char" for r in english.replacements)


def test_reorder_moves_sentences_and_origins_map_back() -> None:
    result = reorder_sentences(OTHER, seed=5)
    assert sorted(result.text.split(". ")) != result.text.split(". ") or result.text != OTHER
    assert result.achieved_rate > 0
    for o in result.origins:
        assert result.text[o.target_start : o.target_end] == OTHER[o.source_start : o.source_end]


def test_drop_and_add_change_sentence_count() -> None:
    dropped = drop_sentences(OTHER, 0.5, seed=1)
    assert dropped.text.count(".") == 2
    added = add_sentences(OTHER, NEWS, 2, seed=1)
    assert [r.kind for r in added.replacements] == ["insert", "insert"]
    assert all(r.replacement.strip() in NEWS for r in added.replacements)


def test_splice_takes_runs_from_both_sources() -> None:
    result = splice(NEWS, OTHER, seed=0, share_a=0.5, runs=2)
    assert [o.which_source for o in result.origins] == [0, 1]
    interleaved = splice(NEWS, OTHER, seed=0, share_a=0.5, runs=4)
    assert [o.which_source for o in interleaved.origins] == [0, 1, 0, 1]
    only_b = splice(NEWS, OTHER, seed=0, share_a=0.0)
    assert {o.which_source for o in only_b.origins} == {1}


def test_carry_origins_through_reorder_and_spin() -> None:
    spliced = splice(NEWS, OTHER, seed=2, runs=2)
    reordered = reorder_sentences(spliced.text, seed=2, moves=1)
    origins = carry_origins(spliced.origins, reordered)
    for o in origins:  # still verbatim copies after a reorder
        source = (NEWS, OTHER)[o.which_source]
        assert (
            reordered.text[o.target_start : o.target_end] == source[o.source_start : o.source_end]
        )
    spun = spin(reordered.text, 0.4, seed=2)
    carried = carry_origins(origins, spun)
    assert len(carried) == len(origins)
    assert all(0 <= o.target_start < o.target_end <= len(spun.text) for o in carried)
    covered = sum(o.target_end - o.target_start for o in carried)
    assert covered >= 0.9 * sum(len(p) for p in spun.text.split("\n\n"))


def test_carry_origins_refuses_a_splice() -> None:
    with pytest.raises(ConfigError):
        carry_origins((Origin(0, 1, 0, 0, 1),), splice(NEWS, OTHER, seed=0))


def test_invalid_rate_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="between 0 and 1"):
        spin(NEWS, 1.5)
