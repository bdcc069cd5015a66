"""Every validation problem names file, line and column; warnings are not errors."""

import warnings

import pandas as pd
import pytest

from kumenet.errors import InputDataError
from kumenet.graph.io import read_network
from kumenet.graph.network import Network

NODES = "id,name,kind,province,employees\na,Alfa,firm,Samsun,10\nb,Beta,firm,Trabzon,5\ni,Oda,institution,Samsun,\n"
EDGES = "source,target,layer,weight,year\na,b,collaboration,1,2020\na,i,membership,1,2019\n"


def write(tmp_path, nodes=NODES, edges=EDGES, encoding="utf-8"):
    folder = tmp_path / "net"
    folder.mkdir(exist_ok=True)
    (folder / "nodes.csv").write_text(nodes, encoding=encoding)
    (folder / "edges.csv").write_text(edges, encoding=encoding)
    return folder


def problems(tmp_path, **files):
    with pytest.raises(InputDataError) as info:
        read_network(write(tmp_path, **files))
    return info.value


def test_valid_files_load(tmp_path):
    assert read_network(write(tmp_path)).n_edges == 2


@pytest.mark.parametrize("nodes, edges, expected", [
    # missing required column
    ("id,name,province\na,A,Samsun\n", EDGES, "nodes.csv, line 1: missing required column 'kind'"),
    (NODES, "source,target,weight\na,b,1\n", "edges.csv, line 1: missing required column 'layer'"),
    # duplicate node id
    (NODES + "a,Again,firm,Samsun,3\n", EDGES,
     "nodes.csv, line 5, column 1 (id): duplicate id 'a' (first at line 2)"),
    # edge to an unknown node, with the nearest id
    (NODES, EDGES + "a,bb,collaboration,1,2021\n",
     "edges.csv, line 4, column 2 (target): 'bb' is not a node id in the nodes table (did you mean 'b'?)"),
    # unknown kind
    (NODES.replace("b,Beta,firm", "b,Beta,frim"), EDGES,
     "nodes.csv, line 3, column 3 (kind): unknown kind 'frim'; must be 'firm' or 'institution' (did you mean 'firm'?)"),
    # non-positive weight
    (NODES, EDGES + "b,i,membership,0,2020\n", "edges.csv, line 4, column 4 (weight): weight must be positive, not 0"),
    (NODES, EDGES + "b,i,membership,-2,2020\n", "edges.csv, line 4, column 4 (weight): weight must be positive, not -2"),
    # non-numeric weight
    (NODES, EDGES + "b,i,membership,çok,2020\n",
     "edges.csv, line 4, column 4 (weight): weight must be a positive number, not 'çok'"),
    # non-integer year
    (NODES, EDGES + "b,i,membership,1,2020.5\n", "edges.csv, line 4, column 5 (year): year must be a whole number, not '2020.5'"),
    (NODES, EDGES + "b,i,membership,1,geçen yıl\n", "edges.csv, line 4, column 5 (year): year must be a whole number, not 'geçen yıl'"),
    # self-loop
    (NODES, EDGES + "b,b,collaboration,1,2020\n", "edges.csv, line 4, column 2 (target): self-loop: 'b' is tied to itself"),
    # unknown province, with the nearest valid name
    (NODES.replace("b,Beta,firm,Trabzon", "b,Beta,firm,Trabzn"), EDGES,
     "nodes.csv, line 3, column 4 (province): unknown province 'Trabzn' (did you mean 'Trabzon'?)"),
    (NODES.replace("b,Beta,firm,Trabzon", "b,Beta,firm,GAZİANTEB"), EDGES,
     "unknown province 'GAZİANTEB' (did you mean 'Gaziantep'?)"),
    # empty files
    ("id,name,kind\n", EDGES, "nodes.csv: the file has no rows of data"),
    (NODES, "", "edges.csv: the file is empty (no header line)"),
    # non-numeric attribute
    (NODES.replace("Samsun,10", "Samsun,on"), EDGES, "line 2, column 5 (employees): employees must be a whole number, not 'on'"),
    # a row with too many fields
    (NODES, EDGES + "a,b,collaboration,1,2020,extra\n", "edges.csv, line 4: has 6 fields where the header has 5"),
])
def test_each_problem_points_at_the_cell(tmp_path, nodes, edges, expected):
    err = problems(tmp_path, nodes=nodes, edges=edges)
    assert expected in str(err)


def test_many_problems_in_one_message_capped_at_20(tmp_path):
    bad = "".join(f"a,x{i},collaboration,1,2020\n" for i in range(30))
    err = problems(tmp_path, edges=EDGES + bad)
    assert len(err.problems) >= 21
    text = str(err)
    assert text.startswith(f"{len(err.problems)} problems in the input:")
    assert text.count("is not a node id") == 20 and "... and" in text


def test_wrong_sheet_names(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"id": ["a"], "kind": ["firm"]}).to_excel(writer, sheet_name="Firmalar", index=False)
        pd.DataFrame({"source": ["a"]}).to_excel(writer, sheet_name="edge", index=False)
    with pytest.raises(InputDataError) as info:
        read_network(path)
    text = str(info.value)  # Firmalar is a usual name for the nodes; "edge" is not one
    assert "no sheet of nodes" not in text
    assert "no sheet of edges (named edges, ilişkiler, bağlar, kenarlar, ...; or choose one " \
        "with --edges-sheet) (did you mean 'edge'?)" in text


def test_turkish_sheet_names_and_chosen_sheets(tmp_path):
    """Firmalar/Düğümler and İlişkiler/Bağlar are found in any case; two candidates, or none,
    ask for --nodes-sheet/--edges-sheet, which choose by name (Turkish-aware)."""
    nodes = pd.DataFrame({"id": ["a", "b"], "kind": ["firm", "firm"]})
    edges = pd.DataFrame({"source": ["a"], "target": ["b"], "layer": ["tedarik"]})

    def book(name, sheets):
        path = tmp_path / name
        with pd.ExcelWriter(path) as writer:
            for title, frame in sheets.items():
                frame.to_excel(writer, sheet_name=title, index=False)
        return path

    net = read_network(book("tr.xlsx", {"FİRMALAR": nodes, "İlişkiler": edges}))
    assert net.n_nodes == 2 and net.layers == ["supply"]
    two = book("two.xlsx", {"Firmalar": nodes, "Düğümler": nodes, "Bağlar": edges})
    with pytest.raises(InputDataError, match="'Düğümler' and 'Firmalar' could both hold the "
                                             "nodes; choose with --nodes-sheet"):
        read_network(two)
    assert read_network(two, nodes_sheet="düğümler").n_nodes == 2
    other = book("other.xlsx", {"Üye listesi": nodes, "Ticaret": edges})
    assert read_network(other, nodes_sheet="ÜYE LİSTESİ", edges_sheet="ticaret").n_edges == 1
    with pytest.raises(InputDataError, match="no sheet named 'Uye liste' \\(did you mean "
                                             "'Üye listesi'\\?\\)"):
        read_network(other, nodes_sheet="Uye liste", edges_sheet="Ticaret")


def test_sheet_names_are_matched_as_people_type_them(tmp_path):
    """' NODES ', 'Edges', 'İLİŞKİLER' are the sheets of nodes and ties (case, spaces around
    and Turkish letters aside); two sheets a name matches are an error listing the sheets."""
    nodes = pd.DataFrame({"id": ["a", "b"], "kind": ["firm", "firm"]})
    edges = pd.DataFrame({"source": ["b"], "target": ["a"], "layer": ["işbirliği"]})
    path = tmp_path / "padded.xlsx"
    with pd.ExcelWriter(path) as writer:
        nodes.to_excel(writer, sheet_name=" NODES ", index=False)
        edges.to_excel(writer, sheet_name="Edges", index=False)
    net = read_network(path)
    assert net.n_nodes == 2 and net.layers == ["collaboration"]
    assert read_network(path, nodes_sheet="nodes", edges_sheet=" EDGES").n_edges == 1
    path = tmp_path / "tr.xlsx"
    with pd.ExcelWriter(path) as writer:
        nodes.to_excel(writer, sheet_name="Aktörler ", index=False)
        edges.to_excel(writer, sheet_name="İLİŞKİLER", index=False)
    assert read_network(path).n_edges == 1
    assert read_network(path, edges_sheet="ilişkiler", nodes_sheet="AKTÖRLER").n_edges == 1
    import openpyxl

    book = openpyxl.load_workbook(path)
    book.create_sheet("ilişkiler ")  # Excel allows it beside İLİŞKİLER: spaces differ
    book.save(path)
    with pytest.raises(InputDataError) as err:
        read_network(path, edges_sheet="Ilişkiler")
    assert "sheets 'İLİŞKİLER' and 'ilişkiler ' both match 'Ilişkiler'; the sheets are " \
        "'Aktörler ', 'İLİŞKİLER', 'ilişkiler '" in str(err.value)
    with pytest.raises(InputDataError, match="could both hold the edges; choose with "
                                             "--edges-sheet; the sheets are"):
        read_network(path)


def test_firms_and_institutions_sheets_read_together(tmp_path):
    """Firmalar and Kurumlar (firms and institutions kept apart) are one nodes table; a row
    without a kind takes its sheet's, with a note; problems name the sheet, line and column."""
    firms = pd.DataFrame({"Kimlik": ["F1", "F2"], "Ad": ["Yıldız Medikal", "Kaya Tekstil"],
                          "İl": ["Samsun", "Gaziantep"]})
    institutions = pd.DataFrame({"Ad": ["Samsun TSO"], "Kimlik": ["K1"], "Tür": ["kurum"],
                                 "Alt tür": ["oda"]})
    ties = pd.DataFrame({"Kaynak": ["F1", "F2"], "Hedef": ["K1", "F1"],
                         "Katman": ["üyelik", "tedarik"]})
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        firms.to_excel(writer, sheet_name="Firmalar", index=False)
        institutions.to_excel(writer, sheet_name="Kurumlar", index=False)
        ties.to_excel(writer, sheet_name="İlişkiler", index=False)
    with pytest.warns(UserWarning, match="sheet Firmalar: no kind column; its rows are read "
                                         "as firm"):
        net = read_network(path)
    assert net.n_nodes == 3 and list(net.nodes["kind"]) == ["firm", "firm", "institution"]
    assert net.nodes.set_index("id").loc["K1", "name"] == "Samsun TSO"
    # a problem in the second sheet points at that sheet, its own line and column letter
    institutions.loc[0, "Kimlik"] = "F1"
    with pd.ExcelWriter(path) as writer:
        firms.assign(Tür="firma").to_excel(writer, sheet_name="Firmalar", index=False)
        institutions.to_excel(writer, sheet_name="Kurumlar", index=False)
        ties.to_excel(writer, sheet_name="İlişkiler", index=False)
    with pytest.raises(InputDataError, match=r"sheet Kurumlar, line 2, column B \(Kimlik\): "
                                             r"duplicate id 'F1' \(first at sheet Firmalar, "
                                             r"line 2\)"):
        read_network(path)
    # chosen by name, several at once (comma-separated)
    institutions.loc[0, "Kimlik"] = "K1"
    with pd.ExcelWriter(path) as writer:
        firms.to_excel(writer, sheet_name="Üyeler A", index=False)
        institutions.to_excel(writer, sheet_name="Üyeler B", index=False)
        ties.to_excel(writer, sheet_name="Ticaret", index=False)
    # "Üyeler A" does not say its rows' kind: each is reported in its own sheet
    with pytest.raises(InputDataError, match=r"sheet Üyeler A, line 2, column Tür: empty kind"):
        read_network(path, nodes_sheet="Üyeler A, Üyeler B", edges_sheet="ticaret")
    with pytest.raises(InputDataError, match="no sheet named 'Üyeler C'"):
        read_network(path, nodes_sheet="Üyeler A, Üyeler C", edges_sheet="ticaret")


def test_excel_problems_use_row_numbers_and_column_letters(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"id": ["a", "b"], "kind": ["firm", "firm"]}).to_excel(writer, sheet_name="nodes", index=False)
        pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "layer": ["supply", "supply"],
                      "weight": [1, "x"]}).to_excel(writer, sheet_name="edges", index=False)
    with pytest.raises(InputDataError, match=r"sheet edges, line 3, column D \(weight\): weight must be a positive number, not 'x'"):
        read_network(path)


def test_xml_problems_use_element_lines(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text("""<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="k" for="node" attr.name="kind" attr.type="string"/>
<key id="l" for="edge" attr.name="layer" attr.type="string"/>
<graph edgedefault="undirected">
<node id="a"><data key="k">firm</data></node>
<node id="b"><data key="k">firma</data></node>
<edge source="a" target="c"><data key="l">collaboration</data></edge>
</graph></graphml>""", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"bad.graphml, line 8, column target: 'c' is not a node id"):
        read_network(path)
    path.write_text("<graphml><graph><node id='a'></graph>", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"line 1, column \d+: is not well-formed XML"):
        read_network(path)


def test_duplicate_ties_are_merged_with_a_warning(tmp_path):
    edges = EDGES + "b,a,collaboration,2,2020\n"  # same undirected pair, layer and year
    with pytest.warns(UserWarning, match="1 duplicate ties .* merged .* line 4"):
        net = read_network(write(tmp_path, edges=edges))
    assert net.n_edges == 2
    assert net.edges.loc[net.edges["layer"] == "collaboration", "weight"].tolist() == [3.0]


def test_directed_ties_in_both_directions_are_not_duplicates(tmp_path, recwarn):
    edges = EDGES + "a,b,supply,1,2020\nb,a,supply,1,2020\n"
    assert read_network(write(tmp_path, edges=edges)).n_edges == 4
    assert not [w for w in recwarn if "duplicate" in str(w.message)]


def test_isolated_nodes_are_a_warning(tmp_path):
    with pytest.warns(UserWarning, match="1 node\\(s\\) have no ties: z"):
        read_network(write(tmp_path, nodes=NODES + "z,Zeta,firm,Çorum,1\n"))


def test_missing_path_and_unknown_format(tmp_path):
    with pytest.raises(InputDataError, match="no such file or folder"):
        read_network(tmp_path / "nope")
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(InputDataError, match="cannot tell the format"):
        read_network(tmp_path / "x.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputDataError, match="expected nodes.csv and edges.csv"):
        read_network(tmp_path / "empty")


def test_a_title_above_the_header_is_skipped_and_said_and_turkish_headers_are_known(tmp_path):
    """Turkish Excel lists often start with a title and a blank row; 'Kuruluş' is the
    founding year, 'Firma Ünvanı' the name, 'Personel Sayısı' the employees."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Firmalar"
    ws.append(["Samsun TSO üye listesi 2024"])
    ws.append([])
    ws.append(["Kimlik", "Firma Ünvanı", "Tür", "İl", "Kuruluş", "Personel Sayısı"])
    ws.append(["F1", "Yıldız Medikal", "firma", "Samsun", 1998, 40])
    ws.append(["F2", "Işık Plastik", "firma", "Samsun", 2005, 12])
    ties = wb.create_sheet("İlişkiler")
    ties.append(["Kaynak", "Hedef", "Katman", "Yıl"])
    ties.append(["F1", "F2", "tedarik", 2020])
    wb.save(tmp_path / "liste.xlsx")
    with pytest.warns(UserWarning, match="sheet Firmalar: header on row 3; the row above it "
                                         "\\('Samsun TSO üye listesi 2024'\\) skipped as a title"):
        net = read_network(tmp_path / "liste.xlsx")
    nodes = net.nodes.set_index("id")
    assert nodes.loc["F1", "name"] == "Yıldız Medikal" and nodes.loc["F2", "founded"] == 2005
    assert nodes.loc["F1", "employees"] == 40 and net.layers == ["supply"]


def test_csv_title_rows_above_the_header(tmp_path):
    """A Turkish Excel export with a title and a blank row: the header is found on line 3,
    said so, and problems keep the file's own line numbers."""
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "nodes.csv").write_text("Firma Listesi;;;\n;;;\nKimlik;Ad;Tür;İl\n"
                                      "F1;Yıldız;firma;Samsun\nF2;Kaya;xx;Çorum\n",
                                      encoding="utf-8-sig")
    (folder / "edges.csv").write_text("Kaynak;Hedef;Katman\nF1;F2;tedarik\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"nodes.csv: header on line 3; the line above it "
                                         r"\('Firma Listesi'\) skipped as a title"):
        with pytest.raises(InputDataError, match=r"nodes.csv, line 5, column 3 \(Tür\): "
                                                 r"unknown kind 'xx'"):
            read_network(folder)
    text = (folder / "nodes.csv").read_text(encoding="utf-8-sig").replace("xx", "firma")
    (folder / "nodes.csv").write_text(text, encoding="cp1254")  # and in Windows-1254
    with pytest.warns(UserWarning, match="header on line 3"):
        net = read_network(folder)
    assert list(net.nodes["name"]) == ["Yıldız", "Kaya"] and net.n_edges == 1


def test_dates_give_their_years_and_other_date_columns_stay_dates(tmp_path):
    """Founding dates and tie dates as Excel date cells give their years (one warning per
    column, not a problem per row); another column of dates is kept as dates."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    firms = book.active
    firms.title = "Firmalar"
    firms.append(["Kimlik", "Tür", "Kuruluş Tarihi", "Kayıt Tarihi"])
    for i in range(14):
        firms.append([f"F{i}", "firma", dt.datetime(1990 + i, 3, 15), dt.date(2019, 10, 16 + i)])
    ties = book.create_sheet("İlişkiler")
    ties.append(["Kaynak", "Hedef", "Katman", "Yıl"])
    for i in range(13):
        ties.append([f"F{i}", f"F{i + 1}", "işbirliği", dt.datetime(2018 + i % 5, 5, 1)])
    book.save(tmp_path / "book.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = read_network(tmp_path / "book.xlsx")
    said = [str(w.message) for w in caught]
    assert sum("Kuruluş Tarihi': 14 dates (date cells) read as their years ('1990-03-15' -> "
               "1990)" in m for m in said) == 1
    assert sum("'Yıl': 13 dates (date cells) read as their years" in m for m in said) == 1
    assert net.nodes["founded"].tolist() == list(range(1990, 2004))
    assert sorted(net.edges["year"].unique().tolist()) == [2018, 2019, 2020, 2021, 2022]
    assert str(net.nodes["Kayıt Tarihi"].dtype) == "date32[day][pyarrow]"
    assert net.nodes["Kayıt Tarihi"].iloc[0] == dt.date(2019, 10, 16)


def test_turkish_date_text_is_read_as_dates(tmp_path):
    """15.03.2019 (gg.aa.yyyy), 15/03/2019 and 2019-03-15 are dates, not numbers with mixed
    decimal marks; the day-month order comes from the column, said when nothing tells it; a
    date that does not exist is a problem naming its cell."""
    import datetime as dt

    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "nodes.csv").write_bytes(
        "kimlik;ad;tür;kuruluş tarihi;kayıt tarihi;ziyaret\n"
        "A;Ak;firma;15.03.1998;16.10.2019;03/04/2020\n"
        "B;Bo;firma;1999;01.02.2020;2020-04-05\n"
        "C;Çe;firma;02/01/2003;31.12.2021;\n".encode("cp1254"))
    (folder / "edges.csv").write_bytes("kaynak;hedef;katman;yıl\nA;B;tedarik;15.03.2019\n"
                                       "B;C;işbirliği;2020\n".encode("cp1254"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = read_network(folder)
    said = "\n".join(str(w.message) for w in caught)
    assert "mixed decimal marks" not in said
    assert "column 'kuruluş tarihi': 2 dates (gg.aa.yyyy, gg/aa/yyyy) read as their years " \
        "('15.03.1998' -> 1998)" in said
    assert "column 'kayıt tarihi' read as dates (gg.aa.yyyy)" in said
    assert "column 'ziyaret' read as dates (gg/aa/yyyy, yyyy-aa-gg (day first: no number " \
        "above 12 told the order))" in said
    assert net.nodes["founded"].tolist() == [1998, 1999, 2003]
    assert net.edges["year"].tolist() == [2019, 2020]
    assert net.nodes["kayıt tarihi"].tolist() == [dt.date(2019, 10, 16), dt.date(2020, 2, 1),
                                                  dt.date(2021, 12, 31)]
    assert net.nodes["ziyaret"].iloc[0] == dt.date(2020, 4, 3)  # day first, as said
    (folder / "nodes.csv").write_bytes("id;kind;founded\nA;firm;31.02.1998\nB;firm;1999\n"
                                       "C;firm;1.1.2000\n".encode())
    with pytest.raises(InputDataError) as err:
        read_network(folder)
    assert "nodes.csv, line 2, column 3 (founded): '31.02.1998' is not a date that exists " \
        "(read as gg.aa.yyyy)" in str(err.value)


def test_american_dates_are_told_by_the_column(tmp_path):
    from kumenet.graph.dates import read_dates

    reading = read_dates(pd.Series(["03/15/2019", "04/01/2020"], dtype=object))
    assert reading.how == "aa/gg/yyyy" and not reading.guessed
    assert reading.values.dt.strftime("%Y-%m-%d").tolist() == ["2019-03-15", "2020-04-01"]


def test_a_number_excel_shows_as_a_date_is_not_a_count_of_employees(tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "nodes"
    book.active.append(["id", "kind", "employees"])
    book.active.append(["a", "firm", dt.datetime(1900, 1, 12)])
    book.active.append(["b", "firm", 40])
    book.create_sheet("edges").append(["source", "target", "layer"])
    book["edges"].append(["a", "b", "supply"])
    book.save(tmp_path / "b.xlsx")
    with pytest.raises(InputDataError) as err:
        read_network(tmp_path / "b.xlsx")
    assert "line 2, column C (employees): employees must be a whole number, not the date " \
        "1900-01-12 (the cell is formatted as a date in Excel?)" in str(err.value)


def test_parquet_dates_and_timestamps_are_years_and_dates(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({
        "id": ["a", "b"], "kind": ["firm", "firm"],
        "founded": pa.array([dt.date(1998, 3, 15), None], pa.date32()),
        "seen": pa.array([dt.datetime(2020, 1, 2, 10, 30), None], pa.timestamp("us")),
        "joined": pa.array([dt.datetime(2019, 10, 16, tzinfo=dt.timezone.utc), None],
                           pa.timestamp("s", tz="UTC"))}), tmp_path / "nodes.parquet")
    pq.write_table(pa.table({"source": ["a"], "target": ["b"], "layer": ["supply"],
                             "year": pa.array([dt.date(2019, 5, 1)], pa.date32())}),
                   tmp_path / "edges.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_network(tmp_path)
    assert net.nodes["founded"].tolist()[0] == 1998 and pd.isna(net.nodes["founded"].iloc[1])
    assert net.edges["year"].tolist() == [2019]
    assert net.nodes["seen"].iloc[0] == pd.Timestamp("2020-01-02 10:30")
    assert net.nodes["joined"].iloc[0] == dt.date(2019, 10, 16)


TURKISH_SUBTYPES = {"Oda": "chamber", "Üniversite": "university", "UNIVERSITE": "university",
                    "Kalkınma Ajansı": "development_agency", "KALKINMA AJANSI":
                    "development_agency", "OSB": "industrial_zone", "TGB": "technopark",
                    "İhracatçı Birliği": "exporters_union", "Ihracatci Birligi":
                    "exporters_union", "KOSGEB": "public_body", "Belediye": "public_body",
                    "Dernek": "association", "Kümelenme Bilgi Merkezi": "cluster_centre",
                    "KBM": "cluster_centre", "T.S.O.": "chamber", "Araştırma Merkezi":
                    "research_organisation", "Yabancı Alıcı": "buyer"}


def test_turkish_subtypes_are_kumenets_subtypes(tmp_path):
    """Turkish names of institutions' types (with or without Turkish letters, abbreviated)
    are kumenet's subtypes; an unknown one is kept and named once, with its count."""
    names = list(TURKISH_SUBTYPES) + ["Halk Kütüphanesi", "Halk Kütüphanesi"]
    nodes = pd.DataFrame({"id": [f"n{i}" for i in range(len(names))], "kind": "kurum",
                          "alt tür": names})
    edges = pd.DataFrame({"source": ["n0"] * (len(names) - 1),
                          "target": [f"n{i}" for i in range(1, len(names))], "layer": "bilgi"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = Network.from_frames(nodes, edges)
    assert net.nodes["subtype"].tolist() == list(TURKISH_SUBTYPES.values()) + \
        ["halk_kutuphanesi"] * 2
    said = [str(w.message) for w in caught if "subtypes" in str(w.message)]
    assert len(said) == 1 and "column 'alt tür': subtypes kumenet does not know, kept as " \
        "written: 'Halk Kütüphanesi' (2); the known ones are company, buyer" in said[0]


def test_ties_to_a_turkish_universite_count_as_knowledge_ties(tiny):
    """The cluster evaluation's knowledge ties read the subtype: 'Üniversite' counts."""
    from kumenet.regional.evaluation import indicators

    nodes = tiny.nodes.copy()
    edges = tiny.edges.copy()
    nodes["subtype"] = nodes["subtype"].astype(object)
    nodes.loc[nodes["id"] == "i", "subtype"] = "Üniversite"
    turkish = Network.from_frames(nodes.assign(cluster=["c"] * 6), edges)
    nodes.loc[nodes["id"] == "i", "subtype"] = "university"
    english = Network.from_frames(nodes.assign(cluster=["c"] * 6), edges)
    labels = pd.Series(["c"] * 6, dtype=object)
    got = indicators(turkish, labels, min_firms=1)["knowledge_ties"].tolist()
    assert got == indicators(english, labels, min_firms=1)["knowledge_ties"].tolist()
    assert got[0] > 0


def test_every_problem_of_a_workbook_is_reported_in_one_pass(tmp_path):
    """A formula without a saved value, a repeated id, an unknown tie end and a self-loop:
    all in the first message, not one round after another."""
    import openpyxl

    book = openpyxl.Workbook()
    nodes = book.active
    nodes.title = "Firmalar"
    for row in (["Kimlik", "Tür", "Çalışan"], ["A", "firma", "=B2*2"], ["B", "firma", 12],
                ["B", "firma", 14], ["C", "firma", "on iki"]):
        nodes.append(row)
    ties = book.create_sheet("İlişkiler")
    for row in (["Kaynak", "Hedef", "Katman"], ["A", "Z", "tedarik"], ["C", "C", "işbirliği"],
                ["A", "B", ""]):
        ties.append(row)
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(InputDataError) as err:
        read_network(tmp_path / "book.xlsx")
    said = str(err.value)
    for part in ("sheet Firmalar, line 2, column C (Çalışan): the formula '=B2*2' has no saved "
                 "value", "line 4, column A (Kimlik): duplicate id 'B'",
                 "line 5, column C (Çalışan): employees must be a whole number, not 'on iki'",
                 "sheet İlişkiler, line 2, column B (Hedef): 'Z' is not a node id",
                 "line 3, column B (Hedef): self-loop: 'C' is tied to itself",
                 "line 4, column C (Katman): empty layer"):
        assert part in said, (part, said)
