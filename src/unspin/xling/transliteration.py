"""Whether a Chinese text spells an English name by its sound, by a model learned from data.

Chinese writes a foreign name with characters chosen for their sound: 捷杰耶夫 jie-jie-ye-fu
is "Gergiev", 加维 jia-wei "Garvey", 米纳斯吉拉斯 mi-na-si-ji-la-si "Minas Gerais". The model
gives, for each pinyin syllable (anyascii's reading of a character), the probability of each
piece of English letters it stands for (斯 si: "s" 0.43, "si" 0.25, "se", "z", ...), learned
for its onset, its rest and the letters left unsaid after it apart (:func:`syllable_units`)
and fitted on the
transliterated names of CC-CEDICT by ``scripts/build_transliteration_table.py`` and shipped as
``data/transliteration_zh.json`` (the script is the source of truth). A name matches a run of
characters when the mean log-probability a letter of the best ways of cutting the name into
one piece a character (summed) is at least the table's threshold, fitted by the script on
held-out dictionary names: the score that 3% of names reach in a passage of other names
(:func:`transliterated_in`), or 1% against one other name (:func:`spells`).

>>> transliterated_in("Gergiev", "著名指挥家捷杰耶夫说"), transliterated_in("Waxman", "著名指挥家捷杰耶夫说")
(True, False)
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .sentences import CJK

# The most English letters the onset or the rest of a syllable stands for ("sch" of 施 in
# "Schiller").
LONGEST_PIECE = 3
# Pinyin's onsets, two letters first (zh, ch, sh): the model learns what the onset and the
# rest of a syllable stand for apart, so that a syllable seen rarely in names is read from
# the parts it shares with others (谢 xie: x- of 西 xi, -ie of 列 lie).
_ONSET = re.compile(r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$")
# The most characters one name is spelled with (米纳斯吉拉斯 has six).
LONGEST_RUN = 8
# The probability a letter of a piece the table does not hold for its syllable (a piece of
# none counts one letter): low enough that no syllable stands for a whole unseen name.
_UNSEEN = 1e-4


def letters_of(name: str) -> str:
    """The lower-case ASCII letters of ``name``, a doubled letter once ("Jean-Pierre" is
    "jeanpiere", "Libby" "liby": Chinese spells a doubled consonant once)."""
    from anyascii import anyascii

    return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", anyascii(name).lower()))


# After every syllable, letters of the English the Chinese does not say (the "l" of
# "Bolsonaro", 博索纳罗 bo-suo-na-luo; a final "e"): a unit of its own, learned like the others
# (mostly nothing).
UNSAID = "+"


# Pieces of a syllable less likely than this are left to the unseen probability.
_RARE = 1e-5


def syllable_units(syllable: str) -> tuple[str, ...]:
    """The onset ("x-") and the rest ("-ie") of a pinyin syllable, then :data:`UNSAID`; the
    rest alone where it has no onset ("-ao")."""
    m = _ONSET.match(syllable)
    assert m is not None
    onset, rest = m.group(1), m.group(2)
    return (f"{onset}-", f"-{rest}", UNSAID) if onset else (f"-{rest}", UNSAID)


@dataclass(frozen=True)
class FittedModel:
    """P(piece of English letters | onset or rest of a pinyin syllable) and the score a
    match needs."""

    units: dict[str, dict[str, float]]
    # The score a name needs in the best run of a passage (:func:`transliterated_in`).
    threshold: float
    # The score a word needs to spell a whole Chinese name (:func:`spells`): one pair, not
    # the best of a passage's many runs, so it may be lower.
    whole_threshold: float = 0.0
    by_syllable: dict[str, dict[str, float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def pieces(self, syllable: str) -> dict[str, float]:
        """P(piece | syllable): its onset's piece and its rest's piece, written together."""
        return _syllable_pieces(self, syllable)

    def score(self, letters: str, syllables: tuple[str, ...]) -> float:
        """The mean log-probability a letter of ``letters`` spelled by ``syllables``, every
        way of cutting it summed; -inf where no cut fits."""
        return _scores_from(self, letters, syllables, 0, whole=True)[0]


def _syllable_pieces(model: FittedModel, syllable: str) -> dict[str, float]:
    known = model.by_syllable
    if syllable not in known:
        out: dict[str, float] = {"": 1.0}
        for unit in syllable_units(syllable):
            table = model.units.get(unit, {})
            nxt: dict[str, float] = {}
            for a, pa in out.items():
                for b, pb in table.items():
                    if pa * pb >= _RARE:
                        nxt[a + b] = nxt.get(a + b, 0.0) + pa * pb
            out = nxt
        known[syllable] = out
    return known[syllable]


def _scores_from(
    model: FittedModel, letters: str, syllables: tuple[str, ...], start: int, whole: bool = False
) -> list[float]:
    """The score of ``letters`` against each run of ``syllables`` from ``start`` (one to
    :data:`LONGEST_RUN` long, up to an empty syllable, a break); ``whole``: the whole rest."""
    m = len(letters)
    if not m:
        return [-math.inf]
    forward = [1.0] + [0.0] * m
    out: list[float] = []
    end = len(syllables) if whole else min(len(syllables), start + LONGEST_RUN)
    for j in range(start, end):
        s = syllables[j]
        if not s:
            break
        table = model.pieces(s)
        nxt = [0.0] * (m + 1)
        for k in range(m + 1):
            total = 0.0
            for length in range(min(3 * LONGEST_PIECE, k) + 1):
                before = forward[k - length]
                if before:
                    piece = letters[k - length : k]
                    total += before * table.get(piece, _UNSEEN ** max(1, length))
            nxt[k] = total
        forward = nxt
        if not any(forward):
            break
        out.append(math.log(forward[m]) / m if forward[m] > 0 else -math.inf)
    if whole:
        return out[-1:] if len(out) == len(syllables) else [-math.inf]
    return out


def best_score(model: FittedModel, letters: str, syllables: tuple[str, ...]) -> float:
    """The best :meth:`FittedModel.score` of ``letters`` over every run of ``syllables``."""
    best = -math.inf
    for start in range(len(syllables)):
        if syllables[start]:
            best = max([best, *_scores_from(model, letters, syllables, start)])
    return best


@lru_cache(maxsize=1)
def model() -> FittedModel:
    """The shipped model (``data/transliteration_zh.json``)."""
    path = resources.files("unspin") / "data" / "transliteration_zh.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return FittedModel(data["units"], float(data["threshold"]), float(data["whole_threshold"]))


@lru_cache(maxsize=2048)
def syllables_of(chinese: str) -> tuple[str, ...]:
    """anyascii's syllable of each character of ``chinese``, "" for anything else (a break)."""
    from anyascii import anyascii

    return tuple(anyascii(c).lower() if CJK.match(c) else "" for c in chinese)


@lru_cache(maxsize=8192)
def transliteration_score(name: str, chinese: str) -> float:
    """How well the best run of characters of ``chinese`` spells the English ``name`` by
    sound (:meth:`FittedModel.score`)."""
    return best_score(model(), letters_of(name), syllables_of(chinese))


def transliterated_in(name: str, chinese: str) -> bool:
    """Whether some run of characters of ``chinese`` spells the English ``name`` by sound, by
    the learned model at its fitted threshold ("Gergiev" in 捷杰耶夫, "Garvey" in 加维)."""
    return transliteration_score(name, chinese) >= model().threshold


def spells(word: str, chinese_name: str) -> bool:
    """Whether the English ``word`` spells the whole Chinese ``chinese_name`` by sound, at the
    model's threshold for one pair (利比 is "Libby", 布鲁金斯 "Brookings")."""
    m = model()
    return m.score(letters_of(word), syllables_of(chinese_name)) >= m.whole_threshold
