"""The layers table (``layers.csv``, a workbook's layers sheet): which layers have a
direction, written with every folder and workbook and read back."""

from __future__ import annotations

import pandas as pd

from kumenet.errors import InputDataError, Problem
from kumenet.graph.network import Network
from kumenet.graph.validate import RawTable


__all__ = ["layer_table", "declared_layers"]


def layer_table(net: Network) -> pd.DataFrame:
    """One row per layer of ``net``: ``layer``, ``directed``.

    >>> from kumenet.graph.io import read_network
    >>> layer_table(read_network('sample_networks/pilot')).values.tolist()
    [['supply', True], ['collaboration', False], ['membership', True], ['information', False]]
    """
    layers = net.layers
    return pd.DataFrame({"layer": layers, "directed": [net.is_directed(la) for la in layers]})


def declared_layers(raw: RawTable) -> set[str]:
    """The directed layers a ``layers`` table (layers.csv or a layers sheet) names.

    >>> frame = pd.DataFrame({'layer': ['supply', 'collaboration'], 'directed': ['evet', 'hayır']})
    >>> declared_layers(RawTable.from_frame(frame, 'layers'))
    {'supply'}
    """
    if raw.problems:
        raise InputDataError(raw.problems)
    frame = raw.frame
    missing = [c for c in ("layer", "directed") if c not in frame.columns]
    if missing or not len(frame):
        what = "is empty" if not len(frame.columns) or not len(frame) and not missing else \
            f"lacks the column{'s' * (len(missing) > 1)} {' and '.join(map(repr, missing))}"
        raise InputDataError([Problem(raw.file, 1, None, None,
                                      f"the layers table {what}; it needs the columns 'layer' "
                                      "and 'directed' (true or false), one row per layer")])
    truth = frame["directed"].astype(str).str.strip().str.lower().isin(
        ["true", "1", "yes", "evet", "doğru", "e"])
    layer = frame["layer"].astype("string").str.strip()
    return set(layer[truth.to_numpy() & layer.notna().to_numpy()].astype(str))
