"""Reading the arrays that ship with unspin (trained adapters and rankers in ``unspin/data``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import numpy as np

from ..errors import UnspinError


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
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise UnspinError(
            f"The packaged {what} (unspin/{path}) is missing or damaged ({exc}). "
            f"Rebuild it with: python {script}"
        ) from exc
