"""Which stored documents a cross-language trace reports as sources (no model needed)."""

from __future__ import annotations

from unspin.types import StoredDocument
from unspin.xling.align import SentencePair
from unspin.xling.trace import AlignedPassage, CrossSource, _owned


def source(key: int, *pairs: tuple[int, float]) -> CrossSource:
    """A source aligning article sentences (start offset, similarity), 10 characters each."""
    passages = tuple(
        AlignedPassage(SentencePair(0, 10, start, start + 10, sim), ()) for start, sim in pairs
    )
    return CrossSource(StoredDocument(key, f"doc-{key}"), "en", 0.9, 0.0, passages)


def test_a_sentence_stays_with_the_best_source_that_aligns_it() -> None:
    original = source(1, (0, 0.93), (20, 0.92), (40, 0.94))
    same_topic = source(2, (0, 0.86), (40, 0.85))  # chance pairs of sentences 1 has
    second_original = source(3, (20, 0.84), (60, 0.91))  # one sentence only it explains
    kept = _owned([original, second_original, same_topic], length=80)
    assert [s.document.key for s in kept] == [1, 3]
    assert [p.pair.target_start for p in kept[1].passages] == [60]
    assert kept[1].coverage == 10 / 80
    assert kept[0] is original  # untouched when it keeps every sentence
