"""The multilayer network: a node table, an edge table, and graph views built from them.

A :class:`Network` is what every kumenet analysis takes first. It holds

- ``nodes``: one row per firm or institution (``id``, ``name``, ``kind``, ``subtype``,
  ``country``, ``province``, ``region``, ``sector``, ``employees``, ``exports_usd``,
  ``founded`` and any other column the user gave);
- ``edges``: one row per tie and year (``source``, ``target``, ``layer``, ``weight``,
  ``year`` and any other column). ``source`` and ``target`` are categoricals whose categories
  are the node ids in node-table order, so their codes are node positions;
- ``directed_layers``: the layers whose ties have a direction (by default ``supply`` and
  ``membership``).

Graph views (igraph graphs, scipy sparse adjacency) are built on demand for any selection of
layers and any ``as_of`` year, and cached.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from kumenet.arrays import run_starts
from kumenet.errors import KumenetError, UnknownNodeError
from kumenet.memory import reuse_freed_memory
from kumenet.text import did_you_mean, fold, fold_series, tr_lower

__all__ = ["layer_name", "country_code", "Network"]


#: Layers with a direction unless the user says otherwise: supply (source supplies target)
#: and membership (firm -> institution).
DEFAULT_DIRECTED = frozenset({"supply", "membership"})
#: The layers of the data contract, in the order tables show them.
STANDARD_LAYERS = ("supply", "collaboration", "membership", "information")
NODE_COLUMNS = ("id", "name", "kind", "subtype", "country", "province", "region", "sector",
                "employees", "exports_usd", "founded")
EDGE_COLUMNS = ("source", "target", "layer", "weight", "year")
KINDS = ("firm", "institution")
COMBINE = ("sum", "max")
WEIGHTINGS = ("raw", "binary", "mean")


#: Turkish names of the contract's layers; any other name is a layer of its own.
LAYER_ALIASES = {"tedarik": "supply", "isbirligi": "collaboration", "uyelik": "membership",
                 "bilgi": "information"}
COUNTRY_ALIASES = {"turkiye": "TR", "turkey": "TR", "tc": "TR", "tr": "TR"}


def layer_name(text: str) -> str:
    """A layer's name as kumenet keeps it, in files and in options alike: lower case
    (Turkish-aware), spaces as ``_``, the contract's Turkish names in English (``Tedarik``
    is ``supply``).

    >>> layer_name('Tedarik'), layer_name('İşbirliği'), layer_name('Joint Ventures')
    ('supply', 'collaboration', 'joint_ventures')
    """
    name = tr_lower(text).strip().replace(" ", "_")
    return LAYER_ALIASES.get(fold(text), name)


def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code of a country given as a code (any case) or as Türkiye,
    Turkey or T.C.; None for anything else.

    >>> country_code('Türkiye'), country_code('de'), country_code('Atlantis')
    ('TR', 'DE', None)
    """
    folded = fold(str(text).replace(".", "")).replace(" ", "")
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    code = str(text).strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _as_layer_list(layers: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if layers is None:
        return None
    if isinstance(layers, str):
        layers = [p.strip() for p in layers.split(",") if p.strip()]
    return tuple(dict.fromkeys(layer_name(la) for la in layers))


class Network:
    """A multilayer network of firms and institutions.

    Build one with :func:`kumenet.read_network` (from files) or :meth:`from_frames` (from
    pandas tables); both validate the data. The tables are not to be changed in place: derive
    a new network with :meth:`select` or :meth:`from_frames`.

    Examples
    --------
    >>> import pandas as pd
    >>> nodes = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["firm", "firm", "institution"]})
    >>> edges = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"],
    ...                       "layer": ["collaboration", "membership"], "year": [2019, 2021]})
    >>> net = Network.from_frames(nodes, edges)
    >>> net
    <Network: 3 nodes (2 firms, 1 institution), 2 edges in 2 layers (collaboration, membership)>
    >>> net.select(as_of=2020).n_edges
    1
    >>> net.graph().ecount(), net.graph("membership").is_directed()
    (2, True)
    """

    def __init__(self, nodes: pd.DataFrame, edges: pd.DataFrame,
                 directed_layers: Iterable[str] | None = None, *, source: str | None = None):
        # Trusted constructor: the tables are already validated and typed (see from_frames).
        self._nodes = nodes
        self._edges = edges
        self.directed_layers = frozenset(DEFAULT_DIRECTED if directed_layers is None
                                         else directed_layers)
        self.source = source
        self._cache: dict = {}

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_frames(cls, nodes: pd.DataFrame, edges: pd.DataFrame,
                    directed_layers: Iterable[str] | None = None, *,
                    decimal: str | None = None) -> "Network":
        """Validate a node table and an edge table and build a network from them.

        Raises
        ------
        InputDataError
            With every problem found (the row of a problem is reported as its line, the
            header being line 1, as if the tables were CSV files).
        """
        from kumenet.graph.validate import RawTable, build_network

        return build_network(RawTable.from_frame(nodes, "nodes", decimal=decimal),
                             RawTable.from_frame(edges, "edges", decimal=decimal),
                             directed_layers=directed_layers)

    # -- memo -------------------------------------------------------------------------------
    def memo(self, key, compute):
        """A value derived from this network, computed once by ``compute()`` and kept while
        the network lives (a network never changes: its tables are read-only by contract).
        ``key`` names it; modules prefix theirs (``("arrow", "name")``).

        >>> net = Network.from_frames(pd.DataFrame({"id": ["a", "b"], "kind": "firm"}),
        ...                           pd.DataFrame({"source": ["a"], "target": ["b"],
        ...                                         "layer": ["supply"]}))
        >>> calls = []
        >>> net.memo("n", lambda: calls.append(1) or net.n_nodes), net.memo("n", lambda: 0)
        (2, 2)
        >>> len(calls)
        1
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # -- tables -----------------------------------------------------------------------------
    @property
    def nodes(self) -> pd.DataFrame:
        """The node table (one row per actor, in a fixed order: the node positions)."""
        return self._nodes

    @property
    def edges(self) -> pd.DataFrame:
        """The edge table (one row per tie and year)."""
        return self._edges

    @property
    def n_nodes(self) -> int:
        return len(self._nodes)

    @property
    def n_edges(self) -> int:
        return len(self._edges)

    @property
    def ids(self) -> pd.Index:
        """Node ids as an index (position -> id)."""
        if "ids" not in self._cache:
            self._cache["ids"] = pd.Index(self._nodes["id"].astype(object))
        return self._cache["ids"]

    def values(self, column: str) -> np.ndarray:
        """A node column as a numpy object array (missing as None), cached."""
        key = ("values", column)
        if key not in self._cache:
            col = self._nodes[column]
            self._cache[key] = col.astype(object).where(col.notna(), None).to_numpy()
        return self._cache[key]

    @property
    def layers(self) -> list[str]:
        """The layers that have at least one tie: standard layers first, then the others."""
        present = set(self._edges["layer"].unique().tolist())
        rest = sorted(present - set(STANDARD_LAYERS))
        return [la for la in STANDARD_LAYERS if la in present] + rest

    def years(self) -> tuple[int, int] | None:
        """The first and last year of the dated ties, or None when no tie has a year."""
        year = self._edges["year"]
        if not year.notna().any():
            return None
        return int(year.min()), int(year.max())

    def check_as_of(self, as_of: int | None) -> None:
        """Refuse an ``as_of`` year before the first dated tie (the slice would be empty).

        A network whose ties have no year keeps them all in every slice: that is announced
        with a warning, not refused.

        >>> import pandas as pd
        >>> net = Network.from_frames(pd.DataFrame({"id": ["a", "b"], "kind": "firm"}),
        ...     pd.DataFrame({"source": ["a"], "target": ["b"], "layer": "supply", "year": [2015]}))
        >>> net.check_as_of(2010)
        Traceback (most recent call last):
        ...
        kumenet.errors.KumenetError: no ties up to 2010; the first year is 2015
        """
        if as_of is None:
            return
        span = self.years()
        if span is None:
            import warnings

            warnings.warn(f"the ties have no year, so every tie counts as of {as_of}",
                          stacklevel=2)
        elif as_of < span[0]:
            raise KumenetError(f"no ties up to {as_of}; the first year is {span[0]}")

    def is_directed(self, layer: str) -> bool:
        """Whether ties in ``layer`` have a direction."""
        return layer in self.directed_layers

    def __repr__(self) -> str:
        kinds = self._nodes["kind"].value_counts()
        firms, inst = int(kinds.get("firm", 0)), int(kinds.get("institution", 0))
        layers = self.layers
        return (f"<Network: {self.n_nodes:,} nodes ({firms:,} firm{'s' * (firms != 1)}, "
                f"{inst:,} institution{'s' * (inst != 1)}), {self.n_edges:,} edges in "
                f"{len(layers)} layer{'s' * (len(layers) != 1)} ({', '.join(layers)})>")

    # -- node look-up -----------------------------------------------------------------------
    def index_of(self, ids: str | Sequence[str]) -> np.ndarray | int:
        """Positions of node ids; raises :class:`UnknownNodeError` naming a missing id."""
        single = isinstance(ids, str)
        wanted = [ids] if single else list(ids)
        pos = self.ids.get_indexer(pd.Index(wanted, dtype=object))
        if (pos < 0).any():
            missing = wanted[int(np.flatnonzero(pos < 0)[0])]
            raise UnknownNodeError(f"no node with id {missing!r}" + self._hint(missing))
        return int(pos[0]) if single else pos

    def find(self, query: str) -> int:
        """The position of the node whose id or name is ``query``.

        Names are compared Turkish-aware (case, dotted and dotless i, missing diacritics);
        an exact id wins over a name. A name shared by several nodes is an error that lists
        their ids. A name given without its end (``İpek Halı`` for ``İPEK HALI SAN. A.Ş.``,
        whole words only) finds the one node whose name begins so, with a warning naming it;
        an unknown name is an error that suggests the nearest names.
        """
        pos = self.ids.get_indexer([query])[0]
        if pos >= 0:
            return int(pos)
        if "name_key" not in self._cache:
            self._cache["name_key"] = fold_series(self._nodes["name"]).to_numpy(dtype=object)
        keys = self._cache["name_key"]
        key = fold(query)
        hits = np.flatnonzero(keys == key)
        if len(hits) > 1:
            ids = ", ".join(self.ids[hits[:10]])
            raise UnknownNodeError(f"{len(hits)} nodes are named {query!r} (ids {ids}); "
                                   f"give the id instead")
        if not len(hits) and key:
            hits = np.flatnonzero(pd.Series(keys, dtype=object).str.startswith(
                key + " ", na=False).to_numpy(dtype=bool))
            if len(hits) == 1:
                warnings.warn(f"{query!r} read as {self._nodes['name'].iloc[hits[0]]!r} "
                              f"(id {self.ids[hits[0]]}), the only name that begins so",
                              stacklevel=2)
            elif len(hits) > 1:
                names = "; ".join(f"{self._nodes['name'].iloc[i]} ({self.ids[i]})"
                                  for i in hits[:5])
                more = f" and {len(hits) - 5} more" if len(hits) > 5 else ""
                raise UnknownNodeError(f"{len(hits)} names begin with {query!r}: {names}{more}; "
                                       "give the whole name or the id")
        if len(hits) == 1:
            return int(hits[0])
        raise UnknownNodeError(f"no firm or institution named {query!r}" + self._hint(query))

    def _hint(self, query: str) -> str:
        names = self._nodes["name"].astype(object)
        if len(names) > 200_000:  # difflib over every name would take minutes
            key = fold(query)
            names = names[fold_series(names).str.contains(key, regex=False, na=False)]
        hits = did_you_mean(query, names.tolist() + (self.ids.tolist() if len(names) < 200_000
                                                       else []))
        return (" (did you mean " + " or ".join(repr(h) for h in hits) + "?)") if hits else ""

    # -- slices -----------------------------------------------------------------------------
    def _edge_mask(self, layers, as_of) -> np.ndarray | None:
        mask = None
        layers = _as_layer_list(layers)
        if layers is not None:
            unknown = [la for la in layers if la not in self.layers]
            if unknown:
                raise KumenetError(f"no layer named {unknown[0]!r}; the layers are "
                                   f"{', '.join(self.layers)}")
            mask = self._edges["layer"].isin(layers).to_numpy()
        if as_of is not None:
            # Ties without a year were seen at some unknown time: they stay in every slice.
            year = self._edges["year"]
            keep = (year.isna() | (year <= int(as_of))).to_numpy(dtype=bool)
            mask = keep if mask is None else mask & keep
        return mask

    def select(self, layers: str | Iterable[str] | None = None,
               as_of: int | None = None) -> "Network":
        """The network restricted to some layers and to ties observed up to ``as_of``.

        All nodes are kept (positions do not change), so results on a slice line up with the
        whole network. Ties without a year are kept in every slice.
        """
        mask = self._edge_mask(layers, as_of)
        if mask is None:
            return self
        edges = self._edges.loc[mask].reset_index(drop=True)
        edges["layer"] = edges["layer"].cat.remove_unused_categories()
        return Network(self._nodes, edges, self.directed_layers, source=self.source)

    # -- aggregated ties and graph views ----------------------------------------------------
    def ties(self, layers: str | Iterable[str] | None = None, as_of: int | None = None,
             combine: str = "sum", weighting: str = "raw"
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """One tie per node pair: ``(u, v, weight, directed)`` as numpy arrays.

        Weights are summed over the years of a tie within a layer, then combined across the
        selected layers with ``combine`` (``sum`` or ``max``). Layers measure different
        things (joint projects, trade volume, ...), so ``weighting`` can make them comparable
        first: ``raw`` keeps the weights, ``binary`` counts each tied pair as 1 per layer,
        ``mean`` divides each layer's weights by that layer's mean. The result is directed only
        if every selected layer is; otherwise directed ties count as undirected ones and each
        pair appears once with ``u < v``.
        """
        if combine not in COMBINE:
            raise KumenetError(f"combine must be one of {', '.join(COMBINE)}, not {combine!r}")
        if weighting not in WEIGHTINGS:
            raise KumenetError(f"weighting must be one of {', '.join(WEIGHTINGS)}, not {weighting!r}")
        key = ("ties", _as_layer_list(layers), as_of, combine, weighting)
        if key not in self._cache:
            with reuse_freed_memory():  # column-sized temporaries, each faulted in once
                self._cache[key] = self._ties(layers, as_of, combine, weighting)
        return self._cache[key]

    def _ties(self, layers, as_of, combine, weighting):
        mask = self._edge_mask(layers, as_of)
        e = self._edges if mask is None else self._edges.loc[mask]
        chosen = e["layer"].unique().tolist() if len(e) else list(_as_layer_list(layers) or [])
        directed = bool(chosen) and all(self.is_directed(la) for la in chosen)
        u = e["source"].cat.codes.to_numpy(dtype=np.int64)
        v = e["target"].cat.codes.to_numpy(dtype=np.int64)
        if not directed:
            u, v = np.minimum(u, v), np.maximum(u, v)
        n = self.n_nodes
        w = e["weight"].to_numpy(dtype=np.float64)
        layer = e["layer"].cat.codes.to_numpy(dtype=np.int64)
        n_layers = max(len(e["layer"].cat.categories), 1)
        if float(n) * n * n_layers >= 2**63:
            raise KumenetError(f"{n:,} nodes are more than kumenet's pair keys hold")
        # Sum over years within a layer, then combine across layers: one sort of a
        # (pair, layer) key puts each pair's layers side by side, each layer's years together
        # (in file order, as the sums add them).
        per_key = (u * n + v) * n_layers + layer
        order = np.argsort(per_key, kind="stable")
        per_key = per_key[order]
        first = run_starts(per_key)
        values = np.add.reduceat(w[order], first) if len(first) else np.zeros(0)
        per_key = per_key[first]
        codes = per_key % n_layers
        pairs = per_key // n_layers
        if weighting == "binary":
            values = np.ones_like(values)
        elif weighting == "mean":
            means = np.bincount(codes, weights=values, minlength=n_layers) / \
                np.maximum(np.bincount(codes, minlength=n_layers), 1)
            values = values / means[codes]
        starts = run_starts(pairs)
        if len(starts):
            total = (np.add if combine == "sum" else np.maximum).reduceat(values, starts)
        else:
            total = np.zeros(0)
        pk = pairs[starts]
        return pk // n, pk % n, total.astype(np.float64), directed

    def graph(self, layers: str | Iterable[str] | None = None, as_of: int | None = None,
              combine: str = "sum", weighting: str = "raw"):
        """An igraph ``Graph`` of the selected layers (all by default), cached.

        Vertex ``i`` is node ``i`` of :attr:`nodes` (attribute ``name`` holds its id); edge
        attribute ``weight`` holds the combined weight (see :meth:`ties`).
        """
        import igraph as ig

        key = ("graph", _as_layer_list(layers), as_of, combine, weighting)
        if key not in self._cache:
            u, v, w, directed = self.ties(layers, as_of, combine, weighting)
            g = ig.Graph(n=self.n_nodes, directed=directed)
            g.add_edges(np.column_stack([u, v]))
            g.es["weight"] = w
            g.vs["name"] = self.ids.tolist()
            self._cache[key] = g
        return self._cache[key]

    def adjacency(self, layers: str | Iterable[str] | None = None, as_of: int | None = None,
                  combine: str = "sum", weighted: bool = True, weighting: str = "raw"):
        """A scipy CSR adjacency matrix of the selected layers (symmetric when undirected)."""
        import scipy.sparse as sp

        key = ("adjacency", _as_layer_list(layers), as_of, combine, weighted, weighting)
        if key not in self._cache:
            u, v, w, directed = self.ties(layers, as_of, combine, weighting)
            data = w if weighted else np.ones_like(w)
            if not directed:
                u, v, data = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([data, data])
            n = self.n_nodes
            self._cache[key] = sp.csr_array((data, (u, v)), shape=(n, n))
        return self._cache[key]

    def to_networkx(self, layers: str | Iterable[str] | None = None, as_of: int | None = None,
                    flatten: bool = False, combine: str = "sum"):
        """A networkx graph for exchange with other tools.

        With ``flatten=False`` (the default) a ``MultiDiGraph`` with one edge per tie and year,
        carrying every edge column (``layer`` among them); the graph attribute
        ``directed_layers`` names the layers whose ties have a direction. With
        ``flatten=True`` a ``Graph`` or ``DiGraph`` with one weighted edge per pair (see
        :meth:`ties`). Node attributes are every column of the node table but ``id``;
        missing values are left out.
        """
        import networkx as nx

        from kumenet.graph.convert import records

        if flatten:
            u, v, w, directed = self.ties(layers, as_of, combine)
            g = nx.DiGraph() if directed else nx.Graph()
            g.add_nodes_from(records(self._nodes, key="id"))
            ids = self.ids.to_numpy()
            g.add_weighted_edges_from(zip(ids[u], ids[v], w.tolist()))
            return g
        sub = self.select(layers, as_of)
        g = nx.MultiDiGraph()
        g.graph["directed_layers"] = ",".join(sorted(self.directed_layers))
        g.add_nodes_from(records(self._nodes, key="id"))
        edges = sub.edges
        attrs = records(edges.drop(columns=["source", "target"]))
        g.add_edges_from(zip(edges["source"].astype(object), edges["target"].astype(object), attrs))
        return g

    # -- comparison -------------------------------------------------------------------------
    def equals(self, other: "Network") -> bool:
        """True when both networks hold the same nodes, ties, attributes and directions.

        Row order does not matter; column types are compared after the loaders' typing rules.
        """
        from kumenet.graph.convert import canonical_tables

        if self.directed_layers & set(self.layers) != other.directed_layers & set(other.layers):
            return False
        a_nodes, a_edges = canonical_tables(self)
        b_nodes, b_edges = canonical_tables(other)
        return a_nodes.equals(b_nodes) and a_edges.equals(b_edges)
