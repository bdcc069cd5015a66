"""Candidate partners and their pair features, one block of source nodes at a time.

:func:`prepare` turns a network (as of a year) into a :class:`PairGraph`: sparse adjacency
matrices and per-node arrays, built once. :func:`candidate_block` is a pure function of a
PairGraph and a block of source nodes: it returns each source's best candidates with their
features, so blocks can run one after another here or as tasks of a distributed engine
(the DESIGN's block plan). Nothing enumerates all pairs: candidates are

- two-hop neighbours (partners of partners), in the selected layers together;
- three-hop neighbours reached from the best two-hop ones (pruned, so hubs cannot explode);
- the most active nodes of the network, of the source's own sector and of the sectors linked
  to it in the value chain (input-output shares of at least 5%);
- co-members of the same institutions (chambers, exporters' unions, zones);

and intermediaries with more than ``hub_cap`` ties pass on only a seeded sample of them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kumenet.arrays import argsort_keys, run_starts, unique
from kumenet.graph.network import Network

__all__ = ["PairGraph", "prepare", "rank_within", "top_per_group", "candidate_block", "pair_keys",
           "find_keys", "common_neighbours", "adamic_adar_pairs", "shared_sum", "walked_features"]


#: Pair features that candidate_block returns (besides ``source`` and ``target``).
FEATURES = (
    "cn", "aa", "ra", "jaccard", "aa_recent", "ra_weighted", "cn_in", "cn_out", "paths3", "ppr", "pa",
    "deg_s", "deg_t", "recent_s", "recent_t", "new_t", "years_t",
    "rank_aa", "rank_ra", "rank_paths3", "rank_deg_t", "rank_recent_t", "share_aa",
    "same_sector", "value_chain", "same_country", "same_kind", "shared_institutions",
)


#: Bumped whenever candidates or features are computed differently: cached scorers trained on
#: the old ones are then not reused (it is part of the cache key).
FEATURES_VERSION = 6  # 6: ties between candidates go by the products' walk order

#: Features found by walking each pair's common neighbours (:func:`shared_sum`): their cost
#: grows with the pairs, so a two-stage scorer computes them only for the candidates its
#: first stage keeps (:func:`walked_features`).
WALKED = frozenset({"cn_in", "cn_out", "shared_institutions"})

#: Features that describe the candidate rather than the pair: scorers reading them also get
#: the network's most active nodes as candidates.
NODE_LEVEL = frozenset({"pa", "deg_t", "recent_t", "new_t", "years_t", "rank_deg_t",
                        "rank_recent_t"})


@dataclass
class PairGraph:
    """What candidate generation needs, built once for a network as of a year."""

    n: int
    A: sp.csr_array          # binary, symmetric: tied pairs in the chosen layers
    A_hop: sp.csr_array      # A with hub rows subsampled to hub_cap (the second hop)
    # Built only when a wanted feature reads them (see prepare's ``features``), else None:
    A_recent: sp.csr_array | None  # recency-weighted ties: sum over years of 0.5^(age / half_life)
    A_weight: sp.csr_array | None  # tie weights summed over years and layers
    A_layers: sp.csr_array   # the layers tying each pair, as bits (bit i: layers[i]); A's structure
    layers: list             # the partner layers, in the network's order
    D_in: sp.csr_array | None  # directed layers: row i lists the nodes that send ties to i
    D_out: sp.csr_array | None  # directed layers: row i lists the nodes i sends ties to
    deg: np.ndarray
    recent: np.ndarray | None  # partners tied in the last observed year
    new: np.ndarray          # partners first tied in the last observed year
    years: np.ndarray | None  # distinct years with a tie (activity span)
    sector: np.ndarray       # sector codes (-1 none)
    country: np.ndarray
    kind: np.ndarray
    membership: sp.csr_array | None  # node x institution (membership layer), for co-membership
    top_active: np.ndarray   # most active nodes overall (candidates for everyone)
    top_by_sector: dict      # sector code -> most active nodes of that sector
    top_by_chain: dict       # sector code -> most active nodes of the sectors linked to it
    chain: np.ndarray        # sector code x sector code: value-chain link strength
    chain_forward: np.ndarray  # True where the stronger direction is row sector -> column
    # The links a reason may state (valuechain.value_chain_link): their strength, negative
    # where the column sector supplies the row sector.
    chain_claim: np.ndarray
    co_members: sp.csr_array | None  # institution x member, hubs sampled: for co-members
    as_of: int | None
    main_country: np.ndarray | None = None  # each node's most frequent foreign partner country
    top_by_place: dict | None = None  # (country, sector) -> most active nodes there
    #: The features this graph was built for (see :func:`prepare`).
    features: frozenset = frozenset(FEATURES)

    @functools.cached_property
    def hop_weighted(self) -> tuple[sp.csr_array, sp.csr_array]:
        """A_hop with each intermediary's row scaled by 1/log(degree) (Adamic-Adar) and by
        1/degree (resource allocation): one product with a block's rows then gives its scores.
        Made once per graph, before worker processes fork."""
        with np.errstate(divide="ignore"):
            inv_log = 1.0 / np.log(np.maximum(self.deg, 2))
            inv_deg = np.where(self.deg > 0, 1.0 / np.maximum(self.deg, 1), 0.0)
        row = np.repeat(np.arange(self.n), np.diff(self.A_hop.indptr))
        return tuple(sp.csr_array((self.A_hop.data * w[row], self.A_hop.indices,
                                   self.A_hop.indptr), shape=self.A_hop.shape)
                     for w in (inv_log, inv_deg))

    @functools.cached_property
    def keys(self) -> np.ndarray:
        """Sorted keys (``row * n + column``) of A's ties, for looking pairs up."""
        return pair_keys(self.A)

    @functools.cached_property
    def hop_ra_weighted(self) -> sp.csr_array:
        """A_hop's structure with ``weight(k, c) / strength(k)`` (weighted resource allocation):
        the tie weights of A at A_hop's entries (A_weight shares A's structure), each row
        divided by the intermediary's strength. Made once per graph, before workers fork."""
        pos, _ = find_keys(self.keys, pair_keys(self.A_hop))
        row = np.repeat(np.arange(self.n), np.diff(self.A_hop.indptr))
        data = self.A_weight.data[pos] * self.inv_strength.diagonal()[row]
        return sp.csr_array((data, self.A_hop.indices, self.A_hop.indptr), shape=self.A_hop.shape)

    @functools.cached_property
    def inv_strength(self) -> sp.dia_array:
        """Diagonal 1/strength (weighted resource allocation)."""
        strength = np.asarray(self.A_weight.sum(axis=1)).ravel()
        return sp.diags_array(np.where(strength > 0, 1.0 / np.maximum(strength, 1e-12), 0.0))

    @functools.cached_property
    def membership_T(self) -> sp.csr_array | None:
        return None if self.membership is None else self.membership.T.tocsr()

    @functools.cached_property
    def row_keys(self) -> dict[str, np.ndarray]:
        """Sorted keys of the matrices :func:`shared_sum` walks (made once, before worker
        processes fork)."""
        out = {} if self.D_in is None else {"D_in": pair_keys(self.D_in),
                                            "D_out": pair_keys(self.D_out)}
        if self.membership is not None:
            out["membership"] = pair_keys(self.membership)
        return out

    def build_shared(self) -> None:
        """Build the derived matrices that blocks read now, before worker processes fork (they
        then share them), and only those this graph's features need."""
        self.hop_weighted, self.keys, self.membership_T  # noqa: B018
        if "ra_weighted" in self.features:
            self.hop_ra_weighted  # noqa: B018
        if self.features & WALKED:
            self.row_keys  # noqa: B018

    def tied(self, sources: np.ndarray) -> sp.csr_array:
        """Rows of ``sources``: their partners in any selected layer, memberships included
        (never suggested)."""
        T = self.A[sources]
        if self.membership is not None:
            T = T + self.membership[sources] + self.membership_T[sources]
        return T


def prepare(net: Network, layers=None, as_of: int | None = None, half_life: float = 1.0,
            hub_cap: int = 500, seed: int = 0, n_active: int = 50,
            co_member_cap: int = 100, n_place: int = 30, features=None) -> PairGraph:
    """Build the :class:`PairGraph` of ``net`` (ties up to ``as_of``) for pair scoring.

    Intermediaries with more than ``hub_cap`` partners pass on a seeded sample of them to
    the second hop; institutions with more than ``co_member_cap`` members offer a seeded
    sample of them as co-member candidates (a chamber of 5,000 members offered 500 to each
    of them: 4 million pairs per block of 4,000 firms, for a few hundred candidates kept).
    The ``n_place`` most active nodes of each country and sector are candidates of the nodes
    of that sector whose partners are most often in that country (abroad when any are).

    ``features`` are those :func:`candidate_block` will be asked for (None: all of
    :data:`FEATURES`): what none of them reads is not built (for Adamic-Adar at 1M firms the
    graph and its shared matrices took 6.9 s instead of 10.8 s), and asking a graph for more
    is an error. What the reasons read (the layers
    of each tie, new partners, sectors, the value chain, memberships) is always built.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> g = prepare(net, as_of=2022)
    >>> g.n == net.n_nodes, g.layers, g.as_of
    (True, ['supply', 'collaboration', 'information'], 2022)
    """
    want = frozenset(FEATURES) if features is None else frozenset(features)
    explore = bool(want & NODE_LEVEL)
    sub = net.select(layers=layers, as_of=as_of)
    n = net.n_nodes
    e = sub.edges
    if "membership" in sub.layers and (layers is None):
        e = e[e["layer"] != "membership"]  # memberships are co-membership evidence, not partners
    u = e["source"].cat.codes.to_numpy(np.int64)
    v = e["target"].cat.codes.to_numpy(np.int64)
    keep = u != v
    u, v = u[keep], v[keep]
    year = e["year"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    last = np.nanmax(year) if np.isfinite(year).any() else np.nan
    unique_pairs, reduce = _pairs_sorted(u, v, n)
    partner_layers, A, A_layers, A_recent, A_weight = _pair_matrices(
        net, e, keep, year, last, unique_pairs, reduce, n, want, half_life)
    D_in = D_out = None
    if want & {"cn_in", "cn_out"}:
        D_in, D_out = _directed_matrices(net, e, keep, u, v, n)
    deg = np.diff(A.indptr).astype(np.int64)
    first = reduce(np.fmin, year)  # NaN years are skipped
    new = _count_ends(unique_pairs[first == last], n)
    pools = explore or "value_chain" in want
    recent = None
    if pools or want & {"recent_s", "recent_t", "rank_recent_t"}:
        latest = reduce(np.maximum, (year == last).astype(np.int8)) > 0
        recent = _count_ends(unique_pairs[latest], n)
    years = _years_active(np.concatenate([u, v]), np.concatenate([year, year]), n) \
        if "years_t" in want else None
    A_hop = _cap_hubs(A, hub_cap, seed)
    sector, sector_labels = _codes(net.nodes["sector"])
    country, _ = _codes(net.nodes["country"])
    kind, _ = _codes(net.nodes["kind"])
    membership = _membership_matrix(sub, n) if "membership" in sub.layers else None
    top_active, top_by_sector, main_country, top_by_place, chains = _active_pools(
        A, deg, new, recent, sector, sector_labels, country, pools, explore, n_active, n_place)
    chain, chain_forward, chain_claim, top_by_chain = chains
    co_members = None if membership is None or not (explore or "shared_institutions" in want) \
        else _cap_hubs(membership.T.tocsr(), min(hub_cap, co_member_cap), seed)
    return PairGraph(n, A, A_hop, A_recent, A_weight, A_layers, partner_layers, D_in, D_out, deg,
                     recent, new, years,
                     sector, country, kind, membership, top_active, top_by_sector,
                     top_by_chain, chain, chain_forward, chain_claim, co_members, as_of,
                     main_country,
                     top_by_place, want)


def _active_pools(A, deg, new, recent, sector, sector_labels, country, pools: bool,
                  explore: bool, n_active: int, n_place: int):
    """Pools of active nodes, for scorers that read node activity (and the value chain's):
    the most active overall, per sector and per country and sector; and the value chain."""
    n = len(deg)
    top_active, top_by_sector, main_country, top_by_place = np.zeros(0, np.int64), {}, None, {}
    if pools:
        activity = new * 4 + recent * 2 + deg
        order = np.lexsort((np.arange(n), -activity))
        ranked = pd.DataFrame({"node": order, "sector": sector[order], "act": activity[order]})
        ranked = ranked[(ranked["sector"] >= 0) & (ranked["act"] > 0)]
        top_by_sector = {int(s): g["node"].to_numpy()[:n_active]
                         for s, g in ranked.groupby("sector", sort=False)}
    chains = _value_chain(pd.Series(sector_labels, dtype=object), top_by_sector, n_active)
    if explore:
        top_active = order[: min(n_active, n)]
        top_active = top_active[activity[top_active] > 0]
        main_country, top_by_place = _place_pools(A, country, sector, order, activity, n_place)
    else:
        top_by_sector = {}
    return top_active, top_by_sector, main_country, top_by_place, chains


def _pairs_sorted(u: np.ndarray, v: np.ndarray, n: int):
    """The distinct pairs (``a * n + b``, a < b, sorted) and ``reduce(ufunc, x)``, which
    reduces a per-tie array over each pair: one sort serves the matrices and the first and
    latest years."""
    a, b = np.minimum(u, v), np.maximum(u, v)
    pair = a * n + b
    order = np.argsort(pair, kind="stable")
    sorted_pairs = pair[order]
    starts = run_starts(sorted_pairs)
    reduce = (lambda ufunc, x: ufunc.reduceat(x[order], starts)) if len(starts) else \
        (lambda ufunc, x: np.zeros(0, x.dtype))
    return sorted_pairs[starts], reduce


def _pair_matrices(net: Network, e: pd.DataFrame, keep, year, last, unique_pairs, reduce,
                   n: int, want, half_life: float):
    """The partner layers and the symmetric matrices of the pairs: binary, the layers of each
    pair as bits (in the network's layer order, for the reasons), recency-weighted and
    tie-weighted (those two only when a feature reads them)."""
    partner_layers = [la for la in net.layers if la in set(e["layer"].unique().tolist())]
    position = {la: i for i, la in enumerate(partner_layers)}
    bit = np.array([1 << position[c] if c in position else 0
                    for c in e["layer"].cat.categories], dtype=np.int64)
    bit = bit[e["layer"].cat.codes.to_numpy()[keep]]
    weights = [None, reduce(np.bitwise_or, bit).astype(float)]
    if "aa_recent" in want:
        age = np.where(np.isfinite(year), last - year, 0.0)
        weights.append(reduce(np.add, 0.5 ** (age / half_life)))
    if "ra_weighted" in want:
        weights.append(reduce(np.add, e["weight"].to_numpy(dtype=float)[keep]))
    A, A_layers, *rest = _sym_sorted(unique_pairs, n, weights)
    A_recent = rest.pop(0) if "aa_recent" in want else None
    A_weight = rest.pop(0) if "ra_weighted" in want else None
    return partner_layers, A, A_layers, A_recent, A_weight


def _directed_matrices(net: Network, e: pd.DataFrame, keep, u, v, n: int):
    """In- and out-neighbours along the directed layers (binary)."""
    directed = e["layer"].isin(list(net.directed_layers)).to_numpy()[keep]
    D_out = sp.csr_array((np.ones(directed.sum()), (u[directed], v[directed])), shape=(n, n))
    D_out.sum_duplicates()
    D_out.data[:] = 1.0
    return D_out.T.tocsr(), D_out


def _membership_matrix(sub: Network, n: int) -> sp.csr_array:
    """Member -> institution (binary)."""
    m = sub.edges[sub.edges["layer"] == "membership"]
    mu = m["source"].cat.codes.to_numpy(np.int64)
    mv = m["target"].cat.codes.to_numpy(np.int64)
    membership = sp.csr_array((np.ones(len(mu)), (mu, mv)), shape=(n, n))
    membership.data[:] = 1.0
    return membership


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of a node column (-1 missing) and the values they stand for, factorised
    on the column as read (Arrow strings are dictionary-encoded by Arrow: converting a
    million of them to Python objects first took 0.3 s a column)."""
    codes, labels = pd.factorize(column, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), labels


def _place_pools(A, country, sector, order, activity, size):
    """Each node's main partner country (its most frequent foreign one, else its own; the
    smaller code on a tie) and the ``size`` most active nodes of each (country, sector).
    In a collaboration network most new partners are abroad (91% in CORDIS): the active
    actors of the country and theme a node already works with were, with 30 per place,
    a percentage point of its new partners that no other candidate source reached."""
    n = A.shape[0]
    row = np.repeat(np.arange(n), np.diff(A.indptr))
    partner_country = country[A.indices]
    foreign = (partner_country != country[row]) & (partner_country >= 0)
    k = int(country.max(initial=0)) + 1
    uniq, counts = np.unique(row[foreign] * k + partner_country[foreign], return_counts=True)
    r, c = uniq // k, uniq % k
    best = np.lexsort((c, -counts, r))
    first = best[np.r_[True, r[best][1:] != r[best][:-1]]] if len(best) else best
    main = country.copy()
    main[r[first]] = c[first]
    if size <= 0:
        return main, {}
    ranked = pd.DataFrame({"node": order, "country": country[order], "sector": sector[order],
                           "act": activity[order]})
    ranked = ranked[(ranked["act"] > 0) & (ranked["country"] >= 0) & (ranked["sector"] >= 0)]
    pools = {(int(a), int(b)): grp["node"].to_numpy()[:size]
             for (a, b), grp in ranked.groupby(["country", "sector"], sort=False)}
    return main, pools


def _value_chain(labels: pd.Series, top_by_sector: dict, n_active: int):
    """Link strength between every two sectors (input-output shares, see valuechain; codes are
    positions in ``labels``), and the most active nodes of the sectors linked to each."""
    from kumenet.data.valuechain import MIN_LINK, complementarity, value_chain_link

    k = len(labels)
    chain = np.zeros((k, k))
    claim = np.zeros((k, k))
    forward = np.ones((k, k), dtype=bool)
    if k:
        a = np.repeat(np.arange(k), k)
        b = np.tile(np.arange(k), k)
        strength, ahead = complementarity(labels.iloc[a], labels.iloc[b])
        chain[a, b] = strength
        forward[a, b] = ahead
        stated, row_supplies = value_chain_link(labels.iloc[a], labels.iloc[b])
        claim[a, b] = np.where(row_supplies, stated, -stated)
    top_by_chain = {}
    for code in range(k):
        linked = np.flatnonzero((chain[code] >= MIN_LINK) & (np.arange(k) != code))
        pools = [top_by_sector[int(x)] for x in linked if int(x) in top_by_sector]
        if pools:
            top_by_chain[code] = np.concatenate(pools)[: n_active * 2]
    return chain, forward, claim, top_by_chain


def _sym_sorted(pairs: np.ndarray, n: int, weights: list[np.ndarray]) -> list[sp.csr_array]:
    """Symmetric CSR matrices sharing one structure: distinct sorted pairs ``a * n + b``
    (a < b) and one weight array each (None: binary). Sorted pairs already are the upper
    triangle in CSR order; the lower one is its transpose. The structure is built once,
    carrying each entry's pair number, and every weight array is then laid out along it."""
    a, b = pairs // n, pairs % n
    indptr = np.r_[0, np.cumsum(np.bincount(a, minlength=n))]
    upper = sp.csr_array((np.arange(1, len(pairs) + 1, dtype=np.float64), b, indptr),
                         shape=(n, n))
    upper.has_sorted_indices = True
    S = (upper + upper.T.tocsr()).tocsr()  # the triangles do not overlap: nothing is summed
    S.sort_indices()
    which = S.data.astype(np.int64) - 1
    out = []
    for w in weights:
        data = np.ones(len(which)) if w is None else np.asarray(w, dtype=np.float64)[which]
        M = sp.csr_array((data, S.indices, S.indptr), shape=(n, n))
        M.has_sorted_indices = True
        out.append(M)
    return out


def _years_active(node: np.ndarray, year: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct years in which each node has a tie (NaN years are not counted)."""
    known = np.isfinite(year)
    if not known.all():
        node, year = node[known], year[known]
    if not len(year):
        return np.zeros(n)
    codes, distinct = pd.factorize(year)
    if n * len(distinct) <= 50_000_000:  # a node x year table fits: count its filled cells
        seen = np.bincount(node * len(distinct) + codes, minlength=n * len(distinct)) > 0
        return seen.reshape(n, len(distinct)).sum(axis=1).astype(float)
    return np.bincount(unique(node * len(distinct) + codes) // len(distinct),
                       minlength=n).astype(float)


def _count_ends(pairs: np.ndarray, n: int) -> np.ndarray:
    pairs = unique(pairs)
    return np.bincount(pairs // n, minlength=n) + np.bincount(pairs % n, minlength=n)


def _cap_hubs(A: sp.csr_array, cap: int, seed: int) -> sp.csr_array:
    """Rows of nodes with more than ``cap`` ties keep a seeded random sample of ``cap``."""
    deg = np.diff(A.indptr)
    if deg.max(initial=0) <= cap:
        return A
    rng = np.random.default_rng(seed)
    row = np.repeat(np.arange(A.shape[0]), deg)
    key = rng.random(len(row))
    # Rank the entries of hub rows only by their random key (the others all stay).
    keep = deg[row] <= cap
    idx = np.flatnonzero(~keep)
    order = idx[np.argsort(row[idx] + key[idx], kind="stable")]  # row, then key in [0, 1)
    r = row[order]
    start = np.r_[0, np.flatnonzero(np.diff(r)) + 1]
    rank = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)])) + 1
    keep[order[rank <= cap]] = True
    C = sp.csr_array((A.data[keep], (row[keep], A.indices[keep])), shape=A.shape)
    C.sort_indices()
    return C


def _ranked(rows: np.ndarray, score) -> tuple[np.ndarray, np.ndarray]:
    """The entries in row order, best score first within a row, and each one's rank there
    (0 = best). Ties keep the entries' order (columns ascending when the matrix's indices
    are sorted, the walk's order otherwise: the same for a row whatever block it is in).

    Row, score (scaled to the block's range, compared at 2^-20 of it or finer) and entry
    position are packed into one integer per entry, and the integers sorted: a sort of
    values, three times faster than a stable sort of positions by a float key on shuffled
    entries (about the same on entries already in row order, as a product's are).
    """
    score = np.asarray(score, dtype=np.float64)
    n = len(score)
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    first = int(rows.min())
    row_bits = (int(rows.max()) - first).bit_length()
    at_bits = (n - 1).bit_length()
    score_bits = min(40, 63 - row_bits - at_bits)
    low, high = score.min(), score.max()
    if score_bits < 20:  # too many entries to pack: a stable sort of a float key
        scaled = (score - low) / (high - low) if high > low else np.zeros(n)
        order = np.argsort(rows + (1.0 - scaled) * 0.999999, kind="stable")
        return order, _rank_in_runs(rows[order])
    key = rows - first
    key <<= score_bits
    if high > low:  # 0: the best score
        key += np.rint((high - score) * ((2 ** score_bits - 1) / (high - low))).astype(np.int64)
    key <<= at_bits
    key += np.arange(n, dtype=np.int64)
    key.sort()
    order = key & ((1 << at_bits) - 1)
    key >>= score_bits + at_bits
    return order, _rank_in_runs(key)


def _best_ranked(rows: np.ndarray, score, limit) -> tuple[np.ndarray, np.ndarray]:
    """What :func:`_ranked` gives for the entries ranked under ``limit`` in their row (a
    number, or one per entry: its row's limit), the others left out; ``rows`` ascending, as
    a product's are.

    Each row's scores are first put in 256 buckets between the row's lowest and highest, and
    only the buckets that hold its best ``limit`` are sorted: entries of a lower bucket score
    below every one kept. The best 10 to 40 (10 plus the firm's partners) of 1.7 million
    two-hop entries of a 4,000-firm block at 1M firms: 46 ms, against 80 ms for sorting all.
    """
    score = np.asarray(score, dtype=np.float64)
    rows = np.asarray(rows, dtype=np.int64)
    n = len(score)
    limit = np.broadcast_to(np.asarray(limit, dtype=np.int64), (n,))
    if n < 4096 or rows[0] > rows[-1] or (np.diff(rows) < 0).any():
        order, rank = _ranked(rows, score)
        best = rank < limit[order]
        return order[best], rank[best]
    starts = run_starts(rows)
    lengths = np.diff(np.r_[starts, n])
    high = np.maximum.reduceat(score, starts)
    span = high - np.minimum.reduceat(score, starts)
    scale = np.divide(255.99, span, out=np.zeros_like(span), where=span > 0)
    bucket = ((np.repeat(high, lengths) - score) * np.repeat(scale, lengths)).astype(np.int64)
    np.minimum(bucket, 255, out=bucket)  # 0: the best scores of the row
    counts = np.bincount(np.repeat(np.arange(len(starts)) * 256, lengths) + bucket,
                         minlength=len(starts) * 256)
    reached = counts.reshape(len(starts), 256).cumsum(axis=1) >= limit[starts][:, None]
    # The last bucket needed per row (every bucket where the row is shorter than its limit).
    last = np.where(reached[:, -1], reached.argmax(axis=1), 255)
    kept = np.flatnonzero(bucket <= np.repeat(last, lengths))
    order, rank = _ranked(rows[kept], score[kept])
    best = rank < limit[kept[order]]
    return kept[order[best]], rank[best]


def rank_within(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Rank of each value within its group, highest first, ties sharing the lowest rank
    (1, 2, 2, 4: pandas' ``rank(ascending=False, method="min")``), as floats.

    Values are compared at 2^-40 of their range (about 1e-12): sums of the same terms added
    in another order, which differ in the last bits, are ties. One integer sort of group
    and value does it (a two-key lexsort took five times as long). When the groups come one
    after another, as a block's candidates do, each value's place in its group is packed in
    too and the integers are sorted as values, not positions.

    >>> rank_within(np.array([0, 0, 0, 1, 1]), np.array([3.0, 5.0, 5.0, 1.0, 2.0])).tolist()
    [3.0, 1.0, 1.0, 2.0, 1.0]
    """
    n = len(value)
    if not n:
        return np.zeros(0)
    group = np.asarray(group, dtype=np.int64)
    low, high = value.min(), value.max()
    bits = min(40, 62 - int(group.max(initial=0)).bit_length())
    q = np.rint((value - low) / (high - low) * (2 ** bits)).astype(np.int64) \
        if high > low else np.zeros(n, np.int64)
    worse = 2 ** bits - q  # 0: the highest value
    if n > 1 and (group[1:] >= group[:-1]).all():
        starts = run_starts(group)
        sizes = np.diff(np.r_[starts, n])
        at_bits = int(sizes.max() - 1).bit_length()
        shift = bits + 1 + at_bits
        if (len(starts) - 1).bit_length() + shift <= 63:
            key = np.repeat(np.arange(len(starts), dtype=np.int64) << shift, sizes)
            key |= worse << at_bits
            key |= np.arange(n, dtype=np.int64) - np.repeat(starts, sizes)
            key.sort()
            first = starts[key >> shift]  # where each sorted value's group starts
            order = first + (key & ((1 << at_bits) - 1))
            key >>= at_bits
            new_value = np.r_[True, key[1:] != key[:-1]]  # the group is part of the key
            value_start = np.maximum.accumulate(np.where(new_value, np.arange(n), 0))
            out = np.empty(n)
            out[order] = value_start - first + 1
            return out
    order = np.argsort((group << (bits + 1)) + worse)
    g, v = group[order], q[order]
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_value = new_group | np.r_[True, v[1:] != v[:-1]]
    position = np.arange(len(v))
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    value_start = np.maximum.accumulate(np.where(new_value, position, 0))
    out = np.empty(len(v))
    out[order] = value_start - group_start + 1
    return out


def _rank_in_runs(r: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... along each run of equal values of ``r``."""
    start = np.r_[0, np.flatnonzero(np.diff(r)) + 1] if len(r) else np.zeros(0, np.int64)
    return np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))


def top_per_group(rows, score, k) -> np.ndarray:
    """Mask of the ``k`` best entries of each row (or group; see :func:`_ranked`).

    >>> top_per_group(np.array([0, 0, 0, 1, 1]), np.array([3.0, 5.0, 4.0, 1.0, 2.0]), 2).tolist()
    [False, True, True, True, True]
    """
    best, _ = _best_ranked(rows, score, k)
    keep = np.zeros(len(rows), bool)
    keep[best] = True
    return keep


def candidate_block(g: PairGraph, sources: np.ndarray, per_source: int = 100,
                    features: set | None = None, defer: frozenset = frozenset()
                    ) -> pd.DataFrame:
    """Candidates and pair features for a block of source nodes (a pure function).

    Parameters
    ----------
    g : PairGraph
    sources : array of int (node positions)
    per_source : int
        Two-hop candidates kept per source (by Adamic-Adar, then resource allocation), and
        as many three-hop ones (by path count).
    features : set of str, optional
        The features wanted (all of :data:`FEATURES` by default); a heuristic needs only its
        own, and the three-hop walk is skipped when no wanted feature needs it.
    defer : set of str
        Wanted features of :data:`WALKED` left out, for :func:`walked_features` to add to
        the candidates that remain after a first ranking.

    Returns
    -------
    DataFrame
        ``source``, ``target``, the wanted columns of :data:`FEATURES` and those they are
        computed from, existing partners and the source itself excluded.

    >>> from kumenet.graph.io import read_network
    >>> g = prepare(read_network('sample_networks/pilot'), features={'aa', 'cn'})
    >>> t = candidate_block(g, np.array([0, 1]), per_source=5, features={'aa', 'cn'})
    >>> list(t.columns[:4]), t.groupby('source').size().tolist()
    (['source', 'target', 'cn', 'aa'], [5, 5])
    """
    want = set(FEATURES) if features is None else set(features)
    if not want <= g.features:
        raise ValueError("the pair graph was prepared without "
                         f"{', '.join(sorted(want - g.features))}")
    want -= set(defer) & WALKED
    three = bool(want & {"paths3", "ppr", "rank_paths3"})
    explore = bool(want & NODE_LEVEL)
    co_members = g.co_members is not None and (explore or "shared_institutions" in want)
    sources = np.asarray(sources, dtype=np.int64)
    b = len(sources)
    n = g.n
    H_ra = g.hop_weighted[1]
    products = _two_hop(g, sources, want, three)
    CN, AA, RA, AAr, RW = (products[k] for k in ("cn", "aa", "ra", "aa_recent", "ra_weighted"))
    # The products' entries stay in their walk order (ties between candidates then go by
    # that order, which depends on the row alone: the same for an actor in any block).
    # Candidates from two hops only: their values are read in place.
    two_hop_only = not (three or explore or co_members or "value_chain" in want) and \
        all(M.nnz == AA.nnz for M in products.values() if M is not None)
    rows = np.repeat(np.arange(b, dtype=np.int64), np.diff(AA.indptr))
    cols = AA.indices.astype(np.int64)
    aa = AA.data
    # Two-hop candidates: the best per source by Adamic-Adar (ties: see _ranked).
    # Only the best per_source + (partners + 1) entries of a row can be among its best
    # per_source that are neither a partner nor the source: existing ties are looked up
    # among those alone.
    T = g.tied(sources)
    first, _ = _best_ranked(rows, aa, per_source + np.diff(T.indptr)[rows] + 1)
    first = first[~_existing(T, rows[first], cols[first], sources)]
    idx2 = first[_rank_in_runs(rows[first]) < per_source]
    if two_hop_only:
        at = idx2[np.argsort(rows[idx2] * n + cols[idx2])]  # in (source, target) order
        known = {name: M.data[at] for name, M in products.items() if M is not None}
        return _features(g, sources, rows[at], cols[at], None, None, None, None,
                         np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), want, known)
    # Three-hop: continue the walk from the best two-hop nodes (random-walk weights).
    r3, c3, p3 = _three_hop(RA, AA, rows, cols, b, n, H_ra, per_source) if three else \
        (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    ex3 = _existing(T, r3, c3, sources)
    keep3 = top_per_group(r3[~ex3], p3[~ex3], per_source)
    pieces_r, pieces_c = _pooled(g, sources, explore, want, co_members, per_source)
    cand_r = np.concatenate([rows[idx2], r3[~ex3][keep3], *pieces_r])
    cand_c = np.concatenate([cols[idx2], c3[~ex3][keep3], *pieces_c])
    key = unique(cand_r * n + cand_c)
    cand_r, cand_c = key // n, key % n
    drop = _existing(T, cand_r, cand_c, sources)
    cand_r, cand_c = cand_r[~drop], cand_c[~drop]
    return _features(g, sources, cand_r, cand_c, CN, AA, RA, AAr, r3, c3, p3, want, RW=RW)


def _two_hop(g: PairGraph, sources: np.ndarray, want, three: bool) -> dict:
    """The two-hop products of a block that a wanted feature reads: common neighbours,
    Adamic-Adar (always: it ranks the candidates), resource allocation, recent Adamic-Adar and
    weighted resource allocation (sum over k of w(s, k) w(k, c) / strength(k)), all over the
    same hub-sampled second hop. Every intermediary has a positive weight and the products
    walk the same structures, so all share AA's entries in the same order."""
    S = g.A[sources]
    H_aa, H_ra = g.hop_weighted
    return {"cn": (S @ g.A_hop).tocsr() if want & {"cn", "jaccard", "katz"} else None,
            "aa": (S @ H_aa).tocsr(),
            "ra": (S @ H_ra).tocsr() if (want & {"ra", "ppr", "rank_ra"} or three) else None,
            "aa_recent": (g.A_recent[sources] @ H_aa).tocsr() if "aa_recent" in want else None,
            "ra_weighted": (g.A_weight[sources] @ g.hop_ra_weighted).tocsr()
            if "ra_weighted" in want else None}


def _three_hop(RA, AA, rows, cols, b: int, n: int, H_ra, per_source: int):
    """Three-hop walks from each source's best two-hop nodes (by resource allocation):
    ``(rows, cols, path weights)``."""
    ra = RA.data if RA.nnz == AA.nnz else _lookup(RA, rows, cols)
    best = top_per_group(rows, ra, per_source)
    R2 = sp.csr_array((ra[best], (rows[best], cols[best])), shape=(b, n))
    P3 = (R2 @ H_ra).tocoo()
    return P3.row.astype(np.int64), P3.col.astype(np.int64), P3.data


def _pooled(g: PairGraph, sources: np.ndarray, explore: bool, want, co_members: bool,
            per_source: int) -> tuple[list, list]:
    """Candidates from pools rather than walks (rows in the block, node positions): the
    most active nodes overall and of the source's sector, of the sectors linked to it in the
    value chain, of its sector in the country its partners are in, and co-members of its
    institutions (most shared first)."""
    b, n = len(sources), g.n
    active = g.top_active if explore else g.top_active[:0]
    pieces_r, pieces_c = [np.repeat(np.arange(b), len(active))], [np.tile(active, b)]
    sec = g.sector[sources]
    lists = ([g.top_by_sector] if explore else []) + \
        ([g.top_by_chain] if explore or "value_chain" in want else [])
    for pool in lists:
        for s in unique(sec[sec >= 0]):  # the block's sectors: a few dozen
            members = pool.get(int(s))
            if members is None:
                continue
            at = np.flatnonzero(sec == s)
            pieces_r.append(np.repeat(at, len(members)))
            pieces_c.append(np.tile(members, len(at)))
    if explore and g.top_by_place:
        known = (sec >= 0) & (g.main_country[sources] >= 0)
        place = g.main_country[sources] * (int(sec.max(initial=0)) + 1) + sec
        for key in unique(place[known]):
            at = np.flatnonzero((place == key) & known)
            members = g.top_by_place.get((int(g.main_country[sources[at[0]]]),
                                          int(sec[at[0]])))
            if members is None:
                continue
            pieces_r.append(np.repeat(at, len(members)))
            pieces_c.append(np.tile(members, len(at)))
    if co_members:
        CM = (g.membership[sources] @ g.co_members).tocsr()
        CM.sort_indices()
        ck = pair_keys(CM)
        cr, cc = ck // n, ck % n
        keepm = top_per_group(cr, CM.data, per_source)
        pieces_r.append(cr[keepm])
        pieces_c.append(cc[keepm])
    return pieces_r, pieces_c


def pair_keys(M: sp.csr_array) -> np.ndarray:
    """``row * n_cols + col`` of every stored entry, ascending (indices are sorted first).

    >>> M = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [0, 0, 0]]))
    >>> pair_keys(M).tolist()
    [1, 2, 3]
    """
    M.sort_indices()
    rows = np.repeat(np.arange(M.shape[0], dtype=np.int64), np.diff(M.indptr))
    return rows * M.shape[1] + M.indices.astype(np.int64)


def _existing(S, rows, cols, sources) -> np.ndarray:
    """True where (sources[row], col) are already partners, or the same node."""
    S = S.tocsr()
    S.sort_indices()
    return _member(pair_keys(S), rows * S.shape[1] + cols) | (sources[rows] == cols)


#: From how many keys (and wanted keys) :func:`find_keys` sorts what it looks for first.
_SORTED_LOOKUP = 1 << 16


def find_keys(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each wanted key in the sorted ``keys`` and whether it is there.

    Many keys wanted in a large array are looked up in ascending order: each binary search
    then starts where the last one ended and reads memory the last one brought into the
    cache (the shared partners of the 40,000 suggestions of a block of the 1M-firm network,
    350,000 lookups in 11 million keys: 75 ms in the order given, 50 ms sorted first).

    >>> at, found = find_keys(np.array([2, 5, 9]), np.array([9, 3, 2]))
    >>> at.tolist(), found.tolist()
    ([2, 1, 0], [True, False, True])
    """
    if not len(keys):
        return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
    if len(wanted) < _SORTED_LOOKUP or len(keys) < _SORTED_LOOKUP:
        pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return pos, keys[pos] == wanted
    order = argsort_keys(wanted)
    ascending = wanted[order]
    found = np.minimum(np.searchsorted(keys, ascending), len(keys) - 1)
    pos = np.empty(len(wanted), np.int64)
    hit = np.empty(len(wanted), bool)
    pos[order] = found
    hit[order] = keys[found] == ascending
    return pos, hit


def _member(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    return find_keys(keys, wanted)[1]


def _entries(M: sp.csr_array, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the wanted keys (``row * n_cols + col``) are stored in ``M.data`` and whether
    they are, without sorting M's indices: its keys are ordered by one packed sort (sorting
    the indices of each of four products cost a block 0.2 s at 1M firms)."""
    rows = np.repeat(np.arange(M.shape[0], dtype=np.int64), np.diff(M.indptr))
    keys = rows * M.shape[1] + M.indices.astype(np.int64)
    sorter = argsort_keys(keys)
    pos, hit = find_keys(keys[sorter], wanted)
    return sorter[pos] if len(sorter) else pos, hit


def _lookup(M: sp.csr_array, rows, cols) -> np.ndarray:
    """Values of M at (rows, cols), 0 where nothing is stored, by binary search on keys."""
    M = M.tocsr()
    keys = pair_keys(M)
    if not len(keys):
        return np.zeros(len(rows))
    pos, hit = find_keys(keys, rows * M.shape[1] + cols)
    return np.where(hit, M.data[pos], 0.0)


def common_neighbours(A: sp.csr_array, s: np.ndarray, c: np.ndarray,
                      keys: np.ndarray | None = None, positions: bool = False) -> tuple:
    """(pair index, common neighbour) for every common neighbour of each pair (s_i, c_i).

    Walks the neighbours of the less connected end of each pair and looks the other end up
    in the sorted keys of ``A`` (``row * n + column``), so a pair with a hub costs the small
    end's degree. ``A`` must be symmetric with sorted indices. With ``positions``, also the
    positions in ``A.data`` of the two ties (small end, other end) to each common neighbour,
    which index any matrix of the same structure. For any ``A`` (not only a symmetric one)
    the walk pairs the entries ``A[s_i, k]`` and ``A[c_i, k]`` of the two rows.

    >>> u, v = [0, 1, 1, 2, 0, 3, 3, 2], [1, 0, 2, 1, 3, 0, 2, 3]  # 0 - 1 - 2 and 0 - 3 - 2
    >>> A = sp.csr_array((np.ones(8), (u, v)), shape=(4, 4))
    >>> A.sort_indices()
    >>> pair, neighbour = common_neighbours(A, np.array([0]), np.array([2]))
    >>> pair.tolist(), sorted(neighbour.tolist())
    ([0, 0], [1, 3])
    """
    deg = np.diff(A.indptr)
    keys = pair_keys(A) if keys is None else keys
    s, c = np.asarray(s, np.int64), np.asarray(c, np.int64)
    first = deg[s] <= deg[c]
    small, other = np.where(first, s, c), np.where(first, c, s)
    counts = deg[small].astype(np.int64)
    total = int(counts.sum())
    rows = np.repeat(np.arange(len(s), dtype=np.int64), counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    at = np.repeat(A.indptr[small].astype(np.int64), counts) + offsets
    nb = A.indices[at].astype(np.int64)
    pos, hit = find_keys(keys, other[rows] * A.shape[1] + nb)
    if positions:
        return rows[hit], nb[hit], at[hit], pos[hit]
    return rows[hit], nb[hit]


def adamic_adar_pairs(A: sp.csr_array, s: np.ndarray, c: np.ndarray,
                      keys: np.ndarray | None = None) -> np.ndarray:
    """Adamic-Adar index of given pairs: sum of 1 / log(degree) over common neighbours.

    >>> u, v = [0, 1, 1, 2, 0, 3, 3, 2], [1, 0, 2, 1, 3, 0, 2, 3]  # 0 - 1 - 2 and 0 - 3 - 2
    >>> A = sp.csr_array((np.ones(8), (u, v)), shape=(4, 4))
    >>> A.sort_indices()
    >>> round(float(adamic_adar_pairs(A, np.array([0]), np.array([2]))[0]), 3)
    2.885
    """
    rows, nb = common_neighbours(A, s, c, keys)
    deg = np.diff(A.indptr)
    return np.bincount(rows, weights=1.0 / np.log(deg[nb]), minlength=len(s))


def shared_sum(X: sp.csr_array, s: np.ndarray, c: np.ndarray, keys: np.ndarray,
               weight: np.ndarray | None = None) -> np.ndarray:
    """``sum_k X[s_i, k] * weight[k] * X[c_i, k]`` for each pair, at the pairs only.

    The symmetric products of the pair features (common in- and out-neighbours, shared
    institutions) walked like :func:`common_neighbours`, whose
    walk this is (``keys``: :func:`pair_keys` of ``X``). Nothing is formed for pairs that are
    not candidates, so a chamber with 5,000 members costs its candidates' memberships, not
    5,000 x 5,000 products.

    >>> X = sp.csr_array((np.ones(4), ([0, 0, 1, 1], [2, 3, 2, 3])), shape=(4, 4))
    >>> shared_sum(X, np.array([0]), np.array([1]), pair_keys(X)).tolist()
    [2.0]
    """
    rows, k, at, pos = common_neighbours(X, s, c, keys, positions=True)
    value = X.data[at] * X.data[pos]
    if weight is not None:
        value = value * weight[k]
    return np.bincount(rows, weights=value, minlength=len(s))


def _features(g, sources, r, c, CN, AA, RA, AAr, r3, c3, p3, want, known=None,
              RW=None) -> pd.DataFrame:
    """The wanted features (and what they are computed from) of candidate pairs: block row
    ``r`` (source ``sources[r]``), node ``c``; ``known`` holds product values already read."""
    b, n = len(sources), g.n
    s = sources[r]
    ranks = {"rank_aa": "aa", "rank_ra": "ra", "rank_paths3": "paths3", "rank_deg_t": "deg_t",
             "rank_recent_t": "recent_t"}
    want = set(want) | {ranks[x] for x in want if x in ranks}
    want |= {"cn"} if "jaccard" in want else set()
    want |= {"aa"} if "share_aa" in want else set()
    want |= {"ra", "paths3"} if "ppr" in want else set()
    f = {"source": s, "target": c}
    deg_s, deg_t = g.deg[s].astype(float), g.deg[c].astype(float)
    known = known or {}
    # The products share AA's structure and walk order (the same rows times the same second
    # hop; only a zero sum would drop an entry): the candidates are looked up in it once.
    at = None
    for name, M in (("cn", CN), ("aa", AA), ("ra", RA), ("aa_recent", AAr), ("ra_weighted", RW)):
        if name in known:
            f[name] = known[name]
        elif name not in want:
            continue
        elif M is None:
            f[name] = np.zeros(len(r))
        elif M.nnz == AA.nnz and np.array_equal(M.indptr, AA.indptr):
            if at is None:
                at = _entries(AA, r * n + c)
            f[name] = np.where(at[1], M.data[at[0]], 0.0) if M.nnz else np.zeros(len(r))
        else:
            f[name] = _lookup(M, r, c)
    if "jaccard" in want:
        cn = f["cn"]
        f["jaccard"] = np.where(deg_s + deg_t - cn > 0, cn / np.maximum(deg_s + deg_t - cn, 1), 0.0)
    if "cn_in" in want or "cn_out" in want:
        f.update(walked_features(g, s, c, {"cn_in", "cn_out"}))
    if "paths3" in want:
        f["paths3"] = _lookup(sp.csr_array((p3, (r3, c3)), shape=(b, n)), r, c)
    if "ppr" in want:
        # Personalised PageRank truncated after three steps (damping 0.85): the two-step walk
        # mass is RA / deg_s, the three-step mass the pruned three-hop walk.
        alpha = 0.85
        f["ppr"] = alpha ** 2 * np.where(deg_s > 0, f["ra"] / np.maximum(deg_s, 1), 0) + \
            alpha ** 3 * f["paths3"] / np.maximum(deg_s, 1)
    node_level = {"pa": lambda: deg_s * deg_t, "deg_s": lambda: deg_s, "deg_t": lambda: deg_t,
                  "recent_s": lambda: g.recent[s], "recent_t": lambda: g.recent[c],
                  "new_t": lambda: g.new[c], "years_t": lambda: g.years[c]}
    for name, value in node_level.items():
        if name in want:
            f[name] = value()
    f = pd.DataFrame(f, copy=False)  # one array per column: no 2-D copy of every feature
    if any(x in want for x in ranks) or "share_aa" in want:
        # Scale-free versions: ranks within the source's candidates (1 = best) and shares.
        for name, col in ranks.items():
            if name in want:
                f[name] = rank_within(r, f[col].to_numpy())
        if "share_aa" in want:
            aa = f["aa"].to_numpy()
            total = np.bincount(r, weights=aa, minlength=b)[r]
            f["share_aa"] = np.where(total > 0, aa / np.where(total > 0, total, 1.0), 0.0)
    if "same_sector" in want:
        f["same_sector"] = ((g.sector[s] == g.sector[c]) & (g.sector[s] >= 0)).astype(float)
    if "value_chain" in want:
        known = (g.sector[s] >= 0) & (g.sector[c] >= 0)
        f["value_chain"] = np.where(known, g.chain[np.maximum(g.sector[s], 0),
                                                   np.maximum(g.sector[c], 0)], 0.0) \
            if g.chain.size else 0.0
    if "same_country" in want:
        f["same_country"] = ((g.country[s] == g.country[c]) & (g.country[s] >= 0)).astype(float)
    if "same_kind" in want:
        f["same_kind"] = (g.kind[s] == g.kind[c]).astype(float)
    if "shared_institutions" in want:
        f["shared_institutions"] = walked_features(g, s, c, {"shared_institutions"})[
            "shared_institutions"]
    return f[["source", "target", *[x for x in FEATURES if x in f.columns]]]


def walked_features(g: PairGraph, s: np.ndarray, c: np.ndarray, names) -> dict:
    """The features of :data:`WALKED` named in ``names`` for pairs (``s``, ``c``).

    ``cn_in`` and ``cn_out`` count common in- and out-neighbours in the directed layers
    (both recruited, or supplied, by the same node; both sending to the same node);
    ``shared_institutions`` counts the institutions both are members of.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> g = prepare(net)
    >>> f = walked_features(g, np.array([0, 0]), np.array([1, 2]), ['shared_institutions'])
    >>> sorted(f), len(f['shared_institutions'])
    (['shared_institutions'], 2)
    """
    keys = g.row_keys
    out = {}
    if "cn_in" in names:
        out["cn_in"] = shared_sum(g.D_in, s, c, keys["D_in"])
    if "cn_out" in names:
        out["cn_out"] = shared_sum(g.D_out, s, c, keys["D_out"])
    if "shared_institutions" in names:
        out["shared_institutions"] = shared_sum(g.membership, s, c, keys["membership"]) \
            if g.membership is not None else np.zeros(len(s))
    return out
