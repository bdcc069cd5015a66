"""Map benchmark: time to write and time to first render in Chromium, at 500, 5,000, 50,000 nodes.

    python bench/bench_map.py [--firms 450 4500 45000]

Each generated network (about 1.1 nodes per firm) is written with ``kumenet map`` defaults
(``--max-nodes 5000``: larger networks open as the aggregated view of their communities) in a
fresh process, timed after loading; then headless Chromium (networking disabled) opens the
file and the time from navigation to vis-network's first drawing is read from the page
(``window.kumenetFirstDraw``, ``performance.now()`` at the first ``afterDrawing``), the
median of three loads. Writes bench/results/map.json and map.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from common import WORK, ensure_generated, measure, save  # noqa: E402


def first_render(driver, path: Path) -> float:
    from selenium.webdriver.support.ui import WebDriverWait

    times = []
    for _ in range(3):
        driver.get("about:blank")
        start = time.perf_counter()
        driver.get(path.resolve().as_uri())
        WebDriverWait(driver, 120).until(
            lambda d: d.execute_script("return window.kumenetFirstDraw || null"))
        times.append(driver.execute_script("return window.kumenetFirstDraw") / 1000)
        _ = time.perf_counter() - start
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="+", default=[450, 4500, 45000])
    args = parser.parse_args()
    from tests.viz.conftest import browser as browser_fixture

    driver_gen = browser_fixture.__wrapped__()
    driver = next(driver_gen)
    rows = []
    for firms in args.firms:
        path = ensure_generated(firms)
        out = WORK / f"map{firms}.html"
        setup = ("from kumenet.graph.io import read_network\n"
                 f"net = read_network({str(path)!r})\n")
        written = measure(f"from kumenet.viz.map import write_map\n"
                          f"write_map(net, {str(out)!r}, lang='en')", setup)
        n = sum(1 for _ in open(path / "nodes.csv", encoding="utf-8")) - 1
        html = out.read_text(encoding="utf-8")
        view = "aggregated" if 'class="km-note"' in html else "every node"
        render = first_render(driver, out)
        rows.append({"nodes": n, "view": view, "write_s": round(written["seconds"], 2),
                     "write_peak_gib": round(written["peak_gib"], 2),
                     "file_mb": round(out.stat().st_size / 2**20, 1),
                     "first_render_s": round(render, 2)})
        print(rows[-1], flush=True)
    save("map", rows, "first_render_s: navigation start to vis-network's first drawing in "
                      "headless Chromium (median of 3); write_s excludes reading the network.")
    try:
        next(driver_gen)
    except StopIteration:
        pass


if __name__ == "__main__":
    main()
