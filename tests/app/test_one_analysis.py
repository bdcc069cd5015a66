"""One analysis, shown everywhere: the pilot's outputs are what they were before the
analysis was computed once, and the drawing code computes no measure."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest

from tests.app.outputs import GOLDEN, pilot_outputs

PACKAGE = Path(__file__).resolve().parents[2] / "kumenet"


def test_the_pilot_outputs_are_unchanged(tmp_path, monkeypatch):
    """The demo's tables and pages, both reports and every snapshot table, digested, equal
    the digests taken before the demo, the report and the snapshot shared one analysis."""
    monkeypatch.setenv("KUMENET_CACHE_DIR", str(tmp_path / "cache"))
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = pilot_outputs(tmp_path)
    assert sorted(now) == sorted(golden)
    moved = {k: (golden[k], now[k]) for k in golden if golden[k] != now[k]}
    assert not moved, f"outputs changed: {sorted(moved)}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("path", sorted((PACKAGE / "viz").glob("*.py")), ids=lambda p: p.name)
def test_drawing_code_computes_no_measure(path):
    """viz draws what it is handed: communities, metrics and evaluations come from
    kumenet.app (kumenet.app.analysis, kumenet.app.maps)."""
    forbidden = ("kumenet.graph.metrics", "kumenet.graph.communities", "kumenet.matching",
                 "kumenet.regional", "kumenet.app")
    found = {m for m in _imports(path) if m.startswith(forbidden)}
    assert not found, f"{path.name} imports {sorted(found)}"


def test_an_analysis_holds_what_the_library_computes(pilot):
    from kumenet.app.analysis import analyse
    from kumenet.graph.communities import communities, firm_layers
    from kumenet.graph.metrics import node_metrics

    a = analyse(pilot, lang=("tr", "en"))
    assert a.parameters == {"year": None, "seed": 0, "langs": ("tr", "en"),
                            "dataset": "tr-nuts2-employment", "dataset_year": 2019,
                            "layers": ["supply", "collaboration"]}
    assert np.array_equal(a.membership, communities(pilot, "leiden", layers=firm_layers(pilot),
                                                    seed=0).membership)
    assert a.metrics.equals(node_metrics(pilot))
    tr, en = a.suggestions_in("tr"), a.suggestions_in("en")
    assert tr.columns.tolist() == en.columns.tolist() and "reason" in tr
    assert (tr[["source", "target", "rank"]].equals(en[["source", "target", "rank"]]))
    assert not tr["reason"].equals(en["reason"])
    firms = set(pilot.nodes.loc[pilot.nodes["kind"] == "firm", "id"])
    assert set(tr["source"]) <= firms
    assert len(a.suggestions_in("tr", kind=None)) == len(a.suggestions)
    with pytest.raises(AttributeError):
        a.seed = 1  # frozen


def test_an_analysis_as_of_a_year(pilot):
    from kumenet.app.analysis import analyse
    from kumenet.errors import KumenetError

    first, last = pilot.years()
    a = analyse(pilot, year=first + 1, suggestions=False)
    assert a.net.n_edges < pilot.n_edges and a.suggestions is None
    with pytest.raises(KumenetError, match="suggestions"):
        a.suggestions_in("tr")
    with pytest.raises(KumenetError):
        analyse(pilot, year=first - 5)
    with pytest.raises(KumenetError, match="no year 1990"):
        analyse(pilot, dataset_year=1990, suggestions=False)


@pytest.mark.parametrize("path", sorted((PACKAGE / "web").glob("*.py")), ids=lambda p: p.name)
def test_the_web_layer_draws_nothing_and_runs_no_sql(path):
    """web routes requests to kumenet.app and renders its templates: no drawing, no query
    (kumenet.app.portal holds the snapshot's SQL, kumenet.app.workspace the workspace's)."""
    forbidden = ("kumenet.viz", "kumenet.sql", "kumenet.graph", "kumenet.matching",
                 "kumenet.regional", "kumenet.workspace", "duckdb", "sqlalchemy")
    found = {m for m in _imports(path) if m.startswith(forbidden)}
    assert not found, f"{path.name} imports {sorted(found)}"
    strings = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if s.lstrip().upper().startswith(("SELECT ", "WITH "))]


def test_the_portal_is_routers_at_module_level():
    """The pages are routes of module-level routers taking the snapshot as a dependency; the
    app factory only assembles them."""
    from kumenet.web import app as web

    paths = {r.path for r in web.pages.routes}
    assert {"/", "/api/actor/{actor_id}", "/cluster/{name}/brief", "/sql"} <= paths
    assert {r.path for r in web.docs_and_static.routes} == {"/docs", "/static/{name}"}
    source = (PACKAGE / "web" / "app.py").read_text(encoding="utf-8")
    factory = next(n for n in ast.parse(source).body
                   if isinstance(n, ast.FunctionDef) and n.name == "create_app")
    assert factory.end_lineno - factory.lineno < 40
