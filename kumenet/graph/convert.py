"""Small conversions shared by the writers and the model: rows as plain Python records,
and a canonical form of a network's tables for comparing two networks."""

from __future__ import annotations

import pandas as pd


__all__ = ["records", "canonical_tables"]


def records(frame: pd.DataFrame, key: str | None = None) -> list:
    """Rows as dicts of plain Python values with missing values left out.

    With ``key``, a list of ``(row[key], other columns)`` pairs, as networkx's
    ``add_nodes_from`` takes them.

    >>> frame = pd.DataFrame({'id': ['a', 'b'], 'employees': [12, None]})
    >>> records(frame)
    [{'id': 'a', 'employees': 12.0}, {'id': 'b'}]
    >>> records(frame, key='id')
    [('a', {'employees': 12.0}), ('b', {})]
    """
    cols = [c for c in frame.columns if c != key]
    data = {c: _plain(frame[c]) for c in cols}
    rows = [{c: data[c][i] for c in cols if data[c][i] is not None} for i in range(len(frame))]
    if key is None:
        return rows
    return list(zip(frame[key].astype(object).tolist(), rows))


def _plain(s: pd.Series) -> list:
    """A column as Python values (int, float, str, bool, date) with None for missing."""
    from kumenet.graph.dates import is_date_column

    mask = s.isna().to_numpy()
    if is_date_column(s):
        values = s.astype(object).tolist()
    elif isinstance(s.dtype, pd.CategoricalDtype) or s.dtype.kind in "OUST" or str(s.dtype) in ("str", "string"):
        values = s.astype(object).tolist()
    elif str(s.dtype) in ("Int64", "Int32", "Int16", "Int8"):
        values = s.fillna(0).astype("int64").tolist()
    else:
        values = s.tolist()
    return [None if m else v for v, m in zip(values, mask)]


def canonical_tables(net) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables sorted, with plain dtypes, for equality tests.

    >>> from kumenet.graph.io import read_network
    >>> nodes, edges = canonical_tables(read_network('sample_networks/pilot'))
    >>> list(nodes.columns[:3]), len(edges)
    (['cluster', 'country', 'employees'], 6920)
    """
    nodes = net.nodes.copy()
    nodes = nodes.reindex(columns=sorted(nodes.columns))
    for col in nodes.columns:
        nodes[col] = _canon_column(nodes[col])
    nodes = nodes.sort_values("id").reset_index(drop=True)
    edges = net.edges.copy()
    edges = edges.reindex(columns=sorted(edges.columns))
    for col in edges.columns:
        edges[col] = _canon_column(edges[col])
    edges = edges.sort_values(["source", "target", "layer", "year"], na_position="first",
                              key=lambda s: s.astype(str)).reset_index(drop=True)
    return nodes, edges


def _canon_column(s: pd.Series) -> pd.Series:
    from kumenet.graph.dates import is_date_column

    if is_date_column(s):  # dates as ISO text: a date column reads back from any format
        return s.astype(object).map(lambda d: None if pd.isna(d) else pd.Timestamp(d).isoformat())
    if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype.kind in "OUST" or str(s.dtype) in ("str", "string"):
        return s.astype(object).where(s.notna(), None)
    if s.dtype.kind == "b":
        return s.astype(object)
    return s.astype("float64").round(9).astype(object).where(s.notna(), None).map(
        lambda x: x if x is None else float(x))
