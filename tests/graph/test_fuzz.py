"""Fuzzing every reader: any bytes give a Network or an InputDataError, within a time bound.

Inputs are generated two ways: from the grammar of each format (headers, separators, cells
people type, XML elements), so that they reach validation, and by damaging valid files
(flipped, cut or repeated bytes), so that they hit the parsers. ``make test`` runs a fixed,
derandomised sample (profile ``ci``); ``make fuzz`` runs many more, at random (profile
``fuzz``; ``KUMENET_FUZZ_EXAMPLES`` sets how many).
"""

from __future__ import annotations

import gzip
import io
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kumenet.errors import InputDataError
from kumenet.graph.io import read_network, write_network
from kumenet.graph.network import Network
from tests.conftest import TINY_EDGES, TINY_NODES

pytestmark = pytest.mark.slow

SETTINGS = dict(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

HEADERS = ["id", "kind", "name", "kimlik", "tür", "ad", "province", "il", "sector", "country",
           "employees", "çalışan sayısı", "exports_usd", "ihracat", "founded", "subtype",
           "source", "target", "layer", "weight", "year", "kaynak", "hedef", "katman",
           "ağırlık", "yıl", "id ", "", "x", "İD", "ıd", "a,b", 'q"q']
CELLS = ["a", "b", "c", "firm", "institution", "firma", "kurum", "supply", "tedarik",
         "collaboration", "Samsun", "ÇORUM", "K.Maraş", "Gazintep", "TR", "DE", "Türkiye",
         "1", "2", "1.200", "1,5", "1.500,5", "2147483648", "1e19", "-3", "0", "NaN", "inf",
         "2015", "2020.5", "", " ", '"', "\n", "İı", "\x00", "x" * 300, "=1/0", "13.20", "01",
         "15.03.2019", "31.02.2019", "03/15/2019", "1.1.2000", "2019-10-16 00:00:00",
         "15.03.2019 25:61"]
SEPARATORS = [",", ";", "\t"]


ROOT: list[Path] = []


@pytest.fixture(autouse=True, scope="module")
def _root(tmp_path_factory):
    """Every example writes under one pytest temporary folder."""
    ROOT[:] = [tmp_path_factory.mktemp("fuzz")]
    yield


def workdir() -> Path:
    return Path(tempfile.mkdtemp(dir=ROOT[0]))


def outcome(path: Path, **options) -> None:
    """The property: a Network, or an InputDataError whose problems name the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            net = read_network(path, **options)
        except InputDataError as err:
            assert err.problems and all(p.file for p in err.problems)
            assert len(str(err)) < 20_000  # messages clip cells and list at most 20 problems
            return
    assert isinstance(net, Network)


@st.composite
def csv_text(draw) -> str:
    sep = draw(st.sampled_from(SEPARATORS))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(st.sampled_from(CELLS) | st.text(max_size=6), min_size=0,
                                  max_size=len(header) + 1), max_size=8))

    def cell(text):
        if any(ch in text for ch in (sep, '"', "\n", "\r")) and draw(st.booleans()):
            return '"' + text.replace('"', '""') + '"'
        return text
    lines = [sep.join(cell(h) for h in header)] + [sep.join(cell(c) for c in r) for r in rows]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


def valid_csv() -> tuple[bytes, bytes]:
    return (TINY_NODES.to_csv(index=False).encode(), TINY_EDGES.to_csv(index=False).encode())


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, cut, inserted or repeated."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        how = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if how == "flip":
            out[at] = draw(st.integers(0, 255))
        elif how == "cut":
            del out[at:at + draw(st.integers(1, 16))]
        elif how == "insert":
            out[at:at] = draw(st.binary(max_size=8))
        elif how == "repeat":
            out[at:at] = out[at:at + draw(st.integers(1, 64))] * draw(st.integers(1, 4))
        else:
            del out[at:]
    return bytes(out)


def write_folder(nodes: bytes, edges: bytes, suffix=".csv") -> Path:
    path = workdir()
    (path / f"nodes{suffix}").write_bytes(nodes)
    (path / f"edges{suffix}").write_bytes(edges)
    return path


@settings(**SETTINGS)
@given(nodes=csv_text(), edges=csv_text(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1254"]),
       decimal=st.sampled_from([None, ".", ","]))
def test_csv_folders_from_the_grammar(nodes, edges, encoding, decimal):
    outcome(write_folder(nodes.encode(encoding, "replace"), edges.encode(encoding, "replace")),
            decimal=decimal)


@settings(**SETTINGS)
@given(data=st.data())
def test_csv_folders_damaged(data):
    nodes, edges = valid_csv()
    outcome(write_folder(data.draw(damaged(nodes)), data.draw(damaged(edges))))


@settings(**SETTINGS)
@given(nodes=st.binary(max_size=512), edges=st.binary(max_size=512))
def test_csv_folders_of_any_bytes(nodes, edges):
    outcome(write_folder(nodes, edges))


@settings(**SETTINGS)
@given(data=st.data(), compressed=st.booleans())
def test_gzip_folders(data, compressed):
    nodes, edges = data.draw(csv_text()).encode(), data.draw(csv_text()).encode()
    if compressed:
        nodes, edges = gzip.compress(nodes), gzip.compress(edges)
    nodes = data.draw(damaged(nodes)) if data.draw(st.booleans()) else nodes
    outcome(write_folder(nodes, edges, ".csv.gz"))


def _valid_bytes(fmt: str) -> bytes:
    path = workdir() / f"net.{fmt}"
    write_network(Network.from_frames(TINY_NODES, TINY_EDGES), path, fmt)
    return path.read_bytes()


VALID = {}


def valid(fmt: str) -> bytes:
    if fmt not in VALID:
        VALID[fmt] = _valid_bytes(fmt)
    return VALID[fmt]


@pytest.mark.parametrize("fmt", ["xlsx", "graphml", "gexf"])
@settings(**SETTINGS)
@given(data=st.data())
def test_single_file_formats_damaged(fmt, data):
    path = workdir() / f"net.{fmt}"
    path.write_bytes(data.draw(damaged(valid(fmt))))
    outcome(path)


@pytest.mark.parametrize("fmt", ["xlsx", "graphml", "gexf"])
@settings(**SETTINGS)
@given(blob=st.binary(max_size=1024))
def test_single_file_formats_of_any_bytes(fmt, blob):
    path = workdir() / f"net.{fmt}"
    path.write_bytes(blob)
    outcome(path)


@st.composite
def xml_text(draw, fmt: str) -> str:
    """GraphML or GEXF built from its elements, with hostile attribute values and entities."""
    value = st.sampled_from(CELLS) | st.text(max_size=8)

    def esc(text):
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    decl = draw(st.sampled_from(['<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>',
                                 '<?xml version="1.0" encoding="ISO-8859-9"?>',
                                 '<?xml version="1.0" encoding="nope"?>', ""]))
    doctype = draw(st.sampled_from(["", '<!DOCTYPE g [<!ENTITY e "x">]>',
                                    '<!DOCTYPE g SYSTEM "http://example.org/g.dtd">']))
    keys = ["kind", "layer", "weight", "year", "employees", "name"]
    ids = ["a", "b", "c", "", "a"]
    if fmt == "graphml":
        head = "".join(f'<key id="k{i}" for="{draw(st.sampled_from(["node", "edge", "graph"]))}" '
                       f'attr.name="{k}"/>' for i, k in enumerate(keys))
        nodes = "".join(f'<node id="{esc(draw(st.sampled_from(ids)))}">'
                        + "".join(f'<data key="k{draw(st.integers(0, 6))}">{esc(draw(value))}</data>'
                                  for _ in range(draw(st.integers(0, 3)))) + "</node>"
                        for _ in range(draw(st.integers(0, 4))))
        edges = "".join(f'<edge source="{draw(st.sampled_from(ids))}" target="{draw(st.sampled_from(ids))}">'
                        + "".join(f'<data key="k{draw(st.integers(0, 6))}">{esc(draw(value))}</data>'
                                  for _ in range(draw(st.integers(0, 3)))) + "</edge>"
                        for _ in range(draw(st.integers(0, 4))))
        body = f'<graphml>{head}<graph edgedefault="undirected">{nodes}{edges}</graph></graphml>'
    else:
        attrs = "".join(f'<attribute id="{i}" title="{k}" type="string"/>' for i, k in enumerate(keys))

        def values():
            return "<attvalues>" + "".join(
                f'<attvalue for="{draw(st.integers(0, 6))}"'
                + (f' value="{esc(draw(value))}"' if draw(st.booleans()) else "") + "/>"
                for _ in range(draw(st.integers(0, 3)))) + "</attvalues>"
        nodes = "".join(f'<node id="{esc(draw(st.sampled_from(ids)))}" label="{esc(draw(value))}">'
                        f"{values()}</node>" for _ in range(draw(st.integers(0, 4))))
        edges = "".join(f'<edge source="{draw(st.sampled_from(ids))}" target="{draw(st.sampled_from(ids))}" '
                        f'weight="{esc(draw(value))}">{values()}</edge>'
                        for _ in range(draw(st.integers(0, 4))))
        body = (f'<gexf><graph><attributes class="node">{attrs}</attributes>'
                f'<attributes class="edge">{attrs}</attributes><nodes>{nodes}</nodes>'
                f"<edges>{edges}</edges></graph></gexf>")
    return decl + doctype + body


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@settings(**SETTINGS)
@given(data=st.data())
def test_xml_from_the_grammar(fmt, data):
    path = workdir() / f"net.{fmt}"
    path.write_text(data.draw(xml_text(fmt)), encoding="utf-8")
    outcome(path)


@st.composite
def workbook_bytes(draw) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = draw(st.sampled_from(["nodes", "Nodes", " NODES ", "düğümler",
                                              "DÜĞÜMLER", "Firmalar", "Sheet"]))
    sheets = [book.active] + [book.create_sheet(name) for name in
                              draw(st.lists(st.sampled_from(["edges", "Edges ", "İLİŞKİLER",
                                                             "ilişkiler", "Kurumlar", "layers",
                                                             "x"]),
                                            unique_by=lambda t: t.strip().lower(),
                                            max_size=3))]
    import datetime as dt

    cell = (st.sampled_from(CELLS) | st.integers(-10**20, 10**20) | st.floats(allow_nan=True)
            | st.booleans() | st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
            | st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)))
    for sheet in sheets:
        for _ in range(draw(st.integers(0, 6))):
            row = [draw(cell) if i else draw(st.sampled_from(HEADERS))
                   for i in range(draw(st.integers(0, 6)))]
            sheet.append([v.replace("\x00", "") if isinstance(v, str) else v for v in row])
        if draw(st.booleans()):
            sheet.cell(row=draw(st.integers(1, 1_048_576)), column=draw(st.integers(1, 16_384)),
                       value=draw(st.sampled_from(["x", "=1/0", 3])))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(**SETTINGS)
@given(blob=workbook_bytes())
def test_workbooks_from_the_grammar(blob):
    path = workdir() / "net.xlsx"
    path.write_bytes(blob)
    outcome(path)


@settings(**SETTINGS)
@given(data=st.data())
def test_parquet_folders_damaged(data):
    path = workdir()
    write_network(Network.from_frames(TINY_NODES, TINY_EDGES), path / "net", "parquet")
    for stem in ("nodes", "edges"):
        file = path / "net" / f"{stem}.parquet"
        file.write_bytes(data.draw(damaged(file.read_bytes())))
    outcome(path / "net")


@settings(**SETTINGS)
@given(data=st.data())
def test_partitioned_parquet_folders_damaged(data):
    """A folder of parts with damaged files, parts renamed to anything, parts of other types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = workdir()
    edges = TINY_EDGES.assign(year=TINY_EDGES["year"].astype("Int64"))
    write_network(Network.from_frames(TINY_NODES, edges), path / "net", "parquet",
                  partition_by=data.draw(st.sampled_from(["year", "layer"])))
    parts = sorted((path / "net" / "edges").iterdir())
    victim = data.draw(st.sampled_from(parts))
    action = data.draw(st.sampled_from(["damage", "rename", "retype", "empty"]))
    file = victim / "part-0.parquet"
    if action == "damage":
        file.write_bytes(data.draw(damaged(file.read_bytes())))
    elif action == "rename":
        name = data.draw(st.text(st.characters(blacklist_characters="/\x00",
                                               blacklist_categories=("Cs",)),
                                 min_size=1, max_size=12).filter(lambda s: s not in (".", "..")))
        victim.rename(victim.parent / name)
    elif action == "retype":
        table = pq.read_table(file)
        column = data.draw(st.sampled_from(table.column_names))
        values = data.draw(st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=5)),
                                    min_size=table.num_rows, max_size=table.num_rows))
        as_text = pa.array([None if v is None else str(v) for v in values], pa.string())
        pq.write_table(table.set_column(table.column_names.index(column), column, as_text), file)
    else:
        file.unlink()
    from kumenet.errors import KumenetError

    try:
        outcome(path / "net", as_of=data.draw(st.sampled_from([None, 2010, 2019])))
    except KumenetError as err:  # an as_of year before every partition
        assert not isinstance(err, InputDataError) and "no ties up to 2010" in str(err)


NODE_CELLS = {
    "kind": ["firm", " FİRMA", "kurum", "Firm ", "institution", "şirket", "x", "", None],
    "subtype": ["foreign buyer", "Supplier", "", None, "İç Alıcı"],
    "country": ["TR", "tr", "Türkiye", "DE", " de", "XX", "Turkey", "", None],
    "province": ["SAMSUN", "çorum", "K.Maraş", "Gazintep", "Bayern", "istanbul ", "", None],
    "region": ["TR83", "DE2", "", None],
    "sector": ["1", "13.10", "01", "10.83", "x", "", None],
}


@settings(**SETTINGS)
@given(data=st.data())
def test_dictionary_encoded_node_columns_read_as_their_text(data):
    """Node columns are normalised once per distinct value: the same cells as
    dictionary-encoded Parquet (as other programs write categories) and as CSV give the same
    network, or the same problems."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = data.draw(st.integers(1, 12))
    ids = [f"n{i}" for i in range(n)]
    if data.draw(st.booleans()):  # a repeated id, or one with stray spaces
        ids[data.draw(st.integers(0, n - 1))] = data.draw(st.sampled_from(["n0", " n0"]))
    cells = {"id": ids}
    for column, values in NODE_CELLS.items():
        if data.draw(st.booleans()) or column == "kind":
            cells[column] = data.draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))
    folder = workdir()
    (folder / "pq").mkdir()
    (folder / "csv").mkdir()
    plain_ids = data.draw(st.booleans())
    nodes = pa.table({k: pa.array(v, pa.string()) if k == "id" and plain_ids
                      else pa.array(v, pa.string()).dictionary_encode() for k, v in cells.items()})
    targets = [f"n{i}" for i in range(1, n)] or ["n0"]
    edges = pa.table({"source": ["n0"] * len(targets), "target": targets,
                      "layer": ["supply"] * len(targets)})
    pq.write_table(nodes, folder / "pq" / "nodes.parquet")
    pq.write_table(edges, folder / "pq" / "edges.parquet")
    pd.DataFrame(cells).to_csv(folder / "csv" / "nodes.csv", index=False)
    edges.to_pandas().to_csv(folder / "csv" / "edges.csv", index=False)
    results = []
    for kind in ("pq", "csv"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                results.append(read_network(folder / kind))
            except InputDataError as err:
                results.append([(p.line, p.column_name, p.message) for p in err.problems])
    if isinstance(results[0], Network) and isinstance(results[1], Network):
        assert results[0].equals(results[1])
    else:
        assert results[0] == results[1]


def _arrow_column(draw, n: int):
    """A column of ``n`` cells of a type other programs write to Parquet: text, bytes (UTF-8
    or not), numbers, dates, times, nulls, and nested types (lists, records, maps)."""
    import datetime as dt

    import pyarrow as pa

    text = st.sampled_from(["a", "b", "c", "firm", "supply", "Samsun", "13.20", "1.200", ""])
    kind = draw(st.sampled_from(["string", "large_string", "binary", "bad_binary", "fixed",
                                 "dict_binary", "dict_string", "int", "float", "decimal",
                                 "bool", "date", "timestamp", "duration", "null", "list",
                                 "struct", "map"]))
    cells = draw(st.lists(text, min_size=n, max_size=n))
    if kind in ("string", "large_string", "dict_string"):
        array = pa.array(cells, pa.large_string() if kind == "large_string" else pa.string())
        return array.dictionary_encode() if kind == "dict_string" else array
    if kind in ("binary", "dict_binary"):
        array = pa.array([c.encode() for c in cells], pa.binary())
        return array.dictionary_encode() if kind == "dict_binary" else array
    if kind == "bad_binary":
        return pa.array([draw(st.binary(max_size=4)) for _ in range(n)], pa.binary())
    if kind == "fixed":
        return pa.array([draw(st.binary(min_size=2, max_size=2)) for _ in range(n)],
                        pa.binary(2))
    if kind == "int":
        return pa.array(draw(st.lists(st.integers(-2**40, 2**40) | st.none(), min_size=n,
                                      max_size=n)), pa.int64())
    if kind == "float":
        return pa.array(draw(st.lists(st.floats() | st.none(), min_size=n, max_size=n)))
    if kind == "decimal":
        return pa.array([None] * n, pa.decimal128(8, 2)) if draw(st.booleans()) else \
            pa.array([__import__("decimal").Decimal("12.50")] * n, pa.decimal128(8, 2))
    if kind == "bool":
        return pa.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if kind == "date":
        return pa.array(draw(st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
                                      | st.none(), min_size=n, max_size=n)), pa.date32())
    if kind == "timestamp":
        return pa.array(draw(st.lists(st.datetimes(dt.datetime(1900, 1, 1),
                                                   dt.datetime(2100, 1, 1)),
                                      min_size=n, max_size=n)), pa.timestamp("us"))
    if kind == "duration":
        return pa.array(draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n)),
                        pa.duration("s"))
    if kind == "null":
        return pa.nulls(n)
    if kind == "list":
        return pa.array([[c] for c in cells])
    if kind == "struct":
        return pa.array([{"code": c} for c in cells])
    return pa.array([[("k", c)] for c in cells], pa.map_(pa.string(), pa.string()))


@settings(**SETTINGS)
@given(data=st.data())
def test_parquet_columns_of_any_type(data):
    """Parquet folders whose columns are of any type other programs write (bytes that are
    or are not UTF-8, lists, records, maps, dates, durations), under any name (the
    contract's, dotted, repeated): a network or a message naming the file and column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = workdir()
    for stem, required in (("nodes", ["id", "kind"]), ("edges", ["source", "target", "layer"])):
        n = data.draw(st.integers(1, 4))
        names = required + data.draw(st.lists(st.sampled_from(
            ["name", "sector", "province", "founded", "year", "weight", "a.b", "kişi.telefon",
             "id", "layer", ""]), max_size=3))
        columns = [_arrow_column(data.draw, n) if data.draw(st.booleans()) or name not in
                   required else pa.array(data.draw(st.lists(st.sampled_from(["a", "b", "firm",
                                                                            "supply"]),
                                                            min_size=n, max_size=n)))
                   for name in names]
        pq.write_table(pa.Table.from_arrays(columns, names=names), folder / f"{stem}.parquet")
    outcome(folder)
