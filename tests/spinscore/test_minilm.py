"""The contextual model's own MiniLM forward pass (numpy, float32) equals transformers' BERT in
float32 within float32 rounding (with the same fitted tanh GELU; the exact one moves the states
by a bounded amount), and scoring imports neither torch nor transformers."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from unspin.generators.article_spinner import spin
from unspin.spinscore import contextual
from unspin.spinscore.minilm import _GELU_A, _GELU_B, blas_threads, gelu_

needs_embed = pytest.mark.skipif(not contextual.embed_available(), reason="needs the embed extra")

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
    got_offsets, got_hidden = contextual.encoder().run(texts)
    assert np.array_equal(got_offsets, want_offsets)
    assert got_hidden.dtype == np.float32 and got_hidden.shape == want_hidden.shape
    # Padding pieces included: they are computed, then never read.
    assert np.abs(got_hidden - want_hidden).max() < STATE_TOLERANCE


@needs_embed
def test_probe_log_odds_equal_transformers() -> None:
    # What the scorer reads: the probe's log-odds of each piece, numpy against torch (float32).
    texts = [TEXT, spin(TEXT, 0.3, seed=3).text]
    _, want = _transformers_run(texts)
    _, got = contextual.encoder().run(texts)
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
    model = contextual.encoder().model
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
    _, got = contextual.encoder().run(texts)
    assert 1e-4 < np.abs(got - exact).max() < 1e-2
    probe = contextual.probe()
    moved = probe.logit(got.reshape(-1, got.shape[-1])) - probe.logit(exact.reshape(-1, 384))
    assert np.abs(moved).max() < 0.02


@needs_embed
def test_reading_out_some_pieces_gives_their_full_states() -> None:
    # The last layer can compute only the pieces asked for (substitution_states reads a
    # candidate's few pieces out of its sentence); they equal the full pass's rows.
    texts = [TEXT, spin(TEXT, 0.3, seed=4).text]
    model = contextual.encoder().model
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
    model = contextual.encoder().model
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
    model = contextual.encoder().model
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


@needs_embed
def test_bfloat16_products_move_the_states_by_their_rounding_only() -> None:
    # UNSPIN_BF16 (minilm.BF16_VARIABLE) runs every linear part in bfloat16 through torch, the
    # rest in float32: the states move by bfloat16's rounding (seen: 0.03 at most, 2.4e-3 on
    # average, on states up to 6), by every route, and the float32 model keeps its numbers.
    torch = pytest.importorskip("torch")
    texts = [TEXT, spin(TEXT, 0.3, seed=6).text, "A short one.", "x " * 600]
    model = contextual.encoder().model
    assert model.bf16 is None  # float32 unless asked
    ids = [np.array(contextual.encoder().tokenizer.encode(t).ids) for t in texts]
    lengths = [len(i) for i in ids]
    exact = model.packed(np.concatenate(ids), lengths)
    threads = torch.get_num_threads()
    try:
        fast = model.in_bfloat16()
        got = fast.packed(np.concatenate(ids), lengths)
        one = ids[0][None, :]
        alone = fast(one, np.ones(one.shape, dtype=np.int64))[0]
        kept = np.zeros(len(ids[0]), dtype=bool)
        kept[0] = True
        substituted = fast.substituted(
            fast.layer_inputs(ids[0]), kept, one[:, 1:], np.ones((1, len(ids[0]) - 1)), 1
        )[0]
    finally:
        torch.set_num_threads(threads)
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


@needs_embed
def test_the_variable_asks_for_bfloat16_products_in_score() -> None:
    pytest.importorskip("torch")
    code = (
        "import sys\n"
        "from unspin.spinscore import contextual\n"
        "from unspin.spinscore.score import score_text\n"
        f"p = score_text({TEXT!r}, 'contextual').probability\n"
        "print(contextual.encoder().model.bf16 is not None, 'torch' in sys.modules, p)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_BF16"}
    runs = {}
    for value in ("1", "0", None):
        if value is None:
            env.pop("UNSPIN_BF16", None)
        else:
            env["UNSPIN_BF16"] = value
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        bf16, imported, probability = out.stdout.split()
        runs[value] = (bf16, imported, float(probability))
    assert runs["1"][:2] == ("True", "True")
    assert runs["0"][:2] == runs[None][:2] == ("False", "False")
    assert runs["0"][2] == runs[None][2]
    assert abs(runs["1"][2] - runs[None][2]) < 0.03


def test_a_value_the_variable_does_not_know_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before (34th session): ``UNSPIN_BF16=yes`` (or ``true``) was float32 in silence."""
    from unspin.errors import ConfigError
    from unspin.spinscore.minilm import bfloat16_products

    for value in ("yes", "true", "bf16"):
        monkeypatch.setenv("UNSPIN_BF16", value)
        with pytest.raises(ConfigError, match=f"UNSPIN_BF16='{value}': give 1, auto or 0"):
            bfloat16_products()
    for value in ("0", ""):
        monkeypatch.setenv("UNSPIN_BF16", value)
        assert bfloat16_products() is False
