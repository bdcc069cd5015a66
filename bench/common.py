"""Helpers shared by the benchmarks: fresh processes, wall time and peak memory."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
RESULTS = BENCH / "results"

_RUNNER = """
import json, resource, sys, time
setup, code = sys.argv[1], sys.argv[2]
exec(setup)
start = time.perf_counter()
exec(code)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
print(json.dumps({"seconds": seconds, "peak_gib": peak}))
"""


def measure(code: str, setup: str = "", timeout: int = 3600, sample: bool = True) -> dict:
    """Run ``code`` in a fresh Python process; its wall time (after ``setup``) and peak memory.

    ``peak_gib`` is the process's peak RSS (setup included, which is what a user's machine
    must hold). When the code forks worker processes, ``peak_tree_gib`` is the peak of the
    whole process tree's proportional set size (shared pages counted once), sampled every
    0.5 s from /proc; it is the figure to compare then. Reading /proc/PID/smaps_rollup walks
    a process's page tables: for the 1M matching run (three processes, 4.5 GiB) one sample
    took 0.10-0.16 s of kernel time, so sampling takes CPU from the run it measures (about
    half a core every 0.2 s, a fifth every 0.5 s). With ``sample=False`` nothing is sampled
    (``peak_tree_gib`` is then 0): time a run that way and take memory from another.
    """
    proc = subprocess.Popen([sys.executable, "-c", _RUNNER, setup, code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out, err, peak = communicate_sampled(proc, timeout, sample)
    if proc.returncode:
        # -9: killed, on this machine by the kernel when memory ran out.
        raise RuntimeError(f"exit {proc.returncode}: {err[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_tree_gib"] = peak
    return result


def communicate_sampled(proc: subprocess.Popen, timeout: int, sample: bool = True
                        ) -> tuple[str, str, float]:
    """``proc.communicate(timeout)`` while the process tree's proportional set size is sampled
    every 0.5 s (see :func:`measure`): (stdout, stderr, peak GiB). On a timeout the process is
    killed and the exception raised."""
    import threading

    peak = [0.0]
    done = threading.Event()

    def sample_tree():
        while not done.wait(0.5):
            peak[0] = max(peak[0], _tree_pss(proc.pid))

    watcher = threading.Thread(target=sample_tree, daemon=True)
    if sample:
        watcher.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    finally:
        done.set()
        if sample:
            watcher.join()
    return out, err, max(peak[0], 0.0)


def _tree_pss(pid: int) -> float:
    """Proportional set size of a process and its descendants, in GiB (0 when gone)."""
    try:
        import psutil

        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except Exception:  # the process ended
        return 0.0
    total = 0
    for p in procs:
        try:
            with open(f"/proc/{p.pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total / 2**30


def ensure_generated(firms: int, seed: int = 1, fmt: str = "csv") -> Path:
    """A generated network under bench/work, made once."""
    path = WORK / f"net{firms}_{fmt.replace('.', '')}"
    if not (path / "edges.csv").exists() and not (path / "edges.parquet").exists():
        args = [sys.executable, "-m", "kumenet", "generate", "--firms", str(firms), "--seed",
                str(seed), "-o", str(path)]
        if fmt != "csv":
            args += ["--to", fmt]
        subprocess.run(args, check=True)
    return path


def ensure_parquet(firms: int, seed: int = 1) -> Path:
    """The same generated network as Parquet (read from the CSV once, then written)."""
    csv_dir = ensure_generated(firms, seed)
    path = WORK / f"net{firms}_parquet"
    if not (path / "edges.parquet").exists():
        measure(f"from kumenet.graph.io import read_network, write_network\n"
                f"write_network(read_network({str(csv_dir)!r}), {str(path)!r}, 'parquet')")
    return path


def machine() -> dict:
    import os

    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "platform": platform.platform(), "date": time.strftime("%Y-%m-%d")}


def save(name: str, rows: list[dict], notes: str = "") -> None:
    """Write results as JSON and as a Markdown table under bench/results."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"machine": machine(), "rows": rows},
                                                     indent=1), encoding="utf-8")
    cols = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(_fmt(r.get(c, "")) for c in cols) + " |")
    text = f"# {name}\n\n{machine()}\n\n" + "\n".join(lines) + "\n"
    if notes:
        text += "\n" + notes + "\n"
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if value < 100 else f"{value:.0f}"
    return str(value)
