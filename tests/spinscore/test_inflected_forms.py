"""Inflected forms no Moby list holds, read through their base form by the contextual model
(issue 19 item 5, docs/benchmarks.md 17.8 and 17.9)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from unspin.spinscore.base_forms import ThroughBase
from unspin.spinscore.features import word_rows
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus


def test_an_inflected_form_gets_the_inflected_headwords_of_its_base_form() -> None:
    rt = reverse_thesaurus()
    # Moby lists "intellect" and "glorify", never "intellects" or "glorifies": a spinner that
    # inflects its pick (WordNet's, Roget's) writes them.
    assert rt.candidates("intellects") == [] and rt.candidates("glorifies") == []
    assert "reasons" in [c.word for c in rt.candidates_through_base("intellects")]
    assert "celebrates" in [c.word for c in rt.candidates_through_base("glorifies")]
    # Each one is the headword's own candidate, with its own prior.
    reasons = next(c for c in rt.candidates_through_base("intellects") if c.word == "reasons")
    assert reasons.index >= 0 and rt.head_words()[reasons.index] == "reasons"


def test_only_the_contextual_model_reads_them() -> None:
    rt = reverse_thesaurus()
    text = "The board praised the intellects of its members on Monday."
    lexical = [text[a:b] for a, b, _ in word_rows(text, rt)]
    contextual = [text[a:b] for a, b, _ in word_rows(text, rt, "contextual")]
    assert "intellects" not in lexical
    assert "intellects" in contextual
    assert [w for w in contextual if w != "intellects"] == lexical


def test_scoring_looks_the_forms_up_without_lemminflect() -> None:
    # The table is made once with the cache (lemminflect reads it there); a scan only looks it
    # up, so a process that scores never loads lemminflect's tables (0.7 s, 2 ms a new word).
    reverse_thesaurus().base_forms()  # the cache this process's child reads
    probe = (
        "import sys\n"
        "from unspin.spinscore.features import word_rows\n"
        "from unspin.spinscore.reverse_thesaurus import reverse_thesaurus\n"
        "text = 'The board praised the intellects of its members and glorifies them.'\n"
        "rows = word_rows(text, reverse_thesaurus(), 'contextual')\n"
        "print(sorted(text[a:b] for a, b, _ in rows))\n"
        "print('lemminflect' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=os.environ
    )
    words, loaded = done.stdout.strip().splitlines()
    assert "'intellects'" in words and "'glorifies'" in words
    assert loaded == "False"


def test_a_cached_table_of_another_thesaurus_is_refused() -> None:
    # cached_arrays deletes and rebuilds a file whose reader raises ValueError: a table made
    # for another thesaurus is rebuilt, never read with the wrong headword indices.
    table = {"intellects": [3, 1], "glorifies": [2]}
    arrays = ThroughBase.arrays(table, heads=4)
    read = ThroughBase.from_arrays(arrays, heads=4)
    assert read.indices("intellects") == [3, 1] and read.indices("minds") == []
    with pytest.raises(ValueError):
        ThroughBase.from_arrays(arrays, heads=5)
    with pytest.raises(ValueError):
        ThroughBase(["intellects"], np.array([0, 2]), np.array([3, 7], dtype=np.int32), heads=4)


def test_a_form_read_through_its_base_form_gets_suggestions_like_any_spotted_word() -> None:
    from unspin.spinscore.features import _scan

    rt = reverse_thesaurus()
    text = "The quick brown fox reported that the agency sold the goods to intellects."
    spans = {text[e.start : e.end]: e for e in _scan(text, rt, through_base=True).suggested()}
    # Spotted through "intellect"; before, its span offered no original at all ("-> ").
    assert "intellects" in spans
    assert spans["intellects"].suggestions
    assert set(spans["intellects"].suggestions) <= {
        c.word for c in rt.candidates_through_base("intellects")
    }


def test_forms_lemminflects_dictionary_lacks_and_british_spellings_are_read_too() -> None:
    from unspin.spinscore.base_forms import build_table

    # A thesaurus of four headwords: "milliard" is listed under "billion", "organization"
    # under "group". lemminflect's dictionary has no "milliard", so only its rules make
    # "milliards"; breame's kind of table spells "organisations" the American way.
    headwords = ["billion", "billions", "group", "groups"]
    listing = {"milliard": [0], "organization": [2]}
    table = build_table(
        listing,
        headwords,
        [5.0, 4.0, 5.0, 4.0],
        lambda word: listing.get(word, []),
        {"organisations": "organizations", "organisation": "organization"},
    )
    assert table["milliards"] == [1]  # "billions", the headword inflected as the form is
    assert table["organizations"] == [3]  # lemminflect's own dictionary, as before
    assert table["organisations"] == [3]  # through the American spelling's answer
    assert table["organisation"] == [2]  # through the American spelling's listing


def test_the_contextual_scan_reads_rare_plurals_and_british_spellings() -> None:
    rt = reverse_thesaurus()
    # What WordNet's and Roget's spinners wrote for "billion", "customers" and "preferred":
    # no Moby list holds these forms, and on main no row read them.
    text = "The bank lent 2 milliards to its clienteles, the favourite lenders of the region."
    contextual = [text[a:b] for a, b, _ in word_rows(text, rt, "contextual")]
    lexical = [text[a:b] for a, b, _ in word_rows(text, rt)]
    for word in ("milliards", "clienteles", "favourite"):
        assert word in contextual and word not in lexical
    assert "billions" in [c.word for c in rt.candidates_through_base("milliards")]
    # The British spelling is read through the American one's own listing.
    american = [c.word for c in rt.candidates("favorite")]
    assert american and [c.word for c in rt.candidates_through_base("favourite")] == american
