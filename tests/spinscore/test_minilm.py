"""The contextual model's own MiniLM forward pass equals transformers' BERT, bit for bit."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from unspin.spinner import spin
from unspin.spinscore import contextual

pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

TEXT = (
    "The government said on Tuesday that the price of wheat would rise next year because the "
    "crop was smaller than expected. Farmers told the ministry that dry weather had cut yields."
)


def _transformers_run(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """What the contextual model computed through transformers before :mod:`.minilm`."""
    import torch

    base = contextual.base_model()
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
    bf16 = contextual._fast_bf16()
    with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=bf16):
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
def test_hidden_states_and_offsets_equal_transformers(texts: list[str]) -> None:
    want_offsets, want_hidden = _transformers_run(texts)
    got_offsets, got_hidden = contextual.encoder().run(texts)
    assert np.array_equal(got_offsets, want_offsets)
    assert np.array_equal(got_hidden, want_hidden)


def test_scoring_does_not_import_transformers() -> None:
    # transformers' import alone costs seconds of a cold start; the scorer runs without it.
    code = (
        "import sys\n"
        "from unspin.spin import score_text\n"
        f"assert score_text({TEXT!r}, 'contextual').model == 'contextual'\n"
        "print('transformers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_thread_count_leaves_the_states_as_they_are() -> None:
    # The model runs on the cores other work leaves idle (contextual.model_threads).
    import torch

    texts = [TEXT, spin(TEXT, 0.3, seed=2).text]
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = contextual.encoder().run(texts)[1]
        torch.set_num_threads(2)
        two = contextual.encoder().run(texts)[1]
    finally:
        torch.set_num_threads(before)
    assert np.array_equal(one, two)
    assert 1 <= contextual.model_threads() <= (os.cpu_count() or 1)
