"""Which suggested pairs a staff member could hand over: institutions only where they serve.

A chamber, a Cluster Knowledge Centre, an organised industrial zone or a development agency
is a partner of the firms it serves, not of a firm three provinces away: suggesting another
province's centre to a firm is a suggestion nobody would pass on. What an institution serves
is learned from the network itself, per subtype:

- a subtype whose ties to firms mostly stay in the institution's own area (half of them or
  more in its province, or its country abroad) is *local*: one of its institutions is
  suggested to a firm only in an area it serves already (its own, or that of a firm tied to
  it: a development agency serves the provinces of its region, which its ties show);
- a subtype whose ties mostly reach beyond its area (exporters' unions, which firms join by
  product across Turkey; universities and research organisations in international R&D
  projects, as in CORDIS) is *open*: suggested in any scope;
- a subtype without ties to firms in the network is local when it serves places by nature
  (:data:`LOCAL_BY_NATURE`), open otherwise.

Pairs of two firms and of two institutions are never filtered here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kumenet.graph.geography import scope_codes
from kumenet.graph.network import Network

__all__ = ["ServedAreas", "served_areas"]


#: Subtypes that serve places, for networks whose own ties cannot tell.
LOCAL_BY_NATURE = frozenset({"chamber", "cluster_centre", "industrial_zone", "technopark",
                             "development_agency", "public_body", "association"})
#: A subtype is local when at least this share of its ties to firms stay in its own area.
LOCAL_SHARE = 0.5


@dataclass(frozen=True)
class ServedAreas:
    """The areas the network's local institutions serve (see the module text)."""

    area: np.ndarray  # each node's area: its province at home, its country abroad (-1: none)
    local: np.ndarray  # per node: an institution of a local subtype
    institution: np.ndarray  # per node: an institution
    served: np.ndarray  # sorted keys institution * n_areas + area it serves
    n_areas: int
    subtypes: dict  # subtype -> "local" or "open", with the share that decided it

    def keep(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Which pairs to keep: every pair but a firm and a local institution that does not
        serve the firm's area.

        >>> import pandas as pd
        >>> net = Network.from_frames(
        ...     pd.DataFrame({"id": ["f1", "f2", "kbm1", "kbm2"], "kind": ["firm", "firm",
        ...                   "institution", "institution"], "subtype": [None, None,
        ...                   "cluster_centre", "cluster_centre"], "province": ["Samsun",
        ...                   "Trabzon", "Samsun", "Trabzon"]}),
        ...     pd.DataFrame({"source": ["f1", "f2"], "target": ["kbm1", "kbm2"],
        ...                   "layer": "membership"}))
        >>> areas = served_areas(net)
        >>> areas.keep(np.array([0, 0, 2]), np.array([2, 3, 3])).tolist()
        [True, False, True]
        """
        source = np.asarray(source, dtype=np.int64)
        target = np.asarray(target, dtype=np.int64)
        inst_s, inst_t = self.institution[source], self.institution[target]
        mixed = inst_s ^ inst_t
        local = np.where(inst_t, self.local[target], self.local[source]) & mixed
        if not local.any():
            return np.ones(len(source), dtype=bool)
        inst = np.where(inst_t, target, source)[local]
        firm_area = self.area[np.where(inst_t, source, target)[local]]
        keys = inst * self.n_areas + firm_area
        at = np.minimum(np.searchsorted(self.served, keys), max(len(self.served) - 1, 0))
        served = (firm_area >= 0) & (len(self.served) > 0)
        if len(self.served):
            served &= self.served[at] == keys
        keep = np.ones(len(source), dtype=bool)
        keep[np.flatnonzero(local)] = served
        return keep


def served_areas(net: Network, as_of: int | None = None) -> ServedAreas:
    """What each local institution serves, learned from ``net``'s ties up to ``as_of``.

    >>> from kumenet.graph.io import read_network
    >>> areas = served_areas(read_network('sample_networks/pilot'))
    >>> areas.subtypes['chamber'][0], areas.subtypes['university'][0]
    ('local', 'local')
    """
    _, area = scope_codes(net.nodes, "province")
    area = np.asarray(area, dtype=np.int64)
    n_areas = int(area.max(initial=-1)) + 2
    kind = net.values("kind")
    institution = kind == "institution"
    subtype = net.values("subtype")
    u, v, _, _ = net.ties(as_of=as_of) if net.n_edges else (np.zeros(0, np.int64),) * 4
    mixed = institution[u] ^ institution[v]
    inst = np.where(institution[u], u, v)[mixed]
    firm = np.where(institution[u], v, u)[mixed]
    same = (area[inst] == area[firm]) & (area[inst] >= 0)
    names = np.asarray([s if isinstance(s, str) else "" for s in subtype], dtype=object)
    kinds, codes = np.unique(names[institution], return_inverse=True)
    code_of = np.full(net.n_nodes, -1, dtype=np.int64)
    code_of[institution] = codes
    ties = np.bincount(code_of[inst], minlength=len(kinds)) if len(inst) else \
        np.zeros(len(kinds), np.int64)
    local_ties = np.bincount(code_of[inst][same], minlength=len(kinds)) if len(inst) else \
        np.zeros(len(kinds), np.int64)
    share = np.where(ties > 0, local_ties / np.maximum(ties, 1), np.nan)
    by_nature = np.isin(kinds, list(LOCAL_BY_NATURE))
    is_local = np.where(ties > 0, share >= LOCAL_SHARE, by_nature)
    local = np.zeros(net.n_nodes, dtype=bool)
    local[institution] = is_local[codes]
    # Served: the institution's own area and the areas of the firms tied to it.
    own = np.flatnonzero(local & (area >= 0))
    tied = local[inst] & (area[firm] >= 0)
    served = np.unique(np.concatenate([own * n_areas + area[own],
                                       inst[tied] * n_areas + area[firm[tied]]]))
    subtypes = {str(k): ("local" if loc else "open",
                         None if np.isnan(sh) else round(float(sh), 3), int(n))
                for k, loc, sh, n in zip(kinds, is_local, share, ties)}
    return ServedAreas(area, local, institution, served.astype(np.int64), n_areas, subtypes)
