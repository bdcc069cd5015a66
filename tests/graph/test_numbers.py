"""Numbers as Turkish and English offices write them: never misread, never silently guessed."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kumenet.errors import InputDataError
from kumenet.graph.io import read_network
from kumenet.graph.numbers import read_numbers

EDGES_TR = "kaynak;hedef;katman;yıl\nA1;A2;tedarik;2020\n"


def folder(tmp_path, nodes: str, edges: str = EDGES_TR, encoding: str = "cp1254", name="net"):
    path = tmp_path / name
    path.mkdir()
    (path / "nodes.csv").write_bytes(nodes.encode(encoding))
    (path / "edges.csv").write_bytes(edges.encode(encoding))
    return path


def load(path, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = read_network(path, **options)
    return net, [str(w.message) for w in caught]


def test_turkish_excel_export_reads_thousands_and_decimal_commas(tmp_path):
    # What a Cluster Knowledge Centre's Excel saves as "CSV (noktalı virgülle ayrılmış)".
    nodes = ("kimlik;tür;çalışan sayısı;ihracat;ciro\n"
             "A1;firma;1.200;250.000;3,5\n"
             "A2;firma;35;1.500,5;1.250,75\n")
    net, said = load(folder(tmp_path, nodes))
    assert net.nodes["employees"].tolist() == [1200, 35]
    assert net.nodes["exports_usd"].tolist() == [250000.0, 1500.5]
    assert net.nodes["ciro"].tolist() == [3.5, 1250.75]
    # The exports column mixes 1.500,5 (only a comma reads it) and 250.000: no warning needed.
    assert not [m for m in said if "ihracat" in m]
    # The employees column held only 1.200-like cells: decided, and said so.
    [employees] = [m for m in said if "çalışan sayısı" in m]
    assert "'1.200' could mean 1200 or 1.2; read as 1200" in employees
    assert "whole numbers" in employees


def test_an_ambiguous_column_follows_the_rest_of_the_file_and_says_so(tmp_path):
    nodes = "id;kind;ihracat;ciro\nA1;firm;250.000;3,5\nA2;firm;2.000;12,25\n"
    net, said = load(folder(tmp_path, nodes, encoding="utf-8"))
    assert net.nodes["exports_usd"].tolist() == [250000.0, 2000.0]
    [message] = [m for m in said if "ihracat" in m]
    assert "read as 250000" in message and "column 'ciro'" in message


@pytest.mark.parametrize("sep, encoding, expected, because", [
    (";", "utf-8", 1500.0, "separated by ';'"),
    (",", "cp1254", 1500.0, "Windows-1254"),
    (",", "utf-8", 1.5, "nothing else in the file"),
])
def test_evidence_from_separator_and_encoding(tmp_path, sep, encoding, expected, because):
    nodes = f"id{sep}kind{sep}name{sep}score\nA1{sep}firm{sep}Işık{sep}1.500\nA2{sep}firm{sep}Ç{sep}2\n"
    edges = f"source{sep}target{sep}layer\nA1{sep}A2{sep}supply\n"
    net, said = load(folder(tmp_path, nodes, edges, encoding))
    assert net.nodes["score"].iloc[0] == expected
    assert any("'score'" in m and because in m for m in said)


def test_decimal_option_decides_without_a_warning(tmp_path):
    nodes = "id,kind,score\nA1,firm,\"1.500\"\nA2,firm,2\n"
    edges = "source,target,layer\nA1,A2,supply\n"
    net, said = load(folder(tmp_path, nodes, edges, "utf-8"), decimal=",")
    assert net.nodes["score"].tolist() == [1500, 2]
    assert not [m for m in said if "score" in m]


def test_english_thousands_are_read_in_whole_columns(tmp_path):
    nodes = 'id,kind,employees,exports_usd\nA1,firm,"1,200",12.5\nA2,firm,35,"2,500.75"\n'
    edges = "source,target,layer\nA1,A2,supply\n"
    net, _ = load(folder(tmp_path, nodes, edges, "utf-8"))
    assert net.nodes["employees"].tolist() == [1200, 35]
    assert net.nodes["exports_usd"].tolist() == [12.5, 2500.75]


@pytest.mark.parametrize("cell, message", [
    ("12,5", "employees must be a whole number, not '12,5' (read as 12.5)"),
    ("-3", "employees must be between 0 and 999,999,999, not '-3'"),
    ("1e19", "employees must be between 0 and 999,999,999, not '1e19'"),
])
def test_whole_number_columns_never_take_a_fraction_silently(tmp_path, cell, message):
    nodes = f"id;kind;employees\nA1;firm;{cell}\nA2;firm;3\n"
    with pytest.raises(InputDataError) as info:
        read_network(folder(tmp_path, nodes, encoding="utf-8"))
    assert message in str(info.value)


def test_a_column_mixing_both_marks_reports_the_minority(tmp_path):
    nodes = "id;kind;ihracat\nA1;firm;1,5\nA2;firm;2,5\nA3;firm;3.25\n"
    edges = "source;target;layer\nA1;A2;supply\nA2;A3;supply\n"
    with pytest.raises(InputDataError) as info:
        read_network(folder(tmp_path, nodes, edges, "utf-8"))
    assert "line 4, column 3 (ihracat): exports_usd must be a number, not '3.25'" in str(info.value)


def test_an_extra_column_mixing_marks_stays_text_and_says_why(tmp_path):
    nodes = "id;kind;ciro\nA1;firm;1,5\nA2;firm;2,5\nA3;firm;3.25\n"
    edges = "source;target;layer\nA1;A2;supply\nA2;A3;supply\n"
    net, said = load(folder(tmp_path, nodes, edges, "utf-8"))
    assert net.nodes["ciro"].tolist() == ["1,5", "2,5", "3.25"]
    assert any("'ciro' looks numeric but line 4 ('3.25')" in m for m in said)


# -- properties -------------------------------------------------------------------------------

def turkish(value: float, decimals: int) -> str:
    """``value`` as a Turkish office writes it: 1.234.567,89."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def english(value: float, decimals: int, group: bool) -> str:
    return f"{value:,.{decimals}f}" if group else f"{value:.{decimals}f}"


amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
digits = st.integers(min_value=1, max_value=4)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.tuples(amounts, digits), min_size=1, max_size=20), group=st.booleans())
def test_numbers_written_the_turkish_and_the_english_way_read_back_equal(values, group):
    tr = pd.Series([turkish(v, d) for v, d in values])
    en = pd.Series([english(v, d, group) for v, d in values])
    tr_values, tr_bad, _ = read_numbers(tr, ",")
    en_values, en_bad, _ = read_numbers(en, ".")
    assert not tr_bad.any() and not en_bad.any()
    assert tr_values.tolist() == en_values.tolist()
    assert tr_values.tolist() == [float(english(v, d, False)) for v, d in values]


@settings(max_examples=200)
@given(values=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=20))
def test_whole_numbers_with_thousands_read_the_same_either_way_in_whole_columns(values):
    tr = pd.Series([f"{v:,}".replace(",", ".") for v in values])
    en = pd.Series([f"{v:,}" for v in values])
    tr_values, tr_bad, _ = read_numbers(tr, None, whole=True)
    en_values, en_bad, _ = read_numbers(en, None, whole=True)
    assert not tr_bad.any() and not en_bad.any()
    assert tr_values.tolist() == en_values.tolist() == [float(v) for v in values]


@settings(max_examples=300)
@given(cells=st.lists(st.one_of(st.none(), st.text(alphabet="0123456789.,-+eE ", max_size=12),
                                st.text(max_size=6)), max_size=30),
       mark=st.sampled_from([None, ".", ","]))
def test_any_cells_give_numbers_or_bad_marks_never_an_exception(cells, mark):
    s = pd.Series(cells, dtype="string").str.strip()
    s = s.mask(s == "")
    values, bad, reading = read_numbers(s, mark)
    assert len(values) == len(bad) == len(cells)
    filled = s.notna().to_numpy()
    # every filled cell is either a finite number or reported; empty cells are neither
    assert ((values.notna().to_numpy() | bad) == filled).all()
    assert reading.mark in (".", ",")


def test_the_turkish_excel_sample_reads_every_number_right():
    from tests.conftest import ROOT

    net, said = load(ROOT / "sample_networks" / "turkish_excel")
    firms = net.nodes.set_index("id")
    assert firms.loc["F01", "employees"] == 1200 and firms.loc["F05", "employees"] == 2300
    assert firms.loc["F01", "exports_usd"] == 2_500_000 and firms.loc["F05", "exports_usd"] == 18_000_000
    assert firms.loc["F05", "Ciro (milyon TL)"] == 1250.5 and firms.loc["F01", "founded"] == 1998
    assert firms.loc["F06", "province"] == "Kahramanmaraş" and firms.loc["F05", "province"] == "Gaziantep"
    assert net.edges["weight"].tolist()[:3] == [2.5, 1.0, 1.5]
    assert set(net.layers) == {"supply", "collaboration", "membership", "information"}
    assert "'Çalışan Sayısı': '1.200' could mean 1200 or 1.2" in said[0]
    # the other notes are about dates, one per column (tests/graph/test_validate.py)
    assert len(said) == 4 and all("date" in s for s in said[1:])
    assert firms.loc["F04", "founded"] == 1979 and firms.loc["K04", "subtype"] == "university"
