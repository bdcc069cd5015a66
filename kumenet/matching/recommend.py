"""Partner suggestions with reasons, by scope."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kumenet.errors import KumenetError
from kumenet.graph.geography import SCOPES, scope_codes, scope_of_codes
from kumenet.graph.network import Network
from kumenet.matching.candidates import PairGraph, candidate_block, prepare
from kumenet.matching.scorers import TrainedScorer, needed_features, score

SCOPE_CHOICES = ("any", *SCOPES)
#: Columns of every suggestion table.
COLUMNS = ("source", "source_name", "target", "target_name", "rank", "score", "scope", "reason",
           "target_kind", "target_province", "target_country", "target_sector")


def _sector_titles() -> dict[str, str]:
    with resources.files("kumenet.data").joinpath("sectors.csv").open("rb") as fh:
        table = pd.read_csv(fh, dtype=str, encoding="utf-8")
    return dict(zip(table["code"], table["short"]))


def resolve_sources(net: Network, firms: str | Iterable[str] | None) -> np.ndarray:
    """Node positions of the firms named by id or name (all firms when None)."""
    if firms is None:
        return np.flatnonzero((net.nodes["kind"] == "firm").to_numpy())
    if isinstance(firms, str):
        firms = [firms]
    return np.array([net.find(f) for f in firms], dtype=np.int64)


def recommend_partners(net: Network, firm: str | Iterable[str] | None = None, scope: str = "any",
                       k: int = 10, method: str | TrainedScorer = "default",
                       kind: str | None = None, sector: str | None = None,
                       province: str | None = None, country: str | None = None,
                       per_scope: bool = False, level: str = "province",
                       as_of: int | None = None, layers=None, seed: int = 0,
                       per_source: int = 100, block: int = 2000, progress=None) -> pd.DataFrame:
    """Suggested partners for one firm, several, or every firm, each with a reason.

    Parameters
    ----------
    firm : str or list of str, optional
        Ids or names (Turkish-aware); every firm when None.
    scope : {"any", "intra_regional", "interregional", "international"}
        Keep only suggestions of this scope (at ``level``).
    k : int
        Suggestions per firm (per scope with ``per_scope=True``).
    method : str or TrainedScorer
        ``default`` (a scorer trained on the network's own history, or Adamic-Adar when the
        network has too little history to learn from), a heuristic of
        :data:`kumenet.matching.scorers.HEURISTICS`, or a trained scorer.
    kind, sector, province, country : str, optional
        Filters on the suggested partner (sector matches a NACE prefix: ``13`` keeps 13.10).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`; existing partners (in any layer) are never suggested.
    """
    if scope not in SCOPE_CHOICES:
        raise KumenetError(f"scope must be one of {', '.join(SCOPE_CHOICES)}, not {scope!r}")
    sources = resolve_sources(net, firm)
    if method == "default":
        from kumenet.matching.model import default_scorer

        method = default_scorer(net, layers=layers, as_of=as_of, seed=seed)
    g = prepare(net, layers=layers, as_of=as_of, seed=seed)
    chunks = [sources[i:i + block] for i in range(0, len(sources), block)]
    codes = scope_codes(net.nodes, level)
    layer_adj = layer_adjacency(net, g.as_of)
    frames = []
    for chunk in (progress(chunks) if progress else chunks):
        f = candidate_block(g, chunk, per_source, needed_features(method))
        f["score"] = score(f, method)
        f = _filter(net, f, kind, sector, province, country)
        f["scope"] = scope_of_codes(codes, f["source"].to_numpy(), f["target"].to_numpy(),
                                    as_labels=False)
        if scope != "any":
            f = f[f["scope"].to_numpy() == SCOPES.index(scope)]
        f = _top(f, k, per_scope).reset_index(drop=True)
        f["reason"] = reasons(net, g, f, layer_adj)
        frames.append(f)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if table.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    return _present(net, table)


def _filter(net, f, kind, sector, province, country):
    nodes = net.nodes
    t = f["target"].to_numpy()
    keep = np.ones(len(f), bool)
    if kind:
        keep &= net.values("kind")[t] == kind
    if sector:
        keep &= nodes["sector"].astype(object).fillna("").astype(str).str.startswith(sector).to_numpy()[t]
    if province:
        from kumenet.graph.geography import normalize_province

        wanted = normalize_province(pd.Series([province])).iloc[0]
        if pd.isna(wanted):
            from kumenet.graph.geography import province_names
            from kumenet.text import suggestion

            raise KumenetError(f"unknown province {province!r}" + suggestion(province, province_names()))
        keep &= net.values("province")[t] == wanted
    if country:
        keep &= net.values("country")[t] == country.upper()
    return f[keep]


def _top(f: pd.DataFrame, k: int, per_scope: bool) -> pd.DataFrame:
    """The k best rows per source (per source and scope), ranked; ties by target position."""
    group = f["source"].to_numpy(np.int64)
    if per_scope:
        group = group * 4 + f["scope"].to_numpy(np.int64)
    order = np.lexsort((f["target"].to_numpy(), -f["score"].to_numpy(), group))
    g = group[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    rank = np.arange(len(g)) - np.repeat(start, np.diff(np.r_[start, len(g)])) + 1
    keep = order[rank <= k]
    out = f.iloc[keep].copy()
    out["rank"] = rank[rank <= k]
    return out


def _names_of(net: Network, positions: np.ndarray) -> np.ndarray:
    return net.values("name")[positions]


def layer_adjacency(net: Network, as_of=None) -> dict[str, sp.csr_array]:
    """Binary symmetric adjacency of each partner layer (memberships aside), for reasons."""
    out = {}
    for layer in net.layers:
        if layer == "membership":
            continue
        A = net.adjacency(layer, as_of, weighted=False)
        out[layer] = ((A + A.T) > 0).astype(float).tocsr()
    return out


def reasons(net: Network, g: PairGraph, t: pd.DataFrame, layer_adj=None) -> np.ndarray:
    """A plain-language reason for each suggestion, built from its features.

    Parts, strongest first: shared partners (with the layers they are shared in and up to
    three names), a value-chain link between the sectors, shared institutions, a path
    through partners of partners, the same sector, the partner's recent activity.
    """
    s = t["source"].to_numpy()
    c = t["target"].to_numpy()
    m = len(t)
    parts: list[np.ndarray] = []
    # Shared partners, named, with the layers they are shared in.
    P = g.A[s].multiply(g.A[c]).tocoo()
    row, node = P.row.astype(np.int64), P.col.astype(np.int64)
    order = np.lexsort((node, -g.deg[node], row))  # best-connected shared partners first
    row, node = row[order], node[order]
    start = np.r_[0, np.flatnonzero(np.diff(row)) + 1] if len(row) else np.zeros(0, np.int64)
    nth_in_row = np.arange(len(row)) - np.repeat(start, np.diff(np.r_[start, len(row)]))
    listing = []
    for j in range(3):
        pick = nth_in_row == j
        col = np.full(m, "", dtype=object)
        col[row[pick]] = _names_of(net, node[pick])
        listing.append(col)
    count = np.bincount(row, minlength=m)
    by_layer = _layer_counts(layer_adj if layer_adj is not None else layer_adjacency(net, g.as_of), s, c)
    text = np.full(m, "", dtype=object)
    has = count > 0
    words = np.where(count == 1, "1 shared partner", count.astype(str).astype(object) + " shared partners")
    names = _join(listing, ", ")
    more = np.where(count > 3, ", ...", "")
    text[has] = (words[has] + by_layer[has] + ": " + names[has] + more[has])
    parts.append(text)
    # Value chain (input-output links between the two sectors).
    sectors = net.values("sector")
    su, sv = sectors[s], sectors[c]
    gs, gc = g.sector[s], g.sector[c]
    known = (gs >= 0) & (gc >= 0)
    strength = np.where(known, g.chain[np.maximum(gs, 0), np.maximum(gc, 0)], 0.0) if g.chain.size \
        else np.zeros(m)
    u_supplies = g.chain_forward[np.maximum(gs, 0), np.maximum(gc, 0)] if g.chain.size \
        else np.ones(m, bool)
    labels = _sector_labels(net)
    lu, lv = labels[s], labels[c]
    first = np.where(u_supplies, lu, lv)
    second = np.where(u_supplies, lv, lu)
    pct = (strength * 100).round(0).astype(int).astype(str).astype(object)
    linked = (strength >= 0.02) & pd.notna(su) & pd.notna(sv) & (su != sv)
    vc = np.full(m, "", dtype=object)
    vc[linked] = ("their sectors are linked in the value chain: " + first[linked] + " -> "
                  + second[linked] + " (" + pct[linked] + "% of the buying sector's domestic "
                  "inputs in Turkey's input-output table)")
    parts.append(vc)
    # Shared institutions.
    inst = np.full(m, "", dtype=object)
    if g.membership is not None:
        M = g.membership
        Q = M[s].multiply(M[c]).tocoo()
        if Q.nnz:
            q = pd.DataFrame({"row": Q.row, "inst": Q.col}).sort_values(["row", "inst"])
            firsts = q.drop_duplicates("row")
            extra = q.groupby("row").size()
            names_i = _names_of(net, firsts["inst"].to_numpy())
            add = np.where(extra.loc[firsts["row"]].to_numpy() > 1,
                           " and " + (extra.loc[firsts["row"]].to_numpy() - 1).astype(str) + " more", "")
            inst[firsts["row"].to_numpy()] = "both members of " + names_i + add
    parts.append(inst)
    # Foreign buyers: the suggestion is an export market.
    subtype = net.values("subtype")[c]
    where = net.values("country")[c]
    parts.append(np.where(subtype == "buyer", "a buyer in " + where.astype(str) + " (export market)",
                          np.where(subtype == "supplier", "a supplier in " + where.astype(str),
                                   "")).astype(object))
    # Partners of partners (three steps) when nothing closer.
    far = np.where((count == 0) & (t["paths3"].to_numpy() > 0) if "paths3" in t else np.zeros(m, bool),
                   "reachable through partners of partners (three steps)", "")
    parts.append(far.astype(object))
    same = t["same_sector"].to_numpy() > 0
    parts.append(np.where(same, "same sector (" + lu.astype(str) + ")", "").astype(object))
    new = t["new_t"].to_numpy()
    year = "" if g.as_of is None else f" by {g.as_of}"
    noun = np.where(new == 1, " new partner", " new partners")
    active = np.where(new > 0, "active: " + new.astype(int).astype(str).astype(object)
                      + noun + " in its latest year" + year, "")
    parts.append(active.astype(object))
    out = _join(parts, "; ")
    return np.where(out == "", "suggested by the scorer from the network's overall activity", out)


def _join(columns: list[np.ndarray], sep: str) -> np.ndarray:
    """Element-wise join of string columns, skipping empty strings (Arrow compute, in C)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = pa.array(np.asarray(columns[0], dtype=object), type=pa.string())
    for col in columns[1:]:
        col = pa.array(np.asarray(col, dtype=object), type=pa.string())
        both = pc.binary_join_element_wise(out, col, sep)
        out = pc.if_else(pc.equal(out, ""), col, pc.if_else(pc.equal(col, ""), out, both))
    return np.asarray(out.to_numpy(zero_copy_only=False), dtype=object)


def _layer_counts(layer_adj: dict, s: np.ndarray, c: np.ndarray) -> np.ndarray:
    """' in the supply layer' or ' (supply 2, collaboration 1)' for each pair."""
    m = len(s)
    counts = {layer: np.asarray(A[s].multiply(A[c]).sum(axis=1)).ravel()
              for layer, A in layer_adj.items()}
    if not counts:
        return np.full(m, "", dtype=object)
    frame = pd.DataFrame(counts)
    nonzero = (frame > 0).sum(axis=1).to_numpy()
    only = frame.idxmax(axis=1).to_numpy(dtype=object)
    listed = _join([np.where(frame[la].to_numpy() > 0,
                             la + " " + frame[la].to_numpy().astype(int).astype(str).astype(object), "")
                    .astype(object) for la in frame.columns], ", ")
    return np.where(nonzero == 1, " in the " + only + " layer",
                    np.where(nonzero > 1, " (" + listed + ")", "")).astype(object)


def _sector_labels(net: Network) -> np.ndarray:
    """'13.10 cotton yarn' for codes kumenet knows, the code itself otherwise."""
    from kumenet.text import map_distinct

    if "sector_labels" not in net._cache:
        titles = _sector_titles()
        net._cache["sector_labels"] = map_distinct(
            net.nodes["sector"], lambda v: f"{v} {titles[v]}" if v in titles else str(v)).to_numpy()
    return net._cache["sector_labels"]


def _present(net: Network, t: pd.DataFrame) -> pd.DataFrame:
    s, c = t["source"].to_numpy(), t["target"].to_numpy()
    out = pd.DataFrame({
        "source": net.values("id")[s], "source_name": net.values("name")[s],
        "target": net.values("id")[c], "target_name": net.values("name")[c],
        "rank": t["rank"].to_numpy(), "score": t["score"].to_numpy().round(6),
        "scope": np.array([*SCOPES, "unknown"], dtype=object)[t["scope"].to_numpy()],
        "reason": t["reason"].to_numpy(),
        "target_kind": net.values("kind")[c], "target_province": net.values("province")[c],
        "target_country": net.values("country")[c], "target_sector": net.values("sector")[c]})
    return out
