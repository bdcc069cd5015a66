"""``kumenet report``: one self-contained HTML file to hand to decision makers and firms.

The application layer composes the content (analyses from graph, matching and regional) and
hands tables, charts and a map to :mod:`kumenet.viz.report`, which draws them.

Sections: summary and layers, the network map, provinces (openness, a province map), communities,
top brokers, partner suggestions per scope with reasons, the cluster evaluation, and the
regional indicators of the network's NUTS-2 regions (packaged Eurostat table). Turkish labels by
default, English with ``lang="en"``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from markupsafe import Markup

from kumenet.app.analysis import Analysis
from kumenet.graph.geography import SCOPES
from kumenet.graph.network import Network
from kumenet.messages import check_lang, numbers, term, terms, text
from kumenet.viz.report import Section, frame_table, stars
from kumenet.viz.report import render_report as render_report_page


__all__ = ["build_report", "render_report", "write_report"]


def build_report(net: Network, where: str = "", lang: str = "tr", seed: int = 0,
                 max_nodes: int | None = None) -> str:
    """The report of ``net`` as one self-contained HTML page (:func:`render_report` of its
    :func:`~kumenet.app.analysis.analyse`).

    Parameters
    ----------
    net : Network
        The network.
    where : str
        Where the network came from, named in the report's sources.
    lang : {"tr", "en"}
        The report's language.
    seed : int
        Seed of the analysis (communities, layout): same seed, same page.
    max_nodes : int, optional
        Above this many nodes the map draws groups (default: the map's own limit).

    Returns
    -------
    str
        The HTML page.

    >>> from kumenet.graph.io import read_network
    >>> page = build_report(read_network('sample_networks/pilot'), where='pilot', lang='en')
    >>> 'pilot · Network report' in page
    True
    """
    from kumenet.app.analysis import analyse

    check_lang(lang)
    return render_report(analyse(net, seed=seed, lang=lang), where=where, lang=lang,
                         max_nodes=max_nodes)


def render_report(analysis: Analysis, where: str = "", lang: str = "tr",
                  max_nodes: int | None = None) -> str:
    """The report of an analysis (made in ``lang``) as one self-contained HTML page.

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), lang=('tr', 'en'))
    >>> [len(render_report(a, lang=lang)) > 100_000 for lang in ('tr', 'en')]
    [True, True]
    """
    from importlib.metadata import version

    from kumenet.app.maps import build_map
    from kumenet.viz.charts import province_map, stacked_bars
    from kumenet.viz.map import MAX_NODES

    check_lang(lang)
    net = analysis.net

    def L(key, **values):  # noqa: N802 - the report's words
        return text(f"report.{key}", lang, **values)

    sections = []
    tables = analysis.summary
    overview = tables["overview"].copy()
    overview["measure"] = terms("measure", overview["measure"], lang)
    # A network without years has no first or last year: shown as the layer table shows it.
    overview["value"] = overview["value"].map(lambda v: "-" if v == "" else v)
    layer_table = tables["layers"].copy()
    layer_table["layer"] = terms("layer", layer_table["layer"], lang)
    layer_table["directed"] = terms("bool", layer_table["directed"], lang)
    sections.append(Section(L("summary"), tables=[
        frame_table(overview, lang), frame_table(layer_table, lang)]))
    seed = analysis.parameters["seed"]
    data = build_map(net, lang=lang, seed=seed, max_nodes=max_nodes or MAX_NODES,
                     communities=analysis.community_labels(lang))
    sections.append(Section(L("map"), intro=data.note, has_map=True))
    groups = analysis.provinces
    turkish = set(net.nodes.loc[(net.nodes["country"] == "TR").to_numpy(), "province"].dropna())
    shown = groups[(groups["firms"] > 0) & groups["group"].isin(turkish)].head(15)
    openness = stacked_bars(shown, "group", ["share_intra_regional", "share_interregional",
                                             "share_international"],
                            [term("scope", s, lang) for s in SCOPES], L("openness"),
                            lang=lang)
    domestic = net.nodes[(net.nodes["kind"] == "firm") & (net.nodes["country"] == "TR")]
    firms_map = province_map(domestic["province"].value_counts(), L("firms_map"),
                             text("col.firms", lang), lang=lang)
    sections.append(Section(L("provinces"), tables=[frame_table(shown[[
        "group", "firms", "internal_density", "share_intra_regional", "share_interregional",
        "share_international", "ei_index", "brokers"]], lang, {
            "share_intra_regional": "{:.0%}", "share_interregional": "{:.0%}",
            "share_international": "{:.0%}", "ei_index": "{:+.2f}"})],
        charts=[Markup(openness), Markup(firms_map)]))
    sections.append(_communities(analysis, L, lang))
    metrics = analysis.metrics
    top = metrics.sort_values(["betweenness", "name"], ascending=[False, True]).head(10)
    top = top[["name", "kind", "province", "betweenness", "brokerage"]].copy()
    top["kind"] = terms("kind", top["kind"], lang)
    sections.append(Section(L("brokers"), tables=[frame_table(
        top, lang, {"betweenness": "{:.4f}", "brokerage": "{:,.0f}"})]))
    sections.append(_suggestions(analysis, L, lang))
    if "cluster" in net.nodes and net.nodes["cluster"].notna().any():
        sections.append(_clusters(analysis, L, lang))
    regions = _regions(analysis, L, lang)
    if regions is not None:
        sections.append(regions)
    sections.append(Section(L("sources"), intro=L("sources_text", version=version("kumenet"))))
    title = f"{where} · {L('title')}" if where else L("title")
    return render_report_page(title, sections, data, lang)


def _communities(analysis: Analysis, L, lang) -> Section:
    from kumenet.arrays import group_mode
    from kumenet.graph.communities import compare
    from kumenet.graph.geography import region_codes
    from kumenet.viz.charts import bar_chart

    net, partition = analysis.net, analysis.partition
    membership = analysis.membership
    frame = pd.DataFrame({"community": membership, "province": region_codes(net.nodes).to_numpy(),
                          "sector": net.nodes["sector"].astype(object).to_numpy(),
                          "name": net.nodes["name"].astype(str).to_numpy(),
                          "degree": np.diff(net.adjacency().indptr)})
    by = frame.groupby("community")
    table = pd.DataFrame({
        "size": by.size(),
        "main_province": group_mode(membership, frame["province"]).reindex(by.size().index)
        .fillna(""),
        "main_sector": group_mode(membership, frame["sector"]).reindex(by.size().index)
        .fillna(""),
        "examples": frame.sort_values(["degree", "name"], ascending=[False, True])
        .groupby("community")["name"].agg(lambda s: ", ".join(s.head(3))),
    }).reset_index().sort_values(["size", "community"], ascending=[False, True])
    table = table[table["size"] > 1].head(15)
    table["community"] = analysis.community_names[lang][table["community"].to_numpy()]
    layers = ", ".join(term("layer", la, lang)
                       for la in partition.parameters.get("layers") or net.layers)
    intro = L("n_communities", k=partition.n_communities, layers=layers, q=partition.quality)
    if "cluster" in net.nodes and net.nodes["cluster"].notna().any():
        intro += L("agreement", **compare(partition, net.nodes["cluster"]))
    chart = bar_chart(table["community"].astype(str), table["size"], L("community_sizes"),
                      lang=lang)
    table["size"] = table["size"].astype("int64")
    return Section(L("communities"), intro=intro, tables=[frame_table(table, lang)],
                   charts=[Markup(chart)])


def _suggestions(analysis: Analysis, L, lang) -> Section:
    suggestions = analysis.suggestions_in(lang)
    tables = []
    for scope in SCOPES:
        rows = suggestions[(suggestions["scope"] == scope) & (suggestions["rank"] == 1)]
        rows = rows.sort_values(["strength", "score", "source_name"],
                                ascending=[False, False, True]).head(8)
        shown = rows[["source_name", "target_name", "target_province", "target_country",
                      "strength", "score", "reason"]].copy()
        shown["strength"] = stars(shown["strength"].to_numpy())
        tables.append(frame_table(shown, lang, {"score": "{:.3f}"}))
        tables[-1].caption = text(f"scope_title.{scope}", lang)
    return Section(L("suggestions"), intro=L("suggest_intro"), tables=tables)


def _clusters(analysis: Analysis, L, lang) -> Section:
    if analysis.clusters_missing:  # e.g. no cluster large enough: say so in the report
        return Section(L("clusters"), intro=L("no_clusters", why=analysis.clusters_missing))
    table, _ = analysis.evaluation(lang)
    return Section(L("clusters"), tables=[frame_table(
        table[["rank", "cluster", "label", "score", "firms", "profile"]], lang,
        {"score": "{:.1f}", "firms": "{:,.0f}"})])


def _regions(analysis: Analysis, L, lang) -> Section | None:
    from kumenet.graph.geography import region_codes

    net, regional = analysis.net, analysis.regions
    firms = net.nodes["kind"] == "firm"
    nuts2 = region_codes(net.nodes[firms.to_numpy() & (net.nodes["country"] == "TR").to_numpy()],
                         "nuts2").value_counts()
    if nuts2.empty:
        return None
    wanted = list(nuts2.index[:5])
    spec = regional.specialisation
    spec = spec[spec["region"].isin(wanted)].sort_values(["region", "lq"], ascending=[True, False])
    spec["text"] = spec["sector"] + " " + numbers(spec["lq"], lang, 2)
    top = spec.groupby("region").head(3).groupby("region")["text"].agg(", ".join)
    grow = regional.potential[lang]
    grow = grow[grow["region"].isin(wanted) & (grow["rank"] <= 2)].copy()
    grow["text"] = grow["sector"] + " (" + grow["reason"] + ")"
    nxt = grow.groupby("region")["text"].agg("; ".join)
    out = pd.DataFrame({"region": [f"{r} {regional.names.get(r, '')}" for r in wanted],
                        "firms": nuts2[wanted].to_numpy(),
                        "top_sectors": top.reindex(wanted).to_numpy(),
                        "potential": nxt.reindex(wanted).to_numpy()})
    return Section(L("regions", year=regional.year), intro=L("regions_intro"),
                   tables=[frame_table(out, lang)])


def write_report(source: Network | Analysis, path, **options) -> Path:
    """Write the report of a network or of its analysis to ``path`` (atomically, UTF-8).

    Parameters
    ----------
    source : Network or Analysis
        A network (analysed here) or an analysis already made.
    path : str or Path
        The ``.html`` file.
    **options
        ``where``, ``lang``, ``seed``, ``max_nodes`` as :func:`build_report` takes them.

    Returns
    -------
    Path
        The file written.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> write_report(net, Path(tempfile.mkdtemp()) / 'rapor.html').name
    'rapor.html'
    """
    from kumenet.files import atomic_path

    path = Path(path)
    if isinstance(source, Analysis):
        options.pop("seed", None)
        html = render_report(source, **options)
    else:
        html = build_report(source, **options)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path
