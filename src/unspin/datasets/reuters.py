"""Reader for Reuters-21578, Distribution 1.0 (21,578 wire stories from 1987, SGML).

The collection is real wire copy with updates and re-issues, which makes it a dated news archive
with naturally occurring reuse. Terms: copyright Reuters Ltd., free distribution for research
purposes only; cite it as "Reuters-21578, Distribution 1.0".
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..types import Document

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'\bNEWID="(\d+)"')
_DATE = re.compile(r"<DATE>\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.DOTALL)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.DOTALL)
_D = re.compile(r"<D>(.*?)</D>", re.DOTALL)
# Bodies end with a sign-off ("Reuter", "REUTER", "REUTER...", a few twice) and usually an
# end-of-text entity. "told Reuters." at the end of a sentence is text, not a sign-off.
_TRAILER = re.compile(r"(?:\s*(?:\breuter\.*|\breuters\s*&#3;|&#3;))+\s*$", re.IGNORECASE)
# Control characters left by the wire format (after entities are decoded), except whitespace.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}

SITE = "reuters.com"


@dataclass(frozen=True, slots=True)
class ReutersStory:
    """One story with a body, and the topic codes Reuters indexed it with."""

    document: Document
    topics: tuple[str, ...]


def _decode(path: Path) -> str:
    """Decode one file: UTF-8, or latin-1 for the file with a stray byte (reut2-017)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _clean(raw: str) -> str:
    return _CONTROL.sub("", html.unescape(raw))


def iso_date(raw: str) -> str | None:
    """``"26-FEB-1987 15:01:01.79"`` -> ``"1987-02-26"`` (None when it does not parse)."""
    m = _DATE.search("<DATE>" + raw)
    if not m or m.group(2).upper() not in _MONTHS:
        return None
    return f"{m.group(3)}-{_MONTHS[m.group(2).upper()]:02d}-{int(m.group(1)):02d}"


def parse_sgm(text: str, name: str) -> Iterator[ReutersStory]:
    """Stories with a ``<BODY>`` in the SGML ``text`` of the file called ``name``."""
    for m in _STORY.finditer(text):
        attrs, inner = m.group(1), m.group(2)
        body = _BODY.search(inner)
        newid = _NEWID.search(attrs)
        if body is None or newid is None:
            continue
        clean = _clean(_TRAILER.sub("", body.group(1))).strip()
        if not clean:
            continue
        title = _TITLE.search(inner)
        date = _DATE.search(inner)
        topics = _TOPICS.search(inner)
        document = Document(
            text=clean,
            id=f"reuters-{newid.group(1)}",
            title=" ".join(_clean(title.group(1)).split()) if title else None,
            date=iso_date(date.group(0)[len("<DATE>") :]) if date else None,
            site=SITE,
            path=f"{name}#{newid.group(1)}",
            kind="reuters",
        )
        codes = tuple(_D.findall(topics.group(1))) if topics else ()
        yield ReutersStory(document, codes)


def _files(folder: str | Path) -> list[Path]:
    root = Path(folder)
    if not root.is_dir():
        raise InputError(str(root), "not a folder; point it at the reuters21578 directory")
    files = sorted(root.glob("reut2-*.sgm"))
    if not files:
        raise InputError(str(root), "holds no reut2-NNN.sgm files; is it Reuters-21578?")
    return files


def iter_stories(
    folder: str | Path, names: Collection[str] | None = None
) -> Iterator[ReutersStory]:
    """Every story with a body in ``folder``, in file and story order, with its topics;
    ``names`` (such as ``{"reut2-014.sgm"}``) reads only those files."""
    for path in _files(folder):
        if names is None or path.name in names:
            yield from parse_sgm(_decode(path), path.name)


def iter_reuters(folder: str | Path) -> Iterator[Document]:
    """Every story with a body in ``folder`` as a :class:`~unspin.types.Document`.

    Ids are ``reuters-<NEWID>``, dates ISO (``1987-02-26``), paths ``reut2-0NN.sgm#NEWID``.
    Entities are decoded and the ``Reuter &#3;`` sign-off is dropped.
    """
    for story in iter_stories(folder):
        yield story.document
