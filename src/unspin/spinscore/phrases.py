"""Restoring a spun phrase word by word: which established wording a spinner's synonyms stand for.

Real spinners leave "tortured phrases" in published text ("counterfeit consciousness" for
"artificial intelligence", "kidney sickness" for "kidney disease"): each word of an established
term was swapped for a thesaurus synonym, or left alone. A restoration is therefore one option
per word (or per multi-word synonym, "sun powered" for "solar"): the word itself, or a word that
may have been swapped into it, found

* in Moby's reverse index (headwords that list the word, with their Bayes prior,
  :mod:`.index`), through the word's base form too ("calculations" -> "calculation" ->
  "algorithms" re-inflected by ``lemminflect``);
* in Moby's own list for the word (thesauri are roughly symmetric, and the reverse index keeps
  only a headword's best 128);
* among the words real spinners were seen replacing by it (``corrosive`` for ``acid``), and
  how often they left the word alone instead: word-level counts read off the tune half of the
  development tortured phrases (``scripts/train_phrase_restorer.py``). Moby is not the
  thesaurus those spinners used, and this is where their own thesaurus shows;
* with the ``spinners`` extra (:mod:`.related`), among the spun word's nearest GloVe words and
  WordNet's senses of it, and every candidate's GloVe likeness to the spun word; other
  inflections of the best candidates ("conceals" for "hidden"); and for a stretch of two or
  three spun words, one wording it may stand for ("optical maser" for "laser", and stretches
  real spinners were seen writing for a shorter or longer wording).

A fitted word model (softmax over one spun word's candidates) keeps the best
:data:`PER_WORD` of each word's candidates for the search, and whole restorations are ranked
by how well their words pair in English (``symspellpy``'s word-pair counts, :mod:`.bigrams`,
and GloVe's likeness of neighbouring content words): an established term is a frequent pair,
a word-by-word rendering is not. A linear ranker weighs these features (:class:`PhraseRanker`,
fitted by ``scripts/train_phrase_restorer.py``); the same weights drive a beam search, so the
ranking and the search agree. A second stage (:func:`rerank`) re-reads the search's best
:data:`RERANK` as wholes (is the wording a WordNet term, how far down each word's own list the
swap was, do the put-back words belong with the kept ones), and a logistic calibration
(:func:`confidence`) says how likely the best wording is right, so that ``explain`` can say
it cannot restore a phrase rather than invent one. No list of spun or intended phrases is used
or shipped: only words, word-to-word swaps and swaps of stretches of up to three words, so a
phrase never seen is restored from its parts.

>>> restore_phrase(("counterfeit", "consciousness")).wordings[0][0]
'artificial intelligence'

"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from lemminflect import getAllInflections, getAllLemmas, getInflection

from ..lemma_table import install_lemma_table
from ..lexicon import synonyms, zipf
from ..text import STOPWORDS
from . import related
from .bigrams import bigrams
from .packaged import packaged_json
from .reverse_thesaurus import reverse_thesaurus

# lemminflect reads its lemmas from unspin's cached table (lemma_table.py): a re-read span's
# first lookup costs a fiftieth of a second instead of a fifth, with the same results.
install_lemma_table()

# Features of one option (a stretch of the spun phrase and the wording put back for it), then
# those of one pair of neighbouring output words, then those of the whole restoration.
OPTION_FEATURES = (
    "kept",  # a content word left as it is
    "kept_zipf",  # how common the kept word is
    "kept_rarity",  # how much commoner than the kept word its likeliest Moby original is
    "reverse",  # Moby lists the spun word under this headword
    "reverse_prior",  # the headword's Bayes prior (:mod:`.index`) when it does
    "forward",  # the candidate is in Moby's own list for the spun word
    "base_form",  # reached through the spun word's base form (re-inflected)
    "swapped_zipf",  # how common the candidate is
    "multiword",  # a multi-word synonym of Moby's restored as one stretch
    "extra_words",  # words the candidate has beyond the stretch it replaces
    "spinner_pair",  # log(1 + times) real spinners were seen putting the word for it
    "kept_seen_spun",  # a kept word real spinners were seen writing for another: log(1 + times)
    "kept_seen_kept",  # a kept word real spinners were seen leaving alone: log(1 + times)
    # The ``spinners`` extra (:mod:`.related`; zero without it):
    "glove_cosine",  # how alike GloVe finds the spun word and the candidate
    "glove_near",  # the candidate is among the spun word's nearest GloVe words
    "wordnet",  # WordNet: 1 a shared sense, 0.5 a broader, narrower or similar one
    "inflected",  # another inflection of a candidate ("conceals" -> "hide" -> "hidden")
)
PAIR_FEATURES = (
    "pair_fit",  # log10 PMI of the two words (symspellpy's counts)
    "pair_listed",  # the pair is among the 242,342 listed English word pairs
    "pair_glove",  # GloVe cosine of two content words (terms of one field are alike)
)
PHRASE_FEATURES = ("fixed_expression",)  # Moby lists the whole restoration
FEATURES = OPTION_FEATURES + PAIR_FEATURES + PHRASE_FEATURES
# Features of a restoration among the search's best :data:`RERANK` (the second stage,
# :func:`rerank`): what the beam's sums of word and pair features cannot say.
RERANK_FEATURES = (
    "score",  # the search's score less the best one's
    "rank",  # log(1 + place) in the search's order
    "word_rank",  # sum over swapped words of log(place among that word's candidates, 1 = best)
    "wordnet_term",  # the whole wording is one WordNet lemma ("artificial intelligence")
    "glove_kept",  # GloVe likeness of a kept content word to a put-back one (one field)
    "length_change",  # words restored less words spun
)
# Restorations the second stage re-reads.
RERANK = 40
# The calibration's inputs (:func:`confidence`): log p(best) after the second stage and in the
# search's own order (softmax over the :data:`RERANK`), the second stage's margin p(best) -
# p(next), and a constant.
CALIBRATION_FEATURES = ("log_p_reranked", "log_p_search", "margin", "constant")

# Candidates per word kept for the search: the best by the word model (:class:`PhraseRanker`'s
# ``word_weights``, fitted before and apart from the phrase weights, so fitting the phrase
# weights cannot hide the intended word from itself), and restorations kept from one word to
# the next.
PER_WORD = 100
BEAM = 150
# Moby's list of a very common word is long (1,151 for "set"); its most common members are
# the likely originals, and more only slow the search.
_FORWARD_CAP = 600
# Nearest GloVe words of a spun word taken as candidates (its cosine is a feature of all).
_GLOVE_NEAR = 50
# Candidates whose other inflections are tried too (the best by the reverse prior).
_INFLECT_CAP = 64
# Longest multi-word synonym read as one stretch.
_MAX_STRETCH = 3

_RANKER = "data/phrase_restorer.json"
# A pair with a neighbour in the text counts this many times a pair inside the phrase.
NEIGHBOUR_WEIGHT = 1.0
_REVERSE = OPTION_FEATURES.index("reverse")
_PRIOR = OPTION_FEATURES.index("reverse_prior")
_SWAPPED_ZIPF = OPTION_FEATURES.index("swapped_zipf")
_SPINNER = OPTION_FEATURES.index("spinner_pair")


@dataclass(frozen=True, slots=True)
class Option:
    """One stretch ``words[start:end]`` of the spun phrase restored as ``text``."""

    start: int
    end: int
    text: str
    features: tuple[float, ...]
    # Place (1 = best) of a one-word swap among that word's candidates by the word model; 0
    # for the word kept and for stretches.
    word_rank: int = 0

    @property
    def first(self) -> str:
        return self.text.split(" ", 1)[0]

    @property
    def last(self) -> str:
        return self.text.rsplit(" ", 1)[-1]


@dataclass(frozen=True, slots=True)
class Restoration:
    """A whole restoration: its wording, its options and its feature sums (for training)."""

    text: str
    options: tuple[Option, ...]
    features: tuple[float, ...]
    score: float


@dataclass(frozen=True, slots=True)
class PhraseRanker:
    """Linear weights over :data:`FEATURES` (natural-log scores, softmax over a phrase's
    restorations)."""

    weights: tuple[float, ...]
    # Spun word -> original -> times seen (real spinners' swaps, see the training script).
    pairs: dict[str, dict[str, int]] = field(default_factory=dict)
    # Word -> times seen left alone in a phrase whose other words were swapped.
    kept: dict[str, int] = field(default_factory=dict)
    # The word model: linear weights over :data:`OPTION_FEATURES` ranking one word's candidate
    # originals (softmax over a spun word's candidates); it picks the :data:`PER_WORD` the
    # search tries. Empty: the fixed key of :func:`_prune_key`.
    word_weights: tuple[float, ...] = ()
    # The second stage (:func:`rerank`): weights over :data:`RERANK_FEATURES`; empty: the
    # search's order stands.
    rerank_weights: tuple[float, ...] = ()
    # How likely the best wording is right (:func:`confidence`): logistic weights over
    # log p(best) after the second stage, log p(best) of the search, the second stage's
    # margin p(best) - p(next), and a constant. Empty: no calibration.
    calibration: tuple[float, ...] = ()
    # The same two fitted without the ``spinners`` extra (a default install reaches other
    # candidates, and two second-stage features are zero there); empty: the ones above.
    bare_rerank_weights: tuple[float, ...] = ()
    bare_calibration: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(f"{len(self.weights)} weights for {len(FEATURES)} features")
        if self.word_weights and len(self.word_weights) != len(OPTION_FEATURES):
            raise ValueError(f"{len(self.word_weights)} word weights for {len(OPTION_FEATURES)}")
        if self.rerank_weights and len(self.rerank_weights) != len(RERANK_FEATURES):
            raise ValueError(f"{len(self.rerank_weights)} rerank weights")
        if self.calibration and len(self.calibration) != len(CALIBRATION_FEATURES):
            raise ValueError(f"{len(self.calibration)} calibration weights")

    def without_extra(self) -> PhraseRanker:
        """This ranker with the second stage and calibration fitted without the ``spinners``
        extra, where the file has them."""
        if not self.bare_rerank_weights:
            return self
        return replace(
            self, rerank_weights=self.bare_rerank_weights, calibration=self.bare_calibration
        )

    def score(self, features: tuple[float, ...] | list[float]) -> float:
        return sum(w * f for w, f in zip(self.weights, features, strict=False))

    def to_dict(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.weights, strict=True))

    def word_score(self, features: tuple[float, ...]) -> float:
        """The word model's score of one candidate (:func:`_prune_key` without a word model)."""
        if not self.word_weights:
            return _prune_key(features)
        return sum(w * f for w, f in zip(self.word_weights, features, strict=True))

    @classmethod
    def from_dict(
        cls,
        weights: dict[str, float],
        pairs: dict[str, dict[str, int]] | None = None,
        kept: dict[str, int] | None = None,
        word_weights: dict[str, float] | None = None,
        rerank_weights: dict[str, float] | None = None,
        calibration: dict[str, float] | None = None,
        bare: dict[str, dict[str, float]] | None = None,
    ) -> PhraseRanker:
        def read(found: dict[str, float] | None, names: tuple[str, ...]) -> tuple[float, ...]:
            return tuple(float(found[name]) for name in names) if found else ()

        bare = bare or {}
        return cls(
            tuple(float(weights[name]) for name in FEATURES),
            pairs or {},
            kept or {},
            read(word_weights, OPTION_FEATURES),
            read(rerank_weights, RERANK_FEATURES),
            read(calibration, CALIBRATION_FEATURES),
            read(bare.get("rerank_weights"), RERANK_FEATURES),
            read(bare.get("calibration"), CALIBRATION_FEATURES),
        )


@lru_cache(maxsize=1)
def phrase_ranker() -> PhraseRanker:
    """The shipped weights (``unspin/data/phrase_restorer.json``)."""
    return packaged_json(
        _RANKER,
        "phrase restorer",
        "scripts/train_phrase_restorer.py",
        lambda data: PhraseRanker.from_dict(
            data["weights"],
            data.get("pairs"),
            data.get("kept"),
            data.get("word_weights"),
            data.get("rerank_weights"),
            data.get("calibration"),
            data.get("without_extra"),
        ),
    )


@lru_cache(maxsize=4096)
def _base_forms(word: str) -> tuple[str, ...]:
    forms: list[str] = []
    for found in getAllLemmas(word).values():
        forms += [f for f in found if f != word and f not in forms]
    return tuple(forms)


def _plural(word: str) -> str:
    found = getInflection(word, "NNS")
    return found[0] if found else word + "s"


@lru_cache(maxsize=4096)
def _tags(word: str) -> tuple[str, ...]:
    """The Penn tags ``word`` can carry as an inflection of its base forms ("conceals": VBZ)."""
    tags: list[str] = []
    for upos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            for tag, forms in getAllInflections(lemma, upos).items():
                if word in forms and tag not in tags:
                    tags.append(tag)
    return tuple(tags)


def _inflected_like(candidate: str, tags: tuple[str, ...]) -> list[str]:
    """``candidate`` (a base form) inflected to each of ``tags`` (a phrase by its last word)."""
    head, _, last = candidate.rpartition(" ")
    out: list[str] = []
    for tag in tags:
        for form in getInflection(last, tag)[:1]:
            text = f"{head} {form}" if head else form
            if text not in out:
                out.append(text)
    return out


@lru_cache(maxsize=4096)
def _inflections(word: str) -> tuple[str, ...]:
    """Every other inflection of every base form of ``word`` ("hide" -> "hidden", "hides")."""
    forms: list[str] = []
    for lemmas in getAllLemmas(word).values():
        for lemma in lemmas:
            for found in getAllInflections(lemma).values():
                forms += [f for f in found if f != word and f not in forms]
    return tuple(forms)


def matched_form(candidate: str, word: str) -> str:
    """``candidate`` in the inflection the spun ``word`` has, where it has none of ``word``'s
    (a spinner keeps the inflection it replaces: "expressed" for "stated", so "state" reads
    "stated"; "arranger" for "composer", so "composers" reads "composer"); otherwise, and where
    lemminflect's dictionary has no such form of it, ``candidate`` as it is.

    >>> matched_form("state", "expressed"), matched_form("composers", "arranger")
    ('stated', 'composer')
    >>> matched_form("old", "seasoned"), matched_form("kept", "held")
    ('old', 'kept')
    """
    tags, own = _tags(word), _tags(candidate)
    if not tags or not own or set(tags) & set(own) or " " in candidate:
        return candidate
    for upos, lemmas in getAllLemmas(candidate).items():
        for lemma in lemmas:
            forms = getAllInflections(lemma, upos)
            for tag in tags:
                if forms.get(tag):
                    return str(forms[tag][0])
    return candidate


def other_forms(word: str) -> frozenset[str]:
    """The other inflections of ``word`` and its base forms ("exchanging": "exchange",
    "exchanged", "exchanges"): the same word to a reader, never a likely original of it."""
    return frozenset(_inflections(word) + _base_forms(word))


@lru_cache(maxsize=4096)
def moby_options(word: str, extra: bool = True) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """Every candidate original of one spun ``word`` with its option features (the word itself
    first): Moby both ways, through the word's base forms too (re-inflected), and with the
    ``spinners`` extra GloVe's nearest words and WordNet's related senses; other inflections
    of the best candidates join them. Function words are only ever kept: spinners leave them
    alone. ``extra=False`` leaves GloVe and WordNet out even where they are installed (span
    suggestions: reading WordNet costs seconds once a process, :mod:`.originals`); their
    features are then zero, as without the extra."""
    found: dict[str, list[float]] = {}

    def add(text: str, **values: float) -> None:
        if text != word and not all(p.isalpha() for p in text.split()):
            return  # the word itself stays whatever it is (a number, a code)
        row = found.setdefault(text, [0.0] * len(OPTION_FEATURES))
        for name, value in values.items():
            k = OPTION_FEATURES.index(name)
            row[k] = max(row[k], value) if row[k] else value

    add(word, kept=1.0, kept_zipf=zipf(word))
    if word in STOPWORDS or not word.isalpha():
        return ((word, tuple(found[word])),)
    rt = reverse_thesaurus()
    reverse = rt.candidates(word)
    for c in reverse:
        add(c.word, reverse=1.0, reverse_prior=c.score)
    forward = [s for s in synonyms(word) if s.isalpha()]
    for s in sorted(forward, key=lambda s: -zipf(s))[:_FORWARD_CAP]:
        add(s, forward=1.0)
    tags = _tags(word)
    bases = _base_forms(word)
    for base in bases:
        add(base, base_form=1.0)
        for c in rt.candidates(base)[:64]:
            for text in _inflected_like(c.word, tags) or [c.word]:
                add(text, base_form=1.0, reverse_prior=c.score)
    for text, _ in related.glove_neighbours(word, _GLOVE_NEAR) if extra else ():
        if text not in STOPWORDS:
            add(text, glove_near=1.0)
    for lemma in (word, *bases) if extra else ():
        for text, strength in related.wordnet_related(lemma).items():
            for form in ([text] if lemma == word else _inflected_like(text, tags)) or [text]:
                add(form, wordnet=strength)
    # Spinners also change a word's inflection ("hidden" -> "conceals"): the best candidates'
    # other inflections are candidates too.
    best = [c.word for c in reverse[:_INFLECT_CAP] if " " not in c.word]
    for text in best + [t for t, row in found.items() if row[OPTION_FEATURES.index("wordnet")]]:
        if " " not in text:
            for form in _inflections(text):
                if form not in found:
                    add(form, inflected=1.0)
    # A rare word standing where Moby lists a far commoner one is what a thesaurus spinner
    # leaves (the spin score's own evidence); a word as common as its originals looks unswapped.
    commonest = max((c.zipf for c in reverse[:10]), default=0.0)
    found[word][OPTION_FEATURES.index("kept_rarity")] = max(commonest - zipf(word), 0.0)
    out = [(word, tuple(found.pop(word)))]
    for text, row in found.items():
        row[OPTION_FEATURES.index("swapped_zipf")] = zipf(text)
        row[OPTION_FEATURES.index("extra_words")] = float(text.count(" "))
        if extra:
            row[OPTION_FEATURES.index("glove_cosine")] = related.glove_cosine(word, text)
        out.append((text, tuple(row)))
    return tuple(out)


def word_options(
    word: str, pairs: dict[str, dict[str, int]], kept: dict[str, int], extra: bool = True
) -> list[tuple[str, tuple[float, ...]]]:
    """:func:`moby_options` of ``word`` (the word itself first) with the originals real
    spinners were seen replacing by it (``pairs``) added or marked, and the kept word marked
    with how often spinners were seen writing it for another word or leaving it (``kept``);
    ``extra`` as in :func:`moby_options`."""
    seen = dict(pairs.get(word, {}))
    plural = word.endswith("s")
    for base in _base_forms(word):  # "ambushes" after "ambush" was seen for "attack"
        for text, count in pairs.get(base, {}).items():
            text = _plural(text) if plural and " " not in text else text
            seen[text] = max(seen.get(text, 0), count)
    own, *rest = moby_options(word, extra)
    spun, left = sum(seen.values()), kept.get(word, 0)
    if spun or left:
        marked = list(own[1])
        marked[OPTION_FEATURES.index("kept_seen_spun")] = math.log1p(spun)
        marked[OPTION_FEATURES.index("kept_seen_kept")] = math.log1p(left)
        own = (own[0], tuple(marked))
    if not seen:
        return [own, *rest]
    k = OPTION_FEATURES.index("spinner_pair")
    out = [own]
    for text, row in rest:
        count = seen.get(text, 0)
        out.append((text, row if not count else (*row[:k], math.log1p(count), *row[k + 1 :])))
    have = {text for text, _ in out}
    for text, count in seen.items():
        if text not in have and all(p.isalpha() for p in text.split()):
            added = [0.0] * len(OPTION_FEATURES)
            added[k] = math.log1p(count)
            added[_SWAPPED_ZIPF] = zipf(text)
            added[OPTION_FEATURES.index("extra_words")] = float(text.count(" "))
            if extra:
                added[OPTION_FEATURES.index("glove_cosine")] = related.glove_cosine(word, text)
            out.append((text, tuple(added)))
    return out


def _prune_key(features: tuple[float, ...]) -> float:
    """The reverse-thesaurus prior, or for a candidate only Moby's own list gives, its
    frequency less the prior's typical list cost; a swap real spinners make always stays."""
    if features[_SPINNER]:
        return 99.0
    if features[_REVERSE]:
        return features[_PRIOR]
    return features[_SWAPPED_ZIPF] - 3.0


def stretch_options(
    stretch: str, pairs: dict[str, dict[str, int]]
) -> list[tuple[str, tuple[float, ...]]]:
    """Wordings that several spun words may stand for as one ("optical maser" for "laser",
    "casting a ballot" for "voting"): Moby phrases listing the stretch, WordNet's senses of it
    (the ``spinners`` extra) and the stretches real spinners were seen writing for others."""
    found: dict[str, list[float]] = {}
    n = stretch.count(" ") + 1

    def add(text: str, **values: float) -> None:
        if text == stretch or not all(p.isalpha() for p in text.split()):
            return
        row = found.setdefault(text, [0.0] * len(OPTION_FEATURES))
        for name, value in values.items():
            k = OPTION_FEATURES.index(name)
            row[k] = max(row[k], value)

    rt = reverse_thesaurus()
    if stretch in rt:
        for c in rt.candidates(stretch)[:20]:
            add(c.word, reverse=1.0, reverse_prior=c.score)
    for text, strength in related.wordnet_related(stretch).items():
        add(text, wordnet=strength)
    for text, count in pairs.get(stretch, {}).items():
        add(text, spinner_pair=math.log1p(count))
    out = []
    for text, row in found.items():
        row[OPTION_FEATURES.index("multiword")] = 1.0
        row[_SWAPPED_ZIPF] = zipf(text)
        row[OPTION_FEATURES.index("extra_words")] = float(max(text.count(" ") + 1 - n, 0))
        row[OPTION_FEATURES.index("glove_cosine")] = related.glove_cosine(stretch, text)
        out.append((text, tuple(row)))
    return out


def _options(words: tuple[str, ...], ranker: PhraseRanker) -> list[list[Option]]:
    """Options starting at each position, best :data:`PER_WORD` single-word ones by the word
    model (the word itself always among them), then multi-word synonyms."""
    pairs, kept = ranker.pairs, ranker.kept
    out: list[list[Option]] = []
    for i, word in enumerate(words):
        own = [Option(i, i + 1, t, f) for t, f in word_options(word, pairs, kept)]
        ordered = sorted(own[1:], key=lambda o: -ranker.word_score(o.features))
        best = [replace(o, word_rank=k) for k, o in enumerate(ordered[: PER_WORD - 1], 1)]
        here = [own[0], *best]
        for n in range(2, _MAX_STRETCH + 1):
            if i + n <= len(words):
                stretch = " ".join(words[i : i + n])
                here += [Option(i, i + n, t, f) for t, f in stretch_options(stretch, pairs)]
        out.append(here)
    return out


@lru_cache(maxsize=65536)
def _pair_features(a: str, b: str) -> tuple[float, ...]:
    bg = bigrams()
    alike = 0.0 if a in STOPWORDS or b in STOPWORDS else related.glove_cosine(a, b)
    return bg.left_fit(a, b), float((a, b) in bg), alike


def _pair_gain(weights: tuple[float, ...], a: str, b: str) -> float:
    return sum(w * f for w, f in zip(weights, _pair_features(a, b), strict=True))


def restorations(
    words: tuple[str, ...],
    ranker: PhraseRanker | None = None,
    *,
    within: tuple[str, ...] | None = None,
    around: tuple[str | None, str | None] = (None, None),
) -> list[Restoration]:
    """Restorations of the spun ``words``, best first (a beam search under ``ranker``'s
    weights, the shipped ones by default). ``within``: only restorations whose words start
    with these (the training script's forced path to the intended wording). ``around``: the
    words before and after the phrase in its text, which the restoration should pair with
    too (scored like the pairs inside it; not part of :attr:`Restoration.features`)."""
    ranker = ranker or phrase_ranker()
    n_opt, n_pair = len(OPTION_FEATURES), len(PAIR_FEATURES)
    pair_w = ranker.weights[n_opt : n_opt + n_pair]
    options = _options(words, ranker)
    # Each option's own score and words, once (the beam meets each option BEAM times), and
    # each pair's gain once per search.
    scored = [[(o, tuple(o.text.split()), ranker.score(o.features)) for o in at] for at in options]
    pair_gains: dict[tuple[str, str], float] = {}

    def pair_gain(a: str, b: str) -> float:
        found = pair_gains.get((a, b))
        if found is None:
            found = pair_gains[a, b] = _pair_gain(pair_w, a, b)
        return found

    # Beams by the position they reached: (output words, options, score).
    Beam = tuple[tuple[str, ...], tuple[Option, ...], float]
    beams: list[list[Beam]] = [[] for _ in range(len(words) + 1)]
    left, right = around
    beams[0] = [((left,) if left else (), (), 0.0)]
    for i in range(len(words)):
        beams[i].sort(key=lambda b: -b[2])
        for out, used, score in beams[i][:BEAM]:
            done = out[1:] if left else out
            for o, new, gain in scored[i]:
                if within is not None and (*done, *new) != within[: len(done) + len(new)]:
                    continue
                if out:
                    gain += pair_gain(out[-1], new[0]) * (
                        NEIGHBOUR_WEIGHT if len(out) == 1 and left else 1.0
                    )
                beams[o.end].append(((*out, *new), (*used, o), score + gain))
    final = sorted(beams[len(words)], key=lambda b: -b[2])[:BEAM]
    if left:
        final = [(out[1:], used, score) for out, used, score in final]
    if within is not None:
        final = [b for b in final if b[0] == within]
    best: dict[str, Restoration] = {}
    for out, used, _ in final:
        text = " ".join(out)
        feats = restoration_features(out, used)
        own = ranker.score(feats)
        for x, y in ((left, out[0]), (out[-1], right)):
            if x and y:
                own += _pair_gain(pair_w, x, y) * NEIGHBOUR_WEIGHT
        r = Restoration(text, used, tuple(feats), own)
        if text not in best or best[text].score < r.score:
            best[text] = r
    return sorted(best.values(), key=lambda r: -r.score)


def restoration_features(out: tuple[str, ...], used: tuple[Option, ...]) -> list[float]:
    """:data:`FEATURES` of the restoration whose words are ``out``, put back by the options
    ``used``: the options' features, the pairs' inside it, and whether Moby lists it whole."""
    n_opt, n_pair = len(OPTION_FEATURES), len(PAIR_FEATURES)
    feats = [0.0] * len(FEATURES)
    for o in used:
        for k, v in enumerate(o.features):
            feats[k] += v
    for a, b in itertools.pairwise(out):
        for k, v in enumerate(_pair_features(a, b)):
            feats[n_opt + k] += v
    feats[n_opt + n_pair] = float(len(out) > 1 and " ".join(out) in reverse_thesaurus())
    return feats


def rerank_features(words: tuple[str, ...], found: list[Restoration]) -> list[tuple[float, ...]]:
    """:data:`RERANK_FEATURES` of each of ``found`` (the search's restorations of ``words``
    other than the phrase itself, best first)."""
    if not found:
        return []
    top, spun = found[0].score, set(words)
    out: list[tuple[float, ...]] = []
    for place, r in enumerate(found):
        texts = r.text.split()
        kept = [w for w in texts if w in spun and w not in STOPWORDS]
        new = [w for w in texts if w not in spun and w not in STOPWORDS]
        out.append(
            (
                r.score - top,
                math.log1p(place),
                sum(math.log(o.word_rank) for o in r.options if o.word_rank),
                float(related.wordnet_term(r.text)),
                max((related.glove_cosine(a, b) for a in kept for b in new), default=0.0),
                float(len(texts) - len(words)),
            )
        )
    return out


def rerank(
    words: tuple[str, ...], found: list[Restoration], ranker: PhraseRanker
) -> list[tuple[str, float]]:
    """The best :data:`RERANK` of ``found`` (restorations of ``words`` other than the phrase
    itself, best first) re-scored by the second stage as ``(wording, natural-log score)``,
    best first. The beam adds up features of words and neighbouring pairs; whether the whole
    wording is an established term (WordNet), how far down each swapped word's own list its
    candidate was, and whether the put-back words belong with the kept ones are read here."""
    found = found[:RERANK]
    if not ranker.rerank_weights:
        return [(r.text, r.score) for r in found]
    feats = rerank_features(words, found)
    scored = [
        (r.text, sum(w * x for w, x in zip(ranker.rerank_weights, f, strict=True)))
        for r, f in zip(found, feats, strict=True)
    ]
    return sorted(scored, key=lambda kv: -kv[1])


def confidence(searched: list[float], reranked: list[float], ranker: PhraseRanker) -> float | None:
    """How likely the best wording after :func:`rerank` is the intended one (a logistic fit on
    the tune phrases, each ranked with the other fold's swaps), from the natural-log scores of
    the search (``searched``) and of the second stage (``reranked``), both best first; None
    without a calibration."""
    if not ranker.calibration or not reranked:
        return None
    p_re, p_search = softmax(reranked), softmax(searched)
    margin = p_re[0] - (p_re[1] if len(p_re) > 1 else 0.0)
    x = (math.log(p_re[0] + 1e-6), math.log(p_search[0] + 1e-6), margin, 1.0)
    z = sum(w * v for w, v in zip(ranker.calibration, x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True, slots=True)
class PhraseAnswer:
    """What :func:`restore_phrase` found: wordings other than the phrase itself as
    ``(wording, natural-log score)``, best first, and how likely the first is right."""

    wordings: list[tuple[str, float]]
    confidence: float | None


def restore_phrase(
    words: tuple[str, ...], around: tuple[str | None, str | None] = (None, None)
) -> PhraseAnswer:
    """Restorations of ``words`` other than the phrase itself, searched, re-ranked by the
    second stage and with the calibrated chance that the first is right; ``around`` as in
    :func:`restorations`."""
    ranker = phrase_ranker()
    if related.missing():
        ranker = ranker.without_extra()
    joined = " ".join(words)
    found = [r for r in restorations(words, ranker, around=around) if r.text != joined]
    ranked = rerank(words, found, ranker)
    searched = [r.score for r in found[:RERANK]]
    return PhraseAnswer(ranked, confidence(searched, [s for _, s in ranked], ranker))


def load_ranker_file(path: str) -> dict[str, Any]:
    """The JSON record of a ranker file (weights and how they were fitted)."""
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def softmax(scores: list[float]) -> list[float]:
    """Natural-log scores as probabilities."""
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]
