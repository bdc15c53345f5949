"""Run the alignment over PAN pairs (optionally in worker processes) and score the result.

Each worker reads its pair's two texts itself, so only file names cross process boundaries,
and times the align call with ``time.process_time`` so CPU cost per pair is measured where it is
spent. Results come back in pair order whatever the number of workers, so scores are identical
for any ``workers`` value.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cpus import usable_cpus
from ..errors import ConfigError, UnspinError
from ..types import Passage
from .metrics import Counts, Measures, measures, score
from .pan import Annotation, Pair, PanCorpus, passages_to_detections, read_cases, read_text

Aligner = Callable[[str, str], list[Passage]]

# The seed of the stratified sample the quality gate and `--sample` use unless told otherwise.
DEFAULT_SEED = 13


@dataclass(frozen=True, slots=True)
class PairResult:
    """What the aligner found for one pair and what it cost."""

    pair: Pair
    detections: tuple[Annotation, ...]
    cpu_seconds: float  # time.process_time around the align call, in the worker
    seconds: float  # wall time of the align call


@dataclass(frozen=True, slots=True)
class GroupReport:
    """Measures and cost of a group of pairs (a section, or all of them)."""

    measures: Measures
    pairs: int
    seconds: float  # summed wall time of the align calls
    cpu_ms_median: float
    cpu_ms_mean: float

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.measures.to_dict(),
            "pairs": self.pairs,
            "seconds": round(self.seconds, 3),
            "cpu_ms_per_pair_median": round(self.cpu_ms_median, 3),
            "cpu_ms_per_pair_mean": round(self.cpu_ms_mean, 3),
        }


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Per-section and overall scores of one evaluation run."""

    sections: dict[str, GroupReport]
    overall: GroupReport  # computed over the union of all pairs, not averaged over sections
    pairs: int
    seconds: float  # elapsed wall time of the whole run
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sections = {name: group.to_dict() for name, group in self.sections.items()}
        sections["all"] = self.overall.to_dict()
        return {
            "sections": sections,
            "pairs": self.pairs,
            "seconds": round(self.seconds, 3),
            "seconds_per_pair": round(self.seconds / self.pairs, 6) if self.pairs else 0.0,
            "cpu_ms_per_pair_median": round(self.overall.cpu_ms_median, 3),
            "cpu_ms_per_pair_mean": round(self.overall.cpu_ms_mean, 3),
            **self.meta,
        }


def sample_pairs(pairs: Sequence[Pair], n: int, seed: int = DEFAULT_SEED) -> list[Pair]:
    """A stratified sample of N pairs: an equal share from every section, in corpus order.

    Sections listed first take the remainder when N does not divide evenly; a section with fewer
    pairs than its share gives all it has. Each section draws with its own generator seeded by
    ``f"{seed}:{section}"``, so one section's sample does not change when others are added.
    """
    if n <= 0:
        raise ConfigError(f"--sample must be a positive number of pairs, got {n}")
    by_section: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_section.setdefault(pair.section, []).append(pair)
    sections = sorted(by_section)
    if not sections:
        return []
    share, extra = divmod(n, len(sections))
    chosen: set[Pair] = set()
    for index, section in enumerate(sections):
        members = by_section[section]
        quota = min(len(members), share + (1 if index < extra else 0))
        chosen.update(random.Random(f"{seed}:{section}").sample(members, quota))
    return [pair for pair in pairs if pair in chosen]


def sample_digest(pairs: Sequence[Pair]) -> str:
    """A SHA-256 of a list of pairs, to tell whether floors were measured on the same sample."""
    listing = "".join(f"{p.section} {p.suspicious} {p.source}\n" for p in pairs)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def align_pan(source: str, target: str) -> list[Passage]:
    """The default aligner: :func:`unspin.align.align` with the "pan" profile (the settings
    tuned on PAN 2013 training pairs; see :mod:`unspin.align.profiles`)."""
    # Imported here, not at module level, so the evaluator loads without the aligner's
    # dependencies and each spawned worker imports it once, in its initialiser.
    from ..align import align
    from ..align.profiles import PAN

    return align(source, target, PAN.config)


def _resolve(aligner: Aligner | None) -> Aligner:
    return aligner if aligner is not None else align_pan


def align_pair(root: Path, aligner: Aligner, pair: Pair) -> PairResult:
    """Read one pair's texts below ROOT, align them and time the align call."""
    source = read_text(root / "src" / pair.source)
    target = read_text(root / "susp" / pair.suspicious)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        passages = aligner(source, target)
    except Exception as exc:
        raise UnspinError(
            f"alignment failed on {pair.suspicious} / {pair.source}: {type(exc).__name__}: {exc}"
        ) from exc
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    return PairResult(pair, tuple(passages_to_detections(pair, passages)), cpu, wall)


# Per-process state of a pool worker, set once by its initialiser.
_worker: tuple[Path, Aligner] | None = None


def _init_worker(root: Path, aligner: Aligner | None) -> None:
    global _worker
    _worker = (root, _resolve(aligner))


def _indexed_align(item: tuple[int, Pair]) -> tuple[int, PairResult]:
    assert _worker is not None, "pool worker was not initialised"
    index, pair = item
    return index, align_pair(*_worker, pair)


def run_pairs(
    corpus: PanCorpus,
    pairs: Sequence[Pair],
    workers: int | None = None,
    aligner: Aligner | None = None,
    on_result: Callable[[PairResult], None] | None = None,
) -> list[PairResult]:
    """Align every pair and return the results in the order of PAIRS.

    ``workers`` defaults to the number of CPUs this process may use; 1 runs in this process. Worker processes are
    started with the spawn method, so ALIGNER (default :func:`align_pan`) must be a
    module-level function. ``on_result`` is called in this process as each pair finishes
    (in completion order), e.g. to advance a progress bar.
    """
    if workers is None:
        workers = usable_cpus()
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    workers = min(workers, max(1, len(pairs)))
    results: dict[int, PairResult] = {}
    if workers == 1:
        resolved = _resolve(aligner)
        for index, pair in enumerate(pairs):
            results[index] = align_pair(corpus.root, resolved, pair)
            if on_result:
                on_result(results[index])
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, _init_worker, (corpus.root, aligner)) as pool:
            for index, result in pool.imap_unordered(_indexed_align, enumerate(pairs)):
                results[index] = result
                if on_result:
                    on_result(result)
    return [results[index] for index in range(len(pairs))]


def _group(scored: Sequence[tuple[PairResult, Counts]]) -> GroupReport:
    counts = Counts()
    for _, pair_counts in scored:
        counts = counts + pair_counts
    cpu_ms = [result.cpu_seconds * 1000 for result, _ in scored]
    return GroupReport(
        measures=measures(counts),
        pairs=len(scored),
        seconds=sum(result.seconds for result, _ in scored),
        cpu_ms_median=statistics.median(cpu_ms) if cpu_ms else 0.0,
        cpu_ms_mean=statistics.fmean(cpu_ms) if cpu_ms else 0.0,
    )


def report(corpus: PanCorpus, results: Sequence[PairResult], seconds: float) -> EvalReport:
    """Score RESULTS per section and over all of them (the union of their pairs)."""
    scored = [(r, score(read_cases(corpus, r.pair), r.detections)) for r in results]
    sections = {}
    for section in corpus.sections:
        members = [item for item in scored if item[0].pair.section == section]
        if members:
            sections[section] = _group(members)
    return EvalReport(
        sections=sections,
        overall=_group(scored),
        pairs=len(results),
        seconds=seconds,
    )


def evaluate_corpus(
    corpus: PanCorpus,
    pairs: Sequence[Pair] | None = None,
    workers: int | None = None,
    aligner: Aligner | None = None,
    on_result: Callable[[PairResult], None] | None = None,
) -> tuple[EvalReport, list[PairResult]]:
    """Align PAIRS (default: every pair of the corpus) and score them; see ``run_pairs``."""
    chosen = corpus.pairs if pairs is None else pairs
    start = time.perf_counter()
    results = run_pairs(corpus, chosen, workers=workers, aligner=aligner, on_result=on_result)
    return report(corpus, results, time.perf_counter() - start), results
