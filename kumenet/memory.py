"""Keeping freed memory for reuse during long array work.

Blocks of candidate pairs allocate and free arrays of tens of megabytes, one block after
another. glibc's malloc gives every allocation above 32 MB (and, by default, above its
adaptive threshold) fresh pages from the kernel and hands them back on free, so each block
pays a page fault per 4 KiB it touches again. On the virtual machines kumenet is measured on
that was half of the time of ``match --all`` (sys 16.7 s of 33.8 s for 16,000 firms). Arrow's
own allocator (mimalloc) returns freed pages too, and numpy asks for huge pages for large
arrays, whose faults cost more again (``match --all --method adamic_adar`` on 100,000 firms:
sys 5.2 s, 0.8 s without them).

:func:`reuse_freed_memory` keeps freed memory in the process for the span of a ``with``
block (no ``mmap`` per allocation, no trimming; Arrow allocates through the same malloc;
numpy asks for no huge pages) and gives it back to the system at the end (``malloc_trim``).
Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from contextlib import contextmanager

# mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_MMAP_MAX = -4
_DEFAULT_MMAP_MAX = 65536
_DEFAULT_TRIM_THRESHOLD = 128 * 1024
_DEFAULT_MMAP_THRESHOLD = 128 * 1024


@functools.cache
def _libc():
    """glibc, when this is glibc (None elsewhere)."""
    import platform

    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (OSError, AttributeError):
        return None


_depth = 0  # nested uses keep the outermost setting


def keep_freed_memory() -> None:
    """From now on, serve large allocations from the heap and keep what is freed."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_MAX, 0)
        libc.mallopt(_M_TRIM_THRESHOLD, 2 ** 31 - 1)


def keep_freed_memory_here() -> None:
    """For a worker process that runs block after block for its whole life (a Dask worker):
    keep freed memory, allocate Arrow buffers through malloc and ask numpy for no huge pages,
    from now on."""
    import pyarrow as pa

    if _libc() is not None:
        keep_freed_memory()
        _arrow_and_numpy(pa.system_memory_pool(), huge=False)


def release_freed_memory() -> None:
    """Give the memory freed so far back to the system (the next allocations fault again)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@contextmanager
def reuse_freed_memory():
    """Within the block, freed memory is reused instead of returned and faulted in again;
    afterwards malloc's defaults are back and the freed memory is returned."""
    global _depth
    libc = _libc()
    if libc is None:
        yield
        return
    if _depth == 0:
        import pyarrow as pa

        keep_freed_memory()
        pool, huge = _arrow_and_numpy(pa.system_memory_pool(), huge=False)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            _arrow_and_numpy(pool, huge)
            libc.mallopt(_M_MMAP_MAX, _DEFAULT_MMAP_MAX)
            libc.mallopt(_M_MMAP_THRESHOLD, _DEFAULT_MMAP_THRESHOLD)
            libc.mallopt(_M_TRIM_THRESHOLD, _DEFAULT_TRIM_THRESHOLD)
            release_freed_memory()


def _arrow_and_numpy(pool, huge):
    """Make ``pool`` Arrow's default memory pool and set whether numpy asks for huge pages
    (None: unchanged); return the previous settings. Buffers keep the pool they came from,
    so switching is safe at any time."""
    import pyarrow as pa

    previous_pool = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    previous_huge = None
    if huge is not None:
        try:
            from numpy._core import multiarray

            previous_huge = multiarray._set_madvise_hugepage(bool(huge))
        except (ImportError, AttributeError):  # a numpy without the switch
            pass
    return previous_pool, previous_huge
