"""Seeds: the sentence pairs similar enough to start a passage.

A pair seeds on its tf-isf cosine and Dice coefficient; a weaker pair seeds next to a seed on
the diagonal (or anti-diagonal), and a seed must be nearly the best pairing of both its
sentences. Moby synonyms can optionally count as down-weighted matches, for thesaurus spinning.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection

from ..lexicon import thesaurus
from .config import AlignConfig
from .units import Prepared, word_units

# Diagonal steps (source, target) at which a seed vouches for a weaker pair.
_STEPS = ((1, 1), (1, 2), (2, 1), (2, 2))


def _weights(
    src: Prepared,
    tgt: Prepared,
    src_units: Collection[int] | None = None,
    tgt_units: Collection[int] | None = None,
) -> tuple[
    dict[int, dict[str, float]], dict[int, dict[str, float]], dict[int, float], dict[int, float]
]:
    """tf-isf weighted, unnormalised vectors for both sides plus their norms, only for
    ``src_units`` and ``tgt_units`` (default all; units that share no word with the other
    side cannot seed, and a long source against a long article has many of those)."""
    df: Counter[str] = Counter({w: len(js) for w, js in word_units(src).items()})
    for w, js in word_units(tgt).items():
        df[w] += len(js)
    n = len(src.terms) + len(tgt.terms)
    # Smoothed: with few units (a short article) plain log(n/df) would zero every shared term.
    isf = {w: math.log((n + 1) / d) for w, d in df.items()}

    def vecs(
        p: Prepared, units: Collection[int] | None
    ) -> tuple[dict[int, dict[str, float]], dict[int, float]]:
        vs: dict[int, dict[str, float]] = {}
        norms: dict[int, float] = {}
        for i in range(len(p.terms)) if units is None else sorted(units):
            v = vs[i] = {w: tf * isf[w] for w, tf in p.terms[i].items()}
            norms[i] = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return vs, norms

    sv, sn = vecs(src, src_units)
    tv, tn = vecs(tgt, tgt_units)
    return sv, tv, sn, tn


def _seeds(src: Prepared, tgt: Prepared, cfg: AlignConfig) -> dict[tuple[int, int], float]:
    """Sentence pairs (source index, target index) similar enough to seed a passage, with
    their cosine.

    With ``synonym_weight > 0``, a near-miss pair may also qualify through words that Moby
    lists as synonyms: that is what a thesaurus spinner changes. It is off for general text
    alignment (PAN): Moby is broad enough that synonym matches stretch passages past their
    ends, which cost more precision than they gave recall."""
    index = word_units(tgt)
    common = word_units(src).keys() & index.keys()
    src_units = [i for i, c in enumerate(src.terms) if not common.isdisjoint(c)]
    sv, tv, sn, tn = _weights(src, tgt, src_units, {j for w in common for j in index[w]})
    # Each shared word's target postings with their weights, looked up once per pair of texts.
    postings = {w: [(j, tv[j][w]) for j in index[w]] for w in common}
    # A pair below all of these cosines can neither seed nor be a near miss: its shared
    # words are counted only when it is not.
    synonyms = cfg.synonym_weight > 0
    low = min(cfg.seed_cosine, cfg.diagonal_cosine)
    scored: list[tuple[int, int, float]] = []
    weak: list[tuple[int, int, float]] = []
    for i in src_units:
        v = sv[i]
        dots: dict[int, float] = {}
        for w, x in v.items():
            if w not in common:
                continue
            for j, y in postings[w]:
                dots[j] = dots.get(j, 0.0) + x * y
        len_i = len(src.terms[i])
        for j, dot in dots.items():
            cos = dot / (sn[i] * tn[j])
            if cos <= low and not (synonyms and cfg.synonym_floor <= cos):
                continue
            n_shared = float(len(src.terms[i].keys() & tgt.terms[j].keys()))
            if synonyms and cfg.synonym_floor <= cos <= cfg.seed_cosine:
                # Near miss: count Moby synonyms among the unmatched words (a spinner's swaps).
                extra_dot, extra_n = _synonym_matches(v, tv[j], cfg.synonym_weight)
                dot += extra_dot
                n_shared += extra_n
                cos = dot / (sn[i] * tn[j])
            dice = 2.0 * n_shared / (len_i + len(tgt.terms[j]))
            if cos > cfg.seed_cosine and dice > cfg.seed_dice:
                scored.append((i, j, cos))
            elif cos > cfg.diagonal_cosine and dice > cfg.diagonal_cosine:
                weak.append((i, j, cos))
    if weak:
        # A pair too weak to seed alone seeds next to a seed on the diagonal (one or two
        # sentences on, on both sides): the garbled first or last sentence of a reuse.
        # Same-topic sentences rarely line up with a seed like that.
        strong = {(i, j) for i, j, _ in scored}
        steps = _STEPS + tuple((a, -b) for a, b in _STEPS) if cfg.shuffled_neighbours else _STEPS
        scored += [
            (i, j, c)
            for i, j, c in weak
            if any((i + a, j + b) in strong or (i - a, j - b) in strong for a, b in steps)
        ]
    # A seed must be nearly as good as the best pairing of *both* its sentences: a source
    # sentence that merely shares a few words with a copied target sentence (whose true
    # counterpart matches far better) would otherwise stretch passages past their ends.
    # A source sentence's best is taken near the seed only: a source reused twice (once
    # verbatim, once heavily reworded elsewhere) must not suppress the weaker reuse.
    by_i: dict[int, list[tuple[int, float]]] = defaultdict(list)
    best_j: dict[int, float] = defaultdict(float)
    for i, j, cos in scored:
        by_i[i].append((j, cos))
        best_j[j] = max(best_j[j], cos)
    r = cfg.seed_relative
    k = cfg.seed_locality
    out: dict[tuple[int, int], float] = {}
    for i, j, cos in scored:
        local = max(c for jj, c in by_i[i] if k == 0 or abs(jj - j) <= k)
        if cos >= r * local and cos >= r * best_j[j]:
            out[(i, j)] = cos
    return out


def _synonym_matches(
    a: dict[str, float], b: dict[str, float], weight: float
) -> tuple[float, float]:
    """Dot-product and match-count contributions of synonym pairs between two sentences.

    Each unmatched stem of ``a`` pairs with at most one unmatched stem of ``b`` that the Moby
    thesaurus lists as its synonym; a pair counts ``weight`` of an exact match.
    """
    th = thesaurus()
    left = [w for w in a if w not in b and not w.isdigit()]
    right = [w for w in b if w not in a and not w.isdigit()]
    if not left or not right:
        return 0.0, 0.0
    used: set[str] = set()
    dot = n = 0.0
    for w in left:
        for u in right:
            if u not in used and th.are_synonym_stems(w, u):
                used.add(u)
                dot += weight * a[w] * b[u]
                n += weight
                break
    return dot, n
