"""Text decoded the wrong way upstream ("StructureÂ 7A", "donâ€™t") is put back on reading,
with a note; text that only looks foreign is left as written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from unspin.cli import main
from unspin.errors import InputWarning
from unspin.ingest import ingest
from unspin.read import iter_inputs
from unspin.store import Store

STORY = (
    "The tomb has been designated Burial\u00a01; it was found during excavations of "
    "Structure\u00a07A and was inserted into the centre of the structure. The archaeologists "
    "\u2018were astonished\u2019, the museum\u2019s director said, and dated the offering to "
    "AD\u00a0100\u2013200. Grave goods include a jade necklace, two earspools coated in "
    "cinnabar and mosaic mirrors made from iron pyrite, one of more than 800 pieces.\n"
)


def garbled(text: str) -> str:
    """``text`` as a step that read its UTF-8 bytes as Windows-1252 would pass it on."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


def test_a_copy_garbled_upstream_reads_as_its_writer_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    path.write_text(garbled(STORY), encoding="utf-8")
    assert "Structure\u00c2\u00a07A" in path.read_text(encoding="utf-8")
    warning, doc = iter_inputs([path])
    assert doc.text == STORY
    assert isinstance(warning, InputWarning)
    assert str(warning).startswith(f"{path}: text decoded in the wrong encoding upstream put back")


def test_text_in_other_languages_is_left_as_written(tmp_path: Path) -> None:
    text = (
        "Le caf\u00e9 de la p\u00e2tisserie \u00e0 c\u00f4t\u00e9 est ferm\u00e9. "
        "M\u00fcller sa\u00df \u00fcber dem \u00c4rger. \u00c2ngulo e cora\u00e7\u00e3o, "
        "\u00d1and\u00fa. \u041c\u043e\u0441\u043a\u0432\u0430 \u2014 \u201cquoted\u201d. "
        "\u5317\u4eac\u5e02\u653f\u5e9c\u3002\u30dd\u30b1\u30e2\u30f3\u3002\n"
    )
    path = tmp_path / "languages.txt"
    path.write_text(text, encoding="utf-8")
    items = list(iter_inputs([path]))
    assert len(items) == 1 and items[0].text == text


def test_json_lines_records_are_put_back_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    records = [
        {"id": "a", "title": garbled("The museum\u2019s tomb"), "text": garbled(STORY)},
        {"id": "b", "text": STORY},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(iter_inputs([path]))
    notes = [i for i in items if isinstance(i, InputWarning)]
    docs = [i for i in items if not isinstance(i, InputWarning)]
    assert [d.text for d in docs] == [STORY, STORY]
    assert docs[0].title == "The museum\u2019s tomb"
    assert len(notes) == 1 and str(notes[0]).startswith(f"{path}#1: text decoded")


def test_ingest_stores_the_text_put_back(tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    path.write_text(garbled(STORY), encoding="utf-8")
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([path], store)
        ((_stored, text),) = list(store.iter_documents())
        assert text == STORY


def test_compare_labels_no_typo_for_a_garbled_encoding(tmp_path: Path) -> None:
    source, copy = tmp_path / "source.txt", tmp_path / "copy.txt"
    source.write_text(STORY, encoding="utf-8")
    copy.write_text(garbled(STORY), encoding="utf-8")
    res = CliRunner().invoke(main, ["compare", str(source), str(copy), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    edits = [e for s in report["sources"] for p in s["passages"] for e in p["edits"]]
    assert edits == [] and report["covered"] > 0.95
    assert report["article"]["text"] == STORY


def test_standard_input_is_put_back_as_a_file_is(tmp_path: Path) -> None:
    # The CLI decodes plain text from '-' itself (not through the readers): the same repair.
    source = tmp_path / "source.txt"
    source.write_text(STORY, encoding="utf-8")
    res = CliRunner().invoke(
        main, ["compare", str(source), "-", "--json"], input=garbled(STORY).encode("utf-8")
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["article"]["text"] == STORY
