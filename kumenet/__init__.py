"""kumenet: inter-firm collaboration networks for SME cluster programmes.

>>> import kumenet
>>> net = kumenet.read_network("sample_networks/pilot")
>>> net.nodes.loc[net.nodes["kind"] == "institution", "subtype"].value_counts()["cluster_centre"]
np.int64(5)
"""

from kumenet.errors import InputDataError, KumenetError, UnknownNodeError

__version__ = "0.1.0"

# The rest is imported when first used: `kumenet --help` need not load pandas and igraph.
_LAZY = {"provinces": "kumenet.graph.geography", "scope": "kumenet.graph.geography",
         "read_network": "kumenet.graph.io", "write_network": "kumenet.graph.io",
         "Network": "kumenet.graph.network"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kumenet' has no attribute {name!r}")

__all__ = ["InputDataError", "KumenetError", "Network", "UnknownNodeError", "provinces",
           "read_network", "scope", "write_network", "__version__"]
