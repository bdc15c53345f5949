"""Names a package exports but imports only when first asked for (PEP 562): what keeps
``import unspin``, ``unspin --help`` and a command's own help from loading the aligner, the
store, the models or the report libraries they never use."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def names_from_modules(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports each name of ``modules`` (name ->
    its module, relative to ``package``) on first use and keeps it in the package (asked
    once); any other name is an AttributeError, as for a module without one.

    >>> __getattr__ = names_from_modules("unspin", {"Corpus": "api"})
    >>> __getattr__("Corpus").__name__
    'Corpus'
    """

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
