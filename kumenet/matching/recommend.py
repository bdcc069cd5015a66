"""Partner suggestions with reasons, by scope."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kumenet.arrays import distinct_type
from kumenet.data.sectors import short_titles
from kumenet.errors import KumenetError
from kumenet.graph.geography import SCOPES, scope_codes, scope_of_codes
from kumenet.graph.network import Network
from kumenet.engine import run_blocks
from kumenet.matching.candidates import (PairGraph, candidate_block, common_neighbours,
                                        prepare, walked_features)
from kumenet.matching.plausible import served_areas
from kumenet.matching.scorers import TrainedScorer, needed_features, score
from kumenet.memory import reuse_freed_memory
from kumenet.messages import check_lang, pieces, term, terms, text

__all__ = ["resolve_sources", "recommend_partners", "strength", "reasons", "reason_facts",
           "reason_text"]


SCOPE_CHOICES = ("any", *SCOPES)
#: Columns of every suggestion table.
COLUMNS = ("source", "source_name", "target", "target_name", "rank", "strength", "score", "scope",
           "reason",
           "target_kind", "target_province", "target_country", "target_sector")


#: A suggestion's strength (1-5) from its score's share of the best score among its source's
#: candidates (in every scope): 5 from 90 %, 4 from 75 %, 3 from 50 %, 2 from 25 %.
STRENGTH_CUTS = np.array([0.25, 0.5, 0.75, 0.9])

#: Which actors ``--all`` suggests partners for.
SOURCE_KINDS = ("firm", "institution", "any")


def resolve_sources(net: Network, firms: str | Iterable[str] | None,
                    source_kind: str = "firm") -> np.ndarray:
    """Node positions of the actors named by id or name (when None: every actor of
    ``source_kind``, one of :data:`SOURCE_KINDS`).

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> net.ids[resolve_sources(net, ['F000010', 'yıldız medikal san. tic. ltd. şti.'])].tolist()
    ['F000010', 'F000001']
    >>> len(resolve_sources(net, None))
    720
    """
    if source_kind not in SOURCE_KINDS:
        raise KumenetError(f"source kind must be one of {', '.join(SOURCE_KINDS)}, not "
                           f"{source_kind!r}")
    if firms is None:
        if source_kind == "any":
            return np.arange(net.n_nodes, dtype=np.int64)
        return np.flatnonzero((net.nodes["kind"] == source_kind).to_numpy())
    if isinstance(firms, str):
        firms = [firms]
    firms = [str(f) for f in firms]
    # Ids are looked up at once; only what is not an id goes through the name search.
    pos = net.ids.get_indexer(pd.Index(firms, dtype=object)).astype(np.int64)
    for i in np.flatnonzero(pos < 0):
        pos[i] = net.find(firms[i])
    return pos


def recommend_partners(net: Network, firm: str | Iterable[str] | None = None, *,
                       scope: str = "any", k: int = 10, method: str | TrainedScorer = "default",
                       kind: str | None = None, sector: str | None = None,
                       province: str | None = None, country: str | None = None,
                       per_scope: bool = False, level: str = "province",
                       as_of: int | None = None, layers=None, seed: int = 0,
                       per_source: int = 100, block: int = 4000, progress=None,
                       workers: int | None = None, source_kind: str = "firm",
                       lang: str | tuple = "en") -> pd.DataFrame:
    """Suggested partners for one actor, several, or every actor of a kind, each with a reason.

    Parameters
    ----------
    firm : str or list of str, optional
        Ids or names (Turkish-aware) of firms or institutions; when None, every actor of
        ``source_kind``.
    source_kind : {"firm", "institution", "any"}
        Whose partners are suggested when ``firm`` is None (``kind`` filters the partners).
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
    workers : int, optional
        Processes that run the blocks of ``block`` sources (default: one per core, up to 4,
        and no more than there are blocks; 1 runs them in this process). The result does not
        depend on it.
    lang : {"en", "tr"} or tuple of them
        The language of the reasons; with several, ``reason`` is in the first and a column
        ``reason_LANG`` holds each other (the pairs are scored once).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`; existing partners (in any layer) are never suggested.
        ``strength`` (1-5) reads the score against the best score among the source's
        candidates in every scope (:data:`STRENGTH_CUTS`): 5 is as good as its best option,
        1 under a quarter of it.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> t = recommend_partners(net, 'F000010', k=3, method='adamic_adar', lang='en')
    >>> t[['target', 'rank', 'strength']].values.tolist()
    [['F000047', 1, 5], ['F000059', 2, 4], ['F000007', 3, 4]]
    >>> t['reason'].iloc[0][:38]
    '9 shared partners in the supply layer:'
    """
    langs = (lang,) if isinstance(lang, str) else tuple(lang)
    for each in langs:
        check_lang(each)
    if scope not in SCOPE_CHOICES:
        raise KumenetError(f"scope must be one of {', '.join(SCOPE_CHOICES)}, not {scope!r}")
    sources = resolve_sources(net, firm, source_kind)
    with reuse_freed_memory():
        return _recommend(net, sources, scope, k, method, (kind, sector, province, country),
                          per_scope, level, as_of, layers, seed, per_source, block, progress,
                          workers, langs)


def _recommend(net, sources, scope, k, method, filters, per_scope, level, as_of, layers, seed,
               per_source, block, progress, workers, langs) -> pd.DataFrame:
    if method == "default":
        from kumenet.matching.model import default_scorer

        method = default_scorer(net, layers=layers, as_of=as_of, seed=seed)
    # A trained scorer meets the candidate pools it was trained with.
    n_active = method.params.get("n_active", 50) if isinstance(method, TrainedScorer) else 50
    g = prepare(net, layers=layers, as_of=as_of, seed=seed, n_active=n_active,
                features=needed_features(method))
    chunks = [sources[i:i + block] for i in range(0, len(sources), block)]
    job = _BlockJob(net, g, method, per_source, filters, scope, k, per_scope,
                    scope_codes(net.nodes, level), langs)
    if isinstance(method, TrainedScorer) and len(chunks) > 1:
        # The compiled tree walker for large blocks, imported once before workers fork (one
        # firm's candidates are scored with numpy, without importing scikit-learn).
        for forest in (method.forest, method.first):
            if forest is not None:
                forest.prepare()
    results = run_blocks(job, chunks, workers, progress, _encode, _decode)
    del job, g  # the pair graph is not needed to present the table: free it first
    frames = [f for f, _ in results]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if table.empty:
        return pd.DataFrame(columns=list(COLUMNS) + [f"reason_{la}" for la in langs[1:]])
    out = _present(net, table, pa.chunked_array([t[0] for _, t in results], type=pa.string()))
    for i, lang in enumerate(langs[1:], start=1):
        column = pa.chunked_array([t[i] for _, t in results], type=pa.string())
        out.insert(out.columns.get_loc("reason") + i, f"reason_{lang}",
                   pa.table({"r": column}).to_pandas()["r"].array)
    return out


class _BlockJob:
    """Everything one block of sources needs: a pure function of the block once built."""

    def __init__(self, net, g, method, per_source, filters, scope, k, per_scope, codes, langs):
        if method == "adamic_adar" and scope == "any" and not per_scope and not any(filters):
            # Candidates are chosen by Adamic-Adar: the best k of them are the k suggestions
            # (the other per_source - k would be scored and dropped).
            per_source = min(per_source, k)
        areas = served_areas(net, as_of=g.as_of)
        net.memo(("local_institutions", g.as_of), lambda: areas.local)  # the reasons read it
        self.__dict__.update(net=net, g=g, method=method, per_source=per_source,
                             filters=filters, scope=scope, k=k, per_scope=per_scope,
                             codes=codes, keys=g.keys, langs=langs, areas=areas)
        # Built here, before worker processes fork, so that they share them.
        g.build_shared()
        for column in ("name", "country"):  # what the reasons read
            _arrow_column(net, column)
        for lang in langs:
            _sector_label_array(net, lang)
        kind, _, province, country = filters
        for column, used in (("subtype", True), ("kind", kind), ("province", province),
                             ("country", country)):
            if used:  # the reasons read subtypes, the filters what they filter on
                net.values(column)

    def __call__(self, chunk: np.ndarray) -> tuple[pd.DataFrame, pa.Array]:
        method = self.method
        defer = method.deferred if isinstance(method, TrainedScorer) else frozenset()
        f = candidate_block(self.g, chunk, self.per_source, needed_features(method), defer)
        f = _filter(self.net, f, *self.filters)
        served = self.areas.keep(f["source"].to_numpy(), f["target"].to_numpy())
        if not served.all():  # institutions only where they serve (plausible.py)
            f = f[served]
        f["scope"] = scope_of_codes(self.codes, f["source"].to_numpy(), f["target"].to_numpy(),
                                    as_labels=False)
        if self.scope != "any":
            f = f[f["scope"].to_numpy() == SCOPES.index(self.scope)]
        if defer:  # two stages: the walked features and the full model for the best only
            group = f["source"].to_numpy(np.int64)
            if self.per_scope:
                group = group * 4 + f["scope"].to_numpy(np.int64)
            kept = np.flatnonzero(method.first_stage(f, group))
            columns = {"source", "target", "scope", "paths3", *method.features}  # what is read
            f = pd.DataFrame({c: f[c].to_numpy()[kept] for c in f.columns if c in columns},
                             copy=False)
            for name, values in walked_features(self.g, f["source"].to_numpy(),
                                                f["target"].to_numpy(), defer).items():
                f[name] = values
        f["score"] = score(f, method)
        f = _top(f, self.k, self.per_scope).reset_index(drop=True)
        facts = reason_facts(self.net, self.g, f, self.keys)  # once for every language
        texts = [reason_text(self.net, self.g, facts, lang) for lang in self.langs]
        # Only what the table shows is kept: the features of 10 M suggestions would not fit.
        return f[["source", "target", "score", "scope", "rank", "strength"]], texts


def _encode(result):
    """A block's result from a worker as one Arrow IPC stream: the table's columns and the
    reasons. The parent then reads them where they arrived (a pickled table is copied into new
    arrays, and pickled Arrow buffers arrive unaligned and are copied again: 17 s of the
    parent's CPU for the 250 blocks of 1M firms, taken from the workers' two cores)."""
    f, texts = result
    names = [*f.columns, *(f"reason{i}" for i in range(len(texts)))]
    columns = [pa.array(f[c].to_numpy()) for c in f.columns]
    sink = pa.BufferOutputStream()
    batch = pa.record_batch([*columns, *texts], names=names)
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue(), len(f.columns)


def _decode(result):
    payload, n_columns = result
    table = pa.ipc.open_stream(payload).read_all()
    arrays = [column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
              for column in table.columns]
    f = pd.DataFrame({name: array.to_numpy(zero_copy_only=False)
                      for name, array in zip(table.column_names[:n_columns], arrays)},
                     copy=False)
    return f, arrays[n_columns:]


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
        from kumenet.graph.network import country_code

        code = country_code(country)
        if code is None:
            raise KumenetError(f"unknown country {country!r}: give an ISO 3166 code such as "
                               "TR, DE or IQ (Türkiye and Turkey are understood too)")
        keep &= net.values("country")[t] == code
    return f if keep.all() else f[keep]


def _top(f: pd.DataFrame, k: int, per_scope: bool) -> pd.DataFrame:
    """The k best rows per source (per source and scope), ranked; ties by target position
    (candidate blocks list each source's targets in position order, and the sort is stable)."""
    group = f["source"].to_numpy(np.int64)
    if per_scope:
        group = group * 4 + f["scope"].to_numpy(np.int64)
    order = np.lexsort((-f["score"].to_numpy(), group))
    g = group[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    rank = np.arange(len(g)) - np.repeat(start, np.diff(np.r_[start, len(g)])) + 1
    keep = rank <= k
    out = f.iloc[order[keep]].copy()
    out["rank"] = rank[keep]
    out["strength"] = strength(out["score"].to_numpy(), _best_of(f, out["source"].to_numpy()))
    return out


def _best_of(f: pd.DataFrame, sources: np.ndarray) -> np.ndarray:
    """The best score among each source's candidates (all scopes), at ``sources``."""
    best = pd.Series(f["score"].to_numpy()).groupby(f["source"].to_numpy()).max()
    return best.reindex(sources).to_numpy()


def strength(scores: np.ndarray, best: np.ndarray) -> np.ndarray:
    """1-5 from a score's share of its source's best score (:data:`STRENGTH_CUTS`).

    >>> strength(np.array([0.9, 0.8, 0.5, 0.3, 0.1, 0.0]), np.full(6, 0.9)).tolist()
    [5, 4, 3, 2, 1, 1]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(best > 0, scores / best, 0.0)
    return (1 + np.searchsorted(STRENGTH_CUTS, share, side="right")).astype(np.int8)


def reasons(net: Network, g: PairGraph, t: pd.DataFrame, keys: np.ndarray | None = None,
            lang: str = "en") -> pa.Array:
    """A plain-language reason for each suggestion, built from its features.

    Parts, strongest first: shared partners (with the layers they are shared in and up to
    three names), a value-chain link between the sectors, shared institutions, a path
    through partners of partners, the same sector, the partner's recent activity. The text
    is assembled with Arrow's string kernels (no Python string per row). ``keys`` are the
    sorted pair keys of ``g.A`` (``g.keys``), computed once for many blocks. The words come
    from :mod:`kumenet.messages` in ``lang``.

    >>> from kumenet.graph.io import read_network
    >>> from kumenet.matching.candidates import candidate_block, prepare
    >>> net = read_network('sample_networks/pilot')
    >>> g = prepare(net)
    >>> t = candidate_block(g, np.array([net.find('F000010')])).head(1)
    >>> reasons(net, g, t, lang='tr')[0].as_py()[:26]
    '5 ortak iş ortağı: Sevim M'
    """
    return reason_text(net, g, reason_facts(net, g, t, keys), lang)


def reason_facts(net: Network, g: PairGraph, t: pd.DataFrame,
                 keys: np.ndarray | None = None) -> dict:
    """What the reasons of ``t``'s pairs say, in no language (found once for several).

    >>> from kumenet.graph.io import read_network
    >>> from kumenet.matching.candidates import candidate_block, prepare
    >>> net = read_network('sample_networks/pilot')
    >>> g = prepare(net)
    >>> t = candidate_block(g, np.array([net.find('F000010')])).head(2)
    >>> f = reason_facts(net, g, t)
    >>> reason_text(net, g, f, 'en')[0].as_py() == reasons(net, g, t, lang='en')[0].as_py()
    True
    """
    s = t["source"].to_numpy()
    c = t["target"].to_numpy()
    m = len(t)
    names = _arrow_column(net, "name")
    # Shared partners, named, with the layers they are shared in (both ties to the partner).
    row, node, tie_a, tie_b = common_neighbours(g.A, s, c, keys, positions=True)
    shared_bits = g.A_layers.data[tie_a].astype(np.int64) & g.A_layers.data[tie_b].astype(np.int64)
    order = np.lexsort((node, -g.deg[node], row))  # best-connected shared partners first
    row, node = row[order], node[order]
    start = np.r_[0, np.flatnonzero(np.diff(row)) + 1] if len(row) else np.zeros(0, np.int64)
    nth_in_row = np.arange(len(row)) - np.repeat(start, np.diff(np.r_[start, len(row)]))
    listing = []
    for j in range(3):
        pick = nth_in_row == j
        idx = np.full(m, -1, dtype=np.int64)
        idx[row[pick]] = node[pick]
        listing.append(_take(names, idx))
    # Value chain (input-output links between the two sectors).
    gs, gc = g.sector[s], g.sector[c]
    known = (gs >= 0) & (gc >= 0)
    if g.chain.size:  # only the links kumenet states (valuechain.value_chain_link)
        claim = np.where(known, g.chain_claim[np.maximum(gs, 0), np.maximum(gc, 0)], 0.0)
        strength, u_supplies = np.abs(claim), claim >= 0
    else:
        strength, u_supplies = np.zeros(m), np.ones(m, bool)
    # Shared institutions.
    first_inst = np.full(m, -1, dtype=np.int64)
    extra = np.zeros(m, dtype=np.int64)
    if g.membership is not None:
        M = g.membership
        Q = M[s].multiply(M[c]).tocsr()
        Q.sort_indices()
        per_row = np.diff(Q.indptr)
        has = per_row > 0
        first_inst[has] = Q.indices[Q.indptr[:-1][has]]
        extra = np.maximum(per_row - 1, 0)
    count = np.bincount(row, minlength=m)
    return {"s": s, "c": c, "m": m, "row": row, "bits": shared_bits[order], "count": count,
            "listing": listing, "strength": strength, "u_supplies": u_supplies,
            "linked": (strength > 0) & known & (gs != gc),
            "same": (gs == gc) & (gs >= 0), "institution": _take(names, first_inst),
            "has_institution": first_inst >= 0, "extra": extra,
            "subtype": net.values("subtype")[c],
            "institution_target": net.values("kind")[c] == "institution",
            "serving": _local_institutions(net, g)[c],
            "country": _take(_arrow_column(net, "country"), c),
            "far": (count == 0) & (t["paths3"].to_numpy() > 0) if "paths3" in t
            else np.zeros(m, bool),
            "new": g.new[c].astype(np.int64)}


def _local_institutions(net: Network, g: PairGraph) -> np.ndarray:
    """Per node: an institution of a subtype that serves places (plausible.py), cached."""
    return net.memo(("local_institutions", g.as_of),
                    lambda: served_areas(net, as_of=g.as_of).local)


def reason_text(net: Network, g: PairGraph, f: dict, lang: str) -> pa.Array:
    """The reasons :func:`reason_facts` found, written in ``lang``.

    >>> from kumenet.graph.io import read_network
    >>> from kumenet.matching.candidates import candidate_block, prepare
    >>> net = read_network('sample_networks/pilot')
    >>> g = prepare(net)
    >>> t = candidate_block(g, np.array([net.find('F000010')])).head(1)
    >>> f = reason_facts(net, g, t)
    >>> [reason_text(net, g, f, lang)[0].as_py()[:9] for lang in ('tr', 'en')]
    ['5 ortak i', '5 shared ']
    """
    parts: list[tuple] = []  # (where it applies, pieces of its text)
    # An institution is named as one first: staff propose membership or a service, not a deal.
    inst = f["institution_target"]
    kinds = pa.array(terms("subtype", np.where(pd.isna(f["subtype"]), None, f["subtype"]), lang)
                     if inst.any() else np.full(f["m"], "", dtype=object), type=pa.string())
    kinds = pc.fill_null(kinds, "")
    serving = f["serving"]
    parts.append((inst & serving, _message("reason.institution_serving", lang, subtype=kinds)))
    parts.append((inst & ~serving, _message("reason.institution_target", lang, subtype=kinds)))
    count = f["count"]
    in_layer, by_layer = _layer_counts([term("layer", la, lang) for la in g.layers], f["row"],
                                       f["bits"], f["m"], lang)
    more = _if(count > 3, ", ...", "")
    named = _joined([(count > j, (f["listing"][j],)) for j in range(3)], ", ")
    shared = {"n": _str(count), "in_layer": in_layer, "by_layer": by_layer}
    words = _if(count == 1, _cat(*_message("reason.shared_one", lang, **shared)),
                _cat(*_message("reason.shared_many", lang, **shared)))
    parts.append((count > 0, (words, ": ", named, more)))
    labels = _sector_label_array(net, lang)
    lu, lv = _take(labels, f["s"]), _take(labels, f["c"])
    u_supplies = f["u_supplies"]
    parts.append((f["linked"], _message(
        "reason.value_chain", lang, supplier=_if(u_supplies, lu, lv), buyer=_if(u_supplies, lv, lu),
        pct=_str((f["strength"] * 100).round(0).astype(np.int64)))))
    extra = f["extra"]
    parts.append((f["has_institution"], (
        *_message("reason.institution", lang, institution=f["institution"]),
        _if(extra > 0, _cat(*_message("reason.more_institutions", lang, n=_str(extra))), ""))))
    # Foreign buyers: the suggestion is an export market.
    parts.append((f["subtype"] == "buyer", _message("reason.buyer", lang, country=f["country"])))
    parts.append((f["subtype"] == "supplier",
                  _message("reason.supplier", lang, country=f["country"])))
    # Partners of partners (three steps) when nothing closer.
    parts.append((f["far"], _message("reason.far", lang)))
    parts.append((f["same"], _message("reason.same_sector", lang, sector=lu)))
    new = f["new"]
    by = "" if g.as_of is None else text("reason.by_year", lang, year=str(g.as_of))
    active = {"n": _str(new), "by": by}
    parts.append((new > 0, (_if(new == 1, _cat(*_message("reason.active_one", lang, **active)),
                                _cat(*_message("reason.active_many", lang, **active))),)))
    out = _joined(parts, "; ", otherwise=text("reason.otherwise", lang))
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


# -- Arrow string helpers (every operation is one kernel over the whole column) -------------

def _strings(values: pd.Series) -> pa.Array:
    """A column as one Arrow string array, missing values null (no copy for the Arrow-backed
    strings pandas reads files into)."""
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python objects
        arr = pa.array(values.astype(object).where(values.notna(), None).map(
            lambda v: v if v is None else str(v)).to_numpy(dtype=object), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return arr if arr.type == pa.string() else pc.cast(arr, pa.string())


def _arrow_column(net: Network, column: str) -> pa.Array:
    """A node column as an Arrow string array (missing as ""), cached on the network."""
    return net.memo(("arrow", column), lambda: pc.fill_null(_strings(net.nodes[column]), ""))


def _take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx], "" where idx < 0."""
    idx = np.asarray(idx, dtype=np.int64)
    missing = idx < 0
    taken = pc.take(values, pa.array(np.where(missing, 0, idx), mask=missing))
    return pc.fill_null(taken, "")


def _str(numbers: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(numbers)), pa.string())


def _as_arrow(x):
    if isinstance(x, (pa.Array, pa.ChunkedArray, pa.Scalar)):
        return x
    if isinstance(x, str):
        return pa.scalar(x, pa.string())
    return pa.array(np.asarray(x, dtype=object), type=pa.string())


def _cat(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays and constants."""
    return pc.binary_join_element_wise(*[_as_arrow(p) for p in parts], pa.scalar("", pa.string()))


def _if(mask, yes, no) -> pa.Array:
    mask = mask if isinstance(mask, (pa.Array, pa.ChunkedArray)) else pa.array(np.asarray(mask, bool))
    return pc.if_else(mask, _as_arrow(yes), _as_arrow(no))


def _joined(parts: list[tuple], sep: str, otherwise: str | None = None) -> pa.Array:
    """Element-wise join with ``sep`` of the texts that apply: each part is (mask, pieces
    to concatenate); ``otherwise`` where none applies.

    Every piece is blanked where its part does not apply (short strings), a separator goes
    before a part where an earlier one applies, and one concatenation writes the texts: the
    long strings are written once (joining each part, then all parts, copied them five
    times: half of the time of ``match --method adamic_adar``).
    """
    masks = [np.asarray(mask.to_numpy(zero_copy_only=False)
                        if isinstance(mask, (pa.Array, pa.ChunkedArray)) else mask, dtype=bool)
             for mask, _ in parts]
    m = len(masks[0]) if masks else 0
    seen = np.zeros(m, dtype=bool)
    flat = []
    for mask, (_, texts) in zip(masks, parts):
        if not mask.any():
            continue
        lead = mask & seen
        if lead.any():
            flat.append(_if(lead, sep, ""))
        every = mask.all()
        flat += [p if every else _if(mask, p, "") for p in texts]
        seen |= mask
    if otherwise is not None and not seen.all():
        flat.append(_if(~seen, otherwise, ""))
    if not any(isinstance(p, (pa.Array, pa.ChunkedArray)) for p in flat):
        return pa.array(["".join(p if isinstance(p, str) else p.as_py() for p in flat)] * m,
                        type=pa.string())
    return _cat(*flat)


def _layer_counts(layers: list[str], row: np.ndarray, bits: np.ndarray, m: int,
                  lang: str) -> tuple[pa.Array, pa.Array]:
    """(' in the supply layer', ' (supply 2, collaboration 1)') for each pair, each blank
    where the other applies, from the layer bits of each shared partner (``row``: the pair it
    belongs to); ``layers`` are the names shown."""
    if not layers:
        blank = pa.array([""] * m, type=pa.string())
        return blank, blank
    counts = np.column_stack([np.bincount(row, weights=(bits >> i) & 1, minlength=m)
                              for i in range(len(layers))]).astype(np.int64)
    nonzero = (counts > 0).sum(axis=1)
    only = pa.array(np.array(layers, dtype=object)[counts.argmax(axis=1)], type=pa.string())
    listed = _joined([(counts[:, i] > 0, (la + " ", _str(counts[:, i])))
                      for i, la in enumerate(layers)], ", ")
    return (_if(nonzero == 1, _cat(*_message("reason.in_layer", lang, layer=only)), ""),
            _if(nonzero > 1, _cat(" (", listed, ")"), ""))


def _message(key: str, lang: str, **fields) -> tuple:
    """The pieces of a catalogue message with its fields filled by columns or constants, for
    :func:`_cat` and :func:`_joined` (one concatenation writes the texts)."""
    return tuple(fields[piece] if is_field else piece for is_field, piece in pieces(key, lang))


def _sector_label_array(net: Network, lang: str = "en") -> pa.Array:
    def make():
        labels = pd.Series(_sector_labels(net, lang), dtype=object)
        return pa.array(labels.where(labels.notna(), "").to_numpy(dtype=object),
                        type=pa.string())

    return net.memo(("arrow", "sector_labels", lang), make)


def _sector_labels(net: Network, lang: str = "en") -> np.ndarray:
    """'13.10 cotton yarn' ('13.10 pamuk ipliği' in Turkish) for codes kumenet knows, the code
    itself otherwise."""
    from kumenet.text import map_distinct

    titles = short_titles(lang)
    return net.memo(("sector_labels", lang), lambda: map_distinct(
        net.nodes["sector"], lambda v: f"{v} {titles[v]}" if v in titles else str(v)).to_numpy())


def _present(net: Network, t: pd.DataFrame, reason: pa.ChunkedArray) -> pd.DataFrame:
    """The suggestion table users see.

    Columns that repeat (the firm, its suggested partners, their attributes, the scope) are
    categorical, each node column's categories made once and shared by the source and target
    columns: ten million suggestions keep one copy of each name.
    """
    s, c = t["source"].to_numpy(), t["target"].to_numpy()
    scopes = pd.CategoricalDtype([*SCOPES, "unknown"])
    return pd.DataFrame({
        "source": _coded(net, "id", s), "source_name": _coded(net, "name", s),
        "target": _coded(net, "id", c), "target_name": _coded(net, "name", c),
        "rank": t["rank"].to_numpy(), "strength": t["strength"].to_numpy(),
        "score": t["score"].to_numpy().round(6),
        "scope": pd.Categorical.from_codes(t["scope"].to_numpy(np.int32), dtype=scopes),
        "reason": pa.table({"reason": reason}).to_pandas()["reason"].array,
        "target_kind": _coded(net, "kind", c), "target_province": _coded(net, "province", c),
        "target_country": _coded(net, "country", c), "target_sector": _coded(net, "sector", c)})


def _coded(net: Network, column: str, positions: np.ndarray) -> pd.Categorical:
    """A node column at ``positions`` as a categorical (missing as NaN) whose categories, in
    order of appearance, are made once per network and column."""
    def make():
        # One contiguous Arrow dictionary (the table's writer reads it as one array); its
        # values are distinct, so they are not hashed again to check.
        encoded = pc.dictionary_encode(_strings(net.nodes[column]))
        categories = pa.table({"c": encoded.dictionary}).to_pandas()["c"]
        return (pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int32),
                distinct_type(pd.Index(categories.array)))

    codes, dtype = net.memo(("coded", column), make)
    return pd.Categorical.from_codes(codes[positions], dtype=dtype)
