"""Schema v5: each text's language is detected at ingest and stored; v4 stores keep working
(read as they are, migrated in place when opened for writing)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.fingerprints import fingerprint
from unspin.store import SCHEMA_VERSION, Store
from unspin.types import Document
from unspin.xling import INSTALL_HINT, XlingUnavailable, available, require
from unspin.xling.index import has_languages, languages, text_languages
from unspin.xling.language import detect

EN = "The central bank raised interest rates by half a point on Tuesday, officials said."
RU = "Центральный банк во вторник повысил процентные ставки на полпункта, сообщили чиновники."
FR = "La banque centrale a relevé mardi ses taux d'intérêt d'un demi-point, selon des responsables."


def _add(store: Store, docs: list[Document]) -> None:
    store.add_batch([(d, fingerprint(d.text)) for d in docs])


def test_languages_are_detected() -> None:
    assert [detect(t) for t in (EN, RU, FR)] == ["en", "ru", "fr"]
    assert detect("2021 - 3,5 %") is None  # too few letters to tell


def test_tables_of_figures_get_no_language_but_prose_keeps_its_own() -> None:
    # A Reuters earnings table that py3langid's best guess calls Nigerian Pidgin (pcm).
    table = "Qtly div two cts vs 1.7 cts\n    Pay March 26\n    Record March 12"
    assert detect(table) is None
    # Short prose in each language still gets its label, Chinese whatever its odds.
    assert detect("Shares rose two cents on Tuesday after the dividend was paid.") == "en"
    assert detect("Les actions ont progressé mardi après le versement du dividende.") == "fr"
    assert detect("周二股息发放后，该公司股价上涨了两美分。") == "zh"


def test_ingest_stores_each_text_s_language(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        _add(s, [Document(EN, "en-1"), Document(RU, "ru-1"), Document(EN, "en-copy")])
        assert languages(s) == {"en": 1, "ru": 1}  # a copy shares its text's language
        assert set(text_languages(s, [1, 2]).values()) == {"en", "ru"}
        assert s.stats()["schema_version"] == SCHEMA_VERSION == 5


def _make_v4(path: Path) -> None:
    """A store as unspin wrote it before schema v5: no language column, no vectors."""
    with Store(path) as s:
        _add(s, [Document(EN, "en-1")])
    con = sqlite3.connect(path)
    with con:
        con.execute("ALTER TABLE texts DROP COLUMN lang")
        con.execute("DROP TABLE xvectors")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()


def test_a_v4_store_is_read_as_it_is_and_migrated_when_written(tmp_path: Path) -> None:
    db = tmp_path / "v4.db"
    _make_v4(db)
    with Store(db, readonly=True) as s:  # reading only: no migration, languages unknown
        assert not has_languages(s)
        assert languages(s) == {"?": 1}
        assert [d.id for d, _ in s.iter_documents()] == ["en-1"]
    with Store(db) as s:  # opened for writing: the column is added in place
        assert has_languages(s)
        assert s.stats()["schema_version"] == 5
        _add(s, [Document(RU, "ru-1")])
        assert languages(s) == {"?": 1, "ru": 1}
        assert s.check() == []
    res = CliRunner().invoke(main, ["xling", "languages", "--db", str(db)])
    assert res.exit_code == 0 and "ru\t1" in res.output and "?\t1" in res.output


def test_stats_of_a_v4_store_read_as_it_is_say_v4(tmp_path: Path) -> None:
    """`unspin stats` reads without migrating: it reports the schema the store has, not the
    one this unspin writes."""
    db = tmp_path / "v4.db"
    _make_v4(db)
    res = CliRunner().invoke(main, ["stats", "--db", str(db), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["schema_version"] == 4
    with Store(db) as s:  # migrated
        assert s.stats()["schema_version"] == 5
    res = CliRunner().invoke(main, ["stats", "--db", str(db), "--json"])
    assert json.loads(res.stdout)["schema_version"] == 5


def test_require_says_how_to_install_the_extra() -> None:
    if available():
        require()  # nothing missing: no error
    else:
        with pytest.raises(XlingUnavailable, match=re.escape(INSTALL_HINT)):
            require()


def test_ingest_xling_without_the_extra_leaves_no_store_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The extra is installed here: its absence is what find_spec would say without it.
    monkeypatch.setattr("unspin.xling._importable", lambda name: False)
    (tmp_path / "a.txt").write_text("Cocoa prices rose sharply in London on Monday.")
    db = tmp_path / "new.db"
    res = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db), "--xling"])
    assert res.exit_code != 0 and INSTALL_HINT in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_languages_of_an_empty_store_say_it_is_empty(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store(db).close()
    res = CliRunner().invoke(main, ["xling", "languages", "--db", str(db)])
    assert res.exit_code == 0
    assert res.output.startswith(f"no texts stored in {db}")  # it printed nothing


def test_languages_say_what_the_question_mark_counts(tmp_path: Path) -> None:
    # robust31: the help said "'?': not detected yet", also of texts that `xling index` had
    # read and found too short to tell; nothing said which.
    db = tmp_path / "s.db"
    with Store(db) as s:
        _add(s, [Document("!!! ??? 123", "marks"), Document(RU, "ru-1")])
    res = CliRunner().invoke(main, ["xling", "languages", "--db", str(db)])
    assert res.exit_code == 0 and "?\t1" in res.stdout and "ru\t1" in res.stdout
    assert res.stderr.strip() == (
        "note: ?: 1 text whose language could not be told (too few letters, or no language "
        "clear enough)"
    )
    assert "not detected yet" not in CliRunner().invoke(main, ["xling", "languages", "-h"]).stdout
    v4 = tmp_path / "v4.db"
    _make_v4(v4)
    res = CliRunner().invoke(main, ["xling", "languages", "--db", str(v4)])
    assert res.exit_code == 0 and "records no languages yet" in res.stderr
