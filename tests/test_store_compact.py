"""The compact store (schema v2) against the straightforward reading of the same corpus.

Feature statistics keep rows only for features held by two or more documents; a test pins
every document frequency the store reports, and every (feature, doc) posting, to a plain count
over the fingerprints.
"""

import sqlite3
from collections import Counter
from pathlib import Path

from unspin.fingerprints import fingerprint
from unspin.store import SCHEMA_VERSION, Store
from unspin.types import Document, content_hash

WORDS = "harbour boats rates bank minister grain wheat oil price tonnes shares profit".split()


def _corpus(n: int) -> list[Document]:
    # Overlapping texts: many features shared by a few documents, many held by one.
    docs = []
    for i in range(n):
        a, b, c = WORDS[i % 12], WORDS[(i * 5) % 12], WORDS[(i * 7 + 3) % 12]
        text = (
            f"The {a} of the town said on Monday that {b} would rise by {i % 4} pct. "
            f"It was the first time since the {c} fell that the {a} of {b} was up, "
            f"and officials in region {i} said they expected more of the same in {1980 + i}."
        )
        docs.append(Document(text=text, id=f"d{i}"))
    return docs


def test_postings_and_frequencies_equal_a_plain_count(tmp_path: Path) -> None:
    docs = _corpus(40)
    with Store(tmp_path / "s.db") as s:
        for i in range(0, len(docs), 7):  # several batches: statistics grow across them
            s.add_batch([(d, fingerprint(d.text)) for d in docs[i : i + 7]])
        keys = {d.id: s.find(d.id)[0].key for d in docs}
        expected = {(f, keys[d.id]) for d in docs for f in fingerprint(d.text)}
        everything = sorted({f for f, _ in expected})
        assert set(s.postings(everything)) == expected
        naive = Counter(f for f, _ in expected)
        assert s.document_frequencies(everything) == dict(naive)
        assert s.document_frequencies([12345, -7]) == {}  # unknown features: absent
        assert 1 in naive.values() and max(naive.values()) > 2  # both kinds were exercised
        stored = dict(s.conn.execute("SELECT feature, df FROM featstats"))
        assert stored == {f: n for f, n in naive.items() if n >= 2}
        assert s.check() == []


def test_check_notices_statistics_that_disagree(tmp_path: Path) -> None:
    docs = _corpus(12)
    with Store(tmp_path / "s.db") as s:
        s.add_batch([(d, fingerprint(d.text)) for d in docs])
        with s.conn:
            s.conn.execute(
                "DELETE FROM featstats WHERE feature = (SELECT MIN(feature) FROM featstats)"
            )
        assert any("statistics" in p for p in s.check())
    with Store(tmp_path / "t.db") as s:
        s.add_batch([(d, fingerprint(d.text)) for d in docs])
        with s.conn:
            s.conn.execute("INSERT INTO featstats(feature, df) VALUES (99, 1)")
        assert any("statistics" in p for p in s.check())


def test_reingest_keeps_statistics_and_hash_lookup(tmp_path: Path) -> None:
    docs = _corpus(10)
    db = tmp_path / "s.db"
    with Store(db) as s:
        s.add_batch([(d, fingerprint(d.text)) for d in docs])
        before = list(s.conn.execute("SELECT feature, df FROM featstats ORDER BY feature"))
        assert s.add_batch([(d, fingerprint(d.text)) for d in docs]).added == 0
        assert list(s.conn.execute("SELECT feature, df FROM featstats ORDER BY feature")) == before
        hashes = [content_hash(d.text) for d in docs[:3]] + ["00" * 32]
        assert s.known_hashes(hashes) == set(hashes[:3])
    assert sqlite3.connect(db).execute(
        "SELECT COUNT(*) FROM featstats WHERE df < 2"
    ).fetchone() == (0,)


def test_postings_cap_drops_exactly_the_features_over_it(tmp_path: Path) -> None:
    """Schema v3: a feature held by more than ``postings_cap`` documents keeps its df and has
    no postings; every other posting and df equals the plain count (as without a cap)."""
    docs = _corpus(40)
    cap = 3
    with Store(tmp_path / "s.db", postings_cap=cap) as s:
        for i in range(0, len(docs), 7):
            s.add_batch([(d, fingerprint(d.text)) for d in docs[i : i + 7]])
        keys = {d.id: s.find(d.id)[0].key for d in docs}
        expected = {(f, keys[d.id]) for d in docs for f in fingerprint(d.text)}
        naive = Counter(f for f, _ in expected)
        everything = sorted(naive)
        assert s.document_frequencies(everything) == dict(naive)
        kept = {(f, k) for f, k in expected if naive[f] <= cap}
        assert set(s.postings(everything)) == kept
        assert any(n > cap for n in naive.values())  # the cap was exercised ...
        assert any(1 < n <= cap for n in naive.values())  # ... and so was keeping
        assert s.check() == []
        # A feature over the cap that still has postings is an inconsistency check() sees.
        over = next(f for f, n in naive.items() if n > cap)
        with s.conn:
            s.conn.execute("INSERT INTO postings(feature, doc) VALUES (?, ?)", (over, 1))
        assert any("statistics" in p for p in s.check())


def test_capped_store_retrieves_like_an_uncapped_one(tmp_path: Path) -> None:
    """Retrieval never reads features over its df limit, so capping their postings at that
    limit changes no ranking."""
    from unspin.retrieve import RetrievalConfig, candidates

    docs = _corpus(40)
    cfg = RetrievalConfig(max_df=4, max_df_share=1.0)
    ranked = []
    for name, cap in (("capped.db", 4), ("full.db", 10_000)):
        with Store(tmp_path / name, postings_cap=cap) as s:
            s.add_batch([(d, fingerprint(d.text)) for d in docs])
            ranked.append([candidates(s, d.text, cfg).ranked for d in docs[:10]])
    assert ranked[0] == ranked[1]
    assert all(r for r in ranked[0])


def test_reindex_upgrades_a_schema_v2_store(tmp_path: Path) -> None:
    """A v2 store (hex hashes, plain zlib texts, no cap) opens only for reindex, which brings
    it to the current schema without touching the texts; re-ingest then still recognises
    every document."""
    import zlib

    from store_v3 import build_v3_store
    from unspin.errors import StoreError

    docs = _corpus(9)
    db = build_v3_store(tmp_path / "old.db", docs)
    # Turn it into what schema v2 wrote.
    con = sqlite3.connect(db)
    with con:
        for key, text in [(k, d.text) for k, d in zip(range(1, 10), docs, strict=True)]:
            con.execute(
                "UPDATE documents SET hash = ?, text = ? WHERE key = ?",
                (content_hash(text), zlib.compress(text.encode()), key),
            )
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        con.execute("DELETE FROM meta WHERE key = 'postings_cap'")
        con.execute("DELETE FROM zdicts")
    con.close()
    try:
        Store(db)
        raise AssertionError("a v2 store must ask for reindex")
    except StoreError as exc:
        assert "reindex" in str(exc)
    with Store(db, allow_stale=True) as s:
        assert s.stats()["schema_version"] == 2
        assert s.reindex(fingerprint) == 9
        assert s.stats()["schema_version"] == SCHEMA_VERSION
    with Store(db) as s:
        assert s.check() == []
        assert s.add_batch([(d, fingerprint(d.text)) for d in docs]).added == 0
        assert [s.text(s.find(d.id)[0].key) for d in docs] == [d.text for d in docs]
        assert s.postings_cap is not None
        # A new text goes in with its language (the v5 column exists after the upgrade).
        new = Document(id="new", text="A new text about the harbour strike, written in English.")
        assert s.add_batch([(new, fingerprint(new.text))], ["en"]).added == 1
        key = s.find("new")[0].key
        assert s.conn.execute("SELECT lang FROM texts WHERE key = ?", (key,)).fetchone() == ("en",)
