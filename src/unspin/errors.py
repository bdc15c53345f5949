"""One exception hierarchy for everything unspin raises on purpose.

Every message says what went wrong *and* what to do about it, so the CLI can print it as a
single line and exit non-zero without a traceback.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

# The explicit bidirectional formatting characters: embeddings, overrides, isolates and their
# ends (U+202A-U+202E, U+2066-U+2069). Text holding them is shown in another order than it is
# written: an id "report\u202eLMTH.exe" reads "reportexe.HTML" ("Trojan Source", CVE-2021-42574).
# The marks that only set a direction (U+200E, U+200F, U+061C) reorder nothing but
# punctuation around them, and right-to-left text uses them: they are left alone.
BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_BIDI_ESCAPES = {c: f"\\u{c:04x}" for c in BIDI_CONTROLS}

# What the reports write as escapes: those, and a NUL, which no HTML page may hold (a browser
# drops it or shows U+FFFD) and which `cluster --input` texts reached report.html with up to
# robust36 (a JSON report never holds one raw: JSON escapes it itself); and a lone surrogate,
# which a text from Python may hold (``Corpus.trace`` reads one) and no UTF-8 file can: up to
# robust37 the HTML and JSON reports of such a trace held it raw, and writing them failed
# ("surrogates not allowed"). In JSON its escape reads back as the same string.
_SHOWN_ESCAPES = {
    **_BIDI_ESCAPES,
    0: "\\u0000",
    **{c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)},
}

# C0 and C1 control characters, DEL and the Unicode line breaks, and the bidirectional
# controls: escaped in shown names.
_ESCAPES = {
    **{
        c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
        for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
    },
    **_BIDI_ESCAPES,
}


def bidi_escaped(text: str) -> str:
    r"""``text`` with every explicit bidirectional control written as its escape
    (``\u202e``), so that it is read in the order it is written: how the HTML and JSON
    reports show document text and metadata (a JSON reader gets the same string back); a
    NUL too, as ``\u0000``, and a lone surrogate (``\ud800``), which UTF-8 cannot hold.

    >>> bidi_escaped("evil\u202etxt.exe"), bidi_escaped("abc\u200f!"), bidi_escaped("a\0b")
    ('evil\\u202etxt.exe', 'abc\u200f!', 'a\\u0000b')
    """
    return text.translate(_SHOWN_ESCAPES)


def printable(name: str) -> str:
    r"""A file name (or a message naming one) as text that can be stored and printed on one
    line: how unspin shows every path, in errors, warnings and reports alike.

    File names are bytes on POSIX and need not be UTF-8 (a name copied from an old Latin-1
    system); Python hands them over with the bad bytes as lone surrogates, which cannot be
    stored or printed. Those bytes become ``\xNN`` and control characters (a newline in a
    name) are escaped; any other text is returned unchanged, so applying it twice is the same
    as once.

    >>> printable("caf\udce9.txt"), printable("two\nlines.txt"), printable("café.txt")
    ('caf\\xe9.txt', 'two\\x0alines.txt', 'café.txt')
    >>> printable("report\u202eLMTH.exe")  # read in the order it is written (robust36)
    'report\\u202eLMTH.exe'
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that no file name's byte gives
            raw = name.encode("utf-8", "surrogatepass")
        name = raw.decode("utf-8", "backslashreplace")
    return name.translate(_ESCAPES) if not name.isprintable() else name


class UnspinError(Exception):
    """Base class of every error unspin raises deliberately.

    Its text is :func:`printable`: a file name that is not UTF-8 reads ``caf\\xe9.txt`` as
    reports show it (not ``caf\\udce9.txt``, nor a byte the terminal cannot show), and a
    message stays one line whatever a name or a quoted input holds."""

    def __str__(self) -> str:
        return printable(super().__str__())


class InputError(UnspinError):
    """A file or text given to unspin cannot be read (missing, empty, binary, malformed...)."""

    def __init__(self, path: str | None, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True, slots=True)
class InputWarning:
    """Something reading changed in an input that was still read (a note, never raised).

    ``iter_inputs`` yields one just before the document it concerns, e.g. when stray NUL
    bytes were removed from a text file; ingest prints it and counts it in its summary.
    """

    path: str | None
    problem: str

    def __str__(self) -> str:
        return printable(f"{self.path}: {self.problem}" if self.path else self.problem)


class StoreError(UnspinError):
    """The document store cannot be opened or is inconsistent."""


class DiskFull(StoreError):
    """The disk holding the store is full: nothing is wrong with the store or the request,
    and the same work passes once space is freed."""


class IndexRebuilding(StoreError):
    """The store's index is being rebuilt (``unspin reindex``), or a rebuild was interrupted:
    its documents are whole, its index is not, so nothing may be traced against it."""


class ConfigError(UnspinError):
    """An option or configuration value is invalid."""


class MissingExtraError(UnspinError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str, feature: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package '{module}'. "
            f"Install it with: pip install 'unspin[{extra}]'"
        )


# What says the machine is short of something, not that an input or a file is bad: out of
# open files (a crowd of clients holds them while `unspin serve` warms up), memory or
# processes. Such an error is no fault of the request and passes if it is tried again.
_EXHAUSTED = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.EAGAIN})


def machine_exhausted(exc: BaseException) -> bool:
    """Whether ``exc`` says the machine is short of open files, memory or processes.

    >>> machine_exhausted(OSError(errno.EMFILE, "Too many open files"))
    True
    >>> machine_exhausted(FileNotFoundError(errno.ENOENT, "No such file")), machine_exhausted(KeyError())
    (False, False)
    """
    return isinstance(exc, OSError) and exc.errno in _EXHAUSTED


def require(module: str, extra: str, feature: str) -> object:
    """Import an optional module or raise MissingExtraError naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no branch - both paths are tested
        raise MissingExtraError(module, extra, feature) from exc
