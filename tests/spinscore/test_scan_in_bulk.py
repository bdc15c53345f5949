"""The scan's fits with the neighbours, looked up for a whole text at once, against the
definitions one word at a time: span suggestions (top_originals_each) and per-word rows."""

from __future__ import annotations

import math

import numpy as np

from unspin.generators.article_spinner import spin
from unspin.lexicon import zipf
from unspin.spinscore.bigrams import bigrams
from unspin.spinscore.features import context_llr, neighbours, word_rows
from unspin.spinscore.originals import rank_originals, text_stems, top_originals_each
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.vulgar import without_vulgar
from unspin.text import tokenize

TEXT = (
    "The central bank raised its key interest rate on Monday, and prices of crude oil fell "
    "as traders sold shares. The company said profits would rise, but the jerk of a rival "
    "called the plan a goof. Officials expect growth to slow in the second quarter of the year."
)


def _one_at_a_time(cands, stems, context, k=3):  # type: ignore[no-untyped-def]
    """top_originals as it was defined: rank every single-word candidate, drop vulgar ones."""
    single = [c for c in cands if " " not in c.word]
    return tuple(w for w, _ in without_vulgar(rank_originals(single, stems, context), stems)[:k])


def test_suggestions_ranked_together_equal_those_ranked_one_by_one() -> None:
    rt = reverse_thesaurus()
    text = spin(TEXT, 0.4, seed=7).text
    tokens = tokenize(text)
    stems = text_stems(text) | {"asshol"}  # a text that used the word may get it back
    spots = [
        (rt.candidates(word), neighbours(text, tokens, i, i)) for i, word in enumerate(tokens.norms)
    ]
    spots += [(rt.candidates("jerk"), (None, None)), ([], ("the", "bank"))]
    spots += [(rt.candidates("top pastor"), ("the", "said"))]  # multi-word candidates dropped
    for k in (0, 1, 3, 5):
        got = top_originals_each(spots, stems, k)
        assert got == [_one_at_a_time(c, stems, ctx, k) for c, ctx in spots]
    assert top_originals_each([], stems) == []


def test_rows_read_the_fits_the_definitions_give() -> None:
    # Every fit, best fit and context ratio in the rows must be the number the one-word
    # definitions (sides_each, context_llr) give, to the last bit.
    rt, bg = reverse_thesaurus(), bigrams()
    text = spin(TEXT, 0.3, seed=2).text
    tokens = tokenize(text)
    index = {start: i for i, start in enumerate(tokens.starts)}
    rows = word_rows(text, rt)
    assert len(rows) > 10
    for start, _, row in rows:
        i = index[start]
        word = tokens.norms[i]
        context = neighbours(text, tokens, i, i)
        cands = [c for c in rt.candidates(word)[:16] if " " not in c.word]
        sides = bg.sides_each([c.word for c in cands], *context)
        own = bg.sides(word, *context)
        z = zipf(word)
        assert row[1] == context_llr(cands, word, z, context, bg)
        assert row[3] == own[0] + own[1] and (row[12], row[13]) == own
        assert row[4] == max(a + b for a, b in sides)
        assert (row[17], row[18]) == (max(a for a, _ in sides), max(b for _, b in sides))
        assert math.isfinite(row[5])


class _CountingTable:
    """A word-frequency table that counts the one-word queries asked of it."""

    def __init__(self, table) -> None:  # type: ignore[no-untyped-def]
        self.table = table
        self.one_word: list[str] = []

    def execute(self, sql: str, args=()):  # type: ignore[no-untyped-def]
        if "WHERE word = ?" in sql:
            self.one_word.append(args[0])
        return self.table.execute(sql, args)


def test_a_new_texts_word_frequencies_are_read_in_one_query(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A new 1,000-word article had about 300 words the process had not met, each looked up
    # with a query of its own (20 us each); the scan reads them together, and so does the
    # table of candidates' counts for headwords outside the word-pair list.
    from unspin import word_frequency
    from unspin.spinscore.features import _scan
    from unspin.spinscore.originals import head_table

    rt = reverse_thesaurus()
    counting = _CountingTable(word_frequency._table())
    monkeypatch.setattr(word_frequency, "_table", lambda: counting)
    # Words no earlier test asked about: plain, so the table answers for them.
    new = ["quorbling", "snarfwidget", "trellibox", "plonkery", "wumbleton"]
    text = f"The {new[0]} and the {new[1]} met a {new[2]} near the {new[3]} of {new[4]} town."
    before = [zipf.__wrapped__(w) for w in new]  # type: ignore[attr-defined]
    counting.one_word.clear()
    _scan(text, rt)
    assert not set(new) & set(counting.one_word)
    assert [zipf(w) for w in new] == before
    # Single-word headwords whose counts the word-pair list lacks (what the scan fits with
    # their neighbours): read together on first use.
    table = head_table(rt)
    unknown = np.array(
        [i for i in np.flatnonzero(np.isnan(table._counts)) if " " not in table._words[i]][:50]
    )
    assert len(unknown) > 1
    counting.one_word.clear()
    _, counts = table.arrays(unknown)
    assert not counting.one_word and not np.isnan(counts).any()
    words = [table._words[i] for i in unknown.tolist()]
    assert counts.tolist() == [bigrams().unigram(w) for w in words]
