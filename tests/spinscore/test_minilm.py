"""The contextual model's own MiniLM forward pass (numpy, float32) equals transformers' BERT in
float32 within float32 rounding (with the same fitted tanh GELU; the exact one moves the states
by a bounded amount), its bfloat16 products through oneDNN stay within bfloat16's rounding, and
scoring imports neither torch nor transformers."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from unspin.generators.article_spinner import spin
from unspin.spinscore import contextual
from unspin.spinscore.minilm import (
    _GELU_A,
    _GELU_B,
    MiniLM,
    blas_threads,
    cpu_multiplies_bfloat16,
    gelu_,
)
from unspin.spinscore.onednn import library_path

needs_embed = pytest.mark.skipif(not contextual.embed_available(), reason="needs the embed extra")
# The bfloat16 products: oneDNN (the embed extra's onednn-cpu-gomp) and a processor with them.
needs_bf16 = pytest.mark.skipif(
    not (contextual.embed_available() and cpu_multiplies_bfloat16() and library_path()),
    reason="needs oneDNN (the embed extra) and a processor that multiplies bfloat16",
)


def _float32() -> contextual.Encoder:
    """The contextual encoder with its products in float32 (the default may be bfloat16)."""
    encoder = contextual.encoder()
    return contextual.Encoder(encoder.tokenizer, encoder.model.in_float32())


TEXT = (
    "The government said on Tuesday that the price of wheat would rise next year because the "
    "crop was smaller than expected. Farmers told the ministry that dry weather had cut yields."
)


# Largest difference allowed between the hidden states of numpy and of torch, both in float32
# (their sums run in different orders): seen 5e-6 on a 1,000-word article, states of size ~1.
STATE_TOLERANCE = 1e-4


def _fitted_gelu(x: np.ndarray) -> np.ndarray:
    """The tanh form of GELU with :mod:`.minilm`'s fitted constants, in float64."""
    x = x.astype(np.float64)
    return 0.5 * x * (1.0 + np.tanh(x * (float(_GELU_A) + float(_GELU_B) * x * x)))


def _transformers_run(texts: list[str], exact_gelu: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """What the contextual model computed through transformers before :mod:`.minilm`, in
    float32 (the precision of the stored weights and of the training), with the activation
    :func:`.minilm.gelu_` computes (the tanh form, its constants fitted), or with the exact
    (erf) GELU the model was trained with where ``exact_gelu``."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import torch

    class Fitted(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            a, b = float(_GELU_A), float(_GELU_B)
            return 0.5 * x * (1.0 + torch.tanh(x * (a + b * x * x)))

    base = contextual.base_model()
    if not exact_gelu:
        for layer in base.model.encoder.layer:
            layer.intermediate.intermediate_act_fn = Fitted()
    arrays = contextual._adapter()
    with torch.no_grad():
        for key in arrays:
            if key.endswith(".A"):
                name = key[:-2]
                delta = arrays[f"{name}.B"].astype(np.float32) @ arrays[key]
                base.model.get_submodule(name).weight += torch.from_numpy(delta)
    batch = base.tokenizer(
        texts,
        return_offsets_mapping=True,
        truncation=True,
        max_length=512,
        padding=True,
        return_tensors="pt",
    )
    offsets = batch.pop("offset_mapping").numpy()
    with torch.inference_mode():
        hidden = base.model(**batch).last_hidden_state.float().numpy()
    return offsets, hidden


@pytest.mark.parametrize(
    "texts",
    [
        [TEXT],  # one text: no padding, no mask
        [TEXT, spin(TEXT, 0.3, seed=1).text, "A short one."],  # padded batch
        ["x " * 700, "Ünïcödé café — “quotes” 😀\ttab"],  # cut at 512 pieces; odd characters
    ],
    ids=["one", "padded", "long-and-odd"],
)
@needs_embed
def test_hidden_states_and_offsets_equal_transformers(texts: list[str]) -> None:
    want_offsets, want_hidden = _transformers_run(texts)
    got_offsets, got_hidden = _float32().run(texts)
    assert np.array_equal(got_offsets, want_offsets)
    assert got_hidden.dtype == np.float32 and got_hidden.shape == want_hidden.shape
    # Padding pieces included: they are computed, then never read.
    assert np.abs(got_hidden - want_hidden).max() < STATE_TOLERANCE


@needs_embed
def test_probe_log_odds_equal_transformers() -> None:
    # What the scorer reads: the probe's log-odds of each piece, numpy against torch (float32).
    texts = [TEXT, spin(TEXT, 0.3, seed=3).text]
    _, want = _transformers_run(texts)
    _, got = _float32().run(texts)
    probe = contextual.probe()
    assert (
        np.abs(
            probe.logit(got.reshape(-1, got.shape[-1]))
            - probe.logit(want.reshape(-1, want.shape[-1]))
        ).max()
        < 1e-3
    )


@needs_embed
def test_mapped_word_embeddings_are_the_stored_ones() -> None:
    # Mapped from the file instead of copied (about 30 ms of a cold score): the same bytes.
    from safetensors import safe_open

    from unspin.spinscore.minilm import mapped_float32

    file = contextual._model_path() / "model.safetensors"
    name = "embeddings.word_embeddings.weight"
    mapped = mapped_float32(file, name)
    with safe_open(file, framework="numpy") as stored:
        copied = stored.get_tensor(name)
        assert mapped_float32(file, "no.such.tensor") is None
    assert mapped is not None and type(mapped) is np.ndarray and not mapped.flags.writeable
    assert mapped.dtype == copied.dtype and mapped.shape == copied.shape
    assert mapped.tobytes() == copied.tobytes()
    assert contextual.encoder().model.weights[name].tobytes() == copied.tobytes()


@needs_embed
def test_scoring_imports_neither_torch_nor_transformers() -> None:
    # torch's import alone cost about two CPU seconds of a cold `unspin score`, transformers'
    # more: the scorer runs the model in numpy.
    code = (
        "import sys\n"
        "from unspin.spinscore.score import score_text\n"
        f"assert score_text({TEXT!r}, 'contextual', restore=3).model == 'contextual'\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    # Unless UNSPIN_BF16 asks for bfloat16 products (below).
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_BF16"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


@needs_embed
def test_thread_count_leaves_the_states_as_they_are() -> None:
    # The model runs on the cores other work leaves idle (contextual.model_threads).
    texts = [TEXT, spin(TEXT, 0.3, seed=2).text]
    model = _float32().model
    pieces = contextual.encoder().tokenizer.encode_batch(texts)
    ids = np.array([p.ids for p in pieces])
    mask = np.array([p.attention_mask for p in pieces])
    with blas_threads(1):
        one = model(ids, mask)
    with blas_threads(2):
        two = model(ids, mask)
    assert np.abs(one - two).max() < STATE_TOLERANCE
    assert 1 <= contextual.model_threads() <= (os.cpu_count() or 1)


def test_gelu_is_the_fitted_tanh_form_close_to_the_exact_gelu() -> None:
    xs = np.linspace(-12.0, 12.0, 48_001, dtype=np.float32)
    got = gelu_(xs.copy())
    assert got.dtype == np.float32
    # The tanh form with the fitted constants, within float32 rounding (the exact erf GELU of
    # before differs from it by up to 2.7e-4).
    assert np.abs(got - _fitted_gelu(xs)).max() < 2e-6
    exact = np.array([0.5 * float(x) * (1.0 + math.erf(float(x) / math.sqrt(2.0))) for x in xs])
    assert np.abs(got - exact).max() < 2.8e-4
    # Closer to the exact GELU than the tanh form's usual constants (4.7e-4).
    a = math.sqrt(2.0 / math.pi)
    usual = 0.5 * xs * (1.0 + np.tanh(xs * (a + 0.044715 * a * xs.astype(np.float64) ** 2)))
    assert np.abs(got - exact).max() < 0.6 * np.abs(usual - exact).max()
    # Far out it is x and 0, and it stays finite.
    far = np.array([-1e30, -50.0, 50.0, 1e30], dtype=np.float32)
    with np.errstate(all="raise"):
        assert np.array_equal(gelu_(far.copy()), far * np.array([0, 0, 1, 1], np.float32))


@needs_embed
def test_the_exact_gelu_moves_the_states_and_log_odds_by_little() -> None:
    # The activation was fitted, not trained with: what the exact (erf) GELU the adapters and
    # head were trained with gives instead stays close, on states of size ~1-5.
    texts = [TEXT, spin(TEXT, 0.3, seed=3).text]
    _, exact = _transformers_run(texts, exact_gelu=True)
    _, got = _float32().run(texts)
    assert 1e-4 < np.abs(got - exact).max() < 1e-2
    probe = contextual.probe()
    moved = probe.logit(got.reshape(-1, got.shape[-1])) - probe.logit(exact.reshape(-1, 384))
    assert np.abs(moved).max() < 0.02


@needs_embed
def test_reading_out_some_pieces_gives_their_full_states() -> None:
    # The last layer can compute only the pieces asked for (substitution_states reads a
    # candidate's few pieces out of its sentence); they equal the full pass's rows.
    texts = [TEXT, spin(TEXT, 0.3, seed=4).text]
    model = _float32().model
    pieces = contextual.encoder().tokenizer.encode_batch(texts)
    ids = np.array([p.ids for p in pieces])
    mask = np.array([p.attention_mask for p in pieces])
    full = model(ids, mask)
    part = model(ids, mask, slice(5, 9))
    assert part.shape == (2, 4, model.hidden_size)
    assert np.abs(part - full[:, 5:9]).max() < STATE_TOLERANCE


@needs_embed
def test_packed_texts_give_each_text_its_own_states() -> None:
    # word_states lays an article's windows end to end (MiniLM.packed: one product per linear
    # part, attention within each window); every piece keeps the state it has when its window
    # runs alone, within float32 rounding (seen: 1e-6), and reading out some rows keeps theirs.
    texts = [TEXT, spin(TEXT, 0.3, seed=5).text, "A short one.", "x " * 600]
    model = _float32().model
    ids = [np.array(contextual.encoder().tokenizer.encode(t).ids) for t in texts]
    alone = np.concatenate(
        [model(i[None, :], np.ones((1, len(i)), dtype=np.int64))[0] for i in ids]
    )
    lengths = [len(i) for i in ids]
    packed = model.packed(np.concatenate(ids), lengths)
    assert packed.shape == alone.shape and packed.dtype == np.float32
    assert np.abs(packed - alone).max() < 1e-5
    rows = np.array([0, 3, lengths[0], lengths[0] + 7, sum(lengths[:3]) + 1, len(alone) - 1])
    assert np.abs(model.packed(np.concatenate(ids), lengths, rows) - alone[rows]).max() < 1e-5


@needs_embed
def test_substituted_pieces_around_kept_ones_get_the_full_pass_states() -> None:
    # substituted (the restorer's wordings) reads the queries, keys and values by its own
    # route: with the text's own pieces put back in their places around the first one kept,
    # they must get the states the full pass gives them (so every route reads the queries as
    # laid out, e.g. scaled once, not twice or never).
    model = _float32().model
    ids = np.array(contextual.encoder().tokenizer.encode(TEXT).ids, dtype=np.int64)
    full = model(ids[None, :], np.ones((1, len(ids)), dtype=np.int64))[0]
    kept = np.zeros(len(ids), dtype=bool)
    kept[0] = True
    got = model.substituted(
        model.layer_inputs(ids), kept, ids[None, 1:], np.ones((1, len(ids) - 1)), 1
    )
    assert got.shape == (1, len(ids) - 1, model.hidden_size)
    assert np.abs(got[0] - full[1:]).max() < 1e-5


def test_attention_weights_are_the_softmax_even_where_exp_would_overflow() -> None:
    # The numerators are exp(score) without the usual shift by the row's maximum, divided by
    # their sums later; scores that overflow (over about 88) or underflow are redone shifted.
    from unspin.spinscore.minilm import _attention_weights

    rng = np.random.default_rng(0)
    keys = rng.standard_normal((2, 8, 30)).astype(np.float32)
    scale = np.float32(8**-0.5)
    for size in (1.0, 40.0, 400.0, -400.0):
        queries = (rng.standard_normal((2, 5, 8)) * size).astype(np.float32)
        if size < 0:
            queries = np.abs(queries) * size  # every row's scores far below zero
            keys = np.abs(keys)
        scores = (queries.astype(np.float64) @ keys) * float(scale)
        want = np.exp(scores - scores.max(axis=-1, keepdims=True))
        want /= want.sum(axis=-1, keepdims=True)
        weights, total = _attention_weights(queries * scale, keys)
        got = weights / total
        assert np.isfinite(got).all() and np.abs(got - want).max() < 1e-5, size


def test_values_weighted_by_large_unshifted_exps_do_not_overflow() -> None:
    # Before (coordinator, 28th session, on real web pages): scores near 86 give exps whose
    # sum is still finite (about 1e35), so the unshifted weights were kept, and weighing values
    # of a few hundred with them overflowed ("overflow encountered in matmul", then NaN).
    from unspin.spinscore.minilm import _attention_weights

    rng = np.random.default_rng(1)
    keys = rng.standard_normal((1, 8, 30)).astype(np.float32)
    values = (rng.standard_normal((1, 30, 8)) * 300).astype(np.float32)
    queries = keys[:, :, :5].transpose(0, 2, 1) * 86 / (keys[:, :, :5] ** 2).sum(axis=1)[..., None]
    scores = queries.astype(np.float64) @ keys
    assert 80 < scores.max() < 88  # each exp finite, their sums too
    want = np.exp(scores - scores.max(axis=-1, keepdims=True))
    want = (want / want.sum(axis=-1, keepdims=True)) @ values
    weights, total = _attention_weights(queries.astype(np.float32), keys)
    got = (weights @ values) / total
    assert np.isfinite(got).all() and np.abs(got - want).max() < 1e-2


def test_looking_for_large_scores_first_gives_the_same_weights_to_the_last_bit() -> None:
    # On the first layer most windows have scores over 47, whose rows the sums send back to
    # be shifted: finding them first (one pass for the rows' maxima) spares making the
    # scores twice, and must give the very numbers of the test on the sums.
    from unspin.spinscore.minilm import _SURELY_OVER, _attention_weights, _may_overflow

    rng = np.random.default_rng(4)
    keys = rng.standard_normal((3, 8, 40)).astype(np.float32)
    scale = np.float32(8**-0.5)
    for size in (0.5, 6.0, 12.0, 30.0, -30.0):
        queries = (rng.standard_normal((3, 20, 8)) * size * scale).astype(np.float32)
        scores = queries @ keys
        want = _attention_weights(queries, keys, look_first=False)
        got = _attention_weights(queries, keys, look_first=True)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1]), size
        # The bound says "maybe" wherever a score is over the level.
        if scores.max() > _SURELY_OVER:
            assert _may_overflow(queries.transpose(1, 0, 2), keys.transpose(2, 0, 1))
    quiet = (rng.standard_normal((20, 3, 8)) * 0.1).astype(np.float32)
    assert not _may_overflow(quiet, quiet)


def test_gelu_in_chunks_with_its_bias_equals_the_whole_array_to_the_last_bit() -> None:
    # gelu_ works through a feed-forward block a few rows at a time (in cache) and adds the
    # bias there: every number must be the one of the whole array at once.
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((300, 1536)) * 3).astype(np.float32)
    x[0, :4] = [-9.0, 9.0, 0.0, -0.0]
    bias = rng.standard_normal(1536).astype(np.float32)
    # A view that is not C-contiguous is done in one piece: the numbers of the whole array.
    want = gelu_(np.asfortranarray(x + bias))
    got = gelu_(x.copy(), bias)
    assert got.dtype == np.float32 and np.array_equal(got, want)
    assert np.array_equal(gelu_(np.asfortranarray(x), bias), want)
    # And they are the fitted tanh form of GELU.
    assert np.abs(want - _fitted_gelu(x + bias)).max() < 1e-5
    assert gelu_(np.zeros((0, 1536), dtype=np.float32)).shape == (0, 1536)


@needs_bf16
def test_bfloat16_products_move_the_states_by_their_rounding_only() -> None:
    # The bfloat16 model runs every linear part through oneDNN, the rest in float32: the states
    # move by bfloat16's rounding (seen: 0.02 at most, 2e-3 on average, on states up to 6), by
    # every route, and the float32 model keeps its numbers to the last bit.
    texts = [TEXT, spin(TEXT, 0.3, seed=6).text, "A short one.", "x " * 600]
    model = _float32().model
    ids = [np.array(contextual.encoder().tokenizer.encode(t).ids) for t in texts]
    lengths = [len(i) for i in ids]
    exact = model.packed(np.concatenate(ids), lengths)
    fast = model.in_bfloat16()
    got = fast.packed(np.concatenate(ids), lengths)
    one = ids[0][None, :]
    alone = fast(one, np.ones(one.shape, dtype=np.int64))[0]
    kept = np.zeros(len(ids[0]), dtype=bool)
    kept[0] = True
    substituted = fast.substituted(
        fast.layer_inputs(ids[0]), kept, one[:, 1:], np.ones((1, len(ids[0]) - 1)), 1
    )[0]
    assert fast.bf16 is not None and got.dtype == np.float32 and got.shape == exact.shape
    moved = np.abs(got - exact)
    assert 1e-4 < moved.max() < 0.1 and moved.mean() < 1e-2
    probe = contextual.probe()
    assert np.abs(probe.logit(got) - probe.logit(exact)).max() < 0.2
    # The other routes agree with the packed one as closely as bfloat16 lets them.
    assert np.abs(alone - got[: lengths[0]]).max() < 0.1
    assert np.abs(substituted - alone[1:]).max() < 0.1
    # The float32 model shares the weights and still gives its own numbers, to the last bit.
    assert np.array_equal(model.packed(np.concatenate(ids), lengths), exact)
    # Several threads at once (the web app, contextual.in_parallel): each thread's products
    # are its own, the same numbers as one at a time.
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: fast.packed(np.concatenate(ids), lengths), range(8)))
    assert all(np.array_equal(run, got) for run in runs)


def _score_in_subprocess(value: str | None) -> subprocess.CompletedProcess[str]:
    """``score_text`` of a spun text in a fresh process with UNSPIN_BF16 as ``value`` (None: unset):
    whether the model's products are bfloat16, whether torch and oneDNN were loaded, the
    probability."""
    # Two paragraphs, a fifth of their words swapped: a text with evidence, whose probability
    # the products move (a short one without any keeps its prior).
    text = spin(TEXT + " " + TEXT.replace("wheat", "rice"), 0.2, seed=3).text
    code = (
        "import sys\n"
        "from unspin.spinscore import contextual, onednn\n"
        "from unspin.spinscore.score import score_text\n"
        f"p = score_text({text!r}, 'contextual').probability\n"
        "print(contextual.encoder().model.bf16 is not None, 'torch' in sys.modules,\n"
        "      onednn.loaded(), p)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_BF16"}
    if value is not None:
        env["UNSPIN_BF16"] = value
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


@needs_embed
def test_the_variable_chooses_the_products_in_score() -> None:
    # Unset: bfloat16 where oneDNN and the processor allow it, float32 elsewhere; 0: float32,
    # oneDNN not even loaded; 1: bfloat16 or a one-line error naming what is missing. torch is
    # never imported (it was for 1 in the 34th session).
    runs = {}
    for value in ("0", None, "1"):
        out = _score_in_subprocess(value)
        if value == "1" and not (cpu_multiplies_bfloat16() and library_path()):
            assert out.returncode != 0
            message = out.stderr.strip().splitlines()[-1]
            assert "UNSPIN_BF16=1" in message and ("processor" in message or "embed" in message)
            continue
        assert out.returncode == 0, out.stderr
        bf16, torch_imported, loaded, probability = out.stdout.split()
        runs[value] = (bf16, torch_imported, loaded, float(probability))
    assert runs["0"][:3] == ("False", "False", "False")
    if cpu_multiplies_bfloat16() and library_path():
        assert runs[None][:3] == runs["1"][:3] == ("True", "False", "True")
        assert runs["1"][3] == runs[None][3]
        assert 0 < abs(runs[None][3] - runs["0"][3]) < 0.05
    else:
        assert runs[None] == runs["0"]


def test_a_value_the_variable_does_not_know_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before (34th session): ``UNSPIN_BF16=yes`` (or ``true``) was float32 in silence."""
    from unspin.errors import ConfigError
    from unspin.spinscore.minilm import bfloat16_products, bfloat16_wanted

    for value in ("yes", "true", "bf16"):
        monkeypatch.setenv("UNSPIN_BF16", value)
        with pytest.raises(ConfigError, match=f"UNSPIN_BF16='{value}': give 1, 0 or auto"):
            bfloat16_products()
    monkeypatch.setenv("UNSPIN_BF16", "0")
    assert bfloat16_products() is False
    for value in ("", " Auto "):
        monkeypatch.setenv("UNSPIN_BF16", value)
        assert bfloat16_wanted() == "auto"
    monkeypatch.delenv("UNSPIN_BF16")
    assert bfloat16_wanted() == "auto"


def test_bfloat16_asked_for_names_the_missing_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before (34th session): unset was float32 everywhere and ``1`` needed torch, not oneDNN.
    Now unset is ``auto``: float32 where the processor or oneDNN is missing; ``1`` there is a
    one-line error naming the processor or the extra."""
    from unspin.errors import ConfigError, MissingExtraError
    from unspin.spinscore import minilm, onednn

    monkeypatch.setattr(minilm, "cpu_multiplies_bfloat16", lambda: False)
    monkeypatch.setattr(onednn, "library_path", lambda: Path("/usr/lib/libdnnl.so.3"))
    monkeypatch.delenv("UNSPIN_BF16", raising=False)
    assert minilm.bfloat16_products() is False
    monkeypatch.setenv("UNSPIN_BF16", "1")
    with pytest.raises(ConfigError, match="UNSPIN_BF16=1: this processor does not multiply"):
        minilm.bfloat16_products()
    monkeypatch.setattr(minilm, "cpu_multiplies_bfloat16", lambda: True)
    assert minilm.bfloat16_products() is True
    monkeypatch.setattr(onednn, "library_path", lambda: None)
    with pytest.raises(MissingExtraError, match=r"onednn-cpu-gomp.*unspin\[embed\]"):
        minilm.bfloat16_products()
    monkeypatch.setenv("UNSPIN_BF16", "auto")
    assert minilm.bfloat16_products() is False


class _FailingProducts:
    """Stands in for :class:`.minilm.BFloat16` where every oneDNN call fails."""

    def __init__(self, required: bool) -> None:
        self.required = required

    def product(self, x: np.ndarray, name: str) -> np.ndarray:
        from unspin.spinscore.onednn import OneDNNError

        raise OneDNNError("oneDNN: a matmul failed with status 1 (out of memory)")


def _tiny_model(bf16: object = None) -> MiniLM:
    """A random two-layer MiniLM of width 8 (2 heads), its weights laid out."""
    rng = np.random.default_rng(5)
    width, inner = 8, 32
    weights = {
        "embeddings.word_embeddings.weight": rng.standard_normal((20, width)),
        "embeddings.position_embeddings.weight": rng.standard_normal((16, width)),
        "embeddings.token_type_embeddings.weight": rng.standard_normal((2, width)),
        "embeddings.LayerNorm.weight": np.ones(width),
        "embeddings.LayerNorm.bias": np.zeros(width),
    }
    for k in range(2):
        p = f"encoder.layer.{k}."
        for kind in ("query", "key", "value"):
            weights[f"{p}attention.self.{kind}.weight"] = rng.standard_normal((width, width)) / 3
            weights[f"{p}attention.self.{kind}.bias"] = rng.standard_normal(width) / 3
        for name, shape in (
            ("attention.output.dense", (width, width)),
            ("intermediate.dense", (inner, width)),
            ("output.dense", (width, inner)),
        ):
            weights[f"{p}{name}.weight"] = rng.standard_normal(shape) / 3
            weights[f"{p}{name}.bias"] = rng.standard_normal(shape[0]) / 3
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"{p}{norm}.weight"] = np.ones(width)
            weights[f"{p}{norm}.bias"] = np.zeros(width)
    model = MiniLM({k: v.astype(np.float32) for k, v in weights.items()}, 2, 2, 1e-12, width)
    model.lay_out()
    return MiniLM(model.weights, 2, 2, 1e-12, width, bf16)  # type: ignore[arg-type]


def test_a_failed_onednn_product_is_float32_unless_bfloat16_was_required() -> None:
    """A oneDNN status other than success under ``auto``: that product in float32 (the same
    numbers as the float32 model, to the last bit), never a crash; under ``1``: its one-line
    error."""
    from unspin.spinscore.onednn import OneDNNError

    ids = np.array([[1, 5, 7, 2, 0]])
    mask = np.array([[1, 1, 1, 1, 0]])
    exact = _tiny_model()(ids, mask)
    assert np.array_equal(_tiny_model(_FailingProducts(required=False))(ids, mask), exact)
    with pytest.raises(OneDNNError, match=r"^oneDNN: a matmul failed with status 1"):
        _tiny_model(_FailingProducts(required=True))(ids, mask)


def test_onednn_that_cannot_load_leaves_float32_unless_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from unspin.spinscore import minilm, onednn

    def broken() -> None:
        raise onednn.OneDNNError("oneDNN: /x/libdnnl.so.3 is version 2.7.0, not 3.x")

    monkeypatch.setattr(onednn, "library", broken)
    monkeypatch.setattr(minilm, "bfloat16_products", lambda: True)
    model = _tiny_model()
    monkeypatch.delenv("UNSPIN_BF16", raising=False)
    assert model.with_chosen_products() is model
    monkeypatch.setenv("UNSPIN_BF16", "1")
    with pytest.raises(onednn.OneDNNError, match=r"not 3\.x"):
        model.with_chosen_products()


def test_bfloat16_rounding_is_to_nearest_even_and_keeps_specials() -> None:
    from unspin.spinscore.onednn import to_bfloat16

    x = np.array(
        [0.0, -0.0, 1.0, 1.00390625, 1.01171875, 3.4e38, np.inf, -np.inf, np.nan, 1e-40],
        dtype=np.float32,
    )
    back = (to_bfloat16(x).astype(np.uint32) << 16).view(np.float32)
    assert back[:3].tolist() == [0.0, 0.0, 1.0] and np.signbit(back[1])
    assert back[3] == 1.0 and back[4] == 1.015625  # ties to the even neighbour
    assert back[5] == np.inf and back[6] == np.inf and back[7] == -np.inf
    assert np.isnan(back[8]) and 0 < back[9] < 1.1e-40
    rng = np.random.default_rng(0)
    y = rng.standard_normal(10_000).astype(np.float32)
    z = (to_bfloat16(y).astype(np.uint32) << 16).view(np.float32)
    assert np.abs(z - y).max() <= np.abs(y).max() * 2.0**-8


@needs_bf16
def test_onednn_products_check_their_inputs_and_statuses() -> None:
    from unspin.spinscore import onednn

    products = onednn.Products()
    rng = np.random.default_rng(1)
    weights = rng.standard_normal((48, 40)).astype(np.float32)
    kernel = products.add("w", weights)
    assert kernel and not kernel.startswith("ref") and "w" in products
    x = rng.standard_normal((2, 7, 48)).astype(np.float32)
    got = products.product(x, "w")
    want = x @ weights
    assert got.dtype == np.float32 and got.shape == (2, 7, 40)
    assert 0 < np.abs(got - want).max() < 0.02 * np.abs(want).max()
    # Rows of any count share the one primitive of the weights' shape; none is fine too.
    assert np.array_equal(products.product(x[0, :3], "w"), got[0, :3])
    assert products.product(x[:0, 0], "w").shape == (0, 40)
    # What would make oneDNN read past an array is refused before the call.
    for bad in (x[..., :47], x.astype(np.float64), np.float32(1.0) * np.ones(())):
        with pytest.raises(onednn.OneDNNError, match="cannot multiply the 48 x 40 weights w"):
            products.product(bad, "w")
    with pytest.raises(onednn.OneDNNError, match="not a float32 matrix"):
        products.add("v", weights.astype(np.float64))
    # A status other than success is one line naming the call and the status.
    with pytest.raises(
        onednn.OneDNNError,
        match=r"^oneDNN: creating a memory descriptor failed with status 2 \(invalid arguments\)$",
    ):
        onednn._Descriptor(onednn.library().lib, -5, 3, onednn._BF16)
