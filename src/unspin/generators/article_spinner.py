"""A seeded article spinner that imitates content-farm spinners, for tests, demos and benchmarks.

Real spinners (the "spintax" tools sold to content farms) swap content words for thesaurus
entries without looking at the sense, sprinkle typos, shuffle and drop sentences and stitch
several sources together. This module does the same with the Moby thesaurus (through
:mod:`unspin.lexicon`), so the test data looks like what unspin meets in the wild, and every
change is recorded with exact offsets so tests know the truth.

Every function is deterministic given ``seed``. Every result is a :class:`Spun` whose
``replacements`` describe the change as position-based substitutions: for all operations except
:func:`splice`, ``apply_replacements(input, spun.replacements) == spun.text``, and each
replacement slices both texts exactly (``input[r.source_start:r.source_end] == r.original`` and
``spun.text[r.target_start:r.target_end] == r.replacement``).

Operations compose: run sentence-level ones (:func:`splice`, :func:`reorder_sentences`) first
and word-level ones (:func:`spin`, :func:`noise`) last, and carry the provenance of each output
range through every step with :func:`carry_origins`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..errors import ConfigError
from ..lexicon import pick_synonym, synonyms
from ..lookalikes import in_latin_letters
from ..text import STOPWORDS, sentence_spans, tokenize

__all__ = [
    "Origin",
    "Replacement",
    "Spun",
    "add_sentences",
    "apply_replacements",
    "carry_origins",
    "content_words",
    "drop_sentences",
    "match_case",
    "noise",
    "reorder_sentences",
    "rewrite",
    "spin",
    "spin_with",
    "splice",
]


@dataclass(frozen=True, slots=True)
class Replacement:
    """One substitution: ``original`` at ``[source_start, source_end)`` of the input became
    ``replacement`` at ``[target_start, target_end)`` of the output.

    ``kind`` is one of ``synonym``, ``insert_char``, ``transpose``, ``double_char`` (noise),
    ``move`` (a sentence put where another one was), ``delete`` and ``insert`` (sentences).
    """

    kind: str
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    original: str
    replacement: str

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "target_start": self.target_start,
            "target_end": self.target_end,
            "original": self.original,
            "replacement": self.replacement,
        }


class Origin(NamedTuple):
    """Output range ``[target_start, target_end)`` was taken from ``[source_start, source_end)``
    of source number ``which_source`` (0 = the first text, 1 = the second one of a splice)."""

    target_start: int
    target_end: int
    which_source: int
    source_start: int
    source_end: int


@dataclass(frozen=True, slots=True)
class Spun:
    """The result of one spinner operation.

    ``achieved_rate`` is what the operation really did, which can fall short of the rate asked
    for (a text with few replaceable words): the share of content words replaced (:func:`spin`),
    of eligible words noised (:func:`noise`), of sentences moved, dropped or added, or, for
    :func:`splice`, the share of output sentences taken from the first text. ``origins`` are set
    by :func:`splice` and :func:`reorder_sentences`, whose output is made of verbatim copies.
    """

    text: str
    replacements: tuple[Replacement, ...] = ()
    achieved_rate: float = 0.0
    origins: tuple[Origin, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "achieved_rate": round(self.achieved_rate, 4),
            "replacements": [r.to_dict() for r in self.replacements],
            "origins": [o._asdict() for o in self.origins],
        }


def apply_replacements(source: str, replacements: tuple[Replacement, ...]) -> str:
    """Rebuild an output from its input and the replacements recorded for it.

    The reference the property tests compare every operation's output with.
    """
    out: list[str] = []
    pos = 0
    for r in sorted(replacements, key=lambda r: (r.source_start, r.source_end)):
        out.append(source[pos : r.source_start])
        out.append(r.replacement)
        pos = r.source_end
    out.append(source[pos:])
    return "".join(out)


def check_rate(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be between 0 and 1, got {value}")


class _Builder:
    """Assembles an output from the input and sorted, non-overlapping substitutions."""

    def __init__(self, source: str, kind: str = "") -> None:
        self.source = source
        self.kind = kind
        self.parts: list[str] = []
        self.length = 0
        self.pos = 0
        self.replacements: list[Replacement] = []

    def substitute(self, start: int, end: int, new: str, kind: str | None = None) -> None:
        self._emit(self.source[self.pos : start])
        target_start = self.length
        self._emit(new)
        self.replacements.append(
            Replacement(
                kind or self.kind,
                start,
                end,
                target_start,
                self.length,
                self.source[start:end],
                new,
            )
        )
        self.pos = end

    def finish(self, rate: float, origins: tuple[Origin, ...] = ()) -> Spun:
        self._emit(self.source[self.pos :])
        self.pos = len(self.source)
        return Spun("".join(self.parts), tuple(self.replacements), rate, origins)

    def _emit(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)


# --- word-level operations -------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _has_synonym(word: str) -> bool:
    """Whether Moby offers a replacement that ``pick_synonym`` would accept."""
    lower = word.lower()
    return any(c != lower and all(p.isalpha() for p in c.split()) for c in synonyms(word))


def _sentence_initial(text: str) -> set[int]:
    """Start offsets of the first word of every sentence (capitals there are not names)."""
    firsts: set[int] = set()
    for start, end in sentence_spans(text):
        tokens = tokenize(text[start:end])
        if tokens.starts:
            firsts.add(start + tokens.starts[0])
    return firsts


def _next_to_apostrophe(text: str, start: int, end: int) -> bool:
    # Pieces of contractions ("don't" -> "don", "t") are not words a spinner would touch.
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before in "'\u2019" or after in "'\u2019"


def _content_words(text: str, spin_names: bool) -> list[tuple[int, int]]:
    """Offsets of the content words a spinner may replace."""
    tokens = tokenize(text)
    firsts = set() if spin_names else _sentence_initial(text)
    words: list[tuple[int, int]] = []
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        raw = text[start:end]
        if len(raw) < 2 or not raw.isalpha() or raw.lower() in STOPWORDS:
            continue
        if _next_to_apostrophe(text, start, end):
            continue
        if not spin_names and raw[0].isupper() and (raw.isupper() or start not in firsts):
            continue  # a name mid-sentence, or an acronym anywhere
        words.append((start, end))
    return words


def _match_case(original: str, new: str) -> str:
    if len(original) > 1 and original.isupper():
        return new.upper()
    if original[0].isupper():
        return new[0].upper() + new[1:]
    return new


def content_words(text: str, *, spin_names: bool = False) -> list[tuple[int, int]]:
    """Offsets of the content words of ``text`` a spinner may replace (what :func:`spin`'s
    rate counts): alphabetic tokens of 2+ letters outside :data:`unspin.text.STOPWORDS`; unless
    ``spin_names`` is set, names inside a sentence and acronyms are left out.

    >>> text = "Prices rose in Paris."
    >>> [text[s:e] for s, e in content_words(text)]
    ['Prices', 'rose']
    """
    return _content_words(text, spin_names)


def match_case(original: str, new: str) -> str:
    """``new`` capitalised the way ``original`` is (all caps, first capital or lower case).

    >>> match_case("Rise", "go up"), match_case("USA", "us")
    ('Go up', 'US')
    """
    return _match_case(original, new)


def rewrite(text: str, swaps: list[tuple[int, int, str, str]], rate: float) -> Spun:
    """Apply ``swaps`` (``start``, ``end``, new text, kind; sorted, not overlapping) to
    ``text`` and record each as a :class:`Replacement`; ``rate`` is the ``achieved_rate``
    to report. The one builder other generators (:mod:`unspin.generators`) share.

    >>> rewrite("a big dog", [(2, 5, "large", "synonym")], 0.5).text
    'a large dog'
    """
    builder = _Builder(text)
    for start, end, new, kind in swaps:
        builder.substitute(start, end, new, kind)
    return builder.finish(rate)


def spin_with(
    text: str,
    rate: float,
    seed: int,
    choose: Callable[[str, random.Random], str | None],
    can_swap: Callable[[str], bool],
    *,
    spin_names: bool = False,
) -> Spun:
    """Replace ``rate`` of the content words of ``text`` with what ``choose(word, rng)``
    picks, drawing only among words ``can_swap`` accepts: the swap loop of :func:`spin`, for
    any thesaurus (the other spinners of :mod:`unspin.generators` use it)."""
    check_rate("rate", rate)
    rng = random.Random(seed)
    words = _content_words(text, spin_names)
    replaceable = [(s, e) for s, e in words if can_swap(text[s:e])]
    want = min(round(rate * len(words)), len(replaceable))
    chosen = sorted(rng.sample(replaceable, want))
    builder = _Builder(text, "synonym")
    for start, end in chosen:
        word = text[start:end]
        new = choose(word, rng)
        # can_swap promises a candidate; re-draw the rare pick equal to the word itself.
        for _ in range(5):
            if new is not None and new != word.lower():
                break
            new = choose(word, rng)
        if new is None or new == word.lower():
            continue
        builder.substitute(start, end, _match_case(word, new))
    done = len(builder.replacements)
    return builder.finish(done / len(words) if words else 0.0)


def spin(text: str, rate: float = 0.4, seed: int = 0, *, spin_names: bool = False) -> Spun:
    """Replace ``rate`` of the content words of ``text`` with a random Moby synonym.

    Content words are alphabetic tokens that are not in :data:`unspin.text.STOPWORDS`; unless
    ``spin_names`` is set, capitalised words inside a sentence (names) and acronyms are kept, as
    spinners protect them. Synonyms are chosen sense-blind and may be phrases ("rise" -> "go
    up"), capitalisation follows the original word and everything between words is untouched.
    Words are drawn among those Moby has a synonym for; when there are too few, all of them are
    replaced and ``achieved_rate`` says how many content words really changed.
    """
    return spin_with(text, rate, seed, pick_synonym, _has_synonym, spin_names=spin_names)


_INSERTABLE = "abcdefghijklmnopqrstuvwxyz0123456789"
_DIGITS = "0123456789"


def _typo(word: str, rng: random.Random) -> tuple[str, str]:
    """One character-level typo of ``word`` (len >= 3) and its kind."""
    kind = rng.choice(("insert_char", "transpose", "double_char"))
    if kind == "transpose":
        spots = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
        if spots:
            i = rng.choice(spots)
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :], kind
        kind = "double_char"  # "aaa" has nothing to swap
    if kind == "double_char":
        i = rng.randrange(len(word))
        return word[: i + 1] + word[i] + word[i + 1 :], kind
    if in_latin_letters(word):
        char = rng.choice(_INSERTABLE)
        if word.isupper():
            char = char.upper()
    else:
        # A Latin letter typed into "Путин" ("Пrутин") makes a word of two scripts, which
        # reads as lookalike letters hiding a copy (unspin.lookalikes): a word in another
        # script gets one of its own letters (or a digit), as a slip on its own keyboard.
        char = rng.choice("".join(dict.fromkeys(word)) + _DIGITS)
    i = rng.randrange(1, len(word))  # inside the word, so it stays one token
    return word[:i] + char + word[i:], kind


def noise(text: str, rate: float = 0.05, seed: int = 0) -> Spun:
    """Put one typo into ``rate`` of the words of ``text`` (alphabetic tokens of 3+ letters).

    A typo inserts a letter or digit inside the word, transposes two adjacent letters or doubles
    a letter; numbers are never touched (changing them would change what the text says).
    """
    check_rate("rate", rate)
    rng = random.Random(seed)
    tokens = tokenize(text)
    eligible = [
        (s, e)
        for s, e in zip(tokens.starts, tokens.ends, strict=True)
        if e - s >= 3 and text[s:e].isalpha()
    ]
    chosen = sorted(rng.sample(eligible, round(rate * len(eligible))))
    builder = _Builder(text)
    for start, end in chosen:
        new, kind = _typo(text[start:end], rng)
        builder.substitute(start, end, new, kind)
    return builder.finish(len(chosen) / len(eligible) if eligible else 0.0)


# --- sentence-level operations ---------------------------------------------------------------


def reorder_sentences(text: str, seed: int = 0, *, moves: int | None = None) -> Spun:
    """Shuffle the sentences of ``text`` (all of them, or move only ``moves`` of them).

    The whitespace between sentences stays where it was, so paragraphs keep their shape. Each
    position whose sentence changed is one ``move`` replacement; ``origins`` map every output
    sentence back to where it was in the input.
    """
    rng = random.Random(seed)
    spans = sentence_spans(text)
    n = len(spans)
    order = list(range(n))
    if n >= 2:
        if moves is None:
            while order == sorted(order):
                rng.shuffle(order)
        else:
            for _ in range(moves):
                was = rng.randrange(n)
                item = order.pop(was)
                order.insert(rng.choice([i for i in range(n) if i != was]), item)
    builder = _Builder(text, "move")
    origins: list[Origin] = []
    for position, index in enumerate(order):
        start, end = spans[position]
        src_start, src_end = spans[index]
        # The gap before this sentence is copied as it is, so its output start is known now.
        target_start = builder.length + (start - builder.pos)
        if index != position:
            builder.substitute(start, end, text[src_start:src_end])
        origins.append(
            Origin(target_start, target_start + src_end - src_start, 0, src_start, src_end)
        )
    moved = sum(1 for p, i in enumerate(order) if p != i)
    return builder.finish(moved / n if n else 0.0, tuple(origins))


def drop_sentences(text: str, share: float, seed: int = 0) -> Spun:
    """Delete ``share`` of the sentences of ``text`` (with the whitespace that followed them)."""
    check_rate("share", share)
    rng = random.Random(seed)
    spans = sentence_spans(text)
    chosen = sorted(rng.sample(range(len(spans)), round(share * len(spans))))
    builder = _Builder(text, "delete")
    for i in chosen:
        start, end = spans[i]
        if i + 1 < len(spans):
            end = spans[i + 1][0]  # take the gap after it, the next sentence moves up
        elif i > 0 and i - 1 not in chosen:
            start = spans[i - 1][1]  # the last sentence takes the gap before it
        builder.substitute(start, end, "")
    return builder.finish(len(chosen) / len(spans) if spans else 0.0)


def add_sentences(text: str, other_text: str, n: int, seed: int = 0) -> Spun:
    """Insert ``n`` sentences drawn from ``other_text`` at random sentence boundaries of ``text``.

    Each inserted sentence is followed by one space and recorded as an ``insert`` replacement
    with an empty source range.
    """
    if n < 0:
        raise ConfigError(f"the number of sentences to add must be 0 or more, got {n}")
    rng = random.Random(seed)
    spans = sentence_spans(text)
    others = sentence_spans(other_text)
    picked = rng.sample(others, min(n, len(others)))
    slots = [s for s, _ in spans] or [len(text)]
    where = sorted((rng.choice(slots), k) for k in range(len(picked)))
    builder = _Builder(text, "insert")
    for position, k in where:
        start, end = picked[k]
        builder.substitute(position, position, other_text[start:end] + " ")
    total = len(spans) + len(picked)
    return builder.finish(len(picked) / total if total else 0.0)


def splice(a: str, b: str, seed: int = 0, share_a: float = 0.5, *, runs: int | None = None) -> Spun:
    """Stitch a composite from a run of sentences of ``a`` and a run of sentences of ``b``.

    The output has about as many sentences as the two texts have on average, ``share_a`` of
    them from ``a``. The two runs are cut into ``runs`` alternating pieces in all (2: all of A
    then all of B; more: interleaved); by default the seed chooses between 2 and 4. Sentences
    that were neighbours keep the whitespace between them; a switch of source starts a new
    paragraph. ``origins`` say which output range came from which range of which source
    (0 = ``a``, 1 = ``b``); ``replacements`` is empty because there is no single input.
    """
    check_rate("share_a", share_a)
    rng = random.Random(seed)
    texts = (a, b)
    spans = (sentence_spans(a), sentence_spans(b))
    total = max(1, round((len(spans[0]) + len(spans[1])) / 2))
    n_a = min(len(spans[0]), round(share_a * total))
    n_b = min(len(spans[1]), total - n_a)
    counts = (n_a, n_b)
    # A contiguous run from each source, like a copy-paste of consecutive paragraphs.
    chosen: list[list[tuple[int, int]]] = []
    for which in (0, 1):
        first = rng.randrange(len(spans[which]) - counts[which] + 1)
        chosen.append(spans[which][first : first + counts[which]])
    if runs is None:
        runs = rng.choice((2, 3, 4))
    pieces = [_cut(chosen[0], (runs + 1) // 2, rng), _cut(chosen[1], runs // 2, rng)]
    out: list[str] = []
    length = 0
    origins: list[Origin] = []
    for step in range(max(len(pieces[0]), len(pieces[1])) * 2):
        which = step % 2
        if step // 2 >= len(pieces[which]):
            continue
        piece = pieces[which][step // 2]
        start, end = piece[0][0], piece[-1][1]
        if out:
            out.append("\n\n")
            length += 2
        out.append(texts[which][start:end])
        origins.append(Origin(length, length + end - start, which, start, end))
        length += end - start
    return Spun("".join(out), (), n_a / (n_a + n_b) if n_a + n_b else 0.0, tuple(origins))


def _cut(
    items: list[tuple[int, int]], parts: int, rng: random.Random
) -> list[list[tuple[int, int]]]:
    """Cut a run of sentences into at most ``parts`` non-empty consecutive pieces."""
    parts = max(1, min(parts, len(items)))
    if not items:
        return []
    cuts = sorted(rng.sample(range(1, len(items)), parts - 1))
    bounds = [0, *cuts, len(items)]
    return [items[bounds[i] : bounds[i + 1]] for i in range(parts)]


# --- provenance through a pipeline -----------------------------------------------------------


def _map_offset(spun: Spun, offset: int, *, end: bool) -> int:
    """Where input ``offset`` lands in the output of a position-based operation.

    A start offset goes after text inserted exactly there, an end offset before it; an offset
    inside a changed stretch snaps outwards to the edge of its replacement.
    """
    shift = 0
    for r in spun.replacements:  # sorted by source offset by construction
        if r.source_start == r.source_end == offset:
            if not end:
                shift = r.target_end - r.source_end
            continue
        if r.source_end <= offset:
            shift = r.target_end - r.source_end
        elif r.source_start < offset:
            return r.target_end if end else r.target_start
        else:
            break
    return offset + shift


def carry_origins(origins: tuple[Origin, ...], spun: Spun) -> tuple[Origin, ...]:
    """Carry ``origins`` (target ranges in ``spun``'s input) over to ``spun``'s output.

    After :func:`reorder_sentences` the ranges are cut and moved with the sentences. After a
    word-level or deleting operation the source ranges are unchanged and the target ranges are
    widened to whole replacements, so they cover the obfuscated reuse (as PAN annotations do);
    ranges that were deleted entirely vanish.
    """
    if spun.origins:
        if any(o.which_source != 0 for o in spun.origins):
            raise ConfigError("cannot carry origins through a splice: it has two inputs")
        carried: list[Origin] = []
        for move in spun.origins:
            for o in origins:
                lo = max(o.target_start, move.source_start)
                hi = min(o.target_end, move.source_end)
                if lo < hi:
                    carried.append(
                        Origin(
                            move.target_start + lo - move.source_start,
                            move.target_start + hi - move.source_start,
                            o.which_source,
                            o.source_start + lo - o.target_start,
                            o.source_start + hi - o.target_start,
                        )
                    )
        return tuple(sorted(carried))
    mapped = []
    for o in origins:
        start = _map_offset(spun, o.target_start, end=False)
        end = _map_offset(spun, o.target_end, end=True)
        if start < end:
            mapped.append(o._replace(target_start=start, target_end=end))
    return tuple(mapped)
