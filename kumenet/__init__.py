"""kumenet: inter-firm collaboration networks for SME cluster programmes.

>>> import kumenet
>>> net = kumenet.read_network("sample_networks/pilot")
>>> net.nodes.loc[net.nodes["kind"] == "institution", "subtype"].value_counts()["cluster_centre"]
np.int64(5)
"""

from kumenet.errors import InputDataError, KumenetError, UnknownNodeError
from kumenet.graph.geography import provinces, scope
from kumenet.graph.io import read_network, write_network
from kumenet.graph.network import Network

__version__ = "0.1.0"

__all__ = ["InputDataError", "KumenetError", "Network", "UnknownNodeError", "provinces",
           "read_network", "scope", "write_network", "__version__"]
