"""The workspace's pages over the portal's snapshot: actors named and placed, records of
actors a refreshed network no longer holds kept and flagged, filters by province and sector,
the shortlist's files, a meeting's calendar file."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kumenet.app import portal
from kumenet.app import workspace as desk
from kumenet.workspace import records


@pytest.fixture(scope="module")
def snap(pilot_snapshot):
    s = portal.Snapshot(pilot_snapshot)
    yield s
    s.close()


def test_records_of_actors_gone_from_the_network_are_kept_and_flagged(ws, people, snap):
    ayse = people["ayse"]
    kept = desk.new_introduction(ws, snap, ayse, "F000001", "F000002")
    assert kept["scope"] == "intra_regional"
    gone = records.create_introduction(ws, ayse, "F000001", "F999999")  # a firm since removed
    page = desk.desk(ws, snap, ayse, "tr", "open")
    rows = {r["id"]: r for r in page["rows"]}
    assert rows[gone["id"]]["target_missing"] and rows[gone["id"]]["target_name"] == "F999999"
    assert not rows[kept["id"]]["target_missing"]
    assert rows[kept["id"]]["source_name"] == "Yıldız Medikal San. Tic. Ltd. Şti."
    with pytest.raises(records.RecordNotFound, match="no actor with id 'F999999'"):
        desk.new_introduction(ws, snap, ayse, "F000001", "F999999")
    # filters by the actors' province and sector
    samsun = desk.desk(ws, snap, ayse, "tr", "all", province="Samsun")
    assert {r["id"] for r in samsun["rows"]} == {kept["id"], gone["id"]}
    assert desk.desk(ws, snap, ayse, "tr", "all", province="Trabzon")["total"] == 0
    assert desk.desk(ws, snap, ayse, "tr", "all", sector="32")["total"] == 2


def test_a_suggested_pair_carries_its_rank_and_score(ws, people, snap):
    row = snap.rows("SELECT source, target, rank, score, strength, scope FROM suggestions "
                    "LIMIT 1")[0]
    made = desk.new_introduction(ws, snap, people["ayse"],
                                 row["source"], row["target"])
    assert made["origin"] == "suggestion" and made["rank"] == row["rank"]
    assert made["strength"] == row["strength"] and made["scope"] == row["scope"]


def test_the_shortlist_files_and_a_meeting_in_the_calendar(ws, people, snap):
    ayse = people["ayse"]
    one = desk.new_introduction(ws, snap, ayse, "F000001", "F000003")
    for lang, first in (("tr", "Firma"), ("en", "Firm")):
        book = openpyxl.load_workbook(io.BytesIO(desk.shortlist_file(ws, snap, ayse, lang,
                                                                     "xlsx")))
        assert book.active.cell(1, 2).value == first and book.active.max_row == 2
    text = desk.shortlist_file(ws, snap, ayse, "tr", "csv").decode("utf-8")
    assert text.startswith("\ufeffkimlik;Firma;") and "Yıldız Medikal" in text
    records.add_event(ws, ayse, one["id"], "contacted", side="both")
    records.add_event(ws, ayse, one["id"], "accepted")
    records.add_event(ws, ayse, one["id"], "meeting_planned",
                      details={"meeting_at": "2025-03-20T10:00:00+03:00",
                               "place": "Samsun TSO, toplantı salonu; 2. kat", "minutes": 90})
    ics = desk.meeting_ics(ws, snap, ayse, one["id"])
    assert "DTSTART:20250320T070000Z" in ics and "DTEND:20250320T083000Z" in ics  # UTC
    assert "LOCATION:Samsun TSO\\, toplantı salonu\\; 2. kat" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
