"""Languages of many texts at once (ingest's workers, a batch in the store): exactly the
values one text at a time gives, probabilities included; and a store reads the languages it
is given only after writing the batch's documents and postings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.fingerprints import fingerprint
from unspin.store import Store
from unspin.types import Document
from unspin.xling.langid_batch import FEWEST, GROUP, classify_many, tables
from unspin.xling.language import SAMPLE_CHARS, _identifier, detect, detect_many

TEXTS = [
    "The central bank raised interest rates by half a point on Tuesday, officials said.",
    "Центральный банк во вторник повысил процентные ставки на полпункта.",
    "La banque centrale a relevé mardi ses taux d'intérêt d'un demi-point.",
    "Die Zentralbank hat am Dienstag die Zinsen um einen halben Prozentpunkt angehoben.",
    "周二股息发放后，该公司股价上涨了两美分。中央银行周二将利率上调了半个百分点。",
    "中央銀行は火曜日に金利を0.5ポイント引き上げたと当局者が述べた。",
    "رفع البنك المركزي أسعار الفائدة بمقدار نصف نقطة يوم الثلاثاء، حسبما قال مسؤولون.",
    "Η κεντρική τράπεζα αύξησε τα επιτόκια κατά μισή μονάδα την Τρίτη.",
    "SHARES OF THE COMPANY ROSE TWO CENTS AFTER THE DIVIDEND WAS PAID ON TUESDAY.",
    "Shr 45 cts vs 58 cts Net 1.1 mln vs 829,000 Sales 7.9 mln vs 9.4 mln",
    "Qtly div two cts vs 1.7 cts\n    Pay March 26\n    Record March 12",
    "12 345",
    "",
    "word " * 300,  # longer than the sample: only its first characters are read
    "é" * (SAMPLE_CHARS + 5),  # two bytes a letter: the walk is longer than the sample
    "Grain exports rose 4 pct 😀 in the quarter, the ministry said on Friday.",
    "aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCB0ZXh0IGZvciB0ZXN0aW5n",
]


@pytest.mark.parametrize("n", [5, FEWEST, 2 * GROUP + 100, GROUP + 3])
def test_many_texts_get_exactly_the_languages_each_gets_alone(n: int) -> None:
    # One text at a time, one group, groups and a few left over (they join the last group).
    texts = [f"{t} {i}" for i, t in enumerate(TEXTS * (n // len(TEXTS) + 1))][:n]
    assert detect_many(texts) == [detect(t) for t in texts]
    assert {detect(t) for t in TEXTS} >= {"en", "ru", "fr", "de", "zh", "ja", "ar", "el", None}


def test_the_probabilities_are_the_same_floats() -> None:
    ident = _identifier()
    machine = tables(ident)
    assert machine is not None  # the py3langid this was written against
    samples = [t[:SAMPLE_CHARS] for t in TEXTS if t]
    got = classify_many(ident, machine, [ident._encode(s) for s in samples])
    assert got == [ident.classify(s) for s in samples]
    assert {lang for lang, _ in got} >= {"en", "ru", "fr", "de", "zh", "ja", "ar", "el"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), min_size=1, max_size=12))
def test_any_texts_get_the_languages_each_gets_alone(texts: list[str]) -> None:
    texts += TEXTS  # enough texts to be walked together
    assert detect_many(texts) == [detect(t) for t in texts]


def test_another_identifier_is_not_read() -> None:
    assert tables(object()) is None  # detect_many then detects one text at a time


def _items(texts: list[str]) -> list[tuple[Document, frozenset[int]]]:
    return [(Document(text=t, id=f"d{i}"), fingerprint(t)) for i, t in enumerate(texts)]


def test_given_languages_are_read_after_the_documents_and_postings(tmp_path: Path) -> None:
    """Ingest hands a batch languages its workers are still detecting: the store must not
    wait for them before the rest of the batch is written."""
    texts = TEXTS[:3]
    with Store(tmp_path / "s.db") as store:
        written: list[tuple[int, int]] = []

        def languages():  # type: ignore[no-untyped-def]
            conn = store.conn  # inside the batch's transaction: what is written so far
            docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            posts = conn.execute("SELECT COUNT(*) FROM postings").fetchone()[0]
            written.append((docs, posts))
            yield from ["en", "ru", "fr"]

        store.add_batch(_items(texts), languages())
        langs = [r[0] for r in store.conn.execute("SELECT lang FROM texts ORDER BY key")]
    assert langs == ["en", "ru", "fr"]
    assert written[0][0] == 3 and written[0][1] > 0


def test_languages_for_another_number_of_items_store_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(ValueError, match="2 languages given for a batch of 3 items"):
            store.add_batch(_items(TEXTS[:3]), ["en", "ru"])
        assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
        assert store.conn.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 0
