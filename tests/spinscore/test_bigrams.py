"""Word-pair frequencies from symspellpy: lookups, the bigram fit, neighbours and the cache."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from unspin.lexicon import zipf
from unspin.spinscore.bigrams import Bigrams, bigrams
from unspin.spinscore.features import context_llr, neighbours, spun_mass
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.text import tokenize


def test_listed_pairs_are_counted_and_absent_ones_stay_below_the_floor() -> None:
    bg = bigrams()
    assert ("central", "bank") in bg and ("focal", "bank") not in bg
    assert bg.pair("central", "bank") > 7.0  # 58 million in Google Books
    assert bg.pair("focal", "bank") <= bg.log_floor < bg.pair("central", "bank")
    # Independence bounds an absent pair of rare words well below the floor.
    assert bg.pair("zygote", "bourse") < bg.log_floor - 2.0


def test_unknown_words_fall_back_to_wordfreq_floor() -> None:
    bg = bigrams()
    assert bg.unigram("the") > bg.unigram("bank") > bg.unigram("bourse") > 0.0
    # wordfreq's Zipf 0 is one occurrence per billion words.
    assert bg.unigram("qzxvjw") == pytest.approx(bg.log_total - 9.0)


def test_fit_prefers_the_collocation_and_ignores_missing_neighbours() -> None:
    bg = bigrams()
    assert bg.fit("central", "the", "bank") > bg.fit("focal", "the", "bank") + 2.0
    assert bg.fit("price", "the", "of") > bg.fit("toll", "the", "of")
    assert bg.fit("bank", None, None) == 0.0
    assert bg.fit("bank", "central", None) == pytest.approx(
        bg.pair("central", "bank") - bg.unigram("central") - bg.unigram("bank") + bg.log_total
    )
    # The two sides, as the per-word features read them, are the fit split at the word.
    left, right = bg.sides("central", "the", "bank")
    assert (left, 0.0) == bg.sides("central", "the", None)
    assert (0.0, right) == bg.sides("central", None, "bank")
    assert left + right == bg.fit("central", "the", "bank") and right > 2.0


def _defined_sides(word: str, left: str | None, right: str | None) -> tuple[float, float]:
    """The fits with the neighbours as defined: from pair, unigram and log_total."""
    bg = bigrams()
    own = bg.unigram(word)
    on_left = on_right = 0.0
    if left is not None:
        on_left = bg.pair(left, word) - bg.unigram(left) - own + bg.log_total
    if right is not None:
        on_right = bg.pair(word, right) - own - bg.unigram(right) + bg.log_total
    return on_left, on_right


def test_sides_of_many_words_equal_the_definition_word_by_word() -> None:
    # sides_each (one spot of sides_of_spots) gives the fits of all candidates of a spot; each
    # figure must be the one the definition gives (pair, unigram, log_total), to the last bit.
    bg = bigrams()
    words = ["central", "focal", "bank", "qzxvjw", "toll", "price", "Bank", "the"]
    for left, right in [("the", "bank"), (None, "of"), ("the", None), (None, None), ("qq", "zz")]:
        got = bg.sides_each(words, left, right)
        assert got == [_defined_sides(word, left, right) for word in words]
    assert bg.sides_each([], "the", "bank") == []
    # A word the list lacks gets the same estimate however often it is asked for.
    assert bg.unigram("qzxvjw") == bg.unigram("qzxvjw")


def test_one_pair_alone_gives_the_same_fit_as_the_arrays() -> None:
    # The phrase restorer's search asks for single pairs (Bigrams.left_fit); it must agree with
    # sides() to the last bit, listed pair, unlisted pair and unknown word alike.
    bg = bigrams()
    for left, word in [("central", "bank"), ("focal", "bank"), ("qzxvjw", "bank"), ("the", "zz")]:
        assert bg.left_fit(left, word) == bg.sides(word, left, None)[0]
    assert bg.left_fit("central", "bank") > bg.left_fit("focal", "bank")


def test_neighbours_stop_at_punctuation_and_edges() -> None:
    text = "Rates rose, the focal bank said."
    tokens = tokenize(text)
    assert neighbours(text, tokens, 0, 0) == (None, "rose")
    assert neighbours(text, tokens, 1, 1) == ("rates", None)
    assert neighbours(text, tokens, 3, 3) == ("the", "bank")
    assert neighbours(text, tokens, 5, 5) == ("bank", None)


def test_context_raises_the_ratio_of_a_word_that_breaks_a_collocation() -> None:
    bg = bigrams()
    cands = [c for c in reverse_thesaurus().candidates("focal")[:16] if " " not in c.word]
    z = zipf("focal")
    bare = spun_mass(cands) - z
    assert context_llr(cands, "focal", z, ("the", "bank"), bg) > bare + 0.3
    # Without neighbours the contextual ratio reduces to the bare one.
    assert context_llr(cands, "focal", z, (None, None), bg) == pytest.approx(bare)
    assert context_llr([], "focal", z, ("the", "bank"), bg) == -math.inf


def test_cache_is_written_reused_and_rebuilt_when_torn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    built = Bigrams.load()
    cached = tmp_path / "bigrams-v2.npz"
    assert cached.exists()
    again = Bigrams.load()
    for a, b in [("central", "bank"), ("interest", "rates"), ("focal", "bank")]:
        assert again.pair(a, b) == built.pair(a, b)
    cached.write_bytes(b"torn")
    rebuilt = Bigrams.load()
    assert rebuilt.pair("central", "bank") == built.pair("central", "bank")
    assert cached.stat().st_size > 1_000_000


def _spots_of(text: str) -> list[tuple[tuple[str, ...], str | None, str | None]]:
    """Spots as a scan asks for them: each word's candidate list (and a word the lists
    lack, and one that is capitalised) between its neighbours, a spot with no word, and
    neighbours that are None or outside both word lists."""
    rt = reverse_thesaurus()
    tokens = tokenize(text)
    spots: list[tuple[tuple[str, ...], str | None, str | None]] = [((), "the", "bank")]
    for i, word in enumerate(tokens.norms):
        left, right = neighbours(text, tokens, i, i)
        cands = tuple(c.word for c in rt.candidates(word) if " " not in c.word)
        spots.append(((*cands[: 1 + i % 40], "qzxvjw", "Bank"), left, right))
        spots.append(((word,), "qqzz" if i % 3 else None, right))
    return spots


def test_sides_of_spots_equal_the_definition_to_the_last_bit() -> None:
    # The scan looks up every spot's fits at once (binary search over the sorted pairs);
    # every number must be the one the definition gives, word by word.
    bg = bigrams()
    text = (
        "The focal bank raised its key toll of wheat, the top pastor said on Monday. "
        "Prices of crude oil fell sharply as the central bank cut interest rates again."
    )
    spots = _spots_of(text)
    on_left, on_right, offsets = bg.sides_of_spots(spots)
    assert len(offsets) == len(spots) + 1 and offsets[-1] == len(on_left) == len(on_right)
    for k, (words, left, right) in enumerate(spots):
        a, b = int(offsets[k]), int(offsets[k + 1])
        got = list(zip(on_left[a:b].tolist(), on_right[a:b].tolist(), strict=True))
        assert got == [_defined_sides(w, left, right) for w in words], (words, left, right)
    empty = bg.sides_of_spots([])
    assert [len(a) for a in empty] == [0, 0, 1]


def test_pairs_are_found_by_binary_search_as_by_the_table() -> None:
    bg = bigrams()
    keys, pairs = bg._sorted_keys, bg.index_pairs()
    assert len(keys) == len(pairs) and bool(np.all(keys[1:] > keys[:-1]))
    some = keys[:: max(1, len(keys) // 500)]
    hit, found = bg._listed(some, np.ones(len(some), dtype=bool))
    assert hit.all() and found.tolist() == [pairs[k] for k in some.tolist()]
    hit, _ = bg._listed(some + 1, np.ones(len(some), dtype=bool))
    assert hit.tolist() == [k + 1 in pairs for k in some.tolist()]


def test_single_pairs_read_the_same_before_and_after_the_dictionary_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A cold score asks single pairs by binary search; after _SINGLE_LOOKUPS of them (or
    # load_resources) a dictionary answers: the same counts and memberships either way.
    from unspin.spinscore import bigrams as module

    monkeypatch.setattr(module, "_SINGLE_LOOKUPS", 400)
    bg = Bigrams.load()
    words = [w for w, _ in sorted(bg._ids.items(), key=lambda item: item[1])[:5000:50]]
    words += ["central", "bank", "interest", "rates", "the", "of", "qqqzzz"]
    asked = [(a, b) for a in words[:20] for b in words]
    searched = [(bg.pair(a, b), (a, b) in bg, bg.left_fit(a, b)) for a, b in asked[:130]]
    assert bg._pairs is None  # 390 single lookups so far: no dictionary yet
    rest = [(bg.pair(a, b), (a, b) in bg, bg.left_fit(a, b)) for a, b in asked[130:]]
    assert bg._pairs is not None  # past 400: the dictionary was made
    assert any(listed for _, listed, _ in searched)  # some listed pairs among them
    again = [(bg.pair(a, b), (a, b) in bg, bg.left_fit(a, b)) for a, b in asked]
    assert [*searched, *rest] == again
    # Made before any lookup (load_resources), it answers the same.
    made = Bigrams.load()
    made.index_pairs()
    assert [(made.pair(a, b), (a, b) in made, made.left_fit(a, b)) for a, b in asked] == again
