"""An initiative's report page in Chromium, in Turkish and English, offline: nothing
requested, no console error, nothing in the data runs, every indicator drawn."""

from __future__ import annotations

from datetime import date

import pytest

from kumenet.app.initiatives import initiative_panel
from kumenet.viz.initiative import initiative_html
from tests.viz.conftest import open_page, screenshot
from tests.viz.test_browser import LOCAL, PAYLOADS


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_an_initiative_report_opens_offline_and_nothing_in_it_runs(browser, pilot, tmp_path,
                                                                   lang):
    members = [{"actor": a, "in_network": True, "joined": date(2021, 1, 1), "left": None}
               for a in pilot.nodes["id"][:30]]
    members.append({"actor": PAYLOADS[1], "in_network": False, "joined": date(2022, 5, 1),
                    "left": None})
    record = {"name": PAYLOADS[0], "start_year": 2021, "centre": "samsun",
              "provinces": ["Samsun"], "sectors": ["32.50"], "members": members,
              "activities": [{"held_on": date(2022, 4, 1), "title": PAYLOADS[2],
                              "kind": "b2b_day", "participants": ["F000001"],
                              "outcome": PAYLOADS[0]}],
              "figures": [{"actor": "F000001", "year": 2022, "figure": "turnover",
                           "value": 1.5e6}]}
    names = dict(zip(pilot.ids, pilot.nodes["name"].astype(object)))
    panel = initiative_panel(pilot, record, lang=lang)
    page = tmp_path / "initiative.html"
    page.write_text(initiative_html(record, panel, lambda a: names.get(a, a), lang,
                                    network="pilot", mapping="default"), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<svg onload" not in html and "<script" not in html
    requests = open_page(browser, page)
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert browser.execute_script("return window.__xss") is None
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert PAYLOADS[0] in browser.find_element("css selector", "h1").text
    drawn = browser.execute_script(
        "return Array.from(document.querySelectorAll('.km-card')).map(c => "
        "[c.dataset.indicator, c.querySelectorAll('svg circle').length])")
    assert len(drawn) == 23 and dict(drawn)["members"] == len(set(panel["year"]))
    words = {"tr": "Üyeler arası yoğunluk", "en": "Density among members"}[lang]
    assert words in browser.find_element("css selector", "body").text
    screenshot(browser, f"initiative_{lang}.png")
