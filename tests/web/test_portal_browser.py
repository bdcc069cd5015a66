"""The portal in headless Chromium (Debian's, driven by Playwright), as a person uses it:
search, open a profile, see the suggestions and the painted ego map, switch language, open a
cluster and a region, the SQL page refusing COPY; hostile names run nothing; no request leaves
the machine."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
import uvicorn  # noqa: E402

from kumenet.app.snapshot import build_snapshot  # noqa: E402
from kumenet.web.app import create_app  # noqa: E402
from tests.viz.conftest import ARTIFACTS  # noqa: E402
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
def chromium():
    """Debian's Chromium under Playwright; no name resolves but this machine's."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not binary:
        if os.environ.get("KUMENET_REQUIRE_BROWSER"):
            pytest.fail("chromium is needed (make test installs it)")
        pytest.skip("chromium not installed (make test installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, args=[
            "--no-sandbox", "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.requests, tab.errors = [], []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def wait_until(page, script: str, timeout: float = 30.0):
    """Poll ``script`` (a JS function) until it is true (Playwright's wait_for_function
    evaluates strings, which the portal's Content-Security-Policy rightly forbids)."""
    stop = time.monotonic() + timeout
    while not page.evaluate(script):
        if time.monotonic() > stop:
            raise AssertionError(f"timed out waiting for {script}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site(pilot_snapshot):
    served = Served(create_app(pilot_snapshot))
    yield served.url
    served.stop()


def test_find_a_firm_and_its_partners(page, site):
    page.goto(site + "/")
    assert page.inner_text("h1").startswith("pilot: 757 aktör")
    assert page.locator(".kp-choropleth svg").count() == 1
    # The ties per year: every bar starts at the same place, lengths in proportion (a full
    # bar squeezed its label, so the longest bars started further left).
    bars = page.evaluate("""() => [...document.querySelectorAll('.kp-bar-fill')].map(b => {
        const r = b.getBoundingClientRect(); return [r.left, r.width, +b.dataset.width]; })""")
    assert len(bars) >= 5 and len({round(left) for left, _, _ in bars}) == 1
    full = max(width for _, width, _ in bars)
    assert all(abs(width - full * share / 100) < 1.5 for _, width, share in bars)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal_home.png"))
    box = page.locator(".kp-search input[type=search]")
    box.fill("YILDIZ MEDIKL")  # capitals, no Turkish letters, a letter missing
    box.press("Enter")
    first = page.locator("a.kp-actor").first
    assert first.inner_text() == "Yıldız Medikal San. Tic. Ltd. Şti."
    first.click()
    wait_until(page, "() => document.querySelector('.km-map').dataset.drawn === '1'")
    assert page.inner_text("h1") == "Yıldız Medikal San. Tic. Ltd. Şti."
    rows = page.locator(".kp-suggestions tbody tr")
    assert rows.count() >= 3 and "ortak iş ortağı" in rows.first.inner_text()
    painted = page.evaluate("""() => {
        const c = document.querySelector('.km-canvas canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < px.length; i += 4) { if (px[i] < 240) n++; } return n; }""")
    assert painted > 5_000
    dashed = page.evaluate("() => document.querySelector('.km-map').kumenet.edges"
                           ".get({filter: e => e.layer === 'suggested'}).length")
    assert dashed >= 3
    page.screenshot(path=str(ARTIFACTS / "portal_profile.png"))
    page.click("a.kp-lang")  # English
    wait_until(page, "() => document.documentElement.lang === 'en'")
    assert "Suggested partners" in page.inner_text("main")
    page.click("text=Samsun tıbbi cihazlar")  # its cluster
    wait_until(page, "() => document.querySelector('h1').textContent === 'Samsun tıbbi cihazlar'")
    assert "Members" in page.inner_text("main")
    wait_until(page, "() => document.querySelector('.km-map').dataset.drawn === '1'")
    assert page.evaluate("() => document.querySelector('.km-map').kumenet.nodes.length") > 20
    page.goto(site + "/region/TR83?lang=tr")
    assert page.inner_text("h1").startswith("TR83")
    assert "Büyüyebileceği sektörler" in page.inner_text("main")
    page.goto(site + "/sql?q=" + quote("COPY nodes TO '/tmp/x.csv'"))
    assert "yalnız okuma yapılabilir" in page.inner_text(".kp-error")  # the page's language
    page.goto(site + "/sql?lang=en&q=" + quote("COPY nodes TO '/tmp/x.csv'"))
    assert page.inner_text(".kp-error").startswith("only reading is allowed")
    assert [u for u in page.requests if not u.startswith(site)] == []
    assert page.errors == []


def test_hostile_names_run_no_script(page, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = hostile_network()
        path = build_snapshot(net, tmp_path / "h.duckdb", name=PAYLOADS[1])
    served = Served(create_app(path))
    try:
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for where in ["/", "/search?q=" + quote(PAYLOADS[0]), "/search?q=a",
                      *[f"/actor/{quote(i, safe='')}" for i in net.nodes["id"]]]:
            page.goto(served.url + where)
            if where.startswith("/actor/"):
                wait_until(page, "() => { const m = document.querySelector('.km-map');"
                                 "return !m || ['1', 'error'].includes(m.dataset.drawn); }")
            assert page.evaluate("() => window.__xss") is None, where
        assert dialogs == []
        assert [u for u in page.requests if not u.startswith(served.url)] == []
    finally:
        served.stop()


NARROW_PAGES = ["/", "/search?q=yildiz", "/actor/F000001",
                "/cluster/Samsun%20tar%C4%B1m%20makineleri",
                "/cluster/Samsun%20tar%C4%B1m%20makineleri/brief", "/region/TR83",
                "/sql?q=SELECT%20*%20FROM%20nodes%20LIMIT%2020", "/clusters"]


def test_a_phone_never_scrolls_sideways_and_print_shows_only_content(chromium, site):
    """At 390 px every page fits its width (a wide table scrolls in its own box) in both
    languages; printed, a page has no buttons, forms or navigation and links read as text."""
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    too_wide = {}
    for url in NARROW_PAGES:
        for lang in ("tr", "en"):
            tab.goto(site + url + ("&" if "?" in url else "?") + "lang=" + lang)
            width = tab.evaluate("() => document.documentElement.scrollWidth")
            if width > 390:
                too_wide[f"{url} {lang}"] = width
    assert too_wide == {}
    tab.screenshot(path=str(ARTIFACTS / "portal_390.png"))
    context.close()
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.emulate_media(media="print")
    tab.goto(site + "/actor/F000001")
    shown = tab.evaluate("""() => [...document.querySelectorAll('button, form, nav, input')]
        .filter(e => getComputedStyle(e).display !== 'none' && e.offsetParent !== null).length""")
    assert shown == 0
    link = tab.evaluate("""() => { const a = document.querySelector('main a');
        return [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color,
                getComputedStyle(a.parentElement).color]; }""")
    assert link[0] == "none" and link[1] == link[2]
    assert "Yıldız Medikal" in tab.inner_text("main")
    context.close()


def test_the_ego_map_marks_its_actor_and_its_suggestions(site):
    """The profile's map: the actor a black ring, a larger dot and a starred bold name; its
    suggested partners joined by near-black long dashes no community colour or layer uses."""
    import json
    from urllib.request import urlopen

    from kumenet.viz.map import LAYER_STYLES, PALETTE, SUGGESTED

    data = json.load(urlopen(site + "/api/actor/F000001/map"))
    nodes = data["nodes"]
    focal = [i for i, w in enumerate(nodes["borderWidth"]) if w == 5]
    assert len(focal) == 1
    i = focal[0]
    assert nodes["label"][i].startswith("★ Yıldız Medikal") and nodes["font"][i]["size"] > 12
    assert nodes["color"][i]["border"] == "#000000"
    assert nodes["size"][i] == max(nodes["size"])
    suggested = [k for k, la in enumerate(data["edges"]["layer"]) if la == "suggested"]
    assert suggested and {data["edges"]["color"][k] for k in suggested} == {SUGGESTED[1]}
    assert SUGGESTED[1] not in PALETTE and SUGGESTED[1] not in {s[0] for s in LAYER_STYLES.values()}
    assert min(data["edges"]["width"][k] for k in suggested) > max(
        s[2] for s in LAYER_STYLES.values())
