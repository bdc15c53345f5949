"""The examples in docstrings run as written (pytest alone does not collect them from src/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "unspin",
    "unspin.api",
    "unspin.align.pipeline",
    "unspin.align.profiles",
    "unspin.attribution",
    "unspin.cluster.kernels",
    "unspin.cpus",
    "unspin.dates",
    "unspin.edits.facts",
    "unspin.edits.notations",
    "unspin.fingerprints",
    "unspin.generators.spinners",
    "unspin.generators.typos",
    "unspin.read.meta",
    "unspin.json_keys",
    "unspin.jsonl_files",
    "unspin.ranking",
    "unspin.errors",
    "unspin.read.readers",
    "unspin.read.limits",
    "unspin.read.plain",
    "unspin.read.bounded",
    "unspin.read.html",
    "unspin.generators.article_spinner",
    "unspin.store",
    "unspin.validate",
    "unspin.spinscore.phrases",
    "unspin.spinscore.packaged",
    "unspin.report.templating",
    "unspin.spinscore.related",
    "unspin.spinscore.vulgar",
    "unspin.shared_wording",
    "unspin.align.units",
    "unspin.cluster.report",
    "unspin.edits.labels",
    "unspin.edits.names",
    "unspin.edits.numbers",
    "unspin.lemma_table",
    "unspin.lexicon",
    "unspin.report.html",
    "unspin.report.json_report",
    "unspin.report.terminal",
    "unspin.spinscore.heap",
    "unspin.spinscore.minilm",
    "unspin.spinscore.model",
    "unspin.spinscore.paraphrase",
    "unspin.spinscore.score",
    "unspin.text",
    "unspin.trace",
    "unspin.types",
    "unspin.unique_wording",
    "unspin.verifier",
    "unspin.web.busy",
    "unspin.web.errors",
    "unspin.web.jsonbody",
    "unspin.web.listen",
    "unspin.web.params",
    "unspin.word_frequency",
    "unspin.xling.align",
    "unspin.xling.chinese",
    "unspin.xling.clock",
    "unspin.xling.embed",
    "unspin.xling.facts",
    "unspin.xling.language",
    "unspin.xling.report",
    "unspin.xling.rerank",
    "unspin.xling.sentences",
    "unspin.xling.transliteration",
    "unspin.xling.units",
    "unspin.xling.writings",
    # Not here: unspin.generators.lexicons (its WordNet example loads WordNet, seconds).
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
