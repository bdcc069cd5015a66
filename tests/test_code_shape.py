"""How the code reads: no function of the library longer than 80 lines (a function that
long does several things; each gets its own name)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kumenet"
LIMIT = 80


def test_no_function_is_longer_than_80_lines():
    """Code lines only: a function's docstring (its numpydoc sections and examples) is
    documentation, and the reference asks for more of it, not less."""
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:  # Alembic's generated revisions
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                        isinstance(first.value.value, str):
                    length -= first.end_lineno - first.lineno + 1
                if length > LIMIT:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} "
                                f"({length} lines)")
    assert long == []


#: Subpackages whose public functions are listed in each module's ``__all__`` with an example
#: that runs (a doctest). The command line's commands and the portal's routes are documented
#: by their ``--help`` and the OpenAPI description (/docs) instead.
DOCUMENTED = ("graph", "matching", "regional", "data", "viz", "app", "workspace")
NOT_DOCTESTED = {"workspace/migrations"}


def test_public_functions_are_listed_and_have_an_example():
    missing = []
    for sub in DOCUMENTED:
        for path in sorted((PACKAGE / sub).rglob("*.py")):
            rel = str(path.relative_to(PACKAGE))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            listed = [n for n in tree.body if isinstance(n, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)]
            public = [n for n in tree.body if isinstance(n, ast.FunctionDef)
                      and not n.name.startswith("_")]
            if not public or any(rel.startswith(x) for x in NOT_DOCTESTED):
                continue
            names = set(ast.literal_eval(listed[0].value)) if listed else set()
            if not listed:
                missing.append(f"{rel}: no __all__")
                continue
            for node in public:
                if node.name in names and ">>>" not in (ast.get_docstring(node) or ""):
                    missing.append(f"{rel}: {node.name} has no example")
    assert missing == []
