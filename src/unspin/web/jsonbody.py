"""JSON request bodies read in a worker thread, and refused past a few thousand values.

FastAPI reads a JSON body with ``await request.json()``: ``json.loads`` on the event loop. A
body of many small values is slow to parse, and the C parser holds the interpreter lock
throughout, so a worker thread alone would not help: a 31 MiB body of 2.2 million small
objects (under the upload limit) took 2.9 s, and every other request, ``/api/health``
included, waited that long. :class:`OffLoopJsonRoute` (FastAPI's documented custom route
class) hands the handler a request whose ``json()`` parses in the thread pool with the
standard library's Python scanner, which lets other threads run as it goes (its strings are
still read by the C string reader, so a body of a few long texts parses as fast as before),
and stops at :data:`MAX_JSON_VALUES` values: the API's bodies have a handful of fields. An
object that names a key twice is refused (:class:`~unspin.json_keys.RepeatedKey`), where
``json.loads`` would keep the last value without a word.

>>> loads(b'{"text": "Cocoa prices rose.", "top": 3}')
{'text': 'Cocoa prices rose.', 'top': 3}
>>> loads(b"[" + b"0," * 20000 + b"0]")
Traceback (most recent call last):
...
json.decoder.JSONDecodeError: more than 10,000 values; a request needs a few fields: line 1 column 20002 (char 20001)
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from ..json_keys import RepeatedKey, refusing_repeated_keys

MAX_JSON_VALUES = 10_000

ScanOnce = Callable[[str, int], tuple[Any, int]]
# Undocumented parts of the standard json package (its typing stubs leave them out), used
# because no public interface does this job: the public hooks of ``json.loads``
# (``object_pairs_hook``, ``parse_int``, ``parse_float``, ``parse_constant``) are never called
# for arrays, strings, true, false or null, so a count made with them would let through a body
# of millions of ``[]`` or ``""``, and they leave the C scanner in charge, which holds the
# interpreter lock for the whole body. These three have been in the json package unchanged
# since Python 2.7; should one change, the import fails at once, and
# tests/web/test_hostile_requests.py (``test_values_no_public_json_hook_sees_are_counted_too``,
# ``test_a_json_body_of_many_small_values_is_refused``) and this module's doctest catch a
# change in how they are called.
_JSON_OBJECT: Callable[..., tuple[Any, int]] = vars(json.decoder)["JSONObject"]
_JSON_ARRAY: Callable[..., tuple[Any, int]] = vars(json.decoder)["JSONArray"]
_PY_SCANNER: Callable[[json.JSONDecoder], ScanOnce] = vars(json.scanner)["py_make_scanner"]


def loads(body: bytes) -> Any:
    """``json.loads(body)``, read by the Python scanner, refusing more than
    :data:`MAX_JSON_VALUES` values inside arrays and objects (JSONDecodeError) and an object
    that names a key twice (RepeatedKey, with the object's position)."""
    text = body.decode(json.detect_encoding(body), "surrogatepass")
    decoder = json.JSONDecoder(object_pairs_hook=refusing_repeated_keys)
    seen = 0

    def counted(scan_once: ScanOnce) -> ScanOnce:
        def scan(string: str, idx: int) -> tuple[Any, int]:
            nonlocal seen
            seen += 1
            if seen > MAX_JSON_VALUES:
                raise json.JSONDecodeError(
                    f"more than {MAX_JSON_VALUES:,} values; a request needs a few fields",
                    string,
                    idx,
                )
            return scan_once(string, idx)

        return scan

    def parse_object(
        s_and_end: tuple[str, int], strict: bool, scan_once: ScanOnce, *rest: Any
    ) -> tuple[Any, int]:
        try:
            return _JSON_OBJECT(s_and_end, strict, counted(scan_once), *rest)
        except RepeatedKey as exc:
            if exc.pos is None:  # the innermost object: its "{" is just before s_and_end[1]
                exc.pos = s_and_end[1] - 1
            raise

    def parse_array(s_and_end: tuple[str, int], scan_once: ScanOnce) -> tuple[Any, int]:
        return _JSON_ARRAY(s_and_end, counted(scan_once))

    # The scanner reads these hooks from the decoder when it is made: set them first.
    vars(decoder).update(parse_object=parse_object, parse_array=parse_array)
    vars(decoder)["scan_once"] = _PY_SCANNER(decoder)
    return decoder.decode(text)


class OffLoopJsonRequest(Request):
    """A request whose JSON body is decoded by :func:`loads` in a worker thread."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            self._json = await run_in_threadpool(loads, body)
        return self._json


class OffLoopJsonRoute(APIRoute):
    """An API route whose handler sees :class:`OffLoopJsonRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def off_loop(request: Request) -> Response:
            return await handler(OffLoopJsonRequest(request.scope, request.receive))

        return off_loop
