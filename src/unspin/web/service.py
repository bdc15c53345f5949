"""What the pages and the API share: the app's state and the library calls behind them.

Both faces call these functions, so a page and its API endpoint always give the same result
(and the same permanent id) for the same input.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..api import Corpus, compare, score
from ..cpus import usable_cpus
from ..errors import IndexRebuilding, InputError, MissingExtraError
from ..store import Store
from ..types import blank
from .busy import Slots
from .corpus import Reuse, reuse
from .jobs import Jobs
from .params import valid_unicode
from .results import ResultStore, StoredResult, open_results, result_id
from .security import new_token

MAX_ARTICLE_CHARS = 1_000_000  # a pasted "article" longer than this is a mistake
# Heavy requests (trace, compare, score, reuse, parsing an uploaded article) run at once: one
# per core up to 4, since each keeps a core busy; four times as many may wait for a turn.
DEFAULT_HEAVY_JOBS = min(4, usable_cpus())
WAITING_PER_HEAVY_JOB = 4
# Large request bodies (over 1 MiB or of unknown length) received at once: each may be held in
# memory up to the upload limit while it is parsed.
DEFAULT_UPLOADS = 2


@dataclass
class WebState:
    """Everything one running app knows: where the store is, kept results, jobs, its token."""

    db: str
    results: ResultStore
    jobs: Jobs
    max_upload_bytes: int
    heavy: Slots = field(default_factory=lambda: heavy_slots(DEFAULT_HEAVY_JOBS))
    uploads: Slots = field(default_factory=lambda: upload_slots(DEFAULT_UPLOADS))
    csrf_token: str = field(default_factory=new_token)
    # What serve says as it starts about the store (a re-index running or cut short), or None.
    start_note: str | None = None

    @classmethod
    def open(
        cls,
        db: str | Path,
        max_upload_bytes: int,
        *,
        heavy_jobs: int = DEFAULT_HEAVY_JOBS,
        uploads: int = DEFAULT_UPLOADS,
    ) -> WebState:
        """The state of an app over ``db``; StoreError (before anything is served) when
        ``db`` is not a usable store."""
        db = str(db)
        p = Path(db)
        rebuilding = None
        if not p.exists() or (p.is_file() and p.stat().st_size == 0):
            Corpus(db).close()  # an empty store, so files can be added from a page
        else:
            try:
                Corpus(db, readonly=True, create=False).close()  # refuse what is not a store
            except IndexRebuilding as exc:
                # Served as the running app serves it then (robust36): the documents whole,
                # 409 for what needs the index. Up to robust36 serve refused to start.
                Store(db, create=False, readonly=True, without_index=True).close()
                rebuilding = str(exc)
        heavy, large = heavy_slots(heavy_jobs), upload_slots(uploads)
        state = cls(db, open_results(db), Jobs(db), max_upload_bytes, heavy, large)
        state.start_note = rebuilding and (
            f"{rebuilding}; until then the documents can be browsed, and a trace, a check or "
            "an ingest answers 409 Conflict"
        )
        return state

    @property
    def results_note(self) -> str | None:
        """Why results are not kept beside the store (None when they are)."""
        return self.results.note

    def corpus(self) -> Corpus:
        """The corpus, read-only, on a fresh connection (each request gets its own)."""
        return Corpus(self.db, readonly=True, create=False)

    def store(self) -> Store:
        """A fresh read-only store connection, for the listing queries the pages need."""
        return Store(self.db, create=False, readonly=True)

    def documents(self) -> Store:
        """A fresh read-only store connection for reads of the documents alone (listing,
        statistics, one document), which a re-index leaves whole: up to robust36 the
        Corpus page, ``/api/stats`` and ``/api/documents`` answered 400 for as long as
        ``unspin reindex`` ran on the store (minutes on a large one)."""
        return Store(self.db, create=False, readonly=True, without_index=True)

    def generation(self) -> list[int]:
        """Changes whenever documents are added, so results reflect the corpus they saw."""
        with self.documents() as store:
            return list(store.generation())


def heavy_slots(running: int) -> Slots:
    """The bound on heavy requests: ``running`` at once, a few times as many waiting."""
    return Slots("heavy request", running=running, waiting=WAITING_PER_HEAVY_JOB * running)


def upload_slots(running: int) -> Slots:
    """The bound on large request bodies received at once (no waiting: the body is in flight)."""
    return Slots("large upload", running=running, waiting=0)


def spin_module() -> Any | None:
    """``unspin.spinscore.score`` when it can be imported (it is optional for the app), else None."""
    try:
        return importlib.import_module("unspin.spinscore.score")
    except ImportError:
        return None


# The model behind every spin number a page shows: the article's score and each stretch with
# no source. `trace` and `compare` on the command line score stretches with the lexical model
# (speed on long articles); a page that showed the article at 51% (auto: contextual) and the
# same text, its one stretch with no source, at 0.58 (lexical) said two things of one text.
PAGE_SPIN_MODEL = "auto"

# Spans whose suggestions the contextual model re-reads in their sentence (about 0.15 s of CPU
# each on 2 cores: 1.8 s against 0.38 s without, docs/benchmarks.md 14d).
SPAN_RESTORE = 10


def spin_score(text: str) -> dict[str, Any] | None:
    """The spin score of ``text`` as a dict (probability, spans, features), or None."""
    if spin_module() is None:
        return None
    return dict(score(text, restore=SPAN_RESTORE).to_dict())


def check_article(text: str, what: str = "article") -> str:
    """Refuse empty, oversized or unencodable pasted text with a message that says so."""
    try:
        valid_unicode(text)
    except ValueError as err:
        raise InputError(what, str(err)) from err
    if blank(text):
        raise InputError(what, "empty text: paste an article or upload a file")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            what, f"{len(text):,} characters is over the {MAX_ARTICLE_CHARS:,} character limit"
        )
    return text


def run_trace(state: WebState, text: str, *, top: int = 5, name: str | None = None) -> StoredResult:
    """Trace ``text`` against the store, keep the result and return it (cached by input)."""
    check_article(text)
    from ..trace import TraceConfig

    rid = result_id(
        "trace", text=text, top=top, corpus=state.generation(), name=name, spin=PAGE_SPIN_MODEL
    )
    kept = state.results.load(rid)
    if kept is not None:
        return kept  # a kept result is light: it never waits for a heavy slot
    with state.heavy.take(), state.corpus() as corpus:
        config = TraceConfig(spin_model=PAGE_SPIN_MODEL)
        result = corpus.trace(text, top=top, name=name, config=config)
        texts = corpus.source_texts(result)
        if not result.sources:
            # A translation of a stored text finds nothing in one language: say how to search
            # across languages, as the CLI does.
            from ..xling.index import unsearched_language, unsearched_language_note

            if langs := unsearched_language(corpus.store, text):
                note = unsearched_language_note("the article", langs, corpus.store.path)
                result = replace(result, meta={**result.meta, "note": note})
        state.results.save(rid, "trace", result, texts, name=name, spin=spin_score(text))
    return _must_load(state, rid)


def run_compare(
    state: WebState, source: str, target: str, *, restore: bool = False, name: str = "source"
) -> StoredResult:
    """Align ``target`` against ``source``, keep the result and return it."""
    check_article(source, "source")
    check_article(target, "target")
    from ..trace import TraceConfig

    rid = result_id(
        "compare", source=source, target=target, restore=restore, name=name, spin=PAGE_SPIN_MODEL
    )
    kept = state.results.load(rid)
    if kept is not None:
        return kept
    with state.heavy.take():
        config = TraceConfig(spin_model=PAGE_SPIN_MODEL)
        result = compare(source, target, source_name=name, restore=restore, config=config)
        meta: dict[str, Any] = {**result.meta, "mode": "compare"}
        if not result.sources:
            # Two texts in two languages share nothing here: say how a translation is traced.
            from ..xling.language import two_languages, two_languages_note

            langs = two_languages(source, target)
            if langs is not None:
                meta["note"] = two_languages_note("the source", langs[0], "the target", langs[1])
        result = replace(result, meta=meta)
        spin = spin_score(target)
        state.results.save(rid, "compare", result, {0: source}, name=name, spin=spin)
    return _must_load(state, rid)


def run_score(state: WebState, text: str, *, restore: int = SPAN_RESTORE) -> dict[str, Any]:
    """The spin score of ``text`` (raises MissingExtraError without ``unspin.spinscore.score``)."""
    check_article(text, "text")
    if spin_module() is None:
        raise MissingExtraError("unspin.spinscore.score", "all", "Spin scoring")
    with state.heavy.take():
        return dict(score(text, restore=restore).to_dict())


def run_reuse(state: WebState, corpus: Corpus, key: int) -> list[Reuse]:
    """The documents sharing text with document ``key`` (a trace of it: heavy)."""
    with state.heavy.take():
        return reuse(corpus, key)


def _must_load(state: WebState, rid: str) -> StoredResult:
    kept = state.results.load(rid)
    if kept is None:  # pragma: no cover - only if the results file vanished mid-request
        raise InputError(None, f"result {rid} could not be kept; check the results file")
    return kept
