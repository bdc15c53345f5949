"""Plain text files: decoding, verbatim text, and every way a file can fail to be text."""

from __future__ import annotations

import gzip
import os
from itertools import pairwise
from pathlib import Path

import pytest

from unspin.errors import ConfigError, InputError, InputWarning
from unspin.ingest import ingest
from unspin.read import Limits, decode_text, iter_inputs, read_file
from unspin.store import Store
from unspin.types import Document


def _one(path: Path, limits: Limits | None = None) -> Document:
    docs = list(read_file(path, limits))
    assert len(docs) == 1
    return docs[0]


def _error(path: Path, limits: Limits | None = None) -> InputError:
    with pytest.raises(InputError) as info:
        list(read_file(path, limits))
    return info.value


def test_utf8_text_is_kept_verbatim(tmp_path: Path) -> None:
    text = "First  line,\twith tabs.\r\nSecond line — “quoted” ünïcödé 漢字\n\n  Last.  \n"
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = _one(path)
    # Offsets downstream index this string, so nothing may be normalised away.
    assert doc.text == text
    assert doc.kind == "text"
    assert doc.id == path.as_posix()
    assert doc.path == str(path)
    assert doc.title is None and doc.url is None and doc.date is None


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\nBody text.")
    assert _one(path).text == "# Title\nBody text."


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Wide text: naïve".encode("utf-16"))
    assert _one(path).text == "Wide text: naïve"


def test_cp1252_bytes_fall_back_to_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("The café’s “naïve” menu – €5.".encode("cp1252"))
    assert _one(path).text == "The café’s “naïve” menu – €5."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Ankara'da yoğun kar yağışı başladı. İstanbul'da okullar tatil edildi.", "cp1254"),
        ("Ankara'da yoğun kar yağışı başladı. İstanbul'da okullar tatil edildi.", "iso-8859-9"),
        ("The café was full of naïve tourists who ordered crème brûlée.", "mac-roman"),
        ("España y Portugal firmaron un acuerdo. El niño comió piña en la mañana.", "mac-roman"),
    ],
)
def test_a_turkish_or_mac_roman_text_file_reads_as_written(
    tmp_path: Path, text: str, encoding: str
) -> None:
    # robust32: read as cp1252, "yoðun kar yaðýþý" and "cafŽ ... na•ve".
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert _one(path).text == text


@pytest.mark.parametrize(
    "text",
    [
        "It’s the “best” of times – and the 1990’s were worse… or not.",  # no accented letter
        # A dash between spaces (0x97) reads as "ó" in Mac Roman, a word of several lists: 3
        # Clough-Stevenson answers were read so by a first version of robust32's guess.
        "The results — as expected — were clear, and the method — a simple one — worked.",
        "Íslendingar fóru í gær til Þingvalla og sáu fallegt útsýni.",  # no list of Icelandic
        "Die Straße war gesperrt, weil es über Nacht stark geschneit hatte.",
    ],
)
def test_a_cp1252_text_file_stays_cp1252(tmp_path: Path, text: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    assert _one(path).text == text


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    # 0x81 has no cp1252 character; latin-1 maps every byte.
    data = b"Caf\xe9 au lait \x81 and more plain words here"
    assert decode_text(data, "x") == data.decode("latin-1")


def test_a_few_control_characters_are_still_text() -> None:
    # PAN 2013 uses U+0019 for an apostrophe: real corpora hold some control characters.
    text = "It\x19s a long sentence about rivers and bridges and towns. " * 5
    assert decode_text(text.encode(), "x") == text


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.txt")
    assert err.problem == "no such file or directory"
    assert err.path == str(tmp_path / "nope.txt")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_or_blank_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _error(path).problem == "empty file"


def test_binary_data_is_refused_by_its_share_of_control_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = _error(path)
    assert err.problem == "binary file, not text (33 control bytes in 272)"
    assert str(err) == f"{path}: binary file, not text (33 control bytes in 272)"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        # robust31: a PDF of plain ASCII was stored, its PDF syntax as the document's words.
        ("a.pdf", b"%PDF-1.4\nBT /F1 12 Tf (Coffee prices rose in London) Tj ET\n", "a PDF file"),
        ("a.txt", b"%PDF-1.4\nBT (Coffee prices rose in London) Tj ET\n", "a PDF file"),
        ("a.rtf", b"{\\rtf1\\ansi Coffee prices rose sharply in London.}", "an RTF document"),
        # These read "binary file, not text (...)", naming no format.
        (
            "a.docx",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(40)) * 5,
            "a ZIP archive (as a .docx, .odt, .xlsx or .epub file is)",
        ),
    ],
)
def test_a_document_format_is_named_not_read_as_text(
    tmp_path: Path, name: str, data: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert _error(path).problem == (
        f"{kind}, not text; save or extract its text first (unspin reads plain text, HTML, "
        "JSON Lines and WARC files)"
    )


def test_many_control_characters_mean_binary(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 20 + b"some text")
    assert _error(path).problem.startswith("binary file, not text (200 control characters")


def test_invalid_utf8_that_is_not_text(tmp_path: Path) -> None:
    # Mostly high bytes that no legacy encoding reads as text (a CJK one is read: below).
    path = tmp_path / "high.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 40)
    err = _error(path)
    assert err.problem.startswith("not utf-8 text (invalid byte 0x")
    assert "convert it to utf-8" in err.problem
    assert "\n" not in str(err)


# One text in each legacy encoding of a script other than Latin, by file name.
OTHER_SCRIPTS = {
    "shift_jis": "日本語のテキストです。これは例です。",
    "euc_jp": "政府は今日、新しい経済政策を発表した。国内の工業生産は前年比で増加した。",
    "gbk": "国家统计局今天发布了最新的经济数据。全国工业增加值同比增长百分之六点二。",
    "big5": "國家統計局今天發布了最新的經濟數據。全國工業增加值同比增長百分之六點二。",
    "euc_kr": "정부는 오늘 새로운 경제 정책을 발표했다. 국내 산업 생산은 6퍼센트 증가했다.",
    "cp1251": "Правительство сегодня объявило о новой экономической политике.",
    "koi8_r": "Правительство сегодня объявило о новой экономической политике.",
    "iso8859_7": "Η κυβέρνηση ανακοίνωσε σήμερα νέα οικονομική πολιτική.",
    "cp1256": "أعلنت الحكومة اليوم عن سياسة اقتصادية جديدة.",
}


def test_text_files_in_legacy_encodings_of_other_scripts_read_as_written(tmp_path: Path) -> None:
    # robust34: each was "not utf-8 text ... does not look like cp1252 or latin-1 text
    # either; convert it to utf-8", where the same text as an undeclared page was read.
    for encoding, text in OTHER_SCRIPTS.items():
        (tmp_path / f"{encoding}.txt").write_bytes(text.encode(encoding))
    read = {
        Path(item.id).stem: item.text
        for item in iter_inputs([tmp_path])
        if not isinstance(item, InputError | InputWarning)
    }
    assert read == OTHER_SCRIPTS


def test_file_over_max_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 400)
    err = _error(path, Limits(max_file_bytes=1024))
    assert err.problem == (
        "file is 2.0 KiB, over the 1.0 KiB limit (unspin ingest --max-mb raises it)"
    )


def test_document_over_max_document_chars(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("x" * 1500)
    err = _error(path, Limits(max_document_chars=1000))
    assert "1,500 characters" in err.problem
    assert "1,000-character limit" in err.problem
    assert "(unspin ingest --max-chars raises it)" in err.problem


def test_gzip_text_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt.gz"
    path.write_bytes(gzip.compress("Compressed notes, ünïcode.\n".encode()))
    doc = _one(path)
    assert doc.text == "Compressed notes, ünïcode.\n"
    assert doc.kind == "text"


def test_gzip_bomb_text_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * (4 * 1024 * 1024)))
    assert path.stat().st_size < 64 * 1024
    err = _error(path, Limits(max_file_bytes=64 * 1024))
    assert err.problem == (
        "decompressed file exceeds the 64.0 KiB limit (unspin ingest --max-mb raises it)"
    )


def test_truncated_gzip_text(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(b"some text " * 1000)[:-20])
    assert _error(path).problem == "gzip data is cut short (the file is truncated)"


@pytest.mark.parametrize("field", ["max_file_bytes", "max_document_chars"])
@pytest.mark.parametrize("value", [0, -1, True])
def test_limits_must_be_positive(field: str, value: int) -> None:
    # Before (robust27): a ValueError, where every other config raises ConfigError (an
    # UnspinError: "every error raised on purpose") naming the default.
    with pytest.raises(
        ConfigError, match=rf"^Limits\({field}={value!r}\): {field} must be a whole"
    ):
        Limits(**{field: value})


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hidden")
    path.chmod(0)
    try:
        results = list(iter_inputs([path]))
    finally:
        path.chmod(0o600)
    assert len(results) == 1 and isinstance(results[0], InputError)
    assert results[0].problem == "permission denied"


# -- text judged by content, not by one NUL byte (issue 24 items 2 and 13) -------------------

STORY = (
    "The city council voted on Thursday to build a new bridge across the river, ending a "
    "debate that had lasted for more than three years. Supporters said the crossing would "
    "cut travel times for thousands of commuters.\n"
) * 20


def test_stray_nul_bytes_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "source-document.txt"
    cut = [0, 700, 701, 2500, len(STORY)]
    path.write_bytes(b"\x00".join(STORY[a:b].encode() for a, b in pairwise(cut)))
    warning, doc = iter_inputs([path])
    assert isinstance(warning, InputWarning)
    assert str(warning) == f"{path}: 3 stray NUL characters were removed from the text"
    assert isinstance(doc, Document) and doc.text == STORY
    # The strict reader gives the document too (and logs the warning).
    assert [d.text for d in read_file(path)] == [STORY]


@pytest.mark.corpus
def test_a_pan_source_document_with_stray_nuls_is_read(tmp_path: Path, shared_data: Path) -> None:
    # How the 7 refused documents of the PAN test corpus look: real text, a few NULs in it.
    text = (shared_data / "pan13-train" / "src" / "source-document00001.txt").read_text("utf-8")
    path = tmp_path / "source-document00001.txt"
    path.write_text(text[:1000] + "\x00" + text[1000:5000] + "\x00" + text[5000:])
    (doc,) = read_file(path)
    assert doc.text == text


def test_binary_data_with_nul_bytes_is_still_refused(tmp_path: Path) -> None:
    # A real SQLite database: mostly NUL bytes, valid UTF-8 all the same. Named since
    # robust33 (`unspin ingest old.sqlite` or `trace store.sqlite` said "binary file, not
    # text (522121 control bytes in 1048576)", naming no store).
    db = tmp_path / "x.db"
    with Store(db) as store:
        ingest([], store)
    assert _error(db).problem == (
        "an SQLite database (as an unspin store is), not text; a store is given with --db"
    )
    # Text with NULs above the share of control characters a text may hold.
    path = tmp_path / "mostly-nul.txt"
    path.write_bytes(b"some words\x00\x00\x00\x00")
    assert _error(path).problem == "binary file, not text (4 control characters in 14)"


@pytest.mark.parametrize(
    "codec",
    ["utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-16"],
)
@pytest.mark.parametrize(
    "text",
    [STORY, "東京都の議会は木曜日、川に新しい橋を建設することを決定した。 3年間の議論。\n" * 20],
)
def test_utf16_without_bom_and_utf32_are_decoded(tmp_path: Path, codec: str, text: str) -> None:
    # "utf-16" and "utf-32" write a byte-order mark; the others do not.
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(codec))
    warnings = [w for w in iter_inputs([path]) if isinstance(w, InputWarning)]
    assert _one(path).text == text and warnings == []


INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u200e\u202e \n" * 20  # BOM, zero-width, marks


def test_a_text_of_only_invisible_characters_is_empty(tmp_path: Path) -> None:
    # Before (robust26): stored as a document (strip() keeps zero-width characters), and
    # traced across languages it found a "source" at 0.83 (the empty sentence's vector).
    from unspin import Corpus, Document
    from unspin.web.service import check_article

    (tmp_path / "zw.txt").write_text(INVISIBLE, encoding="utf-8")
    (tmp_path / "zw.jsonl").write_text(
        '{"id": "a", "text": "\\u200b\\u200d\\u2060"}\n{"id": "b", "text": "Rain in Kiel."}\n',
        encoding="utf-8",
    )
    items = list(iter_inputs([tmp_path / "zw.txt", tmp_path / "zw.jsonl"]))
    problems = [str(i) for i in items if isinstance(i, InputError)]
    assert sorted(problems) == [
        f"{tmp_path / 'zw.jsonl'}:1: field 'text' is empty",
        # robust34: it said "empty file" alone
        f"{tmp_path / 'zw.txt'}: empty file (only invisible characters: zero width space "
        "U+200B, zero width non-joiner U+200C, zero width joiner U+200D and 4 more)",
    ]
    assert [i.id for i in items if not isinstance(i, InputError | InputWarning)] == ["b"]
    with Corpus() as corpus:
        with pytest.raises(InputError, match="empty text"):
            corpus.add(Document(INVISIBLE, id="zw"))
        with pytest.raises(InputError, match="empty"):
            corpus.add(INVISIBLE)
        with pytest.raises(InputError, match="empty text: nothing to trace"):
            corpus.trace(INVISIBLE)
        assert corpus.stats()["documents"] == 0
    with pytest.raises(InputError, match="empty text: paste an article"):
        check_article(INVISIBLE)


@pytest.mark.parametrize(
    ("compress", "kind"),
    [
        ("bz2", "bzip2-compressed data"),
        ("lzma", "xz-compressed data"),
    ],
)
def test_data_compressed_otherwise_than_gzip_is_named(
    tmp_path: Path, compress: str, kind: str
) -> None:
    # Before (robust31): "binary file, not text (138 control bytes in 1014)", naming no format.
    import bz2
    import lzma

    text = b"The port workers of Santos walked out on Monday over pay. " * 20
    path = tmp_path / f"a.txt.{compress}"
    path.write_bytes(bz2.compress(text) if compress == "bz2" else lzma.compress(text))
    assert _error(path).problem == (
        f"{kind}, not text; decompress it first (unspin reads plain text, HTML, JSON Lines and "
        "WARC files, and gzip-compressed ones itself)"
    )
