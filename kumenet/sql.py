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
from kumenet.files import atomic_path
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


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals and Arrow strings as plain text, for SQL engines."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype) or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def base_tables(net: Network) -> dict[str, pd.DataFrame]:
    nodes = plain(net.nodes)
    nodes["name_key"] = fold_series(net.nodes["name"]).to_numpy()
    nodes["province_key"] = fold_series(net.nodes["province"]).to_numpy()
    return {"nodes": nodes, "edges": plain(net.edges), "layers": layer_summary(net)}


def result_tables(net: Network, wanted: set[str], layers=None, as_of=None,
                  community_method: str = "leiden", seed: int = 0,
                  group_by: str = "province") -> dict[str, pd.DataFrame]:
    """The computed tables named in ``wanted``."""
    from kumenet.graph.communities import communities
    from kumenet.graph.metrics import group_metrics, node_metrics

    out = {}
    if "node_metrics" in wanted:
        out["node_metrics"] = plain(node_metrics(net, layers, as_of, seed=seed))
    if "communities" in wanted:
        out["communities"] = communities(net, community_method, layers, seed=seed, as_of=as_of).table()
    if "group_metrics" in wanted:
        out["group_metrics"] = group_metrics(net, group_by, layers, as_of)
    return out


def referenced(sql: str) -> set[str]:
    """Which known tables a query names."""
    return {t for t in TABLES if re.search(rf"\b{t}\b", sql, re.IGNORECASE)}


#: Statement kinds a query may be (DESCRIBE, SUMMARIZE and SHOW parse as SELECT).
READ_KINDS = ("SELECT", "EXPLAIN")
#: Seconds a query may run by default.
TIMEOUT = 30.0
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?", re.IGNORECASE)


def sandbox():
    """A DuckDB connection that cannot touch the machine.

    No file or network access (``COPY``, ``ATTACH``, ``read_csv('/etc/passwd')``, ``EXPORT``
    all fail), no extension installed or loaded, no Python variable visible by name, a
    memory limit, and the configuration locked so that no statement can undo any of it.
    Tables are registered by the caller before :func:`lock` is called.
    """
    import duckdb

    return duckdb.connect(":memory:", config={
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "python_enable_replacements": False,
        "memory_limit": "4GB",
        "threads": 2,
    })


def lock(con) -> None:
    """Freeze a :func:`sandbox` connection's configuration."""
    con.execute("SET lock_configuration = true")


def check_statement(sql: str, con=None) -> None:
    """Refuse anything but one read statement, judged by DuckDB's own parser (``con``'s, or a
    throwaway in-memory connection's).

    Raises
    ------
    KumenetError
        For a syntax error, several statements, or a statement that is not a read
        (``SELECT``, ``WITH``, ``EXPLAIN``, ``DESCRIBE``, ``SUMMARIZE``, ``SHOW``).
    """
    import duckdb

    if con is None:
        with duckdb.connect(":memory:") as parser:
            return check_statement(sql, parser)
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as err:
        raise KumenetError(f"SQL error: {err}") from err
    if len(statements) != 1:
        raise KumenetError(f"give one SQL statement, not {len(statements)}")
    kind = str(statements[0].type).rsplit(".", 1)[-1]
    if kind == "EXPLAIN":  # EXPLAIN ANALYZE runs its statement: look inside
        inner = _EXPLAIN.sub("", sql, count=1)
        if inner != sql:
            return check_statement(inner, con)
    if kind not in READ_KINDS:
        raise KumenetError(f"only reading is allowed (SELECT, WITH, EXPLAIN, DESCRIBE, "
                           f"SUMMARIZE, SHOW); this is {kind}. Write results with -o instead")


def run_read_query(con, sql: str, timeout: float | None = TIMEOUT,
                   max_rows: int | None = None) -> pd.DataFrame:
    """Run one checked read statement on a locked sandbox, within ``timeout`` seconds.

    With ``max_rows``, at most that many rows are fetched and a warning says when the
    result had more.
    """
    import threading
    import warnings

    import duckdb

    check_statement(sql, con)
    timer = threading.Timer(timeout, con.interrupt) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        result = con.execute(sql)
        if max_rows is None:
            return result.df()
        rows = result.fetchmany(max_rows + 1)
        names = [d[0] for d in result.description]
        frame = pd.DataFrame.from_records(rows[:max_rows], columns=names)
        if len(rows) > max_rows:
            warnings.warn(f"the query returned more than {max_rows:,} rows; showing the first "
                          f"{max_rows:,} (write them all with -o FILE)", stacklevel=2)
        return frame
    except duckdb.InterruptException as err:
        raise KumenetError(f"the query took longer than {timeout:g} s and was stopped "
                           "(--timeout)") from err
    except duckdb.PermissionException as err:
        raise KumenetError("SQL refused: queries cannot read or write files, the network "
                           f"or extensions ({_first_line(err)})") from err
    except duckdb.Error as err:
        raise KumenetError(f"SQL error: {err}") from err
    finally:
        if timer:
            timer.cancel()


def _first_line(err) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def query(net: Network, sql: str, *, timeout: float | None = TIMEOUT,
          max_rows: int | None = None, **options) -> pd.DataFrame:
    """Run one read statement (DuckDB) over the network's tables and the results it names.

    The query runs in a :func:`sandbox`: it can read the tables of :data:`TABLES` and
    nothing else, for at most ``timeout`` seconds.

    Parameters
    ----------
    net : Network
    sql : str
        One ``SELECT``, ``WITH``, ``EXPLAIN``, ``DESCRIBE``, ``SUMMARIZE`` or ``SHOW``.
    timeout : float, optional
        Seconds before the query is stopped (30 by default; None: no limit).
    max_rows : int, optional
        Fetch at most this many rows (a warning says when there were more).
    **options
        ``layers``, ``as_of``, ``community_method``, ``seed``, ``group_by`` for the
        computed tables.

    Raises
    ------
    KumenetError
        For a syntax error, a statement that is not a read, several statements, file or
        network access, or a timeout.

    Examples
    --------
    >>> from kumenet.graph.io import read_network
    >>> net = read_network("sample_networks/pilot")
    >>> query(net,
    ...       "SELECT count(*) AS n FROM nodes WHERE province_key = 'kahramanmaras'")["n"].iloc[0]
    np.int64(121)
    >>> query(net, "COPY nodes TO 'nodes.csv'")
    Traceback (most recent call last):
    ...
    kumenet.errors.KumenetError: only reading is allowed (SELECT, WITH, EXPLAIN, DESCRIBE, SUMMARIZE, SHOW); this is COPY. Write results with -o instead
    """
    con = sandbox()
    try:
        check_statement(sql, con)
        tables = base_tables(net)
        tables.update(result_tables(net, referenced(sql), **options))
        for name, frame in tables.items():
            con.register(name, frame)
        lock(con)
        return run_read_query(con, sql, timeout, max_rows)
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
