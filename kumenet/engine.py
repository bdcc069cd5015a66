"""Where blocks of pure work run: on this machine, or on a Dask cluster.

Partner matching, evaluation, training and sampled betweenness split their work into blocks
(the DESIGN's block plan): a job is a pure function of its block, so the same blocks give
the same results in the same order, whatever the number of workers or the engine
(:func:`run_blocks`). The ``local`` engine runs the blocks here, one after another or on
forked worker processes. The ``dask`` engine sends the job (the network's arrays and
everything a block reads) to every Dask worker once and then only the blocks; results come
back in block order, so a seed gives the same table on either engine.

    >>> from kumenet import engine
    >>> with engine.use("local"):
    ...     engine.current() is None
    True

With ``engine.use("dask", scheduler="tcp://host:8786")`` (or ``KUMENET_SCHEDULER``) the work
goes to that scheduler's workers; without a scheduler a LocalCluster of one worker process
per core is started and closed with the block. Dask is an optional extra:
``pip install 'kumenet[dask]'``.
"""

from __future__ import annotations

import contextvars
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kumenet.errors import KumenetError
from kumenet.memory import release_freed_memory

ENGINES = ("local", "dask")
SCHEDULER_ENV = "KUMENET_SCHEDULER"
#: How long to wait for a scheduler to answer.
CONNECT_TIMEOUT = "10s"

_current: contextvars.ContextVar = contextvars.ContextVar("kumenet_engine", default=None)


def current() -> DaskEngine | None:
    """The Dask engine blocks run on now, or None (this machine)."""
    return _current.get()


@contextmanager
def use(name: str = "local", scheduler: str | None = None,
        workers: int | None = None) -> Iterator[DaskEngine | None]:
    """Run the blocks of the work inside the ``with`` on ``name`` (see the module docstring).

    ``scheduler`` is a Dask scheduler's address (default: ``KUMENET_SCHEDULER``, else a
    LocalCluster of ``workers`` processes, one per core by default).
    """
    if name not in ENGINES:
        raise KumenetError(f"engine must be one of {', '.join(ENGINES)}, not {name!r}")
    if name == "local":
        if scheduler:
            raise KumenetError("--scheduler needs --engine dask")
        token = _current.set(None)
        try:
            yield None
        finally:
            _current.reset(token)
        return
    client, cluster = _connect(scheduler or os.environ.get(SCHEDULER_ENV) or None, workers)
    running = DaskEngine(client)
    token = _current.set(running)
    try:
        yield running
    finally:
        _current.reset(token)
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str | None, workers: int | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KumenetError("--engine dask needs Dask, an optional part of kumenet: "
                           "pip install 'kumenet[dask]'") from None
    if scheduler is not None:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as err:
            raise KumenetError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    n = workers or os.cpu_count() or 1
    # Processes, one thread each: the blocks hold the GIL in places, as pandas does.
    import dask

    # A block that kills its worker (out of memory) would kill the next ones if retried.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)
    return Client(cluster), cluster


class DaskEngine:
    """Blocks on the workers of a Dask client."""

    def __init__(self, client):
        self.client = client

    def describe(self, lang: str = "en") -> str:
        """'blocks run on Dask: scheduler tcp://..., 2 workers' (in ``lang``)."""
        from kumenet.messages import text

        info = self.client.scheduler_info()
        return text("cli.dask", lang, address=str(info.get("address", "?")),
                    n=len(info.get("workers", {})))

    def run(self, job: Callable, chunks: list, progress=None, encode: Callable | None = None,
            decode: Callable | None = None) -> list:
        """``[job(chunk) for chunk in chunks]`` on the workers, in block order. The job is
        sent to every worker once (scattered); each task then carries one block."""
        if not chunks:
            return []
        from distributed import KilledWorker

        client = self.client
        [shared] = client.scatter([job], broadcast=True, hash=False)
        try:
            futures = client.map(_run_block, [shared] * len(chunks), chunks,
                                 [encode] * len(chunks), pure=False)
            results = []
            for i, future in enumerate(progress(futures) if progress else futures):
                try:
                    result = future.result()
                except KilledWorker:
                    raise KumenetError(f"a Dask worker died running block {i + 1} of "
                                       f"{len(chunks)} (out of memory?): give the workers "
                                       "more memory or use --engine local") from None
                results.append(decode(result) if decode else result)
            return results
        finally:
            client.cancel([shared])


_PREPARED = False  # whether this Dask worker process has been set up for blocks


def _run_block(job, chunk, encode):
    """On a worker: one block, its result encoded for the trip back."""
    global _PREPARED
    if not _PREPARED:
        # As forked workers inherit from a local run: freed memory reused (page faults were
        # half the time of a block), one thread per process (the worker's processes share
        # its cores).
        from threadpoolctl import threadpool_limits

        from kumenet.memory import keep_freed_memory_here

        keep_freed_memory_here()
        threadpool_limits(1)
        _PREPARED = True
    result = job(chunk)
    return encode(result) if encode else result


# -- this machine ----------------------------------------------------------------------------

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
    ``decode`` carry a result from a worker (by default it is pickled). Inside
    :func:`use` with ``"dask"`` the blocks run on the Dask workers instead."""
    global _JOB, _ENCODE
    dask = current()
    if dask is not None:
        return dask.run(job, chunks, progress, encode, decode)
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
