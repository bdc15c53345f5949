"""Inflected forms no Moby list holds, read through their base form.

Moby lists base forms ("intellect", "glorify"), and a spinner that looks a word up in its base
form and inflects its pick writes forms no list holds ("intellects", "glorifies"). For such a
form, the headwords its base form is listed under, inflected the way the form is and kept where
that inflection is itself a headword ("intellects" -> "intellect" -> "mind" -> "minds"), are the
words it may have replaced.

Working that out takes lemminflect about 2 ms a word (up to 128 headwords inflected, each
lookup deep-copying its table) and 0.7 s to load its tables, too slow for a scan meeting new
words. The forms are few (every inflection of a single-word Moby synonym, from lemminflect's
dictionary or, for words it lacks, its rules, plus British spellings: about 30,000 with an
answer), so the answer for each is worked out once, with the reverse thesaurus's cache, and a
scan only looks it up (:meth:`ThroughBase.indices`; docs/benchmarks.md 17.9, 17.10).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from ..lexicon import zipf

_Inflect = Callable[[str, str], str | None]
# Adds a form's headwords read through one of its base forms (:func:`_adder`).
_Add = Callable[[dict[int, float], str, str, Iterable[str]], None]


class ThroughBase:
    """Inflected form -> the indices of the headwords it is read through, best prior first."""

    def __init__(self, forms: list[str], starts: np.ndarray, flat: np.ndarray, heads: int):
        if len(starts) != len(forms) + 1:
            raise ValueError("forms and their rows disagree")
        if flat.size and int(flat.max()) >= heads:
            raise ValueError("the table is of another thesaurus")  # rebuilt, never misread
        self._row = {f: k for k, f in enumerate(forms)}
        self._starts = starts
        self._flat = flat

    def indices(self, form: str) -> list[int]:
        """The headword indices ``form`` (lower case) is read through ([]: none)."""
        k = self._row.get(form)
        if k is None:
            return []
        return self._flat[self._starts[k] : self._starts[k + 1]].tolist()

    @classmethod
    def from_arrays(cls, data: Mapping[str, np.ndarray], heads: int) -> ThroughBase:
        """The table cached as :meth:`arrays`, for a thesaurus of ``heads`` headwords."""
        joined = str(data["forms"])
        forms = joined.split("\n") if joined else []
        if int(data["heads"]) != heads:
            raise ValueError("the table is of another thesaurus")
        return cls(forms, data["starts"], data["flat"], heads)

    @staticmethod
    def arrays(table: Mapping[str, list[int]], heads: int) -> dict[str, np.ndarray]:
        """``table`` as arrays to cache, with the number of headwords it indexes."""
        forms = list(table)
        starts = np.zeros(len(forms) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([len(table[f]) for f in forms])
        flat = np.fromiter((i for f in forms for i in table[f]), dtype=np.int32, count=starts[-1])
        return {
            "forms": np.array("\n".join(forms)),
            "starts": starts,
            "flat": flat,
            "heads": np.array(heads),
        }


def build_table(
    synonyms: Iterable[str],
    headwords: list[str],
    scores: list[float],
    candidates: Callable[[str], list[int]],
    spellings: Mapping[str, str] | None = None,
) -> dict[str, list[int]]:
    """Every inflected form read through its base form, with its headword indices best prior
    first (ties in the order met), for a reverse thesaurus whose listed words are ``synonyms``,
    whose headwords (by index) are ``headwords`` with prior ``scores``, and whose
    ``candidates(word)`` are the indices of the headwords listing ``word``, best first.

    Two more kinds of form no list holds are read the same way: the regular inflections
    lemminflect makes of a synonym its dictionary lacks or lists uninflected ("homages",
    "milliards", "estopped"), which is what a spinner that inflects its pick writes; and
    ``spellings`` (another spelling -> the one the thesaurus uses, e.g. British -> American:
    "organisations" -> "organizations"), read through that spelling."""
    from lemminflect import getAllInflections  # here: only a cache build loads its tables

    listed = set(synonyms)
    forms: set[str] = set()
    for word in listed:
        if " " in word:
            continue
        for inflected in getAllInflections(word).values():
            forms.update(f for f in inflected if f != word and f not in listed)
    add = _adder(headwords, scores, candidates)
    table: dict[str, list[int]] = {}
    for form in sorted(forms):
        found = _through_base(form, add)
        if found:
            table[form] = found
    guessed = _regular_forms(listed)
    for form in sorted(guessed):
        if form in table or form in listed:
            continue
        heads: dict[int, float] = {}
        for lemma, tags in guessed[form].items():
            add(heads, form, lemma, sorted(tags))
        if heads:
            table[form] = sorted(heads, key=lambda k: -heads[k])
    for other, spelled in sorted((spellings or {}).items()):
        if other in table or other in listed or other == spelled:
            continue
        through = candidates(spelled) if spelled in listed else table.get(spelled, [])
        if through:
            table[other] = list(through)
    return table


def _regular_forms(listed: set[str]) -> dict[str, dict[str, set[str]]]:
    """Form -> base -> tags: the noun and verb inflections lemminflect's rules make of each
    single-word synonym (its dictionary lacks "clientele", and lists "homage" as its own
    plural), kept where wordfreq has seen the form written (a spinner keeps only those)."""
    from lemminflect import getAllInflectionsOOV

    out: dict[str, dict[str, set[str]]] = {}
    for word in sorted(listed):  # in a fixed order: ties between priors keep the order met
        if " " in word or not word.isalpha():
            continue
        for upos in ("NOUN", "VERB"):
            for tag, inflected in getAllInflectionsOOV(word, upos).items():
                for form in inflected:
                    if form != word and form not in listed and zipf(form) > 0:
                        out.setdefault(form, {}).setdefault(word, set()).add(tag)
    return out


def _through_base(word: str, add: _Add) -> list[int]:
    """``word``'s headwords through its base forms (lemminflect's lemmas of it of whose
    table inflections it is one), each base's headwords inflected with ``word``'s tags."""
    from lemminflect import getAllInflections, getAllLemmas

    out: dict[int, float] = {}
    for upos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            tags = [t for t, forms in getAllInflections(lemma, upos).items() if word in forms]
            if lemma == word or not tags:
                continue
            add(out, word, lemma, tags)
    return sorted(out, key=lambda k: -out[k])


def _adder(
    headwords: list[str], scores: list[float], candidates: Callable[[str], list[int]]
) -> _Add:
    """``add(out, word, lemma, tags)``: into ``out`` (headword index -> prior, the first met
    kept), the headwords listing ``lemma``, each inflected with ``tags`` and kept where that
    form is itself a headword (and not ``word``)."""
    head_index = {w: k for k, w in enumerate(headwords)}
    inflect = _inflector()

    def add(out: dict[int, float], word: str, lemma: str, tags: Iterable[str]) -> None:
        for base in candidates(lemma):
            head = headwords[base]
            if " " in head:
                continue
            for tag in tags:
                form = inflect(head, tag)
                k = head_index.get(form) if form and form != word else None
                if k is not None:
                    out.setdefault(k, scores[k])

    return add


def _inflector() -> _Inflect:
    """lemminflect's ``getInflection(word, tag)[0]``, with each word's table read once: the
    table's form for the tag where it has one, else lemminflect's own fallbacks."""
    from lemminflect import getAllInflections, getInflection

    tables: dict[str, dict[str, tuple[str, ...]]] = {}
    made: dict[tuple[str, str], str | None] = {}

    def inflect(word: str, tag: str) -> str | None:
        key = (word, tag)
        if key in made:
            return made[key]
        table = tables.get(word)
        if table is None:
            table = tables[word] = getAllInflections(word)
        forms = table.get(tag) if tag not in ("NNP", "NNPS") else None
        form = forms[0] if forms else next(iter(getInflection(word, tag)), None)
        made[key] = form
        return form

    return inflect
