"""What staff record, on SQLite and on PostgreSQL alike: the stage model, conflicts, the
audit log and its immutability, who sees what, consent and erasure, lists and the funnel."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kumenet.errors import (Conflict, KumenetError, NotAllowed, NotLoggedIn, RecordNotFound,
                            TooManyAttempts)
from kumenet.workspace import lists, records, stages
from kumenet.workspace.auth import (add_user, login, logout, reset_password, session_user,
                                    set_active)
from kumenet.workspace.schema import audit, events, introductions
from tests.workspace.conftest import PASSWORD


def journey(ws, user, source="F1", target="F2"):
    """Shortlisted -> contacted (both sides) -> accepted -> meeting -> met -> follow-up ->
    agreement -> project."""
    i = records.create_introduction(ws, user, source, target, origin="suggestion",
                                    scope="intra_regional", strength=5, rank=1, score=0.8)
    for stage, kw in (("contacted", {"side": "a"}), ("contacted", {"side": "b"}),
                      ("accepted", {}),
                      ("meeting_planned", {"details": {"meeting_at": "2025-03-20T10:00",
                                                       "place": "Samsun TSO"}}),
                      ("met", {}), ("follow_up", {"details": {"rating": "negotiation"}}),
                      ("agreement", {"details": {"kind": "joint_export"}}),
                      ("project_started", {})):
        records.add_event(ws, user, i["id"], stage, **kw)
    return i["id"]


def test_an_introduction_goes_from_shortlist_to_project(ws, people):
    ayse = people["ayse"]
    intro = journey(ws, ayse)
    got = records.get_introduction(ws, ayse, intro)
    assert got["stage"] == "project_started" and got["seq"] == 9
    assert [e["to_stage"] for e in got["events"]] == [
        "shortlisted", "contacted", "contacted", "accepted", "meeting_planned", "met",
        "follow_up", "agreement", "project_started"]
    assert got["meeting_at"].isoformat().startswith("2025-03-20T10:00")
    # the current stage is what the events say
    assert got["events"][-1]["to_stage"] == got["stage"]
    with ws.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(audit).where(
            audit.c.record_id == intro)).scalar()
    assert n == 9  # every write audited


def test_moves_the_stage_does_not_allow_and_stale_reads_are_conflicts(ws, people):
    ayse = people["ayse"]
    i = records.create_introduction(ws, ayse, "F1", "F2")
    with pytest.raises(Conflict, match="is at shortlisted .* cannot move to agreement"):
        records.add_event(ws, ayse, i["id"], "agreement", details={"kind": "mou"})
    records.add_event(ws, ayse, i["id"], "contacted", side="both", expected_seq=1)
    with pytest.raises(Conflict, match="changed since you read it: ayse moved it to contacted"):
        records.add_event(ws, ayse, i["id"], "declined", reason="timing", expected_seq=1)
    with pytest.raises(KumenetError, match="a decline needs its reason"):
        records.add_event(ws, ayse, i["id"], "declined")
    with pytest.raises(KumenetError, match="reason must be one of"):
        records.add_event(ws, ayse, i["id"], "declined", reason="because")
    records.add_event(ws, ayse, i["id"], "declined", reason="competitor", side="b")
    # a mistake is corrected by a new event, the wrong one stays
    with pytest.raises(KumenetError, match="needs a note"):
        records.add_event(ws, ayse, i["id"], "contacted", correction=True)
    records.add_event(ws, ayse, i["id"], "contacted", correction=True,
                      note="B did not decline: wrong firm")
    got = records.get_introduction(ws, ayse, i["id"])
    assert got["stage"] == "contacted"
    assert [e["to_stage"] for e in got["events"]][-2:] == ["declined", "contacted"]
    assert got["events"][-1]["correction"]


def test_events_and_the_audit_log_are_never_changed(ws, people):
    intro = journey(ws, people["ayse"])
    for table, where in ((audit, audit.c.record_id == intro),
                         (events, events.c.introduction_id == intro)):
        for statement in (table.update().where(where).values(at=sa.func.now()),
                          table.delete().where(where)):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                with ws.write() as conn:
                    conn.execute(statement)
    if not ws.sqlite:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with ws.write() as conn:
                conn.exec_driver_sql("TRUNCATE audit")


def test_roles_and_centres(ws, people):
    ayse, mehmet, deniz, admin = (people[k] for k in ("ayse", "mehmet", "deniz", "admin"))
    mine = records.create_introduction(ws, ayse, "F1", "F2")
    secret = records.create_introduction(ws, ayse, "F1", "F3", private=True)
    # another centre's staff reads what is not private, changes nothing
    assert records.get_introduction(ws, mehmet, mine["id"])["id"] == mine["id"]
    with pytest.raises(RecordNotFound):
        records.get_introduction(ws, mehmet, secret["id"])
    with pytest.raises(NotAllowed, match="own centre"):
        records.add_event(ws, mehmet, mine["id"], "contacted", side="a")
    with pytest.raises(RecordNotFound):
        records.add_event(ws, mehmet, secret["id"], "contacted", side="a")
    # researchers write nothing and read aggregates only
    with pytest.raises(NotAllowed):
        records.create_introduction(ws, deniz, "F1", "F2")
    with pytest.raises(NotAllowed):
        records.get_introduction(ws, deniz, mine["id"])
    with pytest.raises(NotAllowed):
        lists.introduction_list(ws, deniz, "open")
    assert lists.funnel(ws, deniz)["total"]["shortlisted"] == 2
    # nobody
    with pytest.raises(NotLoggedIn):
        records.create_introduction(ws, None, "F1", "F2")
    with pytest.raises(NotLoggedIn):
        records.get_introduction(ws, None, mine["id"])
    # the admin reads and changes everything
    assert records.get_introduction(ws, admin, secret["id"])["private"]
    records.add_event(ws, admin, secret["id"], "contacted", side="a")


def test_notes_are_seen_by_whom_their_visibility_says(ws, people):
    ayse, mehmet, deniz, admin = (people[k] for k in ("ayse", "mehmet", "deniz", "admin"))
    for visibility in ("private", "centre", "national"):
        records.add_note(ws, ayse, "F1", f"{visibility} note", visibility)
    seen = {name: {n["text"] for n in records.actor_notes(ws, u, "F1")}
            for name, u in people.items()}
    assert seen["ayse"] == {"private note", "centre note", "national note"}
    assert seen["mehmet"] == {"national note"}
    assert seen["admin"] == {"centre note", "national note"}
    assert seen["deniz"] == set() and records.actor_notes(ws, None, "F1") == []
    with pytest.raises(KumenetError, match="at most 10,000"):
        records.add_note(ws, ayse, "F1", "x" * 10_001)
    with pytest.raises(NotAllowed):
        records.add_note(ws, deniz, "F1", "a researcher's note")


def test_contact_persons_need_consent_and_can_be_erased(ws, people):
    ayse, mehmet = people["ayse"], people["mehmet"]
    with pytest.raises(KumenetError, match="consent"):
        records.add_contact(ws, ayse, "F1", name="Ali Veli", consent=False)
    person = records.add_contact(ws, ayse, "F1", name="Ali Veli", role="genel müdür",
                                 phone="+90 362 000 00 00", email="ali@example.com",
                                 consent=True, consent_note="sözlü, 12.03.2025")
    assert records.actor_contacts(ws, mehmet, "F1") == []  # another centre's
    with pytest.raises(NotAllowed):
        records.erase_contact(ws, mehmet, person["id"])
    records.erase_contact(ws, ayse, person["id"])
    kept = records.actor_contacts(ws, ayse, "F1")[0]
    assert kept["erased_at"] is not None
    assert all(kept[k] is None for k in records.PERSONAL)
    with ws.read() as conn:  # the log never held the person's data
        rows = conn.execute(sa.select(audit.c.before, audit.c.after)
                            .where(audit.c.record_type == "contact")).all()
    said = " ".join(str(r) for r in rows)
    # (the phone whole: its digits alone may turn up in a random id)
    assert rows and "Ali" not in said and "example.com" not in said
    assert "362 000 00 00" not in said and "sözlü" not in said


def test_sessions_logins_and_throttling(ws, people):
    s = login(ws, "AYSE", PASSWORD, "10.0.0.1")  # names folded
    assert session_user(ws, s.token)[0].username == "ayse"
    other = login(ws, "ayse", PASSWORD, "10.0.0.1")
    assert other.token != s.token and other.csrf != s.csrf  # a new token at every login
    logout(ws, s.token)
    assert session_user(ws, s.token) is None and session_user(ws, other.token) is not None
    logout(ws, other.token, everywhere=True)
    assert session_user(ws, other.token) is None
    assert session_user(ws, "planted-by-an-attacker") is None
    # expiry: idle and absolute
    s = login(ws, "ayse", PASSWORD)
    from kumenet.workspace.auth import ABSOLUTE, IDLE, _token_hash
    from kumenet.workspace.schema import sessions

    def age(token, **values):
        with ws.write() as conn:
            conn.execute(sessions.update().where(sessions.c.token_hash == _token_hash(token))
                         .values(**values))

    age(s.token, last_seen_at=records.now() - IDLE - timedelta(seconds=1))
    assert session_user(ws, s.token) is None
    s = login(ws, "ayse", PASSWORD)
    age(s.token, expires_at=records.now() - timedelta(seconds=1))
    assert session_user(ws, s.token) is None
    assert ABSOLUTE > IDLE
    # wrong passwords: the same message for a wrong name; five in a row lock the account
    with pytest.raises(NotLoggedIn, match="wrong user name or password"):
        login(ws, "nobody", PASSWORD)
    for _ in range(5):
        with pytest.raises(NotLoggedIn):
            login(ws, "mehmet", "wrong password!", "10.0.0.2")
    with pytest.raises(TooManyAttempts):
        login(ws, "mehmet", PASSWORD, "10.0.0.3")
    # a disabled account's sessions end; a reset password ends them too
    s = login(ws, "ayse", PASSWORD)
    set_active(ws, "ayse", False)
    assert session_user(ws, s.token) is None
    with pytest.raises(NotLoggedIn):
        login(ws, "ayse", PASSWORD)
    set_active(ws, "ayse", True)
    s = login(ws, "ayse", PASSWORD)
    reset_password(ws, "ayse", "a new long passphrase")
    assert session_user(ws, s.token) is None
    with pytest.raises(KumenetError, match="at least 10"):
        add_user(ws, "kisa", "staff", "short", centre="samsun")
    with pytest.raises(KumenetError, match="belongs to a centre"):
        add_user(ws, "merkezsiz", "staff", PASSWORD)
    with pytest.raises(KumenetError, match="no centre 'ankara'"):
        add_user(ws, "ankarali", "staff", PASSWORD, centre="ankara")


def test_lists_and_the_funnel(ws, people):
    ayse = people["ayse"]
    done = journey(ws, ayse, "F1", "F2")
    open_one = records.create_introduction(ws, ayse, "F1", "F3", scope="interregional",
                                           strength=2)
    old = records.create_introduction(ws, ayse, "F4", "F5", strength=3,
                                      at=records.now() - timedelta(days=60))
    met = records.create_introduction(ws, ayse, "F6", "F7", strength=5)
    for stage, kw in (("contacted", {"side": "both"}), ("accepted", {}),
                      ("meeting_planned", {"details": {"meeting_at": "2024-01-10T10:00",
                                                       "online": True}})):
        records.add_event(ws, ayse, met["id"], stage, **kw)
    records.add_event(ws, ayse, met["id"], "met", at=records.now() - timedelta(days=200))
    records.log_impressions(ws, ayse, [{"source": "F1", "target": t, "rank": r}
                                       for r, t in enumerate(["F2", "F3", "F8", "F9"], 1)],
                            "profile")
    ids = lambda which: {r["id"] for r in lists.introduction_list(ws, ayse, which)["rows"]}  # noqa: E731
    assert ids("open") == {done, open_one["id"], old["id"], met["id"]}
    assert ids("expired") == {old["id"]}
    assert ids("follow_up") == {met["id"]}
    assert ids("shortlist") == {open_one["id"], old["id"]}
    assert lists.introduction_list(ws, ayse, "all", actors={"F6"})["total"] == 1
    f = lists.funnel(ws, ayse)
    assert f["steps"] == ["suggested", "shortlisted", "contacted", "met", "agreement", "project"]
    assert [f["total"][s] for s in f["steps"]] == [4, 4, 2, 2, 1, 1]
    assert f["total"]["rate_contacted"] == 0.5 and f["total"]["rate_met"] == 1.0
    by_strength = {r["strength"]: r for r in f["by_strength"]}
    assert by_strength["5"]["shortlisted"] == 2 and by_strength["5"]["met"] == 2
    assert by_strength["2"]["contacted"] == 0


def test_a_newer_schema_is_refused_and_an_upgrade_keeps_a_backup(ws):
    from kumenet.workspace.db import Workspace

    with ws.write() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    again = Workspace(ws.url)
    with pytest.raises(KumenetError, match="schema 9999, newer than this kumenet's"):
        again.check()
    with pytest.raises(KumenetError, match="newer than this kumenet's"):
        again.upgrade()
    again.close()


def test_the_stage_model_is_whole():
    for stage, moves in stages.MOVES.items():
        assert set(moves) <= set(stages.STAGES), stage
    reachable = {stages.FIRST}
    for _ in stages.STAGES:
        reachable |= {m for s in reachable for m in stages.MOVES[s]}
    assert reachable == set(stages.STAGES)
    assert all(not stages.MOVES[s] or s == "expired" for s in stages.CLOSED)


def test_counts_of_the_introductions_table_follow_the_events(ws, people):
    intro = journey(ws, people["ayse"])
    with ws.read() as conn:
        last = conn.execute(sa.select(events.c.to_stage, events.c.seq)
                            .where(events.c.introduction_id == intro)
                            .order_by(events.c.seq.desc()).limit(1)).one()
        row = conn.execute(sa.select(introductions.c.stage, introductions.c.seq)
                           .where(introductions.c.id == intro)).one()
    assert tuple(last) == tuple(row)
