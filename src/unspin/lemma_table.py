"""lemminflect's lemma and inflection dictionaries from compact caches, decoded one word at a
time.

lemminflect parses its gzipped CSVs into nested dicts on the first lookup: about a fifth of a
second for the lemmas (a sixth of a cold ``unspin compare``) and a third for the inflections
(a fifth of a cold ``unspin score``, whose re-read spans inflect their candidates). The same
tables, stored once under the user cache directory as JSON (word -> its entries as one
string), load in a tenth of that time, and only the words that are looked up are decoded.
Lookups go through lemminflect itself (``lemminflect.getAllLemmas``,
``lemminflect.getAllInflections``), so overrides, case handling and results are unchanged;
``tests/test_lemma_table.py`` checks every word of each cache against lemminflect's own parse.

>>> install_lemma_table()
>>> import lemminflect
>>> lemminflect.getAllLemmas("rose")["VERB"]
('rise',)
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from functools import cached_property, lru_cache

import lemminflect
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
from lemminflect.codecs.OverridesCodec import OverridesCodec
from lemminflect.core.Inflections import Inflections
from lemminflect.core.Lemmatizer import Lemmatizer

from .cache import cache_dir, prune_older_versions, removed_on_failure

# Forms never contain "," or "/" (they separate fields in lemminflect's CSV) nor a newline.
_ENTRY_SEP, _POS_SEP, _FORM_SEP = "\n", ",", "/"


def _encode(entries: dict[str, tuple[str, ...]]) -> str:
    return _ENTRY_SEP.join(
        f"{upos}{_POS_SEP}{_FORM_SEP.join(forms)}" for upos, forms in entries.items()
    )


def _decode(packed: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for entry in packed.split(_ENTRY_SEP):
        upos, forms = entry.split(_POS_SEP, 1)
        out[upos] = tuple(forms.split(_FORM_SEP))
    return out


Table = dict[str, dict[str, tuple[str, ...]]]


def parsed_lemma_table() -> Table:
    """lemminflect's own parse of its lemma file (slow; what the cache is built from)."""
    table: Table = LemmaLUCodec.load(Lemmatizer().lemma_lu_fn)
    return table


def parsed_inflection_table() -> Table:
    """lemminflect's own parse of its inflection file, with its hard-coded auxiliaries and
    modals (slow; what the cache is built from)."""
    table: Table = InflectionLUCodec.load(Inflections().infl_lu_fn)
    return table


class _CachedTable:
    """Stands in for one of lemminflect's dictionaries (``lemma_dict``, ``infl_dict``): it only
    ever calls ``.get(word, default)``. ``family`` names the cache file; ``parse`` is
    lemminflect's own parse, what the file is made from."""

    def __init__(self, family: str, parse: Callable[[], Table]) -> None:
        self.family = family
        self._parse = parse

    def get(
        self, word: str, default: dict[str, tuple[str, ...]] | None = None
    ) -> dict[str, tuple[str, ...]] | None:
        packed = self._packed.get(word)
        return default if packed is None else _decode(packed)

    def words(self) -> list[str]:
        return list(self._packed)

    @cached_property
    def _packed(self) -> dict[str, str]:
        try:
            path = cache_dir() / f"{self.family}-{lemminflect.__version__}.json"
            if path.exists():
                try:
                    packed: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
                    return packed
                except (OSError, ValueError):
                    path.unlink(missing_ok=True)  # a torn cache file is rebuilt, never trusted
        except OSError:
            return self._parsed()  # no cache can be written (a read-only home)
        packed = self._parsed()
        tmp = path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")  # one per builder
        with contextlib.suppress(OSError), removed_on_failure(tmp):
            tmp.write_text(json.dumps(packed, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
            prune_older_versions(path)
            for legacy in path.parent.glob("lemminflect-lemmas-*-v1.json"):  # v1's names
                legacy.unlink(missing_ok=True)
        return packed

    def _parsed(self) -> dict[str, str]:
        return {word: _encode(entries) for word, entries in self._parse().items()}


class CachedLemmaTable(_CachedTable):
    """lemminflect's ``lemma_dict`` from the cache."""

    def __init__(self) -> None:
        # v2: the same table, named as unspin's other caches are, so that
        # prune_older_versions finds those of other lemminflect releases.
        super().__init__("lemminflect-lemmas-v2", parsed_lemma_table)


class CachedInflectionTable(_CachedTable):
    """lemminflect's ``infl_dict`` (inflections by lemma) from the cache."""

    def __init__(self) -> None:
        super().__init__("lemminflect-inflections-v1", parsed_inflection_table)


def install_lemma_table() -> None:
    """Have lemminflect's singletons read the cached tables (unless they already loaded their
    own): the lemmas, and the inflections."""
    lemmatizer = Lemmatizer()
    if not hasattr(lemmatizer, "lemma_dict"):
        lemmatizer.lemma_dict = CachedLemmaTable()
    inflections = Inflections()
    if not hasattr(inflections, "infl_dict"):
        inflections.infl_dict = CachedInflectionTable()


@lru_cache(maxsize=50_000)
def known_lemmas(word: str) -> frozenset[str]:
    """Lemmas of ``word`` in lemminflect's dictionary, lower case (empty for words it does not
    know: no rules guessed).

    >>> sorted(known_lemmas("fell"))
    ['fall', 'fell']
    """
    found = lemminflect.getAllLemmas(word)
    return frozenset(lem.lower() for forms in found.values() for lem in forms)


@lru_cache(maxsize=50_000)
def is_auxiliary(word: str) -> bool:
    """lemminflect reads ``word`` as an auxiliary verb (its AUX category: the forms of "do",
    "have" and "be" and the modals "can", "could", "will", "would", "shall", "should", "may",
    "might", "must", "ought", "need", "dare"), the verbs a negator follows ("could not").

    >>> [is_auxiliary(w) for w in ("could", "might", "did", "help", "not")]
    [True, True, True, False, False]
    """
    return "AUX" in lemminflect.getAllLemmas(word)


@lru_cache(maxsize=1)
def pronouns() -> frozenset[str]:
    """English pronouns and possessive determiners ("her", "its", "themselves", "whose"):
    lemminflect's lemma overrides, which list the pronouns its dictionary lacks, and only those.

    >>> {"her", "its", "their", "he"} <= pronouns(), "spokesman" in pronouns()
    (True, False)
    """
    return frozenset(OverridesCodec.load(Lemmatizer().overrides_fn))
