import networkx as nx
import pandas as pd
import pytest

from kumenet.errors import KumenetError, UnknownNodeError
from kumenet.graph.network import Network
from tests.conftest import TINY_EDGES, TINY_NODES


def test_tables_follow_the_contract(tiny):
    assert list(tiny.nodes.columns[:11]) == ["id", "name", "kind", "subtype", "country",
                                             "province", "region", "sector", "employees",
                                             "exports_usd", "founded"]
    assert tiny.nodes.set_index("id").loc["a", "region"] == "TR83"  # derived from the province
    assert pd.isna(tiny.nodes.set_index("id").loc["x", "region"])
    # source/target codes are node positions
    codes = tiny.edges["source"].cat.codes.to_numpy()
    assert (tiny.ids[codes] == tiny.edges["source"].astype(str)).all()
    assert tiny.layers == ["supply", "collaboration", "membership", "information"]


def test_directedness_per_layer(tiny):
    assert tiny.is_directed("supply") and tiny.is_directed("membership")
    assert not tiny.is_directed("collaboration")
    assert tiny.graph("supply").is_directed()
    assert not tiny.graph("collaboration").is_directed()
    custom = Network.from_frames(TINY_NODES, TINY_EDGES, directed_layers=["information"])
    assert custom.graph("information").is_directed() and not custom.graph("supply").is_directed()


def test_as_of_keeps_ties_observed_up_to_the_year(tiny):
    assert tiny.select(as_of=2019).n_edges == 5
    assert tiny.select(as_of=2015).n_edges == 0
    assert tiny.select(as_of=2030).n_edges == tiny.n_edges
    assert tiny.select(as_of=2019).n_nodes == tiny.n_nodes  # node positions never change


def test_layer_selection(tiny):
    sub = tiny.select(layers=["supply", "membership"])
    assert set(sub.edges["layer"]) == {"supply", "membership"}
    assert sub.select(layers="supply").n_edges == 3
    with pytest.raises(KumenetError, match="no layer named 'suply'"):
        tiny.select(layers="suply")


def _pair_weights(net, **kw):
    u, v, w, directed = net.ties(**kw)
    ids = net.ids
    return {(ids[a], ids[b]): x for a, b, x in zip(u, v, w)}, directed


def test_flattening_sums_or_takes_the_max(tiny):
    total, directed = _pair_weights(tiny)
    assert not directed
    # a-b: collaboration 2 + 1 (two years) and supply 5
    assert total[("a", "b")] == 8
    assert total[("a", "c")] == 4  # collaboration 1 + supply 3
    most, _ = _pair_weights(tiny, combine="max")
    assert most[("a", "b")] == 5 and most[("a", "c")] == 3
    collab, _ = _pair_weights(tiny, layers="collaboration")
    assert collab == {("a", "b"): 3, ("a", "c"): 1}
    supply, directed = _pair_weights(tiny, layers="supply")
    assert directed and supply == {("b", "a"): 5, ("c", "a"): 3, ("d", "x"): 10}
    with pytest.raises(KumenetError, match="combine must be one of"):
        tiny.ties(combine="mean")


def test_graph_views_are_cached_and_aligned(tiny):
    g = tiny.graph()
    assert g is tiny.graph()
    assert g.vcount() == tiny.n_nodes and g.vs["name"] == tiny.ids.tolist()
    assert g.ecount() == 6
    assert tiny.graph(as_of=2019).ecount() == 4
    A = tiny.adjacency()
    assert (A != A.T).nnz == 0
    assert A[tiny.index_of("a"), tiny.index_of("b")] == 8
    S = tiny.adjacency("supply", weighted=False)
    assert S[tiny.index_of("b"), tiny.index_of("a")] == 1 and S[tiny.index_of("a"), tiny.index_of("b")] == 0


def test_networkx_round_trip_keeps_attributes(tiny):
    g = tiny.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_edges() == tiny.n_edges
    assert g.nodes["a"]["province"] == "Samsun" and g.nodes["a"]["employees"] == 40
    assert "employees" not in g.nodes["x"]  # missing values are left out
    years = sorted(d["year"] for _, _, d in g.edges("a", data=True) if d["layer"] == "collaboration")
    assert years == [2019, 2021, 2022]
    from kumenet.graph.io import from_networkx

    assert from_networkx(g).equals(tiny)
    flat = tiny.to_networkx(flatten=True)
    assert isinstance(flat, nx.Graph) and flat["a"]["b"]["weight"] == 8


def test_find_by_id_or_turkish_aware_name(tiny):
    assert tiny.find("a") == 0
    assert tiny.find("ATAKUM MEDİKAL A.Ş.") == 0
    assert tiny.find("isik hali san a s") == 3  # no Turkish keyboard
    with pytest.raises(UnknownNodeError, match="did you mean 'Bafra Plastik Ltd. Şti.'"):
        tiny.find("Bafra Plastk Ltd Sti")
    with pytest.raises(UnknownNodeError, match="no node with id 'q'"):
        tiny.index_of(["a", "q"])


def test_a_name_given_without_its_end_finds_the_one_node_it_begins(tiny):
    """'Işık Halı' finds 'Işık Halı San. A.Ş.' (whole words, said in a warning); a beginning
    that several names share is an error listing them; a cut word finds nothing."""
    with pytest.warns(UserWarning, match="'ışık halı' read as 'Işık Halı San. A.Ş.' \\(id d\\)"):
        assert tiny.find("ışık halı") == 3
    with pytest.warns(UserWarning, match="read as 'Samsun Ticaret ve Sanayi Odası'"):
        assert tiny.find("SAMSUN TİCARET") == 5
    with pytest.raises(UnknownNodeError, match="no firm or institution named 'Işık Ha'"):
        tiny.find("Işık Ha")
    two = Network.from_frames(
        pd.DataFrame({"id": ["p", "q"], "name": ["Yıldız Makina A.Ş.", "Yıldız Tarım A.Ş."],
                      "kind": ["firm", "firm"]}),
        pd.DataFrame({"source": ["p"], "target": ["q"], "layer": ["supply"]}))
    with pytest.raises(UnknownNodeError, match="2 names begin with 'yildiz': Yıldız Makina "
                                               "A.Ş. \\(p\\); Yıldız Tarım A.Ş. \\(q\\)"):
        two.find("yildiz")


def test_repr_counts(tiny):
    assert repr(tiny) == ("<Network: 6 nodes (5 firms, 1 institution), 9 edges in 4 layers "
                          "(supply, collaboration, membership, information)>")


def test_equals_ignores_row_order(tiny):
    shuffled = Network.from_frames(TINY_NODES.sample(frac=1, random_state=1),
                                   TINY_EDGES.sample(frac=1, random_state=2))
    assert shuffled.equals(tiny)
    heavier = TINY_EDGES.assign(weight=TINY_EDGES["weight"] * 2)
    assert not Network.from_frames(TINY_NODES, heavier).equals(tiny)
