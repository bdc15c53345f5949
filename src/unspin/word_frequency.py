"""English word frequencies from wordfreq, through a cached SQLite table read one word at a time.

Importing wordfreq and loading its English list costs about a fifth of a second, a quarter of
a cold ``unspin compare``, which looks up a few hundred words. The Zipf frequency of every
letters-only word of that list, as ``wordfreq.zipf_frequency`` gives it, is written once to
an SQLite file under the user cache directory; a lookup is then one indexed query. The table
also holds every number of up to four digits (wordfreq estimates their frequencies by a
formula) and each word's raw frequency, from which a phrase of such words ("come to", the
multi-word thesaurus entries that ``score`` asks about) gets wordfreq's own combination
(``1/f = 1/f1 + 1/f2 + ...``, rounded as wordfreq rounds). A word of ASCII letters and
digits ("hpv16", "123456", which ``trace`` asks about) gets wordfreq's reading from the list's
entries with digits and wordfreq's estimate of each run of digits, both in the table. Other
words (apostrophes, accents, runs of over 32 digits) go to wordfreq itself, whose tokenizer
decides what they are: importing it and reading its list cost half a second of a cold
``unspin score`` that asked it about phrases and numbers, and 0.2-0.3 s of a cold ``trace``
that met "hpv16". ``tests/test_word_frequency.py`` checks the table against wordfreq.

>>> zipf("the") > zipf("come to") > zipf("price war") > 0 == zipf("qqqzzz")
True
>>> top_words(3)
('the', 'to', 'and')
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from .cache import announce_build, cache_dir, prune_older_versions, removed_on_failure

_VERSION = 3  # 2: raw frequencies for phrases, numbers of up to four digits; 3: words with digits
_TOP = 500  # the most frequent words kept in order (unspin's stopword cuts use the first 200)
_DIGITS = 4  # numbers this long or shorter are in the table
_RUN_DIGITS = 32  # words whose runs of digits are this long or shorter are answered by the table
_DIGIT_RUN = re.compile(
    r"[0-9]{2,}"
)  # wordfreq's "\d[\d.,]+" in a word of ASCII letters and digits


def _wordfreq_list() -> Path:
    """wordfreq's English list, found without importing wordfreq."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ImportError("wordfreq is not installed")
    return Path(spec.origin).parent / "data" / "large_en.msgpack.gz"


def _is_plain(word: str) -> bool:
    """Letters a-z only: wordfreq reads such a word as the one token ``word.lower()``."""
    return word.isascii() and word.isalpha()


def _is_number(word: str) -> bool:
    """A number the table holds: ASCII digits only, at most :data:`_DIGITS` of them."""
    return word.isascii() and word.isdigit() and len(word) <= _DIGITS


def _is_digit_word(word: str) -> bool:
    """ASCII letters and digits, with a digit ("hpv16", "123456"), and not a number the
    table holds: wordfreq reads such a word as the one token ``word.lower()``, whose runs of
    two or more digits it reads as zeros and then weighs by its estimate of each run."""
    return word.isascii() and word.isalnum() and not word.isalpha() and not _is_number(word)


def _phrase_words(phrase: str) -> list[str] | None:
    """The words of a phrase of plain words joined by single spaces (as wordfreq's tokenizer
    splits it), or None for anything else."""
    words = phrase.split(" ")
    if len(words) < 2 or not all(_is_plain(w) for w in words):
        return None
    return [w.lower() for w in words]


def _build(path: Path) -> None:
    import wordfreq
    from wordfreq.numbers import digit_freq

    announce_build("the word-frequency table of wordfreq", path)
    frequencies = wordfreq.get_frequency_dict("en")
    rows: list[tuple[str, float, float | None]] = [
        (w, float(wordfreq.zipf_frequency(w, "en")), float(f))
        for w, f in frequencies.items()
        if _is_plain(w) and w == w.lower()
    ]
    numbers = (str(k).zfill(width) for width in range(1, _DIGITS + 1) for k in range(10**width))
    rows += [(n, float(wordfreq.zipf_frequency(n, "en")), None) for n in numbers]
    tmp = path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")  # one per builder
    tmp.unlink(missing_ok=True)
    with removed_on_failure(tmp):
        with sqlite3.connect(tmp) as db:
            db.execute(
                "CREATE TABLE zipf (word TEXT PRIMARY KEY, zipf REAL NOT NULL, freq REAL) WITHOUT ROWID"
            )
            db.executemany("INSERT INTO zipf VALUES (?, ?, ?)", rows)
            db.execute("CREATE TABLE top (rank INTEGER PRIMARY KEY, word TEXT NOT NULL)")
            db.executemany(
                "INSERT INTO top VALUES (?, ?)", enumerate(wordfreq.top_n_list("en", _TOP))
            )
            # Words with digits: the list's entries (digits runs as zeros, "hpv00", "000000") with
            # their raw frequencies, and wordfreq's estimate of each run of digits, made by its own
            # function: a run of four is a year (one row each), any other length depends only on
            # its first digit (one row per first digit and length, the rest zeros).
            db.execute(
                "CREATE TABLE digits (word TEXT PRIMARY KEY, freq REAL NOT NULL) WITHOUT ROWID"
            )
            db.executemany(
                "INSERT INTO digits VALUES (?, ?)",
                [(w, float(f)) for w, f in frequencies.items() if _is_digit_word(w)],
            )
            runs = [f"{k:04d}" for k in range(10_000)]
            runs += [
                f"{d}{'0' * (n - 1)}"
                for n in range(2, _RUN_DIGITS + 1)
                if n != 4
                for d in range(10)
            ]
            db.execute("CREATE TABLE runs (run TEXT PRIMARY KEY, freq REAL NOT NULL) WITHOUT ROWID")
            db.executemany(
                "INSERT INTO runs VALUES (?, ?)", [(r, float(digit_freq(r))) for r in runs]
            )
        db.close()
        os.replace(tmp, path)


# Every table's file name starts so (``wordfreq-en-v3-<digest>.sqlite``).
_FAMILY = "wordfreq-en-v"


def _table_name() -> str:
    """The table's file name, by the list's bytes, not its file's time: every install of the
    same wordfreq (a new virtual environment, a reinstall) shares one table (2-3 ms to hash
    the 1.5 MB list)."""
    digest = hashlib.blake2b(_wordfreq_list().read_bytes(), digest_size=8).hexdigest()
    return f"{_FAMILY}{_VERSION}-{digest}.sqlite"


def _table() -> sqlite3.Connection | None:
    """The cached table, built on first use; None where no cache can be written (a read-only
    home): wordfreq then answers itself, as fast as before the cache.

    Each process opens its own connection: a forked ingest worker went on using the one its
    parent opened, which SQLite forbids (up to robust30)."""
    return _table_in_process(os.getpid())


# Unbounded, keyed by process id: a forked child keeps its parent's entry, never used and
# never closed there. Closed in the child (by being dropped from the cache), it would close a
# descriptor of the file, and POSIX drops all of a process's locks on a file when any of its
# descriptors of it is closed: the child's own connection would lose its read lock.
@cache
def _table_in_process(pid: int) -> sqlite3.Connection | None:
    """:func:`_table` of the process ``pid``."""
    try:
        path = cache_dir() / _table_name()
        for _ in range(2):
            if not path.exists():
                _build(path)
                # One table stays in the cache, not one per wordfreq or unspin (10 MB each).
                prune_older_versions(path)
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
    """Zipf frequency of a word or phrase in English (0 = unknown, 7 = 'the'), as wordfreq
    gives it."""
    known = _looked_up.get(word)  # a key there is a plain word or number, in lower case
    if known is not None:
        return known
    listed = _is_plain(word) or _is_number(word)
    digits = not listed and _is_digit_word(word)
    phrase = None if listed or digits else _phrase_words(word)
    table = _table() if listed or digits or phrase else None
    found_zipf = None
    if table is not None and phrase is not None:
        found_zipf = _phrase_zipf(table, phrase)
    elif table is not None and digits:
        found_zipf = _digit_word_zipf(table, word.lower())
    elif table is not None:
        found = table.execute("SELECT zipf FROM zipf WHERE word = ?", (word.lower(),)).fetchone()
        found_zipf = float(found[0]) if found else 0.0
    if found_zipf is None:
        import wordfreq

        return float(wordfreq.zipf_frequency(word, "en"))
    return found_zipf


# Words :func:`look_up` read ahead, with their Zipf frequency (0.0: not in the table).
_looked_up: dict[str, float] = {}
_LOOKED_UP_MAX = 200_000  # then it starts again: a long-running server asks about many words
_CHUNK = 500  # words per query (SQLite allows 32,766 parameters; short statements are quicker)


def look_up(words: Iterable[str]) -> None:
    """Read the Zipf frequencies of ``words`` (those the table holds) in a few queries,
    ahead of :func:`zipf` asking about them one at a time: a query per word cost a trace
    ranking 1M documents' candidates 3 ms (22,700 words in 100 traces, benchmarks 6.3).
    What :func:`zipf` returns does not change."""
    table = _table()
    if table is None:
        return
    # Each word asked is looked for in the dictionary; the dictionary itself is never walked
    # (it grows to _LOOKED_UP_MAX words, and a server may run traces in several threads).
    asked = {w.lower() for w in set(words) if w not in _looked_up}
    new = sorted(w for w in asked if w not in _looked_up and (_is_plain(w) or _is_number(w)))
    if not new:
        return
    if len(_looked_up) + len(new) > _LOOKED_UP_MAX:
        _looked_up.clear()
    for i in range(0, len(new), _CHUNK):
        chunk = new[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found = dict(
            table.execute(f"SELECT word, zipf FROM zipf WHERE word IN ({marks})", chunk).fetchall()
        )
        _looked_up.update((w, float(found.get(w, 0.0))) for w in chunk)


# wordfreq's floor for zipf_frequency's default minimum of 0 (one in a billion words).
_FLOOR = 1e-9


def _phrase_zipf(table: sqlite3.Connection, words: list[str]) -> float:
    """wordfreq's ``zipf_frequency`` of a phrase, from its words' raw frequencies: the same
    operations in the same order as ``wordfreq._word_frequency`` (English: no penalty for
    the spaces), so the same float."""
    one_over = 0.0
    for word in words:
        found = table.execute("SELECT freq FROM zipf WHERE word = ?", (word,)).fetchone()
        if found is None or found[0] is None:
            return _MINIMUM_ZIPF  # a word it does not list
        one_over += 1.0 / found[0]
    return _rounded_zipf(1.0 / one_over)


# What wordfreq gives a word it does not list: its minimum.
_MINIMUM_ZIPF = round(math.log(_FLOOR, 10) + 9, 2)


def _rounded_zipf(frequency: float) -> float:
    """wordfreq's Zipf value of a combined frequency: at least its floor, rounded to three
    significant digits, then to two decimals on the Zipf scale."""
    frequency = max(frequency, _FLOOR)
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)  # 3 digits
    return round(math.log(frequency, 10) + 9, 2)


def _digit_word_zipf(table: sqlite3.Connection, word: str) -> float | None:
    """wordfreq's ``zipf_frequency`` of a word of ASCII letters and digits (lower case), in
    the operations of ``wordfreq._word_frequency`` and ``digit_freq``: the list's frequency
    of the word with its runs of digits as zeros, times the product of each run's estimate.
    None where a run is longer than the table holds."""
    runs = _DIGIT_RUN.findall(word)
    if any(len(run) > _RUN_DIGITS for run in runs):
        return None
    smashed = _DIGIT_RUN.sub(lambda m: "0" * len(m.group()), word)
    found = table.execute("SELECT freq FROM digits WHERE word = ?", (smashed,)).fetchone()
    if found is None:
        return _MINIMUM_ZIPF
    frequency = float(found[0])
    if smashed != word:
        estimate = 1.0
        for run in runs:
            key = run if len(run) == 4 else run[0] + "0" * (len(run) - 1)
            (run_freq,) = table.execute("SELECT freq FROM runs WHERE run = ?", (key,)).fetchone()
            estimate *= run_freq
        frequency *= estimate
    if not frequency:
        return None  # runs so many that the product is no number: wordfreq decides
    return _rounded_zipf(1.0 / (1.0 / frequency))  # wordfreq's 1/f = 1/f1 + ..., one token


def commonest(words: Iterable[str]) -> tuple[str, float] | None:
    """The most frequent of ``words`` (plain lower-case words) with its Zipf frequency, ties
    broken by the word; None when none is known. One query for all of them: a typo's
    neighbours are a few hundred words, nearly all unknown, which :func:`zipf` would ask
    about one at a time.

    >>> commonest(["goverment", "government", "govrnment"])
    ('government', 5.57)
    """
    asked = sorted({w for w in words if _is_plain(w) and w == w.lower()})
    table = _table()
    if table is None:
        found = [(-z, w) for w in asked if (z := zipf(w)) > 0]
        if not found:
            return None
        minus_zipf, word = min(found)  # the highest frequency, then the first word
        return word, -minus_zipf
    # One statement for any number of words (a list of placeholders is parsed anew for each
    # length, and costs twice the lookups).
    row = table.execute(
        "SELECT z.word, z.zipf FROM json_each(?) AS asked JOIN zipf AS z ON z.word = asked.value"
        " WHERE z.zipf > 0 ORDER BY z.zipf DESC, z.word LIMIT 1",
        (json.dumps(asked),),
    ).fetchone()
    return None if row is None else (row[0], float(row[1]))


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
