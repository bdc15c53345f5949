"""Reuters-21578 reader: a synthetic SGML sample always, the real collection when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.datasets import iter_demo, iter_reuters, shared_data_dir
from unspin.datasets.reuters import iso_date, iter_stories, parse_sgm
from unspin.errors import InputError

SAMPLE = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="7">
<DATE> 3-MAR-1987 15:01:01.79</DATE>
<TOPICS><D>cocoa</D><D>coffee</D></TOPICS>
<TEXT>&#2;
<TITLE>BAHIA &lt;COCOA> REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued &amp; prices rose.
    The dry period means the crop will be late.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="8">
<DATE>26-FEB-1987 15:02:20.00</DATE>
<TEXT TYPE="BRIEF">&#2;
<TITLE>BRIEF WITHOUT BODY</TITLE>
&#3;</TEXT>
</REUTERS>
"""


def test_parse_sgm_decodes_entities_and_drops_trailer() -> None:
    stories = list(parse_sgm(SAMPLE, "reut2-000.sgm"))
    assert len(stories) == 1  # the brief has no BODY
    doc = stories[0].document
    assert doc.id == "reuters-7"
    assert doc.title == "BAHIA <COCOA> REVIEW"
    assert doc.date == "1987-03-03"
    assert doc.text == (
        "Showers continued & prices rose.\n    The dry period means the crop will be late."
    )
    assert (doc.site, doc.kind, doc.path, doc.url) == (
        "reuters.com",
        "reuters",
        "reut2-000.sgm#7",
        None,
    )
    assert stories[0].topics == ("cocoa", "coffee")


def test_iter_reuters_falls_back_to_latin1(tmp_path: Path) -> None:
    data = SAMPLE.replace("prices rose", "prices rose \xa3").encode("latin-1")
    (tmp_path / "reut2-017.sgm").write_bytes(data)
    docs = list(iter_reuters(tmp_path))
    assert "\xa3" in docs[0].text


def test_iter_stories_reads_only_the_named_files(tmp_path: Path) -> None:
    (tmp_path / "reut2-000.sgm").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "reut2-001.sgm").write_text(SAMPLE.replace('NEWID="7"', 'NEWID="9"'), "utf-8")
    assert [s.document.id for s in iter_stories(tmp_path)] == ["reuters-7", "reuters-9"]
    assert [s.document.id for s in iter_stories(tmp_path, {"reut2-001.sgm"})] == ["reuters-9"]
    assert list(iter_stories(tmp_path, set())) == []


def test_iso_date() -> None:
    assert iso_date("26-FEB-1987 15:01:01.79") == "1987-02-26"
    assert iso_date(" 1-MAR-1987 01:41:26.47") == "1987-03-01"
    assert iso_date("sometime in spring") is None


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        list(iter_reuters(tmp_path / "nope"))
    with pytest.raises(InputError, match="no reut2"):
        list(iter_reuters(tmp_path))


def test_demo_corpus_is_a_reuters_subset() -> None:
    docs = list(iter_demo())
    assert 300 <= len(docs) <= 500
    assert all(d.id.startswith("reuters-") and d.date and d.text for d in docs)
    assert len({d.id for d in docs}) == len(docs)


@pytest.mark.corpus
def test_full_collection_has_19043_bodies() -> None:
    data = shared_data_dir()
    if data is None or not (data / "reuters21578").is_dir():
        pytest.skip("../shared/data/reuters21578 is not present")
    docs = list(iter_reuters(data / "reuters21578"))
    assert len(docs) == 19043
    assert len({d.id for d in docs}) == len(docs)
    assert all(d.date and d.date.startswith("1987-") for d in docs)
    assert not any("&#" in d.text or d.text.rstrip().lower().endswith("reuter") for d in docs)
    first = docs[0]
    assert (first.id, first.title, first.date) == ("reuters-1", "BAHIA COCOA REVIEW", "1987-02-26")
