"""`unspin serve`: binds to loopback by default and hands the app to uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from unspin.cli import main

uvicorn = pytest.importorskip("uvicorn")


def test_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    calls: dict[str, Any] = {}
    # The server is handed the socket serve bound (a taken port fails before this point).
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: calls.update(s=sockets))
    db = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls["s"][0].getsockname()[:2] == ("127.0.0.1", 8123)
    calls["s"][0].close()
    assert db.exists()  # an empty store is created so files can be added from the page
    assert "http://127.0.0.1:8123/" in result.output


def test_thousand_word_trace_is_answered(client, demo_dir: Path):  # type: ignore[no-untyped-def]
    # Its speed is measured by benchmarks/load_web.py; here: a 1,000-word article gets its
    # sources, and retrieval aligned no more candidates than the configuration allows.
    from unspin.trace import TraceConfig

    parts = [
        "example-article.txt",
        "example-spun60.txt",
        "example-noise.txt",
        "example-verbatim.txt",
    ]
    text = "\n\n".join((demo_dir / p).read_text(encoding="utf-8") for p in parts)
    assert len(text.split()) >= 1000
    r = client.post("/api/trace", json={"text": text, "top": 5})
    assert r.status_code == 200
    assert r.json()["sources"]
    assert r.json()["stats"]["candidates_considered"] <= TraceConfig().retrieval.max_candidates
