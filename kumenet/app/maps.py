"""Maps as people ask for them: the ego view of a firm comes with its suggested partners.

:mod:`kumenet.viz.map` draws what it is handed; this module computes what a map shows beyond
the network itself (a firm's suggestions, top three per scope) and hands it over.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.graph.network import Network
from kumenet.viz import map as draw


__all__ = ["build_map", "write_map", "gexf_measures", "province_figure", "write_province_map",
           "focus_suggestions"]


def build_map(net: Network, **options) -> draw.MapData:
    """:func:`kumenet.viz.map.build_map`, with the communities found (Leiden on the map's
    layers, the firm-to-firm layers by default) and the focus firm's suggestions (top 3 per
    scope) drawn as dashed edges, unless they are given.

    >>> from kumenet.graph.io import read_network
    >>> data = build_map(read_network('sample_networks/pilot'), focus='F000010', hops=1)
    >>> 'suggested' in {r['name'] for r in data.payload()['layers']}
    True
    """
    return draw.build_map(net, **_with_communities(net, _with_suggestions(net, options)))


def write_map(net: Network, path, **options) -> Path:
    """:func:`kumenet.viz.map.write_map`, with the communities, the focus firm's suggestions
    and, in a GEXF file, the drawn network's communities and centralities.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> path = write_map(net, Path(tempfile.mkdtemp()) / 'map.gexf')
    >>> 'pagerank' in path.read_text(encoding='utf-8')
    True
    """
    return draw.write_map(net, path, measures=gexf_measures,
                          **_with_communities(net, _with_suggestions(net, options)))


def _with_communities(net: Network, options: dict) -> dict:
    if options.get("communities") is not None or options.get("groups"):
        return options
    from kumenet.graph.communities import community_labels

    layers = options.get("layers")
    layers = [layers] if isinstance(layers, str) else layers
    if layers is not None and any(la not in net.layers for la in layers):
        return options  # the map names the unknown layer
    return {**options, "communities": community_labels(net, layers, options.get("seed", 0),
                                                       options.get("lang", "tr"))}


#: Node metrics a GEXF map carries for Gephi.
GEXF_METRICS = ("degree", "pagerank", "betweenness", "eigenvector", "coreness", "constraint",
                "brokerage")


def gexf_measures(net: Network) -> pd.DataFrame:
    """The Leiden communities (firm-to-firm layers) and main node metrics of ``net``, as
    node columns of a GEXF map.

    >>> from kumenet.graph.io import read_network
    >>> list(gexf_measures(read_network('sample_networks/pilot')).columns[:3])
    ['community', 'degree', 'pagerank']
    """
    from kumenet.graph.communities import communities, firm_layers
    from kumenet.graph.metrics import node_metrics

    partition = communities(net, "leiden", layers=firm_layers(net), seed=0)
    metrics = node_metrics(net)
    out = pd.DataFrame({"community": np.asarray(partition.membership)})
    for col in GEXF_METRICS:
        if col in metrics:
            out[col] = metrics[col].to_numpy()
    return out


def province_figure(net: Network, figure: str) -> pd.Series:
    """A value per Turkish province (see :func:`kumenet.viz.provinces.province_values`), the
    province group metrics among the figures.

    >>> from kumenet.graph.io import read_network
    >>> shares = province_figure(read_network('sample_networks/pilot'), 'share_international')
    >>> round(float(shares['Gaziantep']), 3)
    0.087
    """
    from kumenet.graph.metrics import group_metrics
    from kumenet.viz.provinces import province_values

    return province_values(net, figure, lambda: group_metrics(net, "province"))


def write_province_map(net: Network, figure: str, path, **options) -> Path:
    """:func:`kumenet.viz.provinces.write_province_map` of :func:`province_figure`.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> path = write_province_map(net, 'firms', Path(tempfile.mkdtemp()) / 'firms.html')
    >>> path.read_text(encoding='utf-8').startswith('<!DOCTYPE html>')
    True
    """
    from kumenet.viz.provinces import write_province_map as draw_provinces

    return draw_provinces(province_figure(net, figure), figure, path, **options)


def _with_suggestions(net: Network, options: dict) -> dict:
    focus = options.get("focus")
    if focus is None or options.get("suggestions") is not None:
        return options
    return {**options, "suggestions": focus_suggestions(net, focus, seed=options.get("seed", 0),
                                                        lang=options.get("lang", "tr"))}


def focus_suggestions(net: Network, focus: str, seed: int = 0, lang: str = "tr"
                      ) -> pd.DataFrame | None:
    """A firm's suggested partners for its ego map (top 3 per scope); None for an
    institution.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> t = focus_suggestions(net, 'F000010', lang='en')
    >>> sorted(t['scope'].unique()), focus_suggestions(net, 'I-SAM-TSO') is None
    (['international', 'interregional', 'intra_regional'], True)
    """
    from kumenet.matching.recommend import recommend_partners

    pos = net.find(focus)
    if net.nodes["kind"].iloc[pos] != "firm":
        return None
    return recommend_partners(net, net.nodes["id"].iloc[pos], k=3, per_scope=True, seed=seed,
                              lang=lang)
