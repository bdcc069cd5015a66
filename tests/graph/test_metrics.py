"""Metrics against hand-checked answers and against networkx on random graphs."""

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kumenet.graph.metrics import (NODE_COLUMNS, brokerage_roles, group_metrics, layer_metrics,
                                   layer_overlap, node_metrics, participation, versatility)
from kumenet.graph.network import Network


def network_from_nx(g: nx.Graph, layer="collaboration", directed_layers=()):
    nodes = pd.DataFrame({"id": [str(n) for n in g.nodes], "kind": "firm"})
    edges = pd.DataFrame([(str(u), str(v), d.get("weight", 1.0)) for u, v, d in g.edges(data=True)],
                         columns=["source", "target", "weight"]).assign(layer=layer)
    return Network.from_frames(nodes, edges, directed_layers=directed_layers)


@pytest.fixture(scope="module")
def random_graph():
    g = nx.gnm_random_graph(120, 420, seed=7)
    g = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    rng = np.random.default_rng(3)
    for u, v in g.edges:
        g[u][v]["weight"] = float(rng.integers(1, 5))
    return g


def by_id(table, column):
    return table.set_index("id")[column]


def test_columns_are_pinned(tiny):
    m = node_metrics(tiny)
    assert tuple(m.columns) == NODE_COLUMNS
    assert len(m) == tiny.n_nodes and (m["layer"] == "all").all()
    per = node_metrics(tiny, per_layer=True)
    assert set(per["layer"]) == {"all", "supply", "collaboration", "membership", "information"}
    assert len(per) == 5 * tiny.n_nodes


def test_hand_checked_degrees_and_strength(tiny):
    m = node_metrics(tiny, per_layer=True).set_index(["layer", "id"])
    # flattened: a is tied to b, c, i
    assert m.loc[("all", "a"), "degree"] == 3 and m.loc[("all", "a"), "strength"] == 8 + 4 + 1
    # supply is directed: b -> a (5) and c -> a (3)
    assert m.loc[("supply", "a"), "in_degree"] == 2 and m.loc[("supply", "a"), "out_degree"] == 0
    assert m.loc[("supply", "a"), "in_strength"] == 8
    assert np.isnan(m.loc[("collaboration", "a"), "in_degree"])
    assert m.loc[("collaboration", "a"), "strength"] == 4  # 2 + 1 with b, 1 with c


def test_against_networkx(random_graph):
    g = random_graph
    net = network_from_nx(g)
    m = node_metrics(net)
    ids = [str(n) for n in g.nodes]
    def ref(d):
        return pd.Series({str(k): v for k, v in d.items()})[ids]
    np.testing.assert_allclose(by_id(m, "pagerank")[ids], ref(nx.pagerank(g, weight="weight", tol=1e-13)), atol=1e-6)
    np.testing.assert_allclose(by_id(m, "betweenness")[ids], ref(nx.betweenness_centrality(g)), atol=1e-9)
    ev = ref(nx.eigenvector_centrality_numpy(g, weight="weight"))
    np.testing.assert_allclose(by_id(m, "eigenvector")[ids], ev / ev.max(), atol=1e-6)
    np.testing.assert_array_equal(by_id(m, "coreness")[ids], ref(nx.core_number(g)))
    np.testing.assert_allclose(by_id(m, "clustering")[ids], ref(nx.clustering(g)), atol=1e-12)
    np.testing.assert_allclose(by_id(m, "constraint")[ids], ref(nx.constraint(g, weight="weight")), atol=1e-9)
    np.testing.assert_allclose(by_id(m, "effective_size")[ids], ref(nx.effective_size(g)), atol=1e-9)
    np.testing.assert_array_equal(by_id(m, "degree")[ids], ref(dict(g.degree())))


def test_directed_pagerank_and_betweenness_against_networkx():
    g = nx.gnm_random_graph(80, 300, seed=11, directed=True)
    net = network_from_nx(g, layer="supply", directed_layers=["supply"])
    m = node_metrics(net)
    ids = [str(n) for n in g.nodes]
    np.testing.assert_allclose(by_id(m, "pagerank")[ids], [nx.pagerank(g, tol=1e-13)[n] for n in g.nodes], atol=1e-6)
    np.testing.assert_allclose(by_id(m, "betweenness")[ids],
                               [nx.betweenness_centrality(g)[n] for n in g.nodes], atol=1e-9)


def test_sampled_betweenness_reports_its_sample(random_graph):
    net = network_from_nx(random_graph)
    exact = node_metrics(net)
    sampled = node_metrics(net, betweenness_sample=60, seed=1)
    assert sampled.attrs["betweenness_sources"] == {"all": 60}
    assert exact.attrs["betweenness_sources"] == {"all": "exact"}
    rho = exact["betweenness"].rank().corr(sampled["betweenness"].rank())
    assert rho > 0.9
    again = node_metrics(net, betweenness_sample=60, seed=1)
    assert again["betweenness"].equals(sampled["betweenness"])


def brute_force_roles(edges, groups, n):
    adj = set(edges)
    roles = np.zeros((n, 5))
    names = ["coordinator", "gatekeeper", "representative", "itinerant", "liaison"]
    for a, b, c in itertools.permutations(range(n), 3):
        if (a, b) in adj and (b, c) in adj and (a, c) not in adj:
            ga, gb, gc = groups[a], groups[b], groups[c]
            if min(ga, gb, gc) < 0:
                continue
            if ga == gb == gc:
                role = "coordinator"
            elif ga == gc:
                role = "itinerant"
            elif ga == gb:
                role = "representative"
            elif gb == gc:
                role = "gatekeeper"
            else:
                role = "liaison"
            roles[b, names.index(role)] += 1
    return pd.DataFrame(roles, columns=names)


@pytest.mark.parametrize("directed", [True, False])
def test_brokerage_matches_brute_force(directed):
    n = 30
    g = nx.gnm_random_graph(n, 110, seed=5, directed=directed)
    edges = list(g.edges)
    u = np.array([e[0] for e in edges])
    v = np.array([e[1] for e in edges])
    groups = np.random.default_rng(2).integers(-1, 4, n)
    found = brokerage_roles(u, v, n, groups, directed=directed)
    pairs = edges if directed else edges + [(b, a) for a, b in edges]
    expected = brute_force_roles(pairs, groups, n)
    valid = groups >= 0
    pd.testing.assert_frame_equal(found[valid].reset_index(drop=True),
                                  expected[valid].reset_index(drop=True)[found.columns], check_dtype=False)
    assert found[~valid].isna().all().all()


def test_brokerage_by_hand():
    # x (group 0) -> b (group 1) -> y (group 2): b is a liaison; b -> z (group 1) makes b a
    # representative for the path x -> b -> z? No: x is group 0, b and z group 1: gatekeeper.
    u, v = np.array([0, 1, 1]), np.array([1, 2, 3])
    roles = brokerage_roles(u, v, 4, np.array([0, 1, 2, 1]))
    assert roles.loc[1].to_dict() == {"coordinator": 0, "gatekeeper": 1, "representative": 0,
                                      "itinerant": 0, "liaison": 1}


def test_layer_metrics_and_overlap_by_hand(tiny):
    lm = layer_metrics(tiny).set_index("layer")
    assert lm.loc["supply", "pairs"] == 3 and lm.loc["supply", "nodes"] == 5
    assert lm.loc["supply", "components"] == 2  # {a, b, c} and {d, x}
    assert lm.loc["collaboration", "density"] == pytest.approx(2 / 3)  # 2 of 3 pairs among a, b, c
    ov = layer_overlap(tiny).set_index(["layer_a", "layer_b"])
    assert ov.loc[("supply", "collaboration"), "shared"] == 2
    assert ov.loc[("supply", "collaboration"), "jaccard"] == pytest.approx(2 / 3)
    assert ov.loc[("supply", "membership"), "shared"] == 0


def test_participation_by_hand(tiny):
    p = participation(tiny).set_index("id")
    # a: supply 2, collaboration 2, membership 1, information 0 -> 4/3 * (1 - 9/25)
    assert p.loc["a", "participation"] == pytest.approx(4 / 3 * (1 - 9 / 25))
    assert p.loc["x", "participation"] == 0  # one tie, one layer
    assert p.loc["a", "overlapping_degree"] == 5


def test_versatility_of_one_layer_is_pagerank(random_graph):
    net = network_from_nx(random_graph)
    vers = versatility(net)
    assert vers["versatility"].sum() == pytest.approx(1)
    pr = nx.pagerank(random_graph, weight="weight", tol=1e-13)
    np.testing.assert_allclose(by_id(vers, "versatility")[[str(n) for n in random_graph]],
                               list(pr.values()), atol=1e-6)


def test_versatility_rewards_nodes_active_in_many_layers(tiny):
    v = versatility(tiny).set_index("id")
    assert v["rank"].idxmin() == "a"


def test_group_metrics_by_hand(tiny):
    gm = group_metrics(tiny, "province").set_index("group")
    samsun = gm.loc["Samsun"]
    # a, b, i: internal pairs a-b, a-i, b-i; external a-c (Çorum)
    assert (samsun["size"], samsun["firms"], samsun["internal_ties"], samsun["external_ties"]) == (3, 2, 3, 1)
    assert samsun["internal_density"] == 1.0
    assert samsun["ei_index"] == pytest.approx((1 - 3) / 4)
    assert samsun["share_intra_regional"] == pytest.approx(3 / 4)
    assert samsun["share_interregional"] == pytest.approx(1 / 4)
    assert samsun["institutional_embeddedness"] == 1.0
    assert samsun["clustering"] == 1.0  # the triangle a, b, i
    de = gm.loc["DE"]
    assert de["share_international"] == 1.0 and de["ei_index"] == 1.0


def test_group_metrics_by_any_series(tiny):
    labels = pd.Series(["x", "x", "y", "y", None, "x"])
    gm = group_metrics(tiny, labels)
    assert set(gm["group"]) == {"x", "y"}


def test_triangles_match_igraph():
    import igraph as ig

    from kumenet.graph.metrics import triangles

    g = ig.Graph.Erdos_Renyi(n=200, m=1500, loops=False)
    g.add_edges([(0, i) for i in range(1, 200) if not g.are_adjacent(0, i)])  # a hub
    e = np.array(g.get_edgelist())
    found = {tuple(sorted(t)) for t in triangles(e[:, 0], e[:, 1], 200).tolist()}
    expected = {tuple(sorted(t)) for t in g.list_triangles()}
    assert found == expected and len(found) > 100


def test_metrics_are_the_same_in_every_process():
    """PRPACK's threads add up in any order and ARPACK starts from a random vector: the same
    network gives the same digits in two processes."""
    import subprocess
    import sys

    code = ("from kumenet.graph.io import read_network\n"
            "from kumenet.graph.metrics import node_metrics\n"
            "m = node_metrics(read_network('sample_networks/pilot'))\n"
            "print(m[['pagerank', 'eigenvector', 'betweenness']].to_numpy().tobytes().hex())\n")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(3)}
    assert len(runs) == 1
