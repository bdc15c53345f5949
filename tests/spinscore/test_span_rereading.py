"""What ``score --restore`` re-reads (docs/benchmarks.md 15.18): the candidates' likeness to the
spun word in the model's word-piece table is added to the re-ranker's scores (real spinners
swap a word for a close one), and the spans beyond the ``restore`` heaviest get the quick
reading (their best few candidates, no exact pass) instead of Moby's list alone.
"""

from __future__ import annotations

import pytest

from test_spin_verdict import FARM_POST  # tests/ is on the path (its conftest)
from unspin.spinscore.contextual import embed_available, piece_likeness
from unspin.spinscore.score import _RESTORABLE, QUICK_SPANS, score_text

pytestmark = pytest.mark.skipif(not embed_available(), reason="needs the embed extra")


def test_piece_likeness_is_a_cosine_that_ignores_shared_spelling() -> None:
    got = piece_likeness("renowned", ["famous", "successful", "Famous", "", "renown"])
    assert got[0] > got[1] > 0.0  # the close synonym is nearer
    assert got[2] == pytest.approx(got[0])  # lower case
    assert got[3] == 0.0  # no piece
    # "telephotographic" shares pieces with "telephonic": alike in spelling, not in meaning.
    assert piece_likeness("telephonic", ["telephotographic"])[0] == 0.0
    assert (abs(piece_likeness("trustworthy", ["reliable", "tested", "sure"])) <= 1.0).all()


def suggestions(text: str, restore: int) -> dict[str, tuple[str, ...]]:
    spans = score_text(text, "contextual", restore=restore).spans
    return {s.phrase: s.suggestions for s in spans if s.reason in _RESTORABLE}


def test_a_close_synonym_of_the_spun_word_rises() -> None:
    """SpinBot-like swaps (sentences of ours): the replaced word is the spun word's close
    synonym. Fails before: trustworthy -> convincing, confidential, substantial; comprehend ->
    know, learn, understands; essayist -> reviewer, critics, reviewers."""
    got = suggestions(
        "Doctors need trustworthy figures before they can judge the efficacy of the new drug.", 10
    )
    assert "reliable" in got["trustworthy"]
    got = suggestions(
        "Few readers comprehend how much the essayist changed his views over the years.", 10
    )
    assert got["comprehend"][0] == "understand"
    assert "writer" in got["essayist"]


def test_the_spans_after_the_heaviest_get_the_quick_reading() -> None:
    """``restore=1``: the heaviest restorable span is read exactly, the next ``QUICK_SPANS``
    quickly, the rest keep the suggestions of ``restore=0``. Fails before: only the heaviest
    changed ("exchanging", the second heaviest, kept talking, marketing, dealing)."""
    assert QUICK_SPANS == 2
    plain = score_text(FARM_POST, "contextual", restore=0).spans
    once = score_text(FARM_POST, "contextual", restore=1).spans
    assert [(s.start, s.end, s.weight) for s in plain] == [(s.start, s.end, s.weight) for s in once]
    order = sorted(
        (k for k, s in enumerate(plain) if s.reason in _RESTORABLE), key=lambda k: -plain[k].weight
    )
    assert len(order) > 4
    changed = [plain[k].suggestions != once[k].suggestions for k in order]
    assert changed[1] and changed[2]
    assert not any(changed[1 + QUICK_SPANS :])
    (exchanging,) = [s for s in once if s.phrase == "exchanging"]
    assert order.index(once.index(exchanging)) in (1, 2)
    assert exchanging.suggestions[0] == "trading"
    # Every re-read span keeps to single words that are not the spun word itself.
    for k in order[: 1 + QUICK_SPANS]:
        assert once[k].phrase.lower() not in once[k].suggestions
