"""Small frozen value types shared by every part of unspin.

Offsets are always Python ``str`` indices into the *raw* text a value refers to, so
``text[span.start:span.end]`` is the exact passage, whatever normalisation happened on the way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Half a UTF-16 surrogate pair. A Python str may hold one (JSON may escape half a pair,
# "\\ud800"; bytes decoded with surrogateescape), but SQLite cannot store it and text2num
# cannot read it: every reader and writer of documents looks for it with this pattern.
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD (one character for one, so offsets stay
    put): what a tokenizer or parser written in Rust can take. A str from Python may hold
    them (no file, request or stored document does).

    >>> without_surrogates("12 " + chr(0xDC80) + " ships") == "12 " + chr(0xFFFD) + " ships"
    True
    """
    return UNPAIRED_SURROGATE.sub("\ufffd", text)


def blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only whitespace, NULs and invisible format characters
    (zero-width spaces and joiners, byte-order marks, direction marks: Unicode's Cf), which
    ``str.strip`` keeps. Every check for an empty text uses it. A text of NULs (a JSON
    record's ``"\u0000"``, ``Corpus.add("\0")``) was stored and traced as a document that
    shows nothing, while a file of them was refused.

    >>> blank(" " + chr(0x200B) + chr(0xFEFF) + chr(10)), blank(chr(0x200B) + "a")
    (True, False)
    >>> blank(chr(0) * 3), blank(chr(0) + "a")
    (True, False)
    """
    return all(c.isspace() or c == "\x00" or unicodedata.category(c) == "Cf" for c in text)


# The most characters an id, a title, a URL or a site name may have: above any real one
# (web servers refuse a request line past 8 KiB: Apache's LimitRequestLine, nginx), far below
# a text. Up to robust36 a JSON Lines record's id, title and URL of 2,000,000 characters each
# were stored, and every report naming the document held them: a trace's terminal report of
# 21 MB that took 40 s to print, a 24 MB HTML page, a Corpus page of them all.
MAX_FIELD_CHARS = 8_192


def field_too_long(name: str, value: str) -> str | None:
    """Why ``value`` is too long for the field ``name`` (:data:`MAX_FIELD_CHARS`), or None.

    >>> field_too_long("title", "A short title") is None, field_too_long("url", "u" * 9_000)
    (True, "field 'url' is 9,000 characters, over the 8,192 it may have (a name or a line, not a text)")
    """
    if len(value) <= MAX_FIELD_CHARS:
        return None
    return (
        f"field '{name}' is {len(value):,} characters, over the {MAX_FIELD_CHARS:,} it may "
        "have (a name or a line, not a text)"
    )


def shown_field(value: str | None) -> str | None:
    """A stored id, title, URL, site or path as reports show it: whole when within
    :data:`MAX_FIELD_CHARS`, else its first :data:`MAX_FIELD_CHARS` characters and a note
    of how long it is. A store written before robust36 may hold longer ones (which every
    report naming the document held whole: a trace's terminal report of 19 MB, 39 s); the
    store keeps them as they are.

    >>> shown_field("A short title"), shown_field(None)
    ('A short title', None)
    >>> shown_field("u" * 9_000)[-54:]
    'uuuu… [9,000 characters stored; the first 8,192 shown]'
    """
    if value is None or len(value) <= MAX_FIELD_CHARS:
        return value
    note = f"{len(value):,} characters stored; the first {MAX_FIELD_CHARS:,} shown"
    return f"{value[:MAX_FIELD_CHARS]}… [{note}]"


def id_problem(doc_id: str) -> str | None:
    """Why ``doc_id`` cannot name a stored document, or None: it shows nothing
    (:func:`blank`), it holds a NUL character, or it is longer than :data:`MAX_FIELD_CHARS`
    (robust36). The readers of ids (JSON Lines records, :meth:`unspin.Corpus.add` and
    ``cluster --input``) ask it. An id such as ``"a\\x00b"`` was stored up to
    robust35: every terminal report showed it as ``"a b"``, SQLite's text functions read it
    as ``"a"``, and no command line can hold it to name the document. Refused rather than
    cleaned: an id taken apart could meet another record's.

    >>> id_problem("reuters-1") is None, id_problem(chr(0x200B)), id_problem("a" + chr(0) + "b")
    (True, "field 'id' is empty", "field 'id' holds a NUL character (character 2 of 3), which an id cannot hold")
    """
    if blank(doc_id):
        return "field 'id' is empty"
    at = doc_id.find("\x00")
    if at >= 0:
        return (
            f"field 'id' holds a NUL character (character {at + 1:,} of {len(doc_id):,}), "
            "which an id cannot hold"
        )
    return field_too_long("id", doc_id)


def content_hash(text: str) -> str:
    """Stable identity of a document's text (used to make re-ingest a no-op)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """An optional field of a record that could not be used (the document is kept without it)."""

    field: str  # title | url | site | date
    message: str  # one line naming the field and the problem


@dataclass(frozen=True, slots=True)
class Document:
    """A document as read from a file, before or after it is stored."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    # Normalised ISO 8601 at its precision (see unspin.dates): 2021, 2021-03, 2021-03-04 or
    # 2021-03-04T10:00:00Z; None when unknown.
    date: str | None = None
    site: str | None = None  # registrable domain of the URL, or the site as given
    path: str | None = None  # where it was read from (file, or file#record)
    kind: str = "text"  # text | html | jsonl | warc
    date_raw: str | None = None  # the date as the input wrote it
    date_precision: str | None = None  # year | month | day | datetime (None: from the date's shape)
    warnings: tuple[FieldWarning, ...] = ()  # optional fields dropped as unusable

    @property
    def hash(self) -> str:
        return content_hash(self.text)

    def meta(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "date": self.date,
            "site": self.site,
            "path": self.path,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of a raw text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


# Edit labels, in the order reports list them: meaning-changing kinds (distortions) first.
DISTORTION_LABELS: tuple[str, ...] = (
    "negation",
    "number_change",
    "date_change",
    "entity_change",
    "quote_change",
)
EDIT_LABELS: tuple[str, ...] = (
    *DISTORTION_LABELS,
    "synonym",
    "paraphrase",
    "inflection",
    "typo",
    "case_or_punctuation",
    "insertion",
    "deletion",
    "reordering",
    "identical",
)


@dataclass(frozen=True, slots=True)
class Edit:
    """One difference between a source passage and its reuse, with offsets into both raw texts.

    ``source_text == source[source_start:source_end]`` and likewise for the target. An
    insertion has an empty source range, a deletion an empty target range.
    """

    label: str
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    source_text: str
    target_text: str
    confidence: float = 1.0
    distortion: bool = False  # can change what the text says (see DISTORTION_LABELS)
    reason: str | None = None  # one line for a reader, e.g. "number 12 became 21"
    evidence: str | None = None  # which resource supports the label: "moby", "stem", ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "target_start": self.target_start,
            "target_end": self.target_end,
            "source_text": self.source_text,
            "target_text": self.target_text,
            "confidence": round(self.confidence, 4),
            "distortion": self.distortion,
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Passage:
    """A pair of aligned passages: ``source[source_start:source_end]`` was reused as
    ``target[target_start:target_end]``. ``score`` is in [0, 1]."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    score: float = 1.0
    edits: tuple[Edit, ...] = ()  # filled in by the edit labeller; alignment leaves it empty

    @property
    def source_span(self) -> Span:
        return Span(self.source_start, self.source_end)

    @property
    def target_span(self) -> Span:
        return Span(self.target_start, self.target_end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_start": self.source_start,
            "source_end": self.source_end,
            "target_start": self.target_start,
            "target_end": self.target_end,
            "score": round(self.score, 4),
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """Metadata of a document in the store (the text is loaded on demand)."""

    key: int  # the store's integer primary key
    id: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    site: str | None = None
    path: str | None = None
    length: int = 0

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> StoredDocument:
        """A document from the store's row ``key, id, title, url, date, site, path, length``,
        each name within :data:`MAX_FIELD_CHARS` (:func:`shown_field`)."""
        key, doc_id, title, url, date, site, path, length = row
        return cls(
            key,
            shown_field(doc_id) or doc_id,
            shown_field(title),
            shown_field(url),
            date,
            shown_field(site),
            shown_field(path),
            length,
        )

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> StoredDocument:
        """The document :meth:`to_dict` gave (a saved result), as :meth:`from_row` reads it."""
        doc = cls(**value)
        return cls.from_row([getattr(doc, name) for name in _STORED_FIELDS])

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "date": self.date,
            "site": self.site,
            "path": self.path,
            "length": self.length,
        }


_STORED_FIELDS = ("key", "id", "title", "url", "date", "site", "path", "length")


@dataclass(frozen=True, slots=True)
class SourceMatch:
    """One ranked source of an article with the passages it contributed.

    ``owned`` are the article stretches this source explains better than every source ranked
    above it (``trace`` attributes each stretch to one source); ``coverage`` counts only them.
    ``copies`` are near-identical copies of this source (reprints, mirrors) that explain the
    same stretches as well: listed "also in", never as rival sources. ``shared_wording``:
    where everything this source shares with the article is wording that many other stored
    documents hold too, with other names and numbers (a template frame, see
    :mod:`unspin.shared_wording`), how many of them; ``None`` otherwise.
    """

    document: StoredDocument
    rank: int
    score: float  # retrieval + alignment evidence, higher is better
    coverage: float  # share of the article's characters this source owns
    passages: tuple[Passage, ...] = ()
    owned: tuple[Span, ...] = ()
    copies: tuple[StoredDocument, ...] = ()
    shared_wording: int | None = None


@dataclass(frozen=True, slots=True)
class RelatedDocument:
    """A candidate that tells the same story in other words: it aligned with the article but
    explains no stretch of it as reuse (it owns nothing and is no copy of a source), so it
    gets no passages, edits or distortions. ``overlap`` is the share of the article its
    alignments touched."""

    document: StoredDocument
    overlap: float


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the article attributed to one source, or to none (``source_key is None``)."""

    start: int
    end: int
    source_key: int | None
    spin: float | None = None  # spin probability of an unsourced stretch, when scored


@dataclass(frozen=True, slots=True)
class TraceResult:
    """Everything ``trace`` found for one article."""

    article: str
    sources: tuple[SourceMatch, ...]
    segments: tuple[Segment, ...]
    candidates_considered: int = 0
    capped: bool = False
    seconds: float = 0.0
    restored: str | None = None  # the article with spun/noised wording put back (compare --restore)
    meta: dict[str, Any] = field(default_factory=dict)
    related: tuple[RelatedDocument, ...] = ()  # same story, no reuse (see RelatedDocument)

    @property
    def covered(self) -> float:
        """Share of the article covered by any source, those marked ``shared_wording`` too:
        :attr:`explained_by_reuse` plus :attr:`template_wording_only`."""
        return self._share(lambda key: key is not None)

    @property
    def explained_by_reuse(self) -> float:
        """Share of the article attributed to a source not marked ``shared_wording``: what
        reuse of a stored document explains. What the reports call covered by sources.

        >>> from unspin.types import StoredDocument
        >>> frame = SourceMatch(StoredDocument(2, "notice"), 2, 1.0, 0.4, shared_wording=4)
        >>> story = SourceMatch(StoredDocument(1, "story"), 1, 1.0, 0.5)
        >>> r = TraceResult("x" * 10, (story, frame),
        ...                 (Segment(0, 5, 1), Segment(5, 9, 2), Segment(9, 10, None)))
        >>> r.covered, r.explained_by_reuse, r.template_wording_only
        (0.9, 0.5, 0.4)
        """
        marked = self.template_keys
        return self._share(lambda key: key is not None and key not in marked)

    @property
    def template_wording_only(self) -> float:
        """Share of the article attributed to sources marked ``shared_wording`` (a template
        frame many stored documents hold, :mod:`unspin.shared_wording`): listed, but no
        evidence of where the article came from, so not in :attr:`explained_by_reuse`."""
        marked = self.template_keys
        return self._share(lambda key: key in marked) if marked else 0.0

    @property
    def template_keys(self) -> frozenset[int]:
        """Keys of the sources marked ``shared_wording``: what they own is template wording
        only (the reports draw it apart from what sources cover)."""
        return frozenset(s.document.key for s in self.sources if s.shared_wording is not None)

    def _share(self, counts: Callable[[int | None], bool]) -> float:
        n = len(self.article)
        if n == 0:
            return 0.0
        return sum(s.end - s.start for s in self.segments if counts(s.source_key)) / n

    @property
    def reindex_note(self) -> str | None:
        """What to tell the user when the store traced against was indexed by an older
        unspin that read the article's combining marks or invisible characters as word
        breaks (sources holding them may be missed until ``unspin reindex``): the note the
        CLI prints on standard error and the web page shows; None otherwise. It is
        ``meta["reindex_note"]`` in the JSON report."""
        note = self.meta.get("reindex_note")
        return note if isinstance(note, str) else None
