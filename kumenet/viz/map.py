"""Interactive network maps: one self-contained HTML file (or GEXF for Gephi).

Built on pyvis's vis-network and its option model, with what pyvis gets wrong done here: no
CDN (the library is inlined from the pyvis package), one heading, UTF-8 on disk, the caller's
data never modified, every label escaped, and layouts computed with igraph instead of in the
browser so that thousands of nodes open in seconds (pyvis's ``add_edge`` alone is quadratic).

Views:

- the whole network, coloured by community, province, sector, kind, layer or any node
  column, sized by a metric, one edge style per layer;
- above ``max_nodes`` an aggregated view: communities or provinces as nodes, ties summed
  (``group=`` opens one of them);
- an ego view: ``focus=`` a firm and ``hops`` steps around it, with the suggestions it is
  handed (:mod:`kumenet.app.maps` computes the firm's own);
- the geographic view (``layout="geo"``): provinces' coordinates, foreign actors on a ring in
  their country's direction, province outlines behind (© OpenStreetMap contributors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.arrays import undirected_ends
from kumenet.graph.network import Network
from kumenet.messages import MESSAGES, check_lang, country_name, fmt, term, terms, text, texts
from kumenet.text import fold_series, map_distinct, sort_key, suggestion, tr_lower

__all__ = ["MapData", "script_words", "build_map", "ego_payload", "map_html", "write_map"]


COLOR_BY = ("community", "province", "sector", "kind", "layer", "cluster")
SIZE_BY = ("degree", "strength", "pagerank", "betweenness", "eigenvector", "employees",
           "exports_usd")
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#2f4b7c", "#a05195", "#d45087", "#665191", "#003f5c",
           "#7a9e3b", "#c9733a", "#8cd17d", "#b6992d", "#499894", "#d37295"]  # 20: the legend's
OTHER = "#c7c7c7"
LAYER_STYLES = {  # colour, dashes, width
    "supply": ("#3a6ea5", False, 1.6),
    "collaboration": ("#d1495b", False, 1.2),
    "membership": ("#8d8d8d", [2, 4], 0.8),
    "information": ("#66a182", [8, 5], 1.0),
}
EXTRA_LAYER_COLORS = ["#8e6c8a", "#c1a13b", "#4f8a8b", "#b56576"]
# Suggested ties: near-black long dashes, drawn thicker than any tie: no community colour and
# no layer looks like them.
SUGGESTED = ("suggested", "#1a1a1a", [12, 6], 3.0)
#: How a map marks the actor it is centred on: a black ring, a larger dot and a bold label.
FOCUS_FONT = {"size": 17, "color": "#000000", "strokeWidth": 5, "strokeColor": "#ffffff",
              "face": "sans-serif", "bold": {"color": "#000000"}}
PHYSICS_LIMIT = 300
MAX_NODES = 5000
LABELLED = 30  # nodes whose names are written on the canvas (the largest)

SMALL_GROUP = 5  # aggregated maps gather groups of fewer members into one node
MAX_GROUPS = 150  # and draw at most this many groups
LEGEND_GROUPS = 20
DOWN = ("province", "sector")  # the levels a group too large to draw opens into


@dataclass
class MapData:
    """What a map page shows: vis-network nodes and edges (tables, one column per property;
    missing values are left out of the vis objects), options, legend, layers, notes."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    options: dict
    legend: dict
    layers: list
    title: str
    subtitle: str
    note: str = ""
    outlines: list | None = None
    credit: str = ""
    lang: str = "tr"
    positions: np.ndarray | None = None
    node_index: np.ndarray | None = None  # positions in the network of the drawn nodes
    colors: list = field(default_factory=list)

    def payload(self) -> dict:
        return {"nodes": _columns(self.nodes), "edges": _columns(self.edges),
                "options": self.options,
                "legend": self.legend, "layers": self.layers, "outlines": self.outlines,
                "text": script_words(self.lang)}


def script_words(lang: str) -> dict[str, str]:
    """The words the page's script and the map's frame show (search box, layer list).

    >>> script_words('tr')['search'], script_words('en')['search']
    ('Firma veya kurum ara', 'Search a firm or institution')
    """
    t = texts("map", lang)
    return {k: t[k] for k in ("search", "layers", "no_match", "nodes", "suggested", "layer")}


def _columns(frame: pd.DataFrame) -> dict:
    """A table as {column: list} for JSON, missing values as null."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if values.dtype.kind in "iub":
            out[col] = values.tolist()
        else:
            out[col] = values.astype(object).where(values.notna(), None).tolist()
    return out


def build_map(net: Network, *, color: str = "community", size: str = "degree",
              layers=None, layout: str = "force", max_nodes: int = MAX_NODES,
              aggregate_by: str = "community", group: str | None = None,
              focus: str | None = None, hops: int = 2, suggestions: pd.DataFrame | None = None,
              title: str | None = None, lang: str = "tr", seed: int = 0,
              physics_limit: int = PHYSICS_LIMIT, groups: str | None = None,
              communities: pd.Series | None = None) -> MapData:
    """Everything a map needs, computed in Python (see the module text for the views).

    ``communities``: each node's community by its name (the layout keeps communities
    together, and they colour and group the map); ``groups``: a node column that holds them
    instead. :func:`kumenet.app.maps.build_map` finds them when neither is given.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> data = build_map(net, color='province', communities=net.nodes['cluster'].astype(object))
    >>> len(data.nodes) == net.n_nodes, data.legend['title']
    (True, 'İl / ülke')
    """
    t = texts("map", check_lang(lang))
    layers = _check_layers(net, layers)
    u, v, w, _ = net.ties(layers)
    n = net.n_nodes
    labels = None
    if aggregate_by and (group is not None or (focus is None and n > max_nodes)):
        labels = _groups(net, aggregate_by, communities, lang)
    if focus is not None:
        keep, focus_pos = _ego(net, focus, hops, u, v, max_nodes)
        subtitle = text("map.ego", lang, name=net.nodes["name"].iloc[focus_pos], hops=hops)
    elif group is not None:
        keep, path, by = _open_group(net, labels, aggregate_by, group, communities, lang)
        if len(keep) > max_nodes:
            down = _level_below(by)
            if down is not None:  # too many to draw: the group aggregated one level down
                inner = _groups(net, down, communities, lang)
                return _aggregated(net, inner, down, u, v, w, title, lang, seed, max_nodes,
                                   within=keep, path=path)
            keep = _best_connected(keep, u, v, max_nodes)
        subtitle = f"{t['group']}: {' / '.join(path)}"
    elif n > max_nodes:
        return _aggregated(net, labels, aggregate_by, u, v, w, title, lang, seed, max_nodes)
    else:
        keep = np.arange(n)
        subtitle = ""
    return _node_map(net, keep, u, v, w, layers, color=color, size=size, layout=layout,
                     suggestions=suggestions, title=title, subtitle=subtitle, lang=lang,
                     seed=seed, physics_limit=physics_limit,
                     focus=focus_pos if focus is not None else None, groups=groups,
                     communities=communities)


def _check_layers(net: Network, layers):
    if layers is None:
        return None
    layers = [layers] if isinstance(layers, str) else list(layers)
    for la in layers:
        if la not in net.layers:
            raise KumenetError(f"no layer {la!r}{suggestion(la, net.layers)}; the layers are "
                               f"{', '.join(net.layers)}")
    return layers


def _groups(net: Network, by: str, communities: pd.Series | None, lang: str = "tr"
            ) -> pd.Series:
    if by == "community":
        if communities is None:
            raise KumenetError("a map by community needs the communities: draw it with "
                               "kumenet.app.maps.build_map, which finds them")
        return communities
    from kumenet.graph.geography import region_codes

    if by == "province":  # foreign actors by country, named in the map's language
        return _places(net, lang).fillna("?")
    if by in ("nuts2", "nuts1"):
        return region_codes(net.nodes, by).astype(object).fillna("?")
    if by == "sector":
        return _sector_names(net, lang).fillna("?")
    if by in net.nodes:
        return net.nodes[by].astype(object).fillna("?")
    raise KumenetError(f"cannot group by {by!r}: use community, province, nuts2, nuts1 or a "
                       f"node column")


def _open_group(net, labels: pd.Series, by: str, group: str, communities, lang
                ) -> tuple[np.ndarray, list[str], str]:
    """The members of ``group`` (a name, or a path "community / province / sector" that
    opens groups one level down at a time), the names on the path and the level of the last.
    """
    from kumenet.text import fold

    whole = fold(group)
    folded = fold_series(labels.astype(str))
    keep = np.flatnonzero((folded == whole).to_numpy())
    if len(keep):
        return keep, [str(labels.iloc[keep[0]])], by
    parts = [p.strip() for p in group.split(" / ")]
    keep = np.arange(net.n_nodes)
    level = by
    found = []
    for depth, part in enumerate(parts):
        if depth:
            level = _level_below(level)
            if level is None:
                raise KumenetError(f"no group {group!r}: {' / '.join(found)} has no level "
                                   "below it")
            labels = _groups(net, level, communities, lang)
        inside = labels.iloc[keep].astype(str)
        hit = keep[(fold_series(inside) == fold(part)).to_numpy()]
        if len(hit) == 0:
            choices = sorted(set(inside), key=sort_key)
            where = f" in {' / '.join(found)}" if depth else ""
            raise KumenetError(f"no group {part!r}{where}{suggestion(part, choices)}")
        keep = hit
        found.append(str(labels.iloc[hit[0]]))
    return keep, found, level


def _level_below(by: str) -> str | None:
    """The grouping a group of ``by`` opens into when it is too large to draw."""
    if by not in DOWN:
        return DOWN[0]
    at = DOWN.index(by)
    return DOWN[at + 1] if at + 1 < len(DOWN) else None


def _best_connected(keep: np.ndarray, u, v, limit: int) -> np.ndarray:
    """The ``limit`` members of ``keep`` with most ties inside it (ties by position)."""
    inside = np.zeros(int(max(keep.max(initial=0), u.max(initial=0), v.max(initial=0))) + 1, bool)
    inside[keep] = True
    both = inside[u] & inside[v]
    degree = np.bincount(np.concatenate([u[both], v[both]]), minlength=len(inside))[keep]
    return np.sort(keep[np.argsort(-degree, kind="stable")[:limit]])


def _ego(net: Network, focus: str, hops: int, u, v, max_nodes: int) -> tuple[np.ndarray, int]:
    import igraph as ig

    pos = net.find(focus)
    g = ig.Graph(n=net.n_nodes, edges=np.column_stack([u, v]), directed=False)
    order = np.asarray(g.bfs(pos)[0])  # visit order, nearest first
    dist = np.asarray(g.distances(source=[pos])[0], dtype=float)
    inside = order[dist[order] <= hops]
    return np.sort(inside[:max_nodes]), pos


def _palette(values: pd.Series, t: dict, limit: int = len(PALETTE)) -> tuple[np.ndarray, list]:
    """A colour per value (the most frequent get their own; the rest 'other')."""
    filled = values.astype(object).where(values.notna(), None)
    counts = filled.value_counts()
    order = sorted(counts.index, key=lambda k: (-counts[k], sort_key(str(k))))  # distinct values
    counts = counts[order]
    named = [k for k in order[:limit] if counts[k] >= min(2, counts.max())]
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(named)}
    mapped = filled.map(colors)
    col = mapped.where(mapped.notna(), OTHER).to_numpy(dtype=object)
    items = [{"key": str(k), "label": str(k), "color": colors[k], "count": int(counts[k])}
             for k in named]
    rest = int(len(filled) - counts[named].sum())
    if rest:
        items.append({"key": "", "label": f"{t['other']} / {t['unknown']}", "color": OTHER,
                      "count": rest})
    keys = filled.where(filled.isin(named), "").astype(str).to_numpy(dtype=object)
    return np.column_stack([col, keys]), items


def _color_values(net: Network, color: str, communities, lang: str = "tr") -> pd.Series:

    nodes = net.nodes
    if color == "community":
        return _groups(net, "community", communities, lang)
    if color == "province":
        return _places(net, lang)
    if color == "sector":
        return _sector_names(net, lang)
    if color == "layer":
        s = net.edges["source"].cat.codes.to_numpy().astype(np.int64)
        t_ = net.edges["target"].cat.codes.to_numpy().astype(np.int64)
        layer = net.edges["layer"].astype(object).to_numpy()
        from kumenet.arrays import group_mode

        main = group_mode(np.concatenate([s, t_]), np.concatenate([layer, layer]))
        return pd.Series(main.reindex(range(net.n_nodes)).to_numpy(), dtype=object)
    if color in nodes.columns:
        return nodes[color].astype(object)
    raise KumenetError(f"cannot colour by {color!r}{suggestion(color, COLOR_BY)}: use "
                       f"{', '.join(COLOR_BY)} or a node column")


def _places(net: Network, lang: str) -> pd.Series:
    """The province of Turkish actors, the country of the others ('Almanya (DE)')."""
    from kumenet.graph.geography import region_codes

    regions = region_codes(net.nodes, "province").astype(object)
    foreign = (net.nodes["country"] != "TR").to_numpy() & regions.notna().to_numpy()
    regions[foreign] = map_distinct(regions[foreign], lambda c: f"{country_name(c, lang)} ({c})")
    return regions


def _sector_names(net: Network, lang: str) -> pd.Series:
    """'22.29 plastik parça' for the NACE classes kumenet names (the name the reasons of
    suggestions give them), '22 Kauçuk ve plastik ürünlerin imalatı' (the division) otherwise,
    in ``lang``."""
    from kumenet.data.sectors import sector_codes, sector_titles, short_titles

    classes = short_titles(lang)
    divisions = sector_titles("division", lang)
    division = sector_codes(net.nodes["sector"], "division")

    def name(code):
        if code in classes:
            return f"{code} {classes[code]}"
        d = code[:2]
        return f"{d} {divisions.get(d, '')}".strip()

    values = net.nodes["sector"].astype(object).where(division.notna(), None)
    return map_distinct(values, name)


def _size_values(net: Network, size: str, u, v, w) -> np.ndarray:
    n = net.n_nodes
    if size == "degree":
        pairs = np.unique(np.sort(np.column_stack([u, v]), axis=1), axis=0) if len(u) else \
            np.zeros((0, 2), int)
        return np.bincount(pairs.ravel(), minlength=n).astype(float)
    if size == "strength":
        return np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    if size in ("pagerank", "betweenness", "eigenvector"):
        import igraph as ig

        g = ig.Graph(n=n, edges=np.column_stack([u, v]), directed=False)
        g.es["weight"] = w
        g.simplify(combine_edges="sum")
        if size == "pagerank":
            return np.asarray(g.pagerank(weights="weight"))
        if size == "betweenness":
            return np.asarray(g.betweenness(cutoff=None if n <= 20_000 else 4))
        return np.asarray(g.eigenvector_centrality(weights="weight"))
    if size in net.nodes.columns and pd.api.types.is_numeric_dtype(net.nodes[size]):
        return net.nodes[size].astype("float64").fillna(0).to_numpy()
    raise KumenetError(f"cannot size by {size!r}{suggestion(size, SIZE_BY)}: use "
                       f"{', '.join(SIZE_BY)} or a numeric node column")


def _scaled(values: np.ndarray, low: float = 5.0, high: float = 24.0) -> np.ndarray:
    x = np.sqrt(np.clip(np.nan_to_num(values), 0, None))
    top = x.max() if len(x) else 0
    return low + (high - low) * (x / top if top > 0 else 0)


def _tooltips(nodes: pd.DataFrame, extra: dict[str, np.ndarray], lang: str) -> np.ndarray:
    """One plain-text tooltip per drawn node (its row of ``nodes``; lines joined with
    newlines), in ``lang``."""
    tip = nodes["name"].astype(str).to_numpy(dtype=object)
    columns = [c for c in ("id", "kind", "subtype", "province", "country", "sector", "employees",
                           "exports_usd", "cluster") if c in nodes]
    for col in columns:
        values = nodes[col]
        present = values.notna().to_numpy()
        if pd.api.types.is_numeric_dtype(values):
            cells = _grouped(values.astype("float64").fillna(0).to_numpy(), lang)
        elif col in ("kind", "subtype"):
            cells = terms(col, values.astype(object).where(present, ""), lang)
        else:
            cells = np.asarray(values.astype(object).where(present, ""), dtype=str)
        label = text(f"col.{col}", lang) if f"col.{col}" in MESSAGES else col
        tip = np.where(present, tip + "\n" + (label + ": " + cells.astype(object)), tip)
    for label, values in extra.items():
        shown = np.char.mod("%.4g", values)
        if lang == "tr":
            shown = np.char.replace(shown, ".", ",")
        tip = tip + "\n" + term("measure", label, lang) + ": " + shown.astype(object)
    return tip


def _grouped(values: np.ndarray, lang: str) -> np.ndarray:
    """Whole numbers with thousands separators for ``lang`` (6,064,000 / 6.064.000)."""
    out = np.array([f"{x:,.0f}" for x in values], dtype=object)
    if lang == "tr":
        out = np.array([x.replace(",", ".") for x in out], dtype=object)
    return out


def _edge_records(u, v, layer, start_id: int, t: dict, lang: str, directed: set,
                  titles=None) -> pd.DataFrame:
    styles = dict(LAYER_STYLES)
    frame = pd.DataFrame({"from": u, "to": v, "layer": layer})
    records = []
    for i, name in enumerate(sorted(frame["layer"].unique(), key=sort_key)):
        rows = frame[frame["layer"] == name]
        color, dashes, width = styles.get(name, (EXTRA_LAYER_COLORS[i % 4], [4, 3], 1.0))
        if name == SUGGESTED[0]:
            color, dashes, width = SUGGESTED[1:]
        part = pd.DataFrame({"from": rows["from"].astype(int), "to": rows["to"].astype(int),
                             "layer": name, "color": color, "width": width})
        part["dashes"] = [dashes] * len(part) if dashes else False
        part["arrows"] = "to" if name in directed else None
        if titles is not None and name == SUGGESTED[0]:
            part["title"] = np.asarray(titles, dtype=object)
        records.append(part)
    if not records:
        return pd.DataFrame(columns=["id", "from", "to", "layer", "color", "width", "dashes"])
    edges = pd.concat(records, ignore_index=True)
    edges.insert(0, "id", np.arange(start_id, start_id + len(edges)))
    return edges


def _layer_list(edges: pd.DataFrame, lang: str) -> list:
    counts = edges["layer"].value_counts()
    first = edges.drop_duplicates("layer").set_index("layer")
    return [{"name": la, "label": term("layer", la, lang), "color": first.loc[la, "color"],
             "dashes": first.loc[la, "dashes"] is not False, "count": int(counts[la])}
            for la in sorted(counts.index, key=sort_key)]


def _options(n_drawn: int, physics: bool) -> dict:
    """vis-network options: pyvis's option model, then what large maps need (a copy)."""
    import copy

    return copy.deepcopy(_options_for(n_drawn > 1500, n_drawn > 3000, n_drawn > 1000, physics))


@lru_cache(maxsize=16)
def _options_for(hide_on_drag: bool, hide_on_zoom: bool, faint: bool, physics: bool) -> dict:
    import json

    from pyvis.options import Options

    opts = Options(layout=None)
    opts.interaction.hideEdgesOnDrag = hide_on_drag
    opts.physics.enabled = physics
    data = json.loads(opts.to_json())
    data.pop("configure", None)
    data["interaction"].update(hover=True, tooltipDelay=120, hideEdgesOnZoom=hide_on_zoom,
                               navigationButtons=False, keyboard=False)
    data["physics"]["stabilization"].update(iterations=150)
    data["physics"]["barnesHut"] = {"gravitationalConstant": -3000, "springLength": 90}
    # Curved edges and vis's own "improved" layout cost minutes on large maps.
    data["edges"] = {"smooth": False, "selectionWidth": 2,
                     "color": {"inherit": False, "opacity": 0.55 if faint else 0.8}}
    data["layout"] = {"improvedLayout": False, "randomSeed": 0}
    data["nodes"] = {"shape": "dot", "borderWidth": 1,
                     "font": {"size": 12, "face": "sans-serif", "strokeWidth": 3,
                              "strokeColor": "#ffffff"}}
    data["edges"]["arrows"] = {"to": {"enabled": False, "scaleFactor": 0.35}}
    return data


def _node_map(net: Network, keep: np.ndarray, u, v, w, layers, *, color, size, layout,
              suggestions, title, subtitle, lang, seed, physics_limit, focus,
              groups=None, communities=None) -> MapData:
    t = texts("map", lang)
    # suggestions: dashed edges between drawn nodes (an ego view adds the targets outside)
    sug = _suggestion_pairs(net, suggestions) if suggestions is not None else None
    if sug is not None and len(sug) and focus is not None:
        keep = np.union1d(keep, np.concatenate([sug["s"], sug["t"]]))
    sizes_all = _size_values(net, size, u, v, w)
    community_of = (net.nodes[groups].astype(object).to_numpy() if groups else
                    _groups(net, "community", communities, lang).to_numpy())
    values = pd.Series(community_of, dtype=object) if color == "community" else \
        _color_values(net, color, communities, lang)
    colors, items = _palette(values.iloc[keep].reset_index(drop=True), t)
    local = np.full(net.n_nodes, -1)
    local[keep] = np.arange(len(keep))
    ties = _drawn_ties(net, local, layers)
    if sug is not None and len(sug):
        sug = sug[(local[sug["s"]] >= 0) & (local[sug["t"]] >= 0)]
    nk = len(keep)
    xy, outlines, credit, physics, note = _placed(net, keep, ties, layout, sizes_all,
                                                  community_of, t, lang, seed, physics_limit)
    frame = _node_frame(net, keep, xy, sizes_all, size, colors, lang,
                        local[focus] if focus is not None else None)
    ids = [ties["u"].to_numpy(), ties["v"].to_numpy(), ties["layer"].to_numpy()]
    titles = None
    if sug is not None and len(sug):
        ids = [np.concatenate([ids[0], local[sug["s"]]]), np.concatenate([ids[1], local[sug["t"]]]),
               np.concatenate([ids[2], np.full(len(sug), SUGGESTED[0], dtype=object)])]
        titles = sug["title"].to_numpy(dtype=object)
    edges = _edge_records(*ids, 0, t, lang, set(net.directed_layers), titles)
    legend = {"title": t.get(color, color), "items": items}
    kind = t["geo_of"] if layout == "geo" else t["map_of"]
    return MapData(frame, edges, _options(nk, physics), legend, _layer_list(edges, lang),
                   title or f"{kind}: {fmt('{:,}', lang, nk)} {t['nodes']}", subtitle, note,
                   outlines, credit,
                   lang, xy, keep, list(colors[:, 0]))


def _drawn_ties(net: Network, local: np.ndarray, layers) -> pd.DataFrame:
    """The distinct ties of each layer among the drawn nodes (``local``: each node's place
    on the map, -1 when not drawn), undirected ones with their ends in order."""
    s = net.edges["source"].cat.codes.to_numpy().astype(np.int64)
    d = net.edges["target"].cat.codes.to_numpy().astype(np.int64)
    lay = net.edges["layer"].astype(object).to_numpy()
    inside = (local[s] >= 0) & (local[d] >= 0)
    if layers is not None:
        inside &= np.isin(lay, layers)
    a, b, lay = local[s[inside]], local[d[inside]], lay[inside]
    a, b = undirected_ends(a, b, ~np.isin(lay, list(net.directed_layers)))
    ties = pd.DataFrame({"u": a, "v": b, "layer": lay}).drop_duplicates()
    return ties.sort_values(["layer", "u", "v"], kind="stable")


def _placed(net: Network, keep, ties, layout, sizes_all, community_of, t, lang, seed,
            physics_limit):
    """Where the drawn nodes go: ``(xy, outlines, credit, physics, note)``."""
    nk = len(keep)
    if layout == "geo":
        from kumenet.viz.layout import geo_layout, outline_rings

        order = (-sizes_all[keep]).argsort(kind="stable").argsort(kind="stable")
        xy, unplaced = geo_layout(net.nodes.iloc[keep].reset_index(drop=True), order)
        note = f"{fmt('{:,}', lang, int(unplaced.sum()))} {t['no_location']}" \
            if unplaced.any() else ""
        return xy, outline_rings(), t["credit"], False, note
    if layout == "force":
        from kumenet.viz.layout import force_layout

        # Ties to institutions (membership, information) would pull every province into one
        # ball: they count little in the layout.
        # Ties across communities are weakened too, so that communities read as groups.
        soft = ties["layer"].isin(["membership", "information"]).to_numpy()
        community = pd.factorize(community_of[keep])[0]
        across = community[ties["u"].to_numpy()] != community[ties["v"].to_numpy()]
        xy = force_layout(nk, ties["u"].to_numpy(), ties["v"].to_numpy(),
                          np.where(soft, 0.05, np.where(across, 0.15, 1.0)), seed=seed)
        return xy, None, "", nk <= physics_limit, ""
    raise KumenetError(f"unknown layout {layout!r}; use force or geo")


def _node_frame(net: Network, keep, xy, sizes_all, size, colors, lang,
                focus: int | None) -> pd.DataFrame:
    """One row per drawn node: place, size, colour, label (the largest and the focus),
    tooltip."""
    nk = len(keep)
    sizes = _scaled(sizes_all[keep])
    tooltips = _tooltips(net.nodes.iloc[keep], {size: sizes_all[keep]} if size not in
                         ("employees", "exports_usd") else {}, lang)
    names = net.nodes["name"].astype(str).to_numpy(dtype=object)[keep]
    labelled = np.zeros(nk, bool)
    labelled[np.argsort(-sizes, kind="stable")[:LABELLED]] = True
    if focus is not None:
        labelled[focus] = True
    name_s = pd.Series(names, dtype=object)
    short = name_s.where(name_s.str.len() <= 28, name_s.str.slice(0, 27) + "…").to_numpy()
    frame = pd.DataFrame({
        "id": np.arange(nk), "label_full": names, "key": fold_series(pd.Series(names)).to_numpy(),
        "x": np.round(xy[:, 0], 1), "y": np.round(xy[:, 1], 1), "size": np.round(sizes, 1),
        "color": colors[:, 0], "group": colors[:, 1], "title": tooltips,
    })
    frame["label"] = np.where(labelled, short, None)
    _mark_focus(frame, focus)
    return frame


def _mark_focus(nodes, focus: int | None) -> None:
    """Mark the focal node (a column table or a frame, in place): a black ring, a dot at
    least as large as the largest, its name in bold."""
    n = len(nodes["id"])
    at = np.arange(n) == (focus if focus is not None and focus >= 0 else -1)
    nodes["borderWidth"] = np.where(at, 5, 1).tolist()
    if not at.any():
        return
    i = int(np.flatnonzero(at)[0])
    colors = np.atleast_1d(np.asarray(nodes["color"], dtype=object)).tolist()
    colors[i] = {"background": colors[i], "border": "#000000",
                 "highlight": {"background": colors[i], "border": "#000000"}}
    sizes = np.atleast_1d(np.asarray(nodes["size"], dtype=float)).tolist()
    sizes[i] = round(max(max(sizes), 12.0) * 1.25, 1)
    fonts = [None] * n
    fonts[i] = FOCUS_FONT
    nodes["color"], nodes["size"], nodes["font"] = colors, sizes, fonts
    labels = np.atleast_1d(np.asarray(nodes["label"], dtype=object)).tolist()
    labels[i] = f"★ {labels[i]}"
    nodes["label"] = labels


def ego_payload(nodes: pd.DataFrame, ties: pd.DataFrame, suggestions: pd.DataFrame | None,
                focus: str, lang: str = "tr", directed=("supply", "membership"),
                seed: int = 0) -> dict:
    """The map data of one actor's neighbourhood, drawn from the tables it is handed.

    ``nodes``: ``id``, ``name``, ``group`` (its community's name) and any of ``kind``,
    ``subtype``, ``province``, ``country``, ``sector``, ``employees``, ``cluster``; ``ties``:
    ``source``, ``target``, ``layer``; ``suggestions``: ``source``, ``target`` and the
    ``source_name``, ``target_name``, ``reason`` their tooltips show. The same look as
    :func:`build_map`'s ego view, without a network to build (the portal draws one per
    profile, so it must cost milliseconds).

    >>> nodes = pd.DataFrame({'id': ['a', 'b', 'c'], 'name': ['A', 'B', 'C'],
    ...                       'group': ['x', 'x', 'y']})
    >>> ties = pd.DataFrame({'source': ['a', 'b'], 'target': ['b', 'c'],
    ...                      'layer': ['supply', 'collaboration']})
    >>> data = ego_payload(nodes, ties, None, 'a', lang='en')
    >>> data['nodes']['borderWidth'], data['edges']['arrows']
    ([5, 1, 1], [None, 'to'])
    """
    from kumenet.viz.layout import force_layout

    t = texts("map", lang)
    nodes = nodes.reset_index(drop=True)
    ids = pd.Index(nodes["id"].astype(str))
    n = len(ids)
    u = ids.get_indexer(ties["source"].astype(str))
    v = ids.get_indexer(ties["target"].astype(str))
    layer = ties["layer"].astype(str).to_numpy(dtype=object)
    ok = (u >= 0) & (v >= 0) & (u != v)
    u, v, layer = u[ok], v[ok], layer[ok]
    a, b = undirected_ends(u, v, ~np.isin(layer, list(directed)))
    pairs = pd.DataFrame({"u": a, "v": b, "layer": layer}).drop_duplicates()
    pairs = pairs.sort_values(["layer", "u", "v"], kind="stable")
    ends = np.unique(np.sort(pairs[["u", "v"]].to_numpy(), axis=1), axis=0) if len(pairs) \
        else np.zeros((0, 2), int)
    degree = np.bincount(ends.ravel(), minlength=n).astype(float)
    soft = pairs["layer"].isin(["membership", "information"]).to_numpy()
    xy = force_layout(n, pairs["u"].to_numpy(), pairs["v"].to_numpy(),
                      np.where(soft, 0.05, 1.0), seed=seed)
    group = nodes["group"] if "group" in nodes else pd.Series([None] * n, dtype=object)
    colors, items = _palette(group.reset_index(drop=True), t)
    sizes = _scaled(degree)
    names = nodes["name"].astype(str).tolist()
    tips = _tooltips(nodes, {}, lang).tolist()
    me = ids.get_indexer([str(focus)])[0]
    labelled = np.zeros(n, bool)
    labelled[np.argsort(-sizes, kind="stable")[:LABELLED]] = True
    if me >= 0:
        labelled[me] = True
    name_s = pd.Series(names, dtype=object)
    short = name_s.where(name_s.str.len() <= 28, name_s.str.slice(0, 27) + "…")
    node_data = {
        "id": list(range(n)), "label_full": names, "key": fold_series(name_s).tolist(),
        "x": np.round(xy[:, 0], 1).tolist(), "y": np.round(xy[:, 1], 1).tolist(),
        "size": np.round(sizes, 1).tolist(), "color": colors[:, 0].tolist(),
        "group": colors[:, 1].tolist(), "title": tips,
        "label": np.where(labelled, short.to_numpy(dtype=object), None).tolist()}
    _mark_focus(node_data, me)
    edge_data, layer_list = _ego_edges(ids, pairs, suggestions, directed, lang)
    return {"nodes": node_data, "edges": edge_data, "options": _options(n, n <= PHYSICS_LIMIT),
            "legend": {"title": t["community"], "items": items}, "layers": layer_list,
            "outlines": None, "text": script_words(lang)}


def _ego_edges(ids: pd.Index, pairs: pd.DataFrame, suggestions, directed, lang):
    """An ego map's edges (its ties, then its suggestions dashed) and their layer list."""
    eu, ev, el = [pairs["u"].to_numpy()], [pairs["v"].to_numpy()], [pairs["layer"].to_numpy()]
    titles = [None] * len(pairs)
    if suggestions is not None and len(suggestions):
        s_ = ids.get_indexer(suggestions["source"].astype(str))
        c_ = ids.get_indexer(suggestions["target"].astype(str))
        keep = (s_ >= 0) & (c_ >= 0)
        eu.append(s_[keep])
        ev.append(c_[keep])
        el.append(np.full(int(keep.sum()), SUGGESTED[0], dtype=object))
        said = (suggestions["source_name"].astype(str) + " -> " +
                suggestions["target_name"].astype(str))
        if "reason" in suggestions:
            said = said + "\n" + suggestions["reason"].astype(str)
        titles += said[keep].tolist()
    eu, ev, el = np.concatenate(eu), np.concatenate(ev), np.concatenate(el)
    layers = sorted(set(el.tolist()), key=sort_key)
    styles = [SUGGESTED[1:] if name == SUGGESTED[0] else
              LAYER_STYLES.get(name, (EXTRA_LAYER_COLORS[k % 4], [4, 3], 1.0))
              for k, name in enumerate(layers)]
    code = pd.Index(layers).get_indexer(el)
    order = np.lexsort((np.arange(len(el)), code))
    code = code[order]
    color, dashes, width = (np.array([st[i] or False for st in styles] + [None],
                                     dtype=object)[:-1] for i in range(3))
    arrows = np.array(["to" if name in directed else None for name in layers] + [None],
                      dtype=object)[:-1]
    edge_data = {"id": list(range(len(order))), "from": eu[order].astype(int).tolist(),
                 "to": ev[order].astype(int).tolist(),
                 "layer": np.asarray(layers, dtype=object)[code].tolist(),
                 "color": color[code].tolist(), "width": width[code].tolist(),
                 "dashes": dashes[code].tolist(), "arrows": arrows[code].tolist(),
                 "title": np.asarray(titles, dtype=object)[order].tolist()}
    counts = np.bincount(code, minlength=len(layers))
    layer_list = [{"name": name, "label": term("layer", name, lang), "color": styles[k][0],
                   "dashes": styles[k][1] is not False, "count": int(counts[k])}
                  for k, name in enumerate(layers)]
    return edge_data, layer_list


def _suggestion_pairs(net: Network, suggestions: pd.DataFrame) -> pd.DataFrame:
    """Positions of the suggested pairs and a tooltip text for each."""
    index = pd.Index(net.nodes["id"].astype(str))
    s = index.get_indexer(suggestions["source"].astype(str))
    t_ = index.get_indexer(suggestions["target"].astype(str))
    bad = (s < 0) | (t_ < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        missing = suggestions["source"].iloc[i] if s[i] < 0 else suggestions["target"].iloc[i]
        raise KumenetError(f"suggestions, line {i + 2}: no node with id {str(missing)!r} in the "
                           f"network{suggestion(str(missing), index)}")
    text = suggestions["source_name"].astype(str) + " -> " + suggestions["target_name"].astype(str) \
        if {"source_name", "target_name"} <= set(suggestions) else pd.Series("", index=suggestions.index)
    if "reason" in suggestions:
        text = text + "\n" + suggestions["reason"].astype(str)
    return pd.DataFrame({"s": s, "t": t_, "title": text.to_numpy(dtype=object)})


def _aggregated(net: Network, labels: pd.Series, by: str, u, v, w, title, lang, seed,
                max_nodes, within: np.ndarray | None = None, path: list | None = None
                ) -> MapData:
    """One circle per group of ``labels`` (members of ``within`` only, when given), ties
    summed; groups under :data:`SMALL_GROUP` members (and past the :data:`MAX_GROUPS`
    largest) gathered into one circle; the legend names the largest."""
    from kumenet.viz.layout import force_layout

    t = texts("map", lang)
    n = net.n_nodes
    member = np.ones(n, bool)
    if within is not None:
        member = np.zeros(n, bool)
        member[within] = True
    group, names, order, big, n_small = _gathered(labels, member)
    k = len(big) + (n_small > 0)
    gu, gv = group[u], group[v]
    between = (gu != gv) & (gu >= 0) & (gv >= 0)
    pair = pd.DataFrame({"a": np.minimum(gu, gv)[between], "b": np.maximum(gu, gv)[between],
                         "w": w[between]}).groupby(["a", "b"], as_index=False)["w"].agg(["sum", "size"])
    xy = _pulled_in(force_layout(k, pair["a"].to_numpy(), pair["b"].to_numpy(),
                                 np.log1p(pair["size"].to_numpy()), seed))
    inside = group >= 0
    members = np.bincount(group[inside], minlength=k)
    shown = [str(names[g]) for g in big]
    if n_small:
        shown.append(text("map.small_groups", lang, n=n_small))
    names_s = pd.Series(shown, dtype=object)
    counts = [fmt("{:,}", lang, int(x)) for x in members]
    tooltip = _group_tooltips(net, group, u, v, names_s, counts, n_small, t, lang)
    colors, keys, items, named = _group_legend(shown, members, counts, len(order), n_small, t,
                                               lang)
    sizes = _scaled(members.astype(float), 10, 60)
    xy = _apart(xy * 2.5, sizes)
    short = names_s.where(names_s.str.len() <= 28, names_s.str.slice(0, 27) + "…")
    frame = pd.DataFrame({"id": np.arange(k), "label": short, "label_full": names_s,
                          "key": fold_series(names_s).to_numpy(), "x": np.round(xy[:, 0], 1),
                          "y": np.round(xy[:, 1], 1), "size": np.round(sizes, 1),
                          "color": colors, "group": keys, "title": tooltip})
    width = 1 + 6 * np.log1p(pair["size"].to_numpy()) / max(np.log1p(pair["size"].max()), 1) \
        if len(pair) else np.zeros(0)
    edges = pd.DataFrame({"id": np.arange(len(pair)), "from": pair["a"].astype(int),
                          "to": pair["b"].astype(int), "layer": "ties",
                          "color": "#9aa5b1", "width": np.round(width, 2),
                          "title": [text("map.n_ties", lang, n=int(x)) for x in pair["size"]],
                          "dashes": False})
    layers = [{"name": "ties", "label": t["ties"], "color": "#9aa5b1", "dashes": False,
               "count": len(edges)}]
    legend_title, heading, note = _aggregated_words(by, path, int(member.sum()), n,
                                                    len(order), named, max_nodes, title, t,
                                                    lang)
    return MapData(frame, edges, _options(k, False), {"title": legend_title, "items": items},
                   layers, heading, "", note, lang=lang, positions=xy)


def _gathered(labels: pd.Series, member: np.ndarray):
    """Each node's circle (-1 outside; the small groups' circle last), the groups' names,
    every group largest first, the groups drawn on their own and how many were gathered."""
    codes, names = pd.factorize(labels, sort=False)
    codes = np.where(member & (codes >= 0), codes, -1)
    size = np.bincount(codes[codes >= 0], minlength=len(names))
    order = sorted(np.flatnonzero(size), key=lambda g: (-size[g], sort_key(str(names[g]))))
    big = [g for g in order[:MAX_GROUPS] if size[g] >= SMALL_GROUP]
    if len(big) < 2:  # every group is small: draw the largest anyway
        big = order[:MAX_GROUPS]
    n_small = len(order) - len(big)
    k = len(big) + (n_small > 0)
    new = np.full(len(names) + 1, k - 1 if n_small else -1, dtype=np.int64)
    new[-1] = -1  # outside
    new[np.asarray(big, dtype=np.int64)] = np.arange(len(big))
    return new[codes], names, order, big, n_small


def _group_tooltips(net: Network, group, u, v, names_s: pd.Series, counts, n_small, t,
                    lang) -> pd.Series:
    """A circle's tooltip: its name, members, firms and five best-connected members."""
    k = len(names_s)
    inside = group >= 0
    firms = np.bincount(group[inside & (net.nodes["kind"] == "firm").to_numpy()], minlength=k)
    degree = np.bincount(np.concatenate([u, v]), minlength=net.n_nodes)
    top = pd.DataFrame({"g": group[inside], "d": degree[inside],
                        "name": net.nodes["name"].astype(str).to_numpy()[inside]})
    top = top.sort_values(["g", "d"], ascending=[True, False], kind="stable").groupby("g").head(5)
    listing = top.groupby("g")["name"].agg("\n  ".join).reindex(range(k)).fillna("")
    about = names_s
    if n_small:
        tip = "\n" + text("map.small_groups_tip", lang, k=n_small, size=SMALL_GROUP)
        about = names_s + np.where(np.arange(len(names_s)) == len(names_s) - 1, tip, "")
    return (about + "\n" + t["members"] + ": " + pd.Series(counts, dtype=object) + "\n" +
            t["firms"] + ": " + pd.Series([fmt("{:,}", lang, int(x)) for x in firms],
                                         dtype=object) + "\n  " + listing)


def _group_legend(shown: list, members, counts, n_groups: int, n_small: int, t, lang):
    """Colours and legend: the largest groups by name, the rest grey in one row."""
    k = len(shown)
    named = min(LEGEND_GROUPS, k - (n_small > 0))
    colors = np.array([PALETTE[i % len(PALETTE)] for i in range(named)] +
                      [OTHER] * (k - named), dtype=object)
    keys = np.array([str(i) for i in range(named)] + [""] * (k - named), dtype=object)
    items = [{"key": keys[i], "label": shown[i], "color": colors[i], "count": counts[i]}
             for i in range(named)]
    if k > named:  # the groups not named, and the small ones gathered: one grey row
        rest = int(members[named:].sum())
        label = shown[-1] if k == named + 1 and n_small else \
            f"{t['other']} ({fmt('{:,}', lang, n_groups - named)})"
        items.append({"key": "", "label": label, "color": OTHER,
                      "count": fmt("{:,}", lang, rest)})
    return colors, keys, items, named


def _aggregated_words(by, path, n_members, n, n_groups, named, max_nodes, title, t, lang):
    """The legend's title, the heading and the note of an aggregated map."""
    kind = text(f"group.{by}", lang) if f"group.{by}" in MESSAGES else by
    heading = t[by] if by in t else kind
    legend_title = f"{heading} · {text('map.largest', lang, n=named, k=n_groups)}"
    dative = text(f"by.{by}", lang) if f"by.{by}" in MESSAGES else by
    if path:
        where = " / ".join(path)
        note = text("map.opened", lang, group=where, n=n_members, limit=max_nodes,
                    k=n_groups, by=dative)
    else:
        where = t["map_of"]
        note = text("map.aggregated", lang, n=n, limit=max_nodes, k=n_groups,
                    by=tr_lower(kind))
    title = text("map.aggregated_title", lang, title=title or where, k=n_groups, by=dative)
    return legend_title, title, note


def _apart(xy: np.ndarray, radius: np.ndarray, gap: float = 1.15, most: float = 3.0
           ) -> np.ndarray:
    """``xy`` spread out (one factor, up to ``most``) until no two circles overlap."""
    if len(xy) < 2:
        return xy
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    need = (radius[:, None] + radius[None, :]) * gap
    np.fill_diagonal(d, np.inf)
    factor = float(np.max(need / np.maximum(d, 1e-9)))
    return xy * min(max(factor, 1.0), most)


def _pulled_in(xy: np.ndarray, reach: float = 1.5) -> np.ndarray:
    """Positions whose outliers (a group with few ties, pushed to the edge) are brought in
    to ``reach`` times the 80th percentile of the distances from the centre, so that the
    groups people look at are not squeezed into a corner of the canvas."""
    if len(xy) < 3:
        return xy
    centre = np.median(xy, axis=0)
    offset = xy - centre
    r = np.hypot(offset[:, 0], offset[:, 1])
    limit = reach * np.quantile(r, 0.8)
    if limit <= 0:
        return xy
    scale = np.where(r > limit, limit / np.maximum(r, 1e-9), 1.0)
    return centre + offset * scale[:, None]


def map_html(data: MapData) -> str:
    """The map as one self-contained HTML page.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> page = map_html(build_map(net, communities=net.nodes['cluster'].astype(object)))
    >>> page.startswith('<!DOCTYPE html>'), "connect-src &#39;none&#39;" in page  # no request
    (True, True)
    """
    from markupsafe import Markup

    from kumenet.viz.html import asset, render_page, script_json, vis_network_js

    return render_page("map.html", [vis_network_js(), asset("map.js")], lang=data.lang,
                       title=data.title, subtitle=data.subtitle, css=Markup(asset("kumenet.css")),
                       map_id="km-map", text=script_words(data.lang), note=data.note,
                       credit=data.credit, height="82vh", data=Markup(script_json(data.payload())))


def write_map(net: Network, path, measures=None, **options) -> Path:
    """Write a map to ``path``: ``.html`` (interactive) or ``.gexf`` (Gephi, with colours and
    positions, and the node columns ``measures`` computes: see
    :func:`~kumenet.viz.gexf.write_gexf_map`). Written atomically, in UTF-8.

    >>> from pathlib import Path
    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> path = write_map(net, Path(tempfile.mkdtemp()) / 'map.html',
    ...                  communities=net.nodes['cluster'].astype(object))
    >>> path.name, path.stat().st_size > 100_000
    ('map.html', True)
    """
    from kumenet.files import atomic_path

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".gexf"):
        raise KumenetError(f"{path}: write a map as .html or .gexf")
    if suffix == ".gexf":
        # Gephi draws large graphs itself: a GEXF map always holds the nodes, never groups.
        if options.get("group") is not None:
            raise KumenetError("a GEXF map holds nodes, not aggregated groups; write .html "
                               "for --group, or select nodes with --focus or --layers")
        options["max_nodes"] = max(options.get("max_nodes") or 0, net.n_nodes)
    data = build_map(net, **options)
    with atomic_path(path) as tmp:
        if suffix == ".gexf":
            from kumenet.viz.gexf import write_gexf_map

            write_gexf_map(net, data, tmp, measures)
        else:
            tmp.write_text(map_html(data), encoding="utf-8")
    return path
