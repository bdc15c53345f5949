"""A narrowly rejected passage whose shared stems the other candidates lack counts as reuse."""

from __future__ import annotations

import pytest

from unspin.align import Prepared, prepare
from unspin.types import Passage
from unspin.unique_wording import accept_unique_wording, rare_shared_stems, stems_held_by

# The camp list of PAN 03 (suspicious-document01011 <- source-document00446), shortened: the
# spun article keeps the camps' names and little else of each line.
SOURCE = (
    "Nazi testimony regarding gassing at the camp. Auschwitz. "
    "Nazi testimony regarding gassing at the camp. Belzec. "
    "Nazi testimony regarding gassing at the camp. Treblinka. "
    "Nazi correspondence detailing the operation of gassing vans."
)
ARTICLE = (
    "Of boast regarding camp. Treblinka. Various of boast regarding building. Belzec. "
    "Chilling of tout by collection. Auschwitz. Nazi of tout about individual. Bookmobile."
)
# Pages on the same topic retrieved with it: they hold the topic's words.
TOPIC = "Testimony regarding the Nazi camp system was gathered after the war."
ONE_NAME = "Auschwitz was the largest Nazi camp."
PASSAGE = Passage(0, len(SOURCE), 0, len(ARTICLE), 0.51)
THRESHOLD = 0.6


def _prepared(*others: str) -> dict[int, Prepared]:
    texts = [SOURCE, *others]
    return {key: prepare(text) for key, text in enumerate(texts, start=1)}


def _accept(
    prob: float, passage: Passage = PASSAGE, *others: str
) -> dict[tuple[int, Passage], float | None]:
    prepared = _prepared(*others)
    reuse = {(1, passage): prob}
    accept_unique_wording(reuse, prepared, prepare(ARTICLE), 0.5, THRESHOLD, 3)
    return reuse


def test_names_the_other_candidates_lack_make_a_narrowly_rejected_passage_reuse() -> None:
    # Topic words ("nazi", "camp", "testimony") are on the other pages; the three names are
    # on the source and at most one other page (ONE_NAME's "auschwitz").
    prepared = _prepared(TOPIC, TOPIC + " More.", ONE_NAME)
    rare = rare_shared_stems(1, PASSAGE, prepared, prepare(ARTICLE), stems_held_by(prepared))
    assert {"auschwitz", "belzec", "treblinka"} <= rare
    assert not {"nazi", "camp"} & rare
    assert _accept(0.53, PASSAGE, TOPIC, TOPIC + " More.", ONE_NAME)[1, PASSAGE] == THRESHOLD


def test_names_two_other_candidates_hold_are_topic_words() -> None:
    assert _accept(
        0.53, PASSAGE, TOPIC, TOPIC + " More.", ONE_NAME, ONE_NAME + " Belzec and Treblinka too."
    )[1, PASSAGE] == pytest.approx(0.53)


@pytest.mark.parametrize(
    ("prob", "passage"),
    [
        (0.45, PASSAGE),  # rejected too firmly
        (0.7, PASSAGE),  # accepted already: left as judged
        (0.53, Passage(0, 120, 0, 80, 0.51)),  # too short for the verifier's domain
    ],
)
def test_other_passages_are_left_as_judged(prob: float, passage: Passage) -> None:
    assert _accept(prob, passage, TOPIC)[1, passage] == pytest.approx(prob)
