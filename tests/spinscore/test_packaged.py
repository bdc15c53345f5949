"""Shipped model files (arrays and JSON) that are missing, truncated or of the wrong shape fail
with one line naming the file and the script that rebuilds it."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest

from open_files import run_out_of_files
from unspin import verifier
from unspin.errors import UnspinError
from unspin.spinscore import contextual, model, packaged, paraphrase, restorer, words

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


JSON_LOADERS = [
    (lambda: model._packaged("lexical"), model._packaged, "spin_model.json", "train_spin_model.py"),
    (words.word_model, words.word_model, "spin_word_model.json", "train_spin_word_model.py"),
    (
        verifier.load_verifier,
        verifier.load_verifier,
        "passage_verifier.json",
        "train_passage_verifier.py",
    ),
    (
        verifier.load_trace_verifier,
        verifier.load_trace_verifier,
        "trace_verifier.json",
        "train_trace_verifier.py",
    ),
]


@pytest.mark.parametrize(("load", "cached", "name", "script"), JSON_LOADERS)
@pytest.mark.parametrize(
    "content", [b"{not json", b"", b'{"model": {"names": []}}', b"\xff\xfe", None]
)
def test_a_damaged_json_model_says_how_to_rebuild_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path, load, cached, name, script, content
) -> None:
    """Truncated, undecodable, of the wrong shape or missing (None): one line naming the
    file and the script that rebuilds it."""
    (tmp_path / "data").mkdir()
    if content is not None:
        (tmp_path / "data" / name).write_bytes(content)
    monkeypatch.setattr(packaged.resources, "files", lambda _: tmp_path)
    cached.cache_clear()
    try:
        with pytest.raises(UnspinError, match=re.escape(name) + ".*" + re.escape(script)) as err:
            load()
        assert "\n" not in str(err.value)
    finally:
        cached.cache_clear()


def test_paraphrase_about_of_a_damaged_file_says_how_to_rebuild_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    assert paraphrase.about()["script"].endswith("train_paraphrase_model.py")  # as shipped
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "paraphrase_model.npz").write_bytes(b"not an npz file")
    monkeypatch.setattr(packaged.resources, "files", lambda _: tmp_path)
    with pytest.raises(UnspinError, match=r"paraphrase_model\.npz.*train_paraphrase_model\.py"):
        paraphrase.about()


def test_running_out_of_open_files_is_not_called_a_damaged_model() -> None:
    """Before: "The packaged contextual spin model ... is missing or damaged ([Errno 24] Too
    many open files). Rebuild it with ...", and when the files ran out while `serve`'s
    warm-up thread read the models (tests/web/test_serve_open_files.py under load), the
    thread died with a traceback: it handles the machine's OSError, not that error."""
    before = """
import errno, logging
from unspin.errors import UnspinError
from unspin.spinscore import contextual
from unspin.web import app

logging.basicConfig(format="%(message)s")
"""
    after = """
try:
    contextual._adapter()
except UnspinError as exc:
    print("told damaged:", exc)
except OSError as exc:
    print("out of files:", errno.errorcode[exc.errno])
app._warm_up()  # as `unspin serve` does while a crowd of clients holds the files
print("warm-up returned")
"""
    done = run_out_of_files(before, after)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "out of files: EMFILE" in done.stdout, done.stdout
    assert "told damaged" not in done.stdout
    assert "warm-up returned" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "first request that needs them loads them" in done.stderr, done.stderr[-3000:]
