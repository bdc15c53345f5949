"""Checks that the settings dataclasses run on their values when they are built.

A wrong value fails where it is written, not three stages later as an empty result: every
config dataclass (``AlignConfig``, ``TraceConfig``, ``RetrievalConfig``, ``RankConfig``,
``AttributionConfig``, ``FeatureConfig``, ``ClusterConfig``) keeps a table of one
:class:`Rule` per field next to its definition and calls :func:`check_fields` from
``__post_init__`` (``dataclasses.replace`` runs it too). The message names the class, the
field, the value, what the value means and what to give instead:

>>> from unspin.align import AlignConfig
>>> AlignConfig(seed_cosine=30)
Traceback (most recent call last):
...
unspin.errors.ConfigError: AlignConfig(seed_cosine=30): seed_cosine must be a number from 0 to 1.01 (a cosine threshold; 1.01 turns the test off), e.g. the default 0.3
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Rule:
    """What one field accepts: a kind of value, an optional range, and words for the message."""

    kind: str  # "int", "number", "bool", "choice" or "instance"
    meaning: str  # what the value is, for the message ("a share of the article, 0 to 1")
    low: float | None = None
    high: float | None = None
    optional: bool = False  # None is accepted too
    choices: tuple[str, ...] = ()
    types: tuple[type, ...] = ()  # for kind "instance"


def count(low: int = 0, meaning: str = "a count") -> Rule:
    """A whole number of at least ``low``."""
    return Rule("int", meaning, low=low)


def number(low: float = 0.0, high: float | None = None, meaning: str = "a number") -> Rule:
    """A finite number from ``low`` to ``high`` (inclusive; no upper bound when None)."""
    return Rule("number", meaning, low=low, high=high)


def share(meaning: str = "a share") -> Rule:
    """A number from 0 to 1."""
    return Rule("number", meaning, low=0.0, high=1.0)


# Cosine and Dice thresholds are 0 to 1; the profiles switch a test off with 1.01, which no
# similarity reaches. A larger value is more likely a percentage typed for a fraction.
OFF = 1.01


def cosine(meaning: str = "a cosine threshold") -> Rule:
    """A similarity threshold from 0 to 1, or :data:`OFF` (1.01) to switch the test off."""
    return Rule("number", f"{meaning}; {OFF} turns the test off", low=0.0, high=OFF)


def probability(meaning: str) -> Rule:
    """A probability threshold from 0 to 1, or None for the model's shipped threshold."""
    return Rule("number", meaning, low=0.0, high=1.0, optional=True)


def flag(meaning: str = "on or off") -> Rule:
    return Rule("bool", meaning)


def choice(options: tuple[str, ...], meaning: str) -> Rule:
    return Rule("choice", meaning, choices=options)


def instance(*types: type, optional: bool = False, meaning: str = "") -> Rule:
    """A nested settings object (e.g. an :class:`~unspin.align.AlignConfig`)."""
    return Rule("instance", meaning, optional=optional, types=types)


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


def _requirement(rule: Rule) -> str:
    """What the field must be, for the message."""
    if rule.kind == "bool":
        need = "True or False"
    elif rule.kind == "choice":
        need = "one of " + ", ".join(repr(c) for c in rule.choices)
    elif rule.kind == "instance":
        need = " or ".join(_a(t.__name__) for t in rule.types)
    else:
        what = "a whole number" if rule.kind == "int" else "a number"
        if rule.high is not None:
            need = f"{what} from {rule.low:g} to {rule.high:g}"
        else:
            need = f"{what} of {rule.low:g} or more"
    return need + (", or None" if rule.optional else "")


def _accepts(rule: Rule, value: object) -> bool:
    if value is None:
        return rule.optional
    if rule.kind == "bool":
        return isinstance(value, bool)
    if rule.kind == "choice":
        return value in rule.choices
    if rule.kind == "instance":
        return isinstance(value, rule.types)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if rule.kind == "int" and not isinstance(value, int):
        return False
    if not math.isfinite(value):
        return False
    return (rule.low is None or value >= rule.low) and (rule.high is None or value <= rule.high)


def check_config(call: str, config: object, kind: type) -> None:
    """Refuse a ``config`` that is not ``None`` or a ``kind``: it would fail deep inside
    (``AttributeError: 'int' object has no attribute ...``), or a falsy one would silently
    stand for the default.

    >>> check_config("align", 5, dict)
    Traceback (most recent call last):
    ...
    unspin.errors.ConfigError: align(config=...): give a dict or None, not int
    """
    check_argument(call, "config", config, kind, optional=True)


def check_argument(
    call: str, name: str, value: object, kind: type | tuple[type, ...], optional: bool = False
) -> None:
    """Refuse an argument ``name`` of ``call`` that is not a ``kind`` (or None, when
    ``optional``) in one line, before it fails deep inside.

    >>> check_argument("to_json", "result", 5, dict)
    Traceback (most recent call last):
    ...
    unspin.errors.ConfigError: to_json(result=...): give a dict, not int
    """
    if (value is None and optional) or isinstance(value, kind):
        return
    names = kind if isinstance(kind, tuple) else (kind,)
    wanted = " or ".join(_a(k.__name__) for k in names) + (" or None" if optional else "")
    raise ConfigError(f"{call}({name}=...): give {wanted}, not {type(value).__name__}")


def check_fields(obj: Any, rules: Mapping[str, Rule]) -> None:
    """Raise :class:`~unspin.errors.ConfigError` for the first field of ``obj`` (a dataclass)
    whose value its rule refuses (every field should have a rule; a test checks it)."""
    cls = type(obj).__name__
    for f in fields(obj):
        rule = rules.get(f.name)
        if rule is None:
            # Not checked, rather than refused: a field added on another branch must not stop
            # every trace; tests/test_profiles.py fails until the field has its rule.
            continue
        value = getattr(obj, f.name)
        if not _accepts(rule, value):
            # A nested config's default is not shown: its repr would swamp the message.
            shown = f.default is not MISSING and rule.kind != "instance"
            example = f", e.g. the default {f.default!r}" if shown else ""
            meaning = f" ({rule.meaning})" if rule.meaning else ""
            raise ConfigError(
                f"{cls}({f.name}={value!r}): {f.name} must be {_requirement(rule)}"
                f"{meaning}{example}"
            )
