import pandas as pd

from kumenet.text import did_you_mean, fold, fold_series, sort_key, tr_lower, tr_upper


def test_turkish_case_pairs_are_dotted_and_dotless():
    assert tr_lower("IĞDIR İZMİR") == "ığdır izmir"
    assert tr_upper("ığdır izmir") == "IĞDIR İZMİR"
    # Python's own lower() gets both wrong
    assert "IĞDIR".lower() != tr_lower("IĞDIR")


def test_fold_matches_what_people_type():
    spellings = ["KAHRAMANMARAŞ", "Kahramanmaras", "kahramanmaraş", "KAHRAMANMARAS"]
    assert {fold(s) for s in spellings} == {"kahramanmaras"}
    assert fold("İÇEL") == fold("icel") == "icel"
    assert fold("Şanlıurfa") == "sanliurfa"


def test_fold_series_equals_fold_elementwise():
    values = ["İSTANBUL", "Iğdır", "ÇORUM", "K.Maraş", None, "  Gazi  Antep "]
    folded = fold_series(pd.Series(values))
    assert folded.tolist()[:4] == [fold(v) for v in values[:4]]
    assert pd.isna(folded.iloc[4])
    assert folded.iloc[5] == "gazi antep"


def test_turkish_alphabetical_order():
    words = ["Zonguldak", "Ödemiş", "Ordu", "İzmir", "Isparta", "Çorum", "Ceyhan", "Şile", "Sinop",
             "Üsküdar", "Uşak", "Iğdır"]
    assert sorted(words, key=sort_key) == ["Ceyhan", "Çorum", "Iğdır", "Isparta", "İzmir", "Ordu",
                                           "Ödemiş", "Sinop", "Şile", "Uşak", "Üsküdar",
                                           "Zonguldak"]


def test_did_you_mean_ignores_case_and_diacritics():
    assert did_you_mean("GAZİANTEB", ["Gaziantep", "Samsun"]) == ["Gaziantep"]
    assert did_you_mean("xyz", ["Gaziantep", "Samsun"]) == []
