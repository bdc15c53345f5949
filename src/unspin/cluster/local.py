"""The local engine: every stage in this process, with stage files under ``OUT/stages/local``.

It holds all texts in memory, which is right up to a few hundred thousand articles; beyond
that use the Spark engine (:mod:`.spark`), which calls the same kernels.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..align import Prepared
from ..jsonl_files import read_jsonl, write_jsonl
from .build import build_clusters, label_all
from .files import Progress, check_stage_dir, holding, meta, run_digest
from .kernels import (
    ClusterConfig,
    DocRecord,
    PassageRecord,
    align_pair,
    as_passage_record,
    candidate_pairs,
    copy_groups,
    copy_pairs,
    df_cap,
    doc_features,
    edit_summary,
    text_digest,
)
from .outputs import ClusterRun, write_outputs

# Prepared texts kept between pairs; pairs come sorted by their first document, so a small
# cache catches most reuse without holding every prepared text.
_PREPARED_CACHE = 4096


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def _align_all(
    pairs: list[tuple[int, int, int]],
    docs: dict[int, DocRecord],
    config: ClusterConfig,
    progress: Progress,
) -> Iterable[PassageRecord]:
    cache: dict[int, Prepared] = {}
    for i, (a, b, _shared) in enumerate(pairs):
        if len(cache) > _PREPARED_CACHE:
            cache.clear()
        yield from align_pair(docs[a], docs[b], config, cache)
        progress("aligning pairs", i + 1, len(pairs))


def run_local(
    documents: Iterable[DocRecord],
    out: str | Path,
    config: ClusterConfig | None = None,
    progress: Progress | None = None,
    stored_features: Callable[[], dict[int, list[int]] | None] | None = None,
) -> ClusterRun:
    """Cluster ``documents`` and write every output into ``out``; reuses finished stages.
    ``progress`` hears of each stage as it goes (the alignment, the long one, pair by pair).
    ``stored_features`` gives the documents' features where a store holds them already
    (:func:`.files.store_features`), or None; a document without them is fingerprinted."""
    out, report = Path(out), progress or _no_progress
    with holding(out, report):
        return _run_local(documents, out, config or ClusterConfig(), report, stored_features)


def _run_local(
    documents: Iterable[DocRecord],
    out: Path,
    cfg: ClusterConfig,
    report: Progress,
    stored_features: Callable[[], dict[int, list[int]] | None] | None,
) -> ClusterRun:
    report("reading documents", 0, None)
    run = ClusterRun("local", out)
    docs = {d["key"]: d for d in documents}
    metas = {k: meta(d) for k, d in sorted(docs.items())}
    run.documents = len(docs)
    stage_dir = out / "stages" / "local"
    run.replaced_stages = check_stage_dir(stage_dir, run_digest(metas.values(), cfg))

    t0 = time.perf_counter()
    pairs_file = stage_dir / "pairs.jsonl"
    if pairs_file.exists():
        pairs = [(int(a), int(b), int(n)) for a, b, n in read_jsonl(pairs_file)]
        run.resumed.append("pairs")
    else:
        report("finding candidate pairs", 0, None)
        # One text, one voice: features and pairs of the earliest copy of each text only.
        groups = copy_groups(
            (k, docs[k]["date"], text_digest(docs[k]["text"])) for k in sorted(docs)
        )
        firsts = sorted(set(groups.values()))
        known = (stored_features() if stored_features is not None else None) or {}
        feats = {k: known[k] if k in known else doc_features(docs[k]["text"]) for k in firsts}
        pairs = candidate_pairs(
            ((k, feats[k]) for k in firsts), df_cap(len(firsts), cfg), cfg.min_shared
        )
        counts = {k: len(f) for k, f in feats.items()}
        pairs = sorted(pairs + copy_pairs(groups, counts, cfg.min_shared))
        write_jsonl(pairs_file, ([a, b, n] for a, b, n in pairs))
    run.pairs = len(pairs)
    run.seconds["features+pairs"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    passages_file = stage_dir / "passages.jsonl"
    if passages_file.exists():
        passages = [as_passage_record(r) for r in read_jsonl(passages_file)]
        run.resumed.append("passages")
    else:
        passages = list(_align_all(pairs, docs, cfg, report))
        write_jsonl(passages_file, passages)
    run.passages = len(passages)
    run.seconds["align"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    clusters = build_clusters(passages, metas)
    run.seconds["cluster"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if cfg.label_edits:
        report("labelling edits", 0, None)
        label_all(clusters, lambda k: docs[k]["text"], edit_summary)
    run.seconds["edits"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_outputs(out, clusters, passages, metas, run)
    run.seconds["outputs"] = time.perf_counter() - t0
    return run
