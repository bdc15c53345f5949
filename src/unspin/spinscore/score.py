"""Is a text spun, even without its source? A calibrated probability and the spans behind it.

``score_text`` reads the lexical traces a thesaurus spinner leaves (rare words standing where
Moby lists a much more common synonym, multi-word Moby entries in place of one word, swapped
words inside names, character noise) and turns their rates into log-odds with a logistic model
(see ``docs/bench-notes/spin.md``); English word-pair counts say which words break the
collocations around them. A second text model reads the common words a neural paraphraser
prefers, and the verdict adds the two models' odds (:func:`text_probability`). ``explain`` proposes the likely original of
one phrase from the reverse thesaurus, word frequencies and, given the surrounding text, how
well each candidate pairs with the phrase's neighbours; a phrase of several words goes through
:mod:`unspin.spinscore.phrases` (each word kept or swapped back, real spinners' word swaps, a
fitted ranker). No list of spun or intended phrases is used anywhere.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

from ..errors import ConfigError
from ..text import has_invisible, sentence_spans, stem, tokenize, without_invisible
from .bigrams import bigrams
from .features import analyse, analyse_each
from .model import log_odds, packaged_model, packaged_verdict
from .originals import (
    ECHO_BONUS,
    LN10,
    head_table,
    neighbours,
    rank_originals,
    text_stems,
    word_originals,
)
from .paraphrase import paraphrase_model
from .phrases import restore_phrase
from .reverse_thesaurus import reverse_thesaurus
from .vulgar import without_vulgar
from .words import MODEL_KINDS

__all__ = [
    "MODEL_CHOICES",
    "PHRASE_FLOOR",
    "RESTORE_FLOOR",
    "SHORT_TEXT_WORDS",
    "SpinScore",
    "SpinSpan",
    "SpinWindow",
    "confident",
    "explain",
    "load_resources",
    "resolve_model",
    "restoration_note",
    "score_text",
    "spin_probability",
    "text_probability",
]

# "auto" takes the contextual model when the embed extra is installed, else the lexical one.
MODEL_CHOICES = ("auto", *MODEL_KINDS)

# A restoration whose likeliest wording has less probability than this is reported as one the
# tool cannot make (single words; a phrase of several words has its own floor below, on a
# calibrated probability when it is restored word by word, the usual case). The issue asks for
# "cannot restore" over an invented wording.
RESTORE_FLOOR = 0.2
# A phrase of several words restored word by word is stated when its likeliest wording is
# likelier right than wrong: its probability is then a calibrated chance of being right
# (spinscore/phrases.py, ``confidence``), fitted on the tune phrases, each ranked with the
# other fold's swaps (docs/benchmarks.md, 15.5).
PHRASE_FLOOR = 0.5
# The text model was calibrated on paragraphs of 60-160 words (about 30-80 content words);
# below this many content words its probability is flagged as less reliable.
SHORT_TEXT_WORDS = 30
# Span reasons whose suggestions are other wordings (character noise has its one fix already).
_RESTORABLE = frozenset({"rare_synonym", "rare_collocation", "phrase_swap", "broken_entity"})
# A span at least this heavy is strong evidence on its own (character noise weighs 1.0, a word
# the per-word model finds likelier swapped than not weighs its probability).
STRONG_SPAN = 0.6
# Beyond the ``restore`` heaviest spans, ``score_text`` re-ranks the next QUICK_SPANS times as
# many with the contextual model's quick reading only (no exact pass), of their best QUICK_KEEP
# candidates: about 18 ms CPU a span against about 50 ms. SpinBot's paragraphs have 11 spans on
# average and up to 30; their marked one-word swaps beyond the ten heaviest gained from it
# (development figures, docs/benchmarks.md 15.18).
QUICK_SPANS = 2
QUICK_KEEP = 10
# Strong spans per 100 content words from which the spans alone point to spinning, and the
# fewest that count (one odd word in a short text is not a pattern). Chosen on the tune half of
# the QuillBot originals (docs/bench-notes/spin.md): no unspun original reaches it there.
EVIDENCE_RATE = 6.0
EVIDENCE_MIN_SPANS = 3
# Under this probability the verdict reads "unlikely to be spun"; strong spans then get a note.
_LOW = 0.5
# From this share of rare content words a text's language is looked up (py3langid, 0.6 s to
# load), so English pays nothing: English news has 3-10% (newstest 2012, development), the
# demo's 60%-spun story 23%; French, Spanish and German news 45-74%, Russian, Chinese and
# Arabic 97-100%. The models judge English only: they took untouched French news for spun
# (probability 0.93-1.0, 12 spans "correcting" French words) and Chinese for 0.89.
LANGUAGE_CHECK_RARE_SHARE = 0.3
# A Latin-script text is taken for another language only at these odds: a spun text taken for
# one escapes the models entirely, and Reuters' tables of figures, more so once spun ("Shr
# corrosion 22 cts vs produce 10 cts"), read as Nigerian Pidgin at 0.53-0.58 (19 of the 3,120
# held-apart texts of docs 17.12). French, Spanish and German news reach 0.8 in 397 of the 398
# paragraphs the gate took for another language before (newstest; docs 7.6).
LANGUAGE_CHECK_LATIN_FLOOR = 0.8
# From this many words a phrase's text is read as score_text reads a text for its language.
_SENTENCE_WORDS = 8
# A longer text is judged in stretches of whole sentences of about this many words, the length
# of the paragraphs and book stretches the text models were fitted and calibrated on, and its
# probability is their mean (weighted by content words). Read whole, a long text's strongest
# words pile up: unspun web pages of over 1,200 content words passed 0.5 half the time, and
# every spinner's AUC was lower than stretch by stretch (docs/benchmarks.md 17.13).
WINDOW_WORDS = 150


@dataclass(frozen=True, slots=True)
class SpinSpan:
    """A suspicious stretch: ``text[start:end] == phrase``; up to three likely originals."""

    start: int
    end: int
    phrase: str
    reason: str
    suggestions: tuple[str, ...]
    weight: float

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "phrase": self.phrase,
            "reason": self.reason,
            "suggestions": list(self.suggestions),
            "weight": self.weight,
        }


@dataclass(frozen=True, slots=True)
class SpinWindow:
    """One stretch of a long text: ``text[start:end]`` and the probability it was given."""

    start: int
    end: int
    probability: float
    content_words: int

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "probability": round(self.probability, 4)}


@dataclass(frozen=True, slots=True)
class SpinScore:
    """Probability that a text was spun, the spans that drive it and the model's features."""

    probability: float
    spans: tuple[SpinSpan, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    model: str = "lexical"
    # The language the text reads as when it is not English: then nothing was judged.
    language: str | None = None
    # A text longer than a window: the stretches it was judged in (the probability is their
    # mean, weighted by content words); empty for a text judged whole.
    windows: tuple[SpinWindow, ...] = ()

    @property
    def strong_spans(self) -> int:
        """Spans that weigh at least :data:`STRONG_SPAN`."""
        return sum(s.weight >= STRONG_SPAN for s in self.spans)

    @property
    def evidence_rate(self) -> float:
        """Strong spans per 100 content words: what the spans alone say."""
        return 100.0 * self.strong_spans / max(self.content_words, 1)

    @property
    def note(self) -> str | None:
        """Why the probability is low although the spans carry strong evidence, or None.

        The probability comes from the text models (:func:`text_probability`); the spans are
        read word by word. When
        they disagree (probability under 0.5, at least :data:`EVIDENCE_MIN_SPANS` strong spans
        and :data:`EVIDENCE_RATE` of them per 100 content words) the report says so instead of
        letting a near-zero number stand unexplained.

        >>> SpinScore(0.02, tuple(SpinSpan(i, i + 1, "x", "rare_synonym", (), 0.9)
        ...     for i in range(4)), {"content_words": 40.0}).note is not None
        True

        Or that the text is not in English, the one language the models read.
        """
        if self.language is not None:
            return (
                f"the text reads as language '{self.language}', not English: the spin models "
                "read English only, so it was not judged (probability 0, no spans)"
            )
        if self.probability >= _LOW or self.strong_spans < EVIDENCE_MIN_SPANS:
            return None
        if self.evidence_rate < EVIDENCE_RATE:
            return None
        return (
            f"{self.strong_spans} strong spans ({self.evidence_rate:.1f} per 100 content words) "
            f"point to spinning, but the text models give {self.probability:.2f}: they are "
            "held low enough that unspun news and book prose rarely pass 0.5, and were trained "
            "on unspin's own spinners, so they can miss spinners that use other word lists; "
            "read the spans"
        )

    @property
    def content_words(self) -> int:
        """Words the score rests on: alphabetic words that are not function words (numbers
        and noisy tokens do not count)."""
        return int(self.features.get("content_words", 0))

    @property
    def short(self) -> bool:
        """Whether the text is shorter than the paragraphs the probability was calibrated on."""
        return self.content_words < SHORT_TEXT_WORDS

    def to_dict(self) -> dict[str, object]:
        return {
            "probability": round(self.probability, 4),
            "content_words": self.content_words,
            "short_text": self.short,
            "model": self.model,
            "strong_spans": self.strong_spans,
            "evidence_rate": round(self.evidence_rate, 2),
            "note": self.note,
            "language": self.language,
            "spans": [s.to_dict() for s in self.spans],
            "windows": [w.to_dict() for w in self.windows],
            "features": {k: round(v, 4) for k, v in self.features.items()},
        }


def resolve_model(model: str = "auto") -> str:
    """The model kind ``model`` names: ``"auto"`` is ``"contextual"`` when the ``embed`` extra
    is installed and ``"lexical"`` otherwise; the other names stand for themselves."""
    if model not in MODEL_CHOICES:
        raise ConfigError(f"Unknown spin model {model!r}: choose one of {', '.join(MODEL_CHOICES)}")
    if model != "auto":
        return model
    from .contextual import embed_available

    return "contextual" if embed_available() else "lexical"


def load_resources(model: str = "auto") -> None:
    """Load the reverse thesaurus, the word pairs and the models now (the first call builds
    caches: seconds), with every headword's candidate and word-pair counts made, so that
    the texts that follow pay only for their own words."""
    kind = resolve_model(model)
    rt = reverse_thesaurus()
    rt.make_all()
    bigrams().index_pairs()
    head_table(rt)
    packaged_model(kind)
    packaged_verdict(kind)
    paraphrase_model()
    if kind == "contextual":
        from .contextual import HEAD_COLUMNS, encoder, probe
        from .words import WORD_FEATURES, word_model

        rt.base_forms()  # the contextual scan reads inflected forms through them
        encoder()
        probe()
        for head in word_model(kind).names[len(WORD_FEATURES) :]:
            HEAD_COLUMNS[head]()


def score_text(text: str, model: str = "auto", *, restore: int = 0) -> SpinScore:
    """Score one text: calibrated spin probability, evidence spans and features.

    ``model``: ``"lexical"`` (word frequencies, thesaurus and word pairs), ``"contextual"``
    (also a transformer's view of each word in its sentence; the ``embed`` extra) or
    ``"auto"`` (contextual when installed). Span suggestions are ranked lexically (headword
    prior, words the text repeats, word pairs with the neighbours); with the contextual model,
    ``restore`` re-ranks those of the ``restore`` heaviest spans by how well each candidate
    reads in the span's sentence, as :func:`explain` does with a context (a quick reading
    of all 30 candidates, then the best :data:`~unspin.spinscore.restorer.SHORTLIST` read
    exactly: about 0.05-0.07 s CPU a span, so the default 0 keeps scoring fast), and those of
    the next :data:`QUICK_SPANS` times as many by the quick reading of their best
    :data:`QUICK_KEEP` (about 0.02 s a span); a candidate close to the spun word in the
    model's word pieces rises (:data:`~unspin.spinscore.restorer.LIKENESS_WEIGHT`)."""
    if isinstance(restore, bool) or not isinstance(restore, int) or restore < 0:
        raise ConfigError(f"restore must be 0 or more spans, not {restore!r}")
    if has_invisible(text):
        # Read as the words show: a zero-width space in every word hid them all from the
        # models (0 content words, probability 0.00). Spans point into the text as given.
        clean, kept = without_invisible(text)
        return _placed(score_text(clean, model, restore=restore), text, kept)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        # Accents written as combining characters (NFD) read as the composed words the
        # models know: "cafe\u0301" scored as a word of no table ("café" composed: 0.22,
        # decomposed: 0.18, robust33). Spans point into the text as given.
        composed = _composed(text)
        if composed is not None:
            clean, kept, ends = composed
            return _placed(score_text(clean, model, restore=restore), text, kept, ends)
    kind = resolve_model(model)
    stretches = windows(text)
    if len(stretches) < 2:
        features, evidence = analyse(text, reverse_thesaurus(), kind)
        language = _other_language(text, features)
        if language is not None:
            return SpinScore(0.0, (), features, kind, language)
        probability = _judged(text, features, bool(evidence), kind)
        parts: tuple[SpinWindow, ...] = ()
    else:
        # Each window read as a text of its own, the per-word model over all of them at once.
        analysed = analyse_each(
            [text[a:b] for a, b in stretches], reverse_thesaurus(), kind, one_text=True
        )
        judged = [(a, b, *found) for (a, b), found in zip(stretches, analysed, strict=True)]
        features = _pooled([part for *_, part, _ in judged])
        language = _other_language(text, features)
        if language is not None:
            return SpinScore(0.0, (), features, kind, language)
        # The paraphrase model reads the whole text in every window: its words are weighed as
        # shares of the text (TF-IDF, L2-normalised), so length does not pile its evidence up,
        # and it was fitted on whole answers, not stretches of them.
        paraphrase = paraphrase_model().probability(text)
        parts = tuple(
            SpinWindow(
                start,
                end,
                _judged(text[start:end], part, bool(found), kind, paraphrase),
                int(part["content_words"]),
            )
            for start, end, part, found in judged
        )
        weights = [max(w.content_words, 1) for w in parts]
        probability = _weighted([w.probability for w in parts], weights)
        features["thesaurus_probability"] = _weighted(
            [part["thesaurus_probability"] for *_, part, _ in judged], weights
        )
        features["paraphrase_probability"] = paraphrase
        evidence = [
            replace(e, start=e.start + start, end=e.end + start)
            for start, _, _, found in judged
            for e in found
        ]
    spans = tuple(
        SpinSpan(e.start, e.end, text[e.start : e.end], e.reason, e.suggestions, e.weight)
        for e in evidence
    )
    if restore and kind == "contextual":
        spans = _restored(text, spans, restore)
    return SpinScore(probability, spans, features, kind, windows=parts)


def _placed(
    score: SpinScore, text: str, kept: list[int], ends: list[int] | None = None
) -> SpinScore:
    """``score`` of ``text`` read without some characters (``kept``: where each character
    read stands in ``text``; ``ends``: where it ends there, when it stands for several), its
    spans and windows put back on ``text``'s offsets."""

    def at(start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return (kept[start] if start < len(kept) else len(text),) * 2
        return kept[start], (kept[end - 1] + 1 if ends is None else ends[end - 1])

    spans = []
    for s in score.spans:
        a, b = at(s.start, s.end)
        spans.append(replace(s, start=a, end=b, phrase=text[a:b]))
    parts = []
    for w in score.windows:
        a, b = at(w.start, w.end)
        parts.append(replace(w, start=a, end=b))
    return replace(score, spans=tuple(spans), windows=tuple(parts))


def _composed(text: str) -> tuple[str, list[int], list[int]] | None:
    """``text`` composed (NFC), with where each of its characters starts and ends in
    ``text``; None where composing joins characters across the runs of a base character and
    its marks (Hangul written as jamo), which this map cannot follow.

    >>> clean, starts, ends = _composed("cafe\u0301 ok")
    >>> clean, clean.index("é"), starts[3], ends[3], starts[4]
    ('café ok', 3, 3, 5, 5)
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    bases = [i for i, c in enumerate(text) if not unicodedata.combining(c)]
    if not bases or bases[0] != 0:
        bases.insert(0, 0)
    for a, b in zip(bases, [*bases[1:], len(text)], strict=True):
        run = unicodedata.normalize("NFC", text[a:b])
        out.append(run)
        starts += [a] * len(run)
        ends += [b] * len(run)
    clean = "".join(out)
    return (clean, starts, ends) if clean == unicodedata.normalize("NFC", text) else None


def windows(text: str, words: int = WINDOW_WORDS) -> list[tuple[int, int]]:
    """The stretches of whole sentences, of about ``words`` words each, that a long text is
    judged in (:data:`WINDOW_WORDS`); a short last one joins the one before. A text of one
    stretch is judged whole.

    >>> text = " ".join(f"Sentence {i} has a few words in it." for i in range(40))
    >>> [(a, b) for a, b in windows(text, 100)]
    [(0, 444), (445, 899), (900, 1389)]
    >>> windows("One short paragraph.")
    [(0, 20)]
    """
    if len(text.split()) < words + words // 2:
        return [(0, len(text))]  # one stretch whatever its sentences (most texts: no splitting)
    spans = sentence_spans(text)
    out: list[tuple[int, int]] = []
    start: int | None = None
    count = 0
    for a, b in spans:
        start = a if start is None else start
        count += len(text[a:b].split())
        if count >= words:
            out.append((start, b))
            start, count = None, 0
    if start is not None:
        if out and count < words // 2:
            out[-1] = (out[-1][0], spans[-1][1])
        else:
            out.append((start, spans[-1][1]))
    return out


def _judged(
    text: str,
    features: dict[str, float],
    evidence: bool,
    kind: str,
    paraphrase: float | None = None,
) -> float:
    """The text models' probability for ``text`` with its ``features`` (filled in with the two
    text models' own probabilities; ``paraphrase``: the paraphrase model's, when read on a
    longer text than this window)."""
    features["thesaurus_probability"] = packaged_model(kind).predict(features)
    features["paraphrase_probability"] = (
        paraphrase_model().probability(text) if paraphrase is None else paraphrase
    )
    if not features["content_words"] and not evidence:
        return 0.0  # no word a spinner could have swapped: nothing to judge
    return text_probability(features, kind)


def _pooled(parts: list[dict[str, float]]) -> dict[str, float]:
    """The features of a text judged in stretches: each the stretches' mean weighted by their
    content words, the content words their sum."""
    weights = [max(p["content_words"], 1.0) for p in parts]
    pooled = {k: _weighted([p[k] for p in parts], weights) for k in parts[0]}
    pooled["content_words"] = sum(p["content_words"] for p in parts)
    return pooled


def _weighted(values: list[float], weights: list[float] | list[int]) -> float:
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def _other_language(
    text: str, features: dict[str, float], latin_floor: float = LANGUAGE_CHECK_LATIN_FLOOR
) -> str | None:
    """The language of ``text`` when it is not English (or no language); None for English.

    >>> _other_language("Le tribunal de Lyon a prononcé mardi des peines de prison avec sursis.",
    ...                 {"rare_share": 0.5})
    'fr'
    >>> _other_language("Courts passed sentences.", {"rare_share": 0.0}) is None
    True
    """
    if features.get("rare_share", 0.0) < LANGUAGE_CHECK_RARE_SHARE:
        return None
    from ..xling.language import detect

    language = detect(text, latin_floor=latin_floor)
    return None if language in (None, "en") else language


@lru_cache(maxsize=1024)
def phrase_language(phrase: str, context: str | None = None) -> str | None:
    """The language of a phrase to restore (read in its ``context`` when given: a longer text
    tells more) when that is not English; None for English or too short to tell. The
    restorations are English words: given "Die Regierung hat gestern beschlossen" they put
    "shoe" for "hat".

    >>> phrase_language("Die Regierung hat gestern beschlossen")
    'de'
    >>> phrase_language("counterfeit consciousness") is None
    True
    """
    from ..word_frequency import zipf
    from ..xling.language import MIN_LATIN_PROBABILITY, detect, mostly_latin

    text = context or phrase
    if not any(c.isalpha() for c in text):
        return None
    if not mostly_latin(text):
        return detect(text) or "und"  # another script: not English, however short
    words = [w for w in tokenize(text.lower()).norms if w.isalpha()]
    if len(words) >= _SENTENCE_WORDS:  # as score_text gates a text
        rare_share = sum(zipf(w) < 3.0 for w in words) / len(words)
        return _other_language(text, {"rare_share": rare_share})
    # A few words tell little: most of them must be unknown to English before the language
    # is looked up (zipf < 2: "voiture", "gestern"; development figures in docs 7.6).
    unknown = sum(zipf(w) < 2.0 for w in words) / max(len(words), 1)
    if unknown < 0.5:
        return None
    # Half its words unknown to English already: py3langid's odds on a few words are lower
    # than on a text ("Die Regierung hat gestern beschlossen": 0.5-0.8), so its usual floor.
    return _other_language(text, {"rare_share": 1.0}, MIN_LATIN_PROBABILITY)


def text_probability(features: dict[str, float], model: str = "lexical") -> float:
    """The text-level verdict from the two text models' probabilities in ``features``:
    "a thesaurus spinner went over it" (``thesaurus_probability``, the logistic model over the
    thesaurus and per-word features of ``model``) and "a neural paraphraser rewrote it"
    (``paraphrase_probability``, :mod:`unspin.spinscore.paraphrase`). Their log-odds ``t`` and
    ``q`` are combined as ``odds = exp(a_t + b_t t) + exp(a_p + b_p q)``
    (:class:`~unspin.spinscore.model.Verdict`, both slopes at least 0): the verdict rises with
    each model's evidence, and neither model hides the other's (under the maximum used until
    2026-12-05, the lower model did not move the verdict at all). The four numbers ship in the
    text model's JSON, fitted by ``scripts/train_spin_verdict.py`` on spun and unspun news,
    unspun book prose and QuillBot paraphrases, with the output shifted down so that no group of
    unspun calibration text passes 0.5 too often (docs/benchmarks.md section 17.3).

    >>> low = text_probability({"thesaurus_probability": 0.2, "paraphrase_probability": 0.01})
    >>> high = text_probability({"thesaurus_probability": 0.2, "paraphrase_probability": 0.99})
    >>> 0.0 < low < high < 1.0
    True
    """
    verdict = packaged_verdict(model)
    return verdict.probability(
        log_odds(features["thesaurus_probability"]), log_odds(features["paraphrase_probability"])
    )


def _restored(text: str, spans: tuple[SpinSpan, ...], top: int) -> tuple[SpinSpan, ...]:
    """``spans`` with the suggestions of the ``top`` heaviest restorable ones re-ranked in
    their sentence by the contextual model, and those of the next :data:`QUICK_SPANS` times
    ``top`` by its quick reading of their best :data:`QUICK_KEEP` candidates."""
    from .contextual import in_parallel
    from .restorer import KEEP, LIKENESS_WEIGHT, SHORTLIST, rerank

    tokens = tokenize(text)
    first = {s: k for k, s in enumerate(tokens.starts)}
    last = {e: k for k, e in enumerate(tokens.ends)}
    stems = text_stems(text)
    chosen = sorted((s for s in spans if s.reason in _RESTORABLE), key=lambda s: -s.weight)
    work: list[tuple[SpinSpan, list[tuple[str, float]], bool]] = []
    for rank, span in enumerate(chosen[: top * (1 + QUICK_SPANS)]):
        i, j = first.get(span.start), last.get(span.end)
        if i is None or j is None:
            continue
        place = (span.start, span.end, neighbours(text, tokens, i, j))
        ranked = _lexical_originals(tokens.norms[i : j + 1], text, place, stems)
        if ranked:
            work.append((span, ranked, rank < top))
    # Spans are re-read on the cores other work leaves idle; the best SHORTLIST candidates
    # of each exactly (spinscore/restorer.py), or none beyond the top.
    reread = in_parallel(
        lambda w: rerank(
            text,
            w[0].start,
            w[0].end,
            w[1],
            SHORTLIST if w[2] else 0,
            keep=KEEP if w[2] else QUICK_KEEP,
            likeness=LIKENESS_WEIGHT,
        ),
        work,
    )
    better = {
        (span.start, span.end): tuple(w for w, _ in got[:3])
        for (span, _, _), got in zip(work, reread, strict=True)
    }
    return tuple(replace(s, suggestions=better.get((s.start, s.end), s.suggestions)) for s in spans)


def spin_probability(text: str, model: str = "auto") -> float:
    """Calibrated probability (0..1) that ``text`` went through an article spinner."""
    return score_text(text, model).probability


# Where a phrase stands in its context: character offsets and the neighbouring words.
_Place = tuple[int, int, tuple[str | None, str | None]]


def _phrase_place(words: tuple[str, ...], context: str) -> _Place | None:
    """Character offsets ``start, end`` of the first occurrence of ``words`` in ``context`` and
    the words either side of it (None if absent)."""
    tokens = tokenize(context)
    n = len(words)
    for i in range(len(tokens) - n + 1):
        if tokens.norms[i : i + n] == words:
            around = neighbours(context, tokens, i, i + n - 1)
            return tokens.starts[i], tokens.ends[i + n - 1], around
    return None


def lexical_originals(phrase: str, context: str | None = None) -> list[tuple[str, float]]:
    """Every candidate original of ``phrase`` as ``(wording, log10 score)``, best first, from
    the lexical resources alone (see :func:`explain`)."""
    words = tokenize(phrase.lower()).norms
    if not words:
        return []
    return _lexical_originals(words, context, _phrase_place(words, context) if context else None)


def _lexical_originals(
    words: tuple[str, ...],
    context: str | None,
    place: _Place | None,
    stems: frozenset[str] | None = None,
) -> list[tuple[str, float]]:
    return _lexical_answer(words, context, place, stems)[0]


def _lexical_answer(
    words: tuple[str, ...],
    context: str | None,
    place: _Place | None,
    stems: frozenset[str] | None = None,
) -> tuple[list[tuple[str, float]], float | None]:
    """:func:`lexical_originals` and, for a phrase restored word by word, the calibrated
    chance that the phrase restorer's likeliest wording is right (None otherwise)."""
    rt = reverse_thesaurus()
    if stems is None:
        stems = text_stems(context) if context else frozenset()
    around = place[2] if place is not None else None
    joined = " ".join(words)
    scored: dict[str, float] = {}
    if len(words) == 1:  # the phrase search's candidates of one word
        found = word_originals(joined, stems, around)
    else:
        found = rank_originals(rt.candidates(joined), stems, around)
    for word, score in found:
        scored[word] = max(scored.get(word, -99.0), score)
    sure = None
    if len(words) > 1 and not scored:
        # A phrase Moby lists came from one swap; otherwise each word may have been swapped.
        answer = restore_phrase(words, around or (None, None))
        for text, score in answer.wordings:
            echoed = sum(stem(w) in stems for w in text.split() if w not in words)
            scored[text] = max(scored.get(text, -99.0), score / LN10 + ECHO_BONUS * echoed)
        sure = answer.confidence
    scored.pop(joined, None)
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    # No vulgar word the phrase and its text do not use themselves (vulgar.py).
    kept = without_vulgar(ranked, stems | set(words))
    if kept[:1] != ranked[:1]:
        sure = None  # the calibrated chance is of a wording no longer shown first
    return kept, sure


def explain(
    phrase: str, k: int = 3, context: str | None = None, model: str = "auto"
) -> list[tuple[str, float]]:
    """The ``k`` likeliest original wordings of a spun ``phrase``, with probabilities.

    Candidates are Moby headwords (and their plain inflections) that list the phrase as a
    synonym, scored ``zipf(h) - 1.5 log10|syn(h)|`` (Bayes with a uniform synonym pick, see
    :mod:`unspin.spinscore.reverse_thesaurus`); a single word's are the wider ones the phrase
    search tries for a word, ranked by its word model
    (:func:`unspin.spinscore.originals.word_originals`). A phrase Moby does not list is
    restored word by word by :mod:`unspin.spinscore.phrases`: each word stays or goes back to
    a word Moby or real spinners link it to, and a fitted ranker weighs the swaps against how
    well the words pair in English (so "counterfeit consciousness" becomes "artificial intelligence" and "kidney
    sickness" keeps "kidney"). With ``context`` (the text the phrase stands in),
    candidates whose stem the context uses elsewhere rise, and so do those that form frequent
    word pairs with the phrase's neighbours there (:mod:`unspin.spinscore.bigrams`); with the
    contextual ``model`` (``"auto"`` when the ``embed`` extra is installed) the best 30 are then
    re-ranked by how well each reads in the phrase's sentence (:mod:`unspin.spinscore.restorer`).
    Scores are normalised into probabilities over the candidates considered. A phrase (or
    context) in another language gets none (:func:`phrase_language`).
    """
    words = tokenize(phrase.lower()).norms
    if not words or phrase_language(phrase, context) is not None:
        return []  # nothing to restore, or not English (:func:`phrase_language`)
    place = _phrase_place(words, context) if context else None
    ranked, sure = _lexical_answer(words, context, place)
    if not ranked:
        return []
    if context and place is not None and resolve_model(model) == "contextual":
        from .restorer import rerank

        rescored = rerank(context, place[0], place[1], ranked)
        top = max(s for _, s in rescored)
        weights = [math.exp(s - top) for _, s in rescored]
        total = sum(weights)
        return [(w, round(x / total, 4)) for (w, _), x in zip(rescored, weights, strict=True)][:k]
    total = sum(10.0**s for _, s in ranked)
    probs = [10.0**s / total for _, s in ranked[:k]]
    if sure is not None:
        probs = calibrated(probs, sure)
    return [(w, round(p, 4)) for (w, _), p in zip(ranked, probs, strict=False)]


def calibrated(probs: list[float], sure: float) -> list[float]:
    """A restored phrase's probabilities, best first, with the best one set to ``sure`` (the
    calibrated chance that it is right, :func:`unspin.spinscore.phrases.confidence`) and the
    others no higher than their share of what is left nor than the best: the softmax over the
    found wordings leaves no room for "none of these", which is where a tortured phrase's
    intended wording often is.

    >>> calibrated([0.9, 0.1], 0.3)
    [0.3, 0.1]
    """
    if not probs:
        return probs
    rest = min(1.0, (1.0 - sure) / (1.0 - probs[0])) if probs[0] < 1.0 else 0.0
    return [sure] + [min(p * rest, sure) for p in probs[1:]]


def restoration_note() -> str | None:
    """What :func:`explain` restored without, when the ``spinners`` extra is missing (it then
    falls back to Moby and the spinners' swaps alone), or None.

    >>> restoration_note() is None or "spinners" in restoration_note()
    True
    """
    from .related import missing

    gone = {"glove": "GloVe neighbours", "wordnet": "WordNet"}
    absent = [gone[name] for name in missing()]
    if not absent:
        return None
    return (
        f"note: phrases restored without {' and '.join(absent)} (fewer candidate originals); "
        "pip install 'unspin[spinners]' adds them"
    )


def confident(suggestions: list[tuple[str, float]], phrase: str | None = None) -> bool:
    """Whether :func:`explain`'s ``suggestions`` for ``phrase`` make a restoration worth
    stating: the likeliest has at least :data:`RESTORE_FLOOR` probability, or for a
    ``phrase`` of several words (whose probability is calibrated) :data:`PHRASE_FLOOR`.

    >>> confident([("artificial intelligence", 0.85)]), confident([("broad range", 0.1)])
    (True, False)
    >>> confident([("broad range", 0.3)]), confident([("broad range", 0.3)], "wide extent")
    (True, False)
    """
    floor = RESTORE_FLOOR
    if phrase is not None and len(tokenize(phrase.lower()).norms) > 1:
        floor = PHRASE_FLOOR
    return bool(suggestions) and suggestions[0][1] >= floor
