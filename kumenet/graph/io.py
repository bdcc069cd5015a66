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

import itertools
import os
import warnings
import xml.parsers.expat
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from kumenet.arrays import distinct_type, run_starts
from kumenet.errors import InputDataError, KumenetError, Problem, clip
from kumenet.memory import reuse_freed_memory
from kumenet.files import atomic_path
from kumenet.graph.network import Network
from kumenet.graph.textfile import (MAX_COLUMNS, check_regular_file, inflate_limit,
                                   read_csv_frame)
from kumenet.graph.validate import (EDGE_ALIASES, CheckedParts, RawTable, build_network,
                                    check_part)
from kumenet.text import fold, suggestion



# -- public API ---------------------------------------------------------------------------

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
        if distinct > MAX_PARTS:
            raise KumenetError(f"the ties hold {distinct:,} values of {partition_by!r}: one "
                               f"folder each would be too many (at most {MAX_PARTS:,}); "
                               "partition by year or layer")
        _write_parquet_folder(net, path, partition_by)
        return path
    WRITERS[fmt](net, path)
    return path


def from_networkx(graph, directed_layers: Iterable[str] | None = None) -> Network:
    """A validated network from a networkx graph (the inverse of :meth:`Network.to_networkx`).

    Node attributes become node columns (``kind`` is required, as in files); edge
    attributes become edge columns (``layer`` is required). The directed layers are
    ``directed_layers``, else the graph attribute of that name, else the defaults.
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
    """
    path = Path(path)
    name = path.name.lower()
    check_regular_file(path)
    if name.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        return _read_csv(path, sep, decimal, encoding, str(path))
    if name.endswith(".parquet"):
        return RawTable.from_frame(_parquet_frame(path), str(path), decimal=decimal)
    if name.endswith(".xlsx"):
        titles = list(read_sheets(path, wanted=()))
        if sheet is not None:
            match = [t for t in titles if t == sheet] or \
                [t for t in titles if _sheet_key(t) == _sheet_key(sheet)]
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
    name = path.name.lower()
    for suffix, fmt in ((".xlsx", "xlsx"), (".graphml", "graphml"), (".gexf", "gexf")):
        if name.endswith(suffix):
            return fmt
    return None


def detect_format(path: Path) -> str:
    """The format of an existing network path (see the module table)."""
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


# -- CSV ------------------------------------------------------------------------------------

def _read_csv(path: Path, sep: str | None, decimal: str | None,
              encoding: str | None, label: str) -> RawTable:
    frame, lines, sep, enc = read_csv_frame(path, label, sep, encoding)
    raw = RawTable.from_frame(frame, label, decimal=decimal)
    raw.lines, raw.sep, raw.encoding = lines, sep, enc
    return raw


def _layers_file(path: Path) -> set[str] | None:
    file = path / "layers.csv"
    if not os.path.lexists(file):
        return None
    return _declared_layers(_read_csv(file, None, None, None, str(file)))


def _read_csv_folder(path: Path, sep, decimal, encoding):
    tables = []
    for stem in ("nodes", "edges"):
        file = next((path / f"{stem}{ext}" for ext in (".csv", ".csv.gz")
                     if os.path.lexists(path / f"{stem}{ext}")), None)
        if file is None:
            raise InputDataError([Problem(str(path), None, None, None,
                                          f"{stem}.csv (or {stem}.csv.gz) is missing")])
        tables.append(_read_csv(file, sep, decimal, encoding, str(file)))
    return tables[0], tables[1], _layers_file(path)


def _arrow_table(frame: pd.DataFrame):
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
            for c in table.columns]
    return pa.table(cols, names=table.column_names)


def _layer_table(net: Network) -> pd.DataFrame:
    layers = net.layers
    return pd.DataFrame({"layer": layers, "directed": [net.is_directed(la) for la in layers]})


def _write_csv_folder(net: Network, path: Path, compress: bool = False) -> None:
    with atomic_path(path, folder=True) as tmp:
        write_csv_tables(net.nodes, net.edges, tmp, compress)
        _layer_table(net).to_csv(tmp / "layers.csv", index=False)


def write_csv_tables(nodes: pd.DataFrame, edges: pd.DataFrame, folder: Path,
                     compress: bool = False) -> None:
    """``nodes.csv`` and ``edges.csv`` (or ``.csv.gz``) in ``folder``, UTF-8 with a BOM."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    ext = ".csv.gz" if compress else ".csv"
    for stem, frame in (("nodes", nodes), ("edges", edges)):
        table = _arrow_table(frame)
        sink = pa.CompressedOutputStream(str(folder / f"{stem}{ext}"), "gzip") if compress \
            else pa.OSFile(str(folder / f"{stem}{ext}"), "wb")
        with sink:
            sink.write(b"\xef\xbb\xbf")  # BOM: Excel then shows Turkish letters right
            pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))


# -- Parquet ----------------------------------------------------------------------------------

def _parquet_frame(file: Path, distinct: bool = True) -> pd.DataFrame:
    """A Parquet file as a DataFrame; refuses files that would inflate out of proportion.
    ``distinct``: see :func:`arrow_frame`."""
    return arrow_frame(_parquet_table(file), distinct)


def _parquet_table(file: Path):
    """A Parquet file as an Arrow table; refuses files that would inflate out of proportion."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    label = str(file)
    size = check_regular_file(file, label)
    try:
        # An Arrow file, not a Python one: the reader's threads release their last reference
        # to the file after read_table returns, and a Python file released while the
        # interpreter exits aborted the process (std::terminate taking the GIL).
        with pa.OSFile(str(file), "rb") as fh:
            meta = pq.ParquetFile(fh).metadata
            inflated = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            if meta.num_columns > MAX_COLUMNS:
                raise InputDataError([Problem(label, None, None, None,
                                              f"has {meta.num_columns:,} columns; kumenet reads "
                                              f"at most {MAX_COLUMNS:,}")])
            if inflated > inflate_limit(size):
                raise InputDataError([Problem(label, None, None, None,
                                              f"decompresses to {inflated / 2**20:,.0f} MiB; "
                                              "kumenet refuses it as a damaged file or a "
                                              "decompression bomb")])
            _distinct_names(meta.schema.to_arrow_schema().names, label)
            fh.seek(0)
            table = pq.read_table(fh)
    except InputDataError:
        raise
    except Exception as err:  # pyarrow raises several types for a damaged file
        said = " ".join(str(err).split())  # pyarrow's messages run over several lines
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable Parquet file: "
                                      f"{clip(said, 200, quote=False)}")]) from err
    return _plain_columns(table, label)


def _distinct_names(names: list[str], label: str) -> None:
    """Refuse a file whose columns share a name (Parquet allows it; no column could be
    told from the other)."""
    seen: dict[str, int] = {}
    problems = []
    for number, name in enumerate(names, 1):
        if name in seen:
            problems.append(Problem(label, None, number, name,
                                    f"a second column named {name!r} (the first is column "
                                    f"{seen[name]}); rename or delete one"))
        seen.setdefault(name, number)
    if problems:
        raise InputDataError(problems)


#: What a Parquet column of a nested type holds, in the words of the message.
NESTED = (("is_list", "lists"), ("is_large_list", "lists"), ("is_fixed_size_list", "lists"),
          ("is_list_view", "lists"), ("is_large_list_view", "lists"),
          ("is_struct", "records (a struct)"), ("is_map", "maps"), ("is_union", "unions"))


def _plain_columns(table, label: str):
    """``table`` with binary columns read as UTF-8 text; a column of a nested type (list,
    struct, map, union) or of bytes that are not UTF-8 is refused, naming the column (and
    the first row that is not text)."""
    import pyarrow as pa

    problems = []
    for number, (name, column) in enumerate(zip(table.column_names, table.columns), 1):
        kind = column.type
        inner = kind.value_type if pa.types.is_dictionary(kind) else kind
        nested = next((what for test, what in NESTED if getattr(pa.types, test, None)
                       and getattr(pa.types, test)(inner)), None)
        if nested:
            problems.append(Problem(label, None, number, name,
                                    f"holds {nested} ({clip(str(inner), 60, quote=False)}); "
                                    "kumenet reads one text, number, date or true/false value "
                                    "per cell: flatten the column or leave it out"))
        elif pa.types.is_binary(inner) or pa.types.is_large_binary(inner) or \
                pa.types.is_fixed_size_binary(inner) or pa.types.is_binary_view(inner):
            plain = column.cast(pa.large_binary()) if inner is kind else \
                column.cast(pa.large_binary())  # a dictionary of bytes decoded first
            try:
                text = plain.cast(pa.large_string())
            except pa.ArrowInvalid:
                row = _first_not_utf8(plain)
                problems.append(Problem(label, row + 2, number, name,
                                        "holds bytes that are not UTF-8 text: write the "
                                        "column as text (a string column)"))
                continue
            table = table.set_column(number - 1, name, text)
        elif _is_text(inner):  # Parquet does not promise UTF-8: a damaged file breaks it
            before = 0
            for chunk in column.chunks:  # checked where it lies, nothing copied
                checked = chunk.dictionary if pa.types.is_dictionary(kind) else chunk
                try:
                    checked.validate(full=True)
                except pa.ArrowInvalid:
                    row = before if checked is not chunk else \
                        before + _first_not_utf8(chunk, validate=True)
                    problems.append(Problem(label, row + 2, number, name,
                                            "holds text that is not UTF-8 (a damaged file?)"))
                    break
                before += len(chunk)
    if problems:
        raise InputDataError(problems)
    return table


def _first_not_utf8(column, validate: bool = False) -> int:
    """The first row of a binary column whose bytes are not UTF-8 (``validate``: of a text
    column holding such bytes), by one bisection, never a Python loop over rows."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    low, high = 0, len(array)  # the first bad row lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        try:
            part = array.slice(low, middle - low)
            part.validate(full=True) if validate else part.cast(pa.large_string())
            low = middle
        except pa.ArrowInvalid:
            high = middle
    return low


def arrow_frame(table, distinct: bool = True) -> pd.DataFrame:
    """An Arrow table as a DataFrame without turning text into Python objects: text columns
    stay Arrow-backed, dictionary columns (ids of millions of ties) become categoricals over
    their Arrow dictionary, other columns convert as pandas would.

    With ``distinct=False`` a dictionary is not checked for repeated values: the checks of
    the ties read their categoricals' codes and categories only, which a repeated value
    does not mislead (nodes are checked for duplicate ids, so their dictionaries are).
    """
    import pyarrow as pa

    columns = {}
    checked = []  # dictionaries found distinct (both ends of the ties often share one)
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_dictionary(kind) and _is_text(kind.value_type):
            columns[name] = _dictionary_categorical(column, checked if distinct else None)
        elif _is_text(kind):
            columns[name] = pd.Series(pd.arrays.ArrowStringArray(column.cast(pa.large_string())))
        else:
            columns[name] = pa.table({"c": column}).to_pandas()["c"]
    return pd.DataFrame(columns, copy=False)


def _is_text(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _dictionary_categorical(column, checked: list | None) -> pd.Series:
    """A dictionary-encoded Arrow column as a categorical over its (unique) dictionary; a
    dictionary that repeats a value is decoded instead. ``checked`` holds dictionaries
    already found distinct; this one is added when it is (None: not checked)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Chunks that share one dictionary (as a writer repeats it per row group) are joined
    # without hashing it; different ones are unified.
    array = column.combine_chunks()
    dictionary = array.dictionary
    # A dictionary that holds a null or repeats a value (not written by pyarrow or pandas)
    # is decoded; Arrow checks it three times faster than pandas would, and one equal to a
    # dictionary checked already is compared, not hashed again.
    repeats = checked is not None and not any(dictionary.equals(seen) for seen in checked) \
        and len(pc.unique(dictionary)) < len(dictionary)
    if dictionary.null_count or repeats:
        return pd.Series(pd.arrays.ArrowStringArray(column.cast(pa.large_string())))
    if checked is not None:
        checked.append(dictionary)
    dtype = distinct_type(pd.arrays.ArrowStringArray(dictionary.cast(pa.large_string())))
    codes = array.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype))


def _read_parquet_folder(path: Path, sep, decimal, encoding, as_of=None):
    tables = []
    for stem in ("nodes", "edges"):
        file = path / f"{stem}.parquet"
        if stem == "edges" and not os.path.lexists(file) and (path / "edges").is_dir():
            tables.append(_read_parts(path / "edges", decimal, as_of))
            continue
        if not os.path.lexists(file):
            raise InputDataError([Problem(str(path), None, None, None,
                                          f"{stem}.parquet is missing" +
                                          (" (or a folder edges/ of parts)" if stem == "edges"
                                           else ""))])
        tables.append(RawTable.from_frame(_parquet_frame(file, distinct=stem == "nodes"),
                                          str(file), decimal=decimal))
    return tables[0], tables[1], _layers_file(path)


#: The folder name of a hive partition of ties without a value.
NULL_PART = "__HIVE_DEFAULT_PARTITION__"
#: At most this many parts (folders) when partitioning ties.
MAX_PARTS = 1000


def _partitions(folder: Path) -> tuple[str, list[tuple[str | None, Path]]]:
    """The column a folder of parts is partitioned by and its (value, folder) pairs, in the
    order of their values (None, ties without a value, last)."""
    found, columns = [], set()
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")) and entry.is_file():
            continue  # _SUCCESS, .crc and other marks writers leave
        column, eq, value = entry.name.partition("=")
        if not eq or not entry.is_dir() or not column:
            raise InputDataError([Problem(str(entry), None, None, None,
                                          "is not a partition of ties: expected folders "
                                          "named COLUMN=VALUE, such as year=2019")])
        columns.add(column)
        found.append((None if value == NULL_PART else unquote(value), entry))
    if not found:
        raise InputDataError([Problem(str(folder), None, None, None,
                                      "holds no partitions of ties (folders such as year=2019)")])
    if len(columns) > 1:
        raise InputDataError([Problem(str(folder), None, None, None,
                                      "is partitioned by several columns "
                                      f"({', '.join(sorted(columns))}); kumenet reads one")])
    column = columns.pop()

    def order(item):
        value, year = item[0], _year(item[0])
        return (2, 0, "") if value is None else (0, year, "") if year is not None else (1, 0, value)
    return column, sorted(found, key=order)


def _year(value: str | None) -> int | None:
    """A partition's value as a year, when it is a whole number."""
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


def _read_parts(folder: Path, decimal, as_of: int | None) -> RawTable | CheckedParts:
    """The ties of a hive-partitioned folder as one table; each row keeps its part file and
    row number for messages. Partitioned by year with ``as_of``, only the parts up to that
    year (and ties without one) are read. Inside ``engine.use("dask")`` the Dask workers
    read and check the parts themselves when that gives the same network
    (:func:`_checkable_apart`)."""
    import pyarrow as pa

    from kumenet.engine import current

    column, parts, subset = _part_files(folder, as_of)
    if not parts:
        raise InputDataError([Problem(str(folder), None, None, None,
                                      "holds no .parquet files in its partitions")])
    dask = current()
    if dask is not None and _checkable_apart(column, parts):
        def check(node_ids):
            return dask.run(_PartCheck(node_ids, column, decimal),
                            [(value, str(file)) for value, file in parts])
        return CheckedParts(check, str(folder), subset)
    tables, pieces, lines, start = [], [], [], 0
    for value, file in parts:
        table = _part_table(file, column, value)
        tables.append(table)
        pieces.append((start, str(file), {c: i + 1 for i, c in enumerate(table.column_names)}))
        lines.append(np.arange(2, 2 + table.num_rows))
        start += table.num_rows
    try:
        table = pa.concat_tables(_common_types(tables), promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
        raise InputDataError([Problem(str(folder), None, None, None,
                                      "its parts have columns of different types: "
                                      f"{clip(str(err), 200, quote=False)}")]) from err
    frame = arrow_frame(table, distinct=False)
    return RawTable(frame, str(folder), np.concatenate(lines), pieces[0][2], decimal,
                    parts=pieces, subset=subset)


def _part_files(folder: Path, as_of: int | None) -> tuple[str, list, bool]:
    """(partition column, [(value, part file)] to read, whether some parts are left out)."""
    column, parts = _partitions(folder)
    every = len(parts)
    if as_of is not None and column == "year":
        years = [y for y in (_year(v) for v, _ in parts) if y is not None]
        if years and as_of < min(years):
            raise KumenetError(f"no ties up to {as_of}; the first year is {min(years)}")
        parts = [(v, p) for v, p in parts if _year(v) is None or _year(v) <= as_of]
    files = [(value, file) for value, part in parts for file in sorted(part.glob("*.parquet"))]
    return column, files, len(parts) < every


def _part_table(file: Path, column: str, value: str | None):
    """One part's ties with its partition column (the value of its folder) appended."""
    import pyarrow as pa

    table = _parquet_table(file)
    if column in table.column_names:
        raise InputDataError([Problem(str(file), None, None, None,
                                      f"has a column {column!r} and sits in the "
                                      f"partition {file.parent.name}; keep one of them")])
    return table.append_column(column, pa.repeat(pa.scalar(value, pa.string()), table.num_rows))


def _checkable_apart(column: str, parts: list) -> bool:
    """Whether checking each part apart gives the network one table of them would: every
    part has the same columns of the same types (ids and layers as text of any encoding),
    the partition is by year or layer, no column but the ids and the layer holds text (text
    numbers are read with the decimal mark the whole table shows; typed ones need no
    evidence), and no part is empty. Only the parts' footers are read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if EDGE_ALIASES.get(fold(column)) not in ("year", "layer"):
        return False
    for _, file in parts:
        check_regular_file(file, str(file))  # a pipe named part.parquet would never end
    try:
        footers = [pq.read_metadata(file) for _, file in parts]
        schemas = [footer.schema.to_arrow_schema() for footer in footers]
    except Exception:  # noqa: BLE001 (a damaged part: read here, for its message)
        return False
    if any(footer.num_rows == 0 for footer in footers):  # checked apart, it would be refused
        return False

    def kinds(schema) -> list:  # text of any encoding is one kind: the ids and layers
        out = []
        for field in schema:
            kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
            text = _is_text(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
            if text and EDGE_ALIASES.get(fold(field.name)) not in ("source", "target", "layer"):
                return []
            out.append((field.name, "text" if text else str(kind)))
        return out

    first = kinds(schemas[0])
    return bool(first) and all(kinds(schema) == first for schema in schemas[1:])


class _PartCheck:
    """What a Dask worker runs for one part of the ties: read it, check it against the node
    ids (sent to each worker once), return what :class:`CheckedParts` joins."""

    def __init__(self, node_ids, column: str, decimal):
        self.node_ids, self.column, self.decimal = node_ids, column, decimal

    def __call__(self, part: tuple) -> tuple:
        value, file = part
        table = _part_table(Path(file), self.column, value)
        raw = RawTable.from_frame(arrow_frame(table, distinct=False), file,
                                  decimal=self.decimal)
        return check_part(raw, self.node_ids)


def _common_types(tables: list) -> list:
    """Parts written by different programs may type a column differently (text, dictionary
    text, numbers): such a column is read as text in every part, for validation to parse."""
    import pyarrow as pa

    types: dict[str, set] = {}
    for table in tables:
        for field in table.schema:
            types.setdefault(field.name, set()).add(field.type)
    mixed = {name for name, kinds in types.items() if len(kinds) > 1}
    if not mixed:
        return tables
    out = []
    for table in tables:
        for name in mixed & set(table.column_names):
            i = table.column_names.index(name)
            column = table.column(i)
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            table = table.set_column(i, name, column.cast(pa.large_string()))
        out.append(table)
    return out


def _edges_parquet(edges: pd.DataFrame, file: Path) -> None:
    """Ties as one row group: the source and target columns are dictionaries of every node
    id, which Parquet repeats in each row group (33 copies of 3.5 million ids made a
    national network's file 1.2 GB and its reading 99 s)."""
    edges.to_parquet(file, index=False, row_group_size=max(len(edges), 1))


def _write_parquet_folder(net: Network, path: Path, partition_by: str | None = None) -> None:
    with atomic_path(path, folder=True) as tmp:
        net.nodes.to_parquet(tmp / "nodes.parquet", index=False)
        if partition_by is None:
            _edges_parquet(net.edges, tmp / "edges.parquet")
        else:
            edges = net.edges
            codes, uniques = pd.factorize(edges[partition_by], use_na_sentinel=True)
            # One part per value, as hive names them: the rows of each by one stable sort.
            order = np.argsort(codes, kind="stable")
            starts = run_starts(codes[order])
            for rows in np.split(order, starts[1:]):
                code = codes[rows[0]]
                name = NULL_PART if code < 0 else quote(str(uniques[code]), safe="")
                folder = tmp / "edges" / f"{partition_by}={name}"
                folder.mkdir(parents=True)
                part = edges.iloc[rows].drop(columns=[partition_by])
                _edges_parquet(part, folder / "part-0.parquet")
        _layer_table(net).to_csv(tmp / "layers.csv", index=False)


# -- Excel ------------------------------------------------------------------------------------

EXCEL_MAX_ROWS = 1_048_575


class _Unsaved:
    """A formula cell whose value was never saved (written by a program, not by Excel)."""

    def __init__(self, formula: str):
        self.formula = formula

    def __str__(self) -> str:
        return self.formula


def read_sheets(path: Path, wanted: Iterable[str] | None = None) -> dict[str, RawTable]:
    """The sheets of a workbook as raw tables, read as a stream of the cells that exist.

    Rows keep their Excel row numbers and columns their letters. Only rows and columns that
    hold values cost memory, so a stray cell at XFD1048576 costs nothing; the header is the
    first row with a value; a value in a column without a header is a problem, and so is a
    formula whose value was never saved (it would read as empty). ``wanted``: the titles of
    the sheets to read, exactly as the workbook has them (:func:`_sheet_roles` matches what
    people type to them); the others are only listed.
    """
    import zipfile

    label = str(path)
    size = check_regular_file(path, label)
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable .xlsx workbook ({_reason(err)})")]) from err
    if inflated > inflate_limit(size):
        raise InputDataError([Problem(label, None, None, None,
                                      f"decompresses to {inflated / 2**20:,.0f} MiB; kumenet "
                                      "refuses it as a damaged file or a decompression bomb")])
    import openpyxl
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Cells(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _Unsaved("=" + (element.findtext(FORMULA_TAG) or ""))
            return cell

    wanted = None if wanted is None else set(wanted)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a file that is not a workbook
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable .xlsx workbook ({_reason(err)})")]) from err
    tables: dict[str, RawTable] = {}
    try:
        for ws in book.worksheets:
            title = str(ws.title)
            if wanted is not None and title not in wanted:
                tables[title] = None
                continue
            with book._archive.open(ws._worksheet_path) as src:
                parser = Cells(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                               date_formats=book._date_formats,
                               timedelta_formats=book._timedelta_formats)
                tables[title] = _sheet_table(parser.parse(), f"{label}, sheet {title}")
    except InputDataError:
        raise
    except Exception as err:  # damaged sheet XML: openpyxl and the XML parser raise many types
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable .xlsx workbook ({_reason(err)})")]) from err
    finally:
        book.close()
    return tables


def _reason(err: Exception) -> str:
    """A reader's exception as one short line (a damaged zip's message quotes raw bytes)."""
    return clip(" ".join(str(err).split()), 200, quote=False)


def _sheet_table(rows, label: str) -> RawTable:
    from openpyxl.utils import get_column_letter

    header: dict[int, str] | None = None
    columns: dict[int, list] = {}
    lines: list[int] = []
    problems: list[Problem] = []
    def filled(rows):
        for number, cells in rows:
            present = [(c["column"], c["value"]) for c in cells
                       if c["value"] is not None and not (isinstance(c["value"], str)
                                                          and not c["value"].strip())]
            if present:
                yield number, present

    # Rows of one value above a row of several are a title (every table of the contract has
    # two columns at least); a sheet of one-value rows only is a one-column table.
    rows = filled(rows)
    pending = []
    for number, present in rows:
        if len(present) > 1:
            if pending:
                titles = [clip(str(p[0][1]).strip(), 40) for _, p in pending]
                warnings.warn(f"{label}: header on row {number}; the row"
                              f"{'s' * (len(titles) > 1)} above it ({', '.join(titles[:3])}) "
                              "skipped as a title", stacklevel=2)
                pending = []
            pending.append((number, present))
            break
        pending.append((number, present))
    for number, present in itertools.chain(pending, rows):
        if header is None:
            if len(present) > MAX_COLUMNS:
                raise InputDataError([Problem(label, number, None, None,
                                              f"has {len(present):,} columns; kumenet reads at "
                                              f"most {MAX_COLUMNS:,}")])
            header = {col: str(value).strip() for col, value in present}
            columns = {col: [] for col in header}
            continue
        row = dict(present)
        stray = [col for col in row if col not in header]
        for col in stray[:1]:
            problems.append(Problem(label, number, get_column_letter(col), None,
                                    "this column has a value but no header; name it or "
                                    "delete it"))
        for col, value in row.items():
            if isinstance(value, _Unsaved):
                problems.append(Problem(label, number, get_column_letter(col),
                                        header.get(col),
                                        f"the formula {clip(value.formula)} has no saved value; "
                                        "open the file in Excel and save it, or paste values"))
        for col, values in columns.items():  # an unsaved formula reads as empty
            value = row.get(col)
            values.append(None if isinstance(value, _Unsaved) else value)
        lines.append(number)
    if header is None:
        return RawTable(pd.DataFrame(), label, np.zeros(0, dtype=np.int64), {},
                        problems=problems[:21])
    frame = pd.DataFrame({i: pd.Series(v, dtype=object) for i, v in enumerate(columns.values())})
    frame.columns = list(header.values())
    letters = {name: get_column_letter(col) for col, name in header.items()}
    # The sheet's own problems travel with it: the checks of its values report theirs too,
    # in the same message.
    return RawTable(frame, label, np.asarray(lines, dtype=np.int64), letters,
                    problems=problems[:21])


#: The names a workbook's sheets of nodes, ties and layers go by, compared Turkish-aware and
#: without case or dots (``Düğümler``, ``FİRMALAR``, ``İlişkiler``).
SHEET_NAMES = {"nodes": ("nodes", "düğümler", "aktörler", "kuruluşlar", "üyeler", "actors"),
               "edges": ("edges", "ilişkiler", "bağlar", "kenarlar", "ilişki", "bağlantılar",
                         "ties"),
               "layers": ("layers", "katmanlar")}
#: Sheets that hold one kind of node: firms and institutions kept apart (``Firmalar`` and
#: ``Kurumlar``) are read together, each row's kind given by its sheet when it has none.
KIND_SHEETS = {"firm": ("firmalar", "firms", "şirketler", "işletmeler"),
               "institution": ("kurumlar", "institutions", "kurum")}


def _sheet_key(name) -> str:
    from kumenet.text import fold

    return fold(str(name)).replace(".", "").strip()


def _sheet_roles(titles, chosen: dict) -> tuple[dict, list[str]]:
    """Which sheet holds nodes, edges and layers: the one ``chosen`` names (nodes: one or
    several, comma-separated), else the one whose name is one of :data:`SHEET_NAMES` (for
    nodes, also a sheet of firms and one of institutions, :data:`KIND_SHEETS`); and the
    problems (none, or two candidates)."""
    folded = {t: _sheet_key(t) for t in titles}
    roles, problems = {}, []

    def named(name):  # as typed: any case, spaces around; the exact title wins a tie
        want = _sheet_key(name)
        match = [t for t in titles if t == name] or [t for t in titles if folded[t] == want]
        if len(match) != 1:
            said = f"no sheet named {name!r}{suggestion(name, list(titles))}" if not match \
                else f"sheets {' and '.join(map(repr, match))} both match {name!r}"
            problems.append(f"{said}; the sheets are {', '.join(map(repr, titles))}")
        return match[0] if len(match) == 1 else None

    for role, names in SHEET_NAMES.items():
        if chosen.get(role) is not None:
            if role == "nodes" and "," in chosen[role]:
                roles[role] = [named(n.strip()) for n in chosen[role].split(",") if n.strip()]
            else:
                roles[role] = named(chosen[role])
            continue
        known = {_sheet_key(n) for n in names}
        match = [t for t in titles if folded[t] in known]
        if role == "nodes":
            by_kind = {kind: [t for t in titles if folded[t] in {_sheet_key(n) for n in ns}]
                       for kind, ns in KIND_SHEETS.items()}
            split = [t for ts in by_kind.values() for t in ts]
            if not match and split and all(len(ts) <= 1 for ts in by_kind.values()):
                roles[role] = split if len(split) > 1 else split[0]
                continue
            match += split
        if len(match) > 1:
            flag = f"--{role}-sheet" if role != "layers" else "a single layers sheet"
            problems.append(f"sheets {' and '.join(map(repr, match))} could both hold the "
                            f"{role}; choose with {flag}" + (" (several, comma-separated, are "
                                                            "read together)" if role == "nodes"
                                                            else "") +
                            f"; the sheets are {', '.join(map(repr, titles))}")
        elif not match and role != "layers":
            problems.append(f"no sheet of {role} (named {', '.join(names[:4])}, ...; or "
                            f"choose one with --{role}-sheet){suggestion(role, list(titles))}; "
                            f"the sheets are {', '.join(map(repr, titles))}")
        roles[role] = match[0] if len(match) == 1 else None
    return roles, problems


def _read_xlsx(path: Path, sep, decimal, encoding, sheets=None):
    titles = list(read_sheets(path, wanted=()))  # checked and listed, none read yet
    roles, problems = _sheet_roles(titles, sheets or {})
    if problems:
        raise InputDataError([Problem(str(path), None, None, None, p) for p in problems])
    node_sheets = roles["nodes"] if isinstance(roles["nodes"], list) else [roles["nodes"]]
    wanted = [t for t in [*node_sheets, roles["edges"], roles.get("layers")] if t is not None]
    tables = read_sheets(path, wanted=wanted)
    if len(node_sheets) > 1:
        from kumenet.graph.validate import NODE_ALIASES
        from kumenet.text import fold

        nodes = RawTable.gathered([_kind_from_sheet(tables[t], t) for t in node_sheets],
                                  f"{path}, sheets {' + '.join(node_sheets)}",
                                  key=lambda h: NODE_ALIASES.get(fold(str(h)), str(h).strip()))
    else:
        nodes = tables[node_sheets[0]]
    edges = tables[roles["edges"]]
    nodes.decimal = edges.decimal = decimal
    declared = None
    if roles.get("layers") is not None and tables.get(roles["layers"]) is not None:
        declared = _declared_layers(tables[roles["layers"]])
    return nodes, edges, declared


def _kind_from_sheet(raw: RawTable, title: str) -> RawTable:
    """A sheet of firms or institutions (by its name) whose rows lack a kind get it from the
    sheet, with a note saying so."""
    from kumenet.graph.validate import NODE_ALIASES
    from kumenet.text import fold

    kind = next((k for k, names in KIND_SHEETS.items()
                 if _sheet_key(title) in {_sheet_key(n) for n in names}), None)
    if kind is None or raw.frame.empty:
        return raw
    frame = raw.frame.copy()
    column = next((c for c in frame.columns if NODE_ALIASES.get(fold(str(c))) == "kind"), None)
    if column is None:
        frame["kind"] = kind
        warnings.warn(f"{raw.file}: no kind column; its rows are read as {kind} (the sheet's "
                      "name)", stacklevel=3)
    else:
        blank = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if blank.any():
            frame[column] = frame[column].mask(blank, kind)
            warnings.warn(f"{raw.file}: {int(blank.sum()):,} rows without a kind read as "
                          f"{kind} (the sheet's name)", stacklevel=3)
    return RawTable(frame, raw.file, raw.lines, raw.columns, raw.decimal)


def _declared_layers(raw: RawTable) -> set[str]:
    """The directed layers a ``layers`` table (layers.csv or a layers sheet) names."""
    if raw.problems:
        raise InputDataError(raw.problems)
    frame = raw.frame
    missing = [c for c in ("layer", "directed") if c not in frame.columns]
    if missing or not len(frame):
        what = "is empty" if not len(frame.columns) or not len(frame) and not missing else \
            f"lacks the column{'s' * (len(missing) > 1)} {' and '.join(map(repr, missing))}"
        raise InputDataError([Problem(raw.file, 1, None, None,
                                      f"the layers table {what}; it needs the columns 'layer' "
                                      "and 'directed' (true or false), one row per layer")])
    truth = frame["directed"].astype(str).str.strip().str.lower().isin(
        ["true", "1", "yes", "evet", "doğru", "e"])
    layer = frame["layer"].astype("string").str.strip()
    return set(layer[truth.to_numpy() & layer.notna().to_numpy()].astype(str))


def _write_xlsx(net: Network, path: Path) -> None:
    from kumenet.output import style_sheet

    if net.n_edges > EXCEL_MAX_ROWS or net.n_nodes > EXCEL_MAX_ROWS:
        raise KumenetError(f"{net.n_edges:,} edges do not fit in one Excel sheet "
                           f"(at most {EXCEL_MAX_ROWS:,} rows); write csv or parquet instead")
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in (("nodes", net.nodes), ("edges", net.edges),
                                ("layers", _layer_table(net))):
                frame = frame.copy()
                for col in frame.columns:
                    if isinstance(frame[col].dtype, pd.CategoricalDtype):
                        frame[col] = frame[col].astype(object)
                frame.to_excel(writer, sheet_name=name, index=False)
                style_sheet(writer.sheets[name], frame)


# -- XML: GraphML and GEXF --------------------------------------------------------------------

def _xml_escape(values: pd.Series) -> pd.Series:
    s = values.astype(object).astype(str)
    s = s.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
    s = s.str.replace(">", "&gt;", regex=False).str.replace('"', "&quot;", regex=False)
    # XML 1.0 forbids most control characters; tabs and newlines are kept as references.
    s = s.str.replace("\t", "&#9;", regex=False).str.replace("\n", "&#10;", regex=False)
    s = s.str.replace("\r", "&#13;", regex=False)
    return s.str.replace("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", regex=True)


def _xml_type(s: pd.Series) -> str:
    if s.dtype.kind == "b":
        return "boolean"
    if str(s.dtype) in ("Int64", "Int32") or s.dtype.kind in "iu":
        return "long"
    if s.dtype.kind == "f":
        return "double"
    return "string"


def _value_text(s: pd.Series) -> pd.Series:
    """Cell text for XML: integers without '.0', floats round-trippable, missing as NA."""
    if str(s.dtype) in ("Int64", "Int32") or s.dtype.kind in "iu":
        return s.astype("Int64").astype("string")
    if s.dtype.kind == "f":
        return s.map(lambda x: repr(float(x)), na_action="ignore").astype("string")
    if s.dtype.kind == "b":
        return s.map(lambda x: "true" if x else "false").astype("string")
    return s.astype(object).astype("string")


def _data_elements(frame: pd.DataFrame, keys: dict[str, str], tag: Callable[[str, pd.Series], pd.Series]) -> pd.Series:
    """Concatenated XML data elements per row (vectorised over rows)."""
    out = pd.Series("", index=frame.index, dtype=object)
    for col, key in keys.items():
        text = _value_text(frame[col])
        present = text.notna().to_numpy()
        piece = tag(key, _xml_escape(text.fillna("")))
        out = out + piece.where(present, "")
    return out


def _write_lines(path: Path, head: list[str], blocks: list[pd.Series], tail: list[str]) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(head) + "\n")
        for block in blocks:
            for start in range(0, len(block), 200_000):
                fh.write("\n".join(block.iloc[start:start + 200_000].tolist()))
                fh.write("\n")
        fh.write("\n".join(tail) + "\n")


def _write_graphml(net: Network, path: Path) -> None:
    nodes, edges = net.nodes, net.edges
    node_cols = [c for c in nodes.columns if c != "id"]
    edge_cols = [c for c in edges.columns if c not in ("source", "target")]
    nkeys = {c: f"n{i}" for i, c in enumerate(node_cols)}
    ekeys = {c: f"e{i}" for i, c in enumerate(edge_cols)}
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
            '<key id="g0" for="graph" attr.name="directed_layers" attr.type="string"/>']
    for cols, keys, frame, what in ((node_cols, nkeys, nodes, "node"), (edge_cols, ekeys, edges, "edge")):
        for c in cols:
            name = _xml_escape(pd.Series([c])).iloc[0]
            head.append(f'<key id="{keys[c]}" for="{what}" attr.name="{name}" '
                        f'attr.type="{_xml_type(frame[c])}"/>')
    directed = ",".join(sorted(net.directed_layers))
    # networkx and igraph refuse GraphML that mixes directed and undirected edges, so the
    # whole graph takes one default and kumenet keeps the per-layer truth in directed_layers.
    default = "directed" if net.directed_layers & set(net.layers) else "undirected"
    head += [f'<graph id="G" edgedefault="{default}">',
             f'<data key="g0">{_xml_escape(pd.Series([directed])).iloc[0]}</data>']

    def tag(key, text):
        return f'<data key="{key}">' + text + "</data>"

    node_lines = ('<node id="' + _xml_escape(nodes["id"]) + '">'
                  + _data_elements(nodes, nkeys, tag) + "</node>")
    edge_lines = ('<edge source="' + _xml_escape(edges["source"]) + '" target="'
                  + _xml_escape(edges["target"]) + '">'
                  + _data_elements(edges, ekeys, tag) + "</edge>")
    _write_lines(path, head, [node_lines, edge_lines], ["</graph>", "</graphml>"])


def _write_gexf(net: Network, path: Path, viz: pd.Series | None = None) -> None:
    """GEXF 1.3 for Gephi, each edge with its own direction (Gephi's mixed graphs).

    ``viz``: per node, ``viz:`` elements (colour, position, size) written after its values.
    """
    nodes, edges = net.nodes, net.edges
    node_cols = [c for c in nodes.columns if c not in ("id", "name")]
    edge_cols = [c for c in edges.columns if c not in ("source", "target", "weight")]
    nkeys = {c: str(i) for i, c in enumerate(node_cols)}
    ekeys = {c: str(i) for i, c in enumerate(edge_cols)}
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" '
            'version="1.3">',
            '<meta><creator>kumenet</creator></meta>',
            '<graph mode="static" defaultedgetype="undirected">']
    for cols, keys, frame, what in ((node_cols, nkeys, nodes, "node"), (edge_cols, ekeys, edges, "edge")):
        head.append(f'<attributes class="{what}">')
        for c in cols:
            name = _xml_escape(pd.Series([c])).iloc[0]
            head.append(f'<attribute id="{keys[c]}" title="{name}" type="{_xml_type(frame[c])}"/>')
        head.append("</attributes>")
    head.append("<nodes>")

    def tag(key, text):
        return f'<attvalue for="{key}" value="' + text + '"/>'

    node_lines = ('<node id="' + _xml_escape(nodes["id"]) + '" label="'
                  + _xml_escape(nodes["name"]) + '"><attvalues>'
                  + _data_elements(nodes, nkeys, tag) + "</attvalues>"
                  + ("" if viz is None else viz.to_numpy(dtype=object)) + "</node>")
    is_dir = edges["layer"].astype(object).isin(list(net.directed_layers))
    edge_lines = ('<edge id="' + pd.Series(np.arange(len(edges)), index=edges.index).astype(str)
                  + '" source="' + _xml_escape(edges["source"]) + '" target="'
                  + _xml_escape(edges["target"]) + '" type="'
                  + is_dir.map({True: "directed", False: "undirected"}).astype(object)
                  + '" weight="' + _value_text(edges["weight"]).astype(object) + '"><attvalues>'
                  + _data_elements(edges, ekeys, tag) + "</attvalues></edge>")
    _write_lines(path, head, [node_lines, pd.Series(["</nodes>", "<edges>"]), edge_lines],
                 ["</edges>", "</graph>", "</gexf>"])


class _Refused(Exception):
    """An XML construct kumenet does not read (raised inside expat's handlers)."""

    def __init__(self, what: str, line: int, column: int):
        super().__init__(what)
        self.what, self.line, self.column = what, line, column


class _XmlCollector:
    """Collects node and edge records (attribute dicts and line numbers) with expat."""

    def __init__(self, path: Path):
        self.path = path
        self.keys: dict[tuple[str, str], str] = {}  # (class, key id) -> attribute name
        self._what = ""
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.node_lines: list[int] = []
        self.edge_lines: list[int] = []
        self.graph: dict[str, str] = {}
        self.default_directed = False
        self._current: dict | None = None
        self._data_key: str | None = None
        self._text: list[str] = []
        self._class = None
        self.problems: list[Problem] = []

    def parse(self) -> None:
        """Parse the file with expat; entity declarations and external references are refused.

        What defusedxml refuses is refused here too: an entity declared in the document
        (billion laughs, quadratic blow-up) or an external entity or DTD (a file or URL read
        into a value). Expat would otherwise expand the first and silently drop the second.
        """
        label = str(self.path)
        check_regular_file(self.path, label)
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = lambda data: self._text.append(data)
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse(what):
            def handler(*args):
                raise _Refused(what, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            return handler

        parser.EntityDeclHandler = refuse("declares an entity (<!ENTITY ...>)")
        parser.UnparsedEntityDeclHandler = refuse("declares an entity (<!ENTITY ...>)")
        parser.ExternalEntityRefHandler = refuse("refers to an external entity")
        try:
            with open(self.path, "rb") as fh:
                parser.ParseFile(fh)
        except _Refused as err:
            raise InputDataError([Problem(label, err.line, err.column, None,
                                          f"{err.what}; kumenet refuses entities in GraphML "
                                          "and GEXF, which can read other files or blow up in "
                                          "memory")]) from None
        except xml.parsers.expat.ExpatError as err:
            raise InputDataError([Problem(label, err.lineno, err.offset + 1, None,
                                          f"is not well-formed XML: "
                                          f"{xml.parsers.expat.ErrorString(err.code)}")]) from err
        except (LookupError, ValueError) as err:  # <?xml encoding="..."?> Python does not know
            raise InputDataError([Problem(label, 1, None, None,
                                          f"declares an encoding kumenet cannot read ({err}); "
                                          "save it as UTF-8")]) from err
        except OSError as err:
            raise InputDataError([Problem(label, None, None, None,
                                          f"cannot be read: {err}")]) from err
        if self.problems:
            raise InputDataError(self.problems)

    def start(self, name: str, attrs: dict) -> None:
        tag = name.rsplit(" ", 1)[-1]
        line = self.parser.CurrentLineNumber
        if tag in ("key", "attribute"):
            ident = attrs.get("id", "")
            what = attrs.get("for", self._class or "")
            name = attrs.get("attr.name" if tag == "key" else "title", ident)
            self.keys[(what, ident)] = name
            if tag == "key":  # GraphML key ids are unique across classes
                self.keys[("", ident)] = name
        elif tag == "attributes":
            self._class = attrs.get("class")
        elif tag == "graph":
            default = attrs.get("edgedefault", attrs.get("defaultedgetype", "undirected"))
            self.default_directed = default == "directed"
            self._current = self.graph
        elif tag == "node":
            self._what = "node"
            self._current = {"id": attrs.get("id")}
            if "label" in attrs:
                self._current["name"] = attrs["label"]
            self.nodes.append(self._current)
            self.node_lines.append(line)
        elif tag == "edge":
            rec = {"source": attrs.get("source"), "target": attrs.get("target")}
            if "weight" in attrs:
                rec["weight"] = attrs["weight"]
            kind = attrs.get("directed", attrs.get("type"))
            rec["__directed"] = (kind in ("true", "directed")) if kind is not None \
                else self.default_directed
            self._what = "edge"
            self._current = rec
            self.edges.append(rec)
            self.edge_lines.append(line)
        elif tag == "attvalue" and self._current is not None:
            key = attrs.get("for", attrs.get("id"))
            name = self.keys.get((self._what, key), key)
            if "value" not in attrs or key is None:
                self.problems.append(Problem(str(self.path), line, None, name,
                                             "<attvalue> needs 'for' and 'value' attributes"))
            else:
                self._current[name] = attrs["value"]
        elif tag == "data":
            self._data_key = attrs.get("key")
            self._text = []

    def end(self, name: str) -> None:
        tag = name.rsplit(" ", 1)[-1]
        if tag == "data" and self._current is not None and self._data_key is not None:
            key = self._data_key
            self._current[self.keys.get(("", key), key)] = "".join(self._text)
            self._data_key = None

    def tables(self, decimal):
        label = str(self.path)
        nodes = pd.DataFrame(self.nodes, dtype=object)
        edges = pd.DataFrame(self.edges, dtype=object)
        if not len(nodes):
            raise InputDataError([Problem(label, None, None, None, "has no nodes")])
        directed_edges = edges.pop("__directed") if "__directed" in edges else pd.Series(dtype=bool)
        raw_nodes = RawTable(nodes, label, np.asarray(self.node_lines),
                             {c: None for c in nodes.columns}, decimal)
        raw_edges = RawTable(edges, label, np.asarray(self.edge_lines),
                             {c: None for c in edges.columns}, decimal)
        declared = None
        if "directed_layers" in self.graph:
            declared = {s for s in self.graph["directed_layers"].split(",") if s}
        elif "layer" in edges and len(edges):
            # A layer is directed when its ties are (GEXF and Gephi's GraphML say per edge).
            by_layer = directed_edges.astype(bool).groupby(edges["layer"].astype(str)).all()
            declared = set(by_layer[by_layer].index)
        return raw_nodes, raw_edges, declared


def _read_xml(path: Path, sep, decimal, encoding):
    """GraphML and GEXF alike: both name attributes in keys and nodes and edges in elements."""
    collector = _XmlCollector(path)
    collector.parse()
    return collector.tables(decimal)


READERS = {
    "csv": _read_csv_folder,
    "csv.gz": _read_csv_folder,
    "parquet": _read_parquet_folder,
    "xlsx": _read_xlsx,
    "graphml": _read_xml,
    "gexf": _read_xml,
}
WRITERS = {
    "csv": _write_csv_folder,
    "csv.gz": lambda net, path: _write_csv_folder(net, path, compress=True),
    "parquet": _write_parquet_folder,
    "xlsx": _write_xlsx,
    "graphml": _write_graphml,
    "gexf": _write_gexf,
}
#: Network formats, for the CLI's choices and the docs.
FORMATS = tuple(WRITERS)
