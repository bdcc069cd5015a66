"""Screenshots of the Turkish outputs for the README.

    python tools/screenshots.py      # writes docs/screenshots/*.png

The pilot map after a search, its geographic view, the Turkish report (top and the partner
suggestions), the English report, and the aggregated map of 100,000 generated firms. Uses
headless Chromium (networking disabled) as the browser tests do.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kumenet.graph.generate import generate  # noqa: E402
from kumenet.graph.io import read_network  # noqa: E402
from kumenet.graph.network import Network  # noqa: E402
from kumenet.viz.map import write_map  # noqa: E402
from kumenet.app.report import write_report  # noqa: E402
from tests.viz.conftest import browser, open_page  # noqa: E402


def main():
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    net = read_network(ROOT / "sample_networks" / "pilot")
    big = Network.from_frames(*generate(100_000, seed=1))
    folder = Path(tempfile.mkdtemp())
    pages = {  # name: (page, window height, what to do before the shot)
        "map": (write_map(net, folder / "map.html"), 850, "search"),
        "geo": (write_map(net, folder / "geo.html", layout="geo", color="province"), 850, None),
        "report": (write_report(net, folder / "report.html", where="pilot"), 2200, None),
        "report_suggestions": (folder / "report.html", 1100, "suggestions"),
        "report_en": (write_report(net, folder / "report_en.html", where="pilot", lang="en"),
                      1400, None),
        "aggregated_100k": (write_map(big, folder / "agg.html"), 900, None),
    }
    gen = browser.__wrapped__()
    driver = next(gen)
    for name, (page, height, action) in pages.items():
        driver.set_window_size(1400, height)
        open_page(driver, page, timeout=60)
        if action == "search":
            driver.find_element("css selector", ".km-search").send_keys("yildiz medikal san\n")
        elif action == "suggestions":
            driver.execute_script("document.querySelectorAll('h2')[5].scrollIntoView()")
        driver.save_screenshot(str(out / f"{name}.png"))
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
