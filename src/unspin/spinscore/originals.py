"""Ranking the likely originals of a spun word: the reverse-thesaurus prior, words the text
repeats, and word pairs with the neighbours. Used by span suggestions and by ``explain``; the
spans ``score --restore`` re-reads, and ``explain`` of one word, rank the wider candidates of
the phrase search (:func:`word_originals`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..text import STOPWORDS, Tokens, stem, tokenize
from .bigrams import WordTable, bigrams
from .reverse_thesaurus import Candidate, ReverseThesaurus, reverse_thesaurus
from .vulgar import first_without_vulgar, holds_vulgar

# Weight of the bigram fit with the neighbours (log10 PMI) when ranking candidate originals
# (restoration and span suggestions) against the reverse-thesaurus prior.
RESTORE_WEIGHT = 0.8
# log10 bonus for a likely original whose stem the text uses elsewhere: writers repeat their
# words, and the spinner leaves most occurrences alone (fitted on reut2-000..013).
ECHO_BONUS = 1.5
# Weight of the reverse-thesaurus prior (log10) added to the phrase search's word model when
# one spun word's candidates are ranked from the phrase search's sources (:func:`word_originals`):
# 0, 0.3 and 0.6 tried on the tune half of QuillBot's one-word swaps (docs/benchmarks.md 15.12).
WORD_PRIOR_WEIGHT = 0.3
# Candidates of one word also offered in the spun word's inflection (:func:`word_originals`):
# the best this many, what the contextual re-ranker reads (restorer.KEEP); every candidate
# would double the cost of a word's candidates (about 5 ms CPU more, lemminflect's tables).
MATCHED = 30
# Natural-log scores (the phrase search's) are divided by this to read as log10 ones.
LN10 = math.log(10)


# Keyed by the thesaurus itself (identity): tests make thesauri of their own; keep a few.
@lru_cache(maxsize=4)
def head_table(rt: ReverseThesaurus) -> WordTable:
    """The word-pair ids and counts of ``rt``'s headwords by :attr:`Candidate.index`, made
    once per thesaurus (:class:`.bigrams.WordTable`)."""
    return bigrams().word_table(rt.head_words())


def sides_of_candidates(
    rt: ReverseThesaurus,
    spots: Sequence[tuple[Sequence[Candidate], str | None, str | None]],
    words: Sequence[tuple[str, str | None, str | None]] = (),
    index: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:meth:`.Bigrams.sides_of_spots` of spots whose words are candidates (each spot: its
    single-word candidates and its neighbours), then of ``words`` (each a word and its
    neighbours, a spot of one word): the candidates' ids and counts come from one gather in
    :func:`head_table` when they are all ``rt``'s own (``index``: their
    :meth:`~.ReverseThesaurus.indices_of`, where the caller has it); the same numbers either
    way."""
    bg = bigrams()
    if index is None:
        index = rt.indices_of([c for cands, _, _ in spots for c in cands])
    if index is None:
        return bg.sides_of_spots(
            [(tuple(c.word for c in cands), a, b) for cands, a, b in spots]
            + [((w,), a, b) for w, a, b in words]
        )
    ids, counts = head_table(rt).arrays(index)
    if words:
        more_ids, more_counts = bg.ids_and_counts([w for w, _, _ in words])
        ids, counts = np.concatenate([ids, more_ids]), np.concatenate([counts, more_counts])
    return bg.sides_of_words(
        ids,
        counts,
        [len(cands) for cands, _, _ in spots] + [1] * len(words),
        [a for _, a, _ in spots] + [a for _, a, _ in words],
        [b for _, _, b in spots] + [b for _, _, b in words],
    )


def text_stems(text: str) -> frozenset[str]:
    """Stems of the content words of ``text`` (the context :func:`rank_originals` reads)."""
    return frozenset(stem(w) for w in tokenize(text).norms if w not in STOPWORDS)


def neighbours(text: str, tokens: Tokens, i: int, j: int) -> tuple[str | None, str | None]:
    """The words right before token ``i`` and right after token ``j``, or None across
    punctuation or the text's edge (a bigram does not span a comma or a full stop)."""
    left = right = None
    if i > 0 and not text[tokens.ends[i - 1] : tokens.starts[i]].strip():
        left = tokens.norms[i - 1]
    if j + 1 < len(tokens) and not text[tokens.ends[j] : tokens.starts[j + 1]].strip():
        right = tokens.norms[j + 1]
    return left, right


def likely_originals(
    text: str, tokens: Tokens, positions: Sequence[int], k: int
) -> list[tuple[str, ...]]:
    """The ``k`` likeliest single-word originals of each token of ``text`` at ``positions``
    (its reverse-thesaurus candidates, or those through its base form), ranked as span
    suggestions rank them (:func:`top_originals_each`: the prior, the text's own words, the
    fit with the neighbours); retrieval's second query reads them
    (:func:`unspin.retrieve.candidates`).

    >>> text = "He wrote a hypothesis of attachment."
    >>> "theory" in likely_originals(text, tokenize(text), [3], 10)[0]
    True
    """
    if not positions:
        return []
    rt = reverse_thesaurus()
    norms = tokens.norms
    stems = frozenset(stem(w) for w in norms if w not in STOPWORDS)
    around = [neighbours(text, tokens, i, i) for i in positions]
    found = [_headword_indices(rt, norms[i]) for i in positions]
    if any(index is None for index in found):  # not the thesaurus's own candidates
        spots = [
            (rt.candidates(norms[i]) or rt.candidates_through_base(norms[i]), a)
            for i, a in zip(positions, around, strict=True)
        ]
        return top_originals_each(spots, stems, k)
    # What top_originals_each gives for those spots, read by headword index: each word's
    # candidates are looked up and checked once a process, not a Candidate at a time.
    arrays = [index for index in found if index is not None]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([len(index) for index in arrays], out=offsets[1:])
    flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
    score, single = _scored_at(rt, flat, offsets, list(around), stems)
    heads, at = _head_words(rt), flat.tolist()
    return _first_each(score, offsets, single, lambda i: heads[at[i]], stems, k)


@lru_cache(maxsize=4)
def _head_words(rt: ReverseThesaurus) -> list[str]:
    """:meth:`ReverseThesaurus.head_words`, made once per thesaurus."""
    return rt.head_words()


@lru_cache(maxsize=1 << 14)  # about 0.5 KB a word
def _headword_indices(rt: ReverseThesaurus, word: str) -> np.ndarray | None:
    """The headword indices of the candidates :func:`likely_originals` ranks for ``word``
    (its own, or those through its base form), or None where they are not ``rt``'s own.
    Kept per word, so callers only read the array."""
    return rt.indices_of(rt.candidates(word) or rt.candidates_through_base(word))


def word_originals(
    word: str,
    stems: frozenset[str] = frozenset(),
    context: tuple[str | None, str | None] | None = None,
) -> list[tuple[str, float]]:
    """Candidate originals of one spun ``word`` as ``(word, log10 score)``, best first, from
    the candidates ``explain``'s phrase search tries for a word (:func:`.phrases.word_options`:
    Moby both ways, through the word's base forms, other inflections of the best candidates,
    the words real spinners were seen replacing by it), without GloVe and WordNet (reading
    WordNet costs seconds once a process). Each is scored by the phrase search's word model
    (natural log, here log10) plus :data:`WORD_PRIOR_WEIGHT` times its reverse-thesaurus
    prior, then the echo bonus and the fit with the neighbours as in :func:`rank_originals`.
    The best :data:`MATCHED` are also offered in the spun word's inflection where they have
    none of it (:func:`.phrases.matched_form`: "stated" beside "state" for "expressed").
    Neither the word itself nor another form of it (:func:`.phrases.other_forms`) is among
    them.

    >>> found = [w for w, _ in word_originals("exchanging")]
    >>> "trading" in found[:10], "exchange" in found
    (True, False)
    """
    # The phrase search imports lemminflect, whose tables a scan never reads
    # (tests/spinscore/test_inflected_forms.py): only a word re-read or explained loads them.
    from .phrases import OPTION_FEATURES, matched_form, other_forms, phrase_ranker, word_options

    prior = OPTION_FEATURES.index("reverse_prior")
    ranker = phrase_ranker()
    same = other_forms(word)
    options = [
        (text, f)
        for text, f in word_options(word, ranker.pairs, ranker.kept, extra=False)[1:]
        if text not in same
    ]
    words = [text for text, _ in options]
    base = np.array(
        [ranker.word_score(f) / LN10 + WORD_PRIOR_WEIGHT * f[prior] for _, f in options]
    )
    score = _in_text(words, base, stems, context)
    order = np.argsort(-score, kind="stable").tolist()
    # The best MATCHED also in the spun word's inflection, scored as such; the form they have
    # stays (our Moby spinner writes Moby's word as listed, whatever the inflection it
    # replaces). Where two become one wording, the better score stands for it.
    top = order[:MATCHED]
    formed = {i: matched_form(words[i], word) for i in top}
    changed = [i for i in top if formed[i] != words[i] and formed[i] not in same | {word}]
    again = _in_text([formed[i] for i in changed], base[changed], stems, context).tolist()
    values = score.tolist()
    found: dict[str, float] = {}
    for text, value in [
        *((words[i], values[i]) for i in order),
        *zip((formed[i] for i in changed), again, strict=True),
    ]:
        if text not in found or value > found[text]:
            found[text] = value
    return sorted(found.items(), key=lambda wv: -wv[1])


def _in_text(
    words: list[str],
    base: np.ndarray,
    stems: frozenset[str],
    context: tuple[str | None, str | None] | None,
) -> np.ndarray:
    """``base`` scores of ``words`` with the echo bonus and the weighted fit with the
    neighbours (single words only) added, as :func:`rank_originals` adds them."""
    score = base.astype(float)
    score += np.array([ECHO_BONUS if stem(w) in stems else 0.0 for w in words])
    single = np.array([" " not in w for w in words], dtype=bool)
    if context is not None and single.any():
        asked = tuple(w for w in words if " " not in w)
        on_left, on_right, _ = bigrams().sides_of_spots([(asked, *context)])
        score[single] += RESTORE_WEIGHT * (on_left + on_right)
    return score


def rank_originals(
    cands: list[Candidate],
    stems: frozenset[str] = frozenset(),
    context: tuple[str | None, str | None] | None = None,
) -> list[tuple[str, float]]:
    """Candidates as ``(word, log10 score)``, best first; those echoed by ``stems`` rise, and
    with ``context`` (the neighbouring words) so do those forming frequent pairs with them."""
    values = _scores_each([(cands, context)], stems)[0].tolist()
    return sorted(zip((c.word for c in cands), values, strict=True), key=lambda ws: -ws[1])


def _scores_each(
    spots: Sequence[tuple[Sequence[Candidate], tuple[str | None, str | None] | None]],
    stems: frozenset[str],
) -> tuple[np.ndarray, np.ndarray]:
    """The score :func:`rank_originals` ranks by, of every candidate of every spot (each its
    candidates and its neighbours, None for none) in turn, and where each spot's candidates
    start (``len(spots) + 1`` offsets). The prior, then the echo bonus, then the weighted fit
    with the neighbours (single words only, all from one lookup,
    :meth:`.Bigrams.sides_of_spots`), added in that order."""
    score, offsets, _ = _scored(spots, [c for cands, _ in spots for c in cands], stems)
    return score, offsets


def _scored(
    spots: Sequence[tuple[Sequence[Candidate], tuple[str | None, str | None] | None]],
    flat: list[Candidate],
    stems: frozenset[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_scores_each` (``flat``: the spots' candidates in turn) and which candidates
    are single words."""
    offsets = np.zeros(len(spots) + 1, dtype=np.int64)
    np.cumsum([len(cands) for cands, _ in spots], out=offsets[1:])
    rt = reverse_thesaurus()
    index = rt.indices_of(flat)
    if index is None:
        single = np.array([" " not in c.word for c in flat], dtype=bool)
        return _scores_by_word(spots, flat, stems), offsets, single
    score, single = _scored_at(rt, index, offsets, [around for _, around in spots], stems)
    return score, offsets, single


def _scored_at(
    rt: ReverseThesaurus,
    index: np.ndarray,
    offsets: np.ndarray,
    contexts: Sequence[tuple[str | None, str | None] | None],
    stems: frozenset[str],
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_scored` of candidates that are all ``rt``'s own, by headword ``index`` (where
    each spot's start, ``offsets``; each spot's neighbours, ``contexts``): priors, stems and
    word-pair counts by headword index, the same numbers as read off each candidate."""
    context = np.array([around is not None for around in contexts], dtype=bool)
    single = rt.single_at(index)
    fitted = single & np.repeat(context, np.diff(offsets))
    running = np.concatenate([[0], np.cumsum(fitted)])
    per_spot = (running[offsets[1:]] - running[offsets[:-1]])[context].tolist()
    around = [a for a in contexts if a is not None]
    ids, counts = head_table(rt).arrays(index[fitted])
    on_left, on_right, _ = bigrams().sides_of_words(
        ids, counts, per_spot, [a[0] for a in around], [a[1] for a in around]
    )
    score = rt.scores_at(index)
    score += np.where(rt.echoed_at(index, stems), ECHO_BONUS, 0.0)
    score[fitted] += RESTORE_WEIGHT * (on_left + on_right)
    return score, single


def _scores_by_word(
    spots: Sequence[tuple[Sequence[Candidate], tuple[str | None, str | None] | None]],
    flat: list[Candidate],
    stems: frozenset[str],
) -> np.ndarray:
    """:func:`_scores_each` of candidates that are not all the reverse thesaurus's own, read
    off each candidate."""
    fitted = np.array(
        [context is not None and " " not in c.word for cands, context in spots for c in cands],
        dtype=bool,
    )
    asked = [
        (tuple(c.word for c in cands if " " not in c.word), *context)
        for cands, context in spots
        if context is not None
    ]
    on_left, on_right, _ = bigrams().sides_of_spots(asked)
    score = np.array([c.score for c in flat], dtype=float)
    score += np.array([ECHO_BONUS if (c.stem or stem(c.word)) in stems else 0.0 for c in flat])
    score[fitted] += RESTORE_WEIGHT * (on_left + on_right)
    return score


def top_originals(
    cands: list[Candidate],
    stems: frozenset[str],
    context: tuple[str | None, str | None],
    k: int = 3,
) -> tuple[str, ...]:
    """The ``k`` likeliest single-word originals among ``cands`` (a span's suggestions); none
    is a vulgar word the text (``stems``) does not use itself."""
    return top_originals_each([(cands, context)], stems, k)[0]


def top_originals_each(
    spots: Sequence[tuple[list[Candidate], tuple[str | None, str | None]]],
    stems: frozenset[str],
    k: int = 3,
) -> list[tuple[str, ...]]:
    """:func:`top_originals` of several spans of one text (each its candidates and its
    neighbours), ranked together: every candidate's fit with its neighbours comes from one
    lookup over all of them (:meth:`.Bigrams.sides_of_spots`) and each span's order from one
    sort, with the scores :func:`rank_originals` gives, to the last bit, and its order (ties
    keep the candidates' order)."""
    # Every candidate is scored, then the phrases are left out: a single word's score does
    # not depend on the phrases beside it.
    flat = [c for cands, _ in spots for c in cands]
    score, offsets, single = _scored(spots, flat, stems)
    return _first_each(score, offsets, single, lambda i: flat[i].word, stems, k)


def _first_each(
    score: np.ndarray,
    offsets: np.ndarray,
    single: np.ndarray,
    word: Callable[[int], str],
    stems: frozenset[str],
    k: int,
) -> list[tuple[str, ...]]:
    """:func:`top_originals_each`'s answer from every candidate's score, where each spot's
    candidates start (``offsets``), which are single words, and each candidate's ``word``
    (by its place among all)."""
    spot = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))[single]
    offsets = np.concatenate([[0], np.cumsum(single)])[offsets]  # among the single words
    # By spot, then best first (stable: ties keep the candidates' order), as places in flat.
    order = np.flatnonzero(single)[np.lexsort((-score[single], spot))].tolist()
    values: list[float] = []
    out = []
    for a, b in itertools.pairwise(offsets.tolist()):
        first = [word(i) for i in order[a : min(b, a + k)]]
        if not any(map(holds_vulgar, first)):  # none can be vulgar: the first k stand
            out.append(tuple(first))
            continue
        values = values or score.tolist()
        ranked = ((word(i), values[i]) for i in order[a:b])
        out.append(tuple(w for w, _ in first_without_vulgar(ranked, stems, k)))
    return out
