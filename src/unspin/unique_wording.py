"""A narrowly rejected passage whose shared wording the other candidates lack is reuse.

Trace's verifier reads how much wording a passage's two sides share and how rare that wording
is *in the article*; it does not know how rare it is among the pages on the article's topic.
Random obfuscation can leave a reused list with under half its words (PAN 03: "Nazi testimony
regarding gassing at the camp. Belzec." spun to "Nazi of tout about individual. Belzec."), and
the verifier rates it like a same-topic echo (0.53). What an echo shares with the article is
the vocabulary of the topic, which the other pages retrieved for the article hold as well;
what a reused passage shares includes names and words that its own source holds and hardly
any other candidate aligned does. So a passage the verifier judges and rejects narrowly (at
``floor`` or above) counts as reuse when at least ``min_stems`` of the content stems its two
sides share occur in the text of at most ``OTHER_HOLDERS`` other aligned candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, MutableMapping

from .align import Prepared
from .align.units import unit_arrays, window_stems
from .attribution import OTHER_HOLDERS, in_verifier_domain
from .types import Passage


def rare_shared_stems(
    key: int,
    passage: Passage,
    prepared: Mapping[int, Prepared],
    article: Prepared,
    held_by: Mapping[str, int],
) -> set[str]:
    """The content stems both sides of ``passage`` (of candidate ``key``) hold that at most
    ``OTHER_HOLDERS`` other candidates' texts hold (``held_by``: per stem, how many
    candidates hold it).

    >>> from unspin.align import prepare
    >>> src = {
    ...     1: prepare("Treblinka and Belzec camps. Nazi testimony."),
    ...     2: prepare("The camps of the Nazi era."),
    ...     3: prepare("Nazi camps."),
    ... }
    >>> art = prepare("Belzec, Treblinka: the camps and the Nazi files.")
    >>> p = Passage(0, 44, 0, 49, 0.5)
    >>> sorted(rare_shared_stems(1, p, src, art, stems_held_by(src)))
    ['belzec', 'treblinka']
    """
    shared = set(window_stems(prepared[key], passage.source_start, passage.source_end))
    shared &= set(window_stems(article, passage.target_start, passage.target_end))
    return {s for s in shared if held_by.get(s, 0) <= 1 + OTHER_HOLDERS}


def stems_held_by(prepared: Mapping[int, Prepared]) -> Counter[str]:
    """Per content stem, how many of the ``prepared`` candidate texts hold it."""
    held: Counter[str] = Counter()
    for p in prepared.values():
        held.update(unit_arrays(p).vocabulary.keys())
    return held


def accept_unique_wording(
    reuse: MutableMapping[tuple[int, Passage], float | None],
    prepared: Mapping[int, Prepared],
    article: Prepared,
    floor: float,
    threshold: float,
    min_stems: int,
) -> list[tuple[int, Passage]]:
    """Raise to ``threshold`` the probability of each passage in the verifier's domain that it
    rejected at ``floor`` or above and whose sides share at least ``min_stems`` rare stems (see
    :func:`rare_shared_stems`); return those passages. Passages outside the domain (short ones, a
    short sentence against a long stretch) are left as judged: a few rare words in one short
    sentence are chance."""
    narrow = [
        kp
        for kp, prob in reuse.items()
        if prob is not None and floor <= prob < threshold and in_verifier_domain(kp[1])
    ]
    if not narrow:
        return []
    held = stems_held_by(prepared)
    raised = []
    for key, p in narrow:
        if key in prepared and len(rare_shared_stems(key, p, prepared, article, held)) >= min_stems:
            reuse[key, p] = threshold
            raised.append((key, p))
    return raised
