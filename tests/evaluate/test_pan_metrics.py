"""The PAN measures on hand-worked examples, and against a per-character reference."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.evaluate.metrics import Counts, evaluate, measures, plagdet_score, score
from unspin.evaluate.pan import Annotation


def ann(
    t_off: int, t_len: int, s_off: int, s_len: int, t="susp-1.txt", s="src-1.txt"
) -> Annotation:
    return Annotation(t, t_off, t_len, s, s_off, s_len)


CASE = ann(0, 100, 0, 100)
LOG2_3 = math.log2(3)


def check(m, plagdet, precision, recall, granularity, cases, detections):
    assert m.plagdet == pytest.approx(plagdet)
    assert m.precision == pytest.approx(precision)
    assert m.recall == pytest.approx(recall)
    assert m.granularity == pytest.approx(granularity)
    assert (m.cases, m.detections) == (cases, detections)


def test_perfect_detection():
    check(evaluate([CASE], [CASE]), 1.0, 1.0, 1.0, 1.0, 1, 1)


def test_half_covered_case():
    # The detection covers 50 + 50 of the case's 200 characters and lies wholly inside it.
    m = evaluate([CASE], [ann(0, 50, 0, 50)])
    check(m, 2 * 0.5 * 1.0 / 1.5, 1.0, 0.5, 1.0, 1, 1)


def test_recall_counts_both_sides_by_length():
    # A summary-like case: 100 suspicious characters from 300 source characters.
    m = evaluate([ann(0, 100, 0, 300)], [ann(0, 100, 0, 100)])
    # recall (100 + 100) / (100 + 300); the detection is all inside the case.
    check(m, 2 * 0.5 / 1.5, 1.0, 0.5, 1.0, 1, 1)


def test_two_detections_covering_one_case_have_granularity_two():
    m = evaluate([CASE], [ann(0, 50, 0, 50), ann(50, 50, 50, 50)])
    check(m, 1.0 / LOG2_3, 1.0, 1.0, 2.0, 1, 2)


def test_overlapping_detections_count_shared_characters_once():
    # [0, 60) and [50, 150) on both sides: the union covers the whole case once; the second
    # detection has half its characters outside the case.
    m = evaluate([CASE], [ann(0, 60, 0, 60), ann(50, 100, 50, 100)])
    precision = (1.0 + 0.5) / 2
    check(m, (2 * precision / (1 + precision)) / LOG2_3, precision, 1.0, 2.0, 1, 2)


def test_detection_larger_than_case():
    # Detection [0, 200) on both sides: recall 1, precision 200 / 400.
    check(evaluate([CASE], [ann(0, 200, 0, 200)]), 2 * 0.5 / 1.5, 0.5, 1.0, 1.0, 1, 1)


def test_no_detections():
    check(evaluate([CASE], []), 0.0, 0.0, 0.0, 1.0, 1, 0)


def test_neither_cases_nor_detections_score_one_as_the_official_code_does():
    check(evaluate([], []), 1.0, 1.0, 1.0, 1.0, 0, 0)


def test_detection_in_pair_without_cases_scores_zero():
    check(evaluate([], [ann(0, 10, 0, 10)]), 0.0, 0.0, 0.0, 1.0, 0, 1)


def test_detection_in_the_wrong_source_document_detects_nothing():
    m = evaluate([CASE], [ann(0, 100, 0, 100, s="src-2.txt")])
    check(m, 0.0, 0.0, 0.0, 1.0, 1, 1)


def test_detection_in_the_wrong_suspicious_document_detects_nothing():
    m = evaluate([CASE], [ann(0, 100, 0, 100, t="susp-2.txt")])
    check(m, 0.0, 0.0, 0.0, 1.0, 1, 1)


def test_overlap_on_one_side_only_is_no_overlap():
    # Right suspicious range, source range elsewhere in the right source document.
    check(evaluate([CASE], [ann(0, 100, 500, 100)]), 0.0, 0.0, 0.0, 1.0, 1, 1)


def test_touching_ranges_do_not_overlap():
    check(evaluate([CASE], [ann(100, 50, 100, 50)]), 0.0, 0.0, 0.0, 1.0, 1, 1)


def test_granularity_averages_over_detected_cases_only():
    # Case 1 is split over two detections, case 2 is missed.
    cases = [CASE, ann(200, 100, 200, 100)]
    m = evaluate(cases, [ann(0, 50, 0, 50), ann(50, 50, 50, 50)])
    check(m, (2 * 0.5 * 1.0 / 1.5) / LOG2_3, 1.0, 0.5, 2.0, 2, 2)


def test_duplicate_detections_collapse_like_the_official_set():
    check(evaluate([CASE], [CASE, CASE]), 1.0, 1.0, 1.0, 1.0, 1, 1)


def test_txt_suffix_is_ignored_when_matching_documents():
    check(evaluate([CASE], [ann(0, 100, 0, 100, t="susp-1", s="src-1")]), 1.0, 1.0, 1.0, 1.0, 1, 1)


def test_empty_detections_are_ignored():
    check(evaluate([CASE], [CASE, ann(10, 0, 10, 0)]), 1.0, 1.0, 1.0, 1.0, 1, 1)


def test_corpus_score_is_over_the_union_of_pairs_not_a_mean_of_sections():
    # Pair A is detected perfectly; pair B has no cases and one false detection.
    section_a = score([CASE], [CASE])
    section_b = score([], [ann(0, 100, 0, 100, t="susp-2.txt", s="src-2.txt")])
    assert measures(section_a).plagdet == 1.0
    assert measures(section_b).plagdet == 0.0
    # Together: recall 1 over 1 case, precision (1 + 0) / 2 detections.
    check(measures(section_a + section_b), 2 * 0.5 / 1.5, 0.5, 1.0, 1.0, 1, 2)
    assert measures(section_a + section_b) == evaluate(
        [CASE], [CASE, ann(0, 100, 0, 100, t="susp-2.txt", s="src-2.txt")]
    )


def test_counts_add_up():
    a = Counts(1, 2, 0.5, 1.5, 1, 2)
    b = Counts(3, 1, 1.0, 0.25, 2, 2)
    assert a + b == Counts(4, 3, 1.5, 1.75, 3, 4)


def test_plagdet_score_edge_cases():
    assert plagdet_score(0.0, 0.0, 1.0) == 0.0
    assert plagdet_score(1.0, 1.0, 0.5) == 0.0  # granularity below 1 is invalid
    assert plagdet_score(1.0, 0.5, 1.0) == pytest.approx(2 / 3)
    assert plagdet_score(1.0, 1.0, 3.0) == pytest.approx(0.5)


# A per-character transcription of the official definitions, to check the interval code.
def _reference(cases: list[Annotation], detections: list[Annotation]) -> tuple[float, ...]:
    def chars(a: Annotation) -> tuple[set[int], set[int]]:
        return set(range(a.this_offset, a.this_end)), set(range(a.source_offset, a.source_end))

    def hit(a: Annotation, b: Annotation) -> bool:
        (at, as_), (bt, bs) = chars(a), chars(b)
        same_docs = (a.this_reference, a.source_reference) == (b.this_reference, b.source_reference)
        return same_docs and bool(at & bt) and bool(as_ & bs)

    def macro(xs: list[Annotation], ys: list[Annotation]) -> float:
        if not xs and not ys:
            return 1.0
        if not xs or not ys:
            return 0.0
        total = 0.0
        for x in xs:
            xt, xs_ = chars(x)
            covered_t, covered_s = set(), set()
            for y in ys:
                if hit(x, y):
                    covered_t |= chars(y)[0]
                    covered_s |= chars(y)[1]
            total += (len(xt & covered_t) + len(xs_ & covered_s)) / (len(xt) + len(xs_))
        return total / len(xs)

    recall, precision = macro(cases, detections), macro(detections, cases)
    per_case = [sum(hit(c, d) for d in detections) for c in cases]
    detected = [n for n in per_case if n]
    granularity = sum(detected) / len(detected) if detected else 1.0
    return recall, precision, granularity


ranges = st.builds(
    ann,
    st.integers(0, 60),
    st.integers(1, 40),
    st.integers(0, 60),
    st.integers(1, 40),
    t=st.sampled_from(["susp-1.txt", "susp-2.txt"]),
    s=st.sampled_from(["src-1.txt", "src-2.txt"]),
)


@settings(max_examples=200, deadline=None)
@given(st.sets(ranges, max_size=4), st.sets(ranges, max_size=6))
def test_interval_code_agrees_with_per_character_reference(cases, detections):
    cases, detections = sorted(cases), sorted(detections)
    recall, precision, granularity = _reference(cases, detections)
    m = evaluate(cases, detections)
    assert m.recall == pytest.approx(recall)
    assert m.precision == pytest.approx(precision)
    assert m.granularity == pytest.approx(granularity)
    assert 0.0 <= m.plagdet <= 1.0
