"""Which source owns each stretch of a traced article, and what the other candidates are.

Alignment finds, for every candidate, the passages it shares with the article; ranking orders
the candidates. Many candidates cover the same stretch (the original story, its reprints, a
rewrite of the same event, a long page on the same topic), so listing every candidate whose
passages touch the article buries the real source among echoes. :func:`attribute` gives each
article sentence to one source and sorts every aligned candidate into one class:

* **source**: owns at least one stretch: its verified passages hold a sentence that explains
  the article sentence better (by more than ``margin`` cosine, even without the one word it
  shares with the sentence that the source above lacks) than every source ranked above it,
  and at least ``floor`` cosine: a sentence is never credited to a source that does not
  contain it, even when one of its passages stretches over it. Sentences are compared whole
  (not in the pieces an over-long sentence is cut into), and a source above counts with the
  sentence just past the end of its passage too (alignment can stop one sentence short).
  Where a passage the verifier accepted covers the sentence, sources that hold it under
  ``floor`` or only through passages too short for the verifier to judge stand aside
  (``verified_first``); where that passage lies inside the verifier's domain, so do holders
  whose passages there have mismatched sides and a lower probability (``balanced_first``).
  A sentence holding two sources' reuse side by side (no full stop between them) is shared:
  the stretches its owner's passages leave uncovered go to the holders whose accepted
  passages cover them (``split_sentences``).
  Edits and distortions are computed against the owner of each stretch only, so each change
  is reported once.
* **copy** ("also in"): a near-identical copy of a listed source (a reprint, a mirror, the same
  text stored twice): it covers the source's stretches and its own text there has the same
  words in the same order (``copy_similarity``) as the source's.
* **related coverage**: aligned, but owns nothing and copies nothing: the same story or topic
  told in other words. Listed without passages, edits or distortions.

A passage counts as reuse only when the passage verifier (:mod:`unspin.verifier`) accepts it
at the threshold the PAN evaluation uses; the verifier was fitted on passages of at least 100
article and 150 source characters, so shorter ones (a single spliced sentence of a news story)
keep the aligner's own acceptance if they are as similar as a one-seed passage must be
(``short_min_score``), unless one side is 2.5 times longer than the other and at
least 150 characters (a short sentence of a long page set against a long article stretch). Same-topic echoes of long documents (passages scored about
0.5 whose sentences share a topic and no wording) fail it and go to related coverage.
A candidate that has no passage the verifier judged and accepted rests on short passages
alone; those count only where their two sides share a word, or two words side by side, that
few other aligned candidates hold (``lone_short_rare_stems``): one wire sentence of the same
kind ("Merrill Lynch said it has been cooperating with a Securities and Exchange Commission
investigation" / "The Securities and Exchange Commission is also investigating the
company") shares only words that the other stories retrieved for the article hold too.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from rapidfuzz.distance import Indel

from .align import Prepared, counter_cosine
from .align.units import unit_arrays, window_stems
from .ranking import union_length
from .text import sentence_spans
from .types import Passage, Span
from .validate import Rule, check_fields, cosine, count, flag, probability, share

# The verifier's training domain (AlignConfig defaults: min_target_chars, min_source_chars).
VERIFIED_MIN_TARGET_CHARS = 100
VERIFIED_MIN_SOURCE_CHARS = 150
# ... and a passage whose one side is this many times longer than the other is judged too.
MISMATCHED_SIDES = 2.5


@dataclass(frozen=True, slots=True)
class AttributionConfig:
    """How :func:`attribute` decides ownership (see the module docstring)."""

    # A lower-ranked source takes a sentence only when its best sentence is this much more
    # similar (cosine of stemmed content words) than that of every source above it: spun
    # copies of the original share the article's synonym picks and match it a little better.
    # (On a short sentence one such pick is worth more than this: the lead is measured
    # without it, see lead_without_one_pick.)
    margin: float = 0.1
    # Below this cosine a sentence is not in the source at all (a passage stretched over it).
    floor: float = 0.15
    # Word-sequence similarity (rapidfuzz Indel, 1.0 = same words in the same order) above
    # which a candidate is a copy of a source; a 20% thesaurus spin comes out near 0.8.
    copy_similarity: float = 0.9
    # ... and the share of the source's owned stretches the copy's passages must cover.
    copy_cover: float = 0.8
    max_related: int = 5  # related coverage entries kept, best overlap first
    # Passages the verifier gives a lower probability are not reuse (None: its shipped
    # threshold, the one PAN evaluation uses; 0: every passage is).
    verify_threshold: float | None = None
    # A passage outside the verifier's domain (too short) must be at least this similar: what
    # trace asks of a passage resting on one seed (TraceConfig.align.single_seed_cosine).
    # Short same-topic echoes of long pages score 0.26-0.44 on PAN; short reuse in spun news
    # composites 0.79 and more.
    short_min_score: float = 0.45
    # ... and where those short passages are all a candidate has (no passage the verifier
    # judged and accepted), each must share at least this many content stems with the
    # article that at most ``OTHER_HOLDERS`` other aligned candidates hold, or one such pair
    # of stems side by side (see :func:`rarely_worded_when_lone`; 0: off). Reuters stories
    # outside a store got a "source" through one same-kind wire sentence at 0.45-0.81
    # ("Merrill Lynch said it has been cooperating with a Securities and Exchange Commission
    # investigation ..." / "The Securities and Exchange Commission is also investigating the
    # company."), words every such story holds; a spun paragraph keeps its original's names.
    # A candidate whose reuse the verifier accepted elsewhere in the article keeps its short
    # passages as before (a PAN 05 source: benchmarks 12.28).
    lone_short_rare_stems: int = 1
    # Where a holder's verifier-accepted passage covers a sentence, holders that hold it
    # only weakly do not stand in its way (neither own it nor keep it from owning it): those
    # under ``floor`` (their passage ends next to the sentence and the source sentence there
    # shares a word or nothing with it) and those that cover it only with passages too short
    # for the verifier to judge (a same-topic page's 100-character "match" that the verifier
    # would put near 0, against the true source's 450-character passage it accepts). Where
    # no accepted passage covers it, nothing changes: a short passage gains no sentence.
    verified_first: bool = True
    # ... and where such a passage lies inside the verifier's domain (both sides long enough,
    # neither over ``MISMATCHED_SIDES`` times the other: see :func:`in_verifier_domain`),
    # holders that cover the sentence only with passages of mismatched sides that the
    # verifier rates lower stand aside too: trace's looser seeds stretch 600 characters of an
    # article over a 30 KB page (PAN 03: accepted at 0.84, against the true source's balanced
    # passage at 0.99), or one 138-character address over 577 characters of a directory
    # (0.61 against 0.66). A stretched passage rated higher keeps its place (a topical page
    # at 0.99 against a same-topic echo's balanced passage at 0.82).
    balanced_first: bool = True
    # An article sentence can hold reuse of two sources side by side (a page's paragraph run
    # into the next one's with no full stop between them, a list copied from two pages):
    # the sentence goes to one owner, and the stretches its passages leave uncovered go to
    # the holders whose accepted, verifier-judged passages cover them (each stretch as long
    # as the shortest passage the verifier judges), instead of to no one.
    split_sentences: bool = True
    # A better-ranked holder that covers a sentence only with passages of mismatched sides
    # (see :func:`_stretched_over`), and holds it less well than the best by more than
    # ``margin``, does not take it through :func:`lead_without_one_pick` from an owner
    # whose passage over it is not stretched (between two stretched passages nothing
    # changes: PAN 01, two annuity pages' whole-page passages over one article):
    # that test is for rewrites of one original that share the article's synonym picks, and
    # a passage stretched over a long page reaches some sentence sharing a word or two with
    # any sentence. A long article gives same-topic pages such passages, and they rank first
    # there (PAN 03 in concatenations: "summaries" of a 30 KB and a 43 KB page over 1.4 and
    # 2.1 KB of one member, accepted at 0.99, whose best sentences score 0.23-0.45 against
    # 0.52-0.63 for the true sources; the document alone gives the page no such passage).
    stretched_give_way: bool = True

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


_RULES: dict[str, Rule] = {
    "margin": share("a cosine margin"),
    "floor": cosine("a cosine threshold"),
    "copy_similarity": share("a word-sequence similarity"),
    "copy_cover": share("a share of the source's owned stretches"),
    "max_related": count(0, "related coverage entries kept"),
    "verify_threshold": probability("a verifier probability; None: the shipped one"),
    "short_min_score": cosine("a passage score threshold"),
    "lone_short_rare_stems": count(0, "shared stems few other candidates hold; 0: off"),
    "verified_first": flag("weak holders do not stand in the way of a verified passage"),
    "balanced_first": flag("mismatched passages do not stand in the way of balanced ones"),
    "split_sentences": flag("a sentence's uncovered stretches go to other verified holders"),
    "stretched_give_way": flag("stretched passages clearly less similar do not take a sentence"),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """What alignment found for one candidate, in rank order."""

    key: int
    passages: tuple[Passage, ...]
    reuse: tuple[float | None, ...]  # verifier probability per passage (None: not judged)


@dataclass(frozen=True, slots=True)
class Owner:
    """A candidate that owns stretches of the article."""

    key: int
    owned: tuple[Span, ...]
    passages: tuple[Passage, ...]  # its verified passages that overlap what it owns

    @property
    def chars(self) -> int:
        return sum(len(s) for s in self.owned)


@dataclass(frozen=True, slots=True)
class Attribution:
    owners: tuple[Owner, ...]  # in rank order
    copies: dict[int, tuple[int, ...]]  # owner key -> keys of its copies, in rank order
    related: tuple[tuple[int, float], ...]  # (key, overlap share), best first


def verifier_judges(p: Passage) -> bool:
    """Whether the verifier's probability decides if ``p`` is reuse (see the module
    docstring); a shorter passage keeps the aligner's verdict if similar enough."""
    t, s = p.target_end - p.target_start, p.source_end - p.source_start
    return (t >= VERIFIED_MIN_TARGET_CHARS and s >= VERIFIED_MIN_SOURCE_CHARS) or (
        # A short sentence of a long topical page "matching" a long article stretch
        # (PAN: "The diseases vary from animal to animal." against 300 characters on
        # animation art) is not a short reuse: the verifier judges it too.
        max(t, s) >= VERIFIED_MIN_SOURCE_CHARS and _lopsided(t, s)
    )


def _stretched_over(passages: Sequence[Passage], span: tuple[int, int]) -> bool:
    """Whether every passage of ``passages`` over the article stretch ``span`` has mismatched
    sides (one over ``MISMATCHED_SIDES`` times the other), and one does.

    >>> page, own = Passage(0, 30_000, 0, 1_400, 0.5), Passage(0, 450, 0, 400, 0.7)
    >>> _stretched_over([page], (100, 200)), _stretched_over([page, own], (100, 200))
    (True, False)
    >>> _stretched_over([page], (2_000, 2_100))  # no passage over it
    False
    """
    over = [p for p in passages if p.target_start < span[1] and span[0] < p.target_end]
    return bool(over) and all(
        _lopsided(p.target_end - p.target_start, p.source_end - p.source_start) for p in over
    )


def _lopsided(t: int, s: int) -> bool:
    """Whether one side of a passage is over ``MISMATCHED_SIDES`` times the other."""
    return max(t, s) > MISMATCHED_SIDES * min(t, s)


def in_verifier_domain(p: Passage) -> bool:
    """Whether ``p`` is like the passages the verifier was fitted on: both sides long enough
    and neither over ``MISMATCHED_SIDES`` times the other (not a short sentence of a long page
    judged against a long article stretch, which :func:`verifier_judges` judges as well)."""
    t, s = p.target_end - p.target_start, p.source_end - p.source_start
    return t >= VERIFIED_MIN_TARGET_CHARS and s >= VERIFIED_MIN_SOURCE_CHARS and not _lopsided(t, s)


def near_verifier_domain(p: Passage) -> bool:
    """Whether ``p`` is outside the verifier's domain (see :func:`in_verifier_domain`) only by
    length: its longer side reaches the domain's article floor (``VERIFIED_MIN_TARGET_CHARS``)
    and neither side is over ``MISMATCHED_SIDES`` times the other. Random obfuscation drops
    words, so a reused sentence of 103-131 source characters can come out as 83-93 in the
    article; page chrome ("Jump to: navigation search", 42 characters a side) stays out.

    >>> near_verifier_domain(Passage(0, 131, 0, 83, 0.7)), near_verifier_domain(Passage(0, 41, 0, 42, 1.0))
    (True, False)
    >>> near_verifier_domain(Passage(0, 247, 0, 89, 0.7))  # lopsided: judged, not near
    False
    """
    t, s = p.target_end - p.target_start, p.source_end - p.source_start
    return (
        not in_verifier_domain(p) and max(t, s) >= VERIFIED_MIN_TARGET_CHARS and not _lopsided(t, s)
    )


def verified(candidate: Candidate, threshold: float, short_min_score: float = 0.0) -> list[Passage]:
    """The candidate's passages that count as reuse (see the module docstring)."""
    out = []
    for p, prob in zip(candidate.passages, candidate.reuse, strict=True):
        if verifier_judges(p) and prob is not None:
            if prob >= threshold:
                out.append(p)
        elif p.score >= short_min_score:
            out.append(p)
    return out


# A stem one other candidate holds besides the passage's source still counts as rare: the
# camp list's "auschwitz" is also in one other of the 75 candidates aligned for its article;
# a topic word ("camp", "nazi") is in five or more. (Also what :mod:`unspin.unique_wording`
# counts as rare.)
OTHER_HOLDERS = 1


def rarely_worded_when_lone(
    good: Mapping[int, list[Passage]],
    article: Prepared,
    prepared: Mapping[int, Prepared],
    min_stems: int,
) -> dict[int, list[Passage]]:
    """``good`` (per candidate, its passages that count as reuse) less the short passages of
    candidates that have no passage the verifier judged (and accepted: ``good`` holds no
    other), where the passage's sides share under ``min_stems`` content stems that at most
    ``OTHER_HOLDERS`` other candidates hold (``prepared``: every aligned candidate; the
    rarity :func:`unspin.unique_wording.rare_shared_stems` reads) and no such pair of stems
    next to each other (a name spun in part: "mobile communications corp" / "mobile
    radiocommunication corp", where "mobile" and "corp" are each in many stories).

    >>> from unspin.align import prepare
    >>> src = {
    ...     1: prepare("Total value would be about 7,200,000 dlrs."),
    ...     2: prepare("The total value is 90,000 dlrs."),
    ...     3: prepare("The total value of the deal is 3,000 dlrs."),
    ...     4: prepare("Shares of Acme Mining rose."),
    ... }
    >>> art = prepare("The total value of the Acme Mining deal is 700,000 dlrs.")
    >>> good = {1: [Passage(0, 56, 0, 42, 0.5)], 4: [Passage(0, 56, 0, 27, 0.5)]}
    >>> {k: len(ps) for k, ps in rarely_worded_when_lone(good, art, src, 1).items()}
    {1: 0, 4: 1}
    """
    vocabularies: list[dict[str, int]] | None = None
    out = {}
    for key, passages in good.items():
        if key not in prepared or any(verifier_judges(p) for p in passages):
            out[key] = list(passages)
            continue
        if vocabularies is None:  # the aligner built them: no text is read again
            vocabularies = [unit_arrays(q).vocabulary for q in prepared.values()]
        kept = []
        for p in passages:
            mine = window_stems(prepared[key], p.source_start, p.source_end)
            theirs = window_stems(article, p.target_start, p.target_end)
            shared = set(mine) & set(theirs)
            rare = [w for w in shared if sum(w in v for v in vocabularies) <= 1 + OTHER_HOLDERS]
            if len(rare) >= min_stems or _rare_pair(
                _word_pairs(mine) & _word_pairs(theirs), prepared, vocabularies
            ):
                kept.append(p)
        out[key] = kept
    return out


def _word_pairs(stems: Sequence[str]) -> set[tuple[str, str]]:
    """The pairs of content stems next to each other in ``stems`` (stopwords skipped),
    numbers left out: "full name of company is mobile ..." holds ("compani", "mobil")."""
    words = [w for w in stems if not any(c.isdigit() for c in w)]
    return set(pairwise(words))


def _rare_pair(
    pairs: set[tuple[str, str]],
    prepared: Mapping[int, Prepared],
    vocabularies: Sequence[dict[str, int]],
) -> bool:
    """Whether one of ``pairs`` stands next to each other in the texts of at most
    ``1 + OTHER_HOLDERS`` candidates (read in the units holding both stems only)."""
    for x, y in pairs:
        holders = 0
        for q, vocabulary in zip(prepared.values(), vocabularies, strict=True):
            if x in vocabulary and y in vocabulary and _holds_pair(q, vocabulary, x, y):
                holders += 1
                if holders > 1 + OTHER_HOLDERS:
                    break
        if holders <= 1 + OTHER_HOLDERS:
            return True
    return False


def _holds_pair(q: Prepared, vocabulary: dict[str, int], x: str, y: str) -> bool:
    """Whether the stems ``x`` and ``y`` stand next to each other in a unit of ``q``."""
    arrays = unit_arrays(q)
    both = np.intersect1d(
        arrays.unit[arrays.word == vocabulary[x]], arrays.unit[arrays.word == vocabulary[y]]
    )
    return any((x, y) in _word_pairs(window_stems(q, *q.spans[u])) for u in both.tolist())


def attribute(
    candidates: Sequence[Candidate],
    tgt: Prepared,
    prepared: Mapping[int, Prepared],
    texts: Mapping[int, str],
    n: int,
    threshold: float,
    cfg: AttributionConfig,
    indexes: SentenceIndexes | None = None,
) -> Attribution:
    """Owners, copies and related coverage among ``candidates`` (best-ranked first).
    ``indexes``: the passages' source sentences already indexed (see :class:`SentenceIndexes`)."""
    good = {c.key: verified(c, threshold, cfg.short_min_score) for c in candidates}
    if cfg.lone_short_rare_stems:
        good = rarely_worded_when_lone(good, tgt, prepared, cfg.lone_short_rare_stems)
    order = [c.key for c in candidates]
    holders = [(k, good[k]) for k in order if good[k]]
    # Ownership compares whole sentences: see :func:`whole_sentences`.
    article = whole_sentences(tgt)
    sources = {k: whole_sentences(prepared[k]) for k, _ in holders if k in prepared}
    sims = sentence_similarities(holders, article, sources, 1, indexes)
    edges = edge_similarities(holders, article, sources)
    reach = PassageReach(holders, article, sources)
    judged = JudgedCover(
        holders, article, {c.key: dict(zip(c.passages, c.reuse, strict=True)) for c in candidates}
    )
    owned: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for j, by_key in sims.items():
        best = max(by_key.values())
        if best < cfg.floor:
            continue
        # A holder whose passage stops next to the sentence counts with the source sentence
        # just outside it too (see :func:`edge_similarities`).
        near = {k: max(by_key.get(k, -1.0), edges.get((j, k), -1.0)) for k in order}
        # The best-ranked holder within ``margin`` of the best owns it ...
        key = next(k for k in order if near[k] >= best - cfg.margin)
        # ... and a lower-ranked one only if it still leads by ``margin`` without the one
        # word it shares with the sentence that the holder above lacks (see
        # :func:`lead_without_one_pick`).
        above = [k for k in order[: order.index(key)] if near[k] >= 0]
        if cfg.verified_first:
            key, above = _verified_first(key, above, j, by_key, near, best, order, judged, cfg)
        span = article.spans[j]
        if cfg.stretched_give_way and key in by_key and not _stretched_over(good[key], span):
            above = [
                k
                for k in above
                if near[k] >= best - cfg.margin or not _stretched_over(good[k], span)
            ]
        if above and key in by_key:
            terms = article.terms[j]
            mine = reach.best_sentence(j, key)
            key = next(
                (
                    k
                    for k in above
                    if lead_without_one_pick(terms, mine, reach.best_sentence(j, k)) <= cfg.margin
                ),
                key,
            )
        u0, u1 = article.spans[j]
        taken: list[tuple[int, int]] = []
        # Where ``key`` does not hold the sentence, a source whose passage stops short of it
        # explains it as well: no one owns it, and the holders covering it (rewrites of that
        # source) do not take the rest of it either.
        if key in by_key:
            for p in good[key]:
                a, b = max(u0, p.target_start), min(u1, p.target_end, n)
                if b > a:
                    owned[key].append((a, b))
                    taken.append((a, b))
        if cfg.split_sentences and taken:
            _rest_of_sentence(j, key, taken, by_key, order, good, judged, owned, n, cfg)
    owners = []
    for key in order:
        spans = merged_spans(owned.get(key, []))
        if not spans:
            continue
        passages = tuple(
            p for p in good[key] if any(p.target_start < b and a < p.target_end for a, b in spans)
        )
        owners.append(Owner(key, tuple(Span(a, b) for a, b in spans), passages))
    owner_keys = {o.key for o in owners}
    copies: dict[int, list[int]] = defaultdict(list)
    rest = [c for c in candidates if c.key not in owner_keys and c.passages]
    related: list[tuple[int, float]] = []
    for c in rest:
        of = next((o for o in owners if _is_copy(o, c, texts, cfg)), None)
        if of is not None:
            copies[of.key].append(c.key)
        else:
            cover = union_length([(p.target_start, p.target_end) for p in c.passages]) / max(1, n)
            related.append((c.key, round(cover, 4)))
    related.sort(key=lambda r: -r[1])  # stable: ties keep rank order
    return Attribution(
        tuple(owners), {k: tuple(v) for k, v in copies.items()}, tuple(related[: cfg.max_related])
    )


class JudgedCover:
    """Which article sentences each holder covers with a passage the verifier judged (and
    accepted: holders' passages are verified ones), as opposed to short passages it did not
    judge; and with what probability (``reuse``: per holder, its passages' probabilities)."""

    def __init__(
        self,
        holders: Sequence[tuple[int, Sequence[Passage]]],
        tgt: Prepared,
        reuse: Mapping[int, Mapping[Passage, float | None]] | None = None,
    ) -> None:
        self.tgt = tgt
        probs = reuse or {}
        # per holder: (article start, end, probability, inside the verifier's domain)
        self.judged: dict[int, list[tuple[int, int, float, bool]]] = {
            k: [
                (
                    p.target_start,
                    p.target_end,
                    probs.get(k, {}).get(p) or 0.0,
                    in_verifier_domain(p),
                )
                for p in ps
                if verifier_judges(p)
            ]
            for k, ps in holders
        }

    def covers(self, key: int, j: int) -> bool:
        """Whether a judged passage of ``key`` overlaps article sentence ``j``."""
        return self.best(key, j) is not None

    def best(self, key: int, j: int, in_domain: bool = False) -> float | None:
        """The highest probability of a judged passage of ``key`` over article sentence ``j``
        (only of those inside the verifier's domain, see :func:`in_verifier_domain`); None
        where none covers it."""
        a, b = self.tgt.spans[j]
        found = [
            prob
            for s, e, prob, balanced in self.judged.get(key, ())
            if s < b and a < e and (balanced or not in_domain)
        ]
        return max(found) if found else None


def _verified_first(
    key: int,
    above: list[int],
    j: int,
    by_key: Mapping[int, float],
    near: Mapping[int, float],
    best: float,
    order: Sequence[int],
    judged: JudgedCover,
    cfg: AttributionConfig,
) -> tuple[int, list[int]]:
    """The owner of sentence ``j`` and the holders above it that may still take it (see
    ``AttributionConfig.verified_first``): weak holders give way to one whose accepted
    passage covers the sentence.

    >>> short, accepted = Passage(0, 106, 0, 98, 0.48), Passage(0, 450, 0, 490, 0.7)
    >>> tgt = Prepared("x" * 200, [(0, 106)], [Counter()])
    >>> judged = JudgedCover([(1, [short]), (2, [accepted])], tgt)
    >>> cfg = AttributionConfig()
    >>> _verified_first(1, [], 0, {1: 0.48, 2: 0.43}, {1: 0.48, 2: 0.43}, 0.48, [1, 2], judged, cfg)
    (2, [])
    >>> _verified_first(1, [], 0, {1: 0.48, 2: 0.3}, {1: 0.48, 2: 0.3}, 0.48, [1, 2], judged, cfg)
    (1, [])
    """

    # Where an accepted passage inside the verifier's domain covers the sentence (best
    # probability ``top``), holders that cover it only with passages of mismatched sides
    # rated lower stand aside as well (``balanced_first``).
    top = None
    if cfg.balanced_first:
        contest = max(best - cfg.margin, cfg.floor)
        rated = [
            judged.best(k, j, in_domain=True) for k in order if k in by_key and near[k] >= contest
        ]
        top = max((p for p in rated if p is not None), default=None)

    def covers(k: int) -> bool:
        if top is None:
            return judged.covers(k, j)
        return judged.best(k, j, in_domain=True) is not None or (judged.best(k, j) or 0.0) > top

    def strong(k: int) -> bool:
        return k in by_key and near[k] >= cfg.floor and covers(k)

    def weak(k: int) -> bool:
        return near[k] < cfg.floor or (k in by_key and not covers(k))

    if not strong(key):
        contest = max(best - cfg.margin, cfg.floor)
        key = next((k for k in order if near[k] >= contest and strong(k)), key)
        if not strong(key):
            return key, above
        above = [k for k in order[: order.index(key)] if near[k] >= 0]
    return key, [k for k in above if not weak(k)]


def _rest_of_sentence(
    j: int,
    key: int,
    taken: list[tuple[int, int]],
    by_key: Mapping[int, float],
    order: Sequence[int],
    good: Mapping[int, Sequence[Passage]],
    judged: JudgedCover,
    owned: dict[int, list[tuple[int, int]]],
    n: int,
    cfg: AttributionConfig,
) -> None:
    """Give the stretches of article sentence ``j`` that its owner ``key``'s passages leave
    uncovered (``taken``) to the holders whose accepted, verifier-judged passages cover them
    (see ``AttributionConfig.split_sentences``), best-ranked first; each stretch must be at
    least as long as the shortest passage the verifier judges.

    >>> tgt = Prepared("x" * 700, [(0, 700)], [Counter()])
    >>> first, second = Passage(0, 420, 0, 346, 0.9), Passage(0, 360, 347, 700, 0.9)
    >>> judged = JudgedCover([(1, [second]), (2, [first])], tgt)
    >>> owned = defaultdict(list)
    >>> good = {1: [second], 2: [first]}
    >>> _rest_of_sentence(0, 1, [(347, 700)], {1: 0.7, 2: 0.76}, [1, 2], good, judged,
    ...                   owned, 700, AttributionConfig())
    >>> dict(owned)
    {2: [(0, 346)]}
    """
    u0, u1 = judged.tgt.spans[j]
    for k in order:
        if k == key or by_key.get(k, -1.0) < cfg.floor or not judged.covers(k, j):
            continue
        for p in good[k]:
            if not verifier_judges(p):
                continue
            a, b = max(u0, p.target_start), min(u1, p.target_end, n)
            for x, y in _uncovered(a, b, taken):
                if y - x >= VERIFIED_MIN_TARGET_CHARS:
                    owned[k].append((x, y))
                    taken.append((x, y))


def _uncovered(a: int, b: int, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[a, b)`` outside every range of ``taken``.

    >>> _uncovered(0, 10, [(2, 4), (6, 8)])
    [(0, 2), (4, 6), (8, 10)]
    """
    out = []
    pos = a
    for x, y in merged_spans([(x, y) for x, y in taken if x < b and a < y]):
        if x > pos:
            out.append((pos, min(x, b)))
        pos = max(pos, y)
    if pos < b:
        out.append((pos, b))
    return out


def _is_copy(owner: Owner, c: Candidate, texts: Mapping[int, str], cfg: AttributionConfig) -> bool:
    """``c`` covers what ``owner`` owns with the same words in the same order."""
    a, b = texts.get(owner.key), texts.get(c.key)
    if a is None or b is None:
        return False
    if a == b:
        return True
    spans = [(s.start, s.end) for s in owner.owned]
    total = sum(e - s for s, e in spans)
    theirs = [
        p for p in c.passages if any(p.target_start < e and s < p.target_end for s, e in spans)
    ]
    inside = union_length(
        [
            (max(s, p.target_start), min(e, p.target_end))
            for p in theirs
            for s, e in spans
            if p.target_start < e and s < p.target_end
        ]
    )
    if not theirs or inside < cfg.copy_cover * total:
        return False
    mine = owner.passages
    region_a = a[min(p.source_start for p in mine) : max(p.source_end for p in mine)]
    region_b = b[min(p.source_start for p in theirs) : max(p.source_end for p in theirs)]
    return Indel.normalized_similarity(region_a.lower().split(), region_b.lower().split()) >= (
        cfg.copy_similarity
    )


def whole_sentences(p: Prepared) -> Prepared:
    """``p`` with the pieces of each over-long sentence (``AlignConfig.max_unit_chars`` cuts
    them at line breaks) joined back into one unit.

    Where the cut falls depends on each text's own line lengths, so a piece of the article
    sentence can line up with a piece of a rewrite that happens to be cut at the same place
    while the original holds it inside one longer unit: piece against piece, the rewrite then
    looks closer than the original it was spun from (a Reuters cocoa sentence: 0.90 against
    0.72). Whole sentence against whole sentence, the original is closer again.

    >>> from unspin.align import AlignConfig, prepare
    >>> text = "One short line here.\\nA long sentence, cut\\nat its line breaks into pieces."
    >>> cut = prepare(text, AlignConfig(max_unit_chars=30, min_unit_terms=1))
    >>> len(cut.spans), len(whole_sentences(cut).spans)
    (3, 2)
    """
    ends = p.sentence_ends
    if ends is None:
        ends = frozenset(b for _, b in sentence_spans(p.text))
    if all(b in ends for _, b in p.spans[:-1]):
        return p
    out = Prepared(p.text, tokens=p.tokens, sentence_ends=ends, stems=p.stems)
    joined = False  # whether the previous unit ended inside a sentence
    for (a, b), terms in zip(p.spans, p.terms, strict=True):
        if joined:
            out.spans[-1] = (out.spans[-1][0], b)
            out.terms[-1] = out.terms[-1] + terms
        else:
            out.spans.append((a, b))
            out.terms.append(Counter(terms))
        joined = b not in ends
    return out


class PassageReach:
    """Which source sentences each holder's passages reach, per article sentence: those of
    every passage covering it or ending next to it, one sentence past the passage's ends
    included (the reach of :func:`edge_similarities`)."""

    def __init__(
        self,
        holders: Sequence[tuple[int, Sequence[Passage]]],
        tgt: Prepared,
        prepared: Mapping[int, Prepared],
    ) -> None:
        self.tgt = tgt
        self.prepared = prepared
        self.ranges: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for key, src, j0, j1, i0, i1 in _passage_units(holders, tgt, prepared):
            units = (max(0, i0 - 1), min(len(src.spans) - 1, i1 + 1))
            for j in range(max(0, j0 - 1), min(len(tgt.spans) - 1, j1 + 1) + 1):
                self.ranges[j, key].append(units)

    def best_sentence(self, j: int, key: int) -> Counter[str]:
        """The terms of the source sentence that ``key``'s passages reach most similar to
        article sentence ``j`` (empty when they reach none).

        >>> from unspin.align import prepare
        >>> tgt = prepare("Thyssen Stahl activities some 40,000 people.")
        >>> src = prepare("Thyssen Stahl employs some 40,000 people.")
        >>> reach = PassageReach([(1, [Passage(0, 41, 0, 44, 0.8)])], tgt, {1: src})
        >>> sorted(reach.best_sentence(0, 1))
        ['000', '40', 'employ', 'stahl', 'thyssen']
        """
        src = self.prepared.get(key)
        units = [
            src.terms[i]
            for lo, hi in self.ranges.get((j, key), ())
            for i in range(lo, hi + 1)
            if src is not None
        ]
        terms = self.tgt.terms[j]
        return max(units, key=lambda u: counter_cosine(terms, u), default=Counter())


def lead_without_one_pick(
    sentence: Counter[str], mine: Counter[str], theirs: Counter[str]
) -> float:
    """How much better ``mine`` explains ``sentence`` than ``theirs`` (cosine), not counting
    the one word ``mine`` shares with it that ``theirs`` lacks and that weighs most.

    A rewrite spun from the same original picks some of the same synonyms as the spun
    article by chance; on a short sentence one such pick is worth more than the margin
    ("employs" spun to "activities" in the article and "active use" in a rewrite: 0.91
    against the original's 0.80). Words ``theirs`` has that the sentence lacks still count
    against it: a re-issue that dropped "last year" like the article did keeps its lead.

    >>> article = Counter(["thyssen", "stahl", "activ", "40", "000"])
    >>> original = Counter(["thyssen", "stahl", "employ", "40", "000"])
    >>> rewrite = Counter(["thyssen", "stahl", "activ", "use", "40", "000"])
    >>> round(counter_cosine(article, rewrite) - counter_cosine(article, original), 3)
    0.113
    >>> round(lead_without_one_pick(article, rewrite, original), 3)
    -0.07
    """
    picks = [sentence[w] * c for w, c in mine.items() if w in sentence and w not in theirs]
    norm = math.sqrt(sum(c * c for c in sentence.values())) * math.sqrt(
        sum(c * c for c in mine.values())
    )
    mine_cos = counter_cosine(sentence, mine) - (max(picks) / norm if picks and norm else 0.0)
    return mine_cos - counter_cosine(sentence, theirs)


def edge_similarities(
    holders: Sequence[tuple[int, Sequence[Passage]]],
    tgt: Prepared,
    prepared: Mapping[int, Prepared],
) -> dict[tuple[int, int], float]:
    """For article sentences at the ends of a holder's passage (the first and last sentence
    it covers and the one just outside each): the best cosine with the source sentences at
    the same end of the passage, one sentence outside it included ((sentence index, document
    key) -> cosine). Alignment can stop one sentence short of where the reuse ends (a
    heavily spun first sentence whose one number was changed), and a rewrite whose passage
    happens to reach it would then be the only candidate holding that sentence."""
    out: dict[tuple[int, int], float] = {}
    for key, src, j0, j1, i0, i1 in _passage_units(holders, tgt, prepared):
        for js, is_ in (((j0 - 1, j0), (i0 - 1, i0)), ((j1, j1 + 1), (i1, i1 + 1))):
            for j in js:
                if not 0 <= j < len(tgt.spans):
                    continue
                for i in is_:
                    if 0 <= i < len(src.spans):
                        sim = counter_cosine(tgt.terms[j], src.terms[i])
                        out[j, key] = max(out.get((j, key), 0.0), sim)
    return out


def _passage_units(
    holders: Sequence[tuple[int, Sequence[Passage]]],
    tgt: Prepared,
    prepared: Mapping[int, Prepared],
) -> Iterator[tuple[int, Prepared, int, int, int, int]]:
    """Each holder's passages as units: (key, source, first and last article unit, first and
    last source unit), skipping passages that cover no whole unit on either side."""
    starts = [a for a, _ in tgt.spans]
    for key, passages in holders:
        src = prepared.get(key)
        if src is None or not src.spans:
            continue
        src_starts = [a for a, _ in src.spans]
        for p in passages:
            j0, j1 = _units_over(tgt, starts, p.target_start, p.target_end)
            i0, i1 = _units_over(src, src_starts, p.source_start, p.source_end)
            if j0 <= j1 and i0 <= i1:
                yield key, src, j0, j1, i0, i1


def _units_over(p: Prepared, starts: list[int], a: int, b: int) -> tuple[int, int]:
    """The first and last unit of ``p`` overlapping characters ``[a, b)`` (first > last when
    none does)."""
    first = max(0, bisect_right(starts, a) - 1)
    if first < len(p.spans) and p.spans[first][1] <= a:
        first += 1
    last = bisect_left(starts, b) - 1
    return first, last


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching half-open ranges joined, in order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def owned_edits_only(passage: Passage, owned: Sequence[Span]) -> Passage:
    """``passage`` with only the edits that fall inside ``owned`` article stretches (an
    insertion or deletion, which is empty on one side, by its position)."""
    from dataclasses import replace

    def inside(t0: int, t1: int) -> bool:
        if t0 == t1:
            return any(s.start <= t0 <= s.end for s in owned)
        return any(s.start <= t0 and t1 <= s.end for s in owned)

    return replace(
        passage, edits=tuple(e for e in passage.edits if inside(e.target_start, e.target_end))
    )


def sentence_similarities(
    holders: Sequence[tuple[int, Sequence[Passage]]],
    tgt: Prepared,
    prepared: Mapping[int, Prepared],
    min_holders: int = 2,
    indexes: SentenceIndexes | None = None,
) -> dict[int, dict[int, float]]:
    """For each article sentence that passages of at least ``min_holders`` sources cover: per
    source (in the order of ``holders``), the best cosine of the sentence with a source
    sentence inside that source's covering passages (sentence index -> {document key: cosine}).

    Thirty near-identical candidates covering a long article make this sentences x sources x
    passage sentences cosines; an index of each passage's source sentences by word visits
    only the pairs that share one (same values, bit for bit, as :func:`counter_cosine` on
    every pair: ``tests/test_trace.py`` pins it). ``indexes``: where those indexes are kept
    (trace asks twice for the same passages' sentences: see :class:`SentenceIndexes`)."""
    indexes = SentenceIndexes() if indexes is None else indexes
    # The passages over each sentence, in the order of ``holders`` and of their passages
    # (spans are sorted: a passage covers a run of sentences, found by bisection).
    starts = [a for a, _ in tgt.spans]
    ends = [b for _, b in tgt.spans]
    over_unit: dict[int, list[tuple[int, Passage]]] = defaultdict(list)
    for key, passages in holders:
        for p in passages:
            for j in range(bisect_right(ends, p.target_start), bisect_left(starts, p.target_end)):
                over_unit[j].append((key, p))
    out: dict[int, dict[int, float]] = {}
    for j in range(len(tgt.spans)):
        over = over_unit.get(j, [])
        if len({k for k, _ in over}) < min_holders:
            continue
        terms = tgt.terms[j]
        norm = math.sqrt(sum(x * x for x in terms.values()))
        sims: dict[int, float] = {}
        for key, p in over:
            src = prepared.get(key)
            if src is None:
                continue
            index = indexes.get(key, src, p)
            if not index.norms:
                continue
            sims[key] = max(sims.get(key, 0.0), index.best_cosine(terms, norm))
        if sims:
            out[j] = sims
    return out


class SentenceIndexes:
    """The index of each passage's source sentences (:class:`_SentenceIndex`), built once per
    source text and passage source range: trace asks for the same passages' sentences when
    it weighs contested sentences and again when it attributes."""

    def __init__(self) -> None:
        self._built: dict[tuple[int, int, int], tuple[Prepared, _SentenceIndex]] = {}

    def get(self, key: int, src: Prepared, p: Passage) -> _SentenceIndex:
        """The index of the sentences of ``src`` (the text of ``key``) that ``p`` overlaps."""
        k = (key, p.source_start, p.source_end)
        hit = self._built.get(k)
        if hit is None or hit[0] is not src:  # attribution may join a source's cut sentences
            hit = self._built[k] = (src, _SentenceIndex(src, p))
        return hit[1]


class _SentenceIndex:
    """The source sentences overlapping one passage, indexed by word."""

    def __init__(self, src: Prepared, p: Passage) -> None:
        self.by_word: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.norms: dict[int, float] = {}
        for i, (v0, v1) in enumerate(src.spans):
            if v0 < p.source_end and p.source_start < v1:
                terms = src.terms[i]
                self.norms[i] = math.sqrt(sum(x * x for x in terms.values()))
                for w, c in terms.items():
                    self.by_word[w].append((i, c))

    def best_cosine(self, terms: Counter[str], norm: float) -> float:
        dots: dict[int, float] = defaultdict(float)
        for w, x in terms.items():  # the order counter_cosine adds in
            for i, c in self.by_word.get(w, ()):
                dots[i] += x * c
        best = 0.0
        for i, dot in dots.items():
            nb = self.norms[i]
            if norm and nb:
                best = max(best, dot / (norm * nb))
        return best
