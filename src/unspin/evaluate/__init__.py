"""Evaluation of unspin's alignment on the PAN text-alignment benchmark.

``pan`` reads a PAN corpus and reads/writes PAN annotation XML, ``metrics`` computes the
official PAN measures (plagdet, precision, recall, granularity), and ``runner`` aligns the pairs
of a corpus, optionally in worker processes, and scores them per section and overall.
"""

from .metrics import Counts, Measures, evaluate, measures, plagdet_score, score
from .pan import (
    Annotation,
    Pair,
    PanCorpus,
    detections_xml,
    read_annotations,
    read_cases,
    read_corpus,
    write_detections,
)
from .runner import (
    DEFAULT_SEED,
    EvalReport,
    GroupReport,
    PairResult,
    evaluate_corpus,
    report,
    run_pairs,
    sample_digest,
    sample_pairs,
)

__all__ = [
    "DEFAULT_SEED",
    "Annotation",
    "Counts",
    "EvalReport",
    "GroupReport",
    "Measures",
    "Pair",
    "PairResult",
    "PanCorpus",
    "detections_xml",
    "evaluate",
    "evaluate_corpus",
    "measures",
    "plagdet_score",
    "read_annotations",
    "read_cases",
    "read_corpus",
    "report",
    "run_pairs",
    "sample_digest",
    "sample_pairs",
    "score",
    "write_detections",
]
