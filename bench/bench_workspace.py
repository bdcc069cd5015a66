"""The workspace under load: writes by 50 staff at once, and list pages over a big workspace.

    python bench/bench_workspace.py                     # SQLite
    python bench/bench_workspace.py --postgres URL      # and a PostgreSQL database (empty)

1. Writes: a ``kumenet serve`` process (one server process, the pilot sample) over a new
   workspace; 50 staff accounts, each a client thread that records events on its own
   introduction (contacted, side a/b in turn) as fast as answers come, for ``--seconds``.
   Latency of the write (request sent -> 201 received: the commit included), p50/p95/max.
2. Lists: the workspace filled with 100,000 introductions and 1,000,000 events (written in
   bulk, as a decade of a national programme would hold them), then 20 clients asking for
   list pages (open, expired, follow-up, all, with and without a stage filter), the funnel and
   introduction pages for ``--seconds``. Latency per page, p50/p95.

Results in bench/results/workspace.{json,md}. The targets (issue 25): a write p95 < 100 ms
with 50 concurrent staff on SQLite; list pages p95 < 150 ms with 100,000 introductions and
1,000,000 events.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import save  # noqa: E402

PASSWORD = "correct horse battery"


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def writes(where: str, cache: Path, seconds: float, clients: int = 50,
           pause: bool = True) -> dict:
    from kumenet.workspace.auth import add_user
    from kumenet.workspace.lists import init_workspace
    from tests.workspace.served import Client, Server

    ws, _, _ = init_workspace(where)
    existing = {r[0] for r in ws.engine.connect().exec_driver_sql("SELECT username FROM users")}
    for k in range(clients):
        if f"uzman{k:02d}" not in existing:
            add_user(ws, f"uzman{k:02d}", "staff", PASSWORD, centre="samsun")
    server = Server(where, cache)
    times: list[float] = []
    errors = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def staff(k):
        c = Client(server.url)
        c.login(f"uzman{k:02d}", PASSWORD)
        iid = c.write("/api/introductions", {"source": "F000001",
                                             "target": f"F000{100 + k:03d}"}).json()["id"]
        side = "a"
        while time.monotonic() < stop:
            start = time.perf_counter()
            answer = c.write(f"/api/introductions/{iid}/events",
                             {"stage": "contacted", "side": side, "note": "bench"})
            took = time.perf_counter() - start
            with lock:
                (times if answer.status_code == 201 else errors).append(took)
            side = "b" if side == "a" else "a"
            if pause:  # a person between two steps: 0.5-1.5 s
                time.sleep(random.uniform(0.5, 1.5))

    threads = [threading.Thread(target=staff, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.stop()
    ws.close()
    return {"bench": f"writes, 50 staff, {'a person' if pause else 'no'}'s pause",
            "requests": len(times), "errors": len(errors),
            "per_second": round(len(times) / seconds, 1), "p50_ms": p(times, 0.5),
            "p95_ms": p(times, 0.95), "max_ms": p(times, 1.0)}


def fill(where: str, n_intro: int = 100_000, n_events: int = 1_000_000) -> dict:
    """Introductions and events written in bulk (100,000 and 1,000,000)."""
    import sqlalchemy as sa

    from kumenet.workspace import stages
    from kumenet.workspace.auth import add_user, login, session_user
    from kumenet.workspace.lists import init_workspace
    from kumenet.workspace.schema import events, introductions

    ws, _, _ = init_workspace(where)
    add_user(ws, "ayse", "staff", PASSWORD, centre="samsun")
    user = session_user(ws, login(ws, "ayse", PASSWORD).token)[0]
    with ws.read() as conn:
        centres = [r[0] for r in conn.execute(sa.text("SELECT id FROM centres"))]
    rng = random.Random(0)
    start = time.perf_counter()
    base = datetime(2015, 1, 1)
    per = n_events // n_intro
    path = ["contacted", "contacted", "accepted", "meeting_planned", "met", "follow_up",
            "agreement", "project_started", "completed"]
    intro_rows, event_rows = [], []
    for i in range(n_intro):
        iid = str(uuid.uuid4())
        at = base + timedelta(days=rng.randrange(3650))
        steps = path[:per - 1]
        last = steps[-1] if steps else stages.FIRST
        intro_rows.append({"id": iid, "centre_id": centres[i % len(centres)],
                           "created_by": user.id, "created_at": at,
                           "source": f"F{rng.randrange(1, 700):06d}",
                           "target": f"F{rng.randrange(1, 700):06d}", "origin": "suggestion",
                           "scope": rng.choice(["intra_regional", "interregional",
                                                "international"]),
                           "strength": rng.randrange(1, 6), "rank": 1, "score": 0.5,
                           "scorer": "bench", "private": False, "stage": last,
                           "stage_at": at + timedelta(days=per), "seq": per,
                           "meeting_at": None, "met_at": at + timedelta(days=5)})
        for seq, stage in enumerate([stages.FIRST, *steps], 1):
            event_rows.append({"id": str(uuid.uuid4()), "introduction_id": iid, "seq": seq,
                               "at": at + timedelta(days=seq), "user_id": user.id,
                               "from_stage": None, "to_stage": stage, "side": "a",
                               "reason": None, "note": None,
                               "details": {"rating": "negotiation"} if stage == "follow_up"
                               else ({"kind": "supply"} if stage == "agreement" else None),
                               "correction": False})
        if len(event_rows) >= 100_000:
            with ws.write() as conn:
                conn.execute(introductions.insert(), intro_rows)
                conn.execute(events.insert(), event_rows)
            intro_rows, event_rows = [], []
    if intro_rows:
        with ws.write() as conn:
            conn.execute(introductions.insert(), intro_rows)
            conn.execute(events.insert(), event_rows)
    with ws.engine.connect() as conn:
        if ws.sqlite:
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
        conn.commit()
    ws.close()
    return {"bench": "fill", "introductions": n_intro, "events": n_intro * per,
            "seconds": round(time.perf_counter() - start, 1)}


def lists(where: str, cache: Path, seconds: float, clients: int = 20,
          pause: bool = True) -> list[dict]:
    from tests.workspace.served import Client, Server

    server = Server(where, cache)
    c0 = Client(server.url)
    c0.login("ayse", PASSWORD)
    some = c0.get(server.url + "/api/workspace?list=all").json()["rows"][0]["id"]
    pages = {
        "open (HTML)": "/workspace?list=open", "open (JSON)": "/api/workspace?list=open",
        "expired": "/workspace?list=expired", "follow-ups due": "/workspace?list=follow_up",
        "all, stage filter": "/workspace?list=all&stage=met",
        "all, page 50": "/workspace?list=all&page=50",
        "province filter": "/workspace?list=all&province=Samsun",
        "introduction": f"/introduction/{some}", "funnel": "/workspace/funnel",
        "funnel, one centre": "/workspace/funnel?centre=samsun"}
    times = {k: [] for k in pages}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def person(k):
        c = Client(server.url)
        c.login("ayse", PASSWORD)
        names = list(pages)
        i = k
        while time.monotonic() < stop:
            name = names[i % len(names)]
            i += 1
            start = time.perf_counter()
            answer = c.get(server.url + pages[name])
            took = time.perf_counter() - start
            assert answer.status_code == 200, (name, answer.status_code)
            with lock:
                times[name].append(took)
            if pause:  # a person reading the page: 0.5-1.5 s
                time.sleep(random.uniform(0.5, 1.5))

    threads = [threading.Thread(target=person, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.stop()
    return [{"bench": f"list page: {k}" + ("" if pause else ", no pause"),
             "requests": len(v), "p50_ms": p(v, 0.5),
             "p95_ms": p(v, 0.95), "max_ms": p(v, 1.0)} for k, v in times.items()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--postgres", default=None, help="an empty PostgreSQL database URL")
    parser.add_argument("--skip-lists", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kumenet-bench-ws-"))
    cache = work / "cache"
    cache.mkdir()
    rows = []
    backends = [("sqlite", str(work / "writes.db"), str(work / "lists.db"))]
    if args.postgres:
        backends.append(("postgresql", args.postgres, None))
    for name, write_db, list_db in backends:
        for pause in (True, False):
            row = writes(write_db, cache, args.seconds, pause=pause)
            rows.append({"workspace": name, **row})
            print(rows[-1], flush=True)
        if list_db and not args.skip_lists:
            rows.append({"workspace": name, **fill(list_db)})
            print(rows[-1], flush=True)
            for pause in (True, False):
                for row in lists(list_db, cache, args.seconds, pause=pause):
                    rows.append({"workspace": name, **row})
                    print(rows[-1], flush=True)
    save("workspace", rows, notes=(
        "Writes: 50 staff accounts, each a client thread recording events on its own "
        "introduction, with a person's pause of 0.5-1.5 s between steps, then as fast as "
        "answers come (saturation: there latency is the queue); latency = request to 201, "
        "the commit included; one server process (kumenet serve --workers 1). Lists: 20 client "
        "threads over 100,000 introductions and 1,000,000 events, with a person's pause of "
        "0.5-1.5 s between pages, then without (saturation). `python "
        "bench/bench_workspace.py`."))


if __name__ == "__main__":
    main()
