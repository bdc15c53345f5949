"""The scan's fits with the neighbours, looked up for a whole text at once, against the
definitions one word at a time: span suggestions (top_originals_each) and per-word rows."""

from __future__ import annotations

import math

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
