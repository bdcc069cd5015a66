"""Suggestions that learn from outcomes: the labels, the correction for where staff looked
(a simulation where the truth is known), the fallback to the network scorer, no leak of the
outcome ties into the features, and the commands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kumenet.app.matching import learned_reranker, learning_table, pair_features
from kumenet.graph.network import Network
from kumenet.matching.outcomes import (learn_from_outcomes, outcome_grades, position_propensity,
                                       simulate_outcomes)
from tests.test_cli import run


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_weighted_reranker_recovers_the_hidden_rule(seed):
    """Firms accept by a rule the network score does not know; staff act on the top of the
    list. On the held-out year the propensity-weighted re-ranker ranks what firms would
    answer better than the network scorer and than the same re-ranker unweighted."""
    got = simulate_outcomes(seed)
    assert got["took_over_reranker"]
    assert got["auc_reranker"] > got["auc_unweighted"] + 0.04, got
    assert got["auc_reranker"] > got["auc_network"] + 0.2, got
    explored = simulate_outcomes(seed, explore=True)
    assert explored["auc_reranker"] >= got["auc_reranker"] - 0.005, (got, explored)


def test_same_seed_same_figures():
    assert simulate_outcomes(4, lists=200) == simulate_outcomes(4, lists=200)


def test_outcomes_become_labels_the_way_the_programme_reads_them(tmp_path):
    from kumenet.workspace.auth import add_user, login
    from kumenet.workspace.lists import init_workspace
    from kumenet.workspace.records import add_event, create_introduction, log_impressions

    ws, _, _ = init_workspace(tmp_path / "ws.db")
    add_user(ws, "ayse", "staff", "uzun-bir-parola", centre="samsun")
    me = login(ws, "ayse", "uzun-bir-parola").user
    log_impressions(ws, me, [{"source": "F1", "target": f"F{i}", "rank": i} for i in range(2, 9)],
                    "profile")

    def walk(target, *steps):
        intro = create_introduction(ws, me, "F1", target)
        for stage, extra in steps:
            add_event(ws, me, intro["id"], stage, **extra)

    met = [("contacted", {"side": "both"}), ("accepted", {}),
           ("meeting_planned", {"details": {"meeting_at": "2025-03-12T10:00", "online": True}}),
           ("met", {})]
    walk("F2", *met, ("agreement", {"details": {"kind": "supply"}}))
    walk("F3", *met, ("follow_up", {"details": {"rating": "valuable_contact"}}))
    walk("F4", *met)
    walk("F5", ("declined", {"side": "b", "reason": "competitor"}))
    walk("F6", ("declined", {"side": "b", "reason": "already_in_contact"}))
    walk("F7", ("declined", {"side": "a", "reason": "timing"}))
    table = learning_table(ws)  # F8 was shown and never acted on: not there at all
    grades = dict(zip(table["target"], outcome_grades(table)))
    assert set(grades) == {"F2", "F3", "F4", "F5", "F6", "F7"}
    assert {k: v for k, v in grades.items() if v == v} == {"F2": 3, "F3": 2, "F4": 1, "F5": 0}
    assert dict(zip(table["target"], table["rank"]))["F5"] == 5  # where it was shown


def test_the_network_scorer_stays_until_the_reranker_has_earned_it():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    noise = rng.random(300) < 0.5
    learned = learn_from_outcomes(X, noise.astype(float), np.ones(300), np.arange(300), X[:, 0],
                                  np.full(5, 0.5))
    assert learned.reranker is None and "does not beat the network scorer" in learned.reason
    few = learn_from_outcomes(X[:50], noise[:50].astype(float), np.ones(50), np.arange(50),
                              X[:50, 0], np.full(5, 0.5))
    assert few.reason.startswith("only 50 outcomes are labels so far")


def test_propensities_never_rise_down_the_list():
    shown = np.repeat(np.arange(1, 11), 50)
    acted = np.repeat(np.arange(1, 11), [30, 20, 12, 12, 14, 5, 3, 2, 1, 1])
    p = position_propensity(shown, acted, top=10)
    assert (np.diff(p) <= 0).all() and p[0] > 0.5


def test_the_features_of_an_introduced_pair_never_see_the_ties_after_it():
    nodes = pd.DataFrame({"id": list("ABCD"), "kind": "firm", "province": "Samsun",
                          "sector": "32.50"})
    edges = pd.DataFrame({"source": ["A", "B", "A"], "target": ["B", "C", "D"],
                          "layer": "collaboration", "year": [2019, 2022, 2020]})
    net = Network.from_frames(nodes, edges)
    before, after = pair_features(net, ["A", "A"], ["C", "C"], [2021, 2022])
    assert before[1] == 0 and after[1] == 1  # the shared partner B came in 2022


def test_match_learns_from_a_workspace_or_says_why_not_and_explores(tmp_path):
    from kumenet.workspace.lists import init_workspace

    ws, _, _ = init_workspace(tmp_path / "ws.db")
    ws.close()
    result = run("match", "sample_networks/pilot", "--firm", "F000001", "--top", "4",
                 "--learn-from", tmp_path / "ws.db", "--explore", "--lang", "en", "--format",
                 "csv")
    assert result.exit_code == 0
    assert "only 0 outcomes are labels so far; the re-ranker needs 100: the network scorer " \
           "stays" in result.output
    rows = [line for line in result.stdout.splitlines()[1:] if line]
    assert len(rows) == 4 and rows[-1].endswith(",True") and \
        not any(r.endswith(",True") for r in rows[:-1])
    plain = run("match", "sample_networks/pilot", "--firm", "F000001", "--top", "4",
                "--lang", "en", "--format", "csv").stdout.splitlines()
    assert [r.split(",")[2] for r in plain[1:4]] == [r.split(",")[2] for r in rows[:3]]
    assert rows[-1].split(",")[2] not in {r.split(",")[2] for r in plain[1:]}


def test_learning_from_the_demo_workspace(tmp_path, pilot):
    """The demo's sample outcomes follow the network scorer's strength, so a re-ranker of
    other features cannot beat it: it stays, and the figures say so."""
    from kumenet.app.analysis import analyse
    from kumenet.app.workspace import demo_workspace

    a = analyse(pilot, suggestions=True, lang="tr")
    demo_workspace(pilot, a.suggestions_in("tr"), tmp_path / "demo.db")
    from kumenet.workspace.db import Workspace

    ws = Workspace(tmp_path / "demo.db")
    learned = learned_reranker(ws, pilot)
    assert learned.figures["outcomes"] >= 100
    assert learned.reranker is None and "does not beat the network scorer" in learned.reason


def test_the_portal_explores_and_reranks_with_a_workspace(pilot_snapshot, pilot, tmp_path,
                                                          monkeypatch):
    """With the exploration setting, each list's last slot holds a candidate from below the
    cut, marked, the same all day, logged as exploratory; with a re-ranker that has earned
    it, the lists are re-ordered from the list and the candidates below it."""
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from kumenet.app import workspace as desk
    from kumenet.app.matching import OUTCOME_FEATURES
    from kumenet.matching.outcomes import Learned, Reranker
    from kumenet.web.app import create_app
    from kumenet.workspace.auth import COMMAND_LINE
    from kumenet.workspace.db import Workspace
    from kumenet.workspace.lists import change_setting, init_workspace
    from kumenet.workspace.schema import impressions

    ws, _, _ = init_workspace(tmp_path / "ws.db")
    change_setting(ws, COMMAND_LINE, "exploration", 1)
    client = TestClient(create_app(pilot_snapshot, workspace=str(tmp_path / "ws.db")))
    before = client.get("/api/actor/F000010?lang=tr").json()["suggestions"]
    assert all(rows[-1].get("exploratory") and not any(r.get("exploratory") for r in rows[:-1])
               for rows in before.values())
    again = client.get("/api/actor/F000010?lang=tr").json()["suggestions"]
    assert [r["target"] for rows in again.values() for r in rows] == \
        [r["target"] for rows in before.values() for r in rows]
    page = client.get("/actor/F000010?lang=tr").text
    assert page.count('class="kp-explore"') == len(before)
    with ws.read() as conn:
        logged = conn.execute(sa.select(sa.func.count()).where(
            impressions.c.scorer == "exploratory")).scalar()
    assert logged == 3 * len(before)  # three pages shown
    change_setting(ws, COMMAND_LINE, "exploration", 0)
    fewer_shared = Reranker(OUTCOME_FEATURES, np.zeros(7), np.ones(7),
                            np.array([-1.0, 0, 0, 0, 0, 0, 0]), 0.0)
    monkeypatch.setattr(desk, "_learned",
                        lambda ws, snap: Learned(fewer_shared, "test", {"outcomes": 500}))
    shown = client.get("/api/actor/F000010?lang=tr").json()["suggestions"]
    plain = client.get("/api/actor/F000010?lang=tr&year=2024").json()["suggestions"]
    changed = 0
    for scope, rows in shown.items():
        assert [r["rank"] for r in rows] == [1, 2, 3] and {r["scorer"] for r in rows} == \
            {"outcomes"}
        shared = pair_features(pilot, ["F000010"] * 3, [r["target"] for r in rows])[:, 0]
        assert (np.diff(shared) >= 0).all()  # fewest shared partners first, as it prefers
        changed += [r["target"] for r in rows] != [r["target"] for r in plain[scope]]
    assert changed >= 1
    Workspace(tmp_path / "ws.db").close()
