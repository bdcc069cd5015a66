"""What the workspace's pages show and do, over a workspace and the portal's snapshot.

Like :mod:`kumenet.app.portal`, every function returns plain data (the HTML page and its JSON
twin are the same dict). The workspace knows actors by their network id; the snapshot names
them, places them (province, sector, country) and says which of the pairs were suggested
with what rank and score. An actor that is no longer in the network is shown by its id and
flagged, never dropped.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from kumenet.errors import KumenetError, RecordNotFound
from kumenet.messages import text
from kumenet.workspace import lists, records, stages
from kumenet.workspace.auth import User, login, logout, session_user
from kumenet.workspace.db import Workspace
from kumenet.workspace.records import add_contact, add_event, add_note, erase_contact
from kumenet.workspace.stages import STAGES

# What the web layer calls as it is (the workspace's own checks and transactions).
__all__ = ["add_contact", "add_event", "add_note", "erase_contact", "login", "logout",
           "session_user", "STAGES", "desk", "introduction", "new_introduction",
           "actor_records", "funnel", "shortlist", "shortlist_file", "meeting_ics",
           "log_shown", "import_log", "audit_page", "open_workspace", "profile_suggestions"]

LIST_COLUMNS = ("id", "source", "target", "stage", "stage_at", "centre", "scope", "strength",
                "created_by_name", "meeting_at", "met_at", "private")


def open_workspace(where) -> Workspace:
    """The workspace at ``where``, checked (set up, and not newer than this kumenet).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> path = Path(tempfile.mkdtemp()) / 'ws.db'
    >>> _ = init_workspace(path)
    >>> open_workspace(path).sqlite
    True
    >>> open_workspace(Path(tempfile.mkdtemp()) / 'bos.db')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    kumenet.errors.KumenetError: .../bos.db is not a kumenet workspace yet: run kumenet workspace init --workspace .../bos.db
    """
    ws = Workspace(where)
    ws.check()
    return ws


def _actors(snap, ids) -> dict[str, dict]:
    """Name, kind, province, country and sector of the actors ``ids`` (those still in the
    network)."""
    ids = sorted({str(i) for i in ids if i is not None})
    if not ids:
        return {}
    rows = snap.rows("SELECT id, name, kind, province, country, sector FROM nodes "
                     "WHERE id IN (SELECT unnest(?))", [ids])
    return {r["id"]: r for r in rows}


def _named(row: dict, known: dict, lang: str) -> dict:
    for end in ("source", "target"):
        actor = known.get(row[end])
        row[f"{end}_name"] = actor["name"] if actor else row[end]
        row[f"{end}_missing"] = actor is None
        row[f"{end}_province"] = actor.get("province") if actor else None
    row["stage_label"] = text(f"ws.stage.{row['stage']}", lang)
    row["scope_label"] = text(f"scope.{row['scope']}", lang) if row.get("scope") else None
    return row


def _actors_where(snap, province: str | None, sector: str | None) -> set | None:
    """The ids of the actors of a province and/or a sector (a NACE prefix), or None."""
    if not province and not sector:
        return None
    where, params = [], []
    if province:
        where.append("province = ?")
        params.append(province)
    if sector:
        where.append("starts_with(sector, ?)")
        params.append(sector)
    return {r["id"] for r in snap.rows(f"SELECT id FROM nodes WHERE {' AND '.join(where)}",
                                       params)}


def desk(ws: Workspace, snap, user: User | None, lang: str, which: str = "open", *,
         province: str | None = None, sector: str | None = None, scope: str | None = None,
         stage: str | None = None, page: int = 1, size: int = 50) -> dict:
    """A list staff work from, with its filters (the workspace page).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> d = desk(ws, snap, me, 'tr')
    >>> [(r['source_name'], r['stage']) for r in d['rows']]
    [('Yıldız Medikal San. Tic. Ltd. Şti.', 'shortlisted')]
    """
    if which not in lists.LISTS:
        raise KumenetError(f"list must be one of {', '.join(lists.LISTS)}")
    if stage and stage not in stages.MOVES:
        raise KumenetError(f"stage must be one of {', '.join(stages.STAGES)}")
    found = lists.introduction_list(
        ws, user, which, stage=stage or None, scope=scope or None,
        actors=_actors_where(snap, province, sector), limit=size,
        offset=(max(page, 1) - 1) * size)
    known = _actors(snap, [r[e] for r in found["rows"] for e in ("source", "target")])
    rows = [_named({k: r[k] for k in LIST_COLUMNS}, known, lang) for r in found["rows"]]
    return {"list": which, "lists": [{"code": c, "label": text(f"ws.list.{c}", lang)}
                                     for c in lists.LISTS],
            "rows": rows, "total": found["total"], "page": page, "size": size,
            "filters": {"province": province, "sector": sector, "scope": scope,
                        "stage": stage},
            "stages": [{"code": s, "label": text(f"ws.stage.{s}", lang)} for s in stages.STAGES],
            "user": _user(user)}


def _user(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.display_name, "role": user.role,
            "centre": user.centre_code}


def introduction(ws: Workspace, snap, user: User | None, introduction_id: str,
                 lang: str) -> dict:
    """An introduction with its history, and the moves open to it (the introduction page).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> page = introduction(ws, snap, me, intro['id'], 'en')
    >>> page['stage'], page['target_name'], page['writable']
    ('shortlisted', 'Havza Medikal San. ve Tic. A.Ş.', True)
    """
    row = records.get_introduction(ws, user, introduction_id)
    known = _actors(snap, [row["source"], row["target"], *row["group"]])
    row = _named(row, known, lang)
    row["group_named"] = [{"id": a, "name": known.get(a, {}).get("name", a),
                           "missing": a not in known} for a in row["group"]]
    labels = {code: label for listed in records.choice_labels(ws, lang).values()
              for code, label in listed}
    for event in row["events"]:
        details = event.get("details") or {}
        event["stage_label"] = text(f"ws.stage.{event['to_stage']}", lang)
        event["side_label"] = text(f"ws.side.{event['side']}", lang) if event.get("side") \
            else None
        event["reason_label"] = labels.get(event["reason"], event["reason"]) \
            if event.get("reason") else None
        event["rating_label"] = labels.get(details.get("rating")) if details.get("rating") \
            else None
        event["kind_label"] = labels.get(details.get("kind")) if details.get("kind") else None
    choices = records.choice_labels(ws, lang)
    row["moves"] = [{"code": s, "label": text(f"ws.stage.{s}", lang)}
                    for s in stages.MOVES[row["stage"]]]
    row["all_stages"] = [{"code": s, "label": text(f"ws.stage.{s}", lang)}
                         for s in stages.STAGES]
    row["choices"] = {k: [{"code": c, "label": lab} for c, lab in v] for k, v in choices.items()}
    row["sides"] = [{"code": s, "label": text(f"ws.side.{s}", lang)} for s in stages.SIDES]
    row["writable"] = user is not None and user.writes and (
        user.is_admin or user.centre_id == row["centre_id"])
    row["user"] = _user(user)
    return row


def new_introduction(ws: Workspace, snap, user: User | None, source: str, target: str, *,
                     group=(), origin: str = "hand", note: str | None = None,
                     private: bool = False, address: str | None = None) -> dict:
    """Open an introduction between actors of the network; when the pair was suggested, its
    rank, score, strength and scope travel with it (to learn later which suggestions worked).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> intro['source'], intro['target'], intro['stage'], intro['scope']
    ('F000001', 'F000002', 'shortlisted', 'intra_regional')
    """
    from kumenet.workspace.auth import require_writer

    require_writer(user)
    ids = [str(source), str(target), *map(str, group)]
    known = _actors(snap, ids)
    missing = [i for i in ids if i not in known]
    if missing:
        raise RecordNotFound(f"no actor with id {missing[0]!r} in the network")
    shown = snap.rows("SELECT rank, score, strength, scope FROM suggestions WHERE source = ? "
                      "AND target = ? LIMIT 1", [str(source), str(target)])
    found = shown[0] if shown else {}
    return records.create_introduction(
        ws, user, str(source), str(target), group=tuple(map(str, group)),
        origin="suggestion" if found and origin == "hand" else origin,
        scope=found.get("scope") or _scope(known[str(source)], known[str(target)]),
        strength=found.get("strength"), rank=found.get("rank"), score=found.get("score"),
        scorer=snap.meta.get("scorer") or f"snapshot {snap.meta.get('built', '')[:19]}",
        private=private, note=note, address=address)


def _scope(a: dict, b: dict) -> str:
    if (a.get("country") or "TR") != (b.get("country") or "TR"):
        return "international"
    if a.get("province") and a.get("province") == b.get("province"):
        return "intra_regional"
    return "interregional" if a.get("province") and b.get("province") else "unknown"


def actor_records(ws: Workspace, snap, user: User | None, actor_id: str, lang: str) -> dict:
    """What the workspace holds about an actor that the user may see: notes, contact
    persons, introductions.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> r = actor_records(ws, snap, me, 'F000001', 'tr')
    >>> len(r['introductions']), r['notes'], r['contacts']
    (1, [], [])
    """
    intros = []
    if user is not None and user.role != "researcher":
        found = lists.introduction_list(ws, user, "all", actors={actor_id}, limit=50)
        known = _actors(snap, [r[e] for r in found["rows"] for e in ("source", "target")])
        intros = [_named({k: r[k] for k in ("id", "source", "target", "stage", "stage_at",
                                            "scope")}, known, lang) for r in found["rows"]]
    return {"notes": records.actor_notes(ws, user, actor_id),
            "contacts": records.actor_contacts(ws, user, actor_id),
            "introductions": intros, "user": _user(user)}


def funnel(ws: Workspace, user: User | None, lang: str, centre: str | None = None) -> dict:
    """A centre's funnel (all centres when none is chosen).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> f = funnel(ws, me, 'en')
    >>> f['total']['shortlisted'], f['centre']
    (1, None)
    """
    from kumenet.workspace.auth import centre_id as centre_of

    chosen = None
    if centre:
        with ws.read() as conn:
            chosen = centre_of(conn, centre)
    data = lists.funnel(ws, user, chosen)
    data["labels"] = {s: text(f"ws.funnel.{s}", lang) for s in data["steps"]}
    for row in data["by_scope"]:
        row["label"] = text(f"scope.{row['scope']}", lang) if row["scope"] != "unknown" \
            else text("scope.unknown", lang)
    for row in data["by_strength"]:
        row["label"] = text("ws.by_hand", lang) if row["strength"] == "hand" else \
            "★" * int(row["strength"])
    data["centre"] = centre
    with ws.read() as conn:
        from kumenet.workspace.schema import centres

        import sqlalchemy as sa

        data["centres"] = [dict(r) for r in conn.execute(
            sa.select(centres.c.code, centres.c.name).order_by(centres.c.name)).mappings()]
    return data


SHORTLIST_HEADERS = ("source", "source_name", "target", "target_name", "scope", "strength",
                     "stage", "created_by_name", "stage_at")


def shortlist(ws: Workspace, snap, user: User | None, lang: str) -> dict:
    """The user's centre's shortlist, for a meeting day.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> s = shortlist(ws, snap, me, 'tr')
    >>> [(r['source'], r['target']) for r in s['rows']]
    [('F000001', 'F000002')]
    """
    data = desk(ws, snap, user, lang, "shortlist", size=1000)
    data["headers"] = [text(f"ws.col.{h}", lang) for h in SHORTLIST_HEADERS]
    return data


def shortlist_file(ws: Workspace, snap, user: User | None, lang: str, fmt: str) -> bytes:
    """The shortlist as ``xlsx`` or ``csv`` (``;``-separated, UTF-8 with BOM: Turkish Excel
    opens it as it is), headers in ``lang``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> body = shortlist_file(ws, snap, me, 'tr', 'csv')
    >>> body.decode('utf-8-sig').splitlines()[0][:30]
    'kimlik;Firma;ortak kimliği;Ort'
    """
    data = shortlist(ws, snap, user, lang)
    rows = [[_cell(r.get(h), lang) if h != "stage" else r["stage_label"]
             for h in SHORTLIST_HEADERS] for r in data["rows"]]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(data["headers"])
        writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = text("ws.shortlist", lang)[:31]
    sheet.append(data["headers"])
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value, lang: str):
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y %H:%M" if lang == "tr" else "%Y-%m-%d %H:%M")
    return value


def meeting_ics(ws: Workspace, snap, user: User | None, introduction_id: str) -> str:
    """The planned meeting of an introduction as an iCalendar event (RFC 5545).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> from kumenet.workspace.records import add_event
    >>> _ = add_event(ws, me, intro['id'], 'contacted', side='both')
    >>> _ = add_event(ws, me, intro['id'], 'accepted', side='both')
    >>> _ = add_event(ws, me, intro['id'], 'meeting_planned',
    ...               details={'meeting_at': '2025-03-12T10:00', 'place': 'Samsun TSO'})
    >>> ics = meeting_ics(ws, snap, me, intro['id'])
    >>> ics.splitlines()[0], 'LOCATION:Samsun TSO' in ics
    ('BEGIN:VCALENDAR', True)
    """
    row = records.get_introduction(ws, user, introduction_id)
    planned = [e for e in row["events"] if e["to_stage"] == "meeting_planned"]
    if not planned:
        raise RecordNotFound("no meeting is planned for this introduction")
    details = planned[-1]["details"] or {}
    from datetime import datetime

    start = datetime.fromisoformat(details["meeting_at"])
    end = start + timedelta(minutes=int(details.get("minutes") or 60))
    known = _actors(snap, [row["source"], row["target"]])
    names = [known.get(a, {}).get("name", a) for a in (row["source"], row["target"])]
    place = "online" if details.get("online") else (details.get("place") or "")

    def escaped(value: str) -> str:  # RFC 5545 3.3.11: backslash, semicolon, comma, newline
        return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n"))

    stamp = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kumenet//workspace//TR",
             "BEGIN:VEVENT", f"UID:{row['id']}-{planned[-1]['seq']}@kumenet",
             f"DTSTAMP:{planned[-1]['at'].strftime(stamp)}",
             f"DTSTART:{start.strftime(stamp)}", f"DTEND:{end.strftime(stamp)}",
             f"SUMMARY:{escaped(' / '.join(names))}", f"LOCATION:{escaped(place)}",
             "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_folded(line) for line in lines) + "\r\n"


def _folded(line: str) -> str:
    """An iCalendar line folded at 75 octets (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not inside a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return "\r\n ".join(parts)


def log_shown(ws: Workspace, user: User | None, source: str, suggestions: dict, scorer: str,
              page: str) -> None:
    """Record the suggestions a page showed (see records.log_impressions).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> shown = {'intra_regional': [{'target': 'F000002', 'rank': 1, 'score': 0.9, 'strength': 5}]}
    >>> log_shown(ws, me, 'F000001', shown, 'adamic_adar', 'profile')
    """
    rows = [{"source": source, "target": s["target"], "rank": s.get("rank"),
             "score": s.get("score"), "strength": s.get("strength"), "scope": s.get("scope"),
             "scorer": s.get("scorer") or scorer} for group in suggestions.values() for s in group]
    records.log_impressions(ws, user, rows, page)


#: Seconds a learned re-ranker is kept before the workspace's outcomes are read again.
LEARNED_FOR = 600
_LEARNED: dict = {}


def _learned(ws: Workspace, snap):
    """The workspace's learned re-ranker for the portal's network, read at most every
    LEARNED_FOR seconds (staff write all day; the outcomes move slowly)."""
    import time

    from kumenet.app.initiatives import snapshot_network
    from kumenet.app.matching import learned_reranker

    key = (ws.instance, str(snap.path))
    found = _LEARNED.get(key)
    if found is None or time.monotonic() - found[0] > LEARNED_FOR:
        found = (time.monotonic(), learned_reranker(ws, snapshot_network(snap)))
        _LEARNED[key] = found
    return found[1]


def profile_suggestions(ws: Workspace, snap, actor_id: str, by_scope: dict, lang: str) -> dict:
    """An actor's suggestions as the portal shows them with a workspace: re-ordered by what
    the outcomes taught when the re-ranker has earned it (from the list and the candidates
    below the cut), and, with the ``exploration`` setting on, the last of each list given to
    a candidate from below the cut, marked ``exploratory`` (the same one all day). Each row
    says its ``scorer`` for the impressions' log.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot, actor
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import COMMAND_LINE
    >>> from kumenet.workspace.lists import change_setting, init_workspace
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = change_setting(ws, COMMAND_LINE, 'exploration', 1)
    >>> shown = profile_suggestions(ws, snap, 'F000010',
    ...                             actor(snap, 'F000010', 'tr')['suggestions'], 'tr')
    >>> [[s.get('exploratory', False) for s in rows] for rows in shown.values()][0]
    [False, False, True]
    """
    import datetime
    import zlib

    import numpy as np

    learned = _learned(ws, snap)
    explore = lists.setting(ws, "exploration") == 1
    if learned.reranker is None and not explore:
        return by_scope
    pool = snap.rows(f"SELECT target, target_name, rank, strength, score, scope, "
                     f"reason_{lang} AS reason, target_kind, target_province, target_country "
                     "FROM suggestion_pool WHERE source = ? ORDER BY scope, rank", [actor_id])
    below: dict = {}
    for row in pool:  # a few per scope
        row["scope_label"] = text(f"scope_title.{row['scope']}", lang)
        below.setdefault(row["scope"], []).append(row)
    out = {}
    seed = zlib.crc32(f"{actor_id} {datetime.date.today()}".encode())
    for scope, rows in by_scope.items():
        rows, rest = _reranked(snap, actor_id, rows, below.get(scope, []), learned.reranker)
        if explore and rest:
            pick = dict(rest[int(np.random.default_rng(seed).integers(len(rest)))])
            rows = rows[:-1] + [{**pick, "rank": len(rows), "exploratory": True,
                                 "scorer": "exploratory"}]
        out[scope] = rows
    return out


def _reranked(snap, actor_id: str, rows: list, below: list, reranker) -> tuple[list, list]:
    """The list and the candidates below it, re-ordered by ``reranker`` (as they are
    without one)."""
    if reranker is None or not rows:
        return rows, below
    from kumenet.app.initiatives import snapshot_network
    from kumenet.app.matching import pair_features

    both = rows + below
    score = reranker.score(pair_features(snapshot_network(snap), [actor_id] * len(both),
                                         [r["target"] for r in both]))
    order = sorted(range(len(both)), key=lambda i: (-score[i], both[i]["rank"]))
    ranked = [{**both[i], "rank": n + 1, "scorer": "outcomes"} for n, i in enumerate(order)]
    return ranked[:len(rows)], ranked[len(rows):]


def import_log(ws: Workspace, net, user: User, path, address: str | None = None) -> dict:
    """A centre's Excel log into the workspace; actors are found by id or name in ``net``
    (Turkish-aware, with "did you mean").

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> import pandas as pd
    >>> log = Path(tempfile.mkdtemp()) / 'kayit.xlsx'
    >>> pd.DataFrame({'Tarih': ['12.03.2024'], 'Firma': ['Yıldız Medikal San. Tic. Ltd. Şti.'],
    ...              'Görüşülen Firma': ['F000002'], 'Durum': ['arandı']}).to_excel(log,
    ...              index=False)
    >>> import_log(ws, net, me, log)
    {'introductions': 1, 'events': 1}
    """
    from kumenet.workspace.transfer import import_log as read_in

    cache: dict = {}

    def resolve(name: str) -> str:
        if name not in cache:
            cache[name] = str(net.ids[net.find(name)])
        return cache[name]

    return read_in(ws, user, path, resolve, address)


AUDIT_PAGE = 100


def audit_page(ws: Workspace, user: User | None, page: int = 1) -> dict:
    """A page of the audit log, newest first (admins only).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.auth import add_user as add
    >>> _ = add(ws, 'yonetici', 'admin', 'yonetici-parolasi')
    >>> admin = login(ws, 'yonetici', 'yonetici-parolasi').user
    >>> page = audit_page(ws, admin)
    >>> [r['action'] for r in page['rows']][:3]
    ['login', 'create', 'login']
    >>> audit_page(ws, me)
    Traceback (most recent call last):
        ...
    kumenet.errors.NotAllowed: the audit log is for admins
    """
    import sqlalchemy as sa

    from kumenet.errors import NotAllowed, NotLoggedIn
    from kumenet.workspace.schema import audit

    if user is None:
        raise NotLoggedIn("log in to read the audit log")
    if not user.is_admin:
        raise NotAllowed("the audit log is for admins")
    with ws.read() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(audit)).scalar()
        rows = conn.execute(sa.select(audit).order_by(audit.c.id.desc()).limit(AUDIT_PAGE)
                            .offset((max(page, 1) - 1) * AUDIT_PAGE)).mappings().all()
    return {"rows": [dict(r) for r in rows], "total": total, "page": page, "size": AUDIT_PAGE,
            "user": _user(user)}


#: The demo workspace's accounts (sample data; the password is printed by the demo).
DEMO_PASSWORD = "ornek-parola-2024"
DEMO_START, DEMO_END = "2022-01-01", "2024-09-30"


def demo_workspace(net, suggestions, path, seed: int = 0) -> dict:
    """A small workspace on ``net``, clearly sample data: accounts for each pilot centre and
    introductions of the suggestions of each centre's firms over 2022-2024, with outcomes
    drawn so that stronger suggestions go further (a newcomer's funnel is not empty), and
    the five pilot initiatives (:func:`kumenet.app.initiatives.preset_initiatives`).
    ``path`` is replaced. Returns the accounts and the counts written.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> made = demo_workspace(net, snap.frame('SELECT * FROM suggestions'),
    ...                       Path(tempfile.mkdtemp()) / 'demo.db')
    >>> made['introductions'] > 100, made['initiatives'], made['password']
    (True, 5, 'ornek-parola-2024')
    """
    import numpy as np
    import pandas as pd

    from kumenet.workspace.auth import PILOT_CENTRES, add_user
    from kumenet.workspace.db import remove_sqlite
    from kumenet.workspace.lists import init_workspace

    from pathlib import Path

    path = Path(path)
    remove_sqlite(path)
    ws, _, _ = init_workspace(path)
    rng = np.random.default_rng(seed)
    accounts = {"ornek.yonetici": "admin", "ornek.arastirmaci": "researcher"}
    add_user(ws, "ornek.yonetici", "admin", DEMO_PASSWORD, display_name="Örnek Yönetici")
    add_user(ws, "ornek.arastirmaci", "researcher", DEMO_PASSWORD,
             display_name="Örnek Araştırmacı")
    start, end = pd.Timestamp(DEMO_START), pd.Timestamp(DEMO_END)
    province = dict(zip(net.nodes["id"].astype(str), net.nodes["province"].astype(object)))
    counts = {"introductions": 0, "events": 0}
    for code, name, prov in PILOT_CENTRES:
        user_name = f"ornek.{code}"
        accounts[user_name] = "staff"
        add_user(ws, user_name, "staff", DEMO_PASSWORD, centre=code,
                 display_name=f"Örnek Uzman ({prov})")
        user = session_user(ws, login(ws, user_name, DEMO_PASSWORD).token)[0]
        mine = suggestions[suggestions["source"].astype(str).map(province) == prov]
        mine = mine[mine["rank"] <= 2]
        if mine.empty:
            continue
        picked = mine.iloc[rng.permutation(len(mine))[:60]]
        histories = [_demo_history(row, rng, start, end) for row in picked.itertuples()]
        # the suggestions the centre's staff saw on profiles, before they picked some
        shown = mine.iloc[rng.permutation(len(mine))[:150]]
        records.log_impressions(ws, user, [
            {"source": str(r.source), "target": str(r.target), "rank": int(r.rank),
             "score": float(r.score), "strength": int(r.strength), "scope": str(r.scope),
             "scorer": "demo"} for r in pd.concat([picked, shown]).itertuples()],
            "profile", at=start.to_pydatetime())
        done = records.record_histories(ws, user, histories, action="demo")
        counts = {k: counts[k] + done[k] for k in counts}
    from kumenet.app.initiatives import preset_initiatives

    admin = session_user(ws, login(ws, "ornek.yonetici", DEMO_PASSWORD).token)[0]
    counts["initiatives"] = preset_initiatives(ws, net, admin, seed=seed)
    ws.close()
    return {"accounts": accounts, "password": DEMO_PASSWORD, **counts}


def _demo_history(row, rng, start, end) -> dict:
    """One sample introduction's steps, each a few days or weeks after the one before."""
    import pandas as pd

    at = start + (end - start) * float(rng.random())
    steps = []

    def then(stage, days, **kw):
        nonlocal at
        at = at + pd.Timedelta(days=int(rng.integers(*days)))
        steps.append({"stage": stage, "at": at.to_pydatetime(), **kw})

    strength = int(row.strength)
    history = {"source": str(row.source), "target": str(row.target), "origin": "suggestion",
               "scope": str(row.scope), "strength": strength, "rank": int(row.rank),
               "score": float(row.score), "scorer": "demo", "at": at.to_pydatetime(),
               "note": "ÖRNEK VERİ: demo için üretildi", "events": steps}
    if rng.random() < 0.12:
        return history  # still on the shortlist
    then("contacted", (1, 10), side="a")
    if rng.random() < 0.15:
        then("expired", (30, 45))
        return history
    then("contacted", (1, 10), side="b")
    if rng.random() > 0.25 + 0.1 * strength:
        then("declined", (2, 20), side="b", reason=str(rng.choice(
            ["not_relevant", "competitor", "quality_or_capacity", "timing", "no_interest"])))
        return history
    then("accepted", (1, 7))
    meeting = at + pd.Timedelta(days=int(rng.integers(7, 30)))
    then("meeting_planned", (0, 3), details={"meeting_at": meeting.isoformat()[:16],
                                             "place": "Kümelenme Bilgi Merkezi",
                                             "online": bool(rng.random() < 0.3)})
    if rng.random() < 0.12:
        then("not_held", (7, 30))
        return history
    at = max(at, meeting)
    then("met", (0, 1))
    then("follow_up", (150, 200), details={"rating": str(rng.choice(
        ["no_further_contact", "knowledge_gained", "valuable_contact", "negotiation"]))})
    if rng.random() < 0.15 + 0.08 * strength:
        then("agreement", (10, 90), details={"kind": str(rng.choice(
            ["supply", "joint_application", "joint_export", "mou"]))})
        if rng.random() < 0.5:
            then("project_started", (20, 120))
    # nothing dated after the demo's end: the history stops where the sample stops
    history["events"] = [s for s in steps if s["at"] <= pd.Timestamp(DEMO_END).to_pydatetime()]
    return history


SQL_SECONDS = 60  # the SQL page's copy of the workspace is at most this old
_SQL_TABLES: dict = {}


def sql_tables(ws: Workspace) -> dict:
    """The workspace as read-only tables for the SQL page, without notes, personal data or
    private introductions: ``ws_introductions``, ``ws_events``, ``ws_impressions`` (kept a
    minute, or until this process writes).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = new_introduction(ws, snap, me, 'F000001', 'F000002')
    >>> tables = sql_tables(ws)
    >>> sorted(tables), len(tables['ws_introductions'])
    (['ws_events', 'ws_impressions', 'ws_introductions'], 1)
    """
    import time

    import pandas as pd
    import sqlalchemy as sa

    from kumenet.workspace.schema import centres, events, impressions, introductions

    kept = _SQL_TABLES.get(ws.instance)
    if kept and kept[0] == ws.generation and time.monotonic() - kept[1] < SQL_SECONDS:
        return kept[2]
    shown = ~introductions.c.private
    columns = [c for c in introductions.c if c.name not in ("centre_id", "created_by",
                                                             "private")]
    with ws.read() as conn:
        tables = {
            "ws_introductions": pd.read_sql(
                sa.select(*columns, centres.c.code.label("centre"))
                .select_from(introductions.join(centres)).where(shown), conn),
            "ws_events": pd.read_sql(
                sa.select(events.c.introduction_id, events.c.seq, events.c.at,
                          events.c.from_stage, events.c.to_stage, events.c.side,
                          events.c.reason, events.c.correction)
                .select_from(events.join(introductions)).where(shown), conn),
            "ws_impressions": pd.read_sql(
                sa.select(impressions.c.at, impressions.c.source, impressions.c.target,
                          impressions.c.rank, impressions.c.score, impressions.c.strength,
                          impressions.c.scope, impressions.c.scorer, impressions.c.page),
                conn)}
    _SQL_TABLES.clear()
    _SQL_TABLES[ws.instance] = (ws.generation, time.monotonic(), tables)
    return tables


def shortlist_table(ws: Workspace, net, user: User, path, address: str | None = None) -> dict:
    """Shortlist the rows of a table ``kumenet match`` wrote (``source``, ``target`` and,
    when there, ``rank``, ``score``, ``strength``, ``scope``) or of a consortium table
    (``consortium``, ``id``: one group introduction per consortium, its first member the
    seed), as staff pick them in Excel. Actors are checked against ``net``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user
    >>> from kumenet.workspace.lists import init_workspace
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> import pandas as pd
    >>> table = Path(tempfile.mkdtemp()) / 'oneriler.csv'
    >>> pd.DataFrame({'source': ['F000001'], 'target': ['F000002']}).to_csv(table, index=False)
    >>> shortlist_table(ws, net, me, table)
    {'introductions': 1, 'events': 0}
    """
    import pandas as pd

    from kumenet.errors import InputDataError, Problem
    from kumenet.graph.io import read_table
    from kumenet.workspace.db import now

    raw = read_table(path)
    frame = raw.frame
    columns = {str(c).strip().lower(): c for c in frame.columns}
    known = set(net.ids.astype(str))
    problems = []

    def check(i, column, value):
        value = None if value is None or (isinstance(value, float) and value != value) \
            else str(value).strip()
        if value not in known:
            problems.append(Problem(raw.file, int(raw.lines[i]), raw.columns.get(column),
                                    str(column), f"{value!r} is not an actor of the network"))
        return value

    at = now()
    histories = []
    if "source" in columns and "target" in columns:
        for i in range(len(frame)):  # rows staff picked: dozens, each checked
            row = {k: frame[c].iloc[i] for k, c in columns.items()}
            source = check(i, columns["source"], row["source"])
            target = check(i, columns["target"], row["target"])
            histories.append({
                "source": source, "target": target, "origin": "suggestion", "at": at,
                "scope": None if pd.isna(row.get("scope")) else str(row.get("scope")),
                **{k: (None if pd.isna(row.get(k)) else row.get(k))
                   for k in ("rank", "score", "strength")}})
    elif "consortium" in columns and "id" in columns:
        for _, group in frame.groupby(columns["consortium"], sort=False):
            ids = [check(int(i), columns["id"], v) for i, v in zip(group.index,
                                                                    group[columns["id"]])]
            if len(ids) >= 2:
                histories.append({"source": ids[0], "target": ids[1], "group": ids[2:],
                                  "origin": "consortium", "at": at})
    else:
        raise InputDataError([Problem(raw.file, 1, None, None,
                                      "a table of suggestions (source, target) or of "
                                      "consortia (consortium, id), as kumenet match writes")])
    if problems:
        raise InputDataError(problems)
    return records.record_histories(ws, user, histories, address, action="shortlist")
