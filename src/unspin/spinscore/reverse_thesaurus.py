"""The reverse Moby thesaurus: for a word or phrase a spinner may have put in, the headwords it
may have replaced, ranked by how likely each one is to be the original.

A spinner replaces a word ``h`` with a synonym drawn uniformly from Moby's list for ``h``. Seeing
``s``, Bayes gives ``P(h | s) ∝ P(h) · P(s | h) = freq(h) / |syn(h)|``: common headwords with short
synonym lists are the likely originals. Frequencies come from wordfreq (Zipf scale, log10), so the
score of a candidate is ``zipf(h) - w · log10(|syn(h)|)``; ``w`` is 1 in theory and fitted to 1.5
on spun training paragraphs (reut2-000..013), because wordfreq's general-English frequency
overrates generic headwords, which are also the ones with long lists.

Spinners look words up in their base form ("prices" -> the list of "price"), so an inflected
form ``h + "s"`` or ``h + "ed"`` that has no Moby entry of its own is a candidate too, with its
own frequency and the list of ``h``.

Inverting 2.5 million Moby entries and looking up 30,000 frequencies takes seconds, so the result
(the best 128 candidates of every synonym) is cached as arrays (``.npz``) under :func:`unspin.cache.cache_dir`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import attrgetter, is_, itemgetter

import numpy as np

from ..cache import cached_arrays
from ..lexicon import moby_entries, zipf
from ..text import STOPWORDS, stem
from .base_forms import ThroughBase, build_table

_CACHE_VERSION = 6  # 5: arrays (.npz) instead of JSON; 6: each headword's stem
# The table of inflected forms read through their base form (:mod:`.base_forms`), cached
# beside the thesaurus and made from it.
_THROUGH_BASE_VERSION = 3  # 2: with the number of headwords it indexes; 3: regular
# inflections lemminflect's dictionary lacks, and British spellings
# wordfreq estimates a phrase from its words, not from real phrase counts, which overrates it;
# each extra word costs this much (log10) so phrases compete fairly with single words.
_PHRASE_PENALTY = 2.0
# Candidates kept per synonym. On spun reut2-000..013 paragraphs the original is among the best
# 16 by prior only 75% of the time, 98% within 128; word-pair context re-ranks them, so keep 128.
_KEEP = 128
# Candidate lists kept once made (a long-running server meets an open vocabulary).
_LISTS_KEPT = 100_000
# Weight of log10 |syn(h)| in a candidate's score (see the module docstring).
_LIST_WEIGHT = 1.5
# Endings a spinner strips to find a word's headword ("prices" -> "price").
_INFLECTIONS = ("s", "ed")
_INDEX = attrgetter("index")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A headword that may have been replaced, with its Zipf frequency and prior log-score;
    ``stem`` is ``text.stem(word)`` and ``index`` the headword's place in the reverse
    thesaurus (:meth:`ReverseThesaurus.head_words`), both made once with the thesaurus so that
    a scan reads them instead of looking them up per candidate (-1: not from the thesaurus)."""

    word: str
    zipf: float
    score: float
    stem: str = field(default="", compare=False)
    index: int = field(default=-1, compare=False)


class ReverseThesaurus:
    """Synonym (word or phrase) -> likely original headwords, best first."""

    def __init__(self, heads: list[tuple[str, float, float]], inverse: dict[str, list[int]]):
        syns = list(inverse)
        starts = np.zeros(len(syns) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([len(inverse[s]) for s in syns])
        flat = np.fromiter((i for s in syns for i in inverse[s]), dtype=np.int32, count=starts[-1])
        self._init(heads, syns, starts, flat)

    def _init(
        self,
        heads: list[tuple[str, float, float]],
        syns: list[str],
        starts: np.ndarray,
        flat: np.ndarray,
        stems: list[str] | None = None,
    ) -> None:
        # Synonym k's headwords are flat[starts[k]:starts[k + 1]]: arrays load in hundredths
        # of a second where the same lists as JSON took most of a second.
        self._heads = heads
        # Each headword's stem (the scan's echo test reads them for every candidate; stemming
        # the new ones of each text cost a few milliseconds), kept in the cache.
        self._stems = stems if stems is not None else [stem(w) for w, _, _ in heads]
        # Candidates made so far by headword index, made once each (None: not yet).
        self._made: list[Candidate | None] = [None] * len(heads)
        self._all_made = False  # every headword's candidate made (:meth:`make_all`)
        # Each looked-up word's list, made once (a scan asks again for every repeat).
        self._listed: dict[str, tuple[Candidate, ...]] = {}
        self._row = dict(zip(syns, range(len(syns)), strict=True))
        self._arrays_made: tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]] | None = None
        self._phrase_firsts: frozenset[str] | None = None
        self._through_base: ThroughBase | None = None
        self._starts = starts
        self._flat = flat

    @cached_property
    def max_phrase_words(self) -> int:
        """The most words of a synonym (counted when asked: a tenth of the load's time, and
        a scan does not ask)."""
        return max((k.count(" ") + 1 for k in self._row), default=1)

    def lists(self, word: str) -> bool:
        """Moby gives ``word`` (lower case) as a synonym of some headword: a word a spinner
        can put in, however rare ("vend", "heave"), so no typo."""
        return word in self._row

    @classmethod
    def load(cls) -> ReverseThesaurus:
        """Load from the cache, building it on first use (a few seconds, once)."""
        return cached_arrays(
            f"moby-reverse-v{_CACHE_VERSION}.npz",
            lambda: cls(*cls._build())._arrays(),
            cls._from_arrays,
            what="the reverse Moby thesaurus (about ten seconds)",
        )

    @classmethod
    def _from_arrays(cls, data: Mapping[str, np.ndarray]) -> ReverseThesaurus:
        z, s = data["head_zipf"].tolist(), data["head_score"].tolist()
        heads = list(zip(str(data["head_words"]).split("\n"), z, s, strict=True))
        syns = str(data["syns"]).split("\n")
        starts, flat = data["starts"], data["flat"]
        if len(starts) != len(syns) + 1:
            raise ValueError("synonyms and their rows disagree")
        stems = str(data["head_stems"]).split("\n")
        if len(stems) != len(heads):
            raise ValueError("headwords and their stems disagree")
        out = cls.__new__(cls)
        out._init(heads, syns, starts, flat, stems)
        return out

    def _arrays(self) -> dict[str, np.ndarray]:
        syns = sorted(self._row, key=self._row.__getitem__)
        return {
            "head_words": np.array("\n".join(w for w, _, _ in self._heads)),
            "head_zipf": np.array([z for _, z, _ in self._heads], dtype=float),
            "head_score": np.array([s for _, _, s in self._heads], dtype=float),
            "head_stems": np.array("\n".join(self._stems)),
            "syns": np.array("\n".join(syns)),
            "starts": self._starts,
            "flat": self._flat,
        }

    @staticmethod
    def _build() -> tuple[list[tuple[str, float, float]], dict[str, list[int]]]:
        entries = moby_entries()
        heads: list[tuple[str, float, float]] = []
        by_syn: dict[str, list[int]] = {}
        for head, syns in entries.items():
            if not all(p.isalpha() for p in head.split()) or head in STOPWORDS:
                continue  # spinners leave function words alone, so they are never originals
            forms = [head]
            if head.isalpha():
                forms += [head + e for e in _INFLECTIONS if head + e not in entries]
            list_cost = _LIST_WEIGHT * math.log10(max(len(syns), 1))
            for form in forms:
                z = zipf(form) - _PHRASE_PENALTY * form.count(" ")
                if z <= 0.0:
                    continue  # a word nobody writes is never the expected common word
                index = len(heads)
                heads.append((form, z, round(z - list_cost, 3)))
                for syn in syns:
                    if syn != head and syn != form and all(p.isalpha() for p in syn.split()):
                        by_syn.setdefault(syn, []).append(index)
        inverse = {
            syn: sorted(ids, key=lambda i: -heads[i][2])[:_KEEP] for syn, ids in by_syn.items()
        }
        return heads, inverse

    def candidates(self, phrase: str) -> list[Candidate]:
        """Headwords whose Moby list contains ``phrase`` (lower-cased), best prior first."""
        key = phrase.lower()
        found = self._listed.get(key)
        if found is not None:
            return list(found)
        k = self._row.get(key)
        if k is None:
            return []
        made = self._made
        indices = self._flat[self._starts[k] : self._starts[k + 1]].tolist()
        if self._all_made and len(indices) > 1:
            out = list(itemgetter(*indices)(made))
        else:
            out = [made[i] or self._make(i) for i in indices]
        if len(self._listed) < _LISTS_KEPT:
            self._listed[key] = tuple(out)
        return out

    def make_all(self) -> None:
        """Make every headword's candidate now (about 0.03 s), so that a new word's list is
        only looked up: what a server loads before its first text
        (:func:`unspin.spinscore.score.load_resources`)."""
        for index, made in enumerate(self._made):
            if made is None:
                self._make(index)
        self._all_made = True

    def _make(self, index: int) -> Candidate:
        """The candidate of headword ``index``, made and kept for the next lists."""
        made = self._made[index] = Candidate(*self._heads[index], self._stems[index], index)
        return made

    def indices_of(self, cands: Sequence[Candidate]) -> np.ndarray | None:
        """Each of ``cands``' :attr:`Candidate.index`, or None unless every one is a candidate
        this thesaurus made (so that the index is into its headwords)."""
        index = list(map(_INDEX, cands))
        if len(index) > 1:
            try:
                made = itemgetter(*index)(self._made)
            except IndexError:
                return None
        else:
            made = tuple(self._made[i] for i in index if 0 <= i < len(self._made))
        if len(made) != len(cands) or not all(map(is_, made, cands)):
            return None
        return np.array(index, dtype=np.int64)

    def _head_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
        """Every headword's prior score, whether it is a single word, and its stem's number
        in a table of stems (made on first use, kept)."""
        if self._arrays_made is None:
            numbers: dict[str, int] = {}
            stem_ids = np.array([numbers.setdefault(s, len(numbers)) for s in self._stems])
            self._arrays_made = (
                np.array([s for _, _, s in self._heads], dtype=float),
                np.array([" " not in w for w, _, _ in self._heads], dtype=bool),
                stem_ids.astype(np.int64),
                numbers,
            )
        return self._arrays_made

    def scores_at(self, index: np.ndarray) -> np.ndarray:
        """The prior :attr:`Candidate.score` of the headwords at ``index`` (a new array)."""
        return self._head_arrays()[0][index]

    def single_at(self, index: np.ndarray) -> np.ndarray:
        """Whether each headword at ``index`` is one word (no space)."""
        return self._head_arrays()[1][index]

    def echoed_at(self, index: np.ndarray, stems: frozenset[str]) -> np.ndarray:
        """Whether each headword at ``index`` has its stem among ``stems``
        (``candidate.stem in stems``)."""
        _, _, stem_ids, numbers = self._head_arrays()
        among = np.zeros(len(numbers) + 1, dtype=bool)
        among[[numbers.get(s, len(numbers)) for s in stems]] = True
        among[len(numbers)] = False  # stems no headword has
        return among[stem_ids[index]]

    def starts_phrase(self, word: str) -> bool:
        """Whether some multi-word synonym begins with ``word`` (lower-cased): a scan asks for
        phrases only where one may begin (the set made on first use, a hundredth of a second)."""
        if self._phrase_firsts is None:
            self._phrase_firsts = frozenset(s.split(" ", 1)[0] for s in self._row if " " in s)
        return word in self._phrase_firsts

    def candidates_through_base(self, word: str) -> list[Candidate]:
        """Headwords that ``word``'s base forms are listed under, inflected the way ``word``
        is ("intellects" -> "intellect" -> "mind" -> "minds"), best prior first: Moby lists
        base forms, and a spinner that inflects its pick writes forms no list holds. Only
        inflections that are themselves headwords here are kept (with their own priors).
        Looked up in a table made once with this thesaurus's cache (:mod:`.base_forms`)."""
        made = self._made
        return [made[i] or self._make(i) for i in self.base_forms().indices(word.lower())]

    def base_forms(self) -> ThroughBase:
        """The table of inflected forms read through their base form, loaded on first use
        (hundredths of a second from the cache; building it, once, about ten seconds)."""
        if self._through_base is None:
            self._through_base = cached_arrays(
                f"moby-through-base-v{_CACHE_VERSION}.{_THROUGH_BASE_VERSION}.npz",
                lambda: ThroughBase.arrays(self._through_base_table(), len(self._heads)),
                lambda data: ThroughBase.from_arrays(data, len(self._heads)),
                what="the table of inflected forms (about ten seconds)",
            )
        return self._through_base

    def _through_base_table(self) -> dict[str, list[int]]:
        """:func:`.base_forms.build_table` for this thesaurus (about ten seconds, once)."""
        starts, flat = self._starts, self._flat

        def listing(word: str) -> list[int]:
            k = self._row.get(word)
            return [] if k is None else flat[starts[k] : starts[k + 1]].tolist()

        # Moby spells the American way; a thesaurus made in Britain (Roget's, parts of
        # WordNet) writes "organisations", "favourite": read through breame's American form.
        from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

        return build_table(
            self._row,
            [w for w, _, _ in self._heads],
            [s for _, _, s in self._heads],
            listing,
            BRITISH_ENGLISH_SPELLINGS,
        )

    def head_words(self) -> list[str]:
        """Every headword, by :attr:`Candidate.index`."""
        return [w for w, _, _ in self._heads]

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and phrase.lower() in self._row


@lru_cache(maxsize=1)
def reverse_thesaurus() -> ReverseThesaurus:
    """The process-wide reverse thesaurus."""
    return ReverseThesaurus.load()
