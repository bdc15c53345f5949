"""Spans re-weighed by the per-word model: rule spans it doubts go, words it suspects come in."""

from __future__ import annotations

from importlib import resources

import numpy as np

from unspin.generators.article_spinner import spin
from unspin.jsonl_files import read_jsonl
from unspin.spinscore import evidence
from unspin.spinscore.evidence import Evidence, model_evidence
from unspin.spinscore.features import _scan
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.score import score_text, windows

TEXT = "The focal bank raised the toll of wheat, said the top pastor."


def _word(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def test_model_probabilities_drop_keep_and_add_spans() -> None:
    rt = reverse_thesaurus()
    scanned = _scan(TEXT, rt)  # for the tokens and stems
    focal, toll, pastor = _word(TEXT, "focal"), _word(TEXT, "toll"), _word(TEXT, "pastor")
    rule = [Evidence(*focal, "rare_synonym", ("central",), 0.5)]
    phrase = Evidence(*_word(TEXT, "top pastor"), "phrase_swap", ("premier",), 0.4)
    spans = [focal, toll, pastor]

    def run(probs: list[float]) -> list[Evidence]:
        return model_evidence(
            TEXT, [*rule, phrase], scanned.tokens, scanned.stems, spans, np.array(probs), rt
        )

    # Doubted by the model: the rule's span goes; the phrase span has no per-word probability.
    assert [e.reason for e in run([0.1, 0.1, 0.9])] == ["phrase_swap"]
    kept = run([0.6, 0.1, 0.9])
    assert [(e.reason, e.weight) for e in kept] == [("rare_synonym", 0.6), ("phrase_swap", 0.4)]
    added = run([0.6, 0.8, 0.9])  # "pastor" sits inside the phrase span: not added again
    assert [e.reason for e in added] == ["rare_synonym", "rare_collocation", "phrase_swap"]
    toll_span = added[1]
    assert (toll_span.start, toll_span.end, toll_span.weight) == (*toll, 0.8)
    assert 0 < len(toll_span.suggestions) <= 3 and "toll" not in toll_span.suggestions
    assert run([0.6, evidence._SPAN_ADD - 0.01, 0.9]) == kept


def test_spans_find_more_swaps_than_the_frequency_rule_alone() -> None:
    # Recall of the spinner's swaps by score's spans, against the rule's own evidence.
    text = (
        "The government said on Tuesday that the price of wheat would rise next year because the "
        "crop was smaller than expected. Farmers told the ministry that dry weather in the spring "
        "had cut yields in the main growing areas, and officials said exports would fall."
    )
    rt = reverse_thesaurus()
    found = ruled = total = 0
    for seed in range(10):
        spun = spin(text, 0.2, seed=seed)
        swaps = [(r.target_start, r.target_end) for r in spun.replacements]
        spans = [(s.start, s.end) for s in score_text(spun.text, "lexical").spans]
        rule = [(e.start, e.end) for e in _scan(spun.text, rt).evidence]
        total += len(swaps)
        found += sum(any(a < d and c < b for a, b in spans) for c, d in swaps)
        ruled += sum(any(a < d and c < b for a, b in rule) for c, d in swaps)
    assert total >= 30 and found > ruled


def test_suggestions_ranked_after_the_model_are_the_scans_own() -> None:
    # The scan leaves span suggestions to be ranked for the spans the per-word model keeps;
    # they must be those the scan ranked for every span, and an added span's those of its word.
    rt = reverse_thesaurus()
    path = resources.files("unspin") / "data" / "demo" / "corpus.jsonl"
    stories = [row["text"] for row in read_jsonl(path)][:8]
    checked = dropped = added = 0
    for seed, story in enumerate(stories):
        text = spin(story, 0.15, seed=seed).text
        # A long text is judged (and scanned) window by window; its spans' suggestions are
        # ranked with the stems of all the windows (the whole text).
        before = {}
        stretches = windows(text)
        stretches = stretches if len(stretches) > 1 else [(0, len(text))]
        scans = [_scan(text[start:end], rt) for start, end in stretches]
        pooled = frozenset().union(*(scanned.stems for scanned in scans))
        for (start, _), scanned in zip(stretches, scans, strict=True):
            suggested = scanned._replace(stems=pooled).suggested()
            before.update({(e.start + start, e.end + start): e.suggestions for e in suggested})
            assert any(not e.suggestions for e in scanned.evidence)  # left for later
        spans = score_text(text, "lexical").spans
        for s in spans:
            if (s.start, s.end) in before:
                assert s.suggestions == before[s.start, s.end]
                checked += 1
            else:
                assert s.reason == "rare_collocation" and s.suggestions
                added += 1
        dropped += len(before) - sum((s.start, s.end) in before for s in spans)
    assert checked > 5 and dropped > 0 and added > 0


def test_the_scan_asks_for_no_typo_fix_of_a_word_moby_lists(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A word Moby lists is no typo whatever noise_fix says (_a_word_here), so the scan does
    # not ask (a rare word's question is a lookup of its few hundred one-typo neighbours);
    # typos elsewhere are still found, with the same spans as when every word was asked.
    from unspin.spinscore import features

    rt = reverse_thesaurus()
    text = spin(TEXT_WITH_TYPOS, 0.4, seed=2).text
    want = _scan(text, rt)
    asked: list[str] = []
    real = features.noise_fix
    monkeypatch.setattr(features, "noise_fix", lambda raw: asked.append(raw) or real(raw))
    got = _scan(text, rt)
    listed = [w for w in asked if w.isalpha() and rt.lists(w.lower())]
    assert asked and not listed
    assert "markett" in asked and "priice" in asked
    assert got.evidence == want.evidence and got.rows == want.rows
    assert {text[e.start : e.end] for e in got.evidence if e.reason == "character_noise"} >= {
        "markett",
        "priice",
    }
    # "vend" is one letter from "end", and Moby lists it: a word, not asked.
    assert rt.lists("vend") and real("vend") == "end"
    asked.clear()
    scanned = _scan("They vend the fruit at the markett.", rt)
    assert "vend" not in asked and "markett" in asked
    assert [e.reason for e in scanned.evidence if e.start == 5] != ["character_noise"]


TEXT_WITH_TYPOS = (
    "The government said on Tuesday that it would help the farmers, who sell and vend their "
    "grain at the markett, and that the priice of wheat would rise next year."
)
