"""Maps as people ask for them: the ego view of a firm comes with its suggested partners.

:mod:`kumenet.viz.map` draws what it is handed; this module computes what a map shows beyond
the network itself (a firm's suggestions, top three per scope) and hands it over.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kumenet.graph.network import Network
from kumenet.viz import map as draw


def build_map(net: Network, **options) -> draw.MapData:
    """:func:`kumenet.viz.map.build_map`, with the focus firm's suggestions (top 3 per scope)
    drawn as dashed edges when no suggestions are given."""
    return draw.build_map(net, **_with_suggestions(net, options))


def write_map(net: Network, path, **options) -> Path:
    """:func:`kumenet.viz.map.write_map`, with the focus firm's suggestions."""
    return draw.write_map(net, path, **_with_suggestions(net, options))


def _with_suggestions(net: Network, options: dict) -> dict:
    focus = options.get("focus")
    if focus is None or options.get("suggestions") is not None:
        return options
    return {**options, "suggestions": focus_suggestions(net, focus, seed=options.get("seed", 0),
                                                        lang=options.get("lang", "tr"))}


def focus_suggestions(net: Network, focus: str, seed: int = 0, lang: str = "tr"
                      ) -> pd.DataFrame | None:
    """A firm's suggested partners for its ego map (top 3 per scope); None for an
    institution."""
    from kumenet.matching.recommend import recommend_partners

    pos = net.find(focus)
    if net.nodes["kind"].iloc[pos] != "firm":
        return None
    return recommend_partners(net, net.nodes["id"].iloc[pos], k=3, per_scope=True, seed=seed,
                              lang=lang)
