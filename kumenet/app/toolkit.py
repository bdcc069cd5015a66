"""The clustering toolkit, written for one cluster from the data: a brief in five sections.

The programme's guides (identify a cluster, activate it, govern it, take it across regions and
borders, write its business plan) exist as static text; :func:`build_brief` fills each of
them in for a cluster of the network, from one :class:`~kumenet.app.analysis.Analysis`:

1. ``identification``: size, growth, specialisation (LQ and stars), complexity and relatedness,
   the sectors it could grow into, its place on the national evaluation's four criteria;
2. ``activation``: anchor firms, brokers, the institutions already tied to members, the best
   introductions inside the cluster with their reasons, the value-chain gaps of its province;
3. ``governance``: membership against the programme's minimums, a balanced board shortlist,
   what a legal cluster entity still needs;
4. ``international``: provinces specialised in the same or related sectors, the members' ties
   abroad by country, the best international suggestions;
5. ``business-plan``: the baseline of the indicators the plan is judged on, five-year targets
   to fill in, and the actions drawn from sections 2-4.

Each section says which data it rests on and what is missing. Every word comes from the
message catalogue (``toolkit.*``), in Turkish by default. :mod:`kumenet.viz.brief` draws a
brief as HTML (printable on A4) or as an editable Word document; :func:`write_brief` also
writes its tables as a workbook.

>>> from kumenet.app.analysis import analyse
>>> from kumenet.graph.generate import generate
>>> from kumenet.graph.network import Network
>>> a = analyse(Network.from_frames(*generate(300, seed=2)), lang="en")
>>> name = cluster_names(a, "cluster")[0]
>>> [p.key for p in build_brief(a, name, lang="en").parts]
['identification', 'activation', 'governance', 'international', 'business-plan']
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.app.analysis import Analysis
from kumenet.errors import KumenetError
from kumenet.messages import MESSAGES, check_lang, country_name, number, term, terms, text

__all__ = ["SECTIONS", "Brief", "Part", "build_brief", "cluster_names", "find_cluster", "labels_of", "write_brief",
           "REQUIREMENTS", "BOARD_SEATS"]

SECTIONS = ("identification", "activation", "governance", "international", "business-plan")
#: The Kümelenme Destek Programı's minimums for a cluster's legal entity: subtype -> count
#: (firms: committed member firms).
REQUIREMENTS = {"firms": 20, "chamber": 1, "university": 1}
#: Firms on the board shortlist (plus one seat each for the chamber and the university most
#: tied to the members, when there are).
BOARD_SEATS = 7
#: Institutions a cluster convenes, in the order the activation guide names them.
CONVENE = ("chamber", "university", "industrial_zone", "technopark", "exporters_union",
           "development_agency", "research_organisation", "cluster_centre")
#: Size classes by employees (EU SME definition): upper bounds, exclusive.
SIZES = (("micro", 10), ("small", 50), ("medium", 250), ("large", np.inf))
TOP = 10
#: WIOD sectors c1-c16 produce goods (agriculture, mining, manufacturing): the value-chain check
#: looks at them only.
GOODS = 16


@dataclass(frozen=True)
class Part:
    """One section of a brief: facts (label, value), tables (caption, frame, formats),
    bullet points, the data it rests on and what is missing."""

    key: str
    title: str
    intro: str
    facts: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    points: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    chart: str = ""


@dataclass(frozen=True)
class Brief:
    """A cluster's brief: its five parts, in ``lang``."""

    cluster: str
    by: str
    lang: str
    title: str
    subtitle: str
    parts: list

    def to_json(self) -> str:
        """The brief as JSON (its tables as columns and rows): the snapshot keeps it, the
        portal draws it again with :meth:`from_json`."""
        import json

        def table(caption, frame, formats):
            rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
            return {"caption": caption, "columns": [str(c) for c in frame.columns],
                    "rows": rows, "formats": formats}

        parts = [{"key": p.key, "title": p.title, "intro": p.intro,
                  "facts": [list(f) for f in p.facts], "points": p.points, "sources": p.sources,
                  "missing": p.missing, "chart": p.chart,
                  "tables": [table(*t) for t in p.tables]} for p in self.parts]
        return json.dumps({"cluster": self.cluster, "by": self.by, "lang": self.lang,
                           "title": self.title, "subtitle": self.subtitle, "parts": parts},
                          ensure_ascii=False, default=_plain)

    @classmethod
    def from_json(cls, data: str) -> "Brief":
        import json

        raw = json.loads(data)
        parts = [Part(key=p["key"], title=p["title"], intro=p["intro"],
                      facts=[tuple(f) for f in p["facts"]], points=p["points"],
                      sources=p["sources"], missing=p["missing"], chart=p["chart"],
                      tables=[(t["caption"], pd.DataFrame(t["rows"], columns=t["columns"])
                               .infer_objects(), t["formats"]) for t in p["tables"]])
                 for p in raw["parts"]]
        return cls(cluster=raw["cluster"], by=raw["by"], lang=raw["lang"], title=raw["title"],
                   subtitle=raw["subtitle"], parts=parts)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the brief by a sheet name (facts first), headers in ``lang``."""
        out = {}
        for i, part in enumerate(self.parts, 1):
            if part.facts:
                out[_sheet(f"{i} {part.title}")] = pd.DataFrame(
                    part.facts, columns=[text("toolkit.fact", self.lang),
                                         text("toolkit.value", self.lang)])
            for j, (caption, frame, _) in enumerate(part.tables, 1):
                out[_sheet(f"{i}.{j} {caption}")] = frame.rename(
                    columns=lambda c: _header(c, self.lang))
        return out


def _sheet(name: str) -> str:
    """A workbook sheet name: without the characters Excel refuses, at most 31 long (the
    numbers in front keep them apart)."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip()


def _plain(value):
    """numpy numbers as JSON numbers."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _header(column: str, lang: str) -> str:
    key = f"col.{column}"
    return text(key, lang) if key in MESSAGES and MESSAGES[key][0] else column


def cluster_names(analysis: Analysis, by: str = "cluster") -> list[str]:
    """The clusters a brief can be written for, best evaluated first.

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), suggestions=False)
    >>> cluster_names(a)[:2], len(cluster_names(a, 'province-sector')) > 5
    (['Samsun tarım makineleri', 'Gaziantep plastik'], True)
    """
    return _evaluation(analysis, by, analysis.parameters["langs"][0])[0]["cluster"].tolist()


def find_cluster(labels: pd.Series, cluster: str, by: str = "cluster") -> str:
    """The name of the cluster ``cluster`` designates among ``labels`` (each node's cluster,
    :func:`kumenet.regional.evaluation.cluster_labels`; case, spaces and Turkish letters as
    people type them), or an error with the names it may have meant, largest first.

    >>> find_cluster(pd.Series(["Çorum leblebi", None, "Gaziantep plastik"]), "corum LEBLEBİ")
    'Çorum leblebi'
    """
    from kumenet.text import fold, suggestion

    counts = labels.dropna().astype(str).value_counts()
    names = pd.Series(counts.index, dtype=object)
    hit = names[names.map(fold) == fold(cluster)]
    if hit.empty:
        raise KumenetError(f"no cluster {cluster!r}{suggestion(cluster, names.tolist())}; "
                           f"the clusters ({by}) are {', '.join(names.head(12))}"
                           + (" ..." if len(names) > 12 else ""))
    return hit.iloc[0]


def _evaluation(analysis: Analysis, by: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national evaluation of every cluster of ``by`` (computed once per analysis)."""
    from kumenet.regional.evaluation import evaluate_clusters

    if by == "cluster" and analysis.evaluation(lang) is not None:
        return analysis.evaluation(lang)
    key = ("evaluation", by, lang)
    if key not in analysis._memo:
        if by == "cluster" and analysis.clusters_missing:
            raise KumenetError(analysis.clusters_missing)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # indicators without data are named in the brief
            analysis._memo[key] = evaluate_clusters(analysis.net, by,
                                                    seed=analysis.parameters["seed"], lang=lang,
                                                    labels=labels_of(analysis, by))
    return analysis._memo[key]


def labels_of(analysis: Analysis, by: str) -> pd.Series:
    """Each node's cluster of ``by`` (computed once per analysis).

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), suggestions=False)
    >>> int(labels_of(a, 'cluster').value_counts()['Gaziantep plastik'])
    43
    """
    from kumenet.regional.evaluation import cluster_labels

    key = ("labels", by)
    if key not in analysis._memo:
        if by == "community" and "tr" in analysis.community_names:
            # the analysis's own communities, named as cluster_labels names them (Turkish)
            firms = (analysis.net.nodes["kind"] == "firm").to_numpy()
            analysis._memo[key] = analysis.community_labels("tr").where(firms, None)
        else:
            analysis._memo[key] = cluster_labels(analysis.net, by,
                                                 seed=analysis.parameters["seed"])
    return analysis._memo[key]


def build_brief(analysis: Analysis, cluster: str, by: str = "cluster",
                lang: str = "tr") -> Brief:
    """The toolkit brief of ``cluster`` (a name of :func:`cluster_names`; case, spaces and
    Turkish letters as people type them) in ``lang``.

    Parameters
    ----------
    analysis : Analysis
        The network's analysis (:func:`~kumenet.app.analysis.analyse`), with suggestions
        for the introductions the brief proposes.
    cluster : str
        The cluster's name as people type it ("did you mean" when it is not one).
    by : {"cluster", "community", "province-sector"}
        What a cluster is, as :func:`~kumenet.regional.evaluation.evaluate_clusters` takes
        it.
    lang : {"tr", "en"}
        The brief's language.

    Returns
    -------
    Brief
        Its five parts (identification, activation, governance, interregional and
        international, business plan) and their tables.

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), lang='en')
    >>> brief = build_brief(a, 'gaziantep PLASTİK', lang='en')
    >>> brief.title
    'Gaziantep plastik: cluster toolkit brief'
    >>> [p.title for p in brief.parts][:3]
    ['Cluster identification', 'Cluster activation', 'Cluster governance']
    """
    check_lang(lang)
    table, details = _evaluation(analysis, by, lang)
    name = find_cluster(labels_of(analysis, by), cluster, by)
    row = table[table["cluster"] == name]
    if row.empty:  # a cluster too small to be evaluated
        from kumenet.regional.evaluation import load_config

        raise KumenetError(f"{name!r} has fewer than {load_config().min_firms} firms: the "
                           "national evaluation, and so the brief, needs more")
    row = row.iloc[0]
    c = _Cluster(analysis, by, str(row["cluster"]), row,
                 details[details["cluster"] == row["cluster"]], len(table), lang)
    parts = [_identification(c), _activation(c), _governance(c), _international(c)]
    parts.append(_business_plan(c, parts))
    title = text("toolkit.title", lang, cluster=c.name)
    subtitle = text("toolkit.subtitle", lang, firms=c.n_firms,
                    province=c.province or c.country or "-", sector=c.sector_title or "-")
    return Brief(cluster=c.name, by=by, lang=lang, title=title, subtitle=subtitle, parts=parts)


class _Cluster:
    """What every section reads: the members, their ties and the evaluation row."""

    def __init__(self, analysis, by, name, row, details, n_clusters, lang):
        from kumenet.data.sectors import sector_titles

        self.a, self.by, self.name, self.row, self.details = analysis, by, name, row, details
        self.n_clusters, self.lang = n_clusters, lang
        net = analysis.net
        self.nodes = net.nodes
        labels = labels_of(analysis, by)
        self.member = (labels == name).fillna(False).to_numpy(dtype=bool)
        self.n_firms = int(self.member.sum())
        self.province = None if pd.isna(row["main_province"]) else str(row["main_province"])
        self.sector = None if pd.isna(row["main_sector"]) else str(row["main_sector"])
        titles = sector_titles("division", lang)
        self.sector_title = (f"{self.sector} {titles.get(self.sector, '')}".strip()
                             if self.sector else None)
        self.titles = titles
        countries = self.nodes["country"].astype(object)[self.member].dropna()
        self.country = (country_name(countries.value_counts().index[0], lang)
                        if len(countries) else None)
        u, v, _, _ = net.ties()
        self.u, self.v = u, v
        kinds = self.nodes["kind"].astype(object).to_numpy()
        self.institution = kinds == "institution"
        self.has_years = net.years() is not None
        emp = self.nodes["employees"] if "employees" in self.nodes else None
        self.employees = (emp.astype("float64").to_numpy() if emp is not None
                          else np.full(net.n_nodes, np.nan))

    def T(self, key, **values):  # noqa: N802 - the brief's words
        return text(f"toolkit.{key}", self.lang, **values)

    @cached_property
    def neighbours(self) -> pd.DataFrame:
        """Every tie of a member: ``member``, ``other`` (node positions)."""
        m = self.member
        a = np.concatenate([self.u[m[self.u]], self.v[m[self.v]]])
        b = np.concatenate([self.v[m[self.u]], self.u[m[self.v]]])
        return pd.DataFrame({"member": a, "other": b})

    @cached_property
    def suggestions(self) -> pd.DataFrame:
        """The members' suggested partners (every scope), reasons in the brief's language."""
        if self.a.suggestions is None:
            return pd.DataFrame(columns=["source", "target", "scope", "score", "strength",
                                         "reason", "source_name", "target_name"])
        table = self.a.suggestions_in(self.lang, kind=None)
        ids = self.nodes["id"].astype(object).to_numpy()
        return table[table["source"].isin(ids[self.member])].reset_index(drop=True)

    @cached_property
    def institutions(self) -> tuple[pd.DataFrame, set]:
        return _institutions(self)

    @cached_property
    def wiod(self) -> np.ndarray:
        """Each node's WIOD sector (one lookup per network)."""
        from kumenet.data.valuechain import wiod_sector

        memo = self.a._memo
        if "wiod" not in memo:
            memo["wiod"] = wiod_sector(self.nodes["sector"]).to_numpy(dtype=object)
        return memo["wiod"]

    def value(self, indicator: str) -> str:
        v = self.row.get(indicator)
        if v is None or pd.isna(v):
            return self.T("unknown")
        return text(f"value.{indicator}", self.lang, v=v)


def _size_class(employees: np.ndarray) -> np.ndarray:
    out = np.full(len(employees), "unknown", dtype=object)
    low = 0.0
    for name, high in SIZES:
        out[(employees >= low) & (employees < high)] = name
        low = high
    return out


def _member_table(c: _Cluster, rows: np.ndarray, extra: dict) -> pd.DataFrame:
    nodes = c.nodes
    out = pd.DataFrame({
        "name": nodes["name"].astype(str).to_numpy()[rows],
        "province": nodes["province"].astype(object).to_numpy()[rows],
        "sector": nodes["sector"].astype(object).to_numpy()[rows],
    })
    for col, values in extra.items():
        out[col] = np.asarray(values)[rows]
    return out


# -- 1. identification ----------------------------------------------------------------------

def _identification(c: _Cluster) -> Part:
    from kumenet.viz.charts import province_map

    row, lang = c.row, c.lang
    facts = [(c.T("members"), number(c.n_firms, lang)),
             (c.T("employees"), "-" if pd.isna(row.get("employees")) else
              number(row["employees"], lang)),
             (c.T("main_province"), c.province or c.T("abroad_in", country=c.country)
              if c.province or c.country else "-"),
             (c.T("main_sector"), c.sector_title or "-"),
             (c.T("evaluation"), c.T("evaluation_value", rank=int(row["rank"]), n=c.n_clusters,
                                     score=number(row["score"], lang, 1),
                                     label=term("label", row["label"], lang))),
             (c.T("growth"), c.value("tie_growth")),
             (c.T("lq"), c.value("specialisation"))]
    missing = []
    own = _own_row(c)
    if own is not None:
        facts.append((c.T("stars"), c.T("stars_value", stars=int(own["stars"]),
                                         which=_which_stars(c, own))))
    cx = c.a.regions.own_complexity if c.a.regions else None
    if cx is not None and c.province in set(cx.regions) and c.sector in set(cx.sectors):
        r, s = cx.regions.get_loc(c.province), cx.sectors.get_loc(c.sector)
        facts.append((c.T("eci"), c.T("eci_value", eci=number(cx.eci[r], lang, 2),
                                      pci=number(cx.pci[s], lang, 2),
                                      density=number(cx.density[r, s], lang, 2))))
    nuts = _nuts2_row(c)
    if nuts is not None:
        facts.append((c.T("region_lq", region=nuts["region"], year=c.a.regions.year),
                      c.T("region_lq_value", group=nuts["sector"], lq=number(nuts["lq"], lang, 2),
                          stars=int(nuts["stars"]))))
    criteria = pd.DataFrame({
        "criterion": [text(f"criterion.{k}", lang) for k in CRITERIA],
        "points": [float(row[k]) if k in row and pd.notna(row[k]) else np.nan
                   for k in CRITERIA]})
    tables = [(c.T("criteria"), criteria, {"points": "{:.1f}"})]
    grow = _potential(c)
    if len(grow):
        tables.append((c.T("potential", province=c.province), grow, {"density": "{:.2f}"}))
    else:
        missing.append(c.T("no_potential") if c.province else c.T("no_province"))
    for name in str(row.get("missing") or "").split(","):
        if name.strip() and f"indicator.{name.strip()}" in MESSAGES:
            missing.append(c.T("missing_indicator",
                               indicator=text(f"indicator.{name.strip()}", lang)))
    if not c.has_years:
        missing.append(c.T("no_years"))
    counts = c.nodes.loc[c.member & (c.nodes["country"] == "TR").to_numpy(), "province"]
    chart = province_map(counts.value_counts(), c.T("map_title"), text("col.firms", lang),
                         lang=lang) if counts.notna().any() else ""
    return Part("identification", c.T("identification"), c.T("identification_intro"),
                facts=facts, tables=tables, sources=[c.T("source_network"),
                                                     c.T("source_evaluation"),
                                                     c.T("source_eurostat",
                                                         year=c.a.regions.year)],
                missing=missing, chart=chart)


CRITERIA = ("economic_impact", "demand", "networking", "factor_conditions")


def _own_row(c: _Cluster):
    spec = c.a.regions.own_specialisation if c.a.regions else None
    if spec is None or c.province is None or c.sector is None:
        return None
    hit = spec[(spec["region"] == c.province) & (spec["sector"] == c.sector)]
    return None if hit.empty else hit.iloc[0]


def _which_stars(c: _Cluster, own) -> str:
    names = [c.T(f"star_{k}") for k in ("size", "specialisation", "focus") if bool(own[f"{k}_star"])]
    return ", ".join(names) if names else c.T("none")


def _nuts2_row(c: _Cluster):
    """The Eurostat sector group of the cluster's main sector in its main province's region."""
    from kumenet.data.sectors import sector_codes
    from kumenet.graph.geography import region_codes

    if c.province is None or c.sector is None or c.a.regions is None:
        return None
    region = region_codes(pd.DataFrame({"country": ["TR"], "province": [c.province]}),
                          "nuts2").iloc[0]
    section = sector_codes(pd.Series([c.sector]), "section").iloc[0]
    spec = c.a.regions.specialisation
    spec = spec[spec["region"] == region]
    for _, r in spec.iterrows():  # ten sector groups of one region
        if section is not None and section in _letters(str(r["sector"])):
            return r
    return None


def _letters(group: str) -> set[str]:
    """'B-E' -> {B, C, D, E}; 'M_N' -> {M, N}; 'C' -> {C}."""
    if "-" in group and len(group) == 3:
        return {chr(x) for x in range(ord(group[0]), ord(group[2]) + 1)}
    return set(group.replace("_", ""))


def _potential(c: _Cluster) -> pd.DataFrame:
    grow = (c.a.regions.own_potential or {}).get(c.lang) if c.a.regions else None
    if grow is None or c.province is None:
        return pd.DataFrame()
    rows = grow[grow["region"] == c.province]
    return pd.DataFrame({"rank": rows["rank"].to_numpy(),
                         "sector": (rows["sector"] + " " + rows["sector"].map(c.titles)
                                    .fillna(rows["sector_name"])).to_numpy(),
                         "density": rows["density"].to_numpy(),
                         "reason": rows["reason"].to_numpy()})


# -- 2. activation --------------------------------------------------------------------------

def _activation(c: _Cluster) -> Part:
    lang, m = c.lang, c.a.metrics
    members = np.flatnonzero(c.member)
    degree = m["degree"].to_numpy()
    emp = np.nan_to_num(c.employees, nan=-1)
    order = members[np.lexsort((-m["pagerank"].to_numpy()[members], -degree[members],
                                -emp[members]))][:5]
    anchors = _member_table(c, order, {"employees": c.employees, "degree": degree})
    brokerage = m["brokerage"].to_numpy()
    names = c.a.community_labels(lang).to_numpy()
    order = members[np.argsort(-brokerage[members], kind="stable")]
    order = order[brokerage[order] > 0][:5]
    brokers = _member_table(c, order, {"community": names, "brokerage": brokerage})
    tables = [(c.T("anchors"), anchors, {"employees": "{:,.0f}", "degree": "{:,.0f}"})]
    missing = []
    if len(brokers):
        tables.append((c.T("brokers"), brokers, {"brokerage": "{:,.0f}"}))
    else:
        missing.append(c.T("no_brokers"))
    inst, kinds = c.institutions
    if len(inst):
        tables.append((c.T("institutions"), inst, {}))
    else:
        missing.append(c.T("no_institutions"))
    wins = _quick_wins(c)
    if len(wins):
        tables.append((c.T("quick_wins"), wins, {"score": "{:.3f}"}))
    else:
        missing.append(c.T("no_quick_wins"))
    gaps, note = _value_chain(c)
    if note:
        missing.append(note)
    if len(gaps):
        tables.append((c.T("value_chain", province=c.province), gaps, {"input_share": "{:.0%}"}))
        missing.append(c.T("goods_only"))
    points = [c.T("convene", names=", ".join(anchors["name"].head(3)))] if len(anchors) else []
    absent = [term("subtype", s, lang) for s in CONVENE[:6] if s not in kinds]
    if absent:
        points.append(c.T("absent_institutions", kinds=", ".join(absent)))
    lacking = gaps[gaps["gap"] == term("bool", True, lang)] if len(gaps) else gaps
    if len(lacking):
        points.append(c.T("gaps", sectors="; ".join(lacking["sectors"].head(4))))
    return Part("activation", c.T("activation"), c.T("activation_intro"), tables=tables,
                points=points, sources=[c.T("source_network"), c.T("source_metrics"),
                                        c.T("source_suggestions"), c.T("source_io")],
                missing=missing)


def _institutions(c: _Cluster) -> tuple[pd.DataFrame, set]:
    """The institutions tied to members (most members first) and the subtypes among them."""
    pairs = c.neighbours
    pairs = pairs[c.institution[pairs["other"].to_numpy()]].drop_duplicates()
    if pairs.empty:
        return pd.DataFrame(), set()
    tied = pairs.groupby("other")["member"].nunique().sort_values(ascending=False, kind="stable")
    rows = tied.index.to_numpy()
    subtype = (c.nodes["subtype"].astype(object).to_numpy() if "subtype" in c.nodes
               else np.full(len(c.nodes), None, dtype=object))
    out = pd.DataFrame({"name": c.nodes["name"].astype(str).to_numpy()[rows],
                        "subtype": terms("subtype", subtype[rows], c.lang),
                        "province": c.nodes["province"].astype(object).to_numpy()[rows],
                        "members": tied.to_numpy()})
    out = out.sort_values(["members", "name"], ascending=[False, True], kind="stable")
    return out.head(TOP).reset_index(drop=True), set(pd.unique(subtype[rows]))


def _quick_wins(c: _Cluster) -> pd.DataFrame:
    from kumenet.viz.report import stars

    sug = c.suggestions
    ids = c.nodes["id"].astype(object).to_numpy()
    inside = sug[sug["target"].isin(ids[c.member])]
    if inside.empty:
        return pd.DataFrame()
    src = inside["source"].astype(str).to_numpy(dtype=object)
    dst = inside["target"].astype(str).to_numpy(dtype=object)
    pair = np.where(src < dst, src + "\x1f" + dst, dst + "\x1f" + src)
    best = (inside.assign(pair=pair)
            .sort_values(["strength", "score", "source_name"], ascending=[False, False, True],
                         kind="stable")
            .drop_duplicates("pair").head(TOP))
    return pd.DataFrame({"source_name": best["source_name"].to_numpy(),
                         "target_name": best["target_name"].to_numpy(),
                         "strength": stars(best["strength"].to_numpy()),
                         "score": best["score"].to_numpy(),
                         "reason": best["reason"].to_numpy()})


def _value_chain(c: _Cluster) -> tuple[pd.DataFrame, str]:
    """Supplier and buyer sectors of the main sector (Turkey's input-output table, input share
    at least MIN_LINK), with the firms the main province and Turkey have in each."""
    from kumenet.data.valuechain import MIN_LINK, io_table, wiod_sector

    if c.sector is None or c.province is None:
        return pd.DataFrame(), c.T("no_sector")
    main = wiod_sector(pd.Series([c.sector])).iloc[0]
    flows = io_table()
    if pd.isna(main) or main not in set(flows["supplier"]) | set(flows["buyer"]):
        return pd.DataFrame(), c.T("no_io", sector=c.sector_title)
    goods = {f"c{i}" for i in range(1, GOODS + 1)}  # WIOD c1-c16
    strong = flows[(flows["input_share"] >= MIN_LINK) & (flows["supplier"] != flows["buyer"])]
    supplies = strong[(strong["buyer"] == main) & strong["supplier"].isin(goods)]
    buys = strong[(strong["supplier"] == main) & strong["buyer"].isin(goods)]
    frame = pd.concat([
        pd.DataFrame({"wiod": supplies["supplier"], "direction": "supplier",
                      "input_share": supplies["input_share"]}),
        pd.DataFrame({"wiod": buys["buyer"], "direction": "buyer",
                      "input_share": buys["input_share"]})], ignore_index=True)
    if frame.empty:
        return pd.DataFrame(), c.T("no_links")
    nodes = c.nodes
    firm = (nodes["kind"] == "firm").to_numpy() & (nodes["country"] == "TR").to_numpy()
    sector = c.wiod
    here = firm & (nodes["province"].astype(object) == c.province).to_numpy()
    in_province = pd.Series(sector[here]).value_counts()
    in_turkey = pd.Series(sector[firm]).value_counts()
    divisions = _divisions_of_wiod(c.lang)
    frame["sectors"] = frame["wiod"].map(divisions).fillna(frame["wiod"])
    frame["firms_province"] = frame["wiod"].map(in_province).fillna(0).astype("int64")
    frame["firms_turkey"] = frame["wiod"].map(in_turkey).fillna(0).astype("int64")
    frame["gap"] = terms("bool", (frame["firms_province"] == 0).to_numpy(), c.lang)
    frame["direction"] = [c.T(f"direction_{d}") for d in frame["direction"]]
    frame = frame.sort_values(["firms_province", "input_share"], ascending=[True, False],
                              kind="stable")
    return frame[["direction", "sectors", "input_share", "firms_province", "firms_turkey",
                  "gap"]].reset_index(drop=True), ""


@lru_cache(maxsize=2)
def _divisions_of_wiod(lang: str) -> dict[str, str]:
    """WIOD sector -> its NACE divisions with their titles in ``lang`` ('13 Tekstil...; 14
    ...'), the first three."""
    from kumenet.data.sectors import sector_titles
    from kumenet.data.valuechain import wiod_divisions

    titles = sector_titles("division", lang)
    return {wiod: "; ".join(f"{d} {titles.get(d, '')}".strip() for d in codes[:3])
            + (" ..." if len(codes) > 3 else "") for wiod, codes in wiod_divisions().items()}


# -- 3. governance --------------------------------------------------------------------------

def _governance(c: _Cluster) -> Part:
    lang = c.lang
    members = np.flatnonzero(c.member)
    sizes = _size_class(c.employees[members])
    size_table = pd.DataFrame({"size_class": [c.T(f"size_{k}") for k, _ in SIZES]
                               + [c.T("size_unknown")],
                               "firms": [int((sizes == k).sum()) for k, _ in SIZES]
                               + [int((sizes == "unknown").sum())]})
    size_table = size_table[size_table["firms"] > 0]
    division = c.nodes["sector"].astype(object).str[:2].to_numpy()[members]
    by_sector = pd.Series(division).value_counts().head(5)
    sector_table = pd.DataFrame({"sector": [f"{d} {c.titles.get(d, '')}".strip()
                                            for d in by_sector.index],
                                 "firms": by_sector.to_numpy()})
    by_province = c.nodes["province"].astype(object).to_numpy()[members]
    province_table = pd.Series(by_province).value_counts().head(5).rename_axis("province") \
        .reset_index(name="firms")
    _, subtypes = c.institutions
    tied = c.neighbours
    tied = tied[c.institution[tied["other"].to_numpy()]]["other"].unique()
    subtype = (c.nodes["subtype"].astype(object).to_numpy() if "subtype" in c.nodes
               else np.full(len(c.nodes), None, dtype=object))
    present = {"firms": c.n_firms, "chamber": int((subtype[tied] == "chamber").sum()),
               "university": int((subtype[tied] == "university").sum())}
    rules = pd.DataFrame({
        "requirement": [c.T(f"requirement_{k}") for k in REQUIREMENTS],
        "required": list(REQUIREMENTS.values()),
        "present": [present[k] for k in REQUIREMENTS],
        "met": terms("bool", [present[k] >= REQUIREMENTS[k] for k in REQUIREMENTS], lang)})
    board = _board(c, members, sizes, division, subtype, tied)
    points = [c.T(f"lacks_{k}", n=REQUIREMENTS[k] - present[k], need=REQUIREMENTS[k])
              for k in REQUIREMENTS if present[k] < REQUIREMENTS[k]]
    points += [c.T("legal_entity"), c.T("plan_needed")]
    missing = [] if subtypes else [c.T("no_institutions")]
    if np.isnan(c.employees[members]).all():
        missing.append(c.T("no_employees"))
    tables = [(c.T("requirements"), rules, {}), (c.T("board"), board, {}),
              (c.T("by_size"), size_table, {}), (c.T("by_sector"), sector_table, {}),
              (c.T("by_province"), province_table, {})]
    return Part("governance", c.T("governance"), c.T("governance_intro"), tables=tables,
                points=points, sources=[c.T("source_network"), c.T("source_programme")],
                missing=missing)


def _board(c: _Cluster, members, sizes, division, subtype, tied) -> pd.DataFrame:
    """A balanced shortlist: the most central members, each new seat preferring a sector,
    size class and province not yet on the board; then the chamber and the university most
    tied to the members."""
    pr = c.a.metrics["pagerank"].to_numpy()[members]
    rank = pd.Series(pr).rank(pct=True).to_numpy()
    province = c.nodes["province"].astype(object).to_numpy()[members]
    chosen, why = [], []
    taken = {"sector": set(), "size": set(), "province": set()}
    for _ in range(min(BOARD_SEATS, len(members))):  # seven seats: a greedy choice
        fresh = (~np.isin(division, list(taken["sector"])) * 0.5
                 + ~np.isin(sizes, list(taken["size"])) * 0.3
                 + ~np.isin(province, list(taken["province"])) * 0.2)
        score = rank + fresh
        score[chosen] = -np.inf
        best = int(np.argmax(score))
        new = [k for k, v in (("sector", division[best]), ("size", sizes[best]),
                              ("province", province[best])) if v not in taken[k]]
        why.append(c.T("seat_central") if not chosen else
                   c.T("seat_diverse", what=", ".join(c.T(f"seat_{k}") for k in new))
                   if new else c.T("seat_central"))
        chosen.append(best)
        taken["sector"].add(division[best])
        taken["size"].add(sizes[best])
        taken["province"].add(province[best])
    rows = members[chosen]
    out = pd.DataFrame({"name": c.nodes["name"].astype(str).to_numpy()[rows],
                        "kind": terms("kind", c.nodes["kind"].astype(object).to_numpy()[rows],
                                      c.lang),
                        "province": c.nodes["province"].astype(object).to_numpy()[rows],
                        "size_class": [c.T(f"size_{s}") for s in sizes[chosen]],
                        "why": why})
    inst, _ = c.institutions
    if len(inst):  # the chamber and the university tied to most members (inst is sorted)
        wanted = [term("subtype", k, c.lang) for k in ("chamber", "university")]
        seats = inst[inst["subtype"].isin(wanted)].drop_duplicates("subtype")
        out = pd.concat([out, pd.DataFrame({
            "name": seats["name"].to_numpy(), "kind": seats["subtype"].to_numpy(),
            "province": seats["province"].to_numpy(), "size_class": "-",
            "why": c.T("seat_institution")})], ignore_index=True)
    return out


# -- 4. interregional and international -----------------------------------------------------

def _international(c: _Cluster) -> Part:
    lang = c.lang
    tables, missing, points = [], [], []
    provinces = _related_provinces(c)
    if len(provinces):
        tables.append((c.T("provinces", sector=c.sector_title), provinces, {"lq": "{:.2f}"}))
        points.append(c.T("connect", provinces=", ".join(provinces["province"].head(3))))
    else:
        missing.append(c.T("no_provinces"))
    abroad = _abroad(c)
    if len(abroad):
        tables.append((c.T("abroad"), abroad, {}))
    else:
        missing.append(c.T("no_abroad"))
    exports = c.nodes["exports_usd"].astype("float64").to_numpy()[c.member] \
        if "exports_usd" in c.nodes else np.full(c.n_firms, np.nan)
    facts = [(c.T("exporters"), c.value("exporter_share")),
             (c.T("exports_total"), "-" if np.isnan(exports).all() else
              f"{number(np.nansum(exports), lang)} USD"),
             (c.T("international_share"), c.value("international_share")),
             (c.T("interregional_share"), c.value("interregional_share"))]
    if np.isnan(exports).all():
        missing.append(c.T("no_exports"))
    sug = c.suggestions
    best = sug[sug["scope"] == "international"].sort_values(
        ["strength", "score", "source_name"], ascending=[False, False, True], kind="stable")
    if len(best):
        from kumenet.viz.report import stars

        best = best.head(TOP)
        tables.append((c.T("international_suggestions"), pd.DataFrame({
            "source_name": best["source_name"].to_numpy(),
            "target_name": best["target_name"].to_numpy(),
            "target_country": [country_name(x, lang) if isinstance(x, str) else "-"
                               for x in best["target_country"]],
            "strength": stars(best["strength"].to_numpy()),
            "reason": best["reason"].to_numpy()}), {}))
    else:
        missing.append(c.T("no_international_suggestions"))
    return Part("international", c.T("international"), c.T("international_intro"),
                facts=facts, tables=tables, points=points,
                sources=[c.T("source_network"), c.T("source_own"), c.T("source_suggestions")],
                missing=missing)


def _related_provinces(c: _Cluster) -> pd.DataFrame:
    """Turkish provinces specialised (LQ > 1 among the network's firms) in the main sector or
    one of the three sectors most related to it, with the members' ties and suggestions there.
    """
    spec = c.a.regions.own_specialisation if c.a.regions else None
    cx = c.a.regions.own_complexity if c.a.regions else None
    if spec is None or c.sector is None:
        return pd.DataFrame()
    related = {c.sector: c.T("same_sector")}
    if cx is not None and c.sector in set(cx.sectors):
        s = cx.sectors.get_loc(c.sector)
        near = np.argsort(-cx.proximity[s], kind="stable")
        for j in [j for j in near if j != s][:3]:
            if cx.proximity[s, j] > 0:
                related[cx.sectors[j]] = c.T("related_sector", phi=number(cx.proximity[s, j],
                                                                           c.lang, 2))
    rows = spec[spec["sector"].isin(list(related)) & (spec["lq"] > 1)
                & (spec["region"] != c.province)].copy()
    if rows.empty:
        return pd.DataFrame()
    pairs = c.neighbours
    province = c.nodes["province"].astype(object).to_numpy()
    division = c.nodes["sector"].astype(object).str[:2].to_numpy()
    other = pairs["other"].to_numpy()
    ties = pd.DataFrame({"province": province[other], "sector": division[other]}) \
        .value_counts()
    sug = c.suggestions
    sug_counts = pd.DataFrame({"province": sug["target_province"].astype(object),
                               "sector": sug["target_sector"].astype(object).str[:2]}) \
        .value_counts() if len(sug) else pd.Series(dtype="int64")
    key = pd.MultiIndex.from_arrays([rows["region"], rows["sector"]])
    rows["ties"] = ties.reindex(key).fillna(0).astype("int64").to_numpy()
    rows["suggested"] = sug_counts.reindex(key).fillna(0).astype("int64").to_numpy()
    rows["relation"] = rows["sector"].map(related)
    rows["sector"] = rows["sector"] + " " + rows["sector"].map(c.titles).fillna("")
    rows = rows.sort_values(["ties", "suggested", "lq"], ascending=False, kind="stable")
    return pd.DataFrame({"province": rows["region"].to_numpy(),
                         "sector": rows["sector"].str.strip().to_numpy(),
                         "relation": rows["relation"].to_numpy(), "lq": rows["lq"].to_numpy(),
                         "ties": rows["ties"].to_numpy(),
                         "suggested": rows["suggested"].to_numpy()}).head(TOP)


def _abroad(c: _Cluster) -> pd.DataFrame:
    """The members' ties with actors abroad, by country: partners, ties and layers."""
    country = c.nodes["country"].astype(object).to_numpy()
    net = c.a.net
    layer = net.edges["layer"].astype(object).to_numpy()
    s = net.edges["source"].cat.codes.to_numpy()
    t = net.edges["target"].cat.codes.to_numpy()
    m = c.member
    own = np.concatenate([s[m[s]], t[m[t]]])
    far = np.concatenate([t[m[s]], s[m[t]]])
    lay = np.concatenate([layer[m[s]], layer[m[t]]])
    keep = pd.notna(country[far]) & (country[far] != "TR")
    if not keep.any():
        return pd.DataFrame()
    frame = pd.DataFrame({"country": country[far[keep]], "partner": far[keep],
                          "member": own[keep], "layer": lay[keep]})
    by = frame.groupby("country")
    out = pd.DataFrame({"partners": by["partner"].nunique(), "members": by["member"].nunique(),
                        "ties": by.size(),
                        "layers": by["layer"].agg(lambda x: ", ".join(
                            terms("layer", sorted(set(x)), c.lang)))})
    out = out.sort_values(["ties", "partners"], ascending=False, kind="stable").reset_index()
    out["country"] = [f"{country_name(x, c.lang)} ({x})" for x in out["country"]]
    return out.head(TOP)


# -- 5. business plan -----------------------------------------------------------------------

def _business_plan(c: _Cluster, parts: list[Part]) -> Part:
    from kumenet.regional.evaluation import INDICATORS

    lang = c.lang
    rows = []
    for name in INDICATORS:
        value = c.row.get(name)
        shown = c.value(name) if value is not None and pd.notna(value) else c.T("unknown")
        rows.append((text(f"indicator.{name}", lang), shown))
    baseline = pd.DataFrame(rows, columns=["indicator", "baseline"])
    for year in range(1, 6):
        baseline[c.T("target_year", year=year)] = ""
    actions = [p for part in parts[1:] for p in part.points]
    wins = next((t for cap, t, _ in parts[1].tables if cap == c.T("quick_wins")), None)
    if wins is not None and len(wins):
        actions.insert(1, c.T("introduce", pairs="; ".join(
            wins["source_name"].head(3) + " - " + wins["target_name"].head(3))))
    plan = pd.DataFrame({"action": actions,
                         "section": [_section_of(p, parts) for p in actions],
                         "owner": "", "deadline": ""})
    missing = [c.T("targets_blank")]
    return Part("business-plan", c.T("business-plan"), c.T("business_plan_intro"),
                facts=[(c.T("evaluation"), c.T("evaluation_value", rank=int(c.row["rank"]),
                                                n=c.n_clusters,
                                                score=number(c.row["score"], lang, 1),
                                                label=term("label", c.row["label"], lang)))],
                tables=[(c.T("baseline"), baseline, {}), (c.T("actions"), plan, {})],
                sources=[c.T("source_evaluation"), c.T("source_sections")], missing=missing)


def _section_of(point: str, parts: list[Part]) -> str:
    for part in parts:
        if point in part.points:
            return part.title
    return parts[1].title


# -- writing --------------------------------------------------------------------------------

def write_brief(brief: Brief, path) -> Path:
    """Write ``brief`` to ``path``: ``.html`` (printable, offline), ``.docx`` (an editable plan)
    or ``.xlsx`` (its tables), atomically.

    Parameters
    ----------
    brief : Brief
        What :func:`build_brief` made.
    path : str or Path
        The file; its suffix chooses the format.

    Returns
    -------
    Path
        The file written.

    >>> import tempfile, pathlib
    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> brief = build_brief(analyse(read_network('sample_networks/pilot')), 'Çorum leblebi')
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [write_brief(brief, folder / f'brief.{ext}').name for ext in ('html', 'docx', 'xlsx')]
    ['brief.html', 'brief.docx', 'brief.xlsx']
    """
    from kumenet.files import atomic_path

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".docx", ".xlsx"):
        raise KumenetError(f"{path}: write a brief as .html, .docx or .xlsx")
    if suffix == ".xlsx":
        from kumenet.output import write_tables

        write_tables(brief.tables(), str(path))
        return path
    with atomic_path(path) as tmp:
        if suffix == ".docx":
            from kumenet.viz.brief import write_docx

            write_docx(brief, tmp)
        else:
            from kumenet.viz.brief import brief_html

            tmp.write_text(brief_html(brief), encoding="utf-8")
    return path
