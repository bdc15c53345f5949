"""The front door: one object for a corpus, and the functions that need none.

:class:`Corpus` wraps a store (a SQLite file, or memory when no path is given) with the
calls most users need: :meth:`~Corpus.add` files, documents or plain strings,
:meth:`~Corpus.trace` a text to its sources, :meth:`~Corpus.search` for candidate
documents, :meth:`~Corpus.cluster` the whole corpus, :meth:`~Corpus.sites` and
:meth:`~Corpus.stats`. :func:`compare` aligns two texts and :func:`score` scores one text
for spin without any corpus.

This module is a thin layer over :mod:`unspin.store`, :mod:`unspin.ingest`,
:mod:`unspin.retrieve`, :mod:`unspin.trace`, :mod:`unspin.cluster` and :mod:`unspin.spinscore.score`;
it imports them on first use so that ``import unspin`` stays fast.

>>> import unspin
>>> with unspin.Corpus() as corpus:
...     report = corpus.add(
...         "The mayor announced on Monday that the city will build three new bridges "
...         "over the river before 2030, at a cost of 40 million euros.",
...         id="wire-1", url="https://wire.example.com/bridges", date="2024-03-04",
...     )
...     result = corpus.trace(
...         "On Monday the mayor declared that the town will construct three new bridges "
...         "over the river before 2030, at a cost of 40 million euros."
...     )
>>> report.added, result.sources[0].document.id, result.sources[0].document.site
(1, 'wire-1', 'example.com')
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from .errors import ConfigError, InputError, InputWarning
from .types import (
    UNPAIRED_SURROGATE,
    Document,
    StoredDocument,
    TraceResult,
    blank,
    field_too_long,
    id_problem,
    without_surrogates,
)
from .validate import check_config

if TYPE_CHECKING:  # imported on first use: the store and the aligner pull in heavy packages
    from pathlib import Path

    from .cluster import ClusterConfig, ClusterRun
    from .cluster.graph import SiteEdge, SiteNode
    from .ingest import IngestReport
    from .spinscore.score import SpinScore
    from .store import Store
    from .trace import TraceConfig

MEMORY = ":memory:"
# A str this short, on one line, that names an existing file is almost surely a path given
# where a text was meant: refusing it beats storing the path as a document.
_PATH_LIKE_CHARS = 1024

Addable = str | os.PathLike[str] | Document

P = ParamSpec("P")
R = TypeVar("R")


def _one_thread_at_a_time(
    method: Callable[Concatenate[Corpus, P], R],
) -> Callable[Concatenate[Corpus, P], R]:
    """Run a :class:`Corpus` method under the corpus's lock: its SQLite connection may be
    used from any thread, but by one at a time (a transaction belongs to the connection)."""

    @functools.wraps(method)
    def locked(self: Corpus, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A stored document and how strongly it matched a :meth:`Corpus.search` (higher is
    better: the weight of the spin-robust fingerprints it shares with the query; 1.0 for a
    search by id or title).

    >>> with Corpus() as corpus:
    ...     _ = corpus.add("Gold closed higher in London.", id="g", title="Gold")
    ...     hit = corpus.search(title="gold")[0]
    >>> hit.document.id, hit.document.title, hit.score
    ('g', 'Gold', 1.0)
    """

    document: StoredDocument
    score: float


@dataclass(frozen=True, slots=True)
class Clusters:
    """What :meth:`Corpus.cluster` found: the reuse clusters (as written to
    ``clusters.jsonl``), the sites with their counts and the site graph's edges (source site
    -> site that took passages from it), and the run's summary.

    >>> with Corpus() as corpus:
    ...     _ = corpus.add("Nothing here is reused by anything else.", site="a.example")
    ...     found = corpus.cluster()
    >>> found.clusters, found.sites, found.edges, found.run.documents
    ([], [{'site': 'a.example', 'documents': 1, 'chars': 40}], [], 1)
    """

    clusters: list[dict[str, Any]]
    sites: list[SiteNode]
    edges: list[SiteEdge]
    run: ClusterRun


class Corpus:
    """A corpus of documents to trace texts against: a store file, or memory.

    ``Corpus()`` keeps everything in memory (gone on :meth:`close`); ``Corpus("news.db")``
    opens or creates that store, the same file ``unspin ingest --db`` writes. ``readonly``
    opens an existing store without writing to it; ``create=False`` refuses a missing one.
    Use it as a context manager, or call :meth:`close`. It may be used from several threads
    (a thread pool, a web framework's workers): each call runs alone, the others wait.

    >>> with Corpus() as corpus:
    ...     corpus.stats()["documents"]
    0
    >>> Corpus(42)
    Traceback (most recent call last):
    ...
    unspin.errors.ConfigError: Corpus(path=42): give a store file path (str or pathlib.Path), or no path for a corpus in memory
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        create: bool = True,
    ) -> None:
        if path is not None and not isinstance(path, str | os.PathLike):
            raise ConfigError(
                f"Corpus(path={path!r}): give a store file path (str or pathlib.Path), "
                "or no path for a corpus in memory"
            )
        _check_flag("Corpus", "readonly", readonly)
        _check_flag("Corpus", "create", create)
        if path is None and readonly:
            raise ConfigError(
                "Corpus(readonly=True) needs a path: a corpus in memory starts empty, "
                "so there is nothing to read"
            )
        if path is not None and not os.fspath(path):
            raise ConfigError("Corpus(path=''): give a store file path, or None for memory")
        from .store import Store

        self.path: str | None = None if path is None else os.fspath(path)
        self._lock = threading.RLock()
        # Any thread: an application's threads share one corpus (a corpus in memory cannot be
        # opened again in another thread), and the lock lets one call in at a time.
        self._store: Store | None = Store(
            MEMORY if self.path is None else self.path,
            create=create,
            readonly=readonly,
            any_thread=True,
        )

    @classmethod
    def from_store(cls, store: Store) -> Corpus:
        """A corpus over a store already open: a :class:`unspin.store.Store`, or a subclass
        that changes how it writes (the web app's takes a lock around each batch). Closing
        the corpus closes the store. Threads may share the corpus only where the store was
        opened with ``any_thread=True``; otherwise another thread's call is a StoreError.

        >>> from unspin.store import Store
        >>> with Corpus.from_store(Store(":memory:")) as corpus:
        ...     corpus.add("Floods closed the road to Porto.").added
        1
        """
        from .store import Store

        if not isinstance(store, Store):
            raise ConfigError(
                f"Corpus.from_store: give an open unspin.store.Store, not {type(store).__name__}"
            )
        corpus = cls.__new__(cls)
        corpus.path = None if store.path == MEMORY else str(store.path)
        corpus._lock = threading.RLock()
        corpus._store = store
        return corpus

    @property
    def store(self) -> Store:
        """The underlying :class:`unspin.store.Store`, for what this class does not offer."""
        if self._store is None:
            raise ConfigError(f"{self!r} is closed: open a new Corpus to use it again")
        return self._store

    def __repr__(self) -> str:
        return f"Corpus({self.path!r})" if self.path is not None else "Corpus()"

    def __reduce__(self) -> tuple[Any, ...]:
        """A corpus sent to another process (``multiprocessing``, ``ProcessPoolExecutor``)
        opens its store file there again, as it was opened here; a connection cannot travel,
        and before this the error was ``cannot pickle 'sqlite3.Connection' object``.

        >>> import pickle
        >>> pickle.dumps(Corpus())
        Traceback (most recent call last):
        ...
        unspin.errors.ConfigError: Corpus() is in memory, which another process cannot open; keep the documents in a store file (Corpus("news.db")) to use it from several processes
        """
        if self.path is None:
            raise ConfigError(
                f"{self!r} is in memory, which another process cannot open; keep the "
                'documents in a store file (Corpus("news.db")) to use it from several processes'
            )
        return (_reopened, (self.path, self.store.readonly))  # closed: ConfigError

    @_one_thread_at_a_time
    def close(self) -> None:
        """Close the store (a corpus in memory is discarded). Closing twice is harmless.

        >>> corpus = Corpus()
        >>> corpus.close(); corpus.close()
        >>> corpus.stats()
        Traceback (most recent call last):
        ...
        unspin.errors.ConfigError: Corpus() is closed: open a new Corpus to use it again
        """
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            # The store's own exit closes it and turns whatever SQLite raised inside the block
            # (a damaged page met by a query, say) into one line about the store.
            store.__exit__(exc_type, exc, tb)

    @_one_thread_at_a_time
    def add(
        self,
        *items: Addable | Iterable[Addable],
        id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        date: str | dt.date | None = None,
        site: str | None = None,
        workers: int = 1,
    ) -> IngestReport:
        """Store texts, documents and files; return what was read, added and refused.

        Each item is one of:

        - a ``str``: the text of one document. ``id``, ``title``, ``url``, ``date`` and
          ``site`` describe it (only when a single text is given); dates in any format
          :mod:`unspin.dates` reads, or a ``datetime.date`` or ``datetime``, are
          normalised, the site defaults to the URL's
          registrable domain, and the id to the start of the text's SHA-256;
        - a :class:`pathlib.Path`: a file or folder read as ``unspin ingest`` reads it (text,
          HTML, JSON Lines, WARC; unreadable files are listed in the report's ``errors``,
          the others are still stored; ``workers`` fingerprints in that many processes);
        - a :class:`unspin.Document`, stored as it is (made without an id, it gets the
          default id of a text; its date is read as a text's is, or dropped with a warning);
        - a list (or any iterable) of these.

        A text or document that cannot be stored (empty, a field that is not a string, or
        half a surrogate pair) raises :class:`unspin.InputError` before anything of the call
        is stored. Adding the same
        record again adds nothing (``report.duplicates``); a new id with a stored text is a
        new document sharing that text.

        >>> from unspin import Document
        >>> with Corpus() as corpus:
        ...     first = corpus.add("Storms closed the port of Hamburg on Tuesday.",
        ...                        id="a", date="5 March 2024")
        ...     again = corpus.add([Document("Storms closed the port of Hamburg on Tuesday.", id="a"),
        ...                         Document("Rain is expected in Bremen.", id="b")])
        ...     stored = corpus.search(id="a")[0].document
        >>> first.added, again.added, again.duplicates, stored.date
        (1, 1, 1, '2024-03-05')
        >>> Corpus().add("")
        Traceback (most recent call last):
        ...
        unspin.errors.InputError: <text>: field 'text' is empty
        """
        from pathlib import Path

        from .ingest import IngestReport, ingest

        texts: list[str] = []
        docs: list[Document] = []
        paths: list[Path] = []
        for item in _flatten(items):
            if isinstance(item, Document):
                docs.append(item)
            elif isinstance(item, str):
                _refuse_path_as_text(item)
                texts.append(item)
            elif isinstance(item, os.PathLike):
                paths.append(Path(item))
            else:
                hint = ""
                if isinstance(item, bytes | bytearray):
                    hint = " (decode bytes to str first)"
                elif isinstance(item, Mapping):
                    hint = " (for a record, pass its text with id=..., title=... or a Document)"
                raise ConfigError(
                    f"Corpus.add: cannot add a {type(item).__name__}{hint}; give texts (str), "
                    "files or folders (pathlib.Path) or unspin.Document objects"
                )
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ConfigError(f"Corpus.add(workers={workers!r}): workers must be 1 or more")
        for field, value in (("id", id), ("title", title), ("url", url), ("site", site)):
            # Before: a number was stored as its text (id) or dropped with a warning about "a
            # json number" (the others), a Python date dropped as "a json object".
            _check_str("Corpus.add", field, value, optional=True)
        if isinstance(date, dt.date):
            # A date or datetime object (datetime is a date), as Corpus.cluster's since and
            # until take them; robust26 refused it with a hint to pass .isoformat().
            date = date.isoformat()
        if date is not None and not isinstance(date, str):
            raise ConfigError(
                f"Corpus.add(date={date!r}): date must be a str, a datetime.date or "
                "datetime, or None; a str in any form unspin.dates reads"
            )
        has_meta = any(v is not None for v in (id, title, url, date, site))
        if has_meta and (len(texts) != 1 or docs or paths):
            raise ConfigError(
                "Corpus.add: id, title, url, date and site describe one text; add several "
                "texts with metadata as unspin.Document objects, or one call per text"
            )
        meta = {"id": id, "title": title, "url": url, "date": date, "site": site}
        for d in docs:
            _check_document(d)
        report = IngestReport()
        # NULs go (with a note) before a Document's default id is made.
        read = [_text_document(t, meta) for t in texts] + [_without_nuls(d) for d in docs]
        report.warnings.extend(note for _, note in read if note is not None)
        docs = [d for d, _ in read]
        # A Document made without an id gets the one a text without an id gets: stored under
        # "", it could not be found by id, and every such document would share it.
        docs = [d if d.id else replace(d, id=_default_id(d.text)) for d in docs]
        docs = [_dated(d) for d in docs]
        if docs:
            self._add_documents(docs, report)
        if paths:
            _merge(report, ingest(paths, self.store, workers=workers))
        return report

    def _add_documents(self, docs: list[Document], report: IngestReport) -> None:
        from .fingerprints import fingerprint
        from .xling import index as xling_index
        from .xling import require as xling_require

        # A store ingested with --xling keeps a vector per text, as ingest() gives it.
        vectors = xling_index.enabled(self.store)
        if vectors:
            xling_require()  # before anything is stored: without the extra, fail at once
        # Fingerprinted before add_batch is called: a store whose writes take a lock holds
        # it only while writing.
        res = self.store.add_batch([(d, fingerprint(d.text)) for d in docs])
        if vectors:
            xling_index.index_missing(self.store)
        report.read += len(docs)
        report.characters += sum(len(d.text) for d in docs)
        report.added += res.added
        report.duplicates += res.duplicates
        report.texts_added += res.texts_added
        report.batches += 1
        for d in docs:
            for w in d.warnings:
                report.field_warnings[w.field] += 1
                report.field_warning_examples.setdefault(w.field, f"{d.path or d.id}: {w.message}")

    @_one_thread_at_a_time
    def trace(
        self,
        text: str,
        *,
        top: int | None = None,
        config: TraceConfig | None = None,
        name: str | None = None,
        leave_out: Iterable[int] = (),
    ) -> TraceResult:
        """Find the stored sources of ``text`` and the passages each one contributed.

        ``top`` caps the sources listed (default 5, from :class:`unspin.trace.TraceConfig`);
        ``name`` names the text in errors; ``leave_out``: keys of stored documents traced as
        if not stored, each with every document sharing its text (a stored document's own
        text traced against the others: where it came from, who took from it; a key not
        stored here is a :class:`ConfigError`). See :func:`unspin.trace.trace`.

        >>> with Corpus() as corpus:
        ...     _ = corpus.add("Officials said the dam on the Yangtze will hold back the floods "
        ...                    "that threaten twelve villages downstream this summer.", id="src")
        ...     result = corpus.trace("Officials stated the dam on the Yangtze will hold back "
        ...                           "the floods that endanger twelve villages downstream.")
        >>> [s.document.id for s in result.sources], result.covered > 0.5
        (['src'], True)
        """
        from .trace import TraceConfig, trace

        if not isinstance(text, str):
            raise ConfigError(f"Corpus.trace: the text must be a str, not {type(text).__name__}")
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
            raise ConfigError(f"Corpus.trace(top={top!r}): top must be a whole number, 1 or more")
        check_config("Corpus.trace", config, TraceConfig)
        _check_str("Corpus.trace", "name", name, optional=True)
        if isinstance(leave_out, str | bytes) or not isinstance(leave_out, Iterable):
            raise ConfigError(
                f"Corpus.trace(leave_out={leave_out!r}): give document keys (whole numbers), "
                "e.g. leave_out=[doc.key]"
            )
        keys = list(leave_out)
        if any(isinstance(k, bool) or not isinstance(k, int) for k in keys):
            raise ConfigError(
                f"Corpus.trace(leave_out={keys!r}): document keys are whole numbers "
                "(StoredDocument.key)"
            )
        cfg = config or TraceConfig()
        if top is not None:
            cfg = replace(cfg, top=top)
        text_of = self.store.text_keys(keys)
        missing = [k for k in keys if k not in text_of]
        if missing:
            # A key of another store, or a typo, left nothing out without a word.
            raise ConfigError(
                f"Corpus.trace(leave_out={missing[:5]!r}): no document is stored under "
                f"{'these keys' if len(missing) > 1 else 'this key'} in {self.store.path}"
            )
        left = set(text_of.values())
        return trace(text, self.store, cfg, name=name, leave_out=left)

    def compare(
        self,
        source: str,
        target: str,
        *,
        restore: bool = False,
        config: TraceConfig | None = None,
        source_name: str = "source",
    ) -> TraceResult:
        """Align ``target`` against ``source`` (neither needs to be stored); see
        :func:`compare`."""
        return compare(source, target, restore=restore, config=config, source_name=source_name)

    @_one_thread_at_a_time
    def source_texts(self, result: TraceResult) -> dict[int, str]:
        """The stored text of every source of ``result``, by ``StoredDocument.key``: what
        the reports (:mod:`unspin.report`) need to show passages side by side.

        >>> from unspin.report import to_json
        >>> with Corpus() as corpus:
        ...     _ = corpus.add("Thousands marched through Lisbon on Saturday to protest "
        ...                    "against rising rents and the lack of housing.", id="pt")
        ...     result = corpus.trace("Thousands marched through Lisbon on Saturday against "
        ...                           "rising rents and the lack of housing.")
        ...     texts = corpus.source_texts(result)
        >>> [texts[s.document.key][:26] for s in result.sources]
        ['Thousands marched through ']
        >>> to_json(result, texts)["sources"][0]["document"]["id"]
        'pt'
        """
        if not isinstance(result, TraceResult):
            raise ConfigError(
                f"Corpus.source_texts: give a TraceResult, not {type(result).__name__}"
            )
        keys = [s.document.key for s in result.sources]
        stored = self.store.documents(keys)
        for source in result.sources:
            # Keys are the store's own: up to robust35 a result traced in another store got
            # the texts of whatever documents this one holds under its keys, without a word.
            here = stored.get(source.document.key)
            if here is None or (here.id, here.length) != (
                source.document.id,
                source.document.length,
            ):
                raise ConfigError(
                    f"Corpus.source_texts: source #{source.rank} ({source.document.id!r}) is not "
                    f"stored under key {source.document.key} in {self.store.path}: the result "
                    "comes from another store, or this one changed since the trace; trace the "
                    "article with this corpus"
                )
        return self.store.texts(keys)

    @_one_thread_at_a_time
    def search(
        self,
        text: str | None = None,
        *,
        id: str | None = None,
        title: str | None = None,
        limit: int = 10,
    ) -> list[SearchHit]:
        """Stored documents for a text (candidate sources, best first: the documents
        :meth:`trace` would verify), by ``id`` (every copy stored under that id) or by
        ``title`` (titles containing those words, ASCII case ignored, in the order stored).
        Give one of the three; at most ``limit`` hits.

        >>> with Corpus() as corpus:
        ...     _ = corpus.add("Farmers in Kenya planted drought resistant maize this spring "
        ...                    "after two failed rainy seasons.", id="ke")
        ...     by_text = corpus.search("Kenyan farmers planted drought resistant maize "
        ...                             "after two failed rainy seasons.")
        ...     by_id = corpus.search(id="ke")
        ...     by_title = corpus.search(title="MAIZE")
        >>> [h.document.id for h in by_text], [h.document.id for h in by_id], by_title
        (['ke'], ['ke'], [])
        """
        if sum(q is not None for q in (text, id, title)) != 1:
            raise ConfigError(
                "Corpus.search: give one of a text, id=... or title=..., not several or none"
            )
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigError(f"Corpus.search(limit={limit!r}): limit must be 1 or more")
        # A list reached SQLite ("store error (Error binding parameter 1 ...)"), bytes or a
        # float found nothing without a word (up to robust35). An int is read as the id a JSON
        # Lines record's integer id is stored as.
        if id is not None:
            if isinstance(id, int) and not isinstance(id, bool):
                id = str(id)
            _check_str("Corpus.search", "id", id)
            return [SearchHit(d, 1.0) for d in self.store.find(id)[:limit]]
        if title is not None:
            _check_str("Corpus.search", "title", title)
            return [SearchHit(d, 1.0) for d in self.store.find_title(title, limit)]
        from .retrieve import RetrievalConfig, candidates

        if not isinstance(text, str):
            raise ConfigError(f"Corpus.search: the text must be a str, not {type(text).__name__}")
        ranked = candidates(self.store, text, RetrievalConfig(candidates=limit)).ranked[:limit]
        docs = self.store.documents([k for k, _ in ranked])
        return [SearchHit(docs[k], round(v, 4)) for k, v in ranked if k in docs]

    @_one_thread_at_a_time
    def cluster(
        self,
        out: str | os.PathLike[str] | None = None,
        *,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        config: ClusterConfig | None = None,
    ) -> Clusters:
        """Group every reused passage of the corpus into clusters, ordered in time, and
        build the site graph (documents dated within ``[since, until]``; undated ones only
        without limits). ``out`` keeps the files ``unspin cluster`` writes (clusters.jsonl,
        site_graph.csv and .graphml, report.html); without it they go to a temporary folder.

        >>> with Corpus() as corpus:
        ...     story = ("The central bank raised interest rates by half a point on Thursday, "
        ...              "its fourth increase this year, citing stubborn inflation.")
        ...     _ = corpus.add(Document(story, id="wire", site="wire.example", date="2024-05-02"))
        ...     _ = corpus.add(Document(story.replace("stubborn", "persistent"), id="copy",
        ...                             site="blog.example", date="2024-05-03"))
        ...     found = corpus.cluster()
        >>> len(found.clusters), [(e["source"], e["target"]) for e in found.edges]
        (1, [('wire.example', 'blog.example')])
        """
        import tempfile
        from pathlib import Path

        from .cluster.files import meta as doc_meta
        from .cluster.graph import site_graph
        from .cluster.kernels import ClusterConfig, DocRecord, as_passage_record
        from .cluster.local import run_local
        from .cluster.options import date_window, in_range
        from .cluster.outputs import CLUSTERS
        from .jsonl_files import read_jsonl

        if out is not None and not isinstance(out, str | os.PathLike):
            raise ConfigError(f"Corpus.cluster(out={out!r}): give a folder path, or None")
        if out is not None and not os.fspath(out):
            # Path("") is the current folder: the outputs landed there.
            raise ConfigError("Corpus.cluster(out=''): give a folder path, or None")
        check_config("Corpus.cluster", config, ClusterConfig)
        since, until = date_window(since, until, "Corpus.cluster: since", "Corpus.cluster: until")
        if out is not None:
            _make_folder(Path(out), f"Corpus.cluster(out={out!r})")
        docs = [
            DocRecord(key=d.key, id=d.id, site=d.site, date=d.date, text=text)
            for d, text in self.store.iter_documents()
            if in_range(d.date, since, until)
        ]
        with tempfile.TemporaryDirectory(prefix="unspin-cluster-") as tmp:
            folder = Path(tmp if out is None else out)
            run = run_local(docs, folder, config)
            clusters = list(read_jsonl(folder / CLUSTERS))
            passages = [
                as_passage_record(r)
                for r in read_jsonl(folder / "stages" / "local" / "passages.jsonl")
            ]
        nodes, edges = site_graph(passages, {d["key"]: doc_meta(d) for d in docs})
        if out is None:
            run.out = Path()  # the temporary folder is gone
        return Clusters(clusters, nodes, edges, run)

    @_one_thread_at_a_time
    def sites(self) -> list[SiteNode]:
        """Every site with its number of documents and characters, by site name (documents
        without a site are counted under ``"(unknown)"``).

        >>> with Corpus() as corpus:
        ...     _ = corpus.add("Snow fell in Madrid.", url="https://www.elpais.es/a")
        ...     _ = corpus.add("Snow fell in Rome.")
        ...     corpus.sites()
        [{'site': '(unknown)', 'documents': 1, 'chars': 18}, {'site': 'elpais.es', 'documents': 1, 'chars': 20}]
        """
        from .cluster.graph import UNKNOWN_SITE, SiteNode

        counts: dict[str, SiteNode] = {}
        for s in self.store.site_counts():
            name = s.site or UNKNOWN_SITE
            node = counts.setdefault(name, SiteNode(site=name, documents=0, chars=0))
            node["documents"] += s.documents
            node["chars"] += s.chars
        return [counts[s] for s in sorted(counts)]

    @_one_thread_at_a_time
    def stats(self) -> dict[str, Any]:
        """What the corpus holds: documents (copies included), distinct texts, characters,
        sites, date range... (see :meth:`unspin.store.Store.stats`).

        >>> with Corpus() as corpus:
        ...     _ = corpus.add(["One text.", "Another text."])
        ...     s = corpus.stats()
        >>> s["documents"], s["texts"], s["characters"]
        (2, 2, 22)
        """
        return self.store.stats()


def compare(
    source: str,
    target: str,
    *,
    restore: bool = False,
    config: TraceConfig | None = None,
    source_name: str = "source",
) -> TraceResult:
    """Align ``target`` against one ``source`` text: the passages it reused and the edits
    made to each (same result shape as :meth:`Corpus.trace`). ``restore`` also puts the
    source's wording back where the target was spun (``result.restored``); ``source_name``
    is the source's id and path in the result (a file name, for reports).

    >>> r = compare("The minister resigned on Friday after the damning report on hospital "
    ...             "waiting lists was published by the national audit office.",
    ...             "The minister resigned on Friday after the damning report on hospital "
    ...             "waiting lists was released by the national audit office.", restore=True)
    >>> [(e.label, e.source_text, e.target_text) for e in r.sources[0].passages[0].edits
    ...  if e.label != "identical"]
    [('synonym', 'published', 'released')]
    >>> r.sources[0].document.id
    'source'
    >>> r.restored
    'The minister resigned on Friday after the damning report on hospital waiting lists was published by the national audit office.'
    """
    from .trace import TraceConfig
    from .trace import compare as align_texts

    check_config("compare", config, TraceConfig)
    _check_flag("compare", "restore", restore)
    _check_str("compare", "source_name", source_name)

    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, str):
            raise ConfigError(f"compare: {name} must be a str, not {type(value).__name__}")
    return align_texts(source, target, source_name=source_name, config=config, restore=restore)


def score(text: str, *, model: str = "auto", restore: int = 0) -> SpinScore:
    """How likely ``text`` was spun (reworded by a synonym spinner), with the spans that
    say so; no corpus needed. ``model`` is ``"lexical"``, ``"contextual"`` (the ``embed``
    extra) or ``"auto"`` (contextual when installed). With the contextual model,
    ``restore`` re-ranks the likely originals of that many heaviest spans by how well each
    reads in its sentence (about 0.06 s of CPU a span), and of the next twice as many by a
    quicker reading (see :func:`unspin.spinscore.score.score_text`).

    >>> s = score("Colossal information examination is a quickly developing field.",
    ...           model="lexical")
    >>> 0.0 <= s.probability <= 1.0, s.model
    (True, 'lexical')
    """
    from .spinscore.score import score_text

    if not isinstance(text, str):
        raise ConfigError(f"score: the text must be a str, not {type(text).__name__}")
    if blank(text):
        # As trace and compare say, and the web app's score (422): up to robust35 an empty
        # text (or one of spaces or zero-width characters) scored 0.0, "not spun", unread.
        raise InputError("<text>", "empty text: nothing to score")
    if model == "lexical" and type(restore) is int and restore > 0:
        # As `unspin score --model lexical --restore N` says: it was silently ignored here.
        raise ConfigError(
            f"score(restore={restore!r}): restore re-ranks with the contextual model; "
            "model='lexical' does not use it (give restore=0, or model='contextual' or 'auto')"
        )
    # A lone surrogate (a str from Python; no file or request holds one) made the contextual
    # model's tokenizer fail with a TypeError (up to robust34); trace reads such a text, and
    # score now does too, the surrogate as U+FFFD (the offsets of the spans stay put).
    return score_text(without_surrogates(text), model, restore=restore)


def _flatten(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, str | os.PathLike | Document | bytes | bytearray | Mapping):
            # Refused whole below: bytes not as a run of integers, a dict (a record?) not
            # as its keys stored as texts.
            yield item
        elif isinstance(item, Iterable):
            yield from _flatten(item)
        else:
            yield item


def _reopened(path: str, readonly: bool) -> Corpus:
    """The corpus of the store file ``path`` opened again (see :meth:`Corpus.__reduce__`)."""
    return Corpus(path, readonly=readonly, create=False)


def _make_folder(folder: Path, call: str) -> None:
    """Make ``folder`` (and its parents) before any work, or ConfigError naming it: a file in
    the way was an OSError traceback once the work was done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except ValueError as exc:  # "embedded null byte", no OSError (up to robust34 a traceback)
        raise ConfigError(
            f"{call}: {str(folder)!r} holds a NUL character, which no folder name can; "
            "give a folder path"
        ) from exc
    except OSError as exc:
        problem = "is a file, not a folder" if folder.is_file() else "cannot be made"
        raise ConfigError(
            f"{call}: {folder} {problem} ({(exc.strerror or str(exc)).lower()}); give a folder path"
        ) from exc


def _check_flag(call: str, name: str, value: object) -> None:
    """A flag is True or False: "no" or 0 would silently count for its truth value."""
    if not isinstance(value, bool):
        raise ConfigError(f"{call}({name}={value!r}): {name} must be True or False")


def _check_str(call: str, name: str, value: object, *, optional: bool = False) -> None:
    if not (isinstance(value, str) or (optional and value is None)):
        either = "a str or None" if optional else "a str"
        raise ConfigError(f"{call}({name}={value!r}): {name} must be {either}")


def _refuse_path_as_text(text: str) -> None:
    if len(text) < _PATH_LIKE_CHARS and "\n" not in text and os.path.exists(text):
        raise ConfigError(
            f"Corpus.add({text!r}): this names a file or folder but a str is stored as text; "
            f"pass pathlib.Path({text!r}) to read it"
        )


_OPTIONAL_FIELDS = ("title", "url", "date", "site", "path", "date_raw", "date_precision")
# The fields that name a document, each at most MAX_FIELD_CHARS long (the id: id_problem).
_NAMES = ("title", "url", "site", "path")


def _name_of(d: Document) -> str:
    """What names a Document in errors and notes: its path, else its id."""
    name = d.path or (d.id if isinstance(d.id, str) and d.id else None) or "<document>"
    if not isinstance(name, str) or UNPAIRED_SURROGATE.search(name) or field_too_long("", name):
        return "<document>"
    return name


def _without_nuls(d: Document) -> tuple[Document, InputWarning | None]:
    """``d`` with the NULs taken out of its text, as every reader takes them out."""
    from .read.plain import without_nuls

    text, note = without_nuls(d.text, _name_of(d))
    return (d if note is None else replace(d, text=text)), note


def _check_document(d: Document) -> None:
    """Refuse a :class:`Document` that cannot be stored as it is: InputError naming it and
    the field (before anything of the call is stored, so a bad one costs only itself)."""
    name = _name_of(d)
    if not isinstance(d.text, str):  # bytes or a number: "empty text" would send the user astray
        raise InputError(name, f"field 'text' must be a string, not {type(d.text).__name__}")
    if blank(d.text):
        raise InputError(name, "empty text: nothing to store")
    if not isinstance(d.id, str):
        raise InputError(name, f"field 'id' must be a string, not {type(d.id).__name__}")
    # As the JSON Lines reader says ("" is no id given).
    if d.id and (problem := id_problem(d.id)) is not None:
        raise InputError(name, problem)
    fields: list[tuple[str, str | None]] = [("text", d.text), ("id", d.id)]
    for field in _OPTIONAL_FIELDS:
        value = getattr(d, field)
        if value is not None and not isinstance(value, str):
            raise InputError(
                name, f"field '{field}' must be a string or None, not {type(value).__name__}"
            )
        fields.append((field, value))
    for field, value in fields:
        if value is not None and (bad := UNPAIRED_SURROGATE.search(value)):
            raise InputError(
                name, f"field '{field}' holds an unpaired surrogate \\u{ord(bad.group()):04x}"
            )
        if field in _NAMES and value is not None and (problem := field_too_long(field, value)):
            raise InputError(name, problem)  # (robust36) as the JSON Lines reader drops them


def _dated(d: Document) -> Document:
    """``d`` with its date in the normalised ISO form the store compares and sorts (as a text's
    date is read), or without it and with a warning when unspin cannot read it: stored as
    written, "5 March 2024" would sort after "2024-12-01" and "yesterday" after every date."""
    from .dates import parse_date, why_not_a_date
    from .types import FieldWarning

    if d.date is None:
        return d
    parsed = parse_date(d.date)
    if parsed is None:
        problem = FieldWarning("date", f"field 'date' {why_not_a_date(d.date)}: {d.date!r}")
        return replace(
            d, date=None, date_raw=d.date, date_precision=None, warnings=(*d.warnings, problem)
        )
    if parsed.value == d.date:
        return d
    return replace(
        d, date=parsed.value, date_raw=d.date_raw or d.date, date_precision=parsed.precision
    )


def _default_id(text: str) -> str:
    """The id of a text added without one: the start of its SHA-256."""
    from .types import content_hash

    return content_hash(text)[:12]


def _text_document(text: str, meta: dict[str, str | None]) -> tuple[Document, InputWarning | None]:
    from .read import Limits
    from .read.jsonl import read_record

    if not isinstance(text, str):  # pragma: no cover - _flatten only yields str here
        raise ConfigError("Corpus.add: a text must be a str")
    # The JSON Lines reader's checks and metadata rules, so a text added here is stored
    # exactly as the same record in a .jsonl file would be; it takes the NULs out, with the
    # note. A text without an id gets its default one after that: it is the stored text's
    # (up to robust31 the NULs were taken out here first, and the reader looked again).
    doc_id = _ID_AFTER_READING if meta["id"] is None else meta["id"]
    record = {k: v for k, v in meta.items() if v is not None} | {"id": doc_id, "text": text}
    document, note = read_record(record, "<text>", Limits(), "<text>")
    if meta["id"] is None:
        document = replace(document, id=_default_id(document.text))
    return replace(document, kind="text"), note


# Stands for the id of a text added without one while the reader reads it (any id it
# accepts would do: the default id replaces it).
_ID_AFTER_READING = "<text>"


def _merge(into: IngestReport, other: IngestReport) -> None:
    into.read += other.read
    into.added += other.added
    into.duplicates += other.duplicates
    into.batches += other.batches
    into.characters += other.characters
    into.errors.extend(other.errors)
    into.warnings.extend(other.warnings)
    into.texts_added += other.texts_added
    into.field_warnings.update(other.field_warnings)
    for k, v in other.field_warning_examples.items():
        into.field_warning_examples.setdefault(k, v)
