"""What tracing across languages reads from the store, written at ingest.

Every text has its language (``texts.lang``, core). A store ingested with ``--xling`` also
has one int8 vector per text (``xvectors``): the multilingual embedding of the text's lead
(:func:`.embed.lead`). A store remembers that it was (meta ``xling = 1``), so every later
ingest adds vectors too, and refuses to run without the extra rather than leave texts out.
Candidates are the texts whose vector is nearest the article's, in another language than
the article's: nothing is embedded from the corpus at query time.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import UnspinError
from ..store import Store
from . import claims
from .language import detect, same_language

META_KEY = "xling"
# Texts encoded and written per transaction by :func:`index_missing`.
BATCH = 256
# How often a run whose remaining texts are all claimed by another looks again.
WAIT_S = 0.5


@dataclass(frozen=True, slots=True)
class VectorHit:
    """A stored text near the article: its key, language and cosine similarity."""

    text_key: int
    lang: str | None
    similarity: float


def has_languages(store: Store) -> bool:
    """False for a v4 store opened read-only (its texts have no language column yet)."""
    return "lang" in [r[1] for r in store.conn.execute("PRAGMA table_info(texts)")]


def enabled(store: Store) -> bool:
    """True when the store keeps cross-language vectors (it was ingested with --xling)."""
    try:
        row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "1"


def enable(store: Store) -> None:
    """Mark the store as keeping vectors (needs the extra; see :func:`unspin.xling.require`)."""
    from . import require

    require()
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (META_KEY,))


def languages(store: Store) -> Counter[str]:
    """How many stored texts are in each language (``"?"``: not known)."""
    if not has_languages(store):
        return Counter({"?": store.text_count()})
    rows = store.conn.execute("SELECT COALESCE(lang, '?'), COUNT(*) FROM texts GROUP BY 1")
    return Counter({str(lang): int(n) for lang, n in rows})


def other_language(store: Store, text: str) -> bool:
    """Whether ``store`` keeps cross-language vectors and ``text`` is not written in its most
    common language: ``--languages auto`` (CLI) and "auto" (web) then trace across
    languages."""
    if not enabled(store):
        return False
    common = languages(store).most_common(1)
    lang = detect(text)
    return bool(common) and lang is not None and lang != common[0][0]


def unsearched_language(store: Store, text: str) -> tuple[str, str] | None:
    """``(the article's language, the store's most common)`` when ``store`` keeps no
    cross-language vectors and ``text`` is written in another language than most of its
    texts: a same-language trace of it finds nothing, however plainly it was translated from
    a stored text, and should say how to search across languages. None otherwise."""
    if enabled(store):
        return None
    common = [lang for lang, _ in languages(store).most_common() if lang != "?"][:1]
    lang = detect(text)
    if not common or lang is None or same_language(lang, common[0]):
        return None
    return lang, common[0]


def unsearched_language_note(name: str, langs: tuple[str, str], db: str) -> str:
    """What to say of :func:`unsearched_language`'s finding, ``name`` the article's."""
    return (
        f"{name} reads as language '{langs[0]}' and most stored texts as '{langs[1]}', but "
        "this store keeps no cross-language vectors, so only sources in the article's "
        f"language were searched; to trace a translation, add them with: unspin xling index "
        f"--db {db} (the xling extra), then trace again"
    )


def text_languages(store: Store, keys: Sequence[int]) -> dict[int, str | None]:
    """The language of each text key (``None`` where unknown)."""
    if not keys or not has_languages(store):
        return dict.fromkeys(keys)
    marks = ",".join("?" * len(keys))
    rows = store.conn.execute(f"SELECT key, lang FROM texts WHERE key IN ({marks})", list(keys))
    return {int(k): lang for k, lang in rows}


def missing(store: Store) -> list[int]:
    """Keys of the texts that have no vector yet, in key order."""
    rows = store.conn.execute(
        "SELECT t.key FROM texts t LEFT JOIN xvectors x ON x.text_key = t.key"
        " WHERE x.text_key IS NULL ORDER BY t.key"
    )
    return [int(r[0]) for r in rows]


def unindexed(store: Store) -> tuple[int, int]:
    """(texts without a vector, texts): what trace across languages cannot find until
    ``unspin xling index`` runs again (an interrupted one leaves some)."""
    (texts,) = store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()
    (vectors,) = store.conn.execute("SELECT COUNT(*) FROM xvectors").fetchone()
    return max(0, int(texts) - int(vectors)), int(texts)


def index_missing(store: Store, on_batch: Callable[[int], None] | None = None) -> int:
    """Give every text without a vector its vector (and its language where it has none);
    the number of texts this call indexed. One transaction per :data:`BATCH` texts: an
    interrupted run keeps what it committed and the next one goes on from there.

    Texts are claimed a batch at a time (:mod:`.claims`), so runs on one store at once
    (two ``unspin xling index``, an ingest with vectors) share the work; one that finds
    every text left claimed by another waits for them, so that when it returns every text
    has its vector. ``on_batch`` gets how many of the texts without a vector at the start
    have one now, by any run."""
    from .embed import encode, lead, quantise

    me = claims.Claimant.this_process()
    (start, _) = unindexed(store)
    done = 0
    try:
        while (chunk := claims.claim(store, me, BATCH)) != []:
            if chunk is None:  # every text left is another run's: wait for its vectors
                time.sleep(WAIT_S)
                continue
            texts = store.texts(chunk)
            vecs = encode([lead(texts[k]) for k in chunk])
            rows = [(k, quantise(v)) for k, v in zip(chunk, vecs, strict=True)]
            langs = [(detect(texts[k]), k) for k in chunk]

            with store.transaction() as conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO xvectors(text_key, vec) VALUES (?, ?)", rows
                )
                conn.executemany("UPDATE texts SET lang = ? WHERE key = ? AND lang IS NULL", langs)
                claims.release(conn, me)
            done += len(chunk)
            if on_batch:
                on_batch(max(done, start - unindexed(store)[0]))
    except BaseException:
        # Interrupted (Ctrl-C, an error): others may take these texts at once.
        with contextlib.suppress(UnspinError, sqlite3.Error), store.transaction() as conn:
            claims.release(conn, me)
        raise
    _MATRICES.clear()
    return done


def nearest(
    store: Store, vec: np.ndarray, k: int, *, other_than: str | None = None
) -> list[VectorHit]:
    """The ``k`` stored texts whose vectors are nearest ``vec`` (a unit vector), best first,
    leaving out texts in the language ``other_than`` (the article's own) or in one the
    detector may name for it (:func:`.language.same_language`: Chinese labelled Wu)."""
    keys, langs, matrix = _matrix(store)
    if not len(keys):
        return []
    sims = matrix @ vec.astype(np.float32)
    if other_than is not None:
        same = [str(lang) for lang in np.unique(langs) if same_language(str(lang), other_than)]
        sims = np.where(np.isin(langs, same), -2.0, sims)
    top = np.argsort(-sims, kind="stable")[:k]
    return [
        VectorHit(int(keys[i]), None if langs[i] == "" else str(langs[i]), float(sims[i]))
        for i in top
        if sims[i] > -2.0
    ]


_MATRICES: dict[tuple[str, int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _matrix(store: Store) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys, languages and dequantised vectors of every indexed text, cached per store and
    size (a long-running server reads them once, not per query)."""
    from .embed import dequantise

    n, top = store.conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(text_key), 0) FROM xvectors"
    ).fetchone()
    cache_key = (store.path, int(n), int(top))
    if cache_key not in _MATRICES:
        lang_col = "COALESCE(t.lang, '')" if has_languages(store) else "''"
        rows = store.conn.execute(
            f"SELECT x.text_key, {lang_col}, x.vec FROM xvectors x"
            " JOIN texts t ON t.key = x.text_key ORDER BY x.text_key"
        ).fetchall()
        _MATRICES.clear()
        _MATRICES[cache_key] = (
            np.array([r[0] for r in rows], dtype=np.int64),
            np.array([r[1] for r in rows], dtype=object),
            dequantise([r[2] for r in rows]),
        )
    return _MATRICES[cache_key]
