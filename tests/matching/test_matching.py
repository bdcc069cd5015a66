"""Partner matching: heuristics against networkx, exclusions, scopes, determinism, reasons."""

import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kumenet.errors import KumenetError, UnknownNodeError
from kumenet.graph.network import Network
from kumenet.matching.candidates import (FEATURES, adamic_adar_pairs, candidate_block,
                                        common_neighbours, prepare)
from kumenet.matching.recommend import COLUMNS, recommend_partners
from kumenet.matching.scorers import HEURISTICS, score
from kumenet.data.valuechain import complementarity
from tests.conftest import PILOT


@pytest.fixture(scope="module")
def random_net():
    g = nx.gnm_random_graph(150, 600, seed=4)
    nodes = pd.DataFrame({"id": [str(i) for i in g.nodes], "kind": "firm"})
    edges = pd.DataFrame([(str(u), str(v)) for u, v in g.edges], columns=["source", "target"])
    edges["layer"] = "collaboration"
    return g, Network.from_frames(nodes, edges)


def test_scores_of_given_pairs_match_networkx(random_net):
    g, net = random_net
    pg = prepare(net)
    rng = np.random.default_rng(0)
    s, c = rng.integers(0, net.n_nodes, 2000), rng.integers(0, net.n_nodes, 2000)
    ids = net.ids.astype(int)
    pairs = list(zip(ids[s], ids[c]))
    expected = [p for _, _, p in nx.adamic_adar_index(g, pairs)]
    np.testing.assert_allclose(adamic_adar_pairs(pg.A, s, c), expected, rtol=1e-12)
    rows, nb = common_neighbours(pg.A, s, c)
    counts = np.bincount(rows, minlength=len(s))
    assert counts.tolist() == [len(list(nx.common_neighbors(g, a, b))) for a, b in pairs]


@pytest.mark.parametrize("name, reference", [
    ("common_neighbours", lambda g, pairs: [len(list(nx.common_neighbors(g, u, v))) for u, v in pairs]),
    ("adamic_adar", lambda g, pairs: [p for _, _, p in nx.adamic_adar_index(g, pairs)]),
    ("resource_allocation", lambda g, pairs: [p for _, _, p in nx.resource_allocation_index(g, pairs)]),
    ("jaccard", lambda g, pairs: [p for _, _, p in nx.jaccard_coefficient(g, pairs)]),
    ("preferential_attachment", lambda g, pairs: [p for _, _, p in nx.preferential_attachment(g, pairs)]),
])
def test_heuristics_match_networkx(random_net, name, reference):
    g, net = random_net
    pg = prepare(net)
    f = candidate_block(pg, np.arange(net.n_nodes), per_source=1000)
    ids = net.ids
    pairs = list(zip(ids[f["source"]].astype(int), ids[f["target"]].astype(int)))
    np.testing.assert_allclose(score(f, name), reference(g, pairs), rtol=1e-12)


def test_candidates_have_every_feature_and_no_partner(random_net):
    g, net = random_net
    f = candidate_block(prepare(net), np.arange(net.n_nodes))
    assert list(f.columns) == ["source", "target", *FEATURES]
    ids = net.ids
    partners = {(int(ids[u]), int(ids[v])) for u, v in zip(f["source"], f["target"]) if g.has_edge(int(ids[u]), int(ids[v]))}
    assert not partners and not (f["source"] == f["target"]).any()


@pytest.mark.parametrize("name", sorted(HEURISTICS))
def test_a_graph_built_for_one_scorer_gives_its_features_as_the_full_graph(pilot, name):
    """prepare(features=...) skips what the scorer does not read, and nothing else."""
    from kumenet.matching.scorers import needed_features

    want = needed_features(name)
    lean, full = prepare(pilot, features=want), prepare(pilot)
    sources = np.arange(pilot.n_nodes)
    a = candidate_block(lean, sources, 20, want)
    b = candidate_block(full, sources, 20, want)
    pd.testing.assert_frame_equal(a, b)
    assert lean.A_recent is None or "aa_recent" in want
    assert lean.D_in is None and lean.years is None
    with pytest.raises(ValueError, match="prepared without"):
        candidate_block(lean, sources, 20, {"years_t"})


@pytest.mark.parametrize("method", [*HEURISTICS, "default"])
def test_no_existing_partner_is_ever_suggested(pilot, method):
    firms = pilot.nodes.loc[pilot.nodes["kind"] == "firm", "id"].iloc[::40].tolist()
    table = recommend_partners(pilot, firms, k=10, method=method)
    u = pilot.index_of(table["source"].tolist())
    v = pilot.index_of(table["target"].tolist())
    A = pilot.adjacency(weighted=False)  # every layer, memberships included
    assert (A[u, v] == 0).all() and (u != v).all()
    assert list(table.columns) == list(COLUMNS)


@pytest.mark.parametrize("scope", ["intra_regional", "interregional", "international"])
def test_scope_filter(pilot, scope):
    table = recommend_partners(pilot, ["F000010", "F000400"], scope=scope, k=5, method="adamic_adar")
    assert len(table) and (table["scope"] == scope).all()
    assert table.groupby("source")["rank"].max().max() <= 5


def test_k_per_scope_and_filters(pilot):
    table = recommend_partners(pilot, "F000010", k=2, per_scope=True, method="adamic_adar")
    assert table.groupby("scope").size().max() <= 2 and table["scope"].nunique() == 3
    only = recommend_partners(pilot, "F000010", k=5, method="adamic_adar", sector="22",
                              province="antep")
    assert len(only) and only["target_sector"].str.startswith("22").all()
    assert (only["target_province"] == "Gaziantep").all()
    with pytest.raises(KumenetError, match="unknown province 'Gaziantp'"):
        recommend_partners(pilot, "F000010", method="adamic_adar", province="Gaziantp")


def test_determinism_with_a_seed(pilot):
    a = recommend_partners(pilot, ["F000003", "F000300"], k=5, seed=3)
    b = recommend_partners(pilot, ["F000003", "F000300"], k=5, seed=3)
    pd.testing.assert_frame_equal(a, b)


def test_unknown_firm_suggests_names(pilot):
    with pytest.raises(UnknownNodeError, match="did you mean .*Yıldız Medikal San. Tic. Ltd. Şti."):
        recommend_partners(pilot, "Yıldız Medikl San Tic", method="adamic_adar")


def test_reasons_name_partners_layers_institutions_and_value_chain():
    nodes = pd.DataFrame({
        "id": ["s", "t", "p1", "p2", "oda", "u"],
        "name": ["Kaynak İplik", "Hedef Halı", "Ortak Bir", "Ortak İki", "Gaziantep Sanayi Odası", "Uzak"],
        "kind": ["firm", "firm", "firm", "firm", "institution", "firm"],
        "province": ["Gaziantep"] * 5 + ["Samsun"],
        "sector": ["13.10", "13.93", "13.20", "20.60", None, "28.30"]})
    edges = pd.DataFrame({
        "source": ["s", "t", "s", "t", "s", "t", "p1"],
        "target": ["p1", "p1", "p2", "p2", "oda", "oda", "u"],
        "layer": ["supply", "supply", "collaboration", "collaboration", "membership", "membership", "collaboration"],
        "year": [2020, 2021, 2020, 2022, 2019, 2019, 2021]})
    net = Network.from_frames(nodes, edges)
    table = recommend_partners(net, "s", k=5, method="adamic_adar")
    reason = table.set_index("target").loc["t", "reason"]
    assert reason.startswith("2 shared partners (supply 1, collaboration 1): ")
    assert "Ortak Bir" in reason and "Ortak İki" in reason
    assert "their sectors are linked in the value chain: 13.10 cotton yarn → 13.93 machine carpets" in reason
    assert "both members of Gaziantep Sanayi Odası" in reason
    assert table.set_index("target").loc["t", "scope"] == "intra_regional"


def test_complementarity_uses_the_input_output_table():
    strength, forward = complementarity(pd.Series(["13.10", "01.16", "46.00"]),
                                        pd.Series(["14.13", "13.10", "32.50"]))
    assert strength[0] > 0.5  # textiles buy most of their inputs from textiles (c4 -> c4)
    assert strength[1] > 0.01 and forward[1]  # agriculture supplies textiles
    assert strength[2] == 0  # trade margins are not a value-chain step


def test_consortia_cover_a_value_chain_or_a_market(pilot):
    from kumenet.matching.consortium import COLUMNS, consortia
    from kumenet.data.valuechain import complementarity
    from kumenet.messages import country_name

    ids = pilot.nodes.loc[pilot.nodes["kind"] == "firm", "id"].iloc[::50].tolist()
    table = consortia(pilot, ids, size=(3, 6))
    assert list(table.columns) == list(COLUMNS)
    sizes = table.groupby("consortium").size()
    assert len(sizes) and sizes.between(3, 6).all()
    for _, group in table[table["kind"] == "value_chain"].groupby("consortium"):
        assert group["sector"].is_unique  # one firm per step
        seed = group.iloc[0]
        strength, _ = complementarity(pd.Series([seed["sector"]] * (len(group) - 1)), group["sector"].iloc[1:])
        assert (strength >= 0.05).all()  # every member supplies or buys from the seed's sector
        assert group["reason"].iloc[0].startswith("the firm with suppliers and buyers of its "
                                                  "sector: ")
    exports = table[table["kind"] == "export"]
    assert len(exports) and exports["role"].str.startswith("exports to ").all()
    with pytest.raises(KumenetError, match="consortium size"):
        consortia(pilot, ids[:1], size=(2, 20))
    turkish = consortia(pilot, ids, size=(3, 6), lang="tr")
    assert turkish[["consortium", "kind", "id"]].equals(table[["consortium", "kind", "id"]])
    chains = turkish[turkish["kind"] == "value_chain"]
    assert chains["reason"].str.startswith("firma, sektörünün tedarikçileri ve "
                                           "alıcılarıyla: ").all()
    assert chains["role"].str.contains("ı|ş|ç|ğ|ü|ö").any()  # Turkish sector names
    market = exports["role"].iloc[0].removeprefix("exports to ").split(" (")[1].rstrip(")")
    market = f"{country_name(market, 'tr')} ({market})"
    assert (turkish.loc[turkish["kind"] == "export", "role"] == f"{market} pazarına ihracat").any()


def test_no_consortium_is_said_not_left_blank(tmp_path):
    from click.testing import CliRunner

    from kumenet.cli import cli

    net = tmp_path / "small"
    net.mkdir()
    (net / "nodes.csv").write_text("id,name,kind,sector\nA,Alfa,firm,13.93\nB,Beta,firm,10.82\n"
                                   "C,Gama,firm,28.9\n", encoding="utf-8")
    (net / "edges.csv").write_text("source,target,layer\nA,B,supply\nB,C,collaboration\n",
                                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["match", str(net), "--firm", "Alfa", "--consortium"])
    assert result.exit_code == 0
    assert "3-8 firmalık konsorsiyum yok: firma(lar)ın ortakları ve önerilen ortakları" in \
        result.stderr


def test_worker_processes_give_the_same_table_even_after_training():
    """Blocks on forked workers equal blocks in this process, for a heuristic and for a
    scorer trained in the parent (whose OpenMP threads do not survive the fork: a worker
    that waited for them hung). Run in a fresh process so that a hang fails the test."""
    code = f"""
import warnings; warnings.simplefilter("ignore")
import pandas as pd
from kumenet.graph.io import read_network
from kumenet.matching.model import default_scorer
from kumenet.matching.recommend import recommend_partners
net = read_network({str(PILOT)!r})
for method in ("adamic_adar", default_scorer(net)):
    one = recommend_partners(net, None, k=5, method=method, block=300, workers=1)
    two = recommend_partners(net, None, k=5, method=method, block=300, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert one["source"].nunique() > 600
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def test_shared_sums_at_the_candidate_pairs_equal_the_full_products(pilot):
    import numpy as np
    import scipy.sparse as sp

    from kumenet.matching.candidates import candidate_block, prepare

    g = prepare(pilot)
    f = candidate_block(g, np.arange(pilot.n_nodes), 100,
                        {"ra_weighted", "cn_in", "cn_out", "shared_institutions"})
    s, c = f["source"].to_numpy(), f["target"].to_numpy()
    strength = np.asarray(g.A_weight.sum(axis=1)).ravel()
    products = {"ra_weighted": g.A_weight @ sp.diags_array(1 / np.maximum(strength, 1e-12)) @ g.A_weight,
                "cn_in": g.D_in @ g.D_out, "cn_out": g.D_out @ g.D_in,
                "shared_institutions": g.membership @ g.membership_T}
    for name, full in products.items():
        expected = np.asarray(full.tocsr()[s, c]).ravel()
        np.testing.assert_allclose(f[name].to_numpy(), expected, rtol=1e-12, err_msg=name)
        assert (expected > 0).sum() > 1000, name  # the comparison is not vacuous
