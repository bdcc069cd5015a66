"""Bringing a centre's past in, taking everything out, backups and copies.

- :func:`import_log`: a centre's Excel log of contacts and meetings, with the Turkish headers
  staff keep (``Tarih``, ``Firma``, ``Görüşülen Firma``, ``Durum``, ``Not``, ...), one row
  per step; every row is checked, every problem named by file, sheet, line and column, and
  nothing is written unless the whole file is right.
- :func:`export_workbook`: every record the user may see, one sheet each.
- :func:`write_audit`: the audit log as CSV or Excel.
- :func:`copy`: one workspace into another, row for row (a pilot's SQLite file into the
  national PostgreSQL server), read in one consistent transaction.
- :func:`backup`: a consistent copy while the workspace is in use.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from kumenet.errors import InputDataError, KumenetError, Problem
from kumenet.text import fold
from kumenet.workspace import records, stages
from kumenet.workspace.auth import User
from kumenet.workspace.db import Workspace
from kumenet.workspace.schema import (ORDER, audit, centres, contacts, events, introductions,
                                      metadata, notes, users)

__all__ = ["import_log", "export_workbook", "write_audit", "copy", "backup"]


#: Headers of a centre's log, as staff write them (folded), and what each holds.
LOG_COLUMNS = {
    "tarih": "date", "date": "date", "islem tarihi": "date",
    "firma": "source", "kaynak": "source", "source": "source", "firma kimligi": "source",
    "gorusulen firma": "target", "ortak": "target", "hedef": "target", "target": "target",
    "onerilen firma": "target", "karsi firma": "target",
    "durum": "stage", "asama": "stage", "stage": "stage",
    "not": "note", "aciklama": "note", "note": "note",
    "red nedeni": "reason", "neden": "reason", "reason": "reason",
    "taraf": "side", "side": "side",
    "gorusme tarihi": "meeting_at", "toplanti tarihi": "meeting_at", "meeting at": "meeting_at",
    "yer": "place", "place": "place", "cevrimici": "online", "online": "online",
    "anlasma turu": "agreement", "agreement": "agreement",
    "degerlendirme": "rating", "rating": "rating",
}
REQUIRED = ("date", "source", "target", "stage")
#: Stage names in a log (folded) -> kumenet's stage.
STAGE_WORDS = {
    "kisa liste": "shortlisted", "kisa listede": "shortlisted", "oneri": "shortlisted",
    "arandi": "contacted", "iletisime gecildi": "contacted", "iletisim": "contacted",
    "e posta gonderildi": "contacted", "ulasildi": "contacted",
    "kabul": "accepted", "kabul edildi": "accepted", "olumlu": "accepted",
    "red": "declined", "reddedildi": "declined", "olumsuz": "declined",
    "yanit yok": "expired", "suresi doldu": "expired",
    "gorusme planlandi": "meeting_planned", "randevu": "meeting_planned",
    "gorusuldu": "met", "gorusme yapildi": "met", "toplanti yapildi": "met",
    "gorusme yapilmadi": "not_held", "iptal": "not_held",
    "izleme": "follow_up", "izlendi": "follow_up",
    "anlasma": "agreement", "anlasma imzalandi": "agreement", "protokol": "agreement",
    "proje basladi": "project_started", "proje": "project_started",
    "tamamlandi": "completed",
}
SIDE_WORDS = {"a": "a", "b": "b", "ikisi": "both", "iki taraf": "both", "both": "both",
              "firma": "a", "karsi firma": "b"}
REASON_WORDS = {"ilgili degil": "not_relevant", "rakip": "competitor",
                "kalite": "quality_or_capacity", "kapasite": "quality_or_capacity",
                "kalite ya da kapasite": "quality_or_capacity",
                "zaten iletisimdeler": "already_in_contact", "zamanlama": "timing",
                "su an degil": "timing", "ilgi yok": "no_interest", "diger": "other"}
AGREEMENT_WORDS = {"tedarik": "supply", "ortak basvuru": "joint_application",
                   "ortak ihracat": "joint_export", "mutabakat": "mou", "protokol": "mou",
                   "ortak girisim": "joint_venture", "diger": "other"}
RATING_WORDS = {"baska temas olmadi": "no_further_contact", "bilgi kazanildi": "knowledge_gained",
                "degerli temas": "valuable_contact", "degerli bir temas": "valuable_contact",
                "gorusmeler suruyor": "negotiation", "muzakere": "negotiation"}


def _word(value, words: dict, codes) -> str | None:
    """A cell as one of ``codes``: the code itself or a Turkish word for it."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    key = fold(str(value)).strip()
    if key in codes:
        return key
    return words.get(key) or words.get(key.replace("_", " "))


def import_log(ws: Workspace, user: User, path: Path, resolve, address: str | None = None
               ) -> dict:
    """Read a centre's log and record it: one introduction per pair, its rows as events in
    date order. ``resolve(text) -> id`` finds an actor by id or name (raising
    :class:`~kumenet.errors.UnknownNodeError` with "did you mean" for an unknown one).
    Returns the counts written.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> log = Path(tempfile.mkdtemp()) / 'kayit.csv'
    >>> rows = ['Tarih;Firma;Görüşülen Firma;Durum', '12.03.2024;F000001;F000002;arandı', '20.03.2024;F000001;F000002;kabul']
    >>> _ = log.write_text(chr(10).join(rows), encoding='utf-8')
    >>> import_log(ws, me, log, resolve=str)
    {'introductions': 1, 'events': 2}
    """
    from kumenet.graph.dates import read_dates
    from kumenet.graph.io import read_table

    raw = read_table(path)
    label = raw.file
    problems: list[Problem] = []
    found = _log_columns(raw)

    def problem(i, role, message):
        header = found.get(role)
        problems.append(Problem(label, int(raw.lines[i]), raw.columns.get(header), header,
                                message))

    frame = raw.frame
    reading = read_dates(pd.Series(frame[found["date"]].to_numpy(dtype=object), dtype=object))
    when = reading.values if reading is not None else pd.Series([pd.NaT] * len(frame))
    rows = []
    for i in range(len(frame)):  # a log is a few thousand rows: each row's checks are small
        cell = {role: frame[header].iloc[i] for role, header in found.items()}
        at = when.iloc[i] if reading is not None and reading.valid[i] else None
        rows.append(_log_row(i, cell, at, found, resolve, problem))
        if len(problems) > 40:
            break
    table = pd.DataFrame(rows)
    _check_order(table, problem)
    if problems:
        raise InputDataError(problems)
    return _write_log(ws, user, table.sort_values(["at", "i"], kind="stable"), address)


def _log_columns(raw) -> dict:
    """The log's columns by role (Tarih -> date, ...); the required ones must be there."""
    found = {}
    for header in raw.frame.columns:
        role = LOG_COLUMNS.get(fold(str(header)).strip())
        if role and role not in found:
            found[role] = header
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputDataError([Problem(raw.file, 1, None, None,
                                      f"missing column(s) {', '.join(missing)}; the log needs "
                                      "Tarih, Firma, Görüşülen Firma and Durum (the columns are "
                                      f"{', '.join(map(repr, map(str, raw.frame.columns)))})")])
    return found


def _log_row(i: int, cell: dict, at, found: dict, resolve, problem) -> dict:
    """One row of a log as an event: its pair, stage, side, reason and details (each problem
    said through ``problem(row, role, message)``)."""
    from kumenet.errors import UnknownNodeError

    if at is None:
        problem(i, "date", f"{str(cell['date'])[:40]!r} is not a date (15.03.2024)")
    ends = []
    for end in ("source", "target"):
        name = cell.get(end)
        if _none(name) is None or str(name).strip() == "":
            problem(i, end, f"empty {end}")
            ends.append(None)
            continue
        try:
            ends.append(resolve(str(name).strip()))
        except UnknownNodeError as err:
            problem(i, end, str(err))
            ends.append(None)
    stage = _word(cell.get("stage"), STAGE_WORDS, stages.MOVES)
    if stage is None:
        problem(i, "stage", f"unknown stage {str(cell.get('stage'))[:40]!r}; use one of "
                            "kısa liste, arandı, kabul, red, görüşme planlandı, görüşüldü, "
                            "izleme, anlaşma, proje başladı, tamamlandı")
    side = _word(cell.get("side"), SIDE_WORDS, stages.SIDES)
    reason = _word(cell.get("reason"), REASON_WORDS, stages.DECLINE_REASONS)
    if stage == "declined" and reason is None:
        problem(i, "reason" if "reason" in found else "stage",
                "a decline needs its reason (Red Nedeni: ilgili değil, rakip, kalite ya da "
                "kapasite, zamanlama, ilgi yok, diğer)")
    details = _log_details(i, cell, at, stage, found, problem)
    note = cell.get("note")
    return {"i": i, "at": at, "source": ends[0], "target": ends[1], "stage": stage,
            "side": side or ("both" if stage == "contacted" else None),
            "reason": reason, "details": details,
            "note": None if note is None or pd.isna(note) else str(note)}


def _log_details(i: int, cell: dict, at, stage, found: dict, problem) -> dict:
    """What a meeting, an agreement or a follow-up records beyond its stage."""
    from kumenet.graph.dates import read_dates

    if stage == "meeting_planned":
        meeting = read_dates(pd.Series([cell.get("meeting_at")], dtype=object))
        details = {"meeting_at": (meeting.values.iloc[0].isoformat() if meeting is not None
                                  and meeting.valid[0] else (at.isoformat() if at is not None
                                                             else None)),
                   "place": None if pd.isna(cell.get("place")) else str(cell.get("place")),
                   "online": fold(str(cell.get("online") or "")) in ("evet", "yes", "1",
                                                                     "true", "e")}
        if not details["place"] and not details["online"]:
            details["online"] = False
            details["place"] = "-"
        return details
    if stage == "agreement":
        return {"kind": _word(cell.get("agreement"), AGREEMENT_WORDS,
                              stages.AGREEMENTS) or "other"}
    if stage == "follow_up":
        rating = _word(cell.get("rating"), RATING_WORDS, stages.FOLLOW_UP)
        if rating is None:
            problem(i, "rating" if "rating" in found else "stage",
                    "a follow-up needs its rating (Değerlendirme: başka temas olmadı, bilgi "
                    "kazanıldı, değerli temas, görüşmeler sürüyor)")
        return {"rating": rating}
    return {}


def _check_order(table: pd.DataFrame, problem) -> None:
    """The steps of each pair must follow each other in date order (checked on the rows that
    are whole, so that this is said with the other problems)."""
    whole = table.dropna(subset=["at", "source", "target", "stage"]) if len(table) else table
    if not len(whole):
        return
    current: dict = {}
    for row in whole.sort_values(["at", "i"], kind="stable").itertuples():
        pair = (row.source, row.target)
        stage_now = current.get(pair)
        if row.stage == stages.FIRST and stage_now is None:
            current[pair] = stages.FIRST
            continue
        if not stages.allowed(stage_now or stages.FIRST, row.stage):
            problem(row.i, "stage", f"{row.stage} cannot follow "
                                    f"{stage_now or stages.FIRST} for this pair")
        current[pair] = row.stage


def _write_log(ws: Workspace, user: User, table: pd.DataFrame, address) -> dict:
    """The checked log, written in one transaction: one introduction per pair (origin
    ``import``), its rows as events in order."""
    histories = []
    for (source, target), group in table.groupby(["source", "target"], sort=False):
        group = group.sort_values(["at", "i"], kind="stable")
        first = group.iloc[0]
        starts = first["stage"] == stages.FIRST
        steps = group.iloc[1:] if starts else group
        histories.append({
            "source": source, "target": target, "origin": "import",
            "at": first["at"].to_pydatetime(),
            "note": _none(first["note"]) if starts else None,
            "events": [{"stage": r.stage, "at": r.at.to_pydatetime(), "side": _none(r.side),
                        "reason": _none(r.reason), "note": _none(r.note),
                        "details": r.details or None} for r in steps.itertuples()]})
    return records.record_histories(ws, user, histories, address)


def _none(value):
    """A table's missing value (NaN) as None."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def export_workbook(ws: Workspace, user: User, path: Path, lang: str = "tr") -> Path:
    """Every record ``user`` may see, a sheet each (introductions, events, notes, contact
    persons; the audit log for admins), written atomically.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.records import create_introduction, add_event
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> import pandas as pd
    >>> path = Path(tempfile.mkdtemp()) / 'kayitlar.xlsx'
    >>> _ = export_workbook(ws, me, path)
    >>> sorted(pd.read_excel(path, sheet_name=None))[:3]
    ['contacts', 'events', 'introductions']
    """
    from kumenet.files import atomic_path
    from kumenet.output import style_sheet

    visible = sa.true() if user.is_admin else sa.or_(
        introductions.c.centre_id == user.centre_id, ~introductions.c.private)
    with ws.read() as conn:
        sheets = {
            "introductions": pd.read_sql(
                sa.select(introductions, centres.c.code.label("centre"))
                .select_from(introductions.join(centres)).where(visible)
                .order_by(introductions.c.created_at), conn),
            "events": pd.read_sql(
                sa.select(events.c.introduction_id, events.c.seq, events.c.at,
                          users.c.username, events.c.from_stage, events.c.to_stage,
                          events.c.side, events.c.reason,
                          (events.c.note if user.role != "researcher" else sa.null()).label(
                              "note"), events.c.details, events.c.correction)
                .select_from(events.join(users, events.c.user_id == users.c.id)
                             .join(introductions))
                .where(visible).order_by(events.c.introduction_id, events.c.seq), conn),
        }
        if user.role != "researcher":
            mine = sa.or_(notes.c.author_id == user.id, notes.c.visibility == "national",
                          sa.and_(notes.c.visibility == "centre",
                                  notes.c.centre_id == user.centre_id))
            if user.is_admin:
                mine = sa.or_(mine, notes.c.visibility != "private")
            sheets["notes"] = pd.read_sql(sa.select(notes).where(mine)
                                          .order_by(notes.c.created_at), conn)
            kept = contacts.c.erased_at.is_(None)
            if not user.is_admin:
                kept = sa.and_(kept, contacts.c.centre_id == user.centre_id)
            sheets["contacts"] = pd.read_sql(sa.select(contacts).where(kept)
                                             .order_by(contacts.c.created_at), conn)
        if user.is_admin:
            sheets["audit"] = pd.read_sql(sa.select(audit).order_by(audit.c.id), conn)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise KumenetError(f"{path}: the workspace is exported as an .xlsx workbook")
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                for col in frame.columns:
                    if frame[col].map(lambda v: isinstance(v, (dict, list))).any():
                        frame[col] = frame[col].map(lambda v: None if v is None else str(v))
                frame.to_excel(writer, sheet_name=name, index=False)
                style_sheet(writer.sheets[name], frame)
    return path


def write_audit(ws: Workspace, path: Path) -> Path:
    """The audit log, oldest first, as ``.csv`` (``;`` and UTF-8 with BOM, as Turkish Excel
    opens it) or ``.xlsx``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.records import create_introduction, add_event
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> path = Path(tempfile.mkdtemp()) / 'denetim.csv'
    >>> write_audit(ws, path).name
    'denetim.csv'
    >>> path.read_text(encoding='utf-8-sig').splitlines()[0][:20]
    'id;at;user_id;userna'
    """
    from kumenet.files import atomic_path

    path = Path(path)
    with ws.read() as conn:
        frame = pd.read_sql(sa.select(audit).order_by(audit.c.id), conn)
    for col in ("before", "after"):
        frame[col] = frame[col].map(lambda v: None if v is None else str(v))
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".xlsx":
            frame.to_excel(tmp, index=False, sheet_name="audit")
        elif path.suffix.lower() == ".csv":
            frame.to_csv(tmp, index=False, sep=";", encoding="utf-8-sig")
        else:
            raise KumenetError(f"{path}: write the audit log as .csv or .xlsx")
    return path


def copy(source: Workspace, target: Workspace, batch: int = 5_000) -> dict[str, int]:
    """Every row of ``source`` into ``target`` (set up and empty), in one consistent read of
    the source and one write transaction on the target; counts per table.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.records import create_introduction, add_event
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> from kumenet.workspace.db import Workspace
    >>> target = Workspace(Path(tempfile.mkdtemp()) / 'kopya.db')
    >>> target.upgrade(backup=False)
    (None, None)
    >>> copy(ws, target)['introductions']
    1
    """
    counts = {}
    with target.read() as conn:
        for name in ORDER:
            if conn.execute(sa.select(sa.func.count()).select_from(metadata.tables[name])
                            ).scalar():
                raise KumenetError(f"the target workspace {target.shown} is not empty "
                                   f"({name} has rows): copy into a new workspace")
    with source.engine.connect() as src, target.write() as dst:
        if not source.sqlite:
            src.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with src.begin():
            for name in ORDER:
                table = metadata.tables[name]
                key = list(table.primary_key.columns)
                result = src.execution_options(stream_results=True).execute(
                    sa.select(table).order_by(*key))
                n = 0
                while chunk := result.mappings().fetchmany(batch):
                    dst.execute(table.insert(), [dict(r) for r in chunk])
                    n += len(chunk)
                counts[name] = n
        if not target.sqlite:  # integer keys given explicitly: the sequences move past them
            for name in ("login_attempts", "impressions", "audit"):
                dst.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)")
    return counts


def backup(ws: Workspace, path: Path) -> Path:
    """A consistent copy of ``ws`` while it is in use: SQLite's online backup of a SQLite
    workspace; a PostgreSQL workspace copied into a new SQLite file (one repeatable-read
    transaction), which ``kumenet workspace copy`` brings back.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.records import create_introduction, add_event
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> path = backup(ws, Path(tempfile.mkdtemp()) / 'yedek.db')
    >>> path.exists()
    True
    """
    from kumenet.files import atomic_path

    path = Path(path)
    if ws.sqlite:
        return ws.backup(path)
    with atomic_path(path) as tmp:
        target = Workspace(tmp)
        try:
            target.upgrade(backup=False)
            copy(ws, target)
        finally:
            target.close()
    return path
