"""Schema v4: copies are documents sharing one text; v3 stores are migrated in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from store_v3 import build_v3_store
from unspin.cli import main
from unspin.cluster.files import store_documents
from unspin.cluster.local import run_local
from unspin.errors import StoreError
from unspin.fingerprints import fingerprint
from unspin.store import SCHEMA_VERSION, Store
from unspin.trace import TraceConfig, trace
from unspin.types import Document

WIRE = (
    "The central bank raised interest rates by half a point on Tuesday. Officials said the move "
    "was needed to curb inflation, which reached eight percent last month. Markets fell sharply "
    "after the announcement, with the main index losing three percent."
)
OTHER = (
    "Heavy rain flooded the northern province for a third day, forcing thousands of families to "
    "leave their homes. Rescue teams used boats to reach villages cut off by the water. The "
    "weather service warned that more storms would arrive over the weekend."
)
# One wire story printed word for word by three outlets, and an unrelated story.
RECORDS = [
    Document(
        WIRE, "wire-1", url="https://www.wire.example/1", date="2021-03-04", site="wire.example"
    ),
    Document(
        WIRE, "paper-7", url="https://news.paper.co.uk/7", date="2021-03-05", site="paper.co.uk"
    ),
    Document(WIRE, "blog-3", url="https://blog.example/3", date="2021-03-06", site="blog.example"),
    Document(
        OTHER, "wire-2", url="https://www.wire.example/2", date="2021-03-04", site="wire.example"
    ),
]


def _add(store: Store, docs: list[Document]):  # type: ignore[no-untyped-def]
    return store.add_batch([(d, fingerprint(d.text)) for d in docs])


def test_a_reprint_under_a_new_id_or_url_is_a_document_sharing_the_text(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        res = _add(s, RECORDS)
        assert (res.added, res.texts_added, res.duplicates) == (4, 2, 0)
        again = _add(s, RECORDS)  # re-ingesting the same records is a no-op
        assert (again.added, again.duplicates) == (0, 4)
        # Same id, another URL: a new document (a second edition at another address).
        moved = Document(WIRE, "wire-1", url="https://www.wire.example/1?amp")
        assert _add(s, [moved]).added == 1
        assert s.count() == 5 and s.text_count() == 2
        st = s.stats()
        assert (st["documents"], st["texts"], st["sites"]) == (5, 2, 3)
        key = s.find("wire-1")[0].key
        copies = s.copies([key, s.find("blog-3")[0].key])
        assert [d.id for d in copies[key]] == ["wire-1", "paper-7", "blog-3", "wire-1"]
        assert [d.site for d in copies[key]][:3] == ["wire.example", "paper.co.uk", "blog.example"]
        assert all(s.text(d.key) == WIRE for d in copies[key])
        # One text, one set of postings: the reprints neither double document frequencies
        # nor add postings.
        postings = s.conn.execute("SELECT COUNT(DISTINCT doc) FROM postings").fetchone()[0]
        assert postings == 2
        feats = sorted(fingerprint(WIRE))
        assert set(s.document_frequencies(feats).values()) == {1}
        assert s.check() == []


def test_trace_sees_one_source_per_text_and_reaches_every_copy(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        _add(s, RECORDS)
        result = trace(WIRE, s, TraceConfig(label_edits=False, score_unsourced=False))
        keys = [m.document.key for m in result.sources]
        assert len(keys) == len(set(keys)) == 1  # the text once, not once per reprint
        copies = s.copies(keys)[keys[0]]
        assert sorted(d.id for d in copies) == ["blog-3", "paper-7", "wire-1"]


def test_cluster_sees_every_copy(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as s:
        _add(s, RECORDS)
    docs = list(store_documents(str(db)))
    assert [d["id"] for d in docs] == ["wire-1", "paper-7", "blog-3", "wire-2"]
    run = run_local(docs, tmp_path / "out")
    assert run.documents == 4
    clusters = [json.loads(line) for line in (tmp_path / "out" / "clusters.jsonl").open()]
    (wire,) = [c for c in clusters if "wire-1" in [m["id"] for m in c["members"]]]
    assert [m["id"] for m in wire["members"]] == ["wire-1", "paper-7", "blog-3"]
    assert wire["documents"] == 3 and wire["origin"]["id"] == "wire-1"
    assert wire["sites"] == ["blog.example", "paper.co.uk", "wire.example"]


def test_a_story_syndicated_widely_is_not_taken_for_boilerplate(tmp_path: Path) -> None:
    """Copies count once in document frequencies: six reprints of one story under a cap of
    two documents per feature still form one cluster, with one alignment per copy."""
    from unspin.cluster.kernels import ClusterConfig, DocRecord

    docs = [
        DocRecord(key=k, id=f"outlet-{k}", site=f"s{k}.example", date=f"2021-03-0{k}", text=WIRE)
        for k in range(1, 7)
    ]
    docs.append(DocRecord(key=7, id="other", site="s7.example", date="2021-03-01", text=OTHER))
    cfg = ClusterConfig(df_floor=2, df_share=0.0, label_edits=False)
    run = run_local(docs, tmp_path / "out", cfg)
    assert run.pairs == 5  # each copy with the earliest, not every pair of copies
    (cluster,) = [json.loads(line) for line in (tmp_path / "out" / "clusters.jsonl").open()]
    assert [m["id"] for m in cluster["members"]] == [f"outlet-{k}" for k in range(1, 7)]
    assert cluster["origin"]["id"] == "outlet-1"


def test_v3_store_is_migrated_in_place(tmp_path: Path) -> None:
    """A store written by v3 (texts inside documents, reprints dropped) opens as v4 with
    every document, text, posting and statistic as it was; ingest then adds the reprints."""
    v3_docs = [
        Document(
            WIRE,
            "wire-1",
            url="http://www.wire.example/1",
            date="2021-03-04",
            site="www.wire.example",
        ),
        Document(OTHER, "wire-2", url="http://news.bbc.co.uk/2", date=None, site="news.bbc.co.uk"),
    ]
    db = build_v3_store(tmp_path / "v3.db", v3_docs)
    con = sqlite3.connect(db)
    postings = con.execute("SELECT * FROM postings ORDER BY 1, 2").fetchall()
    featstats = con.execute("SELECT * FROM featstats ORDER BY 1").fetchall()
    con.close()
    with pytest.raises(StoreError, match="run once: unspin upgrade --db ") as refused:
        Store(db, readonly=True)  # reading only: it cannot be migrated, and says how
    assert "reindex" not in str(refused.value)  # a re-index is not needed (and takes hours)
    with Store(db) as s:
        assert s.stats()["schema_version"] == SCHEMA_VERSION == 5
        assert s.check() == []
        assert [(d.id, d.date, d.site) for d, _ in s.iter_documents()] == [
            ("wire-1", "2021-03-04", "wire.example"),  # sites become registrable domains
            ("wire-2", None, "bbc.co.uk"),
        ]
        assert [t for _, t in s.iter_documents()] == [WIRE, OTHER]
        assert s.conn.execute("SELECT * FROM postings ORDER BY 1, 2").fetchall() == postings
        assert s.conn.execute("SELECT * FROM featstats ORDER BY 1").fetchall() == featstats
        precision = s.conn.execute("SELECT date_precision FROM documents ORDER BY key")
        assert precision.fetchall() == [("day",), (None,)]
        # Re-ingest recognises the migrated records; the reprints v3 dropped now go in.
        assert _add(s, v3_docs).duplicates == 2
        res = _add(s, RECORDS[1:3])
        assert (res.added, res.texts_added) == (2, 0)
        assert s.check() == []
    with Store(db, readonly=True) as s:
        assert (s.count(), s.text_count()) == (4, 2)


def test_migration_is_one_transaction(tmp_path: Path) -> None:
    """A migration that fails half-way leaves the v3 store as it was."""
    db = build_v3_store(tmp_path / "v3.db", RECORDS[:1])
    con = sqlite3.connect(db)
    with con:  # a table in the way of the migration's own
        con.execute("CREATE TABLE documents_v4 (x INTEGER)")
    con.close()
    with pytest.raises(StoreError):
        Store(db)
    con = sqlite3.connect(db)
    assert "hash" in [r[1] for r in con.execute("PRAGMA table_info(documents)")]
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'texts'").fetchone() is None


def test_stats_and_ingest_summary_report_texts_and_copies(tmp_path: Path) -> None:
    src = tmp_path / "feed.jsonl"
    src.write_text(
        "\n".join(
            json.dumps({"id": d.id, "text": d.text, "url": d.url, "date": d.date}) for d in RECORDS
        )
        + "\n"
    )
    db = tmp_path / "s.db"
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", str(src), "--db", str(db), "-q", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert (
        "4 documents added (2 new texts, 2 copies of stored texts), 0 already stored" in res.output
    )
    res = runner.invoke(main, ["ingest", str(src), "--db", str(db), "-q", "--workers", "1"])
    assert (
        "0 documents added (0 new texts, 0 copies of stored texts), 4 already stored" in res.output
    )
    res = runner.invoke(main, ["stats", "--db", str(db), "--json"])
    st = json.loads(res.stdout)
    assert (st["documents"], st["texts"]) == (4, 2)


def test_the_text_count_follows_writes_by_this_and_other_connections(tmp_path: Path) -> None:
    """``text_count`` is kept between calls (counting a large store's texts is slow); a write
    through the store itself or through another connection (an ingest beside a web app)
    must still show in the next count."""
    path = tmp_path / "s.db"
    with Store(path) as s:
        _add(s, RECORDS[:1])
        assert s.text_count() == 1
        _add(s, RECORDS[3:])  # this connection's own write
        assert s.text_count() == 2
        with Store(path, create=False, readonly=True) as reader:
            assert reader.text_count() == 2
            third = "A third story about a new bridge over the river, opened by the mayor today."
            _add(s, [Document(third, "bridge-1")])  # another connection commits
            assert reader.text_count() == 3
            s.conn.execute("DELETE FROM texts WHERE key = (SELECT MAX(key) FROM texts)")
            s.conn.commit()
            assert (s.text_count(), reader.text_count()) == (2, 2)


def test_one_batch_stores_what_one_record_at_a_time_stores(tmp_path: Path) -> None:
    """``add_batch`` looks the batch's texts up in one query and writes its rows at the end:
    a record repeated in the batch, a record stored before, reprints of a text stored before
    and of one the batch itself adds come out as when each record is its own batch."""
    batch = [RECORDS[1], RECORDS[1], RECORDS[0], RECORDS[3], RECORDS[2]]
    batch.append(Document(OTHER, "wire-2b", url="https://www.wire.example/2b"))

    def rows(s: Store) -> list[list[tuple[object, ...]]]:
        return [
            s.conn.execute(
                "SELECT key, hash, length, text, lang FROM texts ORDER BY key"
            ).fetchall(),
            s.conn.execute("SELECT key, text_key, id, url FROM documents ORDER BY key").fetchall(),
            s.conn.execute("SELECT feature, doc FROM postings ORDER BY 1, 2").fetchall(),
            s.conn.execute("SELECT feature, df FROM featstats ORDER BY 1").fetchall(),
        ]

    with Store(tmp_path / "batch.db") as s, Store(tmp_path / "single.db") as t:
        _add(s, [RECORDS[0]])
        res = _add(s, batch)
        assert (res.added, res.duplicates, res.texts_added) == (4, 2, 1)
        _add(t, [RECORDS[0]])
        singles = [_add(t, [d]) for d in batch]
        assert sum(r.added for r in singles) == 4
        assert rows(s) == rows(t)


def test_a_v3_store_read_only_says_upgrade_and_upgrade_makes_it_readable(tmp_path: Path) -> None:
    """`stats`, `trace` and `check` open a store read-only: on a v3 store they said to
    re-index (hours on a large store) though opening it for writing migrates it in seconds.
    They now name `unspin upgrade`, which does only that; a v2 store still needs reindex."""
    from unspin.fingerprints import FEATURE_VERSION

    db = build_v3_store(tmp_path / "v3.db", [RECORDS[0], RECORDS[3]])
    runner = CliRunner()
    for args in (["stats"], ["check"], ["trace", "-"]):
        res = runner.invoke(main, [*args, "--db", str(db)], input=WIRE)
        assert res.exit_code == 1, args
        assert res.output == (
            f"Error: {db}: the store has schema v3, which this unspin reads only once it is "
            "brought up to v5 in place (seconds, nothing re-indexed), as any command that "
            f"writes to the store does; where it can be written, run once: unspin upgrade "
            f"--db {db}\n"
        )
    res = runner.invoke(main, ["upgrade", "--db", str(db)])
    assert (res.exit_code, res.output) == (
        0,
        f"{db}: schema v5, fingerprints v{FEATURE_VERSION}: up to date\n",
    )
    res = runner.invoke(main, ["check", "--db", str(db)])
    assert (res.exit_code, res.output) == (0, "ok: 2 documents, store is consistent\n")
    res = runner.invoke(main, ["upgrade", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no such store" in res.output
    con = sqlite3.connect(db)
    with con:  # fingerprints older than this unspin's: only a re-index helps
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'feature_version'", (str(FEATURE_VERSION - 1),)
        )
    con.close()
    res = runner.invoke(main, ["upgrade", "--db", str(db)])
    assert res.exit_code == 1 and res.output.endswith(f"re-index with: unspin reindex --db {db}\n")
