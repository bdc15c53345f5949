import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.errors import StoreError
from unspin.fingerprints import fingerprint
from unspin.store import Store
from unspin.types import Document


def _docs(n: int) -> list[Document]:
    return [
        Document(
            text=f"Document number {i} talks about the harbour of town {i} and its {i} boats.",
            id=f"d{i}",
        )
        for i in range(n)
    ]


def test_add_read_roundtrip_and_dedup(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as s:
        docs = _docs(5)
        r1 = s.add_batch([(d, fingerprint(d.text)) for d in docs])
        r2 = s.add_batch([(d, fingerprint(d.text)) for d in docs])
        assert (r1.added, r1.duplicates) == (5, 0)
        assert (r2.added, r2.duplicates) == (0, 5)
        assert s.count() == 5
        key = s.find("d3")[0].key
        assert s.text(key) == docs[3].text
        assert s.check() == []
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_failed_batch_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(2)])

        def boom():  # a batch whose feature stream fails half way
            yield (Document(text="a new document about ships", id="x"), {1, 2, 3})
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            s.add_batch(boom())
        assert s.count() == 2
        assert s.check() == []


def test_transaction_rolls_back_and_reports_sqlite_errors_as_one_line(tmp_path: Path) -> None:
    """The one write transaction of the store and the xling index: a failing statement
    undoes the statements before it and leaves as the store's one-line error."""
    with Store(tmp_path / "s.db") as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(2)])
        with pytest.raises(StoreError, match=r"s\.db") as err, s.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'x')")
            conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'again')")  # unique key
        assert "\n" not in str(err.value) and isinstance(err.value.__cause__, sqlite3.Error)
        assert not s.conn.in_transaction
        assert s.conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'note'").fetchone()[0] == 0
        with s.transaction() as conn:  # the store still writes afterwards
            conn.execute("INSERT INTO meta(key, value) VALUES ('note', 'kept')")
        assert s.conn.execute("SELECT value FROM meta WHERE key = 'note'").fetchone()[0] == "kept"
        assert s.count() == 2 and s.check() == []


def test_missing_store_and_garbage_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "nope.db", create=False)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not"):
        Store(bad)


def test_an_empty_file_is_no_store_to_open_and_is_left_empty(tmp_path: Path) -> None:
    # Before (robust35): SQLite reads an empty file as an empty database, so `unspin upgrade`,
    # `reindex` and `xling index` (which open an existing store: create=False) wrote a new
    # store into it and said "up to date"; the read-only openers said "no such table: meta".
    empty = tmp_path / "notes.txt"
    empty.touch()
    for readonly in (False, True):
        with pytest.raises(StoreError, match=r"notes.txt: an empty file, not a store\. Create"):
            Store(empty, create=False, readonly=readonly)
    for command in (["upgrade"], ["reindex"], ["stats"]):
        res = CliRunner().invoke(main, [*command, "--db", str(empty)])
        assert (res.exit_code, res.output) == (
            1,
            f"Error: {empty}: an empty file, not a store. Create one with: unspin ingest "
            f"FILES --db {empty}\n",
        ), command
    assert empty.stat().st_size == 0
    with Store(empty) as made:  # ingest (create=True) still makes a store in it
        made.add_batch([(Document(text="Dock workers walked out.", id="d"), [1, 2])])
    with Store(empty, create=False, readonly=True) as again:
        assert again.count() == 1


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_file_sqlite_keeps_beside_a_store_is_no_store(tmp_path: Path, suffix: str) -> None:
    # Before (robust35): `ingest a.txt --db s.db-wal` made a store in s.db's log (there or
    # not: an empty log while a server holds s.db open), "1 documents added", exit 0, and
    # SQLite reset the log, the document with it, at the server's next write.
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add_batch([(Document(text="Dock workers walked out.", id="d"), [1, 2])])
    side = tmp_path / f"s.db{suffix}"
    article = tmp_path / "a.txt"
    article.write_text("Heavy rain flooded the old town overnight.", encoding="utf-8")
    for present in (False, True):
        if present:
            side.touch()
        for create in (True, False):
            with pytest.raises(StoreError, match=rf"s\.db{suffix}: a file SQLite keeps beside"):
                Store(side, create=create)
        res = CliRunner().invoke(main, ["ingest", str(article), "--db", str(side), "-q"])
        assert (res.exit_code, res.output) == (
            1,
            f"Error: {side}: a file SQLite keeps beside the store {db}, not a store; give "
            f"the store itself (--db {db})\n",
        )
        assert side.exists() == present and (not present or side.stat().st_size == 0)
    with Store(db, create=False, readonly=True) as store:
        assert store.count() == 1
    other = tmp_path / "notes-wal"  # a name that ends so, with no store beside it, is a name
    with Store(other) as store:
        assert store.count() == 0


def test_a_store_path_that_is_a_link_leading_nowhere_is_named_so(tmp_path: Path) -> None:
    # Before (robust35): a loop of links said "cannot open the store (unable to open database
    # file); check that its folder exists ..." (ingest) or "no such store" (the others); a
    # link into a folder that does not exist, the first of these.
    (tmp_path / "a.db").symlink_to("b.db")
    (tmp_path / "b.db").symlink_to("a.db")
    for create in (True, False):
        with pytest.raises(StoreError, match=r"a\.db: too many levels of symbolic links"):
            Store(tmp_path / "a.db", create=create)
    broken = tmp_path / "broken.db"
    broken.symlink_to(tmp_path / "gone" / "s.db")
    with pytest.raises(StoreError, match=r"broken\.db: a symbolic link to .*gone/s\.db, whose fo"):
        Store(broken)
    with pytest.raises(StoreError, match=r"broken\.db: no such store \(a broken symbolic link"):
        Store(broken, create=False)
    later = tmp_path / "later.db"  # a link to a store yet to be made: ingest makes it there
    later.symlink_to("made.db")
    with Store(later) as store:
        assert store.count() == 0
    assert (tmp_path / "made.db").is_file()


def test_unicode_text_is_kept_verbatim(tmp_path: Path) -> None:
    text = "Zürich \u00a0 naïve — “quotes” \u0019s and emoji 🙂\r\nline"
    with Store(tmp_path / "s.db") as s:
        s.add_batch([(Document(text=text, id="u"), fingerprint(text))])
        assert s.text(s.find("u")[0].key) == text


def test_stale_store_asks_for_reindex_and_reindex_rebuilds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from unspin.cli import main

    db = tmp_path / "old.db"
    docs = _docs(30)
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in docs])
        before = sorted(s.conn.execute("SELECT feature, doc FROM postings"))
        # Pretend the store was written by an older unspin with other fingerprints.
        s.conn.execute("UPDATE meta SET value = '0' WHERE key = 'feature_version'")
        s.conn.execute("DELETE FROM postings WHERE doc % 2 = 0")
        s.conn.commit()
    with pytest.raises(StoreError, match="unspin reindex"):
        Store(db)
    res = CliRunner().invoke(main, ["reindex", "--db", str(db)])
    assert res.exit_code == 0, res.output
    with Store(db) as s:
        assert sorted(s.conn.execute("SELECT feature, doc FROM postings")) == before
        assert s.check() == []
        assert s.count() == 30


def test_a_reindex_started_while_another_runs_takes_over_and_the_index_stays_right(
    tmp_path: Path,
) -> None:
    # Before (robust35): both wrote every text's postings and counted them twice; the store
    # then failed its check ("feature statistics disagree with postings") and every command
    # refused it. Two `unspin reindex` started together did this every time.
    db = tmp_path / "s.db"
    docs = _docs(30)
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in docs])
        before = sorted(s.conn.execute("SELECT feature, doc FROM postings"))
    second_done: list[int] = []

    def start_the_second(done: int) -> None:
        if not second_done:  # after the first run's first batch, another run starts and ends
            with Store(db, create=False, allow_stale=True) as other:
                second_done.append(other.reindex(fingerprint, batch_size=7))

    with (
        Store(db, create=False, allow_stale=True) as first,
        pytest.raises(StoreError, match="another re-index started on this store while this one"),
    ):
        first.reindex(fingerprint, batch_size=10, on_batch=start_the_second)
    assert second_done == [30]
    with Store(db, create=False) as s:
        assert s.check() == []
        assert sorted(s.conn.execute("SELECT feature, doc FROM postings")) == before
        assert not s.conn.execute("SELECT key FROM meta WHERE key LIKE 'reindex%'").fetchall()


def _one_line_error(res: object, *needles: str) -> str:
    """The CLI's error line, after checking it is one line and the exit is non-zero."""
    from click.testing import Result

    assert isinstance(res, Result)
    assert res.exit_code != 0, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    line = res.output.strip().splitlines()[-1]
    assert line.startswith("Error: "), res.output
    for needle in needles:
        assert needle in line, res.output
    return line


def test_write_lock_held_past_the_timeout_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from unspin import store as store_module
    from unspin.cli import main

    db = tmp_path / "s.db"
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(3)])
    article = tmp_path / "a.txt"
    article.write_text("A new story about the harbour of a town and its many boats.")
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        with Store(db, busy_timeout=0.2) as s, pytest.raises(StoreError, match="write lock"):
            s.add_batch([(d, fingerprint(d.text)) for d in _docs(5)])
        monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
        res = CliRunner().invoke(main, ["ingest", str(article), "--db", str(db), "-q"])
        _one_line_error(res, str(db), "write lock", "try again")
    finally:
        holder.rollback()
        holder.close()
    with Store(db) as s:
        assert s.count() == 3  # the refused batch left nothing behind
        assert s.check() == []


def test_non_integer_meta_value_is_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from unspin.cli import main

    db = tmp_path / "s.db"
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(3)])
        s.conn.execute("UPDATE meta SET value = 'three' WHERE key = 'schema_version'")
        s.conn.commit()
    with pytest.raises(StoreError, match="schema_version"):
        Store(db, create=False)
    for command in ("stats", "check", "reindex"):
        res = CliRunner().invoke(main, [command, "--db", str(db)])
        _one_line_error(res, str(db), "schema_version", "'three'")


@pytest.mark.parametrize("key", ["schema_version", "feature_version"])
def test_store_from_a_newer_unspin_says_upgrade_not_reindex(tmp_path: Path, key: str) -> None:
    from click.testing import CliRunner

    from unspin.cli import main

    db = tmp_path / "s.db"
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(3)])
        s.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ?", (key,))
        s.conn.commit()
        before = dict(s.conn.execute("SELECT key, value FROM meta"))
    for command in ("stats", "reindex", "check"):
        res = CliRunner().invoke(main, [command, "--db", str(db)])
        line = _one_line_error(res, str(db), "newer", "upgrade unspin")
        assert "reindex" not in line
    conn = sqlite3.connect(db)
    assert dict(conn.execute("SELECT key, value FROM meta")) == before  # not downgraded
    conn.close()


def test_metadata_search_sites_and_generation_are_store_queries(tmp_path: Path) -> None:
    """What the web app's Corpus page asks of the store, without SQL of its own."""
    docs = [
        Document(text="Gold prices rose in London trading today.", id="a_1", site="ft.com"),
        Document(text="Copper fell in Chile after the strike ended.", id="b%2", site="ft.com"),
        Document(text="Rain flooded the old town of Prague overnight.", id="c3", title="Rain"),
    ]
    with Store(tmp_path / "s.db") as s:
        assert s.generation() == (0, 0)
        s.add_batch([(d, fingerprint(d.text)) for d in docs])
        assert s.generation()[0] == 1
        assert s.largest_sites() == [("ft.com", 2), (None, 1)]
        assert s.largest_sites(1) == [("ft.com", 2)]
        everything, total = s.search_metadata("")
        assert [d.id for d in everything] == ["a_1", "b%2", "c3"] and total == 3
        page, total = s.search_metadata("", offset=1, limit=1)
        assert [d.id for d in page] == ["b%2"] and total == 3
        # LIKE wildcards typed by a user match literally; case is ignored.
        assert [d.id for d in s.search_metadata("%")[0]] == ["b%2"]
        assert [d.id for d in s.search_metadata("_")[0]] == ["a_1"]
        assert [d.id for d in s.search_metadata("RAIN")[0]] == ["c3"]
        assert s.search_metadata("FT.COM")[1] == 2
        # A NUL ended LIKE's pattern, so that it matched every document.
        assert s.search_metadata("\x00") == ([], 0)
        assert s.search_metadata("c\x003") == ([], 0)
        assert [d.id for d in s.find_title("rai")] == ["c3"] and s.find_title("\x00") == []


def test_check_names_a_text_row_that_went_missing(tmp_path: Path) -> None:
    """A text deleted under its document and its postings is reported twice, each count once."""
    with Store(tmp_path / "s.db") as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(3)])
        key = s.find("d1")[0].key
        with s.conn:
            s.conn.execute("DELETE FROM texts WHERE key = ?", (key,))
        problems = s.check()
    assert "1 texts in postings are missing from texts" in problems
    assert "1 documents have no text (or the wrong one)" in problems


def test_features_by_document_are_each_texts_fingerprint_while_no_posting_was_dropped(
    tmp_path: Path,
) -> None:
    # What `cluster --db` reads instead of fingerprinting the texts again: every document's
    # features ascending, a copy's those of its text, a text without features none; None once
    # the cap took a feature's postings away.
    docs = [*_docs(6), Document(text=_docs(1)[0].text, id="copy"), Document(text="Hi.", id="hi")]
    for cap, complete in ((2000, True), (2, False)):
        with Store(tmp_path / f"cap{cap}.db", postings_cap=cap) as store:
            store.add_batch((d, fingerprint(d.text)) for d in docs)
            found = store.features_by_document()
            if not complete:
                assert found is None
                continue
            assert found is not None and len(found) == len(docs) == store.count()
            for doc, text in store.iter_documents():
                assert found[doc.key] == sorted(fingerprint(text))
            assert found[store.find("hi")[0].key] == []


def test_check_and_stats_say_how_many_documents_hold_names_over_the_limit(tmp_path: Path) -> None:
    """A store written before robust36 may hold an id, title, URL, site or path of any
    length; every report shows its first 8,192 characters (robust37), and up to robust37
    neither ``check`` nor ``stats`` said the store held one. ``check`` now names them (the
    first ten, then how many more) and still passes the store; ``stats`` counts them."""
    import json

    db = tmp_path / "s.db"
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(14)])
    with sqlite3.connect(db) as conn:  # as an older unspin stored them
        conn.execute("UPDATE documents SET title = ? WHERE id = 'd1'", ("t" * 9_000,))
        conn.execute("UPDATE documents SET path = ?, url = ? WHERE id = 'd2'", ("p" * 8_193, "u"))
        # Multi-byte characters: 8,192 of them are over 8,192 bytes but not over the limit.
        conn.execute("UPDATE documents SET site = ? WHERE id = 'd3'", ("é" * 8_192,))
        conn.execute("UPDATE documents SET id = ? WHERE id = 'd4'", ("é" * 8_193,))
        for n in range(5, 14):
            conn.execute("UPDATE documents SET url = ? WHERE id = ?", ("u" * 10_000, f"d{n}"))
    runner = CliRunner()
    res = runner.invoke(main, ["check", "--db", str(db)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == (
        "note: 12 documents hold a name (id, title, URL, site or path) over 8,192 characters, "
        "stored by an older unspin; every report shows its first 8,192 and says how long it "
        "is; the first 10 of them:"
    )
    assert lines[1:5] == [
        "note:   document 2: title of 9,000 characters",
        "note:   document 3: path of 8,193 characters",
        "note:   document 5: id of 8,193 characters",
        "note:   document 6: url of 10,000 characters",
    ]
    # The list stops at ten and says how many it left out (up to robust39 it said nothing).
    assert lines[11] == "note:   and 2 more"
    assert len(lines) == 13 and lines[-1] == "ok: 14 documents, store is consistent"
    res = runner.invoke(main, ["stats", "--db", str(db), "--json"])
    assert json.loads(res.output)["long_names"] == 12
    with Store(db, create=False, readonly=True) as s:
        assert s.long_names(listed=1) == (12, ["document 2: title of 9,000 characters"])
    # A store of names within the limit says nothing more.
    fine = tmp_path / "fine.db"
    with Store(fine) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in _docs(2)])
    res = runner.invoke(main, ["check", "--db", str(fine)])
    assert res.output == "ok: 2 documents, store is consistent\n"
