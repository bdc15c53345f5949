"""Which aligned candidate is the source: the order in which ``trace`` reports them.

Alignment says how much of the article each candidate explains; ranking decides among
candidates that explain it alike, which in a real archive is the common case: the original
story, wire re-issues, splices that contain it whole, and other spun or noisy copies of it.
The score of a candidate is the product of

* **weighted coverage**: article characters covered, times the passages' similarity
  (:func:`passage_similarity`, which reads the two sides of a passage only: the aligner's
  own score depends on the rest of the source, so a splice holding the story scored higher
  than the story alone);
* **agreement**: how much of the article's exact wording (rare words weigh more) reappears
  in the candidate around its passages. Template stories (market reports) cover a spun
  article as fully as its true source, but their numbers and names differ;
* **specificity**: (share of the candidate's own text that is aligned) ** ``specificity``.
  A splice or compilation holding the whole story explains the article as well as the story
  itself but is mostly something else;
* **plainness**, among near-ties only (within ``tie_band`` of the best): the mean word
  frequency (wordfreq Zipf) of the candidate's aligned content words, typos and unknown
  words counting as 0. A thesaurus spinner swaps words for rarer synonyms and a noisy copy
  has misspellings, so among near-identical candidates the plainest is the likeliest
  original. Copies spun by the same spinner share its odd synonym picks with the article
  and so agree with it a little MORE than the original does; this is what lets the
  original win anyway. (The full spin score separates them as well but costs ~5-40 ms a
  candidate; this costs a dictionary lookup per word.)
* **consensus**, among the same near-ties: the share of a candidate's words that fewer than
  half of the near-ties use. Every copy changes the original its own way, so the original is
  the consensus of its family; plainness alone fails when a spinner happens to pick common
  synonyms (at a million documents a story has ~17 spun copies, and some do).

The near-ties are then ranked above every other candidate: their adjustments only lower
scores, and a candidate just outside the band must not overtake them for being unadjusted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from .lexicon import look_up, zipf
from .text import STOPWORDS, Tokens
from .types import Passage
from .validate import Rule, check_fields, count, flag, number, share

# Characters around a candidate's passages whose words count towards its agreement.
AGREEMENT_PAD = 300


class Found(NamedTuple):
    """What alignment found for one candidate of a trace.

    A named tuple rather than a dataclass: code that unpacks it positionally
    (``for key, vote, cov, passages in found``) keeps working.
    """

    key: int  # document key
    vote: float  # retrieval's vote score
    coverage: float  # share of the article its passages cover
    passages: list[Passage]


@dataclass(frozen=True, slots=True)
class RankConfig:
    specificity: float = 0.1  # exponent on the aligned share of the candidate's own text
    tie_band: float = 0.12  # candidates within this fraction of the best are near-ties ...
    max_tied: int = 30  # ... and at most this many of them are compared with each other
    plainness_weight: float = 0.3  # score lost per Zipf point below the plainest near-tie
    consensus_weight: float = 1.0  # score lost per unit share of words off the group consensus
    ties_first: bool = True  # near-ties rank above every candidate outside the band
    own_similarity: bool = True  # weigh coverage by passage_similarity, not alignment scores

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


_RULES: dict[str, Rule] = {
    "specificity": number(0.0, meaning="an exponent"),
    "tie_band": share("a fraction of the best score"),
    "max_tied": count(1, "near-ties compared"),
    "plainness_weight": number(0.0, meaning="score lost per Zipf point"),
    "consensus_weight": number(0.0, meaning="score lost per unit share of words"),
    "ties_first": flag(),
    "own_similarity": flag(),
}


def union_length(ranges: Sequence[tuple[int, int]]) -> int:
    """Characters covered by the union of half-open ``ranges`` (empty ones cover nothing).

    >>> union_length([(0, 10), (5, 20), (30, 30), (40, 35)])
    20
    """
    total = 0
    end = -1
    for a, b in sorted(ranges):
        if b <= end or b <= a:
            continue
        total += b - max(a, end)
        end = b
    return total


def words_in(tokens: Tokens, lo: int, hi: int) -> Counter[str]:
    """Normalised words of the tokens that start in ``[lo, hi)`` (no re-tokenizing)."""
    return Counter(tokens.norms[bisect_left(tokens.starts, lo) : bisect_left(tokens.starts, hi)])


@lru_cache(maxsize=100_000)
def rarity(word: str) -> float:
    """How much a shared word says (1 for common words, up to 7 for unknown ones).

    Cached itself, not only through ``zipf``: ranking asks it about every word of every
    passage, 12,600 times a query at the 1M scale (benchmarks 6.3)."""
    return 1.0 + max(0.0, 6.0 - zipf(word))


def agreement(
    source: Tokens, passages: Sequence[Passage], words: Counter[str], weight: float
) -> float:
    """How much of the article's wording ``words`` (the stretch all found sources cover, with
    its rarity-weighted size ``weight``) reappears in the source around its passages."""
    if not weight:
        return 0.0
    pad = AGREEMENT_PAD
    lo = max(0, min(p.source_start for p in passages) - pad)
    hi = max(p.source_end for p in passages) + pad
    shared = words_in(source, lo, hi) & words
    return sum(n * rarity(w) for w, n in shared.items()) / weight


def source_share(passages: Sequence[Passage], n: int) -> float:
    """Share of a source's own text that its passages align (at least a little: never 0)."""
    return max(0.01, union_length([(p.source_start, p.source_end) for p in passages]) / max(1, n))


def weighted_coverage(passages: Sequence[Passage], n: int) -> float:
    return sum((p.target_end - p.target_start) * p.score for p in passages) / max(1, n)


def passage_similarity(article: Tokens, source: Tokens, passage: Passage) -> float:
    """Rarity-weighted cosine of the words on the two sides of ``passage``.

    The aligner's own score weighs words by how rare they are in the two texts it compares,
    so the same story scores differently inside a longer document (a splice) than alone;
    the ranking needs a measure that depends on the passage only."""
    a = words_in(article, passage.target_start, passage.target_end)
    b = words_in(source, passage.source_start, passage.source_end)
    dot = sum(n * b[w] * rarity(w) ** 2 for w, n in a.items() if w in b)
    if not dot:
        return 0.0
    na = sum((n * rarity(w)) ** 2 for w, n in a.items())
    nb = sum((n * rarity(w)) ** 2 for w, n in b.items())
    return float(dot / (na * nb) ** 0.5)


def plainness(text: str, tokens: Tokens, lo: int, hi: int) -> float:
    """Mean Zipf frequency of the content words of ``tokens`` inside ``[lo, hi)``; a word
    with digits inside it (character noise) or unknown to wordfreq counts as 0."""
    i, j = bisect_left(tokens.starts, lo), bisect_left(tokens.starts, hi)
    total, n = 0.0, 0
    for s, e in zip(tokens.starts[i:j], tokens.ends[i:j], strict=True):
        w = text[s:e].lower()
        if w.isdigit() or w in STOPWORDS:
            continue
        n += 1
        if w.isalpha():
            total += zipf(w)
    return total / n if n else 0.0


def _off_consensus(group: list[int], words: dict[int, Counter[str]]) -> dict[int, float]:
    """Share of each candidate's words that fewer than half of the ``group`` use.

    Copies derived from one original each change it in their own way (their own synonym
    picks, their own typos), so the words of the original are the ones most copies kept: the
    original sits at the consensus of its family and every copy off it. With fewer than three
    candidates there is no majority to speak of: all get 0."""
    if len(group) < 3:
        return dict.fromkeys(group, 0.0)
    df: Counter[str] = Counter()
    for k in group:
        df.update(words[k].keys())
    half = len(group) / 2
    out = {}
    for k in group:
        total = sum(words[k].values())
        rare = sum(c for w, c in words[k].items() if df[w] < half)
        out[k] = rare / total if total else 0.0
    return out


def _passage_words(tokens: Tokens, passages: Sequence[Passage]) -> Sequence[str]:
    """The normalised words of a source from its first passage's start to its last's end."""
    lo = bisect_left(tokens.starts, min(p.source_start for p in passages))
    hi = bisect_left(tokens.starts, max(p.source_end for p in passages))
    return tokens.norms[lo:hi]


def rank(
    found: list[Found],
    article_tokens: Tokens,
    n: int,
    source_tokens: Callable[[int], Tokens],
    source_text: Callable[[int], str],
    cfg: RankConfig,
) -> list[Found]:
    """``found`` ordered best source first (see the module docstring); ``n`` is the length of
    the article, ``source_tokens`` and ``source_text`` give a candidate's tokens and text."""
    if not found:
        return found
    lo = min(p.target_start for f in found for p in f.passages)
    hi = max(p.target_end for f in found for p in f.passages)
    words = words_in(article_tokens, lo, hi)
    # Every word whose rarity or frequency the scores below may ask (the article's; a
    # source's inside its passages), read in a few queries, not one each.
    look_up(chain(words, *(_passage_words(source_tokens(f.key), f.passages) for f in found)))
    weight = sum(c * rarity(w) for w, c in words.items())
    score: dict[int, float] = {}
    for key, _vote, _cov, passages in found:
        spec = source_share(passages, len(source_text(key))) ** cfg.specificity
        tokens = source_tokens(key)
        agree = agreement(tokens, passages, words, weight)
        if cfg.own_similarity:
            cover = sum(
                (p.target_end - p.target_start) * passage_similarity(article_tokens, tokens, p)
                for p in passages
            ) / max(1, n)
        else:
            cover = weighted_coverage(passages, n)
        score[key] = agree * cover * spec
    best = max(score.values())
    tied = sorted(
        (k for k, s in score.items() if s >= (1 - cfg.tie_band) * best), key=lambda k: score[k]
    )
    group = tied[-cfg.max_tied :]
    if len(group) > 1:
        by_key = {f.key: f for f in found}
        region = {
            k: (
                min(p.source_start for p in by_key[k].passages),
                max(p.source_end for p in by_key[k].passages),
            )
            for k in group
        }
        plain = {k: plainness(source_text(k), source_tokens(k), *region[k]) for k in group}
        top = max(plain.values())
        odd = _off_consensus(group, {k: words_in(source_tokens(k), *region[k]) for k in group})
        for key in group:
            score[key] *= max(
                0.0,
                1.0 - cfg.plainness_weight * (top - plain[key]) - cfg.consensus_weight * odd[key],
            )
    # The adjustments only order the near-ties among themselves: they lower scores, and a
    # candidate outside the band must not overtake the near-ties because it was not adjusted.
    near = set(group) if cfg.ties_first else set()
    return sorted(found, key=lambda f: (f.key not in near, -score[f.key], -f.vote, f.key))
