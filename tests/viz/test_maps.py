"""Maps, province maps, GEXF and reports without a browser: content, offline, escaping."""

from __future__ import annotations

import json
from html import unescape
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from kumenet.errors import KumenetError
from kumenet.viz.html import script_json
from kumenet.app.maps import build_map, province_figure, write_map, write_province_map
from kumenet.viz.map import map_html
from tests.test_cli import run

REMOTE = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                    re.I)


def payload(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="km-map-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_map_is_one_self_contained_file(pilot, tmp_path):
    path = write_map(pilot, tmp_path / "map.html", lang="en")
    html = path.read_text(encoding="utf-8")
    assert not REMOTE.search(html), REMOTE.search(html)
    assert "bootstrap" not in html.lower()
    assert html.count("<h1>") == 1  # pyvis writes its heading twice
    assert "default-src 'none'" in unescape(html) and "vis.Network" in html
    assert "Yıldız Medikal" in path.read_bytes().decode("utf-8")  # UTF-8 on disk
    data = payload(html)
    assert len(data["nodes"]["id"]) == pilot.n_nodes
    assert {la["name"] for la in data["layers"]} == set(pilot.layers)
    assert not data["options"]["physics"]["enabled"]  # 757 nodes: positions from igraph


def test_map_leaves_the_network_alone(pilot):
    before = (pilot.nodes.copy(), pilot.edges.copy())
    build_map(pilot, color="sector", size="pagerank")
    pd.testing.assert_frame_equal(pilot.nodes, before[0])
    pd.testing.assert_frame_equal(pilot.edges, before[1])


def test_same_input_same_file(pilot):
    assert map_html(build_map(pilot, seed=3)) == map_html(build_map(pilot, seed=3))


def test_colour_size_and_legend(pilot):
    data = build_map(pilot, color="province", size="employees")
    legend = {item["label"]: item["count"] for item in data.legend["items"]}
    assert legend["Gaziantep"] == int((pilot.nodes["province"] == "Gaziantep").sum())
    assert any(label.startswith("Almanya (DE)") for label in legend)  # Turkish by default
    sizes = data.nodes["size"].to_numpy()
    big = pilot.nodes["employees"].fillna(0).to_numpy().argmax()
    assert sizes[big] == sizes.max()
    small = build_map(pilot, color="kind").legend["items"]
    assert {i["label"] for i in small} == {"firm", "institution"}


def test_edge_styles_per_layer(pilot):
    edges = build_map(pilot).edges
    styles = edges.drop_duplicates("layer").set_index("layer")
    assert styles.loc["membership", "dashes"] != styles.loc["supply", "dashes"]
    assert styles["color"].nunique() == 4
    assert (edges.loc[edges["layer"] == "supply", "arrows"] == "to").all()
    assert edges.loc[edges["layer"] == "collaboration", "arrows"].isna().all()


def test_small_maps_use_physics(tiny):
    assert build_map(tiny).options["physics"]["enabled"]


def test_aggregated_view_above_the_limit(pilot):
    data = build_map(pilot, max_nodes=100, aggregate_by="province")
    names = set(data.nodes["label_full"])
    assert "Gaziantep" in names and len(names) < 40
    assert "--group" in data.note
    weights = data.edges["title"].str.extract(r"([\d.]+)")[0].str.replace(".", "").astype(int)
    assert weights.sum() > 0
    group = build_map(pilot, max_nodes=200, aggregate_by="province", group="gaziantep")
    assert set(pilot.nodes["province"].iloc[group.node_index]) == {"Gaziantep"}
    with pytest.raises(KumenetError, match="did you mean"):
        build_map(pilot, max_nodes=100, aggregate_by="province", group="Gazintep")


def test_a_group_too_large_to_draw_opens_one_level_down(pilot):
    gaziantep = int((pilot.nodes["province"] == "Gaziantep").sum())
    assert gaziantep > 100
    data = build_map(pilot, max_nodes=100, aggregate_by="province", group="gaziantep",
                     lang="en")
    # aggregated by sector inside Gaziantep: the members add up to the province's
    members = data.nodes["title"].str.extract(r"members: ([\d,]+)")[0].str.replace(",", "")
    assert members.astype(int).sum() == gaziantep
    assert "aggregated view" in data.title and "Gaziantep" in data.title
    assert 'kumenet map DATA --group "Gaziantep / NAME"' in data.note
    plastics = next(x for x in data.nodes["label_full"] if x.startswith("22.22"))
    opened = build_map(pilot, max_nodes=100, aggregate_by="province",
                       group=f"Gaziantep / {plastics}", lang="en")
    inside = pilot.nodes.iloc[opened.node_index]
    assert set(inside["province"]) == {"Gaziantep"} and set(inside["sector"]) == {"22.22"}
    assert opened.subtitle == f"Group: Gaziantep / {plastics}"
    with pytest.raises(KumenetError, match="in Gaziantep.*did you mean"):
        build_map(pilot, max_nodes=100, aggregate_by="province", group="Gaziantep / 22.22 Plastik ambalaj malzemeleri imalat")


def test_small_groups_gathered_and_the_largest_named(pilot):
    # Every node its own group: one circle for all the small ones, twenty named in the legend.
    net = pilot
    data = build_map(net, max_nodes=50, aggregate_by="id", lang="tr")
    assert len(data.nodes) <= 2 + 150
    data = build_map(net, max_nodes=50, aggregate_by="sector", lang="tr")
    sizes = net.nodes["sector"].value_counts()
    small = int((sizes < 5).sum())
    assert small and f"küçük gruplar ({small})" in set(data.nodes["label_full"])
    legend = data.legend["items"]
    named = [i for i in legend if i["key"]]
    assert len(named) == min(20, int((sizes >= 5).sum()))
    assert [i["label"][:5] for i in named[:1]] == [f"{sizes.index[0]}"]
    assert "toplu görünüm" in data.title and "sektöre göre" in data.title
    assert "i̇" not in data.title + data.note  # no combining dot from lower-casing İ


def test_ego_view_with_suggested_partners(pilot):
    from kumenet.app import maps

    data = maps.build_map(pilot, focus="Yıldız Medikal San. Tic. Ltd. Şti.", hops=1)
    focus = pilot.find("Yıldız Medikal San. Tic. Ltd. Şti.")
    assert focus in data.node_index
    suggested = data.edges[data.edges["layer"] == "suggested"]
    assert len(suggested) >= 3 and suggested["title"].str.contains("->").all()
    assert (data.nodes["borderWidth"] == 5).sum() == 1


def test_suggestions_file_drawn_dashed(pilot, tmp_path):
    table = pd.DataFrame({"source": ["F000001"], "target": ["F000100"],
                          "source_name": ["x"], "target_name": ["y"], "reason": ["because"]})
    data = build_map(pilot, suggestions=table)
    row = data.edges[data.edges["layer"] == "suggested"].iloc[0]
    assert row["dashes"] and row["title"] == "x -> y\nbecause"
    with pytest.raises(KumenetError, match="line 2: no node with id 'F999999'"):
        build_map(pilot, suggestions=table.assign(target="F999999"))


def test_geo_layout_places_firms_in_their_province(pilot):
    from kumenet.viz.layout import project

    data = build_map(pilot, layout="geo", color="province")
    nodes = pilot.nodes.iloc[data.node_index].reset_index(drop=True)
    xy = data.positions
    sam = (nodes["province"] == "Samsun").to_numpy() & (nodes["country"] == "TR").to_numpy()
    cx, cy = project(36.33, 41.29)  # Samsun
    assert np.median(np.hypot(xy[sam, 0] - cx, xy[sam, 1] - cy)) < 80
    foreign = (nodes["country"] != "TR").to_numpy() & nodes["country"].notna().to_numpy()
    radius = np.hypot(xy[foreign, 0], xy[foreign, 1])
    assert (radius > 1000).all()
    de = (nodes["country"] == "DE").to_numpy()
    assert (xy[de, 0] < 0).all() and (xy[de, 1] < 0).all()  # Berlin: north-west
    assert data.outlines and data.credit == "© OpenStreetMap katkıda bulunanlar"
    assert len(np.unique(np.round(xy[sam], 1), axis=0)) == sam.sum()  # no two on one spot


def test_gexf_carries_colours_positions_communities_and_metrics(pilot, tmp_path):
    path = write_map(pilot, tmp_path / "map.gexf", color="province")
    root = ET.parse(path).getroot()
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    nodes = root.findall(".//g:node", ns)
    assert len(nodes) == pilot.n_nodes
    first = nodes[0]
    assert first.find("viz:color", ns) is not None and first.find("viz:position", ns) is not None
    titles = {a.get("title") for a in root.findall(".//g:attributes[@class='node']/g:attribute", ns)}
    assert {"community", "pagerank", "betweenness", "Il / ülke".replace("Il", "İl")} <= titles
    from kumenet.graph.io import read_network

    back = read_network(path)
    assert back.n_nodes == pilot.n_nodes and back.n_edges == pilot.n_edges


def test_province_maps(pilot, tmp_path):
    firms = province_figure(pilot, "firms")
    assert firms["Gaziantep"] == int(((pilot.nodes["province"] == "Gaziantep") &
                                      (pilot.nodes["kind"] == "firm")).sum())
    svg = write_province_map(pilot, "firms", tmp_path / "p.svg").read_text(encoding="utf-8")
    assert svg.count("<path") == 81 and "© OpenStreetMap katkıda bulunanlar" in svg
    assert "Gaziantep: " in svg
    html = write_province_map(pilot, "share_international", tmp_path / "p.html", lang="en")
    assert not REMOTE.search(html.read_text(encoding="utf-8"))
    assert "<title>Share of ties abroad" in html.read_text(encoding="utf-8")
    turkish = write_province_map(pilot, "share_international", tmp_path / "t.svg")
    assert ">Yurt dışıyla bağların payı</text>" in turkish.read_text(encoding="utf-8")
    with pytest.raises(KumenetError, match="did you mean 'share_international'"):
        province_figure(pilot, "share_internationl")


def test_script_json_cannot_close_the_script():
    text = script_json({"a": "</script><script>alert(1)</script>", "b": "\u2028"})
    assert "</" not in text and "<" not in text and "\u2028" not in text
    assert json.loads(text)["a"].startswith("</script>")


def test_cli_map_and_report(tmp_path):
    out = tmp_path / "m.html"
    result = run("map", "sample_networks/pilot", "-o", out, "--color", "sector", "--lang", "en")
    assert result.exit_code == 0 and out.exists()
    for lang, title in (("en", "Samsun · 28.30 Manufacture of agricultural and forestry"),
                        ("tr", "Samsun · 28.30 Tarım ve ormancılık makineleri imalatı")):
        named = tmp_path / f"named_{lang}.html"
        assert run("map", "sample_networks/pilot", "-o", named, "--lang", lang).exit_code == 0
        assert title in named.read_text(encoding="utf-8")  # communities named in the legend
    result = run("map", "sample_networks/pilot", "-o", tmp_path / "x.html", "--focus", "nobody")
    assert result.exit_code == 1 and "no firm or institution named 'nobody'" in result.output
    assert not (tmp_path / "x.html").exists()
    bad = tmp_path / "s.csv"
    bad.write_text("from,to\nF000001,F000002\n")
    result = run("map", "sample_networks/pilot", "-o", tmp_path / "y.html", "--suggestions", bad)
    assert result.exit_code == 1 and "line 1: missing column 'source'" in result.output
    report = tmp_path / "r.html"
    assert run("report", "sample_networks/pilot", "-o", report, "--lang", "en").exit_code == 0
    html = report.read_text(encoding="utf-8")
    for heading in ("Summary", "Network map", "Provinces", "Communities", "Top brokers",
                    "Partner suggestions", "Cluster evaluation", "Regional economy ("):
        assert f"<h2>{heading}" in html
    assert "<svg" in html and not REMOTE.search(html)
    turkish = tmp_path / "r_tr.html"
    assert run("report", "sample_networks/pilot", "-o", turkish).exit_code == 0
    text = turkish.read_text(encoding="utf-8")
    assert "<h2>Ortaklık önerileri</h2>" in text
    # The layers table in Turkish: names as the map's legend has them, yes and no.
    assert "<td>tedarik</td>" in text and "<td>evet</td>" in text and "<td>hayır</td>" in text
    assert "<td>supply</td>" not in text and "<td>True</td>" not in text
    assert "<td>Samsun · 28.30 Tarım ve ormancılık makineleri imalatı</td>" in text


def test_a_networkx_graph_is_drawn_without_being_changed(tmp_path):
    import copy

    import networkx as nx

    from kumenet.graph.io import from_networkx

    G = nx.MultiDiGraph()
    G.add_node("a", name="Işık A.Ş.", kind="firm", country="TR", province="Samsun")
    G.add_node("b", name="Bafra Ltd.", kind="firm", country="TR", province="Samsun")
    G.add_edge("a", "b", layer="supply", weight=2, year=2020)
    before = copy.deepcopy(G)
    write_map(from_networkx(G), tmp_path / "g.html")
    assert nx.utils.graphs_equal(G, before) and dict(G.nodes(data=True)) == dict(before.nodes(data=True))


def test_turkish_lower_case_leaves_no_combining_dot_in_map_titles(tmp_path):
    """'İl / ülke' in lower case is 'il / ülke', not 'i̇l' (Python's lower() adds U+0307)."""
    out = tmp_path / "agg.html"
    assert run("map", "sample_networks/pilot", "-o", out, "--max-nodes", "100",
               "--aggregate-by", "province").exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "il / ülke" in html and "\u0307" not in html


def test_choropleth_legend_names_only_classes_that_hold_provinces():
    """Few distinct values (1 firm in three provinces, 2 in one) gave the legend '1 - 1',
    '1 - 1', '1 - 2' with an empty first class; each class is now labelled by the values it
    holds and every legend colour fills a province."""
    import re

    from kumenet.viz.charts import province_map

    svg = province_map(pd.Series({"Samsun": 1, "Çorum": 1, "Trabzon": 1, "Gaziantep": 2}),
                       "firms", "firms")
    legend = re.findall(r'<rect [^>]*fill="(#[0-9a-f]+)"/><text [^>]*>([^<]*)</text>', svg)
    assert [label for _, label in legend] == ["1", "2", "-"]
    filled = set(re.findall(r'<path d="[^"]*" fill="(#[0-9a-f]+)"', svg))
    assert {colour for colour, _ in legend} <= filled
    assert re.search(r'fill="' + legend[1][0] + r'"[^>]*><title>Gaziantep: 2</title>', svg)
