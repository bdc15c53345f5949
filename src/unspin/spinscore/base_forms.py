"""Inflected forms no Moby list holds, read through their base form.

Moby lists base forms ("intellect", "glorify"), and a spinner that looks a word up in its base
form and inflects its pick writes forms no list holds ("intellects", "glorifies"). For such a
form, the headwords its base form is listed under, inflected the way the form is and kept where
that inflection is itself a headword ("intellects" -> "intellect" -> "mind" -> "minds"), are the
words it may have replaced.

Working that out takes lemminflect about 2 ms a word (up to 128 headwords inflected, each
lookup deep-copying its table) and 0.7 s to load its tables, too slow for a scan meeting new
words. The forms are few (every table inflection of a single-word Moby synonym: about 23,000),
so the answer for each is worked out once, with the reverse thesaurus's cache, and a scan only
looks it up (:meth:`ThroughBase.indices`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

_Inflect = Callable[[str, str], str | None]


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
) -> dict[str, list[int]]:
    """Every inflected form read through its base form, with its headword indices best prior
    first (ties in the order met), for a reverse thesaurus whose listed words are ``synonyms``,
    whose headwords (by index) are ``headwords`` with prior ``scores``, and whose
    ``candidates(word)`` are the indices of the headwords listing ``word``, best first."""
    from lemminflect import getAllInflections  # here: only a cache build loads its tables

    listed = set(synonyms)
    forms: set[str] = set()
    for word in listed:
        if " " in word:
            continue
        for inflected in getAllInflections(word).values():
            forms.update(f for f in inflected if f != word and f not in listed)
    head_index = {w: k for k, w in enumerate(headwords)}
    inflect = _inflector()
    table: dict[str, list[int]] = {}
    for form in sorted(forms):
        found = _through_base(form, head_index, scores, candidates, inflect, headwords)
        if found:
            table[form] = found
    return table


def _through_base(
    word: str,
    head_index: Mapping[str, int],
    scores: list[float],
    candidates: Callable[[str], list[int]],
    inflect: _Inflect,
    headwords: list[str],
) -> list[int]:
    """``word``'s headwords through its base forms (lemminflect's lemmas of it of whose
    table inflections it is one), each base's headwords inflected with ``word``'s tags."""
    from lemminflect import getAllInflections, getAllLemmas

    out: dict[int, float] = {}
    for upos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            tags = [t for t, forms in getAllInflections(lemma, upos).items() if word in forms]
            if lemma == word or not tags:
                continue
            for base in candidates(lemma):
                head = headwords[base]
                if " " in head:
                    continue
                for tag in tags:
                    form = inflect(head, tag)
                    k = head_index.get(form) if form and form != word else None
                    if k is not None:
                        out.setdefault(k, scores[k])
    return sorted(out, key=lambda k: -out[k])


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
