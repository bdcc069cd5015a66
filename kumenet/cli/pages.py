"""Commands that make pages and briefs: map, report, toolkit, serve (the portal) and demo."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kumenet.cli.base import (
    AS_OF,
    DATA,
    LANG,
    LAYERS,
    PILOT_PATH,
    SEED,
    cli,
    data_options,
    network_name,
    note,
    pilot_network,
    progress,
    say,
    current_lang,
    split_layers,
)
from kumenet.errors import KumenetError


@cli.command("map")
@DATA
@data_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="map.html (interactive), map.gexf (Gephi, with colours and positions), or "
                   "with --choropleth a .svg or .html province map.")
@click.option("--color", "color", default="community", show_default=True,
              help="community, province, sector, kind, layer, cluster or any node column.")
@click.option("--size", default="degree", show_default=True,
              help="degree, strength, pagerank, betweenness, eigenvector, employees, "
                   "exports_usd or any numeric node column.")
@LAYERS
@AS_OF
@click.option("--layout", type=click.Choice(["force", "geo"]), default="force",
              show_default=True, help="Force-directed (igraph) or geographic.")
@click.option("--max-nodes", type=click.IntRange(min=10), default=5000, show_default=True,
              help="Above this many nodes, draw groups instead (see --aggregate-by).")
@click.option("--aggregate-by", default="community", show_default=True,
              help="Groups of the aggregated view: community, province, nuts2, nuts1 or a "
                   "node column.")
@click.option("--group", default=None, help="Draw only this group's members (its name as "
              "the aggregated view shows it).")
@click.option("--focus", default=None, metavar="FIRM", help="Ego view around this firm (id or "
              "name), with its suggested partners dashed.")
@click.option("--hops", type=click.IntRange(min=1, max=4), default=2, show_default=True,
              help="Steps around --focus.")
@click.option("--suggestions", "suggestions_file", type=click.Path(path_type=Path), default=None,
              help="A suggestions table (kumenet match --all -o FILE): drawn as dashed edges.")
@click.option("--choropleth", default=None, metavar="FIGURE",
              help="Instead: a province map of firms, employees, exports_usd or a province "
                   "group metric (share_international, ei_index, ...).")
@LANG
@click.option("--title", default=None, help="Heading of the page.")
@SEED
def map_command(data, read, output, color, size, layers, as_of, layout, max_nodes, aggregate_by,
                group, focus, hops, suggestions_file, choropleth, lang, title, seed):
    """An interactive network map in one self-contained HTML file (works offline).

    \b
    Colour, size, layer toggles, a Turkish-aware search box, tooltips; above --max-nodes
    an aggregated view; --focus for one firm; --layout geo places actors on Turkey's map.

    \b
    Examples:
      kumenet map sample_networks/pilot -o map.html
      kumenet map sample_networks/pilot --layout geo --color province -o geo.html
      kumenet map sample_networks/pilot --focus F000001 --hops 1 -o ego.html
      kumenet map sample_networks/pilot --choropleth firms -o provinces.svg
      kumenet map sample_networks/pilot -o pilot.gexf
    """
    from kumenet.messages import text

    net = read(data, as_of=as_of).select(as_of=as_of)
    if choropleth:
        from kumenet.app.maps import write_province_map

        path = write_province_map(net, choropleth, output, lang=lang, title=title)
    else:
        from kumenet.app.maps import write_map

        suggestions = _read_suggestions(suggestions_file) if suggestions_file else None
        path = write_map(net, output, color=color, size=size, layers=split_layers(layers),
                         layout=layout, max_nodes=max_nodes, aggregate_by=aggregate_by,
                         group=group, focus=focus, hops=hops, suggestions=suggestions,
                         title=title, lang=lang, seed=seed)
    click.echo(text("cli.wrote", lang, path=str(path)), err=True)


def _read_suggestions(path: Path):
    from kumenet.errors import InputDataError, Problem
    from kumenet.graph.io import read_table

    raw = read_table(path)
    frame = raw.frame
    missing = [c for c in ("source", "target") if c not in frame.columns]
    if missing:
        raise InputDataError([Problem(str(path), 1, None, None,
                                      f"missing column {c!r}; a suggestions table has source "
                                      f"and target (kumenet match --all -o FILE)")
                              for c in missing])
    return frame


@cli.command()
@DATA
@data_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The .html file.")
@LANG
@click.option("--max-nodes", type=click.IntRange(min=10), default=5000, show_default=True,
              help="Above this many nodes the map in the report is aggregated.")
@click.option("--title", default=None, help="The network's name at the top of the report "
              "(default: the folder's or file's name).")
@LAYERS
@AS_OF
@SEED
def report(data, read, output, lang, max_nodes, title, layers, as_of, seed):
    """A self-contained HTML report: summary, map, provinces, communities, brokers,
    suggestions, cluster evaluation and regional indicators, with charts.

    \b
    Examples:
      kumenet report sample_networks/pilot -o report.html
      kumenet report sample_networks/pilot --lang en -o report_en.html
    """
    from kumenet.app.report import write_report
    from kumenet.messages import text

    net = read(data, as_of=as_of).select(layers=split_layers(layers), as_of=as_of)
    data = Path(data)
    if title is None:
        title = network_name(data)
    if as_of is not None:
        title = f"{title}, {text('report.as_of', lang, year=str(as_of))}"
    path = write_report(net, output, where=title, lang=lang, seed=seed, max_nodes=max_nodes)
    click.echo(text("cli.wrote", lang, path=str(path)), err=True)


@cli.command()
@DATA
@data_options
@click.option("--cluster", "cluster", default=None,
              help="The cluster's name, as kumenet clusters evaluate --by names it.")
@click.option("--all", "every", is_flag=True, help="A brief for every cluster, into the folder "
              "-o names.")
@click.option("--by", type=click.Choice(["cluster", "community", "province-sector"]),
              default="cluster", show_default=True,
              help="Clusters: the nodes' cluster column, Leiden communities, or province x "
                   "NACE division.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="brief.html (prints on A4), brief.docx (an editable plan) or brief.xlsx; "
                   "a folder with --all.")
@click.option("--format", "fmt", type=click.Choice(["html", "docx", "xlsx"]), default="html",
              show_default=True, help="With --all: the format of each brief.")
@LANG
@AS_OF
@SEED
def toolkit(data, read, cluster, every, by, output, fmt, lang, as_of, seed):
    """The clustering toolkit written for a cluster: identification, activation,
    governance, interregional and international cooperation, business plan.

    \b
    Examples:
      kumenet toolkit sample_networks/pilot --cluster "Gaziantep plastik" -o brief.html
      kumenet toolkit sample_networks/pilot --cluster "Gaziantep plastik" -o plan.docx
      kumenet toolkit sample_networks/pilot --all -o briefs/
    """
    from kumenet.app.analysis import analyse, with_suggestions
    from kumenet.app.toolkit import build_brief, cluster_names, find_cluster, labels_of, write_brief
    from kumenet.messages import text
    from kumenet.text import slug

    if (cluster is None) == (not every):
        raise click.UsageError("give --cluster NAME or --all")
    net = read(data, as_of=as_of).select(as_of=as_of)
    if by != "community" and not every:  # a mistyped name is said before any analysis
        from kumenet.regional.evaluation import cluster_labels

        find_cluster(cluster_labels(net, by), cluster, by)
    analysis = analyse(net, seed=seed, lang=lang, suggestions=False,
                       progress=lambda steps: progress(steps, "analysis"))
    names = cluster_names(analysis, by) if every else [
        find_cluster(labels_of(analysis, by), cluster, by)]
    note(say("cli.briefs_for", n=len(names)))
    analysis = with_suggestions(analysis)
    if not every:
        path = write_brief(build_brief(analysis, names[0], by, lang), output)
        click.echo(text("cli.wrote", lang, path=str(path)), err=True)
        return
    output.mkdir(parents=True, exist_ok=True)
    for name in progress(names, "briefs"):
        path = write_brief(build_brief(analysis, name, by, lang),
                           output / f"{slug(name)}.{fmt}")
        click.echo(text("cli.wrote", lang, path=str(path)), err=True)


@cli.command()
@DATA
@data_options
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Listen on this address (0.0.0.0 opens the portal to the network: only "
                   "when asked, with a warning).")
@click.option("--rebuild", is_flag=True, help="Build the snapshot again even when the network "
              "has not changed.")
@click.option("--snapshot-dir", type=click.Path(path_type=Path), default=None,
              help="Where snapshots are kept (default: the user's cache folder).")
@click.option("--build-only", is_flag=True, help="Build (or find) the snapshot, print its "
              "path and stop.")
@click.option("--title", default=None, help="The network's name on the portal (default: the "
              "folder's or file's name).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes (default: one per core, up to 4).")
@click.option("--workspace", "where", default=None, metavar="PATH|URL",
              help="The workspace staff record introductions in (a SQLite file or a "
                   "postgresql:// URL; see kumenet workspace init). Without it the portal "
                   "only reads.")
@SEED
def serve(data, read, port, host, rebuild, snapshot_dir, build_only, title, workers, where,
          seed):
    """The knowledge portal: search, actor profiles with suggested partners, clusters,
    regions and read-only SQL, in the browser, offline.

    Builds a snapshot of every analysis once (reused while the network is unchanged), then
    serves it on http://127.0.0.1:8000 until Ctrl+C.

    \b
    Examples:
      kumenet serve sample_networks/pilot
      kumenet serve sample_networks/pilot --port 8080
      kumenet serve sample_networks/pilot --build-only
    """
    from kumenet.app.snapshot import ensure_snapshot

    net = read(data)
    name = title or network_name(Path(data))
    path = ensure_snapshot(net, name, seed=seed, rebuild=rebuild, folder=snapshot_dir,
                           notify=note, progress=lambda items: progress(items, "snapshot"),
                           lang=current_lang())
    if build_only:
        click.echo(str(path))
        return
    public = host not in ("127.0.0.1", "localhost", "::1")
    if public and where is None:
        raise KumenetError(f"listening on {host} opens the portal beyond this machine, where "
                           "every page needs a login: give --workspace (its accounts: kumenet "
                           "users add)")
    if where is not None:
        from kumenet.app.workspace import open_workspace

        checked = open_workspace(where)
        note(say("cli.workspace_login_all" if public else "cli.workspace_login_write",
                 where=checked.shown))
        where = checked.url
        checked.close()
    import uvicorn

    workers = workers or min(4, os.cpu_count() or 1)
    note(say("cli.portal_at", url=f"http://{'127.0.0.1' if host == '127.0.0.1' else host}:{port}/"))
    if workers == 1:
        from kumenet.web.app import create_app

        uvicorn.run(create_app(path, workspace=where, public=public), host=host, port=port,
                    log_level="warning")
    else:  # each worker process opens the snapshot read-only, and the workspace
        os.environ["KUMENET_SNAPSHOT"] = str(path)
        os.environ["KUMENET_WORKSPACE_URL"] = where or ""
        os.environ["KUMENET_PUBLIC"] = "1" if public else "0"
        uvicorn.run("kumenet.web.app:from_environment", factory=True, workers=workers,
                    host=host, port=port, log_level="warning")


@cli.command()
@click.argument("data", required=False, type=click.Path(path_type=Path))
@data_options
@click.option("-o", "--output", default="demo-output", show_default=True,
              type=click.Path(path_type=Path), help="Folder for the outputs.")
@LANG
def demo(data, read, output, lang):
    """Run the main job on the pilot network (or DATA) and write its outputs to a folder.

    \b
    Example:
      kumenet demo -o demo-output
    """
    from kumenet.app.demo import run_demo

    if data is None:
        net, where = pilot_network()
        source = str(PILOT_PATH) if PILOT_PATH.exists() else None
    else:
        net, where = read(data), str(data)
        source = str(data)
    run_demo(net, where, output, lang, data=source)
