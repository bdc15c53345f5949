"""Candidates' stems, priors and word-pair counts read by headword index (the scan's fast
path) against the same values read off each candidate, word by word: equal to the last bit."""

from __future__ import annotations

import numpy as np

from unspin.generators.article_spinner import spin
from unspin.spinscore import originals
from unspin.spinscore.bigrams import bigrams
from unspin.spinscore.features import neighbours
from unspin.spinscore.originals import head_table, sides_of_candidates, text_stems
from unspin.spinscore.reverse_thesaurus import Candidate, ReverseThesaurus, reverse_thesaurus
from unspin.text import stem, tokenize

TEXT = (
    "The central bank raised its key interest rate on Monday, and prices of crude oil fell "
    "as traders sold shares. The company said profits would rise, but the focal lender "
    "called the plan a goof. Officials expect growth to slow in the second quarter."
)


def _spots() -> tuple[str, list[tuple[list[Candidate], tuple[str | None, str | None] | None]]]:
    rt = reverse_thesaurus()
    text = spin(TEXT, 0.4, seed=3).text
    tokens = tokenize(text)
    spots: list[tuple[list[Candidate], tuple[str | None, str | None] | None]] = [
        (rt.candidates(w), neighbours(text, tokens, i, i)) for i, w in enumerate(tokens.norms)
    ]
    # Phrases among the candidates, a spot without neighbours, an empty one.
    spots += [(rt.candidates("top pastor"), ("the", "said")), (rt.candidates("jerk"), None)]
    spots += [([], ("the", "bank"))]
    return text, spots


def test_headword_stems_and_indices_are_the_candidates_own() -> None:
    rt = reverse_thesaurus()
    words = rt.head_words()
    for word in ("focal", "toll", "go up", "lender", "goof"):
        for c in rt.candidates(word):
            assert c.stem == stem(c.word)
            assert words[c.index] == c.word
    sample = np.arange(0, len(words), 97)
    assert [stem(words[i]) for i in sample] == [rt._stems[i] for i in sample]


def test_only_a_thesaurus_own_candidates_get_indices() -> None:
    rt = reverse_thesaurus()
    own = rt.candidates("focal")
    index = rt.indices_of(own)
    assert index is not None and index.tolist() == [c.index for c in own]
    assert rt.indices_of([]) is not None
    # Equal by value, but not made by this thesaurus: no index into its headwords.
    copy = Candidate(own[0].word, own[0].zipf, own[0].score, own[0].stem, own[0].index)
    assert copy == own[0]
    assert rt.indices_of([copy]) is None and rt.indices_of([*own, copy]) is None
    assert rt.indices_of([Candidate("price", 5.0, 4.0)]) is None
    other = ReverseThesaurus([("price", 5.1, 4.2), ("rise", 4.8, 3.9)], {"cost": [0, 1]})
    assert rt.indices_of(other.candidates("cost")) is None
    assert other.indices_of(other.candidates("cost")) is not None


def test_headword_arrays_equal_each_candidates_values() -> None:
    rt = reverse_thesaurus()
    text, spots = _spots()
    stems = text_stems(text)
    flat = [c for cands, _ in spots for c in cands]
    index = rt.indices_of(flat)
    assert index is not None
    assert rt.scores_at(index).tolist() == [c.score for c in flat]
    assert rt.single_at(index).tolist() == [" " not in c.word for c in flat]
    assert rt.echoed_at(index, stems).tolist() == [c.stem in stems for c in flat]
    assert not rt.echoed_at(index, frozenset({"no such stem at all"})).any()


def test_word_table_gives_the_counts_and_ids_word_by_word() -> None:
    rt, bg = reverse_thesaurus(), bigrams()
    words = rt.head_words()
    # Headwords in the pair list, outside it (estimated on first use), and phrases.
    index = np.array([i for i, w in enumerate(words) if i % 53 == 0 or " " in w][:3000])
    ids, counts = head_table(rt).arrays(index)
    want_ids, want_counts = bg.ids_and_counts([words[i] for i in index])
    assert ids.tolist() == want_ids.tolist()
    assert counts.tolist() == want_counts.tolist()  # to the last bit, NaN-free
    _, again_counts = head_table(rt).arrays(index)  # the estimates are kept
    assert again_counts.tolist() == want_counts.tolist()


def test_sides_by_headword_equal_sides_by_word_to_the_last_bit() -> None:
    rt, bg = reverse_thesaurus(), bigrams()
    _, spots = _spots()
    asked = [([c for c in cands if " " not in c.word], *ctx) for cands, ctx in spots if ctx]
    words = [("lender", "focal", "called"), ("rise", None, "but"), ("qzxv", "the", None)]
    fast = sides_of_candidates(rt, asked, words)
    by_word = bg.sides_of_spots(
        [(tuple(c.word for c in cands), a, b) for cands, a, b in asked]
        + [((w,), a, b) for w, a, b in words]
    )
    for got, want in zip(fast, by_word, strict=True):
        assert got.tolist() == want.tolist()


def test_scores_by_headword_equal_scores_read_off_each_candidate() -> None:
    text, spots = _spots()
    stems = text_stems(text) | {"lend"}
    score, offsets = originals._scores_each(spots, stems)
    flat = [c for cands, _ in spots for c in cands]
    assert score.tolist() == originals._scores_by_word(spots, flat, stems).tolist()
    assert offsets.tolist() == np.cumsum([0] + [len(c) for c, _ in spots]).tolist()
    # Candidates the thesaurus did not make take the word-by-word path, same numbers.
    copies = [([Candidate(c.word, c.zipf, c.score) for c in cands], ctx) for cands, ctx in spots]
    again, _ = originals._scores_each(copies, stems)
    assert again.tolist() == score.tolist()
    ranked = originals.top_originals_each([(c, ctx or (None, None)) for c, ctx in spots], stems)
    ranked_copies = originals.top_originals_each(
        [(c, ctx or (None, None)) for c, ctx in copies], stems
    )
    assert ranked == ranked_copies


def test_candidates_made_all_at_once_equal_those_made_one_by_one() -> None:
    arrays = reverse_thesaurus()._arrays()
    lazy, ahead = ReverseThesaurus._from_arrays(arrays), ReverseThesaurus._from_arrays(arrays)
    ahead.make_all()
    for word in ("focal", "toll", "lender", "go up", "jerk", "price", "no such word"):
        got, want = ahead.candidates(word), lazy.candidates(word)
        assert got == want
        assert [(c.stem, c.index) for c in got] == [(c.stem, c.index) for c in want]
        if got:  # each thesaurus's indices are its own candidates'
            assert ahead.indices_of(got) is not None and lazy.indices_of(got) is None


def test_phrases_are_asked_for_only_where_one_may_begin() -> None:
    rt = reverse_thesaurus()
    phrases = [s for s in rt._row if " " in s]
    assert phrases and all(rt.starts_phrase(p.split(" ")[0]) for p in phrases[::50])
    # A word no multi-word synonym begins with has no phrase to find after it.
    assert not rt.starts_phrase("qzxv")
    for first in ("central", "focal", "bank", "the"):
        if not rt.starts_phrase(first):
            assert not any(rt.candidates(f"{first} {w}") for w in ("bank", "of", "rate"))
