"""Running blocks of sources one after another, or on forked worker processes.

A block job is a pure function of a block of source positions (the DESIGN's block plan):
the same blocks give the same results in the same order, whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable

from kumenet.memory import release_freed_memory

_JOB: Callable | None = None  # the job forked worker processes run
_ENCODE: Callable | None = None


def _run_job(chunk):
    result = _JOB(chunk)
    return _ENCODE(result) if _ENCODE else result


def _one_thread():
    """Worker processes compute with one thread each: the processes share the cores, and an
    OpenMP thread pool the parent started (training a scorer) does not survive a fork, so a
    forked worker that used it would wait for its threads for ever."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def run_blocks(job: Callable, chunks: list, workers: int | None = None, progress=None,
               encode: Callable | None = None, decode: Callable | None = None) -> list:
    """``[job(chunk) for chunk in chunks]``, on ``workers`` forked processes when there are
    several blocks (default: one per core, up to 4, no more than blocks). ``encode`` and
    ``decode`` carry a result from a worker (by default it is pickled)."""
    global _JOB, _ENCODE
    if workers is None:
        workers = min(os.cpu_count() or 1, 4, len(chunks))
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return [job(c) for c in (progress(chunks) if progress else chunks)]
    _JOB, _ENCODE = job, encode
    # Memory the parent freed but keeps would be copied page by page into each worker that
    # reuses it (copy-on-write): it is given back first (44 s of sys time at 1M firms).
    release_freed_memory()
    try:
        with mp.get_context("fork").Pool(workers, initializer=_one_thread) as pool:
            results = pool.imap(_run_job, chunks)
            return [decode(r) if decode else r
                    for r in (progress(results) if progress else results)]
    finally:
        _JOB = _ENCODE = None
