"""What a map, a report, a GEXF file and the portal's ego map draw are the network's own ties.

Generated small networks with ties written in either order, on every layer, repeated over
years: every view must show each layer's distinct pairs (ordered for directed layers, unordered
for the others) and nothing else, and no self-loop where the input has none.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kumenet.graph.network import Network
from kumenet.app.maps import build_map, write_map
from kumenet.viz.map import SUGGESTED, ego_payload

LAYERS = ["supply", "collaboration", "membership", "information", "ortak_proje"]
PROVINCES = ["Samsun", "Trabzon", "Çorum", None]


@st.composite
def networks(draw) -> Network:
    n = draw(st.integers(2, 8))
    nodes = pd.DataFrame({
        "id": [f"N{i}" for i in range(n)],
        "name": [f"Aktör {i}" for i in range(n)],
        "kind": draw(st.lists(st.sampled_from(["firm", "firm", "institution"]), min_size=n,
                              max_size=n)),
        "province": draw(st.lists(st.sampled_from(PROVINCES), min_size=n, max_size=n)),
    })
    ends = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    ties = draw(st.lists(st.tuples(ends, st.sampled_from(LAYERS), st.integers(2018, 2022)),
                         min_size=1, max_size=20))
    rows = {(u, v, layer, year) for (u, v), layer, year in ties}
    edges = pd.DataFrame(sorted(rows), columns=["u", "v", "layer", "year"])
    edges = pd.DataFrame({"source": "N" + edges["u"].astype(str),
                          "target": "N" + edges["v"].astype(str),
                          "layer": edges["layer"], "year": edges["year"]})
    return Network.from_frames(nodes, edges)


def own_pairs(net: Network, among=None) -> set[tuple[str, str, str]]:
    """Each layer's distinct pairs: (layer, source, target) for directed layers, the ends in
    id order for the others."""
    e = net.edges
    s, t = e["source"].astype(str).to_numpy(), e["target"].astype(str).to_numpy()
    layer = e["layer"].astype(str).to_numpy()
    directed = np.isin(layer, list(net.directed_layers))
    a, b = np.where(directed, s, np.minimum(s, t)), np.where(directed, t, np.maximum(s, t))
    pairs = set(zip(layer.tolist(), a.tolist(), b.tolist()))
    if among is not None:
        pairs = {p for p in pairs if p[1] in among and p[2] in among}
    return pairs


def drawn_pairs(ids, edge_from, edge_to, layers, directed) -> list[tuple[str, str, str]]:
    """The drawn edges as (layer, end, end) in the same form as :func:`own_pairs` (a list:
    a tie drawn twice shows up twice)."""
    out = []
    for f, t, la in zip(edge_from, edge_to, layers):
        if la == SUGGESTED[0]:
            continue
        a, b = str(ids[int(f)]), str(ids[int(t)])
        out.append((la, a, b) if la in directed else (la, min(a, b), max(a, b)))
    return out


def check(drawn: list, expected: set) -> None:
    loops = [p for p in drawn if p[1] == p[2]]
    assert not loops, f"self-loops drawn: {loops}"
    assert len(drawn) == len(set(drawn)), "a tie drawn twice"
    assert set(drawn) == expected


SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(networks(), st.sampled_from(["force", "geo"]))
def test_a_node_map_draws_each_layers_distinct_pairs(net, layout):
    data = build_map(net, layout=layout, lang="en")
    ids = net.ids[data.node_index]
    drawn = drawn_pairs(ids, data.edges["from"], data.edges["to"], data.edges["layer"],
                        net.directed_layers)
    check(drawn, own_pairs(net))
    counts = {la["name"]: la["count"] for la in data.layers}
    assert counts == pd.Series([p[0] for p in own_pairs(net)]).value_counts().to_dict()


@SETTINGS
@given(networks())
def test_an_opened_group_draws_the_ties_among_its_members(net):
    province = net.nodes["province"].dropna()
    if province.empty:
        return
    data = build_map(net, aggregate_by="province", group=str(province.iloc[0]), lang="en")
    ids = net.ids[data.node_index]
    drawn = drawn_pairs(ids, data.edges["from"], data.edges["to"], data.edges["layer"],
                        net.directed_layers)
    check(drawn, own_pairs(net, among=set(ids)))


@SETTINGS
@given(networks())
def test_an_aggregated_map_counts_the_distinct_pairs_between_groups(net):
    data = build_map(net, max_nodes=1, aggregate_by="province", lang="en")
    labels = data.nodes["label_full"].tolist()
    group_of = net.nodes["province"].astype(object).fillna("?")
    # the pairs of actors in different groups, each once whatever its layers and years
    pairs = {(min(a, b), max(a, b)) for _, a, b in own_pairs(net)}
    where = dict(zip(net.ids, group_of))
    expected: dict = {}
    for a, b in pairs:
        ga, gb = where[a], where[b]
        if ga != gb:
            key = tuple(sorted((ga, gb)))
            expected[key] = expected.get(key, 0) + 1
    drawn: dict = {}
    for f, t, title in zip(data.edges["from"], data.edges["to"], data.edges["title"]):
        assert f != t, "a group tied to itself"
        key = tuple(sorted((labels[f], labels[t])))
        drawn[key] = int(title.split()[0].replace(",", ""))
    assert drawn == expected


@SETTINGS
@given(net=networks())
def test_the_gexf_file_holds_each_layers_pairs(net, tmp_path_factory):
    path = write_map(net, tmp_path_factory.mktemp("gexf") / "map.gexf")
    ns = {"g": "http://gexf.net/1.3"}
    root = ET.parse(path).getroot()
    keys = {a.get("title"): a.get("id") for a in root.findall(".//g:attributes[@class='edge']/"
                                                              "g:attribute", ns)}
    seen = []
    for edge in root.findall(".//g:edge", ns):
        values = {v.get("for"): v.get("value") for v in edge.findall(".//g:attvalue", ns)}
        layer = values[keys["layer"]]
        a, b = edge.get("source"), edge.get("target")
        assert (edge.get("type") == "directed") == (layer in net.directed_layers)
        seen.append((layer, a, b) if layer in net.directed_layers else (layer, min(a, b), max(a, b)))
    assert not [p for p in seen if p[1] == p[2]]
    assert set(seen) == own_pairs(net)


@SETTINGS
@given(networks())
def test_the_portals_ego_map_draws_the_actors_ties(net):
    # the portal hands ego_payload its snapshot's rows of the tie table, as they are stored
    ties = net.edges[["source", "target", "layer", "year"]].astype({"source": str,
                                                                    "target": str,
                                                                    "layer": str})
    nodes = net.nodes[["id", "name", "kind", "province"]].assign(group="g")
    for focus in net.ids[:3]:
        data = ego_payload(nodes, ties, None, focus, lang="en",
                           directed=tuple(net.directed_layers))
        e = data["edges"]
        drawn = drawn_pairs(np.asarray(nodes["id"]), e["from"], e["to"], e["layer"],
                            net.directed_layers)
        check(drawn, own_pairs(net))


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(net=networks())
def test_the_portal_and_the_report_show_the_networks_ties(net, tmp_path_factory):
    from kumenet.app.portal import Snapshot, _ego_map
    from kumenet.app.snapshot import build_snapshot

    folder = tmp_path_factory.mktemp("snap")
    snap = Snapshot(build_snapshot(net, folder / "s.duckdb", name="t"))
    try:
        for focus in net.ids[:3]:
            data = _ego_map(snap, str(focus), "en")
            ids = data["nodes"]["id"]
            names = data["nodes"]["label_full"]
            by_name = dict(zip(net.nodes["name"].astype(str), net.ids))
            actual = [by_name[names[i]] for i in ids]
            e = data["edges"]
            drawn = drawn_pairs(actual, e["from"], e["to"], e["layer"], net.directed_layers)
            check(drawn, own_pairs(net, among=set(actual)))
        layers = snap.frame("SELECT layer, pairs FROM layers")
        expected = pd.Series([p[0] for p in own_pairs(net)]).value_counts()
        assert dict(zip(layers["layer"], layers["pairs"])) == expected.to_dict()
    finally:
        snap.close()
