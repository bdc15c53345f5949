"""A passage edge inside a token: the labeller reads the whole token (the aligner's words split
"9/14/1938" and "individual's" where the edit tokens do not)."""

from __future__ import annotations

import pytest

from unspin.edits import alignment_counts, label_edits
from unspin.types import Passage

SOURCE = "Records dated 9/14/1938 show that the two men met in Chicago."
TARGET = "Files dated 9/14/1938 show that the two men met in Chicago."


@pytest.mark.parametrize(
    "passage",
    [
        Passage(SOURCE.index("14/1938"), len(SOURCE), TARGET.index("9/14"), len(TARGET)),
        Passage(SOURCE.index("9/14"), len(SOURCE), TARGET.index("14/1938"), len(TARGET)),
        Passage(
            SOURCE.index("9/14"),
            SOURCE.index("938 show"),
            TARGET.index("9/"),
            TARGET.index(" show"),
        ),
    ],
)
def test_a_passage_starting_inside_a_date_reads_the_whole_date(passage: Passage) -> None:
    # Before (32nd session): "14/1938" / "9/14/1938", a date_change where the date is the same.
    assert [e.label for e in label_edits(SOURCE, TARGET, passage)] == []
    counts = alignment_counts(SOURCE, TARGET, passage)
    assert counts["identical"] == counts["source_tokens"] == counts["target_tokens"]


def test_an_edit_at_a_passage_edge_covers_the_whole_word() -> None:
    source = "Research shows that an individual's immediate social circle shapes habits."
    target = "According to research, a person's immediate social circle shapes habits."
    at_s, at_t = source.index("s immediate"), target.index("s immediate")
    edits = label_edits(source, target, Passage(at_s, len(source), at_t, len(target)))
    # Before: no edit (the passage began at the "s" both texts share).
    assert [(e.label, e.source_text, e.target_text) for e in edits] == [
        ("synonym", "individual's", "person's")
    ]
