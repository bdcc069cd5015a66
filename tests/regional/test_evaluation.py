"""The national cluster evaluation on the pilot network, and its configuration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kumenet.errors import KumenetError
from kumenet.regional.evaluation import (INDICATORS, cluster_labels, evaluate_clusters,
                                         indicators, load_config, normalise)
from tests.test_cli import run


@pytest.fixture(scope="module")
def evaluated(pilot):
    return evaluate_clusters(pilot)


def test_every_planted_cluster_is_ranked_and_explained(pilot, evaluated):
    table, details = evaluated
    planted = set(pilot.nodes["cluster"].dropna()) - {""}
    assert set(table["cluster"]) == planted and len(table) == 14
    assert table["rank"].tolist() == list(range(1, 15))
    assert table["score"].is_monotonic_decreasing
    assert table["score"].between(0, 100).all() and not table["score"].isna().any()
    assert table["profile"].str.contains("strengths: ").all()
    assert table["profile"].str.contains("to improve: ").all()
    # the score is the sum of its points, and the weights of a cluster add up to 1
    points = details.groupby("cluster")["points"].sum()
    np.testing.assert_allclose(table.set_index("cluster")["score"], points[table["cluster"]],
                               atol=0.05)
    np.testing.assert_allclose(details.groupby("cluster")["weight"].sum(), 1.0)


def test_labels_follow_the_thresholds(evaluated):
    table, _ = evaluated
    for label, low, high in (("gold", 67, 101), ("silver", 50, 67), ("bronze", 33, 50),
                             ("-", -1, 33)):
        rows = table[table["label"] == label]
        assert rows["score"].between(low, high, inclusive="left").all()


def test_indicators_measure_what_they_say(pilot):
    labels = cluster_labels(pilot, "cluster")
    raw = indicators(pilot, labels).set_index("cluster")
    name = "Samsun tıbbi cihazlar"
    members = pilot.nodes[labels.to_numpy() == name]
    assert raw.loc[name, "firms"] == len(members)
    assert raw.loc[name, "employees"] == members["employees"].sum()
    assert raw.loc[name, "main_province"] == "Samsun" and raw.loc[name, "main_sector"] == "32"
    exporters = (members["exports_usd"].fillna(0) > 0).mean()
    assert raw.loc[name, "exporter_share"] == pytest.approx(exporters)
    assert raw[list(INDICATORS)].notna().all().all()
    assert (raw["value_chain_completeness"].between(0, 1)).all()


def test_normalise():
    assert normalise(pd.Series([3.0, 1.0, 2.0])).tolist() == [100.0, 0.0, 50.0]
    assert normalise(pd.Series([2.0, 4.0, 10.0]), "minmax").tolist() == [0.0, 25.0, 100.0]
    assert normalise(pd.Series([7.0])).tolist() == [50.0]


def test_configuration_changes_the_score(pilot, tmp_path):
    path = tmp_path / "only_networking.toml"
    path.write_text('normalisation = "minmax"\nmin_firms = 30\n[labels]\ntop = 60\n'
                    '[criteria.networking]\nweight = 1\n'
                    'indicators = { internal_density = 1 }\n')
    with pytest.warns(UserWarning, match="2 group.s. with fewer than 30 firms not evaluated"):
        table, _ = evaluate_clusters(pilot, config=path)
    assert (table["firms"] >= 30).all()
    assert table["score"].tolist() == table["networking"].tolist()
    assert table.iloc[0]["score"] == 100 and table.iloc[-1]["score"] == 0
    assert set(table["label"]) <= {"top", "-"}


@pytest.mark.parametrize("text, message", [
    ("[criteria.x]\nweight = 1\nindicators = { firm = 1 }\n",
     "unknown indicator 'firm' (did you mean 'firms'?)"),
    ("[criteria.x]\nweight = -1\nindicators = { firms = 1 }\n", "must be a number >= 0"),
    ("[criteria.x\n", "not valid TOML"),
    ("normalisation = 'z'\n[criteria.x]\nindicators = { firms = 1 }\n", "'rank' or 'minmax'"),
])
def test_bad_configuration(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(KumenetError, match="bad.toml") as err:
        load_config(path)
    assert message in str(err.value)


@pytest.mark.filterwarnings("ignore:.*fewer than 5 firms")
def test_groupings_and_determinism(pilot):
    a, _ = evaluate_clusters(pilot, "province-sector", seed=1)
    b, _ = evaluate_clusters(pilot, "province-sector", seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert "Samsun 28" in set(a["cluster"])
    c, _ = evaluate_clusters(pilot, "community", seed=0)
    # Communities are named by their firms' province and sector, not numbered.
    assert c["cluster"].str.contains(" · ").all() and c["cluster"].is_unique
    assert "Samsun · 28.30 Tarım ve ormancılık makineleri imalatı" in set(c["cluster"])
    with pytest.raises(KumenetError, match="did you mean 'cluster'"):
        cluster_labels(pilot, "clustr")


def test_missing_data_is_reported_not_nan(tiny):
    nodes = tiny.nodes
    from kumenet.graph.network import Network

    labels = pd.Series(np.where(nodes["kind"] == "firm", "all", None), dtype=object)
    net = Network.from_frames(nodes.assign(cluster=labels), tiny.edges)
    table, _ = evaluate_clusters(net, config=_config(min_firms=2))
    assert len(table) == 1 and not np.isnan(table["score"].item())
    assert "exporter_share" in table["missing"].item()  # the tiny network has no exports


def _config(min_firms):
    cfg = load_config()
    cfg.min_firms = min_firms
    return cfg


def test_cli_clusters(tmp_path):
    result = run("clusters", "evaluate", "sample_networks/pilot")
    assert result.exit_code == 0 and "Samsun tarım makineleri" in result.output
    out = tmp_path / "e.xlsx"
    result = run("clusters", "evaluate", "sample_networks/pilot", "--details", "-o", out)
    assert result.exit_code == 0
    assert set(pd.read_excel(out, sheet_name=None)) == {"clusters", "details"}
    cfg = tmp_path / "c.toml"
    assert run("clusters", "config", "-o", cfg).exit_code == 0
    assert load_config(cfg).criteria == load_config().criteria
    cfg.write_text("[criteria.x]\nindicators = { firmz = 1 }\n")
    result = run("clusters", "evaluate", "sample_networks/pilot", "--config", cfg)
    assert result.exit_code == 1 and "did you mean 'firms'" in result.output


def test_years_equal_the_single_year_runs(tmp_path):
    """``--years`` gives, for each year, what ``--as-of YEAR`` gives, and the change against
    two years before is that year's score minus the earlier one's."""
    out = tmp_path / "years.csv"
    result = run("clusters", "evaluate", "sample_networks/pilot", "--years", "2019-2021,2024",
                 "--lang", "en", "-o", out)
    assert result.exit_code == 0, result.output
    years = pd.read_csv(out, keep_default_na=False)
    assert sorted(set(years["year"])) == [2019, 2020, 2021, 2024]
    scores = {}
    for year in (2017, 2018, 2019, 2020, 2021, 2022, 2024):
        single = tmp_path / f"{year}.csv"
        assert run("clusters", "evaluate", "sample_networks/pilot", "--as-of", year,
                   "--lang", "en", "-o", single).exit_code == 0
        one = pd.read_csv(single, keep_default_na=False)
        scores[year] = one.set_index("cluster")["score"]
        if year in (2019, 2020, 2021, 2024):
            mine = years[years["year"] == year].drop(columns=["year", "change", "label_before"])
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), one)
    got = years.set_index(["year", "cluster"])["change"]
    for year in (2019, 2020, 2021, 2024):
        want = (scores[year] - scores[year - 2]).round(1)
        assert np.allclose(got.loc[year].reindex(want.index).to_numpy(dtype=float),
                           want.to_numpy(dtype=float))


def test_years_refused_before_the_data_and_when_malformed():
    result = run("clusters", "evaluate", "sample_networks/pilot", "--years", "2010-2012")
    assert result.exit_code == 1 and "the first year is 2015" in result.output
    for bad in ("20x", "2022-2019"):
        result = run("clusters", "evaluate", "sample_networks/pilot", "--years", bad)
        assert result.exit_code == 1
        assert "2019-2024" in result.output or "earlier year" in result.output
    result = run("clusters", "evaluate", "sample_networks/pilot", "--years", "2020",
                 "--as-of", "2020")
    assert result.exit_code == 2 and "--years" in result.output
