"""One exception hierarchy for everything unspin raises on purpose.

Every message says what went wrong *and* what to do about it, so the CLI can print it as a
single line and exit non-zero without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnspinError(Exception):
    """Base class of every error unspin raises deliberately."""


class InputError(UnspinError):
    """A file or text given to unspin cannot be read (missing, empty, binary, malformed...)."""

    def __init__(self, path: str | None, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True, slots=True)
class InputWarning:
    """Something reading changed in an input that was still read (a note, never raised).

    ``iter_inputs`` yields one just before the document it concerns, e.g. when stray NUL
    bytes were removed from a text file; ingest prints it and counts it in its summary.
    """

    path: str | None
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem


class StoreError(UnspinError):
    """The document store cannot be opened or is inconsistent."""


class ConfigError(UnspinError):
    """An option or configuration value is invalid."""


class MissingExtraError(UnspinError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str, feature: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package '{module}'. "
            f"Install it with: pip install 'unspin[{extra}]'"
        )


def require(module: str, extra: str, feature: str) -> object:
    """Import an optional module or raise MissingExtraError naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no branch - both paths are tested
        raise MissingExtraError(module, extra, feature) from exc
