"""The workspace through a real ``kumenet serve`` process, on SQLite and on PostgreSQL: every
write route as every role and as nobody, CSRF and origins, sessions, throttling, hostile
text, size limits, a write surviving SIGKILL, and 50 staff writing at once."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from tests.workspace.conftest import PASSWORD
from tests.workspace.served import Client, Server

pytestmark = pytest.mark.slow

PEOPLE = (("admin", "admin", None), ("ayse", "staff", "samsun"), ("mehmet", "staff", "trabzon"),
          ("deniz", "researcher", None))


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.getbasetemp() / "serve-cache"


def _prepared(where):
    from kumenet.workspace.auth import add_user
    from kumenet.workspace.lists import init_workspace

    ws, _, _ = init_workspace(where)
    for name, role, centre in PEOPLE:
        add_user(ws, name, role, PASSWORD, centre=centre)
    return ws


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory, cache):
    cache.mkdir(exist_ok=True)
    if request.param == "sqlite":
        where = str(tmp_path_factory.mktemp("ws") / "workspace.db")
    else:
        where = request.getfixturevalue("postgres").url()
    ws = _prepared(where)
    server = Server(where, cache)
    yield server, ws
    server.stop()
    ws.close()


def client(server, name=None) -> Client:
    c = Client(server.url)
    if name:
        assert c.login(name, PASSWORD).status_code == 303
    return c


def test_writing_needs_a_session_a_role_a_centre_and_the_token(site):
    server, _ = site
    ayse, mehmet, deniz = (client(server, n) for n in ("ayse", "mehmet", "deniz"))
    nobody = client(server)
    intro = {"source": "F000001", "target": "F000010", "note": "ilk arama"}
    # nobody: 401; a session without the token, or with another's: 403
    assert nobody.write("/api/introductions", intro, token=None).status_code == 401
    assert ayse.write("/api/introductions", intro, token=None).status_code == 403
    assert ayse.write("/api/introductions", intro, token=mehmet.csrf).status_code == 403
    assert deniz.write("/api/introductions", intro).status_code == 403  # researcher
    made = ayse.write("/api/introductions", intro)
    assert made.status_code == 201, made.text
    iid = made.json()["id"]
    event = {"stage": "contacted", "side": "a", "note": "12.03: A arandı"}
    path = f"/api/introductions/{iid}/events"
    assert nobody.write(path, event, token=None).status_code == 401
    assert ayse.write(path, event, token=None).status_code == 403
    assert mehmet.write(path, event).status_code == 403  # another centre's record
    assert deniz.write(path, event).status_code == 403
    assert ayse.write(path, event).status_code == 201
    assert ayse.write(path, {"stage": "agreement", "details": {"kind": "mou"}}).status_code == 409
    assert ayse.write(path, {"stage": "contacted"}).status_code == 400  # which side?
    assert ayse.write(path, {"stage": "no-such-stage"}).status_code == 422
    got = ayse.get(server.url + f"/api/introductions/{iid}")
    assert got.status_code == 200 and [e["to_stage"] for e in got.json()["events"]] == \
        ["shortlisted", "contacted"]
    assert nobody.get(server.url + f"/api/introductions/{iid}").status_code == 401
    assert deniz.get(server.url + f"/api/introductions/{iid}").status_code == 403
    assert mehmet.get(server.url + f"/api/introductions/{iid}").status_code == 200
    # notes and contact persons
    for route, body in (("/api/notes", {"actor": "F000001", "text": "fuarda görüşüldü"}),
                        ("/api/contacts", {"actor": "F000001", "name": "Ali Veli",
                                           "consent": True, "email": "ali@example.com"})):
        assert nobody.write(route, body, token=None).status_code == 401
        assert ayse.write(route, body, token=None).status_code == 403
        assert deniz.write(route, body).status_code == 403
        assert ayse.write(route, body).status_code == 201
    person = ayse.write("/api/contacts", {"actor": "F000001", "name": "Veli Ali",
                                          "consent": True}).json()["id"]
    erase = f"/api/contacts/{person}/erase"
    assert nobody.write(erase, token=None).status_code == 401
    assert ayse.write(erase, token=None).status_code == 403
    assert mehmet.write(erase).status_code == 403
    assert deniz.write(erase).status_code == 403
    assert ayse.write(erase).status_code == 200


def test_initiatives_are_written_by_their_centre_and_read_by_everyone_logged_in(site):
    server, _ = site
    admin, ayse, mehmet, deniz = (client(server, n) for n in ("admin", "ayse", "mehmet",
                                                               "deniz"))
    nobody = client(server)
    body = {"name": "Samsun Medikal <Kümesi>", "start_year": 2021, "provinces": "Samsun",
            "cluster": "Samsun tıbbi cihazlar", "members": "F000300",
            "coordinator": "samsun ticaret ve sanayi odası"}
    assert nobody.write("/api/initiatives", body, token=None).status_code == 401
    assert ayse.write("/api/initiatives", body, token=None).status_code == 403
    assert ayse.write("/api/initiatives", body, token=mehmet.csrf).status_code == 403
    assert deniz.write("/api/initiatives", body).status_code == 403
    assert ayse.write("/api/initiatives", body).status_code == 201
    assert ayse.write("/api/initiatives", body).status_code == 400  # exists already
    name = "Samsun%20Medikal%20%3CK%C3%BCmesi%3E"
    join = {"actors": "alaca tuğla a.ş.", "action": "join", "on": "2023-03-01"}
    activity = {"kind": "b2b_day", "title": "İkili görüşme günü", "held_on": "2023-04-15",
                "participants": "F000001\nF000300"}
    for route, payload in ((f"/api/initiative/{name}/members", join),
                           (f"/api/initiative/{name}/activities", activity)):
        assert nobody.write(route, payload, token=None).status_code == 401
        assert ayse.write(route, payload, token=None).status_code == 403
        assert mehmet.write(route, payload).status_code == 403  # another centre's
        assert deniz.write(route, payload).status_code == 403
        assert ayse.write(route, payload).status_code == 201, route
    assert admin.write(f"/api/initiative/{name}/members",
                       {**join, "actors": "F000002", "action": "leave"}).status_code == 201
    unknown = ayse.write(f"/api/initiative/{name}/members", {**join, "actors": "Yildiz Medikl"})
    assert unknown.status_code == 400 and "did you mean" in unknown.json()["error"]
    assert nobody.get(server.url + "/api/initiatives").status_code == 401
    listed = deniz.get(server.url + "/api/initiatives").json()["initiatives"]
    assert [(i["name"], i["members_now"]) for i in listed] == [("Samsun Medikal <Kümesi>", 61)]
    got = deniz.get(server.url + f"/api/initiative/{name}")
    assert got.status_code == 200 and not got.json()["may_write"]
    assert got.json()["coordinator"] == "Samsun Ticaret ve Sanayi Odası"
    values = {(r["indicator"], r["year"]): r["value"] for r in got.json()["panel"]}
    assert values[("members", 2023)] == 61 and values[("activities", 2023)] == 1
    html = ayse.get(server.url + f"/initiative/{name}?lang=en").text
    assert "Samsun Medikal &lt;Kümesi&gt;" in html and 'class="km-card"' in html
    assert f'action="/initiative/{name}/activities' in html  # her centre's: the forms shown
    assert "/activities" not in deniz.get(server.url + f"/initiative/{name}").text
    form = ayse.post(server.url + f"/initiative/{name}/activities",
                     data={**activity, "title": "Eğitim", "csrf_token": ayse.csrf},
                     allow_redirects=False, headers={"Origin": server.url})
    assert form.status_code == 303 and form.headers["location"].endswith("#record")
    assert ayse.post(server.url + f"/initiative/{name}/activities",
                     data={**activity, "csrf_token": ""},
                     allow_redirects=False).status_code == 403


def test_forms_check_the_token_and_where_they_come_from(site):
    server, _ = site
    ayse = client(server, "ayse")
    form = {"source": "F000001", "target": "F000020", "origin": "suggestion",
            "csrf_token": ayse.csrf}
    foreign = ayse.post(server.url + "/introductions", data=form, allow_redirects=False,
                        headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    missing = ayse.post(server.url + "/introductions", data={**form, "csrf_token": ""},
                        allow_redirects=False)
    assert missing.status_code == 403
    ok = ayse.post(server.url + "/introductions", data=form, allow_redirects=False,
                   headers={"Origin": server.url})
    assert ok.status_code == 303 and ok.headers["location"].startswith("/introduction/")
    page = ayse.get(server.url + ok.headers["location"])
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    # a form write without a session goes to the login page, keeping where it was going
    nobody = client(server)
    answer = nobody.post(server.url + "/actor/F000001/notes", data={"text": "x",
                                                                   "csrf_token": "x"},
                         allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    # logout needs the token too, then the session is gone
    assert ayse.post(server.url + "/logout", data={"csrf_token": "wrong"},
                     allow_redirects=False).status_code == 403
    assert ayse.post(server.url + "/logout", data={"csrf_token": ayse.csrf},
                     allow_redirects=False).status_code == 303
    assert not ayse.get(server.url + "/api/session").json()["logged_in"]


def test_a_planted_session_is_worth_nothing_and_a_login_starts_a_new_one(site):
    server, _ = site
    victim = Client(server.url)
    victim.cookies.set("kumenet_session", "planted-by-an-attacker", domain="127.0.0.1")
    assert victim.login("ayse", PASSWORD).status_code == 303
    token = victim.cookies.get("kumenet_session")
    assert token and token != "planted-by-an-attacker"
    attacker = Client(server.url)
    attacker.cookies.set("kumenet_session", "planted-by-an-attacker", domain="127.0.0.1")
    assert not attacker.get(server.url + "/api/session").json()["logged_in"]
    # the cookie is HttpOnly and SameSite=Lax
    answer = Client(server.url)
    t = answer.get(server.url + "/api/session").json()["csrf_token"]
    done = answer.post(server.url + "/login", data={"username": "ayse", "password": PASSWORD,
                                                    "csrf_token": t}, allow_redirects=False)
    cookie = done.headers["set-cookie"]
    assert "kumenet_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    # a login form posted from elsewhere, or without its token, is refused
    assert answer.post(server.url + "/login", data={"username": "ayse", "password": PASSWORD},
                       allow_redirects=False).status_code == 403


def test_failed_logins_are_throttled(site):
    server, _ = site
    c = Client(server.url)
    t = c.get(server.url + "/api/session").json()["csrf_token"]
    for _ in range(5):
        bad = c.post(server.url + "/login", data={"username": "mehmet", "password": "nope",
                                                  "csrf_token": t}, allow_redirects=False)
        assert bad.status_code == 401
    locked = c.post(server.url + "/login", data={"username": "mehmet", "password": PASSWORD,
                                                 "csrf_token": t}, allow_redirects=False)
    assert locked.status_code == 429


def test_an_expired_session_is_refused(site):
    server, ws = site
    from datetime import timedelta

    from kumenet.workspace.auth import _token_hash
    from kumenet.workspace.db import now
    from kumenet.workspace.schema import sessions

    ayse = client(server, "ayse")
    with ws.write() as conn:
        conn.execute(sessions.update().where(
            sessions.c.token_hash == _token_hash(ayse.cookies.get("kumenet_session")))
            .values(expires_at=now() - timedelta(minutes=1)))
    answer = ayse.write("/api/notes", {"actor": "F000001", "text": "x"})
    assert answer.status_code == 401


def test_hostile_text_is_shown_as_text_and_sizes_are_bounded(site):
    server, _ = site
    ayse = client(server, "ayse")
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> "\'&'
    assert ayse.write("/api/notes", {"actor": "F000002", "text": hostile}).status_code == 201
    made = ayse.write("/api/introductions", {"source": "F000002", "target": "F000003",
                                             "note": hostile})
    page = ayse.get(server.url + "/actor/F000002").text
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page
    assert "<img src=x" not in page
    intro = ayse.get(server.url + f"/introduction/{made.json()['id']}").text
    assert "&lt;script&gt;" in intro and "<script>alert" not in intro
    assert ayse.write("/api/notes", {"actor": "F000002", "text": "x" * 10_001}).status_code == 422
    big = ayse.post(server.url + "/api/notes", data=b"x" * 1_100_000,
                    headers={"X-CSRF-Token": ayse.csrf, "Content-Type": "application/json"})
    assert big.status_code == 413
    assert ayse.write("/api/introductions", {"source": "F000002",
                                             "target": "NOT-AN-ACTOR"}).status_code == 404


def test_the_api_is_described(site):
    server, _ = site
    spec = requests.get(server.url + "/openapi.json").json()
    assert "post" in spec["paths"]["/api/introductions"]
    assert "requestBody" in spec["paths"]["/api/introductions/{introduction_id}/events"]["post"]
    assert "get" in spec["paths"]["/api/introductions/{introduction_id}"]
    assert "get" in spec["paths"]["/api/session"]


def test_a_committed_write_survives_sigkill(site, tmp_path_factory):
    server, ws = site
    from kumenet.workspace.schema import audit, introductions

    ayse = client(server, "ayse")
    made = ayse.write("/api/introductions", {"source": "F000004", "target": "F000005",
                                             "note": "kill -9 right after this"})
    assert made.status_code == 201
    iid = made.json()["id"]
    server.kill()
    with ws.read() as conn:
        assert conn.execute(sa.select(introductions.c.id).where(introductions.c.id == iid)
                            ).scalar() == iid
        assert conn.execute(sa.select(sa.func.count()).select_from(audit).where(
            audit.c.record_id == iid, audit.c.action == "create")).scalar() == 1
    server.start()
    again = client(server, "ayse")
    shown = again.get(server.url + f"/api/introductions/{iid}")
    assert shown.status_code == 200
    assert shown.json()["events"][0]["note"] == "kill -9 right after this"


def test_fifty_staff_writing_at_once_lose_nothing(site):
    """50 clients, 10 events each, on 25 shared introductions: each event is stored exactly
    once; a client whose view is stale gets 409 and tries again."""
    server, ws = site
    from kumenet.workspace.auth import add_user

    names = [f"uzman{i:02d}" for i in range(50)]
    existing = {r[0] for r in ws.engine.connect().execute(sa.text("SELECT username FROM users"))}
    for name in names:
        if name not in existing:
            add_user(ws, name, "staff", PASSWORD, centre="samsun")
    owner = client(server, "ayse")
    intros = [owner.write("/api/introductions", {"source": "F000001",
                                                 "target": f"F0001{i:02d}"}).json()["id"]
              for i in range(25)]
    for iid in intros:
        assert owner.write(f"/api/introductions/{iid}/events",
                           {"stage": "contacted", "side": "a"}).status_code == 201
    conflicts = []
    lock = threading.Lock()

    def staff(k: int):
        c = client(server, names[k])
        stored = 0
        while stored < 10:
            iid = intros[(k + stored) % len(intros)]
            seq = c.get(server.url + f"/api/introductions/{iid}").json()["seq"]
            answer = c.write(f"/api/introductions/{iid}/events",
                             {"stage": "contacted", "side": "b", "expected_seq": seq,
                              "note": f"client {k} event {stored}"})
            if answer.status_code == 201:
                stored += 1
            elif answer.status_code == 409:
                with lock:
                    conflicts.append(answer.json()["error"])
            else:
                raise AssertionError(answer.text)
        return stored

    with ThreadPoolExecutor(50) as pool:
        assert sum(pool.map(staff, range(50))) == 500
    with ws.read() as conn:
        notes = [r[0] for r in conn.execute(sa.text(
            "SELECT note FROM events WHERE note LIKE 'client %'"))]
        seqs = conn.execute(sa.text(
            "SELECT introduction_id, count(*), max(seq) FROM events GROUP BY introduction_id"
        )).all()
    assert len(notes) == 500 and len(set(notes)) == 500  # each exactly once
    for iid, count, top in seqs:  # no gap, no duplicate sequence number
        assert count == top
    assert conflicts and all(re.search("changed since you read it", c) for c in conflicts)


def test_beyond_this_machine_every_page_needs_a_login(site, cache):
    server, ws = site
    public = Server(server.workspace, cache, host="0.0.0.0")
    try:
        home = requests.get(public.url + "/", allow_redirects=False)
        assert home.status_code == 303 and home.headers["location"].startswith("/login")
        assert requests.get(public.url + "/api/home").status_code == 401
        assert requests.get(public.url + "/login").status_code == 200
        c = client(public, "deniz")
        assert c.get(public.url + "/api/home").status_code == 200
    finally:
        public.stop()


def test_the_sql_page_reads_the_workspace_without_notes_or_persons(site):
    server, _ = site
    ayse, deniz, nobody = client(server, "ayse"), client(server, "deniz"), client(server)
    ayse.write("/api/introductions", {"source": "F000006", "target": "F000007",
                                      "note": "gizli bir not", "private": True})
    ayse.write("/api/introductions", {"source": "F000006", "target": "F000008",
                                      "note": "bir not"})
    query = "SELECT count(*) AS n FROM ws_introductions WHERE target = 'F000007'"
    assert deniz.get(server.url + "/api/sql", params={"q": query}).json()["rows"] == [{"n": 0}]
    count = deniz.get(server.url + "/api/sql", params={
        "q": "SELECT count(*) AS n FROM ws_introductions"}).json()["rows"][0]["n"]
    assert count >= 1  # a researcher reads the introductions that are not private
    columns = {c["name"] for t in deniz.get(server.url + "/api/sql").json()["schema"]
               if t["table"].startswith("ws_") for c in t["columns"]}
    assert columns and not columns & {"note", "text", "name", "phone", "email", "user_id",
                                      "created_by"}
    refused = nobody.get(server.url + "/api/sql", params={
        "q": "SELECT count(*) FROM ws_introductions"})
    assert refused.status_code == 400 and "ws_introductions" in refused.json()["error"]


def test_every_page_shows_who_is_logged_in(site):
    server, _ = site
    ayse = client(server, "ayse")
    for path in ("/", "/search?q=yildiz", "/sql", "/workspace"):
        page = ayse.get(server.url + path).text
        assert "kumenet_session" not in page and ">Çıkış<" in page, path
    assert ">Giriş<" in client(server).get(server.url + "/").text
