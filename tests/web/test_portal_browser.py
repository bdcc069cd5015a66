"""The portal in headless Chromium, as a person uses it: search, open a profile, see the
suggestions and the painted ego map, switch language, open a cluster and a region, the SQL
page refusing COPY; hostile names run nothing; no request leaves the machine."""

from __future__ import annotations

import socket
import threading
import time

import pytest

pytest.importorskip("fastapi")
import uvicorn  # noqa: E402

from kumenet.app.snapshot import build_snapshot  # noqa: E402
from kumenet.web.app import create_app  # noqa: E402
from tests.viz.conftest import requests_made, screenshot  # noqa: E402
from tests.viz.test_browser import PAYLOADS, hostile_network  # noqa: E402

pytestmark = pytest.mark.browser


class Served:
    """A portal served from a thread of the test process, stopped and joined at the end."""

    def __init__(self, app):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="module")
def site(pilot_snapshot):
    served = Served(create_app(pilot_snapshot))
    yield served.url
    served.stop()


def wait(driver, script: str, timeout: float = 30.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


def test_find_a_firm_and_its_partners(local_browser, site):
    d = local_browser
    d.set_window_size(1400, 1000)
    requests_made(d)
    d.get(site + "/")
    assert d.find_element("css selector", "h1").text.startswith("pilot: 757 aktör")
    assert d.find_elements("css selector", ".kp-choropleth svg")
    screenshot(d, "portal_home.png")
    box = d.find_element("css selector", ".kp-search input[type=search]")
    box.send_keys("YILDIZ MEDIKL\n")  # capitals, no Turkish letters, a letter missing
    wait(d, "return document.querySelector('a.kp-actor') !== null")
    first = d.find_element("css selector", "a.kp-actor")
    assert first.text == "Yıldız Medikal San. Tic. Ltd. Şti."
    first.click()
    wait(d, "return document.querySelector('.km-map').dataset.drawn === '1'")
    assert d.find_element("css selector", "h1").text == "Yıldız Medikal San. Tic. Ltd. Şti."
    rows = d.find_elements("css selector", ".kp-suggestions tbody tr")
    assert len(rows) >= 3 and "ortak iş ortağı" in rows[0].text
    painted = d.execute_script("""
        const c = document.querySelector('.km-canvas canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < px.length; i += 4) { if (px[i] < 240) n++; } return n;""")
    assert painted > 5_000
    dashed = d.execute_script("return document.querySelector('.km-map').kumenet.edges"
                              ".get({filter: e => e.layer === 'suggested'}).length")
    assert dashed >= 3
    screenshot(d, "portal_profile.png")
    d.find_element("css selector", "a.kp-lang").click()  # English
    wait(d, "return document.documentElement.lang === 'en'")
    assert "Suggested partners" in d.find_element("css selector", "main").text
    d.find_element("partial link text", "Samsun tıbbi cihazlar").click()  # its cluster
    wait(d, "return document.querySelector('h1').textContent === 'Samsun tıbbi cihazlar'")
    assert "Members" in d.find_element("css selector", "main").text
    d.get(site + "/region/TR83?lang=tr")
    assert d.find_element("css selector", "h1").text.startswith("TR83")
    assert "Büyüyebileceği sektörler" in d.find_element("css selector", "main").text
    d.get(site + "/sql?q=COPY%20nodes%20TO%20'/tmp/x.csv'")
    assert "only reading is allowed" in d.find_element("css selector", ".kp-error").text
    elsewhere = [u for u in requests_made(d) if not u.startswith(site)]
    assert elsewhere == []
    errors = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_hostile_names_run_no_script(local_browser, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = hostile_network()
        path = build_snapshot(net, tmp_path / "h.duckdb", name=PAYLOADS[1])
    served = Served(create_app(path, net))
    url = served.url
    try:
        d = local_browser
        ids = list(net.nodes["id"])
        from urllib.parse import quote

        for page in ["/", "/search?q=" + quote(PAYLOADS[0]), "/search?q=a",
                     *[f"/actor/{quote(i, safe='')}" for i in ids]]:
            d.get(url + page)
            if page.startswith("/actor/"):
                wait(d, "const m = document.querySelector('.km-map');"
                        "return !m || m.dataset.drawn === '1' || m.dataset.drawn === 'error'")
            assert d.execute_script("return window.__xss") is None, page
    finally:
        served.stop()
