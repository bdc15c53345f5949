"""Named alignment profiles: every setting the aligner runs with, chosen by intent.

The :class:`~unspin.align.AlignConfig` defaults are the base, tuned on PAN 2013 training pairs
(long Gutenberg passages, the domain the passage verifier was fitted on). Each other profile
changes a few of them for one kind of input and says why, one line per setting. The callers
take their settings from here and nowhere else:

========================  =================================================================
``news`` (:data:`NEWS`)   :func:`unspin.trace.trace`'s alignment of an article with each
                          candidate source of a corpus
``news-pair``             :func:`unspin.compare` and :func:`unspin.align.align` when given no
                          config: one pair the user says is related (``news``, and a
                          paragraph spun whole counts through synonyms in order); trace's
                          look at its best-voted candidates over what is left unexplained
``news-second-pass``      trace's second look at long stretches no source explains
``news-one-seed``         ... the same stretches, passages on one seed allowed
``clusters``              :mod:`unspin.cluster`, aligning document pairs across a corpus
``pan``                   ``unspin eval pan``, the verifier's training script, benchmarks
========================  =================================================================

So :func:`~unspin.align.align` and :func:`unspin.compare` agree on a pair by default. Trace
aligns with ``news``: against a corpus, the same-topic candidates are many, and the looser
seeds of ``news-pair`` cost its alignment of a 40 KB article 60-75% more CPU (benchmarks 12.25);
it aligns only its best-voted candidates (two, up to five while that stays small) with
``news-pair`` again, over the stretches the first pass left unexplained and their own
passages (``TraceConfig.pair_look``, 12.26). To add a
profile, derive it from the base (or another profile) with :func:`derive`, give every change a
reason, add it to :data:`PROFILES`, and pass ``profile("name").config`` where it is used.

>>> NEWS.config.min_target_chars, PAN.config.min_target_chars
(40, 100)
>>> print(NEWS.reasons["synonym_weight"])
spun copies swap words for thesaurus synonyms, so a synonym counts as half a match
>>> profile("legal")
Traceback (most recent call last):
...
unspin.errors.ConfigError: no alignment profile 'legal': choose one of news, news-pair, news-second-pass, news-one-seed, clusters, pan
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any

from ..errors import ConfigError
from .config import AlignConfig


@dataclass(frozen=True, slots=True)
class Profile:
    """An :class:`AlignConfig` with a name, what it is for, and why each change was made.

    ``reasons`` maps every field whose value differs from the base config to one line that
    says why; a profile without a reason for a change, or with a reason for a setting it does
    not change, is refused.
    """

    name: str
    intent: str
    config: AlignConfig
    reasons: Mapping[str, str]

    def __post_init__(self) -> None:
        base = AlignConfig()
        changed = {
            f.name for f in fields(base) if getattr(base, f.name) != getattr(self.config, f.name)
        }
        missing = sorted(changed - set(self.reasons))
        if missing:
            raise ConfigError(
                f"profile {self.name!r} changes {', '.join(missing)} without a reason: "
                "give each changed setting a one-line reason"
            )
        idle = sorted(set(self.reasons) - changed)
        if idle:
            raise ConfigError(
                f"profile {self.name!r} gives a reason for {', '.join(idle)} but keeps the "
                "base value: drop the reason or change the value"
            )
        empty = sorted(k for k, why in self.reasons.items() if not why.strip())
        if empty:
            raise ConfigError(f"profile {self.name!r}: empty reason for {', '.join(empty)}")


def derive(
    name: str, intent: str, changes: Mapping[str, tuple[object, str]], base: Profile | None = None
) -> Profile:
    """A profile from ``base`` (default: the base config) with ``changes``, each given as
    ``field: (value, reason)``; the base profile's reasons carry over for fields not changed.

    >>> p = derive("long-quotes", "quotes of whole paragraphs",
    ...            {"min_target_chars": (300, "a quote is a paragraph or more")})
    >>> p.config.min_target_chars, p.reasons
    (300, mappingproxy({'min_target_chars': 'a quote is a paragraph or more'}))
    >>> derive("typo", "", {"min_target_chr": (3, "why")})
    Traceback (most recent call last):
    ...
    unspin.errors.ConfigError: profile 'typo': AlignConfig has no setting 'min_target_chr'
    """
    known = {f.name for f in fields(AlignConfig)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ConfigError(f"profile {name!r}: AlignConfig has no setting {unknown[0]!r}")
    start = base.config if base is not None else AlignConfig()
    values: dict[str, Any] = {k: value for k, (value, _) in changes.items()}
    config = replace(start, **values)
    reasons = dict(base.reasons) if base is not None else {}
    reasons.update({k: why for k, (_, why) in changes.items()})
    default = AlignConfig()
    # A change back to the base value needs no reason.
    reasons = {k: why for k, why in reasons.items() if getattr(config, k) != getattr(default, k)}
    return Profile(name, intent, config, MappingProxyType(reasons))


PAN = Profile(
    "pan",
    "PAN 2013 text alignment: the base settings, tuned on its training pairs",
    AlignConfig(),
    MappingProxyType({}),
)

NEWS = derive(
    "news",
    "news stories and spun copies of them: trace, compare and align by default",
    {
        "min_target_chars": (40, "news passages are short: a splice may take one sentence"),
        "min_source_chars": (40, "news passages are short: a splice may take one sentence"),
        "single_seed_cosine": (0.45, "a one-sentence passage counts when clearly similar"),
        "synonym_weight": (
            0.5,
            "spun copies swap words for thesaurus synonyms, so a synonym counts as half a match",
        ),
        "seed_cosine": (0.25, "spun sentences keep fewer of their words"),
        "seed_dice": (0.25, "spun sentences keep fewer of their words"),
        "validate_cosine": (0.25, "spun passages keep fewer of their words"),
        "seed_locality": (20, "local bests keep a second, reworded reuse of the same source"),
        "diagonal_cosine": (1.0, "diagonal seeds changed no trace figure and cost ~3% of time"),
        "verify_threshold": (
            0.0,
            "the verifier was fitted on 150-character PAN passages; on short ones it cost "
            "PAN per-case recall (translation 0.990 -> 0.980)",
        ),
        "trim_depth": (
            1,
            "deep trimming cut spliced composites' short passages too far "
            "(both sources in the top 3: 0.967 -> 0.940)",
        ),
        "refine_sentence_words": (
            8,
            "a spun copy changes a reused sentence's opening (a dateline, a speaker), which a "
            "snapped edge would leave out of the passage and its labels",
        ),
    },
)

NEWS_PAIR = derive(
    "news-pair",
    "one pair the user says is related: compare, and align by default",
    {
        "ordered_synonym_floor": (
            0.05,
            "SpinBot swaps a third to a half of a sentence's words, leaving a plain cosine of "
            "0.05-0.2, under synonym_floor: such a pair is checked for synonyms when its other "
            "words run in order, as a spinner leaves them (benchmarks 12.25)",
        ),
        "synonym_order": (
            0.4,
            "the share of a sentence's words in order that tells SpinBot's spins from "
            "same-topic sentences (0.3 and 0.35 let a cross pair in; benchmarks 12.25)",
        ),
        "synonym_fragments": (
            True,
            "a paragraph spun whole fails the plain passage cosine (its middle sentences "
            "may seed nothing), and a one-sentence one single_seed_cosine: synonyms in order "
            "count there too (benchmarks 12.25)",
        ),
    },
    base=NEWS,
)

NEWS_SECOND_PASS = derive(
    "news-second-pass",
    "trace's second look at long unexplained stretches: looser seeds, several required",
    {
        "min_target_chars": (100, "only long stretches get a second look"),
        "min_source_chars": (100, "only long stretches get a second look"),
        "seed_cosine": (0.18, "looser seeds find heavily reworded reuse ..."),
        "seed_dice": (0.18, "looser seeds find heavily reworded reuse ..."),
        "validate_cosine": (0.2, "... of which the whole passage is still clearly similar"),
        "single_seed_cosine": (1.01, "... on several seeds: one loose seed is chance"),
        "synonym_weight": (0.5, "as in news: a synonym counts as half a match"),
        "diagonal_cosine": (1.0, "as in news: diagonal seeds changed no trace figure"),
        "verify_threshold": (0.0, "as in news: the verifier was fitted on longer passages"),
        "refine_chain_gap": (0, "as in news: chaining was measured on PAN only"),
    },
)

NEWS_ONE_SEED = derive(
    "news-one-seed",
    "trace's second look, also: a stretch no source explains against its own candidates",
    {
        "single_seed_cosine": (
            0.3,
            "random obfuscation cuts and joins sentences, so a reused stretch may meet one long "
            "source sentence in one seed (PAN 03: 0.30-0.36 for real reuse); the verifier judges",
        ),
        "refine_chain_gap": (
            0,
            "the verifier judges this pass's passages by their length: chained edges moved "
            "its verdicts (tests/test_trace.py, the rejected passage judged again)",
        ),
        "refine_sentence_words": (0, "as the chain: the verifier judges by length"),
    },
    base=NEWS,
)

CLUSTERS = derive(
    "clusters",
    "document pairs across a corpus, for reuse clusters",
    {
        "min_target_chars": (80, "a cluster member shares at least a short paragraph"),
        "min_source_chars": (80, "a cluster member shares at least a short paragraph"),
        "diagonal_cosine": (1.0, "unmeasured on 80-character passages: off as in news"),
        "verify_threshold": (0.0, "the verifier was fitted on 150-character PAN passages"),
        "trim_depth": (1, "deep trimming cost trace's short news passages"),
        "refine_chain_gap": (0, "chaining was measured on PAN's garbled random obfuscation only"),
    },
)

PROFILES: Mapping[str, Profile] = MappingProxyType(
    {p.name: p for p in (NEWS, NEWS_PAIR, NEWS_SECOND_PASS, NEWS_ONE_SEED, CLUSTERS, PAN)}
)


def profile(name: str) -> Profile:
    """The profile called ``name`` (see :data:`PROFILES`)."""
    found = PROFILES.get(name) if isinstance(name, str) else None
    if found is None:
        raise ConfigError(f"no alignment profile {name!r}: choose one of {', '.join(PROFILES)}")
    return found
