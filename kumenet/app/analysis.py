"""One analysis of a network, computed once and shown everywhere.

:func:`analyse` answers the questions the demo, the report, the snapshot (and so the portal), the
maps and the toolkit briefs ask of a network: its overview, Leiden communities and their
names, node and province metrics, the cluster evaluation, the regional tables (the packaged
NUTS-2 employment table and the network's own specialisation) and the partner suggestions of
every actor. The result is frozen and remembers what made it, like a
:class:`~kumenet.graph.communities.Partition`; the pages render it and compute nothing again.

>>> from kumenet.graph.generate import generate
>>> from kumenet.graph.network import Network
>>> a = analyse(Network.from_frames(*generate(120, seed=1)), lang=("tr", "en"))
>>> a.parameters["langs"], a.partition.n_communities > 1
(('tr', 'en'), True)
>>> list(a.suggestions_in("en").columns[:4])
['source', 'source_name', 'target', 'target_name']
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.messages import LANGS, check_lang

__all__ = ["Analysis", "Regions", "analyse", "regions", "with_suggestions", "DATASET", "SUGGESTIONS_PER_SCOPE"]

#: The packaged regional table the analysis reads (Eurostat employment by NUTS-2 region).
DATASET = "tr-nuts2-employment"
#: Suggestions kept per actor and scope (intra-regional, interregional, international).
SUGGESTIONS_PER_SCOPE = 3
#: Candidates kept below the cut per actor and scope: what a learned re-ranker may bring up,
#: and where an exploratory slot is drawn from (the portal, with a workspace).
POOL_PER_SCOPE = 6
#: Potential sectors kept per region.
POTENTIAL_PER_REGION = 3


@dataclass(frozen=True)
class Regions:
    """The regional tables: the dataset's specialisation and potential in ``year``, and the
    network's own (each Turkish province's NACE divisions, employees or firms)."""

    dataset: str
    year: int
    specialisation: pd.DataFrame
    #: lang -> sectors each region could grow into (``rank`` 1..POTENTIAL_PER_REGION)
    potential: dict[str, pd.DataFrame]
    names: dict[str, str]
    own_specialisation: pd.DataFrame | None
    own_potential: dict[str, pd.DataFrame]
    own_value: str | None
    #: relatedness and complexity of the dataset's year and of the network's own table
    complexity: object = None
    own_complexity: object = None


@dataclass(frozen=True)
class Analysis:
    """Everything the pages show of one network (see :func:`analyse`)."""

    net: Network
    parameters: dict
    summary: dict[str, pd.DataFrame]
    partition: object
    #: lang -> a name per community (indexed by community number)
    community_names: dict[str, np.ndarray]
    metrics: pd.DataFrame
    provinces: pd.DataFrame
    #: lang -> (clusters, details) of the declared clusters; empty when there are none
    clusters: dict[str, tuple[pd.DataFrame, pd.DataFrame]]
    #: why the declared clusters could not be evaluated ("" when they were or there are none)
    clusters_missing: str
    regions: Regions
    suggestions: pd.DataFrame | None
    #: the next POOL_PER_SCOPE candidates of each actor and scope (ranks 4-9)
    suggestion_pool: pd.DataFrame | None = None
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def membership(self) -> np.ndarray:
        return np.asarray(self.partition.membership)

    def community_labels(self, lang: str) -> pd.Series:
        """Each node's community by its name, in ``lang``."""
        return pd.Series(self.community_names[lang][self.membership], dtype=object)

    def suggestions_in(self, lang: str, kind: str | None = "firm") -> pd.DataFrame:
        """The suggestions of actors of ``kind`` (None: every actor) with their reasons in
        ``lang`` (column ``reason``)."""
        if self.suggestions is None:
            raise KumenetError("this analysis was made without suggestions")
        table = self.suggestions
        if kind is not None:
            kinds = self.net.nodes["kind"].astype(object).to_numpy()
            source_kind = pd.Series(kinds, index=self.net.nodes["id"].astype(object).to_numpy())
            table = table[(table["source"].map(source_kind) == kind).to_numpy()]
        reasons = [f"reason_{la}" for la in self.parameters["langs"]]
        return (table.drop(columns=[c for c in reasons if c != f"reason_{lang}"])
                .rename(columns={f"reason_{lang}": "reason"}).reset_index(drop=True))

    def evaluation(self, lang: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """The declared clusters' evaluation in ``lang``, None without one."""
        return self.clusters.get(lang)

    def group_metrics(self, by: str) -> pd.DataFrame:
        """Group metrics of ``by`` (a node column), from this analysis's node metrics."""
        if by == "province":
            return self.provinces
        if by not in self._memo:
            from kumenet.graph.metrics import group_metrics

            self._memo[by] = group_metrics(self.net, by, metrics=self.metrics)
        return self._memo[by]


def analyse(net: Network, *, year: int | None = None, seed: int = 0,
            lang: str | tuple[str, ...] = "tr", suggestions: bool = True,
            dataset: str = DATASET, dataset_year: int | None = None,
            progress=None) -> Analysis:
    """The analysis of ``net`` (as it stood in ``year``, all of it by default).

    Parameters
    ----------
    net : Network
        The network.
    year : int, optional
        Only ties observed up to this year (the network as it stood then).
    seed : int
        Seed of community detection and of every sampled step: same seed, same analysis.
    lang : str or tuple of str
        One language or several (``("tr", "en")``): the names, labels and reasons are made
        in each.
    suggestions : bool
        ``False`` skips the partner suggestions (the longest step on a large network).
    dataset, dataset_year : str, int, optional
        The packaged regional table and its year (its last year by default).
    progress : callable, optional
        Wraps the steps' names, as ``tqdm`` would.

    Returns
    -------
    Analysis
        Everything the demo, the report, the portal and the briefs show, computed once.

    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), year=2020, suggestions=False)
    >>> a.parameters['year'], int(a.net.edges['year'].max()), a.suggestions is None
    (2020, 2020, True)
    >>> a.evaluation('tr')[0]['cluster'].iloc[0]
    'Samsun tarım makineleri'
    """
    from kumenet.graph.communities import communities, community_names, firm_layers
    from kumenet.graph.metrics import group_metrics, node_metrics
    from kumenet.graph.summary import summary

    langs = (lang,) if isinstance(lang, str) else tuple(lang)
    for la in langs:
        check_lang(la)
    if year is not None:
        net.check_as_of(year)
        net = net.select(as_of=year)
    steps = iter(progress(STEPS) if progress else STEPS)
    next(steps)
    tables = summary(net)
    next(steps)
    partition = communities(net, "leiden", layers=firm_layers(net), seed=seed)
    names = {la: community_names(net, np.asarray(partition.membership), la) for la in langs}
    next(steps)
    metrics = node_metrics(net, seed=seed)
    provinces = group_metrics(net, "province", metrics=metrics)
    next(steps)
    clusters, missing = _clusters(net, seed, langs)
    next(steps)
    regional = regions(net, dataset=dataset, year=dataset_year, langs=langs)
    next(steps)
    table, pool = _suggestions(net, seed, langs) if suggestions else (None, None)
    for _ in steps:
        pass
    return Analysis(net=net, parameters={"year": year, "seed": seed, "langs": langs,
                                         "dataset": dataset, "dataset_year": regional.year,
                                         "layers": partition.parameters.get("layers")},
                    summary=tables, partition=partition, community_names=names,
                    metrics=metrics, provinces=provinces, clusters=clusters,
                    clusters_missing=missing, regions=regional, suggestions=table,
                    suggestion_pool=pool)


STEPS = ("overview", "communities", "metrics", "clusters", "regions", "suggestions")


def with_suggestions(analysis: Analysis) -> Analysis:
    """``analysis`` with the partner suggestions it was made without (the toolkit checks a
    cluster's name first, then spends the time on them).

    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), suggestions=False, lang='en')
    >>> b = with_suggestions(a)
    >>> a.suggestions is None, b.suggestions_in('en')['scope'].nunique()
    (True, 3)
    """
    from dataclasses import replace

    if analysis.suggestions is not None:
        return analysis
    table, pool = _suggestions(analysis.net, analysis.parameters["seed"],
                               analysis.parameters["langs"])
    return replace(analysis, suggestions=table, suggestion_pool=pool, _memo=analysis._memo)


def _suggestions(net: Network, seed: int, langs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every actor's suggested partners, top SUGGESTIONS_PER_SCOPE per scope, with reasons in
    each of ``langs`` (``reason_tr``, ``reason_en``), and the next POOL_PER_SCOPE below."""
    from kumenet.matching.recommend import recommend_partners

    table = recommend_partners(net, None, k=SUGGESTIONS_PER_SCOPE + POOL_PER_SCOPE,
                               per_scope=True, seed=seed, source_kind="any", lang=langs)
    table = table.rename(columns={"reason": f"reason_{langs[0]}"})
    top = (table["rank"] <= SUGGESTIONS_PER_SCOPE).to_numpy()
    return table[top].reset_index(drop=True), table[~top].reset_index(drop=True)


def _clusters(net: Network, seed: int, langs) -> tuple[dict, str]:
    from kumenet.regional.evaluation import evaluate_clusters

    if "cluster" not in net.nodes or not net.nodes["cluster"].notna().any():
        return {}, ""
    out = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # indicators without data are named in the table
            for la in langs:
                out[la] = evaluate_clusters(net, "cluster", seed=seed, lang=la)
    except KumenetError as err:  # e.g. no cluster large enough
        return {}, str(err)
    return out, ""


def regions(net: Network, *, dataset: str = DATASET, year: int | None = None,
            langs=LANGS) -> Regions:
    """The regional tables of ``dataset`` in ``year`` (its last year by default) and the
    network's own specialisation, with the potential sectors in each of ``langs``.

    >>> from kumenet.graph.io import read_network
    >>> r = regions(read_network('sample_networks/pilot'), year=2015, langs=('en',))
    >>> r.year, r.own_value, sorted(r.potential)
    (2015, 'employees', ['en'])
    """
    from kumenet.regional.complexity import complexity, potential
    from kumenet.regional.specialisation import specialisation
    from kumenet.regional.table import load_dataset

    table = load_dataset(dataset)
    year = table.years[-1] if year is None else year
    if year not in table.years:
        raise KumenetError(f"{dataset} has no year {year}; its years are "
                           f"{table.years[0]}-{table.years[-1]}")
    spec = specialisation(table, year)
    cx = complexity(table, year)
    grow = {la: potential(cx, top=POTENTIAL_PER_REGION, lang=la) for la in langs}
    own, own_grow, value, own_cx = _own(net, langs)
    return Regions(dataset=dataset, year=year, specialisation=spec, potential=grow,
                   names=table.names("region"), own_specialisation=own,
                   own_potential=own_grow, own_value=value, complexity=cx,
                   own_complexity=own_cx)


def _own(net: Network, langs) -> tuple[pd.DataFrame | None, dict, str | None, object]:
    """Each Turkish province's specialisation among the network's own firms (employees by
    NACE division; firms where no head count is known) and the divisions it could grow into."""
    from kumenet.regional.complexity import complexity, potential
    from kumenet.regional.specialisation import specialisation
    from kumenet.regional.table import from_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # firms without a head count
        try:
            value = "employees" if net.nodes.get("employees") is not None and \
                net.nodes["employees"].notna().any() else "firms"
            table = from_network(net, "province", "division", value)
            spec = specialisation(table)
            cx = complexity(table)
            grow = {la: potential(cx, top=POTENTIAL_PER_REGION, lang=la) for la in langs}
        except (KumenetError, ValueError, ZeroDivisionError):  # too few firms or sectors
            return None, {}, None, None
    return spec, grow, value, cx
