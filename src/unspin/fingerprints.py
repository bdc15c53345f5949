"""Fingerprints that survive article spinning, used to find candidate sources fast.

Word shingles and MinHash break when a spinner swaps every second content word. These
features lean on what spinners leave intact:

* **Function-word n-grams** (Stamatatos 2011): the sequence of the most frequent English words
  (from wordfreq) with content words removed. Spinners replace content words, so these
  sequences survive synonym swaps almost untouched.
* **Content-word pairs**: adjacent content-word stems as an unordered pair. Many survive light
  spinning, translation round trips and summaries, and names and numbers (which spinners
  keep) make them specific.

Each feature is a signed 32-bit hash with its kind mixed in, so the two families never collide
on purpose. 32 bits keep every stored posting 4 bytes smaller than a 64-bit hash (the postings are
most of the store); at a million news stories (~40 million distinct features) about 1% of
features share a hash with another, which adds a little noise to the votes and never decides
them (a candidate needs several shared features). The same functions feed the store, trace
and clustering.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .text import FUNCTION_WORDS, STOPWORDS, Tokens, stem, tokenize
from .validate import Rule, check_fields, count

FEATURE_VERSION = 2  # bump when extraction changes: stored postings become stale
# v2: 32-bit feature hashes (v1: 64-bit).

# How words are read, where a change leaves the fingerprints of most texts as they were:
# 2 reads words through invisible characters ("gov\u200bernment") and with their combining
# marks (decomposed accents, Indic vowel signs). A store stamped lower (or not at all: 1) may
# hold such texts' fingerprints read the old way, which an article read the new way misses
# until ``unspin reindex``; bumping FEATURE_VERSION instead would make every store, English
# ones too, refuse to open until re-indexed. See :func:`unspin.lookalikes.reading_note`.
WORD_READING = 2

# Common features. A feature in many documents is boilerplate, not evidence of reuse; every
# consumer skips the features over its limit, computed by :func:`common_feature_limit` from
# the values set here (and nowhere else), which differ on purpose:
# - retrieval (one article against the store): at most COMMON_DF_CAP documents, nor more than
#   5% of them, but at least 10 on a tiny store (RetrievalConfig.max_df, .max_df_share);
# - the store keeps no postings of a feature in more than COMMON_DF_CAP texts (retrieval
#   never reads them; at a million stories they would hold ~8% of all postings);
# - clusters (every pair of a corpus): 0.5% of the documents, at least 50: all-pairs work
#   grows with the square of a feature's frequency (ClusterConfig.df_share, .df_floor).
COMMON_DF_CAP = 2000
RETRIEVAL_COMMON_SHARE = 0.05
RETRIEVAL_COMMON_FLOOR = 10
CLUSTER_COMMON_SHARE = 0.005
CLUSTER_COMMON_FLOOR = 50


def common_feature_limit(n_docs: int, share: float, floor: int, cap: int | None = None) -> int:
    """Largest document frequency a feature may have and still count as evidence of reuse,
    in a collection of ``n_docs`` documents: ``share`` of them, at least ``floor``, at most
    ``cap``.

    >>> common_feature_limit(1_000_000, RETRIEVAL_COMMON_SHARE, RETRIEVAL_COMMON_FLOOR, 2000)
    2000
    >>> common_feature_limit(100, RETRIEVAL_COMMON_SHARE, RETRIEVAL_COMMON_FLOOR, 2000)
    10
    """
    limit = max(floor, int(share * n_docs))
    return limit if cap is None else min(cap, limit)


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    function_ngram: int = 6
    pair_window: int = 1  # content-word pairs: adjacent (1) or also skip-one (2)

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


_RULES: dict[str, Rule] = {
    "function_ngram": count(1, "function words in a row"),
    "pair_window": count(1, "words between paired content words"),
}


def _hashes(kind: str, keys: Iterable[str]) -> set[int]:
    """The features of ``keys`` of one ``kind`` (4 bytes of blake2b, signed): the numbers
    every store holds, so they must never change. One loop for all the keys, no call per key
    (a second query hashes a few thousand pairs).

    >>> sorted(_hashes("c", ["a|b", "b|c"]))
    [-1131298832, 275446783]
    """
    blake2b, from_bytes, prefix = hashlib.blake2b, int.from_bytes, kind + "\x1f"
    return {
        from_bytes(blake2b((prefix + key).encode(), digest_size=4).digest(), "big", signed=True)
        for key in keys
    }


def function_ngrams(tokens: Tokens, n: int) -> list[str]:
    """Consecutive runs of ``n`` function words (content words skipped)."""
    fw = [w for w in tokens.norms if w in FUNCTION_WORDS]
    return [" ".join(fw[i : i + n]) for i in range(len(fw) - n + 1)]


def content_positions(tokens: Tokens) -> list[int]:
    """Indices of the content words among ``tokens``: the words :func:`content_pairs` pairs."""
    return [
        i for i, w in enumerate(tokens.norms) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


def content_pairs(tokens: Tokens, window: int = 1) -> list[str]:
    """Unordered pairs of nearby content-word stems ("rate|rais" for "raised rates")."""
    cw = [stem(tokens.norms[i]) for i in content_positions(tokens)]
    out: list[str] = []
    for i in range(len(cw)):
        for k in range(1, window + 1):
            if i + k < len(cw):
                a, b = cw[i], cw[i + k]
                if a != b:
                    out.append(f"{a}|{b}" if a < b else f"{b}|{a}")
    return out


def pairs_with_originals(
    stems: Sequence[str], originals: Sequence[Sequence[str]], window: int = 1
) -> set[int]:
    """Content-pair features (see :func:`content_pairs`: ``stems`` are the content words'
    stems in order) with one word of a pair read as one of its likely ``originals`` (stems
    too, one tuple per word) and the other as written: a spinner that swapped one word of a
    stored pair left the stored pair as one of these. Both words swapped are not tried: the
    features would grow with the square of the originals per word.

    >>> pairs_with_originals(["big", "rise"], [["larg"], []]) == _hashes(
    ...     "c", ["big|rise", "larg|rise"]
    ... )
    True
    """
    pairs: set[str] = set()
    add, n = pairs.add, len(stems)
    for i, a in enumerate(stems):
        mine = originals[i]
        for j in range(i + 1, min(n, i + window + 1)):
            b = stems[j]
            for x, y in ((a, b), *((o, b) for o in mine), *((a, o) for o in originals[j])):
                if x != y:
                    add(f"{x}|{y}" if x < y else f"{y}|{x}")
    return _hashes("c", pairs)


def fingerprint_tokens(tokens: Tokens, config: FeatureConfig | None = None) -> set[int]:
    cfg = config or FeatureConfig()
    feats = _hashes("f", function_ngrams(tokens, cfg.function_ngram))
    feats.update(_hashes("c", content_pairs(tokens, cfg.pair_window)))
    return feats


def fingerprint(text: str, config: FeatureConfig | None = None) -> set[int]:
    """The set of spin-robust feature hashes of a text."""
    return fingerprint_tokens(tokenize(text), config)
