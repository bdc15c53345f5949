"""One spun word's likely originals from the phrase search's candidates (docs/benchmarks.md
15.12): the spans ``score --restore`` re-reads, and ``explain`` of one word, rank what
``explain``'s phrase search tries for a word (Moby both ways, through base forms, other
inflections, real spinners' swaps) with its word model, not only the headwords whose Moby
lists hold the word. Never the word itself, another form of it, or a vulgar word the text
does not use.
"""

from __future__ import annotations

import pytest

from test_spin_verdict import FARM_POST  # tests/ is on the path (its conftest)
from unspin.spinscore.contextual import embed_available
from unspin.spinscore.originals import word_originals
from unspin.spinscore.phrases import OPTION_FEATURES, matched_form, moby_options, other_forms
from unspin.spinscore.restorer import KEEP
from unspin.spinscore.score import explain, lexical_originals, score_text
from unspin.spinscore.vulgar import is_vulgar

needs_embed = pytest.mark.skipif(not embed_available(), reason="needs the embed extra")

# Words whose wider candidates hold vulgar words (thesaurus lists link "jerk" to them).
VULGAR_NEIGHBOURS = ("jerk", "fool", "damned", "bastard")


def test_a_word_moby_lists_under_no_headword_gets_candidates() -> None:
    """The issue's post: "exchanging" (QuillBot-like for "trading") is in no Moby list, so
    ``explain`` and the restored span had nothing from it; the phrase search's candidates
    (Moby's own list of the word, its base form's) hold "trading" among the best the
    contextual re-ranker reads. Fails before: no candidate at all."""
    found = [w for w, _ in lexical_originals("exchanging", FARM_POST)]
    assert "trading" in found[:KEEP]


@needs_embed
def test_the_posts_restored_span_suggests_the_replaced_word() -> None:
    """``score`` re-reads the heaviest spans in their sentence (``--restore 10``): the
    "exchanging" of "in afternoon exchanging" now suggests "trading" (before: talking,
    marketing, dealing), and "trading" comes first from ``explain`` in the post."""
    spans = score_text(FARM_POST, "contextual", restore=10).spans
    (span,) = [s for s in spans if FARM_POST[s.start : s.end] == "exchanging"]
    assert "trading" in span.suggestions
    assert explain("exchanging", 3, FARM_POST, "contextual")[0][0] == "trading"


def test_no_own_form_and_no_vulgar_word_is_suggested() -> None:
    for word in ("exchanging", "proposition", "medium", *VULGAR_NEIGHBOURS):
        found = [w for w, _ in lexical_originals(word, FARM_POST)]
        assert found, word
        assert word not in found and not other_forms(word) & set(found), word
        assert not any(is_vulgar(w, set()) for w in found), word
    # The ranking itself reaches them: the filter is what keeps them out.
    assert any(is_vulgar(w, set()) for w, _ in word_originals("jerk")[:10])
    assert "exchange" in other_forms("exchanging") and "exchanging" not in other_forms("exchanging")


@needs_embed
def test_no_restored_suggestion_is_vulgar_or_the_spun_word() -> None:
    text = FARM_POST + " The envoy called the minister a jerk and a damned fool."
    for span in score_text(text, "contextual", restore=10).spans:
        spun = text[span.start : span.end].lower()
        got = {w.lower() for w in span.suggestions}
        assert spun not in got and not other_forms(spun) & got, spun
        assert not any(is_vulgar(w, set()) for w in got), spun


def test_without_the_extra_no_glove_or_wordnet_candidate() -> None:
    """``extra=False`` (span suggestions) reads neither GloVe nor WordNet, installed or not."""
    for name in ("glove_near", "wordnet", "glove_cosine"):
        k = OPTION_FEATURES.index(name)
        assert all(row[k] == 0.0 for _, row in moby_options("exchanging", extra=False))


def test_candidates_also_come_in_the_spun_words_inflection() -> None:
    """A spinner that keeps the inflection of the word it replaces (SpinBot: "released" ->
    "discharged", docs/benchmarks.md 15.17) is answered by a candidate in the spun word's
    inflection: "released" beside the base form "release" for "discharged", among the best.
    The form a candidate has stays too (our Moby spinner writes Moby's word as listed). Fails
    before: "release" was a candidate of "discharged" and "released" none."""
    discharged = [w for w, _ in word_originals("discharged")]
    assert "released" in discharged[:10] and "release" in discharged
    # A candidate with no form of the spun word's inflection stays as it is ("old" has no
    # past tense for "seasoned"), and one already in it is left alone.
    assert matched_form("state", "expressed") == "stated"
    assert matched_form("composers", "arranger") == "composer"
    assert matched_form("old", "seasoned") == "old"
    assert matched_form("kept", "held") == "kept"
