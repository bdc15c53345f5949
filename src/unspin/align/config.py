"""The aligner's thresholds, in one frozen dataclass.

Every stage reads its settings from one :class:`AlignConfig`, so callers (trace, document
clustering, the evaluator, the verifier's training script) can change one threshold without
threading arguments through the stages; the comment next to a field says what it trades off.
The defaults are the base that the named profiles of :mod:`unspin.align.profiles` (news,
its second pass, clusters, PAN evaluation) change, each change with its reason; callers take
their settings from a profile rather than overriding fields here and there. Every value is
checked when a config is built (see :mod:`unspin.validate`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..validate import Rule, check_fields, cosine, count, flag, number, probability, share


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """Tunable thresholds of :func:`align`; defaults are tuned on PAN 2013 training data."""

    seed_cosine: float = 0.30
    seed_dice: float = 0.30
    maxgap: int = 4
    maxgap_summary: int = 24
    summary_max_cosine: float = 0.95  # median best seed cosine above which it is copying
    min_seeds: int = 2  # a passage rests on at least this many seeds ...
    single_seed_cosine: float = 0.6  # ... unless its one seed is this similar
    summary_min_sources: int = 3  # distinct source sentences a summary must draw on
    summary_target_gap: int = 2  # target sentences a summary may skip
    # A lone target sentence whose seeds lie in a run of adjacent source sentences is one
    # reuse whose words were moved across sentence ends (random obfuscation), not a summary:
    # as a summary of the source it would set several times its length of source against
    # one sentence, which the verifier rejects (a PAN 03 case traced with the news profile's
    # looser seeds; docs/benchmarks.md 12.17). True: count it as a summary anyway.
    summary_of_adjacent_sentences: bool = False
    # A summary replaces the ordinary fragments it overlaps in the target; one with most of
    # its target sentences outside every summary keeps the longest run of them (False:
    # replaced whole). PAN 03 in a 4-document concatenation: a 3-sentence "summary" of the
    # whole source at 0.38 touched the last of ten sentences of a reused paragraph (0.62,
    # 9 seeds) and removed the paragraph.
    summary_trims_fragments: bool = True
    summary_doc_share: float = 0.15  # source spread above which a summary covers the document
    summary_validate_cosine: float = 0.2
    # A group whose seed weight mostly sits in one source stretch about as long as the target
    # (twice its length) is ordinary reuse with a few stray seeds, not a summary.
    summary_max_concentration: float = 0.7
    summary_window: float = 1.2
    # The same test on words: a group whose target words (those the source has at all) one
    # source stretch of ``summary_word_window`` times the target's length mostly holds
    # (more than this share) rewrites that stretch; a summary draws its words from all over.
    summary_max_word_share: float = 0.9
    summary_word_window: float = 2.0
    min_unit_terms: int = 3  # sentences with fewer content words are merged with the next
    # A "sentence" longer than this (lists, tables, web text without full stops) is cut at
    # line breaks (at commas when it has none) into pieces of about half of it; 0 keeps every
    # sentence whole.
    max_unit_chars: int = 300
    diagonal_cosine: float = 0.2  # weaker pairs that seed next to a seed on the diagonal
    # ... or on the anti-diagonal (one sentence on in the source, one back in the target):
    # reordered sentences of one reuse.
    shuffled_neighbours: bool = True
    # Passages the verifier (unspin.verifier) gives a lower probability of being reuse are
    # dropped; None: the threshold shipped with its model; 0: keep every passage.
    verify_threshold: float | None = None
    grow_edges: bool = True  # take in edge sentences that raise the cosine by trim_gain
    validate_cosine: float = 0.34
    trim_gain: float = 0.01  # cosine gain that justifies dropping (or taking in) an edge sentence
    # Edge sentences trimming may drop at once: a stray seed joins a fragment across up to
    # maxgap unseeded sentences, and dropping one of them alone may not raise the cosine.
    trim_depth: int = 5
    # Trimming stops where a side would fall under its reporting floor (min_target_chars,
    # min_source_chars): a fragment trimmed under it is dropped, so the trim turned valid
    # reuse into none (PAN 03: two seeds of a 110-character case lost to trimming down to a
    # 28-character sentence). PAN 2013 train, 5,000 pairs: plagdet 0.9398 -> 0.9417.
    trim_keeps_length: bool = True
    # Random obfuscation deletes words: a reused 150-character source sentence pair can come
    # out at 100 characters, and the verifier judges the short ones (PAN 03: +0.006 plagdet).
    min_target_chars: int = 100
    min_source_chars: int = 150
    summary_ratio: float = 0.35  # target/source length ratio under which a case is a summary
    # Target sentences within which a source sentence's best seed counts (0: anywhere). Local
    # bests keep a second, reworded reuse of the same source; on PAN they cost precision.
    seed_locality: int = 0
    seed_relative: float = 0.6  # a seed's cosine relative to the best of its two sentences
    max_backjump: int = 2  # source units a passage may step back before it is split
    # ... unless both parts come from one stretch of the source (their source ranges, and
    # their target ranges, at most this many units apart): that is reordering within one
    # reuse (random obfuscation shuffles sentences), not two reuses. -1: always split.
    reorder_gap: int = 1
    refine_min_block: int = 3  # exact token run length that counts when snapping edges
    refine_min_match: float = 0.6  # share of exactly matched tokens needed to snap edges
    refine_full_match: float = 0.9  # ... to trust the exact matches over the units entirely
    # When a fragment is only partly exact, its snapped edges move outward over shorter exact
    # runs (single stopwords aside) at most this many tokens apart (0: never): random
    # obfuscation garbles the first and last words of a reuse (PAN 03: +0.0045 plagdet).
    refine_chain_gap: int = 8
    # A snapped edge 1 to this many words into its sentence on both sides moves to the
    # sentence's opening (or end) on both, so that a changed opening of a reused sentence
    # (a dateline, a speaker) is inside the passage and labelled (0: never).
    refine_sentence_words: int = 0
    synonym_weight: float = 0.0  # weight of a Moby synonym match relative to an exact match
    synonym_floor: float = 0.2  # sentence pairs below this cosine are not checked for synonyms
    # Pairs from this cosine up to synonym_floor are checked for synonyms too, but only when
    # at least ``synonym_order`` of the longer sentence's words (function words, names and
    # numbers included) run in the same order in the other (see seeds.in_order): a thesaurus
    # spinner swaps content words in place and keeps the rest; two sentences on one topic
    # share words in no such order. 1.01: none.
    ordered_synonym_floor: float = 1.01
    synonym_order: float = 0.0
    # A group of seeds whose plain cosine fails ``validate_cosine`` is judged again, before it
    # is split, with synonyms counted (``synonym_weight``), when its words run in order as
    # above; and a passage on one seed reaches ``single_seed_cosine`` the same way (False:
    # never): a paragraph spun whole keeps too few of its words for the plain cosine.
    synonym_fragments: bool = False

    def __post_init__(self) -> None:
        check_fields(self, _RULES)


_RULES: dict[str, Rule] = {
    "seed_cosine": cosine("a cosine threshold"),
    "seed_dice": cosine("a Dice threshold"),
    "maxgap": count(0, "the sentences a passage may skip"),
    "maxgap_summary": count(0, "sentences a summary may skip"),
    "summary_max_cosine": cosine("a median seed cosine"),
    "min_seeds": count(1, "seeds a passage rests on"),
    "single_seed_cosine": cosine("a cosine threshold"),
    "summary_min_sources": count(1, "source sentences a summary draws on"),
    "summary_target_gap": count(0, "target sentences a summary may skip"),
    "summary_of_adjacent_sentences": flag(),
    "summary_trims_fragments": flag(),
    "summary_doc_share": share("a share of the source document"),
    "summary_validate_cosine": cosine("a cosine threshold"),
    "summary_max_concentration": share("a share of the seed weight"),
    "summary_window": number(0.0, meaning="a multiple of the target's length"),
    "summary_max_word_share": share("a share of the target's words"),
    "summary_word_window": number(0.0, meaning="a multiple of the target's length"),
    "min_unit_terms": count(0, "content words a sentence needs to stand alone"),
    "max_unit_chars": count(0, "characters of a sentence before it is cut; 0: never"),
    "diagonal_cosine": cosine("a cosine threshold"),
    "shuffled_neighbours": flag(),
    "verify_threshold": probability("a verifier probability; None: the shipped one"),
    "grow_edges": flag(),
    "validate_cosine": cosine("a cosine threshold"),
    "trim_gain": share("a cosine gain"),
    "trim_depth": count(0, "edge sentences trimmed at once"),
    "trim_keeps_length": flag(),
    "min_target_chars": count(0, "characters of a passage's target side"),
    "min_source_chars": count(0, "characters of a passage's source side"),
    "summary_ratio": number(0.0, meaning="a target/source length ratio"),
    "seed_locality": count(0, "target sentences; 0: anywhere"),
    "seed_relative": share("a share of the best cosine"),
    "max_backjump": count(0, "source sentences a passage may step back"),
    "reorder_gap": count(-1, "sentences between reordered parts; -1: always split"),
    "refine_min_block": count(1, "tokens of an exact run"),
    "refine_min_match": share("a share of exactly matched tokens"),
    "refine_full_match": share("a share of exactly matched tokens"),
    "refine_chain_gap": count(0, "tokens between exact runs; 0: never"),
    "refine_sentence_words": count(0, "words before or after a passage's edge; 0: never"),
    "synonym_weight": share("the weight of a synonym match"),
    "synonym_floor": cosine("a cosine threshold"),
    "ordered_synonym_floor": cosine("a cosine threshold; 1.01: none"),
    "synonym_order": share("a share of a sentence's words"),
    "synonym_fragments": flag(),
}
