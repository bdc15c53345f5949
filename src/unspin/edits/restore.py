"""Put the source's wording back into a spun or noised reuse.

Every edit whose label says the *wording* was changed (spinning, noise, distortions) has its target
range replaced by the source range. Insertions, deletions and reorderings are left alone: they
change what was reused, not how it was worded, so restoring them would rewrite the article rather
than undo its spinning. A negation or quotation that was dropped *is* put back, because those
labels exist precisely to undo a change in meaning.
"""

from __future__ import annotations

from ..types import Edit

RESTORED_LABELS: frozenset[str] = frozenset(
    {
        "synonym",
        "typo",
        "inflection",
        "paraphrase",
        "entity_change",
        "number_change",
        "date_change",
        "quote_change",
        "negation",
        "case_or_punctuation",
    }
)


def _with_space(source: str, e: Edit, target: str) -> str:
    """Source wording for an empty target range, with the whitespace that separated it."""
    ss, se = e.source_start, e.source_end
    if e.target_start > 0 and not target[e.target_start - 1].isspace():
        while ss > 0 and source[ss - 1].isspace():  # re-inserted after a word: keep the gap before
            ss -= 1
    else:
        while se < len(source) and source[se].isspace():
            se += 1
    return source[ss:se]


def _widen_removal(target: str, start: int, end: int) -> tuple[int, int]:
    """Range to cut when wording is removed: one adjoining gap goes too, never both."""
    if start > 0 and target[start - 1].isspace():
        while start > 0 and target[start - 1].isspace():
            start -= 1
    else:
        while end < len(target) and target[end].isspace():
            end += 1
    return start, end


def restore_suggestions(source: str, target: str, edits: list[Edit]) -> list[tuple[Edit, str]]:
    """Each restorable edit with the text that should replace its target range."""
    out: list[tuple[Edit, str]] = []
    for e in edits:
        if e.label not in RESTORED_LABELS or e.source_text == e.target_text:
            continue
        if e.target_start == e.target_end:
            out.append((e, _with_space(source, e, target)))
        else:
            out.append((e, e.source_text))
    return out


def restore(source: str, target: str, edits: list[Edit]) -> str:
    """The target with each spun, noised or distorted stretch replaced by the source wording."""
    pieces: list[str] = []
    pos = 0
    for e, text in sorted(
        restore_suggestions(source, target, edits),
        key=lambda p: (p[0].target_start, p[0].target_end),
    ):
        start, end = e.target_start, e.target_end
        if not e.source_text and start < end:
            start, end = _widen_removal(target, start, end)
        if start < pos:  # overlapping edits cannot both apply; the first one wins
            continue
        pieces.append(target[pos:start])
        pieces.append(text)
        pos = end
    pieces.append(target[pos:])
    return "".join(pieces)
