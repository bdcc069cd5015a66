"""National cluster evaluation: indicators under the programme's four criteria, one score.

Clusters are groups of firms: a declared ``cluster`` column, detected communities, or every
province x NACE division with enough firms. Each indicator is measured from the network (see
:data:`INDICATORS`), normalised across all clusters evaluated together (percentile rank or
min-max, 0-100), weighted inside its criterion and across criteria as the configuration file
says (default ``kumenet/data/cluster_evaluation.toml``), and the score gets a label (gold /
silver / bronze by default). Each cluster's profile names its strongest indicators and what
to improve.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.messages import check_lang, terms
from kumenet.messages import text as message
from kumenet.text import sort_key, suggestion

__all__ = ["Config", "load_config", "cluster_labels", "indicators", "normalise",
           "evaluate_clusters", "parse_years", "evaluate_years"]


#: name -> how it is measured (its name and the way a value is written are in
#: kumenet.messages: ``indicator.NAME``, ``value.NAME``)
INDICATORS = {
    "firms": "member firms",
    "employees": "employees of the member firms",
    "specialisation": ("location quotient of the cluster's main sector in its main province, "
                       "from the network's firms (employees)"),
    "tie_growth": ("ties touching the cluster in the last 3 years of the data over the 3 "
                   "before, minus 1"),
    "exporter_share": "share of member firms with exports",
    "exports_per_employee": "exports (USD) of the members over their employees",
    "international_share": "share of the cluster's ties with foreign actors",
    "internal_density": "ties inside the cluster over possible pairs",
    "collaboration_per_firm": "collaboration-layer partners per member firm",
    "interregional_share": "share of the cluster's ties with other Turkish provinces",
    "brokers_share": "share of members among the network's top tenth by brokerage",
    "institutional_ties": ("share of members tied to a chamber, union, agency, zone, "
                           "university..."),
    "knowledge_ties": "share of members tied to a university or research organisation",
    "value_chain_completeness": ("share of the sectors linked to the main sector in Turkey's "
                                 "input-output table (input share >= 5 %) present among the "
                                 "members and their Turkish partners"),
}
GROUPINGS = ("cluster", "community", "province-sector")
RECENT_YEARS = 3
KNOWLEDGE = ("university", "research_organisation")


@dataclass
class Config:
    """Criteria -> (weight, {indicator: weight}); labels (name, threshold) high to low."""

    criteria: dict
    labels: list
    normalisation: str = "rank"
    min_firms: int = 5
    source: str = "default"


def load_config(path: str | Path | None = None) -> Config:
    """Read and check an evaluation configuration (default: the packaged one).

    >>> c = load_config()
    >>> sorted(c.criteria), c.min_firms, [name for name, _ in c.labels]
    (['demand', 'economic_impact', 'factor_conditions', 'networking'], 5, ['gold', 'silver', 'bronze'])
    """
    if path is None:
        text = (resources.files("kumenet.data") / "cluster_evaluation.toml").read_text("utf-8")
        source = "kumenet/data/cluster_evaluation.toml"
    else:
        from kumenet.graph.textfile import check_regular_file

        check_regular_file(Path(path))
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KumenetError(f"{path}: cannot be read: {err}") from err
        source = str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise KumenetError(f"{source}: not valid TOML: {err}") from err
    problems = []
    criteria = {}
    for name, spec in (raw.get("criteria") or {}).items():
        weight = spec.get("weight", 1.0)
        indicators = spec.get("indicators") or {}
        if not isinstance(weight, (int, float)) or weight < 0:
            problems.append(f"criteria.{name}.weight must be a number >= 0 (got {weight!r})")
        for ind, w in indicators.items():
            if ind not in INDICATORS:
                problems.append(f"criteria.{name}: unknown indicator {ind!r}"
                                f"{suggestion(ind, INDICATORS)}")
            elif not isinstance(w, (int, float)) or w < 0:
                problems.append(f"criteria.{name}.indicators.{ind} must be a number >= 0")
        criteria[name] = (float(weight) if isinstance(weight, (int, float)) else 0.0,
                          {k: float(v) for k, v in indicators.items()
                           if k in INDICATORS and isinstance(v, (int, float))})
    if not criteria:
        problems.append("no [criteria.*] tables")
    labels = raw.get("labels", {})
    if not all(isinstance(v, (int, float)) for v in labels.values()):
        problems.append("[labels] thresholds must be numbers (0-100)")
    normalisation = raw.get("normalisation", "rank")
    if normalisation not in ("rank", "minmax"):
        problems.append(f"normalisation must be 'rank' or 'minmax' (got {normalisation!r})")
    min_firms = raw.get("min_firms", 5)
    if not isinstance(min_firms, int) or min_firms < 1:
        problems.append(f"min_firms must be a whole number >= 1 (got {min_firms!r})")
    if problems:
        raise KumenetError(f"{source}: " + "; ".join(problems))
    ordered = sorted(((str(k), float(v)) for k, v in labels.items()), key=lambda kv: -kv[1])
    return Config(criteria, ordered, normalisation, min_firms, source)


def cluster_labels(net, by: str = "cluster", seed: int = 0) -> pd.Series:
    """Each node's cluster (None for nodes in none): see the module text for ``by``.

    >>> from kumenet.graph.io import read_network
    >>> labels = cluster_labels(read_network('sample_networks/pilot'), 'province-sector')
    >>> labels.value_counts().index[0]
    'Gaziantep 13'
    """
    from kumenet.regional.table import sector_codes

    firms = (net.nodes["kind"] == "firm").to_numpy()
    if by == "cluster":
        if "cluster" not in net.nodes:
            raise KumenetError("the nodes have no 'cluster' column: use --by community or "
                               "--by province-sector")
        labels = net.nodes["cluster"].astype(object)
    elif by == "community":
        from kumenet.graph.communities import community_labels

        labels = community_labels(net, seed=seed)
    elif by == "province-sector":
        division = sector_codes(net.nodes["sector"], "division")
        labels = net.nodes["province"].astype(object) + " " + division
        labels = labels.where((net.nodes["country"] == "TR").to_numpy())
    else:
        raise KumenetError(f"unknown grouping {by!r}{suggestion(by, GROUPINGS)}; use "
                           f"{', '.join(GROUPINGS)}")
    labels = pd.Series(labels.to_numpy(), dtype=object)
    return labels.mask(~firms | labels.isna().to_numpy() | (labels.astype(str).str.strip() == ""),
                       None)


def indicators(net, labels: pd.Series, min_firms: int = 5) -> pd.DataFrame:
    """The raw indicators of every cluster with at least ``min_firms`` firms.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> t = indicators(net, cluster_labels(net, 'cluster'))
    >>> len(t), int(t.set_index('cluster').loc['Gaziantep plastik', 'firms'])
    (14, 43)
    """
    from kumenet.graph.metrics import group_codes, group_metrics, group_mode
    from kumenet.regional.table import sector_codes

    counts = labels.value_counts()
    kept = counts.index[counts >= min_firms]
    if len(kept) == 0:
        raise KumenetError(f"no cluster has {min_firms} or more firms (largest: "
                           f"{int(counts.max()) if len(counts) else 0})")
    if len(kept) < len(counts):
        warnings.warn(f"{len(counts) - len(kept)} group(s) with fewer than {min_firms} firms "
                      "not evaluated", stacklevel=2)
    labels = labels.where(labels.isin(kept))
    codes, names = group_codes(net, labels)
    k, n = len(names), net.n_nodes
    nodes = net.nodes
    member = codes >= 0
    groups = group_metrics(net, labels).set_index("group").loc[names.astype(str)]

    def per_group(values, mask=member):
        return np.bincount(codes[mask], weights=np.asarray(values, dtype=float)[mask], minlength=k)

    firms = per_group(np.ones(n))
    emp = nodes["employees"].astype("float64").to_numpy() if "employees" in nodes else np.full(n, np.nan)
    known_emp = member & ~np.isnan(emp)
    employees = np.where(per_group(np.ones(n), known_emp) > 0, per_group(emp, known_emp), np.nan)
    out = pd.DataFrame({"cluster": names.astype(str), "firms": firms, "employees": employees})
    division = sector_codes(nodes["sector"], "division").to_numpy()
    for col, values in (("province", nodes["province"].to_numpy(dtype=object)),
                        ("sector", division)):
        out[f"main_{col}"] = group_mode(codes[member], values[member]).reindex(range(k)).to_numpy()
    out["specialisation"] = _specialisation(net, out)
    out["tie_growth"] = _tie_growth(net, codes, k)
    if "exports_usd" in nodes and nodes["exports_usd"].notna().any():
        exports = nodes["exports_usd"].astype("float64").fillna(0).to_numpy()
        out["exporter_share"] = per_group(exports > 0) / firms
        with np.errstate(divide="ignore", invalid="ignore"):
            out["exports_per_employee"] = per_group(exports, known_emp) / employees
    else:
        out["exporter_share"] = out["exports_per_employee"] = np.nan
    out["international_share"] = groups["share_international"].to_numpy()
    out["internal_density"] = groups["internal_density"].to_numpy()
    out["collaboration_per_firm"] = _partners(net, codes, k, "collaboration") / firms
    out["interregional_share"] = groups["share_interregional"].to_numpy()
    out["brokers_share"] = groups["brokers"].to_numpy() / firms
    out["institutional_ties"] = groups["institutional_embeddedness"].to_numpy()
    knowledge = nodes["subtype"].isin(KNOWLEDGE).to_numpy() if "subtype" in nodes else np.zeros(n, bool)
    out["knowledge_ties"] = per_group(_tied_to(net, knowledge)) / firms
    out["value_chain_completeness"] = _value_chain(net, codes, out["main_sector"], k)
    return out


def _specialisation(net, out: pd.DataFrame) -> np.ndarray:
    from kumenet.regional.specialisation import location_quotients
    from kumenet.regional.table import from_network

    value = "employees" if "employees" in net.nodes and net.nodes["employees"].notna().any() \
        else "firms"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            lq = location_quotients(from_network(net, "province", "division", value))
        except KumenetError:  # no Turkish firm with a province and a sector: not measured
            return np.full(len(out), np.nan)
    cell = lq.set_index(["region", "sector"])["lq"]
    keys = pd.MultiIndex.from_arrays([out["main_province"], out["main_sector"]])
    return cell.reindex(keys).to_numpy()


def _tie_growth(net, codes, k) -> np.ndarray:
    years = net.edges["year"].to_numpy(dtype=float)
    if np.isnan(years).all():
        return np.full(k, np.nan)
    last = np.nanmax(years)
    recent = years > last - RECENT_YEARS
    earlier = (years <= last - RECENT_YEARS) & (years > last - 2 * RECENT_YEARS)
    s = net.edges["source"].cat.codes.to_numpy().astype(np.int64)
    t = net.edges["target"].cat.codes.to_numpy().astype(np.int64)
    counts = []
    for window in (recent, earlier):
        cs, ct = codes[s[window]], codes[t[window]]
        both = np.concatenate([cs[cs >= 0], ct[(ct >= 0) & (ct != cs)]])
        counts.append(np.bincount(both, minlength=k).astype(float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts[1] > 0, counts[0] / counts[1] - 1, np.nan)


def _partners(net, codes, k, layer) -> np.ndarray:
    if layer not in net.layers:
        return np.full(k, np.nan)
    u, v, _, _ = net.ties(layer)
    cu, cv = codes[u], codes[v]
    return (np.bincount(cu[cu >= 0], minlength=k) + np.bincount(cv[cv >= 0], minlength=k)).astype(float)


def _tied_to(net, target: np.ndarray) -> np.ndarray:
    u, v, _, _ = net.ties()
    tied = np.zeros(net.n_nodes, bool)
    tied[u[target[v]]] = True
    tied[v[target[u]]] = True
    return tied


def _value_chain(net, codes, main_sector: pd.Series, k) -> np.ndarray:
    from kumenet.data.valuechain import MIN_LINK, link_strength, wiod_sector

    wiod, strength = link_strength()
    linked = strength >= MIN_LINK
    node_sector = wiod.get_indexer(wiod_sector(net.nodes["sector"]))
    domestic = (net.nodes["country"] == "TR").to_numpy()
    u, v, _, _ = net.ties()
    # present[g, s]: sector s held by a member of g or by a Turkish partner of one
    present = np.zeros((k, len(wiod)), bool)
    for a, b in ((u, v), (v, u)):
        take = (codes[a] >= 0) & domestic[b] & (node_sector[b] >= 0)
        present[codes[a][take], node_sector[b][take]] = True
    mine = (codes >= 0) & (node_sector >= 0)
    present[codes[mine], node_sector[mine]] = True
    main = wiod.get_indexer(wiod_sector(main_sector.astype(object)))
    out = np.full(k, np.nan)
    has = (main >= 0) & (linked[np.maximum(main, 0)].sum(axis=1) > 0)
    rows = np.flatnonzero(has)
    want = linked[main[rows]]
    out[rows] = (want & present[rows]).sum(axis=1) / want.sum(axis=1)
    return out


def normalise(values: pd.Series, how: str = "rank") -> pd.Series:
    """0-100 on the scale of the clusters given: percentile rank (ties averaged) or min-max.

    >>> normalise(pd.Series([1.0, 5.0, 3.0, None])).tolist()
    [0.0, 100.0, 50.0, nan]
    """
    valid = values.notna()
    out = pd.Series(np.nan, index=values.index)
    n = int(valid.sum())
    if n == 0:
        return out
    if how == "rank":
        out[valid] = (values[valid].rank(method="average") - 1) / (n - 1) * 100 if n > 1 else 50.0
    else:
        lo, hi = values[valid].min(), values[valid].max()
        out[valid] = (values[valid] - lo) / (hi - lo) * 100 if hi > lo else 50.0
    return out


def evaluate_clusters(net, by: str = "cluster", config: Config | str | Path | None = None,
                      seed: int = 0, lang: str = "en", labels: pd.Series | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score, rank, label and profile every cluster.

    Parameters
    ----------
    net : Network
        The network; its firms' province, sector, employees and exports are read.
    by : {"cluster", "community", "province-sector"}
        What a cluster is: the declared ``cluster`` column, the detected communities, or
        each province x NACE division group.
    config : Config, str or Path, optional
        The criteria, indicators and weights (default: the packaged national scale, see
        ``kumenet clusters config``).
    seed : int
        Seed of community detection (``by="community"``).
    lang : {"en", "tr"}
        The language of labels and profiles.
    labels : Series, optional
        Each node's cluster, given instead of ``by``.

    Returns
    -------
    (clusters, details) : DataFrames
        ``clusters``: one row per cluster, best first: ``rank``, ``cluster``, ``label``,
        ``score``, one column per criterion (0-100), ``firms``, ``main_province``,
        ``main_sector``, the raw indicators, ``missing`` (indicators without data) and
        ``profile`` (strengths and what to improve). ``details``: one row per cluster and
        indicator: ``criterion``, ``indicator``, ``value``, ``normalised``, ``weight`` (its
        share of the total score) and ``points`` (its contribution to the score).
        Labels (gold, silver, bronze) and profiles are written in ``lang`` (``tr``: altın,
        gümüş, bronz).

    >>> from kumenet.graph.io import read_network
    >>> ranking, details = evaluate_clusters(read_network('sample_networks/pilot'))
    >>> ranking[['rank', 'cluster', 'label']].values.tolist()[0]
    [1, 'Samsun tarım makineleri', 'gold']
    """
    check_lang(lang)
    if not isinstance(config, Config):
        config = load_config(config)
    if labels is None:  # each node's cluster (see cluster_labels), unless already found
        labels = cluster_labels(net, by, seed)
    raw = indicators(net, labels, config.min_firms)
    total_weight = sum(w for w, _ in config.criteria.values())
    rows = []
    for criterion, (cw, inds) in config.criteria.items():
        iw = sum(inds.values())
        for ind, w in inds.items():
            rows.append(pd.DataFrame({
                "cluster": raw["cluster"], "criterion": criterion, "indicator": ind,
                "value": raw[ind].to_numpy(dtype=float),
                "normalised": normalise(raw[ind].astype(float), config.normalisation).to_numpy(),
                "weight": (cw / total_weight) * (w / iw) if iw and total_weight else 0.0}))
    details = pd.concat(rows, ignore_index=True)
    details = details[details["weight"] > 0]
    have = details["normalised"].notna()
    # Missing indicators: their weight is shared among the cluster's measured ones.
    weight_have = details["weight"].where(have, 0.0)
    scale = weight_have.groupby(details["cluster"]).transform("sum")
    details["weight"] = np.where(have, weight_have / scale.replace(0, np.nan), 0.0)
    details["points"] = details["weight"] * details["normalised"].fillna(0)
    score = details.groupby("cluster", sort=False)["points"].sum()
    per_criterion = (details.assign(w=details["weight"])
                     .groupby(["cluster", "criterion"], sort=False)
                     .apply(lambda g: np.nan if g["w"].sum() == 0 else
                            float((g["w"] * g["normalised"].fillna(0)).sum() / g["w"].sum()),
                            include_groups=False)
                     .unstack())
    out = raw.copy()
    out["score"] = out["cluster"].map(score).round(1)
    for criterion in config.criteria:
        out[criterion] = out["cluster"].map(per_criterion[criterion]).round(1)
    out["label"] = terms("label", _label(out["score"], config.labels), lang)
    missing = details[~have].groupby("cluster")["indicator"].agg(", ".join)
    out["missing"] = out["cluster"].map(missing).astype(object).fillna("")
    out["profile"] = out["cluster"].map(_profiles(details, raw, lang))
    out = out.sort_values(["score", "cluster"], ascending=[False, True],
                          key=lambda s: s if s.name == "score" else s.map(sort_key))
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    lead = ["rank", "cluster", "label", "score", *config.criteria, "firms", "main_province",
            "main_sector"]
    rest = [c for c in out.columns if c not in lead and c not in ("missing", "profile")]
    out = out[lead + rest + ["missing", "profile"]].reset_index(drop=True)
    out.attrs.update(config=config.source, grouping=by)
    return out, details.reset_index(drop=True)


def parse_years(text: str) -> list[int]:
    """Years written as a range and/or a list: ``2019-2024``, ``2019,2021,2023``.

    >>> parse_years("2019-2022"), parse_years("2024, 2019-2020")
    ([2019, 2020, 2021, 2022], [2019, 2020, 2024])
    >>> parse_years("2022-2019")
    Traceback (most recent call last):
    ...
    kumenet.errors.KumenetError: years '2022-2019': a range goes from the earlier year to the later
    """
    years: set[int] = set()
    for part in str(text).replace(" ", "").split(","):
        found = re.fullmatch(r"(\d{4})(?:[-–](\d{4}))?", part)
        if not found:
            raise KumenetError(f"years {text!r}: write them as 2019-2024 or 2019,2021,2023")
        first, last = int(found[1]), int(found[2] or found[1])
        if last < first:
            raise KumenetError(f"years {text!r}: a range goes from the earlier year to the later")
        if last - first > 200:
            raise KumenetError(f"years {text!r}: at most 200 years")
        years.update(range(first, last + 1))
    return sorted(years)


def evaluate_years(net, years, by: str = "cluster", config: Config | str | Path | None = None,
                   seed: int = 0, lang: str = "en", back: int = 2) -> pd.DataFrame:
    """Every cluster scored for every year from the network as of that year.

    One row per year and cluster: the columns of :func:`evaluate_clusters` (a year's rows are
    exactly what it gives for the network as of that year), with ``year`` first, and the
    score's ``change`` against ``back`` years before with the ``label_before`` then (scored
    for that purpose where the data reaches it; empty when the cluster was not scored then). A year before the
    first dated tie is refused; with ``by="community"`` each year's communities are found
    anew, so a community's name may stand for other firms in another year.

    >>> from kumenet.graph.io import read_network
    >>> table = evaluate_years(read_network('sample_networks/pilot'), [2020, 2022])
    >>> table[table['cluster'] == 'Samsun tarım makineleri'][['year', 'label', 'score',
    ...                                                        'change']].values.tolist()
    [[2020, 'gold', 68.8, 2.3], [2022, 'gold', 69.6, 0.8]]
    """
    years = sorted({int(y) for y in years})
    if not years:
        raise KumenetError("no years to evaluate")
    net.check_as_of(years[0])
    if not isinstance(config, Config):
        config = load_config(config)
    fixed = None if by == "community" else cluster_labels(net, by, seed)
    span = net.years()
    # The years ``back`` before the asked ones are scored too where the data reaches them.
    earlier = {y - back for y in years if span is not None and y - back >= span[0]}
    tables = []
    for year in sorted(set(years) | earlier):  # a handful of years, each a whole evaluation
        table, _ = evaluate_clusters(net.select(as_of=year), by, config, seed, lang,
                                     labels=fixed)
        table.insert(0, "year", year)
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    before = out[["year", "cluster", "score", "label"]].assign(year=out["year"] + back)
    out = out.merge(before, on=["year", "cluster"], how="left", suffixes=("", "_before"))
    out = out[out["year"].isin(years)].reset_index(drop=True)
    out.insert(out.columns.get_loc("score") + 1, "change",
               (out["score"] - out.pop("score_before")).round(1))
    label_before = out.pop("label_before").astype(object)
    out.insert(out.columns.get_loc("change") + 1, "label_before",
               label_before.where(label_before.notna(), ""))
    out.attrs.update(config=config.source, grouping=by, back=back)
    return out


def _label(score: pd.Series, labels: list) -> pd.Series:
    out = pd.Series("-", index=score.index, dtype=object)
    for name, threshold in reversed(labels):  # lowest first; higher thresholds overwrite
        out[score >= threshold] = name
    return out


def _profiles(details: pd.DataFrame, raw: pd.DataFrame, lang: str = "en",
              shown: int = 2) -> pd.Series:
    """'strengths: ...; to improve: ...' for each cluster from its normalised indicators."""
    d = details[details["normalised"].notna()].copy()
    n = raw.shape[0]
    d["rank_of"] = d.groupby("indicator")["value"].rank(ascending=False, method="min").astype(int)
    # one text per indicator and cluster: a few hundred at most
    d["text"] = [message("eval.item", lang, indicator=message(f"indicator.{i}", lang),
                         value=message(f"value.{i}", lang, v=v), rank=r, n=n)
                 for i, v, r in zip(d["indicator"], d["value"], d["rank_of"])]
    d = d.sort_values(["cluster", "normalised", "indicator"])
    weakest = d[d["normalised"] < 50].groupby("cluster").head(shown)
    strongest = d[d["normalised"] >= 50].iloc[::-1].groupby("cluster").head(shown)
    improve = weakest.groupby("cluster")["text"].agg("; ".join)
    strong = strongest.groupby("cluster")["text"].agg("; ".join)
    clusters = pd.Index(raw["cluster"])
    s = strong.reindex(clusters).fillna("")
    w = improve.reindex(clusters).fillna("")
    s_head, s_tail = message("eval.strengths", lang, items="\0").split("\0")
    w_head, w_tail = message("eval.improve", lang, items="\0").split("\0")
    return pd.Series(np.where(s != "", s_head + s + s_tail, "") +
                     np.where((s != "") & (w != ""), " | ", "") +
                     np.where(w != "", w_head + w + w_tail, ""), index=clusters)
