"""igraph run reproducibly: its random numbers seeded for one call, its threads limited to one.

igraph draws from Python's :mod:`random` module unless told otherwise, so a partition, a layout
or an eigenvector (ARPACK's start vector) would change from one process to the next.
"""

from __future__ import annotations

import random
from contextlib import contextmanager


__all__ = ["seeded", "one_thread"]


@contextmanager
def seeded(seed: int):
    """Run the block with igraph's generator seeded with ``seed``; the module's own generator
    is given back afterwards.

    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> with seeded(1):
    ...     a = g.eigenvector_centrality()
    >>> with seeded(1):
    ...     b = g.eigenvector_centrality()
    >>> a == b
    True
    """
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


@contextmanager
def one_thread():
    """Run the block with igraph's OpenMP threads limited to one (PRPACK's PageRank adds up
    in the order its threads finish, so the last digits change from run to run).

    >>> import igraph as ig
    >>> g = ig.Graph.Famous('Zachary')
    >>> with one_thread():
    ...     a = g.pagerank()
    >>> with one_thread():
    ...     b = g.pagerank()
    >>> a == b
    True
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="openmp"):
        yield
