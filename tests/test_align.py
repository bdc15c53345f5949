import random

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.align import AlignConfig, align

SOURCE = (
    "The central bank raised interest rates by half a point on Tuesday. Officials said the move "
    "was needed to curb inflation, which reached eight percent last month. Markets fell sharply "
    "after the announcement, with the main index losing three percent. Analysts expect further "
    "increases before the end of the year, according to a survey of economists. The finance "
    "minister welcomed the decision and promised to cut public spending."
)
FILLER = (
    "Gardeners in the north report an unusually early harvest of tomatoes and beans. Local "
    "festivals will celebrate the season with music and dancing in the village squares. "
    "Visitors are advised to book accommodation well in advance of the summer weekends. "
)
LOOSE = AlignConfig(min_target_chars=50, min_source_chars=50)


def test_verbatim_copy_inside_unrelated_text_is_found_exactly() -> None:
    target = FILLER + SOURCE + " " + FILLER
    passages = align(SOURCE, target, LOOSE)
    assert len(passages) == 1
    p = passages[0]
    assert target[p.target_start : p.target_end] == SOURCE
    assert (p.source_start, p.source_end) == (0, len(SOURCE))


def test_unrelated_texts_give_nothing() -> None:
    assert align(SOURCE, FILLER * 3, LOOSE) == []


def test_reordered_sentences_are_aligned() -> None:
    sents = SOURCE.split(". ")
    random.Random(3).shuffle(sents)
    target = FILLER + ". ".join(sents)
    passages = align(SOURCE, target, LOOSE)
    covered = sum(p.target_end - p.target_start for p in passages)
    assert covered >= 0.8 * (len(target) - len(FILLER))


def test_empty_inputs() -> None:
    assert align("", SOURCE) == []
    assert align(SOURCE, "") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.text(max_size=400))
def test_offsets_always_in_range(a: str, b: str) -> None:
    for p in align(a, b, LOOSE):
        assert 0 <= p.source_start < p.source_end <= len(a)
        assert 0 <= p.target_start < p.target_end <= len(b)
        assert 0.0 <= p.score <= 1.0
