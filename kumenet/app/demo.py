"""``kumenet demo``: the main job on one network, its outputs written to a folder."""

from __future__ import annotations

from pathlib import Path

import click

from kumenet.graph.communities import compare, with_attributes
from kumenet.graph.io import write_network
from kumenet.graph.metrics import layer_metrics
from kumenet.graph.network import Network
from kumenet.messages import term, text
from kumenet.output import render, write_tables


__all__ = ["run_demo"]


def run_demo(net: Network, where: str, output: Path, lang: str = "tr",
             data: str | None = None) -> list[Path]:
    """Write the demo outputs for ``net`` into ``output`` and print what was written, in
    ``lang``. Everything comes from one :func:`~kumenet.app.analysis.analyse`.

    >>> import contextlib, io, tempfile
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.mkdtemp())
    >>> with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    ...     written = run_demo(read_network('sample_networks/pilot'), 'pilot', folder)
    >>> sorted(p.name for p in written)[:4]
    ['cluster_evaluation.xlsx', 'communities.csv', 'group_metrics_cluster.csv', 'group_metrics_province.csv']
    """
    from kumenet.app.analysis import analyse

    output.mkdir(parents=True, exist_ok=True)
    kinds = net.nodes["kind"].value_counts()
    click.echo(text("demo.start", lang, where=where, nodes=net.n_nodes,
                    firms=int(kinds.get("firm", 0)), institutions=int(kinds.get("institution", 0)),
                    ties=net.n_edges, layers=len(net.layers)), err=True)
    analysis = analyse(net, seed=0, lang=lang)
    written = _tables(analysis, output, lang)
    written += _regional(analysis, output, lang)
    written += _pages(analysis, where, output, lang)
    with_communities = with_attributes(net, analysis.partition.table())
    for name in ("network.xlsx", "network.graphml", "network.gexf"):
        written.append(write_network(with_communities, output / name))
    written.append(write_network(with_communities, output / "network_csv"))
    from kumenet.app.workspace import demo_workspace

    made = demo_workspace(net, analysis.suggestions_in(lang), output / "workspace.db")
    written.append(output / "workspace.db")
    written += _initiatives(net, output, lang)
    click.echo(text("demo.wrote", lang))
    for path in written:
        click.echo(f"  {path}")
    if data is not None:
        click.echo("\n" + text("demo.portal", lang, data=data))
        click.echo(text("demo.workspace", lang, data=data, path=output / "workspace.db",
                        n=made["introductions"], events=made["events"],
                        initiatives=made["initiatives"],
                        password=made["password"]))
    return written


def _initiatives(net, output: Path, lang: str) -> list[Path]:
    """The first pilot initiative's panel (a page) and every initiative's KPI table, from
    the sample workspace just written."""
    from kumenet.app.initiatives import PILOT_INITIATIVES, kpi_table, read_panel
    from kumenet.output import write_tables
    from kumenet.viz.initiative import initiative_html
    from kumenet.workspace.auth import COMMAND_LINE
    from kumenet.workspace.db import Workspace

    ws = Workspace(output / "workspace.db")
    try:
        kpis = kpi_table(ws, net, COMMAND_LINE)
        if kpis.empty:
            return []
        name = next(n for n, cluster, _, _ in PILOT_INITIATIVES
                    if n in set(kpis["initiative"]))
        record, panel = read_panel(ws, net, COMMAND_LINE, name, lang=lang)
    finally:
        ws.close()
    names = dict(zip(net.ids, net.nodes["name"].astype(object)))
    page = output / "initiative.html"
    page.write_text(initiative_html(record, panel, lambda a: names.get(a) or a, lang,
                                    network=net.source or "pilot",
                                    mapping="kumenet/data/initiative_indicators.toml"),
                    encoding="utf-8")
    write_tables(kpis, str(output / "initiative_kpis.csv"), "csv")
    return [page, output / "initiative_kpis.csv"]


def _tables(analysis, output: Path, lang: str) -> list[Path]:
    """The summary, communities, metrics and suggestions: written, and a few printed."""
    net = analysis.net
    tables = analysis.summary
    click.echo(render({"overview": tables["overview"], "layers": tables["layers"]}, "table",
                      lang=lang))
    written = [_write(tables, output / "info.xlsx")]
    partition = analysis.partition
    table = partition.table()
    table.insert(1, "name", net.nodes["name"].to_numpy())
    written.append(_write(table, output / "communities.csv"))
    line = text("demo.communities", lang,
                layers=", ".join(term("layer", la, lang)
                                 for la in partition.parameters.get("layers") or net.layers),
                k=partition.n_communities)
    if "cluster" in net.nodes:
        line += text("demo.agreement", lang, **compare(partition, net.nodes["cluster"]))
    click.echo(line)
    written += _metrics(analysis, output, lang)
    suggestions = analysis.suggestions_in(lang)
    written.append(_write(suggestions, output / "suggestions.csv"))
    click.echo(text("demo.suggestions", lang))
    sample = suggestions[suggestions["rank"] == 1].groupby("scope", observed=True).head(2)
    for row in sample.itertuples():
        click.echo(f"  {row.source_name} -> {row.target_name} [{term('scope', row.scope, lang)}"
                   f", {row.strength}/5]\n    {row.reason}")
    click.echo("")
    return written


def _metrics(analysis, output: Path, lang: str) -> list[Path]:
    """Node, province, cluster and layer metrics; the top brokers and the open provinces
    printed."""
    net, metrics = analysis.net, analysis.metrics
    written = [_write(metrics, output / "node_metrics.csv")]
    top = metrics.sort_values("betweenness", ascending=False).head(5)
    click.echo("\n" + text("demo.brokers", lang))
    top = top[["name", "kind", "province", "betweenness", "brokerage"]]
    click.echo(render({"brokers": top}, "table", lang=lang))
    groups = analysis.provinces
    written.append(_write(groups, output / "group_metrics_province.csv"))
    click.echo(text("demo.openness", lang))
    shown = groups[groups["firms"] >= 20][["group", "firms", "share_intra_regional",
                                           "share_interregional", "share_international",
                                           "ei_index", "brokers"]]
    click.echo(render({"provinces": shown}, "table", lang=lang))
    if "cluster" in net.nodes:
        written.append(_write(analysis.group_metrics("cluster"),
                              output / "group_metrics_cluster.csv"))
    written.append(_write(layer_metrics(net), output / "layer_metrics.csv"))
    return written


def _pages(analysis, where: str, output: Path, lang: str) -> list[Path]:
    """The map, the geographic view and the report, their paths printed."""
    from kumenet.app.maps import write_map
    from kumenet.app.report import write_report

    net = analysis.net
    labels = analysis.community_labels(lang)
    pages = [write_map(net, output / "map.html", seed=0, lang=lang, communities=labels),
             write_map(net, output / "map_geo.html", layout="geo", color="province", seed=0,
                       lang=lang, communities=labels),
             write_report(analysis, output / "report.html", where=where, lang=lang)]
    click.echo(text("demo.open", lang))
    for page in pages:
        click.echo(f"  {page}")
    click.echo("")
    return pages


def _regional(analysis, output: Path, lang: str) -> list[Path]:
    """Regional indicators (packaged Eurostat table and the network's firms) and the cluster
    evaluation."""
    written = []
    regional = analysis.regions
    year = regional.year
    pilot_regions = ["TR83", "TR90", "TR63", "TRC1"]
    spec = regional.specialisation
    written.append(_write(spec, output / f"regions_tr_nuts2_{year}.csv"))
    grow = regional.potential[lang]
    written.append(_write(grow, output / f"potential_tr_nuts2_{year}.csv"))
    click.echo(text("demo.regions", lang, year=year))
    top = spec[spec["region"].isin(pilot_regions) & (spec["lq_rank"] == 1)]
    nxt = grow[grow["region"].isin(pilot_regions) & (grow["rank"] == 1)].set_index("region")
    for row in top.itertuples():
        click.echo("  " + text("demo.region", lang, region=row.region, name=row.region_name,
                                sector=row.sector, lq=row.lq, stars=int(row.stars),
                                next=nxt.loc[row.region, "sector"]))
    if regional.own_specialisation is not None:
        written.append(_write(regional.own_specialisation, output / "regions_network.csv"))
    evaluation = analysis.evaluation(lang)
    if evaluation is not None:
        clusters, details = evaluation
        written.append(_write({"clusters": clusters, "details": details},
                              output / "cluster_evaluation.xlsx"))
        click.echo("\n" + text("demo.clusters", lang))
        click.echo(render({"clusters": clusters[["rank", "cluster", "label", "score"]].head(5)},
                          "table", lang=lang))
        best = clusters.iloc[0]
        click.echo(f"  {best['cluster']}: {best['profile']}\n")
    return written


def _write(tables, path: Path) -> Path:
    write_tables(tables, str(path))
    return path
