"""The PAN text-alignment measures, as the official evaluator defines them.

Follows ``perfmeasures.py`` by Potthast et al. (PAN 2009-2015; Potthast, Stein, Barrón-Cedeño
and Rosso, "An Evaluation Framework for Plagiarism Detection", COLING 2010):

* A case or detection is a pair of character ranges, one in a suspicious document and one in a
  source document. A detection *overlaps* a case when both ranges overlap the case's ranges in
  the same documents (strict overlap: ranges that only touch do not overlap).
* Recall is macro-averaged over cases: a case's recall is the number of its characters (on the
  suspicious side plus on the source side) covered by the union of the detections overlapping
  it, divided by its length on both sides. Precision is the same with cases and detections
  swapped.
* Granularity is the mean number of overlapping detections over the cases detected at all.
* plagdet = F1(precision, recall) / log2(1 + granularity).

Edge cases, as in the official code: with neither cases nor detections, recall and precision
are 1; with only one of the two, both are 0 (so a section without cases scores plagdet 1 when
nothing is detected and 0 as soon as anything is); granularity is 1 without detections or
without detected cases; plagdet is 0 when precision and recall are both 0.

Because a detection can only overlap a case of the same document pair, every sum splits by
pair: ``score`` returns additive ``Counts`` and scoring a corpus is summing counts over its pairs
(never averaging section scores). Coverage is computed with merged intervals, not per-character
sets, so a book-length document costs no more than a short one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .pan import Annotation


@dataclass(frozen=True, slots=True)
class Counts:
    """Additive sums behind the measures; add the counts of pairs to score them together."""

    cases: int = 0
    detections: int = 0
    recall_sum: float = 0.0  # sum of per-case recall
    precision_sum: float = 0.0  # sum of per-detection precision
    detected_cases: int = 0  # cases overlapped by at least one detection
    overlaps: int = 0  # sum over cases of the number of detections overlapping them

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            cases=self.cases + other.cases,
            detections=self.detections + other.detections,
            recall_sum=self.recall_sum + other.recall_sum,
            precision_sum=self.precision_sum + other.precision_sum,
            detected_cases=self.detected_cases + other.detected_cases,
            overlaps=self.overlaps + other.overlaps,
        )


@dataclass(frozen=True, slots=True)
class Measures:
    """The PAN measures of a set of cases and detections."""

    plagdet: float
    precision: float
    recall: float
    granularity: float
    cases: int
    detections: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "plagdet": round(self.plagdet, 6),
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "granularity": round(self.granularity, 6),
            "cases": self.cases,
            "detections": self.detections,
        }


def _document(reference: str) -> str:
    # The official reader drops ".txt", so "x.txt" and "x" name the same document.
    return reference.replace(".txt", "")


def overlaps(a: Annotation, b: Annotation) -> bool:
    """Whether two annotations overlap on both the suspicious and the source side."""
    return (
        _document(a.this_reference) == _document(b.this_reference)
        and _document(a.source_reference) == _document(b.source_reference)
        and b.this_offset < a.this_end
        and a.this_offset < b.this_end
        and b.source_offset < a.source_end
        and a.source_offset < b.source_end
    )


def _covered(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> int:
    """How many characters of ``[start, end)`` the union of ``ranges`` covers."""
    clipped = sorted((max(s, start), min(e, end)) for s, e in ranges if s < end and start < e)
    total, reach = 0, start
    for s, e in clipped:
        if e > reach:
            total += e - max(s, reach)
            reach = e
    return total


def _recall_of(case: Annotation, others: list[Annotation]) -> float:
    """Share of ``case``'s characters, both sides together, covered by ``others`` (all overlap it)."""
    this_covered = _covered(
        case.this_offset, case.this_end, ((o.this_offset, o.this_end) for o in others)
    )
    source_covered = _covered(
        case.source_offset, case.source_end, ((o.source_offset, o.source_end) for o in others)
    )
    return (this_covered + source_covered) / (case.this_length + case.source_length)


def _usable(annotations: Iterable[Annotation]) -> list[Annotation]:
    # A set, as the official reader builds one; sorted so float sums do not depend on order.
    # Annotations empty on both sides mark no characters (and would divide by zero there).
    unique = {a for a in annotations if a.this_length + a.source_length > 0}
    return sorted(unique)


def score(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> Counts:
    """The additive counts of a set of cases and detections (any number of document pairs)."""
    by_pair_cases: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    by_pair_detections: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for a in _usable(cases):
        by_pair_cases[_document(a.this_reference), _document(a.source_reference)].append(a)
    for a in _usable(detections):
        by_pair_detections[_document(a.this_reference), _document(a.source_reference)].append(a)

    total = Counts()
    for key in sorted(by_pair_cases.keys() | by_pair_detections.keys()):
        pair_cases, pair_detections = by_pair_cases.get(key, []), by_pair_detections.get(key, [])
        recall_sum, detected, overlap_count = 0.0, 0, 0
        for case in pair_cases:
            hits = [d for d in pair_detections if overlaps(case, d)]
            if hits:
                recall_sum += _recall_of(case, hits)
                detected += 1
                overlap_count += len(hits)
        precision_sum = 0.0
        for detection in pair_detections:
            hits = [c for c in pair_cases if overlaps(detection, c)]
            if hits:
                precision_sum += _recall_of(detection, hits)
        total = total + Counts(
            cases=len(pair_cases),
            detections=len(pair_detections),
            recall_sum=recall_sum,
            precision_sum=precision_sum,
            detected_cases=detected,
            overlaps=overlap_count,
        )
    return total


def plagdet_score(recall: float, precision: float, granularity: float) -> float:
    """F1 of precision and recall divided by log2(1 + granularity), 0 when both are 0."""
    if (recall == 0 and precision == 0) or recall < 0 or precision < 0 or granularity < 1:
        return 0.0
    return (2 * recall * precision / (recall + precision)) / math.log2(1 + granularity)


def measures(counts: Counts) -> Measures:
    """The PAN measures from summed counts, with the official evaluator's edge cases."""
    if counts.cases == 0 and counts.detections == 0:
        recall = precision = 1.0
    elif counts.cases == 0 or counts.detections == 0:
        recall = precision = 0.0
    else:
        recall = counts.recall_sum / counts.cases
        precision = counts.precision_sum / counts.detections
    granularity = counts.overlaps / counts.detected_cases if counts.detected_cases else 1.0
    return Measures(
        plagdet=plagdet_score(recall, precision, granularity),
        precision=precision,
        recall=recall,
        granularity=granularity,
        cases=counts.cases,
        detections=counts.detections,
    )


def evaluate(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> Measures:
    """The PAN measures of detections against cases, as the official evaluator computes them."""
    return measures(score(cases, detections))
