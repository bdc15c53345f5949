"""One error format: JSON under ``/api/`` and a readable page elsewhere, with the right status.

| error                                  | status |
|----------------------------------------|--------|
| unsupported file kind                  | 415    |
| unreadable or empty input              | 422    |
| request body does not match the schema | 422    |
| missing or wrong CSRF token            | 403    |
| request body over the upload limit     | 413    |
| too much heavy work running (retry)    | 429    |
| optional feature not installed         | 501    |
| the work ran out of memory (retry)     | 503    |
| out of open files or memory (OSError)  | 503    |
| the disk holding the store is full     | 507    |
| multipart form the parser refuses      | 400    |
| the store's index is being rebuilt     | 409    |
| other unspin errors (store problems)   | 400    |
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import DEFAULT_MAX_HEADER_SIZE
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from ..errors import (
    DiskFull,
    IndexRebuilding,
    InputError,
    MissingExtraError,
    UnspinError,
    machine_exhausted,
)
from ..json_keys import RepeatedKey, cut
from .busy import Busy
from .security import CsrfError
from .uploads import UnsupportedKind

# What a request whose work ran out of memory is told. The server goes on (other requests,
# smaller ones, are answered), so it is 503, as for a server too busy: "retry later".
OUT_OF_MEMORY = (
    "the server ran out of memory on this request (other requests at the same time may have "
    "taken it); retry later, or send less at once"
)


def status_of(exc: Exception) -> int:
    """The HTTP status for one of our errors."""
    if isinstance(exc, UnsupportedKind):
        return 415
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, CsrfError):
        return 403
    if isinstance(exc, MissingExtraError):
        return 501
    if isinstance(exc, DiskFull):
        # Not the request's fault (400 up to the 39th session): 507 Insufficient Storage,
        # and the same request passes once space is freed.
        return 507
    if isinstance(exc, IndexRebuilding):
        # Not the request's fault (400 said so up to robust36): the store's state conflicts
        # with it, and the same request succeeds once the re-index ends.
        return 409
    return 400


def encodable(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX`` escapes, so it encodes as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# Control characters (line breaks, escape sequences) and the Unicode line separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    r"""``text`` with control characters written as escapes, so a message stays one line.

    >>> one_line("no ingest job a\nb\x1b[31m")
    'no ingest job a\\nb\\x1b[31m'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The error as JSON for API calls, as an HTML page for everything else.

    The message is made encodable and one line first: it may quote what the client sent (an
    id in the path), and a lone surrogate in it would turn this answer into a server error,
    a line break into a message of two lines.
    """
    message = one_line(encodable(message))
    if request.url.path.startswith("/api/"):
        body = {"error": message, "status": status, **extra}
        return JSONResponse(body, status_code=status, headers=headers)
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )
    return response


# What a field of a strict JSON body wants, by the type of the error that refused a value.
_WANTED = {
    "int_type": "an integer (a JSON number such as 5, unquoted)",
    "bool_type": "true or false (unquoted)",
    "string_type": "a string",
    # The body as a whole (the names pydantic and FastAPI give it).
    "model_type": "a JSON object of the fields in /api/docs",
    "model_attributes_type": "a JSON object of the fields in /api/docs",
}


def _json_value(value: Any) -> str:
    """What a JSON value is, quoting a short one.

    >>> _json_value("5"), _json_value(True), _json_value(2.5), _json_value([1])
    ("the string '5'", 'true', 'the number 2.5', 'an array')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {cut(repr(value))}"
    if isinstance(value, str):
        return f"the string '{cut(value)}'"
    return "an array" if isinstance(value, list) else "an object"


def problem(error: dict[str, Any]) -> str:
    """One validation error as ``where: what``; invalid JSON says what the parser found, a
    value of the wrong JSON type the type wanted and the one given. What the client sent is
    quoted cut short (a key may be megabytes long)."""
    where = ".".join(cut(str(p)) for p in error.get("loc", ()))
    if error.get("type") == "json_invalid":
        at = error.get("loc", ("body", "?"))[-1]
        found = (error.get("ctx") or {}).get("error", "cannot be parsed")
        return f"body: invalid JSON at character {at}: {found}"
    if error.get("type") == "extra_forbidden":
        what = "parameter" if where.startswith("query.") else "key"
        return f"{where}: not a {what} this request reads (the {what}s it reads are in /api/docs)"
    if "Expected UploadFile" in str(error.get("msg", "")):
        # A multipart part without a file name arrives as a plain text field.
        return f"{where}: not a file (a form part with no file name); send each file with its name"
    wanted = _WANTED.get(str(error.get("type")))
    if wanted is not None and "input" in error:
        return f"{where}: must be {wanted}, not {_json_value(error['input'])}"
    return f"{where}: {error.get('msg', 'invalid')}"


def unreadable_body(exc: HTTPException) -> str | None:
    """What made FastAPI give up reading a JSON body, or None for any other HTTP error.

    FastAPI answers 400 "There was an error parsing the body" for a body ``json.loads``
    cannot even start on (not in its encoding, or nested past the recursion limit) or that
    names a key twice, naming none of these. A body is read as UTF-8 unless it starts with a
    UTF-16 or UTF-32 byte-order mark (or its zero bytes say it is one of those, as RFC 4627
    had it): ``json.detect_encoding``, what ``json.loads`` itself does with bytes.
    """
    cause = exc.__cause__
    if exc.status_code != 400 or cause is None:
        return None
    if isinstance(cause, RecursionError):
        return "body: JSON nested too deeply to read"
    if isinstance(cause, RepeatedKey):
        return f"body: {cause} in the object at character {cause.pos}; give each key once"
    if isinstance(cause, ValueError) and (digits := _LONG_INTEGER.search(str(cause))):
        # Python converts at most 4,300 digits (sys.int_info.str_digits_check_threshold's
        # default limit); up to robust39 such a number, in any field, was answered only
        # "There was an error parsing the body".
        return (
            f"body: holds an integer of {int(digits[2]):,} digits, over the {int(digits[1]):,} "
            "a number may have; no field of a request needs one that long"
        )
    if isinstance(cause, UnicodeDecodeError):
        encoding = cause.encoding.upper().replace("_", "-")
        if not encoding.startswith("UTF-8"):
            # A body with the mark of a wide encoding, or read as one: name it, not UTF-8.
            wide = encoding[:6]  # UTF-16 or UTF-32, without the byte order
            how = (
                f"starts with a {wide} byte-order mark"
                if _has_bom(cause.object)
                else f"reads as {wide} (by its zero bytes)"
            )
            return (
                f"body: {how} but is not {wide} text ({cause.reason} at byte {cause.start}); "
                "send JSON as UTF-8"
            )
        return (
            f"body: not UTF-8 text (byte 0x{cause.object[cause.start]:02x} at byte "
            f"{cause.start} cannot be decoded); send JSON as UTF-8"
        )
    return None


# How Python refuses to convert a number of too many digits.
_LONG_INTEGER = re.compile(r"Exceeds the limit \((\d+) digits\).*?value has (\d+) digits")


def unreadable_form(exc: HTTPException) -> str | None:
    """What made Starlette give up reading a multipart form, or None for any other error.

    Starlette answers 400 "Invalid multipart data." for any fault python-multipart finds,
    naming none: an upload whose file name is over about 4,000 characters (a part's header
    line is limited to 4,224 bytes) was answered only that. The parser's own message, kept
    as the exception's cause, says which fault it was.
    """
    refused = exc.__context__
    if exc.status_code != 400 or not isinstance(refused, MultiPartException):
        return None
    fault = refused.__cause__
    if not isinstance(fault, FormParserError):
        return None
    if "header size" in str(fault):
        return (
            f"invalid multipart data: a part's header is longer than {DEFAULT_MAX_HEADER_SIZE:,} "
            "bytes, as with a file name that long; give the file a shorter name"
        )
    return f"invalid multipart data: {fault}"


def _has_bom(body: bytes) -> bool:
    marks = (
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        codecs.BOM_UTF32_BE,
    )  # UTF-32-LE's: a UTF-16-LE's
    return body.startswith(marks)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def out_of_memory(request: Request, exc: Exception) -> Response:
        # Up to robust39 a 500 "Internal Server Error" and a traceback in the server's log.
        return error_response(request, 503, OUT_OF_MEMORY, headers={"Retry-After": "30"})

    async def ours(request: Request, exc: Exception) -> Response:
        return error_response(request, status_of(exc), str(exc))

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if isinstance(exc.__cause__, MemoryError):  # reading the body ran out of memory
            return await out_of_memory(request, exc.__cause__)
        unreadable = unreadable_body(exc)
        if unreadable is not None:
            return error_response(request, 422, unreadable)
        form = unreadable_form(exc)
        if form is not None:
            return error_response(request, 400, form)
        headers = dict(exc.headers) if exc.headers else None
        return error_response(request, exc.status_code, str(exc.detail), headers=headers)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [encodable(problem(e)) for e in exc.errors()]
        message = "invalid request: " + "; ".join(problems)
        return error_response(request, 422, message, detail=problems)

    async def busy(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Busy)
        return error_response(request, 429, str(exc), headers={"Retry-After": str(exc.retry_after)})

    async def exhausted(request: Request, exc: Exception) -> Response:
        # Out of open files or memory: no fault of the request, and it passes once the
        # crowd holding them is gone (503 and a retry, where it was a 500 and a traceback).
        if not machine_exhausted(exc):
            raise exc
        assert isinstance(exc, OSError)
        message = f"the server is short of resources ({exc.strerror}); try again shortly"
        return error_response(request, 503, message, headers={"Retry-After": str(Busy.retry_after)})

    app.add_exception_handler(MemoryError, out_of_memory)
    app.add_exception_handler(UnspinError, ours)
    app.add_exception_handler(OSError, exhausted)
    app.add_exception_handler(Busy, busy)
    app.add_exception_handler(CsrfError, ours)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(RequestValidationError, invalid)
