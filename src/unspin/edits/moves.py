"""Moved stretches: a deletion whose words reappear as an insertion elsewhere is one
``reordering``, and what changed inside a stretch that was moved and reworded is listed too.

The diff of two passages (:mod:`.labels`) sees a moved sentence as a deletion at its old place
and an insertion at its new one. :func:`reorderings` pairs them: the same words, most of the
same words (a stretch the diff matched partly in place), a run of words inside a longer
insertion (a sentence moved next to another source's text, which the diff joins with it), or a
clause a changed fact labelled (a whole sentence dropped and added elsewhere with its date
changed). A moved stretch whose words are still mostly there in order is diffed against where
it went, so that a number, name or negator changed in a moved sentence is a distortion as one
changed in place is.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from typing import Protocol

from rapidfuzz.distance import Indel

from ..lemma_table import known_lemmas
from ..text import STOPWORDS
from ..types import DISTORTION_LABELS, Edit
from .tokens import Tok, is_escape_code, is_number, only_list_joiners, tokenize


class PassagePair(Protocol):
    """The two texts and the tokens of the passage being labelled (the labeller's context), with
    the indices of the tokens that belong to a date."""

    source: str
    target: str
    src: list[Tok]
    tgt: list[Tok]
    src_dates: set[int]
    tgt_dates: set[int]


# The labelled differences of source tokens i1:i2 and target tokens j1:j2.
InnerDiff = Callable[[int, int, int, int], list[Edit]]


def _clause_with_a_fact(e: Edit, text: str, other: str) -> bool:
    """A clause added or dropped whole that a changed fact labelled ("The ministers will meet in
    Beijing in April" gone, "... in Shanghai in May" added elsewhere: two ``date_change``): it
    may be one sentence moved and changed, to be paired as a deletion or insertion would be."""
    return not other and len(_words(text)) >= _MIN_MOVED_WITHIN and e.label in DISTORTION_LABELS


def reorderings(ctx: PassagePair, edits: list[Edit], inner_diff: InnerDiff) -> list[Edit]:
    """Pair each deletion with an insertion of the same words elsewhere: a moved stretch.
    ``inner_diff`` labels the differences of token ranges (what changed inside a moved and
    reworded stretch: :func:`_inner_edits`)."""
    edits = list(edits)
    inserted: dict[tuple[str, ...], list[int]] = {}

    def index(k: int) -> None:
        inserted.setdefault(_words(edits[k].target_text), []).append(k)

    for k, e in enumerate(edits):
        if e.label == "insertion" or _clause_with_a_fact(e, e.target_text, e.source_text):
            index(k)
    if not inserted:
        return edits
    drop: set[int] = set()
    moved: list[Edit] = []
    for k in range(len(edits)):  # the edits the diff made; parts of split insertions follow
        e = edits[k]
        if e.label != "deletion" and not _clause_with_a_fact(e, e.source_text, e.target_text):
            continue
        gone = _words(e.source_text)
        cands = [c for c in inserted.get(gone, []) if c not in drop]
        if not cands and len(gone) >= 2:
            # A moved stretch can be matched partly in place by the diff ("to negotiate an iron"
            # -> "negotiate an iron to"): accept an insertion sharing most of its words.
            cands = [
                c
                for key, ks in inserted.items()
                if _mostly_same(gone, key)
                for c in ks
                if c not in drop
            ]
        if not cands and _MIN_MOVED_WITHIN <= len(gone) <= _MAX_MOVED_WITHIN:
            # Moved into a longer insertion: a sentence moved next to material of another
            # source, which the diff joins with it into one inserted stretch. The insertion is
            # split around the part that matches; the rest stays inserted.
            pool = [
                c
                for ks in inserted.values()
                for c in ks
                if c not in drop and edits[c].label == "insertion"
            ]
            split = _moved_within(ctx, gone, [edits[c] for c in pool])
            if split is not None:
                which, parts = split
                drop.add(pool[which])
                edits.extend(parts)
                for j in range(len(edits) - len(parts) + 1, len(edits)):
                    index(j)
                cands = [len(edits) - len(parts)]
        if not cands or not gone:
            continue
        c = min(cands, key=lambda c: abs(edits[c].target_start - e.target_start))
        ins = edits[c]
        drop |= {k, c}
        put = _words(ins.target_text)
        if Counter(put) != Counter(gone) and _close_copy(gone, put):
            moved.extend(_inner_edits(ctx, e, ins, inner_diff))
        swap = _swapped_numbers(ctx, e, ins) if Counter(put) == Counter(gone) else None
        moved.append(swap or _moved(ctx, e, ins))
    kept = [e for k, e in enumerate(edits) if k not in drop] + moved
    kept.sort(key=lambda e: (e.target_start, e.source_start))
    return kept


def _moved(ctx: PassagePair, gone: Edit, put: Edit) -> Edit:
    """The reordering of the deleted stretch ``gone`` to the inserted ``put``, each without the
    punctuation it opens with: the diff cuts a moved sentence after the full stop before it
    ("'. Talks will continue' moved")."""
    ss, ts = gone.source_start, put.target_start
    ss += len(gone.source_text) - len(gone.source_text.lstrip(_OPENING_PUNCTUATION))
    ts += len(put.target_text) - len(put.target_text.lstrip(_OPENING_PUNCTUATION))
    ss, ts = min(ss, gone.source_end), min(ts, put.target_end)
    reason = f'"{ctx.source[ss : gone.source_end]}" moved'
    spans = ss, gone.source_end, ts, put.target_end
    return _between(ctx, "reordering", spans, confidence=0.9, reason=reason)


def _between(
    ctx: PassagePair,
    label: str,
    spans: tuple[int, int, int, int],
    confidence: float,
    reason: str | None = None,
    evidence: str | None = None,
) -> Edit:
    """The edit ``label`` of ``ctx.source[ss:se]`` to ``ctx.target[ts:te]`` (``spans``)."""
    ss, se, ts, te = spans
    texts = ctx.source[ss:se], ctx.target[ts:te]
    return Edit(label, *spans, *texts, confidence=confidence, reason=reason, evidence=evidence)


def _swapped_numbers(ctx: PassagePair, gone: Edit, put: Edit) -> Edit | None:
    """Numbers that changed places between words that stayed: "from 5 to 7" / "from 7 to 5",
    "won 3 to 1" / "won 1 to 3". The diff keeps one number in place and sees the other move
    with its neighbour ("to 7" moved), the same words as a phrase moved whole ("to 7 from 5",
    which says what "from 5 to 7" says). Across the stretch between the deletion and the
    insertion (both ends), the two texts hold the same tokens with every word other than a
    number in the same order: then the numbers alone moved, each now saying what another said,
    a ``number_change`` (``date_change`` for a year or a day). Numbers joined by "and", "or" or
    punctuation only are a list, whose order says nothing ("between 5 and 10"). None when the
    move is no such swap."""
    i1, i2 = _token_range(
        ctx.src, min(gone.source_start, put.source_start), max(gone.source_end, put.source_end)
    )
    j1, j2 = _token_range(
        ctx.tgt, min(gone.target_start, put.target_start), max(gone.target_end, put.target_end)
    )
    src, tgt = ctx.src[i1:i2], ctx.tgt[j1:j2]
    if len(src) != len(tgt) or Counter(t.key for t in src) != Counter(t.key for t in tgt):
        return None
    slots = [k for k, t in enumerate(src) if is_number(t) and not is_escape_code(ctx.src, i1 + k)]
    if slots != [k for k, t in enumerate(tgt) if is_number(t)]:
        return None  # a word moved, not (only) the numbers
    if any(s.key != t.key for k, (s, t) in enumerate(zip(src, tgt, strict=True)) if k not in slots):
        return None
    changed = [k for k in slots if src[k].key != tgt[k].key]
    if not changed or any(only_list_joiners(src[a + 1 : b]) for a, b in pairwise(changed)):
        return None
    a, z = changed[0], changed[-1]
    dated = any(i1 + k in ctx.src_dates or j1 + k in ctx.tgt_dates for k in changed)
    label = "date_change" if dated else "number_change"
    spans = src[a].start, src[z].end, tgt[a].start, tgt[z].end
    return _between(ctx, label, spans, confidence=0.8, evidence="grammar")


def _token_range(toks: list[Tok], start: int, end: int) -> tuple[int, int]:
    """The tokens inside ``start:end``."""
    return bisect_left(toks, start, key=lambda t: t.start), bisect_right(
        toks, end, key=lambda t: t.end
    )


# Punctuation that ends what comes before it, and spaces: never the start of a moved stretch.
_OPENING_PUNCTUATION = ".,;:!? \t\n"


def _close_copy(gone: tuple[str, ...], put: tuple[str, ...]) -> bool:
    """Most words of a moved stretch are still there, up to inflection: a sentence moved and
    spun or changed in a few words, whose edits say what changed. A clause a paraphraser moved
    and rewrote (QuillBot) is one reordering: word by word its diff says nothing true."""
    # Words in the same order, up to inflection ("fell" / "did not fall"): a clause turned
    # round ('"teacher effect" refers to' / 'referred to as the "teacher effect"') has no
    # word-by-word edits worth listing.
    ids: dict[str, int] = {}
    a = [ids.setdefault(_base(w), len(ids)) for w in gone]
    b = [ids.setdefault(_base(w), len(ids)) for w in put]
    kept = [gone[o.src_start : o.src_end] for o in Indel.opcodes(a, b) if o.tag == "equal"]
    content = sum(w not in STOPWORDS for run in kept for w in run)
    # Shared content words, not only "there must be a": else the pairing may be chance.
    return content >= 2 and sum(map(len, kept)) >= _CLOSE_COPY * max(len(gone), len(put))


def _base(word: str) -> str:
    """One form for a word's inflections: the alphabetically first of its dictionary lemmas
    ("fell" -> "fall", as "fall" -> "fall"), else the word itself."""
    return min(known_lemmas(word), default=word)


# The share of a moved stretch's words kept in order (up to inflection) for its inner edits to
# be listed: a spinner swaps 10-30% of the words; a paraphraser rewrites more.
_CLOSE_COPY = 0.75


def _inner_edits(ctx: PassagePair, gone: Edit, put: Edit, inner_diff: InnerDiff) -> list[Edit]:
    """What changed inside a moved stretch that was also reworded: a number, name or negator
    changed in a moved sentence is as much a distortion as one changed in place, so the moved
    stretch is diffed against where it went and its edits are labelled as any others are
    (against the facts of the whole passage, so a fact that moved elsewhere is no change)."""
    i1, i2 = _word_range(ctx.src, gone.source_start, gone.source_end)
    j1, j2 = _word_range(ctx.tgt, put.target_start, put.target_end)
    if i1 == i2 or j1 == j2:
        return []
    # A moved clause takes the capital and the commas of its new place ("officials said" /
    # "Officials said"): that is part of the move, not an edit of its own.
    return [e for e in inner_diff(i1, i2, j1, j2) if e.label != "case_or_punctuation"]


def _word_range(toks: list[Tok], start: int, end: int) -> tuple[int, int]:
    """The tokens inside ``start:end`` without the punctuation at either end: where the diff
    cut a moved sentence, its full stop sits at one end of the deletion and the other end of
    the insertion."""
    a, b = _token_range(toks, start, end)
    while a < b and not toks[a].is_word:
        a += 1
    while b > a and not toks[b - 1].is_word:
        b -= 1
    return a, b


# A deleted stretch is looked for inside a longer insertion only from this many words: a moved
# clause or sentence, not a word or two that any long insertion holds by chance.
_MIN_MOVED_WITHIN = 5
# ... and up to this many (a few sentences): the scan costs words x widths x insertion length.
_MAX_MOVED_WITHIN = 80


def _words(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(text) if t.is_word)


def _moved_within(
    ctx: PassagePair, gone: tuple[str, ...], insertions: list[Edit]
) -> tuple[int, list[Edit]] | None:
    """The insertion holding a run of words that is mostly ``gone`` (as :func:`_mostly_same`
    judges two stretches), split into that run (first) and what is left of it before and
    after, with the insertion's position in ``insertions``; None when none holds one."""
    want = Counter(gone)
    best: tuple[int, int, int, int] | None = None  # common words, insertion, start, end
    for n, ins in enumerate(insertions):
        toks = [t for t in tokenize(ctx.target, ins.target_start, ins.target_end) if t.is_word]
        # Most of the stretch's words must be in the insertion at all, or no run of it can hold
        # them: this keeps the scan below to the few insertions that may.
        shared = sum((Counter(t.key for t in toks) & want).values())
        if len(toks) <= len(gone) or shared < 0.6 * len(gone):
            continue
        for width in range(max(2, (len(gone) * 4) // 5), (len(gone) * 5) // 4 + 1):
            for i in range(len(toks) - width + 1):
                common = sum((Counter(t.key for t in toks[i : i + width]) & want).values())
                # _mostly_same's test, with the count of shared words made once.
                mostly = common >= 2 and common >= 0.6 * max(len(gone), width)
                if mostly and (best is None or common > best[0]):
                    best = (common, n, toks[i].start, toks[i + width - 1].end)
    if best is None:
        return None
    _, n, start, end = best
    ins = insertions[n]
    # The moved stretch keeps the punctuation that ends it ("dramatically.").
    rest = ctx.target[end : ins.target_end]
    end += len(rest) - len(rest.lstrip(".,;:!?\"'”’)"))
    parts = [_inserted(ctx, ins, start, end)]
    for a, b in ((ins.target_start, start), (end, ins.target_end)):
        piece = ctx.target[a:b]
        if piece.strip():
            a, b = a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))
            parts.append(_inserted(ctx, ins, a, b))
    return n, parts


def _inserted(ctx: PassagePair, ins: Edit, start: int, end: int) -> Edit:
    """The part ``ctx.target[start:end]`` of the insertion ``ins``, as an insertion."""
    return Edit(
        "insertion",
        ins.source_start,
        ins.source_start,
        start,
        end,
        "",
        ctx.target[start:end],
        confidence=ins.confidence,
        evidence=ins.evidence,
    )


def _mostly_same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    common = sum((Counter(a) & Counter(b)).values())
    return common >= 2 and common >= 0.6 * max(len(a), len(b))
