"""The names the fact check calls changed: the helper of the name tests across languages
(test_place_names_across, test_russian_spellings)."""

from __future__ import annotations

from unspin.xling.facts import check, document_names


def names_flagged(source: str, target: str, lang: str) -> list[tuple[str, str]]:
    """Each name of the English ``source`` that ``target`` (in ``lang``) changed, with what
    stands in its place there."""
    return [
        (c.source_text, c.target_text)
        for c in check(source, target, lang, "en", document_names(source))
        if c.label == "entity_change"
    ]
