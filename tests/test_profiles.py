"""Named alignment profiles, and the checks every settings dataclass runs when it is built."""

from __future__ import annotations

import importlib
from dataclasses import fields, replace
from pathlib import Path
from types import MappingProxyType

import pytest

import unspin
from unspin.align import AlignConfig, align
from unspin.align.profiles import (
    CLUSTERS,
    NEWS,
    NEWS_ONE_SEED,
    NEWS_PAIR,
    NEWS_SECOND_PASS,
    PAN,
    PROFILES,
    Profile,
    derive,
    profile,
)
from unspin.attribution import AttributionConfig
from unspin.cluster.kernels import ClusterConfig
from unspin.errors import ConfigError
from unspin.evaluate.runner import _resolve, align_pan
from unspin.fingerprints import FeatureConfig
from unspin.ranking import RankConfig
from unspin.read import Limits
from unspin.retrieve import RetrievalConfig
from unspin.trace import SPIN_MODELS, TraceConfig

DEMO = Path(unspin.__file__).parent / "data" / "demo"
CONFIGS = [
    AlignConfig,
    AttributionConfig,
    ClusterConfig,
    FeatureConfig,
    Limits,
    RankConfig,
    RetrievalConfig,
    TraceConfig,
]


@pytest.mark.parametrize("cls", CONFIGS, ids=lambda c: c.__name__)
def test_every_config_builds_with_its_defaults_and_checks_every_field(cls):
    config = cls()
    table = importlib.import_module(cls.__module__)._RULES  # next to the class
    missing = [f.name for f in fields(config) if f.name not in table]
    assert not missing, f"{cls.__name__}: add a validation rule for {missing}"
    for f in fields(config):
        with pytest.raises(ConfigError, match=rf"^{cls.__name__}\({f.name}=") as caught:
            replace(config, **{f.name: "not a setting"})
        assert f"{f.name} must be" in str(caught.value)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: AlignConfig(seed_cosine=30),
            "AlignConfig(seed_cosine=30): seed_cosine must be a number from 0 to 1.01 "
            "(a cosine threshold; 1.01 turns the test off), e.g. the default 0.3",
        ),
        (
            lambda: AlignConfig(min_seeds=0),
            "AlignConfig(min_seeds=0): min_seeds must be a whole number of 1 or more "
            "(seeds a passage rests on), e.g. the default 2",
        ),
        (
            lambda: AlignConfig(maxgap=2.5),
            "AlignConfig(maxgap=2.5): maxgap must be a whole number of 0 or more",
        ),
        (
            lambda: AlignConfig(grow_edges=1),
            "AlignConfig(grow_edges=1): grow_edges must be True or False",
        ),
        (
            lambda: AlignConfig(trim_gain=float("nan")),
            "AlignConfig(trim_gain=nan): trim_gain must be a number from 0 to 1",
        ),
        (
            lambda: AlignConfig(verify_threshold=1.5),
            "AlignConfig(verify_threshold=1.5): verify_threshold must be a number from 0 to 1, "
            "or None",
        ),
        (
            lambda: TraceConfig(spin_model="fast"),
            "TraceConfig(spin_model='fast'): spin_model must be one of 'auto', 'lexical', "
            "'contextual'",
        ),
        (
            lambda: TraceConfig(second_pass=3),
            "TraceConfig(second_pass=3): second_pass must be an AlignConfig, or None",
        ),
        (lambda: TraceConfig(top=0), "TraceConfig(top=0): top must be a whole number of 1"),
        (
            lambda: RetrievalConfig(max_df_share=5),
            "RetrievalConfig(max_df_share=5): max_df_share must be a number from 0 to 1",
        ),
        (
            lambda: ClusterConfig(min_shared=-1),
            "ClusterConfig(min_shared=-1): min_shared must be a whole number of 1 or more",
        ),
        (
            lambda: RankConfig(ties_first="yes"),
            "RankConfig(ties_first='yes'): ties_first must be True or False",
        ),
        (
            lambda: AttributionConfig(copy_cover=80),
            "AttributionConfig(copy_cover=80): copy_cover must be a number from 0 to 1",
        ),
        (
            lambda: FeatureConfig(function_ngram=0),
            "FeatureConfig(function_ngram=0): function_ngram must be a whole number of 1",
        ),
    ],
)
def test_bad_values_fail_at_construction_naming_field_value_and_fix(build, message):
    with pytest.raises(ConfigError) as caught:
        build()
    assert str(caught.value).startswith(message)


def test_replace_checks_too():
    with pytest.raises(ConfigError, match=r"AlignConfig\(min_target_chars=-40\)"):
        replace(NEWS.config, min_target_chars=-40)


def test_trace_spin_models_are_those_the_spin_scorer_knows():
    from unspin.spinscore.score import MODEL_CHOICES

    assert SPIN_MODELS == MODEL_CHOICES


def test_callers_take_their_settings_from_the_profiles():
    assert TraceConfig().align == NEWS.config
    assert TraceConfig().compare_align == NEWS_PAIR.config
    assert TraceConfig().second_pass == NEWS_SECOND_PASS.config
    assert TraceConfig().second_pass_one_seed == NEWS_ONE_SEED.config
    assert ClusterConfig().align == CLUSTERS.config
    assert PAN.config == AlignConfig()
    assert _resolve(None) is align_pan
    assert set(PROFILES) == {
        "news",
        "news-pair",
        "news-second-pass",
        "news-one-seed",
        "clusters",
        "pan",
    }
    assert profile("clusters") is CLUSTERS


@pytest.mark.parametrize("p", list(PROFILES.values()), ids=lambda p: p.name)
def test_every_change_from_the_base_has_a_reason(p):
    base = AlignConfig()
    changed = {f.name for f in fields(base) if getattr(base, f.name) != getattr(p.config, f.name)}
    assert set(p.reasons) == changed
    assert all(why.strip() for why in p.reasons.values())
    assert p.intent


def test_a_profile_must_give_reasons_for_its_changes_and_only_for_them():
    with pytest.raises(ConfigError, match="changes seed_cosine without a reason"):
        Profile("x", "test", AlignConfig(seed_cosine=0.5), MappingProxyType({}))
    with pytest.raises(ConfigError, match="gives a reason for maxgap but keeps the base value"):
        Profile("x", "test", AlignConfig(), MappingProxyType({"maxgap": "why"}))
    with pytest.raises(ConfigError, match="AlignConfig has no setting 'seed_cosin'"):
        derive("x", "test", {"seed_cosin": (0.5, "why")})
    with pytest.raises(ConfigError, match="no alignment profile 'legal': choose one of news"):
        profile("legal")
    with pytest.raises(ConfigError, match=r"AlignConfig\(seed_cosine=-1\)"):
        derive("x", "test", {"seed_cosine": (-1, "why")})


def test_a_derived_profile_keeps_its_bases_reasons():
    loose = derive("loose-news", "test", {"seed_cosine": (0.2, "looser")}, base=NEWS)
    assert loose.config.min_target_chars == 40
    assert loose.reasons["min_target_chars"] == NEWS.reasons["min_target_chars"]
    assert loose.reasons["seed_cosine"] == "looser"


def _positions(passages):
    return [(p.source_start, p.source_end, p.target_start, p.target_end, p.score) for p in passages]


@pytest.mark.parametrize("target", ["example-noise.txt", "example-verbatim.txt"])
def test_align_and_compare_find_the_same_passages_by_default(target):
    source = (DEMO / "example-article.txt").read_text(encoding="utf-8")
    text = (DEMO / target).read_text(encoding="utf-8")
    aligned = align(source, text)
    compared = unspin.compare(source, text).sources[0].passages
    assert aligned and _positions(aligned) == _positions(compared)
    # The PAN profile (the base) misses a short news splice that the default finds: the
    # agreement is the default's doing, not a coincidence of the two configs. (Since the news
    # profile chains its edges as PAN's does, both find these whole articles alike.)
    splice = (
        "Gardeners in the north planted early potatoes this week after a mild winter. "
        + " ".join(text.split()[:14])
        + ". Seed merchants reported brisk trade in onion sets and broad beans."
    )
    assert align(source, splice) and _positions(align(source, splice)) == _positions(
        unspin.compare(source, splice).sources[0].passages
    )
    assert _positions(align(source, splice, PAN.config)) != _positions(align(source, splice))


@pytest.mark.parametrize("name", [["news"], {"news": 1}, None, "NEWS"])
def test_a_name_of_no_profile_is_refused_with_the_choices(name: object) -> None:
    # Before (robust26): a list or dict raised TypeError (unhashable) from the lookup.
    from unspin.align.profiles import profile

    with pytest.raises(ConfigError, match=r"no alignment profile .*: choose one of news"):
        profile(name)  # type: ignore[arg-type]
