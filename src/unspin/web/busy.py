"""Bounds on concurrent work: a few heavy jobs run, a few more wait, the rest are told to retry.

The app runs CPU-heavy requests (trace, compare, spin score, reuse, parsing an uploaded
article) in worker threads, never on the event loop, so light requests (pages, document
views, statistics, job progress) are always answered. :class:`Slots` bounds how many heavy
requests run at once and how many may queue for a turn; one more is refused at once with
:class:`Busy` (HTTP 429 and a ``Retry-After`` header) instead of piling up threads and memory.

>>> slots = Slots("trace", running=1, waiting=0)
>>> with slots.take():
...     print(slots.running)
...     try:
...         slots.take().__enter__()
...     except Busy as busy:
...         print(busy)
1
busy: 1 trace is running and none can wait; try again in a few seconds
>>> slots.running
0
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

RETRY_AFTER_SECONDS = 5


class Busy(Exception):
    """The server already runs (and queues) as much of this work as it allows (HTTP 429)."""

    retry_after = RETRY_AFTER_SECONDS


@dataclass(frozen=True, slots=True)
class SlotsState:
    """How many jobs of one kind run and wait now, and the bounds."""

    running: int
    waiting: int
    max_running: int
    max_waiting: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "waiting": self.waiting,
            "max_running": self.max_running,
            "max_waiting": self.max_waiting,
        }


class Slots:
    """At most ``running`` jobs at once and ``waiting`` more in line; beyond that, :class:`Busy`.

    Waiting blocks the calling thread (a worker thread, never the event loop); a waiting job
    gets its turn when a running one ends.
    """

    def __init__(self, what: str, *, running: int, waiting: int) -> None:
        if running < 1 or waiting < 0:
            raise ValueError("running must be at least 1 and waiting at least 0")
        self.what = what
        self.max_running = running
        self.max_waiting = waiting
        self.running = 0
        self.waiting = 0
        self._turn = threading.Condition()

    def state(self) -> SlotsState:
        with self._turn:
            return SlotsState(self.running, self.waiting, self.max_running, self.max_waiting)

    @contextmanager
    def take(self) -> Iterator[None]:
        """Run the block in a slot: now, after waiting for one, or not at all (:class:`Busy`)."""
        self._acquire()
        try:
            yield
        finally:
            self.release()

    def try_acquire(self) -> bool:
        """Take a slot if one is free now, without waiting (for the event loop)."""
        with self._turn:
            if self.running < self.max_running:
                self.running += 1
                return True
            return False

    def release(self) -> None:
        with self._turn:
            self.running -= 1
            self._turn.notify()

    def busy(self) -> Busy:
        """The refusal to give when no slot is free and the line is full."""
        jobs = f"{self.running} {self.what}{'' if self.running == 1 else 's'}"
        verb = "is" if self.running == 1 else "are"
        line = f"{self.waiting} wait" if self.max_waiting else "none can wait"
        return Busy(f"busy: {jobs} {verb} running and {line}; try again in a few seconds")

    def _acquire(self) -> None:
        with self._turn:
            if self.running < self.max_running:
                self.running += 1
                return
            if self.waiting >= self.max_waiting:
                raise self.busy()
            self.waiting += 1
            try:
                self._turn.wait_for(lambda: self.running < self.max_running)
                self.running += 1
            finally:
                self.waiting -= 1
