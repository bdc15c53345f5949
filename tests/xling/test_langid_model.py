"""py3langid's model read from unspin's uncompressed copy: the same identifier, to the last
array, as py3langid's own loader makes; the copy made once and rebuilt when it is for
another model file or torn."""

from __future__ import annotations

import array
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from unspin.xling.langid_model import _CACHE_VERSION, load_identifier

CACHED = f"py3langid-model-v{_CACHE_VERSION}.npz"


def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, tuple | list):
        assert isinstance(b, tuple | list)
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, array.array):
        assert isinstance(b, array.array)
        return a.typecode == b.typecode and a == b
    return a == b


@pytest.fixture(scope="module")
def own() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    return tmp_path


def test_built_and_read_back_as_py3langid_loads_it(own: LanguageIdentifier, cache: Path) -> None:
    built = load_identifier()  # decompresses py3langid's file and keeps the copy
    assert (cache / CACHED).is_file()
    read = load_identifier()  # reads the copy
    for ident in (built, read):
        for slot in LanguageIdentifier.__slots__:
            assert _same(getattr(own, slot), getattr(ident, slot)), slot
    text = "La banque centrale a relevé mardi ses taux d'intérêt d'un demi-point."
    assert read.classify(text) == own.classify(text)
    assert read.classify(text)[0] == "fr"


def test_a_copy_of_another_model_file_or_a_torn_one_is_rebuilt(cache: Path) -> None:
    load_identifier()
    with np.load(cache / CACHED) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["source"] = np.array("another model file")
    arrays["ptc"] = arrays["ptc"][:, :3]  # would mislabel every text if it were trusted
    np.savez(cache / CACHED, **arrays)  # type: ignore[arg-type]
    assert load_identifier().classify("The bank raised its rates on Tuesday.")[0] == "en"
    with np.load(cache / CACHED) as data:
        assert str(data["source"]) != "another model file"
    (cache / CACHED).write_bytes(b"PK\x03\x04 torn")
    assert load_identifier().classify("The bank raised its rates on Tuesday.")[0] == "en"
