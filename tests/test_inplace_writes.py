"""No array taken from a table is read after the table is written in place.

pandas' copy-on-write does not follow the numpy arrays it hands out: ``a = frame["u"].to_numpy()``
is a view, and ``frame.loc[mask, "u"] = ...`` writes into the memory ``a`` shows. The map once
drew ties written ``B,A`` as loops this way (the first end written, then read by the second).
The class is ruled out by what the package's source may say, checked here:

- no ``.loc``, ``.iloc``, ``.at`` or ``.iat`` assignment anywhere (in-place writes into a
  table); a column is replaced whole (``frame[col] = ...``, ``.mask``, ``.where``), which gives
  it a new array and leaves every view taken before it as it was;
- a function that takes arrays out of a table or series (``.to_numpy()``, ``.values``,
  ``.array``) writes into it only whole columns: ``x["name"] = ...``, ``x[f"..."] = ...`` or
  ``x[name] = ...`` with ``name`` a loop's variable over column names, never ``x[mask] = ...``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kumenet"
IN_PLACE = ("loc", "iloc", "at", "iat")


def _base(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node


def _viewed(function: ast.AST) -> set[str]:
    """Names whose arrays the function takes (``x.to_numpy()``, ``x[c].values``, ...)."""
    called = {id(n.func) for n in ast.walk(function) if isinstance(n, ast.Call)}
    names = set()
    for node in ast.walk(function):
        taken = (isinstance(node, ast.Attribute) and node.attr == "to_numpy") or (
            isinstance(node, ast.Attribute) and node.attr in ("values", "array")
            and id(node) not in called)
        if taken and isinstance(_base(node.value), ast.Name):
            names.add(_base(node.value).id)
    return names


def _loop_names(function: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, (ast.For, ast.comprehension)):
            names |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    return names


def _is_column(key: ast.AST, loop_names: set[str]) -> bool:
    return (isinstance(key, ast.Constant) and isinstance(key.value, str)) or \
        isinstance(key, ast.JoinedStr) or (isinstance(key, ast.Name) and key.id in loop_names)


def problems(source: str, where: str = "") -> list[str]:
    """The in-place writes ``source`` makes that the rules above refuse."""
    tree = ast.parse(source)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            continue
        viewed, loops = _viewed(function), _loop_names(function)
        for node in ast.walk(function):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                for sub in ast.walk(target):
                    if not isinstance(sub, ast.Subscript):
                        continue
                    line = f"{where}:{sub.lineno}: {ast.unparse(target)}"
                    if isinstance(sub.value, ast.Attribute) and sub.value.attr in IN_PLACE:
                        found.append(f"{line} (writes into a table in place)")
                    elif isinstance(sub.value, ast.Name) and sub.value.id in viewed and \
                            not _is_column(sub.slice, loops):
                        found.append(f"{line} (writes into {sub.value.id}, whose arrays "
                                     "this function takes)")
    return sorted(set(found))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_table_is_written_in_place(path):
    assert problems(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))) == []


def test_the_rules_catch_the_map_s_old_self_loops():
    old = '''
def draw(ties):
    a, b = ties["u"].to_numpy(), ties["v"].to_numpy()
    ties.loc[undirected, "u"] = np.minimum(a, b)[undirected]
    ties.loc[undirected, "v"] = np.maximum(a, b)[undirected]
'''
    masked = '''
def label(labels):
    before = labels.to_numpy()
    labels[labels.isna()] = None
'''
    whole = '''
def features(f, want):
    f["score"] = f["aa"].to_numpy() * 2
    for name in want:
        f[name] = 0
    f[f"rank_{name}"] = 1
'''
    assert len(problems(old)) == 2
    assert len(problems(masked)) == 1
    assert problems(whole) == []
