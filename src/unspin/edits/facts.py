"""The facts of a passage (numbers, names, dates, negations) and whether the reuse kept them.

A distortion changes a fact, so the labeller asks two questions of a differing stretch: did a
fact of the source stretch go missing from the *whole* reuse, and did the reuse stretch bring
in a fact the whole source lacks? Asking about the whole passage rather than the stretch keeps
a moved number or name ("Southwest Airlines is known for ..." reworded with the name later in
the sentence) from reading as changed, and equivalent writings count as one fact: numbers by
value (:mod:`.numbers`), names by country, initials or cut-off abbreviation (:mod:`.names`),
dates by calendar field.

>>> src = Facts("Nine NATO ships left on 30 December.")
>>> tgt = Facts("9 North Atlantic Treaty Organisation ships left on Dec. 30.")
>>> src.numbers == tgt.numbers, src.dates == tgt.dates
(True, True)
>>> src.name_kept(1, tgt), tgt.name_kept(1, src)
(True, True)
"""

from __future__ import annotations

import calendar
from collections import Counter
from functools import cached_property
from itertools import pairwise
from typing import TypeVar

import lemminflect

from ..lemma_table import is_auxiliary, known_lemmas, pronouns
from ..text import FUNCTION_WORDS, stem
from . import names as nm
from .antonyms import denying_adverbs, negating_verbs, negative_only_verbs, negator_adverbs
from .numbers import fraction_part, number_value, number_values
from .tokens import (
    Tok,
    date_positions,
    is_escape_code,
    is_negation,
    is_number,
    numeric_date_readings,
    tokenize,
)

K = TypeVar("K")
_MONTHS = {m.lower(): k for k, m in enumerate(calendar.month_name) if m}
_WEEKDAYS = {d.lower(): k for k, d in enumerate(calendar.day_name)}
# How date_field names a day that a date in digits can only be, and two it can be.
_ONE_DAY, _TWO_DAYS = "iso:", "dates:"


def _calendar_field(key: str) -> str | None:
    """ "month:12" for "December", "Dec" or "Sept"; "weekday:0" for "Monday" or "Mon"."""
    for table, kind in ((_MONTHS, "month"), (_WEEKDAYS, "weekday")):
        for name, k in table.items():
            if key == name or (len(key) >= 3 and nm.cut_from(key, name)) or key == name[:3]:
                return f"{kind}:{k}"
    return None


def date_field(tok: Tok, in_date: bool) -> str | None:
    """The calendar field a date token gives: a month, a weekday, a year or a day of the month.

    ``in_date`` says the token belongs to a date (:func:`.tokens.date_positions`), which is what
    makes "30" in "30 December" a day rather than a number.
    """
    if not in_date:
        return None
    if readings := numeric_date_readings(tok.raw):
        # A date in digits is the dates it can be: "04/02/08" and "02.04.08" (month first, day
        # first) are one fact; a reading of one day is that day, as an ISO date would give it.
        days = sorted(d.isoformat() for d in readings)
        return f"{_ONE_DAY}{days[0]}" if len(days) == 1 else _TWO_DAYS + "|".join(days)
    if tok.raw[:1].isdigit():
        if len(tok.raw) == 4 and tok.raw.isdigit():
            return f"year:{tok.raw}"
        if len(tok.raw) == 10 and tok.raw[4] == "-":
            return f"{_ONE_DAY}{tok.raw}"
        return f"day:{int(tok.raw)}" if tok.raw.isdigit() else None
    return _calendar_field(tok.key)


class Facts:
    """Numbers, names, dates and negations of one passage, computed when first asked for."""

    def __init__(self, text: str, toks: list[Tok] | None = None, dates: set[int] | None = None):
        self.text = text
        self.toks = tokenize(text) if toks is None else toks
        self._dates = date_positions(self.toks) if dates is None else dates
        # A date in digits that can be two days, read as the one the other text writes
        # (:func:`share_date_readings`).
        self._date_aliases: dict[str, str] = {}
        # Tokens read as the other text writes the same fact in another notation
        # (:mod:`.notations`): the calendar fields or time a token gives, and the digits a
        # number's token is read as ("6,2" as "6.2"; "" for the later groups of "14 000").
        self._fields_at: dict[int, tuple[str, ...]] = {}
        self._number_aliases: dict[int, str] = {}

    @cached_property
    def span_text(self) -> str:
        if not self.toks:
            return ""
        return self.text[self.toks[0].start : self.toks[-1].end]

    @cached_property
    def words(self) -> frozenset[str]:
        """Word keys, also without a possessive or plural ending ("ACKs", "California's")."""
        out: set[str] = set()
        for t in self.toks:
            if t.is_word:
                out |= name_forms(t.key)
        return frozenset(out)

    @cached_property
    def capital_words(self) -> frozenset[str]:
        """Keys of the words written with a capital (what a name must match to be kept)."""
        out: set[str] = set()
        for t in self.toks:
            if t.is_word and t.raw[0].isupper():
                out |= name_forms(t.key)
        return frozenset(out)

    @cached_property
    def capital_stems(self) -> frozenset[str]:
        """Porter2 stems of the capitalised words: "Islam" and "Islamic" name one thing."""
        return frozenset(stem(k) for k in self.capital_words if k.isalpha() and len(k) >= 4)

    @cached_property
    def raw_words(self) -> frozenset[str]:
        """Words as written, also without a possessive ending ("R's" -> "R")."""
        out: set[str] = set()
        for t in self.toks:
            if t.is_word:
                out.add(t.raw)
                raw = t.raw.replace("\u2019", "'")
                if raw.endswith("'s") and len(raw) > 2:
                    out.add(raw[:-2])
        return frozenset(out)

    @cached_property
    def cut_words(self) -> frozenset[str]:
        """Capitalised words followed by a full stop: possible cut-off abbreviations ("Corp.")."""
        return frozenset(
            a.key
            for a, b in zip(self.toks, self.toks[1:], strict=False)
            if b.raw == "." and a.is_word and a.raw[0].isupper()
        )

    @cached_property
    def numbers(self) -> Counter[float]:
        """Values of the numbers that are not part of a date."""
        return self.numbers_in(0, len(self.toks))

    @cached_property
    def dates(self) -> Counter[str]:
        return self.dates_in(0, len(self.toks))

    @cached_property
    def negations(self) -> int:
        return negator_count(self.toks)

    @cached_property
    def countries(self) -> frozenset[str]:
        return frozenset(self._country_map.values())

    @cached_property
    def acronyms(self) -> frozenset[str]:
        plain = {t.raw.replace(".", "").lower() for t in self.toks if nm.is_acronym(t.raw)}
        return frozenset(plain | set(self._ampersand_initials.values()))

    @cached_property
    def _ampersand_initials(self) -> dict[int, str]:
        """Initials joined by "&", which the tokenizer splits ("R&D", "AT&T", "M&A"): each of
        their tokens' index -> the letters, lower case ("rd", "att"). Capital letters only, one
        to three a side, written without spaces."""
        out: dict[int, str] = {}
        toks = self.toks
        k = 0
        while k < len(toks):
            run = [k]
            while (
                _initials_part(toks[k].raw)
                and run[-1] + 2 < len(toks)
                and toks[run[-1] + 1].raw == "&"
                and toks[run[-1]].end == toks[run[-1] + 1].start
                and toks[run[-1] + 1].end == toks[run[-1] + 2].start
                and _initials_part(toks[run[-1] + 2].raw)
            ):
                run.append(run[-1] + 2)
            if len(run) > 1:
                letters = "".join(toks[j].raw for j in run).lower()
                for j in range(run[0], run[-1] + 1):
                    out[j] = letters
            k = run[-1] + 1
        return out

    @cached_property
    def initialisms(self) -> frozenset[str]:
        """Initials of every run of 2-8 words that starts and ends with a content word (what an
        acronym in the other text may stand for: "chief executive officer", "Bank of Japan")."""
        out: set[str] = set()
        words = [t.raw for t in self.toks if t.is_word]
        for i, first in enumerate(words):
            if first.lower() in FUNCTION_WORDS:
                continue
            for n in range(2, nm.MAX_INITIALS + 1):
                if i + n > len(words):
                    break
                if words[i + n - 1].lower() not in FUNCTION_WORDS:
                    out |= nm.initials(words[i : i + n])
        return frozenset(out)

    def country_at(self, i: int) -> str | None:
        """The country token ``i`` is part of the name of, if any."""
        return self._country_map.get(i)

    @cached_property
    def _country_map(self) -> dict[int, str]:
        found: dict[int, str] = {}
        toks = self.toks
        for i, t in enumerate(toks):
            if not t.is_word or not t.raw[0].isupper():
                continue
            for n in range(min(nm.MAX_COUNTRY_WORDS, len(toks) - i), 0, -1):
                run = toks[i : i + n]
                if not all(x.is_word for x in run):
                    continue
                c = nm.country_of(" ".join(x.raw for x in run))
                if c is not None:
                    for k in range(i, i + n):
                        found.setdefault(k, c)
                    break
        return found

    def proper_name_at(self, i: int) -> tuple[str, ...] | None:
        """The keys of the WordNet name of two or more words that token ``i`` is part of, as
        written here with its capitals ("United Nations", :func:`.names.proper_names`)."""
        return self._proper_name_map.get(i)

    @cached_property
    def _proper_name_map(self) -> dict[int, tuple[str, ...]]:
        found: dict[int, tuple[str, ...]] = {}
        toks = self.toks
        table = nm.proper_names()
        for i, t in enumerate(toks):
            if not t.is_word or not t.raw[0].isupper() or i in found:
                continue
            for name in table.get(t.key, ()):
                run = toks[i : i + len(name)]
                if len(run) == len(name) and all(
                    x.key == k and (x.raw[0].isupper() or not cap)
                    for x, (k, cap) in zip(run, name, strict=True)
                ):
                    for k in range(i, i + len(name)):
                        found.setdefault(k, tuple(k for k, _ in name))
                    break
        return found

    def says(self, keys: tuple[str, ...]) -> bool:
        """The passage has the words ``keys`` one after another, in any case."""
        n = len(keys)
        return any(
            all(self.toks[i + k].key == keys[k] for k in range(n))
            for i in range(len(self.toks) - n + 1)
            if self.toks[i].key == keys[0]
        )

    def numbers_in(self, lo: int, hi: int) -> Counter[float]:
        """Values of the numbers among tokens ``lo:hi`` (date parts and escape codes excluded)."""
        if hi <= lo:
            return Counter()
        # A number phrase cut by the range is read whole: "7.5 | million" is 7,500,000.
        toks = self.toks
        while 0 < lo < hi and is_number(toks[lo]) and is_number(toks[lo - 1]):
            lo -= 1
        while lo < hi < len(toks) and is_number(toks[hi - 1]) and is_number(toks[hi]):
            hi += 1
        lo, hi = _whole_fraction(toks, lo, hi)
        runs: list[str] = []
        cur: list[int] = []
        for i in range(lo, hi):
            if i in self._dates or is_escape_code(toks, i):
                if cur:
                    runs.append(self._written(cur))
                cur = []
            else:
                cur.append(i)
        if cur:
            runs.append(self._written(cur))
        out: Counter[float] = Counter()
        for r in runs:
            out += number_values(r)
        return out

    def _written(self, run: list[int]) -> str:
        """The text of the tokens ``run`` (consecutive), a number read in another notation
        written as it is read."""
        toks, aliases = self.toks, self._number_aliases
        if not aliases or not any(i in aliases for i in run):
            return self.text[toks[run[0]].start : toks[run[-1]].end]
        parts = [aliases.get(run[0], toks[run[0]].raw)]
        for prev, i in pairwise(run):
            parts += (self.text[toks[prev].end : toks[i].start], aliases.get(i, toks[i].raw))
        return "".join(parts)

    @property
    def dates_at(self) -> set[int]:
        """Indices of the tokens that belong to a date (or a time of day read as one)."""
        return self._dates

    def numbers_read_as(self, lo: int, hi: int, written: str) -> Counter[float]:
        """:meth:`numbers_in` with tokens ``lo:hi`` (one number) read as ``written``."""
        saved = dict(self._number_aliases)
        self._number_aliases.update({lo: written, **dict.fromkeys(range(lo + 1, hi), "")})
        try:
            return self.numbers_in(lo, hi)
        finally:
            self._number_aliases = saved

    def read_date_as(self, i: int, fields: tuple[str, ...]) -> None:
        """Read token ``i`` as a date or time of day giving ``fields``, as the other text
        writes it (:mod:`.notations`). Call before the facts are asked for."""
        self._dates.add(i)
        self._fields_at[i] = fields

    def read_number_as(self, i: int, written: str) -> None:
        """Read number token ``i`` as ``written`` (digits), the notation of the other text."""
        self._number_aliases[i] = written
        self.__dict__.pop("numbers", None)  # the default reading was asked for to decide this

    def dates_in(self, lo: int, hi: int) -> Counter[str]:
        out: Counter[str] = Counter()
        dates = self._dates  # (only a token of a date gives a field: the others are not asked)
        for i in range(lo, hi):
            if i in dates:
                out.update(self.date_fields_at(i))
        return out

    def date_fields_at(self, i: int) -> tuple[str, ...]:
        """The calendar fields token ``i`` gives (:func:`date_field`; empty if none), a date in
        digits read as the other text reads it where it can be that day: one field, or each
        field of a day the other text writes in words ("9/14/1938": month, day and year)."""
        if (fields := self._fields_at.get(i)) is not None:
            return fields
        f = date_field(self.toks[i], i in self._dates)
        return () if f is None else (self._date_aliases.get(f, f),)

    def name_kept(self, i: int, other: Facts) -> bool:
        """Token ``i`` (a name) is in ``other`` too, however written."""
        tok = self.toks[i]
        key = tok.key.replace(".", "")
        if self._ampersand_initials.get(i) in other.initialisms:
            return True  # "R&D" for "research and development"
        if len(key) == 1 or (len(key) == 3 and key.endswith("'s")):
            # "A" (a grade, a base) is not the article "a"; "R's" is "R".
            return tok.raw in other.raw_words or tok.raw[:1] in other.raw_words
        if name_forms(tok.key) & other.capital_words:
            return True
        if key.isalpha() and len(key) >= 4:
            if stem(key) in other.capital_stems:
                return True  # "Islam" / "Islamic markets"
            if any(nm.derived(key, w) for w in other.capital_words):
                return True  # "North America" / "North American"
        country = self.country_at(i)
        if country is not None and country in other.countries:
            return True
        if nm.is_acronym(tok.raw) and key in other.initialisms:
            return True
        if (
            i + 1 < len(self.toks)
            and self.toks[i + 1].raw == "."
            and any(nm.cut_from(key, w) for w in other.words)
        ):
            return True  # "Corp." for "Corporation"
        if any(nm.cut_from(a, key) for a in other.cut_words):
            return True  # "Corporation" for "Corp."
        if other.acronyms:
            # Part of a run of words that the other text writes as initials ("NATO").
            for a in range(max(0, i - nm.MAX_INITIALS + 1), i + 1):
                for b in range(max(i + 1, a + 2), min(len(self.toks), a + nm.MAX_INITIALS) + 1):
                    run = self.toks[a:b]
                    if all(x.is_word for x in run) and (
                        nm.initials([x.raw for x in run]) & other.acronyms
                    ):
                        return True
        return False


def _initials_part(raw: str) -> bool:
    """One side of initials joined by "&": one to three capital letters ("R", "AT")."""
    return 1 <= len(raw) <= 3 and raw.isalpha() and raw.isupper()


def _whole_fraction(toks: list[Tok], lo: int, hi: int) -> tuple[int, int]:
    """Tokens ``lo:hi`` grown to hold a fraction they cut whole, with the word after it that
    says it is one ("a | third of", "two | thirds", "half | of"): read apart, "third" is an
    ordinal and "two" a whole number."""
    if hi <= lo:
        return lo, hi

    def numerator(k: int) -> bool:
        return 0 <= k < len(toks) and (is_number(toks[k]) or toks[k].key in ("a", "an"))

    def denominator(k: int) -> bool:
        return 0 <= k < len(toks) and toks[k].is_word and fraction_part(toks[k].key)

    def hyphen(k: int) -> int:
        return 1 if 0 <= k < len(toks) and toks[k].raw == "-" else 0

    before = lo - 1 - hyphen(lo - 1)
    if denominator(lo) and numerator(before):
        lo = before
    after = hi + hyphen(hi)
    if numerator(hi - 1) and denominator(after):
        hi = after + 1
    if denominator(hi - 1) and hi < len(toks) and (toks[hi].key == "of" or not toks[hi].is_word):
        hi += 1
    return lo, hi


def share_date_readings(a: Facts, b: Facts) -> None:
    """Read a date in digits that can be two days ("10.08.2005": 10 August or 8 October) as
    the day the other text writes in a form that can be only one ("2005-08-10",
    "13/02/2008"). Call before either's dates are asked for.

    >>> a, b = Facts("on 10.08.2005 at noon"), Facts("on 2005-08-10 at noon")
    >>> share_date_readings(a, b)
    >>> a.dates == b.dates
    True
    """
    keys = [{date_field(t, i in f._dates) for i, t in enumerate(f.toks)} for f in (a, b)]
    for facts, mine, other in ((a, keys[0], keys[1]), (b, keys[1], keys[0])):
        for key in mine:
            if key is None or not key.startswith(_TWO_DAYS):
                continue
            days = key.removeprefix(_TWO_DAYS).split("|")
            for day in days:
                if f"{_ONE_DAY}{day}" in other:
                    facts._date_aliases[key] = f"{_ONE_DAY}{day}"


# "not only ... but also" adds, it denies nothing.
_FOCUS = frozenset({"only", "just", "merely"})
# Comparatives of less: "not as effective" / "less effective", "not greater" / "less".
_LESS = frozenset({"less", "fewer"})
# The negative quantifiers: "little connection ... at all" / "no particular connection ... at
# all" ("at all" needs a negation: "little" is one), "does little to" / "does not". With an
# article they say "some" ("a few", "a little"), after a determiner they describe ("the little
# dog", "his few friends").
_FEW = frozenset({"little", "few"})
_ARTICLES = frozenset({"a", "an", "the"})


def negator_count(toks: list[Tok], *, implied: bool = True, end: int | None = None) -> int:
    """Negators that negate, the way English grammar counts them: "whether or not" offers an
    alternative and "not only" adds, they deny nothing; "neither ... nor" is one negation.
    A verb that denies the verb it takes with "to" counts as a negator ("fails to meet": see
    :func:`negating_verb_at`). Only ``toks[:end]`` are counted; the tokens after them are read
    for what follows a word. With ``implied``, words that imply a negation count too: "have yet to" is "have not yet",
    and "less" and "fewer" count, so that "not as effective" / "less effective" is no change of
    polarity (they weigh sentences and passages; a stretch flips only with a real negator).

    >>> from .tokens import tokenize
    >>> [negator_count(tokenize(s)) for s in ("neither A nor B do", "A and B do not",
    ...  "not only that", "whether or not", "have yet to act", "less effective")]
    [1, 1, 0, 0, 1, 1]
    >>> [negator_count(tokenize(s)) for s in ("has little effect", "a few did", "his few friends")]
    [1, 0, 0]
    >>> [negator_count(tokenize(s)) for s in ("it fails to meet", "it failed", "fell to 5")]
    [1, 0, 0]
    >>> [negator_count(tokenize(s)) for s in ("it may or may not", "it may or it may not")]
    [0, 1]
    """
    count = 0
    neither = False  # "neither" earlier in the sentence: its "nor" is the same negation
    for k, t in enumerate(toks[:end]):
        if t.sentence_start:
            neither = False
        after = toks[k + 1].key if k + 1 < len(toks) else ""
        if after == "to" and negating_verb_at(toks, k):
            count += 1
        elif is_denial(t):
            if (k and toks[k - 1].key == "or") or (t.key == "not" and after in _FOCUS):
                continue
            if _alternative(toks, k):
                continue
            if t.key == "nor" and neither:
                continue
            if _phrase_negator(toks, k):
                continue
            count += 1
            neither = neither or t.key == "neither"
        elif implied and _implies_negation(toks, k, after):
            count += 1
    return count


def is_denial(tok: Tok) -> bool:
    """A negator (:func:`.tokens.is_negation`) or a one-word adverb WordNet glosses as one
    with an adverb of frequency or degree ("hardly": "almost not", "seldom": "not often";
    :func:`.antonyms.denying_adverbs`): "She hardly helps" takes back "She helps" as "She does
    not help" does."""
    return is_negation(tok) or tok.key in denying_adverbs()


def have_yet_to(toks: list[Tok], k: int) -> bool:
    """Token ``k`` is the "yet" of "has yet to", "is yet to": an auxiliary before it, "to"
    after it. It says "has not ... yet" ("has yet to sign" / "has signed"); "and yet to many
    readers" (a conjunction, no auxiliary before it) is no denial."""
    return (
        toks[k].key == "yet"
        and 0 < k < len(toks) - 1
        and toks[k + 1].key == "to"
        and is_auxiliary(toks[k - 1].key)
    )


def _alternative(toks: list[Tok], k: int) -> bool:
    """The negator at ``k`` follows "or" and the word said before the "or" again: "may or may
    not", "is or is not", "did or did not" offer both answers, as "whether or not" does; they
    deny nothing."""
    return (
        k >= 3
        and toks[k - 2].key == "or"
        and toks[k - 1].is_word
        and toks[k - 1].key == toks[k - 3].key
    )


def _phrase_negator(toks: list[Tok], k: int) -> bool:
    """The negator at ``k`` belongs to a verb WordNet says is always used with a negative,
    followed by a gerund or "but": "could not help watching" says "watched", "can't help but
    notice" says "notices" (:func:`.antonyms.negative_only_verbs`). It negates nothing another
    text could affirm. "Could not help them" (no gerund) is the ordinary verb, negated.

    >>> from .tokens import tokenize
    >>> [negator_count(tokenize(s)) for s in ("she couldn't help contradicting it",
    ...  "she could not help but laugh", "she could not help them")]
    [0, 0, 1]
    """
    if k + 2 >= len(toks):
        return False
    verb, after = toks[k + 1], toks[k + 2]
    if not (known_lemmas(verb.key) | {verb.key}) & negative_only_verbs():
        return False
    if after.key == "but":
        return True
    return after.key.endswith("ing") and "VERB" in lemminflect.getAllLemmas(after.key)


def in_negator_adverb(toks: list[Tok], k: int) -> bool:
    """Token ``k`` is a word of an adverb that WordNet glosses as a denial and writes with a
    negator, written out whole around it: "no longer" ("not now"), "by no means", "never
    again" (:func:`.antonyms.negator_adverbs`). Its words other than the negator are the
    negator's, no content of their own.

    >>> from .tokens import tokenize
    >>> toks = tokenize("she no longer helps, and the longer road")
    >>> [in_negator_adverb(toks, k) for k in (1, 2, 3, 8)]
    [True, True, False, False]
    """
    key = toks[k].key
    for words in negator_adverbs():
        for at, word in enumerate(words):
            lo = k - at
            if (
                word == key
                and lo >= 0
                and lo + len(words) <= len(toks)
                and all(toks[lo + n].key == w for n, w in enumerate(words))
            ):
                return True
    return False


def negating_verb_at(toks: list[Tok], k: int) -> bool:
    """Token ``k`` is a verb that denies the verb it takes with "to": "the company fails to
    meet" (does not meet), "refused to sign" (did not sign). The verbs are WordNet's and Moby's
    (:func:`.antonyms.negating_verbs`: "decline", "fail", "forget", "refuse"), in any
    inflection; "to" and a word that can be a verb must follow ("fell to 5" is no such use)."""
    if k + 2 >= len(toks) or toks[k + 1].key != "to":
        return False
    verb, after = toks[k], toks[k + 2]
    if not after.is_word or is_number(after):
        return False
    if not (known_lemmas(verb.key) | {verb.key}) & negating_verbs():
        return False
    return bool({"VERB", "AUX"} & set(lemminflect.getAllLemmas(after.key)))


def _implies_negation(toks: list[Tok], k: int, after: str) -> bool:
    """Token ``k`` implies a negation: "yet" of "have yet to", "less", "fewer", or a negative
    quantifier ("little", "few")."""
    key = toks[k].key
    if (key == "yet" and after == "to") or key in _LESS:
        return True
    return key in _FEW and _quantifies(toks, k)


def _quantifies(toks: list[Tok], k: int) -> bool:
    """Token ``k`` ("little", "few") is the negative quantifier: not after an article or a
    determiner, and not part of a name ("Little Rock")."""
    t = toks[k]
    if t.raw[0].isupper() and not t.sentence_start:
        return False
    before = toks[k - 1].key if k else ""
    return before not in _ARTICLES and before not in pronouns()


def name_forms(key: str) -> frozenset[str]:
    """A word key and its stem without dots, possessive or plural "s" ("ACKs" -> "ack")."""
    key = key.replace(".", "")
    forms = {key}
    for end in ("'s", "'", "s"):
        if key.endswith(end) and len(key) > len(end) + 1:
            forms.add(key[: -len(end)])
    return frozenset(forms)


def lost(mine: Counter[K], block: Counter[K], other: Counter[K]) -> bool:
    """A fact of ``block`` (part of ``mine``) occurs fewer times in ``other`` than in ``mine``."""
    return any(mine[k] > other[k] for k in block)


def same_number(a: Tok, b: Tok) -> bool | None:
    """Whether two number tokens have the same value; None when either is not a number."""
    va, vb = number_value(a.raw), number_value(b.raw)
    if va is None or vb is None:
        return None
    return va == vb
