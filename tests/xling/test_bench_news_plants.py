"""The news bench plants a changed name on a word that writes a name, and a changed month on
a month: never on a lower-case word that the checker's loose name match accepts ("Hanna" by
"and", "Hunan" by "in") or the noun "march" (docs/benchmarks.md 18.18)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("babel", reason="the xling extra (babel) is not installed")


def _bench() -> ModuleType:
    # benchmarks/ is a folder of scripts, not a package: load the module from its file.
    folder = Path(__file__).resolve().parents[2] / "benchmarks"
    path = folder / "bench_xling_news.py"
    if str(folder) not in sys.path:  # it imports its sibling bench_xling
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location("unspin_bench_xling_news", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _months() -> dict[int, str]:
    from babel import Locale

    return dict(Locale.parse("en").months["format"]["wide"])


def test_a_name_plant_replaces_the_name_not_a_lower_case_word_the_loose_match_accepts() -> None:
    from unspin.xling.facts import _found

    sentence = "Hanna said the floods had ended in the east."
    # Why the rule is needed: the checker's loose match hears the name in common words.
    assert _found("Hanna", ["in"]) and _found("Hanna", ["ended"])
    plants = _bench()._plants(
        sentence, sentence, "en", frozenset({"Hanna"}), ["Mudanura"], _months(), random.Random(0)
    )
    names = [changed for kind, changed in plants if kind == "name"]
    assert names == ["Mudanura said the floods had ended in the east."]


def test_a_month_plant_leaves_the_noun_march_alone() -> None:
    plants = _bench()._plants(
        "The march ended in May.",
        "The march ended in May.",
        "en",
        frozenset(),
        [],
        _months(),
        random.Random(0),
    )
    months = [changed for kind, changed in plants if kind == "month"]
    assert months == ["The march ended in June."]
