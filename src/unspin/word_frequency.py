"""English word frequencies from wordfreq, through a cached SQLite table read one word at a time.

Importing wordfreq and loading its English list costs about a fifth of a second, a quarter of
a cold ``unspin compare``, which looks up a few hundred words. The Zipf frequency of every
letters-only word of that list, as ``wordfreq.zipf_frequency`` gives it, is written once to
an SQLite file under the user cache directory; a lookup is then one indexed query. Other
words (digits, apostrophes, accents) go to wordfreq itself, whose tokenizer decides what they
are. ``tests/test_word_frequency.py`` checks the table against wordfreq.

>>> zipf("the") > 7 > zipf("Government") > 0 == zipf("qqqzzz")
True
>>> top_words(3)
('the', 'to', 'and')
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from .cache import cache_dir

_VERSION = 1
_TOP = 500  # the most frequent words kept in order (unspin's stopword cuts use the first 200)


def _wordfreq_list() -> Path:
    """wordfreq's English list, found without importing wordfreq."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ImportError("wordfreq is not installed")
    return Path(spec.origin).parent / "data" / "large_en.msgpack.gz"


def _is_plain(word: str) -> bool:
    """Letters a-z only: wordfreq reads such a word as the one token ``word.lower()``."""
    return word.isascii() and word.isalpha()


def _build(path: Path) -> None:
    import wordfreq

    rows = [
        (w, float(wordfreq.zipf_frequency(w, "en")))
        for w in wordfreq.get_frequency_dict("en")
        if _is_plain(w) and w == w.lower()
    ]
    tmp = path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")  # one per builder
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as db:
        db.execute("CREATE TABLE zipf (word TEXT PRIMARY KEY, zipf REAL NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO zipf VALUES (?, ?)", rows)
        db.execute("CREATE TABLE top (rank INTEGER PRIMARY KEY, word TEXT NOT NULL)")
        db.executemany("INSERT INTO top VALUES (?, ?)", enumerate(wordfreq.top_n_list("en", _TOP)))
    db.close()
    os.replace(tmp, path)


@lru_cache(maxsize=1)
def _table() -> sqlite3.Connection | None:
    """The cached table, built on first use; None where no cache can be written (a read-only
    home): wordfreq then answers itself, as fast as before the cache."""
    try:
        source = _wordfreq_list().stat()
        name = f"wordfreq-en-v{_VERSION}-{source.st_size}-{source.st_mtime_ns}.sqlite"
        path = cache_dir() / name
        for _ in range(2):
            if not path.exists():
                _build(path)
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            try:
                (count,) = db.execute("SELECT count(*) FROM top").fetchone()
                if count == _TOP:
                    return db
            except sqlite3.DatabaseError:
                pass
            db.close()
            path.unlink(missing_ok=True)  # a torn cache file is rebuilt, never trusted
    except (OSError, sqlite3.Error):
        pass
    return None


@lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    """Zipf frequency of a word in English (0 = unknown, 7 = 'the'), as wordfreq gives it."""
    table = _table() if _is_plain(word) else None
    if table is None:
        import wordfreq

        return float(wordfreq.zipf_frequency(word, "en"))
    found = table.execute("SELECT zipf FROM zipf WHERE word = ?", (word.lower(),)).fetchone()
    return float(found[0]) if found else 0.0


def top_words(n: int) -> tuple[str, ...]:
    """The ``n`` most frequent English words (``n`` ≤ 500), as ``wordfreq.top_n_list``."""
    if not 0 <= n <= _TOP:
        raise ValueError(f"top_words keeps the {_TOP} most frequent words, not {n}")
    table = _table()
    if table is None:
        import wordfreq

        return tuple(wordfreq.top_n_list("en", n))
    rows = table.execute("SELECT word FROM top ORDER BY rank LIMIT ?", (n,)).fetchall()
    return tuple(word for (word,) in rows)
