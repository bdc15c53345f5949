"""JSON objects that name a key twice are refused, not silently read as their last value.

RFC 8259 (section 4) says the names in an object SHOULD be unique and that parsers differ
on what they make of a repeat; Python's ``json`` keeps the last value without a word, so
``{"id": "a", "text": "x", "text": "y"}`` was stored as "y". A record like that comes from a
broken exporter, or was written so that a reader who looks at the first value sees another
text than unspin stores: either way, which value is meant cannot be known. These are
``object_pairs_hook`` functions for ``json.loads``: one refuses at once (a request body, a
file read as a whole), the other marks the object, so that a reader of many records (a JSON
array of documents) can refuse that record alone.

>>> import json
>>> json.loads('{"text": "x", "text": "y"}', object_pairs_hook=refusing_repeated_keys)
Traceback (most recent call last):
...
unspin.json_keys.RepeatedKey: key 'text' is given twice
>>> json.loads('[{"a": 1, "a": 2}]', object_pairs_hook=marking_repeated_keys)[0].repeated
'a'
"""

from __future__ import annotations

from typing import Any

# Of a repeated key, in a message: a key may be megabytes long.
_SHOWN_KEY_CHARS = 60


class RepeatedKey(ValueError):
    """A JSON object names ``key`` twice; ``pos`` is where the object starts, when known."""

    def __init__(self, key: str, pos: int | None = None) -> None:
        self.key = key
        self.pos = pos
        super().__init__(f"key {shown_key(key)} is given twice")


class RepeatedKeyObject(dict[str, Any]):
    """An object with a key given twice, read as ``json`` reads it (the last value wins)
    and marked with the first such key, for the reader to refuse the record that holds it."""

    repeated: str


def shown_key(key: str) -> str:
    """``key`` quoted for a message, cut to a readable length."""
    return f"'{cut(key)}'"


def cut(text: str) -> str:
    """``text`` cut to a readable length for a message that quotes what a client sent (a
    key, an id in a path: either may be megabytes long).

    >>> cut("a" * 5000)
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'
    """
    if len(text) > _SHOWN_KEY_CHARS:
        return text[: _SHOWN_KEY_CHARS - 3] + "..."
    return text


def first_repeated(pairs: list[tuple[str, Any]]) -> str | None:
    """The first key of ``pairs`` that an earlier pair already named, or None."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return None


def refusing_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: the object, or :class:`RepeatedKey` naming the repeated key."""
    obj = dict(pairs)
    if len(obj) != len(pairs):  # the common case costs one comparison
        raise RepeatedKey(first_repeated(pairs) or "")
    return obj


def marking_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: the object; one with a repeated key is a
    :class:`RepeatedKeyObject` naming it."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    marked = RepeatedKeyObject(obj)
    marked.repeated = first_repeated(pairs) or ""
    return marked
