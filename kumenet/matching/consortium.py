"""Consortium suggestions: groups of firms that together cover a value chain or share an
export market.

Around a seed firm, candidates are its partners and its best suggested partners. A
value-chain consortium is the seed with its suppliers and buyers: firms whose sectors supply
the seed's sector or buy from it (links of at least 5 % in Turkey's input-output table,
between different sectors of the table), one firm per sector. An export consortium gathers
firms of the seed's trade (its sector division, or a sector linked to it) that already sell
to buyers in the seed's main export market, the closest to the seed first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kumenet.arrays import unique
from kumenet.data.valuechain import value_chain_link
from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.matching.recommend import _sector_labels, recommend_partners, resolve_sources
from kumenet.messages import check_lang, country_name, text

__all__ = ["consortia"]


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

    >>> from kumenet.graph.io import read_network
    >>> t = consortia(read_network('sample_networks/pilot'), 'F000010', size=(3, 5), lang='en')
    >>> first = t[t['consortium'] == 1]
    >>> first['id'].iloc[0], first['role'].iloc[0], 3 <= len(first) <= 5
    ('F000010', 'the firm asked about', True)
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
        # How close each candidate is: 2 a partner, 1 a suggested partner.
        close = np.zeros(net.n_nodes, dtype=np.int8)
        close[extra] = 1
        close[partners] = 2
        for kind, group, role, reason in (_value_chain(net, s, cand, high, lang, close),
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


def _value_chain(net, s, cand, high, lang, close):
    """The seed's suppliers and buyers: firms whose sectors supply the seed's sector or buy
    from it (a value-chain link kumenet states, see valuechain.value_chain_link), one firm
    per sector, the strongest links first and, among equals, the closest firms (partners,
    then suggested ones). Every member is linked to the seed itself: a group is a step up
    and a step down the seed's chain, never a chain of links that only meet through others
    (machining -> steel -> medical devices -> agricultural machinery)."""
    sectors = net.values("sector")
    labels = _sector_labels(net, lang)
    cand = cand[pd.notna(sectors[cand])]
    if pd.isna(sectors[s]) or not len(cand):
        return "value_chain", None, None, None
    strength, member_supplies = value_chain_link(pd.Series(sectors[cand]),
                                                 pd.Series(np.full(len(cand), sectors[s],
                                                                   dtype=object)))
    linked = strength > 0
    cand, strength, member_supplies = cand[linked], strength[linked], member_supplies[linked]
    # One firm per sector: the best of each (strongest link, then closest, then position).
    order = np.lexsort((cand, -close[cand], -strength))
    _, first = np.unique(sectors[cand[order]].astype(str), return_index=True)
    best = order[np.sort(first)][: high - 1]
    if len(best) < 2:
        return "value_chain", None, None, None
    members, supplies = cand[best], member_supplies[best]
    upstream = members[supplies]
    downstream = members[~supplies]
    group = np.r_[s, upstream, downstream]
    role = np.r_[[text("consortium.seed", lang)],
                 [text("consortium.supplier", lang, sector=labels[m]) for m in upstream],
                 [text("consortium.buyer", lang, sector=labels[m]) for m in downstream]]
    chain = " → ".join(part for part in (", ".join(labels[upstream]), str(labels[s]),
                                         ", ".join(labels[downstream])) if part)
    reason = text("consortium.value_chain", lang, chain=chain)
    return "value_chain", group, role, reason


def _product_group(sectors: pd.Series) -> pd.Series:
    """The NACE group (``32.5`` of ``32.50``; a division stays a division) of each sector,
    other labels as they are: what an export offer has in common."""
    text = sectors.astype(object).where(sectors.notna(), None).astype("string")
    nace = text.str.match(r"^\d{2}\.\d", na=False)
    return text.where(~nace, text.str.slice(0, 4))


def _export(net, A, s, cand, high, lang):
    """Firms of the seed's trade that sell to buyers in its main export market: the seed's
    NACE group (medical devices 32.5, not the jewellery of division 32 too), so that a buyer
    gets one offer (a machining firm and three tea firms are not a consortium)."""
    buyer = net.values("subtype") == "buyer"
    country = net.values("country")
    sectors = net.values("sector")
    if pd.isna(sectors[s]):
        return "export", None, None, None
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
    exporters = exporters[pd.notna(sectors[exporters])]
    groups = _product_group(pd.Series(np.concatenate([[sectors[s]], sectors[exporters]]),
                                      dtype=object))
    exporters = exporters[(groups.iloc[1:] == groups.iloc[0]).to_numpy(dtype=bool)]
    if not len(exporters):
        return "export", None, None, None
    # The closest exporters first: partners of the seed, then suggested ones, then those in
    # its province, then others.
    province = net.values("province")
    close = np.isin(exporters, A.indices[A.indptr[s]:A.indptr[s + 1]]).astype(int) * 4 + \
        np.isin(exporters, cand).astype(int) * 2 + (province[exporters] == province[s]).astype(int)
    order = np.lexsort((exporters, -close))
    group = np.r_[s, exporters[order][: high - 1]]
    place = f"{country_name(str(market), lang)} ({market})"
    reason = text("consortium.export", lang, n=len(group), market=place,
                  group=str(groups.iloc[0]))
    role = text("consortium.exports_to", lang, market=place)
    return "export", group, np.full(len(group), role, dtype=object), reason
