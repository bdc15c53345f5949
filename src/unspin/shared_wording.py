"""Sources whose only shared text is wording many stored documents hold: a template frame.

Wire services write many stories in one frame: earnings tables ("Shr 34 cts vs 62 cts Net ...
Revs ..."), rating notices ("Moody's Investors Service Inc said it may downgrade ..."),
offerings lists, "agreed to acquire ... for a combination of cash and stock". A story in such
a frame aligns with every stored story in it, and trace lists the best one as its source
(docs/benchmarks.md 12.27: most false sources of Reuters stories outside the store). What the
article shares with that source is the frame, which many stored documents hold too, while its
slots (names, numbers) differ from the source's.

A widely copied story is held by many stored documents as well, and its source must stay a
source: its copies hold the whole passage, the source's names and numbers too. So a listed
source is marked as sharing only common wording when every passage over what it owns passes
five checks, the first two and the last read from the store's postings of the passage's fingerprints
(:func:`unspin.fingerprints.fingerprint`, the features the store indexes):

1. **Held by many.** At least ``min_holders`` other stored texts hold the wording the article
   and the source share (at least half of the shared features, and both of two): they are the
   frame's *holders*.
2. **Nothing of the source's own.** Every feature the article shares with the source is held
   by one of those holders too: the article shares no name or number with the source that
   the frame's other holders lack.
3. **No word of the source's own.** Every content word the two stretches share is in one
   of the holders' texts (the first ``HOLDER_TEXTS`` read): word pairs miss a rare word
   the two share between other words (PAN 04: a translated passage keeps "watertoys").
4. **Numbers not kept.** At most half of the numbers in the source's passage are in the
   article's (a spinner swaps every second word but keeps the numbers: a spun copy of one of
   many monument paragraphs, "Landmark 93 is an unpleasant Olmec-style mold dating from the
   Middle Preclassic" for "Monument 93 is a rough Olmec-style sculpture ...", shares with its
   original only the wording other monument paragraphs hold, and the number 93).
5. **The source has slots of its own.** The source's passage holds wording that none of the
   holders holds (its own names and numbers): its holders are other stories in its frame, not
   copies of it. Copies of one story, at however many sites, hold all of it, and then the
   source stays a plain source.

Marked sources stay listed (what they share is real wire reuse, 12.27), and the reports say
that their shared wording is in N other stored documents: a common template, not evidence that
the article came from this one. What only they own is not counted as covered by sources: it
is reported apart, "template wording only" (:attr:`unspin.types.TraceResult.template_wording_only`,
docs/benchmarks.md 12.35). Exact reprints of a text are one text in the store (one
posting), and near-identical copies attribution lists "also in" do not count as holders.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from .fingerprints import content_positions, fingerprint
from .retrieve import frequencies_once
from .store import Store
from .text import tokenize
from .types import Passage, SourceMatch

# Postings read per passage, rarest features first: features past the budget (or over the
# store's postings cap, which have no postings) count as held by every holder and by nobody
# in particular, which is what a feature in thousands of documents is.
MAX_POSTINGS = 50_000
# Holders whose texts are read for the words the article shares with the source, those
# holding most of the source's features first (:func:`words_held`).
HOLDER_TEXTS = 20


def _over_owned(s: SourceMatch) -> list[Passage]:
    return [
        p
        for p in s.passages
        if any(p.target_start < o.end and o.start < p.target_end for o in s.owned)
    ]


def keeps_numbers(article: str, source: str) -> bool:
    """Whether ``article`` holds more than half of the distinct numbers written in ``source``
    (words holding a digit), and ``source`` holds one at least.

    >>> keeps_numbers("Landmark 93 is a mold.", "Monument 93 is a sculpture.")
    True
    >>> keeps_numbers("Shr 34 cts vs 62 cts", "Shr 86 cts vs 62 cts, net 28.0 mln")
    False
    """
    theirs = {w for w in tokenize(source).norms if any(c.isdigit() for c in w)}
    if not theirs:
        return False
    ours = {w for w in tokenize(article).norms if any(c.isdigit() for c in w)}
    return 2 * len(theirs & ours) > len(theirs)


def holders_need(shared: int) -> int:
    """How many of ``shared`` features a stored text must hold to hold the frame: half of
    them, and both of two (one common word pair is no frame).

    >>> [holders_need(n) for n in (1, 2, 3, 4, 10)]
    [1, 2, 2, 2, 5]
    """
    return max((shared + 1) // 2, min(shared, 2))


def frame_holders(
    store: Store,
    shared: set[int],
    own: set[int],
    exclude: Collection[int],
    min_holders: int,
    known: dict[int, int] | None = None,
) -> list[int] | None:
    """The keys of the other stored texts that hold the frame of one passage, those holding
    most of the source's features first, or None where the passage is no frame (see the
    module's docstring; the words are checked apart, :func:`words_held`): ``shared`` are the
    features the article's and the source's stretches share, ``own`` the source stretch's
    features, ``exclude`` the source's key and its copies' (not counted as holders);
    ``known``: document frequencies already read this trace
    (:func:`unspin.retrieve.frequencies_once`).
    """
    if not shared:
        return None
    df = frequencies_once(store, sorted(own), known)
    if any(df.get(f, 0) <= 1 for f in shared):
        return None  # the article shares wording only the source holds: no frame
    read: list[int] = []
    budget = 0
    for f in sorted(own, key=lambda f: (df.get(f, 0), f)):
        budget += df.get(f, 0)
        if budget > MAX_POSTINGS or (
            store.postings_cap is not None and df.get(f, 0) > store.postings_cap
        ):
            break
        read.append(f)
    held: dict[int, set[int]] = {}
    for f, doc in store.postings(read):
        if doc not in exclude:
            held.setdefault(doc, set()).add(f)
    read_shared = shared.intersection(read)
    common = len(shared) - len(read_shared)  # unread: held by every holder
    need = holders_need(len(shared))
    holders = [
        d for d, fs in held.items() if fs & read_shared and len(fs & read_shared) + common >= need
    ]
    if not read_shared or len(holders) < min_holders:
        # (every shared feature too common to read: no holder to read either, no mark)
        return None
    theirs = set().union(*(held[d] for d in holders))
    if not read_shared <= theirs:
        return None  # the article shares something of the source's own
    if set(read) <= theirs:
        return None  # the holders hold all of the source's passage: copies of it
    return sorted(holders, key=lambda d: (-len(held[d]), d))


def words_held(store: Store, article: str, source: str, holders: Sequence[int]) -> bool:
    """Whether every content word ``article`` and ``source`` both hold (as written, case
    aside) is in one of the ``holders``' texts: a rare word the two share that no holder has
    is the source's own, where word pairs missed it (a translated passage keeps "watertoys"
    between other words)."""
    ours = _content_words(article) & _content_words(source)
    if not ours:
        return True
    theirs = [t.lower() for t in store.texts(list(holders)).values()]
    return all(any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", t) for t in theirs) for w in ours)


def _content_words(text: str) -> set[str]:
    tokens = tokenize(text)
    return {tokens.norms[i] for i in content_positions(tokens)}


def shared_wording(
    store: Store,
    article: str,
    sources: Sequence[SourceMatch],
    texts: Mapping[int, str],
    min_holders: int,
    known: dict[int, int] | None = None,
    leave_out: Collection[int] = (),
) -> dict[int, int]:
    """{source key: N} for each source of ``sources`` whose every passage over what it owns
    shares with ``article`` only wording at least ``min_holders`` other stored texts hold
    (N: the fewest of its passages' holders), with slots of its own (see the module's
    docstring). ``texts``: the sources' texts by key; ``known``: document frequencies already
    read this trace, not asked of the store again; ``leave_out``: text keys the trace leaves
    out (never counted as holders)."""
    out: dict[int, int] = {}
    for s in sources:
        key = s.document.key
        src = texts.get(key)
        passages = _over_owned(s)
        if src is None or not passages:
            continue
        exclude = {key, *(c.key for c in s.copies), *leave_out}
        counts = []
        for p in passages:
            a, b = article[p.target_start : p.target_end], src[p.source_start : p.source_end]
            if keeps_numbers(a, b):
                break
            own = fingerprint(b)
            holders = frame_holders(store, own & fingerprint(a), own, exclude, min_holders, known)
            if holders is None or not words_held(store, a, b, holders[:HOLDER_TEXTS]):
                break
            counts.append(len(holders))
        else:
            out[key] = min(counts)
    return out
