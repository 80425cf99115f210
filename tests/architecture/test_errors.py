"""Every error a user can meet is a named kind of CompetencyError, defined in errors.py."""

from __future__ import annotations

import ast

from tests.architecture._modules import PACKAGE, modules


def _raised_names(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            found.append((node.lineno, name))
    return found


def test_no_bare_competency_error_is_raised() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in modules().values()
        for line, name in _raised_names(ast.parse(path.read_text(encoding="utf-8")))
        if name == "CompetencyError"
    ]
    assert found == []


def test_every_kind_of_competency_error_is_defined_in_errors_py() -> None:
    found = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            bases = [b.id for b in getattr(node, "bases", []) if isinstance(b, ast.Name)]
            if isinstance(node, ast.ClassDef) and name != "competency.errors" and ({"CompetencyError", "SourceErrors"} & set(bases) or node.name.endswith("Error")):
                found.append(f"{name}.{node.name}")
    assert found == []


def test_the_finder_sees_a_raise() -> None:
    tree = ast.parse("raise CompetencyError('x', hint='y')\nraise errors.NotFound('z')\n")
    assert _raised_names(tree) == [(1, "CompetencyError"), (2, "NotFound")]
