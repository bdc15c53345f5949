"""Keeping the memory a model pass frees for the next pass (glibc's malloc).

The MiniLM pass (:mod:`.minilm`) makes and drops arrays of 0.1-8 MB all along: about 20 MB
of them for a 1,000-word article. glibc's malloc gives a freed block of that size back to the
system straight away (blocks over its mmap threshold, 128 KB at first, are mapped on their
own; and the main heap is trimmed once its free top passes the trim threshold), so the next
array maps fresh pages that the kernel zeroes on first touch: about 4,800 page faults, 8-15 ms
of system CPU per article, a twentieth of the whole score (docs/benchmarks.md 14l). Raising
both thresholds keeps those blocks in the heap, where the next array reuses them. The
arithmetic is untouched: the same numbers, in memory that was already mapped.
"""

from __future__ import annotations

import os
from functools import lru_cache

# mallopt's parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks up to this size come from the heap: glibc's largest allowed mmap threshold on 64-bit
# systems (a 1,000-word article's largest array is about 7 MB).
MMAP_THRESHOLD = 32 << 20
# The heap keeps up to this much free memory at its top instead of returning it: more than a
# pass of a few thousand words makes and drops.
TRIM_THRESHOLD = 128 << 20
# Settings a user may have given glibc already; then they stand.
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


@lru_cache(maxsize=1)
def keep_freed_blocks() -> bool:
    """Have glibc's malloc keep freed blocks under :data:`MMAP_THRESHOLD` in the process's heap
    (and up to :data:`TRIM_THRESHOLD` of free memory at its top) for the rest of the process.
    Returns whether it did: not on another C library, nor where the environment sets malloc's
    thresholds itself (``MALLOC_*_`` variables, ``glibc.malloc`` tunables). Once per process.

    >>> isinstance(keep_freed_blocks(), bool)
    True
    """
    if any(name in os.environ for name in _USER_SETTINGS):
        return False
    if "glibc.malloc" in os.environ.get("GLIBC_TUNABLES", ""):
        return False
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError, AttributeError):  # no such name on this platform
        return False
    if not libc.startswith("glibc"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success, 0 for a value glibc refuses.
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
