"""Parquet folders: ``nodes.parquet`` and ``edges.parquet``, or edges partitioned by
column (``edges/year=2019/part-0.parquet``); Arrow columns checked and turned into pandas.

Part of :mod:`kumenet.graph.io`, which chooses the format."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from kumenet.arrays import distinct_type, run_starts
from kumenet.errors import InputDataError, KumenetError, Problem, clip
from kumenet.files import atomic_path
from kumenet.graph.formats.csv import layers_file
from kumenet.graph.formats.layers import layer_table
from kumenet.graph.network import Network
from kumenet.graph.textfile import MAX_COLUMNS, check_regular_file, inflate_limit
from kumenet.graph.validate import EDGE_ALIASES, CheckedParts, RawTable, check_part
from kumenet.text import fold


__all__ = ["parquet_frame", "arrow_frame", "read_parquet_folder", "write_parquet_folder"]


def parquet_frame(file: Path, distinct: bool = True) -> pd.DataFrame:
    """A Parquet file as a DataFrame; refuses files that would inflate out of proportion.
    ``distinct``: see :func:`arrow_frame`.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / 'nodes.parquet'
    >>> pd.DataFrame({'id': ['a', 'b'], 'il': ['Samsun', 'Samsun']}).to_parquet(path)
    >>> frame = parquet_frame(path)
    >>> frame['il'].tolist(), str(frame['il'].dtype)
    (['Samsun', 'Samsun'], 'string')
    """
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

    >>> import pyarrow as pa
    >>> frame = arrow_frame(pa.table({'id': ['a', 'b'], 'employees': [12, None]}))
    >>> frame['employees'].tolist()
    [12.0, nan]
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


def read_parquet_folder(path: Path, sep, decimal, encoding, as_of=None):
    """The raw (or, partitioned, checked) node and edge tables of a Parquet folder and its
    declared directed layers; partitions after ``as_of`` are not read.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network, write_network
    >>> net = read_network('sample_networks/pilot')
    >>> folder = write_network(net, Path(tempfile.mkdtemp()) / 'p', 'parquet')
    >>> nodes, edges, directed = read_parquet_folder(folder, None, None, None)
    >>> len(nodes.frame), len(edges.frame)
    (757, 6920)
    """
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
        tables.append(RawTable.from_frame(parquet_frame(file, distinct=stem == "nodes"),
                                          str(file), decimal=decimal))
    return tables[0], tables[1], layers_file(path)


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


def write_parquet_folder(net: Network, path: Path, partition_by: str | None = None) -> None:
    """Write ``net`` as ``nodes.parquet`` and ``edges.parquet`` (or edges partitioned by
    ``partition_by``, ``edges/year=2019/part-0.parquet``) and ``layers.csv``.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.mkdtemp()) / 'parts'
    >>> write_parquet_folder(read_network('sample_networks/pilot'), folder, partition_by='year')
    >>> sorted(p.name for p in (folder / 'edges').iterdir())[:2]
    ['year=2015', 'year=2016']
    """
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
        layer_table(net).to_csv(tmp / "layers.csv", index=False)
