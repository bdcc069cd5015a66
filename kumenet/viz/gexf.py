"""GEXF for Gephi carrying the map: colours, positions, sizes, communities and metrics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.graph.network import Network


__all__ = ["write_gexf_map"]


def write_gexf_map(net: Network, data, path: Path, measures=None) -> None:
    """Write ``net`` with the map's colours, positions and sizes as ``viz:`` elements, and the
    colouring group and size metric as node attributes (drawn nodes only for a partial map).

    ``measures(net) -> DataFrame``: more node columns, computed on the drawn network
    (:func:`kumenet.app.maps.gexf_measures`: communities and centralities).

    >>> from pathlib import Path
    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.viz.map import build_map
    >>> net = read_network('sample_networks/pilot')
    >>> data = build_map(net, color='province', communities=net.nodes['cluster'].astype(object))
    >>> path = Path(tempfile.mkdtemp()) / 'map.gexf'
    >>> write_gexf_map(net, data, path)
    >>> '<viz:position' in path.read_text(encoding='utf-8')
    True
    """
    from kumenet.graph.formats.xml import write_gexf
    from kumenet.graph.network import Network as _Network

    keep = data.node_index
    if keep is None:
        raise ValueError("a GEXF map needs a node map, not an aggregated one")
    nodes = net.nodes.iloc[keep].reset_index(drop=True).copy()
    ids = set(nodes["id"])
    edges = net.edges[net.edges["source"].isin(ids) & net.edges["target"].isin(ids)]
    records = data.nodes
    nodes[data.legend["title"]] = records["group"].replace("", None).to_numpy(dtype=object)
    nodes["map_size"] = records["size"].to_numpy(dtype=float)
    sub = _Network.from_frames(nodes, edges.reset_index(drop=True),
                               directed_layers=net.directed_layers)
    if measures is not None:
        extra = measures(sub)
        nodes = sub.nodes.copy()
        for col in extra.columns:
            nodes[col] = extra[col].to_numpy()
        sub = _Network.from_frames(nodes, sub.edges, directed_layers=sub.directed_layers)
    colors = pd.Series(data.colors, dtype=object)
    rgb = np.array(colors.map({c: [int(c[i:i + 2], 16) for i in (1, 3, 5)]
                               for c in colors.unique()}).tolist())
    xy = data.positions
    viz = ('<viz:color r="' + pd.Series(rgb[:, 0]).astype(str) + '" g="' +
           pd.Series(rgb[:, 1]).astype(str) + '" b="' + pd.Series(rgb[:, 2]).astype(str) +
           '"/><viz:position x="' + pd.Series(np.round(xy[:, 0], 2)).astype(str) + '" y="' +
           pd.Series(np.round(-xy[:, 1], 2)).astype(str) + '" z="0.0"/><viz:size value="' +
           records["size"].astype(str) + '"/>')
    write_gexf(sub, path, viz)
