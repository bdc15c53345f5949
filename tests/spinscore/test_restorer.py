"""Contextual re-ranking of likely originals (the embed extra)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.generators.article_spinner import spin
from unspin.spinscore.contextual import (
    embed_available,
    quick_substitution_states,
    substitution_states,
)
from unspin.spinscore.restorer import EXTRA_COLUMNS, KEEP, candidate_rows, rerank
from unspin.spinscore.score import explain, lexical_originals, score_text

pytestmark = pytest.mark.skipif(not embed_available(), reason="needs the embed extra")


def test_rows_hold_state_lexical_score_and_head() -> None:
    text = "Focal bankers met on Monday."
    scored = lexical_originals("focal", text)[:5]
    rows = candidate_rows(text, 0, 5, scored)
    assert rows.shape == (5, 384 + EXTRA_COLUMNS)
    assert rows[:, 384].tolist() == pytest.approx([s for _, s in scored], abs=1e-4)
    assert (abs(rows[:, :384]).sum(axis=1) > 0).all()  # every candidate was read in place
    assert ((rows[:, -1] > -1.0) & (rows[:, -1] <= 1.0 + 1e-5)).all()  # cosines


def test_rerank_orders_the_lexical_top_only() -> None:
    text = "The focal bank raised interest rates on Monday."
    scored = lexical_originals("focal", text)
    got = rerank(text, 4, 9, scored)
    assert sorted(w for w, _ in got) == sorted(w for w, _ in scored[:KEEP])
    values = [v for _, v in got]
    assert values == sorted(values, reverse=True)


def test_contextual_explain_reads_the_sentence() -> None:
    context = "The focal bank raised interest rates on Monday."
    got = explain("focal", 3, context=context, model="contextual")
    assert got[0][0] == "central"
    assert 0 < got[2][1] <= got[1][1] <= got[0][1] <= 1


def test_contextual_restoration_beats_lexical_on_spun_news() -> None:
    # Stories of the shipped demo corpus spun at 20%: re-ranking in the sentence must find
    # the spinner's original in the top three more often than the lexical ranking alone.
    lines = resources.files("unspin").joinpath("data/demo/corpus.jsonl").read_text("utf-8")
    texts = [" ".join(json.loads(line)["text"].split()[:80]) for line in lines.splitlines()[:12]]
    hits = {"lexical": 0, "contextual": 0}
    total = 0
    for i, text in enumerate(texts):
        spun = spin(text, 0.2, seed=500 + i)
        for r in spun.replacements:
            if r.kind != "synonym" or spun.text.lower().count(r.replacement.lower()) != 1:
                continue
            total += 1
            for model in hits:
                got = [w for w, _ in explain(r.replacement, 3, spun.text, model)]
                hits[model] += r.original.lower() in got
    assert total >= 40
    assert hits["contextual"] > hits["lexical"], (hits, total)


def test_cli_explain_with_context_uses_the_model(tmp_path) -> None:
    context = tmp_path / "article.txt"
    context.write_text("The focal bank raised interest rates on Monday.", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["score", "--explain", "focal", "--context", str(context), "--model", "contextual"]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("focal -> central (")


SENTENCE = (
    "Wheat prices rose on Monday. The focal bank raised interest rates by half a point, "
    "its first rise this year, and markets fell."
)


def test_quick_reading_of_the_phrase_itself_is_exact() -> None:
    # The quick reading keeps the sentence's own states around a candidate: for the phrase
    # that stands there, that is the sentence as read exactly.
    start = SENTENCE.index("focal")
    words = ["focal", "central", "key", "federal reserve"]
    quick = quick_substitution_states(SENTENCE, start, start + 5, words)
    exact = substitution_states(SENTENCE, start, start + 5, words)
    assert np.abs(quick[0] - exact[0]).max() < 1e-4
    # The other words are approximations, close but not equal.
    cosines = (quick * exact).sum(axis=1) / np.linalg.norm(quick, axis=1)
    cosines /= np.linalg.norm(exact, axis=1)
    assert (cosines[1:] > 0.8).all() and np.abs(quick[1:] - exact[1:]).max() > 1e-4


def test_a_shortlist_is_read_exactly_and_keeps_every_candidate() -> None:
    start = SENTENCE.index("focal")
    scored = lexical_originals("focal", SENTENCE)
    got = rerank(SENTENCE, start, start + 5, scored, shortlist=4)
    assert sorted(w for w, _ in got) == sorted(w for w, _ in scored[:KEEP])
    # The first four are the shortlist in the order (and with the scores) an exact reading
    # of those four gives.
    best = [next(x for x in scored if x[0] == w) for w, _ in got[:4]]
    want = rerank(SENTENCE, start, start + 5, best)
    assert [w for w, _ in got[:4]] == [w for w, _ in want]
    assert [v for _, v in got[:4]] == pytest.approx([v for _, v in want], abs=1e-3)
    assert got[0][0] == "central"
    # A shortlist as long as the candidates is the exact reading itself.
    assert rerank(SENTENCE, start, start + 5, scored, shortlist=KEEP) == rerank(
        SENTENCE, start, start + 5, scored
    )


def test_score_restores_spans_with_the_shortlist() -> None:
    text = "The focal bank raised its key interest rate on Monday, the second rise this year."
    spans = score_text(text, "contextual", restore=5).spans
    focal = next(s for s in spans if s.phrase == "focal")
    assert focal.suggestions[0] == "central"
