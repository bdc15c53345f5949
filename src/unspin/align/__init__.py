"""Passage alignment between a source text and a target (suspicious/spun) text.

The method follows the seed-extend-filter scheme that has won the PAN text alignment task
(Sanchez-Perez et al. 2014/2015), with changes for spun text:

1. **Units.** Both texts are split into sentences; each sentence becomes a bag of stemmed
   content words (digits injected into words are removed first, see :mod:`unspin.text`).
   Very short sentences are merged into their neighbour so that every unit carries evidence.
2. **Seeds.** A sentence pair is a seed when its tf-isf cosine and its Dice coefficient both
   pass a threshold; a weaker pair seeds next to a seed on the diagonal. Content words that
   Moby lists as synonyms count as a (down-weighted) match, so synonym spinning does not
   erase the evidence; a pair left with few shared words counts them only when its other
   words (function words, names, numbers) run in the same order, as a spinner leaves them.
3. **Extension.** Seeds are grouped into fragments by splitting on gaps larger than
   ``maxgap`` sentences, alternately on the target and the source side, until stable; a
   fragment is kept when the similarity of the whole fragments passes a threshold, otherwise
   it is split again with a smaller gap (with the news-pair profile, a fragment that fails
   is first judged once more with synonyms counted, when its words run in order). Edge sentences
   are then trimmed off, or taken in, when that makes the two sides more alike.
4. **Filtering.** Overlapping detections in the target are resolved in favour of the more
   similar one; tiny detections are dropped. When the target side is much shorter than the
   source side (a summary), extension is rerun with a wider gap. Edges of near-verbatim
   passages snap to exact token runs. A small fitted model (:mod:`unspin.verifier`) drops
   passages that look like same-topic echoes rather than reuse.

All offsets in the result are raw ``str`` offsets into the two input texts.

The package, one module per stage: :mod:`.config` (thresholds), :mod:`.units` (1),
:mod:`.seeds` (2), :mod:`.seed_groups` and :mod:`.fragments` (3), :mod:`.summary`,
:mod:`.refine` and :mod:`.pipeline` (4, and the verifier).
"""

from .config import AlignConfig
from .fragments import counter_cosine
from .pipeline import align, align_prepared, candidate_passages
from .refine import matching_blocks
from .units import Prepared, prepare

__all__ = [
    "AlignConfig",
    "Prepared",
    "align",
    "align_prepared",
    "candidate_passages",
    "counter_cosine",
    "matching_blocks",
    "prepare",
]
