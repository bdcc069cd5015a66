"""SQL over a network and its results: DuckDB queries and SQLite export.

Tables: ``nodes`` and ``edges`` (as in the input contract, ids as text, with Turkish-folded
search keys ``name_key`` and ``province_key``), ``layers``, and the computed results
``node_metrics``, ``communities`` and ``group_metrics`` (computed only when a query names
them, with default settings or the ones given).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kumenet.errors import KumenetError
from kumenet.graph.io import atomic_path
from kumenet.graph.network import Network
from kumenet.graph.summary import layer_summary
from kumenet.text import fold_series

#: Table name -> what it holds, for help texts and the README.
TABLES = {
    "nodes": "the node table, plus name_key and province_key (Turkish-folded, for searching)",
    "edges": "the edge table (source, target, layer, weight, year, ...)",
    "layers": "one row per layer: directed, edges, pairs, nodes, density, years",
    "node_metrics": "kumenet.graph.metrics.node_metrics (all layers flattened)",
    "communities": "id, community, community_size (Leiden, modularity, seed 0 by default)",
    "group_metrics": "kumenet.graph.metrics.group_metrics by province",
}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals and Arrow strings as plain text, for SQL engines."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype) or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def base_tables(net: Network) -> dict[str, pd.DataFrame]:
    nodes = _plain(net.nodes)
    nodes["name_key"] = fold_series(net.nodes["name"]).to_numpy()
    nodes["province_key"] = fold_series(net.nodes["province"]).to_numpy()
    return {"nodes": nodes, "edges": _plain(net.edges), "layers": layer_summary(net)}


def result_tables(net: Network, wanted: set[str], layers=None, as_of=None,
                  community_method: str = "leiden", seed: int = 0,
                  group_by: str = "province") -> dict[str, pd.DataFrame]:
    """The computed tables named in ``wanted``."""
    from kumenet.graph.communities import communities
    from kumenet.graph.metrics import group_metrics, node_metrics

    out = {}
    if "node_metrics" in wanted:
        out["node_metrics"] = _plain(node_metrics(net, layers, as_of, seed=seed))
    if "communities" in wanted:
        out["communities"] = communities(net, community_method, layers, seed=seed, as_of=as_of).table()
    if "group_metrics" in wanted:
        out["group_metrics"] = group_metrics(net, group_by, layers, as_of)
    return out


def referenced(sql: str) -> set[str]:
    """Which known tables a query names."""
    return {t for t in TABLES if re.search(rf"\b{t}\b", sql, re.IGNORECASE)}


def query(net: Network, sql: str, **options) -> pd.DataFrame:
    """Run ``sql`` with DuckDB over the network's tables and the results it names.

    Examples
    --------
    >>> from kumenet.graph.io import read_network
    >>> net = read_network("sample_networks/pilot")
    >>> query(net, "SELECT count(*) AS n FROM nodes WHERE province_key = 'kahramanmaras'")["n"].iloc[0]
    np.int64(121)
    """
    import duckdb

    tables = base_tables(net)
    tables.update(result_tables(net, referenced(sql), **options))
    con = duckdb.connect()
    try:
        for name, frame in tables.items():
            con.register(name, frame)
        return con.execute(sql).df()
    except duckdb.Error as err:
        raise KumenetError(f"SQL error: {err}") from err
    finally:
        con.close()


def export_sqlite(net: Network, path: str | Path, progress: Callable | None = None,
                  **options) -> list[str]:
    """Write every table (base and computed) to a SQLite file, with indexes; atomic."""
    tables = base_tables(net)
    tables.update(result_tables(net, {"node_metrics", "communities", "group_metrics"}, **options))
    indexes = {"nodes": ["id", "name_key", "province_key"], "edges": ["source", "target", "layer"],
               "node_metrics": ["id"], "communities": ["id", "community"]}
    path = Path(path)
    with atomic_path(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            items = list(tables.items())
            for name, frame in (progress(items) if progress else items):
                frame.to_sql(name, con, index=False, chunksize=50_000)
                for col in indexes.get(name, []):
                    con.execute(f'CREATE INDEX "ix_{name}_{col}" ON "{name}" ("{col}")')
            con.commit()
        finally:
            con.close()
    return list(tables)
