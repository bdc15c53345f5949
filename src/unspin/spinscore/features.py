"""Per-token evidence of spinning and the text features the calibrated model reads.

Evidence a thesaurus spinner leaves behind, found with real lexical resources only:

* ``rare_synonym``: a content word that is rare (low Zipf frequency) while Moby lists it as a
  synonym of a much more common word, the one a writer would have used;
* ``phrase_swap``: a multi-word Moby entry standing where one common word would do;
* ``broken_entity``: the same inside a run of capitalised words (a name with a word swapped);
* ``character_noise``: digits inside words, or an unknown word one edit away from a common one;
* ``rare_collocation``: a word the per-word model (:mod:`.words`, with the contextual probe when
  installed) finds likelier swapped than not among its neighbours, where the rule above saw
  nothing (it also re-weighs, or drops, the rule's ``rare_synonym`` spans).

Every content word also gets a likelihood ratio: how much likelier it is as a spinner's output
(``sum_h P(h) / |syn(h)|`` over the Moby headwords ``h`` that list it) than as a word a writer
chose (``P(w)``), both from wordfreq. The text-level features combine these ratios as the
log-likelihood ratio of "a share ``r`` of the words was spun" against "nothing was", so a
handful of odd words moves the score whatever the text's length. A second set of the same
features reads the neighbours too: headwords that form frequent word pairs with them
(:mod:`.bigrams`) are likelier originals, and a word that breaks those pairs is likelier spun.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from typing import NamedTuple

import numpy as np

from ..lexicon import look_up, zipf
from ..text import STOPWORDS, Tokens, sentence_spans, stem, tokenize
from .bigrams import Bigrams, bigrams
from .evidence import Evidence, ToRank, model_evidence, noise_fix, with_suggestions
from .originals import neighbours, rank_originals, sides_of_candidates, text_stems
from .reverse_thesaurus import Candidate, ReverseThesaurus
from .words import WORD_FEATURES, TreeEnsemble, word_model, word_row

__all__ = [
    "FEATURE_NAMES",
    "Evidence",
    "analyse",
    "analyse_each",
    "context_llr",
    "mixture_llr",
    "neighbours",
    "rank_originals",
    "spun_mass",
    "text_stems",
    "word_rows",
]

# A swap is flagged when the expected word is this much more frequent (log10) than the one
# written; a factor of 30 keeps ordinary register variation ("purchase" for "buy") quiet.
_GAIN = 1.5
# Words at least this frequent are everyday vocabulary, never evidence of a swap on their own.
_COMMON = 4.5
# Candidates per word the detection features read (the best by prior): the rest matter for
# restoration, not for whether a swap happened, and would cost time on long texts.
_DETECT_KEEP = 16
# Spin rates the mixture likelihood ratios are computed at (light, middle, heavy spinning).
_MIX_RATES = (0.05, 0.15, 0.3)
# Per-word log10 likelihood ratios are clipped here: one exotic word must not decide alone.
_LLR_CAP = 3.0
# Words whose likelihood ratio passes this count as odd for the per-100-words rate.
_ODD = 0.5
# Weight of the bigram fit with the neighbours (log10 PMI) against the reverse-thesaurus prior
# and the word's own frequency (chosen on reut2-000..013).
CONTEXT_WEIGHT = 0.5
FEATURE_NAMES = (
    "mean_zipf",
    "rare_share",
    "mean_gain",
    "swap_share",
    "phrase_share",
    "noise_share",
    "mix_llr_05",
    "mix_llr_15",
    "mix_llr_30",
    "top3_llr",
    "odd_per_100",
    "echo_share",
    "ctx_mix_05",
    "ctx_mix_15",
    "ctx_mix_30",
    "ctx_top3",
    "ctx_odd_per_100",
    "word_mix_05",
    "word_mix_15",
    "word_mix_30",
    "word_top3",
    "word_odd_per_100",
)

# A content word with its offsets and its row of per-word features (words.WORD_FEATURES).
WordRow = tuple[int, int, list[float]]


def _capital_run(text: str, start: int, end: int) -> bool:
    """Whether the word at [start, end) touches another capitalised word (part of a name)."""
    before = text[max(0, start - 30) : start].split()
    after = text[end : end + 30].split()
    near = ([before[-1]] if before else []) + ([after[0]] if after else [])
    return any(w[:1].isupper() and w.strip(".,;:").isalpha() for w in near)


def _sentence_initial(text: str, starts: tuple[int, ...]) -> set[int]:
    """Start offsets of the first word of each sentence (a capital there is not a name)."""
    out: set[int] = set()
    k = 0
    for s, _ in sentence_spans(text):
        while k < len(starts) and starts[k] < s:
            k += 1
        if k < len(starts):
            out.add(starts[k])
    return out


def context_llr(
    cands: list[Candidate], word: str, z: float, context: tuple[str | None, str | None], bg: Bigrams
) -> float:
    """The per-word likelihood ratio of :func:`spun_mass` with the neighbours taken into
    account: each headword's prior and the word's own frequency are both re-weighed by how well
    they fit between the neighbours (``focal`` in "the focal bank" against ``central``)."""
    single = [c for c in cands if " " not in c.word]
    return _context_llr(
        single, bg.sides_each([c.word for c in single], *context), z, bg.fit(word, *context)
    )


def _context_llr(
    cands: list[Candidate], sides: list[tuple[float, float]], z: float, own_fit: float
) -> float:
    """:func:`context_llr` from fits already known (``sides``: each candidate's
    :meth:`Bigrams.sides`; ``own_fit``: the word's own :meth:`Bigrams.fit`)."""
    return _ratio_of_powers(
        [
            c.score + CONTEXT_WEIGHT * (left + right)
            for c, (left, right) in zip(cands, sides, strict=True)
        ],
        z,
        own_fit,
    )


def _ratio_of_powers(powers: list[float], z: float, own_fit: float) -> float:
    """:func:`_context_llr` from each candidate's exponent ``score + CONTEXT_WEIGHT * fit``."""
    total = sum(10.0**p for p in powers)
    if total <= 0:
        return -math.inf
    return math.log10(total) - z - CONTEXT_WEIGHT * own_fit


def spun_mass(cands: list[Candidate]) -> float:
    """log10 of ``sum_h P(h) / |syn(h)|`` over single-word headwords: how often a spinner
    writes this word (``-inf`` when no headword lists it)."""
    total = sum(10.0**c.score for c in cands if " " not in c.word)
    return math.log10(total) if total > 0 else -math.inf


def mixture_llr(llrs: list[float], n_plain: int, rate: float) -> float:
    """log10 P(words | a share ``rate`` spun) / P(words | none spun).

    ``llrs`` are the per-word log10 ratios P(w | spun) / P(w | written); ``n_plain`` words no
    headword lists contribute ``log10(1 - rate)`` each.
    """
    keep = math.log10(1.0 - rate)
    total = n_plain * keep
    for llr in llrs:
        total += math.log10((1.0 - rate) + rate * 10.0 ** min(llr, _LLR_CAP))
    return total


def _ratio_features(
    llrs: list[float], n_plain: int, n_content: int, mix: str, top3: str, odd: str
) -> dict[str, float]:
    """The length-aware features of one kind of per-word likelihood ratio: mixture ratios
    (named ``mix`` with the rate in percent), the mean of the three largest, odd words per 100
    content words."""
    out = {mix.format(round(r * 100)): mixture_llr(llrs, n_plain, r) for r in _MIX_RATES}
    top = sorted(llrs, reverse=True)[:3]
    top += [-_LLR_CAP] * (3 - len(top))
    out[top3] = max(sum(min(v, _LLR_CAP) for v in top) / 3.0, -_LLR_CAP)
    out[odd] = 100.0 * sum(v >= _ODD for v in llrs) / max(n_content, 1)
    return out


def analyse(
    text: str, rt: ReverseThesaurus, kind: str = "lexical"
) -> tuple[dict[str, float], list[Evidence]]:
    """Features of ``text`` (named in :data:`FEATURE_NAMES`) and its suspicious stretches.

    ``kind`` picks the per-word model: ``"lexical"`` (core only) or ``"contextual"``, which also
    reads the transformer probe of :mod:`.contextual` (the ``embed`` extra)."""
    return analyse_each([text], rt, kind)[0]


def analyse_each(
    texts: list[str], rt: ReverseThesaurus, kind: str = "lexical", *, one_text: bool = False
) -> list[tuple[dict[str, float], list[Evidence]]]:
    """:func:`analyse` of each of ``texts`` (a long text's windows): each text is scanned on
    its own, and the per-word model (with the contextual model's transformer) reads the words
    of all of them in one pass. Its trees read each row alone, so the same numbers as one text
    at a time; the transformer's states differ by float32 rounding (the products' shapes,
    :meth:`.contextual.Encoder.word_states_each`).

    ``one_text``: the texts are windows of one text, so a span's likely originals are ranked
    with the words of the whole text (a candidate the writer uses in another window counts as
    used in the text); every feature and probability still reads its own window alone."""
    through_base = kind == "contextual"
    scans = [_scan(text, rt, through_base=through_base) for text in texts]
    if one_text and len(scans) > 1:
        pooled = frozenset().union(*(scanned.stems for scanned in scans))
        scans = [scanned._replace(stems=pooled) for scanned in scans]
    model = word_model(kind)
    rows = [r for scanned in scans for _, _, r in scanned.rows]
    logits = np.empty(0)
    if rows:
        x = np.array(rows)
        if kind == "contextual":
            from .contextual import word_logits_each

            # The heads the model reads (its columns after the lexical ones), off one pass.
            heads = model.names[len(WORD_FEATURES) :]
            asked = [
                (text, [(a, b) for a, b, _ in scanned.rows], scanned.tokens)
                for text, scanned in zip(texts, scans, strict=True)
            ]
            x = np.column_stack([x, np.concatenate(word_logits_each(asked, heads))])
        logits = model.logit(x)
    out = []
    at = 0
    for text, scanned in zip(texts, scans, strict=True):
        mine = logits[at : at + len(scanned.rows)]
        at += len(scanned.rows)
        out.append(_read_by_word_model(text, scanned, mine, model, rt))
    return out


def _read_by_word_model(
    text: str, scanned: _Scanned, logits: np.ndarray, model: TreeEnsemble, rt: ReverseThesaurus
) -> tuple[dict[str, float], list[Evidence]]:
    """:func:`analyse`'s answer for ``text`` from its scan and the per-word model's log-odds
    of its rows."""
    llrs: list[float] = []
    if scanned.rows:
        llrs = model.llr_of(logits).tolist()
        spans = [(a, b) for a, b, _ in scanned.rows]
        probs = 1.0 / (1.0 + np.exp(-logits))
        evidence = model_evidence(
            text,
            scanned.evidence,
            scanned.tokens,
            scanned.stems,
            spans,
            probs,
            rt,
            scanned.pending,
        )
    else:
        evidence = scanned.suggested()
    words = _ratio_features(
        llrs, scanned.n_plain, scanned.n_content, "word_mix_{:02d}", "word_top3", "word_odd_per_100"
    )
    # Not a model input: how many words the probability rests on (reported with it).
    counts = {"content_words": float(scanned.n_content)}
    return {**scanned.features, **words, **counts}, evidence


def word_rows(text: str, rt: ReverseThesaurus, kind: str = "lexical") -> list[WordRow]:
    """The content words the per-word model of ``kind`` reads, with their feature rows (for
    training)."""
    return _scan(text, rt, through_base=kind == "contextual").rows


class _Scanned(NamedTuple):
    """What one pass over a text finds before the per-word model runs."""

    features: dict[str, float]  # the hand-built ones
    # The spans, without suggestions where they come from ranking candidates (``pending``).
    evidence: list[Evidence]
    rows: list[WordRow]
    n_plain: int  # content words no headword lists
    n_content: int
    tokens: Tokens
    stems: frozenset[str]
    # Each such span's (start, end) -> its candidates and neighbours, ranked only for the
    # spans the per-word model keeps (:func:`.evidence.model_evidence`).
    pending: dict[tuple[int, int], ToRank]

    def suggested(self) -> list[Evidence]:
        """:attr:`evidence` with every span's suggestions, as the scan alone gives them."""
        return with_suggestions(self.evidence, self.pending, self.stems)[0]


class _WordSpot(NamedTuple):
    """A content word whose row the per-word model reads, as the scan's first pass leaves it:
    everything but the fits with its neighbours, which are looked up for all words at once."""

    start: int
    end: int
    word: str
    capital: bool
    zipf: float
    cands: list[Candidate]
    heads: np.ndarray | None  # the candidates' headword indices (ReverseThesaurus.indices_of)
    n_lists: int
    context: tuple[str | None, str | None]
    llr: float
    echo: bool
    repeats: int
    # Where its context ratio goes in the list of them (None: inside a phrase swap, which
    # has its own ratio there).
    ratio_at: int | None


# Each word's detection candidates (its best :data:`_DETECT_KEEP` by prior, single words), the
# number of Moby lists that hold it, their spun mass and headword indices, per reverse
# thesaurus and per reading of inflected forms (through their base form or not): the same for
# every occurrence, so made once (a server meets an open vocabulary: at most this many kept).
_Detected = tuple[list[Candidate], int, float, np.ndarray | None]
_DETECTED: weakref.WeakKeyDictionary[
    ReverseThesaurus, tuple[dict[str, _Detected], dict[str, _Detected]]
] = weakref.WeakKeyDictionary()
_DETECTED_KEPT = 100_000


def _detected(rt: ReverseThesaurus, word: str, through_base: bool) -> _Detected:
    """A word's entry of :data:`_DETECTED` (the candidates are shared: read, never changed).

    ``through_base``: an inflected form no Moby list holds ("intellects", "glorifies"), what a
    spinner that looks words up in their base form and inflects its pick writes, is read
    through its base form's list ("intellect" -> "mind" -> "minds"). The contextual model
    reads them so (its probe tells an odd form in its sentence from a writer's); to the
    lexical one they are mostly noise on unspun text (docs/benchmarks.md 17.8)."""
    every = _listed(rt, word, through_base)
    cands = [c for c in every[:_DETECT_KEEP] if " " not in c.word]
    mass = spun_mass(cands) if cands else -math.inf
    return cands, len(every), mass, rt.indices_of(cands)


def _listed(rt: ReverseThesaurus, word: str, through_base: bool) -> list[Candidate]:
    """The headwords that list ``word``; with ``through_base``, for a form no list holds, the
    headwords its base form is listed under (see :func:`_detected`)."""
    every = rt.candidates(word)
    if not every and through_base:
        every = rt.candidates_through_base(word)
    return every


def _in_a_name(text: str, tokens: Tokens, i: int, j: int, firsts: set[int]) -> bool:
    """Whether words ``i..j`` hold a capital other than a sentence's first letter."""
    return any(
        text[tokens.starts[k]].isupper() and (k > i or tokens.starts[k] not in firsts)
        for k in range(i, j + 1)
    )


def _inner_spot(
    text: str,
    tokens: Tokens,
    i: int,
    detected: dict[str, _Detected],
    rt: ReverseThesaurus,
    stems: frozenset[str],
    stem_counts: Counter[str],
    through_base: bool,
) -> _WordSpot | None:
    """The per-word model's spot for word ``i`` inside a phrase swap (None: no headword lists
    it). The hand-built features count the phrase once, so the spot adds no ratio of its own
    to them (:attr:`_WordSpot.ratio_at` is None)."""
    start, end = tokens.starts[i], tokens.ends[i]
    raw = text[start:end]
    lower = raw.lower()
    seen = detected.get(lower)
    if seen is None:
        seen = detected[lower] = _detected(rt, lower, through_base)
    if not seen[0]:
        return None
    context = neighbours(text, tokens, i, i)
    return _word_spot(text, tokens, i, seen, zipf(lower), context, stems, stem_counts, None)


def _word_spot(
    text: str,
    tokens: Tokens,
    i: int,
    seen: _Detected,
    z: float,
    context: tuple[str | None, str | None],
    stems: frozenset[str],
    stem_counts: Counter[str],
    ratio_at: int | None,
) -> _WordSpot:
    """The spot of word ``i``, whose :func:`_detected` entry is ``seen`` (with candidates),
    whose Zipf frequency is ``z`` and whose neighbours are ``context``."""
    start, end = tokens.starts[i], tokens.ends[i]
    raw = text[start:end]
    lower = raw.lower()
    cands, n_lists, mass, index = seen
    return _WordSpot(
        start,
        end,
        lower,
        raw[0].isupper(),
        z,
        cands,
        index,
        n_lists,
        context,
        mass - z,
        any((c.stem or stem(c.word)) in stems for c in cands[:3]),
        stem_counts[stem(lower)] - 1,
        ratio_at,
    )


def _a_word_here(
    raw: str, norm: str, text: str, end: int, counts: Counter[str], rt: ReverseThesaurus
) -> bool:
    """What the text around a rare letters-only token says against its being a typo: the stem
    of a contraction ("wasn" of "wasn't"), a word Moby offers as a synonym ("vend", "heave",
    which a thesaurus spinner puts in), or a token written twice the same way ("Beghin" three
    times in a story: a name; a spinner's typos fall at random)."""
    if not raw.isalpha():
        return False  # digits inside a word are judged by noise_fix alone
    return _contraction_stem(text, end) or counts[norm] > 1 or rt.lists(raw.lower())


def _contraction_stem(text: str, end: int) -> bool:
    """The token ending at ``end`` is followed by an apostrophe and a lone "t", whatever the
    apostrophe became on the way ("wasn't", "wasn\u2019t", "wouldn\ufffdt" of a cp1252 file
    read as UTF-8, "wasn\x19t" of an old conversion)."""
    mark, t, after = text[end : end + 1], text[end + 1 : end + 2], text[end + 2 : end + 3]
    apostrophe = bool(mark) and not mark.isalnum() and not mark.isspace()
    return apostrophe and t in ("t", "T") and not after.isalpha()


def _scan(text: str, rt: ReverseThesaurus, through_base: bool = False) -> _Scanned:
    """Everything but the per-word model's features (``through_base``: see :func:`_detected`).

    Two passes: the first walks the words (phrase swaps, frequencies, candidate lists), the
    second reads every fit with the neighbours that the first asked for from one lookup over
    the whole text (:meth:`.Bigrams.sides_of_spots`, :func:`top_originals_each`), the same
    numbers as one word at a time."""
    tokens = tokenize(text)
    # The frequencies of the words not met before, in one query instead of one each (about
    # 300 on a new 1,000-word article: 20 us a query, 5 us a word in one); the same numbers.
    look_up(map(text.__getitem__, map(slice, tokens.starts, tokens.ends)))
    bg = bigrams()
    firsts = _sentence_initial(text, tokens.starts)
    # Stems of the text's own words: a likely original that the writer uses elsewhere in the
    # same text is context that a swap happened here ("prices ... the toll of wheat").
    stem_counts = Counter(stem(w) for w in tokens.norms if w not in STOPWORDS)
    stems = frozenset(stem_counts)
    norm_counts = Counter(tokens.norms)
    spots: list[_WordSpot] = []
    # Each span as (start, end, reason, weight) and, where it suggests likely originals, the
    # candidates and neighbours they are ranked from (after the first pass).
    found: list[tuple[int, int, str, float]] = []
    to_rank: dict[int, ToRank] = {}
    noise: dict[int, tuple[str, ...]] = {}
    n_content = n_rare = n_swap = n_phrase = n_noise = n_plain = echoes = 0
    sum_zipf = sum_gain = 0.0
    llrs: list[float] = []
    ctx_llrs: list[float] = []
    taken_until = -1
    n = len(tokens)
    detected = _DETECTED.setdefault(rt, ({}, {}))[through_base]
    if len(detected) > _DETECTED_KEPT:
        detected.clear()
    for i in range(n):
        start, end = tokens.starts[i], tokens.ends[i]
        raw = text[start:end]
        lower = raw.lower()
        alpha = raw.isalpha()
        # A word Moby lists is no typo whatever noise_fix says (_a_word_here): not asked. Most
        # rare words of a spun text are such synonyms, and asking costs a rare word a lookup
        # of its few hundred one-typo neighbours.
        fix = None if alpha and rt.lists(lower) else noise_fix(raw)
        if fix is not None and _a_word_here(raw, tokens.norms[i], text, end, norm_counts, rt):
            fix = None
        if fix is not None:
            n_noise += 1
            noise[len(found)] = (fix,)
            found.append((start, end, "character_noise", 1.0))
            continue
        if not alpha or len(raw) < 2 or lower in STOPWORDS:
            continue
        if start < taken_until:
            # Inside a phrase swap: the per-word model still reads the word (a phrase put in
            # for one word, "pecuniary resources", has words of its own that give it away).
            inner = _inner_spot(text, tokens, i, detected, rt, stems, stem_counts, through_base)
            if inner is not None:
                spots.append(inner)
            continue
        n_content += 1
        # Multi-word Moby entries beginning here, longest first, that stand for one common word.
        phrase_hit = False
        for width in range(min(3, n - i) if rt.starts_phrase(tokens.norms[i]) else 1, 1, -1):
            j = i + width - 1
            phrase = " ".join(tokens.norms[i : j + 1])
            if text[tokens.ends[j - 1] : tokens.starts[j]].strip():
                continue  # punctuation between the words: not a phrase
            if _in_a_name(text, tokens, i, j, firsts):
                continue  # "Bank of England": spinners leave names alone
            cands = [c for c in rt.candidates(phrase)[:_DETECT_KEEP] if " " not in c.word]
            # How often the phrase is written, from its word pairs: wordfreq's estimate from
            # the words alone reads "give good returns" as about as common as "profit".
            phrase_zipf = bg.phrase_zipf(tokens.norms[i : j + 1])
            if cands and cands[0].zipf - phrase_zipf >= _GAIN - 0.5:
                gain = cands[0].zipf - phrase_zipf
                n_phrase += 1
                llrs.append(spun_mass(cands) - phrase_zipf)
                ctx_llrs.append(llrs[-1])
                echoes += any((c.stem or stem(c.word)) in stems for c in cands[:3])
                to_rank[len(found)] = (rt.candidates(phrase), neighbours(text, tokens, i, j))
                found.append((start, tokens.ends[j], "phrase_swap", round(min(1.0, gain / 3.0), 3)))
                taken_until = tokens.ends[j]
                phrase_hit = True
                break
        if phrase_hit:
            inner = _inner_spot(text, tokens, i, detected, rt, stems, stem_counts, through_base)
            if inner is not None:
                spots.append(inner)
            continue
        z = zipf(lower)
        sum_zipf += z
        if z < 3.0:
            n_rare += 1
        seen = detected.get(lower)
        if seen is None:
            seen = detected[lower] = _detected(rt, lower, through_base)
        cands, _, mass, _ = seen
        name = raw[0].isupper() and start not in firsts and _capital_run(text, start, end)
        context = neighbours(text, tokens, i, i)
        if cands and not name:
            # Names inside a sentence are left alone by spinners, so they carry no ratio.
            llr = mass - z
            llrs.append(llr)
            ctx_llrs.append(math.nan)  # from the fits, in the second pass
            spot = _word_spot(
                text, tokens, i, seen, z, context, stems, stem_counts, len(ctx_llrs) - 1
            )
            if llr >= _ODD:
                echoes += spot.echo
            spots.append(spot)
        else:
            n_plain += 1
        gain = max(0.0, min(4.0, cands[0].zipf - z)) if cands else 0.0
        sum_gain += gain
        if gain >= _GAIN and z < _COMMON:
            n_swap += 1
            # Suggestions from the headwords it was detected by: for a form read through its
            # base form, not its own (empty) list ("intellects" -> "minds").
            to_rank[len(found)] = (_listed(rt, lower, through_base), context)
            reason = "broken_entity" if name else "rare_synonym"
            found.append((start, end, reason, round(min(1.0, gain / 4.0), 3)))
    rows = _word_rows(spots, ctx_llrs, bg, rt)
    # Suggestions are ranked later, for the spans the per-word model keeps: it drops about
    # half of the rule's spans on a spun article, and their ranking was a fifth of the scan.
    pending = {(found[k][0], found[k][1]): spot for k, spot in to_rank.items()}
    evidence = [
        Evidence(a, b, reason, noise.get(k, ()), weight)
        for k, (a, b, reason, weight) in enumerate(found)
    ]
    denom = max(n_content, 1)
    features = {
        "mean_zipf": sum_zipf / denom,
        "rare_share": n_rare / denom,
        "mean_gain": sum_gain / denom,
        "swap_share": n_swap / denom,
        "phrase_share": n_phrase / denom,
        "noise_share": n_noise / max(n, 1),
        **_ratio_features(llrs, n_plain, n_content, "mix_llr_{:02d}", "top3_llr", "odd_per_100"),
        "echo_share": echoes / denom,
        **_ratio_features(
            ctx_llrs, n_plain, n_content, "ctx_mix_{:02d}", "ctx_top3", "ctx_odd_per_100"
        ),
    }
    return _Scanned(features, evidence, rows, n_plain, n_content, tokens, stems, pending)


def _word_rows(
    spots: list[_WordSpot], ctx_llrs: list[float], bg: Bigrams, rt: ReverseThesaurus
) -> list[WordRow]:
    """Rows of the per-word model for ``spots``, and their context ratios written into
    ``ctx_llrs``: every fit of a candidate or of the word itself with its neighbours from one
    lookup (:meth:`.Bigrams.sides_of_words`; the candidates' ids and counts by headword,
    :func:`.originals.head_table`), and the sums and maxima the rows read from them computed
    over all spots at once (elementwise, the same numbers as one spot at a time)."""
    # The candidates' headword indices, known per word from the scan's first pass.
    known = [s.heads for s in spots if s.heads is not None]
    index = np.concatenate(known) if spots and len(known) == len(spots) else None
    on_left, on_right, offsets = sides_of_candidates(
        rt, [(s.cands, *s.context) for s in spots], [(s.word, *s.context) for s in spots], index
    )
    if not spots:
        return []
    # Every spot has at least one candidate, so no group of the maxima is empty.
    n, firsts = int(offsets[len(spots)]), offsets[: len(spots)]
    both = on_left[:n] + on_right[:n]
    best = np.maximum.reduceat(both, firsts).tolist()
    best_left = np.maximum.reduceat(on_left[:n], firsts).tolist()
    best_right = np.maximum.reduceat(on_right[:n], firsts).tolist()
    # _context_llr's exponents: each candidate's prior plus its weighted fit.
    prior = np.array([c.score for s in spots for c in s.cands], dtype=float)
    powers = (prior + CONTEXT_WEIGHT * both).tolist()
    left, right, at = on_left.tolist(), on_right.tolist(), offsets.tolist()
    rows: list[WordRow] = []
    for k, s in enumerate(spots):
        own_at = at[len(spots) + k]
        own = (left[own_at], right[own_at])
        ctx_llr = _ratio_of_powers(powers[at[k] : at[k + 1]], s.zipf, own[0] + own[1])
        if s.ratio_at is not None:
            ctx_llrs[s.ratio_at] = ctx_llr
        row = word_row(
            s.word,
            s.capital,
            s.zipf,
            s.cands,
            s.n_lists,
            s.context,
            (s.llr, ctx_llr),
            s.echo,
            s.repeats,
            (own, (best[k], best_left[k], best_right[k])),
            bg,
        )
        rows.append((s.start, s.end, row))
    return rows
