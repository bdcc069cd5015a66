"""Hostile and damaged input: one clear message, exit code 1, never a traceback or a hang.

Every case here once crashed kumenet with a traceback, blocked for ever, or ran out of memory.
``CASES`` is the registry: each case builds an input under ``tmp_path`` and names the message
a user must see. The same registry runs through the library (an :class:`InputDataError`) and
through the command line (``Error: ...``, exit code 1, and never the exit code 3 of the net
that catches internal errors).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from kumenet.errors import InputDataError
from kumenet.graph.io import read_network

N = "id,kind\na,firm\nb,firm\n"
E = "source,target,layer,year\na,b,collaboration,2015\n"


def folder(tmp_path: Path, nodes=N, edges=E, gz=False, layers=None) -> Path:
    path = tmp_path / "net"
    path.mkdir(parents=True)
    for stem, data in (("nodes", nodes), ("edges", edges)):
        data = data.encode("utf-8") if isinstance(data, str) else data
        if gz:
            (path / f"{stem}.csv.gz").write_bytes(gzip.compress(data))
        else:
            (path / f"{stem}.csv").write_bytes(data)
    if layers is not None:
        (path / "layers.csv").write_text(layers)
    return path


def workbook(tmp_path: Path, edges=None, layers=None, extra=None) -> Path:
    book = openpyxl.Workbook()
    nodes = book.active
    nodes.title = "nodes"
    for row in (["id", "kind"], ["a", "firm"], ["b", "firm"]):
        nodes.append(row)
    sheet = book.create_sheet("edges")
    for row in edges or (["source", "target", "layer"], ["a", "b", "supply"]):
        sheet.append(row)
    if layers is not None:
        sheet = book.create_sheet("layers")
        for row in layers:
            sheet.append(row)
    if extra:
        extra(book)
    path = tmp_path / "net.xlsx"
    book.save(path)
    return path


def text_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def damaged_gz(tmp_path):
    path = folder(tmp_path)
    (path / "nodes.csv").unlink()
    (path / "nodes.csv.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip at all")
    return path


def truncated_gz(tmp_path):
    path = folder(tmp_path)
    (path / "nodes.csv").unlink()
    (path / "nodes.csv.gz").write_bytes(gzip.compress(N.encode())[:-10])
    return path


def fifo(tmp_path):
    path = folder(tmp_path)
    (path / "nodes.csv").unlink()
    os.mkfifo(path / "nodes.csv")
    return path


def dev_zero(tmp_path):
    path = folder(tmp_path)
    (path / "nodes.csv").unlink()
    os.symlink("/dev/zero", path / "nodes.csv")
    return path


GRAPHML_XXE = ('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
               '<graphml><key id="k" for="node" attr.name="kind"/><graph>'
               '<node id="a"><data key="k">&x;</data></node></graph></graphml>')
GRAPHML_BOMB = ('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><graphml><graph>'
                '<node id="&b;"/></graph></graphml>')
GEXF_NO_VALUE = ('<?xml version="1.0"?><gexf><graph><attributes class="node">'
                 '<attribute id="0" title="kind" type="string"/></attributes><nodes>'
                 '<node id="a"><attvalues><attvalue for="0"/></attvalues></node></nodes>'
                 '<edges/></graph></gexf>')

#: name -> (build the input under tmp_path, what the message must say)
CASES = {
    "year 2^31": (lambda t: folder(t, edges="source,target,layer,year\na,b,x,2147483648\n"),
                  "year must be a four-digit year, not '2147483648'"),
    "year 10^20": (lambda t: folder(t, edges="source,target,layer,year\na,b,x,99999999999999999999\n"),
                   "year must be a four-digit year, not '99999999999999999999'"),
    "employees 1e19": (lambda t: folder(t, nodes="id,kind,employees\na,firm,1e19\nb,firm,3\n"),
                       "employees must be between 0 and 999,999,999, not '1e19'"),
    "founded 1e19": (lambda t: folder(t, nodes="id,kind,founded\na,firm,1e19\nb,firm,2000\n"),
                     "founded must be a four-digit year, not '1e19'"),
    "id twice": (lambda t: folder(t, nodes="id,id,kind\na,a,firm\nb,b,firm\n"),
                 "the column 'id' is given twice; keep one"),
    "id and kimlik": (lambda t: folder(t, nodes="id,kimlik,kind\na,a,firm\nb,b,firm\n"),
                      "columns 'id' and 'kimlik' both mean 'id'; keep one"),
    "weight and ağırlık": (lambda t: folder(t, edges="source,target,layer,weight,ağırlık\na,b,x,1,2\n"),
                           "columns 'weight' and 'ağırlık' both mean 'weight'"),
    "layer and katman": (lambda t: folder(t, edges="source,target,layer,katman\na,b,x,y\n"),
                         "columns 'layer' and 'katman' both mean 'layer'"),
    "subtype twice": (lambda t: folder(t, nodes="id,kind,subtype,subtype\na,firm,x,y\nb,firm,x,y\n"),
                      "the column 'subtype' is given twice"),
    "field over 128 KB with a bad row": (
        lambda t: folder(t, nodes="id,kind\na,firm\nb," + "x" * 200_000 + ",extra\n"),
        "line 3: has 3 fields where the header has 2"),
    "bytes neither UTF-8 nor cp1254": (
        lambda t: folder(t, nodes=b"id,kind,\x81\x8d\n a,firm,1\nb,firm,2\n"),
        "line 1: byte 0x81 at character 9 is neither UTF-8 nor Windows-1254"),
    "UTF-8 then not": (lambda t: folder(t, nodes="id,kind,ad\na,firm,Işık\n".encode() + b"b,firm,I\xfe\n"),
                       "mixes encodings"),
    "space after a header, numeric ids, empty id": (
        lambda t: folder(t, nodes="id ,kind\n1,firm\n,firm\n2,firm\n", edges="source,target,layer\n1,2,x\n"),
        "line 3, column 1 (id ): empty id"),
    "damaged gz": (damaged_gz, "is not a readable gzip file"),
    "truncated gz": (truncated_gz, "is not a readable gzip file"),
    "gzip bomb of blank lines": (lambda t: folder(t, nodes=b"id,kind\n" + b"\n" * (100 << 20), gz=True),
                                 "decompression bomb"),
    "4,000 columns": (lambda t: folder(t, nodes=",".join(["id", "kind"] + [f"c{i}" for i in range(4000)])
                                       + "\na,firm" + "," * 4000 + "\n"),
                      "has 4,002 columns; kumenet reads at most 1,000"),
    "a FIFO as nodes.csv": (fifo, "is a named pipe, not a regular file"),
    "/dev/zero as nodes.csv": (dev_zero, "is a device, not a regular file"),
    "layers.csv without directed": (lambda t: folder(t, layers="layer\nsupply\n"),
                                    "the layers table lacks the column 'directed'"),
    "xlsx cell at XFD1048576": (
        lambda t: workbook(t, extra=lambda b: b["nodes"].cell(row=1048576, column=16384, value="x")),
        "line 1048576, column XFD: this column has a value but no header"),
    "xlsx formula without a saved value": (
        lambda t: workbook(t, edges=[["source", "target", "layer", "weight"], ["a", "b", "supply", "=1/0"]]),
        "column D (weight): the formula '=1/0' has no saved value"),
    "xlsx layers sheet without layer": (lambda t: workbook(t, layers=[["directed"], ["true"]]),
                                        "the layers table lacks the column 'layer'"),
    "xlsx layers sheet without directed": (lambda t: workbook(t, layers=[["layer"], ["supply"]]),
                                           "the layers table lacks the column 'directed'"),
    "xlsx empty layers sheet": (lambda t: workbook(t, layers=[]), "the layers table is empty"),
    "not a workbook": (lambda t: text_file(t, "net.xlsx", "id,kind\n"), "is not a readable .xlsx workbook"),
    "GraphML unknown XML encoding": (
        lambda t: text_file(t, "g.graphml", '<?xml version="1.0" encoding="foo-bar"?><graphml/>'),
        "declares an encoding kumenet cannot read"),
    "GraphML external entity": (lambda t: text_file(t, "g.graphml", GRAPHML_XXE), "declares an entity"),
    "GraphML entity expansion": (lambda t: text_file(t, "g.graphml", GRAPHML_BOMB), "declares an entity"),
    "GEXF attvalue without value": (lambda t: text_file(t, "g.gexf", GEXF_NO_VALUE),
                                    "<attvalue> needs 'for' and 'value' attributes"),
    "a name too long": (lambda t: t / ("a" * 300), "cannot be read: File name too long"),
    "a damaged Parquet file": (lambda t: _parquet_garbage(t), "is not a readable Parquet file"),
}


def _parquet_garbage(tmp_path):
    path = tmp_path / "net"
    path.mkdir()
    (path / "nodes.parquet").write_bytes(b"PAR1 garbage PAR1")
    (path / "edges.parquet").write_bytes(b"PAR1 garbage PAR1")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_the_library_raises_one_input_error(tmp_path, case):
    build, expected = CASES[case]
    with pytest.raises(InputDataError) as info:
        read_network(build(tmp_path))
    assert expected in str(info.value)


@pytest.mark.parametrize("case", list(CASES))
def test_the_command_line_says_error_and_exits_1(tmp_path, case):
    build, expected = CASES[case]
    result = CliRunner().invoke(cli, ["validate", str(build(tmp_path))])
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and expected in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    """A 100 KB gzip of blank lines (100 MiB inflated) was held whole, several times over."""
    path = folder(tmp_path, nodes=b"id,kind\n" + b"\n" * (100 << 20), gz=True)
    code = ("import resource, sys\nfrom kumenet.graph.io import read_network\n"
            "try:\n    read_network(sys.argv[1])\nexcept Exception as err:\n    print(type(err).__name__)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out[0] == "InputDataError"
    baseline = subprocess.run([sys.executable, "-c", "import resource, kumenet.graph.io\n"
                               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
                              capture_output=True, text=True, check=True).stdout
    # The refusal holds at most the inflation limit (64 MiB plus 100x the file) in memory.
    assert int(out[1]) - int(baseline) < 300 * 1024


def test_blank_lines_cost_no_memory_for_line_numbers(tmp_path):
    # Under the inflation limit, blank lines around one bad row: the message still names it.
    path = folder(tmp_path, nodes=b"id,kind\n" + b"\n" * (20 << 20) + b"a,frim\nb,firm\n", gz=True)
    with pytest.raises(InputDataError) as info:
        read_network(path)
    assert f"line {(20 << 20) + 2}, column 2 (kind): unknown kind 'frim'" in str(info.value)


def test_a_message_quotes_at_most_80_characters_of_a_cell(tmp_path):
    path = folder(tmp_path, nodes="id,kind\na," + "x" * 1_000_000 + "\nb,firm\n")
    with pytest.raises(InputDataError) as info:
        read_network(path)
    message = str(info.value)
    assert "(1,000,000 characters)" in message and len(message) < 400


def test_unknown_and_unfitting_encodings(tmp_path):
    path = folder(tmp_path, nodes="id;kind;ad\na;firm;Işık\nb;firm;Çorum\n".encode("cp1254"))
    for encoding, expected in (("foo", "unknown encoding 'foo'"),
                               ("rot13", "'rot13' is not a text encoding"),
                               ("utf-16", "read as utf-16, the file does not look like text"),
                               ("ascii", "is not ascii"), ("utf-8", "is not valid UTF-8")):
        with pytest.raises(InputDataError) as info:
            read_network(path, encoding=encoding)
        assert expected in str(info.value), encoding
    assert read_network(path, encoding="cp1254").nodes["name"].tolist() == ["Işık", "Çorum"]


def test_trailing_separators_and_empty_rows_from_excel_are_ignored(tmp_path):
    path = folder(tmp_path, nodes="id;kind;;\na;firm;;\n;;;\nb;firm;;\n;;;\n",
                  edges="source;target;layer;\na;b;supply;\n")
    net = read_network(path)
    assert net.nodes["id"].tolist() == ["a", "b"] and "" not in net.nodes.columns


def test_a_value_under_no_header_is_reported(tmp_path):
    path = folder(tmp_path, nodes="id,kind,\na,firm,\nb,firm,oops\n")
    with pytest.raises(InputDataError) as info:
        read_network(path)
    assert "line 3, column 3: this column has values but no header" in str(info.value)


def test_a_file_name_that_is_not_utf8_prints(tmp_path):
    bad = os.fsdecode(b"a\xffb")
    path = tmp_path / bad
    path.mkdir()
    (path / "nodes.csv").write_text("id,kind\na,firm\n")
    (path / "edges.csv").write_text("source,target,layer\na,zz,supply\n")
    result = subprocess.run([sys.executable, "-m", "kumenet", "validate", os.fsencode(path)],
                            capture_output=True, timeout=120)
    assert result.returncode == 1
    assert "a\ufffdb" in result.stderr.decode("utf-8") and b"Traceback" not in result.stderr


def test_entities_never_reach_a_value(tmp_path):
    """Before, the external entity became an empty value silently."""
    with pytest.raises(InputDataError, match="declares an entity"):
        read_network(text_file(tmp_path, "g.graphml", GRAPHML_XXE))


def test_a_wide_but_legal_file_and_a_long_header_load(tmp_path):
    header = ",".join(["id", "kind"] + [f"c{i}" for i in range(998)])  # the limit: 1,000
    path = folder(tmp_path, nodes=header + "\na,firm" + ",1" * 998 + "\nb,firm" + ",2" * 998 + "\n")
    assert read_network(path).nodes.shape == (2, 1009)
    long_name = "h" * 200_000  # one header field over Python's csv limit of 128 KB
    path = folder(tmp_path / "long", nodes=f"id,kind,{long_name}\na,firm,1\nb,firm,2\n")
    assert read_network(path).nodes[long_name].tolist() == [1, 2]


def _parquet_folder(tmp_path, nodes: dict, edges: dict | None = None) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    edges = edges or {"source": ["a"], "target": ["b"], "layer": ["supply"]}
    names = list(nodes)
    pq.write_table(pa.Table.from_arrays([pa.array(v) if not isinstance(v, (pa.Array,
                                                                           pa.ChunkedArray))
                                         else v for v in nodes.values()], names=names),
                   tmp_path / "nodes.parquet")
    pq.write_table(pa.table(edges), tmp_path / "edges.parquet")
    return tmp_path


def _parquet_cases():
    import pyarrow as pa

    ids = ["a", "b"]
    kinds = ["firm", "firm"]
    return {
        "a list where text is expected": (
            {"id": ids, "kind": kinds, "name": [["x"], ["y"]]}, "nodes.parquet, column 3 (name)",
            "holds lists"),
        "a list of ids": ({"id": [["a"], ["b"]], "kind": kinds}, "column 1 (id)", "holds lists"),
        "a record": ({"id": ids, "kind": kinds, "sector": [{"code": "13"}, {"code": "14"}]},
                     "column 3 (sector)", "holds records (a struct)"),
        "a map": ({"id": ids, "kind": kinds,
                   "extra": pa.array([[("k", "v")], [("k", "w")]],
                                     pa.map_(pa.string(), pa.string()))},
                  "column 3 (extra)", "holds maps"),
        "a dotted record": ({"id": ids, "kind": kinds, "a.b": [{"c.d": 1}, {"c.d": 2}]},
                            "column 3 (a.b)", "holds records"),
        "bytes that are not UTF-8": (
            {"id": pa.array([b"a", b"\xff\xfe"], pa.binary()), "kind": kinds},
            "nodes.parquet, line 3, column 1 (id)", "not UTF-8"),
    }


@pytest.mark.parametrize("case", list(_parquet_cases()))
def test_parquet_columns_of_nested_or_binary_types_are_named(tmp_path, case):
    nodes, where, said = _parquet_cases()[case]
    folder = _parquet_folder(tmp_path, nodes)
    result = CliRunner().invoke(cli, ["info", str(folder)])
    assert result.exit_code == 1, result.output
    assert where in result.output and said in result.output
    assert "internal error" not in result.output


def test_parquet_bytes_that_are_utf8_text_are_read_as_text(tmp_path):
    import pyarrow as pa

    folder = _parquet_folder(tmp_path, {"id": pa.array([b"a", "b".encode()], pa.binary()),
                                        "kind": ["firm", "firm"],
                                        "name": pa.array(["Çorum Ltd".encode(), b"B"],
                                                         pa.binary())},
                            {"source": pa.array([b"a"]).dictionary_encode(), "target": ["b"],
                             "layer": ["supply"]})
    net = read_network(folder)
    assert net.nodes["name"].tolist() == ["Çorum Ltd", "B"]
    assert net.edges["source"].astype(str).tolist() == ["a"]


def test_parquet_columns_that_share_a_name_are_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_arrays([pa.array(["a", "b"]), pa.array(["firm", "firm"]),
                                  pa.array(["x", "y"])], names=["id", "kind", "id"])
    pq.write_table(table, tmp_path / "nodes.parquet")
    pq.write_table(pa.table({"source": ["a"], "target": ["b"], "layer": ["supply"]}),
                   tmp_path / "edges.parquet")
    with pytest.raises(InputDataError) as err:
        read_network(tmp_path)
    assert "column 3 (id): a second column named 'id' (the first is column 1)" in str(err.value)


@pytest.mark.parametrize("run", range(12))
def test_a_refused_parquet_column_ends_the_process_cleanly(tmp_path, run):
    """The reader's threads once released a Python file object while the interpreter exited,
    which aborted the process (exit 134) about one time in eight."""
    _parquet_folder(tmp_path, {"id": [["a"], ["b"]], "kind": ["firm", "firm"]})
    done = subprocess.run([sys.executable, "-m", "kumenet", "info", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "terminate" not in done.stderr


def test_parquet_text_that_is_not_utf8_is_named(tmp_path):
    """Parquet does not promise UTF-8 text: a damaged file's string column is named, not an
    internal error later (found by make fuzz)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = pa.py_buffer(b"ab\xff\xfe")
    offsets = pa.py_buffer(np.array([0, 2, 4], dtype=np.int32).tobytes())
    broken = pa.Array.from_buffers(pa.string(), 2, [None, offsets, data])
    pq.write_table(pa.table({"id": ["a", "b"], "kind": ["firm", "firm"], "region": broken}),
                   tmp_path / "nodes.parquet")
    pq.write_table(pa.table({"source": ["a"], "target": ["b"], "layer": ["supply"]}),
                   tmp_path / "edges.parquet")
    with pytest.raises(InputDataError, match=r"nodes.parquet, line 3, column 3 \(region\): "
                                             "holds text that is not UTF-8"):
        read_network(tmp_path)


def test_a_sheet_of_firms_with_a_column_twice_is_named(tmp_path):
    """Firmalar and Kurumlar are read together; a header given twice in one of them was an
    internal error (found by make fuzz)."""
    book = openpyxl.Workbook()
    book.active.title = "Firmalar"
    book.active.append(["Kimlik", "Ad", "Kimlik"])
    book.active.append(["F1", "Bir", "F1"])
    kurumlar = book.create_sheet("Kurumlar")
    kurumlar.append(["Kimlik", "Ad"])
    kurumlar.append(["K1", "Oda"])
    book.create_sheet("İlişkiler").append(["Kaynak", "Hedef", "Katman"])
    book["İlişkiler"].append(["F1", "K1", "üyelik"])
    book.save(tmp_path / "b.xlsx")
    with pytest.raises(InputDataError, match=r"sheet Firmalar, line 1, column C \(Kimlik\): "
                                             "the column 'Kimlik' is given twice"):
        read_network(tmp_path / "b.xlsx")


def test_a_damaged_workbook_is_named_in_one_short_line(tmp_path):
    """A zip whose directory and headers disagree made a message of 20,000 characters of raw
    bytes (found by make fuzz)."""
    import io

    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    data = bytearray(out.getvalue())
    at = data.index(b"docProps/core.xml")  # the first local header's file name
    data[at + 17:at + 17] = bytes(range(200, 256)) * 40
    (tmp_path / "b.xlsx").write_bytes(bytes(data))
    with pytest.raises(InputDataError) as err:
        read_network(tmp_path / "b.xlsx")
    said = str(err.value)
    assert "is not a readable .xlsx workbook" in said and len(said) < 500


def test_a_dictionary_encoded_name_column_with_empty_names_takes_the_ids(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a", "b"], "kind": ["firm", "firm"],
                             "name": pa.array(["", "Bir"]).dictionary_encode()}),
                   tmp_path / "nodes.parquet")
    pq.write_table(pa.table({"source": ["a"], "target": ["b"], "layer": ["supply"]}),
                   tmp_path / "edges.parquet")
    assert read_network(tmp_path).nodes["name"].tolist() == ["a", "Bir"]
