"""Which texts a running ``unspin xling index`` (or ingest) is encoding, so that two runs on
one store share the work instead of each doing all of it.

Encoding is the cost (about 0.1 s a text on a busy core); writing the vectors is cheap. A
run claims the next texts that have no vector and that no live run has claimed, in one short
write transaction (rows of ``xclaims``), encodes them outside any transaction, then writes
their vectors and drops its claims in another. Before, two runs each read the list of texts
without a vector when they started and both encoded all of it.

A claim outlives a run killed outright (SIGKILL, a power cut); it is taken over once its run
is gone: at once on the same machine when its process no longer exists, anywhere once it is
older than :data:`LEASE_S`. A vector is written with ``INSERT OR IGNORE``, so a claim taken
over from a run that was only slow costs that batch twice, never a row.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
import uuid
from dataclasses import dataclass

from ..store import Store

TABLE = (
    "CREATE TABLE IF NOT EXISTS xclaims (text_key INTEGER PRIMARY KEY, owner TEXT NOT NULL,"
    " host TEXT NOT NULL, pid INTEGER NOT NULL, claimed_at REAL NOT NULL)"
)
# How old a claim must be before a run on another machine (which cannot see whether the
# claiming process lives) takes it over: many times one batch's encoding (about 25 s for
# 256 texts on one busy core).
LEASE_S = 600.0


@dataclass(frozen=True, slots=True)
class Claimant:
    """One run that claims texts: a token of its own, and where its process lives."""

    owner: str
    host: str
    pid: int

    @classmethod
    def this_process(cls) -> Claimant:
        return cls(uuid.uuid4().hex, socket.gethostname(), os.getpid())

    def sees_gone(self, host: str, pid: int, claimed_at: float, now: float) -> bool:
        """Whether the run that made a claim (on ``host``, process ``pid``) is gone."""
        if now - claimed_at > LEASE_S:
            return True
        if host != self.host:
            return False
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except OSError:  # it exists (another user's process: EPERM)
            return False
        return False


def claim(store: Store, me: Claimant, size: int) -> list[int] | None:
    """Keys of up to ``size`` texts without a vector, now claimed by ``me``, in key order;
    ``[]`` when no text lacks a vector; None when every one that does is claimed by a run
    that is still going (ask again once it has written them)."""
    with store.transaction() as conn:
        conn.execute(TABLE)
        now = time.time()
        owners = conn.execute(
            "SELECT owner, host, pid, MAX(claimed_at) FROM xclaims GROUP BY owner"
        ).fetchall()
        gone = [
            (owner,)
            for owner, host, pid, at in owners
            if owner != me.owner and me.sees_gone(host, int(pid), float(at), now)
        ]
        conn.executemany("DELETE FROM xclaims WHERE owner = ?", gone)
        keys = [
            int(r[0])
            for r in conn.execute(
                "SELECT t.key FROM texts t"
                " LEFT JOIN xvectors x ON x.text_key = t.key"
                " LEFT JOIN xclaims c ON c.text_key = t.key"
                " WHERE x.text_key IS NULL AND c.text_key IS NULL ORDER BY t.key LIMIT ?",
                (size,),
            )
        ]
        if keys:
            conn.executemany(
                "INSERT INTO xclaims(text_key, owner, host, pid, claimed_at) VALUES (?, ?, ?, ?, ?)",
                [(k, me.owner, me.host, me.pid, now) for k in keys],
            )
            return keys
        (pending,) = conn.execute(
            "SELECT COUNT(*) FROM xclaims c LEFT JOIN xvectors x ON x.text_key = c.text_key"
            " WHERE x.text_key IS NULL"
        ).fetchone()
        return None if pending else []


def release(conn: sqlite3.Connection, me: Claimant) -> None:
    """Drop ``me``'s claims (inside the caller's write transaction)."""
    conn.execute("DELETE FROM xclaims WHERE owner = ?", (me.owner,))
