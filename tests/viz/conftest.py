"""Headless Chromium (Debian's chromium and chromedriver) with networking disabled."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def chromium_paths():
    return shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")


def make_driver(network: tuple[str, ...]):
    """Headless Debian Chromium with ``network`` flags, logging every request it makes."""
    binary, driver_path = chromium_paths()
    if not (binary and driver_path):
        if os.environ.get("KUMENET_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromedriver are needed (make test installs them)")
        pytest.skip("chromium/chromedriver not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--hide-scrollbars", *network):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="session")
def browser():
    # no network: every name resolves to nothing, every request to a dead proxy
    driver = make_driver(("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
                          "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"))
    yield driver
    driver.quit()


def requests_made(driver) -> list[str]:
    """The URLs the page asked for since the last call."""
    out = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            out.append(message["params"]["request"]["url"])
    return out


def open_page(driver, path: Path, timeout: float = 30.0):
    """Load a file, wait for the first map drawing (if any); return the requests it made."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("performance")  # drop earlier entries
    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "const m = document.querySelectorAll('.km-map');"
        "return m.length === 0 || Array.from(m).every(x => x.dataset.drawn === '1');"))
    return requests_made(driver)


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path
