"""The one cache of derived arrays: built once, read back as built, rebuilt when torn or stale,
and still answering where nothing can be written."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from unspin.cache import cached_arrays, prune_older_versions
from unspin.spinscore.reverse_thesaurus import ReverseThesaurus


class Counted:
    """A build function that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, np.ndarray]:
        self.calls += 1
        return {"x": np.arange(5, dtype=np.int64) ** 2, "words": np.array("a\nb")}


def _read(data: Mapping[str, np.ndarray]) -> tuple[list[int], list[str]]:
    return data["x"].tolist(), str(data["words"]).split("\n")


EXPECTED = ([0, 1, 4, 9, 16], ["a", "b"])


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNSPIN_CACHE", str(tmp_path))
    return tmp_path


def test_built_once_then_read_from_the_file(cache: Path) -> None:
    build = Counted()
    assert cached_arrays("t.npz", build, _read, what="t") == EXPECTED
    assert cached_arrays("t.npz", build, _read, what="t") == EXPECTED
    assert build.calls == 1
    assert [p.name for p in cache.iterdir()] == ["t.npz"]  # no temporary file left


@pytest.mark.parametrize("torn", [b"", b"not an archive", b"PK\x03\x04 cut short"])
def test_a_torn_file_is_rebuilt(cache: Path, torn: bytes) -> None:
    (cache / "t.npz").write_bytes(torn)
    build = Counted()
    assert cached_arrays("t.npz", build, _read, what="t") == EXPECTED
    assert build.calls == 1
    assert (
        cached_arrays("t.npz", Counted(), _read, what="t") == EXPECTED
    )  # the rebuilt file is whole


def test_a_file_the_reader_refuses_is_rebuilt(cache: Path) -> None:
    np.savez(cache / "t.npz", other=np.zeros(2))  # an older layout: no "x"
    build = Counted()
    assert cached_arrays("t.npz", build, _read, what="t") == EXPECTED
    assert build.calls == 1


def test_no_writable_cache_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="unspin.cache")
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("UNSPIN_CACHE", str(blocker / "unspin"))
    build = Counted()
    assert cached_arrays("t.npz", build, _read, what="t") == EXPECTED
    assert cached_arrays("t.npz", build, _read, what="t") == EXPECTED
    assert build.calls == 2  # built in every call, never failing
    # ... and the notice says so instead of promising a cache
    assert [r.getMessage() for r in caplog.records] == [
        "making t (no cache can be written here, so every run makes it)"
    ] * 2


def test_a_build_names_what_it_makes_and_where(
    cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="unspin.cache")
    cached_arrays("t.npz", Counted(), _read, what="the test arrays")
    cached_arrays("t.npz", Counted(), _read, what="the test arrays")  # read: nothing said
    assert [r.getMessage() for r in caplog.records] == [
        f"making the test arrays, once; later runs read {cache / 't.npz'}"
    ]


def test_reverse_thesaurus_arrays_keep_everything() -> None:
    heads = [("price", 5.1, 4.2), ("rise", 4.8, 3.9), ("go up", 3.0, 2.5)]
    built = ReverseThesaurus(heads, {"cost": [0], "climb": [1, 2], "ascend": [2, 1]})
    loaded = ReverseThesaurus._from_arrays(built._arrays())
    for word in ("cost", "climb", "ascend", "nothing"):
        assert loaded.candidates(word) == built.candidates(word)
    assert loaded.max_phrase_words == built.max_phrase_words
    assert [c.word for c in loaded.candidates("climb")] == ["rise", "go up"]


def test_an_interrupted_save_leaves_no_temporary_file(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C while a first run saved moby-reverse (21 MB) left moby-reverse-v6.tmpPID.npz in
    # the cache for good, one more for every interrupted run.
    def savez_interrupted(file: Path, **arrays: np.ndarray) -> None:
        Path(file).write_bytes(b"PK\x03\x04 half written")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", savez_interrupted)
    with pytest.raises(KeyboardInterrupt):
        cached_arrays("t.npz", Counted(), _read, what="a test table")
    assert sorted(p.name for p in cache.iterdir()) == []


def test_a_build_prunes_what_older_versions_left_and_nothing_else(cache: Path) -> None:
    # Before (robust29): an upgrade built its caches under new names and left the old ones
    # (up to 21 MB each) in the cache for good.
    hour_ago = time.time() - 2 * 3600
    left = {
        "bigrams-v1.npz": "an older unspin's: pruned",
        "bigrams-v2.tmp99.npz": "a killed build's, hours old: pruned",
        "bigrams-v3.tmp98.npz": "another process writing it now: kept",
        "bigrams-v9.npz": "a newer unspin's, sharing the cache: kept",
        "moby-through-base-v6.1.npz": "another family: kept",
        "bigrams-v1.db.0123456789ab.results.sqlite": "the web app's results of bigrams-v1.db: kept",
        "jieba.cache": "another package's: kept",
    }
    for name in left:
        (cache / name).write_bytes(b"x")
    os.utime(cache / "bigrams-v2.tmp99.npz", (hour_ago, hour_ago))
    assert cached_arrays("bigrams-v3.npz", Counted(), _read, what="t") == EXPECTED
    kept = {name for name, why in left.items() if why.endswith("kept")}
    assert {p.name for p in cache.iterdir()} == kept | {"bigrams-v3.npz"}
    # A sub-version counts: v6.1 goes when v6.2 is built; a name without a version prunes nothing.
    cached_arrays("moby-through-base-v6.2.npz", Counted(), _read, what="t")
    cached_arrays("t.npz", Counted(), _read, what="t")
    assert {p.name for p in cache.iterdir()} == (kept - {"moby-through-base-v6.1.npz"}) | {
        "bigrams-v3.npz",
        "moby-through-base-v6.2.npz",
        "t.npz",
    }


def test_prune_removes_only_what_it_returns(cache: Path) -> None:
    for name in ("moby-lines-v0.json", "moby-lines-v0.tmp5", "moby-lines-v1.json"):
        (cache / name).write_text("{}")
    assert prune_older_versions(cache / "moby-lines-v1.json") == [cache / "moby-lines-v0.json"]
    assert prune_older_versions(cache / "moby-lines-v1.tmp7") == []  # a file being written
