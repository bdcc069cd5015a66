"""``kumenet initiatives ...``: the pilot cluster initiatives in the workspace, their members,
activities and reported figures, and their yearly indicator panel (report and KPI table).

Writes act as a staff or admin account (``--as USER``) and are audited under it; reads show
everything (the command line is the workspace's administrator). Firms are named by id or by
name in the network DATA (Turkish-aware, with "did you mean").
"""

from __future__ import annotations

from pathlib import Path

import click

from kumenet.cli.base import (DATA, LANG, cli, data_options, output_options, say,
                              write_output, wrote)
from kumenet.cli.workspace import WORKSPACE, _account, _open
from kumenet.errors import KumenetError

AS_USER = click.option("--as", "username", required=True, metavar="USER",
                       help="The staff or admin account the change is recorded under.")
INDICATORS = click.option("--indicators", "mapping", type=click.Path(path_type=Path),
                          default=None, help="The indicator mapping (default: the packaged "
                          "file; see kumenet initiatives config).")


def _ids(net, names) -> list[str]:
    """Network ids of firms named by id or name (an unknown one: "did you mean")."""
    return [str(net.ids[net.find(str(n).strip())]) for n in names]


@cli.group()
def initiatives():
    """Cluster initiatives: members, activities, figures, yearly indicators."""


@initiatives.command("add")
@click.argument("name")
@DATA
@data_options
@AS_USER
@WORKSPACE
@click.option("--start-year", type=int, required=True, help="The year the initiative began.")
@click.option("--province", "provinces", multiple=True, help="A province it covers (repeat).")
@click.option("--sector", "sectors", multiple=True, help="A NACE code it covers (repeat).")
@click.option("--coordinator", default=None, help="The coordinating institution (id or name).")
@click.option("--centre", default=None, help="Its centre's code (admins; staff: their own).")
@click.option("--member", "members", multiple=True, help="A member firm, id or name (repeat).")
@click.option("--cluster", default=None,
              help="Take every firm of this cluster (the nodes' cluster column) as members.")
@click.option("--new-member", "outsiders", multiple=True,
              help="A member the network does not have yet, by its name (repeat).")
def initiatives_add(name, data, read, username, where, start_year, provinces, sectors,
                    coordinator, centre, members, cluster, outsiders):
    """Define an initiative and its first members (they join on 1 January of the start
    year; later joiners: kumenet initiatives members --join).

    \b
    Example:
      kumenet initiatives add "Samsun Medikal Kümesi" sample_networks/pilot --as ayse \\
        --start-year 2021 --province Samsun --sector 32.50 \\
        --coordinator "Samsun Ticaret ve Sanayi Odası" --cluster "Samsun tıbbi cihazlar"
    """
    from kumenet.app.initiatives import cluster_members
    from kumenet.workspace.initiatives import add_initiative

    ws = _open(where)
    user = _account(ws, username)
    net = read(data)
    chosen = _ids(net, members)
    if cluster is not None:
        chosen += [i for i in cluster_members(net, cluster) if i not in chosen]
    lead = _ids(net, [coordinator])[0] if coordinator else None
    made = add_initiative(ws, user, name, start_year=start_year, provinces=provinces,
                          sectors=sectors, coordinator=lead, centre=centre,
                          members=chosen + [(o, False) for o in outsiders])
    click.echo(say("cli.initiative_added", name=made["name"],
                    n=len(made["members"]), year=start_year), err=True)


@initiatives.command("list")
@WORKSPACE
@output_options
def initiatives_list(where, output, fmt):
    """Every initiative: its centre, start year and members today.

    \b
    Example:
      kumenet initiatives list --workspace centre.db
    """
    import pandas as pd

    from kumenet.workspace.auth import COMMAND_LINE
    from kumenet.workspace.initiatives import list_initiatives

    rows = list_initiatives(_open(where), COMMAND_LINE)
    table = pd.DataFrame(rows, columns=["name", "centre", "start_year", "members_now",
                                        "provinces", "sectors", "coordinator"])
    for col in ("provinces", "sectors"):
        table[col] = table[col].map(lambda v: ", ".join(v or []))
    if table.empty:
        click.echo(say("cli.no_initiatives"), err=True)
        return
    write_output(table, output, fmt)


@initiatives.command("members")
@click.argument("name")
@click.argument("data", required=False, type=click.Path(path_type=Path))
@data_options
@WORKSPACE
@click.option("--join", "joining", multiple=True, help="A firm joining (id or name; repeat).")
@click.option("--leave", "leaving", multiple=True, help="A member leaving (repeat).")
@click.option("--on", "when", default=None, help="The date they join or leave (2023-03-01).")
@click.option("--as", "username", default=None, metavar="USER",
              help="The account the change is recorded under (needed with --join/--leave).")
@output_options
def initiatives_members(name, data, read, where, joining, leaving, when, username, output,
                        fmt):
    """List an initiative's members (every spell: joined, left), or record members joining
    or leaving on a date. DATA (the network) names the firms.

    \b
    Examples:
      kumenet initiatives members "Samsun Medikal Kümesi" sample_networks/pilot
      kumenet initiatives members "Samsun Medikal Kümesi" sample_networks/pilot --as ayse \\
        --join "Kılıç Medikal" --on 2023-03-01
    """
    import pandas as pd

    from kumenet.workspace import initiatives as wi
    from kumenet.workspace.auth import COMMAND_LINE

    ws = _open(where)
    net = read(data) if data is not None else None
    if joining or leaving:
        if username is None or when is None or net is None:
            raise click.UsageError("--join/--leave need DATA, --on DATE and --as USER")
        user = _account(ws, username)
        if joining:
            wi.add_members(ws, user, name, _ids(net, joining), when)
        if leaving:
            wi.end_membership(ws, user, name, _ids(net, leaving), when)
        click.echo(f"{name}: {len(joining)} joined, {len(leaving)} left on {when}", err=True)
        return
    record = wi.get_initiative(ws, COMMAND_LINE, name)
    names = {} if net is None else dict(zip(net.ids, net.nodes["name"].astype(object)))
    table = pd.DataFrame([{"id": m["actor"], "name": names.get(m["actor"], m["actor"]),
                           "joined": m["joined"].isoformat(),
                           "left": m["left"].isoformat() if m["left"] else "",
                           "in_network": m["in_network"]} for m in record["members"]],
                         columns=["id", "name", "joined", "left", "in_network"])
    write_output(table, output, fmt)


@initiatives.command("activity")
@click.argument("name")
@DATA
@data_options
@AS_USER
@WORKSPACE
@click.option("--kind", required=True, type=click.Choice(
    ["b2b_day", "training", "trade_mission", "joint_fair", "shared_facility", "study_visit",
     "other"]), help="What kind of activity.")
@click.option("--title", required=True, help="Its title.")
@click.option("--date", "held_on", required=True, help="When it was held (2024-04-15).")
@click.option("--participant", "participants", multiple=True,
              help="A firm that took part, id or name (repeat).")
@click.option("--place", default=None, help="Where.")
@click.option("--outcome", default=None, help="What came of it.")
def initiatives_activity(name, data, read, username, where, kind, title, held_on,
                         participants, place, outcome):
    """Record an activity of an initiative (B2B meeting day, training, trade mission, joint
    fair, shared facility) with who took part.

    \b
    Example:
      kumenet initiatives activity "Samsun Medikal Kümesi" sample_networks/pilot --as ayse \\
        --kind b2b_day --title "İkili görüşme günü" --date 2024-04-15 \\
        --participant F000001 --participant "Havza Medikal" --outcome "14 görüşme"
    """
    from kumenet.workspace.initiatives import add_activity

    ws = _open(where)
    user = _account(ws, username)
    net = read(data)
    made = add_activity(ws, user, name, kind, title, held_on,
                        participants=_ids(net, participants), place=place, outcome=outcome)
    click.echo(say("cli.activity_recorded", title=made["title"],
                    date=made["held_on"].isoformat(), n=len(made["participants"])), err=True)


@initiatives.command("figures")
@click.argument("name")
@click.argument("file", type=click.Path(path_type=Path))
@DATA
@data_options
@AS_USER
@WORKSPACE
def initiatives_figures(name, file, data, read, username, where):
    """Bring in a centre's figures for an initiative's members: one row per firm and year
    with the columns Firma, Yıl and any of Ciro, İhracat, Ar-Ge Personeli (.xlsx, .csv).
    Every row is checked first; nothing is written unless all are right.

    \b
    Example:
      kumenet initiatives figures "Samsun Medikal Kümesi" rakamlar.xlsx sample_networks/pilot \\
        --as ayse
    """
    from kumenet.app.initiatives import read_figures
    from kumenet.workspace.initiatives import record_figures

    ws = _open(where)
    user = _account(ws, username)
    net = read(data)
    rows = read_figures(file, lambda n: str(net.ids[net.find(n)]),
                        decimal=read.keywords.get("decimal"))
    done = record_figures(ws, user, name, rows)
    click.echo(say("cli.figures_recorded", file=file, new=done["new"],
                    replaced=done["replaced"]), err=True)


@initiatives.command("report")
@click.argument("name")
@DATA
@data_options
@WORKSPACE
@INDICATORS
@LANG
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="An .html page or an .xlsx workbook.")
def initiatives_report(name, data, read, where, mapping, lang, output):
    """An initiative's yearly indicator panel: each indicator per year from the network,
    the workspace and the reported figures, with what moved it, as a page of small charts
    (.html) or a workbook (.xlsx).

    \b
    Example:
      kumenet initiatives report "Samsun Medikal Kümesi" sample_networks/pilot \\
        --workspace outputs/workspace.db -o samsun_medikal.html
    """
    from kumenet.app.initiatives import load_indicators, read_panel
    from kumenet.files import atomic_path
    from kumenet.output import write_tables
    from kumenet.viz.initiative import initiative_html, initiative_tables
    from kumenet.workspace.auth import COMMAND_LINE

    suffix = output.suffix.lower()
    if suffix not in (".html", ".xlsx"):
        raise click.UsageError(f"{output}: write the report to an .html or .xlsx file")
    ws = _open(where)
    net = read(data)
    indicators = load_indicators(mapping)
    record, panel = read_panel(ws, net, COMMAND_LINE, name, lang=lang, indicators=indicators)
    names = dict(zip(net.ids, net.nodes["name"].astype(object)))
    named = lambda a: names.get(a) or a  # noqa: E731
    if suffix == ".html":
        page = initiative_html(record, panel, named, lang, network=Path(data).name,
                               mapping=indicators.source)
        with atomic_path(output) as tmp:
            tmp.write_text(page, encoding="utf-8")
    else:
        write_tables(initiative_tables(record, panel, named, lang), str(output), "xlsx")
    wrote(output)


@initiatives.command("kpis")
@DATA
@data_options
@WORKSPACE
@INDICATORS
@click.option("-o", "--output", required=True, metavar="FILE",
              help="A .csv (or .xlsx, .parquet, .json) file.")
@click.option("--format", "fmt", default=None, help="Output format (default: from -o).")
def initiatives_kpis(data, read, where, mapping, output, fmt):
    """Every initiative's indicators as one table: one row per initiative, year and
    indicator (initiative, year, indicator, value, criterion), for the Ministry's reports.

    \b
    Example:
      kumenet initiatives kpis sample_networks/pilot --workspace outputs/workspace.db \\
        -o kpis.csv
    """
    from kumenet.app.initiatives import kpi_table, load_indicators
    from kumenet.workspace.auth import COMMAND_LINE

    ws = _open(where)
    table = kpi_table(ws, read(data), COMMAND_LINE, indicators=load_indicators(mapping))
    if table.empty:
        raise KumenetError(f"the workspace {ws.shown} has no initiatives yet "
                           "(kumenet initiatives add)")
    write_output(table, output, fmt)


@initiatives.command("config")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the default indicator mapping here (to edit) instead of the screen.")
def initiatives_config(output):
    """Show (or write) the indicator mapping: each indicator's names, the evaluation
    criterion it informs and the programme's reporting line it feeds.

    \b
    Example:
      kumenet initiatives config -o gostergeler.toml
    """
    from kumenet.cli.base import packaged_file

    packaged_file("initiative_indicators.toml", output)
