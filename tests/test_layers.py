"""Each box knows only the boxes below it (../shared/DESIGN.md, Layout):
(cli, web) -> app -> (viz, matching, regional, workspace) -> graph -> data; viz, matching,
regional and workspace never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kumenet"
# box -> the boxes it may import (besides itself and the shared modules below every box)
ALLOWED = {
    "cli": {"app", "web", "viz", "matching", "regional", "workspace", "graph", "data"},
    "web": {"app", "viz", "graph", "data"},
    "app": {"viz", "matching", "regional", "workspace", "graph", "data"},
    "workspace": {"graph", "data"},
    "viz": {"graph", "data"},
    "matching": {"graph", "data"},
    "regional": {"graph", "data"},
    "graph": {"data"},
    "data": set(),
}
SHARED = {"errors", "text", "messages", "files", "memory", "engine", "arrays", "output", "sql",
          "choices",
          "seen", "said",
          "__init__", "__main__"}


def box_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "kumenet":
            found |= {a.name for a in node.names}  # from kumenet import output
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kumenet."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kumenet.")}
    return found


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_box_imports_only_the_boxes_below_it(path):
    box = box_of(path)
    if box in SHARED:
        return
    wrong = {b for b in imports(path) - {box} - SHARED if b not in ALLOWED.get(box, set())}
    assert not wrong, f"{path.relative_to(PACKAGE)} ({box}) imports {sorted(wrong)}"


def test_shared_modules_import_no_box_above_data():
    for name in SHARED - {"__init__", "__main__"}:
        path = PACKAGE / f"{name}.py"
        if path.exists():
            assert imports(path) - SHARED - {"data", "graph"} == set(), name
