import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin.text import _SENT_END, FUNCTION_WORDS, normalize_word, sentence_spans, tokenize


def test_tokens_slice_raw_text() -> None:
    text = "The Governor's  office said 12 people were hurt."
    toks = tokenize(text)
    assert [text[a:b] for a, b in zip(toks.starts, toks.ends, strict=True)][:3] == [
        "The",
        "Governor",
        "s",
    ]
    assert toks.norms[0] == "the"


def test_injected_digits_are_removed_but_numbers_kept() -> None:
    assert normalize_word("gove3rnment") == "government"
    assert normalize_word("1987") == "1987"
    assert normalize_word("Café") == "cafe"


def test_function_words_come_from_wordfreq() -> None:
    assert {"the", "of", "and"} <= FUNCTION_WORDS
    assert "government" not in FUNCTION_WORDS


def test_sentences_skip_abbreviations() -> None:
    text = "Mr. Smith went to Washington. He met the U.S. envoy! Then he left."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "Mr. Smith went to Washington.",
        "He met the U.S. envoy!",
        "Then he left.",
    ]


@given(st.text(max_size=300))
def test_sentence_spans_are_ordered_and_in_range(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        last = b


@given(st.text(max_size=300))
def test_tokens_always_slice(text: str) -> None:
    toks = tokenize(text)
    for a, b in zip(toks.starts, toks.ends, strict=True):
        assert 0 <= a < b <= len(text)
        assert text[a:b].strip() == text[a:b]


def _naive_tokenize(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """The straightforward version the cached tokenizer must equal."""
    import re
    import unicodedata

    # A word: letters and digits, each with the combining marks after it (robust33), with
    # invisible characters inside it (robust31).
    marks = "".join(
        re.escape(c) for c in map(chr, range(0x3000)) if unicodedata.category(c)[0] == "M"
    )
    w = rf"(?:[^\W_][{marks}]*)+"
    ms = list(re.finditer(rf"{w}(?:[\u00ad\u200b\u200c\u200d\u2060\ufeff]+{w})*", text))
    return (
        tuple(m.start() for m in ms),
        tuple(m.end() for m in ms),
        tuple(normalize_word(m.group()) for m in ms),
    )


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF), max_size=300))
def test_cached_tokenize_equals_the_plain_one(text: str) -> None:
    toks = tokenize(text)
    assert (toks.starts, toks.ends, toks.norms) == _naive_tokenize(text)
    again = tokenize(text)  # now from the cache
    assert (again.starts, again.ends, again.norms) == _naive_tokenize(text)


def test_tokenize_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from unspin import text as text_mod

    monkeypatch.setattr(text_mod, "_NORM_CACHE_MAX", 5)
    text_mod._NORM_CACHE.clear()
    toks = tokenize("alpha beta gamma delta epsilon zeta eta theta Gove3rnment")
    assert len(text_mod._NORM_CACHE) <= 5
    assert toks.norms[-1] == "government"


@given(
    st.text(alphabet="ab é3_-'. \n", max_size=60),
    st.integers(min_value=0, max_value=70),
    st.integers(min_value=0, max_value=70),
)
def test_tokens_of_a_stretch_equal_the_stretch_tokenised_alone(text: str, a: int, b: int) -> None:
    from unspin.text import tokens_within

    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert tokens_within(text, tokenize(text), a, b) == tokenize(text[a:b])


# The sentence-end pattern as first written; text.py's is written for speed and must match
# exactly where this one does.
_PLAIN_SENT_END = r"""[.!?]+["'\u201d\u2019)\]]*(?=\s)|\n\s*\n"""


@given(st.text(alphabet=st.sampled_from(list(".!?\n \t\r\"')]\u201d\u2019\u00a0aZ3")), max_size=80))
def test_sentence_ends_are_found_where_the_plain_pattern_finds_them(text: str) -> None:
    want = [m.span() for m in re.finditer(_PLAIN_SENT_END, text)]
    assert [m.span() for m in _SENT_END.finditer(text)] == want


@given(st.text(max_size=200))
def test_sentence_ends_of_any_text_as_the_plain_pattern(text: str) -> None:
    want = [m.span() for m in re.finditer(_PLAIN_SENT_END, text)]
    assert [m.span() for m in _SENT_END.finditer(text)] == want


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u200d", "\u2060", "\ufeff"])
def test_invisible_characters_inside_words_are_read_without_them(invisible: str) -> None:
    # robust31: a zero-width space (or soft hyphen, joiner, word joiner, zero-width no-break
    # space) split a word in two: one in every word of the demo article hid it from its own
    # source (22% covered, where the plain article is 100%).
    import unspin
    from unspin.align import align

    assert tokenize(f"gov{invisible}ernment rose").norms == ("government", "rose")
    demo = Path(unspin.__file__).parent / "data" / "demo"
    plain = (demo / "example-article.txt").read_text(encoding="utf-8")
    hidden = re.sub(r"\b(\w\w)(\w{3,})", lambda m: m.group(1) + invisible + m.group(2), plain)
    assert tokenize(hidden).norms == tokenize(plain).norms
    covered = sum(p.target_end - p.target_start for p in align(plain, hidden))
    assert covered >= 0.95 * len(hidden)


def test_combining_marks_stay_in_their_words() -> None:
    # robust33: `\w` matches no combining mark, so a Devanagari word was read as its bare
    # consonants ("हिन्दी" as "ह", "न", "द"), vowelled Arabic and pointed Hebrew letter by
    # letter, and a text with decomposed accents (NFD, as macOS file names and some PDF
    # extractions give it) as broken words ("re\u0301forme" as "re" and "forme"), whose
    # fingerprints are not those of the same text composed.
    import unicodedata

    assert tokenize("हिन्दी भाषा").norms == ("हिनदी", "भाषा")
    assert tokenize("مُحَمَّد رسول").norms == ("محمد", "رسول")
    french = "Le président a déclaré que la réforme serait adoptée malgré la grève à Paris."
    nfd = unicodedata.normalize("NFD", french)
    t = tokenize(nfd)
    assert t.norms == tokenize(french).norms
    assert [nfd[a:b] for a, b in zip(t.starts, t.ends, strict=True)][1] == "pre\u0301sident"
    # Marks beyond the Basic Multilingual Plane: Brahmi "kā" (a letter and its vowel sign).
    assert len(tokenize("\U00011013\U00011038 and").norms) == 2
    # A mark with no letter before it is no word.
    assert tokenize("\u0301abc").norms == ("abc",)
