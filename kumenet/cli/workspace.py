"""``kumenet workspace ...`` and ``kumenet users ...``: setting up the workspace, its accounts,
bringing a centre's log in, taking everything out, the audit log, backups and copies.

Every command names its workspace with ``--workspace PATH|URL`` (default: ``KUMENET_WORKSPACE``,
else ``workspace.db`` in the user's data folder) and says which it used.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kumenet.cli.base import DATA, cli, data_options, note, wrote, say

WORKSPACE = click.option(
    "--workspace", "where", default=None, metavar="PATH|URL",
    help="A SQLite file or a postgresql://user@host/db URL (default: KUMENET_WORKSPACE, "
         "else workspace.db in the user's data folder).")


def _open(where, *, checked: bool = True):
    from kumenet.workspace.db import Workspace

    ws = Workspace(where)
    note(say("cli.workspace_in", where=ws.shown))
    if checked:
        ws.check()
    return ws


@cli.group()
def workspace():
    """The centres' workspace: introductions, notes, contacts, the audit log."""


@workspace.command("init")
@WORKSPACE
def workspace_init(where):
    """Create the workspace, or bring it up to this kumenet's schema (a SQLite file is
    copied beside itself first). The five pilot centres and the preset lists are added.

    \b
    Example:
      kumenet workspace init --workspace centre.db
    """
    from kumenet.workspace.lists import init_workspace

    ws, found, backup = init_workspace(where)
    said = "created" if found is None else ("current" if backup is None and
                                            found == ws.revision() else "upgraded")
    if backup is not None:
        click.echo(say("cli.workspace_backup", path=str(backup)), err=True)
    click.echo(say(f"cli.workspace_{said}", where=ws.shown, schema=ws.revision()), err=True)
    ws.close()


@workspace.command("import")
@click.argument("log", type=click.Path(path_type=Path))
@DATA
@data_options
@WORKSPACE
@click.option("--as", "username", required=True, metavar="USER",
              help="The staff account the log's steps are recorded under (its centre's).")
def workspace_import(log, data, read, where, username):
    """Bring a centre's Excel log of contacts and meetings in (Turkish headers: Tarih,
    Firma, Görüşülen Firma, Durum, Not, Red Nedeni, Taraf, Görüşme Tarihi, Yer, Anlaşma Türü,
    Değerlendirme). DATA is the network its firms are found in (by id or name). Every row is
    checked first; nothing is written unless all are right.

    \b
    Example:
      kumenet workspace import kayitlar.xlsx sample_networks/pilot --as ayse --workspace centre.db
    """
    from kumenet.app.workspace import import_log

    ws = _open(where)
    user = _account(ws, username)
    net = read(data)
    counts = import_log(ws, net, user, log)
    click.echo(say("cli.imported", log=str(log),
                    introductions=counts["introductions"], events=counts["events"]), err=True)


def _account(ws, username: str):
    """The account ``username`` as the user the command acts as."""
    import sqlalchemy as sa

    from kumenet.errors import KumenetError
    from kumenet.workspace.auth import User, username_key
    from kumenet.workspace.schema import centres, users

    with ws.read() as conn:
        row = conn.execute(sa.select(users, centres.c.code.label("centre_code"))
                           .select_from(users.outerjoin(centres))
                           .where(users.c.username == username_key(username))).mappings().first()
    if row is None or not row["active"]:
        raise KumenetError(f"no active user {username!r} (kumenet users list)")
    return User(row["id"], row["username"], row["display_name"], row["role"], row["centre_id"],
                row["centre_code"])


@workspace.command("export")
@WORKSPACE
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="An .xlsx workbook.")
@click.option("--as", "username", default=None, metavar="USER",
              help="Export what this account may see (default: everything).")
def workspace_export(where, output, username):
    """Write every record (or what one account may see) to an Excel workbook: a sheet of
    introductions, of their steps, of notes, of contact persons, and the audit log.

    \b
    Example:
      kumenet workspace export --workspace centre.db -o workspace.xlsx
    """
    from kumenet.workspace.auth import COMMAND_LINE
    from kumenet.workspace.transfer import export_workbook

    ws = _open(where)
    user = _account(ws, username) if username else COMMAND_LINE
    export_workbook(ws, user, output)
    wrote(output)


@workspace.command("audit")
@WORKSPACE
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="A .csv (;-separated) or .xlsx file.")
def workspace_audit(where, output):
    """Write the audit log (who, when, action, record, before, after), oldest first.

    \b
    Example:
      kumenet workspace audit --workspace centre.db -o audit.csv
    """
    from kumenet.workspace.transfer import write_audit

    ws = _open(where)
    write_audit(ws, output)
    wrote(output)


@workspace.command("backup")
@WORKSPACE
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The backup: a SQLite file.")
def workspace_backup(where, output):
    """A consistent copy while the workspace is in use (a PostgreSQL workspace is copied
    into a SQLite file, which kumenet workspace copy brings back).

    \b
    Example:
      kumenet workspace backup --workspace centre.db -o centre-backup.db
    """
    from kumenet.workspace.transfer import backup

    ws = _open(where)
    backup(ws, output)
    wrote(output)


@workspace.command("copy")
@click.argument("source")
@click.argument("target")
def workspace_copy(source, target):
    """Copy every record of the workspace SOURCE into TARGET (new or empty), row for row: a
    pilot's SQLite file into the national PostgreSQL server.

    \b
    Example:
      kumenet workspace copy centre.db postgresql://kumenet@db.example/kumenet
    """
    from kumenet.workspace.db import Workspace
    from kumenet.workspace.transfer import copy

    src = _open(source)
    dst = Workspace(target)
    dst.upgrade(backup=False)
    counts = copy(src, dst)
    click.echo(say("cli.copied", src=src.shown, dst=dst.shown,
                    what=", ".join(f"{n:,} {t}" for t, n in counts.items() if n)), err=True)


@cli.group()
def users():
    """Accounts of the workspace: admin, staff (of a centre), researcher."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "staff", "researcher"]), required=True)
@click.option("--centre", default=None, help="The centre's code (samsun, trabzon, corum, "
              "kahramanmaras, gaziantep, or one an admin added); staff need one.")
@click.option("--display-name", default=None, help="The name pages show (default: NAME).")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
@WORKSPACE
def users_add(name, role, centre, display_name, password_stdin, where):
    """Add an account.

    \b
    Example:
      echo 'a long secret phrase' | kumenet users add ayse --role staff --centre samsun --password-stdin
    """
    from kumenet.workspace.auth import add_user

    ws = _open(where)
    added = add_user(ws, name, role, _password(), centre=centre, display_name=display_name)
    click.echo(say("cli.user_added", name=added["username"],
                    role=role + (", " + centre if centre else "")), err=True)


def _password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        from kumenet.errors import KumenetError

        raise KumenetError("no password on standard input")
    return password


@users.command("list")
@WORKSPACE
def users_list(where):
    """List the accounts.

    \b
    Example:
      kumenet users list --workspace centre.db
    """
    import pandas as pd

    from kumenet.workspace.auth import list_users

    ws = _open(where)
    rows = list_users(ws)
    from kumenet.output import write_tables

    write_tables({"users": pd.DataFrame(rows, columns=["username", "display_name", "role",
                                                       "centre", "active", "created_at"])},
                 None, None)


@users.command("disable")
@click.argument("name")
@WORKSPACE
def users_disable(name, where):
    """Disable an account (its sessions end at once; its records stay).

    \b
    Example:
      kumenet users disable ayse --workspace centre.db
    """
    from kumenet.workspace.auth import set_active

    set_active(_open(where), name, False)
    click.echo(say("cli.user_disabled", name=name), err=True)


@users.command("enable")
@click.argument("name")
@WORKSPACE
def users_enable(name, where):
    """Enable a disabled account again.

    \b
    Example:
      kumenet users enable ayse --workspace centre.db
    """
    from kumenet.workspace.auth import set_active

    set_active(_open(where), name, True)
    click.echo(say("cli.user_enabled", name=name), err=True)


@users.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the new password from standard input.")
@WORKSPACE
def users_reset_password(name, password_stdin, where):
    """Set a new password (every session of the account ends).

    \b
    Example:
      echo 'another long phrase' | kumenet users reset-password ayse --password-stdin
    """
    from kumenet.workspace.auth import reset_password

    reset_password(_open(where), name, _password())
    click.echo(say("cli.password_set", name=name), err=True)


@workspace.command("centres")
@WORKSPACE
@click.option("--add", "code", default=None, metavar="CODE",
              help="Add a centre with this code (lower case, no spaces).")
@click.option("--name", default=None, help="The new centre's name.")
@click.option("--province", default=None, help="The new centre's province.")
def workspace_centres(where, code, name, province):
    """List the centres, or add one (an admin's work: the five pilot centres are preset).

    \b
    Example:
      kumenet workspace centres --add ankara --name "Ankara Kümelenme Bilgi Merkezi" --province Ankara
    """
    import pandas as pd
    import sqlalchemy as sa

    from kumenet.output import write_tables
    from kumenet.workspace.auth import add_centre
    from kumenet.workspace.schema import centres

    ws = _open(where)
    if code:
        add_centre(ws, code, name or code, province)
        click.echo(say("cli.centre_added", code=code), err=True)
    with ws.read() as conn:
        rows = conn.execute(sa.select(centres.c.code, centres.c.name, centres.c.province)
                            .order_by(centres.c.code)).mappings().all()
    write_tables({"centres": pd.DataFrame([dict(r) for r in rows])}, None, None)


@workspace.command("setting")
@click.argument("key", required=False)
@click.argument("value", required=False, type=int)
@WORKSPACE
def workspace_setting(key, value, where):
    """Show the workspace's settings, or set one (audited): expire_days, follow_up_days,
    exploration (1: each list of suggestions of match --learn-from gets an exploratory slot).

    \b
    Examples:
      kumenet workspace setting --workspace centre.db
      kumenet workspace setting exploration 1 --workspace centre.db
    """
    from kumenet.workspace.auth import COMMAND_LINE
    from kumenet.workspace.lists import DEFAULTS, change_setting, setting

    ws = _open(where)
    if key is None:
        for name in DEFAULTS:
            click.echo(f"{name} = {setting(ws, name)}")
        return
    if value is None:
        raise click.UsageError("give the VALUE to set (or neither KEY nor VALUE to list them)")
    done = change_setting(ws, COMMAND_LINE, key, value)
    click.echo(f"{done['key']}: {done['before']} -> {done['after']}", err=True)


@workspace.command("reasons")
@WORKSPACE
@click.option("--list", "name", type=click.Choice(["decline_reason", "agreement", "follow_up"]),
              default="decline_reason", show_default=True)
@click.option("--add", "code", default=None, metavar="CODE", help="Add a choice with this code.")
@click.option("--tr", "label_tr", default=None, help="Its Turkish label.")
@click.option("--en", "label_en", default=None, help="Its English label.")
def workspace_reasons(where, name, code, label_tr, label_en):
    """List the choices staff pick from (decline reasons, agreement kinds, follow-up ratings),
    or add one.

    \b
    Example:
      kumenet workspace reasons --add price --tr "fiyat" --en "price"
    """
    import pandas as pd
    import sqlalchemy as sa

    from kumenet.output import write_tables
    from kumenet.workspace.records import add_choice
    from kumenet.workspace.schema import choices

    ws = _open(where)
    if code:
        add_choice(ws, name, code, label_tr or code, label_en or code)
        click.echo(say("cli.choice_added", code=code, name=name), err=True)
    with ws.read() as conn:
        rows = conn.execute(sa.select(choices.c.code, choices.c.label_tr, choices.c.label_en,
                                      choices.c.active).where(choices.c.list == name)
                            .order_by(choices.c.code)).mappings().all()
    write_tables({name: pd.DataFrame([dict(r) for r in rows])}, None, None)


@workspace.command("shortlist")
@click.argument("table", type=click.Path(path_type=Path))
@DATA
@data_options
@WORKSPACE
@click.option("--as", "username", required=True, metavar="USER",
              help="The staff account the shortlist belongs to (its centre's).")
def workspace_shortlist(table, data, read, where, username):
    """Shortlist the rows of a suggestion table (kumenet match -o ...) or of a consortium
    table (--consortium), as picked in Excel: one introduction per row, or a group
    introduction per consortium; rank, score, strength and scope travel with them.

    \b
    Example:
      kumenet workspace shortlist secilenler.xlsx sample_networks/pilot --as ayse --workspace centre.db
    """
    from kumenet.app.workspace import shortlist_table

    ws = _open(where)
    user = _account(ws, username)
    counts = shortlist_table(ws, read(data), user, table)
    click.echo(say("cli.shortlisted", n=counts["introductions"],
                    table=str(table)), err=True)
