"""Stored-text codec: dictionary deflate, and old plain-zlib blobs still readable."""

import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin import codec

DICT = codec.build_dictionary(["The company said on Monday that profits rose 12 pct."] * 50)


@given(st.text())
def test_roundtrip_any_text(text: str) -> None:
    blob = codec.encode(text, 1, DICT)
    assert blob[0] == 1
    assert codec.decode(blob, {1: DICT}) == text
    assert codec.decode(codec.encode(text, None, None), {}) == text


def test_plain_zlib_blobs_of_older_stores_decode() -> None:
    text = "Reuters said the wheat harvest was up."
    assert codec.decode(zlib.compress(text.encode()), {}) == text


def test_dictionary_makes_news_smaller() -> None:
    zd = codec.packaged_dictionary()
    assert 0 < len(zd) <= codec.DICTIONARY_BYTES
    text = (
        "The Bank of England said on Tuesday it had provided the money market with help "
        "worth 250 mln stg during the morning, compared with a shortage forecast of 400 mln "
        "stg, the company said in a statement. Shares of the company rose 12 pct."
    )
    assert len(codec.encode(text, 1, zd)) < 0.8 * len(codec.encode(text, None, None))


def test_unknown_dictionary_and_corruption_raise() -> None:
    blob = codec.encode("some text here", 2, DICT)
    with pytest.raises(KeyError):
        codec.decode(blob, {1: DICT})
    with pytest.raises(zlib.error):
        codec.decode(blob[:-3], {2: DICT})
    with pytest.raises(zlib.error):
        codec.decode(b"", {})
    with pytest.raises(ValueError):
        codec.encode("x", 0x78, DICT)


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_the_same_bytes_as_a_compressor_primed_for_each_text(texts: list[str]) -> None:
    """encode compresses with copies of one primed compressor: each blob must be what a new
    compressor given the dictionary writes, whatever was compressed before it."""
    for zd in (DICT, codec.packaged_dictionary()):
        for text in texts:
            fresh = zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zd)
            raw = text.encode("utf-8", "surrogatepass")
            assert codec.encode(text, 3, zd) == bytes([3]) + fresh.compress(raw) + fresh.flush()
