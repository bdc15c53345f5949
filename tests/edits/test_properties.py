"""Property tests: offsets slice the texts, identity gives nothing, restore undoes known swaps,
and a 50 KB pair is labelled with a bounded number of word comparisons."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lemminflect import getAllLemmas

from unspin.edits import label_edits, labels, restore
from unspin.edits.antonyms import opposite
from unspin.edits.tokens import NEGATIONS
from unspin.lexicon import pick_synonym, thesaurus
from unspin.text import STOPWORDS, stem

SENTENCES = [
    "The company said its first quarter profits rose sharply on strong demand for steel.",
    "Officials warned that the central bank would raise interest rates again in March.",
    "Analysts expect the merger to create the largest airline in the country by 1988.",
    "Oil prices fell after producers failed to agree on new output quotas in Geneva.",
    "The government announced a plan to cut farm subsidies by 12 pct over five years.",
    "Shares of Texaco Inc closed lower as investors worried about the court ruling.",
    'He said "we will not accept any offer below the market price" at the meeting.',
]
WORDS = [w for s in SENTENCES for w in s.split()]

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=40).map(" ".join)
noisy = st.text(alphabet=st.sampled_from(list("ab Cd.,\"'12\n-")), max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, noisy), st.one_of(texts, noisy))
def test_offsets_slice_full_texts(source: str, target: str) -> None:
    for e in label_edits(source, target):
        assert source[e.source_start : e.source_end] == e.source_text
        assert target[e.target_start : e.target_end] == e.target_text
        assert 0 <= e.source_start <= e.source_end <= len(source)
        assert 0 <= e.target_start <= e.target_end <= len(target)
        assert 0.0 < e.confidence <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.one_of(texts, noisy))
def test_identical_texts_give_no_edits(text: str) -> None:
    assert label_edits(text, text) == []


def _forms(word: str) -> set[str]:
    """The word, its stem and its dictionary lemmas (lemminflect): "lower" holds "low"."""
    return {word, stem(word)} | {lemma for ls in getAllLemmas(word).values() for lemma in ls}


def _swap(word: str, rng: random.Random, taken: frozenset[str] = frozenset()) -> str | None:
    """A Moby synonym, a typo or a changed number, the three swaps restore must undo.

    A synonym is not taken when it is another form of the word ("lower" / "low" is an
    inflection), a negator ("meeting" / "none" is a negation change), an antonym WordNet
    lists (Moby lists antonyms among synonyms: "raise" / "break" is a reversal, a negation),
    or a word of ``taken``
    (the sentence's own words: "quarter" / "rose" beside "profits rose" reads as a moved
    word, a deletion and an insertion): the labeller rightly calls those something else."""
    core = word.strip('.,"')
    if core.isdigit():
        return word.replace(core, str(int(core) + 7))
    # Capitalised words are names and months: swapping those is an entity or date change.
    if not core.isalpha() or not core.islower() or core in STOPWORDS or len(core) < 4:
        return None
    if rng.random() < 0.5:
        syn = pick_synonym(core.lower(), rng, single_word=True)
        if (
            syn
            and syn not in NEGATIONS
            and not opposite(core, syn)
            and syn not in taken
            and not _forms(syn) & _forms(core)
            and thesaurus().are_synonyms(core.lower(), syn)
        ):
            return word.replace(core, syn)
        return None
    k = rng.randrange(1, len(core) - 1)
    return word.replace(core, core[:k] + str(rng.randrange(10)) + core[k:])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SENTENCES), st.integers(0, 10_000), st.floats(0.1, 0.6))
def test_restore_undoes_synonym_typo_and_number_swaps(source: str, seed: int, rate: float) -> None:
    rng = random.Random(seed)
    words = source.split(" ")
    taken = frozenset(w.strip('.,"').lower() for w in words)
    out = []
    for w in words:
        new = _swap(w, rng, taken) if rng.random() < rate else None
        out.append(new or w)
    target = " ".join(out)
    edits = label_edits(source, target)
    # A changed year is a date change and a swap inside the quotation a quote change.
    allowed = {"synonym", "typo", "number_change", "date_change", "quote_change"}
    assert {e.label for e in edits} <= allowed
    assert restore(source, target, edits) == source


def test_restore_keeps_insertions_and_puts_negation_back() -> None:
    source = "The bank did not say how much it paid."
    target = "The bank did say how much it really paid."
    assert restore(source, target, label_edits(source, target)) == (
        "The bank did not say how much it really paid."
    )


def test_fifty_kilobyte_pair_compares_each_word_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Speed is measured in benchmarks/; here the work is counted: labelling must compare words
    # pairwise along the alignment (linear in the text), never every word with every other.
    rng = random.Random(3)
    src_parts = [rng.choice(SENTENCES) for _ in range(700)]
    source = " ".join(src_parts)
    assert len(source) >= 50_000
    target_words = []
    for w in source.split(" "):
        target_words.append((_swap(w, rng) or w) if rng.random() < 0.15 else w)
    target = " ".join(target_words)
    compared = 0
    real = labels._pair_label

    def counting(*args: object) -> object:
        nonlocal compared
        compared += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(labels, "_pair_label", counting)
    edits = label_edits(source, target)
    assert len(edits) > 100
    assert 0 < compared <= 2 * len(target_words), compared
