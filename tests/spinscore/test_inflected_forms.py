"""Inflected forms no Moby list holds, read through their base form by the contextual model
(issue 19 item 5, docs/benchmarks.md 17.8)."""

from __future__ import annotations

from unspin.spinscore.features import word_rows
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus


def test_an_inflected_form_gets_the_inflected_headwords_of_its_base_form() -> None:
    rt = reverse_thesaurus()
    # Moby lists "intellect" and "glorify", never "intellects" or "glorifies": a spinner that
    # inflects its pick (WordNet's, Roget's) writes them.
    assert rt.candidates("intellects") == [] and rt.candidates("glorifies") == []
    assert "reasons" in [c.word for c in rt.candidates_through_base("intellects")]
    assert "celebrates" in [c.word for c in rt.candidates_through_base("glorifies")]
    # Each one is the headword's own candidate, with its own prior.
    reasons = next(c for c in rt.candidates_through_base("intellects") if c.word == "reasons")
    assert reasons.index >= 0 and rt.head_words()[reasons.index] == "reasons"


def test_only_the_contextual_model_reads_them() -> None:
    rt = reverse_thesaurus()
    text = "The board praised the intellects of its members on Monday."
    lexical = [text[a:b] for a, b, _ in word_rows(text, rt)]
    contextual = [text[a:b] for a, b, _ in word_rows(text, rt, "contextual")]
    assert "intellects" not in lexical
    assert "intellects" in contextual
    assert [w for w in contextual if w != "intellects"] == lexical
