"""Running an aligner over PAN pairs, in-process and in worker processes, and the sample."""

from __future__ import annotations

import pytest
from pan_fixture_corpus import SUSP_1, SUSP_2, failing_aligner, make_corpus, paragraph_aligner

from unspin.errors import ConfigError, UnspinError
from unspin.evaluate.pan import Pair, read_cases, read_corpus
from unspin.evaluate.runner import evaluate_corpus, run_pairs, sample_pairs


def _pairs(sections: dict[str, int]) -> list[Pair]:
    return [
        Pair(f"suspicious-document{s}{i:03d}.txt", f"source-document{i:03d}.txt", s)
        for s, n in sections.items()
        for i in range(n)
    ]


def test_sample_is_stratified_deterministic_and_in_corpus_order():
    pairs = _pairs({"01-a": 50, "02-b": 50, "03-c": 50})
    sample = sample_pairs(pairs, 30, seed=7)
    assert [p.section for p in sample].count("02-b") == 10
    assert len(sample) == 30 and len(set(sample)) == 30
    assert sample == sample_pairs(pairs, 30, seed=7)
    assert sample != sample_pairs(pairs, 30, seed=8)
    assert sample == [p for p in pairs if p in set(sample)]


def test_sample_remainder_goes_to_the_first_sections_and_small_sections_give_all():
    counts = {"01-a": 50, "02-b": 3, "03-c": 50}
    sample = sample_pairs(_pairs(counts), 13, seed=1)
    # Shares 5, 4, 4 (remainder to the first); 02 only has 3.
    assert [[p.section for p in sample].count(s) for s in counts] == [5, 3, 4]


def test_a_section_sample_does_not_depend_on_the_other_sections():
    alone = sample_pairs(_pairs({"02-b": 40}), 5, seed=3)
    together = sample_pairs(_pairs({"01-a": 40, "02-b": 40}), 10, seed=3)
    assert [p for p in together if p.section == "02-b"] == alone


def test_sample_must_be_positive():
    with pytest.raises(ConfigError, match="positive"):
        sample_pairs(_pairs({"01-a": 3}), 0)


def test_run_pairs_detects_the_copied_paragraph(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    results = run_pairs(corpus, corpus.pairs, workers=1, aligner=paragraph_aligner)
    assert [r.pair.suspicious for r in results] == [SUSP_2, SUSP_1]
    assert results[0].detections == ()
    [detection] = results[1].detections
    [case] = read_cases(corpus, corpus.pairs[1])
    assert detection == case._replace(this_reference=SUSP_1)
    assert all(r.cpu_seconds >= 0 and r.seconds >= 0 for r in results)


def test_evaluate_corpus_scores_sections_and_the_union(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    seen = []
    result, _ = evaluate_corpus(
        corpus, workers=1, aligner=paragraph_aligner, on_result=lambda r: seen.append(r.pair)
    )
    assert sorted(seen, key=corpus.pairs.index) == list(corpus.pairs)
    assert list(result.sections) == ["01-no-plagiarism", "02-no-obfuscation"]
    # No cases and no detections in 01: the official code scores that 1.
    assert result.sections["01-no-plagiarism"].measures.plagdet == 1.0
    assert result.sections["02-no-obfuscation"].measures.plagdet == 1.0
    assert result.overall.measures.cases == 1 and result.overall.pairs == 2
    data = result.to_dict()
    assert set(data["sections"]) == {"01-no-plagiarism", "02-no-obfuscation", "all"}
    assert data["sections"]["all"]["plagdet"] == 1.0
    assert data["pairs"] == 2
    assert {"seconds", "seconds_per_pair", "cpu_ms_per_pair_median"} <= data.keys()


def test_worker_processes_give_the_same_results(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    pairs = list(corpus.pairs) * 3  # more tasks than workers, so completion order can vary
    one = run_pairs(corpus, pairs, workers=1, aligner=paragraph_aligner)
    two = run_pairs(corpus, pairs, workers=2, aligner=paragraph_aligner)
    assert [(r.pair, r.detections) for r in two] == [(r.pair, r.detections) for r in one]


def test_alignment_failure_names_the_pair(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    with pytest.raises(UnspinError, match=f"alignment failed on {SUSP_2}.*ValueError: boom"):
        run_pairs(corpus, corpus.pairs, workers=1, aligner=failing_aligner)


def test_workers_must_be_positive(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    with pytest.raises(ConfigError, match="at least 1"):
        run_pairs(corpus, corpus.pairs, workers=0, aligner=paragraph_aligner)
