"""Documents handed to the Python API as they are (``Corpus.add(Document(...))``): a bad one
is refused as :class:`unspin.InputError` naming it and the problem, before anything of the
call is stored, and never poisons what is traced afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from unspin import Corpus, Document, InputError

GOOD = "Dock workers walked out at the harbour on Tuesday over a pay dispute, union leaders said."


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"text": "A lone \udc80 surrogate in a story about the harbour strike."}, "text"),
        ({"text": "A story about the harbour strike.", "id": "x\ud800"}, "id"),
        ({"text": "A story about the harbour strike.", "id": None}, "id"),
        ({"text": "A story about the harbour strike.", "id": "a", "url": "http://x/\udfff"}, "url"),
        ({"text": "A story about the harbour strike.", "id": "a", "title": 42}, "title"),
    ],
)
def test_a_bad_document_is_one_input_error_and_costs_only_itself(
    tmp_path: Path, fields: dict[str, Any], named: str
) -> None:
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.add(GOOD, id="good")
        with pytest.raises(InputError) as err:
            corpus.add([Document(GOOD + " Again.", id="fine"), Document(**fields)])
        message = str(err.value)
        assert "\n" not in message and f"'{named}'" in message
        # Nothing of the refused call is stored; what was stored before is intact.
        assert [d.id for d, _ in corpus.store.iter_documents()] == ["good"]
        assert corpus.store.check() == []
