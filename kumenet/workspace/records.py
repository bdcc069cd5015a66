"""What staff record: introductions and their events, notes and contact persons, the
suggestions shown; every write audited in its own transaction.

Each function takes the :class:`~kumenet.workspace.db.Workspace`, the
:class:`~kumenet.workspace.auth.User` who acts, and what to write; it checks the user's role
and centre, writes in one transaction with its audit row, and returns what was written only
after the commit. Reads return plain dicts, without what the user may not see (another
centre's private records, notes not visible to them, personal data for researchers).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa

from kumenet.errors import Conflict, KumenetError, NotAllowed, NotLoggedIn, RecordNotFound
from kumenet.workspace import stages
from kumenet.workspace.auth import User, require_writer
from kumenet.workspace.db import Workspace, now
from kumenet.workspace.schema import (audit as audit_table, choices, contacts, events,
                                      impressions, introductions, members, notes, users)

__all__ = ["audit", "create_introduction", "add_event", "record_histories", "get_introduction",
           "add_note", "actor_notes", "add_contact", "actor_contacts", "erase_contact",
           "log_impressions", "ensure_choices", "add_choice", "choice_labels"]


MAX_NOTE = 10_000  # characters of a note
MAX_FIELD = 200
ORIGINS = ("suggestion", "profile", "consortium", "hand", "import")
VISIBILITY = ("private", "centre", "national")
#: Contact persons' fields that are personal data (never in the audit log).
PERSONAL = ("name", "role", "phone", "email", "consent_note")


def audit(conn, user: User | None, action: str, record_type: str, record_id,
          before, after, address: str | None = None) -> None:
    """One audit row, in the caller's transaction.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> import sqlalchemy as sa
    >>> from kumenet.workspace.schema import audit as audit_log
    >>> with ws.read() as conn:
    ...     actions = [r.action for r in conn.execute(sa.select(audit_log.c.action))]
    >>> 'create_introduction' in actions
    False
    """
    conn.execute(audit_table.insert(), {
        "at": now(), "user_id": user.id if user else None,
        "username": user.username if user else None, "action": action,
        "record_type": record_type, "record_id": None if record_id is None else str(record_id),
        "before": _plain(before), "after": _plain(after),
        "address": None if address is None else str(address)[:64]})


def _plain(value):
    """A record as JSON values (times as ISO text)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _text(value, what: str, limit: int = MAX_FIELD, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise KumenetError(f"{what} is required")
        return None
    if not isinstance(value, (str, int, float)):
        raise KumenetError(f"{what} must be text")
    value = str(value).strip()
    if len(value) > limit:
        raise KumenetError(f"{what} has {len(value):,} characters; at most {limit:,}")
    if "\x00" in value:
        raise KumenetError(f"{what} holds a NUL character")
    return value


def _when(value, what: str) -> datetime | None:
    """A time given as ISO text (``2025-03-12T10:00``, a zone turned into UTC)."""
    if value in (None, ""):
        return None
    try:
        at = datetime.fromisoformat(str(value)[:40])
    except ValueError as err:
        raise KumenetError(f"{what} must be a date and time such as 2025-03-12T10:00, "
                           f"not {str(value)[:40]!r}") from err
    if at.tzinfo is not None:
        from datetime import timezone

        at = at.astimezone(timezone.utc).replace(tzinfo=None)
    if not 1990 <= at.year <= 2100:
        raise KumenetError(f"{what} must fall between 1990 and 2100")
    return at


def _choice(conn, name: str, code, what: str) -> str | None:
    if code in (None, ""):
        return None
    code = str(code)[:60]
    row = conn.execute(sa.select(choices.c.code).where(choices.c.list == name,
                                                       choices.c.code == code,
                                                       choices.c.active)).first()
    if row is None:
        known = [r.code for r in conn.execute(sa.select(choices.c.code).where(
            choices.c.list == name, choices.c.active).order_by(choices.c.code))]
        raise KumenetError(f"{what} must be one of {', '.join(known)}, not {code!r}")
    return code


def _writer_for(user: User, centre_id: str | None) -> None:
    """Staff write in their own centre only; admins anywhere."""
    require_writer(user)
    if user.role == "staff" and centre_id != user.centre_id:
        raise NotAllowed("a staff member changes only the records of their own centre")


def _may_read(user: User | None, row) -> bool:
    if user is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "staff":
        return row["centre_id"] == user.centre_id or not row["private"]
    return False  # researchers read aggregates only


# -- introductions ---------------------------------------------------------------------------

def create_introduction(ws: Workspace, user: User, source: str, target: str, *,
                        group: tuple = (), origin: str = "hand", scope: str | None = None,
                        strength: int | None = None, rank: int | None = None,
                        score: float | None = None, scorer: str | None = None,
                        private: bool = False, note: str | None = None,
                        centre_id: str | None = None, address: str | None = None,
                        at: datetime | None = None) -> dict:
    """A new introduction at ``shortlisted`` (its first event), for the user's centre
    (an admin may name another).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> intro['stage'], intro['seq'], [e['to_stage'] for e in intro['events']]
    ('shortlisted', 1, ['shortlisted'])
    """
    require_writer(user)
    source = _text(source, "source", required=True)
    target = _text(target, "target", required=True)
    group = tuple(_text(a, "group member", required=True) for a in group)
    if source == target or len({source, target, *group}) != 2 + len(group):
        raise KumenetError("an introduction is between different actors")
    if len(group) > 20:
        raise KumenetError("a group introduction has at most 22 actors")
    if origin not in ORIGINS:
        raise KumenetError(f"origin must be one of {', '.join(ORIGINS)}")
    note = _text(note, "note", MAX_NOTE)
    centre = centre_id if (user.is_admin and centre_id) else user.centre_id
    if centre is None:
        raise NotAllowed("an introduction belongs to a centre: this account has none")
    _writer_for(user, centre)
    when = at or now()
    row = {"id": str(uuid.uuid4()), "centre_id": centre, "created_by": user.id,
           "created_at": when, "source": source, "target": target, "origin": origin,
           "scope": _text(scope, "scope", 20), "strength": _int(strength, "strength", 1, 5),
           "rank": _int(rank, "rank", 1, 10_000), "score": _float(score, "score"),
           "scorer": _text(scorer, "scorer"), "private": bool(private),
           "stage": stages.FIRST, "stage_at": when, "seq": 1, "meeting_at": None,
           "met_at": None, **{c: None for c in stages.REACHED.values()}}
    event = {"id": str(uuid.uuid4()), "introduction_id": row["id"], "seq": 1, "at": when,
             "user_id": user.id, "from_stage": None, "to_stage": stages.FIRST, "side": None,
             "reason": None, "note": note, "details": None, "correction": False}
    with ws.write() as conn:
        conn.execute(introductions.insert(), row)
        if group:
            conn.execute(members.insert(), [{"introduction_id": row["id"], "position": i,
                                             "actor": a} for i, a in enumerate(group, 2)])
        conn.execute(events.insert(), event)
        audit(conn, user, "create", "introduction", row["id"], None,
              {**row, "group": list(group), "note": note}, address)
    return {**row, "group": list(group), "events": [event]}


def _int(value, what: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as err:
        raise KumenetError(f"{what} must be a whole number") from err
    if not low <= number <= high:
        raise KumenetError(f"{what} must be between {low} and {high}")
    return number


def _float(value, what: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise KumenetError(f"{what} must be a number") from err
    if number != number or abs(number) > 1e12:
        raise KumenetError(f"{what} must be a finite number")
    return number


def add_event(ws: Workspace, user: User, introduction_id: str, stage: str, *,
              side: str | None = None, reason: str | None = None, note: str | None = None,
              details: dict | None = None, correction: bool = False,
              expected_seq: int | None = None, address: str | None = None,
              at: datetime | None = None) -> dict:
    """Move an introduction to ``stage`` (:mod:`~kumenet.workspace.stages`).

    ``expected_seq``: the last event the user saw; when another came since, or the stage does
    not allow the move (someone moved it first), :class:`Conflict` says so; nothing is written.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> e = add_event(ws, me, intro['id'], 'contacted', side='both', note='12.03 arandı')
    >>> e['from_stage'], e['to_stage'], e['seq']
    ('shortlisted', 'contacted', 2)
    >>> add_event(ws, me, intro['id'], 'met', side='both')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kumenet.errors.Conflict: the introduction is at contacted (since ...) and cannot move to met...
    """
    require_writer(user)
    if stage not in stages.MOVES:
        raise KumenetError(f"stage must be one of {', '.join(stages.STAGES)}, not "
                           f"{str(stage)[:40]!r}")
    note = _text(note, "note", MAX_NOTE)
    if correction and not note:
        raise KumenetError("a correction needs a note saying what was wrong")
    if side is not None and side not in stages.SIDES:
        raise KumenetError(f"side must be one of {', '.join(stages.SIDES)}")
    details = dict(details or {})
    if len(str(details)) > 4_000:
        raise KumenetError("the event's details are too long")
    when = at or now()
    with ws.write() as conn:
        clean = _details(stage, details, side, correction, _lists(conn))
        row = conn.execute(sa.select(introductions).where(introductions.c.id == introduction_id)
                           .with_for_update()).mappings().first()
        if row is None or not _may_read(user, row):
            raise RecordNotFound(f"no introduction {introduction_id!r}")
        _writer_for(user, row["centre_id"])
        if expected_seq is not None and int(expected_seq) != row["seq"]:
            last = _last_event(conn, introduction_id)
            raise Conflict(f"the introduction was changed since you read it: "
                           f"{last['username']} moved it to {last['to_stage']} at "
                           f"{last['at']:%Y-%m-%d %H:%M} UTC; nothing was saved, reload it")
        if not stages.allowed(row["stage"], stage, correction):
            raise Conflict(f"the introduction is at {row['stage']} (since "
                           f"{row['stage_at']:%Y-%m-%d %H:%M} UTC) and cannot move to {stage}; "
                           "nothing was saved")
        if stage == "declined":
            reason = _choice(conn, "decline_reason", reason, "reason")
            if reason is None:
                raise KumenetError("a decline needs its reason")
        elif reason is not None:
            reason = _text(reason, "reason", 60)
        event = {"id": str(uuid.uuid4()), "introduction_id": introduction_id,
                 "seq": row["seq"] + 1, "at": when, "user_id": user.id,
                 "from_stage": row["stage"], "to_stage": stage, "side": side,
                 "reason": reason, "note": note, "details": clean or None,
                 "correction": bool(correction)}
        conn.execute(events.insert(), event)
        change = {"stage": stage, "stage_at": when, "seq": row["seq"] + 1,
                  **{c: when for c in stages.newly_reached(row, stage)}}
        if stage == "meeting_planned":
            change["meeting_at"] = _when(clean["meeting_at"], "meeting_at")
        if stage == "met":
            change["met_at"] = _when(clean.get("held_at"), "held_at") or when
        done = conn.execute(introductions.update().where(
            introductions.c.id == introduction_id, introductions.c.seq == row["seq"])
            .values(**change))
        if done.rowcount != 1:  # another writer won (cannot happen under the lock; checked)
            raise Conflict("the introduction was changed at the same moment; nothing was saved")
        audit(conn, user, "event", "introduction", introduction_id,
              {"stage": row["stage"], "seq": row["seq"]}, event, address)
    return event


def record_histories(ws: Workspace, user: User, histories: list[dict],
                     address: str | None = None, action: str = "import") -> dict:
    """Introductions with their whole history, written in one transaction (a centre's old
    log, the demo's sample): each history is ``source``, ``target``, ``at`` and ``events``
    (``stage``, ``at``, ``side``, ``reason``, ``note``, ``details``), and may name its
    ``centre_id`` (admins), ``origin``, ``scope``, ``strength``, ``rank``, ``score``. Every
    move is checked as :func:`add_event` checks it; one wrong history writes nothing.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from datetime import datetime
    >>> day = datetime(2024, 3, 12)
    >>> record_histories(ws, me, [{'source': 'F000003', 'target': 'F000004', 'at': day,
    ...                  'events': [{'stage': 'contacted', 'side': 'both', 'at': day}]}])
    {'introductions': 1, 'events': 1}
    """
    require_writer(user)
    intro_rows, event_rows, audit_rows, member_rows = [], [], [], []
    with ws.write() as conn:
        known = _lists(conn)
        reasons = known.get("decline_reason", set())
        for n, history in enumerate(histories, 1):
            centre = history.get("centre_id") if user.is_admin and history.get("centre_id") \
                else user.centre_id
            if centre is None:
                raise NotAllowed("an introduction belongs to a centre: this account has none")
            _writer_for(user, centre)
            when = history["at"]
            row = {"id": str(uuid.uuid4()), "centre_id": centre, "created_by": user.id,
                   "created_at": when, "source": _text(history["source"], "source", required=True),
                   "target": _text(history["target"], "target", required=True),
                   "origin": history.get("origin", "import"), "scope": history.get("scope"),
                   "strength": _int(history.get("strength"), "strength", 1, 5),
                   "rank": _int(history.get("rank"), "rank", 1, 10_000),
                   "score": _float(history.get("score"), "score"), "scorer": history.get("scorer"),
                   "private": False, "stage": stages.FIRST, "stage_at": when, "seq": 1,
                   "meeting_at": None, "met_at": None,
                   **{c: None for c in stages.REACHED.values()}}
            steps = [{"stage": stages.FIRST, "at": when, "note": history.get("note")},
                     *history.get("events", [])]
            for seq, step in enumerate(steps, 1):
                stage, at = step["stage"], step["at"]
                if seq > 1 and not stages.allowed(row["stage"], stage):
                    raise Conflict(f"history {n}: {stage} cannot follow {row['stage']}")
                if stage == "declined" and step.get("reason") not in reasons:
                    raise KumenetError(f"history {n}: a decline needs a reason of the list")
                clean = _details(stage, dict(step.get("details") or {}), step.get("side"),
                                 False, known) if seq > 1 else {}
                event_rows.append({
                    "id": str(uuid.uuid4()), "introduction_id": row["id"], "seq": seq, "at": at,
                    "user_id": user.id, "from_stage": row["stage"] if seq > 1 else None,
                    "to_stage": stage, "side": step.get("side"), "reason": step.get("reason"),
                    "note": _text(step.get("note"), "note", MAX_NOTE),
                    "details": clean or None, "correction": False})
                row.update(stage=stage, stage_at=at, seq=seq,
                           **{c: at for c in stages.newly_reached(row, stage)})
                if stage == "meeting_planned":
                    row["meeting_at"] = _when(clean["meeting_at"], "meeting_at")
                if stage == "met":
                    row["met_at"] = at
            intro_rows.append(row)
            group = [_text(a, "group member", required=True) for a in history.get("group", ())]
            member_rows.extend({"introduction_id": row["id"], "position": i, "actor": a}
                               for i, a in enumerate(group, 2))
            audit_rows.append({"at": now(), "user_id": user.id, "username": user.username,
                               "action": action, "record_type": "introduction",
                               "record_id": row["id"], "before": None,
                               "after": _plain({**row, "events": len(steps)}),
                               "address": address})
        if intro_rows:
            conn.execute(introductions.insert(), intro_rows)
            if member_rows:
                conn.execute(members.insert(), member_rows)
            conn.execute(events.insert(), event_rows)
            conn.execute(audit_table.insert(), audit_rows)
    return {"introductions": len(intro_rows), "events": len(event_rows) - len(intro_rows)}


def _lists(conn) -> dict[str, set]:
    """The active codes of each list staff pick from."""
    out: dict[str, set] = {}
    for r in conn.execute(sa.select(choices.c.list, choices.c.code).where(choices.c.active)):
        out.setdefault(r.list, set()).add(r.code)
    return out


def _details(stage: str, details: dict, side, correction: bool, lists: dict) -> dict:
    """The details an event of ``stage`` keeps, checked (ratings and agreement kinds from
    the lists an admin keeps, ``lists``)."""
    out = {}
    if stage == "contacted" and side is None and not correction:
        raise KumenetError("say which side was contacted: a, b or both")
    if stage == "meeting_planned":
        at = _when(details.get("meeting_at"), "meeting_at")
        if at is None:
            raise KumenetError("a planned meeting needs its date and time (meeting_at)")
        out["meeting_at"] = at.isoformat(timespec="minutes")
        out["place"] = _text(details.get("place"), "place")
        out["online"] = bool(details.get("online"))
        if not out["place"] and not out["online"]:
            raise KumenetError("a planned meeting needs a place, or online")
        minutes = _int(details.get("minutes") or 60, "minutes", 5, 24 * 60)
        out["minutes"] = minutes
    elif stage == "met" and details.get("held_at"):
        out["held_at"] = _when(details["held_at"], "held_at").isoformat(timespec="minutes")
    elif stage == "follow_up":
        rating = details.get("rating")
        known = lists.get("follow_up", set(stages.FOLLOW_UP))
        if rating not in known:
            raise KumenetError(f"a follow-up needs its rating: one of {', '.join(sorted(known))}")
        out["rating"] = rating
    elif stage == "agreement":
        kind = details.get("kind")
        known = lists.get("agreement", set(stages.AGREEMENTS))
        if kind not in known:
            raise KumenetError(f"an agreement needs its kind: one of {', '.join(sorted(known))}")
        out["kind"] = kind
    return out


def _last_event(conn, introduction_id: str) -> dict:
    return dict(conn.execute(
        sa.select(events.c.to_stage, events.c.at, users.c.username)
        .select_from(events.join(users, events.c.user_id == users.c.id))
        .where(events.c.introduction_id == introduction_id)
        .order_by(events.c.seq.desc()).limit(1)).mappings().one())


def get_introduction(ws: Workspace, user: User | None, introduction_id: str) -> dict:
    """An introduction with its events (notes only for staff and admins).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> got = get_introduction(ws, me, intro['id'])
    >>> got['source'], got['target'], got['stage']
    ('F000001', 'F000002', 'shortlisted')
    """
    if user is None:
        raise NotLoggedIn("log in to read introductions")
    if user.role == "researcher":
        raise NotAllowed("researchers read the funnel and the SQL tables, not single records")
    with ws.read() as conn:
        row = conn.execute(sa.select(introductions).where(
            introductions.c.id == str(introduction_id)[:36])).mappings().first()
        if row is None or not _may_read(user, row):
            raise RecordNotFound(f"no introduction {introduction_id!r}")
        group = [r.actor for r in conn.execute(sa.select(members.c.actor).where(
            members.c.introduction_id == row["id"]).order_by(members.c.position))]
        history = conn.execute(
            sa.select(events, users.c.username, users.c.display_name)
            .select_from(events.join(users, events.c.user_id == users.c.id))
            .where(events.c.introduction_id == row["id"]).order_by(events.c.seq)
        ).mappings().all()
    return {**dict(row), "group": group, "events": [dict(e) for e in history]}


# -- notes and contact persons ----------------------------------------------------------------

def add_note(ws: Workspace, user: User, actor: str, text: str, visibility: str = "centre",
             address: str | None = None) -> dict:
    """A note on an actor, visible to the writer's centre (``centre``), to every centre
    (``all``) or to the writer alone (``private``); audited.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> n = add_note(ws, me, 'F000001', 'Fuarda tanıştık.')
    >>> n['text'], n['visibility']
    ('Fuarda tanıştık.', 'centre')
    """
    require_writer(user)
    if visibility not in VISIBILITY:
        raise KumenetError(f"visibility must be one of {', '.join(VISIBILITY)}")
    row = {"id": str(uuid.uuid4()), "actor": _text(actor, "actor", required=True),
           "centre_id": user.centre_id, "author_id": user.id, "created_at": now(),
           "visibility": visibility, "text": _text(text, "note", MAX_NOTE, required=True)}
    with ws.write() as conn:
        conn.execute(notes.insert(), row)
        audit(conn, user, "create", "note", row["id"], None, row, address)
    return row


def actor_notes(ws: Workspace, user: User | None, actor: str) -> list[dict]:
    """The notes on ``actor`` the user may read: their own, their centre's, national ones
    (researchers and nobody read none).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_note(ws, me, 'F000001', 'Fuarda tanıştık.')
    >>> [n['text'] for n in actor_notes(ws, me, 'F000001')], actor_notes(ws, None, 'F000001')
    (['Fuarda tanıştık.'], [])
    """
    if user is None or user.role == "researcher":
        return []
    visible = sa.or_(notes.c.author_id == user.id, notes.c.visibility == "national",
                     sa.and_(notes.c.visibility == "centre", notes.c.centre_id == user.centre_id))
    if user.is_admin:
        visible = sa.or_(visible, notes.c.visibility != "private")
    with ws.read() as conn:
        rows = conn.execute(sa.select(notes, users.c.display_name.label("author"))
                            .select_from(notes.join(users, notes.c.author_id == users.c.id))
                            .where(notes.c.actor == actor, visible)
                            .order_by(notes.c.created_at.desc()).limit(500)).mappings().all()
    return [dict(r) for r in rows]


def add_contact(ws: Workspace, user: User, actor: str, *, name: str, role: str | None = None,
                phone: str | None = None, email: str | None = None, consent: bool = False,
                consent_note: str | None = None, address: str | None = None) -> dict:
    """A contact person of an actor, with their consent recorded (KVKK: kept only with it).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> c = add_contact(ws, me, 'F000001', name='Ali Veli', role='genel müdür', consent=True)
    >>> c['name'], c['consent']
    ('Ali Veli', True)
    """
    require_writer(user)
    if not consent:
        raise KumenetError("a contact person is kept only with their consent (KVKK): record "
                           "how it was given")
    email = _text(email, "e-mail")
    if email and ("@" not in email or " " in email):
        raise KumenetError("the e-mail address is not one")
    row = {"id": str(uuid.uuid4()), "actor": _text(actor, "actor", required=True),
           "centre_id": user.centre_id, "created_by": user.id, "created_at": now(),
           "name": _text(name, "name", required=True), "role": _text(role, "role"),
           "phone": _text(phone, "phone", 60), "email": email, "consent": True,
           "consent_note": _text(consent_note, "consent note", 500), "erased_at": None}
    with ws.write() as conn:
        conn.execute(contacts.insert(), row)
        audit(conn, user, "create", "contact", row["id"], None, _ids_only(row), address)
    return row


def _ids_only(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in PERSONAL}


def actor_contacts(ws: Workspace, user: User | None, actor: str) -> list[dict]:
    """Contact persons of ``actor`` that the user's centre keeps (admins: every centre's);
    erased ones show no personal data.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_contact(ws, me, 'F000001', name='Ali Veli', consent=True)
    >>> [c['name'] for c in actor_contacts(ws, me, 'F000001')]
    ['Ali Veli']
    """
    if user is None or user.role == "researcher":
        return []
    where = contacts.c.actor == actor
    if not user.is_admin:
        where = sa.and_(where, contacts.c.centre_id == user.centre_id)
    with ws.read() as conn:
        rows = conn.execute(sa.select(contacts).where(where)
                            .order_by(contacts.c.created_at)).mappings().all()
    return [dict(r) for r in rows]


def erase_contact(ws: Workspace, user: User, contact_id: str, address: str | None = None) -> None:
    """KVKK erasure: the person's data removed from the record; the log keeps ids only.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> c = add_contact(ws, me, 'F000001', name='Ali Veli', consent=True)
    >>> erase_contact(ws, me, c['id'])
    >>> [(p['name'], p['phone'], p['erased_at'] is not None) for p in actor_contacts(ws, me,
    ...   'F000001')]
    [(None, None, True)]
    """
    require_writer(user)
    with ws.write() as conn:
        row = conn.execute(sa.select(contacts).where(contacts.c.id == str(contact_id)[:36])
                           ).mappings().first()
        if row is None:
            raise RecordNotFound(f"no contact person {contact_id!r}")
        _writer_for(user, row["centre_id"])
        conn.execute(contacts.update().where(contacts.c.id == row["id"]).values(
            name=None, role=None, phone=None, email=None, consent_note=None, erased_at=now()))
        audit(conn, user, "erase", "contact", row["id"], _ids_only(dict(row)),
              {"erased": True}, address)


# -- suggestions shown -----------------------------------------------------------------------

def log_impressions(ws: Workspace, user: User | None, rows: list[dict], page: str,
                    at: datetime | None = None) -> int:
    """Record that these suggestions were shown (``source``, ``target``, ``rank``, ``score``,
    ``strength``, ``scope``, ``scorer``), so that outcomes can be related to what was shown.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> shown = [{'source': 'F000001', 'target': 'F000002', 'rank': 1, 'score': 0.9,
    ...           'scope': 'intra_regional', 'strength': 5, 'scorer': 'adamic_adar'}]
    >>> log_impressions(ws, me, shown, 'profile')
    1
    """
    if not rows:
        return 0
    at = at or now()
    records = [{"at": at, "user_id": user.id if user else None, "source": str(r["source"])[:200],
                "target": str(r["target"])[:200], "rank": r.get("rank"),
                "score": r.get("score"), "strength": r.get("strength"),
                "scope": r.get("scope"), "scorer": (r.get("scorer") or "")[:200] or None,
                "page": page} for r in rows[:1000]]
    with ws.write() as conn:
        conn.execute(impressions.insert(), records)
    return len(records)


def ensure_choices(conn) -> None:
    """The preset lists (decline reasons, agreement kinds, follow-up ratings), added where
    missing; an admin may add more.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> import sqlalchemy as sa
    >>> from kumenet.workspace.schema import choices
    >>> with ws.write() as conn:
    ...     ensure_choices(conn)
    ...     n = conn.execute(sa.select(sa.func.count()).select_from(choices)).scalar()
    >>> n > 10
    True
    """
    from kumenet.messages import text

    have = {(r.list, r.code) for r in conn.execute(sa.select(choices.c.list, choices.c.code))}
    rows = []
    for name, codes in (("decline_reason", stages.DECLINE_REASONS),
                        ("agreement", stages.AGREEMENTS), ("follow_up", stages.FOLLOW_UP)):
        for code in codes:
            if (name, code) not in have:
                rows.append({"list": name, "code": code,
                             "label_tr": text(f"ws.{name}.{code}", "tr"),
                             "label_en": text(f"ws.{name}.{code}", "en"), "active": True})
    if rows:
        conn.execute(choices.insert(), rows)


def add_choice(ws: Workspace, name: str, code: str, label_tr: str, label_en: str,
               user: User | None = None) -> None:
    """A new choice in one of the lists staff pick from (an admin's work).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> add_choice(ws, 'decline_reason', 'price', 'fiyat', 'price')
    >>> dict(choice_labels(ws, 'tr')['decline_reason'])['price']
    'fiyat'
    """
    from kumenet.workspace.auth import COMMAND_LINE

    user = user or COMMAND_LINE
    if not user.is_admin:
        raise NotAllowed("the lists are kept by admins")
    code = _text(code, "code", 60, required=True)
    row = {"list": name, "code": code, "label_tr": _text(label_tr, "Turkish label"),
           "label_en": _text(label_en, "English label"), "active": True}
    with ws.write() as conn:
        if conn.execute(sa.select(choices.c.code).where(choices.c.list == name,
                                                        choices.c.code == code)).first():
            raise KumenetError(f"{name} has {code!r} already")
        conn.execute(choices.insert(), row)
        audit(conn, user, "create", "choice", f"{name}:{code}", None, row)


def choice_labels(ws: Workspace, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Each list's active (code, label) pairs in ``lang``.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> dict(choice_labels(ws, 'tr')['decline_reason'])['competitor'], dict(choice_labels(ws,
    ...      'en')['decline_reason'])['competitor']
    ('rakip', 'a competitor')
    """
    column = choices.c.label_tr if lang == "tr" else choices.c.label_en
    out: dict[str, list] = {}
    with ws.read() as conn:
        for r in conn.execute(sa.select(choices.c.list, choices.c.code, column.label("label"))
                              .where(choices.c.active).order_by(choices.c.list, choices.c.code)):
            out.setdefault(r.list, []).append((r.code, r.label))
    return out
