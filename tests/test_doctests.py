"""The examples in docstrings run as written (pytest alone does not collect them from src/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["unspin.align.pipeline", "unspin.ingest.meta", "unspin.store"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
