"""Reading a PAN text-alignment corpus and reading/writing PAN annotation XML.

A PAN corpus folder holds ``src/``, ``susp/``, a top-level ``pairs`` file and one folder per
section (``01-no-plagiarism``, ``02-no-obfuscation``...), each with its own ``pairs`` file and
one truth XML per pair named ``suspicious-documentX-source-documentY.xml``. Offsets in the XML
are Python ``str`` indices into the decoded UTF-8 text, read without newline translation.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import quoteattr

from ..errors import ConfigError, InputError
from ..jsonl_files import replaced_atomically
from ..types import Passage

CASE_FEATURE = "plagiarism"
DETECTION_FEATURE = "detected-plagiarism"

_SECTION_DIR = re.compile(r"^(\d\d)-[\w.-]+$")


class Annotation(NamedTuple):
    """One plagiarism case or detection: a suspicious-document range reused from a source range.

    The field names follow the PAN XML attributes. A tuple, so that duplicate annotations
    collapse in a set exactly as they do in the official evaluator.
    """

    this_reference: str
    this_offset: int
    this_length: int
    source_reference: str
    source_offset: int
    source_length: int

    @property
    def this_end(self) -> int:
        return self.this_offset + self.this_length

    @property
    def source_end(self) -> int:
        return self.source_offset + self.source_length


@dataclass(frozen=True, slots=True)
class Pair:
    """A suspicious/source document pair listed in a section's ``pairs`` file."""

    suspicious: str  # file name, e.g. "suspicious-document00005.txt"
    source: str  # file name, e.g. "source-document01090.txt"
    section: str  # section folder name, e.g. "02-no-obfuscation"

    @property
    def xml_name(self) -> str:
        """The PAN file name of this pair's truth or detection XML."""
        return f"{Path(self.suspicious).stem}-{Path(self.source).stem}.xml"


@dataclass(frozen=True, slots=True)
class PanCorpus:
    """A PAN corpus on disk: its folder, its sections (sorted) and their pairs (in file order)."""

    root: Path
    sections: tuple[str, ...]
    pairs: tuple[Pair, ...]

    def suspicious_path(self, pair: Pair) -> Path:
        return self.root / "susp" / pair.suspicious

    def source_path(self, pair: Pair) -> Path:
        return self.root / "src" / pair.source

    def truth_path(self, pair: Pair) -> Path:
        return self.root / pair.section / pair.xml_name

    def select(self, codes: list[str] | None) -> tuple[Pair, ...]:
        """The pairs of the sections whose two-digit codes are given (all sections for None)."""
        if not codes:
            return self.pairs
        wanted = {code.strip().zfill(2) for code in codes if code.strip()}
        known = {section[:2]: section for section in self.sections}
        unknown = sorted(wanted - known.keys())
        if unknown:
            raise ConfigError(
                f"unknown section code(s) {', '.join(unknown)}; this corpus has "
                f"{', '.join(sorted(known))} ({', '.join(self.sections)})"
            )
        return tuple(p for p in self.pairs if p.section[:2] in wanted)


def read_text(path: Path) -> str:
    """A corpus document as PAN offsets see it: UTF-8, with ``\\r`` kept as it is."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(str(path), "document listed in a pairs file does not exist") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _read_pairs_file(path: Path, section: str) -> list[Pair]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise InputError(
                str(path),
                f"line {number}: expected 'suspicious-documentX.txt source-documentY.txt', "
                f"got {line!r}",
            )
        pairs.append(Pair(fields[0], fields[1], section))
    return pairs


def read_corpus(root: Path | str) -> PanCorpus:
    """Read the section folders and ``pairs`` files of a PAN text-alignment corpus.

    Raises InputError when the folder does not look like a PAN corpus.
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(str(root), "not a folder; give the PAN corpus folder (with susp/, src/)")
    for needed in ("susp", "src"):
        if not (root / needed).is_dir():
            raise InputError(
                str(root), f"not a PAN corpus: no '{needed}/' folder (expected susp/, src/, pairs)"
            )
    sections = sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and _SECTION_DIR.match(entry.name) and (entry / "pairs").is_file()
    )
    if not sections:
        raise InputError(
            str(root),
            "not a PAN corpus: no section folder like '02-no-obfuscation/' with a 'pairs' file",
        )
    pairs: list[Pair] = []
    for section in sections:
        pairs.extend(_read_pairs_file(root / section / "pairs", section))
    return PanCorpus(root=root, sections=tuple(sections), pairs=tuple(pairs))


def _int_attribute(node: ET.Element, name: str, path: Path) -> int:
    value = node.get(name)
    if value is None:
        raise InputError(str(path), f"<feature> lacks the '{name}' attribute")
    try:
        number = int(value)
    except ValueError:
        raise InputError(str(path), f"'{name}' is not an integer: {value!r}") from None
    if number < 0:
        raise InputError(str(path), f"'{name}' is negative: {number}")
    return number


def read_annotations(path: Path | str, feature: str = CASE_FEATURE) -> list[Annotation]:
    """The ``<feature name=FEATURE .../>`` annotations of one PAN XML file, in file order.

    Other features (``about``, ``md5``...) are skipped, as the official evaluator skips them.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise InputError(str(path), "annotation file does not exist") from None
    except ET.ParseError as exc:
        raise InputError(str(path), f"not well-formed XML ({exc})") from None
    reference = root.get("reference")
    if root.tag != "document" or not reference:
        raise InputError(str(path), "expected a <document reference='...'> root element")
    annotations = []
    for node in root.iter("feature"):
        if node.get("name") != feature:
            continue
        source = node.get("source_reference")
        if not source:
            raise InputError(str(path), "<feature> lacks the 'source_reference' attribute")
        annotations.append(
            Annotation(
                this_reference=reference,
                this_offset=_int_attribute(node, "this_offset", path),
                this_length=_int_attribute(node, "this_length", path),
                source_reference=source,
                source_offset=_int_attribute(node, "source_offset", path),
                source_length=_int_attribute(node, "source_length", path),
            )
        )
    return annotations


def read_cases(corpus: PanCorpus, pair: Pair) -> list[Annotation]:
    """The truth cases of a pair; a pair without a truth file has none."""
    path = corpus.truth_path(pair)
    if not path.is_file():
        return []
    return read_annotations(path, CASE_FEATURE)


def passages_to_detections(pair: Pair, passages: list[Passage]) -> list[Annotation]:
    """Alignment passages as PAN detections of a pair (target = the suspicious document).

    Passages that are empty on both sides are dropped: they mark no characters, and the
    official evaluator would divide by their zero length.
    """
    detections = []
    for p in passages:
        if p.target_end == p.target_start and p.source_end == p.source_start:
            continue
        detections.append(
            Annotation(
                this_reference=pair.suspicious,
                this_offset=p.target_start,
                this_length=p.target_end - p.target_start,
                source_reference=pair.source,
                source_offset=p.source_start,
                source_length=p.source_end - p.source_start,
            )
        )
    return detections


def detections_xml(pair: Pair, detections: list[Annotation]) -> str:
    """The official PAN detection XML of one pair."""
    lines = [f"<document reference={quoteattr(pair.suspicious)}>"]
    for d in detections:
        lines.append(
            f'<feature name="{DETECTION_FEATURE}" this_offset="{d.this_offset}" '
            f'this_length="{d.this_length}" source_reference={quoteattr(d.source_reference)} '
            f'source_offset="{d.source_offset}" source_length="{d.source_length}"/>'
        )
    lines.append("</document>")
    return "\n".join(lines) + "\n"


def write_detections(out_dir: Path | str, pair: Pair, detections: list[Annotation]) -> Path:
    """Write a pair's detection XML into OUT_DIR (created if needed); returns its path. The
    file is whole or keeps what it held (written beside and renamed), and a write's error
    names it: up to robust36 a disk that filled left half a file, and ``eval pan --out``
    said "standard output: no space left on device"."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / pair.xml_name
    with replaced_atomically(path) as fh:
        fh.write(detections_xml(pair, detections))
    return path
