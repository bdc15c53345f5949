"""Spin score without a source: offsets, ordering, restoration and speed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.errors import UnspinError
from unspin.generators.article_spinner import spin
from unspin.lexicon import moby_entries
from unspin.spinscore.features import mixture_llr, rank_originals
from unspin.spinscore.model import fit_logistic
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.score import (
    QUICK_SPANS,
    SpinScore,
    explain,
    load_resources,
    score_text,
    spin_probability,
)

ORIGINAL = (
    "The government said on Tuesday that the price of wheat would rise next year because the "
    "crop was smaller than expected. Farmers told the ministry that dry weather in the spring "
    "had cut yields in the main growing areas, and officials said exports would fall as a "
    "result. The company expects sales to increase by about ten percent, its chairman told "
    "shareholders at the annual meeting in London."
)


@pytest.fixture(scope="module", autouse=True)
def _loaded() -> None:
    load_resources()


@pytest.mark.parametrize("seed", range(4))
def test_spun_paragraph_scores_higher_than_original(seed: int) -> None:
    spun = spin(ORIGINAL, 0.3, seed=seed)
    assert spin_probability(spun.text) > spin_probability(ORIGINAL) + 0.3


def test_original_news_is_unlikely_spun() -> None:
    assert spin_probability(ORIGINAL) < 0.3


def test_spans_point_at_replaced_words() -> None:
    spun = spin(ORIGINAL, 0.4, seed=1)
    result = score_text(spun.text)
    replaced = [(r.target_start, r.target_end) for r in spun.replacements]
    hits = [s for s in result.spans if any(s.start < e and b < s.end for b, e in replaced)]
    assert len(hits) >= len(result.spans) // 2 > 0
    for span in result.spans:
        assert span.reason in {
            "rare_synonym",
            "rare_collocation",
            "phrase_swap",
            "broken_entity",
            "character_noise",
        }
        assert 0.0 <= span.weight <= 1.0 and len(span.suggestions) <= 3


def test_character_noise_is_found_with_its_fix() -> None:
    result = score_text("The govern3ment raised the price of wheat.")
    noise = [s for s in result.spans if s.reason == "character_noise"]
    assert [(s.phrase, s.suggestions) for s in noise] == [("govern3ment", ("government",))]


def test_a_word_longer_than_any_listed_is_no_noise_and_makes_no_neighbours() -> None:
    # robust31: the neighbours of a word of 80,000 letters (a text without spaces) were all
    # made, 2 million of 80,000 letters each: `score` was killed at 24 GB. Longer than
    # _MAX_NOISY_LETTERS, a word is skipped: exact while no listed word is as long, for a typo
    # adds or drops one letter.
    from unspin.spinscore.evidence import _MAX_NOISY_LETTERS, noise_fix
    from unspin.word_frequency import _table

    table = _table()
    assert table is not None
    (longest,) = table.execute("SELECT max(length(word)) FROM zipf").fetchone()
    assert longest < _MAX_NOISY_LETTERS
    assert noise_fix("x" * 80_000) is None
    assert noise_fix("telecommunicatons") == "telecommunications"  # long, and still found


def test_a_dropped_letter_and_a_listed_misspelling_are_noise() -> None:
    # "bankng" lacks a letter (found only by putting one back); "siad" is a misspelling that
    # web text lists, so it is not unknown, but "said" is a thousand times more frequent.
    result = score_text("Officials siad bankng shares rose in March.")
    noise = {s.phrase: s.suggestions for s in result.spans if s.reason == "character_noise"}
    assert noise == {"siad": ("said",), "bankng": ("banking",)}


def test_a_capitalised_typo_is_noise_and_a_company_name_is_not() -> None:
    # Inside the word, as typos are, against a letter at its edge, as names are made.
    result = score_text("Wliliam Smith of Cenergy and Versar said prices rose.")
    noise = {s.phrase: s.suggestions for s in result.spans if s.reason == "character_noise"}
    assert noise == {"Wliliam": ("William",)}


def test_rare_words_and_split_contractions_are_not_noise() -> None:
    # "wasn" (of "wasn't") and a rare real word one letter from a common one stay words.
    text = (
        "It wasn't the first time the rheas and the bunting were counted; they couldn\u2019t tell."
    )
    result = score_text(text)
    assert [s.phrase for s in result.spans if s.reason == "character_noise"] == []


def test_a_rare_thesaurus_word_and_a_repeated_name_are_not_noise() -> None:
    # "vend" is one letter from "end" but a word a thesaurus spinner puts in (its evidence is
    # the per-word model's); "Beghin" is one letter from "Begin" but written twice: a name.
    text = "Beghin said dealers vend sugar abroad. Beghin also sold its mills."
    result = score_text(text)
    assert [s.phrase for s in result.spans if s.reason == "character_noise"] == []


def test_codes_with_digits_are_not_noise() -> None:
    text = "Boeing delivered a B737 and an A380 to the G20 summit, said reuters21578 and COVID19."
    result = score_text(text)
    assert [s.phrase for s in result.spans if s.reason == "character_noise"] == []
    noisy = score_text("The compa4ny said the B737 was ready.")
    assert [s.phrase for s in noisy.spans if s.reason == "character_noise"] == ["compa4ny"]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcde xyzQ3.,'\n\u00e9"), max_size=120))
def test_offsets_always_slice_the_text(text: str) -> None:
    result = score_text(text)
    assert isinstance(result, SpinScore) and 0.0 <= result.probability <= 1.0
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.phrase


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 0.6))
def test_offsets_slice_spun_text(seed: int, rate: float) -> None:
    text = spin(ORIGINAL, rate, seed=seed).text
    for span in score_text(text).spans:
        assert text[span.start : span.end] == span.phrase


def test_explain_recovers_a_moby_swap_in_top_three() -> None:
    # "toll" and "vend" are in Moby's lists for "price" and "sell".
    assert "toll" in moby_entries()["price"] and "vend" in moby_entries()["sell"]
    assert "price" in [w for w, _ in explain("toll")]
    assert "sell" in [w for w, _ in explain("vend")]


def test_explain_restores_a_phrase_word_by_word() -> None:
    got = explain("bourse toll", k=3)
    assert len(got) == 3 and got[0][1] >= got[-1][1]
    # Both words restored: "bourse" -> "exchange", "toll" -> "rate(s)".
    assert got[0][0] in {"exchange rate", "exchange rates"}
    assert sum(p for _, p in got) <= 1.0 + 1e-6


def test_explain_of_nothing_is_empty() -> None:
    assert explain("  ,. ") == []


def test_logistic_fit_separates_a_simple_rule() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] > 0).astype(float)
    model = fit_logistic(x, y, ("a", "b"))
    assert model.predict({"a": 2.0, "b": 0.0}) > 0.9 > 0.1 > model.predict({"a": -2.0, "b": 0.0})


@pytest.mark.parametrize("model", ["lexical", "auto"])
def test_scoring_a_thousand_words_loads_nothing_again_and_reads_the_text_once(
    model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Speed is measured in benchmarks/bench_startup.py; here the work is counted. "auto" is the
    # contextual model wherever the embed extra is installed (as in the tests).
    from unspin.spinscore import contextual
    from unspin.spinscore.bigrams import bigrams

    article = " ".join([spin(ORIGINAL, 0.3, seed=i).text for i in range(20)])
    article = " ".join(article.split()[:1000])
    first = score_text(article, model=model)  # loads what the model needs, once per process
    loaded = (
        reverse_thesaurus.cache_info().misses,
        bigrams.cache_info().misses,
        contextual._load_encoder.cache_info().misses,
    )
    batches: list[int] = []
    real = contextual.Encoder.run

    def counting(self: contextual.Encoder, texts: list[str]) -> object:
        batches.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(contextual.Encoder, "run", counting)
    again = score_text(article, model=model)
    assert again == first
    assert (
        reverse_thesaurus.cache_info().misses,
        bigrams.cache_info().misses,
        contextual._load_encoder.cache_info().misses,
    ) == loaded
    if first.model == "contextual":
        # The paragraph windows (at most 160 words each, whole sentences), each read once and
        # alone (a padded batch of them spent a fifth of its work on padding).
        assert batches == [1] * len(batches) and len(batches) <= 2 * 1000 // 160 + 1, batches
    else:
        assert batches == []


def test_light_spinning_still_raises_the_score() -> None:
    # 10% of the content words: a handful of odd words must move a paragraph's probability.
    base = spin_probability(ORIGINAL)
    spun = [spin_probability(spin(ORIGINAL, 0.1, seed=s).text) for s in range(6)]
    assert sum(p > base for p in spun) >= 5


def test_mixture_ratio_reacts_to_a_few_odd_words_whatever_the_length() -> None:
    plain = [-1.0] * 200
    odd = [*plain[:-3], 2.0, 2.0, 2.0]
    assert mixture_llr(odd, 50, 0.05) > mixture_llr(plain, 50, 0.05) + 2.0
    # Words no headword lists cannot be spinner output: they count against spinning.
    assert mixture_llr([], 10, 0.1) < mixture_llr([], 0, 0.1) == 0.0


def test_inflected_originals_are_candidates() -> None:
    # The spinner looked "prices" up as "price"; the plural competes with its own frequency.
    words = [c.word for c in reverse_thesaurus().candidates("toll")]
    assert "price" in words and "prices" in words


def test_candidate_lists_are_kept_but_callers_get_their_own() -> None:
    # A word's list is made once and kept; what a caller does to its copy stays its own.
    rt = reverse_thesaurus()
    first = rt.candidates("Toll")
    first.clear()
    again = rt.candidates("toll")
    assert again and again == rt.candidates("TOLL") and again is not rt.candidates("toll")
    assert rt.candidates("qzxvjw") == []


def test_context_reranks_originals_the_text_uses_elsewhere() -> None:
    cands = reverse_thesaurus().candidates("toll")
    bare = [w for w, _ in rank_originals(cands)]
    near = [w for w, _ in rank_originals(cands, frozenset({"tax"}))]
    assert near[0] == "tax" != bare[0]
    context = "Wheat prices rose on Tuesday. The toll of corn rose too."
    got = [w for w, _ in explain("toll", 3, context=context, model="lexical")]
    # "price" is echoed by "prices" and forms "the price of"; the plural fits the pair worse.
    assert got[0] == "price"


def test_context_words_around_the_phrase_pick_the_collocation() -> None:
    # "focal" is in the Moby lists of "central", "main", "great"...; only "central bank" is a
    # frequent pair, and the phrase's neighbours in the context say so. (Without a context
    # "central" came second until one word's candidates were ranked by the phrase search's
    # word model, docs/benchmarks.md 15.12; the context still raises it.)
    bare = dict(explain("focal", 3))
    near = explain(
        "focal", 3, context="The focal bank raised interest rates on Monday.", model="lexical"
    )
    assert near[0][0] == "central" and near[0][1] > max(0.5, bare.get("central", 0.0))


def test_score_suggestions_read_the_neighbours() -> None:
    result = score_text("The focal bank raised interest rates on Monday.")
    focal = [s for s in result.spans if s.phrase == "focal"]
    assert focal and focal[0].suggestions[0] == "central"


def test_a_moby_phrase_is_restored_as_one_swap() -> None:
    # "go up" is itself in Moby's lists, so its originals are single words, not "go" + "up".
    got = [w for w, _ in explain("go up", 3)]
    assert "increase" in got and all(" " not in w for w in got)


def _restoration_hits(restore: int) -> tuple[int, int]:
    """Spans that sit exactly on a spinner's swap, and how many list its original."""
    hits = total = 0
    for seed in range(12):
        spun = spin(ORIGINAL, 0.4, seed=seed)
        truth = {(r.target_start, r.target_end): r.original.lower() for r in spun.replacements}
        for span in score_text(spun.text, "contextual", restore=restore).spans:
            if (span.start, span.end) in truth:
                total += 1
                hits += truth[span.start, span.end] in span.suggestions
    return hits, total


def test_restore_rereads_span_suggestions_in_their_sentence() -> None:
    pytest.importorskip("torch")
    spun = spin(ORIGINAL, 0.4, seed=3).text
    fast = score_text(spun, "contextual")
    read = score_text(spun, "contextual", restore=100)
    assert read.probability == fast.probability
    assert [(s.start, s.end, s.reason, s.weight) for s in read.spans] == [
        (s.start, s.end, s.reason, s.weight) for s in fast.spans
    ]
    assert all(len(s.suggestions) <= 3 and s.phrase not in s.suggestions for s in read.spans)
    (lexical_hits, total), (reread_hits, _) = _restoration_hits(0), _restoration_hits(100)
    assert total >= 20 and reread_hits > lexical_hits
    # Only the heaviest span is re-read, and the next QUICK_SPANS quickly (benchmarks 15.18);
    # the lexical model has nothing to re-read with.
    one = score_text(spun, "contextual", restore=1)
    changed = [a for a, b in zip(one.spans, fast.spans, strict=True) if a != b]
    assert len(changed) <= 1 + QUICK_SPANS
    assert score_text(spun, "lexical", restore=5) == score_text(spun, "lexical")


def test_negative_restore_is_refused() -> None:
    with pytest.raises(UnspinError, match="restore must be 0 or more"):
        score_text("Some text.", restore=-1)


def test_a_text_without_content_words_is_not_spun() -> None:
    for text in ("", "1987 12.5", "the of and a to in"):
        score = score_text(text, "lexical")
        assert (score.probability, score.content_words, score.short) == (0.0, 0, True)
    long = score_text(" ".join([ORIGINAL] * 2), "lexical")
    assert long.content_words >= 30 and not long.short
    assert {"content_words", "short_text"} <= set(long.to_dict())


def test_documented_json_fields_match_the_output() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "score-json.md").read_text("utf-8")
    score = score_text("The focal bank raised rates; the govern3ment agreed.", "lexical")
    out = score.to_dict()
    for key in out:
        assert f"`{key}" in doc, key
    for key in out["spans"][0]:  # type: ignore[index]
        assert f"`{key}`" in doc, key
    for reason in ("rare_synonym", "rare_collocation", "phrase_swap", "broken_entity"):
        assert f"`{reason}`" in doc
    assert "`character_noise`" in doc and "`file`" in doc
    # The example shows every field the output has (only `features` is shortened).
    example = json.loads(doc[doc.index("```json") + len("```json") : doc.rindex("```")])[0]
    assert set(example) == {"file", *out}
    assert set(example["spans"][0]) == set(out["spans"][0])  # type: ignore[index]


def test_phrases_are_restored_word_by_word_with_word_pairs() -> None:
    # Each word's likely originals alone rank "similar experience" high; the pair
    # "artificial intelligence" is far more frequent in English than its parts predict.
    assert explain("counterfeit consciousness", model="lexical")[0][0] == "artificial intelligence"
    assert "central bank" in [w for w, _ in explain("focal bank", model="lexical")]
    got = explain("flag to commotion proportion", model="lexical")
    assert len(got) == 3
    assert got[0][0] == "signal to noise ratio"  # "to" stays, the pairs fit around it


def test_a_word_that_looks_unswapped_stays() -> None:
    # Tortured phrases from published papers (issue 19): the spinner swapped one word and left
    # the other, which the restoration keeps instead of replacing it with a commoner word.
    assert explain("kidney sickness", 3, model="lexical")[0][0] == "kidney disease"
    assert explain("random stroll", 3, model="lexical")[0][0] == "random walk"


def _demo_stories(min_words: int) -> list[str]:
    from importlib import resources

    from unspin.jsonl_files import read_jsonl

    path = resources.files("unspin") / "data" / "demo" / "corpus.jsonl"
    return [row["text"] for row in read_jsonl(path) if len(row["text"].split()) >= min_words]


def test_a_long_text_is_judged_window_by_window() -> None:
    """Its probability is the mean of its windows', weighted by content words; read whole, a
    long text's strongest words piled up (docs/benchmarks.md 17.13)."""
    from unspin.spinscore.paraphrase import paraphrase_model
    from unspin.spinscore.score import WINDOW_WORDS, text_probability

    text = "\n\n".join(_demo_stories(150)[:6])
    score = score_text(text, "lexical")
    assert len(score.windows) >= len(text.split()) // (2 * WINDOW_WORDS)
    ends = [0] + [w.end for w in score.windows]
    assert all(a <= w.start for a, w in zip(ends, score.windows, strict=False))
    whole_text = paraphrase_model().probability(text)
    for w in score.windows:
        # The thesaurus model reads the window alone; the paraphrase model the whole text.
        alone = score_text(text[w.start : w.end], "lexical").features["thesaurus_probability"]
        verdict = {"thesaurus_probability": alone, "paraphrase_probability": whole_text}
        assert w.probability == pytest.approx(text_probability(verdict, "lexical"))
    weights = [max(w.content_words, 1) for w in score.windows]
    mean = sum(w.probability * n for w, n in zip(score.windows, weights, strict=True))
    assert score.probability == pytest.approx(mean / sum(weights))
    assert score.content_words == sum(w.content_words for w in score.windows)
    assert all(text[s.start : s.end] == s.phrase for s in score.spans)
    assert score.to_dict()["windows"][0]["end"] == score.windows[0].end
    short = score_text(ORIGINAL, "lexical")
    assert short.windows == () and short.to_dict()["windows"] == []


def test_the_windows_of_a_spliced_text_show_which_part_reads_spun() -> None:
    plain, other = _demo_stories(300)[:2]
    spun = spin(other, 0.4, seed=3).text
    text = plain + "\n\n" + spun
    score = score_text(text, "lexical")
    first = [w.probability for w in score.windows if w.end <= len(plain)]
    second = [w.probability for w in score.windows if w.start > len(plain)]
    assert first and second and max(first) < min(second)


@pytest.mark.parametrize("kind", ["lexical", "contextual"])
def test_windows_read_together_give_what_each_window_gives_alone(kind: str) -> None:
    """A long text's windows are scanned one by one and the per-word model reads all their
    words in one pass (features.analyse_each): each window's features and spans as
    analyse gives them for that window alone; the lexical model's to the last bit, the
    contextual one's within the transformer's float32 rounding."""
    from unspin.spinscore.contextual import embed_available
    from unspin.spinscore.features import analyse, analyse_each
    from unspin.spinscore.score import windows

    if kind == "contextual" and not embed_available():
        pytest.skip("needs the embed extra")
    text = spin("\n\n".join(_demo_stories(150)[:5]), 0.15, seed=2).text
    parts = [text[a:b] for a, b in windows(text)]
    assert len(parts) >= 4
    rt = reverse_thesaurus()
    together = analyse_each(parts, rt, kind)
    for part, (features, evidence) in zip(parts, together, strict=True):
        alone_features, alone_evidence = analyse(part, rt, kind)
        if kind == "lexical":
            assert features == alone_features and evidence == alone_evidence
        else:
            assert features == pytest.approx(alone_features, abs=1e-3)
            assert [(e.start, e.end, e.reason) for e in evidence] == [
                (e.start, e.end, e.reason) for e in alone_evidence
            ]


def test_a_text_with_decomposed_accents_scores_as_composed() -> None:
    # robust33: accents written as combining characters (NFD) made words no table lists
    # ("cafe" + U+0301): the same text scored 0.22 composed and 0.18 (main) or 0.16 decomposed.
    # Now it is read composed, its spans put back on the text as given.
    import unicodedata

    composed = (
        "The café owner in Zürich said colossal information examination is a quickly "
        "developing field, and the naïve tourists paid for crème brûlée at the résumé workshop."
    )
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    a, b = score_text(composed, "lexical"), score_text(decomposed, "lexical")
    assert b.probability == a.probability and b.features == a.features
    assert [s.phrase for s in b.spans] == [s.phrase for s in a.spans] and a.spans
    assert all(decomposed[s.start : s.end] == s.phrase for s in b.spans)
    assert b.spans[0].start == a.spans[0].start + 2  # after "é" and "ü", two characters each
