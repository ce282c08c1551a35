"""The code's shape, as the team's habits set it: no class over 400 lines, and no
function over 60 lines unless its docstring says why ("Long because ...")."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "paperdesk"


def _defs() -> list[tuple[str, ast.AST]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((f"{path.relative_to(SRC)}:{node.lineno} {node.name}", node))
    return found


def _length(node: ast.AST) -> int:
    return int(getattr(node, "end_lineno", 0)) - int(getattr(node, "lineno", 0)) + 1


def test_no_class_over_400_lines() -> None:
    too_long = [(where, _length(node)) for where, node in _defs()
                if isinstance(node, ast.ClassDef) and _length(node) > 400]
    assert too_long == []


def test_no_function_over_60_lines_without_a_reason() -> None:
    too_long = [(where, _length(node)) for where, node in _defs()
                if not isinstance(node, ast.ClassDef) and _length(node) > 60
                and "Long because" not in (ast.get_docstring(node) or "")]
    assert too_long == []
