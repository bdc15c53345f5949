"""Bounded parsing of untrusted input: a cheap pre-scan, then a worker that can be killed.

lxml (under trafilatura and htmldate) is fast on real pages, but its cost is not linear in
the input on every input: 889 KB of markup with 100,000 attributes on one tag kept it busy for
more than 100 s. Two bounds keep one such page from stalling an ingest or a web upload:

1. ``check_markup`` refuses, before parsing, a tag with more than ``max_tag_attributes``
   attributes (the known quadratic case), found by a regular-expression scan that is linear
   in the input.
2. ``run_bounded`` runs the parse in a worker process and kills it once it has run
   ``max_parse_seconds``, so an input that stalls the parser in a way nobody foresaw costs
   that long and no longer; the document gets a one-line error and reading goes on.

``html.extract_html_bounded`` combines both for HTML pages.

Workers are separate Python processes (``python -m unspin.read.bounded``), not forks: forking
the web app's threaded process is unsafe, and multiprocessing's spawn would re-run the
caller's main script. A worker imports the parsers once, is kept between documents, and is
replaced only when one had to be killed (about 2 s to start on two busy cores).
"""

from __future__ import annotations

import atexit
import bisect
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import Any

from ..errors import InputError, UnspinError
from .limits import Limits, how_to_raise

# Idle workers kept for the next document; more are started when threads parse at once.
_MAX_IDLE = 4
# What a worker runs before it says it is ready ("module:function"), so that imports and the
# parsers' first-use set-up (0.8 s for trafilatura) are not counted in a document's budget.
_WARM_UP = ("unspin.read.html:warm_up",)
# How long a new worker may take to start (import the parsers) before it is given up on.
_START_SECONDS = 300
# A quoted attribute value, or an unquoted name (with its value) up to the next separator. A
# quote still open where the scanned stretch ends runs to its end: a quoted value may hold "<"
# or ">" (JSON in a data attribute, '{"label":"<b>Optionen</b>"}'), which ends the stretch
# (see _long_tag), and its words are not attributes (real pages were refused: 13 of 945).
_ATTRIBUTE = re.compile(rb"""[^\s"'=/]+(?:\s*=\s*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\s"']*))?""")


@lru_cache(maxsize=8)
def _long_tag(max_attributes: int) -> re.Pattern[bytes]:
    """Tags long enough to hold more than ``max_attributes`` attributes (each takes at least
    two characters: a separator and a one-letter name). Stopping at ``<`` and ``>`` keeps the
    scan linear; a tag that hides past a quoted ``>`` is left to the time budget."""
    return re.compile(rb"<[A-Za-z][^<>]{%d,}" % (2 * max_attributes))


def check_markup(data: bytes | str, where: str, limits: Limits) -> None:
    """Refuse markup with a tag holding more than ``max_tag_attributes`` attributes.

    >>> check_markup(b"<p class=a id=b>Text</p>", "page.html", Limits())
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    cap = limits.max_tag_attributes
    code = None
    for tag in _long_tag(cap).finditer(raw):
        code = _raw_text(raw) if code is None else code
        if _inside(code, tag.start()):
            continue  # "i <boldIds.length" in a script is no tag (the parsers read it as text)
        for count, _ in enumerate(_ATTRIBUTE.finditer(tag.group(), 2), start=1):
            if count > cap:
                raise InputError(
                    where,
                    f"html tag with more than {cap:,} attributes at byte {tag.start():,}; "
                    "such markup stalls html parsers and is not read",
                )


# The elements whose content HTML parsers read as text up to their end tag, whatever "<" it
# holds: scripts compare with "<" and hold markup in strings.
_RAW_TEXT_TAG = re.compile(rb"<(/?)(script|style)\b", re.IGNORECASE)


def _raw_text(raw: bytes) -> tuple[list[int], list[int]]:
    """Where the content of each ``<script>`` and ``<style>`` element starts and ends, in one
    pass (an element left open runs to the end)."""
    starts: list[int] = []
    ends: list[int] = []
    open_name: bytes | None = None
    for m in _RAW_TEXT_TAG.finditer(raw):
        closing, name = m.group(1), m.group(2).lower()
        if open_name is None and not closing:
            open_name = name
            starts.append(m.end())
        elif open_name == name and closing:
            open_name = None
            ends.append(m.start())
    if len(ends) < len(starts):
        ends.append(len(raw))
    return starts, ends


def _inside(spans: tuple[list[int], list[int]], at: int) -> bool:
    starts, ends = spans
    k = bisect.bisect_right(starts, at) - 1
    return k >= 0 and at < ends[k]


def run_bounded(fn: Callable[..., Any], args: tuple[Any, ...], where: str, limits: Limits) -> Any:
    """``fn(*args)`` in a worker process, killed after ``limits.max_parse_seconds``.

    ``fn`` must be a module-level function; it, its arguments and its result must pickle. An
    exception in ``fn``, or the worker dying (a crash in a C parser), is raised here as
    InputError naming ``where``; so is running out of time.
    """
    seconds = limits.max_parse_seconds
    worker = _POOL.take()
    outcome: Any = None
    try:
        outcome = worker.call(fn, args, seconds)
    finally:
        # Returned to the pool only after a clean answer; after a timeout, a dead worker or
        # Ctrl-C the worker may still be busy, so it is killed.
        if isinstance(outcome, _Answer):
            _POOL.give_back(worker)
        else:
            worker.kill()
    if isinstance(outcome, _Timeout):
        raise InputError(
            where,
            f"parsing took longer than {seconds:,} s and was stopped "
            f"({how_to_raise('max_parse_seconds')})",
        )
    if isinstance(outcome, _Failure):
        raise InputError(where, f"could not be parsed ({outcome.detail})")
    return outcome.value


@dataclass(frozen=True, slots=True)
class _Answer:
    """A worker call's result."""

    value: Any


@dataclass(frozen=True, slots=True)
class _Timeout:
    """What a worker call gives when its time ran out."""


@dataclass(frozen=True, slots=True)
class _Failure:
    """What a worker call gives when the function raised or the worker died, in one line."""

    detail: str


class WorkerStartError(UnspinError):
    """A parse worker could not be started (not a problem of any input)."""


class _Worker:
    """One worker process and the pipes to it (``multiprocessing`` framing over them)."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # The worker must import this very unspin, wherever the caller found it.
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(os.getpid()), *_WARM_UP],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # library chatter on hostile pages is not ours to show
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self._from = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self._ready = False

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...], seconds: float) -> Any:
        try:
            if not self._ready:
                # Imports are not the document's fault: wait for them outside its budget.
                if not self._from.poll(_START_SECONDS) or self._from.recv() != "ready":
                    raise WorkerStartError("the html parse worker did not start")
                self._ready = True
            self._to.send((fn, args))
            if not self._from.poll(seconds):
                return _Timeout()
            ok, value = self._from.recv()
        except (EOFError, OSError):
            if not self._ready:
                raise WorkerStartError("the html parse worker did not start") from None
            return _Failure("the parser crashed")
        return _Answer(value) if ok else _Failure(value)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        for conn in (self._to, self._from):
            conn.close()
        if self.alive():
            self.process.kill()
        self.process.wait()


class _Pool:
    """Idle workers, shared by every thread; a thread takes one, or starts one if none is idle."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def take(self) -> _Worker:
        with self._lock:
            if self._pid != os.getpid():  # a forked child must not share its parent's pipes
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def give_back(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < _MAX_IDLE and self._pid == os.getpid():
                self._idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


_POOL = _Pool()
atexit.register(_POOL.close)


def _serve(requests: Connection, replies: Connection, parent: int) -> None:
    """A worker's loop: run each function sent, reply ``(True, result)`` or
    ``(False, problem)``; leave when the pipe closes or the parent is gone."""
    while True:
        try:
            fn, args = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # any failure of the parser is this document's problem
            reply = (False, " ".join(f"{type(exc).__name__}: {exc}".split())[:200])
        try:
            replies.send(reply)
        except (EOFError, OSError):
            return


def _exit_when_orphaned(parent: int) -> None:
    # If the parent is killed outright (SIGKILL) nobody kills the worker, which may be deep in
    # a parse that takes minutes: leave on our own.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _worker_main(argv: list[str]) -> None:
    """``python -m unspin.read.bounded PARENT_PID [MODULE:FUNCTION...]``: run each warm-up
    function, then serve requests on stdin, replies on stdout."""
    import importlib

    parent = int(argv[0])
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    requests = Connection(os.dup(0), writable=False)
    replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a library that prints must not write into the reply pipe
    for target in argv[1:]:
        module, _, function = target.partition(":")
        getattr(importlib.import_module(module), function)()
    replies.send("ready")
    _serve(requests, replies, parent)


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
