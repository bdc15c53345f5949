"""The contextual per-word evidence: windows over long texts, word states at character
offsets, the shipped probe's behaviour on a known swap, model choice and the missing extra."""

from __future__ import annotations

import itertools
import json
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.cli import main
from unspin.errors import UnspinError
from unspin.spinscore import contextual
from unspin.spinscore.contextual import _windows, embed_available
from unspin.spinscore.score import resolve_model, score_text
from unspin.text import tokenize

needs_embed = pytest.mark.skipif(not embed_available(), reason="needs the embed extra")

WORDS = st.text(alphabet="abc. ,\n", min_size=0, max_size=400)


@pytest.fixture
def float32_products(monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoder with its products in float32, for the tests that compare two routes within
    float32 rounding: where oneDNN and the processor allow, the default products are bfloat16,
    whose kernels sum in another order for a single row, and one route's float32 rounding
    then moves another's bfloat16 rounding of an input (tests/spinscore/test_minilm.py bounds
    the bfloat16 routes' differences)."""
    encoder = contextual.encoder()
    float32 = contextual.Encoder(encoder.tokenizer, encoder.model.in_float32())
    monkeypatch.setattr(contextual, "encoder", lambda: float32)


@given(WORDS, st.integers(1, 12))
@settings(max_examples=200, deadline=None)
def test_windows_cover_every_word_once(text: str, limit: int) -> None:
    old = contextual._WINDOW_WORDS
    contextual._WINDOW_WORDS = limit
    try:
        windows = _windows(text)
    finally:
        contextual._WINDOW_WORDS = old
    tokens = tokenize(text)
    # Windows are ordered, disjoint, and every word lies inside exactly one of them.
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(windows))
    for s, e in zip(tokens.starts, tokens.ends, strict=True):
        assert sum(a <= s and e <= b for a, b in windows) == 1
    for a, b in windows:
        assert len(tokenize(text[a:b])) <= limit


def test_a_long_sentence_is_cut_between_words() -> None:
    text = " ".join(f"w{i}" for i in range(400)) + "."
    windows = _windows(text)
    assert len(windows) == 3
    assert [len(tokenize(text[a:b])) for a, b in windows] == [160, 160, 80]


@needs_embed
@pytest.mark.usefixtures("float32_products")
def test_word_states_follow_character_offsets() -> None:
    enc = contextual.encoder()
    text = "The central bank raised rates.  Markets fell."
    spans = [(4, 11), (12, 16), (38, 42), (30, 32)]  # central, bank, fell (partly), blank
    states = enc.word_states(text, spans)
    assert states.shape == (4, enc.model.hidden_size)
    assert np.abs(states[0]).sum() > 0 and not np.allclose(states[0], states[1])
    assert np.abs(states[3]).sum() == 0  # no word piece inside: zeros
    # A word's state does not depend on whether other spans are asked for.
    alone = enc.word_states(text, [(12, 16)])
    assert np.allclose(alone[0], states[1], atol=1e-5)


@needs_embed
def test_probe_finds_the_swap_in_context() -> None:
    # Same sentence, one word swapped for a Moby synonym: the probe finds it out of place.
    spun = "The focal bank raised its key interest rate on Monday."
    plain = "The central bank raised its key interest rate on Monday."
    odd = contextual.word_logits(spun, [(4, 9)])[0]
    fine = contextual.word_logits(plain, [(4, 11)])[0]
    assert odd > fine + 1.0


@needs_embed
def test_contextual_model_is_reported_and_used() -> None:
    text = "The focal bank raised its key interest rate on Monday, the second rise this year."
    lexical = score_text(text, "lexical")
    ctx = score_text(text, "contextual")
    assert (lexical.model, ctx.model) == ("lexical", "contextual")
    assert ctx.to_dict()["model"] == "contextual"
    assert lexical.features["word_top3"] != ctx.features["word_top3"]
    assert resolve_model("auto") == "contextual"


def test_unknown_model_is_refused() -> None:
    with pytest.raises(UnspinError, match="choose one of auto, lexical, contextual"):
        resolve_model("deep")


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    contextual._load_encoder.cache_clear()
    monkeypatch.setitem(sys.modules, "tokenizers", None)  # import fails as if absent
    try:
        with pytest.raises(UnspinError, match=r"embed.*pip install 'unspin\[embed\]'"):
            contextual.encoder()
    finally:
        contextual._load_encoder.cache_clear()


def test_cli_model_option(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The focal bank raised its key interest rate on Monday.", encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(path), "--model", "lexical", "--json"])
    assert res.exit_code == 0, res.output
    assert '"model": "lexical"' in res.output
    res = CliRunner().invoke(main, ["score", str(path), "--model", "deep"])
    assert res.exit_code != 0 and "deep" in res.output


def test_first_use_from_several_threads_at_once() -> None:
    # A web server's first requests arrive together: loading the model and tokenising from
    # four threads must give every thread the same answer, not an import or borrow error.
    from concurrent.futures import ThreadPoolExecutor

    contextual._load_encoder.cache_clear()
    text = "The focal bank raised its key interest rate on Monday, traders said."
    spans = [(4, 9), (10, 14)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: contextual.word_logits(text, spans), range(8)))
    for r in results:
        assert r.shape == (2,)
        assert abs(float(r[0] - results[0][0])) < 0.05


@needs_embed
def test_windows_and_spans_on_two_threads_score_as_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # On an idle machine an article's windows and its restored spans run on two threads
    # (contextual.in_parallel); the score and every suggestion stay as on one.
    from importlib import resources

    from unspin.generators.article_spinner import spin

    demo = resources.files("unspin").joinpath("data/demo/corpus.jsonl").read_text("utf-8")
    story = " ".join(" ".join(json.loads(line)["text"].split()) for line in demo.splitlines()[:3])
    text = spin(" ".join(story.split()[:400]), 0.2, seed=1).text
    monkeypatch.setattr(contextual, "model_threads", lambda: 1)
    one = score_text(text, "contextual", restore=4)
    monkeypatch.setattr(contextual, "model_threads", lambda: 2)
    two = score_text(text, "contextual", restore=4)
    assert len(contextual._windows(text)) > 1 and one.spans
    assert two == one


def _word_states_one_window_at_a_time(text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """word_states as it ran before the windows were packed (reference): each window through
    the model alone, every piece's state computed, then each span's pieces averaged."""
    enc = contextual.encoder()
    windows = contextual._windows(text)
    runs = [enc.run([text[a:b]]) for a, b in windows]
    starts = np.concatenate([o[0, :, 0] + a for (o, _), (a, _) in zip(runs, windows, strict=True)])
    ends = np.concatenate([o[0, :, 1] + a for (o, _), (a, _) in zip(runs, windows, strict=True)])
    hidden = np.concatenate([h[0] for _, h in runs])
    out = np.zeros((len(spans), enc.model.hidden_size), dtype=np.float32)
    for k, (a, b) in enumerate(spans):
        inside = (starts >= a) & (starts < b) & (ends <= b) & (ends > starts)
        if inside.any():
            out[k] = hidden[inside].mean(axis=0)
    return out


# Largest change of the probe's log-odds allowed between the packed windows and the reference
# (float32 rounding of products of other shapes; seen 1.4e-6 on the demo corpus).
LOGIT_TOLERANCE = 1e-4


@needs_embed
@pytest.mark.usefixtures("float32_products")
def test_packed_windows_give_the_reference_log_odds(monkeypatch: pytest.MonkeyPatch) -> None:
    # The optimised path (windows packed, only the asked-for pieces computed in the last
    # layer) against the plain one: the same log-odds within float32 rounding, the same score.
    from importlib import resources

    from unspin.generators.article_spinner import spin
    from unspin.spinscore.features import word_rows
    from unspin.spinscore.reverse_thesaurus import reverse_thesaurus

    demo = resources.files("unspin").joinpath("data/demo/corpus.jsonl").read_text("utf-8")
    story = " ".join(" ".join(json.loads(line)["text"].split()) for line in demo.splitlines()[:4])
    text = spin(" ".join(story.split()[:500]), 0.15, seed=3).text
    spans = [(a, b) for a, b, _ in word_rows(text, reverse_thesaurus())]
    spans += [(0, len(text)), (5, 6)]  # a span over everything, one inside a word: no piece
    assert len(contextual._windows(text)) > 2 and len(spans) > 100
    probe = contextual.probe()
    want = probe.logit(_word_states_one_window_at_a_time(text, spans))
    got = probe.logit(contextual.encoder().word_states(text, spans))
    assert np.abs(got - want).max() < LOGIT_TOLERANCE
    # And the text's score, every span and feature, as the reference path gives them.
    fast = score_text(text, "contextual")
    monkeypatch.setattr(
        contextual.Encoder,
        "word_states",
        lambda _, t, s, tokens=None: _word_states_one_window_at_a_time(t, s),
    )
    assert score_text(text, "contextual") == fast


def test_span_means_equal_the_mean_of_each_span_to_the_last_bit() -> None:
    from unspin.spinscore.contextual import _span_means

    rng = np.random.default_rng(1)
    states = rng.standard_normal((500, 16)).astype(np.float32)
    span_of = np.sort(rng.integers(0, 200, 500))
    out = np.zeros((210, 16), dtype=np.float32)  # spans 200..209 and gaps have no rows
    _span_means(states, span_of, out)
    for k in range(210):
        mine = states[span_of == k]
        want = mine.mean(axis=0) if len(mine) else np.zeros(16, dtype=np.float32)
        assert np.array_equal(out[k], want), k


@needs_embed
def test_several_head_columns_come_off_one_pass_of_states() -> None:
    # The shipped model reads the Moby head alone; a per-word model fitted with a second head
    # (train_spin_word_model.py --other-head, docs/benchmarks.md 17.6) asks for more columns,
    # each the same states through another head. Asked twice, the Moby head gives one column
    # twice, equal to what it gives alone.
    from unspin.spinscore.words import WORD_FEATURES, word_model

    assert word_model("contextual").names[len(WORD_FEATURES) :] == ("probe",)
    spun = "The central bnak raised its key interest rate on Monday."
    spans = [(12, 16), (4, 11)]
    both = contextual.word_logits(spun, spans, columns=("probe", "probe"))
    alone = contextual.word_logits(spun, spans)
    assert both.shape == (2, 2) and alone.shape == (2,)
    assert np.array_equal(both[:, 0], alone) and np.array_equal(both[:, 1], alone)
    with pytest.raises(KeyError):
        contextual.word_logits(spun, spans, columns=("probe", "no_such_head"))


def test_sorted_unique_is_numpys_unique() -> None:
    from unspin.spinscore.contextual import _sorted_unique

    rng = np.random.default_rng(0)
    for n in (0, 1, 2, 7, 1000):
        values = rng.integers(0, n // 3 + 1, n).astype(np.int64)
        got, want = _sorted_unique(values), np.unique(values)
        assert got.dtype == want.dtype and got.tolist() == want.tolist()


@needs_embed
@pytest.mark.usefixtures("float32_products")
def test_the_windows_of_several_texts_read_in_one_pass_give_each_texts_states() -> None:
    # A long text's windows go through the model together (Encoder.word_states_each): each
    # text's states as word_states gives them for it alone, within float32 rounding of the
    # products' other shapes; a text without spans, and an empty one, take no place.
    from importlib import resources

    from unspin.generators.article_spinner import spin
    from unspin.spinscore.features import word_rows
    from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
    from unspin.spinscore.score import windows

    demo = resources.files("unspin").joinpath("data/demo/corpus.jsonl").read_text("utf-8")
    story = " ".join(" ".join(json.loads(line)["text"].split()) for line in demo.splitlines()[:5])
    text = spin(" ".join(story.split()[:700]), 0.15, seed=4).text
    parts = [text[a:b] for a, b in windows(text)]
    asked = [(p, [(a, b) for a, b, _ in word_rows(p, reverse_thesaurus())], None) for p in parts]
    asked[1] = (asked[1][0], [*asked[1][1], (0, len(asked[1][0])), (5, 6)], None)
    asked += [("No spans asked here.", [], None), ("", [(0, 0)], None)]
    assert len(parts) >= 3 and all(spans for _, spans, _ in asked[: len(parts)])
    together = contextual.encoder().word_states_each(asked)
    assert [len(s) for s in together] == [len(spans) for _, spans, _ in asked]
    probe = contextual.probe()
    for (part, spans, _), states in zip(asked, together, strict=True):
        alone = contextual.encoder().word_states(part, spans)
        assert np.abs(probe.logit(states) - probe.logit(alone)).max(initial=0.0) < LOGIT_TOLERANCE
        assert np.array_equal(states == 0, alone == 0)  # the same spans found no piece
