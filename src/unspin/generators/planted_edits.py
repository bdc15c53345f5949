"""A seeded generator of labelled edits, for measuring the edit labeller on real sentences.

Each case takes one real sentence and applies exactly one edit of one kind, recording the true
label and the true character ranges in the sentence (source) and in its edited copy (target).
Replacement wording comes from real resources or from the corpus itself, never from lists made up
for the test: Moby synonyms (single words for ``synonym``, multi-word phrases for
``paraphrase``), lemminflect inflections, names and nouns seen in other sentences.

How each kind is made (one random choice per case, ``random.Random(seed)``):

- ``identical``: the sentence unchanged.
- ``case_or_punctuation``: flip the case of a word's first letter, drop a comma, or turn a comma
  into a semicolon.
- ``inflection``: another lemminflect inflection of a word's lemma ("rose" -> "rises").
- ``synonym``: a single-word Moby synonym of a lower-case content word, not sharing its lemma.
- ``paraphrase``: a multi-word Moby synonym of a content word ("hurt" -> "do harm").
- ``typo``: in a lower-case word of 4+ letters, insert a digit, swap two neighbouring letters,
  double or drop a letter. Noise that happens to spell a frequent word (wordfreq Zipf >= 3) is
  re-drawn: a real-word error cannot be told from a deliberate substitution.
- ``entity_change``: a run of capitalised words inside a sentence replaced by a name run seen in
  another sentence (70%) or by "the" and a lower-case noun from another sentence (30%).
- ``number_change``: a number (not a year, not a day of a date) changed by one digit or scaled;
  a number word replaced by another.
- ``date_change``: a month or weekday name replaced by another, a year shifted by 1-5, or a day
  number next to a month changed.
- ``quote_change``: inside a quotation, a word swapped for a Moby synonym or deleted.
- ``negation``: an existing negator removed ("not", "no", "never", "-n't"), or "not" inserted
  after an auxiliary verb.
- ``insertion``: 1-3 lower-case words from another sentence inserted between two words.
- ``deletion``: 1-3 consecutive lower-case words deleted.
- ``reordering``: 2-4 consecutive lower-case words moved elsewhere in the sentence.

Edits other than ``quote_change`` avoid quotations, and edits other than ``negation`` avoid
negators, so that each case carries exactly the label it was made for.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import lemminflect

from ..edits.tokens import (
    NUMBER_WORDS,
    Tok,
    date_positions,
    is_date_word,
    is_negation,
    is_number,
    quote_spans,
    tokenize,
)
from ..lexicon import synonyms
from ..text import STOPWORDS, collapse_whitespace, sentence_spans, stem

AUXILIARIES = frozenset(
    [
        "is",
        "was",
        "are",
        "were",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "does",
        "did",
        "do",
    ]
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True, slots=True)
class Case:
    """One generated case: ``source`` edited into ``target`` by one edit of kind ``label``."""

    label: str
    source: str
    target: str
    source_start: int
    source_end: int
    target_start: int
    target_end: int


@dataclass(slots=True)
class _Pools:
    """Corpus material for replacements: name runs and lower-case words seen in other sentences."""

    names: list[str]
    words: list[str]
    nouns: list[str]


def sentences(texts: Iterable[str], min_chars: int = 60, max_chars: int = 400) -> list[str]:
    """Whitespace-collapsed sentences of a moderate length from real texts."""
    out: list[str] = []
    for text in texts:
        for a, b in sentence_spans(text):
            s = collapse_whitespace(text[a:b])
            if min_chars <= len(s) <= max_chars and s[-1] in ".!?\"'":
                out.append(s)
    return out


def _pools(sents: list[str]) -> _Pools:
    names: list[str] = []
    words: list[str] = []
    nouns: list[str] = []
    for s in sents:
        toks = tokenize(s)
        for run in _name_runs(toks):
            names.append(s[toks[run[0]].start : toks[run[-1]].end])
        for t in toks:
            if t.raw.isalpha() and t.raw.islower() and not is_negation(t):
                words.append(t.raw)
                if t.raw not in STOPWORDS and "NOUN" in lemminflect.getAllLemmas(t.raw):
                    nouns.append(t.raw)
    return _Pools(names, words, nouns)


def _name_runs(toks: list[Tok]) -> list[list[int]]:
    """Runs of capitalised words inside a sentence (not at its start, not dates or numbers)."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(toks):
        if (
            t.raw[0].isupper()
            and t.raw.isalpha()
            and not t.sentence_start
            and not is_date_word(t)
            and not is_number(t)
            and t.raw != "I"
        ):
            cur.append(i)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


class _Sentence:
    """A sentence with its tokens and which tokens are free to edit (outside quotations)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.quotes = quote_spans(text)
        self.dates = date_positions(self.toks)

    def quoted(self, i: int) -> bool:
        t = self.toks[i]
        return any(a <= t.start and t.end <= b for a, b in self.quotes)

    def free_words(self) -> list[int]:
        """Lower-case plain words outside quotations, not the first token, not negators."""
        return [
            i
            for i, t in enumerate(self.toks)
            if i > 0
            and t.raw.isalpha()
            and t.raw.islower()
            and not self.quoted(i)
            and not is_negation(t)
            and t.key not in NUMBER_WORDS
            and i not in self.dates
        ]

    def replace(self, label: str, a: int, b: int, new: str) -> Case:
        s = self.text
        return Case(label, s, s[:a] + new + s[b:], a, b, a, a + len(new))

    def insert(self, label: str, i: int, words: str) -> Case:
        at = self.toks[i].start
        s = self.text
        return Case(label, s, s[:at] + words + " " + s[at:], at, at, at, at + len(words))

    def delete(self, label: str, i: int, j: int) -> Case:
        """Delete tokens ``i..j`` (inclusive) with the whitespace before them."""
        s = self.text
        cut = self.toks[i - 1].end
        return Case(
            label,
            s,
            s[:cut] + s[self.toks[j].end :],
            self.toks[i].start,
            self.toks[j].end,
            cut,
            cut,
        )


def _case_or_punct(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    commas = [i for i, t in enumerate(st.toks) if t.raw == "," and not st.quoted(i)]
    words = [i for i, t in enumerate(st.toks) if i > 0 and t.raw.isalpha() and not st.quoted(i)]
    choice = rng.randrange(3)
    if choice == 0 and words:
        t = st.toks[rng.choice(words)]
        flipped = t.raw[0].swapcase() + t.raw[1:]
        return st.replace("case_or_punctuation", t.start, t.end, flipped)
    if commas:
        t = st.toks[rng.choice(commas)]
        if choice == 1:
            return Case(
                "case_or_punctuation",
                st.text,
                st.text[: t.start] + st.text[t.end :],
                t.start,
                t.end,
                t.start,
                t.start,
            )
        return st.replace("case_or_punctuation", t.start, t.end, ";")
    return None


def _inflection(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    for i in rng.sample(st.free_words(), k=len(st.free_words())):
        t = st.toks[i]
        forms = {
            f
            for pos_lemmas in lemminflect.getAllLemmas(t.raw).values()
            for lemma in pos_lemmas
            for fs in lemminflect.getAllInflections(lemma).values()
            for f in fs
        }
        forms = {f for f in forms if f.isalpha() and f.lower() != t.key}
        if forms:
            return st.replace("inflection", t.start, t.end, rng.choice(sorted(forms)))
    return None


def _moby_choice(word: str, rng: random.Random, *, phrase: bool) -> str | None:
    lemmas = {lem for ls in lemminflect.getAllLemmas(word).values() for lem in ls} | {word}
    cands = []
    for c in synonyms(word):
        parts = c.split()
        if not all(p.isalpha() for p in parts) or (len(parts) > 1) != phrase or len(parts) > 3:
            continue
        toks = tokenize(c)
        if any(is_negation(x) or is_number(x) or is_date_word(x) for x in toks):
            continue
        if not phrase and (c in lemmas or stem(c) == stem(word)):
            continue
        cands.append(c)
    return rng.choice(cands) if cands else None


def swap_with(
    choose: Callable[..., str | None], label: str, phrase: bool
) -> Callable[[_Sentence, random.Random, _Pools], Case | None]:
    """A planter that swaps one free content word for what ``choose(word, rng, phrase=...)``
    picks from a thesaurus (Moby here, WordNet in :mod:`.planted_edits_wordnet`)."""

    def make(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
        cands = [i for i in st.free_words() if st.toks[i].key not in STOPWORDS]
        for i in rng.sample(cands, k=len(cands)):
            t = st.toks[i]
            new = choose(t.raw, rng, phrase=phrase)
            if new:
                return st.replace(label, t.start, t.end, new)
        return None

    return make


def _swap_with_moby(
    label: str, phrase: bool
) -> Callable[[_Sentence, random.Random, _Pools], Case | None]:
    return swap_with(_moby_choice, label, phrase)


def _typo(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    from ..lexicon import zipf

    cands = [i for i in st.free_words() if len(st.toks[i].raw) >= 4]
    for i in rng.sample(cands, k=len(cands)):
        t = st.toks[i]
        w = t.raw
        k = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            new = w[:k] + str(rng.randrange(10)) + w[k:]
        elif kind == 1:
            if w[k] == w[k + 1]:
                continue
            new = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        elif kind == 2:
            new = w[:k] + w[k] + w[k:]
        else:
            new = w[:k] + w[k + 1 :]
        if new != w and zipf(new) < 3.0:
            return st.replace("typo", t.start, t.end, new)
    return None


def _entity(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    runs = [r for r in _name_runs(st.toks) if not any(st.quoted(i) for i in r)]
    if not runs:
        return None
    run = rng.choice(runs)
    a, b = st.toks[run[0]].start, st.toks[run[-1]].end
    old = st.text[a:b]
    if rng.random() < 0.3 and pools.nouns:
        new = "the " + rng.choice(pools.nouns)
    else:
        new = rng.choice(pools.names)
        if new.lower() == old.lower():
            return None
    return st.replace("entity_change", a, b, new)


def _number(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    cands = [
        i
        for i, t in enumerate(st.toks)
        if is_number(t) and i not in st.dates and not st.quoted(i) and not is_date_word(t)
    ]
    if not cands:
        return None
    t = st.toks[rng.choice(cands)]
    if t.key in NUMBER_WORDS:
        new = rng.choice(sorted(NUMBER_WORDS - {t.key}))
        new = new.capitalize() if t.raw[0].isupper() else new
    else:
        digits = [k for k, c in enumerate(t.raw) if c.isdigit()]
        k = rng.choice(digits)
        d = str((int(t.raw[k]) + rng.randrange(1, 10)) % 10)
        new = t.raw[:k] + d + t.raw[k + 1 :]
        if new[0] == "0" and len(new) > 1 and new[1].isdigit():
            new = "1" + new[1:]
    return st.replace("number_change", t.start, t.end, new) if new != t.raw else None


def _date(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    cands = [i for i in sorted(st.dates) if not st.quoted(i)]
    if not cands:
        return None
    t = st.toks[rng.choice(cands)]
    full = {m.lower(): _MONTHS for m in _MONTHS} | {d.lower(): _DAYS for d in _DAYS}
    if t.key in full:
        new = rng.choice([x for x in full[t.key] if x.lower() != t.key])
    elif t.key[:3] in {m[:3].lower() for m in _MONTHS} and t.raw.isalpha():
        new = rng.choice([m[:3] for m in _MONTHS if m[:3].lower() != t.key[:3]])
    elif t.raw.isdigit() and len(t.raw) == 4:
        new = str(int(t.raw) + rng.choice([-3, -2, -1, 1, 2, 3, 5]))
    elif t.raw.isdigit():
        new = str(rng.choice([d for d in range(1, 29) if str(d) != t.raw]))
    else:
        return None
    return st.replace("date_change", t.start, t.end, new)


def _quote(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    cands = [
        i
        for i, t in enumerate(st.toks)
        if st.quoted(i)
        and t.raw.isalpha()
        and t.raw.islower()
        and not is_negation(t)
        and t.key not in NUMBER_WORDS
    ]
    for i in rng.sample(cands, k=len(cands)):
        t = st.toks[i]
        if rng.random() < 0.3 and i > 0 and st.toks[i - 1].is_word:
            return st.delete("quote_change", i, i)
        if t.key not in STOPWORDS and (new := _moby_choice(t.raw, rng, phrase=False)):
            return st.replace("quote_change", t.start, t.end, new)
    return None


def _negation(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    negs = [i for i, t in enumerate(st.toks) if is_negation(t) and i > 0 and not st.quoted(i)]
    if negs and rng.random() < 0.5:
        i = rng.choice(negs)
        t = st.toks[i]
        if t.key.endswith("n't"):
            base = t.raw[:-3]
            return st.replace("negation", t.start, t.end, base) if base else None
        if t.key == "cannot":
            return st.replace("negation", t.start, t.end, t.raw[:3])
        if st.toks[i - 1].is_word:
            return st.delete("negation", i, i)
    aux = [
        i
        for i, t in enumerate(st.toks[:-1])
        if t.key in AUXILIARIES and not st.quoted(i) and not is_negation(st.toks[i + 1])
    ]
    if not aux:
        return None
    return st.insert("negation", rng.choice(aux) + 1, "not")


def _insertion(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    slots = [i for i in st.free_words() if st.toks[i - 1].is_word]
    if not slots or not pools.words:
        return None
    n = rng.randrange(1, 4)
    k = rng.randrange(len(pools.words) - n) if len(pools.words) > n else 0
    words = " ".join(pools.words[k : k + n])
    return st.insert("insertion", rng.choice(slots), words)


def _runs(st: _Sentence, n: int) -> list[int]:
    """Starts of ``n`` consecutive free words preceded by a word."""
    free = set(st.free_words())
    return [
        i
        for i in sorted(free)
        if all(j in free for j in range(i, i + n)) and st.toks[i - 1].is_word
    ]


def _deletion(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    n = rng.randrange(1, 4)
    starts = _runs(st, n)
    if not starts:
        return None
    i = rng.choice(starts)
    return st.delete("deletion", i, i + n - 1)


def _reordering(st: _Sentence, rng: random.Random, pools: _Pools) -> Case | None:
    n = rng.randrange(2, 5)
    starts = _runs(st, n)
    if not starts:
        return None
    i = rng.choice(starts)
    span = st.text[st.toks[i].start : st.toks[i + n - 1].end]
    # Destinations: after a word token at least two tokens away, outside quotations.
    dests = [
        j
        for j, t in enumerate(st.toks)
        if t.is_word and not st.quoted(j) and (j < i - 2 or j > i + n + 1)
    ]
    if not dests:
        return None
    j = rng.choice(dests)
    s = st.text
    cut_a, cut_b = st.toks[i - 1].end, st.toks[i + n - 1].end
    rest = s[:cut_a] + s[cut_b:]
    at = st.toks[j].end if j < i else st.toks[j].end - (cut_b - cut_a)
    target = rest[:at] + " " + span + rest[at:]
    if target == s:
        return None
    return Case("reordering", s, target, st.toks[i].start, cut_b, at + 1, at + 1 + len(span))


_MAKERS: dict[str, Callable[[_Sentence, random.Random, _Pools], Case | None]] = {
    "case_or_punctuation": _case_or_punct,
    "inflection": _inflection,
    "synonym": _swap_with_moby("synonym", phrase=False),
    "paraphrase": _swap_with_moby("paraphrase", phrase=True),
    "typo": _typo,
    "entity_change": _entity,
    "number_change": _number,
    "date_change": _date,
    "quote_change": _quote,
    "negation": _negation,
    "insertion": _insertion,
    "deletion": _deletion,
    "reordering": _reordering,
}
GENERATED_LABELS: tuple[str, ...] = ("identical", *_MAKERS)


def generate(sents: list[str], per_label: int, seed: int = 0) -> list[Case]:
    """``per_label`` cases of every label in :data:`GENERATED_LABELS`, from ``sents``.

    Each label draws sentences in its own seeded order, so adding a label does not change the
    cases of the others. Labels that run out of suitable sentences return fewer cases.
    """
    pools = _pools(sents)
    cases: list[Case] = []
    for n, label in enumerate(GENERATED_LABELS):
        rng = random.Random(seed * 1000 + n)
        order = rng.sample(range(len(sents)), k=len(sents))
        got = 0
        for k in order:
            if got >= per_label:
                break
            s = sents[k]
            if label == "identical":
                case: Case | None = Case("identical", s, s, 0, 0, 0, 0)
            else:
                case = _MAKERS[label](_Sentence(s), rng, pools)
            if (case is not None and case.target != case.source) or label == "identical":
                assert case is not None
                cases.append(case)
                got += 1
    return cases
