"""A centre's staff member in Chromium (Playwright), in Turkish and once in English: log in,
find a firm typed carelessly, shortlist suggestions, record contact with both sides, a
decline with its reason, an accepted one through a meeting (.ics), follow-up and agreement;
the funnel shows what was done; the shortlist is exported; log out. No request leaves the
machine and no page logs an error."""

from __future__ import annotations

import re

import pytest

from tests.viz.conftest import ARTIFACTS
from tests.web.test_portal_browser import Served, chromium, page  # noqa: F401 (fixtures)
from tests.workspace.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "tr": {"shortlist": "Kısa listeye al", "save": "Kaydet", "login": "Giriş",
           "logout": "Çıkış", "funnel": "Huni", "contacted": "iletişime geçildi",
           "declined": "reddedildi", "agreement": "anlaşma", "search": "YILDIZ MEDIKL"},
    "en": {"shortlist": "Shortlist", "save": "Save", "login": "Log in", "logout": "Log out",
           "funnel": "Funnel", "contacted": "contacted", "declined": "declined",
           "agreement": "agreement", "search": "yildiz medikal"},
}


@pytest.fixture
def site(pilot_snapshot, tmp_path):
    from kumenet.web.app import create_app
    from kumenet.workspace.auth import add_user
    from kumenet.workspace.lists import init_workspace

    where = tmp_path / "workspace.db"
    ws, _, _ = init_workspace(where)
    add_user(ws, "ayse", "staff", PASSWORD, centre="samsun", display_name="Ayşe Yılmaz")
    ws.close()
    served = Served(create_app(pilot_snapshot, workspace=str(where)))
    yield served.url
    served.stop()


def step(page, stage: str, *, side=None, reason=None, note=None, **fields):
    """Record one step on the introduction page through its form."""
    form = page.locator("form.kp-step")
    form.locator("select[name=stage]").select_option(stage)
    if side:
        form.locator("select[name=side]").select_option(side)
    if reason:
        form.locator("select[name=reason]").select_option(reason)
    for name, value in fields.items():
        target = form.locator(f"[name={name}]")
        if name in ("rating", "kind"):
            target.select_option(value)
        else:
            target.fill(value)
    if note:
        form.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("[data-stage]").get_attribute("data-stage") == stage


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_a_staff_member_from_suggestion_to_agreement(page, site, lang, tmp_path):  # noqa: F811
    w = WORDS[lang]
    page.goto(f"{site}/workspace?lang={lang}")
    assert "/login" in page.url  # the workspace needs a login
    page.fill("input[name=username]", "AYSE")  # typed carelessly: capitals
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.kp-login button")
    assert "/workspace" in page.url and "Ayşe Yılmaz" in page.inner_text("header")
    # find the firm typed carelessly, open its profile
    box = page.locator(".kp-search input[type=search]")
    box.fill(w["search"])
    box.press("Enter")
    page.locator("a.kp-actor").first.click()
    assert page.inner_text("h1") == "Yıldız Medikal San. Tic. Ltd. Şti."
    buttons = page.locator(f"button[data-shortlist]:has-text('{w['shortlist']}')")
    assert buttons.count() >= 3
    # 1: shortlisted, contacted on both sides, declined by B as a competitor
    with page.expect_navigation():
        buttons.nth(0).click()
    first = page.url
    step(page, "contacted", side="a", note="12.03: A arandı, ilgili")
    step(page, "contacted", side="b")
    step(page, "declined", side="b", reason="competitor")
    assert w["declined"] in page.inner_text("table.kp-list")
    # 2: accepted, a meeting planned (.ics), held, followed up, an agreement
    page.goto(f"{site}/actor/F000001?lang={lang}")
    with page.expect_navigation():
        page.locator("button[data-shortlist]").nth(1).click()
    second = page.url
    assert second != first
    step(page, "contacted", side="both")
    step(page, "accepted")
    step(page, "meeting_planned", meeting_at="2025-03-20T10:00", place="Samsun TSO")
    with page.expect_download() as download:
        page.click("a[href$='meeting.ics']")
    ics = open(download.value.path(), encoding="utf-8").read()
    assert "DTSTART:20250320T100000Z" in ics and "LOCATION:Samsun TSO" in ics
    step(page, "met")
    step(page, "follow_up", rating="negotiation")
    step(page, "agreement", kind="joint_export", note="ortak ihracat protokolü")
    history = page.inner_text("table.kp-list")
    assert history.count(w["contacted"]) == 1 and w["agreement"] in history
    # 3: a third one stays on the shortlist for the meeting day
    page.goto(f"{site}/actor/F000001?lang={lang}")
    with page.expect_navigation():
        page.locator("button[data-shortlist]").nth(2).click()
    # the funnel's numbers are what was done
    page.click(f"nav >> text={w['funnel']}")
    rows = {r.get_attribute("data-step"): r.inner_text()
            for r in page.locator("table.kp-funnel tr[data-step]").all()}
    counts = {k: int(re.search(r"\t([\d.,]+)", v).group(1)) for k, v in rows.items()}
    assert counts["shortlisted"] == 3 and counts["contacted"] == 2
    assert counts["met"] == 1 and counts["agreement"] == 1 and counts["project"] == 0
    assert counts["suggested"] >= 3  # the profile's suggestions were logged when shown
    # the shortlist for a meeting day, printed and downloaded
    page.goto(f"{site}/workspace/shortlist?lang={lang}")
    assert page.locator("table.kp-list tbody tr").count() == 1
    with page.expect_download() as download:
        page.click("a[href*='shortlist.xlsx']")
    import io

    import openpyxl

    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header = [c.value for c in sheet[1]]
    assert header[1] == ("Firma" if lang == "tr" else "Firm") and sheet.max_row == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workspace_shortlist_{lang}.png"), full_page=True)
    page.goto(second)
    page.screenshot(path=str(ARTIFACTS / f"workspace_introduction_{lang}.png"), full_page=True)
    # log out: the workspace asks for a login again
    with page.expect_navigation():
        page.click(f"header button:has-text('{w['logout']}')")
    page.goto(f"{site}/workspace?lang={lang}")
    assert "/login" in page.url
    assert [u for u in page.requests if not u.startswith(site)] == []
    assert page.errors == []
