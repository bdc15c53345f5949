"""The benchmark baselines find exact copies; MinHash loses spun ones (why unspin exists)."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from repo_script import load_script
from unspin.generators.article_spinner import spin
from unspin.types import Document

pytest.importorskip("datasketch")


def _load() -> ModuleType:
    return load_script("benchmarks/baselines.py")


baselines = _load()

DOCS = [
    Document(
        id="cocoa",
        text="Showers continued throughout the week in the Bahia cocoa zone, alleviating the "
        "drought since early January and improving prospects for the coming harvest. The dry "
        "period means the crop will be late this year. Arrivals for the week ended February 22 "
        "were 155,221 bags of 60 kilos, making a cumulative total for the season of 5.93 mln.",
    ),
    Document(
        id="rates",
        text="The central bank raised interest rates on Tuesday, surprising economists who had "
        "forecast a pause. Analysts said the decision reflected concern about inflation. "
        "Bond markets fell sharply after the announcement and the currency strengthened.",
    ),
    Document(
        id="coffee",
        text="Coffee producers failed to agree export quotas at the London meeting, sending "
        "prices to a six-year low. Delegates blamed a dispute between Brazil and consuming "
        "countries over how quotas should be shared among producers.",
    ),
    Document(id="oil", text="Crude oil prices rose on reports of lower output from the Gulf."),
]


@pytest.fixture(scope="module")
def fts() -> Iterator[Any]:
    index = baselines.FTS5BM25Baseline.from_documents(DOCS)
    yield index
    index.close()


@pytest.fixture(scope="module")
def minhash() -> Any:
    return baselines.MinHashLSHBaseline.from_documents(DOCS)


@pytest.mark.parametrize("doc", DOCS[:3], ids=lambda d: d.id)
def test_exact_copy_is_found_first_by_both(fts: Any, minhash: Any, doc: Document) -> None:
    assert fts.query(doc.text, 2)[0] == doc.id
    assert minhash.query(doc.text, 2)[0] == doc.id


def test_bm25_still_finds_a_spun_copy(fts: Any) -> None:
    spun = spin(DOCS[0].text, 0.4, seed=1).text
    assert fts.query(spun, 3)[0] == "cocoa"


def test_minhash_similarity_collapses_on_a_spun_copy(minhash: Any) -> None:
    # With 40% of content words replaced most word 5-grams are broken.
    spun = spin(DOCS[0].text, 0.4, seed=1).text
    exact = minhash.sketch(DOCS[0].text)
    assert minhash.sketch(spun).jaccard(exact) < 0.3


def test_queries_respect_k_and_unrelated_text(fts: Any, minhash: Any) -> None:
    assert len(fts.query(DOCS[1].text, 1)) == 1
    assert minhash.query("Completely unrelated words about gardening tools today.", 5) == []
    assert fts.query("", 5) == []


def test_fts_match_expression_quotes_and_deduplicates() -> None:
    expression = baselines.FTS5BM25Baseline.match_expression('Cocoa "cocoa" OR NEAR the price')
    assert expression == '"cocoa" OR "near" OR "price"'


def test_minhash_rejects_duplicate_ids(minhash: Any) -> None:
    with pytest.raises(ValueError, match="already added"):
        minhash.add("cocoa", "again")
