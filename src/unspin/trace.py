"""Trace an article to its sources (``trace``) or align two texts directly (``compare``).

Both return a :class:`~unspin.types.TraceResult`, so every report renders either.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .align import AlignConfig, Prepared, align_prepared, candidate_passages, prepare
from .align.profiles import NEWS, NEWS_ONE_SEED, NEWS_PAIR, NEWS_SECOND_PASS
from .align.units import prepared_tokens, units_with, window_stems
from .attribution import (
    MISMATCHED_SIDES,
    Attribution,
    AttributionConfig,
    Candidate,
    Owner,
    SentenceIndexes,
    attribute,
    in_verifier_domain,
    merged_spans,
    near_verifier_domain,
    owned_edits_only,
    sentence_similarities,
    verifier_judges,
)
from .edits import label_edits, sort_edits
from .edits import restore as restore_edits
from .errors import InputError
from .ranking import Found, RankConfig, union_length
from .ranking import rank as rank_sources
from .retrieve import RetrievalConfig, candidates
from .shared_wording import shared_wording
from .store import Store
from .text import Tokens, tokenize, tokens_within
from .types import (
    Passage,
    RelatedDocument,
    Segment,
    SourceMatch,
    Span,
    StoredDocument,
    TraceResult,
    blank,
)
from .unique_wording import accept_unique_wording
from .validate import Rule, check_fields, choice, count, flag, instance, probability, share
from .verifier import FEATURES, load_trace_verifier, load_verifier, shared_word_features


@dataclass(frozen=True, slots=True)
class TraceConfig:
    top: int = 5
    # Settings come from the named profiles (see unspin.align.profiles, with the reason for
    # each change from the base): "news" for the first pass, "news-second-pass".
    align: AlignConfig = NEWS.config
    # ... and "news-pair" for compare, a pair the user says is related (as align's default).
    compare_align: AlignConfig = NEWS_PAIR.config
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    label_edits: bool = True
    score_unsourced: bool = True
    # Second look at long unexplained stretches (None: off): looser seeds, several required.
    second_pass: AlignConfig | None = NEWS_SECOND_PASS.config
    second_pass_min_chars: int = 300
    second_pass_max_gaps: int = 50
    second_pass_candidates: int = 3
    # ... and the same stretches aligned again as the first pass aligns, but with passages on
    # one seed allowed (None: off; see profile("news-one-seed")): random obfuscation cuts
    # and joins sentences, so a reused stretch can meet one long source sentence in one seed.
    second_pass_one_seed: AlignConfig | None = NEWS_ONE_SEED.config
    # ... and shorter stretches, from this many characters (None: off), aligned with that
    # profile against the candidates already aligned (retrieval on a stretch of one or two
    # sentences finds nothing: PAN 03, a 170-character case alone in a 230-character
    # stretch between two other sources' passages). Only passages the verifier judges and
    # accepts are kept: a lone loose seed in a short stretch is otherwise chance.
    short_gap_min_chars: int | None = 100
    # A look in "news-pair" settings (None: off): the candidates retrieval voted best aligned
    # again over the stretches the first pass left unexplained (``pair_look_min_chars`` or
    # more) and their own passages, with synonyms counted where a sentence's words run in the
    # source's order (see profile("news-pair")). SpinBot swaps a third to a half of a
    # paragraph's words, so a spun sentence's plain cosine with its original falls to
    # 0.05-0.2, under news's synonym floor; news-pair on every candidate and the whole article
    # cost a 40 KB trace 60-75% more CPU (benchmarks 12.25), this look about 6% (12.26). The
    # ``pair_look_always`` best-voted candidates are looked at; the next ones, up to
    # ``pair_look_candidates``, while the looks align at most ``pair_look_chars`` (article
    # characters looked at times the candidate's length, summed): an article of four spun
    # paragraphs has four sources to look at, a 40 KB article against long books no budget.
    pair_look: AlignConfig | None = NEWS_PAIR.config
    pair_look_candidates: int = 5
    pair_look_always: int = 2
    pair_look_chars: int = 20_000_000
    pair_look_min_chars: int = 40
    # ... and in an article of at most this many units (sentences; 0: none) the look's
    # passages keep the passage verifier's probability where it is higher: trace's verifier
    # reads the article's word statistics, which one paragraph barely has (benchmarks 12.26;
    # in the first pass too it let two same-topic Reuters stories in as sources).
    pair_look_short_units: int = 3
    # Stretches of this many characters or more (None: off) that the first pass leaves
    # unexplained in a short article it partly explains are queried on their own, and the
    # candidates retrieval's second query finds for them (likely originals) are looked at
    # first (benchmarks 12.29: a paragraph spun whole among others), at most
    # ``stretch_queries`` stretches.
    stretch_query_chars: int | None = 150
    stretch_queries: int = 3
    min_new_share: float = 0.03  # a source must explain this much new article text to rank up
    # Below the ``top`` sources, a source is still reported when it alone explains at least
    # this many characters of the article: the map never says "no source found" for a
    # passage whose source was aligned but ranked low (long texts reuse many sources).
    min_unexplained_chars: int = 100
    # ... and an owner of fewer characters than that floor is listed all the same when it owns
    # at least ``verified_owner_chars`` (None: never) through a passage the verifier judged
    # in its own domain (see :func:`unspin.attribution.in_verifier_domain`) and rates
    # ``verified_owner_reuse`` or more: random obfuscation cuts and joins sentences, so a
    # source whose 144-character passage the verifier accepts at 0.95 can own 97 characters
    # of it beside other sources' sentences. The floor stays for owners resting on short
    # passages the verifier cannot judge or on a short sentence set against a long stretch
    # (most owners under the floor: same-topic echoes), and for passages it accepts with
    # less certainty (PAN: a same-topic annuities page at 0.64).
    verified_owner_chars: int | None = 40
    verified_owner_reuse: float = 0.9
    # ... and through a passage outside that domain only by length (see
    # :func:`unspin.attribution.near_verifier_domain`: its longer side reaches the domain's
    # 100-character article floor, the sides are not lopsided) that it rates as high (False:
    # domain passages only). PAN 03 in concatenations: a spun 131-character source sentence
    # comes out as 83 article characters, rated 0.92, and its owner holds those 83 only.
    # Shorter passages stay out: the one such owner of 47 held-out documents was
    # Wikipedia's 42-character "Jump to: navigation search", rated 0.99.
    verified_owner_near_domain: bool = True
    ranking: RankConfig = field(default_factory=RankConfig)  # see unspin.ranking
    # Who owns each stretch; copies and related coverage (see unspin.attribution).
    attribution: AttributionConfig = field(default_factory=AttributionConfig)
    # Alignment cost grows with article length times candidates aligned (each alignment
    # indexes the whole article). Above this product only the best-voted candidates that fit
    # are aligned, at least ``min_aligned``: a 5 MB text is aligned against 10, not 200.
    max_align_chars: int = 50_000_000
    min_aligned: int = 10
    # Spin scoring of unsourced stretches costs ~10 us a character; past this many characters
    # the remaining stretches stay unscored.
    max_scored_chars: int = 500_000
    # Spin model for the unsourced stretches (see unspin.spinscore.score.MODEL_CHOICES). The
    # contextual model costs ~5 s of CPU on a 40 KB article (loading it, then a transformer pass
    # over every stretch) where the lexical one costs a fraction of a second: trace loads it only
    # when asked (``unspin trace --spin-model contextual``; ``unspin score`` defaults to it).
    spin_model: str = "lexical"
    # The verifier was fitted on passages as the PAN settings (AlignConfig()) seed them; the
    # looser seeds above give a reused passage more, weaker seeds and the verifier a lower
    # probability (PAN 03/04: 0.79 -> 0.09 on one passage). A passage it rejects is judged
    # again as PAN evaluation judges it: aligned with the PAN settings against the article
    # around it (this many characters each side, a window per rejected passage), and reuse
    # found inside a longer rejected passage counts on its own; False: judged once.
    verify_in_pan_settings: bool = True
    pan_verify_padding: int = 5000
    # ... and again in trace's own settings inside the same window, where the article is
    # longer than it: the verifier reads the pair's seed count and the article's word
    # statistics, and a long concatenation read whole makes reuse look like topic text.
    # Passages rejected at this probability or above (None: none) are judged so: at 0.3
    # the windows of 20-28 KB PAN documents accepted three same-topic echoes more (of 50
    # documents), at 0.5 one, and the reuse recovered was rejected at 0.52-0.59.
    rejudge_locally: float | None = 0.5
    # A passage the verifier judges in its own domain and rejects at this probability or
    # above (None: never) counts as reuse when its two sides share ``unique_stems`` or more
    # content stems that at most one other aligned candidate's text holds (see
    # :mod:`unspin.unique_wording`): the verifier knows how rare a word is in the article,
    # not among the pages on its topic (PAN 03: a spun camp list at 0.53 shares "belzec",
    # "treblinka" and "auschwitz" with its source and one other page). At 0.3 a same-topic
    # echo at 0.37 (the Spruce Goose's museum) would count; 0.5 is where rejudge_locally
    # starts too.
    unique_wording_floor: float | None = 0.5
    unique_stems: int = 3
    # A listed source whose every passage over what it owns shares with the article only
    # wording at least this many other stored texts hold (None: never checked), while its own
    # names and numbers differ, is marked ``SourceMatch.shared_wording``: a template frame
    # (earnings tables, rating notices: most false sources of Reuters stories outside the
    # store, docs/benchmarks.md 12.27, 12.32), not evidence that the article came from it.
    # Copies of one story hold its names and numbers too and are never so marked (see
    # :mod:`unspin.shared_wording`).
    shared_wording_holders: int | None = 3

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


# unspin.spinscore.score.MODEL_CHOICES, written out: importing it here would load the spin
# models' modules on every trace import (a test checks that the two agree).
SPIN_MODELS = ("auto", "lexical", "contextual")

_RULES: dict[str, Rule] = {
    "top": count(1, "sources listed"),
    "align": instance(AlignConfig, meaning='see unspin.align.profiles, e.g. profile("news")'),
    "compare_align": instance(
        AlignConfig, meaning='see unspin.align.profiles, e.g. profile("news-pair")'
    ),
    "retrieval": instance(RetrievalConfig),
    "label_edits": flag(),
    "score_unsourced": flag(),
    "second_pass": instance(
        AlignConfig, optional=True, meaning='None turns it off; see profile("news-second-pass")'
    ),
    "second_pass_min_chars": count(0, "characters of an unexplained stretch"),
    "second_pass_max_gaps": count(0, "stretches given a second look"),
    "second_pass_candidates": count(1, "candidates per stretch"),
    "second_pass_one_seed": instance(
        AlignConfig, optional=True, meaning='None turns it off; see profile("news-one-seed")'
    ),
    "short_gap_min_chars": Rule(
        "int", "characters of a short unexplained stretch", low=0, optional=True
    ),
    "pair_look": instance(
        AlignConfig, optional=True, meaning='None turns it off; see profile("news-pair")'
    ),
    "pair_look_candidates": count(1, "candidates given the news-pair look"),
    "pair_look_always": count(0, "candidates always given the news-pair look"),
    "pair_look_chars": count(0, "article characters times candidate characters"),
    "pair_look_min_chars": count(0, "characters of an unexplained stretch"),
    "pair_look_short_units": count(0, "units of a short article"),
    "stretch_query_chars": Rule(
        "int", "characters of an unexplained stretch", low=1, optional=True
    ),
    "stretch_queries": count(0, "stretches queried on their own"),
    "min_new_share": share("a share of the article"),
    "min_unexplained_chars": count(0, "characters a low-ranked source explains"),
    "verified_owner_chars": Rule(
        "int", "characters owned through a passage the verifier judged", low=0, optional=True
    ),
    "verified_owner_reuse": share("a verifier probability"),
    "verified_owner_near_domain": flag("passages short of the verifier's domain list owners"),
    "ranking": instance(RankConfig),
    "attribution": instance(AttributionConfig),
    "max_align_chars": count(1, "article characters times candidates aligned"),
    "min_aligned": count(1, "candidates aligned"),
    "max_scored_chars": count(0, "characters spin-scored"),
    "spin_model": choice(SPIN_MODELS, "the spin model for unsourced stretches"),
    "verify_in_pan_settings": flag("judge a rejected passage again in the PAN settings"),
    "pan_verify_padding": count(0, "characters of article each side of a re-judged passage"),
    "rejudge_locally": probability("a verifier probability; None: never judged locally"),
    "unique_wording_floor": probability("a verifier probability; None: off"),
    "unique_stems": count(1, "shared stems no other candidate holds"),
    "shared_wording_holders": Rule(
        "int", "other stored texts holding a template's wording", low=1, optional=True
    ),
}


def _contested_sims(
    holders: Sequence[tuple[int, Sequence[Passage]]],
    tgt: Prepared,
    prepared: dict[int, Prepared],
    indexes: SentenceIndexes | None = None,
) -> dict[int, dict[int, float]]:
    """For each article sentence that passages of two or more sources cover: per source, the
    best cosine of the sentence with a source sentence inside that source's covering passages
    (see :func:`unspin.attribution.sentence_similarities`)."""
    return sentence_similarities(holders, tgt, prepared, 2, indexes)


def _contested_owners(
    found: Sequence[Found],
    tgt: Prepared,
    prepared: dict[int, Prepared],
    margin: float = 0.15,
    indexes: SentenceIndexes | None = None,
) -> dict[int, set[int]]:
    """For article sentences covered by passages of several sources: the sources whose
    passages hold a sentence within ``margin`` (cosine) of the most similar one (sentence
    index -> document keys). Near-identical copies all own a sentence; a source whose passage
    merely stretches over it does not."""
    owners: dict[int, set[int]] = {}
    holders = [(f.key, f.passages) for f in found]
    for j, sims in _contested_sims(holders, tgt, prepared, indexes).items():
        top = max(sims.values())
        if top > 0:
            owners[j] = {k for k, v in sims.items() if v >= top - margin}
    return owners


def _diversify(
    found: list[Found],
    n: int,
    min_new: float,
    units: Sequence[tuple[int, int]] = (),
    owners: dict[int, set[int]] | None = None,
) -> list[Found]:
    """Order sources so that each next one explains the most of the article not yet explained.

    Wire archives hold many re-issues of one story; without this, four near-copies of one
    source would crowd the second source of a spliced article out of the top ranks. Sources
    that add less than ``min_new`` of the article keep their order after the others. A
    sentence that several sources' passages cover counts as explained only by its owner
    (``owners``, see :func:`_contested_owners`): a passage of source A that stretches over a
    run of sentences spliced in from source B does not hide B.
    """
    if not found:
        return found
    owners = owners or {}
    contested = sorted(owners)  # unit indices, so also in text order
    starts = [units[j][0] for j in contested]
    ends = [units[j][1] for j in contested]
    covered = bytearray(n)

    def foreign(key: int, lo: int, hi: int) -> list[tuple[int, int]]:
        """Parts of ``[lo, hi)`` in contested sentences that ``key`` does not own."""
        out = []
        for j in contested[bisect_left(ends, lo + 1) : bisect_left(starts, hi)]:
            u0, u1 = max(lo, units[j][0]), min(hi, units[j][1])
            if key not in owners[j] and u1 > u0:
                out.append((u0, u1))
        return out

    def mark(key: int, passages: list[Passage]) -> None:
        for p in passages:
            lo, hi = p.target_start, min(p.target_end, n)
            pos = lo
            for u0, u1 in [*foreign(key, lo, hi), (hi, hi)]:
                if u0 > pos:
                    covered[pos:u0] = b"\x01" * (u0 - pos)
                pos = max(pos, u1)

    # The best-ranked source stays first; diversity only decides who comes next.
    head: list[Found] = [found[0]]
    rest = list(found[1:])
    mark(found[0].key, found[0].passages)
    while rest:
        best_i, best_gain = -1, 0.0
        for i, (key, _, _, passages) in enumerate(rest):
            gain = 0.0
            for p in passages:
                lo, hi = p.target_start, min(p.target_end, n)
                new = (hi - lo) - covered[lo:hi].count(1) if hi > lo else 0
                # ... not counting contested sentences this source does not own.
                for u0, u1 in foreign(key, lo, hi):
                    new -= (u1 - u0) - covered[u0:u1].count(1)
                gain += new * p.score
            if gain > best_gain + 1e-9:
                best_i, best_gain = i, gain
        if best_i < 0 or best_gain < min_new * n:
            break
        pick = rest.pop(best_i)
        head.append(pick)
        mark(pick.key, pick.passages)
    return head + rest


def _unexplained(n: int, found: Sequence[Found], min_len: int) -> list[tuple[int, int]]:
    covered = sorted((p.target_start, p.target_end) for f in found for p in f.passages)
    gaps: list[tuple[int, int]] = []
    pos = 0
    for a, b in covered:
        if a - pos >= min_len:
            gaps.append((pos, a))
        pos = max(pos, b)
    if n - pos >= min_len:
        gaps.append((pos, n))
    return gaps


def _second_pass(
    text: str,
    tokens: Tokens,
    store: Store,
    found: list[Found],
    texts: dict[int, str],
    docs: dict[int, StoredDocument],
    prepared: dict[int, Prepared],
    cfg: TraceConfig,
    reuse: dict[tuple[int, Passage], float | None],
    evidence: Evidence | None = None,
    article: Prepared | None = None,
    known: dict[int, int] | None = None,
    leave_out: Collection[int] = (),
) -> list[Found]:
    """Look again at long stretches no source explains, on their own and with looser seeds.

    A heavily reworded passage inside a long text can lose to its neighbours twice: in the
    vote (other documents share more with the whole window) and in the seeds (too few words
    survive). Retrieval on the stretch alone and a second, looser alignment of its best
    candidates find many of these; every passage still needs several seeds. The stretch is
    also aligned as the first pass aligns, with passages on one seed allowed
    (``second_pass_one_seed``): random obfuscation cuts and joins sentences, so reuse of
    part of one long source sentence makes one seed.

    ``article``: the article as the first pass prepared it, whose word statistics the
    verifier reads (a stretch alone has one or two units, where every word's idf is zero:
    PAN 03 in a concatenation, 0.09 for a passage its document alone accepts at 0.94).
    ``known``: the document frequencies retrieval read for the article (see
    :func:`unspin.retrieve.candidates`): a stretch's features are the article's."""
    second = cfg.second_pass
    assert second is not None
    by_key = {f.key: f for f in found}
    passes = [second] if cfg.second_pass_one_seed is None else [second, cfg.second_pass_one_seed]
    for g0, g1 in _unexplained(len(text), found, cfg.second_pass_min_chars)[
        : cfg.second_pass_max_gaps
    ]:
        stretch = text[g0:g1]
        words = tokens_within(text, tokens, g0, g1)
        # Without retrieval's second query (likely originals): a stretch its candidates do
        # not explain is most often unsourced text, and the stretches' alignments here are
        # not the news-pair look a spun paragraph needs (benchmarks 12.29).
        local = candidates(
            store,
            stretch,
            replace(cfg.retrieval, candidates=cfg.second_pass_candidates, originals_below=None),
            tokens=words,
            known=known,
            leave_out=leave_out,
        )
        tgt = prepare(stretch, second, tokens=words)
        for key, vote in local.ranked[: cfg.second_pass_candidates]:
            if key not in texts:
                texts.update(store.texts([key]))
                docs.update(store.documents([key]))
            if key not in prepared:
                prepared[key] = prepare(texts[key], cfg.align)
            new = []
            read = Evidence()
            judged: list[tuple[Passage, float]] = []
            for align_cfg in passes:
                src = (
                    prepared[key]
                    if _same_units(cfg.align, align_cfg)
                    else prepare(texts[key], align_cfg)
                )
                here = tgt if _same_units(second, align_cfg) else prepare(stretch, align_cfg)
                found_here = _judged(src, here, align_cfg, read.features, article)
                if cfg.verify_in_pan_settings:
                    found_here = _rejudged(
                        src,
                        here,
                        found_here,
                        _verify_threshold(cfg),
                        cfg.pan_verify_padding,
                        align_cfg,
                        read.pan_reuse,
                        cfg.rejudge_locally,
                    )
                judged += found_here
            if len(passes) > 1:
                judged = _best_apart(judged)
            for p, prob in judged:
                q = replace(p, target_start=p.target_start + g0, target_end=p.target_end + g0)
                reuse[key, q] = prob
                if evidence is not None:
                    evidence.add(key, q, read, p)
                new.append(q)
            if new:
                _add_passages(by_key, key, new, vote, len(text))
    return list(by_key.values())


def _add_passages(
    by_key: dict[int, Found], key: int, new: list[Passage], vote: float, n: int
) -> None:
    """``new`` passages of source ``key`` added to what it has found (in article order, its
    coverage of the ``n``-character article counted again); ``vote`` for a new source."""
    old = by_key.get(key)
    passages = sorted((old.passages if old else []) + new, key=lambda p: p.target_start)
    cov = union_length([(p.target_start, p.target_end) for p in passages]) / max(1, n)
    by_key[key] = Found(key, old.vote if old else vote, cov, passages)


def _short_gaps(
    text: str,
    found: list[Found],
    prepared: dict[int, Prepared],
    cfg: TraceConfig,
    reuse: dict[tuple[int, Passage], float | None],
    evidence: Evidence,
    article: Prepared,
    votes: Mapping[int, float],
) -> list[Found]:
    """Unexplained stretches of ``short_gap_min_chars`` up to ``second_pass_min_chars``
    aligned with ``second_pass_one_seed`` against every candidate aligned so far; passages
    the verifier judges and accepts are added to their source's.

    The second pass skips such stretches (retrieval on one or two sentences finds no
    candidate), yet random obfuscation leaves reuse of one long source sentence there that
    meets it in one seed (PAN 03: 0.31, where the first pass asks a lone seed for 0.45).
    All the stretches are aligned at once, as one text of their units (one alignment per
    candidate, not one per stretch and candidate: a 100 KB article has 20 such stretches
    and 200 candidates); a passage is kept only when at least half of it lies in one
    stretch (see :func:`_mostly_within`)."""
    one = cfg.second_pass_one_seed
    if one is None or cfg.short_gap_min_chars is None or not _same_units(cfg.align, one):
        return found
    gaps = [
        (g0, g1)
        for g0, g1 in _unexplained(len(text), found, cfg.short_gap_min_chars)
        if g1 - g0 < cfg.second_pass_min_chars
    ][: cfg.second_pass_max_gaps]
    if not gaps:
        return found
    stretches = units_within_any(article, gaps)
    threshold = _verify_threshold(cfg)
    by_key = {f.key: f for f in found}
    for key, src in prepared.items():
        read = Evidence()
        accepted = _accepted_within(src, stretches, gaps, one, cfg, article, read, threshold)
        if not accepted:
            continue
        for p, prob in accepted:
            reuse[key, p] = prob
            evidence.add(key, p, read)
        _add_passages(by_key, key, [p for p, _ in accepted], votes.get(key, 0.0), len(text))
    return list(by_key.values())


def _accepted_within(
    src: Prepared,
    stretches: Prepared,
    within: Sequence[tuple[int, int]],
    align_cfg: AlignConfig,
    cfg: TraceConfig,
    article: Prepared,
    read: Evidence,
    threshold: float,
    short_article: int = 0,
) -> list[tuple[Passage, float]]:
    """The passages of ``src`` against ``stretches`` (units of ``article``) aligned with
    ``align_cfg`` that lie mostly within one of ``within`` (:func:`_mostly_within`) and that
    the verifier judges and accepts (judged again as the first pass judges, see
    :func:`_rejudged`), each with its probability; ``read`` is filled with what the
    verifiers read. ``short_article``: see :func:`_judged`."""
    judged = _judged(src, stretches, align_cfg, read.features, article, short_article)
    judged = [(p, prob) for p, prob in judged if _mostly_within(p, within)]
    if cfg.verify_in_pan_settings:
        judged = _rejudged(
            src,
            article,
            judged,
            threshold,
            cfg.pan_verify_padding,
            align_cfg,
            read.pan_reuse,
            cfg.rejudge_locally,
        )
    return [(p, prob) for p, prob in judged if verifier_judges(p) and prob >= threshold]


def _stretch_queries(
    text: str,
    tokens: Tokens,
    store: Store,
    found: list[Found],
    ranked: list[tuple[int, float]],
    texts: dict[int, str],
    docs: dict[int, StoredDocument],
    prepared: dict[int, Prepared],
    cfg: TraceConfig,
    known: dict[int, int] | None = None,
    leave_out: Collection[int] = (),
) -> list[tuple[int, float]]:
    """``ranked`` with, after its first ``pair_look_always``, the candidates retrieval's
    second query (likely originals, see ``RetrievalConfig.originals_below``) finds for a
    stretch of ``stretch_query_chars`` or more the first pass left unexplained in an article
    of at most ``RetrievalConfig.originals_max_chars`` where it explained something: the whole
    article's vote found its other paragraphs' sources, so it never asked again for a
    paragraph spun whole; the news-pair look then aligns them over the stretches.
    ``known``: the document frequencies retrieval read for the article (a stretch's
    features are the article's, see :func:`unspin.retrieve.candidates`)."""
    r = cfg.retrieval
    if (
        cfg.stretch_query_chars is None
        or r.originals_below is None
        or not found
        or len(text) > r.originals_max_chars
    ):
        return ranked
    new: list[tuple[int, float]] = []
    seen = {k for k, _ in ranked}
    for g0, g1 in _unexplained(len(text), found, cfg.stretch_query_chars)[: cfg.stretch_queries]:
        words = tokens_within(text, tokens, g0, g1)
        local = candidates(store, text[g0:g1], r, tokens=words, known=known, leave_out=leave_out)
        new += [(k, v) for k, v in local.ranked[: local.originals] if k not in seen]
        seen.update(k for k, _ in new)
    if not new:
        return ranked
    keys = [k for k, _ in new]
    texts.update(store.texts(keys))
    docs.update(store.documents(keys))
    for key in keys:
        if key in texts:
            prepared[key] = prepare(texts[key], cfg.align)
    # After the best-voted candidates the look always takes, so that it still takes them.
    always = cfg.pair_look_always
    return ranked[:always] + [(k, v) for k, v in new if k in texts] + ranked[always:]


def _pair_look(
    text: str,
    found: list[Found],
    prepared: dict[int, Prepared],
    ranked: Sequence[tuple[int, float]],
    cfg: TraceConfig,
    reuse: dict[tuple[int, Passage], float | None],
    evidence: Evidence,
    article: Prepared,
) -> list[Found]:
    """The best-voted candidates (see ``TraceConfig.pair_look``) aligned again with ``pair_look``
    (the "news-pair" profile: synonyms counted where a sentence's words run in the source's
    order), each over the unexplained stretches of ``pair_look_min_chars`` or more and its
    own first-pass passages. Only passages the verifier judges and accepts are kept from this
    look (as in :func:`_short_gaps`: on a long article, looser seeds against a long candidate
    find chance pairs of 50-170 characters); the candidate's passages are then those of both
    passes that no better passage overlaps (:func:`_best_apart`: an accepted passage longer
    in the article first).

    A paragraph spun whole by SpinBot keeps so few of its words that the first pass seeds
    none of its sentences, or one; retrieval still votes its source first (a third to a
    half of the words survive, names and numbers among them: on 200 real SpinBot
    paragraphs, the look at one candidate or at ten gave the same figures). One alignment per
    candidate, of the article's units in those stretches only (see :func:`_short_gaps`):
    news-pair on every candidate and the whole article cost a 40 KB trace 60-75% more CPU
    (benchmarks 12.25), this look about 6% (12.26)."""
    look = cfg.pair_look
    if look is None or not _same_units(cfg.align, look):
        return found
    gaps = _unexplained(len(text), found, cfg.pair_look_min_chars)
    by_key = {f.key: f for f in found}
    threshold = _verify_threshold(cfg)
    spent = 0
    for i, (key, vote) in enumerate(ranked[: cfg.pair_look_candidates]):
        src = prepared.get(key)
        if src is None:
            continue
        own = by_key[key].passages if key in by_key else []
        region = sorted([*gaps, *((p.target_start, p.target_end) for p in own)])
        if not region:
            continue
        size = union_length(region) * len(src.text)
        if i >= cfg.pair_look_always and spent + size > cfg.pair_look_chars:
            continue
        spent += size
        read = Evidence()
        stretches = units_within_any(article, region)
        judged = _accepted_within(
            src, stretches, region, look, cfg, article, read, threshold, cfg.pair_look_short_units
        )
        if not judged:
            continue
        # The look can align the very passage the first pass found (the same offsets and
        # score) and accept it where the first pass rejected it: its verdict stands where
        # trace's own verifier accepts it on what the look read (a 427-character SpinBot
        # paragraph: the first pass 0.41, the look 0.85). The passage verifier's verdict of a
        # short article (``pair_look_short_units``) does not overrule the first pass: on a
        # passage the first pass already judged, that is the verdict for every passage of
        # trace, which gives stories of the same event as sources (benchmarks 12.26, 12.30).
        judged = [
            (p, prob)
            for p, prob in judged
            if p not in own or _trace_verdict(read.features.get(p)) >= threshold
        ]
        before = [(p, reuse.get((key, p)) or 0.0) for p in own]
        kept = _best_apart(before + judged, threshold)
        raised = {
            p for p, prob in kept if p in own and (reuse.get((key, p)) or 0.0) < threshold <= prob
        }
        if [p for p, _ in kept] == list(own) and not raised:
            continue
        for p, prob in kept:
            if (key, p) not in reuse or p in raised:
                reuse[key, p] = prob
                evidence.add(key, p, read)
        old = by_key.get(key)
        passages = [p for p, _ in kept]
        cov = union_length([(p.target_start, p.target_end) for p in passages]) / max(1, len(text))
        by_key[key] = Found(key, old.vote if old else vote, cov, passages)
    return list(by_key.values())


def _trace_verdict(features: list[float] | None) -> float:
    """Trace's verifier's probability on ``features`` (0.0 when none were read)."""
    return 0.0 if features is None else load_trace_verifier().probability(features)


def _mostly_within(p: Passage, gaps: Sequence[tuple[int, int]]) -> bool:
    """Whether at least half of ``p``'s article side lies in one of ``gaps``: a unit that
    overlaps a short stretch can reach far into text other sources explain (a long web list
    cut at commas), and a passage there would contest their sentences rather than explain
    the stretch (PAN 02 in a concatenation: a TV-listings page's 653-character passage over
    a 174-character stretch took a verbatim copy's sentence from its true source)."""
    n = p.target_end - p.target_start
    return any(2 * (min(p.target_end, b) - max(p.target_start, a)) >= n for a, b in gaps)


def _best_apart(
    judged: list[tuple[Passage, float]], accept: float | None = None
) -> list[tuple[Passage, float]]:
    """The passages of ``judged`` (one source, two alignments of one stretch) that no more
    probable passage overlaps in the article, in article order. With ``accept`` (a verifier
    threshold): that no accepted passage longer in the article overlaps, then as before
    among the rejected (a spun paragraph's first pass can find one accepted sentence of it
    where the news-pair look finds the whole, accepted too, at a lower probability)."""

    def order(pq: tuple[Passage, float]) -> tuple[float, ...]:
        p, prob = pq
        if accept is None:
            return (-prob,)
        if prob >= accept:
            return (0, -(p.target_end - p.target_start), -prob)
        return (1, -prob, 0)

    kept: list[tuple[Passage, float]] = []
    for p, prob in sorted(judged, key=order):
        if not any(
            p.target_start < q.target_end and q.target_start < p.target_end for q, _ in kept
        ):
            kept.append((p, prob))
    return sorted(kept, key=lambda pq: (pq[0].target_start, pq[0].target_end))


def _same_units(a: AlignConfig, b: AlignConfig) -> bool:
    """Whether ``prepare`` cuts a text into the same units under both configurations (then
    one prepared source serves both passes: preparing is most of a long article's trace)."""
    return a.max_unit_chars == b.max_unit_chars and a.min_unit_terms == b.min_unit_terms


@dataclass(slots=True)
class Evidence:
    """What the verifiers read of each passage: trace's features (see
    :data:`unspin.verifier.TRACE_FEATURES`) and, for a passage judged again (in the PAN
    settings, or in its window: see :func:`_rejudged`), the best probability found there.
    Kept for ``scripts/train_trace_verifier.py``
    (the passages it learns from are trace's own)."""

    features: dict[Passage, list[float]] = field(default_factory=dict)
    pan_reuse: dict[Passage, float] = field(default_factory=dict)
    by_key: dict[tuple[int, Passage], tuple[list[float] | None, float | None]] = field(
        default_factory=dict
    )

    def add(self, key: int, passage: Passage, local: Evidence, p: Passage | None = None) -> None:
        """Record ``local``'s evidence on ``p`` (default ``passage``) as that of ``passage``
        of source ``key``."""
        p = passage if p is None else p
        self.by_key[key, passage] = (local.features.get(p), local.pan_reuse.get(p))


_SUMMARY = FEATURES.index("summary")


def _judged(
    src: Prepared,
    tgt: Prepared,
    cfg: AlignConfig,
    features: dict[Passage, list[float]] | None = None,
    article: Prepared | None = None,
    short_article: int = 0,
) -> list[tuple[Passage, float]]:
    """The passages ``align_prepared`` finds with ``verify_threshold=0`` (trace keeps short
    passages the verifier was not fitted on), each with trace's verifier's probability that
    it is reuse (:func:`unspin.verifier.load_trace_verifier`): attribution lists a source
    only for passages the verifier accepts. ``features``: filled with what it read.
    ``article``: the text whose word statistics the verifier reads (default ``tgt``; the
    second pass aligns a stretch of it).

    Two kinds of passage keep the passage verifier's probability where that is higher
    (:func:`_keeps_passage_verdict`): summaries (a few sentences against a long stretch of
    the source), of which PAN gives the passage verifier a section (05, a thousand pairs) and
    trace's training articles a few dozen (PAN 05 in a 3-document concatenation: 0.85 there,
    0.50 here); and an article stretch over 2.5 times longer than its source side, nearly
    always a short sentence of a topical page in trace's training articles, but in news a
    spun earnings table matched to one short unit of its true source (0.95 there, 0.29
    here). With ``short_article``, every passage of an article of at most that many units
    keeps it too (the news-pair look, ``TraceConfig.pair_look_short_units``): trace's
    verifier reads how rare the shared words are among the article's units, and a
    one-paragraph article has one to three (a 287-character SpinBot paragraph aligned whole
    with its original: 0.04)."""
    verifier, passage_verifier = load_trace_verifier(), load_verifier()
    stats = tgt if article is None else article
    out = []
    article_units_with = units_with(stats)
    for p, x in candidate_passages(src, tgt, cfg, with_features=True):
        x = x + shared_word_features(
            window_stems(src, p.source_start, p.source_end),
            window_stems(tgt, p.target_start, p.target_end),
            article_units_with,
            len(stats.terms),
        )
        if features is not None:
            features[p] = x
        prob = verifier.probability(x)
        if _keeps_passage_verdict(p, x) or len(stats.spans) <= short_article:
            prob = max(prob, passage_verifier.probability(x[: len(FEATURES)]))
        out.append((p, prob))
    return out


def _keeps_passage_verdict(p: Passage, features: Sequence[float]) -> bool:
    """Whether the passage verifier's probability of ``p`` stands when higher than trace's
    (see :func:`_judged`): a summary, or an article side over ``MISMATCHED_SIDES`` times
    its source side."""
    target, source = p.target_end - p.target_start, p.source_end - p.source_start
    return bool(features[_SUMMARY]) or target > MISMATCHED_SIDES * source


def _verify_threshold(cfg: TraceConfig) -> float:
    """The verifier probability under which a passage is not reuse (attribution's)."""
    threshold = cfg.attribution.verify_threshold
    return load_verifier().threshold if threshold is None else threshold


def _rejudged(
    src: Prepared,
    tgt: Prepared,
    judged: list[tuple[Passage, float]],
    threshold: float,
    padding: int,
    units: AlignConfig,
    pan_reuse: dict[Passage, float] | None = None,
    local: float | None = None,
) -> list[tuple[Passage, float]]:
    """``judged`` with every passage the verifier rejected judged again in the verifier's own
    domain: the source aligned with the PAN settings (``AlignConfig()``) against the article
    within ``padding`` characters of each rejected passage (one window per group of rejected
    passages whose surroundings overlap). A rejected passage takes the best probability of a
    PAN-settings passage covering at least half of it (and some of its source side).
    ``units``: the settings ``src`` and ``tgt`` were prepared with (they must cut texts into
    the PAN settings' units, or nothing is judged again). ``pan_reuse``: filled with the best
    probability of each passage judged again. ``local``: passages rejected at this
    probability or above are also judged by trace's own settings and verifier inside their
    window (see ``TraceConfig.rejudge_locally``; None: not).

    Each window is about as long as a PAN document: how many seeds the whole pair makes is
    one of the verifier's features, and one window from the first rejected passage of a
    long source to its last (a long page echoed all over a long article) made the pair look
    like same-topic text and rejected the real reuse inside it again (PAN 04 in a
    concatenation: 0.52 where the document alone gives 0.96)."""
    low = [p for p, prob in judged if prob < threshold and verifier_judges(p)]
    if not low:
        return judged
    # Built only here: a configuration checks its fields when made, and most calls
    # (every candidate of a long article) have nothing to judge again.
    pan = AlignConfig()
    if not _same_units(pan, units):
        return judged
    windows = sorted({(max(0, p.target_start - padding), p.target_end + padding) for p in low})
    verifier = load_verifier()
    around = [units_within(tgt, lo, hi) for lo, hi in windows]
    found = [
        (q, verifier.probability(x))
        for w in around
        for q, x in candidate_passages(src, w, pan, with_features=True)
    ]
    if local is not None:
        # ... and in trace's own settings and verifier, inside the window only, for passages
        # rejected at ``local`` or above: the pair's seed count and the article's word
        # statistics are features, and a long article read whole makes reuse look like
        # topic text (PAN 03 in a 43 KB concatenation: 0.59, where the window gives 0.81).
        near = {
            (max(0, p.target_start - padding), p.target_end + padding)
            for p, prob in judged
            if local <= prob < threshold and verifier_judges(p)
        }
        for w in (units_within(tgt, lo, hi) for lo, hi in sorted(near)):
            if len(w.spans) < len(tgt.spans):
                found += _judged(src, w, units)
    out = []
    inside: dict[Passage, float] = {}
    for p, prob in judged:
        if prob < threshold and verifier_judges(p):
            best = 0.0
            for q, qprob in found:
                if not (q.source_start < p.source_end and p.source_start < q.source_end):
                    continue
                both = min(p.target_end, q.target_end) - max(p.target_start, q.target_start)
                if both >= (p.target_end - p.target_start) / 2:
                    best = max(best, qprob)
                elif both >= (q.target_end - q.target_start) / 2 and qprob >= threshold:
                    # Reuse the PAN settings find inside a longer rejected passage (looser
                    # seeds stretched it over the text around the reuse) counts on its own.
                    inside[q] = qprob
            if pan_reuse is not None:
                pan_reuse[p] = best
            prob = max(prob, best)
        out.append((p, prob))
    # ... unless the stretched passage itself now counts.
    kept = [p for p, prob in out if prob >= threshold]
    added = [
        (q, qprob)
        for q, qprob in inside.items()
        if not any(p.target_start <= q.target_start and q.target_end <= p.target_end for p in kept)
    ]
    if not added:
        return out
    return sorted(out + added, key=lambda pq: (pq[0].target_start, pq[0].target_end))


def units_within(p: Prepared, start: int, end: int) -> Prepared:
    """The units of ``p`` that overlap ``[start, end)``, as a prepared text of their own
    (same text, offsets and tokens: passages aligned against it need no shifting).

    >>> p = prepare("One cat sat on a mat today. Two dogs ran in the park here. Three.")
    >>> [p.text[a:b] for a, b in units_within(p, 30, 40).spans]
    ['Two dogs ran in the park here. Three.']
    """
    return units_within_any(p, [(start, end)])


def units_within_any(p: Prepared, ranges: Sequence[tuple[int, int]]) -> Prepared:
    """The units of ``p`` that overlap any of ``ranges`` (sorted, apart), each once, as a
    prepared text of their own (see :func:`units_within`); ``p`` itself when that is every
    unit (a window around a passage of a short article), so what was built for ``p`` (its
    term arrays: :func:`unspin.align.units.unit_arrays`) serves the window too.

    >>> p = prepare("One cat sat on a mat today. Two dogs ran in the park here. Three owls hooted.")
    >>> [p.text[a:b] for a, b in units_within_any(p, [(0, 5), (62, 70)]).spans]
    ['One cat sat on a mat today.', 'Three owls hooted.']
    """
    keep: dict[int, None] = {}
    for start, end in ranges:
        for j, (a, b) in enumerate(p.spans):
            if a < end and start < b:
                keep[j] = None
    if len(keep) == len(p.spans):
        return p
    idx = sorted(keep)
    return Prepared(
        p.text,
        [p.spans[j] for j in idx],
        [p.terms[j] for j in idx],
        prepared_tokens(p),
        sentence_ends=p.sentence_ends,
        stems=p.stems,
    )


def _with_edits(source: str, target: str, passages: list[Passage]) -> list[Passage]:
    out = []
    for p in passages:
        edits = sort_edits(label_edits(source, target, p))
        out.append(replace(p, edits=tuple(edits)))
    return out


def _absorb_blanks(text: str, segs: list[Segment]) -> list[Segment]:
    """Give whitespace-only stretches (the gaps between aligned sentences) to a neighbour, so
    the map shows where text came from, not where the line breaks fell."""
    out: list[Segment] = []
    for seg in segs:
        blank = not text[seg.start : seg.end].strip()
        if out and (blank or out[-1].source_key == seg.source_key):
            out[-1] = replace(out[-1], end=seg.end)
        elif out and not text[out[-1].start : out[-1].end].strip():
            out[-1] = replace(seg, start=out[-1].start)
        else:
            out.append(seg)
    return out


_SCORE_CAP = (
    "spin-scored unsourced text up to {:,} characters (TraceConfig.max_scored_chars); "
    "the other stretches are unscored"
)


def _spin_meta(segs: list[Segment], cfg: TraceConfig) -> dict[str, object]:
    """``{"spin_model": ...}``, the model kind that gave the stretches with no source their
    spin scores (``"auto"`` resolved), when any stretch got one: reports name it, so that a
    trace's number and ``unspin score``'s (``auto``) can be told apart. Empty otherwise."""
    if not any(s.spin is not None for s in segs):
        return {}
    from .spinscore.score import resolve_model

    return {"spin_model": resolve_model(cfg.spin_model)}


def _score_segments(
    article: str, segs: list[Segment], max_chars: int | None = None, model: str = "lexical"
) -> tuple[list[Segment], bool]:
    """Attach a spin probability to unsourced stretches long enough to judge.

    Stops scoring once ``max_chars`` characters were scored; the flag says it stopped.
    """
    try:
        from .spinscore.score import score_text
    except ImportError:
        return segs, False
    out = []
    budget = max_chars if max_chars is not None else len(article)
    stopped = False
    for s in segs:
        if s.source_key is None and s.end - s.start >= 200:
            if s.end - s.start > budget:
                stopped = True
                out.append(s)
                continue
            budget -= s.end - s.start
            scored = score_text(article[s.start : s.end], model)
            # A stretch in another language is not judged (the models read English): no
            # score, rather than a 0.00 that reads as "not spun".
            spin = None if scored.language is not None else round(scored.probability, 4)
            out.append(replace(s, spin=spin))
        else:
            out.append(s)
    return out, stopped


def _attributed(
    text: str,
    found: list[Found],
    tgt: Prepared,
    prepared: dict[int, Prepared],
    texts: dict[int, str],
    docs: dict[int, StoredDocument],
    reuse: dict[tuple[int, Passage], float | None],
    cfg: TraceConfig,
    indexes: SentenceIndexes | None = None,
) -> tuple[list[SourceMatch], tuple[RelatedDocument, ...], Attribution]:
    """The listed sources (owners of article stretches, see :mod:`unspin.attribution`), each
    with its copies and with edits inside what it owns only, and the related coverage.

    The first ``top`` owners are listed for any stretch of at least ``min_owned`` characters;
    an owner ranked below them only for ``min_unexplained_chars``; either is also listed for
    ``verified_owner_chars`` owned through a passage the verifier judged and rates at least
    ``verified_owner_reuse`` (:func:`_verified_owner`)."""
    n = len(text)
    threshold = _verify_threshold(cfg)
    att = attribute(
        [Candidate(k, tuple(ps), tuple(reuse.get((k, p)) for p in ps)) for k, _, _, ps in found],
        tgt,
        prepared,
        texts,
        n,
        threshold,
        cfg.attribution,
        indexes,
    )
    min_owned = min(cfg.min_unexplained_chars, max(40, round(cfg.min_new_share * n)))
    listed = [
        o
        for i, o in enumerate(att.owners)
        if o.chars >= (min_owned if i < cfg.top else cfg.min_unexplained_chars)
        or _verified_owner(
            o,
            reuse,
            max(threshold, cfg.verified_owner_reuse),
            cfg.verified_owner_chars,
            cfg.verified_owner_near_domain,
        )
    ]
    listed_keys = {o.key for o in listed}
    sources: list[SourceMatch] = []
    for rank, owner in enumerate(listed, start=1):
        passages = list(owner.passages)
        if cfg.label_edits:
            passages = [
                owned_edits_only(p, owner.owned)
                for p in _with_edits(texts[owner.key], text, passages)
            ]
        score = sum(
            (min(s.end, p.target_end) - max(s.start, p.target_start)) * p.score
            for p in passages
            for s in owner.owned
            if p.target_start < s.end and s.start < p.target_end
        ) / max(1, n)
        sources.append(
            SourceMatch(
                docs[owner.key],
                rank,
                round(score, 4),
                round(owner.chars / max(1, n), 4),
                tuple(passages),
                owned=owner.owned,
                copies=tuple(docs[k] for k in att.copies.get(owner.key, ())),
            )
        )
    # An owner too small to list is neither a source nor related: its stretch stays unsourced.
    related = tuple(
        RelatedDocument(docs[k], overlap) for k, overlap in att.related if k not in listed_keys
    )
    return sources, related, att


def _verified_owner(
    owner: Owner,
    reuse: Mapping[tuple[int, Passage], float | None],
    threshold: float,
    min_chars: int | None,
    near_domain: bool = False,
) -> bool:
    """Whether ``owner`` owns at least ``min_chars`` characters and one of its passages over
    them is inside the verifier's domain (or, with ``near_domain``, short of it only by
    length: :func:`unspin.attribution.near_verifier_domain`) and accepted at ``threshold``:
    then what it owns is reuse on the verifier's word, however little of the article's
    sentences it keeps."""
    if min_chars is None or owner.chars < min_chars:
        return False
    return any(
        (in_verifier_domain(p) or (near_domain and near_verifier_domain(p)))
        and (reuse.get((owner.key, p)) or 0.0) >= threshold
        and any(p.target_start < s.end and s.start < p.target_end for s in owner.owned)
        for p in owner.passages
    )


def _with_exact_copies(sources: list[SourceMatch], store: Store) -> list[SourceMatch]:
    """``sources`` with every stored document that shares a source's text (a reprint under
    another id or URL: retrieval returns one key per text) first among its copies."""
    if not sources:
        return sources
    exact = store.copies([s.document.key for s in sources])
    out = []
    for s in sources:
        same = [d for d in exact.get(s.document.key, []) if d.key != s.document.key]
        seen = {d.key for d in same}
        copies = (*same, *(d for d in s.copies if d.key not in seen))
        out.append(replace(s, copies=copies) if same else s)
    return out


def _owned_segments(n: int, sources: Sequence[SourceMatch]) -> list[Segment]:
    """The article cut into stretches by owner (``None`` where no listed source owns it)."""
    owner: list[int | None] = [None] * n
    for s in sources:
        for span in s.owned:
            for i in range(span.start, min(span.end, n)):
                owner[i] = s.document.key
    segs: list[Segment] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or owner[i] != owner[start]:
            segs.append(Segment(start, i, owner[start]))
            start = i
    return segs


def _check_article(text: str, name: str | None) -> None:
    if blank(text):
        raise InputError(name or "<article>", "empty text: nothing to trace")


@dataclass(frozen=True, slots=True)
class TraceStages:
    """What :func:`trace` decided at each stage, so a source it missed can be traced to the
    stage that lost it (``benchmarks/bench_longdoc.py --losses``)."""

    result: TraceResult
    aligned: frozenset[int]  # keys of every candidate aligned, in either pass
    passages: dict[int, tuple[Passage, ...]]  # every passage the aligner found, per key
    reuse: dict[tuple[int, Passage], float | None]  # verifier probability per passage
    attribution: Attribution  # owners (in rank order), copies, related coverage
    # per passage: trace's verifier features and its PAN-settings probability (if judged again)
    evidence: dict[tuple[int, Passage], tuple[list[float] | None, float | None]] = field(
        default_factory=dict
    )


def trace(
    text: str,
    store: Store,
    config: TraceConfig | None = None,
    *,
    name: str | None = None,
    leave_out: Collection[int] = (),
) -> TraceResult:
    """Rank the stored sources of ``text`` and align the passages each one contributed.
    ``leave_out``: text keys (:meth:`Store.copies`' first document of each text) traced as
    if not stored: a stored document's own text against the others."""
    return trace_stages(text, store, config, name=name, leave_out=leave_out).result


def trace_stages(
    text: str,
    store: Store,
    config: TraceConfig | None = None,
    *,
    name: str | None = None,
    leave_out: Collection[int] = (),
) -> TraceStages:
    """:func:`trace`, with what each stage decided (see :class:`TraceStages`). Every read
    of the store sees one state of it (:meth:`Store.snapshot`): an ingest or a re-index in
    another process never shows it half the index."""
    _check_article(text, name)
    with store.snapshot():
        stages = _trace_stages(text, store, config, frozenset(leave_out))
    return _with_reading_note(stages, text, store, name)


def _with_reading_note(
    stages: TraceStages, text: str, store: Store, name: str | None
) -> TraceStages:
    """``stages`` whose result carries :func:`unspin.lookalikes.reading_note` as
    ``meta["reindex_note"]`` (:attr:`TraceResult.reindex_note`) when the store's word reading
    is older than the article needs: the Python API's user of an old store is told what the
    CLI and the web page tell (up to robust34, only they said it)."""
    from .errors import printable
    from .lookalikes import reading_note

    note = reading_note(name or "the article", text, printable(store.path), store.word_reading)
    if note is None:
        return stages
    result = stages.result
    return replace(stages, result=replace(result, meta={**result.meta, "reindex_note": note}))


def _trace_stages(
    text: str, store: Store, config: TraceConfig | None, leave_out: frozenset[int]
) -> TraceStages:
    cfg = config or TraceConfig()
    t0 = time.perf_counter()
    # The article is tokenised once: retrieval, its units and the second pass share it.
    tokens = tokenize(text)
    # Each feature's document frequency is read once for the article and its stretches.
    known: dict[int, int] = {}
    cands = candidates(store, text, cfg.retrieval, tokens=tokens, known=known, leave_out=leave_out)
    caps: list[str] = []
    ranked = cands.ranked
    fit = max(cfg.min_aligned, cfg.max_align_chars // max(1, len(text)))
    if len(ranked) > fit:
        ranked = ranked[:fit]
        caps.append(
            f"aligned the best {fit} of {len(cands.ranked)} candidates: a "
            f"{len(text):,}-character article is over the alignment budget "
            f"(TraceConfig.max_align_chars={cfg.max_align_chars:,})"
        )
    keys = [k for k, _ in ranked]
    texts = store.texts(keys)
    docs = store.documents(keys)
    tgt = prepare(text, cfg.align, tokens=tokens)
    found: list[Found] = []
    prepared: dict[int, Prepared] = {}
    reuse: dict[tuple[int, Passage], float | None] = {}
    evidence = Evidence()
    threshold = _verify_threshold(cfg)
    for key, vote in ranked:
        src_text = texts.get(key)
        if src_text is None:
            continue
        prepared[key] = prepare(src_text, cfg.align)
        local = Evidence()
        judged = _judged(prepared[key], tgt, cfg.align, local.features)
        if cfg.verify_in_pan_settings:
            judged = _rejudged(
                prepared[key],
                tgt,
                judged,
                threshold,
                cfg.pan_verify_padding,
                cfg.align,
                local.pan_reuse,
                cfg.rejudge_locally,
            )
        reuse.update(((key, p), prob) for p, prob in judged)
        for p, _ in judged:
            evidence.add(key, p, local)
        passages = [p for p, _ in judged]
        if not passages:
            continue
        cov = union_length([(p.target_start, p.target_end) for p in passages]) / max(1, len(text))
        found.append(Found(key, vote, cov, passages))
    ranked = _stretch_queries(
        text, tokens, store, found, ranked, texts, docs, prepared, cfg, known, leave_out
    )
    found = _pair_look(text, found, prepared, ranked, cfg, reuse, evidence, tgt)
    if cfg.second_pass is not None:
        found = _second_pass(
            text,
            tokens,
            store,
            found,
            texts,
            docs,
            prepared,
            cfg,
            reuse,
            evidence,
            tgt,
            known,
            leave_out,
        )
    found = _short_gaps(text, found, prepared, cfg, reuse, evidence, tgt, dict(ranked))
    if cfg.unique_wording_floor is not None:
        accept_unique_wording(
            reuse, prepared, tgt, cfg.unique_wording_floor, threshold, cfg.unique_stems
        )
    found = rank_sources(
        found,
        prepared_tokens(tgt),
        len(text),
        lambda k: prepared_tokens(prepared[k]),
        lambda k: texts[k],
        cfg.ranking,
    )
    # Ranking's contested sentences and attribution index the same passages' sentences.
    indexes = SentenceIndexes()
    owners = _contested_owners(found, tgt, prepared, indexes=indexes) if len(found) > 1 else {}
    found = _diversify(found, len(text), cfg.min_new_share, tgt.spans, owners)
    sources, related, att = _attributed(
        text, found, tgt, prepared, texts, docs, reuse, cfg, indexes
    )
    sources = _with_exact_copies(sources, store)
    if cfg.shared_wording_holders is not None and sources:
        common = shared_wording(
            store, text, sources, texts, cfg.shared_wording_holders, known, leave_out
        )
        sources = [
            replace(s, shared_wording=common[s.document.key]) if s.document.key in common else s
            for s in sources
        ]
    segs = _absorb_blanks(text, _owned_segments(len(text), sources))
    if cfg.score_unsourced:
        segs, stopped = _score_segments(text, segs, cfg.max_scored_chars, cfg.spin_model)
        if stopped:
            caps.append(_SCORE_CAP.format(cfg.max_scored_chars))
    meta: dict[str, object] = {
        "query_features": cands.query_features,
        "used_features": cands.used_features,
        **_spin_meta(segs, cfg),
    }
    if caps:
        meta["caps"] = caps
    result = TraceResult(
        article=text,
        sources=tuple(sources),
        segments=tuple(segs),
        candidates_considered=len(keys),
        capped=cands.capped or bool(caps),
        seconds=round(time.perf_counter() - t0, 4),
        meta=meta,
        related=related,
    )
    return TraceStages(
        result,
        frozenset(prepared),
        {f[0]: tuple(f[3]) for f in found},
        reuse,
        att,
        evidence.by_key,
    )


def compare(
    source: str,
    target: str,
    *,
    source_name: str = "source",
    config: TraceConfig | None = None,
    restore: bool = False,
) -> TraceResult:
    """Align ``target`` against one ``source`` text; same result shape as :func:`trace`.
    Aligned with ``config.compare_align`` (the "news-pair" profile, as :func:`unspin.align.align`
    by default), not trace's ``config.align``."""
    cfg = config or TraceConfig()
    _check_article(source, source_name)
    _check_article(target, "target")
    t0 = time.perf_counter()
    a = cfg.compare_align
    passages = align_prepared(prepare(source, a), prepare(target, a), a)
    if cfg.label_edits:
        passages = _with_edits(source, target, passages)
    doc = StoredDocument(key=0, id=source_name, path=source_name, length=len(source))
    sources: tuple[SourceMatch, ...] = ()
    if passages:
        cov = union_length([(p.target_start, p.target_end) for p in passages]) / max(1, len(target))
        score = round(cov * max(p.score for p in passages), 4)
        owned = tuple(
            Span(a, b) for a, b in merged_spans([(p.target_start, p.target_end) for p in passages])
        )
        sources = (SourceMatch(doc, 1, score, round(cov, 4), tuple(passages), owned=owned),)
    segs = _absorb_blanks(target, _owned_segments(len(target), sources))
    stopped = False
    if cfg.score_unsourced:
        segs, stopped = _score_segments(target, segs, cfg.max_scored_chars, cfg.spin_model)
    restored = None
    if restore:
        restored = _restore(source, target, sources)
    return TraceResult(
        article=target,
        sources=sources,
        segments=tuple(segs),
        candidates_considered=1,
        capped=stopped,
        seconds=round(time.perf_counter() - t0, 4),
        restored=restored,
        meta={
            **({"caps": [_SCORE_CAP.format(cfg.max_scored_chars)]} if stopped else {}),
            **_spin_meta(segs, cfg),
        },
    )


def _restore(source: str, target: str, sources: Sequence[SourceMatch]) -> str:
    edits = [e for s in sources for p in s.passages for e in p.edits]
    return restore_edits(source, target, edits)
