"""The compact store (schema v2) against the straightforward reading of the same corpus.

Feature statistics keep rows only for features held by two or more documents; a test pins
every document frequency the store reports, and every (feature, doc) posting, to a plain count
over the fingerprints.
"""

import sqlite3
from collections import Counter
from pathlib import Path

from unspin.features import fingerprint
from unspin.store import Store
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
