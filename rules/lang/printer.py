"""Expressions back to canonical text: for explanations, the checker's comparisons
of conditions, and the formatter."""

from __future__ import annotations

from . import ast

# Binding strength, loosest first: or < and < not < comparison < arithmetic < atom.
_LEVEL = {"or": 1, "and": 2, "not": 3, "compare": 4, "arith": 5, "atom": 6}


def _level(e: ast.Expr) -> int:
    if isinstance(e, ast.BoolOp):
        return _LEVEL[e.op]
    if isinstance(e, ast.Not):
        return _LEVEL["not"]
    if isinstance(e, ast.Compare | ast.InList):
        return _LEVEL["compare"]
    if isinstance(e, ast.Arith):
        return _LEVEL["arith"]
    return _LEVEL["atom"]


def literal(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "none"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return str(value)


def unparse(e: ast.Expr) -> str:
    """One-line canonical text; parentheses only where binding needs them."""

    def wrap(child: ast.Expr, min_level: int) -> str:
        text = unparse(child)
        return f"({text})" if _level(child) < min_level else text

    if isinstance(e, ast.Path):
        return e.text
    if isinstance(e, ast.Literal):
        return literal(e.value)
    if isinstance(e, ast.Not):
        return "not " + wrap(e.operand, _LEVEL["not"])
    if isinstance(e, ast.BoolOp):
        level = _LEVEL[e.op]
        return f" {e.op} ".join(wrap(o, level) for o in e.operands)
    if isinstance(e, ast.Compare):
        return f"{wrap(e.left, _LEVEL['arith'])} {e.op} {wrap(e.right, _LEVEL['arith'])}"
    if isinstance(e, ast.InList):
        return f"{wrap(e.item, _LEVEL['arith'])} in [{', '.join(unparse(o) for o in e.options)}]"
    if isinstance(e, ast.Arith):
        return f"{wrap(e.left, _LEVEL['arith'])} {e.op} {wrap(e.right, _LEVEL['atom'])}"
    raise TypeError(f"not an expression: {e!r}")
