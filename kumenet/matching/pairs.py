"""Candidate pairs with their features and labels: what the scorers learn from and are
evaluated on (:mod:`kumenet.matching.model`, :mod:`kumenet.matching.evaluate`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kumenet.arrays import unique
from kumenet.engine import run_blocks
from kumenet.graph.network import Network
from kumenet.matching.candidates import candidate_block, prepare
from kumenet.memory import reuse_freed_memory

__all__ = ["PairTable", "new_pairs", "pair_table"]


@dataclass(frozen=True)
class PairTable:
    """Candidates as of a year with their features and whether they were tied afterwards.

    ``table``: one row per candidate pair (``source``, ``target``, the features, ``label``);
    ``positives``: the pairs first tied afterwards, from both ends (``source``, ``target``);
    ``candidates`` and ``positive_candidates``: how many candidates there were and how many
    of them were tied, before ``keep`` sampled the table; ``parameters``: what made it.
    """

    table: pd.DataFrame
    positives: pd.DataFrame
    candidates: int
    positive_candidates: int
    parameters: dict = field(default_factory=dict)


def new_pairs(net: Network, *, after: int, until: int | None = None, layers=None
              ) -> pd.DataFrame:
    """Pairs first tied in (after, until], as undirected ``a < b`` positions.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> new = new_pairs(net, after=2022)
    >>> list(new.columns), bool((new['a'] < new['b']).all())
    (['a', 'b'], True)
    """
    sub = net.select(layers=layers)
    e = sub.edges
    if layers is None:
        e = e[e["layer"] != "membership"]
    u = e["source"].cat.codes.to_numpy(np.int64)
    v = e["target"].cat.codes.to_numpy(np.int64)
    y = e["year"].astype("float64").to_numpy()
    a, b = np.minimum(u, v), np.maximum(u, v)
    n = net.n_nodes
    first = pd.Series(y).groupby(a * n + b).min()
    hit = first > after
    if until is not None:
        hit &= first <= until
    keys = first.index[hit.to_numpy()].to_numpy()
    return pd.DataFrame({"a": keys // n, "b": keys % n})


def pair_table(net: Network, *, as_of: int, horizon: int | None, layers=None,
               per_source: int = 100, block: int = 1000, sources=None, progress=None,
               max_sources: int | None = None, seed: int = 0, features: set | None = None,
               n_active: int = 50, workers: int | None = None, keep=None) -> PairTable:
    """Candidate features as of ``as_of`` with labels (tied in the next ``horizon`` years).

    Only nodes with ties by ``as_of`` take part; each new pair is a positive for both ends.
    With ``max_sources``, at most that many sources (drawn with ``seed``) get candidates.
    Blocks of ``block`` sources run on ``workers`` processes (see
    :func:`kumenet.engine.run_blocks`).
    ``keep(label, source, target)``, when given, returns the positions of the rows to keep
    (training keeps a sample): only those are gathered into the table.
    Returns a :class:`PairTable`.

    >>> from kumenet.graph.io import read_network
    >>> pairs = pair_table(read_network('sample_networks/pilot'), as_of=2022, horizon=1)
    >>> table = pairs.table
    >>> pairs.candidates == len(table), int(table['label'].sum()) == pairs.positive_candidates
    (True, True)
    """
    g = prepare(net, layers=layers, as_of=as_of, n_active=n_active, features=features)
    pos = new_pairs(net, after=as_of, until=None if horizon is None else as_of + horizon,
                    layers=layers)
    active = g.deg > 0
    pos = pos[active[pos["a"]] & active[pos["b"]]]
    both = pd.DataFrame({"source": np.concatenate([pos["a"], pos["b"]]),
                         "target": np.concatenate([pos["b"], pos["a"]])})
    if sources is None:
        sources = unique(both["source"].to_numpy())
    if max_sources is not None and len(sources) > max_sources:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(sources, max_sources, replace=False))
    starts = range(0, max(len(sources), 1), block)  # one (empty) block at least
    chunks = [np.asarray(sources[i:i + block], dtype=np.int64) for i in starts]
    g.build_shared()
    with reuse_freed_memory():
        frames = run_blocks(functools.partial(candidate_block, g, per_source=per_source,
                                              features=features), chunks, workers, progress)
    n = net.n_nodes
    source = np.concatenate([f["source"].to_numpy() for f in frames])
    target = np.concatenate([f["target"].to_numpy() for f in frames])
    label = np.isin(source * n + target, both["source"].to_numpy() * n + both["target"].to_numpy())
    if keep is None:
        table = pd.concat(frames, ignore_index=True)
        table["label"] = label
    else:
        # Only the kept rows are gathered: a million candidates' features copied to be
        # sampled cost more than finding them.
        rows = np.asarray(keep(label, source, target))
        ends = np.cumsum([len(f) for f in frames])
        which = np.searchsorted(ends, rows, side="right")
        local = rows - np.r_[0, ends][which]
        table = pd.concat([f.iloc[local[which == i]] for i, f in enumerate(frames)],
                          ignore_index=True)
        table["label"] = label[rows]
    return PairTable(table=table, positives=both, candidates=int(len(label)),
                     positive_candidates=int(label.sum()),
                     parameters={"as_of": as_of, "horizon": horizon, "layers": layers,
                                 "per_source": per_source, "max_sources": max_sources,
                                 "seed": seed, "n_active": n_active})
