"""Screenshots of the pilot map, the geographic view and the report for the README.

    python tools/screenshots.py      # writes docs/screenshots/{map,geo,report}.png

Uses headless Chromium (networking disabled) as the browser tests do.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kumenet.graph.io import read_network  # noqa: E402
from kumenet.viz.map import write_map  # noqa: E402
from kumenet.viz.report import write_report  # noqa: E402
from tests.viz.conftest import browser, open_page  # noqa: E402


def main():
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    net = read_network(ROOT / "sample_networks" / "pilot")
    folder = Path(tempfile.mkdtemp())
    pages = {"map": write_map(net, folder / "map.html", lang="en"),
             "geo": write_map(net, folder / "geo.html", layout="geo", color="province", lang="en"),
             "report": write_report(net, folder / "report.html", where="sample_networks/pilot",
                                    lang="en")}
    gen = browser.__wrapped__()
    driver = next(gen)
    for name, page in pages.items():
        driver.set_window_size(1400, 2200 if name == "report" else 850)
        open_page(driver, page)
        if name == "map":
            box = driver.find_element("css selector", ".km-search")
            box.send_keys("yildiz medikal san\n")
        driver.save_screenshot(str(out / f"{name}.png"))
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
