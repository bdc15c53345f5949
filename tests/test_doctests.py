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
    "unspin.features",
    "unspin.generators.spinners",
    "unspin.generators.typos",
    "unspin.ingest.meta",
    "unspin.jsonl_files",
    "unspin.ranking",
    "unspin.ingest.walk",
    "unspin.ingest.limits",
    "unspin.ingest.plain",
    "unspin.ingest.bounded",
    "unspin.ingest.html",
    "unspin.spinner",
    "unspin.store",
    "unspin.validate",
    "unspin.spinscore.phrases",
    "unspin.spinscore.related",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
