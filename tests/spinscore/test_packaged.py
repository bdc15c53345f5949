"""Shipped arrays that are missing, truncated or of the wrong shape fail with a rebuild hint."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest

from unspin.errors import UnspinError
from unspin.spinscore import contextual, packaged, restorer

LOADERS = [
    (contextual._adapter, "spin_adapter.npz", "train_spin_adapter.py"),
    (restorer.restorer, "spin_restorer.npz", "train_spin_restorer.py"),
]


def _wrong_shapes() -> bytes:
    buffer = io.BytesIO()
    about = np.array(json.dumps({"layers": contextual.PROBE_LAYER}))
    np.savez(buffer, about=about, weights=np.zeros(3), mean=np.zeros(5), scale=np.zeros(5))
    return buffer.getvalue()


@pytest.mark.parametrize(("loader", "name", "script"), LOADERS)
@pytest.mark.parametrize("content", [b"not an npz file", b"", None])
def test_a_damaged_file_says_how_to_rebuild_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path, loader, name, script, content
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / name).write_bytes(_wrong_shapes() if content is None else content)
    monkeypatch.setattr(packaged.resources, "files", lambda _: tmp_path)
    loader.cache_clear()
    try:
        with pytest.raises(UnspinError, match=re.escape(name) + ".*" + re.escape(script)):
            loader()
    finally:
        loader.cache_clear()


def test_the_shipped_files_load() -> None:
    assert "head.weight" in contextual._adapter()
    ranker = restorer.restorer()
    assert ranker.weights.shape == (len(ranker.mean) + restorer.EXTRA_COLUMNS,)
