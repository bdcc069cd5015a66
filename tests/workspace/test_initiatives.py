"""Initiatives: the records (roles, audit, membership spells), the yearly panel on a hand-made
network whose values are known, what the explanations name, and the commands."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from kumenet.app.initiatives import initiative_panel, load_indicators, read_panel
from kumenet.errors import KumenetError, NotAllowed, NotLoggedIn, RecordNotFound
from kumenet.graph.network import Network
from kumenet.workspace import initiatives as wi
from kumenet.workspace import records
from kumenet.workspace.schema import audit
from tests.test_cli import run
from tests.workspace.conftest import PASSWORD

NAMES = {"A": "Alfa Makina", "B": "Beta Döküm", "C": "Çelik Kalıp", "D": "Delta Plastik",
         "E": "Ege Tedarik", "X": "Xenia GmbH"}


@pytest.fixture(scope="module")
def small():
    """Six firms (X abroad) and ties whose years make every indicator's value known."""
    nodes = pd.DataFrame({"id": list(NAMES), "name": list(NAMES.values()), "kind": "firm",
                          "country": ["TR"] * 5 + ["DE"],
                          "province": ["Samsun"] * 5 + [None],
                          "employees": [10, 20, 30, 40, 50, 60],
                          "exports_usd": [0, 1000, 0, 500, 0, 0]})
    edges = pd.DataFrame(
        [("A", "B", "supply", 2019), ("B", "C", "collaboration", 2020),
         ("A", "D", "collaboration", 2021), ("C", "X", "collaboration", 2021),
         ("D", "E", "supply", 2022), ("B", "D", "supply", 2022)],
        columns=["source", "target", "layer", "year"])
    return Network.from_frames(nodes, edges)


def _record(**more):
    spell = lambda a, j, left=None: {"actor": a, "in_network": True, "joined": j,  # noqa: E731
                                     "left": left}
    record = {"name": "Örnek", "start_year": 2020, "activities": [], "figures": [],
              "members": [spell("A", date(2020, 1, 1)), spell("B", date(2020, 1, 1)),
                          spell("C", date(2020, 1, 1), date(2022, 3, 1)),
                          spell("D", date(2021, 6, 1))]}
    return {**record, **more}


INTROS = pd.DataFrame({"source": ["B"], "target": ["D"],
                       "created_at": [datetime(2021, 5, 1)],
                       "reached_met_at": [datetime(2021, 6, 10)],
                       "agreement_at": [None], "project_at": [None]})


def test_every_indicator_of_a_hand_made_initiative(small):
    panel = initiative_panel(small, _record(), INTROS)
    got = panel.pivot(index="indicator", columns="year", values="value")
    want = {  # year: 2019 (the year before the start), 2020, 2021, 2022
        "members": [0, 3, 4, 3], "members_joined": [0, 3, 1, 0],
        "members_left": [0, 0, 0, 1],
        "ties_among_members": [0, 2, 3, 3], "ties_to_outside": [0, 0, 1, 2],
        "new_ties": [0, 1, 2, 2], "new_ties_after_introduction": [0, 0, 0, 1],
        "brokers": [0, 1, 2, 0], "value_chain_members": [0, 2, 2, 3],
        "exporters": [0, 1, 2, 2], "export_value": [0, 1000, 1500, 1500],
        "employment": [0, 60, 100, 70], "introductions": [0, 0, 1, 0],
        "meetings": [0, 0, 1, 0], "agreements": [0, 0, 0, 0]}
    for indicator, values in want.items():
        assert got.loc[indicator].tolist() == values, indicator
    assert np.allclose(got.loc["density"].tolist(), [np.nan, 2 / 3, 0.5, 1.0], equal_nan=True)
    assert np.allclose(got.loc["international_share"].tolist(), [np.nan, 0, 0.25, 0],
                       equal_nan=True)
    assert got.loc["turnover"].isna().all()


def test_the_explanations_name_what_moved_the_values(small):
    panel = initiative_panel(small, _record(), INTROS, lang="en")
    why = panel.set_index(["indicator", "year"])["explanation"]
    density = why["density", 2022]
    assert density.startswith("Density among members rose from 0.50 to 1.00")
    assert "1 new ties among members (1 supply)" in density
    assert "1 after introductions by the centre: Beta Döküm – Delta Plastik" in density
    assert "1 left (Çelik Kalıp)" in density
    assert "1 ties no longer counted with the members who left" in density
    assert "first tie abroad: Çelik Kalıp" in why["international_share", 2021]
    assert "1 joined (Delta Plastik)" in why["members", 2021]
    assert "now brokers: Alfa Makina" in why["brokers", 2021]
    assert "no longer brokers: Alfa Makina, Beta Döküm" in why["brokers", 2022]
    assert why["meetings", 2021].endswith("Beta Döküm – Delta Plastik")
    turkish = initiative_panel(small, _record(), INTROS, lang="tr")
    said = turkish.set_index(["indicator", "year"])["explanation"]["density", 2022]
    assert said.startswith("Üyeler arası yoğunluk arttı (0,50 → 1,00)")
    assert "1 tanesi merkezin tanıştırmasından sonra: Beta Döküm – Delta Plastik" in said


def test_workspace_figures_and_activities_count_for_that_years_members(small):
    record = _record(
        activities=[{"held_on": date(2021, 4, 1), "title": "B2B günü", "kind": "b2b_day",
                     "participants": ["A", "B", "E"], "outcome": None}],
        figures=[{"actor": "A", "year": 2021, "figure": "turnover", "value": 5.0},
                 {"actor": "C", "year": 2022, "figure": "turnover", "value": 7.0},
                 {"actor": "B", "year": 2022, "figure": "turnover", "value": 3.0}])
    panel = initiative_panel(small, record, years=[2021, 2022], lang="en")
    got = panel.pivot(index="indicator", columns="year", values="value")
    assert got.loc["activities"].tolist() == [1, 0]
    assert got.loc["activity_participants"].tolist() == [3, 0]
    assert got.loc["turnover"].tolist() == [5.0, 3.0]  # C left in 2022: not counted


def test_a_network_without_years_has_ties_but_none_new(small):
    flat = Network(small.nodes, small.edges.assign(year=pd.array([pd.NA] * 6, dtype="Int32")))
    panel = initiative_panel(flat, _record(), years=[2020, 2021])
    got = panel.pivot(index="indicator", columns="year", values="value")
    assert got.loc["new_ties"].tolist() == [0, 0]
    assert got.loc["ties_among_members"].tolist() == [2, 4]  # A-B, B-C; + A-D, B-D


def test_the_indicator_file_is_checked(tmp_path):
    bad = tmp_path / "g.toml"
    bad.write_text('[indicators.densty]\nname_en = "x"\nname_tr = "y"\ncriterion = "demand"\n'
                   'report = "z"\n[indicators.members]\nname_en = "M"\nname_tr = "Ü"\n'
                   'criterion = "size"\nreport = "r"\n', encoding="utf-8")
    with pytest.raises(KumenetError) as err:
        load_indicators(bad)
    assert "unknown indicator 'densty' (did you mean 'density'?)" in str(err.value)
    assert "members: criterion must be one of" in str(err.value)
    mine = tmp_path / "m.toml"
    mine.write_text('[indicators.density]\nname_en = "Yoğunluk"\nname_tr = "Yoğunluk"\n'
                    'criterion = "networking"\nreport = "Bakanlık 4.2"\n', encoding="utf-8")
    assert list(load_indicators(mine).table) == ["density"]


# -- the records -------------------------------------------------------------------------------

def test_who_may_write_and_read_an_initiative_and_every_write_is_audited(ws, people):
    ayse, mehmet, deniz, admin = (people[k] for k in ("ayse", "mehmet", "deniz", "admin"))
    wi.add_initiative(ws, ayse, "Samsun Medikal", start_year=2021, members=["F1", "F2"])
    with pytest.raises(NotAllowed):
        wi.add_members(ws, mehmet, "Samsun Medikal", ["F3"], "2022-01-01")
    with pytest.raises(NotAllowed):
        wi.add_activity(ws, deniz, "Samsun Medikal", "training", "Eğitim", "2022-01-01")
    with pytest.raises(NotLoggedIn):
        wi.get_initiative(ws, None, "Samsun Medikal")
    with pytest.raises(NotAllowed):
        wi.add_initiative(ws, mehmet, "Başka", start_year=2021, centre="samsun")
    wi.add_members(ws, admin, "samsun medikal", ["F3"], "2022-01-01")
    wi.end_membership(ws, ayse, "SAMSUN MEDİKAL", ["F1"], "2023-06-30")
    wi.add_activity(ws, ayse, "Samsun Medikal", "b2b_day", "Gün", "2023-04-01",
                    participants=["F2", "F3"])
    wi.record_figures(ws, ayse, "Samsun Medikal",
                      [{"actor": "F2", "year": 2023, "figure": "turnover", "value": 1.0}])
    done = wi.record_figures(ws, ayse, "Samsun Medikal",
                             [{"actor": "F2", "year": 2023, "figure": "turnover", "value": 2.0}])
    assert done == {"new": 0, "replaced": 1}
    seen = wi.get_initiative(ws, deniz, "Samsun Medikal")  # researchers read
    assert [(m["actor"], m["left"]) for m in seen["members"]] == [
        ("F1", date(2023, 6, 30)), ("F2", None), ("F3", None)]
    assert seen["figures"][0]["value"] == 2.0
    with ws.read() as conn:
        actions = [r.action for r in conn.execute(
            sa.select(audit.c.action).where(audit.c.record_type.in_(["initiative", "activity"]))
            .order_by(audit.c.id))]
    assert actions == ["create", "add_members", "add_members", "end_membership", "create",
                       "record_figures", "record_figures"]


def test_membership_is_checked(ws, people):
    ayse = people["ayse"]
    wi.add_initiative(ws, ayse, "Samsun Medikal", start_year=2021, members=["F1"])
    with pytest.raises(KumenetError, match="exists already"):
        wi.add_initiative(ws, ayse, "SAMSUN medikal", start_year=2021)
    with pytest.raises(KumenetError, match="already a member: F1"):
        wi.add_members(ws, ayse, "Samsun Medikal", ["F1"], "2022-01-01")
    with pytest.raises(KumenetError, match="before the initiative started"):
        wi.add_members(ws, ayse, "Samsun Medikal", ["F2"], "2019-01-01")
    with pytest.raises(KumenetError, match="not a member now: F9"):
        wi.end_membership(ws, ayse, "Samsun Medikal", ["F9"], "2022-01-01")
    with pytest.raises(KumenetError, match="is not after F1 joined"):
        wi.end_membership(ws, ayse, "Samsun Medikal", ["F1"], "2020-06-01")
    with pytest.raises(RecordNotFound, match="did you mean 'Samsun Medikal'"):
        wi.get_initiative(ws, ayse, "Samsun Medical")
    with pytest.raises(KumenetError, match="must be a date"):
        wi.add_activity(ws, ayse, "Samsun Medikal", "training", "x", "31.02.2022")


def test_introductions_of_members_count_in_the_panel_as_the_user_may_see_them(ws, people,
                                                                              pilot):
    ayse, mehmet = people["ayse"], people["mehmet"]
    wi.add_initiative(ws, ayse, "Örnek", start_year=2023, members=["F000001", "F000006"])
    records.create_introduction(ws, ayse, "F000001", "F000003", private=True)
    records.create_introduction(ws, ayse, "F000006", "F000010")
    year = datetime.now().year
    _, mine = read_panel(ws, pilot, ayse, "Örnek", years=[year])
    _, theirs = read_panel(ws, pilot, mehmet, "Örnek", years=[year])
    count = lambda p: p.set_index("indicator")["value"]["introductions"]  # noqa: E731
    assert (count(mine), count(theirs)) == (2, 1)  # another centre's private one is not seen


# -- the commands ------------------------------------------------------------------------------

def test_the_initiative_commands(tmp_path):
    where = str(tmp_path / "ws.db")
    pilot = "sample_networks/pilot"
    assert run("workspace", "init", "--workspace", where).exit_code == 0
    assert run("users", "add", "ayse", "--role", "staff", "--centre", "samsun",
               "--password-stdin", "--workspace", where, input=PASSWORD + "\n").exit_code == 0
    result = run("initiatives", "add", "Samsun Medikal Kümesi", pilot, "--as", "ayse",
                 "--start-year", "2021", "--province", "Samsun", "--sector", "32.50",
                 "--coordinator", "Samsun Ticaret ve Sanayi Odası",
                 "--cluster", "samsun tibbi cihazlar", "--workspace", where)
    assert result.exit_code == 0 and "(2021 yılından 60 üye)" in result.output, result.output
    result = run("initiatives", "add", "X", pilot, "--as", "ayse", "--start-year", "2021",
                 "--member", "Yildiz Medikl", "--workspace", where)
    assert result.exit_code == 1 and "did you mean" in result.output
    assert run("initiatives", "members", "Samsun Medikal Kumesi", pilot, "--as", "ayse",
               "--join", "F000300", "--on", "2023-03-01", "--workspace", where).exit_code == 0
    assert run("initiatives", "activity", "Samsun Medikal Kümesi", pilot, "--as", "ayse",
               "--kind", "b2b_day", "--title", "İkili görüşme <günü>", "--date", "2023-04-15",
               "--participant", "F000001", "--workspace", where).exit_code == 0
    figures = tmp_path / "rakam.csv"
    figures.write_text("Firma;Yıl;Ciro\nF000001;2023;abc\nF009999;2023;1\n ;2023;3\n"
                       "F000002;;4\n", encoding="utf-8")
    result = run("initiatives", "figures", "Samsun Medikal Kümesi", figures, pilot, "--as",
                 "ayse", "--workspace", where)
    assert result.exit_code == 1
    assert "rakam.csv, line 2, column 3 (Ciro): Ciro must be a number, not 'abc'" in result.output
    assert "rakam.csv, line 3, column 1 (Firma): no firm or institution named 'F009999'" in \
        result.output
    assert "rakam.csv, line 4, column 1 (Firma): empty member" in result.output
    assert "rakam.csv, line 5, column 2 (Yıl): empty year" in result.output  # not dropped
    figures.write_text("Firma;Yıl;Ciro\nF000001;2023;1.250.000,5\n", encoding="utf-8")
    assert run("initiatives", "figures", "Samsun Medikal Kümesi", figures, pilot, "--as",
               "ayse", "--workspace", where).exit_code == 0
    result = run("initiatives", "list", "--workspace", where)
    assert "Samsun Medikal Kümesi" in result.output and " 61 " in result.output
    page = tmp_path / "r.html"
    assert run("initiatives", "report", "Samsun Medikal Kümesi", pilot, "--workspace", where,
               "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "Samsun Medikal Kümesi: girişim göstergeleri" in html
    assert "İkili görüşme &lt;günü&gt;" in html and "<script" not in html
    assert "2023: 1.250.000" in html  # the reported turnover, written the Turkish way
    book = tmp_path / "r.xlsx"
    assert run("initiatives", "report", "Samsun Medikal Kümesi", pilot, "--workspace", where,
               "--lang", "en", "-o", book).exit_code == 0
    sheets = pd.read_excel(book, sheet_name=None)
    assert set(sheets) == {"panel", "explanations", "members", "activities"}
    assert sheets["panel"].set_index("indicator").loc["members", 2023] == 61
    kpis = tmp_path / "k.csv"
    assert run("initiatives", "kpis", pilot, "--workspace", where, "-o", kpis).exit_code == 0
    table = pd.read_csv(kpis)
    assert table.columns.tolist() == ["initiative", "year", "indicator", "value", "criterion"]
    row = table[(table["year"] == 2023) & (table["indicator"] == "turnover")]
    assert row["value"].tolist() == [1250000.5] and row["criterion"].tolist() == ["economic_impact"]
    result = run("initiatives", "report", "Samsun Medikal", pilot, "--workspace", where,
                 "-o", page)
    assert result.exit_code == 1 and "did you mean 'Samsun Medikal Kümesi'" in result.output


def test_the_migrations_build_the_schema_the_code_declares(backend):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kumenet.workspace.lists import init_workspace
    from kumenet.workspace.schema import metadata

    workspace, _, _ = init_workspace(backend)
    with workspace.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    workspace.close()


def test_a_workspace_of_the_first_schema_is_upgraded_with_a_backup(tmp_path):
    from alembic import command
    from alembic.config import Config

    from kumenet.workspace.db import Workspace

    old = Workspace(tmp_path / "old.db")
    config = Config()
    config.set_main_option("script_location", "kumenet.workspace:migrations")
    with old.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.commit()
    assert old.revision() == "0001"
    with pytest.raises(KumenetError, match="has schema 0001, older than this kumenet's "
                                           r"\(0002\): run kumenet workspace init"):
        old.check()
    found, backup = old.upgrade()
    assert (found, old.revision(), backup.exists()) == ("0001", "0002", True)
    old.check()
    old.close()


def test_evaluate_outcomes_counts_shown_acted_met_agreed_with_intervals(tmp_path):
    from kumenet.workspace.auth import add_user, login
    from kumenet.workspace.lists import init_workspace

    ws, _, _ = init_workspace(tmp_path / "ws.db")
    add_user(ws, "ayse", "staff", PASSWORD, centre="samsun")
    ayse = login(ws, "ayse", PASSWORD).user
    records.log_impressions(ws, ayse, [
        {"source": "F1", "target": f"F{i}", "rank": i, "strength": 5 if i < 5 else 3,
         "scope": "intra_region"} for i in range(2, 9)], "profile")
    met = records.create_introduction(ws, ayse, "F1", "F2", scope="intra_region", strength=5)
    for stage, extra in (("contacted", {"side": "both"}), ("accepted", {}),
                         ("meeting_planned", {"details": {"meeting_at": "2025-03-12T10:00",
                                                          "online": True}}),
                         ("met", {})):
        records.add_event(ws, ayse, met["id"], stage, **extra)
    no = records.create_introduction(ws, ayse, "F1", "F3", scope="intra_region", strength=5)
    records.add_event(ws, ayse, no["id"], "declined", side="b", reason="competitor")
    late = records.create_introduction(ws, ayse, "F1", "F6", scope="intra_region", strength=3)
    records.add_event(ws, ayse, late["id"], "declined", side="a", reason="timing")
    out = tmp_path / "o.csv"
    result = run("evaluate", "--outcomes", "--workspace", ws.path, "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index(["by", "group"])
    scope = table.loc[("scope", "intra_region")]
    assert (scope["shown"], scope["acted"], scope["met"], scope["agreed"],
            scope["declined_pair"]) == (7, 3, 1, 0, 1)  # "timing" says nothing of the pair
    five = table.loc[("strength", "5")]
    assert (five["shown"], five["acted"], five["met"]) == (3, 2, 1)
    assert five["met_rate_low"] < five["met_rate"] == 0.5 < five["met_rate_high"]
    result = run("evaluate", "sample_networks/pilot", "--outcomes", "--workspace", ws.path)
    assert result.exit_code == 2 and "without DATA" in result.output
