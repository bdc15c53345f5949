"""End-to-end through the CLI: ingest the shipped demo corpus, trace the shipped examples."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.report import load_schema

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    res = CliRunner().invoke(main, ["ingest", str(DEMO / "corpus.jsonl"), "--db", db, "-q"])
    assert res.exit_code == 0, res.output
    assert "documents added" in res.output
    return db


def _trace_json(db: str, name: str) -> dict:
    res = CliRunner().invoke(main, ["trace", str(DEMO / name), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize(
    "name",
    ["example-verbatim.txt", "example-article.txt", "example-spun60.txt", "example-noise.txt"],
)
def test_examples_trace_to_both_true_sources(demo_db: str, name: str) -> None:
    truth = json.loads((DEMO / "examples.json").read_text())[name]["sources"]
    report = _trace_json(demo_db, name)
    jsonschema.Draft202012Validator(load_schema()).validate(report)  # the CLI's own output
    top2 = {s["document"]["id"] for s in report["sources"][:2]}
    assert top2 == set(truth)
    assert report["covered"] > 0.9
    article = (DEMO / name).read_text()
    for src in report["sources"]:
        for p in src["passages"]:
            assert 0 <= p["target_start"] < p["target_end"] <= len(article)
            assert p["target_excerpt"] == article[p["target_start"] : p["target_end"]]


def test_reingest_adds_nothing(demo_db: str) -> None:
    res = CliRunner().invoke(main, ["ingest", str(DEMO / "corpus.jsonl"), "--db", demo_db, "-q"])
    assert res.exit_code == 0
    assert res.output.startswith("0 documents added")


def test_stats_and_check(demo_db: str) -> None:
    res = CliRunner().invoke(main, ["stats", "--db", demo_db, "--json"])
    assert json.loads(res.stdout)["documents"] >= 400
    res = CliRunner().invoke(main, ["check", "--db", demo_db])
    assert res.exit_code == 0 and res.output.startswith("ok:")


def test_html_report_is_written_and_escaped(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = CliRunner().invoke(
        main, ["trace", str(DEMO / "example-article.txt"), "--db", demo_db, "--html", str(out)]
    )
    assert res.exit_code == 0, res.output
    page = out.read_text()
    assert "reuters-3034" in page and "<script" not in page.lower()


def test_bad_inputs_give_one_line_errors(demo_db: str, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A perfectly ordinary news story about the harbour and its many boats. " * 3)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    db = str(tmp_path / "x.db")
    res = CliRunner().invoke(
        main,
        [
            "ingest",
            str(good),
            str(empty),
            str(binary),
            str(tmp_path / "missing.txt"),
            "--db",
            db,
            "-q",
        ],
    )
    assert res.exit_code == 1
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 3
    assert any("empty.txt" in e for e in errors) and any("blob.txt" in e for e in errors)
    assert "1 documents added" in res.output  # the good file still went in

    res = CliRunner().invoke(main, ["trace", str(empty), "--db", demo_db])
    assert res.exit_code != 0
    assert res.output.count("\n") == 1 and "empty.txt" in res.output

    res = CliRunner().invoke(main, ["trace", str(good), "--db", str(tmp_path / "nope.db")])
    assert res.exit_code != 0 and "no such store" in res.output

    nowhere = str(tmp_path / "no" / "such" / "dir" / "r.html")
    res = CliRunner().invoke(main, ["trace", str(good), "--db", demo_db, "--html", nowhere])
    assert res.exit_code != 0 and res.output.count("\n") == 1
    assert nowhere in res.output and "cannot write the report" in res.output


def test_compare_restore_puts_source_wording_back(tmp_path: Path) -> None:
    corpus = {
        json.loads(line)["id"]: json.loads(line)["text"]
        for line in (DEMO / "corpus.jsonl").read_text().splitlines()
    }
    src = tmp_path / "a.txt"
    src.write_text(corpus["reuters-1715"])
    res = CliRunner().invoke(
        main, ["compare", str(src), str(DEMO / "example-spun60.txt"), "--json", "--restore"]
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    jsonschema.Draft202012Validator(load_schema()).validate(report)  # suggestions filled in
    assert report["sources"][0]["coverage"] > 0.3
    restored = report["restored"]
    suggestions = report["suggestions"]
    assert suggestions, "--restore must list per-edit suggestions"
    for sug in suggestions:
        spun_text = (DEMO / "example-spun60.txt").read_text()
        assert spun_text[sug["target_start"] : sug["target_end"]] == sug["target_text"]
    spun = (DEMO / "example-spun60.txt").read_text()
    # The restored text is closer to the source than the spun one.
    import difflib

    before = difflib.SequenceMatcher(None, spun[:800], corpus["reuters-1715"][573:1400]).ratio()
    after = difflib.SequenceMatcher(None, restored[:800], corpus["reuters-1715"][573:1400]).ratio()
    assert after > before + 0.2


def test_python_dash_m_works() -> None:
    out = subprocess.run([sys.executable, "-m", "unspin", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "trace" in out.stdout


def test_trace_spin_model_option(demo_db: str) -> None:
    article = str(DEMO / "example-article.txt")
    ok = CliRunner().invoke(main, ["trace", article, "--db", demo_db, "--spin-model", "lexical"])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(main, ["trace", article, "--db", demo_db, "--spin-model", "bert"])
    assert bad.exit_code != 0
    assert "--spin-model" in bad.output


def test_every_distortion_lies_in_a_stretch_its_source_owns(demo_db: str) -> None:
    for name in ("example-article.txt", "example-spun60.txt"):
        report = _trace_json(demo_db, name)
        owned = {
            s["document"]["key"]: [(o["start"], o["end"]) for o in s["owned"]]
            for s in report["sources"]
        }
        for d in report["distortions"]:
            spans = owned[d["source_key"]]
            assert any(a <= d["target_start"] and d["target_end"] <= b for a, b in spans), d
        # Owned stretches of different sources never overlap: each change is reported once.
        every = sorted(span for spans in owned.values() for span in spans)
        assert all(x[1] <= y[0] for x, y in pairwise(every))


def test_all_shows_what_the_default_report_bounds(demo_db: str) -> None:
    article = str(DEMO / "example-spun60.txt")
    short = CliRunner().invoke(main, ["trace", article, "--db", demo_db])
    full = CliRunner().invoke(main, ["trace", article, "--db", demo_db, "--all"])
    assert short.exit_code == 0 and full.exit_code == 0, full.output
    assert "(--all shows them)" in short.output
    assert "(--all shows them)" not in full.output
    assert len(full.output.splitlines()) > len(short.output.splitlines())


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_reports(
    demo_db: str, tmp_path: Path
) -> None:
    # Before (relhunt3): compare --html and trace --languages across --html died with a
    # UnicodeEncodeError traceback: the name (a lone surrogate, as os decodes the byte) went
    # into the report as it was.
    import os

    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    try:
        with open(raw, "wb") as fh:
            fh.write((DEMO / "example-article.txt").read_bytes())
    except OSError:
        pytest.skip("this file system refuses a file name that is not UTF-8")
    name = os.fsdecode(raw)
    html = tmp_path / "compare.html"
    res = CliRunner().invoke(
        main, ["compare", name, str(DEMO / "example-verbatim.txt"), "--html", str(html)]
    )
    assert res.exit_code == 0, res.output
    assert "caf\\xe9.txt" in html.read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["compare", name, str(DEMO / "example-verbatim.txt"), "--json"])
    assert json.loads(res.stdout)["sources"][0]["document"]["id"].endswith("caf\\xe9.txt")
    res = CliRunner().invoke(main, ["trace", name, "--db", demo_db, "--html", str(html)])
    assert res.exit_code == 0, res.output


def test_compare_of_a_translation_says_the_texts_are_in_two_languages(tmp_path: Path) -> None:
    # Before (robust26): "No sources found for this article." and nothing else, for a
    # Russian translation compared with its English source.
    translated = DEMO / "example-translated-ru.txt"
    source = next(
        json.loads(line)["text"]
        for line in (DEMO / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["id"] == "reuters-1715"  # source A (the demo's README)
    )
    (tmp_path / "en.txt").write_text(source, encoding="utf-8")
    res = CliRunner().invoke(main, ["compare", str(tmp_path / "en.txt"), str(translated)])
    assert res.exit_code == 0, res.output
    assert "No sources found" in res.stdout
    assert res.stderr == (
        f"note: {tmp_path / 'en.txt'} reads as language 'en' and {translated} as 'ru': "
        "compare aligns texts in one language; to trace a translation to its source, "
        "ingest the source with --xling and run: unspin trace --languages across\n"
    )
    en = str(tmp_path / "en.txt")
    same = CliRunner().invoke(main, ["compare", en, en])
    assert same.exit_code == 0 and same.stderr == ""


def test_trace_of_a_translation_on_a_store_without_vectors_says_how_to_search_across(
    demo_db: str,
) -> None:
    # Before (robust27): `unspin trace` (languages "auto", the default) of the Russian
    # translation of a stored story on a store without cross-language vectors printed "No
    # sources found" and nothing more: "auto" searches across languages only where the store
    # keeps vectors, and nothing said so.
    translated = DEMO / "example-translated-ru.txt"
    res = CliRunner().invoke(main, ["trace", str(translated), "--db", demo_db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sources"] == []
    assert res.stderr == (
        f"note: {translated} reads as language 'ru' and most stored texts as 'en', but this "
        "store keeps no cross-language vectors, so only sources in the article's language "
        f"were searched; to trace a translation, add them with: unspin xling index --db "
        f"{demo_db} (the xling extra), then trace again\n"
    )
    # Not for an English article with no source, nor when same-language search was asked for.
    (english := Path(demo_db).with_name("unrelated.txt")).write_text(
        "The committee met on Tuesday to discuss the new library opening hours and parking.",
        encoding="utf-8",
    )
    for args in (["trace", str(english)], ["trace", str(translated), "--languages", "same"]):
        quiet = CliRunner().invoke(main, [*args, "--db", demo_db, "--json"])
        assert quiet.exit_code == 0 and quiet.stderr == "", quiet.output


def test_trace_of_a_file_of_several_records_says_it_reads_the_first(
    demo_db: str, tmp_path: Path
) -> None:
    # A feed given whole: before, its first record alone was traced, without a word, and the
    # report passed for the file's.
    lines = (DEMO / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["trace", str(feed), "--db", demo_db, "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["article"]["text"] == json.loads(lines[0])["text"]
    assert (
        f"note: {feed} holds more than one record; this reads the first ({feed}#1) alone "
        "(unspin score reads every record)"
    ) in res.stderr
    one = tmp_path / "one.jsonl"
    one.write_text(lines[0] + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["trace", str(one), "--db", demo_db, "--json"])
    assert res.exit_code == 0 and "holds more than one record" not in res.stderr


def test_an_article_hiding_words_with_lookalike_letters_is_traced_and_noted(
    demo_db: str, tmp_path: Path
) -> None:
    # Before (robust30): the demo article with its "e", "o" and "a" made Cyrillic found no
    # source ("0% covered") and nothing said why; the plain article is 99% covered. Then a
    # note said why; now the words are read as the Latin words they show, and traced.
    plain = (DEMO / "example-article.txt").read_text(encoding="utf-8")
    hidden = tmp_path / "hidden.txt"
    hidden.write_text(plain.translate(str.maketrans("eoa", "\u0435\u043e\u0430")), "utf-8")
    res = CliRunner().invoke(main, ["trace", str(hidden), "--db", demo_db])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith(
        f"note: {hidden}: 231 words mix Latin letters with Cyrillic or Greek ones that look "
        "alike (as 'G\u0430viri\u0430'), a way to hide copying; they were read as the Latin"
    ), res.stderr
    found = CliRunner().invoke(main, ["trace", str(hidden), "--db", demo_db, "--json"])
    shown = CliRunner().invoke(
        main, ["trace", str(DEMO / "example-article.txt"), "--db", demo_db, "--json"]
    )
    hidden_report, plain_report = json.loads(found.stdout), json.loads(shown.stdout)
    ids = [[s["document"]["id"] for s in r["sources"]] for r in (hidden_report, plain_report)]
    assert ids[0] == ids[1] and len(ids[0]) == 2
    assert hidden_report["covered"] >= plain_report["covered"] - 0.02
    res = CliRunner().invoke(main, ["compare", str(DEMO / "example-article.txt"), str(hidden)])
    assert res.exit_code == 0 and res.stderr.count("note: ") == 1, res.stderr
    res = CliRunner().invoke(main, ["trace", str(DEMO / "example-article.txt"), "--db", demo_db])
    assert res.exit_code == 0 and "note" not in res.stderr


def test_an_article_hiding_zero_width_spaces_is_traced_scored_and_noted(
    demo_db: str, tmp_path: Path
) -> None:
    """Before (31st session): robust31 made the fingerprints read through zero-width spaces,
    but nothing said they were there, the edits split every word at them (case edits, false
    distortions) and the spin score read no word at all (0 content words, probability 0.00)."""
    plain = (DEMO / "example-article.txt").read_text(encoding="utf-8")
    hidden = tmp_path / "hidden.txt"
    hidden.write_text(re.sub(r"(\w)(\w)", "\\1\u200b\\2", plain), "utf-8")
    res = CliRunner().invoke(main, ["trace", str(hidden), "--db", demo_db, "--json"])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith(
        f"note: {hidden}: 286 words hold invisible characters (zero width space U+200B, as in "
        "'Gaviria'), a way to hide copying"
    ), res.stderr
    report = json.loads(res.stdout)
    edits = [e for s in report["sources"] for p in s["passages"] for e in p["edits"]]
    assert not [
        e for e in edits if e["label"] == "case_or_punctuation" and "\u200b" in e["target_text"]
    ]
    lexical = ["score", "--model", "lexical", "--json"]
    runs = [
        CliRunner().invoke(main, [*lexical, str(p)]) for p in (DEMO / "example-article.txt", hidden)
    ]
    scored = [json.loads(run.stdout)[0] for run in runs]
    assert runs[0].stderr == "" and runs[1].stderr.startswith(f"note: {hidden}: 286 words hold")
    assert scored[1]["probability"] == scored[0]["probability"] > 0.5
    assert scored[1]["content_words"] == scored[0]["content_words"]
    text = hidden.read_text(encoding="utf-8")
    assert all(text[s["start"] : s["end"]] == s["phrase"] for s in scored[1]["spans"])
    assert [s["phrase"].replace("\u200b", "") for s in scored[1]["spans"]] == [
        s["phrase"] for s in scored[0]["spans"]
    ]


def test_a_stretch_with_no_source_names_the_model_of_its_spin_score(
    demo_db: str, tmp_path: Path
) -> None:
    # `unspin score` (auto: contextual) and `trace` (lexical by default) gave one text 0.51
    # and 0.58, and trace's report did not say which model made its number.
    from unspin.spinscore.score import resolve_model

    post = tmp_path / "post.txt"
    post.write_text(
        "Gardeners in the north planted early potatoes this week after a mild winter left the "
        "soil workable, and seed merchants reported brisk trade in onion sets and broad beans. "
        "Allotment holders said the frost had come late and the rain early, which suited the "
        "brassicas, though slugs had eaten most of the lettuce seedlings in the damp corners.",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["trace", str(post), "--db", demo_db])
    assert res.exit_code == 0, res.output
    assert re.search(r"no source found \(spin score \d\.\d\d, lexical model\)", res.output)
    html = tmp_path / "post.html"
    res = CliRunner().invoke(
        main, ["trace", str(post), "--db", demo_db, "--spin-model", "auto", "--html", str(html)]
    )
    assert res.exit_code == 0, res.output
    assert f"({resolve_model('auto')} model)" in html.read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["trace", str(post), "--db", demo_db, "--json"])
    assert json.loads(res.stdout)["meta"]["spin_model"] == "lexical"


def test_a_store_indexed_before_words_kept_their_marks_says_to_reindex(tmp_path: Path) -> None:
    """Before (33rd session): robust33 made words keep their combining marks without raising
    the fingerprint version, so a store indexed before held such texts' fingerprints split at
    every mark and missed them as sources without a word."""
    import sqlite3
    import unicodedata

    source = tmp_path / "source.txt"
    source.write_text(
        "La réforme des retraites adoptée par l'Assemblée nationale a été contestée "
        "par les syndicats, qui ont appelé à une nouvelle journée de grève jeudi prochain.",
        "utf-8",
    )
    article = tmp_path / "article.txt"
    article.write_text(unicodedata.normalize("NFD", source.read_text("utf-8")), "utf-8")
    db = str(tmp_path / "store.db")
    assert CliRunner().invoke(main, ["ingest", str(source), "--db", db]).exit_code == 0
    res = CliRunner().invoke(main, ["trace", str(article), "--db", db, "--json"])
    assert res.exit_code == 0 and "reindex" not in res.stderr, res.stderr
    # The store as an older unspin left it: no word_reading stamp.
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'word_reading'")
    res = CliRunner().invoke(main, ["trace", str(article), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert (
        f"note: {article}: its words hold combining marks or invisible characters, which {db} "
        "(indexed by an older unspin) read as word breaks" in res.stderr
    ), res.stderr
    assert f"unspin reindex --db {db}" in res.stderr
    # An article without marks gets no such note from the old store.
    res = CliRunner().invoke(main, ["trace", str(source), "--db", db, "--json"])
    assert res.exit_code == 0 and "reindex" not in res.stderr, res.stderr
    # Re-indexed, the store is stamped and the note goes.
    assert CliRunner().invoke(main, ["reindex", "--db", db]).exit_code == 0
    res = CliRunner().invoke(main, ["trace", str(article), "--db", db, "--json"])
    assert res.exit_code == 0 and "reindex" not in res.stderr, res.stderr
