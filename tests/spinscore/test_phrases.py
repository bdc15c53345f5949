"""Restoring tortured phrases word by word (spinscore/phrases.py) and how explain reports it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.errors import UnspinError
from unspin.spinscore import phrases, related
from unspin.spinscore.phrases import (
    CALIBRATION_FEATURES,
    FEATURES,
    OPTION_FEATURES,
    RERANK_FEATURES,
    PhraseRanker,
    confidence,
    phrase_ranker,
    rerank,
    rerank_features,
    restorations,
    restore_phrase,
    stretch_options,
    word_options,
)
from unspin.spinscore.score import PHRASE_FLOOR, calibrated, confident, explain

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_ranker_has_a_weight_for_every_feature() -> None:
    ranker = phrase_ranker()
    assert len(ranker.weights) == len(FEATURES)
    assert ranker.to_dict().keys() == set(FEATURES)
    with pytest.raises(ValueError):
        PhraseRanker((1.0,))


def test_a_damaged_ranker_file_names_the_script_that_rebuilds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(phrases, "_RANKER", "data/no-such-ranker.json")
    phrases.phrase_ranker.cache_clear()
    try:
        with pytest.raises(UnspinError, match="train_phrase_restorer"):
            phrase_ranker()
    finally:
        phrases.phrase_ranker.cache_clear()


def test_every_word_can_stay_as_it_is_and_function_words_only_can() -> None:
    own = word_options("corrosive", {}, {})
    assert own[0][0] == "corrosive"
    assert own[0][1][OPTION_FEATURES.index("kept")] == 1.0
    assert len(own) > 10  # Moby gives many possible originals
    assert [w for w, _ in word_options("of", {}, {})] == ["of"]
    assert [w for w, _ in word_options("24", {}, {})] == ["24"]


def test_a_swap_real_spinners_make_becomes_a_candidate_and_counts() -> None:
    pairs = {"corrosive": {"acid": 12}}
    got = dict(word_options("corrosive", pairs, {}))
    assert got["acid"][OPTION_FEATURES.index("spinner_pair")] > 0
    # The base form's swaps reach an inflected word, re-inflected.
    assert "attacks" in dict(word_options("ambushes", {"ambush": {"attack": 3}}, {}))


def test_a_word_no_thesaurus_knows_is_kept() -> None:
    for r in restorations(("triflic", "corrosive"))[:5]:
        assert r.text.split()[0] == "triflic"


def test_the_forced_path_reaches_only_the_wording_asked_for() -> None:
    got = restorations(("counterfeit", "consciousness"), within=("artificial", "intelligence"))
    assert [r.text for r in got] == ["artificial intelligence"]
    assert restorations(("counterfeit", "consciousness"), within=("no", "such")) == []


def test_features_sum_over_the_options_and_pairs() -> None:
    ranker = phrase_ranker()
    for r in restorations(("kidney", "sickness"))[:5]:
        assert r.score == pytest.approx(ranker.score(r.features))
        assert r.text == " ".join(o.text for o in r.options)


def test_neighbours_in_the_text_change_the_ranking_scores() -> None:
    alone = {r.text: r.score for r in restorations(("focal", "bank"))}
    placed = {r.text: r.score for r in restorations(("focal", "bank"), around=("the", "raised"))}
    common = set(alone) & set(placed)
    assert common and any(alone[k] != placed[k] for k in common)


def test_explain_restores_tortured_phrases_and_keeps_unswapped_words() -> None:
    assert explain("counterfeit consciousness", model="lexical")[0][0] == "artificial intelligence"
    assert explain("kidney sickness", model="lexical")[0][0] == "kidney disease"
    got = explain("flag to commotion proportion", model="lexical")
    assert got[0][0] == "signal to noise ratio" and confident(got, "flag to commotion proportion")


def test_the_shipped_second_stage_and_calibration_cover_their_features() -> None:
    ranker = phrase_ranker()
    assert len(ranker.rerank_weights) == len(RERANK_FEATURES)
    assert len(ranker.calibration) == len(CALIBRATION_FEATURES)
    with pytest.raises(ValueError):
        PhraseRanker(ranker.weights, rerank_weights=(1.0,))
    # A default install reads the second stage fitted without GloVe and WordNet, which puts
    # no weight on the two features they alone give.
    bare = ranker.without_extra()
    assert bare.rerank_weights != ranker.rerank_weights
    assert bare.rerank_weights[RERANK_FEATURES.index("wordnet_term")] == 0.0
    assert bare.without_extra().rerank_weights == bare.rerank_weights


def test_the_second_stage_reads_whole_wordings() -> None:
    words = ("counterfeit", "consciousness")
    found = [r for r in restorations(words) if r.text != "counterfeit consciousness"]
    feats = dict(zip((r.text for r in found), rerank_features(words, found), strict=False))
    first = rerank_features(words, found)[0]
    assert first[RERANK_FEATURES.index("score")] == 0.0 and first[1] == 0.0
    for text, f in feats.items():
        assert f[RERANK_FEATURES.index("score")] <= 0.0
        assert f[RERANK_FEATURES.index("length_change")] == len(text.split()) - 2
    got = feats["artificial intelligence"]
    # Both words were swapped: their places among their own candidates (1 = best) are known.
    restored = next(r for r in found if r.text == "artificial intelligence")
    assert all(o.word_rank >= 1 for o in restored.options)
    assert got[RERANK_FEATURES.index("word_rank")] >= 0.0
    if not related.missing():
        assert got[RERANK_FEATURES.index("wordnet_term")] == 1.0
    # Without second-stage weights the search's order stands.
    plain = PhraseRanker(phrase_ranker().weights, word_weights=phrase_ranker().word_weights)
    assert [t for t, _ in rerank(words, found, plain)] == [r.text for r in found[:40]]


def test_the_calibrated_chance_is_a_probability_and_tracks_the_evidence() -> None:
    strong = restore_phrase(("counterfeit", "consciousness"))
    weak = restore_phrase(("zzqx", "blorft"))
    assert strong.confidence is not None and 0.0 < strong.confidence < 1.0
    assert weak.wordings == [] or (weak.confidence or 0.0) < strong.confidence
    ranker = phrase_ranker()
    assert confidence([0.0], [0.0], ranker) is not None
    assert confidence([], [], ranker) is None


def test_a_phrase_is_stated_only_when_likelier_right_than_wrong() -> None:
    assert calibrated([0.9, 0.1], 0.3) == [0.3, 0.1]
    # The others never pass the best, and the whole never passes one.
    got = calibrated([0.4, 0.35, 0.25], 0.2)
    assert got[0] == 0.2 and max(got[1:]) <= 0.2 and sum(got) <= 1.0 + 1e-9
    assert PHRASE_FLOOR > 0.2
    assert confident([("broad range", 0.3)])  # a single word: RESTORE_FLOOR
    assert not confident([("broad range", 0.3)], "wide extent")
    assert confident([("broad range", PHRASE_FLOOR)], "wide extent")


def test_explain_file_says_when_it_cannot_restore(tmp_path: Path) -> None:
    listed = tmp_path / "phrases.txt"
    listed.write_text("counterfeit consciousness\nzzqx blorft\n", encoding="utf-8")
    out = CliRunner().invoke(
        main, ["score", "--model", "lexical", "--explain-file", str(listed), "--json"]
    )
    assert out.exit_code == 0, out.output
    rows = {r["phrase"]: r for r in json.loads(out.stdout)}
    assert rows["counterfeit consciousness"]["restored"] is True
    assert rows["zzqx blorft"]["restored"] is False
    text = CliRunner().invoke(main, ["score", "--model", "lexical", "--explain", "zzqx blorft"])
    assert "cannot restore" in text.output


@pytest.mark.corpus
def test_held_tortured_phrases_are_restored_better_than_before(shared_data: Path) -> None:
    # The held half of the development file (never fitted on): the word-by-word beam this
    # replaced had top-3 0.103 on 300 rows (docs/benchmarks.md, section 15.2).
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_realspin import _norm, tortured

    held = tortured(shared_data / "realspin" / "tortured-phrases-dev.csv", 40)["held"]
    hits = sum(
        p.expected in [_norm(w) for w, _ in explain(p.tortured, 3, model="lexical")] for p in held
    )
    assert hits / len(held) >= 0.2


def _forget_candidates() -> None:
    """Drop what was read with or without the spinners extra (candidates are cached)."""
    for cached in (
        related.glove_neighbours,
        related.wordnet_related,
        related.wordnet_term,
        phrases.moby_options,
        phrases._pair_features,
    ):
        cached.cache_clear()


def test_candidates_beyond_moby_come_from_glove_wordnet_and_inflections() -> None:
    if related.missing():
        pytest.skip("needs the spinners extra: pip install -e .[spinners]")
    got = dict(word_options("conceals", {}, {}))
    assert got["hidden"][OPTION_FEATURES.index("inflected")] == 1.0  # "hide" re-inflected
    assert related.glove_cosine("algorithm", "calculation") > 0.3
    assert related.glove_cosine("algorithm", "zzqx") == 0.0
    # Several spun words may stand for one (WordNet's "optical maser" is a laser).
    assert "laser" in dict(stretch_options("optical maser", {}))


def test_a_stretch_real_spinners_wrote_for_a_shorter_wording_is_an_option() -> None:
    seen = {"casting a ballot": {"voting": 2}}
    got = dict(stretch_options("casting a ballot", seen))
    assert got["voting"][OPTION_FEATURES.index("spinner_pair")] > 0
    shipped = phrase_ranker()
    ranker = PhraseRanker(shipped.weights, seen, {}, shipped.word_weights)
    restored = restorations(("hard", "casting", "a", "ballot"), ranker, within=("hard", "voting"))
    assert [r.text for r in restored] == ["hard voting"]


def test_without_the_spinners_extra_explain_falls_back_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The extra may be installed here: make it look absent, as on a default install.
    monkeypatch.setattr(related, "missing", lambda: ("glove", "wordnet"))
    _forget_candidates()
    try:
        assert related.glove_cosine("algorithm", "calculation") == 0.0
        assert related.wordnet_related("optical maser") == {}
        got = explain("counterfeit consciousness", model="lexical")
        assert got[0][0] == "artificial intelligence"
        out = CliRunner().invoke(
            main, ["score", "--model", "lexical", "--explain", "counterfeit consciousness"]
        )
        assert out.exit_code == 0, out.output
        assert "artificial intelligence" in out.stdout
        assert "without GloVe neighbours and WordNet" in out.stderr
    finally:
        monkeypatch.undo()
        _forget_candidates()
