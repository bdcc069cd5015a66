"""The toolkit brief in Chromium, offline: nothing requested, no console error, nothing in
the data runs, and it prints on A4."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from kumenet.app.analysis import analyse
from kumenet.app.toolkit import build_brief, write_brief
from kumenet.graph.network import Network
from tests.viz.conftest import open_page, screenshot
from tests.viz.test_browser import LOCAL, PAYLOADS


def _hostile_pilot(pilot) -> Network:
    """The pilot with one cluster, its members and a province's institution named with the
    payloads."""
    nodes = pilot.nodes.copy()
    for col in nodes.columns:
        if isinstance(nodes[col].dtype, pd.CategoricalDtype):
            nodes[col] = nodes[col].astype(object)
    edges = pilot.edges.copy()
    for col in edges.columns:
        if isinstance(edges[col].dtype, pd.CategoricalDtype):
            edges[col] = edges[col].astype(object)
    chosen = (nodes["cluster"] == "Çorum leblebi").to_numpy()
    nodes["cluster"] = nodes["cluster"].where(~chosen, PAYLOADS[0])
    members = nodes.index[chosen][:len(PAYLOADS)]
    names = nodes["name"].to_numpy(dtype=object).copy()
    names[members] = [f"{p} {i}" for i, p in enumerate(PAYLOADS)]
    nodes["name"] = names
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Network.from_frames(nodes, edges, directed_layers=pilot.directed_layers)


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_a_brief_opens_offline_and_nothing_in_it_runs(browser, pilot, tmp_path, lang):
    net = _hostile_pilot(pilot)
    brief = build_brief(analyse(net, lang=lang), PAYLOADS[0], lang=lang)
    page = write_brief(brief, tmp_path / "brief.html")
    html = page.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<svg onload" not in html and "<script>" not in html
    requests = open_page(browser, page)
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert browser.execute_script("return window.__xss") is None
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    shown = browser.find_element("css selector", "h1").text
    assert PAYLOADS[0] in shown  # the name is shown as text
    sections = browser.execute_script(
        "return Array.from(document.querySelectorAll('section')).map(s => s.dataset.section)")
    assert sections == ["identification", "activation", "governance", "international",
                        "business-plan"]
    screenshot(browser, f"brief_{lang}.png")


def test_a_brief_prints_on_a4(browser, pilot, tmp_path):
    """Printed to PDF by Chromium on A4: a few pages, every section there."""
    import base64

    brief = build_brief(analyse(pilot, lang="tr"), "Gaziantep plastik", lang="tr")
    open_page(browser, write_brief(brief, tmp_path / "brief.html"))
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True})["data"])
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pdf.startswith(b"%PDF") and 3 <= pages <= 15, pages
    (tmp_path / "brief.pdf").write_bytes(pdf)
