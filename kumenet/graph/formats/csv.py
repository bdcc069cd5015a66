"""CSV folders: ``nodes.csv`` and ``edges.csv`` (or ``.csv.gz``), and ``layers.csv``.

Part of :mod:`kumenet.graph.io`, which chooses the format."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from kumenet.errors import InputDataError, Problem
from kumenet.files import atomic_path
from kumenet.graph.formats.layers import declared_layers, layer_table
from kumenet.graph.network import Network
from kumenet.graph.textfile import read_csv_frame
from kumenet.graph.validate import RawTable


__all__ = ["read_csv", "layers_file", "read_csv_folder", "write_csv_folder", "write_csv_tables"]


def read_csv(path: Path, sep: str | None, decimal: str | None,
              encoding: str | None, label: str) -> RawTable:
    """One CSV file as a raw table (text cells, line numbers, the separator and encoding found).

    >>> raw = read_csv(Path('sample_networks/pilot/edges.csv'), None, None, None, 'edges.csv')
    >>> len(raw.frame), list(raw.frame.columns[:3])
    (6920, ['source', 'target', 'layer'])
    """
    frame, lines, sep, enc = read_csv_frame(path, label, sep, encoding)
    raw = RawTable.from_frame(frame, label, decimal=decimal)
    raw.lines, raw.sep, raw.encoding = lines, sep, enc
    return raw


def layers_file(path: Path) -> set[str] | None:
    """The directed layers ``layers.csv`` of a folder names, None without one.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> layers_file(folder) is None
    True
    >>> _ = (folder / 'layers.csv').write_text('layer,directed' + chr(10) + 'tedarik,evet' + chr(10))
    >>> layers_file(folder)
    {'tedarik'}
    """
    file = path / "layers.csv"
    if not os.path.lexists(file):
        return None
    return declared_layers(read_csv(file, None, None, None, str(file)))


def read_csv_folder(path: Path, sep, decimal, encoding):
    """The raw node and edge tables of a CSV folder and its declared directed layers.

    >>> nodes, edges, directed = read_csv_folder(Path('sample_networks/pilot'), None, None, None)
    >>> len(nodes.frame), len(edges.frame), directed
    (757, 6920, None)
    """
    tables = []
    for stem in ("nodes", "edges"):
        file = next((path / f"{stem}{ext}" for ext in (".csv", ".csv.gz")
                     if os.path.lexists(path / f"{stem}{ext}")), None)
        if file is None:
            raise InputDataError([Problem(str(path), None, None, None,
                                          f"{stem}.csv (or {stem}.csv.gz) is missing")])
        tables.append(read_csv(file, sep, decimal, encoding, str(file)))
    return tables[0], tables[1], layers_file(path)


def _arrow_table(frame: pd.DataFrame):
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
            for c in table.columns]
    return pa.table(cols, names=table.column_names)


def write_csv_folder(net: Network, path: Path, compress: bool = False) -> None:
    """Write ``net`` as ``nodes.csv``, ``edges.csv`` and ``layers.csv`` (gzip-compressed
    with ``compress``) into the folder ``path``.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> folder = Path(tempfile.mkdtemp()) / 'out'
    >>> write_csv_folder(net, folder, compress=True)
    >>> sorted(p.name for p in folder.iterdir())
    ['edges.csv.gz', 'layers.csv', 'nodes.csv.gz']
    """
    with atomic_path(path, folder=True) as tmp:
        write_csv_tables(net.nodes, net.edges, tmp, compress)
        layer_table(net).to_csv(tmp / "layers.csv", index=False)


def write_csv_tables(nodes: pd.DataFrame, edges: pd.DataFrame, folder: Path,
                     compress: bool = False) -> None:
    """``nodes.csv`` and ``edges.csv`` (or ``.csv.gz``) in ``folder``, UTF-8 with a BOM.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> nodes = pd.DataFrame({'id': ['a', 'b'], 'kind': ['firm', 'firm']})
    >>> edges = pd.DataFrame({'source': ['a'], 'target': ['b'], 'layer': ['supply']})
    >>> write_csv_tables(nodes, edges, folder)
    >>> (folder / 'edges.csv').read_text(encoding='utf-8-sig').splitlines()
    ['"source","target","layer"', '"a","b","supply"']
    """
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
