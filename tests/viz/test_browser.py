"""The pilot map and report in headless Chromium, offline: drawing, legend, search, layer
toggles, no request leaving the machine, and nothing run from the data."""

from __future__ import annotations

import pandas as pd
import pytest

from kumenet.graph.network import Network
from kumenet.app.maps import write_map
from kumenet.app.report import write_report
from tests.viz.conftest import open_page, screenshot

LOCAL = ("file:", "data:", "about:", "blob:")


def painted_pixels(driver) -> int:
    """Non-white pixels on the first map canvas."""
    return driver.execute_script("""
        const c = document.querySelector('.km-canvas canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) { if (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240) n++; }
        return n;""")


@pytest.fixture(scope="module")
def pilot_pages(pilot, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    return {"map": write_map(pilot, folder / "map.html", lang="en"),
            "geo": write_map(pilot, folder / "geo.html", layout="geo", color="province"),
            "report": write_report(pilot, folder / "report.html", where="pilot")}


def test_map_draws_offline(browser, pilot_pages):
    requests = open_page(browser, pilot_pages["map"])
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert painted_pixels(browser) > 20_000
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    screenshot(browser, "map.png")


def test_legend_selects_a_group(browser, pilot_pages):
    open_page(browser, pilot_pages["map"])
    items = browser.find_elements("css selector", ".km-legend-item")
    assert len(items) >= 5
    count = int(items[0].find_element("css selector", ".km-legend-count").text)
    items[0].click()
    selected = browser.execute_script(
        "return document.querySelector('.km-map').kumenet.network.getSelectedNodes().length")
    assert selected == count


def test_search_is_turkish_aware(browser, pilot_pages):
    open_page(browser, pilot_pages["map"])
    box = browser.find_element("css selector", ".km-search")
    box.send_keys("YILDIZ MEDIKAL")  # typed without Turkish letters, in capitals
    results = [b.text for b in browser.find_elements("css selector", ".km-result")]
    assert "Yıldız Medikal San. Tic. Ltd. Şti." in results
    box.clear()
    box.send_keys("yıldız medikal san\n")
    found = browser.execute_script("return document.querySelector('.km-map').dataset.found")
    assert found == "Yıldız Medikal San. Tic. Ltd. Şti."
    selected = browser.execute_script(
        "return document.querySelector('.km-map').kumenet.network.getSelectedNodes()")
    assert len(selected) == 1
    assert "Yıldız Medikal" in browser.find_element("css selector", ".km-info").text
    box.clear()
    box.send_keys("zzzz")
    assert browser.find_element("css selector", ".km-none").text == "no match"


def test_layer_toggles_hide_edges(browser, pilot_pages, pilot):
    open_page(browser, pilot_pages["map"])
    browser.find_element("css selector", "input[data-layer='supply']").click()
    hidden = browser.execute_script(
        "return document.querySelector('.km-map').kumenet.edges.get({filter: e => e.hidden}).length")
    u, v, _, _ = pilot.ties("supply")
    assert hidden == len(u)
    browser.find_element("css selector", "input[data-layer='supply']").click()
    assert browser.execute_script(
        "return document.querySelector('.km-map').kumenet.edges.get({filter: e => e.hidden}).length") == 0


def test_geographic_view_and_report(browser, pilot_pages):
    requests = open_page(browser, pilot_pages["geo"])
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert painted_pixels(browser) > 20_000
    assert "OpenStreetMap" in browser.find_element("css selector", ".km-credit").text
    screenshot(browser, "geo.png")
    requests = open_page(browser, pilot_pages["report"])
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert painted_pixels(browser) > 10_000
    assert len(browser.find_elements("css selector", "section h2")) >= 8
    assert len(browser.find_elements("css selector", "svg")) >= 3
    browser.set_window_size(1400, 3000)
    screenshot(browser, "report.png")
    browser.set_window_size(1400, 900)


def test_turkish_report(browser, pilot_pages):
    """The report as staff get it: Turkish headings, search and messages, Turkish numbers."""
    open_page(browser, pilot_pages["report"])
    assert browser.execute_script("return document.documentElement.lang") == "tr"
    assert browser.find_element("css selector", "h1").text == "pilot · Ağ raporu"
    headings = [h.text for h in browser.find_elements("css selector", "section h2")]
    assert {"Özet", "Ağ haritası", "Topluluklar", "Ortaklık önerileri",
            "Küme değerlendirmesi"} <= set(headings)
    box = browser.find_element("css selector", ".km-search")
    assert box.get_attribute("placeholder") == "Firma veya kurum ara"
    box.send_keys("zzzz")
    assert browser.find_element("css selector", ".km-none").text == "sonuç yok"
    body = browser.find_element("css selector", "body").text
    assert "altın" in body and "ortak iş ortağı" in body and "★★★★★" in body
    assert "kalite 0," in body  # 0,626: a decimal comma
    browser.set_window_size(1400, 900)
    screenshot(browser, "report_tr.png")
    browser.execute_script(
        "document.querySelectorAll('h2')[5].scrollIntoView()")  # the suggestions
    screenshot(browser, "report_tr_suggestions.png")


def test_aggregated_map_of_100000_firms(browser, tmp_path):
    """100,000 generated firms: one circle per community, the small ones gathered, the
    twenty largest named in the legend, drawn in the browser offline."""
    from kumenet.graph.generate import generate

    nodes, edges = generate(100_000, seed=1)
    net = Network.from_frames(nodes, edges)
    page = write_map(net, tmp_path / "agg.html")
    requests = open_page(browser, page, timeout=60)
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert painted_pixels(browser) > 20_000
    title = browser.find_element("css selector", "h1").text
    assert title.startswith("Ağ haritası: toplu görünüm, topluluğa göre ")
    n_drawn = browser.execute_script(
        "return document.querySelector('.km-map').kumenet.nodes.length")
    assert 3 <= n_drawn <= 151
    items = browser.find_elements("css selector", ".km-legend-item")
    assert len(items) <= 21 and items[-1].text.startswith("küçük gruplar")
    items[0].click()  # a named group selects its circle
    selected = browser.execute_script(
        "return document.querySelector('.km-map').kumenet.network.getSelectedNodes().length")
    assert selected == 1
    assert "kumenet map DATA --group AD" in browser.find_element("css selector", "body").text
    screenshot(browser, "aggregated_100k.png")


PAYLOADS = ['<script>window.__xss=1</script>', '"><img src=x onerror="window.__xss=2">',
            "<svg onload=window.__xss=3>", "javascript:window.__xss=4", "'-window.__xss=5-'"]


def hostile_network() -> Network:
    p = PAYLOADS
    nodes = pd.DataFrame({
        "id": ["a" + p[1], "b", "c", "d" + p[0], "e"],
        "name": [p[0], p[1], p[2], p[3], p[4]],
        "kind": ["firm", "firm", "firm", "firm", "institution"],
        "subtype": [p[1], "company", "company", p[2], "chamber"],
        "country": ["TR", "TR", "DE", "TR", "TR"],
        "province": ["Samsun", "Samsun", None, "Çorum", "Samsun"],
        "sector": [p[1], "13.93", "46.00", p[0], None],
        "cluster": [p[0], p[1], None, p[2], None],
        "employees": [10, 20, None, 5, None],
    })
    edges = pd.DataFrame({"source": ["a" + p[1], "b", "a" + p[1], "d" + p[0], "b"],
                          "target": ["b", "c", "e", "b", "e"],
                          "layer": [p[0], "supply", "membership", p[2], "membership"],
                          "weight": [1, 1, 1, 1, 1], "year": [2020, 2021, 2020, 2022, 2021]})
    return Network.from_frames(nodes, edges)


def test_nothing_in_the_data_runs(browser, tmp_path):
    import warnings

    net = hostile_network()
    suggestions = pd.DataFrame({"source": ["b"], "target": ["d" + PAYLOADS[0]],
                                "source_name": [PAYLOADS[1]], "target_name": [PAYLOADS[2]],
                                "reason": [PAYLOADS[0]]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pages = [write_map(net, tmp_path / "m.html", title=PAYLOADS[1], suggestions=suggestions),
                 write_map(net, tmp_path / "g.html", layout="geo", color="cluster"),
                 write_map(net, tmp_path / "s.html", color="sector", lang="en"),
                 write_map(net, tmp_path / "a.html", max_nodes=10, aggregate_by="cluster"),
                 write_report(net, tmp_path / "r.html", where=PAYLOADS[1])]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<svg onload" not in html
        open_page(browser, page)
        assert browser.execute_script("return window.__xss") is None, page
        from selenium.common.exceptions import NoAlertPresentException

        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text
    # the names are shown as text
    open_page(browser, pages[0])
    box = browser.find_element("css selector", ".km-search")
    box.send_keys("img src")
    assert PAYLOADS[1] in [b.text for b in browser.find_elements("css selector", ".km-result")]
    assert browser.find_element("css selector", "h1").text == PAYLOADS[1]
    labels = [e.text for e in browser.find_elements("css selector", ".km-legend-label")]
    assert any("<script>" in x for x in labels + [e.text for e in browser.find_elements(
        "css selector", ".km-layer span")])
    assert browser.execute_script("return window.__xss") is None
