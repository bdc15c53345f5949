"""Reading the model files that ship with unspin (trained models, adapters and rankers in
``unspin/data``): the ``.npz`` arrays and the JSON models, each failing the same way, with one
line naming the file and the script that rebuilds it."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import numpy as np

from ..errors import UnspinError, machine_exhausted

T = TypeVar("T")
# What a damaged or mismatched model file raises while it is read and checked.
_DAMAGED = (OSError, EOFError, ValueError, KeyError, TypeError)


def damaged(path: str, what: str, script: str, exc: BaseException) -> UnspinError:
    """The one-line error of a missing or damaged packaged file ``unspin/<path>``; an
    :class:`OSError` that says the machine is short of open files, memory or processes is
    raised again as it is (the file is not damaged).

    >>> print(damaged("data/m.json", "model", "s.py", KeyError("w")))
    The packaged model (unspin/data/m.json) is missing or damaged ('w'). Rebuild it with: python s.py
    >>> import errno
    >>> damaged("data/m.json", "model", "s.py", OSError(errno.EMFILE, "Too many open files"))
    Traceback (most recent call last):
    ...
    OSError: [Errno 24] Too many open files
    """
    if machine_exhausted(exc):
        # Raised as it is: the caller's handling of a busy machine applies (`serve`'s
        # warm-up, the web app's 503), and no one is told to rebuild a good model.
        raise exc
    return UnspinError(
        f"The packaged {what} (unspin/{path}) is missing or damaged ({exc}). "
        f"Rebuild it with: python {script}"
    )


def packaged_arrays(
    path: str,
    what: str,
    script: str,
    check: Callable[[dict[str, np.ndarray], dict[str, Any]], None],
) -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` file ``unspin/<path>`` by name, without its ``about`` record
    (JSON: how it was trained), which goes to ``check`` together with them. ``check`` raises
    ValueError/KeyError on arrays of the wrong shape; a missing, truncated or mismatched file
    becomes one :class:`UnspinError` naming ``what`` and the ``script`` that rebuilds it."""
    try:
        with (
            resources.files("unspin").joinpath(path).open("rb") as handle,
            np.load(handle, allow_pickle=False) as data,
        ):
            arrays = {k: data[k] for k in data.files}
        about = json.loads(str(arrays.pop("about")))
        check(arrays, about)
        return arrays
    except _DAMAGED as exc:
        raise damaged(path, what, script, exc) from exc


def packaged_about(path: str, what: str, script: str) -> dict[str, Any]:
    """The ``about`` record (how it was trained) of the ``.npz`` file ``unspin/<path>``; a
    missing or damaged file fails as in :func:`packaged_arrays`."""
    try:
        with (
            resources.files("unspin").joinpath(path).open("rb") as handle,
            np.load(handle, allow_pickle=False) as data,
        ):
            return dict(json.loads(str(data["about"])))
    except _DAMAGED as exc:
        raise damaged(path, what, script, exc) from exc


def packaged_json(path: str, what: str, script: str, read: Callable[[dict[str, Any]], T]) -> T:
    """``read`` applied to the JSON file ``unspin/<path>`` (a model written by ``script``).
    ``read`` raises ValueError/KeyError/TypeError on a record of the wrong shape; a missing,
    truncated or mismatched file becomes one :class:`UnspinError` naming ``what`` and the
    ``script`` that rebuilds it.

    >>> packaged_json("data/passage_verifier.json", "passage verifier",
    ...     "scripts/train_passage_verifier.py", lambda raw: raw["model"]["features"])[0]
    'similarity'
    >>> try:
    ...     packaged_json("data/none.json", "test model", "scripts/x.py", dict)
    ... except UnspinError as exc:
    ...     str(exc).startswith("The packaged test model (unspin/data/none.json) is missing")
    True
    """
    try:
        raw = json.loads(resources.files("unspin").joinpath(path).read_text("utf-8"))
        return read(raw)
    except _DAMAGED as exc:
        raise damaged(path, what, script, exc) from exc
