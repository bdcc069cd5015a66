"""Cluster initiatives in the workspace: who belongs (and from when to when), what was done
(activities and their participants), and the figures a centre reports (turnover, exports,
R&D staff).

An initiative belongs to a centre: its staff and the admins write it, everybody logged in
reads it (an initiative and its members are the programme's public facts; researchers see
them too). Every write is checked, made in one transaction with its audit row, and answered
after the commit, like the introductions (:mod:`kumenet.workspace.records`). Members are
referred to by their network id; a member the network does not know yet (a firm that joined
before the data caught up) is kept by its name, flagged ``in_network = False``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa

from kumenet.errors import KumenetError, NotAllowed, NotLoggedIn, RecordNotFound
from kumenet.text import did_you_mean, fold
from kumenet.workspace.auth import User, require_writer
from kumenet.workspace.db import Workspace, now
from kumenet.workspace.records import _text, audit
from kumenet.workspace.schema import (activities, activity_participants, centres,
                                      initiative_figures, initiative_members, initiatives)

__all__ = ["ACTIVITY_KINDS", "FIGURES", "initiative_code", "as_date", "add_initiative",
           "list_initiatives", "get_initiative", "add_members", "end_membership",
           "add_activity", "record_figures"]

#: Kinds of activity an initiative holds.
ACTIVITY_KINDS = ("b2b_day", "training", "trade_mission", "joint_fair", "shared_facility",
                  "study_visit", "other")
#: Figures a centre uploads per member and year (see :func:`record_figures`).
FIGURES = ("turnover", "exports", "rd_staff")
MAX_MEMBERS = 5_000


def initiative_code(name: str) -> str:
    """The key an initiative is found by: its name folded Turkish-aware.

    >>> initiative_code(' SAMSUN  Tarım Makineleri '), initiative_code('samsun tarim makineleri')
    ('samsun tarim makineleri', 'samsun tarim makineleri')
    """
    key = " ".join(fold(str(name)).split())
    if not key:
        raise KumenetError("an initiative needs a name")
    return key[:60]


def as_date(value, what: str) -> date:
    """A date given as a date, ``2021-03-01``, ``01.03.2021`` or a year (its 1 January).

    >>> as_date('01.03.2021', 'joined'), as_date(2020, 'joined')
    (datetime.date(2021, 3, 1), datetime.date(2020, 1, 1))
    >>> as_date('2021-31-12', 'joined')
    Traceback (most recent call last):
    ...
    kumenet.errors.KumenetError: joined must be a date such as 2021-03-01 or 01.03.2021, not '2021-31-12'
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
    else:
        text = str(value).strip()[:40]
        try:
            if text.isdigit() and len(text) == 4:
                found = date(int(text), 1, 1)
            elif "." in text:
                day, month, year = (int(p) for p in text.split("."))
                found = date(year, month, day)
            else:
                found = date.fromisoformat(text)
        except ValueError as err:
            raise KumenetError(f"{what} must be a date such as 2021-03-01 or 01.03.2021, "
                               f"not {text!r}") from err
    if not 1950 <= found.year <= 2100:
        raise KumenetError(f"{what} must fall between 1950 and 2100")
    return found


def _writer(conn, user: User, initiative: dict | None = None, centre_id: str | None = None):
    require_writer(user)
    owner = initiative["centre_id"] if initiative is not None else centre_id
    if user.role == "staff" and owner != user.centre_id:
        raise NotAllowed("a staff member changes only the initiatives of their own centre")


def _reader(user: User | None) -> None:
    if user is None:
        raise NotLoggedIn("log in to see the initiatives")


def _centre(conn, user: User, code: str | None) -> str:
    if code is None:
        if user.centre_id is None:
            raise KumenetError("an initiative belongs to a centre: name one (--centre)")
        return user.centre_id
    row = conn.execute(sa.select(centres.c.id).where(centres.c.code == fold(code))).first()
    if row is None:
        known = [r.code for r in conn.execute(sa.select(centres.c.code))]
        hint = did_you_mean(code, known)
        raise KumenetError(f"no centre {code!r}" + (f" (did you mean {hint[0]!r}?)" if hint
                                                     else f"; the centres are {', '.join(known)}"))
    return row.id


def _members_in(actors) -> list[tuple[str, bool]]:
    """``[(actor, in_network)]`` from ids (in the network) or ``(name, False)`` pairs."""
    out = []
    for given in actors:
        actor, known = (given, True) if isinstance(given, str) else given
        out.append((_text(actor, "member", required=True), bool(known)))
    if len(out) > MAX_MEMBERS:
        raise KumenetError(f"at most {MAX_MEMBERS:,} members at once")
    if len({a for a, _ in out}) != len(out):
        raise KumenetError("a member is named twice")
    return out


def add_initiative(ws: Workspace, user: User, name: str, *, start_year: int,
                   provinces=(), sectors=(), coordinator: str | None = None,
                   members=(), centre: str | None = None, address: str | None = None) -> dict:
    """A new initiative with its first members (joined on 1 January of ``start_year``).

    ``members`` are network ids, or ``(name, False)`` for an actor the network lacks.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> made = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020,
    ...                       provinces=['Samsun'], sectors=['32.50'],
    ...                       members=['F000001', 'F000002'])
    >>> made['code'], [m['actor'] for m in made['members']]
    ('samsun tibbi cihazlar', ['F000001', 'F000002'])
    """
    require_writer(user)
    name = _text(name, "name", required=True)
    code = initiative_code(name)
    if not isinstance(start_year, int) or not 1950 <= start_year <= 2100:
        raise KumenetError("start year must be a year between 1950 and 2100")
    provinces = [_text(p, "province", 80, required=True) for p in provinces]
    sectors = [_text(s, "sector", 20, required=True) for s in sectors]
    coordinator = _text(coordinator, "coordinator")
    chosen = _members_in(members)
    with ws.write() as conn:
        centre_id = _centre(conn, user, centre)
        _writer(conn, user, centre_id=centre_id)
        if conn.execute(sa.select(initiatives.c.id).where(initiatives.c.code == code)).first():
            raise KumenetError(f"an initiative named {name!r} exists already")
        row = {"id": str(uuid.uuid4()), "code": code, "name": name, "centre_id": centre_id,
               "provinces": provinces, "sectors": sectors, "coordinator": coordinator,
               "start_year": start_year, "created_by": user.id, "created_at": now()}
        conn.execute(initiatives.insert(), row)
        audit(conn, user, "create", "initiative", row["id"], None, row, address)
        spells = _insert_members(conn, user, row, chosen, date(start_year, 1, 1), address)
    return {**row, "members": spells}


def _insert_members(conn, user, initiative, chosen, joined: date, address) -> list[dict]:
    spells = [{"id": str(uuid.uuid4()), "initiative_id": initiative["id"], "actor": actor,
               "in_network": known, "joined": joined, "left": None, "added_by": user.id,
               "added_at": now()} for actor, known in chosen]
    if spells:
        conn.execute(initiative_members.insert(), spells)
        audit(conn, user, "add_members", "initiative", initiative["id"], None,
              {"joined": joined.isoformat(), "members": [s["actor"] for s in spells]}, address)
    return spells


def _find(conn, name: str) -> dict:
    code = initiative_code(name)
    row = conn.execute(sa.select(initiatives).where(initiatives.c.code == code)).mappings().first()
    if row is None:
        known = [r.name for r in conn.execute(sa.select(initiatives.c.name))]
        hint = did_you_mean(name, known)
        raise RecordNotFound(f"no initiative named {name!r}" + (
            " (did you mean " + " or ".join(repr(h) for h in hint) + "?)" if hint else
            (f"; the initiatives are {', '.join(sorted(known))}" if known else
             "; there is none yet (kumenet initiatives add)")))
    return dict(row)


def list_initiatives(ws: Workspace, user: User | None) -> list[dict]:
    """Every initiative, with its centre's code and its members today.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020, members=['F1'])
    >>> [(i['name'], i['centre'], i['members_now']) for i in list_initiatives(ws, me)]
    [('Samsun tıbbi cihazlar', 'samsun', 1)]
    """
    _reader(user)
    today = now().date()
    current = (sa.select(initiative_members.c.initiative_id,
                         sa.func.count().label("members_now"))
               .where(initiative_members.c.joined <= today,
                      sa.or_(initiative_members.c.left.is_(None),
                             initiative_members.c.left > today))
               .group_by(initiative_members.c.initiative_id).subquery())
    with ws.read() as conn:
        rows = conn.execute(
            sa.select(initiatives, centres.c.code.label("centre"),
                      sa.func.coalesce(current.c.members_now, 0).label("members_now"))
            .select_from(initiatives.join(centres).outerjoin(
                current, current.c.initiative_id == initiatives.c.id))
            .order_by(initiatives.c.code)).mappings().all()
    return [dict(r) for r in rows]


def get_initiative(ws: Workspace, user: User | None, name: str) -> dict:
    """An initiative with every spell of membership, its activities (with participants) and
    the uploaded figures; found by its name in any case and spelling of Turkish letters.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020, members=['F1'])
    >>> get_initiative(ws, me, 'SAMSUN TIBBİ CİHAZLAR')['members'][0]['actor']
    'F1'
    >>> get_initiative(ws, me, 'Samsun tıbi cihaz')
    Traceback (most recent call last):
    ...
    kumenet.errors.RecordNotFound: no initiative named 'Samsun tıbi cihaz' (did you mean 'Samsun tıbbi cihazlar'?)
    """
    _reader(user)
    with ws.read() as conn:
        found = _find(conn, name)
        found["centre"] = conn.execute(sa.select(centres.c.code).where(
            centres.c.id == found["centre_id"])).scalar()
        found["members"] = [dict(r) for r in conn.execute(
            sa.select(initiative_members).where(initiative_members.c.initiative_id == found["id"])
            .order_by(initiative_members.c.joined, initiative_members.c.actor)).mappings()]
        acts = [dict(r) for r in conn.execute(
            sa.select(activities).where(activities.c.initiative_id == found["id"])
            .order_by(activities.c.held_on, activities.c.title)).mappings()]
        taking = {}
        for r in conn.execute(sa.select(activity_participants).where(
                activity_participants.c.activity_id.in_([a["id"] for a in acts]))
                .order_by(activity_participants.c.actor)):
            taking.setdefault(r.activity_id, []).append(r.actor)
        for a in acts:
            a["participants"] = taking.get(a["id"], [])
        found["activities"] = acts
        found["figures"] = [dict(r) for r in conn.execute(
            sa.select(initiative_figures).where(initiative_figures.c.initiative_id == found["id"])
            .order_by(initiative_figures.c.year, initiative_figures.c.actor,
                      initiative_figures.c.figure)).mappings()]
    return found


def add_members(ws: Workspace, user: User, name: str, members, joined,
                address: str | None = None) -> list[dict]:
    """Members joining an initiative on ``joined``; one who is a member then is refused.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020, members=['F1'])
    >>> [m['joined'].isoformat() for m in add_members(ws, me, 'samsun tıbbi cihazlar', ['F2'],
    ...                                               '2021-06-01')]
    ['2021-06-01']
    """
    joined = as_date(joined, "joined")
    chosen = _members_in(members)
    with ws.write() as conn:
        initiative = _find(conn, name)
        _writer(conn, user, initiative)
        if joined.year < initiative["start_year"]:
            raise KumenetError(f"joined {joined.isoformat()} is before the initiative started "
                               f"({initiative['start_year']})")
        open_spells = _open_spells(conn, initiative["id"], [a for a, _ in chosen])
        if open_spells:
            raise KumenetError(f"already a member: {', '.join(sorted(open_spells))}")
        return _insert_members(conn, user, initiative, chosen, joined, address)


def _open_spells(conn, initiative_id: str, actors: list[str]) -> dict:
    rows = conn.execute(sa.select(initiative_members).where(
        initiative_members.c.initiative_id == initiative_id,
        initiative_members.c.actor.in_(actors),
        initiative_members.c.left.is_(None))).mappings()
    return {r["actor"]: dict(r) for r in rows}


def end_membership(ws: Workspace, user: User, name: str, members, left,
                   address: str | None = None) -> list[dict]:
    """Members leaving an initiative on ``left`` (their open spell is closed; the record of
    their membership stays).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020, members=['F1'])
    >>> [m['left'].isoformat() for m in end_membership(ws, me, 'samsun tıbbi cihazlar', ['F1'],
    ...                                                '2022-12-31')]
    ['2022-12-31']
    """
    left = as_date(left, "left")
    actors = [a for a, _ in _members_in(members)]
    with ws.write() as conn:
        initiative = _find(conn, name)
        _writer(conn, user, initiative)
        spells = _open_spells(conn, initiative["id"], actors)
        missing = [a for a in actors if a not in spells]
        if missing:
            raise KumenetError(f"not a member now: {', '.join(missing)}")
        early = [a for a in actors if left <= spells[a]["joined"]]
        if early:
            raise KumenetError(f"left {left.isoformat()} is not after {early[0]} joined "
                               f"({spells[early[0]]['joined'].isoformat()})")
        ids = [spells[a]["id"] for a in actors]
        conn.execute(initiative_members.update().where(initiative_members.c.id.in_(ids))
                     .values(left=left))
        audit(conn, user, "end_membership", "initiative", initiative["id"],
              {"members": actors, "left": None},
              {"members": actors, "left": left.isoformat()}, address)
    return [{**spells[a], "left": left} for a in actors]


def add_activity(ws: Workspace, user: User, name: str, kind: str, title: str, held_on, *,
                 participants=(), place: str | None = None, outcome: str | None = None,
                 address: str | None = None) -> dict:
    """An activity of an initiative (see :data:`ACTIVITY_KINDS`) with who took part.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020, members=['F1'])
    >>> act = add_activity(ws, me, 'samsun tıbbi cihazlar', 'b2b_day', 'İkili görüşme günü',
    ...                    '2021-04-15', participants=['F1', 'F2'], outcome='12 görüşme')
    >>> act['kind'], act['participants']
    ('b2b_day', ['F1', 'F2'])
    """
    if kind not in ACTIVITY_KINDS:
        raise KumenetError(f"kind must be one of {', '.join(ACTIVITY_KINDS)}, not {kind!r}")
    held_on = as_date(held_on, "date")
    takers = [a for a, _ in _members_in(participants)]
    row = {"id": str(uuid.uuid4()), "kind": kind, "title": _text(title, "title", required=True),
           "held_on": held_on, "place": _text(place, "place"),
           "outcome": _text(outcome, "outcome", 10_000), "created_by": user.id,
           "created_at": now()}
    with ws.write() as conn:
        initiative = _find(conn, name)
        _writer(conn, user, initiative)
        row["initiative_id"] = initiative["id"]
        conn.execute(activities.insert(), row)
        if takers:
            conn.execute(activity_participants.insert(),
                         [{"activity_id": row["id"], "actor": a} for a in takers])
        audit(conn, user, "create", "activity", row["id"], None,
              {**row, "participants": takers}, address)
    return {**row, "participants": takers}


def record_figures(ws: Workspace, user: User, name: str, rows: list[dict],
                   address: str | None = None) -> dict:
    """Figures per member and year (``actor``, ``year``, ``figure``, ``value``), replacing
    what was reported before for the same member, year and figure; the audit row keeps the
    values replaced.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Samsun tıbbi cihazlar', start_year=2020, members=['F1'])
    >>> record_figures(ws, me, 'samsun tıbbi cihazlar',
    ...                [{'actor': 'F1', 'year': 2021, 'figure': 'exports', 'value': 1.5e6}])
    {'new': 1, 'replaced': 0}
    """
    for r in rows:
        if r.get("figure") not in FIGURES:
            raise KumenetError(f"figure must be one of {', '.join(FIGURES)}, not "
                               f"{r.get('figure')!r}")
    with ws.write() as conn:
        initiative = _find(conn, name)
        _writer(conn, user, initiative)
        key = initiative_figures.c
        before = {(r.actor, r.year, r.figure): r.value for r in conn.execute(
            sa.select(key.actor, key.year, key.figure, key.value)
            .where(key.initiative_id == initiative["id"]))}
        replaced = [r for r in rows if (r["actor"], r["year"], r["figure"]) in before]
        for r in replaced:  # the few a centre corrects; the rest go in one insert
            conn.execute(initiative_figures.delete().where(
                key.initiative_id == initiative["id"], key.actor == r["actor"],
                key.year == r["year"], key.figure == r["figure"]))
        stamp = now()
        if rows:
            conn.execute(initiative_figures.insert(), [
                {"initiative_id": initiative["id"], "actor": r["actor"], "year": int(r["year"]),
                 "figure": r["figure"], "value": float(r["value"]), "uploaded_by": user.id,
                 "uploaded_at": stamp} for r in rows])
        audit(conn, user, "record_figures", "initiative", initiative["id"],
              [{"actor": r["actor"], "year": r["year"], "figure": r["figure"],
                "value": before[(r["actor"], r["year"], r["figure"])]} for r in replaced],
              {"rows": len(rows)}, address)
    return {"new": len(rows) - len(replaced), "replaced": len(replaced)}
