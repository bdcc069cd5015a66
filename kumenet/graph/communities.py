"""Community detection: Leiden, Louvain, multiplex Leiden and Infomap, with stability and
comparison against a declared clustering.

Every method lives in :data:`METHODS`; the CLI's choices, the docs and the contract tests read
that registry. Each returns a :class:`Partition` that remembers how it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.graph.seeded import seeded


__all__ = ["firm_layers", "community_labels", "community_names", "Partition", "communities",
           "compare", "stability", "with_attributes"]


#: Firm-to-firm layers: clusters live there (membership ties to a chamber would merge a whole
#: province into one community).
FIRM_LAYERS = ("supply", "collaboration")


def firm_layers(net) -> list[str] | None:
    """The network's firm-to-firm layers (:data:`FIRM_LAYERS`), or None (all) if it has none.

    >>> from kumenet.graph.io import read_network
    >>> firm_layers(read_network('sample_networks/pilot'))
    ['supply', 'collaboration']
    """
    return [la for la in FIRM_LAYERS if la in net.layers] or None


def community_labels(net, layers=None, seed: int = 0, lang: str = "tr") -> pd.Series:
    """Each node's Leiden community (found on ``layers``, by default the firm-to-firm
    layers) by its name (:func:`community_names`).

    >>> from kumenet.graph.io import read_network
    >>> labels = community_labels(read_network('sample_networks/pilot'), lang='en')
    >>> labels.value_counts().index[0]
    'Samsun · 28.30 Manufacture of agricultural and forestry …'
    """
    membership = np.asarray(communities(net, "leiden", layers=layers or firm_layers(net),
                                        seed=seed).membership)
    return pd.Series(community_names(net, membership, lang)[membership], dtype=object)


def community_names(net, membership: np.ndarray, lang: str = "tr") -> np.ndarray:
    """A name for each community (indexed by community number) that people understand:
    its firms' most frequent province and most frequent sector, ``Gaziantep · 22.29 Diğer
    plastik ürünlerin imalatı`` (English titles with ``lang="en"``); the country for a
    community of foreign firms; ``topluluk N`` / ``community N`` when its members have
    neither. A name given twice gets ``(2)``, ``(3)`` in order of size.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> p = communities(net, 'leiden', layers=firm_layers(net))
    >>> community_names(net, p.membership, 'tr')[0]
    'Samsun · 28.30 Tarım ve ormancılık makineleri imalatı'
    """
    from importlib import resources

    membership = np.asarray(membership)
    k = int(membership.max(initial=-1)) + 1
    with resources.files("kumenet.data").joinpath("sectors.csv").open("rb") as fh:
        titles = pd.read_csv(fh, dtype=str, encoding="utf-8")
    title = dict(zip(titles["code"], titles["title_tr" if lang == "tr" else "title_en"]))
    nodes = net.nodes
    firm = (nodes["kind"] == "firm").to_numpy()
    frame = pd.DataFrame({"c": membership, "province": nodes["province"].astype(object),
                          "country": nodes["country"].astype(object),
                          "sector": nodes["sector"].astype(object)})[firm]

    def most(column):
        known = frame.dropna(subset=[column])
        counts = known.groupby(["c", column]).size().reset_index(name="n")
        counts = counts.sort_values(["c", "n", column], ascending=[True, False, True])
        return counts.drop_duplicates("c").set_index("c")[column]

    every = pd.RangeIndex(k)
    place = most("province").reindex(every).astype(object).fillna(
        most("country").reindex(every).astype(object))
    code = most("sector").reindex(every).astype(object)
    # Python strings throughout (pandas' own string dtype refuses to be added to them).
    what = code.map(lambda c: c if pd.isna(c) else f"{c} {title.get(c, '')}".strip())
    what = what.map(lambda w: w if pd.isna(w) or len(w) <= 48 else w[:47] + "\u2026")
    from kumenet.messages import text

    unnamed = text("community.unnamed", lang, c="\0").split("\0")
    fallback = pd.Series([unnamed[0] + str(c) + unnamed[1] for c in every], index=every,
                         dtype=object)
    names = (place + " · " + what).fillna(place).fillna(what).fillna(fallback)
    # Communities are numbered by decreasing size: a name given again gets (2), (3), ...
    again = names.groupby(names).cumcount() + 1
    names = names.where(again == 1, names + " (" + again.map(str) + ")")
    return names.to_numpy(dtype=object)


@dataclass(frozen=True)
class Partition:
    """Communities of a network's nodes.

    Attributes
    ----------
    membership : numpy.ndarray
        Community of each node (node positions), numbered 0, 1, ... by decreasing size.
    ids : pandas.Index
        Node ids, aligned with ``membership``.
    quality : float
        The method's objective (modularity, CPM quality or map equation codelength).
    method : str
        Registry name of the method.
    parameters : dict
        Everything that made it: layers, resolution, seed, as_of, ...
    """

    membership: np.ndarray
    ids: pd.Index
    quality: float
    method: str
    parameters: dict = field(default_factory=dict)

    @property
    def n_communities(self) -> int:
        return int(self.membership.max(initial=-1)) + 1

    @property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.membership, minlength=self.n_communities)

    def table(self) -> pd.DataFrame:
        """``id``, ``community``, ``community_size``: one row per node."""
        return pd.DataFrame({"id": self.ids, "community": self.membership,
                             "community_size": self.sizes[self.membership]})

    def summary(self) -> pd.DataFrame:
        """One row: method, parameters, number of communities, quality."""
        row = {"method": self.method, "communities": self.n_communities,
               "quality": self.quality, "largest": int(self.sizes.max(initial=0))}
        row.update({k: (",".join(v) if isinstance(v, (list, tuple)) else v)
                    for k, v in self.parameters.items()})
        return pd.DataFrame([row])


#: Ties above which Leiden runs a fixed number of passes instead of iterating to the end.
LARGE_GRAPH = 1_000_000


def _relabel(membership) -> np.ndarray:
    """Communities numbered by decreasing size (ties by first node), so results are stable."""
    m = np.asarray(membership, dtype=np.int64)
    sizes = np.bincount(m)
    first = np.full(len(sizes), len(m))
    np.minimum.at(first, m, np.arange(len(m)))
    order = np.lexsort((first, -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[m]


def _undirected(net, layers, as_of, weighting):
    g = net.graph(layers, as_of, weighting=weighting)
    if g.is_directed():
        g = g.as_undirected(mode="collapse", combine_edges="sum")
    return g


def _leiden(net, layers, as_of, resolution, seed, weighting, objective="modularity"):
    g = _undirected(net, layers, as_of, weighting)
    # Iterate until no node moves on small graphs; on large ones a few passes reach nearly
    # the same quality (Traag et al. 2019 report most gain in the first two) in far less time.
    passes = -1 if g.ecount() < LARGE_GRAPH else 3
    with seeded(seed):
        res = g.community_leiden(objective_function=objective, weights="weight",
                                 resolution=resolution, n_iterations=passes)
    if objective == "modularity":
        quality = g.modularity(res.membership, weights="weight", resolution=resolution)
    else:
        quality = res.quality
    return res.membership, quality


def _louvain(net, layers, as_of, resolution, seed, weighting):
    g = _undirected(net, layers, as_of, weighting)
    with seeded(seed):
        res = g.community_multilevel(weights="weight", resolution=resolution)
    return res.membership, g.modularity(res.membership, weights="weight", resolution=resolution)


def _infomap(net, layers, as_of, resolution, seed, weighting):
    g = net.graph(layers, as_of, weighting=weighting)
    with seeded(seed):
        res = g.community_infomap(edge_weights="weight", trials=10)
    return res.membership, float(res.codelength)


def _multiplex(net, layers, as_of, resolution, seed, weighting, layer_weights=None):
    import leidenalg as la

    chosen = list(layers) if layers is not None else net.layers
    if isinstance(layers, str):
        chosen = [p.strip() for p in layers.split(",")]
    graphs = [_undirected(net, la_, as_of, weighting) for la_ in chosen]
    weights = [1.0] * len(graphs) if layer_weights is None else \
        [float(layer_weights.get(la_, 1.0)) for la_ in chosen]
    parts = [la.RBConfigurationVertexPartition(g, weights="weight", resolution_parameter=resolution)
             for g in graphs]
    optimiser = la.Optimiser()
    optimiser.set_rng_seed(seed)
    improvement = 1.0
    while improvement > 0:
        improvement = optimiser.optimise_partition_multiplex(parts, layer_weights=weights,
                                                             n_iterations=-1)
    quality = sum(w * p.modularity for w, p in zip(weights, parts))
    return parts[0].membership, quality


#: Community methods: name -> (function, description).
METHODS: dict[str, tuple[Callable, str]] = {
    "leiden": (_leiden, "Leiden, modularity with resolution (Traag, Waltman, van Eck 2019), igraph"),
    "leiden_cpm": (lambda *a: _leiden(*a, objective="cpm"),
                   "Leiden, Constant Potts Model with resolution = density threshold"),
    "louvain": (_louvain, "Louvain (Blondel et al. 2008), igraph multilevel"),
    "multiplex_leiden": (_multiplex, "Leiden across layers at once with per-layer weights "
                                     "(leidenalg, modularity per layer)"),
    "infomap": (_infomap, "Infomap, map equation (Rosvall and Bergstrom 2008), igraph; "
                          "directed ties kept"),
}


def communities(net: Network, method: str = "leiden", layers: str | Iterable[str] | None = None,
                resolution: float | None = None, seed: int = 0, as_of: int | None = None,
                weighting: str = "binary", layer_weights: dict | None = None) -> Partition:
    """Detect communities.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    layers : str or list of str, optional
        Layers to use (flattened, all by default; ``multiplex_leiden`` keeps them apart).
        Directed ties count as undirected except for Infomap.
    resolution : float, optional
        Resolution of modularity (default 1; higher gives more, smaller communities) or, for
        ``leiden_cpm``, the density a community must exceed (default 0.05).
    seed : int
        Random seed; the same seed gives the same partition.
    weighting : {"binary", "mean", "raw"}
        How tie weights enter (see :meth:`Network.ties`). The default counts each tied pair
        once per layer, since layers measure different things (a supply volume in thousand
        dollars would otherwise outweigh every joint project).
    layer_weights : dict, optional
        ``multiplex_leiden`` only: weight of each layer's modularity (default 1 each).

    Returns
    -------
    Partition

    Examples
    --------
    >>> from kumenet.graph.io import read_network
    >>> p = communities(read_network("sample_networks/pilot"), seed=1)
    >>> p.method, p.n_communities > 5
    ('leiden', True)
    """
    if method not in METHODS:
        raise KumenetError(f"unknown community method {method!r}; choose one of "
                           f"{', '.join(METHODS)}")
    func = METHODS[method][0]
    if resolution is None:
        resolution = 0.05 if method == "leiden_cpm" else 1.0
    args = (net, layers, as_of, resolution, seed, weighting)
    if method == "multiplex_leiden":
        membership, quality = func(*args, layer_weights=layer_weights)
    else:
        membership, quality = func(*args)
    params = {"layers": list(net.layers if layers is None else
                             ([layers] if isinstance(layers, str) else layers)),
              "resolution": resolution, "seed": seed, "as_of": as_of, "weighting": weighting}
    if layer_weights:
        params["layer_weights"] = dict(layer_weights)
    return Partition(_relabel(membership), net.ids, float(quality), method, params)


def compare(partition: Partition | np.ndarray, labels) -> dict:
    """Agreement with a declared clustering: normalised mutual information and adjusted Rand.

    Nodes without a declared label are left out.

    Parameters
    ----------
    partition : Partition or ndarray
        Detected communities (a membership array in node order).
    labels : Series or array
        The declared clustering, in node order (missing: not compared).

    Returns
    -------
    dict
        ``nmi`` (arithmetic normalisation, as scikit-learn), ``ari``, ``nodes`` compared.

    >>> compare(np.array([0, 0, 1, 1]), ['a', 'a', 'b', 'b'])
    {'nmi': 1.0, 'ari': 1.0, 'nodes': 4}
    >>> round(compare(np.array([0, 0, 1, 1]), ['a', 'b', 'a', 'b'])['ari'], 3)
    -0.5
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    found = partition.membership if isinstance(partition, Partition) else np.asarray(partition)
    labels = pd.Series(labels).reset_index(drop=True)
    keep = labels.notna().to_numpy()
    truth = pd.factorize(labels[keep])[0]
    return {"nmi": float(normalized_mutual_info_score(truth, found[keep])),
            "ari": float(adjusted_rand_score(truth, found[keep])), "nodes": int(keep.sum())}


def stability(net: Network, method: str = "leiden", seeds: Iterable[int] = range(10),
              **kwargs) -> pd.DataFrame:
    """How steadily each node lands with the same companions across seeds.

    Runs the method once per seed. A node's consensus share is the mean, over the runs after
    the first, of the Jaccard similarity between its community in that run and in the
    first run (1: always the same companions). Also returns each run's NMI with the first.

    Parameters
    ----------
    net : Network
        The network.
    method : str
        A method of :data:`METHODS` (``leiden``, ``louvain``, ``multiplex_leiden``, ...).
    seeds : iterable of int
        One run per seed; the first is the reference.
    **kwargs
        Passed to :func:`communities` (``layers``, ``resolution``, ``as_of``, ...).

    Returns
    -------
    DataFrame
        ``id``, ``community`` (first run), ``consensus_share``; ``result.attrs["nmi"]`` holds
        the NMI of each later run with the first.

    >>> from kumenet.graph.io import read_network
    >>> t = stability(read_network('sample_networks/pilot'), seeds=range(3),
    ...               layers=['supply', 'collaboration'])
    >>> list(t.columns), len(t.attrs['nmi'])
    (['id', 'community', 'consensus_share'], 2)
    """
    from sklearn.metrics import normalized_mutual_info_score
    import scipy.sparse as sp

    seeds = list(seeds)
    runs = [communities(net, method, seed=s, **kwargs).membership for s in seeds]
    ref = runs[0]
    n = len(ref)
    shares = np.zeros(n)
    nmis = []
    for other in runs[1:]:
        # Contingency of (reference community, other community): overlaps in one sparse pass.
        C = sp.csr_array((np.ones(n), (ref, other))).tocoo()
        overlap = sp.csr_array((C.data, (C.row, C.col)), shape=C.shape)
        size_ref = np.bincount(ref)
        size_other = np.bincount(other)
        inter = overlap[ref, other]
        union = size_ref[ref] + size_other[other] - inter
        shares += np.asarray(inter / union).ravel()
        nmis.append(float(normalized_mutual_info_score(ref, other)))
    result = pd.DataFrame({"id": net.ids, "community": ref,
                           "consensus_share": shares / max(len(runs) - 1, 1)})
    result.attrs["nmi"] = nmis
    return result


def with_attributes(net: Network, table: pd.DataFrame, on: str = "id") -> Network:
    """A copy of ``net`` with the columns of ``table`` (keyed by node id) added to its nodes.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> p = communities(net, 'leiden', layers=['supply', 'collaboration'])
    >>> 'community' in with_attributes(net, p.table()).nodes
    True
    """
    extra = table.drop_duplicates(on).set_index(on)
    nodes = net.nodes.drop(columns=[c for c in extra.columns if c in net.nodes.columns])
    nodes = nodes.join(extra, on="id")
    return Network(nodes, net.edges, net.directed_layers, source=net.source)
