"""Node, layer, multilayer and group metrics.

Every function takes the network first and returns a DataFrame whose columns its docstring
lists. Graph work runs in igraph (C) and scipy.sparse; nothing loops over edges in Python.
Weights are tie intensities (see :meth:`Network.ties`): they enter strength, PageRank,
eigenvector centrality and Burt's constraint, while path-based measures (betweenness) count
hops, since an intensity is not a distance.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kumenet.arrays import group_mode, unique  # noqa: F401 - group_mode is used from here
from kumenet.engine import run_blocks
from kumenet.graph.geography import region_codes, scope
from kumenet.graph.network import Network
from kumenet.graph.seeded import one_thread, seeded
from kumenet.memory import reuse_freed_memory

__all__ = ["brokerage_roles", "triangles", "burt_constraint", "group_codes", "node_metrics",
           "layer_metrics", "layer_overlap", "participation", "versatility", "group_metrics"]


#: Above this many nodes betweenness is estimated from a sample of source nodes: 1,000
#: sources, fewer (down to 100) on graphs with more than 200,000 ties.
EXACT_BETWEENNESS_MAX = 20_000
DEFAULT_BETWEENNESS_SAMPLE = 1_000
ROLES = ("coordinator", "gatekeeper", "representative", "itinerant", "liaison")
NODE_COLUMNS = ("id", "name", "kind", "province", "sector", "layer", "degree", "in_degree",
                "out_degree", "strength", "in_strength", "out_strength", "pagerank",
                "betweenness", "eigenvector", "coreness", "clustering", "constraint",
                "effective_size", *ROLES, "brokerage")


def _binary(u, v, n, directed) -> sp.csr_array:
    A = sp.csr_array((np.ones(len(u)), (u, v)), shape=(n, n))
    if not directed:
        A = A + A.T
    A.data[:] = 1.0
    return A


#: The six orderings of a triangle's three corners.
_ORDERINGS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))


def _group_triangles(codes, u, v, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the triangles and connected triples of its own subgraph (ties ``u``-``v``
    inside groups): their ratio is the group's clustering (transitivity)."""
    import igraph as ig

    g = ig.Graph(n=n, edges=np.column_stack([u, v]), directed=False)
    g.simplify()
    deg = np.asarray(g.degree(), dtype=float)
    local_tri = np.asarray(g.transitivity_local_undirected(mode="zero")) * \
        np.asarray(g.degree()) * (np.asarray(g.degree()) - 1) / 2
    valid = codes >= 0
    return (np.bincount(codes[valid], weights=local_tri[valid], minlength=k),
            np.bincount(codes[valid], weights=(deg * (deg - 1) / 2)[valid], minlength=k))


def _top_brokers(roles: pd.DataFrame) -> np.ndarray:
    """The top tenth of the network's nodes by brokerage across groups (gatekeeper +
    representative + liaison), among those with any."""
    across = roles[["gatekeeper", "representative", "liaison"]].fillna(0).sum(axis=1).to_numpy()
    positive = across[across > 0]
    cut = np.quantile(positive, 0.9) if len(positive) else np.inf
    return (across >= cut) & (across > 0)


def brokerage_roles(u, v, n: int, groups: np.ndarray, directed: bool = True,
                    tri: np.ndarray | None = None) -> pd.DataFrame:
    """Gould-Fernandez brokerage roles of every node (Gould and Fernandez 1989).

    A node b brokers each *open* two-path a -> b -> c (a != c, no tie a -> c). With g() the
    group of a node, the path makes b a

    - coordinator: g(a) = g(b) = g(c)
    - itinerant (consultant): g(a) = g(c) != g(b)
    - representative: g(a) = g(b) != g(c)
    - gatekeeper: g(b) = g(c) != g(a)
    - liaison: g(a), g(b), g(c) all different.

    Undirected ties count in both directions, so each open path a - b - c counts twice (a to
    c and c to a). Paths through a node without a group are not counted, and a node without a
    group gets NaN.

    Parameters
    ----------
    u, v : array of int
        Ties (sources and targets), one per pair.
    n : int
        Number of nodes.
    groups : array of int
        Group code of each node, -1 for none.

    Returns
    -------
    DataFrame
        One row per node; columns ``coordinator``, ``gatekeeper``, ``representative``,
        ``itinerant``, ``liaison``.

    Notes
    -----
    Counting is done in closed form: all two-paths through b between groups p and q number
    I[b, p] * O[b, q] (I, O: in- and out-neighbours of b per group, sparse products), from
    which the paths a -> b -> a and the closed paths (a -> c tied; found from igraph's triangle
    list) are subtracted. ``tri`` may pass the triangles of the undirected skeleton.

    >>> t = brokerage_roles(np.array([0, 1]), np.array([1, 2]), 3, np.array([0, 0, 1]))
    >>> t.loc[1].to_dict()
    {'coordinator': 0.0, 'gatekeeper': 0.0, 'representative': 1.0, 'itinerant': 0.0, 'liaison': 0.0}
    """
    groups = np.asarray(groups, dtype=np.int64)
    A = _binary(np.asarray(u), np.asarray(v), n, directed)
    A.setdiag(0)
    A.eliminate_zeros()
    valid = groups >= 0
    k = int(groups.max(initial=-1)) + 1
    G = sp.csr_array((np.ones(valid.sum()), (np.flatnonzero(valid), groups[valid])),
                     shape=(n, max(k, 1)))
    own = sp.csr_array((np.ones(valid.sum()), (np.flatnonzero(valid), groups[valid])),
                       shape=(n, max(k, 1)))
    I_ = (A.T @ G).tocsr()
    O_ = (A @ G).tocsr()
    R_ = (A.multiply(A.T) @ G).tocsr()

    def rowsum(M):
        return np.asarray(M.sum(axis=1)).ravel()

    I_b, O_b, R_b = rowsum(I_.multiply(own)), rowsum(O_.multiply(own)), rowsum(R_.multiply(own))
    S_I, S_O, S_R = rowsum(I_), rowsum(O_), rowsum(R_)
    IO = rowsum(I_.multiply(O_))
    coordinator = I_b * O_b - R_b
    itinerant = (IO - I_b * O_b) - (S_R - R_b)
    representative = I_b * (S_O - O_b)
    gatekeeper = (S_I - I_b) * O_b
    liaison = (S_I - I_b) * (S_O - O_b) - (IO - I_b * O_b)

    _drop_closed_paths(A, groups, n, tri, coordinator, itinerant, representative, gatekeeper,
                       liaison)
    table = pd.DataFrame({"coordinator": coordinator, "gatekeeper": gatekeeper,
                          "representative": representative, "itinerant": itinerant,
                          "liaison": liaison})
    table[~valid] = np.nan
    return table


def _drop_closed_paths(A, groups, n, tri, coordinator, itinerant, representative, gatekeeper,
                       liaison) -> None:
    """Take the closed two-paths a -> b -> c (a -> c tied) out of each role's count, in
    place: each lies on a triangle of the skeleton (``tri``, found when None)."""
    coo = A.tocoo()
    if tri is None:
        tri = triangles(coo.row, coo.col, n)
    if not len(tri):
        return
    keys = np.sort(coo.row.astype(np.int64) * n + coo.col)
    # Whether each of the six directed ties among a triangle's corners exists, looked up
    # once (every ordering below reads three of them).
    tied = {(x, y): _member(keys, tri[:, x] * n + tri[:, y])
            for x in range(3) for y in range(3) if x != y}
    for a_, b_, c_ in _ORDERINGS:
        a, b, c = tri[:, a_], tri[:, b_], tri[:, c_]
        closed = tied[a_, b_] & tied[b_, c_] & tied[a_, c_]
        ga, gb, gc = groups[a], groups[b], groups[c]
        closed &= (ga >= 0) & (gb >= 0) & (gc >= 0)
        at = b[closed]
        ga, gb, gc = ga[closed], gb[closed], gc[closed]
        for role, mask in ((coordinator, (ga == gb) & (gb == gc)),
                           (itinerant, (ga == gc) & (ga != gb)),
                           (representative, (ga == gb) & (gb != gc)),
                           (gatekeeper, (gb == gc) & (ga != gb)),
                           (liaison, (ga != gb) & (gb != gc) & (ga != gc))):
            role -= np.bincount(at[mask], minlength=n)


def triangles(u: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """All triangles of an undirected simple graph, as a (T, 3) array of node positions.

    Edges are oriented from lower to higher degree (ties by position), so every node has at
    most sqrt(2m) out-neighbours; each oriented two-path a -> b -> c is then checked for the
    closing edge a -> c. Two-paths are expanded in whole arrays (no Python loop), and hubs
    cost little because their out-degree is small (Chiba and Nishizeki 1985; Latapy 2008).

    >>> triangles(np.array([0, 1, 2, 2]), np.array([1, 2, 0, 3]), 4).tolist()
    [[0, 1, 2]]
    """
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    keep = u != v
    a, b = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    pairs = unique(a * n + b)
    a, b = pairs // n, pairs % n
    deg = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    rank = np.lexsort((np.arange(n), deg))  # position -> order by degree
    order = np.empty(n, dtype=np.int64)
    order[rank] = np.arange(n)
    low_first = order[a] < order[b]
    src, dst = np.where(low_first, a, b), np.where(low_first, b, a)
    by_src = np.argsort(src, kind="stable")
    src, dst = src[by_src], dst[by_src]
    start = np.searchsorted(src, np.arange(n + 1))
    outdeg = np.diff(start)
    # Two-paths x -> y -> z: for each oriented edge (x, y), every out-neighbour z of y.
    reps = outdeg[dst]
    x = np.repeat(src, reps)
    y = np.repeat(dst, reps)
    offset = np.arange(len(x)) - np.repeat(np.cumsum(reps) - reps, reps)
    z = dst[start[y] + offset]
    keys = src * n + dst  # oriented edges, sorted by source then (stable) destination
    keys.sort()
    closed = _member(keys, x * n + z)
    return np.column_stack([x[closed], y[closed], z[closed]])


def burt_constraint(u, v, w, n: int, tri: np.ndarray | None = None) -> np.ndarray:
    """Burt's constraint of every node from undirected weighted ties (Burt 1992).

    c_i = sum over neighbours j of (p_ij + sum_q p_iq p_qj)^2, with p_ij = w_ij / sum_k w_ik
    (networkx's ``constraint`` on an undirected graph). The indirect term is non-zero only
    through common neighbours, so it is summed over the triangles; NaN for isolated nodes.

    >>> burt_constraint(np.array([0, 0, 0]), np.array([1, 2, 3]), np.ones(3), 4).round(3).tolist()
    [0.333, 1.0, 1.0, 1.0]
    """
    u, v, w = np.asarray(u, np.int64), np.asarray(v, np.int64), np.asarray(w, float)
    i = np.concatenate([u, v])
    j = np.concatenate([v, u])
    ww = np.concatenate([w, w])
    strength = np.bincount(i, weights=ww, minlength=n)
    keys = i * n + j
    order = np.argsort(keys)
    keys, i, j, p = keys[order], i[order], j[order], (ww / strength[i])[order]
    indirect = np.zeros(len(keys))
    if tri is None:
        tri = triangles(u, v, n)
    # The position of each of the six directed ties among a triangle's corners, found once.
    at = {(x, y): np.searchsorted(keys, tri[:, x] * n + tri[:, y])
          for x in range(3) for y in range(3) if x != y}
    for a_, b_, q_ in _ORDERINGS:  # path a - q - b adds p_aq p_qb to (a, b)
        indirect += np.bincount(at[a_, b_], weights=p[at[a_, q_]] * p[at[q_, b_]],
                                minlength=len(keys))
    local = (p + indirect) ** 2
    c = np.bincount(i, weights=local, minlength=n)
    return np.where(strength > 0, c, np.nan)


def _member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    return sorted_keys[pos] == keys if len(sorted_keys) else np.zeros(len(keys), bool)


def _graph_metrics(net: Network, layers, as_of, combine, groups: np.ndarray,
                   betweenness_sample: int | None, seed: int) -> tuple[pd.DataFrame, int | None]:

    g = net.graph(layers, as_of, combine)
    n = g.vcount()
    directed = g.is_directed()
    w = g.es["weight"] if g.ecount() else None
    out = pd.DataFrame(index=range(n))
    if directed:
        out["in_degree"] = g.degree(mode="in")
        out["out_degree"] = g.degree(mode="out")
        out["degree"] = out["in_degree"] + out["out_degree"]
        out["in_strength"] = g.strength(mode="in", weights=w)
        out["out_strength"] = g.strength(mode="out", weights=w)
        out["strength"] = out["in_strength"] + out["out_strength"]
    else:
        out["degree"] = g.degree()
        out["strength"] = g.strength(weights=w)
        for col in ("in_degree", "out_degree", "in_strength", "out_strength"):
            out[col] = np.nan
    with one_thread():  # PRPACK's threads sum in any order: the last digits would move
        out["pagerank"] = g.pagerank(weights=w, directed=directed) if n else []
    # Betweenness: exact up to EXACT_BETWEENNESS_MAX nodes, else Brandes-Pich estimate from a
    # uniform sample of sources, scaled by n / k.
    sample = betweenness_sample
    if sample is None and n > EXACT_BETWEENNESS_MAX:
        # Each source costs one traversal of all ties: keep the total near 2e8 tie visits.
        sample = int(np.clip(2e8 / max(g.ecount(), 1), 100, DEFAULT_BETWEENNESS_SAMPLE))
    if sample is not None and sample < n:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(n, size=sample, replace=False))
        raw = _betweenness(g, directed, sources) * n / sample
    else:
        sample = None
        raw = _betweenness(g, directed, np.arange(n)) if n else np.zeros(0)
    scale = (n - 1) * (n - 2) / (1 if directed else 2)
    out["betweenness"] = raw / scale if scale > 0 else 0.0
    und = g.as_undirected(mode="collapse", combine_edges="sum") if directed else g
    uw = und.es["weight"] if und.ecount() else None
    with warnings.catch_warnings():
        # igraph warns on disconnected graphs; nodes outside the main component get ~0, as
        # the measure implies, and the README says so.
        warnings.simplefilter("ignore", RuntimeWarning)
        with seeded(seed):
            out["eigenvector"] = und.eigenvector_centrality(scale=True, weights=uw) if n else []
    out["coreness"] = und.coreness()
    if directed:
        edges = np.asarray(und.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    else:  # the graph's edges are the ties, in their order (no Python tuples)
        tu, tv, _, _ = net.ties(layers, as_of, combine)
        edges = np.column_stack([tu, tv])
    tri = triangles(edges[:, 0], edges[:, 1], n)
    k = np.asarray(und.degree(), dtype=float)
    t = np.bincount(tri.ravel(), minlength=n).astype(float)  # triangles at each node
    with np.errstate(divide="ignore", invalid="ignore"):
        out["clustering"] = np.where(k > 1, 2 * t / (k * (k - 1)), 0.0)
        # Effective size (Burt 1992) in Borgatti's (1997) form for binary ties: k - 2t/k,
        # with k neighbours and t ties among them.
        out["effective_size"] = np.where(k > 0, k - 2 * t / k, np.nan)
    out["constraint"] = burt_constraint(edges[:, 0], edges[:, 1], np.asarray(uw or [], float), n, tri)
    u, v, _, _ = net.ties(layers, as_of, combine)
    roles = brokerage_roles(u, v, n, groups, directed, tri)
    out = pd.concat([out, roles], axis=1)
    out["brokerage"] = roles.sum(axis=1, min_count=1)
    return out, sample


#: Betweenness work (sources x ties) above which its sources are split into blocks, run on
#: worker processes or Dask (:func:`kumenet.engine.run_blocks`); the blocks do not depend on
#: the machine, so neither does the sum.
BETWEENNESS_BLOCKS = 16
_SPLIT_WORK = 5e7


class _Betweenness:
    """The shortest paths from a block of sources through every node (a pure block job)."""

    def __init__(self, g, directed: bool):
        self.g, self.directed = g, directed

    def __call__(self, sources: np.ndarray) -> np.ndarray:
        return np.asarray(self.g.betweenness(directed=self.directed, sources=sources.tolist()),
                          dtype=np.float64)


def _betweenness(g, directed: bool, sources: np.ndarray) -> np.ndarray:
    """Betweenness counted from ``sources``, summed over blocks of them in block order."""
    blocks = 1 if len(sources) * max(g.ecount(), 1) < _SPLIT_WORK else BETWEENNESS_BLOCKS
    chunks = [c for c in np.array_split(sources, min(blocks, len(sources))) if len(c)]
    parts = run_blocks(_Betweenness(g, directed), chunks)
    total = parts[0].copy()
    for part in parts[1:]:
        total += part
    return total


def group_codes(net: Network, by: str | pd.Series = "province") -> tuple[np.ndarray, pd.Index]:
    """Integer group codes per node (-1 for none) and the group labels.

    ``by`` is a node column (``province``: foreign actors are grouped by country; ``nuts2``,
    ``nuts1``: the NUTS region of the province) or a Series aligned with the nodes.

    >>> from kumenet.graph.io import read_network
    >>> codes, labels = group_codes(read_network('sample_networks/pilot'), 'province')
    >>> len(codes), 'Samsun' in set(labels)
    (757, True)
    """
    if isinstance(by, pd.Series):
        values = by.reset_index(drop=True)
    elif by in ("province", "nuts3", "nuts2", "nuts1"):
        values = region_codes(net.nodes, by)
    elif by in net.nodes.columns:
        values = net.nodes[by]
    else:
        from kumenet.errors import KumenetError

        raise KumenetError(f"no node column {by!r} to group by; the columns are "
                           f"{', '.join(net.nodes.columns)}")
    codes, labels = pd.factorize(values.astype(object), use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(labels)


def node_metrics(net: Network, layers: str | Iterable[str] | None = None,
                 as_of: int | None = None, combine: str = "sum", per_layer: bool = False,
                 groups: str | pd.Series = "province", betweenness_sample: int | None = None,
                 seed: int = 0, progress=None) -> pd.DataFrame:
    """Centrality, cohesion and brokerage of every node.

    Parameters
    ----------
    net : Network
    layers : str or list of str, optional
        Layers to flatten (all by default).
    as_of : int, optional
        Only ties observed up to this year.
    combine : {"sum", "max"}
        How the layers' weights are combined (see :meth:`Network.ties`).
    per_layer : bool
        Also compute the metrics in each layer on its own (rows with ``layer`` set to the
        layer; the flattened network has ``layer`` = ``all``).
    groups : str or Series
        Grouping for the brokerage roles (default: province, foreign actors by country).
    betweenness_sample : int, optional
        Number of source nodes for estimated betweenness; by default exact up to 20,000
        nodes and 1,000 sources above. The sample size used is in ``result.attrs``.
    seed : int
        Seed of the betweenness sample.
    progress : callable, optional
        Wraps the iteration over layers (the CLI passes a progress bar).

    Returns
    -------
    DataFrame
        One row per node (and layer): ``id``, ``name``, ``kind``, ``province``, ``sector``,
        ``layer``; ``degree`` (ties; in + out when directed), ``in_degree``, ``out_degree``
        (NaN when undirected), ``strength`` (sum of weights), ``in_strength``,
        ``out_strength``; ``pagerank`` (damping 0.85, weighted, directed when the layers
        are); ``betweenness`` (share of shortest paths, normalised by (n-1)(n-2), halved when
        undirected); ``eigenvector`` (weighted, undirected, largest = 1); ``coreness``
        (k-core number); ``clustering`` (local, undirected); ``constraint`` (Burt);
        ``effective_size`` (Burt, Borgatti's binary form); the Gould-Fernandez roles
        ``coordinator``, ``gatekeeper``, ``representative``, ``itinerant``, ``liaison``
        (see :func:`brokerage_roles`) and their sum ``brokerage``.

    Examples
    --------
    >>> from kumenet.graph.io import read_network
    >>> m = node_metrics(read_network("sample_networks/pilot"))
    >>> m.sort_values("betweenness", ascending=False)["kind"].iloc[0]
    'institution'
    """
    codes, _ = group_codes(net, groups)
    runs = [("all", layers)] + ([(la, la) for la in net.layers] if per_layer else [])
    frames, samples = [], {}
    for name, chosen in (progress(runs) if progress else runs):
        with reuse_freed_memory():  # sparse products at a million nodes free and refill GBs
            table, sample = _graph_metrics(net, chosen, as_of, combine, codes,
                                           betweenness_sample, seed)
        table.insert(0, "layer", name)
        frames.append(table)
        samples[name] = "exact" if sample is None else sample
    info = net.nodes[["id", "name", "kind", "province", "sector"]]
    result = pd.concat([pd.concat([info, f], axis=1) for f in frames], ignore_index=True)
    result = result[list(NODE_COLUMNS)]
    result.attrs["betweenness_sources"] = samples
    return result


def layer_metrics(net: Network, as_of: int | None = None) -> pd.DataFrame:
    """One row per layer: size, density, components, clustering.

    Parameters
    ----------
    net : Network
        The network.
    as_of : int, optional
        Only ties observed up to this year.

    Returns
    -------
    DataFrame
        ``layer``, ``directed``, ``nodes`` (with a tie in the layer), ``pairs``, ``density``
        (pairs over possible pairs among those nodes), ``mean_degree``, ``components`` (weak,
        among those nodes), ``largest_component_share``, ``transitivity`` (global clustering),
        ``reciprocity`` (directed layers; NaN otherwise).

    >>> from kumenet.graph.io import read_network
    >>> t = layer_metrics(read_network('sample_networks/pilot'))
    >>> t['layer'].tolist()
    ['supply', 'collaboration', 'membership', 'information']
    >>> int(t.set_index('layer').loc['supply', 'pairs'])
    1612
    """
    rows = []
    for layer in net.layers:
        g = net.graph(layer, as_of)
        active = np.flatnonzero(np.asarray(g.degree()) > 0)
        sub = g.induced_subgraph(active)
        n, m = sub.vcount(), sub.ecount()
        possible = n * (n - 1) / (1 if g.is_directed() else 2)
        comps = sub.connected_components(mode="weak") if n else []
        sizes = np.asarray(comps.sizes()) if n else np.zeros(0)
        rows.append({"layer": layer, "directed": g.is_directed(), "nodes": n, "pairs": m,
                     "density": m / possible if possible else np.nan,
                     "mean_degree": (m * 2 / n) if n else np.nan,
                     "components": len(sizes),
                     "largest_component_share": sizes.max() / n if n else np.nan,
                     "transitivity": sub.transitivity_undirected() if n else np.nan,
                     "reciprocity": sub.reciprocity() if g.is_directed() and m else np.nan})
    return pd.DataFrame(rows)


def layer_overlap(net: Network, as_of: int | None = None) -> pd.DataFrame:
    """Edge overlap between every pair of layers (ties as undirected node pairs).

    Returns
    -------
    DataFrame
        ``layer_a``, ``layer_b``, ``pairs_a``, ``pairs_b``, ``shared`` (pairs tied in
        both), ``jaccard`` (shared over pairs in either).

    >>> from kumenet.graph.io import read_network
    >>> t = layer_overlap(read_network('sample_networks/pilot'))
    >>> t.iloc[0][['layer_a', 'layer_b', 'shared']].tolist()
    ['supply', 'collaboration', np.int64(159)]
    """
    n = net.n_nodes
    sets = {}
    for layer in net.layers:
        u, v, _, _ = net.ties(layer, as_of)
        sets[layer] = unique(np.minimum(u, v) * n + np.maximum(u, v))
    rows = []
    layers = list(sets)
    for i, a in enumerate(layers):
        for b in layers[i + 1:]:
            shared = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
            union = len(sets[a]) + len(sets[b]) - shared
            rows.append({"layer_a": a, "layer_b": b, "pairs_a": len(sets[a]),
                         "pairs_b": len(sets[b]), "shared": shared,
                         "jaccard": shared / union if union else np.nan})
    return pd.DataFrame(rows, columns=["layer_a", "layer_b", "pairs_a", "pairs_b", "shared", "jaccard"])


def participation(net: Network, as_of: int | None = None) -> pd.DataFrame:
    """Multiplex participation coefficient of every node (Battiston, Nicosia, Latora 2014).

    P_i = M / (M - 1) * (1 - sum over layers of (k_i^a / o_i)^2), with k_i^a the node's
    degree in layer a, o_i its total over the M layers: 0 when all its ties are in one layer,
    1 when they are spread evenly.

    Returns
    -------
    DataFrame
        ``id``, ``participation``, ``overlapping_degree`` (o_i), and ``degree_<layer>`` per
        layer.

    >>> from kumenet.graph.io import read_network
    >>> t = participation(read_network('sample_networks/pilot'))
    >>> list(t.columns[:3]), bool(t['participation'].between(0, 1).all())
    (['id', 'participation', 'overlapping_degree'], True)
    """
    layers = net.layers
    degrees = {}
    for layer in layers:
        u, v, _, _ = net.ties(layer, as_of)
        degrees[layer] = np.bincount(u, minlength=net.n_nodes) + np.bincount(v, minlength=net.n_nodes)
    K = np.column_stack([degrees[la] for la in layers]).astype(float)
    total = K.sum(axis=1)
    m = len(layers)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = m / (m - 1) * (1 - ((K / total[:, None]) ** 2).sum(axis=1)) if m > 1 else np.zeros(len(K))
    table = pd.DataFrame({"id": net.nodes["id"], "participation": np.where(total > 0, p, np.nan),
                          "overlapping_degree": total.astype(int)})
    for i, layer in enumerate(layers):
        table[f"degree_{layer}"] = K[:, i].astype(int)
    return table


def versatility(net: Network, omega: float = 1.0, damping: float = 0.85,
                as_of: int | None = None, tol: float = 1e-10, max_iter: int = 1000) -> pd.DataFrame:
    """Multilayer PageRank versatility (De Domenico, Solé-Ribalta, Omodei, Gómez, Arenas 2015).

    A random walker on the supra-graph moves along the weighted ties of its current layer or,
    with weight ``omega``, to the same node in another layer where it has ties, and teleports
    (to a uniformly chosen replica) with probability 1 - ``damping``. A node's versatility is
    the stationary probability summed over its replicas. Computed by power iteration on the
    sparse supra-matrix; with one layer it is PageRank.

    Returns
    -------
    DataFrame
        ``id``, ``versatility`` (sums to 1 over nodes), ``rank``.

    >>> from kumenet.graph.io import read_network
    >>> v = versatility(read_network('sample_networks/pilot'))
    >>> list(v.columns), int(v['rank'].min())
    (['id', 'versatility', 'rank'], 1)
    """
    n, layers = net.n_nodes, net.layers
    L = len(layers)
    blocks = [net.adjacency(layer, as_of) for layer in layers]
    intra = sp.block_diag(blocks, format="csr")
    # A node has a replica only in the layers where it has ties (otherwise a walker would be
    # trapped among the empty replicas of a node); replicas of a node are linked by omega.
    active = np.concatenate([(np.asarray(B.sum(axis=0)).ravel() + np.asarray(B.sum(axis=1)).ravel()) > 0
                             for B in blocks])
    coupling = sp.kron(sp.csr_array(np.ones((L, L)) - np.eye(L)), sp.identity(n), format="csr")
    mask = sp.diags(active.astype(float))
    S = (intra + omega * (mask @ coupling @ mask)).tocsr()
    out_w = np.asarray(S.sum(axis=1)).ravel()
    inv = np.where(out_w > 0, 1.0 / np.where(out_w > 0, out_w, 1), 0.0)
    P = (sp.diags(inv) @ S).tocsr()  # row-stochastic where a replica has ties
    teleport = active / max(active.sum(), 1)
    x = teleport.copy()
    dangling = active & (out_w == 0)
    for _ in range(max_iter):
        new = damping * (P.T @ x) + (damping * x[dangling].sum() + 1 - damping) * teleport
        if np.abs(new - x).sum() < tol:
            x = new
            break
        x = new
    score = x.reshape(L, n).sum(axis=0)
    table = pd.DataFrame({"id": net.nodes["id"], "versatility": score})
    table["rank"] = table["versatility"].rank(ascending=False, method="min").astype(int)
    return table


def group_metrics(net: Network, by: str | pd.Series = "province",
                  layers: str | Iterable[str] | None = None, as_of: int | None = None,
                  level: str = "province", metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cohesion and openness of each group of nodes (province, sector, community, cluster...).

    Parameters
    ----------
    by : str or Series
        A node column, ``nuts2``/``nuts1``, or a Series of labels aligned with the nodes.
    level : str
        What "the same region" means for the openness shares (see :func:`scope`).
    metrics : DataFrame, optional
        Node metrics already computed on the same selection (saves recomputing brokerage).

    Returns
    -------
    DataFrame
        One row per group: ``group``, ``size`` (nodes), ``firms``, ``internal_ties`` (pairs
        inside), ``external_ties`` (pairs with one end inside), ``internal_density``
        (internal pairs over size(size-1)/2), ``clustering`` (transitivity of the group's
        own subgraph), ``share_intra_regional``, ``share_interregional``,
        ``share_international`` (scopes of the pairs touching the group; openness),
        ``ei_index`` (Krackhardt and Stern 1988: (E - I) / (E + I)), ``institutional_embeddedness``
        (share of the group's firms tied to at least one institution), ``brokers`` (members in
        the network's top tenth by Gould-Fernandez brokerage across these groups: gatekeeper
        + representative + liaison, among nodes with any).

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> t = group_metrics(net, 'province').set_index('group')
    >>> t.loc['Gaziantep', ['firms', 'internal_ties']].tolist()
    [158, 1011]
    >>> round(float(t.loc['Gaziantep', 'share_international']), 3)
    0.087
    """
    codes, labels = group_codes(net, by)
    u, v, _, _ = net.ties(layers, as_of)
    n = net.n_nodes
    gu, gv = codes[u], codes[v]
    inside = (gu == gv) & (gu >= 0)
    k = len(labels)
    internal = np.bincount(gu[inside], minlength=k)
    external = np.bincount(gu[~inside & (gu >= 0)], minlength=k) + \
        np.bincount(gv[~inside & (gv >= 0)], minlength=k)
    size = np.bincount(codes[codes >= 0], minlength=k)
    is_firm = (net.nodes["kind"] == "firm").to_numpy()
    firms = np.bincount(codes[(codes >= 0) & is_firm], minlength=k)
    sc = scope(net.nodes, u, v, level)
    shares = {}
    for s in ("intra_regional", "interregional", "international"):
        hit = sc == s
        shares[s] = np.bincount(gu[hit & (gu >= 0)], minlength=k) + \
            np.bincount(gv[hit & (gv >= 0) & ~inside], minlength=k)
    touching = internal + external
    valid = codes >= 0
    tri_sum, triples = _group_triangles(codes, u[inside], v[inside], n, k)
    # Institutional embeddedness: firms with at least one tie to an institution.
    is_inst = (net.nodes["kind"] == "institution").to_numpy()
    to_inst = np.zeros(n, bool)
    to_inst[u[is_inst[v]]] = True
    to_inst[v[is_inst[u]]] = True
    embedded = np.bincount(codes[valid & is_firm & to_inst], minlength=k)
    if metrics is None or "gatekeeper" not in metrics:
        roles = brokerage_roles(u, v, n, codes, directed=net.ties(layers, as_of)[3])
    else:
        roles = metrics.loc[metrics["layer"] == "all", list(ROLES)].reset_index(drop=True)
    brokers = np.bincount(codes[valid & _top_brokers(roles)], minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({
            "group": labels.astype(str), "size": size, "firms": firms,
            "internal_ties": internal, "external_ties": external,
            "internal_density": np.where(size > 1, internal / (size * (size - 1) / 2), np.nan),
            "clustering": np.where(triples > 0, tri_sum / triples, np.nan),
            "share_intra_regional": shares["intra_regional"] / touching,
            "share_interregional": shares["interregional"] / touching,
            "share_international": shares["international"] / touching,
            "ei_index": (external - internal) / touching,
            "institutional_embeddedness": np.where(firms > 0, embedded / firms, np.nan),
            "brokers": brokers})
    return table.sort_values("size", ascending=False, kind="stable").reset_index(drop=True)
