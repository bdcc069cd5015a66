"""Consortium suggestions: groups of firms that together cover a value chain or share an
export market.

Around a seed firm, candidates are its partners and its best suggested partners. A
value-chain consortium is grown greedily: each step adds the candidate whose sector is linked
most strongly (input-output shares) to the sectors already in the group, one firm per sector,
until the group is full or nothing links any more. An export consortium gathers firms that
already sell to buyers in the seed's export markets, the closest to the seed first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kumenet.arrays import unique
from kumenet.data.valuechain import complementarity
from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.matching.recommend import _sector_labels, recommend_partners, resolve_sources
from kumenet.messages import check_lang, text

#: Weakest input-output link (share of the buyer's domestic inputs) that joins a group.
MIN_LINK = 0.05
#: Columns of a consortium table.
COLUMNS = ("consortium", "kind", "member", "id", "name", "sector", "province", "country",
           "role", "reason")


def consortia(net: Network, firm: str | list[str] | None = None, size: tuple[int, int] = (3, 8),
              method: str = "adamic_adar", pool: int = 40, seed: int = 0,
              as_of: int | None = None, lang: str = "en") -> pd.DataFrame:
    """Value-chain and export-market consortia around each given firm (every firm if None).

    Parameters
    ----------
    size : (int, int)
        Smallest and largest group, 3 to 12; a group smaller than the smallest is not proposed.
    pool : int
        Suggested partners of the seed considered besides its partners.
    lang : {"en", "tr"}
        The language of ``role`` and ``reason`` (``kind`` stays a code).

    Returns
    -------
    DataFrame
        One row per member: ``consortium`` (number), ``kind`` (value_chain or export),
        ``member`` (1 is the seed), ``id``, ``name``, ``sector``, ``province``, ``country``,
        ``role`` (the sector step, or the export market), ``reason`` (the group's).
    """
    check_lang(lang)
    low, high = size
    if not 3 <= low <= high <= 12:
        raise KumenetError(f"consortium size must be within 3..12 with min <= max, not {low}..{high}")
    sources = resolve_sources(net, firm)
    suggested = recommend_partners(net, list(net.ids[sources]), k=pool, method=method,
                                   kind="firm", seed=seed, as_of=as_of)
    by_source = {sid: grp["target"].to_numpy() for sid, grp in suggested.groupby("source")}
    A = net.adjacency(as_of=as_of, weighted=False)
    A = ((A + A.T) > 0).tocsr()
    is_firm = (net.values("kind") == "firm")
    rows, number = [], 0
    for s in sources:  # a loop over seed firms; each step works on whole arrays
        sid = net.ids[s]
        partners = A.indices[A.indptr[s]:A.indptr[s + 1]]
        extra = net.index_of(list(by_source.get(sid, [])))
        cand = unique(np.concatenate([partners, extra]).astype(np.int64))
        cand = cand[is_firm[cand] & (cand != s)]
        for kind, group, role, reason in (_value_chain(net, s, cand, high, lang),
                                          _export(net, A, s, cand, high, lang)):
            if group is None or len(group) < low:
                continue
            number += 1
            for i, (m, r) in enumerate(zip(group, role)):
                rows.append({"consortium": number, "kind": kind, "member": i + 1,
                             "id": net.values("id")[m], "name": net.values("name")[m],
                             "sector": net.values("sector")[m], "province": net.values("province")[m],
                             "country": net.values("country")[m], "role": r, "reason": reason})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _value_chain(net, s, cand, high, lang):
    sectors = net.values("sector")
    labels = _sector_labels(net, lang)
    cand = cand[pd.notna(sectors[cand])]
    if pd.isna(sectors[s]) or not len(cand):
        return "value_chain", None, None, None
    group = [s]
    taken = {sectors[s]}
    for _ in range(high - 1):
        free = cand[~np.isin(sectors[cand], list(taken)) & ~np.isin(cand, group)]
        if not len(free):
            break
        # Each candidate must be a step next to the seed's (a supplier or a buyer of its
        # sector); among those, the one most linked to the group so far joins.
        cs = np.repeat(sectors[free], len(group))
        ms = np.tile(sectors[np.array(group)], len(free))
        strength, _ = complementarity(pd.Series(cs), pd.Series(ms))
        strength = strength.reshape(len(free), len(group))
        best = np.where(strength[:, 0] >= MIN_LINK, strength.sum(axis=1), 0.0)
        if best.max() < MIN_LINK:
            break
        pick = free[int(np.argmax(best))]
        group.append(pick)
        taken.add(sectors[pick])
    if len(group) < 3:
        return "value_chain", None, None, None
    group = np.array(group)
    # Order the steps upstream first: a member that supplies more of the others comes first.
    n = len(group)
    a = np.repeat(group, n)
    b = np.tile(group, n)
    strength, forward = complementarity(pd.Series(sectors[a]), pd.Series(sectors[b]))
    supplies = (strength * np.where(forward, 1, -1)).reshape(n, n).sum(axis=1)
    order = np.argsort(-supplies, kind="stable")
    reason = text("consortium.value_chain", lang, chain=" -> ".join(labels[group[order]]))
    seed_first = np.r_[0, [i for i in order if i != 0]]
    return "value_chain", group[seed_first], labels[group[seed_first]], reason


def _export(net, A, s, cand, high, lang):
    """Firms that sell to buyers in the seed's export markets."""
    buyer = net.values("subtype") == "buyer"
    country = net.values("country")
    e = net.edges[net.edges["layer"] == "supply"]
    u = e["source"].cat.codes.to_numpy(np.int64)
    v = e["target"].cat.codes.to_numpy(np.int64)
    sells = buyer[v]
    markets = pd.Series(country[v[sells & (u == s)]]).value_counts()
    if markets.empty:
        return "export", None, None, None
    market = markets.index[0]
    exporters = unique(u[sells & (country[v] == market)])
    exporters = exporters[(exporters != s) & (country[exporters] == country[s])]
    if not len(exporters):
        return "export", None, None, None
    # The closest exporters first: partners of the seed, then suggested ones, then those in
    # its province, then others.
    province = net.values("province")
    close = np.isin(exporters, A.indices[A.indptr[s]:A.indptr[s + 1]]).astype(int) * 4 + \
        np.isin(exporters, cand).astype(int) * 2 + (province[exporters] == province[s]).astype(int)
    order = np.lexsort((exporters, -close))
    group = np.r_[s, exporters[order][: high - 1]]
    reason = text("consortium.export", lang, n=len(group), market=str(market))
    role = text("consortium.exports_to", lang, market=str(market))
    return "export", group, np.full(len(group), role, dtype=object), reason
