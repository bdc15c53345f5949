"""The examples in docstrings run as written (pytest alone does not collect them from src/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "unspin",
    "unspin.api",
    "unspin.align.pipeline",
    "unspin.align.profiles",
    "unspin.attribution",
    "unspin.cluster.kernels",
    "unspin.dates",
    "unspin.edits.facts",
    "unspin.fingerprints",
    "unspin.generators.spinners",
    "unspin.generators.typos",
    "unspin.read.meta",
    "unspin.jsonl_files",
    "unspin.ranking",
    "unspin.read.walk",
    "unspin.read.readers",
    "unspin.read.limits",
    "unspin.read.plain",
    "unspin.read.bounded",
    "unspin.read.html",
    "unspin.generators.article_spinner",
    "unspin.store",
    "unspin.validate",
    "unspin.spinscore.phrases",
    "unspin.spinscore.packaged",
    "unspin.report.templating",
    "unspin.spinscore.related",
    "unspin.spinscore.vulgar",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
