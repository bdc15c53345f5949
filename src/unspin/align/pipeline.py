"""The aligner's stages in order: seeds, extension, summaries, filters, edges, verifier.

:func:`candidate_passages` runs everything up to the verifier, so the verifier's training
script sees the same candidates; :func:`align_prepared` adds the verifier and :func:`align`
prepares the two texts first.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigError
from ..types import Passage
from ..validate import check_config
from ..verifier import load_verifier, passage_features
from .config import AlignConfig
from .fragments import (
    _extend,
    _Fragment,
    _fragment_cosine,
    _long_enough,
    _resolve_overlaps,
    _spun,
)
from .profiles import NEWS_PAIR
from .refine import _refine
from .seeds import _seeds
from .summary import _summarise
from .units import Prepared, prepare, window_words


def _to_passages(
    frags: Sequence[_Fragment],
    src: Prepared,
    tgt: Prepared,
    cfg: AlignConfig,
    seed_cos: dict[tuple[int, int], float],
    summaries: Sequence[_Fragment] = (),
    with_features: bool = False,
) -> list[tuple[Passage, list[float]]]:
    """Fragments as character passages (long enough ones), each with its verifier features
    when ``with_features`` (else an empty list)."""
    out: list[tuple[Passage, list[float]]] = []
    for f in frags:
        s0, s1, t0, t1 = _refine(src, tgt, f, cfg)
        if t1 - t0 < cfg.min_target_chars or s1 - s0 < cfg.min_source_chars:
            continue
        features = []
        if with_features:
            features = passage_features(
                similarity=f.sim,
                seed_count=f.seeds,
                seeds=seed_cos,
                src_units=f.src,
                tgt_units=f.tgt,
                source_chars=s1 - s0,
                target_chars=t1 - t0,
                source_words=window_words(src, s0, s1),
                target_words=window_words(tgt, t0, t1),
                summary=any(f is m for m in summaries),
            )
        out.append((Passage(s0, s1, t0, t1, round(min(1.0, f.sim), 4)), features))
    return out


def align_prepared(
    src: Prepared, tgt: Prepared, config: AlignConfig | None = None
) -> list[Passage]:
    """Align two prepared texts (see :func:`prepare`); the reusable core of :func:`align`
    (the same default: the "news-pair" profile)."""
    cfg = config or NEWS_PAIR.config
    verify = cfg.verify_threshold is None or cfg.verify_threshold > 0
    found = candidate_passages(src, tgt, cfg, with_features=verify)
    if not verify:
        return [p for p, _ in found]
    verifier = load_verifier()
    threshold = verifier.threshold if cfg.verify_threshold is None else cfg.verify_threshold
    return [p for p, x in found if verifier.probability(x) >= threshold]


def candidate_passages(
    src: Prepared, tgt: Prepared, cfg: AlignConfig, *, with_features: bool = False
) -> list[tuple[Passage, list[float]]]:
    """The passages before verification, each with its verifier features (see
    :mod:`unspin.verifier`; empty unless ``with_features``)."""
    if not src.terms or not tgt.terms:
        return []
    seed_cos = _seeds(src, tgt, cfg)
    if not seed_cos:
        return []
    seeds = sorted(seed_cos)
    frags = [
        f
        for f in _extend(src, tgt, seeds, cfg.maxgap, cfg)
        if f.seeds >= cfg.min_seeds
        or f.sim >= cfg.single_seed_cosine
        # A fragment on one seed that reaches it with synonyms counted, in order: a
        # sentence spun by a thesaurus, not one on the same topic.
        or _spun(src, tgt, f.src, f.tgt, cfg, cfg.single_seed_cosine)
    ]
    # Summaries: a short run of target sentences whose seeds spread over a long stretch of
    # the source. They replace the ordinary fragments they overlap in the target, but for
    # the sentences of a longer fragment that lie outside them (see _with_summaries).
    summaries = _summarise(src, tgt, seed_cos, cfg)
    if summaries:
        frags = _with_summaries(frags, summaries, src, tgt, seed_cos, cfg)
    frags = _resolve_overlaps(_long_enough(frags, src, tgt, cfg), tgt)
    return _to_passages(frags, src, tgt, cfg, seed_cos, summaries, with_features)


def _with_summaries(
    frags: Sequence[_Fragment],
    summaries: Sequence[_Fragment],
    src: Prepared,
    tgt: Prepared,
    seed_cos: dict[tuple[int, int], float],
    cfg: AlignConfig,
) -> list[_Fragment]:
    """The summaries and the ordinary fragments they leave: a fragment no summary overlaps in
    the target stays whole; one that summaries overlap is replaced, unless
    ``cfg.summary_trims_fragments`` and most of its target units lie outside every summary
    (:func:`_run_outside`): then it keeps its longest run of units outside them, with its seeds
    and cosine counted again there, when that run has the seeds (or the cosine) a fragment
    needs."""
    out = list(summaries)
    for f in frags:
        if not any(f.tgt[0] <= m.tgt[1] and m.tgt[0] <= f.tgt[1] for m in summaries):
            out.append(f)
            continue
        tj = _run_outside(f.tgt, summaries) if cfg.summary_trims_fragments else None
        if tj is None:
            continue
        seeds = sum(1 for i, j in seed_cos if tj[0] <= j <= tj[1] and f.src[0] <= i <= f.src[1])
        sim = _fragment_cosine(src, tgt, f.src, tj)
        if seeds and (seeds >= cfg.min_seeds or sim >= cfg.single_seed_cosine):
            out.append(_Fragment(f.src, tj, sim, seeds))
    return out


def _run_outside(tgt: tuple[int, int], summaries: Sequence[_Fragment]) -> tuple[int, int] | None:
    """The longest run of target units ``tgt`` (inclusive) outside every summary, when most
    of them lie outside; None when half or more lie inside (the summaries replace them).

    >>> s = [_Fragment((0, 40), (9, 11), 0.38, 5)]
    >>> _run_outside((0, 9), s), _run_outside((8, 11), s), _run_outside((7, 14), s)
    ((0, 8), None, (12, 14))
    """
    units = range(tgt[0], tgt[1] + 1)
    outside = [j for j in units if not any(m.tgt[0] <= j <= m.tgt[1] for m in summaries)]
    if 2 * len(outside) <= len(units):
        return None
    runs: list[list[int]] = []
    for j in outside:
        if runs and runs[-1][-1] == j - 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    run = max(runs, key=len)
    return run[0], run[-1]


def align(source: str, target: str, config: AlignConfig | None = None) -> list[Passage]:
    """Find the passages of ``target`` reused from ``source``.

    Without ``config`` it aligns with the "news-pair" profile, as :func:`unspin.compare` does,
    so the two find the same passages; PAN evaluation passes ``profile("pan").config`` (see
    :mod:`unspin.align.profiles`).

    >>> src = "The cat sat on the mat. It was a sunny day in the old town of Bath."
    >>> align(src, src, AlignConfig(min_target_chars=1, min_source_chars=1))[0].target_end
    67
    """
    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, str):  # else a TypeError from deep in the tokenizer
            raise ConfigError(f"align: {name} must be a str, not {type(value).__name__}")
    check_config("align", config, AlignConfig)
    cfg = config or NEWS_PAIR.config
    return align_prepared(prepare(source, cfg), prepare(target, cfg), cfg)
