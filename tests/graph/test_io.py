import gzip

import networkx as nx
import pytest

from kumenet.errors import KumenetError
from kumenet.graph.io import FORMATS, read_network, write_network
from kumenet.graph.network import Network
from tests.conftest import PILOT, TINY_EDGES, TINY_NODES


def _target(tmp_path, fmt):
    return tmp_path / (f"net.{fmt}" if fmt in ("xlsx", "graphml", "gexf") else f"net_{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_every_format(tmp_path, fmt):
    nodes = TINY_NODES.assign(
        name=TINY_NODES["name"].where(TINY_NODES["id"] != "d", 'Işık "Halı" <b>&</b>'),
        note=["ilk", None, "çok satıcı", "", "dış", "oda"],  # an extra text column
        score=[1.5, 2, None, 3.25, 0, 1],  # an extra numeric column
    )
    edges = TINY_EDGES.assign(project=["P1", None, "P2", "P3", "P4", "P5", None, None, "P6"])
    net = Network.from_frames(nodes, edges, directed_layers=["supply", "membership", "information"])
    path = write_network(net, _target(tmp_path, fmt), fmt)
    back = read_network(path)
    assert back.equals(net)
    assert back.directed_layers & set(back.layers) == {"supply", "membership", "information"}
    assert back.nodes.set_index("id").loc["d", "name"] == 'Işık "Halı" <b>&</b>'


@pytest.mark.parametrize("fmt", FORMATS)
def test_pilot_round_trip(tmp_path, pilot, fmt):
    path = write_network(pilot, _target(tmp_path, fmt), fmt)
    assert read_network(path).equals(pilot)


def test_parquet_from_other_programs_reads_like_csv(tmp_path):
    """Parquet written by other tools: dictionary-encoded ids with stray spaces over several
    row groups, numbers stored as text with decimal commas, string (not large_string) text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "net"
    folder.mkdir()
    nodes = pa.table({"id": pa.array([" a", "b ", "c"]).dictionary_encode(),
                      "kind": ["firm", "FİRMA", "kurum"], "exports_usd": ["1.250,5", None, "7"]})
    edges = pa.table({"source": pa.array(["a ", "b", "a", "c"]).dictionary_encode(),
                      "target": pa.array(["b", "c", "c", "a"]).dictionary_encode(),
                      "layer": pa.array(["supply"] * 3 + ["membership"]).dictionary_encode(),
                      "year": ["2019", "2020", "2020", None]})
    pq.write_table(nodes, folder / "nodes.parquet")
    pq.write_table(edges, folder / "edges.parquet", row_group_size=2)
    net = read_network(folder)
    assert list(net.ids) == ["a", "b", "c"]
    assert list(net.nodes["kind"]) == ["firm", "firm", "institution"]
    assert net.nodes["exports_usd"].tolist()[0] == 1250.5
    assert net.edges[["source", "target"]].astype(str).values.tolist() == \
        [["a", "b"], ["b", "c"], ["a", "c"], ["c", "a"]]
    assert net.edges["year"].tolist()[:3] == [2019, 2020, 2020]


def test_node_columns_read_alike_as_text_and_as_dictionaries(tmp_path):
    """Kind, country, province, region and sector are normalised once per distinct value:
    dictionary-encoded Parquet columns (with a value that repeats in the dictionary) give the
    same network as the CSV of the same cells, row by row."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    cells = {"id": ["a", "b", "c", "d", "e", "f"],
             "kind": ["firm", " FİRMA", "kurum", "firm", "Firm", "firm"],
             "subtype": [None, "Foreign Buyer", None, None, "foreign buyer", None],
             "country": ["tr", None, "Türkiye", "DE", "de ", "TR"],
             "province": ["istanbul", "SAMSUN ", "Çorum", "Bayern", "Bayern", None],
             "region": [None, None, "TR83", None, "DE2", None],
             "sector": ["1", "13.10", None, "25", "1", "13.10"]}
    folder = tmp_path / "pq"
    folder.mkdir()
    encoded = {k: pa.array(v).dictionary_encode() if k != "id" else pa.array(v)
               for k, v in cells.items()}
    # A dictionary written by another program that names a value twice.
    encoded["kind"] = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2, 3, 0, 3], pa.int8()),
                                                     pa.array(["firm", " FİRMA", "kurum", "firm"]))
    pq.write_table(pa.table(encoded), folder / "nodes.parquet")
    edges = pa.table({"source": ["a", "b", "d", "e"], "target": ["c", "c", "f", "a"],
                      "layer": ["supply"] * 4})
    # Ties whose id dictionary names "c" twice, with a stray space once.
    repeated = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2, 3], pa.int32()),
                                              pa.array(["c", "c ", "f", "a"]))
    pq.write_table(edges.set_column(1, "target", repeated), folder / "edges.parquet")
    text = tmp_path / "csv"
    text.mkdir()
    pd.DataFrame(cells).to_csv(text / "nodes.csv", index=False)
    edges.to_pandas().to_csv(text / "edges.csv", index=False)
    from_parquet, from_csv = read_network(folder), read_network(text)
    assert from_parquet.equals(from_csv)
    nodes = from_csv.nodes
    assert nodes["kind"].tolist() == ["firm", "firm", "institution", "firm", "firm", "firm"]
    assert nodes["country"].tolist() == ["TR", "TR", "TR", "DE", "DE", "TR"]
    assert nodes["province"].tolist()[:5] == ["İstanbul", "Samsun", "Çorum", "Bayern", "Bayern"]
    assert pd.isna(nodes["province"].iloc[5])
    assert nodes["region"].tolist()[:3] == ["TR10", "TR83", "TR83"]  # from the province
    assert pd.isna(nodes["region"].iloc[3]) and nodes["region"].iloc[4] == "DE2"
    assert nodes["sector"].tolist()[:2] == ["01", "13.10"]
    assert nodes["subtype"].tolist()[1] == "buyer"  # 'Foreign Buyer': a subtype kumenet knows


def test_network_workbook_is_styled_for_staff(tmp_path, pilot):
    import openpyxl

    path = write_network(pilot, tmp_path / "pilot.xlsx")
    book = openpyxl.load_workbook(path)
    for name in ("nodes", "edges", "layers"):
        ws = book[name]
        assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    edges = book["edges"]
    formats = {c.value: edges.cell(2, c.column).number_format for c in edges[1]}
    assert formats["year"] == "0"  # 2019, not 2,019
    nodes = book["nodes"]
    formats = {c.value: nodes.cell(2, c.column).number_format for c in nodes[1]}
    assert formats["employees"] == "#,##0" and formats["founded"] == "0"
    assert read_network(path).equals(pilot)


def test_format_is_guessed_from_the_suffix(tmp_path, tiny):
    write_network(tiny, tmp_path / "a.xlsx")
    write_network(tiny, tmp_path / "folder")
    assert (tmp_path / "folder" / "nodes.csv").exists() and (tmp_path / "folder" / "layers.csv").exists()
    assert read_network(tmp_path / "folder" / "edges.csv").equals(tiny)  # a file means its folder
    with pytest.raises(KumenetError, match="unknown network format"):
        write_network(tiny, tmp_path / "b", "dot")


def test_cp1254_semicolon_csv_with_decimal_commas(tmp_path):
    folder = tmp_path / "excel_export"
    folder.mkdir()
    (folder / "nodes.csv").write_bytes(
        "id;ad;tür;il;çalışan sayısı;ciro\n"
        "001;Işıklar Fındık A.Ş.;firma;GİRESUN;12;1.234,5\n"
        "002;Çağlar Çay Ltd. Şti.;Firma;rize;7;99,25\n"
        "010;Rize Ticaret Borsası;kurum;Rize;;\n".encode("cp1254"))
    (folder / "edges.csv").write_bytes(
        "kaynak;hedef;katman;ağırlık;yıl\n"
        "001;002;Supply;2,5;2020\n"
        "002;010;Üyelik;1;2019\n".encode("cp1254"))
    net = read_network(folder)
    nodes = net.nodes.set_index("id")
    assert list(nodes.index) == ["001", "002", "010"]  # leading zeros survive
    assert nodes.loc["001", "name"] == "Işıklar Fındık A.Ş."
    assert nodes.loc["001", "province"] == "Giresun" and nodes.loc["002", "province"] == "Rize"
    assert nodes.loc["010", "kind"] == "institution"
    assert nodes.loc["001", "employees"] == 12
    assert nodes.loc["001", "ciro"] == 1234.5 and nodes.loc["002", "ciro"] == 99.25
    assert net.edges["weight"].tolist() == [2.5, 1.0]
    assert net.edges["layer"].tolist() == ["supply", "membership"]


def test_utf8_with_bom_and_gzip(tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "nodes.csv").write_bytes("\ufeffid,name,kind,province\n7,Ünye Gıda,firm,Ordu\n8,İnci,firm,Ordu\n".encode())
    with gzip.open(folder / "edges.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("source,target,layer\n7,8,collaboration\n")
    net = read_network(folder)
    assert net.nodes["id"].tolist() == ["7", "8"] and net.nodes["name"].tolist() == ["Ünye Gıda", "İnci"]
    assert net.n_edges == 1


def test_explicit_separator_and_decimal(tmp_path):
    folder = tmp_path / "tabs"
    folder.mkdir()
    (folder / "nodes.csv").write_text("id\tkind\na\tfirm\nb\tfirm\n", encoding="utf-8")
    (folder / "edges.csv").write_text("source\ttarget\tlayer\tweight\na\tb\tsupply\t1,5\n", encoding="utf-8")
    net = read_network(folder, sep="tab", decimal=",")
    assert net.edges["weight"].tolist() == [1.5]


def test_networkx_reads_our_graphml(tmp_path, tiny):
    path = write_network(tiny, tmp_path / "t.graphml")
    g = nx.read_graphml(path)
    assert g.number_of_nodes() == 6
    assert g.nodes["a"]["name"] == "Atakum Medikal A.Ş."
    layers = sorted(d["layer"] for _, _, d in g.edges(data=True))
    assert layers.count("collaboration") == 3


def test_gephi_style_gexf_without_kumenet_extras(tmp_path):
    path = tmp_path / "gephi.gexf"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
 <graph defaultedgetype="directed">
  <attributes class="node"><attribute id="k" title="kind" type="string"/></attributes>
  <attributes class="edge"><attribute id="l" title="layer" type="string"/></attributes>
  <nodes>
   <node id="n1" label="Gaziantep Halı"><attvalues><attvalue for="k" value="firm"/></attvalues></node>
   <node id="n2" label="Nizip Fıstık"><attvalues><attvalue for="k" value="firm"/></attvalues></node>
  </nodes>
  <edges>
   <edge id="0" source="n1" target="n2" weight="2.5"><attvalues><attvalue for="l" value="supply"/></attvalues></edge>
  </edges>
 </graph>
</gexf>""", encoding="utf-8")
    net = read_network(path)
    assert net.nodes["name"].tolist() == ["Gaziantep Halı", "Nizip Fıstık"]
    assert net.edges["weight"].tolist() == [2.5] and net.is_directed("supply")


def test_excel_sheet_limit_is_an_error_not_a_broken_file(tmp_path, monkeypatch, tiny):
    import kumenet.graph.formats.excel as kio

    monkeypatch.setattr(kio, "EXCEL_MAX_ROWS", 5)
    with pytest.raises(KumenetError, match="do not fit in one Excel sheet"):
        write_network(tiny, tmp_path / "big.xlsx")
    assert not (tmp_path / "big.xlsx").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_failed_write_leaves_nothing(tmp_path, tiny, monkeypatch):
    import kumenet.graph.io as kio

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(kio.pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError):
        write_network(tiny, tmp_path / "out", "parquet")
    assert list(tmp_path.iterdir()) == []


def test_the_pilot_sample_is_the_generator_output(pilot):
    from kumenet.cli import PILOT_FIRMS, PILOT_SEED
    from kumenet.graph.generate import generate

    nodes, edges = generate(PILOT_FIRMS, PILOT_SEED)
    assert Network.from_frames(nodes, edges).equals(pilot)
    assert PILOT.exists()


# -- partitioned Parquet (issue 15) ----------------------------------------------------------

def _dated(tiny):
    """The tiny network with one tie without a year (it goes to the default partition)."""
    edges = TINY_EDGES.copy()
    edges["year"] = edges["year"].astype("Int64")
    edges.loc[8, "year"] = None
    return Network.from_frames(TINY_NODES, edges, directed_layers=["supply", "membership"])


@pytest.mark.parametrize("column", ["year", "layer"])
def test_partitioned_parquet_round_trip(tmp_path, tiny, column):
    import pandas as pd

    net = _dated(tiny)
    path = write_network(net, tmp_path / "parts", "parquet", partition_by=column)
    folders = sorted(p.name for p in (path / "edges").iterdir())
    assert all(name.startswith(f"{column}=") for name in folders)
    if column == "year":
        assert "year=__HIVE_DEFAULT_PARTITION__" in folders and "year=2016" in folders
    back = read_network(path)
    key = ["source", "target", "layer", "year"]

    def ordered(e):
        e = e.astype({"source": str, "target": str, "layer": str})
        return e.sort_values(key, na_position="last").reset_index(drop=True)
    pd.testing.assert_frame_equal(ordered(back.edges)[net.edges.columns], ordered(net.edges),
                                  check_categorical=False)
    assert back.nodes.equals(net.nodes)
    assert back.directed_layers & set(back.layers) == {"supply", "membership"}


def test_partitions_by_year_read_only_the_years_asked(tmp_path, tiny, monkeypatch):
    from kumenet.graph.formats import parquet as kio

    path = write_network(_dated(tiny), tmp_path / "parts", "parquet", partition_by="year")
    read = []
    original = kio._parquet_table
    monkeypatch.setattr(kio, "_parquet_table", lambda f: read.append(f.parent.name) or original(f))
    net = read_network(path, as_of=2018)
    assert sorted(set(read) - {"parts"}) == ["year=2016", "year=2017", "year=2018",
                                              "year=__HIVE_DEFAULT_PARTITION__"]
    assert net.edges["year"].max() == 2018 and net.edges["year"].isna().sum() == 1
    with pytest.raises(KumenetError, match="no ties up to 2010; the first year is 2016"):
        read_network(path, as_of=2010)


def test_a_bad_cell_in_a_part_names_the_part_file_and_row(tmp_path, tiny):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kumenet.errors import InputDataError

    path = write_network(_dated(tiny), tmp_path / "parts", "parquet", partition_by="year")
    part = path / "edges" / "year=2019" / "part-0.parquet"
    table = pq.read_table(part)
    table = table.set_column(table.column_names.index("target"), "target",
                             pa.array(["nobody"] * table.num_rows))
    pq.write_table(table, part)
    with pytest.raises(InputDataError) as err:
        read_network(path)
    assert f"{part}, line 2, column 2 (target): 'nobody' is not a node id" in str(err.value)


def test_a_folder_of_parts_that_is_not_one_is_refused(tmp_path, tiny):
    from kumenet.errors import InputDataError

    path = write_network(_dated(tiny), tmp_path / "parts", "parquet", partition_by="layer")
    (path / "edges" / "notes.txt").write_text("hello")
    with pytest.raises(InputDataError, match="notes.txt: is not a partition of ties"):
        read_network(path)
    (path / "edges" / "notes.txt").unlink()
    (path / "edges" / "year=2020").mkdir()
    with pytest.raises(InputDataError, match="partitioned by several columns"):
        read_network(path)


def test_convert_partition_by_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from kumenet.cli import cli

    runner = CliRunner()
    out = tmp_path / "pilot_parts"
    result = runner.invoke(cli, ["convert", str(PILOT), "-o", str(out), "--to", "parquet",
                                 "--partition-by", "year"])
    assert result.exit_code == 0, result.output
    assert (out / "edges" / "year=2019").is_dir()
    whole = runner.invoke(cli, ["info", str(PILOT), "--as-of", "2019"])
    parts = runner.invoke(cli, ["info", str(out), "--as-of", "2019"])
    assert parts.exit_code == 0 and "have no ties" not in parts.output
    assert parts.output.split("== genel bakış ==")[1] == whole.output.split("== genel bakış ==")[1]
    turkish = runner.invoke(cli, ["convert", str(PILOT), "-o", str(tmp_path / "t"), "--to",
                                  "parquet", "--partition-by", "yıl"])
    assert turkish.exit_code == 0 and (tmp_path / "t" / "edges" / "year=2019").is_dir()
    wrong = runner.invoke(cli, ["convert", str(PILOT), "-o", str(tmp_path / "x"), "--to",
                                "parquet", "--partition-by", "yaer"])
    assert wrong.exit_code == 1 and "did you mean 'year'" in wrong.output
    csv = runner.invoke(cli, ["convert", str(PILOT), "-o", str(tmp_path / "y"),
                              "--partition-by", "year"])
    assert csv.exit_code == 1 and "--to parquet" in csv.output


def test_too_many_partitions_are_refused(tmp_path, tiny, monkeypatch):
    from kumenet.graph.formats import parquet as kio

    monkeypatch.setattr(kio, "MAX_PARTS", 3)  # the tiny network has four layers
    with pytest.raises(KumenetError, match="4 values of 'layer'.*at most 3"):
        write_network(_dated(tiny), tmp_path / "parts", "parquet", partition_by="layer")
    assert not (tmp_path / "parts").exists()


def test_nace_codes_with_a_decimal_comma_are_the_codes(tmp_path):
    """A Turkish spreadsheet that stored NACE codes as numbers writes 10,82: read as 10.82
    (and 1,1 as 01.1), with a warning; labels with commas stay as they are."""
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "nodes.csv").write_bytes(
        "Kimlik;Ad;Tür;Sektör\nA;Işık Gıda;firma;10,82\nB;Bağ;firma;1,1\nC;Çay;firma;13\n"
        "D;Deniz;firma;Gıda, içecek\n".encode("cp1254"))
    (folder / "edges.csv").write_bytes(
        "Kaynak;Hedef;Katman\nA;B;tedarik\nC;D;işbirliği\n".encode("cp1254"))
    with pytest.warns(UserWarning, match="column 'Sektör': 2 NACE code\\(s\\) written with a "
                                         "decimal comma \\('10,82'\\) read as 10.82"):
        net = read_network(folder)
    assert net.nodes["sector"].tolist() == ["10.82", "01.1", "13", "Gıda, içecek"]
