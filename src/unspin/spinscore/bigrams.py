"""English word-pair frequencies: how well a word fits between its neighbours.

A thesaurus spinner breaks collocations: "central bank" becomes "focal bank", and the pair that
remains is rare or absent from real text while the original forms a frequent one with the same
neighbour. The counts come from the ``symspellpy`` package, which ships 242,342 English bigrams
and 82,765 unigrams with their Google Books n-gram counts (``frequency_bigramdictionary_en_243_342
.txt``, ``frequency_dictionary_en_82_765.txt``); the bigram list stops at about 6.4 million
occurrences, so an absent pair is one seen fewer times than that.

Under a bigram model the probability of a word ``x`` between ``L`` and ``R`` is proportional to
``P(x | L) · P(R | x)``; :meth:`Bigrams.fit` returns it relative to ``P(x)`` (the pointwise mutual
information with both neighbours, log10), so the same number can re-weigh a reverse-thesaurus
prior (restoration) and a word's own frequency (detection). Pairs outside the list are estimated
as independent, capped at half the list's smallest count.

Parsing the two files takes about half a second, so the first use caches them as ``.npz`` under
:func:`unspin.cache.cache_dir`; later loads take a few hundredths of a second.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import repeat

import numpy as np

from ..cache import cached_arrays
from ..errors import UnspinError
from ..lexicon import look_up, zipf

_CACHE_VERSION = 2  # 2: pair keys sorted, for lookups of many pairs at once
_BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"
_UNIGRAM_FILE = "frequency_dictionary_en_82_765.txt"
# Pair keys are ``id(a) << _SHIFT | id(b)``: the vocabulary has fewer than a million words.
_SHIFT = 20
# Words outside the unigram list whose estimated counts are kept (a long-running server
# meets an open vocabulary; past this many, estimates are recomputed).
_ESTIMATES_KEPT = 200_000
# Word lists (a spot's candidates) whose ids and counts are kept as arrays: a text asks for
# two lists per content word (its best 16 candidates, all of them for a span). At about 1 KB
# a list, at most some 30 MB in a long-running server; past this many, lists are looked up
# again each time.
_LISTS_KEPT = 30_000
# Single pair lookups answered by binary search before the pairs get a dictionary: about the
# number whose searches cost what making the dictionary does (about 1 µs against 55 ms).
_SINGLE_LOOKUPS = 50_000


# One spot of :meth:`Bigrams.sides_of_spots`: the words that may stand there and the
# neighbours either side (None across punctuation or the text's edge).
Spot = tuple[tuple[str, ...], str | None, str | None]


def _read_package_file(name: str) -> str:
    """Text of one of symspellpy's dictionary files (a core dependency of unspin)."""
    try:
        return resources.files("symspellpy").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise UnspinError(
            f"The word-pair frequencies ({name}) could not be read from the symspellpy package "
            f"({exc}). Reinstall it with: pip install --force-reinstall symspellpy"
        ) from exc


def _build() -> dict[str, np.ndarray]:
    """Vocabulary, unigram and pair counts (log10) as arrays, from symspellpy's files."""
    vocab: dict[str, int] = {}
    unigram: list[float] = []

    def word_id(word: str) -> int:
        if word not in vocab:
            vocab[word] = len(unigram)
            unigram.append(math.nan)
        return vocab[word]

    for line in _read_package_file(_UNIGRAM_FILE).splitlines():
        parts = line.split()
        if len(parts) == 2 and int(parts[1]) > 0:
            unigram[word_id(parts[0])] = math.log10(int(parts[1]))
    keys: list[int] = []
    counts: list[float] = []
    for line in _read_package_file(_BIGRAM_FILE).splitlines():
        parts = line.split()
        if len(parts) == 3 and int(parts[2]) > 0:
            keys.append(word_id(parts[0]) << _SHIFT | word_id(parts[1]))
            counts.append(math.log10(int(parts[2])))
    order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
    return {
        "words": np.array("\n".join(vocab)),
        "unigram": np.array(unigram, dtype=np.float32),
        "keys": np.array(keys, dtype=np.int64)[order],
        "counts": np.array(counts, dtype=np.float32)[order],
    }


class Bigrams:
    """Unigram and bigram counts (log10) with a bigram-model fit of a word in its context."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        words = str(arrays["words"]).split("\n")
        self._ids = {w: i for i, w in enumerate(words)}
        self._unigram_array = arrays["unigram"].astype(float)
        unigram = self._unigram_array.tolist()
        # Each word's log10 count by word, one lookup (a scan asks about 70,000 times for a
        # 1,000-word article); NaN for words only the pair list has. Words the unigram list
        # lacks get their estimate cached.
        self._counts = dict(zip(words, unigram, strict=True))
        self._estimated: dict[str, float] = {}
        keys, pair_counts = arrays["keys"], arrays["counts"].astype(float)
        # The pairs as sorted arrays, for :meth:`sides_of_spots` (binary search over all of a
        # text's candidates at once) and single lookups. The cache stores them sorted; a
        # stable sort keeps a repeated key's entries in their order, the last one counting.
        if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
            order = np.argsort(keys, kind="stable")
            keys, pair_counts = keys[order], pair_counts[order]
        self._sorted_keys = np.asarray(keys, dtype=np.int64)
        self._sorted_counts = pair_counts
        # The same pairs as a dictionary for single lookups, made only when many are asked
        # (:meth:`index_pairs`): making it costs about 55 ms, half of this table's load, and a
        # cold ``score`` asks about 1,200 single pairs (a binary search each, about 1 µs).
        self._pairs: dict[int, float] | None = None
        self._single_lookups = 0
        self._lists: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        # log10 of the corpus size, so that unigram counts and wordfreq's Zipf values agree on
        # "the" (the one word certainly in both).
        self.log_total = self._counts["the"] - (zipf("the") - 9.0)
        # An absent pair was seen fewer times than the list's smallest count: assume half of it.
        self.log_floor = float(arrays["counts"].min()) - math.log10(2.0)

    @classmethod
    def load(cls) -> Bigrams:
        """Load from the cache, building it from symspellpy's files on first use."""
        return cached_arrays(
            f"bigrams-v{_CACHE_VERSION}.npz",
            _build,
            lambda data: cls({k: data[k] for k in ("words", "unigram", "keys", "counts")}),
            what="the word-pair counts of symspellpy",
        )

    def unigram(self, word: str) -> float:
        """log10 count of ``word`` (from wordfreq where the unigram list lacks it)."""
        found = self._counts.get(word)
        if found is not None and found == found:  # not NaN
            return found
        found = self._estimated.get(word)
        if found is None:
            # Zipf is log10 of occurrences per billion words; wordfreq's floor (0) is one per
            # billion.
            found = max(zipf(word), 0.0) - 9.0 + self.log_total
            if len(self._estimated) < _ESTIMATES_KEPT:
                self._estimated[word] = found
        return found

    def pair(self, a: str, b: str) -> float:
        """log10 count of the pair ``a b``; independence capped at the list's floor if absent."""
        return self._pair(a, b, self.unigram(a), self.unigram(b))

    def _pair(self, a: str, b: str, unigram_a: float, unigram_b: float) -> float:
        """:meth:`pair` with the words' own counts already known."""
        ia, ib = self._ids.get(a), self._ids.get(b)
        if ia is not None and ib is not None:
            found = self._listed_count(ia << _SHIFT | ib)
            if found is not None:
                return found
        return min(unigram_a + unigram_b - self.log_total, self.log_floor)

    def _listed_count(self, key: int) -> float | None:
        """The log10 count of the pair ``key`` in the list, or None: a binary search of the
        sorted pairs until :data:`_SINGLE_LOOKUPS` have been asked, then the dictionary
        (:meth:`index_pairs`); the same number either way."""
        pairs = self._pairs
        if pairs is None:
            self._single_lookups += 1
            if self._single_lookups <= _SINGLE_LOOKUPS:
                keys = self._sorted_keys
                at = int(keys.searchsorted(key, side="right")) - 1  # a repeated key's last
                return float(self._sorted_counts[at]) if at >= 0 and keys[at] == key else None
            pairs = self.index_pairs()
        return pairs.get(key)

    def index_pairs(self) -> dict[int, float]:
        """Every listed pair's log10 count by key, made once: what single lookups read after
        :data:`_SINGLE_LOOKUPS` (the phrase restorer asks tens of thousands), and what a
        server makes before its first text (:func:`unspin.spinscore.score.load_resources`)."""
        if self._pairs is None:
            keys, counts = self._sorted_keys.tolist(), self._sorted_counts.tolist()
            self._pairs = dict(zip(keys, counts, strict=True))
        return self._pairs

    def phrase_zipf(self, words: Sequence[str]) -> float:
        """A Zipf frequency of the phrase ``words`` from the word pairs it is made of (a bigram
        chain, ``P(a b c) = P(a b) P(c | b)``). wordfreq estimates a phrase from its words
        alone, so "give good returns" reads as common as "profit"; its pairs say otherwise."""
        log = self.pair(words[0], words[1])
        for a, b in itertools.pairwise(words[1:]):
            log += self.pair(a, b) - self.unigram(a)
        return log - self.log_total + 9.0

    def left_fit(self, left: str, word: str) -> float:
        """``sides(word, left, None)[0]`` for one pair, without arrays: the phrase restorer's
        search asks for tens of thousands of single pairs, where the array set-up of
        :meth:`sides_of_spots` costs more than the sum. The same operations in the same
        order, so the same number to the last bit."""
        count, own = self.unigram(left), self.unigram(word)
        return self._pair(left, word, count, own) - count - own + self.log_total

    def fit(self, word: str, left: str | None, right: str | None) -> float:
        """log10 of ``P(left, right | word) / (P(left) P(right))`` under a bigram model.

        Positive when ``word`` forms collocations with its neighbours, negative when the pairs
        are rarer than chance; a missing neighbour (sentence edge, punctuation) contributes 0.
        """
        on_left, on_right = self.sides(word, left, right)
        return on_left + on_right

    def sides(self, word: str, left: str | None, right: str | None) -> tuple[float, float]:
        """The two terms of :meth:`fit`: the fit with the left neighbour and with the right."""
        return self.sides_each([word], left, right)[0]

    def sides_each(
        self, words: list[str], left: str | None, right: str | None
    ) -> list[tuple[float, float]]:
        """:meth:`sides` of each of ``words`` between the same neighbours (the candidates for
        one spot): :meth:`sides_of_spots` of that one spot."""
        on_left, on_right, _ = self.sides_of_spots([(tuple(words), left, right)])
        return list(zip(on_left.tolist(), on_right.tolist(), strict=True))

    def _word_arrays(self, words: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Ids of ``words`` in the pair list (-1 where absent) and their :meth:`unigram`
        counts, made once per word list (a text's words share their candidate lists)."""
        found = self._lists.get(words)
        if found is None:
            found = self.ids_and_counts(words)
            if len(self._lists) < _LISTS_KEPT:
                self._lists[words] = found
        return found

    def _listed(self, keys: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which pair ``keys`` are in the list (``known``: both words have ids) and their
        log10 counts there (anything where not)."""
        at = np.searchsorted(self._sorted_keys, keys)
        np.minimum(at, len(self._sorted_keys) - 1, out=at)
        hit = known & (self._sorted_keys[at] == keys)
        return hit, self._sorted_counts[at]

    def ids_and_counts(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Ids of ``words`` in the pair list (-1 where absent) and their :meth:`unigram`
        counts, word by word (no list kept)."""
        ids = np.array([self._ids.get(w, -1) for w in words], dtype=np.int64)
        return ids, np.array([self.unigram(w) for w in words], dtype=float)

    def word_table(self, words: Sequence[str]) -> WordTable:
        """:meth:`ids_and_counts` of a fixed list of words, looked up by their indices
        (:class:`WordTable`)."""
        return WordTable(self, list(words))

    def sides_of_spots(self, spots: Sequence[Spot]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`sides` of every word of every spot at once, as flat arrays: the fits with
        the left and with the right neighbour of each spot's words in turn, and where each
        spot's words start (``len(spots) + 1`` offsets). The floating-point operations of
        :meth:`pair`, :meth:`unigram` and :attr:`log_total` in the definition's order,
        elementwise, so the same numbers to the last bit; a text's scan asks for about
        20,000 of them."""
        lists = [self._word_arrays(words) for words, _, _ in spots if words]
        empty = np.zeros(0, dtype=np.int64)
        return self.sides_of_words(
            np.concatenate([i for i, _ in lists]) if lists else empty,
            np.concatenate([c for _, c in lists]) if lists else empty.astype(float),
            [len(words) for words, _, _ in spots],
            [left for _, left, _ in spots],
            [right for _, _, right in spots],
        )

    def sides_of_words(
        self,
        ids: np.ndarray,
        own: np.ndarray,
        lengths: Sequence[int],
        lefts: Sequence[str | None],
        rights: Sequence[str | None],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`sides_of_spots` with the spots' words given as their ids and counts
        (:meth:`ids_and_counts` or :meth:`WordTable.arrays`, all spots' words in turn),
        how many words each spot has, and each spot's neighbours."""
        repeats = np.array(lengths, dtype=np.int64)
        offsets = np.zeros(len(repeats) + 1, dtype=np.int64)
        np.cumsum(repeats, out=offsets[1:])
        if not offsets[-1]:
            empty = np.zeros(0, dtype=float)
            return empty, empty.copy(), offsets
        total, floor = self.log_total, self.log_floor

        def neighbour(word: str | None) -> tuple[int, float, bool]:
            if word is None:
                return -1, 0.0, False
            return self._ids.get(word, -1), self.unigram(word), True

        # A text's neighbours repeat ("the", "of"): each is looked up once.
        known: dict[str | None, tuple[int, float, bool]] = {}

        def spread(words: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """Each spot's neighbour ``words`` per word of the spot: id, count, whether any."""
            got = [known.get(word) or known.setdefault(word, neighbour(word)) for word in words]
            return (
                np.repeat(np.array([g[0] for g in got], dtype=np.int64), repeats),
                np.repeat(np.array([g[1] for g in got], dtype=float), repeats),
                np.repeat(np.array([g[2] for g in got], dtype=bool), repeats),
            )

        # The pair (left, word), then (word, right): log10 of the pair's count (or the
        # estimate capped at the floor) less both words' counts, plus the total.
        nid, count, present = spread(lefts)
        hit, found = self._listed(nid << _SHIFT | ids, (nid >= 0) & (ids >= 0))
        estimate = count + own - total
        found = np.where(hit, found, np.where(estimate <= floor, estimate, floor))
        on_left = np.where(present, found - count - own + total, 0.0)
        nid, count, present = spread(rights)
        hit, found = self._listed(ids << _SHIFT | nid, (nid >= 0) & (ids >= 0))
        estimate = own + count - total
        found = np.where(hit, found, np.where(estimate <= floor, estimate, floor))
        on_right = np.where(present, found - own - count + total, 0.0)
        return on_left, on_right, offsets

    def __contains__(self, pair: object) -> bool:
        """Whether a ``(a, b)`` pair is in the list itself (not estimated)."""
        if not isinstance(pair, tuple) or len(pair) != 2:
            return False
        ia, ib = self._ids.get(pair[0]), self._ids.get(pair[1])
        return (
            ia is not None and ib is not None and self._listed_count(ia << _SHIFT | ib) is not None
        )


class WordTable:
    """The pair-list ids and :meth:`Bigrams.unigram` counts of a fixed list of words (the
    reverse thesaurus's headwords), as arrays by each word's index: the candidates of every
    spot of a scan are looked up with one gather instead of word by word, and a text's new
    words cost nothing more than its old ones. The ids are made at once (a few hundredths of a
    second for 42,000 headwords); a count the unigram list lacks is estimated on first use."""

    def __init__(self, bg: Bigrams, words: list[str]) -> None:
        self._bg = bg
        self._words = words
        self.ids = np.fromiter(map(bg._ids.get, words, repeat(-1)), np.int64, len(words))
        # Each word's unigram count by its id (``bg._counts[w]``, one dictionary pass instead
        # of two); NaN until known: words outside the unigram list are estimated when first
        # asked.
        self._counts = bg._unigram_array[self.ids]
        self._counts[self.ids < 0] = math.nan

    def __len__(self) -> int:
        return len(self._words)

    def arrays(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ids and counts of the words at ``indices``: what :meth:`Bigrams.ids_and_counts`
        gives for those words, to the last bit."""
        counts = self._counts[indices]
        unknown = np.flatnonzero(np.isnan(counts))
        if len(unknown) > 1:
            # Their frequencies in one query (a new article's candidates: about a hundred).
            look_up(self._words[i] for i in indices[unknown].tolist())
        for k in unknown.tolist():
            i = int(indices[k])
            counts[k] = self._counts[i] = self._bg.unigram(self._words[i])
        return self.ids[indices], counts


@lru_cache(maxsize=1)
def bigrams() -> Bigrams:
    """The process-wide word-pair table."""
    return Bigrams.load()
