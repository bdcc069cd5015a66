"""``kumenet workspace ...`` and ``kumenet users ...`` as a centre uses them: set up, accounts,
the centre's old Excel log brought in (and refused with file, sheet, line and column when
wrong), everything exported, the audit log, a backup while in use, a pilot's SQLite workspace
copied into PostgreSQL without losing a row."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from kumenet.cli import cli
from tests.conftest import PILOT
from tests.workspace.conftest import PASSWORD


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


@pytest.fixture
def centre(tmp_path):
    where = tmp_path / "centre.db"
    result = run("workspace", "init", "--workspace", where)
    assert result.exit_code == 0, result.output
    assert f"çalışma alanı oluşturuldu: {where} (şema 0002)" in result.output
    result = run("users", "add", "ayse", "--role", "staff", "--centre", "samsun",
                 "--display-name", "Ayşe Yılmaz", "--password-stdin", "--workspace", where,
                 input=PASSWORD + "\n")
    assert result.exit_code == 0 and "ayse eklendi (staff, samsun)" in result.output
    return where


def test_init_users_and_a_second_init(centre, tmp_path):
    again = run("workspace", "init", "--workspace", centre)
    assert again.exit_code == 0 and "zaten güncel" in again.output
    listed = run("users", "list", "--workspace", centre)
    assert "ayse" in listed.output and "Ayşe Yılmaz" in listed.output and "samsun" in \
        listed.output
    bad = run("users", "add", "x", "--role", "staff", "--password-stdin", "--workspace",
              centre, input=PASSWORD + "\n")
    assert bad.exit_code == 1 and "belongs to a centre" in bad.output
    short = run("users", "add", "y", "--role", "admin", "--password-stdin", "--workspace",
                centre, input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert run("users", "disable", "ayse", "--workspace", centre).exit_code == 0
    assert "False" in run("users", "list", "--workspace", centre).output
    assert run("users", "enable", "ayse", "--workspace", centre).exit_code == 0
    reset = run("users", "reset-password", "ayse", "--password-stdin", "--workspace", centre,
                input="another long passphrase\n")
    assert reset.exit_code == 0
    missing = run("workspace", "export", "--workspace", tmp_path / "none.db", "-o",
                  tmp_path / "x.xlsx")
    assert missing.exit_code == 1 and "is not a kumenet workspace yet: run kumenet " \
        "workspace init" in missing.output


def log_book(path, rows, sheet="Görüşmeler"):
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append(["Tarih", "Firma", "Görüşülen Firma", "Durum", "Taraf", "Red Nedeni",
                        "Görüşme Tarihi", "Yer", "Not"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_centres_excel_log_is_brought_in(centre, tmp_path):
    good = log_book(tmp_path / "kayitlar.xlsx", [
        [dt.datetime(2024, 3, 1), "F000001", "Uçar Makina Ltd. Şti.", "Kısa liste", None,
         None, None, None, "fuarda konuşuldu"],
        [dt.datetime(2024, 3, 4), "F000001", "uçar makina ltd. şti.", "Arandı", "ikisi",
         None, None, None, "12.03'te geri dönecekler"],
        ["15.03.2024", "F000001", "F000010", "kabul", None, None, None, None, None],
        ["16.03.2024", "F000001", "F000010", "Görüşme planlandı", None, None,
         "20.03.2024 10:00", "Samsun TSO", None],
        [dt.datetime(2024, 3, 2), "Havza Medikal San. ve Tic. A.Ş.", "F000003", "arandı", "A",
         None, None, None, None],
        [dt.datetime(2024, 4, 2), "F000002", "F000003", "Red", "B", "rakip", None, None, None],
    ])
    result = run("workspace", "import", good, PILOT, "--as", "ayse", "--workspace", centre)
    assert result.exit_code == 0, result.output
    assert "alındı: 2 tanıştırma, 5 adım" in result.output
    from kumenet.workspace.db import Workspace
    from kumenet.workspace.schema import events, introductions

    ws = Workspace(centre)
    with ws.read() as conn:
        stages = dict(conn.execute(sa.select(introductions.c.target,
                                             introductions.c.stage)).all())
        first = conn.execute(sa.select(sa.func.min(events.c.at))).scalar()
    assert stages == {"F000010": "meeting_planned", "F000003": "declined"}
    assert first == dt.datetime(2024, 3, 1)
    # a wrong log: every problem with its sheet, line and column, nothing written
    bad = log_book(tmp_path / "hatali.xlsx", [
        ["31.02.2024", "F000001", "F000020", "Kısa liste", None, None, None, None, None],
        [dt.datetime(2024, 3, 1), "Yildiz Medikl", "F000021", "Kısa liste", None, None, None,
         None, None],
        [dt.datetime(2024, 3, 1), "F000001", "F000022", "belki", None, None, None, None, None],
        [dt.datetime(2024, 3, 1), "F000001", "F000023", "Red", "A", None, None, None, None],
        [dt.datetime(2024, 3, 1), "F000001", "F000024", "anlaşma", None, None, None, None, None],
    ])
    result = run("workspace", "import", bad, PILOT, "--as", "ayse", "--workspace", centre)
    assert result.exit_code == 1
    said = result.output
    for part in ("sheet Görüşmeler, line 2, column A (Tarih): '31.02.2024' is not a date",
                 "line 3, column B (Firma): no firm or institution named 'Yildiz Medikl' "
                 "(did you mean",
                 "line 4, column D (Durum): unknown stage 'belki'",
                 "line 5, column F (Red Nedeni): a decline needs its reason",
                 "line 6, column D (Durum): agreement cannot follow shortlisted"):
        assert part in said, (part, said)
    with ws.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(introductions)).scalar() == 2
    ws.close()


def test_export_audit_and_backup(centre, tmp_path):
    from kumenet.workspace import records
    from kumenet.workspace.auth import login, session_user
    from kumenet.workspace.db import Workspace

    ws = Workspace(centre)
    ayse = session_user(ws, login(ws, "ayse", PASSWORD).token)[0]
    intro = records.create_introduction(ws, ayse, "F000001", "F000002", note="bir not")
    records.add_note(ws, ayse, "F000001", "özel not", "private")
    records.add_contact(ws, ayse, "F000001", name="Ali Veli", consent=True)
    out = tmp_path / "hepsi.xlsx"
    result = run("workspace", "export", "--workspace", centre, "-o", out)
    assert result.exit_code == 0 and f"yazıldı: {out}" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["introductions", "events", "notes", "contacts", "audit"]
    assert book["introductions"].max_row == 2 and book["contacts"].max_row == 2
    mine = tmp_path / "ayse.xlsx"
    assert run("workspace", "export", "--workspace", centre, "-o", mine, "--as",
               "ayse").exit_code == 0
    assert "audit" not in openpyxl.load_workbook(mine).sheetnames
    audit = tmp_path / "audit.csv"
    assert run("workspace", "audit", "--workspace", centre, "-o", audit).exit_code == 0
    text = audit.read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("id;at;user_id;username;action;record_type")
    assert intro["id"] in text and "Ali Veli" not in text  # ids only for persons
    copy = tmp_path / "backup.db"
    assert run("workspace", "backup", "--workspace", centre, "-o", copy).exit_code == 0
    from kumenet.workspace.records import get_introduction

    again = Workspace(copy)
    assert get_introduction(again, ayse, intro["id"])["events"][0]["note"] == "bir not"
    again.close()
    ws.close()


def test_a_sqlite_workspace_copies_into_postgresql_losslessly(centre, postgres, tmp_path):
    from kumenet.workspace import records
    from kumenet.workspace.auth import login, session_user
    from kumenet.workspace.db import Workspace
    from kumenet.workspace.schema import ORDER, metadata
    from tests.workspace.test_records import journey

    ws = Workspace(centre)
    ayse = session_user(ws, login(ws, "ayse", PASSWORD).token)[0]
    journey(ws, ayse, "F000001", "F000002")
    records.create_introduction(ws, ayse, "F000001", "F000003", group=("F000004",),
                                private=True, note="çok taraflı")
    records.add_note(ws, ayse, "F000001", "İğdır'dan ÇŞĞÜÖı notu", "national")
    person = records.add_contact(ws, ayse, "F000001", name="Ali Veli", consent=True)
    records.erase_contact(ws, ayse, person["id"])
    records.log_impressions(ws, ayse, [{"source": "F000001", "target": "F000009", "rank": 1,
                                        "score": 0.25}], "profile")
    url = postgres.url()
    result = run("workspace", "copy", centre, url)
    assert result.exit_code == 0, result.output
    assert "içine kopyalandı:" in result.output and "introductions" in result.output
    target = Workspace(url)

    def dump(w):
        out = {}
        with w.read() as conn:
            for name in ORDER:
                table = metadata.tables[name]
                rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
                out[name] = [dict(r) for r in rows.mappings()]
        return out

    assert dump(ws) == dump(target)
    # the copy goes on working: its sequences moved past the copied keys, its logs stay closed
    records.log_impressions(target, ayse, [{"source": "F1", "target": "F2"}], "profile")
    with pytest.raises(sa.exc.DBAPIError):
        with target.write() as conn:
            conn.exec_driver_sql("DELETE FROM audit")
    again = run("workspace", "copy", centre, url)
    assert again.exit_code == 1 and "is not empty" in again.output
    target.close()
    ws.close()


def test_rows_picked_from_a_suggestion_or_consortium_table_are_shortlisted(centre, tmp_path):
    suggestions = tmp_path / "s.csv"
    assert run("match", PILOT, "--firm", "F000001", "--top", "3", "--method", "adamic_adar",
               "-o", suggestions).exit_code == 0
    result = run("workspace", "shortlist", suggestions, PILOT, "--as", "ayse", "--workspace",
                 centre)
    assert result.exit_code == 0 and "3 tanıştırma kısa listeye alındı" in result.output
    consortia = tmp_path / "c.csv"
    assert run("match", PILOT, "--firm", "F000010", "--consortium", "-o",
               consortia).exit_code == 0
    result = run("workspace", "shortlist", consortia, PILOT, "--as", "ayse", "--workspace",
                 centre)
    assert result.exit_code == 0, result.output
    from kumenet.workspace.db import Workspace
    from kumenet.workspace.schema import introductions, members

    ws = Workspace(centre)
    with ws.read() as conn:
        rows = conn.execute(sa.select(introductions.c.origin, introductions.c.rank)).all()
        grouped = conn.execute(sa.select(sa.func.count()).select_from(members)).scalar()
    assert sorted(r.rank for r in rows if r.origin == "suggestion") == [1, 2, 3]
    assert any(r.origin == "consortium" for r in rows) and grouped >= 1
    ws.close()
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\nF000001,F999999\n", encoding="utf-8")
    refused = run("workspace", "shortlist", bad, PILOT, "--as", "ayse", "--workspace", centre)
    assert refused.exit_code == 1 and "bad.csv, line 2, column 2 (target): 'F999999' is not " \
        "an actor of the network" in refused.output
