"""The examples in the web modules' docstrings run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "unspin.web.busy",
    "unspin.web.params",
    "unspin.web.listen",
    "unspin.web.errors",
    "unspin.web.jsonbody",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
