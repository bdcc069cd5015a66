"""The portal's routes with the test client: every page and its JSON twin, search typed any
way, profiles with suggestions, clusters, regions, the read-only SQL page, and security
(GET only, CSP, hostile names as text, no traceback in a browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from kumenet.app.snapshot import build_snapshot, ensure_snapshot, network_key  # noqa: E402
from kumenet.web.app import create_app  # noqa: E402
from tests.viz.test_browser import PAYLOADS, hostile_network  # noqa: E402


@pytest.fixture(scope="module")
def client(pilot_snapshot):
    return TestClient(create_app(pilot_snapshot), raise_server_exceptions=False)


PAGES = ["/", "/search?q=yildiz", "/actor/F000001", "/cluster/Samsun%20tar%C4%B1m%20makineleri",
         "/cluster/Samsun%20tar%C4%B1m%20makineleri/brief", "/region/TR83", "/sql?q=SELECT%201",
         "/clusters?province=Gaziantep"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_and_its_json_twin(client, url):
    page = client.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in page.headers
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in page.text  # no inline script: only the portal's own files
    api = client.get("/api" + (url if url != "/" else "/home"))
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    for lang in ("tr", "en"):
        sep = "&" if "?" in url else "?"
        assert client.get(f"{url}{sep}lang={lang}").status_code == 200


@pytest.mark.parametrize("typed", ["YILDIZ MEDIKAL", "yildiz medikal", "Yıldız Medikl",
                                   "yıldız medikal san. tic."])
def test_search_finds_a_firm_typed_any_way(client, typed):
    found = client.get("/api/search", params={"q": typed}).json()
    assert found["actors"][0]["name"] == "Yıldız Medikal San. Tic. Ltd. Şti."


def test_search_filters_pages_and_finds_clusters_and_regions(client, pilot):
    firms = client.get("/api/search", params={"kind": "firm", "province": "Samsun"}).json()
    assert firms["total"] == int(((pilot.nodes["kind"] == "firm") &
                                  (pilot.nodes["province"] == "Samsun")).sum())
    assert len(firms["actors"]) == 20 and firms["pages"] > 1
    second = client.get("/api/search", params={"kind": "firm", "province": "Samsun",
                                                "page": 2}).json()
    assert {a["id"] for a in firms["actors"]}.isdisjoint(a["id"] for a in second["actors"])
    assert client.get("/api/search", params={"q": "tarım makine"}).json()["clusters"]
    assert client.get("/api/search", params={"q": "samsun"}).json()["regions"]
    assert client.get("/api/search", params={"sector": "32"}).json()["total"] > 0


def test_profile_shows_suggestions_metrics_and_the_ego_map(client):
    profile = client.get("/api/actor/F000001").json()
    assert profile["actor"]["name"] == "Yıldız Medikal San. Tic. Ltd. Şti."
    scopes = profile["suggestions"]
    assert set(scopes) <= {"intra_regional", "interregional", "international"} and scopes
    first = next(iter(scopes.values()))[0]
    assert "ortak iş ortağı" in first["reason"]
    # Strength reads each score against the firm's best: that one is 5, and the others follow
    # their share of it (recomputed here from the scores shown).
    shown = [row for rows in scopes.values() for row in rows]
    best = max(row["score"] for row in shown)
    for row in shown:
        share = row["score"] / best
        expected = 1 + sum(share >= cut for cut in (0.25, 0.5, 0.75, 0.9))
        assert row["strength"] == expected, row
    assert max(row["strength"] for row in shown) == 5
    english = client.get("/api/actor/F000001?lang=en").json()
    assert "shared partner" in next(iter(english["suggestions"].values()))[0]["reason"]
    metrics = {m["metric"]: m for m in profile["metrics"]}
    assert 0 <= metrics["degree"]["percentile"] <= 100 and metrics["degree"]["meaning"]
    ego = client.get("/api/actor/F000001/map").json()
    assert any(layer["name"] == "suggested" for layer in ego["layers"])
    html = client.get("/actor/F000001").text
    assert "★" in html and 'data-url="/api/actor/F000001/map?lang=tr"' in html


def test_cluster_and_region_pages(client):
    c = client.get("/api/cluster/Samsun tarım makineleri").json()
    assert c["cluster"]["label"] == "altın" and len(c["criteria"]) == 4 and c["members"]
    drawn = client.get("/api/cluster/Samsun tarım makineleri/map").json()
    assert len(drawn["nodes"]["id"]) == len(c["members"]) and drawn["edges"]["id"]
    assert client.get("/api/cluster/Yok/map").status_code == 404
    r = client.get("/api/region/TR83").json()
    assert r["specialisation"] and r["potential"] and r["firms_total"] > 100
    assert client.get("/cluster/Yok böyle").status_code == 404
    assert client.get("/api/region/XX99").status_code == 404


def test_clusters_over_time_and_a_clusters_history(client, pilot):
    """The comparison over time holds what clusters evaluate --years gives, ranked by the
    last year, filtered; a cluster's page holds its own history."""
    from kumenet.regional.evaluation import evaluate_years

    want = evaluate_years(pilot, range(2019, 2025), lang="tr")
    got = client.get("/api/clusters?lang=tr").json()
    assert got["years"] == list(range(2019, 2025))
    last = want[want["year"] == 2024]
    assert [c["cluster"] for c in got["clusters"]] == last["cluster"].tolist()
    first = got["clusters"][0]
    assert first["score"] == last["score"].iloc[0] and first["change"] == last["change"].iloc[0]
    trend = want[want["cluster"] == first["cluster"]]["score"].tolist()
    assert first["trend"] == trend
    some = client.get("/api/clusters?province=%C3%87orum&sector=28").json()["clusters"]
    assert [c["cluster"] for c in some] == ["Çorum değirmen makineleri"]
    page = client.get("/clusters?lang=tr").text
    assert page.count("<svg") == len(got["clusters"]) and "Kümeler yıllar içinde" in page
    mine = client.get("/api/cluster/Samsun tarım makineleri?lang=tr").json()["history"]
    assert [(h["year"], h["label"]) for h in mine][-1] == (2024, "altın") and len(mine) == 6


def test_the_cluster_brief_tab(client):
    """The Kılavuz tab: the five sections of the cluster's toolkit brief, its JSON twin, the
    brief as Word and as a printable page."""
    import io
    import re

    import docx

    url = "/cluster/Samsun tarım makineleri"
    page = client.get(url).text
    assert 'href="/cluster/Samsun%20tar%C4%B1m%20makineleri/brief?lang=tr">Kılavuz</a>' in page
    brief = client.get(url + "/brief").text
    assert re.findall(r'data-section="([a-z-]+)"', brief) == [
        "identification", "activation", "governance", "international", "business-plan"]
    assert 'aria-current="page">Kılavuz</a>' in brief and "1. Küme tanımlama" in brief
    assert "2. Cluster activation" in client.get(url + "/brief?lang=en").text
    twin = client.get("/api" + url + "/brief?lang=en").json()
    assert [p["key"] for p in twin["brief"]["parts"]][0] == "identification"
    assert twin["brief"]["parts"][2]["tables"][0]["columns"][0] == "requirement"
    word = client.get("/download" + url + "/brief.docx")
    assert word.status_code == 200 and "samsun_tarim_makineleri.docx" in \
        word.headers["content-disposition"]
    headings = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs
                if p.style.name == "Heading 1"]
    assert headings[0] == "1. Küme tanımlama" and len(headings) == 5
    printable = client.get("/download" + url + "/brief.html?lang=en")
    assert printable.status_code == 200 and "@page { size: A4" in printable.text
    for bad in ("/cluster/Yok/brief", "/api/cluster/Yok/brief",
                "/download/cluster/Yok/brief.docx"):
        assert client.get(bad).status_code == 404, bad
    assert client.get("/download" + url + "/brief.pdf").status_code == 422


@pytest.mark.parametrize("sql", ["COPY nodes TO '/tmp/x.csv'", "INSTALL httpfs",
                                 "SELECT * FROM read_csv('/etc/passwd')", "DROP TABLE nodes",
                                 "ATTACH '/tmp/other.db'", "SELECT 1; SELECT 2"])
def test_the_sql_page_only_reads(client, sql):
    answer = client.get("/api/sql", params={"q": sql})
    assert answer.status_code == 400 and answer.json()["error"]
    page = client.get("/sql", params={"q": sql})
    assert page.status_code == 200 and 'role="alert"' in page.text
    assert client.get("/sql.csv", params={"q": sql}).status_code == 400


def test_sql_results_and_csv(client, pilot):
    rows = client.get("/api/sql", params={"q": "SELECT kind, count(*) AS n FROM nodes GROUP BY "
                                                "kind ORDER BY kind"}).json()["rows"]
    assert rows == [{"kind": "firm", "n": 720}, {"kind": "institution", "n": 37}]
    csv = client.get("/sql.csv", params={"q": "SELECT id, name FROM nodes ORDER BY id LIMIT 2"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.lstrip("\ufeff").splitlines()[0] == "id,name"
    many = client.get("/api/sql", params={"q": "SELECT * FROM ties"}).json()
    assert len(many["rows"]) == 1000 and many["truncated"]


def test_get_only_limits_and_no_traceback(client, monkeypatch):
    assert client.post("/").status_code == 405
    assert client.delete("/actor/F000001").status_code == 405
    assert client.get("/search", params={"q": "x" * 5000}).status_code == 414
    from kumenet.app import portal

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /home/user/db")

    monkeypatch.setattr(portal, "home", broken)
    page = client.get("/")
    assert page.status_code == 500
    assert "secret detail" not in page.text and "Traceback" not in page.text
    assert "Başvuru numarası" in page.text
    api = client.get("/api/home")
    assert api.status_code == 500 and set(api.json()) == {"error", "reference"}


def test_openapi_and_local_docs(client):
    schema = client.get("/openapi.json").json()
    assert "/api/actor/{actor_id}" in schema["paths"] and "/api/search" in schema["paths"]
    docs = client.get("/docs").text
    assert "/api/search" in docs and "cdn" not in docs.lower()


def test_hostile_names_render_as_text(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = hostile_network()
        path = build_snapshot(net, tmp_path / "h.duckdb", name=PAYLOADS[1])
    c = TestClient(create_app(path), raise_server_exceptions=False)
    for url in ["/", "/search?q=script", "/search?q=" + PAYLOADS[0], "/actor/b",
                "/sql?q=SELECT%20name%20FROM%20nodes"]:
        html = c.get(url).text
        assert "<script>window" not in html and "<img src=x" not in html, url
        assert "<svg onload" not in html, url


def test_the_snapshot_is_reused_until_the_network_changes(pilot, tmp_path):
    notes = []
    first = ensure_snapshot(pilot, "pilot", folder=tmp_path, notify=notes.append)
    again = ensure_snapshot(pilot, "pilot", folder=tmp_path, notify=notes.append)
    assert first == again and "reused" in notes[-1]
    changed = pilot.select(as_of=2020)
    assert network_key(changed) != network_key(pilot)


def test_serve_listens_on_loopback_unless_asked(monkeypatch, tmp_path):
    """The command's defaults, and what it hands to uvicorn (not started here)."""
    from click.testing import CliRunner

    import uvicorn

    from kumenet.cli import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    monkeypatch.setenv("KUMENET_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve", "sample_networks/pilot"])
    assert result.exit_code == 0 and seen["host"] == "127.0.0.1" and seen["port"] == 8000
    assert "http://127.0.0.1:8000/" in result.stderr and "Warning" not in result.stderr
    result = CliRunner().invoke(cli, ["serve", "sample_networks/pilot", "--host", "0.0.0.0",
                                      "--port", "8080"])
    assert result.exit_code == 1 and "every page needs a login: give --workspace" in \
        result.output  # beyond this machine, only with accounts
    from kumenet.workspace.lists import init_workspace

    init_workspace(tmp_path / "w.db")[0].close()
    result = CliRunner().invoke(cli, ["serve", "sample_networks/pilot", "--host", "0.0.0.0",
                                      "--port", "8080", "--workspace", str(tmp_path / "w.db"),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and "her sayfa oturum ister" in result.stderr
    assert seen["app"].state.public and seen["app"].state.workspace is not None
    seen.clear()
    CliRunner().invoke(cli, ["serve", "sample_networks/pilot", "--workers", "1"])
    assert not isinstance(seen["app"], str) and "workers" not in seen
    assert "yeniden kullanıldı" in result.stderr  # the snapshot of the first run


def test_profile_as_of_a_year_and_as_a_workbook(client, pilot):
    import io

    import openpyxl

    now = client.get("/api/actor/F000001").json()["partners"]
    then = client.get("/api/actor/F000001?year=2016").json()["partners"]
    assert len(then) < len(now) and all(p["first_year"] <= 2016 for p in then)
    assert client.get("/actor/F000001?year=2016").status_code == 200
    assert client.get("/actor/F000001?year=twenty").status_code == 422
    book = client.get("/download/actor/F000001")
    assert book.headers["content-disposition"] == 'attachment; filename="F000001.xlsx"'
    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    assert sheets.sheetnames == ["Profil", "Konum", "Öneriler", "Ortaklar"]
    assert sheets["Öneriler"].max_row > 3 and sheets["Profil"]["B2"].value.startswith("Yıldız")
    # every header in the page's language (none empty)
    from tests.viz.test_turkish import ENGLISH

    headers = {ws.title: [c.value for c in ws[1]] for ws in sheets.worksheets}
    assert headers["Profil"] == ["alan", "değer"] and headers["Konum"][-1] == "anlamı"
    assert all(h and h.lower() not in ENGLISH for row in headers.values() for h in row), headers
    english = openpyxl.load_workbook(io.BytesIO(client.get(
        "/download/actor/F000001?lang=en").content))
    assert [c.value for c in english["Suggestions"][1]][:3] == \
        ["suggested partner", "province", "scope"]


def test_the_snapshot_folder_keeps_the_most_recent(pilot, tmp_path, monkeypatch):
    from kumenet.app import snapshot

    import time

    def built(net, path, **_):  # what is kept is the question here, not what is built
        path.write_bytes(b"snapshot")
        time.sleep(0.02)  # distinct modification times

    monkeypatch.setattr(snapshot, "KEEP", 2)
    monkeypatch.setattr(snapshot, "build_snapshot", built)
    paths = [ensure_snapshot(pilot.select(as_of=year), f"pilot {year}", folder=tmp_path)
             for year in (2019, 2020, 2021)]
    assert sorted(tmp_path.glob("*.duckdb")) == sorted(paths[1:])


def test_home_as_of_a_year(client):
    now = client.get("/api/home").json()
    then = client.get("/api/home?year=2016").json()
    ties = lambda d: sum(r["ties"] for r in d["layers"])  # noqa: E731
    assert ties(then) < ties(now) and all(r["last_year"] <= 2016 for r in then["layers"])
    assert sum(r["firms"] for r in then["provinces"]) <= sum(r["firms"] for r in now["provinces"])
    assert 'name="year"' in client.get("/?year=2016").text


# The SQL page lists tables and columns, and /docs the API: identifiers, English by design.
@pytest.mark.parametrize("url", ["/", "/search?q=yildiz", "/actor/F000001",
                                 "/cluster/Samsun%20tar%C4%B1m%20makineleri",
                                 "/cluster/Samsun%20tar%C4%B1m%20makineleri/brief",
                                 "/region/TR83", "/clusters", "/sql?q=SELECT%201%20AS%20n",
                                 "/actor/YOK", "/nothing"])
def test_turkish_pages_hold_no_english_word(client, url):
    import re

    from tests.viz.test_turkish import ENGLISH, visible_words

    page = client.get(url).text
    # the commands a brief names as its sources are commands, not words; the SQL page's list
    # of tables and columns and its SQL keywords are identifiers
    page = re.sub(r"\(kumenet [a-z]+( [a-z]+)?\)", " ", page)
    page = re.sub(r'<div class="kp-schema">.*?</div>\s*(?=<)', " ", page, flags=re.S)
    page = re.sub(r"\((SELECT|WITH)[A-Z, .]+\)", " ", page)
    words = visible_words(page)
    assert {w: line for w, line in words.items() if w in ENGLISH} == {}


def test_a_network_without_clusters_or_years(tmp_path):
    """The hand-made Turkish Excel export (no cluster column) and a network without years:
    every page answers."""
    import warnings

    import pandas as pd

    from kumenet.graph.io import read_network
    from tests.conftest import ROOT

    nodes = pd.read_csv(ROOT / "sample_networks" / "pilot" / "nodes.csv").head(60)
    edges = pd.read_csv(ROOT / "sample_networks" / "pilot" / "edges.csv")
    edges = edges[edges["source"].isin(nodes["id"]) & edges["target"].isin(nodes["id"])]
    (tmp_path / "noyears").mkdir()
    nodes.to_csv(tmp_path / "noyears" / "nodes.csv", index=False)
    edges.drop(columns="year").to_csv(tmp_path / "noyears" / "edges.csv", index=False)
    for data in (ROOT / "sample_networks" / "turkish_excel", tmp_path / "noyears"):
        with warnings.catch_warnings():  # the readers' notes (1.200, merged duplicates)
            warnings.simplefilter("ignore")
            net = read_network(data)
        path = build_snapshot(net, tmp_path / f"{data.name}.duckdb", name=data.name)
        c = TestClient(create_app(path), raise_server_exceptions=False)
        ids = list(net.nodes["id"][:5])
        for url in ["/", "/?year=2019", "/search?q=a", "/clusters", *[f"/actor/{i}" for i in ids],
                    *[f"/api/actor/{i}/map" for i in ids], f"/actor/{ids[0]}?year=1990",
                    f"/download/actor/{ids[0]}"]:
            assert c.get(url).status_code == 200, (data.name, url)


@pytest.mark.parametrize("url", ["/actor/NOPE", "/region/XX", "/cluster/Yok", "/nothing/here",
                                 "/sql?q=DROP%20TABLE%20nodes",
                                 "/sql?q=SELECT%20*%20FROM%20read_csv('/etc/passwd')",
                                 "/sql?q=SELECT%201;%20SELECT%202"])
def test_error_pages_and_sql_refusals_speak_the_pages_language(client, url):
    """404s (an unknown path too: a page, not JSON) and the SQL page's refusals in Turkish
    by default and in English with lang=en; the JSON keeps the library's words."""
    import html
    import re

    from tests.viz.test_turkish import ENGLISH, visible_words

    def said(page):  # the page's message: the not-found text, or the SQL page's refusal
        found = re.findall(r'kp-error[^>]*>(.*?)</p>', page, re.S) or \
            re.findall(r"<main.*?</main>", page, re.S)
        return html.unescape(re.sub(r"<[^>]+>", " ", found[0]))

    turkish = client.get(url)
    assert turkish.headers["content-type"].startswith("text/html")
    assert turkish.status_code == (200 if url.startswith("/sql") else 404)
    words = visible_words(f"<p>{said(turkish.text)}</p>")
    # SQL keywords and the library's own reason in parentheses are not the page's words
    assert {w for w in words if w in ENGLISH} - {"with"} == set(), said(turkish.text)
    assert "-o" not in said(turkish.text)
    english = said(client.get(url + ("&" if "?" in url else "?") + "lang=en").text)
    assert re.search(r"\b(no|not|only|refused|give|page)\b", english), english
    if not url.startswith("/sql"):
        assert client.get("/api" + url).json()["error"].split()[0] in ("no", "page")


def test_the_documented_queries_run_on_the_sql_page_too(client, pilot):
    """kumenet query and the SQL page share table names (edges, node_metrics and
    group_metrics are views of the snapshot's ties, metrics and provinces): each of the
    documentation's queries of the pilot gives the same rows on both."""
    import re

    import pandas as pd

    from kumenet.sql import query
    from tests.conftest import ROOT

    readme = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md",
                                                                *(ROOT / "docs").glob("*.md")])
    statements = [q for q in re.findall(r'kumenet query sample_networks/pilot "([^"]+)"', readme)
                  if q.split()[0].upper() in ("SELECT", "WITH") and "'/" not in q]  # not refused
    assert len(statements) >= 3
    for sql in statements:
        if "node_metrics" in sql:  # the portal keeps every layer's rows: the flattened one
            sql = sql.replace("JOIN nodes n USING (id)", "JOIN nodes n USING (id) "
                              "WHERE m.layer = 'all'")
        page = client.get("/api/sql", params={"q": sql}).json()
        assert page["error"] is None, (sql, page["error"])
        here = query(pilot, sql)
        assert page["columns"] == list(here.columns), sql

        def rows(records):  # the same rows (ties in the order may fall either way)
            return sorted(repr([None if pd.isna(v) else round(v, 9) if isinstance(v, float)
                                else v for v in r.values()]) for r in records)
        assert rows(page["rows"]) == rows(here.to_dict("records")), sql


@pytest.mark.parametrize("url", PAGES)
def test_every_table_has_a_header_for_every_column(client, url):
    """Each table names each of its columns (a screen reader and a printed page need them)."""
    import html as html_lib
    import re

    page = client.get(url).text
    for table in re.findall(r"<table\b.*?</table>", page, re.S):
        head = re.search(r"<thead>(.*?)</thead>", table, re.S)
        body = re.sub(r"<thead>.*?</thead>", "", table, flags=re.S)
        widths = [len(re.findall(r"<t[dh]\b", row)) for row in re.findall(r"<tr\b.*?</tr>", body, re.S)]
        if head is None:  # a key-value table: each row's first cell is its header
            assert all(re.match(r"\s*<tr[^>]*>\s*<th", row) for row in
                       re.findall(r"<tr\b.*?</tr>", body, re.S)), table[:300]
            continue
        names = [html_lib.unescape(re.sub(r"<[^>]+>", "", h)).strip()
                 for h in re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(1), re.S)]
        assert all(names), (url, names)
        assert not widths or max(widths) <= len(names), (url, names, max(widths))
