"""What is in a network: counts per kind, subtype, layer, province, country, sector and year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kumenet.arrays import unique
from kumenet.graph.network import Network
from kumenet.text import sort_series_key

__all__ = ["layer_summary", "summary"]


SECTIONS = ("kind", "subtype", "layer", "province", "country", "sector", "year")


def _counts(values: pd.Series, section: str, label: str = "nodes") -> pd.DataFrame:
    counts = values.astype(object).fillna("(missing)").value_counts(sort=False)
    table = pd.DataFrame({"section": section, "value": counts.index.astype(str),
                          label: counts.to_numpy(dtype=np.int64)})
    # Most frequent first; ties in Turkish alphabetical order.
    table = table.sort_values("value", key=sort_series_key, kind="stable")
    return table.sort_values(label, ascending=False, kind="stable").reset_index(drop=True)


def layer_summary(net: Network) -> pd.DataFrame:
    """One row per layer.

    Returns
    -------
    DataFrame
        ``layer``, ``directed``, ``edges`` (rows, one per tie and year), ``pairs`` (distinct
        node pairs), ``nodes`` (nodes with a tie in the layer), ``density`` (pairs over the
        possible pairs among those nodes: n(n-1) when directed, n(n-1)/2 otherwise),
        ``first_year``, ``last_year``.

    >>> from kumenet.graph.io import read_network
    >>> t = layer_summary(read_network('sample_networks/pilot'))
    >>> t[['layer', 'directed']].values.tolist()
    [['supply', True], ['collaboration', False], ['membership', True], ['information', False]]
    """
    rows = []
    for layer in net.layers:
        u, v, _, directed = net.ties(layer)
        active = len(unique(np.concatenate([u, v])))
        possible = active * (active - 1) / (1 if directed else 2)
        years = net.edges.loc[net.edges["layer"] == layer, "year"]
        rows.append({"layer": layer, "directed": directed,
                     "edges": int((net.edges["layer"] == layer).sum()), "pairs": len(u),
                     "nodes": active, "density": len(u) / possible if possible else np.nan,
                     "first_year": years.min(), "last_year": years.max()})
    table = pd.DataFrame(rows, columns=["layer", "directed", "edges", "pairs", "nodes", "density",
                                        "first_year", "last_year"])
    for col in ("first_year", "last_year"):
        table[col] = table[col].astype("Int64")
    return table


def summary(net: Network) -> dict[str, pd.DataFrame]:
    """The tables ``kumenet info`` prints.

    Returns
    -------
    dict of DataFrame
        ``overview`` (``measure``, ``value``); ``layers`` (see :func:`layer_summary`); and one
        table per node attribute and for edge years, with columns ``section``, ``value`` and
        ``nodes`` (or ``edges`` for years), most frequent first.

    >>> from kumenet.graph.io import read_network
    >>> tables = summary(read_network('sample_networks/pilot'))
    >>> sorted(tables)
    ['country', 'kind', 'layers', 'overview', 'province', 'sector', 'subtype', 'year']
    >>> int(tables['overview'].set_index('measure').loc['firms', 'value'])
    720
    """
    nodes, edges = net.nodes, net.edges
    overview = pd.DataFrame({
        "measure": ["nodes", "firms", "institutions", "edges (tie-years)", "layers",
                    "provinces", "countries", "first year", "last year"],
        "value": [net.n_nodes, int((nodes["kind"] == "firm").sum()),
                  int((nodes["kind"] == "institution").sum()), net.n_edges, len(net.layers),
                  int(nodes["province"].nunique()), int(nodes["country"].nunique()),
                  edges["year"].min(), edges["year"].max()]})
    overview["value"] = overview["value"].astype(object).map(
        lambda v: "" if pd.isna(v) else int(v))
    tables = {"overview": overview, "layers": layer_summary(net)}
    for section in ("kind", "subtype", "province", "country", "sector"):
        tables[section] = _counts(nodes[section], section)
    years = _counts(edges["year"], "year", "edges")
    tables["year"] = years.sort_values("value").reset_index(drop=True)
    return tables
