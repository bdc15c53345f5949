"""Labelled paragraphs for training and measuring the spin model (Reuters, spun by our spinner).

Training and evaluation must not share stories, so the split is by Reuters file: the first
files train, the last ones are held apart.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from ..datasets.reuters import iter_stories
from ..text import sentence_spans, tokenize
from .article_spinner import spin

TRAIN_FILES = range(0, 14)  # reut2-000 .. reut2-013
HELD_APART_FILES = range(14, 22)  # reut2-014 .. reut2-021


def _story_texts(folder: str | Path, files: range) -> Iterator[str]:
    """Each story's text in the numbered Reuters files, with its whitespace collapsed."""
    for story in iter_stories(folder, {f"reut2-{i:03d}.sgm" for i in files}):
        yield " ".join(story.document.text.split())


def paragraphs(
    folder: str | Path, files: range, *, min_words: int = 60, max_words: int = 160
) -> Iterator[str]:
    """Runs of whole sentences of ``min_words``..``max_words`` words, one per story at most."""
    for text in _story_texts(folder, files):
        out_end = 0
        count = 0
        for _, end in sentence_spans(text):
            count = len(tokenize(text[:end]))
            out_end = end
            if count >= min_words:
                break
        if min_words <= count <= max_words:
            yield text[:out_end]


def short_texts(
    folder: str | Path, files: range, *, seed: int = 0, min_words: int = 6, max_words: int = 40
) -> Iterator[str]:
    """The first one or two sentences of each story (chosen at random, seeded) when they hold
    ``min_words``..``max_words`` words: headlines, leads and pasted snippets are short too."""
    rng = random.Random(seed)
    for text in _story_texts(folder, files):
        spans = sentence_spans(text)
        if not spans:
            continue
        end = spans[min(rng.choice((1, 2)), len(spans)) - 1][1]
        if min_words <= len(tokenize(text[:end])) <= max_words:
            yield text[:end]


def labelled(
    texts: list[str],
    seed: int,
    rates: tuple[float, float] = (0.05, 0.6),
    spinners: tuple[str, ...] = (),
) -> list[tuple[str, int]]:
    """Each text as it is (label 0) and spun at a random rate in ``rates`` (label 1).

    ``spinners``: names of :data:`unspin.generators.SPINNERS` taking turns (text ``i`` goes
    to ``spinners[i % len(spinners)]``); empty, the Moby spinner spins them all (the seeds and
    rates are the same either way).
    """
    rng = random.Random(seed)
    out: list[tuple[str, int]] = []
    for i, text in enumerate(texts):
        out.append((text, 0))
        rate = rng.uniform(*rates)
        if spinners:
            from .spinners import spin_by  # training and benchmarks only

            spun = spin_by(spinners[i % len(spinners)], text, rate, seed=seed * 100_003 + i)
        else:
            spun = spin(text, rate, seed=seed * 100_003 + i)
        out.append((spun.text, 1))
    return out
