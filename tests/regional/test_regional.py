"""Regional indicators against hand-worked answers, against ecomplexity, and on bad tables."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kumenet.errors import InputDataError, KumenetError
from kumenet.graph.network import Network
from kumenet.regional.complexity import complexity, eci_pci, potential
from kumenet.regional.specialisation import location_quotients, shift_share, specialisation
from kumenet.regional.table import (RegionTable, from_network, load_dataset,
                                    read_region_table, sector_codes)
from tests.test_cli import run

# Four regions, three sectors. National shares a 1/2, b 1/6, c 1/3; every region holds 30.
#       a   b   c        LQ: R1 (2/3, 2, 1)  R2 (4/3, 2, 0)  R3 (2, 0, 0)  R4 (0, 0, 3)
# R1   10  10  10        presence (RCA >= 1): R1 b c, R2 a b, R3 a, R4 c
# R2   20  10   0        co-occurrence: ab 1 (R2), bc 1 (R1), ac 0; ubiquity 2 each
# R3   30   0   0        proximity: ab 1/2, bc 1/2, ac 0
# R4    0   0  30
HAND = """region,sector,value,establishments
R1,a,10,5
R1,b,10,5
R1,c,10,5
R2,a,20,8
R2,b,10,4
R2,c,0,0
R3,a,30,10
R3,b,0,0
R3,c,0,0
R4,a,0,0
R4,b,0,0
R4,c,30,6
"""


@pytest.fixture
def hand(tmp_path) -> RegionTable:
    path = tmp_path / "hand.csv"
    path.write_text(HAND, encoding="utf-8")
    return read_region_table(path)


def cell(frame, region, sector, column):
    return frame.loc[(frame["region"] == region) & (frame["sector"] == sector), column].item()


def test_location_quotients_by_hand(hand):
    lq = location_quotients(hand)
    expected = {("R1", "a"): 2 / 3, ("R1", "b"): 2, ("R1", "c"): 1, ("R2", "a"): 4 / 3,
                ("R2", "b"): 2, ("R3", "a"): 2, ("R4", "c"): 3, ("R4", "a"): 0}
    for (r, s), want in expected.items():
        assert cell(lq, r, s, "lq") == pytest.approx(want)
    assert cell(lq, "R2", "a", "share_of_region") == pytest.approx(2 / 3)
    assert cell(lq, "R2", "a", "share_of_sector") == pytest.approx(1 / 3)


def test_strong_clusters_and_stars_by_hand(hand):
    # Strong: per sector LQ >= 75th percentile (a: 1.5, b: 2, c: 1.5) and >= 1, value and
    # establishments above the 25th percentile. Stars: size >= 29 (90 % quantile of all
    # values), LQ >= 2, share of region >= 0.9667 (90 % quantile of the shares).
    out = specialisation(hand)
    strong = set(map(tuple, out.loc[out["strong"], ["region", "sector"]].to_numpy()))
    assert strong == {("R3", "a"), ("R1", "b"), ("R2", "b"), ("R4", "c")}
    stars = {(r, s): n for r, s, n in out[["region", "sector", "stars"]].itertuples(index=False)}
    assert stars[("R3", "a")] == 3 and stars[("R4", "c")] == 3
    assert stars[("R1", "b")] == 1 and stars[("R2", "b")] == 1
    assert sum(stars.values()) == 8
    assert cell(out, "R1", "b", "specialisation_star") and not cell(out, "R1", "b", "size_star")
    assert cell(out, "R2", "a", "lq_rank") == 2


def test_strong_rule_without_establishments(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in HAND.splitlines()) + "\n")
    out = specialisation(read_region_table(path))
    assert out["establishments"].isna().all()
    assert out["strong"].sum() == 4


def test_proximity_density_by_hand(hand):
    cx = complexity(hand)
    assert cx.presence.tolist() == [[0, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 1]]
    np.testing.assert_allclose(cx.proximity, [[1, .5, 0], [.5, 1, .5], [0, .5, 1]])
    # density = sum_k M_rk phi_ks / sum_k phi_ks; column sums of phi: 1.5, 2, 1.5
    np.testing.assert_allclose(cx.density, [[1 / 3, .75, 1], [1, .75, 1 / 3],
                                            [2 / 3, .25, 0], [0, .25, 2 / 3]])
    pairs = cx.proximity_table()
    assert pairs.iloc[0]["proximity"] == 0.5 and len(pairs) == 3


def test_eci_pci_on_nested_presence_by_hand():
    # Nested regions (3, 2, 1 sectors): M~ has eigenvalues 1, 1/4, 1/9; the 1/4 eigenvector
    # is PCI ~ (-2, 1, 4), ECI = mean PCI of present sectors ~ (1, -1/2, -2); both then
    # standardised with ECI's mean -1/2 and standard deviation sqrt(3/2).
    eci, pci = eci_pci(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]]))
    s = np.sqrt(1.5)
    np.testing.assert_allclose(eci, [1.5 / s, 0, -1.5 / s], atol=1e-12)
    np.testing.assert_allclose(pci, [-1.5 / s, 1.5 / s, 4.5 / s])


def test_eci_properties_on_packaged_data():
    cx = complexity(load_dataset("tr-nuts2-employment"), 2019)
    assert cx.eci.mean() == pytest.approx(0, abs=1e-12) and cx.eci.std() == pytest.approx(1)
    # ECI is the mean PCI of the region's present sectors (standardisation keeps it).
    np.testing.assert_allclose(cx.eci, (cx.presence @ cx.pci) / cx.diversity)
    assert np.corrcoef(cx.eci, cx.diversity)[0, 1] > 0
    assert cx.regions_table().iloc[0]["region"] == "TR10"  # İstanbul first


def test_potential_ranks_absent_sectors_with_reasons(hand):
    out = potential(complexity(hand), ["R3"])
    assert out["sector"].tolist() == ["b", "c"]  # density 0.25, then 0
    assert out.iloc[0]["reason"] == "related sectors already present: a (proximity 0.50)"
    assert out.iloc[1]["reason"] == "no related sector present"
    every = potential(complexity(hand))
    assert not every[["density", "cog", "pci"]].isna().any().any()
    assert len(potential(complexity(hand), top=1)) == 4
    with pytest.raises(KumenetError, match="did you mean 'R3'"):
        potential(complexity(hand), ["R33"])


def test_shift_share_adds_up(tmp_path):
    rows = HAND.splitlines()[1:]
    later = {"R3,a": "45", "R4,c": "30", "R1,b": "5"}
    text = "region,sector,year,value\n"
    for line in rows:
        r, s, v, _ = line.split(",")
        text += f"{r},{s},2010,{v}\n{r},{s},2020,{later.get(f'{r},{s}', v)}\n"
    path = tmp_path / "years.csv"
    path.write_text(text)
    out = shift_share(read_region_table(path), 2010, 2020)
    total = out[["national_share", "industry_mix", "regional_shift"]].sum(axis=1)
    np.testing.assert_allclose(total, out["change"])
    # national growth 10/120; a grew 15/60: R3 a = 30 * (1/12) + 30 * (1/4 - 1/12) + 30 * (1/2 - 1/4)
    r3a = out[(out.region == "R3") & (out.sector == "a")].iloc[0]
    assert r3a["national_share"] == pytest.approx(2.5)
    assert r3a["industry_mix"] == pytest.approx(5)
    assert r3a["regional_shift"] == pytest.approx(7.5)
    with pytest.raises(KumenetError, match="before the end"):
        shift_share(read_region_table(path), 2020, 2010)


def test_packaged_dataset_is_complete():
    table = load_dataset("tr-nuts2-employment")
    assert table.years == list(range(2009, 2020))
    assert table.data["region"].nunique() == 26 and table.data["sector"].nunique() == 10
    assert not table.data["value"].isna().any()
    assert table.names("region")["TR83"].startswith("Samsun")


def test_same_as_ecomplexity_on_packaged_data():
    ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
    table = load_dataset("tr-nuts2-employment")
    for year in (2009, 2019):
        ours = complexity(table, year).table()
        data = table.data[table.data["year"] == year][["year", "region", "sector", "value"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = ecomplexity(data, {"time": "year", "loc": "region", "prod": "sector",
                                     "val": "value"}, verbose=False,
                              check_logsupermodularity=False)
        both = ours.merge(ref, on=["region", "sector"], suffixes=("", "_ref"))
        assert len(both) == 260
        for col in ("rca", "diversity", "ubiquity", "density", "eci", "pci", "coi", "cog"):
            np.testing.assert_allclose(both[col], both[f"{col}_ref"], atol=1e-9, err_msg=col)
        assert (both["present"] == (both["mcp"] == 1)).all()
    from ecomplexity import proximity as ref_proximity

    data = table.data[table.data["year"] == 2019][["year", "region", "sector", "value"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ref_proximity(data, {"time": "year", "loc": "region", "prod": "sector",
                                   "val": "value"})
    cx = complexity(table, 2019)
    pos = {s: i for i, s in enumerate(cx.sectors)}
    ours = cx.proximity[ref["sector_1"].map(pos), ref["sector_2"].map(pos)]
    np.testing.assert_allclose(ours, ref["proximity"], atol=1e-12)


def test_knn_density_weights_by_proximity(hand):
    cx = complexity(hand, knn=2)
    # b's two nearest: itself (1) and a or c (0.5, the first in order: a); R3 holds a only.
    assert cx.density[2, 1] == pytest.approx(0.5 / 1.5)


@pytest.mark.parametrize("text, message", [
    ("region,value\nR1,3\n", "line 1: missing required column 'sector'"),
    ("region,sector,value\nR1,a,-3\n", "line 2, column 3 (value): negative value -3"),
    ("region,sector,value\nR1,a,many\n", "line 2, column 3 (value): not a number: 'many'"),
    ("region,sector,value\n,a,3\n", "line 2, column 1 (region): empty region"),
    ("region,sector,value\nR1,a,3\nR1,a,4\n", "line 3, column 1 (region): R1 x a appears again"),
    ("region,sector,value,year\nR1,a,3,20x9\n", "line 2, column 4 (year): not a year"),
])
def test_bad_tables_name_file_line_column(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InputDataError) as err:
        read_region_table(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_empty_region_and_sector_are_left_out_with_a_warning(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(HAND + "R5,a,0,0\nR5,b,0,0\nR5,c,0,0\nR1,d,0,0\nR2,d,,0\n")
    with pytest.warns(UserWarning, match="1 empty value"):
        table = read_region_table(path)
    with pytest.warns(UserWarning) as caught:
        cx = complexity(table)
    text = " ".join(str(w.message) for w in caught)
    assert "region(s) with a total of 0 left out" in text and "R5" in text
    assert "sector(s) with a total of 0 left out" in text and "d" in text
    assert list(cx.regions) == ["R1", "R2", "R3", "R4"] and list(cx.sectors) == ["a", "b", "c"]
    assert not potential(cx)[["density", "cog", "pci"]].isna().any().any()


@pytest.mark.parametrize("rows", [
    "Samsun;C;1.250\nSamsun;G;3.400\nTrabzon;C;800\nTrabzon;G;2.100\nÇorum;C;1.900\n"
    "Çorum;G;1.000\n",  # two sectors: every region has one present, a sector's peers are one
    "Samsun;C;5\nTrabzon;C;7\n",  # one sector
    "Samsun;C;5\nSamsun;G;7\n",  # one region
])
def test_small_tables_give_potentials_without_numeric_noise(tmp_path, rows):
    """A table of a few regions and sectors (staff try one by hand) ended in an internal
    error (three related sectors asked of two) and printed numpy's divide-by-zero warnings;
    spreads of 0 standardise to 0, not NaN."""
    path = tmp_path / "tablo.csv"
    path.write_text("İl;Sektör;İstihdam\n" + rows, encoding="cp1254")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)  # '1.250' read as 1250; ECI not computable
        cx = complexity(read_region_table(path))
        out = potential(cx, lang="tr")
    assert np.isfinite(cx.coi).all() and np.isfinite(cx.cog).all()
    assert out["reason"].str.len().gt(0).all()
    result = run("potential", "--table", path)
    assert result.exit_code == 0 and "internal error" not in result.output
    assert "invalid value" not in result.output and "Mean of empty" not in result.output


def test_all_zero_table_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("region,sector,value\nR1,a,0\n")
    with pytest.raises(KumenetError, match="every value is 0"):
        read_region_table(path)


def test_turkish_headers_and_semicolons(tmp_path):
    path = tmp_path / "tr.csv"
    path.write_text("Bölge;Sektör;İstihdam;Yıl\nSamsun;C;1.234,5;2020\nTrabzon;C;10;2020\n"
                    "Samsun;A;5;2020\nTrabzon;A;50;2020\n", encoding="cp1254")
    table = read_region_table(path)
    assert table.measure == "İstihdam"
    assert cell(table.data, "Samsun", "C", "value") == pytest.approx(1234.5)


def test_from_network_tabulates_firms(tiny):
    table = from_network(tiny, "province", "division")
    rows = table.data.set_index(["region", "sector"])
    assert rows.loc[("Samsun", "32"), "value"] == 40
    assert rows.loc[("Samsun", "32"), "establishments"] == 1
    assert "DE" not in set(table.data["region"])  # foreign firms are not a Turkish region
    assert table.names("sector")["32"] == "Other manufacturing"
    firms = from_network(tiny, "nuts2", "section", "firms")
    assert firms.data.set_index(["region", "sector"]).loc[("TR83", "C"), "value"] == 3
    assert sector_codes(pd.Series(["13.93", "01.25", None]), "section").tolist() == ["C", "A", None]
    with pytest.raises(KumenetError, match="numeric node column"):
        from_network(tiny, value="name")
    # Firms without the value, or with 0 everywhere: a message, not an internal error.
    nodes = tiny.nodes.assign(employees=np.nan)
    with pytest.raises(KumenetError, match="none of the 4 firms with a province and a sector "
                                           "has employees: count firms instead"):
        from_network(Network.from_frames(nodes, tiny.edges))
    zero = from_network(Network.from_frames(tiny.nodes.assign(employees=0), tiny.edges))
    with pytest.warns(UserWarning, match="with a total of 0 left out"):
        with pytest.raises(KumenetError, match="every value is 0 \\(employees"):
            location_quotients(zero)


def test_cli_regions_on_the_packaged_dataset():
    result = run("regions", "--dataset", "tr-nuts2-employment", "--year", "2019",
                 "--region", "TR83", "--format", "csv")
    assert result.exit_code == 0
    frame = pd.read_csv(pd.io.common.StringIO(result.output))
    assert len(frame) == 10 and set(frame["region"]) == {"TR83"}
    assert frame.loc[frame["sector"] == "A", "stars"].item() == 3


def test_cli_potential_and_errors():
    result = run("potential", "--dataset", "tr-nuts2-employment", "--region", "Samsun, Tokat, Çorum, Amasya",
                 "--top", "2", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.count("TR83") == 2
    result = run("potential", "--dataset", "tr-nuts2-employment", "--region", "TR8")
    assert result.exit_code == 1 and "did you mean" in result.output
    result = run("regions")
    assert result.exit_code == 2 and "exactly one of" in result.output


def test_cli_regions_from_a_bad_table(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("region,sector,value\nR1,a,-1\n")
    out = tmp_path / "out.csv"
    result = run("regions", "--table", path, "-o", out)
    assert result.exit_code == 1 and "line 2, column 3 (value)" in result.output
    assert not out.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_any_small_table_gives_every_view_or_a_clear_error(tmp_path, n_regions, n_sectors, data):
    """Generated region x sector tables (zeros, ties, one region or sector): every view of
    ``potential`` is computed with finite standardised figures or refused with a message;
    never an internal error or numpy's warnings."""
    values = data.draw(st.lists(st.integers(0, 50), min_size=n_regions * n_sectors,
                                max_size=n_regions * n_sectors))
    lines = [f"R{r},s{c},{values[r * n_sectors + c]}" for r in range(n_regions)
             for c in range(n_sectors)]
    path = tmp_path / "t.csv"
    path.write_text("region,sector,value\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        try:
            cx = complexity(read_region_table(path))
        except KumenetError:
            return
        for table in (potential(cx), cx.regions_table(), cx.sectors_table(), cx.proximity_table()):
            assert isinstance(table, pd.DataFrame)
    assert np.isfinite(cx.coi).all() and np.isfinite(cx.cog).all()
