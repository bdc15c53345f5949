"""Matrix products in bfloat16 with a float32 result, through oneDNN's C library (``ctypes``).

The registry package ``onednn-cpu-gomp`` (in the ``embed`` extra, Linux on x86-64 only) installs
oneDNN's CPU library, ``libdnnl.so.3`` (55 MB, GNU OpenMP), into the environment's ``lib/``. On
processors that multiply bfloat16 in hardware (AVX512-BF16 or AMX) its matmul takes about half
the time of numpy's float32 product on the contextual model's shapes, with bfloat16's rounding
of both factors and a float32 sum and result; loading it costs about 3 ms, where importing
torch for the same kernels cost a cold start over a second (docs/benchmarks.md 17.21-17.22).

Only what :class:`.minilm.MiniLM` needs: ``x @ W`` for float32 activations ``x`` (rounded to
bfloat16 here, to nearest even) and weights ``W`` rounded once (:class:`Products`). One matmul
primitive per weight shape, with the row count given at each call (oneDNN's runtime
dimensions), so that texts of any length reuse it; every descriptor and memory object made for
a call is freed after it. Thread safety: the primitives keep no state between calls (the user
scratchpad mode, a scratchpad per call), each thread has its own stream and runs one OpenMP
thread, as numpy's BLAS does here (:func:`.minilm.one_blas_thread`). Every status other than
success is an :class:`OneDNNError`, one line naming the call; shapes and types are checked
before oneDNN reads a pointer.
"""

from __future__ import annotations

import ctypes
import os
import sys
import sysconfig
import threading
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UnspinError

# The registry package and the library file it installs into the environment's lib/.
PACKAGE = "onednn-cpu-gomp"
LIBRARY = "libdnnl.so.3"
# The C interface this binding is written against (oneDNN 3.x: the soname's 3).
_MAJOR = 3

# Constants of oneDNN 3's C headers (dnnl_types.h, dnnl_common_types.h).
_SUCCESS = 0
_BF16, _F32 = 2, 3  # dnnl_data_type_t
_TAG_AB = 3  # dnnl_format_tag_t: a plain row-major 2-D tensor
_ENGINE_CPU = 1  # dnnl_engine_kind_t
_STREAM_IN_ORDER = 1  # dnnl_stream_flags_t
_SCRATCHPAD_USER = 1  # dnnl_scratchpad_mode_t
_ARG_SRC, _ARG_WEIGHTS, _ARG_DST, _ARG_SCRATCHPAD = 1, 33, 17, 80
_QUERY_IMPL_INFO_STR = 8  # dnnl_query_t
_QUERY_SCRATCHPAD_MD = 136
_RUNTIME_DIM = -(2**63)  # DNNL_RUNTIME_DIM_VAL: a dimension given at execution
_STATUS_NAMES = {
    1: "out of memory",
    2: "invalid arguments",
    3: "unimplemented",
    4: "last implementation reached",
    5: "runtime error",
    6: "not required",
}


class OneDNNError(UnspinError):
    """oneDNN cannot be loaded or one of its calls failed (one line)."""


class _Version(ctypes.Structure):
    _fields_ = [
        ("major", ctypes.c_int),
        ("minor", ctypes.c_int),
        ("patch", ctypes.c_int),
        ("hash", ctypes.c_char_p),
        ("cpu_runtime", ctypes.c_uint),
        ("gpu_runtime", ctypes.c_uint),
    ]


class _Arg(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_int), ("memory", ctypes.c_void_p)]


_P = ctypes.c_void_p
_OUT = ctypes.POINTER(ctypes.c_void_p)
_INT = ctypes.c_int
# Every function used, with its argument and result types (all return dnnl_status_t unless
# said): ctypes then converts and checks each argument instead of guessing.
_SIGNATURES: dict[str, tuple[list[Any], Any]] = {
    "dnnl_version": ([], ctypes.POINTER(_Version)),
    "dnnl_engine_create": ([_OUT, _INT, ctypes.c_size_t], _INT),
    "dnnl_engine_destroy": ([_P], _INT),
    "dnnl_stream_create": ([_OUT, _P, ctypes.c_uint], _INT),
    "dnnl_stream_wait": ([_P], _INT),
    "dnnl_stream_destroy": ([_P], _INT),
    "dnnl_memory_desc_create_with_tag": (
        [_OUT, _INT, ctypes.POINTER(ctypes.c_int64), _INT, _INT],
        _INT,
    ),
    "dnnl_memory_desc_get_size": ([_P], ctypes.c_size_t),
    "dnnl_memory_desc_destroy": ([_P], _INT),
    "dnnl_memory_create": ([_OUT, _P, _P, _P], _INT),
    "dnnl_memory_destroy": ([_P], _INT),
    "dnnl_primitive_attr_create": ([_OUT], _INT),
    "dnnl_primitive_attr_set_scratchpad_mode": ([_P, _INT], _INT),
    "dnnl_primitive_attr_destroy": ([_P], _INT),
    "dnnl_matmul_primitive_desc_create": ([_OUT, _P, _P, _P, _P, _P, _P], _INT),
    "dnnl_primitive_desc_query": ([_P, _INT, _INT, _P], _INT),
    "dnnl_primitive_desc_query_md": ([_P, _INT, _INT], _P),
    "dnnl_primitive_desc_destroy": ([_P], _INT),
    "dnnl_primitive_create": ([_OUT, _P], _INT),
    "dnnl_primitive_execute": ([_P, _P, _INT, ctypes.POINTER(_Arg)], _INT),
    "dnnl_primitive_destroy": ([_P], _INT),
    # GNU OpenMP's, which the library links: the threads of the calling thread's products.
    "omp_set_num_threads": ([_INT], None),
}


def library_path() -> Path | None:
    """Where ``onednn-cpu-gomp`` put ``libdnnl.so.3``: the ``lib/`` folder of this
    environment's data path (``sysconfig``; in a virtual environment ``sys.prefix``, looked at
    first as reading ``sysconfig``'s paths costs about 9 ms), where pip installs a wheel's data
    files, or of the user's (``pip install --user``). None where it is in none of them: a few
    looks for a file, no search, since ``auto`` asks on every cold start."""
    fast = Path(sys.prefix) / "lib" / LIBRARY
    if fast.is_file():
        return fast
    for scheme in (sysconfig.get_default_scheme(), f"{os.name}_user"):
        try:
            found = Path(sysconfig.get_path("data", scheme)) / "lib" / LIBRARY
        except KeyError:  # no such scheme here
            continue
        if found.is_file():
            return found
    return None


def _check(status: int, what: str) -> None:
    if status != _SUCCESS:
        name = _STATUS_NAMES.get(status, "unknown status")
        raise OneDNNError(f"oneDNN: {what} failed with status {status} ({name})")


class _Library:
    """The loaded library, its functions typed, and one CPU engine (thread-safe in oneDNN)."""

    def __init__(self, path: Path) -> None:
        try:
            lib = ctypes.CDLL(str(path))
        except OSError as exc:
            raise OneDNNError(f"oneDNN: cannot load {path}: {exc}") from exc
        missing = [name for name in _SIGNATURES if not hasattr(lib, name)]
        if missing:
            raise OneDNNError(f"oneDNN: {path} lacks {', '.join(missing)}")
        for name, (arguments, result) in _SIGNATURES.items():
            function = getattr(lib, name)
            function.argtypes = arguments
            function.restype = result
        version = lib.dnnl_version().contents
        self.version = f"{version.major}.{version.minor}.{version.patch}"
        if version.major != _MAJOR:
            raise OneDNNError(f"oneDNN: {path} is version {self.version}, not {_MAJOR}.x")
        self.lib = lib
        engine = ctypes.c_void_p()
        _check(lib.dnnl_engine_create(ctypes.byref(engine), _ENGINE_CPU, 0), "creating an engine")
        self.engine = engine


@lru_cache(maxsize=1)
def library() -> _Library:
    """oneDNN, loaded once per process (about 3 ms); :class:`OneDNNError` where it is not
    installed or not the version this binding is written for."""
    path = library_path()
    if path is None:
        raise OneDNNError(f"oneDNN: {LIBRARY} not found (the package {PACKAGE} is not installed)")
    return _Library(path)


def loaded() -> bool:
    """Whether this process has loaded oneDNN (:func:`library`)."""
    return library.cache_info().currsize > 0


class _Descriptor:
    """A memory descriptor that frees itself."""

    def __init__(self, lib: Any, rows: int, columns: int, dtype: int) -> None:
        self._lib = lib
        self.handle = ctypes.c_void_p()
        dims = (ctypes.c_int64 * 2)(rows, columns)
        _check(
            lib.dnnl_memory_desc_create_with_tag(
                ctypes.byref(self.handle), 2, dims, dtype, _TAG_AB
            ),
            "creating a memory descriptor",
        )

    def __del__(self) -> None:
        if self.handle:
            self._lib.dnnl_memory_desc_destroy(self.handle)


@dataclass(frozen=True, slots=True)
class _Matmul:
    """A matmul primitive for bfloat16 ``(rows, inputs) @ (inputs, outputs)`` -> float32, the
    row count given at each call, and what a call needs to know about it."""

    primitive: ctypes.c_void_p
    descriptor: ctypes.c_void_p  # its primitive descriptor (owns the scratchpad's descriptor)
    weights: _Descriptor
    scratchpad: ctypes.c_void_p
    scratchpad_bytes: int
    implementation: str


class Products:
    """``x @ W`` in bfloat16 with a float32 result, for a set of float32 weights ``W`` kept by
    name (:meth:`add`, rounded to bfloat16 once). Safe to call from several threads."""

    def __init__(self) -> None:
        self._library = library()
        self._lib = self._library.lib
        self._weights: dict[str, np.ndarray] = {}
        self._matmuls: dict[tuple[int, int], _Matmul] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    @property
    def version(self) -> str:
        return self._library.version

    def add(self, name: str, weights: np.ndarray) -> str:
        """Keep ``weights`` (``(inputs, outputs)``, float32) rounded to bfloat16 under
        ``name``, and make the matmul for their shape; returns oneDNN's name for the kernel
        it chose (``brg:``, ``gemm:jit:``; ``ref:`` is its slow reference code)."""
        if weights.ndim != 2 or weights.dtype != np.float32 or 0 in weights.shape:
            raise OneDNNError(f"oneDNN: weights {name} are not a float32 matrix")
        rounded = to_bfloat16(np.ascontiguousarray(weights))
        matmul = self._matmul(*rounded.shape)
        with self._lock:
            self._weights[name] = rounded
        return matmul.implementation

    def __contains__(self, name: str) -> bool:
        return name in self._weights

    def product(self, x: np.ndarray, name: str) -> np.ndarray:
        """``x @ W`` for the weights kept under ``name``: ``x`` float32 ``(..., inputs)``,
        the result float32 ``(..., outputs)``."""
        weights = self._weights[name]
        inputs, outputs = weights.shape
        if x.dtype != np.float32 or x.ndim < 1 or x.shape[-1] != inputs:
            raise OneDNNError(
                f"oneDNN: {x.dtype} {x.shape} cannot multiply the {inputs} x {outputs} weights {name}"
            )
        lead = x.shape[:-1]
        rows = int(np.prod(lead, dtype=np.int64))
        out = np.empty((rows, outputs), dtype=np.float32)
        if rows:
            half = to_bfloat16(x.reshape(rows, inputs))
            self._run(self._matmul(inputs, outputs), half, weights, out)
        return out.reshape(*lead, outputs)

    def _matmul(self, inputs: int, outputs: int) -> _Matmul:
        with self._lock:
            found = self._matmuls.get((inputs, outputs))
            if found is None:
                found = self._matmuls[inputs, outputs] = self._make_matmul(inputs, outputs)
        return found

    def _make_matmul(self, inputs: int, outputs: int) -> _Matmul:
        lib = self._lib
        source = _Descriptor(lib, _RUNTIME_DIM, inputs, _BF16)
        weights = _Descriptor(lib, inputs, outputs, _BF16)
        result = _Descriptor(lib, _RUNTIME_DIM, outputs, _F32)
        attributes = ctypes.c_void_p()
        _check(lib.dnnl_primitive_attr_create(ctypes.byref(attributes)), "creating attributes")
        descriptor = ctypes.c_void_p()
        try:
            _check(
                lib.dnnl_primitive_attr_set_scratchpad_mode(attributes, _SCRATCHPAD_USER),
                "asking for the user scratchpad mode",
            )
            _check(
                lib.dnnl_matmul_primitive_desc_create(
                    ctypes.byref(descriptor),
                    self._library.engine,
                    source.handle,
                    weights.handle,
                    None,
                    result.handle,
                    attributes,
                ),
                f"making a bfloat16 matmul of {inputs} x {outputs}",
            )
        finally:
            lib.dnnl_primitive_attr_destroy(attributes)
        name = ctypes.c_char_p()
        _check(
            lib.dnnl_primitive_desc_query(
                descriptor,
                _QUERY_IMPL_INFO_STR,
                0,
                ctypes.cast(ctypes.byref(name), ctypes.c_void_p),
            ),
            "asking for the matmul's implementation",
        )
        scratchpad = ctypes.c_void_p(
            lib.dnnl_primitive_desc_query_md(descriptor, _QUERY_SCRATCHPAD_MD, 0)
        )
        primitive = ctypes.c_void_p()
        status = lib.dnnl_primitive_create(ctypes.byref(primitive), descriptor)
        if status != _SUCCESS:
            lib.dnnl_primitive_desc_destroy(descriptor)
            _check(status, f"making a bfloat16 matmul of {inputs} x {outputs}")
        matmul = _Matmul(
            primitive,
            descriptor,
            weights,
            scratchpad,
            int(lib.dnnl_memory_desc_get_size(scratchpad)) if scratchpad else 0,
            (name.value or b"").decode("ascii", "replace"),
        )
        # Freed with this object (the primitives live as long as the model that uses them).
        weakref.finalize(self, _free_matmul, lib, primitive, descriptor)
        return matmul

    def _stream(self) -> ctypes.c_void_p:
        """This thread's stream (made on its first product, freed when the thread ends); the
        thread's products then run one OpenMP thread."""
        stream: _Stream | None = getattr(self._local, "stream", None)
        if stream is None:
            stream = self._local.stream = _Stream(self._library)
        return stream.handle

    def _run(self, matmul: _Matmul, half: np.ndarray, weights: np.ndarray, out: np.ndarray) -> None:
        lib = self._lib
        engine = self._library.engine
        rows = half.shape[0]
        scratch = np.empty(max(matmul.scratchpad_bytes, 1), dtype=np.uint8)
        # Memory objects for this call's shapes and buffers, freed whatever happens.
        source = _Descriptor(lib, rows, half.shape[1], _BF16)
        result = _Descriptor(lib, rows, out.shape[1], _F32)
        memories: list[ctypes.c_void_p] = []
        try:
            for descriptor, array in (
                (source.handle, half),
                (matmul.weights.handle, weights),
                (result.handle, out),
            ) + (((matmul.scratchpad, scratch),) if matmul.scratchpad_bytes else ()):
                memory = ctypes.c_void_p()
                _check(
                    lib.dnnl_memory_create(
                        ctypes.byref(memory), descriptor, engine, array.ctypes.data
                    ),
                    "wrapping an array",
                )
                memories.append(memory)
            arguments = [_ARG_SRC, _ARG_WEIGHTS, _ARG_DST, _ARG_SCRATCHPAD][: len(memories)]
            pairs = (_Arg * len(memories))(
                *(_Arg(a, m) for a, m in zip(arguments, memories, strict=True))
            )
            stream = self._stream()
            _check(
                lib.dnnl_primitive_execute(matmul.primitive, stream, len(memories), pairs),
                "a matmul",
            )
            _check(lib.dnnl_stream_wait(stream), "waiting for a matmul")
        finally:
            for memory in memories:
                lib.dnnl_memory_destroy(memory)


class _Stream:
    """One thread's stream, freed when the thread (its ``threading.local``) goes."""

    def __init__(self, library: _Library) -> None:
        self._lib = library.lib
        # The products of this thread on one OpenMP thread: the model's callers run texts on
        # separate threads instead (:func:`.contextual.in_parallel`).
        self._lib.omp_set_num_threads(1)
        self.handle = ctypes.c_void_p()
        _check(
            self._lib.dnnl_stream_create(
                ctypes.byref(self.handle), library.engine, _STREAM_IN_ORDER
            ),
            "creating a stream",
        )

    def __del__(self) -> None:
        if self.handle:
            self._lib.dnnl_stream_destroy(self.handle)


def _free_matmul(lib: Any, primitive: ctypes.c_void_p, descriptor: ctypes.c_void_p) -> None:
    lib.dnnl_primitive_destroy(primitive)
    lib.dnnl_primitive_desc_destroy(descriptor)


def to_bfloat16(x: np.ndarray) -> np.ndarray:
    """float32 ``x`` rounded to bfloat16 (to nearest, ties to even), as the ``uint16`` bit
    patterns oneDNN reads: the high half of each float32 after adding half of the dropped
    part. Infinities stay infinite, numbers past bfloat16's largest become infinite, and the
    NaNs that arithmetic makes (quiet, payload zero) stay NaN.

    >>> to_bfloat16(np.array([1.0, 1.00390625, 1.01171875, -2.5], dtype=np.float32)).tolist()
    [16256, 16256, 16258, 49184]
    """
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = (bits >> 16) & 1
    rounded += 0x7FFF
    rounded += bits
    rounded >>= 16
    return rounded.astype(np.uint16)
