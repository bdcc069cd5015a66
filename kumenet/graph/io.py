"""Reading and writing networks: CSV folders, Excel workbooks, GraphML, GEXF and Parquet.

Every format round-trips: reading what :func:`write_network` wrote gives an equal network
(:meth:`Network.equals`). Readers only turn files into raw tables; all checks and typing
happen in :mod:`kumenet.graph.validate`, so every format gets the same messages.

=========  ==============================================  ===================================
format     path                                            notes
=========  ==============================================  ===================================
csv        folder with ``nodes.csv``, ``edges.csv``        UTF-8 (BOM or not) or Windows-1254;
                                                           ``,``/``;``/tab; decimal commas
csv.gz     folder with ``nodes.csv.gz``, ``edges.csv.gz``  as csv, gzip-compressed
parquet    folder with ``nodes.parquet``, ``edges.parquet``
xlsx       workbook with sheets ``nodes`` and ``edges``    Excel caps a sheet at 1,048,575 rows
graphml    ``.graphml`` file                               layer is an edge attribute
gexf       ``.gexf`` file (Gephi)                          layer is an edge attribute
=========  ==============================================  ===================================

A folder may also hold ``layers.csv`` (columns ``layer``, ``directed``) saying which layers
have a direction; kumenet writes one with every folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kumenet.errors import InputDataError, KumenetError, Problem
from kumenet.graph.formats.csv import (
    read_csv,
    read_csv_folder,
    write_csv_folder,
    write_csv_tables,  # noqa: F401 - used from here
)
from kumenet.graph.formats.excel import read_sheets, read_xlsx, sheet_key, write_xlsx
from kumenet.graph.formats import parquet as parquet_format
from kumenet.graph.formats.parquet import (
    parquet_frame,
    read_parquet_folder,
    write_parquet_folder,
)
from kumenet.graph.formats.xml import read_xml, write_gexf, write_graphml
from kumenet.graph.network import Network
from kumenet.graph.textfile import check_regular_file
from kumenet.graph.validate import EDGE_ALIASES, RawTable, build_network
from kumenet.memory import reuse_freed_memory
from kumenet.text import fold, suggestion

# -- public API ---------------------------------------------------------------------------

__all__ = ["read_network", "write_network", "from_networkx", "read_table", "format_from_suffix",
           "detect_format"]


def read_network(path: str | os.PathLike, *, sep: str | None = None,
                 decimal: str | None = None, encoding: str | None = None,
                 directed_layers: Iterable[str] | None = None,
                 nodes_sheet: str | None = None, edges_sheet: str | None = None,
                 as_of: int | None = None) -> Network:
    """Read and validate a network from a folder or a file.

    Parameters
    ----------
    path : str or Path
        A folder with ``nodes.csv`` and ``edges.csv`` (or ``.csv.gz``, or ``.parquet``), a
        ``.xlsx`` workbook, a ``.graphml`` or a ``.gexf`` file. A ``nodes.csv`` or
        ``edges.csv`` path means its folder.
    sep : {",", ";", "tab"}, optional
        CSV separator; detected from the header line when not given.
    decimal : {".", ","}, optional
        Decimal mark of numbers in CSV and text cells; detected per column when not given
        (a column whose numbers look like ``12,5`` and never like ``12.5`` uses commas).
    encoding : str, optional
        CSV encoding; UTF-8 (with or without BOM) is tried first, then Windows-1254.
    directed_layers : iterable of str, optional
        The layers whose ties have a direction. By default what the file says (``layers.csv``,
        GraphML/GEXF edge types), else ``supply`` and ``membership``.
    nodes_sheet, edges_sheet : str, optional
        The workbook's sheets of nodes and ties; by default the sheets named ``nodes`` and
        ``edges`` or by their usual Turkish names (:data:`SHEET_NAMES`).
    as_of : int, optional
        In a Parquet folder whose ties are partitioned by year (``kumenet convert --to
        parquet --partition-by year``), read only the parts up to this year (and the part of
        ties without a year); other formats are read whole.

    Returns
    -------
    Network

    Raises
    ------
    InputDataError
        Listing the problems found, each with file, line and column.

    Examples
    --------
    >>> net = read_network("sample_networks/pilot")
    >>> net.n_nodes, net.layers
    (757, ['supply', 'collaboration', 'membership', 'information'])
    """
    path = Path(path)
    fmt = detect_format(path)
    if fmt in ("csv", "csv.gz") and path.is_file():
        path = path.parent
    reader = READERS[fmt]
    sheets = {}
    if nodes_sheet is not None or edges_sheet is not None:
        if fmt != "xlsx":
            raise KumenetError("--nodes-sheet and --edges-sheet choose sheets of an .xlsx "
                               f"workbook; {path.name} is {fmt}")
        sheets = {"nodes": nodes_sheet, "edges": edges_sheet}
    extra = {"as_of": as_of} if fmt == "parquet" else ({"sheets": sheets} if sheets else {})
    # Reading and checking millions of ties allocates and frees many column-sized arrays.
    with reuse_freed_memory():
        nodes, edges, declared = reader(path, sep=sep, decimal=decimal, encoding=encoding,
                                        **extra)
        directed = directed_layers if directed_layers is not None else declared
        return build_network(nodes, edges, directed_layers=directed, source=str(path))


def write_network(net: Network, path: str | os.PathLike, format: str | None = None,
                  partition_by: str | None = None) -> Path:
    """Write ``net`` to ``path`` in ``format`` (by default, guessed from the path).

    A path ending in ``.xlsx``, ``.graphml`` or ``.gexf`` is that format; any other path is a
    folder of CSV files unless ``format`` says ``csv.gz`` or ``parquet``. The write is atomic:
    on any failure nothing is left at ``path``.

    ``partition_by`` (Parquet only) names an edge column, such as ``year`` or ``layer``: the
    ties are then written as a hive-partitioned folder ``edges/year=2019/part-0.parquet``, ...
    (ties without a value under ``year=__HIVE_DEFAULT_PARTITION__``), which
    :func:`read_network` reads whole or, by year, only up to ``as_of``.

    Parameters
    ----------
    net : Network
        The network.
    path : str or Path
        A folder, or a ``.xlsx``, ``.graphml`` or ``.gexf`` file.
    format : {"csv", "csv.gz", "parquet", "xlsx", "graphml", "gexf"}, optional
        The format (default: from the path).
    partition_by : str, optional
        Parquet only: the edge column whose values become sub-folders.

    Returns
    -------
    Path
        What was written.

    >>> import tempfile, pathlib
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_network(net, folder / 'pilot.graphml').name
    'pilot.graphml'
    >>> read_network(folder / 'pilot.graphml').equals(net)
    True
    """
    path = Path(path)
    fmt = format or format_from_suffix(path) or "csv"
    if fmt not in WRITERS:
        raise KumenetError(f"unknown network format {fmt!r}; choose one of {', '.join(WRITERS)}")
    if partition_by is not None:
        # The contract's name, or a Turkish one (yıl, katman).
        partition_by = EDGE_ALIASES.get(fold(partition_by), partition_by)
        if fmt != "parquet":
            raise KumenetError(f"--partition-by writes Parquet parts; {fmt} is one file or "
                               "folder (add --to parquet)")
        if partition_by not in net.edges.columns or partition_by in ("source", "target",
                                                                    "weight"):
            choices = [c for c in net.edges.columns if c not in ("source", "target", "weight")]
            raise KumenetError(f"cannot partition the ties by {partition_by!r}; choose one of "
                               f"{', '.join(choices)}" + suggestion(partition_by, choices))
        distinct = net.edges[partition_by].nunique(dropna=False)
        if distinct > parquet_format.MAX_PARTS:
            raise KumenetError(f"the ties hold {distinct:,} values of {partition_by!r}: one "
                               f"folder each would be too many (at most {parquet_format.MAX_PARTS:,}); "
                               "partition by year or layer")
        write_parquet_folder(net, path, partition_by)
        return path
    WRITERS[fmt](net, path)
    return path


def from_networkx(graph, directed_layers: Iterable[str] | None = None) -> Network:
    """A validated network from a networkx graph (the inverse of :meth:`Network.to_networkx`).

    Node attributes become node columns (``kind`` is required, as in files); edge
    attributes become edge columns (``layer`` is required). The directed layers are
    ``directed_layers``, else the graph attribute of that name, else the defaults.

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node('a', kind='firm', province='Samsun'); g.add_node('b', kind='institution')
    >>> g.add_edge('a', 'b', layer='membership', year=2021)
    >>> net = from_networkx(g)
    >>> net.n_nodes, net.layers, net.nodes['province'].tolist()
    (2, ['membership'], ['Samsun', nan])
    """
    nodes = pd.DataFrame([{"id": n, **d} for n, d in graph.nodes(data=True)])
    edges = pd.DataFrame([{"source": u, "target": v, **d} for u, v, d in graph.edges(data=True)])
    declared = directed_layers
    if declared is None and "directed_layers" in graph.graph:
        declared = [s for s in str(graph.graph["directed_layers"]).split(",") if s]
    return build_network(RawTable.from_frame(nodes, "networkx nodes"),
                         RawTable.from_frame(edges, "networkx edges"),
                         directed_layers=declared, source="networkx")


def read_table(path: str | os.PathLike, *, sep: str | None = None, decimal: str | None = None,
               encoding: str | None = None, sheet: str | None = None) -> RawTable:
    """Read one table (``.csv``, ``.csv.gz``, ``.xlsx`` or ``.parquet``) for validation.

    CSV files get the same encoding, separator and decimal detection as networks; a workbook
    is read from ``sheet`` (default: its first sheet). Rows keep their file line numbers.

    >>> raw = read_table('sample_networks/pilot/nodes.csv')
    >>> len(raw.frame), list(raw.frame.columns[:3])
    (757, ['id', 'name', 'kind'])
    """
    path = Path(path)
    name = path.name.lower()
    check_regular_file(path)
    if name.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        return read_csv(path, sep, decimal, encoding, str(path))
    if name.endswith(".parquet"):
        return RawTable.from_frame(parquet_frame(path), str(path), decimal=decimal)
    if name.endswith(".xlsx"):
        titles = list(read_sheets(path, wanted=()))
        if sheet is not None:
            match = [t for t in titles if t == sheet] or \
                [t for t in titles if sheet_key(t) == sheet_key(sheet)]
            if len(match) != 1:
                said = f"no sheet named {sheet!r}{suggestion(sheet, titles)}" if not match \
                    else f"sheets {' and '.join(map(repr, match))} both match {sheet!r}"
                raise InputDataError([Problem(str(path), None, None, None,
                                              f"{said}; the sheets are "
                                              f"{', '.join(map(repr, titles))}")])
        title = match[0] if sheet is not None else titles[0]
        raw = read_sheets(path, wanted=[title])[title]
        if raw.problems:
            raise InputDataError(raw.problems)
        raw.decimal = decimal
        return raw
    raise InputDataError([Problem(str(path), None, None, None,
                                  "cannot tell the format: give a .csv, .csv.gz, .xlsx or "
                                  ".parquet table")])


def format_from_suffix(path: Path) -> str | None:
    """The file format a path's suffix names (``xlsx``, ``graphml``, ``gexf``), None for a
    folder's formats.

    >>> [format_from_suffix(Path(p)) for p in ('pilot.gexf', 'pilot.XLSX', 'pilot')]
    ['gexf', 'xlsx', None]
    """
    name = path.name.lower()
    for suffix, fmt in ((".xlsx", "xlsx"), (".graphml", "graphml"), (".gexf", "gexf")):
        if name.endswith(suffix):
            return fmt
    return None


def detect_format(path: Path) -> str:
    """The format of an existing network path (see the module table).

    >>> detect_format(Path('sample_networks/pilot'))
    'csv'
    """
    try:
        os.stat(path)
    except FileNotFoundError as err:
        raise InputDataError([Problem(str(path), None, None, None,
                                      "no such file or folder")]) from err
    except OSError as err:  # a name too long, a loop of links, no permission, ...
        raise InputDataError([Problem(str(path), None, None, None,
                                      f"cannot be read: {err.strerror or err}")]) from err
    if path.is_dir():
        for fmt, stem in (("csv", "nodes.csv"), ("csv.gz", "nodes.csv.gz"),
                          ("parquet", "nodes.parquet")):
            if os.path.lexists(path / stem):
                return fmt
        found = ", ".join(sorted(p.name for p in path.iterdir())[:8]) or "nothing"
        raise InputDataError([Problem(str(path), None, None, None,
                                      "expected nodes.csv and edges.csv (or .csv.gz, or "
                                      f".parquet) in this folder; it holds {found}")])
    fmt = format_from_suffix(path)
    if fmt:
        return fmt
    if path.name.lower() in ("nodes.csv", "edges.csv"):
        return "csv"
    if path.name.lower() in ("nodes.csv.gz", "edges.csv.gz"):
        return "csv.gz"
    raise InputDataError([Problem(str(path), None, None, None,
                                  "cannot tell the format: give a folder with nodes.csv and "
                                  "edges.csv, an .xlsx workbook, a .graphml or a .gexf file")])


READERS = {
    "csv": read_csv_folder,
    "csv.gz": read_csv_folder,
    "parquet": read_parquet_folder,
    "xlsx": read_xlsx,
    "graphml": read_xml,
    "gexf": read_xml,
}
WRITERS = {
    "csv": write_csv_folder,
    "csv.gz": lambda net, path: write_csv_folder(net, path, compress=True),
    "parquet": write_parquet_folder,
    "xlsx": write_xlsx,
    "graphml": write_graphml,
    "gexf": write_gexf,
}
#: Network formats, for the CLI's choices and the docs.
FORMATS = tuple(WRITERS)
