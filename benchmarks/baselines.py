"""The two retrieval baselines every unspin benchmark reports beside unspin itself.

Benchmark scripts in this folder import it as a sibling module (``python benchmarks/x.py`` puts
this folder first on ``sys.path``)::

    from baselines import FTS5BM25Baseline, MinHashLSHBaseline

Both take documents with :meth:`add` (or :meth:`from_documents`) and answer
``query(article, k) -> list of document ids``, best first, so a benchmark can score them exactly
like unspin's own retrieval.

- :class:`FTS5BM25Baseline` is what a developer gets from SQLite alone: full-text search ranked
  by BM25, queried window by window so a long article does not become one huge OR.
- :class:`MinHashLSHBaseline` is the standard near-duplicate detector (datasketch MinHash over
  word 5-gram shingles with LSH). Spinning breaks most 5-grams, which is the point of comparing.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from unspin.errors import require
from unspin.text import STOPWORDS, tokenize
from unspin.types import Document

WINDOW_CHARS = 1000  # article windows queried separately by the BM25 baseline
PER_WINDOW = 50  # hits kept per window before voting
RRF_K = 60  # reciprocal-rank-fusion constant (Cormack et al. 2009)
NUM_PERM = 128
SHINGLE_WORDS = 5
# LSH Jaccard threshold. 0.3 is low for near-duplicate detection (0.5-0.8 is usual) so that a
# half-spliced article (Jaccard about 0.3 with each source) can still be found; lower values
# make the LSH bands so wide that most of the corpus becomes a candidate.
LSH_THRESHOLD = 0.3


def _pairs(docs: Iterable[Document | tuple[str, str]]) -> Iterable[tuple[str, str]]:
    for doc in docs:
        yield (doc.id, doc.text) if isinstance(doc, Document) else doc


class FTS5BM25Baseline:
    """SQLite FTS5 (porter stemming) with BM25 ranking, voted across 1,000-character windows."""

    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(text, tokenize='porter unicode61')"
        )
        self._ids: list[str] = []

    @classmethod
    def from_documents(cls, docs: Iterable[Document | tuple[str, str]]) -> FTS5BM25Baseline:
        index = cls()
        index.add_many(docs)
        return index

    def add(self, doc_id: str, text: str) -> None:
        self.add_many([(doc_id, text)])

    def add_many(self, docs: Iterable[Document | tuple[str, str]]) -> None:
        with self._db:
            for doc_id, text in _pairs(docs):
                self._ids.append(doc_id)
                self._db.execute(
                    "INSERT INTO docs(rowid, text) VALUES (?, ?)", (len(self._ids), text)
                )

    @staticmethod
    def match_expression(window: str) -> str | None:
        """An FTS5 OR query of the window's distinct non-stopword terms, each quoted."""
        terms = dict.fromkeys(
            w for w in tokenize(window).norms if len(w) > 1 and w not in STOPWORDS
        )
        if not terms:
            return None
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)

    def query(self, text: str, k: int = 10) -> list[str]:
        """The ``k`` best document ids for an article, by reciprocal-rank votes of its windows."""
        votes: dict[int, float] = defaultdict(float)
        for start in range(0, max(len(text), 1), WINDOW_CHARS):
            expression = self.match_expression(text[start : start + WINDOW_CHARS])
            if expression is None:
                continue
            rows = self._db.execute(
                "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                (expression, PER_WINDOW),
            ).fetchall()
            for rank, (rowid,) in enumerate(rows):
                votes[rowid] += 1.0 / (RRF_K + rank + 1)
        best = sorted(votes, key=lambda r: (-votes[r], r))[:k]
        return [self._ids[r - 1] for r in best]

    def close(self) -> None:
        self._db.close()

    def __len__(self) -> int:
        return len(self._ids)


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[bytes]:
    """Word n-grams of the normalised tokens (the whole text when it has fewer than n words)."""
    words = tokenize(text).norms
    if len(words) < n:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


class MinHashLSHBaseline:
    """datasketch MinHash (128 permutations) of word 5-gram shingles, MinHashLSH at 0.3,
    candidates ranked by estimated Jaccard similarity."""

    def __init__(self, threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM) -> None:
        datasketch: Any = require("datasketch", "bench", "MinHash baseline")
        self._ds = datasketch
        self.num_perm = num_perm
        self._lsh = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sketches: dict[str, Any] = {}

    @classmethod
    def from_documents(cls, docs: Iterable[Document | tuple[str, str]]) -> MinHashLSHBaseline:
        index = cls()
        index.add_many(docs)
        return index

    def sketch(self, text: str) -> Any:
        minhash = self._ds.MinHash(num_perm=self.num_perm)
        minhash.update_batch(list(shingles(text)))
        return minhash

    def add(self, doc_id: str, text: str) -> None:
        if doc_id in self._sketches:
            raise ValueError(f"document id {doc_id!r} was already added")
        minhash = self.sketch(text)
        self._sketches[doc_id] = minhash
        self._lsh.insert(doc_id, minhash)

    def add_many(self, docs: Iterable[Document | tuple[str, str]]) -> None:
        for doc_id, text in _pairs(docs):
            self.add(doc_id, text)

    def query(self, text: str, k: int = 10) -> list[str]:
        """Up to ``k`` LSH candidates of the article, by estimated Jaccard, best first."""
        minhash = self.sketch(text)
        found = self._lsh.query(minhash)
        scored = sorted((-minhash.jaccard(self._sketches[d]), d) for d in found)
        return [d for _, d in scored[:k]]

    def __len__(self) -> int:
        return len(self._sketches)
