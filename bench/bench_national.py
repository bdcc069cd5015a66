"""A national-size run on one machine (issue 15): generate, load, info, communities and
``match --all --method adamic_adar`` on networks of 1,000,000 and 3,500,000 firms.

    python bench/bench_national.py [--firms 1000000 3500000] [--engine local]

Each step is the command a user runs (``python -m kumenet ...``), in a fresh process, timed
from start to exit with its peak memory (the process tree's, sampled every 0.5 s, shared
pages counted once: the matching blocks run on forked workers). The network is generated
straight to Parquet once under bench/work. Writes bench/results/national.json and
national.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, communicate_sampled, save  # noqa: E402

STEPS = {
    "load and validate": ["validate", "{data}"],
    "info": ["info", "{data}", "-o", "{out}/info.json"],
    "communities (Leiden)": ["communities", "{data}", "-o", "{out}/communities.parquet"],
    "match --all, Adamic-Adar": ["match", "{data}", "--all", "--top", "10", "--method",
                                 "adamic_adar", "-o", "{out}/suggestions.parquet"],
}


def run(args: list[str], timeout: int) -> dict:
    """Wall time and peak memory of one command (the process tree's PSS, sampled)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kumenet", "-q", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, err, peak = communicate_sampled(proc, timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": float(timeout), "peak_gib": float("nan"), "status": "timeout"}
    seconds = time.perf_counter() - start
    status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {err.strip()[-160:]}"
    return {"seconds": seconds, "peak_gib": peak, "status": status}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="+", default=[1_000_000, 3_500_000])
    parser.add_argument("--timeout", type=int, default=3600)
    args = parser.parse_args()
    rows = []
    for firms in args.firms:
        data = WORK / f"net{firms}_parquet"  # the other benches' network of that size
        if not (data / "edges.parquet").exists():
            data = WORK / f"net{firms}_gen_parquet"
        out = WORK / f"national{firms}"
        out.mkdir(parents=True, exist_ok=True)
        if not (data / "edges.parquet").exists():
            result = run(["generate", "--firms", str(firms), "--seed", "1", "--to", "parquet",
                          "-o", str(data)], args.timeout)
            rows.append({"firms": firms, "step": "generate (Parquet)", **result})
            print(rows[-1], flush=True)
        for step, template in STEPS.items():
            command = [part.format(data=data, out=out) for part in template]
            rows.append({"firms": firms, "step": step, **run(command, args.timeout)})
            print(rows[-1], flush=True)
        save("national", rows, "Each step is the kumenet command in a fresh process (reading "
                               "the Parquet network included); peak is the process tree's "
                               "proportional set size, sampled every 0.5 s.")


if __name__ == "__main__":
    main()
