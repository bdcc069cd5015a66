"""Every picture of the documentation, taken from the real outputs and pages.

    python tools/screenshots.py             # writes docs/screenshots/*.png
    python tools/screenshots.py portal      # only the portal's pages

The pilot map after a search, its geographic view, the Turkish report (top and the partner
suggestions), the English report, the aggregated map of 100,000 generated firms, a toolkit
brief; and the portal as a centre's staff member sees it, served over the demo's sample
workspace (logged in as ornek.samsun): the home page, a search typed carelessly, a profile
with its suggestions and its ego map, the same profile on a phone, a cluster's Kılavuz tab,
the shortlist, an introduction and an initiative's page. Uses headless Chromium (no network)
as the browser tests do. tests/test_docs.py checks that the documentation shows no picture
this script does not take.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kumenet.graph.generate import generate  # noqa: E402
from kumenet.graph.io import read_network  # noqa: E402
from kumenet.graph.network import Network  # noqa: E402
from kumenet.app.maps import write_map  # noqa: E402
from kumenet.app.report import write_report  # noqa: E402
from tests.viz.conftest import browser, open_page  # noqa: E402


#: The portal's pictures: name -> (path, viewport width, height, what to do first).
PORTAL = {
    "portal_home": ("/", 1366, 1000, None),
    "portal_search": ("/search?q=YILDIZ%20MEDIKL", 1366, 700, None),
    "portal_profile": ("/actor/F000001", 1366, 1100, None),
    "portal_profile_map": ("/actor/F000001", 1366, 900, ".km-map"),
    "portal_phone": ("/actor/F000001", 390, 1400, None),
    "brief_portal": ("/cluster/Samsun%20t%C4%B1bbi%20cihazlar/brief", 1366, 1000, None),
    "workspace_shortlist": ("/workspace", 1366, 900, None),
    "workspace_introduction": ("/introduction/{introduction}", 1366, 1100, None),
    "initiative_portal": ("/initiative/Samsun%20Medikal%20K%C3%BCmesi", 1366, 1100, None),
}
#: The outputs' pictures (written by :func:`outputs`).
OUTPUTS = ("map", "geo", "report", "report_suggestions", "report_en", "aggregated_100k",
           "brief", "initiative")


def portal(out: Path) -> None:
    """The portal's pages over the demo's sample workspace, logged in as a Samsun staff
    member."""
    import shutil
    import time

    from playwright.sync_api import sync_playwright

    import sqlite3

    from kumenet.app.snapshot import build_snapshot
    from kumenet.app.workspace import DEMO_PASSWORD
    from kumenet.web.app import create_app
    from tests.web.test_portal_browser import Served

    folder = demo_folder()
    net = read_network(ROOT / "sample_networks" / "pilot")
    with sqlite3.connect(folder / "workspace.db") as db:  # a Samsun agreement, its history
        introduction = db.execute(
            "SELECT i.id FROM introductions i JOIN centres c ON c.id = i.centre_id "
            "WHERE c.code = 'samsun' AND i.stage = 'agreement' ORDER BY i.seq DESC, i.id "
            "LIMIT 1").fetchone()[0]
    snapshot = build_snapshot(net, folder / "pilot.duckdb", name="pilot")
    served = Served(create_app(snapshot, workspace=str(folder / "workspace.db")))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        tab = context.new_page()
        tab.goto(served.url + "/login")
        tab.fill("input[name=username]", "ornek.samsun")
        tab.fill("input[name=password]", DEMO_PASSWORD)
        with tab.expect_navigation():
            tab.click("form.kp-login button")
        for name, (path, width, height, scroll) in PORTAL.items():
            tab.set_viewport_size({"width": width, "height": height})
            tab.goto(served.url + path.format(introduction=introduction))
            time.sleep(1.5)  # the ego map draws
            if scroll:
                tab.evaluate(f"document.querySelector('{scroll}').scrollIntoView()")
                time.sleep(0.5)
            tab.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
        browser.close()
    served.stop()


_DEMO: list[Path] = []


def demo_folder() -> Path:
    """The demo's outputs (its sample workspace, initiative page), written once."""
    import contextlib
    import io

    from kumenet.app.demo import run_demo

    if not _DEMO:
        folder = Path(tempfile.mkdtemp()) / "demo"
        with contextlib.redirect_stdout(io.StringIO()):
            run_demo(read_network(ROOT / "sample_networks" / "pilot"), "sample_networks/pilot",
                     folder)
        _DEMO.append(folder)
    return _DEMO[0]


def main():
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    portal(out)
    if sys.argv[1:] == ["portal"]:
        return
    outputs(out)


def outputs(out: Path) -> None:
    """The report, the maps and a brief, opened from their files."""
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
        "brief": (brief(folder / "brief.html"), 1000, None),
        "initiative": (demo_folder() / "initiative.html", 1100, None),
    }
    assert set(pages) == set(OUTPUTS)
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


def brief(path: Path) -> Path:
    """A toolkit brief of the Samsun medical devices cluster, as the command writes it."""
    from click.testing import CliRunner

    from kumenet.cli import cli

    CliRunner().invoke(cli, ["toolkit", str(ROOT / "sample_networks" / "pilot"), "--cluster",
                             "Samsun tıbbi cihazlar", "-o", str(path)], catch_exceptions=False)
    return path


if __name__ == "__main__":
    main()
