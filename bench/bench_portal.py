"""The portal under load: 50 concurrent clients on loopback, search and profile pages.

Each client is a person clicking: a request, then a pause of 0.5-1.5 s (uniform), again and
again (about 50 requests a second offered in all). Latency at that load is what the p95
target reads; the same clients without pauses then measure the most the server answers
(saturation: there, latency is the queue, 50 / throughput).

    python bench/bench_portal.py                 # the pilot and 100,000 generated firms
    python bench/bench_portal.py --firms 0       # the pilot only

For each network: the snapshot build time (fresh process, network read first; cached
snapshots are not reused), then a server (``kumenet serve``, one process) and 50 client
threads, each requesting pages in turn for ``--seconds``: search pages for names typed
without Turkish letters and with a letter missing, and actor profiles (the HTML page; the
ego map's data is a separate request, timed too). Latencies per kind of page: median, p95,
max, and requests per second. Results in bench/results/portal.{json,md}.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ensure_parquet, save  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KUMENET = [sys.executable, "-m", "kumenet"]


def build(data: Path, cache: Path) -> tuple[float, Path]:
    env = {**os.environ, "KUMENET_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run([*KUMENET, "-q", "serve", str(data), "--build-only", "--rebuild"],
                          capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, Path(done.stdout.strip())


def load(data: Path, cache: Path, clients: int, seconds: float, pause: bool = True) -> dict:
    import duckdb

    env = {**os.environ, "KUMENET_CACHE_DIR": str(cache)}
    port = 8700 + random.Random(f"{data}{pause}").randint(0, 200)
    server = subprocess.Popen([*KUMENET, "-q", "serve", str(data), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/api/home", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        snapshot = next(Path(cache, "snapshots").glob("*.duckdb"))
        with duckdb.connect(str(snapshot), read_only=True) as con:
            actors = [r[0] for r in con.execute("SELECT id FROM nodes USING SAMPLE 500 ROWS "
                                                "(reservoir, 1)").fetchall()]
            names = [r[0] for r in con.execute("SELECT name_key FROM nodes USING SAMPLE 500 "
                                               "ROWS (reservoir, 2)").fetchall()]
        typed = [" ".join(n.split()[:2]).upper() if i % 2 else n[:-1] for i, n in enumerate(names)]
        times = {"search": [], "profile": [], "ego_map": []}
        errors = []
        stop = time.perf_counter() + seconds

        def client(seed: int):
            rng = random.Random(seed)
            while time.perf_counter() < stop:
                kind = rng.choice(("search", "profile", "ego_map"))
                if kind == "search":
                    url = base + "/search?q=" + urllib.parse.quote(rng.choice(typed))
                elif kind == "profile":
                    url = base + "/actor/" + urllib.parse.quote(rng.choice(actors), safe="")
                else:
                    url = base + "/api/actor/" + urllib.parse.quote(rng.choice(actors), safe="") + "/map"
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=30) as r:
                        r.read()
                        ok = r.status == 200
                except OSError as err:
                    ok = False
                    errors.append(str(err))
                if ok:
                    times[kind].append(time.perf_counter() - t0)
                if pause:
                    time.sleep(rng.uniform(0.5, 1.5))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still finishing a request: stop it
            server.kill()
            server.wait(timeout=30)
    out = {"clients": clients, "seconds": round(elapsed, 1), "errors": len(errors)}
    for kind, values in times.items():
        values.sort()
        out[f"{kind}_n"] = len(values)
        if values:
            out[f"{kind}_p50_ms"] = round(1000 * statistics.median(values), 1)
            out[f"{kind}_p95_ms"] = round(1000 * values[int(0.95 * (len(values) - 1))], 1)
            out[f"{kind}_max_ms"] = round(1000 * values[-1], 1)
    out["requests_per_s"] = round(sum(len(v) for v in times.values()) / elapsed, 1)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    networks = [("pilot", ROOT / "sample_networks" / "pilot")]
    if args.firms:
        data = ensure_parquet(args.firms)
        networks.append((f"generated {args.firms:,} firms", data))
    rows = []
    for label, data in networks:
        cache = Path(tempfile.mkdtemp(prefix="kumenet-bench-"))
        try:
            seconds, _ = build(data, cache)
            row = {"network": label, "snapshot_build_s": round(seconds, 1)}
            row.update(load(data, cache, args.clients, args.seconds))
            full = load(data, cache, args.clients, min(args.seconds, 15), pause=False)
            row["saturated_requests_per_s"] = full["requests_per_s"]
            row["saturated_profile_p95_ms"] = full.get("profile_p95_ms")
            print(row, flush=True)
            rows.append(row)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    save("portal", rows, "A server process of `kumenet serve` on loopback; "
                  f"{args.clients} client threads in one process for {args.seconds:g} s each "
                  "network, each pausing 0.5-1.5 s between requests (the clients share the "
                  "machine's 2 cores with the server). p95 targets: 150 ms for search and "
                  "profile pages. saturated_*: the same clients without pauses for 15 s "
                  "(latency there is the queue). The ego map is its own request (fetched by "
                  "the profile page), kept once computed.")


if __name__ == "__main__":
    main()
