"""One contract test over every community method in the registry, plus known answers."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kumenet.errors import KumenetError
from kumenet.graph.communities import (METHODS, Partition, communities, compare, stability,
                                       with_attributes)
from kumenet.graph.io import read_network, write_network
from kumenet.graph.network import Network


@pytest.fixture(scope="module")
def three_cliques():
    """Three 6-cliques joined in a ring by single ties, in two layers."""
    g = nx.ring_of_cliques(3, 6)
    nodes = pd.DataFrame({"id": [f"n{i}" for i in g.nodes], "kind": "firm",
                          "cluster": [f"c{i // 6}" for i in g.nodes]})
    edges = pd.DataFrame([(f"n{u}", f"n{v}") for u, v in g.edges], columns=["source", "target"])
    edges["layer"] = np.where(np.arange(len(edges)) % 2 == 0, "collaboration", "information")
    return Network.from_frames(nodes, edges)


@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_honours_the_contract(method, three_cliques):
    net = three_cliques
    p = communities(net, method, seed=3)
    assert isinstance(p, Partition) and p.method == method
    assert len(p.membership) == net.n_nodes and list(p.ids) == net.nodes["id"].tolist()
    assert p.parameters["seed"] == 3 and "resolution" in p.parameters
    assert np.isfinite(p.quality)
    # the planted cliques are found exactly
    assert compare(p, net.nodes["cluster"])["nmi"] == pytest.approx(1.0)
    # numbered by decreasing size
    assert (np.diff(p.sizes) <= 0).all()
    # same seed, same answer
    assert np.array_equal(communities(net, method, seed=3).membership, p.membership)
    table = p.table()
    assert list(table.columns) == ["id", "community", "community_size"]
    assert p.summary()["method"].iloc[0] == method


def test_unknown_method(three_cliques):
    with pytest.raises(KumenetError, match="unknown community method 'walktrap'"):
        communities(three_cliques, "walktrap")


def test_resolution_changes_granularity(pilot):
    coarse = communities(pilot, "leiden", resolution=0.3, seed=1)
    fine = communities(pilot, "leiden", resolution=3.0, seed=1)
    assert coarse.n_communities < fine.n_communities


def test_pilot_planted_clusters_are_recovered(pilot):
    p = communities(pilot, "leiden", layers=["supply", "collaboration"], seed=1)
    assert compare(p, pilot.nodes["cluster"])["nmi"] > 0.75


def test_multiplex_weights_are_recorded(pilot):
    p = communities(pilot, "multiplex_leiden", layers=["supply", "collaboration"],
                    layer_weights={"collaboration": 2.0}, seed=1)
    assert p.parameters["layer_weights"] == {"collaboration": 2.0}


def test_compare_known_values():
    assert compare(np.array([0, 0, 1, 1]), ["a", "a", "b", "b"]) == {"nmi": 1.0, "ari": 1.0, "nodes": 4}
    assert compare(np.array([0, 0, 1, 1]), ["a", None, "b", "b"])["nodes"] == 3
    assert compare(np.array([0, 1, 0, 1]), ["a", "a", "b", "b"])["nmi"] == pytest.approx(0.0)


def test_stability(three_cliques, pilot):
    clean = stability(three_cliques, seeds=range(4))
    assert (clean["consensus_share"] == 1.0).all() and clean.attrs["nmi"] == [1.0] * 3
    noisy = stability(pilot, seeds=range(4))
    assert 0 < noisy["consensus_share"].mean() < 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_communities_travel_as_attributes(tmp_path, three_cliques, fmt):
    p = communities(three_cliques, seed=0)
    net = with_attributes(three_cliques, p.table())
    back = read_network(write_network(net, tmp_path / f"c.{fmt}"))
    assert back.nodes.set_index("id")["community"].to_dict() == p.table().set_index("id")["community"].to_dict()


def test_communities_are_named_by_their_firms_province_and_sector(tiny):
    """The most frequent province and sector of a community's firms (ties: the first in
    order; Turkish titles by default), the country for foreign firms only, a number for a
    community without firms, and (2), (3) for a name given again, in order of size."""

    from kumenet.graph.communities import community_names

    # tiny: a (Samsun, 32.50), b (Samsun, 22.29), c (Çorum, 28.93), d (Gaziantep, 13.93),
    # x (Germany, 46.00), i (an institution)
    membership = np.array([0, 0, 1, 1, 2, 3])
    assert list(community_names(tiny, membership)) == [
        "Samsun · 22.29 Diğer plastik ürünlerin imalatı",
        "Gaziantep · 13.93 Halı ve kilim imalatı", "DE · 46.00 Toptan ticaret", "topluluk 3"]
    assert list(community_names(tiny, membership, lang="en")) == [
        "Samsun · 22.29 Manufacture of other plastic products",
        "Gaziantep · 13.93 Manufacture of carpets and rugs", "DE · 46.00 Wholesale trade",
        "community 3"]
    nodes = pd.DataFrame({"id": list("pqrs"), "kind": "firm", "province": "Çorum",
                          "sector": "23.32"})
    edges = pd.DataFrame({"source": ["p", "r"], "target": ["q", "s"], "layer": "supply"})
    twin = Network.from_frames(nodes, edges)
    assert list(community_names(twin, np.array([0, 0, 1, 2]))) == [
        "Çorum · 23.32 Fırınlanmış kilden tuğla ve yapı malzemel…",
        "Çorum · 23.32 Fırınlanmış kilden tuğla ve yapı malzemel… (2)",
        "Çorum · 23.32 Fırınlanmış kilden tuğla ve yapı malzemel… (3)"]
