"""The distortion flags of a labelled pair, as the tests of this folder read them."""

from __future__ import annotations

from unspin.edits import label_edits


def flag_labels(source: str, target: str) -> set[str]:
    """The labels of the distortions ``label_edits`` finds between the two texts."""
    return {e.label for e in label_edits(source, target) if e.distortion}


def flagged(source: str, target: str) -> list[tuple[str, str, str]]:
    """Each distortion as (label, source text, target text), in the edits' order."""
    return [
        (e.label, e.source_text, e.target_text) for e in label_edits(source, target) if e.distortion
    ]
