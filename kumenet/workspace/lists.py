"""The lists staff work from: open introductions, follow-ups due, expired ones, a centre's
funnel, and the setting-up of a workspace.

Lists read the introductions' current stage (kept with every event) and page through them
(``limit``/``offset``), so a page costs the same with 100,000 introductions; filters on
actors' provinces and sectors arrive as sets of actor ids (the application layer knows the
network).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from kumenet.errors import NotAllowed, NotLoggedIn
from kumenet.workspace import stages
from kumenet.workspace.auth import User, ensure_centres
from kumenet.workspace.db import Workspace, now
from kumenet.workspace.records import ensure_choices
from kumenet.workspace.schema import (centres, events, impressions, introductions, settings,
                                      users)

__all__ = ["init_workspace", "setting", "change_setting", "introduction_list", "funnel", "wilson",
           "outcome_table"]


LISTS = ("open", "follow_up", "expired", "shortlist", "all")
DEFAULTS = {"expire_days": str(stages.EXPIRE_DAYS),
            "follow_up_days": str(stages.FOLLOW_UP_DAYS),
            "exploration": "0"}  # 1: one exploratory slot per list of suggestions


def init_workspace(where=None) -> tuple[Workspace, str | None, object]:
    """Create or upgrade a workspace (a SQLite file is copied first when upgraded), with
    the pilot centres, the preset lists and the settings. Returns the workspace, the
    revision found before and the backup made.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> ws2, before, backup = init_workspace(ws.path)
    >>> before is not None, backup is not None
    (True, False)
    """
    ws = Workspace(where)
    if ws.sqlite:
        ws.path.parent.mkdir(parents=True, exist_ok=True)
    found, backup = ws.upgrade()
    with ws.write() as conn:
        ensure_centres(conn)
        ensure_choices(conn)
        have = {r.key for r in conn.execute(sa.select(settings.c.key))}
        missing = [{"key": k, "value": v} for k, v in DEFAULTS.items() if k not in have]
        if missing:
            conn.execute(settings.insert(), missing)
    return ws, found, backup


def setting(ws: Workspace, key: str) -> int:
    """A setting of the workspace (days, limits) as a whole number.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> setting(ws, 'follow_up_days') > 0
    True
    """
    with ws.read() as conn:
        value = conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar()
    return int(value if value is not None else DEFAULTS[key])


def _visible(user: User):
    """Introductions the user may list: their centre's and other centres' not private
    (admins: all)."""
    if user.is_admin:
        return sa.true()
    return sa.or_(introductions.c.centre_id == user.centre_id, ~introductions.c.private)


def introduction_list(ws: Workspace, user: User | None, which: str = "open", *,
                      stage: str | None = None, scope: str | None = None,
                      actors: set | None = None, mine: bool = False, limit: int = 100,
                      offset: int = 0) -> dict:
    """A page of introductions: ``open`` (not closed, the user's centre), ``follow_up``
    (met, the follow-up due within two weeks), ``expired`` (shortlisted or contacted with
    no answer for the expiry days), ``shortlist`` (shortlisted), ``all``. ``actors``: only
    introductions that involve one of them (a province's or a sector's actors).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.records import create_introduction, add_event
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> page = introduction_list(ws, me)
    >>> [(r['source'], r['target'], r['stage']) for r in page['rows']]
    [('F000001', 'F000002', 'shortlisted')]
    """
    if user is None:
        raise NotLoggedIn("log in to see introductions")
    if user.role == "researcher":
        raise NotAllowed("researchers read the funnel and the SQL tables")
    if which not in LISTS:
        raise ValueError(which)
    at = now()
    where = [_visible(user)]
    order = introductions.c.met_at if which == "follow_up" else introductions.c.stage_at
    if which == "open":
        where.append(introductions.c.stage.notin_(stages.CLOSED))
        if not user.is_admin:
            where.append(introductions.c.centre_id == user.centre_id)
    elif which == "follow_up":
        due = at - timedelta(days=setting(ws, "follow_up_days")) + timedelta(days=14)
        where += [introductions.c.stage == "met", introductions.c.met_at <= due]
    elif which == "expired":
        late = at - timedelta(days=setting(ws, "expire_days"))
        # SQLite would walk every introduction's time (ix_introductions_stage_at) to find,
        # and order, the few in these stages: a unary + keeps it to the stage's index
        # (SQLite's own advice for steering its planner).
        if ws.sqlite:
            order = sa.literal_column("+introductions.stage_at", sa.DateTime)
        where += [introductions.c.stage.in_(("shortlisted", "contacted")), order <= late]
    elif which == "shortlist":
        where.append(introductions.c.stage == "shortlisted")
        if not user.is_admin:
            where.append(introductions.c.centre_id == user.centre_id)
    if mine:
        where.append(introductions.c.created_by == user.id)
    if stage:
        where.append(introductions.c.stage == stage)
    if scope:
        where.append(introductions.c.scope == scope)
    if actors is not None:
        ids = list(actors)[:20_000]
        where.append(sa.or_(introductions.c.source.in_(ids), introductions.c.target.in_(ids)))
    query = (sa.select(introductions, centres.c.code.label("centre"),
                       users.c.display_name.label("created_by_name"))
             .select_from(introductions.join(centres).join(
                 users, introductions.c.created_by == users.c.id))
             .where(*where))
    counted = sa.select(sa.func.count()).select_from(introductions).where(*where)
    with ws.read() as conn:
        total = conn.execute(counted).scalar()
        rows = conn.execute(query.order_by(order.desc(), introductions.c.id)
                            .limit(max(1, min(limit, 1000))).offset(max(0, offset))
                            ).mappings().all()
    return {"list": which, "total": total, "rows": [dict(r) for r in rows],
            "limit": limit, "offset": offset}


FUNNEL_SECONDS = 60  # the funnel is kept this long unless this process writes


def funnel(ws: Workspace, user: User | None, centre_id: str | None = None) -> dict:
    """Suggested (shown) -> shortlisted -> contacted -> met -> agreement -> project, in all
    and per scope and per strength of the suggestion, with each step's rate from the one
    before. Every role may read it (researchers included: counts only). Kept for a minute,
    or until this process writes (a step just recorded shows at once).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> from kumenet.workspace.records import create_introduction, add_event
    >>> intro = create_introduction(ws, me, 'F000001', 'F000002')
    >>> _ = add_event(ws, me, intro['id'], 'contacted', side='both')
    >>> f = funnel(ws, me)
    >>> f['total']['contacted'], f['total']['rate_contacted']
    (1, 1.0)
    """
    import copy
    import time

    if user is None:
        raise NotLoggedIn("log in to see the funnel")
    key = (ws.instance, centre_id)
    kept = _FUNNELS.get(key)
    if kept and kept[0] == ws.generation and time.monotonic() - kept[1] < FUNNEL_SECONDS:
        return copy.deepcopy(kept[2])
    data = _funnel(ws, centre_id)
    if len(_FUNNELS) > 256:
        _FUNNELS.clear()
    _FUNNELS[key] = (ws.generation, time.monotonic(), data)
    return copy.deepcopy(data)


_FUNNELS: dict = {}


def _funnel(ws: Workspace, centre_id: str | None) -> dict:
    steps = [s for s in stages.FUNNEL if s != "shortlisted"]
    where = [] if centre_id is None else [introductions.c.centre_id == centre_id]
    strength = sa.func.coalesce(sa.cast(introductions.c.strength, sa.String), "hand")
    scope = sa.func.coalesce(introductions.c.scope, "unknown")
    columns = [sa.func.count().label("shortlisted"),
               *[sa.func.count(introductions.c[stages.REACHED[s]]).label(s) for s in steps]]
    base = sa.select(*columns).select_from(introductions).where(*where)
    shown_where = []
    if centre_id is not None:
        shown_where.append(impressions.c.user_id.in_(
            sa.select(users.c.id).where(users.c.centre_id == centre_id)))
    pairs = sa.select(impressions.c.source, impressions.c.target).where(*shown_where).distinct()
    with ws.read() as conn:
        total = dict(conn.execute(base).mappings().one())
        shown = conn.execute(sa.select(sa.func.count()).select_from(pairs.subquery())).scalar()
        by_scope = [dict(r) for r in conn.execute(
            base.add_columns(scope.label("scope")).group_by(scope).order_by(scope)).mappings()]
        by_strength = [dict(r) for r in conn.execute(
            base.add_columns(strength.label("strength")).group_by(strength)
            .order_by(strength)).mappings()]
    total["suggested"] = shown
    order = ["suggested", "shortlisted", *steps]
    return {"steps": order, "total": _rates(total, order),
            "by_scope": [_rates(r, order[1:]) for r in by_scope],
            "by_strength": [_rates(r, order[1:]) for r in by_strength]}


def _rates(row: dict, order: list[str]) -> dict:
    """Counts as integers and each step's share of the step before it."""
    out = {k: (int(v or 0) if k in order else v) for k, v in row.items()}
    for before, step in zip(order, order[1:]):
        out[f"rate_{step}"] = out[step] / out[before] if out.get(before) else None
    return out


#: Decline reasons that say something about the pair (negative labels); "already in contact"
#: says the pair is tied; "timing" and the rest say nothing about the pair.
PAIR_REASONS = ("not_relevant", "competitor", "quality_or_capacity")


def wilson(successes, trials, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (95 % by default) of success rates; NaN where no trials.

    >>> low, high = wilson([8], [10])
    >>> round(float(low[0]), 3), round(float(high[0]), 3)
    (0.49, 0.943)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.where(n > 0, centre - half, np.nan), np.where(n > 0, centre + half, np.nan)


def outcome_table(ws: Workspace) -> pd.DataFrame:
    """What came of the suggestions, per scope and per strength: pairs ``shown`` (logged
    impressions), ``acted`` on (introduced), ``met``, ``agreed`` (an agreement or a project),
    ``declined_pair`` (declined for a reason about the pair), ``already_in_contact``, with
    the rates ``acted/shown``, ``met/acted``, ``agreed/acted`` and their 95 % Wilson
    intervals. A pair shown and never acted on is unknown, not a failure: it only counts
    in ``shown``.

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.records import create_introduction, log_impressions
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = log_impressions(ws, me, [{'source': 'F1', 'target': f'F{i}', 'rank': i, 'strength': 5,
    ...                               'scope': 'intra_region'} for i in (2, 3, 4)], 'profile')
    >>> _ = create_introduction(ws, me, 'F1', 'F2', scope='intra_region', strength=5)
    >>> table = outcome_table(ws)
    >>> table[['by', 'group', 'shown', 'acted', 'acted_rate']].values.tolist()[0]
    ['scope', 'intra_region', 3, 1, 0.3333333333333333]
    """
    with ws.read() as conn:
        shown = pd.DataFrame(conn.execute(
            sa.select(impressions.c.source, impressions.c.target, impressions.c.scope,
                      impressions.c.strength).distinct()).all(),
            columns=["source", "target", "scope", "strength"])
        intros = pd.DataFrame(conn.execute(
            sa.select(introductions.c.id, introductions.c.scope, introductions.c.strength,
                      introductions.c.reached_met_at, introductions.c.agreement_at,
                      introductions.c.project_at)).all(),
            columns=["id", "scope", "strength", "met", "agreement", "project"])
        declined = pd.DataFrame(conn.execute(
            sa.select(events.c.introduction_id, events.c.reason)
            .where(events.c.to_stage == "declined")).all(), columns=["id", "reason"])
    reasons = declined.drop_duplicates("id", keep="last").set_index("id")["reason"]
    intros["reason"] = intros["id"].map(reasons)
    intros["met"] = intros["met"].notna()
    intros["agreed"] = intros["agreement"].notna() | intros["project"].notna()
    intros["declined_pair"] = intros["reason"].isin(PAIR_REASONS)
    intros["already_in_contact"] = intros["reason"] == "already_in_contact"
    tables = []
    for by in ("scope", "strength"):
        for frame in (shown, intros):
            frame["group"] = frame[by].astype(object).where(frame[by].notna(), "-").astype(str)
        counts = intros.groupby("group").agg(
            acted=("id", "size"), met=("met", "sum"), agreed=("agreed", "sum"),
            declined_pair=("declined_pair", "sum"),
            already_in_contact=("already_in_contact", "sum"))
        counts.insert(0, "shown", shown.groupby("group").size())
        counts = counts.reindex(sorted(set(counts.index) | set(shown["group"]))).fillna(0)
        tables.append(counts.astype(int).reset_index().assign(by=by))
    out = pd.concat(tables, ignore_index=True)
    for rate, (k, n) in {"acted_rate": ("acted", "shown"), "met_rate": ("met", "acted"),
                         "agreed_rate": ("agreed", "acted")}.items():
        with np.errstate(invalid="ignore", divide="ignore"):
            out[rate] = np.where(out[n] > 0, out[k] / out[n].where(out[n] > 0, 1), np.nan)
        out[f"{rate}_low"], out[f"{rate}_high"] = wilson(out[k], out[n])
    lead = ["by", "group", "shown", "acted", "met", "agreed", "declined_pair",
            "already_in_contact"]
    return out[lead + [c for c in out.columns if c not in lead]]


def change_setting(ws: Workspace, user: User, key: str, value: int) -> dict:
    """Set a workspace setting (an admin's work), audited with the value it replaces.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.auth import COMMAND_LINE
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> change_setting(ws, COMMAND_LINE, 'exploration', 1), setting(ws, 'exploration')
    ({'key': 'exploration', 'before': 0, 'after': 1}, 1)
    """
    from kumenet.errors import KumenetError
    from kumenet.text import suggestion
    from kumenet.workspace.records import audit

    if key not in DEFAULTS:
        raise KumenetError(f"no setting {key!r}{suggestion(key, DEFAULTS)}; the settings are "
                           f"{', '.join(DEFAULTS)}")
    if user.role != "admin":
        raise NotAllowed("only an admin changes the workspace's settings")
    value = int(value)
    if not 0 <= value <= 10_000 or (key == "exploration" and value not in (0, 1)):
        raise KumenetError(f"{key} cannot be {value}" + (" (0: off, 1: on)"
                                                          if key == "exploration" else ""))
    before = setting(ws, key)
    with ws.write() as conn:
        conn.execute(settings.delete().where(settings.c.key == key))
        conn.execute(settings.insert(), {"key": key, "value": str(value)})
        audit(conn, user, "change_setting", "setting", key, {"value": before}, {"value": value})
    return {"key": key, "before": before, "after": value}
