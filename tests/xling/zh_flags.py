"""The fact check's reasons for an English original and its Chinese article: the one helper of
the Chinese fact-check tests (test_chinese, test_chinese_names, test_transliteration)."""

from __future__ import annotations

from unspin.xling.facts import check, document_names


def flags(source: str, target: str) -> list[str]:
    """The reasons of every distortion the check finds in Chinese ``target`` against the
    English ``source`` (empty: the translation passes)."""
    return [c.reason for c in check(source, target, "zh", "en", document_names(source))]
